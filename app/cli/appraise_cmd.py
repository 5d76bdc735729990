"""`dti appraise set|clear|export|import|work|conflicts|resolve`: appraisal (thẩm định), by field too."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import emit_json, open_workspace


def appraise_set(args: argparse.Namespace) -> int:
    from app.scoring.numbers import format_points
    from app.services.aggregate import appraise_set as set_points

    with open_workspace(args) as ws:
        value = set_points(ws, args.unit, args.code, args.points, args.comment, args.request_explanation)
    print(f"{args.unit} {args.code}: {format_points(value, args.lang) if value is not None else '-'}")
    return 0


def appraise_clear(args: argparse.Namespace) -> int:
    from app.services.aggregate import appraise_clear as clear

    with open_workspace(args) as ws:
        done = clear(ws, args.unit, args.code, args.reason)
    vi = args.lang == "vi"
    print(f"{args.unit} {args.code}: " + (("đã xóa" if vi else "cleared") if done else
                                          ("không có gì để xóa" if vi else "nothing to clear")))
    return 0


def appraise_export(args: argparse.Namespace) -> int:
    """At an aggregator: a work file for --department. At a department holding received work: the return."""
    from app.services import appraisal_work as work
    from app.services.trust_service import read_passphrase

    vi = args.lang == "vi"
    from app.services.aggregator_view import is_aggregator

    with open_workspace(args) as ws:
        passphrase = read_passphrase(args.passphrase_file)
        if work.has_received(ws, args.department) and not is_aggregator(ws):
            if args.to:
                from app.errors import UserError

                raise UserError("a return goes back to the authority that issued the work: --to is for work files",
                                "tệp trả kết quả gửi về cơ quan đã giao việc: --to chỉ dùng cho tệp giao việc")
            done = work.export_return(ws, Path(args.out), passphrase, args.department)
            print(f"{args.out}: {done.appraisals} {'kết quả thẩm định của' if vi else 'appraisals by'} {done.department}")
            return 0
        if not args.department:
            from app.errors import UserError

            raise UserError("say which department the work is for: --department NAME",
                            "hãy ghi cơ quan được giao thẩm định: --department TÊN")
        done = work.export_work(ws, args.department, Path(args.out), passphrase, to=args.to)
    print(f"{args.out}: {done.department} — {done.units} {'đơn vị' if vi else 'units'}, {done.indicators} "
          f"{'chỉ tiêu' if vi else 'indicators'}, {done.evidence} {'tệp kiểm chứng' if vi else 'evidence files'}")
    return 0


def appraise_import(args: argparse.Namespace) -> int:
    from app.services.appraisal_work import import_file
    from app.services.identifiers import printable

    vi = args.lang == "vi"
    with open_workspace(args, write=not args.dry_run) as ws:   # a dry run stores nothing, so takes no lock
        done = import_file(ws, Path(args.file), dry_run=args.dry_run)
    name = printable(Path(args.file).name)
    if done.status == "unchanged":
        print(f"{name}: " + ("đã nhập trước đây, không có gì thay đổi" if vi else "already imported, nothing to do"))
        return 0
    dry = " (chạy thử: không lưu gì)" if vi else " (dry run: nothing stored)"
    if done.kind == "work":
        line = (f"{'giao việc cho' if vi else 'work for'} {done.department} — {done.units} "
                f"{'đơn vị' if vi else 'units'}, {done.counts['indicators']} {'chỉ tiêu' if vi else 'indicators'}")
        if done.status == "would-import":
            print(f"{name}: {line}{dry}")
        else:
            print(f"{args.file}: {line} ({'xem' if vi else 'see'} `dti appraise work`)")
        return 0
    if done.status == "would-import":
        print(f"{name}: {done.department} — {done.counts['appraisals']} "
              f"{'kết quả thẩm định' if vi else 'appraisals'}{dry}")
        return 0
    c = done.counts
    words = (("mới", "cập nhật", "trùng", "xung đột") if vi else ("new", "updated", "unchanged", "conflicts"))
    print(f"{args.file}: {done.department} — " + ", ".join(
        f"{c[k]} {w}" for k, w in zip(("new", "updated", "same", "conflict"), words, strict=True)))
    if c["conflict"]:
        print("Có xung đột thẩm định: xem `dti appraise conflicts`" if vi else
               "Appraisals disagree: see `dti appraise conflicts`")
    return 0


def appraise_work(args: argparse.Namespace) -> int:
    from app.entries.values import display
    from app.evidence.model import EXT_OF_KIND
    from app.scoring.numbers import format_points
    from app.services.appraisal_work import work_items
    from app.services.evidence_service import evidence_path

    with open_workspace(args, write=False) as ws:
        items = work_items(ws, args.department)
        paths = {e["sha256"]: str(evidence_path(ws.data_dir, e["sha256"], EXT_OF_KIND[e["kind"]]))
                 for i in items for e in i.evidence}
    if args.json:
        emit_json([{"work_id": i.work_id, "department": i.department, "unit_code": i.unit_code,
                    "unit_name": i.unit_name, "group": i.group, "code": i.code, "title": i.title, "max": i.max,
                    "value": None if i.value is None else display(i.value, "en"), "self": i.self_points,
                    "explanation": i.explanation, "appraised": i.appraised, "comment": i.comment,
                    "evidence": [{"name": e["name"], "sha256": e["sha256"], "pages": e.get("pages")}
                                 for e in i.evidence]} for i in items])
        return 0
    vi = args.lang == "vi"
    if not items:
        print("Chưa nhận tệp giao việc thẩm định nào." if vi else "No appraisal work received yet.")
    for i in items:
        got = format_points(i.appraised, args.lang) if i.appraised is not None else "—"
        print(f"{i.unit_code:<10} {i.code:<8} {i.title[:50]:<50} "
              f"{'giá trị' if vi else 'value'}: {display(i.value, args.lang) if i.value is not None else '—'}; "
              f"{'tự chấm' if vi else 'self'} {i.self_points or '—'}/{i.max}; {'thẩm định' if vi else 'appraised'} {got}")
        for e in i.evidence:
            print(f"           {e['name']}: {paths[e['sha256']]}")
    return 0


def appraise_conflicts(args: argparse.Namespace) -> int:
    from app.services.appraisal_merge import open_conflicts
    from app.services.rounds import chosen_id

    with open_workspace(args, write=False) as ws, ws.store.session() as session:
        rid = chosen_id(ws, session)
        rows = open_conflicts(session, rid) if rid else []
    if args.json:
        emit_json([{"unit_code": c.unit_code, "code": c.code,
                    "current": {"points": c.current_points, "appraiser": c.current_appraiser, "source": c.current_source},
                    "incoming": {"points": c.points, "appraiser": c.appraiser, "source": c.source, "comment": c.comment}}
                   for c in rows])
        return 0
    vi = args.lang == "vi"
    if not rows:
        print("Không có xung đột thẩm định." if vi else "No appraisal conflict.")
    for c in rows:
        print(f"{c.unit_code} {c.code}: {'đang áp dụng' if vi else 'in force'} {c.current_points or '—'} "
              f"({c.current_appraiser}) ≠ {c.points or '—'} ({c.appraiser})")
    if rows:
        print("Xử lý: dti appraise resolve ĐƠN-VỊ MÃ --take current|incoming" if vi else
              "Resolve: dti appraise resolve UNIT CODE --take current|incoming")
    return 0


def appraise_resolve(args: argparse.Namespace) -> int:
    from app.services.aggregate import resolve_conflict

    with open_workspace(args) as ws:
        count = resolve_conflict(ws, args.unit, args.code, args.take, args.reason)
    vi = args.lang == "vi"
    print(f"{args.unit} {args.code}: {count} {'xung đột đã xử lý' if vi else 'conflict(s) resolved'} ({args.take})")
    return 0


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("appraise", help="appraisal (thẩm định) of imported submissions, by field too")
    a = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = a.add_parser("set", help="appraised points of one indicator of a unit")
    q.add_argument("unit")
    q.add_argument("code")
    q.add_argument("points")
    q.add_argument("--comment")
    q.add_argument("--request-explanation", action="store_true", help="ask the unit to explain (giải trình)")
    q.set_defaults(handler=appraise_set)
    q = a.add_parser("clear", help="remove an appraisal")
    q.add_argument("unit")
    q.add_argument("code")
    q.add_argument("--reason")
    q.set_defaults(handler=appraise_clear)
    q = a.add_parser("export", help="aggregator: signed work file for a department's indicators; "
                                    "department: the signed return of its appraisals")
    q.add_argument("--department", help="the department as the framework's `appraiser` field names it")
    q.add_argument("--to", metavar="UNIT", help="the enrolled unit that receives the work file and alone may return "
                                                "it (default: the one enrolled under the department's name)")
    q.add_argument("--out", required=True)
    q.set_defaults(handler=appraise_export)
    q = a.add_parser("import", help="a work file (at a department) or a department's return (at the aggregator)")
    q.add_argument("file")
    q.add_argument("--dry-run", action="store_true", help="every check of the import, nothing stored")
    q.set_defaults(handler=appraise_import)
    q = a.add_parser("work", help="at a department: the indicators received to appraise, with values and evidence")
    q.add_argument("--department")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=appraise_work)
    q = a.add_parser("conflicts", help="appraisals that disagree, waiting for a decision")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=appraise_conflicts)
    q = a.add_parser("resolve", help="settle a conflict: keep the appraisal in force or take the incoming one")
    q.add_argument("unit")
    q.add_argument("code")
    q.add_argument("--take", choices=("current", "incoming"), required=True)
    q.add_argument("--reason")
    q.set_defaults(handler=appraise_resolve)
