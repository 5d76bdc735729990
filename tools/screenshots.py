"""`make screenshots`: every kind of PDF the suite writes (page 1) and the desktop application's screens,
rendered to PNG in docs/screenshots/ from a fresh demo run, so that the README shows what a user sees.

Needs `pdftoppm` (poppler-utils) for the PDF pages; says so and stops if it is missing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pdf_page(pdf: Path, png: Path, page: int = 1, dpi: int = 70) -> None:
    """Render one page with pdftoppm (it appends the page number to the prefix; rename to the wanted name)."""
    prefix = png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(prefix)], check=True)


def gui_shot(data_dir: Path, png: Path, *extra: str) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    subprocess.run([sys.executable, "-m", "app.cli.main", "--data-dir", str(data_dir), "gui", "--screenshot", str(png),
                    *extra], check=True, env=env, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if shutil.which("pdftoppm") is None:
        print("make screenshots: pdftoppm (poppler-utils) is needed to render PDF pages", file=sys.stderr)
        return 1
    from app.services.demo_run import run_demo
    from app.services.report_dossier import write_dossier
    from app.services.report_ranking import write_ranking_report
    from app.services.report_unit import write_unit_report
    from app.services.workspace import Workspace

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dti-shots-") as tmp:
        base = Path(tmp) / "demo"
        run_demo(base, log=lambda _line: None)
        pdfs = Path(tmp) / "pdf"
        pdfs.mkdir()
        commune = sorted(p.name for p in base.iterdir() if p.is_dir() and p.name.startswith("X"))[0]
        with Workspace(base / "tinh", write=False) as ws:
            write_ranking_report(ws, pdfs / "ranking.pdf", group=None, framework=None, lang="vi")
        with Workspace(base / commune, write=False) as ws:
            write_unit_report(ws, pdfs / "unit.pdf", unit_code=None, lang="vi")
            write_dossier(ws, pdfs / "dossier.pdf", unit_code=None, lang="vi")
        sheet = next((base / "tep-chuyen-giao").glob(f"{commune}*-phieu.pdf"))
        shots = {"report-ranking.png": (pdfs / "ranking.pdf", 1), "report-unit.png": (pdfs / "unit.pdf", 1),
                 "report-unit-indicators.png": (pdfs / "unit.pdf", 3), "report-dossier.png": (pdfs / "dossier.pdf", 1),
                 "enrollment-sheet.png": (sheet, 1)}
        for name, (pdf, page) in shots.items():
            pdf_page(pdf, args.out / name, page)
            print(args.out / name)
        gui_shot(base / commune, args.out / "gui-demo-commune.png")   # `dti gui --screenshot` on a demo commune
        print(args.out / "gui-demo-commune.png")
    # every screen and dialog of the desktop application, on a throwaway practice unit
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    subprocess.run([sys.executable, "-m", "app.ui.screenshots", str(args.out)], check=True, env=env, cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
