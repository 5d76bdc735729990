"""Random-access reading of a package that is one file or the slices of several volumes, and the
constant-memory streaming used everywhere bytes are hashed (1 MiB chunks into one reused buffer).

Positional reads (`read_at`) rather than a shared file position, so that a reader never depends on where
a previous step left the file. Every read is exact: a file that shrinks under the reader raises
`ShortRead`, which the reader reports as a truncated package.
"""

from __future__ import annotations

import bisect
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20


class ShortRead(Exception):
    """The file ended before the bytes its structure promises."""


@dataclass(frozen=True)
class Segment:
    """`size` bytes of the package stored at `start` in `path` (a whole file, or a volume's slice)."""

    path: Path
    start: int
    size: int


class Source:
    """An open package: one or more segments laid end to end. Use as a context manager."""

    def __init__(self, segments: Sequence[Segment]):
        self.segments = tuple(segments)
        self.size = sum(s.size for s in self.segments)
        self.label: str | None = None  # the name refusals show (a split package's name rather than a volume's)
        self._files: dict[Path, BinaryIO] = {}   # one handle per file, however many segments lie in it
        self._bounds: list[int] = []
        acc = 0
        for s in self.segments:
            self._bounds.append(acc)
            acc += s.size

    @classmethod
    def of_file(cls, path: Path) -> Source:
        return cls([Segment(Path(path), 0, os.stat(path).st_size)])

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        return self.segments[0].path.name if self.segments else ""

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        files, self._files = self._files, {}
        for f in files.values():
            f.close()

    def _file(self, i: int) -> BinaryIO:
        path = self.segments[i].path
        f = self._files.get(path)
        if f is None:
            f = self._files[path] = open(path, "rb", buffering=0)  # noqa: SIM115 (closed in close())
        return f

    def _pieces(self, offset: int, size: int) -> Iterator[tuple[int, int, int]]:
        """(segment index, offset in that file, length) covering [offset, offset + size) of the package."""
        if offset < 0 or size < 0 or offset + size > self.size:
            raise ShortRead(f"read of {size} bytes at {offset} beyond the end ({self.size})")
        i = max(bisect.bisect_right(self._bounds, offset) - 1, 0)
        while size > 0:
            seg, lo = self.segments[i], self._bounds[i]
            take = min(size, lo + seg.size - offset)
            if take > 0:
                yield i, seg.start + offset - lo, take
                offset += take
                size -= take
            i += 1

    def readinto_at(self, offset: int, view: memoryview) -> None:
        """Fill `view` exactly with the package bytes at `offset`."""
        pos = 0
        for i, file_offset, length in self._pieces(offset, len(view)):
            f = self._file(i)
            f.seek(file_offset)
            got = 0
            while got < length:
                n = f.readinto(view[pos + got: pos + length])
                if not n:
                    raise ShortRead(f"{self.segments[i].path.name} ended early")
                got += n
            pos += length

    def read_at(self, offset: int, size: int) -> bytes:
        buf = bytearray(size)
        self.readinto_at(offset, memoryview(buf))
        return bytes(buf)

    def chunks(self, offset: int, size: int, buffer: bytearray | None = None) -> Iterator[memoryview]:
        """The bytes [offset, offset + size) in chunks of at most CHUNK, each a view valid until the next."""
        buf = buffer if buffer is not None else bytearray(CHUNK)
        view = memoryview(buf)
        done = 0
        while done < size:
            n = min(len(buf), size - done)
            self.readinto_at(offset + done, view[:n])
            yield view[:n]
            done += n

    def sha256(self, offset: int, size: int, sink: Callable[[memoryview], object] | None = None) -> str:
        """SHA-256 (hex) of a range, optionally passing each chunk on to `sink` (a file's write)."""
        h = hashlib.sha256()
        for chunk in self.chunks(offset, size):
            h.update(chunk)
            if sink is not None:
                sink(chunk)
        return h.hexdigest()


class Window(Source):
    """The bytes [offset, offset + size) of another Source, read in place: a commune's package inside a district's
    bundle (and inside its encryption, when the bundle came encrypted) is verified and imported without a copy."""

    def __init__(self, base: Source, offset: int, size: int, label: str, owns: bool = False):
        if offset < 0 or size < 0 or offset + size > base.size:
            raise ShortRead(f"a window of {size} bytes at {offset} beyond the end ({base.size})")
        self._base, self._offset, self._owns = base, offset, owns
        self.segments = base.segments
        self.size = size
        self.label = label

    def close(self) -> None:
        if self._owns:
            self._base.close()

    def readinto_at(self, offset: int, view: memoryview) -> None:
        if offset < 0 or offset + len(view) > self.size:
            raise ShortRead(f"read of {len(view)} bytes at {offset} beyond the end ({self.size})")
        self._base.readinto_at(self._offset + offset, view)


def drop_cache(fd: int) -> bool:
    """Ask the kernel to forget the cached pages of a file that has been fsynced, so that the next read
    comes from the device. Linux/BSD only; returns False where unsupported (then a read-back is a
    structural self-check of what the page cache holds, not proof of what the device stored)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return False
    try:
        advise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError:
        return False
    return True
