"""Atomic file writes: a crash, a pulled USB stick or a killed process leaves the old file or the new
one, never half of either (DESIGN §1). Imports nothing heavy so every layer may use it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def _fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory; NTFS journals the rename itself
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(directory: Path) -> None:
    """Make a rename into `directory` durable (no-op on Windows)."""
    _fsync_dir(directory)


def make_dirs(directory: Path) -> list[Path]:
    """`mkdir -p` whose new folders survive a power cut: each folder created is made durable in its parent
    (an fsync of the file and of its own folder does not record the folder's name in the folder above).
    Returns the folders it created, outermost first (for a caller that must leave nothing behind)."""
    directory = Path(directory)
    missing = []
    while not directory.is_dir():
        missing.append(directory)
        if directory.parent == directory:
            break
        directory = directory.parent
    made = []
    for folder in reversed(missing):
        try:
            folder.mkdir()
            made.append(folder)
        except FileExistsError:   # made meanwhile by another writer
            pass
        _fsync_dir(folder.parent)
    return made


def remove_empty_dirs(folders: list[Path]) -> None:
    """Folders `make_dirs` created, removed again innermost first where nothing was put in them since."""
    for folder in reversed(folders):
        with contextlib.suppress(OSError):
            folder.rmdir()


def make_read_only(path: Path) -> None:
    """A kept file that must never change again (content-addressed evidence, a received package): read-only,
    so that a viewer saving an annotation in place is refused instead of altering it."""
    os.chmod(path, stat.S_IRUSR | stat.S_IRGRP)


def make_writable(path: Path) -> None:
    """Before a kept file is replaced or removed (Windows refuses both on a read-only file)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def remove_tree(folder: Path) -> None:
    """`shutil.rmtree` that also removes the read-only files this program keeps (Windows refuses to delete a
    read-only file; POSIX does not mind)."""
    import shutil
    import sys

    def writable_and_again(function, path, _error) -> None:
        make_writable(Path(path))
        function(path)

    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=writable_and_again)
    else:   # onerror: deprecated from 3.12, the only hook before it
        shutil.rmtree(folder, onerror=writable_and_again)


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Yields a binary file; on normal exit it is flushed, fsynced and renamed over `path`.
    On an exception the temporary file is removed and `path` is untouched."""
    path = Path(path)
    make_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    with atomic_output(path) as handle:
        handle.write(data)


def write_with(path: Path, writer: Callable[[BinaryIO], None]) -> None:
    """Atomic write through a callback that writes into a binary file object (e.g. a workbook save)."""
    with atomic_output(path) as handle:
        writer(handle)
