"""The Tệp menu's hand-offs: export the package, import the appraisers' feedback, the Excel entry
template out and back in, and the self-assessment report (PDF). Each runs its service on the database
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
from app.ui.ops import show_error
from app.ui.text import tr
from app.ui.tree_filter import NEEDS_EXPLANATION

if TYPE_CHECKING:
    from app.services import feedback
    from app.ui.entry_errors import EntryErrorsDialog
    from app.ui.export_dialog import ExportDialog
    from app.ui.main_window import MainWindow

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
        self.actions: dict[str, QAction] = {}
        for key, text, keys, slot in (
            ("export", tr(CTX, "Xuất gói nộp…"), "Ctrl+E", self.export_package),
            ("feedback", tr(CTX, "Nhập phản hồi thẩm định…"), "", self.import_feedback),
            (None, "", "", None),
            ("template", tr(CTX, "Xuất mẫu nhập Excel…"), "", self.write_template),
            ("excel", tr(CTX, "Nhập từ Excel…"), "", self.import_excel),
            (None, "", "", None),
            ("report", tr(CTX, "In báo cáo tự đánh giá (PDF)…"), "Ctrl+P", self.write_report),
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

            dialog = EntryErrorsDialog(path.name, error.message_vi, self.window)
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
