"""The aggregator's desk as one plain snapshot (ảnh chụp dữ liệu tổng hợp) for the desktop application.

Computed on the GUI's database worker: every expected unit with its state and score, completeness per
group and per district, the ranking, open conflicts, and per unit × indicator what an appraiser needs
(value, rule, self points, appraisal, explanation, evidence, which department appraises it, what changed
since the unit's previous revision). Frozen dataclasses only: ORM objects never cross threads.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.entries.values import decode_parsed, display
from app.errors import UserError
from app.evidence.model import EXT_OF_KIND
from app.models.tables import Appraisal, Submission
from app.scoring.explain import describe_rule, explain
from app.scoring.model import Framework
from app.services import aggregate, status
from app.services.evidence_service import evidence_path
from app.services.workspace import Workspace

# What changed in a unit's latest revision against the one before, per indicator.
CHANGED_VALUE, CHANGED_EXPLANATION, CHANGED_EVIDENCE = "value", "explanation", "evidence"


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence file a unit sent for an indicator, where it is stored here, and what inspection found."""

    name: str
    sha256: str
    kind: str
    size: int
    pages: int | None
    path: str
    problems: tuple[str, ...]
    signers: tuple[str, ...]          # "signer (hợp lệ, tin cậy)" per embedded signature


@dataclass(frozen=True)
class IndicatorRow:
    """One node of a unit's tree as the appraisal view shows it."""

    code: str
    title: str
    depth: int
    leaf: bool
    max: Decimal
    value: str                        # the unit's value as a person reads it ("" when missing)
    rule: str                         # the rule in words
    how: str                          # how the final points came about
    self_points: Decimal
    appraised: Decimal | None
    points: Decimal                   # final: appraised where set, else self
    comment: str
    explanation: str
    explanation_requested: bool
    appraiser: str                    # who appraised it ("" when nobody yet)
    evidence: tuple[EvidenceItem, ...]
    evidence_level: str
    department: str | None            # the framework's appraiser of this indicator
    other_department: bool            # appraised by another department than this installation
    changed: tuple[str, ...]          # CHANGED_* since the previous revision
    conflict: bool


@dataclass(frozen=True)
class UnitRow:
    unit_code: str
    unit_name: str
    group: str
    group_title: str
    district: str | None
    state: str
    revision: int | None
    previous_revision: int | None
    submitted_at: str | None
    late: bool
    total: Decimal | None
    self_total: Decimal | None
    max: Decimal | None
    share: Decimal | None
    grade: str | None
    appraised: int                    # indicators with an appraisal
    requested: int                    # explanations requested
    conflicts: int
    changed: int                      # indicators changed since the previous revision
    explained: bool                   # a new revision came after the feedback
    token: dict | None = None         # the official's token signature on the latest submission (token_signature)


@dataclass(frozen=True)
class UnitDetail:
    unit_code: str
    rows: tuple[IndicatorRow, ...]

    def row(self, code: str) -> IndicatorRow | None:
        return next((r for r in self.rows if r.code == code), None)

    def leaves(self) -> list[IndicatorRow]:
        return [r for r in self.rows if r.leaf]


@dataclass(frozen=True)
class Bucket:
    """Completeness of one group or district: expected, received, under appraisal, final, late."""

    key: str
    title: str
    expected: int
    received: int
    under_appraisal: int
    final: int
    late: int


@dataclass(frozen=True)
class ConflictRow:
    unit_code: str
    code: str
    current_points: str | None
    current_appraiser: str
    points: str | None
    appraiser: str
    comment: str | None


@dataclass(frozen=True)
class Attention:
    kind: str                         # late | conflict | explained
    unit_code: str
    code: str | None
    text_vi: str
    text_en: str

    def text(self, lang: str) -> str:
        return self.text_vi if lang == "vi" else self.text_en


@dataclass(frozen=True)
class RankRow:
    rank: int
    unit_code: str
    unit_name: str
    indices: dict[str, Decimal]
    total: Decimal
    share: Decimal
    grade: str | None
    previous_rank: int | None
    index_ranks: dict[str, int] = field(default_factory=dict)   # main index code -> rank in the group
    previous_mean: Decimal | None = None    # a merged unit: the mean total of its predecessors then
    merged_from: tuple[str, ...] = ()       # those predecessors found in the previous round


@dataclass(frozen=True)
class GroupRank:
    code: str
    title: str
    max: Decimal
    ranked: bool
    indices: tuple[tuple[str, str], ...]   # (code, title) of the main indices applicable to the group
    rows: tuple[RankRow, ...]
    index_max: dict[str, Decimal] = field(default_factory=dict)   # main index code -> its maximum in the group

    def index_share(self, row: RankRow, code: str) -> float | None:
        """A unit's points on one main index as a share of that index's maximum (0..1)."""
        top = self.index_max.get(code)
        got = row.indices.get(code)
        if not top or got is None:
            return None
        return max(0.0, min(1.0, float(got / top)))


@dataclass(frozen=True)
class AggregatorSnapshot:
    framework_id: str | None
    framework_title: str
    year: int | None
    deadline: date | None
    final: bool
    can_bundle: bool                  # a district holding its communes' packages
    can_sign: bool
    department: str                   # this installation's appraising department
    departments: tuple[str, ...]      # the framework's departments (appraisal by field)
    units: tuple[UnitRow, ...]
    groups: tuple[Bucket, ...]
    districts: tuple[Bucket, ...]
    conflicts: tuple[ConflictRow, ...]
    attention: tuple[Attention, ...]
    rankings: tuple[GroupRank, ...]
    previous_label: str | None
    grades: tuple[str, ...] = ()      # the framework's grade labels, highest first
    details: dict[str, UnitDetail] = field(default_factory=dict)
    has_own_unit: bool = False        # a district that is also a unit: its own self-assessment is here too
    enrollment: Any = None            # enrollment_view.EnrollmentDesk
    earlier_rounds: tuple[tuple[str, int, str], ...] = ()   # (id, year, title) of the other rounds held here

    def unit(self, code: str) -> UnitRow | None:
        return next((u for u in self.units if u.unit_code == code), None)

    def detail(self, code: str) -> UnitDetail | None:
        return self.details.get(code)

    @property
    def deadline_text(self) -> str:
        return self.deadline.strftime("%d/%m/%Y") if self.deadline else ""

    def needing_feedback(self) -> list[str]:
        """Units with appraisals whose latest state has not been returned to them yet."""
        return [u.unit_code for u in self.units if u.state in ("under_appraisal", "explained") and u.appraised]


def _fold(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


def _department(ws: Workspace) -> str:
    """Who appraises here, as the framework's `appraiser` field would name it."""
    with ws.store.session() as session:
        who = ws.appraiser(session)
    return who[who.find("(") + 1:-1] if who.endswith(")") and "(" in who else who


def _evidence(ws: Workspace, items: list[dict], lang: str) -> dict[str, tuple[EvidenceItem, ...]]:
    out: dict[str, list[EvidenceItem]] = {}
    vi = lang == "vi"
    for item in items:
        try:
            ext = EXT_OF_KIND[item["kind"]]
        except KeyError:
            continue
        problems = tuple(str(p.get("vi" if vi else "en") or p.get("code") or "") for p in item.get("problems") or ()
                         if isinstance(p, dict))
        signers = []
        for s in item.get("signatures") or ():
            if not isinstance(s, dict):
                continue
            state = (("tin cậy" if vi else "trusted") if s.get("trusted") else
                     ("hợp lệ" if vi else "valid") if s.get("valid") else ("không hợp lệ" if vi else "invalid"))
            signers.append(f"{s.get('signer') or '?'} ({state})")
        out.setdefault(str(item.get("code")), []).append(EvidenceItem(
            str(item.get("name")), str(item["sha256"]), str(item["kind"]), int(item.get("size") or 0), item.get("pages"),
            str(evidence_path(ws.data_dir, item["sha256"], ext)), problems, tuple(signers)))
    return {code: tuple(v) for code, v in out.items()}


def _changes(newer: dict, older: dict | None) -> dict[str, tuple[str, ...]]:
    """Per code, the kinds of change between two revisions' data (app/services/revisions has the detail)."""
    from app.services.revisions import changes_between

    if older is None:
        return {}
    kind = {"value": CHANGED_VALUE, "info": CHANGED_VALUE, "explanation": CHANGED_EXPLANATION,
            "evidence": CHANGED_EVIDENCE}
    out: dict[str, list[str]] = {}
    for change in changes_between(older, newer):
        kinds = out.setdefault(change.code, [])
        if kind[change.what] not in kinds:
            kinds.append(kind[change.what])
    return {code: tuple(kinds) for code, kinds in out.items()}


def _two_latest(ws: Workspace, round_id: str) -> dict[str, tuple[tuple[int, dict], tuple[int, dict] | None]]:
    """unit code -> ((revision, data) of the latest submission in the round, the same of the one before or None)."""
    with ws.store.session() as session:
        rows = session.scalars(select(Submission).where(Submission.framework_id == round_id)
                               .order_by(Submission.unit_code, Submission.revision)).all()
        history: dict[str, list[tuple[int, dict]]] = {}
        for r in rows:
            history.setdefault(r.unit_code, []).append((r.revision, json.loads(r.data_json)))
    return {code: (items[-1], items[-2] if len(items) > 1 else None) for code, items in history.items()}


def _previous_label(previous: aggregate.PreviousRound | None) -> str | None:
    if previous is None:
        return None
    return str(previous.year or previous.framework)


def load(ws: Workspace, *, today: date | None = None, previous: str | None = None) -> AggregatorSnapshot:
    """Everything the aggregator's screens show, computed once on the database worker."""
    from app.services.appraisal_merge import open_conflicts
    from app.services.appraisal_work import departments
    from app.services.round_lock import is_final
    from app.services.trust_service import identity

    lang = ws.lang
    vi = lang == "vi"
    statuses = status.unit_statuses(ws, today)
    summary = status.completeness(statuses)
    ident = identity(ws)
    try:
        fw, rankings = aggregate.rank(ws)
    except UserError:
        fw, rankings = None, []
    prev = aggregate.previous_round(ws, fw, previous) if (previous and fw is not None) else None
    merged = aggregate.predecessors(ws) if prev is not None else {}
    with ws.store.session() as session:
        rid = fw.id if fw is not None else ""   # a round's id is its framework's
        conflicts = open_conflicts(session, rid)
        marks: dict[str, dict[str, dict[str, Any]]] = {}
        for row in session.scalars(select(Appraisal).where(Appraisal.round_id == rid)):
            marks.setdefault(row.unit_code, {})[row.code] = {
                "points": None if row.points is None else Decimal(row.points), "comment": row.comment or "",
                "requested": bool(row.explanation_requested), "appraiser": row.appraiser}
    history = _two_latest(ws, rid)
    final = is_final(ws)
    own_department = _department(ws)
    scores = {u.unit_code: u.score for r in rankings for u in r.units}
    group_titles = {g.code: g.title for g in fw.groups} if fw else {}
    conflict_keys: dict[str, set[str]] = {}
    for c in conflicts:
        conflict_keys.setdefault(c.unit_code, set()).add(c.code)
    received = {r.unit_code: r for r in aggregate.latest_submissions(ws)}

    units, details = [], {}
    for s in statuses:
        score = scores.get(s.unit_code)
        got = history.get(s.unit_code)
        latest_data = got[0][1] if got else None
        older = got[1] if got else None
        changes = _changes(latest_data, older[1] if older else None) if latest_data else {}
        unit_marks = marks.get(s.unit_code, {})
        if fw is not None and score is not None and latest_data is not None:
            details[s.unit_code] = _detail(ws, fw, s.unit_code, received.get(s.unit_code), latest_data, score, unit_marks,
                                           changes, conflict_keys.get(s.unit_code, set()), own_department, lang)
        units.append(UnitRow(
            s.unit_code, s.unit_name, s.group, group_titles.get(s.group, s.group), s.district, s.state, s.revision,
            older[0] if older else None, s.submitted_at, s.late,
            score.total if score else None, score.self_total if score else None, score.max if score else None,
            score.share if score else None, score.grade if score else None,
            sum(1 for m in unit_marks.values() if m["points"] is not None or m["comment"]),
            sum(1 for m in unit_marks.values() if m["requested"]), len(conflict_keys.get(s.unit_code, ())),
            len(changes), s.state == "explained", s.token))

    under = {}
    for u in units:
        if u.state in ("under_appraisal", "returned", "explained"):
            under[("groups", u.group)] = under.get(("groups", u.group), 0) + 1
            if u.district:
                under[("districts", u.district)] = under.get(("districts", u.district), 0) + 1
    district_names = {u.unit_code: u.unit_name for u in units}
    if ident.signing is not None:
        from app.trust import certs

        district_names.setdefault(certs.unit_code_of(ident.signing[0]), certs.common_name(ident.signing[0]))

    def buckets(key: str, titles: dict[str, str]) -> tuple[Bucket, ...]:
        return tuple(Bucket(k, titles.get(k, k), c["expected"], c["received"], under.get((key, k), 0), c["final"],
                            c["late"]) for k, c in sorted(summary[key].items()))

    attention: list[Attention] = []
    for u in units:
        if u.late and u.state == "not_submitted":
            attention.append(Attention("late", u.unit_code, None, f"{u.unit_code} {u.unit_name}: quá hạn, chưa nộp",
                                       f"{u.unit_code} {u.unit_name}: late, nothing received"))
        elif u.late:
            attention.append(Attention("late", u.unit_code, None, f"{u.unit_code} {u.unit_name}: nộp sau hạn",
                                       f"{u.unit_code} {u.unit_name}: sent after the deadline"))
    for c in conflicts:
        attention.append(Attention("conflict", c.unit_code, c.code,
                                   f"{c.unit_code} {c.code}: xung đột thẩm định {c.current_points or '—'} ≠ {c.points or '—'}",
                                   f"{c.unit_code} {c.code}: appraisals disagree {c.current_points or '—'} ≠ {c.points or '—'}"))
    for u in units:
        if u.explained:
            attention.append(Attention("explained", u.unit_code, None,
                                       f"{u.unit_code} {u.unit_name}: đã gửi giải trình (lần {u.revision})",
                                       f"{u.unit_code} {u.unit_name}: explanation arrived (revision {u.revision})"))

    group_ranks = []
    published = aggregate.ranking_data(fw, rankings) if fw is not None else {"groups": []}
    index_ranks = {(g["code"], u["unit_code"]): dict(u["index_ranks"]) for g in published["groups"] for u in g["units"]}
    for r in rankings:
        tops = [top for top in fw.indicators if top.applies_to(r.group.code)] if fw else []
        idx = tuple((top.code, top.title) for top in tops)
        rows = []
        for ru in r.units:
            before = aggregate.previous_of(prev, ru.unit_code, r.group.code, merged) if prev else None
            rows.append(RankRow(ru.rank, ru.unit_code, ru.unit_name, dict(ru.score.indices), ru.score.total,
                                ru.score.share, ru.score.grade, before["rank"] if before else None,
                                index_ranks.get((r.group.code, ru.unit_code), {}),
                                before["total"] if before and "merged_from" in before else None,
                                tuple(m["unit_code"] for m in before["merged_from"]) if before and "merged_from" in before
                                else ()))
        group_ranks.append(GroupRank(r.group.code, r.group.title, r.max, r.group.ranked, idx, tuple(rows),
                                     {top.code: top.max[r.group.code] for top in tops}))
    from app.services import enrollment_view
    from app.services.first_run import has_unit

    return AggregatorSnapshot(
        fw.id if fw else None, fw.title if fw else ("Chưa có dữ liệu" if vi else "No data yet"),
        fw.round.year if fw else None, _deadline(ws, fw), final,
        ident.issuing is not None and any(u.revision for u in units), ident.signing is not None, own_department,
        tuple(departments(fw)) if fw else (), tuple(units), buckets("groups", group_titles),
        buckets("districts", district_names),
        tuple(ConflictRow(c.unit_code, c.code, c.current_points, c.current_appraiser, c.points, c.appraiser, c.comment)
              for c in conflicts),
        tuple(attention), tuple(group_ranks), _previous_label(prev),
        tuple(g.label for g in fw.grades) if fw else (), details, has_unit(ws.data_dir), enrollment_view.load(ws),
        _earlier_rounds(ws, fw))


def _earlier_rounds(ws: Workspace, fw: Framework | None) -> tuple[tuple[str, int, str], ...]:
    """The rounds held here that the ranking can be compared with (`dti rank --previous ROUND`), newest first."""
    from app.services.rounds import all_rounds

    year = fw.round.year if fw is not None else None
    return tuple((r.id, r.year, r.title) for r in reversed(all_rounds(ws))
                 if fw is None or (r.id != fw.id and (year is None or r.year <= year)))


def _detail(ws: Workspace, fw: Framework, unit_code: str, got, data: dict, score, unit_marks: dict, changes: dict,
            conflicts: set[str], own_department: str, lang: str) -> UnitDetail:
    values = got.values if got is not None else {c: decode_parsed(v) for c, v in data["values"]["values"].items()}
    explanations = got.explanations if got is not None else dict(data["values"]["explanations"])
    evidence = _evidence(ws, list(data.get("evidence") or ()), lang)
    rows = []
    for n in score.nodes:
        spec = fw.indicator(n.code)
        mark = unit_marks.get(n.code) or {}
        dept = fw.appraiser_of(n.code) if n.leaf else None
        changed = changes.get(n.code, ())
        if not n.leaf:   # a parent shows that something below it changed
            below = {leaf.code for leaf in spec.walk() if leaf.is_leaf}
            changed = tuple(sorted({k for c in below for k in changes.get(c, ())}))
        rows.append(IndicatorRow(
            n.code, n.title, n.depth, n.leaf, n.max, value_text(spec, values.get(n.code), lang) if n.leaf else "",
            describe_rule(spec.rule, n.max, lang) if n.leaf else "", explain(n.how, lang), n.self_points, n.appraised,
            n.points, mark.get("comment", ""), explanations.get(n.code, ""), bool(mark.get("requested")),
            mark.get("appraiser", ""), evidence.get(n.code, ()), spec.evidence if n.leaf else "none", dept,
            bool(dept) and _fold(dept) != _fold(own_department), changed, n.code in conflicts))
    return UnitDetail(unit_code, tuple(rows))


def _deadline(ws: Workspace, fw) -> date | None:
    """The round's deadline as opened (`dti round open --deadline`), else the end of the framework's period."""
    if fw is None:
        return None
    from app.services.rounds import in_effect

    current = in_effect(ws)
    if current is not None and current.id == fw.id and current.deadline:
        return date.fromisoformat(current.deadline)
    return fw.round.end


def latest_revision(ws: Workspace, unit_code: str) -> int | None:
    """The newest revision of a unit stored here (None: nothing received from it)."""
    from sqlalchemy import func

    from app.services.rounds import chosen_id

    with ws.store.session() as session:
        return session.scalar(select(func.max(Submission.revision)).where(
            Submission.unit_code == unit_code, Submission.framework_id == chosen_id(ws, session)))


def is_aggregator(ws: Workspace) -> bool:
    """An installation that collects: it holds a root (province) or an issuing credential (district), or
    it has enrolled units or received submissions."""
    from app.models.tables import Credential, Enrollment

    # plain queries, no certificate parsing: this runs at every start of the GUI
    with ws.store.session() as session:
        return (session.scalars(select(Credential.id).where(Credential.role.in_(("root", "issuing")))).first() is not None
                or session.scalars(select(Enrollment.id)).first() is not None
                or session.scalars(select(Submission.id)).first() is not None)


def data_dir_is_aggregator(data_dir: Path) -> bool:
    """`is_aggregator` from a data directory, read-only (no writer lock taken); False when there is no
    store yet or it cannot be read (the unit window then reports what is wrong).

    The GUI asks this at every start, before it opens the store for the window it chooses: so it is a
    `db.peek` (sqlite3, read-only, about a millisecond) and the window opens the store once. The same three
    questions as `is_aggregator`, on tables of schema revision 0002: a store older than that is not an
    aggregator's and is upgraded by the window that opens it."""
    from app.models.db import peek

    return peek(data_dir, "SELECT 1 FROM credential WHERE role IN ('root', 'issuing') LIMIT 1",
                "SELECT 1 FROM enrollment LIMIT 1", "SELECT 1 FROM submission LIMIT 1")


def value_text(spec, value: Any, lang: str = "vi") -> str:
    """A unit's value as the appraiser reads it: an option's or a part's label, not its code."""
    from app.scoring.rules import ChoiceRule, PartsRule

    if value is None:
        return ""
    if isinstance(spec.rule, ChoiceRule):
        return next((o.label for o in spec.rule.options if o.code == value), display(value, lang))
    if isinstance(spec.rule, PartsRule) and isinstance(value, frozenset):
        labels = [p.label for p in spec.rule.parts if p.code in value]
        return "; ".join(labels) if labels else ("không đạt nội dung nào" if lang == "vi" else "none met")
    return display(value, lang)


def removable_roots(user: str | None = None, system: str | None = None) -> list[Path]:
    """Where removable drives are mounted: /media/$USER, /run/media/$USER (Linux), the removable drive
    letters on Windows. Only folders that exist."""
    import getpass
    import os
    import sys

    system = system or sys.platform
    if system.startswith("win"):
        return _windows_removable()
    try:
        user = user or getpass.getuser()
    except (OSError, KeyError):
        user = user or os.environ.get("USER", "")
    out = []
    for base in (Path("/media") / user, Path("/run/media") / user):
        try:
            if base.is_dir():
                out += sorted(p for p in base.iterdir() if p.is_dir())
        except OSError:
            continue
    return out


def _windows_removable() -> list[Path]:
    try:
        import ctypes
        import string

        kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
        mask = kernel.GetLogicalDrives()
        drives = []
        for i, letter in enumerate(string.ascii_uppercase):
            if mask & (1 << i):
                root = f"{letter}:\\"
                if kernel.GetDriveTypeW(root) == 2:   # DRIVE_REMOVABLE
                    drives.append(Path(root))
        return drives
    except Exception:  # no ctypes/windll: nothing found rather than a crash
        return []


SCAN_SUFFIXES = (".dtipkg", ".dtibundle")


def scan_for_packages(roots: list[Path], max_depth: int = 3, limit: int = 2000) -> list[Path]:
    """Package files, bundles and package volumes (`*.dtipkg.001`) under the given folders, a few levels
    deep (a USB stick's folders), never following links."""
    found: list[Path] = []

    def walk(folder: Path, depth: int) -> None:
        if len(found) >= limit:
            return
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            return
        for p in entries:
            if p.is_symlink():
                continue
            if p.is_file() and (p.suffix.lower() in SCAN_SUFFIXES or ".dtipkg." in p.name.lower()):
                found.append(p)
            elif p.is_dir() and depth < max_depth and not p.name.startswith("."):
                walk(p, depth + 1)

    for root in roots:
        walk(Path(root), 0)
    return found
