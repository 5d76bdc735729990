"""`dti framework import|list|show|export`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.output import emit_json, vn_date


def _store(args: argparse.Namespace):
    from app.services.framework_store import FrameworkStore

    return FrameworkStore(args.data_path)


def import_(args: argparse.Namespace) -> int:
    outcome = _store(args).import_file(args.file)
    fw = outcome.loaded.framework
    vi = args.lang == "vi"
    for w in outcome.loaded.warnings:
        print(f"{'cảnh báo' if vi else 'warning'}: {args.file.name}: {w.vi if vi else w}", file=sys.stderr)
    print(fw.id)
    state = ("đã có sẵn, không thay đổi" if vi else "already stored, unchanged") if not outcome.new else (
        "đã nhập" if vi else "imported")
    print(f"{fw.title} — {outcome.loaded.sha256[:12]} — {state}", file=sys.stderr)
    return 0


def list_(args: argparse.Namespace) -> int:
    entries = _store(args).list()
    if args.json:
        emit_json({"frameworks": [
            {"id": e.id, "title": e.title, "sha256": e.sha256, "year": e.year, "source": e.source,
             "groups": list(e.groups), "reconstructed": e.reconstructed} for e in entries]})
        return 0
    vi = args.lang == "vi"
    if not entries:
        print("Chưa có bộ chỉ số nào." if vi else "No frameworks.")
    for e in entries:
        source = {"bundled": "kèm theo" if vi else "bundled", "imported": "đã nhập" if vi else "imported"}[e.source]
        note = (" (dựng lại)" if vi else " (reconstructed)") if e.reconstructed else ""
        print(f"{e.id:<16} {e.year}  {e.sha256[:12]}  {source:<9} {e.title}{note}")
    return 0


def _group_or_fail(fw, code: str | None, vi: bool):
    from app.errors import UserError

    if code is not None and fw.group(code) is None:
        known = ", ".join(g.code for g in fw.groups)
        raise UserError(f"framework {fw.id} has no group '{code}' (groups: {known})",
                        f"Bộ chỉ số {fw.id} không có nhóm '{code}' (các nhóm: {known})")


def show(args: argparse.Namespace) -> int:
    from app.scoring.explain import describe_rule

    loaded = _store(args).get(args.id)
    fw = loaded.framework
    vi = args.lang == "vi"
    _group_or_fail(fw, args.group, vi)
    group = args.group

    def rows() -> list[dict[str, Any]]:
        out = []

        def visit(node, depth: int, parent: str | None) -> None:
            if group is not None and not node.applies_to(group):
                return
            row: dict[str, Any] = {"code": node.code, "title": node.title, "depth": depth, "parent": parent,
                                   "max": node.max[group] if group else dict(node.max), "leaf": node.is_leaf}
            if node.is_leaf:
                row["rule"] = {"type": node.rule.type, **node.rule.params()}
                row["evidence"] = node.evidence
                if group:
                    row["rule_text"] = describe_rule(node.rule, node.max[group], args.lang)
            row["appraiser"] = fw.appraiser_of(node.code)
            if node.guide:
                row["guide"] = node.guide
            out.append(row)
            for child in node.children:
                visit(child, depth + 1, node.code)

        for top in fw.indicators:
            visit(top, 0, None)
        return out

    groups = [g for g in fw.groups if group is None or g.code == group]
    info = [f for f in fw.info if group is None or f.applies_to(group)]
    if args.json:
        emit_json({
            "id": fw.id, "title": fw.title, "sha256": loaded.sha256, "decision": fw.decision,
            "reconstructed": fw.reconstructed, "notice": fw.notice,
            "round": {"year": fw.round.year, "start": fw.round.start, "end": fw.round.end},
            "groups": [{"code": g.code, "title": g.title, "ranked": g.ranked, "max": fw.max_total(g.code)}
                       for g in groups],
            "grades": [{"label": g.label, "min": g.min} for g in fw.grades],
            "info": [{"code": f.code, "title": f.title, "type": f.type, "unit": f.unit,
                      "appraiser": f.appraiser} for f in info],
            "indicators": rows(),
        })
        return 0
    _print_tree(fw, loaded.sha256, groups, info, rows(), group, vi)
    return 0


def _print_tree(fw, sha: str, groups, info, rows, group: str | None, vi: bool) -> None:
    from app.scoring.numbers import format_points, format_share

    lang = "vi" if vi else "en"
    print(fw.title)
    if fw.decision:
        print(fw.decision)
    window = f"{vn_date(fw.round.start)} – {vn_date(fw.round.end)}" if fw.round.start else ""
    print(f"{'Năm' if vi else 'Year'} {fw.round.year}  {window}  id {fw.id}  sha256 {sha[:12]}")
    if fw.reconstructed and fw.notice:
        print(f"{'Lưu ý' if vi else 'Note'}: {fw.notice}")
    for g in groups:
        ranked = "" if g.ranked else (" (không xếp hạng)" if vi else " (not ranked)")
        print(f"  {'Nhóm' if vi else 'Group'} {g.code}: {g.title}{ranked} — "
              f"{'tối đa' if vi else 'maximum'} {format_points(fw.max_total(g.code), lang)}")
    print(("Xếp loại: " if vi else "Grades: ") + "; ".join(f"{g.label} ≥ {format_share(g.min, lang)}"
                                                          for g in fw.grades))
    if info:
        print("Thông tin chung:" if vi else "General information:")
        for f in info:
            print(f"  {f.code:<8} {f.title}" + (f" ({f.unit})" if f.unit else ""))
    print("Chỉ số:" if vi else "Indicators:")
    for row in rows:
        if group:
            maximum = format_points(row["max"], lang)
        else:
            maximum = ", ".join(f"{g}: {format_points(v, lang)}" for g, v in row["max"].items())
        line = f"{'  ' * (row['depth'] + 1)}{row['code']:<8} {row['title']}  [{maximum}]"
        if row.get("rule_text"):
            line += f" — {row['rule_text']}"
        elif row["leaf"]:
            line += f" — {row['rule']['type']}"
        print(line)


def export(args: argparse.Namespace) -> int:
    from app.atomicfile import write_bytes
    from app.errors import UserError

    loaded = _store(args).get(args.id)
    out = args.out
    name = out.name.lower()
    try:
        if name.endswith(".xlsx"):
            from app.frameworks.excel import write_workbook

            write_workbook(loaded.framework, out)
        elif name.endswith((".yaml", ".yml")):
            from app.frameworks.schema import to_data
            from app.frameworks.yamlio import dump_yaml

            write_bytes(out, dump_yaml(to_data(loaded.framework)).encode("utf-8"))
        elif name.endswith(".json"):
            from app.frameworks.canonical import canonical_bytes

            write_bytes(out, canonical_bytes(loaded.framework))
        else:
            raise UserError(f"cannot tell the format of {out.name}: use .xlsx, .dti.yaml or .json",
                            f"không rõ định dạng của {out.name}: dùng .xlsx, .dti.yaml hoặc .json")
    except OSError as e:
        raise UserError(f"cannot write {out}: {e.strerror or e}", f"không ghi được {out}: {e.strerror or e}") from None
    print(out)
    return 0
