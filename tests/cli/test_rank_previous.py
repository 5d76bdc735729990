"""`dti rank --previous ROUND|FILE.json|DIR` (DESIGN §7) on a store holding two rounds, driven through the CLI.

Round small-2024: communes A, B, C, K, R and the district-level unit H submitted (D never did). Round small-2025
is opened beside it: K and C take part through the round file, R is enrolled again under a new name (same
code), and M is enrolled as the merger of A, B, H and D. The province ranks 2025 against 2024 held in the same
store; M is compared with the mean of its predecessors (DOMAIN "Since 2025")."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from app.cli.main import main
from app.services.enrollment import issue
from app.services.workspace import Workspace
from tests.conftest import SMALL

PASS = "previous-round-passphrase-1"
SMALL_2025 = SMALL.replace("small-2024", "small-2025").replace("year: 2024, start: 2024-01-01, end: 2024-12-31",
                                                               "year: 2025, start: 2025-01-01, end: 2025-12-31")
ENTRIES_2024 = {   # code: (group, {indicator: points}) -> totals A 100.5, B 101.25, H 110, C 40, K 185, R 70
    "A": ("xa", {"1.1": 50, "1.2": 30.5, "2.1": 20}),
    "B": ("xa", {"1.1": 60, "2.1": 41.25}),
    "H": ("huyen", {"1.1": 10, "2.1": 100}),
    "C": ("xa", {"1.1": 40}),
    "K": ("xa", {"1.1": 55, "1.2": 40, "2.1": 90}),
    "R": ("xa", {"2.1": 70}),
}
ENTRIES_2025 = {   # K 200, M 110, C 90, R 20
    "K": {"1.1": 60, "1.2": 40, "2.1": 100},
    "M": {"1.1": 50, "2.1": 60},
    "C": {"1.1": 60, "2.1": 30},
    "R25": {"1.1": 20},
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("rank-previous")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DTI_PASSPHRASE", PASS)
        mp.setenv("DTI_UNIT_PASSPHRASE", PASS)
        (work / "fw24.dti.yaml").write_text(SMALL, encoding="utf-8")
        (work / "fw25.dti.yaml").write_text(SMALL_2025, encoding="utf-8")

        def run(data: str, *args: object) -> int:
            return main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)])

        def fill_and_send(data: str, values: dict, name: str) -> None:
            (work / f"{name}.json").write_text(json.dumps(values), encoding="utf-8")
            assert run(data, "entry", "import", work / f"{name}.json") == 0
            assert run(data, "package", "export", "--out", work / f"{name}.dtipkg") == 0
            assert run("prov", "package", "import", work / f"{name}.dtipkg") == 0

        assert run("prov", "authority", "init", "--code", "TP", "--name", "Sở Khoa học và Công nghệ Thử") == 0
        assert run("prov", "framework", "import", work / "fw24.dti.yaml") == 0
        for code, (group, values) in ENTRIES_2024.items():
            assert run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name",
                       f"UBND {'huyện' if group == 'huyen' else 'xã'} {code}", "--group", group,
                       "--out", work / f"{code}.dtienroll") == 0
            assert run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0
            fill_and_send(code, values, f"{code}-2024")

        # 2025 beside 2024
        assert run("prov", "framework", "import", work / "fw25.dti.yaml") == 0
        assert run("prov", "round", "open", "small-2025") == 0
        assert run("prov", "round", "export", "--out", work / "r25.dtiround") == 0
        for code in ("K", "C"):
            assert run(code, "round", "accept", work / "r25.dtiround") == 0
            fill_and_send(code, ENTRIES_2025[code], f"{code}-2025")
        # R renamed: the same code enrolled again under its new name
        assert run("prov", "authority", "revoke", "R", "--out", work / "R.crl") == 0
        assert run("prov", "enroll", "issue", "--framework", "small-2025", "--unit-code", "R", "--unit-name",
                   "UBND phường R mới", "--group", "xa", "--out", work / "R25.dtienroll") == 0
        assert run("R25", "enroll", "accept", work / "R25.dtienroll") == 0
        fill_and_send("R25", ENTRIES_2025["R25"], "R-2025")
        # M: the merger of A, B, H and D (the way `enroll issue --from UNITS.csv` records predecessors)
        with Workspace(work / "prov", lang="en") as ws:
            issue(ws, framework_ref="small-2025", unit_code="M", unit_name="UBND xã M", group="xa",
                  out=work / "M.dtienroll", can_issue=False, passphrase=PASS, unit_passphrase=PASS,
                  predecessors=("A", "B", "H", "D"))
        assert run("M", "enroll", "accept", work / "M.dtienroll") == 0
        fill_and_send("M", ENTRIES_2025["M"], "M-2025")
        yield work, run


def rank_json(run, capsys, *args: object, round_id: str | None = None) -> dict:
    """`dti [--round ID] rank --json ARGS` at the province."""
    capsys.readouterr()
    assert run("prov", *(("--round", round_id) if round_id else ()), "rank", "--json", *args) == 0
    return json.loads(capsys.readouterr().out)


def units_of(data: dict) -> dict[str, dict]:
    return {u["unit_code"]: u for g in data["groups"] for u in g["units"]}


def test_previous_round_held_here_is_ranked_from_this_store(store, capsys):
    _work, run = store
    now = units_of(rank_json(run, capsys, "--previous", "small-2024"))
    assert [(c, now[c]["rank"], now[c]["total"]) for c in ("K", "M", "C", "R")] == [
        ("K", 1, 200), ("M", 2, 110), ("C", 3, 90), ("R", 4, 20)]
    assert now["K"]["previous"] == {"rank": 1, "total": 185, "share": 0.925}
    assert now["C"]["previous"] == {"rank": 5, "total": 40, "share": 0.2}
    # renamed, same code: its history follows the code
    assert now["R"]["unit_name"] == "UBND phường R mới"
    assert now["R"]["previous"] == {"rank": 4, "total": 70, "share": 0.35}


def test_a_merged_unit_is_compared_with_the_mean_of_its_predecessors(store, capsys):
    _work, run = store
    data = rank_json(run, capsys, "--previous", "small-2024")
    assert data["previous"] == {"framework": "small-2024", "year": 2024}
    old = units_of(rank_json(run, capsys, round_id="small-2024"))
    got = units_of(data)["M"]["previous"]
    found = ("A", "B", "H")       # H was ranked in group huyen: predecessors count whatever their group
    assert got["rank"] is None and got["missing"] == ["D"]
    assert got["merged_from"] == [{k: old[c][k] if k != "unit_code" else c for k in ("unit_code", "rank", "total", "share")}
                                  for c in found]
    mean_total = sum(Decimal(str(old[c]["total"])) for c in found) / 3
    mean_share = sum(Decimal(str(old[c]["share"])) for c in found) / 3
    assert Decimal(str(got["total"])) == Decimal("103.92") == mean_total.quantize(Decimal("0.01"), "ROUND_HALF_UP")
    assert Decimal(str(got["share"])) == mean_share.quantize(Decimal("0.0001"), "ROUND_HALF_UP")


def test_round_and_its_saved_ranking_give_the_same_previous_figures(store, tmp_path, capsys):
    _work, run = store
    capsys.readouterr()
    assert run("prov", "--round", "small-2024", "rank", "--json") == 0
    (tmp_path / "2024.json").write_text(capsys.readouterr().out, encoding="utf-8")
    by_round = rank_json(run, capsys, "--previous", "small-2024")
    by_file = rank_json(run, capsys, "--previous", tmp_path / "2024.json")
    assert by_file["previous"] == {"framework": "small-2024", "year": None}
    assert ({c: u["previous"] for c, u in units_of(by_round).items()}
            == {c: u["previous"] for c, u in units_of(by_file).items()})
    assert {k: v for k, v in by_round.items() if k != "previous"} == {k: v for k, v in by_file.items() if k != "previous"}


def test_an_existing_file_comes_before_a_round_of_the_same_name(store, tmp_path, monkeypatch, capsys):
    _work, run = store
    last = {"framework": "from-a-file", "groups": [{"code": "xa", "title": "UBND xã", "max": 200, "units": [
        {"rank": 1, "unit_code": "C", "unit_name": "UBND xã C", "total": 150, "share": 0.75}]}]}
    (tmp_path / "small-2024").write_text(json.dumps(last), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = rank_json(run, capsys, "--previous", "small-2024")
    assert data["previous"] == {"framework": "from-a-file", "year": None}
    assert units_of(data)["C"]["previous"] == {"rank": 1, "total": 150, "share": 0.75}
    assert units_of(data)["M"]["previous"]["missing"] == ["A", "B", "H", "D"]


def test_text_output_shows_the_mean_beside_a_merged_unit(store, capsys):
    _work, run = store
    capsys.readouterr()
    assert run("prov", "--lang", "vi", "rank", "--previous", "small-2024") == 0
    lines = capsys.readouterr().out.splitlines()
    line = {code: next(x for x in lines if f" {code} " in x) for code in ("K", "M", "C", "R")}
    assert "2024: TB 3 xã cũ 103,92 (thiếu D)" in line["M"]
    assert "2024: hạng 5 ▲2" in line["C"]
    assert "2024: hạng 1 =" in line["K"]
    assert "2024: hạng 4 =" in line["R"]
    assert run("prov", "rank", "--previous", "small-2024") == 0
    out = capsys.readouterr().out
    assert "2024: mean of 3 former units 103.92 (missing D)" in next(x for x in out.splitlines() if " M " in x)


def test_unknown_round_and_the_round_being_ranked_are_refused(store, capsys):
    _work, run = store
    capsys.readouterr()
    assert run("prov", "rank", "--previous", "small-2019") != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "small-2019" in err and "small-2024, small-2025" in err
    assert run("prov", "rank", "--previous", "small-2025") != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "being ranked" in err
    # ranking 2024 itself: 2025 is held here and may be named (a later round compared as the other one)
    assert run("prov", "--round", "small-2024", "rank", "--previous", "small-2024") != 0
    assert "being ranked" in capsys.readouterr().err


def test_json_without_previous_is_the_contract_shape(store, capsys):
    _work, run = store
    data = rank_json(run, capsys)
    assert set(data) == {"framework", "groups"} and data["framework"] == "small-2025"
    for g in data["groups"]:
        assert set(g) == {"code", "title", "max", "ranked", "units"}
        for u in g["units"]:
            assert set(u) == {"rank", "unit_code", "unit_name", "total", "share", "grade", "indices", "index_ranks"}
    compared = rank_json(run, capsys, "--previous", "small-2024")
    strip = [{k: v for k, v in u.items() if k != "previous"} for g in compared["groups"] for u in g["units"]]
    assert strip == [u for g in data["groups"] for u in g["units"]]


def test_the_aggregators_ranking_screen_carries_the_merged_comparison(store):
    from app.services import aggregator_view

    work, _run = store
    with Workspace(work / "prov", lang="en", write=False) as ws:
        snap = aggregator_view.load(ws, previous="small-2024")
    assert snap.previous_label == "2024"
    rows = {r.unit_code: r for g in snap.rankings for r in g.rows}
    assert (rows["M"].previous_rank, rows["M"].previous_mean, rows["M"].merged_from) == (None, Decimal("103.92"),
                                                                                          ("A", "B", "H"))
    assert (rows["C"].previous_rank, rows["C"].previous_mean, rows["C"].merged_from) == (5, None, ())
    assert rows["R"].previous_rank == 4
