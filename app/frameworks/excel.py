"""Framework workbooks (XLSX): the spreadsheet form of DESIGN §3, for people who author in Excel.

`read_workbook(raw, source)` turns a workbook into the plain data that YAML parsing would give, for
`schema.build()` to validate; it checks only what concerns cells (formulas, types, headings, the tree
of parent codes) and names the sheet and cell of every problem. `write_workbook(framework, path)`
writes a workbook atomically. The two round-trip: reading what was written builds an equal framework
with the same canonical hash.

This module is the entry point; the work is done in
  excel_layout   the sheets, their columns and the help written into them
  excel_params   the parameters cell, a small YAML dialect
  excel_cells    the container checks and the cell checks of the reader
  excel_read     the sheets read into plain data (`read_workbook`)
  excel_write    the sheets written from a framework (`build_workbook`, `write_workbook`)

Hostile input: at most 20 MB, 64 MB unpacked, 5000 rows and 60 columns a sheet; zip, XML and openpyxl
errors become FrameworkInvalid. Messages are in English, like those of `schema`.
"""

from __future__ import annotations

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
    MAX_COLS,
    MAX_HELP,
    MAX_PREFIX,
    MAX_PROBLEMS,
    MAX_ROWS,
    MAX_SCANNED_ROWS,
    META,
    META_COLUMNS,
    META_FIELDS,
    NO,
    RULE_EXAMPLES,
    YES,
    Column,
)
from app.frameworks.excel_params import params_text, parse_params
from app.frameworks.excel_read import read_workbook
from app.frameworks.excel_write import build_workbook, write_workbook
from app.xlsx_guard import MAX_BYTES, MAX_CELL_TEXT, MAX_PARTS, MAX_UNPACKED

__all__ = [
    "GRADES", "GRADE_COLUMNS", "GROUPS", "GROUP_COLUMNS", "GUIDE", "INDICATORS", "INDICATOR_COLUMNS", "INFO",
    "INFO_COLUMNS", "MAX_BYTES", "MAX_CELL_TEXT", "MAX_COLS", "MAX_HELP", "MAX_PARTS", "MAX_PREFIX",
    "MAX_PROBLEMS", "MAX_ROWS", "MAX_SCANNED_ROWS", "MAX_UNPACKED", "META", "META_COLUMNS", "META_FIELDS", "NO",
    "RULE_EXAMPLES", "YES", "Column", "build_workbook", "params_text", "parse_params", "read_workbook",
    "write_workbook",
]
