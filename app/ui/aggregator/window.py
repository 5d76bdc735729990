"""The aggregator's main window (district or province): dashboard, import, units, appraisal, feedback and
bundle, ranking, enrollment — one tab each, every pane fed from one `aggregator_view` snapshot computed on
the database worker after each change, so the panes never disagree.

The Đợt đánh giá menu (app.ui.round_menu) switches the round every page shows, opens a new one and sends
its round file (an authority), and takes the province's round file (a district).

The page and the splitters are remembered per data directory. A district is also a unit: "Mở hồ sơ của đơn
vị mình" opens the unit's window on the same data directory. One program, one writer lock: this window hands
its store over to the unit's window and takes it back when that window closes."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QSplitter, QTabWidget
from shiboken6 import isValid

from app.services import aggregator_view
from app.services.aggregator_view import AggregatorSnapshot
from app.services.workspace import Workspace
from app.ui.aggregator.appraisal_page import AppraisalPage
from app.ui.aggregator.dashboard import DashboardPage
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.enrollment_page import EnrollmentPage
from app.ui.aggregator.feedback_page import FeedbackPage
from app.ui.aggregator.import_page import ImportPage
from app.ui.aggregator.ranking_page import RankingPage
from app.ui.aggregator.units_page import UnitsPage
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.ops import error_text, show_error
from app.ui.round_menu import Asks, RoundMenu, load_state
from app.ui.settings import AGGREGATOR_PAGE, AGGREGATOR_SPLITTER, Option
from app.ui.text import tr

CTX = "AggregatorWindow"
GEOMETRY = Option("aggregator/geometry", b"", bytes)
TAB_DASHBOARD, TAB_IMPORT, TAB_UNITS, TAB_APPRAISAL, TAB_FEEDBACK, TAB_RANKING, TAB_ENROLLMENT = range(7)


def for_data_dir(option: Option, data_dir: Path, **names: str) -> Option:
    """A per-data-directory option: "{dir}" in its key becomes a digest of the folder's path."""
    digest = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:16]
    return dataclasses.replace(option, key=option.key.format(dir=digest, **names))


class AggregatorWindow(QMainWindow):
    loaded = Signal()   # after each snapshot is applied (the first one: the window's data are in)

    def __init__(self, ctx: AppContext, data_dir: Path, *, dialogs: Dialogs | None = None,
                 previous: str | None = None, today: date | None = None):
        super().__init__()
        self.ctx = ctx
        self.data_dir = Path(data_dir)
        self.dialogs = dialogs or Dialogs()
        self.previous = previous
        self.today = today
        self.ws: Workspace | None = Workspace(self.data_dir, lang=ctx.lang)   # the writer lock: one program per folder
        self.unit_window = None          # the district's own unit window, while it holds the store
        self._closing = False
        self._drop_typed = False         # the officer chose to close without a value the store refused
        self.snapshot: AggregatorSnapshot | None = None
        self.setWindowTitle(tr(CTX, "DTI — Tổng hợp, thẩm định và xếp hạng"))
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._build()
        self._build_actions()
        if not self.restoreGeometry(ctx.settings.get(GEOMETRY)):
            self.resize(1280, 800)
        self._restore_layout()
        self.refresh()

    def _build(self) -> None:
        lang = self.ctx.lang
        self.tabs = QTabWidget()
        self.tabs.setObjectName("aggregatorTabs")
        self.dashboard = DashboardPage(lang)
        self.import_page = ImportPage(self)
        self.units_page = UnitsPage(lang)
        self.appraisal_page = AppraisalPage(self)
        self.feedback_page = FeedbackPage(self)
        self.ranking_page = RankingPage(self)
        self.enrollment_page = EnrollmentPage(self)
        for page, title in ((self.dashboard, tr(CTX, "Tổng quan")), (self.import_page, tr(CTX, "Nhập gói")),
                            (self.units_page, tr(CTX, "Đơn vị")), (self.appraisal_page, tr(CTX, "Thẩm định")),
                            (self.feedback_page, tr(CTX, "Phản hồi và gói tổng hợp")),
                            (self.ranking_page, tr(CTX, "Xếp hạng")), (self.enrollment_page, tr(CTX, "Cấp tài khoản"))):
            self.tabs.addTab(page, title)
        self.setCentralWidget(self.tabs)
        self.dashboard.unit_requested.connect(self.open_unit)
        self.units_page.unit_requested.connect(self.open_unit)
        self.import_page.imported.connect(self.refresh)
        self.appraisal_page.saved.connect(self.refresh)
        self.feedback_page.changed.connect(self.refresh)
        self.ranking_page.previous_chosen.connect(self.set_previous)
        self.enrollment_page.changed.connect(self.refresh)
        self._tab = self.tabs.currentIndex()
        self.tabs.currentChanged.connect(self._tab_changed)
        self.statusBar().showMessage(self.promise())

    @staticmethod
    def promise() -> str:
        """What the status bar promises about appraisals, and what the appraisal page keeps."""
        return tr(CTX, "Điểm thẩm định được lưu khi bấm Enter, khi chuyển sang chỉ tiêu, đơn vị hay thẻ khác và khi "
                       "đóng cửa sổ — không cần bấm Lưu.")

    def _tab_changed(self, index: int) -> None:
        """Leaving the appraisal page stores what was typed there (a refused value brings the page back)."""
        left, self._tab = self._tab, index
        if left == TAB_APPRAISAL and index != TAB_APPRAISAL:
            self.appraisal_page.leave(lambda: None)

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(tr(CTX, "&Tệp"))
        self.store_actions: list[QAction] = []     # need the store: disabled while the unit's window holds it
        for text, keys, slot in ((tr(CTX, "Nhập gói…"), "Ctrl+O", self._import_files),
                                 (tr(CTX, "Làm mới"), "F5", self.refresh)):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.store_actions.append(action)
        menu.addSeparator()
        self.own_unit_action = QAction(tr(CTX, "Mở hồ sơ của đơn vị mình"), self)
        self.own_unit_action.setObjectName("openOwnUnit")
        self.own_unit_action.setShortcut(QKeySequence("Ctrl+U"))
        self.own_unit_action.setStatusTip(tr(CTX, "Tự đánh giá của chính đơn vị này, trong cửa sổ của đơn vị"))
        self.own_unit_action.setEnabled(False)
        self.own_unit_action.triggered.connect(self.open_own_unit)
        menu.addAction(self.own_unit_action)
        menu.addSeparator()
        quit_action = QAction(tr(CTX, "Thoát"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        self.round_menu = RoundMenu(
            self, self.menuBar(),
            Asks(open_file=lambda parent, title, folder, filters: self.dialogs.open_file(parent, title, filters, folder),
                 save_file=lambda *asked: self.dialogs.save_file(*asked),
                 passphrase=lambda parent: self.dialogs.passphrase(parent)),
            reload=self.refresh, before_change=lambda: self.appraisal_page.leave(lambda: None))
        go = self.menuBar().addMenu(tr(CTX, "&Đi tới"))
        for i in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(i), self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _checked=False, i=i: self.tabs.setCurrentIndex(i))
            go.addAction(action)

    def _import_files(self) -> None:
        self.tabs.setCurrentIndex(TAB_IMPORT)
        paths = self.dialogs.open_paths(self)
        if paths:
            self.import_page.add_paths(paths)

    # -- snapshot ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        ws, today, previous = self.ws, self.today, self.previous
        if ws is None:    # the unit's window holds the store: refreshed when it comes back
            return
        def load() -> tuple[AggregatorSnapshot, object]:
            return aggregator_view.load(ws, today=today, previous=previous), load_state(ws)

        def loaded(result: tuple[AggregatorSnapshot, object]) -> None:
            snapshot, rounds = result
            self.round_menu.set_state(rounds)
            self._apply(snapshot)

        self.ctx.runner.op(self, load).success(loaded).run()

    def _apply(self, snapshot: AggregatorSnapshot) -> None:
        self.snapshot = snapshot
        for page in (self.dashboard, self.units_page, self.appraisal_page, self.feedback_page, self.ranking_page,
                     self.enrollment_page):
            page.set_snapshot(snapshot)
        self.own_unit_action.setEnabled(snapshot.has_own_unit and self.ws is not None)
        self.import_page._update_buttons()
        late = sum(1 for u in snapshot.units if u.late)
        self.tabs.setTabText(TAB_DASHBOARD, tr(CTX, "Tổng quan") + (f" ({len(snapshot.attention)})"
                                                                     if snapshot.attention else ""))
        self.tabs.setTabToolTip(TAB_DASHBOARD, tr(CTX, "{n} đơn vị quá hạn").format(n=late))
        self.loaded.emit()

    def set_previous(self, path: str | None) -> None:
        """Compare the ranking with an earlier round's data directory (None: with nothing). A folder that
        cannot be read is refused on the ranking page and the comparison in force stays."""
        ws, today = self.ws, self.today
        if ws is None:
            return

        def taken(snapshot: AggregatorSnapshot) -> None:
            self.previous = path
            self.ranking_page.result.setText("")
            self._apply(snapshot)

        self.ctx.runner.op(self, lambda: aggregator_view.load(ws, today=today, previous=path)).with_progress(
            tr(CTX, "Đang đọc kết quả đợt trước…")).success(taken).failure(self.ranking_page.previous_refused).run()

    def is_final(self) -> bool:
        return bool(self.snapshot and self.snapshot.final)

    def open_unit(self, unit_code: str) -> None:
        self.tabs.setCurrentIndex(TAB_APPRAISAL)
        self.appraisal_page.open_unit(unit_code)
        self.appraisal_page.view.setFocus()

    def saved_message(self, text: str | None = None) -> None:
        self.statusBar().showMessage(text or tr(CTX, "Đã lưu lúc {time}").format(
            time=datetime.now().strftime("%H:%M:%S")))

    # -- the district's own unit ------------------------------------------------------------------------
    def open_own_unit(self) -> None:
        """Hand the store over to the unit's window (one writer lock per data directory) and pause here."""
        if self.unit_window is not None and isValid(self.unit_window):
            self.unit_window.raise_()
            self.unit_window.activateWindow()
            return
        if self.ws is None or (self.snapshot is not None and not self.snapshot.has_own_unit):
            return
        from app.ui.aggregator.own_unit import OwnUnitWindow

        if not self.appraisal_page.leave(lambda: None):   # a refused value stays on screen, with its reason
            return
        self.import_page.cancel.set()
        self.ctx.runner.wait_idle()        # nothing of ours may still be writing
        self.ws.close()
        self.ws = None
        try:
            window = OwnUnitWindow(self.ctx, self.data_dir)
        except Exception as e:             # the store could not be opened there: take it back, say why
            self.ws = Workspace(self.data_dir, lang=self.ctx.lang)
            show_error(self, e)
            return
        self.unit_window = window
        window.closed.connect(self._own_unit_closed)
        self._pause(True)
        window.show()

    def _own_unit_closed(self) -> None:
        self.unit_window = None
        if self._closing:                  # this window is closing too: nothing to take back
            return
        try:
            self.ws = Workspace(self.data_dir, lang=self.ctx.lang)
        except Exception as e:   # another program took the folder meanwhile: say so, stay paused
            self.statusBar().showMessage(error_text(e))
            return
        self._pause(False)
        self.refresh()

    def _pause(self, paused: bool) -> None:
        self.tabs.setEnabled(not paused)
        for action in (*self.store_actions, self.own_unit_action):
            action.setEnabled(not paused)
        self.round_menu.set_enabled(not paused)
        if paused:
            self.statusBar().showMessage(tr(CTX, "Hồ sơ của đơn vị mình đang mở trong cửa sổ khác — đóng cửa sổ đó để "
                                                 "tiếp tục tổng hợp và thẩm định."))
        else:
            self.statusBar().showMessage(self.promise())

    # -- remembered layout -----------------------------------------------------------------------------
    def _splitters(self) -> dict[str, QSplitter]:
        return {"appraisal": self.appraisal_page.splitter, **self.ranking_page.splitters(),
                **self.enrollment_page.splitters()}

    def _restore_layout(self) -> None:
        s = self.ctx.settings
        self.tabs.setCurrentIndex(max(0, min(s.get(for_data_dir(AGGREGATOR_PAGE, self.data_dir)), self.tabs.count() - 1)))
        for name, splitter in self._splitters().items():
            state = s.get(for_data_dir(AGGREGATOR_SPLITTER, self.data_dir, name=name))
            if state and splitter.restoreState(state) and splitter is self.appraisal_page.splitter:
                self.appraisal_page.sizes_chosen = True

    def _save_layout(self) -> None:
        s = self.ctx.settings
        s.set(GEOMETRY, bytes(self.saveGeometry().data()))
        s.set(for_data_dir(AGGREGATOR_PAGE, self.data_dir), self.tabs.currentIndex())
        for name, splitter in self._splitters().items():
            s.set(for_data_dir(AGGREGATOR_SPLITTER, self.data_dir, name=name), bytes(splitter.saveState().data()))
        s.sync()

    # -- closing ----------------------------------------------------------------------------------------
    def _typed_settled(self) -> bool:
        """Whether the window may close as far as the appraisal page is concerned: nothing typed waits, or it was
        just stored, or the officer chose to drop a refused value. A store still on its way: False, and the
        window closes itself when it is done (or asks, when it is refused)."""
        page = self.appraisal_page
        typed = page.unsaved()
        if typed is None or self._drop_typed or self.ws is None:
            return True
        answers: list[Exception | None] = []
        waiting = [True]

        def stored() -> None:
            answers.append(None)
            if not waiting[0]:
                QTimer.singleShot(0, self.close)

        def refused(error: Exception) -> None:
            answers.append(error)
            page.show_refused(typed, error)
            if not waiting[0] and self._drop_after_asking(typed, error):
                QTimer.singleShot(0, self.close)

        page.store(typed, on_stored=stored, on_refused=refused)
        waiting[0] = False
        if not answers:
            return False
        return answers[0] is None or self._drop_after_asking(typed, answers[0])

    def _drop_after_asking(self, typed, error: Exception) -> bool:
        what = [tr(CTX, "điểm “{points}”").format(points=typed.points)] if typed.points else []
        if typed.comment:
            what.append(tr(CTX, "ý kiến “{comment}”").format(comment=typed.comment))
        self._drop_typed = self.dialogs.confirm(
            self, tr(CTX, "Điểm thẩm định chưa lưu được"),
            tr(CTX, "{unit}, chỉ tiêu {code}: {what} chưa lưu được.\nLý do: {why}\n\nĐóng cửa sổ và bỏ phần đã gõ? "
                    "Chọn “Hủy” để ở lại sửa.").format(unit=typed.unit, code=typed.code,
                                                        what=", ".join(what) or tr(CTX, "phần đã gõ"),
                                                        why=error_text(error)),
            tr(CTX, "Đóng, bỏ phần đã gõ"))
        return self._drop_typed

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._typed_settled():
            event.ignore()
            return
        self._closing = True
        if self.unit_window is not None and isValid(self.unit_window):
            self.unit_window.close()       # every edit there is already stored; closing releases the store
            if self.unit_window is not None and isValid(self.unit_window) and self.unit_window.isVisible():
                self._closing = False
                event.ignore()
                return
        self.import_page.cancel.set()
        self._save_layout()
        self.ctx.runner.wait_idle()
        if self.ws is not None:
            self.ws.close()
            self.ws = None
        super().closeEvent(event)
