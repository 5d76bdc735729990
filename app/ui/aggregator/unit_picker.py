"""The appraisal page's unit chooser for a province's 100–200 units: a combo box in which the officer types
part of a code or a name, with or without diacritics ("hoa binh" finds "Hòa Bình", "dong" finds "Đông"), and
picks from the matches with the keyboard; a text that matches nothing says so instead of an empty list."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from app.ui.aggregator.models import search_match
from app.ui.text import tr

CTX = "AggregatorAppraisal"
CODE_ROLE = Qt.ItemDataRole.UserRole


class _Matches(QSortFilterProxyModel):
    """The combo's items whose text holds every typed word, compared without case or diacritics."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.needle = ""

    def set_needle(self, text: str) -> None:
        self.beginFilterChange()   # Qt ≥ 6.9: the state changes between begin and end
        self.needle = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        text = self.sourceModel().index(source_row, 0, source_parent).data() or ""
        return search_match(self.needle, text)


class UnitPicker(QComboBox):
    chosen = Signal(str)          # a unit code the officer picked
    searched = Signal(str, int)   # the typed text and how many units match it ("" when the search is over)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMinimumContentsLength(28)
        self.lineEdit().setPlaceholderText(tr(CTX, "gõ mã hoặc tên đơn vị (không cần dấu)"))
        self.lineEdit().setClearButtonEnabled(False)
        self.matches = _Matches(self)
        self.matches.setSourceModel(self.model())
        completer = QCompleter(self.matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)    # a completion picked: the combo maps it to its row (currentIndexChanged)
        self.lineEdit().textEdited.connect(self._typed)
        self.lineEdit().returnPressed.connect(self._enter)
        self.lineEdit().installEventFilter(self)
        # the page sets the current unit with signals blocked: a change that arrives here is the officer's
        self.currentIndexChanged.connect(lambda i: self._pick(self.itemData(i)) if i >= 0 else None)

    # -- what the page does -------------------------------------------------------------------------------
    def set_units(self, units: list[tuple[str, str]], current: str | None) -> None:
        """(code, name) of the units that can be appraised; `current` shown. Emits nothing."""
        self.blockSignals(True)
        self.clear()
        for code, name in units:
            self.addItem(f"{code} — {name}", code)
        self.blockSignals(False)
        self.show_code(current)

    def show_code(self, code: str | None) -> None:
        """Show `code` as the current unit, the typed search (if any) ended. Emits nothing."""
        found = self.findData(code) if code is not None else -1
        self.blockSignals(True)
        self.setCurrentIndex(found)
        self.blockSignals(False)
        self._end_search()

    def codes_matching(self) -> list[str]:
        """The units the typed text finds (every unit when nothing is typed)."""
        return [self.matches.index(i, 0).data(CODE_ROLE) for i in range(self.matches.rowCount())]

    # -- the officer ----------------------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        self.matches.set_needle(text)
        self.searched.emit(text, self.matches.rowCount())
        if self.matches.rowCount():
            self.completer().complete()
        else:
            self.completer().popup().hide()

    def _enter(self) -> None:
        """Enter in the text: the one unit it finds, if exactly one (a row chosen in the list: the completer
        takes that one)."""
        popup = self.completer().popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            return
        codes = self.codes_matching() if self.matches.needle else []
        if len(codes) == 1:
            self._pick(codes[0])

    def _pick(self, code: str | None) -> None:
        if code is None:
            return
        self._end_search()
        self.chosen.emit(code)

    def _end_search(self) -> None:
        if self.matches.needle:
            self.matches.set_needle("")
        self.completer().popup().hide()
        self.setEditText(self.itemText(self.currentIndex()) if self.currentIndex() >= 0 else "")   # not currentText():
        # an editable combo's is what was typed
        self.searched.emit("", self.count())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.lineEdit():
            if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                    and event.key() == Qt.Key.Key_Escape and self.matches.needle:
                self._end_search()
                return True
            if event.type() == QEvent.Type.FocusOut:   # after the completer is done with the typed text
                QTimer.singleShot(0, self._left)
        return super().eventFilter(watched, event)

    def _left(self) -> None:
        """The officer left the field without choosing: it shows the current unit again."""
        if self.matches.needle and not self.lineEdit().hasFocus() and not self.completer().popup().isVisible():
            self._end_search()
