"""Renders the application's screens offscreen to PNG files (for `make screenshots` and the README):
the first-run wizard's pages and the main window on a practice unit with a few values and one evidence
file. Everything runs on a throwaway data directory and settings file."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication, QCommandLinkButton

from app.services import evidence_service, first_run
from app.services.workspace import Workspace
from app.ui.app import grab_png, make_application
from app.ui.context import AppContext
from app.ui.ops import Runner
from app.ui.settings import AppSettings

SAMPLE_VALUES = {"TT.2": "24", "TT.7": "20", "TT.9": "9", "TT.10": "2150", "TT.11": "5400", "1.1": "1", "1.2": "5",
                 "1.3.1": "4", "1.3.2": "có", "1.4": "6", "2.1": "1", "2.2": "7/9", "3.1": "20", "3.2": "có",
                 "6.8": "12,5"}


def sample_pdf(path: Path, pages: int = 3) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), invariant=1)
    for n in range(1, pages + 1):
        pdf.drawString(72, 760, f"Bien ban hop Ban chi dao chuyen doi so - trang {n}")
        pdf.showPage()
    pdf.save()
    return path


def sample_unit(folder: Path) -> Path:
    first_run.start_practice(folder, "hy-2023", "xa", "UBND xã Tân Dân")
    with Workspace(folder) as ws:
        for code, value in SAMPLE_VALUES.items():
            ws.set_entry(code, value)
        evidence_service.add_evidence(ws, "1.2", [sample_pdf(folder.parent / "Biên bản họp BCĐ.pdf")])
        ws.set_explanation("1.2", "Biên bản 5 cuộc họp do Chủ tịch UBND xã chủ trì.")
    return folder


def render_all(out: Path, size: tuple[int, int] = (1280, 800)) -> list[Path]:
    from app.ui.first_run_wizard import FirstRunWizard
    from app.ui.main_window import MainWindow

    make_application("vi")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="dti-shots-") as scratch:
        root = Path(scratch)
        ctx = AppContext("vi", AppSettings(root / "dti.ini"), Runner(synchronous=True))
        wizard = FirstRunWizard(ctx, root / "empty")
        for name, step in (("wizard-choose", None), ("wizard-practice", first_run.PRACTICE)):
            if step:
                wizard.findChild(QCommandLinkButton, f"choice:{step}").click()
            grab_png(wizard, out / f"{name}.png", (760, 520))
            written.append(out / f"{name}.png")
        wizard.close()
        window = MainWindow(ctx, sample_unit(root / "unit"))
        window.select("1.2")
        for name, setup in (("main-window", None), ("main-ratio", lambda: window.select("2.2")),
                            ("main-info", lambda: window.jump_to("TT.2"))):
            if setup:
                setup()
            grab_png(window, out / f"{name}.png", size)
            written.append(out / f"{name}.png")
        window.close()
        QApplication.processEvents()
        ctx.runner.shutdown()
    return written


if __name__ == "__main__":
    import sys

    for path in render_all(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
