"""The ranking as a workbook: a sheet per unit group (the appendix's table, with unit codes and shares), a
detail sheet "Chi tiết" (every unit × scored indicator) and a completeness sheet "Tiến độ".

Numbers are real numbers (the published 2-decimal figure as a float, shown '0.00'; shares '0.00%') so
that people can sort and sum them; there is no formula anywhere, so what a reader sees is what was ranked
and nothing recalculates on opening. Text is always written as text, even when it starts with '='.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.atomicfile import write_with
from app.reports.ranking_model import Count, GroupTable, RankingReport, max_text, words
from app.scoring.numbers import q2
from app.xlsx_guard import MAX_CELL_TEXT

TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 3
FIRST_ROW = HEADER_ROW + 1
POINTS = "0.00"
SHARE = "0.00%"
WHEN = "dd/mm/yyyy hh:mm"
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")

_TITLE = Font(bold=True, size=13)
_BOLD = Font(bold=True)
_NOTE = Font(italic=True, color="595959")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TEXT_ALIGN = Alignment(vertical="top", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="top")

TEXT = {
    "vi": {"title": "Kết quả xếp hạng chỉ số chuyển đổi số năm {year} — {group}",
           "note": "{framework}{decision} · Ngày lập: {date}", "not_ranked": " · nhóm được đánh giá, không xếp hạng",
           "detail": "Chi tiết", "detail_title": "Điểm từng chỉ tiêu của từng đơn vị — năm {year}",
           "progress": "Tiến độ", "progress_title": "Tiến độ nộp số liệu — năm {year}",
           "name": "Tên đơn vị", "code": "Mã chỉ tiêu", "indicator": "Tên chỉ tiêu", "max": "Điểm tối đa",
           "self": "Tự chấm", "appraised": "Thẩm định", "final": "Điểm cuối cùng", "district": "Huyện",
           "state": "Trạng thái", "revision": "Lần nộp", "submitted": "Thời điểm nộp", "late": "Quá hạn",
           "yes": "Có", "by_group": "Tổng hợp theo nhóm", "by_district": "Tổng hợp theo huyện",
           "expected": "Dự kiến", "received": "Đã nộp", "finalized": "Đã chốt"},
    "en": {"title": "Digital transformation index ranking {year} — {group}",
           "note": "{framework}{decision} · Made on {date}", "not_ranked": " · assessed, not ranked",
           "detail": "Detail", "detail_title": "Points per indicator and unit — {year}",
           "progress": "Progress", "progress_title": "Submission progress — {year}",
           "name": "Unit name", "code": "Indicator code", "indicator": "Indicator", "max": "Maximum",
           "self": "Self-score", "appraised": "Appraised", "final": "Final points", "district": "District",
           "state": "State", "revision": "Revision", "submitted": "Submitted at", "late": "Late",
           "yes": "yes", "by_group": "By group", "by_district": "By district",
           "expected": "Expected", "received": "Received", "finalized": "Finalized"},
}


def _text(lang: str) -> dict[str, str]:
    return TEXT["en" if lang == "en" else "vi"]


def points(value: Decimal) -> float:
    """The published figure (2 decimals, half up) as the float a spreadsheet stores."""
    return float(q2(value))


def clean(text: str) -> str:
    """Text a cell can hold: NFC, no control characters, within Excel's length."""
    text = unicodedata.normalize("NFC", text)
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]


def put(sheet: Any, row: int, column: int, value: Any, *, number_format: str | None = None, font: Font | None = None,
        alignment: Alignment | None = None, border: bool = True) -> Any:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = clean(value)
        cell.data_type = "s"  # a unit named "=..." stays text: never a formula
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if border:
        cell.border = _BORDER
    return cell


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name: at most 31 characters, none of []:*?/\\, unique (case-insensitively,
    as Excel compares them)."""
    base = SHEET_NAME_BAD.sub(" ", clean(wanted)).strip().strip("'") or "Sheet"
    name = base[:SHEET_NAME_MAX].rstrip()
    number = 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        name = base[:SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        number += 1
    taken.add(name)
    return name


def _heading(sheet: Any, title: str, note: str, headers: Sequence[str], widths: Sequence[float]) -> None:
    put(sheet, TITLE_ROW, 1, title, font=_TITLE, border=False)
    put(sheet, NOTE_ROW, 1, note, font=_NOTE, border=False)
    for column, (header, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = put(sheet, HEADER_ROW, column, header, font=_BOLD, alignment=_HEADER_ALIGN)
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 45


def _finish(sheet: Any, columns: int, rows: int, frozen_columns: int) -> None:
    """Header frozen (and the identifying columns), a filter on the table, printed A4 landscape one page
    wide with the header row repeated on every page."""
    sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{FIRST_ROW}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(columns)}{HEADER_ROW + max(rows, 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _note(report: RankingReport) -> str:
    t = _text(report.lang)
    decision = f" ({report.decision})" if report.decision else ""
    day = report.made_on
    return t["note"].format(framework=report.framework_title, decision=decision,
                            date=f"{day.day:02d}/{day.month:02d}/{day.year:04d}")


def group_sheet(sheet: Any, group: GroupTable, report: RankingReport) -> None:
    """Rank | unit code | unit | one column per main index | total | share | grade."""
    t, w = _text(report.lang), words(report.lang)
    headers = [w["rank"], w["unit_code"], w["unit"],
               *(f"{c.title} ({max_text(c.max, report.lang)} {w['points']})" for c in group.indices),
               f"{w['total']} ({max_text(group.max, report.lang)} {w['points']})", w["share"], w["grade"]]
    widths = [9, 12, 40, *([14] * len(group.indices)), 14, 10, 12]
    note = _note(report) + ("" if group.ranked else t["not_ranked"])
    _heading(sheet, t["title"].format(year=report.year, group=group.title), note, headers, widths)
    for row, unit in enumerate(group.units, start=FIRST_ROW):
        put(sheet, row, 1, unit.rank if group.ranked else None, alignment=_CENTER)
        put(sheet, row, 2, unit.unit_code)
        put(sheet, row, 3, unit.unit_name, alignment=_TEXT_ALIGN)
        column = 4
        for index in group.indices:
            put(sheet, row, column, points(unit.indices.get(index.code, Decimal(0))), number_format=POINTS)
            column += 1
        put(sheet, row, column, points(unit.total), number_format=POINTS, font=_BOLD)
        put(sheet, row, column + 1, float(unit.share), number_format=SHARE)
        put(sheet, row, column + 2, unit.grade, alignment=_CENTER)
    _finish(sheet, len(headers), len(group.units), frozen_columns=3)


def detail_sheet(sheet: Any, report: RankingReport) -> None:
    """One row per unit × scored indicator: the self-score, the appraised points (empty if none), final."""
    t, w = _text(report.lang), words(report.lang)
    titles = {g.code: g.title for g in report.groups}
    headers = [w["unit_code"], t["name"], w["group"], t["code"], t["indicator"], t["max"], t["self"],
               t["appraised"], t["final"]]
    _heading(sheet, t["detail_title"].format(year=report.year), _note(report), headers,
             [12, 34, 24, 11, 60, 11, 11, 11, 13])
    for row, leaf in enumerate(report.leaves, start=FIRST_ROW):
        put(sheet, row, 1, leaf.unit_code)
        put(sheet, row, 2, leaf.unit_name)
        put(sheet, row, 3, titles.get(leaf.group, leaf.group))
        put(sheet, row, 4, leaf.code)
        put(sheet, row, 5, leaf.title)
        put(sheet, row, 6, points(leaf.max), number_format=POINTS)
        put(sheet, row, 7, points(leaf.self_points), number_format=POINTS)
        put(sheet, row, 8, None if leaf.appraised is None else points(leaf.appraised), number_format=POINTS)
        put(sheet, row, 9, points(leaf.points), number_format=POINTS, font=_BOLD)
    _finish(sheet, len(headers), len(report.leaves), frozen_columns=2)


def progress_sheet(sheet: Any, report: RankingReport) -> None:
    """Per expected unit: where it stands; then the counts per group and per district below the table."""
    t, w = _text(report.lang), words(report.lang)
    titles = {g.code: g.title for g in report.groups} | {c.key: c.title for c in report.group_counts}
    districts = {c.key: c.title for c in report.district_counts}
    # a round without districts (the two-tier map since July 2025) has no district column
    columns = [(w["unit_code"], 12, lambda u: u.unit_code, None), (t["name"], 34, lambda u: u.unit_name, None),
               (w["group"], 26, lambda u: titles.get(u.group, u.group), None)]
    if districts or any(u.district for u in report.progress):
        columns.append((t["district"], 26, lambda u: districts.get(u.district, u.district) if u.district else None,
                        None))
    columns += [(t["state"], 18, lambda u: u.state, None), (t["revision"], 9, lambda u: u.revision, _CENTER),
                (t["submitted"], 17, lambda u: u.submitted_at, "when"),
                (t["late"], 9, lambda u: t["yes"] if u.late else None, _CENTER)]
    headers = [c[0] for c in columns]
    _heading(sheet, t["progress_title"].format(year=report.year), _note(report), headers, [c[1] for c in columns])
    row = FIRST_ROW - 1
    for row, unit in enumerate(report.progress, start=FIRST_ROW):
        for column, (_header, _width, value, style) in enumerate(columns, start=1):
            if style == "when":
                put(sheet, row, column, value(unit), number_format=WHEN)
            elif style is not None:
                put(sheet, row, column, value(unit), alignment=style)
            else:
                put(sheet, row, column, value(unit))
    _finish(sheet, len(headers), len(report.progress), frozen_columns=2)
    # the counts stay below the filtered table, after a blank row, so that filtering never hides them
    row = _counts(sheet, row + 2, t["by_group"], w["group"], report.group_counts, t)
    _counts(sheet, row + 1, t["by_district"], t["district"], report.district_counts, t)


def _counts(sheet: Any, row: int, title: str, what: str, counts: Sequence[Count], t: dict[str, str]) -> int:
    """A small table of completeness counts from `row`; returns the next free row."""
    if not counts:
        return row
    put(sheet, row, 1, title, font=_BOLD, border=False)
    for column, header in enumerate((what, t["expected"], t["received"], t["finalized"], t["late"]), start=1):
        put(sheet, row + 1, column, header, font=_BOLD, alignment=_HEADER_ALIGN).fill = _HEADER_FILL
    for n, count in enumerate(counts, start=row + 2):
        put(sheet, n, 1, count.title, alignment=_TEXT_ALIGN)
        for column, value in enumerate((count.expected, count.received, count.final, count.late), start=2):
            put(sheet, n, column, value)
    return row + 2 + len(counts)


def write_ranking_xlsx(path: Path, report: RankingReport) -> None:
    """Write the workbook atomically: a temporary file beside `path`, renamed over it when complete."""
    t = _text(report.lang)
    book = Workbook()
    taken = {t["detail"], t["progress"]}  # fixed names first: a group cannot take them
    first = True
    for group in report.groups:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = sheet_name(group.title, taken)
        group_sheet(sheet, group, report)
    detail = book.active if first else book.create_sheet()
    detail.title = t["detail"]
    detail_sheet(detail, report)
    progress = book.create_sheet(t["progress"])
    progress_sheet(progress, report)
    book.properties.title = clean(_text(report.lang)["title"].format(year=report.year, group=report.framework_title))
    book.properties.creator = "dti"
    write_with(Path(path), book.save)
