"""Issue 17 ("tried as real officers would") on the aggregator's desk, a fresh district from the conftest with
two more communes whose names carry Vietnamese diacritics: accent-insensitive search on the units page and
the ranking, with an explicit "không tìm thấy"; an honest import check (the dry run and the import agree,
duplicates and older revisions are skipped in grey, the message follows the work); the round lock asks
first. Each test sets up what it needs, so that it also runs alone."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest

from app.services.workspace import Workspace
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.models import I_RESULT
from app.ui.aggregator.window import TAB_FEEDBACK, TAB_RANKING, TAB_UNITS
from tests.ui.aggregator.conftest import received

pytestmark = pytest.mark.usefixtures("world")
ACCENTED = (("X4", "UBND xã Hòa Bình"), ("X5", "UBND phường Đông Kết"))


class FakeDialogs(Dialogs):
    """Answers instead of the officer; records what was asked (and the question, for a confirmation)."""

    def __init__(self, confirm: bool = True):
        self.answer = confirm
        self.asked: list[str] = []
        self.questions: list[str] = []

    def confirm(self, parent, title, text, accept):
        self.asked.append("confirm")
        self.questions.append(f"{title}\n{text}\n{accept}")
        return self.answer


@pytest.fixture(scope="module")
def accented(world) -> Path:
    """X4 (Hòa Bình) and X5 (Đông Kết) enrolled at H1; X4 exported two revisions (files beside the world),
    X5 nothing. Returns the folder of X4's packages."""
    out = world.work / "accented"
    if out.is_dir():
        return out
    out.mkdir()
    for code, name in ACCENTED:
        assert world.run("H1", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name",
                         name, "--group", "xa", "--out", world.work / f"{code}.dtienroll") == 0
    assert world.run("X4", "enroll", "accept", world.work / "X4.dtienroll") == 0
    assert world.run("X4", "entry", "set", "1.1", "30") == 0
    assert world.run("X4", "package", "export", "--out", out / "X4-lan1.dtipkg") == 0
    assert world.run("X4", "entry", "set", "1.2", "20") == 0
    assert world.run("X4", "package", "export", "--out", out / "X4-lan2.dtipkg") == 0
    return out


def unit_imported(world, folder: Path, file: str = "X4-lan2.dtipkg") -> None:
    if not received(world, "H1", "X4"):
        assert world.run("H1", "package", "import", folder / file) == 0


# -- item 7: accent-insensitive search, "không tìm thấy" ------------------------------------------------------

def test_units_search_ignores_accents_and_says_when_nothing_is_found(open_aggregator, world, accented):
    window = open_aggregator(world.district)
    window.tabs.setCurrentIndex(TAB_UNITS)
    page = window.units_page
    for typed, found in (("hoa binh", ["X4"]), ("HOA BINH", ["X4"]), ("Hòa Bình", ["X4"]),
                         (unicodedata.normalize("NFD", "hòa bình"), ["X4"]), ("dong", ["X5"]), ("ĐÔNG KẾT", ["X5"]),
                         ("x4", ["X4"])):
        page.search.setText(typed)
        assert page.visible_codes() == found, typed
        assert page.view.isVisible() and not page.not_found.isVisible()
    page.search.setText("phuong hoa binh")
    assert page.visible_codes() == []
    assert not page.view.isVisible() and page.not_found.isVisible()
    assert "Không tìm thấy" in page.not_found.text() and "phuong hoa binh" in page.not_found.text()
    page.search.clear()
    assert page.view.isVisible() and not page.not_found.isVisible()
    page.set_state("final")                               # a filter with no unit in it: said too, not a blank table
    assert page.visible_codes() == [] and page.not_found.isVisible()
    assert "Không có đơn vị nào" in page.not_found.text()


# -- item 8: an honest import check ---------------------------------------------------------------------------

def results(page) -> dict[str, str]:
    return {o.file: o.status for o in page.model.rows}


def test_dry_run_and_import_agree_duplicates_and_older_revisions_are_skipped(open_aggregator, world, accented,
                                                                              tmp_path):
    """X1's two revisions are here already (duplicates); X4's two revisions come in one batch, X4 not yet
    imported (the first is older than the second: skipped); a garbage file is refused. The check says what
    the import then does, file by file."""
    if received(world, "H1", "X4"):
        pytest.skip("X4 imported by an earlier test: run this file in order or this test alone")
    garbage = tmp_path / "hong.dtipkg"
    garbage.write_bytes(b"this is not a zip file" * 10)
    window = open_aggregator(world.district)
    page = window.import_page
    page.add_paths([world.work / "X1.dtipkg", world.work / "X1-r2.dtipkg", accented / "X4-lan1.dtipkg",
                    accented / "X4-lan2.dtipkg", garbage])
    notes: list[str] = []
    page.progress_bridge.step.connect(lambda *_a: notes.append(page.note.text()))
    QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    checked = results(page)
    assert checked == {"X1.dtipkg": "skipped", "X1-r2.dtipkg": "unchanged", "X4-lan1.dtipkg": "skipped",
                       "X4-lan2.dtipkg": "would-import", "hong.dtipkg": "refused"}
    assert notes and all(n.startswith("Đang kiểm tra") for n in notes)
    assert "1 gói sẽ được nhập" in page.note.text() and "bỏ qua 3 gói" in page.note.text()
    assert "1 gói bị từ chối" in page.note.text() and "Chưa có gì được nhập" in page.note.text()
    by_file = {o.file: o for o in page.model.rows}
    assert "lần nộp 2" in by_file["X4-lan1.dtipkg"].line("vi") and "X4-lan2.dtipkg" in by_file["X4-lan1.dtipkg"].line("vi")
    assert "lần nộp 2" in by_file["X1.dtipkg"].line("vi")
    for row, o in enumerate(page.model.rows):                       # grey "bỏ qua", red only for a refusal
        index = page.model.index(row, I_RESULT)
        colour = index.data(Qt.ItemDataRole.ForegroundRole).color()
        if o.status in ("skipped", "unchanged"):
            assert index.data() == "bỏ qua" and colour == QColor("#757575"), o.file
        elif o.status == "refused":
            assert index.data() == "bị từ chối" and colour == QColor("#c62828")

    notes.clear()
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    imported = results(page)
    assert imported == {**checked, "X4-lan2.dtipkg": "imported"}    # the check said exactly this
    assert notes and all(n.startswith("Đang nhập") for n in notes)
    assert "Nhập xong: đã nhập 1 gói" in page.note.text() and "bỏ qua 3 gói" in page.note.text()
    with Workspace(world.district, write=False) as ws:
        from app.services import status

        x4 = next(u for u in status.unit_statuses(ws) if u.unit_code == "X4")
    assert x4.revision == 2                                         # the older revision was never stored

    QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)   # the same batch again: all skipped
    again = results(page)
    assert again == {"X1.dtipkg": "skipped", "X1-r2.dtipkg": "unchanged", "X4-lan1.dtipkg": "skipped",
                     "X4-lan2.dtipkg": "unchanged", "hong.dtipkg": "refused"}
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert results(page) == again


def test_the_same_file_twice_in_a_batch_is_skipped_once_checked(open_aggregator, world, tmp_path):
    """An officer copies the same package from the e-mail and from the USB stick."""
    copy = tmp_path / "X2 (ban sao).dtipkg"
    copy.write_bytes((world.work / "X2.dtipkg").read_bytes())
    window = open_aggregator(world.district)
    page = window.import_page
    page.add_paths([world.work / "X2.dtipkg", copy])
    QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    checked = results(page)
    assert checked["X2 (ban sao).dtipkg"] == "skipped"
    assert "X2.dtipkg" in next(o for o in page.model.rows if o.file == copy.name).line("vi")
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert results(page)["X2 (ban sao).dtipkg"] == "skipped"
    assert results(page)["X2.dtipkg"] in ("imported", "unchanged")


# -- item 7, continued: the ranking and the appraisal unit picker (X4 ranked) -------------------------

def test_ranking_search_ignores_accents_and_says_when_nothing_is_found(open_aggregator, world, accented):
    unit_imported(world, accented)
    window = open_aggregator(world.district)
    window.tabs.setCurrentIndex(TAB_RANKING)
    page = window.ranking_page
    page.group_combo.setCurrentIndex(page.group_combo.findData("xa"))
    assert "X4" in page.shown_codes() and "X1" in page.shown_codes()
    page.search.setText("hoa binh")
    assert page.shown_codes() == ["X4"]
    rank_of_x4 = next(r.rank for r in page.group().rows if r.unit_code == "X4")
    assert page.proxy.index(0, 0).data() == str(rank_of_x4)         # the rank in the group, not in the search
    page.search.setText("ubnd xa x1")                               # "xã" typed without its accent
    assert page.shown_codes() == ["X1"]
    page.search.setText("dong ket")                                 # enrolled, but nothing ranked yet
    assert page.shown_codes() == [] and page.not_found.isVisible() and not page.view.isVisible()
    assert "Không tìm thấy" in page.not_found.text() and "dong ket" in page.not_found.text()
    page.search.clear()
    assert page.view.isVisible() and not page.not_found.isVisible()


def test_appraisal_unit_picker_ignores_accents(open_aggregator, world, accented):
    unit_imported(world, accented)
    window = open_aggregator(world.district)
    window.open_unit("X1")
    page = window.appraisal_page
    assert page.unit_combo.isEditable()
    page.unit_combo.setFocus()
    page.unit_combo.lineEdit().selectAll()
    QTest.keyClicks(page.unit_combo.lineEdit(), "hoa binh")
    assert page.picker_matches() == ["X4"]
    QTest.keyClick(page.unit_combo.completer().popup(), Qt.Key.Key_Down)
    QTest.keyClick(page.unit_combo.completer().popup(), Qt.Key.Key_Return)
    assert page.unit_code == "X4" and page.unit_combo.currentData() == "X4"
    page.unit_combo.lineEdit().selectAll()
    QTest.keyClicks(page.unit_combo.lineEdit(), "zzz")
    assert page.picker_matches() == [] and "Không tìm thấy" in page.picker_note.text()
    assert page.picker_note.isVisible()
    QTest.keyClick(page.unit_combo.lineEdit(), Qt.Key.Key_Escape)
    assert page.unit_code == "X4"                                   # nothing chosen: the unit shown stays
    assert not page.picker_note.isVisible() and page.unit_combo.currentText().startswith("X4 — ")
    page.unit_combo.lineEdit().selectAll()
    QTest.keyClicks(page.unit_combo.lineEdit(), "xa x1")            # one unit found: Enter takes it
    assert page.picker_matches() == ["X1"]
    QTest.keyClick(page.unit_combo.lineEdit(), Qt.Key.Key_Return)
    assert page.unit_code == "X1"


# -- item 11: the round lock asks first -------------------------------------------------------------------------

def test_finalize_asks_first_and_says_what_it_locks(open_aggregator, world):
    dialogs = FakeDialogs(confirm=False)
    window = open_aggregator(world.district, dialogs=dialogs)
    window.tabs.setCurrentIndex(TAB_FEEDBACK)
    page = window.feedback_page
    QTest.mouseClick(page.finalize_button, Qt.MouseButton.LeftButton)
    assert dialogs.asked == ["confirm"] and not window.snapshot.final     # cancelled: nothing locked
    question = dialogs.questions[0]
    for words in ("thẩm định", "nhập gói", "mở lại", "lý do"):
        assert words in question, words
    assert "--" not in question and "dti " not in question
    dialogs.answer = True
    QTest.mouseClick(page.finalize_button, Qt.MouseButton.LeftButton)
    assert window.snapshot.final and "đã chốt kết quả" in page.result.text()
    window.close()
    assert world.run("H1", "round", "reopen", "--reason", "thử xong") == 0   # open again for what follows
