"""Enrollment management (quản lý cấp tài khoản): issue the enrollment file and sheet for one unit, or enroll a
unit list all at once or not at all (`dti enroll issue --from`, app.services.enrollment_batch); the units
enrolled here with their certificates, revoke a unit with a reason and hand out the revocation list (CRL).
Every signing asks the machine's passphrase, never stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.enrollment_view import EnrollmentDesk, EnrollmentRow, IssueOutcome
from app.services.first_run import FrameworkChoice
from app.ui.aggregator.dashboard import sorted_table, table
from app.ui.aggregator.models import KEY_ROLE, LATE_FG, RowsModel
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "AggregatorEnrollment"
E_CODE, E_NAME, E_GROUP, E_ISSUES, E_ISSUED, E_VALID, E_FINGERPRINT, E_STATE = range(8)
O_LINE, O_CODE, O_NAME, O_RESULT, O_PASSPHRASE = range(5)


def _local_date(moment) -> str:
    return moment.astimezone().strftime("%d/%m/%Y") if moment is not None else ""


def _grouped(fingerprint: str, groups: int = 4) -> str:
    text = fingerprint.upper()
    return " ".join(text[i:i + 4] for i in range(0, groups * 4, 4)) + " …"


class EnrollmentModel(RowsModel):
    """The units this installation enrolled, with their certificate and whether it was revoked."""

    def headers(self) -> tuple[str, ...]:
        return (tr(CTX, "Mã"), tr(CTX, "Đơn vị"), tr(CTX, "Nhóm"), tr(CTX, "Cấp tiếp"), tr(CTX, "Ngày cấp"),
                tr(CTX, "Hiệu lực đến"), tr(CTX, "Vân tay chứng thư"), tr(CTX, "Trạng thái"))

    def key(self, item: EnrollmentRow) -> str:
        return item.unit_code

    def text(self, e: EnrollmentRow, column: int) -> str:
        if column == E_CODE:
            return e.unit_code
        if column == E_NAME:
            return e.unit_name
        if column == E_GROUP:
            return e.group_title
        if column == E_ISSUES:
            return tr(CTX, "có") if e.can_issue else ""
        if column == E_ISSUED:
            return _local_date(e.issued_at)
        if column == E_VALID:
            return _local_date(e.valid_until)
        if column == E_FINGERPRINT:
            return _grouped(e.fingerprint)
        if column == E_STATE:
            return (tr(CTX, "đã thu hồi ngày {day}").format(day=_local_date(e.revoked_at)) if e.revoked_at
                    else tr(CTX, "đang hiệu lực"))
        return ""

    def sort_key(self, e: EnrollmentRow, column: int) -> Any:
        if column == E_ISSUED:
            return e.issued_at.isoformat()
        if column == E_VALID:
            return e.valid_until.isoformat() if e.valid_until else ""
        return self.text(e, column)

    def extra(self, e: EnrollmentRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and e.revoked_at is not None:
            return QBrush(LATE_FG)
        if role == Qt.ItemDataRole.ToolTipRole and column == E_FINGERPRINT:
            return e.fingerprint.upper()
        return None


class IssueOutcomeModel(RowsModel):
    """What happened to each unit asked for: the file written (and its passphrase), or why it was refused."""

    def headers(self) -> tuple[str, ...]:
        return (tr(CTX, "Dòng"), tr(CTX, "Mã"), tr(CTX, "Đơn vị"), tr(CTX, "Kết quả"), tr(CTX, "Mật khẩu của đơn vị"))

    def numeric_columns(self) -> tuple[int, ...]:
        return (O_LINE,)

    def key(self, item: IssueOutcome) -> str:
        return item.unit_code

    def text(self, o: IssueOutcome, column: int) -> str:
        if column == O_LINE:
            return "" if o.line is None else str(o.line)
        if column == O_CODE:
            return o.unit_code
        if column == O_NAME:
            return o.unit_name
        if column == O_RESULT:
            if o.ok:
                return tr(CTX, "đã cấp: {file}").format(file=o.out.name if o.out else "")
            return tr(CTX, "không cấp: {reason}").format(reason=o.reason(self.lang))
        if column == O_PASSPHRASE:
            return o.passphrase
        return ""

    def sort_key(self, o: IssueOutcome, column: int) -> Any:
        if column == O_LINE:
            return o.line or 0
        return self.text(o, column)

    def extra(self, o: IssueOutcome, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not o.ok:
            return QBrush(LATE_FG)
        if role == Qt.ItemDataRole.ToolTipRole and column == O_RESULT:
            return str(o.out) if o.ok else o.reason(self.lang)
        return None


class EnrollmentPage(QWidget):
    changed = Signal()

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.lang = window.ctx.lang
        self.desk: EnrollmentDesk | None = None
        column = QVBoxLayout(self)
        self.note = QLabel()
        self.note.setObjectName("enrollmentNote")
        self.note.setWordWrap(True)
        column.addWidget(self.note)

        top = QHBoxLayout()
        box = QGroupBox(tr(CTX, "Cấp tài khoản cho một đơn vị"))
        form = QFormLayout(box)
        self.framework_combo = QComboBox()
        self.framework_combo.setObjectName("enrollFramework")
        self.framework_combo.currentIndexChanged.connect(self._fill_groups)
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("enrollCode")
        self.code_edit.setPlaceholderText(tr(CTX, "ví dụ X-TL08"))
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("enrollName")
        self.name_edit.setPlaceholderText(tr(CTX, "ví dụ UBND xã Minh Phượng"))
        self.group_combo = QComboBox()
        self.group_combo.setObjectName("enrollGroup")
        self.can_issue_box = QCheckBox(tr(CTX, "Cấp huyện: được cấp tài khoản tiếp cho các xã"))
        self.can_issue_box.setObjectName("enrollCanIssue")
        form.addRow(tr(CTX, "Bộ chỉ số:"), self.framework_combo)
        form.addRow(tr(CTX, "Mã đơn vị:"), self.code_edit)
        form.addRow(tr(CTX, "Tên đơn vị:"), self.name_edit)
        form.addRow(tr(CTX, "Nhóm:"), self.group_combo)
        form.addRow("", self.can_issue_box)
        self.issue_button = QPushButton(tr(CTX, "Cấp tài khoản…"))
        self.issue_button.setObjectName("enrollIssue")
        self.issue_button.clicked.connect(self.issue_one)
        self.name_edit.returnPressed.connect(self.issue_one)
        form.addRow("", self.issue_button)
        top.addWidget(box, 3)

        side = QGroupBox(tr(CTX, "Cấp theo danh sách và thu hồi"))
        side_col = QVBoxLayout(side)
        hint = QLabel(tr(CTX, "Danh sách .xlsx hoặc .csv (UTF-8), dòng tiêu đề: mã, tên, nhóm, cấp trên, tiền thân, "
                              "cấp tiếp (hoặc code, name, group, parent, predecessors, may_enroll_others). Cấp cho tất "
                              "cả đơn vị hoặc không đơn vị nào: dòng sai được nêu rõ lý do; phiếu in của mọi đơn vị "
                              "trong một tệp PDF."))
        hint.setWordWrap(True)
        side_col.addWidget(hint)
        self.import_button = QPushButton(tr(CTX, "Nhập danh sách đơn vị…"))
        self.import_button.setObjectName("enrollImportList")
        self.import_button.clicked.connect(self.import_list)
        side_col.addWidget(self.import_button)
        self.revoke_button = QPushButton(tr(CTX, "Thu hồi đơn vị đang chọn…"))
        self.revoke_button.setObjectName("enrollRevoke")
        self.revoke_button.clicked.connect(self.revoke)
        side_col.addWidget(self.revoke_button)
        self.crl_button = QPushButton(tr(CTX, "Xuất danh sách thu hồi (CRL)…"))
        self.crl_button.setObjectName("enrollCrl")
        self.crl_button.clicked.connect(self.export_crl)
        side_col.addWidget(self.crl_button)
        side_col.addStretch(1)
        top.addWidget(side, 2)
        column.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("enrollmentSplitter")
        self.model = EnrollmentModel(self, self.lang)
        self.proxy, self.view = sorted_table(self, self.model, E_CODE, "enrollmentTable")
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(E_NAME, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.splitter.addWidget(self.view)
        self.outcomes = IssueOutcomeModel(self, self.lang)
        self.outcome_view = table(self.outcomes)
        self.outcome_view.setObjectName("enrollmentOutcomes")
        out_header = self.outcome_view.horizontalHeader()
        out_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        out_header.setSectionResizeMode(O_RESULT, QHeaderView.ResizeMode.Stretch)
        self.splitter.addWidget(self.outcome_view)
        self.outcome_view.hide()          # shown once something was issued
        self.outcomes.modelReset.connect(lambda: self.outcome_view.setVisible(bool(self.outcomes.rows)))
        self.splitter.setSizes([300, 140])
        column.addWidget(self.splitter, 1)
        self.result = QLabel()
        self.result.setObjectName("enrollmentResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.result)

    def splitters(self) -> dict[str, QSplitter]:
        return {"enrollment": self.splitter}

    # -- data -------------------------------------------------------------------------------------------
    def set_snapshot(self, snap) -> None:
        desk: EnrollmentDesk | None = snap.enrollment
        self.desk = desk
        selected = self.selected_unit()
        self.model.set_rows(list(desk.rows) if desk else [])
        self.select_unit(selected)
        chosen = self.framework_combo.currentData()
        self.framework_combo.blockSignals(True)
        self.framework_combo.clear()
        for f in (desk.frameworks if desk else ()):
            self.framework_combo.addItem(f"{f.title} ({f.id})", f.ref)
        found = self.framework_combo.findData(chosen)
        self.framework_combo.setCurrentIndex(found if found >= 0 else 0)
        self.framework_combo.blockSignals(False)
        self.framework_combo.setEnabled(self.framework_combo.count() > 1)
        self._fill_groups()
        can = bool(desk and desk.can_enroll)
        self.can_issue_box.setVisible(bool(desk and desk.can_issue_others))
        revoked = sum(1 for r in (desk.rows if desk else ()) if r.revoked_at)
        if not can:
            self.note.setText(tr(CTX, "Máy này không cấp được tài khoản: chỉ cấp tỉnh (có chứng thư gốc) hoặc cấp "
                                      "huyện được quyền cấp tiếp mới cấp được."))
        else:
            self.note.setText(tr(CTX, "Đã cấp {n} tài khoản, {revoked} đã thu hồi.").format(
                n=len(desk.rows), revoked=revoked))
        for w in (self.issue_button, self.import_button, self.code_edit, self.name_edit,
                  self.group_combo):
            w.setEnabled(can)
        self._update_buttons()

    def framework(self) -> FrameworkChoice | None:
        ref = self.framework_combo.currentData()
        return next((f for f in self.desk.frameworks if f.ref == ref), None) if self.desk else None

    def _fill_groups(self, *_args: object) -> None:
        from collections import Counter

        chosen = self.group_combo.currentData()
        if chosen is None and self.desk and self.desk.rows:   # at first: the group enrolled most (a district's communes)
            chosen = Counter(r.group for r in self.desk.rows).most_common(1)[0][0]
        self.group_combo.clear()
        f = self.framework()
        for g in (f.groups if f else ()):
            self.group_combo.addItem(f"{g.title} ({g.code})", g.code)
        found = self.group_combo.findData(chosen)
        if found >= 0:
            self.group_combo.setCurrentIndex(found)

    def selected_unit(self) -> str | None:
        index = self.view.currentIndex()
        return index.siblingAtColumn(0).data(KEY_ROLE) if index.isValid() else None

    def select_unit(self, unit_code: str | None) -> None:
        for i in range(self.proxy.rowCount()):
            if self.proxy.index(i, 0).data(KEY_ROLE) == unit_code:
                self.view.setCurrentIndex(self.proxy.index(i, 0))
                return

    def _selected_row(self) -> EnrollmentRow | None:
        code = self.selected_unit()
        return next((r for r in self.model.rows if r.unit_code == code), None)

    def _update_buttons(self) -> None:
        row = self._selected_row()
        can = bool(self.desk and self.desk.can_enroll)
        self.revoke_button.setEnabled(can and row is not None and row.revoked_at is None)
        self.crl_button.setEnabled(can and bool(self.desk and self.desk.crl_count))

    def _fail(self, error: Exception) -> None:
        self.result.setText(error_text(error))

    # -- issuing ----------------------------------------------------------------------------------------
    def issue_one(self) -> None:
        from app.services.enrollment_view import issue_one

        option = self.framework()
        code, name = self.code_edit.text().strip(), self.name_edit.text().strip()
        if option is None:
            return
        if not code or not name:
            self.result.setText(tr(CTX, "Hãy nhập mã và tên đơn vị."))
            return
        folder = self.window_.dialogs.open_folder(self, tr(CTX, "Chọn thư mục để ghi tệp đăng ký và phiếu in"))
        if folder is None:
            return
        passphrase = self.window_.dialogs.passphrase(self)
        if passphrase is None:
            return
        ws, group = self.window_.ws, self.group_combo.currentData() or ""
        can_issue = bool(self.desk and self.desk.can_issue_others) and self.can_issue_box.isChecked()

        def done(outcome: IssueOutcome) -> None:
            self.outcomes.set_rows([outcome])
            if outcome.ok:
                self.result.setText(tr(CTX, "Đã cấp tài khoản cho {code}: {file} và phiếu in {sheet}. Mật khẩu của "
                                            "đơn vị: {secret} (đã in trên phiếu).").format(
                    code=outcome.unit_code, file=outcome.out, sheet=outcome.sheet.name if outcome.sheet else "—",
                    secret=outcome.passphrase))
                self.code_edit.clear()
                self.name_edit.clear()
                self.code_edit.setFocus()
                self.changed.emit()
            else:
                self.result.setText(tr(CTX, "Không cấp được cho {code}: {reason}").format(
                    code=outcome.unit_code, reason=outcome.reason(self.lang)))

        self.window_.ctx.runner.op(self, lambda: issue_one(
            ws, option, unit_code=code, unit_name=name, group=group, can_issue=can_issue, folder=folder,
            passphrase=passphrase)).with_progress(tr(CTX, "Đang cấp tài khoản…")).success(done).failure(self._fail).run()

    def import_list(self) -> None:
        """A unit list enrolled all at once or not at all (app.services.enrollment_batch, `dti enroll issue
        --from`): every bad row is listed in the table with its reason, and nothing is written."""
        from app.services.enrollment_batch import BatchResult, enroll_list
        from app.services.unit_list import ListRefused

        option = self.framework()
        if option is None:
            return
        path = self.window_.dialogs.open_file(self, tr(CTX, "Chọn danh sách đơn vị"),
                                              tr(CTX, "Danh sách đơn vị (*.xlsx *.csv)"))
        if path is None:
            return
        folder = self.window_.dialogs.open_folder(self, tr(CTX, "Chọn thư mục để ghi các tệp cấp tài khoản và tệp phiếu in"))
        if folder is None:
            return
        passphrase = self.window_.dialogs.passphrase(self)
        if passphrase is None:
            return
        ws = self.window_.ws

        def done(result: BatchResult) -> None:
            self.outcomes.set_rows([IssueOutcome(u.line, u.unit_code, u.unit_name, True, out=u.out, sheet=result.sheets,
                                                 fingerprint=u.fingerprint) for u in result.units])
            self.result.setText(tr(CTX, "{file}: đã cấp tài khoản cho cả {n} đơn vị, tệp ghi vào {folder}. Phiếu in của "
                                        "mọi đơn vị (có mật khẩu của từng đơn vị): {sheets}").format(
                file=result.source, n=len(result.units), folder=folder, sheets=result.sheets))
            self.changed.emit()

        def refused(error: Exception) -> None:
            if isinstance(error, ListRefused):   # every bad row in the table, not only those the message names
                self.outcomes.set_rows([IssueOutcome(p.line, "", "", False, p.vi, p.en) for p in error.problems])
            self._fail(error)

        self.window_.ctx.runner.op(self, lambda: enroll_list(ws, path, folder, passphrase=passphrase,
                                                             framework_ref=option.ref)).with_progress(
            tr(CTX, "Đang cấp tài khoản theo danh sách…")).success(done).failure(refused).run()

    # -- revocation -------------------------------------------------------------------------------------
    def revoke(self) -> None:
        from app.services.trust_service import revoke

        row = self._selected_row()
        if row is None or row.revoked_at is not None:
            return
        reason = self.window_.dialogs.reason(
            self, tr(CTX, "Thu hồi tài khoản"),
            tr(CTX, "Lý do thu hồi tài khoản của {code} — {name} (ghi vào nhật ký):").format(
                code=row.unit_code, name=row.unit_name))
        if reason is None:
            return
        if not reason.strip():
            self.result.setText(tr(CTX, "Cần ghi lý do thu hồi."))
            return
        out = self.window_.dialogs.save_file(self, tr(CTX, "Lưu danh sách thu hồi (CRL) để gửi các đơn vị"),
                                             f"{row.unit_code}.crl", tr(CTX, "Danh sách thu hồi (*.crl)"))
        if out is None:
            return
        passphrase = self.window_.dialogs.passphrase(self)
        if passphrase is None:
            return
        ws, code = self.window_.ws, row.unit_code

        def done(count: int) -> None:
            self.result.setText(tr(CTX, "Đã thu hồi {code}. Danh sách thu hồi ({n} chứng thư) ghi vào {file}: gửi "
                                        "tệp này cho các đơn vị và cấp trên để nhập.").format(code=code, n=count, file=out))
            self.changed.emit()

        self.window_.ctx.runner.op(self, lambda: revoke(ws, code, passphrase, Path(out), reason.strip())).success(
            done).failure(self._fail).run()

    def export_crl(self) -> None:
        from app.services.enrollment_view import write_crl

        out = self.window_.dialogs.save_file(self, tr(CTX, "Lưu danh sách thu hồi (CRL)"), "thu-hoi.crl",
                                             tr(CTX, "Danh sách thu hồi (*.crl)"))
        if out is None:
            return
        ws = self.window_.ws
        self.window_.ctx.runner.op(self, lambda: write_crl(ws, Path(out))).success(
            lambda path: self.result.setText(tr(CTX, "Đã ghi danh sách thu hồi vào {file}").format(file=path))).failure(
            self._fail).run()
