"""Units (đơn vị): every expected unit in a sortable table, filtered by group, district and state or by
a text; double-click (or Enter) opens the unit in the appraisal view."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.aggregator_view import AggregatorSnapshot
from app.ui.aggregator.dashboard import table
from app.ui.aggregator.models import STATES, U_CODE, U_NAME, U_NOTES, UnitFilter, UnitTableModel, state_text
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
        self.search.setPlaceholderText(tr(CTX, "Tìm theo mã hoặc tên đơn vị…"))
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
            bar.addWidget(QLabel(label))
            bar.addWidget(combo, 1)
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

    def visible_codes(self) -> list[str]:
        return [self.proxy.unit_code_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]
