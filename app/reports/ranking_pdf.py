"""The ranking as a published result decision's appendix (phụ lục kết quả xếp hạng): A4 landscape, the
state heading, one table per unit group (rank, unit, one column per main index, total, grade), then per
group a bar chart of totals and a heat map of the main indices' shares.

Numbers are printed as published: 2 decimals with the decimal comma in Vietnamese (612,50), the point in
English; the figures themselves come from the report data unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from app.reports.charts import bar_chart, heat_map
from app.reports.pdfbase import (
    FONT_BOLD,
    Layout,
    esc,
    format_date,
    make_table,
    markup,
    para,
    state_heading,
    styles,
    write_pdf,
)
from app.reports.ranking_model import Count, GroupTable, RankingReport, UnitRow, max_text, percent_text, points_text, words

TEXT = {
    "vi": {
        "appendix": "Phụ lục",
        "title": "KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG CHỈ SỐ CHUYỂN ĐỔI SỐ (DTI) NĂM {year}",
        "framework": "Theo {title}",
        "decision": ", ban hành kèm theo {decision}",
        "round": "Đợt đánh giá năm {year} · Ngày lập: {date}",
        "group_note": "Tối đa {max} điểm · {n} đơn vị",
        "received": " · đã nộp {received}/{expected} đơn vị",
        "not_ranked": " · nhóm được đánh giá, không xếp hạng",
        "empty": "Chưa có đơn vị nào của nhóm nộp số liệu.",
        "charts": "BIỂU ĐỒ KẾT QUẢ",
        "bar_title": "Tổng điểm — {group}",
        "heat_title": "Tỷ lệ điểm đạt so với điểm tối đa của từng chỉ số chính — {group}",
        "continued": " (tiếp theo)",
        "header_right": "Kết quả xếp hạng DTI năm {year}",
        "doc_title": "Kết quả xếp hạng chỉ số chuyển đổi số năm {year} — {framework}",
        "doc_subject": "Phụ lục kết quả xếp hạng DTI",
    },
    "en": {
        "appendix": "Appendix",
        "title": "DIGITAL TRANSFORMATION INDEX (DTI) ASSESSMENT AND RANKING {year}",
        "framework": "Framework: {title}",
        "decision": " ({decision})",
        "round": "Assessment round {year} · Made on {date}",
        "group_note": "Maximum {max} points · {n} units",
        "received": " · submitted {received}/{expected} units",
        "not_ranked": " · assessed, not ranked",
        "empty": "No unit of this group has submitted yet.",
        "charts": "CHARTS",
        "bar_title": "Total points — {group}",
        "heat_title": "Share of each main index's maximum reached — {group}",
        "continued": " (continued)",
        "header_right": "DTI ranking {year}",
        "doc_title": "Digital transformation index ranking {year} — {framework}",
        "doc_subject": "DTI ranking appendix",
    },
}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
TABLE_SIZE = 8.5
CHART_ROWS = 24  # rows per drawing: a drawing cannot split, and 24 rows of 15 pt fit a landscape page


def _heading_name(n: int, group: GroupTable) -> str:
    return f"{ROMAN[n] if n < len(ROMAN) else n + 1}. {group.title}"


def group_note(group: GroupTable, counts: dict[str, Count], lang: str) -> str:
    t = TEXT["en" if lang == "en" else "vi"]
    note = t["group_note"].format(max=max_text(group.max, lang), n=len(group.units))
    if group.code in counts:
        c = counts[group.code]
        note += t["received"].format(received=c.received, expected=c.expected)
    if not group.ranked:
        note += t["not_ranked"]
    return note


def table_header(group: GroupTable, lang: str) -> list:
    w = words(lang)
    # a no-break space keeps "(120 điểm)" on one line in the narrow columns of eight main indices
    points = f"\u00a0{w['points']}"
    # the total's maximum on a line of its own: "(1.000 điểm)" is wider than the column and would be cut
    total = markup(f"{esc(w['total'])}<br/>({esc(max_text(group.max, lang))}{points})", styles(TABLE_SIZE).table_header)
    return [w["rank"], w["unit"],
            *(f"{c.title} ({max_text(c.max, lang)}{points})" for c in group.indices),
            total, w["grade"]]


def table_row(group: GroupTable, unit: UnitRow, lang: str, size: float) -> list:
    st = styles(size)
    center = ParagraphStyle("RankCell", parent=st.table_cell, alignment=TA_CENTER)
    bold_number = ParagraphStyle("TotalCell", parent=st.table_number, fontName=FONT_BOLD)
    rank = str(unit.rank) if group.ranked else words(lang)["not_ranked"]
    return [para(rank, center), para(unit.unit_name, st.table_cell),
            *(para(points_text(unit.indices.get(c.code, Decimal(0)), lang), st.table_number) for c in group.indices),
            para(points_text(unit.total, lang), bold_number), para(unit.grade or "—", center)]


def group_table(group: GroupTable, lang: str, width: float) -> Flowable:
    """Rank | Unit | main indices (max) | Total (max) | Grade; the header repeats on every page."""
    widths = [6.5, 25, *([10] * len(group.indices)), 12.5, 9]
    rows = [table_row(group, u, lang, TABLE_SIZE) for u in group.units]
    return make_table(table_header(group, lang), rows, widths=widths, total_width=width, size=TABLE_SIZE)


def _chunks(items: Sequence, size: int) -> Iterator[tuple[int, Sequence]]:
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def _bar_label(group: GroupTable, unit: UnitRow) -> str:
    return f"{unit.rank}. {unit.unit_name}" if group.ranked else unit.unit_name


def group_charts(group: GroupTable, lang: str, width: float) -> list[Flowable]:
    """The totals as bars and the main indices' shares as a heat map, split where a page would end."""
    t = TEXT["en" if lang == "en" else "vi"]
    st = styles()
    out: list[Flowable] = []
    for start, units in _chunks(group.units, CHART_ROWS):
        title = t["bar_title"].format(group=group.title) + (t["continued"] if start else "")
        chart = bar_chart([_bar_label(group, u) for u in units], [u.total for u in units], maximum=group.max,
                          width=width, value_text=lambda v: points_text(v, lang),
                          tick_text=lambda v: max_text(v, lang))
        out.append(KeepTogether([para(title, st.heading), chart, Spacer(0, 3 * mm)]))
    columns = [c.title for c in group.indices]
    for start, units in _chunks(group.units, CHART_ROWS):
        title = t["heat_title"].format(group=group.title) + (t["continued"] if start else "")
        chart = heat_map([_bar_label(group, u) for u in units], columns,
                         [[u.index_share(c) for c in group.indices] for u in units], width=width,
                         cell_text=lambda s: percent_text(s, lang))
        out.append(KeepTogether([para(title, st.heading), chart, Spacer(0, 3 * mm)]))
    return out


def title_block(report: RankingReport, width: float) -> list[Flowable]:
    t = TEXT["en" if report.lang == "en" else "vi"]
    st = styles()
    framework = t["framework"].format(title=report.framework_title)
    if report.decision:
        framework += t["decision"].format(decision=report.decision)
    return [
        state_heading(report.issuer, report.lang, width),
        Spacer(0, 5 * mm),
        markup(f"<b>{esc(t['appendix'])}</b>", st.subtitle),
        para(t["title"].format(year=report.year), st.title),
        para(framework, st.subtitle),
        para(t["round"].format(year=report.year, date=format_date(report.made_on)), st.subtitle),
    ]


def story(report: RankingReport, layout: Layout) -> list[Flowable]:
    t = TEXT["en" if report.lang == "en" else "vi"]
    st = styles()
    counts = {c.key: c for c in report.group_counts}
    flow = title_block(report, layout.width)
    for n, group in enumerate(report.groups):
        # a group's heading never ends a page: it starts a new one unless its header and a few rows fit
        flow += [CondPageBreak(45 * mm), para(_heading_name(n, group), st.heading),
                 para(group_note(group, counts, report.lang), st.small), Spacer(0, 2 * mm)]
        flow.append(group_table(group, report.lang, layout.width) if group.units else para(t["empty"], st.body))
    charted = [g for g in report.groups if g.units]
    if charted:
        flow += [PageBreak(), para(t["charts"], st.title)]
        for group in charted:
            flow += group_charts(group, report.lang, layout.width)
    return flow


def write_ranking_pdf(path: Path, report: RankingReport, *, created: datetime | None = None) -> int:
    """Write the appendix atomically; returns the number of pages. `created` dates the footer and metadata
    (the same data and moment give the same bytes)."""
    t = TEXT["en" if report.lang == "en" else "vi"]
    return write_pdf(Path(path), lambda layout: story(report, layout), lang=report.lang, orientation="landscape",
                     title=t["doc_title"].format(year=report.year, framework=report.framework_id),
                     subject=t["doc_subject"], header_left=report.issuer,
                     header_right=t["header_right"].format(year=report.year), created=created,
                     invariant=created is not None)
