"""Ranking (xếp hạng) per group, overall or per main index: rank, unit, main indices, total, share (decimal
comma), grade, and with an earlier round chosen its rank and movement; a bar chart of the totals (or of the
chosen index), a heat map of main-index shares, a radar of the selected unit over the group's average; the
ranking report as PDF or Excel, and the selected unit's evidence dossier. A search (code or name, with or
without diacritics) narrows the table and the charts to the units it finds, their ranks the group's; when it
finds none, the page says so."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.scoring.numbers import format_points
from app.services.aggregator_view import AggregatorSnapshot, GroupRank, RankRow
from app.ui.aggregator.chart import BarChart, HeatMap, RadarChart, Series
from app.ui.aggregator.dashboard import sorted_table
from app.ui.aggregator.models import KEY_ROLE, R_NAME, R_RANK, RankFilter, RankingModel
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "AggregatorRanking"


class RankingPage(QWidget):
    previous_chosen = Signal(object)   # str path, or None to compare with nothing

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
        bar.addWidget(self.group_combo, 2)
        bar.addWidget(QLabel(tr(CTX, "Xếp hạng theo:")))
        self.by_combo = QComboBox()
        self.by_combo.setObjectName("rankingBy")
        self.by_combo.currentIndexChanged.connect(self._show_group)
        bar.addWidget(self.by_combo, 2)
        self.search = QLineEdit()
        self.search.setObjectName("rankingSearch")
        self.search.setPlaceholderText(tr(CTX, "Tìm đơn vị (mã, tên; không cần dấu)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search)
        bar.addWidget(self.search, 2)
        self.previous_label = QLabel()
        self.previous_label.setObjectName("rankingPrevious")
        bar.addWidget(self.previous_label)
        self.previous_button = QPushButton(tr(CTX, "So với năm trước…"))
        self.previous_button.setObjectName("rankingChoosePrevious")
        self.previous_button.clicked.connect(self._choose_previous)
        bar.addWidget(self.previous_button)
        self.clear_previous_button = QPushButton(tr(CTX, "Bỏ so sánh"))
        self.clear_previous_button.clicked.connect(lambda: self.previous_chosen.emit(None))
        bar.addWidget(self.clear_previous_button)
        column.addLayout(bar)

        exports = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("rankingHeading")
        self.heading.setWordWrap(True)
        exports.addWidget(self.heading, 1)
        self.pdf_button = QPushButton(tr(CTX, "Xuất báo cáo PDF…"))
        self.pdf_button.clicked.connect(lambda: self.export_report(".pdf"))
        self.xlsx_button = QPushButton(tr(CTX, "Xuất Excel…"))
        self.xlsx_button.clicked.connect(lambda: self.export_report(".xlsx"))
        self.dossier_button = QPushButton(tr(CTX, "Xuất hồ sơ minh chứng của đơn vị…"))
        self.dossier_button.setObjectName("rankingDossier")
        self.dossier_button.clicked.connect(self.export_dossier)
        for button in (self.pdf_button, self.xlsx_button, self.dossier_button):
            exports.addWidget(button)
        column.addLayout(exports)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("rankingSplitter")
        self.model = RankingModel(self, self.lang)
        self.proxy, self.view = sorted_table(self, self.model, R_RANK, "rankingTable", RankFilter(self))
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._show_unit())
        table_pane = QWidget()                    # the table, or what the search did not find
        table_col = QVBoxLayout(table_pane)
        table_col.setContentsMargins(0, 0, 0, 0)
        table_col.addWidget(self.view, 1)
        self.not_found = QLabel()
        self.not_found.setObjectName("rankingNotFound")
        self.not_found.setWordWrap(True)
        self.not_found.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.not_found.setStyleSheet("font-size: 11pt; color: #37474f; padding: 24px;")
        self.not_found.hide()
        table_col.addWidget(self.not_found, 1)
        self.splitter.addWidget(table_pane)
        self.charts = QSplitter(Qt.Orientation.Horizontal)
        self.charts.setObjectName("rankingCharts")
        self.chart = BarChart()
        self.chart.setObjectName("rankingChart")
        self.heatmap = HeatMap()
        self.heatmap.setObjectName("rankingHeatmap")
        self.radar = RadarChart()
        self.radar.setObjectName("rankingRadar")
        for chart in (self.chart, self.heatmap, self.radar):
            self.charts.addWidget(chart)
        self.charts.setSizes([440, 440, 360])
        self.splitter.addWidget(self.charts)
        self.splitter.setSizes([340, 300])
        column.addWidget(self.splitter, 1)
        self.result = QLabel()
        self.result.setObjectName("rankingResult")
        self.result.setWordWrap(True)
        column.addWidget(self.result)

    def splitters(self) -> dict[str, QSplitter]:
        return {"ranking": self.splitter, "ranking_charts": self.charts}

    # -- data -------------------------------------------------------------------------------------------
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
        self._previous_menu(snap)
        self.previous_label.setText(tr(CTX, "So sánh với: {label}").format(label=snap.previous_label)
                                    if snap.previous_label else "")
        self.clear_previous_button.setVisible(bool(snap.previous_label))
        has = any(g.rows for g in snap.rankings)
        self.pdf_button.setEnabled(has)
        self.xlsx_button.setEnabled(has)
        self._show_group()

    def group(self) -> GroupRank | None:
        code = self.group_combo.currentData()
        return next((g for g in self.snapshot.rankings if g.code == code), None) if self.snapshot else None

    def _fill_by(self, g: GroupRank | None) -> None:
        chosen = self.by_combo.currentData()
        self.by_combo.blockSignals(True)
        self.by_combo.clear()
        self.by_combo.addItem(tr(CTX, "Tổng điểm"), None)
        for code, title in (g.indices if g else ()):
            self.by_combo.addItem(f"{code}. {title}", code)
        found = self.by_combo.findData(chosen) if chosen is not None else 0
        self.by_combo.setCurrentIndex(found if found >= 0 else 0)
        self.by_combo.blockSignals(False)

    def set_by(self, code: str | None) -> None:
        """Rank by one main index (its code), or by the total (None)."""
        found = self.by_combo.findData(code) if code is not None else 0
        self.by_combo.setCurrentIndex(max(0, found))

    def _show_group(self, *_args: object) -> None:
        g = self.group()
        if self.sender() is not self.by_combo:
            self._fill_by(g)
        by = self.by_combo.currentData()
        selected = self.selected_unit()
        self.model.set_group(g, self.snapshot.previous_label if self.snapshot else None, by)
        self.view.sortByColumn(R_RANK, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if self.model.columnCount() > R_NAME:
            header.setSectionResizeMode(R_NAME, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self._show_found()
        empty = tr(CTX, "Chưa có đơn vị nào nộp gói.") if not self.search.text().strip() else \
            tr(CTX, "Không tìm thấy đơn vị nào.")
        if g is None:
            self.heading.setText(tr(CTX, "Chưa có đơn vị nào để xếp hạng."))
            self.chart.set_data([], [], empty_text=empty)
            self.heatmap.set_data([], [], empty_text=empty)
            self.radar.set_data([], [], empty_text=empty)
            self.dossier_button.setEnabled(False)
            return
        note = "" if g.ranked else " — " + tr(CTX, "nhóm này không xếp hạng")
        legend = " · ".join(f"{code}: {title}" for code, title in g.indices)
        self.heading.setText(tr(CTX, "{title}: tối đa {max} điểm{note}. {legend}").format(
            title=g.title, max=format_points(g.max, self.lang), note=note, legend=legend))
        rows = self.ordered_rows()
        if by is None:
            self.chart.set_data([Series(tr(CTX, "Tổng điểm"), "#42a5f5")],
                                [(f"{r.rank}. {r.unit_name}", [float(r.total)]) for r in rows],
                                maximum=float(g.max), decimals=2, empty_text=empty)
        else:
            top = g.index_max.get(by)
            self.chart.set_data([Series(tr(CTX, "Điểm chỉ số {code}").format(code=by), "#42a5f5")],
                                [(f"{self.model.rank_of(r)}. {r.unit_name}", [float(r.indices.get(by, 0))]) for r in rows],
                                maximum=float(top) if top else None, decimals=2, empty_text=empty)
        self.heatmap.set_data([code for code, _t in g.indices],
                              [(r.unit_name, [g.index_share(r, code) for code, _t in g.indices]) for r in rows],
                              title=tr(CTX, "Tỷ lệ điểm (%) so với điểm tối đa của từng chỉ số chính"), empty_text=empty,
                              column_titles=[title for _code, title in g.indices])
        self.select_unit(selected or (rows[0].unit_code if rows else None))
        self._show_unit()

    def _search(self, text: str) -> None:
        self.proxy.set_text(text)
        self._show_group()

    def _show_found(self) -> None:
        text = self.search.text().strip()
        nothing = bool(text) and self.model.rowCount() > 0 and self.proxy.rowCount() == 0
        if nothing:
            self.not_found.setText(tr(CTX, "Không tìm thấy đơn vị nào khớp “{text}” trong bảng xếp hạng của nhóm "
                                           "này (chỉ có các đơn vị đã nộp gói).").format(text=text))
        self.view.setVisible(not nothing)
        self.not_found.setVisible(nothing)

    def shown_codes(self) -> list[str]:
        """The units the table shows, in its order."""
        return [r.unit_code for r in self.ordered_rows()]

    def ordered_rows(self) -> list[RankRow]:
        """The group's rows in the order the table shows them."""
        out = []
        for i in range(self.proxy.rowCount()):
            source = self.proxy.mapToSource(self.proxy.index(i, 0))
            out.append(self.model.row_at(source.row()))
        return out

    def selected_unit(self) -> str | None:
        index = self.view.currentIndex()
        return index.siblingAtColumn(0).data(KEY_ROLE) if index.isValid() else None

    def select_unit(self, unit_code: str | None) -> None:
        for i in range(self.proxy.rowCount()):
            if self.proxy.index(i, 0).data(KEY_ROLE) == unit_code:
                self.view.setCurrentIndex(self.proxy.index(i, 0))
                return

    def _show_unit(self) -> None:
        g = self.group()
        code = self.selected_unit()
        row = next((r for r in g.rows if r.unit_code == code), None) if g else None
        self.dossier_button.setEnabled(row is not None)
        rows = self.ordered_rows()
        self.heatmap.highlight = next((i for i, r in enumerate(rows) if row is not None and r is row), None)
        self.heatmap.update()
        if g is None or row is None:
            self.radar.set_data([], [], empty_text=tr(CTX, "Chọn một đơn vị trong bảng để xem biểu đồ."))
            return
        codes = [c for c, _t in g.indices]
        values = [g.index_share(row, c) or 0.0 for c in codes]
        average = []
        for c in codes:
            shares = [s for s in (g.index_share(r, c) for r in g.rows) if s is not None]
            average.append(sum(shares) / len(shares) if shares else 0.0)
        self.radar.set_data(codes, values, average if len(g.rows) > 1 else None,
                            title=tr(CTX, "{unit}: tỷ lệ điểm theo chỉ số chính").format(unit=row.unit_name),
                            legend=(row.unit_name, tr(CTX, "Trung bình của nhóm")),
                            empty_text=tr(CTX, "Cần ít nhất 3 chỉ số chính để vẽ biểu đồ radar."),
                            titles=[title for _code, title in g.indices])

    # -- actions ----------------------------------------------------------------------------------------
    def _previous_menu(self, snap) -> None:
        """The rounds held here first (`dti rank --previous ROUND`), then another data folder (an earlier
        installation)."""
        from PySide6.QtWidgets import QMenu

        if not snap.earlier_rounds:
            self.previous_button.setMenu(None)
            return
        menu = QMenu(self.previous_button)
        for rid, year, title in snap.earlier_rounds:
            action = menu.addAction(tr(CTX, "Đợt {year} — {title}").format(year=year, title=rid))
            action.setToolTip(title)
            action.setObjectName(f"previous:{rid}")
            action.triggered.connect(lambda _checked=False, r=rid: self.previous_chosen.emit(r))
        menu.addSeparator()
        menu.addAction(tr(CTX, "Thư mục dữ liệu khác…"), self._choose_previous)
        self.previous_button.setMenu(menu)

    def _choose_previous(self) -> None:
        folder = self.window_.dialogs.open_folder(self, tr(CTX, "Chọn thư mục dữ liệu của đợt đánh giá trước"))
        if folder is not None:
            self.previous_chosen.emit(str(folder))

    def previous_refused(self, error: Exception) -> None:
        self.result.setText(error_text(error))

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

    def export_dossier(self) -> None:
        """The selected unit's evidence in one PDF (cover, separators with intake findings, bookmarks)."""
        from app.services.report_dossier import write_dossier

        code = self.selected_unit()
        if code is None:
            return
        out = self.window_.dialogs.save_file(self, tr(CTX, "Lưu hồ sơ minh chứng của đơn vị"),
                                             f"{code}-ho-so-minh-chung.pdf", tr(CTX, "Báo cáo PDF (*.pdf)"))
        if out is None:
            return
        out = Path(out)
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        ws = self.window_.ws
        lang = self.lang
        self.window_.ctx.runner.op(self, lambda: write_dossier(ws, out, unit_code=code, lang=lang)).with_progress(
            tr(CTX, "Đang ghép hồ sơ minh chứng…")).success(
            lambda path: self.result.setText(tr(CTX, "Đã ghi hồ sơ minh chứng của {unit}: {file}").format(
                unit=code, file=path))).failure(lambda e: self.result.setText(error_text(e))).run()
