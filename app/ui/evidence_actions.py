"""What the evidence panel's buttons do: attach (a phone photo becomes a PDF; the good files of a batch are
attached and the refused ones named), "Nén PDF" (a scan refused for its size, or an attached unsigned PDF),
and remove (asked first). Every change goes through the services on the database worker and is pushed on the
window's undo stack; what happened is told in the panel, in the officer's words.

The functions that run on the worker also record, for undo and redo, what they changed (`held`): the worker
runs them in order, so a redo queued behind its undo always finds the records the undo wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from app.errors import UserError
from app.scoring.numbers import format_vn
from app.services import evidence_service as es
from app.services.evidence_service import AttachedEvidence, Compression, Detached, Intake, Refusal
from app.services.workspace import Workspace
from app.ui.ops import Runner
from app.ui.text import tr
from app.ui.undo import StoredChange

if TYPE_CHECKING:
    from app.ui.evidence_panel import EvidencePanel

CTX = "Evidence"
Changed = Callable[[str], None]   # code → the window saves the moment, reloads and shows that indicator


def size_text(size: int) -> str:
    """1,25 MB or 12,4 KB, with the decimal comma."""
    if size >= 1024 * 1024:
        return f"{format_vn(Decimal(size) / 1048576, 2)} MB"
    return f"{format_vn(Decimal(size) / 1024, 1)} KB"


def attach_summary(intake: Intake, lang: str) -> str:
    """"Đã đính kèm 3 tệp (1 ảnh chụp đã chuyển sang PDF); không nhận 1 tệp: “X.pdf”: <lý do>"."""
    new = [i for i in intake.attached if i.new]
    parts = []
    if new:
        text = tr(CTX, "đã đính kèm {n} tệp").format(n=len(new))
        photos = sum(1 for i in new if i.how == "to_pdf")
        if photos:
            text += " " + tr(CTX, "({n} ảnh chụp đã chuyển sang PDF)").format(n=photos)
        parts.append(text)
    kept = len(intake.attached) - len(new)
    if kept:
        parts.append(tr(CTX, "{n} tệp đã có sẵn ở tiêu chí này").format(n=kept))
    if intake.refused:
        head = tr(CTX, "không nhận {n} tệp:").format(n=len(intake.refused))
        reasons = [r.text(lang) for r in intake.refused]
        parts.append(f"{head} {reasons[0]}" if len(reasons) == 1 else "\n".join([head, *(f"• {r}" for r in reasons)]))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def _first_new(intake: Intake) -> str | None:
    return next((i.item.sha256 for i in intake.attached if i.new), None)


class EvidenceActions:
    """The panel's attach, compress and remove, done through the services for one workspace."""

    def __init__(self, panel: EvidencePanel, ws: Workspace, runner: Runner, stack: QUndoStack, changed: Changed):
        self.panel = panel
        self.ws = ws
        self.runner = runner
        self.stack = stack
        self.changed = changed

    # -- attach ------------------------------------------------------------------------------------------
    def attach(self, code: str, paths: list[Path]) -> None:
        """Photos become PDFs; the accepted files are attached, the refused ones named with their reason."""
        self._run(code, lambda: es.attach_files(self.ws, code, paths, to_pdf=True, partial=True), self._attached,
                  tr(CTX, "Đang kiểm tra và lưu tài liệu kiểm chứng…"))

    def _attached(self, intake: Intake) -> None:
        self._push_attached(intake)
        self.changed(intake.code)
        offer = [r for r in intake.refused if r.compressible]
        self.panel.show_outcome(intake.code, attach_summary(intake, self.ws.lang), warning=bool(intake.refused),
                                offer=offer, focus=_first_new(intake))

    def _push_attached(self, intake: Intake) -> None:
        new = [i.item for i in intake.attached if i.new]
        if not new:
            return
        code = intake.code
        held: list[Detached] = []

        def detach() -> None:
            held[:] = [d for item in new for d in es.detach_evidence(self.ws, code, item.sha256, reason="undo")]

        text = tr(CTX, "đính kèm {n} tệp vào {code}").format(n=len(new), code=code)
        self._push(code, text, undo=detach, redo=lambda: es.restore_evidence(self.ws, held, reason="redo"))

    # -- "Nén PDF" ---------------------------------------------------------------------------------------
    def compress_refused(self, code: str, refusals: list[Refusal]) -> None:
        """Rewrite the PDFs refused for their size smaller and attach those that come under the cap."""
        paths = [r.path for r in refusals]
        self._run(code, lambda: es.attach_files(self.ws, code, paths, optimize=True, partial=True),
                  self._compressed_new, tr(CTX, "Đang nén tệp PDF…"))

    def _compressed_new(self, intake: Intake) -> None:
        self._push_attached(intake)
        self.changed(intake.code)
        lines = []
        for done in intake.attached:
            if done.how == "optimize":
                lines.append(tr(CTX, "Đã nén “{name}” từ {before} xuống {after} và đính kèm.").format(
                    name=done.item.name, before=size_text(done.source_size), after=size_text(done.item.size)))
            else:
                lines.append(tr(CTX, "Đã đính kèm “{name}”.").format(name=done.item.name))
        lines += [r.text(self.ws.lang) for r in intake.refused]
        self.panel.show_outcome(intake.code, "\n".join(lines), warning=bool(intake.refused), focus=_first_new(intake))

    def compress(self, code: str, item: AttachedEvidence) -> None:
        """Rewrite an attached unsigned PDF smaller, in its place under the same name."""
        self._run(code, lambda: es.compress_attached(self.ws, code, item.sha256), self._compressed,
                  tr(CTX, "Đang nén tệp PDF…"))

    def _compressed(self, result: Compression) -> None:
        code = result.code
        if not result.changed:
            self.panel.show_outcome(code, tr(CTX, "“{name}”: không nén nhỏ hơn được đáng kể; tệp giữ nguyên ({size})."
                                             ).format(name=result.name, size=size_text(result.before_size)))
            return
        self._push(code, tr(CTX, "nén “{name}” ở {code}").format(name=result.name, code=code),
                   undo=lambda: es.replace_attachment(self.ws, code, result.after_sha256, result.before_sha256, "undo"),
                   redo=lambda: es.replace_attachment(self.ws, code, result.before_sha256, result.after_sha256, "redo"),
                   focus=(result.before_sha256, result.after_sha256))
        self.changed(code)
        self.panel.show_outcome(code, tr(CTX, "Đã nén “{name}” từ {before} xuống {after}.").format(
            name=result.name, before=size_text(result.before_size), after=size_text(result.after_size)),
            focus=result.after_sha256)

    # -- remove ------------------------------------------------------------------------------------------
    def remove(self, code: str, item: AttachedEvidence) -> QMessageBox:
        """Ask first (a window-modal question, "Không gỡ" by default); remove only on "Gỡ"."""
        box = QMessageBox(QMessageBox.Icon.Question, tr(CTX, "Gỡ tài liệu kiểm chứng"),
                          tr(CTX, "Gỡ “{name}” khỏi tiêu chí {code}?\n\nTệp vẫn được giữ trong máy; nếu gỡ nhầm, "
                                  "bấm Ctrl+Z (Sửa → Hoàn tác) để đính kèm lại.").format(name=item.name, code=code),
                          QMessageBox.StandardButton.NoButton, self.panel)
        yes = box.addButton(tr(CTX, "Gỡ"), QMessageBox.ButtonRole.DestructiveRole)
        no = box.addButton(tr(CTX, "Không gỡ"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda button: self._remove(code, item) if button is yes else None)
        box.open()
        return box

    def _remove(self, code: str, item: AttachedEvidence) -> None:
        held: list[Detached] = []

        def detach(reason: str | None = None) -> None:
            held[:] = es.detach_evidence(self.ws, code, item.sha256, reason=reason)

        def done(_result: Any) -> None:
            self._push(code, tr(CTX, "gỡ “{name}” khỏi {code}").format(name=item.name, code=code),
                       undo=lambda: es.restore_evidence(self.ws, held, reason="undo"), redo=lambda: detach("redo"),
                       focus=(item.sha256, None))
            self.changed(code)
            self.panel.show_outcome(code, tr(CTX, "Đã gỡ “{name}” khỏi tiêu chí {code}. Bấm Ctrl+Z để hoàn tác.").format(
                name=item.name, code=code))

        self._run(code, detach, done)

    # -- plumbing ----------------------------------------------------------------------------------------
    def _push(self, code: str, text: str, undo: Callable[[], Any], redo: Callable[[], Any],
              focus: tuple[str | None, str | None] = (None, None)) -> None:
        """`focus`: the file to select after the undo and after the redo."""
        def then(told: str, sha256: str | None) -> Callable[[Any], None]:
            def done(_result: Any) -> None:
                self.changed(code)
                self.panel.show_outcome(code, told, focus=sha256)
            return done

        self.stack.push(StoredChange(
            text, lambda: self._run(code, undo, then(tr(CTX, "Đã hoàn tác: {what}.").format(what=text), focus[0])),
            lambda: self._run(code, redo, then(tr(CTX, "Đã làm lại: {what}.").format(what=text), focus[1]))))

    def _run(self, code: str, work: Callable[[], Any], done: Callable[[Any], None], progress: str | None = None) -> None:
        def failed(error: Exception) -> None:
            if not isinstance(error, UserError):
                raise error
            self.changed(code)   # whatever happened, show what is stored now
            self.panel.show_outcome(code, error.message_vi if self.ws.lang == "vi" else str(error), warning=True)

        op = self.runner.op(self.panel, work).success(done).failure(failed)
        if progress:
            op.with_progress(progress)
        op.run()
