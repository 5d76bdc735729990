"""Verifying a package before anything of it is believed (DESIGN §6), and reading its entries afterwards.

`verify_package` runs the library's part of the verification order, stopping at the first failure with
a `PackageRefused` (see errors.py for the codes):

1. size and structure of the ZIP (zipformat.read_directory): file size, entry count, declared sizes,
   no ZIP64, no multi-disk, no byte outside a structure, STORED only, not encrypted, no link, no
   directory, no extra field, each local header equal to its central directory record;
2. entry names (names.check_names): no unsafe path, no duplicate or NFC/NFD/case twin, allowed pattern;
3. manifest.json and manifest.p7s present and within their size caps; manifest.json parsed strictly
   (manifest.parse) and the library's schema (manifest.check_schema);
4. the signature over the exact manifest bytes, chained to a trusted root, key usage, validity at `at`,
   not revoked by a given CRL (cms.verify_signature);
5. the caller's hook `check_signed(manifest, signer)`, where a service checks the unit, the authority and
   the revision (DESIGN §6 puts those here, before any entry is read); it raises to refuse;
6. the entries of the ZIP equal the manifest's list exactly, names and sizes;
7. each entry's bytes streamed through SHA-256 against the manifest (skipped with
   ``check_entries=False`` when the caller streams every entry through `copy_entry` anyway, which always
   hashes: an import then reads the evidence once).

The result, a `VerifiedPackage`, holds the manifest bytes (kept in memory, never re-read), the parsed
manifest, the signer and chain, and where each entry's bytes lie. `copy_entry`, `copy_entries` (an import's
batch: all or nothing, fsyncs pipelined) and `read_entry` re-hash what they read, so a file changed on the
USB stick after verification is still caught.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import hashlib
import os
import re
import stat
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from app.atomicfile import atomic_output, make_dirs, make_read_only, make_writable, remove_empty_dirs
from app.packages import manifest as M
from app.packages import names as N
from app.packages import volumes as V
from app.packages.cms import SignatureProblem, verify_signature
from app.packages.errors import PackageRefused
from app.packages.source import Segment, ShortRead, Source, Window
from app.packages.tempfiles import fsync_dir
from app.packages.zipformat import read_directory

if TYPE_CHECKING:
    from cryptography import x509

    from app.packages.envelope import Decryption


@dataclass(frozen=True)
class TrustAnchors:
    """The roots an installation trusts (its province's root CA) and the CRLs it has imported."""

    roots: tuple[x509.Certificate, ...]
    crls: tuple[x509.CertificateRevocationList, ...] = ()


@dataclass(frozen=True)
class Limits:
    """Caps applied before anything is read into memory. ZIP without ZIP64 stays below 4 GiB anyway."""

    max_package_bytes: int = 0xFFFFFFFE
    max_entries: int = 20_000
    max_total_bytes: int = 0xFFFFFFFE
    max_manifest_bytes: int = 8 << 20
    max_signature_bytes: int = 1 << 20
    max_name_bytes: int = 255


@dataclass(frozen=True)
class EntryInfo:
    offset: int   # of the entry's data in the package (the concatenation of the volumes' slices)
    size: int
    sha256: str   # from the signed manifest


@dataclass(frozen=True)
class VerifiedPackage:
    path: Path                                   # the package file; for volumes, the package's name beside them
    manifest_bytes: bytes                        # exactly as signed
    manifest: dict[str, Any]
    signer: x509.Certificate
    chain: tuple[x509.Certificate, ...]          # the signer's issuer first, the trusted root last
    entries: dict[str, EntryInfo]                # every entry but manifest.json / manifest.p7s
    signature: bytes = b""                       # manifest.p7s
    segments: tuple[Segment, ...] = field(default=())  # where the package's bytes are (encrypted: the ciphertext's)
    entries_checked: bool = True                 # False: verify_package(check_entries=False)
    decryption: Decryption | None = None         # an encrypted package, read in place through its key
    window: tuple[int, int] | None = None        # (offset, size): a package inside another (a bundle's entry)

    def open(self) -> Source:
        """The package's bytes, to read again (decrypted on the fly when it came encrypted; the window of a
        package inside a bundle). Close after use."""
        src = Source(self.segments)
        src.label = self.path.name
        try:
            base = src if self.decryption is None else self.decryption.source(src, owns=True)
            return base if self.window is None else Window(base, *self.window, self.path.name, owns=True)
        except BaseException:
            src.close()
            raise


CheckSigned = Callable[[dict[str, Any], "x509.Certificate"], None]


def _segments(path: Path | Sequence[Path]) -> tuple[Path, list[Segment]]:
    paths = [Path(path)] if isinstance(path, (str, Path)) else [Path(p) for p in path]
    if not paths:
        raise ValueError("no package given")
    for given in paths:   # before opening: reading a named pipe would wait forever for a writer
        if not stat.S_ISREG(given.stat().st_mode):
            raise PackageRefused("not_zip", given, "not a regular file (a folder, a pipe or a device)",
                                 "không phải tệp thông thường (là thư mục, đường ống hoặc thiết bị)")
    first = paths[0]
    if len(paths) == 1 and not V.is_volume(first):
        return first, [Segment(first, 0, first.stat().st_size)]
    name, segments = V.volume_segments(paths)
    return first.with_name(name), segments


def verify_package(path: Path | Sequence[Path], anchors: TrustAnchors, *, at: datetime | None = None,
                   limits: Limits = Limits(), patterns: Sequence[re.Pattern[str]] = N.PACKAGE_NAMES,
                   check_signed: CheckSigned | None = None, check_entries: bool = True,
                   decryption: Decryption | None = None, window: tuple[int, int] | None = None,
                   name: str | None = None) -> VerifiedPackage:
    """Verify a package file, or the volumes of a split one (any order), as the module docstring says.
    `at` is the validation moment (default now; a naive datetime is read as UTC). Whatever `check_signed`
    raises propagates unchanged. Raises PackageRefused for everything else. With `decryption` the file is an
    encrypted package (app.packages.envelope) opened with its key, and everything is read through it. With
    `window` (offset, size) the package is those bytes of the file (a bundle's entry, whose hash the caller has
    checked), named `name` in refusals."""
    try:
        label, segments = _segments(path)
    except OSError as e:
        raise PackageRefused("not_zip", Path(e.filename or "?"), f"cannot read the file ({e.strerror})",
                             f"không đọc được tệp ({e.strerror})") from None
    if name is not None:
        label = Path(name)
    with Source(segments) as raw:
        raw.label = label.name
        try:
            src = raw if decryption is None else decryption.source(raw)
            if window is not None:
                src = Window(src, *window, label.name)
            verified = _verify(src, label, segments, anchors, at, limits, tuple(patterns), check_signed, check_entries)
            return replace(verified, decryption=decryption, window=window)
        except ShortRead:
            raise PackageRefused("truncated", label, "the file changed or ended while being read",
                                 "tệp bị thay đổi hoặc bị cắt cụt trong khi đọc") from None


def _refuse(code: str, label: Path, en: str, vi: str) -> PackageRefused:
    return PackageRefused(code, label, en, vi)


def _verify(src: Source, label: Path, segments: list[Segment], anchors: TrustAnchors, at: datetime | None, limits: Limits,
            patterns: tuple[re.Pattern[str], ...], check_signed: CheckSigned | None, check_entries: bool) -> VerifiedPackage:
    if src.size > limits.max_package_bytes:
        raise _refuse("too_large", label, f"{src.size} bytes, more than {limits.max_package_bytes}",
                      f"{src.size} byte, vượt quá {limits.max_package_bytes}")
    entries = read_directory(src, max_entries=limits.max_entries, max_total_bytes=limits.max_total_bytes,
                             max_name_bytes=limits.max_name_bytes)
    try:
        N.check_names([e.name for e in entries], patterns)
    except N.NameProblem as p:
        shown = N.printable(p.name)
        raise _refuse(p.code, label, f"entry '{shown}': {p.why_en}", f"mục '{shown}': {p.why_vi}") from None
    by_name = {e.name: e for e in entries}
    manifest_entry, signature_entry = by_name.get(N.MANIFEST), by_name.get(N.SIGNATURE)
    if manifest_entry is None or signature_entry is None:
        missing = N.MANIFEST if manifest_entry is None else N.SIGNATURE
        raise _refuse("no_manifest", label, f"{missing} is missing", f"thiếu {missing}")
    if manifest_entry.size > limits.max_manifest_bytes or signature_entry.size > limits.max_signature_bytes:
        raise _refuse("too_large", label, "manifest.json or manifest.p7s is too large", "manifest.json hoặc manifest.p7s quá lớn")
    manifest_bytes = src.read_at(manifest_entry.data_offset, manifest_entry.size)
    signature = src.read_at(signature_entry.data_offset, signature_entry.size)
    try:
        manifest = M.parse(manifest_bytes)
        listed = M.check_schema(manifest, patterns)
    except M.ManifestProblem as p:
        raise _refuse(p.code, label, f"manifest.json: {p.why_en}", f"manifest.json: {p.why_vi}") from None
    try:
        signer, chain = verify_signature(manifest_bytes, signature, anchors.roots, anchors.crls, at)
    except SignatureProblem as p:
        raise _refuse(p.code, label, p.why_en, p.why_vi) from None
    if check_signed is not None:
        check_signed(manifest, signer)
    present = {n: e for n, e in by_name.items() if n not in N.RESERVED}
    extra = sorted(set(present) - set(listed))
    if extra:
        raise _refuse("entries_mismatch", label, f"entry '{extra[0]}' is not in the manifest",
                      f"mục '{extra[0]}' không có trong manifest")
    missing_entries = sorted(set(listed) - set(present))
    if missing_entries:
        raise _refuse("entries_mismatch", label, f"entry '{missing_entries[0]}' of the manifest is missing",
                      f"thiếu mục '{missing_entries[0]}' có trong manifest")
    for n, (_, size) in listed.items():
        if present[n].size != size:
            raise _refuse("entries_mismatch", label, f"entry '{n}' has {present[n].size} bytes, the manifest says {size}",
                          f"mục '{n}' có {present[n].size} byte, manifest ghi {size}")
    infos = {n: EntryInfo(present[n].data_offset, size, digest) for n, (digest, size) in listed.items()}
    if check_entries:
        for n in sorted(infos, key=lambda n: infos[n].offset):
            info = infos[n]
            if src.sha256(info.offset, info.size) != info.sha256:
                raise _hash_mismatch(label, n)
    return VerifiedPackage(path=label,
                           manifest_bytes=manifest_bytes, manifest=manifest, signer=signer, chain=chain, entries=infos,
                           signature=signature, segments=tuple(segments), entries_checked=check_entries)


def _hash_mismatch(label: Path | str, name: str) -> PackageRefused:
    return PackageRefused("entry_hash", label, f"entry '{name}' does not match its SHA-256 in the manifest (altered or damaged)",
                          f"mục '{name}' không khớp SHA-256 ghi trong manifest (bị sửa hoặc hỏng)")


def _info(verified: VerifiedPackage, name: str) -> EntryInfo:
    try:
        return verified.entries[name]
    except KeyError:
        raise KeyError(f"{name} is not an entry of {verified.path.name}") from None


def copy_entry(verified: VerifiedPackage, name: str, dest: Path) -> str:
    """Stream one entry through SHA-256 into `dest` (atomically); refuses with ``entry_hash`` when the bytes
    differ from the manifest, leaving `dest` untouched. Returns the SHA-256."""
    info = _info(verified, name)
    try:
        with verified.open() as src, atomic_output(Path(dest)) as out:
            digest = src.sha256(info.offset, info.size, out.write)
            if digest != info.sha256:
                raise _hash_mismatch(verified.path, name)
    except ShortRead:
        raise PackageRefused("truncated", verified.path, "the file changed or ended while being read",
                             "tệp bị thay đổi hoặc bị cắt cụt trong khi đọc") from None
    return digest


def copy_entries(verified: VerifiedPackage, targets: Mapping[str, Path]) -> dict[str, str]:
    """Stream several entries (name -> destination) all or nothing, for an import (see `staged_entries`).
    Returns name -> SHA-256."""
    with staged_entries(verified, targets):
        pass
    return {name: verified.entries[name].sha256 for name in targets}


@contextlib.contextmanager
def staged_entries(verified: VerifiedPackage, targets: Mapping[str, Path]) -> Iterator[dict[str, Path]]:
    """Stream several entries (name -> destination) all or nothing: each through SHA-256 into a temp file
    beside its destination, in file order, refusing a mismatch (``entry_hash``). Yields name -> temp file,
    for checks of the content while the fsyncs run in a worker thread (an fsync costs about as much as the
    hashing, and a 4 MB one several milliseconds on a laptop disk). Only when the block ends without an
    exception are the temps renamed into place and their directories fsynced; otherwise no destination is
    created or changed."""
    order = sorted(targets, key=lambda n: _info(verified, n).offset)
    staged: list[tuple[Path, Path]] = []
    made: list[Path] = []
    syncing: deque[concurrent.futures.Future[None]] = deque()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            try:
                with verified.open() as src:
                    for name in order:
                        info, dest = verified.entries[name], Path(targets[name])
                        made += make_dirs(dest.parent)
                        fd, temp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent)
                        staged.append((Path(temp), dest))
                        out = os.fdopen(fd, "wb")
                        try:
                            digest = src.sha256(info.offset, info.size, out.write)
                            out.flush()
                        except BaseException:
                            out.close()
                            raise
                        if digest != info.sha256:
                            out.close()
                            raise _hash_mismatch(verified.path, name)
                        syncing.append(pool.submit(_sync_and_close, out))
                        while len(syncing) > 8:
                            syncing.popleft().result()
                yield {name: temp for name, (temp, _dest) in zip(order, staged, strict=True)}
                while syncing:
                    syncing.popleft().result()
            finally:
                for pending in syncing:
                    pending.cancel()
        for temp, dest in staged:
            make_read_only(temp)       # content-addressed: it never changes again
            make_writable(dest)        # a damaged copy being replaced (Windows refuses a read-only target)
            os.replace(temp, dest)
        for directory in {dest.parent for _, dest in staged}:
            fsync_dir(directory)
    except ShortRead:
        _discard(staged)
        remove_empty_dirs(made)
        raise PackageRefused("truncated", verified.path, "the file changed or ended while being read",
                             "tệp bị thay đổi hoặc bị cắt cụt trong khi đọc") from None
    except BaseException:
        _discard(staged)
        remove_empty_dirs(made)   # a refused package leaves no folder either
        raise


def _sync_and_close(out: BinaryIO) -> None:
    try:
        os.fsync(out.fileno())
    finally:
        out.close()


def _discard(staged: list[tuple[Path, Path]]) -> None:
    for temp, _ in staged:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def check_entries(verified: VerifiedPackage, names: Sequence[str] | None = None) -> None:
    """Hash entries of a package verified with ``check_entries=False`` (default: all of them) against the
    manifest: an importer that streams the entries it stores through SHA-256 anyway (`copy_entries`,
    `read_entry`) calls this for the rest only, so that every byte is hashed once. ``entry_hash`` on a
    mismatch."""
    wanted = sorted(verified.entries if names is None else names, key=lambda n: _info(verified, n).offset)
    try:
        with verified.open() as src:
            for name in wanted:
                info = verified.entries[name]
                if src.sha256(info.offset, info.size) != info.sha256:
                    raise _hash_mismatch(verified.path, name)
    except ShortRead:
        raise PackageRefused("truncated", verified.path, "the file changed or ended while being read",
                             "tệp bị thay đổi hoặc bị cắt cụt trong khi đọc") from None


def read_entry(verified: VerifiedPackage, name: str, max_bytes: int) -> bytes:
    """A small entry (data/*.json) in memory, hash-checked; ``too_large`` above `max_bytes`."""
    info = _info(verified, name)
    if info.size > max_bytes:
        raise PackageRefused("too_large", verified.path, f"entry '{name}' has {info.size} bytes, more than {max_bytes}",
                             f"mục '{name}' có {info.size} byte, vượt quá {max_bytes}")
    try:
        with verified.open() as src:
            data = src.read_at(info.offset, info.size)
    except ShortRead:
        raise PackageRefused("truncated", verified.path, "the file changed or ended while being read",
                             "tệp bị thay đổi hoặc bị cắt cụt trong khi đọc") from None
    if hashlib.sha256(data).hexdigest() != info.sha256:
        raise _hash_mismatch(verified.path, name)
    return data


def read_manifest_bytes(path: Path | Sequence[Path]) -> bytes:
    """The manifest.json bytes of a package this installation just wrote (structure read, no signature
    check): what an exporter records as the revision's identity without loading the verifier."""
    label, segments = _segments(path)
    with Source(segments) as src:
        src.label = label.name
        entries = {e.name: e for e in read_directory(src, max_entries=Limits().max_entries,
                                                      max_total_bytes=Limits().max_total_bytes,
                                                      max_name_bytes=Limits().max_name_bytes)}
        entry = entries.get(N.MANIFEST)
        if entry is None:
            raise _refuse("no_manifest", label, f"{N.MANIFEST} is missing", f"thiếu {N.MANIFEST}")
        return src.read_at(entry.data_offset, entry.size)
