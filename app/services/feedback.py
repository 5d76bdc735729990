"""Feedback (phản hồi thẩm định): the aggregator's appraised points, comments and requests for
explanation, sent to a unit as a signed file of the package construction (format `dti-feedback/1`), and
imported by the unit, whose score then shows self and appraised points side by side."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.errors import UserError
from app.models.tables import Appraisal, Unit
from app.services import audit
from app.services.aggregate import _unit_framework, latest_submissions
from app.services.trust_service import identity
from app.services.workspace import Workspace, stamp
from app.trust import certs, keys

FEEDBACK_FORMAT = "dti-feedback/1"


@dataclass(frozen=True)
class FeedbackImported:
    unit_code: str
    items: int
    requests: int


def export_feedback(ws: Workspace, unit_code: str, out: Path, passphrase: str) -> int:
    from app.packages import EntrySource, Signer, write_package

    ident = identity(ws)
    if ident.signing is None:
        raise UserError("this installation has no signing certificate", "máy này không có chứng thư ký số")
    cert, key_pem = ident.signing
    key = keys.decrypt_key(key_pem, passphrase)
    fw, group = _unit_framework(ws, unit_code)
    revision = next((r.revision for r in latest_submissions(ws) if r.unit_code == unit_code), None)
    with ws.store.session() as session:
        rows = session.scalars(select(Appraisal).where(Appraisal.unit_code == unit_code).order_by(Appraisal.code)).all()
        items = [{"code": r.code, "points": r.points, "comment": r.comment,
                  "explanation_requested": r.explanation_requested, "appraiser": r.appraiser, "set_at": r.set_at}
                 for r in rows]
    now = stamp(ws.clock())
    manifest = {"format": FEEDBACK_FORMAT, "created_at": now, "unit": {"code": unit_code, "group": group},
                "framework": {"id": fw.id}, "about_revision": revision, "from": certs.unit_code_of(cert)}
    body = json.dumps({"appraisals": items}, ensure_ascii=False, sort_keys=True).encode("utf-8")
    write_package(out, manifest, [EntrySource("data/feedback.json", body)],
                  Signer(cert, key, tuple(ident.chain_for(cert))))
    with ws.store.session.begin() as session:
        audit.append(session, at=now, actor=ws.actor(session), action="feedback.export", unit_code=unit_code,
                     new=f"{len(items)} items, about revision {revision}")
    return len(items)


def _parent_code(ws: Workspace) -> str | None:
    """Who may send this unit feedback: the authority that issued its signing certificate."""
    ident = identity(ws)
    if ident.signing is None:
        return None
    issuer = ident.chain_for(ident.signing[0])
    return certs.unit_code_of(issuer[0]) if issuer else None


def import_feedback(ws: Workspace, path: Path) -> FeedbackImported:
    from app.packages import PackageRefused, TrustAnchors, read_entry, verify_package

    path = Path(path)
    ident = identity(ws)
    if not ident.anchors:
        raise UserError("this installation is not enrolled: it cannot check a feedback file",
                        "máy này chưa được cấp tài khoản nên chưa kiểm tra được tệp phản hồi")
    try:
        verified = verify_package(path, TrustAnchors(tuple(ident.anchors)))
    except PackageRefused as e:
        raise UserError(str(e), e.message_vi) from None
    manifest = verified.manifest
    if manifest.get("format") != FEEDBACK_FORMAT:
        raise UserError(f"{path.name} is not a feedback file", f"{path.name} không phải tệp phản hồi")
    with ws.store.session() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
    if own is None or (manifest.get("unit") or {}).get("code") != own.code:
        raise UserError(f"{path.name} is feedback for unit {(manifest.get('unit') or {}).get('code')}, not this unit",
                        f"{path.name} là phản hồi cho đơn vị {(manifest.get('unit') or {}).get('code')}, không phải đơn vị này")
    sender = certs.unit_code_of(verified.signer)
    if sender != _parent_code(ws) or manifest.get("from") != sender:
        raise UserError(f"{path.name} was signed by {sender}, not by the authority that enrolled this unit",
                        f"{path.name} do {sender} ký, không phải cơ quan đã cấp tài khoản cho đơn vị")
    try:
        items = json.loads(read_entry(verified, "data/feedback.json", 8 << 20))["appraisals"]
        state = ws.state()
        fw = state.loaded.framework
        for item in items:
            if not fw.has_indicator(item["code"]):
                raise ValueError(f"unknown code {item['code']}")
            if item["points"] is not None:
                from decimal import Decimal

                value = Decimal(item["points"])
                if not 0 <= value <= fw.indicator(item["code"]).max[state.group]:
                    raise ValueError(f"{item['code']}: points outside the maximum")
    except (ValueError, KeyError, TypeError, ArithmeticError) as e:
        raise UserError(f"{path.name}: the feedback data is not valid: {e}",
                        f"{path.name}: dữ liệu phản hồi không hợp lệ: {e}") from None
    now = stamp(ws.clock())
    with ws.store.session.begin() as session:
        for row in session.scalars(select(Appraisal).where(Appraisal.unit_code == own.code,
                                                           Appraisal.source == "feedback")):
            session.delete(row)
        session.flush()
        for item in items:
            session.add(Appraisal(unit_code=own.code, code=item["code"], points=item["points"], comment=item["comment"],
                                  explanation_requested=bool(item["explanation_requested"]),
                                  appraiser=str(item.get("appraiser") or sender), source="feedback",
                                  set_at=str(item.get("set_at") or now)))
        audit.append(session, at=now, actor=ws.actor(session), action="feedback.import", unit_code=own.code,
                     new=f"{len(items)} items from {sender}")
    return FeedbackImported(own.code, len(items), sum(1 for i in items if i["explanation_requested"]))
