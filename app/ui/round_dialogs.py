"""The dialogs of the Đợt đánh giá menu at an authority: opening a round on a framework held here (with an
optional deadline typed dd/mm/yyyy, stored YYYY-MM-DD, and what the round asks of the units: encrypted packages,
a token signature, `rounds.Asks`), then placing the units the new framework has no group for (`rounds.assign`),
which the round file would otherwise leave out.

Service calls run on the window's database worker; a refusal shows under the box it is about and the dialog
stays open."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services.first_run import FrameworkChoice, GroupChoice
from app.services.rounds import NOTHING, Asks, Opened, RoundInfo
from app.services.workspace import Workspace
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.ops import error_text
from app.ui.round_menu import asks_text
from app.ui.text import tr

CTX = "RoundDialogs"
REFUSAL_STYLE = "color: #b71c1c;"
_DATE = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*\Z")


def parse_deadline(text: str) -> str | None:
    """A deadline as typed (dd/mm/yyyy) in the form the store keeps (YYYY-MM-DD); None when left empty."""
    if not text.strip():
        return None
    found = _DATE.match(text)
    try:
        if found is None:
            raise ValueError(text)
        day, month, year = (int(g) for g in found.groups())
        return date(year, month, day).isoformat()
    except ValueError:
        raise UserError(f"'{text.strip()}' is not a date dd/mm/yyyy",
                        f"“{text.strip()}” không phải ngày dạng ngày/tháng/năm (ví dụ 31/10/2025)") from None


@dataclass(frozen=True)
class Offer:
    """A framework the round can be opened on, whether it already is a round here, and what that round asks."""

    framework: FrameworkChoice
    held: bool
    asks: Asks = NOTHING


def offers(ws: Workspace) -> list[Offer]:
    """On the database worker: every framework held here (imported, then bundled), newest year first."""
    from app.services.rounds import all_rounds

    held = {r.id: r.asks for r in all_rounds(ws)}
    entries = sorted(ws.frameworks.list(), key=lambda e: (e.source != "imported", -e.year, e.id))
    return [Offer(FrameworkChoice.of(ws.frameworks.get(f"{e.id}@{e.sha256}")), e.id in held, held.get(e.id, NOTHING))
            for e in entries]


def groups_of(ws: Workspace, r: RoundInfo) -> tuple[GroupChoice, ...]:
    return FrameworkChoice.of(ws.frameworks.get(r.ref)).groups


class AssignPanel(QWidget):
    """The units left without a group in a round: one row each, its code and a choice of the round's groups
    ("chưa xếp nhóm" first), and "Lưu xếp nhóm" (`rounds.assign`, on the database worker)."""

    placed = Signal(list)     # the codes placed by the last save

    def __init__(self, ctx: AppContext, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.ws = ctx, ws
        self.units: tuple[str, ...] = ()
        self.groups: tuple[GroupChoice, ...] = ()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.inner = QWidget()
        self.grid = QGridLayout(self.inner)
        self.grid.setColumnStretch(1, 1)
        self.scroll.setWidget(self.inner)
        self.scroll.setMinimumHeight(110)
        column.addWidget(self.scroll, 1)
        row = QHBoxLayout()
        self.save_button = QPushButton(tr(CTX, "Lưu xếp nhóm"))
        self.save_button.setObjectName("saveAssign")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.save_button)
        row.addStretch(1)
        column.addLayout(row)
        self.note = QLabel()
        self.note.setObjectName("assignNote")
        self.note.setWordWrap(True)
        self.note.hide()
        column.addWidget(self.note)
        self.combos: dict[str, QComboBox] = {}

    def set_units(self, units: tuple[str, ...], groups: tuple[GroupChoice, ...]) -> None:
        self.units, self.groups = tuple(units), tuple(groups)
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.combos = {}
        for row, code in enumerate(self.units):
            self.grid.addWidget(QLabel(f"<b>{code}</b>"), row, 0)
            combo = QComboBox()
            combo.setObjectName(f"assign:{code}")
            combo.addItem(tr(CTX, "— chưa xếp nhóm —"), None)
            for g in self.groups:
                combo.addItem(f"{g.title} ({g.code})", g.code)
            self.grid.addWidget(combo, row, 1)
            self.combos[code] = combo
        self.scroll.setVisible(bool(self.units))
        self.save_button.setVisible(bool(self.units))

    def choose(self, unit: str, group: str) -> None:
        combo = self.combos[unit]
        combo.setCurrentIndex(combo.findData(group))

    def chosen(self) -> dict[str, str]:
        return {code: combo.currentData() for code, combo in self.combos.items() if combo.currentData()}

    def save(self) -> None:
        chosen = self.chosen()
        if not chosen:
            self._say(tr(CTX, "Hãy chọn nhóm cho ít nhất một đơn vị."), error=True)
            return
        ws = self.ws
        self.save_button.setEnabled(False)

        def done(placed: list[str]) -> None:
            self.save_button.setEnabled(True)
            self.set_units(tuple(code for code in self.units if code not in placed), self.groups)
            titles = {g.code: g.title for g in self.groups}
            text = tr(CTX, "Đã xếp nhóm: {units}.").format(
                units=", ".join(f"{c} → {titles.get(chosen[c], chosen[c])}" for c in placed))
            if self.units:
                text += " " + tr(CTX, "Còn chưa có nhóm: {units}.").format(units=", ".join(self.units))
            else:
                text += " " + next_step()
            self._say(text)
            self.placed.emit(placed)

        def refused(error: Exception) -> None:
            self.save_button.setEnabled(True)
            if not isinstance(error, UserError) and self.ctx.runner.synchronous:
                raise error
            self._say(error_text(error), error=True)

        self.ctx.runner.op(self, lambda: assign_all(ws, chosen)).success(done).failure(refused).run()

    def _say(self, text: str, error: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet(REFUSAL_STYLE if error else "color: #1b5e20;")
        self.note.show()


def next_step() -> str:
    return tr(CTX, "Bước tiếp theo: Đợt đánh giá → Xuất tệp đợt đánh giá… để gửi cho các đơn vị.")


def assign_all(ws: Workspace, chosen: dict[str, str]) -> list[str]:
    """On the database worker: each unit placed in its group; the codes placed, in order."""
    from app.services.rounds import assign

    for code, group in chosen.items():
        assign(ws, code, group)
    return list(chosen)


class AssignDialog(QDialog):
    """Xếp nhóm…, from the message of an export (or an accepted round) that left units out."""

    def __init__(self, ctx: AppContext, ws: Workspace, r: RoundInfo, units: tuple[str, ...],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.ws = ctx, ws
        self.changed = False
        self.setWindowTitle(tr(CTX, "Xếp nhóm đơn vị trong đợt {year}").format(year=r.year))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(560)
        column = QVBoxLayout(self)
        intro = QLabel(tr(CTX, "Các đơn vị dưới đây chưa có nhóm trong đợt {year} — {title}: chọn nhóm cho từng đơn "
                               "vị, lưu, rồi xuất lại tệp đợt đánh giá.").format(year=r.year, title=r.title))
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.panel = AssignPanel(ctx, ws)
        self.panel.placed.connect(lambda _placed: setattr(self, "changed", True))
        column.addWidget(self.panel, 1)
        buttons = QDialogButtonBox()
        close = buttons.addButton(tr(CTX, "Đóng"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.clicked.connect(self.accept)
        column.addWidget(buttons)
        self.round, self.units = r, tuple(units)

    def load(self) -> None:
        ws, r = self.ws, self.round
        self.ctx.runner.op(self, lambda: groups_of(ws, r)).success(
            lambda groups: self.panel.set_units(self.units, groups)).run()


class OpenRoundDialog(QDialog):
    """Mở đợt đánh giá mới…: framework and deadline, then the units left without a group."""

    def __init__(self, ctx: AppContext, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.ws = ctx, ws
        self.outcome: Opened | None = None
        self.offers: list[Offer] = []
        self.setWindowTitle(tr(CTX, "Mở đợt đánh giá mới"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(620)
        column = QVBoxLayout(self)
        self.pages = QStackedWidget()
        column.addWidget(self.pages, 1)

        form_page = QWidget()
        form_column = QVBoxLayout(form_page)
        form_column.setContentsMargins(0, 0, 0, 0)
        intro = QLabel(tr(CTX, "Một đợt đánh giá là một bộ chỉ số của một năm. Đợt mới thành đợt hiện hành; số liệu "
                               "của các đợt trước vẫn giữ nguyên. Các đơn vị do máy này cấp tài khoản giữ nhóm của "
                               "đợt trước khi bộ chỉ số mới có nhóm đó."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #455a64;")
        form_column.addWidget(intro)
        form = QFormLayout()
        self.framework = QComboBox()
        self.framework.setObjectName("roundFramework")
        self.framework.currentIndexChanged.connect(lambda _i: self._clear_refusal())
        self.framework.currentIndexChanged.connect(self._show_asks)
        form.addRow(tr(CTX, "Bộ chỉ số:"), self.framework)
        self.deadline = QLineEdit()
        self.deadline.setObjectName("roundDeadline")
        self.deadline.setPlaceholderText(tr(CTX, "dd/mm/yyyy (có thể để trống)"))
        self.deadline.textChanged.connect(lambda _t: self._clear_refusal())
        form.addRow(tr(CTX, "Hạn nộp:"), self.deadline)
        # what the round asks of the units: travels in its round file (round_file, manifest "asks")
        self.ask_encryption = QCheckBox(tr(CTX, "Yêu cầu mã hoá gói"))
        self.ask_encryption.setObjectName("askEncryption")
        self.ask_encryption.setToolTip(tr(CTX, "Khi xuất gói nộp của đợt này, đơn vị mã hoá gói cho cơ quan đã cấp tài "
                                               "khoản (mặc định đã chọn); ai nhặt được USB cũng không đọc được."))
        form.addRow(tr(CTX, "Yêu cầu đơn vị:"), self.ask_encryption)
        self.ask_token = QCheckBox(tr(CTX, "Yêu cầu chữ ký số token"))
        self.ask_token.setObjectName("askTokenSignature")
        self.ask_token.setToolTip(tr(CTX, "Gói nộp của đợt này phải có chữ ký số token hợp lệ của thủ trưởng đơn vị; "
                                          "gói không có chữ ký này bị từ chối khi nhập."))
        form.addRow("", self.ask_token)
        form_column.addLayout(form)
        self.refusal = QLabel()
        self.refusal.setObjectName("roundRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(REFUSAL_STYLE)
        self.refusal.hide()
        form_column.addWidget(self.refusal)
        form_column.addStretch(1)
        self.pages.addWidget(form_page)

        done_page = QWidget()
        done_column = QVBoxLayout(done_page)
        done_column.setContentsMargins(0, 0, 0, 0)
        self.result = QLabel()
        self.result.setObjectName("roundOpened")
        self.result.setWordWrap(True)
        done_column.addWidget(self.result)
        self.assign = AssignPanel(ctx, ws)
        done_column.addWidget(self.assign, 1)
        self.pages.addWidget(done_page)

        buttons = QDialogButtonBox()
        self.open_button = QPushButton(tr(CTX, "Mở đợt đánh giá"))
        self.open_button.setObjectName("openRound")
        self.open_button.setDefault(True)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_round)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = QPushButton(tr(CTX, "Hủy"))
        self.close_button.setObjectName("closeRound")
        self.close_button.clicked.connect(self._close)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        column.addWidget(buttons)

    # -- the frameworks ---------------------------------------------------------------------------------
    def load(self) -> None:
        self.framework.addItem(tr(CTX, "Đang đọc các bộ chỉ số…"), None)
        self.ctx.runner.op(self, lambda: offers(self.ws)).success(self._fill).failure(self._show_refusal).run()

    def _fill(self, found: list[Offer]) -> None:
        self.offers = found
        self.framework.clear()
        for offer in found:
            f = offer.framework
            text = f"{f.year} — {f.title} ({f.id})"
            if offer.held:
                text += " " + tr(CTX, "— đã có đợt này")
            self.framework.addItem(text, f.ref)
        fresh = next((i for i, o in enumerate(found) if not o.held), 0)
        self.framework.setCurrentIndex(fresh)
        self._show_asks(self.framework.currentIndex())
        self.open_button.setEnabled(bool(found))
        if not found:
            self.refusal.setText(tr(CTX, "Máy này chưa có bộ chỉ số nào."))
            self.refusal.show()

    def select_framework(self, framework_id: str) -> None:
        index = next((i for i, o in enumerate(self.offers) if o.framework.id == framework_id), -1)
        self.framework.setCurrentIndex(index)

    def _show_asks(self, index: int) -> None:
        """A round already held shows what it asks (opening it again changes it to what is ticked)."""
        asks = self.offers[index].asks if 0 <= index < len(self.offers) else NOTHING
        self.ask_encryption.setChecked(asks.encryption)
        self.ask_token.setChecked(asks.token_signature)

    def asks(self) -> Asks:
        return Asks(self.ask_encryption.isChecked(), self.ask_token.isChecked())

    # -- open -------------------------------------------------------------------------------------------
    def _show_refusal(self, error: Exception) -> None:
        if not isinstance(error, UserError) and self.ctx.runner.synchronous:
            raise error
        self.refusal.setText(error_text(error))
        self.refusal.show()
        self.open_button.setEnabled(self.framework.currentData() is not None)

    def _clear_refusal(self) -> None:
        self.refusal.hide()

    def open_round(self) -> None:
        ref = self.framework.currentData()
        if ref is None:
            return
        try:
            deadline = parse_deadline(self.deadline.text())
        except UserError as e:
            self._show_refusal(e)
            self.deadline.setFocus()
            return
        ws, asks = self.ws, self.asks()
        self.open_button.setEnabled(False)
        self.ctx.runner.op(self, lambda: self._open(ws, ref, deadline, asks)).with_progress(
            tr(CTX, "Đang mở đợt đánh giá…")).success(self._opened).failure(self._show_refusal).run()

    @staticmethod
    def _open(ws: Workspace, ref: str, deadline: str | None, asks: Asks = NOTHING
              ) -> tuple[Opened, tuple[GroupChoice, ...]]:
        from app.services.rounds import open_round

        opened = open_round(ws, ref, deadline, ask_encryption=asks.encryption,
                            ask_token_signature=asks.token_signature)
        return opened, groups_of(ws, opened.round)

    def _opened(self, result: tuple[Opened, tuple[GroupChoice, ...]]) -> None:
        opened, groups = result
        self.outcome = opened
        r = opened.round
        lines = [tr(CTX, "Đã mở đợt {year} — {title}. Đây là đợt hiện hành.").format(year=r.year, title=r.title)]
        if r.deadline:
            y, m, d = r.deadline.split("-")
            lines.append(tr(CTX, "Hạn nộp: {date}.").format(date=f"{d}/{m}/{y}"))
        if r.asks:
            lines.append(tr(CTX, "Đợt này yêu cầu đơn vị: {asks}; tệp đợt đánh giá mang theo yêu cầu này.").format(
                asks=asks_text(r.asks)))
        if opened.kept:
            lines.append(tr(CTX, "{n} đơn vị giữ nhóm của đợt trước.").format(n=len(opened.kept)))
        if opened.unassigned:
            lines.append(tr(CTX, "{n} đơn vị chưa có nhóm trong đợt này (bộ chỉ số mới không có nhóm cũ của đơn vị): "
                                 "{units}. Hãy xếp nhóm cho từng đơn vị dưới đây; đơn vị chưa có nhóm không được gửi "
                                 "tệp đợt đánh giá.").format(n=len(opened.unassigned), units=", ".join(opened.unassigned)))
        else:
            lines.append(next_step())
        self.assign.set_units(opened.unassigned, groups)
        self.assign.setVisible(bool(opened.unassigned))
        self.result.setText("\n".join(lines))
        self.open_button.hide()
        self.close_button.setText(tr(CTX, "Đóng"))
        self.pages.setCurrentIndex(1)
        self.adjustSize()

    def _close(self) -> None:
        if self.outcome is not None:
            self.accept()
        else:
            self.reject()
