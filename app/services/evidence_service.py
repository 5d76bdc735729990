"""Evidence of the own unit: attach, remove, list, and the checks that read it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from app.models.tables import Attachment, EvidenceFile, Unit
from app.services.checks import Finding, find_problems
from app.services.workspace import Workspace


@dataclass(frozen=True)
class StoredProblem:
    code: str
    vi: str
    en: str


@dataclass(frozen=True)
class AttachedEvidence:
    code: str
    name: str
    sha256: str
    size: int
    kind: str
    pages: int | None
    problems: tuple[StoredProblem, ...]
    signatures: tuple[dict, ...]


def attached(ws: Workspace) -> list[AttachedEvidence]:
    with ws.store.session() as session:
        unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if unit is None:
            return []
        rows = session.execute(select(Attachment, EvidenceFile).join(EvidenceFile)
                               .where(Attachment.unit_id == unit.id).order_by(Attachment.code, Attachment.id))
        out = []
        for att, ev in rows:
            inspection = json.loads(ev.inspection_json)
            problems = tuple(StoredProblem(p["code"], p["vi"], p["en"]) for p in inspection.get("problems", []))
            out.append(AttachedEvidence(att.code, att.name, ev.sha256, ev.size, ev.kind, ev.pages, problems,
                                        tuple(inspection.get("signatures", []))))
        return out


def check_unit(ws: Workspace) -> list[Finding]:
    state = ws.state()
    by_code: dict[str, list[AttachedEvidence]] = {}
    for item in attached(ws):
        by_code.setdefault(item.code, []).append(item)
    return find_problems(state, ws.score(state), by_code)
