"""A radar (spider) chart of a unit's main indices, drawn with reportlab.graphics.

Each axis is one main index, its length the share of that index's maximum (0..100 %). With fewer than
three indices a radar has no area, so the same flowable draws horizontal bars instead. Every String uses
the embedded DejaVu fonts: reportlab.graphics defaults to Helvetica, which is never embedded and has no
Vietnamese letters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable

from app.reports.pdfbase import FONT, FONT_BOLD, nfc, register_fonts, stringwidth
from app.scoring.numbers import format_vn

GRID = colors.HexColor("#c3c9cf")
AXIS = colors.HexColor("#8a939c")
FILL = colors.Color(0.16, 0.42, 0.68, alpha=0.28)
EDGE = colors.HexColor("#1f5f99")
INK = colors.HexColor("#22282e")
MUTED = colors.HexColor("#5a636b")
RINGS = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1))
LABEL_LINES = 3   # "6. Hoạt động chuyển đổi số của cơ quan nhà nước" whole beside a 118-point axis


@dataclass(frozen=True)
class Axis:
    """One main index: its code, a short label and the share of its maximum reached (0..1)."""

    code: str
    label: str
    share: Decimal


def percent(share: Decimal) -> str:
    """0.85 -> "85,00%" (the decimal comma of Vietnamese)."""
    return f"{format_vn(share * 100, 2)}%"


def _drawing(width: float, height: float) -> Drawing:
    """A Drawing whose renderer starts in DejaVu Sans: it would otherwise select Helvetica before any String."""
    d = Drawing(width, height)
    d.initialFontName = FONT
    d.initialFontSize = 8
    return d


def _clamp(share: Decimal) -> float:
    return float(min(max(share, Decimal(0)), Decimal(1)))


def _wrap(text: str, size: float, width: float, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of at most `width` points, the last shortened with an ellipsis."""
    words, out, current = nfc(text).split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if stringwidth(trial, size) <= width or not current:
            current = trial
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] += "…"
    for i, line in enumerate(out):
        while stringwidth(line, size) > width and len(line) > 2:
            line = line[:-2] + "…"
        out[i] = line
    return out


def radar_drawing(axes: Sequence[Axis], width: float, height: float, label_size: float = 7.5) -> Drawing:
    """The chart as a Drawing of `width` × `height` points (a flowable in a platypus story)."""
    register_fonts()
    if len(axes) < 3:
        return _bars(axes, width, height, label_size)
    d = _drawing(width, height)
    label_w = min(118.0, width * 0.26)
    n = len(axes)
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
    # a main index's whole title, on up to three lines, then its share
    labels = [[*_wrap(f"{ax.code}. {ax.label}", label_size, label_w, LABEL_LINES), percent(ax.share)] for ax in axes]
    # a label above or below the centre sits on (hangs from) its axis's end: its lines come off the radius
    room = [(height / 2 - len(lines) * label_size * 1.25 - 4) / abs(math.sin(a)) - 6
            for lines, a in zip(labels, angles, strict=True) if abs(math.sin(a)) > 0.2]
    radius = max(20.0, min([(width - 2 * label_w) / 2 - 6, *room]))
    cx, cy = width / 2, height / 2

    def point(angle: float, r: float) -> tuple[float, float]:
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in RINGS:
        pts = [c for a in angles for c in point(a, radius * float(ring))]
        d.add(Polygon(pts, strokeColor=GRID, strokeWidth=0.5, fillColor=None))
        x, y = point(angles[0], radius * float(ring))
        d.add(String(x + 2, y - 2.5, f"{int(ring * 100)}%", fontName=FONT, fontSize=6, fillColor=MUTED))
    for a in angles:
        x, y = point(a, radius)
        d.add(Line(cx, cy, x, y, strokeColor=AXIS, strokeWidth=0.5))
    shape = [c for ax, a in zip(axes, angles, strict=True) for c in point(a, radius * _clamp(ax.share))]
    d.add(Polygon(shape, strokeColor=EDGE, strokeWidth=1.2, fillColor=FILL))
    for ax, a in zip(axes, angles, strict=True):
        x, y = point(a, radius * _clamp(ax.share))
        d.add(Circle(x, y, 1.8, fillColor=EDGE, strokeColor=None))
    for lines, a in zip(labels, angles, strict=True):
        _place_label(d, lines, point(a, radius + 6), a, label_size)
    return d


def _place_label(d: Drawing, lines: list[str], at: tuple[float, float], angle: float, size: float) -> None:
    """Lines of text outside the end of an axis: anchored away from the centre, the last one in bold."""
    x, y = at
    cos, sin = math.cos(angle), math.sin(angle)
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    leading = size * 1.25
    block = leading * len(lines)
    if sin > 0.2:            # above the centre: the block sits on the point
        top = y + block - size * 0.2
    elif sin < -0.2:         # below: it hangs from the point
        top = y - size * 0.3
    else:
        top = y + block / 2 - size * 0.2
    for i, line in enumerate(lines):
        last = i == len(lines) - 1
        d.add(String(x, top - size - i * leading, line, fontName=FONT_BOLD if last else FONT, fontSize=size,
                     fillColor=EDGE if last else INK, textAnchor=anchor))


def _bars(axes: Sequence[Axis], width: float, height: float, size: float) -> Drawing:
    """One or two indices: a horizontal bar per index against a 0..100 % scale."""
    rows = max(len(axes), 1)
    bar_h = min(16.0, (height - 20) / rows * 0.6)
    label_w = min(190.0, width * 0.4)
    scale_w = width - label_w - 60
    d = _drawing(width, bar_h * rows / 0.6 + 20)
    top = d.height - 6
    for i, ax in enumerate(axes):
        y = top - (i + 1) * bar_h / 0.6
        lines = _wrap(f"{ax.code}. {ax.label}", size, label_w - 8)
        for j, line in enumerate(lines):
            d.add(String(label_w - 8, y + bar_h / 2 + (len(lines) / 2 - j - 0.8) * size * 1.2, line,
                         fontName=FONT, fontSize=size, fillColor=INK, textAnchor="end"))
        d.add(Rect(label_w, y, scale_w, bar_h, strokeColor=GRID, strokeWidth=0.5, fillColor=None))
        d.add(Rect(label_w, y, scale_w * _clamp(ax.share), bar_h, strokeColor=EDGE, strokeWidth=0.8, fillColor=FILL))
        d.add(String(label_w + scale_w + 5, y + bar_h / 2 - size * 0.35, percent(ax.share), fontName=FONT_BOLD,
                     fontSize=size, fillColor=EDGE))
    for ring in RINGS:
        x = label_w + scale_w * float(ring)
        d.add(PolyLine([x, 10, x, top], strokeColor=GRID, strokeWidth=0.4, strokeDashArray=[2, 2]))
        d.add(String(x, 2, f"{int(ring * 100)}%", fontName=FONT, fontSize=6, fillColor=MUTED, textAnchor="middle"))
    return d


class RadarChart(Flowable):
    """The chart as a flowable that takes the height left on the page, between `min_height` and
    `max_height` (so that it can stay on the page of the summary table), with its caption beneath."""

    def __init__(self, axes: Sequence[Axis], caption: str, min_height: float, max_height: float,
                 caption_size: float = 7.8):
        super().__init__()
        self.axes, self.caption = list(axes), nfc(caption)
        self.min_height, self.max_height, self.caption_size = min_height, max_height, caption_size
        self._drawing: Drawing | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        caption = self.caption_size * 1.6
        height = max(self.min_height, min(self.max_height, avail_height - caption - 2))
        self._drawing = radar_drawing(self.axes, avail_width, height)
        self.width, self.height = avail_width, self._drawing.height + caption
        return self.width, self.height

    def draw(self) -> None:
        assert self._drawing is not None
        self._drawing.drawOn(self.canv, 0, self.caption_size * 1.6)
        self.canv.setFont(FONT, self.caption_size)
        self.canv.setFillColor(MUTED)
        self.canv.drawCentredString(self.width / 2, self.caption_size * 0.4, self.caption)
