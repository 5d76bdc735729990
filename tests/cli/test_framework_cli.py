"""`dti framework ...` as a person or a script uses it: exit codes, one-line reasons, JSON alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from app.cli.main import main
from tests.conftest import SMALL


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def fw_file(tmp_path: Path) -> Path:
    path = tmp_path / "Bộ chỉ số.dti.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def dti(data_dir: Path, *args: str, lang: str = "en") -> int:
    return main(["--data-dir", str(data_dir), "--lang", lang, *map(str, args)])


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_version_subprocess():
    out = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"dti {__version__}"


def test_import_prints_the_id_and_lists_it(data_dir, fw_file, capsys):
    assert dti(data_dir, "framework", "import", fw_file) == 0
    out = capsys.readouterr()
    assert out.out.splitlines()[0] == "small-2024"
    assert dti(data_dir, "framework", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    ids = {f["id"]: f for f in listed["frameworks"]}
    assert ids["small-2024"]["source"] == "imported"
    assert "hy-2023" in ids and ids["hy-2023"]["source"] == "bundled"


def test_reimport_of_the_same_file_changes_nothing(data_dir, fw_file, capsys):
    assert dti(data_dir, "framework", "import", fw_file) == 0
    before = snapshot(data_dir / "frameworks")
    assert dti(data_dir, "framework", "import", fw_file) == 0
    assert "already stored" in capsys.readouterr().err
    assert snapshot(data_dir / "frameworks") == before


def test_show_json_is_pure_and_filtered_by_group(data_dir, fw_file, capsys):
    dti(data_dir, "framework", "import", fw_file)
    capsys.readouterr()
    assert dti(data_dir, "framework", "show", "small-2024", "--group", "xa", "--json") == 0
    first = capsys.readouterr().out
    dti(data_dir, "framework", "show", "small-2024", "--group", "xa", "--json")
    assert capsys.readouterr().out == first                     # a pure function of the data
    shown = json.loads(first)
    assert [g["code"] for g in shown["groups"]] == ["xa"] and shown["groups"][0]["max"] == 200
    assert {i["code"]: i["max"] for i in shown["indicators"]} == {"1": 100, "1.1": 60, "1.2": 40, "2": 100,
                                                                "2.1": 100}
    assert str(data_dir) not in first


def test_show_text_in_vietnamese(data_dir, fw_file, capsys):
    dti(data_dir, "framework", "import", fw_file)
    capsys.readouterr()
    assert dti(data_dir, "framework", "show", "small-2024", "--group", "xa", lang="vi") == 0
    out = capsys.readouterr().out
    assert "Nhập điểm từ 0 đến 60" in out and "01/01/2024 – 31/12/2024" in out and "Tốt ≥ 90,00 %" in out


@pytest.mark.parametrize("args,reason", [
    (("framework", "show", "nope"), "unknown framework 'nope'"),
    (("framework", "show", "hy-2023", "--group", "tinh"), "has no group 'tinh'"),
    (("framework", "import", "/nonexistent/fw.yaml"), "cannot read the file"),
    (("framework", "export", "hy-2023", "--out", "x.docx"), "cannot tell the format"),
])
def test_mistakes_exit_nonzero_with_one_line(data_dir, args, reason, capsys):
    assert dti(data_dir, *args) != 0
    err = capsys.readouterr().err
    assert reason in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize("broken,reason", [
    (SMALL.replace('"1.2"', '"1.1"'), "duplicate code '1.1'"),
    (SMALL.replace("{huyen: 200, xa: 100}\n", "{huyen: 200, phuong: 100}\n"), "unknown group 'phuong'"),
    (SMALL.replace("{type: points}, evidence: none}", "{type: magic}, evidence: none}"), "unknown rule type"),
    (SMALL + "  - [unclosed\n", "broken YAML"),
])
def test_rejected_framework_leaves_nothing_behind(data_dir, fw_file, tmp_path, broken, reason, capsys):
    dti(data_dir, "framework", "import", fw_file)
    capsys.readouterr()
    before = snapshot(data_dir)
    bad = tmp_path / "bad.dti.yaml"
    bad.write_text(broken.replace("small-2024", "small-2025"), encoding="utf-8")
    assert dti(data_dir, "framework", "import", bad) == 1
    err = capsys.readouterr().err
    assert "bad.dti.yaml" in err and reason in err and len(err.strip().splitlines()) == 1
    assert snapshot(data_dir) == before


def test_vietnamese_reason_by_default(data_dir, capsys):
    assert main(["--data-dir", str(data_dir), "framework", "show", "nope"]) == 1
    assert "Không có bộ chỉ số 'nope'" in capsys.readouterr().err


def test_export_xlsx_and_reimport_is_identity(data_dir, tmp_path, capsys):
    out = tmp_path / "hy.xlsx"
    assert dti(data_dir, "framework", "export", "hy-2023", "--out", out) == 0
    capsys.readouterr()
    assert dti(data_dir, "framework", "list", "--json") == 0
    bundled = {f["id"]: f["sha256"] for f in json.loads(capsys.readouterr().out)["frameworks"]}
    assert dti(data_dir, "framework", "import", out) == 0
    capsys.readouterr()
    assert dti(data_dir, "framework", "list", "--json") == 0
    after = {f["id"]: f for f in json.loads(capsys.readouterr().out)["frameworks"]}
    assert after["hy-2023"]["sha256"] == bundled["hy-2023"]
    assert after["hy-2023"]["source"] == "imported"


def test_export_yaml_reimports_to_the_same_hash(data_dir, fw_file, tmp_path, capsys):
    dti(data_dir, "framework", "import", fw_file)
    out = tmp_path / "again.dti.yaml"
    assert dti(data_dir, "framework", "export", "small-2024", "--out", out) == 0
    other = tmp_path / "other-data"
    assert dti(other, "framework", "import", out) == 0
    assert snapshot(other / "frameworks") == snapshot(data_dir / "frameworks")


def test_a_new_version_becomes_current_and_the_old_stays_addressable(data_dir, fw_file, tmp_path, capsys):
    dti(data_dir, "framework", "import", fw_file)
    v2 = tmp_path / "v2.dti.yaml"
    v2.write_text(SMALL.replace("max: 60,", "max: 59,").replace("max: 40,", "max: 41,"), encoding="utf-8")
    dti(data_dir, "framework", "import", v2)
    capsys.readouterr()
    dti(data_dir, "framework", "list", "--json")
    listed = {f["id"]: f for f in json.loads(capsys.readouterr().out)["frameworks"]}
    v1_hash = next(p.name[:64] for p in (data_dir / "frameworks" / "small-2024").glob("*.dti.json")
                   if p.name[:64] != listed["small-2024"]["sha256"])
    assert dti(data_dir, "framework", "show", f"small-2024@{v1_hash[:10]}", "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["sha256"] == v1_hash
    assert {i["code"]: i["max"] for i in shown["indicators"]}["1.1"] == {"huyen": 60, "xa": 60}


def test_damaged_store_is_reported_not_believed(data_dir, fw_file, capsys):
    dti(data_dir, "framework", "import", fw_file)
    stored = next((data_dir / "frameworks" / "small-2024").glob("*.dti.json"))
    stored.write_bytes(stored.read_bytes().replace(b'"max":60', b'"max":61'))
    assert dti(data_dir, "framework", "show", "small-2024") == 1
    assert "damaged" in capsys.readouterr().err
