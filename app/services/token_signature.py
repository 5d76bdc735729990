"""The official's token signature on a received package: found, validated, reported, and enforced on request.

The enrolled signature (manifest.p7s's first signer) binds a package to its unit and is checked by the
package library and `registry_check`; nothing here weakens that. A second signer (app.packages.cosign) is an
official's signature made on a USB token. It is validated on its own against the roots of `dti trust`
(the Government CA added with `dti trust add-root`) and the imported CRLs, at the manifest's created_at
(which it signs): signature intact, chain to a trusted root, each certificate valid at that moment, key usage
digitalSignature or nonRepudiation. Its finding (signer, organisation, issuer, serial, whether its subject names
the unit) travels with the import's outcome and is stored with the submission (data_json "token_signature").

With `dti config set require-token-signature yes` a package without a valid one is refused with the reason.
A certificate whose subject does not name the unit is reported, never refused: an official signs for a unit
whose name a CA may have written differently.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from app.services import identifiers
from app.services.workspace import Workspace

REQUIRE = "require-token-signature"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _attrs(cert: Any, oid: Any) -> list[str]:
    return [str(a.value) for a in cert.subject.get_attributes_for_oid(oid)]


def names_unit(cert: Any, unit_code: str, unit_name: str) -> bool:
    """The certificate's organisation, unit or common name contains the unit's name, or one of its attributes is
    the unit's code."""
    from cryptography.x509.oid import NameOID

    wanted = _norm(unit_name)
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.COMMON_NAME):
        if any(wanted and wanted in _norm(v) for v in _attrs(cert, oid)):
            return True
    return any(str(a.value).strip() == unit_code for a in cert.subject)


def finding(ws: Workspace, manifest_bytes: bytes, manifest: dict, p7s: bytes) -> dict | None:
    """What this installation finds of the token signature in `p7s`, or None when there is none."""
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    from app.packages import manifest as M
    from app.packages.cms import SignatureProblem, check_signature_only, verify_signature
    from app.packages.cosign import second_signer
    from app.services.evidence_service import trust_roots
    from app.services.trust_service import crls
    from app.trust.token import key_usage_names

    try:
        found = second_signer(p7s)
    except Exception:
        found = (b"", None, None)
    if found is None:
        return None
    single, cert, _claimed = found
    unit = manifest.get("unit") or {}
    result: dict[str, Any] = {"signer": "", "organisation": "", "issuer": "", "serial": "", "key_usage": [],
                              "signed_at": manifest.get("created_at"), "names_unit": False, "valid": False,
                              "trusted": False, "problem": None, "reason_en": "", "reason_vi": ""}

    def problem(code: str, en: str, vi: str) -> dict:
        result.update(problem=code, reason_en=en, reason_vi=vi)
        return result

    if cert is None:
        return problem("signature", "the token signature carries no certificate", "chữ ký token không kèm chứng thư")

    def first(c: Any, oid: Any) -> str:
        values = _attrs(c, oid)
        return identifiers.printable(values[0], 120) if values else ""

    result.update(signer=first(cert, NameOID.COMMON_NAME) or identifiers.printable(cert.subject.rfc4514_string(), 200),
                  organisation=first(cert, NameOID.ORGANIZATION_NAME),
                  issuer=identifiers.printable(cert.issuer.rfc4514_string(), 200), serial=format(cert.serial_number, "x"),
                  key_usage=list(key_usage_names(cert)),
                  names_unit=names_unit(cert, str(unit.get("code", "")), str(unit.get("name", ""))))
    try:
        check_signature_only(manifest_bytes, single, cert)
    except SignatureProblem as p:
        return problem(p.code, p.why_en, p.why_vi)
    roots = []
    for der in trust_roots(ws):
        try:
            roots.append(x509.load_der_x509_certificate(der))
        except ValueError:
            continue
    if not roots:
        return problem("untrusted", "no root is trusted for token signatures: add the CA's root with `dti trust add-root`",
                       "chưa có chứng thư gốc tin cậy cho chữ ký token: thêm bằng `dti trust add-root`")
    try:
        verify_signature(manifest_bytes, single, roots, crls(ws), M.created_time(manifest))
    except SignatureProblem as p:
        return problem(p.code, p.why_en, p.why_vi)
    result.update(valid=True, trusted=True)
    return result


def line(found: dict | None, vi: bool) -> str:
    """One line for an outcome: who signed with a token and what was found."""
    if found is None:
        return "không có chữ ký token" if vi else "no token signature"
    who = found["signer"] + (f" ({found['organisation']})" if found.get("organisation") else "")
    if found["valid"]:
        text = f"chữ ký token hợp lệ của {who}" if vi else f"token signature by {who}: valid"
    else:
        text = (f"chữ ký token của {who} không hợp lệ: {found['reason_vi']}" if vi
                else f"token signature by {who}: not valid: {found['reason_en']}")
    if found["signer"] and not found["names_unit"]:
        text += "; chứng thư không ghi tên đơn vị này" if vi else "; the certificate does not name this unit"
    return text


def check(ws: Workspace, verified: Any) -> tuple[dict | None, tuple[str, str] | None]:
    """(finding, refusal) for a verified package (app.packages.VerifiedPackage): what `finding` finds of its token
    signature, and `enforce`'s (en, vi) reason to refuse it or None. Each importer names the package in its own
    refusal (package_import for a package alone, bundle for a commune inside a district's bundle)."""
    found = finding(ws, verified.manifest_bytes, verified.manifest, verified.signature)
    return found, enforce(ws, found, (verified.manifest.get("framework") or {}).get("id"))


STORED_KEY = "token_signature"


def stored(data_json: str | None) -> dict | None:
    """The finding stored with a submission (its data_json's "token_signature"), checked, or None. A row that holds
    none, or something else than a finding (a store written by hand, damaged), gives None: never an error."""
    import json

    if not data_json or f'"{STORED_KEY}"' not in data_json:   # most submissions carry none: not parsed at all
        return None
    try:
        found = json.loads(data_json).get(STORED_KEY)
    except (ValueError, AttributeError, RecursionError):
        return None
    if not isinstance(found, dict):
        return None
    text = {k: identifiers.printable(v, 400) if isinstance(v, str) else "" for k, v in found.items()
            if k in ("signer", "organisation", "issuer", "serial", "reason_en", "reason_vi", "signed_at")}
    return {"signer": text.get("signer", ""), "organisation": text.get("organisation", ""),
            "issuer": text.get("issuer", ""), "serial": text.get("serial", ""), "signed_at": text.get("signed_at", ""),
            "valid": found.get("valid") is True, "trusted": found.get("trusted") is True,
            "names_unit": found.get("names_unit") is True,
            "reason_en": text.get("reason_en", ""), "reason_vi": text.get("reason_vi", "")}


def summary(found: dict) -> dict:
    """What `dti status --json` shows of a stored finding: {"signer", "valid", "trusted", "names_unit"}."""
    return {"signer": found["signer"], "valid": found["valid"], "trusted": found["trusted"],
            "names_unit": found["names_unit"]}


def marker(found: dict, vi: bool) -> str:
    """A short line for a unit's status: "token: <signer> ✓" or "token: <signer> ✗ <reason>" ("ký số token: …" in
    Vietnamese), and a certificate that does not name the unit said so."""
    who = found["signer"] or ("không rõ người ký" if vi else "unknown signer")
    head = "ký số token" if vi else "token"
    if found["valid"]:
        text = f"{head}: {who} ✓"
    else:
        reason = found["reason_vi"] if vi else found["reason_en"]
        text = f"{head}: {who} ✗" + (f" {reason}" if reason else "")
    if found["signer"] and not found["names_unit"]:
        text += " (chứng thư không ghi tên đơn vị này)" if vi else " (the certificate does not name this unit)"
    return text


def required(ws: Workspace, round_id: str | None = None) -> tuple[str, str] | None:
    """Why this installation refuses a package without a valid token signature, as (en, vi), or None: the setting,
    for every round, or the package's round (`round_id`, the id its manifest names) asking for one
    (app.services.rounds)."""
    from app.services.rounds import asked_token_signature

    with ws.store.session() as session:
        if (ws.setting(session, REQUIRE) or "no") == "yes":
            return REQUIRE, REQUIRE
    if round_id is not None and asked_token_signature(ws, round_id):
        shown = identifiers.printable(round_id, 80)
        return f"round {shown} asks for it", f"đợt {shown} yêu cầu"
    return None


def enforce(ws: Workspace, found: dict | None, round_id: str | None = None) -> tuple[str, str] | None:
    """(en, vi) reason to refuse a package when this installation, or the package's round, requires a valid token
    signature."""
    why = required(ws, round_id)
    if why is None:
        return None
    if found is None:
        return (f"a token signature is required here ({why[0]}) and the package has none",
                f"nơi này yêu cầu chữ ký token ({why[1]}) nhưng gói không có")
    if not found["valid"]:
        return (f"a valid token signature is required here and this one is not: {found['reason_en']}",
                f"nơi này yêu cầu chữ ký token hợp lệ, chữ ký trong gói không hợp lệ: {found['reason_vi']}")
    return None
