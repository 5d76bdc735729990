"""The Excel entry workbook (sổ nhập số liệu): `dti entry template` writes it, `dti entry import` reads it.

`write_entry_workbook(state, out, lang)` writes the unit's applicable general information and indicators,
prefilled with the values stored now, atomically. `read_entry_workbook(raw, name, expect)` reads the
yellow cells back as `([(where, code, raw value)], {code: explanation})` for `import_entries`, which
types every value with `parse_entry` and refuses the whole file when one is bad. The reader itself
refuses only what is not a value at all (a date, a formula never calculated, an Excel error, a value in a
cell that is not an input cell, the same code twice), every such cell listed in one line.

This module is the entry point; the work is done in
  workbook_layout   sheets, rows, columns and every text of the workbook, in Vietnamese and English
  workbook_input    what each input cell takes: exact text (`render`), hints, validation, prefill
  workbook_write    the workbook written (`build_entry_workbook`, `write_entry_workbook`)
  workbook_read     the yellow cells read back (`read_entry_workbook`)

The data sheets are protected without a password, the input cells unlocked: only the yellow cells can be
typed in, and only they are read (an input typed into another cell after unprotecting is refused, never
silently dropped). Empty input cells are skipped: they leave the stored value as it is.
"""

from __future__ import annotations

from app.entries.values import render
from app.entries.workbook_layout import (
    APPRAISER,
    APPRAISER_NOTE,
    C_CODE,
    C_EVIDENCE,
    C_EXPLAIN,
    C_KEY,
    C_KIND,
    C_MAX,
    C_RULE,
    C_TITLE,
    C_VALUE,
    EVIDENCE,
    F_CODE,
    F_KEY,
    F_NOTE,
    F_TITLE,
    F_TYPE,
    F_UNIT,
    F_VALUE,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    INFO_TYPE,
    LEAF,
    MAX_LISTED,
    MAX_META_ROWS,
    MAX_ROWS,
    PARENT,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_INFO,
    SHEET_META,
    YES_NO,
)
from app.entries.workbook_read import read_entry_workbook
from app.entries.workbook_write import build_entry_workbook, write_entry_workbook
from app.xlsx_guard import MAX_BYTES, MAX_CELL_TEXT, MAX_PARTS, MAX_UNPACKED

__all__ = [
    "APPRAISER", "APPRAISER_NOTE", "C_CODE", "C_EVIDENCE", "C_EXPLAIN", "C_KEY", "C_KIND", "C_MAX", "C_RULE",
    "C_TITLE", "C_VALUE", "EVIDENCE", "FIRST_ROW", "FORMAT", "F_CODE", "F_KEY", "F_NOTE", "F_TITLE", "F_TYPE",
    "F_UNIT", "F_VALUE", "HEADER_ROW", "INFO_TYPE", "LEAF", "MAX_BYTES", "MAX_CELL_TEXT", "MAX_LISTED",
    "MAX_META_ROWS", "MAX_PARTS", "MAX_ROWS", "MAX_UNPACKED", "PARENT", "SHEET_GUIDE", "SHEET_INDICATORS",
    "SHEET_INFO", "SHEET_META", "YES_NO", "build_entry_workbook", "read_entry_workbook", "render",
    "write_entry_workbook",
]
