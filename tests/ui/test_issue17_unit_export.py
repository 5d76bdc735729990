"""Issue 17, item 6: before signing, the export dialog says what is missing (values, evidence, general
information), offers the list and "Vẫn xuất", and only then asks for the passphrase."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.services import enrollment, trust_service
from app.services.workspace import Workspace
from tests.conftest import SMALL

PROVINCE_PASS = "province-pass-17"
UNIT_PASS = "unit-pass-1717"
CLOCK = lambda: datetime(2024, 5, 6, 7, 8, 9)  # noqa: E731


@pytest.fixture(scope="module")
def enrollment_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("province17")
    (folder / "small.dti.yaml").write_text(SMALL, encoding="utf-8")
    out = folder / "X7.dtienroll"
    with Workspace(folder / "data") as ws:
        trust_service.authority_init(ws, "STTTT", "Sở Thông tin và Truyền thông Thử", PROVINCE_PASS)
        from app.services.framework_store import FrameworkStore

        FrameworkStore(folder / "data").import_file(folder / "small.dti.yaml")
        enrollment.issue(ws, framework_ref="small-2024", unit_code="X7", unit_name="UBND xã Bảy", group="xa", out=out,
                         can_issue=False, passphrase=PROVINCE_PASS, unit_passphrase=UNIT_PASS)
    return out


@pytest.fixture
def enrolled(data_dir: Path, enrollment_file: Path) -> Path:
    with Workspace(data_dir) as ws:
        enrollment.accept(ws, enrollment_file, UNIT_PASS)
        ws.set_entry("1.1", "50")
    return data_dir


def _open_dialog(window, usb: Path):
    window.file_actions.export_dialog_options = {"drives": lambda: [usb], "clock": CLOCK}
    window.file_actions.actions["export"].trigger()
    return window.file_actions.export_dialog


def test_what_is_missing_comes_before_the_passphrase(qtbot, open_window, enrolled: Path, tmp_path: Path):
    usb = tmp_path / "USB"
    usb.mkdir()
    window = open_window(enrolled)
    dialog = _open_dialog(window, usb)
    assert dialog.isVisible()
    review = dialog.findChild(QLabel, "reviewText")
    assert review is not None and review.isVisible()
    text = review.text()
    # 1.2 and 2.1 have no value, TT.1 is missing; 1.1's evidence is optional: no evidence is missing
    assert "2 chỉ tiêu chưa nhập số liệu" in text
    assert "1 mục thông tin chung chưa nhập" in text
    assert "0 " not in text.replace("0 điểm", "")              # nothing said about what is not missing
    assert not dialog.passphrase.isVisible() and not dialog.export_button.isVisible()
    assert dialog.go_on_button.text() == "Vẫn xuất" and dialog.go_on_button.isDefault()
    assert dialog.list_button.text() == "Xem danh sách"

    qtbot.mouseClick(dialog.list_button, Qt.MouseButton.LeftButton)
    listed = dialog.findings_list
    assert listed.isVisible()
    codes = sorted(f.code for f in listed.model.rows)
    assert codes == ["1.2", "2.1", "TT.1"]
    jumped: list[str] = []
    dialog.jump_requested.connect(jumped.append)
    row = next(i for i, f in enumerate(listed.model.rows) if f.code == "2.1")
    listed.view.setCurrentIndex(listed.model.index(row, 0))
    qtbot.keyClick(listed.view, Qt.Key.Key_Return)
    assert jumped == ["2.1"] and not dialog.isVisible()        # to the criterion, the dialog out of the way
    assert window.editor.node.code == "2.1"

    dialog = _open_dialog(window, usb)
    qtbot.mouseClick(dialog.go_on_button, Qt.MouseButton.LeftButton)
    assert dialog.passphrase.isVisible() and dialog.focusWidget() is dialog.passphrase and dialog.export_button.isVisible()
    assert not dialog.go_on_button.isVisible()
    qtbot.keyClicks(dialog.passphrase, UNIT_PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.outcome is not None and dialog.outcome.verified
    assert "manifest" not in dialog.result_label.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_nothing_missing_goes_straight_to_the_passphrase(qtbot, open_window, enrolled: Path, tmp_path: Path):
    with Workspace(enrolled) as ws:
        for code, value in (("1.2", "30"), ("2.1", "70"), ("TT.1", "12")):
            ws.set_entry(code, value)
    window = open_window(enrolled)
    dialog = _open_dialog(window, tmp_path)
    assert dialog.passphrase.isVisible() and not dialog.go_on_button.isVisible()
    assert "Không còn thiếu" in dialog.findChild(QLabel, "reviewText").text()
    dialog.close()


def test_a_wrong_passphrase_is_said_plainly(qtbot, open_window, enrolled: Path, tmp_path: Path):
    window = open_window(enrolled)
    dialog = _open_dialog(window, tmp_path)
    qtbot.mouseClick(dialog.go_on_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.passphrase, "not-the-passphrase")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    status = dialog.status.text()
    refusal = dialog.passphrase_field.refusal.text()
    assert "sai mật khẩu" in refusal and "Chưa ghi tệp nào" in status and "(passphrase)" not in refusal
    assert dialog.passphrase_field.refusal.isVisible()
    dialog.close()
