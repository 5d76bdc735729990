"""The indicator tree (main index → component → criterion) as a Qt model over plain `NodeView` rows.

The snapshot is the store of record for the view; the model only indexes it. A refresh with the same
tree (every edit) changes values in place and emits dataChanged, so selection and expansion survive; a
different tree (another unit) resets the model, as Vorta's table models do.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.scoring.numbers import format_points
from app.services import unit_view as uv
from app.services.unit_view import NodeView, UnitSnapshot
from app.ui.icons import status_icon
from app.ui.text import tr

COL_CODE, COL_TITLE, COL_POINTS, COL_STATUS = range(4)
_ROOT = QModelIndex()   # the invalid index as a default argument, made once
SORT_ROLE = Qt.ItemDataRole.UserRole + 1   # native values for a QSortFilterProxyModel
CODE_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex
STATUSES = (uv.DONE, uv.MISSING, uv.NO_EVIDENCE, uv.PROBLEM, uv.COMMENT, uv.EXPLAIN, uv.APPRAISER)


def status_text(status: str) -> str:
    return {
        uv.DONE: tr("Status", "Đã xong"),
        uv.MISSING: tr("Status", "Chưa nhập"),
        uv.NO_EVIDENCE: tr("Status", "Thiếu minh chứng"),
        uv.PROBLEM: tr("Status", "Có vấn đề"),
        uv.COMMENT: tr("Status", "Có ý kiến thẩm định"),
        uv.EXPLAIN: tr("Status", "Cần giải trình"),
        uv.APPRAISER: tr("Status", "Thẩm định chấm"),
    }.get(status, status)


def points_text(node: NodeView, lang: str = "vi") -> str:
    return f"{format_points(node.points, lang)} / {format_points(node.max, lang)}"


TOOLTIP_WIDTH = 420   # pixels: a long title wraps in a readable column, not the narrow one Qt picks itself


def tooltip(node: NodeView, lang: str = "vi") -> str:
    """The whole title (the tree may show it shortened), the points, the status and how they were obtained;
    rich text, so that Qt wraps a long title instead of drawing a tooltip wider than the screen."""
    lines = [f"<b>{escape(node.code)}</b> {escape(node.title)}",
             f"{escape(points_text(node, lang))} — {escape(status_text(node.status))}"]
    if node.leaf and node.how:
        lines.append(escape(node.how))
    text = "<br>".join(lines)
    if len(node.title) + len(node.how if node.leaf else "") > 60:
        return f'<table width="{TOOLTIP_WIDTH}"><tr><td>{text}</td></tr></table>'
    return f"<p>{text}</p>"


class IndicatorTreeModel(QAbstractItemModel):
    def __init__(self, parent=None, lang: str = "vi"):
        super().__init__(parent)
        self.lang = lang
        self._nodes: list[NodeView] = []
        self._pos: dict[str, int] = {}            # code -> position in _nodes (the index's internal id)
        self._children: dict[str | None, list[int]] = {None: []}
        self._row: dict[int, int] = {}            # position -> row under its parent

    # -- data in --------------------------------------------------------------------------------------
    def set_snapshot(self, snapshot: UnitSnapshot) -> None:
        nodes = list(snapshot.nodes)
        same_tree = [(n.code, n.parent) for n in nodes] == [(n.code, n.parent) for n in self._nodes]
        if same_tree and nodes:
            self._nodes = nodes
            for parent, positions in self._children.items():
                if positions:
                    parent_index = self.index_of(parent) if parent is not None else QModelIndex()
                    self.dataChanged.emit(self.index(0, 0, parent_index),
                                          self.index(len(positions) - 1, COL_STATUS, parent_index))
            return
        self.beginResetModel()
        self._nodes = nodes
        self._pos = {n.code: i for i, n in enumerate(nodes)}
        self._children = {None: []}
        self._row = {}
        for i, n in enumerate(nodes):
            siblings = self._children.setdefault(n.parent, [])
            self._row[i] = len(siblings)
            siblings.append(i)
            self._children.setdefault(n.code, [])
        self.endResetModel()

    def node_at(self, index: Index) -> NodeView | None:
        if not index.isValid():
            return None
        return self._nodes[index.internalId()]

    def index_of(self, code: str | None, column: int = 0) -> QModelIndex:
        pos = self._pos.get(code or "")
        if pos is None:
            return QModelIndex()
        return self.createIndex(self._row[pos], column, pos)

    def node(self, code: str) -> NodeView | None:
        pos = self._pos.get(code)
        return None if pos is None else self._nodes[pos]

    def codes(self) -> list[str]:
        return [n.code for n in self._nodes]

    # -- QAbstractItemModel ---------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column < 0 or column > COL_STATUS or row < 0:
            return QModelIndex()
        key = self._nodes[parent.internalId()].code if parent.isValid() else None
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._children.get(key, [])
        if row >= len(children):
            return QModelIndex()
        return self.createIndex(row, column, children[row])

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent_code = self._nodes[index.internalId()].parent
        if parent_code is None:
            return QModelIndex()
        return self.index_of(parent_code)

    def rowCount(self, parent: Index = _ROOT) -> int:
        if parent.isValid():
            if parent.column() != 0:
                return 0
            return len(self._children.get(self._nodes[parent.internalId()].code, []))
        return len(self._children.get(None, []))

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (tr("Tree", "Mã"), tr("Tree", "Chỉ số, tiêu chí"), tr("Tree", "Điểm"), tr("Tree", "Trạng thái"))[section]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node_at(index)
        if node is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_CODE:
                return node.code
            if col == COL_TITLE:
                return node.title
            if col == COL_POINTS:
                return points_text(node, self.lang)
            if node.leaf:
                return status_text(node.status)
            return tr("Tree", "{done}/{total} xong").format(done=node.leaves_done, total=node.leaves_total)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS:
            return status_icon(node.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(node, self.lang)
        if role == Qt.ItemDataRole.TextAlignmentRole and col == COL_POINTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and node.depth == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and node.leaf and node.status == uv.MISSING and col != COL_STATUS:
            return QBrush(QColor("#616161"))
        if role == SORT_ROLE:
            return (node.code, node.title, float(node.points), uv.STATUS_ORDER.index(node.status))[col]
        if role == CODE_ROLE:
            return node.code
        if role == STATUS_ROLE:
            return node.status
        return None
