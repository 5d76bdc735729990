"""The installation's identity: the province's authority (root CA), the credentials an enrollment
installs, the passphrase that protects them, revocation. DESIGN §5.

Private keys are stored only encrypted (PKCS#8 with the passphrase) and decrypted for the moment of
signing, like a token PIN.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy import select

from app.errors import UserError
from app.models.tables import ChainCert, Credential, Enrollment, RevocationList
from app.services import audit, identifiers
from app.services.workspace import UNIT_CODE, Workspace, stamp
from app.trust import certs, credentials, crl, keys


def read_passphrase(passphrase_file: Path | None, env_var: str = "DTI_PASSPHRASE", prompt: str = "Passphrase: ",
                    confirm: bool = False) -> str:
    """From --passphrase-file, else the environment, else a prompt on a terminal (never echoed)."""
    if passphrase_file is not None:
        try:
            text = Path(passphrase_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            raise UserError(f"cannot read the passphrase file {passphrase_file}: {e}",
                            f"không đọc được tệp mật khẩu {passphrase_file}: {e}") from None
        lines = text.splitlines()
        return unicodedata.normalize("NFC", lines[0] if lines else "")
    if os.environ.get(env_var):
        return unicodedata.normalize("NFC", os.environ[env_var])
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Nhập lại / again: ") != first:
            raise UserError("the two passphrases differ", "hai lần nhập mật khẩu không khớp")
        return unicodedata.normalize("NFC", first)
    raise UserError(f"a passphrase is needed: use --passphrase-file FILE or {env_var}",
                    f"cần mật khẩu: dùng --passphrase-file TỆP hoặc biến môi trường {env_var}")


@dataclass(frozen=True)
class Identity:
    """The credentials of this installation, as plain data (no ORM objects)."""

    root: tuple[x509.Certificate, bytes] | None       # an authority's root CA and its encrypted key
    signing: tuple[x509.Certificate, bytes] | None    # an enrolled unit's signing certificate and key
    issuing: tuple[x509.Certificate, bytes] | None    # a district's issuing CA and key
    chain: tuple[x509.Certificate, ...]               # intermediates and roots known here
    anchors: tuple[x509.Certificate, ...]             # trust anchors (roots)

    @property
    def code(self) -> str | None:
        for item in (self.signing, self.root, self.issuing):
            if item is not None:
                return certs.unit_code_of(item[0])
        return None

    def issuer(self) -> tuple[x509.Certificate, bytes]:
        """The certificate and key this installation enrolls units with."""
        if self.issuing is not None:
            return self.issuing
        if self.root is not None:
            return self.root
        raise UserError("this installation cannot enroll units: run `dti authority init` (province) or accept "
                        "an enrollment made with --can-issue (district)",
                        "máy này không cấp được tài khoản cho đơn vị: chạy `dti authority init` (cấp tỉnh) hoặc "
                        "nhận tệp đăng ký có --can-issue (cấp huyện)")

    def chain_for(self, cert: x509.Certificate) -> list[x509.Certificate]:
        """The issuers of `cert` up to a root, from what this installation knows, each found by the signature
        it made (credentials.issuer_in): once a district is enrolled again, two CAs here bear its name."""
        pool = [*self.chain, *self.anchors, *(item[0] for item in (self.root, self.issuing) if item is not None)]
        return credentials.path_of(cert, pool)[1:]

    def authorities_above(self) -> set[str]:
        """The unit codes of the authorities on this unit's chain: the one that enrolled it and those above it (the
        province over a district). Since July 2025 the province sends round files and feedback directly to a
        commune a district once enrolled."""
        if self.signing is None:
            return set()
        return {code for code in (certs.unit_code_of(c) for c in self.chain_for(self.signing[0])) if code}


def identity(ws: Workspace) -> Identity:
    with ws.store.session() as session:
        creds = {c.role: (x509.load_der_x509_certificate(c.cert_der), c.key_pem)
                 for c in session.scalars(select(Credential).order_by(Credential.id))}
        chain_rows = session.scalars(select(ChainCert)).all()
        anchors = tuple(x509.load_der_x509_certificate(r.der) for r in chain_rows if r.role == "root")
        inter = tuple(x509.load_der_x509_certificate(r.der) for r in chain_rows if r.role != "root")
    return Identity(creds.get("root"), creds.get("signing"), creds.get("issuing"), inter, anchors)


def _add_chain(session, cert: x509.Certificate, role: str, now: str) -> None:
    sha = certs.fingerprint(cert)
    if session.get(ChainCert, sha) is None:
        session.add(ChainCert(sha256=sha, role=role, subject=cert.subject.rfc4514_string(), der=certs.der(cert),
                              added_at=now))


def authority_init(ws: Workspace, code: str, name: str, passphrase: str) -> tuple[x509.Certificate, bool]:
    """Create the province's root CA once; (root certificate, created)."""
    name = unicodedata.normalize("NFC", name).strip()
    if not UNIT_CODE.match(code):
        raise UserError(f"authority code '{code}' must be letters, digits, '.', '-' or '_'",
                        f"mã cơ quan '{code}' chỉ gồm chữ, số, '.', '-', '_'")
    if not name:
        raise UserError("the authority name is empty", "tên cơ quan đang trống")
    try:   # the rule of unit names (1–200 printable characters): the authority's name travels the same way
        name = identifiers.unit_name(name, "authority name", "tên cơ quan")
    except identifiers.BadValue as e:
        raise UserError(e.en, e.vi) from None
    current = identity(ws)
    if current.root is not None:
        if certs.unit_code_of(current.root[0]) == code:
            return current.root[0], False
        raise UserError(f"this installation is already the authority {certs.unit_code_of(current.root[0])}",
                        f"máy này đã là cơ quan cấp {certs.unit_code_of(current.root[0])}")
    keys.check_passphrase_strength(passphrase)
    key = keys.new_key()
    now_dt = ws.clock()
    root = certs.make_root(code, name, key, now_dt)
    # The root only certifies; what the authority itself signs (enrollment files, feedback, bundles) is
    # signed with its own signing certificate, like every unit's.
    signing_key = keys.new_key()
    signing = certs.issue_signing(root, key, code, name, signing_key.public_key(), now_dt)
    with ws.store.session.begin() as session:
        now = stamp(now_dt)
        session.add(Credential(role="root", unit_code=code, cert_der=certs.der(root),
                               key_pem=keys.encrypt_key(key, passphrase), created_at=now))
        session.add(Credential(role="signing", unit_code=code, cert_der=certs.der(signing),
                               key_pem=keys.encrypt_key(signing_key, passphrase), created_at=now))
        _add_chain(session, root, "root", now)
        audit.append(session, at=now, actor=ws.actor(session), action="authority.init", unit_code=code,
                     new=f"{name} | root {certs.fingerprint(root)[:16]}")
    return root, True


def root_certificate(ws: Workspace) -> x509.Certificate:
    ident = identity(ws)
    if ident.root is not None:
        return ident.root[0]
    if ident.anchors:
        return ident.anchors[0]
    raise UserError("this installation has no root certificate yet (dti authority init, or dti enroll accept)",
                    "máy này chưa có chứng thư gốc (dti authority init hoặc dti enroll accept)")


def change_passphrase(ws: Workspace, old: str, new: str) -> int:
    """Re-encrypt every private key of the installation; all or nothing."""
    keys.check_passphrase_strength(new)
    with ws.store.session.begin() as session:
        rows = session.scalars(select(Credential)).all()
        if not rows:
            raise UserError("this installation holds no private key", "máy này không có khóa bí mật nào")
        for row in rows:
            row.key_pem = keys.reencrypt(row.key_pem, old, new, row.unit_code)
        audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action="passphrase.change",
                     new=f"{len(rows)} keys")
    return len(rows)


def revoke(ws: Workspace, unit_code: str, passphrase: str, out: Path, reason: str | None = None) -> int:
    """Revoke an enrolled unit's certificates and write the issuer's CRL to `out`: every certificate this issuer
    ever revoked, those of units enrolled again since included (`_revoked_before`)."""
    ident = identity(ws)
    issuer_cert, issuer_key_pem = ident.issuer()
    issuer_key = keys.decrypt_key(issuer_key_pem, passphrase, ident.code)
    now_dt = ws.clock()
    with ws.store.session.begin() as session:
        row = session.scalars(select(Enrollment).where(Enrollment.unit_code == unit_code)).first()
        if row is None:
            raise UserError(f"unit {unit_code} was not enrolled by this installation",
                            f"đơn vị {unit_code} không do máy này cấp tài khoản")
        if row.revoked_at is None:
            row.revoked_at = stamp(now_dt)
            audit.append(session, at=row.revoked_at, actor=ws.actor(session), action="authority.revoke",
                         unit_code=unit_code, new=f"serial {row.cert_serial}", reason=reason)
        issuer_sha = certs.fingerprint(issuer_cert)
        revoked = _revoked_before(session, issuer_cert, issuer_sha)
        for r in session.scalars(select(Enrollment).where(Enrollment.revoked_at.is_not(None))):
            when = datetime.fromisoformat(r.revoked_at.replace("Z", "+00:00"))
            for serial in (r.cert_serial, r.issuing_serial):
                if serial:
                    revoked.setdefault(int(serial, 16), when)
        number = 1 + max((c.number for c in session.scalars(
            select(RevocationList).where(RevocationList.issuer_sha256 == issuer_sha))), default=0)
        der = crl.make_crl(issuer_cert, issuer_key, sorted(revoked.items()), now_dt, number)
        session.add(RevocationList(issuer_sha256=issuer_sha, number=number, der=der, imported_at=stamp(now_dt)))
    from app.atomicfile import write_bytes

    write_bytes(out, der)
    return len(revoked)


def _revoked_before(session, issuer_cert: x509.Certificate, issuer_sha: str) -> dict[int, datetime]:
    """Every serial an earlier CRL of this issuer listed, with its revocation date. Enrolling a unit again
    replaces its registry row; its revoked certificate must stay on every later CRL, or a package signed with it
    would verify again wherever the newest CRL is used. The issuer's own CRLs are that record (no table of
    their own: it also keeps what data directories revoked before this was kept)."""
    out: dict[int, datetime] = {}
    for row in session.scalars(select(RevocationList).where(RevocationList.issuer_sha256 == issuer_sha)
                               .order_by(RevocationList.number)):
        try:
            earlier = x509.load_der_x509_crl(row.der)
            entries = list(earlier)
        except ValueError:
            continue
        if crl.signed_by(earlier, (issuer_cert,)) is None:
            continue
        for entry in entries:
            out.setdefault(entry.serial_number, entry.revocation_date_utc)
    return out


def import_crl(ws: Workspace, path: Path) -> tuple[str, int]:
    """Import a CRL signed by a known issuer (a root or intermediate of this installation)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise UserError(f"cannot read {Path(path).name}: {e.strerror or e}",
                        f"không đọc được {Path(path).name}: {e.strerror or e}") from None
    ident = identity(ws)
    own = [item[0] for item in (ident.root, ident.issuing) if item is not None]
    issuers = [*ident.anchors, *ident.chain, *own]
    revocation, issuer = crl.load_crl(data, issuers, Path(path).name)   # its number fits the store's INTEGER
    number_ext = crl.number_of(revocation, Path(path).name)
    with ws.store.session.begin() as session:
        issuer_sha = certs.fingerprint(issuer)
        known = session.scalars(select(RevocationList).where(RevocationList.issuer_sha256 == issuer_sha,
                                                              RevocationList.number >= number_ext)).first()
        if known is None:
            now = stamp(ws.clock())
            session.add(RevocationList(issuer_sha256=issuer_sha, number=number_ext, der=data, imported_at=now))
            audit.append(session, at=now, actor=ws.actor(session), action="crl.import",
                         new=f"{certs.common_name(issuer)} #{number_ext}: {len(list(revocation))} revoked")
    return certs.common_name(issuer), len(list(revocation))


def crls(ws: Workspace) -> list[x509.CertificateRevocationList]:
    """The newest CRL of every issuer."""
    with ws.store.session() as session:
        newest: dict[str, RevocationList] = {}
        for row in session.scalars(select(RevocationList)):
            if row.issuer_sha256 not in newest or row.number > newest[row.issuer_sha256].number:
                newest[row.issuer_sha256] = row
        return [x509.load_der_x509_crl(r.der) for r in newest.values()]
