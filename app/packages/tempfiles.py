"""Temporary files beside the target, and the cleaning of those a killed writer left behind.

Every file the package writer creates starts as ``.<final name>.<random>.part`` in the target directory
(same file system, so the final step is an atomic rename). On POSIX the writer holds an exclusive
``flock`` on it from creation until rename or removal; the kernel drops the lock when the process dies,
even by SIGKILL. Before writing, `clean_stale` removes every ``.<out name>.*.part`` in the directory on
which it can take that lock: a file no living writer holds. A concurrent export to the same name keeps
its lock and is left alone. On Windows an open file cannot be deleted, so the same rule holds by trying
to delete and ignoring refusals.

(A writer killed between creating its temp and locking it — microseconds — leaves a file a concurrent
cleaner may remove; that writer then fails at rename with an error, never with a wrong file.)
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


def fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # a directory cannot be opened on Windows; NTFS journals the rename
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LockedTemp:
    """A new ``.<target name>.<tag><random>.part`` beside `target`, locked, opened for writing as `file`."""

    def __init__(self, target: Path, tag: str = ""):
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{tag}", suffix=".part", dir=target.parent)
        self.path = Path(name)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        self.file = os.fdopen(fd, "w+b", buffering=1 << 20)

    def sync(self) -> None:
        """Flush and fsync; the lock stays (closing would release it)."""
        self.file.flush()
        os.fsync(self.file.fileno())

    def close(self) -> None:
        if not self.file.closed:
            self.file.close()

    def discard(self) -> None:
        self.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    def commit(self, final: Path) -> None:
        """Rename over `final` while still holding the lock, then close (the directory fsync is the caller's).
        On Windows an open file cannot be renamed; there is no lock to keep there, so it is closed first."""
        if fcntl is None:
            self.close()
        os.replace(self.path, final)
        self.close()


def clean_stale(target: Path) -> list[Path]:
    """Remove the ``.<target name>.*.part`` files of `target`'s directory that no living writer holds."""
    removed = []
    for candidate in target.parent.glob(f".{glob_escape(target.name)}.*.part"):
        if _remove_if_unheld(candidate):
            removed.append(candidate)
    return removed


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in text)


def _remove_if_unheld(path: Path) -> bool:
    if fcntl is None:
        try:
            os.unlink(path)
            return True
        except OSError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False
    try:
        if os.stat(path).st_ino != os.fstat(fd).st_ino:  # replaced meanwhile by another writer's file
            return False
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
