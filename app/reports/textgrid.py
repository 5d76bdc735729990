"""A fast framed grid of wrapped text for long reports (hundreds of indicator blocks).

reportlab's Paragraph parses markup and re-wraps itself every time a Table measures or draws it: a unit
report of 300 indicators spent seconds there. A `Grid` takes text as runs (plain text with a font, size
and colour), wraps it once per width with cached word widths, and draws each block with one text object.
Rows have their own cell widths (a title row over label/content rows), header rows repeat when a grid
splits across pages, and a row taller than a page is split between lines.

All text is NFC and drawn in the embedded DejaVu fonts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from app.reports.pdfbase import FONT, FONT_BOLD, RULE, nfc, register_fonts

_TOKENS = re.compile(r"\n|[^\S\n]+|[^\s]+")
_widths: dict[tuple[str, str, float], float] = {}


def _width(text: str, font: str, size: float) -> float:
    key = (text, font, size)
    w = _widths.get(key)
    if w is None:
        if len(_widths) > 200_000:
            _widths.clear()
        w = _widths[key] = pdfmetrics.stringWidth(text, font, size)
    return w


@dataclass(frozen=True)
class Run:
    """A piece of text in one font, size and colour."""

    text: str
    bold: bool = False
    color: colors.Color | None = None
    size: float | None = None       # None: the cell's size


@dataclass(frozen=True)
class Cell:
    """One cell: paragraphs (each a sequence of runs), its share of the row's width, fill and alignment."""

    paras: tuple[tuple[Run, ...], ...]
    width: float                    # relative weight within its row
    fill: colors.Color | None = None
    align: str = "left"             # left | right | center


def text_cell(text: str, width: float, *, bold: bool = False, color: colors.Color | None = None,
              size: float | None = None, fill: colors.Color | None = None, align: str = "left") -> Cell:
    """A cell of one paragraph of plain text."""
    return Cell(((Run(text, bold, color, size),),), width, fill, align)


@dataclass
class _Line:
    pieces: list[tuple[float, str, str, float, colors.Color]]   # x offset, text, font, size, colour
    width: float
    height: float


def wrap_runs(runs: Sequence[Run], width: float, size: float, color: colors.Color) -> list[_Line]:
    """Greedy word wrap of runs into lines no wider than `width` (a word longer than a line is cut)."""
    # most cells are one short line: measured whole, without splitting into words
    if all("\n" not in run.text for run in runs):
        pieces, x = [], 0.0
        for run in runs:
            font, fs, text = FONT_BOLD if run.bold else FONT, run.size or size, nfc(run.text)
            pieces.append((x, text, font, fs, run.color or color))
            x += _width(text, font, fs)
        if x <= width and not (pieces and pieces[-1][1].endswith(" ")):
            return [_Line(pieces, x, max([size, *(p[3] for p in pieces)]) * 1.22)]
    lines: list[_Line] = []
    pieces = []
    x = 0.0
    line_size = size

    def newline() -> None:
        nonlocal pieces, x, line_size
        merged: list[tuple[float, str, str, float, colors.Color]] = []
        for piece in pieces:   # words and spaces of one style drawn as one string: far fewer PDF operators
            if merged and merged[-1][2:] == piece[2:]:
                merged[-1] = (merged[-1][0], merged[-1][1] + piece[1], *piece[2:])
            else:
                merged.append(piece)
        lines.append(_Line(merged, x, line_size * 1.22))
        pieces, x, line_size = [], 0.0, size

    for run in runs:
        font = FONT_BOLD if run.bold else FONT
        fs = run.size or size
        ink = run.color or color
        for token in _TOKENS.findall(nfc(run.text)):
            if token == "\n":
                newline()
                continue
            w = _width(token, font, fs)
            if token.isspace():
                if pieces:
                    pieces.append((x, token, font, fs, ink))
                    x += w
                continue
            if x + w > width and pieces:
                while pieces and pieces[-1][1].isspace():    # no trailing space on the line
                    x = pieces.pop()[0]
                newline()
            while w > width and len(token) > 1:              # a hash, a path, a long code: cut by characters
                cut = len(token)
                while cut > 1 and _width(token[:cut], font, fs) > width - x:
                    cut -= 1
                if pieces and cut <= 1:
                    newline()
                    continue
                pieces.append((x, token[:cut], font, fs, ink))
                x += _width(token[:cut], font, fs)
                line_size = max(line_size, fs)
                newline()
                token = token[cut:]
                w = _width(token, font, fs)
            pieces.append((x, token, font, fs, ink))
            x += w
            line_size = max(line_size, fs)
    while pieces and pieces[-1][1].isspace():
        x = pieces.pop()[0]
    if pieces or not lines:
        newline()
    return lines


@dataclass
class _LaidCell:
    x: float
    width: float
    lines: list[_Line]
    fill: colors.Color | None
    align: str


@dataclass
class _LaidRow:
    cells: list[_LaidCell]
    height: float
    header: bool = False


class Grid(Flowable):
    """A list of rows of cells, framed; the first `repeat` rows are repeated on every page it spans."""

    def __init__(self, rows: Sequence[Sequence[Cell]], size: float = 8.6, repeat: int = 0, *, pad_x: float = 4.0,
                 pad_y: float = 2.6, color: colors.Color = colors.black, space_after: float = 0.0,
                 keep_whole: float = 0.0):
        super().__init__()
        register_fonts()
        self.rows, self.size, self.repeat = rows, size, repeat
        self.pad_x, self.pad_y, self.color = pad_x, pad_y, color
        self.spaceAfter = space_after
        self.keep_whole = keep_whole    # a grid no taller than this moves to the next page rather than split
        self._laid: list[_LaidRow] | None = None
        self._laid_width = -1.0

    # layout
    def _layout(self, avail_width: float) -> list[_LaidRow]:
        if self._laid is not None and (self._laid_width == avail_width or not self.rows):
            return self._laid
        laid = []
        for index, row in enumerate(self.rows):
            total = sum(c.width for c in row) or 1
            x = 0.0
            cells = []
            for cell in row:
                w = avail_width * cell.width / total
                inner = max(w - 2 * self.pad_x, 10)
                lines = [line for para in cell.paras for line in wrap_runs(para, inner, self.size, self.color)]
                cells.append(_LaidCell(x, w, lines, cell.fill, cell.align))
                x += w
            height = max(sum(line.height for line in c.lines) for c in cells) + 2 * self.pad_y
            laid.append(_LaidRow(cells, height, header=index < self.repeat))
        self._laid, self._laid_width = laid, avail_width
        return laid

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = sum(r.height for r in self._layout(avail_width))
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        laid = self._layout(avail_width)
        if sum(r.height for r in laid) <= self.keep_whole:
            return []
        head = laid[: self.repeat]
        used = sum(r.height for r in head)
        first: list[_LaidRow] = list(head)
        rest = laid[self.repeat:]
        taken = 0
        for row in rest:
            if used + row.height > avail_height:
                break
            first.append(row)
            used += row.height
            taken += 1
        if taken < len(rest):
            row = rest[taken]
            room = avail_height - used - 2 * self.pad_y
            # cut a row between lines when it is tall (or nothing else would fit): at least two lines go first
            min_line = max((c.lines[0].height * 2 for c in row.cells if c.lines), default=0)
            if room >= min_line and (row.height > avail_height * 0.5 or taken == 0):
                top, bottom = self._cut(row, room)
                if top is not None:
                    first.append(top)
                    rest = [bottom, *rest[taken + 1:]]
                    taken = 0
        if taken == 0 and len(first) == len(head):
            return []
        second = rest[taken:]
        if not second:
            return [self]
        return [self._from_laid(first, avail_width), self._from_laid([*head, *second], avail_width)]

    def _cut(self, row: _LaidRow, room: float) -> tuple[_LaidRow | None, _LaidRow]:
        tops, bottoms = [], []
        for c in row.cells:
            h, n = 0.0, 0
            while n < len(c.lines) and h + c.lines[n].height <= room:
                h += c.lines[n].height
                n += 1
            tops.append(_LaidCell(c.x, c.width, c.lines[:n], c.fill, c.align))
            bottoms.append(_LaidCell(c.x, c.width, c.lines[n:], c.fill, c.align))
        if all(not t.lines for t in tops):
            return None, row

        def height(cells: list[_LaidCell]) -> float:
            return max(sum(line.height for line in c.lines) for c in cells) + 2 * self.pad_y

        return _LaidRow(tops, height(tops)), _LaidRow(bottoms, height(bottoms))

    def _from_laid(self, rows: list[_LaidRow], width: float) -> Grid:
        g = Grid((), self.size, self.repeat, pad_x=self.pad_x, pad_y=self.pad_y, color=self.color,
                 space_after=self.spaceAfter, keep_whole=self.keep_whole)
        g._laid, g._laid_width = rows, width
        return g

    # drawing
    def draw(self) -> None:
        canvas = self.canv
        laid = self._layout(self.width)
        canvas.saveState()
        # fills: a cell continuing the same fill in the row above extends that rectangle (label columns)
        rects: list[list] = []      # [x, bottom, width, height, fill]
        open_rects: dict[tuple[float, float, colors.Color], list] = {}
        y = self.height
        for row in laid:
            still_open = {}
            for c in row.cells:
                if c.fill is None:
                    continue
                key = (round(c.x, 3), round(c.width, 3), c.fill)
                rect = open_rects.get(key)
                if rect is not None:
                    rect[1] -= row.height
                    rect[3] += row.height
                else:
                    rect = [c.x, y - row.height, c.width, row.height, c.fill]
                    rects.append(rect)
                still_open[key] = rect
            open_rects = still_open
            y -= row.height
        for x, bottom, w, h, fill in rects:
            canvas.setFillColor(fill)
            canvas.rect(x, bottom, w, h, stroke=0, fill=1)
        text = canvas.beginText()
        state: tuple = ()
        origin: tuple[float, float] | None = None
        y = self.height
        for row in laid:
            for c in row.cells:
                top = y - self.pad_y
                for line in c.lines:
                    top -= line.height
                    if c.align == "right":
                        left = c.x + c.width - self.pad_x - line.width
                    elif c.align == "center":
                        left = c.x + (c.width - line.width) / 2
                    else:
                        left = c.x + self.pad_x
                    # pieces follow each other (spaces included), so one move per line is enough; a relative
                    # move (Td) writes two numbers where an absolute origin (Tm) writes six
                    base = top + line.height * 0.22
                    if origin is None:
                        text.setTextOrigin(left, base)
                    else:
                        text.moveCursor(left - origin[0], origin[1] - base)
                    origin = (left, base)
                    for _x, piece, font, fs, ink in line.pieces:
                        if state != (font, fs, ink):
                            if state[:2] != (font, fs):
                                text.setFont(font, fs)
                            if not state or state[2] != ink:
                                text.setFillColor(ink)
                            state = (font, fs, ink)
                        text._textOut(piece)   # textOut would also measure the piece to move a cursor we never use
            y -= row.height
        canvas.drawText(text)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        # rules: one line under every row; vertical rules merged over the rows that share them
        segments = []
        verticals: dict[float, list[float]] = {}     # x -> [top, bottom] of the run still open
        y = self.height
        for row in laid:
            segments.append((0, y, self.width, y))
            edges = {round(c.x, 3) for c in row.cells} | {round(self.width, 3)}
            for x in list(verticals):
                if x not in edges:
                    top, bottom = verticals.pop(x)
                    segments.append((x, top, x, bottom))
            for x in edges:
                run = verticals.setdefault(x, [y, y])
                run[1] = y - row.height
            y -= row.height
        segments.append((0, y, self.width, y))
        segments += [(x, top, x, bottom) for x, (top, bottom) in verticals.items()]
        canvas.lines(segments)
        canvas.restoreState()
