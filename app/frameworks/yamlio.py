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
        raise FrameworkInvalid(source, [Problem("", f"file too large ({len(raw)} bytes, limit {MAX_BYTES})")])
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FrameworkInvalid(source, [Problem("", f"not UTF-8 text (byte {e.start})")]) from None
    try:
        return yaml.load(content, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = e.problem or e.context
        if e.context and e.context_mark and e.problem:  # e.g. an unclosed quote: say where it opened
            reason = f"{e.context} from line {e.context_mark.line + 1}: {e.problem}"
        raise FrameworkInvalid(source, [Problem(where, f"broken YAML: {reason}")]) from None
    except yaml.YAMLError as e:
        raise FrameworkInvalid(source, [Problem("", f"broken YAML: {e}")]) from None


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
        raise FrameworkInvalid(source, [Problem("", f"file too large ({len(raw)} bytes, limit {MAX_BYTES})")])
    try:
        return json.loads(raw.decode("utf-8-sig"), parse_float=Decimal, object_pairs_hook=_unique_pairs)
    except UnicodeDecodeError as e:
        raise FrameworkInvalid(source, [Problem("", f"not UTF-8 text (byte {e.start})")]) from None
    except json.JSONDecodeError as e:
        where = f"line {e.lineno}, column {e.colno}"
        raise FrameworkInvalid(source, [Problem(where, f"broken JSON: {e.msg}")]) from None
    except (ValueError, RecursionError) as e:
        raise FrameworkInvalid(source, [Problem("", f"broken JSON: {e}")]) from None


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
