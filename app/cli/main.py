"""`dti`: the command line (DESIGN §7), the GUI's twin over the same services.

Start-up stays light (`dti --version` ≤ 0.3 s): this module imports only the standard library; each
command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line on stderr, exit 2 (argparse prints usage too)
        self.exit(2, f"dti: {message} (dti --help)\n")


def _framework_commands(sub: argparse._SubParsersAction) -> None:
    from app.cli import framework_cmd as fc

    fw = sub.add_parser("framework", help="frameworks (bộ chỉ số): import, list, show, export")
    fsub = fw.add_subparsers(dest="action", required=True, parser_class=_Parser)
    p = fsub.add_parser("import", help="import a framework from YAML or XLSX; prints its id")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=fc.import_)
    p = fsub.add_parser("list", help="the frameworks this installation knows")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=fc.list_)
    p = fsub.add_parser("show", help="a framework's tree, maxima and rules")
    p.add_argument("id")
    p.add_argument("--group", help="only what applies to this unit group")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=fc.show)
    p = fsub.add_parser("export", help="write a framework to XLSX (or .dti.yaml / .json)")
    p.add_argument("id")
    p.add_argument("--out", type=Path, required=True)
    p.set_defaults(handler=fc.export)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dti", description="DTI: tự đánh giá, thẩm định và xếp hạng chỉ số chuyển đổi số, "
                                             "không cần mạng / offline DTI assessment suite")
    parser.add_argument("--version", action="version", version=f"dti {__version__}")
    parser.add_argument("--data-dir", help="data directory (default: DTI_DATA_DIR, portable data/, or the "
                                           "platform's user data directory)")
    parser.add_argument("--round", dest="round", metavar="ID",
                        help="the assessment round a command works in (else DTI_ROUND, else the current round; "
                             "dti round list)")
    parser.add_argument("--passphrase-file", type=Path, help="the installation's passphrase (else DTI_PASSPHRASE, "
                                                             "else a prompt)")
    parser.add_argument("--lang", choices=("vi", "en"), default=os.environ.get("DTI_LANG", "vi"),
                        help="language of messages and explanations (default vi)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _framework_commands(sub)
    from app.cli import unit_cmd

    unit_cmd.register(sub, _Parser)
    from app.cli import evidence_cmd

    evidence_cmd.register(sub, _Parser)
    from app.cli import trust_cmd

    trust_cmd.register(sub, _Parser)
    from app.cli import token_cmd

    token_cmd.register(sub, _Parser)
    from app.cli import aggregate_cmd

    aggregate_cmd.register(sub, _Parser)
    from app.cli import appraise_cmd

    appraise_cmd.register(sub, _Parser)
    from app.cli import report_cmd

    report_cmd.register(sub, _Parser)

    from app.cli import demo_cmd, gui_cmd

    p = sub.add_parser("demo", help="headless end-to-end run on the bundled framework")
    p.add_argument("--out", type=Path, help="folder for the files the demo writes")
    p.set_defaults(handler=demo_cmd.run)
    p = sub.add_parser("gui", help="the desktop application")
    p.add_argument("--screenshot", type=Path)
    p.add_argument("--size", default="1280x800")
    p.set_defaults(handler=gui_cmd.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list in (["--version"], ["-V"]):  # the fastest path: no parser construction at all
        print(f"dti {__version__}")
        return 0
    _utf8_stdio()
    parser = build_parser()
    opened = _opened_file(parser, args_list)
    args = parser.parse_args(["gui"] if opened is not None else args_list)
    if opened is not None:
        args.open_file = opened
    from app.cli.run import run_handler

    code = run_handler(args)
    if argv is None:   # the program itself (not a test calling main): the process ends now
        # CPython's shutdown collects garbage several times over every object still tracked: after a large
        # command (`dti rank` of 10,000 units) that was 0.25-0.3 s spent after the output was written.
        # Frozen objects are skipped. Nothing relies on the finalizer of cyclic garbage at exit: files and
        # the store are closed explicitly, and the interpreter still flushes stdout and stderr.
        import gc

        gc.freeze()
    return code


def _opened_file(parser: argparse.ArgumentParser, args: list[str]) -> Path | None:
    """`dti FILE`: the one argument is an existing file and no command, as a double-click on a hand-off file
    passes it. The desktop application then opens and takes the file to its import (app.ui.open_file)."""
    if len(args) != 1 or args[0].startswith("-"):
        return None
    commands = next((set(a.choices) for a in parser._actions if isinstance(a, argparse._SubParsersAction)), set())
    path = Path(args[0])
    return path.resolve() if args[0] not in commands and path.is_file() else None


def gui_main() -> int:
    """Entry point of the windowed executable (no console on Windows): the desktop application, or
    `dti-gui FILE` for a file opened with it."""
    rest = sys.argv[1:]
    if len(rest) == 1 and not rest[0].startswith("-") and Path(rest[0]).is_file():
        return main(rest)
    return main(["gui", *rest])


def _utf8_stdio() -> None:
    """Vietnamese must survive a Windows console or a pipe with a legacy code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    sys.exit(main())
