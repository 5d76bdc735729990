"""`dti demo`: the whole main job, headless, in a fresh folder, in two rounds.

2023, the three-tier world of the seeds, on the bundled Hưng Yên framework: a province enrolls two districts
(which enroll three communes each) and four departments; every unit fills in illustrative figures, attaches
small generated evidence PDFs and exports a signed package; the districts import and appraise their communes,
send feedback, receive a second revision and forward a bundle; the province imports everything and ranks.

2025, the two-tier map (no districts since July 2025, communes merged): the same province opens a round on the
bundled commune framework of the new shape, enrolls the merged communes (their predecessors recorded), takes
over the one commune that was not merged (no new enrollment: a round file), imports their packages and ranks
them against 2023, a merged commune against the mean of its predecessors. Every figure is made up and labelled
as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from app.scoring.model import Framework
from app.scoring.numbers import format_points
from app.scoring.ranking import GroupRanking
from app.scoring.rules import AppraiserOnlyRule
from app.services.demo import illustrative_units
from app.services.workspace import Workspace

PASSPHRASE = "minh-hoa-2023"          # the demo's own passphrase, printed: never use it for real data
FRAMEWORK = "hy-2023"
FRAMEWORK_2025 = "hn-xa-2025"        # the bundled commune framework of the two-tier shape (reconstructed)
# 2025: the communes of 2023 merged (illustrative names); X-NL is not merged and goes on under its own code
MERGED_2025 = [("X-TTV", "UBND xã Toàn Thắng (hợp nhất Toàn Thắng, Vĩnh Xá; minh họa)", ("X-TT", "X-VX")),
               ("X-ATH", "UBND xã Ân Thi (hợp nhất Quang Vinh, Hạ Lễ, Đa Lộc; minh họa)", ("X-QV", "X-HV", "X-DT"))]
CONTINUING_2025 = "X-NL"
PROVINCE = ("HY", "Sở Thông tin và Truyền thông Hưng Yên (minh họa)")
DISTRICTS = {
    "H-KD": ("UBND huyện Kim Động (minh họa)", [("X-TT", "UBND xã Toàn Thắng (minh họa)"),
                                                ("X-VX", "UBND xã Vĩnh Xá (minh họa)"),
                                                ("X-NL", "UBND xã Nghĩa Dân (minh họa)")]),
    "H-AT": ("UBND huyện Ân Thi (minh họa)", [("X-QV", "UBND xã Quang Vinh (minh họa)"),
                                              ("X-HV", "UBND xã Hạ Lễ (minh họa)"),
                                              ("X-DT", "UBND xã Đa Lộc (minh họa)")]),
}
DEPARTMENTS = [("S-TP", "Sở Tư pháp (minh họa)", "so-dvc"), ("S-YT", "Sở Y tế (minh họa)", "so-dvc"),
               ("S-TT", "Thanh tra tỉnh (minh họa)", "so-khong-dvc"),
               ("S-VP", "Văn phòng Đoàn ĐBQH và HĐND tỉnh (minh họa)", "so-khong-dvc")]


@dataclass
class DemoResult:
    framework: Framework | None
    rankings: list[GroupRanking]
    steps: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)
    framework_2025: Framework | None = None
    rankings_2025: list[GroupRanking] = field(default_factory=list)
    previous: object | None = None                 # aggregate.PreviousRound of 2023, for the comparison
    predecessors: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _evidence_pdf(path: Path, unit_name: str, title: str) -> None:
    from reportlab.platypus import Spacer

    from app.reports.pdfbase import para, styles, write_pdf

    s = styles()
    story = [para("BIÊN BẢN (TÀI LIỆU MINH HỌA)", s.title), Spacer(1, 12), para(unit_name, s.heading),
             para(title, s.body), Spacer(1, 12),
             para("Tài liệu này do chương trình dti sinh ra để minh họa quy trình; không phải văn bản thật.", s.small)]
    write_pdf(path, story, title=title, subject="Tài liệu minh họa")


def run_demo(base: Path, log: Callable[[str], None] = print, seed: int = 2023) -> DemoResult:
    """Run the chain in `base` (a fresh folder); returns the province's final ranking."""
    from app.services import aggregate, enrollment, evidence_service, feedback, package_export, package_import
    from app.services.bundle import export_bundle
    from app.services.trust_service import authority_init

    base.mkdir(parents=True, exist_ok=True)
    files = base / "tep-chuyen-giao"
    files.mkdir(exist_ok=True)
    result = DemoResult(None, [])

    def open_ws(name: str) -> Workspace:
        return Workspace(base / name)

    def step(text: str) -> None:
        result.steps.append(text)
        log(f"  • {text}")

    with open_ws("tinh") as prov:
        authority_init(prov, *PROVINCE, PASSPHRASE)
        loaded = prov.frameworks.get(FRAMEWORK)
        result.framework = loaded.framework
        issued = []
        for code, (name, _) in DISTRICTS.items():
            enrollment.issue(prov, framework_ref=FRAMEWORK, unit_code=code, unit_name=name, group="huyen",
                             out=files / f"{code}.dtienroll", can_issue=True, passphrase=PASSPHRASE,
                             unit_passphrase=PASSPHRASE)
            issued.append(code)
        for code, name, group in DEPARTMENTS:
            enrollment.issue(prov, framework_ref=FRAMEWORK, unit_code=code, unit_name=name, group=group,
                             out=files / f"{code}.dtienroll", can_issue=False, passphrase=PASSPHRASE,
                             unit_passphrase=PASSPHRASE)
    step(f"Tỉnh cấp tài khoản cho {len(DISTRICTS)} huyện và {len(DEPARTMENTS)} sở (kèm phiếu cấp tài khoản PDF)")

    framework = loaded.framework
    generated = illustrative_units(framework, per_group=7, seed=seed)
    pools = {g.code: [u for u in generated if u.group == g.code] for g in framework.groups}
    taken = {g.code: 0 for g in framework.groups}   # each unit gets its own illustrative figures

    def fill_and_export(code: str, group: str, name: str, revision_note: str = "") -> Path:
        with open_ws(code) as ws:
            sample = pools[group][taken[group] % len(pools[group])]
            taken[group] += 1
            typed = {k: v for k, v in (dict(sample.values) | dict(sample.info)).items() if v is not None}
            ws.set_entries(typed, {}, reason="số liệu minh họa", action="entry.import")
            required = [leaf for leaf in framework.leaves(group)
                        if leaf.evidence == "required" and not isinstance(leaf.rule, AppraiserOnlyRule)][:2]
            for leaf in required:
                pdf = files / "minh-chung" / f"{code}-{leaf.code}.pdf"
                pdf.parent.mkdir(exist_ok=True)
                _evidence_pdf(pdf, name, f"Minh chứng cho chỉ tiêu {leaf.code}: {leaf.title}")
                evidence_service.add_evidence(ws, leaf.code, [pdf])
            out = files / f"{code}-r1.dtipkg"
            package_export.export_package(ws, out, PASSPHRASE)
            return out

    for district, (_, communes) in DISTRICTS.items():
        with open_ws(district) as dws:
            enrollment.accept(dws, files / f"{district}.dtienroll", PASSPHRASE)
            for code, name in communes:
                enrollment.issue(dws, framework_ref=FRAMEWORK, unit_code=code, unit_name=name, group="xa",
                                 out=files / f"{code}.dtienroll", can_issue=False, passphrase=PASSPHRASE,
                                 unit_passphrase=PASSPHRASE)
        for code, name in communes:
            with open_ws(code) as cws:
                enrollment.accept(cws, files / f"{code}.dtienroll", PASSPHRASE)
            fill_and_export(code, "xa", name)
        with open_ws(district) as dws:
            outcomes = package_import.import_paths(dws, [files / f"{c}-r1.dtipkg" for c, _ in communes])
            assert all(o.status == "imported" for o in outcomes), [o.line("en") for o in outcomes]
    step("6 xã nhận tài khoản, nhập số liệu minh họa, đính kèm minh chứng PDF, xuất gói có chữ ký; huyện nhập gói")

    # appraisal with feedback and a second revision, in the first district's first commune
    district, (dname, communes) = next(iter(DISTRICTS.items()))
    commune = communes[0][0]
    leaf = next(leaf for leaf in framework.leaves("xa") if leaf.evidence == "required"
                and not isinstance(leaf.rule, AppraiserOnlyRule))
    with open_ws(district) as dws:
        received = next(r for r in aggregate.latest_submissions(dws) if r.unit_code == commune)
        from app.scoring.engine import score_unit

        own = score_unit(framework, "xa", received.values, received.info).node(leaf.code).points
        cut = str((own / 2).quantize(Decimal("0.01")))
        aggregate.appraise_set(dws, commune, leaf.code, cut, "Minh chứng chưa đủ: thiếu biên bản của 2 thôn",
                               explanation_requested=True)
        feedback.export_feedback(dws, commune, files / f"{commune}.phanhoi", PASSPHRASE)
    with open_ws(commune) as cws:
        feedback.import_feedback(cws, files / f"{commune}.phanhoi")
        cws.set_explanation(leaf.code, "Đã bổ sung biên bản họp của các thôn còn thiếu (minh họa)")
        package_export.export_package(cws, files / f"{commune}-r2.dtipkg", PASSPHRASE)
    with open_ws(district) as dws:
        package_import.import_paths(dws, [files / f"{commune}-r2.dtipkg"])
    step(f"Huyện thẩm định {commune} chỉ tiêu {leaf.code} ({format_points(Decimal(cut))} điểm), gửi phản hồi; "
         "xã giải trình, nộp lần 2")

    for district, (dname, _) in DISTRICTS.items():
        fill_and_export(district, "huyen", dname)   # a district is also a unit the province assesses
        with open_ws(district) as dws:
            export_bundle(dws, files / f"{district}.dtibundle", PASSPHRASE)
    step("2 huyện tự đánh giá, xuất gói của mình và gói tổng hợp các xã (ký số)")

    for code, name, group in DEPARTMENTS:
        with open_ws(code) as sws:
            enrollment.accept(sws, files / f"{code}.dtienroll", PASSPHRASE)
        fill_and_export(code, group, name)
    with open_ws("tinh") as prov:
        paths = [files / f"{d}-r1.dtipkg" for d in DISTRICTS] + [files / f"{d}.dtibundle" for d in DISTRICTS] \
            + [files / f"{c}-r1.dtipkg" for c, _, _ in DEPARTMENTS]
        outcomes = package_import.import_paths(prov, paths)
        refused = [o.line("en") for o in outcomes if o.status in ("refused", "alarm")]
        if refused:
            raise RuntimeError("demo import refused: " + "; ".join(refused))
        _, result.rankings = aggregate.rank(prov)
    step(f"Tỉnh nhập {len(paths)} tệp (gói của sở, huyện và gói tổng hợp của huyện) và xếp hạng")
    result.reports = _write_reports(base, open_ws, commune)
    step(f"Tỉnh in báo cáo xếp hạng (PDF, Excel); xã {commune} in báo cáo tự đánh giá và hồ sơ minh chứng (PDF)")
    _second_round(result, files, open_ws, step, seed)
    result.files = sorted(files.glob("*.dtipkg")) + sorted(files.glob("*.dtibundle"))
    return result


def _second_round(result: DemoResult, files: Path, open_ws: Callable[[str], Workspace], step: Callable[[str], None],
                  seed: int) -> None:
    """2025 in the same installations: no re-enrollment of the unit that goes on, new enrollments for merged ones."""
    # a month after the day the demo runs, so that its units are on time whenever it is run (a real round's
    # deadline is a fixed date: `dti round open --deadline 2025-11-30`)
    from datetime import timedelta

    from app.services import aggregate, enrollment, package_crypto, package_export, package_import, round_file, rounds

    with open_ws("tinh") as prov:
        deadline = (prov.clock() + timedelta(days=31)).date()
        # the province asks for encrypted packages this year (issue 19): its round file carries the ask
        opened = rounds.open_round(prov, FRAMEWORK_2025, deadline.isoformat(), ask_encryption=True)
        rounds.assign(prov, CONTINUING_2025, "xa")
        fw = prov.frameworks.get(opened.round.ref).framework
        for code, name, before in MERGED_2025:
            enrollment.issue(prov, framework_ref=None, unit_code=code, unit_name=name, group="xa",
                             out=files / f"{code}.dtienroll", can_issue=False, passphrase=PASSPHRASE,
                             unit_passphrase=PASSPHRASE, predecessors=before)
        sent = round_file.export_round(prov, files / "dot-2025.dtiround", PASSPHRASE)
    result.framework_2025 = fw
    step(f"2025: tỉnh mở đợt {fw.id} (hai cấp, hạn nộp {deadline:%d/%m/%Y}, yêu cầu mã hoá gói), cấp tài khoản cho "
         f"{len(MERGED_2025)} xã hợp nhất (ghi các xã cũ), gửi tệp đợt đánh giá cho {sent.units} xã; "
         f"{len(sent.unassigned)} đơn vị của năm 2023 không còn trong đợt (huyện, sở)")
    made = [u for u in illustrative_units(fw, per_group=4, seed=seed + 2) if u.group == "xa"]
    for code, _name, _before in MERGED_2025:
        with open_ws(code) as ws:
            enrollment.accept(ws, files / f"{code}.dtienroll", PASSPHRASE)
    codes = [CONTINUING_2025] + [code for code, _, _ in MERGED_2025]
    for code in codes:   # every commune takes the round file: the merged ones too, for what the round asks
        with open_ws(code) as ws:
            round_file.accept_round(ws, files / "dot-2025.dtiround")
    for sample, code in zip(made, codes, strict=False):
        with open_ws(code) as ws:
            typed = {k: v for k, v in (dict(sample.values) | dict(sample.info)).items() if v is not None}
            ws.set_entries(typed, {}, reason="số liệu minh họa", action="entry.import")
            package_export.export_package(ws, files / f"{code}-2025-r1.dtipkg", PASSPHRASE,
                                          encrypt=package_crypto.default_on(ws))
    step(f"Xã {CONTINUING_2025} nhận tệp đợt đánh giá (không cấp lại tài khoản, không đổi khóa); {len(codes)} xã nhập "
         "số liệu minh họa năm 2025 và xuất gói, mã hoá cho tỉnh như đợt yêu cầu")
    with open_ws("tinh") as prov:
        outcomes = package_import.import_paths(prov, [files / f"{c}-2025-r1.dtipkg" for c in codes],
                                               passphrase=lambda: PASSPHRASE)
        refused = [o.line("en") for o in outcomes if o.status in ("refused", "alarm")]
        if refused:
            raise RuntimeError("demo import refused: " + "; ".join(refused))
        _, result.rankings_2025 = aggregate.rank_summary(prov)
        result.previous = aggregate.previous_round(prov, fw, FRAMEWORK)
        result.predecessors = aggregate.predecessors(prov)
    step("Tỉnh nhập gói năm 2025 và xếp hạng, so với năm 2023: xã hợp nhất so với trung bình các xã cũ")


def _write_reports(base: Path, open_ws: Callable[[str], Workspace], commune: str) -> list[Path]:
    """What a province publishes and a commune prints, from the same services as `dti report`."""
    from app.services.report_dossier import write_dossier
    from app.services.report_ranking import write_ranking_report
    from app.services.report_unit import write_unit_report

    reports = base / "bao-cao"
    reports.mkdir(exist_ok=True)
    with open_ws("tinh") as prov:
        written = [write_ranking_report(prov, reports / "xep-hang.pdf", group=None, framework=None, lang="vi"),
                   write_ranking_report(prov, reports / "xep-hang.xlsx", group=None, framework=None, lang="vi")]
    with open_ws(commune) as unit:
        written += [write_unit_report(unit, reports / f"{commune}-bao-cao.pdf", unit_code=None, lang="vi"),
                    write_dossier(unit, reports / f"{commune}-ho-so-minh-chung.pdf", unit_code=None, lang="vi")]
    return written
