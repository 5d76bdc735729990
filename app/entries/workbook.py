"""The Excel entry workbook (sổ nhập số liệu): `dti entry template` writes it, `dti entry import` reads it.

`write_entry_workbook(state, out, lang)` writes the unit's applicable general information and indicators,
prefilled with the values stored now, atomically. `read_entry_workbook(raw, name, expect)` reads the
yellow cells back as `([(where, code, raw value)], {code: explanation})` for `import_entries`, which
types every value with `parse_entry` and refuses the whole file when one is bad. The reader itself
refuses only what is not a value at all (a date, a formula never calculated, an Excel error, a value in a
cell that is not an input cell, the same code twice), every such cell listed in one line.

Layout (sheet names are fixed, in Vietnamese, whatever the language of the texts):

  Hướng dẫn        for people: the unit, the framework (id, title, sha256 prefix), how to type values
  Thông tin chung  row 3 headings, from row 4 one row per info field of the group:
                   A Mã | B Tên thông tin | C Đơn vị tính | D Kiểu | E Giá trị (input) | F Ghi chú |
                   G code key (hidden)
  Chỉ số           row 3 headings, from row 4 one row per applicable indicator, in display order:
                   A Mã | B Tên chỉ tiêu (indented by depth) | C Điểm tối đa | D Cách tính | E Minh chứng |
                   F Giá trị (input on leaves) | G Giải trình (input on leaves) | H code key | I row kind
                   (leaf / parent / appraiser) — H and I hidden
  _meta            very hidden: format, unit code, framework id and sha256, group; the drop-down lists of
                   the choice indicators from column D

The data sheets are protected without a password, the input cells unlocked: only the yellow cells can be
typed in, and only they are read (an input typed into another cell after unprotecting is refused, never
silently dropped). Empty input cells are skipped: they leave the stored value as it is.
"""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.atomicfile import write_with
from app.entries.values import EntryRefused, parse_indicator_entry
from app.errors import UserError
from app.scoring.explain import describe_rule
from app.scoring.model import Framework, Indicator
from app.scoring.numbers import format_vn, parse_decimal, plain
from app.scoring.rules import (
    AppraiserOnlyRule,
    BestInGroupRule,
    ChoiceRule,
    CountRule,
    PartsRule,
    Ratio,
    RatioRule,
    TiersRule,
    YesNoRule,
)

FORMAT = "dti-entry-workbook/1"
SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin chung"
SHEET_INDICATORS = "Chỉ số"
SHEET_META = "_meta"

HEADER_ROW = 3
FIRST_ROW = 4
# "Chỉ số" columns (1-based)
C_CODE, C_TITLE, C_MAX, C_RULE, C_EVIDENCE, C_VALUE, C_EXPLAIN, C_KEY, C_KIND = range(1, 10)
# "Thông tin chung" columns
F_CODE, F_TITLE, F_UNIT, F_TYPE, F_VALUE, F_NOTE, F_KEY = range(1, 8)
LEAF, PARENT, APPRAISER = "leaf", "parent", "appraiser"

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 64 * 1024 * 1024   # zip bombs: the sum of the declared sizes of the parts
MAX_PARTS = 2000
MAX_ROWS = 5000                   # data rows read per sheet; a template has a few hundred at most
MAX_META_ROWS = 50
MAX_LISTED = 50                   # problems named in the one-line refusal
MAX_CELL_TEXT = 32767             # Excel's limit for one cell

APPRAISER_NOTE = {"vi": "do cơ quan thẩm định chấm", "en": "scored by the appraiser"}
EVIDENCE = {"vi": {"required": "bắt buộc", "optional": "không bắt buộc", "none": "không cần"},
            "en": {"required": "required", "optional": "optional", "none": "not needed"}}
INFO_TYPE = {"vi": {"integer": "số nguyên", "number": "số", "text": "văn bản"},
             "en": {"integer": "whole number", "number": "number", "text": "text"}}
YES_NO = {"vi": ("có", "không"), "en": ("yes", "no")}

_TEXT = {
    "vi": {
        "info_title": "Thông tin chung — {unit} ({code})",
        "ind_title": "Chỉ số — {unit} ({code}) — {fw}, nhóm {group}",
        "hint": "Chỉ nhập vào các ô màu vàng. Ô trống: giữ nguyên giá trị đang lưu. Xem trang “Hướng dẫn”.",
        "info_heads": ("Mã", "Tên thông tin", "Đơn vị tính", "Kiểu", "Giá trị", "Ghi chú"),
        "ind_heads": ("Mã", "Tên chỉ tiêu", "Điểm tối đa", "Cách tính", "Minh chứng", "Giá trị", "Giải trình"),
        "no_info": "Bộ chỉ số không có thông tin chung cho nhóm này.",
        "denominator_of": "Mẫu số của chỉ tiêu {codes}",
        "note": "Ghi chú: {guide}",
        "hint_choice": "Chọn trong danh sách hoặc gõ số thứ tự (1–{n}).",
        "hint_parts": "Gõ số thứ tự các nội dung đạt theo thứ tự trên (1–{n}), cách nhau bằng dấu phẩy; “-” nếu "
                      "không đạt nội dung nào.",
        "hint_share": "Nhập 0,85, 85 % hoặc a/b.",
        "hint_a": "Nhập a; mẫu số {info} ở Thông tin chung.",
        "hint_value": "Nhập giá trị (số) hoặc a/b.",
        "dv_title": "Giá trị chưa hợp lệ",
        "dv_decimal": "Nhập số từ 0 đến {max} (dấu phẩy hoặc chấm thập phân). Giá trị sai sẽ bị từ chối khi nhập "
                      "vào phần mềm.",
        "dv_ge0": "Nhập số không âm (dấu phẩy hoặc chấm thập phân). Giá trị sai sẽ bị từ chối khi nhập vào phần mềm.",
        "dv_whole": "Nhập số nguyên không âm. Giá trị sai sẽ bị từ chối khi nhập vào phần mềm.",
        "dv_list": "Chọn một giá trị trong danh sách (hoặc gõ số thứ tự). Giá trị sai sẽ bị từ chối khi nhập vào "
                   "phần mềm.",
    },
    "en": {
        "info_title": "General information — {unit} ({code})",
        "ind_title": "Indicators — {unit} ({code}) — {fw}, group {group}",
        "hint": "Type only in the yellow cells. An empty cell keeps the stored value. See the sheet “Hướng dẫn”.",
        "info_heads": ("Code", "Information", "Unit", "Type", "Value", "Notes"),
        "ind_heads": ("Code", "Indicator", "Max points", "How it is scored", "Evidence", "Value", "Explanation"),
        "no_info": "The framework asks no general information of this group.",
        "denominator_of": "Denominator of {codes}",
        "note": "Note: {guide}",
        "hint_choice": "Choose from the list or type the option's number (1–{n}).",
        "hint_parts": "Type the numbers of the parts met, in the order above (1–{n}), separated by commas; “-” for "
                      "none.",
        "hint_share": "Type 0.85, 85 % or a/b.",
        "hint_a": "Enter a; the denominator {info} is in the general information.",
        "hint_value": "Enter the value (a number) or a/b.",
        "dv_title": "Value not valid",
        "dv_decimal": "Type a number from 0 to {max}. A wrong value is refused when the file is imported.",
        "dv_ge0": "Type a number not below 0. A wrong value is refused when the file is imported.",
        "dv_whole": "Type a whole number not below 0. A wrong value is refused when the file is imported.",
        "dv_list": "Choose a value from the list (or type its number). A wrong value is refused when the file is "
                   "imported.",
    },
}

_GUIDE = {
    "vi": [
        ("title", "SỔ NHẬP SỐ LIỆU TỰ ĐÁNH GIÁ CHỈ SỐ CHUYỂN ĐỔI SỐ (DTI)"),
        ("", "Sổ này do phần mềm DTI tạo (lệnh `dti entry template`) để đơn vị nhập số liệu tự đánh giá bằng Excel, "
             "rồi đưa lại vào phần mềm bằng lệnh `dti entry import TÊN_TỆP.xlsx`."),
        ("", ""),
        ("", "Đơn vị: {unit} — mã đơn vị {code}"),
        ("", "Nhóm đơn vị: {group_title} ({group})"),
        ("", "Bộ chỉ số: {fw} — {fw_title}"),
        ("", "Năm đánh giá: {year}{window}"),
        ("", "Phiên bản bộ chỉ số (sha256): {sha}"),
        ("", ""),
        ("head", "CÁCH NHẬP"),
        ("", "1. Chỉ các ô màu vàng được đọc: cột Giá trị ở trang “Thông tin chung”, cột Giá trị và Giải trình ở "
             "trang “Chỉ số”. Các ô khác được khóa (mở khóa: Review › Unprotect Sheet, không cần mật khẩu) và không "
             "được đọc."),
        ("", "2. Nhập Thông tin chung trước: nhiều tỷ lệ lấy mẫu số ở đó (khi cột Cách tính ghi “nhập a”, chỉ gõ tử "
             "số a)."),
        ("", "3. Số: dùng dấu phẩy hoặc dấu chấm thập phân (30,5 hoặc 30.5). Không gõ dấu phân cách hàng nghìn "
             "(gõ 1234, không gõ 1.234)."),
        ("", "4. Có/không: chọn “có” hoặc “không” trong danh sách."),
        ("", "5. Tỷ lệ a/b: gõ hai số cách nhau bằng dấu “/”, ví dụ 45/50, khi cột Cách tính ghi “nhập a/b”."),
        ("", "6. Tỷ lệ phần trăm: gõ 0,85 hoặc 85 %. Gõ 85 (không có %) bị từ chối vì không rõ là 85 % hay 0,85."),
        ("", "7. Lựa chọn: chọn trong danh sách (hoặc gõ số thứ tự của lựa chọn)."),
        ("", "8. Nhiều nội dung: gõ số thứ tự các nội dung đạt, cách nhau bằng dấu phẩy hoặc chấm phẩy (ví dụ "
             "1, 2); gõ “-” nếu không đạt nội dung nào."),
        ("", "9. Ô để trống giữ nguyên giá trị đang lưu trong phần mềm (không xóa). Muốn xóa một giá trị: "
             "`dti entry clear MÃ`."),
        ("", "10. Ô xám “do cơ quan thẩm định chấm”: đơn vị không tự chấm, chỉ có thể ghi giải trình."),
        ("", "11. Không đổi tên trang, không chèn hay xóa dòng. Không dùng công thức chưa được tính; ô Excel đã "
             "đổi thành ngày tháng (ví dụ gõ 3/4 vào ô không phải dạng văn bản) bị từ chối."),
        ("", ""),
        ("head", "KHI ĐƯA VÀO PHẦN MỀM"),
        ("", "Tệp được đọc cả hoặc không: chỉ cần một ô sai thì không giá trị nào được lưu, và phần mềm liệt kê "
             "mọi ô sai kèm địa chỉ (ví dụ “Chỉ số!F12”) để sửa rồi nhập lại."),
        ("", "Sổ này chỉ dùng cho đơn vị {code} với đúng phiên bản bộ chỉ số trên; sổ của đơn vị khác hoặc của "
             "phiên bản bộ chỉ số khác bị từ chối."),
        ("", "Các giá trị in sẵn là số liệu đang lưu trong phần mềm lúc tạo sổ."),
    ],
    "en": [
        ("title", "DTI SELF-ASSESSMENT ENTRY WORKBOOK"),
        ("", "This workbook was written by the DTI suite (`dti entry template`) for the unit to enter its "
             "self-assessment in Excel; read it back with `dti entry import FILE.xlsx`."),
        ("", ""),
        ("", "Unit: {unit} — unit code {code}"),
        ("", "Group: {group_title} ({group})"),
        ("", "Framework: {fw} — {fw_title}"),
        ("", "Assessment year: {year}{window}"),
        ("", "Framework version (sha256): {sha}"),
        ("", ""),
        ("head", "HOW TO FILL IN"),
        ("", "1. Only the yellow cells are read: the Value column of “Thông tin chung”, the Value and Explanation "
             "columns of “Chỉ số”. The other cells are locked (Review › Unprotect Sheet, no password) and not read."),
        ("", "2. Fill in the general information first: many ratios take their denominator from it (where the "
             "scoring says “enter a”, type only a)."),
        ("", "3. Numbers: decimal comma or dot (30,5 or 30.5). Do not type thousands separators (1234, not 1.234)."),
        ("", "4. Yes/no: choose “yes” or “no” (“có”/“không”) from the list."),
        ("", "5. Ratio a/b: two numbers separated by “/”, e.g. 45/50, where the scoring says “enter a/b”."),
        ("", "6. Shares: type 0.85 or 85 %. A bare 85 is refused: 85 % or 0.85 cannot be guessed."),
        ("", "7. Options: choose from the list (or type the option's number)."),
        ("", "8. Parts: the numbers of the parts met, separated by commas or semicolons (e.g. 1, 2); “-” for none."),
        ("", "9. An empty cell keeps the value stored in the software (it does not clear it). To clear a value: "
             "`dti entry clear CODE`."),
        ("", "10. Grey cells “scored by the appraiser”: the unit does not score these, it may only explain."),
        ("", "11. Do not rename sheets or insert or delete rows. Formulas never calculated are refused, and so are "
             "cells Excel turned into dates (e.g. 3/4 typed into a cell that is not text)."),
        ("", ""),
        ("head", "WHEN IMPORTING"),
        ("", "The file is read all or nothing: one bad cell and nothing is saved; every bad cell is listed with "
             "its address (e.g. “Chỉ số!F12”) to fix and import again."),
        ("", "This workbook is only for unit {code} and exactly this framework version; a workbook of another unit "
             "or framework version is refused."),
        ("", "The values printed in it are those stored in the software when it was written."),
    ],
}

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_ITALIC_GREY = Font(italic=True, color="595959")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_PARENT_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2A8")
_GREY_FILL = PatternFill("solid", fgColor="D9D9D9")
_THIN = Side(style="thin", color="BFBFBF")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_UNLOCKED = Protection(locked=False)
_TEXT_FORMAT = "@"


# -- writing ----------------------------------------------------------------------------------------

def _clean(text: str) -> str:
    """Text a cell can hold: no control characters, within Excel's length."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text[:MAX_CELL_TEXT]


def _number_text(value: Decimal, lang: str) -> str:
    """A Decimal exactly, as parse_decimal reads it back: 30,5 (vi) or 30.5 (en), never thousands separators."""
    text = plain(value)
    return text.replace(".", ",") if lang == "vi" else text


def _excel_number(value: Decimal, lang: str) -> int | float | str:
    """An Excel number when it survives the trip exactly, else exact text."""
    if value == value.to_integral_value() and abs(value) < 10 ** 15:
        return int(value)
    number = float(value)
    if math.isfinite(number) and float(f"{number:.16g}") == number and parse_decimal(repr(number)) == value:
        return number
    return _number_text(value, lang)


def render(value: Any, lang: str = "vi") -> str:
    """A typed value as exact text `parse_entry` reads back to the same value (unlike `display`, which
    rounds numbers to 2 decimals and groups thousands for reading)."""
    if isinstance(value, bool):
        yes, no = YES_NO.get(lang, YES_NO["vi"])
        return yes if value else no
    if isinstance(value, Decimal):
        return _number_text(value, lang)
    if isinstance(value, Ratio):
        a = _number_text(value.a, lang)
        return a if value.b is None else f"{a}/{_number_text(value.b, lang)}"
    if isinstance(value, (frozenset, set)):
        return ", ".join(sorted(value)) if value else "-"
    return str(value)


def _put(ws: Any, row: int, column: int, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
         alignment: Alignment | None = _WRAP, number_format: str | None = None, border: bool = True) -> Any:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _clean(value)
        cell.data_type = "s"  # text, even when it starts with '=' or reads like '#N/A'
    else:
        cell.value = value
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    if border:
        cell.border = _BORDER
    return cell


def _fit_rows(ws: Any, first: int) -> None:
    """Row heights for the wrapped text: Excel and LibreOffice do not always fit them when opening a file
    written by a program, and a row one line high hides the rest of the text."""
    widths = {letter: dim.width for letter, dim in ws.column_dimensions.items() if dim.width and not dim.hidden}
    for row in ws.iter_rows(min_row=first):
        lines = 1
        for cell in row:
            width = widths.get(cell.column_letter)
            if width is None or cell.value is None:
                continue
            indent = cell.alignment.indent or 0
            per_line = max(4.0, (width - 1.5 - indent * 1.5) * 1.2)
            text = str(cell.value)
            lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n")))
        if lines > 1:
            ws.row_dimensions[row[0].row].height = min(409, 15 * lines + 2)


def _max_format(value: Decimal) -> str:
    return "#,##0" if value == value.to_integral_value() else "#,##0.00"


def _depths(framework: Framework, group: str) -> list[tuple[Indicator, int]]:
    out: list[tuple[Indicator, int]] = []

    def visit(nodes: Iterable[Indicator], depth: int) -> None:
        for node in nodes:
            if node.applies_to(group):
                out.append((node, depth))
                visit(node.children, depth + 1)

    visit(framework.indicators, 0)
    return out


class _Validations:
    """One DataValidation per kind of rule (Excel keeps them per range list), added at the end."""

    def __init__(self, lang: str) -> None:
        self.text = _TEXT[lang]
        self.lang = lang
        self.by_key: dict[tuple, DataValidation] = {}

    def _make(self, key: tuple, **kw: Any) -> DataValidation:
        dv = self.by_key.get(key)
        if dv is None:
            dv = DataValidation(allow_blank=True, showErrorMessage=True, errorStyle="warning",
                                errorTitle=self.text["dv_title"], **kw)
            self.by_key[key] = dv
        return dv

    def decimal(self, coordinate: str, maximum: Decimal | None) -> None:
        if maximum is None:
            dv = self._make(("ge0",), type="decimal", operator="greaterThanOrEqual", formula1="0",
                            error=self.text["dv_ge0"])
        else:
            shown = format_vn(maximum, 2 if maximum != maximum.to_integral_value() else 0) if self.lang == "vi" \
                else plain(maximum)
            dv = self._make(("max", maximum), type="decimal", operator="between", formula1="0",
                            formula2=plain(maximum), error=self.text["dv_decimal"].format(max=shown))
        dv.add(coordinate)

    def whole(self, coordinate: str) -> None:
        self._make(("whole",), type="whole", operator="greaterThanOrEqual", formula1="0",
                   error=self.text["dv_whole"]).add(coordinate)

    def yes_no(self, coordinate: str) -> None:
        yes, no = YES_NO.get(self.lang, YES_NO["vi"])
        self._make(("yes_no",), type="list", formula1=f'"{yes},{no}"', error=self.text["dv_list"]).add(coordinate)

    def listed(self, coordinate: str, code: str, reference: str) -> None:
        self._make(("list", code), type="list", formula1=reference, error=self.text["dv_list"]).add(coordinate)

    def install(self, ws: Any) -> None:
        for dv in self.by_key.values():
            ws.add_data_validation(dv)


def _leaf_input(node: Indicator, lang: str) -> tuple[str, str]:
    """(mode, hint): 'number' cells take Excel numbers (General format), 'text' cells are formatted as
    text so that Excel does not turn 3/4 into a date or "1,2" into 1.2; the hint completes Cách tính."""
    text = _TEXT[lang]
    rule = node.rule
    if isinstance(rule, ChoiceRule):
        return "text", text["hint_choice"].format(n=len(rule.options))
    if isinstance(rule, PartsRule):
        return "text", text["hint_parts"].format(n=len(rule.parts))
    if isinstance(rule, YesNoRule):
        return "text", ""
    if isinstance(rule, (RatioRule, TiersRule, BestInGroupRule)):
        denominator = getattr(rule, "denominator", None)
        if isinstance(rule, TiersRule) and rule.on != "share":
            return "number", ""
        if denominator:
            return "number", "" if isinstance(rule, RatioRule) else text["hint_a"].format(info=denominator)
        if isinstance(rule, TiersRule):
            return "text", text["hint_share"]
        if isinstance(rule, BestInGroupRule):
            return "text", text["hint_value"]
        return "text", ""
    return "number", ""  # points, count


def _validate(validations: _Validations, node: Indicator, group: str, coordinate: str, list_ref: str | None) -> None:
    rule = node.rule
    if isinstance(rule, YesNoRule):
        validations.yes_no(coordinate)
    elif isinstance(rule, ChoiceRule):
        if list_ref:
            validations.listed(coordinate, node.code, list_ref)
    elif isinstance(rule, CountRule) or (isinstance(rule, TiersRule) and rule.on != "share"):
        validations.whole(coordinate)
    elif isinstance(rule, (RatioRule, TiersRule, BestInGroupRule)):
        if getattr(rule, "denominator", None):  # only a is entered: a number
            validations.decimal(coordinate, None)
    elif not isinstance(rule, PartsRule):  # points
        validations.decimal(coordinate, node.max[group])


def _prefill(node: Indicator, group: str, value: Any, mode: str, info: dict[str, Any], lang: str) -> Any:
    if value is None:
        return None
    if isinstance(node.rule, ChoiceRule):
        option = next((o for o in node.rule.options if o.code == value), None)
        if option is not None:  # the label, as in the drop-down list, when it reads back to this option
            try:
                if parse_indicator_entry(node, group, option.label, info) == value:
                    return option.label
            except EntryRefused:
                pass
        return str(value)
    if mode == "number" and isinstance(value, Decimal):
        return _excel_number(value, lang)
    return render(value, lang)


def _info_prefill(value: Any, lang: str) -> Any:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return _excel_number(value, lang)
    return render(value, lang)


def _setup_print(ws: Any, titles: bool = True) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if titles:
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _protect(ws: Any) -> None:
    """Protected without a password: the yellow cells only; columns and rows may still be resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _headings(ws: Any, headings: tuple[str, ...], widths: tuple[float, ...], title: str, hint: str) -> None:
    last = get_column_letter(len(headings))
    _put(ws, 1, 1, title, font=_TITLE, alignment=Alignment(vertical="center"), border=False)
    ws.merge_cells(f"A1:{last}1")
    _put(ws, 2, 1, hint, font=_ITALIC_GREY, alignment=Alignment(vertical="center"), border=False)
    ws.merge_cells(f"A2:{last}2")
    for i, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        _put(ws, HEADER_ROW, i, heading, font=_BOLD, fill=_HEADER_FILL, alignment=_HEADER_ALIGN)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 22
    ws.row_dimensions[HEADER_ROW].height = 30


def build_entry_workbook(state: Any, lang: str = "vi") -> Workbook:
    """The workbook of `write_entry_workbook`, in memory (state: code, name, group, loaded, values, info,
    explanations, as `app.services.workspace.UnitState`)."""
    lang = lang if lang in _TEXT else "vi"
    text = _TEXT[lang]
    framework: Framework = state.loaded.framework
    sha256: str = state.loaded.sha256
    group: str = state.group
    values: dict[str, Any] = dict(state.values or {})
    info: dict[str, Any] = dict(state.info or {})
    explanations: dict[str, str] = dict(state.explanations or {})
    rows = _depths(framework, group)

    wb = Workbook()
    guide = wb.active
    guide.title = SHEET_GUIDE
    info_ws = wb.create_sheet(SHEET_INFO)
    ind_ws = wb.create_sheet(SHEET_INDICATORS)
    meta = wb.create_sheet(SHEET_META)
    wb.properties.title = f"DTI — {state.name} ({state.code})"
    wb.properties.creator = "dti"

    # -- _meta: identity and the drop-down lists ----------------------------------------------------
    identity = [("format", FORMAT), ("unit_code", state.code), ("unit_name", state.name), ("group", group),
                ("framework_id", framework.id), ("framework_sha256", sha256), ("lang", lang)]
    for r, (key, value) in enumerate(identity, start=1):
        _put(meta, r, 1, key, alignment=None, border=False)
        _put(meta, r, 2, value, alignment=None, border=False)
    list_refs: dict[str, str] = {}
    column = 4
    for node, _depth in rows:
        if node.is_leaf and isinstance(node.rule, ChoiceRule) and node.rule.options:
            letter = get_column_letter(column)
            _put(meta, 1, column, node.code, alignment=None, border=False)
            for r, option in enumerate(node.rule.options, start=2):
                _put(meta, r, column, option.label, alignment=None, border=False)
            list_refs[node.code] = f"'{SHEET_META}'!${letter}$2:${letter}${len(node.rule.options) + 1}"
            column += 1
    meta.sheet_state = "veryHidden"

    # -- Hướng dẫn ----------------------------------------------------------------------------------
    grp = framework.group(group)
    window = ""
    if framework.round.start and framework.round.end:
        window = f" ({framework.round.start:%d/%m/%Y} – {framework.round.end:%d/%m/%Y})"
    fields = {"unit": state.name, "code": state.code, "group": group, "group_title": grp.title if grp else group,
              "fw": framework.id, "fw_title": framework.title, "year": framework.round.year, "window": window,
              "sha": sha256[:12] + "…"}
    guide.column_dimensions["A"].width = 100
    for r, (style, line) in enumerate(_GUIDE[lang], start=1):
        font = _TITLE if style == "title" else _BOLD if style == "head" else None
        _put(guide, r, 1, line.format(**fields), font=font, border=False)
    if framework.notice:
        r = len(_GUIDE[lang]) + 2
        _put(guide, r, 1, framework.notice, font=_ITALIC_GREY, border=False)
    guide.sheet_view.showGridLines = False
    _fit_rows(guide, 2)
    _setup_print(guide, titles=False)

    # -- Thông tin chung ---------------------------------------------------------------------------
    _headings(info_ws, text["info_heads"], (10, 60, 14, 12, 18, 60),
              text["info_title"].format(unit=state.name, code=state.code), text["hint"])
    info_validations = _Validations(lang)
    denominators: dict[str, list[str]] = {}
    for node, _depth in rows:
        if node.is_leaf and node.rule is not None:
            for d in node.rule.denominators():
                denominators.setdefault(d, []).append(node.code)
    fields_here = [f for f in framework.info if f.applies_to(group)]
    r = FIRST_ROW
    for field in fields_here:
        _put(info_ws, r, F_CODE, field.code)
        _put(info_ws, r, F_TITLE, field.title)
        _put(info_ws, r, F_UNIT, field.unit or "")
        _put(info_ws, r, F_TYPE, INFO_TYPE[lang].get(field.type, field.type))
        value_cell = _put(info_ws, r, F_VALUE, _info_prefill(info.get(field.code), lang), fill=_INPUT_FILL,
                          number_format=_TEXT_FORMAT if field.type == "text" else "General")
        value_cell.protection = _UNLOCKED
        notes = []
        if field.code in denominators:
            notes.append(text["denominator_of"].format(codes=", ".join(denominators[field.code])))
        if field.guide:
            notes.append(field.guide)
        _put(info_ws, r, F_NOTE, "\n".join(notes))
        _put(info_ws, r, F_KEY, field.code, alignment=None, border=False)
        if field.type == "integer":
            info_validations.whole(value_cell.coordinate)
        elif field.type == "number":
            info_validations.decimal(value_cell.coordinate, None)
        r += 1
    if not fields_here:
        _put(info_ws, FIRST_ROW, 1, text["no_info"], font=_ITALIC_GREY, border=False)
    info_validations.install(info_ws)
    _fit_rows(info_ws, FIRST_ROW)
    info_ws.column_dimensions[get_column_letter(F_KEY)].hidden = True
    info_ws.freeze_panes = f"C{FIRST_ROW}"
    _setup_print(info_ws)
    _protect(info_ws)

    # -- Chỉ số ------------------------------------------------------------------------------------
    _headings(ind_ws, text["ind_heads"], (10, 62, 11, 48, 14, 22, 40),
              text["ind_title"].format(unit=state.name, code=state.code, fw=framework.id, group=group), text["hint"])
    validations = _Validations(lang)
    for r, (node, depth) in enumerate(rows, start=FIRST_ROW):
        maximum = node.max[group]
        leaf = node.is_leaf
        appraiser = leaf and isinstance(node.rule, AppraiserOnlyRule)
        kind = PARENT if not leaf else APPRAISER if appraiser else LEAF
        font = _BOLD if not leaf else None
        fill = _PARENT_FILL if not leaf else None
        _put(ind_ws, r, C_CODE, node.code, font=font, fill=fill)
        _put(ind_ws, r, C_TITLE, node.title, font=font, fill=fill,
             alignment=Alignment(wrap_text=True, vertical="top", indent=min(2 * depth, 15)))
        _put(ind_ws, r, C_MAX, maximum, font=font, fill=fill, alignment=_CENTER, number_format=_max_format(maximum))
        _put(ind_ws, r, C_KEY, node.code, alignment=None, border=False)
        _put(ind_ws, r, C_KIND, kind, alignment=None, border=False)
        if not leaf:
            for c in (C_RULE, C_EVIDENCE, C_VALUE, C_EXPLAIN):
                _put(ind_ws, r, c, None, fill=fill)
            continue
        mode, hint = _leaf_input(node, lang)
        how = describe_rule(node.rule, maximum, lang)
        if hint:
            how += "\n" + hint
        if node.guide:
            how += "\n" + text["note"].format(guide=node.guide)
        _put(ind_ws, r, C_RULE, how)
        _put(ind_ws, r, C_EVIDENCE, EVIDENCE[lang].get(node.evidence, node.evidence), alignment=_CENTER)
        if appraiser:
            _put(ind_ws, r, C_VALUE, APPRAISER_NOTE[lang], fill=_GREY_FILL, font=_ITALIC_GREY)
        else:
            cell = _put(ind_ws, r, C_VALUE, _prefill(node, group, values.get(node.code), mode, info, lang),
                        fill=_INPUT_FILL, number_format=_TEXT_FORMAT if mode == "text" else "General")
            cell.protection = _UNLOCKED
            _validate(validations, node, group, cell.coordinate, list_refs.get(node.code))
        explain = _put(ind_ws, r, C_EXPLAIN, explanations.get(node.code), fill=_INPUT_FILL, number_format=_TEXT_FORMAT)
        explain.protection = _UNLOCKED
    validations.install(ind_ws)
    _fit_rows(ind_ws, FIRST_ROW)
    for c in (C_KEY, C_KIND):
        ind_ws.column_dimensions[get_column_letter(c)].hidden = True
    ind_ws.freeze_panes = f"C{FIRST_ROW}"
    _setup_print(ind_ws)
    _protect(ind_ws)

    wb.active = 0
    return wb


def write_entry_workbook(state: Any, out: Path, lang: str = "vi") -> None:
    """Write the entry workbook of the unit atomically: `out` is the old file or the new one, never half."""
    wb = build_entry_workbook(state, lang)
    write_with(Path(out), wb.save)


# -- reading ----------------------------------------------------------------------------------------

class _Bad:
    """A cell that is not a value (date, formula without result, Excel error): already reported."""


_BAD = _Bad()


def _fail(name: str, en: str, vi: str) -> UserError:
    return UserError(f"{name}: {en}", f"{name}: {vi}")


def _short(error: BaseException) -> str:
    message = " ".join(str(error).split())[:120]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


class _Grid:
    """The cells of one sheet as plain data: {(row, column): (value, data_type)}, formulas apart."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[Any, str]] = {}
        self.formulas: set[tuple[int, int]] = set()

    def value(self, row: int, column: int) -> tuple[Any, str]:
        return self.cells.get((row, column), (None, "n"))


def _open(raw: bytes, name: str, data_only: bool) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)
    except Exception as e:  # openpyxl raises KeyError, ValueError, XML errors... on hostile input
        raise _fail(name, f"not a readable Excel workbook (.xlsx): {_short(e)}",
                    f"không đọc được sổ Excel (.xlsx): {_short(e)}") from None


def _check_container(raw: bytes, name: str) -> None:
    if len(raw) > MAX_BYTES:
        raise _fail(name, f"too large ({len(raw)} bytes)", f"quá lớn ({len(raw)} byte)")
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except Exception:  # BadZipFile, EOFError, ValueError... whatever a damaged zip raises
        raise _fail(name, "not an Excel workbook (.xlsx): the file is damaged or not a zip file",
                    "không phải sổ Excel (.xlsx): tệp hỏng hoặc không phải tệp zip") from None
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
        raise _fail(name, f"workbook too large once unpacked (limit {MAX_UNPACKED} bytes)",
                    f"sổ quá lớn khi giải nén (giới hạn {MAX_UNPACKED} byte)")
    if "[Content_Types].xml" not in {p.filename for p in parts}:
        raise _fail(name, "a zip file but not an Excel workbook (.xlsx)", "là tệp zip nhưng không phải sổ Excel (.xlsx)")


def _read_grid(wb: Any, sheet: str, max_row: int, max_col: int, into: _Grid, formulas: bool) -> None:
    ws = wb[sheet]
    if not hasattr(ws, "iter_rows"):
        raise TypeError(f"sheet '{sheet}' is not a worksheet")
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col), start=1):
        for c, cell in enumerate(row, start=1):
            value, kind = getattr(cell, "value", None), getattr(cell, "data_type", "n")
            if formulas:
                if kind == "f":
                    into.formulas.add((r, c))
            elif value is not None:
                into.cells[(r, c)] = (value, kind)


def _load(raw: bytes, name: str) -> dict[str, _Grid]:
    """The cells of the meta and data sheets (cached values), and where formulas are."""
    _check_container(raw, name)
    sheets = {SHEET_META: (MAX_META_ROWS, 2), SHEET_INFO: (FIRST_ROW + MAX_ROWS, F_KEY),
              SHEET_INDICATORS: (FIRST_ROW + MAX_ROWS, C_KIND)}
    grids = {sheet: _Grid() for sheet in sheets}
    for data_only in (True, False):
        wb = _open(raw, name, data_only)
        try:
            present = set(wb.sheetnames)
            if SHEET_META not in present:
                raise _fail(name, "not an entry workbook written by `dti entry template` (no _meta sheet)",
                            "không phải sổ nhập số liệu do `dti entry template` tạo (không có trang _meta)")
            for sheet in (SHEET_INFO, SHEET_INDICATORS):
                if sheet not in present:
                    raise _fail(name, f"the sheet '{sheet}' is missing (renamed or deleted?)",
                                f"thiếu trang '{sheet}' (đã đổi tên hay xóa?)")
            for sheet, (rows, cols) in sheets.items():
                if not data_only and sheet == SHEET_META:
                    continue
                try:
                    _read_grid(wb, sheet, rows, cols, grids[sheet], formulas=not data_only)
                except Exception as e:  # XML of a sheet is parsed only now, in read-only mode
                    raise _fail(name, f"sheet '{sheet}' cannot be read: {_short(e)}",
                                f"không đọc được trang '{sheet}': {_short(e)}") from None
        finally:
            wb.close()
    return grids


def _meta(grid: _Grid, name: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for r in range(1, MAX_META_ROWS + 1):
        key, _ = grid.value(r, 1)
        value, _ = grid.value(r, 2)
        if isinstance(key, str) and value is not None:
            meta[key.strip()] = str(value).strip()
    if meta.get("format") != FORMAT:
        found = meta.get("format") or "-"
        raise _fail(name, f"not an entry workbook of this version of dti (format {found}, expected {FORMAT}); "
                          "write a new one with `dti entry template`",
                    f"không phải sổ nhập số liệu của phiên bản dti này (định dạng {found}, cần {FORMAT}); "
                    "hãy tạo lại bằng `dti entry template`")
    for key in ("unit_code", "framework_id", "framework_sha256"):
        if not meta.get(key):
            raise _fail(name, f"the workbook's _meta sheet has no {key}; write a new one with `dti entry template`",
                        f"trang _meta của sổ thiếu {key}; hãy tạo lại bằng `dti entry template`")
    return meta


def _check_expect(meta: dict[str, str], expect: tuple[str, str, str] | None, name: str) -> None:
    if expect is None:
        return
    unit, framework_id, sha256 = expect
    if unit and meta["unit_code"] != unit:
        raise _fail(name, f"this workbook is for unit {meta['unit_code']}, not {unit}; write this unit's own with "
                          "`dti entry template`",
                    f"sổ này của đơn vị {meta['unit_code']}, không phải {unit}; hãy tạo sổ của đơn vị bằng "
                    "`dti entry template`")
    made = f"{meta['framework_id']}@{meta['framework_sha256'][:12]}"
    if (framework_id and meta["framework_id"] != framework_id) or (sha256 and meta["framework_sha256"] != sha256):
        used = f"{framework_id}@{(sha256 or '')[:12]}"
        raise _fail(name, f"this workbook was written for framework {made}, the unit now uses {used}; write a new one "
                          "with `dti entry template`",
                    f"sổ này tạo cho bộ chỉ số {made}, đơn vị đang dùng {used}; hãy tạo sổ mới bằng "
                    "`dti entry template`")


class _Collector:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[tuple[str, str, str]] = []
        self.entries: list[tuple[str, str, Any]] = []
        self.explanations: dict[str, str] = {}
        self.seen_value: dict[str, str] = {}
        self.seen_explanation: dict[str, str] = {}

    def bad(self, where: str, en: str, vi: str) -> None:
        self.problems.append((where, en, vi))

    def cell(self, grid: _Grid, sheet: str, row: int, column: int, explanation: bool = False) -> Any:
        """The cell's value as an entry: None when empty, _BAD when reported, else str | int | bool."""
        where = f"{sheet}!{get_column_letter(column)}{row}"
        value, kind = grid.value(row, column)
        if (row, column) in grid.formulas and value is None:
            self.bad(where, "a formula without a computed value: type the value itself",
                     "công thức chưa có kết quả: hãy gõ giá trị")
            return _BAD
        if value is None:
            return None
        if kind == "e":
            self.bad(where, f"the cell holds an Excel error ({value}), not a value",
                     f"ô chứa lỗi Excel ({value}), không phải giá trị")
            return _BAD
        if isinstance(value, (datetime, date, time, timedelta)):
            if explanation and isinstance(value, (datetime, date)):
                return f"{value:%d/%m/%Y}"
            self.bad(where, "Excel turned the entry into a date; type it again in a cell formatted as text "
                            "(or start it with ', e.g. '3/4)",
                     "Excel đã đổi giá trị thành ngày tháng; hãy gõ lại trong ô định dạng văn bản "
                     "(hoặc gõ ' trước, ví dụ '3/4)")
            return _BAD
        if isinstance(value, bool):
            return ("TRUE" if value else "FALSE") if explanation else value
        if isinstance(value, int):
            return str(value) if explanation else value
        if isinstance(value, float):
            if not math.isfinite(value):
                self.bad(where, f"'{value}' is not a number", f"'{value}' không phải là số")
                return _BAD
            return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        text = str(value)
        if not text.strip():
            return None
        return text.strip()

    def value(self, where: str, code: str, value: Any) -> None:
        if value is None or value is _BAD:
            return
        first = self.seen_value.get(code)
        if first is not None:
            self.bad(where, f"{code} is already given in {first}", f"{code} đã có ở ô {first}")
            return
        self.seen_value[code] = where
        self.entries.append((where, code, value))

    def explanation(self, where: str, code: str, value: Any) -> None:
        if value is None or value is _BAD:
            return
        first = self.seen_explanation.get(code)
        if first is not None:
            self.bad(where, f"the explanation of {code} is already given in {first}",
                     f"giải trình của {code} đã có ở ô {first}")
            return
        self.seen_explanation[code] = where
        self.explanations[code] = str(value)

    def not_input(self, grid: _Grid, sheet: str, row: int, column: int, en: str, vi: str, allowed: tuple = ()) -> None:
        value = self.cell(grid, sheet, row, column)
        if value is None or value is _BAD or value in allowed:
            return
        self.bad(f"{sheet}!{get_column_letter(column)}{row}", f"not an input cell ({en}): only the yellow cells are read",
                 f"không phải ô nhập ({vi}): chỉ các ô màu vàng được đọc")

    def refuse(self) -> None:
        if not self.problems:
            return
        n = len(self.problems)
        shown = self.problems[:MAX_LISTED]
        more_en = f"; and {n - len(shown)} more" if n > len(shown) else ""
        more_vi = f"; và {n - len(shown)} ô khác" if n > len(shown) else ""
        en = "; ".join(f"{w}: {m}" for w, m, _ in shown) + more_en
        vi = "; ".join(f"{w}: {m}" for w, _, m in shown) + more_vi
        raise UserError(f"{self.name}: {n} bad cell{'s' if n > 1 else ''}, nothing saved: {en}",
                        f"{self.name}: {n} ô sai, chưa lưu gì: {vi}")


def _key(grid: _Grid, row: int, column: int) -> str | None:
    value, _ = grid.value(row, column)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_entry_workbook(raw: bytes, name: str, expect: tuple[str, str, str] | None = None,
                        ) -> tuple[list[tuple[str, str, Any]], dict[str, str]]:
    """([(where, code, raw value)], {code: explanation}) from an entry workbook; `where` names the cell
    ("Chỉ số!F12"). `expect` = (unit code, framework id, framework sha256) refuses a workbook written for
    another unit or framework version. Raises UserError with one line naming the file (and every cell that
    holds something that is not a value)."""
    grids = _load(raw, name)
    meta = _meta(grids[SHEET_META], name)
    _check_expect(meta, expect, name)
    out = _Collector(name)
    last = FIRST_ROW + MAX_ROWS

    grid = grids[SHEET_INFO]
    for r in range(FIRST_ROW, last):
        code = _key(grid, r, F_KEY)
        if code is None:
            out.not_input(grid, SHEET_INFO, r, F_VALUE, "row without an information code", "dòng không có mã thông tin")
            continue
        out.value(f"{SHEET_INFO}!{get_column_letter(F_VALUE)}{r}", code, out.cell(grid, SHEET_INFO, r, F_VALUE))

    grid = grids[SHEET_INDICATORS]
    appraiser_notes = tuple(APPRAISER_NOTE.values())
    for r in range(FIRST_ROW, last):
        code = _key(grid, r, C_KEY)
        kind = _key(grid, r, C_KIND)
        value_at = f"{SHEET_INDICATORS}!{get_column_letter(C_VALUE)}{r}"
        explain_at = f"{SHEET_INDICATORS}!{get_column_letter(C_EXPLAIN)}{r}"
        if code is None or kind not in (LEAF, PARENT, APPRAISER):
            for c in (C_VALUE, C_EXPLAIN):
                out.not_input(grid, SHEET_INDICATORS, r, c, "row without an indicator code", "dòng không có mã chỉ tiêu")
            continue
        if kind == PARENT:
            for c in (C_VALUE, C_EXPLAIN):
                out.not_input(grid, SHEET_INDICATORS, r, c, f"{code} has sub-indicators", f"{code} có chỉ tiêu con")
            continue
        if kind == APPRAISER:
            out.not_input(grid, SHEET_INDICATORS, r, C_VALUE, f"{code} is scored by the appraiser",
                          f"{code} do cơ quan thẩm định chấm", allowed=appraiser_notes)
        else:
            out.value(value_at, code, out.cell(grid, SHEET_INDICATORS, r, C_VALUE))
        out.explanation(explain_at, code, out.cell(grid, SHEET_INDICATORS, r, C_EXPLAIN, explanation=True))
    out.refuse()
    return out.entries, out.explanations
