"""Translations: every tr() literal of app/ui has an English translation in resources/i18n/dti_en.ts
(the extractor in check mode finds nothing new), the .ts compiles with lrelease, and the main window in
English shows no Vietnamese in its menus, tabs and headers."""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QMenu

from app.ui.context import AppContext
from app.ui.ops import Runner
from app.ui.settings import AppSettings
from app.ui.translations import i18n_dir, load_translator, read_ts

ROOT = Path(__file__).resolve().parents[2]


def _tool():
    spec = importlib.util.spec_from_file_location("dti_i18n_tool", ROOT / "tools" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def vietnamese(text: str) -> bool:
    """A letter only Vietnamese (or another non-English language) would show: diacritics, đ, ư, ơ."""
    return any(ch in "đĐ" or (ch.isalpha() and len(unicodedata.normalize("NFD", ch)) > 1) or ch in "ưƯơƠ"
               for ch in text)


def test_every_tr_literal_is_translated():
    tool = _tool()
    messages, errors = tool.extract()
    assert errors == [] and len(messages) > 200
    assert tool.problems(messages, tool.read()) == []
    done, unfinished = read_ts(i18n_dir() / "dti_en.ts")
    assert unfinished == set() and not any(vietnamese(t) for t in done.values())


def test_the_ts_compiles_with_lrelease(tmp_path: Path):
    tool = _tool()
    if tool.lrelease() is None:
        pytest.skip("pyside6-lrelease is not installed")
    assert tool.main(["compile", "--out", str(tmp_path / "dti_en.qm")]) == 0
    compiled = QTranslator()
    assert compiled.load(str(tmp_path / "dti_en.qm"))
    assert compiled.translate("MainWindow", "&Tệp") == "&File"


@pytest.fixture
def english(qapp, tmp_path: Path) -> Iterator[AppContext]:
    translator = load_translator("en")
    assert translator is not None
    QCoreApplication.installTranslator(translator)
    context = AppContext("en", AppSettings(tmp_path / "dti.ini"), Runner(synchronous=True))
    yield context
    QCoreApplication.removeTranslator(translator)
    context.runner.shutdown()


def _texts(menu: QMenu) -> list[str]:
    out = [menu.title()]
    for action in menu.actions():
        out += _texts(action.menu()) if action.menu() else [action.text()]
    return [t for t in out if t]


def test_main_window_in_english(qtbot, english: AppContext, small_unit: Path):
    from app.ui.main_window import MainWindow

    window = MainWindow(english, small_unit)   # deletes itself on close: closed at the end, not by qtbot
    window.show()
    texts = [window.windowTitle(), window.check_dock.windowTitle(), window.search.placeholderText()]
    for action in window.menuBar().actions():
        texts += _texts(action.menu())
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    texts += [window.filter_combo.itemText(i) for i in range(window.filter_combo.count())]
    texts += [window.tree_filter.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert "&File" in texts and "Export submission package…" in texts and "Needs explanation" in texts
    assert [t for t in texts if vietnamese(t)] == []
    assert window.tree_model.index_of("1.1", 3).data() == "Not entered"
    window.close()
