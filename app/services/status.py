"""`dti status`: every unit expected in the round and where it stands, with completeness per group and
per district (DESIGN §7; issue: registry and completeness).

States, in order: not submitted · submitted (revision N) · under appraisal (appraised points or comments
exist) · returned for explanation (a feedback file went out after the latest revision) · explained (a new
revision arrived after the feedback) · final (the round is finalized). A unit whose latest submission carries an
official's token signature (issue 19) also shows what the import found of it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.models.tables import Appraisal, AuditEntry, Enrollment, Submission
from app.services.workspace import Workspace

STATE_TEXT = {
    "not_submitted": ("chưa nộp", "not submitted"),
    "submitted": ("đã nộp", "submitted"),
    "under_appraisal": ("đang thẩm định", "under appraisal"),
    "returned": ("chờ giải trình", "returned for explanation"),
    "explained": ("đã giải trình", "explained"),
    "final": ("đã chốt", "final"),
}


@dataclass(frozen=True)
class UnitStatus:
    unit_code: str
    unit_name: str
    group: str
    district: str | None
    state: str
    revision: int | None
    submitted_at: str | None
    late: bool
    # the official's token signature on the latest submission, as stored at import (token_signature.stored)
    token: dict | None = None


def unit_statuses(ws: Workspace, today: date | None = None) -> list[UnitStatus]:
    """Every unit expected in the round in effect (those with a group in it) and every unit that sent a package
    for it."""
    from app.services import rounds

    today = today or datetime.now(UTC).date()
    current = rounds.in_effect(ws)
    if current is None:
        return []
    rid = current.id
    with ws.store.session() as session:
        in_round = rounds.groups_in(session, rid)
        enrolled = {e.unit_code: e for e in session.scalars(select(Enrollment)) if e.unit_code in in_round}
        subs: dict[str, list[Submission]] = defaultdict(list)
        for s in session.scalars(select(Submission).where(Submission.framework_id == rid).order_by(Submission.revision)):
            subs[s.unit_code].append(s)
        appraised = {a.unit_code for a in session.scalars(select(Appraisal).where(Appraisal.round_id == rid))}
        # the order of events per unit, from the audit log (ids, not clock times: two events may share a second);
        # rows written before rounds name none: they belong to the round the upgrade made
        named = (AuditEntry.code == rid) | (AuditEntry.code.is_(None)) if current.origin == "migrated" else \
            AuditEntry.code == rid
        events: dict[str, list[str]] = defaultdict(list)
        for row in session.scalars(select(AuditEntry).where(AuditEntry.action.in_(("feedback.export", "package.import")),
                                                            named).order_by(AuditEntry.id)):
            events[row.unit_code or ""].append(row.action)
    from app.services import token_signature
    from app.services.round_lock import is_final
    from app.services.trust_service import identity

    is_district = identity(ws).issuing is not None
    final = is_final(ws, rid)
    deadline = date.fromisoformat(current.deadline) if current.deadline else \
        ws.frameworks.get(current.ref).framework.round.end
    out = []
    codes = sorted(set(enrolled) | set(subs))
    for code in codes:
        e = enrolled.get(code)
        history = subs.get(code, [])
        latest = history[-1] if history else None
        if latest is not None:
            import json

            manifest = json.loads(latest.manifest_json)
            name, group = manifest["unit"]["name"], manifest["unit"]["group"]
        else:
            name, group = e.unit_name, in_round[code]
        # a commune's district: the bundle it came in, or this installation when it is the district itself
        district = latest.via if latest is not None and latest.via else (
            e.parent_code if e is not None and is_district else None)
        if latest is None:
            state = "not_submitted"
        else:
            seq = events.get(code, [])
            last_feedback = max((i for i, a in enumerate(seq) if a == "feedback.export"), default=None)
            if last_feedback is not None and last_feedback == len(seq) - 1:
                state = "returned"
            elif last_feedback is not None:
                state = "explained"
            elif code in appraised:
                state = "under_appraisal"
            else:
                state = "submitted"
        if final and latest is not None:
            state = "final"
        late = deadline is not None and (today > deadline if latest is None else _sent_on(history[0]) > deadline)
        token = token_signature.stored(latest.data_json) if latest is not None else None
        out.append(UnitStatus(code, name, group, district, state, latest.revision if latest else None,
                              latest.imported_at if latest else None, late, token))
    return out


def _sent_on(first: Submission) -> date:
    """The day a unit first sent its package: the export time in its manifest (in Vietnam, UTC+7),
    not the day someone here got round to importing it."""
    import json
    from datetime import timedelta, timezone

    from app.services.identifiers import BadValue, timestamp

    try:   # checked at import since issue 16; a row stored before may hold year 9999 at -12:00 (it overflowed)
        moment = timestamp(json.loads(first.manifest_json).get("created_at"))
    except BadValue:
        moment = datetime.fromisoformat(first.imported_at.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(timezone(timedelta(hours=7))).date()


def completeness(statuses: list[UnitStatus]) -> dict[str, dict[str, dict[str, int]]]:
    """{"groups": {group: {expected, received, final, late}}, "districts": {district: {...}}}; late counts
    units not submitted by the round's end and units whose first package was sent after it."""
    result: dict[str, dict[str, dict[str, int]]] = {"groups": {}, "districts": {}}
    for s in statuses:
        for key, bucket in (("groups", s.group), ("districts", s.district)):
            if bucket is None:
                continue
            counts = result[key].setdefault(bucket, {"expected": 0, "received": 0, "final": 0, "late": 0})
            counts["expected"] += 1
            counts["received"] += s.state != "not_submitted"
            counts["final"] += s.state == "final"
            counts["late"] += s.late
    return result
