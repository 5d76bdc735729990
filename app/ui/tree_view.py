"""The indicator tree's view: titles that can be read at 1366×768.

Indicator titles are sentences (median ~75 characters, up to 240 in the bundled frameworks), so the title
column wraps them onto `MAX_TITLE_LINES` (two) lines, the last one shortened with an ellipsis; the whole
title is in the tooltip and in the editor beside the tree. Rows are as tall as their title needs, so a
short title keeps a one-line row. The code, points and status columns are sized once per tree from what
they will actually hold (the framework's deepest code with its indentation, the widest status), and the
title column takes the rest.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from app.scoring.numbers import format_points
from app.ui.text import wrap_lines
from app.ui.tree_filter import IndicatorFilter
from app.ui.tree_model import (
    COL_CODE,
    COL_POINTS,
    COL_STATUS,
    COL_TITLE,
    STATUSES,
    IndicatorTreeModel,
    status_text,
)

MAX_TITLE_LINES = 2
INDENTATION = 16     # Qt's default is 20; three levels of 20 took a fifth of the pane before any code
V_PADDING = 4        # above and below the text of a row
AIR = 8              # pixels beyond what a column's widest text needs
Index = QModelIndex | QPersistentModelIndex


class TitleDelegate(QStyledItemDelegate):
    """Paints the title column's text wrapped (see `wrap_lines`) and says how tall that makes the row."""

    def __init__(self, view: QTreeView):
        super().__init__(view)
        self.view = view
        self._cache: dict[tuple[str, str, int], list[str]] = {}

    def text_width(self, option: QStyleOptionViewItem | None = None) -> int:
        margin = self.view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, option, self.view) + 1
        return self.view.columnWidth(COL_TITLE) - 2 * margin

    def lines(self, index: Index, font: QFont | None = None) -> list[str]:
        """The lines the title of `index` is shown on at the column's present width."""
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        if font is None:
            font = index.data(Qt.ItemDataRole.FontRole) or self.view.font()
        width = self.text_width()
        key = (text, font.key(), width)
        lines = self._cache.get(key)
        if lines is None:
            if len(self._cache) > 4000:   # titles × widths seen while dragging the splitter
                self._cache.clear()
            lines = self._cache[key] = wrap_lines(text, QFontMetrics(font), width, MAX_TITLE_LINES)
        return lines

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        if index.column() != COL_TITLE:
            return size
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        height = len(self.lines(index, opt.font)) * QFontMetrics(opt.font).lineSpacing() + 2 * V_PADDING
        return QSize(size.width(), max(size.height(), height))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        lines = self.lines(index, opt.font)
        opt.text = ""
        widget = opt.widget or self.view
        style = widget.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)   # background, selection
        if not opt.state & QStyle.StateFlag.State_Enabled:
            group = QPalette.ColorGroup.Disabled
        elif opt.state & QStyle.StateFlag.State_Active:
            group = QPalette.ColorGroup.Normal
        else:
            group = QPalette.ColorGroup.Inactive
        role = (QPalette.ColorRole.HighlightedText if opt.state & QStyle.StateFlag.State_Selected
                else QPalette.ColorRole.Text)
        metrics = QFontMetrics(opt.font)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, opt, widget) + 1
        block = len(lines) * metrics.lineSpacing()
        top = opt.rect.top() + max(0, (opt.rect.height() - block) // 2)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.color(group, role))
        for n, line in enumerate(lines):
            rect = QRect(opt.rect.left() + margin, top + n * metrics.lineSpacing(), opt.rect.width() - 2 * margin,
                         metrics.lineSpacing())
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
        painter.restore()


class IndicatorTreeView(QTreeView):
    """The tree of main indices, components and criteria over an `IndicatorFilter`."""

    def __init__(self, model: IndicatorFilter, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("indicatorTree")
        self.setModel(model)
        self.setUniformRowHeights(False)   # a short title keeps a one-line row
        self.setAlternatingRowColors(True)
        self.setIndentation(INDENTATION)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)   # rows of 1 to 3 lines
        self.title_delegate = TitleDelegate(self)
        self.setItemDelegateForColumn(COL_TITLE, self.title_delegate)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        for section in (COL_CODE, COL_POINTS, COL_STATUS):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._section_resized)
        model.modelReset.connect(self.fit_columns)
        self.fit_columns()

    @property
    def tree(self) -> IndicatorTreeModel:
        return self.model().tree  # type: ignore[attr-defined]

    def fit_columns(self) -> None:
        """Code, points and status as wide as what they hold (not ResizeToContents: that asks the model for
        every row's text on each change, ~15,000 calls for a 300-indicator framework); the title the rest."""
        tree = self.tree
        nodes = [n for n in (tree.node(code) for code in tree.codes()) if n is not None]
        plain = self.fontMetrics()
        bold_font = QFont(self.font())
        bold_font.setBold(True)
        bold = QFontMetrics(bold_font)

        def advance(text: str, depth: int) -> int:   # main indices are drawn in bold
            return (bold if depth == 0 else plain).horizontalAdvance(text)

        # the code column also holds the indentation and branch arrow of every level down to the code
        code = max((INDENTATION * (n.depth + 1) + advance(n.code, n.depth) for n in nodes),
                   default=INDENTATION * 3 + plain.horizontalAdvance("6.7.2.1"))
        # the widest figure a row can show: its maximum less a few hundredths ("249,88 / 250")
        points = max((advance(f"{format_points(max(n.max - Decimal('0.12'), Decimal(0)), tree.lang)} / "
                              f"{format_points(n.max, tree.lang)}", n.depth) for n in nodes),
                     default=bold.horizontalAdvance("249,88 / 250"))
        # the icon and the text each have a margin on both sides (Qt's item layout), plus a little air
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        icon = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self) + 2 * margin
        status = max(plain.horizontalAdvance(status_text(s)) for s in STATUSES) + icon
        header = self.header()
        for section, width in ((COL_CODE, code), (COL_POINTS, points), (COL_STATUS, status)):
            label = str(tree.headerData(section, Qt.Orientation.Horizontal))
            label_width = header.fontMetrics().horizontalAdvance(label) + 2 * margin
            header.resizeSection(section, max(width + 2 * margin, label_width) + AIR)

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section == COL_TITLE:   # the wrapped titles need other row heights
            self.scheduleDelayedItemsLayout()
