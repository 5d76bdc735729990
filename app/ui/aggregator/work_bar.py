"""Appraisal by field (thẩm định theo lĩnh vực) under the appraisal table: the department, the enrolled unit
that receives its work file (the department's own installation: preselected when one unit bears its name;
only that unit may send the results back), the export of the signed work file and the import of a
department's return. Shown only when the framework gives indicators to departments."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.aggregator_view import AggregatorSnapshot
from app.ui.ops import error_text
from app.ui.text import tr

CTX = "AggregatorAppraisal"


class WorkBar(QWidget):
    merged = Signal()      # a department's return was merged: the page and the window refresh

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window_ = window
        self.recipients: list[tuple[str, str]] = []      # (code, name) of the enrolled units, not revoked
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr(CTX, "Thẩm định theo lĩnh vực:")))
        self.department_combo = QComboBox()
        self.department_combo.setObjectName("departmentCombo")
        self.department_combo.currentIndexChanged.connect(self._department_chosen)
        bar.addWidget(self.department_combo, 2)
        bar.addWidget(QLabel(tr(CTX, "gửi cho:")))
        self.recipient_combo = QComboBox()
        self.recipient_combo.setObjectName("workRecipient")
        self.recipient_combo.setToolTip(tr(CTX, "Đơn vị đã được cấp tài khoản nhận tệp giao việc (máy của cơ quan "
                                                "thẩm định); chỉ đơn vị này được gửi lại kết quả"))
        self.recipient_combo.setMinimumContentsLength(18)
        bar.addWidget(self.recipient_combo, 2)
        self.work_button = QPushButton(tr(CTX, "Xuất tệp giao việc…"))
        self.work_button.clicked.connect(self.export_work)
        bar.addWidget(self.work_button)
        self.return_button = QPushButton(tr(CTX, "Nhập kết quả của cơ quan…"))
        self.return_button.clicked.connect(lambda: self.import_return())   # not clicked(checked=False) as the path
        bar.addWidget(self.return_button)
        column.addLayout(bar)
        self.note = QLabel()
        self.note.setObjectName("workNote")
        self.note.setWordWrap(True)
        self.note.hide()
        column.addWidget(self.note)

    def set_snapshot(self, snap: AggregatorSnapshot) -> None:
        department = self.department_combo.currentData()
        seen: dict[str, str] = {}
        for row in (snap.enrollment.rows if snap.enrollment is not None else ()):
            if row.revoked_at is None:
                seen.setdefault(row.unit_code, row.unit_name)
        self.recipients = sorted(seen.items())
        chosen = self.recipient_combo.currentData()
        self.recipient_combo.blockSignals(True)
        self.recipient_combo.clear()
        self.recipient_combo.addItem(tr(CTX, "— chọn đơn vị nhận —"), None)
        for code, name in self.recipients:
            self.recipient_combo.addItem(f"{code} — {name}", code)
        self.recipient_combo.blockSignals(False)
        self.department_combo.blockSignals(True)
        self.department_combo.clear()
        for d in snap.departments:
            self.department_combo.addItem(d, d)
        found = self.department_combo.findData(department)
        self.department_combo.setCurrentIndex(found if found >= 0 else 0)
        self.department_combo.blockSignals(False)
        self.setVisible(bool(snap.departments))
        if chosen is not None and self.recipient_combo.findData(chosen) >= 0 and \
                self.department_combo.currentData() == department:
            self.recipient_combo.setCurrentIndex(self.recipient_combo.findData(chosen))
        else:
            self._department_chosen()

    def _department_chosen(self, *_args: object) -> None:
        """The unit bearing the department's name, when exactly one does; else the officer chooses."""
        from app.services.appraisal_work import named_like

        department = self.department_combo.currentData() or ""
        named = [code for code, name in self.recipients if named_like(department, name)]
        self.recipient_combo.setCurrentIndex(self.recipient_combo.findData(named[0]) if len(named) == 1 else 0)
        self._say("")

    def _say(self, text: str, bad: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #c62828;" if bad else "")
        self.note.setVisible(bool(text))

    def _save_as(self, title: str, suggested: str, filters: str) -> Path | None:
        out = self.window_.dialogs.save_file(self, title, suggested, filters)
        if out is None:
            return None
        out, suffix = Path(out), Path(suggested).suffix
        return out if out.suffix.lower() == suffix else out.with_name(out.name + suffix)

    def export_work(self) -> None:
        department = self.department_combo.currentData()
        if not department:
            return
        to = self.recipient_combo.currentData()
        if to is None:
            self._say(tr(CTX, "Hãy chọn đơn vị nhận tệp giao việc: máy của {dept} đã được cấp tài khoản tại đây. Chỉ "
                              "đơn vị đó được gửi lại kết quả thẩm định.").format(dept=department), bad=True)
            self.recipient_combo.setFocus()
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

        def written(done) -> None:
            self._say(tr(CTX, "Đã xuất {file} cho {unit}: {units} đơn vị, {n} chỉ tiêu.").format(
                file=out.name, unit=to, units=done.units, n=done.indicators))
            self.window_.saved_message(tr(CTX, "Đã xuất {file}: {units} đơn vị, {n} chỉ tiêu").format(
                file=out.name, units=done.units, n=done.indicators))

        self.window_.ctx.runner.op(self, lambda: appraisal_work.export_work(ws, department, out, passphrase, to=to)) \
            .success(written).failure(lambda e: self._say(error_text(e), bad=True)).run()

    def import_return(self, path=None) -> None:
        """A department's return merged; `path` given when the file was double-clicked, else chosen here."""
        from app.services import appraisal_work

        if path is None:
            path = self.window_.dialogs.open_file(self, tr(CTX, "Chọn tệp kết quả thẩm định của cơ quan"),
                                                  tr(CTX, "Tệp thẩm định (*.dtiwork);;Mọi tệp (*)"))
        if path is None:
            return
        ws = self.window_.ws

        def done(result) -> None:
            c = result.counts
            self._say("")
            self.window_.saved_message(tr(CTX, "{dept}: {new} mới, {upd} cập nhật, {same} trùng, {conf} xung đột").format(
                dept=result.department, new=c.get("new", 0), upd=c.get("updated", 0), same=c.get("same", 0),
                conf=c.get("conflict", 0)))
            self.merged.emit()

        self.window_.ctx.runner.op(self, lambda: appraisal_work.import_file(ws, path)).success(done).failure(
            lambda e: self._say(error_text(e), bad=True)).run()
