"""The self-assessment report signed as PAdES (chữ ký số của thủ trưởng), with a visible block in Vietnamese.

`sign_report(pdf, signer, who, organisation, when)` adds an incremental update to the report: a signature
field at the foot of the last page whose appearance says who signed and when (dd/mm/yyyy HH:MM, Vietnam time),
drawn by reportlab with DejaVu Sans as the report is (a subset is embedded again for the block), and a PAdES
baseline signature (ETSI.CAdES.detached, SHA-256) made by `signer`, a pyHanko Signer: the token's
PKCS11Signer (app.trust.token.TokenSigner.pdf_signer). The report's own bytes, fonts included, are left as
they were: an incremental update only appends.
"""

from __future__ import annotations

import io
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

VIETNAM = timezone(timedelta(hours=7), "ICT")
FIELD = "ChuKyThuTruong"


def stamp_text(who: str, organisation: str, when: datetime) -> str:
    local = when.astimezone(VIETNAM)
    lines = [f"Ký bởi: {who}"]
    if organisation:
        lines.append(f"Cơ quan: {organisation}")
    lines.append(f"Thời gian ký: {local:%d/%m/%Y %H:%M} (giờ Việt Nam)")
    return "\n".join(lines)


def _stamp_pdf(path: Path, text: str, width: float, height: float) -> None:
    """The visible block as a one-page PDF of the field's size, drawn by reportlab with the report's DejaVu Sans
    (pyHanko's own text stamps would need HarfBuzz for a font with Vietnamese letters)."""
    from reportlab.lib import colors
    from reportlab.pdfgen.canvas import Canvas

    from app.reports.pdfbase import FONT, register_fonts

    register_fonts()
    canvas = Canvas(str(path), pagesize=(width, height), initialFontName=FONT, initialFontSize=7.5)
    canvas.setStrokeColor(colors.HexColor("#1f5fa8"))
    canvas.setLineWidth(1)
    canvas.rect(0.5, 0.5, width - 1, height - 1)
    canvas.setFillColor(colors.HexColor("#1f5fa8"))
    canvas.setFont(FONT, 7.5)
    y = height - 13
    for line in text.splitlines():
        canvas.drawString(6, y, line[:80])
        y -= 11
    canvas.showPage()
    canvas.save()


def sign_report(pdf: bytes, signer: Any, who: str, organisation: str, when: datetime) -> bytes:
    """`pdf` with a visible PAdES signature by `signer` (module docstring)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import StaticStampStyle

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    last = int(writer.root["/Pages"]["/Count"]) - 1
    page = writer.find_page_for_modification(last)[0].get_object()
    _x0, y0, x1, _y1 = (float(v) for v in page["/MediaBox"])
    box = (x1 - 300, y0 + 30, x1 - 28, y0 + 92)   # bottom right, above the page footer's margin
    meta = signers.PdfSignatureMetadata(field_name=FIELD, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, name=who[:100],
                                        reason="Thủ trưởng đơn vị ký báo cáo tự đánh giá", location="Việt Nam")
    out = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="dti-stamp-") as scratch:
        stamp = Path(scratch) / "stamp.pdf"
        _stamp_pdf(stamp, stamp_text(who, organisation, when), box[2] - box[0], box[3] - box[1])
        style = StaticStampStyle.from_pdf_file(str(stamp), border_width=0)
        pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=style,
                                       new_field_spec=fields.SigFieldSpec(FIELD, on_page=last, box=box))
        pdf_signer.sign_pdf(writer, output=out)
    return out.getvalue()
