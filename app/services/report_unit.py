"""`dti report unit`: a unit's self-assessment report (báo cáo tự đánh giá) as PDF.

At a unit installation it reports the own unit's current data; at an aggregator (`--unit C`) the latest
submission imported from C, with the appraisals made here. The same report, made at export time, travels
inside every package as `report/self-assessment.pdf` (`package_report`). Everything the PDF shows is
turned into plain data here (`UnitReport`); the PDF module never sees the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.entries.values import decode_parsed, display
from app.errors import UserError
from app.models.tables import Appraisal, Export, Submission
from app.reports.unit_data import (
    EntryHash,
    EvidenceLine,
    IndexLine,
    IndicatorLine,
    PackageInfo,
    SignatureLine,
    UnitReport,
)
from app.scoring.engine import UnitScore, best_measures, score_unit
from app.scoring.explain import describe_rule, explain
from app.scoring.model import Indicator
from app.scoring.numbers import q2
from app.scoring.rules import ChoiceRule, PartsRule, Ratio
from app.services.checks import Finding, find_problems
from app.services.evidence_service import AttachedEvidence, StoredProblem
from app.services.workspace import UnitState, Workspace

if TYPE_CHECKING:
    from app.services.package_export import Gathered


@dataclass(frozen=True)
class Mark:
    """An appraisal of one indicator: points (None: comment only), comment and who set it."""

    points: Decimal | None
    comment: str | None
    appraiser: str | None


@dataclass(frozen=True)
class Subject:
    """Whose report: a unit's entries, score, findings and evidence, from its own store or a submission."""

    state: UnitState
    score: UnitScore
    findings: list[Finding]
    evidence: list[AttachedEvidence]
    marks: dict[str, Mark]
    at_aggregator: bool
    manifest: dict | None = None        # the imported submission's manifest (aggregator)
    gathered: Gathered | None = None    # the own unit's data as an export reads it (unit)


# -- reading the subject -------------------------------------------------------------------------------


def check_pdf_out(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise UserError(f"{out.name}: the report is a PDF file, name it *.pdf",
                        f"{out.name}: báo cáo là tệp PDF, hãy đặt tên *.pdf")
    return out


def _marks(ws: Workspace, unit_code: str) -> dict[str, Mark]:
    from app.services.rounds import chosen_id

    with ws.store.session() as session:
        rid = chosen_id(ws, session)
        return {row.code: Mark(None if row.points is None else Decimal(row.points), row.comment, row.appraiser)
                for row in session.scalars(select(Appraisal).where(Appraisal.unit_code == unit_code,
                                                                   Appraisal.round_id == rid))}


def evidence_by_code(evidence: Sequence[AttachedEvidence]) -> dict[str, list[AttachedEvidence]]:
    out: dict[str, list[AttachedEvidence]] = {}
    for item in evidence:
        out.setdefault(item.code, []).append(item)
    return out


def own_subject(ws: Workspace, gathered: Gathered | None = None) -> Subject:
    from app.services.package_export import gather

    g = gathered or gather(ws)
    return Subject(g.state, g.score, g.findings, g.evidence, _marks(ws, g.state.code), at_aggregator=False,
                   gathered=g)


def _latest_submission(ws: Workspace, unit_code: str) -> Submission | None:
    from app.services.rounds import chosen_id

    with ws.store.session() as session:
        row = session.scalars(select(Submission).where(Submission.unit_code == unit_code,
                                                       Submission.framework_id == chosen_id(ws, session))
                              .order_by(Submission.revision.desc())).first()
        if row is not None:
            session.expunge(row)
        return row


def received_subject(ws: Workspace, unit_code: str) -> Subject | None:
    """The latest submission imported from `unit_code`, scored as the ranking scores it (appraisals made
    here, best-in-group rules against the group's latest submissions); None when nothing was imported."""
    from app.services.aggregate import latest_submissions

    row = _latest_submission(ws, unit_code)
    if row is None:
        return None
    manifest = json.loads(row.manifest_json)
    data = json.loads(row.data_json)
    loaded = ws.frameworks.get(f"{row.framework_id}@{row.framework_sha256}")
    fw = loaded.framework
    unit = manifest["unit"]
    group = unit["group"]
    values = data["values"]
    state = UnitState(unit_code, unit["name"], group, loaded,
                      {c: decode_parsed(v) for c, v in values["values"].items()},
                      {c: decode_parsed(v) for c, v in values["info"].items()},
                      dict(values["explanations"]))
    peers = [(r.values, r.info) for r in latest_submissions(ws)
             if r.group == group and (r.framework_id, r.framework_sha256) == (row.framework_id, row.framework_sha256)]
    marks = _marks(ws, unit_code)
    points = {code: m.points for code, m in marks.items() if m.points is not None}
    score = score_unit(fw, group, state.values, state.info, points, best_measures(fw, group, peers))
    evidence = [AttachedEvidence(item["code"], item["name"], item["sha256"], item["size"], item["kind"],
                                 item.get("pages"),
                                 tuple(StoredProblem(p["code"], p["vi"], p["en"]) for p in item.get("problems", [])),
                                 tuple(item.get("signatures", [])), item.get("original_sha256"))
                for item in data["evidence"]]
    findings = find_problems(state, score, evidence_by_code(evidence))
    return Subject(state, score, findings, evidence, marks, at_aggregator=True, manifest=manifest)


def subject_for(ws: Workspace, unit_code: str | None) -> Subject:
    """The own unit (no code, or the own unit's code with nothing imported for it), else the latest
    submission of `unit_code`; an unknown unit is a UserError."""
    if unit_code is None:
        try:
            return own_subject(ws)
        except UserError:
            with ws.store.session() as session:
                imported = session.scalars(select(Submission.unit_code)).first()
            if imported is None:
                raise
            raise UserError("this installation has no unit of its own: name the unit with --unit CODE",
                            "máy này không có đơn vị riêng: hãy chỉ rõ đơn vị bằng --unit MÃ") from None
    code = unit_code.strip()
    received = received_subject(ws, code)
    if received is not None:
        return received
    own = _own_code(ws)
    if own is not None and own == code:
        return own_subject(ws)
    raise UserError(f"unit {code}: no submission was imported here and it is not this installation's unit",
                    f"đơn vị {code}: chưa nhập gói nào của đơn vị này và đây không phải đơn vị của máy này")


def _own_code(ws: Workspace) -> str | None:
    from app.models.tables import Unit

    with ws.store.session() as session:
        unit = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        return unit.code if unit is not None else None


# -- plain data for the PDF ----------------------------------------------------------------------------


def value_text(leaf: Indicator, value: Any, lang: str) -> str | None:
    """An entered value as people read it; choices and parts by their labels."""
    if value is None:
        return None
    rule = leaf.rule
    if isinstance(rule, ChoiceRule) and isinstance(value, str):
        return next((o.label for o in rule.options if o.code == value), value)
    if isinstance(rule, PartsRule) and isinstance(value, frozenset):
        labels = [p.label for p in rule.parts if p.code in value]
        return "; ".join(labels) if labels else ("không đạt nội dung nào" if lang == "vi" else "no part met")
    if isinstance(value, Ratio) and value.b is None:
        denominators = rule.denominators() if rule is not None else ()
        if denominators:
            return f"{display(value.a, lang)} (a / {denominators[0]})"
    return display(value, lang)


def parse_stamp(text: str | None) -> datetime | None:
    """A stored UTC stamp (2024-05-06T07:08:09Z) as local time, or None."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def _signature(data: dict) -> SignatureLine:
    return SignatureLine(str(data.get("signer") or ""), parse_stamp(data.get("signing_time")),
                         bool(data.get("intact")), bool(data.get("valid")), bool(data.get("trusted")),
                         bool(data.get("covers_whole_file")))


def evidence_line(item: AttachedEvidence, lang: str) -> EvidenceLine:
    return EvidenceLine(item.name, item.sha256, item.size, item.kind, item.pages,
                        tuple(p.vi if lang == "vi" else p.en for p in item.problems),
                        tuple(_signature(s) for s in item.signatures if isinstance(s, dict)))


def build_report(subject: Subject, package: PackageInfo, made: datetime, lang: str) -> UnitReport:
    state, score = subject.state, subject.score
    fw = state.loaded.framework
    group = state.group
    by_code = evidence_by_code(subject.evidence)
    findings: dict[str, list[Finding]] = {}
    for f in subject.findings:
        findings.setdefault(f.code, []).append(f)
    lines = []
    for node in score.nodes:
        ind = fw.indicator(node.code)
        mark = subject.marks.get(node.code) if node.leaf else None
        own = findings.get(node.code, [])
        lines.append(IndicatorLine(
            code=node.code, title=node.title, depth=node.depth, leaf=node.leaf, max=node.max, points=node.points,
            self_points=node.self_points, appraised=node.appraised if node.leaf else None,
            # a points rule's "how" only repeats the points
            how=explain(node.how, lang) if node.leaf and node.how.key != "points" else "",
            rule=describe_rule(ind.rule, node.max, lang) if node.leaf else "",
            value=value_text(ind, state.values.get(node.code), lang) if node.leaf else None,
            explanation=state.explanations.get(node.code), comment=mark.comment if mark else None,
            appraiser=mark.appraiser if mark and (mark.points is not None or mark.comment) else None,
            evidence_level=ind.evidence, evidence=tuple(evidence_line(e, lang) for e in by_code.get(node.code, [])),
            # problems of a file are shown under that file; the missing value under "Value"
            warnings=tuple(f.message(lang) for f in own if f.severity != "info"
                           and f.kind not in ("evidence_problem", "missing_value")),
            notes=tuple(f.message(lang) for f in own if f.severity == "info")))
    indices = tuple(IndexLine(n.code, n.title, score.indices[n.code], q2(n.self_points), n.max)
                    for n in score.nodes if n.depth == 0)
    warnings = tuple((f.code, f.message(lang)) for f in subject.findings if f.severity != "info")
    g = fw.group(group)
    return UnitReport(
        lang=lang, unit_code=state.code, unit_name=state.name, group_code=group, group_title=g.title if g else group,
        framework_id=fw.id, framework_title=fw.title, framework_sha256=state.loaded.sha256, decision=fw.decision,
        round_year=fw.round.year, round_start=fw.round.start, round_end=fw.round.end, made=made,
        total=score.total, self_total=score.self_total, max=score.max, share=score.share, grade=score.grade,
        indices=indices, indicators=tuple(lines), warnings=warnings, package=package,
        at_aggregator=subject.at_aggregator)


# -- the package section -------------------------------------------------------------------------------


def _evidence_labels(evidence: Sequence[AttachedEvidence]) -> dict[str, str]:
    names: dict[str, list[str]] = {}
    for item in evidence:
        if item.name not in names.setdefault(item.sha256, []):
            names[item.sha256].append(item.name)
    return {sha: "; ".join(n) for sha, n in names.items()}


def entry_hashes(entries: Sequence[tuple[str, Any]], evidence: Sequence[AttachedEvidence]) -> tuple[EntryHash, ...]:
    """The data entries and evidence files of a package being written (bytes, or a content-addressed file
    whose name is its hash), in the package's name order; report/* left out."""
    labels = _evidence_labels(evidence)
    sizes = {item.sha256: item.size for item in evidence}
    out = []
    for name, source in sorted(entries, key=lambda e: e[0]):
        if name.startswith("report/"):
            continue
        if isinstance(source, bytes | bytearray):
            out.append(EntryHash(name, hashlib.sha256(source).hexdigest(), len(source)))
        else:  # evidence/<sha256>.<ext>: the store verified the content against the name when it took it
            sha = name.split("/", 1)[1].split(".", 1)[0]
            out.append(EntryHash(name, sha, sizes.get(sha, Path(source).stat().st_size), labels.get(sha, "")))
    return tuple(out)


def _manifest_hashes(manifest: dict, evidence: Sequence[AttachedEvidence]) -> tuple[EntryHash, ...]:
    labels = _evidence_labels(evidence)
    out = []
    for e in sorted(manifest.get("entries") or [], key=lambda e: str(e.get("name"))):
        name = str(e.get("name"))
        if name.startswith(("data/", "evidence/")):
            sha = name.split("/", 1)[1].split(".", 1)[0]
            out.append(EntryHash(name, str(e.get("sha256")), int(e.get("size") or 0),
                                 labels.get(sha, "") if name.startswith("evidence/") else ""))
    return tuple(out)


def _last_export(ws: Workspace, unit_code: str, year: int) -> tuple[int | None, datetime | None]:
    with ws.store.session() as session:
        row = session.scalars(select(Export).where(Export.unit_code == unit_code, Export.round_year == year,
                                                   Export.manifest_sha256 != "").order_by(Export.revision.desc())
                              ).first()
        return (row.revision, parse_stamp(row.created_at)) if row is not None else (None, None)


def package_info(ws: Workspace, subject: Subject) -> PackageInfo:
    if subject.manifest is not None:
        m = subject.manifest
        return PackageInfo(str(m.get("package_id")), m.get("revision"), parse_stamp(m.get("created_at")),
                           _manifest_hashes(m, subject.evidence))
    from app.services.package_export import build_contents, gather

    _manifest, entries, _warnings = build_contents(ws, subject.gathered or gather(ws))
    revision, exported = _last_export(ws, subject.state.code, subject.state.loaded.framework.round.year)
    return PackageInfo(None, None, None, entry_hashes(entries, subject.evidence), revision, exported)


# -- writing -------------------------------------------------------------------------------------------


def write_unit_report(ws: Workspace, out: Path, *, unit_code: str | None, lang: str) -> Path:
    """Write the report of the own unit (or, at an aggregator, of `unit_code`) to `out` atomically."""
    from app.reports.unit_report import write_unit_report as write_pdf_report

    out = check_pdf_out(out)
    subject = subject_for(ws, unit_code)
    write_pdf_report(out, build_report(subject, package_info(ws, subject), ws.clock().astimezone(), lang))
    return out


def package_report(ws: Workspace, gathered: Gathered, manifest: dict, entries: Sequence[tuple[str, Any]],
                   moment: datetime, lang: str = "vi") -> UnitReport:
    """The report an export puts in its package, as data: the gathered data, the package id and revision,
    and the hashes of the entries written beside it (the PDF is drawn by `draw_report`)."""
    subject = own_subject(ws, gathered)
    created = parse_stamp(manifest.get("created_at")) or moment.astimezone()
    info = PackageInfo(str(manifest["package_id"]), manifest["revision"], created,
                       entry_hashes(entries, gathered.evidence))
    return build_report(subject, info, created, lang)


def draw_report(path: Path, report: UnitReport) -> Path:
    """The PDF of `report` (plain data only: safe in a worker thread)."""
    from app.reports.unit_report import write_unit_report as write_pdf_report

    write_pdf_report(path, report)
    return path
