"""Round lock (`dti round finalize|reopen`): once a round's results are final, its appraisals and imports are
refused until the round is reopened with a reason; both are recorded in the audit log. Each round has its own
lock (its `state`): finalizing 2025 leaves 2023 as it was."""

from __future__ import annotations

import unicodedata

from app.errors import UserError
from app.models.tables import Round
from app.services import audit
from app.services.workspace import Workspace, stamp


def is_final(ws: Workspace, round_id: str | None = None) -> bool:
    """Whether the round (default: the one in effect) is finalized; False without any round yet."""
    with ws.store.session() as session:
        if round_id is None:
            from app.services.rounds import chosen_id

            round_id = chosen_id(ws, session)
        row = session.get(Round, round_id) if round_id else None
        return row is not None and row.state == "final"


def ensure_open(ws: Workspace, round_id: str | None = None) -> None:
    if is_final(ws, round_id):
        # the action's name, not a command: the same line is shown by the application (its "Mở lại…" button)
        # and the command line (`dti round reopen`)
        raise UserError("the round is finalized: reopen the round, giving a reason, to change results",
                        "đợt đánh giá đã chốt kết quả: hãy mở lại đợt đánh giá (có ghi lý do) để thay đổi")


def _set(ws: Workspace, state: str, reason: str | None) -> str:
    from app.services.rounds import require

    r = require(ws)
    label = f"{r.id} {r.year}"
    with ws.store.session.begin() as session:
        row = session.get(Round, r.id)
        old = row.state
        if old == state:
            return label
        row.state = state
        audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action=f"round.{state}", code=r.id,
                     old=old, new=state, reason=reason)
    return label


def finalize(ws: Workspace) -> str:
    from app.services.appraisal_merge import open_conflicts
    from app.services.rounds import require

    round_id = require(ws).id
    with ws.store.session() as session:
        conflicts = open_conflicts(session, round_id)
    if conflicts:
        first = conflicts[0]
        raise UserError(f"{len(conflicts)} appraisal conflict(s) are open (first: {first.unit_code} {first.code}): "
                        "resolve them (keep one of the two appraisals) before finalizing",
                        f"còn {len(conflicts)} xung đột thẩm định (đầu tiên: {first.unit_code} {first.code}): "
                        "hãy xử lý (chọn một trong hai ý kiến thẩm định) trước khi chốt")
    return _set(ws, "final", None)


def reopen(ws: Workspace, reason: str) -> str:
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if not reason:
        raise UserError("reopening a finalized round needs a reason (--reason)", "mở lại đợt đã chốt cần ghi lý do (--reason)")
    return _set(ws, "open", reason)
