"""Reading the cells of a framework workbook: the container checks, one data sheet as a table found by
its headings, and each cell checked for what it must hold (text, number, Có/Không, date, year).

Every problem names its sheet and cell; reading stops after MAX_PROBLEMS of them. Formulas, Excel errors
and merged cells are refused; openpyxl is only given bytes that passed `app.xlsx_guard`.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from app.frameworks.excel_layout import (
    FALSE_WORDS,
    MAX_COLS,
    MAX_PREFIX,
    MAX_PROBLEMS,
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    NO,
    TRUE_WORDS,
    YES,
    Column,
)
from app.frameworks.schema import FrameworkInvalid, Problem, text
from app.scoring.numbers import parse_decimal
from app.xlsx_guard import (
    MAX_BYTES,
    MAX_PARTS,
    MAX_UNPACKED,
    NOT_XLSX,
    NOT_ZIP,
    TOO_LARGE,
    TOO_LARGE_UNPACKED,
    XlsxRefused,
    float_text,
    load_read_only,
    open_package,
    short_error,
)

BAD = object()  # a cell already reported as a problem
_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z0-9:$]+)"')
_MAX_HEADING = re.compile(r"^(?:tối đa|max)\s*[:：]\s*(\S+)$", re.IGNORECASE)


class Stop(Exception):
    """Too many problems: stop reading, report those found."""


def fold(value: str) -> str:
    """A heading, sheet name or word as compared: NFC, case folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def filled(cell: Any) -> bool:
    value = cell.value
    return value is not None and not (isinstance(value, str) and not value.strip())


def short(error: BaseException) -> str:
    return short_error(error, 160)


def _refusal(reason: str, size: int) -> tuple[str, str]:
    """(English, Vietnamese) of a container refused by `xlsx_guard`."""
    return {
        TOO_LARGE: (f"file too large ({size} bytes, limit {MAX_BYTES})",
                    f"tệp quá lớn ({size} byte, giới hạn {MAX_BYTES})"),
        NOT_ZIP: ("not an Excel workbook (.xlsx): the file is damaged or not a zip file",
                  "không phải tệp Excel (.xlsx): tệp bị hỏng hoặc không phải tệp zip"),
        TOO_LARGE_UNPACKED: (f"workbook too large once unpacked (limit {MAX_UNPACKED} bytes, {MAX_PARTS} parts)",
                             f"tệp Excel quá lớn khi giải nén (giới hạn {MAX_UNPACKED} byte, {MAX_PARTS} phần)"),
        NOT_XLSX: ("a zip file but not an Excel workbook (.xlsx): no [Content_Types].xml inside",
                   "là tệp zip nhưng không phải tệp Excel (.xlsx): bên trong không có [Content_Types].xml"),
    }[reason]


def sheet_place(sheet: str, coordinate: str = "") -> tuple[str, str]:
    """(English, Vietnamese) of where a problem is: the sheet, and its cell or row ("row 5")."""
    if coordinate.startswith("row "):
        return f"sheet '{sheet}', {coordinate}", f"trang tính '{sheet}', dòng {coordinate[len('row '):]}"
    if coordinate:
        return f"sheet '{sheet}', cell {coordinate}", f"trang tính '{sheet}', ô {coordinate}"
    return f"sheet '{sheet}'", f"trang tính '{sheet}'"


@dataclass
class Table:
    sheet: str
    columns: dict[str, int] = field(default_factory=dict)   # key -> 0-based column
    maxima: dict[str, int] = field(default_factory=dict)    # group code -> 0-based column ("Chỉ số")
    rows: list[tuple[int, tuple]] = field(default_factory=list)


class CellReader:
    """What reads a framework workbook, up to the cells; `excel_read` reads the sheets with it."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.sheet = ""
        self.zip: zipfile.ZipFile | None = None

    def err(self, sheet: str, coordinate: str, reason: str, reason_vi: str) -> None:
        where, where_vi = sheet_place(sheet, coordinate)
        self.problems.append(Problem(where, reason, reason_vi, where_vi))
        if len(self.problems) >= MAX_PROBLEMS:
            raise Stop

    def fail(self, reason: str, reason_vi: str) -> FrameworkInvalid:
        return FrameworkInvalid(self.source, [Problem("", reason, reason_vi)])

    # -- the container ----------------------------------------------------------------------------
    def open(self, raw: bytes) -> Any:
        try:
            self.zip = open_package(raw)
        except XlsxRefused as refused:
            raise self.fail(*_refusal(refused.reason, len(raw))) from None
        try:
            return load_read_only(raw, data_only=False)
        except Exception as e:  # openpyxl raises KeyError, ValueError, XML errors... on hostile input
            raise self.fail(f"not a readable Excel workbook (.xlsx): {short(e)}",
                            f"không đọc được tệp Excel (.xlsx): {short(e)}") from None

    def merged(self, ws: Any, sheet: str) -> None:
        """Merged cells show one value over several cells and leave the others empty: refuse them."""
        part = getattr(ws, "_worksheet_path", None)
        if not part or self.zip is None or part not in self.zip.namelist():
            return
        for ref in _MERGE.findall(self.zip.read(part))[:5]:
            self.err(sheet, ref.decode("ascii"), "merged cells are not allowed in a data sheet: unmerge them",
                     "không được gộp ô trong trang tính dữ liệu: hãy bỏ gộp các ô này")

    def scan(self, ws: Any, sheet: str) -> list[tuple[int, tuple]]:
        """The non-empty rows as (row number, cells), within MAX_ROWS x MAX_COLS."""
        if not hasattr(ws, "iter_rows"):
            self.err(sheet, "", "is not a worksheet (a chart sheet?)",
                     "không phải trang tính dữ liệu (có thể là trang biểu đồ?)")
            return []
        self.merged(ws, sheet)
        ws.reset_dimensions()  # the recorded dimension may lie; read what is there
        rows: list[tuple[int, tuple]] = []
        for number, cells in enumerate(ws.iter_rows(), start=1):
            if number > MAX_SCANNED_ROWS:
                self.err(sheet, f"A{number}", f"the sheet goes on beyond row {MAX_SCANNED_ROWS}: delete the "
                                              "(empty, formatted) rows below the data",
                         f"trang tính kéo dài quá dòng {MAX_SCANNED_ROWS}: hãy xóa các dòng (trống nhưng có "
                         "định dạng) bên dưới dữ liệu")
                break
            if len(cells) > MAX_COLS:
                wide = len(cells) > 16 * MAX_COLS  # do not look through thousands of padding cells
                beyond = next((c for c in cells[MAX_COLS:] if filled(c)), None) if not wide else cells[-1]
                if beyond is not None:
                    column = beyond.column if hasattr(beyond, "column") else len(cells)
                    self.err(sheet, f"{get_column_letter(column)}{number}",
                             f"too many columns: a sheet may use at most {MAX_COLS} (A to "
                             f"{get_column_letter(MAX_COLS)}); delete the columns to the right",
                             f"quá nhiều cột: mỗi trang tính chỉ được dùng tối đa {MAX_COLS} cột (A đến "
                             f"{get_column_letter(MAX_COLS)}); hãy xóa các cột bên phải")
                    break
                cells = cells[:MAX_COLS]
            if not any(filled(c) for c in cells):
                continue
            if number > MAX_ROWS:
                self.err(sheet, f"A{number}", f"too many rows: a sheet may hold at most {MAX_ROWS} rows",
                         f"quá nhiều dòng: mỗi trang tính chỉ được có tối đa {MAX_ROWS} dòng")
                break
            rows.append((number, cells))
        return rows

    def table(self, ws: Any, sheet: str, columns: tuple[Column, ...], group_columns: bool = False) -> Table:
        self.sheet = sheet
        t = Table(sheet)
        rows = self.scan(ws, sheet)
        if not rows or rows[0][0] != 1:
            headings = ", ".join(c.heading for c in columns if c.required)
            self.err(sheet, "", f"row 1 must hold the column headings ({headings}, ...)",
                     f"dòng 1 phải chứa tiêu đề các cột ({headings}, ...)")
            return t
        aliases = {alias: c.key for c in columns for alias in (fold(c.heading), c.key)}
        ignored: set[int] = set()
        _, header = rows[0]
        for i, cell in enumerate(header):
            if not filled(cell):
                continue
            coordinate = f"{get_column_letter(i + 1)}1"
            if not isinstance(cell.value, str) or getattr(cell, "data_type", "s") != "s":
                self.err(sheet, coordinate, "a column heading must be text", "tiêu đề cột phải là văn bản")
                continue
            heading = text(cell.value)
            key = aliases.get(fold(heading))
            match = _MAX_HEADING.match(heading) if group_columns else None
            if fold(heading).startswith("ghi chú") or key == "note":
                ignored.add(i)
            elif key is not None:
                if key in t.columns:
                    self.err(sheet, coordinate, f"column '{heading}' appears twice",
                             f"cột '{heading}' xuất hiện hai lần")
                t.columns[key] = i
            elif match is not None:
                group = match.group(1)
                if group in t.maxima:
                    self.err(sheet, coordinate, f"column '{heading}' appears twice",
                             f"cột '{heading}' xuất hiện hai lần")
                t.maxima[group] = i
            else:
                known = ", ".join(c.heading for c in columns if c.key != "note")
                extra = f", {MAX_PREFIX}<mã nhóm>" if group_columns else ""
                self.err(sheet, coordinate, f"unknown column heading '{heading}' (known: {known}{extra};"
                                            " a column headed 'Ghi chú' is ignored)",
                         f"tiêu đề cột '{heading}' không hợp lệ (các tiêu đề hợp lệ: {known}{extra};"
                         " cột có tiêu đề 'Ghi chú' được bỏ qua)")
                ignored.add(i)
        for c in columns:
            if c.required and c.key not in t.columns:
                self.err(sheet, "", f"no column headed '{c.heading}' in row 1",
                         f"dòng 1 không có cột nào có tiêu đề '{c.heading}'")
        used = set(t.columns.values()) | set(t.maxima.values()) | ignored
        for number, cells in rows[1:]:
            if not any(filled(c) for i, c in enumerate(cells) if i not in ignored):
                continue  # a row with nothing but notes
            stray = next((i for i, c in enumerate(cells) if i not in used and filled(c)), None)
            if stray is not None:
                self.err(sheet, f"{get_column_letter(stray + 1)}{number}", "a value in a column without a heading",
                         "có giá trị trong một cột không có tiêu đề")
            t.rows.append((number, cells))
        return t

    # -- cells ------------------------------------------------------------------------------------
    @staticmethod
    def at(t: Table, number: int, key: str) -> str:
        index = t.columns.get(key)
        return f"{get_column_letter(index + 1)}{number}" if index is not None else ""

    def raw(self, t: Table, number: int, cells: tuple, index: int | None) -> tuple[Any, str]:
        if index is None:
            return None, ""
        coordinate = f"{get_column_letter(index + 1)}{number}"
        cell = cells[index] if index < len(cells) else None
        if cell is None:
            return None, coordinate
        value, kind = cell.value, getattr(cell, "data_type", None)
        if kind == "f":
            self.err(t.sheet, coordinate, "a formula is not allowed: type the value itself",
                     "không được dùng công thức: hãy nhập trực tiếp giá trị")
            return BAD, coordinate
        if kind == "e":
            self.err(t.sheet, coordinate, f"the cell holds an error ({value}), not a value",
                     f"ô chứa lỗi ({value}), không phải một giá trị")
            return BAD, coordinate
        if isinstance(value, str) and not value.strip():
            value = None
        return value, coordinate

    def text(self, t: Table, number: int, cells: tuple, key: str, label: str = "", code: bool = False) -> Any:
        value, coordinate = self.raw(t, number, cells, t.columns.get(key))
        if value is None or value is BAD or isinstance(value, str):
            if value is None and label and key in t.columns:  # a missing column is reported once
                self.err(t.sheet, coordinate, f"'{label}' is empty", f"'{label}' đang để trống")
                return BAD
            return value
        if isinstance(value, bool):
            self.err(t.sheet, coordinate, "expected text, not TRUE/FALSE", "cần nhập văn bản, không phải TRUE/FALSE")
        elif code and isinstance(value, float) and not value.is_integer():
            # Excel turned what was typed into a number: 1.10 became 1.1. Refuse rather than guess.
            self.err(t.sheet, coordinate, f"the code {value!r} is a number, and Excel reads 1.10 as 1.1: "
                                          "format the column as Text and type the code again",
                     f"mã {value!r} đang là số, mà Excel đọc 1.10 thành 1.1: hãy định dạng cột là Văn bản (Text) "
                     "rồi nhập lại mã")
        elif isinstance(value, (int, float, Decimal)):
            return str(value) if not isinstance(value, float) else float_text(value)
        else:
            self.err(t.sheet, coordinate, f"expected text, not a date or time ({value})",
                     f"cần nhập văn bản, không phải ngày hoặc giờ ({value})")
        return BAD

    def number(self, t: Table, number: int, cells: tuple, index: int | None, what: str, what_vi: str,
               percent: bool = False) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is BAD:
            return value
        try:
            if isinstance(value, (datetime, date)) or not isinstance(value, (int, float, Decimal, str)):
                raise ValueError
            if percent and isinstance(value, str) and value.strip().endswith("%"):
                return parse_decimal(value.strip()[:-1]) / 100
            return parse_decimal(value)
        except (ValueError, ArithmeticError):
            self.err(t.sheet, coordinate, f"{what} must be a number, not {value!r}",
                     f"{what_vi} phải là một số, không phải {value!r}")
            return BAD

    def boolean(self, t: Table, number: int, cells: tuple, index: int | None) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is BAD or isinstance(value, bool):
            return value
        word = fold(str(value)) if isinstance(value, (str, int)) else ""
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        self.err(t.sheet, coordinate, f"expected {YES} or {NO}, not {value!r}",
                 f"cần nhập {YES} hoặc {NO}, không phải {value!r}")
        return BAD

    def day(self, t: Table, number: int, cells: tuple, index: int | None) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is BAD:
            return value
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            raw = value.strip()
            for parse in (date.fromisoformat, lambda s: datetime.strptime(s, "%d/%m/%Y").date()):
                with contextlib.suppress(ValueError):
                    return parse(raw)
        self.err(t.sheet, coordinate, f"expected a date (a date cell or YYYY-MM-DD), not {value!r}",
                 f"cần nhập ngày (ô kiểu ngày hoặc dạng YYYY-MM-DD), không phải {value!r}")
        return BAD

    def year(self, t: Table, number: int, cells: tuple, index: int | None) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is BAD:
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 6:
            return int(value.strip())
        self.err(t.sheet, coordinate, f"expected a year such as 2023, not {value!r}",
                 f"cần nhập năm, ví dụ 2023, không phải {value!r}")
        return BAD
