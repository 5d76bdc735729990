"""The unit's main window driven through its widgets: enter, refuse, attach, check, undo, restart."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox

from app.services.unit_view import MISSING
from app.ui.tree_model import COL_POINTS, COL_STATUS
from tests.evidence import corpus


def _type(qtbot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _value_field(window) -> QLineEdit:
    return window.editor.input.findChild(QLineEdit, "value")


def _stored(window, code: str):
    return window.ws.state().values.get(code)


def test_typed_value_updates_editor_tree_and_summary(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.select("1.1")
    assert window.editor.node.code == "1.1"
    _type(qtbot, _value_field(window), "30,5")
    assert _stored(window, "1.1") == Decimal("30.5")
    assert window.editor.points.text() == "30,50 / 60 điểm"
    assert "Điểm tự chấm 30,50" in window.editor.how.text()
    assert window.tree_model.index_of("1.1", COL_POINTS).data() == "30,50 / 60"
    assert window.tree_model.index_of("1", COL_POINTS).data() == "30,50 / 100"
    assert window.summary.total.text() == "30,50 / 200"
    assert window.summary.share.text() == "15,25 %"
    assert window.summary.grade.text() == "Yếu"
    assert window.tree_model.index_of("1.1", COL_STATUS).data() == "Đã xong"


def test_a_refused_value_shows_the_reason_and_changes_nothing(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.select("1.1")
    _type(qtbot, _value_field(window), "50")
    _type(qtbot, _value_field(window), "61")
    refusal = window.editor.findChild(QLabel, "refusal")
    assert refusal.isVisible()
    assert "vượt điểm tối đa 60" in refusal.text()
    assert _stored(window, "1.1") == Decimal("50")
    assert _value_field(window).text() == "61"   # kept, so the officer can correct it
    assert window.editor.points.text() == "50 / 60 điểm"
    _type(qtbot, _value_field(window), "abc")
    assert "không phải là số" in refusal.text()
    _type(qtbot, _value_field(window), "45")
    assert not refusal.isVisible() and _stored(window, "1.1") == Decimal("45")


def test_undo_and_redo_go_through_the_store(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.select("1.1")
    _type(qtbot, _value_field(window), "50")
    _type(qtbot, _value_field(window), "40")
    window.select("1.2")
    window.undo_action.trigger()
    assert _stored(window, "1.1") == Decimal("50")
    assert window.editor.node.code == "1.1" and _value_field(window).text() == "50"
    window.undo_action.trigger()
    assert _stored(window, "1.1") is None
    assert window.tree_model.index_of("1.1", 0).data(Qt.ItemDataRole.UserRole + 3) == MISSING
    window.redo_action.trigger()
    assert _stored(window, "1.1") == Decimal("50")
    assert window.summary.total.text() == "50 / 200"


def test_general_information_is_stored_and_undoable(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.jump_to("TT.1")
    assert window.tabs.currentIndex() == 1
    _type(qtbot, window.info_form.fields["TT.1"], "12")
    assert window.ws.state().info["TT.1"] == Decimal("12")
    _type(qtbot, window.info_form.fields["TT.1"], "1,5")
    assert "không phải số nguyên" in window.info_form.errors["TT.1"].text()
    window.undo_action.trigger()
    assert "TT.1" not in window.ws.state().info


@pytest.mark.parametrize("how", ["button", "drop"])
def test_attach_a_pdf(qtbot, open_window, small_unit: Path, tmp_path: Path, how: str, monkeypatch):
    pdf = tmp_path / "Biên bản họp.pdf"
    pdf.write_bytes(corpus.reportlab_pdf(3))
    window = open_window(small_unit, chooser=lambda _parent: [pdf])
    window.select("1.1")
    panel = window.evidence
    if how == "button":
        qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    else:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(pdf))])
        event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                           Qt.KeyboardModifier.NoModifier)
        panel.dropEvent(event)
    assert panel.model.rowCount() == 1
    assert panel.model.index(0, 0).data() == "Biên bản họp.pdf"
    assert panel.model.index(0, 1).data() == "3"
    assert panel.title.text() == "Tài liệu kiểm chứng (1)"
    panel.view.selectRow(0)
    if how == "button":   # opened in the system's viewer: a read-only copy under its own name, not the store's file
        opened: list = []
        monkeypatch.setattr("app.ui.main_window.QDesktopServices.openUrl", opened.append)
        monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "temp"))
        (tmp_path / "temp").mkdir()
        panel._open()
        viewed = Path(opened[0].toLocalFile())
        assert viewed.name == "Biên bản họp.pdf" and viewed.is_relative_to(tmp_path / "temp")
        assert viewed.read_bytes() == pdf.read_bytes() and viewed.stat().st_mode & 0o222 == 0
        stored = next((small_unit / "evidence").rglob("*.pdf"))
        assert stored.stat().st_mode & 0o222 == 0
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    question = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    next(b for b in question.buttons() if b.text() == "Gỡ").click()   # removing asks first
    assert panel.model.rowCount() == 0


def test_a_removed_file_comes_back_with_ctrl_z_and_a_photo_becomes_a_pdf(qtbot, open_window, small_unit: Path,
                                                                           tmp_path: Path):
    photo = tmp_path / "Ảnh biên bản.jpg"
    photo.write_bytes(corpus.scan_image("JPEG"))
    bad = tmp_path / "Tờ trình.pdf"
    bad.write_bytes(corpus.zip_bytes())
    window = open_window(small_unit, chooser=lambda _parent: [photo, bad])
    window.select("1.1")
    panel = window.evidence
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    assert [i.name for i in panel.model.rows] == ["Ảnh biên bản.pdf"]
    assert panel.outcome.text().startswith("Đã đính kèm 1 tệp (1 ảnh chụp đã chuyển sang PDF); không nhận 1 tệp: "
                                           "“Tờ trình.pdf”: ")
    window.select("1.2")
    window.select("1.1")
    panel.view.selectRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    question = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    next(b for b in question.buttons() if b.text() == "Gỡ").click()
    assert panel.model.rowCount() == 0
    assert window.tree_model.index_of("1.1", COL_STATUS).data() != "Đã xong"
    window.select("1.2")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.undo_action.text() == "Hoàn tác gỡ “Ảnh biên bản.pdf” khỏi 1.1"
    qtbot.keyClick(window.tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.node.code == "1.1"                      # taken back where the file is
    assert [i.name for i in panel.model.rows] == ["Ảnh biên bản.pdf"]


def test_check_panel_double_click_selects_the_indicator(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.select("1.1")
    view = window.check_panel.view
    model = window.check_panel.model
    row = next(i for i, f in enumerate(model.rows) if f.code == "2.1")
    view.scrollTo(model.index(row, 2))
    rect = view.visualRect(model.index(row, 2))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())   # a real double-click starts
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.node.code == "2.1"
    assert window.tree.currentIndex().data(Qt.ItemDataRole.UserRole + 2) == "2.1"
    row = next(i for i, f in enumerate(model.rows) if f.code == "TT.1")
    view.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)   # the keyboard way
    assert window.tabs.currentIndex() == 1


def test_restart_reopens_the_last_indicator_with_every_edit(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.select("1.2")
    _type(qtbot, _value_field(window), "12,25")
    window.editor.explanation.setPlainText("Theo biên bản ngày 12/03/2024")
    window.close()   # a crash would skip closeEvent: the indicator and the edits were written as they happened
    again = open_window(small_unit)
    assert again.editor.node.code == "1.2"
    assert _value_field(again).text() == "12,25"
    assert again.editor.explanation.toPlainText() == "Theo biên bản ngày 12/03/2024"


def test_keyboard_goes_to_the_next_unfinished_criterion(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.select("1.1")
    _type(qtbot, _value_field(window), "10")
    window.select("1")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)   # window shortcuts need the active window, as on a desktop
    qtbot.keyClick(window.tree, Qt.Key.Key_F8)
    assert window.editor.node.code == "1.2"
    assert _value_field(window).hasFocus()
