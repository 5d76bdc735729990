"""The summary bar across the top: the unit and the round being filled in (đợt đánh giá), its provisional
total, share and grade, and a small bar per main index (chỉ số chính) so the officer sees at a glance where
points are still missing. The round comes first on the second line, so that an officer who holds several
years never types into the wrong one; an earlier year than the newest held is shown in amber."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.scoring.numbers import format_points, format_share
from app.services.rounds import RoundInfo
from app.services.unit_view import IndexView, UnitSnapshot
from app.ui.text import tr

CTX = "Summary"
LINE_STYLE = "color: #546e7a;"
OLDER_STYLE = "color: #8a4b00; font-weight: bold;"   # an earlier year than the newest held: look twice


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" instead of widening the window; the whole
    text stays in the tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, max(0, self.width()))
        super().setText(shown)


class IndexBars(QWidget):
    """One small vertical bar per main index, filled to its share of the maximum, the code beneath."""

    BAR_W = 26

    def __init__(self, parent=None):
        super().__init__(parent)
        self.indices: tuple[IndexView, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_indices(self, indices: tuple[IndexView, ...]) -> None:
        self.indices = indices
        self.setToolTip("\n".join(f"{i.code}. {i.title}: {format_points(i.points)} / {format_points(i.max)}"
                                  for i in indices))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(max(1, len(self.indices)) * (self.BAR_W + 6), 52)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_h = self.fontMetrics().height()
        bar_h = self.height() - text_h - 4
        for i, index in enumerate(self.indices):
            x = i * (self.BAR_W + 6) + 3
            frame = QRectF(x, 2, self.BAR_W, bar_h)
            painter.setPen(QColor("#b0bec5"))
            painter.setBrush(QColor("#eceff1"))
            painter.drawRect(frame)
            share = float(index.points / index.max) if index.max else 0.0
            fill = bar_h * max(0.0, min(1.0, share))
            color = "#2e7d32" if share >= 0.7 else "#f9a825" if share >= 0.5 else "#c62828"
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(color))
            painter.drawRect(QRectF(x, 2 + bar_h - fill, self.BAR_W, fill))
            painter.setPen(QColor("#37474f"))
            painter.drawText(QRectF(x - 3, bar_h + 3, self.BAR_W + 6, text_h), Qt.AlignmentFlag.AlignCenter, index.code)
        painter.end()


def _figure(caption: str) -> tuple[QWidget, QLabel]:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    label = QLabel(caption)
    label.setStyleSheet("color: #546e7a; font-size: 11px;")
    value = QLabel()
    value.setStyleSheet("font-size: 17px; font-weight: bold;")
    column.addWidget(label)
    column.addWidget(value)
    return box, value


class SummaryBar(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("summaryBar")
        self.setStyleSheet("#summaryBar { background: #fafafa; border-bottom: 1px solid #cfd8dc; }")
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.setSpacing(22)
        unit_box = QWidget()
        unit_col = QVBoxLayout(unit_box)
        unit_col.setContentsMargins(0, 0, 0, 0)
        unit_col.setSpacing(0)
        self.unit = ElidedLabel()
        self.unit.setObjectName("unit")
        self.unit.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.framework = ElidedLabel()
        self.framework.setObjectName("roundLine")
        self.framework.setStyleSheet(LINE_STYLE)
        unit_col.addWidget(self.unit)
        unit_col.addWidget(self.framework)
        row.addWidget(unit_box, 1)
        box, self.total = _figure(tr(CTX, "Tổng điểm (tạm tính)"))
        self.total.setObjectName("total")
        row.addWidget(box)
        box, self.share = _figure(tr(CTX, "Tỷ lệ"))
        self.share.setObjectName("share")
        row.addWidget(box)
        box, self.grade = _figure(tr(CTX, "Xếp loại"))
        self.grade.setObjectName("grade")
        row.addWidget(box)
        self.bars = IndexBars()
        row.addWidget(self.bars)

    def set_snapshot(self, snapshot: UnitSnapshot) -> None:
        # first, where a narrow window cannot cut it off: what this unit may not do yet matters more than the title
        practice = "" if snapshot.enrolled else tr(CTX, "đơn vị thực hành, chưa được cấp tài khoản") + " · "
        self.unit.setText(f"{snapshot.unit_name} ({snapshot.unit_code})")
        held = snapshot.round
        parts = [round_label(snapshot.year, held, snapshot.newer_round), snapshot.framework_title, snapshot.group_title]
        if held is not None and held.deadline:
            y, m, d = held.deadline.split("-")
            parts.append(tr(CTX, "hạn nộp {date}").format(date=f"{d}/{m}/{y}"))
        self.framework.setText(practice + " · ".join(parts))
        self.framework.setStyleSheet(OLDER_STYLE if snapshot.newer_round else LINE_STYLE)
        self.total.setText(f"{format_points(snapshot.total)} / {format_points(snapshot.max)}")
        self.share.setText(format_share(snapshot.share))
        if snapshot.has_values:
            self.grade.setText(snapshot.grade or "—")
            self.grade.setStyleSheet("font-size: 17px; font-weight: bold;")
            self.grade.setToolTip("")
        else:   # a first look must not read "Yếu" before anything was entered
            self.grade.setText(tr(CTX, "chưa có"))
            self.grade.setStyleSheet("font-size: 15px; color: #78909c;")
            self.grade.setToolTip(tr(CTX, "Xếp loại hiện khi đã nhập số liệu của ít nhất một tiêu chí."))
        self.bars.set_indices(snapshot.indices)


def round_label(year: int, held: RoundInfo | None, newer: RoundInfo | None) -> str:
    """"Đợt 2025", "Đợt 2024 (đã chốt)", "Đợt 2024 (đã có đợt 2025)": which year is being filled in."""
    text = tr(CTX, "Đợt {year}").format(year=year)
    notes = []
    if held is not None and held.final:
        notes.append(tr(CTX, "đã chốt"))
    if newer is not None:
        notes.append(tr(CTX, "đã có đợt {year}").format(year=newer.year))
    return f"{text} ({', '.join(notes)})" if notes else text
