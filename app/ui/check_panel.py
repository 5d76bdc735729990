"""The check panel: the `dti check` findings (what is missing or doubtful), each a double-click or an
Enter away from its indicator. Nothing here blocks an export; it is the officer's to-do list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from app.services.checks import SEVERITY_ORDER, Finding
from app.ui.icons import severity_icon
from app.ui.text import tr

CTX = "Check"
COL_SEVERITY, COL_CODE, COL_MESSAGE = range(3)
_ROOT = QModelIndex()   # the invalid index as a default argument, made once
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
CODE_ROLE = Qt.ItemDataRole.UserRole + 2


# What the officer reads in the first column: nothing on the unit's side blocks an export, so nothing is
# called "lỗi" (an error); a denominator not entered yet is missing like any value, not wrong.
MISSING, FIX, REVIEW, NOTE = "missing", "fix", "review", "note"
_LABEL_OF_KIND = {"missing_value": MISSING, "missing_info": MISSING, "evidence_missing": MISSING,
                  "invalid_value": FIX, "over_denominator": FIX, "evidence_problem": REVIEW, "pending": NOTE}
_ICON_OF_LABEL = {MISSING: "warning", FIX: "error", REVIEW: "warning", NOTE: "info"}


def label_of(finding: Finding) -> str:
    return _LABEL_OF_KIND.get(finding.kind, {"error": FIX, "warning": REVIEW}.get(finding.severity, NOTE))


def label_text(label: str) -> str:
    return {MISSING: tr(CTX, "Còn thiếu"), FIX: tr(CTX, "Cần sửa"), REVIEW: tr(CTX, "Xem lại"),
            NOTE: tr(CTX, "Ghi chú")}.get(label, label)


class FindingsModel(QAbstractTableModel):
    def __init__(self, parent=None, lang: str = "vi"):
        super().__init__(parent)
        self.lang = lang
        self.rows: list[Finding] = []

    def set_rows(self, rows: list[Finding]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr(CTX, "Mức"), tr(CTX, "Mã"), tr(CTX, "Nội dung"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        finding = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (label_text(label_of(finding)), finding.code, finding.message(self.lang))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == COL_SEVERITY:
            return severity_icon(_ICON_OF_LABEL[label_of(finding)])
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_MESSAGE:
            return finding.message(self.lang)
        if role == SORT_ROLE:
            return (SEVERITY_ORDER[finding.severity], finding.code, finding.message(self.lang))[col]
        if role == CODE_ROLE:
            return finding.code
        return None


class _FindingsView(QTableView):
    activated_code = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_code.emit(self.currentIndex().data(CODE_ROLE))
            return
        super().keyPressEvent(event)


class CheckPanel(QWidget):
    jump_requested = Signal(str)

    def __init__(self, parent=None, lang: str = "vi"):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.summary = QLabel()
        self.summary.setObjectName("checkSummary")
        layout.addWidget(self.summary)
        self.model = FindingsModel(self, lang)
        self.view = _FindingsView()
        self.view.setObjectName("findings")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.setWordWrap(False)
        # Widths from the texts, not ResizeToContents: that asks the model for every role of every row on
        # each layout (some 4,500 calls for a new unit's ~500 findings on hy-2023 at start-up).
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_SEVERITY, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_CODE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Stretch)
        metrics = self.view.fontMetrics()
        icon = self.view.iconSize().width() if self.view.iconSize().isValid() else 16
        widest = max(metrics.horizontalAdvance(label_text(label)) for label in _ICON_OF_LABEL)
        header.resizeSection(COL_SEVERITY, max(widest + icon + 14, header.sectionSizeHint(COL_SEVERITY)))
        self._fit_codes([])
        self.view.doubleClicked.connect(lambda index: self.jump_requested.emit(index.data(CODE_ROLE)))
        self.view.activated_code.connect(self.jump_requested)
        layout.addWidget(self.view)

    def _fit_codes(self, findings: list[Finding]) -> None:
        """The code column as wide as its widest code (or its header), as ResizeToContents made it."""
        metrics = self.view.fontMetrics()
        widest = max((metrics.horizontalAdvance(code) for code in {f.code for f in findings}), default=0)
        header = self.view.horizontalHeader()
        header.resizeSection(COL_CODE, max(widest + 8, header.sectionSizeHint(COL_CODE)))

    def set_findings(self, findings: list[Finding]) -> None:
        self.model.set_rows(findings)
        self._fit_codes(findings)
        counts = {label: sum(1 for f in findings if label_of(f) == label) for label in _ICON_OF_LABEL}
        if not findings:
            self.summary.setText(tr(CTX, "Không thấy thiếu sót nào."))
            return
        parts = [text.format(n=counts[label]) for label, text in (
            (MISSING, tr(CTX, "Còn thiếu {n} mục")), (FIX, tr(CTX, "{n} mục cần sửa")),
            (REVIEW, tr(CTX, "{n} mục cần xem lại")), (NOTE, tr(CTX, "{n} ghi chú"))) if counts[label]]
        self.summary.setText(tr(CTX, "{parts} — nhấp đúp một dòng để đến chỉ tiêu đó").format(parts=" · ".join(parts)))
