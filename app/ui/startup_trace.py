"""The start-up trace: when the GUI is usable, for `make bench` (DESIGN §9, "GUI start to usable main window").

When the environment variable DTI_STARTUP_TRACE names a file, the application appends one line to it: the
wall-clock time (`time.time()`, seconds since the epoch, as text) at the moment its first window is usable,
and nothing else changes. "Usable" means: the unit's main window (or the aggregator window, or the
first-run wizard) is shown with its data loaded (the tree filled, the summary shown) and the event loop has
processed the pending events once. With `dti gui --screenshot` that moment comes just before the PNG is
grabbed. One line per process, however many windows open after the first.

The benchmark (benchmarks/run.py, `gui_start`) takes `time.time()` just before it starts the process and
reports the difference. Without the variable this module does nothing at all.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any, Protocol

ENV = "DTI_STARTUP_TRACE"
_written = False


class LoadingWindow(Protocol):
    """A window whose data arrive from the database worker: `snapshot` stays None until then, and
    `loaded` (a Qt signal) is emitted after each snapshot is applied."""

    snapshot: Any
    loaded: Any   # a SignalInstance


def enabled() -> bool:
    return bool(os.environ.get(ENV)) and not _written


def mark_usable() -> None:
    """Append the current time to the trace file (once per process)."""
    global _written
    path = os.environ.get(ENV)
    if not path or _written:
        return
    _written = True
    now = time.time()
    try:
        with open(path, "a", encoding="ascii") as trace:
            trace.write(f"{now:.6f}\n")
    except OSError as e:   # a trace must never stop the application
        logging.getLogger("dti.ui").warning("cannot write the start-up trace %s: %s", path, e)


def after_pending_events() -> None:
    """Mark once the event loop has processed what is pending now (a zero timer runs after them)."""
    if enabled():
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, mark_usable)


def when_loaded(window: LoadingWindow) -> None:
    """A shown window: mark after its first snapshot is applied and the events that follow are processed."""
    if not enabled():
        return
    if window.snapshot is not None:
        after_pending_events()
    else:
        window.loaded.connect(after_pending_events)
