"""The district's own unit (hồ sơ của đơn vị mình), opened from the aggregator's window on the same data
directory: the unit's main window, which says when it has closed so that the aggregator's window takes
the store back (one writer lock per data directory, held by one window at a time)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent

from app.ui.main_window import MainWindow


class OwnUnitWindow(MainWindow):
    closed = Signal()    # after the store was released

    def closeEvent(self, event: QCloseEvent) -> None:
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()
