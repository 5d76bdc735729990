"""Packages and bundles encrypted for the authority that receives them (*mã hoá gói*, issue 19).

**Whom a unit encrypts for.** The CA that issued the unit's signing certificate: the province's root for a
unit the province enrolled, a district's issuing CA for its communes. Every enrolled unit holds that
certificate (its chain, from the enrollment), and the authority holds its private key (an EC P-256 key,
stored encrypted with the installation's passphrase like every key here). The authority's *signing*
certificate would serve as well, but a unit never keeps it (it only signs the enrollment file), so units
enrolled before this feature could not encrypt. The CA key thus also does ECDH key agreement; it never signs
anything but certificates and CRLs, and ECDH with it produces no signature (see docs/trust-and-packages.md,
"Mã hoá gói").

**Export** (app.packages.writer.write_sealed_package): the package is encrypted while it is written, to a locked
temp beside `--out`, fsynced, decrypted in place and read back with every check of a plain export, then
renamed — or cut into volumes (`--split-mb`) *after* encryption: volume headers stay readable without a key,
so an importer names a missing volume before it asks for a passphrase. No plaintext of the package is ever
written to a disk (a plaintext deleted from a USB stick can often be recovered).

**Import.** A file that is a DER/BER ContentInfo of id-envelopedData (or volumes whose rejoined bytes are) is
opened with the matching key of this installation (`decryption_for`), and the normal verification and import
read its plaintext through that key in place (app.packages.envelope.DecryptedSource): no decrypted copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.errors import UserError
from app.services.workspace import Workspace

if TYPE_CHECKING:
    from app.packages.envelope import Decryption

SCRATCH_PREFIX = ".dti-crypt-"
SETTING = "encrypt-packages"


def default_on(ws: Workspace) -> bool:
    """Whether export encrypts when not told: the unit's setting `encrypt-packages` (default no), or the round in
    effect asking for it (its round file, app.services.rounds). `--no-encrypt` or the dialog's box still decide."""
    from app.services.rounds import asked_encryption

    with ws.store.session() as session:
        if (ws.setting(session, SETTING) or "no") == "yes":
            return True
    return asked_encryption(ws)


def recipient(ws: Workspace):
    """The certificate an export is encrypted for: the CA of the authority the unit sends to. That is the issuer of
    the unit's signing certificate (the authority that enrolled it), unless the round in effect came last in a round
    file from an authority above that one on the unit's chain: since July 2025 a commune enrolled by a district that no
    longer exists sends to the province, whose round file it took (DOMAIN "Since 2025"), and the province must be
    able to open it. A round file from the enrolling authority itself (a district passing the province's round on)
    leaves the district as the receiver."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from app.services.rounds import in_effect
    from app.services.trust_service import identity
    from app.trust import certs

    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation is not enrolled yet, so it has no receiver to encrypt for",
                        "máy này chưa được cấp tài khoản nên chưa biết mã hoá cho cơ quan nào")
    chain = ident.chain_for(ident.signing[0])
    receiver = chain[0] if chain else None
    current = in_effect(ws)   # its issuer: the enrolling authority, or the last sender of its round file
    if current is not None and current.issuer:
        above = next((c for c in chain if certs.unit_code_of(c) == current.issuer), None)
        receiver = above if above is not None else receiver
    if receiver is None or not isinstance(receiver.public_key(), ec.EllipticCurvePublicKey):
        raise UserError("the certificate of the authority that enrolled this unit is not here (or has no EC key): "
                        "cannot encrypt", "không có chứng thư (khoá EC) của cơ quan đã cấp tài khoản: không mã hoá được")
    return receiver


def remove_stale(ws: Workspace) -> None:
    """Scratch folders that earlier builds decrypted into, left by a process killed mid-way (called under the
    data directory's writer lock). Nothing is decrypted to a disk any more."""
    for folder in ws.data_dir.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


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


def decryption_for(ws: Workspace, volumes: list[Path], passphrase: Callable[[], str] | None) -> Decryption | None:
    """None for a package that is not encrypted; else the key to read it in place (app.packages.envelope.Decryption),
    unwrapped with this installation's matching key. Refusals are PackageRefused or UserError (one line naming the
    file); the passphrase is asked only here, only for an encrypted file."""
    from app.packages import envelope
    from app.services.trust_service import identity
    from app.trust import certs, keys

    if not is_encrypted(volumes):
        return None
    if passphrase is None:
        raise UserError(f"{volumes[0].name}: the package is encrypted and no passphrase was given to open it",
                        f"{volumes[0].name}: gói được mã hoá nhưng không có mật khẩu để mở")
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
        decryption = envelope.Decryption(env, envelope.unwrap_key(env, index, key))
        decryption.source(src).close()    # the padding checked now: a damaged file is refused before any other check
    return decryption


def once(read: Callable[[], str]) -> Callable[[], str]:
    """A passphrase asked at most once per command, only when an encrypted file needs it."""
    got: list[str] = []

    def ask() -> str:
        if not got:
            got.append(read())
        return got[0]

    return ask
