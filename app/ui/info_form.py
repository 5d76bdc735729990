"""General information (thông tin chung): the unit's counts that are not scored but serve as denominators.

One row per field asked of the unit's group; a value is stored when the officer leaves the field or presses
Enter, through the same gatekeeper as the indicators. When the unit answered some of them in its previous round
(carry-over), a banner at the top offers them again; nothing is copied until the officer chooses to
("Xem và dùng lại…", app.ui.carry_over_dialog).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.unit_view import UnitSnapshot, edit_text, read_typed
from app.ui.entry_inputs import _Field
from app.ui.ops import ui_lang
from app.ui.text import tr

CTX = "Info"


class InfoForm(QScrollArea):
    entry_submitted = Signal(str, object)
    entry_cleared = Signal(str)
    carry_requested = Signal()     # "Xem và dùng lại…": the previous round's values, offered in a dialog

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.fields: dict[str, _Field] = {}
        self.errors: dict[str, QLabel] = {}
        self._codes: tuple[str, ...] = ()
        self.snapshot: UnitSnapshot | None = None
        inner = QWidget()
        self.outer = QVBoxLayout(inner)
        self.outer.setContentsMargins(12, 10, 12, 10)
        self.outer.addWidget(self._carry_banner())
        intro = QLabel(tr(CTX, "Thông tin chung không tính điểm, nhưng là mẫu số của các tỷ lệ. "
                               "Số liệu được lưu ngay khi rời ô hoặc bấm Enter."))
        intro.setWordWrap(True)
        self.outer.addWidget(intro)
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.outer.addLayout(self.form)
        self.outer.addStretch(1)
        self.setWidget(inner)

    def _carry_banner(self) -> QFrame:
        self.banner = QFrame()
        self.banner.setObjectName("carryBanner")
        self.banner.setStyleSheet("#carryBanner { background: #e3f2fd; border: 1px solid #90caf9; border-radius: 4px; }")
        row = QHBoxLayout(self.banner)
        row.setContentsMargins(10, 6, 10, 6)
        self.banner_text = QLabel()
        self.banner_text.setObjectName("carryText")
        self.banner_text.setWordWrap(True)
        row.addWidget(self.banner_text, 1)
        self.carry_button = QPushButton(tr(CTX, "Xem và dùng lại…"))
        self.carry_button.setObjectName("carryButton")
        self.carry_button.clicked.connect(self.carry_requested)
        row.addWidget(self.carry_button)
        self.banner.hide()
        return self.banner

    def _show_carry(self, snapshot: UnitSnapshot) -> None:
        offered = snapshot.carry
        if offered:
            self.banner_text.setText(tr(CTX, "Có {n} thông tin chung của năm {year} có thể dùng lại.").format(
                n=len(offered), year=offered[0].from_year))
        self.banner.setVisible(bool(offered))

    def set_snapshot(self, snapshot: UnitSnapshot) -> None:
        self.snapshot = snapshot
        self._show_carry(snapshot)
        codes = tuple(f.code for f in snapshot.info)
        if codes != self._codes:
            self._build(snapshot)
        for info in snapshot.info:
            field = self.fields[info.code]
            if not field.hasFocus() and not self.errors[info.code].isVisible():
                field.show_text(edit_text(info.value, snapshot.number_style))

    def _build(self, snapshot: UnitSnapshot) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields.clear()
        self.errors.clear()
        self._codes = tuple(f.code for f in snapshot.info)
        for info in snapshot.info:
            label = QLabel(f"<b>{info.code}</b> {info.title}")
            label.setWordWrap(True)
            label.setMinimumWidth(260)
            tip = info.guide
            if info.used_by:
                tip += ("\n" if tip else "") + tr(CTX, "Là mẫu số của: {codes}").format(codes=", ".join(info.used_by))
            label.setToolTip(tip)
            placeholder = tr(CTX, "nội dung") if info.type == "text" else tr(CTX, "số")
            field = _Field(placeholder)
            field.setObjectName(f"info:{info.code}")
            field.setToolTip(tip)
            field.committed.connect(lambda text, code=info.code: self._commit(code, text))
            if info.type != "text":   # the number understood beside the box, as it is typed
                field.echo.setObjectName(f"understood:{info.code}")
                field.set_reader(lambda text, code=info.code: read_typed(self.snapshot, code, text))
                field.textChanged.connect(lambda _text, code=info.code: self._show_reading(code))
            error = QLabel()
            error.setStyleSheet("color: #b71c1c;")
            error.setWordWrap(True)
            error.hide()
            row = QWidget()
            box = QVBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            line = QHBoxLayout()
            line.addWidget(field)
            line.addWidget(field.echo)
            line.addWidget(QLabel(info.unit))
            line.addStretch(1)
            box.addLayout(line)
            if info.used_by:
                note = QLabel(tr(CTX, "Là mẫu số của: {codes}").format(codes=", ".join(info.used_by)))
                note.setStyleSheet("color: #607d8b; font-size: 11px;")
                box.addWidget(note)
            box.addWidget(error)
            label.setBuddy(field)
            self.form.addRow(label, row)
            self.fields[info.code] = field
            self.errors[info.code] = error

    def _commit(self, code: str, text: str) -> None:
        if text:
            self.entry_submitted.emit(code, text)
        else:
            self.entry_cleared.emit(code)

    def _show_reading(self, code: str) -> None:
        """As the officer types: why the text would be refused, under the box, before anything is stored."""
        reading, error = self.fields[code].reading, self.errors[code]
        if reading.refused:
            error.setText(reading.reason(ui_lang()))
            error.setStyleSheet("color: #8a4b00;")
            error.show()
        else:
            error.hide()

    def show_refusal(self, code: str, message: str) -> None:
        if code in self.errors:
            typed = self.fields[code].reading   # the same gatekeeper's reason, in the interface's language
            reason = typed.reason(ui_lang()) if typed.refused else message.removeprefix(f"{code}: ")
            self.errors[code].setText(tr(CTX, "Chưa lưu: {reason}").format(reason=reason))
            self.errors[code].setStyleSheet("color: #b71c1c;")
            self.errors[code].show()

    def clear_refusal(self, code: str) -> None:
        if code in self.errors:
            self.errors[code].hide()

    def focus_field(self, code: str) -> None:
        field = self.fields.get(code)
        if field is not None:
            self.ensureWidgetVisible(field)
            field.setFocus(Qt.FocusReason.OtherFocusReason)
