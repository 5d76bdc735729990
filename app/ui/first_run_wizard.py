"""The first-run wizard: renders `app.services.first_run.FirstRunFlow`, page per step.

The flow decides and validates; this dialog only shows the step, collects the fields, and shows the
flow's refusals in Vietnamese under the page. Buttons carry our own Vietnamese texts (Qt ships no
Vietnamese translation for QWizard's or QDialogButtonBox's standard buttons).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.services import first_run as fr
from app.services.unit_enrollment import refused_field
from app.ui import settings as st
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.ops import error_text
from app.ui.passphrase_field import PassphraseField, refusal_for
from app.ui.text import tr

CTX = "FirstRun"
PathChooser = Callable[[QWidget], str]


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 16px; font-weight: bold;")
    label.setWordWrap(True)
    return label


def _banner_line(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _issuer_name(path: str) -> str:
    """Who issued the enrollment file, by name as its sheet prints it ("" when it cannot be read: the code
    the flow's preview carries is shown then)."""
    from app.services.unit_enrollment import summary

    try:
        return summary(Path(path)).issuer_name
    except (UserError, OSError, ValueError, KeyError):   # a name to show, never a reason to stop
        return ""


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #455a64;")
    return label


class FirstRunWizard(QDialog):
    def __init__(self, ctx: AppContext, data_dir: Path, file_chooser: PathChooser | None = None,
                 folder_chooser: PathChooser | None = None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.flow = fr.FirstRunFlow(Path(data_dir))
        self.result_data: fr.FirstRunResult | None = None
        self._issuer = ""    # the full name of whoever issued the enrollment file (the sheet's "Đơn vị cấp")
        self.file_chooser = file_chooser or self._choose_file
        self.folder_chooser = folder_chooser or self._choose_folder
        self.setWindowTitle(tr(CTX, "DTI — Bắt đầu sử dụng"))
        self.setWindowIcon(app_icon())
        self.resize(720, 520)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._banner())
        body = QWidget()
        outer.addWidget(body, 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 16)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.back_button = QPushButton(tr(CTX, "Quay lại"))
        self.cancel_button = QPushButton(tr(CTX, "Hủy"))
        self.next_button = QPushButton(tr(CTX, "Tiếp tục"))
        self.next_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self._back)
        self.cancel_button.clicked.connect(self.reject)
        self.next_button.clicked.connect(self._next)
        self.pages: dict[str, QWidget] = {
            "choose": self._choose_page(), "enroll_file": self._enroll_file_page(),
            "enroll_confirm": self._enroll_confirm_page(), "practice": self._practice_page(), "open": self._open_page()}
        for page in self.pages.values():
            self.stack.addWidget(page)
        self._show_step()

    # -- pages ------------------------------------------------------------------------------------------
    def _banner(self) -> QWidget:
        """The left band: who we are and the three steps, so the officer knows how long this takes."""
        banner = QWidget()
        banner.setObjectName("banner")
        banner.setFixedWidth(210)
        banner.setStyleSheet("#banner { background: #b71c1c; } #banner QLabel { color: white; }")
        column = QVBoxLayout(banner)
        column.setContentsMargins(18, 24, 14, 18)
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(56, 56))
        column.addWidget(icon)
        name = QLabel(tr(CTX, "Chỉ số chuyển đổi số"))
        name.setWordWrap(True)
        name.setStyleSheet("font-size: 17px; font-weight: bold;")
        column.addWidget(name)
        column.addWidget(_banner_line(tr(CTX, "Tự đánh giá, đính kèm tài liệu kiểm chứng và nộp hồ sơ — không cần mạng.")))
        column.addSpacing(18)
        self.step_labels = []
        for text in (tr(CTX, "1. Chọn cách bắt đầu"), tr(CTX, "2. Nhập thông tin"), tr(CTX, "3. Bắt đầu nhập số liệu")):
            label = _banner_line(text)
            self.step_labels.append(label)
            column.addWidget(label)
        column.addStretch(1)
        return banner

    def _choose_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(_title(tr(CTX, "Chào mừng đến với phần mềm tự đánh giá chỉ số chuyển đổi số (DTI)")))
        column.addWidget(_note(tr(CTX, "Máy này chưa có dữ liệu của đơn vị nào. Hãy chọn cách bắt đầu:")))
        self.choice_buttons = {}
        for choice, title, text in (
            (fr.ENROLL, tr(CTX, "Nhận tệp cấp tài khoản"),
             tr(CTX, "Dùng tệp do cơ quan tổng hợp gửi (kèm phiếu in có mật khẩu). Đơn vị được ký số và nộp hồ sơ.")),
            (fr.PRACTICE, tr(CTX, "Thực hành với bộ chỉ số có sẵn"),
             tr(CTX, "Nhập thử số liệu, đính kèm tài liệu và xem điểm; chưa ký, chưa nộp được.")),
            (fr.OPEN, tr(CTX, "Mở thư mục dữ liệu đã có"),
             tr(CTX, "Dùng dữ liệu chép từ máy khác hoặc từ USB.")),
        ):
            button = QCommandLinkButton(title, text)
            button.setObjectName(f"choice:{choice}")
            button.clicked.connect(lambda _checked=False, c=choice: self._choose(c))
            column.addWidget(button)
            self.choice_buttons[choice] = button
        column.addStretch(1)
        return page

    def _enroll_file_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(_title(tr(CTX, "Chọn tệp cấp tài khoản")))
        column.addWidget(_note(tr(CTX, "Tệp có đuôi .dtienroll do Sở Thông tin và Truyền thông hoặc UBND cấp huyện gửi. "
                                       "Phần mềm kiểm tra chữ ký của tệp trước khi hiển thị nội dung.")))
        row = QHBoxLayout()
        self.enroll_path = QLineEdit()
        self.enroll_path.setObjectName("enrollPath")
        self.enroll_path.setPlaceholderText(tr(CTX, "Đường dẫn tệp cấp tài khoản"))
        browse = QPushButton(tr(CTX, "Chọn tệp…"))
        browse.clicked.connect(lambda: self._fill(self.enroll_path, self.file_chooser(self)))
        row.addWidget(self.enroll_path, 1)
        row.addWidget(browse)
        column.addLayout(row)
        column.addStretch(1)
        return page

    def _enroll_confirm_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(_title(tr(CTX, "Đối chiếu với phiếu cấp tài khoản")))
        column.addWidget(_note(tr(CTX, "So sánh từng dòng dưới đây với phiếu in. Nếu vân tay chứng thư khác phiếu, "
                                       "đừng tiếp tục và báo cho cơ quan cấp.")))
        form = QFormLayout()
        self.preview_labels: dict[str, QLabel] = {}
        for key, caption in (("unit", tr(CTX, "Đơn vị")), ("group", tr(CTX, "Nhóm")),
                             ("framework", tr(CTX, "Bộ chỉ số")), ("parent", tr(CTX, "Đơn vị cấp")),
                             ("certificate", tr(CTX, "Vân tay chứng thư của đơn vị")),
                             ("root", tr(CTX, "Vân tay chứng thư gốc"))):
            label = QLabel()
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if key in ("certificate", "root"):   # two lines of 8 groups, as section 3 of the sheet prints them
                fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
                fixed.setBold(True)
                fixed.setPointSizeF(max(fixed.pointSizeF(), label.font().pointSizeF()))
                label.setFont(fixed)
                label.setFixedWidth(QFontMetrics(fixed).horizontalAdvance("0000 " * 8))
            form.addRow(caption + ":", label)
            self.preview_labels[key] = label
        self.fingerprint_hint = _note(tr(
            CTX, "Cách đối chiếu: mỗi dấu vân tay có 16 nhóm, mỗi nhóm 4 ký tự, in ở mục 3 của phiếu. So lần lượt "
                 "từng nhóm trên màn hình với nhóm cùng chỗ trên phiếu, đủ cả 16 nhóm của cả hai dòng, không chỉ "
                 "vài nhóm đầu hay cuối. Khác dù một ký tự: bấm Hủy và báo cho đơn vị cấp."))
        self.fingerprint_hint.setObjectName("fingerprintHint")
        self.fingerprint_hint.setStyleSheet("color: #37474f; background: #fff8e1; border: 1px solid #ffe082; "
                                            "padding: 6px;")
        form.addRow("", self.fingerprint_hint)
        column.addLayout(form)
        self.passphrase_field = PassphraseField(
            tr(CTX, "Mật khẩu ghi trên phiếu"),
            tr(CTX, "Gõ đúng từng ký tự như ở mục 2 của phiếu. Khoảng cách giữa các nhóm chỉ để dễ đọc: gõ liền "
                    "hoặc gõ cả dấu cách đều được."))
        self.passphrase = self.passphrase_field.edit
        form.addRow(tr(CTX, "Mật khẩu của đơn vị") + ":", self.passphrase_field)
        column.addStretch(1)
        return page

    def _practice_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(_title(tr(CTX, "Đơn vị thực hành")))
        column.addWidget(_note(tr(CTX, "Chọn bộ chỉ số và nhóm đơn vị. Khi nhận tệp cấp tài khoản, "
                                       "hãy dùng một thư mục dữ liệu mới.")))
        form = QFormLayout()
        self.framework_combo = QComboBox()
        self.framework_combo.setObjectName("framework")
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("group")
        self.unit_name = QLineEdit(fr.PRACTICE_NAME)
        self.unit_name.setObjectName("unitName")
        self.choices = fr.framework_choices(self.flow.data_dir)
        for choice in self.choices:
            self.framework_combo.addItem(f"{choice.title} ({choice.id})", choice.id)
        self.framework_combo.currentIndexChanged.connect(self._fill_groups)
        self._fill_groups()
        form.addRow(tr(CTX, "Bộ chỉ số") + ":", self.framework_combo)
        form.addRow(tr(CTX, "Nhóm đơn vị") + ":", self.group_combo)
        form.addRow(tr(CTX, "Tên đơn vị") + ":", self.unit_name)
        column.addLayout(form)
        column.addStretch(1)
        return page

    def _open_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(_title(tr(CTX, "Mở thư mục dữ liệu đã có")))
        column.addWidget(_note(tr(CTX, "Chọn thư mục chứa tệp dti.sqlite3 của đơn vị.")))
        row = QHBoxLayout()
        self.folder_path = QLineEdit()
        self.folder_path.setObjectName("folderPath")
        browse = QPushButton(tr(CTX, "Chọn thư mục…"))
        browse.clicked.connect(lambda: self._fill(self.folder_path, self.folder_chooser(self)))
        row.addWidget(self.folder_path, 1)
        row.addWidget(browse)
        column.addLayout(row)
        column.addStretch(1)
        return page

    # -- flow -------------------------------------------------------------------------------------------
    def _fill_groups(self) -> None:
        self.group_combo.clear()
        choice = next((c for c in self.choices if c.id == self.framework_combo.currentData()), None)
        for group in choice.groups if choice else ():
            self.group_combo.addItem(group.title, group.code)
        index = self.group_combo.findData(fr.PRACTICE_GROUP)
        if index >= 0:
            self.group_combo.setCurrentIndex(index)

    def _fill(self, edit: QLineEdit, path: str) -> None:
        if path:
            edit.setText(path)

    def _show_step(self) -> None:
        step = self.flow.step
        self.stack.setCurrentWidget(self.pages.get(step, self.pages["choose"]))
        self.error.hide()
        current = 0 if step == "choose" else 1
        for i, label in enumerate(self.step_labels):
            label.setStyleSheet("font-weight: bold;" if i == current else "color: #ffcdd2;")
        self.back_button.setVisible(step != "choose")
        self.next_button.setVisible(step != "choose")
        self.next_button.setText({"enroll_file": tr(CTX, "Kiểm tra tệp"), "enroll_confirm": tr(CTX, "Nhận tài khoản"),
                                  "practice": tr(CTX, "Bắt đầu"), "open": tr(CTX, "Mở")}.get(step, tr(CTX, "Tiếp tục")))
        if step == "enroll_confirm" and self.flow.preview is not None:
            p = self.flow.preview
            self.preview_labels["unit"].setText(f"{p.unit_name} ({p.unit_code})")
            self.preview_labels["group"].setText(p.group_title)
            self.preview_labels["framework"].setText(f"{p.framework_title} ({p.framework_id})")
            issuer = f"{self._issuer} ({p.parent})" if self._issuer and p.parent else self._issuer or p.parent
            self.preview_labels["parent"].setText(issuer or "—")
            self.preview_labels["certificate"].setText(p.certificate_fingerprint)
            self.preview_labels["root"].setText(p.root_fingerprint)
            self.passphrase.setFocus()

    def _choose(self, choice: str) -> None:
        self.flow.choose(choice)
        self._show_step()

    def _back(self) -> None:
        self.flow.back()
        self._show_step()

    def _refuse(self, error: Exception) -> None:
        if not isinstance(error, UserError):
            raise error
        if self.flow.step == "enroll_confirm" and refused_field(error) is not None:   # under the passphrase box
            self.error.hide()
            self.passphrase_field.show_refusal(refusal_for(error, self.ctx.lang))
            return
        self.error.setText(error_text(error))
        self.error.show()

    def _next(self) -> None:
        step = self.flow.step
        runner = self.ctx.runner
        if step == "enroll_file":
            path = self.enroll_path.text().strip()

            def check() -> None:
                self.flow.submit_enrollment_file(path)
                self._issuer = _issuer_name(path)

            runner.op(self, check).success(lambda _none: self._remember_folder(path)).failure(self._refuse).run()
        elif step == "enroll_confirm":
            secret = self.passphrase.text()
            if not secret:
                self.passphrase_field.show_refusal(tr(CTX, "Hãy nhập mật khẩu in ở mục 2 của phiếu cấp tài khoản."))
                return
            runner.op(self, lambda: self.flow.submit_passphrase(secret)).with_progress(
                tr(CTX, "Đang cài đặt tài khoản…")).success(self._finish).failure(self._refuse).run()
        elif step == "practice":
            fid, group, name = self.framework_combo.currentData(), self.group_combo.currentData(), self.unit_name.text()
            runner.op(self, lambda: self.flow.submit_practice(fid or "", group or "", name)).success(
                self._finish).failure(self._refuse).run()
        elif step == "open":
            folder = self.folder_path.text().strip()
            runner.op(self, lambda: self.flow.submit_folder(folder)).success(self._finish).failure(self._refuse).run()

    def _remember_folder(self, path: str) -> None:
        self.ctx.settings.set(st.LAST_ENROLLMENT_FOLDER, str(Path(path).parent))
        self._show_step()

    def _finish(self, result: fr.FirstRunResult) -> None:
        self.result_data = result
        if result.how == fr.OPEN:
            self.ctx.settings.set(st.DATA_DIR, str(result.data_dir))
        self.accept()

    def _choose_file(self, parent: QWidget) -> str:
        name, _ = QFileDialog.getOpenFileName(parent, tr(CTX, "Chọn tệp cấp tài khoản"),
                                              self.ctx.settings.get(st.LAST_ENROLLMENT_FOLDER),
                                              tr(CTX, "Tệp cấp tài khoản (*.dtienroll *.dtipkg);;Mọi tệp (*)"))
        return name

    def _choose_folder(self, parent: QWidget) -> str:
        return QFileDialog.getExistingDirectory(parent, tr(CTX, "Chọn thư mục dữ liệu"))
