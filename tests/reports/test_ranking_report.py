"""`dti report ranking`: the published appendix (PDF) and the workbook carry exactly the figures of
`dti rank --json`, in Vietnamese by default, and a refused request writes nothing (DESIGN §4, §7)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pikepdf
import pytest
from openpyxl import load_workbook

from app.cli.main import main
from app.errors import UserError
from app.reports.ranking_model import GroupTable, IndexColumn, RankingReport, UnitRow
from app.reports.ranking_pdf import write_ranking_pdf
from app.reports.ranking_xlsx import write_ranking_xlsx
from app.services import aggregate, status
from app.services.report_ranking import VIETNAM, write_ranking_report
from app.services.workspace import Workspace
from tests.conftest import SMALL
from tests.reports.pdfcheck import assert_fonts_embedded, compact, text_of

PASS = "ranking-report-passphrase-1"
MADE = datetime(2024, 12, 4, 20, 30, tzinfo=UTC)   # 05/12/2024 03:30 in Vietnam: the date printed is Vietnam's
# SMALL with a decision and a third group the province assesses without ranking it (as Hải Dương does)
FRAMEWORK = (SMALL.replace("id: small-2024", "id: rank-2024")
             .replace('title: "Bộ chỉ số thử"', 'title: "Bộ chỉ số thử"\ndecision: "QĐ 123/QĐ-UBND ngày 05/12/2024"')
             .replace('  - {code: xa, title: "UBND xã"}',
                      '  - {code: xa, title: "UBND xã"}\n  - {code: so, title: "Sở, ban, ngành", ranked: false}'))
UNITS = {  # code: (name, group, entries); X1 and X3 tie on 80,50
    "H1": ("UBND huyện Khoái Châu", "huyen", {"1.1": "60", "1.2": "40", "2.1": "150"}),
    "X1": ("UBND xã Tân Phước", "xa", {"1.1": "50", "1.2": "30,5"}),
    "X2": ("UBND xã Đức Hợp", "xa", {"1.1": "60", "1.2": "40", "2.1": "20"}),
    "X3": ("UBND xã Quảng Châu", "xa", {"1.1": "60", "1.2": "20,5"}),
    "S1": ("Sở Tư pháp", "so", {"1.1": "30,25"}),
}
INDEX_TITLES = {"1": "Nhận thức số", "2": "Hoạt động chính quyền số"}


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A province that enrolled five units directly, imported their packages and appraised one indicator;
    a second framework (without a decision, nobody on it) is imported too. Returns its data directory."""
    work = tmp_path_factory.mktemp("ranking-report")
    saved = {k: os.environ.get(k) for k in ("DTI_PASSPHRASE", "DTI_UNIT_PASSPHRASE")}
    os.environ["DTI_PASSPHRASE"] = os.environ["DTI_UNIT_PASSPHRASE"] = PASS

    def run(data: str, *args: object) -> int:
        return main(["--data-dir", str(work / data), "--lang", "en", *map(str, args)])

    (work / "fw.dti.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (work / "small.dti.yaml").write_text(SMALL, encoding="utf-8")
    assert run("prov", "authority", "init", "--code", "TP", "--name", "Sở Thông tin và Truyền thông Thử") == 0
    assert run("prov", "framework", "import", work / "fw.dti.yaml") == 0
    assert run("prov", "framework", "import", work / "small.dti.yaml") == 0
    for code, (name, group, entries) in UNITS.items():
        assert run("prov", "enroll", "issue", "--framework", "rank-2024", "--unit-code", code, "--unit-name", name,
                   "--group", group, "--out", work / f"{code}.dtienroll") == 0
        assert run(code, "enroll", "accept", work / f"{code}.dtienroll") == 0
        for indicator, value in entries.items():
            assert run(code, "entry", "set", indicator, value) == 0
        assert run(code, "package", "export", "--out", work / f"{code}.dtipkg") == 0
    assert run("prov", "package", "import", *(work / f"{code}.dtipkg" for code in UNITS)) == 0
    assert run("prov", "appraise", "set", "H1", "2.1", "140,5", "--comment", "Thiếu số liệu quý IV") == 0
    yield work / "prov"
    for k, v in saved.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def report(data: Path, out: Path, **options) -> Path:
    options.setdefault("group", None)
    options.setdefault("framework", None)
    options.setdefault("lang", "vi")
    with Workspace(data, clock=lambda: MADE, write=False) as ws:
        return write_ranking_report(ws, out, **options)


def published(data: Path, group: str | None = None) -> dict:
    """What `dti rank --json` says (before JSON: the same Decimals)."""
    with Workspace(data, write=False) as ws:
        return aggregate.ranking_data(*aggregate.rank(ws, group))


@pytest.fixture(scope="module")
def workbook(province: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("xlsx") / "xep-hang.xlsx"
    assert report(province, out) == out
    return load_workbook(out)


@pytest.fixture(scope="module")
def pdf(province: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "xep-hang.pdf"
    assert report(province, out) == out
    return out


def group_rows(sheet) -> dict[str, dict[str, object]]:
    """unit code -> {header: value} of a group sheet (header in row 3)."""
    headers = [c.value for c in sheet[3]]
    return {row[1]: dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=4, values_only=True)}


# -- the workbook -------------------------------------------------------------------------------------------


def test_every_number_of_the_workbook_is_the_one_rank_json_publishes(province, workbook):
    for group in published(province)["groups"]:
        rows = group_rows(workbook[group["title"]])
        assert set(rows) == {u["unit_code"] for u in group["units"]}
        for unit in group["units"]:
            row = rows[unit["unit_code"]]
            assert row["Đơn vị"] == unit["unit_name"]
            assert row["Xếp hạng"] == (unit["rank"] if group["ranked"] else None)
            assert row[f"Tổng cộng ({group['max']} điểm)"] == float(unit["total"])
            assert row["Tỷ lệ"] == float(unit["share"])
            assert row["Xếp loại"] == unit["grade"]
            indices = {code: next(v for h, v in row.items() if h.startswith(f"{title} ("))
                       for code, title in INDEX_TITLES.items() if code in unit["indices"]}
            assert indices == {code: float(points) for code, points in unit["indices"].items()}


def test_a_tie_shares_the_rank_and_an_unranked_group_shows_none(workbook):
    xa = group_rows(workbook["UBND xã"])
    assert [(xa[c]["Xếp hạng"], xa[c]["Tổng cộng (200 điểm)"]) for c in ("X2", "X1", "X3")] == \
        [(1, 120.0), (2, 80.5), (2, 80.5)]
    so = group_rows(workbook["Sở, ban, ngành"])
    assert so["S1"]["Xếp hạng"] is None and so["S1"]["Tổng cộng (100 điểm)"] == 30.25
    assert "không xếp hạng" in workbook["Sở, ban, ngành"]["A2"].value


def test_the_workbook_holds_no_formula_and_is_set_up_for_reading_and_printing(workbook):
    assert workbook.sheetnames == ["UBND huyện", "UBND xã", "Sở, ban, ngành", "Chi tiết", "Tiến độ"]
    for sheet in workbook.worksheets:
        assert len(sheet.title) <= 31 and not re.search(r"[\[\]:*?/\\]", sheet.title)
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), sheet.title
        assert sheet.freeze_panes is not None and sheet.freeze_panes.endswith("4"), sheet.title
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A3:"), sheet.title
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$3:$3"
    huyen = workbook["UBND huyện"]
    assert huyen["D4"].number_format == "0.00" and huyen["G4"].number_format == "0.00%"


def test_the_detail_sheet_has_every_scored_indicator_with_self_appraised_and_final(workbook):
    sheet = workbook["Chi tiết"]
    assert [c.value for c in sheet[3]] == ["Mã đơn vị", "Tên đơn vị", "Nhóm", "Mã chỉ tiêu", "Tên chỉ tiêu",
                                          "Điểm tối đa", "Tự chấm", "Thẩm định", "Điểm cuối cùng"]
    rows = {(r[0], r[3]): r for r in sheet.iter_rows(min_row=4, values_only=True)}
    assert len(rows) == 4 * 3 + 2          # every applicable leaf of every unit: 1.1, 1.2, 2.1 (S1: 1.1, 1.2)
    assert rows[("H1", "2.1")][5:] == (200.0, 150.0, 140.5, 140.5)
    assert rows[("X1", "1.2")] == ("X1", "UBND xã Tân Phước", "UBND xã", "1.2", "Điểm văn bản chỉ đạo", 40.0, 30.5,
                                   None, 30.5)


def test_the_progress_sheet_says_where_every_unit_stands(province, workbook):
    sheet = workbook["Tiến độ"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=4, max_row=8, values_only=True)}
    # no unit came through a district here: no district column (the two-tier map since July 2025)
    assert "Huyện" not in [c.value for c in sheet[3]]
    assert rows["H1"][2:5] == ("UBND huyện", "đang thẩm định", 1)
    assert rows["X2"][3] == "đã nộp" and isinstance(rows["X2"][5], datetime)
    assert sheet["F4"].number_format == "dd/mm/yyyy hh:mm"
    values = [c for row in sheet.iter_rows(min_row=9, values_only=True) for c in row if c is not None]
    assert "Tổng hợp theo nhóm" in values
    with Workspace(province, write=False) as ws:
        late = status.completeness(status.unit_statuses(ws, MADE.astimezone(VIETNAM).date()))["groups"]["xa"]["late"]
    counts = [r for r in sheet.iter_rows(min_row=9, values_only=True) if r[0] == "UBND xã"]
    assert counts == [("UBND xã", 3, 3, 0, late, None, None)]


# -- the PDF ----------------------------------------------------------------------------------------------


def test_the_pdf_is_a_landscape_a4_appendix_with_embedded_fonts(pdf):
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            width, height = float(page.mediabox[2]), float(page.mediabox[3])
            assert abs(width - 842) < 1 and abs(height - 595) < 1
    assert_fonts_embedded(pdf)


def test_the_pdf_prints_the_units_headers_and_totals_as_vietnamese_read_them(province, pdf):
    text = text_of(pdf)
    flat = compact(text)
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG THỬ", "Xếp hạng",
                   "QĐ 123/QĐ-UBND ngày 05/12/2024", "NĂM 2024", "05/12/2024", "Trang 1/"):
        assert compact(needle) in flat, needle
    for header in ("Nhận thức số (100 điểm)", "Hoạt động chính quyền số (200 điểm)", "Tổng cộng (300 điểm)"):
        assert compact(header) in flat, header
    for group in published(province)["groups"]:
        for unit in group["units"]:
            assert compact(unit["unit_name"]) in flat
            total = f"{unit['total']:.2f}".replace(".", ",")
            assert total in text, total                  # 80,50 — the decimal comma, two decimals
            for points in unit["indices"].values():
                assert f"{points:.2f}".replace(".", ",") in text
    assert "80.50" not in text


def test_the_pdf_shows_equal_ranks_for_a_tie_and_no_rank_for_an_unranked_group(pdf):
    lines = [line.strip() for line in text_of(pdf).splitlines()]
    assert any(line.startswith("2 UBND xã Tân Phước") for line in lines)
    assert any(line.startswith("2 UBND xã Quảng Châu") for line in lines)
    assert any(line.startswith("— Sở Tư pháp") for line in lines)


def test_the_charts_page_draws_bars_and_shares_in_the_embedded_font(pdf):
    text = text_of(pdf)
    assert "BIỂU ĐỒ KẾT QUẢ" in text and "Tỷ lệ điểm đạt" in text
    assert "1. UBND xã Đức Hợp" in text
    assert "80,5%" in text                      # X1: 80,5 of 100 in Nhận thức số, with the decimal comma


def test_english_variant_has_english_headers_and_decimal_points(province, tmp_path):
    out = report(province, tmp_path / "ranking.pdf", lang="en")
    text = text_of(out)
    for needle in ("Rank", "Unit", "Total\n(300 points)", "Grade", "SOCIALIST REPUBLIC OF VIET NAM", "80.50"):
        assert needle in text, needle
    assert "80,50" not in text
    book = load_workbook(report(province, tmp_path / "ranking.xlsx", lang="en"))
    assert book.sheetnames[-2:] == ["Detail", "Progress"] and book["UBND xã"]["A3"].value == "Rank"


# -- options and refusals ---------------------------------------------------------------------------------


def test_one_group_only(province, tmp_path):
    book = load_workbook(report(province, tmp_path / "xa.xlsx", group="xa"))
    assert book.sheetnames == ["UBND xã", "Chi tiết", "Tiến độ"]
    assert {r[0] for r in book["Tiến độ"].iter_rows(min_row=4, max_row=6, values_only=True)} == {"X1", "X2", "X3"}


def test_a_framework_without_decision_or_units_still_makes_an_appendix(province, tmp_path):
    out = report(province, tmp_path / "small.pdf", framework="small-2024")
    text = text_of(out)
    assert "Chưa có đơn vị nào của nhóm nộp số liệu." in text and "ban hành kèm theo" not in text
    assert_fonts_embedded(out)


@pytest.mark.parametrize("name", ["xep-hang.csv", "xep-hang", "xep-hang.pdf.txt"])
def test_an_unknown_format_is_refused_and_writes_nothing(province, tmp_path, name):
    with pytest.raises(UserError) as info:
        report(province, tmp_path / name)
    assert ".pdf" in str(info.value) and ".xlsx" in info.value.message_vi
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_group_is_refused_and_writes_nothing(province, tmp_path):
    with pytest.raises(UserError):
        report(province, tmp_path / "x.pdf", group="phuong")
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_writes_the_report_and_prints_its_path(province, tmp_path, capsys):
    out = tmp_path / "kết quả.xlsx"
    assert main(["--data-dir", str(province), "--lang", "vi", "report", "ranking", "--out", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert load_workbook(out)["UBND xã"]["A3"].value == "Xếp hạng"
    assert main(["--data-dir", str(province), "--lang", "vi", "report", "ranking", "--out", str(tmp_path / "x.doc")]) != 0
    assert ".pdf" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kết quả.xlsx"]


def test_the_share_column_is_the_rounded_share(workbook):
    assert Decimal(str(group_rows(workbook["UBND xã"])["X1"]["Tỷ lệ"])) == Decimal("0.4025")


# -- the writers on hand-made data: hostile names, many units, an index worth 0 points ----------------------


def hand_made(units: int = 40) -> RankingReport:
    """A group whose title collides with a fixed sheet and holds characters sheet names refuse, a unit named
    like a formula, and a main index listed with 0 points (national framework 922's smart city)."""
    columns = (IndexColumn("1", "Nhận thức số", Decimal(100)), IndexColumn("9", "Đô thị thông minh", Decimal(0)))
    rows = tuple(UnitRow(n + 1, f"U{n:02d}", "=HYPERLINK(\"http://x\")" if n == 0 else f"UBND xã Số {n}",
                         Decimal(100 - n), Decimal(100 - n) / 100, "Khá", {"1": Decimal(100 - n), "9": Decimal(0)},
                         {"1": n + 1, "9": 1}) for n in range(units))
    groups = (GroupTable("a", "Chi tiết", True, Decimal(100), columns, rows),
              GroupTable("b", "Nhóm [thử]: a/b\\c*d?" + "x" * 40, True, Decimal(100), columns, rows[:2]))
    return RankingReport("Sở Thông tin và Truyền thông Thử", "hand-1", "Bộ chỉ số thử", None, 2024,
                         MADE.date(), "vi", groups, (), (), (), ())


def test_hostile_titles_and_names_stay_text_in_valid_unique_sheets(tmp_path):
    out = tmp_path / "x.xlsx"
    write_ranking_xlsx(out, hand_made())
    book = load_workbook(out)
    names = book.sheetnames
    assert len(set(n.casefold() for n in names)) == len(names) == 4 and "Chi tiết" in names
    assert all(len(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    first = book[names[0]]
    assert first["C4"].value.startswith("=HYPERLINK") and first["C4"].data_type == "s"
    assert list(tmp_path.iterdir()) == [out]               # the temporary file was renamed, nothing left over


def test_long_groups_split_their_charts_across_pages_and_a_zero_index_prints_a_dash(tmp_path):
    out = tmp_path / "x.pdf"
    pages = write_ranking_pdf(out, hand_made(60), created=MADE)
    assert pages >= 4
    assert_fonts_embedded(out)
    text = text_of(out)
    assert "(tiếp theo)" in text and compact("Đô thị thông minh (0 điểm)") in compact(text)
    assert "=HYPERLINK" in text and "100,0%" in text
