"""Issue 17, items 4 and 5 (the application's side): nothing only on the command line, passphrases as printed.

- Tệp → Nhận tệp cấp tài khoản…: the file checked first (nothing stored), the unit and the fingerprints shown
  as the sheet prints them, the passphrase asked, the account installed by the service of `dti enroll accept`;
  after a practice unit it goes into a new data folder beside the practice one, which stays as it was.
- Tệp → Đổi mật khẩu…: the service of `dti passphrase change`.
- Every passphrase box has a "Hiện mật khẩu" toggle; a wrong passphrase is refused under its box.
- The enrollment sheet's steps are the application's (menu paths, what to compare), the CLI a footnote.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget
from shiboken6 import isValid

from app.services import first_run as fr
from app.services.enrollment import read_enrollment
from app.services.trust_service import authority_init, identity
from app.services.workspace import Workspace
from app.trust import certs, keys
from app.ui import settings as st
from tests.ui.test_first_run_flow import PROVINCE_PASS, UNIT_PASS, enrollment_file  # noqa: F401 - module fixture

NEW_PASS = "doi-mat-khau-2024"
WRONG = "sai mật khẩu"          # the service's refusal (app.trust.keys.WrongPassphrase), shown as it words it


def listing(folder: Path) -> list[tuple[str, int]]:
    return sorted((str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*") if p.is_file()
                  and p.name not in ("dti.sqlite3-wal", "dti.sqlite3-shm"))


def toggle_of(field: QWidget) -> QCheckBox:
    return next(b for b in field.findChildren(QCheckBox) if b.text() == "Hiện mật khẩu")


def assert_toggles(edit: QLineEdit, box: QCheckBox) -> None:
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    box.setChecked(True)
    assert edit.echoMode() == QLineEdit.EchoMode.Normal
    box.setChecked(False)
    assert edit.echoMode() == QLineEdit.EchoMode.Password


@pytest.fixture
def enrolled(data_dir: Path, enrollment_file: Path) -> Path:  # noqa: F811
    flow = fr.FirstRunFlow(data_dir)
    flow.choose(fr.ENROLL)
    flow.submit_enrollment_file(enrollment_file)
    flow.submit_passphrase(UNIT_PASS)
    return data_dir


def _menu_texts(window) -> list[str]:
    file_menu = window.menuBar().actions()[0].menu()
    return [a.text() for a in file_menu.actions()]


# -- 4a: accepting an enrollment file from the main window ------------------------------------------------------
def test_the_file_menu_offers_enrollment_and_passphrase_change(qtbot, open_window, hy_unit: Path):
    window = open_window(hy_unit)
    texts = _menu_texts(window)
    assert "Nhận tệp cấp tài khoản…" in texts and "Đổi mật khẩu…" in texts
    assert texts.index("Đổi mật khẩu…") < texts.index("Thoát")


def test_after_a_practice_unit_the_account_goes_to_a_new_folder(qtbot, ctx, open_window, hy_unit: Path,
                                                                enrollment_file: Path):  # noqa: F811
    window = open_window(hy_unit)
    actions = window.file_actions
    actions.choose_open = lambda *_args: str(enrollment_file)
    before = listing(hy_unit)
    actions.actions["enroll"].trigger()
    dialog = actions.enroll_dialog
    assert dialog.isVisible() and not dialog.accept_button.isEnabled()
    dialog.browse_button.click()                 # the chooser fills the path and the file is checked at once
    assert dialog.path_edit.text() == str(enrollment_file)

    # what the sheet prints, shown to be compared: the unit, and the fingerprints in groups of four
    file = read_enrollment(enrollment_file)
    assert dialog.labels["unit"].text() == "UBND xã Tân Dân (X01)"
    root_groups = certs.grouped(certs.fingerprint(file.creds.root)).split()
    assert dialog.labels["root"].text().split() == root_groups
    assert dialog.labels["certificate"].text().split() == certs.grouped(certs.fingerprint(file.creds.signing)).split()
    assert dialog.labels["issuer"].text() == "Sở Thông tin và Truyền thông"
    # the dry run says what would happen; nothing is stored by looking
    plan = dialog.plan
    assert plan is not None and plan.new_folder and not plan.unchanged
    assert str(plan.target) in dialog.plan_label.text() and "thực hành" in dialog.plan_label.text()
    assert listing(hy_unit) == before and not plan.target.exists()
    assert dialog.accept_button.isEnabled()

    # a wrong passphrase: the service's refusal under the box, nothing written anywhere
    dialog.passphrase.edit.setText("wrong-passphrase")
    dialog.accept_button.click()
    assert dialog.isVisible() and dialog.passphrase.refusal.isVisible()
    assert dialog.passphrase.refusal.text().startswith(WRONG)
    assert not dialog.file_error.isVisible()
    assert listing(hy_unit) == before and not plan.target.exists()

    # the right one: the account is installed in the new folder, which the application opens (now and next time)
    dialog.passphrase.edit.setText(UNIT_PASS)
    assert not dialog.passphrase.refusal.isVisible()      # typing again clears the refusal
    dialog.accept_button.click()
    assert not dialog.isVisible()
    new_window = actions.new_window
    try:
        assert new_window is not None and new_window.isVisible() and new_window.data_dir == plan.target
        assert new_window.ws.state().code == "X01"
        assert identity(new_window.ws).signing is not None
        assert ctx.settings.get(st.DATA_DIR) == str(plan.target)
        assert not window.isVisible()
        box = new_window.file_actions.last_box
        assert box is not None and "X01" in box.text() and "Đổi mật khẩu" in box.text() and str(hy_unit) in box.text()
        box.close()
    finally:
        if isValid(new_window):
            new_window.close()
    with Workspace(hy_unit) as ws:               # the practice unit stays where it was
        assert ws.state().code == fr.PRACTICE_CODE and identity(ws).signing is None


def test_a_local_unit_of_the_same_code_is_enrolled_in_place_and_keeps_its_values(
        qtbot, open_window, data_dir: Path, enrollment_file: Path):  # noqa: F811
    with Workspace(data_dir) as ws:
        ws.unit_init("hy-2023", "X01", "UBND xã Tân Dân", "xa")
        ws.set_entry("1.1", "1")
    window = open_window(data_dir)
    actions = window.file_actions
    actions.accept_enrollment(enrollment_file)           # also the route of a double-clicked .dtienroll
    dialog = actions.enroll_dialog
    assert dialog.plan is not None and not dialog.plan.new_folder and dialog.plan.target == data_dir
    assert "giữ nguyên" in dialog.plan_label.text()
    dialog.passphrase.edit.setText(UNIT_PASS)
    dialog.passphrase.edit.returnPressed.emit()          # Enter accepts
    assert not dialog.isVisible() and actions.new_window is None
    assert identity(window.ws).signing is not None and window.ws.state().values["1.1"] is not None
    assert "X01" in actions.last_box.text()
    change_now = next(b for b in actions.last_box.buttons() if b.text() == "Đổi mật khẩu ngay…")
    change_now.click()                                   # the next step of the sheet, one click away
    assert actions.passphrase_dialog.isVisible() and actions.passphrase_dialog.old.isEnabled()
    actions.passphrase_dialog.close()


def test_the_same_file_again_changes_nothing_and_a_bad_file_is_refused_under_its_path(
        qtbot, open_window, enrolled: Path, enrollment_file: Path, tmp_path: Path):  # noqa: F811
    window = open_window(enrolled)
    actions = window.file_actions
    actions.accept_enrollment(enrollment_file)
    dialog = actions.enroll_dialog
    assert dialog.plan.unchanged and "đã nhận" in dialog.plan_label.text()
    assert not dialog.accept_button.isEnabled() and not dialog.passphrase.isEnabled()
    junk = tmp_path / "junk.dtienroll"
    junk.write_bytes(b"PK\x03\x04 not an enrollment")
    dialog.path_edit.setText(str(junk))
    dialog.check_button.click()
    assert dialog.file_error.isVisible() and "junk.dtienroll" in dialog.file_error.text()
    assert dialog.plan is None and not dialog.accept_button.isEnabled() and not dialog.labels["unit"].isVisible()
    dialog.close()


# -- 4b: changing the passphrase -------------------------------------------------------------------------------
def test_change_the_passphrase_with_each_refusal_under_its_box(qtbot, open_window, enrolled: Path):
    window = open_window(enrolled)
    actions = window.file_actions
    actions.actions["passphrase"].trigger()
    dialog = actions.passphrase_dialog
    assert dialog.isVisible() and not dialog.note.isVisible()

    def attempt(old: str, new: str, again: str) -> None:
        dialog.old.edit.setText(old)
        dialog.new.edit.setText(new)
        dialog.confirm.edit.setText(again)
        dialog.change_button.click()

    attempt("wrong-passphrase", NEW_PASS, NEW_PASS)
    assert dialog.old.refusal.isVisible() and dialog.old.refusal.text().startswith(WRONG)
    attempt(UNIT_PASS, NEW_PASS, NEW_PASS + "x")
    assert dialog.confirm.refusal.isVisible() and not dialog.old.refusal.isVisible()
    attempt(UNIT_PASS, "ngan", "ngan")
    assert dialog.new.refusal.isVisible() and "8" in dialog.new.refusal.text()
    signing_key = identity(window.ws).signing[1]
    keys.decrypt_key(signing_key, UNIT_PASS)                 # nothing changed by the refusals

    attempt(UNIT_PASS, NEW_PASS, NEW_PASS)
    assert not dialog.isVisible()
    keys.decrypt_key(identity(window.ws).signing[1], NEW_PASS)
    with pytest.raises(keys.WrongPassphrase):
        keys.decrypt_key(identity(window.ws).signing[1], UNIT_PASS)
    assert "Đã đổi mật khẩu" in actions.last_box.text()
    actions.last_box.close()


def test_a_practice_unit_has_no_passphrase_yet_and_is_told_where_it_comes_from(qtbot, open_window, hy_unit: Path):
    window = open_window(hy_unit)
    window.file_actions.actions["passphrase"].trigger()
    dialog = window.file_actions.passphrase_dialog
    assert dialog.note.isVisible() and "Tệp → Nhận tệp cấp tài khoản…" in dialog.note.text()
    assert not dialog.change_button.isEnabled() and not dialog.old.isEnabled()
    dialog.close()


# -- 5: passphrases as printed ---------------------------------------------------------------------------------
def test_every_passphrase_box_has_a_show_toggle(qtbot, ctx, open_window, enrolled: Path, data_dir: Path,
                                                 tmp_path: Path):
    from app.ui.aggregator.dialogs import AskDialog
    from app.ui.first_run_wizard import FirstRunWizard

    window = open_window(enrolled)
    actions = window.file_actions
    actions.actions["enroll"].trigger()
    boxes = [(actions.enroll_dialog.passphrase.edit, toggle_of(actions.enroll_dialog))]
    actions.actions["passphrase"].trigger()
    change = actions.passphrase_dialog
    boxes += [(f.edit, toggle_of(f)) for f in (change.old, change.new, change.confirm)]
    wizard = FirstRunWizard(ctx, tmp_path / "other")
    qtbot.addWidget(wizard)
    boxes.append((wizard.passphrase, toggle_of(wizard.pages["enroll_confirm"])))
    ask = AskDialog(None, "Mật khẩu ký số", "Nhập mật khẩu", masked=True)
    qtbot.addWidget(ask)
    boxes.append((ask.edit, toggle_of(ask)))
    for edit, box in boxes:
        assert_toggles(edit, box)
    actions.enroll_dialog.close()
    change.close()


def test_the_wizard_refuses_a_wrong_passphrase_under_the_box(qtbot, ctx, data_dir: Path,
                                                             enrollment_file: Path):  # noqa: F811
    from app.ui.first_run_wizard import FirstRunWizard

    wizard = FirstRunWizard(ctx, data_dir, file_chooser=lambda _parent: str(enrollment_file))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.choice_buttons[fr.ENROLL].click()
    wizard.enroll_path.setText(str(enrollment_file))
    wizard.next_button.click()
    wizard.passphrase.setText("wrong-passphrase")
    wizard.next_button.click()
    field = wizard.passphrase_field
    assert field.refusal.isVisible() and field.refusal.text().startswith(WRONG)
    assert not wizard.error.isVisible() and wizard.isVisible()
    wizard.passphrase.setText(UNIT_PASS)
    wizard.next_button.click()
    assert wizard.result_data is not None and wizard.result_data.unit_code == "X01"


def test_an_aggregator_passphrase_is_checked_in_its_dialog(qtbot, ctx, tmp_path: Path):
    from app.ui.aggregator.dialogs import Dialogs

    with Workspace(tmp_path / "province") as ws:
        authority_init(ws, "STTTT", "Sở Thông tin và Truyền thông", PROVINCE_PASS)
    ws = Workspace(tmp_path / "province")
    try:
        host = QWidget()          # stands for the aggregator window: it holds the workspace and the context
        host.ws, host.ctx = ws, ctx
        qtbot.addWidget(host)
        dialog = Dialogs().passphrase_dialog(host)
        qtbot.addWidget(dialog)
        dialog.open()
        dialog.edit.setText("wrong-passphrase")
        dialog.ok_button.click()
        assert dialog.isVisible() and dialog.field.refusal.text().startswith(WRONG)
        dialog.edit.setText(PROVINCE_PASS)
        dialog.ok_button.click()
        assert not dialog.isVisible() and dialog.value() == PROVINCE_PASS
    finally:
        ws.close()


# -- 4c and 5: the enrollment sheet ----------------------------------------------------------------------------
def _sheet(tmp_path: Path, passphrase: str, lang: str = "vi") -> str:
    from app.reports.enrollment_sheet import write_enrollment_sheet
    from tests.reports.pdfcheck import page_count, text_of

    out = tmp_path / f"phieu-{lang}.pdf"
    write_enrollment_sheet(out, unit_code="X01", unit_name="UBND xã Tân Dân", group_title="UBND xã, phường, thị trấn",
                           parent_name="UBND huyện Văn Lâm", framework_title="Bộ chỉ số DTI tỉnh Hưng Yên năm 2023",
                           framework_id="hy-2023", issuer_name="UBND huyện Văn Lâm", passphrase=passphrase,
                           certificate_fingerprint="ab" * 32, root_fingerprint="cd" * 32, valid_from=date(2024, 3, 5),
                           valid_to=date(2026, 3, 4), issued_on=date(2024, 3, 5), can_issue=False, lang=lang,
                           enrollment_file="X01.dtienroll")
    assert page_count(out) == 1
    return " ".join(text_of(out).split())


def test_the_sheet_steps_are_the_applications(tmp_path: Path):
    text = _sheet(tmp_path, "k7mqx2pt9rta4wce")
    for expected in ("Tệp → Nhận tệp cấp tài khoản…", "Tệp → Đổi mật khẩu…", "Kiểm tra tệp", "Nhận tài khoản",
                     "Hiện mật khẩu", "Vân tay chứng thư gốc", "Nhận tệp cấp tài khoản", "X01.dtienroll"):
        assert expected in text, expected
    # the passphrase in groups of four, and how to type it
    assert "k7mq x2pt 9rta 4wce" in text
    assert "gõ liền hoặc gõ cả dấu cách" in text
    # the command line only as a footnote, after the steps and the warning
    assert "dti enroll accept X01.dtienroll" in text and "dti passphrase change" in text
    assert text.index("dti enroll accept") > text.index("GIỮ BÍ MẬT MẬT KHẨU")
    assert "bằng lệnh" not in text


def test_a_passphrase_with_real_spaces_says_they_must_be_typed(tmp_path: Path):
    text = _sheet(tmp_path, "Hoa sen nở 2024!")
    assert "gõ liền hoặc gõ cả dấu cách" not in text and "␣" in text


def test_the_english_sheet(tmp_path: Path):
    text = _sheet(tmp_path, "k7mqx2pt9rta4wce", lang="en")
    for expected in ("File → Accept an enrollment file…", "File → Change passphrase…", "with or without the spaces",
                     "dti enroll accept X01.dtienroll"):
        assert expected in text, expected

