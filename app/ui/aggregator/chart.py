"""Small charts painted with QPainter, with no chart library to ship: a horizontal bar chart (one row per
label, one or more series drawn as overlapping bars from the widest, e.g. expected, to the narrowest, e.g.
final, with a legend), a heat map of shares (units × main indices) and a radar of one unit's shares."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.scoring.numbers import format_vn


@dataclass(frozen=True)
class Series:
    name: str
    color: str


class BarChart(QWidget):
    ROW_H = 26
    LABEL_W = 180

    def __init__(self, parent=None):
        super().__init__(parent)
        self.series: list[Series] = []
        self.rows: list[tuple[str, list[float]]] = []
        self.maximum: float | None = None
        self.decimals = 0
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(80)

    def set_data(self, series: list[Series], rows: list[tuple[str, list[float]]], maximum: float | None = None,
                 decimals: int = 0, empty_text: str = "") -> None:
        self.series, self.rows, self.maximum, self.decimals = series, rows, maximum, decimals
        self.empty_text = empty_text
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, 40 + max(1, len(self.rows)) * self.ROW_H)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 40 + max(1, min(len(self.rows), 4)) * self.ROW_H)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = painter.fontMetrics()
        if not self.rows:
            painter.setPen(QColor("#757575"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            painter.end()
            return
        # legend along the top
        x = 8.0
        for s in self.series:
            painter.fillRect(QRectF(x, 8, 12, 12), QColor(s.color))
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(x + 16, 4, metrics.horizontalAdvance(s.name) + 4, 20),
                             Qt.AlignmentFlag.AlignVCenter, s.name)
            x += 16 + metrics.horizontalAdvance(s.name) + 18
        label_w = min(self.LABEL_W, max(metrics.horizontalAdvance(r[0]) for r in self.rows) + 12)
        value_w = max(metrics.horizontalAdvance(" / ".join(["0000,00"] * max(1, len(self.series)))) + 8, 60)
        top = 30.0
        width = max(10.0, self.width() - label_w - value_w - 16)
        top_value = self.maximum or max((max(v) if v else 0) for _, v in self.rows) or 1.0
        for label, values in self.rows:
            painter.setPen(self.palette().text().color())
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - 8))
            painter.drawText(QRectF(8, top, label_w - 8, self.ROW_H - 4), Qt.AlignmentFlag.AlignVCenter, shown)
            bar_h = self.ROW_H - 10
            widest = 0.0
            for s, value in sorted(zip(self.series, values, strict=False), key=lambda p: -p[1]):
                w = width * max(0.0, min(1.0, value / top_value))
                widest = max(widest, w)
                painter.fillRect(QRectF(label_w, top + 3, w, bar_h), QColor(s.color))
            if values:   # the figures just after the bar, where the eye already is
                painter.setPen(self.palette().text().color())
                text = " / ".join(format_vn_number(v, self.decimals) for v in values)
                painter.drawText(QRectF(label_w + widest + 6, top, value_w + 80, self.ROW_H - 4),
                                 Qt.AlignmentFlag.AlignVCenter, text)
            top += self.ROW_H
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
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(80)

    def set_data(self, columns: list[str], rows: list[tuple[str, list[float | None]]], *, title: str = "",
                 empty_text: str = "", highlight: int | None = None) -> None:
        self.columns, self.rows, self.title, self.empty_text, self.highlight = columns, rows, title, empty_text, highlight
        self.updateGeometry()
        self.update()

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
        label_w = min(self.LABEL_W, max(metrics.horizontalAdvance(r[0]) for r in self.rows) + 12)
        top = 26.0
        cell_w = max(12.0, (self.width() - label_w - 12) / len(self.columns))
        row_h = max(12.0, min(float(self.ROW_H), (self.height() - top - 4) / max(1, len(self.rows) + 1)))
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
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 180)

    def set_data(self, axes: list[str], values: list[float], reference: list[float] | None = None, *,
                 title: str = "", legend: tuple[str, str] = ("", ""), empty_text: str = "") -> None:
        self.axes, self.values, self.reference = axes, values, reference or []
        self.title, self.legend, self.empty_text = title, legend, empty_text
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 300)

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
        legend_h = 20
        area = QRectF(self.rect()).adjusted(10, 26, -10, -10 - legend_h)
        label_room = metrics.horizontalAdvance("100 %") + 8
        radius = max(20.0, min(area.width(), area.height()) / 2 - label_room / 2 - 6)
        centre = area.center()
        grid = QPen(QColor("#bdbdbd"))
        for ring in (0.25, 0.5, 0.75, 1.0):
            painter.setPen(grid)
            painter.drawPolygon(QPolygonF([self._point(centre, radius, i, ring) for i in range(len(self.axes))]))
        for i, code in enumerate(self.axes):
            painter.setPen(grid)
            painter.drawLine(centre, self._point(centre, radius, i, 1.0))
            label_pos = self._point(centre, radius + 14, i, 1.0)
            box = QRectF(0, 0, metrics.horizontalAdvance(code) + 8, metrics.height())
            box.moveCenter(label_pos)
            painter.setPen(text_colour)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, code)
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
