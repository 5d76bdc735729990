"""The framework schema (DESIGN §3, format `dti-framework/1`): plain data <-> `Framework`.

`build()` validates a parsed mapping (from YAML, JSON or the Excel reader) and returns the model plus
warnings, or raises `FrameworkInvalid` listing every problem with the code it concerns. `to_data()` is
its inverse and the base of the canonical serialization: `build(to_data(f)) == f` for every framework.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.scoring.model import (
    EVIDENCE_LEVELS,
    INFO_TYPES,
    Framework,
    Grade,
    Group,
    Indicator,
    InfoField,
    Round,
)
from app.scoring.numbers import ONE, ZERO, parse_decimal
from app.scoring.rules import (
    RULE_TYPES,
    AppraiserOnlyRule,
    Award,
    BestInGroupRule,
    ChoiceRule,
    CountRule,
    Option,
    Part,
    PartsRule,
    PointsRule,
    RatioRule,
    Rule,
    Tier,
    TiersRule,
    YesNoRule,
)

FORMAT = "dti-framework/1"
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
OPTION_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")

TOP_KEYS = ("format", "id", "title", "decision", "round", "groups", "grades", "info", "indicators",
            "default_appraiser", "notice", "reconstructed")
INDICATOR_KEYS = ("code", "title", "max", "children", "rule", "evidence", "appraiser", "guide")
INFO_KEYS = ("code", "title", "type", "unit", "groups", "appraiser", "guide")


@dataclass(frozen=True)
class Problem:
    where: str    # the code, field or cell concerned
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason


class FrameworkInvalid(ValueError):
    """A framework file that cannot be accepted; `problems` lists every reason found."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        first = problems[0] if problems else Problem("", "invalid framework")
        extra = len(problems) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
        super().__init__(f"{source}: {first}{more}" if source else f"{first}{more}")


def text(value: Any) -> str:
    """Text as stored: NFC (Vietnamese diacritics have two Unicode spellings), trimmed."""
    return unicodedata.normalize("NFC", str(value)).strip()


class _Builder:
    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.group_codes: tuple[str, ...] = ()
        self.info_codes: dict[str, InfoField] = {}

    # -- small typed readers; each records a problem and returns a harmless default -------------
    def err(self, where: str, reason: str) -> None:
        self.errors.append(Problem(where, reason))

    def keys(self, where: str, data: dict, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.err(where, f"unknown field '{key}' (allowed: {', '.join(allowed)})")

    def code(self, where: str, data: dict) -> str | None:
        """Codes must be written as text: YAML reads `1.10` as the number 1.1 and `010` as 8."""
        raw = data.get("code")
        if raw is not None and not isinstance(raw, str):
            self.err(where, f"code {raw!r} must be quoted text, e.g. code: \"1.10\"")
            return None
        return self.string(where, data, "code")

    def string(self, where: str, data: dict, key: str, required: bool = True) -> str | None:
        raw = data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.err(where, f"'{key}' is required")
            return None
        if isinstance(raw, (dict, list, bool)):
            self.err(where, f"'{key}' must be text")
            return None
        return text(raw)

    def number(self, where: str, raw: Any, what: str, low: Decimal | None = ZERO,
               high: Decimal | None = None) -> Decimal | None:
        try:
            value = parse_decimal(raw)
        except ValueError:
            self.err(where, f"{what} must be a number, not {raw!r}")
            return None
        if low is not None and value < low:
            self.err(where, f"{what} must be at least {low}, not {value}")
            return None
        if high is not None and value > high:
            self.err(where, f"{what} must be at most {high}, not {value}")
            return None
        return value

    def mapping(self, where: str, raw: Any, what: str) -> dict | None:
        if not isinstance(raw, dict):
            self.err(where, f"{what} must be a mapping")
            return None
        return raw

    def sequence(self, where: str, raw: Any, what: str, required: bool = True) -> list:
        if raw is None:
            if required:
                self.err(where, f"'{what}' is required")
            return []
        if not isinstance(raw, list):
            self.err(where, f"'{what}' must be a list")
            return []
        return raw

    # -- sections ----------------------------------------------------------------------------------
    def round(self, raw: Any) -> Round:
        data = self.mapping("round", raw, "round") or {}
        self.keys("round", data, ("year", "start", "end"))
        year = data.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            self.err("round", f"'year' must be a year such as 2023, not {year!r}")
            year = 2000
        start, end = (self.day("round", data.get(k), k) for k in ("start", "end"))
        if (start is None) != (end is None):
            self.err("round", "give both 'start' and 'end', or neither")
        elif start and end and start > end:
            self.err("round", f"'start' {start.isoformat()} is after 'end' {end.isoformat()}")
        return Round(year, start, end)

    def day(self, where: str, raw: Any, key: str) -> date | None:
        if raw is None:
            return None
        if isinstance(raw, date):
            return raw if not hasattr(raw, "hour") else raw.date()  # type: ignore[union-attr]
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            self.err(where, f"'{key}' must be a date YYYY-MM-DD, not {raw!r}")
            return None

    def groups(self, raw: Any) -> tuple[Group, ...]:
        out: list[Group] = []
        for i, item in enumerate(self.sequence("groups", raw, "groups")):
            where = f"groups[{i + 1}]"
            data = self.mapping(where, item, "a group")
            if data is None:
                continue
            self.keys(where, data, ("code", "title", "ranked"))
            code = self.string(where, data, "code")
            title = self.string(where, data, "title")
            ranked = data.get("ranked", True)
            if not isinstance(ranked, bool):
                self.err(where, "'ranked' must be true or false")
                ranked = True
            if code is not None and not ID_PATTERN.match(code):
                self.err(where, f"group code '{code}' must be lowercase letters, digits and '-'")
            elif code in {g.code for g in out}:
                self.err(where, f"duplicate group code '{code}'")
            elif code and title:
                out.append(Group(code, title, ranked))
        if not out and not any(p.where.startswith("groups") for p in self.errors):
            self.err("groups", "at least one group is required")
        return tuple(out)

    def grades(self, raw: Any) -> tuple[Grade, ...]:
        out: list[Grade] = []
        for i, item in enumerate(self.sequence("grades", raw, "grades")):
            where = f"grades[{i + 1}]"
            data = self.mapping(where, item, "a grade")
            if data is None:
                continue
            self.keys(where, data, ("label", "min"))
            label = self.string(where, data, "label")
            minimum = self.number(where, data.get("min"), "'min'", ZERO, ONE)
            if label is None or minimum is None:
                continue
            if out and minimum >= out[-1].min:
                self.err(where, f"grades must be listed highest first: {minimum} after {out[-1].min}")
            if label in {g.label for g in out}:
                self.err(where, f"duplicate grade label '{label}'")
            out.append(Grade(label, minimum))
        if out and out[-1].min != 0:
            self.warnings.append(Problem("grades", f"no band starts at 0: shares below {out[-1].min} get no grade"))
        if not out and not any(p.where.startswith("grades") for p in self.errors):
            self.err("grades", "at least one grade band is required")
        return tuple(out)

    def info(self, raw: Any, seen: set[str]) -> tuple[InfoField, ...]:
        out: list[InfoField] = []
        for i, item in enumerate(self.sequence("info", raw, "info", required=False)):
            data = self.mapping(f"info[{i + 1}]", item, "an info field")
            if data is None:
                continue
            code = self.code(f"info[{i + 1}]", data)
            where = code or f"info[{i + 1}]"
            self.keys(where, data, INFO_KEYS)
            title = self.string(where, data, "title")
            kind = data.get("type", "integer")
            if kind not in INFO_TYPES:
                self.err(where, f"unknown info type {kind!r} (allowed: {', '.join(INFO_TYPES)})")
                kind = "integer"
            groups = data.get("groups")
            group_tuple: tuple[str, ...] | None = None
            if groups is not None:
                if not isinstance(groups, list) or not groups:
                    self.err(where, "'groups' must be a non-empty list of group codes")
                else:
                    group_tuple = tuple(text(g) for g in groups)
                    for g in group_tuple:
                        if g not in self.group_codes:
                            self.err(where, f"unknown group '{g}'")
            if code is None or title is None:
                continue
            if not CODE_PATTERN.match(code):
                self.err(where, "a code is letters, digits, '.', '-' or '_' (at most 40)")
            if code in seen:
                self.err(where, f"duplicate code '{code}'")
            seen.add(code)
            field = InfoField(code, title, kind, self.string(where, data, "unit", False), group_tuple,
                              self.string(where, data, "appraiser", False), self.string(where, data, "guide", False))
            out.append(field)
            self.info_codes[code] = field
        return tuple(out)

    def maxima(self, where: str, raw: Any, parent: dict[str, Decimal] | None) -> dict[str, Decimal]:
        if raw is None:
            self.err(where, "'max' is required")
            return {}
        if isinstance(raw, dict):
            out: dict[str, Decimal] = {}
            for group, value in raw.items():
                g = text(group)
                if g not in self.group_codes:
                    self.err(where, f"unknown group '{g}' in 'max' (groups: {', '.join(self.group_codes)})")
                    continue
                number = self.number(where, value, f"max for {g}")
                if number is not None:
                    out[g] = number
        else:
            number = self.number(where, raw, "'max'")
            if number is None:
                return {}
            # A plain number applies to every group the parent has (every group at the top).
            out = {g: number for g in (parent.keys() if parent is not None else self.group_codes)}
        if parent is not None:
            for g in out:
                if g not in parent:
                    self.err(where, f"applies to group '{g}' but its parent does not")
        if not out and isinstance(raw, dict) and not raw:
            self.err(where, "'max' names no group: the indicator would apply to nobody")
        # keep the framework's group order so that equal models compare equal
        return {g: out[g] for g in self.group_codes if g in out}

    def award(self, where: str, data: dict, maxima: dict[str, Decimal], what: str) -> Award | None:
        has_points, has_fraction = "points" in data, "fraction" in data
        if has_points == has_fraction:
            self.err(where, f"{what} needs exactly one of 'points' or 'fraction'")
            return None
        if has_fraction:
            fraction = self.number(where, data["fraction"], f"{what} fraction", ZERO, ONE)
            return None if fraction is None else Award(fraction=fraction)
        points = self.number(where, data["points"], f"{what} points")
        if points is None:
            return None
        for g, m in maxima.items():
            if points > m:
                self.err(where, f"{what} gives {points} points, more than the maximum {m} for '{g}'")
                return None
        return Award(points=points)

    def denominator(self, where: str, data: dict, maxima: dict[str, Decimal]) -> str | None:
        raw = data.get("denominator")
        if raw is None:
            return None
        code = text(raw)
        field = self.info_codes.get(code)
        if field is None:
            self.err(where, f"denominator '{code}' is not an info field")
        elif field.type == "text":
            self.err(where, f"denominator '{code}' is a text field, not a number")
        else:
            missing = [g for g in maxima if not field.applies_to(g)]
            if missing:
                self.err(where, f"denominator '{code}' is not asked of group(s) {', '.join(missing)} "
                                "that this indicator applies to")
        return code

    def rule(self, where: str, raw: Any, maxima: dict[str, Decimal]) -> Rule | None:
        if raw is None:
            return PointsRule()
        data = self.mapping(where, raw, "'rule'")
        if data is None:
            return None
        kind = data.get("type")
        if kind not in RULE_TYPES:
            self.err(where, f"unknown rule type {kind!r} (known: {', '.join(RULE_TYPES)})")
            return None
        allowed = {
            "points": (), "yes_no": (), "appraiser_only": (),
            "ratio": ("denominator", "target"),
            "tiers": ("on", "tiers", "denominator"),
            "choice": ("options",), "parts": ("parts",),
            "count": ("per_item", "cap"), "best_in_group": ("denominator",),
        }[kind]
        self.keys(where, data, ("type", *allowed))
        before = len(self.errors)
        rule: Rule | None
        if kind == "points":
            rule = PointsRule()
        elif kind == "yes_no":
            rule = YesNoRule()
        elif kind == "appraiser_only":
            rule = AppraiserOnlyRule()
        elif kind == "ratio":
            target = self.number(where, data.get("target", 1), "ratio target", ZERO, ONE)
            if target is not None and target == 0:
                self.err(where, "ratio target must be above 0")
            rule = RatioRule(self.denominator(where, data, maxima), target or ONE)
        elif kind == "tiers":
            rule = self.tiers(where, data, maxima)
        elif kind == "choice":
            rule = self.choice(where, data)
        elif kind == "parts":
            rule = self.parts(where, data, maxima)
        elif kind == "count":
            per_item = self.number(where, data.get("per_item", 1), "per_item")
            if per_item is not None and per_item == 0:
                self.err(where, "per_item must be above 0")
            cap = data.get("cap")
            if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
                self.err(where, f"cap must be a whole number of items ≥ 1, not {cap!r}")
                cap = None
            rule = CountRule(per_item or ONE, cap)
        else:
            rule = BestInGroupRule(self.denominator(where, data, maxima))
        return rule if len(self.errors) == before else None

    def tiers(self, where: str, data: dict, maxima: dict[str, Decimal]) -> TiersRule | None:
        on = data.get("on", "count")
        if on not in ("count", "share"):
            self.err(where, f"tiers 'on' must be count or share, not {on!r}")
            return None
        denominator = self.denominator(where, data, maxima)
        if on == "count" and denominator is not None:
            self.err(where, "a denominator only makes sense for tiers on a share")
        raw = self.sequence(where, data.get("tiers"), "tiers")
        if not raw:
            if "tiers" in data:
                self.err(where, "tiers need at least one threshold")
            return None
        tiers: list[Tier] = []
        for i, item in enumerate(raw):
            what = f"tier {i + 1}"
            entry = self.mapping(where, item, what)
            if entry is None:
                return None
            self.keys(where, entry, ("min", "points", "fraction"))
            high = ONE if on == "share" else None
            minimum = self.number(where, entry.get("min"), f"{what} min", ZERO, high)
            award = self.award(where, entry, maxima, what)
            if minimum is None or award is None:
                return None
            if on == "count" and minimum != minimum.to_integral_value():
                self.err(where, f"{what} min must be a whole count, not {minimum}")
                return None
            if tiers and minimum >= tiers[-1].min:
                self.err(where, f"tiers must be sorted highest first: {minimum} after {tiers[-1].min}")
                return None
            if tiers and not _award_le(award, tiers[-1].award, maxima):
                self.err(where, f"{what} gives more than the tier above it (tiers must not reward less)")
                return None
            tiers.append(Tier(minimum, award))
        return TiersRule(on, tuple(tiers), denominator)

    def choice(self, where: str, data: dict) -> ChoiceRule | None:
        options: list[Option] = []
        for i, item in enumerate(self.sequence(where, data.get("options"), "options")):
            entry = self.mapping(where, item, f"option {i + 1}")
            if entry is None:
                return None
            self.keys(where, entry, ("code", "label", "fraction"))
            code, label = self.string(where, entry, "code"), self.string(where, entry, "label")
            fraction = self.number(where, entry.get("fraction"), f"option {i + 1} fraction", ZERO, ONE)
            if code is None or label is None or fraction is None:
                return None
            if not OPTION_PATTERN.match(code):
                self.err(where, f"option code '{code}' must be lowercase letters, digits, '-' or '_'")
                return None
            if code in {o.code for o in options}:
                self.err(where, f"duplicate option code '{code}'")
                return None
            options.append(Option(code, label, fraction))
        if len(options) < 2:
            if "options" in data and isinstance(data.get("options"), list):
                self.err(where, "a choice needs at least two options")
            return None
        return ChoiceRule(tuple(options))

    def parts(self, where: str, data: dict, maxima: dict[str, Decimal]) -> PartsRule | None:
        parts: list[Part] = []
        for i, item in enumerate(self.sequence(where, data.get("parts"), "parts")):
            entry = self.mapping(where, item, f"part {i + 1}")
            if entry is None:
                return None
            self.keys(where, entry, ("code", "label", "points", "fraction"))
            code, label = self.string(where, entry, "code"), self.string(where, entry, "label")
            award = self.award(where, entry, maxima, f"part {i + 1}")
            if code is None or label is None or award is None:
                return None
            if not OPTION_PATTERN.match(code):
                self.err(where, f"part code '{code}' must be lowercase letters, digits, '-' or '_'")
                return None
            if code in {p.code for p in parts}:
                self.err(where, f"duplicate part code '{code}'")
                return None
            parts.append(Part(code, label, award))
        if not parts:
            if "parts" in data and isinstance(data.get("parts"), list):
                self.err(where, "parts need at least one part")
            return None
        for g, m in maxima.items():
            total = sum((p.award.of(m) for p in parts), ZERO)
            if total > m:
                self.warnings.append(Problem(where, f"parts add up to {total} for '{g}', above the maximum {m}"
                                                    " (capped)"))
        return PartsRule(tuple(parts))

    def indicator(self, raw: Any, parent: dict[str, Decimal] | None, seen: set[str], index: str) -> Indicator | None:
        data = self.mapping(f"indicator {index}", raw, "an indicator")
        if data is None:
            return None
        code = self.code(f"indicator {index}", data)
        where = code or f"indicator {index}"
        self.keys(where, data, INDICATOR_KEYS)
        title = self.string(where, data, "title")
        if code is not None:
            if not CODE_PATTERN.match(code):
                self.err(where, "a code is letters, digits, '.', '-' or '_' (at most 40)")
            if code in seen:
                self.err(where, f"duplicate code '{code}'")
            seen.add(code)
        maxima = self.maxima(where, data.get("max"), parent)
        raw_children = self.sequence(where, data.get("children"), "children", required=False)
        children = tuple(
            c for i, item in enumerate(raw_children)
            if (c := self.indicator(item, maxima, seen, f"{index}.{i + 1}")) is not None
        )
        evidence = data.get("evidence")
        if raw_children:
            for key in ("rule", "evidence"):
                if data.get(key) is not None:
                    self.err(where, f"'{key}' belongs on leaves; this indicator has children")
            rule, evidence = None, "optional"
            for g, m in maxima.items():
                total = sum((c.max[g] for c in children if g in c.max), ZERO)
                if total != m:
                    self.warnings.append(Problem(where, f"children add up to {total} for '{g}', maximum is {m}"
                                                        + (" (capped)" if total > m else "")))
        else:
            rule = self.rule(where, data.get("rule"), maxima)
            if evidence is None:
                evidence = "optional"
            elif evidence not in EVIDENCE_LEVELS:
                self.err(where, f"evidence must be one of {', '.join(EVIDENCE_LEVELS)}, not {evidence!r}")
        if code is None or title is None or (not raw_children and rule is None):
            return None
        return Indicator(code, title, maxima, children, rule, evidence,
                         self.string(where, data, "appraiser", False), self.string(where, data, "guide", False))


def _award_le(lower: Award, upper: Award, maxima: dict[str, Decimal]) -> bool:
    """Does the lower tier give no more than the one above it, for every group?"""
    probes = list(maxima.values()) or [Decimal(100)]
    return all(lower.of(m) <= upper.of(m) for m in probes)


def build(data: Any, source: str = "") -> tuple[Framework, list[Problem]]:
    """Validate parsed framework data; returns the framework and its warnings or raises FrameworkInvalid."""
    b = _Builder()
    if not isinstance(data, dict):
        raise FrameworkInvalid(source, [Problem("", "not a framework: the file must be a mapping at the top")])
    b.keys("", data, TOP_KEYS)
    fmt = data.get("format")
    if fmt != FORMAT:
        b.err("format", f"must be '{FORMAT}', not {fmt!r}")
    fid = b.string("id", data, "id")
    if fid is not None and not ID_PATTERN.match(fid):
        b.err("id", f"'{fid}' must be lowercase letters, digits and '-'")
    title = b.string("title", data, "title")
    rnd = b.round(data.get("round"))
    groups = b.groups(data.get("groups"))
    b.group_codes = tuple(g.code for g in groups)
    grades = b.grades(data.get("grades"))
    seen: set[str] = set()
    info = b.info(data.get("info"), seen)
    raw_indicators = b.sequence("indicators", data.get("indicators"), "indicators")
    indicators = tuple(
        i for n, item in enumerate(raw_indicators) if (i := b.indicator(item, None, seen, str(n + 1))) is not None
    )
    if not raw_indicators and "indicators" in data:
        b.err("indicators", "at least one indicator is required")
    for g in groups:
        if indicators and not any(top.applies_to(g.code) for top in indicators):
            b.err("groups", f"group '{g.code}' has no indicator")
    reconstructed = data.get("reconstructed", False)
    if not isinstance(reconstructed, bool):
        b.err("reconstructed", "must be true or false")
        reconstructed = False
    decision = b.string("decision", data, "decision", False)
    default_appraiser = b.string("default_appraiser", data, "default_appraiser", False)
    notice = b.string("notice", data, "notice", False)
    if b.errors:
        raise FrameworkInvalid(source, b.errors)
    framework = Framework(
        id=fid or "", title=title or "", round=rnd, groups=groups, grades=grades, indicators=indicators,
        info=info, decision=decision, default_appraiser=default_appraiser, notice=notice,
        reconstructed=reconstructed,
    )
    return framework, b.warnings


# -- the inverse: model -> plain data ---------------------------------------------------------------

def _max_data(node: Indicator, parent_groups: tuple[str, ...]) -> Any:
    values = set(node.max.values())
    if tuple(node.max) == parent_groups and len(values) == 1:
        return next(iter(values))
    return dict(node.max)


def _indicator_data(node: Indicator, parent_groups: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title, "max": _max_data(node, parent_groups)}
    if node.is_leaf:
        assert node.rule is not None
        out["rule"] = {"type": node.rule.type, **node.rule.params()}
        out["evidence"] = node.evidence
    if node.appraiser:
        out["appraiser"] = node.appraiser
    if node.guide:
        out["guide"] = node.guide
    if node.children:
        out["children"] = [_indicator_data(c, tuple(node.max)) for c in node.children]
    return out


def to_data(framework: Framework) -> dict[str, Any]:
    """The framework as plain data in file order (Decimals and dates kept as such)."""
    rnd: dict[str, Any] = {"year": framework.round.year}
    if framework.round.start is not None:
        rnd["start"] = framework.round.start
        rnd["end"] = framework.round.end
    out: dict[str, Any] = {"format": FORMAT, "id": framework.id, "title": framework.title}
    if framework.decision:
        out["decision"] = framework.decision
    if framework.reconstructed:
        out["reconstructed"] = True
    if framework.notice:
        out["notice"] = framework.notice
    out["round"] = rnd
    out["groups"] = [{"code": g.code, "title": g.title, **({} if g.ranked else {"ranked": False})}
                     for g in framework.groups]
    out["grades"] = [{"label": g.label, "min": g.min} for g in framework.grades]
    if framework.default_appraiser:
        out["default_appraiser"] = framework.default_appraiser
    if framework.info:
        out["info"] = [_info_data(f) for f in framework.info]
    all_groups = tuple(g.code for g in framework.groups)
    out["indicators"] = [_indicator_data(top, all_groups) for top in framework.indicators]
    return out


def _info_data(f: InfoField) -> dict[str, Any]:
    out: dict[str, Any] = {"code": f.code, "title": f.title, "type": f.type}
    for key in ("unit", "appraiser", "guide"):
        if getattr(f, key):
            out[key] = getattr(f, key)
    if f.groups is not None:
        out["groups"] = list(f.groups)
    return out
