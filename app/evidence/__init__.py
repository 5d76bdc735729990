"""Evidence intake (tài liệu kiểm chứng): inspection of PDF and JPEG/PNG files, offline validation of PDF
signatures, conversion of scans to PDF and rewriting of unsigned PDFs smaller.

Importing this package loads no heavy library; pikepdf, pyHanko, Pillow and reportlab are imported by the
functions that need them. See `app.evidence.inspect` for the rules.
"""

from app.evidence.inspect import (
    EvidenceRefused,
    Finding,
    Inspection,
    SignatureInfo,
    image_to_pdf,
    inspect_file,
    optimize_pdf,
)

__all__ = ["EvidenceRefused", "Finding", "Inspection", "SignatureInfo", "image_to_pdf", "inspect_file",
           "optimize_pdf"]
