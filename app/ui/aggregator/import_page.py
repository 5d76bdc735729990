"""Import (nhập gói): drop files or folders, or scan removable drives; a dry-run preview of every package,
then the import, each package all or nothing, with a result line per file in the officer's language.

The work runs on the database worker, one package after another; the page shows progress per package and
can stop between two packages (a package being stored always finishes or rolls back)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services import package_import
from app.services.aggregator_view import removable_roots, scan_for_packages
from app.services.package_import import Outcome
from app.ui.aggregator.dashboard import table
from app.ui.aggregator.models import OutcomeModel
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "AggregatorImport"


class _Progress(QObject):
    """Crosses from the worker to the GUI thread (a queued signal)."""

    step = Signal(int, int, object)   # done, total, outcomes of the package just handled


class DropZone(QFrame):
    dropped = Signal(list)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setObjectName("dropZone")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#dropZone { border: 2px dashed #90a4ae; border-radius: 6px; background: #f5f7f8; }")
        layout = QVBoxLayout(self)
        label = QLabel(tr(CTX, "Kéo thả tệp gói nộp (.dtipkg), gói tổng hợp (.dtibundle), các phần của gói "
                               "hoặc cả thư mục vào đây"))
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.setMinimumHeight(70)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.dropped.emit(paths)
            event.acceptProposedAction()


class ImportPage(QWidget):
    imported = Signal()

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.lang = window.ctx.lang
        self.paths: list[Path] = []
        self.cancel = threading.Event()
        self.running = False
        self.progress_bridge = _Progress(self)
        self.progress_bridge.step.connect(self._on_step)

        column = QVBoxLayout(self)
        self.drop = DropZone()
        self.drop.dropped.connect(self.add_paths)
        column.addWidget(self.drop)
        bar = QHBoxLayout()
        self.add_button = QPushButton(tr(CTX, "Chọn tệp…"))
        self.add_button.clicked.connect(self._choose_files)
        self.folder_button = QPushButton(tr(CTX, "Chọn thư mục…"))
        self.folder_button.clicked.connect(self._choose_folder)
        self.scan_button = QPushButton(tr(CTX, "Quét ổ USB"))
        self.scan_button.setObjectName("scanDrives")
        self.scan_button.clicked.connect(self.scan_drives)
        self.clear_button = QPushButton(tr(CTX, "Xóa danh sách"))
        self.clear_button.clicked.connect(self.clear)
        for b in (self.add_button, self.folder_button, self.scan_button, self.clear_button):
            bar.addWidget(b)
        bar.addStretch(1)
        self.preview_button = QPushButton(tr(CTX, "Kiểm tra trước"))
        self.preview_button.setObjectName("previewButton")
        self.preview_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button = QPushButton(tr(CTX, "Nhập vào"))
        self.import_button.setObjectName("importButton")
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.stop_button = QPushButton(tr(CTX, "Dừng"))
        self.stop_button.clicked.connect(self.cancel.set)
        self.stop_button.setEnabled(False)
        for b in (self.preview_button, self.import_button, self.stop_button):
            bar.addWidget(b)
        column.addLayout(bar)
        self.note = QLabel(tr(CTX, "Chưa chọn tệp nào."))
        self.note.setObjectName("importNote")
        self.note.setWordWrap(True)
        column.addWidget(self.note)
        self.progress = QProgressBar()
        self.progress.setFormat(tr(CTX, "%v/%m gói"))
        self.progress.hide()
        column.addWidget(self.progress)
        self.model = OutcomeModel(self, self.lang)
        self.view = table(self.model)
        self.view.setObjectName("importTable")
        self.view.setWordWrap(False)
        column.addWidget(self.view, 1)
        self._update_buttons()

    # -- the list of files ------------------------------------------------------------------------------
    def add_paths(self, paths: list[Path]) -> None:
        for p in paths:
            if p not in self.paths:
                self.paths.append(Path(p))
        self._show_waiting()

    def clear(self) -> None:
        self.paths = []
        self.model.set_rows([])
        self.note.setText(tr(CTX, "Chưa chọn tệp nào."))
        self._update_buttons()

    def _show_waiting(self) -> None:
        groups = package_import.expand(self.paths)
        self.model.set_rows([Outcome(v[0].name, "waiting") for v in groups])
        self.note.setText(tr(CTX, "{n} gói chờ kiểm tra. Bấm “Kiểm tra trước” để xem kết quả mà chưa nhập gì.")
                          .format(n=len(groups)))
        self._update_buttons()

    def _choose_files(self) -> None:
        paths = self.window_.dialogs.open_paths(self)
        if paths:
            self.add_paths(paths)

    def _choose_folder(self) -> None:
        folder = self.window_.dialogs.open_folder(self, tr(CTX, "Chọn thư mục chứa gói nộp"))
        if folder:
            self.add_paths([folder])

    def scan_drives(self, roots: list[Path] | None = None) -> list[Path]:
        roots = removable_roots() if roots is None or roots is False else roots
        found = scan_for_packages(roots)
        if found:
            self.add_paths(found)
        else:
            self.note.setText(tr(CTX, "Không tìm thấy gói nộp nào trên ổ USB ({where}).").format(
                where=", ".join(str(r) for r in roots) or tr(CTX, "không có ổ USB nào đang cắm")))
        return found

    def _update_buttons(self) -> None:
        idle = not self.running
        for b in (self.add_button, self.folder_button, self.scan_button, self.clear_button):
            b.setEnabled(idle)
        self.preview_button.setEnabled(idle and bool(self.paths))
        self.import_button.setEnabled(idle and bool(self.paths) and not self.window_.is_final())
        self.stop_button.setEnabled(not idle)

    # -- preview and import -----------------------------------------------------------------------------
    def run(self, dry_run: bool) -> None:
        if not self.paths or self.running:
            return
        groups = package_import.expand(self.paths)
        self.cancel.clear()
        self.running = True
        self.results: list[Outcome] = []
        self.progress.setRange(0, len(groups))
        self.progress.setValue(0)
        self.progress.show()
        self._update_buttons()
        ws = self.window_.ws
        cancel, bridge = self.cancel, self.progress_bridge

        def work() -> bool:
            try:
                for i, volumes in enumerate(groups, 1):
                    if cancel.is_set():
                        return False
                    bridge.step.emit(i, len(groups), package_import.import_paths(ws, volumes, dry_run=dry_run,
                                                                                 refresh_scores=False))
                return True
            finally:   # once for the whole batch, also after Stop: what was imported is ranked quickly
                if not dry_run:
                    from app.services import score_cache

                    score_cache.refresh(ws)

        def done(complete: bool) -> None:
            self.running = False
            self.progress.hide()
            self._finish(dry_run, complete)

        def failed(error: Exception) -> None:
            self.running = False
            self.progress.hide()
            self.note.setText(error_text(error))
            self._update_buttons()

        self.window_.ctx.runner.op(self, work).success(done).failure(failed).run()

    def _on_step(self, done: int, _total: int, outcomes: list[Outcome]) -> None:
        self.results.extend(outcomes)
        self.progress.setValue(done)
        self.model.set_rows(self.results + [Outcome(v[0].name, "waiting")
                                            for v in package_import.expand(self.paths)][len(self.results):])

    def _finish(self, dry_run: bool, complete: bool) -> None:
        self.model.set_rows(self.results)
        counts: dict[str, int] = {}
        for o in self.results:
            counts[o.status] = counts.get(o.status, 0) + 1
        refused = counts.get("refused", 0) + counts.get("alarm", 0)
        if dry_run:
            text = tr(CTX, "Kiểm tra xong: {ok} gói sẽ được nhập, {same} gói đã có, {bad} gói bị từ chối. "
                           "Chưa có gì được nhập.").format(ok=counts.get("would-import", 0),
                                                           same=counts.get("unchanged", 0), bad=refused)
        else:
            text = tr(CTX, "Đã nhập {ok} gói, {same} gói đã có, {bad} gói bị từ chối.").format(
                ok=counts.get("imported", 0), same=counts.get("unchanged", 0), bad=refused)
        if not complete:
            text += " " + tr(CTX, "Đã dừng theo yêu cầu: các gói còn lại chưa được xử lý.")
        self.note.setText(text)
        self._update_buttons()
        if not dry_run:
            self.imported.emit()

    def result_lines(self) -> list[str]:
        return [o.line(self.lang) for o in self.model.rows]
