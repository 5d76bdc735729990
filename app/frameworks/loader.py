"""One entry point to read a framework from a file, whatever its form (YAML, JSON or XLSX)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.frameworks.canonical import framework_hash
from app.frameworks.schema import FrameworkInvalid, Problem, build
from app.frameworks.yamlio import parse_json, parse_yaml
from app.scoring.model import Framework

XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Loaded:
    framework: Framework
    sha256: str
    warnings: list[Problem]


def load_bytes(raw: bytes, source: str) -> Loaded:
    """Parse and validate a framework; raises FrameworkInvalid with a one-line reason."""
    if raw.startswith(XLSX_MAGIC):
        from app.frameworks.excel import read_workbook  # openpyxl only when a workbook comes in

        data = read_workbook(raw, source)
    elif raw.lstrip()[:1] == b"{":
        try:
            data = parse_json(raw, source)  # the canonical form: exact decimals, no float detour
        except FrameworkInvalid:
            data = parse_yaml(raw, source)  # YAML written in flow style also starts with '{'
    else:
        data = parse_yaml(raw, source)
    framework, warnings = build(data, source)
    return Loaded(framework, framework_hash(framework), warnings)


def load_file(path: Path) -> Loaded:
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FrameworkInvalid(source, [Problem("", f"cannot read the file: {e.strerror or e}",
                                                f"không đọc được tệp: {e.strerror or e}")]) from None
    return load_bytes(raw, source)
