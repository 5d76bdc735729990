"""The contract smoke's entry and evidence steps (../shared/contract/smoke), run on a unit made with
`dti unit init` until enrollment exists: same commands, same expectations."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli.main import main
from tests.conftest import SMALL
from tests.evidence import corpus as c


def run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), *map(str, args)])


def test_entry_and_evidence_steps_of_the_contract(tmp_path: Path, capsys):
    fw = tmp_path / "fw.dti.yaml"
    fw.write_text(SMALL, encoding="utf-8")
    x1, x2 = tmp_path / "X1", tmp_path / "X2"
    for data, code in ((x1, "X1"), (x2, "X2")):
        assert run(data, "framework", "import", fw) == 0
        assert run(data, "unit", "init", "--framework", "small-2024", "--unit-code", code, "--unit-name", "UBND xã",
                   "--group", "xa") == 0
    assert run(x1, "entry", "set", "1.1", "50") == 0
    assert run(x1, "entry", "set", "1.2", "30,5") == 0
    (tmp_path / "x2.json").write_text(json.dumps({"1.1": 60, "1.2": 40, "2.1": 20}), encoding="utf-8")
    assert run(x2, "entry", "import", tmp_path / "x2.json") == 0
    capsys.readouterr()
    assert run(x1, "entry", "set", "1.1", "61") != 0
    assert capsys.readouterr().err.strip()
    assert run(x1, "score", "--json") == 0
    assert json.loads(capsys.readouterr().out)["total"] == 80.5
    assert run(x2, "score", "--json") == 0
    assert json.loads(capsys.readouterr().out)["total"] == 120
    pdf = tmp_path / "Biên bản họp.pdf"
    pdf.write_bytes(c.reportlab_pdf())
    assert run(x1, "evidence", "add", "1.1", pdf) == 0
    capsys.readouterr()
    assert run(x1, "evidence", "list", "--json") == 0
    items = json.loads(capsys.readouterr().out)["evidence"]
    assert {"code", "name", "sha256", "size", "pages", "problems", "signatures"} <= set(items[0])
    assert run(x1, "check", "--json") == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {"code": "2.1", "kind": "missing_value"}.items() <= next(f for f in findings if f["code"] == "2.1").items()
