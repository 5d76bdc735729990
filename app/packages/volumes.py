"""Numbered volumes of a package, for e-mail (DESIGN §6): cutting, reading and reassembling.

File names: ``<package name>.<i>-of-<n>``, e.g. ``X1-r3.dtipkg.001-of-004`` … ``X1-r3.dtipkg.004-of-004``
(three digits; more only beyond 999 volumes, which the writer refuses). A volume is at most N MB, with
1 MB = 1 000 000 bytes (smaller than a MiB, so it also holds under the other reading of "MB").

Every volume starts with a small header, so that a reader knows which volume it holds and which are
missing even when files were renamed, and tells a volume of another package or a damaged one apart::

    magic        8 bytes   b"DTIVOL\\r\\n"   (\\r\\n: a text-mode transfer that rewrites line ends breaks it)
    index        uint16    1-based
    count        uint16    number of volumes
    total        uint64    size of the whole package
    offset       uint64    where this slice starts in the package
    size         uint64    bytes of package in this volume (after the header)
    package      32 bytes  SHA-256 of the whole package
    slice        32 bytes  SHA-256 of this volume's slice
    name_len     uint16    then the package's file name, UTF-8 (e.g. "X1-r3.dtipkg")

All integers big-endian. The volumes concatenated without their headers are the package byte for byte;
`verify_package` reads them in place (no reassembled copy) and `assemble_volumes` writes that copy.

Refusals: ``volume_missing`` (names every missing volume), ``volume_foreign`` (a volume of another
package, or a plain package among volumes), ``volume_damaged`` (bytes differ from the header's hash, or the
file is cut short), ``volume_header`` (malformed or inconsistent header).
"""

from __future__ import annotations

import hashlib
import math
import re
import struct
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from app.packages.errors import PackageRefused
from app.packages.source import CHUNK, Segment, Source, drop_cache
from app.packages.tempfiles import LockedTemp, clean_stale, fsync_dir

MAGIC = b"DTIVOL\r\n"
HEAD = struct.Struct(">8sHHQQQ32s32sH")
MB = 1_000_000
MAX_VOLUMES = 999
MAX_NAME = 255


@dataclass(frozen=True)
class VolumeHeader:
    index: int
    count: int
    total: int
    offset: int
    size: int
    package_sha256: bytes
    slice_sha256: bytes
    name: str

    @property
    def header_size(self) -> int:
        return HEAD.size + len(self.name.encode("utf-8"))

    def pack(self) -> bytes:
        raw = self.name.encode("utf-8")
        return HEAD.pack(MAGIC, self.index, self.count, self.total, self.offset, self.size,
                         self.package_sha256, self.slice_sha256, len(raw)) + raw


def volume_name(package_name: str, index: int, count: int) -> str:
    width = max(3, len(str(count)))
    return f"{package_name}.{index:0{width}d}-of-{count:0{width}d}"


def volume_pattern(package_name: str) -> re.Pattern[str]:
    return re.compile(re.escape(package_name) + r"\.[0-9]{3,}-of-[0-9]{3,}")


def is_volume(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(len(MAGIC)) == MAGIC


def read_header(path: Path) -> VolumeHeader | None:
    """The header of a volume file, None if the file does not start like a volume; PackageRefused
    (``volume_header``) if it starts like one but the header is malformed. The slice itself is not
    read: a cut or damaged volume is refused by `volume_segments`, once the set is grouped."""
    with open(path, "rb") as f:
        head = f.read(HEAD.size)
        if not head.startswith(MAGIC):
            return None
        bad = PackageRefused("volume_header", path, "the volume header is malformed", "phần đầu của tập tin chia nhỏ bị hỏng")
        if len(head) < HEAD.size:
            raise bad
        _, index, count, total, offset, size, package_sha, slice_sha, name_len = HEAD.unpack(head)
        if not (1 <= index <= count <= MAX_VOLUMES) or name_len > MAX_NAME or offset + size > total:
            raise bad
        f.seek(HEAD.size)
        try:
            name = f.read(name_len).decode("utf-8")
        except UnicodeDecodeError:
            raise bad from None
    header = VolumeHeader(index, count, total, offset, size, package_sha, slice_sha, name)
    if len(name.encode("utf-8")) != name_len or "/" in name or "\\" in name:
        raise bad
    return header


def volume_segments(paths: Sequence[Path], *, check_hashes: bool = True) -> tuple[str, list[Segment]]:
    """(package name, segments in order) for a complete set of volumes; refuses as the module docstring says."""
    paths = [Path(p) for p in paths]
    headers: list[tuple[Path, VolumeHeader]] = []
    for p in paths:
        h = read_header(p)
        if h is None:
            raise PackageRefused("volume_foreign", p, "not a volume of a split package",
                                 "không phải là một phần của gói chia nhỏ")
        headers.append((p, h))
    keys = [(h.package_sha256, h.count, h.total, h.name) for _, h in headers]
    groups = Counter(keys)
    chosen = max(keys, key=lambda k: (groups[k], -keys.index(k)))  # the largest set; on a tie, the first given
    _, count, total, name = chosen
    for (p, _), key in zip(headers, keys, strict=True):
        if key != chosen:
            raise PackageRefused("volume_foreign", p, f"belongs to another package than {volume_name(name, 1, count)} …",
                                 f"thuộc về một gói khác với {volume_name(name, 1, count)} …")
    by_index: dict[int, tuple[Path, VolumeHeader]] = {}
    for p, h in headers:
        by_index.setdefault(h.index, (p, h))
    missing = [volume_name(name, i, count) for i in range(1, count + 1) if i not in by_index]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        raise PackageRefused("volume_missing", name, f"volume(s) missing: {shown}", f"thiếu tập tin: {shown}")
    segments = []
    expected = 0
    for i in range(1, count + 1):
        p, h = by_index[i]
        if h.offset != expected:
            raise PackageRefused("volume_header", p, "the volume does not follow the previous one",
                                 "tập tin không nối tiếp tập tin trước")
        expected += h.size
        if p.stat().st_size != h.header_size + h.size:
            raise PackageRefused("volume_damaged", p, "the volume is cut short or has bytes appended; ask for it again",
                                 "tập tin chia nhỏ bị cắt cụt hoặc thừa dữ liệu; hãy đề nghị gửi lại")
        segments.append(Segment(p, h.header_size, h.size))
    if expected != total:
        raise PackageRefused("volume_header", name, "the volumes do not add up to the package",
                             "các tập tin không ghép đủ thành gói")
    if check_hashes:
        for i, seg in enumerate(segments, start=1):
            with Source([seg]) as src:
                if bytes.fromhex(src.sha256(0, seg.size)) != by_index[i][1].slice_sha256:
                    raise _damaged(seg.path)
    return name, segments


def _damaged(path: Path) -> PackageRefused:
    return PackageRefused("volume_damaged", path, "the volume is damaged (its bytes differ from its header); ask for it again",
                          "tập tin chia nhỏ bị hỏng (dữ liệu không khớp với phần đầu); hãy đề nghị gửi lại")


def write_volumes(package: Path, out: Path, volume_bytes: int) -> list[Path]:
    """Cut the finished (already verified) package file into volumes named after `out`, each written to a
    locked temp, fsynced, read back, then all renamed; volumes of an earlier export under the same name
    that are not part of this set are removed. Returns the volume paths in order."""
    name = out.name
    capacity = volume_bytes - HEAD.size - len(name.encode("utf-8"))
    if capacity < 1024:
        raise ValueError("volume size too small")
    total = package.stat().st_size
    count = max(1, math.ceil(total / capacity))
    if count > MAX_VOLUMES:
        raise ValueError(f"{count} volumes; at most {MAX_VOLUMES}")
    with Source.of_file(package) as src:
        package_sha = bytes.fromhex(src.sha256(0, total))
        temps: list[tuple[LockedTemp, Path, VolumeHeader]] = []
        try:
            for i in range(1, count + 1):
                offset = (i - 1) * capacity
                size = min(capacity, total - offset)
                final = out.with_name(volume_name(name, i, count))
                temp = LockedTemp(out, tag=f"{i:03d}-of-{count:03d}.")
                temps.append((temp, final, VolumeHeader(i, count, total, offset, size, package_sha, b"\0" * 32, name)))
                header = temps[-1][2]
                temp.file.write(header.pack())
                slice_sha = bytes.fromhex(src.sha256(offset, size, temp.file.write))
                header = VolumeHeader(i, count, total, offset, size, package_sha, slice_sha, name)
                temp.file.seek(0)
                temp.file.write(header.pack())
                temp.sync()
                drop_cache(temp.file.fileno())
                temps[-1] = (temp, final, header)
            _read_back([t.path for t, _, _ in temps], package_sha)
            for temp, final, _ in temps:
                temp.commit(final)
            fsync_dir(out.parent)
        except BaseException:
            for temp, _, _ in temps:
                temp.discard()
            raise
    finals = [final for _, final, _ in temps]
    pattern = volume_pattern(name)
    for old in out.parent.iterdir():
        if pattern.fullmatch(old.name) and old not in finals:
            old.unlink(missing_ok=True)
    return finals


def _read_back(paths: list[Path], package_sha: bytes) -> None:
    _, segments = volume_segments(paths, check_hashes=True)
    whole = hashlib.sha256()
    with Source(segments) as src:
        for chunk in src.chunks(0, src.size):
            whole.update(chunk)
    if whole.digest() != package_sha:
        raise OSError("the volumes written do not read back as the package (storage fault?)")


def assemble_volumes(paths: Sequence[Path], out: Path) -> Path:
    """Write the package that `paths` (its volumes, any order) split, atomically at `out`, checking each
    volume's hash and the whole package's hash on the way. The result still needs `verify_package`."""
    name, segments = volume_segments(paths, check_hashes=False)
    headers = {seg.path: read_header(seg.path) for seg in segments}
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    temp = LockedTemp(out)
    try:
        whole = hashlib.sha256()
        buffer = bytearray(CHUNK)
        for seg in segments:
            part = hashlib.sha256()
            with Source([seg]) as src:
                for chunk in src.chunks(0, seg.size, buffer):
                    part.update(chunk)
                    whole.update(chunk)
                    temp.file.write(chunk)
            header = headers[seg.path]
            assert header is not None
            if part.digest() != header.slice_sha256:
                raise _damaged(seg.path)
        if whole.digest() != header.package_sha256:
            raise PackageRefused("volume_damaged", name, "the reassembled package differs from what was split",
                                 "gói ghép lại khác với gói ban đầu")
        temp.sync()
        temp.commit(out)
        fsync_dir(out.parent)
    except BaseException:
        temp.discard()
        raise
    return out
