"""Issue 17 in the evidence panel: a phone photo becomes a PDF, a mixed batch attaches the good files and names
the refused one, "Nén PDF" for a scan over the size cap and for an attached PDF, and a removal that asks first
and is undone with Ctrl+Z. The panel is bound to a workspace, the synchronous runner and an undo stack, as the
main window binds it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox, QVBoxLayout, QWidget
from sqlalchemy import select

from app.models.tables import AuditEntry
from app.services import unit_view
from app.services.workspace import Workspace
from app.ui.evidence_panel import EvidencePanel, size_text
from tests.evidence import corpus as c
from tests.services.test_evidence_service import loose_scan_pdf, noisy_jpeg


@dataclass
class Host:
    """What the main window gives the panel: the workspace, the runner, the undo stack, a refresh."""

    panel: EvidencePanel
    ws: Workspace
    stack: QUndoStack
    window: QWidget
    refreshed: list[str]

    def names(self) -> list[str]:
        return [self.panel.model.index(r, 0).data() for r in range(self.panel.model.rowCount())]

    def audit(self, action: str) -> list[AuditEntry]:
        with self.ws.store.session() as session:
            return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


@pytest.fixture
def host(qtbot, ctx, small_unit: Path) -> Iterator[Host]:
    ws = Workspace(small_unit, lang="vi")
    window = QWidget()
    qtbot.addWidget(window)
    stack = QUndoStack(window)
    panel = EvidencePanel()
    QVBoxLayout(window).addWidget(panel)
    refreshed: list[str] = []

    def changed(code: str) -> None:   # as the main window: a new snapshot, the indicator shown again
        refreshed.append(code)
        panel.show_node(unit_view.load_snapshot(ws).node(code))

    panel.bind(ws, ctx.runner, stack, changed)
    for make, keys in ((stack.createUndoAction, QKeySequence.StandardKey.Undo),
                       (stack.createRedoAction, QKeySequence.StandardKey.Redo)):
        action: QAction = make(window)
        action.setShortcut(keys)
        window.addAction(action)
    panel.show_node(unit_view.load_snapshot(ws).node("1.1"))
    window.resize(900, 420)
    window.show()
    yield Host(panel, ws, stack, window, refreshed)
    ws.close()


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def message_box() -> QMessageBox:
    QApplication.processEvents()
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert len(boxes) == 1, boxes
    return boxes[0]


def press(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text() == text)
    button.click()
    QApplication.processEvents()


# ------------------------------------------------------------------------------------------ item 3 (a)

def test_a_phone_photo_is_attached_as_a_pdf_and_the_audit_names_the_photo(qtbot, host: Host, tmp_path: Path):
    photo = write(tmp_path, "IMG_20241105_0931.jpg", c.scan_image("JPEG", exif_orientation=6))
    host.panel.attach([photo])
    assert host.names() == ["IMG_20241105_0931.pdf"]
    item = host.panel.model.rows[0]
    assert item.kind == "pdf" and item.original_sha256 == sha(photo)
    row = host.audit("evidence.add")[-1]
    assert "IMG_20241105_0931.jpg" in row.new and sha(photo) in row.new and item.sha256 in row.new
    assert "ảnh chụp đã chuyển sang PDF" in host.panel.outcome.text()


# ------------------------------------------------------------------------------------------ item 3 (c)

def test_a_mixed_batch_attaches_the_good_files_and_names_the_refused_one(qtbot, host: Host, tmp_path: Path):
    files = [write(tmp_path, "Biên bản họp.pdf", c.reportlab_pdf(2)),
             write(tmp_path, "Tờ trình.pdf", c.zip_bytes()),
             write(tmp_path, "Ảnh giấy mời.png", c.scan_image("PNG")),
             write(tmp_path, "Quyết định.pdf", c.reportlab_pdf(1))]
    host.panel.attach(files)
    assert host.names() == ["Biên bản họp.pdf", "Ảnh giấy mời.pdf", "Quyết định.pdf"]
    text = host.panel.outcome.text()
    assert text.startswith("Đã đính kèm 3 tệp (1 ảnh chụp đã chuyển sang PDF); không nhận 1 tệp:")
    assert "“Tờ trình.pdf”: " in text and "ZIP" in text
    assert host.panel.outcome.isVisible() and not host.panel.offer_button.isVisible()
    assert host.panel.title.text() == "Tài liệu kiểm chứng (3)"
    host.panel.show_node(unit_view.load_snapshot(host.ws).node("1.2"))   # another criterion: the outcome goes
    assert not host.panel.outcome.isVisible()


# ------------------------------------------------------------------------------------------ item 3 (b)

def test_a_scan_over_the_cap_is_offered_nen_pdf_with_the_sizes(qtbot, host: Host, tmp_path: Path):
    host.ws.set_setting("evidence_max_mb", "1")
    scan = write(tmp_path, "Biên bản quét.pdf", loose_scan_pdf())
    good = write(tmp_path, "Giấy mời.pdf", c.reportlab_pdf(1))
    host.panel.attach([good, scan])
    assert host.names() == ["Giấy mời.pdf"]
    assert "không nhận 1 tệp: “Biên bản quét.pdf”: tệp có dung lượng 1,6 MB, vượt giới hạn 1 MB" in \
        host.panel.outcome.text()
    offer = host.panel.offer_button
    assert offer.isVisible() and offer.text() == "Nén PDF"
    qtbot.mouseClick(offer, Qt.MouseButton.LeftButton)
    assert host.names() == ["Giấy mời.pdf", "Biên bản quét.pdf"]
    stored = host.panel.model.rows[1]
    assert stored.original_sha256 == sha(scan) and stored.size < 1024 * 1024
    assert host.panel.outcome.text() == f"Đã nén “Biên bản quét.pdf” từ 1,60 MB xuống {size_text(stored.size)} và đính kèm."
    assert not offer.isVisible()
    assert host.panel.current() == stored          # the new file is selected, scrolled into view
    assert sha(scan) in host.audit("evidence.add")[-1].new


def test_when_compressing_is_not_enough_the_officer_is_told_what_to_do(qtbot, host: Host, tmp_path: Path):
    from app.evidence.inspect import image_to_pdf

    host.ws.set_setting("evidence_max_mb", "1")
    photo_pdf = write(tmp_path, "Ảnh lớn.pdf", image_to_pdf(write(tmp_path, "Ảnh lớn.jpg", noisy_jpeg())))
    host.panel.attach([photo_pdf])
    qtbot.mouseClick(host.panel.offer_button, Qt.MouseButton.LeftButton)
    assert host.names() == []
    text = host.panel.outcome.text()
    assert "“Ảnh lớn.pdf”: tệp 1,9 MB, không nén nhỏ hơn được" in text and "150–200 dpi" in text
    assert not host.panel.offer_button.isVisible()


def test_an_attached_unsigned_pdf_can_be_compressed_and_the_compression_undone(qtbot, host: Host, tmp_path: Path):
    scan = write(tmp_path, "Quét.pdf", loose_scan_pdf())
    signed = write(tmp_path, "Ký số.pdf", c.sign_pdf(c.reportlab_pdf(pages=1, compress=False), c.make_pki()))
    host.panel.attach([scan, signed])
    host.panel.view.selectRow(1)
    assert not host.panel.compress_button.isEnabled()    # a signed PDF is never rewritten
    host.panel.view.selectRow(0)
    assert host.panel.compress_button.isEnabled()
    qtbot.mouseClick(host.panel.compress_button, Qt.MouseButton.LeftButton)
    smaller = host.panel.model.rows[0]
    assert smaller.name == "Quét.pdf" and smaller.original_sha256 == sha(scan) and smaller.size < 200_000
    assert host.panel.outcome.text().startswith("Đã nén “Quét.pdf” từ 1,60 MB xuống ")
    host.stack.undo()
    assert [i.sha256 for i in host.panel.model.rows] == [sha(scan), sha(signed)]
    host.stack.redo()
    assert host.panel.model.rows[0].sha256 == smaller.sha256


# ------------------------------------------------------------------------------------------ item 11

@pytest.mark.parametrize("how", ["button", "delete key"])
def test_removing_asks_first_and_ctrl_z_puts_the_file_back(qtbot, host: Host, tmp_path: Path, how: str):
    first = write(tmp_path, "Biên bản họp.pdf", c.reportlab_pdf(2))
    second = write(tmp_path, "Giấy mời.pdf", c.reportlab_pdf(1))
    host.panel.attach([first, second])
    before = list(host.panel.model.rows)
    host.panel.view.selectRow(0)

    def activate() -> None:   # shortcuts need the active window, as on a desktop (a closed question leaves none)
        host.window.activateWindow()
        qtbot.waitUntil(host.window.isActiveWindow)

    def ask() -> QMessageBox:
        activate()
        if how == "button":
            qtbot.mouseClick(host.panel.remove_button, Qt.MouseButton.LeftButton)
        else:
            host.panel.view.setFocus()
            qtbot.keyClick(host.panel.view, Qt.Key.Key_Delete)
        return message_box()

    box = ask()
    assert "Gỡ “Biên bản họp.pdf” khỏi tiêu chí 1.1?" in box.text() and "Ctrl+Z" in box.text()
    assert box.defaultButton().text() == "Không gỡ"
    press(box, "Không gỡ")
    assert host.names() == ["Biên bản họp.pdf", "Giấy mời.pdf"]
    press(ask(), "Gỡ")
    assert host.names() == ["Giấy mời.pdf"]
    assert "Đã gỡ “Biên bản họp.pdf”" in host.panel.outcome.text()
    assert host.stack.undoText() == "gỡ “Biên bản họp.pdf” khỏi 1.1"

    activate()
    qtbot.keyClick(host.panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sorted(host.panel.model.rows, key=lambda i: i.name) == before       # the same record: name, hash, findings
    with host.ws.store.session() as session:
        from app.models.tables import Attachment

        dates = {a.name: a.added_at for a in session.scalars(select(Attachment))}
    assert dates["Biên bản họp.pdf"] == dates["Giấy mời.pdf"]                  # its first date, not the undo's
    assert host.audit("evidence.add")[-1].reason == "undo"
    assert host.refreshed[-1] == "1.1"
    assert host.panel.outcome.text() == "Đã hoàn tác: gỡ “Biên bản họp.pdf” khỏi 1.1."
    assert host.panel.current().name == "Biên bản họp.pdf"     # back at the end of the list, and selected
    host.stack.redo()
    assert host.names() == ["Giấy mời.pdf"]
    assert host.ws.audit_check().broken_at is None


def test_attaching_is_undone_too(qtbot, host: Host, tmp_path: Path):
    pdf = write(tmp_path, "Nhầm.pdf", c.reportlab_pdf(1))
    host.panel.attach([pdf])
    assert host.stack.undoText() == "đính kèm 1 tệp vào 1.1"
    host.stack.undo()
    assert host.names() == []
    host.stack.redo()
    assert host.names() == ["Nhầm.pdf"]

