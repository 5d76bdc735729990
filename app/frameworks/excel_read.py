"""Reading a framework workbook: `read_workbook(raw, source)` turns it into the plain data that YAML
parsing would give, for `schema.build()` to validate.

It checks only what concerns cells (formulas, types, headings, the tree of parent codes) and names the sheet
and cell of every problem (see `excel_layout` for the sheets, `excel_cells` for the cell checks). The maxima
of an indicator are read as a map group -> points of the filled cells, never the "plain number = every
group of the parent" shorthand.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from openpyxl.utils import get_column_letter

from app.frameworks.excel_cells import BAD, CellReader, Stop, Table, fold, sheet_place, short
from app.frameworks.excel_layout import (
    GRADE_COLUMNS,
    GRADES,
    GROUP_COLUMNS,
    GROUPS,
    INDICATOR_COLUMNS,
    INDICATORS,
    INFO,
    INFO_COLUMNS,
    MAX_PREFIX,
    META,
    META_COLUMNS,
    META_FIELDS,
)
from app.frameworks.excel_params import parse_params
from app.frameworks.schema import FrameworkInvalid, Problem, text
from app.frameworks.yamlio import yaml_text_vi
from app.scoring.model import EVIDENCE_LEVELS, INFO_TYPES
from app.scoring.rules import RULE_TYPES


class _Reader(CellReader):
    """The sheets of a framework workbook, read through the cell checks of `CellReader`."""

    def meta(self, ws: Any) -> dict[str, Any]:
        t = self.table(ws, META, META_COLUMNS)
        found: dict[str, Any] = {}
        first: dict[str, str] = {}
        value_col = t.columns.get("value")
        for number, cells in t.rows:
            name, coordinate = self.raw(t, number, cells, t.columns.get("field"))
            if name is BAD:
                continue
            if name is None:
                self.err(META, f"{get_column_letter(value_col + 1) if value_col is not None else 'B'}{number}",
                         "a value without a field name in column 'Trường'",
                         "có giá trị nhưng thiếu tên trường ở cột 'Trường'")
                continue
            key = fold(str(name))
            if key not in META_FIELDS:
                self.err(META, coordinate, f"unknown field '{name}' (known: {', '.join(META_FIELDS)})",
                         f"trường '{name}' không hợp lệ (các trường hợp lệ: {', '.join(META_FIELDS)})")
                continue
            if key in first:
                self.err(META, coordinate, f"field '{key}' appears twice (first in cell {first[key]})",
                         f"trường '{key}' xuất hiện hai lần (lần đầu ở ô {first[key]})")
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
            if value is not None and value is not BAD:
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
            out.append({k: v for k, v in item.items() if v is not None and v is not BAD})
        return out

    def grades(self, ws: Any) -> list[dict[str, Any]]:
        t = self.table(ws, GRADES, GRADE_COLUMNS)
        out = []
        for number, cells in t.rows:
            label = self.text(t, number, cells, "label", "Xếp loại")
            minimum = self.number(t, number, cells, t.columns.get("min"), "the minimum share", "tỷ lệ tối thiểu",
                                  percent=True)
            if minimum is None and "min" in t.columns:
                self.err(GRADES, self.at(t, number, "min"), "'Tỷ lệ tối thiểu' is empty",
                         "'Tỷ lệ tối thiểu' đang để trống")
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
                             f"unknown type '{item['type']}' (allowed: {', '.join(INFO_TYPES)})",
                             f"kiểu '{item['type']}' không hợp lệ (các kiểu được phép: {', '.join(INFO_TYPES)})")
            groups = self.text(t, number, cells, "groups")
            if isinstance(groups, str):
                codes = [g.strip() for g in re.split(r"[,;]", groups) if g.strip()]
                if codes:
                    item["groups"] = codes
                else:
                    self.err(INFO, self.at(t, number, "groups"),
                             "list group codes separated by commas, or leave the cell empty",
                             "hãy ghi các mã nhóm cách nhau bằng dấu phẩy, hoặc để trống ô")
            out.append({k: v for k, v in item.items() if v is not None and v is not BAD})
        return out

    def indicators(self, ws: Any, group_codes: list[str]) -> list[dict[str, Any]]:
        t = self.table(ws, INDICATORS, INDICATOR_COLUMNS, group_columns=True)
        for group, index in t.maxima.items():
            if group not in group_codes:
                self.err(INDICATORS, f"{get_column_letter(index + 1)}1",
                         f"'{MAX_PREFIX}{group}' names no group of sheet '{GROUPS}' "
                         f"(groups: {', '.join(group_codes) or 'none'})",
                         f"'{MAX_PREFIX}{group}' không ứng với nhóm nào trong trang tính '{GROUPS}' "
                         f"(các nhóm: {', '.join(group_codes) or 'không có'})")
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
                value = self.number(t, number, cells, index, f"the maximum for '{group}'",
                                    f"điểm tối đa của nhóm '{group}'")
                given += value is not None
                if value is not None and value is not BAD:
                    node["max"][group] = value
            if not given:
                self.err(INDICATORS, f"row {number}", f"no maximum in any '{MAX_PREFIX}<group>' column: "
                                                      "the indicator would apply to no group",
                         f"không có điểm tối đa ở cột '{MAX_PREFIX}<mã nhóm>' nào: chỉ số sẽ không áp dụng "
                         "cho nhóm nào")
            rule, filled = self.rule(t, number, cells)
            if rule is not None:
                node["rule"] = rule
            evidence, evidence_at = self.text(t, number, cells, "evidence"), self.at(t, number, "evidence")
            if isinstance(evidence, str):
                filled.append(evidence_at)
                node["evidence"] = evidence.strip().lower()
                if node["evidence"] not in EVIDENCE_LEVELS:
                    self.err(INDICATORS, evidence_at,
                             f"evidence must be one of {', '.join(EVIDENCE_LEVELS)}, not '{evidence}'",
                             f"minh chứng phải là một trong {', '.join(EVIDENCE_LEVELS)}, không phải '{evidence}'")
            for key in ("appraiser", "guide"):
                value = self.text(t, number, cells, key)
                if isinstance(value, str):
                    node[key] = value
            if not isinstance(code, str):
                continue
            code = text(code)
            node["code"] = code
            if code in nodes:
                self.err(INDICATORS, code_at, f"duplicate code '{code}' (first in cell {where[code]})",
                         f"mã '{code}' bị trùng (lần đầu ở ô {where[code]})")
                continue
            if isinstance(parent, str):
                parent = text(parent)
                if parent == code:
                    self.err(INDICATORS, parent_at, f"'{code}' cannot be its own parent",
                             f"'{code}' không thể là chỉ số cha của chính nó")
                    continue
                if parent not in nodes:
                    self.err(INDICATORS, parent_at, f"unknown parent '{parent}': a parent must be an indicator "
                                                    "listed in a row above its children",
                             f"không có chỉ số cha '{parent}': chỉ số cha phải là một chỉ số ghi ở dòng phía trên "
                             "các chỉ số con của nó")
                    continue
                nodes[parent].setdefault("children", []).append(node)
            elif parent is None:
                tops.append(node)
            nodes[code], where[code] = node, code_at
            leaf_only.extend((code, at) for at in filled)
        for code, at in leaf_only:
            if "children" in nodes[code]:
                self.err(INDICATORS, at, f"'{code}' has children: a rule and evidence belong on leaves only",
                         f"'{code}' có chỉ số con: quy tắc và minh chứng chỉ đặt ở chỉ số không có chỉ số con")
        return tops

    def rule(self, t: Table, number: int, cells: tuple) -> tuple[dict[str, Any] | None, list[str]]:
        kind, kind_at = self.text(t, number, cells, "rule"), self.at(t, number, "rule")
        value, params_at = self.raw(t, number, cells, t.columns.get("params"))
        filled = [at for at, v in ((kind_at, kind), (params_at, value)) if v is not None]
        params: Any = None
        if isinstance(value, str):
            try:
                params = parse_params(value)
            except yaml.MarkedYAMLError as e:
                mark = e.problem_mark or e.context_mark
                at, at_vi = ("", "") if mark is None else (
                    (f" at character {mark.column + 1}", f" tại ký tự {mark.column + 1}") if mark.line == 0 else
                    (f" at line {mark.line + 1}, character {mark.column + 1}",
                     f" tại dòng {mark.line + 1}, ký tự {mark.column + 1}"))
                problem = e.problem or e.context or ""
                self.err(INDICATORS, params_at, f"rule parameters are not valid YAML{at}: {problem}"
                                                " (write them as {name: value, ...})",
                         f"tham số quy tắc không phải YAML hợp lệ{at_vi}: {yaml_text_vi(problem)}"
                         " (hãy viết dạng {tên: giá trị, ...})")
                return None, filled
            except (yaml.YAMLError, RecursionError, ValueError, TypeError) as e:
                self.err(INDICATORS, params_at, f"rule parameters are not valid YAML: {short(e)}",
                         f"tham số quy tắc không phải YAML hợp lệ: {yaml_text_vi(short(e))}")
                return None, filled
            if params is not None and not isinstance(params, dict):
                self.err(INDICATORS, params_at, "rule parameters must be a mapping in braces, such as "
                                                "{denominator: TT.4, target: 0.8}",
                         "tham số quy tắc phải là ánh xạ đặt trong dấu ngoặc nhọn, ví dụ "
                         "{denominator: TT.4, target: 0.8}")
                return None, filled
            if params and "type" in params:
                self.err(INDICATORS, params_at, "the rule type goes in column 'Loại quy tắc', not in the "
                                                "parameters",
                         "loại quy tắc ghi ở cột 'Loại quy tắc', không ghi trong tham số")
                return None, filled
        elif value is not None and value is not BAD:
            self.err(INDICATORS, params_at, "rule parameters must be text such as {per_item: 2, cap: 5}",
                     "tham số quy tắc phải là văn bản, ví dụ {per_item: 2, cap: 5}")
            return None, filled
        if kind is None or kind is BAD:
            if params and kind is None:
                self.err(INDICATORS, params_at, "parameters without a rule type in column 'Loại quy tắc'",
                         "có tham số nhưng chưa có loại quy tắc ở cột 'Loại quy tắc'")
            return None, filled
        kind = kind.strip().lower()
        if kind not in RULE_TYPES:
            self.err(INDICATORS, kind_at, f"unknown rule type '{kind}' (known: {', '.join(RULE_TYPES)})",
                     f"loại quy tắc '{kind}' không hợp lệ (các loại hợp lệ: {', '.join(RULE_TYPES)})")
            return None, filled
        return {"type": kind, **(params or {})}, filled

    def read(self, raw: bytes) -> dict[str, Any]:
        wb = self.open(raw)
        try:
            sheets = {fold(name): name for name in wb.sheetnames}

            def sheet(name: str, required: bool = True) -> Any:
                actual = sheets.get(fold(name))
                if actual is None:
                    if required:
                        self.err(name, "", f"the sheet is missing (sheets found: {', '.join(wb.sheetnames)})",
                                 f"thiếu trang tính này (các trang tính hiện có: {', '.join(wb.sheetnames)})")
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
    except Stop:
        pass
    except Exception as e:  # openpyxl parses lazily: a damaged sheet fails while its rows are read
        where, where_vi = sheet_place(reader.sheet) if reader.sheet else ("", "")
        reader.problems.insert(0, Problem(where, f"cannot read the workbook: {short(e)}",
                                          f"không đọc được tệp Excel: {short(e)}", where_vi))
    else:
        if not reader.problems:
            return data
    finally:
        if reader.zip is not None:
            reader.zip.close()
    raise FrameworkInvalid(source, reader.problems)
