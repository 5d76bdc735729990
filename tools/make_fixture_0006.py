"""Writes tests/fixtures/datadirs/0006: a data directory of schema 0006 (rounds), as this release writes it.

A district (H-KC) of the three-tier world in two rounds: hy-2023 and hy-2024 (the same framework under the next
year's id). In each round it filled in its own entries, imported its commune X-TH's package and appraised it;
2024 reached it as a round file from the province, and the district passed it on to its commune. Run from the
project root: `.venv/bin/python tools/make_fixture_0006.py` (it replaces the folder).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASS = "fixture-passphrase-1"
TARGET = ROOT / "tests" / "fixtures" / "datadirs" / "0006"


def main() -> int:
    os.environ.update(DTI_PASSPHRASE=PASS, DTI_UNIT_PASSPHRASE=PASS, QT_QPA_PLATFORM="offscreen")
    from app.cli.main import main as dti
    from app.frameworks.loader import load_file
    from app.services.demo import illustrative_units
    from app.services.workspace import Workspace

    def run(data: Path, *args: object) -> None:
        code = dti(["--data-dir", str(data), "--lang", "en", *map(str, args)])
        if code != 0:
            raise SystemExit(f"dti {' '.join(map(str, args))} failed at {data.name}")

    def fill(data: Path, group: str, seed: int) -> None:
        with Workspace(data) as ws:
            fw = ws.state().loaded.framework
            unit = next(u for u in illustrative_units(fw, per_group=1, seed=seed) if u.group == group)
            ws.set_entries({**{c: v for c, v in unit.values.items() if v is not None}, **unit.info}, {}, None,
                           "entry.import")

    with tempfile.TemporaryDirectory() as scratch:
        w = Path(scratch)
        prov, hkc, xth = w / "prov", w / "hkc", w / "xth"
        hy23 = ROOT / "resources" / "frameworks" / "hy-2023.dti.yaml"
        text = hy23.read_text(encoding="utf-8")
        fw23 = load_file(hy23).framework
        hy24 = w / "hy-2024.dti.yaml"
        hy24.write_text(text.replace(f"id: {fw23.id}", "id: hy-2024").replace("year: 2023", "year: 2024", 1),
                        encoding="utf-8")
        run(prov, "authority", "init", "--code", "T-HY", "--name", "Sở Khoa học và Công nghệ tỉnh Hưng Yên")
        run(prov, "framework", "import", hy23)
        run(prov, "enroll", "issue", "--framework", "hy-2023", "--unit-code", "H-KC", "--unit-name",
            "UBND huyện Khoái Châu", "--group", "huyen", "--can-issue", "--out", w / "hkc.dtienroll")
        run(hkc, "enroll", "accept", w / "hkc.dtienroll")
        run(hkc, "enroll", "issue", "--framework", "hy-2023", "--unit-code", "X-TH", "--unit-name",
            "UBND xã Tân Hưng", "--group", "xa", "--out", w / "xth.dtienroll")
        run(xth, "enroll", "accept", w / "xth.dtienroll")
        for year, seed in ((2023, 1), (2024, 2)):
            if year == 2024:
                run(prov, "framework", "import", hy24)
                run(prov, "round", "open", "hy-2024", "--deadline", "2024-10-31")
                run(prov, "round", "export", "--out", w / "r24.dtiround")
                run(hkc, "round", "accept", w / "r24.dtiround")
                run(hkc, "round", "export", "--out", w / "r24-hkc.dtiround")
                run(xth, "round", "accept", w / "r24-hkc.dtiround")
            fill(hkc, "huyen", seed)
            fill(xth, "xa", seed + 10)
            pkg = w / f"xth-{year}.dtipkg"
            run(xth, "package", "export", "--out", pkg)
            run(hkc, "package", "import", pkg)
            run(hkc, "appraise", "set", "X-TH", "1.1", "0", "--comment", f"Thiếu biên bản họp năm {year}")
        if TARGET.exists():
            shutil.rmtree(TARGET)
        shutil.copytree(hkc, TARGET, ignore=shutil.ignore_patterns("logs", "backups", "dti.lock", "*-wal", "*-shm"))
    con = sqlite3.connect(TARGET / "dti.sqlite3")
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("round", "round_unit", "entry", "submission", "enrollment", "credential", "appraisal",
                          "score_cache")}
    finally:
        con.close()
    expect = {"unit": "H-KC", "passphrase": PASS, "rows": rows,
              "rounds": {"hy-2023": {"appraised": {"X-TH": {"1.1": "0"}}}, "hy-2024": {"appraised": {"X-TH": {"1.1": "0"}}}},
              "current_round": "hy-2024"}
    (TARGET / "EXPECT.json").write_text(json.dumps(expect, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    print(f"{TARGET}: {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
