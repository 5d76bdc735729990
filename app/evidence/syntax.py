"""The syntax check behind the finding `syntax`: qpdf's `--check` (pikepdf `Pdf.check_pdf_syntax()`), made
affordable for scans and safe against decompression bombs.

`check_pdf_syntax()` decodes every stream completely, JPEG images included: about 60 ms per page of a
200 dpi colour scan, seconds for a 50-page file, for a check whose JPEG part a viewer repeats anyway. This
follows the same steps (linearization data, document structures, every stream decodable, every page's
content stream parseable) with two differences:

- an image compressed with a lossy or specialised codec (DCT, JPX, JBIG2, CCITT) is not decoded; a JPEG
  is checked for its start and end markers instead, which finds truncated or overwritten image data;
- a Flate stream is inflated in chunks and discarded, and given up (and reported) past `MAX_DECODED`
  bytes, so a few kilobytes that inflate to gigabytes cost neither the memory nor the minutes.
"""

from __future__ import annotations

import io
import zlib
from typing import Any

MAX_DECODED = 256 * 1024 * 1024  # per stream; a page's content is rarely above a few MB
_SMALL_RAW = 256 * 1024  # other filter chains are decoded by qpdf in memory only below this raw size
_LOSSY = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}
_CHUNK = 1024 * 1024


def syntax_problems(pdf: Any) -> list[str]:
    """Problems found, as qpdf words them (warnings first collected from the Pdf), in file order."""
    import pikepdf

    problems: list[str] = []

    def collect() -> None:
        problems.extend("WARNING: " + str(w) for w in pdf.get_warnings())

    collect()
    if pdf.is_linearized:
        pdf.check_linearization(io.StringIO())
    structures = getattr(pdf, "_check_document_structures", None)  # qpdf's form, outline, label checks
    if structures is not None:
        structures()
    collect()
    oversized: set[tuple[int, int]] = set()
    for obj in pdf.objects:
        if getattr(obj, "_type_code", None) != pikepdf.ObjectType.stream:  # scalars come as plain ints, bools, None
            continue
        try:
            problem = _stream_problem(obj)
        except pikepdf.PdfError as e:
            problem = str(e)
        collect()
        if problem:
            problems.append(f"ERROR: object {obj.objgen[0]} {obj.objgen[1]}: {problem}")
            if problem.startswith("decodes to more than"):
                oversized.add(obj.objgen)

    class Discard(pikepdf.StreamParser):
        def handle_object(self, *_args: Any) -> None:
            pass

        def handle_eof(self) -> None:
            pass

    for number, page in enumerate(pdf.pages, start=1):
        contents = page.obj.get("/Contents")
        parts = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        if any(getattr(p, "is_indirect", False) and p.objgen in oversized for p in parts):
            continue  # reported above; parsing would inflate it in memory
        try:
            page.parse_contents(Discard())
        except pikepdf.PdfError as e:
            collect()
            problems.append(f"ERROR: page {number}: {e}")
    collect()
    return problems


def _filters(stream: Any) -> list[str]:
    import pikepdf

    value = stream.get("/Filter")
    if value is None:
        return []
    if isinstance(value, pikepdf.Array):
        return [str(v) for v in value]
    return [str(value)]


def _stream_problem(stream: Any) -> str | None:
    filters = _filters(stream)
    if filters and filters[-1] in _LOSSY:
        if filters == ["/DCTDecode"]:
            return _jpeg_problem(stream.read_raw_bytes())
        return None
    if not filters:
        return None
    if filters == ["/FlateDecode"]:
        return _inflate_problem(stream.read_raw_bytes())
    if "/FlateDecode" in filters and len(stream.read_raw_bytes()) > _SMALL_RAW:
        return None  # rare chains (ASCII85 + Flate, ...) of this size are not decoded here
    stream.read_bytes()  # qpdf decodes; a failure surfaces as PdfError or as a warning
    return None


def _jpeg_problem(data: bytes) -> str | None:
    if not data.startswith(b"\xff\xd8"):
        return "JPEG image data does not start with a JPEG marker"
    if b"\xff\xd9" not in data[-1024:]:
        return "JPEG image data is truncated (no end marker)"
    return None


def _inflate_problem(data: bytes) -> str | None:
    """Inflate in bounded chunks, discarding the output. Data that ends before the end of the Flate
    stream is not reported: qpdf and viewers read what is there."""
    inflater = zlib.decompressobj()
    total = 0
    try:
        for start in range(0, len(data), _CHUNK):
            pending = data[start:start + _CHUNK]
            while pending:
                total += len(inflater.decompress(pending, _CHUNK))
                if total > MAX_DECODED:
                    return f"decodes to more than {MAX_DECODED // (1024 * 1024)} MB"
                if inflater.eof:
                    return None
                pending = inflater.unconsumed_tail
    except zlib.error as e:
        return f"Flate data cannot be decoded ({e})"
    return None
