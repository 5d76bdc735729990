"""Dùng lại thông tin chung năm trước (carry-over, issue 18): the general information of the unit's previous round
that the new round may reuse, each with its previous value and a tick (all ticked at first). Nothing is written
until "Dùng các giá trị đã chọn": then `carry_over.take` writes the ticked ones in one transaction, recorded as
"carried over from <round>", and the dialog closes. A refusal (the proposals changed meanwhile) shows in the
dialog and nothing is written."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.carry_over import Proposal
from app.services.workspace import Workspace
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "CarryOver"


class CarryOverDialog(QDialog):
    def __init__(self, ctx: AppContext, ws: Workspace, offered: tuple[Proposal, ...], parent: QWidget | None = None,
                 units: dict[str, str] | None = None):
        """`units`: the unit each field is counted in (người, thủ tục), shown after its value."""
        super().__init__(parent)
        units = units or {}
        self.ctx, self.ws = ctx, ws
        self.offered = tuple(offered)
        self.taken: list[Proposal] | None = None
        year = self.offered[0].from_year if self.offered else 0
        self.setWindowTitle(tr(CTX, "Dùng lại thông tin chung năm {year}").format(year=year))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(640)
        column = QVBoxLayout(self)
        intro = QLabel(tr(CTX, "Đơn vị đã nhập các thông tin chung dưới đây trong đợt {year}. Bỏ chọn những giá trị đã "
                               "thay đổi; chỉ các giá trị được chọn mới được ghi vào đợt này, và vẫn sửa được như số "
                               "liệu nhập tay.").format(year=year))
        intro.setWordWrap(True)
        column.addWidget(intro)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        grid = QGridLayout(inner)
        grid.setColumnStretch(0, 1)
        head_field, head_value = QLabel(tr(CTX, "Thông tin")), QLabel(tr(CTX, "Giá trị năm {year}").format(year=year))
        for col, head in enumerate((head_field, head_value)):
            head.setStyleSheet("font-weight: bold; color: #455a64;")
            grid.addWidget(head, 0, col)
        self.boxes: dict[str, QCheckBox] = {}
        for row, p in enumerate(self.offered, start=1):
            box = QCheckBox(f"{p.code}  {p.title}")
            box.setObjectName(f"carry:{p.code}")
            box.setChecked(True)
            box.toggled.connect(lambda _on: self._update())
            value = QLabel(f"{p.shown} {units.get(p.code, '')}".strip())
            value.setObjectName(f"carryValue:{p.code}")
            value.setWordWrap(True)
            grid.addWidget(box, row, 0)
            grid.addWidget(value, row, 1)
            self.boxes[p.code] = box
        grid.setRowStretch(len(self.offered) + 1, 1)
        scroll.setWidget(inner)
        scroll.setMinimumHeight(min(360, 48 + 30 * len(self.offered)))
        column.addWidget(scroll, 1)
        self.refusal = QLabel()
        self.refusal.setObjectName("carryRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #b71c1c;")
        self.refusal.hide()
        column.addWidget(self.refusal)
        buttons = QDialogButtonBox()
        self.take_button = QPushButton(tr(CTX, "Dùng các giá trị đã chọn"))
        self.take_button.setObjectName("takeCarry")
        self.take_button.setDefault(True)
        self.take_button.clicked.connect(self.take)
        buttons.addButton(self.take_button, QDialogButtonBox.ButtonRole.AcceptRole)
        later = buttons.addButton(tr(CTX, "Để sau"), QDialogButtonBox.ButtonRole.RejectRole)
        later.clicked.connect(self.reject)
        column.addWidget(buttons)

    def chosen(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def _update(self) -> None:
        self.take_button.setEnabled(bool(self.chosen()))
        self.refusal.hide()

    def take(self) -> None:
        from app.services.carry_over import take

        codes, ws = self.chosen(), self.ws
        if not codes:
            return
        self.take_button.setEnabled(False)

        def done(taken: list[Proposal]) -> None:
            self.taken = taken
            self.accept()

        def refused(error: Exception) -> None:
            self.take_button.setEnabled(True)
            if not isinstance(error, UserError) and self.ctx.runner.synchronous:
                raise error
            self.refusal.setText(error_text(error))
            self.refusal.show()

        self.ctx.runner.op(self, lambda: take(ws, codes)).success(done).failure(refused).run()
