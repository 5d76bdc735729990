"""Writing a signed package (DESIGN §6) in one pass over the evidence, atomically, and reading it back.

`write_package(out, manifest, entries, signer)`:

1. removes stale ``.<out name>.*.part`` files a killed writer left (tempfiles.clean_stale: those no living
   writer holds a lock on);
2. streams every entry once, in name order, from its file (1 MiB chunks, constant memory) or bytes into a
   locked temp file beside `out`, computing SHA-256 (for the manifest) and CRC-32 (for the ZIP) on the way;
3. appends manifest.json (the caller's dict plus ``entries``: name, sha256, size of every other entry;
   canonical JSON) and then manifest.p7s (cms.sign_detached). The manifest goes last because its
   content is only known once every entry has been hashed; readers go by the central directory, so the
   order is no part of the contract. The ZIP is therefore: entries sorted by name, manifest.json,
   manifest.p7s, central directory, end record;
4. flushes and fsyncs, asks the kernel to drop the file's cached pages (posix_fadvise DONTNEED, Linux)
   so that the read-back comes from the device; where that is unavailable the read-back is a structural
   self-check of what the page cache holds;
5. reads the temp file back: the strict ZIP reader, manifest and signature bytes equal to those written,
   the signature verifying with the signer's key, every entry's SHA-256 equal to the one computed while
   writing. Any difference raises `ReadBackFailed`;
6. renames it over `out` and fsyncs the directory — or, with ``split_mb=N``, cuts it into volumes
   (volumes.write_volumes: ``<out name>.001-of-00n`` …, each ≤ N MB, read back, then renamed) and
   returns those instead of `out`.

On any failure the temp files are removed and `out` (and any earlier file there) is untouched. The same
arguments give the same bytes: fixed entry order, fixed ZIP fields, timestamps from the manifest's
created_at, deterministic signatures.

The chain-to-root, validity and revocation checks are the reader's business: the read-back proves the
bytes on the device are the ones signed, not that an importer will trust the signer.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import os
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from app.errors import UserError
from app.packages import manifest as M
from app.packages import names as N
from app.packages.cms import SignatureProblem, check_signature_only, sign_detached
from app.packages.errors import PackageRefused
from app.packages.reader import Limits
from app.packages.source import CHUNK, ShortRead, Source, drop_cache
from app.packages.tempfiles import LockedTemp, clean_stale, fsync_dir
from app.packages.volumes import MB, write_volumes
from app.packages.zipformat import ZipWriter, changed_while_written, dos_time, read_directory

if TYPE_CHECKING:
    import re

    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes


@dataclass(frozen=True)
class Signer:
    """Who signs: the unit's signing certificate, its private key, and the chain above it (issuer first;
    the root may be included)."""

    cert: x509.Certificate
    key: PrivateKeyTypes
    chain: tuple[x509.Certificate, ...] = ()
    cosigner: Any = None     # an official's token (app.packages.cosign.CoSigner): a second signer in manifest.p7s


@dataclass(frozen=True)
class EntrySource:
    """One entry to write: its name in the package and where its bytes come from."""

    name: str
    source: Path | bytes | Callable[[], Iterable[bytes | memoryview]]   # a callable streams its chunks


class ReadBackFailed(UserError):
    """The package written does not read back as written (failing disk or USB stick)."""

    def __init__(self, out: Path, detail: str):
        super().__init__(f"{out.name}: the package written does not read back correctly ({detail}); nothing was saved. "
                         "Check the disk or USB stick and export again.",
                         f"{out.name}: gói vừa ghi không đọc lại đúng ({detail}); chưa lưu gì. "
                         "Hãy kiểm tra ổ đĩa hoặc USB rồi xuất lại.")
        self.detail = detail


def write_package(out: Path, manifest: dict[str, Any], entries: Sequence[EntrySource], signer: Signer, *,
                  split_mb: int | None = None, patterns: Sequence[re.Pattern[str]] = N.PACKAGE_NAMES,
                  after_write: Callable[[Path], None] | None = None) -> list[Path]:
    """Write `entries` and the signed manifest as one package at `out` (or its volumes with `split_mb`);
    returns the files written. `after_write` is a test hook, called with the temp file after fsync and
    before the read-back (a test corrupts it there)."""
    out = Path(out)
    patterns = tuple(patterns)
    _check_arguments(manifest, entries, patterns, split_mb)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    temp = LockedTemp(out)
    try:
        manifest_bytes, signature, listed = _write(temp.file, manifest, sorted(entries, key=lambda e: e.name), signer,
                                                   patterns)
        temp.sync()
        drop_cache(temp.file.fileno())
        if after_write is not None:
            after_write(temp.path)
        with Source.of_file(temp.path) as src:
            _read_back(src, out, manifest_bytes, signature, listed, signer, patterns)
        return publish(temp, out, split_mb)
    except BaseException:
        temp.discard()
        raise


def write_sealed_package(out: Path, manifest: dict[str, Any], entries: Sequence[EntrySource], signer: Signer,
                         recipient: x509.Certificate, *, split_mb: int | None = None,
                         patterns: Sequence[re.Pattern[str]] = N.PACKAGE_NAMES,
                         after_write: Callable[[Path], None] | None = None) -> tuple[list[Path], bytes]:
    """`write_package`, encrypted for `recipient` while it is written (app.packages.envelope.Sealing): no plaintext
    of the package is ever on a disk. The ZIP cannot seek back into ciphertext to patch a local header, so a
    first pass reads every entry for its CRC-32 and size (CRC-32 runs at several GB/s; the second pass checks
    them). Volumes (`split_mb`) are cut from the encrypted file, so that an importer names a missing volume
    before it needs a key. Returns (the files written, the manifest bytes).

    The read-back proves the bytes on the device are the ones written in two parts: every byte of the file read
    again against the CRC-32 and size of what was written (as ZIP itself guards stored data; the plaintext's
    SHA-256 was taken while it was encrypted, and the ciphertext is a function of it), and the structure
    decrypted in place — envelope header, ZIP directory, manifest and signature equal to those written, the
    signature verifying — as `write_package`'s read-back checks them. Hashing the decrypted entries again would
    add a decryption and a SHA-256 of the whole package and prove nothing more."""
    from app.packages.envelope import Sealing

    out = Path(out)
    patterns = tuple(patterns)
    _check_arguments(manifest, entries, patterns, split_mb)
    ordered = sorted(entries, key=lambda e: e.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    temp = LockedTemp(out, "enc.")
    try:
        written = _Crc(temp.file)
        sealing = Sealing(written, recipient)
        try:   # each entry's CRC-32 computed ahead in a thread while the ones before it are written
            with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dti-crc") as pool:
                known = [None if _small(e) else pool.submit(_crc_and_size, e) for e in ordered]
                try:
                    manifest_bytes, signature, listed = _write(sealing, manifest, ordered, signer, patterns, known)
                finally:
                    for pending in known:
                        if pending is not None:
                            pending.cancel()
            sealing.finish()
        except BaseException:
            sealing.abort()
            raise
        temp.sync()
        drop_cache(temp.file.fileno())
        if after_write is not None:
            after_write(temp.path)
        try:
            if _crc_of(temp.path) != (written.crc, written.size):
                raise ReadBackFailed(out, "the encrypted file differs")
            with Source.of_file(temp.path) as raw:
                raw.label = out.name
                with sealing.decryption(raw, out.name).source(raw) as src:
                    _read_back(src, out, manifest_bytes, signature, listed, signer, patterns, hash_entries=False)
        except (PackageRefused, ShortRead, OSError) as e:
            raise ReadBackFailed(out, getattr(e, "code", type(e).__name__)) from e
        return publish(temp, out, split_mb), manifest_bytes
    except BaseException:
        temp.discard()
        raise


class _Crc:
    """A file that keeps the CRC-32 and size of what is written to it."""

    def __init__(self, file: BinaryIO):
        self.file, self.crc, self.size = file, 0, 0

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        return self.file.write(data)


def _crc_of(path: Path) -> tuple[int, int]:
    crc = size = 0
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buffer):
            crc = zlib.crc32(view[:n], crc)
            size += n
    return crc, size


WHOLE = 4 << 20   # entries up to this size are read whole when encrypting: no CRC pass ahead (a scan is 0.5–4 MB)


def _small(entry: EntrySource) -> bool:
    """Whether an entry is read whole into memory (`_whole`) rather than streamed after a CRC pass ahead."""
    if isinstance(entry.source, (bytes, bytearray, memoryview)):
        return True
    return not callable(entry.source) and os.stat(entry.source).st_size <= WHOLE


def _whole(entry: EntrySource, into: bytearray) -> memoryview:
    """A small entry's bytes (a view; release it): bytes as they are, a file read into `into` (reused)."""
    if isinstance(entry.source, (bytes, bytearray, memoryview)):
        return memoryview(entry.source)
    with open(entry.source, "rb", buffering=0) as f:
        size = os.fstat(f.fileno()).st_size
        if size > WHOLE:
            raise changed_while_written(entry.name)
        if len(into) < size + 1:
            into.extend(bytes(size + 1 - len(into)))
        view = memoryview(into)
        got = 0
        while n := f.readinto(view[got:size + 1]):
            got += n
        if got != size:
            view.release()
            raise changed_while_written(entry.name)
        return view[:size]


def _crc_and_size(entry: EntrySource) -> tuple[int, int]:
    """The CRC-32 and size of an entry's bytes, read once ahead of writing it."""
    if isinstance(entry.source, (bytes, bytearray, memoryview)):
        return zlib.crc32(entry.source), len(entry.source)
    crc = size = 0
    if callable(entry.source):
        for chunk in entry.source():
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
        return crc, size
    return _crc_of(entry.source)


def publish(temp: LockedTemp, out: Path, split_mb: int | None) -> list[Path]:
    """A written, synced and read-back temp file put in its place: renamed to `out`, or split into volumes of
    at most `split_mb` MB beside it (the temp file then removed). Returns the files written."""
    if split_mb is not None:
        volumes = write_volumes(temp.path, out, split_mb * MB)
        temp.discard()
        return volumes
    temp.commit(out)
    fsync_dir(out.parent)
    return [out]


def _check_arguments(manifest: dict[str, Any], entries: Sequence[EntrySource], patterns: tuple[re.Pattern[str], ...],
                     split_mb: int | None) -> None:
    if not isinstance(manifest, dict) or "entries" in manifest:
        raise ValueError("manifest must be a dict without 'entries' (the writer lists them)")
    names = [e.name for e in entries]
    if any(n in N.RESERVED for n in names):
        raise ValueError("manifest.json and manifest.p7s are written by write_package")
    try:
        N.check_names([*names, *N.RESERVED], patterns)
    except N.NameProblem as p:
        raise ValueError(f"entry name {p.name!r}: {p.why_en}") from None
    if len(names) + 2 > Limits().max_entries:
        raise ValueError(f"{len(names)} entries, more than a reader accepts")
    if split_mb is not None and (not isinstance(split_mb, int) or split_mb < 1):
        raise ValueError("split_mb must be a whole number of MB, at least 1")
    try:
        M.check_schema({**manifest, "entries": []}, patterns)
    except M.ManifestProblem as p:
        raise ValueError(f"manifest: {p.why_en}") from None


def _write(out: BinaryIO, manifest: dict[str, Any], entries: list[EntrySource], signer: Signer,
           patterns: tuple[re.Pattern[str], ...],
           known: Sequence[concurrent.futures.Future[tuple[int, int]] | None] | None = None
           ) -> tuple[bytes, bytes, dict[str, tuple[str, int]]]:
    """The ZIP into `out`. With `known` (a file that cannot seek back: each entry's CRC-32 and size, in order, as
    they become known) an entry whose `known` is None is small: it is read whole into memory, hashed and written
    from there (`_whole`), so its bytes are read once."""
    zw = ZipWriter(out, dos_time(M.created_time(manifest)))
    listed: dict[str, tuple[str, int]] = {}
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    whole = bytearray()
    for i, entry in enumerate(entries):
        ahead = known[i] if known is not None else None
        if known is not None and ahead is None:
            data = _whole(entry, whole)
            digest = hashlib.sha256(data)
            zw.add(entry.name, data, zlib.crc32(data))
            size = len(data)
            data.release()
        else:
            zw.begin(entry.name, *(ahead.result() if ahead is not None else (None, None)))
            digest = hashlib.sha256()
            size = 0
            if isinstance(entry.source, (bytes, bytearray, memoryview)):
                digest.update(entry.source)
                zw.write(entry.source)
                size = len(entry.source)
            elif callable(entry.source):
                for chunk in entry.source():
                    digest.update(chunk)
                    zw.write(chunk)
                    size += len(chunk)
            else:
                with open(entry.source, "rb", buffering=0) as f:
                    while n := f.readinto(buffer):
                        chunk = view[:n]
                        digest.update(chunk)
                        zw.write(chunk)
                        size += n
            zw.end()
        hexdigest = digest.hexdigest()
        promised = N.evidence_hash(entry.name)
        if promised is not None and promised != hexdigest:
            raise ValueError(f"{entry.name}: evidence is named by content hash, but its SHA-256 is {hexdigest}")
        listed[entry.name] = (hexdigest, size)
    full = {**manifest, "entries": [{"name": n, "sha256": d, "size": s} for n, (d, s) in listed.items()]}
    manifest_bytes = M.canonical_bytes(full)
    M.check_schema(M.parse(manifest_bytes), patterns)  # what is written must be what a reader accepts
    signature = sign_detached(manifest_bytes, signer.cert, signer.key, signer.chain)
    if signer.cosigner is not None:
        from app.packages.cosign import add_signer

        signature = add_signer(signature, manifest_bytes, signer.cosigner, M.created_time(manifest) or datetime.now(UTC))
    zw.add(N.MANIFEST, manifest_bytes)
    zw.add(N.SIGNATURE, signature)
    zw.finish()
    return manifest_bytes, signature, listed


def _read_back(src: Source, out: Path, manifest_bytes: bytes, signature: bytes, listed: dict[str, tuple[str, int]],
               signer: Signer, patterns: tuple[re.Pattern[str], ...], hash_entries: bool = True) -> None:
    limits = Limits()
    try:
        entries = read_directory(src, max_entries=limits.max_entries, max_total_bytes=limits.max_total_bytes,
                                 max_name_bytes=limits.max_name_bytes)
        N.check_names([e.name for e in entries], patterns)
        by_name = {e.name: e for e in entries}
        if set(by_name) != set(listed) | set(N.RESERVED):
            raise ReadBackFailed(out, "entry names differ")
        m, s = by_name[N.MANIFEST], by_name[N.SIGNATURE]
        if src.read_at(m.data_offset, m.size) != manifest_bytes or src.read_at(s.data_offset, s.size) != signature:
            raise ReadBackFailed(out, "manifest or signature differs")
        check_signature_only(manifest_bytes, signature, signer.cert)
        if signer.cosigner is not None:
            from app.packages.cosign import check_second

            check_second(manifest_bytes, signature, check_signature_only)
        for e in entries:
            if e.name in N.RESERVED:
                continue
            digest, size = listed[e.name]
            if e.size != size or (hash_entries and src.sha256(e.data_offset, e.size) != digest):
                raise ReadBackFailed(out, f"entry {e.name} differs")
    except (PackageRefused, N.NameProblem, SignatureProblem, ShortRead, OSError, ValueError) as e:
        raise ReadBackFailed(out, getattr(e, "code", type(e).__name__)) from e
