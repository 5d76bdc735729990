"""`dti check`: what is missing or doubtful in a unit's submission, each with the code to jump to.

Nothing here blocks an export (DESIGN §6): missing values score 0 and travel as warnings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.scoring.engine import UnitScore
from app.scoring.rules import AppraiserOnlyRule, Ratio

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    code: str
    kind: str       # missing_value | missing_info | evidence_missing | evidence_problem | invalid_value |
    #                 over_denominator | pending
    severity: str   # error | warning | info
    vi: str
    en: str

    def message(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en

    def to_data(self, lang: str) -> dict[str, str]:
        return {"code": self.code, "kind": self.kind, "severity": self.severity, "message": self.message(lang)}


def _sort_key(code: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.replace("-", ".").split("."))


def find_problems(state: Any, score: UnitScore, evidence: Mapping[str, Sequence[Any]] | None = None
                  ) -> list[Finding]:
    """state: a workspace UnitState; evidence: indicator code -> attached evidence records, each with
    `name` and `problems` (findings with `code`, `vi`, `en`)."""
    fw = state.loaded.framework
    group = state.group
    evidence = evidence or {}
    out: list[Finding] = []
    needed_info: dict[str, list[str]] = {}
    for leaf in fw.leaves(group):
        for info_code in leaf.rule.denominators():
            needed_info.setdefault(info_code, []).append(leaf.code)
    for field in fw.info:
        if field.applies_to(group) and field.code not in state.info:
            users = needed_info.get(field.code)
            if users:
                out.append(Finding(field.code, "missing_info", "error",
                                   f"Chưa nhập “{field.title}”, là mẫu số của {', '.join(users)}",
                                   f"“{field.title}” is missing; it is the denominator of {', '.join(users)}"))
            else:
                out.append(Finding(field.code, "missing_info", "warning", f"Chưa nhập “{field.title}”",
                                   f"“{field.title}” is missing"))
    nodes = {n.code: n for n in score.nodes}
    for leaf in fw.leaves(group):
        code = leaf.code
        node = nodes[code]
        attached = evidence.get(code, ())
        explained = bool(state.explanations.get(code))
        if isinstance(leaf.rule, AppraiserOnlyRule):
            out.append(Finding(code, "pending", "info", "Chỉ tiêu do cơ quan thẩm định chấm điểm",
                               "Scored by the appraiser"))
        elif code not in state.values:
            out.append(Finding(code, "missing_value", "warning", f"Chưa nhập số liệu “{leaf.title}” (0 điểm)",
                               f"No value for “{leaf.title}” (0 points)"))
        elif node.status == "invalid":
            out.append(Finding(code, "invalid_value", "error", f"Số liệu không tính được điểm: {node.how.key}",
                               f"The value cannot be scored: {node.how.key}"))
        elif node.status == "pending":
            out.append(Finding(code, "pending", "info", "Điểm chuẩn hóa theo đơn vị tốt nhất nhóm, tính khi tổng hợp",
                               "Normalized to the best unit of the group when aggregated"))
        value = state.values.get(code)
        for info_code in leaf.rule.denominators():
            b = state.info.get(info_code)
            a = value.a if isinstance(value, Ratio) else value
            if isinstance(a, Decimal) and isinstance(b, Decimal) and a > b and leaf.rule.type != "best_in_group":
                out.append(Finding(code, "over_denominator", "error",
                                   f"Tử số {a} lớn hơn mẫu số {info_code} = {b}",
                                   f"Numerator {a} exceeds the denominator {info_code} = {b}"))
        if leaf.evidence == "required" and not attached and not explained and not isinstance(
                leaf.rule, AppraiserOnlyRule):
            out.append(Finding(code, "evidence_missing", "warning",
                               "Thiếu tài liệu kiểm chứng bắt buộc và chưa có giải trình",
                               "Required evidence is missing and there is no explanation"))
        for item in attached:
            for problem in item.problems:
                out.append(Finding(code, "evidence_problem", "warning", f"{item.name}: {problem.vi}",
                                   f"{item.name}: {problem.en}"))
    out.sort(key=lambda f: (SEVERITY_ORDER[f.severity], _sort_key(f.code), f.kind))
    return out
