"""The one assessment engine (issue 17), with the hand-worked cases of the issue and Jinan's own.

Hand-worked plan (tests/data/plans/handworked-2016-example, 示例市 2016–2018, base year 2015,
city only), report year 2017:
- revenue: growth, 亿元, headline 50%, milestones 110/125/150, no stated base; outturns 100/112/124.
  Implied base 150/1.5 = 100; 124/125 = 99.2% of the 2017 milestone; CAGR (124/100)^(1/2)-1 = 11.36%
  against (150/100)^(1/3)-1 = 14.47%; R = 0.785, acceleration needed; 2018 needs 150/124-1 = 20.97%.
- high-tech firms: level, 家, milestones 100/120/140; outturns 90/98/110. Base observed (2015: 90);
  110/120 = 91.7%, not met; (110/90)^(1/2)-1 = 10.55% against (140/90)^(1/3)-1 = 15.87%; R = 0.665.
- new firms: cumulative flow, 万户, milestones 5/5/6, 累计增长 40%; outturns 5.5/3.9. Implied base
  stock 16/0.40 = 40万户; cumulative 9.4 against 10 (R = 0.94); 6.6 needed in 2018; 9.4/40 = 23.5%.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twocreate import InputError
from twocreate.assess import Settings, Target, assess, judge, milestone_table, resolve_area, resolve_year
from twocreate.observations import read_observations
from twocreate.plan import load_plan

HW = Path(__file__).parent / "data" / "plans" / "handworked-2016-example"


@pytest.fixture(scope="module")
def hw():
    p = load_plan(HW)
    return p, read_observations(HW / "outturns.csv", p)


def test_handworked_revenue_growth_with_an_implied_base(hw):
    p, o = hw
    r = assess(p, o, 2017).row("rev")
    assert r["base_implied"] == pytest.approx(100.0) and r["base_source"] == "observed"  # 2015 outturn 100 too
    assert r["milestone_completion"] == pytest.approx(124 / 125) and not r["milestone_met"]
    assert r["actual_rate"] == pytest.approx(0.113553, abs=1e-6)
    assert r["required_rate"] == pytest.approx(0.144714, abs=1e-6)
    assert r["ratio"] == pytest.approx(0.785, abs=5e-4) and r["verdict"] == "acceleration_needed"
    assert r["needed"] == pytest.approx(0.2097, abs=1e-4)


def test_handworked_level_target_with_milestones(hw):
    p, o = hw
    r = assess(p, o, 2017).row("hitech")
    assert (r["base_source"], r["base_year"], r["base_value"]) == ("observed", 2015, 90.0)
    assert r["milestone_completion"] == pytest.approx(110 / 120) and not r["milestone_met"]
    assert r["actual_rate"] == pytest.approx(0.1055, abs=1e-4) and r["required_rate"] == pytest.approx(0.1587, abs=1e-4)
    assert r["ratio"] == pytest.approx(0.665, abs=5e-4) and r["verdict"] == "acceleration_needed"
    assert r["target_value"] == 140  # the final milestone


def test_handworked_cumulative_flow_with_a_cumulative_percentage(hw):
    p, o = hw
    r = assess(p, o, 2017).row("newfirms")
    assert r["base_source"] == "implied" and r["base_implied"] == pytest.approx(40.0)
    assert r["latest_value"] == pytest.approx(9.4) and r["cumulative_milestone"] == pytest.approx(10.0)
    assert r["ratio"] == pytest.approx(0.94) and r["verdict"] == "acceleration_needed"
    assert r["needed"] == pytest.approx(6.6) and r["growth_since_base"] == pytest.approx(0.235)
    assert r["target_value"] == 16


def test_in_the_target_year_a_target_is_achieved_or_not(hw):
    p, o = hw
    more = pd.concat([o, pd.DataFrame([{"indicator": "rev", "area_code": "990100", "year": 2018, "value": 147.0,
                                        "unit": "亿元", "status": "illustrative", "source": "hand-worked"}])])
    r = assess(p, more, 2018).row("rev")
    assert r["verdict"] == "not_achieved"  # not "acceleration needed"
    assert r["completion"] == pytest.approx(0.98) and r["gap"] == pytest.approx(3.0)
    assert r["pace"] == "acceleration_needed"  # the pace stays as context
    # without a 2018 figure the target year cannot be judged
    assert assess(p, o, 2018).row("rev")["verdict"] == "not_assessable"
    assert assess(p, o, 2018).row("rev")["reason"] == "no_outturn_for_target_year"


def test_jinan_2018_revenue_and_patents_are_not_achieved(plan, obs):
    t = assess(plan, obs, 2018)
    rev, pat = t.row("revenue"), t.row("patents")
    assert rev["verdict"] == "not_achieved" and rev["completion"] == pytest.approx(10430 / 10687, abs=1e-6)
    assert rev["gap"] == pytest.approx(2_570_000)  # 257亿元 in 万元
    assert pat["verdict"] == "not_achieved" and pat["gap"] == pytest.approx(2700)
    assert t.row("new_employment")["verdict"] == "achieved" and t.row("tech_contract")["verdict"] == "achieved"
    for y in (2016, 2017):
        assert set(assess(plan, obs, y).table["verdict"]) <= {"on_track", "acceleration_needed", "limited_progress",
                                                              "deterioration", "reached_early", "not_assessable"}


def test_jinan_numbers_are_the_former_trajectory_figures(plan, obs):
    # the golden 2018 trajectory table: revenue R = 0.911082 from the stated base 80,300,000万元;
    # tech contracts from the implied 85,858.59万元, R = 1.058988; employment 90.9 of 90, R = 1.01
    t = assess(plan, obs, 2018)
    assert t.row("revenue")["ratio"] == pytest.approx(0.911082, abs=1e-6)
    assert t.row("revenue")["base_source"] == "stated" and t.row("revenue")["base_value"] == 80_300_000
    assert t.row("tech_contract")["base_value"] == pytest.approx(85858.585859, abs=1e-5)
    assert t.row("tech_contract")["ratio"] == pytest.approx(1.058988, abs=1e-6)
    emp = t.row("new_employment")
    assert emp["ratio"] == pytest.approx(1.01) and emp["base_value"] == 281 and emp["base_implied"] == pytest.approx(281.25)


def test_about_32_percent_inside_the_band_a_year_early_is_reached_early_not_achieved():
    p = load_plan("jinan-2025-private-economy")
    o = read_observations(plan=p)
    r = assess(p, o, 2026).row("private_investment_share")
    assert r["verdict"] == "reached_early" and r["position"] == "within"
    r27 = assess(p, pd.concat([o, pd.DataFrame([{"indicator": "private_investment_share", "area_code": "370100",
                                                 "year": 2027, "value": 31.5, "unit": "%", "status": "illustrative",
                                                 "source": "x"}])]), 2027).row("private_investment_share")
    assert r27["verdict"] == "achieved"


def test_a_ratio_that_cannot_be_computed_is_not_assessable_never_deterioration():
    t = Target("x", "1", "level", "stock", "家", target_year=2020, base_year=2017, target_value=100.0)
    r = judge(t, pd.Series({2018: 50.0}), 2019)  # one year only, no base
    assert r.verdict == "not_assessable" and r.reason == "no_base"
    r0 = judge(t, pd.Series({2017: 0.0, 2018: 10.0}), 2019)  # a zero base gives no growth rate
    assert r0.verdict == "not_assessable" and r0.reason == "base_not_positive"
    assert judge(t, pd.Series(dtype=float), 2019).reason == "no_outturn"


def test_a_district_is_never_judged_against_the_citys_target(plan, obs):
    with pytest.raises(InputError, match="no targets of its own"):
        assess(plan, obs, 2017, area="370102")
    with pytest.raises(InputError, match="no targets of its own"):
        assess(plan, obs, 2017, area="历下区")  # by name: refused the same way, never a silent no_data
    from twocreate import districts as td
    tg = td.read_targets(td.TARGETS_EXAMPLE, plan)
    a = assess(plan, obs, 2018, area="历下", area_targets=tg)
    r = a.row("revenue")
    assert a.area_code == "370102" and r["target_source"] == "area_targets"
    # 1,486亿元 against its own 2018 target of 1,496亿元: not achieved (not "on track")
    assert r["latest_value"] == pytest.approx(14_861_277) and r["verdict"] == "not_achieved"
    assert r["target_value"] == pytest.approx(14_960_000, rel=1e-3)
    city = assess(plan, obs, 2018).row("revenue")
    assert r["target_value"] != city["target_value"]


def test_names_and_years_as_users_write_them(plan):
    assert resolve_year(plan, "2017年") == 2017 and resolve_year(plan, "2017") == 2017 and resolve_year(plan, 2018) == 2018
    for bad in (2019, 2015, "2014", "next year"):
        with pytest.raises(InputError, match="2016 to 2018"):
            resolve_year(plan, bad)
    assert resolve_area(plan, "章丘市") == "370114" and resolve_area(plan, "Lixia District") == "370102"
    assert resolve_area(plan, None) == "370100"
    with pytest.raises(InputError, match="expected a code, name or alias"):
        resolve_area(plan, "浦东新区")


def test_kind_unclear_shows_both_readings_and_judges_neither(tmp_path, hw):
    import shutil
    p0, o = hw
    d = tmp_path / HW.name  # a plan folder is named by its id
    shutil.copytree(HW, d)
    ind = (d / "indicators.csv").read_text(encoding="utf-8").replace("hitech,高新技术企业数量,High-tech firms,家,stock",
                                                                     "hitech,高新技术企业数量,High-tech firms,家,unclear")
    (d / "indicators.csv").write_text(ind, encoding="utf-8")
    p = load_plan(d)
    a = assess(p, o, 2017)
    both = a.table[a.table["code"] == "hitech"].set_index("reading")
    assert set(both.index) == {"stock", "flow"}
    assert both.loc["stock", "latest_value"] == 110 and both.loc["flow", "latest_value"] == pytest.approx(98 + 110)
    assert a.counts().get("not_assessed") == 1


def test_milestone_table_gives_the_values_across_the_years(hw):
    p, o = hw
    mt = milestone_table(p, o, 2017)
    rev = mt[mt["code"] == "rev"].set_index("year")
    assert rev.loc[2016, "met"] and not rev.loc[2017, "met"] and math.isnan(rev.loc[2018, "outturn"])
    nf = mt[mt["code"] == "newfirms"].set_index("year")
    assert nf.loc[2017, "cumulative_outturn"] == pytest.approx(9.4) and nf.loc[2017, "cumulative_milestone"] == 10


def test_settings_are_the_method_parameters(hw):
    p, o = hw
    strict = assess(p, o, 2017, settings=Settings(on_track=0.99, acceleration=0.95))
    assert strict.row("newfirms")["verdict"] == "limited_progress"  # R = 0.94 < 0.95
    with pytest.raises(ValueError):
        Settings(on_track=0.5, acceleration=0.6)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(base=st.floats(1, 1e6), latest=st.floats(0, 2e6), target=st.floats(1, 2e6),
       ty=st.integers(2018, 2022), y=st.integers(2016, 2022))
def test_verdicts_follow_the_report_year(base, latest, target, ty, y):
    """Before the target year never achieved / not achieved; from it only those (or not assessable)."""
    t = Target("x", "1", "level", "stock", "家", target_year=ty, base_year=2015, target_value=target)
    r = judge(t, pd.Series({2015: base, min(y, ty): latest}), y)
    if y >= ty:
        assert r.verdict in ("achieved", "not_achieved", "not_assessable")
        assert (r.verdict == "achieved") == (latest >= target)
    else:
        assert r.verdict not in ("achieved", "not_achieved")
        assert (r.verdict == "reached_early") == (latest >= target)
    assert r.verdict != "deterioration" or (r.ratio == r.ratio and r.ratio < 0)
