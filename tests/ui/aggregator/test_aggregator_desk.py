"""The aggregator's window, continued (a fresh district from the conftest): evidence previewed in the
appraisal view, ranking per main index with heat map, radar, previous round and dossier, enrollment
management (one unit, a list from Excel, revocation and CRL), the layout remembered per data directory, and
the district's own unit window taking the store over and handing it back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from cryptography import x509
from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtTest import QTest

from app.models.db import StoreInUse
from app.services import aggregate, aggregator_view
from app.services.enrollment_view import IssueOutcome
from app.services.workspace import Workspace
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.enrollment_page import EnrollmentModel, IssueOutcomeModel
from app.ui.aggregator.evidence_preview import render_page
from app.ui.aggregator.models import SORT_ROLE, RankingModel
from app.ui.aggregator.window import TAB_ENROLLMENT, TAB_RANKING
from tests.ui.aggregator.conftest import PASS

pytestmark = pytest.mark.usefixtures("world")


class FakeDialogs(Dialogs):
    """Answers instead of the officer; records what was asked."""

    def __init__(self, folder: Path | None = None, passphrase: str | None = PASS, reason: str | None = None,
                 file: Path | None = None):
        self.folder, self.secret, self.why, self.file = folder, passphrase, reason, file
        self.asked: list[str] = []

    def open_folder(self, parent, title, folder=""):
        self.asked.append("folder")
        return self.folder

    def open_file(self, parent, title, filters, folder=""):
        self.asked.append("file")
        return self.file

    def save_file(self, parent, title, suggested, filters):
        self.asked.append("save")
        return None if self.folder is None else self.folder / suggested

    def passphrase(self, parent):
        self.asked.append("passphrase")
        return self.secret

    def reason(self, parent, title, prompt):
        self.asked.append("reason")
        return self.why


def snapshot(world) -> aggregator_view.AggregatorSnapshot:
    with Workspace(world.district, write=False) as ws:
        return aggregator_view.load(ws)


def test_new_models_pass_the_model_tester(qtmodeltester, world):
    snap = snapshot(world)
    assert snap.has_own_unit and snap.enrollment.can_enroll and not snap.enrollment.can_issue_others
    enrollments = EnrollmentModel()
    enrollments.set_rows(list(snap.enrollment.rows))
    qtmodeltester.check(enrollments)
    assert [r.unit_code for r in enrollments.rows] == ["X1", "X2", "X3"]
    issued = enrollments.index(0, 4).data()
    assert len(issued) == 10 and issued[2] == "/" and issued[5] == "/"          # dd/mm/yyyy
    assert enrollments.index(0, 7).data() == "đang hiệu lực"
    outcomes = IssueOutcomeModel()
    outcomes.set_rows([IssueOutcome(2, "X7", "UBND xã X7", True, out=Path("X7.dtienroll"), passphrase="abcd"),
                       IssueOutcome(3, "X8", "UBND xã X8", False, "không có nhóm 'abc'", "no group 'abc'")])
    qtmodeltester.check(outcomes)
    assert outcomes.index(1, 3).data() == "không cấp: không có nhóm 'abc'"
    group = next(g for g in snap.rankings if g.rows)
    ranking = RankingModel()
    ranking.set_group(group, None, by="2")
    qtmodeltester.check(ranking)
    assert ranking.headerData(0, Qt.Orientation.Horizontal) == "Hạng (2)"
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(ranking)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(0)
    qtmodeltester.check(proxy)


def test_evidence_pages_are_previewed_beside_the_findings(open_aggregator, world, tmp_path, monkeypatch):
    window = open_aggregator(world.district)
    window.open_unit("X1")
    page = window.appraisal_page
    page.select_code("1.1")
    assert page.evidence.count() == 2
    preview = page.preview
    assert preview.item.name == "bien-ban.pdf" and preview.shown_page() == (1, 3)
    assert not preview.prev_button.isEnabled() and preview.next_button.isEnabled()
    assert preview.view.image.width() > 500                      # rendered, shown scaled
    assert preview.page_label.text() == "Trang 1/3"
    assert "Kiểm tra khi nhận" in preview.findings.text() and "Không có chữ ký số" in preview.findings.text()
    QTest.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(preview.next_button, Qt.MouseButton.LeftButton)
    assert preview.shown_page() == (3, 3) and not preview.next_button.isEnabled()
    QTest.mouseClick(preview.prev_button, Qt.MouseButton.LeftButton)
    assert preview.shown_page() == (2, 3)
    opened: list = []                                             # "open in the viewer": a named copy
    monkeypatch.setattr("app.ui.aggregator.evidence_preview.QDesktopServices.openUrl", opened.append)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    preview.open_outside()
    page._open_evidence(page.evidence.item(0))
    viewed = [Path(url.toLocalFile()) for url in opened]
    assert [p.name for p in viewed] == ["bien-ban.pdf", "bien-ban.pdf"] and viewed[0].parent.parent.parent == tmp_path
    assert viewed[0].read_bytes() == Path(preview.item.path).read_bytes() and viewed[0] != Path(preview.item.path)
    assert viewed[0].stat().st_mode & 0o222 == 0 and Path(preview.item.path).stat().st_mode & 0o222 == 0
    page.evidence.setCurrentRow(1)                                # the photo: shown as it is
    assert preview.item.kind == "png" and preview.shown_page() == (1, 1)
    assert (preview.view.image.width(), preview.view.image.height()) == (160, 100)
    window.grab()                                                 # paints the page view
    page.select_code("1.2")
    assert preview.item is None and "Không có tài liệu kiểm chứng" in preview.view.message
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(Exception) as refused:
        render_page(str(broken), "pdf")
    assert "Không mở được tệp PDF hong.pdf" in getattr(refused.value, "message_vi", "")


def test_ranking_per_main_index_with_heat_map_and_radar(open_aggregator, world):
    with Workspace(world.district, write=False) as ws:
        fw, rankings = aggregate.rank(ws)
        published = aggregate.ranking_data(fw, rankings)
    window = open_aggregator(world.district)
    window.tabs.setCurrentIndex(TAB_RANKING)
    page = window.ranking_page
    page.group_combo.setCurrentIndex(page.group_combo.findData("xa"))
    assert [page.by_combo.itemData(i) for i in range(page.by_combo.count())] == [None, "1", "2"]
    page.set_by("2")
    group = next(g for g in published["groups"] if g["code"] == "xa")
    expected = {u["unit_code"]: u["index_ranks"]["2"] for u in group["units"]}
    shown = {page.proxy.index(i, 1).data(): int(page.proxy.index(i, 0).data()) for i in range(page.proxy.rowCount())}
    assert shown == expected
    assert page.heatmap.columns == ["1", "2"] and len(page.heatmap.rows) == len(group["units"])
    x1 = next(u for u in group["units"] if u["unit_code"] == "X1")
    page.select_unit("X1")
    assert page.radar.axes == ["1", "2"]
    g = page.group()
    assert page.radar.values[0] == pytest.approx(float(x1["indices"]["1"] / g.index_max["1"]))
    assert "UBND xã X1" in page.radar.title
    page.set_by(None)
    assert page.model.headerData(0, Qt.Orientation.Horizontal) == "Hạng"
    page.grab()                                                   # paints bar chart, heat map and radar


def test_previous_round_folder_and_unit_dossier(open_aggregator, world, tmp_path):
    earlier = tmp_path / "dot-truoc"
    shutil.copytree(world.district, earlier, ignore=shutil.ignore_patterns("dti.lock"))
    empty = tmp_path / "trong"
    empty.mkdir()
    dialogs = FakeDialogs(folder=empty)
    window = open_aggregator(world.district, dialogs=dialogs)
    page = window.ranking_page
    QTest.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)   # a folder with no earlier round
    assert "chưa có gì để xếp hạng" in page.result.text() and window.previous is None
    dialogs.folder = earlier
    QTest.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    assert window.previous == str(earlier) and page.previous_label.text() == "So sánh với: 2024"
    page.group_combo.setCurrentIndex(page.group_combo.findData("xa"))
    last = page.model.columnCount() - 1
    assert page.model.headerData(last, Qt.Orientation.Horizontal) == "Năm 2024"
    assert page.model.index(0, last).data() == "hạng 1 ="
    QTest.mouseClick(page.clear_previous_button, Qt.MouseButton.LeftButton)
    assert window.previous is None and page.previous_label.text() == ""
    dialogs.folder = tmp_path
    page.select_unit("X1")
    QTest.mouseClick(page.dossier_button, Qt.MouseButton.LeftButton)
    out = tmp_path / "X1-ho-so-minh-chung.pdf"
    assert out.read_bytes().startswith(b"%PDF"), page.result.text()
    assert "X1" in page.result.text()


def _unit_list(path: Path, rows: list[tuple]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Nhóm", "Cấp huyện (x)"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def test_enrollment_one_unit_a_list_revocation_and_crl(open_aggregator, world, tmp_path):
    out = tmp_path / "cap"
    out.mkdir()
    listed = _unit_list(tmp_path / "danh-sach.xlsx", [
        ("X5", "UBND xã Năm", "xa", ""),
        ("X6", "UBND xã Sáu", "nhóm lạ", ""),
        ("X1", "UBND xã X1", "xa", ""),
        ("", "UBND xã không mã", "xa", ""),
        ("X5", "UBND xã Năm lặp", "xa", ""),
        ("X7", "UBND xã Bảy", "UBND xã, phường, thị trấn", ""),
    ])
    dialogs = FakeDialogs(folder=out, file=listed, reason="Sáp nhập đơn vị hành chính")
    window = open_aggregator(world.district, dialogs=dialogs)
    window.tabs.setCurrentIndex(TAB_ENROLLMENT)
    page = window.enrollment_page
    assert page.can_issue_box.isHidden()                         # a district enrolls communes only
    page.code_edit.setText("X4")
    page.name_edit.setText("UBND xã Bốn")
    page.group_combo.setCurrentIndex(page.group_combo.findData("xa"))
    QTest.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert (out / "X4.dtienroll").is_file(), page.result.text()
    assert "Đã cấp tài khoản cho X4" in page.result.text()
    assert "X4" in [r.unit_code for r in page.model.rows]

    # a list is enrolled whole or not at all: every bad row is named and nothing is written
    before = sorted(p.name for p in out.iterdir())
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    bad = {o.line: o.reason_vi for o in page.outcomes.rows if not o.ok}
    assert set(bad) == {3, 4, 5, 6, 7}, bad        # 7: a group title this framework does not have
    assert "nhóm lạ" in bad[3] and "đã được cấp tài khoản" in bad[4] and "lặp" in bad[6]
    assert sorted(p.name for p in out.iterdir()) == before and "X5" not in {r.unit_code for r in page.model.rows}
    dialogs.file = _unit_list(tmp_path / "danh-sach-sua.xlsx", [("X5", "UBND xã Năm", "xa", ""),
                                                                ("X7", "UBND xã Bảy", "UBND xã", "")])   # by title
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert (out / "X5.dtienroll").is_file() and (out / "X7.dtienroll").is_file(), page.result.text()
    assert (out / "phieu-cap-tai-khoan.pdf").is_file() and "cả 2 đơn vị" in page.result.text()
    assert {"X4", "X5", "X7"} <= {r.unit_code for r in page.model.rows}

    assert not page.crl_button.isEnabled()                       # nothing revoked yet
    page.select_unit("X5")
    QTest.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    crl_file = out / "X5.crl"
    revoked = x509.load_der_x509_crl(crl_file.read_bytes())
    assert len(list(revoked)) == 1
    x5 = next(r for r in page.model.rows if r.unit_code == "X5")
    assert x5.revoked_at is not None
    assert page.model.index(page.model.rows.index(x5), 7).data().startswith("đã thu hồi ngày ")
    assert page.crl_button.isEnabled()
    QTest.mouseClick(page.crl_button, Qt.MouseButton.LeftButton)
    assert (out / "thu-hoi.crl").read_bytes() == crl_file.read_bytes()

    dialogs.secret = "sai-mat-khau"
    page.code_edit.setText("X9")
    page.name_edit.setText("UBND xã Chín")
    QTest.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    assert not (out / "X9.dtienroll").exists() and "mật khẩu" in page.result.text().lower()


def test_layout_is_remembered_per_data_directory(open_aggregator, world):
    window = open_aggregator(world.district)
    window.tabs.setCurrentIndex(TAB_RANKING)
    window.appraisal_page.splitter.setSizes([300, 420, 500])
    sizes = window.appraisal_page.splitter.sizes()
    window.close()
    again = open_aggregator(world.district)
    assert again.tabs.currentIndex() == TAB_RANKING
    assert again.appraisal_page.splitter.sizes() == sizes
    again.close()
    elsewhere = open_aggregator(world.work / "prov")             # another data directory: its own layout
    assert elsewhere.tabs.currentIndex() == 0


def test_own_unit_window_takes_the_store_over_and_hands_it_back(open_aggregator, world):
    window = open_aggregator(world.district)
    assert window.own_unit_action.isEnabled()
    window.own_unit_action.trigger()
    unit = window.unit_window
    assert unit is not None and unit.isVisible() and window.ws is None and not window.tabs.isEnabled()
    assert unit.snapshot is not None and unit.snapshot.unit_code == "H1"
    with pytest.raises(StoreInUse):                             # one writer: the unit's window
        Workspace(world.district)
    window.own_unit_action.trigger()                            # disabled while paused: nothing happens
    assert window.unit_window is unit
    unit.close()
    assert window.unit_window is None and window.ws is not None and window.tabs.isEnabled()
    assert window.snapshot is not None and window.own_unit_action.isEnabled()
    with pytest.raises(StoreInUse):                             # the aggregator's window holds it again
        Workspace(world.district)
    window.own_unit_action.trigger()                            # closing the aggregator closes the unit too
    second = window.unit_window
    window.close()
    assert not second.isVisible()
    with Workspace(world.district) as ws:                       # and the store is free
        assert ws.data_dir == world.district
    prov = open_aggregator(world.work / "prov")                 # a province has no unit of its own
    assert not prov.own_unit_action.isEnabled()
