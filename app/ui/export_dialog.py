"""Tệp → Xuất gói nộp…: first what is still missing (values, evidence, general information) with its list
and "Vẫn xuất", then the passphrase, destination (removable drives first), optional split for e-mail, the
export with progress, then the read-back verification, the package fingerprint and whom to hand it to.

The export runs on the database worker through the ops runner. Cancel is honoured only until the worker
starts writing: a package half written would be worse than a finished one the officer can delete, and the
writer is atomic anyway (a temporary file renamed at the end).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QMetaMethod, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.scoring.numbers import format_points
from app.services import package_crypto
from app.services.rounds import asked_token_signature
from app.services.unit_enrollment import refused_field
from app.services.workspace import Workspace
from app.ui import export_flow as ef
from app.ui import settings as st
from app.ui.check_panel import CheckPanel
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.ops import error_text, ui_lang
from app.ui.passphrase_field import PassphraseField, refusal_for
from app.ui.text import tr

CTX = "Export"
FolderChooser = Callable[[QWidget, str], str]
DEFAULT_SPLIT_MB = 20


def size_text(size: int, lang: str = "vi") -> str:
    if size < 1024 * 1024:
        return tr(CTX, "{n} KB").format(n=format_points(Decimal(max(1, round(size / 1024))), lang))
    mb = (Decimal(size) / (1024 * 1024)).quantize(Decimal("0.1"))
    return tr(CTX, "{n} MB").format(n=format_points(mb, lang).removesuffix(",00"))


def kind_text(kind: str) -> str:
    return {"missing_value": tr(CTX, "chỉ tiêu chưa nhập"), "missing_info": tr(CTX, "thông tin chung chưa nhập"),
            "evidence_missing": tr(CTX, "thiếu tài liệu kiểm chứng"), "evidence_problem": tr(CTX, "tài liệu có vấn đề"),
            "invalid_value": tr(CTX, "giá trị không hợp lệ"), "over_denominator": tr(CTX, "vượt mẫu số"),
            "pending": tr(CTX, "chờ thẩm định")}.get(kind, kind)


def _choose_folder(parent: QWidget, start: str) -> str:
    return QFileDialog.getExistingDirectory(parent, tr(CTX, "Chọn thư mục lưu gói nộp"), start)


class _Started(QObject):
    """Crosses from the worker to the GUI thread: the writing has begun, cancel no longer applies."""

    started = Signal()


class ExportDialog(QDialog):
    jump_requested = Signal(str)     # a line of the list of what is missing: go to that indicator

    def __init__(self, ctx: AppContext, ws: Workspace, parent: QWidget | None = None,
                 folder_chooser: FolderChooser | None = None,
                 drives: Callable[[], list[Path]] = ef.removable_drives,
                 clock: Callable[[], datetime] = datetime.now):
        super().__init__(parent)
        self.ctx, self.ws, self.clock = ctx, ws, clock
        self.choose_folder = folder_chooser or _choose_folder
        self.target = ef.export_target(ws)
        self.readiness = ef.readiness(ws)
        self.outcome: ef.ExportOutcome | None = None
        self._cancel = threading.Event()
        self._running = False
        self._bridge = _Started(self)
        self._bridge.started.connect(self._writing_started, Qt.ConnectionType.QueuedConnection)
        self.setWindowTitle(tr(CTX, "Xuất gói nộp"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(620)
        self._build(drives)
        jump = getattr(parent, "jump_to", None)   # the unit's main window: a line of the list goes there
        if callable(jump):
            self.jump_requested.connect(jump)

    # -- construction -----------------------------------------------------------------------------------
    def _build(self, drives: Callable[[], list[Path]]) -> None:
        layout = QVBoxLayout(self)
        heading = QLabel(tr(CTX, "Gói nộp của {name} ({code}), năm {year}").format(
            name=self.target.unit_name, code=self.target.unit_code, year=self.target.year))
        heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        intro = QLabel(tr(CTX, "Mỗi lần xuất là một lần nộp mới, có chữ ký số của đơn vị. Số liệu hoặc tài liệu "
                               "còn thiếu không chặn việc xuất: chúng được ghi thành cảnh báo trong gói."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #455a64;")
        layout.addWidget(intro)

        self.practice_note = QLabel(tr(
            CTX, "Đơn vị này đang ở chế độ luyện tập, chưa được cấp tài khoản nên chưa ký được gói nộp. "
                 "Để xuất gói cần tệp cấp tài khoản (.dtienroll) và mật khẩu do cơ quan cấp trên gửi; khi có, "
                 "hãy vào Tệp → Nhận tệp cấp tài khoản…"))
        self.practice_note.setObjectName("practiceNote")
        self.practice_note.setWordWrap(True)
        self.practice_note.setStyleSheet("background: #fff3e0; border: 1px solid #ffb74d; padding: 8px;")
        layout.addWidget(self.practice_note)
        self._build_review(layout)

        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        # the same box as everywhere a passphrase is asked: "Hiện mật khẩu", the refusal right under it
        self.passphrase_field = PassphraseField(tr(CTX, "mật khẩu ghi trên phiếu cấp tài khoản"))
        self.passphrase = self.passphrase_field.edit
        self.passphrase_field.returnPressed.connect(self.start)
        form.addRow(tr(CTX, "Mật khẩu ký:"), self.passphrase_field)
        row = QHBoxLayout()
        self.destination = QComboBox()
        self.destination.setObjectName("destination")
        self.destination.setMinimumContentsLength(36)
        row.addWidget(self.destination, 1)
        browse = QPushButton(tr(CTX, "Chọn thư mục…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row.addWidget(browse)
        form.addRow(tr(CTX, "Lưu vào:"), row)
        split_row = QHBoxLayout()
        self.split = QCheckBox(tr(CTX, "Chia thành nhiều tệp để gửi e-mail, mỗi tệp tối đa"))
        self.split.setObjectName("split")
        self.split_mb = QSpinBox()
        self.split_mb.setRange(1, 2000)
        self.split_mb.setValue(DEFAULT_SPLIT_MB)
        self.split_mb.setSuffix(" MB")
        self.split_mb.setEnabled(False)
        self.split.toggled.connect(self.split_mb.setEnabled)
        split_row.addWidget(self.split)
        split_row.addWidget(self.split_mb)
        split_row.addStretch(1)
        form.addRow("", split_row)
        # encrypted for the authority that enrolled the unit: ticked when the setting encrypt-packages says so
        self.encrypt = QCheckBox(tr(CTX, "Mã hoá gói cho cơ quan nhận"))
        self.encrypt.setObjectName("encrypt")
        self.encrypt.setToolTip(tr(CTX, "Chỉ cơ quan đã cấp tài khoản cho đơn vị mở được gói; ai nhặt được USB "
                                        "cũng không đọc được nội dung."))
        self.encrypt.setChecked(self.target.enrolled and package_crypto.default_on(self.ws))
        form.addRow("", self.encrypt)
        self._build_token(form)
        layout.addWidget(self.form_box)
        self._fill_destinations(drives)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()
        layout.addWidget(self.status)
        self.result_label = QLabel()
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setStyleSheet("#result { background: #f1f8e9; border: 1px solid #aed581; padding: 10px; }")
        self.result_label.hide()
        layout.addWidget(self.result_label)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        self.list_button = QPushButton(tr(CTX, "Xem danh sách"))
        self.list_button.setObjectName("listButton")
        self.list_button.setAutoDefault(False)
        self.list_button.clicked.connect(self._toggle_list)
        buttons.addWidget(self.list_button)
        buttons.addStretch(1)
        self.go_on_button = QPushButton(tr(CTX, "Vẫn xuất"))
        self.go_on_button.setObjectName("goOnButton")
        self.go_on_button.clicked.connect(self.go_on)
        buttons.addWidget(self.go_on_button)
        self.export_button = QPushButton(tr(CTX, "Xuất gói"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(tr(CTX, "Hủy"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)

        enrolled = self.target.enrolled
        self.practice_note.setVisible(not enrolled)
        self.form_box.setEnabled(enrolled)
        self.export_button.setEnabled(enrolled)
        if not enrolled:
            self.cancel_button.setText(tr(CTX, "Đóng"))
        # Before signing, what is missing: the passphrase is asked once the officer chose to go on
        reviewing = enrolled and not self.readiness.complete
        self.review_box.setVisible(enrolled)
        self.list_button.setVisible(reviewing)
        self.go_on_button.setVisible(reviewing)
        self.form_box.setVisible(not reviewing)
        self.export_button.setVisible(not reviewing)
        (self.go_on_button if reviewing else self.export_button).setDefault(True)
        if enrolled:
            self._detect_tokens()

    def _build_token(self, form: QFormLayout) -> None:
        """Signing with the official's USB token as well (issue 19): hidden until a token with a signing certificate
        is found; the PIN asked in the dialog, masked, kept only for the export."""
        self.token_choices: list[ef.TokenChoice] = []
        self.form = form
        self.token_row = QWidget()
        row = QHBoxLayout(self.token_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.token_check = QCheckBox(tr(CTX, "Ký bằng token (chữ ký số của thủ trưởng)"))
        self.token_check.setObjectName("token")
        self.token_check.setToolTip(tr(CTX, "Gói nộp và báo cáo tự đánh giá được ký thêm bằng chứng thư số trên token "
                                            "của thủ trưởng, bên cạnh chữ ký của đơn vị."))
        self.token_check.toggled.connect(self._token_toggled)
        row.addWidget(self.token_check)
        self.token_holder = QLabel()
        self.token_holder.setObjectName("tokenHolder")
        self.token_holder.setStyleSheet("font-weight: bold;")
        row.addWidget(self.token_holder)
        self.token_cert = QComboBox()
        self.token_cert.setObjectName("tokenCert")
        self.token_cert.hide()
        row.addWidget(self.token_cert, 1)
        row.addStretch(1)
        form.addRow("", self.token_row)
        self.token_pin = QLineEdit()
        self.token_pin.setObjectName("tokenPin")
        self.token_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_pin.setPlaceholderText(tr(CTX, "mã PIN của token, không được lưu lại"))
        self.token_pin.setMaxLength(64)
        self.token_pin.returnPressed.connect(self.start)
        form.addRow(tr(CTX, "Mã PIN của token:"), self.token_pin)
        form.setRowVisible(self.token_row, False)
        form.setRowVisible(self.token_pin, False)
        # the round file said the authority requires a token signature (rounds.asked_token_signature): the option is
        # ticked once a token is found; until then (or without one) a note says so
        self.token_asked = self.target.enrolled and asked_token_signature(self.ws)
        self.token_note = QLabel(tr(CTX, "Đợt này yêu cầu ký bằng token, nhưng chưa thấy token nào cắm vào máy."))
        self.token_note.setObjectName("tokenAskNote")
        self.token_note.setWordWrap(True)
        self.token_note.setStyleSheet("color: #b71c1c;")
        form.addRow("", self.token_note)
        form.setRowVisible(self.token_note, self.token_asked)

    def _detect_tokens(self) -> None:
        """Off the GUI thread: the dialog is usable at once, the option appears when (if) a token answers."""
        self.ctx.runner.op(self, lambda: ef.token_choices(self.ws)).success(self._tokens_found).failure(
            lambda _error: None).run()

    def _tokens_found(self, choices: list[ef.TokenChoice]) -> None:
        self.token_choices = list(choices)
        if not choices or self.outcome is not None:
            return
        for choice in choices:
            shown = f"{choice.holder} ({choice.organisation})" if choice.organisation else choice.holder
            self.token_cert.addItem(tr(CTX, "{holder} — token {label}").format(holder=shown, label=choice.label))
        single = len(choices) == 1
        self.token_holder.setText(choices[0].holder if single else "")
        self.token_holder.setVisible(single)
        self.token_cert.setVisible(not single)
        self.form.setRowVisible(self.token_row, True)
        if self.token_asked:
            self.form.setRowVisible(self.token_note, False)
            self.token_check.setChecked(True)
        self.adjustSize()

    def _token_toggled(self, on: bool) -> None:
        self.form.setRowVisible(self.token_pin, on)
        if not on:
            self.token_pin.clear()
        elif self.passphrase.text():
            self.token_pin.setFocus()

    def chosen_token(self) -> ef.TokenChoice | None:
        if not self.token_check.isChecked() or not self.token_choices:
            return None
        return self.token_choices[max(0, self.token_cert.currentIndex())]

    def _build_review(self, layout: QVBoxLayout) -> None:
        self.review_box = QFrame()
        self.review_box.setObjectName("review")
        column = QVBoxLayout(self.review_box)
        column.setContentsMargins(10, 8, 10, 8)
        self.review_text = QLabel(self.review_html())
        self.review_text.setObjectName("reviewText")
        self.review_text.setWordWrap(True)
        self.review_text.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.review_text)
        self.findings_list = CheckPanel(lang=self.ctx.lang)
        self.findings_list.setObjectName("findingsList")
        self.findings_list.set_findings(list(self.readiness.findings))
        self.findings_list.setMinimumHeight(180)
        self.findings_list.jump_requested.connect(self._jump)
        self.findings_list.hide()
        column.addWidget(self.findings_list)
        colors = ("#f1f8e9", "#aed581") if self.readiness.complete else ("#fff8e1", "#ffca28")
        self.review_box.setStyleSheet(f"#review {{ background: {colors[0]}; border: 1px solid {colors[1]}; }}")
        layout.addWidget(self.review_box)

    def review_html(self) -> str:
        r = self.readiness
        if r.complete:
            return tr(CTX, "Không còn thiếu số liệu, tài liệu kiểm chứng hay thông tin chung nào.")
        lines = [text.format(n=n) for n, text in (
            (r.missing_values, tr(CTX, "{n} chỉ tiêu chưa nhập số liệu (tính 0 điểm)")),
            (r.missing_evidence, tr(CTX, "{n} chỉ tiêu thiếu tài liệu kiểm chứng bắt buộc và chưa có giải trình")),
            (r.missing_info, tr(CTX, "{n} mục thông tin chung chưa nhập")),
            (r.to_review, tr(CTX, "{n} mục cần xem lại (số liệu chưa tính được điểm, tài liệu có vấn đề)"))) if n]
        return ("<b>" + tr(CTX, "Trước khi ký, hồ sơ còn thiếu:") + "</b><br>"
                + "<br>".join(f"&nbsp;&nbsp;• {line}" for line in lines) + "<br>"
                + tr(CTX, "Có thể bổ sung trước rồi xuất, hoặc vẫn xuất ngay: phần còn thiếu được ghi thành cảnh báo "
                          "trong gói, và lần xuất sau sẽ thay lần này."))

    def _toggle_list(self) -> None:
        shown = not self.findings_list.isVisible()
        self.findings_list.setVisible(shown)
        self.list_button.setText(tr(CTX, "Ẩn danh sách") if shown else tr(CTX, "Xem danh sách"))
        if shown:
            self.findings_list.view.setFocus()
        self.adjustSize()

    def _jump(self, code: str) -> None:
        """To the indicator of a line, with the dialog out of the way (only where someone can take it there)."""
        if self._running or not self.isSignalConnected(QMetaMethod.fromSignal(self.jump_requested)):
            return
        self.jump_requested.emit(code)
        self.reject()

    def go_on(self) -> None:
        """"Vẫn xuất": the officer has seen what is missing; now the passphrase."""
        self.go_on_button.hide()
        self.list_button.hide()
        self.findings_list.hide()
        self.form_box.show()
        self.export_button.show()
        self.export_button.setDefault(True)
        self.passphrase.setFocus()
        self.adjustSize()

    def _fill_destinations(self, drives: Callable[[], list[Path]]) -> None:
        try:
            found = drives()
        except OSError:
            found = []
        for drive in found:
            self.destination.addItem(tr(CTX, "Ổ đĩa rời (USB): {path}").format(path=drive), str(drive))
        last = self.ctx.settings.get(st.LAST_EXPORT_FOLDER)
        if last and Path(last).is_dir():
            self.destination.addItem(tr(CTX, "Thư mục lần trước: {path}").format(path=last), last)
        documents = str(ef.documents_folder())
        if documents != last:
            self.destination.addItem(tr(CTX, "Thư mục Tài liệu: {path}").format(path=documents), documents)
        self.destination.setCurrentIndex(0)

    def _browse(self) -> None:
        chosen = self.choose_folder(self, self.destination.currentData() or "")
        if not chosen:
            return
        index = self.destination.findData(chosen)
        if index < 0:
            self.destination.addItem(chosen, chosen)
            index = self.destination.count() - 1
        self.destination.setCurrentIndex(index)

    # -- running ----------------------------------------------------------------------------------------
    def out_path(self) -> Path:
        return Path(self.destination.currentData()) / ef.package_name(self.target, self.clock())

    def start(self) -> None:
        if self._running or not self.target.enrolled:
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.passphrase_field.show_refusal(tr(CTX, "Hãy nhập mật khẩu ký."))
            self.passphrase.setFocus()
            return
        token = self.chosen_token()
        pin = self.token_pin.text() if token is not None else ""
        if token is not None and not pin:
            self._show_status(tr(CTX, "Hãy nhập mã PIN của token."), error=True)
            self.token_pin.setFocus()
            return
        folder = self.destination.currentData()
        if not folder or not Path(folder).is_dir():
            self._show_status(tr(CTX, "Thư mục lưu không còn tồn tại; hãy chọn thư mục khác."), error=True)
            return
        out = self.out_path()
        split = self.split_mb.value() if self.split.isChecked() else None
        encrypt = self.encrypt.isChecked()
        self._cancel.clear()
        self._running = True
        self.form_box.setEnabled(False)
        self.export_button.setEnabled(False)
        self.result_label.hide()
        self.progress.show()
        self._show_status(tr(CTX, "Đang chờ để bắt đầu…"))

        def may_start() -> bool:
            if self._cancel.is_set():
                return False
            self._bridge.started.emit()
            return True

        self.ctx.runner.op(self, lambda: ef.export_and_verify(self.ws, out, passphrase, split, may_start, encrypt,
                                                              token, pin)).success(
            self._done).failure(self._failed).run()

    def _writing_started(self) -> None:
        if self._running:
            self._show_status(tr(CTX, "Đang ký và ghi gói, rồi đọc lại để kiểm tra… Việc ghi không dừng giữa chừng "
                                      "được; gói chỉ xuất hiện khi đã ghi xong."))
            self.cancel_button.setEnabled(False)

    def _cancel_clicked(self) -> None:
        if self._running:
            self._cancel.set()
            self._show_status(tr(CTX, "Đang hủy…"))
            return
        self.reject() if self.outcome is None else self.accept()

    def _finish(self) -> None:
        self._running = False
        self.progress.hide()
        self.cancel_button.setEnabled(True)

    def _failed(self, error: Exception) -> None:
        self._finish()
        self.form_box.setEnabled(True)
        self.export_button.setEnabled(True)
        if isinstance(error, ef.Cancelled):
            self._show_status(tr(CTX, "Đã hủy, chưa ghi gì."))
            return
        if not isinstance(error, UserError) and self.ctx.runner.synchronous:
            raise error
        if isinstance(error, UserError) and refused_field(error):   # a wrong passphrase: said under its box
            self.passphrase_field.show_refusal(refusal_for(error, self.ctx.lang))
            self._show_status(tr(CTX, "Chưa xuất được. Chưa ghi tệp nào."), error=True)
        else:
            self._show_status(tr(CTX, "Chưa xuất được: {reason}. Chưa ghi tệp nào.").format(reason=error_text(error)),
                              error=True)
            if self.chosen_token() is not None:   # a token refusal (wrong PIN, removed, locked): the PIN again
                self.token_pin.selectAll()
                self.token_pin.setFocus()
                return
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _done(self, outcome: ef.ExportOutcome) -> None:
        self._finish()
        self.outcome = outcome
        if not outcome.verified:
            self.result_label.setStyleSheet("#result { background: #ffebee; border: 1px solid #e57373; padding: 10px; }")
        self.ctx.settings.set(st.LAST_EXPORT_FOLDER, str(outcome.files[0][0].parent))
        self.passphrase_field.clear()
        self.token_pin.clear()
        self.form_box.hide()
        self.review_box.hide()
        self.list_button.hide()
        self.go_on_button.hide()
        self.status.hide()
        self.result_label.setText(self.result_html(outcome))
        self.result_label.show()
        self.export_button.hide()
        self.cancel_button.setText(tr(CTX, "Đóng"))
        self.cancel_button.setDefault(True)
        self.cancel_button.setFocus()

    def result_html(self, outcome: ef.ExportOutcome) -> str:
        lang = self.ctx.lang
        para = "<p style='margin: 0 0 8px 0'>{}</p>".format
        done = tr(CTX, "Đã xuất gói nộp lần {revision}.").format(revision=outcome.result.revision)
        parts = [para(f"<b style='font-size: 14px'>{done}</b>")]
        files = "<br>".join(f"&nbsp;&nbsp;• <b>{path.name}</b> ({size_text(size, lang)})" for path, size in outcome.files)
        parts.append(para(tr(CTX, "Tệp đã ghi vào {folder}:").format(folder=outcome.files[0][0].parent) + "<br>" + files))
        if outcome.verified and outcome.result.encrypted_for:
            parts.append(para("<span style='color:#1b5e20'>✔ " + tr(
                CTX, "Đã kiểm tra chữ ký của {signer} trước khi mã hoá; gói được mã hoá cho {authority}, chỉ cơ quan "
                     "này mở được.").format(signer=outcome.signer_name, authority=outcome.result.encrypted_for)
                + "</span>"))
        elif outcome.verified:
            parts.append(para("<span style='color:#1b5e20'>✔ " + tr(
                CTX, "Đọc lại và kiểm tra: hợp lệ — chữ ký của {signer}, {n} mục khớp với danh mục.").format(
                signer=outcome.signer_name, n=outcome.entries) + "</span>"))
        else:
            parts.append(para("<span style='color:#b71c1c'><b>✘ " + tr(
                CTX, "Đọc lại và kiểm tra: KHÔNG hợp lệ — {reason}. Đừng nộp gói này; hãy xuất lại.").format(
                reason=outcome.verify_message(ui_lang())) + "</b></span>"))
        if outcome.token_signer:
            parts.append(para("<span style='color:#1b5e20'>✔ " + tr(
                CTX, "Gói nộp và báo cáo tự đánh giá trong gói đã được ký bằng token của {holder} (chữ ký số thứ hai, "
                     "bên cạnh chữ ký của đơn vị).").format(holder=outcome.token_signer) + "</span>"))
        if outcome.kinds:
            counts = ", ".join(f"{n} {kind_text(k)}" for k, n in sorted(outcome.kinds.items(), key=lambda kv: -kv[1]))
            parts.append(para(tr(CTX, "Cảnh báo ghi trong gói: {parts}.").format(parts=counts)))
        else:
            parts.append(para(tr(CTX, "Không có cảnh báo.")))
        parts.append(para(tr(CTX, "Dấu vân tay của gói:") +
                          f"<br><span style='font-family: monospace; font-size: 13px'>{outcome.fingerprint}</span>"))
        receiver = self.target.issuer_name or tr(CTX, "cơ quan đã cấp tài khoản cho đơn vị")
        parts.append(para("<b>" + tr(CTX, "Nộp tệp .dtipkg cho {receiver}; giữ lại bản sao.").format(receiver=receiver)
                          + "</b> " + tr(CTX, "Khi nhận, cơ quan thẩm định đối chiếu được dấu vân tay ở trên.")))
        return "".join(parts)

    def _show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b71c1c; font-weight: bold;" if error else "color: #37474f;")
        self.status.show()

    def reject(self) -> None:
        if self._running:   # Esc while the worker writes: the dialog must stay to report the outcome
            self._cancel_clicked()
            return
        super().reject()
