"""The indicator tree's filter: a search box (code or title, with or without Vietnamese diacritics) and
a status filter, above all "Cần giải trình" (an appraiser asked for an explanation and none is written
yet). A QSortFilterProxyModel with recursive filtering keeps the main index and component above a match.

The indicator being edited stays visible while the filter does not change ("pinned"): writing the
explanation that takes it out of "Cần giải trình" must not pull it from under the officer's cursor.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from app.services import unit_view as uv
from app.services.unit_view import NodeView
from app.ui.text import tr
from app.ui.tree_model import IndicatorTreeModel

CTX = "TreeFilter"
ALL, NEEDS_EXPLANATION, UNFINISHED, FEEDBACK = "all", "needs_explanation", "unfinished", "feedback"
MODES = (ALL, NEEDS_EXPLANATION, UNFINISHED, FEEDBACK)


def mode_text(mode: str) -> str:
    return {ALL: tr(CTX, "Tất cả"), NEEDS_EXPLANATION: tr(CTX, "Cần giải trình"),
            UNFINISHED: tr(CTX, "Chưa xong"), FEEDBACK: tr(CTX, "Có phản hồi thẩm định")}[mode]


def folded(text: str) -> str:
    """Lower case without diacritics, so "hop ban chi dao" finds "Họp Ban chỉ đạo"."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def needs_explanation(node: NodeView) -> bool:
    return node.leaf and node.explanation_requested and not node.explanation.strip()


def matches_mode(node: NodeView, mode: str) -> bool:
    if mode == NEEDS_EXPLANATION:
        return needs_explanation(node)
    if mode == UNFINISHED:
        return node.leaf and node.status not in (uv.DONE, uv.APPRAISER, uv.COMMENT)
    if mode == FEEDBACK:
        return node.leaf and (node.appraised is not None or bool(node.comment) or node.explanation_requested)
    return True


class IndicatorFilter(QSortFilterProxyModel):
    def __init__(self, source: IndicatorTreeModel, parent=None):
        super().__init__(parent)
        self.setSourceModel(source)
        self.setRecursiveFilteringEnabled(True)
        self.setAutoAcceptChildRows(True)   # a matching main index shows everything under it
        self.mode = ALL
        self.text = ""
        self._needle = ""
        self.pinned: str | None = None

    @property
    def tree(self) -> IndicatorTreeModel:
        return self.sourceModel()  # type: ignore[return-value]

    def active(self) -> bool:
        return self.mode != ALL or bool(self._needle)

    def _change(self, **state: object) -> None:
        """Change the filter's state between beginFilterChange/endFilterChange (Qt ≥ 6.9)."""
        self.beginFilterChange()
        for name, value in state.items():
            setattr(self, name, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_mode(self, mode: str) -> None:
        if mode != self.mode:
            self._change(mode=mode, pinned=None)

    def set_text(self, text: str) -> None:
        needle = folded(text.strip())
        self.text = text
        if needle != self._needle:
            self._change(_needle=needle, pinned=None)

    def clear(self) -> None:
        self._change(mode=ALL, text="", _needle="", pinned=None)

    def pin(self, code: str | None, leaf: bool = True) -> None:
        """Keep the criterion `code` visible until the filter changes; the previous pin may drop out."""
        pinned = code if leaf else None
        if pinned == self.pinned:
            return
        if self.pinned is not None and self.active():
            self._change(pinned=pinned)
        else:
            self.pinned = pinned

    def node_at(self, index: QModelIndex | QPersistentModelIndex) -> NodeView | None:
        return self.tree.node_at(self.mapToSource(index)) if index.isValid() else None

    def index_of(self, code: str) -> QModelIndex:
        return self.mapFromSource(self.tree.index_of(code))

    def visible_codes(self, parent: QModelIndex | None = None) -> list[str]:
        parent = parent or QModelIndex()
        out = []
        for row in range(self.rowCount(parent)):
            index = self.index(row, 0, parent)
            node = self.node_at(index)
            if node is not None:
                out.append(node.code)
            out += self.visible_codes(index)
        return out

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        node = self.tree.node_at(self.tree.index(row, 0, parent))
        if node is None:
            return False
        return node.code == self.pinned or self.matches(node)

    def matches(self, node: NodeView) -> bool:
        if not matches_mode(node, self.mode):
            return False
        return not self._needle or self._needle in folded(node.code) or self._needle in folded(node.title)

    def matching_leaves(self) -> list[NodeView]:
        """The criteria shown because they match (not the pinned one kept for the officer)."""
        nodes = (self.tree.node(code) for code in self.visible_codes())
        return [n for n in nodes if n is not None and n.leaf and self.matches(n)]
