"""`dti report dossier`: all of a unit's evidence in one PDF, in framework order (tập tài liệu kiểm chứng).

At a unit installation it gathers the own unit's evidence; at an aggregator (`--unit C`) the evidence of
C's latest imported submission, which the import placed in the same content-addressed store. The PDF is
put together by `app.reports.dossier` from plain data built here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.evidence.model import EXT_OF_KIND
from app.reports.dossier import Dossier, DossierFile, DossierResult, DossierSection
from app.scoring.explain import describe_rule
from app.services.evidence_service import evidence_path
from app.services.report_unit import Subject, check_pdf_out, evidence_by_code, evidence_line, subject_for, value_text
from app.services.workspace import Workspace


def build_dossier(ws: Workspace, subject: Subject, lang: str, made: datetime) -> Dossier:
    state, score = subject.state, subject.score
    fw = state.loaded.framework
    by_code = evidence_by_code(subject.evidence)
    sections = []
    trail: list[tuple[str, str]] = []
    for node in score.nodes:                 # pre-order: the trail of ancestors follows the depth
        del trail[node.depth:]
        if not node.leaf:
            trail.append((node.code, node.title))
            continue
        items = by_code.get(node.code)
        if not items:
            continue
        ind = fw.indicator(node.code)
        files = []
        for item in items:
            line = evidence_line(item, lang)
            path = evidence_path(ws.data_dir, item.sha256, EXT_OF_KIND.get(item.kind, item.kind))
            files.append(DossierFile(line.name, line.sha256, line.size, line.kind, line.pages,
                                     path if path.is_file() else None, line.problems, line.signatures))
        sections.append(DossierSection(
            code=node.code, title=node.title, trail=tuple(trail), rule=describe_rule(ind.rule, node.max, lang),
            evidence_level=ind.evidence, guide=ind.guide, value=value_text(ind, state.values.get(node.code), lang),
            points=node.points, max=node.max, explanation=state.explanations.get(node.code), files=tuple(files),
            self_points=node.self_points if node.self_points != node.points else None))
    missing = tuple((f.code, fw.indicator(f.code).title) for f in subject.findings
                    if f.kind == "evidence_missing" and fw.has_indicator(f.code))
    group = fw.group(state.group)
    return Dossier(lang=lang, unit_code=state.code, unit_name=state.name,
                   group_title=group.title if group else state.group, framework_id=fw.id, framework_title=fw.title,
                   decision=fw.decision, round_year=fw.round.year, made=made, at_aggregator=subject.at_aggregator,
                   sections=tuple(sections), missing=missing)


def dossier(ws: Workspace, out: Path, *, unit_code: str | None, lang: str) -> DossierResult:
    """Write the dossier and say what went in (pages, files only named on a separator)."""
    from app.reports.dossier import write_dossier as write_pdf

    out = check_pdf_out(out)
    subject = subject_for(ws, unit_code)
    return write_pdf(out, build_dossier(ws, subject, lang, ws.clock().astimezone()))


def write_dossier(ws: Workspace, out: Path, *, unit_code: str | None, lang: str) -> Path:
    """Write the evidence dossier of the own unit (or, at an aggregator, of `unit_code`) to `out` atomically."""
    dossier(ws, out, unit_code=unit_code, lang=lang)
    return Path(out)
