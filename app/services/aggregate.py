"""The aggregator's view: the latest submission of every unit, appraisals (thẩm định) and the ranking.

Final points = appraised where an appraiser set them, else the unit's self-score (DESIGN §4). Appraisals
are kept per unit and indicator, so they stay attached across the unit's revisions.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from app.entries.values import decode_parsed
from app.errors import UserError
from app.models.tables import Appraisal, Enrollment, Round, Submission, Unit
from app.scoring.model import Framework
from app.scoring.numbers import format_points, parse_decimal, q2, q4
from app.scoring.ranking import GroupRanking, UnitEntries, rank_scores, rank_units, without_cycle_collection
from app.services import audit
from app.services.appraisal_merge import settle_by_set
from app.services.workspace import Workspace, stamp


@dataclass(frozen=True)
class Received:
    """The latest imported submission of a unit, decoded."""

    unit_code: str
    unit_name: str
    group: str
    framework_id: str
    framework_sha256: str
    revision: int
    values: dict[str, Any]
    info: dict[str, Any]
    explanations: dict[str, str]
    via: str | None


def latest_submissions(ws: Workspace, round_id: str | None = None) -> list[Received]:
    """One query for the newest revision of every unit in a round (default: the round in effect), reading only
    the columns needed (the evidence list in data_json is parsed but not decoded); values are decoded from the
    parsed JSON directly."""
    with ws.store.session() as session:
        if round_id is None:
            from app.services.rounds import chosen_id

            round_id = chosen_id(ws, session)
        newest = latest_revisions()
        rows = session.execute(select(*RECEIVED_COLUMNS)
                               .join(newest, (Submission.unit_code == newest.c.unit_code)
                                     & (Submission.framework_id == newest.c.round_id)
                                     & (Submission.revision == newest.c.rev))
                               .where(Submission.framework_id == round_id)
                               .order_by(Submission.unit_code)).all()
    return [received(row) for row in rows]


def latest_revisions():
    """A subquery: unit_code, round_id and the unit's newest revision (`rev`) in that round here (a submission's
    framework_id is its round)."""
    return (select(Submission.unit_code, Submission.framework_id.label("round_id"),
                   func.max(Submission.revision).label("rev"))
            .group_by(Submission.unit_code, Submission.framework_id).subquery())


RECEIVED_COLUMNS = (Submission.unit_code, Submission.framework_id, Submission.framework_sha256, Submission.revision,
                    Submission.manifest_json, Submission.data_json, Submission.via)


def received(row) -> Received:
    """A submission row of RECEIVED_COLUMNS, decoded."""
    code, fw_id, fw_sha, revision, manifest_json, data_json, via = row
    unit = json.loads(manifest_json)["unit"]
    data = json.loads(data_json)["values"]
    return Received(code, unit["name"], unit["group"], fw_id, fw_sha, revision,
                    {c: decode_parsed(v) for c, v in data["values"].items()},
                    {c: decode_parsed(v) for c, v in data["info"].items()},
                    dict(data["explanations"]), via)


def appraisals(ws: Workspace, unit_code: str | None = None, round_id: str | None = None
               ) -> dict[str, dict[str, Decimal]]:
    """unit code -> {indicator code: appraised points} of a round (default: the round in effect; comment-only
    rows left out)."""
    with ws.store.session() as session:
        if round_id is None:
            from app.services.rounds import chosen_id

            round_id = chosen_id(ws, session)
        query = select(Appraisal).where(Appraisal.round_id == round_id, Appraisal.points.is_not(None))
        if unit_code is not None:
            query = query.where(Appraisal.unit_code == unit_code)
        out: dict[str, dict[str, Decimal]] = {}
        for row in session.scalars(query):
            out.setdefault(row.unit_code, {})[row.code] = Decimal(row.points)
        return out


def authority_framework(ws: Workspace, override: str | None = None) -> tuple[Framework, str]:
    """The framework ranked: --framework, else the round in effect's (--round, else the current round)."""
    from app.services.rounds import in_effect

    if override:
        loaded = ws.frameworks.get(override)
        return loaded.framework, loaded.sha256
    chosen = in_effect(ws)
    if chosen is None:
        raise UserError("nothing to rank: no unit was enrolled here and no package was imported",
                        "chưa có gì để xếp hạng: chưa cấp tài khoản và chưa nhập gói nào")
    loaded = ws.frameworks.get(chosen.ref)
    return loaded.framework, loaded.sha256


def rank(ws: Workspace, group: str | None = None, framework: str | None = None) -> tuple[Framework, list[GroupRanking]]:
    """Every unit scored from its entries, with the whole node tree (what reports and screens show)."""
    fw, sha = _ranked_framework(ws, group, framework)
    marks = appraisals(ws, round_id=fw.id)
    units = [UnitEntries(r.unit_code, r.unit_name, r.group, r.values, r.info, marks.get(r.unit_code, {}))
             for r in latest_submissions(ws, fw.id) if r.framework_sha256 == sha]
    return fw, rank_units(fw, units, group)


def rank_summary(ws: Workspace, group: str | None = None, framework: str | None = None
                 ) -> tuple[Framework, list[GroupRanking]]:
    """The same ranking as rank(), each unit with its ScoreSummary only (totals, share, grade, main
    indices): read from the stored summaries where their inputs are unchanged (app.services.score_cache),
    so a national-size round ranks in about a second. What `dti rank` and a bundle's ranking.json need."""
    from app.services.score_cache import summaries

    fw, sha = _ranked_framework(ws, group, framework)
    with without_cycle_collection():   # tens of thousands of acyclic objects (ranking.py says why)
        by_group = summaries(ws, fw, sha)
        return fw, [rank_scores(g, fw.max_total(g.code), by_group.get(g.code, []))
                    for g in fw.groups if group is None or g.code == group]


def _ranked_framework(ws: Workspace, group: str | None, framework: str | None) -> tuple[Framework, str]:
    fw, sha = authority_framework(ws, framework)
    if group is not None and fw.group(group) is None:
        known = ", ".join(g.code for g in fw.groups)
        raise UserError(f"framework {fw.id} has no group '{group}' (groups: {known})",
                        f"bộ chỉ số {fw.id} không có nhóm '{group}' (các nhóm: {known})")
    return fw, sha


@dataclass(frozen=True)
class PreviousRound:
    """Results of an earlier round, for comparison: where each unit stood (rank within its group)."""

    framework: str
    year: int | None
    units: dict[str, dict[str, Any]]    # unit code -> {"group", "rank", "total", "share"}


def previous_round(ws: Workspace, fw: Framework, path: str | None) -> PreviousRound | None:
    """The earlier round to compare with (`dti rank --previous`), tried in this order: the data directory the
    earlier round was run in, an earlier `dti rank --json` output, a round held in this store. None without
    one; `fw` is the round being ranked, which is no earlier round of itself."""
    if path is None:
        return None
    from pathlib import Path

    if Path(path).is_dir():
        if Path(path).resolve() == ws.data_dir.resolve():
            raise UserError("--previous names this data directory itself", "--previous trỏ vào chính thư mục dữ liệu này")
        with Workspace(Path(path), write=False, lang=ws.lang) as earlier:
            return _previous_ranked(earlier)
    if Path(path).is_file():
        return _previous_from_file(path)
    return _previous_held(ws, fw, path)


def _previous_ranked(ws: Workspace) -> PreviousRound:
    """The ranking of the round in effect in `ws`, as a PreviousRound."""
    other, rankings = rank_summary(ws)
    units = {u.unit_code: {"group": r.group.code, "rank": u.rank, "total": u.score.total, "share": u.score.share}
             for r in rankings for u in r.units}
    return PreviousRound(other.id, other.round.year, units)


def _previous_held(ws: Workspace, fw: Framework, name: str) -> PreviousRound:
    """`--previous ROUND`: another round held in this store, ranked here as `dti --round ROUND rank` would."""
    from app.services import rounds
    from app.services.identifiers import printable

    round_id = unicodedata.normalize("NFC", name).strip()
    with ws.store.session() as session:
        held = sorted(session.scalars(select(Round.id)))
    shown = printable(name, 80)
    if round_id not in held:
        known = ", ".join(held)
        raise UserError(f"--previous '{shown}' is neither a file, a directory nor a round held here "
                        f"(rounds: {known or 'none'})",
                        f"--previous '{shown}' không phải tệp, thư mục hay đợt đánh giá có ở đây "
                        f"(các đợt: {known or 'chưa có'})")
    if round_id == fw.id:
        raise UserError(f"--previous names round {fw.id}, the round being ranked",
                        f"--previous trỏ vào đợt {fw.id}, chính đợt đang xếp hạng")
    with rounds.working_in(ws, round_id):
        return _previous_ranked(ws)


def _previous_from_file(path: str) -> PreviousRound:
    from pathlib import Path

    from app.frameworks.yamlio import parse_json

    file = Path(path)
    try:
        data = parse_json(file.read_bytes(), file.name)
        units = {}
        for g in data["groups"]:
            for u in g["units"]:
                units[str(u["unit_code"])] = {"group": str(g["code"]), "rank": int(u["rank"]),
                                              "total": Decimal(str(u["total"])), "share": Decimal(str(u["share"]))}
        return PreviousRound(str(data["framework"]), None, units)
    except OSError as e:
        raise UserError(f"{file.name}: cannot read ({e.strerror})", f"{file.name}: không đọc được ({e.strerror})") from None
    except (ValueError, KeyError, TypeError, ArithmeticError) as e:
        raise UserError(f"{file.name}: not the output of `dti rank --json` ({e})",
                        f"{file.name}: không phải kết quả của `dti rank --json` ({e})") from None


def predecessors(ws: Workspace) -> dict[str, tuple[str, ...]]:
    """unit code -> the codes of the units merged into it (đơn vị tiền thân, the 2025 mergers), as the
    enrollments made here record them; units without predecessors are left out."""
    with ws.store.session() as session:
        rows = session.execute(select(Enrollment.unit_code, Enrollment.predecessors)
                               .where(Enrollment.predecessors.is_not(None))).all()
    out = {}
    for code, text in rows:
        codes = tuple(dict.fromkeys(text.split()))
        if codes:
            out[code] = codes
    return out


def _mean(values: Sequence[Decimal]) -> Decimal:
    """The plain mean, not rounded (the caller rounds it as a total or as a share)."""
    return sum(values, Decimal(0)) / len(values)


def previous_of(previous: PreviousRound, unit_code: str, group: str,
                predecessors: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, Any] | None:
    """Where a unit stood in the previous round: {"rank", "total", "share"} when it was ranked in the same
    group then, None when it was absent (or in another group).

    A unit absent then whose enrollment names predecessors (a merged commune) is compared with them, as the
    2024 national ranking scored a merged province by the average of its former ones: {"rank": None, "total":
    mean of their totals (2 decimals), "share": mean of their shares (4 decimals), "merged_from": [{"unit_code",
    "rank", "total", "share"}] for each one found, "missing": [codes not found]}. Predecessors count whatever
    their group then: the merged communes were all group `xa`, and the new framework may name its groups
    otherwise (total and share are None when none of them is found)."""
    got = previous.units.get(unit_code)
    if got is not None or not predecessors or unit_code not in predecessors:
        if got is None or got["group"] != group:
            return None
        return {"rank": got["rank"], "total": got["total"], "share": got["share"]}
    found = [(code, previous.units[code]) for code in predecessors[unit_code] if code in previous.units]
    return {"rank": None,
            "total": q2(_mean([p["total"] for _c, p in found])) if found else None,
            "share": q4(_mean([p["share"] for _c, p in found])) if found else None,
            "merged_from": [{"unit_code": code, "rank": p["rank"], "total": p["total"], "share": p["share"]}
                            for code, p in found],
            "missing": [code for code in predecessors[unit_code] if code not in previous.units]}


def ranking_data(fw: Framework, rankings: list[GroupRanking], previous: PreviousRound | None = None,
                 predecessors: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """The contract shape of `dti rank --json` (DESIGN §7); with a previous round, an added "previous"
    object at the top and per unit (`previous_of`: null for a unit absent from it or then in another group,
    the mean of its predecessors for a merged unit listed in `predecessors`)."""
    data: dict[str, Any] = {"framework": fw.id, "groups": [
        {"code": r.group.code, "title": r.group.title, "max": r.max, "ranked": r.group.ranked, "units": [
            {"rank": u.rank, "unit_code": u.unit_code, "unit_name": u.unit_name, "total": u.score.total,
             "share": u.score.share, "grade": u.score.grade, "indices": dict(u.score.indices),
             "index_ranks": dict(u.index_ranks),
             **({"previous": previous_of(previous, u.unit_code, r.group.code, predecessors)} if previous else {})}
            for u in r.units]}
        for r in rankings]}
    if previous is not None:
        data["previous"] = {"framework": previous.framework, "year": previous.year}
    return data


def _unit_framework(ws: Workspace, unit_code: str) -> tuple[Framework, str]:
    """The framework and group a unit is assessed on in the round in effect, from its latest submission in the
    round or its group there."""
    from app.services import rounds

    for r in latest_submissions(ws):
        if r.unit_code == unit_code:
            return ws.frameworks.get(f"{r.framework_id}@{r.framework_sha256}").framework, r.group
    current = rounds.in_effect(ws)
    if current is not None:
        with ws.store.session() as session:
            group = rounds.group_of(session, current.id, unit_code)
        if group is not None:
            return ws.frameworks.get(current.ref).framework, group
    from app.services.appraisal_work import received_unit

    got = received_unit(ws, unit_code)
    if got is not None:
        return got[0], got[1]
    raise UserError(f"unit {unit_code} is not known here (not enrolled, no package imported)",
                    f"đơn vị {unit_code} chưa có ở đây (chưa cấp tài khoản, chưa nhập gói)")


def appraise_set(ws: Workspace, unit_code: str, code: str, points: str | None, comment: str | None,
                 explanation_requested: bool = False) -> Decimal | None:
    """Set (or replace) the appraised points of one leaf; every change is in the audit log."""
    from app.services.round_lock import ensure_open

    ensure_open(ws)
    fw, group = _unit_framework(ws, unit_code)
    round_id = fw.id
    if not fw.has_indicator(code) or not fw.indicator(code).applies_to(group) or not fw.indicator(code).is_leaf:
        raise UserError(f"{code}: not an indicator with points for group {group} of {fw.id}",
                        f"{code}: không phải chỉ tiêu chấm điểm của nhóm {group} trong {fw.id}")
    _within_received_work(ws, unit_code, code)
    value: Decimal | None = None
    if points is not None:
        try:
            value = parse_decimal(points)
        except ValueError:
            raise UserError(f"{code}: '{points}' is not a number", f"{code}: '{points}' không phải là số") from None
        maximum = fw.indicator(code).max[group]
        if value < 0 or value > maximum:
            raise UserError(f"{code}: {points} is outside 0..{maximum}",
                            f"{code}: {points} nằm ngoài 0..{format_points(maximum)}")
    comment = unicodedata.normalize("NFC", comment).strip() if comment else None
    with ws.store.session.begin() as session:
        now = stamp(ws.clock())
        actor = ws.appraiser(session)
        row = session.scalars(select(Appraisal).where(Appraisal.round_id == round_id, Appraisal.unit_code == unit_code,
                                                      Appraisal.code == code)).first()
        old = None if row is None else row.points
        if row is None:
            row = Appraisal(round_id=round_id, unit_code=unit_code, code=code, appraiser=actor, source="local",
                            set_at=now, explanation_requested=False)
            session.add(row)
        row.points = None if value is None else str(value)
        row.comment = comment
        row.explanation_requested = explanation_requested
        row.appraiser, row.set_at, row.source = actor, now, "local"
        settled = settle_by_set(session, round_id, unit_code, code, now)
        audit.append(session, at=now, actor=actor, action="appraise.set", unit_code=unit_code, code=code,
                     old=old, new=row.points, reason=comment if not settled else
                     f"{comment + '; ' if comment else ''}settles {settled} conflict(s)")
    _refresh_scores(ws)
    return value


def _refresh_scores(ws: Workspace) -> None:
    """After a change of appraised points: the stored score summaries follow (app.services.score_cache)."""
    from app.services import score_cache

    score_cache.refresh(ws)


def resolve_conflict(ws: Workspace, unit_code: str, code: str, take: str, reason: str | None = None) -> int:
    """`dti appraise resolve` and the conflicts page: settle one indicator's open conflicts
    (appraisal_merge.resolve) in a transaction of its own. Returns how many were settled."""
    from app.services.appraisal_merge import resolve
    from app.services.round_lock import ensure_open
    from app.services.rounds import require

    ensure_open(ws)
    round_id = require(ws).id
    with ws.store.session.begin() as session:
        count = resolve(session, round_id, unit_code, code, take, at=stamp(ws.clock()), actor=ws.appraiser(session),
                        reason=reason)
    _refresh_scores(ws)
    return count


def _within_received_work(ws: Workspace, unit_code: str, code: str) -> None:
    """At a department's installation a unit is known only through the work it received: only the
    indicators given to the department can be appraised there."""
    with ws.store.session() as session:
        own = session.scalars(select(Submission.id).where(Submission.unit_code == unit_code)).first()
        enrolled = session.scalars(select(Enrollment.id).where(Enrollment.unit_code == unit_code)).first()
    if own is not None or enrolled is not None:
        return
    from app.services.appraisal_work import received_unit

    got = received_unit(ws, unit_code)
    if got is not None and code not in got[2]:
        raise UserError(f"{code} of {unit_code} was not given to this department to appraise",
                        f"chỉ tiêu {code} của {unit_code} không được giao cho cơ quan này thẩm định")


def appraise_clear(ws: Workspace, unit_code: str, code: str, reason: str | None = None) -> bool:
    from app.services.round_lock import ensure_open
    from app.services.rounds import require

    ensure_open(ws)
    round_id = require(ws).id
    with ws.store.session.begin() as session:
        row = session.scalars(select(Appraisal).where(Appraisal.round_id == round_id, Appraisal.unit_code == unit_code,
                                                      Appraisal.code == code)).first()
        if row is None:
            return False
        audit.append(session, at=stamp(ws.clock()), actor=ws.appraiser(session), action="appraise.clear",
                     unit_code=unit_code, code=code, old=row.points, reason=reason)
        session.delete(row)
    _refresh_scores(ws)
    return True


def own_appraisals(ws: Workspace) -> dict[str, Decimal]:
    """At a unit: the appraised points received in feedback for its own indicators."""
    with ws.store.session() as session:
        unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
    if unit is None:
        return {}
    return appraisals(ws, unit.code).get(unit.code, {})
