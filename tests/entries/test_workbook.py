"""The Excel entry workbook: layout, exact round trip of every rule type, a person's edits, hostile files,
and the whole way through the CLI (template -> fill in -> import, all or nothing)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from app.cli.main import main
from app.entries import workbook as wbmod
from app.entries.values import EntryRefused, display, parse_entry
from app.entries.workbook import read_entry_workbook, render, write_entry_workbook
from app.errors import UserError
from app.frameworks.loader import load_bytes, load_file
from app.scoring.numbers import parse_decimal
from app.scoring.rules import Ratio
from app.services.workspace import UnitState
from tests.conftest import indicator_framework

ROOT = Path(__file__).resolve().parents[2]
HY = load_file(ROOT / "resources" / "frameworks" / "hy-2023.dti.yaml")

# every rule type, with and without denominators, a text info field and a decimal maximum
INLINE = load_bytes(indicator_framework("""
- {code: "1.1", title: "Điểm", max: 40, rule: {type: points}, evidence: required}
- {code: "1.2", title: "Có/không", max: 10, rule: {type: yes_no}, evidence: none}
- {code: "1.3", title: "Tỷ lệ a/b", max: 10, rule: {type: ratio}}
- {code: "1.4", title: "Tỷ lệ theo TT.1", max: 10, rule: {type: ratio, denominator: TT.1}}
- code: "1.5"
  title: "Số cuộc họp"
  max: 10
  rule: {type: tiers, on: count, tiers: [{min: 4, points: 10}, {min: 2, points: 5}]}
- code: "1.6"
  title: "Tỷ lệ mức"
  max: 10
  rule: {type: tiers, on: share, tiers: [{min: 0.9, fraction: 1}, {min: 0.5, fraction: 0.5}]}
- code: "1.7"
  title: "Trưởng ban"
  max: 10
  rule:
    type: choice
    options:
      - {code: chu-tich, label: "Chủ tịch, Bí thư", fraction: 1}
      - {code: pho, label: "Phó Chủ tịch", fraction: 0.5}
      - {code: khong, label: "Không có", fraction: 0}
- code: "1.8"
  title: "Hai nội dung"
  max: 10
  rule: {type: parts, parts: [{code: a, label: "Kế hoạch", fraction: 0.5}, {code: b, label: "Báo cáo", fraction: 0.5}]}
- {code: "1.9", title: "Số tin bài", max: 10, rule: {type: count, per_item: 2, cap: 5}}
- {code: "1.10", title: "Chuẩn hóa", max: 10, rule: {type: best_in_group}}
- {code: "1.11", title: "Thẩm định", max: 10, rule: {type: appraiser_only}}
- code: "1.12"
  title: "Mức theo TT.1"
  max: 2.5
  rule: {type: tiers, on: share, denominator: TT.1, tiers: [{min: 0.5, fraction: 1}]}
- {code: "1.13", title: "Chuẩn hóa theo TT.1", max: 10, rule: {type: best_in_group, denominator: TT.1}}
""", max_points=140).encode(), "inline.dti.yaml")

INLINE_VALUES: dict[str, Any] = {
    "1.1": D("30.5"), "1.2": False, "1.3": Ratio(D("3.5"), D(7)), "1.4": D("12.345"), "1.5": D(3),
    "1.6": D("0.855"), "1.7": "chu-tich", "1.8": frozenset({"a", "b"}), "1.9": D(7), "1.10": D("1234.5"),
    "1.12": D(4), "1.13": D("0.1"),
}
INLINE_INFO: dict[str, Any] = {"TT.1": D(40), "TT.2": "Nguyễn Văn An"}

# group xa of the Hưng Yên framework: every rule type of the bundled file
HY_VALUES: dict[str, Any] = {
    "1.1": "cap-pho",                          # choice, labels with commas
    "1.2": D(3),                               # tiers on a count
    "1.3.1": D(7),                             # count
    "1.3.2": True,                             # yes_no
    "1.4": D(5),                               # ratio a / TT.9
    "1.5": frozenset({"ke-hoach"}),            # parts
    "2.1": frozenset(),                        # parts, none met
    "2.2": Ratio(D(3), D(4)),                  # ratio a/b
    "2.3": False,
    "3.8": D(9),                               # tiers on a share, a / TT.2
    "4.3": D("0.855"),                         # tiers on a share, entered as a share
    "4.4": D("30.25"),                         # best_in_group, a / TT.2
    "6.1.2": Ratio(D(45), D(50)),              # tiers on a share, entered a/b
    "6.7.1": D("1.75"),                        # tiers share a / TT.17 (millions of đồng)
    "6.8": D("12.5"),                          # points
}
HY_INFO: dict[str, Any] = {"TT.2": D(20), "TT.9": D(10), "TT.17": D("1234.56"), "TT.16": D("0.123456789012345678")}


def state_of(loaded, values, info, explanations=None, code="X1", group="xa") -> UnitState:
    return UnitState(code, "UBND xã Một", group, loaded, dict(values), dict(info), dict(explanations or {}))


def written(tmp_path: Path, state: UnitState, lang: str = "vi", name: str = "t.xlsx") -> Path:
    out = tmp_path / name
    write_entry_workbook(state, out, lang)
    return out


def read(path: Path, expect=None):
    return read_entry_workbook(path.read_bytes(), path.name, expect=expect)


def typed(state: UnitState, entries) -> dict[str, Any]:
    """Every entry through parse_entry, info fields first as import_entries does."""
    fw = state.loaded.framework
    info = dict(state.info)
    out = {}
    for _where, code, raw in sorted(entries, key=lambda e: 0 if fw.info_field(e[1]) else 1):
        kind, value = parse_entry(fw, state.group, code, raw, info)
        if kind == "info":
            info[code] = value
        out[code] = value
    return out


def refusal(excinfo) -> tuple[str, str]:
    en, vi = str(excinfo.value), excinfo.value.message_vi
    assert "\n" not in en and "\n" not in vi
    return en, vi


def cell_of(ws, code: str, column: str) -> Any:
    """The cell of column `column` in the row of indicator (or info field) `code`."""
    key_col = "H" if ws.title == "Chỉ số" else "G"
    for row in range(4, ws.max_row + 1):
        if ws[f"{key_col}{row}"].value == code:
            return ws[f"{column}{row}"]
    raise KeyError(code)


def edited(path: Path, edits: dict[tuple[str, str], Any], out: Path | None = None) -> Path:
    """Simulate a person: open with openpyxl, type into cells by (sheet, code) of the row, save."""
    wb = openpyxl.load_workbook(path)
    for (sheet, code), value in edits.items():
        column = "E" if sheet == "Thông tin chung" else "F"
        if sheet == "Giải trình":
            sheet, column = "Chỉ số", "G"
        cell_of(wb[sheet], code, column).value = value
    out = out or path.with_name("edited-" + path.name)
    wb.save(out)
    return out


# -- round trip ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_hy_xa_prefilled_values_round_trip(tmp_path, lang):
    state = state_of(HY, HY_VALUES, HY_INFO, {"1.1": "Quyết định số 12/QĐ-UBND", "5.6": "=chưa có kết quả"})
    entries, explanations = read(written(tmp_path, state, lang))
    assert typed(state, entries) == {**HY_VALUES, **HY_INFO}
    assert explanations == {"1.1": "Quyết định số 12/QĐ-UBND", "5.6": "=chưa có kết quả"}
    wheres = {code: where for where, code, _ in entries}
    assert re.fullmatch(r"Chỉ số!F\d+", wheres["6.8"]) and re.fullmatch(r"Thông tin chung!E\d+", wheres["TT.9"])


def test_inline_every_rule_type_round_trips(tmp_path):
    state = state_of(INLINE, INLINE_VALUES, INLINE_INFO, group="g")
    entries, _ = read(written(tmp_path, state))
    assert typed(state, entries) == {**INLINE_VALUES, **INLINE_INFO}
    raw = {code: value for _, code, value in entries}
    assert raw["1.7"] == "Chủ tịch, Bí thư"          # the drop-down label, commas and all
    assert raw["1.3"] == "3,5/7" and raw["1.6"] == "0,855" and raw["1.8"] == "a, b"


def test_empty_unit_gives_no_entries(tmp_path):
    entries, explanations = read(written(tmp_path, state_of(HY, {}, {})))
    assert entries == [] and explanations == {}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.decimals(min_value=0, max_value=40, places=6, allow_nan=False, allow_infinity=False),
       share=st.decimals(min_value=0, max_value=1, places=12, allow_nan=False, allow_infinity=False),
       count=st.integers(min_value=0, max_value=10 ** 12),
       a=st.decimals(min_value=0, max_value=10 ** 6, places=4, allow_nan=False, allow_infinity=False),
       lang=st.sampled_from(["vi", "en"]))
def test_numbers_round_trip_exactly(tmp_path, points, share, count, a, lang):
    values = {"1.1": points, "1.6": share, "1.9": D(count), "1.3": Ratio(a, a + 1), "1.10": a}
    state = state_of(INLINE, values, {"TT.1": D(10 ** 7)}, group="g")
    entries, _ = read(written(tmp_path, state, lang))
    assert typed(state, entries) == {**values, "TT.1": D(10 ** 7)}


@pytest.mark.parametrize("value", [D("0.855"), D("1234.5"), D("0.1"), D(0), Ratio(D("3.5"), D(7)), Ratio(D(3)),
                                   True, False, frozenset(), frozenset({"b", "a"})])
def test_render_is_exact_where_display_rounds(value):
    back = render(value, "vi")
    assert "." not in back                                  # decimal comma, no thousands dot
    if isinstance(value, D):
        assert parse_decimal(back) == value
    if isinstance(value, Ratio):
        a, _, b = back.partition("/")
        assert Ratio(parse_decimal(a), parse_decimal(b) if b else None) == value


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_workbook_saved_again_by_libreoffice_reads_the_same(tmp_path):
    state = state_of(HY, HY_VALUES, HY_INFO, {"1.1": "Quyết định số 12/QĐ-UBND"})
    path = written(tmp_path, state)
    out = tmp_path / "lo"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", str(path), "--outdir", str(out)], check=True, capture_output=True,
                   timeout=180)
    entries, explanations = read(out / path.name, ("X1", "hy-2023", HY.sha256))
    assert typed(state, entries) == {**HY_VALUES, **HY_INFO}
    assert explanations == {"1.1": "Quyết định số 12/QĐ-UBND"}


def test_display_alone_would_not_round_trip():
    """Why the template does not prefill with `display`: it rounds to 2 decimals and groups thousands."""
    assert display(D("0.855")) == "0,86" and display(D("1234.5")) == "1.234,50"
    assert render(D("0.855")) == "0,855" and render(D("1234.5")) == "1234,5"


# -- layout ----------------------------------------------------------------------------------------

def test_layout(tmp_path):
    state = state_of(HY, HY_VALUES, HY_INFO)
    wb = openpyxl.load_workbook(written(tmp_path, state))
    assert wb.sheetnames == ["Hướng dẫn", "Thông tin chung", "Chỉ số", "_meta"]
    assert wb["_meta"].sheet_state == "veryHidden"
    guide = "\n".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    for needed in ("UBND xã Một", "X1", "hy-2023", HY.sha256[:12], HY.framework.title, "0,85 hoặc 85 %",
                   "có", "a/b", "màu vàng", "cả hoặc không"):
        assert needed in guide

    ws = wb["Chỉ số"]
    assert [c.value for c in ws[3]][:7] == ["Mã", "Tên chỉ tiêu", "Điểm tối đa", "Cách tính", "Minh chứng", "Giá trị",
                                            "Giải trình"]
    assert ws.freeze_panes == "C4" and ws.protection.sheet
    assert ws.column_dimensions["H"].hidden and ws.column_dimensions["I"].hidden
    fw = HY.framework
    shown = [ws[f"H{r}"].value for r in range(4, ws.max_row + 1)]
    assert shown == [n.code for n in fw.walk() if n.applies_to("xa")]   # display order, parents too
    parent, leaf, appraiser = cell_of(ws, "1", "A"), cell_of(ws, "1.4", "F"), cell_of(ws, "5.6", "F")
    assert parent.font.b and cell_of(ws, "1", "F").value is None and cell_of(ws, "1", "F").protection.locked
    assert leaf.fill.fgColor.rgb.endswith("FFF2A8") and not leaf.protection.locked and leaf.value == 5
    assert appraiser.value == "do cơ quan thẩm định chấm" and appraiser.protection.locked
    assert not cell_of(ws, "5.6", "G").protection.locked                 # an appraised leaf may be explained
    assert cell_of(ws, "1.3.1", "B").alignment.indent == 4               # depth 2
    assert cell_of(ws, "6", "C").value == 250
    assert cell_of(ws, "1.1", "E").value == "bắt buộc" and cell_of(ws, "5.6", "E").value == "không cần"
    assert cell_of(ws, "3.1", "E").value == "không bắt buộc"
    assert cell_of(ws, "1.4", "D").value.startswith("Tỷ lệ a / TT.9 × 20; nhập a")
    assert cell_of(ws, "2.2", "F").number_format == "@"                  # 3/4 must not become a date

    rules = {f"{get_column_letter(c)}{r}": dv for dv in ws.data_validations.dataValidation
             for rng in dv.sqref.ranges for r, c in rng.cells}

    def rule_at(code: str):
        return rules.get(cell_of(ws, code, "F").coordinate)
    assert rule_at("1.3.2").type == "list" and rule_at("1.3.2").formula1 == '"có,không"'
    assert rule_at("6.8").type == "decimal" and (rule_at("6.8").formula1, rule_at("6.8").formula2) == ("0", "20")
    assert rule_at("1.3.1").type == "whole" and rule_at("1.2").type == "whole"
    choice = rule_at("1.1")
    assert choice.type == "list"
    sheet, _, ref = choice.formula1.partition("!")
    assert sheet == "'_meta'"
    labels = [c.value for row in wb["_meta"][ref.replace("$", "")] for c in row]
    assert labels == [o.label for o in fw.indicator("1.1").rule.options]
    assert rule_at("1.5") is None and rule_at("2.2") is None             # parts and a/b: free text

    info = wb["Thông tin chung"]
    assert [c.value for c in info[3]][:5] == ["Mã", "Tên thông tin", "Đơn vị tính", "Kiểu", "Giá trị"]
    codes = [info[f"G{r}"].value for r in range(4, info.max_row + 1)]
    assert codes == [f.code for f in fw.info if f.applies_to("xa")] and "TT.1" not in codes
    assert cell_of(info, "TT.9", "E").value == 10 and "1.4" in cell_of(info, "TT.9", "F").value
    assert cell_of(info, "TT.9", "D").value == "số nguyên"
    info_rules = {f"{get_column_letter(c)}{r}": dv.type for dv in info.data_validations.dataValidation
                  for rng in dv.sqref.ranges for r, c in rng.cells}
    assert info_rules[cell_of(info, "TT.9", "E").coordinate] == "whole"
    assert info_rules[cell_of(info, "TT.16", "E").coordinate] == "decimal"


def test_english_texts(tmp_path):
    wb = openpyxl.load_workbook(written(tmp_path, state_of(HY, {"1.3.2": True}, {}), "en"))
    ws = wb["Chỉ số"]
    assert ws["F3"].value == "Value" and cell_of(ws, "1.3.2", "F").value == "yes"
    assert cell_of(ws, "5.6", "F").value == "scored by the appraiser"


def test_write_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"old")

    def broken(self, handle):
        handle.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken)
    with pytest.raises(OSError):
        write_entry_workbook(state_of(HY, {}, {}), out)
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


# -- a person's edits ------------------------------------------------------------------------------

def test_person_types_the_usual_forms(tmp_path):
    state = state_of(INLINE, {}, {}, group="g")
    path = edited(written(tmp_path, state), {
        ("Chỉ số", "1.1"): "30,5", ("Chỉ số", "1.2"): "Có", ("Chỉ số", "1.3"): "45/50", ("Chỉ số", "1.4"): 30,
        ("Chỉ số", "1.5"): 4.0, ("Chỉ số", "1.6"): "85 %", ("Chỉ số", "1.7"): 2, ("Chỉ số", "1.8"): "1; Báo cáo",
        ("Chỉ số", "1.9"): "  ", ("Chỉ số", "1.10"): 12.5, ("Thông tin chung", "TT.1"): 40,
        ("Thông tin chung", "TT.2"): "  Trần Thị Bình ", ("Giải trình", "1.1"): 42,
        ("Giải trình", "1.2"): datetime(2024, 3, 15), ("Giải trình", "1.11"): "đã có biên bản",
    })
    entries, explanations = read(path)
    assert typed(state, entries) == {
        "1.1": D("30.5"), "1.2": True, "1.3": Ratio(D(45), D(50)), "1.4": D(30), "1.5": D(4), "1.6": D("0.85"),
        "1.7": "pho", "1.8": frozenset({"a", "b"}), "1.10": D("12.5"), "TT.1": D(40), "TT.2": "Trần Thị Bình"}
    assert explanations == {"1.1": "42", "1.2": "15/03/2024", "1.11": "đã có biên bản"}   # 1.9 blank: skipped


def test_a_bare_85_in_a_share_cell_is_refused_by_parse_entry(tmp_path):
    state = state_of(INLINE, {}, {}, group="g")
    entries, _ = read(edited(written(tmp_path, state), {("Chỉ số", "1.6"): 85}))
    [(where, code, raw)] = entries
    assert (code, raw) == ("1.6", 85) and where.startswith("Chỉ số!F")
    with pytest.raises(EntryRefused, match=r"85 is not a share: type 0\.85 or 85 %"):
        parse_entry(INLINE.framework, "g", code, raw, {})
    # 0.85 typed as a number (or Excel's 85 % in a number cell) is the share itself
    entries, _ = read(edited(written(tmp_path, state), {("Chỉ số", "1.6"): 0.85}))
    assert typed(state, entries) == {"1.6": D("0.85")}


def test_dates_formulas_and_errors_are_refused_with_every_cell_named(tmp_path):
    state = state_of(INLINE, {}, {}, group="g")
    path = edited(written(tmp_path, state), {("Chỉ số", "1.3"): datetime(2024, 4, 3), ("Chỉ số", "1.1"): "=10+5",
                                              ("Thông tin chung", "TT.1"): datetime(2024, 1, 1)})
    wb = openpyxl.load_workbook(path)
    f_13, f_11 = cell_of(wb["Chỉ số"], "1.3", "F").coordinate, cell_of(wb["Chỉ số"], "1.1", "F").coordinate
    with pytest.raises(UserError) as e:
        read(path)
    en, vi = refusal(e)
    assert en.startswith(f"{path.name}: 3 bad cells, nothing saved")
    assert f"Chỉ số!{f_13}: Excel turned the entry into a date" in en
    assert f"Chỉ số!{f_11}: a formula without a computed value" in en
    assert "Thông tin chung!E4" in en and "ngày tháng" in vi and "công thức" in vi


def _with_cached_formula(path: Path, coordinate: str, formula: str, cached: str) -> Path:
    """A formula Excel has calculated: <f> with its cached <v>, which openpyxl itself never writes."""
    src = zipfile.ZipFile(path)
    out = path.with_name("cached-" + path.name)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet3.xml":
                text = data.decode()
                text, n = re.subn(rf'<c r="{coordinate}"([^>]*?)(/>|>.*?</c>)',
                                  rf'<c r="{coordinate}"\1><f>{formula}</f><v>{cached}</v></c>', text, count=1)
                assert n == 1
                data = text.encode()
            dst.writestr(item, data)
    return out


def test_a_calculated_formula_gives_its_cached_value(tmp_path):
    state = state_of(INLINE, {}, {}, group="g")
    path = written(tmp_path, state)
    coordinate = cell_of(openpyxl.load_workbook(path)["Chỉ số"], "1.1", "F").coordinate
    entries, _ = read(_with_cached_formula(path, coordinate, "10+5.5", "15.5"))
    assert typed(state, entries) == {"1.1": D("15.5")}


def test_values_outside_the_yellow_cells_are_refused_not_dropped(tmp_path):
    state = state_of(INLINE, {}, {}, group="g")
    path = written(tmp_path, state)
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ số"]
    cell_of(ws, "1", "F").value = 5                      # a parent
    cell_of(ws, "1.11", "F").value = 8                    # appraised by the appraiser
    ws.cell(row=ws.max_row + 2, column=6, value="lạc")    # below the table
    wb.save(path)
    with pytest.raises(UserError) as e:
        read(path)
    en, vi = refusal(e)
    assert en.count("not an input cell") == 3 and "1 has sub-indicators" in en and "1.11 is scored by the appraiser" in en
    assert "chỉ các ô màu vàng được đọc" in vi


def test_the_same_code_twice_is_refused(tmp_path):
    state = state_of(INLINE, {}, {}, group="g")
    path = written(tmp_path, state)
    wb = openpyxl.load_workbook(path)
    ws = wb["Chỉ số"]
    cell_of(ws, "1.1", "F").value = 5
    row = cell_of(ws, "1.2", "F").row
    ws[f"H{row}"].value = "1.1"                           # a row whose hidden key was overwritten
    ws[f"F{row}"].value = 6
    wb.save(path)
    with pytest.raises(UserError, match=r"Chỉ số!F\d+: 1.1 is already given in Chỉ số!F\d+"):
        read(path)


# -- hostile files -----------------------------------------------------------------------------------

def _xlsx_bytes(build) -> bytes:
    wb = openpyxl.Workbook()
    build(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buffer.getvalue()


HOSTILE = {
    "random bytes": (b"\x00\x13garbage" * 50, "not an Excel workbook"),
    "empty": (b"", "not an Excel workbook"),
    "zip of text": (_zip_bytes({"a.txt": b"hello"}), "not an Excel workbook"),
    "broken parts": (_zip_bytes({"[Content_Types].xml": b"<nope", "xl/workbook.xml": b"<<<"}), "not a readable"),
    "unrelated xlsx": (_xlsx_bytes(lambda wb: wb.active.append(["Mã", "Giá trị"])), "no _meta sheet"),
    "wrong _meta": (_xlsx_bytes(lambda wb: [wb.create_sheet(s) for s in ("_meta", "Chỉ số", "Thông tin chung")]),
                    "not an entry workbook of this version"),
    "missing sheet": (_xlsx_bytes(lambda wb: wb.create_sheet("_meta").append(["format", wbmod.FORMAT])),
                      "the sheet 'Thông tin chung' is missing"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_files_are_refused_in_one_line(case):
    raw, reason = HOSTILE[case]
    with pytest.raises(UserError) as e:
        read_entry_workbook(raw, "xấu.xlsx")
    en, vi = refusal(e)
    assert en.startswith("xấu.xlsx: ") and vi.startswith("xấu.xlsx: ") and reason in en


def test_truncated_and_mutated_templates_never_crash(tmp_path):
    raw = written(tmp_path, state_of(HY, HY_VALUES, HY_INFO)).read_bytes()
    with pytest.raises(UserError):
        read_entry_workbook(raw[: len(raw) // 2], "half.xlsx")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_damage_gives_entries_or_a_user_error(tmp_path, data):
    raw = bytearray((tmp_path / "fuzz.xlsx").read_bytes() if (tmp_path / "fuzz.xlsx").exists()
                    else written(tmp_path, state_of(HY, HY_VALUES, HY_INFO), name="fuzz.xlsx").read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    try:
        entries, explanations = read_entry_workbook(bytes(raw), "fuzz.xlsx")
    except UserError as e:
        assert "\n" not in str(e)
    else:
        assert isinstance(entries, list) and isinstance(explanations, dict)


def test_zip_bomb_is_refused_before_unpacking():
    bomb = _zip_bytes({"[Content_Types].xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\0" * (wbmod.MAX_UNPACKED + 1)})
    with pytest.raises(UserError, match="too large once unpacked"):
        read_entry_workbook(bomb, "bomb.xlsx")


def test_expect_refuses_another_unit_or_framework_version(tmp_path):
    path = written(tmp_path, state_of(HY, {"1.2": D(3)}, {}, code="X2"))
    ok = ("X2", "hy-2023", HY.sha256)
    assert read(path, ok)[0] == read(path)[0]                  # no expect: no check (the two-argument call)
    with pytest.raises(UserError) as e:
        read(path, ("X1", "hy-2023", HY.sha256))
    en, vi = refusal(e)
    assert "for unit X2, not X1" in en and "của đơn vị X2, không phải X1" in vi
    with pytest.raises(UserError) as e:
        read(path, ("X2", "hy-2023", "0" * 64))
    en, vi = refusal(e)
    assert f"hy-2023@{HY.sha256[:12]}" in en and "hy-2023@000000000000" in en and "bộ chỉ số" in vi
    with pytest.raises(UserError, match="framework hy-2023@"):
        read(path, ("X2", "hd-2023", HY.sha256))


# -- the whole way through the CLI ------------------------------------------------------------------

def dti(data_dir: Path, *args: Any, lang: str = "vi") -> int:
    return main(["--data-dir", str(data_dir), "--lang", lang, *map(str, args)])


def score_json(data_dir: Path, capsys) -> dict[str, Any]:
    capsys.readouterr()
    assert dti(data_dir, "score", "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_cli_template_fill_import_score(tmp_path, capsys):
    data = tmp_path / "data"
    assert dti(data, "unit", "init", "--framework", "hy-2023", "--unit-code", "X1", "--unit-name", "UBND xã Một",
               "--group", "xa") == 0
    assert dti(data, "entry", "set", "2.3", "có") == 0
    template = tmp_path / "t.xlsx"
    assert dti(data, "entry", "template", "--out", template) == 0
    wb = openpyxl.load_workbook(template)
    assert cell_of(wb["Chỉ số"], "2.3", "F").value == "có"       # the stored value, prefilled

    filled = edited(template, {("Thông tin chung", "TT.9"): 10, ("Chỉ số", "1.4"): 5, ("Chỉ số", "1.3.2"): "có",
                               ("Chỉ số", "6.8"): "12,5", ("Chỉ số", "1.1"): "Cấp phó của người đứng đầu làm Trưởng ban",
                               ("Chỉ số", "2.2"): "3/4", ("Giải trình", "6.8"): "Theo báo cáo Đề án 06"})
    capsys.readouterr()
    assert dti(data, "entry", "import", filled) == 0
    assert "thay đổi đã lưu" in capsys.readouterr().out
    points = {n["code"]: D(str(n["points"])) for n in score_json(data, capsys)["nodes"]}
    assert points["1.4"] == 10 and points["1.3.2"] == 10 and points["6.8"] == D("12.5") and points["1.1"] == 10
    assert points["2.2"] == D("22.5") and points["2.3"] == 20

    # a new template carries what was imported; reading it back gives the same typed values
    again = tmp_path / "again.xlsx"
    assert dti(data, "entry", "template", "--out", again) == 0
    assert cell_of(openpyxl.load_workbook(again)["Chỉ số"], "6.8", "F").value == 12.5

    before = score_json(data, capsys)
    bad = edited(again, {("Chỉ số", "1.2"): "abc", ("Chỉ số", "6.8"): 30, ("Chỉ số", "1.3.2"): "không"})
    wb = openpyxl.load_workbook(bad)
    at_12, at_68 = cell_of(wb["Chỉ số"], "1.2", "F").coordinate, cell_of(wb["Chỉ số"], "6.8", "F").coordinate
    capsys.readouterr()
    assert dti(data, "entry", "import", bad, lang="en") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dti: edited-again.xlsx: 2 bad entries, nothing saved")
    assert f"Chỉ số!{at_12}: 1.2: 'abc' is not a number" in err and f"Chỉ số!{at_68}: 6.8: 30 is over the maximum 20" in err
    assert score_json(data, capsys) == before                      # nothing saved, 1.3.2 still có

    # the first template again: its empty cells leave the values imported since as they are
    assert dti(data, "entry", "import", template) == 0
    assert score_json(data, capsys) == before
