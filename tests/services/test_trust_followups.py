"""Issue 16 leftovers of one-way enrollment: a revoked certificate stays revoked after its unit is enrolled again,
a CRL number the store cannot keep is a refusal, issuers are found by their signature, the first-run wizard
reads an enrollment file with the checks of `dti enroll accept`, and the enrollment service in two modules.

Through the real CLI on the chain of tests/services/chainkit.py (province TP → districts H1, H2 → communes).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import ExtensionOID

from app.packages import EntrySource, write_package
from app.services.enrollment import ENROLLMENT_NAMES
from app.trust import certs, keys
from tests.services.chainkit import FW, Chain, build_chain, read_package, signer_of
from tests.services.test_enrollment_hostile import wizard_line


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


def copy_of(ch: Chain, name: str, tmp_path: Path) -> Path:
    return ch.copy(name, tmp_path / name)


def run(ch: Chain, data: Path, capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = ch.run(data, *args)
    out, err = capsys.readouterr()
    return rc, out, err


def state(data: Path) -> dict[str, Any]:
    """Every row of every table and every file (the lock and the SQLite files aside: their content is the rows)."""
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()
    files = {str(p.relative_to(data)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data.rglob("*"))
             if p.is_file() and not p.name.startswith(("dti.lock", "dti.sqlite3"))}
    return {"rows": rows, "files": files}


def own_certificate(data: Path, role: str = "signing") -> x509.Certificate:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        (der,) = con.execute("SELECT cert_der FROM credential WHERE role = ?", (role,)).fetchone()
    finally:
        con.close()
    return x509.load_der_x509_certificate(der)


def listed(crl_file: Path) -> set[int]:
    return {entry.serial_number for entry in x509.load_der_x509_crl(crl_file.read_bytes())}


def issue(ch: Chain, issuer: Path, code: str, name: str, out: Path, *extra: str, group: str = "xa") -> Path:
    assert ch.run(issuer, "enroll", "issue", "--framework", FW, "--unit-code", code, "--unit-name", name, "--group",
                  group, "--unit-passphrase-file", ch.passfile, "--out", out, *extra) == 0
    return out


# -- 1. a revoked certificate stays revoked ------------------------------------------------------------------------


def test_a_revoked_certificate_stays_on_every_later_crl_of_its_issuer(ch, tmp_path, capsys):
    """H1 revokes X1, enrolls it again, then revokes X2: that CRL (H1's newest) still lists X1's old certificate,
    so the province, which uses each issuer's newest CRL, refuses a package signed with it."""
    h1, prov = copy_of(ch, "H1", tmp_path), copy_of(ch, "prov", tmp_path)
    old_x1, x2 = own_certificate(ch.data("X1")), own_certificate(ch.data("X2"))
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1-1.crl") == 0
    issue(ch, h1, "X1", "UBND xã Một", tmp_path / "X1-again.dtienroll")
    assert ch.run(h1, "authority", "revoke", "X2", "--out", tmp_path / "h1-2.crl") == 0
    assert listed(tmp_path / "h1-2.crl") >= {old_x1.serial_number, x2.serial_number}

    for crl_file in ("h1-1.crl", "h1-2.crl"):
        assert ch.run(prov, "crl", "import", tmp_path / crl_file) == 0
    before = state(prov)
    rc, out, err = run(ch, prov, capsys, "package", "import", ch.pkg("X1-r1"))
    assert rc == 1 and "X1-r1.dtipkg" in err and "was revoked" in err, (out, err)
    assert "internal error" not in err
    assert state(prov) == before


def test_revoking_the_new_certificate_keeps_the_old_one_listed(ch, tmp_path):
    h1 = copy_of(ch, "H1", tmp_path)
    old_x1 = own_certificate(ch.data("X1"))
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1-1.crl") == 0
    again = issue(ch, h1, "X1", "UBND xã Một", tmp_path / "X1-again.dtienroll")
    x1 = copy_of(ch, "X1", tmp_path)
    assert ch.run(x1, "enroll", "accept", again) == 0
    new_x1 = own_certificate(x1)
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1-2.crl") == 0
    assert listed(tmp_path / "h1-2.crl") == {old_x1.serial_number, new_x1.serial_number}


def test_a_district_enrolled_again_stays_revoked_under_its_old_ca(ch, tmp_path):
    """The province revokes H1 (its signing certificate and its issuing CA), enrolls it again, then revokes H2:
    both of H1's old certificates stay on the root's CRL."""
    prov = copy_of(ch, "prov", tmp_path)
    old_sign, old_ca = own_certificate(ch.data("H1")), own_certificate(ch.data("H1"), "issuing")
    assert ch.run(prov, "authority", "revoke", "H1", "--out", tmp_path / "tp-1.crl") == 0
    issue(ch, prov, "H1", "UBND huyện Một", tmp_path / "H1-again.dtienroll", "--can-issue", group="huyen")
    assert ch.run(prov, "authority", "revoke", "H2", "--out", tmp_path / "tp-2.crl") == 0
    assert listed(tmp_path / "tp-2.crl") >= {old_sign.serial_number, old_ca.serial_number}


# -- 2. a CRL number the store cannot keep --------------------------------------------------------------------------


def crl_numbered(ch: Chain, number: int | bytes, out: Path) -> Path:
    """A CRL of H1's issuing CA (a real key) revoking nothing, with CRL number `number` (bytes: the raw
    content of the extension, e.g. not an INTEGER at all)."""
    ca = signer_of(ch.data("H1"), "issuing")
    now = datetime.now(UTC)
    extension = (x509.UnrecognizedExtension(ExtensionOID.CRL_NUMBER, number) if isinstance(number, bytes)
                 else x509.CRLNumber(number))
    revocation = (x509.CertificateRevocationListBuilder().issuer_name(ca.cert.subject)
                  .last_update(now).next_update(now + timedelta(days=30))
                  .add_extension(extension, critical=False).sign(ca.key, hashes.SHA256()))
    out.write_bytes(revocation.public_bytes(serialization.Encoding.DER))
    return out


@pytest.mark.parametrize("number", [1 << 63, 1 << 64, (1 << 159) - 1], ids=["2^63", "2^64", "2^159-1"])
def test_a_crl_number_above_the_store_is_a_one_line_refusal(ch, tmp_path, capsys, number):
    x1 = copy_of(ch, "X1", tmp_path)
    crl_file = crl_numbered(ch, number, tmp_path / "big.crl")
    before = state(x1)
    rc, out, err = run(ch, x1, capsys, "crl", "import", crl_file)
    lines = err.strip().splitlines()
    assert rc == 1 and out == "" and len(lines) == 1, (out, err)
    assert "internal error" not in err and "big.crl: the CRL number is out of range" in err, err
    assert state(x1) == before


def test_the_largest_crl_number_the_store_keeps_is_imported(ch, tmp_path, capsys):
    x1 = copy_of(ch, "X1", tmp_path)
    rc, _out, err = run(ch, x1, capsys, "crl", "import", crl_numbered(ch, (1 << 63) - 1, tmp_path / "max.crl"))
    assert rc == 0, err
    con = sqlite3.connect(x1 / "dti.sqlite3")
    assert con.execute("SELECT max(number) FROM crl").fetchone()[0] == (1 << 63) - 1
    con.close()


def test_a_signed_crl_with_a_malformed_number_is_a_one_line_refusal(ch, tmp_path, capsys):
    """cryptography parses a CRL's extensions only when asked: a broken one (validly signed) is refused when the
    CRL is read, never an internal error later."""
    x1 = copy_of(ch, "X1", tmp_path)
    before = state(x1)
    rc, out, err = run(ch, x1, capsys, "crl", "import", crl_numbered(ch, b"\x01\x02", tmp_path / "broken.crl"))
    assert rc == 1 and out == "" and len(err.strip().splitlines()) == 1, (out, err)
    assert "internal error" not in err and "broken.crl is not a certificate revocation list" in err, err
    assert state(x1) == before


# -- 3. issuers by signature ----------------------------------------------------------------------------------------


def _ca(root: tuple[x509.Certificate, Any], start: datetime) -> tuple[x509.Certificate, Any]:
    key = keys.new_key()
    return certs.issue_issuing_ca(root[0], root[1], "H1", "UBND huyện Một", key.public_key(), start), key


def test_chain_for_picks_the_ca_that_signed_not_the_one_with_the_name():
    """Two CAs of district H1 (enrolled, then enrolled again): the same name, other keys."""
    from app.services.trust_service import Identity

    now = datetime.now(UTC)
    root_key = keys.new_key()
    root = certs.make_root("TP", "Sở Thử", root_key, now - timedelta(days=400))
    old_ca = _ca((root, root_key), now - timedelta(days=300))
    new_ca = _ca((root, root_key), now - timedelta(days=10))
    assert old_ca[0].subject == new_ca[0].subject
    for issuing, other in ((new_ca, old_ca), (old_ca, new_ca)):
        unit = certs.issue_signing(issuing[0], issuing[1], "X1", "UBND xã Một", keys.new_key().public_key(), now)
        for pool in ((issuing[0], other[0]), (other[0], issuing[0])):   # whichever the store lists first
            ident = Identity(None, None, None, pool, (root,))
            assert [certs.fingerprint(c) for c in ident.chain_for(unit)] == [certs.fingerprint(issuing[0]),
                                                                             certs.fingerprint(root)]


def test_chain_for_prefers_the_issuer_valid_when_the_certificate_began():
    """The same key certified twice (a CA renewed with its key): the certificate that was valid when the unit's
    certificate began is chosen, not merely the newer one."""
    from app.services.trust_service import Identity

    now = datetime.now(UTC)
    root_key, ca_key = keys.new_key(), keys.new_key()
    root = certs.make_root("TP", "Sở Thử", root_key, now - timedelta(days=3000))
    first = certs.issue_issuing_ca(root, root_key, "H1", "UBND huyện Một", ca_key.public_key(), now - timedelta(days=2900))
    renewed = certs.issue_issuing_ca(root, root_key, "H1", "UBND huyện Một", ca_key.public_key(), now - timedelta(days=5))
    early = certs.issue_signing(first, ca_key, "X1", "UBND xã Một", keys.new_key().public_key(), now - timedelta(days=2800))
    late = certs.issue_signing(renewed, ca_key, "X2", "UBND xã Hai", keys.new_key().public_key(), now)
    for pool in ((first, renewed), (renewed, first)):
        ident = Identity(None, None, None, pool, (root,))
        assert ident.chain_for(early)[0] == first and ident.chain_for(late)[0] == renewed


def test_a_commune_of_a_district_enrolled_again_signs_with_the_new_chain(ch, tmp_path, capsys):
    """The province revokes and re-enrolls H1 (a new CA under the same name); H1 enrolls X7; the province,
    holding both CAs, finds X7's issuer by signature, and X7's package, signed with that chain, is imported."""
    from app.services.trust_service import identity
    from app.services.workspace import Workspace

    prov, h1 = copy_of(ch, "prov", tmp_path), copy_of(ch, "H1", tmp_path)
    assert ch.run(prov, "authority", "revoke", "H1", "--out", tmp_path / "tp.crl") == 0
    assert ch.run(h1, "enroll", "accept", issue(ch, prov, "H1", "UBND huyện Một", tmp_path / "H1-r.dtienroll",
                                                 "--can-issue", group="huyen")) == 0
    x7 = tmp_path / "X7"
    assert ch.run(x7, "enroll", "accept", issue(ch, h1, "X7", "UBND xã Bảy", tmp_path / "X7.dtienroll")) == 0
    new_ca = own_certificate(h1, "issuing")
    with Workspace(prov, write=False) as ws:
        ident = identity(ws)
        assert sum(c.subject == new_ca.subject for c in ident.chain) == 2
        assert ident.chain_for(own_certificate(x7))[0] == new_ca
    assert ch.run(x7, "entry", "set", "1.1", "40") == 0
    assert ch.run(x7, "package", "export", "--out", tmp_path / "X7-r1.dtipkg") == 0
    rc, _out, err = run(ch, prov, capsys, "package", "import", tmp_path / "X7-r1.dtipkg")
    assert rc == 0, err


# -- 4. the first-run wizard reads the file as `enroll accept` does ------------------------------------------------


def test_the_wizard_preview_is_what_the_checked_reader_read(ch):
    from app.services.enrollment import read_enrollment
    from app.services.first_run import preview_enrollment

    file = ch.base / "enroll" / "X1.dtienroll"
    preview, claim = preview_enrollment(file), read_enrollment(file).claim
    assert (preview.unit_code, preview.unit_name, preview.group, preview.parent, preview.framework_id, preview.year,
            preview.can_issue) == (claim.code, claim.name, claim.group, claim.parent, claim.framework_id, claim.year,
                                   claim.can_issue)
    assert preview.certificate_fingerprint == certs.grouped(certs.fingerprint(own_certificate(ch.data("X1"))))
    assert preview.root_fingerprint == certs.grouped(certs.fingerprint(signer_of(ch.data("X1")).chain[-1]))


def test_the_wizard_refuses_a_file_whose_certificate_the_file_itself_revokes(ch, tmp_path, capsys):
    """X1's first enrollment file, re-signed by H1 with H1's newer CRL put in: on a fresh installation
    `dti enroll accept` refuses it, and the wizard with the same line."""
    h1 = copy_of(ch, "H1", tmp_path)
    assert ch.run(h1, "authority", "revoke", "X1", "--out", tmp_path / "h1.crl") == 0
    manifest, entries = read_package(ch.base / "enroll" / "X1.dtienroll")
    creds = json.loads(entries["data/credentials.json"])
    creds["crls"] = [base64.b64encode((tmp_path / "h1.crl").read_bytes()).decode("ascii")]
    entries["data/credentials.json"] = json.dumps(creds, sort_keys=True).encode("utf-8")
    out = tmp_path / "X1-revoked.dtienroll"
    write_package(out, manifest, [EntrySource(n, b) for n, b in entries.items()], signer_of(ch.data("H1")),
                  patterns=ENROLLMENT_NAMES)
    rc, _out, err = run(ch, tmp_path / "fresh", capsys, "enroll", "accept", out)
    assert rc == 1 and "the file's certificate was revoked" in err, err
    assert wizard_line(out) == err.strip()


# -- 5. the enrollment service in two modules -------------------------------------------------------------------------


def test_issuing_and_accepting_are_two_modules_under_the_size_guideline_with_the_old_names():
    import app.services.enrollment as issuing
    import app.services.enrollment_accept as accepting

    for module in (issuing, accepting):
        assert len(Path(module.__file__).read_text(encoding="utf-8").splitlines()) <= 400, module.__name__
    for name in ("accept", "read_enrollment", "Claim", "EnrollmentFile", "ENROLLMENT_FORMAT", "ENROLLMENT_NAMES"):
        assert getattr(issuing, name) is getattr(accepting, name)
    assert issuing.generate_passphrase is keys.generate_passphrase
