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
from app.scoring.numbers import ONE, ZERO, format_points, format_share, parse_decimal
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
    """One reason a framework is refused (or a warning), in English (`str()`) and Vietnamese (`vi`)."""

    where: str    # the code, field or cell concerned
    reason: str
    reason_vi: str = ""   # the same reason in Vietnamese; the English one stands in when missing
    where_vi: str = ""    # the place in Vietnamese when it has words ("trang tính 'Chỉ số', ô A9")

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason

    @property
    def vi(self) -> str:
        """The Vietnamese line (lỗi bằng tiếng Việt), in the shape of `str()`."""
        where, reason = self.where_vi or self.where, self.reason_vi or self.reason
        return f"{where}: {reason}" if where else reason


class FrameworkInvalid(ValueError):
    """A framework file that cannot be accepted; `problems` lists every reason found. The message is the
    English line; `message_vi` is the same line in Vietnamese (bộ chỉ số không hợp lệ)."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        first = problems[0] if problems else Problem("", "invalid framework", "bộ chỉ số không hợp lệ")
        extra = max(len(problems) - 1, 0)
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra else ""
        more_vi = f" (và {extra} lỗi khác)" if extra else ""
        self.message_vi = f"{source}: {first.vi}{more_vi}" if source else f"{first.vi}{more_vi}"
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
    def err(self, where: str, reason: str, reason_vi: str) -> None:
        self.errors.append(Problem(where, reason, reason_vi, _where_vi(where)))

    def warn(self, where: str, reason: str, reason_vi: str) -> None:
        self.warnings.append(Problem(where, reason, reason_vi, _where_vi(where)))

    def keys(self, where: str, data: dict, allowed: tuple[str, ...]) -> None:
        for key in data:
            if key not in allowed:
                self.err(where, f"unknown field '{key}' (allowed: {', '.join(allowed)})",
                         f"trường '{key}' không hợp lệ (các trường được phép: {', '.join(allowed)})")

    def code(self, where: str, data: dict) -> str | None:
        """Codes must be written as text: YAML reads `1.10` as the number 1.1 and `010` as 8."""
        raw = data.get("code")
        if raw is not None and not isinstance(raw, str):
            self.err(where, f"code {raw!r} must be quoted text, e.g. code: \"1.10\"",
                     f"mã {raw!r} phải viết dạng văn bản trong dấu ngoặc kép, ví dụ code: \"1.10\"")
            return None
        return self.string(where, data, "code")

    def string(self, where: str, data: dict, key: str, required: bool = True) -> str | None:
        raw = data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.err(where, f"'{key}' is required", f"thiếu trường bắt buộc '{key}'")
            return None
        if isinstance(raw, (dict, list, bool)):
            self.err(where, f"'{key}' must be text", f"'{key}' phải là văn bản")
            return None
        return text(raw)

    def number(self, where: str, raw: Any, what: str, what_vi: str, low: Decimal | None = ZERO,
               high: Decimal | None = None) -> Decimal | None:
        try:
            value = parse_decimal(raw)
        except ValueError:
            self.err(where, f"{what} must be a number, not {raw!r}", f"{what_vi} phải là một số, không phải {raw!r}")
            return None
        if low is not None and value < low:
            self.err(where, f"{what} must be at least {low}, not {value}",
                     f"{what_vi} phải lớn hơn hoặc bằng {low}, không phải {value}")
            return None
        if high is not None and value > high:
            self.err(where, f"{what} must be at most {high}, not {value}",
                     f"{what_vi} phải nhỏ hơn hoặc bằng {high}, không phải {value}")
            return None
        return value

    def mapping(self, where: str, raw: Any, what: str, what_vi: str) -> dict | None:
        if not isinstance(raw, dict):
            self.err(where, f"{what} must be a mapping", f"{what_vi} phải là một ánh xạ (các cặp khóa: giá trị)")
            return None
        return raw

    def sequence(self, where: str, raw: Any, what: str, required: bool = True) -> list:
        if raw is None:
            if required:
                self.err(where, f"'{what}' is required", f"thiếu trường bắt buộc '{what}'")
            return []
        if not isinstance(raw, list):
            self.err(where, f"'{what}' must be a list", f"'{what}' phải là một danh sách")
            return []
        return raw

    # -- sections ----------------------------------------------------------------------------------
    def round(self, raw: Any) -> Round:
        data = self.mapping("round", raw, "round", "'round' (đợt đánh giá)") or {}
        self.keys("round", data, ("year", "start", "end"))
        year = data.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            self.err("round", f"'year' must be a year such as 2023, not {year!r}",
                     f"'year' phải là một năm, ví dụ 2023, không phải {year!r}")
            year = 2000
        start, end = (self.day("round", data.get(k), k) for k in ("start", "end"))
        if (start is None) != (end is None):
            self.err("round", "give both 'start' and 'end', or neither",
                     "phải ghi cả 'start' và 'end', hoặc bỏ cả hai")
        elif start and end and start > end:
            self.err("round", f"'start' {start.isoformat()} is after 'end' {end.isoformat()}",
                     f"ngày bắt đầu 'start' {start.isoformat()} sau ngày kết thúc 'end' {end.isoformat()}")
        return Round(year, start, end)

    def day(self, where: str, raw: Any, key: str) -> date | None:
        if raw is None:
            return None
        if isinstance(raw, date):
            return raw if not hasattr(raw, "hour") else raw.date()  # type: ignore[union-attr]
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            self.err(where, f"'{key}' must be a date YYYY-MM-DD, not {raw!r}",
                     f"'{key}' phải là ngày dạng YYYY-MM-DD, không phải {raw!r}")
            return None

    def groups(self, raw: Any) -> tuple[Group, ...]:
        out: list[Group] = []
        for i, item in enumerate(self.sequence("groups", raw, "groups")):
            where = f"groups[{i + 1}]"
            data = self.mapping(where, item, "a group", "mỗi nhóm")
            if data is None:
                continue
            self.keys(where, data, ("code", "title", "ranked"))
            code = self.string(where, data, "code")
            title = self.string(where, data, "title")
            ranked = data.get("ranked", True)
            if not isinstance(ranked, bool):
                self.err(where, "'ranked' must be true or false", "'ranked' phải là true hoặc false")
                ranked = True
            if code is not None and not ID_PATTERN.match(code):
                self.err(where, f"group code '{code}' must be lowercase letters, digits and '-'",
                         f"mã nhóm '{code}' chỉ được gồm chữ thường, chữ số và '-'")
            elif code in {g.code for g in out}:
                self.err(where, f"duplicate group code '{code}'", f"mã nhóm '{code}' bị trùng")
            elif code and title:
                out.append(Group(code, title, ranked))
        if not out and not any(p.where.startswith("groups") for p in self.errors):
            self.err("groups", "at least one group is required", "cần ít nhất một nhóm")
        return tuple(out)

    def grades(self, raw: Any) -> tuple[Grade, ...]:
        out: list[Grade] = []
        for i, item in enumerate(self.sequence("grades", raw, "grades")):
            where = f"grades[{i + 1}]"
            data = self.mapping(where, item, "a grade", "mỗi mức xếp loại")
            if data is None:
                continue
            self.keys(where, data, ("label", "min"))
            label = self.string(where, data, "label")
            minimum = self.number(where, data.get("min"), "'min'", "tỷ lệ tối thiểu 'min'", ZERO, ONE)
            if label is None or minimum is None:
                continue
            if out and minimum >= out[-1].min:
                self.err(where, f"grades must be listed highest first: {minimum} after {out[-1].min}",
                         f"các mức xếp loại phải xếp từ cao xuống thấp: {minimum} đứng sau {out[-1].min}")
            if label in {g.label for g in out}:
                self.err(where, f"duplicate grade label '{label}'", f"tên xếp loại '{label}' bị trùng")
            out.append(Grade(label, minimum))
        if out and out[-1].min != 0:
            self.warn("grades", f"no band starts at 0: shares below {out[-1].min} get no grade",
                      f"không có mức xếp loại nào bắt đầu từ 0: tỷ lệ dưới {format_share(out[-1].min)} sẽ không được xếp loại")
        if not out and not any(p.where.startswith("grades") for p in self.errors):
            self.err("grades", "at least one grade band is required", "cần ít nhất một mức xếp loại")
        return tuple(out)

    def info(self, raw: Any, seen: set[str]) -> tuple[InfoField, ...]:
        out: list[InfoField] = []
        for i, item in enumerate(self.sequence("info", raw, "info", required=False)):
            data = self.mapping(f"info[{i + 1}]", item, "an info field", "mỗi trường thông tin chung")
            if data is None:
                continue
            code = self.code(f"info[{i + 1}]", data)
            where = code or f"info[{i + 1}]"
            self.keys(where, data, INFO_KEYS)
            title = self.string(where, data, "title")
            kind = data.get("type", "integer")
            if kind not in INFO_TYPES:
                self.err(where, f"unknown info type {kind!r} (allowed: {', '.join(INFO_TYPES)})",
                         f"kiểu thông tin {kind!r} không hợp lệ (các kiểu được phép: {', '.join(INFO_TYPES)})")
                kind = "integer"
            groups = data.get("groups")
            group_tuple: tuple[str, ...] | None = None
            if groups is not None:
                if not isinstance(groups, list) or not groups:
                    self.err(where, "'groups' must be a non-empty list of group codes",
                             "'groups' phải là danh sách mã nhóm, không được để trống")
                else:
                    group_tuple = tuple(text(g) for g in groups)
                    for g in group_tuple:
                        if g not in self.group_codes:
                            self.err(where, f"unknown group '{g}'", f"nhóm '{g}' không được khai báo")
            if code is None or title is None:
                continue
            if not CODE_PATTERN.match(code):
                self.err(where, "a code is letters, digits, '.', '-' or '_' (at most 40)", _CODE_FORM_VI)
            if code in seen:
                self.err(where, f"duplicate code '{code}'", f"mã '{code}' bị trùng")
            seen.add(code)
            field = InfoField(code, title, kind, self.string(where, data, "unit", False), group_tuple,
                              self.string(where, data, "appraiser", False), self.string(where, data, "guide", False))
            out.append(field)
            self.info_codes[code] = field
        return tuple(out)

    def maxima(self, where: str, raw: Any, parent: dict[str, Decimal] | None) -> dict[str, Decimal]:
        if raw is None:
            self.err(where, "'max' is required", "thiếu điểm tối đa 'max' (bắt buộc)")
            return {}
        if isinstance(raw, dict):
            out: dict[str, Decimal] = {}
            for group, value in raw.items():
                g = text(group)
                if g not in self.group_codes:
                    self.err(where, f"unknown group '{g}' in 'max' (groups: {', '.join(self.group_codes)})",
                             f"nhóm '{g}' trong 'max' không được khai báo (các nhóm: {', '.join(self.group_codes)})")
                    continue
                number = self.number(where, value, f"max for {g}", f"điểm tối đa của nhóm '{g}'")
                if number is not None:
                    out[g] = number
        else:
            number = self.number(where, raw, "'max'", "điểm tối đa 'max'")
            if number is None:
                return {}
            # A plain number applies to every group the parent has (every group at the top).
            out = {g: number for g in (parent.keys() if parent is not None else self.group_codes)}
        if parent is not None:
            for g in out:
                if g not in parent:
                    self.err(where, f"applies to group '{g}' but its parent does not",
                             f"áp dụng cho nhóm '{g}' nhưng chỉ số cha thì không")
        if not out and isinstance(raw, dict) and not raw:
            self.err(where, "'max' names no group: the indicator would apply to nobody",
                     "'max' không nêu nhóm nào: chỉ số sẽ không áp dụng cho đơn vị nào")
        # keep the framework's group order so that equal models compare equal
        return {g: out[g] for g in self.group_codes if g in out}

    def award(self, where: str, data: dict, maxima: dict[str, Decimal], what: str, what_vi: str) -> Award | None:
        has_points, has_fraction = "points" in data, "fraction" in data
        if has_points == has_fraction:
            self.err(where, f"{what} needs exactly one of 'points' or 'fraction'",
                     f"{what_vi} phải có đúng một trong hai trường 'points' hoặc 'fraction'")
            return None
        if has_fraction:
            fraction = self.number(where, data["fraction"], f"{what} fraction", f"tỷ lệ 'fraction' của {what_vi}",
                                   ZERO, ONE)
            return None if fraction is None else Award(fraction=fraction)
        points = self.number(where, data["points"], f"{what} points", f"số điểm 'points' của {what_vi}")
        if points is None:
            return None
        for g, m in maxima.items():
            if points > m:
                self.err(where, f"{what} gives {points} points, more than the maximum {m} for '{g}'",
                         f"{what_vi} cho {points} điểm, vượt điểm tối đa {m} của nhóm '{g}'")
                return None
        return Award(points=points)

    def denominator(self, where: str, data: dict, maxima: dict[str, Decimal]) -> str | None:
        raw = data.get("denominator")
        if raw is None:
            return None
        code = text(raw)
        field = self.info_codes.get(code)
        if field is None:
            self.err(where, f"denominator '{code}' is not an info field",
                     f"mẫu số '{code}' không phải là một trường thông tin chung")
        elif field.type == "text":
            self.err(where, f"denominator '{code}' is a text field, not a number",
                     f"mẫu số '{code}' là trường văn bản, không phải số")
        else:
            missing = [g for g in maxima if not field.applies_to(g)]
            if missing:
                self.err(where, f"denominator '{code}' is not asked of group(s) {', '.join(missing)} "
                                "that this indicator applies to",
                         f"mẫu số '{code}' không được hỏi ở nhóm {', '.join(missing)}, "
                         "trong khi chỉ số này áp dụng cho các nhóm đó")
        return code

    def rule(self, where: str, raw: Any, maxima: dict[str, Decimal]) -> Rule | None:
        if raw is None:
            return PointsRule()
        data = self.mapping(where, raw, "'rule'", "quy tắc 'rule'")
        if data is None:
            return None
        kind = data.get("type")
        if kind not in RULE_TYPES:
            self.err(where, f"unknown rule type {kind!r} (known: {', '.join(RULE_TYPES)})",
                     f"loại quy tắc {kind!r} không hợp lệ (các loại hợp lệ: {', '.join(RULE_TYPES)})")
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
            target = self.number(where, data.get("target", 1), "ratio target", "mục tiêu tỷ lệ 'target'", ZERO, ONE)
            if target is not None and target == 0:
                self.err(where, "ratio target must be above 0", "mục tiêu tỷ lệ 'target' phải lớn hơn 0")
            rule = RatioRule(self.denominator(where, data, maxima), target or ONE)
        elif kind == "tiers":
            rule = self.tiers(where, data, maxima)
        elif kind == "choice":
            rule = self.choice(where, data)
        elif kind == "parts":
            rule = self.parts(where, data, maxima)
        elif kind == "count":
            per_item = self.number(where, data.get("per_item", 1), "per_item", "số điểm mỗi mục 'per_item'")
            if per_item is not None and per_item == 0:
                self.err(where, "per_item must be above 0", "số điểm mỗi mục 'per_item' phải lớn hơn 0")
            cap = data.get("cap")
            if cap is not None and (isinstance(cap, bool) or not isinstance(cap, int) or cap < 1):
                self.err(where, f"cap must be a whole number of items ≥ 1, not {cap!r}",
                         f"số mục tối đa 'cap' phải là số nguyên ≥ 1, không phải {cap!r}")
                cap = None
            rule = CountRule(per_item or ONE, cap)
        else:
            rule = BestInGroupRule(self.denominator(where, data, maxima))
        return rule if len(self.errors) == before else None

    def tiers(self, where: str, data: dict, maxima: dict[str, Decimal]) -> TiersRule | None:
        on = data.get("on", "count")
        if on not in ("count", "share"):
            self.err(where, f"tiers 'on' must be count or share, not {on!r}",
                     f"'on' của các bậc phải là count hoặc share, không phải {on!r}")
            return None
        denominator = self.denominator(where, data, maxima)
        if on == "count" and denominator is not None:
            self.err(where, "a denominator only makes sense for tiers on a share",
                     "mẫu số chỉ dùng cho các bậc tính theo tỷ lệ (on: share)")
        raw = self.sequence(where, data.get("tiers"), "tiers")
        if not raw:
            if "tiers" in data:
                self.err(where, "tiers need at least one threshold", "cần ít nhất một bậc (ngưỡng)")
            return None
        tiers: list[Tier] = []
        for i, item in enumerate(raw):
            what, what_vi = f"tier {i + 1}", f"bậc {i + 1}"
            entry = self.mapping(where, item, what, what_vi)
            if entry is None:
                return None
            self.keys(where, entry, ("min", "points", "fraction"))
            high = ONE if on == "share" else None
            minimum = self.number(where, entry.get("min"), f"{what} min", f"ngưỡng 'min' của {what_vi}", ZERO, high)
            award = self.award(where, entry, maxima, what, what_vi)
            if minimum is None or award is None:
                return None
            if on == "count" and minimum != minimum.to_integral_value():
                self.err(where, f"{what} min must be a whole count, not {minimum}",
                         f"ngưỡng 'min' của {what_vi} phải là số nguyên, không phải {minimum}")
                return None
            if tiers and minimum >= tiers[-1].min:
                self.err(where, f"tiers must be sorted highest first: {minimum} after {tiers[-1].min}",
                         f"các bậc phải xếp từ cao xuống thấp: {minimum} đứng sau {tiers[-1].min}")
                return None
            if tiers and not _award_le(award, tiers[-1].award, maxima):
                self.err(where, f"{what} gives more than the tier above it (tiers must not reward less)",
                         f"{what_vi} cho nhiều điểm hơn bậc trên nó (bậc thấp hơn không được cho nhiều điểm hơn)")
                return None
            tiers.append(Tier(minimum, award))
        return TiersRule(on, tuple(tiers), denominator)

    def choice(self, where: str, data: dict) -> ChoiceRule | None:
        options: list[Option] = []
        for i, item in enumerate(self.sequence(where, data.get("options"), "options")):
            entry = self.mapping(where, item, f"option {i + 1}", f"phương án {i + 1}")
            if entry is None:
                return None
            self.keys(where, entry, ("code", "label", "fraction"))
            code, label = self.string(where, entry, "code"), self.string(where, entry, "label")
            fraction = self.number(where, entry.get("fraction"), f"option {i + 1} fraction",
                                   f"tỷ lệ 'fraction' của phương án {i + 1}", ZERO, ONE)
            if code is None or label is None or fraction is None:
                return None
            if not OPTION_PATTERN.match(code):
                self.err(where, f"option code '{code}' must be lowercase letters, digits, '-' or '_'",
                         f"mã phương án '{code}' chỉ được gồm chữ thường, chữ số, '-' hoặc '_'")
                return None
            if code in {o.code for o in options}:
                self.err(where, f"duplicate option code '{code}'", f"mã phương án '{code}' bị trùng")
                return None
            options.append(Option(code, label, fraction))
        if len(options) < 2:
            if "options" in data and isinstance(data.get("options"), list):
                self.err(where, "a choice needs at least two options",
                         "quy tắc lựa chọn (choice) cần ít nhất hai phương án")
            return None
        return ChoiceRule(tuple(options))

    def parts(self, where: str, data: dict, maxima: dict[str, Decimal]) -> PartsRule | None:
        parts: list[Part] = []
        for i, item in enumerate(self.sequence(where, data.get("parts"), "parts")):
            entry = self.mapping(where, item, f"part {i + 1}", f"thành phần {i + 1}")
            if entry is None:
                return None
            self.keys(where, entry, ("code", "label", "points", "fraction"))
            code, label = self.string(where, entry, "code"), self.string(where, entry, "label")
            award = self.award(where, entry, maxima, f"part {i + 1}", f"thành phần {i + 1}")
            if code is None or label is None or award is None:
                return None
            if not OPTION_PATTERN.match(code):
                self.err(where, f"part code '{code}' must be lowercase letters, digits, '-' or '_'",
                         f"mã thành phần '{code}' chỉ được gồm chữ thường, chữ số, '-' hoặc '_'")
                return None
            if code in {p.code for p in parts}:
                self.err(where, f"duplicate part code '{code}'", f"mã thành phần '{code}' bị trùng")
                return None
            parts.append(Part(code, label, award))
        if not parts:
            if "parts" in data and isinstance(data.get("parts"), list):
                self.err(where, "parts need at least one part", "quy tắc thành phần (parts) cần ít nhất một thành phần")
            return None
        for g, m in maxima.items():
            total = sum((p.award.of(m) for p in parts), ZERO)
            if total > m:
                self.warn(where, f"parts add up to {total} for '{g}', above the maximum {m} (capped)",
                          f"tổng điểm các thành phần là {format_points(total)} với nhóm '{g}', vượt điểm tối đa "
                          f"{format_points(m)} (chỉ tính đến mức tối đa)")
        return PartsRule(tuple(parts))

    def indicator(self, raw: Any, parent: dict[str, Decimal] | None, seen: set[str], index: str) -> Indicator | None:
        data = self.mapping(f"indicator {index}", raw, "an indicator", "mỗi chỉ số")
        if data is None:
            return None
        code = self.code(f"indicator {index}", data)
        where = code or f"indicator {index}"
        self.keys(where, data, INDICATOR_KEYS)
        title = self.string(where, data, "title")
        if code is not None:
            if not CODE_PATTERN.match(code):
                self.err(where, "a code is letters, digits, '.', '-' or '_' (at most 40)", _CODE_FORM_VI)
            if code in seen:
                self.err(where, f"duplicate code '{code}'", f"mã '{code}' bị trùng")
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
                    self.err(where, f"'{key}' belongs on leaves; this indicator has children",
                             f"'{key}' chỉ đặt ở chỉ số không có chỉ số con; chỉ số này có chỉ số con")
            rule, evidence = None, "optional"
            for g, m in maxima.items():
                total = sum((c.max[g] for c in children if g in c.max), ZERO)
                if total != m:
                    capped = total > m
                    self.warn(where, f"children add up to {total} for '{g}', maximum is {m}"
                                     + (" (capped)" if capped else ""),
                              f"tổng điểm các chỉ số con là {total} với nhóm '{g}', điểm tối đa là {m}"
                              + (" (chỉ tính đến mức tối đa)" if capped else ""))
        else:
            rule = self.rule(where, data.get("rule"), maxima)
            if evidence is None:
                evidence = "optional"
            elif evidence not in EVIDENCE_LEVELS:
                self.err(where, f"evidence must be one of {', '.join(EVIDENCE_LEVELS)}, not {evidence!r}",
                         f"minh chứng 'evidence' phải là một trong {', '.join(EVIDENCE_LEVELS)}, không phải {evidence!r}")
        if code is None or title is None or (not raw_children and rule is None):
            return None
        return Indicator(code, title, maxima, children, rule, evidence,
                         self.string(where, data, "appraiser", False), self.string(where, data, "guide", False))


_CODE_FORM_VI = "mã chỉ được gồm chữ cái, chữ số, '.', '-' hoặc '_' (tối đa 40 ký tự)"


def _where_vi(where: str) -> str:
    """The builder's places are codes and field names, the same in both languages, except an indicator
    named by its position because its code is missing or wrong ("indicator 1.2")."""
    return f"chỉ số ở vị trí {where[len('indicator '):]}" if where.startswith("indicator ") else ""


def _award_le(lower: Award, upper: Award, maxima: dict[str, Decimal]) -> bool:
    """Does the lower tier give no more than the one above it, for every group?"""
    probes = list(maxima.values()) or [Decimal(100)]
    return all(lower.of(m) <= upper.of(m) for m in probes)


def build(data: Any, source: str = "") -> tuple[Framework, list[Problem]]:
    """Validate parsed framework data; returns the framework and its warnings or raises FrameworkInvalid."""
    b = _Builder()
    if not isinstance(data, dict):
        raise FrameworkInvalid(source, [Problem("", "not a framework: the file must be a mapping at the top",
                                                "không phải bộ chỉ số: cấp trên cùng của tệp phải là một ánh xạ "
                                                "(các cặp khóa: giá trị)")])
    b.keys("", data, TOP_KEYS)
    fmt = data.get("format")
    if fmt != FORMAT:
        b.err("format", f"must be '{FORMAT}', not {fmt!r}", f"phải là '{FORMAT}', không phải {fmt!r}")
    fid = b.string("id", data, "id")
    if fid is not None and not ID_PATTERN.match(fid):
        b.err("id", f"'{fid}' must be lowercase letters, digits and '-'",
              f"'{fid}' chỉ được gồm chữ thường, chữ số và '-'")
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
        b.err("indicators", "at least one indicator is required", "cần ít nhất một chỉ số")
    for g in groups:
        if indicators and not any(top.applies_to(g.code) for top in indicators):
            b.err("groups", f"group '{g.code}' has no indicator", f"nhóm '{g.code}' không có chỉ số nào")
    reconstructed = data.get("reconstructed", False)
    if not isinstance(reconstructed, bool):
        b.err("reconstructed", "must be true or false", "phải là true hoặc false")
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
