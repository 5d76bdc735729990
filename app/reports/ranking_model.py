"""The ranking report (phụ lục kết quả xếp hạng) as plain data: what the PDF and the workbook print.

The service fills it from the workspace; the writers only lay it out, so both files carry the same
numbers as `dti rank --json` and neither knows the store. Points are Decimals already rounded as
published (2 decimals; shares 4), see DESIGN §4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from app.scoring.numbers import format_vn

# Words both writers share, so that the PDF and the workbook name things alike.
WORDS = {
    "vi": {"rank": "Xếp hạng", "unit": "Đơn vị", "unit_code": "Mã đơn vị", "total": "Tổng cộng",
           "share": "Tỷ lệ", "grade": "Xếp loại", "points": "điểm", "group": "Nhóm", "not_ranked": "—"},
    "en": {"rank": "Rank", "unit": "Unit", "unit_code": "Unit code", "total": "Total", "share": "Share",
           "grade": "Grade", "points": "points", "group": "Group", "not_ranked": "—"},
}


def words(lang: str) -> dict[str, str]:
    return WORDS["en" if lang == "en" else "vi"]


def points_text(value: Decimal, lang: str, places: int = 2) -> str:
    """612,50 in Vietnamese, 612.50 in English, rounded half up; thousands grouped (1.000,00 / 1,000.00)."""
    if lang == "en":
        return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):,}"
    return format_vn(value, places)


def max_text(value: Decimal, lang: str) -> str:
    """A maximum as framed in decisions: whole points without decimals (120), else as many as it has."""
    places = 0 if value == value.to_integral_value() else 2
    return points_text(value, lang, places)


def percent_text(share: Decimal, lang: str) -> str:
    """A share 0..1 as a percentage with one decimal, as the heat map prints it: 85,0%."""
    return f"{points_text(share * 100, lang, 1)}%"


@dataclass(frozen=True)
class IndexColumn:
    """A main index (chỉ số chính) as a column: its maximum for the group is printed in the header."""

    code: str
    title: str
    max: Decimal


@dataclass(frozen=True)
class UnitRow:
    """One unit of a group's table, with the figures of `dti rank --json`."""

    rank: int
    unit_code: str
    unit_name: str
    total: Decimal
    share: Decimal
    grade: str | None
    indices: dict[str, Decimal]
    index_ranks: dict[str, int]

    def index_share(self, column: IndexColumn) -> Decimal | None:
        """Points of a main index over its maximum; None where the maximum is 0 (listed, not scored)."""
        if column.max <= 0:
            return None
        return self.indices.get(column.code, Decimal(0)) / column.max


@dataclass(frozen=True)
class GroupTable:
    """A unit group (nhóm đơn vị), ranked separately; `ranked=False`: assessed, published without ranks."""

    code: str
    title: str
    ranked: bool
    max: Decimal
    indices: tuple[IndexColumn, ...]
    units: tuple[UnitRow, ...]


@dataclass(frozen=True)
class LeafRow:
    """One scored indicator (tiêu chí) of one unit: self-score, appraised points (None if not set), final."""

    unit_code: str
    unit_name: str
    group: str
    code: str
    title: str
    max: Decimal
    self_points: Decimal
    appraised: Decimal | None
    points: Decimal


@dataclass(frozen=True)
class ProgressRow:
    """Where an expected unit stands in the round (tiến độ); `submitted_at` in Vietnam time, naive."""

    unit_code: str
    unit_name: str
    group: str
    district: str | None
    state: str              # as read (status.STATE_TEXT in the report's language)
    revision: int | None
    submitted_at: datetime | None
    late: bool


@dataclass(frozen=True)
class Count:
    """Completeness of one group or district: units expected, received, final (đã chốt), late."""

    key: str
    title: str
    expected: int
    received: int
    final: int
    late: int


@dataclass(frozen=True)
class RankingReport:
    issuer: str
    framework_id: str
    framework_title: str
    decision: str | None
    year: int
    made_on: date
    lang: str
    groups: tuple[GroupTable, ...]
    leaves: tuple[LeafRow, ...]
    progress: tuple[ProgressRow, ...]
    group_counts: tuple[Count, ...]
    district_counts: tuple[Count, ...]
