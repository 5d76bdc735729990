"""Bulk entry: `dti entry import FILE.json|FILE.xlsx` (all or nothing) and `dti entry template`."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.entries.values import EntryRefused, parse_entry
from app.errors import UserError
from app.services.workspace import Workspace

MAX_BYTES = 20 * 1024 * 1024


def _read(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UserError(f"cannot read {path.name}: {e.strerror or e}", f"không đọc được {path.name}: {e.strerror or e}") from None
    if len(raw) > MAX_BYTES:
        raise UserError(f"{path.name} is too large ({len(raw)} bytes)", f"{path.name} quá lớn ({len(raw)} byte)")
    return raw


def _json_entries(raw: bytes, name: str) -> tuple[list[tuple[str, str, Any]], dict[str, str]]:
    """[(where, code, raw value)], {code: explanation} from {"CODE": value, ...} or
    {"values": {...}, "explanations": {...}}."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise UserError(f"{name}: not a JSON file ({e})", f"{name}: không phải tệp JSON ({e})") from None
    if not isinstance(data, dict):
        raise UserError(f"{name}: expected an object {{\"CODE\": value}}", f"{name}: cần một đối tượng {{\"MÃ\": giá trị}}")
    explanations: dict[str, str] = {}
    if set(data) <= {"values", "explanations"} and data:
        values = data.get("values", {})
        explanations = data.get("explanations", {})
        if not isinstance(values, dict) or not isinstance(explanations, dict) or not all(
                isinstance(v, str) for v in explanations.values()):
            raise UserError(f"{name}: 'values' and 'explanations' must be objects of codes",
                            f"{name}: 'values' và 'explanations' phải là đối tượng theo mã")
    else:
        values = data
    entries = []
    for code, value in values.items():
        if isinstance(value, float):
            value = Decimal(repr(value))  # a JSON number is a number: 30.5 stays 30.5, never 30.499999...
        entries.append((code, str(code), value))
    return entries, explanations


def import_entries(ws: Workspace, path: Path) -> int:
    """Validate every entry of the file first; store all of them, or none with every reason listed."""
    raw = _read(path)
    state = ws.state()
    if raw.startswith(b"PK\x03\x04"):
        from app.entries.workbook import read_entry_workbook

        expect = (state.code, state.loaded.framework.id, state.loaded.sha256)
        entries, explanations = read_entry_workbook(raw, path.name, expect=expect)
    else:
        entries, explanations = _json_entries(raw, path.name)
    fw = state.loaded.framework
    # info fields first: the ratios of the same file are checked against the new denominators
    ordered = sorted(entries, key=lambda e: 0 if fw.info_field(e[1].strip()) else 1)
    info = dict(state.info)
    typed: dict[str, Any] = {}
    errors: list[tuple[str, str, str]] = []
    style = ws.number_style()
    for where, code, value in ordered:
        try:
            kind, parsed = parse_entry(fw, state.group, code, value, info, style)
        except EntryRefused as e:
            errors.append((where, str(e), e.message_vi))
            continue
        if kind == "info":
            info[code.strip()] = parsed
        typed[code.strip()] = parsed
    for code in explanations:
        if not (fw.has_indicator(code) or fw.info_field(code)):
            errors.append((code, f"{code}: explanation for an unknown code", f"{code}: giải trình cho mã không có"))
    if errors:
        errors.sort(key=lambda e: e[0])
        first_en = f"{path.name}: {len(errors)} bad entr{'ies' if len(errors) > 1 else 'y'}, nothing saved: "
        first_vi = f"{path.name}: {len(errors)} giá trị sai, chưa lưu gì: "
        en = first_en + "; ".join(f"{w}: {m}" if w != m.split(":")[0] else m for w, m, _ in errors)
        vi = first_vi + "; ".join(f"{w}: {m}" if w != m.split(":")[0] else m for w, _, m in errors)
        raise UserError(en, vi)
    return ws.set_entries(typed, explanations, reason=f"import {path.name}", action="entry.import")


def write_template(ws: Workspace, out: Path) -> None:
    from app.entries.workbook import write_entry_workbook

    write_entry_workbook(ws.state(), out, ws.lang)
