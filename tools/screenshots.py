"""`make screenshots`: every kind of PDF the suite writes (page 1) and the desktop application's screens,
rendered to PNG from a fresh demo run, so that the README shows what a user sees.

The screens are rendered at two screen sizes: 1280×800 into docs/screenshots/ (the README's pictures)
and 1366×768, the most common office laptop, into docs/screenshots/1366x768/, where text that does not fit
shows first. The PDF pages do not depend on the screen and are rendered once.

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

SIZES = ((1280, 800), (1366, 768))   # the first into --out itself, each other one into --out/WxH/


def pdf_page(pdf: Path, png: Path, page: int = 1, dpi: int = 70) -> None:
    """Render one page with pdftoppm (it appends the page number to the prefix; rename to the wanted name)."""
    prefix = png.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(prefix)], check=True)


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))


def gui_shot(data_dir: Path, png: Path, size: tuple[int, int], *extra: str) -> None:
    """`dti gui --screenshot` on a data directory: the window the application would open there."""
    subprocess.run([sys.executable, "-m", "app.cli.main", "--data-dir", str(data_dir), "gui", "--screenshot", str(png),
                    "--size", f"{size[0]}x{size[1]}", *extra], check=True, env=_env(), cwd=ROOT)


def folder_for(out: Path, size: tuple[int, int]) -> Path:
    return out if size == SIZES[0] else out / f"{size[0]}x{size[1]}"


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

    for size in SIZES:
        folder_for(args.out, size).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dti-shots-") as tmp:
        base = Path(tmp) / "demo"
        run_demo(base, log=lambda _line: None)
        pdfs = Path(tmp) / "pdf"
        pdfs.mkdir()
        commune = "X-TT"   # the demo's commune with feedback and a second revision, in 2023 (the richer round)
        with Workspace(base / "tinh", write=False, round_id="hy-2023") as ws:
            write_ranking_report(ws, pdfs / "ranking.pdf", group=None, framework=None, lang="vi")
        with Workspace(base / commune, write=False, round_id="hy-2023") as ws:
            write_unit_report(ws, pdfs / "unit.pdf", unit_code=None, lang="vi")
            write_dossier(ws, pdfs / "dossier.pdf", unit_code=None, lang="vi")
        sheet = next((base / "tep-chuyen-giao").glob(f"{commune}*-phieu.pdf"))
        shots = {"report-ranking.png": (pdfs / "ranking.pdf", 1), "report-unit.png": (pdfs / "unit.pdf", 1),
                 "report-unit-indicators.png": (pdfs / "unit.pdf", 3), "report-dossier.png": (pdfs / "dossier.pdf", 1),
                 "report-ranking-charts.png": (pdfs / "ranking.pdf", 3), "enrollment-sheet.png": (sheet, 1)}
        for name, (pdf, page) in shots.items():
            pdf_page(pdf, args.out / name, page)
            print(args.out / name)
        for size in SIZES:
            folder = folder_for(args.out, size)
            # `dti gui --screenshot` on a demo commune, and on the demo province: its four unit groups
            gui_shot(base / commune, folder / "gui-demo-commune.png", size)
            gui_shot(base / "tinh", folder / "gui-demo-province.png", size)
            print(folder / "gui-demo-commune.png", folder / "gui-demo-province.png", sep="\n")
    # every screen and dialog of the desktop application, on a throwaway practice unit
    for size in SIZES:
        subprocess.run([sys.executable, "-m", "app.ui.screenshots", str(folder_for(args.out, size)),
                        "--size", f"{size[0]}x{size[1]}"], check=True, env=_env(), cwd=ROOT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
