"""The previous round in `dti rank --previous` (app.services.aggregate): where each unit stood then, and a merged
unit against the mean of its predecessors (DOMAIN "Since 2025": the 2024 national ranking scored a merged
province by the average of its former provinces). Pure: built from summaries, no store."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from app.frameworks.loader import load_bytes
from app.scoring.engine import ScoreSummary
from app.scoring.ranking import rank_scores
from app.services.aggregate import PreviousRound, previous_of, ranking_data
from tests.conftest import SMALL

FW = load_bytes(SMALL.encode("utf-8"), "small.dti.yaml").framework


def summary(group: str, total: str, share: str) -> ScoreSummary:
    return ScoreSummary(FW.id, group, Decimal(total), Decimal(total), Decimal(200), Decimal(share), None,
                        {"1": Decimal(total)})


def ranked(*units: tuple[str, str, str]):
    """The xa group ranked from (unit code, total, share)."""
    xa = FW.group("xa")
    return [rank_scores(xa, FW.max_total("xa"), [(c, f"UBND xã {c}", summary("xa", t, s)) for c, t, s in units])]


LAST = PreviousRound("small-2023", 2023, {
    "A": {"group": "xa", "rank": 2, "total": Decimal("100.5"), "share": Decimal("0.5025")},
    "B": {"group": "xa", "rank": 1, "total": Decimal("101.25"), "share": Decimal("0.5063")},
    "H": {"group": "huyen", "rank": 1, "total": Decimal("110"), "share": Decimal("0.3667")},
    "K": {"group": "xa", "rank": 3, "total": Decimal("90"), "share": Decimal("0.45")},
    "Q": {"group": "huyen", "rank": 2, "total": Decimal("12"), "share": Decimal("0.04")},
})


def test_a_unit_ranked_in_the_same_group_then_keeps_its_rank():
    assert previous_of(LAST, "K", "xa") == {"rank": 3, "total": Decimal("90"), "share": Decimal("0.45")}
    assert previous_of(LAST, "Q", "xa") is None                 # in another group then: no comparison
    assert previous_of(LAST, "Z", "xa") is None                 # absent then
    assert previous_of(LAST, "Z", "xa", {"Y": ("A",)}) is None  # predecessors of another unit


def test_a_merged_unit_is_compared_with_the_mean_of_its_predecessors_whatever_their_group():
    got = previous_of(LAST, "M", "xa", {"M": ("A", "B", "H", "D")})
    assert got == {
        "rank": None,
        "total": Decimal("103.92"),             # (100.5 + 101.25 + 110) / 3 = 103.9166…
        "share": Decimal("0.4585"),             # (0.5025 + 0.5063 + 0.3667) / 3
        "merged_from": [{"unit_code": "A", "rank": 2, "total": Decimal("100.5"), "share": Decimal("0.5025")},
                        {"unit_code": "B", "rank": 1, "total": Decimal("101.25"), "share": Decimal("0.5063")},
                        {"unit_code": "H", "rank": 1, "total": Decimal("110"), "share": Decimal("0.3667")}],
        "missing": ["D"]}
    none_found = previous_of(LAST, "M", "xa", {"M": ("D", "E")})
    assert none_found == {"rank": None, "total": None, "share": None, "merged_from": [], "missing": ["D", "E"]}


def test_a_unit_present_then_is_compared_with_itself_even_with_predecessors():
    """Predecessors count only for a unit absent from the previous round (a commune that kept its code)."""
    assert previous_of(LAST, "K", "xa", {"K": ("A", "B")}) == {"rank": 3, "total": Decimal("90"),
                                                                "share": Decimal("0.45")}


def test_ranking_data_without_a_previous_round_is_the_contract_shape_whatever_the_predecessors():
    rankings = ranked(("M", "110", "0.55"), ("K", "120", "0.6"))
    plain = ranking_data(FW, rankings)
    assert ranking_data(FW, rankings, None, {"M": ("A", "B")}) == plain
    assert set(plain) == {"framework", "groups"}
    unit = plain["groups"][0]["units"][0]
    assert set(unit) == {"rank", "unit_code", "unit_name", "total", "share", "grade", "indices", "index_ranks"}


def test_ranking_data_with_a_previous_round_adds_only_the_previous_objects():
    rankings = ranked(("M", "110", "0.55"), ("K", "120", "0.6"), ("N", "10", "0.05"))
    plain = ranking_data(FW, rankings)
    compared = ranking_data(FW, rankings, LAST, {"M": ("A", "B")})
    assert compared["previous"] == {"framework": "small-2023", "year": 2023}
    units = {u["unit_code"]: u for u in compared["groups"][0]["units"]}
    assert units["K"]["previous"] == {"rank": 3, "total": Decimal("90"), "share": Decimal("0.45")}
    assert units["N"]["previous"] is None
    assert units["M"]["previous"]["total"] == Decimal("100.88")        # (100.5 + 101.25) / 2 = 100.875, half up
    assert units["M"]["previous"]["share"] == Decimal("0.5044")        # (0.5025 + 0.5063) / 2
    stripped = {k: v for k, v in compared.items() if k != "previous"}
    stripped["groups"] = [{**g, "units": [{k: v for k, v in u.items() if k != "previous"} for u in g["units"]]}
                          for g in compared["groups"]]
    assert stripped == plain


def half_up(value: Fraction, places: int) -> Decimal:
    """Exact rounding half up of a rational number (the reference for the Decimal mean)."""
    scaled = value * 10 ** places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-places)


points = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
shares = st.decimals(min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(points, shares), min_size=1, max_size=12))
def test_the_mean_of_the_predecessors_is_rounded_half_up_exactly(figures):
    codes = [f"P{i}" for i in range(len(figures))]
    previous = PreviousRound("old", None, {c: {"group": "xa", "rank": 1, "total": t, "share": s}
                                           for c, (t, s) in zip(codes, figures, strict=True)})
    got = previous_of(previous, "M", "xa", {"M": tuple(codes)})
    n = len(figures)
    assert got["total"] == half_up(sum((Fraction(t) for t, _s in figures), Fraction(0)) / n, 2)
    assert got["share"] == half_up(sum((Fraction(s) for _t, s in figures), Fraction(0)) / n, 4)
    assert got["total"].as_tuple().exponent == -2 and got["share"].as_tuple().exponent == -4
    assert got["missing"] == [] and [m["unit_code"] for m in got["merged_from"]] == codes
    assert min(t for t, _s in figures) <= got["total"] <= max(t for t, _s in figures)


def test_rounding_half_up_on_a_tie():
    """Two predecessors at 100.00 and 100.01: the mean 100.005 is published as 100.01 (never banker's 100.00)."""
    previous = PreviousRound("old", None, {"A": {"group": "xa", "rank": 1, "total": Decimal("100.01"),
                                                 "share": Decimal("0.5001")},
                                           "B": {"group": "xa", "rank": 2, "total": Decimal("100.00"),
                                                 "share": Decimal("0.5000")}})
    got = previous_of(previous, "M", "xa", {"M": ("A", "B")})
    assert (got["total"], got["share"]) == (Decimal("100.01"), Decimal("0.5001"))
    assert Decimal("100.005").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == got["total"]
