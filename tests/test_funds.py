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

FINANCING = 20.6  # 亿元, §三(三)

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
    ph = tf.phasing(a, (2016, 2017, 2018))
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
    assert tf.guidance_fund(5.0).total == pytest.approx(25.0)
    assert tf.guidance_fund(5.0, basis="private").total == pytest.approx(30.0)


def test_guidance_fund_bad_parameters():
    with pytest.raises(InputError, match="public"):
        tf.guidance_fund(-1)
    with pytest.raises(InputError, match="basis"):
        tf.guidance_fund(1, basis="gross")
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
    pk = tf.package(sc.split, sc.params).set_index("code")["reaching_100m_yuan"]
    assert pk.to_dict() == pytest.approx({"guidance_fund": 25, "sector_funds": 18, "fund_of_funds": 40,
                                          "guarantee": 10, "risk_pool": 20, "cost_subsidy": 32.5, "listing": 1.8})
    r = tf.both_readings(sc).set_index("basis")
    assert r.loc["total", "package_reaching"] == pytest.approx(147.3)
    assert r.loc["private", "package_reaching"] == pytest.approx(152.3)
    assert r.loc["total", "package_multiplier"] == pytest.approx(147.3 / 20.6)
    assert r.loc["private", "guidance_total"] == pytest.approx(30)


def test_pv_subsidy_option(sc):
    # budget as a present value: 1.3 / (0.02 × a(2, 4.35%)); a = (1 − 1.0435^−2) / 0.0435 = 1.88167
    a = (1 - 1.0435 ** -2) / 0.0435
    pk = tf.package(sc.split, sc.params, pv_subsidy=True).set_index("code")
    assert pk.loc["cost_subsidy", "reaching_100m_yuan"] == pytest.approx(1.3 / (0.02 * a))


def test_tornado_and_grid(sc):
    t = tf.tornado(sc)
    assert t["swing"].is_monotonic_decreasing
    # k binds: the loss parameters do not move the multiplier in their ranges
    z = t.set_index("code")
    assert z.loc["default_rate", "swing"] == pytest.approx(0) and z.loc["pool_loss_share", "swing"] == pytest.approx(0)
    # s1 from 0.2 to 1.0: fund of funds 80亿 → 16亿, multiplier (147.3 + 40) / 20.6 → (147.3 − 24) / 20.6
    assert z.loc["fof_public_share", "multiplier_low"] == pytest.approx(187.3 / 20.6)
    assert z.loc["fof_public_share", "multiplier_high"] == pytest.approx(123.3 / 20.6)
    x, y = tf.top_two(t)
    g = tf.sensitivity_grid(sc, x, y)
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
    p = _rewrite(tmp_path, "fof_public_share,parameter,母基金中财政出资占比 s1,Public share of the fund of funds (s1),0.4,",
                 "fof_public_share,parameter,母基金中财政出资占比 s1,Public share of the fund of funds (s1),1.4,")
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
    m_a = tf.package_multiplier(*_sp(sc.with_values(**{code: a})))
    m_b = tf.package_multiplier(*_sp(sc.with_values(**{code: b})))
    if code in UP:
        assert m_b >= m_a - 1e-12
    else:
        assert m_b <= m_a + 1e-12


def _sp(s):
    return s.split, s.params


# --------------------------------------------------------------------------- the notebook
@pytest.mark.e2e
def test_notebook_states_both_readings_and_writes_tables(tmp_path):
    nb = execute_notebook("02_fund_leverage.ipynb", tmp_path, lang="en")
    text = notebook_text(nb)
    # default scenario: 147.3亿 = CNY 14.7 billion (public : total), 152.3亿 = CNY 15.2 billion (public : private)
    assert "CNY 14.7 billion" in text and "CNY 15.2 billion" in text
    assert "7.15×" in text and "7.39×" in text
    assert "double" in text and "assumption" in text.lower()
    assert "Glyph" not in stderr_text(nb)
    rec = nb.metadata["twocreate_record"]
    assert "CNY 14.7 billion" in rec["status"] and rec["illustrative"] is False
    assert any(p.endswith("default_scenario.csv") for p in rec["inputs"])
    out = tmp_path / "processed"
    for name in ("fund_allocation.csv", "fund_allocation_by_year.csv", "fund_mobilised_both_readings.csv",
                 "fund_sensitivity_grid.csv", "fund_tornado.csv"):
        assert (out / name).is_file(), name
    assert sum(1 for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})) == 4


@pytest.mark.e2e
def test_notebook_bad_parameter_fails_before_writing(tmp_path):
    import papermill
    with pytest.raises(papermill.PapermillExecutionError, match="fof_public_share"):
        execute_notebook("02_fund_leverage.ipynb", tmp_path, lang="en", fof_public_share=1.5)
    assert not (tmp_path / "processed").exists()
