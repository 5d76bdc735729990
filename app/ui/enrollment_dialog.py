"""Tệp → Nhận tệp cấp tài khoản…: accept an enrollment file from the unit's window (after a practice unit, or a
renewal), doing what `dti enroll accept` does.

Three moves, each on the database worker through app.services.unit_enrollment: the file is checked with the
dry run of a real accept (nothing stored) and what it says is laid out as the printed enrollment sheet has it,
with what accepting would do; the officer compares, types the passphrase of the sheet's section 2 and accepts.
A refusal of the file shows under the file, a wrong passphrase under the passphrase box.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import unit_enrollment as ue
from app.services.first_run import PRACTICE_CODE
from app.services.workspace import Workspace
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.ops import error_text
from app.ui.passphrase_field import REFUSAL_STYLE, PassphraseField, refusal_for
from app.ui.text import tr

CTX = "EnrollmentDialog"
FileChooser = Callable[[QWidget], str]     # parent -> the chosen path, or ""


def two_lines(grouped: str) -> str:
    """A fingerprint's 16 groups on two lines of eight, as the sheet prints them."""
    groups = grouped.split()
    return " ".join(groups[:8]) + "\n" + " ".join(groups[8:])


class EnrollmentDialog(QDialog):
    def __init__(self, ctx: AppContext, ws: Workspace, parent: QWidget | None = None,
                 file_chooser: FileChooser | None = None):
        super().__init__(parent)
        self.ctx, self.ws = ctx, ws
        self.choose_file = file_chooser or (lambda _parent: "")
        self.plan: ue.AcceptPlan | None = None
        self.outcome: ue.Accepted | None = None
        self.setWindowTitle(tr(CTX, "Nhận tệp cấp tài khoản"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(700)
        self._build()
        self._show_plan(None)

    # -- construction -----------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel(tr(CTX, "Nhận tệp cấp tài khoản"))
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        layout.addWidget(heading)
        intro = QLabel(tr(CTX, "Dùng tệp .dtienroll và phiếu cấp tài khoản do Sở Thông tin và Truyền thông hoặc UBND "
                               "cấp huyện giao. Bấm “Kiểm tra tệp” để xem tệp cấp cho ai: việc kiểm tra chưa lưu gì "
                               "vào máy."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #455a64;")
        layout.addWidget(intro)

        row = QHBoxLayout()
        row.addWidget(QLabel(tr(CTX, "Tệp:")))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("enrollPath")
        self.path_edit.setPlaceholderText(tr(CTX, "Đường dẫn tệp cấp tài khoản (.dtienroll)"))
        self.path_edit.textChanged.connect(lambda _text: self._show_plan(None))
        self.path_edit.returnPressed.connect(self.check)
        row.addWidget(self.path_edit, 1)
        self.browse_button = QPushButton(tr(CTX, "Chọn tệp…"))
        self.browse_button.setAutoDefault(False)
        self.browse_button.clicked.connect(self._browse)
        row.addWidget(self.browse_button)
        self.check_button = QPushButton(tr(CTX, "Kiểm tra tệp"))
        self.check_button.setObjectName("checkButton")
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(self.check)
        row.addWidget(self.check_button)
        layout.addLayout(row)
        self.file_error = QLabel()
        self.file_error.setObjectName("fileError")
        self.file_error.setWordWrap(True)
        self.file_error.setStyleSheet(REFUSAL_STYLE)
        self.file_error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.file_error.hide()
        layout.addWidget(self.file_error)

        self.compare_box = QGroupBox(tr(CTX, "Đối chiếu với phiếu cấp tài khoản"))
        compare = QVBoxLayout(self.compare_box)
        note = QLabel(tr(CTX, "So từng dòng với phiếu in. Hai dấu vân tay phải giống phiếu đến từng nhóm 4 ký tự; "
                              "khác dù một ký tự: đừng nhận tài khoản và báo ngay cho cơ quan cấp."))
        note.setWordWrap(True)
        compare.addWidget(note)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        fixed.setPointSizeF(max(fixed.pointSizeF(), self.font().pointSizeF() + 1))
        fixed.setBold(True)
        self.labels: dict[str, QLabel] = {}
        for key, caption in (("unit", tr(CTX, "Đơn vị (mục 1)")), ("group", tr(CTX, "Nhóm đánh giá")),
                             ("framework", tr(CTX, "Bộ chỉ số")), ("issuer", tr(CTX, "Đơn vị cấp")),
                             ("validity", tr(CTX, "Hiệu lực chứng thư số")),
                             ("certificate", tr(CTX, "Vân tay chứng thư của đơn vị (mục 3)")),
                             ("root", tr(CTX, "Vân tay chứng thư gốc (mục 3)"))):
            label = QLabel()
            label.setObjectName(f"compare:{key}")
            label.setWordWrap(key not in ("certificate", "root"))
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if key in ("certificate", "root"):
                label.setFont(fixed)
            if key == "unit":
                label.setStyleSheet("font-weight: bold;")
            form.addRow(caption + ":", label)
            self.labels[key] = label
        compare.addLayout(form)
        layout.addWidget(self.compare_box)

        self.plan_label = QLabel()
        self.plan_label.setObjectName("plan")
        self.plan_label.setWordWrap(True)
        self.plan_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.plan_label)

        self.passphrase_row = QWidget()
        pass_form = QFormLayout(self.passphrase_row)
        pass_form.setContentsMargins(0, 0, 0, 0)
        self.passphrase = PassphraseField(
            tr(CTX, "mật khẩu in ở mục 2 của phiếu"),
            tr(CTX, "Gõ đúng từng ký tự như trên phiếu (phân biệt chữ hoa, chữ thường). Khoảng cách giữa các nhóm "
                    "chỉ để dễ đọc: gõ liền hoặc gõ cả dấu cách đều được."))
        self.passphrase.returnPressed.connect(self.accept_file)
        pass_form.addRow(tr(CTX, "Mật khẩu của đơn vị:"), self.passphrase)
        layout.addWidget(self.passphrase_row)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.accept_button = QPushButton(tr(CTX, "Nhận tài khoản"))
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.setAutoDefault(False)
        self.accept_button.clicked.connect(self.accept_file)
        self.close_button = QPushButton(tr(CTX, "Hủy"))
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)

    # -- checking the file ------------------------------------------------------------------------------
    def _browse(self) -> None:
        chosen = self.choose_file(self)
        if chosen:
            self.set_path(chosen)

    def set_path(self, path: Path | str) -> None:
        """Fill in the file and check it at once (the chooser, a double-clicked .dtienroll)."""
        self.path_edit.setText(str(path))
        self.check()

    def check(self) -> None:
        path = self.path_edit.text().strip()
        self._show_plan(None)
        self.check_button.setEnabled(False)

        def failed(error: Exception) -> None:
            self.check_button.setEnabled(True)
            if not isinstance(error, UserError) and self.ctx.runner.synchronous:
                raise error
            self._show_file_error(refusal_for(error, self.ctx.lang) if isinstance(error, UserError) else error_text(error))

        def checked(plan: ue.AcceptPlan) -> None:
            self.check_button.setEnabled(True)
            self._show_plan(plan)

        self.ctx.runner.op(self, lambda: ue.plan_accept(self.ws, path)).with_progress(
            tr(CTX, "Đang kiểm tra chữ ký của tệp…")).success(checked).failure(failed).run()

    def _show_file_error(self, text: str) -> None:
        self.file_error.setText(text)
        self.file_error.show()
        self.path_edit.setFocus()
        self._fit()

    def _show_plan(self, plan: ue.AcceptPlan | None) -> None:
        self.plan = plan
        self.file_error.hide()
        self.passphrase.clear_refusal()
        self.compare_box.setVisible(plan is not None)
        for label in self.labels.values():
            label.setVisible(plan is not None)
        self.plan_label.setVisible(plan is not None)
        can_accept = plan is not None and not plan.unchanged
        self.passphrase_row.setVisible(plan is not None)
        self.passphrase.setEnabled(can_accept)
        self.accept_button.setEnabled(can_accept)
        self.accept_button.setDefault(can_accept)
        self.close_button.setText(tr(CTX, "Đóng") if plan is not None and plan.unchanged else tr(CTX, "Hủy"))
        if plan is None:
            self.check_button.setDefault(True)
            return
        f = plan.file
        self.labels["unit"].setText(f"{f.unit_name} ({f.unit_code})")
        self.labels["group"].setText(f.group_title)
        self.labels["framework"].setText(f"{f.framework_title} ({f.framework_id})")
        self.labels["issuer"].setText(f.issuer_name)
        self.labels["validity"].setText(tr(CTX, "từ {a} đến {b}").format(a=f"{f.valid_from:%d/%m/%Y}",
                                                                          b=f"{f.valid_to:%d/%m/%Y}"))
        for key, grouped in (("certificate", f.certificate_fingerprint), ("root", f.root_fingerprint)):
            label = self.labels[key]
            label.setText(two_lines(grouped))
            label.setMinimumHeight(label.sizeHint().height())   # the form would give two lines the height of one
        self.plan_label.setText(self.plan_text(plan))
        colours = ("#fff3e0", "#ffb74d") if plan.new_folder else ("#e3f2fd", "#90caf9")
        self.plan_label.setStyleSheet(f"#plan {{ background: {colours[0]}; border: 1px solid {colours[1]}; "
                                      "padding: 8px; }")
        if can_accept:
            self.passphrase.setFocus()
        self._fit()

    def _fit(self) -> None:
        """Grow to show all that is there now (the comparison appears after the check, a refusal under its
        box): a dialog is first sized to at most 2/3 of the screen, 512 pixels high on a 1366×768 laptop."""
        self.layout().activate()
        hint = self.sizeHint()
        self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    def plan_text(self, plan: ue.AcceptPlan) -> str:
        f = plan.file
        unit = f"{f.unit_name} ({f.unit_code})"
        if plan.unchanged:
            return tr(CTX, "Máy này đã nhận tệp này từ trước: không có gì thay đổi.")
        if plan.new_folder:
            current = (tr(CTX, "đơn vị thực hành “{name}”") if plan.current_code == PRACTICE_CODE
                       else tr(CTX, "đơn vị “{name}” ({code}), chưa được cấp tài khoản")).format(
                name=plan.current_name, code=plan.current_code)
            return tr(CTX, "Máy này đang mở {current}. Đơn vị đó được giữ nguyên trong thư mục {old}; số liệu thực "
                           "hành không chuyển sang. Tài khoản của {unit} sẽ được cài vào thư mục dữ liệu mới {new}, "
                           "và từ nay phần mềm mở thư mục đó.").format(
                current=current, old=self.ws.data_dir, unit=unit, new=plan.target)
        if plan.enrolled:
            return tr(CTX, "Cấp lại tài khoản: chứng thư mới thay chứng thư cũ của {unit}; số liệu đã nhập được giữ "
                           "nguyên. Từ nay dùng mật khẩu của phiếu mới.").format(unit=unit)
        return tr(CTX, "Tài khoản được cài cho đơn vị đang mở, {unit}, trong thư mục này; số liệu và tài liệu đã nhập "
                       "được giữ nguyên.").format(unit=unit)

    # -- accepting --------------------------------------------------------------------------------------
    def accept_file(self) -> None:
        plan = self.plan
        if plan is None or plan.unchanged or not self.accept_button.isEnabled():
            return
        secret = self.passphrase.text()
        self.accept_button.setEnabled(False)

        def failed(error: Exception) -> None:
            self.accept_button.setEnabled(True)
            if not isinstance(error, UserError):
                if self.ctx.runner.synchronous:
                    raise error
                self._show_file_error(error_text(error))
                return
            if ue.refused_field(error) is not None:
                self.passphrase.show_refusal(refusal_for(error, self.ctx.lang))
                self._fit()
            else:
                self._show_file_error(refusal_for(error, self.ctx.lang))

        def done(outcome: ue.Accepted) -> None:
            self.outcome = outcome
            self.passphrase.clear()
            self.accept()

        self.ctx.runner.op(self, lambda: ue.accept_planned(self.ws, plan, secret)).with_progress(
            tr(CTX, "Đang kiểm tra mật khẩu và cài đặt tài khoản…")).success(done).failure(failed).run()

    def done(self, result: int) -> None:
        """Every way out forgets the typed passphrase."""
        self.passphrase.clear()
        super().done(result)
