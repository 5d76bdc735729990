"""One passphrase box, the same everywhere the application asks for a passphrase: the masked line, a
"Hiện mật khẩu" toggle (the officer copies a 16-character passphrase from the printed sheet and must be able
to check what was typed), and the refusal of a wrong passphrase right under the box, in the service's words.

Typing again clears the refusal. `refusal_for(error, lang)` gives the text to show for a service error."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.errors import UserError
from app.ui.text import tr

CTX = "PassphraseField"
REFUSAL_STYLE = "color: #b71c1c; font-weight: bold;"


def refusal_for(error: BaseException, lang: str = "vi") -> str:
    """The line to show for a refusal: the service's own message in the interface's language."""
    if isinstance(error, UserError):
        return error.message_vi if lang == "vi" else str(error)
    return str(error)


class PassphraseField(QWidget):
    """A masked passphrase box with its "Hiện mật khẩu" toggle, a refusal line and an optional hint."""

    returnPressed = Signal()

    def __init__(self, placeholder: str = "", hint: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(8)
        self.edit = QLineEdit()
        self.edit.setObjectName("passphrase")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText(placeholder)
        self.edit.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText
                                      | Qt.InputMethodHint.ImhNoAutoUppercase)
        self.edit.setMinimumWidth(260)
        self.edit.textChanged.connect(lambda _text: self.clear_refusal())
        self.edit.returnPressed.connect(self.returnPressed)
        row.addWidget(self.edit, 1)
        self.show_box = QCheckBox(tr(CTX, "Hiện mật khẩu"))
        self.show_box.setObjectName("showPassphrase")
        self.show_box.toggled.connect(self._show)
        row.addWidget(self.show_box)
        column.addLayout(row)
        self.refusal = QLabel()
        self.refusal.setObjectName("passphraseRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(REFUSAL_STYLE)
        self.refusal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.refusal.hide()
        column.addWidget(self.refusal)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #546e7a;")
        self.hint.setVisible(bool(hint))
        column.addWidget(self.hint)
        self.setFocusProxy(self.edit)
        self._plain_font = QFont(self.edit.font())

    def _show(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        if shown:   # equal-width letters, as the sheet prints them: easier to compare group by group
            fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
            fixed.setPointSizeF(max(self._plain_font.pointSizeF(), fixed.pointSizeF()))
            self.edit.setFont(fixed)
        else:
            self.edit.setFont(self._plain_font)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        """Forget what was typed and hide it again (after use, or when the dialog closes)."""
        self.edit.clear()
        self.show_box.setChecked(False)
        self.clear_refusal()

    def show_refusal(self, text: str) -> None:
        self.refusal.setText(text)
        self.refusal.show()
        self.edit.selectAll()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_refusal(self) -> None:
        self.refusal.clear()
        self.refusal.hide()
