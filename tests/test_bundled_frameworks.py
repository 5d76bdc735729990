"""The bundled frameworks (resources/frameworks/*.dti.yaml): load cleanly, carry the official maxima,
say plainly what is reconstructed, and use every rule type the engine knows."""

from __future__ import annotations

import math
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from app.frameworks.loader import Loaded, load_file
from app.scoring.engine import score_unit
from app.scoring.rules import (
    RULE_TYPES,
    AppraiserOnlyRule,
    BestInGroupRule,
    ChoiceRule,
    Context,
    CountRule,
    PartsRule,
    PointsRule,
    RatioRule,
    TiersRule,
    YesNoRule,
)

FRAMEWORKS = Path(__file__).resolve().parent.parent / "resources" / "frameworks"
FILES = {
    "hy-2023": "hy-2023.dti.yaml",
    "hd-2023": "hd-2023.dti.yaml",
    "vn-922-2022": "vn-922-2022.dti.yaml",
    "vn-405-2025": "vn-405-2025.dti.yaml",
    "hn-xa-2025": "hn-xa-2025.dti.yaml",
}
# the frameworks of the two-tier period (DOMAIN.md "Since 2025"): no district level any more
NEW_PERIOD = ("vn-405-2025", "hn-xa-2025")

# Official facts (DOMAIN.md): maximum of every main index per group, by main index title.
FOUNDATION = ("Nhận thức số", "Thể chế số", "Hạ tầng số", "Nhân lực số", "An toàn thông tin mạng")
EXPECTED_INDEX_MAX: dict[str, dict[str, dict[str, int]]] = {
    "hy-2023": {
        "so-dvc": {**dict.fromkeys(FOUNDATION, 120), "Hoạt động chính quyền số": 400},
        "so-khong-dvc": {**dict.fromkeys(FOUNDATION, 120), "Hoạt động chính quyền số": 230},
        "huyen": {**dict.fromkeys(FOUNDATION, 100), "Hoạt động chính quyền số": 200,
                  "Hoạt động kinh tế số": 150, "Hoạt động xã hội số": 150},
        # the commune maxima are reconstructed (not published); only their total of 1000 is asserted below
    },
    "hd-2023": {
        g: {"Nhận thức số": 50, "Thể chế số": 50, "Hạ tầng số": 50, "Nhân lực số": 50,
            "An toàn thông tin mạng": 100, "Hoạt động chuyển đổi số": 200}
        for g in ("so-dvc", "so-khong-dvc")
    },
    "vn-922-2022": {
        "tinh": {**dict.fromkeys(FOUNDATION, 100), "Hoạt động chính quyền số": 200,
                 "Hoạt động kinh tế số": 150, "Hoạt động xã hội số": 150, "Đô thị thông minh": 0},
    },
    # QĐ 405/QĐ-BKHCN: only the structure (8 main, 47 component indices) and the total of 1000 are
    # official; the main-index maxima are reconstructed, so only the total is asserted (below)
    "vn-405-2025": {},
    # QĐ 5279/QĐ-UBND (Hà Nội): only the structure (47 components in 8 groups) is official; the maxima,
    # the total and the split into communes and wards are reconstructed (the notice says so)
    "hn-xa-2025": {},
}
EXPECTED_TOTAL = {
    "hy-2023": {"so-dvc": 1000, "so-khong-dvc": 830, "huyen": 1000, "xa": 1000},
    "hd-2023": {"so-dvc": 500, "so-khong-dvc": 500},
    "vn-922-2022": {"tinh": 1000},
    "vn-405-2025": {"tinh": 1000},
    "hn-xa-2025": {"xa": 1000, "phuong": 1000},
}
EXPECTED_DECISION = {
    "hy-2023": "QĐ 3047/QĐ-UBND ngày 29/12/2022",
    "hd-2023": "QĐ 297/QĐ-UBND ngày 24/02/2023",
    "vn-922-2022": "QĐ 922/QĐ-BTTTT ngày 20/5/2022",
    "vn-405-2025": "QĐ 405/QĐ-BKHCN ngày 3/4/2025",
    "hn-xa-2025": "QĐ 5279/QĐ-UBND ngày 23/10/2025",
}


@pytest.fixture(scope="module")
def loaded() -> dict[str, Loaded]:
    return {fid: load_file(FRAMEWORKS / name) for fid, name in FILES.items()}


@pytest.mark.parametrize("fid", FILES)
def test_loads_without_warnings(loaded: dict[str, Loaded], fid: str) -> None:
    result = loaded[fid]
    assert result.framework.id == fid
    assert result.warnings == []
    assert len(result.sha256) == 64


@pytest.mark.parametrize("fid", FILES)
def test_file_is_utf8_nfc(fid: str) -> None:
    text = (FRAMEWORKS / FILES[fid]).read_bytes().decode("utf-8")
    assert unicodedata.normalize("NFC", text) == text


@pytest.mark.parametrize("fid", FILES)
def test_official_maxima(loaded: dict[str, Loaded], fid: str) -> None:
    f = loaded[fid].framework
    assert {g.code for g in f.groups} == set(EXPECTED_TOTAL[fid])
    for group, total in EXPECTED_TOTAL[fid].items():
        assert f.max_total(group) == Decimal(total), group
    for group, expected in EXPECTED_INDEX_MAX[fid].items():
        actual = {top.title: top.max[group] for top in f.indicators if top.applies_to(group)}
        assert actual == {title: Decimal(m) for title, m in expected.items()}, group


def test_hung_yen_groups_and_round(loaded: dict[str, Loaded]) -> None:
    f = loaded["hy-2023"].framework
    assert [g.code for g in f.groups] == ["so-dvc", "so-khong-dvc", "huyen", "xa"]
    assert (f.round.year, f.round.start.isoformat(), f.round.end.isoformat()) == (2023, "2022-11-01", "2023-09-30")
    # economy and society apply to districts and communes only
    economy_society = [top for top in f.indicators if top.title in ("Hoạt động kinh tế số", "Hoạt động xã hội số")]
    assert len(economy_society) == 2
    for top in economy_society:
        assert set(top.max) == {"huyen", "xa"}
    xa = {top.title: top.max["xa"] for top in f.indicators if top.applies_to("xa")}
    assert set(xa) == {*FOUNDATION, "Hoạt động chính quyền số", "Hoạt động kinh tế số", "Hoạt động xã hội số"}
    assert [(g.label, g.min) for g in f.grades] == [
        ("Tốt", Decimal("0.90")), ("Khá", Decimal("0.70")), ("Trung bình", Decimal("0.50")), ("Yếu", Decimal(0))]


def test_hai_duong_groups(loaded: dict[str, Loaded]) -> None:
    f = loaded["hd-2023"].framework
    assert (f.round.year, f.round.start.isoformat(), f.round.end.isoformat()) == (2023, "2023-01-01", "2023-12-31")
    assert f.group("so-dvc").ranked is True
    assert f.group("so-khong-dvc").ranked is False


def test_national_smart_city_is_listed_without_points(loaded: dict[str, Loaded]) -> None:
    f = loaded["vn-922-2022"].framework
    smart = next(top for top in f.indicators if top.title == "Đô thị thông minh")
    assert smart.children
    assert all(node.max["tinh"] == 0 for node in smart.walk())


@pytest.mark.parametrize("fid", NEW_PERIOD)
def test_new_period_has_8_main_and_47_component_indices(loaded: dict[str, Loaded], fid: str) -> None:
    f = loaded[fid].framework
    assert len(f.indicators) == 8
    assert sum(len(top.children) for top in f.indicators) == 47
    assert [top.title for top in f.indicators] == [
        *FOUNDATION, "Hoạt động chính quyền số", "Hoạt động kinh tế số", "Hoạt động xã hội số"]
    assert all(top.children for top in f.indicators)
    assert f.round.year == 2025
    assert (f.round.start.isoformat(), f.round.end.isoformat()) == ("2025-01-01", "2025-12-31")


@pytest.mark.parametrize("fid", NEW_PERIOD)
def test_new_period_is_two_tier(loaded: dict[str, Loaded], fid: str) -> None:
    """No district level and no Ministry/Department of Information and Communications after 2025."""
    text = (FRAMEWORKS / FILES[fid]).read_text(encoding="utf-8")
    f = loaded[fid].framework
    assert "huyen" not in {g.code for g in f.groups}
    assert "huyện" not in text
    assert "thị trấn" not in text
    assert "Thông tin và Truyền thông" not in text
    assert "Khoa học và Công nghệ" in text


def test_national_405_replaces_922(loaded: dict[str, Loaded]) -> None:
    new, old = loaded["vn-405-2025"].framework, loaded["vn-922-2022"].framework
    assert [g.code for g in new.groups] == ["tinh"]
    assert "Đô thị thông minh" not in {top.title for top in new.indicators}
    assert new.default_appraiser == "Cục Chuyển đổi số quốc gia"
    # the reconstructed maxima keep the 922 shape without smart city, and the notice says they are reconstructed
    assert {top.title: top.max["tinh"] for top in new.indicators} == {
        top.title: top.max["tinh"] for top in old.indicators if top.title != "Đô thị thông minh"}
    assert "8 chỉ số chính và 47 chỉ số thành phần" in new.notice
    assert "Tên và điểm tối đa của 8 chỉ số chính" in new.notice and "do nhóm phát triển đặt lại" in new.notice


def test_hanoi_communes_and_wards(loaded: dict[str, Loaded]) -> None:
    f = loaded["hn-xa-2025"].framework
    assert [(g.code, g.ranked) for g in f.groups] == [("xa", True), ("phuong", True)]
    assert f.default_appraiser == "Sở Khoa học và Công nghệ"
    for top in f.indicators:
        assert set(top.max) == {"xa", "phuong"}
    assert "47 chỉ số" in f.notice and "8 nhóm" in f.notice
    assert "Tên và điểm tối đa của 8 chỉ số chính" in f.notice and "do nhóm phát triển đặt" in f.notice


@pytest.mark.parametrize("fid", FILES)
def test_reconstruction_is_declared(loaded: dict[str, Loaded], fid: str) -> None:
    f = loaded[fid].framework
    assert f.reconstructed is True
    assert f.decision == EXPECTED_DECISION[fid]
    assert f.notice
    assert "do nhóm phát triển dựng lại" in f.notice
    assert "không phải văn bản chính thức" in f.notice
    assert "Nội dung chỉ số thành phần, tiêu chí, cách tính điểm" in f.notice


def test_every_rule_type_is_used_across_the_set(loaded: dict[str, Loaded]) -> None:
    used = {leaf.rule.type for result in loaded.values() for leaf in result.framework.leaves()}
    assert used == set(RULE_TYPES)


@pytest.mark.parametrize("fid", FILES)
def test_every_rule_type_is_used_in_each_file(loaded: dict[str, Loaded], fid: str) -> None:
    used = {leaf.rule.type for leaf in loaded[fid].framework.leaves()}
    assert used == set(RULE_TYPES)


def test_rule_variants_are_covered(loaded: dict[str, Loaded]) -> None:
    leaves = [leaf for result in loaded.values() for leaf in result.framework.leaves()]
    ratios = [leaf.rule for leaf in leaves if isinstance(leaf.rule, RatioRule)]
    assert any(r.denominator for r in ratios)
    assert any(r.denominator is None for r in ratios)
    assert any(r.target < 1 for r in ratios)
    tiers = [leaf.rule for leaf in leaves if isinstance(leaf.rule, TiersRule)]
    assert {t.on for t in tiers} == {"count", "share"}
    assert any(t.on == "share" and t.denominator for t in tiers)
    assert any(isinstance(leaf.rule, CountRule) and leaf.rule.cap for leaf in leaves)
    assert any(isinstance(leaf.rule, BestInGroupRule) and leaf.rule.denominator for leaf in leaves)


@pytest.mark.parametrize("fid", FILES)
def test_denominators_are_info_fields_of_the_same_groups(loaded: dict[str, Loaded], fid: str) -> None:
    f = loaded[fid].framework
    for leaf in f.leaves():
        for code in leaf.rule.denominators():
            field = f.info_field(code)
            assert field is not None, (leaf.code, code)
            assert field.type in ("integer", "number")
            for group in leaf.max:
                assert field.applies_to(group), (leaf.code, code, group)


@pytest.mark.parametrize("fid", FILES)
def test_leaves_are_documented(loaded: dict[str, Loaded], fid: str) -> None:
    leaves = list(loaded[fid].framework.leaves())
    assert 35 <= len(leaves) <= 90
    assert sum(1 for leaf in leaves if leaf.evidence == "required") > len(leaves) / 2
    assert sum(1 for leaf in leaves if leaf.guide) >= 0.8 * len(leaves)
    for field in loaded[fid].framework.info:
        assert field.code.startswith("TT.")
        assert field.unit


SEED_001_APPRAISERS = {
    "4.1": "Sở Nội vụ",
    "4.2": "Sở Nội vụ",
    "5.9.1": "Sở Tài chính",
    "5.9.2": "Sở Kế hoạch và Đầu tư",
    "6.2": "Văn phòng UBND tỉnh",
    "6.8": "Văn phòng UBND tỉnh",
    "6.13.1": "Sở Tài chính",
    "6.13.2": "Sở Kế hoạch và Đầu tư",
}
SEED_001_INFO_APPRAISERS = {
    "TT.3": "Sở Nội vụ",
    "TT.4": "Sở Nội vụ",
    "TT.5": "Sở Nội vụ",
    "TT.10.1": "Sở Tài chính",
    "TT.10.2": "Sở Kế hoạch và Đầu tư",
}


def test_hai_duong_appraisers_follow_seed_001(loaded: dict[str, Loaded]) -> None:
    f = loaded["hd-2023"].framework
    assert f.default_appraiser == "Sở Thông tin và Truyền thông"
    for code, appraiser in SEED_001_APPRAISERS.items():
        assert f.appraiser_of(code) == appraiser, code
    for code, appraiser in SEED_001_INFO_APPRAISERS.items():
        assert f.info_field(code).appraiser == appraiser, code
    for code in ("1.1", "2.1", "3.3", "4.3", "5.1", "5.9", "6.1", "6.13"):
        assert f.appraiser_of(code) == "Sở Thông tin và Truyền thông", code
    assert f.indicator("5.9").title == "Tổng kinh phí chi cho an toàn thông tin"
    assert f.indicator("6.13").title == "Tổng chi Ngân sách nhà nước cho chính quyền số"
    assert f.indicator("6.2").title.startswith("Tỷ lệ văn bản (trừ văn bản mật theo quy định) trao đổi")
    assert f.indicator("6.8").title.startswith("Tỷ lệ báo cáo (không bao gồm nội dung mật)")


# -- every maximum is reachable: a unit doing everything scores exactly its group's maximum ----------

INFO_VALUE = Decimal(100)


def _best_entry(leaf, maximum: Decimal):  # type: ignore[no-untyped-def]
    rule = leaf.rule
    if isinstance(rule, PointsRule):
        return maximum
    if isinstance(rule, YesNoRule):
        return True
    if isinstance(rule, RatioRule):
        return INFO_VALUE if rule.denominator else Decimal(1)
    if isinstance(rule, TiersRule):
        top = rule.tiers[0].min
        if rule.on == "count":
            return top
        return top * INFO_VALUE if rule.denominator else top
    if isinstance(rule, ChoiceRule):
        return max(rule.options, key=lambda o: o.fraction).code
    if isinstance(rule, PartsRule):
        return {p.code for p in rule.parts}
    if isinstance(rule, CountRule):
        return Decimal(rule.cap if rule.cap is not None else math.ceil(maximum / rule.per_item))
    if isinstance(rule, BestInGroupRule):
        return Decimal(7)
    if isinstance(rule, AppraiserOnlyRule):
        return None
    raise AssertionError(f"unexpected rule {rule!r}")


@pytest.mark.parametrize(("fid", "group"), [(fid, g) for fid, totals in EXPECTED_TOTAL.items() for g in totals])
def test_a_perfect_unit_reaches_the_maximum(loaded: dict[str, Loaded], fid: str, group: str) -> None:
    f = loaded[fid].framework
    info = {field.code: INFO_VALUE for field in f.info if field.applies_to(group)}
    values, appraisals, best = {}, {}, {}
    for leaf in f.leaves(group):
        values[leaf.code] = _best_entry(leaf, leaf.max[group])
        if isinstance(leaf.rule, AppraiserOnlyRule):
            appraisals[leaf.code] = leaf.max[group]
        if isinstance(leaf.rule, BestInGroupRule):
            best[leaf.code] = leaf.rule.measure(values[leaf.code], Context(info=info))
    score = score_unit(f, group, values, info, appraisals, best)
    assert score.max == Decimal(EXPECTED_TOTAL[fid][group])
    assert score.total == score.max
    assert score.grade == f.grades[0].label
    empty = score_unit(f, group, {}, {})
    assert empty.total == 0
    assert empty.grade == f.grades[-1].label
