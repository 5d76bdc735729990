"""The evidence of the selected indicator (tài liệu kiểm chứng): the files with their intake findings and
signature status; attach by button or drag and drop, open in the system viewer, remove.

The panel only asks: attaching, removing and opening are done by the main window through the services.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.scoring.numbers import format_vn
from app.services.evidence_service import AttachedEvidence
from app.services.unit_view import NodeView
from app.ui.icons import severity_icon, signature_icon
from app.ui.text import tr

CTX = "Evidence"
COL_NAME, COL_PAGES, COL_SIZE, COL_SIGNATURE, COL_FINDINGS = range(5)
_ROOT = QModelIndex()   # the invalid index as a default argument, made once
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FileChooser = Callable[[QWidget], list[Path]]


def size_text(size: int) -> str:
    """1,25 MB or 12,4 KB, with the decimal comma."""
    if size >= 1024 * 1024:
        return f"{format_vn(Decimal(size) / 1048576, 2)} MB"
    return f"{format_vn(Decimal(size) / 1024, 1)} KB"


def signature_state(item: AttachedEvidence) -> str | None:
    """trusted | untrusted | invalid, or None when the file carries no signature."""
    if not item.signatures:
        return None
    if not all(s.get("valid") for s in item.signatures):
        return "invalid"
    return "trusted" if all(s.get("trusted") for s in item.signatures) else "untrusted"


def signature_text(item: AttachedEvidence) -> str:
    state = signature_state(item)
    if state is None:
        return tr(CTX, "Không ký số")
    signer = item.signatures[0].get("signer") or "?"
    return {"trusted": tr(CTX, "Ký số hợp lệ: {signer}"), "untrusted": tr(CTX, "Ký số, chưa tin cậy: {signer}"),
            "invalid": tr(CTX, "Chữ ký KHÔNG hợp lệ: {signer}")}[state].format(signer=signer)


class EvidenceModel(QAbstractTableModel):
    """A table model over plain `AttachedEvidence` rows (Vorta's pattern)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[AttachedEvidence] = []

    def set_rows(self, rows: list[AttachedEvidence]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr(CTX, "Tệp"), tr(CTX, "Số trang"), tr(CTX, "Dung lượng"), tr(CTX, "Chữ ký số"),
                tr(CTX, "Kiểm tra tệp"))[section]

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        item = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return item.name
            if col == COL_PAGES:
                return str(item.pages) if item.pages else "—"
            if col == COL_SIZE:
                return size_text(item.size)
            if col == COL_SIGNATURE:
                return signature_text(item)
            return "; ".join(p.vi for p in item.problems) if item.problems else tr(CTX, "Đạt")
        if role == Qt.ItemDataRole.DecorationRole:
            if col == COL_SIGNATURE and signature_state(item):
                return signature_icon(signature_state(item))
            if col == COL_FINDINGS:
                return severity_icon("warning" if item.problems else "ok") if item.problems else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.name}\nSHA-256 {item.sha256}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_PAGES, COL_SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SORT_ROLE:
            return (item.name, item.pages or 0, item.size, signature_state(item) or "", len(item.problems))[col]
        return None


def choose_files(parent: QWidget, folder: str = "") -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, tr(CTX, "Chọn tài liệu kiểm chứng"), folder,
                                            tr(CTX, "Tài liệu (*.pdf *.jpg *.jpeg *.png);;Mọi tệp (*)"))
    return [Path(n) for n in names]


class EvidencePanel(QWidget):
    attach_requested = Signal(str, list)   # code, [Path]
    remove_requested = Signal(str, str)    # code, sha256
    open_requested = Signal(object)        # AttachedEvidence

    def __init__(self, chooser: FileChooser | None = None, parent=None):
        super().__init__(parent)
        self.chooser = chooser or (lambda widget: choose_files(widget))
        self.node: NodeView | None = None
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        top = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        top.addWidget(self.title)
        top.addStretch(1)
        self.attach_button = QPushButton(tr(CTX, "Đính kèm tệp…"))
        self.open_button = QPushButton(tr(CTX, "Mở"))
        self.remove_button = QPushButton(tr(CTX, "Gỡ khỏi chỉ tiêu"))
        for button in (self.attach_button, self.open_button, self.remove_button):
            button.setAutoDefault(False)
            top.addWidget(button)
        layout.addLayout(top)
        self.model = EvidenceModel(self)
        self.view = QTableView()
        self.view.setObjectName("evidenceTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_PAGES, COL_SIZE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SIGNATURE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_FINDINGS, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(COL_SIGNATURE, 150)
        self.view.setColumnWidth(COL_FINDINGS, 150)
        self.view.doubleClicked.connect(lambda _index: self._open())
        layout.addWidget(self.view)
        self.hint = QLabel(tr(CTX, "Kéo thả tệp PDF, JPG, PNG vào đây hoặc bấm “Đính kèm tệp…”."))
        self.hint.setStyleSheet("color: #666;")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.attach_button.clicked.connect(self._choose)
        self.open_button.clicked.connect(self._open)
        self.remove_button.clicked.connect(self._remove)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.show_node(None)

    def show_node(self, node: NodeView | None) -> None:
        self.node = node
        usable = node is not None and node.leaf and not node.appraiser_only
        self.model.set_rows(list(node.evidence) if usable else [])
        count = self.model.rowCount()
        self.title.setText(tr(CTX, "Tài liệu kiểm chứng ({count})").format(count=count) if usable
                           else tr(CTX, "Tài liệu kiểm chứng"))
        self.view.setVisible(count > 0)
        self.hint.setText(tr(CTX, "Kéo thả tệp PDF, JPG, PNG vào đây hoặc bấm “Đính kèm tệp…”.") if usable
                          else tr(CTX, "Chọn một tiêu chí để đính kèm tài liệu kiểm chứng."))
        self.setEnabled(True)
        self.attach_button.setEnabled(usable)
        self._enable()

    def _enable(self) -> None:
        chosen = self.current() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def current(self) -> AttachedEvidence | None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            return self.model.rows[rows[0].row()]
        return self.model.rows[0] if len(self.model.rows) == 1 else None

    def attach(self, paths: list[Path]) -> None:
        """What the button and a drop both end in."""
        if self.node is not None and self.node.leaf and paths:
            self.attach_requested.emit(self.node.code, [Path(p) for p in paths])

    def _choose(self) -> None:
        self.attach(self.chooser(self))

    def _open(self) -> None:
        item = self.current()
        if item is not None:
            self.open_requested.emit(item)

    def _remove(self) -> None:
        item = self.current()
        if item is not None and self.node is not None:
            self.remove_requested.emit(self.node.code, item.sha256)

    # -- drag and drop ----------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.attach_button.isEnabled() and event.mimeData().hasUrls() and all(
                url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach(paths)
