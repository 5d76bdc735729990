"""`dti gui [--screenshot FILE.png] [--size WxH]`: the desktop application.

With --screenshot the main window (or the first-run wizard when the data directory has no unit yet) is
rendered offscreen after loading, saved as PNG, and the command exits: documentation screenshots and
smoke tests need no display.
"""

from __future__ import annotations

import argparse
import gc
import os
import re

from app.errors import UserError

_SIZE = re.compile(r"^\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*$")


def parse_size(text: str) -> tuple[int, int]:
    match = _SIZE.match(text or "")
    if not match or not (200 <= int(match[1]) <= 8000 and 200 <= int(match[2]) <= 8000):
        raise UserError(f"--size '{text}' must be WIDTHxHEIGHT in pixels, e.g. 1280x800",
                        f"--size '{text}' phải có dạng RỘNGxCAO tính bằng điểm ảnh, ví dụ 1280x800")
    return int(match[1]), int(match[2])


def run(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    if args.screenshot is not None and not str(args.screenshot).lower().endswith(".png"):
        raise UserError(f"--screenshot {args.screenshot}: the file must end in .png",
                        f"--screenshot {args.screenshot}: tệp phải có đuôi .png")
    if args.screenshot is not None:
        # nothing is shown on screen: render offscreen, also where there is no display at all
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Start-up is on a budget (DESIGN §9; app.ui.startup_trace). Two things make the imports below cheaper:
    # - The data layer first, Qt second. Once PySide6 is imported it replaces `__import__` and reads the
    #   source of every module imported after it, looking for "PySide6" (its `__feature__` switching,
    #   PYSIDE-2029): SQLAlchemy and the ORM, which every window needs to open its store, import ~0.15 s
    #   faster before Qt than after it. Nothing in these service modules imports Qt.
    # - No cyclic garbage collection while importing: the imports allocate a few hundred thousand objects
    #   that live as long as the process, and the collector kept walking them (~0.1–0.2 s of CPU). They
    #   are then frozen (never scanned again) and collection is back on before any window is built.
    gc.disable()
    try:
        from app.services import aggregator_view, first_run, unit_view  # noqa: F401

        try:
            # The CLI is the GUI's launcher here and nothing more: `dti gui` is one command of the same
            # executable (DESIGN §7); tests/test_layers.py allows exactly this import. Imported when the
            # command runs, so that every other command starts without Qt.
            from app.ui.app import run_gui
        except ImportError as e:   # a server install without Qt: one line, not a traceback
            raise UserError(f"the desktop application needs PySide6 ({e})",
                            f"ứng dụng giao diện cần thư viện PySide6 ({e})") from None
    finally:
        gc.freeze()
        gc.enable()
    explicit = bool(args.data_dir or os.environ.get("DTI_DATA_DIR"))
    return run_gui(args.data_path, lang=args.lang, explicit_dir=explicit, screenshot=args.screenshot, size=size,
                   open_file=getattr(args, "open_file", None))   # `dti FILE` (app.cli.main)
