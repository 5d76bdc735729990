"""Write → verify → copy: the bytes come back identical, openssl agrees, identical inputs give identical files."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from app.errors import UserError
from app.packages import EntrySource, PackageRefused, TrustAnchors, copy_entry, read_entry, verify_package, write_package
from tests.packages.conftest import VALUES, manifest
from tests.packages.pki import NOW, _cert, _key, _name


def test_round_trip(tmp_path, pki, sample):
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    assert out == tmp_path / "X1.dtipkg"
    verified = verify_package(out, pki.anchors())
    assert verified.manifest["unit"]["code"] == "X1"
    assert verified.signer == pki.commune.cert
    assert verified.chain == (pki.district_ca, pki.root)
    assert set(verified.entries) == {e.name for e in sample}
    for entry in sample:
        dest = tmp_path / "store" / entry.name
        copy_entry(verified, entry.name, dest)
        expected = entry.source if isinstance(entry.source, bytes) else Path(entry.source).read_bytes()
        assert dest.read_bytes() == expected
    assert read_entry(verified, "data/values.json", 1 << 20) == VALUES
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_zip_is_plain_stored_and_readable_by_zipfile(tmp_path, pki, sample):
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        infos = z.infolist()
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
        assert [i.filename for i in infos][-2:] == ["manifest.json", "manifest.p7s"]
        assert infos[0].date_time == (2024, 5, 6, 7, 8, 8)  # created_at, DOS 2-second resolution
        assert all(i.extra == b"" for i in infos)


def test_identical_inputs_give_identical_bytes(tmp_path, pki, sample):
    a = write_package(tmp_path / "a" / "X1.dtipkg", manifest(), sample, pki.commune)[0].read_bytes()
    b = write_package(tmp_path / "b" / "X1.dtipkg", manifest(), list(reversed(sample)), pki.commune)[0].read_bytes()
    assert a == b
    rsa_a = write_package(tmp_path / "c" / "S1.dtipkg", manifest(), sample, pki.rsa_unit)[0].read_bytes()
    rsa_b = write_package(tmp_path / "d" / "S1.dtipkg", manifest(), sample, pki.rsa_unit)[0].read_bytes()
    assert rsa_a == rsa_b
    other = write_package(tmp_path / "e" / "X1.dtipkg", manifest(revision=4), sample, pki.commune)[0].read_bytes()
    assert other != a


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl not installed")
@pytest.mark.parametrize("who", ["commune", "district", "rsa_unit"])
def test_openssl_cms_verify(tmp_path, pki, sample, who):
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, getattr(pki, who))
    with zipfile.ZipFile(out) as z:
        (tmp_path / "manifest.json").write_bytes(z.read("manifest.json"))
        (tmp_path / "manifest.p7s").write_bytes(z.read("manifest.p7s"))
    (tmp_path / "root.pem").write_bytes(pki.root_pem())
    r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.p7s", "-content", "manifest.json",
                        "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    # and openssl refuses the same signature over other bytes
    (tmp_path / "manifest.json").write_bytes(b"{}")
    r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "manifest.p7s", "-content", "manifest.json",
                        "-CAfile", "root.pem", "-purpose", "any", "-out", "/dev/null"], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode != 0


def test_empty_package_and_empty_entry(tmp_path, pki):
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), [], pki.commune)
    assert verify_package(out, pki.anchors()).entries == {}
    [out] = write_package(tmp_path / "X2.dtipkg", manifest(), [EntrySource("data/empty.json", b"")], pki.commune)
    v = verify_package(out, pki.anchors())
    copy_entry(v, "data/empty.json", tmp_path / "e.json")
    assert (tmp_path / "e.json").read_bytes() == b""


def test_check_signed_hook_runs_after_the_signature_and_before_the_entries(tmp_path, pki, sample):
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    seen = []

    def hook(m, signer):
        seen.append((m["unit"]["code"], signer.subject))
        raise UserError("unit X1 does not belong to this authority", "đơn vị X1 không thuộc cơ quan này")

    with pytest.raises(UserError, match="does not belong"):
        verify_package(out, pki.anchors(), check_signed=hook)
    assert seen == [("X1", pki.commune.cert.subject)]


def test_copy_entry_catches_a_change_after_verification(tmp_path, pki, sample):
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    verified = verify_package(out, pki.anchors(), check_entries=False)
    assert not verified.entries_checked
    name = next(n for n in verified.entries if n.startswith("evidence/"))
    info = verified.entries[name]
    data = bytearray(out.read_bytes())
    data[info.offset + 10] ^= 0xFF
    out.write_bytes(bytes(data))
    dest = tmp_path / "store" / "x.pdf"
    dest.parent.mkdir()
    dest.write_bytes(b"previous")
    with pytest.raises(PackageRefused) as e:
        copy_entry(verified, name, dest)
    assert e.value.code == "entry_hash"
    assert dest.read_bytes() == b"previous"
    assert [p.name for p in dest.parent.iterdir()] == ["x.pdf"]
    with pytest.raises(PackageRefused) as e:
        read_entry(verified, "data/values.json", 10)
    assert e.value.code == "too_large"


def test_validation_moment(tmp_path, pki, sample):
    [out] = write_package(tmp_path / "X9.dtipkg", manifest(), sample, pki.expired)
    with pytest.raises(PackageRefused) as e:
        verify_package(out, pki.anchors())
    assert e.value.code == "expired"
    verify_package(out, pki.anchors(), at=NOW - timedelta(days=100))   # valid when it was signed
    with pytest.raises(PackageRefused) as e:
        verify_package(out, pki.anchors(), at=NOW - timedelta(days=1000))
    assert e.value.code == "not_yet_valid"
    # revoked an hour ago: fine at a moment before the revocation, refused after
    [rev] = write_package(tmp_path / "X7.dtipkg", manifest(), sample, pki.revoked)
    verify_package(rev, pki.anchors(), at=NOW - timedelta(days=2))
    with pytest.raises(PackageRefused) as e:
        verify_package(rev, pki.anchors())
    assert e.value.code == "revoked"
    verify_package(rev, pki.anchors(crls=False))  # without the CRL nothing is known


def _with_distribution_point(pki, code):
    key = _key()
    cert = _cert(_name(f"UBND {code}", unit=code), key, pki.district_ca.subject, pki.district_ca_key, ca=False)
    builder = (x509.CertificateBuilder().subject_name(cert.subject).issuer_name(cert.issuer).public_key(key.public_key())
               .serial_number(cert.serial_number).not_valid_before(cert.not_valid_before_utc).not_valid_after(cert.not_valid_after_utc))
    for ext in cert.extensions:
        builder = builder.add_extension(ext.value, ext.critical)
    dp = x509.DistributionPoint([x509.UniformResourceIdentifier("http://crl.invalid/district.crl")], None, None, None)
    builder = builder.add_extension(x509.CRLDistributionPoints([dp]), critical=False)
    from app.packages import Signer

    return Signer(builder.sign(pki.district_ca_key, hashes.SHA256()), key, (pki.district_ca, pki.root))


def test_certificates_with_a_crl_distribution_point(tmp_path, pki, sample):
    """Certificates that name a CRL URL: never fetched; verified without any CRL (offline), revoked by a stale one."""
    signer = _with_distribution_point(pki, "X3")
    [out] = write_package(tmp_path / "X3.dtipkg", manifest(), sample, signer)
    verify_package(out, TrustAnchors(roots=(pki.root,)))
    verify_package(out, pki.anchors())   # a CRL of the issuer that does not list it
    stale = (x509.CertificateRevocationListBuilder().issuer_name(pki.district_ca.subject)
             .last_update(NOW - timedelta(days=90)).next_update(NOW - timedelta(days=60))
             .add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(signer.cert.serial_number)
                                      .revocation_date(NOW - timedelta(days=91)).build())
             .sign(pki.district_ca_key, hashes.SHA256()))
    with pytest.raises(PackageRefused) as e:
        verify_package(out, TrustAnchors(roots=(pki.root,), crls=(stale,)))
    assert e.value.code == "revoked"


def test_a_crl_not_signed_by_the_issuer_is_ignored(tmp_path, pki, sample):
    forged = (x509.CertificateRevocationListBuilder().issuer_name(pki.district_ca.subject)
              .last_update(NOW - timedelta(days=1)).next_update(NOW + timedelta(days=1))
              .add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(pki.commune.cert.serial_number)
                                       .revocation_date(NOW - timedelta(days=1)).build())
              .sign(_key(), hashes.SHA256()))
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    verify_package(out, TrustAnchors(roots=(pki.root,), crls=(forged,)))


def test_verification_inside_a_running_event_loop(tmp_path, pki, sample):
    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)

    async def main():
        return verify_package(out, pki.anchors())

    assert asyncio.run(main()).manifest["revision"] == 3


def test_nothing_reaches_stderr(tmp_path, pki, sample, capfd):
    [out] = write_package(tmp_path / "Z1.dtipkg", manifest(), sample, pki.foreign)
    with pytest.raises(PackageRefused):
        verify_package(out, pki.anchors())
    [out] = write_package(tmp_path / "X9.dtipkg", manifest(), sample, pki.expired)
    with pytest.raises(PackageRefused):
        verify_package(out, pki.anchors())
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


def test_bundle_names_are_opt_in(tmp_path, pki):
    from app.packages import BUNDLE_NAMES

    inner = EntrySource("packages/x1-r3.dtipkg", b"PK...")
    with pytest.raises(ValueError):
        write_package(tmp_path / "h1.dtibundle", manifest(format="dti-bundle/1"), [inner], pki.district)
    [out] = write_package(tmp_path / "h1.dtibundle", manifest(format="dti-bundle/1"), [inner], pki.district, patterns=BUNDLE_NAMES)
    verify_package(out, pki.anchors(), patterns=BUNDLE_NAMES)
    with pytest.raises(PackageRefused) as e:
        verify_package(out, pki.anchors())
    assert e.value.code == "entry_name"


@pytest.mark.parametrize("bad", [
    {"entries": []}, {"format": "zip"}, {"created_at": 5},
])
def test_writer_refuses_bad_manifests(tmp_path, pki, bad):
    with pytest.raises(ValueError):
        write_package(tmp_path / "X1.dtipkg", manifest(**bad), [], pki.commune)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../x.json", "data/X.json", "manifest.json", "evidence/abc.pdf", "data\\x.json"])
def test_writer_refuses_bad_names(tmp_path, pki, name):
    with pytest.raises(ValueError):
        write_package(tmp_path / "X1.dtipkg", manifest(), [EntrySource(name, b"{}")], pki.commune)
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_evidence_not_named_by_its_hash(tmp_path, pki):
    with pytest.raises(ValueError, match="content hash"):
        write_package(tmp_path / "X1.dtipkg", manifest(), [EntrySource("evidence/" + "0" * 64 + ".pdf", b"%PDF")], pki.commune)
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_a_key_of_another_certificate(tmp_path, pki):
    from app.packages import Signer

    with pytest.raises(ValueError, match="does not belong"):
        write_package(tmp_path / "X1.dtipkg", manifest(), [], Signer(pki.commune.cert, pki.district.key, pki.commune.chain))
    assert list(tmp_path.iterdir()) == []


def test_copy_entries_is_all_or_nothing(tmp_path, pki, sample):
    from app.packages import copy_entries

    [out] = write_package(tmp_path / "X1.dtipkg", manifest(), sample, pki.commune)
    verified = verify_package(out, pki.anchors(), check_entries=False)
    store = tmp_path / "store"
    got = copy_entries(verified, {n: store / n for n in verified.entries})
    assert got == {n: i.sha256 for n, i in verified.entries.items()}
    for entry in sample:
        expected = entry.source if isinstance(entry.source, bytes) else Path(entry.source).read_bytes()
        assert (store / entry.name).read_bytes() == expected
    # the last entry in the file damaged after verification: nothing of the batch lands
    last = max(verified.entries, key=lambda n: verified.entries[n].offset)
    data = bytearray(out.read_bytes())
    data[verified.entries[last].offset] ^= 0x01
    out.write_bytes(bytes(data))
    fresh = tmp_path / "fresh"
    with pytest.raises(PackageRefused) as e:
        copy_entries(verified, {n: fresh / n for n in verified.entries})
    assert e.value.code == "entry_hash" and last in str(e.value)
    assert [p for p in fresh.rglob("*") if p.is_file()] == []
