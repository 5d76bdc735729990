"""A unit's score as plain data for `dti score --json`, reports and the GUI (DESIGN §7 shape)."""

from __future__ import annotations

from typing import Any

from app.scoring.engine import UnitScore
from app.scoring.explain import explain
from app.scoring.numbers import q2


def score_data(unit_code: str, unit_name: str, score: UnitScore, lang: str = "vi") -> dict[str, Any]:
    """Points rounded to 2 decimals and share to 4, as JSON numbers; `how` in the chosen language."""
    return {
        "unit_code": unit_code,
        "unit_name": unit_name,
        "group": score.group,
        "framework": score.framework_id,
        "total": score.total,
        "self_total": score.self_total,
        "max": score.max,
        "share": score.share,
        "grade": score.grade,
        "indices": dict(score.indices),
        "nodes": [
            {"code": n.code, "title": n.title, "depth": n.depth, "points": q2(n.points), "max": n.max,
             "self": q2(n.self_points), "appraised": None if n.appraised is None else q2(n.appraised),
             "status": n.status, "how": explain(n.how, lang)}
            for n in score.nodes
        ],
    }
