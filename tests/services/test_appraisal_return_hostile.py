"""Hostile work and return files of appraisal by field (`dti appraise import`, and its `--dry-run`), through the
real CLI of a province P that enrolled two communes (X1, X2) and two departments (SNV "Sở Nội vụ", STC "Sở Tài
chính"), all four of which submitted their own self-assessment.

A return is taken only from the department its work file was issued to, never touches that department's own
unit, and only the units and indicators of the work; an older return than the newest taken from that
department is a replay (the very same file again: "already imported, nothing to do"); every JSON entry has the
shape its writer gives it. A work file is taken at a department only from its enrolling authority, addressed to
it, newer than the newest taken, and well formed. Every refusal is one line, never an internal error, and
leaves the data directory exactly as it was.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.test_appraise_by_field import FIELD
from tests.services.chainkit import PASS, Chain, canon, data_json, read_package, repack, signer_of
from tests.services.hostile import mutation_holds, refused_line, resigned_mutation, state, taken

APPRAISE = ("appraise", "import")
SNV_NAME = "Sở Nội vụ"


def _ok(rc: int, what: str) -> None:
    if rc != 0:
        raise RuntimeError(f"field chain build failed: {what} (exit {rc})")


@pytest.fixture(scope="module")
def field(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The province, its units and departments; the work file for Sở Nội vụ (work1, then a newer work2); the
    department's two returns of work1 (ret1: X1 1.1 = 45 and X2 1.2 = 30; ret2 a moment later: X1 1.1 = 50).
    `prov` has merged nothing yet; `SNV0` has imported no work yet."""
    base = tmp_path_factory.mktemp("fieldchain")
    ch = Chain(base)
    ch.passfile.write_text(PASS + "\n", encoding="utf-8")
    (base / "fw.dti.yaml").write_text(FIELD, encoding="utf-8")
    files = base / "files"
    files.mkdir()
    _ok(ch.run("prov", "authority", "init", "--code", "P", "--name", "Sở Thông tin và Truyền thông Thử"), "authority")
    _ok(ch.run("prov", "framework", "import", base / "fw.dti.yaml"), "framework")
    for code, name, group in (("X1", "UBND xã Một", "xa"), ("X2", "UBND xã Hai", "xa"), ("SNV", SNV_NAME, "so"),
                              ("STC", "Sở Tài chính", "so")):
        out = base / f"{code}.dtienroll"
        _ok(ch.run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name", name,
                   "--group", group, "--unit-passphrase-file", ch.passfile, "--out", out), f"enroll {code}")
        _ok(ch.run(code, "enroll", "accept", out), f"accept {code}")
    from tests.evidence import corpus

    (base / "Biên bản họp.pdf").write_bytes(corpus.reportlab_pdf())
    _ok(ch.run("X1", "evidence", "add", "1.1", base / "Biên bản họp.pdf"), "evidence")
    for code, values in (("X1", {"1.1": "50", "1.2": "30", "2.1": "70"}), ("X2", {"1.1": "40"}),
                         ("SNV", {"1.1": "10", "1.2": "10"}), ("STC", {"1.1": "20"})):
        for ind, value in values.items():
            _ok(ch.run(code, "entry", "set", ind, value), f"entry {code}")
        _ok(ch.run(code, "package", "export", "--out", files / f"{code}.dtipkg"), f"export {code}")
    _ok(ch.run("prov", "package", "import", *(files / f"{c}.dtipkg" for c in ("X1", "X2", "SNV", "STC"))), "import")
    _ok(ch.run("prov", "appraise", "export", "--department", SNV_NAME, "--out", files / "work1.dtiwork"), "work1")
    _ok(ch.run("prov", "appraise", "export", "--department", SNV_NAME, "--out", files / "work2.dtiwork"), "work2")
    ch.copy("SNV", base / "SNV0")
    _ok(ch.run("SNV", "appraise", "import", files / "work1.dtiwork"), "SNV takes work1")
    _ok(ch.run("SNV", "appraise", "set", "X1", "1.1", "45", "--comment", "Thiếu biên bản tháng 3"), "set")
    _ok(ch.run("SNV", "appraise", "set", "X2", "1.2", "30"), "set")
    _ok(ch.run("SNV", "appraise", "export", "--out", files / "ret1.dtiwork"), "ret1")
    _ok(ch.run("SNV", "appraise", "set", "X1", "1.1", "50"), "set")
    _ok(ch.run("SNV", "appraise", "export", "--out", files / "ret2.dtiwork"), "ret2")
    return SimpleNamespace(ch=ch, base=base, files=files, work1=files / "work1.dtiwork", work2=files / "work2.dtiwork",
                           ret1=files / "ret1.dtiwork", ret2=files / "ret2.dtiwork",
                           prov_signer=signer_of(base / "prov"), snv_signer=signer_of(base / "SNV"))


@pytest.fixture
def prov(field: SimpleNamespace, tmp_path: Path) -> Path:
    """A private copy of the province: work1 and work2 issued, nothing merged."""
    return field.ch.copy("prov", tmp_path / "prov")


@pytest.fixture
def snv0(field: SimpleNamespace, tmp_path: Path) -> Path:
    """A private copy of the department before it took any work file."""
    return field.ch.copy("SNV0", tmp_path / "SNV0")


@pytest.fixture(params=["import", "dry-run"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def refused(field: SimpleNamespace, data: Path, file: Path, mode: str, capsys, *reasons: str) -> str:
    return refused_line(field.ch.run, data, APPRAISE, file, mode, capsys, *reasons)


def created(file: Path) -> str:
    with zipfile.ZipFile(file) as z:
        return json.loads(z.read("manifest.json"))["created_at"]


def in_force(data: Path) -> dict[tuple[str, str], tuple]:
    import sqlite3

    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        return {(u, c): (p, s) for u, c, p, s in con.execute("SELECT unit_code, code, points, source FROM appraisal")}
    finally:
        con.close()


def ret_items(field: SimpleNamespace, src: Path | None = None) -> list[dict]:
    return data_json(src or field.ret1, "data/appraisals.json")["appraisals"]


def forged_return(field: SimpleNamespace, tmp_path: Path, name: str, *, items: list | None = None, body: Any = None,
                  raw: bytes | None = None, manifest: Any = None, entries: dict | None = None, signer=None,
                  src: Path | None = None) -> Path:
    """ret1 (or `src`) changed and signed again, by the department (or `signer`)."""
    changed = dict(entries or {})
    if items is not None:
        body = {"appraisals": items}
    if body is not None:
        changed["data/appraisals.json"] = canon(body)
    if raw is not None:
        changed["data/appraisals.json"] = raw
    return repack(src or field.ret1, tmp_path / f"{name}.dtiwork", signer or field.snv_signer, manifest=manifest,
                  entries=changed)


def forged_work(field: SimpleNamespace, tmp_path: Path, name: str, *, change=None, raw: bytes | None = None,
                manifest: Any = None, entries: dict | None = None) -> Path:
    """work1 with data/work.json changed (`change(body)` in place, or `raw`), signed again by the province."""
    changed = dict(entries or {})
    if change is not None:
        body = data_json(field.work1, "data/work.json")
        change(body)
        changed["data/work.json"] = canon(body)
    if raw is not None:
        changed["data/work.json"] = raw
    return repack(field.work1, tmp_path / f"{name}.dtiwork", field.prov_signer, manifest=manifest, entries=changed)


def item(unit: str, code: str, points: str | None, **more: Any) -> dict:
    return {"unit": unit, "code": code, "points": points, "comment": None, "explanation_requested": False,
            "appraiser": "Trần Thị Bình (Sở Nội vụ)", "set_at": "2024-05-01T08:00:00Z", **more}


# -- controls --------------------------------------------------------------------------------------------------------

def test_control_the_department_return_is_merged_and_the_same_file_again_is_nothing_to_do(field, prov, capsys):
    out = taken(field.ch.run, prov, APPRAISE, field.ret1, capsys)
    assert f"{SNV_NAME} — 2 new, 0 updated, 0 unchanged, 0 conflicts" in out
    assert in_force(prov)[("X1", "1.1")] == ("45", "dept:SNV")
    before = state(prov)
    out = taken(field.ch.run, prov, APPRAISE, field.ret1, capsys)
    assert out.strip() == f"{field.ret1.name}: already imported, nothing to do"
    assert state(prov) == before


def test_control_a_newer_return_updates(field, prov, capsys):
    taken(field.ch.run, prov, APPRAISE, field.ret1, capsys)
    out = taken(field.ch.run, prov, APPRAISE, field.ret2, capsys)
    assert "1 updated" in out and in_force(prov)[("X1", "1.1")] == ("50", "dept:SNV")


def test_control_dry_run_of_a_return_stores_nothing(field, prov, capsys):
    before = state(prov)
    out = taken(field.ch.run, prov, APPRAISE, field.ret1, capsys, "--dry-run")
    assert out.strip() == f"{field.ret1.name}: {SNV_NAME} — 2 appraisals (dry run: nothing stored)"
    assert state(prov) == before


def test_control_dry_run_of_a_work_file_stores_nothing(field, snv0, capsys):
    before = state(snv0)
    out = taken(field.ch.run, snv0, APPRAISE, field.work1, capsys, "--dry-run")
    assert "(dry run: nothing stored)" in out
    assert state(snv0) == before


def test_control_the_same_work_file_again_is_nothing_to_do(field, snv0, capsys):
    taken(field.ch.run, snv0, APPRAISE, field.work1, capsys)
    before = state(snv0)
    out = taken(field.ch.run, snv0, APPRAISE, field.work1, capsys)
    assert out.strip() == f"{field.work1.name}: already imported, nothing to do"
    assert state(snv0) == before


# -- who may send a return ----------------------------------------------------------------------------------------------

def test_the_work_file_for_a_department_leaves_out_its_own_unit(field):
    units = {u["code"] for u in data_json(field.work1, "data/work.json")["units"]}
    assert units == {"X1", "X2", "STC"}
    with zipfile.ZipFile(field.work1) as z:
        assert json.loads(z.read("manifest.json"))["to"] == "SNV"


def test_a_department_appraising_its_own_unit_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "self", items=[item("SNV", "1.1", "60")])
    refused(field, prov, bad, mode, capsys, "SNV may not appraise its own unit")


def test_a_commune_signing_the_return_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "x1", signer=signer_of(field.base / "X1"), manifest={"from": "X1"},
                        items=[item("X1", "1.1", "60"), item("X1", "1.2", "40")])
    refused(field, prov, bad, mode, capsys, "signed by X1, but the work was issued to SNV")


def test_another_department_signing_the_return_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "stc", signer=signer_of(field.base / "STC"), manifest={"from": "STC"})
    refused(field, prov, bad, mode, capsys, "signed by STC, but the work was issued to SNV")


def test_a_revoked_department_is_refused(field, prov, tmp_path, mode, capsys):
    assert field.ch.run(prov, "authority", "revoke", "SNV", "--out", tmp_path / "p.crl") == 0
    refused(field, prov, field.ret1, mode, capsys, "revoked")


def test_a_unit_outside_the_work_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "x9", items=[item("X9", "1.1", "10")])
    refused(field, prov, bad, mode, capsys, "X9 1.1 was not in the work given to Sở Nội vụ")


def test_an_indicator_outside_the_work_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "21", items=[item("X1", "2.1", "10")])
    refused(field, prov, bad, mode, capsys, "X1 2.1 was not in the work given to Sở Nội vụ")


def test_a_return_for_work_not_issued_here_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "nowork", manifest={"work_id": "2f1c3e0a-0000-4000-8000-000000000000"})
    refused(field, prov, bad, mode, capsys, "answers a work file that was not issued here")


def test_a_return_naming_another_department_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "dept", manifest={"department": "Sở Tài chính"})
    refused(field, prov, bad, mode, capsys, "is for Sở Tài chính, but the work went to Sở Nội vụ")


@pytest.mark.parametrize(("change", "reason"), [
    ({"work_id": ["x"]}, "work_id"),
    ({"work_id": "../../x"}, "work_id"),
    ({"created_at": "9999-01-01T00:00:00Z"}, "not a time with its offset between 2000 and 2100"),
    ({"department": {"name": "Sở Nội vụ"}}, "department"),
    ({"to": "TQ"}, "addressed to TQ, not to this authority (P)"),
    ({"framework": {"id": "small-2024", "sha256": "0" * 64}}, "framework"),
], ids=lambda v: repr(v)[:30])
def test_return_manifest_values_checked(field, prov, tmp_path, mode, capsys, change, reason):
    refused(field, prov, forged_return(field, tmp_path, "manifest", manifest=change), mode, capsys, reason)


# -- replays -----------------------------------------------------------------------------------------------------------

def test_two_returns_written_in_one_second_are_ordered(field):
    from app.services.appraisal_work import export_return
    from app.services.workspace import Workspace

    moment = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as scratch:
        snv = Path(scratch) / "SNV"
        shutil.copytree(field.base / "SNV", snv, ignore=shutil.ignore_patterns("dti.lock"))
        with Workspace(snv, clock=lambda: moment, lang="en") as ws:
            export_return(ws, Path(scratch) / "a.dtiwork", PASS)
            export_return(ws, Path(scratch) / "b.dtiwork", PASS)
        first, second = created(Path(scratch) / "a.dtiwork"), created(Path(scratch) / "b.dtiwork")
    assert first < second, (first, second)


def test_an_older_return_is_refused_as_a_replay(field, prov, mode, capsys):
    taken(field.ch.run, prov, APPRAISE, field.ret2, capsys)
    refused(field, prov, field.ret1, mode, capsys, f"created at {created(field.ret1)}",
            f"before the return of {created(field.ret2)}")
    assert in_force(prov)[("X1", "1.1")] == ("50", "dept:SNV")


def test_another_return_with_the_same_time_is_refused(field, prov, tmp_path, mode, capsys):
    taken(field.ch.run, prov, APPRAISE, field.ret1, capsys)
    bad = forged_return(field, tmp_path, "same-time", items=[item("X1", "1.1", "60")])
    refused(field, prov, bad, mode, capsys, f"a return created at {created(field.ret1)} was already imported here")


# -- data/appraisals.json and the entries of a return -------------------------------------------------------------------

def test_deeply_nested_return_is_refused(field, prov, tmp_path, mode, capsys):
    deep = b'{"appraisals": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    refused(field, prov, forged_return(field, tmp_path, "deep", raw=deep), mode, capsys, "nested more than 16 levels")


def test_an_entry_no_schema_knows_is_refused_in_a_return(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "extra", entries={"data/values.json": canon({})})
    refused(field, prov, bad, mode, capsys, "carries an entry no return file has: data/values.json")


@pytest.mark.parametrize(("body", "reason"), [
    ([], "data/appraisals.json must be an object"),
    ({"appraisals": {"X1": []}}, "must be a list"),
    ({"appraisals": [["X1", "1.1"]]}, "appraisal 1 must be an object"),
    ({"appraisals": [], "x": 1}, "unknown key 'x'"),
], ids=["list", "object", "list-item", "unknown-key"])
def test_return_body_of_the_wrong_shape(field, prov, tmp_path, mode, capsys, body, reason):
    refused(field, prov, forged_return(field, tmp_path, "shape", body=body), mode, capsys, reason)


@pytest.mark.parametrize(("changes", "reason"), [
    ({"unit": ["X1"]}, "is not a valid code"),
    ({"unit": "X1/../x"}, "is not a valid code"),
    ({"code": 1.1}, "is not an indicator with points"),
    ({"points": 45}, "must be text or null"),
    ({"points": "NaN"}, "is not a number"),
    ({"points": "61"}, "outside 0..60"),
    ({"comment": ["x"]}, "comment must be text or null"),
    ({"explanation_requested": 1}, "must be true or false"),
    ({"appraiser": "A\u202eB"}, "is not a name of 1 to 1000 printable characters"),
    ({"set_at": "2024-13-01T00:00:00Z"}, "not a time with its offset"),
    ({"extra": True}, "unknown key 'extra'"),
], ids=lambda v: repr(v)[:30])
def test_return_item_of_the_wrong_shape(field, prov, tmp_path, mode, capsys, changes, reason):
    refused(field, prov, forged_return(field, tmp_path, "item", items=[item("X1", "1.1", "45") | changes]), mode,
            capsys, reason)


def test_return_item_without_its_keys_is_refused(field, prov, tmp_path, mode, capsys):
    got = item("X1", "1.1", "45")
    got.pop("explanation_requested")
    refused(field, prov, forged_return(field, tmp_path, "keys", items=[got]), mode, capsys,
            "lacks 'explanation_requested'")


def test_the_same_indicator_twice_in_a_return_is_refused(field, prov, tmp_path, mode, capsys):
    bad = forged_return(field, tmp_path, "twice", items=[item("X1", "1.1", "45"), item("X1", "1.1", "10")])
    refused(field, prov, bad, mode, capsys, "X1 1.1 is appraised twice")


# -- work files at the department ------------------------------------------------------------------------------------

def test_a_work_file_for_another_installation_is_refused(field, snv0, tmp_path, mode, capsys):
    bad = forged_work(field, tmp_path, "to-stc", manifest={"to": "STC"})
    refused(field, snv0, bad, mode, capsys, "issued to STC, not to this installation (SNV)")


def test_a_work_file_asking_the_department_to_appraise_itself_is_refused(field, snv0, tmp_path, mode, capsys):
    def add_self(body: dict) -> None:
        unit = json.loads(json.dumps(body["units"][0]))
        unit.update(code="SNV", name=SNV_NAME, group="so", values={}, explanations={}, self={}, appraisals={},
                    evidence=[])
        body["units"].append(unit)

    refused(field, snv0, forged_work(field, tmp_path, "self", change=add_self), mode, capsys,
            "asks this installation to appraise its own unit SNV")


def test_an_older_work_file_is_refused(field, snv0, mode, capsys):
    taken(field.ch.run, snv0, APPRAISE, field.work2, capsys)
    refused(field, snv0, field.work1, mode, capsys, f"created at {created(field.work1)}",
            f"before the work file of {created(field.work2)}")


def test_a_work_file_whose_values_is_a_list_is_refused(field, snv0, tmp_path, mode, capsys):
    def values_list(body: dict) -> None:
        body["units"][0]["values"] = [["1.1", {"n": "50"}]]

    refused(field, snv0, forged_work(field, tmp_path, "values", change=values_list), mode, capsys,
            "values must be an object")


def test_deeply_nested_work_is_refused(field, snv0, tmp_path, mode, capsys):
    deep = b'{"units": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    refused(field, snv0, forged_work(field, tmp_path, "deep", raw=deep), mode, capsys, "nested more than 16 levels")


@pytest.mark.parametrize(("where", "value", "reason"), [
    ("name", "UBND\nxã", "the unit name 'UBND\\nxã' is not a name of 1 to 200 printable characters"),
    ("code", "../X1", "is not a valid code"),
    ("group", "tinh", "group 'tinh' is not a group of small-2024"),
    ("revision", True, "is not a whole number"),
    ("codes", ["1.1", "2.1"], "indicators outside Sở Nội vụ's field"),
    ("codes", "1.1", "must be a list"),
    ("values", {"1.1": {"n": "1e999999999"}}, "values"),
    ("values", {"1.1": {"p": [[1]]}}, "values"),
    ("values", {"2.1": {"n": "5"}}, "a value for 2.1, outside the work"),
    ("info", [], "info must be an object"),
    ("explanations", {"1.1": 5}, "must be text"),
    ("self", {"1.1": 50}, "must be text or null"),
    ("appraisals", {"1.1": "45"}, "must be an object"),
    ("evidence", [{"code": "1.1"}], "evidence"),
    ("evidence", {}, "must be a list"),
], ids=lambda v: repr(v)[:24])
def test_work_unit_of_the_wrong_shape(field, snv0, tmp_path, mode, capsys, where, value, reason):
    def change(body: dict) -> None:
        body["units"][0][where] = value

    refused(field, snv0, forged_work(field, tmp_path, "unit", change=change), mode, capsys, reason)


def test_work_unit_without_a_key_is_refused(field, snv0, tmp_path, mode, capsys):
    def drop(body: dict) -> None:
        body["units"][0].pop("name")

    refused(field, snv0, forged_work(field, tmp_path, "noname", change=drop), mode, capsys, "lacks 'name'")


def test_an_entry_no_schema_knows_is_refused_in_a_work_file(field, snv0, tmp_path, mode, capsys):
    bad = forged_work(field, tmp_path, "extra", entries={"data/values.json": canon({})})
    refused(field, snv0, bad, mode, capsys, "carries an entry no work file has: data/values.json")


def test_evidence_listed_but_absent_is_refused(field, snv0, tmp_path, mode, capsys):
    names = [n for n in read_package(field.work1)[1] if n.startswith("evidence/")]
    assert names
    bad = forged_work(field, tmp_path, "noevidence", entries={names[0]: None})
    refused(field, snv0, bad, mode, capsys, "listed but not in the package")


def test_evidence_present_but_not_listed_is_refused(field, snv0, tmp_path, mode, capsys):
    def unlist(body: dict) -> None:
        for unit in body["units"]:
            unit["evidence"] = []

    refused(field, snv0, forged_work(field, tmp_path, "unlisted", change=unlist), mode, capsys,
            "in the package but not listed")


# -- the aggregator's side: whom a work file is issued to ---------------------------------------------------------------

def test_work_issued_to_a_named_unit_leaves_that_unit_out(field, prov, tmp_path, capsys):
    out = tmp_path / "to-x1.dtiwork"
    assert field.ch.run(prov, "appraise", "export", "--department", SNV_NAME, "--to", "X1", "--out", out) == 0
    assert {u["code"] for u in data_json(out, "data/work.json")["units"]} == {"X2", "SNV", "STC"}


def test_work_cannot_be_issued_to_a_unit_not_enrolled_here(field, prov, tmp_path, capsys):
    before = state(prov)
    capsys.readouterr()
    assert field.ch.run(prov, "appraise", "export", "--department", SNV_NAME, "--to", "X9",
                        "--out", tmp_path / "x9.dtiwork") != 0
    err = capsys.readouterr().err
    assert "X9 is not a unit enrolled here" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x9.dtiwork").exists() and state(prov) == before


# -- any change of a valid return: a refusal or a merge, never an internal error ------------------------------------

@pytest.fixture(scope="module")
def prov_pristine(field: SimpleNamespace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return field.ch.copy("prov", tmp_path_factory.mktemp("prov-pristine") / "prov")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_return_never_gets_an_internal_error(field, prov_pristine, data):
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "prov"
        shutil.copytree(prov_pristine, work, ignore=shutil.ignore_patterns("dti.lock"))
        file = resigned_mutation(data, field.ret1, "data/appraisals.json", field.snv_signer, Path(scratch) / "m.dtiwork")
        if file is None:
            return
        mutation_holds(field.ch.run, work, prov_pristine, APPRAISE, file)
