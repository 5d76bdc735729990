"""The unit's self-assessment report (báo cáo tự đánh giá), A4 portrait: cover with the result, summary per
main index with a radar chart, warnings, every indicator in framework order (value, rule, points and how,
appraisal, explanation, evidence), and the hashes of the package data it covers.

Input is plain data (`UnitReport`), built by `app.services.report_unit` from the unit's own store or from
a submission imported at an aggregator; nothing here reads a store. Missing values or evidence are shown
as warnings, never refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from app.reports.pdfbase import (
    FONT_BOLD,
    HEADER_FILL,
    RULE,
    STRIPE_FILL,
    Layout,
    esc,
    format_date,
    make_table,
    markup,
    nfc,
    para,
    state_heading,
    styles,
    table_style,
    write_pdf,
)
from app.reports.radar import Axis, RadarChart, percent
from app.reports.textgrid import Cell, Grid, Run, text_cell
from app.reports.unit_data import (
    EvidenceLine,
    IndicatorLine,
    SignatureLine,
    UnitReport,
)
from app.scoring.numbers import format_points, format_vn

WARN = colors.HexColor("#a4460c")
OK = colors.HexColor("#1d6b34")
BAD = colors.HexColor("#b42318")
LABEL_FILL = colors.HexColor("#f1f3f5")
LABEL_INK = colors.HexColor("#39424a")
MUTED = colors.HexColor("#4a525a")
SMALL = 7.6
INDEX_FILL = colors.HexColor("#dde6ef")


# -- words ---------------------------------------------------------------------------------------------

TEXT = {
    "vi": {
        "title": "BÁO CÁO TỰ ĐÁNH GIÁ\nCHỈ SỐ CHUYỂN ĐỔI SỐ (DTI) NĂM {year}",
        "doc_title": "Báo cáo tự đánh giá DTI {year} — {code} {name}", "doc_subject": "Báo cáo tự đánh giá DTI",
        "unit": "Đơn vị", "code": "Mã đơn vị", "group": "Nhóm đánh giá", "round": "Đợt đánh giá",
        "round_text": "Năm {year}", "window": "số liệu từ {a} đến {b}", "framework": "Bộ chỉ số",
        "decision": "Căn cứ", "made": "Ngày lập", "source": "Nguồn số liệu",
        "source_unit": "Số liệu tại máy của đơn vị", "source_agg": "Gói hồ sơ đơn vị đã nộp, nhập tại cơ quan tổng hợp",
        "s_result": "I. KẾT QUẢ", "total": "Tổng điểm", "self_total": "Tổng điểm tự chấm", "share": "Tỷ lệ đạt",
        "grade": "Xếp loại", "out_of": "{p} / {m} điểm", "none": "—",
        "h_index": "Chỉ số chính", "h_points": "Điểm", "h_self": "Tự chấm", "h_max": "Tối đa", "h_share": "Tỷ lệ",
        "sum": "Tổng cộng",
        "radar": "Tỷ lệ điểm đạt được so với điểm tối đa của từng chỉ số chính",
        "s_warn": "II. CẢNH BÁO ({n})", "no_warn": "Không có cảnh báo: mọi chỉ tiêu đã có số liệu và tài liệu cần thiết.",
        "warn_note": "Cảnh báo không ngăn việc nộp: chỉ tiêu thiếu số liệu được 0 điểm.",
        "h_code": "Mã", "h_warning": "Nội dung",
        "s_detail": "III. CHI TIẾT TỪNG CHỈ TIÊU",
        "value": "Số liệu", "no_value": "Chưa nhập số liệu", "rule": "Cách chấm", "self": "Điểm tự chấm",
        "appraisal": "Thẩm định", "appraised": "{p} điểm", "comment": "Nhận xét: {c}", "by": " ({who})",
        "explanation": "Giải trình", "evidence": "Tài liệu kiểm chứng", "no_evidence": "Chưa có tài liệu",
        "required": "bắt buộc", "optional": "không bắt buộc", "not_needed": "không yêu cầu",
        "pages": "{n} trang", "page": "1 trang", "image": "ảnh quét", "sha": "SHA-256",
        "signature": "Chữ ký số", "unsigned": "không có chữ ký số", "signed_at": "ký ngày {d}",
        "sig_ok": "hợp lệ, chứng thư được tin cậy", "sig_untrusted": "hợp lệ, chứng thư chưa được tin cậy",
        "sig_bad": "KHÔNG hợp lệ", "sig_changed": "tệp bị sửa sau khi ký",
        "warnings": "Cảnh báo", "notes": "Ghi chú",
        "s_package": "IV. GÓI HỒ SƠ VÀ MÃ BĂM DỮ LIỆU",
        "package_id": "Mã gói", "revision": "Lần nộp", "created": "Thời điểm đóng gói",
        "pkg_note": "Mã băm SHA-256 của các mục dữ liệu và tài liệu kiểm chứng trong gói, để đối chiếu với tệp "
                    "manifest.json đã ký. Báo cáo này không nằm trong danh sách.",
        "current_note": "Số liệu hiện tại, chưa đóng gói. Mã băm dưới đây là của các mục dữ liệu và tài liệu "
                        "kiểm chứng mà một gói xuất ngay lúc này sẽ mang.",
        "last_export": "Lần nộp gần nhất", "last_export_text": "lần {r}, ngày {d}", "never": "chưa xuất gói nào",
        "h_entry": "Mục trong gói", "h_size": "Kích thước (byte)", "h_sha": "SHA-256",
        "data_labels": {"data/values.json": "số liệu và giải trình", "data/evidence.json": "danh sách tài liệu",
                        "data/score.json": "điểm tự chấm", "data/audit.json": "nhật ký thay đổi"},
        "fw_hash": "Mã băm bộ chỉ số",
    },
    "en": {
        "title": "DIGITAL TRANSFORMATION INDEX (DTI)\nSELF-ASSESSMENT REPORT {year}",
        "doc_title": "DTI self-assessment {year} — {code} {name}", "doc_subject": "DTI self-assessment report",
        "unit": "Unit", "code": "Unit code", "group": "Assessment group", "round": "Assessment round",
        "round_text": "{year}", "window": "data from {a} to {b}", "framework": "Framework",
        "decision": "Issued by", "made": "Made on", "source": "Data source",
        "source_unit": "The unit's own installation", "source_agg": "The package the unit submitted, imported by the aggregator",
        "s_result": "I. RESULT", "total": "Total", "self_total": "Self-scored total", "share": "Share of maximum",
        "grade": "Grade", "out_of": "{p} / {m} points", "none": "—",
        "h_index": "Main index", "h_points": "Points", "h_self": "Self-score", "h_max": "Maximum", "h_share": "Share",
        "sum": "Total",
        "radar": "Points reached as a share of each main index's maximum",
        "s_warn": "II. WARNINGS ({n})", "no_warn": "No warnings: every indicator has its value and the evidence it needs.",
        "warn_note": "Warnings never block a submission: an indicator without a value scores 0.",
        "h_code": "Code", "h_warning": "Warning",
        "s_detail": "III. INDICATORS IN DETAIL",
        "value": "Value", "no_value": "No value entered", "rule": "Rule", "self": "Self-score",
        "appraisal": "Appraisal", "appraised": "{p} points", "comment": "Comment: {c}", "by": " ({who})",
        "explanation": "Explanation", "evidence": "Evidence", "no_evidence": "No evidence attached",
        "required": "required", "optional": "optional", "not_needed": "not needed",
        "pages": "{n} pages", "page": "1 page", "image": "scanned image", "sha": "SHA-256",
        "signature": "Digital signature", "unsigned": "not signed", "signed_at": "signed on {d}",
        "sig_ok": "valid, trusted certificate", "sig_untrusted": "valid, certificate not trusted",
        "sig_bad": "NOT valid", "sig_changed": "changed after signing",
        "warnings": "Warnings", "notes": "Notes",
        "s_package": "IV. PACKAGE AND DATA HASHES",
        "package_id": "Package id", "revision": "Revision", "created": "Packaged at",
        "pkg_note": "SHA-256 of the package's data entries and evidence files, to compare with its signed "
                    "manifest.json. This report itself is not listed.",
        "current_note": "Current data, not packaged yet. The hashes below are those of the data entries and "
                        "evidence files a package exported now would carry.",
        "last_export": "Latest export", "last_export_text": "revision {r} on {d}", "never": "no package exported yet",
        "h_entry": "Package entry", "h_size": "Size (bytes)", "h_sha": "SHA-256",
        "data_labels": {"data/values.json": "values and explanations", "data/evidence.json": "evidence list",
                        "data/score.json": "self-score", "data/audit.json": "audit trail"},
        "fw_hash": "Framework hash",
    },
}


def words(lang: str) -> dict:
    return TEXT["en" if lang == "en" else "vi"]


def points_text(value: Decimal) -> str:
    """Points as published: 2 decimals, decimal comma (284,77)."""
    return format_vn(value, 2)


def when_text(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return f"{format_date(moment.date())} {moment:%H:%M}"


def signature_text(sig: SignatureLine, lang: str) -> str:
    t = words(lang)
    if not (sig.intact and sig.valid):
        state = t["sig_bad"]
    elif not sig.covers_whole_file:
        state = t["sig_changed"]
    elif sig.trusted:
        state = t["sig_ok"]
    else:
        state = t["sig_untrusted"]
    parts = [sig.signer or "?"]
    if sig.signing_time is not None:
        parts.append(t["signed_at"].format(d=format_date(sig.signing_time.date())))
    return f"{', '.join(parts)}: {state}"


def signature_ok(sig: SignatureLine) -> bool:
    return sig.intact and sig.valid and sig.covers_whole_file and sig.trusted


def evidence_facts(item: EvidenceLine, lang: str) -> str:
    """"3 trang · SHA-256 1a2b3c4d5e6f" (the first 12 hex digits, as `dti evidence list` shows them)."""
    t = words(lang)
    if item.kind != "pdf":
        size = t["image"]
    elif item.pages is None:
        size = ""
    else:
        size = t["page"] if item.pages == 1 else t["pages"].format(n=item.pages)
    bits = [b for b in (size, f"{t['sha']} {item.sha256[:12]}") if b]
    return " · ".join(bits)


# -- layout --------------------------------------------------------------------------------------------


class _Styles:
    def __init__(self) -> None:
        st = styles(9.5)
        self.st = st
        self.label = ParagraphStyle("RLabel", parent=st.table_cell, fontName=FONT_BOLD, fontSize=8,
                                    leading=10, textColor=colors.HexColor("#39424a"))
        self.cell = ParagraphStyle("RCell", parent=st.table_cell, fontSize=8.6, leading=11)
        self.cell_small = ParagraphStyle("RCellSmall", parent=self.cell, fontSize=7.6, leading=9.6,
                                         textColor=colors.HexColor("#39424a"))
        self.warn = ParagraphStyle("RWarn", parent=self.cell, textColor=WARN)
        self.head = ParagraphStyle("RHead", parent=self.cell, fontName=FONT_BOLD, fontSize=9, leading=11.5)
        self.head_pts = ParagraphStyle("RHeadPts", parent=self.head, alignment=TA_RIGHT)
        self.index = ParagraphStyle("RIndex", parent=st.heading, fontSize=11, leading=14, spaceBefore=8,
                                    spaceAfter=4, backColor=INDEX_FILL, borderPadding=(3, 4, 3, 4),
                                    leftIndent=4, rightIndent=4)   # the band then spans exactly the frame
        self.component = ParagraphStyle("RComponent", parent=st.heading, fontSize=9.8, leading=12.5,
                                        spaceBefore=6, spaceAfter=3)
        self.section = ParagraphStyle("RSection", parent=st.heading, fontSize=11.5, leading=15, spaceBefore=10,
                                      spaceAfter=5)
        self.caption = ParagraphStyle("RCaption", parent=st.small, alignment=1)
        self.big = ParagraphStyle("RBig", parent=st.body, fontName=FONT_BOLD, fontSize=12, leading=15, spaceAfter=0)
        self.sha = ParagraphStyle("RSha", parent=self.cell, fontSize=6.8, leading=8.6)


def _info_table(rows: Sequence[tuple[str, Flowable]], width: float, s: _Styles) -> Table:
    table = Table([[para(k, s.label), v] for k, v in rows], colWidths=[width * 0.24, width * 0.76])
    table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)))
    return table


def _pairs_table(rows: Sequence[tuple[tuple[str, Flowable], ...]], width: float, s: _Styles) -> Table:
    """Label/value rows, two pairs side by side where a row holds two (a compact cover)."""
    data, spans = [], []
    for n, row in enumerate(rows):
        if len(row) == 2:
            (k1, v1), (k2, v2) = row
            data.append([para(k1, s.label), v1, para(k2, s.label), v2])
        else:
            (k, v), = row
            data.append([para(k, s.label), v, "", ""])
            spans.append(("SPAN", (1, n), (3, n)))
        for col in (0, 2):
            if len(row) == 2 or col == 0:
                spans.append(("BACKGROUND", (col, n), (col, n), LABEL_FILL))
    table = Table(data, colWidths=[width * w for w in (0.19, 0.43, 0.15, 0.23)])
    table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5), *spans))
    return table


def _cover(r: UnitReport, width: float, s: _Styles) -> list[Flowable]:
    t = words(r.lang)
    st = s.st
    round_text = t["round_text"].format(year=r.round_year)
    if r.round_start and r.round_end:
        round_text += f" ({t['window'].format(a=format_date(r.round_start), b=format_date(r.round_end))})"
    pairs = [((t["unit"], markup(f"<b>{esc(r.unit_name)}</b>", s.cell)),
              (t["code"], markup(f"<b>{esc(r.unit_code)}</b>", s.cell))),
             ((t["group"], para(r.group_title, s.cell)), (t["made"], para(format_date(r.made.date()), s.cell))),
             ((t["round"], para(round_text, s.cell)),),
             ((t["framework"], markup(f"{esc(r.framework_title)} <font size='7.5'>({esc(r.framework_id)})</font>",
                                      s.cell)),)]
    if r.decision:
        pairs.append(((t["decision"], para(r.decision, s.cell)),))
    pairs.append(((t["source"], para(t["source_agg"] if r.at_aggregator else t["source_unit"], s.cell)),))
    total = t["out_of"].format(p=points_text(r.total), m=format_points(r.max, r.lang))
    note = f"{t['self_total']}: {points_text(r.self_total)}" if r.self_total != r.total else ""
    cells = [(t["total"], total, note, 50), (t["share"], percent(r.share), "", 22),
             (t["grade"], r.grade or t["none"], "", 28)]
    result = Table([[[para(label, s.label), markup(f"<b>{esc(value)}</b>", s.big),
                      *([para(small, s.cell_small)] if small else [])] for label, value, small, _w in cells]],
                   colWidths=[width * c[3] / 100 for c in cells])
    result.setStyle(table_style(
        ("BOX", (0, 0), (-1, -1), 0.8, RULE), ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("BACKGROUND", (0, 0), (-1, -1), LABEL_FILL), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 6)))
    return [
        state_heading(r.unit_name, r.lang, width, size=9.5),
        Spacer(0, 5 * mm),
        markup("<br/>".join(esc(line) for line in t["title"].format(year=r.round_year).split("\n")), st.title),
        Spacer(0, 3 * mm),
        _pairs_table(pairs, width, s),
        para(t["s_result"], s.section),
        result,
    ]


def _summary(r: UnitReport, width: float, s: _Styles) -> list[Flowable]:
    t = words(r.lang)
    appraised = any(i.points != i.self_points for i in r.indices)
    header = [t["h_index"], t["h_points"], *( [t["h_self"]] if appraised else []), t["h_max"], t["h_share"]]
    rows = []
    for i in r.indices:
        share = i.points / i.max if i.max else Decimal(0)
        rows.append([f"{i.code}. {nfc(i.title)}", points_text(i.points),
                     *([points_text(i.self_points)] if appraised else []), format_points(i.max, r.lang), percent(share)])
    rows.append([markup(f"<b>{esc(t['sum'])}</b>", s.cell), markup(f"<b>{points_text(r.total)}</b>", _right(s.cell)),
                 *([points_text(r.self_total)] if appraised else []), format_points(r.max, r.lang),
                 markup(f"<b>{esc(percent(r.share))}</b>", _right(s.cell))])
    widths = [52, 13, *([13] if appraised else []), 11, 13]
    body = [[c if not isinstance(c, str) or k == 0 else markup(esc(c), _right(s.cell)) for k, c in enumerate(row)]
            for row in rows]
    table = make_table(header, body, widths=widths, total_width=width, size=9.5)
    axes = [Axis(i.code, i.title, i.points / i.max if i.max else Decimal(0)) for i in r.indices]
    if len(axes) >= 3:
        chart = RadarChart(axes, t["radar"], 58 * mm, 80 * mm)
    else:
        chart = RadarChart(axes, t["radar"], 16 * mm * len(axes) + 10 * mm, 16 * mm * len(axes) + 10 * mm)
    return [Spacer(0, 3 * mm), table, Spacer(0, 3 * mm), chart]


def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(style.name + "R", parent=style, alignment=TA_RIGHT)


def _warnings(r: UnitReport, width: float, s: _Styles) -> list[Flowable]:
    t = words(r.lang)
    out: list[Flowable] = [para(t["s_warn"].format(n=len(r.warnings)), s.section)]
    if not r.warnings:
        return [*out, para(t["no_warn"], s.cell)]
    out.append(para(t["warn_note"], s.cell_small))
    out.append(Spacer(0, 1.5 * mm))
    rows = [[text_cell(t["h_code"], 14, bold=True, fill=HEADER_FILL, align="center"),
             text_cell(t["h_warning"], 86, bold=True, fill=HEADER_FILL, align="center")]]
    grouped: dict[str, list[str]] = {}      # one row per code, in the order of the checks (most serious first)
    for code, message in r.warnings:
        grouped.setdefault(code, []).append(message)
    for n, (code, messages) in enumerate(grouped.items()):
        fill = STRIPE_FILL if n % 2 else None
        rows.append([text_cell(code, 14, fill=fill), Cell(tuple((Run(m),) for m in messages), 86, fill)])
    out.append(Grid(rows, size=8.4, repeat=1))
    return out


def _evidence_paras(line: IndicatorLine, lang: str) -> list[tuple[Run, ...]]:
    t = words(lang)
    if not line.evidence:
        level = {"required": t["required"], "optional": t["optional"]}.get(line.evidence_level, t["not_needed"])
        missing = line.evidence_level == "required" and not line.explanation
        return [(Run(f"{t['no_evidence']} ({level})", color=WARN if missing else None),)]
    out: list[tuple[Run, ...]] = []
    for item in line.evidence:
        out.append((Run(item.name, bold=True), Run(f" · {evidence_facts(item, lang)}")))
        if item.kind != "pdf":
            pass                           # a scan image carries no signature to speak of
        elif item.signatures:
            for sig in item.signatures:
                out.append((Run(f"{t['signature']}: {signature_text(sig, lang)}", color=OK if signature_ok(sig) else WARN,
                                size=SMALL),))
        else:
            out.append((Run(f"{t['signature']}: {t['unsigned']}", color=MUTED, size=SMALL),))
        out += [(Run(f"⚠ {problem}", color=WARN, size=SMALL),) for problem in item.problems]
    return out


def _leaf(line: IndicatorLine, lang: str) -> Grid:
    t = words(lang)
    pts = f"{points_text(line.points)} / {format_points(line.max, lang)}"
    rows = [[Cell(((Run(f"{line.code}   {line.title}", bold=True),),), 81, HEADER_FILL),
             text_cell(pts, 19, bold=True, fill=HEADER_FILL, align="right")]]

    def row(label: str, paras: list[tuple[Run, ...]]) -> None:
        rows.append([text_cell(label, 19, bold=True, size=8, fill=LABEL_FILL),
                     Cell(tuple(paras), 81)])

    row(t["value"], [(Run(t["no_value"], color=WARN),)] if line.value is None else [(Run(line.value),)])
    row(t["rule"], [(Run(line.rule),)])
    row(t["self"], [(Run(points_text(line.self_points), bold=True), *((Run(f" · {line.how}"),) if line.how else ()))])
    if line.appraised is not None or line.comment:
        runs = []
        if line.appraised is not None:
            runs.append(Run(t["appraised"].format(p=points_text(line.appraised)), bold=True))
        if line.comment:
            runs.append(Run((" · " if runs else "") + t["comment"].format(c=line.comment)))
        if line.appraiser:
            runs.append(Run(t["by"].format(who=line.appraiser), color=MUTED))
        row(t["appraisal"], [tuple(runs)])
    if line.explanation:
        row(t["explanation"], [(Run(line.explanation),)])
    if line.evidence_level != "none" or line.evidence:
        row(t["evidence"], _evidence_paras(line, lang))
    if line.warnings:
        row(t["warnings"], [(Run(f"⚠ {w}", color=WARN),) for w in line.warnings])
    if line.notes:
        row(t["notes"], [(Run(n, color=MUTED),) for n in line.notes])
    return Grid(rows, size=8.6, repeat=1, space_after=2.2 * mm, keep_whole=70 * mm)


def _details(r: UnitReport, width: float, s: _Styles) -> list[Flowable]:
    t = words(r.lang)
    out: list[Flowable] = [para(t["s_detail"], s.section)]
    for line in r.indicators:
        pts = f"{points_text(line.points)} / {format_points(line.max, r.lang)}"
        if line.leaf:
            out.append(_leaf(line, r.lang))
        elif line.depth == 0:
            share = percent(line.points / line.max) if line.max else ""
            out.append(markup(f"{esc(line.code)}. {esc(line.title)} — {esc(pts)} ({esc(share)})", s.index))
        else:
            indent = ParagraphStyle(f"RComp{line.depth}", parent=s.component, leftIndent=6 * (line.depth - 1))
            out.append(markup(f"{esc(line.code)}&nbsp;&nbsp;{esc(line.title)} — {esc(pts)}", indent))
    return out


def _package(r: UnitReport, width: float, s: _Styles) -> list[Flowable]:
    t = words(r.lang)
    p = r.package
    out: list[Flowable] = [para(t["s_package"], s.section)]
    if p.package_id is not None:
        rows = [(t["package_id"], para(p.package_id, s.cell)), (t["revision"], para(str(p.revision), s.cell)),
                (t["created"], para(when_text(p.created), s.cell))]
        note = t["pkg_note"]
    else:
        last = (t["last_export_text"].format(r=p.last_revision, d=format_date(p.last_exported.date()))
                if p.last_revision is not None and p.last_exported is not None else t["never"])
        rows = [(t["last_export"], para(last, s.cell))]
        note = t["current_note"]
    rows.append((t["fw_hash"], markup(f"{esc(r.framework_id)} · <font size='6.9'>{esc(r.framework_sha256)}</font>",
                                      s.cell)))
    out += [_info_table(rows, width, s), Spacer(0, 2 * mm), para(note, s.cell_small), Spacer(0, 2 * mm)]
    labels = t["data_labels"]
    rows = [[text_cell(t["h_entry"], 30, bold=True, fill=HEADER_FILL, align="center"),
             text_cell(t["h_size"], 12, bold=True, fill=HEADER_FILL, align="center"),
             text_cell(t["h_sha"], 58, bold=True, fill=HEADER_FILL, align="center")]]
    for n, e in enumerate(p.entries):
        fill = STRIPE_FILL if n % 2 else None
        label = e.label or labels.get(e.name, "")
        name = e.name if not e.name.startswith("evidence/") else f"evidence/{e.sha256[:12]}….{e.name.rsplit('.', 1)[-1]}"
        rows.append([Cell(((Run(name),), *(((Run(label, color=MUTED, size=SMALL),),) if label else ())), 30, fill),
                     text_cell(format_vn(Decimal(e.size), 0), 12, fill=fill, align="right"),
                     text_cell(e.sha256, 58, size=6.8, fill=fill)])
    out.append(Grid(rows, size=8.4, repeat=1))
    return out


def write_unit_report(path: Path, report: UnitReport) -> int:
    """Write the report atomically to `path` (same input, same bytes); returns the number of pages."""
    t = words(report.lang)
    s = _Styles()

    def story(layout: Layout) -> list[Flowable]:
        width = layout.width
        return [*_cover(report, width, s), *_summary(report, width, s), *_warnings(report, width, s),
                *_details(report, width, s), *_package(report, width, s)]

    return write_pdf(Path(path), story, lang=report.lang,
                     title=t["doc_title"].format(year=report.round_year, code=nfc(report.unit_code),
                                                 name=nfc(report.unit_name)),
                     subject=t["doc_subject"], header_left=report.unit_name,
                     header_right=f"DTI {report.round_year} · {report.unit_code}", created=report.made, invariant=True,
                     keywords=f"{report.framework_id} {report.unit_code}")
