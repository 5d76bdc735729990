"""Writing a framework workbook: `write_workbook(framework, path)` writes the sheets of `excel_layout`
atomically; `build_workbook(framework)` makes them in memory.

Numbers go out as Excel numbers when the float survives exactly, else as text, which the reader accepts
("12,5" too). Text goes out as text even when it starts with '=' (a formula is a cell with a formula,
whatever its text). Reading what was written builds an equal framework with the same canonical hash.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.atomicfile import write_with
from app.frameworks.excel_layout import (
    GRADE_COLUMNS,
    GRADES,
    GROUP_COLUMNS,
    GROUPS,
    GUIDE,
    INDICATOR_COLUMNS,
    INDICATORS,
    INFO,
    INFO_COLUMNS,
    MAX_HELP,
    MAX_PREFIX,
    MAX_ROWS,
    META,
    META_COLUMNS,
    META_FIELDS,
    NO,
    RULE_EXAMPLES,
    YES,
)
from app.frameworks.excel_params import params_text
from app.frameworks.schema import FORMAT
from app.scoring.model import EVIDENCE_LEVELS, INFO_TYPES, Framework, Indicator
from app.scoring.numbers import parse_decimal, plain
from app.scoring.rules import RULE_TYPES
from app.xlsx_guard import MAX_CELL_TEXT

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
_TOP = Alignment(vertical="top")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _excel_number(value: Decimal) -> int | float | str:
    """An Excel number when it survives the trip exactly (openpyxl writes floats with %.16g), else text."""
    if value == value.to_integral_value() and abs(value) < 10 ** 15:
        return int(value)
    number = float(value)
    if float(f"{number:.16g}") == number and parse_decimal(number) == value:
        return number
    return plain(value)


def _put(ws: Any, row: int, column: int, value: Any, alignment: Alignment | None = None,
         number_format: str | None = None) -> Any:
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        where = f"sheet '{ws.title}', cell {cell.coordinate}"
        if ILLEGAL_CHARACTERS_RE.search(value) or "\r" in value:
            raise ValueError(f"{where}: the text has a control character a workbook cannot hold: {value[:40]!r}")
        if len(value) > MAX_CELL_TEXT:
            raise ValueError(f"{where}: text longer than Excel's {MAX_CELL_TEXT} characters per cell")
        cell.value = value
        cell.data_type = "s"  # text, even when it starts with '=' or reads like '#N/A'
    elif isinstance(value, Decimal):
        cell.value = _excel_number(value)
    else:
        cell.value = value
    if alignment is not None:
        cell.alignment = alignment
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _headings(ws: Any, columns: list[tuple[str, int]], freeze: str = "A2", text_columns: tuple[int, ...] = ()
              ) -> None:
    for i, (heading, width) in enumerate(columns, start=1):
        cell = _put(ws, 1, i, heading, _HEADER_ALIGN)
        cell.font, cell.fill = _BOLD, _HEADER_FILL
        ws.column_dimensions[get_column_letter(i)].width = width
        if i in text_columns:  # codes typed later stay text: 1.10 must not become the number 1.1
            ws.column_dimensions[get_column_letter(i)].number_format = "@"
    ws.freeze_panes = freeze


def _choices(ws: Any, ref: str, values: list[str], prompt: str = "") -> None:
    """A drop-down list on a range (Excel limits the list to 255 characters)."""
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Giá trị không hợp lệ",
                        error="Chọn một giá trị trong danh sách: " + ", ".join(values),
                        promptTitle="Chọn" if prompt else None, prompt=prompt[:255] or None,
                        showInputMessage=bool(prompt))
    dv.add(ref)
    ws.add_data_validation(dv)


def _column_range(column: int) -> str:
    letter = get_column_letter(column)
    return f"{letter}2:{letter}{MAX_ROWS}"


def _percent_format(value: Decimal) -> str:
    places = max(0, -(value * 100).normalize().as_tuple().exponent)  # type: ignore[operator]
    return "0" + ("." + "0" * min(places, 6) if places else "") + "%"


def _meta_sheet(ws: Any, f: Framework) -> None:
    _headings(ws, [(c.heading, c.width) for c in META_COLUMNS])
    values: dict[str, Any] = {
        "format": FORMAT, "id": f.id, "title": f.title, "decision": f.decision, "year": f.round.year,
        "start": f.round.start, "end": f.round.end, "default_appraiser": f.default_appraiser,
        "notice": f.notice, "reconstructed": YES if f.reconstructed else NO,
    }
    for row, (key, (kind, help_text)) in enumerate(META_FIELDS.items(), start=2):
        _put(ws, row, 1, key, _TOP)
        value = values[key]
        _put(ws, row, 2, value, _WRAP, "dd/mm/yyyy" if kind == "date" and value is not None else None)
        _put(ws, row, 3, help_text, _WRAP)
    _choices(ws, f"B{list(META_FIELDS).index('reconstructed') + 2}", [YES, NO])


def _groups_sheet(ws: Any, f: Framework) -> None:
    _headings(ws, [(c.heading, c.width) for c in GROUP_COLUMNS], text_columns=(1,))
    for row, g in enumerate(f.groups, start=2):
        _put(ws, row, 1, g.code, number_format="@")
        _put(ws, row, 2, g.title, _WRAP)
        _put(ws, row, 3, YES if g.ranked else NO)
    _choices(ws, _column_range(3), [YES, NO], "Có: xếp hạng nhóm này; Không: chỉ đánh giá.")


def _grades_sheet(ws: Any, f: Framework) -> None:
    _headings(ws, [(c.heading, c.width) for c in GRADE_COLUMNS])
    for row, g in enumerate(f.grades, start=2):
        _put(ws, row, 1, g.label)
        number = _excel_number(g.min)
        _put(ws, row, 2, g.min, number_format=None if isinstance(number, str) else _percent_format(g.min))


def _info_sheet(ws: Any, f: Framework) -> None:
    _headings(ws, [(c.heading, c.width) for c in INFO_COLUMNS], text_columns=(1,))
    for row, i in enumerate(f.info, start=2):
        values = (i.code, i.title, i.type, i.unit, ", ".join(i.groups) if i.groups is not None else None,
                  i.appraiser, i.guide)
        for column, value in enumerate(values, start=1):
            _put(ws, row, column, value, _WRAP if column in (2, 7) else _TOP, "@" if column == 1 else None)
    _choices(ws, _column_range(3), list(INFO_TYPES), "integer: số nguyên; number: số; text: văn bản.")


def _indicators_sheet(ws: Any, f: Framework) -> None:
    fixed = INDICATOR_COLUMNS[:3]
    after = INDICATOR_COLUMNS[3:]
    groups = [g.code for g in f.groups]
    columns = ([(c.heading, c.width) for c in fixed] + [(MAX_PREFIX + g, 12) for g in groups]
               + [(c.heading, c.width) for c in after])
    _headings(ws, columns, freeze="D2", text_columns=(1, 2))
    first_after = len(fixed) + len(groups) + 1

    def emit(node: Indicator, parent: str | None, depth: int, row: int) -> int:
        code = _put(ws, row, 1, node.code, _TOP, "@")
        _put(ws, row, 2, parent, _TOP, "@")
        title = _put(ws, row, 3, node.title, Alignment(wrap_text=True, vertical="top", indent=min(2 * depth, 15)))
        if depth == 0:  # main indices stand out
            code.font = title.font = _BOLD
        for i, g in enumerate(groups):
            if g in node.max:
                _put(ws, row, 4 + i, node.max[g], _TOP)
        if node.is_leaf and node.rule is not None:
            _put(ws, row, first_after, node.rule.type, _TOP)
            _put(ws, row, first_after + 1, params_text(node.rule.params()) or None, _WRAP)
            _put(ws, row, first_after + 2, node.evidence, _TOP)
        _put(ws, row, first_after + 3, node.appraiser, _WRAP)
        _put(ws, row, first_after + 4, node.guide, _WRAP)
        if depth:
            ws.row_dimensions[row].outline_level = min(depth, 7)
        row += 1
        for child in node.children:
            row = emit(child, node.code, depth + 1, row)
        return row

    row = 2
    for top in f.indicators:
        row = emit(top, None, 0, row)
    _choices(ws, _column_range(first_after), list(RULE_TYPES),
             "Cách tính điểm của chỉ số lá; xem trang Hướng dẫn.")
    _choices(ws, _column_range(first_after + 2), list(EVIDENCE_LEVELS),
             "required: bắt buộc; optional: không bắt buộc; none: không cần minh chứng.")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(row - 1, 1)}"
    ws.sheet_properties.outlinePr.summaryBelow = False  # a parent is above its children


_GUIDE_INTRO = (
    f"Tệp là một bộ chỉ số đánh giá chuyển đổi số (định dạng {FORMAT}); có thể sửa trong Excel rồi nhập lại.",
    "Dòng 1 của mỗi trang là tiêu đề cột: không đổi tên tiêu đề. Có thể thêm cột có tiêu đề bắt đầu bằng "
    "«Ghi chú»: phần mềm bỏ qua cột đó.",
    "Không dùng công thức, không gộp ô (merge). Dòng trống được bỏ qua. Trang «Hướng dẫn» này không được đọc.",
)


def _guide_sheet(ws: Any) -> None:
    for letter, width in zip("ABCD", (18, 24, 90, 70), strict=True):
        ws.column_dimensions[letter].width = width
    _put(ws, 1, 1, "Hướng dẫn soạn bộ chỉ số bằng Excel").font = Font(bold=True, size=14)
    for row, line in enumerate(_GUIDE_INTRO, start=2):
        _put(ws, row, 1, line)
    row = len(_GUIDE_INTRO) + 3

    def headings(*titles: str) -> None:
        for i, heading in enumerate(titles, start=1):
            if heading:
                cell = _put(ws, row, i, heading, _HEADER_ALIGN)
                cell.font, cell.fill = _BOLD, _HEADER_FILL

    headings("Trang tính", "Cột", "Ý nghĩa")
    row += 1
    entries: list[tuple[str, str, str]] = [(META, f"Trường: {k}", h) for k, (_, h) in META_FIELDS.items()]
    for sheet, columns in ((GROUPS, GROUP_COLUMNS), (GRADES, GRADE_COLUMNS), (INFO, INFO_COLUMNS)):
        entries += [(sheet, c.heading, c.help) for c in columns]
    entries += [(INDICATORS, c.heading, c.help) for c in INDICATOR_COLUMNS[:3]]
    entries.append((INDICATORS, MAX_PREFIX + "<mã nhóm>", MAX_HELP))
    entries += [(INDICATORS, c.heading, c.help) for c in INDICATOR_COLUMNS[3:]]
    for entry in entries:
        for i, value in enumerate(entry, start=1):
            _put(ws, row, i, value, _WRAP)
        row += 1
    row += 1
    headings("Loại quy tắc", "", "Ý nghĩa", "Ví dụ ô «Tham số quy tắc»")
    row += 1
    for kind, meaning, example in RULE_EXAMPLES:
        _put(ws, row, 1, kind, _TOP)
        _put(ws, row, 3, meaning, _WRAP)
        _put(ws, row, 4, example or "(để trống)", _WRAP)
        row += 1


def build_workbook(framework: Framework) -> Workbook:
    """The framework as an openpyxl workbook (see the module docstring for the layout)."""
    wb = Workbook()
    meta = wb.active
    meta.title = META
    _meta_sheet(meta, framework)
    _groups_sheet(wb.create_sheet(GROUPS), framework)
    _grades_sheet(wb.create_sheet(GRADES), framework)
    _info_sheet(wb.create_sheet(INFO), framework)
    _indicators_sheet(wb.create_sheet(INDICATORS), framework)
    _guide_sheet(wb.create_sheet(GUIDE))
    return wb


def write_workbook(framework: Framework, path: Path) -> None:
    """Write the framework as an XLSX workbook, atomically: the file at `path` is the old one or the new
    one, never half of either; nothing is left behind when writing fails."""
    wb = build_workbook(framework)  # ValueError before anything touches the disk
    write_with(Path(path), wb.save)
