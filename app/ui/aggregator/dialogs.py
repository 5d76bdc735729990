"""What the aggregator's window asks of the officer in a dialog: files, folders, the passphrase (masked),
a reason, a yes/no before something weighty. One object, injected, so that tests answer without a real
dialog."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.ui.ops import Runner
from app.ui.passphrase_field import PassphraseField, refusal_for
from app.ui.text import tr

CTX = "AggregatorDialogs"


class AskDialog(QDialog):
    """One line of text, masked for a passphrase; Vietnamese buttons (Qt ships no Vietnamese).

    A passphrase box has the "Hiện mật khẩu" toggle; with `check` (run on the window's database worker), a
    wrong passphrase is refused under the box and the dialog stays open."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, masked: bool = False,
                 check: Callable[[str], None] | None = None, runner: Runner | None = None, lang: str = "vi"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.check, self.runner, self.lang = check, runner, lang
        column = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        column.addWidget(label)
        self.field: PassphraseField | None = None
        if masked:
            self.field = PassphraseField()
            self.edit = self.field.edit
            column.addWidget(self.field)
        else:
            self.edit = QLineEdit()
            column.addWidget(self.edit)
        self.edit.setObjectName("askEdit")
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr(CTX, "Đồng ý"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr(CTX, "Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.setMinimumWidth(460)

    def _ok(self) -> None:
        if self.check is None or self.runner is None or self.field is None:
            self.accept()
            return
        text = self.edit.text()
        self.ok_button.setEnabled(False)

        def refused(error: Exception) -> None:
            self.ok_button.setEnabled(True)
            if not isinstance(error, UserError) and self.runner.synchronous:
                raise error
            self.field.show_refusal(refusal_for(error, self.lang))
            self.layout().activate()     # grow for the refusal rather than squeeze it
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

        self.runner.op(self, lambda: self.check(text)).success(lambda _none: self.accept()).failure(refused).run()

    def value(self) -> str:
        return self.edit.text()


class Dialogs:
    """The real dialogs. Each returns None (or an empty list) when the officer cancels."""

    def open_paths(self, parent: QWidget, folder: str = "") -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(
            parent, tr(CTX, "Chọn gói nộp hoặc gói tổng hợp"), folder,
            tr(CTX, "Gói nộp (*.dtipkg *.dtibundle *.dtipkg.*);;Mọi tệp (*)"))
        return [Path(n) for n in names]

    def open_folder(self, parent: QWidget, title: str, folder: str = "") -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title, folder)
        return Path(name) if name else None

    def open_file(self, parent: QWidget, title: str, filters: str, folder: str = "") -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, title, folder, filters)
        return Path(name) if name else None

    def save_file(self, parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
        return Path(name) if name else None

    def passphrase_dialog(self, parent: QWidget) -> AskDialog:
        """The passphrase prompt, checked against the keys of the window it belongs to (the window's `ws` and
        `ctx`) so that a wrong passphrase is refused under the box."""
        window = parent.window() if parent is not None else None
        ws, ctx = getattr(window, "ws", None), getattr(window, "ctx", None)
        check = runner = None
        if ws is not None and ctx is not None:
            from app.services.unit_enrollment import check_passphrase

            check, runner = (lambda text: check_passphrase(ws, text)), ctx.runner
        return AskDialog(parent, tr(CTX, "Mật khẩu ký số"),
                         tr(CTX, "Nhập mật khẩu của máy này để ký tệp (mật khẩu không được lưu):"), masked=True,
                         check=check, runner=runner, lang=getattr(ctx, "lang", "vi"))

    def passphrase(self, parent: QWidget) -> str | None:
        dialog = self.passphrase_dialog(parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def reason(self, parent: QWidget, title: str, prompt: str) -> str | None:
        dialog = AskDialog(parent, title, prompt)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def confirm(self, parent: QWidget, title: str, text: str, accept: str) -> bool:
        """A question with two buttons: `accept` and "Hủy" (the default, so that a stray Enter does nothing)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
        yes = box.addButton(accept, QMessageBox.ButtonRole.AcceptRole)
        no = box.addButton(tr(CTX, "Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        try:
            box.exec()
            return box.clickedButton() is yes
        finally:
            box.deleteLater()
