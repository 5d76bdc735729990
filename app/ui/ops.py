"""Work off the GUI thread (Anki's CollectionOp pattern): `runner.op(parent, fn).success(cb).failure(cb).run()`.

Everything that touches SQLite runs on one worker thread, in order, so the store sees one writer and the
ORM never crosses threads (functions return plain data). Results come back on the GUI thread through a
queued signal. A progress dialog appears only when the work lasts longer than ~600 ms, so quick edits
never flash a dialog. Tests (and `dti gui --screenshot`) switch the runner to synchronous mode: the
function and its callbacks run at once, in the caller's thread, and an unexpected error is raised.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget
from shiboken6 import isValid

from app.errors import UserError
from app.ui.text import tr

PROGRESS_DELAY_MS = 600
log = logging.getLogger("dti.ui")


class Op:
    def __init__(self, runner: Runner, parent: QWidget | None, fn: Callable[[], Any]):
        self.runner = runner
        self.parent = parent
        self.fn = fn
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[Exception], None] | None = None
        self._label: str | None = None
        self._dialog: QProgressDialog | None = None
        self._finished = False

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> Op:
        self._failure = callback
        return self

    def with_progress(self, label: str) -> Op:
        self._label = label
        return self

    def run(self) -> None:
        if self.runner.synchronous:
            try:
                result = self.fn()
            except Exception as e:
                self._deliver(None, e)
            else:
                self._deliver(result, None)
            return
        self.runner._pending.add(self)
        future = self.runner._executor.submit(self.fn)
        future.add_done_callback(self._from_worker)
        if self._label:
            QTimer.singleShot(PROGRESS_DELAY_MS, self._show_progress)

    def _from_worker(self, future: Future) -> None:
        error = future.exception()
        self.runner._done.emit(self, None if error else future.result(), error)

    def _show_progress(self) -> None:
        if self._finished or (self.parent is not None and not isValid(self.parent)):
            return
        dialog = QProgressDialog(self._label or "", "", 0, 0, self.parent)
        dialog.setWindowTitle(tr("Ops", "Đang xử lý"))
        dialog.setCancelButton(None)   # SQLite work cannot be interrupted half-way: it finishes or rolls back
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self._dialog = dialog

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        self._finished = True
        self.runner._pending.discard(self)
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self.parent is not None and not isValid(self.parent):
            return   # the window went away while the work ran: nobody to tell
        if error is None:
            if self._success is not None:
                self._success(result)
            return
        if not isinstance(error, Exception):
            raise error
        if self._failure is not None:
            self._failure(error)
        elif isinstance(error, UserError):
            show_error(self.parent, error)
        elif self.runner.synchronous:
            raise error
        else:
            log.error("unexpected error in background work", exc_info=error)
            show_error(self.parent, error)


class Runner(QObject):
    """The single database worker and the bridge back to the GUI thread; one per application."""

    _done = Signal(object, object, object)   # op, result, error

    def __init__(self, synchronous: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.synchronous = synchronous
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dti-db")
        self._pending: set[Op] = set()
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def op(self, parent: QWidget | None, fn: Callable[[], Any]) -> Op:
        return Op(self, parent, fn)

    def _on_done(self, op: Op, result: Any, error: BaseException | None) -> None:
        op._deliver(result, error)

    def busy(self) -> bool:
        return bool(self._pending)

    def wait_idle(self) -> None:
        """Block until the work already queued has run (closing a window must not cut an edit short)."""
        if not self.synchronous:
            self._executor.submit(lambda: None).result()

    def shutdown(self) -> None:
        """Wait for the work already queued (an edit being stored must finish), then stop the worker."""
        self._executor.shutdown(wait=True)


def ui_lang() -> str:
    """The language the interface is shown in: "en" when the English translation is installed, else "vi".

    Asked of the translation itself (its entry for the language code, as Qt's own QT_LAYOUT_DIRECTION entry
    is), so that text chosen in code (a refusal's `message_vi` or its English `str()`) always matches the
    language of the widgets around it, wherever it is shown."""
    return "en" if tr("Ops", "vi") == "en" else "vi"


def error_text(error: BaseException) -> str:
    """A refusal in the interface's language (a UserError carries both: `message_vi` and its English
    `str()`); anything else is a program error, named for the log."""
    if isinstance(error, UserError):
        return str(error) if ui_lang() == "en" else error.message_vi
    return tr("Ops", "Lỗi chương trình: {what}. Chi tiết được ghi vào nhật ký.").format(
        what=f"{type(error).__name__}: {error}")


def show_error(parent: QWidget | None, error: BaseException) -> QMessageBox:
    """A non-blocking message box with Vietnamese button text (Qt ships no Vietnamese translation)."""
    box = QMessageBox(QMessageBox.Icon.Warning, tr("Ops", "Không thực hiện được"), error_text(error),
                      QMessageBox.StandardButton.NoButton, parent)
    box.addButton(tr("Ops", "Đóng"), QMessageBox.ButtonRole.AcceptRole)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
