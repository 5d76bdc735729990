"""Carry-over between rounds: when a unit starts a new round, its general information (thông tin chung) of the
previous round is offered as proposals, never silently copied (issue 18).

A proposal is an info field of the round in effect that has no value yet, whose code the unit answered in its
previous round (the latest round before this one, by year, that it holds entries for), with a value the new
framework accepts for that field. Taking a proposal writes it like any typed value, with the audit reason
"carried over from <round>". Indicator values are not proposed: they are the year's own results. Evidence is
never copied either; a file attached again is stored once (the evidence store is addressed by content hash).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.entries.values import decode, display, parse_entry
from app.errors import UserError
from app.models.tables import Entry, Round
from app.services.workspace import Workspace


@dataclass(frozen=True)
class Proposal:
    code: str
    title: str
    value: Any
    shown: str             # the value as a person reads it
    from_round: str
    from_year: int


def _previous_round(ws: Workspace, unit_id: int, current: str, year: int) -> tuple[str, int] | None:
    """(id, year) of the latest round before `year` in which the own unit has entries."""
    with ws.store.session() as session:
        ids = set(session.scalars(select(Entry.round_id).where(Entry.unit_id == unit_id, Entry.round_id != current,
                                                               Entry.value_json.is_not(None)).distinct()))
        rows = [session.get(Round, rid) for rid in ids]
    best = None
    for row in rows:
        if row is None:
            continue
        y = ws.frameworks.get(f"{row.id}@{row.framework_sha256}").framework.round.year
        if y < year and (best is None or y > best[1]):
            best = (row.id, y)
    return best


def proposals(ws: Workspace) -> list[Proposal]:
    """What the previous round's general information offers the round in effect (empty when nothing)."""
    state = ws.state()
    fw = state.loaded.framework
    with ws.store.session() as session:
        unit = ws.own_unit(session)
        unit_id = unit.id
    previous = _previous_round(ws, unit_id, state.round_id, fw.round.year)
    if previous is None:
        return []
    rid, year = previous
    with ws.store.session() as session:
        old = {row.code: row.value_json for row in session.scalars(select(Entry).where(
            Entry.unit_id == unit_id, Entry.round_id == rid, Entry.value_json.is_not(None)))}
    out = []
    for field in fw.info:
        if not field.applies_to(state.group) or field.code in state.info or field.code not in old:
            continue
        value = decode(old[field.code])
        try:   # the new framework's rules for the field (its type may have changed): an unfit value is not offered
            _kind, typed = parse_entry(fw, state.group, field.code, _as_typed_text(value), state.info, "en")
        except UserError:
            continue
        out.append(Proposal(field.code, field.title, typed, display(typed, ws.lang), rid, year))
    return out


def _as_typed_text(value: Any) -> Any:
    """A stored value as an entry would type it (numbers in the English style the parser is told to read)."""
    if isinstance(value, bool) or value is None:
        return value
    return str(value) if not isinstance(value, (dict, list)) else json.dumps(value, ensure_ascii=False)


def take(ws: Workspace, codes: list[str] | None = None) -> list[Proposal]:
    """Write the proposals named by `codes` (None: all of them) in one transaction; returns what was taken. A code
    that is not a current proposal is refused, and nothing is written."""
    offered = {p.code: p for p in proposals(ws)}
    wanted = list(offered) if codes is None else [c.strip() for c in codes]
    unknown = [c for c in wanted if c not in offered]
    if unknown:
        raise UserError(f"{unknown[0]}: no proposal from the previous round for this field (dti entry carry)",
                        f"{unknown[0]}: không có giá trị năm trước đề xuất cho trường này (dti entry carry)")
    chosen = [offered[c] for c in wanted]
    if chosen:
        by_round = chosen[0].from_round
        ws.set_entries({p.code: p.value for p in chosen}, {}, f"carried over from {by_round}", "entry.carry")
    return chosen
