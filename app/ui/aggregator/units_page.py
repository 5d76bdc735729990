"""Units (đơn vị): every expected unit in a sortable table, filtered by group, district and state or by
a text (code or name, with or without diacritics: "hoa binh" finds "Hòa Bình"); a search or a filter that
finds nothing says so in place of an empty table. Double-click (or Enter) opens the unit in the appraisal
view."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.aggregator_view import AggregatorSnapshot
from app.ui.aggregator.dashboard import table
from app.ui.aggregator.models import (
    STATES,
    U_CODE,
    U_DISTRICT,
    U_NAME,
    U_NOTES,
    UnitFilter,
    UnitTableModel,
    state_text,
)
from app.ui.text import tr

CTX = "AggregatorUnits"


class UnitsPage(QWidget):
    unit_requested = Signal(str)

    def __init__(self, lang: str = "vi", parent=None):
        super().__init__(parent)
        self.lang = lang
        column = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("unitSearch")
        self.search.setPlaceholderText(tr(CTX, "Tìm theo mã hoặc tên đơn vị (gõ có dấu hay không dấu đều được)…"))
        self.search.setClearButtonEnabled(True)
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("groupFilter")
        self.district_combo = QComboBox()
        self.district_combo.setObjectName("districtFilter")
        self.state_combo = QComboBox()
        self.state_combo.setObjectName("stateFilter")
        self.state_combo.addItem(tr(CTX, "Mọi trạng thái"), None)
        for state in STATES:
            self.state_combo.addItem(state_text(state), state)
        bar.addWidget(self.search, 2)
        for label, combo in ((tr(CTX, "Nhóm:"), self.group_combo), (tr(CTX, "Huyện:"), self.district_combo),
                             (tr(CTX, "Trạng thái:"), self.state_combo)):
            caption = QLabel(label)
            bar.addWidget(caption)
            bar.addWidget(combo, 1)
            if combo is self.district_combo:
                self.district_label = caption
        column.addLayout(bar)
        self.model = UnitTableModel(self, lang)
        self.proxy = UnitFilter(self.model, self)
        self.view = table(self.proxy)
        self.view.setObjectName("unitTable")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(U_CODE, Qt.SortOrder.AscendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(U_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(U_NOTES, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.view.doubleClicked.connect(self._open)
        self.view.activated.connect(self._open)
        column.addWidget(self.view, 1)
        self.nothing = QWidget()                 # in place of the table when nothing is found
        nothing_col = QVBoxLayout(self.nothing)
        self.not_found = QLabel()
        self.not_found.setObjectName("unitsNotFound")
        self.not_found.setWordWrap(True)
        self.not_found.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.not_found.setStyleSheet("font-size: 11pt; color: #37474f; padding: 24px;")
        nothing_col.addWidget(self.not_found)
        self.clear_button = QPushButton(tr(CTX, "Bỏ tìm kiếm và bộ lọc"))
        self.clear_button.clicked.connect(self.clear_filters)
        nothing_col.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        nothing_col.addStretch(1)
        self.nothing.hide()
        column.addWidget(self.nothing, 1)
        self.count = QLabel()
        column.addWidget(self.count)
        self.search.textChanged.connect(self._filter)
        for combo in (self.group_combo, self.district_combo, self.state_combo):
            combo.currentIndexChanged.connect(self._filter)

    def _open(self, index: QModelIndex) -> None:
        code = self.proxy.unit_code_at(index)
        if code:
            self.unit_requested.emit(code)

    def set_snapshot(self, snap: AggregatorSnapshot) -> None:
        # a round without districts (the two-tier map since July 2025) shows no district filter or column
        has_districts = bool(snap.districts)
        self.district_label.setVisible(has_districts)
        self.district_combo.setVisible(has_districts)
        self.view.setColumnHidden(U_DISTRICT, not has_districts)
        self.model.district_titles = {b.key: b.title for b in snap.districts}
        self.model.set_rows(list(snap.units))
        for combo, items, everything in (
                (self.group_combo, [(b.key, b.title) for b in snap.groups], tr(CTX, "Mọi nhóm")),
                (self.district_combo, [(b.key, b.title) for b in snap.districts], tr(CTX, "Mọi huyện"))):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, None)
            for key, title in items:
                combo.addItem(title, key)
            found = combo.findData(chosen)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)
        self._filter()

    def set_state(self, state: str | None) -> None:
        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(state)))

    def _filter(self, *_args: object) -> None:
        self.proxy.set_filter(group=self.group_combo.currentData(), district=self.district_combo.currentData(),
                              state=self.state_combo.currentData(), text=self.search.text())
        self.count.setText(tr(CTX, "{shown}/{total} đơn vị").format(shown=self.proxy.rowCount(),
                                                                  total=self.model.rowCount()))
        nothing = self.model.rowCount() > 0 and self.proxy.rowCount() == 0
        if nothing:
            text = self.search.text().strip()
            filtered = any(c.currentData() is not None for c in (self.group_combo, self.district_combo,
                                                                 self.state_combo))
            if text:
                self.not_found.setText(
                    tr(CTX, "Không tìm thấy đơn vị nào khớp “{text}” trong nhóm, huyện và trạng thái đang chọn.")
                    .format(text=text) if filtered else
                    tr(CTX, "Không tìm thấy đơn vị nào khớp “{text}”. Tìm theo mã hoặc một phần tên, có dấu hay "
                            "không dấu (“hoa binh” tìm được “Hòa Bình”).").format(text=text))
            else:
                self.not_found.setText(tr(CTX, "Không có đơn vị nào trong nhóm, huyện và trạng thái đang chọn."))
        self.view.setVisible(not nothing)
        self.nothing.setVisible(nothing)

    def clear_filters(self) -> None:
        for combo in (self.group_combo, self.district_combo, self.state_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.clear()
        self._filter()
        self.search.setFocus()

    def visible_codes(self) -> list[str]:
        return [self.proxy.unit_code_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]
