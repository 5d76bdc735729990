"""The input of one leaf, generated from its rule type: numbers, yes/no, a/b with the computed share,
choices, parts. Each input only collects what the officer typed or clicked and emits it raw; the service
(`Workspace.set_entry` → `parse_entry`) is the one gatekeeper that accepts or refuses it."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.scoring.numbers import format_points, format_share, q4
from app.scoring.rules import (
    AppraiserOnlyRule,
    BestInGroupRule,
    ChoiceRule,
    CountRule,
    PartsRule,
    Ratio,
    RatioRule,
    TiersRule,
    YesNoRule,
)
from app.services.unit_view import NodeView, Reading, UnitSnapshot, edit_text
from app.ui.text import tr

CTX = "Editor"
Reader = Callable[[str], Reading]


def input_kind(rule: Any) -> str:
    if isinstance(rule, AppraiserOnlyRule):
        return "none"
    if isinstance(rule, YesNoRule):
        return "yes_no"
    if isinstance(rule, ChoiceRule):
        return "choice"
    if isinstance(rule, PartsRule):
        return "parts"
    if isinstance(rule, CountRule) or (isinstance(rule, TiersRule) and rule.on == "count"):
        return "count"
    if isinstance(rule, (RatioRule, TiersRule, BestInGroupRule)):
        if rule.denominator:
            return "a_over_info"
        if isinstance(rule, RatioRule):
            return "a_over_b"
        return "share" if isinstance(rule, TiersRule) else "number"
    return "points"


class EntryInput(QWidget):
    """Base: `submitted(raw)` when the officer commits a value, `cleared()` when they empty it, and, for
    the inputs where numbers are typed, `reading_changed(Reading)` on every keystroke."""

    submitted = Signal(object)
    cleared = Signal()
    info_requested = Signal(str)
    reading_changed = Signal(object)

    def set_value(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self

    def set_readers(self, whole: Reader, number: Reader) -> None:
        """`whole` reads the entry as the store would; `number` one box of several (a or b)."""

    def reading(self) -> Reading:
        """What the application makes of the text in the boxes now (nothing for inputs clicked, not typed)."""
        return Reading()


def understood_label() -> QLabel:
    """Beside a number box: the value the application understood (`= 4.200`), updated as the officer types."""
    label = QLabel()
    label.setObjectName("understood")
    label.setStyleSheet("color: #1b5e20; font-weight: bold;")
    label.setToolTip(tr(CTX, "Giá trị phần mềm hiểu được từ ô bên cạnh; được lưu khi bấm Enter hoặc rời ô."))
    return label


class _Field(QLineEdit):
    """A line edit that commits on Enter or when focus leaves, once per change."""

    committed = Signal(str)

    def __init__(self, placeholder: str, parent=None):
        super().__init__(parent)
        self.setPlaceholderText(placeholder)
        self.setMaximumWidth(220)
        self._shown = ""
        self.reader: Reader | None = None
        self.reading = Reading()
        self.echo = understood_label()
        self.textChanged.connect(self._read)
        self.editingFinished.connect(self._finish)

    def set_reader(self, reader: Reader | None) -> None:
        self.reader = reader
        self._read(self.text())

    def _read(self, text: str) -> None:
        self.reading = self.reader(text) if self.reader is not None else Reading()
        self.echo.setText("= " + self.reading.understood if self.reading.understood else "")

    def show_text(self, text: str) -> None:
        self._shown = text
        self.setText(text)
        self._read(text)   # setText of the same text emits nothing, but the reader may have changed

    def _finish(self) -> None:
        text = self.text().strip()
        if text != self._shown:
            self._shown = text   # a refusal keeps the text visible; committing it again is not repeated
            self.committed.emit(text)


class NumberInput(EntryInput):
    def __init__(self, label: str, placeholder: str, suffix: str, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(label))
        self.field = _Field(placeholder)
        self.field.setObjectName("value")
        row.addWidget(self.field)
        row.addWidget(self.field.echo)
        if suffix:
            row.addWidget(QLabel(suffix))
        row.addStretch(1)
        self.field.committed.connect(lambda text: self.submitted.emit(text) if text else self.cleared.emit())
        self.field.textChanged.connect(lambda _text: self.reading_changed.emit(self.field.reading))

    def set_readers(self, whole: Reader, number: Reader) -> None:
        self.field.set_reader(whole)

    def reading(self) -> Reading:
        return self.field.reading

    def set_value(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        value = node.value
        style = snapshot.number_style
        if isinstance(value, Ratio):
            a = edit_text(value.a, style)
            text = a if value.b is None else f"{a}/{edit_text(value.b, style)}"
        else:
            text = edit_text(value, style)
        self.field.show_text(text)

    def focus_target(self) -> QWidget:
        return self.field


class FractionInput(EntryInput):
    """a and b, or a alone when b is a general-information field; shows the computed share."""

    def __init__(self, node: NodeView, parent=None):
        super().__init__(parent)
        self.denominator = getattr(node.rule, "denominator", None)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(tr(CTX, "Tử số (a):")), 0, 0)
        self.a = _Field(tr(CTX, "số lượng đạt"))
        self.a.setObjectName("value")
        grid.addWidget(self.a, 0, 1)
        grid.addWidget(self.a.echo, 0, 2)
        grid.addWidget(QLabel(tr(CTX, "Mẫu số (b):")), 1, 0)
        if self.denominator:
            self.b_label = QLabel()
            self.b_label.setWordWrap(True)
            grid.addWidget(self.b_label, 1, 1, 1, 3)
            edit = QPushButton(tr(CTX, "Sửa ở Thông tin chung"))
            edit.setAutoDefault(False)
            edit.clicked.connect(lambda: self.info_requested.emit(self.denominator))
            grid.addWidget(edit, 2, 1, Qt.AlignmentFlag.AlignLeft)
            self.b = None
        else:
            self.b = _Field(tr(CTX, "tổng số"))
            self.b.setObjectName("denominator")
            self.b.echo.setObjectName("understood:b")
            grid.addWidget(self.b, 1, 1)
            grid.addWidget(self.b.echo, 1, 2)
            self.b.committed.connect(lambda _text: self._commit())
            self.b.textChanged.connect(lambda _text: self.reading_changed.emit(self.reading()))
        self.share = QLabel()
        self.share.setObjectName("share")
        grid.addWidget(self.share, 3, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        self.a.committed.connect(lambda _text: self._commit())
        self.a.textChanged.connect(lambda _text: self.reading_changed.emit(self.reading()))
        self._whole: Reader | None = None

    def set_readers(self, whole: Reader, number: Reader) -> None:
        self._whole = whole
        # a alone over an information field is the whole entry (a ≤ b is checked as it is typed)
        self.a.set_reader(whole if self.b is None else number)
        if self.b is not None:
            self.b.set_reader(number)

    def reading(self) -> Reading:
        """The whole a/b once both are typed; until then, whichever box is not a number."""
        if self.b is None:
            return self.a.reading
        a, b = self.a.text().strip(), self.b.text().strip()
        if a and b and self._whole is not None:
            return self._whole(f"{a}/{b}")
        return next((r for r in (self.a.reading, self.b.reading) if r.refused), Reading())

    def _commit(self) -> None:
        a = self.a.text().strip()
        if self.b is None:
            self.submitted.emit(a) if a else self.cleared.emit()
            return
        b = self.b.text().strip()
        if not a and not b:
            self.cleared.emit()
        elif a and b:
            self.submitted.emit(f"{a}/{b}")

    def set_value(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        value = node.value
        a = value.a if isinstance(value, Ratio) else value
        b = value.b if isinstance(value, Ratio) else None
        style = snapshot.number_style
        self.a.show_text(edit_text(a, style))
        if self.b is not None:
            self.b.show_text(edit_text(b, style))
        else:
            info = snapshot.info_field(self.denominator)
            b = info.value if info is not None and isinstance(info.value, Decimal) else None
            title = info.title if info else ""
            shown = format_points(b) + (f" {info.unit}" if info and info.unit else "") if b is not None else tr(
                CTX, "chưa nhập")
            self.b_label.setText(f"{self.denominator} — {title}: <b>{shown}</b>")
        if isinstance(a, Decimal) and isinstance(b, Decimal) and b > 0:
            self.share.setText(tr(CTX, "Tỷ lệ a/b = {share}").format(share=format_share(q4(a / b))))
        else:
            self.share.setText(tr(CTX, "Tỷ lệ a/b: chưa tính được"))

    def focus_target(self) -> QWidget:
        return self.a


class YesNoInput(EntryInput):
    def __init__(self, node: NodeView, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.yes = QRadioButton(tr(CTX, "Có — {points} điểm").format(points=format_points(node.max)))
        self.no = QRadioButton(tr(CTX, "Không — 0 điểm"))
        for i, button in enumerate((self.yes, self.no)):
            self.group.addButton(button, i)
            row.addWidget(button)
        row.addStretch(1)
        self.group.idClicked.connect(lambda i: self.submitted.emit(i == 0))

    def set_value(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        self.group.setExclusive(False)   # an exclusive group cannot show "nothing chosen yet"
        self.yes.setChecked(node.value is True)
        self.no.setChecked(node.value is False)
        self.group.setExclusive(True)

    def focus_target(self) -> QWidget:
        return self.yes


class ChoiceInput(EntryInput):
    def __init__(self, node: NodeView, parent=None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.codes = [o.code for o in node.rule.options]
        for i, option in enumerate(node.rule.options):
            button = QRadioButton(f"{option.label} — {format_points(option.fraction * node.max)} "
                                  + tr(CTX, "điểm"))
            self.group.addButton(button, i)
            column.addWidget(button)
        self.group.idClicked.connect(lambda i: self.submitted.emit(self.codes[i]))

    def set_value(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        self.group.setExclusive(False)
        for i, code in enumerate(self.codes):
            self.group.button(i).setChecked(node.value == code)
        self.group.setExclusive(True)

    def focus_target(self) -> QWidget:
        return self.group.button(0)


class PartsInput(EntryInput):
    def __init__(self, node: NodeView, parent=None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[tuple[str, QCheckBox]] = []
        for part in node.rule.parts:
            box = QCheckBox(f"{part.label} — {format_points(part.award.of(node.max))} " + tr(CTX, "điểm"))
            box.clicked.connect(self._commit)
            column.addWidget(box)
            self.boxes.append((part.code, box))

    def _commit(self) -> None:
        self.submitted.emit([code for code, box in self.boxes if box.isChecked()])

    def set_value(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        chosen = node.value if isinstance(node.value, frozenset) else frozenset()
        for code, box in self.boxes:
            box.setChecked(code in chosen)

    def focus_target(self) -> QWidget:
        return self.boxes[0][1] if self.boxes else self


class NoInput(EntryInput):
    def __init__(self, parent=None):
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel(tr(CTX, "Đơn vị không nhập số liệu cho tiêu chí này: cơ quan thẩm định chấm điểm."))
        label.setWordWrap(True)
        row.addWidget(label)

    def set_value(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        pass


def make_input(node: NodeView) -> EntryInput:
    kind = input_kind(node.rule)
    if kind == "yes_no":
        return YesNoInput(node)
    if kind == "choice":
        return ChoiceInput(node)
    if kind == "parts":
        return PartsInput(node)
    if kind in ("a_over_info", "a_over_b"):
        return FractionInput(node)
    if kind == "none":
        return NoInput()
    if kind == "count":
        return NumberInput(tr(CTX, "Số lượng:"), tr(CTX, "số nguyên, ví dụ 4"), tr(CTX, "(đếm)"))
    if kind == "share":
        return NumberInput(tr(CTX, "Tỷ lệ:"), tr(CTX, "a/b hoặc 85 %"), "")
    if kind == "number":
        return NumberInput(tr(CTX, "Giá trị:"), tr(CTX, "ví dụ 12,5"), "")
    return NumberInput(tr(CTX, "Điểm tự chấm:"), tr(CTX, "ví dụ 12,5"),
                       tr(CTX, "/ tối đa {max} điểm").format(max=format_points(node.max)))
