"""Codes read aloud or compared by eye (passphrases, certificate fingerprints, file hashes), drawn in equal
cells like a monospace font while using the embedded DejaVu Sans."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from app.reports.pdfbase import FONT, FONT_BOLD, nfc, register_fonts

DIGIT_COLOR = colors.HexColor("#1747a6")
SYMBOL_COLOR = colors.HexColor("#b02a1e")
VISIBLE_SPACE = "␣"


def group_chars(text: str, size: int = 4) -> list[str]:
    """Text in blocks of `size` characters for reading aloud; a combining mark stays with its letter."""
    clusters: list[str] = []
    for ch in nfc(text):
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return ["".join(clusters[i:i + size]) for i in range(0, len(clusters), size)]


class CodeBlock(Flowable):
    """Groups of characters drawn in equal cells, like a monospace font, on a pale band per group: for
    passphrases and fingerprints read aloud or compared by eye. With `colored`, digits are blue and other
    non-letters red (telling 0 from O and 1 from l), and a space is shown as ␣. Groups wrap to the width;
    `per_line` forces a line break after that many groups."""

    def __init__(self, groups: Sequence[str], *, size: float = 18, bold: bool = True, colored: bool = False,
                 per_line: int | None = None, align: str = "CENTER", min_cell: float = 0.8):
        super().__init__()
        register_fonts()
        self.groups = [nfc(g).replace(" ", VISIBLE_SPACE) for g in groups]
        self.size, self.font, self.colored, self.per_line = size, FONT_BOLD if bold else FONT, colored, per_line
        self.align = align
        # Cells of one width (min_cell em) like a monospace font; only a wider letter (W, m) gets a wider cell.
        self.pad = size * 0.06
        self.cell = {c: max(min_cell * size, pdfmetrics.stringWidth(c, self.font, size)) + self.pad
                     for g in self.groups for c in g}
        self.gap = size * 0.5
        self.line_height = size * 1.5
        self.lines: list[list[str]] = []

    def _group_width(self, group: str) -> float:
        return sum(self.cell[c] for c in group) + self.size * 0.3

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.lines = [[]]
        used = 0.0
        for group in self.groups:
            w = self._group_width(group)
            full = self.per_line is not None and len(self.lines[-1]) >= self.per_line
            if self.lines[-1] and (full or used + self.gap + w > avail_width):
                self.lines.append([])
                used = 0.0
            used += (self.gap if self.lines[-1] else 0) + w
            self.lines[-1].append(group)
        self.avail = avail_width
        self.height = len(self.lines) * self.line_height
        return avail_width, self.height

    def _line_width(self, line: list[str]) -> float:
        return sum(self._group_width(g) for g in line) + self.gap * max(len(line) - 1, 0)

    def _color(self, ch: str) -> colors.Color:
        if not self.colored or ch.isalpha():
            return colors.black
        return DIGIT_COLOR if ch.isdigit() else SYMBOL_COLOR

    def draw(self) -> None:
        c = self.canv
        for row, line in enumerate(self.lines):
            free = self.avail - self._line_width(line)
            x = {"CENTER": free / 2, "RIGHT": free}.get(self.align, 0.0)
            base = self.height - (row + 1) * self.line_height
            for group in line:
                gw = self._group_width(group)
                c.setFillColor(colors.HexColor("#eef1f4"))
                c.roundRect(x, base + self.size * 0.05, gw, self.line_height - self.size * 0.25, self.size * 0.15,
                            stroke=0, fill=1)
                cx = x + self.size * 0.15
                # ActualText: extraction and copy give the group as written, not letters spaced out by the cells.
                # reportlab has no call for marked content, hence the operators written into the page directly.
                actual = group.replace(VISIBLE_SPACE, " ").encode("utf-16-be").hex().upper()
                c._code.append(f"/Span <</ActualText <FEFF{actual}>>> BDC")
                for ch in group:
                    c.setFillColor(self._color(ch))
                    c.setFont(self.font, self.size)
                    c.drawCentredString(cx + self.cell[ch] / 2, base + self.size * 0.4, ch)
                    cx += self.cell[ch]
                c._code.append("EMC")
                x += gw + self.gap
