"""A hand-rolled ZIP builder for hostile packages: every header field can be wrong on purpose. It shares
no code with app.packages.zipformat, so the reader is tested against an independent writer."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from app.packages import Signer
from app.packages.cms import sign_detached
from app.packages.manifest import canonical_bytes

REG = (0o100644 << 16)
LINK = (0o120777 << 16)
UNIX = (3 << 8) | 20


@dataclass
class Raw:
    name: str | bytes
    data: bytes
    method: int = 0
    flags: int = 0
    external: int = REG
    made_by: int = UNIX
    needed: int = 20
    extra: bytes = b""
    declared_size: int | None = None       # lie about the size in both headers (zip bomb)
    local_name: bytes | None = None        # a different name in the local header
    local_crc: int | None = None           # a different CRC in the local header
    payload: bytes | None = None           # bytes actually stored (e.g. deflated), default `data`
    time: int = 0
    date: int = 33

    @property
    def raw_name(self) -> bytes:
        return self.name if isinstance(self.name, bytes) else self.name.encode("utf-8")


@dataclass
class Layout:
    prefix: bytes = b""                    # bytes before the first local header (offsets not adjusted)
    prefix_adjusted: bytes = b""           # bytes before the first entry, offsets pointing past them
    between: bytes = b""                   # bytes between the first and second entry (offsets adjusted)
    suffix: bytes = b""                    # bytes after the end record
    comment: bytes = b""                   # archive comment
    eocd_disk: int = 0
    extra_records: list[tuple[str, int]] = field(default_factory=list)  # (name, offset of an existing header)


def build(entries: list[Raw], layout: Layout | None = None) -> bytes:
    lay = layout or Layout()
    out = bytearray(lay.prefix_adjusted)
    records = []
    for i, e in enumerate(entries):
        if i == 1:
            out += lay.between
        payload = e.data if e.payload is None else e.payload
        crc = zlib.crc32(e.data)
        size = len(e.data) if e.declared_size is None else e.declared_size
        csize = len(payload) if e.declared_size is None else e.declared_size
        offset = len(out)
        lname = e.raw_name if e.local_name is None else e.local_name
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, e.needed, e.flags, e.method, e.time, e.date,
                           crc if e.local_crc is None else e.local_crc, csize, size, len(lname), len(e.extra)) + lname + e.extra
        out += payload
        records.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, e.made_by, e.needed, e.flags, e.method, e.time, e.date,
                                   crc, csize, size, len(e.raw_name), len(e.extra), 0, 0, 0, e.external, offset)
                       + e.raw_name + e.extra)
    for name, offset in lay.extra_records:
        raw = name.encode()
        first = entries[0]
        records.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, UNIX, 20, 0, 0, 0, 33, zlib.crc32(first.data),
                                   len(first.data), len(first.data), len(raw), 0, 0, 0, 0, REG, offset) + raw)
    cd_offset = len(out)
    for r in records:
        out += r
    cd_size = len(out) - cd_offset
    n = len(records)
    out += struct.pack("<IHHHHIIH", 0x06054B50, lay.eocd_disk, 0, n, n, cd_size, cd_offset, len(lay.comment)) + lay.comment
    return lay.prefix + bytes(out) + lay.suffix


def manifest_for(entries: dict[str, bytes], **fields) -> dict:
    import hashlib

    base = {"format": "dti-package/1", "created_at": "2024-05-06T07:08:09+07:00", "unit": {"code": "X1", "name": "UBND xã Tân Hưng"},
            "revision": 3}
    base.update(fields)
    base["entries"] = [{"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in sorted(entries.items())]
    return base


def signed(signer: Signer, entries: dict[str, bytes], manifest: dict | None = None, manifest_bytes: bytes | None = None,
           zip_entries: dict[str, bytes] | None = None) -> list[Raw]:
    """Raw entries of a correctly signed package: `entries` listed in the manifest, `zip_entries` (default
    the same) actually stored, manifest bytes signed by `signer` (or given bytes, signed as they are)."""
    mbytes = manifest_bytes if manifest_bytes is not None else canonical_bytes(manifest or manifest_for(entries))
    p7s = sign_detached(mbytes, signer.cert, signer.key, signer.chain)
    stored = entries if zip_entries is None else zip_entries
    return [Raw(n, d) for n, d in sorted(stored.items())] + [Raw("manifest.json", mbytes), Raw("manifest.p7s", p7s)]
