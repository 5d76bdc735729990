"""Ranking (xếp hạng) per group: rank, unit, main indices, total, share (decimal comma), grade, and with an
earlier round chosen its rank and movement; a bar chart of the totals; the ranking report as PDF or Excel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.scoring.numbers import format_points
from app.services.aggregator_view import AggregatorSnapshot, GroupRank
from app.ui.aggregator.chart import BarChart, Series
from app.ui.aggregator.dashboard import table
from app.ui.aggregator.models import R_NAME, SORT_ROLE, RankingModel
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "AggregatorRanking"


class RankingPage(QWidget):
    previous_chosen = Signal(object)   # str path or None

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.lang = window.ctx.lang
        self.snapshot: AggregatorSnapshot | None = None
        column = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr(CTX, "Nhóm:")))
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("rankingGroup")
        self.group_combo.currentIndexChanged.connect(self._show_group)
        bar.addWidget(self.group_combo, 1)
        self.previous_label = QLabel()
        bar.addWidget(self.previous_label)
        self.previous_button = QPushButton(tr(CTX, "So với năm trước…"))
        self.previous_button.clicked.connect(self._choose_previous)
        bar.addWidget(self.previous_button)
        self.pdf_button = QPushButton(tr(CTX, "Xuất báo cáo PDF…"))
        self.pdf_button.clicked.connect(lambda: self.export_report(".pdf"))
        self.xlsx_button = QPushButton(tr(CTX, "Xuất Excel…"))
        self.xlsx_button.clicked.connect(lambda: self.export_report(".xlsx"))
        bar.addWidget(self.pdf_button)
        bar.addWidget(self.xlsx_button)
        column.addLayout(bar)
        self.heading = QLabel()
        self.heading.setObjectName("rankingHeading")
        self.heading.setWordWrap(True)
        column.addWidget(self.heading)
        split = QSplitter(Qt.Orientation.Vertical)
        self.model = RankingModel(self, self.lang)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = table(self.proxy)
        self.view.setObjectName("rankingTable")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        split.addWidget(self.view)
        self.chart = BarChart()
        self.chart.setObjectName("rankingChart")
        split.addWidget(self.chart)
        split.setSizes([420, 220])
        column.addWidget(split, 1)
        self.result = QLabel()
        self.result.setObjectName("rankingResult")
        self.result.setWordWrap(True)
        column.addWidget(self.result)

    def set_snapshot(self, snap: AggregatorSnapshot) -> None:
        self.snapshot = snap
        chosen = self.group_combo.currentData()
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        groups = [g for g in snap.rankings if g.rows] or list(snap.rankings)
        for g in groups:
            self.group_combo.addItem(tr(CTX, "{title} ({n} đơn vị)").format(title=g.title, n=len(g.rows)), g.code)
        found = self.group_combo.findData(chosen)
        self.group_combo.setCurrentIndex(found if found >= 0 else 0)
        self.group_combo.blockSignals(False)
        self.previous_label.setText(tr(CTX, "So sánh với: {label}").format(label=snap.previous_label)
                                    if snap.previous_label else "")
        has = any(g.rows for g in snap.rankings)
        self.pdf_button.setEnabled(has)
        self.xlsx_button.setEnabled(has)
        self._show_group()

    def group(self) -> GroupRank | None:
        code = self.group_combo.currentData()
        return next((g for g in self.snapshot.rankings if g.code == code), None) if self.snapshot else None

    def _show_group(self, *_args: object) -> None:
        g = self.group()
        self.model.set_group(g, self.snapshot.previous_label if self.snapshot else None)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if self.model.columnCount() > R_NAME:
            header.setSectionResizeMode(R_NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        if g is None:
            self.heading.setText(tr(CTX, "Chưa có đơn vị nào để xếp hạng."))
            self.chart.set_data([], [])
            return
        note = "" if g.ranked else " — " + tr(CTX, "nhóm này không xếp hạng")
        legend = " · ".join(f"{code}: {title}" for code, title in g.indices)
        self.heading.setText(tr(CTX, "{title}: tối đa {max} điểm{note}. {legend}").format(
            title=g.title, max=format_points(g.max, self.lang), note=note, legend=legend))
        self.chart.set_data([Series(tr(CTX, "Tổng điểm"), "#42a5f5")],
                            [(f"{r.rank}. {r.unit_name}", [float(r.total)]) for r in g.rows],
                            maximum=float(g.max), decimals=2, empty_text=tr(CTX, "Chưa có đơn vị nào nộp gói."))

    def _choose_previous(self) -> None:
        folder = self.window_.dialogs.open_folder(self, tr(CTX, "Chọn thư mục dữ liệu của đợt đánh giá trước"))
        self.previous_chosen.emit(str(folder) if folder else None)

    def export_report(self, suffix: str) -> None:
        from app.services.report_ranking import write_ranking_report

        kind = tr(CTX, "Báo cáo PDF (*.pdf)") if suffix == ".pdf" else tr(CTX, "Bảng tính Excel (*.xlsx)")
        out = self.window_.dialogs.save_file(self, tr(CTX, "Lưu báo cáo xếp hạng"), f"xep-hang{suffix}", kind)
        if out is None:
            return
        out = Path(out)
        if out.suffix.lower() != suffix:
            out = out.with_name(out.name + suffix)
        ws = self.window_.ws
        lang = self.lang
        self.window_.ctx.runner.op(self, lambda: write_ranking_report(ws, out, lang=lang)).with_progress(
            tr(CTX, "Đang tạo báo cáo xếp hạng…")).success(
            lambda path: self.result.setText(tr(CTX, "Đã ghi {file}").format(file=path))).failure(
            lambda e: self.result.setText(error_text(e))).run()
