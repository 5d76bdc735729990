"""Issue 17, item 9 (the tree's and the charts' part): on a 1366×768 laptop an indicator's title can be
read in the unit's tree (two-line rows, the whole title in the tooltip, the other columns no wider than
what they hold and wide enough for it), and the aggregator's charts name unit groups by their titles,
wrapped rather than cut."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStyle

from app.services import unit_view as uv
from app.ui.aggregator.chart import BarChart, RadarChart, Series
from app.ui.tree_model import COL_CODE, COL_POINTS, COL_STATUS, COL_TITLE, status_text

# hy-2023's criterion 1.1: 92 characters, cut to "Người đứng đầu cơ quan, đ…" before
LONG = "1.1"
LONG_TITLE = "Người đứng đầu cơ quan, đơn vị, địa phương trực tiếp làm Trưởng Ban chỉ đạo chuyển đổi số"


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _window_at_1366(open_window, folder: Path):
    window = open_window(folder)
    window.resize(1366, 768)
    _settle()
    return window


def _plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_long_title_is_shown_on_two_lines_and_whole_in_the_tooltip(open_window, hy_unit: Path):
    window = _window_at_1366(open_window, hy_unit)
    tree = window.tree
    index = window.tree_filter.index_of(LONG).siblingAtColumn(COL_TITLE)
    assert index.data() == LONG_TITLE
    assert LONG_TITLE in _plain(index.data(Qt.ItemDataRole.ToolTipRole))
    line = tree.fontMetrics().lineSpacing()
    assert tree.visualRect(index).height() >= 2 * line          # the row has room for two lines
    shown = tree.title_delegate.lines(index)
    assert len(shown) == 2
    text = " ".join(shown).removesuffix("…")
    assert LONG_TITLE.startswith(text) and len(text) >= 60, shown   # most of it, cut between words


def test_a_short_title_keeps_a_one_line_row(open_window, hy_unit: Path):
    window = _window_at_1366(open_window, hy_unit)
    index = window.tree_filter.index_of("1").siblingAtColumn(COL_TITLE)     # "Nhận thức số"
    assert window.tree.title_delegate.lines(index) == ["Nhận thức số"]
    assert window.tree.visualRect(index).height() < 2 * window.tree.fontMetrics().lineSpacing()


def test_the_title_column_gets_what_the_other_columns_do_not_need(open_window, hy_unit: Path):
    window = _window_at_1366(open_window, hy_unit)
    tree = window.tree
    # every code and points figure fits its column, with the tree's indentation (no "1.3…", no "20 / …")
    for column in (COL_CODE, COL_POINTS):
        assert tree.sizeHintForColumn(column) <= tree.columnWidth(column), column
    # the widest status ("Có ý kiến thẩm định", its last letters cut before) fits with its icon: Qt lays the
    # icon and the text out each with a margin on both sides
    style = tree.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, tree) + 1
    icon = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, tree)
    statuses = [status_text(s) for s in (uv.DONE, uv.MISSING, uv.NO_EVIDENCE, uv.PROBLEM, uv.COMMENT, uv.EXPLAIN,
                                         uv.APPRAISER)]
    need = max(tree.fontMetrics().horizontalAdvance(s) for s in statuses) + icon + 4 * margin
    # a few pixels of air: the drawn glyphs run past their advance (151 px cut the "h" of "định", need 149)
    assert need + 6 <= tree.columnWidth(COL_STATUS) <= need + 24
    header = tree.header()
    assert header.sectionViewportPosition(COL_STATUS) + tree.columnWidth(COL_STATUS) <= tree.viewport().width()
    # the title column has the rest of the pane
    assert tree.columnWidth(COL_TITLE) >= 0.36 * tree.viewport().width()


def test_a_narrower_pane_rewraps_the_titles(open_window, hy_unit: Path):
    window = _window_at_1366(open_window, hy_unit)
    tree = window.tree
    index = window.tree_filter.index_of("2.2").siblingAtColumn(COL_TITLE)
    wide = tree.title_delegate.lines(index)
    window.splitter.setSizes([420, 946])
    _settle()
    narrow = tree.title_delegate.lines(index)
    assert narrow != wide and len(narrow) == 2
    assert tree.visualRect(index).height() >= 2 * tree.fontMetrics().lineSpacing()


def test_the_bar_chart_heads_each_group_with_its_title_and_wraps_long_labels(qtbot):
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.resize(520, 400)
    rows = [("Sở, ban, ngành có dịch vụ công", None), ("Tốt", [1.0]), ("Khá", [2.0]),
            ("Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Hưng Yên", [3.0])]
    chart.set_data([Series("Số đơn vị", "#7986cb")], rows)
    chart.show()
    _settle()
    layout = chart.row_layout()
    heading, *_, long = layout
    assert heading.heading and heading.lines == ["Sở, ban, ngành có dịch vụ công"]   # a heading line, whole
    assert len(long.lines) == 2 and " ".join(long.lines).startswith("Văn phòng Đoàn đại biểu Quốc hội")
    assert layout[-1].bottom <= chart.height()   # every row inside the widget, none drawn off its edge


def test_the_radar_names_its_axes_by_title_where_there_is_room(qtbot):
    radar = RadarChart()
    qtbot.addWidget(radar)
    radar.resize(420, 340)
    codes = ["1", "2", "3", "4", "5", "6", "7", "8"]
    titles = ["Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng",
              "Hoạt động chính quyền số", "Hoạt động kinh tế số", "Hoạt động xã hội số"]
    radar.set_data(codes, [0.5] * 8, titles=titles)
    radar.show()
    _settle()
    labels = radar.axis_labels()
    assert " ".join(labels[0]) == "1. Nhận thức số"
    radar.resize(220, 190)     # too small for titles: the codes alone, the titles in the tooltip
    _settle()
    assert radar.axis_labels()[5] == ["6"]
    assert "6. Hoạt động chính quyền số" in radar.toolTip()
