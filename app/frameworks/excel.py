"""Framework workbooks (XLSX): the spreadsheet form of DESIGN §3, for people who author in Excel.

`read_workbook(raw, source)` turns a workbook into the plain data that YAML parsing would give, for
`schema.build()` to validate; it checks only what concerns cells (formulas, types, headings, the tree
of parent codes) and names the sheet and cell of every problem. `write_workbook(framework, path)`
writes a workbook atomically. The two round-trip: reading what was written builds an equal framework
with the same canonical hash.

Layout. Row 1 of every data sheet holds the headings; columns are found by heading (Vietnamese, or the
YAML key), in any order; columns headed "Ghi chú…" are notes and ignored, as are other sheets. Formulas
and merged cells are refused in the data sheets; empty rows are skipped.

  Thông tin        Trường | Giá trị — one row per field: format, id, title, decision, year, start, end,
                   default_appraiser, notice, reconstructed (Có/Không). Dates are Excel dates or
                   YYYY-MM-DD text (dd/mm/yyyy is accepted too).
  Nhóm             Mã nhóm | Tên nhóm | Xếp hạng (Có/Không, empty = Có)
  Xếp loại         Xếp loại | Tỷ lệ tối thiểu (0..1, or a percentage such as 90 %), highest first
  Thông tin chung  Mã | Tên thông tin | Kiểu dữ liệu (integer/number/text) | Đơn vị tính |
                   Áp dụng cho nhóm (group codes separated by commas, empty = every group) |
                   Đơn vị thẩm định | Hướng dẫn — optional sheet
  Chỉ số           Mã | Mã chỉ số cha (empty for a main index; the parent's row comes first) |
                   Tên chỉ số | Tối đa: <group code> — one column per group, empty = not applicable |
                   Loại quy tắc (leaves only; empty = points) | Tham số quy tắc — the rule's parameters
                   as a YAML flow mapping such as {denominator: TT.4, target: 0.8} | Minh chứng
                   (required/optional/none, empty = optional) | Đơn vị thẩm định | Hướng dẫn
  Hướng dẫn        written for people (every column, an example per rule type); never read

Hostile input: at most 20 MB, 64 MB unpacked, 5000 rows and 60 columns a sheet; zip, XML and openpyxl
errors become FrameworkInvalid. Messages are in English, like those of `schema`.

Round-trip choices: the maxima of an indicator are read as a map group -> points of the filled cells
(never the "plain number = every group of the parent" shorthand). Numbers go out as Excel numbers when
the float survives exactly, else as text, which the reader accepts ("12,5" too). Text goes out as text
even when it starts with '=' (a formula is a cell with a formula, whatever its text). In the parameters
cell only true/false are booleans (YAML 1.2, as in framework files) and decimals are kept exact.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.frameworks.schema import FORMAT, FrameworkInvalid, Problem, text
from app.scoring.model import EVIDENCE_LEVELS, INFO_TYPES, Framework, Indicator
from app.scoring.numbers import parse_decimal, plain
from app.scoring.rules import RULE_TYPES

MAX_BYTES = 20 * 1024 * 1024        # the largest real framework workbook is well under 1 MB
MAX_UNPACKED = 64 * 1024 * 1024     # zip bombs: the sum of the declared sizes of the parts
MAX_PARTS = 2000
MAX_ROWS = 5000
MAX_SCANNED_ROWS = 20 * MAX_ROWS    # empty formatted rows are skipped, but not a million of them
MAX_COLS = 60
MAX_PROBLEMS = 50
MAX_CELL_TEXT = 32767               # Excel's limit for one cell

META, GROUPS, GRADES, INFO, INDICATORS, GUIDE = (
    "Thông tin", "Nhóm", "Xếp loại", "Thông tin chung", "Chỉ số", "Hướng dẫn")

YES, NO = "Có", "Không"
_TRUE = {"có", "co", "c", "x", "yes", "y", "true", "1"}
_FALSE = {"không", "khong", "k", "no", "n", "false", "0"}


@dataclass(frozen=True)
class Column:
    key: str        # the YAML key, accepted as a heading too
    heading: str
    width: int
    required: bool = False
    help: str = ""


META_COLUMNS = (Column("field", "Trường", 22, True), Column("value", "Giá trị", 60, True),
                Column("note", "Ghi chú", 70))
META_FIELDS: dict[str, tuple[str, str]] = {   # key -> (kind, help)
    "format": ("text", f"Định dạng tệp, luôn là {FORMAT}."),
    "id": ("text", "Mã bộ chỉ số: chữ thường không dấu, chữ số và dấu '-', ví dụ hy-2023."),
    "title": ("text", "Tên bộ chỉ số."),
    "decision": ("text", "Quyết định ban hành (không bắt buộc)."),
    "year": ("year", "Năm đánh giá, ví dụ 2023."),
    "start": ("date", "Ngày bắt đầu kỳ số liệu (ngày Excel hoặc YYYY-MM-DD); điền cả hai ngày hoặc bỏ trống cả hai."),
    "end": ("date", "Ngày kết thúc kỳ số liệu."),
    "default_appraiser": ("text", "Đơn vị thẩm định mặc định (không bắt buộc)."),
    "notice": ("text", "Lưu ý hiển thị cho người dùng (không bắt buộc)."),
    "reconstructed": ("bool", "Có nếu bộ chỉ số được dựng lại, chưa đối chiếu văn bản gốc; bỏ trống = Không."),
}
GROUP_COLUMNS = (
    Column("code", "Mã nhóm", 16, True, "Mã nhóm đơn vị: chữ thường không dấu, chữ số và dấu '-', ví dụ so-dvc."),
    Column("title", "Tên nhóm", 50, True, "Tên nhóm đơn vị; mỗi nhóm được xếp hạng riêng."),
    Column("ranked", "Xếp hạng", 12, False, "Có: xếp hạng nhóm này; Không: chỉ đánh giá. Bỏ trống = Có."),
)
GRADE_COLUMNS = (
    Column("label", "Xếp loại", 24, True, "Tên mức xếp loại, ví dụ Tốt, Khá. Liệt kê từ mức cao nhất."),
    Column("min", "Tỷ lệ tối thiểu", 18, True,
           "Tỷ lệ điểm tối thiểu so với điểm tối đa: từ 0 đến 1, hoặc phần trăm như 90 %."),
)
INFO_COLUMNS = (
    Column("code", "Mã", 12, True, "Mã thông tin, ví dụ TT.4; không trùng mã chỉ số."),
    Column("title", "Tên thông tin", 50, True, "Tên thông tin chung (không tính điểm)."),
    Column("type", "Kiểu dữ liệu", 14, False, "integer (số nguyên), number (số), text (văn bản). Bỏ trống = integer."),
    Column("unit", "Đơn vị tính", 14, False, "Ví dụ: người, hồ sơ (không bắt buộc)."),
    Column("groups", "Áp dụng cho nhóm", 22, False, "Mã các nhóm, cách nhau bởi dấu phẩy; bỏ trống = mọi nhóm."),
    Column("appraiser", "Đơn vị thẩm định", 28, False, "Đơn vị thẩm định thông tin này (không bắt buộc)."),
    Column("guide", "Hướng dẫn", 60, False, "Hướng dẫn nhập (không bắt buộc)."),
)
MAX_PREFIX = "Tối đa: "
INDICATOR_COLUMNS = (
    Column("code", "Mã", 12, True, "Mã chỉ số, không trùng, ví dụ 1, 1.1, 1.1.2. Thứ tự dòng là thứ tự hiển thị."),
    Column("parent", "Mã chỉ số cha", 14, False,
           "Mã chỉ số cấp trên; bỏ trống với chỉ số chính. Dòng của chỉ số cha phải ở phía trên."),
    Column("title", "Tên chỉ số", 60, True, "Tên chỉ số; thụt lề theo cấp (chỉ để dễ đọc)."),
    # the "Tối đa: <group>" columns come here, one per group
    Column("rule", "Loại quy tắc", 16, False,
           "Cách tính điểm của chỉ số lá, xem bảng dưới; bỏ trống = points. Để trống ở chỉ số có chỉ số con."),
    Column("params", "Tham số quy tắc", 50, False,
           "Tham số của quy tắc dạng {tên: giá trị, ...}, xem ví dụ dưới; số thập phân dùng dấu chấm."),
    Column("evidence", "Minh chứng", 13, False,
           "required (bắt buộc), optional (không bắt buộc), none (không cần). Bỏ trống = optional."),
    Column("appraiser", "Đơn vị thẩm định", 28, False,
           "Đơn vị thẩm định chỉ số (không bắt buộc; bỏ trống = theo chỉ số cha hoặc mặc định)."),
    Column("guide", "Hướng dẫn", 60, False, "Cách xác định và tính điểm (không bắt buộc)."),
)
MAX_HELP = "Điểm tối đa của chỉ số cho nhóm đó; bỏ trống = không áp dụng cho nhóm. Chỉ số con chỉ áp dụng " \
           "cho các nhóm mà chỉ số cha áp dụng."

# What each rule type means and a parameters cell a person can copy (tests check that each one builds).
RULE_EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("points", "Đơn vị nhập trực tiếp số điểm (từ 0 đến điểm tối đa).", ""),
    ("yes_no", "Có: được điểm tối đa; Không: 0 điểm.", ""),
    ("ratio", "Điểm = min(a/b ÷ target, 1) × điểm tối đa; b do đơn vị nhập hoặc lấy từ thông tin chung "
              "denominator; target mặc định là 1.", "{denominator: TT.4, target: 0.8}"),
    ("tiers", "Điểm theo ngưỡng số lượng (on: count): đạt từ min trở lên được points điểm; ngưỡng cao nhất "
              "trước.", "{on: count, tiers: [{min: 4, points: 20}, {min: 3, points: 15}]}"),
    ("tiers", "Điểm theo ngưỡng tỷ lệ (on: share): tỷ lệ từ min trở lên được fraction × điểm tối đa.",
     "{on: share, denominator: TT.4, tiers: [{min: 0.8, fraction: 1}, {min: 0.5, fraction: 0.5}]}"),
    ("choice", "Chọn một phương án; mỗi phương án được một tỷ lệ (fraction) của điểm tối đa.",
     "{options: [{code: day-du, label: Đầy đủ, fraction: 1}, {code: mot-phan, label: Một phần, fraction: 0.5}, "
     "{code: khong, label: Không có, fraction: 0}]}"),
    ("parts", "Cộng điểm các phần đạt được (points điểm hoặc fraction × điểm tối đa), không quá điểm tối đa.",
     "{parts: [{code: quy-che, label: Có quy chế, points: 2}, {code: ke-hoach, label: Có kế hoạch, "
     "fraction: 0.5}]}"),
    ("count", "per_item điểm cho mỗi mục, tính tối đa cap mục, không quá điểm tối đa.", "{per_item: 2, cap: 5}"),
    ("best_in_group", "Điểm = giá trị của đơn vị ÷ giá trị cao nhất trong nhóm × điểm tối đa (tính khi tổng "
                      "hợp); denominator không bắt buộc.", "{denominator: TT.4}"),
    ("appraiser_only", "Đơn vị không tự chấm; chỉ tính điểm của đơn vị thẩm định.", ""),
)


# -- the parameters cell: a small YAML dialect --------------------------------------------------------

def _yaml_12_booleans(cls: type) -> None:
    """Only true/false are booleans: `{on: count}` keys the mapping with 'on', as people mean it."""
    cls.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    cls.add_implicit_resolver(  # type: ignore[attr-defined]
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _ParamsLoader(yaml.SafeLoader):
    """One cell of YAML: no aliases, no duplicate keys, decimals kept exact."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            raise yaml.constructor.ConstructorError(None, None, "aliases (*name) are not allowed",
                                                    self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain word",
                                                        key_node.start_mark) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_exact_float(self, node):  # type: ignore[no-untyped-def]
        raw = str(self.construct_scalar(node)).replace("_", "")
        try:
            return Decimal(raw)
        except InvalidOperation:  # .inf, .nan, 1:30.5 - let the schema refuse what it must
            return self.construct_yaml_float(node)


_yaml_12_booleans(_ParamsLoader)
_ParamsLoader.add_constructor("tag:yaml.org,2002:float", _ParamsLoader.construct_exact_float)


class _ParamsDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # a cell never needs &anchors, and the reader refuses them
        return True


_yaml_12_booleans(_ParamsDumper)
_ParamsDumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:" + ("float" if "." in plain(v) else "int"),
                                             plain(v)))


def params_text(params: dict[str, Any]) -> str:
    """A rule's parameters as one line of YAML flow mapping ('' when it has none)."""
    if not params:
        return ""
    return yaml.dump(params, Dumper=_ParamsDumper, default_flow_style=True, allow_unicode=True,
                     sort_keys=False, width=2 ** 31 - 1).strip()


def parse_params(cell_text: str) -> Any:
    """The parameters cell as data; raises yaml.YAMLError (or RecursionError) when it is broken."""
    return yaml.load(cell_text, Loader=_ParamsLoader)


# -- reading ------------------------------------------------------------------------------------------

_BAD = object()  # a cell already reported as a problem
_MERGE = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref="([A-Za-z0-9:$]+)"')
_MAX_HEADING = re.compile(r"^(?:tối đa|max)\s*[:：]\s*(\S+)$", re.IGNORECASE)


class _Stop(Exception):
    """Too many problems: stop reading, report those found."""


def _key(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def _filled(cell: Any) -> bool:
    value = cell.value
    return value is not None and not (isinstance(value, str) and not value.strip())


def _short(error: BaseException) -> str:
    message = " ".join(str(error).split())[:160]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


@dataclass
class _Table:
    sheet: str
    columns: dict[str, int] = field(default_factory=dict)   # key -> 0-based column
    maxima: dict[str, int] = field(default_factory=dict)    # group code -> 0-based column ("Chỉ số")
    rows: list[tuple[int, tuple]] = field(default_factory=list)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []
        self.sheet = ""
        self.zip: zipfile.ZipFile | None = None

    def err(self, sheet: str, coordinate: str, reason: str) -> None:
        if coordinate.startswith("row "):
            where = f"sheet '{sheet}', {coordinate}"
        else:
            where = f"sheet '{sheet}'" + (f", cell {coordinate}" if coordinate else "")
        self.problems.append(Problem(where, reason))
        if len(self.problems) >= MAX_PROBLEMS:
            raise _Stop

    def fail(self, reason: str) -> FrameworkInvalid:
        return FrameworkInvalid(self.source, [Problem("", reason)])

    # -- the container ----------------------------------------------------------------------------
    def open(self, raw: bytes) -> Any:
        if len(raw) > MAX_BYTES:
            raise self.fail(f"file too large ({len(raw)} bytes, limit {MAX_BYTES})")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(raw))
            parts = self.zip.infolist()
        except Exception:  # BadZipFile, EOFError, ValueError... whatever a damaged zip raises
            raise self.fail("not an Excel workbook (.xlsx): the file is damaged or not a zip file") from None
        if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
            raise self.fail(f"workbook too large once unpacked (limit {MAX_UNPACKED} bytes, {MAX_PARTS} parts)")
        names = {p.filename for p in parts}
        if "[Content_Types].xml" not in names:
            raise self.fail("a zip file but not an Excel workbook (.xlsx): no [Content_Types].xml inside")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        except Exception as e:  # openpyxl raises KeyError, ValueError, XML errors... on hostile input
            raise self.fail(f"not a readable Excel workbook (.xlsx): {_short(e)}") from None

    def merged(self, ws: Any, sheet: str) -> None:
        """Merged cells show one value over several cells and leave the others empty: refuse them."""
        part = getattr(ws, "_worksheet_path", None)
        if not part or self.zip is None or part not in self.zip.namelist():
            return
        for ref in _MERGE.findall(self.zip.read(part))[:5]:
            self.err(sheet, ref.decode("ascii"), "merged cells are not allowed in a data sheet: unmerge them")

    def scan(self, ws: Any, sheet: str) -> list[tuple[int, tuple]]:
        """The non-empty rows as (row number, cells), within MAX_ROWS x MAX_COLS."""
        if not hasattr(ws, "iter_rows"):
            self.err(sheet, "", "is not a worksheet (a chart sheet?)")
            return []
        self.merged(ws, sheet)
        ws.reset_dimensions()  # the recorded dimension may lie; read what is there
        rows: list[tuple[int, tuple]] = []
        for number, cells in enumerate(ws.iter_rows(), start=1):
            if number > MAX_SCANNED_ROWS:
                self.err(sheet, f"A{number}", f"the sheet goes on beyond row {MAX_SCANNED_ROWS}: delete the "
                                              "(empty, formatted) rows below the data")
                break
            if len(cells) > MAX_COLS:
                wide = len(cells) > 16 * MAX_COLS  # do not look through thousands of padding cells
                beyond = next((c for c in cells[MAX_COLS:] if _filled(c)), None) if not wide else cells[-1]
                if beyond is not None:
                    column = beyond.column if hasattr(beyond, "column") else len(cells)
                    self.err(sheet, f"{get_column_letter(column)}{number}",
                             f"too many columns: a sheet may use at most {MAX_COLS} (A to "
                             f"{get_column_letter(MAX_COLS)}); delete the columns to the right")
                    break
                cells = cells[:MAX_COLS]
            if not any(_filled(c) for c in cells):
                continue
            if number > MAX_ROWS:
                self.err(sheet, f"A{number}", f"too many rows: a sheet may hold at most {MAX_ROWS} rows")
                break
            rows.append((number, cells))
        return rows

    def table(self, ws: Any, sheet: str, columns: tuple[Column, ...], group_columns: bool = False) -> _Table:
        self.sheet = sheet
        t = _Table(sheet)
        rows = self.scan(ws, sheet)
        if not rows or rows[0][0] != 1:
            headings = ", ".join(c.heading for c in columns if c.required)
            self.err(sheet, "", f"row 1 must hold the column headings ({headings}, ...)")
            return t
        aliases = {alias: c.key for c in columns for alias in (_key(c.heading), c.key)}
        ignored: set[int] = set()
        _, header = rows[0]
        for i, cell in enumerate(header):
            if not _filled(cell):
                continue
            coordinate = f"{get_column_letter(i + 1)}1"
            if not isinstance(cell.value, str) or getattr(cell, "data_type", "s") != "s":
                self.err(sheet, coordinate, "a column heading must be text")
                continue
            heading = text(cell.value)
            key = aliases.get(_key(heading))
            match = _MAX_HEADING.match(heading) if group_columns else None
            if _key(heading).startswith("ghi chú") or key == "note":
                ignored.add(i)
            elif key is not None:
                if key in t.columns:
                    self.err(sheet, coordinate, f"column '{heading}' appears twice")
                t.columns[key] = i
            elif match is not None:
                group = match.group(1)
                if group in t.maxima:
                    self.err(sheet, coordinate, f"column '{heading}' appears twice")
                t.maxima[group] = i
            else:
                known = ", ".join(c.heading for c in columns if c.key != "note")
                extra = f", {MAX_PREFIX}<mã nhóm>" if group_columns else ""
                self.err(sheet, coordinate, f"unknown column heading '{heading}' (known: {known}{extra};"
                                            " a column headed 'Ghi chú' is ignored)")
                ignored.add(i)
        for c in columns:
            if c.required and c.key not in t.columns:
                self.err(sheet, "", f"no column headed '{c.heading}' in row 1")
        used = set(t.columns.values()) | set(t.maxima.values()) | ignored
        for number, cells in rows[1:]:
            if not any(_filled(c) for i, c in enumerate(cells) if i not in ignored):
                continue  # a row with nothing but notes
            stray = next((i for i, c in enumerate(cells) if i not in used and _filled(c)), None)
            if stray is not None:
                self.err(sheet, f"{get_column_letter(stray + 1)}{number}", "a value in a column without a heading")
            t.rows.append((number, cells))
        return t

    # -- cells ------------------------------------------------------------------------------------
    @staticmethod
    def at(t: _Table, number: int, key: str) -> str:
        index = t.columns.get(key)
        return f"{get_column_letter(index + 1)}{number}" if index is not None else ""

    def raw(self, t: _Table, number: int, cells: tuple, index: int | None) -> tuple[Any, str]:
        if index is None:
            return None, ""
        coordinate = f"{get_column_letter(index + 1)}{number}"
        cell = cells[index] if index < len(cells) else None
        if cell is None:
            return None, coordinate
        value, kind = cell.value, getattr(cell, "data_type", None)
        if kind == "f":
            self.err(t.sheet, coordinate, "a formula is not allowed: type the value itself")
            return _BAD, coordinate
        if kind == "e":
            self.err(t.sheet, coordinate, f"the cell holds an error ({value}), not a value")
            return _BAD, coordinate
        if isinstance(value, str) and not value.strip():
            value = None
        return value, coordinate

    def text(self, t: _Table, number: int, cells: tuple, key: str, label: str = "", code: bool = False) -> Any:
        value, coordinate = self.raw(t, number, cells, t.columns.get(key))
        if value is None or value is _BAD or isinstance(value, str):
            if value is None and label and key in t.columns:  # a missing column is reported once
                self.err(t.sheet, coordinate, f"'{label}' is empty")
                return _BAD
            return value
        if isinstance(value, bool):
            self.err(t.sheet, coordinate, "expected text, not TRUE/FALSE")
        elif code and isinstance(value, float) and not value.is_integer():
            # Excel turned what was typed into a number: 1.10 became 1.1. Refuse rather than guess.
            self.err(t.sheet, coordinate, f"the code {value!r} is a number, and Excel reads 1.10 as 1.1: "
                                          "format the column as Text and type the code again")
        elif isinstance(value, (int, float, Decimal)):
            return str(value) if not isinstance(value, float) else _number_text(value)
        else:
            self.err(t.sheet, coordinate, f"expected text, not a date or time ({value})")
        return _BAD

    def number(self, t: _Table, number: int, cells: tuple, index: int | None, what: str,
               percent: bool = False) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is _BAD:
            return value
        try:
            if isinstance(value, (datetime, date)) or not isinstance(value, (int, float, Decimal, str)):
                raise ValueError
            if percent and isinstance(value, str) and value.strip().endswith("%"):
                return parse_decimal(value.strip()[:-1]) / 100
            return parse_decimal(value)
        except (ValueError, ArithmeticError):
            self.err(t.sheet, coordinate, f"{what} must be a number, not {value!r}")
            return _BAD

    def boolean(self, t: _Table, number: int, cells: tuple, index: int | None) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is _BAD or isinstance(value, bool):
            return value
        word = _key(str(value)) if isinstance(value, (str, int)) else ""
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        self.err(t.sheet, coordinate, f"expected {YES} or {NO}, not {value!r}")
        return _BAD

    def day(self, t: _Table, number: int, cells: tuple, index: int | None) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is _BAD:
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
        self.err(t.sheet, coordinate, f"expected a date (a date cell or YYYY-MM-DD), not {value!r}")
        return _BAD

    def year(self, t: _Table, number: int, cells: tuple, index: int | None) -> Any:
        value, coordinate = self.raw(t, number, cells, index)
        if value is None or value is _BAD:
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 6:
            return int(value.strip())
        self.err(t.sheet, coordinate, f"expected a year such as 2023, not {value!r}")
        return _BAD

    # -- sheets -----------------------------------------------------------------------------------
    def meta(self, ws: Any) -> dict[str, Any]:
        t = self.table(ws, META, META_COLUMNS)
        found: dict[str, Any] = {}
        first: dict[str, str] = {}
        value_col = t.columns.get("value")
        for number, cells in t.rows:
            name, coordinate = self.raw(t, number, cells, t.columns.get("field"))
            if name is _BAD:
                continue
            if name is None:
                self.err(META, f"{get_column_letter(value_col + 1) if value_col is not None else 'B'}{number}",
                         "a value without a field name in column 'Trường'")
                continue
            key = _key(str(name))
            if key not in META_FIELDS:
                self.err(META, coordinate, f"unknown field '{name}' (known: {', '.join(META_FIELDS)})")
                continue
            if key in first:
                self.err(META, coordinate, f"field '{key}' appears twice (first in cell {first[key]})")
                continue
            first[key] = coordinate
            kind = META_FIELDS[key][0]
            if kind == "text":
                value = self.text(t, number, cells, "value")
            elif kind == "year":
                value = self.year(t, number, cells, value_col)
            elif kind == "date":
                value = self.day(t, number, cells, value_col)
            else:
                value = self.boolean(t, number, cells, value_col)
            if value is not None and value is not _BAD:
                found[key] = value
        out: dict[str, Any] = {k: found[k] for k in ("format", "id", "title", "decision") if k in found}
        out["round"] = {k: found[k] for k in ("year", "start", "end") if k in found}
        out.update({k: found[k] for k in ("default_appraiser", "notice", "reconstructed") if k in found})
        return out

    def groups(self, ws: Any) -> list[dict[str, Any]]:
        t = self.table(ws, GROUPS, GROUP_COLUMNS)
        out = []
        for number, cells in t.rows:
            item = {"code": self.text(t, number, cells, "code", "Mã nhóm", code=True),
                    "title": self.text(t, number, cells, "title", "Tên nhóm"),
                    "ranked": self.boolean(t, number, cells, t.columns.get("ranked"))}
            out.append({k: v for k, v in item.items() if v is not None and v is not _BAD})
        return out

    def grades(self, ws: Any) -> list[dict[str, Any]]:
        t = self.table(ws, GRADES, GRADE_COLUMNS)
        out = []
        for number, cells in t.rows:
            label = self.text(t, number, cells, "label", "Xếp loại")
            minimum = self.number(t, number, cells, t.columns.get("min"), "the minimum share", percent=True)
            if minimum is None and "min" in t.columns:
                self.err(GRADES, self.at(t, number, "min"), "'Tỷ lệ tối thiểu' is empty")
            out.append({"label": label, "min": minimum})
        return out

    def info(self, ws: Any) -> list[dict[str, Any]]:
        t = self.table(ws, INFO, INFO_COLUMNS)
        out = []
        for number, cells in t.rows:
            item: dict[str, Any] = {"code": self.text(t, number, cells, "code", "Mã", code=True),
                                    "title": self.text(t, number, cells, "title", "Tên thông tin")}
            for key in ("type", "unit", "appraiser", "guide"):
                item[key] = self.text(t, number, cells, key)
            if isinstance(item["type"], str):
                item["type"] = item["type"].strip().lower()
                if item["type"] not in INFO_TYPES:
                    self.err(INFO, self.at(t, number, "type"),
                             f"unknown type '{item['type']}' (allowed: {', '.join(INFO_TYPES)})")
            groups = self.text(t, number, cells, "groups")
            if isinstance(groups, str):
                codes = [g.strip() for g in re.split(r"[,;]", groups) if g.strip()]
                if codes:
                    item["groups"] = codes
                else:
                    self.err(INFO, self.at(t, number, "groups"),
                             "list group codes separated by commas, or leave the cell empty")
            out.append({k: v for k, v in item.items() if v is not None and v is not _BAD})
        return out

    def indicators(self, ws: Any, group_codes: list[str]) -> list[dict[str, Any]]:
        t = self.table(ws, INDICATORS, INDICATOR_COLUMNS, group_columns=True)
        for group, index in t.maxima.items():
            if group not in group_codes:
                self.err(INDICATORS, f"{get_column_letter(index + 1)}1",
                         f"'{MAX_PREFIX}{group}' names no group of sheet '{GROUPS}' "
                         f"(groups: {', '.join(group_codes) or 'none'})")
        nodes: dict[str, dict[str, Any]] = {}
        where: dict[str, str] = {}
        leaf_only: list[tuple[str, str]] = []   # (code, cell) of rule/parameters/evidence cells filled
        tops: list[dict[str, Any]] = []
        for number, cells in t.rows:
            code, code_at = self.text(t, number, cells, "code", "Mã", code=True), self.at(t, number, "code")
            title = self.text(t, number, cells, "title", "Tên chỉ số")
            parent = self.text(t, number, cells, "parent", code=True)
            parent_at = self.at(t, number, "parent")
            node: dict[str, Any] = {"code": code, "title": title, "max": {}}
            given = 0
            for group, index in t.maxima.items():
                value = self.number(t, number, cells, index, f"the maximum for '{group}'")
                given += value is not None
                if value is not None and value is not _BAD:
                    node["max"][group] = value
            if not given:
                self.err(INDICATORS, f"row {number}", f"no maximum in any '{MAX_PREFIX}<group>' column: "
                                                      "the indicator would apply to no group")
            rule, filled = self.rule(t, number, cells)
            if rule is not None:
                node["rule"] = rule
            evidence, evidence_at = self.text(t, number, cells, "evidence"), self.at(t, number, "evidence")
            if isinstance(evidence, str):
                filled.append(evidence_at)
                node["evidence"] = evidence.strip().lower()
                if node["evidence"] not in EVIDENCE_LEVELS:
                    self.err(INDICATORS, evidence_at,
                             f"evidence must be one of {', '.join(EVIDENCE_LEVELS)}, not '{evidence}'")
            for key in ("appraiser", "guide"):
                value = self.text(t, number, cells, key)
                if isinstance(value, str):
                    node[key] = value
            if not isinstance(code, str):
                continue
            code = text(code)
            node["code"] = code
            if code in nodes:
                self.err(INDICATORS, code_at, f"duplicate code '{code}' (first in cell {where[code]})")
                continue
            if isinstance(parent, str):
                parent = text(parent)
                if parent == code:
                    self.err(INDICATORS, parent_at, f"'{code}' cannot be its own parent")
                    continue
                if parent not in nodes:
                    self.err(INDICATORS, parent_at, f"unknown parent '{parent}': a parent must be an indicator "
                                                    "listed in a row above its children")
                    continue
                nodes[parent].setdefault("children", []).append(node)
            elif parent is None:
                tops.append(node)
            nodes[code], where[code] = node, code_at
            leaf_only.extend((code, at) for at in filled)
        for code, at in leaf_only:
            if "children" in nodes[code]:
                self.err(INDICATORS, at, f"'{code}' has children: a rule and evidence belong on leaves only")
        return tops

    def rule(self, t: _Table, number: int, cells: tuple) -> tuple[dict[str, Any] | None, list[str]]:
        kind, kind_at = self.text(t, number, cells, "rule"), self.at(t, number, "rule")
        value, params_at = self.raw(t, number, cells, t.columns.get("params"))
        filled = [at for at, v in ((kind_at, kind), (params_at, value)) if v is not None]
        params: Any = None
        if isinstance(value, str):
            try:
                params = parse_params(value)
            except yaml.MarkedYAMLError as e:
                mark = e.problem_mark or e.context_mark
                at = "" if mark is None else (f" at character {mark.column + 1}" if mark.line == 0 else
                                              f" at line {mark.line + 1}, character {mark.column + 1}")
                self.err(INDICATORS, params_at, f"rule parameters are not valid YAML{at}: {e.problem or e.context}"
                                                " (write them as {name: value, ...})")
                return None, filled
            except (yaml.YAMLError, RecursionError, ValueError, TypeError) as e:
                self.err(INDICATORS, params_at, f"rule parameters are not valid YAML: {_short(e)}")
                return None, filled
            if params is not None and not isinstance(params, dict):
                self.err(INDICATORS, params_at, "rule parameters must be a mapping in braces, such as "
                                                "{denominator: TT.4, target: 0.8}")
                return None, filled
            if params and "type" in params:
                self.err(INDICATORS, params_at, "the rule type goes in column 'Loại quy tắc', not in the "
                                                "parameters")
                return None, filled
        elif value is not None and value is not _BAD:
            self.err(INDICATORS, params_at, "rule parameters must be text such as {per_item: 2, cap: 5}")
            return None, filled
        if kind is None or kind is _BAD:
            if params and kind is None:
                self.err(INDICATORS, params_at, "parameters without a rule type in column 'Loại quy tắc'")
            return None, filled
        kind = kind.strip().lower()
        if kind not in RULE_TYPES:
            self.err(INDICATORS, kind_at, f"unknown rule type '{kind}' (known: {', '.join(RULE_TYPES)})")
            return None, filled
        return {"type": kind, **(params or {})}, filled

    def read(self, raw: bytes) -> dict[str, Any]:
        wb = self.open(raw)
        try:
            sheets = {_key(name): name for name in wb.sheetnames}

            def sheet(name: str, required: bool = True) -> Any:
                actual = sheets.get(_key(name))
                if actual is None:
                    if required:
                        self.err(name, "", f"the sheet is missing (sheets found: {', '.join(wb.sheetnames)})")
                    return None
                return wb[actual]

            data: dict[str, Any] = {}
            ws = sheet(META)
            if ws is not None:
                data.update(self.meta(ws))
            ws = sheet(GROUPS)
            data["groups"] = self.groups(ws) if ws is not None else []
            ws = sheet(GRADES)
            data["grades"] = self.grades(ws) if ws is not None else []
            ws = sheet(INFO, required=False)
            if ws is not None:
                data["info"] = self.info(ws)
            ws = sheet(INDICATORS)
            if ws is not None:
                codes = [g["code"] for g in data["groups"] if isinstance(g.get("code"), str)]
                data["indicators"] = self.indicators(ws, [text(c) for c in codes])
            return data
        finally:
            wb.close()


def read_workbook(raw: bytes, source: str) -> dict[str, Any]:
    """A framework workbook -> the plain data `schema.build()` takes; FrameworkInvalid naming sheet and cell."""
    reader = _Reader(source)
    try:
        data = reader.read(raw)
    except FrameworkInvalid:
        raise
    except _Stop:
        pass
    except Exception as e:  # openpyxl parses lazily: a damaged sheet fails while its rows are read
        where = f"sheet '{reader.sheet}'" if reader.sheet else ""
        reader.problems.insert(0, Problem(where, f"cannot read the workbook: {_short(e)}"))
    else:
        if not reader.problems:
            return data
    finally:
        if reader.zip is not None:
            reader.zip.close()
    raise FrameworkInvalid(source, reader.problems)


# -- writing ------------------------------------------------------------------------------------------

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


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_workbook(framework: Framework, path: Path) -> None:
    """Write the framework as an XLSX workbook, atomically: the file at `path` is the old one or the new
    one, never half of either; nothing is left behind when writing fails."""
    path = Path(path)
    wb = build_workbook(framework)  # ValueError before anything touches the disk
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(temporary, "xb") as handle:
            wb.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _fsync_directory(path.parent)
