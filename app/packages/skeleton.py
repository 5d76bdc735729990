"""A received package kept without the evidence the store already holds: its *skeleton*.

An aggregator keeps every package it imports byte for byte (a district forwards its communes' packages
unchanged in its bundle, DESIGN §6), and it also keeps every evidence file in its content-addressed store
(DESIGN §8). Kept whole, a package would store each evidence byte twice; an import would write it twice
(half of a 200 MB import's time on a slow disk). Evidence entries are stored uncompressed and named by the
SHA-256 of their content, so the bytes of an entry ``evidence/<sha256>.<ext>`` *are* the store's file of
that name. The skeleton is the package with those byte ranges (holes) left out; `reassemble` puts the
store's files back in and yields the original bytes, checked against the package's SHA-256 recorded at
import. Several revisions of a unit share their unchanged evidence instead of repeating it.

Format (``*.dtiskel``)::

    b"DTI-SKELETON/1\\n"
    4 bytes     big-endian length of the header
    header      UTF-8 JSON {"size": bytes of the package, "sha256": of the package,
                            "holes": [[offset, size, "evidence/<sha256>.<ext>"], ...]}  (by offset)
    literal     the package's bytes outside the holes, in order
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from app.packages import names as N
from app.packages.source import CHUNK, Segment, Source

MAGIC = b"DTI-SKELETON/1\n"
SUFFIX = ".dtiskel"
_MAX_HEADER = 8 << 20   # a package has at most 20,000 entries (reader.Limits)

Hole = tuple[int, int, str]   # offset in the package, size, entry name (evidence/<sha256>.<ext>)


class SkeletonDamaged(Exception):
    """The skeleton file, or an evidence file it needs, is not what the import recorded."""

    def __init__(self, en: str, vi: str):
        super().__init__(en)
        self.message_vi = vi


def holes_of(entries: dict, prefix: str = "evidence/") -> list[Hole]:
    """The evidence entries of a verified package (name -> EntryInfo), as holes ordered by offset."""
    return sorted(((info.offset, info.size, name) for name, info in entries.items() if name.startswith(prefix)))


def write_skeleton(package: Sequence[Segment] | Source, holes: Sequence[Hole], out: BinaryIO) -> str:
    """Write the skeleton of the package at `segments` (or an open Source of it, which the caller closes: an
    encrypted package's plaintext) into `out` (the caller makes it atomic) in one pass
    that hashes every byte of the package; returns the package's SHA-256. The holes must be entries of the
    package named by content hash (the caller has verified them against the signed manifest)."""
    holes = sorted(holes)
    if isinstance(package, Source):
        _check_layout(package.size, holes)
        return _package_digest(package, holes, out, package.size)
    with Source(package) as src:
        size = src.size
        _check_layout(size, holes)
        digest = _package_digest(src, holes, out, size)
    return digest


def _package_digest(src: Source, holes: list[Hole], out: BinaryIO, size: int) -> str:
    # The header carries the package's SHA-256, known only after the pass: write a header of the final
    # length with a placeholder, then the literal bytes, then the header again.
    header = _header(size, "0" * 64, holes)
    start = out.tell()
    out.write(MAGIC + struct.pack(">I", len(header)) + header)
    package = hashlib.sha256()
    buffer = bytearray(CHUNK)
    pos = 0
    for offset, length, _name in [*holes, (size, 0, "")]:
        for chunk in src.chunks(pos, offset - pos, buffer):   # literal bytes: hashed and kept
            package.update(chunk)
            out.write(chunk)
        for chunk in src.chunks(offset, length, buffer):      # a hole: hashed, not kept
            package.update(chunk)
        pos = offset + length
    digest = package.hexdigest()
    end = out.tell()
    out.seek(start + len(MAGIC) + 4)
    out.write(_header(size, digest, holes))
    out.seek(end)
    return digest


def _header(size: int, sha256: str, holes: Sequence[Hole]) -> bytes:
    return json.dumps({"size": size, "sha256": sha256, "holes": [list(h) for h in holes]},
                      separators=(",", ":")).encode("utf-8")


def _check_layout(size: int, holes: Sequence[Hole]) -> None:
    pos = 0
    for offset, length, name in holes:
        if N.evidence_hash(name) is None or offset < pos or length < 0 or offset + length > size:
            raise ValueError(f"hole {name!r} at {offset}+{length} does not fit a package of {size} bytes")
        pos = offset + length


def read_header(path: Path) -> tuple[int, str, list[Hole], int]:
    """(package size, package SHA-256, holes, offset of the literal bytes); SkeletonDamaged if malformed."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(MAGIC) + 4)
            if len(head) != len(MAGIC) + 4 or not head.startswith(MAGIC):
                raise SkeletonDamaged(f"{path.name}: not a package skeleton", f"{path.name}: không phải khung gói đã nhận")
            (length,) = struct.unpack(">I", head[len(MAGIC):])
            if length > _MAX_HEADER:
                raise SkeletonDamaged(f"{path.name}: header too large", f"{path.name}: phần đầu quá lớn")
            raw = f.read(length)
            literal = f.tell()
            literal_size = f.seek(0, 2) - literal
    except OSError as e:
        raise SkeletonDamaged(f"{path.name}: cannot read ({e.strerror})", f"{path.name}: không đọc được ({e.strerror})") from None
    try:
        header = json.loads(raw)
        size, sha256 = header["size"], header["sha256"]
        holes = [(int(o), int(s), str(n)) for o, s, n in header["holes"]]
        if not isinstance(size, int) or not isinstance(sha256, str):
            raise TypeError("size/sha256")
        _check_layout(size, holes)
    except (ValueError, TypeError, KeyError) as e:
        raise SkeletonDamaged(f"{path.name}: damaged header ({e})", f"{path.name}: phần đầu bị hỏng ({e})") from None
    needed = size - sum(s for _, s, _ in holes)
    if literal_size != needed:
        raise SkeletonDamaged(f"{path.name}: {literal_size} literal bytes, the header needs {needed}",
                              f"{path.name}: có {literal_size} byte, phần đầu cần {needed}")
    return size, sha256, holes, literal


def reassemble(path: Path, evidence_file: Callable[[str], Path]) -> Iterator[memoryview]:
    """The original package's bytes, in chunks (each valid until the next is asked for). `evidence_file`
    maps an entry name (evidence/<sha256>.<ext>) to the store's file. Each hole is checked against the
    SHA-256 in its name and the whole against the package's; SkeletonDamaged is raised on a mismatch or a
    missing file (at the latest after the last chunk, so a consumer must not commit before the iterator
    is exhausted)."""
    size, expected, holes, literal = read_header(path)
    package = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    try:
        with open(path, "rb", buffering=0) as skel:
            skel.seek(literal)
            pos = 0
            for offset, length, name in [*holes, (size, 0, "")]:
                yield from _copy(skel, offset - pos, view, package, None, path.name)
                if length or name:
                    entry = hashlib.sha256()
                    try:
                        with open(evidence_file(name), "rb", buffering=0) as ev:
                            yield from _copy(ev, length, view, package, entry, name)
                            if ev.read(1):
                                raise SkeletonDamaged(f"{name}: the stored file is longer than the entry",
                                                     f"{name}: tệp đã lưu dài hơn mục trong gói")
                    except FileNotFoundError:
                        raise SkeletonDamaged(f"{name}: missing from the evidence store",
                                          f"{name}: không còn trong kho minh chứng") from None
                    if entry.hexdigest() != N.evidence_hash(name):
                        raise SkeletonDamaged(f"{name}: the stored file does not match its SHA-256",
                                          f"{name}: tệp đã lưu không khớp mã SHA-256 của nó")
                pos = offset + length
    except OSError as e:
        raise SkeletonDamaged(f"{path.name}: cannot read ({e.strerror})", f"{path.name}: không đọc được ({e.strerror})") from None
    if package.hexdigest() != expected:
        raise SkeletonDamaged(f"{path.name}: the reassembled package does not match its SHA-256",
                              f"{path.name}: gói dựng lại không khớp mã SHA-256 của gói")


def _copy(f: BinaryIO, length: int, view: memoryview, package, entry, label: str) -> Iterator[memoryview]:
    done = 0
    while done < length:
        n = f.readinto(view[:min(len(view), length - done)])
        if not n:
            raise SkeletonDamaged(f"{label}: ended early", f"{label}: kết thúc sớm")
        chunk = view[:n]
        package.update(chunk)
        if entry is not None:
            entry.update(chunk)
        yield chunk
        done += n
