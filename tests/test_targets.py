"""Target kinds and qualifiers, with hand-worked values (issue 12)."""
import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twocreate import targets as tg


def S(d):
    return pd.Series(d, dtype=float)


def test_share_reached_at_43_0_against_43_1_is_not_achieved_and_categorised_by_the_pp_rule():
    a = tg.assess_share_target(S({2024: 42.0, 2026: 43.0}), 43.1, 2027, "at_least")
    assert a.status == "not_achieved"
    # (43.0 − 42.0)/2 = 0.5 pp a year achieved; (43.1 − 42.0)/3 = 0.3667 required: R = 1.3636
    assert a.ratio == pytest.approx(0.5 / (1.1 / 3)) and a.category == "on_track"
    assert a.base_from == "data" and a.base_year == 2024 and "first observed year" in a.reason
    # slower: 42.0 → 42.3 over two years is 0.15 pp a year: R = 0.409, limited progress
    b = tg.assess_share_target(S({2024: 42.0, 2026: 42.3}), 43.1, 2027)
    assert b.ratio == pytest.approx(0.15 / (1.1 / 3)) and b.category == "limited_progress"
    assert tg.assess_share_target(S({2026: 43.1}), 43.1, 2027).status == "achieved"


def test_about_target_within_and_outside_its_tolerance():
    # 民间投资占比 32%左右, ±1 pp
    assert tg.assess_share_target(S({2025: 31.2}), 32, 2027, "about").status == "achieved"
    assert tg.assess_share_target(S({2025: 32.9}), 32, 2027, "about").status == "achieved"
    below = tg.assess_share_target(S({2024: 29.0, 2025: 30.5}), 32, 2027, "about")
    assert below.status == "not_achieved"
    assert below.ratio == pytest.approx(1.5 / (2.0 / 3))  # towards the band's lower edge, 31
    above = tg.assess_share_target(S({2024: 33.0, 2025: 34.0}), 32, 2027, "about")
    assert above.status == "above_range" and above.category == "deterioration"
    # a level 'about 30' with ±10%: 27 met, 26 not
    assert tg.qualifier_met(27, 30, "about", 0.10) and not tg.qualifier_met(26, 30, "about", 0.10)


def test_level_target_with_the_base_taken_from_data():
    # 9200家以上 by 2027; first observed 2024: 8000; 2026: 8800
    a = tg.assess_level_target(S({2024: 8000, 2026: 8800}), 9200, 2027, "at_least")
    actual = (8800 / 8000) ** 0.5 - 1  # 4.881% a year
    required = (9200 / 8000) ** (1 / 3) - 1  # 4.769% a year
    assert a.ratio == pytest.approx(actual / required) and a.category == "on_track"
    assert (a.base_year, a.base_value, a.base_from) == (2024, 8000, "data")
    stated = tg.assess_level_target(S({2026: 8800}), 9200, 2027, base_value=8000, base_year=2024)
    assert stated.base_from == "plan" and stated.ratio == pytest.approx(a.ratio)
    one = tg.assess_level_target(S({2026: 8800}), 9200, 2027)
    assert one.status == "not_achieved" and one.category is None and "one observed year" in one.reason
    assert tg.assess_level_target(S({2026: 9300}), 9200, 2027).status == "achieved"


def test_cumulative_count():
    # 3600家 over 2025–2027: 1300 + 1100 by 2026 → (2400/2) / (3600/3) = 1.0, on track
    a = tg.assess_cumulative_target(S({2025: 1300, 2026: 1100}), 3600, 2025, 2027)
    assert a.ratio == pytest.approx(1.0) and a.category == "on_track" and a.latest_value == 2400
    assert tg.assess_cumulative_target(S({2025: 2000, 2026: 1700}), 3600, 2025, 2027).status == "achieved"


def test_relative_target_needs_its_benchmark():
    own = S({2024: 56.0, 2026: 58.5})
    a = tg.assess_relative_target(own, None, 2027)
    assert a.status == "not_assessable" and a.reason == "benchmark not supplied" and a.category is None
    # gap −3.0 in 2024, −1.5 in 2026: 0.75 pp a year closed against 1.0 needed: R = 0.75
    b = tg.assess_relative_target(own, S({2024: 59.0, 2026: 60.0}), 2027)
    assert b.ratio == pytest.approx(0.75) and b.category == "acceleration_needed" and b.target == 60.0


def test_qualitative_is_listed_not_assessed():
    a = tg.assess_qualitative()
    assert a.status == "not_assessed" and not a.assessed and a.category is None


def test_at_most_and_strive():
    assert tg.assess_level_target(S({2026: 5}), 6, 2027, "at_most").status == "achieved"
    s = tg.assess_level_target(S({2026: 7000}), 6800, 2027, "strive")
    assert s.status == "achieved" and s.aspiration


@pytest.mark.parametrize("text,q", [("43.1%以上", "at_least"), ("32%左右", "about"), ("不高于5%", "at_most"),
                                    ("力争3600家以上", "strive"), ("达到全省平均水平", "at_least")])
def test_qualifier_from_wording(text, q):
    assert tg.qualifier_of(text) == q


def test_no_outturn_yet():
    for a in (tg.assess_level_target(S({}), 1, 2027), tg.assess_share_target(S({}), 1, 2027),
              tg.assess_cumulative_target(S({}), 1, 2025, 2027)):
        assert a.status == "not_assessable" and a.reason == "no outturn yet"


@given(st.floats(1, 99), st.floats(0.1, 5), st.floats(0.1, 5))
def test_pp_ratio_is_one_exactly_on_the_required_path(base, step, extra):
    target = base + 3 * step
    assert tg.pp_ratio(base, 2024, base + 2 * step, 2026, target, 2027) == pytest.approx(1.0)
    assert tg.pp_ratio(base, 2024, base + 2 * step + extra, 2026, target, 2027) > 1.0
