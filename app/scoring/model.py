"""The framework tree as plain, immutable data (Bộ chỉ số).

Built by `app.frameworks` from YAML or Excel after validation; the engine only reads it. Everything
here is value-comparable, so "export then re-import gives the same framework" is a plain `==`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from app.scoring.rules import Rule

EVIDENCE_LEVELS = ("required", "optional", "none")
INFO_TYPES = ("integer", "number", "text")


@dataclass(frozen=True)
class Group:
    """A unit group (nhóm đơn vị), ranked separately, e.g. departments with public services."""

    code: str
    title: str
    ranked: bool = True  # some provinces assess a group without ranking it


@dataclass(frozen=True)
class Grade:
    """A grade band (xếp loại): the first band, highest first, whose `min` ≤ share."""

    label: str
    min: Decimal


@dataclass(frozen=True)
class Round:
    """The assessment round (đợt đánh giá) and its data window."""

    year: int
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True)
class InfoField:
    """General information (Thông tin chung): not scored, usable as a ratio's denominator."""

    code: str
    title: str
    type: str = "integer"
    unit: str | None = None
    groups: tuple[str, ...] | None = None  # None: every group
    appraiser: str | None = None
    guide: str | None = None

    def applies_to(self, group: str) -> bool:
        return self.groups is None or group in self.groups


@dataclass(frozen=True)
class Indicator:
    """A node of the scored tree: main index, component index or criterion.

    `max` maps every group the node applies to onto its maximum points; a group absent from the map
    does not have this node. Only leaves carry a rule and evidence requirements.
    """

    code: str
    title: str
    max: dict[str, Decimal]
    children: tuple[Indicator, ...] = ()
    rule: Rule | None = None
    evidence: str = "optional"
    appraiser: str | None = None
    guide: str | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def applies_to(self, group: str) -> bool:
        return group in self.max

    def walk(self) -> Iterator[Indicator]:
        """This node and its descendants, pre-order (display order)."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Framework:
    """A whole framework (Bộ chỉ số) of one province and round."""

    id: str
    title: str
    round: Round
    groups: tuple[Group, ...]
    grades: tuple[Grade, ...]
    indicators: tuple[Indicator, ...]
    info: tuple[InfoField, ...] = ()
    decision: str | None = None
    default_appraiser: str | None = None
    notice: str | None = None
    reconstructed: bool = False
    _index: dict[str, Indicator] = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        index = {node.code: node for top in self.indicators for node in top.walk()}
        object.__setattr__(self, "_index", index)

    # Lookups the engine, services and GUI need; all O(1) through the index built once.
    def indicator(self, code: str) -> Indicator:
        return self._index[code]

    def has_indicator(self, code: str) -> bool:
        return code in self._index

    def info_field(self, code: str) -> InfoField | None:
        return next((f for f in self.info if f.code == code), None)

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    def walk(self) -> Iterator[Indicator]:
        for top in self.indicators:
            yield from top.walk()

    def leaves(self, group: str | None = None) -> Iterator[Indicator]:
        for node in self.walk():
            if node.is_leaf and (group is None or node.applies_to(group)):
                yield node

    def max_total(self, group: str) -> Decimal:
        """The unit maximum: the sum of the maxima of the main indices applicable to the group."""
        return sum((top.max[group] for top in self.indicators if top.applies_to(group)), Decimal(0))

    def appraiser_of(self, code: str) -> str | None:
        """Who appraises an indicator or info field: its own assignment, else its nearest ancestor's,
        else the framework's default."""
        field = self.info_field(code)
        if field is not None:
            return field.appraiser or self.default_appraiser
        path = self._path_to(code)
        for node in reversed(path):
            if node.appraiser:
                return node.appraiser
        return self.default_appraiser

    def _path_to(self, code: str) -> list[Indicator]:
        def search(nodes: tuple[Indicator, ...], trail: list[Indicator]) -> list[Indicator] | None:
            for node in nodes:
                if node.code == code:
                    return [*trail, node]
                found = search(node.children, [*trail, node])
                if found:
                    return found
            return None

        return search(self.indicators, []) or []
