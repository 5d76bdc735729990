"""Renders the application's screens offscreen to PNG files (for `make screenshots` and the README):
the first-run wizard's pages, the main window on a practice unit with a few values and one evidence
file, the export dialog before and after an export, the feedback state with its "Cần giải trình" filter,
the Excel error table, and the next year's round: the round file accepted, the Đợt đánh giá menu and the
carry-over banner of the general information. An enrolled unit and its province are made on the spot with the services.
Everything runs on a throwaway data directory and settings file. Windows take the screen's size
(`--size`, 1280×800 by default; `make screenshots` also renders 1366×768, the common laptop); dialogs
keep their own size."""

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


PROVINCE_PASS = "screenshot-province-1"
UNIT_PASS = "screenshot-unit-1"


def enrolled_unit(root: Path) -> tuple[Path, Path]:
    """(province data dir, enrolled commune data dir) with the sample values, on the bundled framework."""
    from app.services.enrollment import issue
    from app.services.trust_service import authority_init

    province = root / "province"
    with Workspace(province) as ws:
        authority_init(ws, "STTTT-HY", "Sở Thông tin và Truyền thông Hưng Yên", PROVINCE_PASS)
        issue(ws, framework_ref="hy-2023", unit_code="X-TD", unit_name="UBND xã Tân Dân", group="xa",
              out=root / "X-TD.dtienroll", can_issue=False, passphrase=PROVINCE_PASS, unit_passphrase=UNIT_PASS)
    flow = first_run.FirstRunFlow(root / "commune")
    flow.choose(first_run.ENROLL)
    flow.submit_enrollment_file(root / "X-TD.dtienroll")
    flow.submit_passphrase(UNIT_PASS)
    with Workspace(root / "commune") as ws:
        for code, value in SAMPLE_VALUES.items():
            ws.set_entry(code, value)
        evidence_service.add_evidence(ws, "1.2", [sample_pdf(root / "Biên bản họp BCĐ.pdf")])
    return province, root / "commune"


def appraise_and_send_feedback(province: Path, package: Path, out: Path) -> Path:
    from app.services.aggregate import appraise_set
    from app.services.feedback import export_feedback
    from app.services.package_import import import_paths

    with Workspace(province) as ws:
        import_paths(ws, [package])
        appraise_set(ws, "X-TD", "1.1", "0", "Chưa có quyết định thành lập Ban chỉ đạo kèm theo", True)
        appraise_set(ws, "X-TD", "1.3.1", "2", "Chỉ 2 cuộc họp có biên bản", True)
        appraise_set(ws, "X-TD", "1.2", None, "Đạt")
        export_feedback(ws, "X-TD", out, PROVINCE_PASS)
    return out


def excel_refusal(window, root: Path) -> str:
    """The refusal line of a workbook with three bad cells, as an officer would meet it."""
    import openpyxl

    from app.errors import UserError
    from app.services.entry_import import import_entries, write_template

    template = root / "mau.xlsx"
    write_template(window.ws, template)
    wb = openpyxl.load_workbook(template)
    sheet = wb["Chỉ số"]
    bad = {"1.1": "5", "1.4": "sáu", "2.2": "12/9"}
    for row in sheet.iter_rows(min_row=4):
        if row[0].value in bad:
            row[5].value = bad[row[0].value]
    wb["Thông tin chung"]["E5"] = "-3"
    wb.save(root / "da_nhap.xlsx")
    try:
        import_entries(window.ws, root / "da_nhap.xlsx")
    except UserError as e:
        return e.message_vi
    return ""


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
        written += render_hand_offs(ctx, root, out, size)
        QApplication.processEvents()
        ctx.runner.shutdown()
    from app.ui.aggregator.launch import render_all_aggregator

    written += render_all_aggregator(out, size)
    return written


def render_hand_offs(ctx: AppContext, root: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    """The export dialog, feedback with its filter, and the Excel error table, on an enrolled unit."""
    from datetime import datetime

    from app.ui.entry_errors import EntryErrorsDialog
    from app.ui.main_window import MainWindow
    from app.ui.tree_filter import NEEDS_EXPLANATION

    written = []
    province, commune = enrolled_unit(root)
    usb = root / "media" / "can-bo" / "KINGSTON"
    usb.mkdir(parents=True)
    window = MainWindow(ctx, commune)
    window.file_actions.export_dialog_options = {"drives": lambda: [usb], "clock": lambda: datetime(2023, 9, 25, 9, 30)}
    window.resize(*size)
    window.show()
    window.file_actions.export_package()
    dialog = window.file_actions.export_dialog
    grab_png(dialog, out / "export-review.png", (720, dialog.sizeHint().height()))   # what is missing, first
    if dialog.go_on_button.isVisible():
        dialog.go_on()
    dialog.passphrase.setText(UNIT_PASS)
    grab_png(dialog, out / "export-dialog.png", (720, dialog.sizeHint().height()))
    dialog.start()
    grab_png(dialog, out / "export-done.png", (720, 420))
    package = dialog.outcome.files[0][0]
    dialog.close()
    written += [out / "export-review.png", out / "export-dialog.png", out / "export-done.png"]

    feedback = appraise_and_send_feedback(province, package, root / "X-TD.phanhoi")
    window.file_actions.choose_open = lambda *_args: str(feedback)
    window.file_actions.import_feedback()
    grab_png(window.file_actions.last_box, out / "feedback-imported.png", (560, 200))
    window.file_actions.last_box.close()
    window.filter_combo.setCurrentIndex(window.filter_combo.findData(NEEDS_EXPLANATION))
    window.select("1.3.1")
    grab_png(window, out / "main-feedback-filter.png", size)
    written += [out / "feedback-imported.png", out / "main-feedback-filter.png"]

    errors = EntryErrorsDialog("da_nhap.xlsx", excel_refusal(window, root), window)
    grab_png(errors, out / "excel-errors.png", (820, 360))
    errors.close()
    written.append(out / "excel-errors.png")
    written += render_next_round(window, next_round_file(province, root), out, size)
    window.close()
    return written


def next_round_file(province: Path, root: Path) -> Path:
    """The province opens 2024 on the bundled 2023 framework moved one year on, and writes its round file."""
    from app.paths import resource_dir
    from app.services.round_file import export_round
    from app.services.rounds import open_round

    text = (resource_dir() / "frameworks" / "hy-2023.dti.yaml").read_text(encoding="utf-8")
    text = text.replace("2023", "2024").replace("2022", "2023")   # id, title, period, dates: one year on
    source = root / "hy-2024.dti.yaml"
    source.write_text(text, encoding="utf-8")
    with Workspace(province) as ws:
        ws.frameworks.import_file(source)
        open_round(ws, "hy-2024", "2024-10-31")
        return export_round(ws, root / "dot-danh-gia-hy-2024.dtiround", PROVINCE_PASS).path


def render_next_round(window, round_file: Path, out: Path, size: tuple[int, int]) -> list[Path]:
    """The unit takes the round file (Đợt đánh giá → Nhận tệp đợt đánh giá…): the message, the menu with both
    years, and the Thông tin chung tab offering the 2023 values again."""
    from PySide6.QtGui import QPainter

    from app.ui.main_window import TAB_INFO

    window.show_all()
    window.round_menu.accept_file(round_file)
    grab_png(window.round_menu.last_box, out / "round-accepted.png", (560, 230))
    window.round_menu.last_box.close()
    menu = window.round_menu.menu
    grab_png(window, out / "main-round-menu.png", size)
    bar = window.menuBar()
    where = bar.actionGeometry(menu.menuAction()).bottomLeft()
    menu.popup(bar.mapToGlobal(where))
    QApplication.processEvents()
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(bar.mapTo(window, where), menu.grab())
    painter.end()
    menu.hide()
    picture.save(str(out / "main-round-menu.png"), "PNG")
    window.tabs.setCurrentIndex(TAB_INFO)
    grab_png(window, out / "main-carry-over.png", size)
    return [out / "round-accepted.png", out / "main-round-menu.png", out / "main-carry-over.png"]


def parse_size(text: str) -> tuple[int, int]:
    """"1366x768" -> (1366, 768)"""
    width, _, height = text.lower().partition("x")
    return int(width), int(height)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Render the desktop application's screens to PNG files.")
    parser.add_argument("out", type=Path, nargs="?", default=Path("docs/screenshots"))
    parser.add_argument("--size", type=parse_size, default=(1280, 800), help="the screen, e.g. 1366x768")
    args = parser.parse_args()
    for path in render_all(args.out, args.size):
        print(path)
