"""Application start: the start-up trace (DTI_STARTUP_TRACE, app.ui.startup_trace) that `make bench` reads,
and what keeps the start cheap (the window chosen without the ORM, icons without the service layer).
No timing is asserted here (DESIGN §9): only that the trace is written, once, at the right moment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app.services import aggregator_view, first_run
from app.services import unit_view as uv
from app.ui import icons, startup_trace
from app.ui.context import AppContext
from app.ui.ops import Runner
from app.ui.settings import AppSettings

ROOT = Path(__file__).resolve().parents[2]


def _trace_lines(path: Path) -> list[float]:
    return [float(line) for line in path.read_text(encoding="ascii").splitlines()]


@pytest.fixture
def fresh_trace(monkeypatch, tmp_path: Path) -> Path:
    """The variable set for this process, and the once-per-process mark not yet spent."""
    trace = tmp_path / "trace.txt"
    monkeypatch.setenv(startup_trace.ENV, str(trace))
    monkeypatch.setattr(startup_trace, "_written", False)
    return trace


def test_the_cli_start_writes_one_plausible_timestamp(tmp_path: Path, hy_unit: Path):
    """`dti gui --screenshot` as the benchmark runs it: one line, a wall-clock time between start and exit."""
    trace, out = tmp_path / "trace.txt", tmp_path / "main.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "HOME": str(tmp_path / "home"), "DTI_LANG": "vi", startup_trace.ENV: str(trace)}
    env.pop("DTI_DATA_DIR", None)
    started = time.time()
    done = subprocess.run([sys.executable, "-m", "app", "--data-dir", str(hy_unit), "gui", "--screenshot", str(out)],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    ended = time.time()
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    (stamp,) = _trace_lines(trace)
    assert started < stamp < ended
    assert QImage(str(out)).width() == 1280   # and the screenshot is still written, after the mark


def test_screenshot_of_the_wizard_marks_it_usable(fresh_trace: Path, qapp, tmp_path: Path):
    from app.ui.app import run_gui

    started = time.time()
    assert run_gui(tmp_path / "empty", screenshot=tmp_path / "wizard.png", settings_path=tmp_path / "dti.ini") == 0
    (stamp,) = _trace_lines(fresh_trace)
    assert started < stamp <= time.time()
    assert (tmp_path / "wizard.png").is_file() and not (tmp_path / "empty").exists()


def test_no_variable_no_file(monkeypatch, qapp, tmp_path: Path, small_unit: Path):
    from app.ui.app import run_gui

    monkeypatch.delenv(startup_trace.ENV, raising=False)
    monkeypatch.setattr(startup_trace, "_written", False)
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.rglob("*"))
    assert run_gui(small_unit, screenshot=tmp_path / "shot.png", settings_path=tmp_path / "dti.ini") == 0
    assert not startup_trace.enabled()
    created = {p for p in set(tmp_path.rglob("*")) - before if small_unit not in p.parents}
    assert {p.name for p in created} == {"shot.png", "dti.ini"}


def test_a_windowed_start_marks_after_the_data_arrive(fresh_trace: Path, qapp, qtbot, monkeypatch, tmp_path: Path,
                                                       small_unit: Path):
    """The real start: the snapshot comes from the database worker after the window is shown. The mark
    waits for it (tree filled, summary shown) and for the event loop to process what followed."""
    from app.ui.main_window import MainWindow

    seen: list[tuple[bool, int, str]] = []
    real_mark = startup_trace.mark_usable

    def spy() -> None:
        seen.append((window.snapshot is not None, window.tree_model.rowCount(), window.summary.total.text()))
        real_mark()

    monkeypatch.setattr(startup_trace, "mark_usable", spy)
    ctx = AppContext("vi", AppSettings(tmp_path / "dti.ini"), Runner(synchronous=False))
    window = MainWindow(ctx, small_unit)
    try:
        window.show()
        startup_trace.when_loaded(window)
        qtbot.waitUntil(lambda: fresh_trace.is_file(), timeout=20_000)
        assert len(seen) == 1
        loaded, rows, total = seen[0]
        assert loaded and rows > 0 and " / " in total
        window.refresh()                      # later snapshots write nothing more
        qtbot.waitUntil(lambda: not ctx.runner.busy(), timeout=20_000)
        qtbot.wait(50)
        assert len(_trace_lines(fresh_trace)) == 1
    finally:
        window.close()
        ctx.runner.shutdown()


def test_the_trace_appends_and_survives_an_unwritable_path(fresh_trace: Path, monkeypatch, tmp_path: Path):
    fresh_trace.write_text("1.0\n", encoding="ascii")
    startup_trace.mark_usable()
    startup_trace.mark_usable()               # once per process
    lines = _trace_lines(fresh_trace)
    assert len(lines) == 2 and lines[0] == 1.0 and lines[1] > 1.0
    monkeypatch.setenv(startup_trace.ENV, str(tmp_path / "no" / "such" / "dir" / "trace.txt"))
    monkeypatch.setattr(startup_trace, "_written", False)
    startup_trace.mark_usable()               # logged, never raised


def test_the_window_is_chosen_without_opening_the_store(tmp_path: Path, small_unit: Path):
    """The choice reads the tables with sqlite3: no files created, no writer lock needed, garbage is "no"."""
    empty = tmp_path / "empty"
    assert not first_run.has_unit(empty) and not aggregator_view.data_dir_is_aggregator(empty)
    assert not empty.exists()
    assert first_run.has_unit(small_unit) and not aggregator_view.data_dir_is_aggregator(small_unit)
    from app.services.workspace import Workspace

    with Workspace(small_unit):               # another program holds the writer lock: still answered
        assert first_run.has_unit(small_unit)
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "dti.sqlite3").write_bytes(b"this is not a database" * 100)
    assert not first_run.has_unit(junk) and not aggregator_view.data_dir_is_aggregator(junk)


def test_icons_know_every_status_of_the_unit_view():
    """app.ui.icons spells the statuses itself (so that it imports no service): they must stay the same."""
    assert set(icons.STATUS_COLORS) == set(uv.STATUS_ORDER)
    assert (icons.EXPLAIN, icons.PROBLEM, icons.MISSING, icons.NO_EVIDENCE, icons.COMMENT, icons.APPRAISER,
            icons.DONE) == uv.STATUS_ORDER


def test_icons_import_no_service():
    code = ("import sys; import app.ui.icons; "
            "print(sorted(m for m in sys.modules if m.startswith(('app.services', 'app.models', 'sqlalchemy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip() == "[]"


def test_the_gui_command_imports_the_data_layer_before_qt(tmp_path: Path, small_unit: Path):
    """PySide6 reads the source of every module imported after it: `dti gui` imports SQLAlchemy and the
    ORM first (app.cli.gui_cmd). Checked on the order of `-X importtime`, not on any time."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "HOME": str(tmp_path / "home")}
    env.pop("DTI_DATA_DIR", None)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "app", "--data-dir", str(small_unit), "gui",
                           "--screenshot", str(tmp_path / "s.png"), "--size", "400x300"],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    order = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert order.index("app.models.tables") < order.index("PySide6.QtCore")
    assert order.index("app.services.unit_view") < order.index("PySide6.QtCore")
