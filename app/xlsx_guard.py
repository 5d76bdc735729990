"""Opening an untrusted .xlsx: the checks every workbook reader makes before openpyxl sees the bytes.

A workbook is a zip: refuse it before unpacking when it is too large, is no zip, declares more unpacked
bytes or parts than any real workbook (zip bombs), or holds no [Content_Types].xml. The readers word the
refusals themselves (frameworks in English, entry workbooks in both languages), from `XlsxRefused.reason`.
Imports only the standard library and openpyxl, so every layer may use it.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from typing import Any

from openpyxl import load_workbook

MAX_BYTES = 20 * 1024 * 1024        # the largest real workbook is well under 1 MB
MAX_UNPACKED = 64 * 1024 * 1024     # zip bombs: the sum of the declared sizes of the parts
MAX_PARTS = 2000
MAX_CELL_TEXT = 32767               # Excel's limit for one cell

TOO_LARGE, NOT_ZIP, TOO_LARGE_UNPACKED, NOT_XLSX = "too large", "not a zip", "too large unpacked", "not xlsx"


class XlsxRefused(Exception):
    """The bytes are not a workbook to open; `reason` is TOO_LARGE, NOT_ZIP, TOO_LARGE_UNPACKED or NOT_XLSX."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_package(raw: bytes) -> zipfile.ZipFile:
    """The zip of a workbook, checked against the limits above; the caller closes it."""
    if len(raw) > MAX_BYTES:
        raise XlsxRefused(TOO_LARGE)
    try:
        package = zipfile.ZipFile(io.BytesIO(raw))
    except Exception:  # BadZipFile, EOFError, ValueError... whatever a damaged zip raises
        raise XlsxRefused(NOT_ZIP) from None
    try:
        parts = package.infolist()
        if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
            raise XlsxRefused(TOO_LARGE_UNPACKED)
        if "[Content_Types].xml" not in {p.filename for p in parts}:
            raise XlsxRefused(NOT_XLSX)
    except BaseException:
        package.close()
        raise
    return package


def load_read_only(raw: bytes, data_only: bool) -> Any:
    """openpyxl's read-only workbook of the bytes, its warnings silenced; raises whatever openpyxl raises
    on hostile input (KeyError, ValueError, XML errors...)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=data_only)


def short_error(error: BaseException, limit: int) -> str:
    """An exception as one short line for a message: its type and the first `limit` characters."""
    message = " ".join(str(error).split())[:limit]
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def float_text(value: float) -> str:
    """A number cell as the text a person typed: 12 not 12.0, else the shortest exact repr."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
