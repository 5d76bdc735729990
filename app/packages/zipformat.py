"""The ZIP layer of a package: a deterministic writer and a strict reader of exactly what it writes.

What the writer produces (and the reader demands):

- every entry STORED (method 0), no encryption, no data descriptor (general purpose flags 0, or 0x0800
  for UTF-8 names), no extra fields, no comments, one disk, no ZIP64 (so a package is below 4 GiB);
- entries laid end to end from offset 0, the central directory right after the last entry, the end of
  central directory record right after it and nothing else: no byte of the file is outside a structure;
- a fixed "version made by" (Unix, 2.0), regular-file attributes 0644, the same DOS timestamp for every
  entry (the caller's, normally the manifest's created_at), so that identical inputs give identical bytes.

The writer streams each entry once: local header with a zero CRC and size, the data (hashed by the caller
on the way), then the CRC and sizes are patched into the local header with one seek.

The reader only needs the central directory and the local headers; it never trusts one without the other.
CRC-32 is cross-checked between the two headers but not recomputed: every entry's SHA-256 is checked
against the signed manifest, which is stronger. Fields with no bearing on content are not pinned to the
writer's values — "version made by", permission bits, internal attributes, timestamps (as long as both
headers agree) — so a change there is accepted: the content is still exactly what was signed.
"""

from __future__ import annotations

import stat
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from app.errors import UserError
from app.packages.errors import PackageRefused
from app.packages.names import printable
from app.packages.source import ShortRead, Source

LOCAL_SIG = 0x04034B50
CENTRAL_SIG = 0x02014B50
EOCD_SIG = 0x06054B50
ZIP64_LOCATOR_SIG = 0x07064B50
LOCAL = struct.Struct("<IHHHHHIIIHH")          # 30 bytes
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")   # 46 bytes
EOCD = struct.Struct("<IHHHHIIH")               # 22 bytes

VERSION_NEEDED = 20
VERSION_MADE_BY = (3 << 8) | 20                 # Unix, ZIP 2.0
FILE_ATTRIBUTES = (stat.S_IFREG | 0o644) << 16
FLAG_UTF8 = 0x0800
MAX_U32 = 0xFFFFFFFF
DEFAULT_DOS_TIME = (0, (0 << 9) | (1 << 5) | 1)  # 1980-01-01 00:00:00, the first DOS date


def dos_time(when: datetime | None) -> tuple[int, int]:
    """(time, date) fields for a wall-clock time; 1980-01-01 for None or anything outside DOS range."""
    if when is None or not 1980 <= when.year <= 2107:
        return DEFAULT_DOS_TIME
    return ((when.hour << 11) | (when.minute << 5) | (when.second // 2),
            ((when.year - 1980) << 9) | (when.month << 5) | when.day)


def too_large() -> UserError:
    return UserError("The package would exceed 4 GiB, the limit of a ZIP without ZIP64; leave out or split large evidence.",
                     "Gói sẽ vượt quá 4 GiB (giới hạn của tệp ZIP không dùng ZIP64); "
                     "hãy bỏ bớt hoặc chia nhỏ tài liệu kiểm chứng lớn.")


def changed_while_written(name: str) -> UserError:
    """An entry whose bytes differ from what an earlier read of it promised (a file changed during the export)."""
    return UserError(f"{name} changed while the package was being written; export again",
                     f"{name} đã thay đổi trong khi đang ghi gói; hãy xuất lại")


@dataclass
class _Written:
    name: bytes
    offset: int
    crc: int
    size: int


class ZipWriter:
    """Writes entries into a binary file positioned at 0. `begin` → `write`* → `end`, then `finish`.

    An entry begun without its CRC-32 and size gets them patched into its local header at `end` (the file must
    be seekable); one begun with them (`begin(name, crc, size)`) is written straight through, which a file that
    cannot seek back needs (app.packages.envelope.Sealing: an encrypted package), and `end` checks that the bytes
    written were the ones promised."""

    def __init__(self, out: BinaryIO, when: tuple[int, int] = DEFAULT_DOS_TIME):
        self._out = out
        self._time, self._date = when
        self._entries: list[_Written] = []
        self._pos = 0
        self._current: _Written | None = None
        self._promised: tuple[int, int] | None = None

    def begin(self, name: str, crc: int | None = None, size: int | None = None) -> None:
        assert self._current is None
        raw = name.encode("ascii")
        self._current = _Written(raw, self._pos, 0, 0)
        self._promised = (crc, size) if crc is not None and size is not None else None
        known_crc, known_size = self._promised or (0, 0)
        self._emit(LOCAL.pack(LOCAL_SIG, VERSION_NEEDED, 0, 0, self._time, self._date, known_crc, known_size,
                              known_size, len(raw), 0) + raw)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        cur = self._current
        assert cur is not None
        cur.crc = zlib.crc32(data, cur.crc)
        cur.size += len(data)
        if cur.size > MAX_U32 - 1:
            raise too_large()
        self._emit(data)

    def end(self) -> None:
        cur = self._current
        assert cur is not None
        if self._promised is None:
            self._out.seek(cur.offset + 14)
            self._out.write(struct.pack("<III", cur.crc, cur.size, cur.size))
            self._out.seek(self._pos)
        elif self._promised != (cur.crc, cur.size):
            raise changed_while_written(cur.name.decode("ascii"))
        self._entries.append(cur)
        self._current = None

    def add(self, name: str, data: bytes | bytearray | memoryview, crc: int | None = None) -> None:
        """A whole entry from memory; `crc`, when the caller computed it over these same bytes, is not computed
        again."""
        crc = zlib.crc32(data) if crc is None else crc
        self.begin(name, crc, len(data))
        cur = self._current
        assert cur is not None
        cur.crc, cur.size = crc, len(data)
        if cur.size > MAX_U32 - 1:
            raise too_large()
        self._emit(data)
        self.end()

    def finish(self) -> int:
        """Writes the central directory and the end record; returns the file's size."""
        assert self._current is None
        cd_offset = self._pos
        for e in self._entries:
            self._emit(CENTRAL.pack(CENTRAL_SIG, VERSION_MADE_BY, VERSION_NEEDED, 0, 0, self._time, self._date,
                                    e.crc, e.size, e.size, len(e.name), 0, 0, 0, 0, FILE_ATTRIBUTES, e.offset) + e.name)
        cd_size = self._pos - cd_offset
        n = len(self._entries)
        if n > 0xFFFE:
            raise too_large()
        self._emit(EOCD.pack(EOCD_SIG, 0, 0, n, n, cd_size, cd_offset, 0))
        return self._pos

    def _emit(self, data: bytes | bytearray | memoryview) -> None:
        self._out.write(data)
        self._pos += len(data)
        if self._pos > MAX_U32 - 1:
            raise too_large()


@dataclass(frozen=True)
class ZipEntry:
    name: str
    header_offset: int
    data_offset: int
    size: int
    crc: int


def _refuse(code: str, src: Source, en: str, vi: str) -> PackageRefused:
    return PackageRefused(code, src.name, en, vi)


def read_directory(src: Source, *, max_entries: int, max_total_bytes: int, max_name_bytes: int) -> list[ZipEntry]:
    """The entries of a package, in file order, after every structural check of the module docstring.
    Names are returned as decoded, unchecked against the allowed patterns (names.check_names does that)."""
    try:
        return _read_directory(src, max_entries, max_total_bytes, max_name_bytes)
    except ShortRead as e:
        raise _refuse("truncated", src, "the file ends before its structure does", "tệp bị cắt cụt, thiếu phần cuối") from e


def _read_directory(src: Source, max_entries: int, max_total: int, max_name: int) -> list[ZipEntry]:
    size = src.size
    if size == 0:
        raise _refuse("not_zip", src, "the file is empty", "tệp rỗng")
    eocd_at = size - EOCD.size
    tail = src.read_at(max(0, eocd_at), min(size, EOCD.size))
    if size < EOCD.size or struct.unpack_from("<I", tail)[0] != EOCD_SIG:
        _locate_misplaced_end(src)
    _, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len = EOCD.unpack(tail)
    if comment_len:
        raise _refuse("zip_structure", src, "the end record announces a comment", "bản ghi kết thúc khai báo chú thích")
    if n_total == 0xFFFF or cd_size == MAX_U32 or cd_offset == MAX_U32:
        raise _refuse("zip_limits", src, "ZIP64 archives are not accepted", "không chấp nhận tệp ZIP64")
    if disk or cd_disk or n_disk != n_total:
        raise _refuse("zip_limits", src, "multi-disk archives are not accepted", "không chấp nhận tệp ZIP nhiều phần")
    if n_total > max_entries:
        raise _refuse("zip_limits", src, f"{n_total} entries, more than {max_entries}", f"{n_total} mục, vượt quá {max_entries}")
    end_of_cd = cd_offset + cd_size
    if end_of_cd > eocd_at:
        raise _refuse("zip_structure", src, "the central directory overlaps its end record",
                      "thư mục trung tâm chồng lên bản ghi kết thúc")
    if end_of_cd < eocd_at:
        if eocd_at - end_of_cd >= 20 and struct.unpack("<I", src.read_at(eocd_at - 20, 4))[0] == ZIP64_LOCATOR_SIG:
            raise _refuse("zip_limits", src, "ZIP64 archives are not accepted", "không chấp nhận tệp ZIP64")
        if cd_size and struct.unpack("<I", src.read_at(eocd_at - cd_size, 4))[0] == CENTRAL_SIG:
            shift = eocd_at - end_of_cd
            raise _refuse("bytes_outside", src, f"{shift} bytes before the archive",
                          f"có {shift} byte dữ liệu lạ trước phần đầu tệp ZIP")
        raise _refuse("bytes_outside", src, "bytes between the central directory and its end record",
                      "có dữ liệu lạ giữa thư mục trung tâm và bản ghi kết thúc")
    if cd_size > n_total * (CENTRAL.size + max_name + 0xFFFF * 2):
        raise _refuse("zip_limits", src, "the central directory is too large", "thư mục trung tâm quá lớn")
    entries = _parse_central(src, src.read_at(cd_offset, cd_size), n_total, max_total, max_name)
    _check_layout(src, entries, cd_offset)
    return [e for e, _ in entries]


def _locate_misplaced_end(src: Source) -> None:
    """No end record in the last 22 bytes: tell bytes appended after an archive from a truncated or
    foreign file. Always raises."""
    size = src.size
    window = min(size, (1 << 16) + EOCD.size + (1 << 20))
    data = src.read_at(size - window, window)
    found = data.rfind(b"PK\x05\x06")
    if found >= 0 and found + EOCD.size < len(data):  # a whole end record, then more bytes
        raise _refuse("bytes_outside", src, "bytes after the end of the archive", "có dữ liệu lạ sau phần cuối của tệp ZIP")
    if src.read_at(0, min(4, size)) == b"PK\x03\x04":
        raise _refuse("truncated", src, "the end of the archive is missing (cut short?)",
                      "thiếu phần cuối của tệp ZIP (tệp bị cắt cụt?)")
    raise _refuse("not_zip", src, "not a package (no ZIP structure)", "không phải là gói (không có cấu trúc ZIP)")


def _parse_central(src: Source, cd: bytes, n_total: int, max_total: int, max_name: int) -> list[tuple[ZipEntry, bytes]]:
    """Central directory records → (entry, raw local-header fields to compare). Checks in a fixed order."""
    pos = 0
    total = 0
    out: list[tuple[ZipEntry, bytes]] = []
    for _ in range(n_total):
        if pos + CENTRAL.size > len(cd):
            raise _refuse("zip_structure", src, "the central directory is cut short", "thư mục trung tâm bị cắt cụt")
        (sig, made_by, needed, flags, method, mtime, mdate, crc, csize, usize, nlen, xlen, clen, disk_start,
         _internal, external, header_offset) = CENTRAL.unpack_from(cd, pos)
        if sig != CENTRAL_SIG:
            raise _refuse("zip_structure", src, "malformed central directory record", "bản ghi thư mục trung tâm sai cấu trúc")
        end = pos + CENTRAL.size + nlen + xlen + clen
        if end > len(cd):
            raise _refuse("zip_structure", src, "the central directory is cut short", "thư mục trung tâm bị cắt cụt")
        raw_name = cd[pos + CENTRAL.size: pos + CENTRAL.size + nlen]
        extra = cd[pos + CENTRAL.size + nlen: pos + CENTRAL.size + nlen + xlen]
        shown = printable(raw_name.decode("utf-8", "replace"))
        if _has_zip64_extra(extra) or MAX_U32 in (csize, usize, header_offset) or needed >= 45:
            raise _refuse("zip_limits", src, f"entry '{shown}' uses ZIP64", f"mục '{shown}' dùng ZIP64")
        if flags & 0x41 or method == 99:
            raise _refuse("encrypted", src, f"entry '{shown}' is encrypted", f"mục '{shown}' bị mã hóa")
        if method != 0:
            raise _refuse("compressed", src, f"entry '{shown}' is compressed (method {method})",
                          f"mục '{shown}' bị nén (phương thức {method})")
        if disk_start:
            raise _refuse("zip_limits", src, "multi-disk archives are not accepted", "không chấp nhận tệp ZIP nhiều phần")
        _check_kind(src, shown, made_by, external)
        if flags & ~FLAG_UTF8 or xlen or clen or needed > VERSION_NEEDED:
            raise _refuse("zip_structure", src, f"entry '{shown}' has flags, extra fields or comments a package never has",
                          f"mục '{shown}' có cờ, trường mở rộng hoặc chú thích mà gói không bao giờ có")
        if csize != usize:
            raise _refuse("zip_structure", src, f"entry '{shown}': stored sizes differ", f"mục '{shown}': kích thước không khớp")
        total += usize
        if usize > max_total or total > max_total:
            raise _refuse("zip_limits", src, f"declared sizes exceed {max_total} bytes",
                          f"tổng kích thước khai báo vượt quá {max_total} byte")
        if nlen > max_name:
            raise _refuse("entry_name", src, f"entry name longer than {max_name} bytes", f"tên mục dài quá {max_name} byte")
        try:
            name = raw_name.decode("utf-8")
        except UnicodeDecodeError:
            raise _refuse("entry_name", src, f"entry name '{shown}' is not UTF-8",
                          f"tên mục '{shown}' không phải UTF-8") from None
        local = LOCAL.pack(LOCAL_SIG, needed, flags, method, mtime, mdate, crc, csize, usize, nlen, 0) + raw_name
        entry = ZipEntry(name, header_offset, header_offset + LOCAL.size + nlen, usize, crc)
        out.append((entry, local))
        pos = end
    if pos != len(cd):
        raise _refuse("bytes_outside", src, "bytes inside the central directory after its records",
                      "có dữ liệu lạ trong thư mục trung tâm")
    return out


def _has_zip64_extra(extra: bytes) -> bool:
    pos = 0
    while pos + 4 <= len(extra):
        header_id, length = struct.unpack_from("<HH", extra, pos)
        if header_id == 0x0001:
            return True
        pos += 4 + length
    return False


def _check_kind(src: Source, name: str, made_by: int, external: int) -> None:
    mode = external >> 16
    unix = made_by >> 8 == 3
    if unix and stat.S_ISLNK(mode):
        raise _refuse("symlink", src, f"entry '{name}' is a symbolic link", f"mục '{name}' là liên kết tượng trưng")
    if name.endswith("/") or external & 0x10 or (unix and stat.S_IFMT(mode) not in (0, stat.S_IFREG)):
        raise _refuse("directory", src, f"entry '{name}' is a directory or a special file",
                      f"mục '{name}' là thư mục hoặc tệp đặc biệt")


def _check_layout(src: Source, entries: list[tuple[ZipEntry, bytes]], cd_offset: int) -> None:
    """Entries end to end from 0 to the central directory, each local header equal to its record."""
    expected = 0
    for entry, _ in sorted(entries, key=lambda pair: pair[0].header_offset):
        if entry.header_offset > expected:
            where = "before the first entry" if expected == 0 else "between entries"
            where_vi = "trước mục đầu tiên" if expected == 0 else "giữa các mục"
            raise _refuse("bytes_outside", src, f"bytes {where}", f"có dữ liệu lạ {where_vi}")
        if entry.header_offset < expected:
            raise _refuse("zip_structure", src, f"entry '{printable(entry.name)}' overlaps another",
                          f"mục '{printable(entry.name)}' chồng lên mục khác")
        expected = entry.data_offset + entry.size
        if expected > cd_offset:
            raise _refuse("zip_structure", src, f"entry '{printable(entry.name)}' runs into the central directory",
                          f"mục '{printable(entry.name)}' tràn vào thư mục trung tâm")
    if expected != cd_offset:
        raise _refuse("bytes_outside", src, "bytes before the central directory", "có dữ liệu lạ trước thư mục trung tâm")
    for entry, local in entries:
        if src.read_at(entry.header_offset, len(local)) != local:
            raise _refuse("local_header", src,
                          f"the local header of '{printable(entry.name)}' differs from the central directory",
                          f"phần đầu cục bộ của mục '{printable(entry.name)}' không khớp với thư mục trung tâm")
