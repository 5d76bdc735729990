"""The editor of the selected indicator: what is asked, the input generated from its rule, live points
with "how this was obtained", the guide, the appraiser's feedback and the explanation box.

Edits leave as signals; the main window stores them through the service (one gatekeeper) and refreshes
every pane from the new snapshot. A refusal is shown here, in Vietnamese, and the typed text stays so the
officer can correct it: nothing was stored.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.scoring.numbers import format_points
from app.services.unit_view import NodeView, Reading, UnitSnapshot, read_one_number, read_typed
from app.ui.entry_inputs import EntryInput, make_input
from app.ui.ops import ui_lang
from app.ui.text import tr
from app.ui.tree_model import status_text

CTX = "Editor"
EXPLANATION_SAVE_MS = 1500   # typing pauses this long → stored (a crash loses at most this much)


def _label(object_name: str = "", wrap: bool = True, selectable: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(wrap)
    if object_name:
        label.setObjectName(object_name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def evidence_level_text(level: str) -> str:
    return {"required": tr(CTX, "Tài liệu kiểm chứng: bắt buộc"),
            "optional": tr(CTX, "Tài liệu kiểm chứng: không bắt buộc"),
            "none": tr(CTX, "Không yêu cầu tài liệu kiểm chứng")}.get(level, level)


class IndicatorEditor(QWidget):
    entry_submitted = Signal(str, object)      # code, raw value as typed/clicked
    entry_cleared = Signal(str)
    explanation_submitted = Signal(str, str)
    info_requested = Signal(str)               # an info field code (a denominator)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.node: NodeView | None = None
        self.snapshot: UnitSnapshot | None = None
        self.input: EntryInput | None = None
        self._refused = False
        self._saved_explanation = ""

        # Two parts: the indicator (what is asked, the input, the points, the rule and the guide) scrolls on
        # its own above the explanation box, which stays on screen below it however long the guide is: on a
        # 1366×768 laptop the editor has some 300 px, less than one choice indicator with its guide.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        self.details = QScrollArea()
        self.details.setObjectName("details")
        self.details.setWidgetResizable(True)
        self.details.setFrameShape(QFrame.Shape.NoFrame)
        self.details.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 4, 0)
        column.setSpacing(8)
        self.details.setWidget(body)
        layout.addWidget(self.details, 1)

        self.heading = _label("heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        column.addWidget(self.heading)
        points_row = QHBoxLayout()
        self.points = _label("points", wrap=False)
        self.points.setStyleSheet("font-size: 20px; font-weight: bold; color: #1b5e20;")
        points_row.addWidget(self.points)
        self.status = _label("status", wrap=False)
        points_row.addWidget(self.status)
        points_row.addSpacing(12)
        self.meta = _label("meta")
        self.meta.setStyleSheet("color: #555;")
        points_row.addWidget(self.meta, 1)
        column.addLayout(points_row)

        self.input_box = QFrame()
        self.input_box.setObjectName("inputBox")
        self.input_box.setStyleSheet("#inputBox { background: #f5f7fa; border: 1px solid #d0d7de; "
                                     "border-radius: 4px; }")
        self.input_layout = QVBoxLayout(self.input_box)
        self.input_layout.setContentsMargins(10, 6, 10, 8)
        title_row = QHBoxLayout()
        self.input_title = QLabel(tr(CTX, "Số liệu của đơn vị"))
        self.input_title.setStyleSheet("font-weight: bold;")
        title_row.addWidget(self.input_title)
        title_row.addStretch(1)
        self.clear_button = QPushButton(tr(CTX, "Xóa số liệu"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self._clear)
        title_row.addWidget(self.clear_button)
        self.input_layout.addLayout(title_row)
        column.addWidget(self.input_box)

        self.refusal = _label("refusal")
        self.refusal.hide()
        column.addWidget(self.refusal)
        self.how = _label("how")
        column.addWidget(self.how)
        self.appraisal = _label("appraisal")
        self.appraisal.setStyleSheet("background: #e3f2fd; border: 1px solid #90caf9; padding: 6px;")
        column.addWidget(self.appraisal)
        self.rule = _label("rule")
        column.addWidget(self.rule)
        self.guide = _label("guide")
        self.guide.setStyleSheet("color: #333; background: #fffde7; border: 1px solid #f0e6a0; padding: 6px;")
        column.addWidget(self.guide)
        self.children = _label("children")
        column.addWidget(self.children)
        column.addStretch(1)

        self.explanation_title = QLabel(tr(CTX, "Giải trình (gửi kèm hồ sơ, lưu tự động):"))
        self.explanation_title.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.explanation_title)
        self.explanation = QPlainTextEdit()
        self.explanation.setObjectName("explanation")
        self.explanation.setPlaceholderText(
            tr(CTX, "Ví dụ: lý do chưa có tài liệu, nguồn số liệu, ghi chú cho cơ quan thẩm định"))
        lines = self.explanation.fontMetrics().lineSpacing()
        frame = 2 * (self.explanation.frameWidth() + int(self.explanation.document().documentMargin()))
        self.explanation.setMinimumHeight(4 * lines + frame)     # a few lines, always
        self.explanation.setMaximumHeight(6 * lines + frame)     # the rest of a tall screen goes to the guide
        self.explanation.setTabChangesFocus(True)
        self.explanation.installEventFilter(self)
        layout.addWidget(self.explanation)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(EXPLANATION_SAVE_MS)
        self._timer.timeout.connect(self.save_explanation)
        self.explanation.textChanged.connect(self._timer.start)
        self.show_node(None, None)

    # -- showing ----------------------------------------------------------------------------------------
    def show_node(self, node: NodeView | None, snapshot: UnitSnapshot | None) -> None:
        """Show a node; the same node again (a refresh after an edit) keeps focus and a refused text."""
        same = node is not None and self.node is not None and node.code == self.node.code
        if not same:
            self.save_explanation()
            self._refused = False
            self.refusal.hide()
        self.node, self.snapshot = node, snapshot
        if node is None or snapshot is None:
            self.heading.setText(tr(CTX, "Chọn một chỉ số hoặc tiêu chí ở cây bên trái"))
            for widget in (self.meta, self.points, self.status, self.how, self.input_box, self.rule, self.guide,
                           self.appraisal, self.children, self.explanation_title, self.explanation):
                widget.hide()
            self._set_input(None)
            return
        self.heading.setText(f"{node.code}. {node.title}")
        self.heading.show()
        self.meta.setText(tr(CTX, "Điểm tối đa {max}").format(max=format_points(node.max))
                          + (" · " + evidence_level_text(node.evidence_level) if node.leaf else ""))
        self.points.setText(tr(CTX, "{points} / {max} điểm").format(points=format_points(node.points),
                                                                   max=format_points(node.max)))
        self.status.setText(f"({status_text(node.status)})" if node.leaf else "")
        self.how.setText(tr(CTX, "Cách tính: {how}").format(how=node.how))
        for widget in (self.meta, self.points, self.status, self.how):
            widget.show()
        self.rule.setText(tr(CTX, "Quy tắc: {rule}").format(rule=node.rule_text) if node.leaf else "")
        self.rule.setVisible(node.leaf)
        self.guide.setText(tr(CTX, "Hướng dẫn: {guide}").format(guide=node.guide) if node.guide else "")
        self.guide.setVisible(bool(node.guide))
        self._show_appraisal(node)
        self._show_children(node, snapshot)
        if node.leaf:
            if not same or self.input is None:
                self._set_input(make_input(node))
            if not self._refused:
                self.input.set_value(node, snapshot)
                self._show_reading(self.input.reading())
            self.clear_button.setVisible(not node.appraiser_only and node.value is not None)
        else:
            self._set_input(None)
        self.input_box.setVisible(node.leaf)
        self.explanation_title.setVisible(node.leaf)
        self.explanation.setVisible(node.leaf)
        if node.leaf and (not same or not self.explanation.hasFocus()):
            self.explanation.blockSignals(True)
            self.explanation.setPlainText(node.explanation)
            self.explanation.blockSignals(False)
            self._saved_explanation = node.explanation

    def _show_appraisal(self, node: NodeView) -> None:
        parts = []
        if node.appraised is not None:
            parts.append(tr(CTX, "Điểm thẩm định: <b>{points}</b> (tự chấm {self})").format(
                points=format_points(node.appraised), self=format_points(node.self_points)))
        if node.comment:
            parts.append(tr(CTX, "Ý kiến thẩm định: {comment}").format(comment=node.comment))
        if node.explanation_requested:
            parts.append("<b>" + tr(CTX, "Cơ quan thẩm định yêu cầu giải trình.") + "</b>")
        self.appraisal.setText("<br>".join(parts))
        self.appraisal.setVisible(bool(parts))

    def _show_children(self, node: NodeView, snapshot: UnitSnapshot) -> None:
        if node.leaf:
            self.children.hide()
            return
        rows = [f"{n.code}. {n.title} — <b>{format_points(n.points)}</b> / {format_points(n.max)}"
                for n in snapshot.nodes if n.parent == node.code]
        self.children.setText(tr(CTX, "Gồm:") + "<br>" + "<br>".join(rows))
        self.children.show()

    def _set_input(self, widget: EntryInput | None) -> None:
        if self.input is not None:
            self.input_layout.removeWidget(self.input)
            self.input.hide()   # deleteLater waits for the event loop; until then it must not show
            self.input.setParent(None)
            self.input.deleteLater()
        self.input = widget
        if widget is not None:
            self.input_layout.insertWidget(1, widget)
            if self.input_box.isVisible():
                widget.show()   # now, not when the event loop next runs (never hide(): it would stick)
            widget.submitted.connect(self._submit)
            widget.cleared.connect(self._clear)
            widget.info_requested.connect(self.info_requested)
            widget.reading_changed.connect(self._show_reading)
            code = self.node.code if self.node is not None else ""
            widget.set_readers(lambda raw: self._read(code, raw), lambda text: self._read_number(text))

    def _read(self, code: str, raw: str) -> Reading:
        return read_typed(self.snapshot, code, raw) if self.snapshot is not None else Reading()

    def _read_number(self, text: str) -> Reading:
        return read_one_number(text, self.snapshot.number_style if self.snapshot is not None else "vi")

    def _show_reading(self, reading: Reading) -> None:
        """As the officer types: why the text would be refused, under the box, before anything is stored."""
        if reading.refused:
            self.refusal.setText(reading.reason(ui_lang()))
            self.refusal.setStyleSheet("color: #8a4b00;")
            self.refusal.show()
        else:
            self.refusal.hide()

    # -- results from the main window -----------------------------------------------------------------
    def show_refusal(self, code: str, message: str) -> None:
        if self.node is None or self.node.code != code:
            return
        self._refused = True
        # the same gatekeeper read the same text as it was typed: its reason, in the interface's language
        typed = self.input.reading() if self.input is not None else Reading()
        reason = typed.reason(ui_lang()) if typed.refused else message.removeprefix(f"{code}: ")
        self.refusal.setText(tr(CTX, "Chưa lưu: {reason}").format(reason=reason))
        self.refusal.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.refusal.show()

    def clear_refusal(self) -> None:
        self._refused = False
        self.refusal.hide()

    def focus_input(self) -> None:
        if self.input is not None:
            self.input.focus_target().setFocus(Qt.FocusReason.ShortcutFocusReason)

    # -- edits out --------------------------------------------------------------------------------------
    def _submit(self, raw: object) -> None:
        if self.node is not None:
            self.entry_submitted.emit(self.node.code, raw)

    def _clear(self) -> None:
        if self.node is not None and self.node.value is not None:
            self.entry_cleared.emit(self.node.code)
        elif self.node is not None:
            self.clear_refusal()

    def save_explanation(self) -> None:
        self._timer.stop()
        if self.node is None or not self.node.leaf:
            return
        text = self.explanation.toPlainText()
        if text.strip() != self._saved_explanation.strip():
            self._saved_explanation = text
            self.explanation_submitted.emit(self.node.code, text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.explanation and event.type() == QEvent.Type.FocusOut:
            self.save_explanation()
        return super().eventFilter(watched, event)
