"""The plan's formulas against values worked by hand from the plan text, and properties."""
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from twocreate import indicators as ti


# ---- hand-worked from the plan (济政办发〔2016〕28号 §一, §二(三))
def test_revenue_headline_reproduced_from_stated_baseline():
    # 2018 sub-target 106,870,000万元 = 10,687亿元; §一 states 8,030亿元 for 2015.
    # (10687 - 8030) / 8030 = 2657 / 8030 = 0.330884...  → the 33% headline.
    assert ti.growth_rate(8030, 10687) == pytest.approx(0.330884, abs=1e-6)


def test_revenue_sub_target_path_is_ten_percent_a_year():
    # 8833 / 8030 = 1.1000; 9716 / 8833 = 1.09997; 10687 / 9716 = 1.09994
    assert ti.cagr(8030, 10687, 3) == pytest.approx(0.09997, abs=1e-5)


def test_implied_baselines_for_tech_contracts_and_patents():
    # 170,000万元 / 1.98 = 85,858.59万元; 19,600项 / 1.70 = 11,529.41项
    assert ti.implied_baseline(170000, 0.98) == pytest.approx(85858.5859, abs=1e-3)
    assert ti.implied_baseline(19600, 0.70) == pytest.approx(11529.4118, abs=1e-3)


def test_employment_note_divisor_is_the_stock():
    # 28 + 30 + 32 = 90万人次; 90 / 281 = 0.32028 → "32%" only with the 281万 stock as divisor
    assert ti.cumulative_flow_growth([28, 30, 32], 281) == pytest.approx(0.320285, abs=1e-6)
    assert 90 / 0.32 == pytest.approx(281.25)


def test_catch_up_rate_by_hand():
    # from 9,640亿 in 2017 to 10,687亿 in 2018: 10687/9640 - 1 = 0.10861
    assert ti.catch_up_rate(9640, 2017, 10687, 2018) == pytest.approx(0.108610, abs=1e-6)
    assert math.isnan(ti.catch_up_rate(10000, 2018, 10687, 2018))


def test_achievement_and_time_progress():
    # 完成率 2018: 10,430 / 10,687 = 0.97595
    assert ti.achievement_rate(10430, 10687) == pytest.approx(0.975952, abs=1e-6)
    # 序时进度 2017: gap closed (9640-8030)/(10687-8030) = 1610/2657 = 0.60595; time 2/3
    closed, elapsed = ti.time_progress(8030, 2015, 9640, 2017, 10687, 2018)
    assert closed == pytest.approx(0.605947, abs=1e-6)
    assert elapsed == pytest.approx(2 / 3)


def test_assess_progress_revenue_2018_illustrative():
    # actual = (10430/8030)^(1/3) - 1 = 0.091079; required = 0.099968; R = 0.9111 → acceleration needed
    p = ti.assess_progress(8030, 2015, 10430, 2018, 10687, 2018)
    assert p.actual_rate == pytest.approx(0.091079, abs=1e-6)
    assert p.required_rate == pytest.approx(0.099968, abs=1e-6)
    assert p.ratio == pytest.approx(0.911082, abs=1e-5)
    assert p.category == "acceleration_needed"


# revenue from 8,030亿 (2015) towards 10,687亿 (2018), judged in 2018: required CAGR 9.9968% a year.
# actual = (latest / 8030)^(1/3) − 1; R = actual / 0.099968 (by hand, e.g. 10600: 1.32005^(1/3) = 1.096975)
@pytest.mark.parametrize("latest,ratio,category", [
    (10800, 1.0386, "achieved"),              # beyond the target: achieved is checked first
    (10687, 1.0, "achieved"),                 # exactly the target
    (10600, 0.9701, "on_track"),              # R ≥ 0.95
    (10500, 0.9354, "acceleration_needed"),   # 0.60 ≤ R < 0.95: close, but not on track
    (8500, 0.1915, "limited_progress"),       # 0 ≤ R < 0.60
    (8030, 0.0, "limited_progress"),          # no change: R = 0 is limited progress, not deterioration
    (8000, -0.0125, "deterioration"),         # moved away from the target
])
def test_assess_progress_categories_at_target_year(latest, ratio, category):
    p = ti.assess_progress(8030, 2015, latest, 2018, 10687, 2018)
    assert p.ratio == pytest.approx(ratio, abs=1e-4)
    assert p.category == category


def test_assess_progress_thresholds():
    # required 10%/yr over 2 years from 100 to 121; build latest values giving exact R
    req = 0.10
    for r, cat in [(1.0, "on_track"), (0.95, "on_track"), (0.9499, "acceleration_needed"), (0.60, "acceleration_needed"),
                   (0.5999, "limited_progress"), (0.0, "limited_progress"), (-0.1, "deterioration")]:
        latest = 100 * (1 + r * req)  # one year elapsed
        p = ti.assess_progress(100, 2015, latest, 2016, 121, 2017)
        assert p.ratio == pytest.approx(r, abs=1e-9)
        assert p.category == cat, (r, p)


def test_lower_is_better_direction():
    # a target to cut from 100 to 81 in 2 years (-10%/yr); fell to 90 in 1 year: R = 1 → on track
    p = ti.assess_progress(100, 2015, 90, 2016, 81, 2017, higher_is_better=False)
    assert p.ratio == pytest.approx(1.0)
    assert p.category == "on_track"
    p = ti.assess_progress(100, 2015, 110, 2016, 81, 2017, higher_is_better=False)
    assert p.category == "deterioration"


def test_flow_progress_linear_not_compound():
    # employment: 29.1 + 30.6 = 59.7 against 28 + 30 = 58 by 2017 → R = 1.0293, on track;
    # remaining: (90 - 59.7) / 1 = 30.3万人次 in 2018
    p = ti.assess_flow_progress(59.7, 58, 90, 2, 3)
    assert p.ratio == pytest.approx(59.7 / 58)
    assert p.category == "on_track"
    assert p.catch_up_rate == pytest.approx(30.3)
    assert ti.assess_flow_progress(90.9, 90, 90, 3, 3).category == "achieved"


def test_errors():
    with pytest.raises(ValueError):
        ti.cagr(0, 10, 3)
    with pytest.raises(ValueError):
        ti.cagr(10, 20, 0)
    with pytest.raises(ValueError):
        ti.implied_baseline(100, -1.0)
    with pytest.raises(ValueError):
        ti.assess_progress(100, 2015, 110, 2015, 120, 2018)


# ---- properties
pos = st.floats(min_value=1e-3, max_value=1e9, allow_nan=False, allow_infinity=False)
growth = st.floats(min_value=-0.99, max_value=50, allow_nan=False)
years = st.integers(min_value=1, max_value=30)


@given(pos, pos, years)
def test_cagr_inverts(start, end, n):
    r = ti.cagr(start, end, n)
    # exact up to float rounding, measured against the larger level (1 + r loses digits when r ≈ -1)
    assert abs(start * (1 + r) ** n - end) <= 1e-9 * max(start, end) * n


@given(pos, growth)
def test_implied_baseline_inverts_growth(target, g):
    base = ti.implied_baseline(target, g)
    assert ti.growth_rate(base, target) == pytest.approx(g, rel=1e-9, abs=1e-12)


@given(pos, pos, pos, st.integers(1, 5), st.integers(1, 5))
def test_assess_progress_properties(base, latest, target, k, extra):
    latest_year = 2015 + k
    target_year = latest_year + extra - 1 if extra > 1 else latest_year
    target_year = max(target_year, 2016)
    p = ti.assess_progress(base, 2015, latest, latest_year, target, target_year)
    assert p.category in ti.CATEGORIES
    if latest >= target:
        assert p.category == "achieved"
    else:
        assume(p.required_rate != 0)
        # higher is better: the ratio has the sign of the actual change
        assert (p.ratio < 0) == (p.actual_rate < 0)
        if target > base and latest < base:
            assert p.category == "deterioration"


@given(pos, pos, pos)
def test_more_progress_never_worse_category(base, a, b):
    order = {c: i for i, c in enumerate(ti.CATEGORIES)}
    target = base * 2
    lo, hi = sorted([a, b])
    p_lo = ti.assess_progress(base, 2015, lo, 2017, target, 2018)
    p_hi = ti.assess_progress(base, 2015, hi, 2017, target, 2018)
    assert order[p_hi.category] <= order[p_lo.category]
