"""Feedback and bundle (phản hồi, gói tổng hợp): signed feedback files for the chosen units (or every unit
that needs one), the district's bundle for the province, the round's lock (finalize / reopen with a
reason), and the appraisal conflicts waiting for a decision. The passphrase is asked in a masked dialog
at the moment of signing and never kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.aggregator_view import AggregatorSnapshot
from app.ui.aggregator.dashboard import table
from app.ui.aggregator.models import ConflictModel, state_text
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "AggregatorFeedback"
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
FEEDBACK_SUFFIX = ".phanhoi"


class FeedbackPage(QWidget):
    changed = Signal()

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.lang = window.ctx.lang
        self.snapshot: AggregatorSnapshot | None = None
        column = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)

        left = QWidget()
        left_col = QVBoxLayout(left)
        left_col.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox(tr(CTX, "Phản hồi kết quả thẩm định cho đơn vị"))
        box_col = QVBoxLayout(box)
        self.units = QListWidget()
        self.units.setObjectName("feedbackUnits")
        self.units.setWordWrap(True)
        box_col.addWidget(self.units, 1)
        row = QHBoxLayout()
        self.needing_button = QPushButton(tr(CTX, "Chọn đơn vị cần phản hồi"))
        self.needing_button.clicked.connect(self.select_needing)
        self.all_button = QPushButton(tr(CTX, "Chọn tất cả"))
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button = QPushButton(tr(CTX, "Bỏ chọn"))
        self.none_button.clicked.connect(lambda: self._check_all(False))
        for b in (self.needing_button, self.all_button, self.none_button):
            row.addWidget(b)
        row.addStretch(1)
        box_col.addLayout(row)
        self.export_button = QPushButton(tr(CTX, "Xuất tệp phản hồi…"))
        self.export_button.setObjectName("exportFeedback")
        self.export_button.clicked.connect(self.export_feedback)
        box_col.addWidget(self.export_button)
        left_col.addWidget(box, 1)

        box = QGroupBox(tr(CTX, "Gói tổng hợp gửi tỉnh"))
        box_col = QVBoxLayout(box)
        self.bundle_note = QLabel()
        self.bundle_note.setWordWrap(True)
        box_col.addWidget(self.bundle_note)
        self.bundle_button = QPushButton(tr(CTX, "Xuất gói tổng hợp…"))
        self.bundle_button.setObjectName("exportBundle")
        self.bundle_button.clicked.connect(self.export_bundle)
        box_col.addWidget(self.bundle_button)
        left_col.addWidget(box)

        box = QGroupBox(tr(CTX, "Chốt kết quả đợt đánh giá"))
        box_col = QVBoxLayout(box)
        self.round_note = QLabel()
        self.round_note.setObjectName("roundNote")
        self.round_note.setWordWrap(True)
        box_col.addWidget(self.round_note)
        row = QHBoxLayout()
        self.finalize_button = QPushButton(tr(CTX, "Chốt kết quả"))
        self.finalize_button.setObjectName("finalizeRound")
        self.finalize_button.clicked.connect(self.finalize)
        self.reopen_button = QPushButton(tr(CTX, "Mở lại…"))
        self.reopen_button.setObjectName("reopenRound")
        self.reopen_button.clicked.connect(self.reopen)
        row.addWidget(self.finalize_button)
        row.addWidget(self.reopen_button)
        row.addStretch(1)
        box_col.addLayout(row)
        left_col.addWidget(box)
        split.addWidget(left)

        right = QGroupBox(tr(CTX, "Xung đột thẩm định chờ xử lý"))
        right_col = QVBoxLayout(right)
        self.conflict_model = ConflictModel(self, self.lang)
        self.conflicts = table(self.conflict_model)
        self.conflicts.setObjectName("conflictTable")
        right_col.addWidget(self.conflicts, 1)
        self.no_conflicts = QLabel(tr(CTX, "Không có xung đột thẩm định nào.\n\nXung đột xuất hiện khi kết quả thẩm định "
                                           "của một cơ quan khác (tệp kết quả theo lĩnh vực) hoặc của huyện (gói tổng "
                                           "hợp) khác với điểm đang áp dụng ở đây; điểm đang áp dụng được giữ cho đến "
                                           "khi có người quyết định."))
        self.no_conflicts.setWordWrap(True)
        self.no_conflicts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.no_conflicts.setStyleSheet("color: #616161; padding: 8px;")
        right_col.addWidget(self.no_conflicts, 1)
        row = QHBoxLayout()
        self.keep_button = QPushButton(tr(CTX, "Giữ điểm đang áp dụng"))
        self.keep_button.clicked.connect(lambda: self.resolve("current"))
        self.take_button = QPushButton(tr(CTX, "Lấy điểm mới đến"))
        self.take_button.clicked.connect(lambda: self.resolve("incoming"))
        row.addWidget(self.keep_button)
        row.addWidget(self.take_button)
        row.addStretch(1)
        right_col.addLayout(row)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([740, 500])
        column.addWidget(split, 1)
        self.result = QLabel()
        self.result.setObjectName("feedbackResult")
        self.result.setWordWrap(True)
        column.addWidget(self.result)

    # -- data -------------------------------------------------------------------------------------------
    def set_snapshot(self, snap: AggregatorSnapshot) -> None:
        self.snapshot = snap
        checked = set(self.checked_units())
        self.units.clear()
        for u in snap.units:
            if not u.revision:
                continue
            text = f"{u.unit_code} — {u.unit_name} · {state_text(u.state)}"
            if u.appraised:
                text += " · " + tr(CTX, "{n} chỉ tiêu đã thẩm định").format(n=u.appraised)
            if u.requested:
                text += " · " + tr(CTX, "{n} yêu cầu giải trình").format(n=u.requested)
            item = QListWidgetItem(text)
            item.setData(CODE_ROLE, u.unit_code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if u.unit_code in checked else Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.export_button.setEnabled(snap.can_sign and self.units.count() > 0)
        self.bundle_button.setEnabled(snap.can_bundle)
        self.bundle_note.setText(
            tr(CTX, "Gói tổng hợp chứa nguyên vẹn gói mới nhất của từng xã, kết quả thẩm định và xếp hạng của huyện, "
                    "có chữ ký số của huyện.") if snap.can_bundle else
            tr(CTX, "Chỉ cấp huyện (có cấp tài khoản cho xã và đã nhập gói của xã) mới xuất gói tổng hợp."))
        if snap.final:
            self.round_note.setText(tr(CTX, "Đã chốt: không thẩm định, không nhập gói được nữa cho đến khi mở lại."))
        else:
            self.round_note.setText(tr(CTX, "Đang mở. Sau khi chốt, mọi thay đổi điểm và việc nhập gói đều bị từ chối "
                                            "cho đến khi mở lại (có ghi lý do)."))
        self.finalize_button.setEnabled(not snap.final and snap.framework_id is not None)
        self.reopen_button.setEnabled(snap.final)
        self.conflict_model.set_rows(list(snap.conflicts))
        self.conflicts.setVisible(bool(snap.conflicts))
        self.no_conflicts.setVisible(not snap.conflicts)
        for b in (self.keep_button, self.take_button):
            b.setVisible(bool(snap.conflicts))

    def checked_units(self) -> list[str]:
        return [self.units.item(i).data(CODE_ROLE) for i in range(self.units.count())
                if self.units.item(i).checkState() == Qt.CheckState.Checked]

    def _check_all(self, on: bool) -> None:
        for i in range(self.units.count()):
            self.units.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def select_needing(self) -> None:
        needing = set(self.snapshot.needing_feedback()) if self.snapshot else set()
        for i in range(self.units.count()):
            item = self.units.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(CODE_ROLE) in needing else Qt.CheckState.Unchecked)
        if not needing:
            self.result.setText(tr(CTX, "Không có đơn vị nào đang chờ phản hồi."))

    def _fail(self, error: Exception) -> None:
        self.result.setText(error_text(error))
        self.result.setStyleSheet("color: #c62828;")

    def _ok(self, text: str) -> None:
        self.result.setStyleSheet("")
        self.result.setText(text)
        self.changed.emit()

    # -- actions ----------------------------------------------------------------------------------------
    def export_feedback(self) -> None:
        from app.services.feedback import export_feedback

        units = self.checked_units()
        if not units:
            self.result.setText(tr(CTX, "Hãy chọn ít nhất một đơn vị."))
            return
        folder = self.window_.dialogs.open_folder(self, tr(CTX, "Chọn thư mục lưu tệp phản hồi"))
        if folder is None:
            return
        passphrase = self.window_.dialogs.passphrase(self)
        if passphrase is None:
            return
        ws = self.window_.ws

        def work() -> list[Path]:
            written = []
            for code in units:
                out = Path(folder) / f"{code}{FEEDBACK_SUFFIX}"
                export_feedback(ws, code, out, passphrase)
                written.append(out)
            return written

        self.window_.ctx.runner.op(self, work).with_progress(tr(CTX, "Đang ký và ghi tệp phản hồi…")).success(
            lambda written: self._ok(tr(CTX, "Đã ghi {n} tệp phản hồi vào {folder}: {names}").format(
                n=len(written), folder=folder, names=", ".join(p.name for p in written)))).failure(self._fail).run()

    def export_bundle(self) -> None:
        from app.services.bundle import export_bundle

        out = self.window_.dialogs.save_file(self, tr(CTX, "Lưu gói tổng hợp"), "goi-tong-hop.dtibundle",
                                             tr(CTX, "Gói tổng hợp (*.dtibundle)"))
        if out is None:
            return
        if out.suffix != ".dtibundle":
            out = out.with_name(out.name + ".dtibundle")
        passphrase = self.window_.dialogs.passphrase(self)
        if passphrase is None:
            return
        ws = self.window_.ws
        self.window_.ctx.runner.op(self, lambda: export_bundle(ws, out, passphrase)).with_progress(
            tr(CTX, "Đang ký và ghi gói tổng hợp…")).success(
            lambda n: self._ok(tr(CTX, "Đã ghi {file}: {n} gói của xã").format(file=out, n=n))).failure(self._fail).run()

    def finalize(self) -> None:
        """Lock the round, after saying what the lock stops and how it is undone. While conflicts are open the
        service refuses at once with its reason: nothing to confirm then."""
        from app.services.round_lock import finalize

        snap = self.snapshot
        if not (snap and snap.conflicts) and not self.window_.dialogs.confirm(
                self, tr(CTX, "Chốt kết quả đợt đánh giá"),
                tr(CTX, "Chốt kết quả {round}?\n\nSau khi chốt, máy này từ chối mọi thay đổi điểm thẩm định (kể cả "
                        "xử lý xung đột), việc nhận kết quả thẩm định của cơ quan khác và việc nhập gói nộp. Vẫn xuất "
                        "được tệp phản hồi, gói tổng hợp và báo cáo xếp hạng.\n\nCó thể mở lại bất cứ lúc nào bằng nút "
                        "“Mở lại…”; lý do mở lại được ghi vào nhật ký.").format(round=self._round_label()),
                tr(CTX, "Chốt kết quả")):
            return
        ws = self.window_.ws
        self.window_.ctx.runner.op(self, lambda: finalize(ws)).success(
            lambda label: self._ok(tr(CTX, "{round}: đã chốt kết quả").format(round=label))).failure(self._fail).run()

    def _round_label(self) -> str:
        snap = self.snapshot
        if snap is None or snap.year is None:
            return tr(CTX, "đợt đánh giá này")
        return tr(CTX, "đợt đánh giá năm {year} ({title})").format(year=snap.year, title=snap.framework_title)

    def reopen(self) -> None:
        from app.services.round_lock import reopen

        reason = self.window_.dialogs.reason(self, tr(CTX, "Mở lại đợt đánh giá"),
                                             tr(CTX, "Lý do mở lại (được ghi vào nhật ký):"))
        if reason is None:
            return
        ws = self.window_.ws
        self.window_.ctx.runner.op(self, lambda: reopen(ws, reason)).success(
            lambda label: self._ok(tr(CTX, "{round}: đã mở lại").format(round=label))).failure(self._fail).run()

    def resolve(self, take: str) -> None:
        from app.services import aggregate

        index = self.conflicts.currentIndex()
        row = self.conflict_model.row_at(index.row()) if index.isValid() else None
        if row is None:
            self.result.setText(tr(CTX, "Hãy chọn một xung đột trong bảng."))
            return
        reason = self.window_.dialogs.reason(self, tr(CTX, "Xử lý xung đột thẩm định"),
                                             tr(CTX, "Lý do (có thể để trống):"))
        if reason is None:
            return
        ws = self.window_.ws

        def work() -> int:
            return aggregate.resolve_conflict(ws, row.unit_code, row.code, take, reason.strip() or None)

        self.window_.ctx.runner.op(self, work).success(
            lambda n: self._ok(tr(CTX, "{unit} {code}: đã xử lý {n} xung đột").format(
                unit=row.unit_code, code=row.code, n=n))).failure(self._fail).run()
