"""Undo and redo of entry edits. Each command restores a value through the service (so the audit log
records the undo like any other edit); the store stays the one record, the stack holds only values."""

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
        super().__init__(tr("Undo", "{code}: {old} → {new}").format(
            code=code, old=display(old) or "∅", new=display(new) or "∅"))
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
