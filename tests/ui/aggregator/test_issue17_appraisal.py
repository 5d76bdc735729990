"""Issue 17 in the appraisal page (a fresh district from the conftest): nothing typed is lost however the
officer leaves a criterion (the mouse on another row, another unit, another tab, closing the window), a
value the service refuses keeps its row and asks before it is dropped; the table readable at 1366×768; and
(issue 16) the work file for a department goes to an enrolled unit chosen in the page, never a command-line
flag in the text. Each test sets up what it needs, so that it also runs alone."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.services import aggregate
from app.services.workspace import Workspace
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.models import A_COMMENT, A_TITLE
from app.ui.aggregator.window import TAB_APPRAISAL, TAB_RANKING
from tests.ui.aggregator.conftest import PASS, received

pytestmark = pytest.mark.usefixtures("world")
DEPARTMENT = "Sở Nội vụ"        # the conftest's framework gives main index 2 to this department


class FakeDialogs(Dialogs):
    """Answers instead of the officer; records what was asked."""

    def __init__(self, folder: Path | None = None, confirm: bool = True, passphrase: str | None = PASS):
        self.folder, self.answer, self.secret = folder, confirm, passphrase
        self.asked: list[str] = []
        self.questions: list[str] = []

    def confirm(self, parent, title, text, accept):
        self.asked.append("confirm")
        self.questions.append(f"{title}\n{text}\n{accept}")
        return self.answer

    def save_file(self, parent, title, suggested, filters):
        self.asked.append("save")
        return None if self.folder is None else self.folder / suggested

    def passphrase(self, parent):
        self.asked.append("passphrase")
        return self.secret


def stored(world, unit: str) -> dict[str, Decimal]:
    with Workspace(world.district, write=False) as ws:
        return aggregate.appraisals(ws, unit).get(unit, {})


def comments(world, unit: str) -> dict[str, str]:
    import sqlite3

    con = sqlite3.connect(world.district / "dti.sqlite3")
    try:
        return dict(con.execute("SELECT code, comment FROM appraisal WHERE unit_code = ?", (unit,)).fetchall())
    finally:
        con.close()


def x2_imported(world) -> None:
    if not received(world, "H1", "X2"):
        assert world.run("H1", "package", "import", world.work / "X2.dtipkg") == 0


def click_row(page, code: str) -> None:
    """A mouse click on the row of `code` in the appraisal table, as the officer does it."""
    index = page.model.index(page.model.row_of(code), A_TITLE)
    page.view.scrollTo(index)
    QTest.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=page.view.visualRect(index).center())


def typed(page, points: str, comment: str = "") -> None:
    page.focus_points()
    page.points_edit.setText(points)
    page.comment_edit.setText(comment)


# -- item 2: no typed appraisal lost --------------------------------------------------------------------------

def test_a_mouse_click_on_another_row_stores_what_was_typed(open_aggregator, world):
    window = open_aggregator(world.district)
    window.open_unit("X1")
    page = window.appraisal_page
    page.select_code("1.1")
    typed(page, "33", "Biên bản chưa có chữ ký")
    click_row(page, "1.2")
    assert page.current.code == "1.2"
    assert stored(world, "X1")["1.1"] == Decimal(33)
    assert comments(world, "X1")["1.1"] == "Biên bản chưa có chữ ký"
    assert page.model.index(page.model.row_of("1.1"), A_COMMENT).data() == "Biên bản chưa có chữ ký"
    assert "Đã lưu" in window.statusBar().currentMessage()
    click_row(page, "1.1")                                          # nothing typed: nothing stored again
    assert page.points_edit.text() == "33" and page.comment_edit.text() == "Biên bản chưa có chữ ký"


def test_another_unit_another_tab_and_closing_store_what_was_typed(open_aggregator, world):
    x2_imported(world)
    window = open_aggregator(world.district)
    window.open_unit("X1")
    page = window.appraisal_page
    page.select_code("1.2")
    typed(page, "21")
    page.unit_combo.setCurrentIndex(page.unit_combo.findData("X2"))      # the unit picker, with the mouse
    assert page.unit_code == "X2"
    assert stored(world, "X1")["1.2"] == Decimal(21)

    page.select_code("1.1")
    typed(page, "12")
    window.tabs.setCurrentIndex(TAB_RANKING)                              # another tab
    assert stored(world, "X2")["1.1"] == Decimal(12)

    window.tabs.setCurrentIndex(TAB_APPRAISAL)
    page.select_code("1.2")
    typed(page, "7", "Thiếu số liệu")
    window.close()                                                        # closing the window
    assert not window.isVisible()
    assert stored(world, "X2")["1.2"] == Decimal(7)
    assert comments(world, "X2")["1.2"] == "Thiếu số liệu"


def test_a_refused_value_keeps_its_row_and_closing_asks_before_dropping_it(open_aggregator, world):
    dialogs = FakeDialogs(confirm=False)
    window = open_aggregator(world.district, dialogs=dialogs)
    window.open_unit("X1")
    page = window.appraisal_page
    page.select_code("1.1")
    before = stored(world, "X1").get("1.1")
    typed(page, "999", "quá điểm tối đa")
    click_row(page, "1.2")                                                # refused: the row and the text stay
    assert page.current.code == "1.1" and page.points_edit.text() == "999"
    assert page.comment_edit.text() == "quá điểm tối đa"
    assert page.view.currentIndex().row() == page.model.row_of("1.1")
    assert page.refusal_text() and stored(world, "X1").get("1.1") == before
    QTest.keyClick(page.points_edit, Qt.Key.Key_Down)                     # the keys keep it too
    assert page.current.code == "1.1" and page.points_edit.text() == "999"

    window.close()                                                        # asks; "no": the window stays
    assert dialogs.asked == ["confirm"] and window.isVisible()
    assert "999" in dialogs.questions[0] and "1.1" in dialogs.questions[0]
    assert page.points_edit.text() == "999"
    dialogs.answer = True                                                 # "yes": closes, nothing stored
    window.close()
    assert not window.isVisible() and stored(world, "X1").get("1.1") == before


def test_the_status_bar_promises_what_holds(open_aggregator, world):
    window = open_aggregator(world.district)
    promise = window.statusBar().currentMessage()
    assert "Enter" in promise and "chuyển" in promise and "ngay khi nhập" not in promise


# -- item 9: readable at 1366×768 -------------------------------------------------------------------------------

def test_the_appraisal_table_is_readable_at_1366_by_768(open_aggregator, world):
    window = open_aggregator(world.district)
    window.resize(1366, 768)
    window.open_unit("X1")
    page = window.appraisal_page
    page.select_code("1.1")
    QApplication.processEvents()
    view = page.view
    line = view.fontMetrics().lineSpacing()
    assert view.wordWrap()
    assert view.verticalHeader().defaultSectionSize() >= 2 * line          # two lines per row
    assert view.columnWidth(A_TITLE) >= 180                                # a title is read, not guessed
    right = view.columnViewportPosition(A_COMMENT) + view.columnWidth(A_COMMENT)
    assert view.columnViewportPosition(A_COMMENT) >= 0 and right <= view.viewport().width()   # comment in sight
    assert view.columnWidth(A_COMMENT) >= 100
    row = page.model.row_of("1.1")
    tip = page.model.index(row, A_TITLE).data(Qt.ItemDataRole.ToolTipRole)
    assert "1.1. Điểm họp ban chỉ đạo" in tip                               # the whole title
    page.comment_edit.setText("Biên bản họp thiếu chữ ký của trưởng ban")
    QTest.keyClick(page.comment_edit, Qt.Key.Key_Return)
    tip = page.model.index(row, A_COMMENT).data(Qt.ItemDataRole.ToolTipRole)
    assert "Biên bản họp thiếu chữ ký của trưởng ban" in tip


# -- issue 16: the recipient of a work file, chosen in the page ---------------------------------------------------

def test_the_work_file_goes_to_a_chosen_enrolled_unit(open_aggregator, world, tmp_path):
    dialogs = FakeDialogs(folder=tmp_path)
    window = open_aggregator(world.district, dialogs=dialogs)
    window.open_unit("X1")
    page = window.appraisal_page
    assert page.work_row.isVisible() and page.department_combo.currentData() == DEPARTMENT
    choices = [page.recipient_combo.itemData(i) for i in range(page.recipient_combo.count())]
    assert {"X1", "X2", "X3"} <= set(choices)
    assert page.recipient_combo.currentData() is None                     # no unit named "Sở Nội vụ" here
    page.work_button.click()                                              # refused before any dialog
    assert dialogs.asked == [] and "chọn đơn vị nhận" in page.work_note.text()
    assert "--" not in page.work_note.text()
    page.recipient_combo.setCurrentIndex(page.recipient_combo.findData("X3"))
    page.work_button.click()
    work = tmp_path / f"{DEPARTMENT}.dtiwork"
    assert work.is_file(), page.work_note.text()
    with zipfile.ZipFile(work) as z:
        assert json.loads(z.read("manifest.json"))["to"] == "X3"
    window.close()

    assert world.run("H1", "enroll", "issue", "--framework", "small-2024", "--unit-code", "SNV", "--unit-name",
                     "SỞ NỘI VỤ", "--group", "xa", "--out", tmp_path / "SNV.dtienroll") == 0
    window = open_aggregator(world.district, dialogs=dialogs)
    page = window.appraisal_page
    assert page.recipient_combo.currentData() == "SNV"                    # the department's unit, preselected


# -- item 2 with the real database worker: the store answers after the officer has moved on ----------------------

def test_with_the_real_worker_nothing_typed_is_lost_either(qtbot, qapp, world, tmp_path):
    from shiboken6 import isValid

    from app.ui.aggregator.window import AggregatorWindow
    from app.ui.context import AppContext
    from app.ui.ops import Runner
    from app.ui.settings import AppSettings

    ctx = AppContext("vi", AppSettings(tmp_path / "dti.ini"), Runner(synchronous=False))
    window = AggregatorWindow(ctx, world.district, dialogs=FakeDialogs(confirm=True))
    try:
        window.show()
        qtbot.waitUntil(lambda: window.snapshot is not None)
        window.open_unit("X1")
        page = window.appraisal_page
        page.select_code("1.1")
        typed(page, "888")
        click_row(page, "1.2")                         # shown at once; the refusal brings 1.1 back
        qtbot.waitUntil(lambda: page.current.code == "1.1" and page.refusal_text() != "")
        assert page.points_edit.text() == "888"
        assert page.view.currentIndex().row() == page.model.row_of("1.1")
        assert "1.1" in window.statusBar().currentMessage()
        typed(page, "44")
        click_row(page, "1.2")
        qtbot.waitUntil(lambda: stored(world, "X1").get("1.1") == Decimal(44), timeout=10_000)
        assert page.current.code == "1.2"
        typed(page, "17")
        window.close()                                  # waits for the store, then closes
        qtbot.waitUntil(lambda: not isValid(window) or not window.isVisible(), timeout=10_000)
    finally:
        if isValid(window) and window.isVisible():
            window.close()
        ctx.runner.shutdown()
    assert stored(world, "X1")["1.2"] == Decimal(17)
