"""Tệp menu hand-offs driven through the main window: the Excel entry template out and back in (every
refused cell in a table, nothing stored), the self-assessment PDF, and the export dialog's cancel."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from app.services.workspace import Workspace
from app.ui import export_flow as ef
from app.ui.entry_errors import cell_errors


def _template(window, tmp_path: Path) -> Path:
    out = tmp_path / "mau.xlsx"
    window.file_actions.choose_save = lambda *_args: str(out)
    window.file_actions.actions["template"].trigger()
    assert out.is_file() and "mau.xlsx" in window.file_actions.last_box.text()
    window.file_actions.last_box.close()
    return out


def _edited(template: Path, tmp_path: Path, cells: dict[tuple[str, str], object]) -> Path:
    wb = openpyxl.load_workbook(template)
    for (sheet, cell), value in cells.items():
        wb[sheet][cell] = value
    out = tmp_path / "da_nhap.xlsx"
    wb.save(out)
    return out


def test_excel_round_trip_with_every_bad_cell_in_a_table(qtbot, qtmodeltester, open_window, small_unit: Path,
                                                         tmp_path: Path):
    window = open_window(small_unit)
    template = _template(window, tmp_path)
    bad = _edited(template, tmp_path, {("Chỉ số", "F5"): 61, ("Chỉ số", "F6"): "abc", ("Thông tin chung", "E4"): "1,5"})
    actions = window.file_actions
    actions.choose_open = lambda *_args: str(bad)
    actions.actions["excel"].trigger()
    dialog = actions.errors_dialog
    assert dialog.isVisible() and "3 ô cần sửa" in dialog.summary.text() and "Chưa lưu" in dialog.summary.text()
    qtmodeltester.check(dialog.model)
    rows = [[dialog.model.index(r, c).data() for c in range(4)] for r in range(dialog.model.rowCount())]
    assert rows == [["Chỉ số", "F5", "1.1", "61 vượt điểm tối đa 60"],
                    ["Chỉ số", "F6", "1.2", "'abc' không phải là số"],
                    ["Thông tin chung", "E4", "TT.1", "1,5 không phải số nguyên"]]
    assert window.ws.state().values == {}
    dialog.close()

    good = _edited(template, tmp_path, {("Chỉ số", "F5"): "45,5", ("Thông tin chung", "E4"): 12})
    actions.choose_open = lambda *_args: str(good)
    actions.actions["excel"].trigger()
    assert "Đã lưu 2 thay đổi" in actions.last_box.text()
    actions.last_box.close()
    assert window.ws.state().values["1.1"] == Decimal("45.5")
    assert window.summary.total.text() == "45,50 / 200"


def test_refusal_lines_split_into_cells():
    rows, hidden = cell_errors("a.xlsx: 2 ô sai, chưa lưu gì: Chỉ số!F5: công thức chưa có kết quả: hãy gõ giá trị; "
                               "Thông tin chung!E9: không phải ô nhập (dòng trống): chỉ các ô màu vàng được đọc; và 3 ô khác")
    assert [(r.sheet, r.cell, r.code) for r in rows] == [("Chỉ số", "F5", ""), ("Thông tin chung", "E9", "")]
    assert rows[0].reason == "công thức chưa có kết quả: hãy gõ giá trị" and hidden == 3
    assert cell_errors("a.xlsx: sổ này của đơn vị X01, không phải X02") == ([], 0)


def test_self_assessment_pdf_then_open(qtbot, open_window, small_unit: Path, tmp_path: Path):
    window = open_window(small_unit)
    opened = []
    actions = window.file_actions
    actions.open_url = opened.append
    actions.choose_save = lambda *_args: str(tmp_path / "bao-cao")
    actions.actions["report"].trigger()
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    opener = next(b for b in actions.last_box.findChildren(QPushButton) if b.text() == "Mở")
    qtbot.mouseClick(opener, Qt.MouseButton.LeftButton)
    assert [u.toLocalFile() for u in opened] == [str(pdf)]


def test_report_module_missing_is_said_plainly(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.file_actions.report_writer = lambda: None
    window.file_actions.actions["report"].trigger()
    box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
    assert "chưa có phần in báo cáo" in box.text()
    box.close()


def test_export_cancelled_before_writing_writes_nothing(small_unit: Path, tmp_path: Path):
    with Workspace(small_unit) as ws:
        try:
            ef.export_and_verify(ws, tmp_path / "x.dtipkg", "whatever", None, may_start=lambda: False)
        except ef.Cancelled:
            pass
        else:
            raise AssertionError("not cancelled")
    assert list(tmp_path.glob("*.dtipkg")) == []
