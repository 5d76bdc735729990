"""The aggregator's main window (district or province): dashboard, import, units, appraisal, feedback and
bundle, ranking — one tab each, every pane fed from one `aggregator_view` snapshot computed on the
database worker after each change, so the panes never disagree."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QTabWidget

from app.services import aggregator_view
from app.services.aggregator_view import AggregatorSnapshot
from app.services.workspace import Workspace
from app.ui.aggregator.appraisal_page import AppraisalPage
from app.ui.aggregator.dashboard import DashboardPage
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.feedback_page import FeedbackPage
from app.ui.aggregator.import_page import ImportPage
from app.ui.aggregator.ranking_page import RankingPage
from app.ui.aggregator.units_page import UnitsPage
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.settings import Option
from app.ui.text import tr

CTX = "AggregatorWindow"
GEOMETRY = Option("aggregator/geometry", b"", bytes)
LAST_TAB = Option("aggregator/tab", 0, int)
TAB_DASHBOARD, TAB_IMPORT, TAB_UNITS, TAB_APPRAISAL, TAB_FEEDBACK, TAB_RANKING = range(6)


class AggregatorWindow(QMainWindow):
    def __init__(self, ctx: AppContext, data_dir: Path, *, dialogs: Dialogs | None = None,
                 previous: str | None = None, today: date | None = None):
        super().__init__()
        self.ctx = ctx
        self.data_dir = Path(data_dir)
        self.dialogs = dialogs or Dialogs()
        self.previous = previous
        self.today = today
        self.ws = Workspace(self.data_dir, lang=ctx.lang)   # the writer lock: one program per folder
        self.snapshot: AggregatorSnapshot | None = None
        self.setWindowTitle(tr(CTX, "DTI — Tổng hợp, thẩm định và xếp hạng"))
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._build()
        self._build_actions()
        if not self.restoreGeometry(ctx.settings.get(GEOMETRY)):
            self.resize(1280, 800)
        self.tabs.setCurrentIndex(max(0, min(ctx.settings.get(LAST_TAB), self.tabs.count() - 1)))
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
        for page, title in ((self.dashboard, tr(CTX, "Tổng quan")), (self.import_page, tr(CTX, "Nhập gói")),
                            (self.units_page, tr(CTX, "Đơn vị")), (self.appraisal_page, tr(CTX, "Thẩm định")),
                            (self.feedback_page, tr(CTX, "Phản hồi và gói tổng hợp")),
                            (self.ranking_page, tr(CTX, "Xếp hạng"))):
            self.tabs.addTab(page, title)
        self.setCentralWidget(self.tabs)
        self.dashboard.unit_requested.connect(self.open_unit)
        self.units_page.unit_requested.connect(self.open_unit)
        self.import_page.imported.connect(self.refresh)
        self.appraisal_page.saved.connect(self.refresh)
        self.feedback_page.changed.connect(self.refresh)
        self.ranking_page.previous_chosen.connect(self.set_previous)
        self.statusBar().showMessage(tr(CTX, "Mọi điểm thẩm định được lưu ngay khi nhập — không cần bấm Lưu."))

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(tr(CTX, "&Tệp"))
        for text, keys, slot in ((tr(CTX, "Nhập gói…"), "Ctrl+O", self._import_files),
                                 (tr(CTX, "Làm mới"), "F5", self.refresh)):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
        menu.addSeparator()
        quit_action = QAction(tr(CTX, "Thoát"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
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
        self.ctx.runner.op(self, lambda: aggregator_view.load(ws, today=today, previous=previous)).success(
            self._apply).run()

    def _apply(self, snapshot: AggregatorSnapshot) -> None:
        self.snapshot = snapshot
        for page in (self.dashboard, self.units_page, self.appraisal_page, self.feedback_page, self.ranking_page):
            page.set_snapshot(snapshot)
        self.import_page._update_buttons()
        late = sum(1 for u in snapshot.units if u.late)
        self.tabs.setTabText(TAB_DASHBOARD, tr(CTX, "Tổng quan") + (f" ({len(snapshot.attention)})"
                                                                     if snapshot.attention else ""))
        self.tabs.setTabToolTip(TAB_DASHBOARD, tr(CTX, "{n} đơn vị quá hạn").format(n=late))

    def set_previous(self, path: str | None) -> None:
        if path is None:
            return
        self.previous = path
        self.refresh()

    def is_final(self) -> bool:
        return bool(self.snapshot and self.snapshot.final)

    def open_unit(self, unit_code: str) -> None:
        self.tabs.setCurrentIndex(TAB_APPRAISAL)
        self.appraisal_page.show_unit(unit_code)
        self.appraisal_page.view.setFocus()

    def saved_message(self, text: str | None = None) -> None:
        self.statusBar().showMessage(text or tr(CTX, "Đã lưu lúc {time}").format(
            time=datetime.now().strftime("%H:%M:%S")))

    # -- closing ----------------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        self.import_page.cancel.set()
        s = self.ctx.settings
        s.set(GEOMETRY, bytes(self.saveGeometry().data()))
        s.set(LAST_TAB, self.tabs.currentIndex())
        s.sync()
        self.ctx.runner.wait_idle()
        self.ws.close()
        super().closeEvent(event)
