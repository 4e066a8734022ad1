"""Target kinds and qualifiers through the engine's rules, with hand-worked values (issues 12 and 17)."""
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twocreate.assess import Target, judge, pp_ratio
from twocreate.assess.rules import band


def S(d):
    return pd.Series(d, dtype=float)


def T(kind="level", target=None, qualifier="at_least", ty=2027, by=2024, sf="stock", **kw):
    unit = "%" if kind in ("share", "relative") else "家"
    return Target("x", "1", kind, sf, unit, qualifier=qualifier, target_year=ty, base_year=by, start_year=None if by is None else by + 1,
                  target_value=target, **kw)


def test_share_reached_at_43_0_against_43_1_is_not_achieved_and_categorised_by_the_pp_rule():
    a = judge(T("share", 43.1), S({2024: 42.0, 2026: 43.0}), 2026)
    # (43.0 − 42.0)/2 = 0.5 pp a year achieved; (43.1 − 42.0)/3 = 0.3667 required: R = 1.3636
    assert a.ratio == pytest.approx(0.5 / (1.1 / 3)) and a.verdict == "on_track"
    assert a.base_source == "observed" and a.base_year == 2024
    # slower: 42.0 → 42.3 over two years is 0.15 pp a year: R = 0.409, limited progress
    b = judge(T("share", 43.1), S({2024: 42.0, 2026: 42.3}), 2026)
    assert b.ratio == pytest.approx(0.15 / (1.1 / 3)) and b.verdict == "limited_progress"
    # in the target year, 43.0 against 43.1以上 is not achieved (0.1 pp short)
    c = judge(T("share", 43.1), S({2024: 42.0, 2027: 43.0}), 2027)
    assert c.verdict == "not_achieved" and c.gap == pytest.approx(0.1)
    assert judge(T("share", 43.1), S({2024: 42.0, 2027: 43.1}), 2027).verdict == "achieved"


def test_about_target_within_and_outside_its_tolerance():
    # 民间投资占比 32%左右, ±1 pp: inside the band before 2027 is reached early, in 2027 achieved
    assert judge(T("share", 32, "about"), S({2024: 30, 2025: 31.2}), 2025).verdict == "reached_early"
    assert judge(T("share", 32, "about"), S({2024: 30, 2027: 32.9}), 2027).verdict == "achieved"
    below = judge(T("share", 32, "about"), S({2024: 29.0, 2025: 30.5}), 2025)
    assert below.verdict == "on_track" and below.ratio == pytest.approx(1.5 / (2.0 / 3))  # towards 31
    above = judge(T("share", 32, "about"), S({2024: 33.0, 2025: 34.0}), 2025)
    assert above.position == "above" and above.verdict == "deterioration"
    assert judge(T("share", 32, "about"), S({2024: 33.0, 2027: 34.0}), 2027).verdict == "not_achieved"
    # a level 'about 30' with ±10%: 27 met, 26 not
    lo, hi = band(30, "about", 0.10, absolute=False)
    assert lo <= 27 <= hi and not lo <= 26 <= hi


def test_level_target_with_the_base_taken_from_data():
    # 9200家以上 by 2027; first observed 2024: 8000; 2026: 8800
    a = judge(T("level", 9200), S({2024: 8000, 2026: 8800}), 2026)
    actual = (8800 / 8000) ** 0.5 - 1  # 4.881% a year
    required = (9200 / 8000) ** (1 / 3) - 1  # 4.769% a year
    assert a.ratio == pytest.approx(actual / required) and a.verdict == "on_track"
    assert (a.base_year, a.base_value, a.base_source) == (2024, 8000, "observed")
    stated = judge(T("level", 9200, stated_base=8000.0), S({2026: 8800}), 2026)
    assert stated.base_source == "stated" and stated.ratio == pytest.approx(a.ratio)
    one = judge(T("level", 9200, by=None), S({2026: 8800}), 2026)
    assert one.verdict == "not_assessable" and one.reason == "no_base"
    assert judge(T("level", 9200), S({2024: 8000, 2026: 9300}), 2026).verdict == "reached_early"


def test_cumulative_count():
    # 3600家 over 2025–2027: 1300 + 1100 by 2026 → (2400/2) / (3600/3) = 1.0, on track
    a = judge(T("cumulative", 3600, sf="flow"), S({2025: 1300, 2026: 1100}), 2026)
    assert a.ratio == pytest.approx(1.0) and a.verdict == "on_track" and a.latest_value == 2400
    assert a.needed == pytest.approx(1200)
    assert judge(T("cumulative", 3600, sf="flow"), S({2025: 2000, 2026: 1700}), 2026).verdict == "reached_early"
    final = judge(T("cumulative", 3600, sf="flow"), S({2025: 1300, 2026: 1100, 2027: 1100}), 2027)
    assert final.verdict == "not_achieved" and final.gap == pytest.approx(100)
    gap_year = judge(T("cumulative", 3600, sf="flow"), S({2025: 1300, 2027: 1100}), 2027)
    assert gap_year.verdict == "not_assessable" and gap_year.reason == "missing_years"


def test_relative_target_needs_its_benchmark():
    own = S({2024: 56.0, 2026: 58.5})
    a = judge(T("relative"), own, 2026, benchmark=None)
    assert a.verdict == "not_assessable" and a.reason == "benchmark_missing" and a.pace is None
    # gap −3.0 in 2024, −1.5 in 2026: 0.75 pp a year closed against 1.0 needed: R = 0.75
    b = judge(T("relative"), own, 2026, benchmark=S({2024: 59.0, 2026: 60.0}))
    assert b.ratio == pytest.approx(0.75) and b.verdict == "acceleration_needed" and b.target_value == 60.0


def test_qualitative_is_listed_not_assessed():
    a = judge(T("qualitative"), S({}), 2026)
    assert a.verdict == "not_assessed" and a.reason == "qualitative"


def test_at_most_and_strive():
    assert judge(T("level", 6, "at_most"), S({2024: 8, 2027: 5}), 2027).verdict == "achieved"
    down = judge(T("level", 6, "at_most"), S({2024: 8, 2025: 7}), 2025)  # falling towards at most 6
    assert down.ratio > 0 and down.position == "above"
    assert judge(T("level", 6800, "strive"), S({2024: 6000, 2027: 7000}), 2027).verdict == "achieved"


def test_no_outturn_yet():
    for t in (T("level", 1), T("share", 1), T("cumulative", 1, sf="flow")):
        a = judge(t, S({}), 2026)
        assert a.verdict == "not_assessable" and a.reason == "no_outturn"


@given(st.floats(1, 99), st.floats(0.1, 5), st.floats(0.1, 5))
def test_pp_ratio_is_one_exactly_on_the_required_path(base, step, extra):
    target = base + 3 * step
    assert pp_ratio(base, 2024, base + 2 * step, 2026, target, 2027) == pytest.approx(1.0)
    assert pp_ratio(base, 2024, base + 2 * step + extra, 2026, target, 2027) > 1.0
