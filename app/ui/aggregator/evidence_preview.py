"""Evidence previewed inside the application (xem trước minh chứng): a PDF's pages rendered with PDFium
(pypdfium2; PySide6-Essentials has no QtPdf) off the GUI thread through the ops runner, one page at a time
with previous/next, shown scaled to the pane; JPG and PNG shown as they are. Beside the page: what intake
found in the file and the state of its digital signatures, as received."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.errors import UserError
from app.services.aggregator_view import EvidenceItem
from app.ui.ops import error_text, show_error
from app.ui.text import tr

CTX = "AggregatorEvidence"
RENDER_WIDTH = 1100          # pixels across a rendered page: sharp when the pane is widened, small in memory
MAX_PIXELS = 40_000_000      # a hostile page size must not allocate gigabytes


@dataclass(frozen=True)
class RenderedPage:
    image: QImage
    page: int                # 0-based
    pages: int


def render_page(path: str, kind: str, page: int = 0, width: int = RENDER_WIDTH) -> RenderedPage:
    """One page of a stored evidence file as an image (runs on a worker thread: QImage, never QPixmap)."""
    name = Path(path).name
    if not Path(path).is_file():
        raise UserError(f"stored file missing: {name}", tr(CTX, "Không tìm thấy tệp đã lưu: {name}").format(name=name))
    if kind in ("jpg", "jpeg", "png"):
        image = QImage(path)
        if image.isNull():
            raise UserError(f"cannot show the image {name}", tr(CTX, "Không hiển thị được ảnh {name}").format(name=name))
        return RenderedPage(image, 0, 1)
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        raise UserError(f"cannot open the PDF {name}: {e}",
                        tr(CTX, "Không mở được tệp PDF {name}").format(name=name)) from None
    try:
        pages = len(doc)
        if pages == 0:
            raise UserError(f"{name} has no pages", tr(CTX, "Tệp {name} không có trang nào").format(name=name))
        page = max(0, min(page, pages - 1))
        pdf_page = doc[page]
        try:
            w_pt, h_pt = pdf_page.get_size()
            scale = width / max(w_pt, 1.0)
            if w_pt * h_pt * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / max(w_pt * h_pt, 1.0)) ** 0.5
            bitmap = pdf_page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            try:
                fmt = QImage.Format.Format_RGBX8888 if bitmap.n_channels == 4 else QImage.Format.Format_RGB888
                if bitmap.n_channels == 1:
                    fmt = QImage.Format.Format_Grayscale8
                data = bytes(bitmap.buffer)
                image = QImage(data, bitmap.width, bitmap.height, bitmap.stride, fmt).copy()
            finally:
                bitmap.close()
        finally:
            pdf_page.close()
    except pdfium.PdfiumError as e:
        raise UserError(f"cannot render page {page + 1} of {name}: {e}",
                        tr(CTX, "Không hiển thị được trang {page} của {name}").format(page=page + 1, name=name)) from None
    finally:
        doc.close()
    return RenderedPage(image, page, pages)


class PageView(QWidget):
    """The page image, scaled to fit while keeping its proportions, on a grey desk."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image: QImage | None = None
        self.message = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 160)

    def set_image(self, image: QImage | None, message: str = "") -> None:
        self.image, self.message = image, message
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 560)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#e0e0e0"))
        if self.image is None or self.image.isNull():
            painter.setPen(QColor("#616161"))
            painter.drawText(self.rect().adjusted(12, 12, -12, -12),
                             int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap), self.message)
            painter.end()
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        area = QRectF(self.rect().adjusted(6, 6, -6, -6))
        w, h = self.image.width(), self.image.height()
        scale = min(area.width() / w, area.height() / h)
        target = QRectF(0, 0, w * scale, h * scale)
        target.moveCenter(area.center())
        painter.fillRect(target.translated(2, 2), QColor("#9e9e9e"))
        painter.drawImage(target, self.image)
        painter.end()


class EvidencePreview(QWidget):
    """One evidence file: its findings and signatures, the page shown, previous/next, open elsewhere."""

    def __init__(self, runner, parent=None):
        super().__init__(parent)
        self.runner = runner
        self.item: EvidenceItem | None = None
        self.page = 0
        self.pages = 0
        self._ticket = 0          # answers to an earlier request (another file, another page) are dropped
        self._deferred: int | None = None   # a page asked for while hidden: rendered when the pane is shown
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.findings = QLabel()
        self.findings.setObjectName("evidenceFindings")
        self.findings.setWordWrap(True)
        self.findings.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.findings)
        bar = QHBoxLayout()
        # arrows, their words in the tooltip: the pane fits beside the appraisal table at 1366×768
        self.prev_button = QPushButton("◀")
        self.prev_button.setToolTip(tr(CTX, "Trang trước"))
        self.prev_button.setObjectName("previewPrevious")
        self.prev_button.clicked.connect(lambda: self.go(-1))
        self.page_label = QLabel()
        self.page_label.setObjectName("previewPageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = QPushButton("▶")
        self.next_button.setToolTip(tr(CTX, "Trang sau"))
        self.next_button.setObjectName("previewNext")
        self.next_button.clicked.connect(lambda: self.go(+1))
        for arrow in (self.prev_button, self.next_button):
            arrow.setFixedWidth(arrow.fontMetrics().horizontalAdvance("◀") + 24)
        self.open_button = QPushButton(tr(CTX, "Mở bằng ứng dụng khác"))
        self.open_button.clicked.connect(self.open_outside)
        bar.addWidget(self.prev_button)
        bar.addWidget(self.page_label, 1)
        bar.addWidget(self.next_button)
        bar.addWidget(self.open_button)
        column.addLayout(bar)
        self.view = PageView()
        self.view.setObjectName("previewPage")
        column.addWidget(self.view, 1)
        self.show_item(None)

    def show_item(self, item: EvidenceItem | None, empty_text: str | None = None) -> None:
        self.item = item
        self.page, self.pages = 0, 0
        self._deferred = None
        if item is None:
            self._ticket += 1
            self.findings.setText("")
            self.view.set_image(None, empty_text if empty_text is not None else tr(CTX, "Chọn một tài liệu để xem trước."))
            self._update_bar()
            return
        self.findings.setText(findings_html(item))
        self._render(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._deferred is not None and self.item is not None:
            page, self._deferred = self._deferred, None
            self._render(page)

    def go(self, step: int) -> None:
        if self.item is None:
            return
        target = self.page + step
        if 0 <= target < self.pages:
            self._render(target)

    def _render(self, page: int) -> None:
        item = self.item
        assert item is not None
        self._ticket += 1
        ticket = self._ticket
        self.view.set_image(self.view.image, tr(CTX, "Đang hiển thị…"))
        if not self.isVisible():
            # Not on screen (the appraisal page behind another tab, as at start-up): rendering a PDF page
            # can wait until the pane is shown, instead of holding up the window's first appearance.
            self._deferred = page
            return
        self.runner.op(self, lambda: render_page(item.path, item.kind, page)).success(
            lambda done: self._shown(ticket, done)).failure(lambda e: self._failed(ticket, e)).run()

    def _shown(self, ticket: int, done: RenderedPage) -> None:
        if ticket != self._ticket:
            return
        self.page, self.pages = done.page, done.pages
        self.view.set_image(done.image)
        self._update_bar()

    def _failed(self, ticket: int, error: Exception) -> None:
        if ticket != self._ticket:
            return
        if not isinstance(error, UserError):
            raise error
        self.pages = 0
        self.view.set_image(None, error_text(error))
        self._update_bar()

    def _update_bar(self) -> None:
        self.prev_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page + 1 < self.pages)
        self.open_button.setEnabled(self.item is not None)
        self.page_label.setText(tr(CTX, "Trang {page}/{pages}").format(page=self.page + 1, pages=self.pages)
                                if self.pages else "")

    def open_outside(self) -> None:
        if self.item is not None and Path(self.item.path).is_file():
            from app.services.evidence_service import viewing_copy

            try:   # the viewer never gets the store's own file (a received package's skeleton relies on it)
                copy = viewing_copy(Path(self.item.path), self.item.name)
            except UserError as e:
                show_error(self, e)
                return
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))

    def shown_page(self) -> tuple[int, int]:
        """(page shown, 1-based; pages), (0, 0) when nothing is shown."""
        return (self.page + 1, self.pages) if self.pages else (0, 0)


def findings_html(item: EvidenceItem) -> str:
    """What intake found and the signatures, as the appraiser reads them beside the page."""
    lines = [f"<b>{_escape(item.name)}</b>"]
    details = [tr(CTX, "{n} trang").format(n=item.pages) if item.pages else "",
               tr(CTX, "{size} KB").format(size=_kb(item.size)), tr(CTX, "SHA-256 {sha}…").format(sha=item.sha256[:12])]
    lines.append(" · ".join(d for d in details if d))
    if item.signers:
        lines.append("<span style='color:#2e7d32'>" + tr(CTX, "Chữ ký số: {who}").format(
            who=_escape("; ".join(item.signers))) + "</span>")
    elif item.kind == "pdf":
        lines.append("<span style='color:#616161'>" + tr(CTX, "Không có chữ ký số") + "</span>")
    if item.problems:
        lines.append("<span style='color:#c62828'>" + tr(CTX, "Kết quả kiểm tra khi nhận: {what}").format(
            what=_escape("; ".join(item.problems))) + "</span>")
    else:
        lines.append("<span style='color:#2e7d32'>" + tr(CTX, "Kiểm tra khi nhận: không phát hiện vấn đề") + "</span>")
    return "<br>".join(lines)


def _kb(size: int) -> str:
    from decimal import Decimal

    from app.scoring.numbers import format_vn

    return format_vn(Decimal(size) / 1024, 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
