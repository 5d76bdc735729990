"""Evidence intake: `inspect_file` decides whether a file is accepted as evidence and what is wrong with it.

Evidence (tài liệu kiểm chứng) is a scan of a signed paper document as PDF, or an electronic document
bearing a digital signature; JPEG/PNG scans are accepted too (with the finding `image_scan`) and can be
converted with `image_to_pdf`. Files come from many machines and are hostile until inspected: this module
only ever returns an `Inspection` or raises `EvidenceRefused` (a `UserError` with an English and a
Vietnamese line naming the file), whatever the bytes.

Order of the checks, cheapest first: extension accepted → size (empty, over the cap) from the directory
entry → one streaming pass computing SHA-256 → magic bytes agree with the extension → PDF: complete
(ends with %%EOF), opens (no user password), has pages, active content (`pdf.py`), qpdf's syntax check
without decoding image data (`syntax.py`), signatures validated offline when there are any
(`signatures.py`); image: within the pixel cap and decodes (`images.py`).

A JPEG named .png or a PNG named .jpg is accepted as what it is (`Inspection.kind`/`ext` follow the
content); any other disagreement between name and content is refused.

Truncated PDFs are refused, not repaired: a PDF that has no %%EOF, or whose last %%EOF is followed by the
start of a further revision, was cut off (a pulled USB stick, an interrupted download); qpdf can often
rebuild what precedes the cut, but pages, images or the last revision after it are lost, and the one who
attached it can fix that at once by attaching the whole file, whereas an appraiser down the line cannot. Bytes
after a whole document's %%EOF (zero padding from scanners, a line appended by a mail gateway) are not a cut:
the document before them is read on its own (`sniff.BoundedReader`), padding silently, other bytes with the
finding `trailing_data`. A complete file whose cross-reference data is damaged (wrong offsets, as some editing
tools write) is accepted with the finding `repaired`.

Only what the PDF library itself cannot do refuses a PDF: open it (damaged, or encrypted with a password or
for certificates) or read its page tree. A check of ours that fails on a file is a finding `unchecked`
("could not check ..."), logged with the file's hash (`pdf.attempt`), never a refusal.

Heavy libraries (pikepdf, pyHanko, Pillow) are imported inside the functions that use them. Cost, measured
on a 20.6 MB, 50-page 200 dpi scan: about 30 ms (SHA-256 alone ~20 ms), 70 ms when it is signed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from app.evidence import messages as msg
from app.evidence.images import image_to_pdf
from app.evidence.model import EvidenceRefused, Finding, Inspection, SignatureInfo
from app.evidence.pdf import optimize_pdf
from app.evidence.sniff import (
    ACCEPTED,
    BoundedReader,
    Source,
    check_kind,
    document_end,
    ends_like_pdf,
    extension,
    read_source,
    sniff,
)

__all__ = ["EvidenceRefused", "Finding", "Inspection", "SignatureInfo", "image_to_pdf", "inspect_file",
           "optimize_pdf"]

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


def inspect_file(path: Path, display_name: str, max_bytes: int = DEFAULT_MAX_BYTES,
                 trust_roots: Sequence[bytes] = (), known_sha256: str | None = None) -> Inspection:
    """Inspect the file at `path`, known to the person as `display_name` (whose extension counts).

    `max_bytes` caps the size; `trust_roots` are DER certificates the installation trusts for evidence
    signatures (e.g. the government CA). Reads the file once for the hash, then only what parsing needs;
    with `known_sha256` (a file the caller wrote and hashed itself) not even that.
    Never touches the network. Returns an Inspection, or raises EvidenceRefused."""
    name = msg.shown_name(display_name)
    ext = extension(display_name, Path(path))
    if ext not in ACCEPTED:
        raise msg.refused_type(name, ext)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - held across the stages below, closed in finally
    except OSError:
        raise msg.refused_unreadable(name) from None
    try:
        try:
            source = read_source(handle, name, max_bytes, known_sha256)
        except OSError:
            raise msg.refused_unreadable(name) from None
        kind = check_kind(name, ext, sniff(source.head))
        if kind == "pdf":
            return _inspect_pdf(source, name, trust_roots)
        return _inspect_image(source, name, kind)
    finally:
        handle.close()


def _inspect_pdf(source: Source, name: str, trust_roots: Sequence[bytes]) -> Inspection:
    from app.evidence.pdf import inspect_pdf

    handle: BinaryIO = source.handle
    trailing = ""
    if not ends_like_pdf(source.tail):
        end = document_end(source.handle, source.size)
        if end is None or end.trailing == "structure":  # no end at all, or a further revision cut off
            raise msg.refused_pdf_truncated(name)
        # Padding or appended bytes after a whole document: the libraries read the document alone.
        handle = io.BufferedReader(BoundedReader(source.handle, end.offset))
        trailing = end.trailing
    facts = inspect_pdf(handle, name, source.sha256)
    signatures: tuple[SignatureInfo, ...] = ()
    problems: list[Finding] = list(facts.problems)
    if trailing == "data":
        problems.append(msg.finding("trailing_data"))
    if facts.signed:
        from app.evidence.signatures import validate_signatures

        infos, findings = validate_signatures(handle, trust_roots, facts.signature_fields, source.sha256)
        signatures = tuple(infos)
        problems += findings
    return Inspection(kind="pdf", ext="pdf", size=source.size, sha256=source.sha256, pages=facts.pages,
                      encrypted=facts.encrypted, problems=tuple(problems), signatures=signatures)


def _inspect_image(source: Source, name: str, kind: str) -> Inspection:
    from app.evidence.images import check_image

    check_image(source.handle, name, kind)
    return Inspection(kind=kind, ext="jpg" if kind == "jpeg" else "png", size=source.size, sha256=source.sha256,
                      pages=1, encrypted=False, problems=(msg.finding("image_scan"),), signatures=())
