"""Issue 19 item 4 in the desktop application: the export dialog's "Mã hoá gói cho cơ quan nhận", ticked when the
setting encrypt-packages says so, writes a package only the enrolling authority opens."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from app.packages import envelope
from app.services.workspace import Workspace
from tests.ui.test_issue17_unit_export import UNIT_PASS, _open_dialog, enrolled, enrollment_file  # noqa: F401


@pytest.mark.parametrize("setting", [None, "yes", "no"])
def test_the_checkbox_follows_the_setting_and_encrypts(qtbot, open_window, enrolled: Path, tmp_path: Path,  # noqa: F811
                                                       setting):
    if setting is not None:
        with Workspace(enrolled) as ws:
            ws.set_setting("encrypt-packages", setting)
    usb = tmp_path / "USB"
    usb.mkdir()
    window = open_window(enrolled)
    dialog = _open_dialog(window, usb)
    box = dialog.findChild(QCheckBox, "encrypt")
    assert box is not None and box.text() == "Mã hoá gói cho cơ quan nhận"
    assert box.isChecked() == (setting == "yes")
    qtbot.mouseClick(dialog.go_on_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.passphrase, UNIT_PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert dialog.outcome is not None and dialog.outcome.verified
    written = dialog.outcome.files[0][0].read_bytes()
    if setting == "yes":
        assert envelope.is_enveloped(written[:32])
        assert "mã hoá cho" in dialog.result_label.text()
    else:
        assert written.startswith(b"PK")
    assert [p.name for p in usb.iterdir()] == [dialog.outcome.files[0][0].name]
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
