"""The unit's main window: the indicator tree on the left, the editor and its evidence on the right, the
summary bar on top, the check panel in a dock.

"Nothing to save": every edit goes to the service at once (on the database worker), then every pane is
refreshed from one new snapshot. The snapshot is of the round in effect (đợt đánh giá): the Đợt đánh giá menu
(app.ui.round_menu) switches rounds and accepts round files, and the summary bar names the year being filled
in. Undo/redo restore values through the same service. The indicator the officer is on is written to the
settings as it changes, so a restart (or a crash) reopens there.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import evidence_service, unit_view
from app.services.unit_view import UnitSnapshot, raw_of
from app.services.workspace import Workspace
from app.ui import settings as st
from app.ui.check_panel import CheckPanel
from app.ui.context import AppContext
from app.ui.editor import IndicatorEditor
from app.ui.evidence_panel import EvidencePanel, FileChooser, choose_files
from app.ui.file_actions import FileActions
from app.ui.icons import app_icon
from app.ui.ops import error_text, show_error
from app.ui.round_menu import Asks, RoundMenu, unit_state
from app.ui.summary_bar import SummaryBar
from app.ui.text import tr
from app.ui.tree_filter import MODES, IndicatorFilter, mode_text
from app.ui.tree_model import IndicatorTreeModel
from app.ui.tree_view import IndicatorTreeView
from app.ui.undo import EntryEdit

CTX = "MainWindow"
TAB_INDICATOR, TAB_INFO = 0, 1


class MainWindow(QMainWindow):
    loaded = Signal()   # after each snapshot is applied (the first one: the window's data are in)

    def __init__(self, ctx: AppContext, data_dir: Path, chooser: FileChooser | None = None):
        super().__init__()
        self.ctx = ctx
        self.data_dir = Path(data_dir)
        self.ws = Workspace(self.data_dir, lang=ctx.lang)   # takes the writer lock: one program per folder
        self.snapshot: UnitSnapshot | None = None
        self.current_code: str | None = None
        self.undo_stack = QUndoStack(self)
        self.setWindowTitle(tr(CTX, "DTI — Tự đánh giá chỉ số chuyển đổi số"))
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._build(chooser)
        self._build_actions()
        self._restore_layout()
        self.reopened_at = ctx.settings.last_indicator(self.data_dir) or None   # where the officer was last time
        self.refresh(select=self.reopened_at)
        self.tree.setFocus()   # keyboard work starts in the tree, not in the search box

    # -- construction -----------------------------------------------------------------------------------
    def _build(self, chooser: FileChooser | None) -> None:
        from app.ui.info_form import InfoForm

        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.summary = SummaryBar()
        column.addWidget(self.summary)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tree_model = IndicatorTreeModel(self, self.ctx.lang)
        self.tree_filter = IndicatorFilter(self.tree_model, self)
        self.tree = IndicatorTreeView(self.tree_filter)   # wrapped titles, columns sized to what they hold
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.splitter.addWidget(self._tree_pane())

        self.tabs = QTabWidget()
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.editor = IndicatorEditor()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        self.right.addWidget(scroll)
        self.evidence = EvidencePanel(chooser or self._choose_evidence)
        self.right.addWidget(self.evidence)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 1)
        self.tabs.addTab(self.right, tr(CTX, "Chỉ tiêu đang chọn"))
        self.info_form = InfoForm()
        self.tabs.addTab(self.info_form, tr(CTX, "Thông tin chung"))
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.check_panel = CheckPanel(lang=self.ctx.lang)
        self.check_dock = QDockWidget(tr(CTX, "Kiểm tra hồ sơ"), self)
        self.check_dock.setObjectName("checkDock")
        self.check_dock.setWidget(self.check_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.check_dock)

        self.editor.entry_submitted.connect(self.submit_entry)
        self.editor.entry_cleared.connect(lambda code: self.submit_entry(code, None))
        self.editor.explanation_submitted.connect(self.submit_explanation)
        self.editor.info_requested.connect(self.show_info_field)
        self.info_form.entry_submitted.connect(self.submit_entry)
        self.info_form.entry_cleared.connect(lambda code: self.submit_entry(code, None))
        self.info_form.carry_requested.connect(self.show_carry_over)
        self.carry_dialog = None
        self.evidence.bind(self.ws, self.ctx.runner, self.undo_stack, self._evidence_changed)
        self.evidence.open_requested.connect(self.open_evidence)
        self.check_panel.jump_requested.connect(self.jump_to)
        self.statusBar().showMessage(tr(CTX, "Mọi thay đổi được lưu ngay khi nhập — không cần bấm Lưu."))

    def _tree_pane(self) -> QWidget:
        pane = QWidget()
        column = QVBoxLayout(pane)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(4)
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 0, 4, 0)
        self.search = QLineEdit()
        self.search.setObjectName("treeSearch")
        self.search.setPlaceholderText(tr(CTX, "Tìm theo mã hoặc tên (Ctrl+F)…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.search.returnPressed.connect(lambda: self.tree.setFocus())
        bar.addWidget(self.search, 1)
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("treeFilter")
        for mode in MODES:
            self.filter_combo.addItem(mode_text(mode), mode)
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        bar.addWidget(QLabel(tr(CTX, "Lọc:")))
        bar.addWidget(self.filter_combo)
        column.addLayout(bar)
        self.filter_note = QLabel()
        self.filter_note.setObjectName("filterNote")
        self.filter_note.setStyleSheet("color: #6a1b9a; padding-left: 4px;")
        self.filter_note.hide()
        column.addWidget(self.filter_note)
        column.addWidget(self.tree, 1)
        return pane

    def _filter_changed(self, *_args: object) -> None:
        self.tree_filter.set_text(self.search.text())
        self.tree_filter.set_mode(self.filter_combo.currentData())
        self.tree.expandAll()
        self._update_filter_note()
        current = self.tree_filter.node_at(self.tree.currentIndex())
        if self.tree_filter.active() and (current is None or not current.leaf):
            leaves = [c for c in self.tree_filter.visible_codes() if (n := self.tree_model.node(c)) and n.leaf]
            if leaves:
                self.select(leaves[0])

    def _update_filter_note(self) -> None:
        if not self.tree_filter.active():
            self.filter_note.hide()
            return
        shown = self.tree_filter.matching_leaves()
        self.filter_note.setText(tr(CTX, "Đang lọc: {n} tiêu chí phù hợp").format(n=len(shown)) if shown
                                 else tr(CTX, "Không có tiêu chí nào phù hợp"))
        self.filter_note.show()

    def show_all(self) -> None:
        self.search.blockSignals(True)
        self.filter_combo.blockSignals(True)
        self.search.clear()
        self.filter_combo.setCurrentIndex(0)
        self.search.blockSignals(False)
        self.filter_combo.blockSignals(False)
        self.tree_filter.clear()
        self.tree.expandAll()
        self._update_filter_note()

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(tr(CTX, "&Tệp"))
        self.file_actions = FileActions(self, file_menu)
        file_menu.addSeparator()
        quit_action = QAction(tr(CTX, "Thoát"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.round_menu = RoundMenu(self, self.menuBar(), Asks(open_file=self._choose_round_file),
                                    reload=self.round_changed, before_change=self._before_round_change)
        edit_menu = self.menuBar().addMenu(tr(CTX, "&Sửa"))
        self.undo_action = self.undo_stack.createUndoAction(self, tr(CTX, "Hoàn tác"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, tr(CTX, "Làm lại"))
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Y")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        go_menu = self.menuBar().addMenu(tr(CTX, "&Đi tới"))
        for text, keys, slot in (
            (tr(CTX, "Tìm chỉ số"), "Ctrl+F", self._focus_search),
            (tr(CTX, "Cây chỉ số"), "Alt+1", lambda: self.tree.setFocus()),
            (tr(CTX, "Ô nhập số liệu"), "Alt+2", self._focus_editor),
            (tr(CTX, "Tài liệu kiểm chứng"), "Alt+3", lambda: self.evidence.attach_button.setFocus()),
            (tr(CTX, "Kiểm tra hồ sơ"), "Alt+4", self._focus_checks),
            (tr(CTX, "Thông tin chung"), "Alt+5", lambda: self.tabs.setCurrentIndex(TAB_INFO)),
            (tr(CTX, "Tiêu chí tiếp theo chưa xong"), "F8", self.next_unfinished),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            go_menu.addAction(action)
        view_menu = self.menuBar().addMenu(tr(CTX, "&Xem"))
        toggle = self.check_dock.toggleViewAction()
        toggle.setText(tr(CTX, "Bảng kiểm tra hồ sơ"))
        view_menu.addAction(toggle)

    def _restore_layout(self) -> None:
        s = self.ctx.settings
        if not self.restoreGeometry(s.get(st.WINDOW_GEOMETRY)):
            self.resize(1280, 800)
        self.restoreState(s.get(st.WINDOW_STATE))
        if not self.splitter.restoreState(s.get(st.MAIN_SPLITTER)):
            self.splitter.setSizes([560, 720])
        if not self.right.restoreState(s.get(st.RIGHT_SPLITTER)):
            self.right.setSizes([600, 140])
        if not s.get(st.WINDOW_STATE):
            self.resizeDocks([self.check_dock], [170], Qt.Orientation.Vertical)

    # -- snapshot ---------------------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        self.ctx.runner.op(self, lambda: unit_view.load_snapshot(self.ws)).success(
            lambda snapshot: self._apply(snapshot, select)).run()

    def _apply(self, snapshot: UnitSnapshot, select: str | None = None, fresh: bool = False) -> None:
        """Show `snapshot` everywhere; `fresh`: of another round, shown as a first one is."""
        first = self.snapshot is None or fresh
        self.snapshot = snapshot
        self.tree_model.set_snapshot(snapshot)
        if first or self.tree_filter.active():
            self.tree.expandAll()   # three levels at most: everything visible is easier than hunting for arrows
        self._update_filter_note()
        self.summary.set_snapshot(snapshot)
        self.check_panel.set_findings(list(snapshot.findings))
        self.info_form.set_snapshot(snapshot)
        self.round_menu.set_state(unit_state(snapshot.rounds))
        target = select or self.current_code
        if target is None or snapshot.node(target) is None:
            leaf = snapshot.first_leaf() if first else None
            target = leaf.code if leaf else None
        if target is not None and target != self.current_code:
            self.select(target)
        else:
            self._show_current()
        self.loaded.emit()

    def _show_current(self) -> None:
        node = self.snapshot.node(self.current_code) if self.snapshot and self.current_code else None
        self.editor.show_node(node, self.snapshot)
        self.evidence.show_node(node)

    # -- selection --------------------------------------------------------------------------------------
    def select(self, code: str) -> None:
        if not self.tree_model.index_of(code).isValid():
            return
        index = self.tree_filter.index_of(code)
        if not index.isValid():   # hidden by the filter: a jump to it shows the whole tree again
            self.show_all()
            index = self.tree_filter.index_of(code)
        self.tree.scrollTo(index)
        self.tree.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.tree_filter.node_at(current)
        if node is None or node.code == self.current_code:
            return
        QTimer.singleShot(0, self._pin_current)
        self.current_code = node.code
        self.ctx.settings.set_last_indicator(self.data_dir, node.code)
        self.tabs.setCurrentIndex(TAB_INDICATOR)
        self._show_current()

    def _pin_current(self) -> None:
        node = self.snapshot.node(self.current_code) if self.snapshot and self.current_code else None
        if node is not None:
            self.tree_filter.pin(node.code, node.leaf)

    def select_meaningful(self) -> None:
        """For a first look (and the screenshot): a criterion with evidence, else one with a value."""
        if self.snapshot is None:
            return
        leaves = [n for n in self.snapshot.nodes if n.leaf]
        node = (next((n for n in leaves if n.evidence), None) or next((n for n in leaves if n.value is not None), None)
                or (leaves[0] if leaves else None))
        if node is not None:
            self.select(node.code)

    def jump_to(self, code: str) -> None:
        if self.snapshot is not None and self.snapshot.info_field(code) is not None:
            self.show_info_field(code)
            return
        self.select(code)
        self.tabs.setCurrentIndex(TAB_INDICATOR)
        self.tree.setFocus()

    def show_info_field(self, code: str) -> None:
        self.tabs.setCurrentIndex(TAB_INFO)
        self.info_form.focus_field(code)

    def next_unfinished(self) -> None:
        if self.snapshot is None:
            return
        leaves = [n for n in self.snapshot.nodes if n.leaf]
        codes = [n.code for n in leaves]
        start = codes.index(self.current_code) + 1 if self.current_code in codes else 0
        for node in leaves[start:] + leaves[:start]:
            if node.status not in (unit_view.DONE, unit_view.APPRAISER):
                self.select(node.code)
                self._focus_editor()
                return

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _focus_editor(self) -> None:
        self.tabs.setCurrentIndex(TAB_INDICATOR)
        self.editor.focus_input()

    def _focus_checks(self) -> None:
        self.check_dock.show()
        self.check_panel.view.setFocus()

    # -- edits ------------------------------------------------------------------------------------------
    def _old_value(self, code: str) -> Any:
        if self.snapshot is None:
            return None
        info = self.snapshot.info_field(code)
        if info is not None:
            return info.value
        node = self.snapshot.node(code)
        return node.value if node else None

    def submit_entry(self, code: str, raw: Any) -> None:
        """Store what the officer typed (None: remove the value); a refusal is shown where it was typed."""
        old = self._old_value(code)

        def work() -> Any:
            if raw is None:
                self.ws.clear_entry(code)
                return None
            return self.ws.set_entry(code, raw)

        def stored(new: Any) -> None:
            self.editor.clear_refusal()
            self.info_form.clear_refusal(code)
            if new != old:
                self.undo_stack.push(EntryEdit(self._restore, code, old, new))
            self._saved()
            self.refresh()

        def refused(error: Exception) -> None:
            if not isinstance(error, UserError):
                raise error
            self.editor.show_refusal(code, error_text(error))   # in the interface's language
            self.info_form.show_refusal(code, error_text(error))

        self.ctx.runner.op(self, work).success(stored).failure(refused).run()

    def _restore(self, code: str, value: Any) -> None:
        """Undo/redo: put a previous value back through the service, and show where it changed."""
        def work() -> None:
            if value is None:
                self.ws.clear_entry(code, reason="undo")
            else:
                self.ws.set_entry(code, raw_of(value), reason="undo")

        def done(_result: None) -> None:
            self._saved()
            target = None if self.snapshot is None or self.snapshot.info_field(code) else code
            if target is None:
                self.tabs.setCurrentIndex(TAB_INFO)
            self.editor.clear_refusal()
            self.info_form.clear_refusal(code)
            self.refresh(select=target)

        self.ctx.runner.op(self, work).success(done).run()

    def submit_explanation(self, code: str, text: str) -> None:
        self.ctx.runner.op(self, lambda: self.ws.set_explanation(code, text)).success(
            lambda _changed: (self._saved(), self.refresh())).run()

    def _saved(self) -> None:
        self.statusBar().showMessage(tr(CTX, "Đã lưu lúc {time}").format(time=datetime.now().strftime("%H:%M:%S")))

    # -- rounds -----------------------------------------------------------------------------------------
    def _choose_round_file(self, parent: QWidget, title: str, folder: str, filters: str) -> Path | None:
        chosen = self.file_actions.choose_open(parent, title, folder, filters)
        return Path(chosen) if chosen else None

    def _before_round_change(self) -> bool:
        """The explanation being typed belongs to the round it was typed in."""
        self.editor.save_explanation()
        self.ctx.runner.wait_idle()
        return True

    def round_changed(self) -> None:
        """Another round is in effect (chosen in the menu, or a round file accepted): everything reloads as at
        start, on the same criterion when the new framework has it; undo never crosses into another round. When
        that round cannot be shown, the menu still lists the rounds as they are now, to choose another."""
        from app.services.rounds import all_rounds

        self.undo_stack.clear()
        ws = self.ws

        def failed(error: Exception) -> None:
            show_error(self, error)
            self.ctx.runner.op(self, lambda: tuple(all_rounds(ws))).success(
                lambda held: self.round_menu.set_state(unit_state(held))).run()

        self.ctx.runner.op(self, lambda: unit_view.load_snapshot(ws)).success(
            lambda snapshot: self._apply(snapshot, self.current_code, fresh=True)).failure(failed).run()

    def show_carry_over(self) -> None:
        """The banner's "Xem và dùng lại…": the previous round's general information, ticked, written only on
        "Dùng các giá trị đã chọn"."""
        if self.snapshot is None or not self.snapshot.carry:
            return
        from app.ui.carry_over_dialog import CarryOverDialog

        self.ctx.runner.wait_idle()
        dialog = CarryOverDialog(self.ctx, self.ws, self.snapshot.carry, self,
                                 units={f.code: f.unit for f in self.snapshot.info})
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._carried(dialog.taken or []))
        self.carry_dialog = dialog
        dialog.open()

    def _carried(self, taken: list) -> None:
        self.carry_dialog = None
        self.undo_stack.clear()    # a bulk write, as an Excel import: not one of the editor's undoable edits
        self.tabs.setCurrentIndex(TAB_INFO)
        self.refresh()
        if taken:
            self.statusBar().showMessage(tr(CTX, "Đã dùng lại {n} thông tin chung của năm {year}.").format(
                n=len(taken), year=taken[0].from_year))

    # -- evidence ---------------------------------------------------------------------------------------
    def _choose_evidence(self, parent: QWidget) -> list[Path]:
        files = choose_files(parent, self.ctx.settings.get(st.LAST_EVIDENCE_FOLDER))
        if files:
            self.ctx.settings.set(st.LAST_EVIDENCE_FOLDER, str(files[0].parent))
        return files

    def _evidence_changed(self, code: str) -> None:
        """Evidence attached, compressed, removed, or one of these undone: show that indicator as stored now."""
        self._saved()
        self.refresh(select=code)

    def open_evidence(self, item: evidence_service.AttachedEvidence) -> None:
        from app.evidence.model import EXT_OF_KIND

        path = evidence_service.evidence_path(self.data_dir, item.sha256, EXT_OF_KIND[item.kind])
        if not path.is_file():
            show_error(self, UserError("file missing", tr(CTX, "Không tìm thấy tệp đã lưu: {name}").format(name=item.name)))
            return
        try:
            copy = evidence_service.viewing_copy(path, item.name)   # the viewer never gets the store's own file
        except UserError as e:
            show_error(self, e)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))

    # -- another data folder ----------------------------------------------------------------------------
    def open_data_dir(self, folder: Path) -> MainWindow:
        """This window replaced by one on `folder` (the account accepted after a practice unit went into a new
        data folder); that folder is also the one the application opens next time."""
        self.ctx.settings.set(st.DATA_DIR, str(folder))
        window = MainWindow(self.ctx, Path(folder))
        window.show()      # before this one closes: the last window closing would end the application
        self.close()
        return window

    # -- closing ----------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.editor.save_explanation()
        s = self.ctx.settings
        s.set(st.WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        s.set(st.WINDOW_STATE, bytes(self.saveState().data()))
        s.set(st.MAIN_SPLITTER, bytes(self.splitter.saveState().data()))
        s.set(st.RIGHT_SPLITTER, bytes(self.right.saveState().data()))
        s.sync()
        self.ctx.runner.wait_idle()
        self.ws.close()
        super().closeEvent(event)
