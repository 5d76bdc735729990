"""`dti report ranking`: the ranking as a published result decision's appendix (phụ lục kết quả xếp hạng),
as a PDF to sign and publish or a workbook to check and re-use.

The figures are those of `dti rank --json` (`aggregate.ranking_data`), taken from that very shape so the
published appendix can never differ from what scripts read. The writers get plain data, no ORM objects.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from app.errors import UserError
from app.models.tables import Unit
from app.reports.ranking_model import (
    Count,
    GroupTable,
    IndexColumn,
    LeafRow,
    ProgressRow,
    RankingReport,
    UnitRow,
)
from app.scoring.model import Framework
from app.scoring.ranking import GroupRanking
from app.services import aggregate, status
from app.services.workspace import Workspace

# Vietnam keeps one time zone and no daylight saving: dates and times are printed as read there.
VIETNAM = timezone(timedelta(hours=7))
FORMATS = (".pdf", ".xlsx")
FALLBACK_ISSUER = {"vi": "Hội đồng đánh giá chuyển đổi số", "en": "Digital transformation assessment council"}


def write_ranking_report(ws: Workspace, out: Path, *, group: str | None = None, framework: str | None = None,
                         lang: str = "vi") -> Path:
    """Write the ranking report to `out` (PDF or XLSX by its suffix) atomically; returns the path written."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in FORMATS:  # refused before anything is read or written
        raise UserError(f"{out.name}: the ranking report is written as .pdf or .xlsx",
                        f"{out.name}: báo cáo xếp hạng chỉ xuất ra tệp .pdf hoặc .xlsx")
    moment = ws.clock().astimezone(VIETNAM)
    report = build_report(ws, group=group, framework=framework, lang=lang, made_on=moment.date())
    if suffix == ".pdf":
        from app.reports.ranking_pdf import write_ranking_pdf

        write_ranking_pdf(out, report, created=moment)
    else:
        from app.reports.ranking_xlsx import write_ranking_xlsx

        write_ranking_xlsx(out, report)
    return out


def build_report(ws: Workspace, *, group: str | None, framework: str | None, lang: str, made_on: date) -> RankingReport:
    """Everything the report prints, as plain data."""
    fw, rankings = aggregate.rank(ws, group, framework)
    progress, group_counts, district_counts = _progress(ws, fw, group, lang, made_on)
    return RankingReport(
        issuer=issuer_name(ws, lang), framework_id=fw.id, framework_title=fw.title, decision=fw.decision,
        year=fw.round.year, made_on=made_on, lang=lang, groups=group_tables(fw, rankings),
        leaves=tuple(_leaves(rankings)), progress=progress, group_counts=group_counts,
        district_counts=district_counts)


def issuer_name(ws: Workspace, lang: str) -> str:
    """Who publishes the ranking: this installation's enrolling body (the province's root CA, a district's
    issuing CA), else the unit it belongs to, else the appraisal council in general words."""
    from app.services.trust_service import identity
    from app.trust import certs

    ident = identity(ws)
    for held in (ident.issuing, ident.root, ident.signing):
        if held is not None:
            return certs.common_name(held[0])
    with ws.store.session() as session:
        own = session.scalars(select(Unit).where(Unit.own.is_(True))).first()
        if own is not None:
            return own.name
    return FALLBACK_ISSUER["en" if lang == "en" else "vi"]


def group_tables(fw: Framework, rankings: list[GroupRanking]) -> tuple[GroupTable, ...]:
    """One table per group with the numbers of the `dti rank --json` shape."""
    published = aggregate.ranking_data(fw, rankings)["groups"]
    tables = []
    for ranking, data in zip(rankings, published, strict=True):
        columns = tuple(IndexColumn(i.code, i.title, i.max[ranking.group.code])
                        for i in fw.indicators if i.applies_to(ranking.group.code))
        units = tuple(UnitRow(u["rank"], u["unit_code"], u["unit_name"], u["total"], u["share"], u["grade"],
                              dict(u["indices"]), dict(u["index_ranks"])) for u in data["units"])
        tables.append(GroupTable(data["code"], data["title"], data["ranked"], data["max"], columns, units))
    return tuple(tables)


def _leaves(rankings: list[GroupRanking]):
    for ranking in rankings:
        for unit in ranking.units:
            for node in unit.score.nodes:
                if node.leaf:
                    yield LeafRow(unit.unit_code, unit.unit_name, ranking.group.code, node.code, node.title,
                                  node.max, node.self_points, node.appraised, node.points)


def _progress(ws: Workspace, fw: Framework, group: str | None, lang: str, today: date):
    """Per expected unit of the framework's groups (or the one asked for), and the counts per group/district."""
    index = 1 if lang == "en" else 0
    everyone = status.unit_statuses(ws, today)
    names = {s.unit_code: s.unit_name for s in everyone}  # a district is a unit too
    statuses = [s for s in everyone
                if fw.group(s.group) is not None and (group is None or s.group == group)]
    rows = tuple(ProgressRow(s.unit_code, s.unit_name, s.group, s.district, status.STATE_TEXT[s.state][index],
                             s.revision, vietnam_time(s.submitted_at), s.late) for s in statuses)
    counts = status.completeness(statuses)
    by_group = tuple(_count(code, fw.group(code).title, c) for code, c in counts["groups"].items())
    by_district = tuple(_count(code, names.get(code, code), c) for code, c in sorted(counts["districts"].items()))
    order = {g.code: n for n, g in enumerate(fw.groups)}
    return rows, tuple(sorted(by_group, key=lambda c: order[c.key])), by_district


def _count(key: str, title: str, counts: dict[str, int]) -> Count:
    return Count(key, title, counts.get("expected", 0), counts.get("received", 0), counts.get("final", 0),
                 counts.get("late", 0))


def vietnam_time(iso: str | None) -> datetime | None:
    """A stored UTC stamp (2024-03-12T02:05:00Z) as a naive Vietnam time: spreadsheets hold no zones."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM).replace(tzinfo=None)

