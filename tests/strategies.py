"""Hypothesis strategies shared by the tests: random, valid frameworks.

`framework_data()` draws the plain data of a framework file (what YAML parsing gives) and
`frameworks()` passes it through `schema.build`, so every example is valid by construction and is the
model a real file would give. The trees are small (≤ 25 nodes by default) and cover every rule type,
1-3 groups with per-group maxima, indicators left out of some groups, 1-3 levels, info fields,
grades highest first, Vietnamese titles (sometimes in NFD, which build normalizes) and odd characters
that stress quoting in YAML and Excel.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st

from app.frameworks.schema import FORMAT, build
from app.scoring.model import EVIDENCE_LEVELS, INFO_TYPES, Framework
from app.scoring.rules import RULE_TYPES

_WORDS = (
    "Chỉ số", "chuyển đổi số", "Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin",
    "dịch vụ công trực tuyến", "Hoạt động", "chính quyền số", "Ứng dụng", "văn bản điện tử", "hồ sơ",
    "công chức", "Tỷ lệ", "được số hoá", "Đầu tư", "kinh tế số", "xã hội số", "Cổng thông tin điện tử",
    "thủ tục hành chính", "Quyết định", "kế hoạch", "người dân", "doanh nghiệp", "phản ánh, kiến nghị",
    "đào tạo", "bồi dưỡng", "kỹ năng số", "điện toán đám mây", "dữ liệu mở", "Sở", "UBND", "huyện", "xã",
    "thị trấn", "Đạt", "Không đạt", "(%)", "2023", "1.1",
)
# Letters with every Vietnamese diacritic plus what YAML and spreadsheets treat specially.
_ALPHABET = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
             "ĐÂĂÊÔƠƯ 0123456789.,:;-_()'\"#=%&/?!{}[]*@|>~+")
_GROUP_CODES = ("so-dvc", "so-khong-dvc", "huyen", "xa", "phuong", "g1", "don-vi-2")
_OPTION_CODES = ("co", "khong", "day-du", "mot-phan", "chua-co", "a", "b", "x_1", "yes", "no", "on", "off",
                 "true", "null", "1", "0", "1_0", "2023-01-01")
_FRACTIONS = tuple(Decimal(x) for x in ("0", "0.1", "0.2", "0.25", "0.3", "0.4", "0.5", "0.6", "0.7", "0.75",
                                        "0.8", "0.9", "1"))
_RULE_TYPE = st.sampled_from(tuple(RULE_TYPES))  # points first: examples shrink towards it
_GRADE_MINS = tuple(Decimal(x) for x in ("0", "0.1", "0.25", "0.3", "0.5", "0.6", "0.65", "0.7", "0.75", "0.8",
                                         "0.85", "0.9", "0.905", "0.95", "1"))


@cache
def titles(max_words: int = 6) -> st.SearchStrategy[str]:
    """Vietnamese-ish text, now and then odd characters, now and then decomposed (NFD)."""
    plain = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=max_words).map(" ".join)
    odd = st.text(alphabet=_ALPHABET, min_size=1, max_size=24).filter(lambda s: s.strip() != "")
    base = st.one_of(plain, plain, plain, odd)
    return st.tuples(base, st.integers(0, 9)).map(
        lambda t: unicodedata.normalize("NFD", t[0]) if t[1] == 0 else t[0])


@cache
def guides() -> st.SearchStrategy[str]:
    return st.lists(titles(12), min_size=1, max_size=3).map("\n".join)


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@cache
def maxima() -> st.SearchStrategy[Decimal]:
    """Points of a maximum: mostly whole, sometimes quarters or cents (at most 2 decimals), never 0."""
    return st.one_of(
        st.integers(1, 60).map(Decimal),
        st.integers(1, 400).map(lambda n: Decimal(n) / 4),
        st.integers(1, 9999).map(lambda n: Decimal(n).scaleb(-2)),
    )


@cache
def _points_upto(limit: Decimal) -> st.SearchStrategy[Decimal]:
    """Award points in 0..limit with at most 2 decimals."""
    return st.one_of(
        st.integers(0, int(limit)).map(Decimal),
        st.integers(0, int(limit * 100)).map(lambda n: Decimal(n).scaleb(-2)),
    )


def _award(draw: st.DrawFn, kind: str, low: Decimal) -> dict[str, Decimal]:
    if kind == "points":
        return {"points": draw(_points_upto(low))}
    return {"fraction": draw(st.sampled_from(_FRACTIONS))}


def _descending_awards(draw: st.DrawFn, count: int, low: Decimal) -> list[dict[str, Decimal]]:
    """Awards of one kind, highest first and never increasing (what tiers require)."""
    if draw(st.booleans()):
        values = draw(st.lists(_points_upto(low), min_size=count, max_size=count))
        return [{"points": v} for v in sorted(values, reverse=True)]
    values = draw(st.lists(st.sampled_from(_FRACTIONS), min_size=count, max_size=count))
    return [{"fraction": v} for v in sorted(values, reverse=True)]


_OPTION_CODE = st.one_of(st.sampled_from(_OPTION_CODES), st.from_regex(r"[a-z0-9][a-z0-9_-]{0,8}", fullmatch=True))


def _option_codes(draw: st.DrawFn, count: int) -> list[str]:
    return draw(st.lists(_OPTION_CODE, min_size=count, max_size=count, unique=True))


@st.composite
def rules(draw: st.DrawFn, maxima_of_leaf: dict[str, Decimal], denominators: tuple[str, ...] = ()) -> Any:
    """The `rule:` of a leaf with these maxima (None: the default, points), any of the rule types."""
    kind = draw(_RULE_TYPE)
    low = min(maxima_of_leaf.values())
    denominator = _choice(tuple(denominators)) if denominators else st.none()
    rule: dict[str, Any] = {"type": kind}
    if kind == "points" and draw(st.booleans()):
        return None
    if kind == "ratio":
        if draw(st.booleans()):
            rule["denominator"] = draw(denominator)
        target = draw(st.sampled_from((None, "1", "0.25", "0.5", "0.75", "0.8", "0.9", "0.95")))
        if target is not None:
            rule["target"] = Decimal(target)
    elif kind == "tiers":
        count = draw(st.integers(1, 4))
        rule["on"] = on = draw(st.sampled_from(("count", "share")))
        if on == "count":
            mins = [Decimal(n) for n in draw(st.lists(st.integers(0, 30), min_size=count, max_size=count,
                                                      unique=True))]
        else:
            mins = [Decimal(n).scaleb(-2) for n in draw(st.lists(st.integers(0, 100), min_size=count,
                                                                 max_size=count, unique=True))]
            if draw(st.booleans()):
                rule["denominator"] = draw(denominator)
        awards = _descending_awards(draw, count, low)
        rule["tiers"] = [{"min": m, **a} for m, a in zip(sorted(mins, reverse=True), awards, strict=True)]
    elif kind == "choice":
        count = draw(st.integers(2, 4))
        rule["options"] = [{"code": c, "label": draw(titles(3)), "fraction": draw(st.sampled_from(_FRACTIONS))}
                           for c in _option_codes(draw, count)]
    elif kind == "parts":
        count = draw(st.integers(1, 4))
        rule["parts"] = [{"code": c, "label": draw(titles(3)),
                          **_award(draw, draw(st.sampled_from(("points", "fraction"))), low)}
                         for c in _option_codes(draw, count)]
    elif kind == "count":
        if draw(st.booleans()):
            rule["per_item"] = draw(maxima())
        if draw(st.booleans()):
            rule["cap"] = draw(st.integers(1, 10))
    elif kind == "best_in_group" and draw(st.booleans()):
        rule["denominator"] = draw(denominator)
    if rule.get("denominator", "") is None:  # no numeric info field to name
        del rule["denominator"]
    return rule


@cache
def _choice(values: tuple) -> st.SearchStrategy[Any]:
    return st.sampled_from(values)


@cache
def _subsets(codes: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """Non-empty subsets, in the given order."""
    return st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True).map(
        lambda chosen: [c for c in codes if c in chosen])


def _subset(draw: st.DrawFn, codes: list[str]) -> list[str]:
    return draw(_subsets(tuple(codes)))


@st.composite
def framework_data(draw: st.DrawFn, max_nodes: int = 25, max_groups: int = 3, max_depth: int = 3) -> dict:
    """Plain data of a valid framework file (see the module docstring)."""
    group_code = st.one_of(st.sampled_from(_GROUP_CODES),
                           st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True))
    group_codes = draw(st.lists(group_code, min_size=1, max_size=max_groups, unique=True))
    groups = []
    for code in group_codes:
        group: dict[str, Any] = {"code": code, "title": draw(titles(4))}
        if draw(st.integers(0, 3)) == 0:
            group["ranked"] = draw(st.booleans())
        groups.append(group)

    mins = sorted(draw(st.lists(st.sampled_from(_GRADE_MINS), min_size=1, max_size=4, unique=True)), reverse=True)
    labels = draw(st.lists(titles(2), min_size=len(mins), max_size=len(mins),
                           unique_by=lambda s: unicodedata.normalize("NFC", s).strip()))
    grades = [{"label": label, "min": m} for label, m in zip(labels, mins, strict=True)]

    info = []
    for n in draw(st.lists(st.integers(1, 20), max_size=4, unique=True)):
        item: dict[str, Any] = {"code": f"TT.{n}", "title": draw(titles()), "type": draw(st.sampled_from(INFO_TYPES))}
        if draw(st.booleans()):
            item["unit"] = draw(st.sampled_from(("người", "hồ sơ", "%", "thủ tục", "đồng")))
        if draw(st.integers(0, 2)) == 0:
            item["groups"] = _subset(draw, group_codes)
        if draw(st.integers(0, 3)) == 0:
            item["appraiser"] = draw(titles(4))
        if draw(st.integers(0, 3)) == 0:
            item["guide"] = draw(guides())
        info.append(item)
    numeric_info = [(i["code"], i.get("groups")) for i in info if i["type"] != "text"]

    def denominators_for(applies: list[str]) -> tuple[str, ...]:
        """Info fields a rule may divide by: numbers asked of every group the leaf applies to."""
        return tuple(code for code, asked in numeric_info if asked is None or set(applies) <= set(asked))

    prefix = draw(st.sampled_from(("", "", "CS", "I-")))
    first_child = draw(st.sampled_from((1, 8)))  # 8: codes like 1.10 that a spreadsheet would read as 1.1
    depth_limit = draw(st.integers(1, max_depth))
    tops = draw(st.integers(1, min(4, max_nodes)))
    budget = [max_nodes - tops]

    def node(code: str, applies: list[str], parent: list[str] | None, depth: int) -> tuple[dict, dict]:
        out: dict[str, Any] = {"code": code, "title": draw(titles())}
        children_count = 0
        if depth < depth_limit and budget[0] > 0 and draw(st.integers(0, 3)) > 0:
            children_count = draw(st.integers(1, min(4, budget[0])))
            budget[0] -= children_count
        if children_count:
            children, child_maxima = [], []
            for i in range(children_count):
                child_groups = applies if i == 0 else _subset(draw, applies)
                child, child_max = node(f"{code}.{first_child + i}", child_groups, applies, depth + 1)
                children.append(child)
                child_maxima.append(child_max)
            sums = {g: sum((m[g] for m in child_maxima if g in m), Decimal(0)) for g in applies}
            # mostly the sum of the children; now and then a cap or a surplus (a warning, not an error)
            maxima_here = {g: (s if draw(st.integers(0, 4)) else draw(maxima())) for g, s in sums.items()}
            out["children"] = children
        else:
            same = draw(st.booleans())
            value = draw(maxima())
            maxima_here = {g: (value if same else draw(maxima())) for g in applies}
            rule = draw(rules(maxima_here, denominators_for(applies)))
            if rule is not None:
                out["rule"] = rule
            if draw(st.integers(0, 3)):
                out["evidence"] = draw(st.sampled_from(EVIDENCE_LEVELS))
        values = set(maxima_here.values())
        if len(values) == 1 and applies == (parent or group_codes) and draw(st.booleans()):
            out["max"] = next(iter(values))  # the shorthand: the same for every group of the parent
        else:
            out["max"] = dict(maxima_here)
        if draw(st.integers(0, 4)) == 0:
            out["appraiser"] = draw(titles(4))
        if draw(st.integers(0, 2)) == 0:
            out["guide"] = draw(guides())
        return out, maxima_here

    indicators = []
    for i in range(tops):
        applies = group_codes if i == 0 else _subset(draw, group_codes)  # every group has an indicator
        indicators.append(node(f"{prefix}{i + 1}", applies, None, 1)[0])

    data: dict[str, Any] = {
        "format": FORMAT,
        "id": draw(st.from_regex(r"[a-z][a-z0-9]{0,8}(-[0-9]{4})?", fullmatch=True)),
        "title": draw(titles(8)),
    }
    if draw(st.booleans()):
        data["decision"] = draw(titles(5))
    year = draw(st.integers(2000, 2100))
    data["round"] = {"year": year}
    if draw(st.booleans()):
        days = sorted(draw(st.lists(st.dates(date(2000, 1, 1), date(2100, 12, 31)), min_size=2, max_size=2)))
        data["round"].update(start=days[0], end=days[1])
    data["groups"] = groups
    data["grades"] = grades
    if info:
        data["info"] = info
    data["indicators"] = indicators
    if draw(st.integers(0, 2)) == 0:
        data["default_appraiser"] = draw(titles(4))
    if draw(st.integers(0, 3)) == 0:
        data["reconstructed"] = draw(st.booleans())
    if draw(st.integers(0, 3)) == 0:
        data["notice"] = draw(guides())
    return data


def frameworks(max_nodes: int = 25, max_groups: int = 3, max_depth: int = 3) -> st.SearchStrategy[Framework]:
    """Random valid `Framework` models (built through `schema.build`, warnings ignored)."""
    return framework_data(max_nodes=max_nodes, max_groups=max_groups, max_depth=max_depth).map(
        lambda data: build(data, "hypothesis")[0])
