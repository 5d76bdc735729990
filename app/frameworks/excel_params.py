"""The parameters cell of a framework workbook («Tham số quy tắc»): a rule's parameters as one line of
YAML flow mapping, such as {denominator: TT.4, target: 0.8}.

In this cell only true/false are booleans (YAML 1.2, as in framework files), decimals are kept exact,
and aliases and duplicate keys are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from app.scoring.numbers import plain


def _yaml_12_booleans(cls: type) -> None:
    """Only true/false are booleans: `{on: count}` keys the mapping with 'on', as people mean it."""
    cls.yaml_implicit_resolvers = {  # type: ignore[attr-defined]
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    cls.add_implicit_resolver(  # type: ignore[attr-defined]
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _ParamsLoader(yaml.SafeLoader):
    """One cell of YAML: no aliases, no duplicate keys, decimals kept exact."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            raise yaml.constructor.ConstructorError(None, None, "aliases (*name) are not allowed",
                                                    self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain word",
                                                        key_node.start_mark) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)

    def construct_exact_float(self, node):  # type: ignore[no-untyped-def]
        raw = str(self.construct_scalar(node)).replace("_", "")
        try:
            return Decimal(raw)
        except InvalidOperation:  # .inf, .nan, 1:30.5 - let the schema refuse what it must
            return self.construct_yaml_float(node)


_yaml_12_booleans(_ParamsLoader)
_ParamsLoader.add_constructor("tag:yaml.org,2002:float", _ParamsLoader.construct_exact_float)


class _ParamsDumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # a cell never needs &anchors, and the reader refuses them
        return True


_yaml_12_booleans(_ParamsDumper)
_ParamsDumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:" + ("float" if "." in plain(v) else "int"),
                                             plain(v)))


def params_text(params: dict[str, Any]) -> str:
    """A rule's parameters as one line of YAML flow mapping ('' when it has none)."""
    if not params:
        return ""
    return yaml.dump(params, Dumper=_ParamsDumper, default_flow_style=True, allow_unicode=True,
                     sort_keys=False, width=2 ** 31 - 1).strip()


def parse_params(cell_text: str) -> Any:
    """The parameters cell as data; raises yaml.YAMLError (or RecursionError) when it is broken."""
    return yaml.load(cell_text, Loader=_ParamsLoader)
