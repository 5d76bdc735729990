"""`dti authority ...`, `dti enroll ...`, `dti passphrase change`, `dti crl import`, `dti package ...`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.output import emit_json, open_workspace


def _passphrase(args: argparse.Namespace, confirm: bool = False) -> str:
    from app.services.trust_service import read_passphrase

    return read_passphrase(args.passphrase_file, confirm=confirm)


def authority_init(args: argparse.Namespace) -> int:
    from app.services.trust_service import authority_init as init
    from app.trust.certs import fingerprint, grouped

    with open_workspace(args) as ws:
        root, created = init(ws, args.code, args.name, _passphrase(args, confirm=True))
    vi = args.lang == "vi"
    state = ("đã tạo" if vi else "created") if created else ("đã có" if vi else "already there")
    print(f"{args.code}: {'chứng thư gốc' if vi else 'root certificate'} {grouped(fingerprint(root))} — {state}")
    return 0


def authority_root(args: argparse.Namespace) -> int:
    from app.atomicfile import write_bytes
    from app.services.trust_service import root_certificate
    from app.trust.certs import pem

    with open_workspace(args, write=False) as ws:
        write_bytes(Path(args.out), pem(root_certificate(ws)))
    print(args.out)
    return 0


def authority_revoke(args: argparse.Namespace) -> int:
    from app.services.trust_service import revoke

    out = Path(args.out or f"{args.unit}.crl")
    with open_workspace(args) as ws:
        count = revoke(ws, args.unit, _passphrase(args), out, args.reason)
    print(f"{out} ({count} {'chứng thư bị thu hồi' if args.lang == 'vi' else 'revoked certificates'})")
    return 0


def crl_import(args: argparse.Namespace) -> int:
    from app.services.trust_service import import_crl

    with open_workspace(args) as ws:
        issuer, count = import_crl(ws, Path(args.file))
    print(f"{issuer}: {count} {'chứng thư bị thu hồi' if args.lang == 'vi' else 'revoked'}")
    return 0


def enroll_issue(args: argparse.Namespace) -> int:
    from app.errors import UserError
    from app.services.enrollment import issue
    from app.services.trust_service import read_passphrase

    if args.from_list is not None:
        return _enroll_list(args)
    # --framework: default the round in effect's (the first enrollment of an authority names it)
    missing = [option for option, value in (("--unit-code", args.unit_code), ("--unit-name", args.unit_name),
                                            ("--group", args.group)) if value is None]
    if missing:
        raise UserError(f"enroll issue needs {', '.join(missing)} (or --from UNITS.xlsx|UNITS.csv to enroll a list)",
                        f"enroll issue cần {', '.join(missing)} (hoặc --from DANH-SACH.xlsx|.csv để cấp theo danh sách)")
    unit_passphrase = None
    if args.unit_passphrase_file is not None or os.environ.get("DTI_UNIT_PASSPHRASE"):
        unit_passphrase = read_passphrase(args.unit_passphrase_file, env_var="DTI_UNIT_PASSPHRASE")
    with open_workspace(args) as ws:
        result = issue(ws, framework_ref=args.framework, unit_code=args.unit_code, unit_name=args.unit_name,
                       group=args.group, out=Path(args.out), can_issue=args.can_issue, passphrase=_passphrase(args),
                       unit_passphrase=unit_passphrase, predecessors=(args.predecessors or "").replace(",", " ").split())
    vi = args.lang == "vi"
    print(result.out)
    if result.sheet:
        print(f"{'phiếu cấp tài khoản' if vi else 'enrollment sheet'}: {result.sheet}")
    from app.trust.certs import grouped

    print(f"{'vân tay chứng thư' if vi else 'certificate fingerprint'}: {grouped(result.fingerprint)}")
    if result.generated:
        print(f"{'mật khẩu của đơn vị' if vi else 'unit passphrase'}: {result.passphrase}")
    return 0


def _enroll_list(args: argparse.Namespace) -> int:
    """`dti enroll issue --from UNITS --out DIR`: every unit of the list or none (app.services.enrollment_batch)."""
    from app.errors import UserError
    from app.services.enrollment_batch import enroll_list

    vi = args.lang == "vi"
    single = [option for option, given in (("--unit-code", args.unit_code), ("--unit-name", args.unit_name),
                                           ("--group", args.group), ("--can-issue", args.can_issue or None),
                                           ("--predecessors", args.predecessors),
                                           ("--unit-passphrase-file", args.unit_passphrase_file)) if given is not None]
    if single:
        raise UserError(f"{', '.join(single)} cannot go with --from: the list gives each unit's code, name, group and "
                        "may_enroll_others, and every unit gets its own generated passphrase, printed on its sheet",
                        f"không dùng {', '.join(single)} cùng --from: danh sách ghi mã, tên, nhóm, quyền cấp tiếp của "
                        "từng đơn vị, và mỗi đơn vị có mật khẩu riêng do máy tạo, in trên phiếu của đơn vị")
    if os.environ.get("DTI_UNIT_PASSPHRASE"):
        print("DTI_UNIT_PASSPHRASE không dùng khi cấp theo danh sách: mỗi đơn vị có mật khẩu riêng, in trên phiếu" if vi
              else "DTI_UNIT_PASSPHRASE is not used with --from: every unit gets its own passphrase, printed on its sheet",
              file=sys.stderr)
    with open_workspace(args) as ws:
        result = enroll_list(ws, Path(args.from_list), Path(args.out), passphrase=_passphrase(args),
                             framework_ref=args.framework)
    if result.ignored_columns:
        print(("cột không dùng: " if vi else "columns not used: ") + ", ".join(result.ignored_columns), file=sys.stderr)
    for unit in result.units:
        extra = (" | " + ("cấp tiếp" if vi else "may enroll others")) if unit.can_issue else ""
        if unit.predecessors:
            extra += f" | {'tiền thân' if vi else 'predecessors'}: {' '.join(unit.predecessors)}"
        print(f"{unit.unit_code} — {unit.unit_name} — {unit.group}{extra}: {unit.out}")
    print(f"{'phiếu cấp tài khoản' if vi else 'enrollment sheets'} ({len(result.units)} "
          f"{'trang' if vi else 'pages'}): {result.sheets}")
    return 0


def enroll_accept(args: argparse.Namespace) -> int:
    from app.services.enrollment import accept
    from app.trust.certs import grouped

    passphrase = None
    if args.passphrase_file is not None or os.environ.get("DTI_PASSPHRASE"):
        passphrase = _passphrase(args)
    with open_workspace(args, write=not args.dry_run) as ws:   # a dry run stores nothing, so takes no lock
        result = accept(ws, Path(args.file), passphrase, dry_run=args.dry_run)
    unit = result["unit"]
    vi = args.lang == "vi"
    if args.dry_run:
        state = "hợp lệ, chưa lưu gì (--dry-run)" if vi else "valid, nothing stored (--dry-run)"
    elif result["unchanged"]:
        state = "đã nhận từ trước, không thay đổi" if vi else "already enrolled with this file, unchanged"
    else:
        state = "đã nhận" if vi else "enrolled"
    print(f"{unit['code']} — {unit['name']} — {result['framework']} / {unit['group']}: {state}")
    print(f"{'vân tay chứng thư gốc (so với phiếu)' if vi else 'root fingerprint (compare with the sheet)'}: "
          f"{grouped(result['root_sha256'])}")
    return 0


def passphrase_change(args: argparse.Namespace) -> int:
    from app.services.trust_service import change_passphrase, read_passphrase

    old = _passphrase(args)
    new = read_passphrase(args.new_passphrase_file, env_var="DTI_NEW_PASSPHRASE", prompt="New passphrase: ",
                          confirm=True)
    with open_workspace(args) as ws:
        count = change_passphrase(ws, old, new)
    print(f"{count} {'khóa đã đổi mật khẩu' if args.lang == 'vi' else 'keys re-encrypted'}")
    return 0


def package_export(args: argparse.Namespace) -> int:
    from app.services.package_export import export_package

    with open_workspace(args) as ws:
        encrypt = args.encrypt
        if encrypt is None:   # neither --encrypt nor --no-encrypt: the setting encrypt-packages (default no)
            from app.services.package_crypto import default_on

            encrypt = default_on(ws)
        if getattr(args, "token", False):   # also signed by the official's token (app.services.token_signing)
            result = _export_with_token(ws, args, encrypt=encrypt)
            token_asked = False
        else:
            result = export_package(ws, Path(args.out), _passphrase(args), args.split_mb, encrypt=encrypt)
            from app.services.rounds import asked_token_signature  # the round file said so (dti round accept)

            token_asked = asked_token_signature(ws)
    vi = args.lang == "vi"
    if token_asked:   # after the export: a refused export stays one line on stderr
        print("lưu ý: cơ quan nhận yêu cầu chữ ký số token cho đợt này; gói chưa ký bằng token sẽ bị từ chối — xuất lại "
              "với --token (dti token list)" if vi else "warning: the authority requires a token signature in this "
              "round and will refuse this package — export again with --token (dti token list)", file=sys.stderr)
    for path in result.paths:
        print(path)
    print(f"{'lần nộp' if vi else 'revision'} {result.revision}", file=sys.stderr)
    if result.warning_kinds:  # every warning travels in the manifest; here a summary, `dti check` lists them
        names = {"missing_value": ("chỉ tiêu chưa nhập", "values missing"),
                 "missing_info": ("thông tin chung còn thiếu", "general information missing"),
                 "evidence_missing": ("thiếu minh chứng bắt buộc", "required evidence missing"),
                 "evidence_problem": ("vấn đề ở tài liệu kiểm chứng", "evidence problems"),
                 "invalid_value": ("số liệu không tính được điểm", "values that cannot be scored"),
                 "over_denominator": ("tử số lớn hơn mẫu số", "numerators above their denominator")}
        parts = [f"{count} {names.get(kind, (kind, kind))[0 if vi else 1]}" for kind, count in result.warning_kinds.items()]
        print(("cảnh báo (đã ghi vào gói): " if vi else "warnings (recorded in the package): ") + "; ".join(parts)
              + (" — xem `dti check`" if vi else " — see `dti check`"), file=sys.stderr)
    return 0


def _passphrase_later(args: argparse.Namespace):
    """The passphrase, asked only when an encrypted file is met, once per command."""
    from app.services.package_crypto import once

    return once(lambda: _passphrase(args))


def _export_with_token(ws, args: argparse.Namespace, **options):
    from app.errors import UserError
    from app.services.token_signing import TokenRequest, export_with_token
    from app.trust.token import read_pin

    if args.token_lib is not None and not args.token_lib:
        raise UserError("--token-lib is empty", "--token-lib đang trống")
    passphrase = _passphrase(args)
    request = TokenRequest(read_pin(args.token_pin_file), args.token_lib, args.token_label, args.cert)
    return export_with_token(ws, Path(args.out), passphrase, request, args.split_mb, **options)


def package_verify(args: argparse.Namespace) -> int:
    from app.services.package_import import verify_only

    with open_workspace(args, write=False) as ws:
        report = verify_only(ws, [Path(f) for f in args.files], passphrase=_passphrase_later(args))
    if getattr(args, "json", False):
        emit_json(report)
        return 0
    for line in report["lines"]:
        print(line)
    return 0 if report["ok"] else 1


def package_import(args: argparse.Namespace) -> int:
    from app.services.package_import import import_paths
    from app.services.revisions import round_of_import, unit_changes

    with open_workspace(args) as ws:
        outcomes = import_paths(ws, [Path(f) for f in args.files], dry_run=args.dry_run,
                                passphrase=_passphrase_later(args))
        failed = 0
        vi = args.lang == "vi"
        for outcome in outcomes:
            line = outcome.line(args.lang)
            if outcome.status in ("refused", "alarm"):
                failed += 1
                print(f"dti: {line}", file=sys.stderr)
                continue
            print(line)
            if outcome.status == "imported" and outcome.unit and (outcome.revision or 0) > 1:   # r1: nothing before
                got = unit_changes(ws, outcome.unit, outcome.revision, lang=args.lang,
                                   round_id=round_of_import(ws, outcome.unit, outcome.revision))
                if got.older is not None:   # a re-submission: say what moved, `dti changes` has the detail
                    codes = ", ".join(dict.fromkeys(c.code for c in got.changes)) or ("không có" if vi else "none")
                    print(f"  {'thay đổi so với lần' if vi else 'changed since revision'} {got.older}: {codes}"
                          f" (dti changes {outcome.unit})")
    return 1 if failed else 0


def package_received(args: argparse.Namespace) -> int:
    from app.services.received_store import write_received

    with open_workspace(args, write=False) as ws:
        revision = write_received(ws, args.unit, args.revision, Path(args.out))
    print(args.out)
    print(f"{'lần nộp' if args.lang == 'vi' else 'revision'} {revision}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    p = sub.add_parser("authority", help="the province's certificate authority")
    a = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = a.add_parser("init", help="create the root certificate once")
    q.add_argument("--code", required=True)
    q.add_argument("--name", required=True)
    q.set_defaults(handler=authority_init)
    q = a.add_parser("root", help="write the root certificate (PEM), for openssl and auditors")
    q.add_argument("--out", required=True)
    q.set_defaults(handler=authority_root)
    q = a.add_parser("revoke", help="revoke a unit's certificates and write the CRL to hand out")
    q.add_argument("unit")
    q.add_argument("--out", help="CRL file (default UNIT.crl)")
    q.add_argument("--reason")
    q.set_defaults(handler=authority_revoke)

    p = sub.add_parser("enroll", help="enrollment files (cấp tài khoản)")
    e = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = e.add_parser("issue", help="an enrollment file and sheet for a unit, or for every unit of a list (--from)")
    # required for one unit, not with --from (checked in enroll_issue: argparse cannot say "unless")
    q.add_argument("--framework", help="default: the current round's (required for an authority's first enrollment)")
    q.add_argument("--unit-code")
    q.add_argument("--unit-name")
    q.add_argument("--group")
    q.add_argument("--from", dest="from_list", metavar="UNITS", type=Path,
                   help="a list (.xlsx or UTF-8 .csv) with the header code, name, group, parent, predecessors, "
                        "may_enroll_others: all units or none; --out is then a folder")
    q.add_argument("--out", required=True, help="the enrollment file; with --from, the folder for every file and "
                                                "the one PDF of all sheets")
    q.add_argument("--can-issue", action="store_true", help="a district that enrolls its communes")
    q.add_argument("--predecessors", metavar="CODES",
                   help="the units merged into this one (đơn vị tiền thân), codes separated by spaces")
    q.add_argument("--unit-passphrase-file", type=Path, help="else DTI_UNIT_PASSPHRASE, else one is generated")
    q.set_defaults(handler=enroll_issue)
    q = e.add_parser("accept", help="install the unit, framework and certificates of an enrollment file")
    q.add_argument("file")
    q.add_argument("--dry-run", action="store_true", help="every check of a real accept; nothing is stored")
    q.set_defaults(handler=enroll_accept)

    p = sub.add_parser("passphrase", help="the passphrase protecting this installation's keys")
    ps = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = ps.add_parser("change", help="re-encrypt the keys (new one from --new-passphrase-file or DTI_NEW_PASSPHRASE)")
    q.add_argument("--new-passphrase-file", type=Path)
    q.set_defaults(handler=passphrase_change)

    p = sub.add_parser("crl", help="certificate revocation lists")
    c = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = c.add_parser("import", help="import a CRL file from the issuing authority")
    q.add_argument("file")
    q.set_defaults(handler=crl_import)

    p = sub.add_parser("package", help="signed submission packages (gói nộp)")
    k = p.add_subparsers(dest="action", required=True, parser_class=parser_class)
    q = k.add_parser("export", help="sign and write the unit's submission; every export is a new revision")
    q.add_argument("--out", required=True)
    q.add_argument("--split-mb", type=int, help="volumes of at most N MB for e-mail")
    q.add_argument("--encrypt", action=argparse.BooleanOptionalAction, default=None,
                   help="encrypt for the authority that enrolled this unit (default: the setting encrypt-packages)")
    q.add_argument("--token", action="store_true",
                   help="also sign with the official's USB token (PKCS#11): a second signer and the report as PAdES")
    q.add_argument("--token-label", help="the token to use when several are plugged in")
    q.add_argument("--cert", help="the token's certificate: its serial (hex) or a part of its common name")
    q.add_argument("--token-lib", metavar="PATH", help="the token's PKCS#11 module (default: the setting token-lib)")
    q.add_argument("--token-pin-file", type=Path, help="the token's PIN (else DTI_TOKEN_PIN, else a prompt)")
    q.set_defaults(handler=package_export)
    q = k.add_parser("verify", help="verify packages; nothing is stored")
    q.add_argument("files", nargs="+")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=package_verify)
    q = k.add_parser("import", help="verify and import packages or folders of packages; all or nothing per package")
    q.add_argument("files", nargs="+")
    q.add_argument("--dry-run", action="store_true")
    q.set_defaults(handler=package_import)
    q = k.add_parser("received", help="a unit's package byte for byte as it was received here (latest revision)")
    q.add_argument("unit")
    q.add_argument("--revision", type=int)
    q.add_argument("--out", required=True)
    q.set_defaults(handler=package_received)
