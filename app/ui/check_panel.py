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


def severity_text(severity: str) -> str:
    return {"error": tr(CTX, "Lỗi"), "warning": tr(CTX, "Thiếu"), "info": tr(CTX, "Ghi chú")}.get(severity, severity)


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
            return (severity_text(finding.severity), finding.code, finding.message(self.lang))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == COL_SEVERITY:
            return severity_icon(finding.severity)
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
        widest = max(metrics.horizontalAdvance(severity_text(s)) for s in ("error", "warning", "info"))
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
        counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
        if not findings:
            self.summary.setText(tr(CTX, "Không thấy thiếu sót nào."))
        else:
            self.summary.setText(tr(CTX, "{errors} lỗi · {warnings} thiếu · {notes} ghi chú — nhấp đúp để đến chỉ tiêu")
                                 .format(errors=counts["error"], warnings=counts["warning"], notes=counts["info"]))
