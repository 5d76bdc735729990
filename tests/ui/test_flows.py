"""The officer's two journeys through the widgets (issue 7, item 11), on the tests' small framework:

(a) enrollment file → wizard → one value → one PDF → check panel → export dialog → a package the
    province's verifier accepts;
(b) the province appraises and asks for an explanation → feedback import → the tree and its
    "Cần giải trình" filter show exactly that criterion → explanation typed → export revision 2.

The province side runs through the command line, as tests/cli/test_aggregate.py does.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCommandLinkButton, QLineEdit

from app.cli.main import main
from app.services import unit_view as uv
from app.ui.first_run_wizard import FirstRunWizard
from app.ui.tree_filter import NEEDS_EXPLANATION
from app.ui.tree_model import COL_STATUS
from tests.conftest import SMALL
from tests.evidence import corpus

PASS = "flow-passphrase-1"
CLOCK = lambda: datetime(2024, 5, 6, 7, 8, 9)  # noqa: E731 - a fixed clock names the package file


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory):
    """Province TP (framework small-2024) with enrollment files for communes X1 and X2."""
    work = tmp_path_factory.mktemp("province")
    saved = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)])

    (work / "fw.dti.yaml").write_text(SMALL, encoding="utf-8")
    assert run("prov", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử") == 0
    assert run("prov", "framework", "import", work / "fw.dti.yaml") == 0
    assert run("prov", "authority", "root", "--out", work / "root.pem") == 0
    for code in ("X1", "X2"):
        assert run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name",
                   f"UBND xã {code}", "--group", "xa", "--out", work / f"{code}.dtienroll") == 0
    yield work, run
    for k, v in saved.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def _verify(work: Path, paths: list[Path]) -> dict:
    from app.packages import TrustAnchors, verify_package
    from app.trust import certs

    root = certs.load((work / "root.pem").read_bytes())
    return verify_package(paths if len(paths) > 1 else paths[0], TrustAnchors((root,))).manifest


def _type(qtbot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def _export(qtbot, window, usb: Path, passphrase: str):
    window.file_actions.export_dialog_options = {"drives": lambda: [usb], "clock": CLOCK}
    window.file_actions.actions["export"].trigger()
    dialog = window.file_actions.export_dialog
    assert dialog.isVisible() and dialog.destination.currentData() == str(usb)   # the removable drive first
    if dialog.go_on_button.isVisible():   # what is missing is said first; the officer goes on anyway
        qtbot.mouseClick(dialog.go_on_button, Qt.MouseButton.LeftButton)
    assert dialog.passphrase.isVisible()
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    return dialog


def test_enrollment_to_verified_package(qtbot, ctx, open_window, province, data_dir: Path, tmp_path: Path):
    work, _run = province
    wizard = FirstRunWizard(ctx, data_dir, file_chooser=lambda _parent: str(work / "X1.dtienroll"))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.findChild(QCommandLinkButton, "choice:enroll"), Qt.MouseButton.LeftButton)
    browse = next(b for b in wizard.pages["enroll_file"].findChildren(type(wizard.next_button)) if "Chọn" in b.text())
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(wizard.passphrase, PASS)
    qtbot.keyClick(wizard.passphrase, Qt.Key.Key_Return)
    assert wizard.result_data is not None and wizard.result_data.unit_code == "X1"

    pdf = tmp_path / "Biên bản họp BCĐ.pdf"
    pdf.write_bytes(corpus.reportlab_pdf(2))
    window = open_window(wizard.result_data.data_dir, chooser=lambda _parent: [pdf])
    window.select("1.1")
    _type(qtbot, window.editor.input.findChild(QLineEdit, "value"), "50")
    qtbot.mouseClick(window.evidence.attach_button, Qt.MouseButton.LeftButton)
    assert window.tree_model.index_of("1.1", COL_STATUS).data() == "Đã xong"
    findings = window.check_panel.model
    row = next(i for i, f in enumerate(findings.rows) if f.code == "2.1")
    window.check_panel.view.setCurrentIndex(findings.index(row, 0))
    qtbot.keyClick(window.check_panel.view, Qt.Key.Key_Return)
    assert window.editor.node.code == "2.1"

    usb = tmp_path / "USB"
    usb.mkdir()
    dialog = _export(qtbot, window, usb, "wrong-passphrase")
    # the refusal under the passphrase box (the shared PassphraseField), the status saying nothing was written
    assert "sai mật khẩu" in dialog.passphrase_field.refusal.text() and "Chưa ghi tệp nào" in dialog.status.text()
    assert list(usb.iterdir()) == [] and dialog.export_button.isEnabled()
    dialog.passphrase.clear()
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    outcome = dialog.outcome
    assert outcome is not None and outcome.verified and outcome.result.revision == 1
    written = [p for p, _size in outcome.files]
    assert written == [usb / "X1_DTI2024_20240506-070809.dtipkg"] and written[0].is_file()
    text = dialog.result_label.text()
    assert "lần 1" in text and outcome.fingerprint in text and "hợp lệ" in text
    assert "Nộp tệp .dtipkg cho Sở Thông tin và Truyền thông Thử; giữ lại bản sao." in text
    assert len(outcome.fingerprint.split()) == 16
    manifest = _verify(work, written)
    assert (manifest["unit"]["code"], manifest["revision"]) == ("X1", 1)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)   # now "Đóng"
    assert not dialog.isVisible()


def test_feedback_explanation_and_revision_two(qtbot, open_window, province, tmp_path: Path):
    work, run = province
    assert run("X2", "enroll", "accept", work / "X2.dtienroll") == 0
    assert run("X2", "entry", "set", "1.1", "50") == 0
    assert run("X2", "entry", "set", "1.2", "30") == 0
    assert run("X2", "package", "export", "--out", work / "X2-r1.dtipkg") == 0
    assert run("prov", "package", "import", work / "X2-r1.dtipkg") == 0
    assert run("prov", "appraise", "set", "X2", "1.1", "40", "--comment", "Thiếu biên bản họp",
               "--request-explanation") == 0
    assert run("prov", "appraise", "set", "X2", "1.2", "30", "--comment", "Đạt") == 0
    assert run("prov", "feedback", "export", "--unit", "X2", "--out", work / "X2.phanhoi") == 0

    window = open_window(work / "X2")
    actions = window.file_actions
    actions.choose_open = lambda *_args: str(work / "X2.phanhoi")
    actions.actions["feedback"].trigger()
    assert "1 tiêu chí cần giải trình" in actions.last_box.text()
    actions.last_box.close()
    model = window.tree_model
    assert model.index_of("1.1", COL_STATUS).data() == "Cần giải trình"
    assert model.index_of("1.2", COL_STATUS).data() == "Có ý kiến thẩm định"
    # the filter was switched to "Cần giải trình": exactly 1.1 (under its main index)
    assert window.filter_combo.currentData() == NEEDS_EXPLANATION
    assert window.tree_filter.visible_codes() == ["1", "1.1"]
    assert window.editor.node.code == "1.1"
    appraisal = window.editor.appraisal.text()
    assert "40" in appraisal and "Thiếu biên bản họp" in appraisal and "yêu cầu giải trình" in appraisal
    assert window.summary.total.text().startswith("70 /")   # appraised 40 + 30, not the self-score 80

    window.editor.explanation.setFocus()
    qtbot.keyClicks(window.editor.explanation, "Bien ban ")   # QTest types Latin-1 only; an IME commits the rest
    window.editor.explanation.insertPlainText("họp ngày 12/03/2024 đính kèm bản quét")
    window.tree.setFocus()   # leaving the box stores it
    qtbot.waitUntil(lambda: model.index_of("1.1", COL_STATUS).data() != "Cần giải trình")
    assert window.ws.state().explanations["1.1"] == "Bien ban họp ngày 12/03/2024 đính kèm bản quét"
    assert window.tree_filter.visible_codes() == ["1", "1.1"]   # still shown while the officer is on it
    assert window.filter_note.text() == "Không có tiêu chí nào phù hợp"

    usb = tmp_path / "USB"
    usb.mkdir()
    dialog = _export(qtbot, window, usb, PASS)
    assert dialog.outcome.verified and dialog.outcome.result.revision == 2
    path = dialog.outcome.files[0][0]
    dialog.close()
    assert _verify(work, [path])["revision"] == 2
    assert run("prov", "package", "import", path) == 0


def test_search_box_filters_by_code_or_title_without_diacritics(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    qtbot.keyClicks(window.search, "dich vu")
    assert window.tree_filter.visible_codes() == ["2", "2.1"]
    assert window.editor.node.code == "2.1"
    window.search.clear()
    window.search.insert("nhận thức")   # a main index: everything under it
    assert window.tree_filter.visible_codes() == ["1", "1.1", "1.2"]
    window.jump_to("2.1")   # a jump to a hidden criterion shows the whole tree again
    assert window.search.text() == "" and len(window.tree_filter.visible_codes()) == 5
    assert window.editor.node.code == "2.1"


def test_practice_unit_cannot_export_and_is_told_why(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.file_actions.export_dialog_options = {"drives": lambda: []}
    window.file_actions.actions["export"].trigger()
    dialog = window.file_actions.export_dialog
    assert dialog.practice_note.isVisible() and "tệp cấp tài khoản" in dialog.practice_note.text()
    assert not dialog.export_button.isEnabled() and not dialog.passphrase.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_tree_filter_passes_the_model_tester(qtmodeltester, open_window, small_unit: Path):
    window = open_window(small_unit)
    window.filter_combo.setCurrentIndex(window.filter_combo.findData("unfinished"))
    qtmodeltester.check(window.tree_filter)
    window.search.setText("1.")
    qtmodeltester.check(window.tree_filter)
    assert window.tree_filter.index_of("1.1").siblingAtColumn(0).data(Qt.ItemDataRole.UserRole + 3) == uv.MISSING
