"""What changed between two revisions of a unit's submission (the aggregator's view of a re-submission):
values, general information, explanations and evidence, per indicator, old → new as the unit entered it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from app.entries.values import decode_parsed, display
from app.errors import UserError
from app.models.tables import Submission
from app.services.workspace import Workspace


@dataclass(frozen=True)
class Change:
    code: str
    what: str            # value | info | explanation | evidence
    old: str | None      # as displayed (decimal comma in Vietnamese); evidence: the file names
    new: str | None


@dataclass(frozen=True)
class RevisionChanges:
    unit_code: str
    older: int | None    # None: the unit has a single revision, nothing to compare
    newer: int
    changes: tuple[Change, ...]


def _shown(raw: object, lang: str) -> str | None:
    return None if raw is None else display(decode_parsed(raw), lang)


def changes_between(older: dict, newer: dict, lang: str = "vi") -> list[Change]:
    """Both arguments are a submission's stored data ({"values": {values, info, explanations}, "evidence"})."""
    out: list[Change] = []
    for section, what in (("values", "value"), ("info", "info"), ("explanations", "explanation")):
        a, b = older["values"].get(section, {}), newer["values"].get(section, {})
        for code in sorted(set(a) | set(b)):
            if a.get(code) != b.get(code):
                if what == "explanation":
                    out.append(Change(code, what, a.get(code), b.get(code)))
                else:
                    out.append(Change(code, what, _shown(a.get(code), lang), _shown(b.get(code), lang)))

    def files(data: dict) -> dict[str, dict[str, str]]:
        got: dict[str, dict[str, str]] = {}
        for e in data.get("evidence") or ():
            got.setdefault(str(e.get("code")), {})[str(e.get("sha256"))] = str(e.get("name"))
        return got

    a_ev, b_ev = files(older), files(newer)
    for code in sorted(set(a_ev) | set(b_ev)):
        before, after = a_ev.get(code, {}), b_ev.get(code, {})
        if set(before) != set(after):
            out.append(Change(code, "evidence", ", ".join(sorted(before.values())) or None,
                              ", ".join(sorted(after.values())) or None))
    return sorted(out, key=lambda c: (c.code, c.what))


def unit_changes(ws: Workspace, unit_code: str, newer: int | None = None, older: int | None = None,
                 lang: str = "vi", round_id: str | None = None) -> RevisionChanges:
    """Changes from `older` (default: the revision before `newer`) to `newer` (default: the latest), in round
    `round_id` (default: the round in effect)."""
    from app.services.rounds import chosen_id

    with ws.store.session() as session:
        rid = round_id if round_id is not None else chosen_id(ws, session)
        rows = {r.revision: json.loads(r.data_json) for r in session.scalars(
            select(Submission).where(Submission.unit_code == unit_code, Submission.framework_id == rid)
            .order_by(Submission.revision))}
    if not rows:
        raise UserError(f"no package of unit {unit_code} was imported here",
                        f"chưa nhập gói nào của đơn vị {unit_code}")
    revisions = sorted(rows)
    newer = revisions[-1] if newer is None else newer
    for wanted in (newer, older):
        if wanted is not None and wanted not in rows:
            known = ", ".join(map(str, revisions))
            raise UserError(f"unit {unit_code} has no imported revision {wanted} (imported: {known})",
                            f"đơn vị {unit_code} không có lần nộp {wanted} (đã nhập: {known})")
    if older is None:
        earlier = [r for r in revisions if r < newer]
        older = earlier[-1] if earlier else None
    if older is None:
        return RevisionChanges(unit_code, None, newer, ())
    return RevisionChanges(unit_code, older, newer, tuple(changes_between(rows[older], rows[newer], lang)))


def round_of_import(ws: Workspace, unit_code: str, revision: int) -> str | None:
    """The round of the submission just recorded for `unit_code` at `revision` (the newest such row): what an
    import's summary of changes compares within, whichever round is in effect."""
    with ws.store.session() as session:
        return session.scalar(select(Submission.framework_id).where(Submission.unit_code == unit_code,
                                                                    Submission.revision == revision)
                              .order_by(Submission.id.desc()).limit(1))
