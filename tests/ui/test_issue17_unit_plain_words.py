"""Issue 17, items 10 and 12: plain words for first-timers on the unit's screens (no grade before any value,
"lỗi" only for what blocks something, no technical signs or words), the issuer's name and what to compare on
the wizard's fingerprint step; refusals in English when the interface is English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCommandLinkButton, QLabel, QLineEdit

from app.errors import UserError
from app.trust.keys import WrongPassphrase
from app.ui.context import AppContext
from app.ui.first_run_wizard import FirstRunWizard
from app.ui.ops import Runner, error_text
from app.ui.settings import AppSettings
from app.ui.translations import load_translator
from tests.ui.test_first_run_flow import enrollment_file  # noqa: F401 - the module fixture

GRADES = ("Tốt", "Khá", "Trung bình", "Yếu")


@pytest.fixture
def english(qapp, tmp_path: Path) -> Iterator[AppContext]:
    translator = load_translator("en")
    QCoreApplication.installTranslator(translator)
    context = AppContext("en", AppSettings(tmp_path / "dti.ini"), Runner(synchronous=True))
    yield context
    QCoreApplication.removeTranslator(translator)
    context.runner.shutdown()


def test_no_grade_before_any_value(qtbot, open_window, small_unit: Path):
    window = open_window(small_unit)
    grade = window.summary.grade.text()
    assert grade not in GRADES and grade == "chưa có"
    window.select("1.1")
    field = window.editor.input.findChild(QLineEdit, "value")
    field.setFocus()
    qtbot.keyClicks(field, "10")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.summary.grade.text() == "Yếu"


def test_missing_things_are_not_called_errors(open_window, hy_unit: Path):
    window = open_window(hy_unit)
    panel = window.check_panel
    kinds = {f.kind for f in panel.model.rows if f.severity == "error"}
    assert kinds == {"missing_info"}                  # denominators not entered yet: missing, nothing wrong
    summary = panel.summary.text()
    assert "lỗi" not in summary.lower() and "còn thiếu" in summary.lower()
    shown = {panel.model.index(r, 0).data() for r in range(panel.model.rowCount())}
    assert "Lỗi" not in shown and "Còn thiếu" in shown


def test_wizard_names_the_issuer_and_says_what_to_compare(qtbot, ctx, data_dir: Path,
                                                          enrollment_file: Path):  # noqa: F811
    wizard = FirstRunWizard(ctx, data_dir, file_chooser=lambda _parent: str(enrollment_file))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.findChild(QCommandLinkButton, "choice:enroll"), Qt.MouseButton.LeftButton)
    wizard.enroll_path.setText(str(enrollment_file))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    assert wizard.flow.step == "enroll_confirm"
    assert "Sở Thông tin và Truyền thông" in wizard.preview_labels["parent"].text()
    hint = wizard.findChild(QLabel, "fingerprintHint")
    assert hint is not None and hint.isVisible()
    assert "16 nhóm" in hint.text() and "phiếu" in hint.text()
    wizard.close()


def test_refusals_follow_the_interface_language(english: AppContext):
    refusal = UserError("1.1: 61 is over the maximum 60", "1.1: 61 vượt điểm tối đa 60")
    assert error_text(refusal) == "1.1: 61 is over the maximum 60"
    assert error_text(WrongPassphrase()).startswith("wrong passphrase")


def test_refusals_in_vietnamese_by_default(qapp):
    assert error_text(UserError("no", "không được")) == "không được"
    assert error_text(WrongPassphrase()).startswith("sai mật khẩu")


def test_an_english_editor_refuses_in_english(qtbot, english: AppContext, small_unit: Path):
    from app.ui.main_window import MainWindow

    window = MainWindow(english, small_unit)
    window.show()
    window.select("1.1")
    field = window.editor.input.findChild(QLineEdit, "value")
    field.setFocus()
    qtbot.keyClicks(field, "61")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    refusal = window.editor.findChild(QLabel, "refusal")
    assert refusal.isVisible() and "over the maximum" in refusal.text()
    window.close()


def test_a_practice_unit_is_said_first_where_the_summary_cannot_cut_it(open_window, hy_unit):
    """At 1366×768 the summary's second line was cut before 'đơn vị thực hành, chưa được cấp tài khoản'."""
    window = open_window(hy_unit)
    window.resize(1366, 768)
    line = window.summary.framework
    assert line.full_text().startswith("đơn vị thực hành, chưa được cấp tài khoản")
    assert line.text().startswith("đơn vị thực hành")
