"""What an aggregator keeps of the packages it received (DESIGN §6, §8): the content-addressed evidence
store, and each received package as a *skeleton* (app/packages/skeleton.py: the package without the
evidence bytes the store holds) under received/<unit>/, reassembled byte for byte when a bundle forwards it
or an auditor asks for it (`dti package received`).

The checks before anything is kept are app.services.package_import's; this module only writes, repairs
and reads back. Every write is atomic, and a skeleton is staged as `.<name>.pending` and takes its final
name only after the transaction recording it commits (`publish_archive`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from sqlalchemy import select

from app.atomicfile import atomic_output, fsync_dir, make_read_only, make_writable
from app.errors import UserError
from app.models.tables import Submission
from app.services.evidence_service import evidence_path
from app.services.workspace import Workspace


def remove_stale_parts(ws: Workspace) -> None:
    """The temporary files (`.<name>.<random>.part`) of an import killed in the middle of a copy. This process
    holds the data directory's writer lock, so no other writer can be using them. (A staged archive,
    `.<name>.pending`, is kept: `repair_archive` finishes it.)"""
    for folder in ("evidence", "received"):
        for part in (ws.data_dir / folder).glob("*/.*.part"):
            part.unlink(missing_ok=True)


def stored_path(ws: Workspace, entry_name: str) -> Path:
    """Where an evidence entry (evidence/<sha256>.<ext>) lives in this store."""
    sha, _, ext = entry_name.removeprefix("evidence/").partition(".")
    return evidence_path(ws.data_dir, sha, ext)


def evidence_to_store(ws: Workspace, verified, *, deep: bool = False) -> dict[str, Path]:
    """The evidence entries of a package this store must (re)write, name -> store path: those it lacks or
    holds with another size (a stat each, on every import), and with `deep` also those whose bytes no longer
    match the SHA-256 they are named by (each read and hashed: a package imported again). A received package
    is kept as a skeleton that needs these files to be forwarded byte for byte."""
    from app.packages.names import evidence_hash

    out = {}
    for name, info in verified.entries.items():
        if not name.startswith("evidence/"):
            continue
        path = stored_path(ws, name)
        try:
            size = path.stat().st_size
        except OSError:
            out[name] = path
            continue
        if size != info.size or (deep and _file_sha256(path) != evidence_hash(name)):
            out[name] = path
    return out


def _file_sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def restore(verified, damaged: dict[str, Path]) -> None:
    """Evidence the store lost or altered, written again from a package already imported (its content was
    inspected when first stored: the same SHA-256 is the same file)."""
    from app.packages import staged_entries

    if damaged:
        with staged_entries(verified, damaged):
            pass


def archive(ws: Workspace, verified, code: str, revision: int, manifest_sha: str) -> tuple[str, str]:
    """Stage the verified original as received/<unit>/.<name>.pending, read-only: its skeleton
    (app.packages.skeleton), the package without the evidence the store holds. It takes its final name only
    after the transaction recording it commits (`publish_archive`), so no received file ever exists without
    its submission row. Returns (name relative to the data directory, SHA-256 of the package)."""
    return stage(ws, verified, archive_target(ws, code, revision, manifest_sha))


def stage(ws: Workspace, verified, target: Path) -> tuple[str, str]:
    from app.packages import skeleton

    name = str(target.relative_to(ws.data_dir))
    if target.exists():   # already published (an import killed between the rename and its chmod)
        return name, archived_sha256(target)
    pending = _pending(target)
    if pending.exists():
        make_writable(pending)   # a killed import's stage: written again
    with atomic_output(pending) as out, verified.open() as src:
        if target.suffix == skeleton.SUFFIX:
            digest = skeleton.write_skeleton(src, skeleton.holes_of(verified.entries), out)
        else:   # recorded by an earlier version, which kept whole copies: repaired as one
            digest = src.sha256(0, src.size, out.write)
    make_read_only(pending)
    return name, digest


def received_package(ws: Workspace, submission):
    """The bytes of a received package exactly as they arrived, for whoever forwards it (a bundle): a path to
    a whole copy (kept by earlier versions), or a callable streaming the skeleton reassembled from the
    evidence store, which raises `UserError` if the store no longer holds what the import recorded.
    `submission` is its row (archived_name, package_sha256, unit_code, revision): a skeleton that promises
    another package than the one the import recorded is refused."""
    from app.packages import skeleton

    path = ws.data_dir / submission.archived_name
    if path.suffix != skeleton.SUFFIX:
        return path
    code, revision, expected = submission.unit_code, submission.revision, submission.package_sha256

    def stream():
        try:
            if skeleton.read_header(path)[1] != expected:
                raise skeleton.SkeletonDamaged(f"{path.name}: not the package recorded at its import",
                                               f"{path.name}: không phải gói đã ghi nhận khi nhập")
            yield from skeleton.reassemble(path, lambda entry: stored_path(ws, entry))
        except skeleton.SkeletonDamaged as e:
            raise UserError(f"the package of unit {code} revision {revision} received here cannot be reassembled "
                            f"({e}): import that package file again to repair this data directory",
                            f"không dựng lại được gói đã nhận của đơn vị {code} lần {revision} ({e.message_vi}): "
                            "hãy nhập lại tệp gói đó để sửa thư mục dữ liệu này") from None

    return stream


def write_received(ws: Workspace, unit_code: str, revision: int | None, out: Path) -> int:
    """`dti package received`: a unit's package byte for byte as it arrived here (its latest revision unless
    `revision` says), for an auditor or `openssl cms -verify`. Returns the revision written. Atomic: on any
    failure `out` is left as it was."""
    import shutil

    from app.services.rounds import chosen_id

    with ws.store.session() as session:
        query = select(Submission).where(Submission.unit_code == unit_code,
                                         Submission.framework_id == chosen_id(ws, session))
        if revision is not None:
            query = query.where(Submission.revision == revision)
        row = session.scalars(query.order_by(Submission.revision.desc())).first()
    if row is None:
        which = f" revision {revision}" if revision is not None else ""
        which_vi = f" lần {revision}" if revision is not None else ""
        raise UserError(f"no package of unit {unit_code}{which} has been imported here",
                        f"chưa nhập gói nào của đơn vị {unit_code}{which_vi} tại đây")
    source = received_package(ws, row)
    try:
        with atomic_output(Path(out)) as handle:
            if callable(source):
                for chunk in source():
                    handle.write(chunk)
            else:
                with open(source, "rb") as kept:
                    shutil.copyfileobj(kept, handle, 1 << 20)
    except OSError as e:
        raise UserError(f"cannot write {Path(out).name} or read the received package ({e.strerror})",
                        f"không ghi được {Path(out).name} hoặc không đọc được gói đã nhận ({e.strerror})") from None
    return row.revision


def archived_sha256(path: Path) -> str:
    from app.packages import skeleton

    if path.suffix == skeleton.SUFFIX:
        return skeleton.read_header(path)[1]
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def archive_target(ws: Workspace, code: str, revision: int, manifest_sha: str) -> Path:
    from app.packages.skeleton import SUFFIX

    return ws.data_dir / "received" / code / f"{code}-r{revision}-{manifest_sha[:12]}{SUFFIX}"


def repair_archive(ws: Workspace, verified, code: str, revision: int) -> None:
    """An import killed after its commit but before the archive took its final name: finish it now."""
    manifest_sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
    with ws.store.session() as session:
        row = session.scalars(select(Submission).where(Submission.unit_code == code, Submission.revision == revision,
                                                       Submission.manifest_sha256 == manifest_sha)).first()
    if row is None or (ws.data_dir / row.archived_name).exists():
        return
    if not _pending(ws.data_dir / row.archived_name).exists():
        stage(ws, verified, ws.data_dir / row.archived_name)
    publish_archive(ws, row.archived_name)


def _pending(target: Path) -> Path:
    return target.with_name(f".{target.name}.pending")


def publish_archive(ws: Workspace, archived_name: str) -> None:
    """Give a staged archive its final name (after its row committed), and keep it read-only."""
    target = ws.data_dir / archived_name
    pending = _pending(target)
    if not target.exists() and pending.exists():
        os.replace(pending, target)
        fsync_dir(target.parent)
    if target.exists():
        make_read_only(target)   # also when a killed import left it before its chmod


def discard_staged(ws: Workspace, code: str, revision: int, manifest_sha: str) -> None:
    """A refused package's staged skeleton removed (unless an earlier import already published it)."""
    target = archive_target(ws, code, revision, manifest_sha)
    if not target.exists():
        pending = _pending(target)
        if pending.exists():
            make_writable(pending)
            pending.unlink(missing_ok=True)
        for folder in (target.parent, target.parent.parent):   # the unit's folder and received/, when empty:
            with contextlib.suppress(OSError):                 # a refused import leaves no folder behind
                folder.rmdir()
