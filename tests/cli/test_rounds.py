"""Issue 18 item 1, rounds: a province carries the same installation, and every unit its own, from one year's
round into the next without re-enrolling anyone and without losing or mixing anything of the earlier year.

Driven through the CLI as the contract (DESIGN §7) says: `round open|export|accept|use|assign|list|finalize`,
the global `--round` / DTI_ROUND, and packages, feedback and round files that name their round."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import SMALL

PASS = "vong-danh-gia-pass-1"
NEXT = SMALL.replace("small-2024", "small-2025").replace("year: 2024, start: 2024-01-01, end: 2024-12-31",
                                                         "year: 2025, start: 2025-01-01, end: 2025-12-31")
# the two-tier framework of the next year has no district group: a district of 2024 gets none in it
TWO_TIER = NEXT.replace("small-2025", "small-2026").replace("2025", "2026").replace(
    '  - {code: huyen, title: "UBND huyện"}\n', "").replace("max: {huyen: 200, xa: 100}", "max: {xa: 100}") \
    .replace("max: {huyen: 200, xa: 100}, rule", "max: {xa: 100}, rule")


class Chain:
    def __init__(self, work: Path):
        self.work = work
        self.passfile = work / "pass.txt"
        self.passfile.write_text(PASS + "\n", encoding="utf-8")

    capsys = None

    def run(self, data: str, *args: object, round_id: str | None = None) -> int:
        if self.capsys is not None:   # what earlier commands printed is not this command's
            self.capsys.readouterr()
        pre = ["--round", round_id] if round_id else []
        return main(["--data-dir", str(self.work / data), "--lang", "en", "--passphrase-file", str(self.passfile),
                     *pre, *map(str, args)])

    def ok(self, data: str, *args: object, round_id: str | None = None) -> None:
        assert self.run(data, *args, round_id=round_id) == 0, (data, args)

    def json(self, capsys, data: str, *args: object, round_id: str | None = None):
        capsys.readouterr()
        self.ok(data, *args, "--json", round_id=round_id)
        return json.loads(capsys.readouterr().out)

    def totals(self, capsys, data: str, round_id: str | None = None) -> dict[str, float]:
        return {u["unit_code"]: u["total"] for g in self.json(capsys, data, "rank", round_id=round_id)["groups"]
                for u in g["units"]}

    def file(self, name: str) -> Path:
        return self.work / name


def refused(capsys, rc: int, *words: str) -> str:
    err = capsys.readouterr().err.strip()
    assert rc != 0, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err and "internal" not in err.lower(), err
    for w in words:
        assert w in err, err
    return err


def listing(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))
            if p.is_file() and p.name != "dti.lock" and "logs" not in p.parts}


def rows(data: Path, table: str) -> int:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> Chain:
    """2024: a province, a district H1 with its commune X1, a district S1 that enrolls no commune; every unit sent a
    package, the province imported them and appraised S1."""
    monkeypatch.setenv("DTI_UNIT_PASSPHRASE", PASS)
    monkeypatch.delenv("DTI_ROUND", raising=False)
    ch = Chain(tmp_path)
    ch.capsys = capsys
    for name, text in (("fw24.dti.yaml", SMALL), ("fw25.dti.yaml", NEXT), ("fw26.dti.yaml", TWO_TIER)):
        ch.file(name).write_text(text, encoding="utf-8")
    ch.ok("prov", "authority", "init", "--code", "TP", "--name", "Sở Khoa học và Công nghệ tỉnh Hưng Yên")
    ch.ok("prov", "framework", "import", ch.file("fw24.dti.yaml"))
    for issuer, code, name, group, extra in (("prov", "H1", "UBND huyện Khoái Châu", "huyen", ("--can-issue",)),
                                             ("prov", "S1", "UBND huyện Văn Giang", "huyen", ()),
                                             ("H1", "X1", "UBND xã Tân Hưng", "xa", ())):
        ch.ok(issuer, "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name", name,
              "--group", group, "--out", ch.file(f"{code}.dtienroll"), *extra)
        ch.ok(code, "enroll", "accept", ch.file(f"{code}.dtienroll"))
    for code, points in (("S1", 10), ("X1", 20), ("H1", 30)):
        ch.ok(code, "entry", "set", "1.1", points)
        ch.ok(code, "entry", "set", "TT.1", 12)
        ch.ok(code, "package", "export", "--out", ch.file(f"{code}-2024.dtipkg"))
    ch.ok("H1", "package", "import", ch.file("X1-2024.dtipkg"))
    ch.ok("prov", "package", "import", ch.file("S1-2024.dtipkg"), ch.file("H1-2024.dtipkg"))
    ch.ok("prov", "appraise", "set", "S1", "1.1", "5", "--comment", "thiếu biên bản")
    return ch


def next_round(ch: Chain) -> None:
    """The province opens 2025 and sends the round file; the district passes it on to its commune."""
    ch.ok("prov", "framework", "import", ch.file("fw25.dti.yaml"))
    ch.ok("prov", "round", "open", "small-2025", "--deadline", "2025-10-31")
    ch.ok("prov", "round", "export", "--out", ch.file("r25.dtiround"))
    for code in ("S1", "H1"):
        ch.ok(code, "round", "accept", ch.file("r25.dtiround"))
    ch.ok("H1", "round", "export", "--out", ch.file("r25-H1.dtiround"))
    ch.ok("X1", "round", "accept", ch.file("r25-H1.dtiround"))


def test_a_second_year_without_re_enrollment_and_the_first_untouched(chain: Chain, capsys):
    before = chain.totals(capsys, "prov")
    assert before == {"S1": 5.0, "H1": 30.0}
    keys_before = {c: rows(chain.work / c, "credential") for c in ("S1", "H1", "X1")}
    next_round(chain)
    listed = chain.json(capsys, "S1", "round", "list")["rounds"]
    assert [(r["id"], r["year"], r["current"], r["state"]) for r in listed] == [
        ("small-2024", 2024, False, "open"), ("small-2025", 2025, True, "open")]
    assert listed[1]["deadline"] == "2025-10-31" and listed[1]["framework"] == "small-2025"
    assert {c: rows(chain.work / c, "credential") for c in ("S1", "H1", "X1")} == keys_before   # no new keys
    # a new year starts empty: nothing of 2024 is carried silently, and revisions start again at 1
    assert chain.json(capsys, "S1", "score")["total"] == 0
    chain.ok("S1", "entry", "set", "1.1", "55")
    chain.ok("S1", "package", "export", "--out", chain.file("S1-2025.dtipkg"))
    manifest = json.loads(__import__("zipfile").ZipFile(chain.file("S1-2025.dtipkg")).read("manifest.json"))
    assert (manifest["framework"]["id"], manifest["revision"]) == ("small-2025", 1)
    chain.ok("prov", "package", "import", chain.file("S1-2025.dtipkg"))
    assert chain.totals(capsys, "prov") == {"S1": 55.0}                  # 2025, the current round
    assert chain.totals(capsys, "prov", round_id="small-2024") == before   # 2024 as it was, appraisal kept
    # the unit still sees its 2024 work, by --round or DTI_ROUND
    assert chain.json(capsys, "S1", "score", round_id="small-2024")["total"] == 10.0   # its own, no feedback
    # a package of the earlier round still goes to that round: the same file again is nothing to do
    chain.ok("prov", "package", "import", chain.file("S1-2024.dtipkg"))
    assert "unchanged" in capsys.readouterr().out
    # the three-tier path of the district works in the new round too
    chain.ok("X1", "entry", "set", "1.1", "44")
    chain.ok("X1", "package", "export", "--out", chain.file("X1-2025.dtipkg"))
    chain.ok("H1", "package", "import", chain.file("X1-2025.dtipkg"))
    chain.ok("H1", "bundle", "export", "--out", chain.file("H1-2025.dtibundle"))
    chain.ok("prov", "package", "import", chain.file("H1-2025.dtibundle"))
    assert chain.totals(capsys, "prov") == {"S1": 55.0, "X1": 44.0}
    assert chain.totals(capsys, "prov", round_id="small-2024") == before


def test_round_use_and_the_environment_choose_the_round(chain: Chain, capsys, monkeypatch):
    next_round(chain)
    chain.ok("prov", "round", "use", "small-2024")
    assert chain.totals(capsys, "prov") == {"S1": 5.0, "H1": 30.0}
    monkeypatch.setenv("DTI_ROUND", "small-2025")
    assert chain.totals(capsys, "prov") == {}
    monkeypatch.setenv("DTI_ROUND", "nope-2030")
    refused(capsys, chain.run("prov", "rank"), "no round 'nope-2030'", "small-2024, small-2025")
    monkeypatch.delenv("DTI_ROUND")
    refused(capsys, chain.run("prov", "round", "use", "nope-2030"), "no round 'nope-2030'")


def test_feedback_goes_to_the_round_it_names(chain: Chain, capsys):
    chain.ok("prov", "feedback", "export", "--unit", "S1", "--out", chain.file("S1-2024.phanhoi"))
    next_round(chain)
    chain.ok("S1", "feedback", "import", chain.file("S1-2024.phanhoi"))   # taken while 2025 is current
    assert chain.json(capsys, "S1", "score", round_id="small-2024")["total"] == 5.0
    assert chain.json(capsys, "S1", "score")["total"] == 0


def test_a_package_for_a_round_not_held_or_finalized_is_refused(chain: Chain, capsys):
    next_round(chain)
    chain.ok("S1", "entry", "set", "1.1", "40")
    chain.ok("S1", "package", "export", "--out", chain.file("S1-2025.dtipkg"))
    chain.ok("prov2", "authority", "init", "--code", "TQ", "--name", "Tỉnh khác")   # another province
    before = listing(chain.work / "prov2")
    refused(capsys, chain.run("prov2", "package", "import", chain.file("S1-2025.dtipkg")), "S1-2025.dtipkg")
    assert listing(chain.work / "prov2") == before
    chain.ok("prov", "round", "finalize", round_id="small-2024")
    before = listing(chain.work / "prov")
    refused(capsys, chain.run("prov", "package", "import", chain.file("H1-2024.dtipkg")), "")  # imported before: fine
    capsys.readouterr()
    chain.ok("H1", "entry", "set", "1.1", "31", round_id="small-2024")
    chain.ok("H1", "package", "export", "--out", chain.file("H1-2024-r2.dtipkg"), round_id="small-2024")
    rc = chain.run("prov", "package", "import", chain.file("H1-2024-r2.dtipkg"))
    refused(capsys, rc, "round small-2024 is finalized here")
    assert listing(chain.work / "prov") == before
    chain.ok("prov", "package", "import", chain.file("S1-2025.dtipkg"))       # 2025 stays open


def test_round_files_are_taken_only_from_the_enrolling_authority_and_for_listed_units(chain: Chain, capsys):
    next_round(chain)
    # the district's file is not for a unit the province enrolled
    before = listing(chain.work / "S1")
    refused(capsys, chain.run("S1", "round", "accept", chain.file("r25-H1.dtiround")),
            "not by the authority that enrolled this unit")
    # the same file again: nothing to do
    chain.ok("S1", "round", "accept", chain.file("r25.dtiround"))
    assert "nothing to do" in capsys.readouterr().out
    assert listing(chain.work / "S1") == before
    # a unit the round does not list: enrolled after the file was written
    chain.ok("prov", "enroll", "issue", "--framework", "small-2025", "--unit-code", "S2", "--unit-name",
             "UBND huyện Mới", "--group", "huyen", "--out", chain.file("S2.dtienroll"))
    chain.ok("S2", "enroll", "accept", chain.file("S2.dtienroll"))        # on the current round, 2025
    chain.ok("prov", "framework", "import", chain.file("fw24.dti.yaml"))
    chain.ok("prov", "round", "export", "--out", chain.file("r24.dtiround"), round_id="small-2024")
    refused(capsys, chain.run("S2", "round", "accept", chain.file("r24.dtiround")), "does not list this unit (S2)")
    # a damaged file
    damaged = chain.file("damaged.dtiround")
    raw = bytearray(chain.file("r25.dtiround").read_bytes())
    at = raw.index(b'"group": "huyen"')   # inside data/units.json (entries are stored, not compressed)
    raw[at + 10:at + 15] = b"xa\"  "[:5]
    damaged.write_bytes(bytes(raw))
    refused(capsys, chain.run("S1", "round", "accept", damaged), "damaged.dtiround")
    # a round file is not for an authority
    refused(capsys, chain.run("prov", "round", "accept", chain.file("r25.dtiround")), "")


def test_a_two_tier_round_leaves_districts_out_until_assigned(chain: Chain, capsys):
    chain.ok("prov", "framework", "import", chain.file("fw26.dti.yaml"))
    chain.ok("prov", "round", "open", "small-2026")
    out = capsys.readouterr().out
    assert "H1 S1" in out and "dti round assign" in out       # no district group in the new framework
    refused(capsys, chain.run("prov", "round", "export", "--out", chain.file("r26.dtiround")), "nothing to send")
    refused(capsys, chain.run("prov", "round", "assign", "S1", "huyen"), "no group 'huyen'")
    chain.ok("prov", "round", "assign", "S1", "xa")             # S1 became a commune-level unit
    chain.ok("prov", "round", "export", "--out", chain.file("r26.dtiround"))
    assert "Not sent to (no group yet, dti round assign): H1" in capsys.readouterr().out
    refused(capsys, chain.run("H1", "round", "accept", chain.file("r26.dtiround")), "does not list this unit (H1)")
    chain.ok("S1", "round", "accept", chain.file("r26.dtiround"))
    status = chain.json(capsys, "prov", "status")
    assert [u["unit_code"] for u in status["units"]] == ["S1"] and status["districts"] == {}
    assert chain.json(capsys, "S1", "score")["group"] == "xa"
    assert chain.json(capsys, "S1", "score", round_id="small-2024")["group"] == "huyen"


def test_opening_a_round_is_for_an_authority(chain: Chain, capsys):
    chain.ok("S1", "framework", "import", chain.file("fw25.dti.yaml"))
    refused(capsys, chain.run("S1", "round", "open", "small-2025"), "only an authority opens a round")
    refused(capsys, chain.run("prov", "round", "open", "small-2025", "--deadline", "31/10/2025"), "YYYY-MM-DD")


def test_general_information_of_the_previous_round_is_offered_never_copied(chain: Chain, capsys):
    next_round(chain)
    assert chain.json(capsys, "S1", "score")["total"] == 0
    offered = chain.json(capsys, "S1", "entry", "carry")["proposals"]
    assert offered == [{"code": "TT.1", "title": "Số lượng công chức", "value": "12", "from_round": "small-2024",
                        "from_year": 2024}]
    with sqlite3.connect(chain.work / "S1" / "dti.sqlite3") as con:   # offered only: nothing written yet
        assert con.execute("SELECT count(*) FROM entry WHERE round_id = 'small-2025'").fetchone()[0] == 0
    refused(capsys, chain.run("S1", "entry", "carry", "--take", "1.1"), "no proposal from the previous round")
    chain.ok("S1", "entry", "carry", "--take", "TT.1")
    assert "TT.1 = 12 (from 2024)" in capsys.readouterr().out
    assert chain.json(capsys, "S1", "entry", "carry")["proposals"] == []           # taken: nothing left to offer
    chain.ok("S1", "entry", "set", "TT.1", "15")                                       # 2025's own value
    assert chain.json(capsys, "S1", "entry", "carry")["proposals"] == []
    with sqlite3.connect(chain.work / "S1" / "dti.sqlite3") as con:
        got = dict(con.execute("SELECT round_id, value_json FROM entry WHERE code = 'TT.1'").fetchall())
        reason = con.execute("SELECT reason FROM audit WHERE action = 'entry.carry'").fetchone()[0]
    assert got == {"small-2024": '{"n": "12"}', "small-2025": '{"n": "15"}'} and reason == "carried over from small-2024"


def test_a_commune_of_an_abolished_district_goes_on_directly_under_the_province(chain: Chain, capsys):
    """July 2025: no more districts. A commune a district enrolled keeps its enrollment and keys; the province
    assigns it a group in its two-tier round, sends it the round file and takes its package directly."""
    chain.ok("H1", "bundle", "export", "--out", chain.file("H1-2024.dtibundle"))
    chain.ok("prov", "package", "import", chain.file("H1-2024.dtibundle"))     # 2024: X1 came through H1
    chain.ok("prov", "framework", "import", chain.file("fw26.dti.yaml"))
    chain.ok("prov", "round", "open", "small-2026")
    refused(capsys, chain.run("prov", "round", "assign", "X9", "xa"), "not enrolled here")
    chain.ok("prov", "round", "assign", "X1", "xa")
    chain.ok("prov", "round", "export", "--out", chain.file("r26.dtiround"))
    keys = rows(chain.work / "X1", "credential")
    chain.ok("X1", "round", "accept", chain.file("r26.dtiround"))               # signed by the province, above H1
    assert rows(chain.work / "X1", "credential") == keys
    chain.ok("X1", "entry", "set", "1.1", "33")
    chain.ok("X1", "package", "export", "--out", chain.file("X1-2026.dtipkg"))
    # encrypted, the package is for the province that sent the round file, not for the district that enrolled X1
    chain.ok("X1", "package", "export", "--encrypt", "--out", chain.file("X1-2026-enc.dtipkg"))
    refused(capsys, chain.run("H1", "package", "import", chain.file("X1-2026-enc.dtipkg")),
            "encrypted for another authority")
    chain.ok("prov", "package", "import", chain.file("X1-2026-enc.dtipkg"))
    assert chain.totals(capsys, "prov") == {"X1": 33.0}
    status = chain.json(capsys, "prov", "status")
    assert [(u["unit_code"], u["district"]) for u in status["units"]] == [("X1", None)] and status["districts"] == {}
    chain.ok("prov", "feedback", "export", "--unit", "X1", "--out", chain.file("X1-2026.phanhoi"))
    chain.ok("X1", "feedback", "import", chain.file("X1-2026.phanhoi"))
    # 2024 is as it was: X1 there came through its district
    old = chain.json(capsys, "prov", "status", round_id="small-2024")
    assert {u["unit_code"]: u["district"] for u in old["units"]}["X1"] == "H1"


def test_rank_at_a_units_own_installation_says_where_rankings_come_from(chain: Chain, capsys):
    capsys.readouterr()
    chain.ok("X1", "rank")
    out = capsys.readouterr().out
    assert "no package received here" in out and "`dti score`" in out
    assert chain.json(capsys, "X1", "rank")["groups"]       # the JSON keeps its shape, with no unit in it
