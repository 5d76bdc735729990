"""JSON entries of signed files from another installation, checked before use (docs/trust-and-packages.md).

`strict_json` parses an entry as manifest.json is parsed; `fields`, `text`, `flag`, `listed` check its shape.
Each refuses with a `BadValue` (English and Vietnamese) naming the entry, the place and the rule, so that a
hostile file gets a one-line refusal, never a RecursionError, a KeyError or an error from the database later.
Used by package and bundle import, feedback, and the work and return files of appraisal by field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from app.errors import UserError
from app.services.identifiers import BadValue, printable

MAX_DEPTH = 16            # the deepest entry written (a work file's evidence signatures) nests 8 levels
_SURROGATE = re.compile("[\ud800-\udfff]")


def strict_json(raw: bytes, name: str) -> Any:
    """An entry parsed as manifest.json is: UTF-8 without BOM, no duplicate keys, no NaN or Infinity, no lone
    surrogate (SQLite cannot store one), at most MAX_DEPTH levels deep. A hostile file gets a BadValue, never a
    RecursionError or an error from the database later."""
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                shown = printable(key, 40)
                raise BadValue(f"{name}: the key '{shown}' appears twice", f"{name}: khóa '{shown}' xuất hiện hai lần")
            out[key] = value
        return out

    def constant(word: str) -> None:
        raise BadValue(f"{name}: {word} is not a number", f"{name}: {word} không phải là số")

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadValue(f"{name} is not UTF-8 text", f"{name} không phải văn bản UTF-8") from None
    if text.startswith("\ufeff"):
        raise BadValue(f"{name} starts with a byte order mark", f"{name} bắt đầu bằng dấu BOM")
    try:
        value = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except RecursionError:
        raise _too_deep(name) from None
    except BadValue:
        raise
    except ValueError as e:   # JSONDecodeError, an integer of thousands of digits
        shown = printable(str(e), 60)
        raise BadValue(f"{name} is not JSON ({shown})", f"{name} không phải JSON hợp lệ ({shown})") from None
    _check_tree(value, name)
    return value


def _too_deep(name: str) -> BadValue:
    return BadValue(f"{name} is nested more than {MAX_DEPTH} levels deep", f"{name} lồng nhau quá {MAX_DEPTH} cấp")


def _check_tree(value: Any, name: str) -> None:
    """Depth and text of every node, iteratively (a deep document must not exhaust the stack here either)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(name)
        if isinstance(node, dict):
            stack.extend((k, depth + 1) for k in node)
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
        elif isinstance(node, str) and _SURROGATE.search(node):
            raise BadValue(f"{name} holds a lone surrogate character", f"{name} chứa ký tự thay thế lẻ")


def fields(value: Any, where: str, required: Iterable[str], optional: Iterable[str] = (), *,
           closed: bool = True) -> dict[str, Any]:
    """An object with every `required` key; `closed`: no key beyond `required` and `optional`."""
    if not isinstance(value, dict):
        raise BadValue(f"{where} must be an object", f"{where} phải là một đối tượng JSON")
    required = tuple(required)
    for key in required:
        if key not in value:
            raise BadValue(f"{where} lacks '{key}'", f"{where} thiếu '{key}'")
    if closed:
        known = set(required) | set(optional)
        for key in value:
            if key not in known:
                shown = printable(key, 40)
                raise BadValue(f"{where} has an unknown key '{shown}'", f"{where} có khóa lạ '{shown}'")
    return value


def text(value: Any, where: str, limit: int, *, optional: bool = False) -> str | None:
    """Free text (a comment, an explanation): a string of at most `limit` characters, or None if `optional`."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > limit:
        what = "text or null" if optional else "text"
        what_vi = "văn bản hoặc null" if optional else "văn bản"
        raise BadValue(f"{where} must be {what} of at most {limit} characters",
                       f"{where} phải là {what_vi} dài tối đa {limit} ký tự")
    return value


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise BadValue(f"{where} must be true or false", f"{where} phải là true hoặc false")
    return value


def listed(value: Any, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list) or len(value) > limit:
        raise BadValue(f"{where} must be a list of at most {limit} items", f"{where} phải là danh sách tối đa {limit} mục")
    return value


def refusal(file: str, problem: BadValue) -> UserError:
    """The one-line refusal of a file whose content broke a rule."""
    return UserError(f"{file}: {problem.en}", f"{file}: {problem.vi}")
