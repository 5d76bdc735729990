"""Tệp → Đổi mật khẩu…: `dti passphrase change` from the unit's window. Every private key of the installation
is encrypted again with the new passphrase, all or nothing (app.services.unit_enrollment.change_passphrase);
each refusal shows under the box it is about. A practice unit has no key yet, hence no passphrase: the dialog
says where one comes from."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import unit_enrollment as ue
from app.services.workspace import Workspace
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.passphrase_field import PassphraseField, refusal_for
from app.ui.text import tr

CTX = "PassphraseDialog"


class ChangePassphraseDialog(QDialog):
    def __init__(self, ctx: AppContext, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.ws = ctx, ws
        self.changed: int | None = None
        self.setWindowTitle(tr(CTX, "Đổi mật khẩu"))
        self.setWindowIcon(app_icon())
        layout = QVBoxLayout(self)
        heading = QLabel(tr(CTX, "Đổi mật khẩu của đơn vị"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(heading)
        intro = QLabel(tr(CTX, "Mật khẩu mở khóa chữ ký số của đơn vị; phần mềm hỏi mật khẩu mỗi lần xuất gói nộp. "
                               "Hãy đổi ngay sau khi nhận tài khoản: mật khẩu in trên phiếu đã qua tay người khác."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #455a64;")
        intro.setMinimumWidth(560)
        layout.addWidget(intro)
        self.note = QLabel(tr(CTX, "Đơn vị thực hành chưa có mật khẩu. Mật khẩu đi cùng tài khoản: khi nhận tệp cấp "
                                   "tài khoản (Tệp → Nhận tệp cấp tài khoản…), dùng mật khẩu in trên phiếu, rồi đổi "
                                   "mật khẩu ở đây."))
        self.note.setObjectName("practiceNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("background: #fff3e0; border: 1px solid #ffb74d; padding: 8px;")
        self.note.hide()
        layout.addWidget(self.note)

        form = QFormLayout()
        self.old = PassphraseField(tr(CTX, "mật khẩu đang dùng"),
                                   tr(CTX, "Lần đầu đổi: mật khẩu in ở mục 2 của phiếu cấp tài khoản."))
        self.new = PassphraseField(tr(CTX, "mật khẩu mới"),
                                   tr(CTX, "Ít nhất 8 ký tự. Nên là một câu dễ nhớ mà người khác khó đoán; ghi ra "
                                           "giấy thì cất nơi an toàn, không để cùng máy tính."))
        self.confirm = PassphraseField(tr(CTX, "nhập lại mật khẩu mới"))
        self.fields = {ue.OLD: self.old, ue.NEW: self.new, ue.CONFIRM: self.confirm}
        form.addRow(tr(CTX, "Mật khẩu đang dùng:"), self.old)
        form.addRow(tr(CTX, "Mật khẩu mới:"), self.new)
        form.addRow(tr(CTX, "Nhập lại mật khẩu mới:"), self.confirm)
        layout.addLayout(form)
        self.old.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.confirm.setFocus)
        self.confirm.returnPressed.connect(self.change)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.change_button = QPushButton(tr(CTX, "Đổi mật khẩu"))
        self.change_button.setObjectName("changeButton")
        self.change_button.setAutoDefault(False)
        self.change_button.clicked.connect(self.change)
        self.cancel_button = QPushButton(tr(CTX, "Hủy"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._enable(False)
        self.ctx.runner.op(self, lambda: ue.holds_keys(ws)).success(self._has_keys).run()

    def _enable(self, enabled: bool) -> None:
        for field in self.fields.values():
            field.setEnabled(enabled)
        self.change_button.setEnabled(enabled)

    def _has_keys(self, has: bool) -> None:
        self.note.setVisible(not has)
        self._enable(has)
        if has:
            self.old.setFocus()
        else:
            self.cancel_button.setText(tr(CTX, "Đóng"))

    def change(self) -> None:
        if not self.change_button.isEnabled():
            return
        old, new, again = self.old.text(), self.new.text(), self.confirm.text()
        for field in self.fields.values():
            field.clear_refusal()
        self.error.hide()
        self.change_button.setEnabled(False)

        def failed(error: Exception) -> None:
            self.change_button.setEnabled(True)
            if not isinstance(error, UserError) and self.ctx.runner.synchronous:
                raise error
            field = self.fields.get(ue.refused_field(error) or "")
            if field is None and ue.refused_field(error) == ue.PASSPHRASE:
                field = self.old
            text = refusal_for(error, self.ctx.lang)
            if field is not None:
                field.show_refusal(text)
            else:
                self.error.setText(text)
                self.error.show()
            self.layout().activate()     # grow for the refusal rather than squeeze the boxes
            self.resize(self.width(), max(self.height(), self.sizeHint().height()))

        def done(count: int) -> None:
            self.changed = count
            self.accept()

        self.ctx.runner.op(self, lambda: ue.change_passphrase(self.ws, old, new, again)).with_progress(
            tr(CTX, "Đang đổi mật khẩu…")).success(done).failure(failed).run()

    def done(self, result: int) -> None:
        """Every way out forgets what was typed."""
        for field in self.fields.values():
            field.clear()
        super().done(result)
