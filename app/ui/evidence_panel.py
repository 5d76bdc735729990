"""The evidence of the selected indicator (tài liệu kiểm chứng): the files with their intake findings and
signature status; attach by button or drag and drop, open in the system viewer, compress ("Nén PDF"), remove.

Bound to a workspace (`bind`), the panel attaches, compresses and removes through `EvidenceActions`, tells
the outcome above the list and offers "Nén PDF" for a scan refused for its size; opening is asked of the
window (`open_requested`). Unbound, it only asks: `attach_requested` and `remove_requested`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence, QResizeEvent, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.evidence_service import AttachedEvidence, Refusal
from app.services.unit_view import NodeView
from app.services.workspace import Workspace
from app.ui.evidence_actions import Changed, EvidenceActions, size_text
from app.ui.icons import severity_icon, signature_icon
from app.ui.ops import Runner
from app.ui.text import tr

CTX = "Evidence"
COL_NAME, COL_PAGES, COL_SIZE, COL_SIGNATURE, COL_FINDINGS = range(5)
_ROOT = QModelIndex()   # the invalid index as a default argument, made once
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FileChooser = Callable[[QWidget], list[Path]]


__all__ = ["EvidenceModel", "EvidencePanel", "choose_files", "signature_state", "signature_text", "size_text"]
_OUTCOME_STYLE = {False: "#outcome { background: #eaf5ea; border: 1px solid #9ccc9c; border-radius: 3px; }",
                  True: "#outcome { background: #fff4e0; border: 1px solid #e0a84a; border-radius: 3px; }"}


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
        self.actions: EvidenceActions | None = None
        self._outcome_code: str | None = None
        self._offer: list[Refusal] = []
        self._focus: str | None = None   # SHA-256 of the file to select once the list shows it
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
        self.compress_button = QPushButton(tr(CTX, "Nén PDF"))
        self.compress_button.setToolTip(tr(CTX, "Ghi lại tệp PDF đã chọn ở dạng nhỏ hơn (không áp dụng cho tệp có "
                                                "chữ ký số). Tệp gốc vẫn được giữ; Ctrl+Z để hoàn tác."))
        self.compress_button.hide()   # shown once bound to a workspace
        self.remove_button = QPushButton(tr(CTX, "Gỡ khỏi chỉ tiêu"))
        for button in (self.attach_button, self.open_button, self.compress_button, self.remove_button):
            button.setAutoDefault(False)
            top.addWidget(button)
        layout.addLayout(top)
        layout.addWidget(self._outcome_frame())
        self.model = EvidenceModel(self)
        self.view = QTableView()
        self.view.setObjectName("evidenceTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        # Room for the header and two files at least; more rows scroll, so the editor above keeps its space.
        self.view.setMinimumHeight(3 * (self.fontMetrics().height() + 8) + 4)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)   # a selected row shows whole
        # The list's height changes when a message appears above it: the selected file stays in view.
        self.view.verticalScrollBar().rangeChanged.connect(lambda *_: self._reveal())
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_PAGES, COL_SIZE):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_SIGNATURE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_FINDINGS, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(COL_SIGNATURE, 150)
        self.view.setColumnWidth(COL_FINDINGS, 150)
        self.view.doubleClicked.connect(lambda _index: self._open())
        layout.addWidget(self.view, 1)
        self.hint = QLabel(tr(CTX, "Kéo thả tệp PDF, JPG, PNG vào đây hoặc bấm “Đính kèm tệp…”."))
        self.hint.setStyleSheet("color: #666;")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.attach_button.clicked.connect(self._choose)
        self.open_button.clicked.connect(self._open)
        self.compress_button.clicked.connect(self._compress)
        self.remove_button.clicked.connect(self._remove)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.show_node(None)

    def _outcome_frame(self) -> QFrame:
        """What the last attach, compression or removal did, with "Nén PDF" when a scan was too large."""
        self.outcome_frame = QFrame()
        self.outcome_frame.setObjectName("outcome")
        row = QHBoxLayout(self.outcome_frame)
        row.setContentsMargins(8, 4, 4, 4)
        self.outcome = QLabel()
        self.outcome.setObjectName("outcomeText")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.outcome, 1)
        self.offer_button = QPushButton(tr(CTX, "Nén PDF"))
        self.offer_button.setObjectName("offerCompress")
        self.offer_button.setAutoDefault(False)
        self.offer_button.setToolTip(tr(CTX, "Ghi lại tệp PDF ở dạng nhỏ hơn rồi đính kèm nếu không còn vượt giới "
                                             "hạn. Tệp gốc trên máy không bị thay đổi."))
        self.offer_button.clicked.connect(self._compress_refused)
        row.addWidget(self.offer_button, 0, Qt.AlignmentFlag.AlignTop)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.setToolTip(tr(CTX, "Ẩn thông báo"))
        close.clicked.connect(self.clear_outcome)
        row.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.outcome_frame.hide()
        return self.outcome_frame

    def bind(self, ws: Workspace, runner: Runner, undo_stack: QUndoStack, changed: Changed) -> None:
        """Attach, compress and remove through the services of `ws` from now on; each change is pushed on
        `undo_stack`, and `changed(code)` is called after it is stored (the window reloads and shows `code`)."""
        self.actions = EvidenceActions(self, ws, runner, undo_stack, changed)
        self.compress_button.show()
        remove_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.view)
        remove_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove_key.activated.connect(self._remove)
        self._enable()

    def show_outcome(self, code: str, text: str, warning: bool = False, offer: Sequence[Refusal] = (),
                     focus: str | None = None) -> None:
        """Say what happened to `code`'s evidence (until another criterion is shown or the message is closed),
        offer "Nén PDF" for `offer`, and select the file `focus` (a SHA-256) once the list holds it."""
        self._outcome_code = code
        self._offer = list(offer)
        self._focus = focus
        self._apply_focus()
        self.outcome.setText(text)
        self.outcome_frame.setStyleSheet(_OUTCOME_STYLE[warning])
        self.offer_button.setText(tr(CTX, "Nén PDF") if len(self._offer) < 2
                                  else tr(CTX, "Nén PDF ({n} tệp)").format(n=len(self._offer)))
        self.offer_button.setVisible(bool(self._offer))
        self.outcome_frame.show()
        self.hint.hide()
        self._fit_outcome()

    def _fit_outcome(self) -> None:
        """The message keeps all its lines when space is short (the list gives way). Its height at the width it
        has, since a splitter asks only for a minimum, and a wrapped label's own minimum is for a narrow column."""
        if self.outcome_frame.isHidden():
            return
        margins = self.outcome_frame.layout().contentsMargins()
        buttons = self.offer_button.sizeHint().width() if self._offer else 0
        width = max(200, self.width() - 24 - margins.left() - margins.right() - buttons - 40)
        self.outcome_frame.setMinimumHeight(self.outcome.heightForWidth(width) + margins.top() + margins.bottom() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_outcome()

    def _apply_focus(self) -> None:
        if self._focus is None or self.node is None or self.node.code != self._outcome_code:
            return
        row = next((i for i, item in enumerate(self.model.rows) if item.sha256 == self._focus), None)
        if row is not None:   # the list may still be the one before the change: then at the next show_node
            self._focus = None
            self.view.selectRow(row)
            self._reveal()

    def _reveal(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.view.scrollTo(rows[0])

    def clear_outcome(self) -> None:
        self._outcome_code = None
        self._offer = []
        self._focus = None
        self.outcome_frame.hide()
        self.offer_button.hide()
        self.hint.show()

    def show_node(self, node: NodeView | None) -> None:
        self.node = node
        if node is None or node.code != self._outcome_code:
            self.clear_outcome()
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
        self._apply_focus()

    def _enable(self) -> None:
        item = self.current()
        self.open_button.setEnabled(item is not None)
        self.remove_button.setEnabled(item is not None)
        # Only an unsigned PDF is rewritten: a signature would no longer match a rewritten file.
        self.compress_button.setEnabled(item is not None and item.kind == "pdf" and not item.signatures)

    def current(self) -> AttachedEvidence | None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            return self.model.rows[rows[0].row()]
        return self.model.rows[0] if len(self.model.rows) == 1 else None

    def attach(self, paths: list[Path]) -> None:
        """What the button and a drop both end in."""
        if self.node is not None and self.node.leaf and paths:
            if self.actions is not None:
                self.actions.attach(self.node.code, [Path(p) for p in paths])
            else:
                self.attach_requested.emit(self.node.code, [Path(p) for p in paths])

    def _choose(self) -> None:
        self.attach(self.chooser(self))

    def _open(self) -> None:
        item = self.current()
        if item is not None:
            self.open_requested.emit(item)

    def _remove(self) -> None:
        item = self.current()
        if item is None or self.node is None:
            return
        if self.actions is not None:
            self.actions.remove(self.node.code, item)   # asks first
        else:
            self.remove_requested.emit(self.node.code, item.sha256)

    def _compress(self) -> None:
        item = self.current()
        if item is not None and self.node is not None and self.actions is not None and self.compress_button.isEnabled():
            self.actions.compress(self.node.code, item)

    def _compress_refused(self) -> None:
        if self._offer and self._outcome_code is not None and self.actions is not None:
            self.actions.compress_refused(self._outcome_code, self._offer)

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
