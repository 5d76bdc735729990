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

`issue` is one unit from start to end. Its steps (`open_issuer`, `framework_for`, `write_file`, `record`,
`sheet_of`) are public for app.services.enrollment_batch, which writes every file of a list first and then
records them all in one transaction.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.frameworks.canonical import canonical_bytes
from app.frameworks.loader import Loaded
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

if TYPE_CHECKING:
    from app.reports.enrollment_sheet import EnrollmentSheet

__all__ = ["ENROLLMENT_FORMAT", "ENROLLMENT_NAMES", "Claim", "EnrollmentFile", "IssueResult", "Issued", "Issuer",
           "accept", "check_file", "framework_for", "generate_passphrase", "issue", "open_issuer", "open_round",
           "read_enrollment", "record", "sheet_of", "write_file"]


@dataclass(frozen=True)
class IssueResult:
    out: Path
    sheet: Path | None
    passphrase: str
    generated: bool
    fingerprint: str


@dataclass(frozen=True)
class Issuer:
    """This installation as it enrolls, its keys opened once: the CA that certifies units (the province's root or
    a district's issuing CA) and the signing certificate that signs the files."""

    cert: x509.Certificate
    key: Any
    sign_cert: x509.Certificate
    sign_key: Any
    sign_chain: tuple[x509.Certificate, ...]     # above the signing certificate, for the file's signature
    chain_up: tuple[x509.Certificate, ...]       # the issuing CA and every CA above it, the root last
    crls: tuple[bytes, ...]                      # the newest CRLs of those CAs (DER), carried in every file
    code: str
    province: bool                               # holds the root: may enroll units that enroll others

    @property
    def root(self) -> x509.Certificate:
        return self.chain_up[-1]

    @property
    def name(self) -> str:
        return certs.common_name(self.cert)


@dataclass(frozen=True)
class Issued:
    """One enrollment file written, before its unit is recorded in the registry."""

    out: Path
    unit_code: str
    unit_name: str
    group: str
    can_issue: bool
    predecessors: tuple[str, ...]
    passphrase: str
    signing: x509.Certificate
    issuing: x509.Certificate | None
    issued_at: datetime


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def open_issuer(ws: Workspace, passphrase: str) -> Issuer:
    """The issuing CA and signing certificate of this installation with their keys opened (a wrong passphrase is
    refused here, before anything is written)."""
    ident = identity(ws)
    issuer_cert, issuer_key_pem = ident.issuer()
    issuer_key = keys.decrypt_key(issuer_key_pem, passphrase, ident.code)
    # the file is signed with the issuer's own signing certificate (a CA certificate only certifies)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate", "máy này không có chứng thư ký số")
    sign_cert, sign_key = ident.signing[0], keys.decrypt_key(ident.signing[1], passphrase, ident.code)
    chain_up = (issuer_cert, *ident.chain_for(issuer_cert))
    return Issuer(issuer_cert, issuer_key, sign_cert, sign_key, tuple(ident.chain_for(sign_cert)), chain_up,
                  tuple(_crls_for(ws, chain_up)), certs.unit_code_of(issuer_cert) or "", ident.root is not None)


def framework_for(ws: Workspace, issuer: Issuer, framework_ref: str | None) -> Loaded:
    """The framework units are enrolled on: `framework_ref`, else the round in effect's. A district enrolls only
    on a round its province sent it."""
    from app.services import rounds

    loaded = ws.frameworks.get(framework_ref or rounds.require(ws).ref)
    fw = loaded.framework
    if not issuer.province and not _holds_round(ws, fw.id, loaded.sha256):
        raise UserError(f"a district enrolls its communes on a round the province sent it, not on {fw.id}",
                        f"cấp huyện chỉ cấp tài khoản cho xã theo đợt đánh giá do tỉnh gửi, không theo {fw.id}")
    return loaded


def issue(ws: Workspace, *, framework_ref: str | None, unit_code: str, unit_name: str, group: str, out: Path,
          can_issue: bool, passphrase: str, unit_passphrase: str | None, predecessors: Sequence[str] = ()
          ) -> IssueResult:
    """Enroll one unit on a framework (default: the round in effect's). The first enrollment on a framework
    opens its round here; a unit enrolled in an earlier round takes part in a new one without a new
    enrollment (`dti round open`, `dti round export`)."""
    issuer = open_issuer(ws, passphrase)
    loaded = framework_for(ws, issuer, framework_ref)
    fw = loaded.framework
    unit_code, unit_name = unit_identity(fw, unit_code, unit_name, group)
    try:   # the accepting side refuses a name it could not show on one line: never write such a file
        unit_name = identifiers.unit_name(unit_name)
    except identifiers.BadValue as e:
        raise UserError(e.en, e.vi) from None
    if can_issue and not issuer.province:
        raise UserError("only the province can enroll a unit that enrolls others (--can-issue)",
                        "chỉ cấp tỉnh mới cấp được tài khoản có quyền cấp tiếp (--can-issue)")
    generated = unit_passphrase is None
    unit_passphrase = unit_passphrase or generate_passphrase()
    keys.check_passphrase_strength(unit_passphrase)
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
    predecessors = checked_predecessors(unit_code, predecessors)
    issued = write_file(issuer, loaded, unit_code=unit_code, unit_name=unit_name, group=group, can_issue=can_issue,
                        unit_passphrase=unit_passphrase, predecessors=predecessors, now=ws.clock(), out=out)
    with ws.store.session.begin() as session:
        open_round(session, ws, issuer, loaded)
        record(session, ws, issuer, loaded, issued)
    sheet = _write_sheet(issuer, loaded, issued, ws.lang)
    return IssueResult(out, sheet, unit_passphrase, generated, certs.fingerprint(issued.signing))


def checked_predecessors(unit_code: str, predecessors: Sequence[str]) -> tuple[str, ...]:
    """The codes of the units merged into this one, each once; a code that is the unit's own or no code at all
    is refused."""
    codes = tuple(dict.fromkeys(p.strip() for p in predecessors if p.strip()))
    for code in codes:
        if code == unit_code or not UNIT_CODE.match(code):
            raise UserError(f"predecessor '{identifiers.printable(code, 40)}' of {unit_code} is not another unit's code",
                            f"đơn vị tiền thân '{identifiers.printable(code, 40)}' của {unit_code} không phải mã "
                            "đơn vị khác")
    return codes


def write_file(issuer: Issuer, loaded: Loaded, *, unit_code: str, unit_name: str, group: str, can_issue: bool,
               unit_passphrase: str, predecessors: tuple[str, ...], now: datetime, out: Path) -> Issued:
    """Make the unit's keys and certificates and write its signed enrollment file to `out` (atomically). The
    values are taken as checked; nothing is recorded here (`record`)."""
    from app.packages import EntrySource, Signer, write_package

    fw = loaded.framework
    unit_key = keys.new_key()
    signing = certs.issue_signing(issuer.cert, issuer.key, unit_code, unit_name, unit_key.public_key(), now)
    creds: dict[str, Any] = {"signing": {"cert": _b64(certs.der(signing)),
                                         "key": keys.encrypt_key(unit_key, unit_passphrase).decode("ascii")}}
    issuing = None
    if can_issue:
        ca_key = keys.new_key()
        issuing = certs.issue_issuing_ca(issuer.cert, issuer.key, unit_code, unit_name, ca_key.public_key(), now)
        creds["issuing"] = {"cert": _b64(certs.der(issuing)),
                            "key": keys.encrypt_key(ca_key, unit_passphrase).decode("ascii")}
    creds["chain"] = [_b64(certs.der(c)) for c in issuer.chain_up]
    if issuer.crls:   # the proof that the unit's earlier certificate was revoked, when it is enrolled again
        creds["crls"] = [_b64(der) for der in issuer.crls]
    manifest = {
        "format": ENROLLMENT_FORMAT,
        "unit": {"code": unit_code, "name": unit_name, "group": group, "parent": issuer.code,
                 "can_issue": can_issue},
        "framework": {"id": fw.id, "sha256": loaded.sha256},
        "round": {"year": fw.round.year},
        "created_at": stamp(now),
        "root_sha256": certs.fingerprint(issuer.root),
        "signing_sha256": certs.fingerprint(signing),
    }
    entries = [EntrySource(FRAMEWORK_ENTRY, canonical_bytes(fw)),
               EntrySource(CREDENTIALS_ENTRY, json.dumps(creds, sort_keys=True).encode("utf-8"))]
    write_package(out, manifest, entries, Signer(issuer.sign_cert, issuer.sign_key, issuer.sign_chain),
                  patterns=ENROLLMENT_NAMES)
    return Issued(Path(out), unit_code, unit_name, group, can_issue, predecessors, unit_passphrase, signing, issuing,
                  now)


def open_round(session: Session, ws: Workspace, issuer: Issuer, loaded: Loaded) -> None:
    """The framework kept and its round opened here (nothing new when it already is)."""
    from app.services import rounds

    ws.frameworks.keep(loaded)
    rounds.add(session, ws, loaded, origin="opened", issuer=issuer.code)


def record(session: Session, ws: Workspace, issuer: Issuer, loaded: Loaded, issued: Issued) -> None:
    """The unit in the registry (replacing a revoked row), its group in the round, a district's CA among the chain
    certificates, and the audit row: in the caller's transaction, whose round is open (`open_round`)."""
    from app.services import rounds

    fw = loaded.framework
    now = stamp(issued.issued_at)
    old = session.scalars(select(Enrollment).where(Enrollment.unit_code == issued.unit_code)).first()
    if old is not None:
        session.delete(old)
        session.flush()
    signing, issuing = issued.signing, issued.issuing
    session.add(Enrollment(unit_code=issued.unit_code, unit_name=issued.unit_name, group_code=issued.group,
                           parent_code=issuer.code, framework_id=fw.id, framework_sha256=loaded.sha256,
                           cert_serial=format(signing.serial_number, "x"), cert_der=certs.der(signing),
                           issuing_serial=format(issuing.serial_number, "x") if issuing else None,
                           can_issue=issued.can_issue, issued_at=now,
                           predecessors=" ".join(issued.predecessors) or None))
    rounds.set_group(session, fw.id, issued.unit_code, issued.group)
    if issuing is not None:  # the province knows its districts' CAs: their CRLs and communes chain to them
        sha = certs.fingerprint(issuing)
        if session.get(ChainCert, sha) is None:
            session.add(ChainCert(sha256=sha, role="intermediate", subject=issuing.subject.rfc4514_string(),
                                  der=certs.der(issuing), added_at=now))
    audit.append(session, at=now, actor=ws.actor(session), action="enroll.issue", unit_code=issued.unit_code,
                 new=f"{issued.unit_name} | {issued.group} | {fw.id} | cert {certs.fingerprint(signing)[:16]}"
                     + (" | can issue" if issued.can_issue else ""))


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


def sheet_of(issuer: Issuer, loaded: Loaded, issued: Issued, *, enrollment_file: str | None = None) -> EnrollmentSheet:
    """What the unit's enrollment sheet prints (needs reportlab: raises ImportError without it)."""
    from app.reports.enrollment_sheet import EnrollmentSheet

    fw, signing = loaded.framework, issued.signing
    return EnrollmentSheet(unit_code=issued.unit_code, unit_name=issued.unit_name,
                           group_title=fw.group(issued.group).title, parent_name=issuer.name, framework_title=fw.title,
                           framework_id=fw.id, issuer_name=issuer.name, passphrase=issued.passphrase,
                           certificate_fingerprint=certs.fingerprint(signing),
                           root_fingerprint=certs.fingerprint(issuer.root),
                           valid_from=signing.not_valid_before_utc.date(), valid_to=signing.not_valid_after_utc.date(),
                           issued_on=issued.issued_at.date(), can_issue=issued.can_issue,
                           enrollment_file=enrollment_file)


def _write_sheet(issuer: Issuer, loaded: Loaded, issued: Issued, lang: str) -> Path | None:
    try:
        from app.reports.enrollment_sheet import write_enrollment_sheets
    except ImportError:
        return None
    sheet = issued.out.with_name(issued.out.stem + "-phieu.pdf")
    write_enrollment_sheets(sheet, [sheet_of(issuer, loaded, issued)], lang=lang)
    return sheet
