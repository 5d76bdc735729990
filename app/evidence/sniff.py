"""First look at a file: size limits, one streaming pass for SHA-256, and what the magic bytes say it is.

Only the standard library. The file is opened once; `read_source` hashes it in chunks (constant memory)
while keeping the first and last KiB, then hands the same open file, rewound, to the PDF or image
inspection, which read only the parts they need.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any, BinaryIO

from app.evidence import messages as msg

CHUNK = 1024 * 1024
EDGE = 1024  # a PDF header may sit anywhere in the first KiB, %%EOF anywhere in the last KiB (as readers allow)

# accepted extension (lowercase, with dot) -> the kind of content it names
ACCEPTED = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}
IMAGE_KINDS = ("jpeg", "png")

# Signatures that identify content at offset 0, checked before looking for a PDF header further in, so a
# ZIP, JPEG or program with "%PDF-" somewhere in its first KiB is still called what it is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"PK\x07\x08", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"GIF87a", "gif"), (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
    (b"{\\rtf", "rtf"),
)


@dataclass
class Source:
    """An open evidence file after the first pass."""

    handle: BinaryIO
    size: int
    sha256: str
    head: bytes
    tail: bytes


def extension(display_name: str, path: Path) -> str:
    """The lowercase extension (with dot) of the name the person knows; the stored path's when that name
    has none (a store may keep files as `<sha256>.<ext>`)."""
    ext = PureWindowsPath(display_name).suffix.lower()
    return ext or Path(path).suffix.lower()


def read_source(handle: BinaryIO, name: str, max_bytes: int, known_sha256: str | None = None) -> Source:
    """Check the size, then hash the whole file in one streaming pass. Refuses empty and oversized files
    before reading them. The size is what was actually read, so a file that changes while read cannot
    pass off a hash of other bytes.

    `known_sha256`: the caller has just written this file itself, hashing every byte on the way (an
    import's content-addressed store); then only its two ends are read (200 MB of evidence is not read
    and hashed a second time)."""
    try:
        declared = os.fstat(handle.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        declared = None
    if declared == 0:
        raise msg.refused_empty(name)
    if declared is not None and declared > max_bytes:
        raise msg.refused_too_large(name, declared, max_bytes)
    if known_sha256 is not None and declared is not None:
        head = handle.read(EDGE)
        handle.seek(max(0, declared - EDGE))
        tail = handle.read(EDGE)
        handle.seek(0)
        return Source(handle, declared, known_sha256, head, tail)
    digest = hashlib.sha256()
    size = 0
    head = b""
    tail = b""
    while True:
        chunk = handle.read(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise msg.refused_too_large(name, size, max_bytes)
        digest.update(chunk)
        if len(head) < EDGE:
            head += chunk[: EDGE - len(head)]
        tail = (tail + chunk[-EDGE:])[-EDGE:]
    if size == 0:
        raise msg.refused_empty(name)
    handle.seek(0)
    return Source(handle, size, digest.hexdigest(), head, tail)


def sniff(head: bytes) -> str:
    """What the first KiB says the content is: "pdf", "jpeg", "png", another kind named in
    `messages.CONTENT_NAMES`, or "unknown"."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"heim", b"heis"):
        return "heic"
    if b"%PDF-" in head:
        return "pdf"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "unknown"


def check_kind(name: str, ext: str, content: str) -> str:
    """The kind the file is accepted as, or EvidenceRefused.

    The extension must be accepted and the content must be of its family: a PDF for .pdf, an image for
    .jpg/.jpeg/.png. A JPEG named .png (or the reverse) is accepted as what it really is, since people
    cannot see the extension on Windows and both are decoded the same way; the store then names it by
    its real kind (`Inspection.ext`).
    """
    named = ACCEPTED.get(ext)
    if named is None:
        raise msg.refused_type(name, ext)
    if named == content or (named in IMAGE_KINDS and content in IMAGE_KINDS):
        return content
    raise msg.refused_mismatch(name, ext, content)


def ends_like_pdf(tail: bytes) -> bool:
    """A complete PDF ends with %%EOF, give or take trailing whitespace and padding NULs."""
    return b"%%EOF" in tail.rstrip(b"\x00\t\n\x0c\r ")[-EDGE:]


_PADDING = b"\x00\t\n\x0c\r "
# Words that only a PDF's own structure writes: bytes after the last %%EOF that hold them are the start of an
# incremental update that was cut off, not something appended to a complete file.
_STRUCTURE = (b" obj", b"endobj", b"xref", b"startxref", b"trailer", b"stream")


@dataclass(frozen=True)
class DocumentEnd:
    """Where the PDF document in a file ends: just after its last %%EOF and the end-of-line after it (`offset`),
    and what follows."""

    offset: int
    trailing: str  # "" (nothing or padding: NULs, white space), "data" (other bytes), "structure" (cut off)


def document_end(handle: BinaryIO, size: int) -> DocumentEnd | None:
    """The last %%EOF of the file, found by reading backwards in chunks, or None when there is none (the
    file was cut off before its end). Scanners and some upload systems pad a file with zero bytes, e-mail
    gateways and servers append a line or a page of HTML; the document before them is whole."""
    window = CHUNK
    position = size
    carry = b""
    while position > 0:
        start = max(0, position - window)
        handle.seek(start)
        block = handle.read(position - start) + carry
        found = block.rfind(b"%%EOF")
        if found >= 0:
            end = start + found + len(b"%%EOF")
            handle.seek(end)
            eol = handle.read(2)  # the end-of-line after %%EOF belongs to the document (a signature covers it)
            end += 2 if eol == b"\r\n" else 1 if eol[:1] in (b"\r", b"\n") else 0
            handle.seek(end)
            after = handle.read(size - end) if size - end <= 4 * CHUNK else None
            handle.seek(0)
            if after is None:  # megabytes after the end: whatever it is, not padding
                return DocumentEnd(end, "data")
            rest = after.strip(_PADDING)
            if not rest:
                return DocumentEnd(end, "")
            return DocumentEnd(end, "structure" if any(w in rest for w in _STRUCTURE) else "data")
        carry = block[:4]  # a marker split across two chunks
        position = start
    handle.seek(0)
    return None


class BoundedReader(io.RawIOBase):
    """The first `end` bytes of a seekable binary file, as a file of its own: the PDF libraries read the
    document that precedes trailing bytes as if nothing followed it."""

    def __init__(self, handle: BinaryIO, end: int) -> None:
        super().__init__()
        self._handle = handle
        self._end = end
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._end}[whence]
        self._position = max(0, base + offset)
        return self._position

    def readinto(self, buffer: Any) -> int:
        wanted = min(len(buffer), max(0, self._end - self._position))
        if wanted == 0:
            return 0
        self._handle.seek(self._position)
        data = self._handle.read(wanted)
        buffer[:len(data)] = data
        self._position += len(data)
        return len(data)
