"""Merging appraisals that arrive from elsewhere (a department's return file, a district's bundle) with
the ones held here, and the conflicts that merging can find.

The rule: an appraisal from the same source replaces its own earlier version; an incoming appraisal that
agrees with the one in force (same points) changes nothing; one that disagrees with an appraisal from
another source becomes a conflict, the appraisal in force stays until a person resolves it
(`dti appraise resolve`, or `dti appraise set` on that indicator). Two appraisers disagreeing is never
settled by the order in which files happened to be imported.

Also the order of signed appraisal files from one sender (`sequenced_stamp` when writing, `is_repeat` when
reading): an older file is refused as a replay. What was taken is read back from the audit rows of the imports
(`taken_note`, `taken_before`): append-only and chained, they need no table of their own.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.models.tables import Appraisal, AppraisalConflict, AuditEntry
from app.services import audit
from app.services.identifiers import BadValue, printable
from app.services.workspace import stamp

MAX_COMMENT = 10_000      # characters of an appraiser's comment (a bundle's limit too)
MAX_APPRAISER = 1_000     # characters of "officer (department)": `dti config set` limits neither part
MAX_POINTS_TEXT = 32      # the points column's width


@dataclass(frozen=True)
class Incoming:
    """One appraisal as it arrives: already checked against the framework by the caller."""

    round_id: str
    unit_code: str
    code: str
    points: str | None
    comment: str | None
    explanation_requested: bool
    appraiser: str
    source: str
    set_at: str


@dataclass(frozen=True)
class Conflict:
    id: int
    unit_code: str
    code: str
    current_points: str | None
    current_appraiser: str
    current_source: str
    points: str | None
    appraiser: str
    source: str
    comment: str | None
    detected_at: str


def checked_points(raw: object, maximum: Decimal) -> str | None:
    """Incoming points as the canonical text stored, or ValueError: None stays None (a comment only). At most
    MAX_POINTS_TEXT characters with a small exponent, so that '1e-999999999' cannot reach the store."""
    if raw is None:
        return None
    text = str(raw)
    try:
        value = Decimal(text) if len(text) <= MAX_POINTS_TEXT else None
    except (InvalidOperation, TypeError):
        value = None
    if value is None or not value.is_finite() or not -20 <= value.as_tuple().exponent <= 20:
        raise ValueError(f"'{printable(text, 40)}' is not a number")
    if not 0 <= value <= maximum:
        raise ValueError(f"{printable(text, 40)} is outside 0..{maximum}")
    return str(value)


def _same_points(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is b
    return Decimal(a) == Decimal(b)


def merge(session: Session, item: Incoming, *, at: str, actor: str) -> str:
    """Apply one incoming appraisal in the caller's transaction: 'new', 'updated', 'same' or 'conflict'."""
    row = session.scalars(select(Appraisal).where(Appraisal.round_id == item.round_id,
                                                  Appraisal.unit_code == item.unit_code,
                                                  Appraisal.code == item.code)).first()
    if row is None:
        session.add(Appraisal(round_id=item.round_id, unit_code=item.unit_code,
                              code=item.code, points=item.points, comment=item.comment,
                              explanation_requested=item.explanation_requested, appraiser=item.appraiser,
                              source=item.source, set_at=item.set_at))
        audit.append(session, at=at, actor=actor, action="appraise.merge", unit_code=item.unit_code, code=item.code,
                     old=None, new=item.points, reason=f"{item.source}: {item.appraiser}")
        return "new"
    if row.source == item.source:
        if (row.points, row.comment, row.explanation_requested) == (item.points, item.comment, item.explanation_requested):
            return "same"
        audit.append(session, at=at, actor=actor, action="appraise.merge", unit_code=item.unit_code, code=item.code,
                     old=row.points, new=item.points, reason=f"{item.source}: {item.appraiser}")
        row.points, row.comment, row.explanation_requested = item.points, item.comment, item.explanation_requested
        row.appraiser, row.set_at = item.appraiser, item.set_at
        return "updated"
    if _same_points(row.points, item.points):
        if item.comment and not row.comment:   # agreement: keep the one in force, take a comment it lacked
            row.comment = item.comment
        row.explanation_requested = row.explanation_requested or item.explanation_requested
        return "same"
    pending = session.scalars(select(AppraisalConflict).where(
        AppraisalConflict.round_id == item.round_id, AppraisalConflict.unit_code == item.unit_code,
        AppraisalConflict.code == item.code,
        AppraisalConflict.source == item.source, AppraisalConflict.resolved_at.is_(None))).all()
    for old in pending:
        if _same_points(old.points, item.points) and old.comment == item.comment:
            return "conflict"            # the same file imported again: the conflict is already recorded
        old.resolved_at, old.resolution = at, "superseded"   # the same appraiser changed their mind since
    session.add(AppraisalConflict(round_id=item.round_id, unit_code=item.unit_code,
                                  code=item.code, points=item.points, comment=item.comment,
                                  explanation_requested=item.explanation_requested, appraiser=item.appraiser,
                                  source=item.source, set_at=item.set_at, current_points=row.points,
                                  current_appraiser=row.appraiser, current_source=row.source, detected_at=at))
    audit.append(session, at=at, actor=actor, action="appraise.conflict", unit_code=item.unit_code, code=item.code,
                 old=row.points, new=item.points, reason=f"{row.source} ({row.appraiser}) ≠ {item.source} ({item.appraiser})")
    return "conflict"


def open_conflicts(session: Session, round_id: str, unit_code: str | None = None) -> list[Conflict]:
    query = select(AppraisalConflict).where(AppraisalConflict.round_id == round_id,
                                            AppraisalConflict.resolved_at.is_(None))
    if unit_code is not None:
        query = query.where(AppraisalConflict.unit_code == unit_code)
    return [Conflict(c.id, c.unit_code, c.code, c.current_points, c.current_appraiser, c.current_source, c.points,
                     c.appraiser, c.source, c.comment, c.detected_at)
            for c in session.scalars(query.order_by(AppraisalConflict.unit_code, AppraisalConflict.code,
                                                    AppraisalConflict.id))]


def settle_by_set(session: Session, round_id: str, unit_code: str, code: str, at: str) -> int:
    """An appraiser set the indicator here: every open conflict on it is settled by that decision."""
    rows = session.scalars(select(AppraisalConflict).where(
        AppraisalConflict.round_id == round_id, AppraisalConflict.unit_code == unit_code, AppraisalConflict.code == code,
        AppraisalConflict.resolved_at.is_(None))).all()
    for c in rows:
        c.resolved_at, c.resolution = at, "set"
    return len(rows)


def resolve(session: Session, round_id: str, unit_code: str, code: str, take: str, *, at: str, actor: str,
            reason: str | None) -> int:
    """Settle the open conflicts of one indicator: keep the appraisal in force ('current') or take the
    incoming one ('incoming'; with several, the one detected last). Returns how many were settled."""
    rows = session.scalars(select(AppraisalConflict).where(
        AppraisalConflict.round_id == round_id, AppraisalConflict.unit_code == unit_code,
        AppraisalConflict.code == code, AppraisalConflict.resolved_at.is_(None)).order_by(AppraisalConflict.id)).all()
    if not rows:
        raise UserError(f"{unit_code} {code}: no open appraisal conflict", f"{unit_code} {code}: không có xung đột thẩm định nào")
    row = session.scalars(select(Appraisal).where(Appraisal.round_id == round_id, Appraisal.unit_code == unit_code,
                                                  Appraisal.code == code)).first()
    old = None if row is None else row.points
    if take == "incoming":
        chosen = rows[-1]
        if row is None:
            row = Appraisal(round_id=round_id, unit_code=unit_code, code=code, appraiser="", source="", set_at=at,
                            explanation_requested=False)
            session.add(row)
        row.points, row.comment, row.explanation_requested = chosen.points, chosen.comment, chosen.explanation_requested
        row.appraiser, row.source, row.set_at = chosen.appraiser, chosen.source, chosen.set_at
    for c in rows:
        c.resolved_at, c.resolution = at, take
    audit.append(session, at=at, actor=actor, action="appraise.resolve", unit_code=unit_code, code=code,
                 old=old, new=None if row is None else row.points, reason=f"{take}" + (f": {reason}" if reason else ""))
    return len(rows)


def sequenced_stamp(session: Session, moment: datetime, action: str, unit_code: str | None = None) -> str:
    """The created_at of a file this installation signs: its clock, but always after the previous file of the same
    kind (the audit rows of `action`), because receivers refuse a file not newer than the last one they took:
    two exports within one second, or a clock set back, must still come out in order."""
    query = select(func.max(AuditEntry.at)).where(AuditEntry.action == action)
    if unit_code is not None:
        query = query.where(AuditEntry.unit_code == unit_code)
    last, now = session.scalar(query), stamp(moment)
    if last and last >= now:
        try:
            return stamp(datetime.fromisoformat(last.replace("Z", "+00:00")) + timedelta(seconds=1))
        except ValueError:
            return now
    return now


def is_repeat(file: str, what: tuple[str, str], created_at: str, sha256: str, newest: str | None,
              seen: Iterable[str]) -> bool:
    """The order of signed files from one sender (feedback at a unit, a department's returns): True when this very
    manifest was imported before (nothing to do); a refusal naming both times when it is not newer than the
    newest one taken (an older file sent again, or another file with the same time); False when it is newer."""
    if sha256 in set(seen):
        return True
    if newest is None:
        return False
    from app.services.identifiers import timestamp

    mine, last = timestamp(created_at), timestamp(newest)
    en, vi = what
    if mine < last:
        raise UserError(f"{file}: this {en} was created at {created_at}, before the {en} of {newest} already imported "
                        "here: an older file is not taken again",
                        f"{file}: {vi} này lập lúc {created_at}, trước {vi} lập lúc {newest} đã nhập: không nhận lại tệp cũ")
    if mine == last:
        raise UserError(f"{file}: a {en} created at {created_at} was already imported here with other content: "
                        f"this one is refused",
                        f"{file}: đã nhập một {vi} lập lúc {created_at} với nội dung khác: không nhận tệp này")
    return False


def points_text(value: object, where: str, maximum: Decimal) -> str | None:
    """Appraised points as they travel: text (the store's canonical form) or null, within 0..maximum."""
    if value is not None and not isinstance(value, str):
        raise BadValue(f"{where} must be text or null", f"{where} phải là văn bản hoặc null")
    try:
        return checked_points(value, maximum)
    except ValueError as e:
        raise BadValue(f"{where}: {e}", f"{where}: điểm không hợp lệ ({e})") from None


_TAKEN = re.compile(r"file created (\S{1,40}), manifest ([0-9a-f]{64})")


def taken_note(created_at: str, manifest_sha256: str) -> str:
    """The audit reason of an import of a signed file from another installation: the file's own time and the
    SHA-256 of its manifest, which `taken_before` reads back to order the next file from the same sender."""
    return f"file created {created_at}, manifest {manifest_sha256}"


def taken_before(session: Session, action: str, sender: str, codes: Collection[str] | None = None
                 ) -> tuple[str | None, set[str]]:
    """(created_at of the newest, the manifest SHA-256 of every one) of the files imported here from `sender`, as
    the audit rows of `action` recorded them (`taken_note`); with `codes`, only rows whose code is one of them
    (a department's returns: the work files issued for that department). Rows written before the note existed
    order nothing."""
    from app.services.identifiers import timestamp

    query = select(AuditEntry.code, AuditEntry.reason).where(AuditEntry.action == action,
                                                             AuditEntry.unit_code == sender)
    newest, newest_at, seen = None, None, set()
    for code, reason in session.execute(query):
        got = _TAKEN.fullmatch(reason or "")
        if got is None or (codes is not None and code not in codes):
            continue
        seen.add(got[2])
        try:
            at = timestamp(got[1])
        except BadValue:
            continue
        if newest_at is None or at > newest_at:
            newest, newest_at = got[1], at
    return newest, seen
