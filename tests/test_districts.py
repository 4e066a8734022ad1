"""District registry, comparisons, checks, and the two district notebooks under papermill."""
from __future__ import annotations

import pandas as pd
import pytest

from twocreate import InputError
from twocreate import districts as td

from conftest import execute_notebook, notebook_text, stderr_text

SRC = "test"


def tidy(rows):
    """rows: (indicator, area_code, year, value) → a tidy observations frame."""
    df = pd.DataFrame(rows, columns=["indicator", "area_code", "year", "value"])
    return df.assign(unit="万元", status="illustrative", source=SRC, note=None)


def test_contributions_sum_to_total_growth():
    # base A=60, B=40 (total 100) → latest A=75, B=45 (total 120): the total grows 20%;
    # A contributes (75−60)/100 = 15 pp, B (45−40)/100 = 5 pp; 15 + 5 = 20.
    base = pd.Series({"A": 60.0, "B": 40.0})
    latest = pd.Series({"A": 75.0, "B": 45.0})
    c = td.contribution_to_growth(base, latest)
    assert c["A"] == pytest.approx(15.0) and c["B"] == pytest.approx(5.0)
    assert c.sum() == pytest.approx((latest.sum() / base.sum() - 1) * 100)
    # a district that shrinks contributes negatively: A 50→40, B 50→70: total 100→110, +10%;
    # A (40−50)/100 = −10 pp, B (70−50)/100 = +20 pp; −10 + 20 = 10.
    c2 = td.contribution_to_growth(pd.Series({"A": 50.0, "B": 50.0}), pd.Series({"A": 40.0, "B": 70.0}))
    assert list(c2) == pytest.approx([-10.0, 20.0]) and c2.sum() == pytest.approx(10.0)
    with pytest.raises(ValueError, match="C"):
        td.contribution_to_growth(base, pd.Series({"A": 1.0, "B": 2.0, "C": 3.0}))


def test_shipped_contributions_add_up_to_city_growth(plan, obs):
    comp = td.comparison_table(obs, plan, 2018, ["revenue"])
    city = obs[(obs["indicator"] == "revenue") & (obs["area_code"] == "370100")].set_index("year")["value"]
    # city 2018 104,300,000 against the plan's stated 2015 base 80,300,000 万元: +29.89%
    assert comp["contribution_pp"].sum() == pytest.approx((city[2018] / 80_300_000 - 1) * 100)


def test_rank_ties_competition():
    r = td.rank(pd.Series({"a": 9.0, "b": 7.0, "c": 7.0, "d": 5.0, "e": float("nan")}))
    assert r.tolist()[:4] == [1, 2, 2, 4] and pd.isna(r["e"])


def test_harmonise_and_lookup(plan):
    obs = tidy([("revenue", "370181", 2016, 10), ("revenue", "370114", 2017, 11),
                ("revenue", "370125", 2017, 5), ("revenue", "370115", 2018, 6)])
    h = td.harmonise_codes(obs, plan)
    assert h["area_code"].tolist() == ["370114", "370114", "370115", "370115"]
    assert h["reported_code"].tolist()[0] == "370181"
    for name in ("章丘市", "章丘", "370181", "Zhangqiu District"):
        assert td.lookup(name, plan) == "370114"
    assert td.lookup("高新区", plan) == "370171" and td.lookup("历下区", plan) == "370102"
    # the same district-year under old and new code is an error naming district and year
    with pytest.raises(InputError, match="2016"):
        td.harmonise_codes(tidy([("revenue", "370181", 2016, 1), ("revenue", "370114", 2016, 1)]), plan)


def test_unknown_district_is_an_error(plan):
    with pytest.raises(InputError, match="朝阳区"):
        td.lookup("朝阳区", plan)
    with pytest.raises(InputError, match="379999"):
        td.harmonise_codes(tidy([("revenue", "379999", 2016, 1)]), plan)


def test_additivity_and_missing_year_warnings(plan, obs):
    assert td.check_districts(obs, plan) == []
    bad = obs.copy()
    sel = (bad["indicator"] == "revenue") & (bad["area_code"] == "370102") & (bad["year"] == 2017)
    bad.loc[sel, "value"] *= 1.5  # 历下区 2017 up by half: the district sum misses the city by ~7%, > 0.5%
    issues = td.check_districts(bad, plan)
    assert [(i.severity, i.kind, i.year) for i in issues] == [("warning", "additivity", 2017)]
    with pytest.raises(InputError):
        td.check_districts(bad, plan, additivity="error")
    gone = obs[~((obs["indicator"] == "patents") & (obs["area_code"] == "370126") & (obs["year"] == 2017))]
    issues = td.check_districts(gone, plan)
    miss = [i for i in issues if i.kind == "missing_year"]
    assert len(miss) == 1 and miss[0].area_code == "370126" and miss[0].year == 2017
    assert "Shanghe" in miss[0].message and "2017" in miss[0].message
    # and the missing year is left blank, not guessed
    comp = td.comparison_table(gone, plan, 2017, ["patents"])
    assert pd.isna(comp.loc[comp["area_code"] == "370126", "value"]).all()


def test_context_and_normalisation(plan):
    ctx = td.load_context(plan=plan)
    assert "370114" in ctx.index and "370171" not in ctx.index  # 章丘市 → 章丘区; no row for the zone
    v = td.normalise(pd.Series({"370102": 56.0, "370171": 10.0}), ctx, "population")
    assert v["370102"] == pytest.approx(1.0) and pd.isna(v["370171"])


def test_target_gaps_use_city_categories(plan, obs):
    gaps = td.target_gaps(obs, td.read_targets(plan=plan), plan, 2018)
    assert set(gaps["category"]) <= {"achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration"}
    assert len(gaps) == 44


@pytest.mark.e2e
def test_comparison_notebook_runs(tmp_path):
    nb = execute_notebook("03_district_comparison.ipynb", tmp_path, lang="zh")
    text = notebook_text(nb)
    for name in ("济南高新区", "历下区", "章丘区", "济阳区", "核心示范区"):
        assert name in text
    assert "Glyph" not in stderr_text(nb)
    assert (tmp_path / "processed" / "district_comparison_2018.csv").exists()
    assert nb.metadata["twocreate_record"]["illustrative"] is True


@pytest.mark.e2e
def test_profile_notebook_runs(tmp_path):
    nb = execute_notebook("04_district_profile.ipynb", tmp_path, lang="en", area_code="370114")
    text = notebook_text(nb)
    assert "Zhangqiu District" in text and "ILLUSTRATIVE" in text.upper()
    assert "Glyph" not in stderr_text(nb)
