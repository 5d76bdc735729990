"""Hostile packages at the service level, through a real importing installation (`dti package import`).

Every refusal asserts the specific one-line reason (English) and that the importing store did not change:
submission and evidence_file rows, the audit row count, the files under received/ and evidence/. The
library-level hostility (byte flips, entry names, ZIP bombs) lives in tests/packages; here the packages are
well-formed and correctly signed, and what is wrong is who signed them, for whom, when, or what they say.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.services.chainkit import Chain, build_chain, canon, db, read_package, repack, signer_of, snapshot, submissions


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture(scope="module")
def x1(ch: Chain):
    return signer_of(ch.data("X1"))


@pytest.fixture(scope="module")
def forged(ch: Chain, x1, tmp_path_factory: pytest.TempPathFactory):
    """Packages re-signed with X1's own key (decrypted from X1's store) with one thing changed."""
    out = tmp_path_factory.mktemp("forged")
    made: dict[str, Path] = {}

    def make(name: str, signer=None, **changes) -> Path:
        if name not in made:
            safe = re.sub(r"[^A-Za-z0-9.-]", "_", name)
            if safe != name:
                safe += "-" + hashlib.sha256(name.encode()).hexdigest()[:8]
            made[name] = repack(ch.pkg("X1-r1"), out / f"{safe}.dtipkg", signer or x1, **changes)
        return made[name]

    return make


@pytest.fixture
def h1(ch: Chain, tmp_path: Path) -> Path:
    """A private copy of district H1, which enrolled X1, X2, XE and XF."""
    return ch.copy("H1", tmp_path / "H1")


@pytest.fixture
def prov(ch: Chain, tmp_path: Path) -> Path:
    return ch.copy("prov", tmp_path / "prov")


def values(**sections) -> bytes:
    base = {"values": {"1.1": {"n": "50"}}, "info": {}, "explanations": {}}
    base.update(sections)
    return canon(base)


def refused(ch: Chain, data: Path, pkg: Path, capsys: pytest.CaptureFixture[str], *reasons: str) -> str:
    """Import `pkg` at `data`: exit status non-zero, one line on stderr naming the file and every reason,
    nothing on stdout, and the store exactly as before."""
    before = snapshot(data)
    capsys.readouterr()
    rc = ch.run(data, "package", "import", pkg)
    out, err = capsys.readouterr()
    assert rc != 0, out
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert line.startswith("dti: ") and pkg.name in line, line
    for reason in reasons:
        assert reason in line, line
    assert out == ""
    assert snapshot(data) == before
    return line


def imported(ch: Chain, data: Path, pkg: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    rc = ch.run(data, "package", "import", pkg)
    out, err = capsys.readouterr()
    assert rc == 0, err
    return out


# -- controls: the same installations take what they should --------------------------------------------------

def test_control_district_imports_its_commune(ch, h1, capsys):
    assert "X1 revision 1: imported" in imported(ch, h1, ch.pkg("X1-r1"), capsys)
    assert [(r[0], r[1], r[3]) for r in submissions(h1)] == [("X1", 1, None)]


def test_control_province_imports_its_district(ch, prov, capsys):
    assert "H1 revision 1: imported" in imported(ch, prov, ch.pkg("H1-r1"), capsys)


def test_control_same_revision_same_bytes_is_unchanged(ch, h1, capsys):
    imported(ch, h1, ch.pkg("X1-r1"), capsys)
    before = snapshot(h1)
    assert "already imported, unchanged" in imported(ch, h1, ch.pkg("X1-r1"), capsys)
    assert snapshot(h1) == before


# -- who signed, and for which authority -----------------------------------------------------------------------

def test_unit_of_another_authority_is_refused(ch, h1, capsys):
    refused(ch, h1, ch.pkg("Q1-r1"), capsys, "package refused", "not certified by a trusted authority")


def test_unit_of_another_authority_at_a_province(ch, prov, capsys):
    refused(ch, prov, ch.pkg("Q1-r1"), capsys, "not certified by a trusted authority")


def test_commune_package_imported_at_the_province_directly_is_accepted_via_its_district(ch, prov, capsys):
    """Current behaviour: the province did not enroll X1, but it enrolled H1, whose issuing CA certified X1:
    the package is accepted as coming via H1 (the province knows H1's CA and framework), as `verify` says."""
    capsys.readouterr()
    assert ch.run(prov, "package", "verify", ch.pkg("X1-r1")) == 0
    assert "X1 r1: OK" in capsys.readouterr().out
    assert "X1 revision 1: imported" in imported(ch, prov, ch.pkg("X1-r1"), capsys)
    ((code, revision, _name, via, _data),) = submissions(prov)
    assert (code, revision, via) == ("X1", 1, "H1")


def test_commune_of_a_revoked_district_is_refused_at_the_province(ch, prov, tmp_path, capsys):
    assert ch.run(prov, "authority", "revoke", "H1", "--out", tmp_path / "tp.crl") == 0
    refused(ch, prov, ch.pkg("X1-r1"), capsys, "revoked")


def test_commune_revoked_by_its_district_is_refused_at_the_province_once_it_has_the_crl(ch, h1, prov, tmp_path, capsys):
    assert ch.run(h1, "authority", "revoke", "X2", "--out", tmp_path / "h1.crl") == 0
    assert ch.run(prov, "crl", "import", tmp_path / "h1.crl") == 0
    refused(ch, prov, ch.pkg("X2-r1"), capsys, "package refused", "revoked")


def test_same_code_from_another_district_does_not_supersede_at_the_province(ch, prov, tmp_path, capsys):
    imported(ch, prov, ch.pkg("X1-r1"), capsys)
    other = repack(ch.pkg("H2X1-r1"), tmp_path / "H2X1-r2.dtipkg", signer_of(ch.data("H2-X1")), manifest={"revision": 2})
    refused(ch, prov, other, capsys, "X1")


def test_revoked_unit_is_refused(ch, h1, tmp_path, capsys):
    assert ch.run(h1, "authority", "revoke", "X2", "--out", tmp_path / "h1.crl") == 0
    refused(ch, h1, ch.pkg("X2-r1"), capsys, "revoked")


def test_revoked_district_is_refused_at_the_province(ch, prov, tmp_path, capsys):
    assert ch.run(prov, "authority", "revoke", "H1", "--out", tmp_path / "tp.crl") == 0
    refused(ch, prov, ch.pkg("H1-r1"), capsys, "revoked")


def test_revoked_in_the_registry_without_a_crl_is_refused(ch, h1, capsys):
    """The registry's revoked_at alone refuses, even where no CRL is known (e.g. the CRL row was lost)."""
    con = db(h1)
    with con:
        con.execute("UPDATE enrollment SET revoked_at='2024-06-01T00:00:00Z' WHERE unit_code='X2'")
    con.close()
    refused(ch, h1, ch.pkg("X2-r1"), capsys, "the certificate of unit X2 was revoked on 2024-06-01")


def test_expired_certificate_is_refused(ch, h1, capsys):
    refused(ch, h1, ch.pkg("XE-r1"), capsys, "package refused", "expired on")


def test_certificate_not_yet_valid_is_refused(ch, h1, capsys):
    refused(ch, h1, ch.pkg("XF-r1"), capsys, "package refused", "is valid only from")


def test_unit_certificate_signing_another_units_manifest(ch, h1, forged, capsys):
    pkg = forged("for-x2", manifest={"unit": {"code": "X2", "name": "UBND xã Hai", "group": "xa"}})
    refused(ch, h1, pkg, capsys, "signed by unit X1 but submitted as unit X2")


def test_district_signing_certificate_signing_a_communes_package(ch, h1, forged, capsys):
    pkg = forged("h1-signs-x1", signer=signer_of(ch.data("H1")))
    refused(ch, h1, pkg, capsys, "signed by unit H1 but submitted as unit X1")


def test_district_issuing_ca_signing_a_package(ch, h1, forged, capsys):
    pkg = forged("h1-ca-signs", signer=signer_of(ch.data("H1"), role="issuing"),
                 manifest={"unit": {"code": "H1", "name": "UBND huyện Một", "group": "huyen"}})
    refused(ch, h1, pkg, capsys, "package refused", "CA certificate")


def test_districts_own_package_at_the_district_itself(ch, h1, capsys):
    refused(ch, h1, ch.pkg("H1-r1"), capsys, "unit H1 was not enrolled by this authority")


def test_commune_of_another_district(ch, h1, capsys):
    refused(ch, h1, ch.pkg("X3-r1"), capsys, "unit X3 was not enrolled by this authority")


def test_commune_of_another_district_with_the_same_code(ch, h1, capsys):
    refused(ch, h1, ch.pkg("H2X1-r1"), capsys, "unit X1 signed with a certificate this authority did not issue to it")


# -- what the manifest says ------------------------------------------------------------------------------------

def test_package_scored_against_another_framework_version(ch, h1, forged, capsys):
    pkg = forged("other-fw-sha", manifest=lambda m: m["framework"].update(sha256="ab" * 32))
    refused(ch, h1, pkg, capsys, "scored against framework small-2024 abababababab", "not the enrolled small-2024")


def test_package_scored_against_another_framework(ch, h1, forged, capsys):
    pkg = forged("other-fw-id", manifest=lambda m: m["framework"].update(id="hy-2025"))
    refused(ch, h1, pkg, capsys, "the package is for round hy-2025, which is not held here (rounds: small-2024)")


def test_replayed_older_revision_after_a_newer_one(ch, h1, capsys):
    imported(ch, h1, ch.pkg("X1-r2"), capsys)
    refused(ch, h1, ch.pkg("X1-r1"), capsys, "revision 1 of unit X1 is older than the imported revision 2")


def test_resigned_older_revision_with_other_bytes_is_still_older(ch, h1, forged, capsys):
    imported(ch, h1, ch.pkg("X1-r2"), capsys)
    pkg = forged("r1-other", manifest={"package_id": "replayed"})
    refused(ch, h1, pkg, capsys, "revision 1 of unit X1 is older than the imported revision 2")


def test_same_revision_with_other_bytes_raises_an_alarm(ch, h1, forged, capsys):
    imported(ch, h1, ch.pkg("X1-r1"), capsys)
    pkg = forged("r1-twin", manifest={"package_id": "twin", "created_at": "2024-05-06T07:08:09Z"})
    line = refused(ch, h1, pkg, capsys, "ALARM: ", "revision 1 of unit X1 was already imported with different content")
    assert line.startswith("dti: ALARM: ")


@pytest.mark.parametrize("revision", [0, -1, "2", True, 1.5, None], ids=["zero", "negative", "string", "bool", "float", "null"])
def test_manifest_revision_that_is_not_a_positive_whole_number(ch, h1, forged, capsys, revision):
    pkg = forged(f"revision-{revision!r}", manifest={"revision": revision})
    refused(ch, h1, pkg, capsys, "is not a whole number from 1 to 1,000,000")


@pytest.mark.parametrize("unit", [{}, [], None, {"code": None}], ids=["empty-object", "empty-list", "null", "no-code"])
def test_manifest_unit_without_a_code(ch, h1, forged, capsys, unit):
    pkg = forged(f"unit-{json.dumps(unit)}", manifest={"unit": unit})
    refused(ch, h1, pkg, capsys, "the unit code 'None' is not a valid code")


@pytest.mark.parametrize("unit", ["X1", ["X1"]], ids=["string", "list"])
def test_manifest_unit_that_is_not_an_object(ch, h1, forged, capsys, unit):
    pkg = forged(f"unit-{json.dumps(unit)}", manifest={"unit": unit})
    refused(ch, h1, pkg, capsys, "unit")
    from app.services.package_import import import_paths
    from app.services.workspace import Workspace

    with Workspace(h1, lang="en") as ws:
        (outcome,) = import_paths(ws, [pkg])
    assert outcome.status == "refused"


def _refused_or_ranked_as_enrolled(ch: Chain, data: Path, pkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Either the import refuses the package (store unchanged), or X1 is ranked as the registry knows it:
    in group xa, under its enrolled name."""
    before = snapshot(data)
    capsys.readouterr()
    if ch.run(data, "package", "import", pkg) != 0:
        assert snapshot(data) == before
        return
    capsys.readouterr()
    assert ch.run(data, "rank", "--json") == 0, capsys.readouterr().err
    ranking = json.loads(capsys.readouterr().out)
    placed = {(g["code"], u["unit_code"], u["unit_name"]) for g in ranking["groups"] for u in g["units"]}
    assert placed == {("xa", "X1", "UBND xã Một")}, placed


@pytest.mark.parametrize("group,name", [("huyen", "UBND xã Một"), ("zzz", "UBND xã Một"), ("xa", "UBND huyện Giả")],
                         ids=["district-group", "unknown-group", "other-name"])
def test_manifest_group_or_name_other_than_enrolled(ch, h1, forged, capsys, group, name):
    pkg = forged(f"unit-as-{group}-{name}", manifest={"unit": {"code": "X1", "name": name, "group": group}})
    _refused_or_ranked_as_enrolled(ch, h1, pkg, capsys)


def test_manifest_unit_with_only_a_code(ch, h1, forged, capsys):
    _refused_or_ranked_as_enrolled(ch, h1, forged("unit-code-only", manifest={"unit": {"code": "X1"}}), capsys)


def test_manifest_of_another_format(ch, h1, forged, capsys):
    pkg = forged("bundle-format", manifest={"format": "dti-feedback/1"})
    refused(ch, h1, pkg, capsys, "not a submission package")


# -- what the data says ---------------------------------------------------------------------------------------

def test_unknown_indicator_code(ch, h1, forged, capsys):
    pkg = forged("unknown-indicator", entries={"data/values.json": values(values={"9.9": {"n": "1"}})})
    refused(ch, h1, pkg, capsys, "the package data is not valid: unknown code 9.9")


def test_unknown_info_code(ch, h1, forged, capsys):
    pkg = forged("unknown-info", entries={"data/values.json": values(info={"TT.9": {"n": "1"}})})
    refused(ch, h1, pkg, capsys, "the package data is not valid: unknown code TT.9")


@pytest.mark.parametrize("value", [[1], 5, None, {"x": 1}, {"n": [1]}, {"p": 5}],
                         ids=["list", "bare-number", "null", "unknown-key", "number-as-list", "parts-as-number"])
def test_value_of_the_wrong_shape(ch, h1, forged, capsys, value):
    pkg = forged(f"shape-{json.dumps(value)}", entries={"data/values.json": values(values={"1.1": value})})
    refused(ch, h1, pkg, capsys, "the package data is not valid: ")


def test_value_that_is_not_a_decimal_number(ch, h1, forged, capsys):
    pkg = forged("not-decimal", entries={"data/values.json": values(values={"1.1": {"n": "abc"}})})
    refused(ch, h1, pkg, capsys, "the package data is not valid")


@pytest.mark.parametrize("section,code,value", [
    ("values", "1.1", {"s": "fifty"}), ("values", "1.1", {"b": True}), ("values", "1.1", {"n": "-5"}),
    ("values", "1.1", {"n": "1000"}), ("values", "1", {"n": "5"}), ("info", "TT.1", {"s": "many"}),
], ids=["text", "yes-no", "negative", "above-max", "non-leaf", "info-text"])
def test_value_the_units_own_store_would_refuse(ch, h1, forged, capsys, section, code, value):
    pkg = forged(f"rule-{section}-{code}-{json.dumps(value)}", entries={"data/values.json": values(**{section: {code: value}})})
    refused(ch, h1, pkg, capsys, "the package data is not valid")


def test_explanation_that_is_not_text(ch, h1, forged, capsys):
    pkg = forged("explanation-number", entries={"data/values.json": values(explanations={"1.1": 5})})
    refused(ch, h1, pkg, capsys, "the package data is not valid: explanations must be text")


def test_values_json_missing_a_section(ch, h1, forged, capsys):
    pkg = forged("no-info", entries={"data/values.json": canon({"values": {}, "explanations": {}})})
    refused(ch, h1, pkg, capsys, "the package data is not valid: data/values.json must hold the objects values, info and explanations")


def test_values_json_absent(ch, h1, forged, capsys):
    pkg = forged("no-values", entries={"data/values.json": None})
    refused(ch, h1, pkg, capsys, "the package data is not valid", "data/values.json is not an entry")


def test_values_json_not_utf8(ch, h1, forged, capsys):
    pkg = forged("latin1", entries={"data/values.json": values(explanations={"1.1": "Biên bản"}).replace(
        "Biên".encode(), "Biên".encode("latin-1"))})
    refused(ch, h1, pkg, capsys, "the package data is not valid", "data/values.json is not UTF-8 text")


def test_huge_data_json_over_the_cap(ch, h1, forged, capsys):
    from app.services.package_import import MAX_DATA_JSON

    big = b'{"values":{},"info":{},"explanations":{"1.1":"' + b"a" * (MAX_DATA_JSON + 1) + b'"}}'
    pkg = forged("huge", entries={"data/values.json": big})
    refused(ch, h1, pkg, capsys, "entry 'data/values.json' has", f"more than {MAX_DATA_JSON}")


def test_a_refusal_names_the_file_once(ch, h1, forged, capsys):
    from app.services.package_import import MAX_DATA_JSON

    big = b'{"values":{},"info":{},"explanations":{"1.1":"' + b"a" * (MAX_DATA_JSON + 1) + b'"}}'
    line = refused(ch, h1, forged("huge", entries={"data/values.json": big}), capsys)
    assert line.count("huge.dtipkg") == 1, line


def test_duplicate_keys_in_values_json(ch, h1, forged, capsys):
    raw = b'{"values":{"1.1":{"n":"1"},"1.1":{"n":"59"}},"info":{},"explanations":{}}'
    refused(ch, h1, forged("duplicate-keys", entries={"data/values.json": raw}), capsys, "the package data is not valid")


def test_nan_literal_as_a_value(ch, h1, forged, capsys):
    raw = b'{"values":{"1.1":NaN},"info":{},"explanations":{}}'
    refused(ch, h1, forged("nan-literal", entries={"data/values.json": raw}), capsys, "the package data is not valid")


@pytest.mark.parametrize("where", ["decimal-nan", "infinity", "evidence-pages"])
def test_nan_in_data_json(ch, h1, forged, capsys, where):
    if where == "evidence-pages":
        _m, entries = read_package(ch.pkg("X1-r1"))
        raw = entries["data/evidence.json"].replace(b'"pages":2', b'"pages":NaN')
        assert raw != entries["data/evidence.json"]
        pkg = forged("nan-pages", entries={"data/evidence.json": raw})
    else:
        n = "NaN" if where == "decimal-nan" else "Infinity"
        pkg = forged(f"nan-{n}", entries={"data/values.json": values(values={"1.1": {"n": n}})})
    refused(ch, h1, pkg, capsys, "the package data is not valid")


# -- evidence ---------------------------------------------------------------------------------------------------

def _evidence_list(ch: Chain) -> list[dict]:
    _m, entries = read_package(ch.pkg("X1-r1"))
    return json.loads(entries["data/evidence.json"])


def test_evidence_listed_but_missing_from_the_package(ch, h1, forged, capsys):
    (item,) = _evidence_list(ch)
    pkg = forged("evidence-missing", entries={f"evidence/{item['sha256']}.pdf": None})
    refused(ch, h1, pkg, capsys, "the package data is not valid: evidence Biên bản họp.pdf listed but not in the package")


def test_evidence_listed_with_another_hash(ch, h1, forged, capsys):
    (item,) = _evidence_list(ch)
    other = {**item, "sha256": "cd" * 32, "name": "Quyết định.pdf"}
    pkg = forged("evidence-other-hash", entries={"data/evidence.json": canon([item, other])})
    refused(ch, h1, pkg, capsys, "evidence Quyết định.pdf listed but not in the package")


def test_evidence_hash_with_a_path_in_it(ch, h1, forged, capsys, tmp_path):
    (item,) = _evidence_list(ch)
    other = {**item, "sha256": "../../../../" + str(tmp_path / "escaped"), "name": "x.pdf"}
    pkg = forged("evidence-traversal", entries={"data/evidence.json": canon([item, other])})
    refused(ch, h1, pkg, capsys, "an evidence record's sha256 or kind is malformed")
    assert not list(tmp_path.glob("escaped*"))


def test_evidence_of_an_unknown_kind(ch, h1, forged, capsys):
    (item,) = _evidence_list(ch)
    pkg = forged("evidence-exe", entries={"data/evidence.json": canon([{**item, "kind": "exe"}])})
    refused(ch, h1, pkg, capsys, "the package data is not valid: an evidence record's sha256 or kind is malformed")


@pytest.mark.parametrize("raw", [b'{"a":1}', b'["x"]', b"[{}]"], ids=["object", "list-of-text", "empty-item"])
def test_evidence_list_of_the_wrong_shape(ch, h1, forged, capsys, raw):
    refused(ch, h1, forged(f"evidence-shape-{raw!r}", entries={"data/evidence.json": raw}), capsys,
            "the package data is not valid")


def test_evidence_present_but_not_listed(ch, h1, forged, capsys):
    junk = b"%PDF-1.4\n% not listed anywhere\n%%EOF\n"
    pkg = forged("evidence-unlisted", entries={f"evidence/{hashlib.sha256(junk).hexdigest()}.pdf": junk})
    refused(ch, h1, pkg, capsys, "evidence")


def test_evidence_that_is_not_a_pdf(ch, h1, forged, capsys):
    junk = b"MZ\x90\x00 this is not a PDF" * 10
    sha = hashlib.sha256(junk).hexdigest()
    item = {"code": "1.1", "kind": "pdf", "name": "Báo cáo.pdf", "original_sha256": None, "pages": 3, "problems": [],
            "sha256": sha, "signatures": [], "size": len(junk)}
    pkg = forged("evidence-not-pdf", entries={f"evidence/{sha}.pdf": junk,
                                              "data/evidence.json": canon([*_evidence_list(ch), item])})
    refused(ch, h1, pkg, capsys, "Báo cáo.pdf")


# -- the command ---------------------------------------------------------------------------------------------

def test_dry_run_stores_nothing(ch, h1, capsys):
    before = snapshot(h1)
    capsys.readouterr()
    assert ch.run(h1, "package", "import", "--dry-run", ch.pkg("X1-r1")) == 0
    assert "X1 revision 1: valid, would be imported" in capsys.readouterr().out
    assert snapshot(h1) == before


def test_dry_run_still_refuses(ch, h1, capsys):
    before = snapshot(h1)
    capsys.readouterr()
    assert ch.run(h1, "package", "import", "--dry-run", ch.pkg("X3-r1")) != 0
    assert "unit X3 was not enrolled by this authority" in capsys.readouterr().err
    assert snapshot(h1) == before


def test_directory_with_one_bad_file_imports_the_others(ch, h1, tmp_path, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in ("X1-r1", "X2-r1", "X3-r1"):
        shutil.copy(ch.pkg(name), folder / f"{name}.dtipkg")
    data = ch.pkg("X2-r1").read_bytes()
    (folder / "broken.dtipkg").write_bytes(data[: len(data) // 2])
    (folder / "notes.txt").write_text("không phải gói", encoding="utf-8")
    capsys.readouterr()
    assert ch.run(h1, "package", "import", folder) != 0
    out, err = capsys.readouterr()
    errors = err.strip().splitlines()
    assert len(errors) == 2, err
    assert any(line.startswith("dti: broken.dtipkg: package refused") for line in errors)
    assert any("X3-r1.dtipkg: unit X3 was not enrolled by this authority" in line for line in errors)
    assert "X1 revision 1: imported" in out and "X2 revision 1: imported" in out
    assert "notes.txt" not in out + err
    assert sorted((r[0], r[1]) for r in submissions(h1)) == [("X1", 1), ("X2", 1)]
