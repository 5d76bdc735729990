"""The aggregator's window on a real district data directory (see conftest): models, dashboard, import,
units filter, keyboard appraisal into the ranking, feedback, round lock. The tests run in file order and
share the district's store: each builds on what the one before did, as an officer's day would."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtTest import QTest

from app.packages import TrustAnchors, verify_package
from app.services import aggregate, aggregator_view, status
from app.services.package_import import Outcome
from app.services.trust_service import identity
from app.services.workspace import Workspace
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.models import (
    A_APPRAISED,
    SORT_ROLE,
    AppraisalModel,
    BucketModel,
    ConflictModel,
    OutcomeModel,
    RankingModel,
    UnitFilter,
    UnitTableModel,
)
from app.ui.aggregator.window import TAB_APPRAISAL
from tests.ui.aggregator.conftest import received

pytestmark = pytest.mark.usefixtures("world")


class FakeDialogs(Dialogs):
    """Answers instead of the officer; records what was asked."""

    def __init__(self, folder: Path | None = None, passphrase: str | None = None, reason: str | None = None):
        self.folder, self.secret, self.why = folder, passphrase, reason
        self.asked: list[str] = []

    def open_folder(self, parent, title, folder=""):
        self.asked.append("folder")
        return self.folder

    def save_file(self, parent, title, suggested, filters):
        self.asked.append("save")
        return None if self.folder is None else self.folder / suggested

    def passphrase(self, parent):
        self.asked.append("passphrase")
        return self.secret

    def reason(self, parent, title, prompt):
        self.asked.append("reason")
        return self.why

    def confirm(self, parent, title, text, accept):
        self.asked.append("confirm")
        return True


def x2_imported(world) -> None:
    """X2's package as test_import_page_previews_then_imports_and_refuses_garbage left it at H1 (imported
    there when a later test runs alone)."""
    if not received(world, "H1", "X2"):
        assert world.run("H1", "package", "import", world.work / "X2.dtipkg") == 0


def snapshot(world) -> aggregator_view.AggregatorSnapshot:
    with Workspace(world.district, write=False) as ws:
        return aggregator_view.load(ws)


def test_every_model_passes_the_model_tester(qtmodeltester, world):
    snap = snapshot(world)
    units = UnitTableModel()
    units.set_rows(list(snap.units))
    qtmodeltester.check(units)
    proxy = UnitFilter(units)
    proxy.set_filter(state="not_submitted")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 2
    appraisal = AppraisalModel()
    appraisal.set_rows(list(snap.detail("X1").rows))
    qtmodeltester.check(appraisal)
    assert appraisal.index(appraisal.row_of("1.2"), 3).data() == "30,50 / 40"   # decimal comma
    buckets = BucketModel("Nhóm")
    buckets.set_rows(list(snap.groups))
    qtmodeltester.check(buckets)
    conflicts = ConflictModel()
    conflicts.set_rows([aggregator_view.ConflictRow("X1", "1.1", "40", "A (H1)", "45.5", "B (Sở)", "ghi chú")])
    qtmodeltester.check(conflicts)
    assert conflicts.index(0, 3).data() == "45,50 (B (Sở))"
    outcomes = OutcomeModel()
    outcomes.set_rows([Outcome("a.dtipkg", "imported", "X1", 2), Outcome("b.dtipkg", "waiting"),
                       Outcome("c.dtipkg", "refused", reason_en="c.dtipkg: bad", reason_vi="c.dtipkg: hỏng")])
    qtmodeltester.check(outcomes)
    assert outcomes.index(2, 4).data() == "hỏng"
    ranking = RankingModel()
    ranking.set_group(next(g for g in snap.rankings if g.rows), "2023")
    qtmodeltester.check(ranking)
    sorted_ranking = QSortFilterProxyModel()
    sorted_ranking.setSourceModel(ranking)
    sorted_ranking.setSortRole(SORT_ROLE)
    sorted_ranking.sort(0)
    qtmodeltester.check(sorted_ranking)
    assert ranking.headerData(ranking.columnCount() - 1, Qt.Orientation.Horizontal) == "Năm 2023"


def test_dashboard_counts_are_those_of_the_status(open_aggregator, world):
    window = open_aggregator(world.district)
    with Workspace(world.district, write=False) as ws:
        expected = status.completeness(status.unit_statuses(ws))
    shown = {b.key: (b.expected, b.received, b.final, b.late) for b in window.dashboard.group_model.rows}
    assert shown == {k: (c["expected"], c["received"], c["final"], c["late"]) for k, c in expected["groups"].items()}
    districts = {b.key: (b.expected, b.received, b.final, b.late) for b in window.dashboard.district_model.rows}
    assert districts == {k: (c["expected"], c["received"], c["final"], c["late"])
                         for k, c in expected["districts"].items()}
    assert "31/12/2024" in window.dashboard.heading.text()
    texts = window.dashboard.attention_texts()
    assert any("X3" in t and "quá hạn" in t for t in texts)


def test_import_page_previews_then_imports_and_refuses_garbage(open_aggregator, world, tmp_path):
    garbage = tmp_path / "hong.dtipkg"
    garbage.write_bytes(b"this is not a zip file" * 10)
    window = open_aggregator(world.district)
    page = window.import_page
    page.add_paths([world.work / "X2.dtipkg", garbage])
    assert [o.status for o in page.model.rows] == ["waiting", "waiting"]
    QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    by_file = {o.file: o for o in page.model.rows}
    assert by_file["X2.dtipkg"].status == "would-import"
    assert by_file["hong.dtipkg"].status == "refused"
    refusal = by_file["hong.dtipkg"].line("vi")
    assert refusal.startswith("hong.dtipkg: ") and "không" in refusal   # the reason, in Vietnamese
    assert "Chưa có gì được nhập" in page.note.text()
    assert window.snapshot.unit("X2").state == "not_submitted"
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert {o.file: o.status for o in page.model.rows} == {"X2.dtipkg": "imported", "hong.dtipkg": "refused"}
    assert "X2.dtipkg: X2 lần 1: đã nhập" in page.result_lines()
    assert window.snapshot.unit("X2").state == "submitted"       # every pane follows the import
    import sqlite3

    con = sqlite3.connect(world.district / "dti.sqlite3")   # the batch refreshed the stored score summaries once
    try:
        latest = con.execute("SELECT count(DISTINCT unit_code) FROM submission").fetchone()[0]
        assert con.execute("SELECT count(*) FROM score_cache").fetchone()[0] == latest
    finally:
        con.close()
    assert "X2" in [window.appraisal_page.unit_combo.itemData(i) for i in range(window.appraisal_page.unit_combo.count())]


def test_units_filter_by_state_and_open_a_unit(open_aggregator, world):
    x2_imported(world)
    window = open_aggregator(world.district)
    page = window.units_page
    page.set_state("not_submitted")
    assert page.visible_codes() == ["X3"]
    page.set_state("submitted")
    assert sorted(page.visible_codes()) == ["X1", "X2"]
    page.group_combo.setCurrentIndex(page.group_combo.findData("xa"))
    page.search.setText("x2")
    assert page.visible_codes() == ["X2"]
    page.view.doubleClicked.emit(page.proxy.index(0, 0))
    assert window.tabs.currentIndex() == TAB_APPRAISAL
    assert window.appraisal_page.unit_code == "X2"


def test_keyboard_appraisal_is_stored_and_ranked(open_aggregator, world):
    window = open_aggregator(world.district)
    window.open_unit("X1")
    page = window.appraisal_page
    page.select_code("1.1")
    assert page.current.changed and "số liệu" in page.marks.text()    # 50 → 55 in revision 2
    page.focus_points()
    page.points_edit.setText("40")
    page.comment_edit.setText("Thiếu biên bản tháng 3")
    QTest.keyClick(page.points_edit, Qt.Key.Key_Return)
    with Workspace(world.district, write=False) as ws:
        assert aggregate.appraisals(ws, "X1")["X1"]["1.1"] == Decimal(40)
    assert page.current.code == "1.1" and page.current.appraised == Decimal(40)
    assert page.model.index(page.model.row_of("1.1"), A_APPRAISED).data() == "40"
    QTest.keyClick(page.points_edit, Qt.Key.Key_Down)
    assert page.current.code == "1.2"
    QTest.keyClick(page.points_edit, Qt.Key.Key_Down)                 # over the main index "2" to 2.1
    assert page.current.code == "2.1" and page.current.other_department
    assert "Sở Nội vụ" in page.marks.text()
    ranking = window.ranking_page
    ranking.group_combo.setCurrentIndex(ranking.group_combo.findData("xa"))
    rows = {r.unit_code: r for r in ranking.model.rows}
    assert rows["X1"].total == Decimal("70.50")
    total_col = 3 + len(ranking.model.group.indices)
    row = ranking.model.rows.index(rows["X1"])
    assert ranking.model.index(row, total_col).data() == "70,50"
    assert ranking.model.index(row, total_col + 1).data() == "35,25 %"


def test_request_explanation_then_feedback_is_signed(open_aggregator, world, tmp_path):
    dialogs = FakeDialogs(folder=tmp_path, passphrase="aggregator-gui-pass-1")
    window = open_aggregator(world.district, dialogs=dialogs)
    window.open_unit("X1")
    page = window.appraisal_page
    page.select_code("1.2")
    page.comment_edit.setText("Đề nghị gửi văn bản chỉ đạo")
    page.request_box.setChecked(True)
    QTest.keyClick(page.comment_edit, Qt.Key.Key_Return)
    assert window.snapshot.unit("X1").requested == 1
    feedback = window.feedback_page
    feedback.select_needing()
    assert feedback.checked_units() == ["X1"]
    QTest.mouseClick(feedback.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "X1.phanhoi"
    assert written.is_file(), feedback.result.text()
    assert dialogs.asked == ["folder", "passphrase"]
    with Workspace(world.district, write=False) as ws:
        anchors = TrustAnchors(tuple(identity(ws).anchors))
    verified = verify_package(written, anchors)
    assert verified.manifest["format"] == "dti-feedback/1" and verified.manifest["unit"]["code"] == "X1"
    assert window.snapshot.unit("X1").state == "returned"
    assert "X1.phanhoi" in feedback.result.text()


def test_wrong_passphrase_is_refused_in_vietnamese(open_aggregator, world, tmp_path):
    window = open_aggregator(world.district, dialogs=FakeDialogs(folder=tmp_path, passphrase="sai-mat-khau"))
    feedback = window.feedback_page
    feedback._check_all(True)
    QTest.mouseClick(feedback.export_button, Qt.MouseButton.LeftButton)
    assert not list(tmp_path.glob("*.phanhoi"))
    assert "mật khẩu" in feedback.result.text().lower()


def test_finalize_then_an_appraisal_is_refused_until_reopened(open_aggregator, world):
    x2_imported(world)                          # the unit whose appraisal the lock refuses
    dialogs = FakeDialogs(reason="Hội đồng yêu cầu chấm lại")
    window = open_aggregator(world.district, dialogs=dialogs)
    QTest.mouseClick(window.feedback_page.finalize_button, Qt.MouseButton.LeftButton)
    assert window.snapshot.final and window.is_final()
    assert not window.import_page.import_button.isEnabled()
    window.open_unit("X2")
    page = window.appraisal_page
    assert page.unit_code == "X2"
    page.select_code("1.1")
    assert page.current is not None and page.current.code == "1.1" and page.points_edit.isEnabled()
    page.points_edit.setText("10")
    QTest.keyClick(page.points_edit, Qt.Key.Key_Return)
    assert "đợt đánh giá đã chốt kết quả" in page.refusal_text()
    with Workspace(world.district, write=False) as ws:
        assert "X2" not in aggregate.appraisals(ws)
    QTest.mouseClick(window.feedback_page.reopen_button, Qt.MouseButton.LeftButton)
    assert dialogs.asked == ["confirm", "reason"] and not window.snapshot.final
    QTest.keyClick(page.points_edit, Qt.Key.Key_Return)
    assert page.refusal_text() == ""
    with Workspace(world.district, write=False) as ws:
        assert aggregate.appraisals(ws, "X2")["X2"]["1.1"] == Decimal(10)


def test_closing_releases_the_data_directory(open_aggregator, world):
    window = open_aggregator(world.district)
    window.close()
    with Workspace(world.district) as ws:    # the writer lock is free again
        assert ws.data_dir == world.district


def test_scanning_a_usb_stick_lists_packages_bundles_and_volumes(open_aggregator, world, tmp_path):
    stick = tmp_path / "media" / "can-bo" / "KINGSTON"
    (stick / "nop" / "sau").mkdir(parents=True)
    (stick / "nop" / "X1.dtipkg").write_bytes((world.work / "X1.dtipkg").read_bytes())
    (stick / "nop" / "sau" / "X9.dtipkg.001").write_bytes(b"volume")
    (stick / "ghi-chu.txt").write_text("không phải gói", encoding="utf-8")
    window = open_aggregator(world.district)
    found = window.import_page.scan_drives([tmp_path / "media" / "can-bo"])
    assert sorted(p.name for p in found) == ["X1.dtipkg", "X9.dtipkg.001"]
    assert len(window.import_page.model.rows) == 2
    window.import_page.clear()
    assert window.import_page.scan_drives([tmp_path / "empty"]) == []
    assert "Không tìm thấy gói nộp nào" in window.import_page.note.text()


def test_screenshot_of_a_page(world, tmp_path):
    from PySide6.QtGui import QImage

    from app.ui.aggregator.launch import data_dir_is_aggregator, render_aggregator_screenshot

    assert data_dir_is_aggregator(world.district) and not data_dir_is_aggregator(world.work / "X1")
    png = render_aggregator_screenshot(world.district, tmp_path / "xep-hang.png", (1024, 700), page="ranking")
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1024, 700)
