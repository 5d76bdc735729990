"""`dti token list`: the USB tokens (PKCS#11) plugged in and the certificates on them."""

from __future__ import annotations

import argparse

from app.cli.output import emit_json, open_workspace


def token_list(args: argparse.Namespace) -> int:
    from app.services.token_signing import module_for
    from app.trust.token import list_tokens

    if args.lib:
        module = module_for(None, args.lib)   # an explicit module needs no data directory
    else:
        with open_workspace(args, write=False) as ws:
            module = module_for(ws)
    tokens = list_tokens(module)
    vi = args.lang == "vi"
    if args.json:   # no path of the machine in --json output (DESIGN §7)
        emit_json({"tokens": [t.to_json() for t in tokens]})
        return 0
    print(f"{'thư viện' if vi else 'module'}: {module}")
    if not tokens:
        print("chưa cắm token nào" if vi else "no token plugged in")
    for t in tokens:
        print(f"{'khe' if vi else 'slot'} {t.slot}: {t.label} ({t.manufacturer} {t.model}, {t.serial})")
        for c in t.certificates:
            usage = ", ".join(c.key_usage) or "—"
            print(f"  {c.subject}\n    {'cấp bởi' if vi else 'issuer'}: {c.issuer}\n    serial {c.serial}; "
                  f"{c.not_before[:10]} → {c.not_after[:10]}; {usage}")
    return 0


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("token", help="USB tokens (chữ ký số) through PKCS#11")
    t = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = t.add_parser("list", help="tokens, slots and certificates (subject, issuer, serial, validity, key usage)")
    q.add_argument("--lib", metavar="PATH", help="the PKCS#11 module (default: the setting token-lib, then the usual ones)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=token_list)
