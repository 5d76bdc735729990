"""Numbers as people type them, the one reader behind every entry: the desktop application's boxes, `dti entry
set`, the Excel template's text cells and JSON import.

Vietnamese officials write `.` between thousands and `,` before decimals, and the application prints numbers
that way (`4.200`, `4.200,5`). Read the Vietnamese way (the default), with no guessing:

- `4.200`, `1.234.567`, `4.200,5`: a dot followed by exactly three digits groups thousands (so `4.200` is four
  thousand two hundred, never 4,2);
- `1 234 567`, with normal, non-breaking or narrow non-breaking spaces: also grouped thousands;
- `1,5`, `0,75`, `30,5`: the comma is the decimal mark;
- `1.5`, `12.75`, `1.2345`: a dot that does not group three digits could be an English decimal point or a
  mistyped thousands group; it is refused, with both readings (`1,5` or `15` / `1.500`), never guessed.

English style (`dti config set number_format en`, for people who type English numbers) is the mirror image:
`,` groups thousands, `.` is the decimal point, and a comma that does not group three digits (`1,5`) is
refused the same way.

Values that are already numbers (JSON numbers, Excel numeric cells, Decimal) are taken as they are.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.scoring.numbers import format_vn, parse_decimal

STYLES = ("vi", "en")
_SPACES = ("\u00a0", "\u202f", "\u2009", " ")     # normal, no-break, narrow no-break, thin


class NumberRefused(ValueError):
    """Text that is not a number in the style, or could be read two ways. `en` and `vi` are the reasons."""

    def __init__(self, en: str, vi: str):
        super().__init__(en)
        self.en, self.vi = en, vi


def _patterns(group: str, decimal: str) -> tuple[re.Pattern[str], ...]:
    g, d = re.escape(group), re.escape(decimal)
    return (
        re.compile(rf"[-+]?\d+(?:{d}\d+)?"),                          # 1234, 1234,5
        re.compile(rf"[-+]?\d{{1,3}}(?:{g}\d{{3}})+(?:{d}\d+)?"),     # 4.200, 1.234.567,25
        re.compile(rf"[-+]?\d{{1,3}}(?: \d{{3}})+(?:{d}\d+)?"),      # 1 234 567,5 (spaces folded to ' ')
        re.compile(rf"[-+]?{d}\d+"),                                  # ,5 (vi) / .5 (en)
    )


_READ = {"vi": _patterns(".", ","), "en": _patterns(",", ".")}


def read_number(raw: object, style: str = "vi") -> Decimal:
    """The Decimal a person meant by `raw`, read in `style` ("vi" or "en"); raises NumberRefused."""
    if not isinstance(raw, str):
        try:
            return parse_decimal(raw)
        except ValueError:
            shown = repr(raw)[:40]
            raise NumberRefused(f"'{shown}' is not a number", f"'{shown}' không phải là số") from None
    text = raw.strip()
    for space in _SPACES:
        text = text.replace(space, " ")
    text = re.sub(" +", " ", text)
    group, decimal = (".", ",") if style == "vi" else (",", ".")
    if any(p.fullmatch(text) for p in _READ[style]):
        canonical = text.replace(" ", "").replace(group, "").replace(decimal, ".")
        try:
            value = Decimal(canonical)
        except InvalidOperation:   # cannot happen for the patterns above; kept as a refusal, not a crash
            value = None
        if value is not None and value.is_finite():
            return value
    raise _refusal(raw, text, group, decimal)


def _refusal(raw: str, text: str, group: str, decimal: str) -> NumberRefused:
    shown = raw.strip()[:40]
    compact = text.replace(" ", "")
    # the form that worried issue 17: one separator of the other style, not grouping three digits
    other = re.fullmatch(r"([-+]?\d+)" + re.escape(group) + r"(\d+)", compact)
    if other is not None and len(other.group(2)) != 3:
        whole, part = other.groups()
        as_decimal = f"{whole}{decimal}{part}"
        digits = Decimal(whole + part)
        as_whole = format_vn(digits, 0) if group == "." else f"{int(digits):,}"
        if group == ".":
            return NumberRefused(
                f"'{shown}' can be read two ways: write {as_decimal} for a decimal (the decimal mark is a comma) or "
                f"{as_whole} for a whole number (dots group thousands)",
                f"'{shown}' có thể hiểu hai cách: viết {as_decimal} nếu là số thập phân (dấu phẩy ngăn phần thập phân) "
                f"hoặc {as_whole} nếu là số nguyên (dấu chấm ngăn hàng nghìn)")
        return NumberRefused(
            f"'{shown}' can be read two ways: write {as_decimal} for a decimal (English style: the decimal mark is "
            f"a point) or {as_whole} for a whole number",
            f"'{shown}' có thể hiểu hai cách: viết {as_decimal} nếu là số thập phân (kiểu tiếng Anh: dấu chấm ngăn "
            f"phần thập phân) hoặc {as_whole} nếu là số nguyên")
    if group == "." and re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", compact):
        return NumberRefused(f"'{shown}' is written the English way: in Vietnamese write it with dots between "
                             "thousands and a decimal comma (1.234,5)",
                             f"'{shown}' viết theo kiểu tiếng Anh: hãy dùng dấu chấm ngăn hàng nghìn và dấu phẩy "
                             "thập phân (1.234,5)")
    return NumberRefused(f"'{shown}' is not a number", f"'{shown}' không phải là số")


def shown(value: Decimal, style: str = "vi") -> str:
    """How the application echoes the value it understood: every digit kept, thousands grouped (`4.200`,
    `4.200,5`, `0,75`); read back by `read_number` as the same Decimal."""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    text = format_vn(value, places)
    if style == "vi":
        return text
    return text.replace(".", "\x00").replace(",", ".").replace("\x00", ",")
