"""`dti rank`, `dti status`, `dti feedback export|import`, `dti bundle export` (and `dti round`, app.cli.round_cmd)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import emit_json, open_workspace


def rank(args: argparse.Namespace) -> int:
    from app.scoring.numbers import format_points, format_share
    from app.scoring.ranking import without_cycle_collection
    from app.services.aggregate import predecessors, previous_round, rank_summary, ranking_data

    with open_workspace(args, write=False) as ws:
        fw, rankings = rank_summary(ws, args.group, args.framework)
        previous = previous_round(ws, fw, args.previous)
        merged = predecessors(ws) if previous is not None else {}
    if args.json:
        with without_cycle_collection():
            emit_json(ranking_data(fw, rankings, previous, merged))
        return 0
    lang = args.lang
    vi = lang == "vi"
    print(fw.title)
    if not any(r.units for r in rankings):   # nothing received here: say where a ranking comes from
        print("  " + ("chưa nhận gói nào ở máy này: bảng xếp hạng do cơ quan nhận gói lập; điểm tự chấm của đơn vị: "
                      "`dti score`" if vi else "no package received here: the ranking is made where packages are "
                      "imported; this unit's own provisional score: `dti score`"))
        return 0
    for r in rankings:
        if not r.units and args.group is None:
            continue  # groups this authority has no submission from (the JSON keeps them)
        print()
        note = "" if r.group.ranked else (" — không xếp hạng" if vi else " — not ranked")
        print(f"{r.group.title} ({'tối đa' if vi else 'maximum'} {format_points(r.max, lang)}){note}")
        if not r.units:
            print("  " + ("chưa có đơn vị nào nộp" if vi else "no submission yet"))
        for u in r.units:
            print(f"  {u.rank:>3}. {u.unit_code:<10} {u.unit_name:<28} {format_points(u.score.total, lang):>9}  "
                  f"{format_share(u.score.share, lang):>9}  {u.score.grade or '-':<12}"
                  + _compared(previous, merged, u, r.group.code, lang))
    return 0


def changes(args: argparse.Namespace) -> int:
    from app.services.revisions import unit_changes

    with open_workspace(args, write=False) as ws:
        got = unit_changes(ws, args.unit, args.revision, args.since, args.lang)
    if args.json:
        emit_json({"unit_code": got.unit_code, "from": got.older, "to": got.newer,
                   "changes": [{"code": c.code, "what": c.what, "old": c.old, "new": c.new} for c in got.changes]})
        return 0
    vi = args.lang == "vi"
    if got.older is None:
        print(f"{got.unit_code}: " + (f"chỉ có lần nộp {got.newer} ở đây, không có lần trước để so sánh" if vi else
                                      f"only revision {got.newer} is here, no earlier one to compare with"))
        return 0
    print(f"{got.unit_code}: {'lần' if vi else 'revision'} {got.older} → {got.newer}: "
          f"{len(got.changes)} {'thay đổi' if vi else 'changes'}")
    words = {"value": ("số liệu", "value"), "info": ("thông tin chung", "general information"),
             "explanation": ("giải trình", "explanation"), "evidence": ("minh chứng", "evidence")}
    for c in got.changes:
        print(f"  {c.code:<8} {words[c.what][0 if vi else 1]}: {c.old or '—'} → {c.new or '—'}")
    return 0


def _compared(previous, merged, unit, group: str, lang: str) -> str:
    """"2023: hạng 3 ▲2" beside a unit that was ranked in the same group in the previous round; "2023: TB 3 xã
    cũ 612,40" beside a merged unit (the mean of its predecessors then, aggregate.previous_of)."""
    from app.scoring.numbers import format_points
    from app.services.aggregate import previous_of

    if previous is None:
        return ""
    vi = lang == "vi"
    label = str(previous.year or previous.framework)
    got = previous_of(previous, unit.unit_code, group, merged)
    if got is not None and "merged_from" in got:
        missing = (f" ({'thiếu' if vi else 'missing'} {', '.join(got['missing'])})" if got["missing"] else "")
        if got["total"] is None:
            return f"  {label}: —{missing}"
        count = len(got["merged_from"])
        mean = f"TB {count} xã cũ" if vi else f"mean of {count} former unit{'s' if count != 1 else ''}"
        return f"  {label}: {mean} {format_points(got['total'], lang)}{missing}"
    if got is None:
        return f"  {label}: —"
    moved = got["rank"] - unit.rank
    arrow = f"▲{moved}" if moved > 0 else f"▼{-moved}" if moved < 0 else "="
    return f"  {label}: {'hạng' if vi else 'rank'} {got['rank']} {arrow}"


def feedback_export(args: argparse.Namespace) -> int:
    from app.services.feedback import export_feedback
    from app.services.trust_service import read_passphrase

    with open_workspace(args) as ws:
        count = export_feedback(ws, args.unit, Path(args.out), read_passphrase(args.passphrase_file))
    print(f"{args.out} ({count} {'nội dung thẩm định' if args.lang == 'vi' else 'appraisal items'})")
    return 0


def feedback_import(args: argparse.Namespace) -> int:
    from app.services.feedback import import_feedback
    from app.services.identifiers import printable

    with open_workspace(args, write=not args.dry_run) as ws:   # a dry run stores nothing, so takes no lock
        result = import_feedback(ws, Path(args.file), dry_run=args.dry_run)
    vi = args.lang == "vi"
    name = printable(Path(args.file).name)
    if result.status == "unchanged":
        print(f"{name}: " + ("đã nhập trước đây, không có gì thay đổi" if vi else "already imported, nothing to do"))
        return 0
    counts = (f"{result.unit_code}: {result.items} {'nội dung thẩm định' if vi else 'appraisal items'}, "
              f"{result.requests} {'yêu cầu giải trình' if vi else 'requests for explanation'}")
    if result.status == "would-import":
        print(f"{name}: {counts} " + ("(chạy thử: không lưu gì)" if vi else "(dry run: nothing stored)"))
        return 0
    print(f"{counts} — " + ("xem `dti score`" if vi else "see `dti score`"))
    return 0


def bundle_export(args: argparse.Namespace) -> int:
    from app.services.bundle import export_bundle
    from app.services.trust_service import read_passphrase

    with open_workspace(args) as ws:
        encrypt = args.encrypt
        if encrypt is None:   # the setting encrypt-packages, as for a package
            from app.services.package_crypto import default_on

            encrypt = default_on(ws)
        count = export_bundle(ws, Path(args.out), read_passphrase(args.passphrase_file), encrypt=encrypt)
    print(f"{args.out} ({count} {'gói của xã' if args.lang == 'vi' else 'commune packages'})")
    return 0


def status(args: argparse.Namespace) -> int:
    from app.services.appraisal_merge import open_conflicts
    from app.services.status import STATE_TEXT, completeness, unit_statuses
    from app.services.token_signature import marker, summary

    with open_workspace(args, write=False) as ws:
        rows = unit_statuses(ws)
        from app.services.rounds import chosen_id

        with ws.store.session() as session:
            rid = chosen_id(ws, session)
            conflicts = len(open_conflicts(session, rid)) if rid else 0
    counts = completeness(rows)
    if args.json:
        emit_json({"units": [{"unit_code": r.unit_code, "unit_name": r.unit_name, "group": r.group,
                              "district": r.district, "state": r.state, "revision": r.revision,
                              "submitted_at": r.submitted_at, "late": r.late,
                              # the official's token signature on the latest submission (issue 19), else null
                              "token": summary(r.token) if r.token is not None else None} for r in rows], **counts,
                   "conflicts": conflicts})
        return 0
    vi = args.lang == "vi"
    if not rows:
        print("Chưa có đơn vị nào được cấp tài khoản hay nộp gói." if vi else "No unit enrolled or submitted yet.")
    for r in rows:
        state = STATE_TEXT[r.state][0 if vi else 1] + (f" ({'lần' if vi else 'rev'} {r.revision})" if r.revision else "")
        late = (" — QUÁ HẠN" if vi else " — LATE") if r.late else ""
        print(f"{r.unit_code:<10} {r.unit_name:<40} {r.group:<14} {state}{late}")
        if r.token is not None:   # a line of its own under the unit's: the unit's line stays as it was
            print(f"{'':<10} {marker(r.token, vi)}")
    for key, label in (("groups", "Nhóm" if vi else "Group"), ("districts", "Huyện" if vi else "District")):
        for bucket, c in sorted(counts[key].items()):
            print(f"{label} {bucket}: {c['received']}/{c['expected']} {'đã nộp' if vi else 'received'}"
                  + (f", {c['final']} {'đã chốt' if vi else 'final'}" if c["final"] else "")
                  + (f", {c['late']} {'quá hạn' if vi else 'late'}" if c["late"] else ""))
    if conflicts:
        print(f"{conflicts} xung đột thẩm định chờ xử lý: `dti appraise conflicts`" if vi else
              f"{conflicts} appraisal conflict(s) to resolve: `dti appraise conflicts`")
    return 0


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    from app.cli import round_cmd

    round_cmd.register(sub, parser_class)

    q = sub.add_parser("status", help="every expected unit and where it stands; completeness per group and district")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=status)

    q = sub.add_parser("changes", help="what a unit changed between two imported revisions")
    q.add_argument("unit")
    q.add_argument("--revision", type=int, help="the newer revision (default: the latest)")
    q.add_argument("--since", type=int, help="the older revision (default: the one before)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=changes)

    q = sub.add_parser("rank", help="ranking per group and per main index (xếp hạng)")
    q.add_argument("--group")
    q.add_argument("--framework")
    q.add_argument("--previous", metavar="ROUND|FILE.json|DIR",
                   help="compare with an earlier round: one held here (its id), its `dti rank --json` output, or the "
                        "data directory it was run in; a merged unit against the mean of its predecessors")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=rank)

    p = sub.add_parser("feedback", help="signed feedback files between an aggregator and a unit")
    f = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = f.add_parser("export", help="the appraisal of a unit, signed, for the unit")
    q.add_argument("--unit", required=True)
    q.add_argument("--out", required=True)
    q.set_defaults(handler=feedback_export)
    q = f.add_parser("import", help="import a feedback file at the unit")
    q.add_argument("file")
    q.add_argument("--dry-run", action="store_true", help="every check of the import, nothing stored")
    q.set_defaults(handler=feedback_import)

    p = sub.add_parser("bundle", help="district bundles")
    b = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = b.add_parser("export", help="the communes' latest packages byte for byte, with the district's appraisals, signed")
    q.add_argument("--out", required=True)
    q.add_argument("--encrypt", action=argparse.BooleanOptionalAction, default=None,
                   help="encrypt for the province that enrolled this district (default: the setting encrypt-packages)")
    q.set_defaults(handler=bundle_export)
