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

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import UserError
from app.packages import manifest as M
from app.packages import names as N
from app.packages.cms import SignatureProblem, check_signature_only, sign_detached
from app.packages.errors import PackageRefused
from app.packages.reader import Limits
from app.packages.source import CHUNK, ShortRead, Source, drop_cache
from app.packages.tempfiles import LockedTemp, clean_stale, fsync_dir
from app.packages.volumes import MB, write_volumes
from app.packages.zipformat import ZipWriter, dos_time, read_directory

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
        manifest_bytes, signature, listed = _write(temp, manifest, sorted(entries, key=lambda e: e.name), signer, patterns)
        temp.sync()
        drop_cache(temp.file.fileno())
        if after_write is not None:
            after_write(temp.path)
        _read_back(temp.path, out, manifest_bytes, signature, listed, signer, patterns)
        return publish(temp, out, split_mb)
    except BaseException:
        temp.discard()
        raise


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


def _write(temp: LockedTemp, manifest: dict[str, Any], entries: list[EntrySource], signer: Signer,
           patterns: tuple[re.Pattern[str], ...]) -> tuple[bytes, bytes, dict[str, tuple[str, int]]]:
    zw = ZipWriter(temp.file, dos_time(M.created_time(manifest)))
    listed: dict[str, tuple[str, int]] = {}
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    for entry in entries:
        zw.begin(entry.name)
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


def _read_back(path: Path, out: Path, manifest_bytes: bytes, signature: bytes, listed: dict[str, tuple[str, int]],
               signer: Signer, patterns: tuple[re.Pattern[str], ...]) -> None:
    limits = Limits()
    try:
        with Source.of_file(path) as src:
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
                if e.size != size or src.sha256(e.data_offset, e.size) != digest:
                    raise ReadBackFailed(out, f"entry {e.name} differs")
    except (PackageRefused, N.NameProblem, SignatureProblem, ShortRead, OSError, ValueError) as e:
        raise ReadBackFailed(out, getattr(e, "code", type(e).__name__)) from e
