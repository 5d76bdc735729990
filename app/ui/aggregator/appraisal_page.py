"""Appraisal (thẩm định) of one unit: per indicator the unit's value, the rule, its own points, its
explanation and evidence beside the appraised points, comment and "request explanation".

Keyboard-driven: Enter stores the appraisal at once (aggregate.appraise_set, audited), Up/Down move to the
previous/next criterion, Esc drops what was typed. Nothing typed is lost: leaving a criterion in any way
(the keys, the mouse on another row, another unit, another tab, closing the window) stores it first, and a
value the service refuses keeps its criterion on screen with the reason. Criteria changed since the unit's
previous revision are highlighted; those another department appraises are marked. The table reads at
1366×768: two lines per row, the whole title and comment in a tooltip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
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
from app.ui.aggregator.unit_picker import UnitPicker
from app.ui.aggregator.work_bar import WorkBar
from app.ui.ops import error_text, show_error
from app.ui.text import tr

CTX = "AggregatorAppraisal"
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
ITEM_ROLE = Qt.ItemDataRole.UserRole + 2
# default widths of the table's columns (the title takes the rest, two lines a row)
COLUMN_WIDTHS = ((A_VALUE, 80), (A_COMMENT, 120), (A_FLAGS, 80))
# the panes' shares of the width (table, criterion, evidence) until the officer drags a divider
PANE_SHARES = (0.52, 0.24, 0.24)


def _wrap_label(object_name: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


def token_text(found: dict, lang: str) -> str:
    """One line of who signed a submission with a token (app.services.token_signature.stored) and what was found."""
    who = found["signer"] + (f" ({found['organisation']})" if found.get("organisation") else "")
    if found["valid"]:
        text = tr(CTX, "Ký số token: {who} — hợp lệ, chuỗi tin cậy").format(who=who)
    else:
        reason = found["reason_vi"] if lang == "vi" else found["reason_en"]
        text = tr(CTX, "Ký số token: {who} — không hợp lệ: {reason}").format(who=who, reason=reason)
    if found["signer"] and not found["names_unit"]:
        text += tr(CTX, "; chứng thư không ghi tên đơn vị này")
    return text


@dataclass(frozen=True)
class Typed:
    """What the officer typed on one criterion and has not stored."""

    unit: str
    code: str
    points: str
    comment: str
    requested: bool


class _Keys(QObject):
    """Up/Down in the appraisal fields move between criteria; Esc drops what was typed."""

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
            if event.key() == Qt.Key.Key_Escape and self.page.unsaved() is not None:
                self.page.revert()
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
        self._stored_form: tuple[str, str, bool] = ("", "", False)   # the shown criterion as stored
        self._quiet = False          # the table's current row set by the page itself, not by the officer

        column = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr(CTX, "Đơn vị:")))
        self.unit_combo = UnitPicker()
        self.unit_combo.setObjectName("appraisalUnit")
        self.unit_combo.chosen.connect(self.open_unit)
        self.unit_combo.searched.connect(self._picker_searched)
        bar.addWidget(self.unit_combo)
        self.picker_note = QLabel()
        self.picker_note.setObjectName("pickerNote")
        self.picker_note.setStyleSheet("color: #c62828;")
        self.picker_note.hide()
        bar.addWidget(self.picker_note)
        self.heading = _wrap_label("appraisalHeading")
        bar.addWidget(self.heading, 1)
        self.received_button = QPushButton(tr(CTX, "Lưu gói đã nhận…"))
        self.received_button.setToolTip(tr(CTX, "Gói nộp của đơn vị, đúng từng byte như khi nhận "
                                                 "(để đối chiếu, kiểm tra chữ ký)"))
        self.received_button.clicked.connect(self.save_received)
        bar.addWidget(self.received_button)
        column.addLayout(bar)
        # who signed the shown submission with an official's USB token, and what the import found (issue 19)
        self.token_line = _wrap_label("tokenSignature")
        self.token_line.setTextFormat(Qt.TextFormat.PlainText)   # a name from a certificate: never markup
        self.token_line.hide()
        column.addWidget(self.token_line)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = AppraisalModel(self, self.lang)
        self.view = QTableView()
        self.view.setObjectName("appraisalTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(True)                   # two lines a row: a title is read, not guessed
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 6)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        for col in (A_CODE, A_SELF, A_APPRAISED):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(A_TITLE, QHeaderView.ResizeMode.Stretch)
        for col, width in COLUMN_WIDTHS:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(col, width)
        header.setStretchLastSection(False)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.activated.connect(lambda _i: self.focus_points())
        split.addWidget(self.view)
        split.addWidget(self._detail_pane())
        split.addWidget(self._evidence_pane())
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 3)
        split.setStretchFactor(2, 3)
        split.setObjectName("appraisalSplitter")
        self.splitter = split
        self.sizes_chosen = False     # the officer's (or the remembered) divider positions: kept as they are
        split.splitterMoved.connect(lambda *_a: setattr(self, "sizes_chosen", True))
        split.installEventFilter(self)
        column.addWidget(split, 1)
        self.work_row = WorkBar(window)
        self.work_row.merged.connect(self.saved.emit)
        self.department_combo = self.work_row.department_combo
        self.recipient_combo = self.work_row.recipient_combo
        self.work_button = self.work_row.work_button
        self.return_button = self.work_row.return_button
        self.work_note = self.work_row.note
        column.addWidget(self.work_row)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize and not self.sizes_chosen:
            width = self.splitter.width() - 2 * self.splitter.handleWidth()
            self.splitter.setSizes([int(width * share) for share in PANE_SHARES])
        return super().eventFilter(watched, event)

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
        box_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)   # the fields as wide as the pane
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
        box_form.addRow(self.request_box)
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
        hint = _wrap_label()
        hint.setText(tr(CTX, "Enter: lưu · ↑/↓: tiêu chí trước/sau (lưu trước khi chuyển) · Esc: bỏ phần vừa gõ"))
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
        label = _wrap_label()
        label.setText(tr(CTX, "Tài liệu kiểm chứng (nhấp đúp để mở bằng ứng dụng khác):"))
        col.addWidget(label)
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

    # -- data -------------------------------------------------------------------------------------------
    def set_snapshot(self, snap: AggregatorSnapshot) -> None:
        self.snapshot = snap
        with_data = [u for u in snap.units if snap.detail(u.unit_code) is not None]
        code = self.unit_code if any(u.unit_code == self.unit_code for u in with_data) else (
            with_data[0].unit_code if with_data else None)
        self.unit_combo.set_units([(u.unit_code, u.unit_name) for u in with_data], code)
        self.work_row.set_snapshot(snap)
        # what the officer typed and has not stored (a refused save, say) survives the refresh
        typed = self.unsaved() if code == self.unit_code else None
        self.show_unit(code, keep=self.current.code if self.current else None)
        if typed is not None and self.current is not None and self.current.code == typed.code:
            self._fill(typed)

    def show_unit(self, unit_code: str | None, keep: str | None = None) -> None:
        """Show a unit (its first criterion, or `keep` when it stays the same unit). Stores nothing: the
        officer's ways to another unit go through `open_unit`."""
        snap = self.snapshot
        detail = snap.detail(unit_code) if snap and unit_code else None
        changed_unit = unit_code != self.unit_code
        self.unit_code = unit_code if detail else None
        self.received_button.setEnabled(self.unit_code is not None)
        self.unit_combo.show_code(self.unit_code)
        if detail is None or snap is None:
            self.model.set_rows([])
            self.heading.setText(tr(CTX, "Chưa có đơn vị nào nộp gói: nhập gói ở thẻ “Nhập gói”."))
            self._show_token()
            self._show_row(None)
            return
        self._show_token()
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

    def _show_token(self) -> None:
        row = self.snapshot.unit(self.unit_code) if self.snapshot is not None and self.unit_code else None
        found = row.token if row is not None else None
        self.token_line.setVisible(found is not None)
        if found is None:
            self.token_line.clear()
            return
        self.token_line.setText(token_text(found, self.lang))
        self.token_line.setStyleSheet("color: #2e7d32;" if found["valid"] else "color: #c62828;")

    def open_unit(self, unit_code: str) -> None:
        """The officer goes to another unit (the picker, the units page, the dashboard): what was typed here
        is stored first."""
        if unit_code == self.unit_code:
            self.unit_combo.show_code(self.unit_code)
            return
        if not self.leave(lambda: self.show_unit(unit_code)):
            self.unit_combo.show_code(self.unit_code)

    def _picker_searched(self, text: str, found: int) -> None:
        if text.strip() and not found:
            self.picker_note.setText(tr(CTX, "Không tìm thấy đơn vị nào khớp “{text}”").format(text=text.strip()))
            self.picker_note.show()
        else:
            self.picker_note.hide()

    def picker_matches(self) -> list[str]:
        return self.unit_combo.codes_matching()

    def select_row(self, row: int) -> None:
        """Make `row` the current criterion (the page's own doing: nothing is stored)."""
        index = self.model.index(row, 0)
        if not index.isValid():
            self._show_row(None)
            return
        self._quiet = True
        try:
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._quiet = False
        self.view.scrollTo(index)
        self._show_row(self.model.row_at(row))

    def select_code(self, code: str) -> None:
        """Go to the criterion `code`, what was typed on the shown one stored first."""
        if self.model.row_of(code) >= 0:
            self.leave(lambda: self._show_code(code))

    def _show_code(self, code: str) -> None:
        row = self.model.row_of(code)
        if row >= 0:
            self.select_row(row)

    def _row_changed(self, current, _previous) -> None:
        """The officer moved in the table (the mouse, the table's keys): store what was typed, then show."""
        if self._quiet:
            return
        row = self.model.row_at(current.row()) if current.isValid() else None
        if row is self.current or row is None:
            return
        code = row.code
        self.leave(lambda: self._show_code(code))

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
            self._stored_form = ("", "", False)
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
        points = "" if r.appraised is None else format_points(r.appraised, self.lang).replace(".", "")
        self._stored_form = (points, r.comment.strip(), r.explanation_requested)
        self.points_edit.setText(points)
        self.comment_edit.setText(r.comment)
        self.comment_edit.setCursorPosition(0)   # a long comment read from its beginning
        self.request_box.setChecked(r.explanation_requested)

    # -- what was typed -----------------------------------------------------------------------------------
    def _form(self) -> tuple[str, str, bool]:
        return self.points_edit.text().strip(), self.comment_edit.text().strip(), self.request_box.isChecked()

    def unsaved(self) -> Typed | None:
        """What was typed on the shown criterion and is not stored (None: nothing)."""
        r = self.current
        if r is None or not r.leaf or self.unit_code is None or self._form() == self._stored_form:
            return None
        return Typed(self.unit_code, r.code, *self._form())

    def _fill(self, typed: Typed) -> None:
        self.points_edit.setText(typed.points)
        self.comment_edit.setText(typed.comment)
        self.request_box.setChecked(typed.requested)

    def revert(self) -> None:
        """Esc: the shown criterion as stored."""
        points, comment, requested = self._stored_form
        self._fill(Typed("", "", points, comment, requested))
        self.refusal.hide()

    def leave(self, go: Callable[[], None]) -> bool:
        """Store what was typed on the shown criterion, then `go` (to another criterion, unit or page). A value
        the service refuses keeps its criterion shown with the reason and what was typed; `go` then does not
        happen (False), or is undone when the refusal comes after it (a store that takes its time)."""
        typed = self.unsaved()
        if typed is None:
            go()
            return True
        refused: list[Exception] = []

        def back(error: Exception) -> None:
            refused.append(error)
            self.show_refused(typed, error)

        self.store(typed, on_refused=back)
        if refused:
            return False
        go()
        return True

    def show_refused(self, typed: Typed, error: Exception) -> None:
        """A refused value on screen again: its unit, its criterion, what was typed and why it was refused."""
        if self.unit_code != typed.unit:
            self.show_unit(typed.unit)
        if self.current is None or self.current.code != typed.code:
            self._show_code(typed.code)
        else:   # the table's current row follows (the mouse may have moved it)
            self.select_row(self.model.row_of(typed.code))
        self._fill(typed)
        self.refusal.setText(error_text(error))
        self.refusal.show()
        tabs = self.window_.tabs
        if tabs.currentWidget() is not self:
            tabs.setCurrentWidget(self)
        self.window_.statusBar().showMessage(tr(CTX, "Chưa lưu được điểm thẩm định {unit} {code}: {why}").format(
            unit=typed.unit, code=typed.code, why=error_text(error)))
        self.points_edit.setFocus()

    # -- keyboard ---------------------------------------------------------------------------------------
    def focus_points(self) -> None:
        self.points_edit.setFocus()
        self.points_edit.selectAll()

    def move(self, step: int) -> None:
        row = self.view.currentIndex().row()
        n = self.model.rowCount()
        row += step
        while 0 <= row < n and not self.model.row_at(row).leaf:
            row += step
        if not 0 <= row < n:          # the first or the last criterion: stored, and it stays
            self.leave(lambda: None)
            return
        code = self.model.row_at(row).code

        def go() -> None:
            self._show_code(code)
            self.focus_points()

        self.leave(go)

    # -- storing ----------------------------------------------------------------------------------------
    def save(self) -> None:
        """Enter or the button: store the shown criterion as typed (also when nothing changed: the officer
        sees it done)."""
        r, unit = self.current, self.unit_code
        if r is None or unit is None or not r.leaf:
            return
        self.store(Typed(unit, r.code, *self._form()))

    def store(self, typed: Typed, *, on_stored: Callable[[], None] | None = None,
              on_refused: Callable[[Exception], None] | None = None) -> None:
        """Store one criterion's appraisal on the database worker. Refused: `on_refused`, else the reason under
        the fields."""
        points, comment, requested = typed.points or None, typed.comment or None, typed.requested
        ws = self.window_.ws

        def work():
            if points is None and comment is None and not requested:
                return aggregate.appraise_clear(ws, typed.unit, typed.code, reason=None)
            return aggregate.appraise_set(ws, typed.unit, typed.code, points, comment, requested)

        def stored(_result) -> None:
            if self.current is not None and (self.unit_code, self.current.code) == (typed.unit, typed.code):
                self._stored_form = (typed.points, typed.comment, typed.requested)
                self.refusal.hide()
            self.window_.saved_message()
            if on_stored is not None:
                on_stored()
            self.saved.emit()

        def refused(error: Exception) -> None:
            if not isinstance(error, UserError):
                raise error
            if on_refused is not None:
                on_refused(error)
                return
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

    def refusal_text(self) -> str:
        return "" if self.refusal.isHidden() else self.refusal.text()
