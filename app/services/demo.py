"""Illustrative units for `dti demo`: entries drawn from a seeded generator, plainly labelled as made up.

It exercises every rule of a framework the way real entries would (ratios within their denominators,
counts around the tiers, parts and choices from their lists), so the demo shows the engine, the grades
and the competition ranking working on the bundled framework. No figure here is real data.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from app.scoring.model import Framework, InfoField
from app.scoring.numbers import q2, q4
from app.scoring.ranking import UnitEntries
from app.scoring.rules import (
    AppraiserOnlyRule,
    BestInGroupRule,
    ChoiceRule,
    CountRule,
    PartsRule,
    Ratio,
    RatioRule,
    Rule,
    TiersRule,
    YesNoRule,
)

GROUP_NOUN = {"xa": "Xã", "huyen": "Huyện", "so-dvc": "Sở", "so-khong-dvc": "Ban", "tinh": "Tỉnh"}


def _info_value(field: InfoField, rng: random.Random) -> Any:
    if field.type == "text":
        return "Minh họa"
    if field.type == "number":
        return q2(Decimal(rng.randint(100, 50_000)) / 10)
    return rng.randint(20, 400)


def _entry(rule: Rule, maximum: Decimal, info: dict[str, Any], skill: float, rng: random.Random) -> Any:
    """A plausible entry; `skill` in 0..1 makes some illustrative units stronger than others."""

    def share() -> Decimal:
        return q4(Decimal(str(min(1.0, max(0.0, rng.gauss(skill, 0.15))))))

    def part_of(b: int) -> Decimal:
        return Decimal(int(b * float(share())))

    if isinstance(rule, YesNoRule):
        return rng.random() < skill + 0.1
    if isinstance(rule, RatioRule):
        if rule.denominator:
            return part_of(int(info.get(rule.denominator, 100)))
        b = rng.randint(10, 300)
        return Ratio(part_of(b), Decimal(b))
    if isinstance(rule, TiersRule):
        if rule.on == "share":
            return part_of(int(info.get(rule.denominator, 100))) if rule.denominator else share()
        top = int(rule.tiers[0].min)
        return Decimal(max(0, min(top + 1, round(rng.gauss(skill * top, 1)))))
    if isinstance(rule, ChoiceRule):
        ranked = sorted(rule.options, key=lambda o: o.fraction, reverse=True)
        return ranked[min(len(ranked) - 1, int((1 - float(share())) * len(ranked)))].code
    if isinstance(rule, PartsRule):
        return frozenset(p.code for p in rule.parts if rng.random() < skill + 0.1)
    if isinstance(rule, CountRule):
        items = rule.cap or int(maximum / rule.per_item) or 1
        return Decimal(max(0, round(rng.gauss(skill * items, 1))))
    if isinstance(rule, BestInGroupRule):
        if rule.denominator:
            return part_of(int(info.get(rule.denominator, 100)) * 3)
        return q2(Decimal(str(max(0.0, rng.gauss(skill * 100, 15)))))
    if isinstance(rule, AppraiserOnlyRule):
        return None
    return q2(maximum * share())  # points entered directly


def illustrative_units(framework: Framework, per_group: int = 6, seed: int = 2023) -> list[UnitEntries]:
    """`per_group` made-up units in every group, deterministic for a given seed."""
    rng = random.Random(seed)
    units = []
    for group in framework.groups:
        noun = GROUP_NOUN.get(group.code, "Đơn vị")
        for n in range(1, per_group + 1):
            skill = rng.uniform(0.35, 0.95)
            info = {f.code: _info_value(f, rng) for f in framework.info if f.applies_to(group.code)}
            values = {leaf.code: _entry(leaf.rule, leaf.max[group.code], info, skill, rng)
                      for leaf in framework.leaves(group.code) if leaf.rule is not None}
            if n == per_group and per_group > 2:  # show a tie: the last unit copies the first one's entries
                first = units[-(per_group - 1)]
                values, info = dict(first.values), dict(first.info)
            units.append(UnitEntries(f"MH-{group.code.upper()}-{n:02d}", f"{noun} minh họa {n:02d}", group.code,
                                     values, info))
    return units
