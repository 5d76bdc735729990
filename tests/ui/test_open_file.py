"""Opening a hand-off file with the application (app.ui.open_file): a feedback file goes to the unit window's
feedback import, a package (or one volume of a split one) to the aggregator's import page with a dry-run
preview, an enrollment file to the first-run wizard's enrollment path; garbage gets a message."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from shiboken6 import isValid

from app.services.workspace import Workspace
from app.ui.context import AppContext
from app.ui.open_file import APP_MUTEX, OpenRequest, hold_app_mutex
from tests.test_handoff import HandOffs, build_handoffs


@pytest.fixture(scope="module")
def handoffs(tmp_path_factory: pytest.TempPathFactory) -> HandOffs:
    return build_handoffs(tmp_path_factory.mktemp("open-file"))


@pytest.fixture
def opened(ctx: AppContext) -> Iterator[Callable[[QWidget], QWidget]]:
    """Shows a window and closes it (and what it opened) at the end: closing releases the data lock."""
    windows: list[QWidget] = []

    def show(window: QWidget) -> QWidget:
        window.show()
        windows.append(window)
        return window

    yield show
    for window in windows:
        if isValid(window) and window.isVisible():
            window.close()
    QApplication.processEvents()


def _copy(handoffs: HandOffs, name: str, tmp_path: Path) -> Path:
    return Path(shutil.copytree(handoffs.data(name), tmp_path / name, ignore=shutil.ignore_patterns("dti.lock")))


def test_feedback_file_goes_to_the_units_feedback_import(handoffs, ctx, opened, tmp_path):
    from app.ui.main_window import MainWindow
    from app.ui.tree_filter import NEEDS_EXPLANATION

    window = opened(MainWindow(ctx, _copy(handoffs, "X1", tmp_path)))
    chooser = window.file_actions.choose_open
    request = OpenRequest(ctx, handoffs.file("X1.phanhoi"))
    assert request.route(window) == "feedback-import"
    box = window.file_actions.last_box
    assert box is not None and "Đã nhập 1 ý kiến thẩm định" in box.text() and "cần giải trình" in box.text()
    box.close()
    assert window.filter_combo.currentData() == NEEDS_EXPLANATION
    assert window.file_actions.choose_open is chooser   # the file chooser is given back
    with Workspace(tmp_path / "X1", write=False) as ws:
        assert ws.state().values   # the unit's own data is still there beside the feedback


@pytest.mark.parametrize("which", ["package", "volume"])
def test_package_goes_to_the_import_page_with_a_dry_run(handoffs, ctx, opened, tmp_path, which):
    from app.ui.aggregator.window import TAB_IMPORT, AggregatorWindow

    window = opened(AggregatorWindow(ctx, _copy(handoffs, "H1", tmp_path)))
    path = handoffs.file("X2.dtipkg") if which == "package" else handoffs.volumes[1]
    request = OpenRequest(ctx, path)
    assert request.route(window) == "import-preview"
    page = window.import_page
    assert window.tabs.currentIndex() == TAB_IMPORT
    first = "X2.dtipkg" if which == "package" else handoffs.volumes[0].name   # a split package: all its volumes
    assert [(o.file, o.status) for o in page.model.rows] == [(first, "would-import")]
    assert "Chưa có gì được nhập" in page.note.text()
    assert window.snapshot.unit("X2").state == "not_submitted"   # a preview stores nothing


def test_enrollment_file_opens_the_wizards_enrollment_path(handoffs, ctx, tmp_path):
    from app.ui.first_run_wizard import FirstRunWizard

    wizard = FirstRunWizard(ctx, tmp_path / "new")
    request = OpenRequest(ctx, handoffs.file("X1.dtienroll"))
    request.apply(wizard)
    assert request.routed
    assert wizard.flow.step == "enroll_file"
    assert wizard.enroll_path.text() == str(handoffs.file("X1.dtienroll"))
    wizard.close()


def test_garbage_gets_a_message_and_the_window_stays(ctx, opened, small_unit, tmp_path):
    from app.ui.main_window import MainWindow

    garbage = tmp_path / "X1.phanhoi"
    garbage.write_bytes(b"this is no feedback" * 20)
    window = opened(MainWindow(ctx, small_unit))
    request = OpenRequest(ctx, garbage)
    assert request.handoff is None and request.error is not None
    assert request.route(window) == "message"
    box = request.last_box
    assert box.icon() == QMessageBox.Icon.Warning and box.text().startswith("X1.phanhoi: không phải tệp DTI")
    box.close()
    assert window.isVisible()


def test_a_package_on_a_units_installation_says_where_it_belongs(handoffs, ctx, opened, small_unit):
    from app.ui.main_window import MainWindow

    window = opened(MainWindow(ctx, small_unit))
    request = OpenRequest(ctx, handoffs.file("X2.dtipkg"))
    assert request.route(window) == "message"
    assert "cơ quan tổng hợp" in request.last_box.text() and "dti package verify" in request.last_box.text()
    request.last_box.close()


def test_the_running_mark_for_the_installer():
    assert APP_MUTEX and "\\" not in APP_MUTEX
    import sys

    assert hold_app_mutex() is (sys.platform == "win32")


def test_an_enrollment_file_on_a_units_installation_opens_the_enrollment_dialog(handoffs, ctx, opened, small_unit):
    """Issue 17, nothing only on the command line: a double-clicked .dtienroll on a unit's machine opens Tệp →
    Nhận tệp cấp tài khoản… with the file already chosen, instead of a message naming `dti enroll accept`."""
    from app.ui.main_window import MainWindow

    window = opened(MainWindow(ctx, small_unit))
    request = OpenRequest(ctx, handoffs.file("X1.dtienroll"))
    assert request.route(window) == "enrollment-dialog"
    dialog = window.file_actions.enroll_dialog
    assert dialog.isVisible() and dialog.path_edit.text().endswith("X1.dtienroll")
    dialog.close()


def test_a_departments_return_opened_at_the_province_is_merged_on_the_appraisal_page(handoffs, ctx, opened, tmp_path):
    """Issue 17, nothing only on the command line: a double-clicked return (.dtiwork) at the province is merged as
    the appraisal page's own button does, instead of a message naming `dti appraise import`."""
    from app.ui.aggregator.window import TAB_APPRAISAL, AggregatorWindow

    window = opened(AggregatorWindow(ctx, _copy(handoffs, "TP", tmp_path)))
    request = OpenRequest(ctx, handoffs.file("snv-ketqua.dtiwork"))
    assert request.route(window) == "return-import"
    window.ctx.runner.wait_idle()
    assert window.tabs.currentIndex() == TAB_APPRAISAL
    said = window.statusBar().currentMessage()
    assert "Sở Nội vụ" in said and ("1 mới" in said or "1 xung đột" in said or "1 cập nhật" in said), said
