"""The Đợt đánh giá (round) menu, shared by the unit's window and the aggregator's window (DESIGN §6, Rounds).

One checkable entry per round held here, the current one checked: choosing another makes it current
(`rounds.use`) and the whole window reloads from a new snapshot. Below them, what this installation may do
with round files:

- an enrolled unit, and a district (which also takes the province's round): "Nhận tệp đợt đánh giá…"
  (`round_file.accept_round`), then which round is current now, the unit's group in it and what the round asks
  (encrypted packages, a token signature: `rounds.Asks`);
- an authority (a province, or a district that enrolls its communes): "Mở đợt đánh giá mới…" (the dialog of
  app.ui.round_dialogs) and "Xuất tệp đợt đánh giá…" (`round_file.export_round`, signed with the passphrase
  asked by the window's own passphrase prompt).

Every service call runs on the window's database worker (`ctx.runner`); a refusal is one line in the
interface's language (`show_error`). The window says how to ask for files and the passphrase (`Asks`), what
must happen before the round changes under it (an appraisal being typed is stored first) and how it reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar, QMessageBox, QWidget

from app.errors import UserError
from app.services.rounds import Asks as RoundAsks
from app.services.rounds import RoundInfo
from app.ui.ops import show_error, ui_lang
from app.ui.settings import Option
from app.ui.text import tr

if TYPE_CHECKING:
    from app.services.round_file import RoundAccepted, RoundExported
    from app.services.workspace import Workspace
    from app.ui.round_dialogs import AssignDialog, OpenRoundDialog

CTX = "RoundMenu"
SUFFIX = ".dtiround"
LAST_ROUND_FOLDER = Option("folders/round", "", str)


@dataclass(frozen=True)
class RoundMenuState:
    """What the menu shows: the rounds held and what this installation may do with round files."""

    rounds: tuple[RoundInfo, ...]
    can_accept: bool          # an enrolled unit or district: takes round files from the authority that enrolled it
    can_open: bool            # an authority: opens rounds and sends round files
    province: bool            # holds a root: a round file is never for it

    @property
    def current(self) -> RoundInfo | None:
        return next((r for r in self.rounds if r.current), None)


def load_state(ws: Workspace) -> RoundMenuState:
    """On the database worker: the rounds and the role of this installation (plain data)."""
    from app.services.rounds import all_rounds
    from app.services.trust_service import identity

    ident = identity(ws)
    authority = ident.root is not None or ident.issuing is not None
    return RoundMenuState(tuple(all_rounds(ws)), can_accept=ident.signing is not None and ident.root is None,
                          can_open=authority, province=ident.root is not None)


def unit_state(rounds: tuple[RoundInfo, ...]) -> RoundMenuState:
    """The unit's window: its rounds come with its snapshot; it accepts round files (or says why it cannot)."""
    return RoundMenuState(rounds, can_accept=True, can_open=False, province=False)


def round_text(r: RoundInfo) -> str:
    """"2025 — <framework title>" (the framework's id in English: its title is Vietnamese data), "(đã chốt)"
    when the round is finalized."""
    name = r.title if ui_lang() == "vi" else r.id
    text = f"{r.year} — {name}"
    return text + " " + tr(CTX, "(đã chốt)") if r.final else text


def asks_text(asks: RoundAsks) -> str:
    """What a round asks, in the interface's language ("mã hoá gói, chữ ký số token"); "" when nothing."""
    parts = []
    if asks.encryption:
        parts.append(tr(CTX, "mã hoá gói"))
    if asks.token_signature:
        parts.append(tr(CTX, "chữ ký số token"))
    return ", ".join(parts)


def deadline_text(iso: str | None) -> str:
    """YYYY-MM-DD as dd/mm/yyyy ("" without a deadline)."""
    if not iso:
        return ""
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


@dataclass
class Asks:
    """How the window asks the officer (injected, so that tests answer without a native dialog)."""

    open_file: Callable[[QWidget, str, str, str], Path | None]                   # parent, title, folder, filters
    save_file: Callable[[QWidget, str, str, str], Path | None] | None = None     # parent, title, suggested, filters
    passphrase: Callable[[QWidget], str | None] | None = None


class RoundMenu(QObject):
    def __init__(self, window: QMainWindow, bar: QMenuBar, asks: Asks, *, reload: Callable[[], None],
                 before_change: Callable[[], bool] = lambda: True, before: QAction | None = None):
        super().__init__(window)
        self.window = window
        self.asks = asks
        self.reload = reload                  # the window reloads everything: another round is in effect
        self.before_change = before_change    # False: something typed could not be stored; stay
        self.state: RoundMenuState | None = None
        self.last_box: QMessageBox | None = None
        self.open_dialog: OpenRoundDialog | None = None
        self.assign_dialog: AssignDialog | None = None
        self.menu = QMenu(tr(CTX, "Đợt đánh &giá"), window)
        self.menu.setObjectName("roundMenu")
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.round_actions: list[QAction] = []
        self.empty = QAction(tr(CTX, "(chưa có đợt đánh giá nào)"), self)
        self.empty.setEnabled(False)
        self.menu.addAction(self.empty)
        self.separator = self.menu.addSeparator()
        self.actions: dict[str, QAction] = {}
        for key, text, slot in (("accept", tr(CTX, "Nhận tệp đợt đánh giá…"), lambda: self.accept_file()),
                                ("open", tr(CTX, "Mở đợt đánh giá mới…"), self.open_round),
                                ("export", tr(CTX, "Xuất tệp đợt đánh giá…"), self.export_file)):
            action = QAction(text, window)
            action.setObjectName(f"action:round-{key}")
            action.triggered.connect(slot)
            action.setVisible(False)
            self.menu.addAction(action)
            self.actions[key] = action
        self.actions["accept"].setStatusTip(tr(CTX, "Tệp đợt đánh giá (.dtiround) do cơ quan đã cấp tài khoản gửi: "
                                                    "tham gia đợt mới mà không cần cấp tài khoản lại"))
        self.actions["open"].setStatusTip(tr(CTX, "Mở đợt đánh giá trên một bộ chỉ số có ở máy này; đợt mới "
                                                  "thành đợt hiện hành"))
        self.actions["export"].setStatusTip(tr(CTX, "Tệp gửi các đơn vị: bộ chỉ số, hạn nộp và nhóm của từng đơn vị "
                                                    "trong đợt hiện hành"))

    # -- the list ---------------------------------------------------------------------------------------
    def set_state(self, state: RoundMenuState) -> None:
        """Rebuild the round entries and show the actions this installation may take."""
        self.state = state
        for action in self.round_actions:
            self.group.removeAction(action)
            self.menu.removeAction(action)
            action.deleteLater()
        self.round_actions = []
        for r in state.rounds:
            action = QAction(round_text(r), self)
            action.setObjectName(f"round:{r.id}")
            action.setCheckable(True)
            action.setChecked(r.current)
            tip = [r.title, r.id]
            if r.deadline:
                tip.append(tr(CTX, "hạn nộp {date}").format(date=deadline_text(r.deadline)))
            action.setToolTip(" · ".join(tip))
            action.setStatusTip(" · ".join(tip))
            action.triggered.connect(lambda _checked=False, rid=r.id: self.choose(rid))
            self.group.addAction(action)
            self.menu.insertAction(self.empty, action)
            self.round_actions.append(action)
        self.empty.setVisible(not state.rounds)
        self.actions["accept"].setVisible(state.can_accept)
        self.actions["open"].setVisible(state.can_open)
        self.actions["export"].setVisible(state.can_open)
        self.actions["export"].setEnabled(state.current is not None)

    def set_enabled(self, enabled: bool) -> None:
        """The aggregator's window lends its store to the unit's window: nothing here may run meanwhile."""
        self.menu.setEnabled(enabled)

    def _recheck(self) -> None:
        current = self.state.current if self.state else None
        for action in self.round_actions:
            action.setChecked(current is not None and action.objectName() == f"round:{current.id}")

    def _ws(self) -> Workspace | None:
        return getattr(self.window, "ws", None)

    def _runner(self):
        return self.window.ctx.runner

    def choose(self, round_id: str) -> None:
        """Make `round_id` the current round (`dti round use`) and reload the window."""
        current = self.state.current if self.state else None
        ws = self._ws()
        if ws is None or (current is not None and current.id == round_id):
            self._recheck()
            return
        if not self.before_change():
            self._recheck()
            return
        from app.services.rounds import use

        def done(info: RoundInfo) -> None:
            self.reload()
            self.window.statusBar().showMessage(tr(CTX, "Đang làm việc với đợt {round}").format(round=round_text(info)))

        def refused(error: Exception) -> None:
            self._recheck()
            self._refused(error)

        self._runner().op(self.window, lambda: use(ws, round_id)).success(done).failure(refused).run()

    # -- messages ---------------------------------------------------------------------------------------
    def _info(self, title: str, text: str) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, self.window)
        box.addButton(tr(CTX, "Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_box = box
        return box

    def _refused(self, error: Exception) -> None:
        if not isinstance(error, UserError) and self._runner().synchronous:
            raise error
        self.last_box = show_error(self.window, error)

    def _folder(self) -> str:
        folder = self.window.ctx.settings.get(LAST_ROUND_FOLDER)
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    # -- accept -----------------------------------------------------------------------------------------
    def accept_file(self, path: Path | None = None) -> None:
        """Nhận tệp đợt đánh giá…; with `path` (a double-clicked .dtiround) the file is taken at once."""
        if path is None:
            path = self.asks.open_file(self.window, tr(CTX, "Chọn tệp đợt đánh giá"), self._folder(),
                                       tr(CTX, "Tệp đợt đánh giá (*.dtiround);;Mọi tệp (*)"))
            if path is None:
                return
            self.window.ctx.settings.set(LAST_ROUND_FOLDER, str(Path(path).parent))
        ws = self._ws()
        if ws is None or not self.before_change():
            return
        from app.services import rounds
        from app.services.round_file import accept_round

        def work() -> tuple[RoundAccepted, RoundInfo, RoundInfo | None, str]:
            got = accept_round(ws, Path(path))
            held = rounds.require_id(ws, got.round_id)
            group = ws.frameworks.get(held.ref).framework.group(got.group)
            return got, held, rounds.in_effect(ws), group.title if group else got.group

        self._runner().op(self.window, work).with_progress(tr(CTX, "Đang kiểm tra chữ ký tệp đợt đánh giá…")).success(
            lambda result: self._accepted(Path(path), *result)).failure(self._refused).run()

    def _accepted(self, path: Path, got: RoundAccepted, held: RoundInfo, current: RoundInfo | None,
                  group_title: str) -> None:
        if got.status == "unchanged":
            text = tr(CTX, "Tệp {file} đã được nhận trước đây: không có gì thay đổi.").format(file=path.name)
            if current is not None:
                text += " " + tr(CTX, "Đợt đang làm việc: {round}.").format(round=round_text(current))
            self._info(tr(CTX, "Tệp đợt đánh giá đã có"), text)
            return
        lines = [tr(CTX, "Đã nhận đợt {round} ({issuer} gửi).").format(round=round_text(held), issuer=held.issuer or "?"),
                 tr(CTX, "Đây là đợt hiện hành: từ nay số liệu nhập vào thuộc đợt {year}. Đơn vị ở nhóm “{group}”.").format(
                     year=held.year, group=group_title)]
        if held.deadline:
            lines.append(tr(CTX, "Hạn nộp: {date}.").format(date=deadline_text(held.deadline)))
        if got.asks:
            lines.append(tr(CTX, "Đợt này yêu cầu khi nộp gói: {asks}.").format(asks=asks_text(got.asks)))
        if got.kept:
            lines.append(tr(CTX, "{n} đơn vị do máy này cấp tài khoản giữ nhóm của đợt trước.").format(n=len(got.kept)))
        if got.unassigned:
            lines.append(tr(CTX, "Chưa có nhóm trong đợt này: {units}.").format(units=", ".join(got.unassigned)))
        lines.append(tr(CTX, "Số liệu các đợt trước vẫn giữ nguyên: chọn đợt trong menu Đợt đánh giá để xem lại."))
        self.reload()
        box = self._info(tr(CTX, "Đã nhận tệp đợt đánh giá"), "\n".join(lines))
        self._offer_assign(box, held, got.unassigned)

    # -- open (an authority) ----------------------------------------------------------------------------
    def open_round(self) -> None:
        """Mở đợt đánh giá mới…: the dialog chooses the framework and the deadline, then lists the units left
        without a group for the officer to place."""
        ws = self._ws()
        if ws is None or not self.before_change():
            return
        from app.ui.round_dialogs import OpenRoundDialog

        dialog = OpenRoundDialog(self.window.ctx, ws, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self._opened(dialog.outcome))
        self.open_dialog = dialog
        dialog.open()
        dialog.load()

    def _opened(self, outcome: Any) -> None:
        self.open_dialog = None
        if outcome is not None:
            self.reload()
            self.window.statusBar().showMessage(
                tr(CTX, "Đang làm việc với đợt {round}").format(round=round_text(outcome.round)))

    # -- export (an authority) --------------------------------------------------------------------------
    def export_file(self) -> None:
        """Xuất tệp đợt đánh giá…: the current round, for every unit enrolled here that has a group in it."""
        current = self.state.current if self.state else None
        ws = self._ws()
        if ws is None or current is None or self.asks.save_file is None or self.asks.passphrase is None:
            return
        out = self.asks.save_file(self.window, tr(CTX, "Lưu tệp đợt đánh giá"), f"dot-danh-gia-{current.id}{SUFFIX}",
                                  tr(CTX, "Tệp đợt đánh giá (*.dtiround)"))
        if out is None:
            return
        out = Path(out)
        if out.suffix != SUFFIX:
            out = out.with_name(out.name + SUFFIX)
        passphrase = self.asks.passphrase(self.window)
        if passphrase is None:
            return
        from app.services.round_file import export_round

        self._runner().op(self.window, lambda: export_round(ws, out, passphrase)).with_progress(
            tr(CTX, "Đang ký và ghi tệp đợt đánh giá…")).success(
            lambda done: self._exported(done, current)).failure(self._refused).run()

    def _exported(self, done: RoundExported, current: RoundInfo) -> None:
        lines = [tr(CTX, "Đã ghi {file}: đợt {round} cho {n} đơn vị.").format(file=done.path.name, round=round_text(current),
                                                                            n=done.units),
                 tr(CTX, "Gửi tệp cho các đơn vị (USB, thư điện tử); mỗi đơn vị nhận bằng Đợt đánh giá → Nhận tệp đợt "
                         "đánh giá…")]
        if done.unassigned:
            lines.append(tr(CTX, "Chưa gửi cho (chưa có nhóm trong đợt này): {units}. Xếp nhóm cho các đơn vị này rồi "
                                 "xuất lại tệp.").format(units=", ".join(done.unassigned)))
        box = self._info(tr(CTX, "Đã xuất tệp đợt đánh giá"), "\n".join(lines))
        self._offer_assign(box, current, done.unassigned)

    # -- units without a group (an authority) -----------------------------------------------------------
    def _offer_assign(self, box: QMessageBox, r: RoundInfo, units: tuple[str, ...]) -> None:
        """A "Xếp nhóm…" button on a message that names units left without a group."""
        if not units or not (self.state and self.state.can_open):
            return
        button = box.addButton(tr(CTX, "Xếp nhóm…"), QMessageBox.ButtonRole.ActionRole)
        button.setObjectName("assignUnits")
        button.clicked.connect(lambda: self.assign_units(r, units))

    def assign_units(self, r: RoundInfo, units: tuple[str, ...]) -> None:
        ws = self._ws()
        if ws is None:
            return
        from app.ui.round_dialogs import AssignDialog

        dialog = AssignDialog(self.window.ctx, ws, r, units, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self.reload() if dialog.changed else None)
        self.assign_dialog = dialog
        dialog.open()
        dialog.load()
