"""The enrollment page's "Nhập danh sách đơn vị…" (issue 18, "two-tier map"): the service of `dti enroll issue
--from` off the GUI thread; every unit enrolled and listed, or every bad row in the table with its reason
(Vietnamese) and nothing written. A province of its own, built through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.cli.main import main
from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.window import TAB_ENROLLMENT
from tests.conftest import SMALL

PASS = "tinh-gui-passphrase-1"
HEADER = "Mã đơn vị;Tên đơn vị;Nhóm;Đơn vị tiền thân;Cấp tiếp"


class AnsweringDialogs(Dialogs):
    """Answers instead of the officer; records what was asked."""

    def __init__(self, file: Path, folder: Path, passphrase: str | None = PASS):
        self.file, self.folder, self.secret = file, folder, passphrase
        self.asked: list[str] = []

    def open_file(self, parent, title, filters, folder=""):
        self.asked.append(f"file {filters}")
        return self.file

    def open_folder(self, parent, title, folder=""):
        self.asked.append("folder")
        return self.folder

    def passphrase(self, parent):
        self.asked.append("passphrase")
        return self.secret


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("enroll-button")
    (work / "pass.txt").write_text(PASS, encoding="utf-8")
    (work / "fw.dti.yaml").write_text(SMALL, encoding="utf-8")

    def run(*args: object) -> int:
        return main(["--data-dir", str(work / "prov"), "--lang", "en", "--passphrase-file", str(work / "pass.txt"),
                     *map(str, args)])

    assert run("authority", "init", "--code", "TP", "--name", "Sở Khoa học và Công nghệ tỉnh Thử") == 0
    assert run("framework", "import", work / "fw.dti.yaml") == 0
    return work / "prov"


def unit_list(path: Path, rows: list[str]) -> Path:
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([HEADER, *rows]).encode("utf-8"))
    return path


def page_of(open_aggregator, province: Path, dialogs: Dialogs):
    window = open_aggregator(province, dialogs=dialogs)
    window.tabs.setCurrentIndex(TAB_ENROLLMENT)
    page = window.enrollment_page
    assert page.import_button.isEnabled() and page.import_button.text() == "Nhập danh sách đơn vị…"
    return page


def test_a_bad_list_shows_every_row_and_writes_nothing(open_aggregator, province, tmp_path):
    rows = [f"X{i};UBND xã {i};xa;;" for i in range(12)] + ["X3;UBND xã lặp;xa;;", "H1;UBND huyện Một;huyen;;có lẽ"]
    rows += [f";UBND xã không mã {i};xa;;" for i in range(11)]
    out = tmp_path / "out"
    dialogs = AnsweringDialogs(unit_list(tmp_path / "ds.csv", rows), out)
    page = page_of(open_aggregator, province, dialogs)
    enrolled_before = [r.unit_code for r in page.model.rows]
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert dialogs.asked == ["file Danh sách đơn vị (*.xlsx *.csv)", "folder", "passphrase"]
    text = page.result.text()
    assert text.startswith("ds.csv: 13 dòng không cấp được, chưa cấp đơn vị nào — dòng 14: mã X3 lặp lại (dòng 5)")
    assert text.endswith("; và 3 dòng khác")
    # the table has them all, beyond the ten the message names
    assert [o.line for o in page.outcomes.rows] == [14, 15, *range(16, 27)] and not any(o.ok for o in page.outcomes.rows)
    assert page.outcome_view.isVisibleTo(page)
    assert page.outcomes.index(1, 3).data() == "không cấp: cấp tiếp 'có lẽ' không phải có hoặc không"
    assert not out.exists() and [r.unit_code for r in page.model.rows] == enrolled_before


def test_a_good_list_enrolls_every_unit_and_one_pdf_of_sheets(open_aggregator, province, tmp_path):
    rows = [f"{26000 + i};UBND xã Thử {i};xa;;" for i in range(20)] + ["27001;UBND xã Hợp Nhất;xa;26100 26101;",
                                                                       "H01;UBND huyện Văn Lâm;huyen;;có"]
    out = tmp_path / "cap"
    dialogs = AnsweringDialogs(unit_list(tmp_path / "danh-sach.csv", rows), out)
    page = page_of(open_aggregator, province, dialogs)
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{26000 + i}.dtienroll" for i in range(20)] + [
        "27001.dtienroll", "H01.dtienroll", "phieu-cap-tai-khoan.pdf"])
    text = page.result.text()
    assert text.startswith("danh-sach.csv: đã cấp tài khoản cho cả 22 đơn vị") and "phieu-cap-tai-khoan.pdf" in text
    assert [(o.line, o.unit_code, o.ok) for o in page.outcomes.rows][-2:] == [(22, "27001", True), (23, "H01", True)]
    assert all(o.passphrase == "" for o in page.outcomes.rows)       # passphrases are on the printed sheets only
    enrolled = {r.unit_code: r for r in page.model.rows}              # the page refreshed after the change
    assert len(enrolled) == 22 and enrolled["H01"].can_issue

    # the same list again: every unit is already enrolled, nothing more is written
    page.outcomes.set_rows([])
    dialogs.folder = tmp_path / "again"
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert "22 dòng không cấp được" in page.result.text() and "đã được cấp tài khoản" in page.result.text()
    assert len(page.outcomes.rows) == 22 and not (tmp_path / "again").exists()


def test_a_wrong_passphrase_is_refused_before_anything_is_written(open_aggregator, province, tmp_path):
    out = tmp_path / "out"
    dialogs = AnsweringDialogs(unit_list(tmp_path / "ds.csv", ["X50;UBND xã Năm mươi;xa;;"]), out, "sai-mat-khau-1")
    page = page_of(open_aggregator, province, dialogs)
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert "sai mật khẩu" in page.result.text() and not out.exists()
