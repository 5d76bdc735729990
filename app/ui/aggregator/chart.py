"""A small horizontal bar chart painted with QPainter: one row per label, one or more series drawn as
overlapping bars from the widest (e.g. expected) to the narrowest (e.g. final), with a legend. Enough for
"where are we" at a glance, with no chart library to ship."""

from __future__ import annotations

from dataclasses import dataclass

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
