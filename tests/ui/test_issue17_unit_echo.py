"""Issue 17, item 1: the value the application understood, written the Vietnamese way, beside every number
box of the unit's editor and general information, updated as the officer types; a text that is not a
number (or could be read two ways) shows the reason under the field before anything is stored."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit

from app.services import first_run
from app.services.framework_store import FrameworkStore
from app.services.workspace import Workspace

FRAMEWORK = """\
format: dti-framework/1
id: echo-2024
title: "Bộ chỉ số thử số liệu"
round: {year: 2024}
groups: [{code: xa, title: "UBND xã"}]
grades: [{label: "Đạt", min: 0.5}, {label: "Chưa đạt", min: 0}]
info:
  - {code: TT.1, title: "Số dân", type: integer, unit: người}
indicators:
  - code: "1"
    title: "Chỉ số"
    max: 80
    children:
      - {code: "1.1", title: "Điểm tự chấm", max: 20, rule: {type: points}, evidence: none}
      - {code: "1.2", title: "Số tin bài", max: 20, rule: {type: count, per_item: 1, cap: 20}, evidence: none}
      - {code: "1.3", title: "Tỷ lệ người dân có tài khoản", max: 20, rule: {type: ratio, denominator: TT.1},
         evidence: none}
      - {code: "1.4", title: "Tỷ lệ hồ sơ trực tuyến", max: 20, evidence: none,
         rule: {type: tiers, on: share, tiers: [{min: 0.8, fraction: 1}, {min: 0.5, fraction: 0.5}]}}
"""


@pytest.fixture
def unit(data_dir: Path, tmp_path: Path) -> Path:
    source = tmp_path / "echo.dti.yaml"
    source.write_text(FRAMEWORK, encoding="utf-8")
    FrameworkStore(data_dir).import_file(source)
    first_run.start_practice(data_dir, "echo-2024", "xa", "UBND xã Thử")
    return data_dir


def _typing(qtbot, field: QLineEdit, text: str) -> None:
    """Typed, not yet committed (no Enter, focus stays)."""
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)


def _value(window) -> QLineEdit:
    return window.editor.input.findChild(QLineEdit, "value")


def _understood(window) -> QLabel:
    return window.editor.input.findChild(QLabel, "understood")


def test_the_understood_value_follows_the_typing(qtbot, open_window, unit: Path):
    window = open_window(unit)
    window.select("1.2")
    field, echo = _value(window), _understood(window)
    assert echo is not None and echo.text() == ""           # nothing typed, nothing understood
    _typing(qtbot, field, "4.200")
    assert echo.isVisible() and echo.text() == "= 4.200"     # four thousand two hundred, not 4,2
    assert window.ws.state().values.get("1.2") is None        # typing stores nothing
    _typing(qtbot, field, "1.5")
    refusal = window.editor.findChild(QLabel, "refusal")
    assert echo.text() == "" and refusal.isVisible()
    assert "hai cách" in refusal.text() and "1,5" in refusal.text() and "15" in refusal.text()
    _typing(qtbot, field, "12")
    assert echo.text() == "= 12" and not refusal.isVisible()
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.ws.state().values["1.2"] == Decimal("12")
    assert _understood(window).text() == "= 12"                # the stored value too


def test_points_with_a_decimal_comma_and_a_stored_large_count(qtbot, open_window, unit: Path):
    with Workspace(unit) as ws:
        ws.set_entry("1.2", "4.200")
    window = open_window(unit)
    window.select("1.2")
    assert _understood(window).text() == "= 4.200"             # a stored value is echoed as well
    assert _value(window).text() == "4.200"                    # and written back as the officer writes it
    window.select("1.1")
    _typing(qtbot, _value(window), "12,5")
    assert _understood(window).text() == "= 12,5"
    _typing(qtbot, _value(window), "abc")
    refusal = window.editor.findChild(QLabel, "refusal")
    assert _understood(window).text() == "" and "không phải là số" in refusal.text()
    assert "1.1:" not in refusal.text()                        # the code is the heading's, not repeated


def test_numerator_over_its_information_denominator(qtbot, open_window, unit: Path):
    with Workspace(unit) as ws:
        ws.set_entry("TT.1", "4.200")
    window = open_window(unit)
    window.select("1.3")
    _typing(qtbot, _value(window), "3.150")
    assert _understood(window).text() == "= 3.150"
    _typing(qtbot, _value(window), "5.000")
    refusal = window.editor.findChild(QLabel, "refusal")
    assert refusal.isVisible() and "lớn hơn 4200" in refusal.text().replace(".", "")


def test_general_information_echoes_too(qtbot, open_window, unit: Path):
    window = open_window(unit)
    window.show_info_field("TT.1")
    field = window.info_form.fields["TT.1"]
    echo = window.info_form.findChild(QLabel, "understood:TT.1")
    _typing(qtbot, field, "4.200")
    assert echo is not None and echo.text() == "= 4.200"
    _typing(qtbot, field, "4.2")
    error = window.info_form.errors["TT.1"]
    assert echo.text() == "" and error.isVisible() and "hai cách" in error.text()
    _typing(qtbot, field, "4.200")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.ws.state().info["TT.1"] == Decimal("4200") and not error.isVisible()


def test_a_share_is_echoed_as_a_percentage(qtbot, open_window, unit: Path):
    window = open_window(unit)
    window.select("1.4")
    _typing(qtbot, _value(window), "85 %")
    assert _understood(window).text() == "= 85 %"
    _typing(qtbot, _value(window), "0,857")
    assert _understood(window).text() == "= 85,7 %"
    _typing(qtbot, _value(window), "85")
    refusal = window.editor.findChild(QLabel, "refusal")
    assert _understood(window).text() == "" and "0,85 hoặc 85 %" in refusal.text()
