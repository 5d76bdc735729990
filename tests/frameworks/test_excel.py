"""Excel import/export of frameworks: round trip, hostile workbooks, atomic writes, layout."""

from __future__ import annotations

import io
import os
import random
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import openpyxl.styles
import pytest
from hypothesis import HealthCheck, given, settings

from app.frameworks.canonical import framework_hash
from app.frameworks.excel import (
    GRADES,
    GROUPS,
    GUIDE,
    INDICATORS,
    INFO,
    MAX_COLS,
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    META,
    RULE_EXAMPLES,
    params_text,
    parse_params,
    read_workbook,
    write_workbook,
)
from app.frameworks.loader import load_bytes
from app.frameworks.schema import FrameworkInvalid, build, to_data
from app.frameworks.yamlio import parse_yaml
from app.scoring.model import Framework
from tests.strategies import frameworks

SAMPLE = """\
format: dti-framework/1
id: hy-2023
title: "Bộ chỉ số đánh giá chuyển đổi số tỉnh Hưng Yên năm 2023"
decision: "QĐ 3047/QĐ-UBND ngày 29/12/2022"
round: {year: 2023, start: 2022-11-01, end: 2023-09-30}
default_appraiser: "Sở Thông tin và Truyền thông"
groups:
  - {code: so-dvc, title: "Sở, ban, ngành có dịch vụ công"}
  - {code: huyen, title: "UBND huyện, thị xã, thành phố", ranked: false}
grades:
  - {label: "Tốt", min: 0.90}
  - {label: "Khá", min: 0.70}
  - {label: "Trung bình", min: 0.505}
  - {label: "Yếu", min: 0}
info:
  - {code: TT.4, title: "Số lượng công chức của cơ quan, đơn vị", type: integer, unit: người}
  - {code: TT.5, title: "Số thủ tục hành chính", type: number, groups: [so-dvc]}
  - {code: TT.6, title: "Tên đầu mối", type: text, guide: "Họ và tên\\nSố điện thoại"}
indicators:
  - code: "1"
    title: "Nhận thức số"
    max: {so-dvc: 120, huyen: 100}
    children:
      - code: "1.1"
        title: "Ban chỉ đạo chuyển đổi số"
        max: {so-dvc: 60, huyen: 50}
        children:
          - {code: "1.1.1", title: "Có quyết định thành lập", max: 20, rule: {type: yes_no}, evidence: required}
          - code: "1.1.2"
            title: "Số cuộc họp trong năm"
            max: {so-dvc: 40, huyen: 30}
            rule: {type: tiers, on: count, tiers: [{min: 4, points: 30}, {min: 2, points: 15.5}]}
            appraiser: "Văn phòng UBND tỉnh"
      - code: "1.10"
        title: "=Tỷ lệ công chức được bồi dưỡng kỹ năng số"
        max: {so-dvc: 60, huyen: 50}
        rule: {type: ratio, denominator: TT.4, target: 0.8}
        evidence: required
        guide: "Tỷ lệ = số được bồi dưỡng / tổng số công chức (TT.4).\\nĐạt 80 % trở lên: điểm tối đa."
  - code: "2"
    title: "Hoạt động chính quyền số"
    max: {so-dvc: 200, huyen: 150}
    children:
      - code: "2.1"
        title: "Hồ sơ trực tuyến toàn trình"
        max: {so-dvc: 50.5, huyen: 50}
        rule: {type: tiers, on: share, tiers: [{min: 0.8, fraction: 1}, {min: 0.5, fraction: 0.5}]}
        evidence: none
      - code: "2.2"
        title: "Mức độ công khai"
        max: 30
        rule: {type: choice, options: [{code: day-du, label: "Đầy đủ", fraction: 1},
                                       {code: "no", label: "Không: chưa có", fraction: 0}]}
      - code: "2.3"
        title: "#N/A các thành phần"
        max: 40
        rule: {type: parts, parts: [{code: quy-che, label: "Có quy chế", points: 10},
                                    {code: on, label: "Trực tuyến, 24/7 {đủ}", fraction: 0.25}]}
      - {code: "2.4", title: "Số ứng dụng dùng chung", max: 20, rule: {type: count, per_item: 2.5, cap: 8}}
      - {code: "2.5", title: "Thủ tục trên cổng", max: {so-dvc: 30},
         rule: {type: best_in_group, denominator: TT.5}}
      - {code: "2.6", title: "Đánh giá của hội đồng", max: 30, rule: {type: appraiser_only}}
      - {code: "2.7", title: "Điểm tự chấm", max: {so-dvc: 0.25, huyen: 0.33}, guide: "Nhập số điểm"}
"""


def _sample() -> Framework:
    return build(parse_yaml(SAMPLE.encode(), "sample.dti.yaml"), "sample.dti.yaml")[0]


def _workbook_bytes(framework: Framework) -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "framework.xlsx"
        write_workbook(framework, path)
        return path.read_bytes()


@pytest.fixture(scope="module")
def sample_bytes() -> bytes:
    return _workbook_bytes(_sample())


# -- round trip --------------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_random_frameworks_round_trip(framework: Framework) -> None:
    loaded = load_bytes(_workbook_bytes(framework), "random.xlsx")
    assert to_data(loaded.framework) == to_data(framework)  # the readable diff when it fails
    assert loaded.framework == framework
    assert loaded.sha256 == framework_hash(framework)


def test_yaml_framework_round_trips_through_excel(sample_bytes: bytes) -> None:
    framework = _sample()
    loaded = load_bytes(sample_bytes, "hy-2023.xlsx")
    assert to_data(loaded.framework) == to_data(framework)
    assert loaded.framework == framework
    assert loaded.sha256 == framework_hash(framework)
    # what the strange titles needed: text stays text
    assert loaded.framework.indicator("1.10").title.startswith("=")
    assert loaded.framework.indicator("2.3").title.startswith("#N/A")


def test_numbers_a_float_cannot_hold_go_out_as_text_and_come_back_exactly() -> None:
    data = parse_yaml(SAMPLE.encode(), "s")
    data["grades"][0]["min"] = "0.912345678901234567"
    data["indicators"][1]["children"][6]["max"] = {"so-dvc": "12.3456789012345678", "huyen": "1e20"}
    framework, _ = build(data, "s")
    raw = _workbook_bytes(framework)
    ws = openpyxl.load_workbook(io.BytesIO(raw))[INDICATORS]
    assert ws.cell(row=_row(ws, "2.7"), column=4).value == "12.3456789012345678"
    assert load_bytes(raw, "x.xlsx").framework == framework


def test_notes_rows_and_columns_are_ignored(sample_bytes: bytes) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        for name in (META, GROUPS, GRADES, INFO, INDICATORS):
            ws = wb[name]
            column = ws.max_column + 1
            ws.cell(row=1, column=column, value="Ghi chú")
            ws.cell(row=ws.max_row + 3, column=column, value="chỉ là ghi chú")
    assert load_bytes(_edit(sample_bytes, change), "x.xlsx").framework == _sample()


def test_round_trip_survives_excel_style_resave(sample_bytes: bytes) -> None:
    """A workbook opened and saved again (as an editor would) still reads the same."""
    resaved = _edit(sample_bytes, lambda wb: None)
    assert load_bytes(resaved, "resaved.xlsx").framework == _sample()


@pytest.mark.parametrize(("kind", "meaning", "example"), RULE_EXAMPLES, ids=[e[0] for e in RULE_EXAMPLES])
def test_guide_examples_are_valid(kind: str, meaning: str, example: str) -> None:
    params = parse_params(example) if example else {}
    assert isinstance(params, dict | None)
    data = parse_yaml(SAMPLE.encode(), "sample")
    leaf = data["indicators"][1]["children"][3]  # 2.4, max 20: the examples fit it
    leaf["rule"] = {"type": kind, **(params or {})}
    framework, _ = build(data, "sample")
    assert framework.indicator("2.4").rule.type == kind
    assert meaning


def test_params_text_reads_back_exactly() -> None:
    framework = _sample()
    for leaf in framework.leaves():
        assert leaf.rule is not None
        cell = params_text(leaf.rule.params())
        assert "\n" not in cell
        assert (parse_params(cell) or {}) == leaf.rule.params()
    assert params_text(framework.indicator("1.10").rule.params()) == "{denominator: TT.4, target: 0.8}"


# -- helpers to damage a workbook --------------------------------------------------------------------

def _edit(raw: bytes, change: Callable[[openpyxl.Workbook], object]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _column(ws, heading: str) -> int:
    for cell in ws[1]:
        if cell.value == heading:
            return cell.column
    raise AssertionError(f"no column {heading!r}")


def _row(ws, code: str) -> int:
    for row in range(2, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == code:
            return row
    raise AssertionError(f"no row {code!r}")


def _set(sheet: str, code: str, heading: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[sheet]
        ws.cell(row=_row(ws, code), column=_column(ws, heading)).value = value  # value=None would not clear
    return change


def _coordinate(raw: bytes, sheet: str, code: str, heading: str) -> str:
    ws = openpyxl.load_workbook(io.BytesIO(raw))[sheet]
    return ws.cell(row=_row(ws, code), column=_column(ws, heading)).coordinate


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _merge(wb: openpyxl.Workbook) -> None:
    wb[INDICATORS].merge_cells("D2:E2")


def _far_row(wb: openpyxl.Workbook) -> None:
    wb[INDICATORS].cell(row=MAX_ROWS + 2, column=1, value="99")


def _formatted_rows_far_below(wb: openpyxl.Workbook) -> None:
    wb[INDICATORS].cell(row=MAX_SCANNED_ROWS + 5, column=1).font = openpyxl.styles.Font(bold=True)


def _far_column(wb: openpyxl.Workbook) -> None:
    wb[INDICATORS].cell(row=3, column=MAX_COLS + 10, value="x")


def _clear_maxima(wb: openpyxl.Workbook) -> None:
    ws = wb[INDICATORS]
    for heading in ("Tối đa: so-dvc", "Tối đa: huyen"):
        ws.cell(row=_row(ws, "2.6"), column=_column(ws, heading)).value = None


def _rename_heading(old: str, new: str) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[INDICATORS]
        ws.cell(row=1, column=_column(ws, old), value=new)
    return change


# Each case: how to damage the sample workbook, and what the message must say. `cell` is
# (sheet, code, heading) of the cell the message must name.
EDITS: dict[str, tuple[Callable[[openpyxl.Workbook], object], tuple[str, str, str] | None, list[str]]] = {
    "missing sheet": (lambda wb: wb.remove(wb[INDICATORS]), None, ["sheet 'Chỉ số'", "missing"]),
    "formula": (_set(INDICATORS, "1.1", "Tên chỉ số", "=1+1"), (INDICATORS, "1.1", "Tên chỉ số"), ["formula"]),
    "formula in a maximum": (_set(INDICATORS, "2.4", "Tối đa: huyen", "=SUM(D2:D3)"),
                             (INDICATORS, "2.4", "Tối đa: huyen"), ["formula"]),
    "unknown parent": (_set(INDICATORS, "1.1.1", "Mã chỉ số cha", "9.9"), (INDICATORS, "1.1.1", "Mã chỉ số cha"),
                       ["unknown parent '9.9'"]),
    "own parent": (_set(INDICATORS, "2.1", "Mã chỉ số cha", "2.1"), (INDICATORS, "2.1", "Mã chỉ số cha"),
                   ["its own parent"]),
    "broken parameters": (_set(INDICATORS, "1.1.2", "Tham số quy tắc", "{tiers: ["),
                          (INDICATORS, "1.1.2", "Tham số quy tắc"), ["not valid YAML"]),
    "parameters not a mapping": (_set(INDICATORS, "1.1.2", "Tham số quy tắc", "[1, 2]"),
                                 (INDICATORS, "1.1.2", "Tham số quy tắc"), ["must be a mapping"]),
    "parameters with aliases": (_set(INDICATORS, "2.4", "Tham số quy tắc", "{per_item: &x 2, cap: *x}"),
                                (INDICATORS, "2.4", "Tham số quy tắc"), ["aliases"]),
    "type in parameters": (_set(INDICATORS, "2.4", "Tham số quy tắc", "{type: count}"),
                           (INDICATORS, "2.4", "Tham số quy tắc"), ["Loại quy tắc"]),
    "parameters without type": (_set(INDICATORS, "2.4", "Loại quy tắc", None),
                                (INDICATORS, "2.4", "Tham số quy tắc"), ["without a rule type"]),
    "unknown rule type": (_set(INDICATORS, "2.4", "Loại quy tắc", "magic"), (INDICATORS, "2.4", "Loại quy tắc"),
                          ["unknown rule type 'magic'"]),
    "unknown evidence": (_set(INDICATORS, "2.4", "Minh chứng", "maybe"), (INDICATORS, "2.4", "Minh chứng"),
                         ["evidence must be one of"]),
    "rule on a parent": (_set(INDICATORS, "1.1", "Loại quy tắc", "points"), (INDICATORS, "1.1", "Loại quy tắc"),
                         ["has children"]),
    "duplicate code": (_set(INDICATORS, "2.2", "Mã", "1.1"), None,  # 2.2 is on row 9, 1.1 on row 3
                       ["sheet 'Chỉ số', cell A9", "duplicate code '1.1' (first in cell A3)"]),
    "code turned into a number": (_set(INDICATORS, "2.2", "Mã", 2.2), None,
                                  ["sheet 'Chỉ số', cell A9", "Excel reads 1.10 as 1.1"]),
    "empty code": (_set(INDICATORS, "2.2", "Mã", None), None, ["sheet 'Chỉ số'", "'Mã' is empty"]),
    "text maximum": (_set(INDICATORS, "2.4", "Tối đa: huyen", "hai mươi"), (INDICATORS, "2.4", "Tối đa: huyen"),
                     ["must be a number"]),
    "error value": (_set(INDICATORS, "2.4", "Tối đa: huyen", "#DIV/0!"), (INDICATORS, "2.4", "Tối đa: huyen"),
                    ["error"]),
    "boolean title": (_set(INDICATORS, "2.4", "Tên chỉ số", True), (INDICATORS, "2.4", "Tên chỉ số"),
                      ["expected text"]),
    "no maximum": (_clear_maxima, None, ["sheet 'Chỉ số', row", "no maximum"]),
    "unknown group column": (_rename_heading("Tối đa: huyen", "Tối đa: xa"), None,
                             ["sheet 'Chỉ số', cell E1", "names no group"]),
    "unknown heading": (_rename_heading("Minh chứng", "Điểm thưởng"), None, ["unknown column heading"]),
    "missing heading": (_rename_heading("Tên chỉ số", "Ghi chú"), None, ["no column headed 'Tên chỉ số'"]),
    "merged cells": (_merge, None, ["sheet 'Chỉ số', cell D2:E2", "merged"]),
    "too many rows": (_far_row, None, [f"A{MAX_ROWS + 2}", "too many rows"]),
    "rows far below": (_formatted_rows_far_below, None, [f"A{MAX_SCANNED_ROWS + 1}", "beyond row"]),
    "too many columns": (_far_column, None, ["too many columns"]),
    "bad grade": (lambda wb: wb[GRADES].cell(row=2, column=2, value="nhiều"), None,
                  ["sheet 'Xếp loại', cell B2", "must be a number"]),
    "bad ranked": (lambda wb: wb[GROUPS].cell(row=2, column=3, value="có lẽ"), None,
                   ["sheet 'Nhóm', cell C2", "Có or Không"]),
    "bad date": (lambda wb: wb[META].cell(row=7, column=2, value="hôm qua"), None,
                 ["sheet 'Thông tin', cell B7", "expected a date"]),
    "unknown field": (lambda wb: wb[META].cell(row=2, column=1, value="colour"), None,
                      ["sheet 'Thông tin', cell A2", "unknown field 'colour'"]),
    "unknown info type": (lambda wb: wb[INFO].cell(row=2, column=3, value="money"), None,
                          ["sheet 'Thông tin chung', cell C2", "unknown type 'money'"]),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_damaged_workbooks_are_refused_naming_the_cell(sample_bytes: bytes, case: str) -> None:
    change, cell, fragments = EDITS[case]
    raw = _edit(sample_bytes, change)
    with pytest.raises(FrameworkInvalid) as caught:
        load_bytes(raw, "damaged.xlsx")
    message = str(caught.value)
    assert message.startswith("damaged.xlsx: ")
    assert "\n" not in message and "Traceback" not in message
    if cell is not None:
        sheet, code, heading = cell
        fragments = [f"sheet '{sheet}', cell {_coordinate(raw, sheet, code, heading)}", *fragments]
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def _content_types_only() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<not-a-workbook"})


def _bomb() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/big.xml": b"\0" * (65 * 1024 * 1024)})


def _broken_sheet(sample: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(sample)) as z:
        members = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet5.xml"  # the fifth sheet, 'Chỉ số'
    assert b'topLeftCell="D2"' in members[sheet]
    members[sheet] = members[sheet][: len(members[sheet]) // 2]  # cut in the middle of the XML
    return _zip(members)


RAW: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "only the zip magic": (lambda s: b"PK\x03\x04", "not an Excel workbook"),
    "random bytes": (lambda s: b"PK\x03\x04" + random.Random(7).randbytes(4000), "not an Excel workbook"),
    "truncated workbook": (lambda s: s[: len(s) // 2], "not an Excel workbook"),
    "a zip of other things": (lambda s: _zip({"hello.txt": b"xin chao"}), "not an Excel workbook"),
    "content types but no workbook": (lambda s: _content_types_only(), "not a readable Excel workbook"),
    "zip bomb": (lambda s: _bomb(), "too large once unpacked"),
    "broken sheet XML": (_broken_sheet, "cannot read the workbook"),
}


@pytest.mark.parametrize("case", list(RAW))
def test_hostile_bytes_are_refused_in_one_line(sample_bytes: bytes, case: str) -> None:
    make, fragment = RAW[case]
    with pytest.raises(FrameworkInvalid) as caught:
        read_workbook(make(sample_bytes), "hostile.xlsx")
    message = str(caught.value)
    assert fragment in message
    assert message.startswith("hostile.xlsx: ") and "\n" not in message


def test_many_problems_are_reported_together(sample_bytes: bytes) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        _set(INDICATORS, "2.4", "Loại quy tắc", "magic")(wb)
        _set(INDICATORS, "2.1", "Minh chứng", "maybe")(wb)
    with pytest.raises(FrameworkInvalid) as caught:
        read_workbook(_edit(sample_bytes, change), "x.xlsx")
    reasons = " | ".join(str(p) for p in caught.value.problems)
    assert "unknown rule type" in reasons and "evidence must be one of" in reasons
    assert "(and 1 more problem" in str(caught.value)


# -- what people do in a spreadsheet and should be accepted ------------------------------------------

def test_lenient_cells_are_accepted(sample_bytes: bytes) -> None:
    def change(wb: openpyxl.Workbook) -> None:
        meta = wb[META]
        meta.cell(row=7, column=2, value="2022-11-01")    # start as ISO text
        meta.cell(row=8, column=2, value="30/09/2023")    # end as dd/mm/yyyy text
        grades = wb[GRADES]
        grades.cell(row=2, column=2, value="90%")         # a percentage typed as text
        grades.cell(row=3, column=2, value=0.7).number_format = "0%"
        ws = wb[INDICATORS]
        ws.cell(row=1, column=ws.max_column + 1, value="Ghi chú của Sở")  # a notes column is ignored
        ws.cell(row=2, column=ws.max_column, value="=không đọc")
        ws.cell(row=_row(ws, "1"), column=1, value=1)     # an integer code typed as a number
        ws.cell(row=_row(ws, "2.4"), column=_column(ws, "Tối đa: huyen"), value="20,0")  # decimal comma
        ws.cell(row=_row(ws, "2.4"), column=_column(ws, "Loại quy tắc"), value=" Count ")
        ws.insert_rows(5)                                 # an empty row in the middle
        wb.create_sheet("Nháp")                           # another sheet is ignored
    loaded = load_bytes(_edit(sample_bytes, change), "edited.xlsx")
    assert loaded.framework == _sample()


def _move_to_end(code: str) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[INDICATORS]
        row = _row(ws, code)
        cells = [(c.value, c.data_type) for c in ws[row]]
        ws.delete_rows(row)
        ws.append([value for value, _ in cells])
        for cell, (_, kind) in zip(ws[ws.max_row], cells, strict=True):
            cell.data_type = kind  # append() would make a formula of the title that starts with '='
    return change


def test_a_row_may_come_anywhere_below_its_parent(sample_bytes: bytes) -> None:
    # 1.10 is the last child of 1: listed after the rows of 2, the tree is the same
    assert load_bytes(_edit(sample_bytes, _move_to_end("1.10")), "x.xlsx").framework == _sample()


def test_a_parent_must_come_before_its_children(sample_bytes: bytes) -> None:
    with pytest.raises(FrameworkInvalid, match="unknown parent '2'"):
        read_workbook(_edit(sample_bytes, _move_to_end("2")), "x.xlsx")


# -- writing -----------------------------------------------------------------------------------------

def test_layout_for_people(sample_bytes: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(sample_bytes))
    assert wb.sheetnames == [META, GROUPS, GRADES, INFO, INDICATORS, GUIDE]
    ws = wb[INDICATORS]
    headings = [c.value for c in ws[1]]
    assert headings == ["Mã", "Mã chỉ số cha", "Tên chỉ số", "Tối đa: so-dvc", "Tối đa: huyen", "Loại quy tắc",
                        "Tham số quy tắc", "Minh chứng", "Đơn vị thẩm định", "Hướng dẫn"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "D2"
    assert ws.column_dimensions["C"].width >= 40
    assert ws.cell(row=_row(ws, "1.10"), column=1).value == "1.10"
    assert ws.cell(row=_row(ws, "1.1.1"), column=3).alignment.indent > ws.cell(row=_row(ws, "1.1"),
                                                                                   column=3).alignment.indent
    assert ws.cell(row=_row(ws, "1.10"), column=3).alignment.wrap_text
    assert ws.cell(row=_row(ws, "2.5"), column=5).value is None  # not applicable to huyen
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert any("best_in_group" in f for f in lists) and any("required" in f for f in lists)
    assert wb[GRADES].cell(row=2, column=2).number_format.endswith("%")
    assert wb[META].cell(row=7, column=2).is_date
    guide = " ".join(str(c.value) for row in wb[GUIDE].iter_rows() for c in row if c.value)
    for kind, _, example in RULE_EXAMPLES:
        assert kind in guide and example in guide


def test_write_is_atomic_when_saving_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "framework.xlsx"
    write_workbook(_sample(), path)
    before = path.read_bytes()

    def broken_save(self: openpyxl.Workbook, handle: object) -> None:
        handle.write(b"PK\x03\x04 half a workbook")  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    with pytest.raises(OSError, match="No space left"):
        write_workbook(_sample(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["framework.xlsx"]


def test_write_refuses_text_a_cell_cannot_hold_before_touching_the_file(tmp_path: Path) -> None:
    path = tmp_path / "framework.xlsx"
    write_workbook(_sample(), path)
    before = path.read_bytes()
    data = parse_yaml(SAMPLE.encode(), "s")
    data["indicators"][0]["title"] = "Nhận thức\x01số"
    framework, _ = build(data, "s")
    with pytest.raises(ValueError, match=r"sheet 'Chỉ số', cell C2: .*control character"):
        write_workbook(framework, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["framework.xlsx"]


def test_write_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "framework.xlsx"
    path.write_bytes(b"old")
    write_workbook(_sample(), path)
    assert load_bytes(path.read_bytes(), "framework.xlsx").framework == _sample()
    assert os.listdir(tmp_path) == ["framework.xlsx"]
