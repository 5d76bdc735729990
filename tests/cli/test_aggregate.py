"""Appraisal, feedback, revisions, ranking and district bundles through the command line (DESIGN §4, §6, §7)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import SMALL

PASS = "aggregate-passphrase-1"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):
    """Province P; districts H1 (communes X1, X2) and H2 (commune Y1); X1 and X2 submitted to H1."""
    work = tmp_path_factory.mktemp("aggregate")
    saved = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS
    fw = work / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)])

    assert run("prov", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử") == 0
    assert run("prov", "framework", "import", fw) == 0
    for d in ("H1", "H2"):
        assert run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", d, "--unit-name",
                   f"UBND huyện {d}", "--group", "huyen", "--can-issue", "--out", work / f"{d}.dtienroll") == 0
        assert run(d, "enroll", "accept", work / f"{d}.dtienroll") == 0
    for district, code in (("H1", "X1"), ("H1", "X2"), ("H2", "Y1")):
        assert run(district, "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name",
                   f"UBND xã {code}", "--group", "xa", "--out", work / f"{code}.dtienroll") == 0
        assert run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0
    assert run("X1", "entry", "set", "1.1", "50") == 0
    assert run("X1", "entry", "set", "1.2", "30,5") == 0
    (work / "x2.json").write_text(json.dumps({"1.1": 60, "1.2": 40, "2.1": 20}), encoding="utf-8")
    assert run("X2", "entry", "import", work / "x2.json") == 0
    assert run("Y1", "entry", "set", "1.1", "10") == 0
    for code in ("X1", "X2", "Y1"):
        assert run(code, "package", "export", "--out", work / f"{code}.dtipkg") == 0
    assert run("H1", "package", "import", work / "X1.dtipkg", work / "X2.dtipkg") == 0
    assert run("H2", "package", "import", work / "Y1.dtipkg") == 0
    yield work, run
    for k, v in saved.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def ranked(run, data: str, group: str, capsys) -> dict[str, tuple[int, float, str]]:
    capsys.readouterr()
    assert run(data, "rank", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    return {u["unit_code"]: (u["rank"], u["total"], u["grade"]) for g in out["groups"] if g["code"] == group
            for u in g["units"]}


def test_district_ranking_is_in_the_contract_shape(world, capsys):
    _work, run = world
    capsys.readouterr()
    assert run("H1", "rank", "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["framework"] == "small-2024"
    xa = next(g for g in out["groups"] if g["code"] == "xa")
    assert {"code", "title", "max", "units"} <= set(xa) and xa["max"] == 200
    first = xa["units"][0]
    assert {"rank", "unit_code", "unit_name", "total", "share", "grade", "indices", "index_ranks"} <= set(first)
    assert ranked(run, "H1", "xa", capsys) == {"X2": (1, 120.0, "Trung bình"), "X1": (2, 80.5, "Yếu")}


def test_appraisal_is_validated_and_audited(world, capsys):
    _work, run = world
    capsys.readouterr()
    assert run("H1", "appraise", "set", "X1", "1.1", "61") != 0            # over the maximum 60
    assert "outside" in capsys.readouterr().err
    assert run("H1", "appraise", "set", "X1", "9.9", "1") != 0
    assert run("H1", "appraise", "set", "Z9", "1.1", "1") != 0               # unknown unit
    assert run("H1", "appraise", "set", "X1", "1.1", "40", "--comment", "Thiếu biên bản") == 0
    assert ranked(run, "H1", "xa", capsys)["X1"] == (2, 70.5, "Yếu")
    assert run("H1", "audit", "verify") == 0


def test_feedback_round_trip_and_the_next_revision_supersedes(world, capsys):
    work, run = world
    assert run("H1", "appraise", "set", "X1", "1.1", "40", "--comment", "Thiếu biên bản", "--request-explanation") == 0
    assert run("H1", "feedback", "export", "--unit", "X1", "--out", work / "X1.feedback") == 0
    assert run("X1", "feedback", "import", work / "X1.feedback") == 0
    capsys.readouterr()
    assert run("X1", "score", "--json") == 0
    score = json.loads(capsys.readouterr().out)
    node = next(n for n in score["nodes"] if n["code"] == "1.1")
    assert (node["self"], node["appraised"], node["points"]) == (50, 40, 40)
    assert score["total"] == 70.5 and score["self_total"] == 80.5
    # feedback for another unit, or from someone else, is refused
    capsys.readouterr()
    assert run("X2", "feedback", "import", work / "X1.feedback") != 0
    assert "not this unit" in capsys.readouterr().err
    assert run("H2", "feedback", "export", "--unit", "Y1", "--out", work / "Y1.feedback") == 0
    assert run("X1", "feedback", "import", work / "Y1.feedback") != 0
    # the unit answers and exports revision 2; the appraisal stays attached at the district
    assert run("X1", "entry", "explain", "1.1", "Bổ sung biên bản họp ngày 12/3") == 0
    assert run("X1", "package", "export", "--out", work / "X1-r2.dtipkg") == 0
    assert run("H1", "package", "import", work / "X1-r2.dtipkg") == 0
    capsys.readouterr()
    assert run("H1", "package", "import", work / "X1.dtipkg") != 0              # the older revision
    assert ranked(run, "H1", "xa", capsys)["X1"][1] == 70.5


def test_status_follows_each_unit_through_the_round(world, capsys):
    _work, run = world
    capsys.readouterr()
    assert run("H1", "status", "--json") == 0
    status = json.loads(capsys.readouterr().out)
    states = {u["unit_code"]: u["state"] for u in status["units"]}
    assert states["X1"] == "explained"            # appraised, feedback sent, revision 2 received
    assert states["X2"] == "submitted"
    # the small framework's round ended on 31/12/2024: both packages were sent after it
    assert status["groups"]["xa"] == {"expected": 2, "received": 2, "final": 0, "late": 2}
    assert status["conflicts"] == 0
    assert status["districts"]["H1"]["expected"] == 2


def test_bundle_to_the_province(world, capsys):
    work, run = world
    assert run("H1", "entry", "set", "2.1", "150") == 0
    assert run("H1", "package", "export", "--out", work / "H1.dtipkg") == 0
    assert run("H1", "bundle", "export", "--out", work / "H1.dtibundle") == 0
    assert run("prov", "package", "import", work / "H1.dtipkg", work / "H1.dtibundle") == 0
    assert ranked(run, "prov", "xa", capsys)["X1"][1] == 70.5                  # the district's appraisal
    assert ranked(run, "prov", "huyen", capsys)["H1"][1] == 150.0
    capsys.readouterr()
    assert run("prov", "package", "import", work / "H1.dtibundle") == 0        # again: nothing to do
    assert "unchanged" in capsys.readouterr().out


def _rows(data: Path, table: str) -> int:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_bundle_refusals_change_nothing(world, tmp_path, capsys):
    work, run = world
    # a bundle from a district the province did not enroll
    other = tmp_path / "other"
    assert main(["--data-dir", str(other), "authority", "init", "--code", "TQ", "--name", "Tỉnh khác"]) == 0
    before = _rows(other, "submission")
    capsys.readouterr()
    assert main(["--data-dir", str(other), "--lang", "en", "package", "import", str(work / "H1.dtibundle")]) != 0
    assert "H1.dtibundle" in capsys.readouterr().err
    assert _rows(other, "submission") == before
    # a commune of H2 slipped into H1's bundle: H1 imports Y1's package is refused first (not its commune)
    capsys.readouterr()
    assert run("H1", "package", "import", work / "Y1.dtipkg") != 0
    assert "not enrolled by this authority" in capsys.readouterr().err
    # an altered bundle
    raw = bytearray((work / "H1.dtibundle").read_bytes())
    raw[len(raw) // 2] ^= 0x40
    bad = tmp_path / "H1-altered.dtibundle"
    bad.write_bytes(bytes(raw))
    prov_copy = tmp_path / "prov"
    shutil.copytree(work / "prov", prov_copy, ignore=shutil.ignore_patterns("dti.lock"))
    before = _rows(prov_copy, "submission"), _rows(prov_copy, "appraisal")
    capsys.readouterr()
    assert main(["--data-dir", str(prov_copy), "--lang", "en", "package", "import", str(bad)]) != 0
    assert "H1-altered.dtibundle" in capsys.readouterr().err
    assert (_rows(prov_copy, "submission"), _rows(prov_copy, "appraisal")) == before


def test_a_district_cannot_bundle_for_a_commune_of_another_district(world, tmp_path, capsys):
    """H2 signs a well-formed bundle holding X1's genuine package (a commune of H1): the province refuses it."""
    from app.packages import BUNDLE_NAMES, EntrySource, Signer, write_package
    from app.services.trust_service import identity
    from app.services.workspace import Workspace
    from app.trust import keys

    work, _run = world
    with Workspace(work / "H2", write=False) as ws:
        ident = identity(ws)
        cert, key_pem = ident.signing
        signer = Signer(cert, keys.decrypt_key(key_pem, PASS), tuple(ident.chain_for(cert)))
    manifest_x1 = json.loads(__import__("zipfile").ZipFile(work / "X1-r2.dtipkg").read("manifest.json"))
    units = [{"code": "X1", "revision": manifest_x1["revision"], "manifest_sha256": "0" * 64,
              "entry": "packages/x1-r2.dtipkg"}]
    forged = tmp_path / "H2-forged.dtibundle"
    write_package(forged, {"format": "dti-bundle/1", "created_at": "2026-11-25T10:00:00Z",
                           "unit": {"code": "H2", "name": "UBND huyện H2", "group": "huyen"}, "framework": {"id": "small-2024"}},
                  [EntrySource("packages/x1-r2.dtipkg", work / "X1-r2.dtipkg"),
                   EntrySource("data/units.json", json.dumps(units).encode()),
                   EntrySource("data/appraisals.json", b"{}"), EntrySource("data/ranking.json", b"{}")],
                  signer, patterns=BUNDLE_NAMES)
    prov_copy = tmp_path / "prov"
    shutil.copytree(work / "prov", prov_copy, ignore=shutil.ignore_patterns("dti.lock"))
    before = _rows(prov_copy, "submission")
    capsys.readouterr()
    assert main(["--data-dir", str(prov_copy), "--lang", "en", "package", "import", str(forged)]) != 0
    assert "was not enrolled by district H2" in capsys.readouterr().err
    assert _rows(prov_copy, "submission") == before


def test_a_district_appraisal_that_disagrees_with_the_provinces_is_a_conflict(world, capsys):
    work, run = world
    assert run("prov", "appraise", "set", "X2", "1.2", "10", "--comment", "Văn bản chưa đủ") == 0
    assert run("H1", "appraise", "set", "X2", "1.2", "35") == 0
    assert run("H1", "bundle", "export", "--out", work / "H1-b2.dtibundle") == 0
    assert run("prov", "package", "import", work / "H1-b2.dtibundle") == 0
    assert ranked(run, "prov", "xa", capsys)["X2"][1] == 60 + 10 + 20          # the province's own stays in force
    capsys.readouterr()
    assert run("prov", "appraise", "conflicts", "--json") == 0
    conflicts = json.loads(capsys.readouterr().out)
    assert [(c["unit_code"], c["code"], c["current"]["points"], c["incoming"]["points"], c["incoming"]["source"])
            for c in conflicts] == [("X2", "1.2", "10", "35", "bundle:H1")]
    assert run("prov", "status", "--json") == 0
    assert json.loads(capsys.readouterr().out)["conflicts"] == 1
    # setting the indicator at the province is a decision too: it settles the conflict
    assert run("prov", "appraise", "set", "X2", "1.2", "30", "--comment", "Hội đồng thống nhất") == 0
    capsys.readouterr()
    assert run("prov", "appraise", "conflicts", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert ranked(run, "prov", "xa", capsys)["X2"][1] == 60 + 30 + 20


def test_rank_compares_with_the_previous_round(world, tmp_path, capsys):
    work, run = world
    capsys.readouterr()
    assert run("H1", "rank", "--json") == 0
    current = json.loads(capsys.readouterr().out)
    assert "previous" not in current and all("previous" not in u for g in current["groups"] for u in g["units"])
    # last year's published ranking: X2 was first, X1 second, and a commune that no longer exists
    last = {"framework": "small-2023", "groups": [{"code": "xa", "title": "UBND xã", "max": 200, "units": [
        {"rank": 1, "unit_code": "X2", "unit_name": "UBND xã X2", "total": 150, "share": 0.75},
        {"rank": 2, "unit_code": "X1", "unit_name": "UBND xã X1", "total": 90.5, "share": 0.4525},
        {"rank": 3, "unit_code": "X9", "unit_name": "UBND xã cũ", "total": 10, "share": 0.05}]}]}
    (tmp_path / "2023.json").write_text(json.dumps(last), encoding="utf-8")
    assert run("H1", "rank", "--json", "--previous", tmp_path / "2023.json") == 0
    compared = json.loads(capsys.readouterr().out)
    assert compared["previous"] == {"framework": "small-2023", "year": None}
    xa = {u["unit_code"]: u for g in compared["groups"] if g["code"] == "xa" for u in g["units"]}
    assert xa["X2"]["previous"] == {"rank": 1, "total": 150, "share": 0.75}
    assert xa["X1"]["previous"] == {"rank": 2, "total": 90.5, "share": 0.4525}
    strip = [{k: v for k, v in u.items() if k != "previous"} for g in compared["groups"] for u in g["units"]]
    assert strip == [u for g in current["groups"] for u in g["units"]]      # nothing else changes
    capsys.readouterr()
    assert run("H1", "--lang", "vi", "rank", "--previous", tmp_path / "2023.json") == 0
    text = capsys.readouterr().out
    x1_line = next(line for line in text.splitlines() if " X1 " in line)
    assert "small-2023: hạng 2" in x1_line
    # the earlier round's own data directory (here: the province's, which ranks X1 and X2 too)
    capsys.readouterr()
    assert run("prov", "rank", "--json") == 0
    prov = {u["unit_code"]: u for g in json.loads(capsys.readouterr().out)["groups"] for u in g["units"]}
    assert run("H1", "rank", "--json", "--previous", work / "prov") == 0
    compared = json.loads(capsys.readouterr().out)
    assert compared["previous"] == {"framework": "small-2024", "year": 2024}
    xa = {u["unit_code"]: u for g in compared["groups"] if g["code"] == "xa" for u in g["units"]}
    assert xa["X1"]["previous"] == {k: prov["X1"][k] for k in ("rank", "total", "share")}
    assert run("H1", "rank", "--previous", work / "H1") != 0
    (tmp_path / "bad.json").write_text('{"groups": 3}', encoding="utf-8")
    assert run("H1", "rank", "--previous", tmp_path / "bad.json") != 0
    assert "dti rank --json" in capsys.readouterr().err


def test_round_lock_refuses_changes_until_reopened_with_a_reason(world, capsys):
    work, run = world
    assert run("H1", "round", "finalize") == 0
    capsys.readouterr()
    assert run("H1", "appraise", "set", "X2", "1.1", "50") != 0
    assert "finalized" in capsys.readouterr().err
    assert run("H1", "package", "import", work / "X2.dtipkg") != 0
    assert "finalized" in capsys.readouterr().err
    assert run("H1", "status", "--json") == 0
    assert {u["state"] for u in json.loads(capsys.readouterr().out)["units"]} == {"final"}
    assert run("H1", "rank", "--json") == 0                     # reading stays possible
    capsys.readouterr()
    assert run("H1", "round", "reopen", "--reason", "  ") != 0
    assert "reason" in capsys.readouterr().err
    assert run("H1", "round", "reopen", "--reason", "Hội đồng yêu cầu chấm lại chỉ tiêu 1.1") == 0
    assert run("H1", "appraise", "set", "X2", "1.1", "50") == 0
    con = sqlite3.connect(work / "H1" / "dti.sqlite3")
    try:
        actions = [r[0] for r in con.execute("SELECT action FROM audit WHERE action IN ('round.final', 'round.open') "
                                             "ORDER BY id")]
        reason = con.execute("SELECT reason FROM audit WHERE action = 'round.open'").fetchone()[0]
    finally:
        con.close()
    assert actions == ["round.final", "round.open"] and reason.startswith("Hội đồng")
    assert run("H1", "audit", "verify") == 0


def test_a_bundle_is_not_written_when_the_store_lost_evidence_it_forwards(world, tmp_path, capsys):
    """A received package is kept as a skeleton (its evidence lives in the evidence store): a district whose
    store lost or damaged such a file gets one line naming it, and no bundle (nor `package received`); with
    the file back, both give the commune's package byte for byte."""
    from tests.evidence.corpus import reportlab_pdf

    work, _run = world
    ignore = shutil.ignore_patterns("dti.lock")
    h1, x1 = tmp_path / "H1", tmp_path / "X1"
    shutil.copytree(work / "H1", h1, ignore=ignore)
    shutil.copytree(work / "X1", x1, ignore=ignore)
    scan = tmp_path / "Biên bản họp.pdf"
    scan.write_bytes(reportlab_pdf(pages=1, text="Biên bản"))

    def at(data: Path, *args: object) -> int:
        return main(["--data-dir", str(data), "--lang", "en", *map(str, args)])

    assert at(x1, "evidence", "add", "1.1", scan) == 0
    assert at(x1, "package", "export", "--out", tmp_path / "X1-r2.dtipkg") == 0
    assert at(h1, "package", "import", tmp_path / "X1-r2.dtipkg") == 0
    stored = next((h1 / "evidence").rglob("*.pdf"))
    kept = stored.read_bytes()
    assert stored.stat().st_mode & 0o222 == 0                      # kept read-only: a viewer cannot save over it
    os.chmod(stored, 0o644)
    stored.write_bytes(kept[:-1] + bytes([kept[-1] ^ 1]))          # damaged in place anyway
    capsys.readouterr()
    assert at(h1, "bundle", "export", "--out", tmp_path / "H1.dtibundle") != 0
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "cannot be reassembled" in err and stored.name in err, err
    assert not (tmp_path / "H1.dtibundle").exists() and not list(tmp_path.glob("*.part"))
    assert at(h1, "package", "received", "X1", "--out", tmp_path / "got.dtipkg") != 0   # nor the package alone
    assert "cannot be reassembled" in capsys.readouterr().err and not (tmp_path / "got.dtipkg").exists()
    assert "import that package file again" in err
    # the advice holds: the same package imported again finds the damaged copy and writes it again
    assert at(h1, "package", "import", tmp_path / "X1-r2.dtipkg") == 0
    assert "unchanged; 1 evidence file lost or damaged" in capsys.readouterr().out
    assert stored.read_bytes() == kept and stored.stat().st_mode & 0o222 == 0
    stored.unlink()                                                  # lost
    assert at(h1, "bundle", "export", "--out", tmp_path / "H1.dtibundle") != 0
    assert "missing from the evidence store" in capsys.readouterr().err
    assert at(h1, "package", "import", tmp_path / "X1-r2.dtipkg") == 0   # restored the same way
    assert "unchanged; 1 evidence file" in capsys.readouterr().out and stored.read_bytes() == kept
    assert at(h1, "package", "import", tmp_path / "X1-r2.dtipkg") == 0   # nothing left to repair
    assert capsys.readouterr().out.strip().endswith("already imported, unchanged")
    # a store copy cut short is rewritten by the import of a new revision that lists it (a size check)
    os.chmod(stored, 0o644)
    stored.write_bytes(kept[:100])
    assert at(x1, "entry", "set", "1.2", "31") == 0
    assert at(x1, "package", "export", "--out", tmp_path / "X1-r3.dtipkg") == 0
    assert at(h1, "package", "import", tmp_path / "X1-r3.dtipkg") == 0
    assert stored.read_bytes() == kept
    capsys.readouterr()
    assert at(h1, "package", "received", "X1", "--out", tmp_path / "got3.dtipkg") == 0
    assert (tmp_path / "got3.dtipkg").read_bytes() == (tmp_path / "X1-r3.dtipkg").read_bytes()
    with zipfile.ZipFile(tmp_path / "X1-r2.dtipkg") as earlier:              # the earlier one shares the file
        revision = json.loads(earlier.read("manifest.json"))["revision"]
    assert at(h1, "package", "received", "X1", "--revision", revision, "--out", tmp_path / "got.dtipkg") == 0
    assert (tmp_path / "got.dtipkg").read_bytes() == (tmp_path / "X1-r2.dtipkg").read_bytes()
    capsys.readouterr()
    assert at(h1, "package", "received", "X1", "--revision", "999", "--out", tmp_path / "none.dtipkg") != 0
    assert "no package of unit X1 revision 999" in capsys.readouterr().err
    assert at(h1, "bundle", "export", "--out", tmp_path / "H1.dtibundle") == 0
    with zipfile.ZipFile(tmp_path / "H1.dtibundle") as bundle:
        names = [n for n in bundle.namelist() if n.startswith("packages/x1-")]
        assert bundle.read(names[0]) == (tmp_path / "X1-r3.dtipkg").read_bytes()
