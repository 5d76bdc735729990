"""Application start-up: QApplication (high-DPI, a font that covers Vietnamese, Vietnamese by default),
then the first-run wizard or the main window; `--screenshot` renders offscreen and exits."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QtMsgType, QTranslator, qInstallMessageHandler
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.errors import UserError
from app.paths import resource_dir
from app.ui import startup_trace
from app.ui.context import AppContext
from app.ui.icons import app_icon
from app.ui.ops import Runner
from app.ui.settings import DATA_DIR, AppSettings
from app.ui.text import tr

CTX = "App"
VIETNAMESE_SAMPLE = "ĐđƠơƯưẾếỆệỞởỮữẶặỹ"
_translators: list[QTranslator] = []   # kept alive for the application's lifetime


def covers_vietnamese(font: QFont) -> bool:
    metrics = QFontMetrics(font)
    return all(metrics.inFontUcs4(ord(ch)) for ch in VIETNAMESE_SAMPLE)


def install_font(app: QApplication) -> None:
    """Keep the system font where it has every Vietnamese letter (Segoe UI on Windows does); otherwise
    use the bundled DejaVu Sans, so no diacritic ever falls back to boxes."""
    font = app.font()
    if covers_vietnamese(font):
        return
    fonts = resource_dir() / "fonts"
    family = None
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(fonts / name))
        if font_id >= 0 and family is None:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        chosen = QFont(family)
        chosen.setPointSizeF(max(9.0, font.pointSizeF()))
        app.setFont(chosen)


def install_translations(app: QApplication, lang: str) -> None:
    """Vietnamese is the source language; English comes from `resources/i18n` (the `.qm` a build
    compiled, else the `.ts` itself: see app.ui.translations)."""
    from app.ui.translations import install

    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam) if lang == "vi"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    translator = install(lang)
    if translator is not None:
        _translators.append(translator)


def _qt_messages(kind: QtMsgType, _context, message: str) -> None:
    """Qt's own diagnostics go to the log file, never to the officer's console (DESIGN §7)."""
    level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
    if "propagateSizeHints" in message:   # the offscreen platform's notice on every window: not a problem
        level = logging.DEBUG
    logging.getLogger("dti.qt").log(level, "%s", message)


def make_application(lang: str = "vi") -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qInstallMessageHandler(_qt_messages)
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication([sys.argv[0] if sys.argv else "dti"])
    QCoreApplication.setOrganizationName("DTI")
    QCoreApplication.setApplicationName("DTI")
    app.setWindowIcon(app_icon())
    install_font(app)
    install_translations(app, lang)
    app.setApplicationDisplayName(tr(CTX, "DTI"))
    return app


def choose_data_dir(given: Path, explicit: bool, settings: AppSettings) -> Path:
    """The data directory: an explicit --data-dir / DTI_DATA_DIR wins; otherwise the folder the officer
    opened in the wizard last time, if it still exists; otherwise the platform default."""
    if explicit:
        return given
    remembered = settings.get(DATA_DIR)
    return Path(remembered) if remembered and Path(remembered).is_dir() else given


def grab_png(widget: QWidget, out: Path, size: tuple[int, int]) -> None:
    widget.resize(*size)
    widget.show()
    for _ in range(3):   # layouts settle over a few event-loop passes
        QApplication.processEvents()
    startup_trace.mark_usable()   # shown, data in, events processed: what the PNG shows is usable now
    image = widget.grab().toImage()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise UserError(f"cannot write {out}", f"không ghi được {out}")


def run_gui(data_dir: Path, *, lang: str = "vi", explicit_dir: bool = True, screenshot: Path | None = None,
            size: tuple[int, int] = (1280, 800), settings_path: Path | None = None,
            open_file: Path | None = None) -> int:
    """`open_file`: a hand-off file the application was opened with (double-click, `dti FILE`), taken
    to its import flow by app.ui.open_file.

    Start-up is on a budget (DESIGN §9: usable in ≤ 1.5 s, see app.ui.startup_trace): the store is opened
    once, by the window that is chosen (the choice itself reads two tables with sqlite3), and each kind of
    window is imported only when it is the one shown."""
    app = make_application(lang)
    settings = AppSettings(settings_path)
    ctx = AppContext(lang, settings, Runner(synchronous=screenshot is not None))
    data_dir = choose_data_dir(Path(data_dir), explicit_dir, settings)
    from app.ui.open_file import OpenRequest, hold_app_mutex

    hold_app_mutex()
    request = OpenRequest(ctx, open_file) if open_file is not None else None
    try:
        from app.services.aggregator_view import data_dir_is_aggregator

        if data_dir_is_aggregator(data_dir):   # a district or the province: collect, appraise, rank
            from app.ui.aggregator.window import AggregatorWindow

            window = AggregatorWindow(ctx, data_dir)
            if screenshot is not None:
                window.resize(*size)
                grab_png(window, screenshot, size)
                window.close()
                return 0
            window.show()
            startup_trace.when_loaded(window)
            if request is not None:
                request.apply(window)
            return app.exec()
        from app.services.first_run import has_unit

        if not has_unit(data_dir):
            from app.ui.first_run_wizard import FirstRunWizard

            wizard = FirstRunWizard(ctx, data_dir)
            if request is not None and screenshot is None:
                request.apply(wizard)
            if screenshot is not None:
                grab_png(wizard, screenshot, size)
                wizard.close()
                return 0
            startup_trace.after_pending_events()   # the wizard has its choices at construction
            if wizard.exec() != FirstRunWizard.DialogCode.Accepted or wizard.result_data is None:
                return 0
            data_dir = wizard.result_data.data_dir
        from app.ui.main_window import MainWindow

        window = MainWindow(ctx, data_dir)
        if screenshot is not None:
            if window.reopened_at is None:
                window.select_meaningful()
            window.resize(*size)
            grab_png(window, screenshot, size)
            window.close()
            return 0
        window.show()
        startup_trace.when_loaded(window)
        if request is not None and not request.routed:   # not already shown to the first-run wizard
            request.apply(window)
        return app.exec()
    except UserError as e:
        if screenshot is None:   # a windowed start has no console: say it in a window, then exit non-zero
            box = QMessageBox(QMessageBox.Icon.Critical, tr(CTX, "DTI"), e.message_vi)
            box.addButton(tr(CTX, "Đóng"), QMessageBox.ButtonRole.AcceptRole)
            box.exec()
        raise
    finally:
        ctx.runner.shutdown()
