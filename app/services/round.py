"""Round lock (`dti round finalize|reopen`): once the results are final, appraisals and imports are
refused until the round is reopened with a reason; both are recorded in the audit log."""

from __future__ import annotations

import unicodedata

from app.errors import UserError
from app.models.tables import Setting
from app.services import audit
from app.services.workspace import Workspace, stamp


def _key(ws: Workspace) -> tuple[str, str]:
    from app.services.aggregate import authority_framework

    fw, _ = authority_framework(ws)
    return f"round.{fw.id}.{fw.round.year}", f"{fw.id} {fw.round.year}"


def is_final(ws: Workspace) -> bool:
    try:
        key, _ = _key(ws)
    except UserError:
        return False  # nothing enrolled or imported yet: no round to lock
    with ws.store.session() as session:
        return ws.setting(session, key) == "final"


def ensure_open(ws: Workspace) -> None:
    if is_final(ws):
        # the action's name, not a command: the same line is shown by the application (its "Mở lại…" button)
        # and the command line (`dti round reopen`)
        raise UserError("the round is finalized: reopen the round, giving a reason, to change results",
                        "đợt đánh giá đã chốt kết quả: hãy mở lại đợt đánh giá (có ghi lý do) để thay đổi")


def _set(ws: Workspace, state: str, reason: str | None) -> str:
    key, label = _key(ws)
    with ws.store.session.begin() as session:
        old = ws.setting(session, key) or "open"
        if old == state:
            return label
        session.merge(Setting(key=key, value=state))
        audit.append(session, at=stamp(ws.clock()), actor=ws.actor(session), action=f"round.{state}", code=key,
                     old=old, new=state, reason=reason)
    return label


def finalize(ws: Workspace) -> str:
    from app.services.appraisal_merge import open_conflicts

    with ws.store.session() as session:
        conflicts = open_conflicts(session)
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
