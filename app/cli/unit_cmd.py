"""`dti unit init`, `dti entry ...`, `dti score`, `dti check`, `dti config set`, `dti audit verify`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.output import emit_json, open_workspace


def unit_init(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        unit, created = ws.unit_init(args.framework, args.unit_code, args.unit_name, args.group)
    vi = args.lang == "vi"
    state = ("đã tạo" if vi else "created") if created else ("đã có, không đổi" if vi else "already there, unchanged")
    print(f"{unit.code} — {unit.name} — {unit.framework_id} / {unit.group_code}: {state}")
    return 0


def entry_set(args: argparse.Namespace) -> int:
    from app.entries.values import echo

    with open_workspace(args) as ws:
        value = ws.set_entry(args.code, args.value, args.reason)
        if args.explain is not None:
            ws.set_explanation(args.code, args.explain, args.reason)
        score = ws.score()
        style = ws.number_style()
    from app.scoring.numbers import format_points

    node = next((n for n in score.nodes if n.code == args.code.strip()), None)
    shown = echo(value, style, args.lang)   # what was understood, every digit: 4.200 typed is 4.200
    if node is not None:
        print(f"{args.code} = {shown}: {format_points(node.points, args.lang)} / {format_points(node.max, args.lang)}")
    else:
        print(f"{args.code} = {shown}")
    return 0


def entry_carry(args: argparse.Namespace) -> int:
    """The previous round's general information offered for the round in effect; taken only when asked."""
    from app.services import carry_over

    with open_workspace(args, write=bool(args.take or args.all)) as ws:
        if args.take or args.all:
            done = carry_over.take(ws, None if args.all else args.take)
            offered = []
        else:
            done, offered = [], carry_over.proposals(ws)
    vi = args.lang == "vi"
    if args.json:
        emit_json({"taken" if done or args.take or args.all else "proposals": [
            {"code": p.code, "title": p.title, "value": p.shown, "from_round": p.from_round, "from_year": p.from_year}
            for p in (done or offered)]})
        return 0
    for p in done:
        print(f"{p.code} = {p.shown} ({'lấy từ' if vi else 'from'} {p.from_year})")
    for p in offered:
        print(f"{p.code:<10} {p.title[:50]:<50} {p.from_year}: {p.shown}")
    if not done and not offered:
        print("Không có thông tin chung năm trước để đề xuất." if vi else "Nothing to carry over from a previous round.")
    elif offered:
        print("Lấy: dti entry carry --all, hoặc --take MÃ…" if vi else "Take them: dti entry carry --all, or --take CODE…")
    return 0


def entry_clear(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        cleared = ws.clear_entry(args.code, args.reason)
    vi = args.lang == "vi"
    print(f"{args.code}: " + (("đã xóa" if vi else "cleared") if cleared else ("không có giá trị" if vi else "no value")))
    return 0


def entry_explain(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        ws.set_explanation(args.code, args.text, args.reason)
    return 0


def entry_import(args: argparse.Namespace) -> int:
    from app.services.entry_import import import_entries

    with open_workspace(args) as ws:
        changed = import_entries(ws, Path(args.file))
    vi = args.lang == "vi"
    print(f"{changed} {'thay đổi đã lưu' if vi else 'changes saved'}")
    return 0


def entry_template(args: argparse.Namespace) -> int:
    from app.services.entry_import import write_template

    with open_workspace(args, write=False) as ws:
        write_template(ws, Path(args.out))
    print(args.out)
    return 0


def score(args: argparse.Namespace) -> int:
    from app.scoring.numbers import format_points, format_share
    from app.services.score_view import score_data

    with open_workspace(args, write=False) as ws:
        state = ws.state()
        result = ws.score(state)
    if args.json:
        emit_json(score_data(state.code, state.name, result, args.lang))
        return 0
    lang = args.lang
    vi = lang == "vi"
    fw = state.loaded.framework
    print(f"{state.name} ({state.code}) — {fw.title} — {'nhóm' if vi else 'group'} {state.group}")
    print(f"{'Tổng điểm' if vi else 'Total'}: {format_points(result.total, lang)} / {format_points(result.max, lang)}"
          f" ({format_share(result.share, lang)}) — {'xếp loại' if vi else 'grade'}: {result.grade or '-'}"
          + (" — tạm tính" if vi else " — provisional"))
    from app.scoring.explain import explain

    appraised_any = any(n.appraised is not None for n in result.nodes)
    if appraised_any:
        print(("Tự chấm " if vi else "Self-score ") + format_points(result.self_total, lang)
              + (" — điểm thẩm định được tính vào tổng" if vi else " — appraised points count in the total"))
    for node in result.nodes:
        indent = "  " * node.depth
        line = (f"{indent}{node.code:<8} {format_points(node.points, lang):>8} / {format_points(node.max, lang):<6}"
                f" {node.title}")
        if node.leaf and node.appraised is not None and node.appraised != node.self_points:
            line += (f"  [{'tự chấm' if vi else 'self'} {format_points(node.self_points, lang)}, "
                     f"{'thẩm định' if vi else 'appraised'} {format_points(node.appraised, lang)}]")
        if node.leaf and args.verbose:
            line += f" — {explain(node.how, lang)}"
        print(line)
    return 0


def check(args: argparse.Namespace) -> int:
    from app.services.evidence_service import check_unit

    with open_workspace(args, write=False) as ws:
        findings = check_unit(ws)
    if args.json:
        emit_json({"findings": [f.to_data(args.lang) for f in findings]})
        return 0
    vi = args.lang == "vi"
    if not findings:
        print("Không thấy thiếu sót nào." if vi else "Nothing missing or doubtful.")
    label = {"error": "LỖI" if vi else "ERROR", "warning": "THIẾU" if vi else "MISSING", "info": "GHI CHÚ" if vi else "NOTE"}
    for f in findings:
        print(f"{label[f.severity]:<8} {f.code:<8} {f.message(args.lang)}")
    return 0


def config_set(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        ws.set_setting(args.key, args.value)
    return 0


def audit_verify(args: argparse.Namespace) -> int:
    with open_workspace(args, write=False) as ws:
        result = ws.audit_check()
    vi = args.lang == "vi"
    if result.broken_at is None:
        print(f"{result.rows} {'dòng nhật ký, chuỗi băm nguyên vẹn' if vi else 'audit rows, hash chain intact'}")
        return 0
    print(("nhật ký bị sửa tại dòng " if vi else "audit log altered at row ") + f"{result.broken_at}: {result.reason}",
          file=sys.stderr)
    return 1


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("unit", help="the installation's own unit (đơn vị)")
    usub = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = usub.add_parser("init", help="create a local unit before (or without) enrollment")
    q.add_argument("--framework", required=True)
    q.add_argument("--unit-code", required=True)
    q.add_argument("--unit-name", required=True)
    q.add_argument("--group", required=True)
    q.set_defaults(handler=unit_init)

    p = sub.add_parser("entry", help="enter values (nhập số liệu)")
    esub = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = esub.add_parser("set", help="one indicator or info field; decimal comma accepted")
    q.add_argument("code")
    q.add_argument("value")
    q.add_argument("--reason", help="why the value changed (kept in the audit log)")
    q.add_argument("--explain", help="the explanation (giải trình) of this indicator")
    q.set_defaults(handler=entry_set)
    q = esub.add_parser("clear", help="remove a value")
    q.add_argument("code")
    q.add_argument("--reason")
    q.set_defaults(handler=entry_clear)
    q = esub.add_parser("explain", help="set the explanation (giải trình) of an indicator")
    q.add_argument("code")
    q.add_argument("text")
    q.add_argument("--reason")
    q.set_defaults(handler=entry_explain)
    q = esub.add_parser("import", help="JSON {\"CODE\": value} or the XLSX entry template; all or nothing")
    q.add_argument("file")
    q.set_defaults(handler=entry_import)
    q = esub.add_parser("carry", help="the previous round's general information (thông tin chung), offered; "
                                      "taken with --all or --take")
    q.add_argument("--take", nargs="+", metavar="CODE", help="take these proposals")
    q.add_argument("--all", action="store_true", help="take every proposal")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=entry_carry)
    q = esub.add_parser("template", help="an XLSX workbook to fill in")
    q.add_argument("--out", required=True)
    q.set_defaults(handler=entry_template)

    q = sub.add_parser("score", help="the provisional score, explained")
    q.add_argument("--json", action="store_true")
    q.add_argument("-v", "--verbose", action="store_true", help="say how every leaf got its points")
    q.set_defaults(handler=score)
    q = sub.add_parser("check", help="what is missing or doubtful (exits 0 whatever it finds)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=check)

    p = sub.add_parser("config", help="installation settings")
    csub = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = csub.add_parser("set", help="officer NAME | evidence_max_mb N")
    q.add_argument("key")
    q.add_argument("value")
    q.set_defaults(handler=config_set)

    p = sub.add_parser("audit", help="the audit log")
    asub = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = asub.add_parser("verify", help="check the hash chain of the audit log")
    q.set_defaults(handler=audit_verify)
