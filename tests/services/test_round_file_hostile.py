"""Hostile round files (`dti round accept`, and its `--dry-run`) at a district the province enrolled, through the
real CLI: files re-signed with the province's own key (so the signature holds and only the content checks stand
between the file and the store), a file from another authority, and Hypothesis mutations of every place of the
manifest and the data. Each refusal is one line, never an internal error, and the data directory is exactly as
before (every row of every table, every file)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.cli.test_rounds import NEXT
from tests.services.chainkit import Chain, build_chain, canon, data_json, repack, signer_of
from tests.services.hostile import mutation_holds, refused_line, resigned_mutation, taken

ACCEPT = ("round", "accept")


@pytest.fixture(scope="module")
def ch(tmp_path_factory: pytest.TempPathFactory) -> Chain:
    return build_chain(tmp_path_factory)


@pytest.fixture(scope="module")
def rf(ch: Chain, tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The province opens small-2025 and writes its round file (listing H1 and H2)."""
    base = tmp_path_factory.mktemp("roundfile")
    prov = ch.copy("prov", base / "prov")
    (base / "fw25.dti.yaml").write_text(NEXT, encoding="utf-8")
    assert ch.run(prov, "framework", "import", base / "fw25.dti.yaml") == 0
    assert ch.run(prov, "round", "open", "small-2025", "--deadline", "2025-10-31") == 0
    assert ch.run(prov, "round", "export", "--out", base / "r25.dtiround") == 0
    return SimpleNamespace(base=base, prov=prov, file=base / "r25.dtiround", signer=signer_of(prov))


@pytest.fixture
def h1(ch: Chain, tmp_path: Path) -> Path:
    return ch.copy("H1", tmp_path / "H1")


@pytest.fixture(params=["import", "dry-run"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


def forged(rf: SimpleNamespace, tmp_path: Path, name: str, **changes) -> Path:
    return repack(rf.file, tmp_path / f"{name}.dtiround", rf.signer, **changes)


def refused(ch: Chain, data: Path, file: Path, mode: str, capsys, *reasons: str) -> str:
    return refused_line(ch.run, data, ACCEPT, file, mode, capsys, *reasons)


def test_the_genuine_file_is_taken_once(ch, rf, h1, capsys):
    taken(ch.run, h1, ACCEPT, rf.file, capsys)
    assert ch.run(h1, *ACCEPT, rf.file) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_a_unit_the_file_does_not_list(ch, rf, h1, tmp_path, mode, capsys):
    units = [u for u in data_json(rf.file, "data/units.json") if u["code"] != "H1"]
    other = forged(rf, tmp_path, "unlisted", entries={"data/units.json": canon(units)})
    refused(ch, h1, other, mode, capsys, "does not list this unit (H1)")


def test_a_group_the_framework_lacks(ch, rf, h1, tmp_path, mode, capsys):
    units = [dict(u, group="tinh") if u["code"] == "H1" else u for u in data_json(rf.file, "data/units.json")]
    other = forged(rf, tmp_path, "group", entries={"data/units.json": canon(units)})
    refused(ch, h1, other, mode, capsys, "group 'tinh'", "small-2025 does not have")


def test_a_framework_that_is_not_the_one_named(ch, rf, h1, tmp_path, mode, capsys):
    fw = data_json(rf.file, "data/framework.json")
    fw["title"] = "Bộ chỉ số khác"
    other = forged(rf, tmp_path, "framework", entries={"data/framework.json": canon(fw)})
    refused(ch, h1, other, mode, capsys, "is not the framework the manifest names")


def test_ids_and_years_must_agree(ch, rf, h1, tmp_path, mode, capsys):
    other = forged(rf, tmp_path, "ids", manifest=lambda m: m["round"].update(id="small-2030"))
    refused(ch, h1, other, mode, capsys, "different ids")
    other = forged(rf, tmp_path, "year", manifest=lambda m: m["round"].update(year=2031))
    refused(ch, h1, other, mode, capsys, "does not match the manifest")
    other = forged(rf, tmp_path, "deadline", manifest=lambda m: m["round"].update(deadline="31/10/2025"))
    refused(ch, h1, other, mode, capsys, "YYYY-MM-DD")


def test_hostile_identifiers_and_shapes(ch, rf, h1, tmp_path, mode, capsys):
    units = data_json(rf.file, "data/units.json")
    for name, body, reason in (
            ("path", [dict(units[0], code="../../x"), *units[1:]], "'../../x'"),
            ("twice", [*units, units[0]], "listed twice"),
            ("extra", [dict(units[0], admin=True), *units[1:]], "unknown key"),
            ("not-list", {"H1": "huyen"}, "list")):
        other = forged(rf, tmp_path, name, entries={"data/units.json": canon(body)})
        refused(ch, h1, other, mode, capsys, reason)
    other = forged(rf, tmp_path, "entry", entries={"data/evidence.json": canon([])})
    refused(ch, h1, other, mode, capsys, "data/evidence.json")
    other = forged(rf, tmp_path, "missing", entries={"data/units.json": None})
    refused(ch, h1, other, mode, capsys, "data/units.json")


def test_signed_by_another_authority(ch, rf, tmp_path, mode, capsys):
    """A commune of H1 takes round files from H1 or the province above it, never from the other district H2."""
    x1 = ch.copy("X1", tmp_path / "X1")
    units = [{"code": "X1", "name": "UBND xã Một", "group": "xa"}]
    other = repack(rf.file, tmp_path / "h2.dtiround", signer_of(ch.data("H2")),
                   manifest={"from": "H2"}, entries={"data/units.json": canon(units)})
    refused(ch, x1, other, mode, capsys, "signed by H2, not by the authority that enrolled this unit")


@pytest.fixture(scope="module")
def h1_pristine(ch: Chain, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ch.copy("H1", tmp_path_factory.mktemp("h1-pristine") / "H1")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_mutated_round_files_never_get_an_internal_error(ch, rf, h1_pristine, data):
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "H1"
        shutil.copytree(h1_pristine, work, ignore=shutil.ignore_patterns("dti.lock"))
        entry = data.draw(st.sampled_from(["data/units.json", "data/framework.json"]))
        file = resigned_mutation(data, rf.file, entry, rf.signer, Path(scratch) / "m.dtiround")
        if file is None:
            return
        mutation_holds(ch.run, work, h1_pristine, ACCEPT, file)
