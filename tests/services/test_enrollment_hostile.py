"""Hostile enrollment files through the real CLI (`dti enroll accept`, and its `--dry-run`).

Enrollment is one-way (docs/trust-and-packages.md, "Enrollment is one-way"): an enrolled installation takes
a new enrollment only from its own root, for its own unit, from its own authority, and only once its current
certificate is revoked (a CRL of its issuer, imported here or carried in the file) or expired; a file is
believed only when signed by the root or by a district that holds an issuing CA. Every identifier and every
JSON entry is checked before use.

Every refusal asserts the one-line reason (English) and that the data directory did not change at all:
every row of every table, every file (the lock and the SQLite files aside, whose rows are compared). Each
case runs twice, as a real accept and as `--dry-run`, which must refuse the same way; on a fresh installation
the first-run wizard's preview must refuse it with the same line (it reads the file with the same checks).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID

from app.cli.main import main
from app.packages import EntrySource, Signer, write_package
from app.services.workspace import Workspace
from app.trust import certs, keys
from tests.services.chainkit import FW, PASS, Chain, build_chain, read_package, repack, signer_of

# -- the chain, the installations, the state of a data directory ---------------------------------------------


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture(params=["accept", "dry-run"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def enr(ch: Chain, name: str) -> Path:
    return ch.base / "enroll" / f"{name}.dtienroll"


@pytest.fixture
def x1(ch: Chain, tmp_path: Path) -> Path:
    """A private copy of commune X1, enrolled by district H1."""
    return ch.copy("X1", tmp_path / "X1")


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A data directory opened once and never enrolled."""
    data = tmp_path / "fresh"
    Workspace(data, lang="en").close()
    return data


def copy_of(ch: Chain, name: str, tmp_path: Path) -> Path:
    return ch.copy(name, tmp_path / name)


def state(data: Path) -> dict[str, Any]:
    """Everything in a data directory: every table's rows, every file's SHA-256 (the lock and the SQLite
    files aside: their content is the rows)."""
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()
    files = {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data.rglob("*"))
             if p.is_file() and not p.name.startswith(("dti.lock", "dti.sqlite3"))}
    folders = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_dir())
    return {"rows": rows, "files": files, "folders": folders}


def wizard_line(file: Path) -> str | None:
    """The first-run wizard's refusal of `file` (app.services.first_run.preview_enrollment) as `dti` prints a
    refusal (one line, English), or None when the wizard would show the file."""
    from app.errors import UserError
    from app.services.first_run import preview_enrollment
    from app.services.identifiers import printable

    try:
        preview_enrollment(file)
    except UserError as e:
        return f"dti: {printable(' '.join(str(e).split()), 100_000)}"
    return None


def refused(ch: Chain, data: Path, file: Path, capsys: pytest.CaptureFixture[str], mode: str, *reasons: str,
            wizard: bool = True) -> str:
    """`dti enroll accept FILE` (or with --dry-run) at `data`: non-zero exit, one line on stderr naming the file
    and every reason, never an internal error, nothing on stdout, the data directory exactly as before. On a
    fresh installation the first-run wizard refuses the file with the same line (`wizard`: unless the refusal
    needs the passphrase, which the wizard asks after its preview)."""
    before = state(data)
    capsys.readouterr()
    rc = ch.run(data, "enroll", "accept", file, *(["--dry-run"] if mode == "dry-run" else []))
    out, err = capsys.readouterr()
    assert rc == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("dti: ") and file.name in line, line
    assert "internal error" not in line, line
    for reason in reasons:
        assert reason in line, line
    assert out == ""
    assert state(data) == before
    if wizard and data.name == "fresh":
        assert wizard_line(file) == line
    return line


def accepted(ch: Chain, data: Path, file: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    rc = ch.run(data, "enroll", "accept", file)
    out, err = capsys.readouterr()
    assert rc == 0, err
    return out


def own_certificate(data: Path, role: str = "signing") -> x509.Certificate:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        (der,) = con.execute("SELECT cert_der FROM credential WHERE role = ?", (role,)).fetchone()
    finally:
        con.close()
    return x509.load_der_x509_certificate(der)


def roots_of(data: Path) -> set[str]:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        return {r[0] for r in con.execute("SELECT sha256 FROM chain_cert WHERE role = 'root'")}
    finally:
        con.close()


def issue(ch: Chain, issuer: Path, code: str, name: str, out: Path, *extra: str, group: str = "xa") -> Path:
    assert ch.run(issuer, "enroll", "issue", "--framework", FW, "--unit-code", code, "--unit-name", name, "--group",
                  group, "--unit-passphrase-file", ch.passfile, "--out", out, *extra) == 0
    return out


def issue_from_a_backup(ch: Chain, tmp_path: Path, district: str, code: str, name: str) -> Path:
    """An enrollment the district's own installation refuses to make (the unit is enrolled, not revoked),
    made from a second copy of its data directory in which the unit's enrollment row is gone: the same keys,
    no revocation."""
    backup = ch.copy(district, tmp_path / f"{district}-backup")
    con = sqlite3.connect(backup / "dti.sqlite3")
    with con:
        con.execute("DELETE FROM enrollment WHERE unit_code = ?", (code,))
    con.close()
    return issue(ch, backup, code, name, tmp_path / f"{code}-again.dtienroll")


# -- forging enrollment files with real keys -----------------------------------------------------------------


def _subject(code: str, name: str, role: str) -> x509.Name:
    """As app.trust.certs names a unit, but UTF8String: any code or name, hostile ones included."""
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DTI"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, code, _type=_ASN1Type.UTF8String),
        x509.NameAttribute(NameOID.COMMON_NAME, name[:64], _type=_ASN1Type.UTF8String),
    ])


def make_cert(issuer: tuple[x509.Certificate, Any], code: str, name: str, public_key: Any, *, ca: bool = False,
              not_before: datetime | None = None) -> x509.Certificate:
    """A certificate issued with a real issuer key: a unit's signing certificate, or (ca) an issuing CA."""
    issuer_cert, issuer_key = issuer
    start = not_before or datetime.now(UTC) - timedelta(minutes=5)
    usage = dict(digital_signature=not ca, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
                 key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)
    ski = issuer_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (x509.CertificateBuilder().subject_name(_subject(code, name, "issuing" if ca else "unit"))
            .issuer_name(issuer_cert.subject).public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(start).not_valid_after(start + timedelta(days=365))
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
            .add_extension(x509.KeyUsage(**usage), critical=True)
            .sign(issuer_key, hashes.SHA256()))


def b64(cert: x509.Certificate) -> str:
    return base64.b64encode(certs.der(cert)).decode("ascii")


class Forge:
    """Enrollment files written like `enroll issue` writes them, from real keys of the chain, with one thing
    changed. By default: H1's signing certificate signs, H1's issuing CA certifies commune X9."""

    def __init__(self, ch: Chain, out: Path):
        self.ch, self.out = ch, out
        self.h1 = signer_of(ch.data("H1"))
        self.h1_ca = signer_of(ch.data("H1"), "issuing")
        self.h2 = signer_of(ch.data("H2"))
        self.x1 = signer_of(ch.data("X1"))
        self.root = self.h1.chain[-1]
        with zipfile.ZipFile(enr(ch, "X2")) as z:
            self.framework = z.read("data/framework.json")
            self.framework_manifest = json.loads(z.read("manifest.json"))["framework"]
        self.count = 0

    def __call__(self, *, sign: Signer | None = None, ca: tuple[x509.Certificate, Any] | None = None,
                 chain: list[x509.Certificate] | None = None, code: str = "X9", name: str = "UBND xã Chín",
                 group: str = "xa", parent: str | None = None, can_issue: bool = False, cert_code: str | None = None,
                 credentials: Callable[[dict], Any] | None = None, raw_credentials: bytes | None = None,
                 credentials_text: Callable[[str], str] | None = None,
                 manifest: Callable[[dict], Any] | None = None, entries: dict[str, bytes] | None = None,
                 framework: bytes | None = None) -> Path:
        sign = sign or self.h1
        ca = ca or (self.h1_ca.cert, self.h1_ca.key)
        chain = chain if chain is not None else [self.h1_ca.cert, self.root]
        unit_key = keys.new_key()
        cert = make_cert(ca, cert_code if cert_code is not None else code, name, unit_key.public_key())
        creds: dict[str, Any] = {"signing": {"cert": b64(cert), "key": keys.encrypt_key(unit_key, PASS).decode("ascii")},
                                 "chain": [b64(c) for c in chain]}
        if can_issue:
            ca_key = keys.new_key()
            issuing = make_cert(ca, code, name, ca_key.public_key(), ca=True)
            creds["issuing"] = {"cert": b64(issuing), "key": keys.encrypt_key(ca_key, PASS).decode("ascii")}
        if credentials is not None:
            credentials(creds)
        m: dict[str, Any] = {
            "format": "dti-enrollment/1",
            "unit": {"code": code, "name": name, "group": group,
                     "parent": parent if parent is not None else certs.unit_code_of(ca[0]), "can_issue": can_issue},
            "framework": dict(self.framework_manifest),
            "round": {"year": 2024},
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "root_sha256": certs.fingerprint(chain[-1]) if chain else "0" * 64,
            "signing_sha256": certs.fingerprint(cert),
        }
        if manifest is not None:
            manifest(m)
        text = json.dumps(creds, sort_keys=True)
        raw = raw_credentials if raw_credentials is not None else (credentials_text or str)(text).encode("utf-8")
        items = {"data/framework.json": framework if framework is not None else self.framework,
                 "data/credentials.json": raw, **(entries or {})}
        self.count += 1
        out = self.out / f"forged-{self.count}.dtienroll"
        write_package(out, m, [EntrySource(n, b) for n, b in items.items()], sign)
        return out


@pytest.fixture(scope="module")
def forge(ch: Chain, tmp_path_factory: pytest.TempPathFactory) -> Forge:
    return Forge(ch, tmp_path_factory.mktemp("forged"))


# -- controls: what must still be accepted ---------------------------------------------------------------------


def test_control_a_fresh_installation_accepts_a_district_enrollment(ch, fresh, capsys):
    out = accepted(ch, fresh, enr(ch, "X2"), capsys)
    assert "X2" in out and "enrolled" in out
    assert certs.unit_code_of(own_certificate(fresh)) == "X2"


def test_control_a_forged_file_left_unchanged_is_accepted(ch, fresh, forge, capsys):
    """The forging helper writes files `enroll accept` takes: every refusal below is for its one change."""
    assert "X9" in accepted(ch, fresh, forge(), capsys)


def test_control_the_province_enrolls_a_district(ch, fresh, capsys):
    accepted(ch, fresh, enr(ch, "H1"), capsys)
    con = sqlite3.connect(fresh / "dti.sqlite3")
    assert {r[0] for r in con.execute("SELECT role FROM credential")} == {"signing", "issuing"}
    con.close()


def test_control_the_same_file_again_changes_nothing(ch, x1, capsys):
    before = state(x1)
    out = accepted(ch, x1, enr(ch, "X1"), capsys)
    assert "already enrolled" in out
    assert state(x1) == before


def test_dry_run_checks_and_stores_nothing(ch, fresh, capsys):
    before = state(fresh)
    capsys.readouterr()
    assert ch.run(fresh, "enroll", "accept", enr(ch, "X2"), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "X2" in out and "nothing stored" in out and "root fingerprint" in out
    assert state(fresh) == before
    accepted(ch, fresh, enr(ch, "X2"), capsys)


def test_renewal_after_revocation_by_its_own_authority_is_accepted(ch, x1, tmp_path, capsys):
    """H1 revokes X1 and enrolls it again; the new file carries H1's CRL, which proves the revocation."""
    h1 = copy_of(ch, "H1", tmp_path)
    old = own_certificate(x1)
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1.crl") == 0
    again = issue(ch, h1, "X1", "UBND xã Một", tmp_path / "X1-r.dtienroll")
    accepted(ch, x1, again, capsys)
    new = own_certificate(x1)
    assert new.serial_number != old.serial_number and certs.unit_code_of(new) == "X1"


def test_renewal_after_an_imported_crl_is_accepted(ch, x1, tmp_path, capsys):
    """The CRL imported here (`dti crl import`) proves the revocation as well as one carried in the file."""
    h1 = copy_of(ch, "H1", tmp_path)
    again = issue_from_a_backup(ch, tmp_path, "H1", "X1", "UBND xã Một")
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1.crl") == 0
    assert ch.run(x1, "crl", "import", tmp_path / "h1.crl") == 0
    accepted(ch, x1, again, capsys)


def test_renewal_of_a_district_then_of_its_commune(ch, x1, tmp_path, capsys):
    """The province revokes H1 and enrolls it again (a new issuing CA under the same code); H1 passes the
    province's CRL on: X1's certificate ended with its issuer, and the same authority H1 enrolls it again."""
    prov, h1 = copy_of(ch, "prov", tmp_path), copy_of(ch, "H1", tmp_path)
    assert ch.run(prov, "authority", "revoke", "H1", "--out", tmp_path / "tp.crl") == 0
    accepted(ch, h1, issue(ch, prov, "H1", "UBND huyện Một", tmp_path / "H1-r.dtienroll", "--can-issue",
                           group="huyen"), capsys)
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1.crl") == 0
    again = issue(ch, h1, "X1", "UBND xã Một", tmp_path / "X1-r.dtienroll")
    accepted(ch, x1, again, capsys)
    own_certificate(x1).verify_directly_issued_by(own_certificate(h1, "issuing"))   # H1's new CA


def test_renewal_of_an_expired_certificate_is_accepted(ch, tmp_path, capsys):
    xe = copy_of(ch, "XE", tmp_path)
    assert own_certificate(xe).not_valid_after_utc < datetime.now(UTC)
    accepted(ch, xe, issue_from_a_backup(ch, tmp_path, "H1", "XE", "UBND xã XE"), capsys)


# -- one-way: root, unit, authority, revocation -----------------------------------------------------------------


def test_foreign_root_on_an_enrolled_installation(ch, x1, tmp_path, capsys, mode):
    """Another province enrolls a unit with the same code: its root must not replace this installation's."""
    tq = copy_of(ch, "TQ", tmp_path)
    foreign = issue(ch, tq, "X1", "UBND xã Một", tmp_path / "X1-tq.dtienroll")
    roots = roots_of(x1)
    refused(ch, x1, foreign, capsys, mode, "enrolled under the root", "comes from another root")
    assert roots_of(x1) == roots


def test_foreign_root_on_the_authority_itself(ch, tmp_path, capsys, mode):
    """An enrollment for the province's own code, from another root: an authority accepts no enrollment."""
    prov = copy_of(ch, "prov", tmp_path)
    tq = copy_of(ch, "TQ", tmp_path)
    tq_file = issue(ch, tq, "TP", "Sở giả", tmp_path / "TP.dtienroll")
    refused(ch, prov, tq_file, capsys, mode, "is the authority TP", "accepts no enrollment")


def test_another_district_cannot_reparent_a_commune(ch, x1, capsys, mode):
    refused(ch, x1, enr(ch, "H2-X1"), capsys, mode, "unit X1 was enrolled by H1; the file is from H2")


def test_another_district_cannot_reparent_even_after_revocation(ch, x1, tmp_path, capsys, mode):
    h1 = copy_of(ch, "H1", tmp_path)
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1.crl") == 0
    assert ch.run(x1, "crl", "import", tmp_path / "h1.crl") == 0
    refused(ch, x1, enr(ch, "H2-X1"), capsys, mode, "unit X1 was enrolled by H1; the file is from H2")


def test_another_unit_from_the_same_root(ch, x1, capsys, mode):
    refused(ch, x1, enr(ch, "X2"), capsys, mode, "already enrolled as unit X1", "the file enrolls X2")


def test_same_root_same_unit_without_revocation(ch, x1, tmp_path, capsys, mode):
    again = issue_from_a_backup(ch, tmp_path, "H1", "X1", "UBND xã Một")
    refused(ch, x1, again, capsys, mode, "the current certificate of X1 is neither revoked nor expired",
            "H1 must revoke it first")


def test_an_older_file_cannot_be_replayed_after_renewal(ch, x1, tmp_path, capsys, mode):
    h1 = copy_of(ch, "H1", tmp_path)
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1.crl") == 0
    accepted(ch, x1, issue(ch, h1, "X1", "UBND xã Một", tmp_path / "X1-r.dtienroll"), capsys)
    refused(ch, x1, enr(ch, "X1"), capsys, mode, "the file's certificate was revoked")


def test_a_revoked_authority_cannot_enroll(ch, fresh, tmp_path, capsys, mode):
    """The province revoked H1 and the file carries that CRL: H1's signature is not believed."""
    prov = copy_of(ch, "prov", tmp_path)
    h1 = copy_of(ch, "H1", tmp_path)
    assert ch.run(prov, "authority", "revoke", "H1", "--out", tmp_path / "tp.crl") == 0
    assert ch.run(h1, "crl", "import", tmp_path / "tp.crl") == 0
    late = issue(ch, h1, "X8", "UBND xã Tám", tmp_path / "X8.dtienroll")
    refused(ch, fresh, late, capsys, mode, "revoked")


# -- who may sign an enrollment file ---------------------------------------------------------------------------


def test_enrollment_signed_by_a_commune(ch, fresh, tmp_path, capsys, mode):
    """X1 re-signs H1's file for X2 with its own key (a valid signature under the same root)."""
    forged = repack(enr(ch, "X2"), tmp_path / "X2-by-X1.dtienroll", signer_of(ch.data("X1")))
    refused(ch, fresh, forged, capsys, mode, "signed by X1, which has no right to enroll units")


def test_commune_acting_as_a_ca(ch, fresh, forge, capsys, mode):
    """X1 certifies a unit with its own signing key and signs the file."""
    file = forge(sign=forge.x1, ca=(forge.x1.cert, forge.x1.key), chain=[forge.x1.cert, forge.root])
    refused(ch, fresh, file, capsys, mode, "signed by X1, which has no right to enroll units")


def test_signer_is_not_the_issuing_authority(ch, fresh, forge, capsys, mode):
    """H2's signature over a certificate H1's CA issued: the authority signs its own files."""
    refused(ch, fresh, forge(sign=forge.h2), capsys, mode, "signed by H2 but the certificate was issued by H1")


def test_parent_is_not_the_issuer(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(parent="H2"), capsys, mode, "the parent H2 is not H1")


def test_a_district_cannot_enroll_a_unit_that_enrolls(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(can_issue=True), capsys, mode, "only the root can enroll a unit that enrolls others")


def test_issuing_credentials_without_the_right(ch, fresh, forge, capsys, mode):
    def add(c):
        c["issuing"] = dict(c["signing"])
    refused(ch, fresh, forge(credentials=add), capsys, mode, "'issuing' is given but the unit may not enroll others")


def test_certificate_not_issued_by_the_chain(ch, fresh, forge, capsys, mode):
    """The unit's certificate is issued by H2's CA while the chain names H1's."""
    h2_ca = signer_of(ch.data("H2"), "issuing")
    refused(ch, fresh, forge(ca=(h2_ca.cert, h2_ca.key), chain=[forge.h1_ca.cert, forge.root], parent="H1"), capsys,
            mode, "the unit's certificate is not issued by")


def test_an_extra_foreign_root_in_the_chain(ch, fresh, forge, capsys, mode):
    """Another province's root slipped in above the district's CA: it would become a trusted root here."""
    tq_root = signer_of(ch.data("Q1")).chain[-1]
    file = forge(chain=[forge.h1_ca.cert, tq_root, forge.root])
    refused(ch, fresh, file, capsys, mode, "'chain' must be a list of 1 or 2 certificates")


def test_the_key_does_not_match_the_certificate(ch, fresh, forge, capsys, mode):
    def other_key(c):
        c["signing"]["key"] = keys.encrypt_key(keys.new_key(), PASS).decode("ascii")
    refused(ch, fresh, forge(credentials=other_key), capsys, mode, "the private key does not match the certificate",
            wizard=False)
    assert wizard_line(forge(credentials=other_key)) is None   # the wizard's next step asks the passphrase


# -- identifiers -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code, shown", [
    ("../../x", "'../../x'"),
    ("X1\n", "'X1\\n'"),
    ("X1\x1b[31m", "'X1\\x1b[31m'"),
    ("A" * 300, "'AAAA"),
    ("X\x00", "'X\\x00'"),
], ids=["dotdot", "newline", "ansi", "300", "nul"])
def test_hostile_unit_code(ch, fresh, forge, capsys, mode, code, shown):
    line = refused(ch, fresh, forge(code=code), capsys, mode, f"the unit code {shown}", "is not a valid code")
    assert "\x1b" not in line and "\x00" not in line and len(line) < 400


@pytest.mark.parametrize("name", ["UBND xã \x1b[31mĐỏ", "UBND xã Một\nX2 — UBND xã Hai: enrolled", "UBND\u202exã",
                                  "x" * 300, " "], ids=["ansi", "newline", "bidi", "300", "blank"])
def test_hostile_unit_name(ch, fresh, forge, capsys, mode, name):
    line = refused(ch, fresh, forge(name=name), capsys, mode, "the unit name", "printable characters")
    assert "\x1b" not in line and "\u202e" not in line


def test_hostile_parent_code(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(parent="../../p"), capsys, mode, "the parent code '../../p' is not a valid code")


def test_hostile_group(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(group="xa\n"), capsys, mode, "the group 'xa\\n' is not a valid code")


def test_unknown_group(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(group="tinh"), capsys, mode, "has no group 'tinh'")


def test_hostile_framework_id(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(manifest=lambda m: m["framework"].update(id="../fw")), capsys, mode,
            "the framework id '../fw' is not a valid code")


# -- data/credentials.json ---------------------------------------------------------------------------------------


def _drop(*path: str) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        for key in path[:-1]:
            c = c[key]
        del c[path[-1]]
    return change


def _set(value: Any, *path: str) -> Callable[[dict], None]:
    def change(c: dict) -> None:
        for key in path[:-1]:
            c = c[key]
        c[path[-1]] = value
    return change


CREDENTIALS = {
    "no-signing": (_drop("signing"), "'signing' is missing"),
    "no-key": (_drop("signing", "key"), "'signing' must be an object of cert and key"),
    "signing-a-string": (_set("abc", "signing"), "'signing' must be an object of cert and key"),
    "cert-bad-base64": (_set("!!not base64!!", "signing", "cert"), "'signing.cert' is not base64"),
    "cert-not-der": (_set(base64.b64encode(b"hello").decode(), "signing", "cert"), "'signing.cert' is not a certificate"),
    "cert-a-number": (_set(5, "signing", "cert"), "'signing.cert' must be text"),
    "key-a-number": (_set(5, "signing", "key"), "'signing.key' must be text"),
    "key-not-pem": (_set("hello", "signing", "key"), "'signing.key' is not an encrypted private key"),
    "huge-cert": (_set("A" * 900_000, "signing", "cert"), "'signing.cert' is longer than"),
    "chain-a-dict": (_set({"a": 1}, "chain"), "'chain' must be a list of 1 or 2 certificates"),
    "unknown-key": (_set(1, "extra"), "unknown key 'extra'"),
    "crls-garbage": (_set(["AAAA"], "crls"), "'crls' holds something that is not a CRL"),
}


@pytest.mark.parametrize("case", sorted(CREDENTIALS))
def test_malformed_credentials(ch, fresh, forge, capsys, mode, case):
    change, reason = CREDENTIALS[case]
    refused(ch, fresh, forge(credentials=change), capsys, mode, "data/credentials.json", reason)


def test_credentials_with_a_thousand_chain_certificates(ch, fresh, forge, capsys, mode):
    def many(c):
        c["chain"] = c["chain"][:1] + [c["chain"][-1]] * 1000
    refused(ch, fresh, forge(credentials=many), capsys, mode, "'chain' must be a list of 1 or 2 certificates")


def test_credentials_nested_deeply(ch, fresh, forge, capsys, mode):
    deep = b'{"chain": [], "signing": {}, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    refused(ch, fresh, forge(raw_credentials=deep), capsys, mode, "data/credentials.json", "nested too deeply")


def test_credentials_with_a_duplicate_key(ch, fresh, forge, capsys, mode):
    """The same credentials with a second "chain" naming another root: a lenient reader keeps the last one."""
    tq_root = signer_of(ch.data("Q1")).chain[-1]
    twice = forge(credentials_text=lambda text: text[:-1] + f', "chain": ["{b64(tq_root)}"]}}')
    refused(ch, fresh, twice, capsys, mode, "data/credentials.json", "key 'chain' appears twice")


def test_credentials_not_json(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(raw_credentials=b"\xef\xbb\xbf{}"), capsys, mode, "data/credentials.json", "not JSON")


def test_credentials_a_list(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(raw_credentials=b"[]"), capsys, mode, "data/credentials.json", "not a JSON object")


def test_credentials_over_the_size_limit(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(credentials=_set("A" * (1 << 20), "padding")), capsys, mode,
            "data/credentials.json", "more than 1048576 bytes")


# -- the manifest and its entries ----------------------------------------------------------------------------------


MANIFESTS = {
    "no-unit": (lambda m: m.pop("unit"), "manifest.json: 'unit' is missing"),
    "unit-a-string": (lambda m: m.update(unit="X9"), "manifest.json: 'unit' must be an object of"),
    "unit-extra-key": (lambda m: m["unit"].update(admin=True), "manifest.json: 'unit' must be an object of"),
    "no-framework": (lambda m: m.pop("framework"), "manifest.json: 'framework' is missing"),
    "can-issue-text": (lambda m: m["unit"].update(can_issue="yes"), "'unit.can_issue' must be true or false"),
    "unknown-key": (lambda m: m.update(upgrade="now"), "manifest.json: unknown key 'upgrade'"),
    "bad-sha": (lambda m: m.update(signing_sha256=5), "'signing_sha256' must be a SHA-256"),
    "year-text": (lambda m: m.update(round={"year": "2024"}), "'round.year' must be a year"),
    "created-9999": (lambda m: m.update(created_at="9999-12-31T23:59:59-12:00"), "created_at"),
}


@pytest.mark.parametrize("case", sorted(MANIFESTS))
def test_malformed_manifest(ch, fresh, forge, capsys, mode, case):
    change, reason = MANIFESTS[case]
    refused(ch, fresh, forge(manifest=change), capsys, mode, reason)


def test_an_unknown_listed_entry(ch, fresh, forge, capsys, mode):
    refused(ch, fresh, forge(entries={"data/extra.json": b"{}"}), capsys, mode, "data/extra.json", "name not allowed")


def test_framework_not_in_canonical_form(ch, fresh, forge, capsys, mode):
    """The framework as YAML whose parse is the same framework: not the bytes the SHA-256 names."""
    from tests.conftest import SMALL

    refused(ch, fresh, forge(framework=SMALL.encode("utf-8")), capsys, mode,
            "data/framework.json is not the framework the manifest names")


def test_not_a_zip(ch, fresh, tmp_path, capsys, mode):
    junk = tmp_path / "junk.dtienroll"
    junk.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    refused(ch, fresh, junk, capsys, mode, "is not an enrollment file")


def test_refusals_in_vietnamese(ch, x1, fresh, forge, capsys):
    for data, file, reason in ((x1, enr(ch, "H2-X1"), "đơn vị X1 do H1 cấp tài khoản; tệp do H2 cấp"),
                               (fresh, forge(code="../../x"), "mã đơn vị '../../x' không hợp lệ"),
                               (fresh, forge(credentials=_drop("signing")), "thiếu 'signing'")):
        before = state(data)
        capsys.readouterr()
        rc = main(["--data-dir", str(data), "--lang", "vi", "--passphrase-file", str(ch.passfile), "enroll", "accept",
                   str(file)])
        err = capsys.readouterr().err.strip()
        assert rc == 1 and len(err.splitlines()) == 1 and reason in err, err
        assert state(data) == before


def test_repacked_files_keep_their_manifest(ch):
    """Sanity for the helpers: read_package gives back the manifest `enroll issue` wrote."""
    manifest, entries = read_package(enr(ch, "X1"))
    assert manifest["unit"]["code"] == "X1" and set(entries) == {"data/credentials.json", "data/framework.json"}
