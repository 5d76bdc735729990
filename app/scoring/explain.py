"""Turns a node's `How` into one sentence for people, in Vietnamese (default) or English."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.scoring.numbers import format_points, format_share
from app.scoring.rules import (
    AppraiserOnlyRule,
    BestInGroupRule,
    ChoiceRule,
    CountRule,
    How,
    PartsRule,
    PointsRule,
    RatioRule,
    Rule,
    TiersRule,
    YesNoRule,
)

_TEXT = {
    "vi": {
        "missing": "Chưa nhập số liệu: 0 điểm",
        "invalid": "Số liệu không hợp lệ ({value}): 0 điểm",
        "points": "Điểm tự chấm {value}",
        "yes": "Có thực hiện: đạt điểm tối đa",
        "no": "Không thực hiện: 0 điểm",
        "ratio": "Tỷ lệ {a}/{b} = {share}{target_text}",
        "no_denominator": "Thiếu mẫu số ở Thông tin chung {info}: 0 điểm",
        "zero_denominator": "Mẫu số bằng 0 ({info}): 0 điểm",
        "tier": "{measure_text} đạt mức ≥ {min_text}",
        "below_tiers": "{measure_text} dưới mức thấp nhất ({lowest_text}): 0 điểm",
        "choice": "Lựa chọn “{label}”: {fraction_text} điểm tối đa",
        "parts": "Đạt {met_count}/{of} nội dung{met_text}",
        "count": "Số lượng {count}{counted_text} × {per_item} điểm",
        "best": "Giá trị {measure} so với đơn vị tốt nhất trong nhóm {best}",
        "best_pending": "Giá trị {measure}: điểm chuẩn hóa theo đơn vị tốt nhất nhóm, tính khi tổng hợp",
        "appraiser_only": "Do cơ quan thẩm định chấm",
        "sum": "Tổng điểm {children} chỉ tiêu con",
        "capped": "Tổng điểm chỉ tiêu con {sum}, giới hạn ở điểm tối đa",
        "appraised": "Điểm thẩm định {appraised} (tự chấm {self})",
        "target": " so với mục tiêu {target}",
        "count_measure": "Số lượng {count}",
        "share_measure": "Tỷ lệ {share}",
        "counted": " (tính tối đa {counted})",
    },
    "en": {
        "missing": "No value entered: 0 points",
        "invalid": "Invalid value ({value}): 0 points",
        "points": "Self-scored {value}",
        "yes": "Done: full points",
        "no": "Not done: 0 points",
        "ratio": "Ratio {a}/{b} = {share}{target_text}",
        "no_denominator": "Denominator missing in general information {info}: 0 points",
        "zero_denominator": "Denominator is zero ({info}): 0 points",
        "tier": "{measure_text} reaches the tier ≥ {min_text}",
        "below_tiers": "{measure_text} below the lowest tier ({lowest_text}): 0 points",
        "choice": "Option “{label}”: {fraction_text} of the maximum",
        "parts": "{met_count} of {of} parts met{met_text}",
        "count": "Count {count}{counted_text} × {per_item} points",
        "best": "Value {measure} against the best unit of the group {best}",
        "best_pending": "Value {measure}: normalized to the best unit of the group when aggregated",
        "appraiser_only": "Scored by the appraiser",
        "sum": "Sum of {children} sub-indicators",
        "capped": "Sub-indicators sum to {sum}, capped at the maximum",
        "appraised": "Appraised {appraised} (self-score {self})",
        "target": " against a target of {target}",
        "count_measure": "Count {count}",
        "share_measure": "Share {share}",
        "counted": " (at most {counted} counted)",
    },
}


def _num(value: Any, lang: str) -> str:
    if isinstance(value, Decimal):
        return format_points(value, lang)
    return str(value)


def explain(how: How, lang: str = "vi") -> str:
    """One line saying how a node got its points."""
    text = _TEXT.get(lang, _TEXT["vi"])
    p = dict(how.params)
    fmt: dict[str, Any] = {k: _num(v, lang) for k, v in p.items()}
    if "share" in p:
        fmt["share"] = format_share(p["share"], lang)
    if "a" in p and "b" in p and p.get("info"):
        fmt["b"] = f"{_num(p['b'], lang)} ({p['info']})"
    if how.key == "ratio":
        target = p.get("target", Decimal(1))
        fmt["target_text"] = "" if target == 1 else text["target"].format(target=format_share(target, lang))
    if how.key in ("tier", "below_tiers"):
        on_share = p.get("on") == "share"
        fmt["measure_text"] = (text["share_measure"].format(share=fmt.get("share", ""))
                               if on_share else text["count_measure"].format(count=fmt.get("count", "")))
        for key in ("min", "lowest"):
            if key in p:
                fmt[f"{key}_text"] = format_share(p[key], lang) if on_share else _num(p[key], lang)
    if how.key == "choice":
        fmt["fraction_text"] = format_share(p["fraction"], lang)
    if how.key == "parts":
        met = p.get("met", [])
        fmt["met_count"] = str(len(met))
        fmt["met_text"] = f": {'; '.join(met)}" if met else ""
    if how.key == "count":
        counted_differs = p.get("counted") != p.get("count")
        fmt["counted_text"] = text["counted"].format(counted=fmt["counted"]) if counted_differs else ""
    template = text.get(how.key)
    if template is None:
        return how.key
    try:
        return template.format(**fmt)
    except (KeyError, IndexError):
        return template


def describe_rule(rule: Rule | None, maximum: Decimal, lang: str = "vi") -> str:
    """The rule of a leaf in words, for the framework view and the entry template."""
    vi = lang == "vi"
    m = format_points(maximum, lang)
    if rule is None or isinstance(rule, PointsRule):
        return f"Nhập điểm từ 0 đến {m}" if vi else f"Enter points from 0 to {m}"
    if isinstance(rule, YesNoRule):
        return f"Có: {m} điểm; Không: 0" if vi else f"Yes: {m} points; no: 0"
    if isinstance(rule, RatioRule):
        target = "" if rule.target == 1 else (f", đạt {format_share(rule.target, lang)} là tối đa" if vi
                                              else f", {format_share(rule.target, lang)} earns the maximum")
        if rule.denominator:
            return (f"Tỷ lệ a / {rule.denominator} × {m}{target}; nhập a" if vi
                    else f"Ratio a / {rule.denominator} × {m}{target}; enter a")
        return f"Tỷ lệ a/b × {m}{target}; nhập a/b" if vi else f"Ratio a/b × {m}{target}; enter a/b"
    if isinstance(rule, TiersRule):
        share = rule.on == "share"
        steps = "; ".join(
            f"≥ {format_share(t.min, lang) if share else format_points(t.min, lang)}: "
            f"{format_points(t.award.of(maximum), lang)}" for t in rule.tiers)
        what = ("tỷ lệ" if vi else "share") if share else ("số lượng" if vi else "count")
        if share and rule.denominator:
            what += f" (a / {rule.denominator})"
        return f"Theo mức {what}: {steps}; thấp hơn: 0" if vi else f"Tiers on {what}: {steps}; below: 0"
    if isinstance(rule, ChoiceRule):
        opts = "; ".join(f"{o.label}: {format_points(o.fraction * maximum, lang)}" for o in rule.options)
        return f"Chọn một: {opts}" if vi else f"Choose one: {opts}"
    if isinstance(rule, PartsRule):
        parts = "; ".join(f"{p.label}: {format_points(p.award.of(maximum), lang)}" for p in rule.parts)
        return f"Cộng điểm từng nội dung đạt: {parts}" if vi else f"Sum of the parts met: {parts}"
    if isinstance(rule, CountRule):
        cap = "" if rule.cap is None else (f", tối đa {rule.cap} mục" if vi else f", at most {rule.cap} items")
        per = format_points(rule.per_item, lang)
        return (f"{per} điểm mỗi mục{cap}, không quá {m}" if vi else f"{per} points per item{cap}, at most {m}")
    if isinstance(rule, BestInGroupRule):
        measure = f"a / {rule.denominator}" if rule.denominator else ("giá trị" if vi else "value")
        return (f"{measure} so với đơn vị cao nhất nhóm × {m} (tính khi tổng hợp)" if vi
                else f"{measure} relative to the best unit of the group × {m} (computed when aggregated)")
    if isinstance(rule, AppraiserOnlyRule):
        return f"Cơ quan thẩm định chấm, tối đa {m}" if vi else f"Scored by the appraiser, up to {m}"
    return rule.type
