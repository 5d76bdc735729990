"""Enrollment (DESIGN §5): an aggregator issues a file per unit; the unit's installation accepts it.

The enrollment file is a signed file of the package construction (DESIGN §6), signed by the issuer
(the province's root, or a district's signing certificate under the province): its manifest names the unit
(code, name, group, parent) and the round; `data/framework.json` is the whole framework in canonical form
(accepting installs it, so a unit never imports one by hand); `data/credentials.json` holds the unit's
signing certificate and private key encrypted with the unit's passphrase, a district's issuing CA and key,
and the chain up to the root. The unit checks the file against the root inside it and the officer compares
the root fingerprint with the one printed on the enrollment sheet.
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from sqlalchemy import select

from app.errors import UserError
from app.frameworks.canonical import canonical_bytes
from app.models.tables import ChainCert, Credential, Enrollment, Unit
from app.services import audit
from app.services.trust_service import identity
from app.services.workspace import Workspace, stamp, unit_identity
from app.trust import certs, keys

ENROLLMENT_FORMAT = "dti-enrollment/1"
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"   # no 0/o, 1/l/i: read aloud at a training session


def generate_passphrase(length: int = 16) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


@dataclass(frozen=True)
class IssueResult:
    out: Path
    sheet: Path | None
    passphrase: str
    generated: bool
    fingerprint: str


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def issue(ws: Workspace, *, framework_ref: str, unit_code: str, unit_name: str, group: str, out: Path,
          can_issue: bool, passphrase: str, unit_passphrase: str | None) -> IssueResult:
    from app.packages import EntrySource, Signer, write_package

    ident = identity(ws)
    issuer_cert, issuer_key_pem = ident.issuer()
    issuer_key = keys.decrypt_key(issuer_key_pem, passphrase)
    # the file is signed with the issuer's own signing certificate (a CA certificate only certifies)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate", "máy này không có chứng thư ký số")
    sign_cert, sign_key = ident.signing[0], keys.decrypt_key(ident.signing[1], passphrase)
    chain = tuple(ident.chain_for(sign_cert))
    loaded = ws.frameworks.get(framework_ref)
    fw = loaded.framework
    own_framework = _own_framework(ws)
    if ident.root is None and own_framework and own_framework != (fw.id, loaded.sha256):
        raise UserError(f"a district enrolls its communes on its own framework {own_framework[0]}",
                        f"cấp huyện chỉ cấp tài khoản cho xã theo bộ chỉ số của mình ({own_framework[0]})")
    unit_code, unit_name = unit_identity(fw, unit_code, unit_name, group)
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
            raise UserError(f"unit {unit_code} is already enrolled ({existing.unit_name}); revoke it first to re-issue",
                            f"đơn vị {unit_code} đã được cấp tài khoản ({existing.unit_name}); thu hồi trước khi cấp lại")
    now_dt = ws.clock()
    unit_key = keys.new_key()
    signing = certs.issue_signing(issuer_cert, issuer_key, unit_code, unit_name, unit_key.public_key(), now_dt)
    credentials = {"signing": {"cert": _b64(certs.der(signing)), "key": keys.encrypt_key(unit_key, unit_passphrase)
                               .decode("ascii")}}
    issuing = None
    if can_issue:
        ca_key = keys.new_key()
        issuing = certs.issue_issuing_ca(issuer_cert, issuer_key, unit_code, unit_name, ca_key.public_key(), now_dt)
        credentials["issuing"] = {"cert": _b64(certs.der(issuing)),
                                  "key": keys.encrypt_key(ca_key, unit_passphrase).decode("ascii")}
    chain_up = [issuer_cert, *ident.chain_for(issuer_cert)]
    credentials["chain"] = [_b64(certs.der(c)) for c in chain_up]
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
    entries = [EntrySource("data/framework.json", canonical_bytes(fw)),
               EntrySource("data/credentials.json", json.dumps(credentials, sort_keys=True).encode("utf-8"))]
    write_package(out, manifest, entries, Signer(sign_cert, sign_key, chain))
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
                               can_issue=can_issue, issued_at=now))
        ws.frameworks.keep(loaded)
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


def _own_framework(ws: Workspace) -> tuple[str, str] | None:
    with ws.store.session() as session:
        unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        return (unit.framework_id, unit.framework_sha256) if unit else None


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


def accept(ws: Workspace, path: Path, passphrase: str | None) -> dict:
    """Verify an enrollment file and install the unit, its framework and its credentials."""
    from app.packages import PackageRefused, TrustAnchors, read_entry, verify_package

    path = Path(path)
    root = _root_inside(path)
    try:
        verified = verify_package(path, TrustAnchors((root,)))
    except PackageRefused as e:
        raise UserError(f"not a valid enrollment file: {e}", f"tệp đăng ký không hợp lệ: {e.message_vi}") from None
    manifest = verified.manifest
    if manifest.get("format") != ENROLLMENT_FORMAT:
        raise UserError(f"{path.name} is not an enrollment file", f"{path.name} không phải tệp đăng ký tài khoản")
    unit = manifest["unit"]
    if certs.fingerprint(root) != manifest.get("root_sha256"):
        raise UserError(f"{path.name}: the root certificate does not match the file", f"{path.name}: chứng thư gốc không khớp")
    creds = json.loads(read_entry(verified, "data/credentials.json", 1 << 20))
    signing = x509.load_der_x509_certificate(base64.b64decode(creds["signing"]["cert"]))
    if certs.unit_code_of(signing) != unit["code"] or certs.fingerprint(signing) != manifest["signing_sha256"]:
        raise UserError(f"{path.name}: the certificate is not the enrolled unit's",
                        f"{path.name}: chứng thư không phải của đơn vị được cấp")
    chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in creds["chain"]]
    if passphrase is not None:
        keys.decrypt_key(creds["signing"]["key"].encode("ascii"), passphrase)   # a wrong passphrase: refuse now
    raw_fw = read_entry(verified, "data/framework.json", 8 << 20)
    from app.frameworks.loader import load_bytes

    loaded = load_bytes(raw_fw, f"{path.name}:data/framework.json")   # validated; stored only once all checks pass
    if (loaded.framework.id, loaded.sha256) != (manifest["framework"]["id"], manifest["framework"]["sha256"]):
        raise UserError(f"{path.name}: the framework inside does not match the manifest",
                        f"{path.name}: bộ chỉ số trong tệp không khớp")
    with ws.store.session() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        current = session.scalars(select(Credential).where(Credential.role == "signing")).first()
        current_code = certs.unit_code_of(x509.load_der_x509_certificate(current.cert_der)) if current else None
        if current_code is not None and current_code != unit["code"]:
            raise UserError(f"this installation is already enrolled as unit {current_code}; the file enrolls {unit['code']}",
                            f"máy này đã được cấp tài khoản cho đơn vị {current_code}; tệp cấp cho {unit['code']}")
        if own is not None and (own.code, own.framework_id, own.group_code) != (unit["code"], loaded.framework.id,
                                                                                unit["group"]):
            raise UserError(f"this installation holds unit {own.code} ({own.framework_id}, {own.group_code}); the file "
                            f"enrolls {unit['code']} ({loaded.framework.id}, {unit['group']})",
                            f"máy này đang có đơn vị {own.code} ({own.framework_id}, {own.group_code}); tệp cấp cho "
                            f"{unit['code']} ({loaded.framework.id}, {unit['group']})")
    ws.frameworks.import_bytes(raw_fw, f"{path.name}:data/framework.json")
    now = stamp(ws.clock())
    with ws.store.session.begin() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if own is None:
            session.add(Unit(code=unit["code"], name=unit["name"], group_code=unit["group"],
                             framework_id=loaded.framework.id, framework_sha256=loaded.sha256, own=True, created_at=now))
        else:
            own.name, own.group_code, own.framework_sha256 = unit["name"], unit["group"], loaded.sha256
        for row in session.scalars(select(Credential).where(Credential.role.in_(("signing", "issuing")))):
            session.delete(row)
        session.add(Credential(role="signing", unit_code=unit["code"], cert_der=certs.der(signing),
                               key_pem=creds["signing"]["key"].encode("ascii"), created_at=now))
        if "issuing" in creds:
            issuing = x509.load_der_x509_certificate(base64.b64decode(creds["issuing"]["cert"]))
            session.add(Credential(role="issuing", unit_code=unit["code"], cert_der=certs.der(issuing),
                                   key_pem=creds["issuing"]["key"].encode("ascii"), created_at=now))
        for cert in chain:
            sha = certs.fingerprint(cert)
            if session.get(ChainCert, sha) is None:
                role = "root" if cert.issuer == cert.subject else "intermediate"
                session.add(ChainCert(sha256=sha, role=role, subject=cert.subject.rfc4514_string(), der=certs.der(cert),
                                      added_at=now))
        audit.append(session, at=now, actor=ws.actor(session), action="enroll.accept", unit_code=unit["code"],
                     new=f"{unit['name']} | {loaded.framework.id}@{loaded.sha256[:12]} | root {certs.fingerprint(root)[:16]}")
    return {"unit": unit, "framework": loaded.framework.id, "root_sha256": certs.fingerprint(root)}


def _root_inside(path: Path) -> x509.Certificate:
    """The root certificate carried in an enrollment file (trusted on first use, checked by fingerprint)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("data/credentials.json")
            if info.file_size > 1 << 20:
                raise UserError(f"{path.name}: credentials too large", f"{path.name}: dữ liệu chứng thư quá lớn")
            creds = json.loads(archive.read(info))
        return x509.load_der_x509_certificate(base64.b64decode(creds["chain"][-1]))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError):
        raise UserError(f"{path.name} is not an enrollment file", f"{path.name} không phải tệp đăng ký tài khoản") from None
