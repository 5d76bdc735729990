"""The scoring engine (DESIGN §4): entries in, an explained score tree out.

Leaves take points from their rule; a parent has the capped sum of its applicable children. The
unit's total and each main index are rounded half up to 2 decimals once, at the end; share and grade
use those rounded figures so that totals equal on paper are equal in the ranking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from app.scoring.model import Framework, Grade, Indicator
from app.scoring.numbers import ZERO, q2, q4
from app.scoring.rules import BestInGroupRule, Context, How, Outcome, PointsRule

# The revision of what this engine computes. Stored score summaries (app.services.score_cache) are keyed by
# it: raise it with any change that can alter a score, a share or a grade, and every summary is recomputed.
SCORING_REVISION = 1


@dataclass(slots=True)  # not frozen: built ~300 times per re-score, and frozen init costs 3x
class NodeScore:
    """One node of a unit's score: the self-score, the appraised points if any, the final points
    (appraised, else self) and how they were obtained. Points are unrounded Decimals."""

    code: str
    title: str
    depth: int
    leaf: bool
    max: Decimal
    self_points: Decimal
    appraised: Decimal | None
    points: Decimal
    how: How
    status: str


@dataclass(frozen=True)
class UnitScore:
    framework_id: str
    group: str
    total: Decimal          # final, rounded to 2 decimals
    self_total: Decimal     # the unit's own claim, rounded to 2 decimals
    max: Decimal
    share: Decimal          # total / max, rounded to 4 decimals
    grade: str | None
    indices: dict[str, Decimal]   # main index code -> final points, rounded to 2 decimals
    nodes: tuple[NodeScore, ...]  # pre-order, applicable nodes only

    def node(self, code: str) -> NodeScore:
        return next(n for n in self.nodes if n.code == code)

    def summary(self) -> ScoreSummary:
        return ScoreSummary(self.framework_id, self.group, self.total, self.self_total, self.max, self.share,
                            self.grade, dict(self.indices))


@dataclass(slots=True)   # not frozen: 10,000 are made per ranking, and frozen init costs 3x
class ScoreSummary:
    """What a ranking needs of a unit's score (UnitScore without the node tree): kept per submission at an
    aggregator, so that ranking thousands of units does not score each from its entries."""

    framework_id: str
    group: str
    total: Decimal
    self_total: Decimal
    max: Decimal
    share: Decimal
    grade: str | None
    indices: dict[str, Decimal]


def grade_for(grades: tuple[Grade, ...], share: Decimal) -> str | None:
    """The first band, highest first, whose minimum is at most the share."""
    return next((g.label for g in grades if g.min <= share), None)


def share_of(total: Decimal, maximum: Decimal) -> Decimal:
    return q4(total / maximum) if maximum > 0 else ZERO


_DEFAULT_RULE = PointsRule()


def score_leaf(node: Indicator, group: str, value: Any, ctx: Context) -> Outcome:
    """The self-score of one applicable leaf, never outside 0..max."""
    maximum = node.max[group]
    rule = node.rule or _DEFAULT_RULE
    outcome = rule.evaluate(value, maximum, ctx)
    if outcome.points < 0 or outcome.points > maximum:  # a rule bug must not leak beyond the maximum
        return Outcome(max(ZERO, min(outcome.points, maximum)), outcome.how, outcome.status)
    return outcome


def score_unit(framework: Framework, group: str, values: Mapping[str, Any],
               info: Mapping[str, Any] | None = None, appraisals: Mapping[str, Decimal] | None = None,
               best: Mapping[str, Decimal] | None = None) -> UnitScore:
    """Score one unit of `group`.

    values: leaf code -> entry (the kind its rule expects); info: info field code -> value;
    appraisals: leaf code -> points set by an appraiser; best: best-in-group indicator code -> the best
    measure of the group (known only at the aggregator).
    """
    if framework.group(group) is None:
        raise KeyError(f"unknown group {group!r} in framework {framework.id}")
    appraisals = appraisals or {}
    ctx = Context(info=dict(info or {}), best=dict(best) if best else None)
    nodes: list[NodeScore] = []

    def visit(node: Indicator, depth: int) -> tuple[Decimal, Decimal, bool]:
        """Returns (self points, final points, any appraisal below) of an applicable node."""
        maximum = node.max[group]
        slot = len(nodes)
        nodes.append(None)  # type: ignore[arg-type]  # keep pre-order; filled after the children
        if node.is_leaf:
            leaf_ctx = ctx if not isinstance(node.rule, BestInGroupRule) else replace(ctx, code=node.code)
            outcome = score_leaf(node, group, values.get(node.code), leaf_ctx)
            own = outcome.points
            appraised = appraisals.get(node.code)
            if appraised is not None:
                appraised = max(ZERO, min(Decimal(appraised), maximum))
            final = own if appraised is None else appraised
            nodes[slot] = NodeScore(node.code, node.title, depth, True, maximum, own, appraised, final,
                                    outcome.how, outcome.status)
            return own, final, appraised is not None
        own_sum = final_sum = ZERO
        touched = False
        count = 0
        for child in node.children:
            if child.applies_to(group):
                own, final, appraised_below = visit(child, depth + 1)
                own_sum += own
                final_sum += final
                touched |= appraised_below
                count += 1
        own = min(own_sum, maximum)
        final = min(final_sum, maximum)
        how = How("capped" if final_sum > maximum else "sum", {"sum": final_sum, "children": count})
        nodes[slot] = NodeScore(node.code, node.title, depth, False, maximum, own,
                                final if touched else None, final, how, "ok")
        return own, final, touched

    total = self_total = ZERO
    indices: dict[str, Decimal] = {}
    for top in framework.indicators:
        if top.applies_to(group):
            own, final, _ = visit(top, 0)
            total += final
            self_total += own
            indices[top.code] = q2(final)
    # `visit` calls itself, so it holds itself through its closure: a reference cycle that would keep this
    # unit's whole node list alive until the cyclic collector ran (which a ranking turns off). Break it.
    visit = None  # type: ignore[assignment]
    maximum = framework.max_total(group)
    total = q2(total)
    share = share_of(total, maximum)
    return UnitScore(framework.id, group, total, q2(self_total), maximum, share,
                     grade_for(framework.grades, share), indices, tuple(nodes))


def unit_measures(framework: Framework, group: str, values: Mapping[str, Any], info: Mapping[str, Any]
                  ) -> dict[str, Decimal]:
    """One unit's measure for every best-in-group indicator of its group that it has a valid entry for."""
    ctx = Context(info=dict(info))
    out: dict[str, Decimal] = {}
    for leaf in framework.leaves(group):
        if isinstance(leaf.rule, BestInGroupRule):
            measure = leaf.rule.measure(values.get(leaf.code), ctx)
            if measure is not None:
                out[leaf.code] = measure
    return out


def best_of(measures: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """The best (highest) measure per indicator over the units' measures; the first of equal ones."""
    best: dict[str, Decimal] = {}
    for unit in measures:
        for code, measure in unit.items():
            if code not in best or measure > best[code]:
                best[code] = measure
    return best


def best_measures(framework: Framework, group: str, units: list[tuple[Mapping[str, Any], Mapping[str, Any]]]
                  ) -> dict[str, Decimal]:
    """The best measure in a group for every best-in-group indicator, from each unit's (values, info)."""
    return best_of(unit_measures(framework, group, values, info) for values, info in units)
