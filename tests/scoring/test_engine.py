"""The engine on hand-computed cases: every rule type, capping, applicability, rounding, appraisal."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from app.frameworks.loader import load_bytes
from app.scoring.engine import score_unit
from app.scoring.explain import describe_rule, explain
from app.scoring.ranking import UnitEntries, rank_units
from app.scoring.rules import Ratio
from tests.conftest import SMALL, indicator_framework


def fw_of(text: str):
    return load_bytes(text.encode("utf-8"), "test.yaml").framework


def leaf_points(leaf_yaml: str, value, info=None, best=None, max_points: int = 100) -> D:
    fw = fw_of(indicator_framework(leaf_yaml, max_points))
    code = fw.indicators[0].children[0].code
    return score_unit(fw, "g", {code: value}, info or {}, best=best).node(code).points


def test_small_framework_totals_share_grade():
    fw = fw_of(SMALL)
    s = score_unit(fw, "xa", {"1.1": D(50), "1.2": D("30.5")})
    assert s.total == D("80.50")
    assert s.max == D(200)
    assert s.share == D("0.4025")
    assert s.grade == "Yếu"
    assert s.indices == {"1": D("80.50"), "2": D("0.00")}
    assert s.node("2.1").status == "missing"


def test_group_maximum_is_sum_of_applicable_maxima():
    fw = fw_of(SMALL)
    assert fw.max_total("huyen") == 300
    assert fw.max_total("xa") == 200


@pytest.mark.parametrize("leaf,value,expected", [
    ('{code: "1.1", title: "t", max: 100, rule: {type: points}}', D(40), D(40)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: points}}', D(140), D(100)),   # capped, never above max
    ('{code: "1.1", title: "t", max: 100, rule: {type: yes_no}}', True, D(100)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: yes_no}}', False, D(0)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: ratio}}', Ratio(D(3), D(4)), D(75)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: ratio, target: 0.8}}', Ratio(D(3), D(4)), D("93.75")),
    ('{code: "1.1", title: "t", max: 100, rule: {type: ratio, target: 0.5}}', Ratio(D(3), D(4)), D(100)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: ratio, denominator: TT.1}}', D(30), D(75)),
    ('{code: "1.1", title: "t", max: 20, rule: {type: tiers, on: count, tiers: [{min: 4, points: 20}, '
     '{min: 3, points: 15}, {min: 2, points: 10}, {min: 1, points: 5}]}}', D(3), D(15)),
    ('{code: "1.1", title: "t", max: 20, rule: {type: tiers, on: count, tiers: [{min: 4, points: 20}, '
     '{min: 3, points: 15}, {min: 2, points: 10}, {min: 1, points: 5}]}}', D(9), D(20)),
    ('{code: "1.1", title: "t", max: 20, rule: {type: tiers, on: count, tiers: [{min: 4, points: 20}, '
     '{min: 1, points: 5}]}}', D(0), D(0)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: tiers, on: share, tiers: [{min: 0.9, fraction: 1}, '
     '{min: 0.5, fraction: 0.5}]}}', D("0.6"), D(50)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: tiers, on: share, denominator: TT.1, '
     'tiers: [{min: 0.9, fraction: 1}, {min: 0.5, fraction: 0.5}]}}', D(39), D(100)),
    ('{code: "1.1", title: "t", max: 10, rule: {type: choice, options: [{code: chu-tich, label: "Chủ tịch", '
     'fraction: 1}, {code: pho, label: "Phó Chủ tịch", fraction: 0.5}, {code: khong, label: "Không", '
     'fraction: 0}]}}', "pho", D(5)),
    ('{code: "1.1", title: "t", max: 10, rule: {type: parts, parts: [{code: a, label: "A", fraction: 0.5}, '
     '{code: b, label: "B", fraction: 0.5}]}}', frozenset({"b"}), D(5)),
    ('{code: "1.1", title: "t", max: 10, rule: {type: parts, parts: [{code: a, label: "A", fraction: 0.5}, '
     '{code: b, label: "B", fraction: 0.5}]}}', frozenset({"a", "b"}), D(10)),
    ('{code: "1.1", title: "t", max: 10, rule: {type: count, per_item: 2, cap: 4}}', D(3), D(6)),
    ('{code: "1.1", title: "t", max: 10, rule: {type: count, per_item: 2, cap: 4}}', D(7), D(8)),
    ('{code: "1.1", title: "t", max: 10, rule: {type: count, per_item: 3}}', D(7), D(10)),
    ('{code: "1.1", title: "t", max: 100, rule: {type: appraiser_only}}', None, D(0)),
])
def test_rule_points(leaf, value, expected):
    assert leaf_points(leaf, value, info={"TT.1": D(40)}) == expected


@pytest.mark.parametrize("leaf,value,why", [
    ('{code: "1.1", title: "t", max: 100, rule: {type: ratio, denominator: TT.1}}', D(3), "no_denominator"),
    ('{code: "1.1", title: "t", max: 100, rule: {type: ratio}}', Ratio(D(3), D(0)), "zero_denominator"),
    ('{code: "1.1", title: "t", max: 100, rule: {type: points}}', "abc", "invalid"),
    ('{code: "1.1", title: "t", max: 100, rule: {type: points}}', D(-1), "invalid"),
    ('{code: "1.1", title: "t", max: 100, rule: {type: yes_no}}', D(1), "invalid"),
    ('{code: "1.1", title: "t", max: 10, rule: {type: count}}', D("2.5"), "invalid"),
    ('{code: "1.1", title: "t", max: 10, rule: {type: choice, options: [{code: a, label: "A", fraction: 1}, '
     '{code: b, label: "B", fraction: 0}]}}', "zzz", "invalid"),
    ('{code: "1.1", title: "t", max: 100, rule: {type: points}}', None, "missing"),
    ('{code: "1.1", title: "t", max: 100, rule: {type: tiers, on: share, tiers: [{min: 0.5, fraction: 1}]}}',
     D(85), "invalid"),   # a share is 0..1: "85" meaning 85 % is converted at entry, never guessed here
    ('{code: "1.1", title: "t", max: 20, rule: {type: tiers, on: count, tiers: [{min: 2, points: 20}]}}',
     D("2.5"), "invalid"),
])
def test_bad_or_missing_entries_score_zero_with_a_reason(leaf, value, why):
    fw = fw_of(indicator_framework(leaf))
    node = score_unit(fw, "g", {"1.1": value}, {}).node("1.1")
    assert node.points == 0
    assert node.how.key == why
    assert explain(node.how, "vi") and explain(node.how, "en")


def test_parent_is_capped_sum_of_children():
    text = indicator_framework('{code: "1.1", title: "a", max: 60, rule: {type: points}}\n'
                               '- {code: "1.2", title: "b", max: 60, rule: {type: points}}', max_points=100)
    loaded = load_bytes(text.encode(), "t.yaml")
    assert any("capped" in str(w) for w in loaded.warnings)   # children 120 > parent 100: a warning, not an error
    s = score_unit(loaded.framework, "g", {"1.1": D(60), "1.2": D(50)})
    assert s.node("1").points == 100
    assert s.node("1").how.key == "capped"
    assert s.total == D("100.00")


def test_not_applicable_indicators_are_left_out():
    text = SMALL.replace('max: 40, rule: {type: points}, evidence: none}',
                         'max: {huyen: 40}, rule: {type: points}, evidence: none}')
    loaded = load_bytes(text.encode(), "t.yaml")
    s = score_unit(loaded.framework, "xa", {"1.1": D(60), "1.2": D(40)})
    assert [n.code for n in s.nodes] == ["1", "1.1", "2", "2.1"]
    assert s.node("1").points == 60


def test_total_rounds_half_up_once_at_the_end():
    # 3 leaves of 0.005 each: unrounded sum 0.015 -> 0.02 (half up); round() on floats or per-leaf
    # rounding would give other answers.
    leaves = "\n".join(f'- {{code: "1.{i}", title: "t", max: 1, rule: {{type: points}}}}' for i in (1, 2, 3))
    fw = fw_of(indicator_framework(leaves.lstrip("- "), max_points=3))
    s = score_unit(fw, "g", {"1.1": D("0.005"), "1.2": D("0.005"), "1.3": D("0.005")})
    assert s.total == D("0.02")
    s = score_unit(fw, "g", {"1.1": D("0.125")})
    assert s.total == D("0.13")   # round(0.125, 2) would give 0.12


def test_share_and_grade_use_rounded_total():
    fw = fw_of(indicator_framework('{code: "1.1", title: "t", max: 3, rule: {type: points}}', max_points=3))
    s = score_unit(fw, "g", {"1.1": D("1.499")})
    assert s.total == D("1.50")
    assert s.share == D("0.5000")
    assert s.grade == "Đạt"   # 1.499/3 = 0.4997 would be "Chưa đạt": the grade uses the rounded total


def test_appraised_points_override_self_score():
    fw = fw_of(SMALL)
    s = score_unit(fw, "xa", {"1.1": D(50), "1.2": D("30.5")}, appraisals={"1.1": D(40)})
    assert s.total == D("70.50")
    assert s.self_total == D("80.50")
    node = s.node("1.1")
    assert (node.self_points, node.appraised, node.points) == (D(50), D(40), D(40))
    assert s.node("1").appraised == D("70.5")
    assert s.node("2").appraised is None


def test_best_in_group_is_pending_alone_and_normalized_at_the_aggregator():
    leaf = '{code: "1.1", title: "t", max: 50, rule: {type: best_in_group, denominator: TT.1}}'
    fw = fw_of(indicator_framework(leaf, max_points=50))
    alone = score_unit(fw, "g", {"1.1": D(20)}, {"TT.1": D(10)}).node("1.1")
    assert alone.status == "pending" and alone.points == 0
    units = [UnitEntries("A", "A", "g", {"1.1": D(20)}, {"TT.1": D(10)}),   # 2.0 per civil servant
             UnitEntries("B", "B", "g", {"1.1": D(40)}, {"TT.1": D(10)}),   # 4.0: the best
             UnitEntries("C", "C", "g", {"1.1": None}, {"TT.1": D(10)})]
    ranking = rank_units(fw, units)[0]
    by_code = {u.unit_code: u for u in ranking.units}
    assert by_code["B"].score.total == D("50.00")
    assert by_code["A"].score.total == D("25.00")
    assert by_code["C"].score.total == D("0.00")
    assert [u.rank for u in ranking.units] == [1, 2, 3]


def test_ranking_is_competition_ranking_per_group_and_index():
    fw = fw_of(SMALL)
    units = [UnitEntries("X1", "Xã 1", "xa", {"1.1": D(50), "2.1": D(10)}),
             UnitEntries("X2", "Xã 2", "xa", {"1.1": D(40), "2.1": D(20)}),
             UnitEntries("X3", "Xã 3", "xa", {"1.1": D(10), "2.1": D(10)}),
             UnitEntries("X4", "Xã 4", "xa", {"1.1": D(60), "2.1": D(0)}),
             UnitEntries("H1", "Huyện 1", "huyen", {"2.1": D(150)})]
    rankings = {r.group.code: r for r in rank_units(fw, units)}
    xa = rankings["xa"]
    assert [(u.unit_code, u.rank) for u in xa.units] == [("X1", 1), ("X2", 1), ("X4", 1), ("X3", 4)]
    by_code = {u.unit_code: u for u in xa.units}
    assert by_code["X4"].index_ranks == {"1": 1, "2": 4}   # 2: X2 20, X1 and X3 10, X4 0
    assert by_code["X3"].index_ranks == {"1": 4, "2": 2}
    assert by_code["X2"].index_ranks == {"1": 3, "2": 1}
    assert [u.unit_code for u in rankings["huyen"].units] == ["H1"]


def test_unknown_group_is_refused():
    with pytest.raises(KeyError):
        score_unit(fw_of(SMALL), "tinh", {})


def test_rules_are_described_in_both_languages():
    fw = fw_of(SMALL)
    leaf = fw.indicator("1.1")
    assert describe_rule(leaf.rule, leaf.max["xa"], "vi") == "Nhập điểm từ 0 đến 60"
    assert describe_rule(leaf.rule, leaf.max["xa"], "en") == "Enter points from 0 to 60"


def test_explanations_use_the_decimal_comma():
    fw = fw_of(SMALL)
    node = score_unit(fw, "xa", {"1.2": D("30.5")}).node("1.2")
    assert explain(node.how, "vi") == "Điểm tự chấm 30,50"
    assert explain(node.how, "en") == "Self-scored 30.50"


def test_scoring_leaves_no_reference_cycle_behind():
    """A ranking scores thousands of units with the cyclic collector off (ranking.without_cycle_collection):
    scoring must leave nothing that only that collector could free (a recursive closure did: 122 objects
    per unit on hy-2023, the unit's whole node list among them)."""
    import gc
    from pathlib import Path

    from app.services.demo import illustrative_units

    path = Path(__file__).resolve().parents[2] / "resources" / "frameworks" / "hy-2023.dti.yaml"
    fw = load_bytes(path.read_bytes(), "hy-2023").framework
    unit = illustrative_units(fw, per_group=1)[0]
    score_unit(fw, unit.group, unit.values, unit.info)
    gc.collect()
    gc.disable()
    try:
        before = len(gc.get_objects())
        for _ in range(20):
            score_unit(fw, unit.group, unit.values, unit.info)
        assert len(gc.get_objects()) - before < 20
    finally:
        gc.enable()
