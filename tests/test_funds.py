"""Fund allocation and leverage models (twocreate.funds), the scenario file, and the report notebook.

Every expected number is worked by hand in the comment beside it.
"""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twocreate import InputError
from twocreate import funds as tf

from conftest import execute_notebook, notebook_text, stderr_text

FINANCING = 20.6  # 亿元: the 2016 plan's financing area (funds.csv row "financing")
RATIO = 5  # the 2016 plan's guidance fund: "按照1:5的比例放大" (instruments.csv, group fund, leverage_ratio)

money = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0.01, max_value=1.0, allow_nan=False)
factor = st.floats(min_value=1.0, max_value=50.0, allow_nan=False)


@pytest.fixture(scope="module")
def sc():
    return tf.load_scenario(total=FINANCING)


# --------------------------------------------------------------------------- allocation
def test_allocation_is_the_plans(plan):
    a = tf.allocation(plan).set_index("code")
    assert a.loc["financing", "amount_100m_yuan"] == pytest.approx(20.6)
    assert a["amount_100m_yuan"].sum() == pytest.approx(30.0)  # 5.01 + 4.39 + 20.6 = 30
    assert a.loc["startup_space", "share"] == pytest.approx(0.167)  # 5.01 / 30
    assert a.loc["public_service", "share"] == pytest.approx(4.39 / 30)  # 0.14633


def test_phasing_even_by_default_and_data_replaces_it(plan):
    a = tf.allocation(plan)
    ph = tf.phasing(a, tf.fund_period(plan))  # the plan's fund period 2016–2018 (funds.csv)
    fin = ph[ph["code"] == "financing"]
    assert fin["amount_100m_yuan"].tolist() == pytest.approx([20.6 / 3] * 3)  # 6.8667 a year
    assert set(fin["source"]) == {"even"}
    d = tf.read_disbursements(codes=a["code"])
    ph2 = tf.phasing(a, (2016, 2017, 2018), d)
    fin2 = ph2[ph2["code"] == "financing"]
    assert fin2["amount_100m_yuan"].tolist() == pytest.approx([4.8, 6.9, 7.5])
    assert set(fin2["status"]) == {"illustrative"}


def test_bad_disbursement_names_file_row_column(tmp_path, plan):
    p = tmp_path / "d.csv"
    p.write_text("code,year,amount,unit,status,source\nfinancing,2016,-3,亿元,official,x\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        tf.read_disbursements(p, codes=tf.allocation(plan)["code"])
    msg = str(e.value)
    assert "d.csv" in msg and "row 2" in msg and "'amount'" in msg and "-3" in msg


# --------------------------------------------------------------------------- guidance fund
def test_guidance_fund_both_readings():
    # 1亿 at 1:5: public:total → a 5亿 fund (4亿 private); public:private → 5亿 private, a 6亿 fund
    t = tf.guidance_fund(1.0, 5, "total")
    assert (t.total, t.public, t.private, t.multiplier) == pytest.approx((5.0, 1.0, 4.0, 5.0))
    p = tf.guidance_fund(1.0, 5, "private")
    assert (p.total, p.public, p.private, p.multiplier) == pytest.approx((6.0, 1.0, 5.0, 6.0))
    assert p["total"] == 6.0 and t.as_dict()["basis"] == "total"
    # 5亿 of the default scenario: 25亿 (total basis) or 30亿 (private basis)
    assert tf.guidance_fund(5.0, RATIO).total == pytest.approx(25.0)
    assert tf.guidance_fund(5.0, RATIO, basis="private").total == pytest.approx(30.0)


def test_guidance_fund_bad_parameters():
    with pytest.raises(InputError, match="public"):
        tf.guidance_fund(-1, RATIO)
    with pytest.raises(InputError, match="basis"):
        tf.guidance_fund(1, RATIO, basis="gross")
    with pytest.raises(InputError, match="ratio"):
        tf.guidance_fund(1, ratio=0.5, basis="total")


# --------------------------------------------------------------------------- fund of funds
def test_fund_of_funds_hand_worked():
    # G = 1亿, s1 = 0.5, s2 = 0.25: 1 / (0.5 × 0.25) = 8亿 reach enterprises; with c = 1.5: 12亿
    assert tf.fund_of_funds(1.0, 0.5, 0.25) == pytest.approx(8.0)
    assert tf.fund_of_funds(1.0, 0.5, 0.25, co_investment=1.5) == pytest.approx(12.0)
    # default scenario: 4亿 / (0.4 × 0.25) = 40亿
    assert tf.fund_of_funds(4.0, 0.4, 0.25) == pytest.approx(40.0)


def test_fund_of_funds_layers_show_the_double_count():
    # 1亿, s1 0.5, s2 0.25: fund of funds 2亿, sub-funds 8亿, enterprises 8亿; naive sum 2 + 8 + 8 = 18亿
    lay = tf.fund_of_funds_layers(1.0, 0.5, 0.25).set_index("layer")
    assert lay.loc["fund_of_funds", "amount"] == pytest.approx(2.0)
    assert lay.loc["enterprises", "amount"] == pytest.approx(8.0)
    assert lay.loc["sum_of_layers", "amount"] == pytest.approx(18.0)
    assert lay["counted"].sum() == 1 and bool(lay.loc["enterprises", "counted"])


@pytest.mark.parametrize("s1,s2", [(0, 0.25), (1.2, 0.25), (0.5, -0.1), (0.5, 1.01)])
def test_fund_of_funds_shares_outside_0_1(s1, s2):
    with pytest.raises(InputError, match=r"share in \(0, 1\]"):
        tf.fund_of_funds(1.0, s1, s2)


# --------------------------------------------------------------------------- risk pool
def test_risk_pool_capacity_hand_worked():
    # 1亿 pool, k = 10, c = 1, PD·LGD = 2%: min(10 × 1, 1 / (1 × 0.02)) = min(10, 50) = 10亿
    assert tf.risk_pool_capacity(1.0, 10, 1.0, 0.02) == pytest.approx(10.0)
    # k = 15, c = 1, PD·LGD = 10%: min(15, 1 / 0.1 = 10) = 10亿: the loss bound binds
    assert tf.risk_pool_capacity(1.0, 15, 1.0, 0.10) == pytest.approx(10.0)
    # expected loss 3% × 60% = 1.8%
    assert tf.expected_loss_rate(0.03, 0.6) == pytest.approx(0.018)


def test_risk_pool_years():
    # 1亿 pool, 10亿 lent, c = 0.5, PD·LGD = 2%: yearly draw 10 × 0.5 × 0.02 = 0.1亿 → 10 years
    assert tf.risk_pool_years(1.0, 10.0, 0.5, 0.02) == pytest.approx(10.0)
    assert math.isinf(tf.risk_pool_years(1.0, 0.0, 0.5, 0.02))
    # default scenario: 2亿 pool, 20亿 lent, c 0.5, PD 3% × LGD 60%: 2 / (20 × 0.5 × 0.018) = 11.1 years;
    # stress PD 6%: 2 / (20 × 0.5 × 0.036) = 5.6 years
    t = tf.risk_pool_scenarios(2.0, 10, 0.5, 0.6, {"central": 0.03, "stress": 0.06}).set_index("case")
    assert t.loc["central", "lending"] == pytest.approx(20.0)
    assert t.loc["central", "years"] == pytest.approx(2 / 0.18)
    assert t.loc["stress", "years"] == pytest.approx(2 / 0.36)


# --------------------------------------------------------------------------- guarantees
def test_guarantee_capacity_and_decree_683_cap():
    # 2亿 of net assets at 5× → 10亿 of guarantees
    assert tf.guarantee_capacity(2.0, 5) == pytest.approx(10.0)
    # 12× is allowed only for guarantors serving small/micro firms (cap 15×, else 10×)
    assert tf.guarantee_capacity(1.0, 12, small_micro=True) == pytest.approx(12.0)
    with pytest.raises(InputError, match="683"):
        tf.guarantee_capacity(1.0, 12, small_micro=False)
    with pytest.raises(InputError, match="683"):
        tf.guarantee_capacity(1.0, 16, small_micro=True)


# --------------------------------------------------------------------------- subsidies
def test_interest_subsidy_hand_worked():
    # 100万 at 2 points for 3 years: 100 × 0.02 × 3 = 6万
    assert tf.interest_subsidy_cost(100, 0.02, 3) == pytest.approx(6.0)
    # 2 points for 2 years: 1 / (0.02 × 2) = 25 yuan of loans per subsidy yuan
    assert tf.loans_per_subsidy(0.02, 2) == pytest.approx(25.0)
    # grant equivalent, 100万, 2 points, 2 years, 5%: 2/1.05 + 2/1.05² = 1.904762 + 1.814059 = 3.718821
    assert tf.grant_equivalent(100, 0.02, 2, 0.05) == pytest.approx(3.718821, rel=1e-6)
    # undiscounted it is the cost
    assert tf.grant_equivalent(100, 0.02, 3, 0.0) == pytest.approx(6.0)
    with pytest.raises(InputError, match="points"):
        tf.interest_subsidy_cost(100, 2, 1)  # 2 is 200%: points are fractions


def test_listing_subsidies_at_plan_rates(plan):
    rates = tf.listing_rates(plan)
    assert rates == {"listing_neeq": 150, "listing_main_board": 500, "listing_regional": 20}
    # 2 NEEQ + 1 main board + 5 regional: 2 × 150 + 500 + 5 × 20 = 900万元
    assert tf.listing_subsidy_cost({"listing_neeq": 2, "listing_main_board": 1, "listing_regional": 5},
                                   rates) == pytest.approx(900)


def test_default_listing_counts_cost_the_default_listing_budget(sc, plan):
    # 60 × 150 + 6 × 500 + 300 × 20 = 9,000 + 3,000 + 6,000 = 18,000万元 = 1.8亿
    tbl = tf.listing_table(sc, tf.listing_rates(plan))
    assert tbl["cost_10k_yuan"].sum() == pytest.approx(18000)
    assert sc.split["listing"] == pytest.approx(1.8)


# --------------------------------------------------------------------------- the package
def test_default_package_hand_worked(sc):
    # guidance 5 × 5 = 25; sector 4.5 / 0.25 = 18; fund of funds 4 / (0.4 × 0.25) = 40; guarantee 2 × 5 = 10;
    # pool min(2 × 10, 2 / (0.5 × 0.018)) = 20; subsidy 1.3 / (0.02 × 2) = 32.5; listing 1.8
    # total 147.3亿 → 147.3 / 20.6 = 7.1505; public:private reading: guidance 30 → 152.3亿 → 7.3932
    pk = tf.package(sc.split, sc.params, ratio=RATIO).set_index("code")["reaching_100m_yuan"]
    assert pk.to_dict() == pytest.approx({"guidance_fund": 25, "sector_funds": 18, "fund_of_funds": 40,
                                          "guarantee": 10, "risk_pool": 20, "cost_subsidy": 32.5, "listing": 1.8})
    r = tf.both_readings(sc, ratio=RATIO).set_index("basis")
    assert r.loc["total", "package_reaching"] == pytest.approx(147.3)
    assert r.loc["private", "package_reaching"] == pytest.approx(152.3)
    assert r.loc["total", "package_multiplier"] == pytest.approx(147.3 / 20.6)
    assert r.loc["private", "guidance_total"] == pytest.approx(30)


def test_pv_subsidy_option(sc):
    # budget as a present value: 1.3 / (0.02 × a(2, 4.35%)); a = (1 − 1.0435^−2) / 0.0435 = 1.88167
    a = (1 - 1.0435 ** -2) / 0.0435
    pk = tf.package(sc.split, sc.params, ratio=RATIO, pv_subsidy=True).set_index("code")
    assert pk.loc["cost_subsidy", "reaching_100m_yuan"] == pytest.approx(1.3 / (0.02 * a))


def test_tornado_and_grid(sc):
    t = tf.tornado(sc, ratio=RATIO)
    assert t["swing"].is_monotonic_decreasing
    # k binds: the loss parameters do not move the multiplier in their ranges
    z = t.set_index("code")
    assert z.loc["default_rate", "swing"] == pytest.approx(0) and z.loc["pool_loss_share", "swing"] == pytest.approx(0)
    # s1 from 0.2 to 1.0: fund of funds 80亿 → 16亿, multiplier (147.3 + 40) / 20.6 → (147.3 − 24) / 20.6
    assert z.loc["fof_public_share", "multiplier_low"] == pytest.approx(187.3 / 20.6)
    assert z.loc["fof_public_share", "multiplier_high"] == pytest.approx(123.3 / 20.6)
    x, y = tf.top_two(t)
    g = tf.sensitivity_grid(sc, x, y, ratio=RATIO)
    base = g[(g["x_value"] == sc.value(x)) & (g["y_value"] == sc.value(y))]["multiplier"].iloc[0]
    assert base == pytest.approx(147.3 / 20.6)


def test_rebalance_keeps_the_total(sc):
    s = sc.with_split_amount("guidance_fund", 8.0)
    assert sum(s.split.values()) == pytest.approx(FINANCING)
    assert s.split["guidance_fund"] == 8.0
    # the others shrink in proportion: 4.5 × (20.6 − 8) / (20.6 − 5) = 3.6346
    assert s.split["sector_funds"] == pytest.approx(4.5 * 12.6 / 15.6)


# --------------------------------------------------------------------------- bad parameters and files
def test_split_must_sum_to_the_financing_total(sc):
    bad = dict(sc.split, guidance_fund=4.7)  # sums to 20.3
    with pytest.raises(InputError, match=r"sum to 20.3.*20.6"):
        tf.validate_split(bad, FINANCING)
    with pytest.raises(InputError, match="negative"):
        tf.validate_split(dict(sc.split, listing=-1.8, guidance_fund=8.6), FINANCING)
    with pytest.raises(InputError, match="missing"):
        tf.validate_split({k: v for k, v in sc.split.items() if k != "listing"}, FINANCING)


@pytest.mark.parametrize("code,value", [("fof_public_share", 0), ("fof_subfund_share", 1.5),
                                        ("pool_loss_share", -0.1), ("co_investment", 0), ("subsidy_years", -1)])
def test_bad_parameter_values(sc, code, value):
    with pytest.raises(InputError, match=code):
        sc.with_values(**{code: value})


def _rewrite(tmp_path, old: str, new: str):
    text = tf.DEFAULT_SCENARIO.read_text(encoding="utf-8")
    assert old in text
    p = tmp_path / "scenario.csv"
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def test_scenario_file_errors_name_file_row_column_value(tmp_path):
    # fof_public_share is the 9th data row: line 10 of the file
    p = _rewrite(tmp_path, "fof_public_share,parameter,母基金中财政出资占比,Public share of the fund of funds,0.4,",
                 "fof_public_share,parameter,母基金中财政出资占比,Public share of the fund of funds,1.4,")
    with pytest.raises(InputError) as e:
        tf.load_scenario(p)
    msg = str(e.value)
    assert "scenario.csv" in msg and "row 10" in msg and "'value'" in msg and "1.4" in msg
    # a split that does not sum to 20.6: guidance 5.0 → 5.5 gives 21.1
    p = _rewrite(tmp_path, "Guidance fund: public contribution,5.0,", "Guidance fund: public contribution,5.5,")
    with pytest.raises(InputError, match=r"21.1.*20.6"):
        tf.load_scenario(p, total=FINANCING)
    # an assumption must say why
    p = _rewrite(tmp_path, "Assumption; annual default rate on small/micro loans; the high value is the stress scenario",
                 "")
    text = p.read_text(encoding="utf-8").replace("假设；小微企业贷款的年违约率，高值用作压力情景", "")
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="rationale"):
        tf.load_scenario(p)


def test_every_scenario_row_is_labelled(sc):
    t = sc.table
    assert set(t["basis"]) <= {"plan", "assumption"}
    assert (t["basis"] == "assumption").all()  # the plan gives none of these figures
    assert t["rationale_en"].notna().all() and t["rationale_zh"].notna().all()


# --------------------------------------------------------------------------- monotonicity (properties)
@settings(max_examples=60, deadline=None)
@given(g=money, r=st.floats(min_value=1, max_value=20), d=st.floats(min_value=0.01, max_value=5))
def test_guidance_fund_monotone(g, r, d):
    for b in tf.BASES:
        assert tf.guidance_fund(g + d, r, b).total >= tf.guidance_fund(g, r, b).total
        assert tf.guidance_fund(g, r + d, b).total >= tf.guidance_fund(g, r, b).total
    assert tf.guidance_fund(g, r, "private").total > tf.guidance_fund(g, r, "total").total


@settings(max_examples=80, deadline=None)
@given(g=money, s1=share, s2=share, c=factor, f=st.floats(min_value=1.01, max_value=3))
def test_fund_of_funds_monotone(g, s1, s2, c, f):
    base = tf.fund_of_funds(g, s1, s2, c)
    assert tf.fund_of_funds(g * f, s1, s2, c) >= base
    assert tf.fund_of_funds(g, s1, s2, c * f) >= base
    assert tf.fund_of_funds(g, s1 / f, s2, c) >= base  # a smaller public share mobilises more
    assert tf.fund_of_funds(g, s1, s2 / f, c) >= base
    assert base >= g * c  # never less than the money put in times co-investment (shares ≤ 1)


@settings(max_examples=80, deadline=None)
@given(pool=money, k=factor, c=share, el=st.floats(min_value=0.001, max_value=1.0), f=st.floats(min_value=1.01, max_value=3))
def test_risk_pool_monotone(pool, k, c, el, f):
    base = tf.risk_pool_capacity(pool, k, c, el)
    assert tf.risk_pool_capacity(pool * f, k, c, el) >= base
    assert tf.risk_pool_capacity(pool, k * f, c, el) >= base
    assert tf.risk_pool_capacity(pool, k, c / f, el) >= base
    assert tf.risk_pool_capacity(pool, k, c, el / f) >= base
    assert base <= k * pool + 1e-9


@settings(max_examples=60, deadline=None)
@given(p=st.floats(min_value=0.001, max_value=0.2), t=st.floats(min_value=0.25, max_value=10),
       r=st.floats(min_value=0.0, max_value=0.2), f=st.floats(min_value=1.01, max_value=3))
def test_subsidy_monotone(p, t, r, f):
    assert tf.loans_per_subsidy(p * f, t) < tf.loans_per_subsidy(p, t)
    assert tf.loans_per_subsidy(p, t * f) < tf.loans_per_subsidy(p, t)
    assert tf.grant_equivalent(1, p, t, r + 0.01) < tf.grant_equivalent(1, p, t, r)
    assert tf.grant_equivalent(1, p, t, r) <= tf.interest_subsidy_cost(1, p, t) + 1e-12


UP = ("co_investment", "pool_multiple", "guarantee_multiple")
DOWN = ("sector_public_share", "fof_public_share", "fof_subfund_share", "subsidy_points", "subsidy_years")


@settings(max_examples=40, deadline=None)
@given(code=st.sampled_from(UP + DOWN), u=st.floats(min_value=0.0, max_value=1.0),
       v=st.floats(min_value=0.0, max_value=1.0))
def test_package_multiplier_monotone(sc, code, u, v):
    lo, hi = sc.ranges[code]
    a, b = sorted((lo + (hi - lo) * u, lo + (hi - lo) * v))
    m_a = tf.package_multiplier(*_sp(sc.with_values(**{code: a})), ratio=RATIO)
    m_b = tf.package_multiplier(*_sp(sc.with_values(**{code: b})), ratio=RATIO)
    if code in UP:
        assert m_b >= m_a - 1e-12
    else:
        assert m_b <= m_a + 1e-12


def _sp(s):
    return s.split, s.params


# --------------------------------------------------------------------------- the plan's words and defaults (issues 17, 19)
import dataclasses
import re

from twocreate.views import fund_charts as fc
from twocreate.views import funds as fv


@pytest.fixture(scope="module")
def model(plan):
    return tf.fund_model(plan)  # every default from the plan: target year, disbursements, scenario, ratio


def test_years_and_defaults_come_from_the_plan(plan, model):
    assert tf.fund_period(plan) == [2016, 2017, 2018]  # funds.csv period_start … period_end
    assert model.year == plan.target_year == 2018  # year None → the target year
    assert model.disbursements_path.name == "disbursements_example.csv"  # plan.toml key disbursements
    assert model.scenario_path.name == "default_scenario.csv" and model.is_default  # plan.toml key scenario
    assert model.financing_code == "financing" and model.financing == pytest.approx(20.6)  # scenario_fund
    assert model.ratio == 5  # the plan's instrument of group fund, parameter leverage_ratio
    # "" means no disbursements; an explicit year is checked against the plan
    assert tf.fund_model(plan, "2017年", disbursements="").execution is None
    with pytest.raises(InputError, match="2016 to 2018"):
        tf.fund_model(plan, 2019)


def test_another_fund_period_drives_phasing_and_execution(plan):
    funds = plan.funds.assign(period_start=2021, period_end=2024)
    p = dataclasses.replace(plan, funds=funds)
    a = tf.allocation(p)
    assert tf.fund_period(p) == [2021, 2022, 2023, 2024]
    ph = tf.phasing(a, tf.fund_period(p))
    assert sorted(set(ph["year"])) == [2021, 2022, 2023, 2024]
    fin = ph[ph["code"] == "financing"]["amount_100m_yuan"]
    assert fin.tolist() == pytest.approx([20.6 / 4] * 4)  # an even quarter: 5.15亿 a year
    d = tf.read_disbursements(codes=a["code"]).assign(year=lambda x: x["year"] + 5)  # 2016 → 2021 …
    ex = tf.execution(a, d, 2022, tf.fund_period(p)).set_index(["code", "year"])
    # 2 of 4 years gone: elapsed 50%; financing spent 4.8 + 6.9 = 11.7 of 20.6 = 56.8%
    assert ex.loc[("financing", 2022), "elapsed"] == pytest.approx(0.5)
    assert ex.loc[("financing", 2022), "cumulative_rate"] == pytest.approx(11.7 / 20.6)


def test_an_unknown_fund_code_is_a_one_line_input_error(plan):
    # before the fix: IndexError ("single positional indexer is out-of-bounds") from .iloc[0]
    with pytest.raises(InputError) as e:
        plan.fund_amount("financing_support")
    msg = str(e.value)
    assert "\n" not in msg and "financing_support" in msg and "total, startup_space, public_service, financing" in msg
    with pytest.raises(InputError, match="no value"):
        plan.instrument_value("bridge_loan_fund")


def test_instruments_are_found_by_group_not_by_code(plan):
    ins = plan.instruments.replace({"code": {"guidance_fund": "lead_fund", "listing_neeq": "board_a",
                                             "listing_regional": "board_b"}})
    p = dataclasses.replace(plan, instruments=ins)
    assert tf.leverage_ratio(p) == 5  # group fund, parameter leverage_ratio
    assert tf.leverage_instrument(p)["code"] == "lead_fund"
    assert tf.listing_rates(p) == {"board_a": 150, "listing_main_board": 500, "board_b": 20}
    none = dataclasses.replace(plan, instruments=plan.instruments[plan.instruments["group"] != "fund"])
    with pytest.raises(InputError, match="leverage_ratio"):
        tf.leverage_ratio(none)
    assert tf.fund_model(none, ratio=4).ratio == 4  # the parameter stands in for the plan's ratio


def test_plan_toml_keys_of_the_fund_report(plan):
    meta = {k: v for k, v in plan.meta.items() if k not in ("disbursements", "scenario", "scenario_fund")}
    bare = dataclasses.replace(plan, meta=meta)
    m = tf.fund_model(bare)  # an older plan folder: allocation only
    assert m.execution is None and not m.has_leverage and m.disbursements_path is None
    assert "no scenario" in repr(m)
    with pytest.raises(InputError, match="scenario_fund.*startup_space, public_service, financing"):
        tf.scenario_fund(bare)  # three areas: the plan must say which one the scenario divides
    with pytest.raises(InputError, match="scenario_fund.*'nope'"):
        tf.scenario_fund(dataclasses.replace(plan, meta=dict(plan.meta, scenario_fund="nope")))
    for bad in ("/etc/passwd", "../../x.csv"):
        with pytest.raises(InputError, match="relative to the plan folder or to data/raw/funds"):
            tf.plan_disbursements(dataclasses.replace(plan, meta=dict(plan.meta, disbursements=bad)))


def test_package_multiplier_takes_a_package_table(sc):
    # issue 19: package_multiplier(package(...)) used to fail; 147.3 / 20.6 = 7.1505
    assert tf.package_multiplier(tf.package(sc.split, sc.params, ratio=RATIO)) == pytest.approx(147.3 / 20.6)
    with pytest.raises(InputError, match="leverage ratio"):
        tf.package(sc.split, sc.params)  # no ratio of one plan as a default


def test_fund_model_repr_is_short(model):
    r = repr(model)
    assert len(r.splitlines()) <= 10 and "7.15" in r and "7.39" in r and "95.3%" in r


# --------------------------------------------------------------------------- issue 18: the fund-of-funds sum
def test_fund_of_funds_layers_add_up_to_the_sum_shown(model):
    # by hand, default scenario: G = 4亿, s1 = 0.4, s2 = 0.25, c = 1:
    # fund of funds 4 / 0.4 = 10; sub-funds 4 / (0.4 × 0.25) = 40; enterprises 40 × 1 = 40;
    # the layers add up to 10 + 40 + 40 = 90亿. G is inside the fund of funds' 10: adding it too gives the
    # 94 the report used to show above a "sum" of 90.
    lay = model.layers.set_index("layer")["amount"]
    assert (lay["public"], lay["fund_of_funds"], lay["sub_funds"], lay["enterprises"]) == pytest.approx((4, 10, 40, 40))
    assert lay["sum_of_layers"] == pytest.approx(90)
    for lang in ("zh", "en"):
        d = fv.layers_display(model, lang)
        amounts = [float(x.replace(",", "")) for x in d.iloc[:, 2]]
        assert amounts[:-1] == pytest.approx([10, 40, 40]) if lang == "zh" else amounts[:-1] == pytest.approx([1, 4, 4])
        assert sum(amounts[:-1]) == pytest.approx(amounts[-1])  # the sum row is the sum of the rows above it
        assert fv.money(4, lang) in fv.layers_caption(model, lang)  # G named in the caption, not a row


# --------------------------------------------------------------------------- issue 18: one symbol per parameter
def test_each_parameter_has_its_own_symbol(model):
    syms = list(tf.SYMBOLS.values())
    assert len(syms) == len(set(syms))
    sc = model.scenario
    for lang in ("zh", "en"):
        # before: "资金池承担的损失比例 c" / "Pool's share of loan losses (c)" beside "项目层面跟投系数 c"
        assert fv.param_name(sc, "pool_loss_share", lang).endswith(("（α）", "(α)"))
        assert fv.param_name(sc, "co_investment", lang).endswith(("（c）", "(c)"))
        how = fv.package_display(model, lang).iloc[:, 2].tolist()
        assert "α" in how[4] and "c" not in how[4].replace("min", "")  # the risk pool's formula
        assert "·c" in how[2]  # the fund of funds' formula
    names = [fv.param_name(sc, c, "en") for c in tf.PARAM_CODES]
    marks = [re.findall(r"\(([^()]+)\)$", n) for n in names]
    flat = [m[0] for m in marks if m and m[0] in syms]
    assert len(flat) == len(set(flat)) == len(tf.SYMBOLS) - 1  # every parameter's symbol once (G is not a parameter)


# --------------------------------------------------------------------------- issue 18: numbers
def test_a_money_column_has_one_magnitude():
    # 1.42亿 beside 0.968亿 (9,680万元): one unit, 亿元 with enough decimals (3 significant for the smallest)
    f = fv.money_formatter([1.42, 0.968], "zh")
    assert (f(1.42), f(0.968)) == ("1.42亿元", "0.968亿元")
    f = fv.money_formatter([1.42, 0.968], "en")  # CNY 142 million and CNY 96.8 million, not billion beside million
    assert (f(1.42), f(0.968)) == ("CNY 142 million", "CNY 96.8 million")
    f = fv.money_formatter([30, 5.01, 1.463333], "zh", unit=False)  # never more digits than the figure has
    assert (f(30), f(5.01), f(1.463333), f(20.6)) == ("30", "5.01", "1.46", "20.6")
    assert fv.money_unit([0.015, 0.05], "zh") == "万元" and fv.money_unit([0.015, 0.05], "en") == "CNY million"


def test_report_tables_have_one_unit_per_money_column(model):
    for lang in ("zh", "en"):
        for d in (fv.execution_display(model, lang), fv.allocation_display(model, lang),
                  fv.package_display(model, lang), fv.listing_display(model, lang)):
            for col in d.columns:
                cells = [str(x) for x in d[col] if str(x) not in ("", "—")]
                units = {u for c in cells for u in re.findall(r"亿元|万元|billion|million|thousand", c)}
                assert len(units) <= 1, (col, units)
        ex = fv.execution_display(model, lang)
        unit = "亿元" if lang == "zh" else "CNY billion"
        spent = [c for c in ex.columns if unit in c]
        assert len(spent) == 4  # spent, to date, central, local: the unit in the header
        assert ex[spent[2]].tolist()[0] == ("0.4" if lang == "zh" else "0.04")  # 0.4亿, not 4,000万元
    pace = fv.execution_display(model, "zh").iloc[:, 7].tolist()
    assert "持平" in pace and not any("+0.0" in p for p in pace)  # a zero pp change reads 持平
    assert "unchanged" in fv.execution_display(model, "en").iloc[:, 7].tolist()


def test_no_spurious_digits(model):
    v = fv.narrative_values(model, "en")
    # grant equivalent 0.02 × (1/1.0435 + 1/1.0435²) = 0.03753 → 3.75%; undiscounted 0.02 × 2 = 4% (not "0.0400")
    assert (v["grant_equivalent"], v["subsidy_cost"], v["per_subsidy"]) == ("3.75%", "4%", "25")
    assert fv.pct(0.0435) == "4.35%" and fv.pct(0.25) == "25%"
    swing = fv.tornado_display(model, "zh").iloc[:, -1].tolist()
    assert swing[0] == "3.11" and not any("倍" in s for s in swing)  # a difference of multipliers, not "3.11倍"
    for lang in ("zh", "en"):
        tables = [f(model, lang) for f in (fv.assumptions_display, fv.tornado_display, fv.plan_figures_display,
                                           fv.listing_display, fv.pool_display, fv.execution_display)]
        tables[0], tables[2] = tables[0].iloc[:, :-1], tables[2].iloc[:, :-1]  # not the data's own words
        cells = " ".join(str(x) for d in tables for x in d.to_numpy().ravel())
        cells = re.sub(r"[−+]?[\d,]+\.\d(%|个百分点| pp)", "", cells)  # percentages and points: one decimal, by rule
        assert not re.search(r"\d\.0(?!\d)|\d{4,}\.\d", cells), re.findall(r"\S*\d\.0(?!\d)\S*|\S*\d{4,}\.\d\S*", cells)


# --------------------------------------------------------------------------- issue 18: one language per page
def _cells(model, lang):
    out = []
    for f in (fv.allocation_display, fv.phasing_display, fv.execution_display, fv.readings_display,
              fv.package_display, fv.layers_display, fv.pool_display, fv.listing_display, fv.plan_figures_display,
              fv.assumptions_display, fv.tornado_display):
        d = f(model, lang)
        out += [str(c) for c in d.columns] + [str(x) for x in d.to_numpy().ravel()]
    out += [fv.conclusion(model, lang), *fv.summary_items(model, lang), fv.status_line(model, lang),
            fv.layers_caption(model, lang), fv.phasing_caption(model, lang), fv.zero_swing_text(model, lang)]
    return out


def test_english_tables_and_sentences_have_chinese_only_in_quotes_and_sections(model):
    for s in _cells(model, "en"):
        s = re.sub(r"“[^”]*”|§\S+", "", s)  # the plan's quoted wording and its section references
        assert not re.search(r"[\u4e00-\u9fff]", s), s  # before: "how the 20.6亿 divides", "(150/500/20万元)"


def test_chinese_tables_and_sentences_have_no_english_words(model):
    allowed = {"PD", "LGD", "min", "EFSI"}
    for s in _cells(model, "zh"):
        words = set(re.findall(r"[A-Za-z]{2,}", s)) - allowed
        assert not words, (s, words)  # before: "数据（illustrative）"


# --------------------------------------------------------------------------- issue 18: conclusion first
def test_the_conclusion_states_money_spending_both_readings_and_assumptions(model):
    zh = fv.conclusion(model, "zh")
    # 30亿 allocated; spent 7.05 + 10.09 + 11.46 = 28.6亿 = 95.3% with 100% of the period gone: 4.7 pp behind;
    # 147.3亿 (7.15×) public : total, 152.3亿 (7.39×) public : private
    for part in ("30亿元", "28.6亿元", "95.3%", "100.0%", "落后时间进度4.7个百分点", "147亿元", "7.15倍", "152亿元",
                 "7.39倍", "假设"):
        assert part in zh, part
    assert zh.index("30亿元") < zh.index("28.6亿元") < zh.index("7.15倍") < zh.index("假设")
    en = fv.conclusion(model, "en")
    for part in ("CNY 3 billion", "CNY 2.86 billion", "95.3%", "4.7 pp behind", "CNY 14.7 billion", "7.15×",
                 "CNY 15.2 billion", "7.39×", "assumptions"):
        assert part in en, part
    no = tf.fund_model(model.plan, 2017, disbursements="")
    assert "不能报告实际支出" in fv.conclusion(no, "zh")


# --------------------------------------------------------------------------- the notebook
@pytest.mark.e2e
def test_notebook_defaults_reproduce_the_published_tables(tmp_path):
    """Run All with the defaults (no year, no disbursement file) gives the tables of `make reports` (issue 19)."""
    from conftest import ROOT
    nb = execute_notebook("02_fund_leverage.ipynb", tmp_path, lang="en")
    text = notebook_text(nb)
    # default scenario: 147.3亿 = CNY 14.7 billion (public : total), 152.3亿 = CNY 15.2 billion (public : private)
    assert "CNY 14.7 billion" in text and "CNY 15.2 billion" in text
    assert "7.15×" in text and "7.39×" in text
    assert "double" in text and "assumption" in text.lower()
    assert "Glyph" not in stderr_text(nb)
    rec = nb.metadata["twocreate_record"]
    assert rec["illustrative"] is True  # its status and execution rate are the runner's (test_index_facts)
    assert any(p.endswith("default_scenario.csv") for p in rec["inputs"])
    assert any(p.endswith("disbursements_example.csv") for p in rec["inputs"])
    out = tmp_path / "processed"
    golden = ROOT / "tests" / "data" / "golden_2016_processed"
    for name in ("fund_allocation.csv", "fund_allocation_by_year_2018.csv", "fund_execution_2018.csv",
                 "fund_mobilised_both_readings.csv", "fund_readings_summary.csv", "fund_sensitivity_grid.csv",
                 "fund_tornado.csv"):
        assert (out / name).read_bytes() == (golden / name).read_bytes(), name
    assert not (out / "fund_allocation_by_year.csv").exists()  # per-year tables carry the year
    assert sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})) == 5


@pytest.mark.e2e
def test_notebook_bad_parameter_fails_before_writing(tmp_path):
    import papermill
    with pytest.raises(papermill.PapermillExecutionError, match="fof_public_share"):
        execute_notebook("02_fund_leverage.ipynb", tmp_path, lang="en", fof_public_share=1.5)
    assert not (tmp_path / "processed").exists()


RESTRUCTURED = {
    "plan.toml": '''id = "sample-2021-funds"
document_number = "样例办发〔2021〕7号"
title_zh = "样例市促进中小企业发展专项资金管理办法（2021—2023年）"
title_en = "Sample City's special funds for SMEs (2021–2023)"
short_title_zh = "中小企业专项资金"
short_title_en = "SME funds"
subject_zh = "中小企业"
subject_en = "SMEs"
issuer_zh = "样例市财政局"
issuer_en = "Sample City Finance Bureau"
city_zh = "样例市"
city_en = "Sample City"
city_code = "880100"
issued = "2021-03-01"
period_start = 2021
period_end = 2023
base_year = 2020
target_year = 2023
text_language = "zh"
''',
    "indicators.csv": "code,name_zh,name_en,unit,kind,target_kind,qualifier,target_value,section,wording_zh\n"
                      "sme_count,中小企业数量,SMEs,家,stock,level,at_least,5000,第二条,中小企业达到5000家\n",
    "areas.csv": "area_code,name_zh,name_en,level,role,valid_from,valid_to,successor_code,section,wording_zh,note_en\n"
                 "880100,样例市,Sample City,city,city,,,,第一条,全市,The whole city.\n",
    "funds.csv": "code,name_zh,name_en,amount,unit,period_start,period_end,departments,section,wording_zh\n"
                 "grants,创新券,Innovation vouchers,4000,万元,2021,2023,,第五条,安排创新券4000万元\n"
                 "loans,贷款贴息,Loan interest subsidies,1.2,亿元,2021,2023,,第六条,安排贷款贴息1.2亿元\n",
}


@pytest.mark.e2e
def test_a_restructured_plan_gets_its_own_fund_report(tmp_path):
    """Other codes, sections, period and units, no total row, no instruments, no scenario: the report shows the
    plan's own money and spending and nothing of the 2016 plan (issue 17)."""
    from twocreate.narrative import render
    d = tmp_path / "sample-2021-funds"
    d.mkdir()
    for name, text in RESTRUCTURED.items():
        (d / name).write_text(text, encoding="utf-8")
    disb = tmp_path / "spent.csv"
    disb.write_text("code,year,amount,unit,status,source\ngrants,2021,1500,万元,official,bureau\n"
                    "loans,2021,0.3,亿元,official,bureau\ngrants,2022,1200,万元,official,bureau\n", encoding="utf-8")
    from twocreate.plan import load_plan
    p = load_plan(d)
    m = tf.fund_model(p, disbursements=disb)
    # 0.4亿 + 1.2亿 = 1.6亿 over 2021–2023; by 2023: 0.15 + 0.03… grants 0.15 + 0.12 = 0.27亿, loans 0.3亿: 0.57 of 1.6
    assert m.period == [2021, 2022, 2023] and m.total == pytest.approx(1.6) and not m.has_leverage
    assert m.spent()["cumulative_100m_yuan"] == pytest.approx(0.57)
    forbidden = ["2015", "2016", "2017", "2018", "§三", "1:5", "20.6", "30亿", "济南", "Jinan", "融资支持体系",
                 "引导基金", "guidance fund", "28号"]
    for lang in ("zh", "en"):
        (tmp_path / lang).mkdir()
        nb = execute_notebook("02_fund_leverage.ipynb", tmp_path / lang, lang=lang, plan_id=str(d),
                              disbursements=str(disb))
        shown = render(nb, lang)
        text = notebook_text(nb) + "\n".join(
            c["source"] for c in shown.cells if c["cell_type"] == "markdown" and lang in c["metadata"].get("tags", []))
        assert ("第五条" in text and "创新券" in text) if lang == "zh" else "Innovation vouchers" in text
        assert ("1.6亿元" in text) if lang == "zh" else ("CNY 160 million" in text)
        # no total row: the total's sections are the areas' (not the first row's)
        assert ("（第五条、第六条）" in text) if lang == "zh" else ("(第五条, 第六条)" in text)
        hits = [w for w in forbidden if w in text]
        assert hits == [], hits
        out = tmp_path / lang / "processed"
        assert sorted(f.name for f in out.iterdir()) == [
            "sample-2021-funds_fund_allocation.csv", "sample-2021-funds_fund_allocation_by_year_2023.csv",
            "sample-2021-funds_fund_execution_2023.csv"]
