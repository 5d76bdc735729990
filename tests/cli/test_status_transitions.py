"""Every state a unit passes through at its aggregator (issue: registry and completeness), one transition
at a time: not submitted → submitted → under appraisal → returned for explanation → explained → final,
and back out of final only by reopening with a reason; lateness against the round's end."""

from __future__ import annotations

import json
from datetime import date

import pytest

from app.cli.main import main
from tests.conftest import SMALL

PASS = "status-passphrase-1"
OPEN_ROUND = SMALL.replace("end: 2024-12-31", "end: 2099-12-31")   # a round whose deadline has not passed


@pytest.fixture
def chain(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DTI_PASSPHRASE", PASS)
    monkeypatch.setenv("DTI_UNIT_PASSPHRASE", PASS)
    (tmp_path / "fw.dti.yaml").write_text(OPEN_ROUND, encoding="utf-8")

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(tmp_path / data), "--lang", "en", *map(str, args)])

    def state(code: str = "X1") -> tuple[str, int | None, bool]:
        capsys.readouterr()
        assert run("prov", "status", "--json") == 0
        got = {u["unit_code"]: u for u in json.loads(capsys.readouterr().out)["units"]}[code]
        return got["state"], got["revision"], got["late"]

    assert run("prov", "authority", "init", "--code", "P", "--name", "Sở Thông tin và Truyền thông Thử") == 0
    assert run("prov", "framework", "import", tmp_path / "fw.dti.yaml") == 0
    for code in ("X1", "X2"):
        assert run("prov", "enroll", "issue", "--framework", "small-2024", "--unit-code", code, "--unit-name",
                   f"UBND xã {code}", "--group", "xa", "--out", tmp_path / f"{code}.dtienroll") == 0
        assert run(code, "enroll", "accept", tmp_path / f"{code}.dtienroll") == 0
    assert run("X1", "entry", "set", "1.1", "50") == 0
    return tmp_path, run, state


def test_each_transition_in_order(chain, capsys):
    work, run, state = chain
    assert state() == ("not_submitted", None, False)
    assert run("X1", "package", "export", "--out", work / "r1.dtipkg") == 0
    assert run("prov", "package", "import", work / "r1.dtipkg") == 0
    assert state() == ("submitted", 1, False)
    assert run("prov", "appraise", "set", "X1", "1.1", "40", "--comment", "Thiếu biên bản", "--request-explanation") == 0
    assert state() == ("under_appraisal", 1, False)
    assert run("prov", "feedback", "export", "--unit", "X1", "--out", work / "fb.dtifb") == 0
    assert state() == ("returned", 1, False)
    assert run("X1", "feedback", "import", work / "fb.dtifb") == 0
    assert run("X1", "entry", "explain", "1.1", "Bổ sung biên bản họp tháng 3") == 0
    assert run("X1", "entry", "set", "1.2", "12,5") == 0
    assert run("X1", "package", "export", "--out", work / "r2.dtipkg") == 0
    capsys.readouterr()
    assert run("prov", "package", "import", work / "r2.dtipkg") == 0
    assert "changed since revision 1: 1.1, 1.2" in capsys.readouterr().out
    assert state() == ("explained", 2, False)
    assert run("prov", "changes", "X1", "--json") == 0
    got = json.loads(capsys.readouterr().out)
    assert got == {"unit_code": "X1", "from": 1, "to": 2, "changes": [
        {"code": "1.1", "what": "explanation", "old": None, "new": "Bổ sung biên bản họp tháng 3"},
        {"code": "1.2", "what": "value", "old": None, "new": "12.50"}]}
    assert run("prov", "--lang", "vi", "changes", "X1") == 0
    assert "1.2      số liệu: — → 12,50" in capsys.readouterr().out
    assert run("prov", "changes", "X1", "--since", "7") != 0
    assert "no imported revision 7" in capsys.readouterr().err
    assert run("prov", "feedback", "export", "--unit", "X1", "--out", work / "fb2.dtifb") == 0
    assert state() == ("returned", 2, False)               # a second explanation round
    assert run("prov", "round", "finalize") == 0
    assert state() == ("final", 2, False)
    assert state("X2") == ("not_submitted", None, False)   # final applies to what was received
    assert run("prov", "round", "reopen", "--reason", "Chấm lại theo ý kiến hội đồng") == 0
    assert state() == ("returned", 2, False)
    capsys.readouterr()
    assert run("prov", "status") == 0
    text = capsys.readouterr().out
    assert "returned for explanation (rev 2)" in text and "not submitted" in text


def test_clearing_the_only_appraisal_goes_back_to_submitted(chain):
    work, run, state = chain
    assert run("X1", "package", "export", "--out", work / "r1.dtipkg") == 0
    assert run("prov", "package", "import", work / "r1.dtipkg") == 0
    assert run("prov", "appraise", "set", "X1", "1.1", "40") == 0
    assert state() == ("under_appraisal", 1, False)
    assert run("prov", "appraise", "clear", "X1", "1.1") == 0
    assert state() == ("submitted", 1, False)


def test_late_against_the_rounds_end(chain):
    from app.services.status import completeness, unit_statuses
    from app.services.workspace import Workspace

    work, run, _state = chain
    assert run("X1", "package", "export", "--out", work / "r1.dtipkg") == 0
    assert run("prov", "package", "import", work / "r1.dtipkg") == 0
    with Workspace(work / "prov", write=False) as ws:
        before = {s.unit_code: s.late for s in unit_statuses(ws, today=date(2099, 12, 31))}
        after = unit_statuses(ws, today=date(2100, 1, 1))
    assert before == {"X1": False, "X2": False}                    # the last day still counts
    assert {s.unit_code: s.late for s in after} == {"X1": False, "X2": True}   # X1 sent in time
    assert completeness(after)["groups"]["xa"] == {"expected": 2, "received": 1, "final": 0, "late": 1}
