"""The desktop application's own settings (Picard's pattern): QSettings in INI format behind typed
declarations with defaults, a settings version and upgrade steps.

These are conveniences of one computer (window geometry, last folders, where the officer was); the unit's
data and its settings of record live in the data directory's store, never here. QSettings writes its INI
file through a temporary file and a rename, so a crash cannot leave half a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")
VERSION = 1


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T
    kind: type


WINDOW_GEOMETRY = Option("window/geometry", b"", bytes)
WINDOW_STATE = Option("window/state", b"", bytes)
MAIN_SPLITTER = Option("window/main_splitter", b"", bytes)
RIGHT_SPLITTER = Option("window/right_splitter", b"", bytes)
LAST_EVIDENCE_FOLDER = Option("folders/evidence", "", str)
LAST_ENROLLMENT_FOLDER = Option("folders/enrollment", "", str)
LAST_EXPORT_FOLDER = Option("folders/export", "", str)      # where the last package was written
LAST_FEEDBACK_FOLDER = Option("folders/feedback", "", str)
LAST_EXCEL_FOLDER = Option("folders/excel", "", str)        # entry template written / workbook imported
LAST_REPORT_FOLDER = Option("folders/report", "", str)
DATA_DIR = Option("paths/data_dir", "", str)   # chosen in the wizard's "open an existing data directory"
# The aggregator's window per data directory ("{dir}": a digest of the folder's path, filled in by the window):
# the page it was on and each splitter's state, by the splitter's name.
AGGREGATOR_PAGE = Option("aggregator/{dir}/page", 0, int)
AGGREGATOR_SPLITTER = Option("aggregator/{dir}/splitter_{name}", b"", bytes)

# Upgrade steps: version reached -> function of the QSettings. Version 1 is the first layout.
UPGRADES: dict[int, Callable[[QSettings], None]] = {}


class AppSettings:
    """Typed access to one INI file. `path=None`: the user's standard location (…/DTI/dti.ini)."""

    def __init__(self, path: Path | None = None):
        if path is None:
            self.q = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "DTI", "dti")
        else:
            self.q = QSettings(str(path), QSettings.Format.IniFormat)
        self._upgrade()

    def _upgrade(self) -> None:
        version = int(self.q.value("meta/version", 0) or 0)
        for target in sorted(UPGRADES):
            if version < target:
                UPGRADES[target](self.q)
        if version != VERSION:
            self.q.setValue("meta/version", VERSION)

    def get(self, option: Option[T]) -> T:
        raw: Any = self.q.value(option.key)
        if raw is None:
            return option.default
        try:
            if option.kind is bytes:
                return bytes(raw.data() if isinstance(raw, QByteArray) else raw)  # type: ignore[return-value]
            if option.kind is bool:
                return (raw if isinstance(raw, bool) else str(raw).lower() in ("true", "1")) # type: ignore[return-value]
            return option.kind(raw)
        except (TypeError, ValueError):   # a hand-edited INI: fall back to the default, never crash
            return option.default

    def set(self, option: Option[T], value: T) -> None:
        self.q.setValue(option.key, QByteArray(value) if option.kind is bytes else value)

    # The indicator the officer was on, per data directory: reopening goes back there after a restart
    # or a crash. Written through at once (sync), because a kill gives no chance to save later.
    def _session_key(self, data_dir: Path) -> str:
        digest = hashlib.sha256(str(Path(data_dir).resolve()).encode("utf-8")).hexdigest()[:16]
        return f"session/{digest}/indicator"

    def last_indicator(self, data_dir: Path) -> str:
        return str(self.q.value(self._session_key(data_dir), "") or "")

    def set_last_indicator(self, data_dir: Path, code: str) -> None:
        self.q.setValue(self._session_key(data_dir), code)
        self.q.sync()

    def sync(self) -> None:
        self.q.sync()
