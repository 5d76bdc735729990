"""Pure scoring engine: the framework tree, rules, totals, grades and ranks.

Imports nothing of the project outside this package and no I/O library (a test enforces it), so the
CLI, the GUI, the aggregator and the tests all score the same way.
"""

from app.scoring.engine import NodeScore, UnitScore, grade_for, score_unit
from app.scoring.model import Framework, Grade, Group, Indicator, InfoField, Round
from app.scoring.ranking import GroupRanking, RankedUnit, UnitEntries, competition_ranks, rank_units
from app.scoring.rules import RULE_TYPES, Ratio, Rule

__all__ = [
    "RULE_TYPES", "Framework", "Grade", "Group", "GroupRanking", "Indicator", "InfoField", "NodeScore",
    "RankedUnit", "Ratio", "Round", "Rule", "UnitEntries", "UnitScore", "competition_ranks", "grade_for",
    "rank_units", "score_unit",
]
