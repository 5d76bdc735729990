"""Score summaries kept per submission (table score_cache), so that `dti rank` over a national-size round
reads 10,000 summaries instead of scoring 10,000 units from their entries (DESIGN §9: ≤ 2 s).

A summary depends on more than its submission: on the engine, the framework, the unit's appraised points
and, through best-in-group rules, on the best measures of its whole group. All of these are hashed into
`inputs_sha256`; a stored summary is used only while the hash of today's inputs is the same, and the unit is
scored from its entries otherwise. So the cache can be missing, stale or emptied at any time and every
ranking is still exactly what scoring from the entries gives (tests/services/test_score_cache.py checks it);
only its speed depends on the cache.

`dti rank` opens the store read-only and never writes here. The commands that change what a score depends
on call `refresh()` once at their end: package and bundle import, appraisal set/clear/resolve and department
returns. Each measure (the best-in-group figure of one submission) depends on the submission alone and is
kept as it is, so a changed group best costs re-scoring the group, not re-reading every submission's data.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, insert, select

from app.errors import UserError
from app.models.tables import ScoreCache, Submission
from app.scoring.engine import SCORING_REVISION, ScoreSummary, best_of, score_unit, unit_measures
from app.scoring.model import Framework
from app.scoring.ranking import without_cycle_collection
from app.services.aggregate import RECEIVED_COLUMNS, Received, latest_revisions, received
from app.services.workspace import Workspace

log = logging.getLogger("dti.score_cache")


@dataclass
class _Unit:
    """One unit's latest submission, as far as the ranking needs it."""

    submission_id: int
    unit_code: str
    unit_name: str = ""
    group: str = ""
    measures: dict[str, Decimal] | None = None
    stored_key: str | None = None       # inputs_sha256 of the stored summary, if any
    stored_summary: str | None = None
    data: Received | None = None        # decoded only when the unit must be scored
    summary: ScoreSummary | None = None
    key: str = ""


def inputs_key(framework_sha256: str, group: str, marks: Mapping[str, Decimal], best: Mapping[str, Decimal]) -> str:
    """The hash of everything a summary depends on besides its submission."""
    text = json.dumps([SCORING_REVISION, framework_sha256, group, sorted((c, str(p)) for c, p in marks.items()),
                       sorted((c, str(b)) for c, b in best.items())], separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def summary_json(s: ScoreSummary) -> str:
    return json.dumps({"total": str(s.total), "self_total": str(s.self_total), "max": str(s.max),
                       "share": str(s.share), "grade": s.grade,
                       "indices": [[c, str(p)] for c, p in s.indices.items()]},   # main-index order kept
                      ensure_ascii=False, separators=(",", ":"))


def summary_from_json(text: str, framework_id: str, group: str) -> ScoreSummary:
    d = json.loads(text)
    return ScoreSummary(framework_id, group, Decimal(d["total"]), Decimal(d["self_total"]), Decimal(d["max"]),
                        Decimal(d["share"]), d["grade"], {c: Decimal(p) for c, p in d["indices"]})


def _measures_json(measures: Mapping[str, Decimal]) -> str:
    """The engine revision goes with the measures: they are reused without their summary's key (a group's
    best is computed from them), so a change of what the engine measures must not reuse old ones."""
    return json.dumps({"revision": SCORING_REVISION, "measures": {c: str(m) for c, m in measures.items()}},
                      separators=(",", ":"))


def _measures_from_json(text: str) -> dict[str, Decimal] | None:
    d = json.loads(text)
    if not isinstance(d, dict) or d.get("revision") != SCORING_REVISION:
        return None
    return {c: Decimal(m) for c, m in d["measures"].items()}


def _latest(session, fw: Framework, sha: str) -> list[_Unit]:
    """The latest submission of every unit whose latest is on this framework, with its stored row if any."""
    newest = latest_revisions()
    rows = session.execute(
        select(Submission.id, Submission.unit_code, ScoreCache.framework_sha256, ScoreCache.unit_name,
               ScoreCache.group_code, ScoreCache.measures_json, ScoreCache.inputs_sha256, ScoreCache.summary_json)
        .join(newest, (Submission.unit_code == newest.c.unit_code) & (Submission.framework_id == newest.c.round_id)
              & (Submission.revision == newest.c.rev))
        .outerjoin(ScoreCache, ScoreCache.submission_id == Submission.id)
        .where(Submission.framework_id == fw.id, Submission.framework_sha256 == sha)
        .order_by(Submission.unit_code)).all()
    units = []
    for sid, code, row_sha, name, group, measures, key, summary in rows:
        unit = _Unit(sid, code)
        if row_sha == sha and (known := _measures_from_json(measures)) is not None:
            unit.unit_name, unit.group, unit.stored_key, unit.stored_summary = name, group, key, summary
            unit.measures = known
        units.append(unit)
    return units


def _load(session, units: Iterable[_Unit]) -> None:
    """Decode the submissions of `units` (those to be scored from their entries)."""
    by_id = {u.submission_id: u for u in units if u.data is None}
    ids = list(by_id)
    for start in range(0, len(ids), 500):   # SQLite's bound-parameter limit
        chunk = ids[start:start + 500]
        for row in session.execute(select(Submission.id, *RECEIVED_COLUMNS).where(Submission.id.in_(chunk))):
            by_id[row[0]].data = received(row[1:])


def _appraisals(session, round_id: str) -> dict[str, dict[str, Decimal]]:
    from app.models.tables import Appraisal

    out: dict[str, dict[str, Decimal]] = {}
    for code, leaf, points in session.execute(select(Appraisal.unit_code, Appraisal.code, Appraisal.points)
                                              .where(Appraisal.round_id == round_id, Appraisal.points.is_not(None))):
        out.setdefault(code, {})[leaf] = Decimal(points)
    return out


def _summarise(session, fw: Framework, sha: str) -> list[_Unit]:
    """Every latest unit on this framework with its summary: stored where the inputs are unchanged, scored
    from its entries otherwise (those have `data` set)."""
    units = _latest(session, fw, sha)
    _load(session, (u for u in units if u.measures is None))
    for u in units:
        if u.measures is None:
            assert u.data is not None
            u.unit_name, u.group = u.data.unit_name, u.data.group
            u.measures = (unit_measures(fw, u.group, u.data.values, u.data.info)
                          if fw.group(u.group) is not None else {})
    marks = _appraisals(session, fw.id)   # a round's id is its framework's
    by_group: dict[str, list[_Unit]] = {}
    for u in units:
        by_group.setdefault(u.group, []).append(u)
    best = {g: best_of(u.measures or {} for u in members) for g, members in by_group.items()}
    plain = {g: inputs_key(sha, g, {}, best[g]) for g in by_group}   # most units have no appraisal
    for u in units:
        got = marks.get(u.unit_code)
        u.key = inputs_key(sha, u.group, got, best[u.group]) if got else plain[u.group]
    _load(session, (u for u in units if u.key != u.stored_key))
    for u in units:
        if u.key == u.stored_key and u.stored_summary is not None:
            u.summary = summary_from_json(u.stored_summary, fw.id, u.group)
        elif fw.group(u.group) is not None:
            assert u.data is not None
            u.summary = score_unit(fw, u.group, u.data.values, u.data.info, marks.get(u.unit_code, {}),
                                   best[u.group]).summary()
    return units


def summaries(ws: Workspace, fw: Framework, sha: str) -> dict[str, list[tuple[str, str, ScoreSummary]]]:
    """group code -> [(unit code, unit name, summary)] in unit-code order, for every unit whose latest
    submission is on this framework (units of a group the framework lacks are left out, as in rank_units)."""
    with ws.store.session() as session:
        units = _summarise(session, fw, sha)
    out: dict[str, list[tuple[str, str, ScoreSummary]]] = {}
    for u in units:
        if u.summary is not None:
            out.setdefault(u.group, []).append((u.unit_code, u.unit_name, u.summary))
    return out


def refresh(ws: Workspace) -> int:
    """Bring the stored summaries up to date for every framework the latest submissions are on, in one
    transaction; rows of superseded revisions are dropped. Returns how many summaries were (re)written.
    A framework this installation does not have is skipped: the ranking refuses it anyway."""
    written = 0
    with ws.store.session.begin() as session, without_cycle_collection():
        pairs = _frameworks(session)
        latest_ids: list[int] = []
        rows: list[dict] = []
        for fw_id, sha in pairs:
            try:
                loaded = ws.frameworks.get(f"{fw_id}@{sha}")
            except UserError as e:
                log.info("score cache: framework %s@%s skipped (%s)", fw_id, sha[:12], e)
                continue
            for u in _summarise(session, loaded.framework, loaded.sha256):
                latest_ids.append(u.submission_id)
                if u.summary is None or u.key == u.stored_key:
                    continue
                rows.append(dict(submission_id=u.submission_id, framework_sha256=loaded.sha256,
                                 unit_name=u.unit_name, group_code=u.group,
                                 measures_json=_measures_json(u.measures or {}), inputs_sha256=u.key,
                                 summary_json=summary_json(u.summary)))
                written += 1
        # replaced as plain statements (a merge per row loaded each row first: ~1 ms a unit)
        ids = [r["submission_id"] for r in rows]
        for start in range(0, len(ids), 500):
            session.execute(delete(ScoreCache).where(ScoreCache.submission_id.in_(ids[start:start + 500])))
        if rows:
            session.execute(insert(ScoreCache), rows)
        keep = set(latest_ids)
        stale = [sid for (sid,) in session.execute(select(ScoreCache.submission_id)) if sid not in keep]
        for start in range(0, len(stale), 500):
            session.execute(delete(ScoreCache).where(ScoreCache.submission_id.in_(stale[start:start + 500])))
    return written


def _frameworks(session) -> list[tuple[str, str]]:
    newest = latest_revisions()
    return [tuple(r) for r in session.execute(
        select(Submission.framework_id, Submission.framework_sha256)
        .join(newest, (Submission.unit_code == newest.c.unit_code) & (Submission.framework_id == newest.c.round_id)
              & (Submission.revision == newest.c.rev))
        .distinct().order_by(Submission.framework_id, Submission.framework_sha256))]
