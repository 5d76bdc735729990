"""What the aggregator's window asks of the officer in a dialog: files, folders, the passphrase (masked),
a reason. One object, injected, so that tests answer without a real dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.ui.text import tr

CTX = "AggregatorDialogs"


class AskDialog(QDialog):
    """One line of text, masked for a passphrase; Vietnamese buttons (Qt ships no Vietnamese)."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, masked: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        column = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        column.addWidget(label)
        self.edit = QLineEdit()
        self.edit.setObjectName("askEdit")
        if masked:
            self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        column.addWidget(self.edit)
        buttons = QDialogButtonBox()
        buttons.addButton(tr(CTX, "Đồng ý"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(tr(CTX, "Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.setMinimumWidth(420)

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

    def passphrase(self, parent: QWidget) -> str | None:
        dialog = AskDialog(parent, tr(CTX, "Mật khẩu ký số"),
                           tr(CTX, "Nhập mật khẩu của máy này để ký tệp (mật khẩu không được lưu):"), masked=True)
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
