"""Appraisal by field (seed 001): the province sends each department a signed work file with only its
indicators; the department appraises and returns a signed file; the province merges it, and two
appraisers that disagree become a conflict to resolve, never a silent overwrite."""

from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import SMALL
from tests.evidence import corpus as c

PASS = "field-passphrase-1"
FIELD = (SMALL.replace('  - {code: xa, title: "UBND xã"}\n',
                       '  - {code: xa, title: "UBND xã"}\n  - {code: so, title: "Sở, ngành"}\n')
         .replace('    title: "Nhận thức số"\n', '    title: "Nhận thức số"\n    appraiser: "Sở Nội vụ"\n')
         .replace('    title: "Hoạt động chính quyền số"\n',
                  '    title: "Hoạt động chính quyền số"\n    appraiser: "Sở Tài chính"\n')
         .replace("max: {huyen: 200, xa: 100}", "max: {huyen: 200, xa: 100, so: 100}"))


@pytest.fixture(scope="module")
def field(tmp_path_factory: pytest.TempPathFactory):
    """Province P enrolls communes X1, X2 (group xa) and the department SNV (group so); both communes submit."""
    work = tmp_path_factory.mktemp("field")
    old = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS
    (work / "fw.dti.yaml").write_text(FIELD, encoding="utf-8")

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)])

    assert run("prov", "authority", "init", "--code", "P", "--name", "Sở Thông tin và Truyền thông Thử") == 0
    assert run("prov", "framework", "import", work / "fw.dti.yaml") == 0
    for code, name, group in (("X1", "UBND xã Một", "xa"), ("X2", "UBND xã Hai", "xa"), ("SNV", "Sở Nội vụ", "so")):
        assert run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name", name,
                   "--group", group, "--out", work / f"{code}.dtienroll") == 0
        assert run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0
    pdf = work / "Biên bản họp.pdf"
    pdf.write_bytes(c.reportlab_pdf())
    for code, first in (("X1", "50"), ("X2", "40")):
        assert run(code, "entry", "set", "1.1", first) == 0
        assert run(code, "entry", "set", "1.2", "30") == 0
        assert run(code, "entry", "set", "2.1", "70") == 0
        assert run(code, "package", "export", "--out", work / f"{code}.dtipkg") == 0
    assert run("X1", "evidence", "add", "1.1", pdf) == 0
    assert run("X1", "package", "export", "--out", work / "X1.dtipkg") == 0
    assert run("prov", "package", "import", work / "X1.dtipkg", work / "X2.dtipkg") == 0
    yield work, run
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def rows(data: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(data / "dti.sqlite3")
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def out_json(capsys, run, *args) -> object:
    capsys.readouterr()
    assert run(*args) == 0
    return json.loads(capsys.readouterr().out)


def test_work_file_carries_only_the_departments_indicators(field, capsys):
    work, run = field
    capsys.readouterr()
    assert run("prov", "appraise", "export", "--department", "sở nội  vụ", "--out", work / "snv.dtiwork") == 0
    assert "Sở Nội vụ" in capsys.readouterr().out
    with zipfile.ZipFile(work / "snv.dtiwork") as z:
        manifest = json.loads(z.read("manifest.json"))
        body = json.loads(z.read("data/work.json"))
        evidence = [n for n in z.namelist() if n.startswith("evidence/")]
    assert manifest["format"] == "dti-appraisal-work/1" and manifest["department"] == "Sở Nội vụ"
    assert {u["code"]: u["codes"] for u in body["units"]} == {"X1": ["1.1", "1.2"], "X2": ["1.1", "1.2"]}
    assert all(set(u["values"]) <= {"1.1", "1.2"} for u in body["units"])   # nothing of Sở Tài chính's field
    assert len(evidence) == 1


def test_unknown_department_is_refused_and_names_the_known_ones(field, capsys):
    work, run = field
    capsys.readouterr()
    assert run("prov", "appraise", "export", "--department", "Sở Y tế", "--out", work / "none.dtiwork") != 0
    err = capsys.readouterr().err
    assert "Sở Nội vụ" in err and "Sở Tài chính" in err and len(err.strip().splitlines()) == 1
    assert not (work / "none.dtiwork").exists()


def test_department_appraises_only_its_field_and_returns_a_signed_file(field, capsys):
    work, run = field
    if not (work / "snv.dtiwork").exists():
        assert run("prov", "appraise", "export", "--department", "Sở Nội vụ", "--out", work / "snv.dtiwork") == 0
    assert run("SNV", "appraise", "import", work / "snv.dtiwork") == 0
    items = out_json(capsys, run, "SNV", "appraise", "work", "--json")
    assert {(i["unit_code"], i["code"]) for i in items} == {("X1", "1.1"), ("X1", "1.2"), ("X2", "1.1"), ("X2", "1.2")}
    x1 = next(i for i in items if (i["unit_code"], i["code"]) == ("X1", "1.1"))
    assert x1["value"] == "50" and x1["self"] == "50" and x1["evidence"][0]["name"] == "Biên bản họp.pdf"
    assert run("SNV", "config", "set", "officer", "Trần Thị Bình") == 0
    assert run("SNV", "appraise", "set", "X1", "1.1", "45", "--comment", "Thiếu biên bản tháng 3") == 0
    assert run("SNV", "appraise", "set", "X2", "1.2", "30") == 0
    capsys.readouterr()
    assert run("SNV", "appraise", "set", "X1", "2.1", "10") != 0     # Sở Tài chính's indicator
    assert "not given" in capsys.readouterr().err
    assert run("SNV", "appraise", "export", "--out", work / "snv-return.dtiwork") == 0
    with zipfile.ZipFile(work / "snv-return.dtiwork") as z:
        manifest = json.loads(z.read("manifest.json"))
        items = json.loads(z.read("data/appraisals.json"))["appraisals"]
    assert manifest["format"] == "dti-appraisal-return/1" and manifest["from"] == "SNV"
    assert {(i["unit"], i["code"], i["points"]) for i in items} == {("X1", "1.1", "45"), ("X2", "1.2", "30")}
    assert items[0]["appraiser"] == "Trần Thị Bình (Sở Nội vụ)"


def test_province_merges_the_return_and_disagreement_is_a_conflict(field, capsys):
    work, run = field
    if not (work / "snv-return.dtiwork").exists():
        pytest.skip("needs the department's return (previous test)")
    # the province's own appraiser had already set X1 1.1 differently
    assert run("prov", "appraise", "set", "X1", "1.1", "55") == 0
    capsys.readouterr()
    assert run("prov", "appraise", "import", work / "snv-return.dtiwork") == 0
    out = capsys.readouterr().out
    assert "1 new" in out and "1 conflicts" in out
    conflicts = out_json(capsys, run, "prov", "appraise", "conflicts", "--json")
    assert conflicts == [{"unit_code": "X1", "code": "1.1",
                          "current": {"points": "55", "appraiser": conflicts[0]["current"]["appraiser"], "source": "local"},
                          "incoming": {"points": "45", "appraiser": "Trần Thị Bình (Sở Nội vụ)", "source": "dept:SNV",
                                       "comment": "Thiếu biên bản tháng 3"}}]
    ranked = out_json(capsys, run, "prov", "rank", "--json")
    x1 = next(u for g in ranked["groups"] for u in g["units"] if u["unit_code"] == "X1")
    assert x1["total"] == 55 + 30 + 70            # the appraisal in force stays until resolved
    # importing the same return again records nothing new
    assert run("prov", "appraise", "import", work / "snv-return.dtiwork") == 0
    assert len(rows(work / "prov", "SELECT id FROM appraisal_conflict")) == 1
    # finalizing is refused while a conflict is open
    capsys.readouterr()
    assert run("prov", "round", "finalize") != 0
    assert "conflict" in capsys.readouterr().err
    assert run("prov", "appraise", "resolve", "X1", "1.1", "--take", "incoming", "--reason", "Hội đồng thống nhất") == 0
    assert out_json(capsys, run, "prov", "appraise", "conflicts", "--json") == []
    ranked = out_json(capsys, run, "prov", "rank", "--json")
    x1 = next(u for g in ranked["groups"] for u in g["units"] if u["unit_code"] == "X1")
    assert x1["total"] == 45 + 30 + 70
    actions = [r[0] for r in rows(work / "prov", "SELECT action FROM audit ORDER BY id")]
    assert {"appraise.conflict", "appraise.resolve", "appraise.return.import", "appraise.work.export"} <= set(actions)


def test_a_return_is_taken_only_where_its_work_was_issued(field, capsys):
    work, run = field
    if not (work / "snv-return.dtiwork").exists():
        pytest.skip("needs the department's return")
    # another province has its own root: the signature does not even verify there
    assert run("other", "authority", "init", "--code", "P2", "--name", "Sở khác") == 0
    capsys.readouterr()
    assert run("other", "appraise", "import", work / "snv-return.dtiwork") != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    # a commune of the same province verifies the signature but never issued that work
    before = rows(work / "X2", "SELECT count(*) FROM appraisal")
    assert run("X2", "appraise", "import", work / "snv-return.dtiwork") != 0
    assert "not issued here" in capsys.readouterr().err
    assert rows(work / "X2", "SELECT count(*) FROM appraisal") == before


def test_a_work_file_is_taken_only_from_the_enrolling_authority(field, capsys):
    work, run = field
    if not (work / "snv.dtiwork").exists():
        pytest.skip("needs the work file")
    # the province's own store holds no enrollment of itself: the work comes from P, and P is not P's parent
    capsys.readouterr()
    assert run("prov", "appraise", "import", work / "snv.dtiwork") != 0
    assert "issued by this installation" in capsys.readouterr().err
    assert rows(work / "prov", "SELECT count(*) FROM appraisal_work WHERE role = 'received'") == [(0,)]


def test_a_tampered_return_is_refused_and_changes_nothing(field, tmp_path, capsys):
    work, run = field
    if not (work / "snv-return.dtiwork").exists():
        pytest.skip("needs the department's return")
    raw = bytearray((work / "snv-return.dtiwork").read_bytes())
    at = raw.find(b'"45"')
    raw[at:at + 4] = b'"60"'
    bad = tmp_path / "bad.dtiwork"
    bad.write_bytes(bytes(raw))
    before = rows(work / "prov", "SELECT unit_code, code, points, source FROM appraisal ORDER BY 1, 2")
    capsys.readouterr()
    assert run("prov", "appraise", "import", bad) != 0
    assert "bad.dtiwork" in capsys.readouterr().err
    assert rows(work / "prov", "SELECT unit_code, code, points, source FROM appraisal ORDER BY 1, 2") == before


def test_appraiser_name_and_department_come_from_config(field, capsys):
    work, run = field
    assert run("prov", "config", "set", "officer", "Lê Văn Cường") == 0
    assert run("prov", "config", "set", "department", "Hội đồng đánh giá chỉ số chuyển đổi số tỉnh") == 0
    assert run("prov", "appraise", "set", "X2", "2.1", "65") == 0
    got = rows(work / "prov", "SELECT appraiser FROM appraisal WHERE unit_code = 'X2' AND code = '2.1'")
    assert got == [("Lê Văn Cường (Hội đồng đánh giá chỉ số chuyển đổi số tỉnh)",)]
    actor = rows(work / "prov", "SELECT actor FROM audit WHERE action = 'appraise.set' ORDER BY id DESC LIMIT 1")
    assert actor == got
    capsys.readouterr()
    assert run("prov", "config", "set", "department", "   ") != 0
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("damage", ["garbage", "truncated", "feedback", "empty"])
def test_hostile_files_given_to_appraise_import_change_nothing(field, tmp_path, capsys, damage):
    work, run = field
    if not (work / "snv.dtiwork").exists():
        pytest.skip("needs the work file")
    bad = tmp_path / f"{damage}.dtiwork"
    if damage == "garbage":
        bad.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 20)
    elif damage == "truncated":
        raw = (work / "snv.dtiwork").read_bytes()
        bad.write_bytes(raw[: len(raw) * 2 // 3])
    elif damage == "feedback":
        assert run("prov", "feedback", "export", "--unit", "X1", "--out", bad) == 0
    else:
        bad.write_bytes(b"")
    snapshot = [rows(work / d, f"SELECT count(*) FROM {t}") for d in ("prov", "SNV")
                for t in ("appraisal", "appraisal_work", "appraisal_conflict")]
    for data in ("prov", "SNV"):
        capsys.readouterr()
        assert run(data, "appraise", "import", bad) != 0
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and "internal error" not in err, err
    assert [rows(work / d, f"SELECT count(*) FROM {t}") for d in ("prov", "SNV")
            for t in ("appraisal", "appraisal_work", "appraisal_conflict")] == snapshot


def test_department_names_are_matched_loosely_and_a_framework_without_departments_says_so():
    from app.errors import UserError
    from app.services.appraisal_work import department_codes, department_of, departments
    from tests.scoring.test_engine import fw_of

    field_fw = fw_of(FIELD)
    assert departments(field_fw) == ["Sở Nội vụ", "Sở Tài chính"]
    assert department_of(field_fw, "  SỞ  NỘI VỤ ") == "Sở Nội vụ"
    assert department_codes(field_fw, "xa", "Sở Tài chính") == ["2.1"]
    with pytest.raises(UserError) as info:
        department_of(fw_of(SMALL), "Sở Nội vụ")
    assert "no `appraiser` field" in str(info.value) and "dti appraise set" in info.value.message_vi
