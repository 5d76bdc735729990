"""The Tệp menu's hand-offs: export the package, import the appraisers' feedback, the Excel entry
template out and back in, the self-assessment report (PDF), and the unit's account: accept an enrollment
file (after a practice unit, or a renewal) and change the passphrase. Each runs its service on the database
worker through the ops runner and refreshes the main window from a new snapshot.

File choosers and the "open with the system viewer" call are injectable, so tests drive every action
without a native dialog or an external program.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from app.errors import UserError
from app.ui import settings as st
from app.ui.ops import error_text, show_error
from app.ui.text import tr
from app.ui.tree_filter import NEEDS_EXPLANATION

if TYPE_CHECKING:
    from app.services import feedback
    from app.services.unit_enrollment import Accepted
    from app.ui.enrollment_dialog import EnrollmentDialog
    from app.ui.entry_errors import EntryErrorsDialog
    from app.ui.export_dialog import ExportDialog
    from app.ui.main_window import MainWindow
    from app.ui.passphrase_dialog import ChangePassphraseDialog

CTX = "FileMenu"
OpenChooser = Callable[[QWidget, str, str, str], str]     # parent, title, folder, filter -> path or ""
SaveChooser = Callable[[QWidget, str, str, str], str]     # parent, title, suggested path, filter -> path or ""


def _open_dialog(parent: QWidget, title: str, folder: str, filters: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, folder, filters)[0]


def _save_dialog(parent: QWidget, title: str, suggested: str, filters: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, suggested, filters)[0]


def report_writer() -> Callable[..., Path] | None:
    """`write_unit_report` when the reports module is installed (it is being finished separately)."""
    try:
        from app.services.report_unit import write_unit_report
    except ImportError:
        return None
    return write_unit_report


class FileActions(QObject):
    def __init__(self, window: MainWindow, menu: QMenu):
        super().__init__(window)
        self.window = window
        self.choose_open: OpenChooser = _open_dialog
        self.choose_save: SaveChooser = _save_dialog
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self.report_writer: Callable[[], Callable[..., Path] | None] = report_writer
        self.export_dialog_options: dict = {}     # tests: folder chooser, drives, clock
        self.export_dialog: ExportDialog | None = None
        self.last_box: QMessageBox | None = None
        self.errors_dialog: EntryErrorsDialog | None = None
        self.enroll_dialog: EnrollmentDialog | None = None
        self.passphrase_dialog: ChangePassphraseDialog | None = None
        self.new_window: MainWindow | None = None    # the window on the new data folder after an enrollment
        self.actions: dict[str, QAction] = {}
        for key, text, keys, slot in (
            ("export", tr(CTX, "Xuất gói nộp…"), "Ctrl+E", self.export_package),
            ("feedback", tr(CTX, "Nhập phản hồi thẩm định…"), "", self.import_feedback),
            (None, "", "", None),
            ("template", tr(CTX, "Xuất mẫu nhập Excel…"), "", self.write_template),
            ("excel", tr(CTX, "Nhập từ Excel…"), "", self.import_excel),
            (None, "", "", None),
            ("report", tr(CTX, "In báo cáo tự đánh giá (PDF)…"), "Ctrl+P", self.write_report),
            (None, "", "", None),
            ("enroll", tr(CTX, "Nhận tệp cấp tài khoản…"), "", lambda: self.accept_enrollment()),
            ("passphrase", tr(CTX, "Đổi mật khẩu…"), "", self.change_passphrase),
        ):
            if key is None:
                menu.addSeparator()
                continue
            action = QAction(text, window)
            action.setObjectName(f"action:{key}")
            if keys:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[key] = action

    # -- helpers ----------------------------------------------------------------------------------------
    def _folder(self, option: st.Option[str]) -> str:
        folder = self.window.ctx.settings.get(option)
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    def _info(self, title: str, text: str, open_path: Path | None = None) -> QMessageBox:
        """A non-blocking message with Vietnamese buttons; "Mở" opens the file in the system viewer."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, self.window)
        if open_path is not None:
            opener = box.addButton(tr(CTX, "Mở"), QMessageBox.ButtonRole.ActionRole)
            opener.clicked.connect(lambda: self.open_url(QUrl.fromLocalFile(str(open_path))))
        box.addButton(tr(CTX, "Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.last_box = box
        return box

    def _snapshot_names(self) -> tuple[str, int]:
        snap = self.window.snapshot
        return (snap.unit_code, snap.year) if snap else ("DTI", 0)

    # -- export -----------------------------------------------------------------------------------------
    def export_package(self) -> None:
        self.window.editor.save_explanation()      # the explanation being typed belongs in the package
        self.window.ctx.runner.wait_idle()
        from app.ui.export_dialog import ExportDialog  # on first use: keeps start-up light

        dialog = ExportDialog(self.window.ctx, self.window.ws, self.window, **self.export_dialog_options)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _code: self.window.refresh())
        self.export_dialog = dialog
        dialog.open()

    # -- feedback ---------------------------------------------------------------------------------------
    def import_feedback(self) -> None:
        chosen = self.choose_open(self.window, tr(CTX, "Chọn tệp phản hồi thẩm định"), self._folder(st.LAST_FEEDBACK_FOLDER),
                                  tr(CTX, "Tệp phản hồi (*.phanhoi *.dtifeedback);;Mọi tệp (*)"))
        if not chosen:
            return
        path = Path(chosen)
        self.window.ctx.settings.set(st.LAST_FEEDBACK_FOLDER, str(path.parent))
        self.window.editor.save_explanation()
        from app.services import feedback

        self.window.ctx.runner.op(self.window, lambda: feedback.import_feedback(self.window.ws, path)).with_progress(
            tr(CTX, "Đang kiểm tra chữ ký và nhập phản hồi…")).success(self._feedback_done).run()

    def _feedback_done(self, result: feedback.FeedbackImported) -> None:
        self.window.refresh()
        if result.requests:
            self.window.filter_combo.setCurrentIndex(self.window.filter_combo.findData(NEEDS_EXPLANATION))
            text = tr(CTX, "Đã nhập {n} ý kiến thẩm định, trong đó {k} tiêu chí cần giải trình. Cây chỉ số đang lọc "
                           "“Cần giải trình”: viết giải trình cho từng tiêu chí rồi xuất gói nộp lần mới.").format(
                n=result.items, k=result.requests)
        else:
            text = tr(CTX, "Đã nhập {n} ý kiến thẩm định. Điểm thẩm định hiện bên cạnh điểm tự chấm.").format(
                n=result.items)
        self._info(tr(CTX, "Đã nhập phản hồi thẩm định"), text)

    # -- Excel ------------------------------------------------------------------------------------------
    def write_template(self) -> None:
        code, year = self._snapshot_names()
        suggested = str(Path(self._folder(st.LAST_EXCEL_FOLDER)) / f"{code}_mau_nhap_DTI{year}.xlsx")
        chosen = self.choose_save(self.window, tr(CTX, "Lưu mẫu nhập Excel"), suggested, tr(CTX, "Sổ Excel (*.xlsx)"))
        if not chosen:
            return
        out = Path(chosen) if chosen.lower().endswith(".xlsx") else Path(chosen + ".xlsx")
        self.window.ctx.settings.set(st.LAST_EXCEL_FOLDER, str(out.parent))
        from app.services import entry_import

        self.window.ctx.runner.op(self.window, lambda: entry_import.write_template(self.window.ws, out)).success(
            lambda _none: self._info(tr(CTX, "Đã xuất mẫu nhập Excel"), tr(
                CTX, "Đã lưu {name}. Nhập số liệu vào các ô màu vàng, rồi dùng Tệp → Nhập từ Excel….").format(
                name=out.name), out)).run()

    def import_excel(self) -> None:
        chosen = self.choose_open(self.window, tr(CTX, "Chọn sổ Excel đã nhập số liệu"), self._folder(st.LAST_EXCEL_FOLDER),
                                  tr(CTX, "Sổ Excel (*.xlsx)"))
        if not chosen:
            return
        path = Path(chosen)
        self.window.ctx.settings.set(st.LAST_EXCEL_FOLDER, str(path.parent))

        def refused(error: Exception) -> None:
            if not isinstance(error, UserError):
                show_error(self.window, error)
                return
            from app.ui.entry_errors import EntryErrorsDialog

            dialog = EntryErrorsDialog(path.name, error_text(error), self.window)   # the interface's language
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.errors_dialog = dialog
            dialog.open()

        def stored(changed: int) -> None:
            self.window.undo_stack.clear()   # a bulk import is not one of the editor's undoable edits
            self.window.refresh()
            self._info(tr(CTX, "Đã nhập từ Excel"), tr(CTX, "Đã lưu {n} thay đổi từ {name}.").format(n=changed, name=path.name))

        from app.services import entry_import

        self.window.ctx.runner.op(self.window, lambda: entry_import.import_entries(self.window.ws, path)).success(
            stored).failure(refused).run()

    # -- report -----------------------------------------------------------------------------------------
    def write_report(self) -> None:
        writer = self.report_writer()
        if writer is None:
            show_error(self.window, UserError("report module missing", tr(
                CTX, "Bản cài đặt này chưa có phần in báo cáo tự đánh giá (PDF). Hãy cập nhật phần mềm.")))
            return
        code, year = self._snapshot_names()
        suggested = str(Path(self._folder(st.LAST_REPORT_FOLDER)) / f"{code}_bao_cao_tu_danh_gia_DTI{year}.pdf")
        chosen = self.choose_save(self.window, tr(CTX, "Lưu báo cáo tự đánh giá"), suggested, tr(CTX, "Tệp PDF (*.pdf)"))
        if not chosen:
            return
        out = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
        self.window.ctx.settings.set(st.LAST_REPORT_FOLDER, str(out.parent))
        self.window.editor.save_explanation()
        lang = self.window.ctx.lang
        self.window.ctx.runner.op(self.window, lambda: writer(self.window.ws, out, unit_code=None, lang=lang)).with_progress(
            tr(CTX, "Đang tạo báo cáo PDF…")).success(lambda written: self._info(
                tr(CTX, "Đã tạo báo cáo"), tr(CTX, "Đã lưu {name}. Mở báo cáo ngay?").format(name=Path(written).name),
                Path(written))).run()

    # -- the unit's account -----------------------------------------------------------------------------
    def accept_enrollment(self, path: Path | None = None) -> None:
        """Tệp → Nhận tệp cấp tài khoản…; with `path` (a double-clicked .dtienroll) the file is checked at once."""
        self.window.editor.save_explanation()
        self.window.ctx.runner.wait_idle()
        from app.ui.enrollment_dialog import EnrollmentDialog

        dialog = EnrollmentDialog(self.window.ctx, self.window.ws, self.window, file_chooser=self._choose_enrollment)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._enrolled(dialog.outcome))
        self.enroll_dialog = dialog
        dialog.open()
        if path is not None:
            dialog.set_path(path)

    def _choose_enrollment(self, parent: QWidget) -> str:
        chosen = self.choose_open(parent, tr(CTX, "Chọn tệp cấp tài khoản"), self._folder(st.LAST_ENROLLMENT_FOLDER),
                                  tr(CTX, "Tệp cấp tài khoản (*.dtienroll);;Mọi tệp (*)"))
        if chosen:
            self.window.ctx.settings.set(st.LAST_ENROLLMENT_FOLDER, str(Path(chosen).parent))
        return chosen

    def _enrolled(self, outcome: Accepted | None) -> None:
        if outcome is None:
            return
        text = tr(CTX, "Đã nhận tài khoản cho {name} ({code}). Từ nay đơn vị ký và xuất được gói nộp.").format(
            name=outcome.unit_name, code=outcome.unit_code)
        if outcome.new_folder:
            text += " " + tr(CTX, "Dữ liệu của đơn vị nằm ở thư mục {new}; đơn vị thực hành vẫn ở thư mục {old}.").format(
                new=outcome.data_dir, old=outcome.previous)
        text += "\n\n" + tr(CTX, "Hãy đổi mật khẩu ngay: Tệp → Đổi mật khẩu…, rồi hủy phiếu cấp tài khoản hoặc cất ở "
                                  "nơi an toàn.")
        title = tr(CTX, "Đã nhận tài khoản")
        actions = self
        if outcome.new_folder:
            self.new_window = self.window.open_data_dir(outcome.data_dir)
            actions = self.new_window.file_actions
        else:
            self.window.refresh()
        box = actions._info(title, text)
        change = box.addButton(tr(CTX, "Đổi mật khẩu ngay…"), QMessageBox.ButtonRole.ActionRole)
        change.clicked.connect(actions.change_passphrase)

    def change_passphrase(self) -> None:
        """Tệp → Đổi mật khẩu… (`dti passphrase change`)."""
        self.window.ctx.runner.wait_idle()
        from app.ui.passphrase_dialog import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.window.ctx, self.window.ws, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._passphrase_changed(dialog.changed or 0))
        self.passphrase_dialog = dialog
        dialog.open()

    def _passphrase_changed(self, count: int) -> None:
        self._info(tr(CTX, "Đã đổi mật khẩu"), tr(
            CTX, "Đã đổi mật khẩu ({n} khóa). Từ nay dùng mật khẩu mới khi xuất gói nộp. Mật khẩu in trên phiếu cấp "
                 "tài khoản không còn dùng được: hủy phiếu hoặc cất ở nơi an toàn.").format(n=count))
