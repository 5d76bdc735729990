"""`dti evidence add|remove|list` and `dti trust add-root|list`."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import emit_json, open_workspace


def _describe(item, lang: str) -> str:
    from decimal import Decimal

    from app.cli.output import vn_datetime
    from app.scoring.numbers import format_vn

    vi = lang == "vi"
    size = format_vn(Decimal(item.size) / (1024 * 1024), 2) if vi else f"{item.size / 1048576:.2f}"
    pages = f", {item.pages} {'trang' if vi else 'pages'}" if item.pages else ""
    line = f"{item.code:<8} {item.name}  [{item.kind}, {size} MB{pages}, {item.sha256[:12]}]"
    for sig in item.signatures:
        state = ("hợp lệ" if vi else "valid") if sig.get("valid") else ("KHÔNG hợp lệ" if vi else "NOT valid")
        trust = ("tin cậy" if vi else "trusted") if sig.get("trusted") else ("chưa tin cậy" if vi else "not trusted")
        when = vn_datetime(sig.get("signing_time"))
        line += f"\n{'':9}{'ký bởi' if vi else 'signed by'} {sig.get('signer') or '?'} {when}: {state}, {trust}"
    for p in item.problems:
        line += f"\n{'':9}! {p.vi if vi else p.en}"
    return line


def add(args: argparse.Namespace) -> int:
    from app.services.evidence_service import add_evidence

    with open_workspace(args) as ws:
        items = add_evidence(ws, args.code, [Path(f) for f in args.files], to_pdf=args.to_pdf, optimize=args.optimize)
    for item in items:
        print(_describe(item, args.lang))
    return 0


def remove(args: argparse.Namespace) -> int:
    from app.services.evidence_service import remove_evidence

    with open_workspace(args) as ws:
        count = remove_evidence(ws, args.code, args.file, args.reason)
    print(f"{count} {'tệp đã gỡ' if args.lang == 'vi' else 'removed'}")
    return 0


def list_(args: argparse.Namespace) -> int:
    from app.services.evidence_service import attached

    with open_workspace(args, write=False) as ws:
        ws.state()  # a clear message when there is no unit yet
        items = attached(ws)
    if args.json:
        emit_json({"evidence": [i.to_data(args.lang) for i in items]})
        return 0
    if not items:
        print("Chưa có tài liệu kiểm chứng." if args.lang == "vi" else "No evidence attached.")
    for item in items:
        print(_describe(item, args.lang))
    return 0


def trust_add(args: argparse.Namespace) -> int:
    from app.services.evidence_service import add_trust_root

    with open_workspace(args) as ws:
        subject, sha, new = add_trust_root(ws, Path(args.file))
    vi = args.lang == "vi"
    print(f"{subject} ({sha[:16]}): " + (("đã thêm" if vi else "added") if new else ("đã có" if vi else "already trusted")))
    return 0


def trust_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from app.models.tables import TrustRoot

    with open_workspace(args, write=False) as ws, ws.store.session() as session:
        rows = [(r.subject, r.sha256, r.added_at) for r in session.scalars(select(TrustRoot).order_by(TrustRoot.subject))]
    if args.json:
        emit_json({"roots": [{"subject": s, "sha256": h} for s, h, _ in rows]})
        return 0
    for subject, sha, _ in rows:
        print(f"{sha[:16]}  {subject}")
    return 0


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("evidence", help="evidence files (tài liệu kiểm chứng)")
    esub = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = esub.add_parser("add", help="attach PDF (scan or digitally signed) or JPG/PNG files to an indicator")
    q.add_argument("code")
    q.add_argument("files", nargs="+")
    q.add_argument("--to-pdf", action="store_true", help="convert JPG/PNG scans to PDF")
    q.add_argument("--optimize", action="store_true", help="rewrite unsigned PDFs smaller (the original hash is kept)")
    q.set_defaults(handler=add)
    q = esub.add_parser("remove", help="detach a file (by name or SHA-256 prefix)")
    q.add_argument("code")
    q.add_argument("file")
    q.add_argument("--reason")
    q.set_defaults(handler=remove)
    q = esub.add_parser("list", help="attached files, their problems and signatures")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=list_)

    p = sub.add_parser("trust", help="certificates trusted for evidence signatures")
    tsub = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = tsub.add_parser("add-root", help="trust a CA certificate (PEM or DER), e.g. the government CA")
    q.add_argument("file")
    q.set_defaults(handler=trust_add)
    q = tsub.add_parser("list", help="trusted certificates")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=trust_list)
