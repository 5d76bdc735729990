"""Ranking (xếp hạng): per group, by total, and per main index, with standard competition ranks."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.scoring.engine import ScoreSummary, UnitScore, best_measures, score_unit
from app.scoring.model import Framework, Group


def competition_ranks(values: Sequence[Decimal]) -> list[int]:
    """Standard competition ranking, highest first (1, 2, 2, 4), in the order of `values`."""
    order = sorted(range(len(values)), key=lambda i: values[i], reverse=True)
    ranks = [0] * len(values)
    for position, i in enumerate(order):
        if position and values[i] == values[order[position - 1]]:
            ranks[i] = ranks[order[position - 1]]
        else:
            ranks[i] = position + 1
    return ranks


@dataclass(frozen=True)
class UnitEntries:
    """What the aggregator knows of one unit: its entries, info fields and the appraised points."""

    unit_code: str
    unit_name: str
    group: str
    values: Mapping[str, Any]
    info: Mapping[str, Any] = field(default_factory=dict)
    appraisals: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    unit_code: str
    unit_name: str
    score: UnitScore | ScoreSummary   # a summary where the ranking was read from stored summaries
    index_ranks: dict[str, int]


@dataclass(frozen=True)
class GroupRanking:
    group: Group
    max: Decimal
    units: tuple[RankedUnit, ...]


def rank_scores(group: Group, maximum: Decimal,
                scored: Sequence[tuple[str, str, UnitScore | ScoreSummary]]) -> GroupRanking:
    """Rank already scored units of one group: (unit code, unit name, score) each."""
    ranks = competition_ranks([s.total for _, _, s in scored])
    index_codes = sorted({code for _, _, s in scored for code in s.indices})
    index_ranks: dict[str, list[int]] = {
        code: competition_ranks([s.indices.get(code, Decimal(0)) for _, _, s in scored]) for code in index_codes
    }
    units = [
        RankedUnit(ranks[i], code, name, score, {c: index_ranks[c][i] for c in index_codes})
        for i, (code, name, score) in enumerate(scored)
    ]
    units.sort(key=lambda u: (u.rank, u.unit_code))
    return GroupRanking(group, maximum, tuple(units))


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Scoring thousands of units builds millions of small objects (a NodeScore and its How per node) that all
    stay alive until the ranking is built and form no reference cycles; CPython's cyclic collector would walk
    the growing heap again and again (at 5,000 units more time than the scoring itself). Reference counting
    still frees everything; the collector runs as usual once the ranking is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rank_units(framework: Framework, units: Sequence[UnitEntries], group: str | None = None) -> list[GroupRanking]:
    """Score and rank every unit per group of the framework (best-in-group rules resolved here)."""
    rankings = []
    with without_cycle_collection():
        for g in framework.groups:
            if group is not None and g.code != group:
                continue
            members = [u for u in units if u.group == g.code]
            best = best_measures(framework, g.code, [(u.values, u.info) for u in members])
            scored = [(u.unit_code, u.unit_name, score_unit(framework, g.code, u.values, u.info, u.appraisals, best))
                      for u in members]
            rankings.append(rank_scores(g, framework.max_total(g.code), scored))
    return rankings
