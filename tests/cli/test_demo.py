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
    assert len(list(files.glob("*-phieu.pdf"))) == 12 + 2        # one enrollment sheet per enrolled unit (2025: 2)
    # 2025, two tiers: the province's own installation holds both rounds; the merged communes are compared with
    # the mean of their predecessors, the commune that goes on (no new enrollment) with its own 2023 rank
    assert "Đợt 2025 (hai cấp, xã hợp nhất)" in printed
    assert "2023: TB 3 xã cũ" in printed and "2023: TB 2 xã cũ" in printed and "2023: hạng" in printed
    assert (files / "dot-2025.dtiround").is_file()
    # the 2025 round asks for encrypted packages: every commune's package went encrypted, and the province opened it
    from app.services.package_crypto import is_encrypted

    assert "yêu cầu mã hoá gói" in printed
    packages_2025 = sorted(files.glob("*-2025-r1.dtipkg"))
    assert len(packages_2025) == 3 and all(is_encrypted([p]) for p in packages_2025)
    from app.services import aggregate, rounds
    from app.services.workspace import Workspace

    with Workspace(out / "tinh", write=False) as prov:
        assert [(r.id, r.current) for r in rounds.all_rounds(prov)] == [("hy-2023", False), ("hn-xa-2025", True)]
        with rounds.working_in(prov, "hy-2023"):
            assert aggregate.rank_summary(prov)[1] and len(aggregate.latest_submissions(prov)) == 12
        assert {r.unit_code for r in aggregate.latest_submissions(prov)} == {"X-NL", "X-TTV", "X-ATH"}
    with Workspace(out / "X-NL", write=False) as unit:   # the 2023 commune: its 2023 work beside 2025, same keys
        assert [r.id for r in rounds.all_rounds(unit)] == ["hy-2023", "hn-xa-2025"]
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
