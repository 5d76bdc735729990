"""Framework files: what is accepted, what is refused and how the refusal reads."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest

from app.frameworks.canonical import canonical_bytes, framework_hash
from app.frameworks.loader import load_bytes
from app.frameworks.schema import FrameworkInvalid, build, to_data
from app.frameworks.yamlio import dump_yaml
from tests.conftest import SMALL, indicator_framework


def load(text: str, source: str = "fw.dti.yaml"):
    return load_bytes(text.encode("utf-8"), source)


def refusal(text: str, source: str = "fw.dti.yaml") -> str:
    with pytest.raises(FrameworkInvalid) as info:
        load(text, source)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(source + ": ")
    return message


def test_minimal_design_example_loads():
    loaded = load(SMALL)
    assert loaded.framework.id == "small-2024"
    assert loaded.warnings == []
    assert len(loaded.sha256) == 64


def test_identity_ignores_key_order_and_formatting():
    a = load(SMALL)
    reordered = SMALL.replace('title: "Bộ chỉ số thử"\nround: {year: 2024, start: 2024-01-01, end: 2024-12-31}',
                              'round: {end: 2024-12-31, start: 2024-01-01, year: 2024}\ntitle: "Bộ chỉ số thử"')
    assert reordered != SMALL
    b = load(reordered)
    assert a.sha256 == b.sha256
    c = load(SMALL.replace("max: 60,", "max: 60.0,"))
    assert c.sha256 == a.sha256


def test_identity_changes_with_content():
    assert load(SMALL).sha256 != load(SMALL.replace("max: 60,", "max: 59,")).sha256


def test_text_is_nfc_normalized():
    decomposed = unicodedata.normalize("NFD", "Nhận thức số")
    loaded = load(SMALL.replace('"Nhận thức số"', f'"{decomposed}"'))
    assert loaded.framework.indicator("1").title == unicodedata.normalize("NFC", "Nhận thức số")
    assert loaded.sha256 == load(SMALL).sha256


def test_round_trip_through_data_yaml_and_canonical_json():
    fw = load(SMALL).framework
    again, _ = build(to_data(fw))
    assert again == fw
    via_yaml = load(dump_yaml(to_data(fw))).framework
    assert via_yaml == fw
    via_json = load_bytes(canonical_bytes(fw), "canonical.json")
    assert via_json.framework == fw and via_json.sha256 == framework_hash(fw)


# (how to break SMALL, what the refusal says); also the corpus of tests/frameworks/test_messages_vi.py
MALFORMED = [
    (lambda t: t.replace('"1.2"', '"1.1"'), "1.1: duplicate code '1.1'"),
    (lambda t: t.replace("{huyen: 200, xa: 100}\n", "{huyen: 200, phuong: 100}\n"), "unknown group 'phuong'"),
    (lambda t: t.replace("rule: {type: points}, evidence: none}", "rule: {type: magic}, evidence: none}", 1),
     "1.2: unknown rule type 'magic'"),
    (lambda t: t + "  - {code: \"3\", title: x\n", "broken YAML"),
    (lambda t: t.replace("format: dti-framework/1", "format: dti-framework/9"), "format: must be 'dti-framework/1'"),
    (lambda t: t.replace("id: small-2024", "id: Small 2024"), "id: 'Small 2024' must be lowercase"),
    (lambda t: t.replace("evidence: optional", "evidance: optional"), "1.1: unknown field 'evidance'"),
    (lambda t: t.replace("evidence: optional", "evidence: maybe"), "1.1: evidence must be one of"),
    (lambda t: t.replace("max: 60,", "max: -5,"), "1.1: 'max' must be at least 0"),
    (lambda t: t.replace("max: 60,", "max: lots,"), "1.1: 'max' must be a number"),
    (lambda t: t.replace('{label: "Khá", min: 0.7}', '{label: "Khá", min: 0.95}'), "highest first"),
    (lambda t: t.replace('{label: "Khá", min: 0.7}', '{label: "Khá", min: 1.5}'), "at most 1"),
    (lambda t: t.replace("id: small-2024\n", "id: small-2024\nid: other\n"), "duplicate key 'id'"),
    (lambda t: t.replace("round: {year: 2024, start: 2024-01-01, end: 2024-12-31}",
                         "round: {year: 2024, start: 2024-12-31, end: 2024-01-01}"), "is after 'end'"),
    (lambda t: t.replace("    title: \"Nhận thức số\"\n", "    title: \"Nhận thức số\"\n    rule: {type: points}\n"),
     "1: 'rule' belongs on leaves"),
    (lambda t: t.replace('code: "1.2"', "code: 1.20"), "code 1.2 must be quoted text"),
    (lambda t: t.replace("max: {huyen: 200, xa: 100}\n", "max: {}\n"), "'max' names no group"),
    (lambda t: t.replace('title: "Bộ chỉ số thử"', 'title: "Bộ chỉ số thử"\ndecision: {a: 1}'),
     "decision: 'decision' must be text"),
    (lambda t: t.replace('title: "Điểm dịch vụ công"', 'title: "Điểm dịch vụ công'), "quoted scalar from line"),
]


@pytest.mark.parametrize("change,expected", MALFORMED)
def test_malformed_frameworks_are_refused_with_the_reason(change, expected):
    text = change(SMALL)
    assert text != SMALL
    assert expected in refusal(text)


HOSTILE_BYTES = [
    (b"", "not a framework"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
    (b"- just\n- a list\n", "not a framework"),
    (b"a: &x [1]\nb: *x\n", "aliases"),
    (b"{\"format\": 1,", "broken YAML"),   # not JSON, and not YAML in flow style either
    (b"x" * (5 * 1024 * 1024 + 1), "too large"),
]


@pytest.mark.parametrize("raw,expected", HOSTILE_BYTES)
def test_hostile_bytes_are_refused(raw, expected):
    with pytest.raises(FrameworkInvalid) as info:
        load_bytes(raw, "evil.yaml")
    assert expected in str(info.value)


def test_yaml_on_off_yes_no_stay_text():
    # YAML 1.1 would turn `on:` into True and an option coded `no` into False
    leaf = ('{code: "1.1", title: "t", max: 10, rule: {type: choice, options: [{code: "yes", label: "Có", '
            'fraction: 1}, {code: no, label: "Không", fraction: 0}]}}')
    fw = load(indicator_framework(leaf, 10)).framework
    assert [o.code for o in fw.indicator("1.1").rule.options] == ["yes", "no"]


UNEVALUABLE_RULES = [
    ("{type: tiers, on: count, tiers: [{min: 1, points: 5}, {min: 3, points: 15}]}", "sorted highest first"),
    ("{type: tiers, on: count, tiers: [{min: 3, points: 5}, {min: 1, points: 15}]}", "more than the tier above"),
    ("{type: tiers, on: count, tiers: [{min: 3, points: 50}]}", "more than the maximum 20"),
    ("{type: tiers, on: count, tiers: [{min: 2.5, points: 5}]}", "whole count"),
    ("{type: tiers, on: share, tiers: [{min: 1.5, fraction: 1}]}", "at most 1"),
    ("{type: tiers, on: share, tiers: [{min: 0.5, fraction: 1, points: 3}]}", "exactly one of"),
    ("{type: tiers, on: volume, tiers: [{min: 1, points: 5}]}", "count or share"),
    ("{type: tiers, on: count}", "'tiers' is required"),
    ("{type: choice, options: [{code: a, label: A, fraction: 1.2}, {code: b, label: B, fraction: 0}]}", "at most 1"),
    ("{type: choice, options: [{code: a, label: A, fraction: 1}, {code: a, label: B, fraction: 0}]}", "duplicate"),
    ("{type: choice, options: [{code: a, label: A, fraction: 1}]}", "at least two options"),
    ("{type: parts, parts: [{code: a, label: A, fraction: -0.5}]}", "at least 0"),
    ("{type: ratio, denominator: TT.9}", "'TT.9' is not an info field"),
    ("{type: ratio, denominator: TT.2}", "text field"),
    ("{type: ratio, target: 0}", "above 0"),
    ("{type: count, per_item: 2, cap: 0}", "cap must be"),
    ("{type: count, per_item: 0}", "above 0"),
    ("{type: tiers, on: count, denominator: TT.1, tiers: [{min: 1, points: 5}]}", "only makes sense"),
    ("{type: points, extra: 1}", "unknown field 'extra'"),
    ("points", "'rule' must be a mapping"),
    ("{type: choice, options: []}", "at least two options"),
    ("{type: parts, parts: []}", "at least one part"),
    ("{type: ratio, denominator: TT.3}", "not asked of group(s) g"),
]


def rule_framework(rule: str) -> str:
    """A framework of two groups whose one leaf "1.1" (max 20) has `rule`."""
    text = indicator_framework(f'{{code: "1.1", title: "t", max: 20, rule: {rule}}}', max_points=20,
                               extra_info='  - {code: TT.3, title: "Chỉ của nhóm khác", groups: [g2]}')
    return text.replace('groups: [{code: g, title: "Nhóm"}]',
                        'groups: [{code: g, title: "Nhóm"}, {code: g2, title: "Nhóm 2"}]')


@pytest.mark.parametrize("rule,expected", UNEVALUABLE_RULES)
def test_rules_that_cannot_be_evaluated_are_refused(rule, expected):
    message = refusal(rule_framework(rule))
    assert "1.1: " in message and expected in message


def test_child_cannot_apply_to_a_group_its_parent_lacks():
    text = SMALL.replace('max: {huyen: 200, xa: 100}\n    children:', 'max: {huyen: 200}\n    children:')
    assert "applies to group 'xa' but its parent does not" in refusal(text)


def test_children_not_adding_up_is_a_warning():
    loaded = load(SMALL.replace("max: 40, rule", "max: 30, rule"))
    assert [str(w) for w in loaded.warnings] == ["1: children add up to 90 for 'huyen', maximum is 100",
                                                  "1: children add up to 90 for 'xa', maximum is 100"]


def test_every_problem_is_listed_not_only_the_first():
    text = SMALL.replace('"1.2"', '"1.1"').replace("evidence: none}\n  - code", "evidence: never}\n  - code")
    with pytest.raises(FrameworkInvalid) as info:
        load(text)
    assert len(info.value.problems) >= 2
    assert "(and " in str(info.value)


def test_decimal_maxima_are_exact():
    fw = load(SMALL.replace("max: 60,", "max: 59.95,").replace("max: 40,", "max: 40.05,")).framework
    assert fw.indicator("1.1").max["xa"] == Decimal("59.95")
    assert fw.max_total("xa") == 200
