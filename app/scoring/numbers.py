"""Decimal helpers shared by the engine and everything that shows a number.

DESIGN §4: compute with Decimal, round half up once at the end (never `round()`, which rounds half to
even and works on binary floats).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)
_CENT = Decimal("0.01")
_BASIS = Decimal("0.0001")


def q2(value: Decimal) -> Decimal:
    """Points as published: 2 decimals, half up."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def q4(value: Decimal) -> Decimal:
    """Shares and index values: 4 decimals, half up."""
    return value.quantize(_BASIS, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """The shortest exact text of a Decimal without exponent: 120, 0.5, 12.25 (canonical form)."""
    if value == value.to_integral_value():
        return str(int(value))
    text = format(value.normalize(), "f")
    return text


def parse_decimal(raw: object) -> Decimal:
    """A number from YAML, JSON, Excel or a person: int, float, Decimal or text with '.' or ','.

    Raises ValueError with a short reason; booleans are not numbers here (YAML's `yes` is True).
    """
    if isinstance(raw, bool) or raw is None:
        raise ValueError("not a number")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(repr(raw))  # shortest repr round-trips: 0.9 stays 0.9, not 0.90000000000000002
    elif isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "").replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")  # the Vietnamese decimal comma
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"not a number: {raw!r}") from None
    else:
        raise ValueError(f"not a number: {raw!r}")
    if not value.is_finite():
        raise ValueError(f"not a finite number: {raw!r}")
    return value


def format_vn(value: Decimal, places: int = 2) -> str:
    """A number as Vietnamese readers expect it: decimal comma, dot between thousands (1.234,50)."""
    quantum = Decimal(1).scaleb(-places)
    fixed = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if fixed < 0 else ""
    whole, _, frac = format(abs(fixed), "f").partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = ".".join(groups)
    return f"{sign}{text},{frac}" if frac else f"{sign}{text}"


def format_points(value: Decimal, lang: str = "vi") -> str:
    """Points in running text: 284,77 in Vietnamese, 284.77 in English; integers without decimals."""
    if value == value.to_integral_value():
        return format_vn(value, 0) if lang == "vi" else f"{int(value):,}"
    return format_vn(value, 2) if lang == "vi" else f"{q2(value):,}"


def format_share(value: Decimal, lang: str = "vi") -> str:
    """A share 0..1 as a percentage with 2 decimals: 0.8477 -> 84,77 %."""
    pct = value * 100
    return f"{format_vn(pct, 2)} %" if lang == "vi" else f"{q2(pct)} %"
