"""Entries as people type them -> typed values the engine reads, and the JSON kept in the store.

`parse_entry` is the single gatekeeper of what a unit may enter, typed by the indicator's rule: points
within 0..max, counts as non-negative whole numbers, shares in 0..1 or 0..100 %, a ≤ b where the rule is
a share, choices from the list. Every refusal is one line in Vietnamese and English.
"""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from typing import Any

from app.entries.numbers import NumberRefused, read_number, shown
from app.entries.workbook_layout import YES_NO
from app.errors import UserError
from app.scoring.model import Framework, Indicator, InfoField
from app.scoring.numbers import ONE, format_points, plain
from app.scoring.rules import (
    AppraiserOnlyRule,
    BestInGroupRule,
    ChoiceRule,
    CountRule,
    PartsRule,
    Ratio,
    RatioRule,
    TiersRule,
    YesNoRule,
)

YES = {"có", "co", "yes", "y", "x", "1", "true", "đạt", "dat", "đã", "da"}
NO = {"không", "khong", "no", "n", "0", "false", "chưa", "chua"}


class EntryRefused(UserError):
    pass


def _refuse(code: str, en: str, vi: str) -> EntryRefused:
    return EntryRefused(f"{code}: {en}", f"{code}: {vi}")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def _number(code: str, raw: Any, style: str) -> Decimal:
    try:
        return read_number(raw, style)
    except NumberRefused as e:
        raise _refuse(code, e.en, e.vi) from None


def _non_negative(code: str, raw: Any, style: str) -> Decimal:
    n = _number(code, raw, style)
    if n < 0:
        raise _refuse(code, f"{raw} is negative", f"{raw} là số âm")
    return n


def _whole(code: str, raw: Any, style: str) -> Decimal:
    n = _non_negative(code, raw, style)
    if n != n.to_integral_value():
        raise _refuse(code, f"{raw} is not a whole number", f"{raw} không phải số nguyên")
    return n.to_integral_value()


def _share(code: str, raw: Any, style: str) -> Decimal:
    """A share typed as 0,85 or 85 % (a bare number above 1 is refused: 85 or 0.85 cannot be guessed)."""
    text = str(raw).strip()
    percent = text.endswith("%")
    n = _non_negative(code, text.rstrip("%").strip() if percent else raw, style)
    if percent:
        n = n / 100
    if n > ONE:
        raise _refuse(code, f"{raw} is not a share: type 0.85 or 85 %", f"{raw} không phải tỷ lệ: nhập 0,85 hoặc 85 %")
    return n


def _fraction_parts(code: str, raw: Any, style: str) -> tuple[Decimal, Decimal | None]:
    """'a/b' or just 'a' (when b comes from an info field)."""
    if isinstance(raw, (list, tuple)) and len(raw) == 2:
        return _non_negative(code, raw[0], style), _non_negative(code, raw[1], style)
    if isinstance(raw, dict) and set(raw) == {"a", "b"}:
        return _non_negative(code, raw["a"], style), _non_negative(code, raw["b"], style)
    text = str(raw).strip()
    if "/" in text:
        a, _, b = text.partition("/")
        return _non_negative(code, a, style), _non_negative(code, b, style)
    return _non_negative(code, raw, style), None


def parse_indicator_entry(node: Indicator, group: str, raw: Any, info: dict[str, Any], style: str = "vi") -> Any:
    """The typed value of one leaf from what a person or a file gave, numbers read in `style` (app.entries.numbers);
    raises EntryRefused."""
    code = node.code
    rule = node.rule
    maximum = node.max[group]
    if isinstance(raw, str) and not raw.strip():
        raise _refuse(code, "empty value (use `dti entry clear` to remove a value)", "giá trị trống")
    if isinstance(rule, AppraiserOnlyRule):
        raise _refuse(code, "this indicator is scored by the appraiser, not entered by the unit",
                      "chỉ tiêu này do cơ quan thẩm định chấm, đơn vị không nhập")
    if isinstance(rule, YesNoRule):
        if isinstance(raw, bool):
            return raw
        word = _norm(str(raw)).lower()
        if word in YES:
            return True
        if word in NO:
            return False
        raise _refuse(code, f"'{raw}': answer có/không (yes/no)", f"'{raw}': hãy trả lời có hoặc không")
    if isinstance(rule, (RatioRule, BestInGroupRule)) or (isinstance(rule, TiersRule) and rule.on == "share"):
        denominator = getattr(rule, "denominator", None)
        if isinstance(rule, TiersRule) and not denominator and "/" not in str(raw):
            return _share(code, raw, style)  # a share typed directly: 0,85 or 85 %
        a, b = _fraction_parts(code, raw, style)
        if b is not None and denominator:
            raise _refuse(code, f"enter only a: b is {denominator} in the general information",
                          f"chỉ nhập tử số: mẫu số là {denominator} ở Thông tin chung")
        is_share = not isinstance(rule, BestInGroupRule)
        if isinstance(rule, BestInGroupRule) and b is None and not denominator:
            return a
        if b is None and not denominator:
            raise _refuse(code, f"'{raw}': enter the ratio as a/b", f"'{raw}': nhập tỷ lệ dạng a/b")
        known_b = b if b is not None else _info_number(info, denominator)
        if known_b is not None and is_share and a > known_b:
            raise _refuse(code, f"{plain(a)} is more than {plain(known_b)}" + (f" ({denominator})" if denominator else ""),
                          f"{plain(a)} lớn hơn {plain(known_b)}" + (f" ({denominator})" if denominator else ""))
        if b is not None and b == 0:
            raise _refuse(code, "the denominator b is 0", "mẫu số b bằng 0")
        return Ratio(a, b) if b is not None else a
    if isinstance(rule, (TiersRule, CountRule)):
        return _whole(code, raw, style)
    if isinstance(rule, ChoiceRule):
        return _choice(code, rule, raw)
    if isinstance(rule, PartsRule):
        return _parts(code, rule, raw)
    points = _non_negative(code, raw, style)  # points
    if points > maximum:
        raise _refuse(code, f"{plain(points)} is over the maximum {plain(maximum)}",
                      f"{format_points(points)} vượt điểm tối đa {format_points(maximum)}")
    return points


def _info_number(info: dict[str, Any], code: str | None) -> Decimal | None:
    value = info.get(code) if code else None
    return value if isinstance(value, Decimal) else None


def _choice(code: str, rule: ChoiceRule, raw: Any) -> str:
    text = _norm(str(raw))
    for i, option in enumerate(rule.options, 1):
        if text.casefold() in (option.code.casefold(), option.label.casefold(), str(i)):
            return option.code
    listed = "; ".join(f"{i}. {o.label} ({o.code})" for i, o in enumerate(rule.options, 1))
    raise _refuse(code, f"'{raw}' is not one of: {listed}", f"'{raw}' không có trong danh sách: {listed}")


def _parts(code: str, rule: PartsRule, raw: Any) -> frozenset[str]:
    items = list(raw) if isinstance(raw, (list, tuple, set, frozenset)) else [
        p for p in re.split(r"[;,]", _norm(str(raw))) if p.strip()]
    if len(items) == 1 and _norm(str(items[0])).casefold() in ("-", "không", "khong", "none"):
        return frozenset()
    chosen = set()
    for item in items:
        text = _norm(str(item)).casefold()
        match = next((p.code for i, p in enumerate(rule.parts, 1)
                      if text in (p.code.casefold(), p.label.casefold(), str(i))), None)
        if match is None:
            listed = "; ".join(f"{i}. {p.label} ({p.code})" for i, p in enumerate(rule.parts, 1))
            raise _refuse(code, f"'{item}' is not one of the parts: {listed}",
                          f"'{item}' không phải nội dung nào trong: {listed}")
        chosen.add(match)
    return frozenset(chosen)


def parse_info_entry(field: InfoField, raw: Any, style: str = "vi") -> Any:
    code = field.code
    if field.type == "text":
        text = _norm(str(raw))
        if not text:
            raise _refuse(code, "empty value", "giá trị trống")
        if len(text) > 2000:
            raise _refuse(code, "text longer than 2000 characters", "nội dung dài quá 2000 ký tự")
        return text
    if field.type == "integer":
        return _whole(code, raw, style)
    return _non_negative(code, raw, style)


def parse_entry(framework: Framework, group: str, code: str, raw: Any, info: dict[str, Any],
                style: str = "vi") -> tuple[str, Any]:
    """('indicator' | 'info', typed value) for a code of the unit's framework and group; numbers in text are read
    in `style` ("vi" by default: 4.200 is four thousand two hundred, 1.5 is refused; see app.entries.numbers)."""
    code = _norm(str(code))
    field = framework.info_field(code)
    if field is not None:
        if not field.applies_to(group):
            raise _refuse(code, f"general information {code} is not asked of group {group}",
                          f"thông tin {code} không áp dụng cho nhóm {group}")
        return "info", parse_info_entry(field, raw, style)
    if not framework.has_indicator(code):
        raise _refuse(code, f"no indicator or information field with this code in {framework.id}",
                      f"không có chỉ tiêu hay thông tin mã này trong bộ chỉ số {framework.id}")
    node = framework.indicator(code)
    if not node.applies_to(group):
        raise _refuse(code, f"does not apply to group {group}", f"không áp dụng cho nhóm {group}")
    if not node.is_leaf:
        raise _refuse(code, "has sub-indicators: enter values on them", "có chỉ tiêu con: hãy nhập ở các chỉ tiêu con")
    return "indicator", parse_indicator_entry(node, group, raw, info, style)


# -- the store's JSON form -------------------------------------------------------------------------

def encode(value: Any) -> str:
    if isinstance(value, bool):
        data: dict[str, Any] = {"b": value}
    elif isinstance(value, (Decimal, int)):
        data = {"n": plain(Decimal(value))}
    elif isinstance(value, Ratio):
        data = {"a": plain(value.a), "d": None if value.b is None else plain(value.b)}
    elif isinstance(value, frozenset):
        data = {"p": sorted(value)}
    elif isinstance(value, str):
        data = {"s": value}
    else:
        raise TypeError(f"cannot store {type(value).__name__}")
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def decode(text: str) -> Any:
    return decode_parsed(json.loads(text))


MAX_TEXT_VALUE = 2000     # characters of a text or choice value (parse_info_entry's limit)
MAX_OPTIONS = 200         # parts chosen in one value


def decode_checked(data: Any) -> Any:
    """`decode_parsed` of a value from another installation, its shape checked first: {"b": bool}, {"n": number},
    {"a": number, "d": number|null}, {"p": [text]} or {"s": text}, numbers as at most 40 characters with an
    exponent within ±30. Decimal('1e999999999') is a valid Decimal, and writing it out in full (as `render` does
    to read it back through `parse_entry`) would take hours. Raises ValueError with the reason."""
    if not isinstance(data, dict) or set(data) not in ({"b"}, {"n"}, {"a", "d"}, {"p"}, {"s"}):
        raise ValueError("not a stored value ({b}, {n}, {a, d}, {p} or {s})")
    if "b" in data and not isinstance(data["b"], bool):
        raise ValueError("a yes/no value is not true or false")
    for key in ("n", "a", "d"):
        if key in data and not (key == "d" and data[key] is None):
            _stored_number(data[key])
    if "p" in data and (not isinstance(data["p"], list) or len(data["p"]) > MAX_OPTIONS
                        or not all(isinstance(o, str) and len(o) <= MAX_TEXT_VALUE for o in data["p"])):
        raise ValueError("the parts chosen are not a short list of texts")
    if "s" in data and (not isinstance(data["s"], str) or len(data["s"]) > MAX_TEXT_VALUE):
        raise ValueError(f"a text value is not text of at most {MAX_TEXT_VALUE} characters")
    return decode_parsed(data)


def _stored_number(raw: Any) -> None:
    try:
        value = Decimal(raw) if isinstance(raw, str) and len(raw) <= 40 else None
    except ArithmeticError:
        value = None
    exponent = value.as_tuple().exponent if value is not None else None
    if value is None or not value.is_finite() or not isinstance(exponent, int) or not -30 <= exponent <= 30 \
            or abs(value.adjusted()) > 30:
        shown = str(raw)[:40] if isinstance(raw, str) else repr(raw)[:40]
        raise ValueError(f"'{shown}' is not a number")


def decode_parsed(data: dict) -> Any:
    """`decode` of a value already parsed from JSON (a submission's data, parsed once for all its values)."""
    if "b" in data:
        return bool(data["b"])
    if "n" in data:
        return Decimal(data["n"])
    if "a" in data:
        return Ratio(Decimal(data["a"]), None if data["d"] is None else Decimal(data["d"]))
    if "p" in data:
        return frozenset(data["p"])
    return data["s"]


def display(value: Any, lang: str = "vi") -> str:
    """An entry as a person reads it (audit log, check list, templates)."""
    vi = lang == "vi"
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("có" if value else "không") if vi else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return format_points(value, lang) if value != value.to_integral_value() else plain(value)
    if isinstance(value, Ratio):
        a = display(value.a, lang)
        return a if value.b is None else f"{a}/{display(value.b, lang)}"
    if isinstance(value, frozenset):
        return ", ".join(sorted(value)) if value else "-"
    return str(value)


def echo(value: Any, style: str = "vi", lang: str = "vi") -> str:
    """The value the application understood, as it is echoed beside the box and after `dti entry set`: every
    digit, thousands grouped the way the number was read (`= 4.200`, `= 4.200,5`, `= 3/4.200`)."""
    if isinstance(value, Decimal):
        return shown(value, style)
    if isinstance(value, Ratio):
        a = shown(value.a, style)
        return a if value.b is None else f"{a}/{shown(value.b, style)}"
    return display(value, lang)


def number_text(value: Decimal, lang: str) -> str:
    """A Decimal exactly, as `read_number` reads it back in the same style: 30,5 (vi) or 30.5 (en), never
    thousands separators."""
    text = plain(value)
    return text.replace(".", ",") if lang == "vi" else text


def render(value: Any, lang: str = "vi") -> str:
    """A typed value as exact text `parse_entry` reads back to the same value (unlike `display`, which
    rounds numbers to 2 decimals and groups thousands for reading)."""
    if isinstance(value, bool):
        yes, no = YES_NO.get(lang, YES_NO["vi"])
        return yes if value else no
    if isinstance(value, Decimal):
        return number_text(value, lang)
    if isinstance(value, Ratio):
        a = number_text(value.a, lang)
        return a if value.b is None else f"{a}/{number_text(value.b, lang)}"
    if isinstance(value, (frozenset, set)):
        return ", ".join(sorted(value)) if value else "-"
    return str(value)
