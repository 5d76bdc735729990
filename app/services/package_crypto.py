"""Packages and bundles encrypted for the authority that receives them (*mã hoá gói*, issue 19).

**Whom a unit encrypts for.** The CA that issued the unit's signing certificate: the province's root for a
unit the province enrolled, a district's issuing CA for its communes. Every enrolled unit holds that
certificate (its chain, from the enrollment), and the authority holds its private key (an EC P-256 key,
stored encrypted with the installation's passphrase like every key here). The authority's *signing*
certificate would serve as well, but a unit never keeps it (it only signs the enrollment file), so units
enrolled before this feature could not encrypt. The CA key thus also does ECDH key agreement; it never signs
anything but certificates and CRLs, and ECDH with it produces no signature (see docs/trust-and-packages.md,
"Mã hoá gói").

**Export.** The package is written and read back as usual, into a scratch folder inside the data directory
(never beside `--out`: a plaintext deleted from a USB stick can often be recovered), then encrypted to a
locked temp beside `--out`, fsynced, read back against the SHA-256 computed while writing, and renamed — or
cut into volumes (`--split-mb`) *after* encryption: volume headers stay readable without a key, so an
importer names a missing volume before it asks for a passphrase.

**Import.** A file that is a DER ContentInfo of id-envelopedData (or volumes whose rejoined bytes are) is
opened with the matching key of this installation into a scratch folder inside the data directory, under the
package's own name, and the normal verification and import run on that copy unchanged. The folder is
removed afterwards, also on failure.
"""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from app.errors import UserError
from app.services.workspace import Workspace

SCRATCH_PREFIX = ".dti-crypt-"
SETTING = "encrypt-packages"


def default_on(ws: Workspace) -> bool:
    """The unit's setting `encrypt-packages` (default no): whether export encrypts when not told."""
    with ws.store.session() as session:
        return (ws.setting(session, SETTING) or "no") == "yes"


def recipient(ws: Workspace):
    """The certificate an export is encrypted for: the issuer of this unit's signing certificate."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from app.services.trust_service import identity

    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation is not enrolled yet, so it has no receiver to encrypt for",
                        "máy này chưa được cấp tài khoản nên chưa biết mã hoá cho cơ quan nào")
    chain = ident.chain_for(ident.signing[0])
    if not chain or not isinstance(chain[0].public_key(), ec.EllipticCurvePublicKey):
        raise UserError("the certificate of the authority that enrolled this unit is not here (or has no EC key): "
                        "cannot encrypt", "không có chứng thư (khoá EC) của cơ quan đã cấp tài khoản: không mã hoá được")
    return chain[0]


@contextlib.contextmanager
def scratch(ws: Workspace) -> Iterator[Path]:
    """A private folder inside the data directory, removed on leaving."""
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=ws.data_dir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale(ws: Workspace) -> None:
    """Scratch folders of a process killed mid-way (called under the data directory's writer lock)."""
    for folder in ws.data_dir.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def write_encrypted(ws: Workspace, out: Path, write: Callable[[Path], list[Path]], split_mb: int | None
                    ) -> tuple[list[Path], bytes]:
    """`write(target)` writes the plain package (read back, one file); it is encrypted to `out` or its volumes.
    Returns (the files written, the package's manifest bytes)."""
    from app.packages import read_manifest_bytes

    cert = recipient(ws)      # refused before anything is written
    out = Path(out)
    with scratch(ws) as folder:
        plain = write(folder / out.name)[0]
        manifest = read_manifest_bytes(plain)
        return seal(plain, out, cert, split_mb), manifest


def seal(plain: Path, out: Path, cert, split_mb: int | None = None) -> list[Path]:
    """Encrypt the file `plain` for `cert` into `out` atomically (or its volumes), read back."""
    from app.packages import envelope
    from app.packages.source import CHUNK, drop_cache
    from app.packages.tempfiles import LockedTemp, clean_stale
    from app.packages.writer import ReadBackFailed, publish

    out.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(out)
    temp = LockedTemp(out, "enc.")
    try:
        sink = _Hashing(temp.file)
        with open(plain, "rb", buffering=0) as src:
            envelope.encrypt(src, plain.stat().st_size, sink, cert)
        temp.sync()
        drop_cache(temp.file.fileno())
        digest = hashlib.sha256()
        with open(temp.path, "rb", buffering=0) as back:
            while chunk := back.read(CHUNK):
                digest.update(chunk)
        if digest.digest() != sink.digest.digest():
            raise ReadBackFailed(out, "the encrypted file differs")
        return publish(temp, out, split_mb)
    except BaseException:
        temp.discard()
        raise


class _Hashing:
    def __init__(self, file):
        self.file, self.digest = file, hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        return self.file.write(data)


# ---------------------------------------------------------------- receiving
def _source(volumes: list[Path]):
    from app.packages.source import Source
    from app.packages.volumes import read_header, volume_segments

    if len(volumes) == 1 and read_header(volumes[0]) is None:
        return Source.of_file(volumes[0]), volumes[0].name
    name, segments = volume_segments(volumes)
    src = Source(segments)
    src.label = name
    return src, name


def is_encrypted(volumes: list[Path]) -> bool:
    """Whether a file (or a complete set of volumes) holds an encrypted package; False when unreadable (the
    normal verification then says why)."""
    from app.packages import envelope
    from app.packages.source import ShortRead

    if not all(p.is_file() for p in volumes):   # a named pipe would block the open; the verification refuses it
        return False
    try:
        src, _ = _source(volumes)
        with src:
            return envelope.is_enveloped(src.read_at(0, min(32, src.size)))
    except (OSError, UserError, ValueError, ShortRead):
        return False


def _for_another(env, ident) -> UserError:
    from app.packages.envelope import refused
    from app.trust import certs

    names = []
    for recip, _ in env.recipients:
        known = next((c for c in (*ident.chain, *ident.anchors) if recip.matches(c)), None)
        names.append(f"{certs.common_name(known)} ({certs.unit_code_of(known)})" if known is not None
                     else recip.describe())
    shown = "; ".join(names)
    return refused(env.file, f"encrypted for another authority: {shown}", f"mã hoá cho cơ quan khác: {shown}",
                   "other_recipient")


def decrypt(ws: Workspace, volumes: list[Path], folder: Path, passphrase: Callable[[], str]) -> Path:
    """The plaintext of an encrypted package in `folder`, under the package's own name; refusals are
    PackageRefused (one line naming the file)."""
    from app.packages import envelope
    from app.services.trust_service import identity
    from app.trust import certs, keys

    src, name = _source(volumes)
    with src:
        env = envelope.open_envelope(src, name)
        ident = identity(ws)
        own = [item for item in (ident.issuing, ident.root, ident.signing) if item is not None]
        found = [(i, item) for i, (recip, _) in enumerate(env.recipients) for item in own if recip.matches(item[0])]
        if not found:
            raise _for_another(env, ident)
        index, match = found[0]
        key = keys.decrypt_key(match[1], passphrase(), certs.unit_code_of(match[0]))
        cek = envelope.unwrap_key(env, index, key)
        # the name from a volume header has no separators (volumes.read_header); "." or ".." or a NUL are not names
        target = folder / (name if name.strip(".") and "\x00" not in name else "package.dtipkg")
        with open(target, "xb") as out:
            envelope.decrypt_to(src, env, cek, out)
    return target


@contextlib.contextmanager
def opened(ws: Workspace, volumes: list[Path], passphrase: Callable[[], str] | None) -> Iterator[list[Path]]:
    """`volumes` as they are when not encrypted; else the decrypted copy (removed on leaving)."""
    if not is_encrypted(volumes):
        yield volumes
        return
    if passphrase is None:
        raise UserError(f"{volumes[0].name}: the package is encrypted and no passphrase was given to open it",
                        f"{volumes[0].name}: gói được mã hoá nhưng không có mật khẩu để mở")
    with scratch(ws) as folder:
        yield [decrypt(ws, volumes, folder, passphrase)]


def once(read: Callable[[], str]) -> Callable[[], str]:
    """A passphrase asked at most once per command, only when an encrypted file needs it."""
    got: list[str] = []

    def ask() -> str:
        if not got:
            got.append(read())
        return got[0]

    return ask
