"""Issue 17, item 9 (the reports' part): every chart of the published PDFs names a unit group by the
framework's title ("Sở, ban, ngành có dịch vụ công"), never by its code (`so-dvc`), and the names and
titles on a chart are written whole, wrapped onto more lines, rather than cut ("Văn phòng Đoàn ĐBQH và…")."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from reportlab.graphics.shapes import Drawing, String

from app.reports.charts import bar_chart, heat_map
from app.reports.radar import Axis, radar_drawing
from app.reports.ranking_model import GroupTable, IndexColumn, RankingReport, UnitRow
from app.reports.ranking_pdf import write_ranking_pdf
from tests.reports.pdfcheck import compact, text_of

MADE = datetime(2024, 12, 4, 8, 0, tzinfo=UTC)
GROUPS = (("so-dvc", "Sở, ban, ngành có dịch vụ công"), ("so-khong-dvc", "Sở, ban, ngành không có dịch vụ công"),
          ("huyen", "UBND huyện, thị xã, thành phố"))
LONG_UNIT = "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Hưng Yên (minh họa)"   # 80 characters
LONG_INDEX = "Hoạt động chuyển đổi số của cơ quan nhà nước và chính quyền số"
WIDTH = 770.0    # an A4 landscape page less its margins, as the ranking appendix draws its charts


def strings(drawing: Drawing) -> list[str]:
    return [shape.text for shape in drawing.contents if isinstance(shape, String)]


def ranking() -> RankingReport:
    columns = (IndexColumn("1", "Nhận thức số", Decimal(100)), IndexColumn("6", LONG_INDEX, Decimal(250)))
    groups = []
    for n, (code, title) in enumerate(GROUPS):
        names = [LONG_UNIT, "Sở Tư pháp"] if n == 0 else [f"Đơn vị {n}.{k}" for k in (1, 2)]
        units = tuple(UnitRow(k + 1, f"U{n}{k}", name, Decimal(300 - 40 * k), Decimal(300 - 40 * k) / 350, "Khá",
                              {"1": Decimal(80 - 10 * k), "6": Decimal(220 - 30 * k)}, {"1": k + 1, "6": k + 1})
                      for k, name in enumerate(names))
        groups.append(GroupTable(code, title, True, Decimal(350), columns, units))
    return RankingReport("Sở Thông tin và Truyền thông Thử", "thu-2024", "Bộ chỉ số thử", None, 2024, MADE.date(),
                         "vi", tuple(groups), (), (), (), ())


def test_the_ranking_charts_name_each_group_by_its_title_and_write_names_whole(tmp_path: Path):
    out = tmp_path / "xep-hang.pdf"
    write_ranking_pdf(out, ranking(), created=MADE)
    text = text_of(out)
    charts = text[text.index("BIỂU ĐỒ KẾT QUẢ"):]
    for code, title in GROUPS:
        assert compact(f"Tổng điểm — {title}") in compact(charts), title
        assert compact(f"từng chỉ số chính — {title}") in compact(charts), title
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code   # nowhere, charts or tables
    # the long name on both charts of its group (bars and heat map), whole: it was cut to one line before
    assert compact(charts).count(compact(f"1. {LONG_UNIT}")) == 2
    assert "…" not in charts


def test_a_long_label_wraps_onto_a_second_line_on_the_bar_chart_and_the_heat_map():
    bars = bar_chart([f"1. {LONG_UNIT}", "2. Sở Tư pháp"], [Decimal(300), Decimal(260)], maximum=Decimal(350),
                     width=WIDTH, value_text=str)
    shares = heat_map([LONG_UNIT, "Sở Tư pháp"], ["Nhận thức số", LONG_INDEX],
                      [[Decimal("0.8"), Decimal("0.88")], [Decimal("0.7"), None]], width=WIDTH, cell_text=str)
    for drawing, label in ((bars, f"1. {LONG_UNIT}"), (shares, LONG_UNIT)):
        texts = strings(drawing)
        assert label in " ".join(texts) and label not in texts      # whole, on two lines
        assert not any(t.endswith("…") for t in texts)
    # the taller row keeps the others' height: the next row still holds its single line
    assert "2. Sở Tư pháp" in strings(bars) and "Sở Tư pháp" in strings(shares)


def test_the_radar_writes_a_long_main_index_title_whole():
    titles = ["Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng", LONG_INDEX]
    axes = [Axis(str(n + 1), title, Decimal("0.5")) for n, title in enumerate(titles)]
    drawing = radar_drawing(axes, 480, 230)
    joined = " ".join(strings(drawing))
    assert f"6. {LONG_INDEX}" in joined
    assert not any(t.endswith("…") for t in strings(drawing))
    for string in (s for s in drawing.contents if isinstance(s, String)):   # nothing drawn off the drawing
        assert 0 <= string.y <= drawing.height, string.text
