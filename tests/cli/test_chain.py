"""Province -> district -> communes through the command line, as DESIGN §5-7 and the contract smoke say."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import SMALL
from tests.evidence import corpus as c

PASS = "smoke-passphrase-1"


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory):
    """Province P enrolls district H1 (--can-issue); H1 enrolls communes X1 and X2; both fill in."""
    import os

    work = tmp_path_factory.mktemp("chain")
    old = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE")}
    os.environ["DTI_PASSPHRASE"] = PASS
    os.environ["DTI_UNIT_PASSPHRASE"] = PASS
    fw = work / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)])

    assert run("prov", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử") == 0
    assert run("prov", "framework", "import", fw) == 0
    assert run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", "H1", "--unit-name",
               "UBND huyện Thử", "--group", "huyen", "--can-issue", "--out", work / "h1.dtienroll") == 0
    assert run("h1", "enroll", "accept", work / "h1.dtienroll") == 0
    for code, name in (("X1", "UBND xã Một"), ("X2", "UBND xã Hai")):
        assert run("h1", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name", name,
                   "--group", "xa", "--out", work / f"{code}.dtienroll") == 0
        assert run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0
    assert run("X1", "entry", "set", "1.1", "50") == 0
    assert run("X1", "entry", "set", "1.2", "30,5") == 0
    pdf = work / "Biên bản họp.pdf"
    pdf.write_bytes(c.reportlab_pdf())
    assert run("X1", "evidence", "add", "1.1", pdf) == 0
    assert run("X2", "entry", "set", "1.1", "60") == 0
    for code in ("X1", "X2"):
        assert run(code, "package", "export", "--out", work / f"{code}.dtipkg") == 0
    yield work, run
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def store_rows(data: Path, table: str) -> int:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_enrollment_sheet_and_framework_installed(chain):
    work, _run = chain
    assert (work / "X1-phieu.pdf").is_file()
    assert (work / "h1-phieu.pdf").is_file()


def test_package_is_stored_zip_and_openssl_verifies_it(chain, tmp_path):
    work, run = chain
    with zipfile.ZipFile(work / "X1.dtipkg") as z:
        names = z.namelist()
        assert "manifest.json" in names and "manifest.p7s" in names
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
        (tmp_path / "m.json").write_bytes(z.read("manifest.json"))
        (tmp_path / "m.p7s").write_bytes(z.read("manifest.p7s"))
        manifest = json.loads(z.read("manifest.json"))
    assert manifest["unit"]["code"] == "X1" and manifest["revision"] == 1
    assert any(e["name"].startswith("evidence/") for e in manifest["entries"])
    assert run("prov", "authority", "root", "--out", tmp_path / "root.pem") == 0
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    r = subprocess.run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", tmp_path / "m.p7s",
                        "-content", tmp_path / "m.json", "-CAfile", tmp_path / "root.pem", "-purpose", "any",
                        "-out", "/dev/null"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_district_verifies_imports_and_is_idempotent(chain, capsys):
    work, run = chain
    assert run("h1", "package", "verify", work / "X1.dtipkg") == 0
    assert run("h1", "package", "import", work / "X1.dtipkg", work / "X2.dtipkg") == 0
    assert store_rows(work / "h1", "submission") == 2
    capsys.readouterr()
    assert run("h1", "package", "import", work / "X1.dtipkg") == 0
    assert "unchanged" in capsys.readouterr().out
    assert store_rows(work / "h1", "submission") == 2
    archived = list((work / "h1" / "received" / "X1").glob("*.dtiskel"))
    assert archived and not (archived[0].stat().st_mode & 0o222)


def test_truncated_package_is_refused_with_a_reason(chain, tmp_path, capsys):
    work, run = chain
    data = (work / "X1.dtipkg").read_bytes()
    bad = tmp_path / "bad.dtipkg"
    bad.write_bytes(data[: len(data) // 2])
    before = store_rows(work / "h1", "submission")
    capsys.readouterr()
    assert run("h1", "package", "import", bad) != 0
    err = capsys.readouterr().err
    assert "bad.dtipkg" in err and len(err.strip().splitlines()) == 1
    assert store_rows(work / "h1", "submission") == before


def test_the_province_does_not_take_a_commune_directly_from_another_authority(chain, tmp_path, capsys):
    work, _run = chain
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "authority", "init", "--code", "TQ", "--name", "Tỉnh khác"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(other), "--lang", "en", "package", "import", str(work / "X1.dtipkg")]) != 0
    assert "X1.dtipkg" in capsys.readouterr().err


def test_revisions_supersede_in_order_and_stale_or_equivocating_ones_are_refused(chain, capsys):
    work, run = chain
    assert run("X1", "entry", "set", "1.1", "55") == 0
    assert run("X1", "package", "export", "--out", work / "X1-r2.dtipkg") == 0
    assert run("h1", "package", "import", work / "X1-r2.dtipkg") == 0
    capsys.readouterr()
    assert run("h1", "package", "import", work / "X1.dtipkg") != 0          # revision 1 after revision 2
    assert "older" in capsys.readouterr().err


def test_the_same_revision_with_other_bytes_raises_an_alarm(chain, tmp_path, capsys):
    """A unit's data directory copied to a second PC: both export "revision N" with different content."""
    work, run = chain
    clone = tmp_path / "X1-clone"
    shutil.copytree(work / "X1", clone, ignore=shutil.ignore_patterns("dti.lock"))
    assert run("X1", "package", "export", "--out", tmp_path / "a.dtipkg") == 0
    assert main(["--data-dir", str(clone), "entry", "set", "1.2", "12"]) == 0
    assert main(["--data-dir", str(clone), "package", "export", "--out", str(tmp_path / "b.dtipkg")]) == 0
    assert run("h1", "package", "import", tmp_path / "a.dtipkg") == 0
    before = store_rows(work / "h1", "submission")
    capsys.readouterr()
    assert run("h1", "package", "import", tmp_path / "b.dtipkg") != 0
    err = capsys.readouterr().err
    assert "ALARM" in err and "different content" in err
    assert store_rows(work / "h1", "submission") == before


def test_split_volumes_import_and_a_missing_volume_is_named(chain, tmp_path, capsys):
    _work, run = chain
    big = tmp_path / "Ảnh quét lớn.pdf"
    big.write_bytes(c.reportlab_pdf(pages=2) + b"%" + b"x" * (3 * 1024 * 1024) + b"\n%%EOF\n")
    assert run("X2", "evidence", "add", "1.1", big) == 0
    out = tmp_path / "split" / "X2-r2.dtipkg"
    assert run("X2", "package", "export", "--out", out, "--split-mb", "1") == 0
    volumes = sorted(out.parent.iterdir())
    assert len(volumes) >= 2
    missing = tmp_path / "missing"
    missing.mkdir()
    for v in volumes[1:]:
        shutil.copy(v, missing / v.name)
    capsys.readouterr()
    assert run("h1", "package", "import", missing) != 0
    assert volumes[0].name in capsys.readouterr().err          # the missing volume is named
    assert run("h1", "package", "import", out.parent) == 0


def test_wrong_passphrase_and_no_enrollment_refuse_export(chain, tmp_path, capsys):
    work, _run = chain
    pf = tmp_path / "wrong.txt"
    pf.write_text("not-the-passphrase\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["--data-dir", str(work / "X1"), "--lang", "en", "--passphrase-file", str(pf), "package", "export",
                 "--out", str(tmp_path / "x.dtipkg")]) != 0
    assert "wrong passphrase" in capsys.readouterr().err
    assert not (tmp_path / "x.dtipkg").exists()


def test_revocation_travels_as_a_crl(chain, tmp_path, capsys):
    work, run = chain
    assert run("h1", "authority", "revoke", "X2", "--out", tmp_path / "h1.crl") == 0
    assert (tmp_path / "h1.crl").is_file()
    capsys.readouterr()
    assert run("h1", "package", "import", work / "X2.dtipkg") != 0
    assert "revoked" in capsys.readouterr().err
    # the province learns of it by importing the district's CRL (it knows the district's CA)
    assert run("prov", "crl", "import", tmp_path / "h1.crl") == 0
    garbage = tmp_path / "garbage.crl"
    garbage.write_bytes(b"not a crl")
    assert run("prov", "crl", "import", garbage) != 0


def test_passphrase_change_reencrypts_every_key(chain, tmp_path, capsys):
    work, _run = chain
    data = tmp_path / "h1-copy"
    shutil.copytree(work / "h1", data, ignore=shutil.ignore_patterns("dti.lock"))
    new = tmp_path / "new.txt"
    new.write_text("mat-khau-moi-2026\n", encoding="utf-8")
    assert main(["--data-dir", str(data), "passphrase", "change", "--new-passphrase-file", str(new)]) == 0
    assert "2 " in capsys.readouterr().out           # the district's signing key and its issuing CA key
    old = tmp_path / "old.txt"
    old.write_text(PASS + "\n", encoding="utf-8")
    args = ["enroll", "issue", "--framework", "small-2024", "--unit-code", "X9", "--unit-name", "Xã Chín", "--group", "xa"]
    assert main(["--data-dir", str(data), "--lang", "en", "--passphrase-file", str(old), *args,
                 "--out", str(tmp_path / "x9.dtienroll")]) == 1
    assert "wrong passphrase" in capsys.readouterr().err
    assert main(["--data-dir", str(data), "--passphrase-file", str(new), *args, "--out", str(tmp_path / "x9.dtienroll")]) == 0


def test_accept_binds_a_unit_started_with_unit_init(chain, tmp_path, capsys):
    """An officer starts with `dti unit init`; the enrollment file later binds the same unit."""
    work, run = chain
    fw = work / "fw.dti.yaml"
    early = tmp_path / "early"
    assert main(["--data-dir", str(early), "framework", "import", str(fw)]) == 0
    assert main(["--data-dir", str(early), "unit", "init", "--framework", "small-2024", "--unit-code", "X7",
                 "--unit-name", "UBND xã Bảy", "--group", "xa"]) == 0
    assert main(["--data-dir", str(early), "entry", "set", "1.1", "42"]) == 0
    assert run("h1", "enroll", "issue", "--framework", "small-2024", "--unit-code", "X7", "--unit-name", "UBND xã Bảy",
               "--group", "xa", "--out", tmp_path / "x7.dtienroll") == 0
    assert main(["--data-dir", str(early), "enroll", "accept", str(tmp_path / "x7.dtienroll")]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(early), "score", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"] == 42            # the values entered before stay
    # a file for another unit is refused and changes nothing
    assert run("h1", "enroll", "issue", "--framework", "small-2024", "--unit-code", "X8", "--unit-name", "UBND xã Tám",
               "--group", "xa", "--out", tmp_path / "x8.dtienroll") == 0
    capsys.readouterr()
    assert main(["--data-dir", str(early), "--lang", "en", "enroll", "accept", str(tmp_path / "x8.dtienroll")]) == 1
    assert "X7" in capsys.readouterr().err


def test_a_tampered_enrollment_file_is_refused(chain, tmp_path, capsys):
    work, _run = chain
    raw = bytearray((work / "X1.dtienroll").read_bytes())
    raw[len(raw) // 3] ^= 0x01
    bad = tmp_path / "bad.dtienroll"
    bad.write_bytes(bytes(raw))
    capsys.readouterr()
    assert main(["--data-dir", str(tmp_path / "victim"), "--lang", "en", "enroll", "accept", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.strip() and len(err.strip().splitlines()) == 1
