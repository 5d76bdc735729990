"""Reading the entry workbook: `read_entry_workbook(raw, name, expect)` reads the yellow cells back as
`([(where, code, raw value)], {code: explanation})` for `import_entries`, which types every value with
`parse_entry` and refuses the whole file when one is bad.

The reader itself refuses only what is not a value at all (a date, a formula never calculated, an Excel
error, a value in a cell that is not an input cell, the same code twice), every such cell listed in one
line. Only the input cells are read: an input typed into another cell after unprotecting is refused,
never silently dropped. Empty input cells are skipped: they leave the stored value as it is.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter

from app.entries.workbook_layout import (
    APPRAISER,
    APPRAISER_NOTE,
    C_EXPLAIN,
    C_KEY,
    C_KIND,
    C_VALUE,
    F_KEY,
    F_VALUE,
    FIRST_ROW,
    FORMAT,
    LEAF,
    MAX_LISTED,
    MAX_META_ROWS,
    MAX_ROWS,
    PARENT,
    SHEET_INDICATORS,
    SHEET_INFO,
    SHEET_META,
)
from app.errors import UserError
from app.xlsx_guard import (
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


class _Bad:
    """A cell that is not a value (date, formula without result, Excel error): already reported."""


_BAD = _Bad()


def _fail(name: str, en: str, vi: str) -> UserError:
    return UserError(f"{name}: {en}", f"{name}: {vi}")


def _short(error: BaseException) -> str:
    return short_error(error, 120)


class _Grid:
    """The cells of one sheet as plain data: {(row, column): (value, data_type)}, formulas apart."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[Any, str]] = {}
        self.formulas: set[tuple[int, int]] = set()

    def value(self, row: int, column: int) -> tuple[Any, str]:
        return self.cells.get((row, column), (None, "n"))


def _open(raw: bytes, name: str, data_only: bool) -> Any:
    try:
        return load_read_only(raw, data_only)
    except Exception as e:  # openpyxl raises KeyError, ValueError, XML errors... on hostile input
        raise _fail(name, f"not a readable Excel workbook (.xlsx): {_short(e)}",
                    f"không đọc được sổ Excel (.xlsx): {_short(e)}") from None


def _check_container(raw: bytes, name: str) -> None:
    try:
        open_package(raw).close()
    except XlsxRefused as refused:
        en, vi = {
            TOO_LARGE: (f"too large ({len(raw)} bytes)", f"quá lớn ({len(raw)} byte)"),
            NOT_ZIP: ("not an Excel workbook (.xlsx): the file is damaged or not a zip file",
                      "không phải sổ Excel (.xlsx): tệp hỏng hoặc không phải tệp zip"),
            TOO_LARGE_UNPACKED: (f"workbook too large once unpacked (limit {MAX_UNPACKED} bytes)",
                                 f"sổ quá lớn khi giải nén (giới hạn {MAX_UNPACKED} byte)"),
            NOT_XLSX: ("a zip file but not an Excel workbook (.xlsx)", "là tệp zip nhưng không phải sổ Excel (.xlsx)"),
        }[refused.reason]
        raise _fail(name, en, vi) from None


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
            if explanation:
                return float_text(value)
            # a number cell is a number, not text to read the Vietnamese way: 12.5 is twelve and a half
            return int(value) if value.is_integer() and abs(value) < 1e15 else Decimal(repr(value))
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
