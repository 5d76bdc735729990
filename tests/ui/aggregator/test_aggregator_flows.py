"""The aggregator's window, the flows between installations (a fresh world from the conftest: province TP,
district H1, communes X1..X3): the district's bundle written by its button, verified against the province's
root and imported there; the conflicts it brings resolved with the page's buttons; the round lock at the
province with the reason dialog; appraisal by field (work file out, a department's return in); the ranking
report as PDF and Excel, and the province's ranking compared with the district's data directory.

The tests run in file order and build on each other, as the round goes: the province needs the bundle
before it can appraise, the conflicts need the province's appraisals, and so on."""

from __future__ import annotations

import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.packages import BUNDLE_NAMES, TrustAnchors, verify_package
from app.services import aggregate
from app.services.trust_service import identity
from app.services.workspace import Workspace
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.models import A_APPRAISED
from app.ui.aggregator.window import TAB_APPRAISAL, TAB_FEEDBACK, TAB_RANKING
from tests.ui.aggregator.conftest import PASS, received

pytestmark = pytest.mark.usefixtures("world")
DEPARTMENT = "Sở Nội vụ"        # the conftest's framework gives main index 2 to this department


class FakeDialogs(Dialogs):
    """Answers instead of the officer; records what was asked."""

    def __init__(self, folder: Path | None = None, passphrase: str | None = PASS, reason: str | None = None,
                 file: Path | None = None, name: str | None = None):
        self.folder, self.secret, self.why, self.file = folder, passphrase, reason, file
        self.name = name                 # the name typed in the save dialog (default: the one suggested)
        self.asked: list[str] = []

    def open_folder(self, parent, title, folder=""):
        self.asked.append("folder")
        return self.folder

    def open_file(self, parent, title, filters, folder=""):
        self.asked.append("file")
        return self.file

    def save_file(self, parent, title, suggested, filters):
        self.asked.append("save")
        return None if self.folder is None else self.folder / (self.name or suggested)

    def passphrase(self, parent):
        self.asked.append("passphrase")
        return self.secret

    def reason(self, parent, title, prompt):
        self.asked.append("reason")
        return self.why

    def confirm(self, parent, title, text, accept):
        self.asked.append("confirm")
        return True


def click(button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def cli_json(capsys, world, data: str, *args: object):
    capsys.readouterr()
    assert world.run(data, *args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def in_force(world, data: str, unit: str) -> dict[str, Decimal]:
    with Workspace(world.work / data, write=False) as ws:
        return aggregate.appraisals(ws, unit).get(unit, {})


def bundle_at_province(world, tmp_path: Path) -> None:
    """H1's bundle (X1's packages) at the province, as the first test leaves it (written and imported here
    when a later test runs alone)."""
    if not received(world, "prov", "X1"):
        tmp_path.mkdir(exist_ok=True)
        assert world.run("H1", "bundle", "export", "--out", tmp_path / "H1.dtibundle") == 0
        assert world.run("prov", "package", "import", tmp_path / "H1.dtibundle") == 0


def audit_rows(world, data: str, action: str) -> list[tuple]:
    import sqlite3

    con = sqlite3.connect(world.work / data / "dti.sqlite3")
    try:
        return con.execute("SELECT code, old, new, reason FROM audit WHERE action = ? ORDER BY id", (action,)).fetchall()
    finally:
        con.close()


def test_district_bundle_button_writes_what_the_province_verifies_and_imports(open_aggregator, world, tmp_path,
                                                                              capsys):
    dialogs = FakeDialogs(folder=tmp_path)
    window = open_aggregator(world.district, dialogs=dialogs)
    window.tabs.setCurrentIndex(TAB_FEEDBACK)
    page = window.feedback_page
    assert window.snapshot.can_bundle and "Gói tổng hợp chứa nguyên vẹn" in page.bundle_note.text()
    click(page.bundle_button)
    bundle = tmp_path / "goi-tong-hop.dtibundle"
    assert bundle.is_file(), page.result.text()
    assert dialogs.asked == ["save", "passphrase"]
    assert str(bundle) in page.result.text() and "1 gói của xã" in page.result.text()   # X1 only: X2 never imported
    window.close()

    with Workspace(world.work / "prov", write=False) as ws:
        anchors = TrustAnchors(tuple(identity(ws).anchors))
    verified = verify_package(bundle, anchors, patterns=BUNDLE_NAMES)
    assert verified.manifest["format"] == "dti-bundle/1" and verified.manifest["unit"]["code"] == "H1"
    assert world.run("prov", "package", "import", bundle) == 0
    status = cli_json(capsys, world, "prov", "status")
    x1 = next(u for u in status["units"] if u["unit_code"] == "X1")
    assert x1["revision"] == 2                                   # the latest of X1's two revisions, byte for byte

    dialogs.secret = "sai-mat-khau"                              # a wrong passphrase: nothing written
    window = open_aggregator(world.district, dialogs=dialogs)
    bundle.unlink()
    click(window.feedback_page.bundle_button)
    assert not bundle.exists() and "mật khẩu" in window.feedback_page.result.text().lower()


def test_conflicts_are_resolved_with_the_page_buttons(open_aggregator, world, tmp_path, capsys):
    """The province appraised X1 itself; H1's next bundle disagrees on 1.1 and 1.2. Finalizing is refused
    while they are open; 1.1 takes H1's points, 1.2 keeps the province's."""
    bundle_at_province(world, tmp_path)
    for code, points in (("1.1", "20"), ("1.2", "10")):
        assert world.run("prov", "appraise", "set", "X1", code, points, "--comment", "Tỉnh chấm") == 0
    for code, points in (("1.1", "45"), ("1.2", "35")):
        assert world.run("H1", "appraise", "set", "X1", code, points) == 0
    assert world.run("H1", "bundle", "export", "--out", tmp_path / "H1-b2.dtibundle") == 0
    assert world.run("prov", "package", "import", tmp_path / "H1-b2.dtibundle") == 0
    opened = cli_json(capsys, world, "prov", "appraise", "conflicts")
    assert sorted((c["code"], c["current"]["points"], c["incoming"]["points"]) for c in opened) == [
        ("1.1", "20", "45"), ("1.2", "10", "35")]

    dialogs = FakeDialogs(reason="Hội đồng thống nhất")
    window = open_aggregator(world.work / "prov", dialogs=dialogs)
    window.tabs.setCurrentIndex(TAB_FEEDBACK)
    page = window.feedback_page
    assert page.conflicts.isVisible() and not page.no_conflicts.isVisible()
    assert [(r.unit_code, r.code) for r in page.conflict_model.rows] == [("X1", "1.1"), ("X1", "1.2")]

    click(page.finalize_button)                                  # refused while conflicts are open
    assert "còn 2 xung đột thẩm định" in page.result.text() and not window.snapshot.final
    page.conflicts.clearSelection()
    page.conflicts.setCurrentIndex(page.conflict_model.index(-1, -1))
    click(page.take_button)                                      # nothing chosen: asks for a row, no dialog
    assert page.result.text() == "Hãy chọn một xung đột trong bảng." and dialogs.asked == []

    page.conflicts.setCurrentIndex(page.conflict_model.index(0, 0))
    click(page.take_button)
    assert dialogs.asked == ["reason"]
    assert "X1 1.1: đã xử lý 1 xung đột" in page.result.text()
    assert [r.code for r in page.conflict_model.rows] == ["1.2"]   # the page follows
    page.conflicts.setCurrentIndex(page.conflict_model.index(0, 0))
    dialogs.why = None                                           # the officer cancels: nothing happens
    click(page.keep_button)
    assert [r.code for r in page.conflict_model.rows] == ["1.2"]
    dialogs.why = ""                                             # an empty reason is allowed
    click(page.keep_button)
    assert "X1 1.2: đã xử lý 1 xung đột" in page.result.text()
    assert page.no_conflicts.isVisible() and not page.keep_button.isVisible()

    assert in_force(world, "prov", "X1") == {"1.1": Decimal(45), "1.2": Decimal(10)}
    window.close()
    assert cli_json(capsys, world, "prov", "appraise", "conflicts") == []
    assert cli_json(capsys, world, "prov", "status")["conflicts"] == 0


def test_province_finalizes_and_reopens_with_a_reason(open_aggregator, world):
    """Beside test_aggregator_window's district round trip: the province's lock, a cancelled and an empty
    reason, and the reason written to the audit log."""
    dialogs = FakeDialogs(reason=None)
    window = open_aggregator(world.work / "prov", dialogs=dialogs)
    window.tabs.setCurrentIndex(TAB_FEEDBACK)
    page = window.feedback_page
    assert not page.reopen_button.isEnabled()
    click(page.finalize_button)
    assert window.snapshot.final and "đã chốt kết quả" in page.result.text()
    assert not page.finalize_button.isEnabled() and page.reopen_button.isEnabled()
    assert "Đã chốt" in page.round_note.text()
    click(page.reopen_button)                                    # cancelled: still final
    assert dialogs.asked == ["confirm", "reason"] and window.snapshot.final
    dialogs.why = "   "                                          # a reason is required
    click(page.reopen_button)
    assert "cần ghi lý do" in page.result.text() and window.snapshot.final
    dialogs.why = "Hội đồng yêu cầu chấm lại chỉ tiêu 1.1"
    click(page.reopen_button)
    assert not window.snapshot.final and "đã mở lại" in page.result.text()
    assert page.finalize_button.isEnabled() and not page.reopen_button.isEnabled()
    window.close()
    assert [r[1:] for r in audit_rows(world, "prov", "round.final")] == [("open", "final", None)]
    assert [r[1:] for r in audit_rows(world, "prov", "round.open")] == [
        ("final", "open", "Hội đồng yêu cầu chấm lại chỉ tiêu 1.1")]


def test_appraisal_by_field_work_file_out_and_return_in(open_aggregator, world, tmp_path, capsys):
    bundle_at_province(world, tmp_path)
    # a department enrolled by the province, through the command line
    assert world.run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", "SNV", "--unit-name",
                     DEPARTMENT, "--group", "huyen", "--out", tmp_path / "SNV.dtienroll") == 0
    assert world.run("SNV", "enroll", "accept", tmp_path / "SNV.dtienroll") == 0

    dialogs = FakeDialogs(folder=tmp_path, name="so-noi-vu")    # typed without the suffix
    window = open_aggregator(world.work / "prov", dialogs=dialogs)
    window.open_unit("X1")
    page = window.appraisal_page
    assert window.tabs.currentIndex() == TAB_APPRAISAL and page.work_row.isVisible()
    assert [page.department_combo.itemData(i) for i in range(page.department_combo.count())] == [DEPARTMENT]
    click(page.work_button)
    work = tmp_path / "so-noi-vu.dtiwork"                         # the suffix added
    assert work.is_file() and dialogs.asked == ["save", "passphrase"]
    with zipfile.ZipFile(work) as z:
        manifest = json.loads(z.read("manifest.json"))
        body = json.loads(z.read("data/work.json"))
    assert manifest["format"] == "dti-appraisal-work/1" and manifest["department"] == DEPARTMENT
    assert {u["code"]: u["codes"] for u in body["units"]} == {"X1": ["2.1"]}
    assert work.name in window.statusBar().currentMessage()

    # the department appraises its indicator and returns the signed file
    assert world.run("SNV", "appraise", "import", work) == 0
    assert world.run("SNV", "appraise", "set", "X1", "2.1", "15", "--comment", "Thiếu số liệu dịch vụ công") == 0
    back = tmp_path / "snv-ketqua.dtiwork"
    assert world.run("SNV", "appraise", "export", "--out", back) == 0

    page.select_code("2.1")
    assert page.current.other_department and page.current.appraised is None
    dialogs.file = back
    click(page.return_button)
    assert dialogs.asked[-1] == "file"
    assert window.statusBar().currentMessage() == f"{DEPARTMENT}: 1 mới, 0 cập nhật, 0 trùng, 0 xung đột"
    row = page.model.row_of("2.1")
    assert page.model.index(row, A_APPRAISED).data() == "15"       # the table follows the merge
    assert page.current.code == "2.1" and page.current.appraised == Decimal(15)
    assert in_force(world, "prov", "X1")["2.1"] == Decimal(15)
    click(page.return_button)                                    # the same return again changes nothing
    assert window.statusBar().currentMessage() == f"{DEPARTMENT}: 0 mới, 0 cập nhật, 1 trùng, 0 xung đột"
    window.close()
    assert cli_json(capsys, world, "prov", "appraise", "conflicts") == []


def test_ranking_report_buttons_and_the_districts_folder_as_previous_round(open_aggregator, world, tmp_path):
    import pikepdf
    from openpyxl import load_workbook

    bundle_at_province(world, tmp_path / "in")                # the communes to rank
    dialogs = FakeDialogs(folder=tmp_path)
    window = open_aggregator(world.work / "prov", dialogs=dialogs)
    window.tabs.setCurrentIndex(TAB_RANKING)
    page = window.ranking_page
    click(page.pdf_button)
    pdf = tmp_path / "xep-hang.pdf"
    assert pdf.is_file() and page.result.text() == f"Đã ghi {pdf}"
    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) >= 1
    click(page.xlsx_button)
    xlsx = tmp_path / "xep-hang.xlsx"
    assert page.result.text() == f"Đã ghi {xlsx}"
    book = load_workbook(xlsx, read_only=True)
    try:
        assert book.sheetnames == ["UBND huyện", "UBND xã", "Chi tiết", "Tiến độ"]     # a sheet per group
        cells = [str(v) for row in book["UBND xã"].iter_rows(values_only=True) for v in row if v is not None]
        assert any("X1" in v for v in cells)                      # the commune ranked there
    finally:
        book.close()
    assert dialogs.asked == ["save", "save"]

    # the district's data directory as the earlier round: a previous-rank column appears
    page.group_combo.setCurrentIndex(page.group_combo.findData("xa"))
    before = page.model.columnCount()
    dialogs.folder = world.district
    click(page.previous_button)
    assert window.previous == str(world.district), page.result.text()
    assert page.previous_label.text() == "So sánh với: 2024" and page.clear_previous_button.isVisible()
    page.group_combo.setCurrentIndex(page.group_combo.findData("xa"))
    assert page.model.columnCount() == before + 1
    last = page.model.columnCount() - 1
    assert page.model.headerData(last, Qt.Orientation.Horizontal) == "Năm 2024"
    x1 = next(i for i, r in enumerate(page.model.rows) if r.unit_code == "X1")
    assert page.model.index(x1, last).data().startswith("hạng 1")


def test_the_received_package_is_saved_byte_for_byte(open_aggregator, world, tmp_path):
    """The appraisal page's "Lưu gói đã nhận…": the shown unit's latest package as it arrived (with its
    evidence, kept apart in the store), the same bytes as `dti package received`, a package that verifies;
    the suffix is added to a typed name."""
    dialogs = FakeDialogs(folder=tmp_path, name="x1-goc")
    window = open_aggregator(world.district, dialogs=dialogs)
    window.open_unit("X1")
    page = window.appraisal_page
    click(page.received_button)
    saved = tmp_path / "x1-goc.dtipkg"
    assert saved.is_file() and dialogs.asked == ["save"]
    assert saved.name in window.statusBar().currentMessage()
    assert world.run("H1", "package", "received", "X1", "--out", tmp_path / "cli.dtipkg") == 0
    assert saved.read_bytes() == (tmp_path / "cli.dtipkg").read_bytes()
    with zipfile.ZipFile(saved) as z:
        assert any(n.startswith("evidence/") for n in z.namelist())
    assert world.run("H1", "package", "verify", saved) == 0
