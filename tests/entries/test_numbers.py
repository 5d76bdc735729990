"""Numbers as Vietnamese officials write them (issue 17, item 1): one reader for every entry path.

`4.200` (a budget in triệu đồng) was stored as 4,2 and its ratio scored 20/20; `2.150` was refused for a count;
`4.200,5` was refused although the application itself prints `1.000`. Each case below failed before."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.entries.numbers import NumberRefused, read_number, shown
from app.entries.values import EntryRefused, parse_entry
from app.scoring.numbers import format_vn


@pytest.mark.parametrize(("text", "value"), [
    ("4.200", D(4200)), ("1.234.567", D(1234567)), ("4.200,5", D("4200.5")), ("2.150", D(2150)),
    ("1 234 567", D(1234567)), ("1\u00a0234\u00a0567", D(1234567)), ("1\u202f234", D(1234)),
    ("1,5", D("1.5")), ("0,75", D("0.75")), ("30,5", D("30.5")), ("85", D(85)), (" 7 ", D(7)),
    ("4.200.000,25", D("4200000.25")), ("-3", D(-3)), (",5", D("0.5")),
])
def test_vietnamese_forms(text, value):
    assert read_number(text) == value


@pytest.mark.parametrize(("text", "decimal", "whole"), [
    ("1.5", "1,5", "15"), ("12.75", "12,75", "1.275"), ("1.2345", "1,2345", "12.345"), ("0.85", "0,85", "85"),
])
def test_a_dot_that_does_not_group_three_digits_is_refused_with_both_readings(text, decimal, whole):
    with pytest.raises(NumberRefused) as caught:
        read_number(text)
    assert f"write {decimal} for a decimal" in caught.value.en and f"or {whole} for a whole number" in caught.value.en
    assert f"viết {decimal} nếu là số thập phân" in caught.value.vi and f"hoặc {whole} nếu là số nguyên" in caught.value.vi


@pytest.mark.parametrize("text", ["1,234.5", "abc", "1e5", "Infinity", "NaN", "1.23.4", "12 5", "1..5", "", "4,200,5"])
def test_not_numbers(text):
    with pytest.raises(NumberRefused):
        read_number(text)


def test_english_numbers_are_told_how_to_write_them():
    with pytest.raises(NumberRefused) as caught:
        read_number("1,234.5")
    assert "1.234,5" in caught.value.vi and "English" in caught.value.en


def test_english_style_only_when_asked():
    assert read_number("1,234.5", "en") == D("1234.5") and read_number("12.75", "en") == D("12.75")
    assert read_number("4,200", "en") == D(4200)
    with pytest.raises(NumberRefused, match="can be read two ways"):
        read_number("1,5", "en")


def test_machine_numbers_are_taken_as_they_are():
    assert read_number(12.5) == D("12.5") and read_number(7) == D(7) and read_number(D("0.1")) == D("0.1")
    with pytest.raises(NumberRefused):
        read_number(True)


@given(st.decimals(min_value=-10**12, max_value=10**12, places=6, allow_nan=False, allow_infinity=False))
def test_what_the_application_prints_reads_back_as_the_same_decimal(value):
    assert read_number(shown(value)) == value
    assert read_number(shown(value, "en"), "en") == value
    assert read_number(format_vn(value, 2)) == value.quantize(D("0.01"), rounding="ROUND_HALF_UP")


def test_shown_is_the_vietnamese_echo():
    assert shown(D(4200)) == "4.200" and shown(D("4200.5")) == "4.200,5" and shown(D("0.75")) == "0,75"


# -- through the gatekeeper every path uses ------------------------------------------------------------------

def test_a_budget_in_trieu_dong_is_four_thousand_two_hundred(hy):
    kind, value = parse_entry(hy, "xa", "TT.17", "4.200", {})
    assert (kind, value) == ("info", D(4200))


def test_a_count_with_a_thousands_dot_is_a_count(hy):
    from app.scoring.rules import CountRule

    count = next(n for n in hy.leaves("xa") if isinstance(n.rule, CountRule))
    assert parse_entry(hy, "xa", count.code, "2.150", {})[1] == D(2150)


def test_an_ambiguous_value_is_refused_by_the_gatekeeper(hy):
    with pytest.raises(EntryRefused, match="can be read two ways"):
        parse_entry(hy, "xa", "TT.17", "12.75", {})


@pytest.fixture(scope="module")
def hy():
    from pathlib import Path

    from app.frameworks.loader import load_file

    return load_file(Path(__file__).resolve().parents[2] / "resources" / "frameworks" / "hy-2023.dti.yaml").framework
