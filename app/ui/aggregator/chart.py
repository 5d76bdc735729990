"""Small charts painted with QPainter, with no chart library to ship: a horizontal bar chart (one row per
label, one or more series drawn as overlapping bars from the widest, e.g. expected, to the narrowest, e.g.
final, with a legend), a heat map of shares (units × main indices) and a radar of one unit's shares."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.scoring.numbers import format_vn
from app.ui.text import tr, wrap_lines

CTX = "AggregatorChart"


@dataclass(frozen=True)
class Series:
    name: str
    color: str


@dataclass(frozen=True)
class BarRow:
    """Where one row of a BarChart is drawn: its label's lines, whether it is a group's heading, its top
    and bottom edge in the widget and its values."""

    label: str
    lines: list[str]
    heading: bool
    top: float
    bottom: float
    values: list[float]


def wrap_label(text: str, metrics: QFontMetrics, width: int, max_lines: int = 2) -> list[str]:
    """A chart label on at most `max_lines` lines (app.ui.text.wrap_lines, as the indicator tree wraps titles);
    never no line at all, so that an empty label keeps its row."""
    return wrap_lines(text, metrics, width, max_lines) or [""]


class BarChart(QWidget):
    """Rows of bars under a legend: overlapping, widest first (expected over received over final), or with
    `stacked` one segment per series end to end (a group's units by grade). A row whose values are None
    is a heading (a unit group's title) over the rows that follow it. Labels wrap onto two lines; when the
    widget is shorter than the rows need, the rows get thinner, and what still does not fit is counted on
    a last line."""

    ROW_H = 26
    LABEL_W = 180        # a label column at least this wide when the widget allows it
    LEGEND_H = 30

    def __init__(self, parent=None):
        super().__init__(parent)
        self.series: list[Series] = []
        self.rows: list[tuple[str, list[float] | None]] = []
        self.maximum: float | None = None
        self.decimals = 0
        self.empty_text = ""
        self.hidden_rows = 0      # rows left out for want of height at the last paint
        self.stacked = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(80)

    def set_data(self, series: list[Series], rows: list[tuple[str, list[float] | None]], maximum: float | None = None,
                 decimals: int = 0, empty_text: str = "", stacked: bool = False) -> None:
        self.series, self.rows, self.maximum, self.decimals = series, rows, maximum, decimals
        self.empty_text, self.stacked = empty_text, stacked
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        if not self.rows:
            return QSize(480, 70)
        _wrapped, natural, _least = self._measure()
        return QSize(480, int(self.LEGEND_H + 10 + sum(natural)))

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().lineSpacing()
        return QSize(240, self.LEGEND_H + 10 + max(1, min(len(self.rows), 4)) * (line + 4))

    def label_width(self) -> int:
        """Wide enough for the longest label up to LABEL_W, and up to 40 % of the widget for long ones."""
        metrics = self.fontMetrics()
        labels = [label for label, values in self.rows if values is not None]
        widest = max((metrics.horizontalAdvance(label) for label in labels), default=0) + 12
        return int(min(widest, max(self.LABEL_W, self.width() * 0.4)))

    def row_layout(self) -> list[BarRow]:
        """Each row's lines and place at the widget's present size (the rows that fit)."""
        line = self.fontMetrics().lineSpacing()
        wrapped, natural, least = self._measure()
        room = self.height() - self.LEGEND_H - 4
        heights = natural
        if sum(natural) > room:   # thinner rows: take from each row's padding in proportion
            spare = sum(natural) - sum(least)
            cut = min(1.0, (sum(natural) - room) / spare) if spare > 0 else 1.0
            heights = [n - (n - m) * cut for n, m in zip(natural, least, strict=True)]
        out: list[BarRow] = []
        top = float(self.LEGEND_H)
        for (label, values), lines, height in zip(self.rows, wrapped, heights, strict=True):
            last = len(out) == len(self.rows) - 1
            if top + height > self.height() - (0 if last else line + 2) and out:
                break
            out.append(BarRow(label, lines, values is None, top, top + height, list(values or [])))
            top += height
        self.hidden_rows = len(self.rows) - len(out)
        return out

    def _measure(self) -> tuple[list[list[str]], list[float], list[float]]:
        """Each row's label lines, its height with padding, and the least height that still shows it."""
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        label_w = self.label_width()
        bold = QFont(self.font())
        bold.setBold(True)
        heading = QFontMetrics(bold)   # a heading is drawn in bold on one line across the chart
        wrapped = [wrap_label(label, heading, self.width() - 16, 1) if values is None
                   else wrap_label(label, metrics, label_w - 8) for label, values in self.rows]
        natural = [float(line + 10 if values is None else max(self.ROW_H, len(lines) * line + 8))
                   for (_label, values), lines in zip(self.rows, wrapped, strict=True)]
        least = [float(line + 4 if values is None else len(lines) * line + 4)
                 for (_label, values), lines in zip(self.rows, wrapped, strict=True)]
        return wrapped, natural, least

    def _row_at(self, y: float) -> BarRow | None:
        return next((r for r in self.row_layout() if r.top <= y < r.bottom), None)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self._row_at(event.pos().y())
            if row is None:
                QToolTip.hideText()
                event.ignore()
                return True
            figures = [f"{s.name}: {format_vn_number(v, self.decimals)}"
                       for s, v in zip(self.series, row.values, strict=False)]
            QToolTip.showText(event.globalPos(), "\n".join([row.label, *figures]), self)
            return True
        return super().event(event)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        text = self.palette().text().color()
        if not self.rows:
            painter.setPen(QColor("#757575"))
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap),
                             self.empty_text)
            painter.end()
            return
        # legend along the top
        x = 8.0
        for s in self.series:
            painter.fillRect(QRectF(x, 8, 12, 12), QColor(s.color))
            painter.setPen(text)
            painter.drawText(QRectF(x + 16, 4, metrics.horizontalAdvance(s.name) + 4, 20),
                             Qt.AlignmentFlag.AlignVCenter, s.name)
            x += 16 + metrics.horizontalAdvance(s.name) + 18
        label_w = self.label_width()
        value_w = max(metrics.horizontalAdvance(" / ".join(["0000,00"] * max(1, len(self.series)))) + 8, 60)
        width = max(10.0, self.width() - label_w - value_w - 16)
        bars = [v for _, v in self.rows if v]
        top_value = self.maximum or max(((sum(v) if self.stacked else max(v)) for v in bars), default=0) or 1.0
        line = metrics.lineSpacing()
        bold = QFont(self.font())
        bold.setBold(True)
        layout = self.row_layout()
        for row in layout:
            height = row.bottom - row.top
            if row.heading:
                painter.setFont(bold)
                painter.setPen(text)
                painter.drawText(QRectF(8, row.bottom - line - 2, self.width() - 16, line),
                                 Qt.AlignmentFlag.AlignVCenter, row.lines[0])
                painter.setFont(self.font())
                continue
            painter.setPen(text)
            block = len(row.lines) * line
            for n, part in enumerate(row.lines):
                painter.drawText(QRectF(8, row.top + (height - block) / 2 + n * line, label_w - 8, line),
                                 Qt.AlignmentFlag.AlignVCenter, part)
            bar_h = max(4.0, min(self.ROW_H - 10, height - 6))
            bar_top = row.top + (height - bar_h) / 2
            widest = 0.0
            if self.stacked:
                for s, value in zip(self.series, row.values, strict=False):
                    w = width * max(0.0, min(1.0, value / top_value))
                    painter.fillRect(QRectF(label_w + widest, bar_top, w, bar_h), QColor(s.color))
                    widest += w
            for s, value in ([] if self.stacked else sorted(zip(self.series, row.values, strict=False),
                                                            key=lambda p: -p[1])):
                w = width * max(0.0, min(1.0, value / top_value))
                widest = max(widest, w)
                painter.fillRect(QRectF(label_w, bar_top, w, bar_h), QColor(s.color))
            if row.values:   # the figures just after the bar, where the eye already is
                painter.setPen(text)
                figures = " / ".join(format_vn_number(v, self.decimals) for v in row.values)
                painter.drawText(QRectF(label_w + widest + 6, row.top, value_w + 80, height),
                                 Qt.AlignmentFlag.AlignVCenter, figures)
        if self.hidden_rows:
            painter.setPen(QColor("#616161"))
            y = layout[-1].bottom if layout else float(self.LEGEND_H)
            painter.drawText(QRectF(8, y, self.width() - 16, line), Qt.AlignmentFlag.AlignVCenter,
                             tr(CTX, "… và {n} dòng nữa").format(n=self.hidden_rows))
        painter.end()


def format_vn_number(value: float, decimals: int) -> str:
    from decimal import Decimal

    return format_vn(Decimal(str(value)), decimals)


def share_colour(share: float) -> QColor:
    """Red (0) through amber (0,5) to green (1): how a heat map reads at a glance."""
    share = max(0.0, min(1.0, share))
    stops = ((0.0, (229, 115, 115)), (0.5, (255, 213, 79)), (1.0, (102, 187, 106)))
    for (a, ca), (b, cb) in pairwise(stops):
        if share <= b:
            t = (share - a) / (b - a)
            return QColor(*(round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True)))
    return QColor(*stops[-1][1])


def percent_text(share: float, decimals: int) -> str:
    from decimal import Decimal

    return f"{format_vn(Decimal(str(share * 100)), decimals)} %"


class HeatMap(QWidget):
    """Units × main indices, each cell coloured by the unit's share of that index's maximum."""

    ROW_H = 22
    LABEL_W = 170

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: list[str] = []
        self.rows: list[tuple[str, list[float | None]]] = []
        self.highlight: int | None = None    # a row drawn framed (the selected unit)
        self.empty_text = ""
        self.title = ""
        self.column_titles: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(80)

    def set_data(self, columns: list[str], rows: list[tuple[str, list[float | None]]], *, title: str = "",
                 empty_text: str = "", highlight: int | None = None, column_titles: list[str] | None = None) -> None:
        """`columns`: the short heads drawn (main index codes); `column_titles`: their titles, for tooltips."""
        self.columns, self.rows, self.title, self.empty_text, self.highlight = columns, rows, title, empty_text, highlight
        self.column_titles = column_titles if column_titles and len(column_titles) == len(columns) else []
        self.updateGeometry()
        self.update()

    def _grid(self) -> tuple[float, float, float, float]:
        """label width, top of the column heads, cell width, row height at the present size"""
        metrics = self.fontMetrics()
        label_w = min(self.LABEL_W, max((metrics.horizontalAdvance(r[0]) for r in self.rows), default=0) + 12)
        top = 26.0
        cell_w = max(12.0, (self.width() - label_w - 12) / max(1, len(self.columns)))
        row_h = max(12.0, min(float(self.ROW_H), (self.height() - top - 4) / max(1, len(self.rows) + 1)))
        return label_w, top, cell_w, row_h

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.rows and self.columns:
            label_w, top, cell_w, row_h = self._grid()
            column = int((event.pos().x() - label_w) // cell_w) if event.pos().x() >= label_w else -1
            row = int((event.pos().y() - top) // row_h) - 1
            head = ""
            if 0 <= column < len(self.columns):
                head = self.columns[column]
                if self.column_titles:
                    head = f"{head}. {self.column_titles[column]}"
            text = ""
            if row == -1 and head:
                text = head
            elif 0 <= row < len(self.rows):
                label, shares = self.rows[row]
                share = shares[column] if 0 <= column < len(shares) else None
                text = label if not head else f"{label} — {head}: " + ("—" if share is None else percent_text(share, 1))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def sizeHint(self) -> QSize:
        return QSize(420, 52 + max(1, len(self.rows)) * self.ROW_H)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, 52 + max(1, min(len(self.rows), 4)) * self.ROW_H)

    def cell_text(self, cell_w: float):
        """How a cell's share is written in a cell this wide: "72,5 %", "73 %", "73" or not at all."""
        metrics = self.fontMetrics()
        for decimals, sign in ((1, True), (0, True), (0, False)):
            sample = percent_text(1.0, decimals) if sign else "100"
            if cell_w >= metrics.horizontalAdvance(sample) + 6:
                return lambda share, d=decimals, s=sign: percent_text(share, d) if s else percent_text(share, d)[:-2]
        return None

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        text_colour = self.palette().text().color()
        painter.setPen(text_colour)
        painter.drawText(QRectF(8, 2, self.width() - 16, 20), Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, self.width() - 16))
        if not self.rows or not self.columns:
            painter.setPen(QColor("#757575"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return
        label_w, top, cell_w, row_h = self._grid()
        for i, code in enumerate(self.columns):
            painter.drawText(QRectF(label_w + i * cell_w, top, cell_w, row_h), Qt.AlignmentFlag.AlignCenter,
                             metrics.elidedText(code, Qt.TextElideMode.ElideRight, int(cell_w - 2)))
        writer = self.cell_text(cell_w)
        y = top + row_h
        for n, (label, shares) in enumerate(self.rows):
            painter.setPen(text_colour)
            painter.drawText(QRectF(8, y, label_w - 10, row_h), Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 10)))
            for i, share in enumerate(shares):
                cell = QRectF(label_w + i * cell_w + 1, y + 1, cell_w - 2, row_h - 2)
                if share is None:
                    painter.fillRect(cell, QColor("#eeeeee"))
                    continue
                painter.fillRect(cell, share_colour(share))
                if writer is not None and row_h >= metrics.height():
                    painter.setPen(QColor("#212121"))
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, writer(share))
            if n == self.highlight:
                painter.setPen(QColor("#1565c0"))
                painter.drawRect(QRectF(label_w, y, cell_w * len(self.columns), row_h - 1))
            y += row_h
        painter.end()


class RadarChart(QWidget):
    """One unit's shares of each main index's maximum on a radar, over the group's average (dashed)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.axes: list[str] = []
        self.values: list[float] = []
        self.reference: list[float] = []
        self.title = ""
        self.legend: tuple[str, str] = ("", "")
        self.empty_text = ""
        self.titles: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 180)

    def set_data(self, axes: list[str], values: list[float], reference: list[float] | None = None, *,
                 title: str = "", legend: tuple[str, str] = ("", ""), empty_text: str = "",
                 titles: list[str] | None = None) -> None:
        """`axes`: the main indices' codes; `titles`: their titles, written at the axes where there is room
        ("6. Hoạt động chính quyền số" on two lines), else only the codes, with the titles in the tooltip."""
        self.axes, self.values, self.reference = axes, values, reference or []
        self.title, self.legend, self.empty_text = title, legend, empty_text
        self.titles = list(titles) if titles and len(titles) == len(axes) else []
        self.setToolTip("\n".join(f"{c}. {t}" for c, t in zip(self.axes, self.titles, strict=True))
                        if self.titles else "")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420 if self.titles else 360, 300)

    LEGEND_H = 20
    MIN_TITLED_RADIUS = 55   # below this a radar with titles is too small to read: codes only

    def _geometry(self) -> tuple[QRectF, float, list[list[str]], bool]:
        """The plot area, the radius, each axis's label lines and whether they are titles (or codes)."""
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        area = QRectF(self.rect()).adjusted(10, 26, -10, -10 - self.LEGEND_H)
        if self.titles:
            label_w = min(150.0, max(70.0, area.width() * 0.28))
            lines = [wrap_label(f"{c}. {t}", metrics, int(label_w), 3) for c, t in zip(self.axes, self.titles, strict=True)]
            widest = max(metrics.horizontalAdvance(x) for ls in lines for x in ls)
            tallest = max(len(ls) for ls in lines)
            radius = min(area.width() / 2 - widest - 10, area.height() / 2 - tallest * line - 8)
            if radius >= self.MIN_TITLED_RADIUS:
                return area, radius, lines, True
        label_room = metrics.horizontalAdvance("100 %") + 8
        radius = max(20.0, min(area.width(), area.height()) / 2 - label_room / 2 - 6)
        return area, radius, [[c] for c in self.axes], False

    def axis_labels(self) -> list[list[str]]:
        """What is written at each axis at the present size."""
        return self._geometry()[2] if len(self.axes) >= 3 else []

    def _point(self, centre, radius: float, i: int, value: float):
        import math

        from PySide6.QtCore import QPointF

        angle = -math.pi / 2 + 2 * math.pi * i / len(self.axes)
        return QPointF(centre.x() + radius * value * math.cos(angle), centre.y() + radius * value * math.sin(angle))

    def paintEvent(self, _event: QPaintEvent) -> None:
        from PySide6.QtGui import QBrush, QPen, QPolygonF

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        text_colour = self.palette().text().color()
        painter.setPen(text_colour)
        painter.drawText(QRectF(8, 2, self.width() - 16, 20), Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, self.width() - 16))
        if len(self.axes) < 3 or not self.values:
            painter.setPen(QColor("#757575"))
            painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap),
                             self.empty_text)
            painter.end()
            return
        legend_h = self.LEGEND_H
        area, radius, labels, titled = self._geometry()
        centre = area.center()
        line = metrics.lineSpacing()
        grid = QPen(QColor("#bdbdbd"))
        for ring in (0.25, 0.5, 0.75, 1.0):
            painter.setPen(grid)
            painter.drawPolygon(QPolygonF([self._point(centre, radius, i, ring) for i in range(len(self.axes))]))
        for i, lines in enumerate(labels):
            painter.setPen(grid)
            painter.drawLine(centre, self._point(centre, radius, i, 1.0))
            painter.setPen(text_colour)
            if not titled:
                label_pos = self._point(centre, radius + 14, i, 1.0)
                box = QRectF(0, 0, metrics.horizontalAdvance(lines[0]) + 8, metrics.height())
                box.moveCenter(label_pos)
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, lines[0])
                continue
            # outside the end of the axis, anchored away from the centre
            end = self._point(centre, radius + 6, i, 1.0)
            dx, dy = end.x() - centre.x(), end.y() - centre.y()
            width = max(metrics.horizontalAdvance(x) for x in lines) + 2
            height = line * len(lines)
            if abs(dx) < 0.2 * radius:
                left, align = end.x() - width / 2, Qt.AlignmentFlag.AlignHCenter
            elif dx > 0:
                left, align = end.x(), Qt.AlignmentFlag.AlignLeft
            else:
                left, align = end.x() - width, Qt.AlignmentFlag.AlignRight
            if dy < -0.2 * radius:
                top = end.y() - height
            elif dy > 0.2 * radius:
                top = end.y()
            else:
                top = end.y() - height / 2
            for n, part in enumerate(lines):
                painter.drawText(QRectF(left, top + n * line, width, line), align | Qt.AlignmentFlag.AlignVCenter, part)
        fill = QColor("#1e88e5")
        fill.setAlpha(70)
        pen = QPen(QColor("#1565c0"))
        pen.setWidthF(2)
        painter.setPen(pen)
        painter.setBrush(QBrush(fill))
        painter.drawPolygon(QPolygonF([self._point(centre, radius, i, v) for i, v in enumerate(self.values)]))
        painter.setBrush(QBrush(QColor("#1565c0")))
        for i, v in enumerate(self.values):
            painter.drawEllipse(self._point(centre, radius, i, v), 2.5, 2.5)
        if self.reference:
            avg = QPen(QColor("#757575"))
            avg.setStyle(Qt.PenStyle.DashLine)
            avg.setWidthF(1.5)
            painter.setPen(avg)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(QPolygonF([self._point(centre, radius, i, v) for i, v in enumerate(self.reference)]))
        # legend along the bottom
        y = self.height() - legend_h - 2
        x = 10.0
        painter.setPen(pen)
        painter.drawLine(int(x), int(y + 10), int(x + 18), int(y + 10))
        painter.setPen(text_colour)
        painter.drawText(QRectF(x + 24, y, metrics.horizontalAdvance(self.legend[0]) + 4, legend_h),
                         Qt.AlignmentFlag.AlignVCenter, self.legend[0])
        if self.reference:
            x += 24 + metrics.horizontalAdvance(self.legend[0]) + 18
            dash = QPen(QColor("#757575"))
            dash.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(dash)
            painter.drawLine(int(x), int(y + 10), int(x + 18), int(y + 10))
            painter.setPen(text_colour)
            painter.drawText(QRectF(x + 24, y, metrics.horizontalAdvance(self.legend[1]) + 4, legend_h),
                             Qt.AlignmentFlag.AlignVCenter, self.legend[1])
        painter.end()
