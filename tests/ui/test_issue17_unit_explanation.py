"""Issue 17, item 9 (the editor's part): on a 1366×768 laptop the explanation box is on screen with the
indicator, tall enough for a few lines, without scrolling the editor away."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.mark.parametrize("code", ["1.1", "1.3.1", "2.2"])   # a choice of three, a count, a ratio a/b
def test_the_explanation_box_is_visible_at_1366x768(open_window, hy_unit: Path, code: str):
    window = open_window(hy_unit)
    window.resize(1366, 768)
    window.select(code)
    _settle()
    editor = window.editor
    scroll = next(w for w in (editor.parentWidget(), editor.parentWidget().parentWidget()) if isinstance(w, QScrollArea))
    viewport = scroll.viewport()
    box = editor.explanation
    top_left = box.mapTo(viewport, QPoint(0, 0))
    shown = QRect(top_left, box.size()).intersected(viewport.rect())
    lines = box.fontMetrics().lineSpacing()
    assert box.isVisible()
    assert shown.height() >= 4 * lines, f"{shown.height()} px of the explanation on screen, {viewport.height()} px tall"
    assert scroll.verticalScrollBar().value() == 0   # on screen without scrolling the editor
    heading = editor.heading.mapTo(viewport, QPoint(0, 0))
    assert viewport.rect().contains(heading)         # and the indicator it belongs to is still in view
