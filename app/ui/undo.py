"""Undo and redo of entry edits and of evidence changes. Each command puts the previous state back through the
service (so the audit log records the undo like any other change); the store stays the one record, the stack
holds only values: typed entry values, and for evidence the plain records the services returned."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.entries.values import display
from app.ui.text import tr

Apply = Callable[[str, Any], None]   # (code, typed value or None to clear) → stores it, then refreshes


class EntryEdit(QUndoCommand):
    """One stored change of one entry: `old` → `new` (typed values; None means no value)."""

    def __init__(self, apply: Apply, code: str, old: Any, new: Any):
        empty = tr("Undo", "chưa nhập")   # plain words, not ∅ (issue 17)
        super().__init__(tr("Undo", "{code}: {old} → {new}").format(
            code=code, old=display(old) or empty, new=display(new) or empty))
        self.apply = apply
        self.code = code
        self.old = old
        self.new = new
        self._stored = True   # pushed after the service stored the edit: the first redo has nothing to do

    def redo(self) -> None:
        if self._stored:
            self._stored = False
            return
        self.apply(self.code, self.new)

    def undo(self) -> None:
        self.apply(self.code, self.old)

    def id(self) -> int:
        return -1   # never merged: each stored edit is one step, as the audit log shows it


class StoredChange(QUndoCommand):
    """A change a service has already stored (evidence attached, removed or compressed), with the two calls
    that take it back and make it again. The calls go through the services like the change itself."""

    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None]):
        super().__init__(text)
        self._undo = undo
        self._redo = redo
        self._stored = True   # pushed after the service stored the change: the first redo has nothing to do

    def redo(self) -> None:
        if self._stored:
            self._stored = False
            return
        self._redo()

    def undo(self) -> None:
        self._undo()

    def id(self) -> int:
        return -1
