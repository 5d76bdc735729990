"""Scoring rules of a leaf indicator and how each turns the unit's entry into points.

Every rule is a small frozen dataclass with `evaluate(value, maximum, ctx) -> Outcome`. A rule never
returns more than `maximum` or less than 0; the engine relies on that and checks it again.
Rules are validated where they are built (`app.frameworks.schema`), so `evaluate` trusts its own fields
but never the entered value: a value of the wrong kind scores 0 with status "invalid".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from app.scoring.numbers import ONE, ZERO


@dataclass(frozen=True)
class Ratio:
    """An entered ratio a/b; `b` is None when the rule takes it from an info field."""

    a: Decimal
    b: Decimal | None = None


@dataclass(slots=True)  # How and Outcome are made per leaf per score: plain slots, not frozen, for speed
class How:
    """Why a node has its points: a message key and its parameters, rendered by `explain`."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Outcome:
    points: Decimal
    how: How
    status: str = "ok"  # ok | missing | invalid | pending (needs the group, i.e. the aggregator)


@dataclass(frozen=True)
class Context:
    """What a rule may read beyond its own entry: info fields and, at the aggregator, group bests."""

    info: dict[str, Any]
    best: dict[str, Decimal] | None = None  # best measure per best-in-group indicator code
    code: str = ""


@dataclass(frozen=True)
class Award:
    """Points for a tier, option or part: absolute `points` or a `fraction` of the maximum."""

    points: Decimal | None = None
    fraction: Decimal | None = None

    def of(self, maximum: Decimal) -> Decimal:
        if self.fraction is not None:
            return self.fraction * maximum
        return min(self.points or ZERO, maximum)


def _missing() -> Outcome:
    return Outcome(ZERO, How("missing"), "missing")


def _invalid(value: Any) -> Outcome:
    return Outcome(ZERO, How("invalid", {"value": repr(value)}), "invalid")


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    return None


def _clamp(points: Decimal, maximum: Decimal) -> Decimal:
    return max(ZERO, min(points, maximum))


def _info_number(ctx: Context, code: str) -> Decimal | None:
    return _number(ctx.info.get(code))


def _share(value: Any, denominator: str | None, ctx: Context) -> tuple[Decimal | None, Outcome | None, dict]:
    """A share from an entry: a number in 0..1, a Ratio(a, b), or a with b from an info field."""
    if value is None:
        return None, _missing(), {}
    if isinstance(value, Ratio):
        a, b = value.a, value.b
    elif denominator is not None and _number(value) is not None:
        a, b = _number(value), None
    else:
        n = _number(value)
        if n is None or n < 0 or n > 1:  # a share is 0..1; 85 meaning 85 % is converted at entry
            return None, _invalid(value), {}
        return n, None, {"share": n}
    if b is None and denominator is not None:
        b = _info_number(ctx, denominator)
        if b is None:
            return None, Outcome(ZERO, How("no_denominator", {"info": denominator}), "missing"), {}
    if a is None or b is None or a < 0 or b < 0:
        return None, _invalid(value), {}
    if b == 0:
        return None, Outcome(ZERO, How("zero_denominator", {"a": a, "info": denominator}), "invalid"), {}
    return a / b, None, {"a": a, "b": b, "share": a / b, "info": denominator}


class Rule:
    """Base of all rule types; `type` is the name used in framework files."""

    type: ClassVar[str] = ""
    monotone: ClassVar[bool] = True  # more input never loses points

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:  # pragma: no cover
        raise NotImplementedError

    def params(self) -> dict[str, Any]:
        """The rule's fields as plain data (the `rule:` mapping of a framework file, minus `type`)."""
        return {}

    def denominators(self) -> tuple[str, ...]:
        """Info field codes this rule reads."""
        return ()


@dataclass(frozen=True)
class PointsRule(Rule):
    """The value entered is the points (0..max)."""

    type: ClassVar[str] = "points"

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        if value is None:
            return _missing()
        n = _number(value)
        if n is None or n < 0:
            return _invalid(value)
        return Outcome(_clamp(n, maximum), How("points", {"value": n}))


@dataclass(frozen=True)
class YesNoRule(Rule):
    """Done (có) earns the maximum, not done (không) 0."""

    type: ClassVar[str] = "yes_no"

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        if value is None:
            return _missing()
        if not isinstance(value, bool):
            return _invalid(value)
        return Outcome(maximum if value else ZERO, How("yes" if value else "no"))


@dataclass(frozen=True)
class RatioRule(Rule):
    """points = min(a/b ÷ target, 1) × max; b entered, or taken from the info field `denominator`."""

    type: ClassVar[str] = "ratio"
    denominator: str | None = None
    target: Decimal = ONE

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        share, early, p = _share(value, self.denominator, ctx)
        if early is not None:
            return early
        assert share is not None
        points = _clamp(min(share / self.target, ONE) * maximum, maximum)
        return Outcome(points, How("ratio", {**p, "target": self.target}))

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.denominator is not None:
            out["denominator"] = self.denominator
        if self.target != ONE:
            out["target"] = self.target
        return out

    def denominators(self) -> tuple[str, ...]:
        return (self.denominator,) if self.denominator else ()


@dataclass(frozen=True)
class Tier:
    """A threshold: a measure ≥ `min` earns `award` (first matching tier, highest first)."""

    min: Decimal
    award: Award


@dataclass(frozen=True)
class TiersRule(Rule):
    """Tiers on a count (integers) or a share (0..1; a/b or a with an info denominator)."""

    type: ClassVar[str] = "tiers"
    on: str = "count"
    tiers: tuple[Tier, ...] = ()
    denominator: str | None = None

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        if self.on == "share":
            measure, early, p = _share(value, self.denominator, ctx)
            if early is not None:
                return early
        else:
            if value is None:
                return _missing()
            measure = _number(value)
            if measure is None or measure < 0 or measure != measure.to_integral_value():
                return _invalid(value)
            p = {"count": measure}
        assert measure is not None
        for tier in self.tiers:
            if measure >= tier.min:
                points = _clamp(tier.award.of(maximum), maximum)
                return Outcome(points, How("tier", {**p, "on": self.on, "min": tier.min}))
        return Outcome(ZERO, How("below_tiers", {**p, "on": self.on, "lowest": self.tiers[-1].min}))

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"on": self.on}
        if self.denominator is not None:
            out["denominator"] = self.denominator
        out["tiers"] = [{"min": t.min, **_award_dict(t.award)} for t in self.tiers]
        return out

    def denominators(self) -> tuple[str, ...]:
        return (self.denominator,) if self.denominator else ()


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    fraction: Decimal


@dataclass(frozen=True)
class ChoiceRule(Rule):
    """Categorical fractions: the chosen option earns its fraction of the maximum."""

    type: ClassVar[str] = "choice"
    monotone: ClassVar[bool] = False  # options are categories, not a quantity
    options: tuple[Option, ...] = ()

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        if value is None:
            return _missing()
        option = next((o for o in self.options if o.code == value), None)
        if option is None:
            return _invalid(value)
        points = _clamp(option.fraction * maximum, maximum)
        return Outcome(points, How("choice", {"label": option.label, "fraction": option.fraction}))

    def params(self) -> dict[str, Any]:
        return {"options": [{"code": o.code, "label": o.label, "fraction": o.fraction} for o in self.options]}


@dataclass(frozen=True)
class Part:
    code: str
    label: str
    award: Award


@dataclass(frozen=True)
class PartsRule(Rule):
    """Additive parts: each condition met adds its points; the sum is capped at the maximum."""

    type: ClassVar[str] = "parts"
    parts: tuple[Part, ...] = ()

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        if value is None:
            return _missing()
        if not isinstance(value, (set, frozenset, list, tuple)) or not all(isinstance(v, str) for v in value):
            return _invalid(value)
        known = {p.code for p in self.parts}
        if not set(value) <= known:
            return _invalid(value)
        met = [p for p in self.parts if p.code in value]
        total = sum((p.award.of(maximum) for p in met), ZERO)
        return Outcome(_clamp(total, maximum), How("parts", {"met": [p.label for p in met],
                                                              "of": len(self.parts)}))

    def params(self) -> dict[str, Any]:
        return {"parts": [{"code": p.code, "label": p.label, **_award_dict(p.award)} for p in self.parts]}


@dataclass(frozen=True)
class CountRule(Rule):
    """Capped count: `per_item` points for each item, at most `cap` items, never beyond the maximum."""

    type: ClassVar[str] = "count"
    per_item: Decimal = ONE
    cap: int | None = None

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        if value is None:
            return _missing()
        n = _number(value)
        if n is None or n < 0 or n != n.to_integral_value():
            return _invalid(value)
        counted = n if self.cap is None else min(n, Decimal(self.cap))
        points = _clamp(counted * self.per_item, maximum)
        return Outcome(points, How("count", {"count": n, "counted": counted, "per_item": self.per_item}))

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"per_item": self.per_item}
        if self.cap is not None:
            out["cap"] = self.cap
        return out


@dataclass(frozen=True)
class BestInGroupRule(Rule):
    """points = unit's measure ÷ best measure in its group × max. The best is known only where every
    unit of the group is (the aggregator); a unit alone sees its points as pending, counted 0."""

    type: ClassVar[str] = "best_in_group"
    denominator: str | None = None

    def measure(self, value: Any, ctx: Context) -> Decimal | None:
        """The unit's measure, or None when it cannot be computed (missing or invalid entry)."""
        if value is None:
            return None
        if self.denominator is None and not isinstance(value, Ratio):
            n = _number(value)
            return n if n is not None and n >= 0 else None
        share, early, _ = _share(value, self.denominator, ctx)
        return share if early is None else None

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        if value is None:
            return _missing()
        measure = self.measure(value, ctx)
        if measure is None:
            if self.denominator is not None or isinstance(value, Ratio):
                _, early, _ = _share(value, self.denominator, ctx)
                if early is not None:
                    return early
            return _invalid(value)
        best = (ctx.best or {}).get(ctx.code)
        if best is None:
            return Outcome(ZERO, How("best_pending", {"measure": measure}), "pending")
        if best <= 0:
            return Outcome(ZERO, How("best", {"measure": measure, "best": best}))
        points = _clamp(measure / best * maximum, maximum)
        return Outcome(points, How("best", {"measure": measure, "best": best}))

    def params(self) -> dict[str, Any]:
        return {"denominator": self.denominator} if self.denominator else {}

    def denominators(self) -> tuple[str, ...]:
        return (self.denominator,) if self.denominator else ()


@dataclass(frozen=True)
class AppraiserOnlyRule(Rule):
    """The unit enters nothing scored; only the appraiser's points count."""

    type: ClassVar[str] = "appraiser_only"

    def evaluate(self, value: Any, maximum: Decimal, ctx: Context) -> Outcome:
        return Outcome(ZERO, How("appraiser_only"), "pending")


def _award_dict(award: Award) -> dict[str, Decimal]:
    return {"fraction": award.fraction} if award.fraction is not None else {"points": award.points or ZERO}


RULE_TYPES: dict[str, type[Rule]] = {
    cls.type: cls
    for cls in (PointsRule, YesNoRule, RatioRule, TiersRule, ChoiceRule, PartsRule, CountRule,
                BestInGroupRule, AppraiserOnlyRule)
}
