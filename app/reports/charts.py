"""Charts drawn as vector graphics (reportlab.graphics) for the PDF reports: a horizontal bar chart and a
heat map. They know nothing of the domain: labels, values and the text of every number come from the
caller, already in the reader's language.

Every String names the embedded DejaVu fonts: a String left at reportlab's default would reference
Helvetica, a standard-14 font that is not embedded and has no Vietnamese letters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from itertools import pairwise

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from app.reports.pdfbase import FONT, FONT_BOLD, nfc, register_fonts

INK = colors.HexColor("#222a31")
GRID = colors.HexColor("#c9cfd5")
BAR = colors.HexColor("#2f6f9f")
# A sequential blue scale: it reads in order (light = low, dark = high) and survives a grey photocopy,
# which a red-to-green scale does not.
SCALE = ((0.0, colors.HexColor("#f4f8fc")), (0.5, colors.HexColor("#7fb0d6")), (1.0, colors.HexColor("#0b3a66")))
EMPTY_CELL = colors.HexColor("#eeeeee")
DARK_FROM = 0.62  # from this share on the cell is dark enough to need white text

Text = Callable[[Decimal], str]


def text_width(text: str, size: float, bold: bool = False) -> float:
    register_fonts()
    return pdfmetrics.stringWidth(nfc(text), FONT_BOLD if bold else FONT, size)


def fit_text(text: str, size: float, width: float, bold: bool = False) -> str:
    """The text on one line, shortened with an ellipsis when it is wider than `width`: after the last whole
    word that fits (a cut word reads as a misspelt one), within a word only when not even one fits."""
    text = nfc(text)
    if text_width(text, size, bold) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shortened = " ".join(words).rstrip(",;:") + "…"
        if text_width(shortened, size, bold) <= width:
            return shortened
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap_text(text: str, size: float, width: float, max_lines: int = 3, bold: bool = False) -> list[str]:
    """Words broken into lines no wider than `width`; the last line allowed is shortened if need be."""
    lines: list[str] = []
    current = ""
    for word in nfc(text).split():
        candidate = f"{current} {word}".strip()
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[:max_lines - 1], " ".join(lines[max_lines - 1:])]
    return [fit_text(line, size, width, bold) for line in lines]


def _drawing(width: float, height: float) -> Drawing:
    """A Drawing whose initial graphics state names DejaVu too: the renderer sets the state's font before
    any String is drawn, and the default state's font is Helvetica."""
    drawing = Drawing(width, height)
    drawing.initialFontName = FONT
    drawing.initialFontSize = 8
    return drawing


def _label(x: float, y: float, text: str, size: float, *, anchor: str = "start", bold: bool = False,
           color: colors.Color = INK) -> String:
    return String(x, y, nfc(text), fontName=FONT_BOLD if bold else FONT, fontSize=size, textAnchor=anchor,
                  fillColor=color)


def shade(share: float) -> colors.Color:
    """The fill of a heat-map cell for a share 0..1 (clamped), interpolated along SCALE."""
    share = min(max(share, 0.0), 1.0)
    for (lo, lo_color), (hi, hi_color) in pairwise(SCALE):
        if share <= hi:
            return colors.linearlyInterpolatedColor(lo_color, hi_color, lo, hi, share)
    return SCALE[-1][1]


def tick_values(maximum: Decimal, ticks: int = 4) -> list[Decimal]:
    """Round gridlines (a step of 1, 2, 2.5 or 5 × a power of ten, about `ticks` of them) and the maximum
    itself last: 0, 250, 500, 750, 830 rather than 0, 207,50, 415, 622,50, 830. A round line too close
    to the maximum for both labels to be read is left out."""
    if maximum <= 0:
        return [Decimal(0)]
    rough = maximum / ticks
    power = Decimal(10) ** (rough.adjusted())
    step = next(power * m for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
                if power * m >= rough)
    values = []
    tick = Decimal(0)
    while maximum - tick >= step * Decimal("0.3"):
        values.append(tick)
        tick += step
    return [*values, maximum]


def _row_tops(lines: Sequence[Sequence[str]], row_height: float, size: float, top: float) -> list[tuple[float, float]]:
    """(bottom, height) of each row from `top` down: a row whose label takes two lines is taller by one."""
    out = []
    for label in lines:
        height = row_height + max(len(label) - 1, 0) * size * 1.15
        top -= height
        out.append((top, height))
    return out


def _draw_label_lines(drawing: Drawing, x: float, y: float, height: float, lines: Sequence[str], size: float) -> None:
    """Right-aligned lines ending at `x`, centred on a row from `y` up `height` points."""
    leading = size * 1.15
    first = y + (height + (len(lines) - 1) * leading - size) / 2 + 1
    for n, line in enumerate(lines):
        drawing.add(_label(x, first - n * leading, line, size, anchor="end"))


def bar_chart(labels: Sequence[str], values: Sequence[Decimal], *, maximum: Decimal, width: float,
              value_text: Text, tick_text: Text | None = None, row_height: float = 15, size: float = 7.5,
              label_share: float = 0.34, ticks: int = 4) -> Drawing:
    """Horizontal bars, one per label, top down, on a scale 0..maximum with about `ticks` round gridlines
    and one at the maximum (labelled by `tick_text`, default `value_text`); each bar's value is printed
    after it. A label too long for its
    column wraps onto a second line (a group's or unit's whole name, not "Văn phòng Đoàn ĐBQH và…")."""
    tick_text = tick_text or value_text
    register_fonts()
    axis_space = size * 2.2
    left = width * label_share
    wrapped = [wrap_text(label, size, left - 6, max_lines=2) for label in labels]
    rows_height = sum(row_height + max(len(w) - 1, 0) * size * 1.15 for w in wrapped)
    height = rows_height + axis_space + 4
    drawing = _drawing(width, height)
    value_space = max([text_width(value_text(v), size) for v in values] + [text_width(value_text(maximum), size)]) + 6
    right = width - value_space
    scale = (right - left) / float(maximum) if maximum > 0 else 0.0
    base = axis_space
    for tick in tick_values(maximum, ticks):
        x = left + float(tick) * scale
        drawing.add(Line(x, base, x, height - 2, strokeColor=GRID, strokeWidth=0.4))
        drawing.add(_label(x, base - size - 2, tick_text(tick), size * 0.9, anchor="middle"))
    for lines, value, (y, row) in zip(wrapped, values, _row_tops(wrapped, row_height, size, height - 2), strict=True):
        bar = row_height * 0.66
        _draw_label_lines(drawing, left - 4, y, row, lines, size)
        length = max(float(value) * scale, 0.0)
        drawing.add(Rect(left, y + (row - bar) / 2, length, bar, fillColor=BAR, strokeColor=None))
        drawing.add(_label(left + length + 3, y + (row - size) / 2 + 1, value_text(value), size))
    drawing.add(Line(left, base, left, height - 2, strokeColor=INK, strokeWidth=0.6))
    return drawing


def heat_map(row_labels: Sequence[str], column_labels: Sequence[str], cells: Sequence[Sequence[Decimal | None]], *,
             width: float, cell_text: Text, empty_text: str = "—", row_height: float = 15, size: float = 7,
             label_share: float = 0.30, header_lines: int = 3) -> Drawing:
    """A grid of rows × columns whose cells are coloured by a share 0..1 and print `cell_text(share)`;
    a None cell (nothing to measure) is grey and prints `empty_text`. Column labels wrap above the grid."""
    register_fonts()
    left = width * label_share
    column_width = (width - left) / max(len(column_labels), 1)
    wrapped = [wrap_text(label, size, column_width - 4, header_lines, bold=True) for label in column_labels]
    header = (max((len(w) for w in wrapped), default=1)) * (size + 1.5) + 4
    labels = [wrap_text(label, size, left - 6, max_lines=2) for label in row_labels]
    rows_height = sum(row_height + max(len(w) - 1, 0) * size * 1.15 for w in labels)
    height = header + rows_height + 1
    drawing = _drawing(width, height)
    for c, lines in enumerate(wrapped):
        x = left + column_width * (c + 0.5)
        for k, line in enumerate(reversed(lines)):  # bottom line sits just above the grid
            drawing.add(_label(x, height - header + 3 + k * (size + 1.5), line, size, anchor="middle", bold=True))
    for lines, row, (y, row_h) in zip(labels, cells, _row_tops(labels, row_height, size, height - header), strict=True):
        _draw_label_lines(drawing, left - 4, y, row_h, lines, size)
        for c, share in enumerate(row):
            x = left + column_width * c
            fill = EMPTY_CELL if share is None else shade(float(share))
            drawing.add(Rect(x, y, column_width, row_h, fillColor=fill, strokeColor=colors.white, strokeWidth=0.8))
            dark = share is not None and float(share) >= DARK_FROM
            text = empty_text if share is None else cell_text(share)
            drawing.add(_label(x + column_width / 2, y + (row_h - size) / 2 + 1, text, size, anchor="middle",
                               color=colors.white if dark else INK))
    return drawing
