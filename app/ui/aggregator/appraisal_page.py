"""Appraisal (thẩm định) of one unit: per indicator the unit's value, the rule, its own points, its
explanation and evidence beside the appraised points, comment and "request explanation".

Keyboard-driven: Enter stores the appraisal at once (aggregate.appraise_set, audited), Up/Down move to the
previous/next criterion (storing what was typed first: nothing typed is lost). Criteria changed since the
unit's previous revision are highlighted; those another department appraises are marked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import UserError
from app.scoring.numbers import format_points, format_share
from app.services import aggregate
from app.services.aggregator_view import AggregatorSnapshot, IndicatorRow
from app.ui.aggregator.evidence_preview import EvidencePreview
from app.ui.aggregator.models import (
    A_APPRAISED,
    A_CODE,
    A_COMMENT,
    A_FLAGS,
    A_SELF,
    A_TITLE,
    A_VALUE,
    AppraisalModel,
    changed_text,
    pts,
    published,
    state_text,
)
from app.ui.ops import error_text, show_error
from app.ui.text import tr

CTX = "AggregatorAppraisal"
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2


def _wrap_label(object_name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


class _Keys(QObject):
    """Up/Down in the appraisal fields move between criteria."""

    def __init__(self, page: AppraisalPage):
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down:
                self.page.move(+1)
                return True
            if event.key() == Qt.Key.Key_Up:
                self.page.move(-1)
                return True
        return False


class AppraisalPage(QWidget):
    saved = Signal()

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.lang = window.ctx.lang
        self.snapshot: AggregatorSnapshot | None = None
        self.unit_code: str | None = None
        self.current: IndicatorRow | None = None

        column = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr(CTX, "Đơn vị:")))
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("appraisalUnit")
        self.unit_combo.setMinimumContentsLength(28)
        self.unit_combo.currentIndexChanged.connect(self._unit_chosen)
        bar.addWidget(self.unit_combo)
        self.heading = _wrap_label("appraisalHeading")
        bar.addWidget(self.heading, 1)
        self.received_button = QPushButton(tr(CTX, "Lưu gói đã nhận…"))
        self.received_button.setToolTip(tr(CTX, "Gói nộp của đơn vị, đúng từng byte như khi nhận "
                                                 "(để đối chiếu, kiểm tra chữ ký)"))
        self.received_button.clicked.connect(self.save_received)
        bar.addWidget(self.received_button)
        column.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = AppraisalModel(self, self.lang)
        self.view = QTableView()
        self.view.setObjectName("appraisalTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        for col in (A_CODE, A_SELF, A_APPRAISED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(A_TITLE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((A_VALUE, 110), (A_COMMENT, 110), (A_FLAGS, 110)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setStretchLastSection(False)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.activated.connect(lambda _i: self.focus_points())
        split.addWidget(self.view)
        split.addWidget(self._detail_pane())
        split.addWidget(self._evidence_pane())
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 3)
        split.setSizes([470, 390, 400])
        split.setObjectName("appraisalSplitter")
        self.splitter = split
        column.addWidget(split, 1)
        column.addWidget(self._work_bar())

    def _detail_pane(self) -> QWidget:
        pane = QWidget()
        col = QVBoxLayout(pane)
        self.title = _wrap_label("indicatorTitle")
        self.title.setStyleSheet("font-weight: 600; font-size: 11pt;")
        col.addWidget(self.title)
        self.marks = _wrap_label("indicatorMarks")
        col.addWidget(self.marks)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.value = _wrap_label("valueText")
        self.rule = _wrap_label("ruleText")
        self.self_points = _wrap_label("selfPoints")
        self.how = _wrap_label("howText")
        self.explanation = _wrap_label("explanationText")
        form.addRow(tr(CTX, "Số liệu đơn vị nhập:"), self.value)
        form.addRow(tr(CTX, "Cách tính điểm:"), self.rule)
        form.addRow(tr(CTX, "Đơn vị tự chấm:"), self.self_points)
        form.addRow(tr(CTX, "Điểm đang tính:"), self.how)
        form.addRow(tr(CTX, "Giải trình:"), self.explanation)
        col.addLayout(form)

        box = QGroupBox(tr(CTX, "Thẩm định"))
        box_form = QFormLayout(box)
        self.points_edit = QLineEdit()
        self.points_edit.setObjectName("appraisedPoints")
        self.points_edit.setPlaceholderText(tr(CTX, "để trống: giữ điểm tự chấm"))
        self.comment_edit = QLineEdit()
        self.comment_edit.setObjectName("appraisalComment")
        self.comment_edit.setPlaceholderText(tr(CTX, "ý kiến gửi đơn vị"))
        self.request_box = QCheckBox(tr(CTX, "Yêu cầu đơn vị giải trình"))
        self.request_box.setObjectName("requestExplanation")
        box_form.addRow(tr(CTX, "Điểm thẩm định:"), self.points_edit)
        box_form.addRow(tr(CTX, "Ý kiến:"), self.comment_edit)
        box_form.addRow("", self.request_box)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(tr(CTX, "Lưu (Enter)"))
        self.save_button.setObjectName("saveAppraisal")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        box_form.addRow(buttons)
        self.refusal = _wrap_label("appraisalRefusal")
        self.refusal.setStyleSheet("color: #c62828;")
        self.refusal.hide()
        box_form.addRow(self.refusal)
        hint = QLabel(tr(CTX, "Enter: lưu · ↑/↓: tiêu chí trước/sau"))
        hint.setStyleSheet("color: #616161;")
        box_form.addRow(hint)
        col.addWidget(box)
        col.addStretch(1)
        keys = _Keys(self)
        for edit in (self.points_edit, self.comment_edit):
            edit.returnPressed.connect(self.save)
            edit.installEventFilter(keys)
        self.request_box.installEventFilter(keys)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(pane)
        return scroll

    def _evidence_pane(self) -> QWidget:
        """The criterion's evidence files, and the chosen one previewed with what intake found."""
        pane = QWidget()
        col = QVBoxLayout(pane)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(QLabel(tr(CTX, "Tài liệu kiểm chứng (nhấp đúp để mở bằng ứng dụng khác):")))
        self.evidence = QListWidget()
        self.evidence.setObjectName("evidenceList")
        self.evidence.setWordWrap(True)
        self.evidence.setMaximumHeight(78)
        self.evidence.itemActivated.connect(self._open_evidence)
        self.evidence.itemDoubleClicked.connect(self._open_evidence)
        self.evidence.currentItemChanged.connect(self._evidence_chosen)
        col.addWidget(self.evidence)
        self.preview = EvidencePreview(self.window_.ctx.runner)
        self.preview.setObjectName("evidencePreview")
        col.addWidget(self.preview, 1)
        return pane

    def _evidence_chosen(self, item: QListWidgetItem | None, _previous=None) -> None:
        evidence = item.data(ITEM_ROLE) if item is not None else None
        if evidence is None:
            self.preview.show_item(None, tr(CTX, "Không có tài liệu kiểm chứng") if self.current and self.current.leaf
                                   else "")
            return
        if self.preview.item != evidence:
            self.preview.show_item(evidence)

    def _work_bar(self) -> QWidget:
        """Appraisal by field: shown only when the framework gives indicators to departments."""
        self.work_row = QWidget()
        bar = QHBoxLayout(self.work_row)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel(tr(CTX, "Thẩm định theo lĩnh vực:")))
        self.department_combo = QComboBox()
        self.department_combo.setObjectName("departmentCombo")
        bar.addWidget(self.department_combo, 1)
        self.work_button = QPushButton(tr(CTX, "Xuất tệp giao việc…"))
        self.work_button.clicked.connect(self.export_work)
        bar.addWidget(self.work_button)
        self.return_button = QPushButton(tr(CTX, "Nhập kết quả của cơ quan…"))
        self.return_button.clicked.connect(self.import_return)
        bar.addWidget(self.return_button)
        return self.work_row

    # -- data -------------------------------------------------------------------------------------------
    def set_snapshot(self, snap: AggregatorSnapshot) -> None:
        self.snapshot = snap
        with_data = [u for u in snap.units if snap.detail(u.unit_code) is not None]
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        for u in with_data:
            self.unit_combo.addItem(f"{u.unit_code} — {u.unit_name}", u.unit_code)
        self.unit_combo.blockSignals(False)
        self.department_combo.clear()
        for d in snap.departments:
            self.department_combo.addItem(d, d)
        self.work_row.setVisible(bool(snap.departments))
        code = self.unit_code if any(u.unit_code == self.unit_code for u in with_data) else (
            with_data[0].unit_code if with_data else None)
        # what the officer typed and has not stored (a refused save, say) survives the refresh
        typed = (self.current.code, self.points_edit.text(), self.comment_edit.text(), self.request_box.isChecked()) \
            if self._dirty() and code == self.unit_code and self.current else None
        self.show_unit(code, keep=self.current.code if self.current else None)
        if typed is not None and self.current is not None and self.current.code == typed[0]:
            self.points_edit.setText(typed[1])
            self.comment_edit.setText(typed[2])
            self.request_box.setChecked(typed[3])

    def show_unit(self, unit_code: str | None, keep: str | None = None) -> None:
        snap = self.snapshot
        detail = snap.detail(unit_code) if snap and unit_code else None
        changed_unit = unit_code != self.unit_code
        self.unit_code = unit_code if detail else None
        self.received_button.setEnabled(self.unit_code is not None)
        found = self.unit_combo.findData(unit_code)
        if found >= 0 and found != self.unit_combo.currentIndex():
            self.unit_combo.blockSignals(True)
            self.unit_combo.setCurrentIndex(found)
            self.unit_combo.blockSignals(False)
        if detail is None or snap is None:
            self.model.set_rows([])
            self.heading.setText(tr(CTX, "Chưa có đơn vị nào nộp gói: nhập gói ở thẻ “Nhập gói”."))
            self._show_row(None)
            return
        u = snap.unit(unit_code)
        self.heading.setText(tr(CTX, "{state}, lần nộp {rev} · tự chấm {self_total} · sau thẩm định <b>{total}</b> "
                                     "/ {max} ({share}) · {grade}").format(
            state=state_text(u.state), rev=u.revision, self_total=published(u.self_total, self.lang),
            total=published(u.total, self.lang), max=pts(u.max, self.lang),
            share=format_share(u.share, self.lang) if u.share is not None else "", grade=u.grade or ""))
        self.model.set_rows(list(detail.rows))
        target = keep if (keep and not changed_unit) else None
        row = self.model.row_of(target) if target else -1
        if row < 0:
            row = next((i for i, r in enumerate(detail.rows) if r.leaf), 0)
        self.select_row(row)

    def _unit_chosen(self, _index: int) -> None:
        self.show_unit(self.unit_combo.currentData())

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if not index.isValid():
            self._show_row(None)
            return
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        self._show_row(self.model.row_at(row))

    def select_code(self, code: str) -> None:
        row = self.model.row_of(code)
        if row >= 0:
            self.select_row(row)

    def _row_changed(self, current, _previous) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is not self.current:
            self._show_row(row)

    def _show_row(self, r: IndicatorRow | None) -> None:
        self.current = r
        self.refusal.hide()
        editable = r is not None and r.leaf   # a finalized round: the service refuses, with its reason
        for w in (self.points_edit, self.comment_edit, self.request_box, self.save_button):
            w.setEnabled(editable)
        if r is None:
            for label in (self.title, self.marks, self.value, self.rule, self.self_points, self.how, self.explanation):
                label.setText("")
            self.evidence.clear()
            self.preview.show_item(None)
            self.points_edit.clear()
            self.comment_edit.clear()
            self.request_box.setChecked(False)
            return
        self.title.setText(f"{r.code}. {r.title}")
        marks = []
        if r.other_department:
            marks.append("<span style='color:#00838f'>" + tr(CTX, "Chỉ tiêu do {dept} thẩm định").format(
                dept=r.department) + "</span>")
        if r.changed:
            marks.append("<span style='background:#fff3c4'>" + tr(CTX, "Thay đổi so với lần nộp trước: {what}").format(
                what=changed_text(r.changed)) + "</span>")
        if r.conflict:
            marks.append("<span style='color:#ef6c00'>" + tr(CTX, "Có xung đột thẩm định chờ xử lý") + "</span>")
        if self.snapshot is not None and self.snapshot.final:
            marks.append("<span style='color:#2e7d32'>" + tr(CTX, "Đợt đánh giá đã chốt: không sửa được điểm") + "</span>")
        self.marks.setText("<br>".join(marks))
        self.marks.setVisible(bool(marks))
        self.value.setText(r.value or (tr(CTX, "(chưa nhập)") if r.leaf else "—"))
        self.rule.setText(r.rule or "—")
        self.self_points.setText(f"{format_points(r.self_points, self.lang)} / {format_points(r.max, self.lang)}")
        self.how.setText(f"{format_points(r.points, self.lang)} — {r.how}")
        self.explanation.setText(r.explanation or "—")
        self.evidence.blockSignals(True)
        self.evidence.clear()
        for e in r.evidence:
            pages = tr(CTX, ", {n} trang").format(n=e.pages) if e.pages else ""
            text = f"{e.name}{pages}"
            if e.signers:
                text += "\n" + tr(CTX, "Chữ ký số: {who}").format(who="; ".join(e.signers))
            if e.problems:
                text += "\n" + tr(CTX, "Vấn đề: {what}").format(what="; ".join(e.problems))
            item = QListWidgetItem(text)
            item.setData(PATH_ROLE, e.path)
            item.setData(ITEM_ROLE, e)
            item.setToolTip(e.path)
            self.evidence.addItem(item)
        if not r.evidence:
            item = QListWidgetItem(tr(CTX, "Không có tài liệu kiểm chứng") if r.leaf else "")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.evidence.addItem(item)
        else:
            self.evidence.setCurrentRow(0)
        self.evidence.blockSignals(False)
        self._evidence_chosen(self.evidence.currentItem() if r.evidence else None)
        self.points_edit.setText("" if r.appraised is None else format_points(r.appraised, self.lang).replace(".", ""))
        self.comment_edit.setText(r.comment)
        self.request_box.setChecked(r.explanation_requested)

    def _dirty(self) -> bool:
        r = self.current
        if r is None or not r.leaf:
            return False
        shown = "" if r.appraised is None else format_points(r.appraised, self.lang).replace(".", "")
        return (self.points_edit.text().strip() != shown or self.comment_edit.text().strip() != r.comment
                or self.request_box.isChecked() != r.explanation_requested)

    # -- keyboard ---------------------------------------------------------------------------------------
    def focus_points(self) -> None:
        self.points_edit.setFocus()
        self.points_edit.selectAll()

    def move(self, step: int) -> None:
        if self._dirty():
            self.save()
        row = self.view.currentIndex().row()
        n = self.model.rowCount()
        row += step
        while 0 <= row < n and not self.model.row_at(row).leaf:
            row += step
        if 0 <= row < n:
            self.select_row(row)
            self.focus_points()

    # -- storing ----------------------------------------------------------------------------------------
    def save(self) -> None:
        r, unit = self.current, self.unit_code
        if r is None or unit is None or not r.leaf:
            return
        points = self.points_edit.text().strip() or None
        comment = self.comment_edit.text().strip() or None
        requested = self.request_box.isChecked()
        ws = self.window_.ws

        def work():
            if points is None and comment is None and not requested:
                return aggregate.appraise_clear(ws, unit, r.code, reason=None)
            return aggregate.appraise_set(ws, unit, r.code, points, comment, requested)

        def stored(_result) -> None:
            self.refusal.hide()
            self.window_.saved_message()
            self.saved.emit()

        def refused(error: Exception) -> None:
            if not isinstance(error, UserError):
                raise error
            self.refusal.setText(error_text(error))
            self.refusal.show()

        self.window_.ctx.runner.op(self, work).success(stored).failure(refused).run()

    def _open_evidence(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if not path:
            return
        if not Path(path).is_file():
            show_error(self, UserError("file missing", tr(CTX, "Không tìm thấy tệp đã lưu: {name}").format(name=path)))
            return
        from app.services.evidence_service import viewing_copy

        try:   # the viewer never gets the store's own file (a received package's skeleton relies on it)
            copy = viewing_copy(Path(path), item.data(ITEM_ROLE).name)
        except UserError as e:
            show_error(self, e)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))

    def _save_as(self, title: str, suggested: str, filters: str) -> Path | None:
        """The save dialog's answer, with the suggested name's suffix added to a name typed without it (as the
        dialog's filter says)."""
        out = self.window_.dialogs.save_file(self, title, suggested, filters)
        if out is None:
            return None
        out, suffix = Path(out), Path(suggested).suffix
        return out if out.suffix.lower() == suffix else out.with_name(out.name + suffix)

    def save_received(self) -> None:
        """The shown unit's latest package, byte for byte as it arrived (`dti package received`)."""
        code = self.unit_code
        if not code:
            return
        from app.services.received_store import write_received

        out = self._save_as(tr(CTX, "Lưu gói nộp đã nhận"), f"{code}.dtipkg", tr(CTX, "Gói nộp (*.dtipkg)"))
        if out is None:
            return
        ws = self.window_.ws
        self.window_.ctx.runner.op(self, lambda: write_received(ws, code, None, out)).success(
            lambda revision: self.window_.saved_message(tr(CTX, "Đã lưu {file}: gói nộp lần {revision} của {unit}, "
                                                                 "đúng như khi nhận").format(
                file=out.name, revision=revision, unit=code))).run()

    # -- appraisal by field -----------------------------------------------------------------------------
    def export_work(self) -> None:
        department = self.department_combo.currentData()
        if not department:
            return
        from app.services import appraisal_work

        out = self._save_as(tr(CTX, "Lưu tệp giao việc thẩm định"), f"{department}.dtiwork",
                            tr(CTX, "Tệp giao việc (*.dtiwork)"))
        if out is None:
            return
        passphrase = self.window_.dialogs.passphrase(self)
        if passphrase is None:
            return
        ws = self.window_.ws
        self.window_.ctx.runner.op(self, lambda: appraisal_work.export_work(ws, department, out, passphrase)).success(
            lambda done: self.window_.saved_message(tr(CTX, "Đã xuất {file}: {units} đơn vị, {n} chỉ tiêu").format(
                file=out.name, units=done.units, n=done.indicators))).run()

    def import_return(self) -> None:
        from app.services import appraisal_work

        path = self.window_.dialogs.open_file(self, tr(CTX, "Chọn tệp kết quả thẩm định của cơ quan"),
                                              tr(CTX, "Tệp thẩm định (*.dtiwork);;Mọi tệp (*)"))
        if path is None:
            return
        ws = self.window_.ws

        def done(result) -> None:
            c = result.counts
            self.window_.saved_message(tr(CTX, "{dept}: {new} mới, {upd} cập nhật, {same} trùng, {conf} xung đột").format(
                dept=result.department, new=c.get("new", 0), upd=c.get("updated", 0), same=c.get("same", 0),
                conf=c.get("conflict", 0)))
            self.saved.emit()

        self.window_.ctx.runner.op(self, lambda: appraisal_work.import_file(ws, path)).success(done).run()

    def refusal_text(self) -> str:
        return "" if self.refusal.isHidden() else self.refusal.text()
