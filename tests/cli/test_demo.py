"""`dti demo`: the whole chain on the bundled framework, as the README's first command runs it."""

from __future__ import annotations

import json
from pathlib import Path

from app.cli.main import main


def test_demo_runs_the_whole_chain_and_ranks(tmp_path: Path, capsys):
    out = tmp_path / "demo"
    assert main(["--data-dir", str(tmp_path / "data"), "demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "MINH HỌA" in printed and "Kết quả xếp hạng của tỉnh" in printed
    ranking = json.loads((out / "xep-hang.json").read_text(encoding="utf-8"))
    counts = {g["code"]: len(g["units"]) for g in ranking["groups"]}
    assert counts == {"so-dvc": 2, "so-khong-dvc": 2, "huyen": 2, "xa": 6}
    for group in ranking["groups"]:
        ranks = [u["rank"] for u in group["units"]]
        totals = [u["total"] for u in group["units"]]
        assert totals == sorted(totals, reverse=True)
        assert all(r == 1 + sum(1 for t in totals if t > totals[i]) for i, r in enumerate(ranks))
    files = out / "tep-chuyen-giao"
    assert (files / "X-TT-r2.dtipkg").is_file()                 # the second revision after feedback
    assert len(list(files.glob("*.dtibundle"))) == 2
    assert len(list(files.glob("*-phieu.pdf"))) == 12            # one enrollment sheet per enrolled unit
    reports = out / "bao-cao"                                   # what the province publishes, what a commune prints
    assert sorted(p.name for p in reports.iterdir()) == ["X-TT-bao-cao.pdf", "X-TT-ho-so-minh-chung.pdf",
                                                         "xep-hang.pdf", "xep-hang.xlsx"]
    import openpyxl

    book = openpyxl.load_workbook(reports / "xep-hang.xlsx", read_only=True)
    assert len(book.sheetnames) == 4 + 2                         # a sheet per group, detail, completeness
    book.close()
    assert "bao-cao/xep-hang.pdf" in printed
    # a second run into the same folder replaces the previous demo; a foreign non-empty folder is refused
    assert main(["--data-dir", str(tmp_path / "data"), "demo", "--out", str(out)]) == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("x", encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "data"), "--lang", "en", "demo", "--out", str(other)]) == 1
    assert (other / "keep.txt").is_file()
