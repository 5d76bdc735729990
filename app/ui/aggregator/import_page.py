"""Import (nhập gói): drop files or folders, or scan removable drives; a check (dry run) of every package,
then the import, each package all or nothing, with a result line per file in the officer's language.

The check and the import run one batch the same way (import_batch): what the check says is what the import
does. Duplicates and older revisions are skipped ("bỏ qua", grey), never refused (red). The work runs on the
database worker, one package after another; the page says what it is doing, shows progress per package and
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

from app.services import import_batch, package_crypto, package_import
from app.services.aggregator_view import removable_roots, scan_for_packages
from app.services.package_import import Outcome
from app.ui.aggregator.dashboard import table
from app.ui.aggregator.models import OutcomeModel
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "AggregatorImport"


class _Progress(QObject):
    """Crosses from the worker to the GUI thread (a queued signal)."""

    step = Signal(int, int, int, object)   # done, total, the package's place in the list, its outcomes


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
        self.dry_run = True
        self.groups: list[list[Path]] = []
        self.results: dict[int, list] = {}
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
        passphrase = None
        if any(package_crypto.is_encrypted(g) for g in groups):   # opened with this installation's key
            given = self.window_.dialogs.passphrase(self)
            if given is None:
                return
            passphrase = package_crypto.once(lambda: given)
        self.cancel.clear()
        self.running = True
        self.groups = groups
        self.results: dict[int, list] = {}
        self.progress.setRange(0, len(groups))
        self.progress.setValue(0)
        self.progress.show()
        self.note.setText(self._running_text(dry_run, 0, len(groups)))
        self._update_buttons()
        ws = self.window_.ws
        cancel, bridge = self.cancel, self.progress_bridge

        def work() -> bool:
            try:
                return import_batch.run(ws, groups, dry_run, cancel.is_set,
                                        lambda done, total, i, outcomes: bridge.step.emit(done, total, i, outcomes),
                                        passphrase)
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

        self.dry_run = dry_run
        self.window_.ctx.runner.op(self, work).success(done).failure(failed).run()

    def _running_text(self, dry_run: bool, done: int, total: int) -> str:
        if dry_run:
            return tr(CTX, "Đang kiểm tra gói: {done}/{total} xong. Chưa nhập gì.").format(done=done, total=total)
        return tr(CTX, "Đang nhập gói: {done}/{total} xong. Mỗi gói được nhập trọn vẹn hoặc không nhập gì.").format(
            done=done, total=total)

    def _rows(self) -> list:
        """One row per package in the order of the list (a bundle: one per commune), waiting ones included."""
        rows: list = []
        for i, volumes in enumerate(self.groups):
            rows += self.results.get(i) or [Outcome(volumes[0].name, "waiting")]
        return rows

    def _on_step(self, done: int, total: int, index: int, outcomes: list) -> None:
        self.results[index] = list(outcomes)
        self.progress.setValue(done)
        self.model.set_rows(self._rows())
        self.note.setText(self._running_text(self.dry_run, done, total))

    def _finish(self, dry_run: bool, complete: bool) -> None:
        rows = self._rows()
        self.model.set_rows(rows)
        counts: dict[str, int] = {}
        for o in rows:
            counts[o.status] = counts.get(o.status, 0) + 1
        refused = counts.get("refused", 0) + counts.get("alarm", 0)
        skipped = counts.get(import_batch.SKIPPED, 0) + counts.get("unchanged", 0)
        if dry_run:
            text = tr(CTX, "Kiểm tra xong: {ok} gói sẽ được nhập, bỏ qua {skip} gói (đã có, hoặc đã có lần nộp mới "
                           "hơn), {bad} gói bị từ chối. Chưa có gì được nhập.").format(
                ok=counts.get("would-import", 0), skip=skipped, bad=refused)
        else:
            text = tr(CTX, "Nhập xong: đã nhập {ok} gói, bỏ qua {skip} gói (đã có, hoặc đã có lần nộp mới hơn), {bad} "
                           "gói bị từ chối.").format(ok=counts.get("imported", 0), skip=skipped, bad=refused)
        if not complete:
            text += " " + tr(CTX, "Đã dừng theo yêu cầu: các gói còn lại chưa được xử lý.")
        self.note.setText(text)
        self._update_buttons()
        if not dry_run:
            self.imported.emit()

    def result_lines(self) -> list[str]:
        return [o.line(self.lang) for o in self.model.rows]
