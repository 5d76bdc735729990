"""Dashboard (tổng quan): the round and its deadline, completeness per group and per district, a bar chart
of what came in, and what needs attention (late units, conflicts, explanations that arrived)."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.aggregator_view import AggregatorSnapshot
from app.ui.aggregator.chart import BarChart, Series
from app.ui.aggregator.models import SORT_ROLE, BucketModel
from app.ui.text import tr

CTX = "AggregatorDashboard"
UNIT_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_COLORS = {"late": "#c62828", "conflict": "#ef6c00", "explained": "#6a1b9a"}


def table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


def sorted_table(owner, model, column: int, name: str,
                 proxy: QSortFilterProxyModel | None = None) -> tuple[QSortFilterProxyModel, QTableView]:
    """`table` over a proxy (`proxy`, or a plain one) that sorts by each cell's SORT_ROLE (numbers as numbers,
    dates as dates), sorted by `column` at first; the view is named `name` (tests and screenshots find it by
    that)."""
    proxy = proxy if proxy is not None else QSortFilterProxyModel(owner)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    view = table(proxy)
    view.setObjectName(name)
    view.setSortingEnabled(True)
    view.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    return proxy, view


def fit_rows(view: QTableView, most: int) -> None:
    """A short table as tall as its rows (up to `most`), so the space goes to what can use it."""
    rows = max(1, min(view.model().rowCount(), most))
    height = view.horizontalHeader().sizeHint().height() + rows * view.verticalHeader().defaultSectionSize()
    view.setFixedHeight(height + 2 * view.frameWidth() + 2)


class DashboardPage(QWidget):
    unit_requested = Signal(str)

    def __init__(self, lang: str = "vi", parent=None):
        super().__init__(parent)
        self.lang = lang
        column = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("dashboardHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.heading)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        self.group_model = BucketModel(tr(CTX, "Nhóm đơn vị"), self, lang)
        self.district_model = BucketModel(tr(CTX, "Huyện"), self, lang)
        self.group_view = table(self.group_model)
        self.district_view = table(self.district_model)
        for title, view in ((tr(CTX, "Tiến độ theo nhóm"), self.group_view),
                            (tr(CTX, "Tiến độ theo huyện"), self.district_view)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(view)
            left_col.addWidget(box)
        self.district_box = box   # hidden in a round without districts (the two-tier map since July 2025)
        box = QGroupBox(tr(CTX, "Biểu đồ tiến độ"))
        self.chart = BarChart()
        self.chart.setObjectName("completenessChart")
        QVBoxLayout(box).addWidget(self.chart)
        left_col.addWidget(box, 1)
        self.grade_box = box = QGroupBox(tr(CTX, "Xếp loại tạm tính (theo điểm hiện tại)"))
        self.grade_chart = BarChart()
        self.grade_chart.setObjectName("gradeChart")
        QVBoxLayout(box).addWidget(self.grade_chart)
        left_col.addWidget(box, 1)
        split.addWidget(left)

        right = QGroupBox(tr(CTX, "Cần chú ý"))
        right_col = QVBoxLayout(right)
        self.attention = QListWidget()
        self.attention.setObjectName("attentionList")
        self.attention.setWordWrap(True)
        self.attention.itemActivated.connect(self._open)
        self.attention.itemDoubleClicked.connect(self._open)
        right_col.addWidget(self.attention)
        hint = QLabel(tr(CTX, "Nhấp đúp để mở đơn vị."))
        hint.setStyleSheet("color: #616161;")
        right_col.addWidget(hint)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        column.addWidget(split, 1)

    def _open(self, item: QListWidgetItem) -> None:
        code = item.data(UNIT_ROLE)
        if code:
            self.unit_requested.emit(code)

    def set_snapshot(self, snap: AggregatorSnapshot) -> None:
        state = (tr(CTX, "<b style='color:#2e7d32'>đã chốt kết quả</b>") if snap.final
                 else tr(CTX, "đang mở"))
        received = sum(1 for u in snap.units if u.revision)
        parts = [f"<span style='font-size:14pt; font-weight:600'>{snap.framework_title}</span>"]
        line = tr(CTX, "Đợt đánh giá năm {year} — {state}").format(year=snap.year or "—", state=state)
        if snap.deadline:
            line += " · " + tr(CTX, "Hạn nộp: <b>{date}</b>").format(date=snap.deadline_text)
        line += " · " + tr(CTX, "Đã nhận {received}/{expected} đơn vị").format(received=received, expected=len(snap.units))
        if snap.conflicts:
            line += " · " + tr(CTX, "<span style='color:#ef6c00'>{n} xung đột thẩm định</span>").format(n=len(snap.conflicts))
        parts.append(line)
        self.heading.setText("<br>".join(parts))
        self.group_model.set_rows(list(snap.groups))
        self.district_model.set_rows(list(snap.districts))
        self.district_box.setVisible(bool(snap.districts))
        for view in (self.group_view, self.district_view):
            fit_rows(view, 6)
        series = [Series(tr(CTX, "Phải nộp"), "#cfd8dc"), Series(tr(CTX, "Đã nộp"), "#64b5f6"),
                  Series(tr(CTX, "Đang thẩm định"), "#ffb74d"), Series(tr(CTX, "Đã chốt"), "#66bb6a")]
        rows = [(b.title, [float(b.expected), float(b.received), float(b.under_appraisal), float(b.final)])
                for b in (*snap.groups, *snap.districts)]
        self.chart.set_data(series, rows, empty_text=tr(CTX, "Chưa có đơn vị nào được cấp tài khoản hay nộp gói."))
        ranked = [g for g in snap.rankings if g.rows]
        labels = list(snap.grades) or sorted({r.grade or "—" for g in ranked for r in g.rows})
        colours = ("#43a047", "#7cb342", "#fbc02d", "#e57373", "#9e9e9e", "#90a4ae")
        # one stacked row per group, named by its title (never its code, `so-dvc`), a segment per grade
        grade_rows = [(g.title, [float(sum(1 for r in g.rows if (r.grade or "—") == label)) for label in labels])
                      for g in ranked]
        if len(ranked) == 1:
            self.grade_box.setTitle(tr(CTX, "Xếp loại tạm tính — {group}").format(group=ranked[0].title))
        self.grade_chart.set_data([Series(label, colours[i % len(colours)]) for i, label in enumerate(labels)],
                                  grade_rows, maximum=float(max((len(g.rows) for g in ranked), default=1) or 1),
                                  stacked=True, empty_text=tr(CTX, "Chưa có đơn vị nào nộp gói."))
        self.attention.clear()
        for a in snap.attention:
            item = QListWidgetItem(a.text(self.lang))
            item.setData(UNIT_ROLE, a.unit_code)
            item.setForeground(Qt.GlobalColor.black)
            item.setData(Qt.ItemDataRole.DecorationRole, _swatch(KIND_COLORS.get(a.kind, "#757575")))
            self.attention.addItem(item)
        if not snap.attention:
            item = QListWidgetItem(tr(CTX, "Không có việc gì cần chú ý."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.attention.addItem(item)

    def attention_texts(self) -> list[str]:
        return [self.attention.item(i).text() for i in range(self.attention.count())]


def _swatch(color: str):
    from PySide6.QtGui import QColor, QPixmap

    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(color))
    return pixmap
