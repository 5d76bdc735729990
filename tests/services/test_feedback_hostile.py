"""Hostile feedback files (`dti feedback import`, and its `--dry-run`) at a commune, through the real CLI.

A feedback file is taken only from the authority that enrolled the unit, only newer than the newest one taken
(an older file is a replay: refused with both times named; the very same file again is "already imported,
nothing to do"), and only when every JSON entry has the shape the writer gives it. Every refusal is one line
naming the file and the reason, never an internal error, and leaves the data directory exactly as it was
(every row of every table, every file). Each case runs as a real import and as `--dry-run`, which must refuse
with the same line.

The files are the district H1's real feedback for X1 (tests/services/chainkit.py), changed and signed again
with H1's own key, so that everything but the one change is what a real authority would send.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli.main import main
from tests.services.chainkit import PASS, Chain, build_chain, canon, data_json, repack, signer_of
from tests.services.hostile import mutation_holds, refused_line, resigned_mutation, state, taken

# -- the chain, the feedback files ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture(scope="module")
def fb(ch: Chain, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """District H1 imports X1's package, appraises two indicators and sends feedback (fb1); it changes one
    appraisal and sends feedback again at once (fb2, newer)."""
    base = tmp_path_factory.mktemp("feedback")
    h1 = ch.copy("H1", base / "H1")
    assert ch.run(h1, "package", "import", ch.pkg("X1-r1")) == 0
    assert ch.run(h1, "appraise", "set", "X1", "1.1", "40", "--comment", "Thiếu biên bản", "--request-explanation") == 0
    assert ch.run(h1, "appraise", "set", "X1", "1.2", "20") == 0
    assert ch.run(h1, "feedback", "export", "--unit", "X1", "--out", base / "fb1.phanhoi") == 0
    assert ch.run(h1, "appraise", "set", "X1", "1.1", "45") == 0
    assert ch.run(h1, "feedback", "export", "--unit", "X1", "--out", base / "fb2.phanhoi") == 0
    return SimpleNamespace(base=base, h1=h1, fb1=base / "fb1.phanhoi", fb2=base / "fb2.phanhoi",
                           signer=signer_of(ch.data("H1")))


@pytest.fixture
def x1(ch: Chain, tmp_path: Path) -> Path:
    """A private copy of commune X1 (enrolled by H1)."""
    return ch.copy("X1", tmp_path / "X1")


@pytest.fixture(params=["import", "dry-run"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


FEEDBACK = ("feedback", "import")


def refused(ch: Chain, data: Path, file: Path, mode: str, capsys, *reasons: str) -> str:
    return refused_line(ch.run, data, FEEDBACK, file, mode, capsys, *reasons)


def created(file: Path) -> str:
    with zipfile.ZipFile(file) as z:
        return json.loads(z.read("manifest.json"))["created_at"]


def appraisals(data: Path) -> list[tuple]:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        return con.execute("SELECT unit_code, code, points, comment, explanation_requested, source FROM appraisal "
                           "ORDER BY code").fetchall()
    finally:
        con.close()


def forged(fb: SimpleNamespace, tmp_path: Path, name: str, *, body: Any = None, raw: bytes | None = None,
           manifest: Any = None, entries: dict[str, bytes | None] | None = None, src: Path | None = None) -> Path:
    """fb1 (or `src`) with data/feedback.json replaced (`body` as canonical JSON, or `raw` bytes), the manifest
    changed and entries added or removed, signed again with H1's key."""
    changed = dict(entries or {})
    if body is not None:
        changed["data/feedback.json"] = canon(body)
    if raw is not None:
        changed["data/feedback.json"] = raw
    return repack(src or fb.fb1, tmp_path / f"{name}.phanhoi", fb.signer, manifest=manifest, entries=changed)


def items(fb: SimpleNamespace) -> list[dict]:
    return data_json(fb.fb1, "data/feedback.json")["appraisals"]


def with_item(fb: SimpleNamespace, **changes: Any) -> dict:
    """fb1's body with its first item changed (a value None given as `...` removes the key)."""
    got = items(fb)
    for key, value in changes.items():
        if value is ...:
            got[0].pop(key)
        else:
            got[0][key] = value
    return {"appraisals": got}


# -- controls ----------------------------------------------------------------------------------------------------

def test_control_feedback_is_taken_and_the_same_file_again_is_nothing_to_do(ch, fb, x1, capsys):
    out = taken(ch.run, x1, FEEDBACK, fb.fb1, capsys)
    assert "X1: 2 appraisal items, 1 requests for explanation" in out
    assert appraisals(x1) == [("X1", "1.1", "40", "Thiếu biên bản", 1, "feedback"), ("X1", "1.2", "20", None, 0, "feedback")]
    before = state(x1)
    out = taken(ch.run, x1, FEEDBACK, fb.fb1, capsys)
    assert out.strip() == f"{fb.fb1.name}: already imported, nothing to do"
    assert state(x1) == before


def test_control_newer_feedback_replaces_the_older(ch, fb, x1, capsys):
    taken(ch.run, x1, FEEDBACK, fb.fb1, capsys)
    taken(ch.run, x1, FEEDBACK, fb.fb2, capsys)
    assert appraisals(x1)[0][:3] == ("X1", "1.1", "45")


def test_control_dry_run_checks_and_stores_nothing(ch, fb, x1, capsys):
    before = state(x1)
    out = taken(ch.run, x1, FEEDBACK, fb.fb1, capsys, "--dry-run")
    assert out.strip() == f"{fb.fb1.name}: X1: 2 appraisal items, 1 requests for explanation (dry run: nothing stored)"
    assert state(x1) == before


# -- replays -------------------------------------------------------------------------------------------------------

def test_two_feedback_files_written_in_one_second_are_ordered(fb):
    """The writer's created_at is always after the previous feedback's for the unit, whatever its clock says."""
    from app.services.feedback import export_feedback
    from app.services.workspace import Workspace

    moment = datetime(2024, 5, 1, 8, 0, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as scratch:
        h1 = Path(scratch) / "H1"
        shutil.copytree(fb.h1, h1, ignore=shutil.ignore_patterns("dti.lock"))
        with Workspace(h1, clock=lambda: moment, lang="en") as ws:
            export_feedback(ws, "X1", Path(scratch) / "a.phanhoi", PASS)
            export_feedback(ws, "X1", Path(scratch) / "b.phanhoi", PASS)
        first, second = created(Path(scratch) / "a.phanhoi"), created(Path(scratch) / "b.phanhoi")
    assert first < second, (first, second)


def test_older_feedback_is_refused_as_a_replay(ch, fb, x1, mode, capsys):
    taken(ch.run, x1, FEEDBACK, fb.fb2, capsys)
    refused(ch, x1, fb.fb1, mode, capsys, f"created at {created(fb.fb1)}", f"before the feedback of {created(fb.fb2)}")
    assert appraisals(x1)[0][:3] == ("X1", "1.1", "45")


def test_other_feedback_with_the_same_time_is_refused(ch, fb, x1, tmp_path, mode, capsys):
    taken(ch.run, x1, FEEDBACK, fb.fb1, capsys)
    other = forged(fb, tmp_path, "same-time", body=with_item(fb, points="60"))
    refused(ch, x1, other, mode, capsys, f"a feedback created at {created(fb.fb1)} was already imported here with other content")


# -- who sent it, for whom -------------------------------------------------------------------------------------

def test_feedback_signed_by_another_district(ch, fb, x1, tmp_path, mode, capsys):
    other = repack(fb.fb1, tmp_path / "h2.phanhoi", signer_of(ch.data("H2")), manifest={"from": "H2"})
    refused(ch, x1, other, mode, capsys, "signed by H2, not by the authority that enrolled this unit")


def test_feedback_for_another_unit(ch, fb, x1, tmp_path, mode, capsys):
    other = forged(fb, tmp_path, "x2", manifest={"unit": {"code": "X2", "group": "xa"}})
    refused(ch, x1, other, mode, capsys, "feedback for unit X2, not this unit")


@pytest.mark.parametrize("unit", ["X1", ["X1"], None, {"code": ["X1"]}, {"code": "X1\n"}], ids=repr)
def test_manifest_unit_of_the_wrong_shape(ch, fb, x1, tmp_path, mode, capsys, unit):
    other = forged(fb, tmp_path, "unit", manifest={"unit": unit})
    refused(ch, x1, other, mode, capsys, "unit")


@pytest.mark.parametrize(("created_at", "reason"), [
    ("9999-12-31T23:59:59-12:00", "not a time with its offset between 2000 and 2100"),
    ("2024-05-01T08:00:00", "not a time with its offset between 2000 and 2100"),
    ("hôm qua", "not a time with its offset between 2000 and 2100"),
])
def test_manifest_created_at_checked(ch, fb, x1, tmp_path, mode, capsys, created_at, reason):
    other = forged(fb, tmp_path, "time", manifest={"created_at": created_at})
    refused(ch, x1, other, mode, capsys, reason)


def test_feedback_about_another_framework(ch, fb, x1, tmp_path, mode, capsys):
    other = forged(fb, tmp_path, "fw", manifest={"framework": {"id": "other-2024"}})
    refused(ch, x1, other, mode, capsys, "the feedback is about round other-2024, which this unit does not hold")


def test_about_revision_checked(ch, fb, x1, tmp_path, mode, capsys):
    other = forged(fb, tmp_path, "rev", manifest={"about_revision": 10**30})
    refused(ch, x1, other, mode, capsys, "is not a whole number from 1 to")


# -- entries ---------------------------------------------------------------------------------------------------------

def test_an_entry_no_schema_knows_is_refused(ch, fb, x1, tmp_path, mode, capsys):
    other = forged(fb, tmp_path, "extra", entries={"data/values.json": canon({"values": {}})})
    refused(ch, x1, other, mode, capsys, "carries an entry no feedback file has: data/values.json")


def test_evidence_in_feedback_is_refused(ch, fb, x1, tmp_path, mode, capsys):
    pdf = b"%PDF-1.4\n%%EOF\n"
    name = f"evidence/{hashlib.sha256(pdf).hexdigest()}.pdf"
    other = forged(fb, tmp_path, "evidence", entries={name: pdf})
    refused(ch, x1, other, mode, capsys, f"carries an entry no feedback file has: {name}")


def test_feedback_without_its_data_is_refused(ch, fb, x1, tmp_path, mode, capsys):
    other = forged(fb, tmp_path, "empty", entries={"data/feedback.json": None})
    refused(ch, x1, other, mode, capsys, "data/feedback.json is missing")


# -- data/feedback.json -----------------------------------------------------------------------------------------------

def test_deeply_nested_json_is_refused(ch, fb, x1, tmp_path, mode, capsys):
    deep = b'{"appraisals": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    refused(ch, x1, forged(fb, tmp_path, "deep", raw=deep), mode, capsys, "nested more than 16 levels deep")


@pytest.mark.parametrize(("raw", "reason"), [
    (b"\xef\xbb\xbf{}", "starts with a byte order mark"),
    (b'{"appraisals": [], "appraisals": []}', "the key 'appraisals' appears twice"),
    (b'{"appraisals": [{"points": NaN}]}', "NaN is not a number"),
    (b"\xff\xfe", "not UTF-8"),
    (b"[1, 2", "not JSON"),
], ids=["bom", "duplicate-key", "nan", "utf16", "truncated"])
def test_feedback_json_parsed_strictly(ch, fb, x1, tmp_path, mode, capsys, raw, reason):
    refused(ch, x1, forged(fb, tmp_path, "strict", raw=raw), mode, capsys, reason)


@pytest.mark.parametrize(("body", "reason"), [
    ([], "data/feedback.json must be an object"),
    ({}, "data/feedback.json lacks 'appraisals'"),
    ({"appraisals": {"1.1": "40"}}, "must be a list"),
    ({"appraisals": [], "more": 1}, "unknown key 'more'"),
    ({"appraisals": ["1.1"]}, "appraisal 1 must be an object"),
], ids=["list", "no-appraisals", "object", "unknown-key", "text-item"])
def test_feedback_body_of_the_wrong_shape(ch, fb, x1, tmp_path, mode, capsys, body, reason):
    refused(ch, x1, forged(fb, tmp_path, "shape", body=body), mode, capsys, reason)


@pytest.mark.parametrize(("changes", "reason"), [
    ({"explanation_requested": ...}, "lacks 'explanation_requested'"),
    ({"comment": ...}, "lacks 'comment'"),
    ({"code": ...}, "lacks 'code'"),
    ({"points": ...}, "lacks 'points'"),
    ({"extra": 1}, "unknown key 'extra'"),
    ({"code": "9.9"}, "'9.9' is not an indicator with points of small-2024"),
    ({"code": "1"}, "'1' is not an indicator with points of small-2024"),
    ({"code": ["1.1"]}, "is not an indicator with points"),
    ({"points": 40}, "must be text or null"),
    ({"points": "1e999999"}, "is not a number"),
    ({"points": "61"}, "outside 0..60"),
    ({"points": "-1"}, "outside 0..60"),
    ({"comment": {"text": "x"}}, "comment must be text or null of at most 10000 characters"),
    ({"comment": "x" * 10_001}, "comment must be text or null of at most 10000 characters"),
    ({"explanation_requested": "yes"}, "must be true or false"),
    ({"appraiser": "Lê Văn A\n\x1b[31mX"}, "is not a name of 1 to 1000 printable characters"),
    ({"appraiser": 7}, "is not a name of 1 to 1000 printable characters"),
    ({"set_at": "9999-01-01T00:00:00Z"}, "not a time with its offset between 2000 and 2100"),
    ({"set_at": ["2024"]}, "not a time with its offset between 2000 and 2100"),
], ids=lambda v: repr(v)[:40])
def test_feedback_item_of_the_wrong_shape(ch, fb, x1, tmp_path, mode, capsys, changes, reason):
    refused(ch, x1, forged(fb, tmp_path, "item", body=with_item(fb, **changes)), mode, capsys, reason)


def test_an_indicator_appraised_twice_is_refused(ch, fb, x1, tmp_path, mode, capsys):
    got = items(fb)
    refused(ch, x1, forged(fb, tmp_path, "twice", body={"appraisals": [got[0], dict(got[0], points="10")]}), mode,
            capsys, "1.1 is appraised twice")


def test_too_many_items_are_refused(ch, fb, x1, tmp_path, mode, capsys):
    got = items(fb)
    refused(ch, x1, forged(fb, tmp_path, "many", body={"appraisals": got * 5_001}), mode, capsys,
            "must be a list of at most 10000 items")


def test_refusal_in_vietnamese_is_one_line(ch, fb, x1, tmp_path, capsys):
    other = forged(fb, tmp_path, "vi", body=with_item(fb, points=40))
    before = state(x1)
    capsys.readouterr()
    rc = main(["--data-dir", str(x1), "--lang", "vi", "feedback", "import", str(other)])
    err = capsys.readouterr().err
    assert rc != 0 and len(err.strip().splitlines()) == 1, err
    assert "phải là văn bản hoặc null" in err and "lỗi chương trình" not in err
    assert state(x1) == before


# -- any change of a valid file: a refusal or an import, never an internal error --------------------------------

@pytest.fixture(scope="module")
def x1_pristine(ch: Chain, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ch.copy("X1", tmp_path_factory.mktemp("x1-pristine") / "X1")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_feedback_never_gets_an_internal_error(ch, fb, x1_pristine, data):
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "X1"
        shutil.copytree(x1_pristine, work, ignore=shutil.ignore_patterns("dti.lock"))
        file = resigned_mutation(data, fb.fb1, "data/feedback.json", fb.signer, Path(scratch) / "m.phanhoi")
        if file is None:
            return
        mutation_holds(ch.run, work, x1_pristine, FEEDBACK, file)
