"""Issue 16: what a sender could make a receiver believe, class by class, through the real CLI. Each test failed
before the rule of docs/trust-and-packages.md ("What a sender can make the receiver believe") was enforced.

Every refusal asserts its reason, and that the data directory is exactly as before: every file and folder in
it (not only received/ and evidence/), the rows, and nothing written beside it.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.evidence import corpus as c
from tests.services.chainkit import Chain, build_chain, canon, read_package, repack, signer_of, snapshot, submissions


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture
def h1(ch: Chain, tmp_path: Path) -> Path:
    return ch.copy("H1", tmp_path / "H1")


@pytest.fixture
def prov(ch: Chain, tmp_path: Path) -> Path:
    return ch.copy("prov", tmp_path / "prov")


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (the database's journal files aside), files with their size: a folder
    left behind shows here as well as a file."""
    out = {}
    for p in sorted(folder.rglob("*")):
        name = str(p.relative_to(folder))
        if name.startswith(("dti.sqlite3", "logs", "dti.lock")):   # the database, the log, the writers' lock
            continue
        out[name] = "dir" if p.is_dir() else str(p.stat().st_size)
    return out


def refused(ch: Chain, data: Path, pkg: Path, capsys, *reasons: str, command: str = "import") -> str:
    before = (snapshot(data), tree(data), sorted(os.listdir(data.parent)))
    capsys.readouterr()
    rc = ch.run(data, "package", command, pkg)
    out, err = capsys.readouterr()
    line = (err if command == "import" else out).strip()
    assert rc != 0, (out, err)
    assert len(line.splitlines()) == 1, line
    for reason in reasons:
        assert reason in line, line
    assert (snapshot(data), tree(data), sorted(os.listdir(data.parent))) == before
    return line


def forged_unit_cert(ch: Chain, code: str, name: str):
    """A signer whose certificate district H1's issuing CA really issued, for any code and name: what a district
    (or whoever took its issuing key) can make."""
    from unittest import mock

    from cryptography import x509
    from cryptography.x509.name import _ASN1Type
    from cryptography.x509.oid import NameOID

    from app.packages import Signer
    from app.trust import certs, keys

    def utf8_name(code: str, name: str, role: str) -> x509.Name:   # PrintableString cannot carry ESC or LF
        return x509.Name([x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, role),
                          x509.NameAttribute(NameOID.SERIAL_NUMBER, code, _type=_ASN1Type.UTF8String),
                          x509.NameAttribute(NameOID.COMMON_NAME, name[:64])])

    issuing = signer_of(ch.data("H1"), "issuing")
    key = keys.new_key()
    with mock.patch.object(certs, "_name", utf8_name):
        cert = certs.issue_signing(issuing.cert, issuing.key, code, name, key.public_key(), datetime.now(UTC))
    return Signer(cert, key, (issuing.cert, *issuing.chain))


def as_unit(ch: Chain, out: Path, code: str, name: str = "UBND xã Giả", group: str = "xa") -> Path:
    signer = forged_unit_cert(ch, code, name)
    return repack(ch.pkg("X1-r1"), out, signer, manifest={"unit": {"code": code, "name": name, "group": group}})


# -- 1. identifiers used as paths ------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["../../x", "X9\n", "X\x1b[31m", "..", "a/b", "X" * 41],
                         ids=["traversal", "newline", "ansi", "dotdot", "slash", "41-characters"])
def test_a_code_from_a_districts_ca_that_is_no_code_is_refused_before_any_path(ch, prov, tmp_path, capsys, code):
    pkg = as_unit(ch, tmp_path / "hostile.dtipkg", code)
    line = refused(ch, prov, pkg, capsys, "is not a valid code")
    assert "\x1b" not in line and "\n" not in line.rstrip("\n")
    assert not (prov.parent.parent / "x").exists()


def test_a_code_in_the_manifest_that_is_no_code_is_refused(ch, h1, tmp_path, capsys):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "nul.dtipkg", signer_of(ch.data("X1")),
                 manifest={"unit": {"code": "X\x00" + "Y" * 300, "name": "UBND xã Một", "group": "xa"}})
    refused(ch, h1, pkg, capsys, "is not a valid code")


# -- 2. a commune does not decide its group or name at the province ----------------------------------------

def test_a_commune_resigned_as_a_district_is_refused_at_the_province(ch, prov, tmp_path, capsys):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "as-district.dtipkg", signer_of(ch.data("X1")),
                 manifest={"unit": {"code": "X1", "name": "UBND xã Một", "group": "huyen"}})
    refused(ch, prov, pkg, capsys, "may not place unit X1 in group huyen")


def test_a_new_commune_as_a_district_is_refused_at_the_province(ch, prov, tmp_path, capsys):
    pkg = as_unit(ch, tmp_path / "new.dtipkg", "X77", group="huyen")
    refused(ch, prov, pkg, capsys, "may not place unit X77 in group huyen")


def test_a_commune_renamed_in_its_manifest_is_refused(ch, prov, tmp_path, capsys):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "renamed.dtipkg", signer_of(ch.data("X1")),
                 manifest={"unit": {"code": "X1", "name": "UBND xã Xuất sắc nhất tỉnh", "group": "xa"}})
    refused(ch, prov, pkg, capsys, "was enrolled by district H1 as 'UBND xã Một'")


def test_a_name_with_control_characters_is_refused(ch, prov, tmp_path, capsys):
    pkg = as_unit(ch, tmp_path / "ctl.dtipkg", "X78", name="UBND xã\x1b[2K đã nhập")
    refused(ch, prov, pkg, capsys, "is not a name of 1 to 200 printable characters")


def test_the_commune_as_enrolled_is_still_taken(ch, prov, capsys):
    capsys.readouterr()
    assert ch.run(prov, "package", "import", ch.pkg("X1-r1")) == 0, capsys.readouterr().err
    ((code, revision, *_),) = submissions(prov)
    assert (code, revision) == ("X1", 1)


# -- 3. the sender's claims about its evidence are not stored -----------------------------------------------

def _with_evidence(ch: Chain, out: Path, pdf: bytes, claims: dict) -> Path:
    import hashlib

    _manifest, entries = read_package(ch.pkg("X1-r1"))
    listed = json.loads(entries["data/evidence.json"])
    sha = hashlib.sha256(pdf).hexdigest()
    item = {**listed[0], "sha256": sha, "size": len(pdf), "name": "Kế hoạch.pdf", "pages": 99, **claims}
    return repack(ch.pkg("X1-r1"), out, signer_of(ch.data("X1")),
                  entries={f"evidence/{sha}.pdf": pdf, "data/evidence.json": canon([*listed, item])})


def test_forged_findings_and_signatures_of_evidence_are_replaced_by_the_receivers_own(ch, h1, tmp_path, capsys):
    claims = {"problems": [], "signatures": [{"signer": "Chủ tịch UBND tỉnh", "signing_time": "2025-01-01T00:00:00Z",
                                             "intact": True, "valid": True, "trusted": True, "covers_whole_file": True,
                                             "field": "Signature1"}]}
    pkg = _with_evidence(ch, tmp_path / "claims.dtipkg", c.javascript_pdf(), claims)
    capsys.readouterr()
    assert ch.run(h1, "package", "import", pkg) == 0, capsys.readouterr().err
    (*_, data_json), = submissions(h1)
    (item,) = [i for i in json.loads(data_json)["evidence"] if i["name"] == "Kế hoạch.pdf"]
    assert [p["code"] for p in item["problems"]] == ["javascript", "open_action"]
    assert item["signatures"] == [] and item["pages"] == 2
    from tests.services.chainkit import db

    con = db(h1)
    stored = json.loads(con.execute("SELECT inspection_json FROM evidence_file WHERE sha256 = ?",
                                    (item["sha256"],)).fetchone()[0])
    con.close()
    assert stored["signatures"] == [] and "javascript" in [p["code"] for p in stored["problems"]]


# -- 5. times that break the receiver later -------------------------------------------------------------------

@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "2025-03-01T08:00:00",
                                    "hôm qua"], ids=["year-9999", "year-1", "no-offset", "text"])
def test_created_at_out_of_range_is_refused(ch, h1, tmp_path, capsys, moment):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "late.dtipkg", signer_of(ch.data("X1")), manifest={"created_at": moment})
    refused(ch, h1, pkg, capsys, "is not a time with its offset between 2000 and 2100")
    capsys.readouterr()
    assert ch.run(h1, "status") == 0


# -- 8. nothing left behind, and a dry run that tells the truth -------------------------------------------------

def _bundle(ch: Chain, h1_data: Path, out: Path) -> Path:
    """District H1's own bundle of X1 and X2, exported for real."""
    assert ch.run(h1_data, "package", "import", ch.pkg("X1-r1"), ch.pkg("X2-r1")) == 0
    assert ch.run(h1_data, "bundle", "export", "--out", out) == 0
    return out


def _bundle_with(ch: Chain, src: Path, out: Path, change) -> Path:
    manifest, entries = read_package(src)
    change(manifest, entries)
    from app.packages import BUNDLE_NAMES, EntrySource, write_package

    write_package(out, manifest, [EntrySource(n, b) for n, b in entries.items()], signer_of(ch.data("H1")),
                  patterns=BUNDLE_NAMES)
    return out


@pytest.mark.parametrize("points", ["1e999999", "-5", "1000", "mười"], ids=["huge-exponent", "negative", "over", "text"])
def test_a_bundle_refused_in_its_appraisals_leaves_nothing_and_its_dry_run_says_so(ch, h1, prov, tmp_path, capsys,
                                                                                    points):
    good = _bundle(ch, h1, tmp_path / "H1.dtibundle")

    def change(manifest, entries):
        entries["data/appraisals.json"] = canon({"X1": [{"code": "1.1", "points": points, "comment": None,
                                                         "explanation_requested": False, "appraiser": "Cán bộ huyện",
                                                         "set_at": "2025-03-01T08:00:00Z"}]})

    bad = _bundle_with(ch, good, tmp_path / "bad.dtibundle", change)
    capsys.readouterr()
    before = (snapshot(prov), tree(prov))
    assert ch.run(prov, "package", "import", "--dry-run", bad) != 0
    dry = capsys.readouterr().err
    assert "appraisal X1 1.1" in dry and "would be imported" not in dry
    refused(ch, prov, bad, capsys, "appraisal X1 1.1")
    assert (snapshot(prov), tree(prov)) == before
    assert not list(prov.rglob("*.pending"))


def test_a_genuine_bundle_verifies_and_imports(ch, h1, prov, tmp_path, capsys):
    bundle = _bundle(ch, h1, tmp_path / "H1.dtibundle")
    capsys.readouterr()
    assert ch.run(prov, "package", "verify", bundle) == 0, capsys.readouterr()
    assert ch.run(prov, "package", "import", bundle) == 0, capsys.readouterr()
    assert {row[0] for row in submissions(prov)} == {"X1", "X2"}


def test_a_bundle_listing_a_commune_in_another_group_is_refused(ch, h1, prov, tmp_path, capsys):
    good = _bundle(ch, h1, tmp_path / "H1.dtibundle")

    def change(manifest, entries):
        units = json.loads(entries["data/units.json"])
        units[0]["name"] = "UBND xã Đổi tên"
        entries["data/units.json"] = json.dumps(units, sort_keys=True).encode()

    refused(ch, prov, _bundle_with(ch, good, tmp_path / "renamed.dtibundle", change), capsys, "lists X1 as 'UBND xã Đổi tên'")


# -- 10. verify is the import without storing ----------------------------------------------------------------------

@pytest.mark.parametrize("revision", [0, -1, 8.0, True, "8", 10**30, 2**63], ids=str)
def test_verify_and_import_agree_on_revisions(ch, h1, tmp_path, capsys, revision):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "rev.dtipkg", signer_of(ch.data("X1")), manifest={"revision": revision})
    refused(ch, h1, pkg, capsys, "is not a whole number from 1 to 1,000,000", command="verify")
    refused(ch, h1, pkg, capsys, "is not a whole number from 1 to 1,000,000")


@pytest.mark.parametrize("content", [b"MZ\x90\x00" + b"\x00" * 300, b"<html><body>x</body></html>", c.zip_bytes()],
                         ids=["exe", "html", "zip"])
def test_verify_and_import_agree_on_evidence_that_is_not_a_pdf(ch, h1, tmp_path, capsys, content):
    pkg = _with_evidence(ch, tmp_path / "notpdf.dtipkg", content, {})
    refused(ch, h1, pkg, capsys, "evidence refused", command="verify")
    refused(ch, h1, pkg, capsys, "evidence refused")


# -- 11. unchecked signed entries ---------------------------------------------------------------------------------

def test_an_unknown_data_entry_is_refused(ch, h1, tmp_path, capsys):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "extra.dtipkg", signer_of(ch.data("X1")),
                 entries={"data/extra.json": b"\x00\xff binary"})
    refused(ch, h1, pkg, capsys, "an entry no version of this application writes: data/extra.json")


def test_binary_in_a_known_data_entry_is_refused(ch, h1, tmp_path, capsys):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "bin.dtipkg", signer_of(ch.data("X1")),
                 entries={"data/audit.json": b"\x00\xff\xfe binary"})
    refused(ch, h1, pkg, capsys, "data/audit.json is not UTF-8 text")


def test_deeply_nested_json_is_a_refusal(ch, h1, tmp_path, capsys):
    pkg = repack(ch.pkg("X1-r1"), tmp_path / "deep.dtipkg", signer_of(ch.data("X1")),
                 entries={"data/score.json": b"[" * 100_000 + b"]" * 100_000})
    refused(ch, h1, pkg, capsys, "nested more than")


# -- 12. only regular files ------------------------------------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["verify", "import"])
def test_a_named_pipe_is_refused_without_waiting(ch, h1, tmp_path, capsys, command):
    fifo = tmp_path / "X1-r1.dtipkg"
    os.mkfifo(fifo)
    refused(ch, h1, fifo, capsys, "not a regular file", command=command)


# -- 13. terminal injection ----------------------------------------------------------------------------------------

def test_control_characters_of_a_file_name_are_escaped(ch, h1, tmp_path, capsys):
    if sys.platform == "win32":
        pytest.skip("Windows file names cannot carry control characters")
    name = "X1\x1b[32m imported\x07\n.dtipkg"
    pkg = tmp_path / name
    pkg.write_bytes(ch.pkg("X1-r1").read_bytes())
    capsys.readouterr()
    assert ch.run(h1, "package", "import", pkg) == 0
    out, err = capsys.readouterr()
    assert "\x1b" not in out + err and "\x07" not in out + err
    assert "X1\\x1b[32m imported\\x07\\n.dtipkg" in out
    assert len(out.strip().splitlines()) == 1


def test_writes_of_hostile_imports_stay_in_the_data_directory(ch, prov, tmp_path, capsys):
    """Every file or folder the hostile imports above open for writing, create, rename or remove lies in the data
    directory or the system's temporary folder (an audit hook sees every such call, wherever the path was built)."""
    import tempfile

    pkgs = [as_unit(ch, tmp_path / f"h{i}.dtipkg", code) for i, code in enumerate(["../../x", "..", "X9\n"])]
    pkgs.append(repack(ch.pkg("X1-r1"), tmp_path / "grp.dtipkg", signer_of(ch.data("X1")),
                       manifest={"unit": {"code": "X1", "name": "UBND xã Một", "group": "huyen"}}))
    pkgs.append(ch.pkg("X1-r1"))   # and one accepted, so the writing paths are walked too
    roots = (str(prov.resolve()), str(Path(tempfile.gettempdir()).resolve()))
    seen: list[str] = []

    def hook(event: str, args: tuple) -> None:
        if not watching:
            return
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)) and args[1] is not None \
                and any(m in str(args[1]) for m in "wax+"):
            seen.append(str(args[0]))
        elif event in ("os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "shutil.rmtree", "os.link"):
            seen.extend(str(a) for a in args[:2] if isinstance(a, (str, bytes, os.PathLike)))

    watching = True
    sys.addaudithook(hook)
    try:
        for pkg in pkgs:
            ch.run(prov, "package", "import", pkg)
    finally:
        watching = False   # audit hooks cannot be removed: this one only records while the imports run
    outside = [p for p in seen if not os.path.realpath(p).startswith(roots)]
    assert seen and outside == []


def test_an_entry_listed_twice_in_a_bundle_listing_is_refused(ch, h1, prov, tmp_path, capsys):
    good = _bundle(ch, h1, tmp_path / "H1.dtibundle")

    def change(manifest, entries):
        units = json.loads(entries["data/units.json"])
        entries["data/units.json"] = json.dumps([units[0], units[0], *units[1:]], sort_keys=True).encode()

    refused(ch, prov, _bundle_with(ch, good, tmp_path / "twice.dtibundle", change), capsys, "listed twice")



def test_evidence_in_the_store_without_a_record_is_inspected_not_believed(ch, h1, capsys):
    """A file this store holds by hash but has no inspection record of (dropped here to make the case): the
    receiver inspects its own copy instead of keeping the sender's findings or none."""
    from tests.services.chainkit import db

    assert ch.run(h1, "package", "import", ch.pkg("X1-r1")) == 0
    con = db(h1)
    con.execute("DELETE FROM evidence_file")
    con.commit()
    con.close()
    capsys.readouterr()
    assert ch.run(h1, "package", "import", ch.pkg("X1-r2")) == 0, capsys.readouterr().err
    (*_, data_json) = submissions(h1)[-1]
    (item,) = json.loads(data_json)["evidence"]
    assert "unverified" not in item and item["pages"] == 2 and item["problems"] == [] and item["signatures"] == []
