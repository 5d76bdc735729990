"""The own unit as one plain snapshot for the desktop application (ảnh chụp dữ liệu đơn vị).

Computed on the GUI's database worker after every edit: entries, score, `dti check` findings, evidence
and received appraisals in one pass, as frozen dataclasses. ORM objects never cross threads, and every
widget reads the same snapshot, so the tree, the editor and the summary bar cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.entries.numbers import NumberRefused, read_number, shown
from app.entries.values import EntryRefused, display, echo, parse_entry
from app.models.tables import Appraisal, Credential
from app.scoring.explain import describe_rule, explain
from app.scoring.model import Framework
from app.scoring.rules import AppraiserOnlyRule, Ratio, Rule, TiersRule
from app.services.carry_over import Proposal, proposals
from app.services.checks import Finding, find_problems
from app.services.evidence_service import AttachedEvidence, attached
from app.services.rounds import RoundInfo, all_rounds
from app.services.workspace import Workspace

# Node statuses, most urgent first: a parent shows the most urgent status found below it.
EXPLAIN = "explanation_requested"
PROBLEM = "problem"
MISSING = "value_missing"
NO_EVIDENCE = "evidence_missing"
COMMENT = "appraiser_comment"
APPRAISER = "appraiser"          # scored by the appraiser: nothing for the unit to do
DONE = "done"
STATUS_ORDER = (EXPLAIN, PROBLEM, MISSING, NO_EVIDENCE, COMMENT, APPRAISER, DONE)
_PROBLEM_KINDS = {"invalid_value", "over_denominator", "evidence_problem", "missing_info"}


@dataclass(frozen=True)
class NodeView:
    """One indicator as the GUI shows it (chỉ số / chỉ số thành phần / tiêu chí)."""

    code: str
    title: str
    depth: int
    leaf: bool
    parent: str | None
    points: Decimal
    max: Decimal
    self_points: Decimal
    appraised: Decimal | None
    status: str
    leaves_done: int
    leaves_total: int
    how: str                     # how the points were obtained, in the workspace's language
    rule_text: str
    rule: Rule | None
    guide: str
    evidence_level: str          # required | optional | none
    value: Any                   # the typed entry, None when missing
    explanation: str
    comment: str
    explanation_requested: bool
    findings: tuple[Finding, ...]
    evidence: tuple[AttachedEvidence, ...]

    @property
    def appraiser_only(self) -> bool:
        return isinstance(self.rule, AppraiserOnlyRule)


@dataclass(frozen=True)
class InfoView:
    """A general-information field (thông tin chung), with the leaves that divide by it."""

    code: str
    title: str
    type: str
    unit: str
    guide: str
    value: Any
    used_by: tuple[str, ...]


@dataclass(frozen=True)
class IndexView:
    code: str
    title: str
    points: Decimal
    max: Decimal


@dataclass(frozen=True)
class UnitSnapshot:
    unit_code: str
    unit_name: str
    group: str
    group_title: str
    framework_id: str
    framework_title: str
    year: int
    enrolled: bool
    total: Decimal
    self_total: Decimal
    max: Decimal
    share: Decimal
    grade: str | None
    indices: tuple[IndexView, ...]
    nodes: tuple[NodeView, ...]
    info: tuple[InfoView, ...]
    findings: tuple[Finding, ...]
    framework: Framework | None = None     # to read what is being typed as the store would (`read_typed`)
    number_style: str = "vi"               # how typed numbers are read (Workspace.number_style)
    lang: str = "vi"
    round_id: str = ""                     # the round being filled in (đợt đánh giá): its framework's id
    rounds: tuple[RoundInfo, ...] = ()     # every round held here, oldest year first (the one in effect among them)
    carry: tuple[Proposal, ...] = ()       # general information of the previous round offered again, never copied

    @property
    def rounds_held(self) -> int:
        return len(self.rounds)

    @property
    def round(self) -> RoundInfo | None:
        """The round in effect (its deadline, whether it is finalized)."""
        return next((r for r in self.rounds if r.id == self.round_id), None)

    @property
    def newer_round(self) -> RoundInfo | None:
        """A round of a later year held here: the officer is looking at an earlier year."""
        later = [r for r in self.rounds if r.year > self.year]
        return later[-1] if later else None

    @property
    def has_values(self) -> bool:
        """Whether anything has been scored yet (a grade of nothing would only discourage)."""
        return any(n.leaf and (n.value is not None or n.appraised is not None) for n in self.nodes)

    def node(self, code: str) -> NodeView | None:
        return next((n for n in self.nodes if n.code == code), None)

    def info_field(self, code: str) -> InfoView | None:
        return next((f for f in self.info if f.code == code), None)

    def first_leaf(self) -> NodeView | None:
        return next((n for n in self.nodes if n.leaf), None)


def raw_of(value: Any) -> Any:
    """A stored typed value back in a form `Workspace.set_entry` accepts (undo restores through it)."""
    if isinstance(value, Ratio):
        return value.a if value.b is None else (value.a, value.b)
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def edit_text(value: Any, style: str = "vi") -> str:
    """A stored number back in its edit field as the officer writes it, every digit kept and read back the
    same (`4.200`, `30,5`; `4,200` and `30.5` in English style)."""
    if isinstance(value, Decimal):
        return shown(value, style)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Reading:
    """What the application makes of a text being typed, before it is stored: the value it understood,
    written the way it prints numbers (`4.200`, `4.200,5`), or the reason it would refuse it."""

    understood: str = ""       # "" when nothing is typed or the text is refused
    vi: str = ""               # the refusal, "" when accepted
    en: str = ""
    value: Any = None

    @property
    def refused(self) -> bool:
        return bool(self.vi)

    def reason(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


def _without_code(code: str, text: str) -> str:
    prefix = f"{code}: "
    return text[len(prefix):] if text.startswith(prefix) else text


def read_typed(snapshot: UnitSnapshot, code: str, raw: str) -> Reading:
    """`raw` for indicator or information `code` read exactly as `Workspace.set_entry` would read it
    (the same gatekeeper, the same number style, the stored general information), storing nothing."""
    if not raw.strip() or snapshot.framework is None:
        return Reading()
    info = {f.code: f.value for f in snapshot.info if f.value is not None}
    try:
        _kind, value = parse_entry(snapshot.framework, snapshot.group, code, raw, info, snapshot.number_style)
    except EntryRefused as e:
        return Reading("", _without_code(code, e.message_vi), _without_code(code, str(e)))
    fw = snapshot.framework
    rule = fw.indicator(code).rule if fw.has_indicator(code) else None
    if isinstance(rule, TiersRule) and rule.on == "share" and isinstance(value, Decimal):   # typed 85 % or 0,85
        return Reading(shown(value * 100, snapshot.number_style) + " %", value=value)
    return Reading(echo(value, snapshot.number_style, snapshot.lang), value=value)


def read_one_number(text: str, style: str = "vi") -> Reading:
    """One number box of several (a and b of a ratio): the number understood, or why it is not one."""
    if not text.strip():
        return Reading()
    try:
        value = read_number(text, style)
    except NumberRefused as e:
        return Reading("", e.vi, e.en)
    return Reading(shown(value, style), value=value)


def _appraisals(ws: Workspace, unit_code: str) -> dict[str, Appraisal]:
    from app.services.rounds import chosen_id

    with ws.store.session() as session:
        rows = session.scalars(select(Appraisal).where(Appraisal.unit_code == unit_code,
                                                       Appraisal.round_id == chosen_id(ws, session))).all()
        return {row.code: row for row in rows}


def _enrolled(ws: Workspace) -> bool:
    with ws.store.session() as session:
        return session.scalars(select(Credential).where(Credential.role == "signing")).first() is not None


def _leaf_status(code: str, missing: bool, appraiser_only: bool, findings: list[Finding],
                 appraisal: Appraisal | None, explained: bool) -> str:
    if appraisal is not None and appraisal.explanation_requested and not explained:
        return EXPLAIN
    if any(f.kind in _PROBLEM_KINDS and f.code == code for f in findings):
        return PROBLEM
    if appraiser_only:
        return COMMENT if appraisal is not None and appraisal.comment else APPRAISER
    if missing:
        return MISSING
    if any(f.kind == "evidence_missing" for f in findings):
        return NO_EVIDENCE
    if appraisal is not None and appraisal.comment:
        return COMMENT
    return DONE


def load_snapshot(ws: Workspace) -> UnitSnapshot:
    """Everything the unit's screens show, computed once (a few ms on a 300-leaf framework)."""
    state = ws.state()
    score = ws.score(state)
    fw = state.loaded.framework
    lang = ws.lang
    evidence: dict[str, list[AttachedEvidence]] = {}
    for item in attached(ws):
        evidence.setdefault(item.code, []).append(item)
    findings = find_problems(state, score, evidence)
    by_code: dict[str, list[Finding]] = {}
    for f in findings:
        by_code.setdefault(f.code, []).append(f)
    marks = _appraisals(ws, state.code)
    parents: dict[str, str | None] = {}
    for node in fw.walk():
        for child in node.children:
            parents[child.code] = node.code
    leaf_status: dict[str, str] = {}
    for n in score.nodes:
        if n.leaf:
            spec = fw.indicator(n.code)
            leaf_status[n.code] = _leaf_status(n.code, n.code not in state.values,
                                               isinstance(spec.rule, AppraiserOnlyRule), by_code.get(n.code, []),
                                               marks.get(n.code), bool(state.explanations.get(n.code)))
    views = []
    for n in score.nodes:
        spec = fw.indicator(n.code)
        below = [leaf.code for leaf in spec.walk() if leaf.is_leaf and leaf.code in leaf_status]
        statuses = [leaf_status[c] for c in below]
        status = min(statuses, key=STATUS_ORDER.index) if statuses else DONE
        done = sum(1 for s in statuses if s in (DONE, APPRAISER, COMMENT))
        mark = marks.get(n.code)
        views.append(NodeView(
            code=n.code, title=n.title, depth=n.depth, leaf=n.leaf, parent=parents.get(n.code), points=n.points,
            max=n.max, self_points=n.self_points, appraised=n.appraised, status=status, leaves_done=done,
            leaves_total=len(statuses), how=explain(n.how, lang),
            rule_text=describe_rule(spec.rule, n.max, lang) if n.leaf else "", rule=spec.rule, guide=spec.guide or "",
            evidence_level=spec.evidence if n.leaf else "none", value=state.values.get(n.code),
            explanation=state.explanations.get(n.code, ""), comment=(mark.comment or "") if mark else "",
            explanation_requested=bool(mark and mark.explanation_requested),
            findings=tuple(by_code.get(n.code, ())), evidence=tuple(evidence.get(n.code, ()))))
    info = tuple(_info_views(fw, state.group, state.info))
    group = fw.group(state.group)
    indices = tuple(IndexView(top.code, top.title, score.indices[top.code], top.max[state.group])
                    for top in fw.indicators if top.code in score.indices)
    held = tuple(all_rounds(ws))
    # the previous round's general information is looked for only when there is a previous round to offer it
    carry = tuple(proposals(ws)) if len(held) > 1 and any(f.value is None for f in info) else ()
    return UnitSnapshot(state.code, state.name, state.group, group.title if group else state.group, fw.id, fw.title,
                        fw.round.year, _enrolled(ws), score.total, score.self_total, score.max, score.share, score.grade,
                        indices, tuple(views), info, tuple(findings), fw, ws.number_style(), lang, state.round_id,
                        held, carry)


def _info_views(fw, group: str, values: Mapping[str, Any]):
    users: dict[str, list[str]] = {}
    for leaf in fw.leaves(group):
        for code in leaf.rule.denominators() if leaf.rule else ():
            users.setdefault(code, []).append(leaf.code)
    for field in fw.info:
        if field.applies_to(group):
            yield InfoView(field.code, field.title, field.type, field.unit or "", field.guide or "",
                           values.get(field.code), tuple(users.get(field.code, ())))


def value_text(value: Any, lang: str = "vi") -> str:
    """An entry as a person reads it (labels, tooltips)."""
    return display(value, lang)
