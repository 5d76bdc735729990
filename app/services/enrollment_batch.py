"""Enrolling a whole unit list at once (cấp tài khoản theo danh sách): `dti enroll issue --from UNITS --out DIR`
and the enrollment page's "Nhập danh sách đơn vị…". All or nothing (DESIGN §1, §7).

How "nothing" is kept:
1. Everything that can be checked is checked before the first key is made: the list (app.services.unit_list,
   every bad row named in one refusal), the passphrase (the issuer's keys are opened), the framework, and the
   output folder (no file of the batch there yet). A refusal here has written nothing anywhere.
2. Every enrollment file, `DIR/<code>.dtienroll`, and the one PDF of all sheets, `DIR/phieu-cap-tai-khoan.pdf`,
   are written into a temporary folder beside DIR (the same file system, so that moving them is a rename). No
   sheet is written per unit: each unit's passphrase is printed only on its page of that PDF.
3. One store transaction records every unit (registry row, group in the round, a district's CA, one audit row
   per unit and one for the batch); before it commits, the files are moved into DIR. Any failure rolls the
   transaction back and removes the moved files, the temporary folder and the folders made for DIR.

The store is written only in that one transaction, so a failed batch leaves nothing in it to undo: no
enrollment row to delete, and no audit row to explain (the audit log is append-only; a failed batch never
reached it). The certificates made for a failed batch existed only in the removed files. What may stay is the
framework copied into the data folder (FrameworkStore.keep, which the next enrollment on it writes anyway).
A process killed between the move and the commit leaves files the registry does not know: a new run is then
refused until they are removed, rather than leaving units enrolled without their files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.errors import UserError
from app.models.tables import Enrollment
from app.services import audit, enrollment, unit_list
from app.services.workspace import Workspace, stamp
from app.trust import certs
from app.trust.keys import generate_passphrase

SHEETS_NAME = "phieu-cap-tai-khoan.pdf"
SUFFIX = ".dtienroll"


@dataclass(frozen=True)
class BatchUnit:
    """One unit of the list as enrolled (no passphrase: it is printed on the sheets only)."""

    line: int
    unit_code: str
    unit_name: str
    group: str
    can_issue: bool
    predecessors: tuple[str, ...]
    out: Path
    fingerprint: str              # SHA-256 of the unit's signing certificate, hex


@dataclass(frozen=True)
class BatchResult:
    source: str                   # the list's file name
    framework_id: str
    units: tuple[BatchUnit, ...]  # in the list's order
    sheets: Path                  # the one PDF of every sheet
    ignored_columns: tuple[str, ...]


def enroll_list(ws: Workspace, source: Path, out_dir: Path, *, passphrase: str,
                framework_ref: str | None = None) -> BatchResult:
    """Enroll every unit of the list `source` on `framework_ref` (default: the round in effect's), writing their
    files and the sheets' PDF into `out_dir`; all of them or, on any refusal or failure, none."""
    listed = unit_list.read(Path(source))
    issuer = enrollment.open_issuer(ws, passphrase)
    loaded = enrollment.framework_for(ws, issuer, framework_ref)
    with ws.store.session() as session:
        enrolled = {code.casefold(): code for code in session.scalars(
            select(Enrollment.unit_code).where(Enrollment.revoked_at.is_(None)))}
    units = unit_list.check(listed, loaded.framework, authority=issuer.code, may_issue_others=issuer.province,
                            enrolled=enrolled)
    out_dir = Path(out_dir)
    names = [f"{u.code}{SUFFIX}" for u in units] + [SHEETS_NAME]
    _check_folder(out_dir, names)
    try:
        issued = _write_all(ws, issuer, loaded, listed, units, out_dir, names)
    except OSError as e:
        raise UserError(f"cannot write into {out_dir} ({e.strerror or e}); nothing was issued",
                        f"không ghi được vào {out_dir} ({e.strerror or e}); chưa cấp đơn vị nào") from None
    return BatchResult(listed.source, loaded.framework.id, tuple(
        BatchUnit(u.line, u.code, u.name, u.group, u.can_issue, u.predecessors, out_dir / f"{u.code}{SUFFIX}",
                  certs.fingerprint(i.signing)) for u, i in zip(units, issued, strict=True)),
        out_dir / SHEETS_NAME, listed.ignored_columns)


def _check_folder(out_dir: Path, names: list[str]) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{out_dir} is a file: --out names a folder when enrolling a list",
                        f"{out_dir} là một tệp: khi cấp theo danh sách, --out là một thư mục")
    if not out_dir.is_dir():
        return
    # compared without case: Windows and USB sticks (FAT) do not tell X1.dtienroll from x1.dtienroll
    present = {p.name.casefold(): p.name for p in out_dir.iterdir()}
    clash = [present[n.casefold()] for n in names if n.casefold() in present]
    if clash:
        shown = ", ".join(clash[:5]) + (f" (+{len(clash) - 5})" if len(clash) > 5 else "")
        raise UserError(f"{out_dir} already holds {shown}: choose an empty folder; nothing was issued",
                        f"thư mục {out_dir} đã có {shown}: hãy chọn thư mục trống; chưa cấp đơn vị nào")


def _write_all(ws: Workspace, issuer: enrollment.Issuer, loaded, listed: unit_list.UnitList,
               units: list[unit_list.UnitToEnroll], out_dir: Path, names: list[str]) -> list[enrollment.Issued]:
    from app.atomicfile import fsync_dir, make_dirs, remove_empty_dirs, remove_tree
    from app.reports.enrollment_sheet import write_enrollment_sheets

    made = make_dirs(out_dir.parent)
    moved: list[Path] = []
    temp: Path | None = None
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".part", dir=out_dir.parent))
        now = ws.clock()   # one moment for the whole list: the sheets and the registry say the same day
        issued = [enrollment.write_file(issuer, loaded, unit_code=u.code, unit_name=u.name, group=u.group,
                                        can_issue=u.can_issue, unit_passphrase=generate_passphrase(),
                                        predecessors=u.predecessors, now=now, out=temp / f"{u.code}{SUFFIX}")
                  for u in units]
        write_enrollment_sheets(temp / SHEETS_NAME, [
            enrollment.sheet_of(issuer, loaded, i, enrollment_file=i.out.name) for i in issued], lang=ws.lang)
        with ws.store.session.begin() as session:
            enrollment.open_round(session, ws, issuer, loaded)
            for one in issued:
                enrollment.record(session, ws, issuer, loaded, one)
            audit.append(session, at=stamp(now), actor=ws.actor(session), action="enroll.batch",
                         code=loaded.framework.id, new=f"{len(issued)} units from {listed.source} "
                                                       f"(sha256 {listed.sha256[:16]}) | {SHEETS_NAME}")
            session.flush()   # a refusal of the store comes before any file is in DIR
            made += make_dirs(out_dir)
            for name in names:
                target = out_dir / name
                if target.exists():   # written there meanwhile: never replace a file the officer did not give us
                    raise FileExistsError(0, "file exists", str(target))
                os.replace(temp / name, target)
                moved.append(target)
            fsync_dir(out_dir)
        return issued
    except BaseException:
        for path in moved:
            with contextlib.suppress(OSError):
                path.unlink()
        if temp is not None:
            with contextlib.suppress(OSError):   # never hide the failure that brought us here
                remove_tree(temp)
            temp = None
        remove_empty_dirs(made)   # the folders made for DIR, once empty again
        raise
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                remove_tree(temp)
