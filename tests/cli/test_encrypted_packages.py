"""Issue 19 item 4 through the command line: `package export --encrypt` for the authority that enrolled the unit,
`package verify` / `import` opening it with that authority's key, volumes and bundles encrypted, the setting
`encrypt-packages`, a package for another authority and altered files refused with one line and nothing stored,
and openssl opening what the export wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.packages import envelope
from tests.services.chainkit import PASS, build_chain
from tests.services.hostile import refused_line, state

OPENSSL = shutil.which("openssl")


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    return build_chain(tmp_path_factory)


@pytest.fixture(scope="module")
def sealed(chain, tmp_path_factory):
    """X1 (a commune H1 enrolled) and H1 (a district the province enrolled) export encrypted, from copies."""
    work = tmp_path_factory.mktemp("sealed")
    x1 = chain.copy("X1", work / "X1")
    h1 = chain.copy("H1", work / "H1")
    out = {"work": work, "X1": work / "X1-r3.dtipkg", "H1pkg": work / "H1-r2.dtipkg"}
    assert chain.run(x1, "package", "export", "--encrypt", "--out", out["X1"]) == 0
    assert chain.run(h1, "package", "export", "--encrypt", "--out", out["H1pkg"]) == 0
    return out


def _key_pem(data: Path, role: str, dest: Path) -> tuple[Path, Path]:
    """An installation's certificate and unencrypted key as PEM files, for openssl."""
    from cryptography.hazmat.primitives import serialization

    from app.services.trust_service import identity
    from app.services.workspace import Workspace
    from app.trust import keys

    with Workspace(data, write=False) as ws:
        cert, pem = getattr(identity(ws), role)
    key = keys.decrypt_key(pem, PASS)
    key_path, cert_path = dest / f"{data.name}-{role}-key.pem", dest / f"{data.name}-{role}-cert.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def test_encrypted_export_is_no_zip_and_leaves_no_plaintext(chain, sealed):
    data = sealed["X1"].read_bytes()
    assert envelope.is_enveloped(data[:32]) and not data.startswith(b"PK")
    assert sorted(p.name for p in sealed["work"].iterdir()) == ["H1", "H1-r2.dtipkg", "X1", "X1-r3.dtipkg"]
    assert not list((sealed["work"] / "X1").glob(".dti-crypt-*"))


def test_the_district_opens_its_communes_package(chain, sealed, tmp_path, capsys):
    h1 = chain.copy("H1", tmp_path / "H1")
    capsys.readouterr()
    assert chain.run(h1, "package", "verify", sealed["X1"]) == 0
    assert "X1 r3: OK (encrypted for this installation)" in capsys.readouterr().out
    assert chain.run(h1, "package", "import", sealed["X1"]) == 0
    assert "X1 revision 3: imported" in capsys.readouterr().out
    assert not list(h1.glob(".dti-crypt-*"))
    assert chain.run(h1, "package", "import", sealed["X1"]) == 0
    assert "already imported, unchanged" in capsys.readouterr().out


def test_the_province_opens_its_districts_package_and_refuses_a_communes(chain, sealed, tmp_path, capsys):
    prov = chain.copy("prov", tmp_path / "prov")
    capsys.readouterr()
    assert chain.run(prov, "package", "import", sealed["H1pkg"]) == 0
    assert "H1 revision 2: imported" in capsys.readouterr().out
    line = refused_line(chain.run, prov, ("package", "import"), sealed["X1"], "import", capsys,
                        "encrypted for another authority", "H1")
    assert "X1-r3.dtipkg" in line


def test_another_province_is_told_whom_the_package_is_for(chain, sealed, capsys):
    tq = chain.data("TQ")
    for mode in ("import", "dry-run"):
        refused_line(chain.run, tq, ("package", "import"), sealed["H1pkg"], mode, capsys,
                     "encrypted for another authority")


def test_a_wrong_passphrase_is_refused_and_nothing_stored(chain, sealed, tmp_path, capsys):
    h1 = chain.copy("H1", tmp_path / "H1")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not-the-passphrase\n", encoding="utf-8")
    before = state(h1)
    capsys.readouterr()
    from app.cli.main import main

    rc = main(["--data-dir", str(h1), "--lang", "en", "--passphrase-file", str(wrong), "package", "import", str(sealed["X1"])])
    err = capsys.readouterr().err
    assert rc != 0 and len(err.strip().splitlines()) == 1 and "wrong passphrase" in err
    assert state(h1) == before


@pytest.mark.skipif(OPENSSL is None, reason="openssl not installed")
def test_openssl_opens_the_export_and_the_result_verifies(chain, sealed, tmp_path):
    key, cert = _key_pem(chain.data("H1"), "issuing", tmp_path)
    plain = tmp_path / "X1-r3-plain.dtipkg"
    subprocess.run([OPENSSL, "cms", "-decrypt", "-inform", "DER", "-in", sealed["X1"], "-inkey", key, "-recip", cert,
                    "-out", plain], check=True, capture_output=True)
    assert plain.read_bytes().startswith(b"PK")
    import zipfile

    with zipfile.ZipFile(plain) as z:
        (tmp_path / "m.json").write_bytes(z.read("manifest.json"))
        (tmp_path / "m.p7s").write_bytes(z.read("manifest.p7s"))
    root = tmp_path / "root.pem"
    assert chain.run("prov", "authority", "root", "--out", root) == 0
    subprocess.run([OPENSSL, "cms", "-verify", "-binary", "-inform", "DER", "-in", tmp_path / "m.p7s", "-content",
                    tmp_path / "m.json", "-CAfile", root, "-purpose", "any", "-out", os.devnull],
                   check=True, capture_output=True)


@pytest.mark.skipif(OPENSSL is None, reason="openssl not installed")
def test_a_package_encrypted_by_openssl_imports(chain, sealed, tmp_path, capsys):
    _, cert = _key_pem(chain.data("H1"), "issuing", tmp_path)
    theirs = tmp_path / "X1-r2.dtipkg"
    subprocess.run([OPENSSL, "cms", "-encrypt", "-binary", "-outform", "DER", "-aes256", "-stream", "-recip", cert,
                    "-in", chain.pkg("X1-r2"), "-out", theirs], check=True, capture_output=True)
    h1 = chain.copy("H1", tmp_path / "H1")
    capsys.readouterr()
    assert chain.run(h1, "package", "import", theirs) == 0
    assert "X1 revision 2: imported" in capsys.readouterr().out


def _altered(src: Path, dest: Path, change) -> Path:
    data = bytearray(src.read_bytes())
    dest.write_bytes(bytes(change(data)))
    return dest


def _offset_of(data: bytes, needle: bytes) -> int:
    at = data.find(needle)
    assert at > 0
    return at


def _flip(at):
    def change(data: bytearray) -> bytearray:
        data[at(data)] ^= 0x01
        return data
    return change


HOSTILE = {
    "truncated-head": lambda d: d[:40],
    "truncated-middle": lambda d: d[:len(d) // 2],
    "truncated-last-byte": lambda d: d[:-1],
    "garbage-after-end": lambda d: d + b"\x00garbage",
    "ciphertext-byte": _flip(lambda d: len(d) // 2),
    "last-block": _flip(lambda d: len(d) - 3),
    "originator-key": _flip(lambda d: _offset_of(d, bytes.fromhex("06072a8648ce3d0201")) + 20),
    "wrapped-key": _flip(lambda d: _offset_of(d, b"\x04\x28") + 10),
    "recipient-serial": _flip(lambda d: _offset_of(d, b"\x04\x28") - 3),
    "key-agreement-oid": _flip(lambda d: _offset_of(d, bytes.fromhex("06062b8104010b01")) + 6),
    "huge-length": lambda d: d[:1] + b"\x88\x7f\xff\xff\xff\xff\xff\xff\xff" + d[2 + (d[1] & 0x7F):],
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_an_altered_encrypted_package_is_refused_in_one_line(chain, sealed, tmp_path, capsys, kind):
    h1 = chain.copy("H1", tmp_path / "H1")
    bad = _altered(sealed["X1"], tmp_path / "X1-r3.dtipkg", HOSTILE[kind])
    for mode in ("dry-run", "import"):
        refused_line(chain.run, h1, ("package", "import"), bad, mode, capsys)
    assert not list(h1.glob(".dti-crypt-*"))


def test_volumes_are_cut_after_encryption_and_a_missing_one_is_named(chain, tmp_path, capsys):
    from PIL import Image

    x1 = chain.copy("X1", tmp_path / "X1")
    noise = tmp_path / "quet.png"
    Image.frombytes("RGB", (800, 800), os.urandom(800 * 800 * 3)).save(noise, "PNG")
    assert chain.run(x1, "evidence", "add", "1.2", noise) == 0
    out = tmp_path / "out" / "X1-r3.dtipkg"
    capsys.readouterr()
    assert chain.run(x1, "package", "export", "--encrypt", "--split-mb", "1", "--out", out) == 0
    volumes = sorted(out.parent.iterdir())
    assert len(volumes) >= 2 and all(".dtipkg.0" in v.name for v in volumes)
    h1 = chain.copy("H1", tmp_path / "H1")
    capsys.readouterr()
    line = refused_line(chain.run, h1, ("package", "import"), volumes[0], "import", capsys, "missing")
    assert volumes[1].name in line
    assert chain.run(h1, "package", "import", out.parent) == 0
    assert "X1 revision 3: imported" in capsys.readouterr().out
    assert not list(h1.glob(".dti-crypt-*"))


def test_the_setting_encrypt_packages(chain, tmp_path, capsys):
    x1 = chain.copy("X1", tmp_path / "X1")
    assert chain.run(x1, "config", "set", "encrypt-packages", "maybe") != 0
    assert chain.run(x1, "config", "set", "encrypt-packages", "yes") == 0
    assert chain.run(x1, "package", "export", "--out", tmp_path / "a.dtipkg") == 0
    assert envelope.is_enveloped((tmp_path / "a.dtipkg").read_bytes()[:32])
    assert chain.run(x1, "package", "export", "--no-encrypt", "--out", tmp_path / "b.dtipkg") == 0
    assert (tmp_path / "b.dtipkg").read_bytes().startswith(b"PK")
    assert chain.run(x1, "config", "set", "encrypt-packages", "no") == 0
    assert chain.run(x1, "package", "export", "--out", tmp_path / "c.dtipkg") == 0
    assert (tmp_path / "c.dtipkg").read_bytes().startswith(b"PK")


def test_an_encrypted_bundle_reaches_the_province(chain, tmp_path, capsys, monkeypatch):
    h1 = chain.copy("H1", tmp_path / "H1")
    prov = chain.copy("prov", tmp_path / "prov")
    assert chain.run(h1, "package", "import", chain.pkg("X1-r2"), chain.pkg("X2-r1")) == 0
    bundle = tmp_path / "H1.dtibundle"
    assert chain.run(h1, "bundle", "export", "--encrypt", "--out", bundle) == 0
    assert envelope.is_enveloped(bundle.read_bytes()[:32])
    # each commune's package is verified inside the bundle, in place: no copy of it in the data directory
    from app.services import bundle as bundle_service

    seen, real = [], bundle_service.verify

    def watched(*args, **kwargs):
        seen.append(sorted(p.name for p in prov.rglob("*.dtipkg")))
        return real(*args, **kwargs)

    monkeypatch.setattr(bundle_service, "verify", watched)
    capsys.readouterr()
    assert chain.run(prov, "package", "import", bundle) == 0
    out = capsys.readouterr().out
    assert "X1 revision 2: imported" in out and "X2 revision 1: imported" in out
    assert "it came encrypted for this installation" in out
    assert seen and all(found == [] for found in seen), seen
    assert not list(prov.glob(".dti-crypt-*"))
    # at another district the bundle is for someone else
    h2 = chain.copy("H2", tmp_path / "H2")
    refused_line(chain.run, h2, ("package", "import"), bundle, "import", capsys, "encrypted for another authority")


def test_export_refuses_to_encrypt_without_enrollment(tmp_path, capsys):
    from app.cli.main import main
    from tests.conftest import SMALL

    fw = tmp_path / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")
    data = tmp_path / "u"
    run = ["--data-dir", str(data), "--lang", "en"]
    assert main([*run, "framework", "import", str(fw)]) == 0
    assert main([*run, "unit", "init", "--framework", "small-2024", "--unit-code", "U1", "--unit-name", "U",
                 "--group", "xa"]) == 0
    capsys.readouterr()
    pf = tmp_path / "p.txt"
    pf.write_text("whatever-1\n", encoding="utf-8")
    assert main([*run, "--passphrase-file", str(pf), "package", "export", "--encrypt", "--out", str(tmp_path / "x.dtipkg")]) != 0
    assert "not enrolled" in capsys.readouterr().err
    assert not (tmp_path / "x.dtipkg").exists()


def test_decrypted_bytes_equal_the_signed_package(chain, sealed, tmp_path):
    """What the district decrypts is a package whose manifest is signed by X1 (an envelope adds no content)."""
    from app.packages.source import Source
    from app.services.trust_service import identity
    from app.services.workspace import Workspace
    from app.trust import keys

    with Workspace(chain.data("H1"), write=False) as ws:
        cert, pem = identity(ws).issuing
    with Source.of_file(sealed["X1"]) as src:
        env = envelope.open_envelope(src, "X1")
        assert env.recipients[0][0].matches(cert)
        decryption = envelope.Decryption(env, envelope.unwrap_key(env, 0, keys.decrypt_key(pem, PASS)))
        with decryption.source(src) as plain:
            assert plain.read_at(0, 4) == b"PK\x03\x04"


def test_an_encrypted_file_is_recognised_by_content(chain, sealed, tmp_path):
    from app.services import handoff as ho

    got = ho.recognise(sealed["X1"])
    assert (got.kind, got.encrypted, got.format) == (ho.PACKAGE, True, "")
    renamed = tmp_path / "goi-cua-xa"
    shutil.copyfile(sealed["X1"], renamed)
    assert ho.recognise(renamed).encrypted
    assert not ho.recognise(chain.pkg("X1-r1")).encrypted
