"""The Import page with packages encrypted for the district (issue 19): the passphrase is asked once, only when an
encrypted file is in the list; cancelling runs nothing; a wrong one refuses each encrypted file in one Vietnamese
line with the store unchanged; the right one imports, read in place (no decrypted copy in the data directory)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from app.ui.aggregator.dialogs import Dialogs
from app.ui.aggregator.window import TAB_IMPORT
from tests.ui.aggregator.conftest import PASS

pytestmark = pytest.mark.usefixtures("world")


class AskedDialogs(Dialogs):
    """Answers the passphrase prompt instead of the appraiser; records how often it was asked."""

    def __init__(self, passphrase: str | None):
        self.secret = passphrase
        self.asked: list[str] = []

    def passphrase(self, parent):
        self.asked.append("passphrase")
        return self.secret


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name != "dti.lock")



@pytest.fixture(scope="module")
def sealed(world) -> Path:
    out = world.work / "X2-ma-hoa.dtipkg"
    assert world.run("X2", "package", "export", "--encrypt", "--out", out) == 0
    return out


def test_a_plain_list_asks_no_passphrase(open_aggregator, world):
    dialogs = AskedDialogs(None)
    window = open_aggregator(world.district, dialogs=dialogs)
    page = window.import_page
    page.add_paths([world.work / "X2.dtipkg"])
    QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert dialogs.asked == []
    assert [o.status for o in page.model.rows] == ["would-import"]


def test_cancelling_the_passphrase_runs_nothing(open_aggregator, world, sealed):
    dialogs = AskedDialogs(None)
    window = open_aggregator(world.district, dialogs=dialogs)
    page = window.import_page
    page.add_paths([sealed, world.work / "X2.dtipkg"])
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert dialogs.asked == ["passphrase"]
    assert [o.status for o in page.model.rows] == ["waiting", "waiting"]
    assert window.snapshot.unit("X2").state == "not_submitted"


def test_a_wrong_passphrase_refuses_in_vietnamese_and_stores_nothing(open_aggregator, world, sealed):
    dialogs = AskedDialogs("sai-mat-khau-roi")
    window = open_aggregator(world.district, dialogs=dialogs)
    before = _files(world.district)
    page = window.import_page
    page.add_paths([sealed])
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    [row] = page.model.rows
    assert row.status == "refused"
    line = row.line("vi")
    assert line.startswith("X2-ma-hoa.dtipkg: ") and "mật khẩu" in line.lower() and "\n" not in line
    assert _files(world.district) == before
    assert window.snapshot.unit("X2").state == "not_submitted"


def test_the_right_passphrase_imports_once_asked(open_aggregator, world, sealed, tmp_path):
    dialogs = AskedDialogs(PASS)
    window = open_aggregator(world.district, dialogs=dialogs)
    window.resize(1366, 768)
    window.tabs.setCurrentIndex(TAB_IMPORT)
    page = window.import_page
    page.add_paths([sealed])
    QTest.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    assert [o.status for o in page.model.rows] == ["would-import"]
    QTest.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    assert dialogs.asked == ["passphrase", "passphrase"]    # once per run, never per file
    assert [o.status for o in page.model.rows] == ["imported"]
    assert "X2-ma-hoa.dtipkg: X2 lần 2: đã nhập; gói được mã hoá cho máy này" in page.result_lines()
    assert window.snapshot.unit("X2").state == "submitted"
    assert not list(world.district.glob(".dti-crypt-*"))
    window.grab().save(str(tmp_path / "nhap-goi-ma-hoa.png"))
    assert (tmp_path / "nhap-goi-ma-hoa.png").stat().st_size > 0
