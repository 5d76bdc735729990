"""Embedded PDF signatures validated offline with pyHanko.

Nothing is ever fetched: the validation context is built with `allow_fetching=False`, the given roots only
(an empty list means "trust nothing", never the operating system's store) and soft-fail revocation (no
revocation data is available offline, so revocation is not checked). Every failure of pyHanko on a
signature becomes a `SignatureInfo` with valid False and a finding; nothing here raises on hostile input.

covers_whole_file is True when the signature covers the entire file (pyHanko's coverage ENTIRE_FILE), or
covers its entire revision and every later incremental update is one the PDF standard allows after
signing without changing the signed content: further signatures and form filling, document security
store and document timestamp updates (pyHanko's modification level FORM_FILLING or lower) and they agree
with the signature's DocMDP permissions. Added annotations (a text box drawn over the page), changed page
content, or anything pyHanko's difference analysis cannot explain make it False.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, BinaryIO

from app.evidence import messages as msg
from app.evidence.logs import quiet_libraries
from app.evidence.model import Finding, SignatureInfo

_log = logging.getLogger(__name__)


def validate_signatures(handle: BinaryIO, trust_roots: Sequence[bytes], expected_fields: Sequence[str | None] = (),
                        sha256: str = "") -> tuple[list[SignatureInfo], list[Finding]]:
    """Validate every signature (not document timestamps) of the PDF in `handle`.

    `expected_fields` are the signature fields pikepdf saw: if pyHanko cannot read the file at all, each of
    them is reported as an unreadable signature rather than silently dropped."""
    quiet_libraries()
    if _in_event_loop():
        # pyHanko's synchronous API runs its own event loop (asyncio.run), which cannot start inside a
        # running one (a GUI or service using asyncio): validate in a worker thread instead.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="evidence-signatures") as pool:
            return pool.submit(_validate_all, handle, trust_roots, expected_fields, sha256).result()
    return _validate_all(handle, trust_roots, expected_fields, sha256)


def _in_event_loop() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _validate_all(handle: BinaryIO, trust_roots: Sequence[bytes], expected_fields: Sequence[str | None],
                  sha256: str) -> tuple[list[SignatureInfo], list[Finding]]:
    handle.seek(0)
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(handle, strict=False)
        if reader.encrypted:  # only an owner password is set, or pikepdf would not have opened it
            reader.decrypt(b"")
        embedded = _embedded_signatures(reader)
    except Exception:
        _log.warning("the signatures of the PDF with SHA-256 %s cannot be read", sha256 or "?", exc_info=True)
        infos = [_unreadable(f) for f in (expected_fields or [None])]
        return infos, [msg.signature_invalid("", i.field, "unreadable") for i in infos]
    try:
        context_roots = _load_roots(trust_roots)
    except Exception:  # a malformed root of the installation's must not hide the signatures
        context_roots = []
    infos: list[SignatureInfo] = []
    findings: list[Finding] = []
    for field, sig in embedded:
        info, found = _validate_one(sig, context_roots, sha256) if sig is not None else _unreadable_one(field)
        infos.append(info)
        findings += found
    return infos, findings


def _embedded_signatures(reader: Any) -> list[tuple[str | None, Any]]:
    """(field name, pyHanko EmbeddedPdfSignature or None when it cannot be read) of every filled /Sig field,
    in signing order. pyHanko's own `embedded_signatures` silently leaves out a signature whose /SubFilter it
    does not know (the old adbe.pkcs7.sha1 among them); here each one is kept and judged."""
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    found: list[tuple[int, str | None, Any]] = []
    for fq_name, sig_obj, sig_field in enumerate_sig_fields(reader, filled_status=True):
        field = unicodedata.normalize("NFC", str(fq_name)) if fq_name else None
        try:
            if str(sig_obj.get_object().get("/Type", "/Sig")) != "/Sig":
                continue  # a document timestamp
            sig = EmbeddedPdfSignature(reader, sig_field, fq_name)
            found.append((sig.signed_revision, field, sig))
        except Exception:
            _log.warning("signature field %r cannot be read", field, exc_info=True)
            found.append((1 << 30, field, None))  # after the readable ones, in field order
    found.sort(key=lambda item: item[0])
    return [(field, sig) for _, field, sig in found]


def _unreadable_one(field: str | None) -> tuple[SignatureInfo, list[Finding]]:
    return _unreadable(field), [msg.signature_invalid("", field, "unreadable")]


def _load_roots(trust_roots: Sequence[bytes]) -> list[Any]:
    from asn1crypto import x509

    roots = []
    for der in trust_roots:
        try:
            cert = x509.Certificate.load(bytes(der))
            cert.native  # noqa: B018 - forces a full parse, so a broken root fails here and is skipped
        except Exception:
            continue
        roots.append(cert)
    return roots


def _unreadable(field: str | None) -> SignatureInfo:
    return SignatureInfo(signer="", signing_time=None, intact=False, valid=False, trusted=False,
                         covers_whole_file=False, field=field)


def _validate_one(sig: Any, roots: list[Any], sha256: str = "") -> tuple[SignatureInfo, list[Finding]]:
    field = _safe(lambda: sig.field_name, None)
    field = unicodedata.normalize("NFC", str(field)) if field else None
    signer = _safe(lambda: signer_name(sig.signer_cert), "")
    subfilter = _safe(lambda: str(sig.sig_object.get("/SubFilter")), "")
    encapsulated = _safe(lambda: sig.signed_data["encap_content_info"]["content"].native is not None, False)
    if subfilter == "/adbe.pkcs7.sha1":
        return _validate_sha1(sig, roots, signer, field, sha256)
    if encapsulated:
        return _failed(signer, field, "encapsulated")
    try:
        from pyhanko.sign.validation import validate_pdf_signature

        status = validate_pdf_signature(sig, _context(roots), key_usage_settings=_usage())
    except Exception as e:
        reason = "unsupported" if "SubFilter" in str(e) or "not a recognized" in str(e) else "unreadable"
        _log.warning("signature %r of the PDF with SHA-256 %s: %s", field, sha256 or "?", reason, exc_info=True)
        return _failed(signer, field, reason)
    intact = bool(status.intact)
    valid = intact and bool(status.valid)
    trusted = valid and bool(status.trusted)
    whole = valid and covers_whole_file(status)
    info = SignatureInfo(signer=signer, signing_time=_signing_time(status), intact=intact, valid=valid,
                         trusted=trusted, covers_whole_file=whole, field=field)
    findings: list[Finding] = []
    if not valid:
        findings.append(msg.signature_invalid(signer, field, "broken" if intact else "altered"))
    else:
        if not trusted:
            findings.append(msg.signature_untrusted(signer, field, _untrusted_reason(status)))
        if not whole:
            findings.append(msg.signature_partial(signer, field))
    return info, findings


def _failed(signer: str, field: str | None, reason: str) -> tuple[SignatureInfo, list[Finding]]:
    info = SignatureInfo(signer=signer, signing_time=None, intact=False, valid=False, trusted=False,
                         covers_whole_file=False, field=field)
    return info, [msg.signature_invalid(signer, field, reason)]


def _context(roots: list[Any]) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def _usage() -> Any:
    from pyhanko.sign.validation.settings import KeyUsageConstraints

    # A document signing certificate carries digitalSignature or nonRepudiation (government CA certificates
    # differ); either is enough here.
    return KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


def _validate_sha1(sig: Any, roots: list[Any], signer: str, field: str | None,
                   sha256: str) -> tuple[SignatureInfo, list[Finding]]:
    """A signature in the old /adbe.pkcs7.sha1 form, which pyHanko does not validate: the CMS signs, as
    encapsulated content, the SHA-1 digest of the byte ranges. Checked here: that digest against the file's
    bytes (intact), the CMS signature over it and the certificate chain (pyHanko's generic CMS validation).
    Even when all holds it is not called trusted: whoever can make a SHA-1 collision can move it to another
    document."""
    import asyncio
    import hashlib

    from pyhanko.sign.validation.generic_cms import async_validate_cms_signature

    try:
        claimed = bytes(sig.signed_data["encap_content_info"]["content"].native or b"")
        start1, length1, start2, length2 = (int(x) for x in sig.byte_range)
        stream = sig.reader.stream
        digest = hashlib.sha1()
        for start, length in ((start1, length1), (start2, length2)):
            stream.seek(start)
            digest.update(stream.read(length))
        if claimed != digest.digest():
            return _failed(signer, field, "altered")
        status = asyncio.run(async_validate_cms_signature(sig.signed_data, validation_context=_context(roots),
                                                          key_usage_settings=_usage()))
        whole = sig.evaluate_signature_coverage() == _entire_file()
    except Exception:
        _log.warning("adbe.pkcs7.sha1 signature %r of the PDF with SHA-256 %s", field, sha256 or "?", exc_info=True)
        return _failed(signer, field, "unreadable")
    if not (status.intact and status.valid):
        return _failed(signer, field, "broken")
    info = SignatureInfo(signer=signer, signing_time=_signing_time(status), intact=True, valid=True,
                         trusted=False, covers_whole_file=whole, field=field)
    findings = [msg.signature_untrusted(signer, field, "sha1_format")]
    if not whole:
        findings.append(msg.signature_partial(signer, field))
    return info, findings


def _entire_file() -> Any:
    from pyhanko.sign.validation import SignatureCoverageLevel

    return SignatureCoverageLevel.ENTIRE_FILE


def covers_whole_file(status: Any) -> bool:
    """See the module docstring."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    if status.coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return False
    level = status.modification_level
    return level is not None and level <= ModificationLevel.FORM_FILLING and status.docmdp_ok is not False


def signer_name(cert: Any) -> str:
    """The subject common name (NFC), else the whole subject in readable form."""
    subject = cert.subject
    names = [v for k, v in subject.native.items() if k == "common_name"]
    value = names[0] if names else subject.human_friendly
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _signing_time(status: Any) -> str | None:
    """A valid timestamp token's time if there is one, else the time the signer claims (signing-time
    attribute or /M)."""
    moment = None
    stamp = getattr(status, "timestamp_validity", None)
    if stamp is not None and stamp.intact and stamp.valid:
        moment = stamp.timestamp
    if moment is None:
        moment = getattr(status, "signer_reported_dt", None)
    if not isinstance(moment, datetime):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _untrusted_reason(status: Any) -> str:
    if getattr(status, "revoked", False):
        return "revoked"
    indic = getattr(status, "trust_problem_indic", None)
    label = getattr(indic, "name", "") or ""
    if label in ("NO_CERTIFICATE_CHAIN_FOUND", "CERTIFICATE_CHAIN_GENERAL_FAILURE"):
        return "no_chain"
    if "EXPIRED" in label or "NOT_YET_VALID" in label or "OUT_OF_BOUNDS" in label:
        return "expired"
    if "REVOKED" in label:
        return "revoked"
    if label in ("CHAIN_CONSTRAINTS_FAILURE", "SIG_CONSTRAINTS_FAILURE"):
        return "usage"
    if "CRYPTO_CONSTRAINTS" in label:
        return "algorithm"
    if status.validation_path is None:
        return "no_chain"
    return "other"


def _safe(getter: Any, default: Any) -> Any:
    try:
        return getter()
    except Exception:
        return default
