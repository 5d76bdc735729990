"""Issue 18, rounds in the desktop application: the Đợt đánh giá menu of the unit's and the aggregator's windows,
the round named in the summary bar, the carry-over banner of the general information, and round files opened
by double-click. The two-round setup is built through the command line (as tests/cli/test_rounds.py does); the
real windows are then driven, and each step is rendered at 1366×768 into the test's folder."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QMenu, QMessageBox, QPushButton, QWidget
from shiboken6 import isValid

from app.cli.main import main
from app.ui.aggregator.dialogs import Dialogs
from app.ui.context import AppContext
from tests.cli.test_rounds import NEXT, TWO_TIER
from tests.conftest import SMALL

PASS = "dot-danh-gia-gui-1"
SIZE = (1366, 768)
TT1 = '  - {code: TT.1, title: "Số lượng công chức", type: integer, unit: người}\n'
# two general-information fields, so that the carry-over dialog has something to leave unticked
TT2 = TT1 + '  - {code: TT.2, title: "Số thủ tục hành chính", type: integer, unit: thủ tục}\n'
FW24, FW25, FW26 = (text.replace(TT1, TT2) for text in (SMALL, NEXT, TWO_TIER))


@dataclass
class World:
    work: Path

    def file(self, name: str) -> Path:
        return self.work / name

    def copy(self, name: str, tmp_path: Path) -> Path:
        return Path(shutil.copytree(self.work / name, tmp_path / name, ignore=shutil.ignore_patterns("dti.lock")))


def build_world(work: Path) -> World:
    """2024: province TP enrolls district H1 (enrolls others) and S1; S1 fills 1.1 and both general-information
    fields. The province holds the 2025 and 2026 frameworks; "prov-2024" is it before any new round. Then it opens
    2025 (deadline 31/10/2025) and writes r25.dtiround, which S1 accepts; "S1-2024" and "H1" never accepted it."""
    for name, text in (("fw24.dti.yaml", FW24), ("fw25.dti.yaml", FW25), ("fw26.dti.yaml", FW26)):
        (work / name).write_text(text, encoding="utf-8")

    def ok(data: str, *args: object) -> None:
        assert main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)]) == 0, (data, args)

    ok("prov", "authority", "init", "--code", "TP", "--name", "Sở Khoa học và Công nghệ tỉnh Thử")
    ok("prov", "framework", "import", work / "fw24.dti.yaml")
    for code, name, extra in (("S1", "UBND huyện Văn Giang", ()), ("H1", "UBND huyện Khoái Châu", ("--can-issue",))):
        ok("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name", name,
           "--group", "huyen", "--out", work / f"{code}.dtienroll", *extra)
        ok(code, "enroll", "accept", work / f"{code}.dtienroll")
    for code, value in (("1.1", "10"), ("TT.1", "12"), ("TT.2", "35")):
        ok("S1", "entry", "set", code, value)
    ok("prov", "framework", "import", work / "fw25.dti.yaml")
    ok("prov", "framework", "import", work / "fw26.dti.yaml")
    shutil.copytree(work / "prov", work / "prov-2024", ignore=shutil.ignore_patterns("dti.lock"))
    ok("prov", "round", "open", "small-2025", "--deadline", "2025-10-31")
    ok("prov", "round", "export", "--out", work / "r25.dtiround")
    shutil.copytree(work / "S1", work / "S1-2024", ignore=shutil.ignore_patterns("dti.lock"))
    ok("S1", "round", "accept", work / "r25.dtiround")
    raw = bytearray((work / "r25.dtiround").read_bytes())
    at = raw.index(b'"group": "huyen"')   # inside data/units.json (stored): the manifest's hash no longer holds
    raw[at + 10:at + 15] = b"xa" + b"   "
    (work / "damaged.dtiround").write_bytes(bytes(raw))
    return World(work)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    saved = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE", "DTI_ROUND")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS
    os.environ.pop("DTI_ROUND", None)
    yield build_world(tmp_path_factory.mktemp("rounds-gui"))
    for k, v in saved.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


@pytest.fixture
def opened(ctx: AppContext) -> Iterator[Callable[[QWidget], QWidget]]:
    """Shows a window at 1366×768 and closes it at the end (closing releases the data directory's lock)."""
    windows: list[QWidget] = []

    def show(window: QWidget) -> QWidget:
        window.resize(*SIZE)
        window.show()
        windows.append(window)
        return window

    yield show
    for window in windows:
        if isValid(window) and window.isVisible():
            window.close()
    QApplication.processEvents()


class FakeDialogs(Dialogs):
    """Answers instead of the officer; records what was asked."""

    def __init__(self, folder: Path, file: Path | None = None):
        self.folder, self.file = folder, file
        self.asked: list[str] = []

    def open_file(self, parent, title, filters, folder=""):
        self.asked.append("file")
        return self.file

    def save_file(self, parent, title, suggested, filters):
        self.asked.append("save")
        return self.folder / suggested

    def passphrase(self, parent):
        self.asked.append("passphrase")
        return PASS


def shot(window: QWidget, png: Path, menu: QMenu | None = None) -> Path:
    """The window as the officer sees it, with `menu` dropped down from its place in the menu bar."""
    QApplication.processEvents()
    picture = window.grab()
    if menu is not None:
        bar = window.menuBar()
        where = bar.actionGeometry(menu.menuAction()).bottomLeft()
        menu.popup(bar.mapToGlobal(where))
        QApplication.processEvents()
        painter = QPainter(picture)
        painter.drawPixmap(bar.mapTo(window, where), menu.grab())
        painter.end()
        menu.hide()
    assert picture.save(str(png))
    return png


def entries(data: Path, round_id: str) -> dict[str, str]:
    with sqlite3.connect(f"file:{data / 'dti.sqlite3'}?mode=ro", uri=True) as con:
        return dict(con.execute("SELECT code, value_json FROM entry WHERE round_id = ? AND value_json IS NOT NULL",
                                (round_id,)).fetchall())


def stored(data: Path) -> dict[str, int]:
    """Row counts of what a round file could change."""
    with sqlite3.connect(f"file:{data / 'dti.sqlite3'}?mode=ro", uri=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("round", "round_unit", "entry", "audit", "setting")}


def round_entries(window) -> list[tuple[str, str, bool]]:
    return [(a.objectName(), a.text(), a.isChecked()) for a in window.round_menu.round_actions]


def one_vietnamese_line(box: QMessageBox) -> str:
    text = box.text()
    assert box.icon() == QMessageBox.Icon.Warning and "\n" not in text.strip(), text
    assert "Traceback" not in text and "Lỗi chương trình" not in text, text
    return text


# -- the unit -------------------------------------------------------------------------------------------------
def test_the_unit_switches_rounds_from_the_menu_and_the_summary_says_which(world, ctx, opened, tmp_path):
    from app.ui.main_window import MainWindow

    window = opened(MainWindow(ctx, world.copy("S1", tmp_path)))
    menu = window.round_menu.menu
    assert window.menuBar().actions()[1].menu() is menu and menu.title() == "Đợt đánh &giá"
    assert round_entries(window) == [("round:small-2024", "2024 — Bộ chỉ số thử", False),
                                     ("round:small-2025", "2025 — Bộ chỉ số thử", True)]
    actions = window.round_menu.actions
    assert actions["accept"].isVisible() and not actions["open"].isVisible() and not actions["export"].isVisible()
    line = window.summary.framework.full_text()
    assert line == "Đợt 2025 · Bộ chỉ số thử · UBND huyện · hạn nộp 31/10/2025"
    assert window.snapshot.node("1.1").value is None           # a new year starts empty
    shot(window, tmp_path / "1-unit-2025-menu.png", menu)

    window.select("1.1")
    window.submit_entry("1.2", "7")
    assert window.undo_action.isEnabled()
    next(a for a in window.round_menu.round_actions if a.objectName() == "round:small-2024").trigger()
    assert round_entries(window)[0][2] and not round_entries(window)[1][2]
    assert window.summary.framework.full_text().startswith("Đợt 2024 (đã có đợt 2025) · Bộ chỉ số thử")
    assert window.snapshot.round_id == "small-2024" and window.snapshot.node("1.1").value == 10
    assert window.snapshot.node("1.2").value is None             # 2025's edit stayed in 2025
    assert not window.undo_action.isEnabled()                    # undo never reaches into another year
    assert window.current_code == "1.1" and "2024" in window.statusBar().currentMessage()
    shot(window, tmp_path / "2-unit-2024.png")

    next(a for a in window.round_menu.round_actions if a.objectName() == "round:small-2025").trigger()
    assert window.summary.framework.full_text().startswith("Đợt 2025 · ")
    assert window.snapshot.node("1.2").value == 7 and window.snapshot.node("1.1").value is None


def test_the_unit_accepts_a_round_file_through_the_menu(world, ctx, opened, tmp_path):
    from app.ui.main_window import MainWindow

    data = world.copy("S1-2024", tmp_path)
    window = opened(MainWindow(ctx, data))
    assert round_entries(window) == [("round:small-2024", "2024 — Bộ chỉ số thử", True)]
    assert window.summary.framework.full_text().startswith("Đợt 2024 · Bộ chỉ số thử · UBND huyện")
    asked = []
    window.file_actions.choose_open = lambda *args: asked.append(args) or str(world.file("r25.dtiround"))
    window.round_menu.actions["accept"].trigger()
    assert "*.dtiround" in asked[0][3]
    box = window.round_menu.last_box
    assert box.icon() == QMessageBox.Icon.Information
    text = box.text()
    assert text.startswith("Đã nhận đợt 2025 — Bộ chỉ số thử (TP gửi).")
    assert "từ nay số liệu nhập vào thuộc đợt 2025" in text and "nhóm “UBND huyện”" in text
    assert "Hạn nộp: 31/10/2025." in text
    shot(box, tmp_path / "3-accepted-message.png")
    box.close()
    assert round_entries(window) == [("round:small-2024", "2024 — Bộ chỉ số thử", False),
                                     ("round:small-2025", "2025 — Bộ chỉ số thử", True)]
    assert window.summary.framework.full_text().startswith("Đợt 2025 · Bộ chỉ số thử")
    assert window.info_form.banner.isVisibleTo(window.info_form)      # 2024's general information is offered
    shot(window, tmp_path / "4-unit-accepted.png", window.round_menu.menu)
    # the same file again: nothing to do, said as such
    window.round_menu.actions["accept"].trigger()
    assert "đã được nhận trước đây" in window.round_menu.last_box.text()
    window.round_menu.last_box.close()


def test_the_carry_over_banner_offers_and_writes_only_what_is_ticked_on_the_click(world, ctx, opened, tmp_path):
    from app.ui.main_window import TAB_INFO, MainWindow

    data = world.copy("S1", tmp_path)
    window = opened(MainWindow(ctx, data))
    window.tabs.setCurrentIndex(TAB_INFO)
    form = window.info_form
    assert form.banner.isVisible()
    assert form.banner_text.text() == "Có 2 thông tin chung của năm 2024 có thể dùng lại."
    assert form.fields["TT.1"].text() == "" and form.fields["TT.2"].text() == ""
    assert entries(data, "small-2025") == {}                       # offered only: nothing written
    shot(window, tmp_path / "5-carry-banner.png")

    form.findChild(QPushButton, "carryButton").click()
    dialog = window.carry_dialog
    assert dialog.isVisible()
    boxes = {b.objectName(): b for b in dialog.findChildren(QCheckBox)}
    assert set(boxes) == {"carry:TT.1", "carry:TT.2"} and all(b.isChecked() for b in boxes.values())
    assert dialog.findChild(QLabel, "carryValue:TT.2").text() == "35 thủ tục"
    shot(dialog, tmp_path / "6-carry-dialog.png")
    boxes["carry:TT.1"].setChecked(False)
    boxes["carry:TT.2"].setChecked(False)
    assert not dialog.take_button.isEnabled()
    assert entries(data, "small-2025") == {}                       # ticking is not writing
    boxes["carry:TT.1"].setChecked(True)
    dialog.take_button.click()
    assert not dialog.isVisible()
    assert entries(data, "small-2025") == {"TT.1": '{"n": "12"}'}   # TT.2 was left unticked
    assert form.fields["TT.1"].text() == "12" and form.fields["TT.2"].text() == ""
    assert form.banner_text.text() == "Có 1 thông tin chung của năm 2024 có thể dùng lại."
    assert "Đã dùng lại 1 thông tin chung của năm 2024" in window.statusBar().currentMessage()
    with sqlite3.connect(f"file:{data / 'dti.sqlite3'}?mode=ro", uri=True) as con:
        assert con.execute("SELECT reason FROM audit WHERE action = 'entry.carry'").fetchall() == [
            ("carried over from small-2024",)]
    shot(window, tmp_path / "7-carried.png")
    # "Để sau" writes nothing either
    form.carry_button.click()
    window.carry_dialog.reject()
    assert entries(data, "small-2025") == {"TT.1": '{"n": "12"}'}


def test_a_refused_round_file_is_one_vietnamese_line_and_changes_nothing(world, ctx, opened, tmp_path):
    from app.ui.main_window import MainWindow

    data = world.copy("S1-2024", tmp_path)
    window = opened(MainWindow(ctx, data))
    before = stored(data)
    for bad, words in ((world.file("damaged.dtiround"), ("damaged.dtiround",)),
                       (world.file("fw25.dti.yaml"), ("fw25.dti.yaml",))):
        window.file_actions.choose_open = lambda *_args, bad=bad: str(bad)
        window.round_menu.actions["accept"].trigger()
        box = window.round_menu.last_box
        text = one_vietnamese_line(box)
        assert all(w in text for w in words) and "không" in text, text
        shot(box, tmp_path / f"8-refused-{bad.stem}.png")
        box.close()
    assert stored(data) == before
    assert round_entries(window) == [("round:small-2024", "2024 — Bộ chỉ số thử", True)]
    assert window.summary.framework.full_text().startswith("Đợt 2024 ·")


# -- the province -----------------------------------------------------------------------------------------------
def test_the_province_opens_a_round_and_exports_its_round_file(world, ctx, opened, tmp_path):
    from app.services.rounds import all_rounds
    from app.ui.aggregator.window import AggregatorWindow

    dialogs = FakeDialogs(tmp_path)
    window = opened(AggregatorWindow(ctx, world.copy("prov-2024", tmp_path), dialogs=dialogs))
    menu = window.round_menu
    assert round_entries(window) == [("round:small-2024", "2024 — Bộ chỉ số thử", True)]
    assert menu.actions["open"].isVisible() and menu.actions["export"].isVisible()
    assert not menu.actions["accept"].isVisible()                  # a round file is never for the province
    shot(window, tmp_path / "9-province-menu.png", menu.menu)

    menu.actions["open"].trigger()
    dialog = menu.open_dialog
    assert dialog.isVisible()
    offered = [dialog.framework.itemData(i).split("@")[0] for i in range(dialog.framework.count())]
    assert offered[:3] == ["small-2026", "small-2025", "small-2024"] and "hy-2023" in offered   # bundled ones last
    assert dialog.framework.currentIndex() == 0 and "đã có đợt này" in dialog.framework.itemText(2)
    dialog.deadline.setText("31/13/2026")
    dialog.open_button.click()
    assert dialog.refusal.isVisible() and "31/13/2026" in dialog.refusal.text() and "ngày/tháng/năm" in dialog.refusal.text()
    assert [r.id for r in all_rounds(window.ws)] == ["small-2024"]   # nothing opened
    dialog.deadline.setText("31/10/2026")
    shot(dialog, tmp_path / "10-open-dialog.png")
    dialog.open_button.click()
    text = dialog.result.text()
    assert text.startswith("Đã mở đợt 2026 — Bộ chỉ số thử. Đây là đợt hiện hành.") and "Hạn nộp: 31/10/2026." in text
    assert "2 đơn vị chưa có nhóm trong đợt này" in text and "H1, S1" in text
    combos = {c.objectName(): c for c in dialog.assign.findChildren(QComboBox)}
    assert set(combos) == {"assign:H1", "assign:S1"}
    assert [combos["assign:S1"].itemData(i) for i in range(combos["assign:S1"].count())] == [None, "xa"]
    shot(dialog, tmp_path / "11-opened-assign.png")
    dialog.assign.choose("S1", "xa")
    dialog.assign.save_button.click()
    assert dialog.assign.note.text() == "Đã xếp nhóm: S1 → UBND xã. Còn chưa có nhóm: H1."
    dialog.close_button.click()
    assert not dialog.isVisible()
    assert [(r.id, r.current, r.deadline) for r in all_rounds(window.ws)] == [
        ("small-2024", False, None), ("small-2026", True, "2026-10-31")]
    assert round_entries(window) == [("round:small-2024", "2024 — Bộ chỉ số thử", False),
                                     ("round:small-2026", "2026 — Bộ chỉ số thử", True)]

    menu.actions["export"].trigger()
    assert dialogs.asked == ["save", "passphrase"]
    out = tmp_path / "dot-danh-gia-small-2026.dtiround"
    assert out.is_file()
    box = menu.last_box
    assert box.text().startswith("Đã ghi dot-danh-gia-small-2026.dtiround: đợt 2026 — Bộ chỉ số thử cho 1 đơn vị.")
    assert "Chưa gửi cho (chưa có nhóm trong đợt này): H1." in box.text()
    shot(box, tmp_path / "12-exported.png")
    box.findChild(QPushButton, "assignUnits").click()       # the unit left out, placed from the message
    assign = menu.assign_dialog
    assert assign.isVisible() and set(assign.panel.combos) == {"H1"}
    assign.panel.choose("H1", "xa")
    assign.panel.save_button.click()
    assert assign.panel.note.text().startswith("Đã xếp nhóm: H1 → UBND xã.")
    assign.accept()
    menu.actions["export"].trigger()
    assert "cho 2 đơn vị" in menu.last_box.text() and "Chưa gửi cho" not in menu.last_box.text()
    menu.last_box.close()
    # every page shows the round chosen in the menu
    assert window.snapshot.framework_id == "small-2026"
    next(a for a in menu.round_actions if a.objectName() == "round:small-2024").trigger()
    assert window.snapshot.framework_id == "small-2024" and round_entries(window)[0][2]
    # the units take the file written by the window
    for unit in ("S1-2024", "H1"):
        assert main(["--data-dir", str(world.copy(unit, tmp_path)), "round", "accept", str(out)]) == 0


# -- double-click -----------------------------------------------------------------------------------------------
def test_a_double_clicked_round_file_goes_where_it_belongs(world, ctx, opened, tmp_path):
    from app.ui.aggregator.window import AggregatorWindow
    from app.ui.first_run_wizard import FirstRunWizard
    from app.ui.main_window import MainWindow
    from app.ui.open_file import OpenRequest

    r25 = world.file("r25.dtiround")
    unit = opened(MainWindow(ctx, world.copy("S1-2024", tmp_path)))
    assert OpenRequest(ctx, r25).route(unit) == "round-accept"
    assert unit.round_menu.last_box.text().startswith("Đã nhận đợt 2025")
    unit.round_menu.last_box.close()
    assert unit.snapshot.round_id == "small-2025"

    district = opened(AggregatorWindow(ctx, world.copy("H1", tmp_path), dialogs=FakeDialogs(tmp_path)))
    assert district.round_menu.actions["accept"].isVisible() and district.round_menu.actions["open"].isVisible()
    assert OpenRequest(ctx, r25).route(district) == "round-accept"
    box = district.round_menu.last_box
    assert box.text().startswith("Đã nhận đợt 2025 — Bộ chỉ số thử (TP gửi).") and "nhóm “UBND huyện”" in box.text()
    box.close()
    assert round_entries(district)[-1] == ("round:small-2025", "2025 — Bộ chỉ số thử", True)
    assert district.snapshot.framework_id == "small-2025"

    province = opened(AggregatorWindow(ctx, world.copy("prov", tmp_path), dialogs=FakeDialogs(tmp_path)))
    request = OpenRequest(ctx, r25)
    assert request.route(province) == "message"
    assert "dành cho các đơn vị" in request.last_box.text()
    request.last_box.close()

    wizard = FirstRunWizard(ctx, tmp_path / "new")
    request = OpenRequest(ctx, r25)
    assert request.route(wizard) == "message"
    assert "nhận tệp cấp tài khoản trước" in request.last_box.text()
    request.last_box.close()
    wizard.close()


def test_the_round_menu_in_english_names_rounds_by_id(world, qapp, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from app.ui.main_window import MainWindow
    from app.ui.ops import Runner
    from app.ui.settings import AppSettings
    from app.ui.translations import load_translator

    translator = load_translator("en")
    QCoreApplication.installTranslator(translator)
    english = AppContext("en", AppSettings(tmp_path / "dti.ini"), Runner(synchronous=True))
    window = None
    try:
        window = MainWindow(english, world.copy("S1", tmp_path))
        window.show()
        assert window.round_menu.menu.title() == "&Rounds"
        assert round_entries(window) == [("round:small-2024", "2024 — small-2024", False),
                                         ("round:small-2025", "2025 — small-2025", True)]
        assert window.round_menu.round_actions[1].toolTip().startswith("Bộ chỉ số thử · small-2025")   # the title
        assert window.summary.framework.full_text().startswith("Round 2025 · ")
        assert window.info_form.banner_text.text() == "2 general information fields of 2024 can be reused."
    finally:
        if window is not None and isValid(window):
            window.close()
        QCoreApplication.removeTranslator(translator)
        english.runner.shutdown()


def test_the_ranking_compares_with_a_round_held_here(world, ctx, opened, tmp_path, qtbot):
    """`dti rank --previous ROUND` in the window: the rounds held here are offered first, then another folder."""
    from app.ui.aggregator.window import TAB_RANKING, AggregatorWindow

    window = opened(AggregatorWindow(ctx, world.copy("prov", tmp_path), dialogs=FakeDialogs(tmp_path)))
    qtbot.waitUntil(lambda: window.snapshot is not None)
    window.tabs.setCurrentIndex(TAB_RANKING)
    page = window.ranking_page
    assert window.snapshot.earlier_rounds == (("small-2024", 2024, "Bộ chỉ số thử"),)
    menu = page.previous_button.menu()
    entries = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert entries == ["Đợt 2024 — small-2024", "Thư mục dữ liệu khác…"]
    before = window.snapshot
    next(a for a in menu.actions() if a.objectName() == "previous:small-2024").trigger()
    qtbot.waitUntil(lambda: window.snapshot is not before)
    assert window.previous == "small-2024" and window.snapshot.previous_label == "2024"
    assert page.previous_label.text() == "So sánh với: 2024"
