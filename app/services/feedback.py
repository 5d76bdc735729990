"""Feedback (phản hồi thẩm định): the aggregator's appraised points, comments and requests for
explanation, sent to a unit as a signed file of the package construction (format `dti-feedback/1`), and
imported by the unit, whose score then shows self and appraised points side by side.

A feedback file replaces the unit's earlier feedback as a whole, so the unit takes one only from the authority
that enrolled it, only newer than the newest one it took (an older file arriving late, or sent again, would put
back appraisals the authority has since changed), and only when every value in it has the shape the writer
gives it (docs/appraisal.md, "Who may send a return, and replays").
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import UserError
from app.models.tables import Appraisal, Unit
from app.services import audit, identifiers
from app.services.aggregate import _unit_framework, latest_submissions
from app.services.identifiers import BadValue, printable
from app.services.trust_service import identity
from app.services.workspace import Workspace, stamp
from app.trust import certs, keys

FEEDBACK_FORMAT = "dti-feedback/1"
FEEDBACK_DATA = "data/feedback.json"
MAX_FEEDBACK_JSON = 8 << 20
MAX_ITEMS = 10_000        # appraisals in one file: a framework has a few hundred indicators


@dataclass(frozen=True)
class FeedbackImported:
    unit_code: str
    items: int
    requests: int
    status: str = "imported"   # imported | unchanged (this very file was taken before) | would-import (dry run)


def export_feedback(ws: Workspace, unit_code: str, out: Path, passphrase: str) -> int:
    from app.packages import EntrySource, Signer, write_package
    from app.services.appraisal_merge import sequenced_stamp

    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate", "máy này không có chứng thư ký số")
    cert, key_pem = ident.signing
    key = keys.decrypt_key(key_pem, passphrase, certs.unit_code_of(cert))
    fw, group = _unit_framework(ws, unit_code)
    revision = next((r.revision for r in latest_submissions(ws) if r.unit_code == unit_code), None)
    with ws.store.session() as session:
        rows = session.scalars(select(Appraisal).where(Appraisal.round_id == fw.id, Appraisal.unit_code == unit_code)
                               .order_by(Appraisal.code)).all()
        items = [{"code": r.code, "points": r.points, "comment": r.comment,
                  "explanation_requested": r.explanation_requested, "appraiser": r.appraiser, "set_at": r.set_at}
                 for r in rows]
        # after the previous feedback to this unit even within the same second: the unit refuses an older one
        now = sequenced_stamp(session, ws.clock(), "feedback.export", unit_code)
    manifest = {"format": FEEDBACK_FORMAT, "created_at": now, "unit": {"code": unit_code, "group": group},
                "framework": {"id": fw.id}, "about_revision": revision, "from": certs.unit_code_of(cert)}
    body = json.dumps({"appraisals": items}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    write_package(out, manifest, [EntrySource(FEEDBACK_DATA, body)],
                  Signer(cert, key, tuple(ident.chain_for(cert))))
    with ws.store.session.begin() as session:
        audit.append(session, at=now, actor=ws.actor(session), action="feedback.export", unit_code=unit_code, code=fw.id,
                     new=f"{len(items)} items, about revision {revision}")
    return len(items)


def _parent_code(ws: Workspace) -> str | None:
    """Who may send this unit feedback: the authority that issued its signing certificate."""
    ident = identity(ws)
    if ident.signing is None:
        return None
    issuer = ident.chain_for(ident.signing[0])
    return certs.unit_code_of(issuer[0]) if issuer else None


def import_feedback(ws: Workspace, path: Path, dry_run: bool = False) -> FeedbackImported:
    """Verify and check a feedback file, then replace the unit's feedback with it in one transaction. A dry run
    makes every check of the import (the order against earlier feedback too) and stores nothing."""
    from app.packages import PackageRefused, TrustAnchors, read_entry, verify_package
    from app.services.appraisal_merge import is_repeat, taken_before, taken_note
    from app.services.incoming import refusal, strict_json

    path = Path(path)
    file = path.name
    ident = identity(ws)
    if not ident.anchors:
        raise UserError("this installation is not enrolled: it cannot check a feedback file",
                        "máy này chưa được cấp tài khoản nên chưa kiểm tra được tệp phản hồi")

    def check_signed(manifest: dict, signer) -> None:
        if manifest.get("format") != FEEDBACK_FORMAT:
            raise UserError(f"{file} is not a feedback file", f"{file} không phải tệp phản hồi")

    try:
        verified = verify_package(path, TrustAnchors(tuple(ident.anchors)), check_signed=check_signed)
    except PackageRefused as e:
        raise UserError(str(e), e.message_vi) from None
    manifest = verified.manifest
    with ws.store.session() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if own is not None:
            session.expunge(own)
    try:
        unit = manifest.get("unit")
        if not isinstance(unit, dict):
            raise BadValue("the manifest's unit must be an object", "mục unit trong manifest phải là một đối tượng JSON")
        code = identifiers.unit_code(unit.get("code"))
    except BadValue as e:
        raise refusal(file, e) from None
    if own is None or code != own.code:
        raise UserError(f"{file} is feedback for unit {code}, not this unit",
                        f"{file} là phản hồi cho đơn vị {code}, không phải đơn vị này")
    sender = certs.unit_code_of(verified.signer)
    if sender not in ident.authorities_above() or manifest.get("from") != sender:
        shown = printable(str(sender), 60)
        raise UserError(f"{file} was signed by {shown}, not by the authority that enrolled this unit",
                        f"{file} do {shown} ký, không phải cơ quan đã cấp tài khoản cho đơn vị")
    from app.services.rounds import working_in

    try:
        round_id = _round_named(ws, manifest)
    except BadValue as e:
        raise refusal(file, e) from None
    with working_in(ws, round_id):
        state = ws.state()
    fw = state.loaded.framework
    now = stamp(ws.clock())
    try:
        created_at = _manifest_values(manifest, fw.id)
        _entries(verified)
        body = strict_json(read_entry(verified, FEEDBACK_DATA, MAX_FEEDBACK_JSON), FEEDBACK_DATA)
        items = _items(body, fw, state.group, sender, now)
    except BadValue as e:
        raise refusal(file, e) from None
    requests = sum(1 for i in items if i["explanation_requested"])
    sha = hashlib.sha256(verified.manifest_bytes).hexdigest()
    with ws.store.session() as session:
        # per round (rows before rounds name none): a late 2023 feedback is not older than the 2025 one
        newest, seen = taken_before(session, "feedback.import", own.code, codes={round_id, None})
    if is_repeat(file, ("feedback", "phản hồi"), created_at, sha, newest, seen):
        return FeedbackImported(own.code, len(items), requests, "unchanged")
    if dry_run:
        return FeedbackImported(own.code, len(items), requests, "would-import")
    with ws.store.session.begin() as session:
        for row in session.scalars(select(Appraisal).where(Appraisal.round_id == round_id, Appraisal.unit_code == own.code,
                                                           Appraisal.source == "feedback")):
            session.delete(row)
        session.flush()
        for item in items:
            session.add(Appraisal(round_id=round_id, unit_code=own.code, source="feedback", **item))
        audit.append(session, at=now, actor=ws.actor(session), action="feedback.import", unit_code=own.code,
                     code=round_id, new=f"{len(items)} items from {sender}", reason=taken_note(created_at, sha))
    return FeedbackImported(own.code, len(items), requests)


def _round_named(ws: Workspace, manifest: dict) -> str:
    """The round a feedback file is about (its framework's id), which this unit must hold."""
    from app.models.tables import Round

    ref = manifest.get("framework")
    rid = ref.get("id") if isinstance(ref, dict) else None
    if not isinstance(rid, str):
        raise BadValue("the manifest names no framework", "manifest không ghi bộ chỉ số")
    rid = identifiers.unit_code(rid, "framework id", "mã bộ chỉ số")
    with ws.store.session() as session:
        if session.get(Round, rid) is None:
            raise BadValue(f"the feedback is about round {rid}, which this unit does not hold: accept that round's "
                           "file first", f"phản hồi thuộc đợt {rid} mà máy này chưa có: hãy nhận tệp đợt đánh giá đó trước")
    return rid


def _manifest_values(manifest: dict, framework_id: str) -> str:
    """The manifest's time (returned), framework and revision, checked before the time orders anything and the
    items are read against this unit's framework."""
    created_at = manifest.get("created_at")
    identifiers.timestamp(created_at)
    ref = manifest.get("framework")
    if not isinstance(ref, dict) or ref.get("id") != framework_id:
        shown = printable(str(ref.get("id") if isinstance(ref, dict) else ref), 80)
        raise BadValue(f"feedback on framework {shown}, not {framework_id} that this unit scores against",
                       f"phản hồi theo bộ chỉ số {shown}, không phải {framework_id} mà đơn vị đang dùng")
    if manifest.get("about_revision") is not None:
        identifiers.revision(manifest["about_revision"])
    return created_at


def _entries(verified) -> None:
    """Exactly data/feedback.json: anything else listed in the manifest is an entry no feedback file has."""
    unknown = sorted(n for n in verified.entries if n != FEEDBACK_DATA)
    if unknown:
        shown = printable(unknown[0], 120)
        raise BadValue(f"the file carries an entry no feedback file has: {shown}",
                       f"tệp có mục mà tệp phản hồi không có: {shown}")
    if FEEDBACK_DATA not in verified.entries:
        raise BadValue(f"{FEEDBACK_DATA} is missing", f"thiếu {FEEDBACK_DATA}")


def _items(body: Any, fw, group: str, sender: str, now: str) -> list[dict]:
    """data/feedback.json as Appraisal columns: every item an object with the writer's keys, an indicator with points
    of the unit's group appraised once, points within its maximum, text where text goes."""
    from app.services.appraisal_merge import MAX_APPRAISER, MAX_COMMENT, points_text
    from app.services.incoming import fields, flag, listed, text

    fields(body, FEEDBACK_DATA, ("appraisals",))
    out, seen = [], set()
    for n, item in enumerate(listed(body["appraisals"], f"{FEEDBACK_DATA}: appraisals", MAX_ITEMS), start=1):
        where = f"appraisal {n}"
        fields(item, where, ("code", "points", "comment", "explanation_requested"), ("appraiser", "set_at"))
        code = item["code"]
        if not isinstance(code, str) or not fw.has_indicator(code) or not fw.indicator(code).is_leaf \
                or not fw.indicator(code).applies_to(group):
            shown = printable(code if isinstance(code, str) else repr(code), 40)
            raise BadValue(f"{where}: '{shown}' is not an indicator with points of {fw.id} for group {group}",
                           f"{where}: '{shown}' không phải chỉ tiêu chấm điểm của {fw.id} cho nhóm {group}")
        if code in seen:
            raise BadValue(f"{code} is appraised twice", f"chỉ tiêu {code} được thẩm định hai lần")
        seen.add(code)
        where = f"{where} ({code})"
        comment = text(item["comment"], f"{where}: comment", MAX_COMMENT, optional=True)
        appraiser = item.get("appraiser")
        set_at = item.get("set_at")
        if set_at is not None:
            identifiers.timestamp(set_at, "set_at")
        out.append({
            "code": code,
            "points": points_text(item["points"], f"{where}: points", fw.indicator(code).max[group]),
            "comment": unicodedata.normalize("NFC", comment) if comment else None,
            "explanation_requested": flag(item["explanation_requested"], f"{where}: explanation_requested"),
            "appraiser": sender if appraiser is None else identifiers.unit_name(
                appraiser, "appraiser", "người thẩm định", limit=MAX_APPRAISER),
            "set_at": set_at or now,
        })
    return out
