"""Accepting an enrollment file (DESIGN §5; docs/trust-and-packages.md, "Enrollment is one-way").

`read_enrollment` verifies a file on its own, with no workspace (the first-run wizard's preview uses it): the
signature against the root it carries, every manifest and credentials value, who issued it, the framework
inside. `accept` then applies the one-way rule against the installation and installs the unit, its framework
and its credentials in one transaction. Everything the file says is checked before use, and a refusal (one
line) leaves the data directory as it was. Issuing is app.services.enrollment.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select

from app.errors import UserError
from app.models.tables import ChainCert, Credential, RevocationList, Unit
from app.services import audit, identifiers
from app.services.trust_service import crls, identity
from app.services.workspace import Workspace, stamp
from app.trust import certs, credentials, crl, keys

if TYPE_CHECKING:
    from app.frameworks.loader import Loaded

ENROLLMENT_FORMAT = "dti-enrollment/1"
CREDENTIALS_ENTRY, FRAMEWORK_ENTRY = credentials.ENTRY, "data/framework.json"
_MAX_FRAMEWORK = 8 << 20
# An enrollment file holds these entries and no other: an entry no schema knows is refused by the reader.
ENROLLMENT_NAMES = tuple(re.compile(re.escape(n)) for n in ("manifest.json", "manifest.p7s", CREDENTIALS_ENTRY, FRAMEWORK_ENTRY))
_MANIFEST_KEYS = ("format", "created_at", "entries", "unit", "framework", "round", "root_sha256", "signing_sha256")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Claim:
    """What an enrollment manifest says, every value checked (identifiers, types, sizes)."""

    code: str
    name: str                         # NFC
    group: str
    parent: str
    can_issue: bool
    framework_id: str
    framework_sha256: str
    year: int
    root_sha256: str
    signing_sha256: str

    def unit(self) -> dict:
        return {"code": self.code, "name": self.name, "group": self.group, "parent": self.parent,
                "can_issue": self.can_issue}


@dataclass(frozen=True)
class EnrollmentFile:
    """An enrollment file verified on its own: signature, schema, identifiers, who issued it. No workspace."""

    path: Path
    claim: Claim
    creds: credentials.Credentials
    authority: str                    # the code of the root or district that enrolled the unit
    raw_framework: bytes
    loaded: Loaded


def _refuse(label: str, en: str, vi: str) -> UserError:
    return UserError(f"{label}: {en}", f"{label}: {vi}")


def read_enrollment(path: Path, known_crls: Sequence[x509.CertificateRevocationList] = ()) -> EnrollmentFile:
    """Verify an enrollment file against the root it carries and check everything it says; store nothing.
    `known_crls` are the reader's CRLs, used with those the file carries. Needs no workspace (a preview)."""
    from app.packages import PackageRefused, TrustAnchors, verify_package

    path = Path(path)
    label = path.name
    carried = credentials.parse(_credentials_inside(path), label)   # the root to verify against
    try:
        verified = verify_package(path, TrustAnchors((carried.root,), (*known_crls, *carried.crls)),
                                  patterns=ENROLLMENT_NAMES)
    except PackageRefused as e:
        raise _refuse(label, f"not a valid enrollment file: {e.why_en}",
                      f"tệp cấp tài khoản không hợp lệ: {e.why_vi}") from None
    claim = _claim(verified.manifest, label)
    missing = sorted({CREDENTIALS_ENTRY, FRAMEWORK_ENTRY} - set(verified.entries))
    if missing:
        raise _refuse(label, f"{missing[0]} is missing", f"thiếu {missing[0]}")
    creds = credentials.parse(_entry(verified, CREDENTIALS_ENTRY, credentials.MAX_BYTES), label)
    _check_certificates(verified.signer, claim, creds, carried.root, label)
    authority = credentials.check_authority(verified.signer, verified.chain, creds, claim.can_issue, label)
    if claim.parent != authority:
        raise _refuse(label, f"the parent {claim.parent} is not {authority}, which issued the certificate",
                      f"đơn vị cấp trên {claim.parent} không phải {authority}, nơi cấp chứng thư")
    raw, loaded = _framework(verified, claim, label)
    return EnrollmentFile(path, claim, creds, authority, raw, loaded)


def check_file(path: Path) -> EnrollmentFile:
    """`read_enrollment` and the checks of `accept` that need no installation (a certificate revoked by a CRL
    the file itself carries): what a fresh installation would be told, word for word, by `dti enroll accept`.
    The first-run wizard's preview (app.services.first_run)."""
    file = read_enrollment(Path(path))
    _check_not_revoked(file, file.creds.crls)
    return file


def _credentials_inside(path: Path) -> bytes:
    """data/credentials.json read before verification: its root is the one the signature is checked against
    (trusted on first use; the officer compares its fingerprint with the enrollment sheet)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(CREDENTIALS_ENTRY)
            credentials.check_size(info.file_size, path.name)
            if info.compress_type == zipfile.ZIP_STORED:   # a package stores every entry
                return archive.read(info)
    except (OSError, EOFError, KeyError, ValueError, NotImplementedError, RuntimeError, zipfile.BadZipFile, zlib.error):
        pass
    raise UserError(f"{path.name} is not an enrollment file", f"{path.name} không phải tệp cấp tài khoản")


def _entry(verified, name: str, limit: int) -> bytes:
    from app.packages import PackageRefused, read_entry

    try:
        return read_entry(verified, name, limit)
    except PackageRefused as e:
        raise _refuse(verified.path.name, e.why_en, e.why_vi) from None


def _claim(manifest: dict, label: str) -> Claim:
    """The manifest's own fields, each checked before use: an unknown key or a wrong type is a refusal."""
    if manifest.get("format") != ENROLLMENT_FORMAT:
        raise UserError(f"{label} is not an enrollment file", f"{label} không phải tệp cấp tài khoản")
    unknown = sorted(set(manifest) - set(_MANIFEST_KEYS))
    if unknown:
        shown = identifiers.printable(unknown[0], 40)
        raise _refuse(label, f"manifest.json: unknown key '{shown}'", f"manifest.json: khóa lạ '{shown}'")
    for key in _MANIFEST_KEYS:
        if key not in manifest:
            raise _refuse(label, f"manifest.json: '{key}' is missing", f"manifest.json: thiếu '{key}'")
    unit = _object(manifest["unit"], "unit", ("code", "name", "group", "parent", "can_issue"), label)
    fw = _object(manifest["framework"], "framework", ("id", "sha256"), label)
    year = _object(manifest["round"], "round", ("year",), label)["year"]
    try:
        code, name = identifiers.unit_code(unit["code"]), identifiers.unit_name(unit["name"])
        group = identifiers.unit_code(unit["group"], "group", "nhóm")
        parent = identifiers.unit_code(unit["parent"], "parent code", "mã đơn vị cấp trên")
        framework_id = identifiers.unit_code(fw["id"], "framework id", "mã bộ chỉ số")
        identifiers.timestamp(manifest["created_at"])
    except identifiers.BadValue as e:
        raise _refuse(label, e.en, e.vi) from None
    if not isinstance(unit["can_issue"], bool):
        raise _refuse(label, "manifest.json: 'unit.can_issue' must be true or false",
                      "manifest.json: 'unit.can_issue' phải là true hoặc false")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise _refuse(label, "manifest.json: 'round.year' must be a year from 2000 to 2100",
                      "manifest.json: 'round.year' phải là năm từ 2000 đến 2100")
    return Claim(code, name, group, parent, unit["can_issue"], framework_id, _sha(fw["sha256"], "framework.sha256", label),
                 year, _sha(manifest["root_sha256"], "root_sha256", label),
                 _sha(manifest["signing_sha256"], "signing_sha256", label))


def _object(value, name: str, keys: tuple[str, ...], label: str) -> dict:
    if not isinstance(value, dict) or set(value) != set(keys):
        raise _refuse(label, f"manifest.json: '{name}' must be an object of {', '.join(keys)}",
                      f"manifest.json: '{name}' phải là đối tượng gồm {', '.join(keys)}")
    return value


def _sha(value, name: str, label: str) -> str:
    if not isinstance(value, str) or not _SHA256.fullmatch(value):
        raise _refuse(label, f"manifest.json: '{name}' must be a SHA-256 (64 hexadecimal digits)",
                      f"manifest.json: '{name}' phải là SHA-256 (64 chữ số hệ 16)")
    return value


def _check_certificates(signer: x509.Certificate, claim: Claim, creds: credentials.Credentials,
                        root: x509.Certificate, label: str) -> None:
    """The root is the one the signature was checked against and the manifest names; every unit code in a
    certificate is a valid code (they are shown and compared); the unit's certificate is the manifest's."""
    if certs.fingerprint(creds.root) != certs.fingerprint(root) or certs.fingerprint(root) != claim.root_sha256:
        raise _refuse(label, "the root certificate does not match the file", "chứng thư gốc không khớp")
    for cert in (signer, *creds.chain, creds.signing, *([creds.issuing] if creds.issuing else [])):
        try:
            identifiers.unit_code(certs.unit_code_of(cert), "unit code in a certificate", "mã đơn vị trong chứng thư")
        except identifiers.BadValue as e:
            raise _refuse(label, e.en, e.vi) from None
    if certs.unit_code_of(creds.signing) != claim.code or certs.fingerprint(creds.signing) != claim.signing_sha256:
        raise _refuse(label, "the certificate is not the enrolled unit's", "chứng thư không phải của đơn vị được cấp")


def _framework(verified, claim: Claim, label: str) -> tuple[bytes, Loaded]:
    """data/framework.json: exactly the canonical bytes the manifest's SHA-256 names, strict JSON (the loader
    would also try YAML), a valid framework of the manifest's id and year that has the unit's group."""
    from app.frameworks.loader import load_bytes
    from app.frameworks.schema import FrameworkInvalid

    raw = _entry(verified, FRAMEWORK_ENTRY, _MAX_FRAMEWORK)
    if hashlib.sha256(raw).hexdigest() != claim.framework_sha256:
        raise _refuse(label, f"{FRAMEWORK_ENTRY} is not the framework the manifest names (canonical form, SHA-256)",
                      f"{FRAMEWORK_ENTRY} không phải bộ chỉ số ghi trong manifest (dạng chuẩn, SHA-256)")
    credentials.read_json(raw, label, FRAMEWORK_ENTRY)
    try:
        loaded = load_bytes(raw, f"{label}:{FRAMEWORK_ENTRY}")
    except FrameworkInvalid as e:
        raise UserError(f"invalid framework: {e}", f"bộ chỉ số không hợp lệ: {e.message_vi}") from None
    fw = loaded.framework
    if (fw.id, loaded.sha256, fw.round.year) != (claim.framework_id, claim.framework_sha256, claim.year):
        raise _refuse(label, "the framework inside does not match the manifest", "bộ chỉ số trong tệp không khớp")
    if fw.group(claim.group) is None:
        raise _refuse(label, f"framework {fw.id} has no group '{claim.group}'",
                      f"bộ chỉ số {fw.id} không có nhóm '{claim.group}'")
    return raw, loaded


def accept(ws: Workspace, path: Path, passphrase: str | None, *, dry_run: bool = False) -> dict:
    """Verify an enrollment file and install the unit, its framework and its credentials. `dry_run` runs
    every check and stores nothing. The same file again changes nothing (`unchanged`)."""
    known = crls(ws)
    file = read_enrollment(Path(path), known)
    revocations = (*known, *file.creds.crls)
    _check_not_revoked(file, revocations)
    unchanged = _check_one_way(ws, file, revocations)
    _check_own_unit(ws, file)
    if passphrase is not None:
        _check_keys(file, passphrase)
    if not (dry_run or unchanged):
        _install(ws, file)
    return {"unit": file.claim.unit(), "framework": file.loaded.framework.id, "unchanged": unchanged,
            "dry_run": dry_run, "root_sha256": certs.fingerprint(file.creds.root)}


def _check_not_revoked(file: EnrollmentFile, revocations: Sequence[x509.CertificateRevocationList]) -> None:
    creds = file.creds
    for cert in (creds.signing, *([creds.issuing] if creds.issuing else [])):
        if credentials.revoked_on_path([cert, *creds.chain], revocations) is not None:
            raise _refuse(file.path.name, "the file's certificate was revoked", "chứng thư trong tệp đã bị thu hồi")


def _check_one_way(ws: Workspace, file: EnrollmentFile, revocations: Sequence[x509.CertificateRevocationList]) -> bool:
    """Enrollment is one-way (module docstring): True when the file is the installation's current enrollment."""
    label, claim = file.path.name, file.claim
    ident = identity(ws)
    if ident.root is not None:
        code = certs.unit_code_of(ident.root[0])
        raise _refuse(label, f"this installation is the authority {code}; it enrolls units and accepts no enrollment",
                      f"máy này là cơ quan cấp tài khoản {code}; máy không nhận tệp cấp tài khoản")
    if ident.signing is None:
        return False        # a first enrollment: the officer compares the root fingerprint with the sheet
    current = ident.signing[0]
    path = credentials.path_of(current, (*ident.chain, *ident.anchors))
    own_root = certs.fingerprint(path[-1]) if len(path) > 1 and path[-1].issuer == path[-1].subject else "?"
    new_root = certs.fingerprint(file.creds.root)
    if own_root != new_root:
        raise _refuse(label, f"this installation is enrolled under the root {certs.grouped(own_root[:16])}; the file "
                             f"comes from another root ({certs.grouped(new_root[:16])})",
                      f"máy này đã được cấp tài khoản theo chứng thư gốc {certs.grouped(own_root[:16])}; tệp đến từ "
                      f"chứng thư gốc khác ({certs.grouped(new_root[:16])})")
    code = certs.unit_code_of(current)
    if claim.code != code:
        raise _refuse(label, f"this installation is already enrolled as unit {code}; the file enrolls {claim.code}",
                      f"máy này đã được cấp tài khoản cho đơn vị {code}; tệp cấp cho {claim.code}")
    authority = certs.unit_code_of(path[1])
    if file.authority != authority:
        raise _refuse(label, f"unit {code} was enrolled by {authority}; the file is from {file.authority}",
                      f"đơn vị {code} do {authority} cấp tài khoản; tệp do {file.authority} cấp")
    new = file.creds.signing
    if certs.fingerprint(new) == certs.fingerprint(current):
        return True
    if new.not_valid_before_utc <= current.not_valid_before_utc:
        raise _refuse(label, "the file's certificate is older than this installation's: an old enrollment file "
                             "is not accepted again",
                      "chứng thư trong tệp cũ hơn chứng thư hiện tại của máy: không nhận lại tệp cấp tài khoản cũ")
    if credentials.revoked_on_path(path, revocations) is None and current.not_valid_after_utc > ws.clock():
        raise _refuse(label, f"the current certificate of {code} is neither revoked nor expired: {authority} must "
                             "revoke it first (dti authority revoke; the new enrollment file carries the CRL, or import "
                             "it here with dti crl import)",
                      f"chứng thư hiện tại của {code} chưa bị thu hồi và chưa hết hạn: {authority} phải thu hồi trước "
                      "(dti authority revoke; tệp cấp lại mang theo danh sách thu hồi, hoặc nhập nó ở đây bằng "
                      "dti crl import)")
    return False


def _check_own_unit(ws: Workspace, file: EnrollmentFile) -> None:
    """A unit started with `dti unit init` is bound only by a file for the same code (and, on the same framework,
    the same group); a file on another framework adds its round."""
    claim, fw_id = file.claim, file.loaded.framework.id
    with ws.store.session() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if own is not None and (own.code != claim.code or (own.framework_id == fw_id and own.group_code != claim.group)):
            raise UserError(f"this installation holds unit {own.code} ({own.framework_id}, {own.group_code}); the file "
                            f"enrolls {claim.code} ({fw_id}, {claim.group})",
                            f"máy này đang có đơn vị {own.code} ({own.framework_id}, {own.group_code}); tệp cấp cho "
                            f"{claim.code} ({fw_id}, {claim.group})")


def _check_keys(file: EnrollmentFile, passphrase: str) -> None:
    """A wrong passphrase is refused now, and a key that is not the certificate's would sign nothing valid."""
    creds = file.creds
    pairs = [(creds.signing, creds.signing_key)]
    if creds.issuing is not None and creds.issuing_key is not None:
        pairs.append((creds.issuing, creds.issuing_key))
    for cert, pem in pairs:
        key = keys.decrypt_key(pem, passphrase, file.claim.code)
        if _spki(key.public_key()) != _spki(cert.public_key()):
            raise _refuse(file.path.name, "the private key does not match the certificate",
                          "khóa bí mật không khớp với chứng thư")


def _spki(public_key) -> bytes:
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def _install(ws: Workspace, file: EnrollmentFile) -> None:
    """One transaction after the framework file: the own unit, the credentials, the chain, the carried CRLs."""
    claim, creds, loaded = file.claim, file.creds, file.loaded
    ws.frameworks.import_bytes(file.raw_framework, f"{file.path.name}:{FRAMEWORK_ENTRY}")
    now = stamp(ws.clock())
    with ws.store.session.begin() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if own is None:
            session.add(Unit(code=claim.code, name=claim.name, group_code=claim.group, framework_id=loaded.framework.id,
                             framework_sha256=loaded.sha256, own=True, created_at=now))
        elif own.framework_id == loaded.framework.id:
            own.name, own.group_code, own.framework_sha256 = claim.name, claim.group, loaded.sha256
        else:
            own.name = claim.name
        from app.models.tables import Round
        from app.services import rounds

        new_round = session.get(Round, loaded.framework.id) is None
        rounds.add(session, ws, loaded, origin="enrolled", issuer=claim.parent, make_current=new_round)
        rounds.set_group(session, loaded.framework.id, claim.code, claim.group)
        for row in session.scalars(select(Credential).where(Credential.role.in_(("signing", "issuing")))):
            session.delete(row)
        session.add(Credential(role="signing", unit_code=claim.code, cert_der=certs.der(creds.signing),
                               key_pem=creds.signing_key, created_at=now))
        if creds.issuing is not None:
            session.add(Credential(role="issuing", unit_code=claim.code, cert_der=certs.der(creds.issuing),
                                   key_pem=creds.issuing_key, created_at=now))
        for cert in creds.chain:
            sha = certs.fingerprint(cert)
            if session.get(ChainCert, sha) is None:
                session.add(ChainCert(sha256=sha, role="root" if cert is creds.root else "intermediate",
                                      subject=cert.subject.rfc4514_string(), der=certs.der(cert), added_at=now))
        kept = _keep_crls(session, creds, now)
        audit.append(session, at=now, actor=ws.actor(session), action="enroll.accept", unit_code=claim.code,
                     new=f"{claim.name} | {loaded.framework.id}@{loaded.sha256[:12]} | root "
                         f"{certs.fingerprint(creds.root)[:16]} | by {file.authority}"
                         + (f" | {kept} CRL" if kept else ""))


def _keep_crls(session, creds: credentials.Credentials, now: str) -> int:
    """The carried CRLs signed by the new chain's CAs, unless a newer one of the same issuer is here: a
    district passes them on to its communes when it enrolls them again."""
    kept = 0
    for revocation in creds.crls:
        issuer = crl.signed_by(revocation, creds.chain)
        if issuer is None:
            continue
        sha = certs.fingerprint(issuer)
        try:
            number = crl.number_of(revocation, CREDENTIALS_ENTRY)
        except UserError:   # a number the store's INTEGER cannot keep: the CRL still counted for the checks
            continue
        newer = session.scalars(select(RevocationList).where(RevocationList.issuer_sha256 == sha,
                                                              RevocationList.number >= number)).first()
        if newer is None:
            session.add(RevocationList(issuer_sha256=sha, number=number, der=revocation.public_bytes(
                serialization.Encoding.DER), imported_at=now))
            kept += 1
    return kept
