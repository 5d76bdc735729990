"""PDF inspection with pikepdf (qpdf): open, count pages, find active content, check syntax; and rewriting an
unsigned PDF smaller.

Active content is found in the dictionaries of the object table (and the direct dictionaries and arrays
nested in them), never in the data of streams, so a 100-page scan costs a few hundred dictionary visits.
Names are compared after qpdf has decoded them, so `/J#61vaScript` is still `/JavaScript`, and objects
packed in compressed object streams are seen like any other.

A document-level /OpenAction counts as `open_action` when it is an action other than /GoTo: opening at a
page ([page /Fit], what many producers write) is navigation, not active content.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from app.evidence import messages as msg
from app.evidence.logs import quiet_libraries
from app.evidence.model import Finding
from app.evidence.sniff import document_end
from app.evidence.syntax import syntax_problems

if TYPE_CHECKING:
    import pikepdf

_MAX_DEPTH = 64  # of direct containers inside one object; qpdf itself refuses nesting beyond 499
_REPAIR_MARKS = ("file is damaged", "reconstruct")
_LEADING_PUNCTUATION = re.compile(r"^((?:WARNING|ERROR): )?[\s,:]+")
# Names whose presence makes an object worth a closer look, as qpdf writes them (canonical, then a delimiter).
_MENTIONS = re.compile(rb"/(?:JS|JavaScript|AA|Launch|EmbeddedFiles?|EF|FileAttachment|XFA|ByteRange|Sig|DocTimeStamp)"
                       rb"(?=[\s/<>\[\]()%{}]|$)")
_log = logging.getLogger(__name__)
T = TypeVar("T")
ACTIVE_CODES = ("javascript", "open_action", "additional_actions", "launch", "embedded_files", "xfa")


@dataclass
class PdfFacts:
    pages: int
    encrypted: bool
    problems: list[Finding]
    signature_fields: list[str | None] = field(default_factory=list)  # fields holding a signature value
    signed: bool = False  # a signature field with a value, or any signature dictionary (/ByteRange)


def open_pdf(handle: BinaryIO, name: str) -> pikepdf.Pdf:
    """pikepdf.open or EvidenceRefused: a PDF that needs a password, one encrypted for certificates (or by
    another security handler qpdf does not know), or one that qpdf cannot read at all."""
    import pikepdf

    quiet_libraries()
    try:
        return pikepdf.open(handle)
    except pikepdf.PasswordError:
        raise msg.refused_pdf_password(name) from None
    except pikepdf.PdfError as e:
        if "encryption" in str(e) and _security_handler(handle) not in (None, "/Standard"):
            raise msg.refused_pdf_certificate(name) from None
        raise msg.refused_pdf_damaged(name) from None
    except (RuntimeError, ValueError, OverflowError, RecursionError):  # qpdf's other errors on hostile bytes
        raise msg.refused_pdf_damaged(name) from None


def _security_handler(handle: BinaryIO) -> str | None:
    """The /Filter of the trailer's /Encrypt dictionary as pyHanko reads it (it knows the public-key
    handlers /Adobe.PubSec that qpdf refuses), or None when the file is not encrypted or pyHanko cannot
    tell either."""
    from pyhanko.pdf_utils.misc import PdfError as HankoError
    from pyhanko.pdf_utils.reader import PdfFileReader

    handle.seek(0)
    try:
        reader = PdfFileReader(handle, strict=False)
        if "/Encrypt" not in reader.trailer:
            return None
        return str(reader.trailer["/Encrypt"].get("/Filter"))
    except (HankoError, KeyError, ValueError, TypeError, AttributeError, RecursionError):
        return None
    finally:
        handle.seek(0)


def page_count(pdf: pikepdf.Pdf, name: str) -> int:
    """The number of pages, or EvidenceRefused when the page tree cannot be read (the file is damaged) or is
    empty."""
    import pikepdf

    try:
        pages = len(pdf.pages)
    except (pikepdf.PdfError, RuntimeError, ValueError, RecursionError):
        raise msg.refused_pdf_damaged(name) from None
    if pages == 0:
        raise msg.refused_pdf_no_pages(name)
    return pages


def inspect_pdf(handle: BinaryIO, name: str, sha256: str = "") -> PdfFacts:
    """Pages, encryption and findings of the PDF in `handle` (positioned at 0).

    Only opening the file and reading its page tree can refuse it; every later check that fails on its own
    account (a bug here, or an object kind nobody foresaw) becomes a finding "could not check ...", logged
    with the file's `sha256`, so an inspection bug is never reported as the officer's damaged file."""
    pdf = open_pdf(handle, name)
    with pdf:
        opened = _clean(pdf.get_warnings(), pdf.filename)
        repaired = any(mark in w for w in opened for mark in _REPAIR_MARKS)
        pages = page_count(pdf, name)
        unchecked: list[str] = []
        active, signed = attempt("active_content", lambda: scan_objects(pdf), (set(), False), sha256, unchecked)
        fields = attempt("signature_fields", lambda: signature_fields(pdf), [], sha256, unchecked)
        # When qpdf had to rebuild the file, what it said while opening describes that damage (`repaired`);
        # otherwise warnings at opening are syntax problems like those the check reports.
        syntax = [] if repaired else list(opened)
        syntax += _clean(attempt("syntax", lambda: syntax_problems(pdf), [], sha256, unchecked), pdf.filename)
        problems: list[Finding] = []
        if pdf.is_encrypted:
            problems.append(msg.finding("encrypted"))
        if repaired:
            problems.append(msg.finding("repaired"))
        if syntax:
            problems.append(msg.syntax_finding(syntax))
        problems += [msg.finding(code) for code in ACTIVE_CODES if code in active]
        problems += [msg.unchecked_finding(what) for what in unchecked]
        # Unknown (a check failed): let the signature validation look, so a signature is never dropped unseen.
        maybe_signed = signed or bool(fields) or bool({"active_content", "signature_fields"} & set(unchecked))
        return PdfFacts(pages=pages, encrypted=bool(pdf.is_encrypted), problems=problems,
                        signature_fields=fields, signed=maybe_signed)


def attempt(what: str, check: Callable[[], T], fallback: T, sha256: str, unchecked: list[str]) -> T:
    """`check()`, or `fallback` with `what` added to `unchecked` when it raises: the one place where an
    exception inside the inspection is caught broadly, and it never decides a refusal. The traceback goes
    to the log with the file's hash, so the file can be found again and the bug fixed."""
    try:
        return check()
    except Exception:
        _log.warning("evidence check %r failed on the PDF with SHA-256 %s", what, sha256 or "?", exc_info=True)
        unchecked.append(what)
        return fallback


def _clean(lines: list[str], description: str) -> list[str]:
    """qpdf's messages without the name it gave the input (which holds a path or an object address), so that
    a finding is a pure function of the file's bytes."""
    out = []
    for line in lines:
        line = str(line)
        for joint in (": ", ", ", " ", ""):
            line = line.replace(description + joint, "")
        out.append(_LEADING_PUNCTUATION.sub(r"\1", line).strip())
    return out


def scan_objects(pdf: pikepdf.Pdf) -> tuple[set[str], bool]:
    """Active content codes found anywhere in the object table, and whether a signature dictionary exists.

    Each object is first serialized by qpdf (in C++, names in canonical form) and searched for the names
    that matter; only the few objects that mention one are walked in Python. A file of a million tiny
    objects or of one huge array so costs what qpdf's parsing costs, not minutes of Python."""
    import pikepdf

    ot = pikepdf.ObjectType
    containers = (ot.dictionary, ot.array)
    found: set[str] = set()
    signed = False

    def visit(d: Any) -> None:
        nonlocal signed
        keys = d.keys()
        if "/JS" in keys or "/JavaScript" in keys:
            found.add("javascript")
        if "/AA" in keys:
            found.add("additional_actions")
        if "/EmbeddedFiles" in keys or "/EF" in keys:
            found.add("embedded_files")
        if "/XFA" in keys:
            found.add("xfa")
        if "/ByteRange" in keys and "/Contents" in keys:
            signed = True
        action = _name(d, "/S", keys)
        if action == "/JavaScript":
            found.add("javascript")
        elif action == "/Launch":
            found.add("launch")
        kind = _name(d, "/Type", keys)
        if kind == "/EmbeddedFile":
            found.add("embedded_files")
        elif kind in ("/Sig", "/DocTimeStamp"):
            signed = True
        if _name(d, "/Subtype", keys) == "/FileAttachment":
            found.add("embedded_files")

    def walk(root: Any) -> None:
        stack = [(root, 0)]
        while stack:
            obj, depth = stack.pop()
            if _type(obj) == ot.array:
                children = list(obj)
            else:
                visit(obj)
                children = [obj.get(k) for k in obj.keys()]  # noqa: SIM118 - a pikepdf Dictionary
            if depth >= _MAX_DEPTH:
                continue
            for child in children:
                if _type(child) in containers and not child.is_indirect:
                    stack.append((child, depth + 1))

    for obj in pdf.objects:
        code = _type(obj)  # None for the plain ints, bools, None and Decimals pikepdf gives for scalars
        if code == ot.dictionary or code == ot.array:
            target = obj
        elif code == ot.stream:
            target = obj.stream_dict
        else:
            continue
        if _MENTIONS.search(target.unparse(resolved=True)):
            walk(target)
    root = pdf.Root
    open_action = root.get("/OpenAction")
    # A destination ([page /Fit]) or a /GoTo action only opens the document at a page: not active content.
    if _type(open_action) == ot.dictionary \
            and _name(open_action, "/S", open_action.keys()) != "/GoTo":
        found.add("open_action")
    return found, signed


def _name(d: Any, key: str, keys: Any) -> str | None:
    if key not in keys:
        return None
    import pikepdf

    value = d.get(key)
    return str(value) if _type(value) == pikepdf.ObjectType.name_ else None


def _type(value: Any) -> Any:
    """The qpdf type of a value pikepdf returned (it gives plain Python ints, bools and Decimals for
    scalars), or None."""
    return getattr(value, "_type_code", None)


def signature_fields(pdf: pikepdf.Pdf) -> list[str | None]:
    """Fully qualified names of the AcroForm signature fields that hold a signature value, in field order."""
    import pikepdf

    ot = pikepdf.ObjectType
    form = pdf.Root.get("/AcroForm")
    if _type(form) != ot.dictionary:
        return []
    top = form.get("/Fields")
    if _type(top) != ot.array:
        return []
    out: list[str | None] = []
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Any, str | None, str | None]] = [(f, None, None) for f in reversed(list(top))]
    while stack:
        node, parent_name, parent_ft = stack.pop()
        if _type(node) != ot.dictionary:
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        keys = node.keys()
        partial = node.get("/T") if "/T" in keys else None
        own = str(partial) if _type(partial) == ot.string else None
        name = f"{parent_name}.{own}" if parent_name and own else (own or parent_name)
        ft = _name(node, "/FT", keys) or parent_ft
        value = node.get("/V") if "/V" in keys else None
        if ft == "/Sig" and _type(value) == ot.dictionary:
            out.append(name)
        kids = node.get("/Kids") if "/Kids" in keys else None
        if _type(kids) == ot.array and len(seen) < 100_000:
            stack.extend((k, name, ft) for k in reversed(list(kids)))
    return out


def optimize_pdf(path: Path) -> bytes:
    """The PDF at `path` rewritten smaller: unreferenced resources removed, streams compressed (Flate
    recompressed), objects packed into object streams; encryption, if any, kept. Refuses a signed PDF
    (rewriting would break its signatures) and any PDF that cannot be read; returns the original bytes
    when the rewrite is not smaller."""
    import pikepdf

    path = Path(path)
    name = msg.shown_name(path.name)
    try:
        original = path.read_bytes()
    except OSError:
        raise msg.refused_unreadable(name) from None
    from app.evidence.sniff import sniff

    content = sniff(original[:1024])
    if content != "pdf":
        raise msg.refused_not_pdf(name, content)
    end = document_end(io.BytesIO(original), len(original))
    if end is None or end.trailing == "structure":
        raise msg.refused_pdf_truncated(name)  # rewriting would only make the loss permanent
    pdf = open_pdf(io.BytesIO(original[:end.offset]), name)
    with pdf:
        unchecked: list[str] = []
        _, signed = attempt("active_content", lambda: scan_objects(pdf), (set(), False), "", unchecked)
        fields = attempt("signature_fields", lambda: signature_fields(pdf), [], "", unchecked)
        if signed or fields:
            raise msg.refused_signed_rewrite(name)
        if unchecked:  # whether it is signed is unknown: rewriting could break a signature
            raise msg.refused_rewrite_unchecked(name)
        pages = page_count(pdf, name)
        out = io.BytesIO()
        try:
            pdf.remove_unreferenced_resources()
            options: dict[str, Any] = {"compress_streams": True,
                                       "object_stream_mode": pikepdf.ObjectStreamMode.generate}
            if pdf.is_encrypted:  # qpdf keeps the encryption only if streams are left as they are
                options.update(encryption=True)
            else:
                options.update(stream_decode_level=pikepdf.StreamDecodeLevel.generalized, recompress_flate=True,
                               deterministic_id=True)
            pdf.save(out, **options)
        except (pikepdf.PdfError, RuntimeError, ValueError, RecursionError):
            _log.warning("rewriting %s failed", name, exc_info=True)
            raise msg.refused_rewrite_failed(name) from None
    result = out.getvalue()
    if len(result) >= len(original):
        return original
    if _pages_of(result) != pages:   # qpdf rebuilt a damaged file into one that does not read back whole
        raise msg.refused_rewrite_failed(name)
    return result


def _pages_of(data: bytes) -> int | None:
    """The page count of a PDF this module wrote, read back without recovery; None when it does not open."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            return len(pdf.pages)
    except (pikepdf.PdfError, RuntimeError, ValueError, RecursionError):
        return None
