"""Entry points of the aggregator's window: whether an installation is an aggregator, opening the window,
and rendering its pages offscreen to PNG (`dti gui --screenshot` in aggregator mode, `make screenshots`)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.services.aggregator_view import data_dir_is_aggregator, is_aggregator
from app.ui.context import AppContext

PAGES = ("dashboard", "import", "units", "appraisal", "feedback", "ranking", "enrollment")


__all__ = ["PAGES", "data_dir_is_aggregator", "is_aggregator", "open_aggregator_window", "render_aggregator_screenshot"]


def open_aggregator_window(ctx: AppContext, data_dir: Path, *, previous: str | None = None, show: bool = True):
    """Create (and show) the aggregator's window on `data_dir`; the caller keeps the reference."""
    from app.ui.aggregator.window import AggregatorWindow

    window = AggregatorWindow(ctx, Path(data_dir), previous=previous)
    if show:
        window.show()
    return window


def render_aggregator_screenshot(data_dir: Path, png: Path, size: tuple[int, int] = (1280, 800), *,
                                 page: str | int = "dashboard", lang: str = "vi", unit: str | None = None,
                                 previous: str | None = None, prepare: Callable[[Any], None] | None = None) -> Path:
    """Render one page of the aggregator's window offscreen to `png` (synchronous work, throwaway settings);
    `prepare(window)` may set the page up first (files to preview, a row to select)."""
    from PySide6.QtWidgets import QApplication

    from app.ui.aggregator.window import AggregatorWindow
    from app.ui.app import grab_png, make_application
    from app.ui.ops import Runner
    from app.ui.settings import AppSettings

    if QApplication.instance() is None:   # nothing is shown on screen: render offscreen, also without a display
        import os

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    make_application(lang)
    with tempfile.TemporaryDirectory(prefix="dti-shot-") as tmp:
        ctx = AppContext(lang, AppSettings(Path(tmp) / "dti.ini"), Runner(synchronous=True))
        window = AggregatorWindow(ctx, Path(data_dir), previous=previous)
        try:
            index = PAGES.index(page) if isinstance(page, str) else int(page)
            window.tabs.setCurrentIndex(index)
            if unit:
                window.open_unit(unit)
            if prepare is not None:
                prepare(window)
            window.resize(*size)
            grab_png(window, Path(png), size)
        finally:
            window.close()
            QApplication.processEvents()
            ctx.runner.shutdown()
    return Path(png)


def render_all_aggregator(out: Path, size: tuple[int, int] = (1280, 800), lang: str = "vi") -> list[Path]:
    """Every page of the aggregator's window on the sample district (app.ui.aggregator.sample), as
    `out/aggregator-<page>.png`; for `make screenshots`. Takes about 15 s (keys and signatures are real)."""
    from app.ui.aggregator.sample import build_sample_district

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="dti-agg-shots-") as scratch:
        district = build_sample_district(Path(scratch))
        files = Path(scratch) / "files"
        (files / "goi-hong.dtipkg").write_bytes(b"not a package" * 40)

        def preview(window) -> None:
            window.import_page.add_paths(sorted(files.glob("*.dtipkg")))
            window.import_page.run(dry_run=True)

        def appraise(window) -> None:   # the criterion with evidence: the minutes previewed beside the findings
            window.open_unit("X-TL04")
            window.appraisal_page.select_code("1.1")

        def ranking(window) -> None:    # a unit chosen: its radar, its row framed on the heat map
            window.ranking_page.select_unit("X-TL03")

        setups: dict[str, Callable[[Any], None]] = {"import": preview, "appraisal": appraise, "ranking": ranking}
        for page in PAGES:
            png = out / f"aggregator-{page}.png"
            render_aggregator_screenshot(district, png, size, page=page, lang=lang, prepare=setups.get(page))
            written.append(png)
    return written


if __name__ == "__main__":
    import sys

    for path in render_all_aggregator(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
