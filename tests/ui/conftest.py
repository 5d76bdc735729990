"""GUI tests, offscreen (GitFourchette's pattern): a temporary data dir per test, isolated settings, the
ops helper synchronous, and a teardown that fails when a window or dialog was left open."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

from app.services import first_run
from app.services.framework_store import FrameworkStore
from app.ui.context import AppContext
from app.ui.ops import Runner
from app.ui.settings import AppSettings
from tests.conftest import SMALL


@pytest.fixture(scope="session")
def qapp(tmp_path_factory):
    """The application as `dti gui` makes it (font, locale, message handler), once per session."""
    settings_dir = tmp_path_factory.mktemp("qsettings")
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):   # nothing reaches the real profile
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(settings_dir))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(settings_dir))
    from app.ui.app import make_application

    yield make_application("vi")


@pytest.fixture(autouse=True)
def no_window_left(qapp) -> Iterator[None]:
    yield
    QApplication.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if isValid(w) and w.isVisible()]
    names = [f"{type(w).__name__} “{w.windowTitle()}”" for w in left]
    for widget in left:
        widget.close()
    QApplication.processEvents()
    assert not names, f"windows or dialogs left open: {names}"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ctx(qapp, tmp_path: Path) -> Iterator[AppContext]:
    context = AppContext("vi", AppSettings(tmp_path / "dti.ini"), Runner(synchronous=True))
    yield context
    context.runner.shutdown()


@pytest.fixture
def small_unit(data_dir: Path, tmp_path: Path) -> Path:
    """A practice unit on the tests' small framework (1.1: points 0..60, 1.2: 0..40, 2.1: 0..100, TT.1)."""
    source = tmp_path / "small.dti.yaml"
    source.write_text(SMALL, encoding="utf-8")
    FrameworkStore(data_dir).import_file(source)
    first_run.start_practice(data_dir, "small-2024", "xa", "UBND xã Thử")
    return data_dir


@pytest.fixture
def hy_unit(data_dir: Path) -> Path:
    first_run.start_practice(data_dir, "hy-2023", "xa", "UBND xã Tân Dân")
    return data_dir


@pytest.fixture
def open_window(ctx: AppContext) -> Iterator[Callable[..., QWidget]]:
    """Opens main windows and closes whatever a test left open (closing releases the data dir's lock)."""
    from app.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def opener(folder: Path, chooser=None) -> MainWindow:
        window = MainWindow(ctx, folder, chooser)
        window.show()
        windows.append(window)
        return window

    yield opener
    for window in windows:
        if isValid(window) and window.isVisible():
            window.close()
    QApplication.processEvents()
