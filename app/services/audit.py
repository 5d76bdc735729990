"""The audit log (nhật ký): who changed what, when, old -> new and why, each row chained to the
previous row's hash so that rewriting history is detectable (`dti audit verify`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models.tables import AuditEntry

GENESIS = "0" * 64


def row_hash(prev_hash: str, at: str, actor: str, unit_code: str | None, action: str, code: str | None,
             old: str | None, new: str | None, reason: str | None) -> str:
    body = json.dumps([prev_hash, at, actor, unit_code, action, code, old, new, reason], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def append(session: Session, *, at: str, actor: str, action: str, unit_code: str | None = None,
           code: str | None = None, old: str | None = None, new: str | None = None,
           reason: str | None = None) -> None:
    """Add one row in the caller's transaction (so the change and its record commit together). A plain
    INSERT, written at once: the next row's link reads it back (a folder import writes one per package)."""
    prev = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)) or GENESIS
    session.execute(insert(AuditEntry), [dict(
        at=at, actor=actor, unit_code=unit_code, action=action, code=code, old=old, new=new, reason=reason,
        prev_hash=prev, hash=row_hash(prev, at, actor, unit_code, action, code, old, new, reason))])


@dataclass(frozen=True)
class ChainCheck:
    rows: int
    broken_at: int | None      # id of the first row whose hash or link does not hold
    reason: str | None


def verify(session: Session) -> ChainCheck:
    prev = GENESIS
    count = 0
    for row in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if row.prev_hash != prev:
            return ChainCheck(count, row.id, "link to the previous row broken (a row was removed or inserted)")
        expected = row_hash(row.prev_hash, row.at, row.actor, row.unit_code, row.action, row.code, row.old,
                            row.new, row.reason)
        if row.hash != expected:
            return ChainCheck(count, row.id, "row content changed after it was written")
        prev = row.hash
    return ChainCheck(count, None, None)
