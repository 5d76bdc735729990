"""`dti round list|open|ask|assign|export|accept|use|finalize|reopen`: assessment rounds (DESIGN §7)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import emit_json, open_workspace


def _vi(args: argparse.Namespace) -> bool:
    return args.lang == "vi"


def _asks_line(asks, vi: bool) -> str:
    """"The round asks for: encrypted packages, a token signature" ("" when it asks nothing)."""
    if not asks:
        return ""
    return ("Đợt này yêu cầu: " if vi else "The round asks for: ") + asks.words(vi)


def round_list(args: argparse.Namespace) -> int:
    from app.services.rounds import all_rounds

    with open_workspace(args, write=False) as ws:
        rounds = all_rounds(ws)
    if args.json:
        emit_json({"rounds": [r.as_json() for r in rounds]})
        return 0
    vi = _vi(args)
    if not rounds:
        print("Chưa có đợt đánh giá nào." if vi else "No assessment round yet.")
    for r in rounds:
        mark = "*" if r.current else " "
        state = ("đã chốt" if vi else "final") if r.final else ("đang mở" if vi else "open")
        due = f"  {'hạn' if vi else 'due'} {r.deadline}" if r.deadline else ""
        asked = f"  [{'yêu cầu' if vi else 'asks'}: {r.asks.words(vi)}]" if r.asks else ""
        print(f"{mark} {r.id:<24} {r.year}  {state:<8}{due}  {r.title}{asked}")
    return 0


def round_open(args: argparse.Namespace) -> int:
    from app.services.rounds import open_round

    with open_workspace(args) as ws:
        opened = open_round(ws, args.framework, args.deadline, ask_encryption=args.ask_encryption,
                            ask_token_signature=args.ask_token_signature)
    vi = _vi(args)
    print(f"{opened.round.id} ({opened.round.year}): " + ("đợt hiện hành" if vi else "now the current round")
          + (f"; {len(opened.kept)} " + ("đơn vị giữ nhóm" if vi else "units keep their group") if opened.kept else ""))
    if opened.round.asks:
        print(_asks_line(opened.round.asks, vi))
    if opened.unassigned:
        print(("Chưa có nhóm trong đợt này (dti round assign ĐƠN_VỊ NHÓM): " if vi else
               "Without a group in this round (dti round assign UNIT GROUP): ") + " ".join(opened.unassigned))
    return 0


def round_ask(args: argparse.Namespace) -> int:
    from app.services.rounds import ask

    with open_workspace(args, write=args.encryption is not None or args.token_signature is not None) as ws:
        r = ask(ws, args.encryption, args.token_signature)
    vi = _vi(args)
    print(f"{r.id} ({r.year}): " + (_asks_line(r.asks, vi) or ("Đợt này không yêu cầu gì thêm" if vi
                                                                 else "The round asks for nothing more")))
    return 0


def round_assign(args: argparse.Namespace) -> int:
    from app.services.rounds import assign

    with open_workspace(args) as ws:
        r = assign(ws, args.unit, args.group)
    print(f"{args.unit} → {args.group} ({r.id})")
    return 0


def round_export(args: argparse.Namespace) -> int:
    from app.services.round_file import export_round
    from app.services.trust_service import read_passphrase

    with open_workspace(args) as ws:
        done = export_round(ws, Path(args.out), read_passphrase(args.passphrase_file))
    vi = _vi(args)
    print(f"{done.path} ({done.round_id}, {done.units} {'đơn vị' if vi else 'units'})")
    if done.asks:
        print(_asks_line(done.asks, vi))
    if done.unassigned:
        print(("Không gửi cho (chưa có nhóm, dti round assign): " if vi else
               "Not sent to (no group yet, dti round assign): ") + " ".join(done.unassigned))
    return 0


def round_accept(args: argparse.Namespace) -> int:
    from app.services.round_file import accept_round

    with open_workspace(args) as ws:
        done = accept_round(ws, Path(args.file), dry_run=args.dry_run)
    vi = _vi(args)
    word = {"accepted": ("đã nhận, là đợt hiện hành", "accepted, now the current round"),
            "unchanged": ("đã nhận trước đây, không có gì thay đổi", "accepted before, nothing to do"),
            "would-accept": ("chạy thử: hợp lệ, không lưu gì", "dry run: valid, nothing stored")}[done.status]
    print(f"{done.round_id} ({'nhóm' if vi else 'group'} {done.group}): {word[0 if vi else 1]}")
    if done.asks:
        print(_asks_line(done.asks, vi))
    if done.unassigned:
        print(("Xã chưa có nhóm trong đợt này (dti round assign): " if vi else
               "Communes without a group in this round (dti round assign): ") + " ".join(done.unassigned))
    return 0


def round_use(args: argparse.Namespace) -> int:
    from app.services.rounds import use

    with open_workspace(args) as ws:
        r = use(ws, args.id)
    print(f"{r.id} ({r.year}): " + ("đợt hiện hành" if _vi(args) else "now the current round"))
    return 0


def round_finalize(args: argparse.Namespace) -> int:
    from app.services.round_lock import finalize

    with open_workspace(args) as ws:
        label = finalize(ws)
    print(f"{label}: {'đã chốt kết quả' if _vi(args) else 'finalized'}")
    return 0


def round_reopen(args: argparse.Namespace) -> int:
    from app.services.round_lock import reopen

    with open_workspace(args) as ws:
        label = reopen(ws, args.reason)
    print(f"{label}: {'đã mở lại' if _vi(args) else 'reopened'}")
    return 0


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("round", help="assessment rounds (đợt đánh giá): list, open, send, accept, switch, lock")
    r = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = r.add_parser("list", help="the rounds held here; * marks the current one")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=round_list)
    q = r.add_parser("open", help="at an authority: open a round on a framework; it becomes the current round")
    q.add_argument("framework", help="the framework id (dti framework list)")
    q.add_argument("--deadline", help="the submission deadline, YYYY-MM-DD")
    q.add_argument("--ask-encryption", metavar="yes|no",
                   help="ask the units for encrypted packages (their export encrypts unless told not to)")
    q.add_argument("--ask-token-signature", metavar="yes|no",
                   help="ask for a token signature: packages of this round without a valid one are refused here")
    q.set_defaults(handler=round_open)
    q = r.add_parser("ask", help="what the round in effect asks of the units; with options, change it (the authority "
                                 "that opened it)")
    q.add_argument("--encryption", metavar="yes|no", help="encrypted packages")
    q.add_argument("--token-signature", metavar="yes|no", help="a valid token signature on every package")
    q.set_defaults(handler=round_ask)
    q = r.add_parser("assign", help="put an enrolled unit in a group of the round in effect")
    q.add_argument("unit")
    q.add_argument("group")
    q.set_defaults(handler=round_assign)
    q = r.add_parser("export", help="the round in effect as a signed round file for the units enrolled here")
    q.add_argument("--out", required=True)
    q.set_defaults(handler=round_export)
    q = r.add_parser("accept", help="at a unit: take a round file; the round becomes current (no re-enrollment)")
    q.add_argument("file")
    q.add_argument("--dry-run", action="store_true", help="every check, nothing stored")
    q.set_defaults(handler=round_accept)
    q = r.add_parser("use", help="make another round the current one")
    q.add_argument("id")
    q.set_defaults(handler=round_use)
    q = r.add_parser("finalize", help="lock the results: appraisals and imports are refused afterwards")
    q.set_defaults(handler=round_finalize)
    q = r.add_parser("reopen", help="reopen a finalized round (the reason is kept in the audit log)")
    q.add_argument("--reason", required=True)
    q.set_defaults(handler=round_reopen)
