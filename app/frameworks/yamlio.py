"""Reading and writing framework YAML, defensively: framework files come from other machines."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import yaml

from app.frameworks.schema import FrameworkInvalid, Problem
from app.scoring.numbers import plain

MAX_BYTES = 5 * 1024 * 1024  # the largest real framework is ~200 KB; refuse anything absurd

# PyYAML's messages (and the two of `_StrictLoader`) in Vietnamese, for the people who write frameworks;
# a message not listed keeps its English words after the Vietnamese "YAML bị lỗi".
_YAML_VI: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), vi) for p, vi in (
    (r"^aliases \(\*name\) are not allowed$", "không được dùng bí danh (*tên)"),
    (r"^duplicate key (.+)$", r"khóa \1 bị lặp lại"),
    (r"^found character '\\t' that cannot start any token$",
     "có ký tự tab ở chỗ không được phép (hãy thụt lề bằng dấu cách)"),
    (r"^found character (.+) that cannot start any token$", r"ký tự \1 không được đứng ở vị trí này"),
    (r"^found unexpected end of stream$", "tệp kết thúc bất ngờ"),
    (r"^could not find expected ':'$", "không tìm thấy dấu ':' cần có"),
    (r"^mapping values are not allowed here$",
     "không được có 'khóa: giá trị' ở đây (văn bản có dấu ':' cần đặt trong dấu ngoặc kép)"),
    (r"^sequence entries are not allowed here$", "không được có mục danh sách '-' ở đây"),
    (r"^invalid indentation or unclosed '\[' or '\{'$", "thụt lề sai hoặc thiếu dấu đóng ']' hoặc '}'"),
    (r"^found unknown escape character (.+)$", r"ký tự thoát \1 không hợp lệ"),
    (r"^expected a single document in the stream$", "tệp chỉ được chứa một tài liệu YAML"),
    (r"^expected (.+), but (?:found|got) (.+)$", r"cần \1 nhưng gặp \2"),
    # contexts, read as "<context> từ dòng N: <problem>"
    (r"^while scanning a (?:double-)?quoted scalar$", "khi đọc chuỗi trong dấu ngoặc kép"),
    (r"^while scanning a simple key$", "khi đọc khóa"),
    (r"^while parsing a block mapping$", "khi đọc ánh xạ"),
    (r"^while parsing a block collection$", "khi đọc danh sách"),
    (r"^while parsing a flow mapping$", "khi đọc ngoặc nhọn '{'"),
    (r"^while parsing a flow sequence$", "khi đọc ngoặc vuông '['"),
    (r"^while parsing a (?:block|flow) node$", "khi đọc giá trị"),
    (r"^while scanning a block scalar$", "khi đọc khối văn bản"),
))
_TOKENS_VI = {"'<stream end>'": "cuối tệp", "'<block end>'": "cuối khối", "<block end>": "cuối khối",
              "'<document start>'": "dấu '---'", "the node content": "một giá trị", "'<scalar>'": "một giá trị",
              "'<block mapping start>'": "một ánh xạ mới (thụt lề sai?)",
              "'<block sequence start>'": "một danh sách mới (thụt lề sai?)", " or ": " hoặc "}


def yaml_text_vi(message: str) -> str:
    """One of PyYAML's problem or context texts in Vietnamese, or as it is when not known."""
    for pattern, vi in _YAML_VI:
        if pattern.match(message):
            out = pattern.sub(vi, message)
            for token, word in _TOKENS_VI.items():
                out = out.replace(token, word)
            return out
    return message


def _too_large(size: int) -> Problem:
    return Problem("", f"file too large ({size} bytes, limit {MAX_BYTES})",
                   f"tệp quá lớn ({size} byte, giới hạn {MAX_BYTES})")


def _not_utf8(byte: int) -> Problem:
    return Problem("", f"not UTF-8 text (byte {byte})", f"không phải văn bản UTF-8 (byte {byte})")


def _line(line: int, column: int) -> tuple[str, str]:
    return f"line {line}, column {column}", f"dòng {line}, cột {column}"


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (YAML silently keeps the last) and aliases (which let a
    few bytes expand into gigabytes, and which a framework never needs)."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(None, None, "aliases (*name) are not allowed",
                                                    event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


# YAML 1.1 reads on/off/yes/no/y/n as booleans, so `{on: count}` would key the mapping with True and an
# option coded `no` would become False. Frameworks follow YAML 1.2 here: only true/false are booleans.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def parse_yaml(raw: bytes, source: str) -> Any:
    """Bytes of a YAML (or JSON) framework file -> plain data, or FrameworkInvalid with the line."""
    if len(raw) > MAX_BYTES:
        raise FrameworkInvalid(source, [_too_large(len(raw))])
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FrameworkInvalid(source, [_not_utf8(e.start)]) from None
    try:
        return yaml.load(content, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where, where_vi = _line(mark.line + 1, mark.column + 1) if mark else ("", "")
        reason = e.problem or e.context or ""
        reason_vi = yaml_text_vi(reason)
        if e.context and e.context_mark and e.problem:  # e.g. an unclosed quote: say where it opened
            opened = e.context_mark.line + 1
            reason = f"{e.context} from line {opened}: {e.problem}"
            reason_vi = f"{yaml_text_vi(e.context)} từ dòng {opened}: {yaml_text_vi(e.problem)}"
        raise FrameworkInvalid(source, [Problem(where, f"broken YAML: {reason}", f"YAML bị lỗi: {reason_vi}",
                                                where_vi)]) from None
    except yaml.YAMLError as e:
        raise FrameworkInvalid(source, [Problem("", f"broken YAML: {e}", f"YAML bị lỗi: {e}")]) from None


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def parse_json(raw: bytes, source: str) -> Any:
    """The canonical JSON form; numbers become Decimal so that no digit is lost."""
    if len(raw) > MAX_BYTES:
        raise FrameworkInvalid(source, [_too_large(len(raw))])
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_float=Decimal, object_pairs_hook=_unique_pairs)
    except UnicodeDecodeError as e:
        raise FrameworkInvalid(source, [_not_utf8(e.start)]) from None
    except json.JSONDecodeError as e:
        where, where_vi = _line(e.lineno, e.colno)
        raise FrameworkInvalid(source, [Problem(where, f"broken JSON: {e.msg}", f"JSON bị lỗi: {e.msg}",
                                                where_vi)]) from None
    except (ValueError, RecursionError) as e:
        raise FrameworkInvalid(source, [Problem("", f"broken JSON: {e}", f"JSON bị lỗi: {e}")]) from None


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = plain(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _date(dumper: yaml.SafeDumper, value: date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(date, _date)


def dump_yaml(data: Any) -> str:
    """Human-friendly YAML in the order of `to_data()` (not the canonical form, which is JSON)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110,
                     default_flow_style=None)
