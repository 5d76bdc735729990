"""Enrollment (DESIGN §5): an aggregator issues a file per unit; the unit's installation accepts it.

The enrollment file is a signed file of the package construction (DESIGN §6), signed by the issuer
(the province's root, or a district's signing certificate under the province): its manifest names the unit
(code, name, group, parent) and the round; `data/framework.json` is the whole framework in canonical form
(accepting installs it, so a unit never imports one by hand); `data/credentials.json` holds the unit's
signing certificate and private key encrypted with the unit's passphrase, a district's issuing CA and key,
the chain up to the root, and the issuer's newest CRLs. The unit checks the file against the root inside it
and the officer compares the root fingerprint with the one printed on the enrollment sheet.

Enrollment is one-way (docs/trust-and-packages.md). This module issues; accepting (the checked reader
`read_enrollment`, the one-way rule, `accept`) is app.services.enrollment_accept, whose public names are
importable from here as well. Re-issuing a unit replaces its registry row; the certificate it revoked stays on
the issuer's CRLs (app.services.trust_service.revoke).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from app.errors import UserError
from app.frameworks.canonical import canonical_bytes
from app.models.tables import ChainCert, Enrollment
from app.services import audit, identifiers
from app.services.enrollment_accept import (
    CREDENTIALS_ENTRY,
    ENROLLMENT_FORMAT,
    ENROLLMENT_NAMES,
    FRAMEWORK_ENTRY,
    Claim,
    EnrollmentFile,
    accept,
    check_file,
    read_enrollment,
)
from app.services.trust_service import crls, identity
from app.services.workspace import UNIT_CODE, Workspace, stamp, unit_identity
from app.trust import certs, credentials, crl, keys
from app.trust.keys import generate_passphrase

__all__ = ["ENROLLMENT_FORMAT", "ENROLLMENT_NAMES", "Claim", "EnrollmentFile", "IssueResult", "accept", "check_file",
           "generate_passphrase", "issue", "read_enrollment"]


@dataclass(frozen=True)
class IssueResult:
    out: Path
    sheet: Path | None
    passphrase: str
    generated: bool
    fingerprint: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def issue(ws: Workspace, *, framework_ref: str | None, unit_code: str, unit_name: str, group: str, out: Path,
          can_issue: bool, passphrase: str, unit_passphrase: str | None, predecessors: Sequence[str] = ()
          ) -> IssueResult:
    """Enroll one unit on a framework (default: the round in effect's). The first enrollment on a framework
    opens its round here; a unit enrolled in an earlier round takes part in a new one without a new
    enrollment (`dti round open`, `dti round export`)."""
    from app.packages import EntrySource, Signer, write_package
    from app.services import rounds

    ident = identity(ws)
    issuer_cert, issuer_key_pem = ident.issuer()
    issuer_key = keys.decrypt_key(issuer_key_pem, passphrase, ident.code)
    # the file is signed with the issuer's own signing certificate (a CA certificate only certifies)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate", "máy này không có chứng thư ký số")
    sign_cert, sign_key = ident.signing[0], keys.decrypt_key(ident.signing[1], passphrase, ident.code)
    chain = tuple(ident.chain_for(sign_cert))
    loaded = ws.frameworks.get(framework_ref or rounds.require(ws).ref)
    fw = loaded.framework
    if ident.root is None and not _holds_round(ws, fw.id, loaded.sha256):
        raise UserError(f"a district enrolls its communes on a round the province sent it, not on {fw.id}",
                        f"cấp huyện chỉ cấp tài khoản cho xã theo đợt đánh giá do tỉnh gửi, không theo {fw.id}")
    unit_code, unit_name = unit_identity(fw, unit_code, unit_name, group)
    try:   # the accepting side refuses a name it could not show on one line: never write such a file
        unit_name = identifiers.unit_name(unit_name)
    except identifiers.BadValue as e:
        raise UserError(e.en, e.vi) from None
    if can_issue and ident.root is None:
        raise UserError("only the province can enroll a unit that enrolls others (--can-issue)",
                        "chỉ cấp tỉnh mới cấp được tài khoản có quyền cấp tiếp (--can-issue)")
    generated = unit_passphrase is None
    unit_passphrase = unit_passphrase or generate_passphrase()
    keys.check_passphrase_strength(unit_passphrase)
    issuer_code = certs.unit_code_of(issuer_cert) or ""
    with ws.store.session() as session:
        existing = session.scalars(select(Enrollment).where(Enrollment.unit_code == unit_code)).first()
        if existing is not None and existing.revoked_at is None:
            if existing.framework_id != fw.id:
                raise UserError(f"unit {unit_code} is already enrolled ({existing.unit_name}): it takes part in round "
                                f"{fw.id} without a new enrollment (dti round open, dti round export); revoke it "
                                "first only to give it new keys",
                                f"đơn vị {unit_code} đã được cấp tài khoản ({existing.unit_name}): đơn vị tham gia đợt "
                                f"{fw.id} mà không cần cấp lại (dti round open, dti round export); chỉ thu hồi khi cần "
                                "cấp khoá mới")
            raise UserError(f"unit {unit_code} is already enrolled ({existing.unit_name}); revoke it first to re-issue",
                            f"đơn vị {unit_code} đã được cấp tài khoản ({existing.unit_name}); thu hồi trước khi cấp lại")
    predecessors = tuple(dict.fromkeys(p.strip() for p in predecessors if p.strip()))
    for code in predecessors:
        if code == unit_code or not UNIT_CODE.match(code):
            raise UserError(f"predecessor '{identifiers.printable(code, 40)}' of {unit_code} is not another unit's code",
                            f"đơn vị tiền thân '{identifiers.printable(code, 40)}' của {unit_code} không phải mã "
                            "đơn vị khác")
    now_dt = ws.clock()
    unit_key = keys.new_key()
    signing = certs.issue_signing(issuer_cert, issuer_key, unit_code, unit_name, unit_key.public_key(), now_dt)
    creds = {"signing": {"cert": _b64(certs.der(signing)), "key": keys.encrypt_key(unit_key, unit_passphrase)
                         .decode("ascii")}}
    issuing = None
    if can_issue:
        ca_key = keys.new_key()
        issuing = certs.issue_issuing_ca(issuer_cert, issuer_key, unit_code, unit_name, ca_key.public_key(), now_dt)
        creds["issuing"] = {"cert": _b64(certs.der(issuing)),
                            "key": keys.encrypt_key(ca_key, unit_passphrase).decode("ascii")}
    chain_up = [issuer_cert, *ident.chain_for(issuer_cert)]
    creds["chain"] = [_b64(certs.der(c)) for c in chain_up]
    carried = _crls_for(ws, chain_up)
    if carried:   # the proof that the unit's earlier certificate was revoked, when it is enrolled again
        creds["crls"] = [_b64(der) for der in carried]
    root = chain_up[-1]
    manifest = {
        "format": ENROLLMENT_FORMAT,
        "unit": {"code": unit_code, "name": unit_name, "group": group, "parent": issuer_code,
                 "can_issue": can_issue},
        "framework": {"id": fw.id, "sha256": loaded.sha256},
        "round": {"year": fw.round.year},
        "created_at": stamp(now_dt),
        "root_sha256": certs.fingerprint(root),
        "signing_sha256": certs.fingerprint(signing),
    }
    entries = [EntrySource(FRAMEWORK_ENTRY, canonical_bytes(fw)),
               EntrySource(CREDENTIALS_ENTRY, json.dumps(creds, sort_keys=True).encode("utf-8"))]
    write_package(out, manifest, entries, Signer(sign_cert, sign_key, chain), patterns=ENROLLMENT_NAMES)
    with ws.store.session.begin() as session:
        now = stamp(now_dt)
        old = session.scalars(select(Enrollment).where(Enrollment.unit_code == unit_code)).first()
        if old is not None:
            session.delete(old)
            session.flush()
        session.add(Enrollment(unit_code=unit_code, unit_name=unit_name, group_code=group, parent_code=issuer_code,
                               framework_id=fw.id, framework_sha256=loaded.sha256,
                               cert_serial=format(signing.serial_number, "x"), cert_der=certs.der(signing),
                               issuing_serial=format(issuing.serial_number, "x") if issuing else None,
                               can_issue=can_issue, issued_at=now,
                               predecessors=" ".join(predecessors) or None))
        ws.frameworks.keep(loaded)
        rounds.add(session, ws, loaded, origin="opened", issuer=issuer_code)
        rounds.set_group(session, fw.id, unit_code, group)
        if issuing is not None:  # the province knows its districts' CAs: their CRLs and communes chain to them
            sha = certs.fingerprint(issuing)
            if session.get(ChainCert, sha) is None:
                session.add(ChainCert(sha256=sha, role="intermediate", subject=issuing.subject.rfc4514_string(),
                                      der=certs.der(issuing), added_at=now))
        audit.append(session, at=now, actor=ws.actor(session), action="enroll.issue", unit_code=unit_code,
                     new=f"{unit_name} | {group} | {fw.id} | cert {certs.fingerprint(signing)[:16]}"
                         + (" | can issue" if can_issue else ""))
    sheet = _write_sheet(out, unit_code, unit_name, fw, group, issuer_cert, unit_passphrase, signing, root, now_dt,
                         can_issue, ws.lang)
    return IssueResult(out, sheet, unit_passphrase, generated, certs.fingerprint(signing))


def _crls_for(ws: Workspace, chain_up: Sequence[x509.Certificate]) -> list[bytes]:
    """The newest CRLs (DER) signed by the issuer or the CAs above it: what the accepting installation needs to
    see that its current certificate, or its issuer, was revoked."""
    return [r.public_bytes(serialization.Encoding.DER) for r in crls(ws)
            if crl.signed_by(r, chain_up) is not None][: credentials.MAX_CRLS]


def _holds_round(ws: Workspace, round_id: str, sha256: str) -> bool:
    from app.models.tables import Round

    with ws.store.session() as session:
        row = session.get(Round, round_id)
        return row is not None and row.framework_sha256 == sha256


def _write_sheet(out: Path, unit_code, unit_name, fw, group, issuer_cert, passphrase, signing, root, now_dt,
                 can_issue, lang) -> Path | None:
    try:
        from app.reports.enrollment_sheet import write_enrollment_sheet
    except ImportError:
        return None
    sheet = out.with_name(out.stem + "-phieu.pdf")
    write_enrollment_sheet(sheet, unit_code=unit_code, unit_name=unit_name, group_title=fw.group(group).title,
                           parent_name=certs.common_name(issuer_cert), framework_title=fw.title, framework_id=fw.id,
                           issuer_name=certs.common_name(issuer_cert), passphrase=passphrase,
                           certificate_fingerprint=certs.fingerprint(signing), root_fingerprint=certs.fingerprint(root),
                           valid_from=signing.not_valid_before_utc.date(), valid_to=signing.not_valid_after_utc.date(),
                           issued_on=now_dt.date(), can_issue=can_issue, lang=lang)
    return sheet
