"""What every PDF of the suite shares: embedded DejaVu fonts, A4 pages with a Vietnamese header and footer
("Trang x/y", the date it was made), paragraph styles, tables that wrap and repeat their header, the
heading of an administrative paper, and an atomic writer that sets the document information. Codes read
aloud (passphrases, fingerprints) are drawn by `pdfcode`.

Every text goes through `nfc()`: reportlab maps code points to glyphs one by one, so a decomposed "ệ"
(e + two combining marks) would print as loose accents; DejaVu Sans has every precomposed Vietnamese letter.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, HRFlowable, PageTemplate, Paragraph, Table, TableStyle

import app
from app.atomicfile import atomic_output
from app.paths import resource_dir
from app.scoring.numbers import format_vn

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
MARGIN = 18 * mm
HEADER_SPACE = 10 * mm  # between the top margin and the frame, for the running header
FOOTER_SPACE = 8 * mm
RULE = colors.HexColor("#9aa3ad")
HEADER_FILL = colors.HexColor("#e4e8ec")
STRIPE_FILL = colors.HexColor("#f6f7f9")

_font_lock = threading.Lock()
_WORDS = {
    "vi": {"page": "Trang {n}/{total}", "made": "Tạo bằng dti {version} ngày {date}",
           "nation": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "motto": "Độc lập - Tự do - Hạnh phúc"},
    "en": {"page": "Page {n}/{total}", "made": "Made with dti {version} on {date}",
           "nation": "SOCIALIST REPUBLIC OF VIET NAM", "motto": "Independence - Freedom - Happiness"},
}


def register_fonts() -> None:
    """Register DejaVu Sans (regular and bold) as the family "DejaVuSans"; safe to call any number of times."""
    with _font_lock:
        if FONT_BOLD in pdfmetrics.getRegisteredFontNames():
            return
        fonts = resource_dir() / "fonts"
        pdfmetrics.registerFont(TTFont(FONT, str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts / "DejaVuSans-Bold.ttf")))
        # DejaVu Sans has no oblique here: <i> falls back to upright rather than to a standard-14 font.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def words(lang: str) -> dict[str, str]:
    return _WORDS["en" if lang == "en" else "vi"]


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text))


def esc(text: object) -> str:
    """Plain text made safe for Paragraph markup (NFC, & < > escaped)."""
    return escape(nfc(text))


def format_date(day: date) -> str:
    """dd/mm/yyyy, in both languages."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def missing_glyphs(text: str, bold: bool = False) -> list[str]:
    """Characters of `text` that DejaVu Sans cannot draw (they would print as blanks or boxes)."""
    register_fonts()
    cmap = pdfmetrics.getFont(FONT_BOLD if bold else FONT).face.charToGlyph
    return sorted({ch for ch in nfc(text) if ord(ch) not in cmap})


def stringwidth(text: str, size: float, bold: bool = False) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(nfc(text), FONT_BOLD if bold else FONT, size)


# -- page layout ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """An A4 page: portrait or landscape, with the frame the story flows into."""

    orientation: str = "portrait"
    header: bool = True  # room for the running header above the frame

    def __post_init__(self) -> None:
        if self.orientation not in ("portrait", "landscape"):
            raise ValueError(f"orientation must be 'portrait' or 'landscape', not {self.orientation!r}")

    @property
    def pagesize(self) -> tuple[float, float]:
        return landscape(A4) if self.orientation == "landscape" else A4

    @property
    def width(self) -> float:
        """Usable width of the story frame, in points."""
        return self.pagesize[0] - 2 * MARGIN

    @property
    def height(self) -> float:
        return self.pagesize[1] - 2 * MARGIN - (HEADER_SPACE if self.header else 0) - FOOTER_SPACE


@dataclass(frozen=True)
class Decoration:
    """What is drawn on every page around the story."""

    lang: str
    made_on: date
    header_left: str = ""
    header_right: str = ""

    def draw(self, canvas: Canvas, layout: Layout, page: int, total: int) -> None:
        w = words(self.lang)
        width, height = layout.pagesize
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.setFillColor(colors.HexColor("#4a525a"))
        if self.header_left or self.header_right:
            y = height - MARGIN - 4
            canvas.setFont(FONT_BOLD, 8)
            canvas.drawString(MARGIN, y, _fit(self.header_left, FONT_BOLD, 8, layout.width * 0.55))
            canvas.setFont(FONT, 8)
            canvas.drawRightString(width - MARGIN, y, _fit(self.header_right, FONT, 8, layout.width * 0.42))
            canvas.line(MARGIN, y - 4, width - MARGIN, y - 4)
        y = MARGIN
        canvas.line(MARGIN, y + 10, width - MARGIN, y + 10)
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, y, w["made"].format(version=app.__version__, date=format_date(self.made_on)))
        canvas.drawRightString(width - MARGIN, y, w["page"].format(n=page, total=total))
        canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, shortened with an ellipsis to fit `width` (running headers are one line)."""
    text = nfc(text)
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _NumberedCanvas(Canvas):
    """Holds every page back until the end so that the footer can say "Trang x/y"."""

    def __init__(self, *args, decorate: Callable[[Canvas, int, int], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._pages: list[dict] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(self, number, total)
            super().showPage()
        super().save()


# -- styles ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    table_header: ParagraphStyle
    table_cell: ParagraphStyle
    table_number: ParagraphStyle


@functools.cache
def styles(size: float = 10) -> Styles:
    """Paragraph styles in DejaVu Sans; `size` is the body size, the others scale with it."""
    register_fonts()

    def style(name: str, font: str = FONT, scale: float = 1.0, **kw) -> ParagraphStyle:
        fs = round(size * scale, 1)
        kw.setdefault("leading", round(fs * 1.3, 1))
        kw.setdefault("textColor", colors.black)
        return ParagraphStyle(name, fontName=font, fontSize=fs, **kw)

    return Styles(
        title=style("Title", FONT_BOLD, 1.6, alignment=TA_CENTER, spaceAfter=size * 0.3),
        subtitle=style("Subtitle", FONT, 1.0, alignment=TA_CENTER, spaceAfter=size * 0.6),
        heading=style("Heading", FONT_BOLD, 1.15, spaceBefore=size * 0.7, spaceAfter=size * 0.35, keepWithNext=1),
        body=style("Body", spaceAfter=size * 0.3),
        small=style("Small", FONT, 0.82, textColor=colors.HexColor("#333a40")),
        table_header=style("TableHeader", FONT_BOLD, 0.9, alignment=TA_CENTER),
        table_cell=style("TableCell", FONT, 0.9, alignment=TA_LEFT),
        table_number=style("TableNumber", FONT, 0.9, alignment=TA_RIGHT),
    )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, NFC)."""
    return Paragraph(esc(text), style)


def markup(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of reportlab markup (<b>, <br/>, <font>); the caller has escaped the plain parts."""
    return Paragraph(nfc(text), style)


# -- tables ---------------------------------------------------------------------------------------------

Cell = str | int | Decimal | Flowable | None


def table_style(*commands: tuple) -> TableStyle:
    """A TableStyle whose plain-string cells use DejaVu Sans: reportlab's default is Helvetica, a
    standard-14 font that is never embedded and has no Vietnamese letters. Use it for every Table."""
    register_fonts()
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def _cell(value: Cell, st: Styles, header: bool) -> Flowable | str:
    if isinstance(value, Flowable):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, Decimal | int) and not header:
        places = 0 if isinstance(value, int) else 2
        return Paragraph(esc(format_vn(Decimal(value), places)), st.table_number)
    return Paragraph(esc(value), st.table_header if header else st.table_cell)


def make_table(header: Sequence[Cell] | Sequence[Sequence[Cell]], rows: Iterable[Sequence[Cell]], *,
               widths: Sequence[float], total_width: float, stripes: bool = True, size: float = 10) -> Table:
    """A table whose text cells wrap (long Vietnamese titles, long codes) and whose header rows repeat on
    every page. `widths` are relative weights scaled to `total_width`; `header` is one row or a list of
    rows. Numbers (int, Decimal) are right-aligned with the decimal comma; flowables are used as given."""
    st = styles(size)
    head_rows = [list(header)] if header and not isinstance(header[0], list | tuple) else [list(r) for r in header]
    scale = total_width / sum(widths)
    data = [[_cell(v, st, True) for v in r] for r in head_rows] + [[_cell(v, st, False) for v in r] for r in rows]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    n_head = len(head_rows)
    if n_head:
        commands += [("BACKGROUND", (0, 0), (-1, n_head - 1), HEADER_FILL), ("VALIGN", (0, 0), (-1, n_head - 1), "MIDDLE")]
    if stripes:
        commands.append(("ROWBACKGROUNDS", (0, n_head), (-1, -1), [colors.white, STRIPE_FILL]))
    return Table(data, colWidths=[w * scale for w in widths], repeatRows=n_head, style=table_style(*commands),
                 hAlign="LEFT")


def state_heading(issuer: str, lang: str, total_width: float, size: float = 10) -> Table:
    """The heading of a Vietnamese administrative paper: the issuing body on the left, the national name
    and motto on the right, each with a short rule beneath (after Decree 30/2020)."""
    w = words(lang)
    st = styles(size)
    left_style = ParagraphStyle("IssuerHead", parent=st.body, fontName=FONT_BOLD, alignment=TA_CENTER, spaceAfter=0)
    right_style = ParagraphStyle("NationHead", parent=left_style, fontSize=size * 0.95)
    left_w, right_w = total_width * 0.42, total_width * 0.58
    issuer_text = nfc(issuer).upper()

    def rule(text: str, style: ParagraphStyle, share: float, cap: float) -> HRFlowable:
        longest = max(stringwidth(line, style.fontSize, bold=True) for line in text.split("\n"))
        return HRFlowable(width=min(longest * share, cap), thickness=0.6, color=colors.black, spaceBefore=1.5)

    left = [para(issuer_text, left_style), rule(issuer_text, left_style, 0.4, left_w * 0.5)]
    right = [para(w["nation"], right_style), para(w["motto"], right_style), rule(w["motto"], right_style, 1.0, right_w)]
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(table_style(("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)))
    return table


# -- writing --------------------------------------------------------------------------------------------


def _pdf_date(moment: datetime) -> str:
    stamp = moment.strftime("D:%Y%m%d%H%M%S")
    offset = moment.utcoffset()
    if offset is None:
        return stamp
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{stamp}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


Story = Iterable[Flowable] | Callable[[Layout], Iterable[Flowable]]


def write_pdf(path: Path, story: Story, *, title: str, subject: str = "", lang: str = "vi",
              orientation: str = "portrait", header_left: str = "", header_right: str = "",
              created: datetime | None = None, invariant: bool = False, keywords: str = "") -> int:
    """Lay out `story` (flowables, or a function of the page `Layout` returning them) on A4 pages and
    write the PDF atomically: on any error the previous file at `path` stays as it was. Returns the
    number of pages.

    `created` fixes the creation date in the metadata and the date in the footer (default: now);
    with `invariant=True` as well, the same input gives the same bytes."""
    register_fonts()
    layout = Layout(orientation, header=bool(header_left or header_right))
    moment = created or datetime.now().astimezone()
    decoration = Decoration(lang=lang, made_on=moment.date(), header_left=header_left, header_right=header_right)
    pages = 0

    def decorate(canvas: Canvas, page: int, total: int) -> None:
        nonlocal pages
        pages = total
        decoration.draw(canvas, layout, page, total)

    frame = Frame(MARGIN, MARGIN + FOOTER_SPACE, layout.width, layout.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    with atomic_output(Path(path)) as handle:
        flowables = list(story(layout) if callable(story) else story)
        doc = BaseDocTemplate(
            handle, pagesize=layout.pagesize, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
            bottomMargin=MARGIN, title=nfc(title), author="DTI", subject=nfc(subject), keywords=nfc(keywords),
            creator=f"dti {app.__version__}", invariant=1 if invariant else 0, initialFontName=FONT,
            lang="en" if lang == "en" else "vi-VN", pageTemplates=[PageTemplate(id="page", frames=[frame])],
        )
        stamp = _pdf_date(moment)

        def make_canvas(*args, **kwargs) -> _NumberedCanvas:
            canvas = _NumberedCanvas(*args, decorate=decorate, **kwargs)
            canvas.setDateFormatter(lambda *_: stamp)  # CreationDate and ModDate, instead of the clock
            return canvas

        doc.build(flowables, canvasmaker=make_canvas)
    return pages
