"""The first-run wizard driven through its widgets: it renders the flow and shows its refusals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCommandLinkButton, QLabel

from app.services import first_run as fr
from app.ui.first_run_wizard import FirstRunWizard
from tests.ui.test_first_run_flow import UNIT_PASS, enrollment_file  # noqa: F401 - the module fixture


def _wizard(qtbot, ctx, data_dir, **choosers) -> FirstRunWizard:
    wizard = FirstRunWizard(ctx, data_dir, **choosers)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_practice_unit_through_the_wizard(qtbot, ctx, data_dir: Path):
    wizard = _wizard(qtbot, ctx, data_dir)
    qtbot.mouseClick(wizard.findChild(QCommandLinkButton, "choice:practice"), Qt.MouseButton.LeftButton)
    assert wizard.flow.step == "practice"
    assert wizard.framework_combo.currentData() == "hy-2023"
    assert wizard.group_combo.currentData() == "xa"
    wizard.unit_name.setText("UBND xã Tân Dân")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.result() == FirstRunWizard.DialogCode.Accepted
    assert wizard.result_data.unit_name == "UBND xã Tân Dân"
    assert not wizard.isVisible()
    assert fr.has_unit(data_dir)


def test_a_refusal_shows_in_vietnamese_and_the_page_stays(qtbot, ctx, data_dir: Path, tmp_path: Path):
    wizard = _wizard(qtbot, ctx, data_dir, folder_chooser=lambda _parent: str(tmp_path))
    qtbot.mouseClick(wizard.findChild(QCommandLinkButton, "choice:open"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)   # nothing chosen yet
    error = wizard.findChild(QLabel, "error")
    assert error.isVisible() and "hãy chọn thư mục" in error.text()
    wizard.folder_path.setText(str(tmp_path))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert "không chứa dữ liệu DTI" in error.text()
    assert wizard.flow.step == "open" and wizard.isVisible()
    qtbot.mouseClick(wizard.back_button, Qt.MouseButton.LeftButton)
    assert wizard.flow.step == "choose" and not error.isVisible()
    qtbot.mouseClick(wizard.cancel_button, Qt.MouseButton.LeftButton)
    assert wizard.result() == FirstRunWizard.DialogCode.Rejected


def test_enrollment_through_the_wizard(qtbot, ctx, data_dir: Path, enrollment_file: Path):  # noqa: F811
    wizard = _wizard(qtbot, ctx, data_dir, file_chooser=lambda _parent: str(enrollment_file))
    qtbot.mouseClick(wizard.findChild(QCommandLinkButton, "choice:enroll"), Qt.MouseButton.LeftButton)
    browse = next(b for b in wizard.pages["enroll_file"].findChildren(type(wizard.next_button)) if "Chọn" in b.text())
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.flow.step == "enroll_confirm"
    assert wizard.preview_labels["unit"].text() == "UBND xã Tân Dân (X01)"
    assert wizard.preview_labels["certificate"].text() == wizard.flow.preview.certificate_fingerprint
    qtbot.keyClicks(wizard.passphrase, "wrong-passphrase")
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.passphrase_field.refusal.isVisible() and not wizard.error.isVisible() and wizard.isVisible()
    wizard.passphrase.clear()
    qtbot.keyClicks(wizard.passphrase, UNIT_PASS)
    qtbot.keyClick(wizard.passphrase, Qt.Key.Key_Return)   # Enter presses the default button
    assert wizard.result_data is not None and wizard.result_data.unit_code == "X01"
    assert fr.has_unit(data_dir)
