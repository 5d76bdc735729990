"""Properties of the engine over random frameworks and random entries (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.scoring.engine import score_unit
from app.scoring.numbers import q2, q4
from app.scoring.ranking import UnitEntries, competition_ranks, rank_units
from app.scoring.rules import (
    AppraiserOnlyRule,
    BestInGroupRule,
    ChoiceRule,
    CountRule,
    PartsRule,
    Ratio,
    RatioRule,
    TiersRule,
    YesNoRule,
)
from tests.strategies import frameworks

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

amounts = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)
hostile = st.one_of(st.none(), st.text(max_size=3), st.integers(-5, 5), st.booleans(),
                    st.decimals(min_value=-10, max_value=10, places=1), st.just(Ratio(D(1), D(0))))


def entry_for(rule, draw):
    """A well-formed entry for the rule, drawn with Hypothesis."""
    if isinstance(rule, YesNoRule):
        return draw(st.booleans())
    if isinstance(rule, (RatioRule, BestInGroupRule)) and rule.denominator:
        return draw(amounts)
    if isinstance(rule, RatioRule):
        b = draw(st.decimals(min_value=1, max_value=1000, places=0))
        return Ratio(draw(st.decimals(min_value=0, max_value=b, places=0)), b)
    if isinstance(rule, TiersRule):
        return draw(shares) if rule.on == "share" and not rule.denominator else draw(
            st.integers(0, 50).map(D))
    if isinstance(rule, ChoiceRule):
        return draw(st.sampled_from([o.code for o in rule.options]))
    if isinstance(rule, PartsRule):
        return frozenset(draw(st.sets(st.sampled_from([p.code for p in rule.parts]))))
    if isinstance(rule, CountRule):
        return D(draw(st.integers(0, 60)))
    if isinstance(rule, AppraiserOnlyRule):
        return None
    return draw(amounts)


@st.composite
def scored_inputs(draw, hostile_share: float = 0.0):
    fw = draw(frameworks())
    group = draw(st.sampled_from([g.code for g in fw.groups]))
    values = {}
    for leaf in fw.leaves(group):
        if draw(st.floats(0, 1)) < 0.15:
            continue  # missing
        values[leaf.code] = draw(hostile) if draw(st.floats(0, 1)) < hostile_share else entry_for(leaf.rule, draw)
    info = {f.code: D(draw(st.integers(0, 500))) for f in fw.info if f.type != "text" and draw(st.booleans())}
    appraisals = {leaf.code: draw(st.decimals(min_value=-5, max_value=1100, places=2))
                  for leaf in fw.leaves(group) if draw(st.floats(0, 1)) < 0.2}
    return fw, group, values, info, appraisals


@SETTINGS
@given(scored_inputs(hostile_share=0.3))
def test_no_node_ever_leaves_zero_to_max(inputs):
    fw, group, values, info, appraisals = inputs
    s = score_unit(fw, group, values, info, appraisals)
    for node in s.nodes:
        assert 0 <= node.self_points <= node.max
        assert 0 <= node.points <= node.max
    assert 0 <= s.total <= s.max


@SETTINGS
@given(scored_inputs())
def test_parent_equals_capped_sum_of_applicable_children(inputs):
    fw, group, values, info, appraisals = inputs
    s = score_unit(fw, group, values, info, appraisals)
    by_code = {n.code: n for n in s.nodes}
    for node in fw.walk():
        if node.is_leaf or not node.applies_to(group):
            continue
        children = [by_code[c.code] for c in node.children if c.applies_to(group)]
        assert by_code[node.code].points == min(sum((c.points for c in children), D(0)), node.max[group])
        assert by_code[node.code].self_points == min(sum((c.self_points for c in children), D(0)),
                                                     node.max[group])


@SETTINGS
@given(scored_inputs())
def test_totals_rounding_share_and_grade(inputs):
    fw, group, values, info, appraisals = inputs
    s = score_unit(fw, group, values, info, appraisals)
    tops = [n for n in s.nodes if n.depth == 0]
    assert s.total == q2(sum((n.points for n in tops), D(0)))
    assert s.indices == {n.code: q2(n.points) for n in tops}
    assert s.max == sum((n.max for n in tops), D(0)) == fw.max_total(group)
    assert s.share == (q4(s.total / s.max) if s.max else 0)
    expected = next((g.label for g in fw.grades if g.min <= s.share), None)
    assert s.grade == expected


@SETTINGS
@given(scored_inputs())
def test_final_is_appraised_where_set_else_self(inputs):
    fw, group, values, info, appraisals = inputs
    s = score_unit(fw, group, values, info, appraisals)
    for node in s.nodes:
        if node.leaf:
            if node.code in appraisals:
                assert node.appraised == max(D(0), min(appraisals[node.code], node.max))
                assert node.points == node.appraised
            else:
                assert node.appraised is None and node.points == node.self_points


def grown(rule, value, draw):
    """The same kind of entry, larger or equal in every sense the rule cares about."""
    if isinstance(rule, YesNoRule):
        return True
    if isinstance(rule, PartsRule):
        return frozenset(value) | frozenset(draw(st.sets(st.sampled_from([p.code for p in rule.parts]))))
    if isinstance(value, Ratio):
        return Ratio(value.a + draw(st.decimals(min_value=0, max_value=value.b - value.a, places=0)), value.b)
    if isinstance(rule, TiersRule) and rule.on == "share" and not rule.denominator:
        return value + draw(st.decimals(min_value=0, max_value=1 - value, places=3))
    if isinstance(rule, (CountRule, TiersRule)):
        return value + D(draw(st.integers(0, 10)))
    return value + draw(st.decimals(min_value=0, max_value=100, places=2))


@SETTINGS
@given(st.data())
def test_monotone_rules_never_lose_points_when_an_input_grows(data):
    fw, group, values, info, _ = data.draw(scored_inputs())
    candidates = [leaf for leaf in fw.leaves(group)
                  if leaf.rule.monotone and not isinstance(leaf.rule, AppraiserOnlyRule)]
    if not candidates:
        return
    leaf = data.draw(st.sampled_from(candidates))
    value = values.get(leaf.code)
    if value is None:
        value = entry_for(leaf.rule, data.draw)
        values = {**values, leaf.code: value}
    bigger = {**values, leaf.code: grown(leaf.rule, value, data.draw)}
    others = UnitEntries("B", "B", group, values, info)  # a fixed competitor for best-in-group rules
    before = {u.unit_code: u for u in rank_units(fw, [UnitEntries("A", "A", group, values, info), others],
                                                 group)[0].units}["A"].score
    after = {u.unit_code: u for u in rank_units(fw, [UnitEntries("A", "A", group, bigger, info), others],
                                                group)[0].units}["A"].score
    assert after.node(leaf.code).points >= before.node(leaf.code).points
    assert after.total >= before.total


@given(st.lists(st.decimals(min_value=0, max_value=100, places=1), max_size=40))
def test_ranks_are_standard_competition_ranks(values):
    ranks = competition_ranks(values)
    for i, v in enumerate(values):
        assert ranks[i] == 1 + sum(1 for w in values if w > v)   # the definition: 1, 2, 2, 4
    for i, j in ((i, j) for i in range(len(values)) for j in range(len(values))):
        if values[i] == values[j]:
            assert ranks[i] == ranks[j]
