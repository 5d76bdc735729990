"""The unit list (danh sách đơn vị) of `dti enroll issue --from` (DESIGN §7): a CSV or XLSX file an authority
enrolls at once, read and checked whole before anything is issued (app.services.enrollment_batch).

A header row names the columns, in any order: code, name, group (required), parent, predecessors,
may_enroll_others, or their Vietnamese names (mã / mã đơn vị, tên / tên đơn vị, nhóm, đơn vị cấp trên / cấp
trên, đơn vị tiền thân / tiền thân, được cấp tài khoản cho đơn vị khác / cấp tiếp), any case, with or without
diacritics; a hint in brackets ("Cấp huyện (x)") is ignored. Title rows above the header and columns of
other names (STT, Ghi chú) are skipped. The Excel list of the enrollment page (Mã đơn vị | Tên đơn vị | Nhóm |
Cấp huyện) reads the same way.

Reading refuses a whole file that cannot be a list (not UTF-8, not a workbook, no header, over MAX_ROWS
units); `check` then names every bad row at once. Both only read: the store and the framework come in as data.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.errors import UserError
from app.services import identifiers
from app.services.workspace import UNIT_CODE, unit_identity

MAX_ROWS = 2000                   # a province has up to a few hundred units; a list ten times that is a mistake
MAX_CSV_BYTES = 10 * 1024 * 1024  # 2,000 rows of 200-character names is under 1 MB
MAX_COLUMNS = 40
HEADER_SEARCH = 10                # rows looked at for the header (a title and a blank line may come first)
SHOWN = 10                        # bad rows named in one refusal
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("code", "mã", "mã đơn vị"),
    "name": ("name", "tên", "tên đơn vị"),
    "group": ("group", "nhóm"),
    "parent": ("parent", "đơn vị cấp trên", "cấp trên"),
    "predecessors": ("predecessors", "đơn vị tiền thân", "tiền thân"),
    "may_enroll_others": ("may enroll others", "được cấp tài khoản cho đơn vị khác", "cấp tiếp", "cấp huyện"),
}
REQUIRED = ("code", "name", "group")
VI_NAMES = {"code": "mã", "name": "tên", "group": "nhóm", "parent": "cấp trên", "predecessors": "tiền thân",
            "may_enroll_others": "cấp tiếp"}
YES = ("yes", "y", "có", "x", "1", "true", "đúng")
NO = ("", "no", "n", "không", "0", "false", "sai")
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class RowProblem:
    line: int                     # the row of the sheet, or the line of the CSV file
    en: str
    vi: str


@dataclass(frozen=True)
class ListedUnit:
    """One data row as written (trimmed, NFC), before any check."""

    line: int
    code: str
    name: str
    group: str
    parent: str = ""
    predecessors: str = ""
    may_enroll_others: str = ""


@dataclass(frozen=True)
class UnitList:
    source: str                                   # the file's name, for messages
    rows: tuple[ListedUnit, ...]
    ignored_columns: tuple[str, ...] = ()         # header cells that name no column of the list
    problems: tuple[RowProblem, ...] = ()         # cells refused while reading (formulas, error values)
    sha256: str = ""                              # of the file's bytes, for the audit log


@dataclass(frozen=True)
class UnitToEnroll:
    """A row that passed every check: what `enrollment.issue` takes."""

    line: int
    code: str
    name: str
    group: str                    # the framework's group code
    predecessors: tuple[str, ...]
    can_issue: bool


class ListRefused(UserError):
    """The rows of a list that cannot be enrolled, all of them (the message names the first SHOWN)."""

    def __init__(self, source: str, problems: Iterable[RowProblem]):
        self.problems = tuple(sorted(problems, key=lambda p: p.line))
        n, more = len(self.problems), len(self.problems) - SHOWN
        shown = self.problems[:SHOWN]
        en = "; ".join(f"row {p.line}: {p.en}" for p in shown) + (f"; and {more} more" if more > 0 else "")
        vi = "; ".join(f"dòng {p.line}: {p.vi}" for p in shown) + (f"; và {more} dòng khác" if more > 0 else "")
        super().__init__(f"{source}: {n} {'row' if n == 1 else 'rows'} cannot be enrolled, nothing was issued — {en}",
                         f"{source}: {n} dòng không cấp được, chưa cấp đơn vị nào — {vi}")


def fold(text: str) -> str:
    """NFC, case-folded, white space collapsed: how codes, groups and yes/no are compared."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _plain(text: str) -> str:
    """Without diacritics (đ as d), for headers typed on a keyboard without Vietnamese input."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _header_key(text: str) -> str:
    folded = fold(re.sub(r"\(.*?\)", " ", text).replace("_", " ").replace("-", " "))
    return _plain(folded).rstrip(":").strip()


_HEADERS = {_header_key(name): key for key, names in COLUMNS.items() for name in names}


# -- reading ------------------------------------------------------------------------------------------------
def read(path: Path) -> UnitList:
    """The rows of a unit list (.xlsx: its first sheet; anything else: CSV in UTF-8, `,` or `;`). Empty rows are
    skipped. Refused as a whole (UserError) when it is no such file, has no header or lists no unit or more than
    MAX_ROWS."""
    from app.xlsx_guard import MAX_BYTES

    path = Path(path)
    name = path.name
    workbook = path.suffix.casefold() in (".xlsx", ".xlsm")
    try:
        with path.open("rb") as handle:   # never more than the limit: a list named on a slow share may be anything
            raw = handle.read((MAX_BYTES if workbook else MAX_CSV_BYTES) + 1)
    except OSError as e:
        raise UserError(f"{name}: cannot read ({e.strerror or e})", f"{name}: không đọc được ({e.strerror or e})") from None
    digest = hashlib.sha256(raw).hexdigest()
    if workbook:
        grid, problems = _xlsx_rows(name, raw)
        return _rows_of(name, grid, problems, digest)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):   # the old binary .xls (and .doc): openpyxl cannot read it
        raise UserError(f"{name}: an old Excel file (.xls): save it as .xlsx or as CSV UTF-8",
                        f"{name}: tệp Excel cũ (.xls): hãy lưu lại dạng .xlsx hoặc CSV UTF-8")
    if len(raw) > MAX_CSV_BYTES:
        raise UserError(f"{name}: too large for a unit list (over {MAX_CSV_BYTES // 2**20} MB)",
                        f"{name}: quá lớn so với một danh sách đơn vị (trên {MAX_CSV_BYTES // 2**20} MB)")
    return _rows_of(name, *_csv_rows(name, raw), digest)


def _not_utf8(name: str, line: int | None) -> UserError:
    where_en, where_vi = (f" (line {line})", f" (dòng {line})") if line else ("", "")
    return UserError(f"{name}: not UTF-8 text{where_en}; in Excel save it as “CSV UTF-8 (Comma delimited)”, or as .xlsx",
                     f"{name}: không phải văn bản UTF-8{where_vi}; trong Excel hãy lưu dạng “CSV UTF-8 (Comma "
                     "delimited)” hoặc .xlsx")


def _csv_rows(name: str, raw: bytes) -> tuple[list[tuple[int, list[str]]], list[RowProblem]]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in raw:   # UTF-16 "Unicode text", binary
        raise _not_utf8(name, None)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:   # Windows-1258 and other code pages: refused rather than guessed
        raise _not_utf8(name, raw[: e.start].count(b"\n") + 1) from None
    # Excel writes `;` where the list separator of the locale is `,` (Vietnamese, most of Europe): the separator
    # is the one under which a header is found with more columns
    best: tuple[int, str] = (-1, ",")
    for delimiter in (",", ";"):
        head = list(_records(name, text, delimiter, limit=HEADER_SEARCH))
        found = max((len(_columns(cells)[0]) for _line, cells in head), default=0)
        best = max(best, (found, delimiter), key=lambda b: b[0])
    return list(_records(name, text, best[1])), []


def _records(name: str, text: str, delimiter: str, limit: int | None = None) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    count = 0
    while limit is None or count < limit:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:   # a field over csv's size limit, a NUL...
            raise UserError(f"{name}: damaged CSV at line {line} ({e})", f"{name}: tệp CSV hỏng ở dòng {line} ({e})") from None
        count += 1
        yield line, [unicodedata.normalize("NFC", c).strip() for c in cells[:MAX_COLUMNS]]


def _xlsx_rows(name: str, raw: bytes) -> tuple[list[tuple[int, list[str]]], list[RowProblem]]:
    from app.xlsx_guard import XlsxRefused, float_text, load_read_only, open_package

    try:
        open_package(raw).close()
        book = load_read_only(raw, data_only=False)   # formulas as formulas: refused, never their cached values
    except XlsxRefused as e:
        raise UserError(f"{name}: not an Excel workbook (.xlsx) to read ({e.reason})",
                        f"{name}: không phải tệp Excel (.xlsx) đọc được ({e.reason})") from None
    except Exception as e:  # openpyxl on hostile input: KeyError, ValueError, XML errors...
        raise UserError(f"{name}: damaged workbook ({type(e).__name__})",
                        f"{name}: tệp Excel bị hỏng ({type(e).__name__})") from None
    grid: list[tuple[int, list[str]]] = []
    problems: list[RowProblem] = []
    try:
        if not book.worksheets:
            raise UserError(f"{name}: the workbook has no sheet", f"{name}: tệp Excel không có trang tính nào")
        filled = 0
        for line, cells in enumerate(book.worksheets[0].iter_rows(max_col=MAX_COLUMNS), start=1):
            row = []
            for column, cell in enumerate(cells, start=1):
                value = cell.value
                if cell.data_type in ("f", "e"):   # a formula's result is not what the file says; #REF! is nothing
                    problems.append(RowProblem(line, f"cell {_letter(column)}{line} is a formula or an error "
                                                     "value; paste values only",
                                               f"ô {_letter(column)}{line} là công thức hoặc giá trị lỗi; hãy dán "
                                               "giá trị"))
                    value = None
                if value is None:
                    row.append("")
                elif isinstance(value, bool):
                    row.append("true" if value else "false")
                elif isinstance(value, float):   # 26734.0: a code typed as a number
                    row.append(float_text(value))
                else:
                    row.append(unicodedata.normalize("NFC", str(value)).strip())
            if any(row):
                filled += 1
                if filled > MAX_ROWS + HEADER_SEARCH:
                    raise _too_many(name)
            grid.append((line, row))
    except UserError:
        raise
    except Exception as e:  # a damaged part found only while the rows stream in
        raise UserError(f"{name}: damaged workbook ({type(e).__name__})",
                        f"{name}: tệp Excel bị hỏng ({type(e).__name__})") from None
    finally:
        book.close()
    return grid, problems


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _too_many(name: str) -> UserError:
    return UserError(f"{name}: more than {MAX_ROWS:,} units in one list".replace(",", "."),
                     f"{name}: quá {MAX_ROWS:,} đơn vị trong một danh sách".replace(",", "."))


def _columns(cells: list[str]) -> tuple[dict[str, int], list[str], list[str]]:
    """(column key → index, the keys named twice, the other non-empty header cells)."""
    found: dict[str, int] = {}
    twice: list[str] = []
    other: list[str] = []
    for i, cell in enumerate(cells):
        key = _HEADERS.get(_header_key(cell)) if cell else None
        if key is None:
            if cell:
                other.append(cell)
        elif key in found:
            twice.append(key)
        else:
            found[key] = i
    return found, twice, other


def _rows_of(name: str, grid: list[tuple[int, list[str]]], problems: list[RowProblem], digest: str) -> UnitList:
    header: tuple[int, dict[str, int], list[str], list[str]] | None = None
    best: dict[str, int] = {}
    seen = 0
    for index, (_line, cells) in enumerate(grid):
        if not any(cells):
            continue
        seen += 1
        found, twice, other = _columns(cells)
        if all(k in found for k in REQUIRED):
            header = (index, found, twice, other)
            break
        if len(found) > len(best):
            best = found
        if seen >= HEADER_SEARCH:
            break
    if header is None:
        if seen == 0:
            raise UserError(f"{name}: the file is empty", f"{name}: tệp trống")
        missing = [k for k in REQUIRED if k not in best]
        raise UserError(f"{name}: no header row with the columns code, name, group (missing: {', '.join(missing)})",
                        f"{name}: không có dòng tiêu đề với các cột mã, tên, nhóm (thiếu: "
                        f"{', '.join(VI_NAMES[k] for k in missing)})")
    index, columns, twice, other = header
    if twice:
        raise UserError(f"{name}: the header names the column {twice[0]} twice",
                        f"{name}: dòng tiêu đề có hai cột {VI_NAMES[twice[0]]}")
    rows = []
    for line, cells in grid[index + 1:]:
        if not any(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many(name)

        def cell(key: str, cells: list[str] = cells) -> str:
            i = columns.get(key, -1)
            return cells[i] if 0 <= i < len(cells) else ""

        rows.append(ListedUnit(line, cell("code"), cell("name"), cell("group"), cell("parent"), cell("predecessors"),
                               cell("may_enroll_others")))
    if not rows:
        raise UserError(f"{name}: no unit listed under the header", f"{name}: không có đơn vị nào dưới dòng tiêu đề")
    header_line = grid[index][0]
    return UnitList(name, tuple(rows), tuple(other), tuple(p for p in problems if p.line > header_line), digest)


# -- checking -----------------------------------------------------------------------------------------------
@dataclass
class _Checker:
    fw: Any                       # app.frameworks Framework
    authority: str
    may_issue_others: bool
    enrolled: Mapping[str, str]
    first_line: dict[str, int] = field(default_factory=dict)

    def group(self, typed: str) -> str | None:
        """A group code from its code or its title, any case and spacing."""
        wanted = fold(typed)
        for g in self.fw.groups:
            if wanted in (fold(g.code), fold(g.title)):
                return g.code
        return None

    def unit(self, row: ListedUnit) -> UnitToEnroll:
        """The row as a unit to enroll, or the first reason it cannot be (UserError)."""
        shown = identifiers.printable(row.code, 40)
        if not row.code or not row.name or not row.group:
            empty = [k for k in REQUIRED if not getattr(row, k)]
            raise UserError(f"{', '.join(empty)} empty", f"thiếu {', '.join(VI_NAMES[k] for k in empty)}")
        group = self.group(row.group)
        if group is None:
            known = ", ".join(g.code for g in self.fw.groups)
            raise UserError(f"framework {self.fw.id} has no group '{identifiers.printable(row.group, 40)}' "
                            f"(groups: {known})",
                            f"bộ chỉ số {self.fw.id} không có nhóm '{identifiers.printable(row.group, 40)}' "
                            f"(các nhóm: {known})")
        code, name = unit_identity(self.fw, row.code, row.name, group)
        if row.name.startswith(("=", "+", "@")):   # it would become a formula in every workbook the name goes to
            raise UserError("the name starts like a formula (=, +, @)", "tên bắt đầu như một công thức (=, +, @)")
        earlier = self.first_line.setdefault(code.casefold(), row.line)
        if earlier != row.line:
            raise UserError(f"code {shown} is listed twice (row {earlier})", f"mã {shown} lặp lại (dòng {earlier})")
        if code.casefold() in self.enrolled:
            raise UserError(f"unit {self.enrolled[code.casefold()]} is already enrolled; revoke it first to re-issue",
                            f"đơn vị {self.enrolled[code.casefold()]} đã được cấp tài khoản; thu hồi trước khi cấp lại")
        if row.parent and fold(row.parent) != fold(self.authority):
            raise UserError(f"parent {identifiers.printable(row.parent, 40)} is not this authority ({self.authority}): "
                            "the units under another unit are enrolled by that unit's installation",
                            f"đơn vị cấp trên {identifiers.printable(row.parent, 40)} không phải đơn vị này "
                            f"({self.authority}): đơn vị trực thuộc đơn vị khác do máy của đơn vị đó cấp tài khoản")
        predecessors = tuple(dict.fromkeys(p for p in _SEPARATORS.split(row.predecessors) if p))
        for p in predecessors:
            if not UNIT_CODE.match(p) or p.casefold() == code.casefold():
                raise UserError(f"predecessor '{identifiers.printable(p, 40)}' is not another unit's code",
                                f"đơn vị tiền thân '{identifiers.printable(p, 40)}' không phải mã đơn vị khác")
        answer = fold(row.may_enroll_others)
        if answer not in YES + NO:
            raise UserError(f"may_enroll_others '{identifiers.printable(row.may_enroll_others, 20)}' is not yes or no",
                            f"cấp tiếp '{identifiers.printable(row.may_enroll_others, 20)}' không phải có hoặc không")
        can_issue = answer in YES
        if can_issue and not self.may_issue_others:
            raise UserError("only the province can enroll a unit that enrolls others",
                            "chỉ cấp tỉnh mới cấp được tài khoản có quyền cấp tiếp")
        return UnitToEnroll(row.line, code, name, group, predecessors, can_issue)


def check(listed: UnitList, fw, *, authority: str, may_issue_others: bool, enrolled: Mapping[str, str]
          ) -> list[UnitToEnroll]:
    """Every row as a unit to enroll on `fw`, or ListRefused naming every bad row. `authority` is the enrolling
    installation's unit code (the only parent a row may name), `enrolled` maps the case-folded codes of the
    units enrolled here and not revoked to their codes."""
    checker = _Checker(fw, authority, may_issue_others, enrolled)
    problems = list(listed.problems)
    bad_lines = {p.line for p in problems}
    units = []
    for row in listed.rows:
        try:
            unit = checker.unit(row)
        except UserError as e:
            if row.line not in bad_lines:   # one reason a row: the first
                problems.append(RowProblem(row.line, str(e), e.message_vi))
                bad_lines.add(row.line)
            continue
        if row.line not in bad_lines:
            units.append(unit)
    if problems:
        raise ListRefused(listed.source, problems)
    return units
