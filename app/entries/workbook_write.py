"""Writing the entry workbook: `write_entry_workbook(state, out, lang)` writes the unit's applicable general
information and indicators, prefilled with the values stored now, atomically; `build_entry_workbook` makes
it in memory.

The data sheets are protected without a password, the input cells unlocked: only the yellow cells can be
typed in (see `workbook_layout` for the sheets, `workbook_input` for what each input cell takes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter

from app.atomicfile import write_with
from app.entries.workbook_input import Validations, info_prefill, leaf_input, prefill, validate
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
    GUIDE,
    HEADER_ROW,
    INFO_TYPE,
    LEAF,
    PARENT,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_INFO,
    SHEET_META,
    TEXT,
)
from app.scoring.explain import describe_rule
from app.scoring.model import Framework, Indicator
from app.scoring.rules import AppraiserOnlyRule, ChoiceRule
from app.xlsx_guard import MAX_CELL_TEXT

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


def _clean(text: str) -> str:
    """Text a cell can hold: no control characters, within Excel's length."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text[:MAX_CELL_TEXT]


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
    lang = lang if lang in TEXT else "vi"
    text = TEXT[lang]
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
    for r, (style, line) in enumerate(GUIDE[lang], start=1):
        font = _TITLE if style == "title" else _BOLD if style == "head" else None
        _put(guide, r, 1, line.format(**fields), font=font, border=False)
    if framework.notice:
        r = len(GUIDE[lang]) + 2
        _put(guide, r, 1, framework.notice, font=_ITALIC_GREY, border=False)
    guide.sheet_view.showGridLines = False
    _fit_rows(guide, 2)
    _setup_print(guide, titles=False)

    # -- Thông tin chung ---------------------------------------------------------------------------
    _headings(info_ws, text["info_heads"], (10, 60, 14, 12, 18, 60),
              text["info_title"].format(unit=state.name, code=state.code), text["hint"])
    info_validations = Validations(lang)
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
        value_cell = _put(info_ws, r, F_VALUE, info_prefill(info.get(field.code), lang), fill=_INPUT_FILL,
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
    validations = Validations(lang)
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
        mode, hint = leaf_input(node, lang)
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
            cell = _put(ind_ws, r, C_VALUE, prefill(node, group, values.get(node.code), mode, info, lang),
                        fill=_INPUT_FILL, number_format=_TEXT_FORMAT if mode == "text" else "General")
            cell.protection = _UNLOCKED
            validate(validations, node, group, cell.coordinate, list_refs.get(node.code))
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
