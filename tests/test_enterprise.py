"""Size classification, register validation and aggregation (twocreate.enterprise, twocreate.synthetic)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from twocreate import InputError
from twocreate import cli
from twocreate import enterprise as ent
from twocreate.observations import read_observations

# Thresholds typed by hand from 工信部联企业〔2011〕300号 第四条 (lower bounds of small, medium,
# large; large = the upper bound of 中小微型), independently of data/raw/enterprise/.
# X = employees (人), Y = revenue (万元), Z = assets (万元).
HAND = {
    "A0111": {"Y": (50, 500, 20000)},                                  # 农、林、牧、渔业
    "C3670": {"X": (20, 300, 1000), "Y": (300, 2000, 40000)},          # 工业
    "E4710": {"Y": (300, 6000, 80000), "Z": (300, 5000, 80000)},       # 建筑业
    "F5121": {"X": (5, 20, 200), "Y": (1000, 5000, 40000)},            # 批发业
    "F5211": {"X": (10, 50, 300), "Y": (100, 500, 20000)},             # 零售业
    "G5430": {"X": (20, 300, 1000), "Y": (200, 3000, 30000)},          # 交通运输业
    "G5920": {"X": (20, 100, 200), "Y": (100, 1000, 30000)},           # 仓储业
    "G6010": {"X": (20, 300, 1000), "Y": (100, 2000, 30000)},          # 邮政业
    "H6110": {"X": (10, 100, 300), "Y": (100, 2000, 10000)},           # 住宿业
    "H6210": {"X": (10, 100, 300), "Y": (100, 2000, 10000)},           # 餐饮业
    "I6410": {"X": (10, 100, 2000), "Y": (100, 1000, 100000)},         # 信息传输业
    "I6510": {"X": (10, 100, 300), "Y": (50, 1000, 10000)},            # 软件和信息技术服务业
    "K7010": {"Y": (100, 1000, 200000), "Z": (2000, 5000, 10000)},     # 房地产开发经营
    "K7020": {"X": (100, 300, 1000), "Y": (500, 1000, 5000)},          # 物业管理
    "L7212": {"X": (10, 100, 300), "Z": (100, 8000, 120000)},          # 租赁和商务服务业
    "M7320": {"X": (10, 100, 300)},                                    # 其他未列明行业
}
COL = {"X": "employees", "Y": "revenue", "Z": "assets"}
NAMES = ["small", "medium", "large"]
LOWER = {"small": "micro", "medium": "small", "large": "medium"}


def _edge_cases():
    """Every bound of every group: just below, at, just above (other measures at their bound)."""
    cases = []
    for code, ms in HAND.items():
        for c, name in enumerate(NAMES):
            at = {COL[m]: float(b[c]) for m, b in ms.items()}
            cases.append((code, at, name, f"{code} {name} all at bound"))
            for m, b in ms.items():
                step = 1 if m == "X" else 0.01
                below = dict(at, **{COL[m]: b[c] - step})
                above = dict(at, **{COL[m]: b[c] + step})
                cases.append((code, below, LOWER[name], f"{code} {name} {m} just below"))
                cases.append((code, above, name, f"{code} {name} {m} just above"))
    return cases


EDGES = _edge_cases()


def _frame(rows):
    df = pd.DataFrame([dict(industry=code, **vals) for code, vals, *_ in rows])
    for c in ("employees", "revenue", "assets"):
        if c not in df:
            df[c] = np.nan
    return df


def test_every_threshold_edge_of_every_group():
    df = _frame(EDGES)
    got = ent.classify_size(df).astype(str).tolist()
    wrong = [(label, exp, g) for (_, _, exp, label), g in zip(EDGES, got) if exp != g]
    assert not wrong, wrong[:10]
    assert len(EDGES) > 200


@pytest.mark.parametrize("code,vals,expected", [
    ("C3670", dict(employees=299, revenue=2000), "small"),     # medium needs X≥300 AND Y≥2000
    ("C3670", dict(employees=300, revenue=1999.99), "small"),
    ("C3670", dict(employees=1000, revenue=39999), "medium"),  # large needs both upper bounds
    ("C3670", dict(employees=5000, revenue=100), "micro"),     # Y<300 → micro whatever X
    ("F5121", dict(employees=4, revenue=100000), "micro"),     # 批发: X<5 → micro
    ("E4710", dict(employees=5000, revenue=7000, assets=299), "micro"),  # 建筑业 ignores X
    ("A0111", dict(employees=9999, revenue=49.99), "micro"),   # agriculture: revenue only
    ("A0111", dict(employees=1, revenue=20000), "large"),
    ("L7212", dict(employees=150, revenue=1, assets=8000), "medium"),  # leasing: X and Z, not Y
    ("M7320", dict(employees=9, revenue=1e6), "micro"),        # other: employees only
    ("M7320", dict(employees=300, revenue=0), "large"),
    ("G5310", dict(employees=150), "medium"),                  # railway: by reference (第六条) as 'other'
])
def test_hand_worked_examples(code, vals, expected):
    df = _frame([(code, vals)])
    assert ent.classify_size(df).iloc[0] == expected


@pytest.mark.parametrize("code,vals,expected", [
    ("C3670", dict(employees=19), "micro"),            # any class above micro needs X ≥ 20
    ("C3670", dict(revenue=299.99), "micro"),          # ... or Y ≥ 300
    ("C3670", dict(employees=20), "undetermined"),     # small or micro depends on Y
    ("C3670", dict(employees=5000), "undetermined"),
    ("C3670", dict(employees=250, revenue=np.nan), "undetermined"),
    ("A0111", dict(employees=10), "undetermined"),     # agriculture needs revenue
    ("M7320", dict(employees=50), "small"),            # other: revenue not used
    ("E4710", dict(revenue=100), "micro"),             # construction: Y < 300 decides
    ("E4710", dict(revenue=300), "undetermined"),      # assets missing
    ("L7212", dict(employees=10, revenue=1e6), "undetermined"),  # assets needed, revenue no help
])
def test_missing_measures(code, vals, expected):
    df = _frame([(code, vals)])
    assert ent.classify_size(df).iloc[0] == expected


def test_result_aligned_with_index_and_categorical():
    df = _frame([("C3670", dict(employees=1, revenue=1)), ("C3670", dict(employees=500, revenue=5000))])
    df.index = [10, 7]
    s = ent.classify_size(df)
    assert list(s.index) == [10, 7] and s.tolist() == ["micro", "medium"]
    assert list(s.cat.categories) == ent.SIZE_CATEGORIES


def test_industry_codes():
    std = ent.load_standard()
    assert std.resolve("C3670")[0] == "industry"
    assert std.resolve("f5211")[0] == "retail"
    assert std.resolve("5211")[0] == "retail"        # section inferred from the division
    assert std.resolve("I6510")[0] == "software"
    assert std.resolve("I6410")[0] == "information"
    assert std.resolve("K7010")[0] == "real_estate_development"
    assert std.resolve("K7030")[0] == "other"
    assert std.resolve("B0610")[0] == "industry" and std.resolve("D4411")[0] == "industry"
    assert std.resolve("K70")[0] is None              # spans 开发经营 / 物业管理 / other
    assert std.resolve("F")[0] is None
    assert std.resolve("F5211X")[0] is None
    assert std.resolve("C99")[0] is None              # no division 99
    assert std.resolve("F3670")[0] is None            # division 36 is in section C


def test_unknown_industry_and_negative_raise():
    with pytest.raises(InputError, match=r"2 row\(s\) with an unknown industry code.*Z9999"):
        ent.classify_size(_frame([("Z9999", dict(employees=1)), ("C99", dict(employees=1)),
                                  ("C3670", dict(employees=1))]))
    with pytest.raises(InputError, match="negative employees"):
        ent.classify_size(_frame([("C3670", dict(employees=-1, revenue=5))]))


_measure = st.one_of(st.none(), st.floats(0, 300000, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from(sorted(HAND)), x=_measure, y=_measure, z=_measure,
       which=st.sampled_from(["employees", "revenue", "assets"]), bump=st.floats(0, 1e5))
def test_more_never_lowers_the_class(code, x, y, z, which, bump):
    rows = [dict(industry=code, employees=x, revenue=y, assets=z)]
    up = dict(rows[0])
    if up[which] is not None:
        up[which] += bump
    df = pd.DataFrame(rows + [up], dtype=object).astype({"employees": float, "revenue": float, "assets": float})
    a, b = ent.classify_size(df).tolist()
    order = ["micro", "small", "medium", "large"]
    # a class is left open only for want of a measure: a firm with every measure is always decided
    if a == "undetermined" or b == "undetermined":
        assert None in (x, y, z), (a, b)
    else:
        assert order.index(b) >= order.index(a)


@settings(max_examples=200, deadline=None)
@given(code=st.sampled_from(sorted(HAND)), x=st.floats(0, 3000), y=st.floats(0, 300000),
       z=st.floats(0, 300000), blank=st.sampled_from(["employees", "revenue", "assets"]))
def test_a_decided_blank_agrees_with_any_filled_value(code, x, y, z, blank):
    full = dict(industry=code, employees=x, revenue=y, assets=z)
    part = dict(full, **{blank: np.nan})
    a, b = ent.classify_size(pd.DataFrame([full, part])).tolist()
    assert a != "undetermined"
    assert b in (a, "undetermined")


# --------------------------------------------------------------------------- registers
def _register():
    """Hand-made register: 2 districts (章丘 renamed in 2017), 2015–2017."""
    rows = [
        # firm, year, area, industry, X, Y, Z, patents, tech
        ("a", 2015, "370102", "C3670", 10, 100.0, None, 2, 5.5),      # micro
        ("b", 2015, "370102", "F5211", 20, 300.0, None, 0, 0),        # small
        ("c", 2015, "370102", "C3670", 400, 3000.0, None, 9, 100),    # medium: excluded
        ("d", 2015, "370181", "I6510", 15, 80.0, None, 1, 20.25),     # small (章丘市)
        ("e", 2015, "370181", "C3670", 50, None, None, 0, 0),         # undetermined: excluded
        ("a", 2016, "370102", "C3670", 12, 110.0, None, 3, 0),
        ("b", 2016, "370102", "F5211", 25, 320.0, None, 0, 0),
        ("d", 2016, "370181", "I6510", 18, 90.0, None, 2, 30),
        ("a", 2017, "370102", "C3670", 11, 120.0, None, 3, 1),
        ("d", 2017, "370114", "I6510", 30, 150.0, None, 4, 40),       # 章丘区 from 2017
        ("f", 2017, "370114", "L7212", 12, 10.0, 50.0, 0, 0),         # micro (Z<100)
    ]
    cols = ["firm_id", "year", "area_code", "industry", "employees", "revenue", "assets", "patents", "tech_contract"]
    return pd.DataFrame(rows, columns=cols).astype({"employees": float, "revenue": float, "assets": float,
                                                     "patents": float, "tech_contract": float})


def _value(tidy, ind, area, year):
    sel = tidy[(tidy.indicator == ind) & (tidy.area_code == area) & (tidy.year == year)]
    return None if sel.empty else float(sel["value"].iloc[0])


def test_aggregation_on_a_hand_made_register():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tidy, wide, report = ent.build_indicator_table(_register(), with_wide=True)
    assert report.empty
    assert any("1 firm-year(s) undetermined" in str(w.message) for w in caught)
    # 2015, 历下区: a (micro) + b (small); c is medium
    assert _value(tidy, "revenue", "370102", 2015) == 400.0
    assert _value(tidy, "patents", "370102", 2015) == 2.0
    assert _value(tidy, "tech_contract", "370102", 2015) == 5.5
    # 章丘市 2015: d only (e undetermined)
    assert _value(tidy, "revenue", "370181", 2015) == 80.0
    # city 2015 = both districts
    assert _value(tidy, "revenue", "370100", 2015) == 480.0
    assert _value(tidy, "tech_contract", "370100", 2015) == 25.75
    # employment stock 2015: 30 + 15 = 45 人; 2016: 37 + 18 = 55 → +10 人 = 0.001 万人次
    assert _value(tidy, "new_employment", "370100", 2016) == pytest.approx(0.0010)
    assert _value(tidy, "new_employment", "370102", 2016) == pytest.approx(0.0007)
    assert _value(tidy, "new_employment", "370100", 2015) is None  # no 2014 in the register
    # 章丘区 2017 (d 30 + f 12 = 42) − 章丘市 2016 (18) = 24 人
    assert _value(tidy, "new_employment", "370114", 2017) == pytest.approx(0.0024)
    # 历下区 2017: 11 − 37 = −26: a fall has no tidy row, but stays in the wide table
    assert _value(tidy, "new_employment", "370102", 2017) is None
    w = wide.set_index(["area_code", "year"])
    assert w.loc[("370102", 2017), "employment_change_10k"] == pytest.approx(-0.0026)
    assert w.loc[("370181", 2015), "undetermined_firms"] == 1
    assert w.loc[("370102", 2015), "all_firms"] == 3 and w.loc[("370102", 2015), "small_micro_firms"] == 2
    assert set(tidy["indicator"]) == set(ent.TIDY_INDICATORS)
    assert (tidy["status"] == "estimate").all()


def test_renamed_district_code_is_moved_to_the_code_valid_that_year():
    reg = _register()
    reg.loc[reg.firm_id.eq("d") & reg.year.eq(2017), "area_code"] = "370181"  # old code after 2016
    with pytest.warns(ent.RegisterWarning, match="not valid in that year"):
        tidy = ent.build_indicator_table(reg)
    assert _value(tidy, "revenue", "370114", 2017) == 160.0
    assert _value(tidy, "revenue", "370181", 2017) is None


def _bad_register():
    reg = _register()
    extra = pd.DataFrame([
        ("g", 2016, "370102", "Z9999", 3, 10.0, None, 0, 0),    # unknown industry
        ("h", 2016, "370102", "C3670", -3, 10.0, None, 0, 0),   # negative employees
        ("a", 2016, "370102", "C3670", 12, 110.0, None, 3, 0),  # duplicate firm-year of a
        ("i", 2016, "379999", "C3670", 3, 10.0, None, 0, 0),    # district outside the registry
    ], columns=reg.columns)
    return pd.concat([reg, extra], ignore_index=True)


def test_bad_input_fails_with_counts_and_examples():
    with pytest.raises(InputError) as err:
        ent.build_indicator_table(_bad_register())
    msg = str(err.value)
    assert "5 bad row(s)" in msg
    assert "1 row(s) with an unknown industry code in column 'industry'" in msg and "'Z9999'" in msg
    assert "negative employees" in msg
    assert "2 row(s) with a duplicated firm-year" in msg and "a in 2016" in msg
    assert "district code outside the registry" in msg and "'379999'" in msg
    assert "--drop-bad" in msg
    assert len(err.value.problems) == 4


def test_bad_input_dropped_with_report():
    with pytest.warns(ent.RegisterWarning, match="dropped 5 bad row"):
        tidy, wide, report = ent.build_indicator_table(_bad_register(), on_bad="drop", with_wide=True)
    assert report["rows"].sum() == 5 and len(report) == 4
    # both copies of a/2016 dropped: 历下区 2016 small/micro revenue is b only
    assert _value(tidy, "revenue", "370102", 2016) == 320.0


def test_city_code_is_not_a_firm_district():
    reg = _register()
    reg.loc[0, "area_code"] = "370100"
    with pytest.raises(InputError, match="district code outside the registry"):
        ent.validate_register(reg)


def test_command_line(tmp_path, capsys):
    src = tmp_path / "register.csv"
    _register().to_csv(src, index=False, encoding="gb18030")
    out = tmp_path / "out.csv"
    assert cli.main(["register", str(src), "--out", str(out), "--wide", str(tmp_path / "wide.csv")]) == 0
    obs = read_observations(out)  # the reports' reader accepts it unchanged
    assert _value(obs, "revenue", "370100", 2015) == 480.0
    assert (tmp_path / "wide.csv").exists()
    bad = tmp_path / "bad.csv"
    _bad_register().to_csv(bad, index=False)
    out2 = tmp_path / "out2.csv"
    assert cli.main(["register", str(bad), "--out", str(out2)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv" in err and "row 13" in err  # spreadsheet line of the first bad row
    assert not out2.exists()
    assert cli.main(["register", str(bad), "--out", str(out2), "--drop-bad"]) == 0
    assert out2.exists()


def test_parquet_register(tmp_path):
    src = tmp_path / "register.parquet"
    _register().to_parquet(src)
    tidy = ent.build_indicator_table(src)
    assert _value(tidy, "revenue", "370102", 2015) == 400.0


def test_missing_column_is_reported(tmp_path):
    src = tmp_path / "r.csv"
    _register().drop(columns="revenue").to_csv(src, index=False)
    with pytest.raises(InputError, match="missing column.*'revenue'"):
        ent.build_indicator_table(src)


# --------------------------------------------------------------------------- synthetic + dask
@pytest.fixture(scope="module")
def small_synthetic():
    from twocreate.synthetic import synthetic_register
    return synthetic_register(2015, scale=0.01)


@pytest.mark.slow
def test_synthetic_register_is_calibrated_and_illustrative():
    from twocreate.synthetic import synthetic_register
    reg = synthetic_register(2015)
    assert (reg["status"] == "illustrative").all()
    tot = ent.register_totals(reg[reg["year"] == 2015])
    assert tot["firms"].sum() == 477_800
    sm = tot[tot["size"].isin(ent.SMALL_MICRO)]
    assert sm["firms"].sum() / 477_800 == pytest.approx(0.8584, abs=5e-6)
    assert sm["employees"].sum() == 2_810_000           # 281万人
    assert round(sm["revenue"].sum(), 4) == 80_300_000   # 8030亿元 in 万元 (each total exact to the 元)
    assert set(reg.loc[reg.year == 2018, "area_code"]) >= {"370171", "370114", "370115"}
    assert not ({"370181", "370125"} & set(reg.loc[reg.year == 2018, "area_code"]))


def test_synthetic_indicators_read_by_the_reports(small_synthetic, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ent.RegisterWarning)
        tidy, wide, _ = ent.build_indicator_table(small_synthetic, with_wide=True)
    city = wide[wide.area_code == "370100"].set_index("year")
    growth = city["revenue"].pct_change().loc[2016:2018]
    assert ((growth > 0.03) & (growth < 0.2)).all()
    assert (tidy["status"] == "illustrative").all() and tidy["source"].str.contains("SYNTHETIC").all()
    path = tmp_path / "synthetic_indicators.csv"
    from twocreate.io import write_csv
    write_csv(tidy, path)
    obs = read_observations(path)
    assert set(obs["indicator"]) == set(ent.TIDY_INDICATORS)
    assert {"370171", "370181", "370114", "370125", "370115"} <= set(obs["area_code"])


def test_synthetic_is_deterministic():
    from twocreate.synthetic import synthetic_register
    pd.testing.assert_frame_equal(synthetic_register(7, scale=0.005), synthetic_register(7, scale=0.005))
    assert not synthetic_register(8, scale=0.005)["revenue"].equals(synthetic_register(7, scale=0.005)["revenue"])


@pytest.mark.slow
def test_dask_path_equals_pandas(small_synthetic):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    sample = small_synthetic
    bad = _bad_register().assign(firm_id=lambda d: "x" + d["firm_id"], status="illustrative")
    sample = pd.concat([sample.assign(firm_id=sample["firm_id"].astype(str)), bad], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ent.RegisterWarning)
        p_tidy, p_wide, p_rep = ent.build_indicator_table(sample, on_bad="drop", with_wide=True)
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster, distributed.Client(cluster):
            ddf = dd.from_pandas(sample, npartitions=4)
            d_sizes = ent.classify_size(ddf[ddf.industry != "Z9999"][ddf.employees >= 0]).compute()
            d_tidy, d_wide, d_rep = ent.build_indicator_table(ddf, on_bad="drop", with_wide=True)
            with pytest.raises(InputError, match="5 bad row"):
                ent.build_indicator_table(ddf)
    p_sizes = ent.classify_size(sample[(sample.industry != "Z9999") & (sample.employees >= 0)])
    assert (d_sizes.sort_index().astype(str) == p_sizes.astype(str)).all()
    pd.testing.assert_frame_equal(d_tidy, p_tidy)  # exact: money summed in whole 元
    pd.testing.assert_frame_equal(d_wide, p_wide)
    assert d_rep["rows"].sum() == p_rep["rows"].sum() == 5
