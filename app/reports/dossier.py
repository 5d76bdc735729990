"""The evidence dossier (tập tài liệu kiểm chứng): all of a unit's evidence PDFs in one file, in framework
order, each indicator's files behind a generated separator page.

The cover and the separators are drawn with reportlab (embedded DejaVu fonts); the evidence pages are then
copied page by page with pikepdf (qpdf), which reads each source lazily and copies stream data only when
the dossier is saved, so 500 pages of scans never sit decoded in memory. Bookmarks go per main index,
component and indicator (and per file); page labels follow the codes: the separator of 1.1 is "1.1", its
evidence pages "1.1-1", "1.1-2"…, the cover "i", "ii".

Merging copies pages, not documents: embedded signatures do not survive it, so each separator states what
was verified when the file was received. Page-level actions and scripted annotations of the sources are
dropped on the way in; JPEG/PNG evidence is only named on its separator.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate, Spacer, Table

import app
from app.atomicfile import atomic_output
from app.reports.pdfbase import (
    FONT,
    FONT_BOLD,
    HEADER_FILL,
    MARGIN,
    RULE,
    STRIPE_FILL,
    _pdf_date,
    format_date,
    nfc,
    para,
    register_fonts,
    state_heading,
    styles,
    table_style,
)
from app.reports.textgrid import Cell, Grid, Run, text_cell
from app.reports.unit_data import SignatureLine
from app.reports.unit_report import points_text, signature_ok, signature_text
from app.scoring.numbers import format_points, format_vn

WARN = colors.HexColor("#a4460c")
OK = colors.HexColor("#1d6b34")
MUTED = colors.HexColor("#4a525a")
LABEL_FILL = colors.HexColor("#f1f3f5")
BAND = colors.HexColor("#1f3b57")
_UNSAFE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition", "/Sound",
                   "/Movie", "/RichMediaExecute", "/GoToE", "/GoToR", "/URI"}


@dataclass(frozen=True)
class DossierFile:
    """One evidence file: what intake recorded, and where its bytes are (None: not in the store)."""

    name: str
    sha256: str
    size: int
    kind: str
    pages: int | None
    path: Path | None
    problems: tuple[str, ...] = ()
    signatures: tuple[SignatureLine, ...] = ()


@dataclass(frozen=True)
class DossierSection:
    """An indicator with evidence: its place in the tree, what its evidence is for, and its files."""

    code: str
    title: str
    trail: tuple[tuple[str, str], ...]      # (code, title) of its ancestors, main index first
    rule: str
    evidence_level: str                      # required | optional | none
    guide: str | None
    value: str | None
    points: Decimal                          # final: appraised where set, else self-scored
    max: Decimal
    explanation: str | None
    files: tuple[DossierFile, ...]
    self_points: Decimal | None = None       # when it differs from `points`


@dataclass(frozen=True)
class Dossier:
    lang: str
    unit_code: str
    unit_name: str
    group_title: str
    framework_id: str
    framework_title: str
    decision: str | None
    round_year: int
    made: datetime
    at_aggregator: bool
    sections: tuple[DossierSection, ...]
    missing: tuple[tuple[str, str], ...] = ()   # required evidence absent and not explained: (code, title)


@dataclass
class DossierResult:
    pages: int
    generated_pages: int            # cover and separators
    evidence_pages: int
    not_merged: list[str] = field(default_factory=list)   # files named on a separator only


TEXT = {
    "vi": {
        "title": "TẬP TÀI LIỆU KIỂM CHỨNG", "subtitle": "Chỉ số chuyển đổi số (DTI) năm {year}",
        "unit": "Đơn vị", "code": "Mã đơn vị", "group": "Nhóm đánh giá", "framework": "Bộ chỉ số",
        "decision": "Căn cứ", "made": "Ngày lập", "source": "Nguồn",
        "source_unit": "Kho tài liệu tại máy của đơn vị", "source_agg": "Gói hồ sơ đơn vị đã nộp, nhập tại cơ quan tổng hợp",
        "summary": "{s} chỉ tiêu có tài liệu, {f} tệp, {p} trang tài liệu.",
        "none": "Đơn vị chưa đính kèm tài liệu kiểm chứng nào: tập này chỉ có trang bìa.",
        "labels": "Nhãn trang theo mã chỉ tiêu: trang ngăn cách của chỉ tiêu 1.1 mang nhãn “1.1”, các trang tài liệu "
                  "“1.1-1”, “1.1-2”… (gõ nhãn vào ô số trang của trình đọc PDF để tới thẳng).",
        "toc": "Mục lục", "h_code": "Mã", "h_indicator": "Chỉ tiêu", "h_files": "Số tệp", "h_pages": "Số trang",
        "missing": "Chỉ tiêu bắt buộc có tài liệu nhưng chưa có và chưa giải trình ({n})",
        "sep_kicker": "TÀI LIỆU KIỂM CHỨNG CHỈ TIÊU", "purpose": "Tài liệu dùng để chứng minh",
        "rule": "Cách chấm", "level": "Yêu cầu tài liệu", "required": "bắt buộc", "optional": "không bắt buộc",
        "not_needed": "không yêu cầu", "guide": "Hướng dẫn", "value": "Số liệu đơn vị nhập", "no_value": "chưa nhập",
        "points": "Điểm", "self": " (tự chấm {p})", "explanation": "Giải trình",
        "files": "Các tệp ({n})", "h_no": "#", "h_name": "Tệp", "h_sha": "SHA-256", "h_in": "Trang trong tập",
        "pages_n": "{n} trang", "image": "ảnh quét — không ghép vào tập, xem tệp gốc",
        "not_in_store": "không có trong kho tài liệu — chưa ghép", "unreadable": "không mở được — chưa ghép",
        "intake": "Kết quả kiểm tra khi tiếp nhận", "signature": "Chữ ký số", "unsigned": "không có chữ ký số",
        "sig_note": "Tình trạng chữ ký số ở trên là kết quả kiểm tra khi tệp được tiếp nhận. Khi ghép vào tập này, "
                    "các trang được sao chép nguyên vẹn nhưng chữ ký số nhúng trong tệp gốc không còn kiểm tra được; "
                    "muốn kiểm tra lại, hãy mở tệp gốc (trong gói hồ sơ, đặt tên theo mã SHA-256).",
        "made_by": "Tạo bằng dti {version} ngày {date}", "page_label": "Trang {label}",
        "doc_title": "Tập tài liệu kiểm chứng DTI {year} — {code} {name}", "doc_subject": "Tập tài liệu kiểm chứng DTI",
    },
    "en": {
        "title": "EVIDENCE DOSSIER", "subtitle": "Digital Transformation Index (DTI) {year}",
        "unit": "Unit", "code": "Unit code", "group": "Assessment group", "framework": "Framework",
        "decision": "Issued by", "made": "Made on", "source": "Source",
        "source_unit": "The unit's own evidence store",
        "source_agg": "The package the unit submitted, imported by the aggregator",
        "summary": "{s} indicators with evidence, {f} files, {p} pages of evidence.",
        "none": "The unit has attached no evidence: this dossier holds only its cover.",
        "labels": "Page labels follow the codes: the separator of indicator 1.1 is labelled “1.1”, its evidence pages "
                  "“1.1-1”, “1.1-2”… (type a label into the PDF reader's page box to go there).",
        "toc": "Contents", "h_code": "Code", "h_indicator": "Indicator", "h_files": "Files", "h_pages": "Pages",
        "missing": "Indicators that require evidence without any and without an explanation ({n})",
        "sep_kicker": "EVIDENCE FOR INDICATOR", "purpose": "What this evidence is to prove",
        "rule": "Rule", "level": "Evidence", "required": "required", "optional": "optional", "not_needed": "not needed",
        "guide": "Guidance", "value": "Value entered by the unit", "no_value": "not entered",
        "points": "Points", "self": " (self-scored {p})", "explanation": "Explanation",
        "files": "Files ({n})", "h_no": "#", "h_name": "File", "h_sha": "SHA-256", "h_in": "Pages in this dossier",
        "pages_n": "{n} pages", "image": "scanned image — not merged, see the original file",
        "not_in_store": "not in the evidence store — not merged", "unreadable": "cannot be opened — not merged",
        "intake": "Checked when received", "signature": "Signature", "unsigned": "not signed",
        "sig_note": "The signature status above is what was verified when the file was received. Merged into this "
                    "dossier, the pages are copied unchanged but the signatures embedded in the original file can no "
                    "longer be verified here; to verify them again, open the original file (in the package, named "
                    "by its SHA-256).",
        "made_by": "Made with dti {version} on {date}", "page_label": "Page {label}",
        "doc_title": "DTI evidence dossier {year} — {code} {name}", "doc_subject": "DTI evidence dossier",
    },
}


def words(lang: str) -> dict[str, str]:
    return TEXT["en" if lang == "en" else "vi"]


def roman(n: int) -> str:
    """1 -> "i", 4 -> "iv": the style of the cover's page labels (/S /r)."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                           (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


# -- counting the sources ---------------------------------------------------------------------------------


def _open(path: Path):
    import pikepdf

    _quiet()
    return pikepdf.open(path)


def _count_pages(files: list[DossierFile]) -> dict[str, int | None]:
    """sha256 -> page count of each PDF that opens (None: it does not, or it is not a PDF in the store). Only what
    the PDF library itself raises on a file marks it unreadable (evidence inspection's rule, app.evidence.pdf)."""
    import pikepdf

    counts: dict[str, int | None] = {}
    for f in files:
        if f.sha256 in counts:
            continue
        counts[f.sha256] = None
        if f.kind != "pdf" or f.path is None or not f.path.is_file():
            continue
        try:
            with _open(f.path) as pdf:
                counts[f.sha256] = len(pdf.pages) or None
        except (pikepdf.PdfError, RuntimeError, ValueError, RecursionError, OSError):  # named on the separator
            counts[f.sha256] = None
    return counts


# -- the generated pages ----------------------------------------------------------------------------------


class _Mark(Flowable):
    """Zero-size marker recording the page it lands on and the label the footer should print."""

    def __init__(self, key: str, label: str, marks: dict[str, int], labels: dict[int, str]):
        super().__init__()
        self.key, self.label, self.marks, self.labels = key, label, marks, labels
        self.width = self.height = 0

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        self.marks[self.key] = page
        self.labels[page] = self.label


def _styles() -> dict[str, ParagraphStyle]:
    st = styles(9.5)
    return {
        "kicker": ParagraphStyle("DKicker", parent=st.body, fontName=FONT_BOLD, fontSize=9, textColor=colors.white,
                                 leading=11),
        "code": ParagraphStyle("DCode", parent=st.body, fontName=FONT_BOLD, fontSize=22, leading=26,
                               textColor=colors.white),
        "head": ParagraphStyle("DHead", parent=st.body, fontName=FONT_BOLD, fontSize=13, leading=16.5,
                               textColor=colors.white),
        "trail": ParagraphStyle("DTrail", parent=st.body, fontSize=8.5, leading=11, textColor=colors.HexColor("#dfe7ef")),
        "section": ParagraphStyle("DSection", parent=st.heading, fontSize=10.5, leading=13.5, spaceBefore=8, spaceAfter=3),
        "body": ParagraphStyle("DBody", parent=st.body, fontSize=9, leading=11.6),
        "small": ParagraphStyle("DSmall", parent=st.small),
        "note": ParagraphStyle("DNote", parent=st.small, fontSize=8, leading=10.4, textColor=MUTED),
        "title": st.title,
        "subtitle": st.subtitle,
        "center": ParagraphStyle("DCenter", parent=st.body, alignment=TA_CENTER),
    }


def _band(section: DossierSection, t: dict, width: float, s: dict) -> Table:
    trail = " › ".join(f"{c}. {nfc(title)}" if "." not in c else f"{c} {nfc(title)}" for c, title in section.trail)
    cells = [para(t["sep_kicker"], s["kicker"]), para(section.code, s["code"]), para(section.title, s["head"])]
    if trail:
        cells.append(para(trail, s["trail"]))
    band = Table([[cells]], colWidths=[width])
    band.setStyle(table_style(("BACKGROUND", (0, 0), (-1, -1), BAND), ("LEFTPADDING", (0, 0), (-1, -1), 10),
                              ("RIGHTPADDING", (0, 0), (-1, -1), 10), ("TOPPADDING", (0, 0), (-1, -1), 8),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 10)))
    return band


def _labels_of(code: str, first: int, count: int) -> str:
    return f"{code}-{first}" if count == 1 else f"{code}-{first} … {code}-{first + count - 1}"


def _separator(section: DossierSection, counts: dict[str, int | None], lang: str, width: float,
               s: dict) -> list[Flowable]:
    t = words(lang)
    level = {"required": t["required"], "optional": t["optional"]}.get(section.evidence_level, t["not_needed"])
    facts = [[text_cell(t["rule"], 24, bold=True, size=8, fill=LABEL_FILL), text_cell(section.rule, 76)],
             [text_cell(t["level"], 24, bold=True, size=8, fill=LABEL_FILL), text_cell(level, 76)]]
    if section.guide:
        facts.append([text_cell(t["guide"], 24, bold=True, size=8, fill=LABEL_FILL), text_cell(section.guide, 76)])
    facts.append([text_cell(t["value"], 24, bold=True, size=8, fill=LABEL_FILL),
                  text_cell(section.value if section.value is not None else t["no_value"], 76,
                            color=None if section.value is not None else WARN)])
    facts.append([text_cell(t["points"], 24, bold=True, size=8, fill=LABEL_FILL),
                  Cell(((Run(f"{points_text(section.points)} / {format_points(section.max, lang)}", bold=True),
                         *((Run(t["self"].format(p=points_text(section.self_points)), color=MUTED),)
                           if section.self_points is not None else ())),), 76)])
    if section.explanation:
        facts.append([text_cell(t["explanation"], 24, bold=True, size=8, fill=LABEL_FILL),
                      text_cell(section.explanation, 76)])
    rows = [[text_cell(t["h_no"], 5, bold=True, fill=HEADER_FILL, align="center"),
             text_cell(t["h_name"], 47, bold=True, fill=HEADER_FILL, align="center"),
             text_cell(t["h_sha"], 20, bold=True, fill=HEADER_FILL, align="center"),
             text_cell(t["h_in"], 28, bold=True, fill=HEADER_FILL, align="center")]]
    next_page = 1
    for n, f in enumerate(section.files, start=1):
        fill = STRIPE_FILL if n % 2 == 0 else None
        pages = counts.get(f.sha256)
        if f.kind != "pdf":
            where, ink = t["image"], MUTED
        elif f.path is None:
            where, ink = t["not_in_store"], WARN
        elif pages is None:
            where, ink = t["unreadable"], WARN
        else:
            where, ink = f"{_labels_of(section.code, next_page, pages)} ({t['pages_n'].format(n=pages)})", None
            next_page += pages
        paras: list[tuple[Run, ...]] = [(Run(f.name, bold=True),)]
        if f.kind == "pdf":
            if f.signatures:
                paras += [(Run(f"{t['signature']}: {signature_text(sig, lang)}", color=OK if signature_ok(sig) else WARN,
                               size=7.6),) for sig in f.signatures]
            else:
                paras.append((Run(f"{t['signature']}: {t['unsigned']}", color=MUTED, size=7.6),))
        paras += [(Run(f"⚠ {p}", color=WARN, size=7.6),) for p in f.problems]
        rows.append([text_cell(str(n), 5, fill=fill, align="center"), Cell(tuple(paras), 47, fill),
                     text_cell(f.sha256[:12], 20, fill=fill), text_cell(where, 28, fill=fill, color=ink)])
    return [
        _band(section, t, width, s), Spacer(0, 5 * mm),
        para(t["purpose"], s["section"]), Grid(facts, size=8.8),
        para(t["files"].format(n=len(section.files)), s["section"]),
        para(t["intake"], s["note"]), Spacer(0, 1.5 * mm),
        Grid(rows, size=8.6, repeat=1),
        *([Spacer(0, 4 * mm), para(t["sig_note"], s["note"])] if any(f.kind == "pdf" for f in section.files) else []),
    ]


def _cover(d: Dossier, counts: dict[str, int | None], width: float, s: dict) -> list[Flowable]:
    t = words(d.lang)
    rows = [[text_cell(t["unit"], 22, bold=True, size=8, fill=LABEL_FILL), text_cell(d.unit_name, 78, bold=True)],
            [text_cell(t["code"], 22, bold=True, size=8, fill=LABEL_FILL), text_cell(d.unit_code, 78, bold=True)],
            [text_cell(t["group"], 22, bold=True, size=8, fill=LABEL_FILL), text_cell(d.group_title, 78)],
            [text_cell(t["framework"], 22, bold=True, size=8, fill=LABEL_FILL),
             Cell(((Run(d.framework_title), Run(f" ({d.framework_id})", size=7.5, color=MUTED)),), 78)]]
    if d.decision:
        rows.append([text_cell(t["decision"], 22, bold=True, size=8, fill=LABEL_FILL), text_cell(d.decision, 78)])
    rows += [[text_cell(t["made"], 22, bold=True, size=8, fill=LABEL_FILL), text_cell(format_date(d.made.date()), 78)],
             [text_cell(t["source"], 22, bold=True, size=8, fill=LABEL_FILL),
              text_cell(t["source_agg"] if d.at_aggregator else t["source_unit"], 78)]]
    out: list[Flowable] = [
        state_heading(d.unit_name, d.lang, width, size=9.5), Spacer(0, 8 * mm),
        para(t["title"], s["title"]), para(t["subtitle"].format(year=d.round_year), s["subtitle"]),
        Spacer(0, 2 * mm), Grid(rows, size=9), Spacer(0, 4 * mm),
    ]
    files = [f for sec in d.sections for f in sec.files]
    if not files:
        out.append(para(t["none"], s["body"]))
    else:
        total = sum(counts.get(f.sha256) or 0 for f in files if f.kind == "pdf")
        out += [para(t["summary"].format(s=len(d.sections), f=len(files), p=format_vn(Decimal(total), 0)), s["body"]),
                para(t["labels"], s["note"]), para(t["toc"], s["section"])]
        toc = [[text_cell(t["h_code"], 12, bold=True, fill=HEADER_FILL, align="center"),
                text_cell(t["h_indicator"], 64, bold=True, fill=HEADER_FILL, align="center"),
                text_cell(t["h_files"], 11, bold=True, fill=HEADER_FILL, align="center"),
                text_cell(t["h_pages"], 13, bold=True, fill=HEADER_FILL, align="center")]]
        for n, sec in enumerate(d.sections):
            fill = STRIPE_FILL if n % 2 else None
            pages = sum(counts.get(f.sha256) or 0 for f in sec.files if f.kind == "pdf")
            toc.append([text_cell(sec.code, 12, fill=fill), text_cell(sec.title, 64, fill=fill),
                        text_cell(str(len(sec.files)), 11, fill=fill, align="right"),
                        text_cell(str(pages), 13, fill=fill, align="right")])
        out.append(Grid(toc, size=8.6, repeat=1))
    if d.missing:
        out.append(para(t["missing"].format(n=len(d.missing)), s["section"]))
        out.append(Grid([[text_cell(code, 12), text_cell(title, 88, color=WARN)] for code, title in d.missing], size=8.6))
    return out


def _render(d: Dossier, counts: dict[str, int | None], path: Path) -> tuple[dict[str, int], int]:
    """Cover and separators into `path`; returns the first page (1-based) of each part ("cover", codes)
    and the number of pages."""
    register_fonts()
    t = words(d.lang)
    s = _styles()
    pagesize = (595.2755905511812, 841.8897637795277)   # A4
    width = pagesize[0] - 2 * MARGIN
    marks: dict[str, int] = {}
    labels: dict[int, str] = {}
    current = {"label": ""}
    made = t["made_by"].format(version=app.__version__, date=format_date(d.made.date()))

    def page_end(canvas, doc) -> None:
        page = canvas.getPageNumber()
        current["label"] = labels.get(page, current["label"])
        label = current["label"] or roman(page)     # the cover's pages are i, ii, … as in the page labels
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, MARGIN + 10, pagesize[0] - MARGIN, MARGIN + 10)
        canvas.setFillColor(MUTED)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, MARGIN, made)
        canvas.setFont(FONT_BOLD, 7.5)
        canvas.drawRightString(pagesize[0] - MARGIN, MARGIN, f"{nfc(d.unit_code)} · {t['page_label'].format(label=label)}")
        canvas.restoreState()

    story: list[Flowable] = [_Mark("cover", "", marks, labels), *_cover(d, counts, width, s)]
    for sec in d.sections:
        story += [PageBreak(), _Mark(sec.code, sec.code, marks, labels), *_separator(sec, counts, d.lang, width, s)]
    frame = Frame(MARGIN, MARGIN + 8 * mm, width, pagesize[1] - 2 * MARGIN - 8 * mm, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    stamp = _pdf_date(d.made)

    def make_canvas(*args: Any, **kwargs: Any):
        from reportlab.pdfgen.canvas import Canvas

        canvas = Canvas(*args, **kwargs)
        canvas.setDateFormatter(lambda *_: stamp)
        return canvas

    doc = BaseDocTemplate(str(path), pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                          bottomMargin=MARGIN, title=nfc(t["doc_title"].format(year=d.round_year, code=d.unit_code,
                                                                                  name=d.unit_name)),
                          author="DTI", creator=f"dti {app.__version__}", invariant=1, initialFontName=FONT,
                          pageTemplates=[PageTemplate(id="page", frames=[frame], onPageEnd=page_end)])
    doc.build(story, canvasmaker=make_canvas)
    return marks, doc.page


# -- assembly ---------------------------------------------------------------------------------------------


def _defang(page) -> None:
    """Drop what could run when a reader opens the dossier (page actions, scripted, launching or web
    annotation actions, attached files) and the form widgets left after flattening."""
    import pikepdf

    for key in ("/AA",):
        if key in page.obj:
            del page.obj[key]
    annots = page.obj.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return
    keep = pikepdf.Array()
    for annot in annots:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        if annot.get("/Subtype") in (pikepdf.Name.FileAttachment, pikepdf.Name.Screen, pikepdf.Name.RichMedia,
                                     pikepdf.Name.Movie, pikepdf.Name.Sound, pikepdf.Name.Widget):
            continue    # widgets: what they showed was flattened into the page; their fields are gone
        if "/AA" in annot:
            del annot["/AA"]
        action = annot.get("/A")
        if isinstance(action, pikepdf.Dictionary) and str(action.get("/S", "")) in _UNSAFE_ACTIONS:
            del annot["/A"]
        keep.append(annot)
    page.obj["/Annots"] = keep


def write_dossier(path: Path, dossier: Dossier) -> DossierResult:
    """Write the dossier atomically to `path`.

    Two passes, both streaming from files: qpdf's page assembly (the engine of `qpdf --pages`, which reads
    each source's stream data only while writing; pikepdf's own page copy would hold every copied page's
    data in memory) puts cover, separators and evidence pages in order; pikepdf then adds the bookmarks,
    page labels and document information, drops what could run, and saves the final file."""
    import pikepdf

    path = Path(path)
    files = [f for sec in dossier.sections for f in sec.files]
    counts = _count_pages(files)
    result = DossierResult(0, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    # scratch beside the output, like the atomic write itself: a system temp may be too small for 1 GB of scans
    with tempfile.TemporaryDirectory(prefix=".dti-dossier-", dir=path.parent) as scratch:
        generated = Path(scratch) / "generated.pdf"
        merged = Path(scratch) / "merged.pdf"
        marks, generated_pages = _render(dossier, counts, generated)
        result.generated_pages = generated_pages
        starts = [*sorted(marks.values()), generated_pages + 1]
        ranges = {key: (first, starts[starts.index(first) + 1] - 1) for key, first in marks.items()}   # 1-based

        # --flatten-annotations: the sources' form fields and signature widgets become part of the page as
        # they were seen (their fields, with the signatures, could not work in the dossier anyway)
        args = ["qpdf", "--no-warn", "--warning-exit-0", "--compress-streams=n", "--decode-level=none",
                "--flatten-annotations=all", "--empty", "--pages"]
        position = 0                       # pages in the dossier so far
        nums: list[Any] = []               # page labels: first page index, label dictionary, …
        evidence_pages: list[int] = []
        outline: list[tuple[tuple[tuple[str, str], ...], str, int, list[tuple[str, int]]]] = []

        def take(source: Path, first: int, last: int) -> int:
            nonlocal position
            args.extend([str(source), f"{first}-{last}"])
            start = position
            position += last - first + 1
            return start

        take(generated, *ranges["cover"])
        nums += [0, pikepdf.Dictionary(S=pikepdf.Name.r)]
        for sec in dossier.sections:
            first = take(generated, *ranges[sec.code])
            nums += [first, pikepdf.Dictionary(P=pikepdf.String(nfc(sec.code)))]
            file_marks: list[tuple[str, int]] = []
            for f in sec.files:
                pages = counts.get(f.sha256)
                if f.kind != "pdf" or f.path is None or pages is None:
                    result.not_merged.append(f.name)
                    continue
                if not file_marks:
                    nums += [position, pikepdf.Dictionary(P=pikepdf.String(f"{nfc(sec.code)}-"), S=pikepdf.Name.D,
                                                          St=1)]
                start = take(f.path, 1, pages)
                file_marks.append((f.name, start))
                evidence_pages.extend(range(start, position))
            outline.append((sec.trail, f"{sec.code} {nfc(sec.title)}", first, file_marks))
        args += ["--", str(merged)]
        _quiet()
        pikepdf.Job(args).run()

        t = words(dossier.lang)
        with pikepdf.open(merged) as pdf:
            for index in evidence_pages:
                _defang(pdf.pages[index])
            for key in ("/AcroForm", "/OpenAction", "/AA", "/Names", "/Outlines", "/PageLabels"):
                if key in pdf.Root:       # what --pages carried of the sources' forms (signature fields) and more
                    del pdf.Root[key]
            pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
            _outline(pdf, outline)
            pdf.Root.PageMode = pikepdf.Name.UseOutlines
            title = nfc(t["doc_title"].format(year=dossier.round_year, code=dossier.unit_code, name=dossier.unit_name))
            pdf.docinfo["/Title"] = title
            pdf.docinfo["/Subject"] = t["doc_subject"]
            pdf.docinfo["/Author"] = nfc(dossier.unit_name)
            pdf.docinfo["/Creator"] = f"dti {app.__version__}"
            pdf.docinfo["/Producer"] = f"dti {app.__version__} (qpdf)"
            pdf.docinfo["/CreationDate"] = _pdf_date(dossier.made)
            pdf.docinfo["/ModDate"] = _pdf_date(dossier.made)
            result.pages = len(pdf.pages)
            result.evidence_pages = len(evidence_pages)
            with atomic_output(path) as handle, warnings.catch_warnings():
                warnings.simplefilter("ignore")      # pikepdf's advice on forms: nothing for the person to act on
                pdf.save(handle, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return result


def _quiet() -> None:
    """qpdf reports damage through the `pikepdf._core` logger: with no handler configured, Python's
    last-resort handler would print it on stderr (the CLI prints one line there, nothing else)."""
    logger = logging.getLogger("pikepdf")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


def _outline(pdf, sections: list[tuple[tuple[tuple[str, str], ...], str, int, list[tuple[str, int]]]]) -> None:
    """Bookmarks: main index › component › indicator › file, each pointing at its first page."""
    import pikepdf

    with pdf.open_outline() as outline:
        nodes: dict[tuple[str, ...], Any] = {}
        for trail, title, page, files in sections:
            parent_list = outline.root
            key: tuple[str, ...] = ()
            for code, node_title in trail:
                key = (*key, code)
                node = nodes.get(key)
                if node is None:
                    label = f"{code}. {nfc(node_title)}" if len(key) == 1 else f"{code} {nfc(node_title)}"
                    node = pikepdf.OutlineItem(label, page)
                    nodes[key] = node
                    parent_list.append(node)
                parent_list = node.children
            item = pikepdf.OutlineItem(title, page)
            item.children.extend(pikepdf.OutlineItem(nfc(name), first) for name, first in files)
            parent_list.append(item)
