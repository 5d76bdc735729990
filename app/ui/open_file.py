"""Opening a hand-off file with the application (a double-click, `dti FILE`): straight to the right import.

`app.services.handoff` says what the file is, from its content; `OpenRequest.route` then takes it to the
window the installation opened:

- an enrollment file: the first-run wizard on its enrollment path with the file filled in (an installation
  that already holds a unit or an authority gets a message instead);
- a feedback file: the unit window's feedback import (Tệp → Nhập phản hồi thẩm định), on that file;
- a package, a bundle or a volume of a split one: the aggregator window's import page with the file
  queued and its dry-run preview started (nothing is stored until the officer presses "Nhập vào");
- an appraisal work or return file: a message with the command that imports it;
- a round file (`*.dtiround`): accepted as Đợt đánh giá → Nhận tệp đợt đánh giá… does, in the unit's window
  and in a district's aggregator window; a province gets a message (the file is for its units), and the
  first-run wizard one saying to accept the enrollment file first.

A file that is not a DTI hand-off gets a message naming why, and the application opens as usual.

On Windows the GUI also holds a named mutex while it runs (`hold_app_mutex`): the installer and the
uninstaller look for it (Inno Setup's AppMutex) and ask to close the program first.

The messages here are built in both languages beside each other rather than through `tr()` and the `.ts`.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import UserError
from app.services import handoff as ho
from app.ui.context import AppContext

# The name Inno Setup's AppMutex checks (installer/windows/make_iss.py reads it from here).
APP_MUTEX = "DTI-Suite.Running"
_mutex_handles: list[int] = []   # held for the life of the process; Windows releases them at exit


def hold_app_mutex() -> bool:
    """Windows: create the named mutex that tells the installer this program is running. Elsewhere: no-op."""
    if sys.platform != "win32":
        return False
    import ctypes

    kernel32 = ctypes.windll.kernel32   # type: ignore[attr-defined]
    kernel32.CreateMutexW.restype = ctypes.c_void_p
    handle = kernel32.CreateMutexW(None, False, APP_MUTEX)
    if handle:
        _mutex_handles.append(handle)
    return bool(handle)


def _command(*args: str | Path) -> str:
    return " ".join(shlex.quote(str(a)) if sys.platform != "win32" else (f'"{a}"' if " " in str(a) else str(a))
                    for a in args)


class OpenRequest:
    """A file the application was opened with, recognised once, then routed to the window that opened."""

    def __init__(self, ctx: AppContext, path: Path | str):
        self.ctx = ctx
        self.path = Path(path)
        self.handoff: ho.HandOff | None = None
        self.error: UserError | None = None
        self.last_box: QMessageBox | None = None
        self.routed = False
        try:
            self.handoff = ho.recognise(self.path)
        except UserError as e:
            self.error = e

    # -- messages ---------------------------------------------------------------------------------------
    def _text(self, vi: str, en: str) -> str:
        return en if self.ctx.lang == "en" else vi

    def _message(self, parent: QWidget, vi: str, en: str, warning: bool = False) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information,
                          self._text("Mở tệp", "Open file"), self._text(vi, en), QMessageBox.StandardButton.NoButton,
                          parent)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)   # the command can be copied
        box.addButton(self._text("Đóng", "Close"), QMessageBox.ButtonRole.AcceptRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_box = box
        return box

    # -- routing ----------------------------------------------------------------------------------------
    def apply(self, target: QWidget) -> None:
        """Route once the window is on screen (a wizard: before it runs, so the officer sees the file)."""
        from app.ui.first_run_wizard import FirstRunWizard

        if isinstance(target, FirstRunWizard):
            self.route(target)
        else:
            QTimer.singleShot(0, lambda: self.route(target))

    def route(self, target: QWidget) -> str:
        """Take the file to its flow in `target` (the aggregator window, the first-run wizard or the unit's
        main window). Returns what was done: "import-preview", "feedback-import", "enrollment", "round-accept",
        or "message"."""
        self.routed = True
        if self.handoff is None:
            error = self.error or UserError("not recognised", "không nhận ra tệp")
            self._message(target, error.message_vi, str(error), warning=True)
            return "message"
        from app.ui.aggregator.window import AggregatorWindow
        from app.ui.first_run_wizard import FirstRunWizard
        from app.ui.main_window import MainWindow

        if isinstance(target, AggregatorWindow):
            return self._to_aggregator(target, self.handoff)
        if isinstance(target, FirstRunWizard):
            return self._to_wizard(target, self.handoff)
        if isinstance(target, MainWindow):
            return self._to_unit(target, self.handoff)
        raise TypeError(f"no route to {type(target).__name__}")

    def _to_aggregator(self, window, h: ho.HandOff) -> str:
        from app.ui.aggregator.window import TAB_IMPORT

        if h.kind in (ho.PACKAGE, ho.BUNDLE):
            window.tabs.setCurrentIndex(TAB_IMPORT)
            page = window.import_page
            page.add_paths(h.import_paths)
            page.run(dry_run=True)
            return "import-preview"
        if h.kind == ho.APPRAISAL_RETURN:   # merged as the appraisal page's "nhận kết quả" does
            from app.ui.aggregator.window import TAB_APPRAISAL

            window.tabs.setCurrentIndex(TAB_APPRAISAL)
            window.appraisal_page.work_row.import_return(h.path)
            return "return-import"
        if h.kind == ho.ROUND:
            state = window.round_menu.state
            if state is not None and state.province:
                self._message(window, f"{h.path.name} là tệp đợt đánh giá, dành cho các đơn vị (huyện, xã) nhận trên "
                                      "máy của mình; máy của tỉnh không nhận tệp này.",
                              f"{h.path.name} is a round file, for the units (districts, communes) to accept on their "
                              "own installations; the province's installation does not take it.")
                return "message"
            window.round_menu.accept_file(h.path)   # a district takes the province's round
            return "round-accept"
        if h.kind == ho.APPRAISAL_WORK:
            self._message(window, f"{h.path.name} là tệp giao việc thẩm định, dành cho máy của cơ quan thẩm định "
                                  f"theo lĩnh vực. Trên máy đó: {_command('dti', 'appraise', 'import', h.path)}",
                          f"{h.path.name} is an appraisal work file, meant for the installation of the department "
                          f"that appraises. There: {_command('dti', 'appraise', 'import', h.path)}")
            return "message"
        if h.kind == ho.ENROLLMENT:
            self._message(window, f"{h.path.name} là tệp cấp tài khoản. Máy này đã là máy của cơ quan tổng hợp; tệp "
                                  "cấp tài khoản được nhận khi cài đặt lần đầu (thư mục dữ liệu mới) hoặc bằng lệnh "
                                  f"{_command('dti', 'enroll', 'accept', h.path)}",
                          f"{h.path.name} is an enrollment file. This installation already is an aggregator's; an "
                          "enrollment file is accepted on first start (a new data folder) or with "
                          f"{_command('dti', 'enroll', 'accept', h.path)}")
            return "message"
        self._message(window, f"{h.path.name} là phản hồi thẩm định gửi cho đơn vị {h.unit_code or '?'}: hãy mở tệp trên "
                              "máy của đơn vị đó.",
                      f"{h.path.name} is appraisal feedback for unit {h.unit_code or '?'}: open it on that unit's "
                      "installation.")
        return "message"

    def _to_wizard(self, wizard, h: ho.HandOff) -> str:
        from app.services import first_run as fr

        if h.kind == ho.ENROLLMENT:
            wizard.choice_buttons[fr.ENROLL].click()
            wizard.enroll_path.setText(str(h.path))
            wizard.next_button.setFocus()
            return "enrollment"
        if h.kind in (ho.PACKAGE, ho.BUNDLE):
            self._message(wizard, f"{h.path.name} là gói nộp. Gói được nhập trên máy của cơ quan tổng hợp (huyện, "
                                  "tỉnh); máy này chưa có dữ liệu. Hãy bắt đầu (nhận tệp cấp tài khoản hoặc mở thư mục "
                                  "dữ liệu), rồi mở lại tệp.",
                          f"{h.path.name} is a submission package. Packages are imported by an aggregator (district, "
                          "province); this installation has no data yet. Start first (accept an enrollment file or "
                          "open a data folder), then open the file again.")
            return "message"
        if h.kind == ho.ROUND:
            self._message(wizard, f"{h.path.name} là tệp đợt đánh giá, dành cho đơn vị đã được cấp tài khoản. Máy này "
                                  "chưa có dữ liệu: hãy nhận tệp cấp tài khoản trước, rồi mở lại tệp đợt đánh giá.",
                          f"{h.path.name} is a round file, for a unit that is already enrolled. This installation "
                          "has no data yet: accept the enrollment file first, then open the round file again.")
            return "message"
        self._message(wizard, f"Máy này chưa có dữ liệu đơn vị, nên chưa nhập được {h.path.name}. Hãy nhận tệp cấp tài "
                              "khoản trước, rồi mở lại tệp.",
                      f"This installation holds no unit yet, so {h.path.name} cannot be imported. Accept the "
                      "enrollment file first, then open the file again.")
        return "message"

    def _to_unit(self, window, h: ho.HandOff) -> str:
        if h.kind == ho.FEEDBACK:
            actions = window.file_actions
            chooser = actions.choose_open
            actions.choose_open = lambda *_args: str(h.path)
            try:
                actions.import_feedback()
            finally:
                actions.choose_open = chooser
            return "feedback-import"
        if h.kind in (ho.PACKAGE, ho.BUNDLE):
            self._message(window, f"{h.path.name} là gói nộp; gói được nhập trên máy của cơ quan tổng hợp (huyện, "
                                  "tỉnh). Để kiểm tra chữ ký và nội dung của gói mà không nhập: "
                                  f"{_command('dti', 'package', 'verify', h.path)}",
                          f"{h.path.name} is a submission package; packages are imported by an aggregator (district, "
                          "province). To check its signature and content without importing it: "
                          f"{_command('dti', 'package', 'verify', h.path)}")
            return "message"
        if h.kind == ho.ENROLLMENT:   # the same dialog as Tệp → Nhận tệp cấp tài khoản…, the file already chosen
            window.file_actions.accept_enrollment(h.path)
            return "enrollment-dialog"
        if h.kind == ho.ROUND:        # as Đợt đánh giá → Nhận tệp đợt đánh giá…, the file already chosen
            window.round_menu.accept_file(h.path)
            return "round-accept"
        return self._command_message(window, "appraise", "import", h.path)

    def _command_message(self, parent: QWidget, *command: str | Path) -> str:
        line = _command("dti", *command)
        name = self.handoff.path.name if self.handoff else self.path.name
        self._message(parent, f"{name} là tệp thẩm định theo lĩnh vực. Giao diện chưa có chức năng nhập tệp này; hãy "
                              f"dùng lệnh: {line}",
                      f"{name} is an appraisal-by-field file. The desktop application cannot import it yet; use the "
                      f"command: {line}")
        return "message"
