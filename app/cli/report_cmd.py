"""`dti report ranking|unit|dossier`: what provinces print, sign and publish (issue: reports)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.output import open_workspace


def ranking(args: argparse.Namespace) -> int:
    from app.services.report_ranking import write_ranking_report

    with open_workspace(args, write=False) as ws:
        out = write_ranking_report(ws, args.out, group=args.group, framework=args.framework, lang=args.lang)
    print(out)
    return 0


def unit(args: argparse.Namespace) -> int:
    from app.services.report_unit import write_unit_report

    with open_workspace(args, write=False) as ws:
        out = write_unit_report(ws, args.out, unit_code=args.unit, lang=args.lang)
    print(out)
    return 0


def dossier(args: argparse.Namespace) -> int:
    from app.services.report_dossier import write_dossier

    with open_workspace(args, write=False) as ws:
        out = write_dossier(ws, args.out, unit_code=args.unit, lang=args.lang)
    print(out)
    return 0


def register(sub: argparse._SubParsersAction, parser_class: type) -> None:
    report = sub.add_parser("report", help="reports: ranking (PDF/XLSX), unit report (PDF), evidence dossier (PDF)")
    rsub = report.add_subparsers(dest="action", required=True, parser_class=parser_class)
    p = rsub.add_parser("ranking", help="the ranking as in a published result decision's appendix")
    p.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.xlsx")
    p.add_argument("--group", help="only this unit group")
    p.add_argument("--framework", help="framework id (default: the one this authority enrolled units on)")
    p.set_defaults(handler=ranking)
    p = rsub.add_parser("unit", help="a unit's self-assessment report (at an aggregator: --unit C)")
    p.add_argument("--out", type=Path, required=True, help="FILE.pdf")
    p.add_argument("--unit", help="at an aggregator: the unit's code")
    p.set_defaults(handler=unit)
    p = rsub.add_parser("dossier", help="all of a unit's evidence in one PDF, in framework order")
    p.add_argument("--out", type=Path, required=True, help="FILE.pdf")
    p.add_argument("--unit", help="at an aggregator: the unit's code")
    p.set_defaults(handler=dossier)
