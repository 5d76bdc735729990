"""manifest.json: canonical serialization on the way out, strict parsing and the library's schema on the
way in.

Canonical form: UTF-8 JSON, keys sorted, no whitespace, non-ASCII written as itself (``ensure_ascii=False``),
NaN and infinities refused. Strings are kept exactly as given (no Unicode normalization: an NFD name stays
NFD), so that what a verifier parses is what the writer was given.

Schema owned by this library (everything else belongs to the caller, which checks it after verification):

- ``format``: a string like ``dti-package/1`` (``dti-<kind>/<version>``);
- ``created_at``: a string (ISO 8601 by convention; its date also stamps the ZIP entries);
- ``entries``: a list of ``{"name": str, "sha256": 64 lowercase hex, "size": int >= 0}``, one per entry of
  the ZIP other than manifest.json and manifest.p7s, names unique and allowed, and an evidence entry's
  name equal to its content hash.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.packages import names as N

FORMAT = re.compile(r"dti-[a-z]+(?:-[a-z]+)*/[0-9]{1,4}")
SHA256 = re.compile(r"[0-9a-f]{64}")
MAX_DEPTH = 64


class ManifestProblem(Exception):
    def __init__(self, code: str, why_en: str, why_vi: str):
        super().__init__(why_en)
        self.code, self.why_en, self.why_vi = code, why_en, why_vi


def canonical_bytes(manifest: dict[str, Any]) -> bytes:
    """The exact bytes written as manifest.json (and signed). Raises ValueError for what JSON cannot carry."""
    text = json.dumps(manifest, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.encode("utf-8")  # a lone surrogate raises UnicodeEncodeError, a ValueError


def created_time(manifest: dict[str, Any]) -> datetime | None:
    """The wall-clock time of created_at (used for the ZIP timestamps), None if it is not ISO 8601."""
    value = manifest.get("created_at")
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ManifestProblem("manifest_json", f"key '{key[:40]}' appears twice", f"khóa '{key[:40]}' xuất hiện hai lần")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ManifestProblem("manifest_json", f"{name} is not a JSON number", f"{name} không phải là số JSON hợp lệ")


def _check_values(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ManifestProblem("manifest_json", "nested too deeply", "lồng nhau quá sâu")
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ManifestProblem("manifest_json", "a number is out of range", "có số vượt quá giới hạn")
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_text(k)
            _check_values(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_values(v, depth + 1)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ManifestProblem("manifest_json", "a string holds an unpaired surrogate",
                              "có chuỗi chứa ký tự thay thế lẻ") from None


def parse(data: bytes) -> dict[str, Any]:
    """Strict parse of manifest.json bytes; raises ManifestProblem with code manifest_json or manifest_schema."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise ManifestProblem("manifest_json", "starts with a byte order mark", "bắt đầu bằng dấu BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ManifestProblem("manifest_json", "not UTF-8", "không phải mã UTF-8") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
        _check_values(value)
    except ManifestProblem:
        raise
    except (ValueError, RecursionError) as e:  # JSONDecodeError, int too long, nesting
        raise ManifestProblem("manifest_json", f"not JSON ({str(e)[:60]})", "không phải JSON hợp lệ") from None
    if not isinstance(value, dict):
        raise ManifestProblem("manifest_schema", "not a JSON object", "không phải là đối tượng JSON")
    return value


def _schema(en: str, vi: str) -> ManifestProblem:
    return ManifestProblem("manifest_schema", en, vi)


def check_schema(manifest: dict[str, Any], patterns: Iterable[re.Pattern[str]] = N.PACKAGE_NAMES) -> dict[str, tuple[str, int]]:
    """The library's part of the schema (module docstring). Returns name -> (sha256, size)."""
    fmt = manifest.get("format")
    if not isinstance(fmt, str) or not FORMAT.fullmatch(fmt):
        raise _schema("'format' is missing or not like 'dti-package/1'", "thiếu 'format' hoặc không có dạng 'dti-package/1'")
    if not isinstance(manifest.get("created_at"), str):
        raise _schema("'created_at' is missing or not a string", "thiếu 'created_at' hoặc không phải chuỗi")
    listed = manifest.get("entries")
    if not isinstance(listed, list):
        raise _schema("'entries' is missing or not a list", "thiếu 'entries' hoặc không phải danh sách")
    patterns = tuple(patterns)
    out: dict[str, tuple[str, int]] = {}
    for item in listed:
        if not isinstance(item, dict) or set(item) != {"name", "sha256", "size"}:
            raise _schema("an entry is not {name, sha256, size}", "có mục không đúng dạng {name, sha256, size}")
        name, digest, size = item["name"], item["sha256"], item["size"]
        if not isinstance(name, str) or not isinstance(digest, str) or not SHA256.fullmatch(digest):
            raise _schema("an entry's name or sha256 is malformed", "tên hoặc sha256 của một mục sai dạng")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise _schema(f"entry '{N.printable(name, 80)}': size is not a whole number",
                          f"mục '{N.printable(name, 80)}': kích thước không phải số nguyên")
        if name in N.RESERVED or N.unsafe_reason(name) or not N.is_allowed(name, patterns):
            raise _schema(f"entry '{N.printable(name, 80)}' is not an allowed name",
                          f"mục '{N.printable(name, 80)}' có tên không được phép")
        if name in out:
            raise _schema(f"entry '{N.printable(name)}' is listed twice", f"mục '{N.printable(name)}' được liệt kê hai lần")
        promised = N.evidence_hash(name)
        if promised is not None and promised != digest:
            raise _schema(f"evidence '{N.printable(name)}' is not named by its SHA-256",
                          f"tài liệu '{N.printable(name)}' không được đặt tên theo SHA-256 của nó")
        out[name] = (digest, size)
    return out
