"""The one resolver (issue 19 §2): every kind of name, year and path a user types, understood or
refused in one line that says what is valid."""
from __future__ import annotations

import os

import pandas as pd
import pytest

from twocreate import resolve
from twocreate.errors import InputError
from twocreate.resolve import UnknownName

from conftest import ROOT


# ---- indicators
@pytest.mark.parametrize("name", ["revenue", "REVENUE", "小微企业营业收入", "营业收入", "Small/micro operating revenue",
                                  " 营业 收入 "])
def test_indicator_by_code_name_or_alias(plan, name):
    assert resolve.indicator(plan, name) == "revenue"


def test_plan_indicator_accepts_names_and_refuses_unknown_as_input_and_key_error(plan):
    assert plan.indicator("营业收入")["code"] == "revenue"
    with pytest.raises(InputError, match=r"indicator '利润总额': expected a code, name or alias .*revenue \(小微企业营业收入\)"):
        plan.indicator("利润总额")
    with pytest.raises(KeyError):  # callers that caught the former KeyError still do
        plan.indicator("利润总额")
    assert "\n" not in str(UnknownName("one line")) and str(UnknownName("x")) == "x"


def test_unknown_indicator_lists_the_valid_ones(plan):
    with pytest.raises(UnknownName) as err:
        resolve.indicator(plan, "利润")
    for code in plan.indicator_codes:
        assert code in str(err.value)


# ---- areas
@pytest.mark.parametrize("name,code", [("370102", "370102"), (370102, "370102"), ("370102.0", "370102"),
                                       ("历下区", "370102"), ("Lixia District", "370102"), ("全市", "370100"),
                                       (None, "370100"), ("", "370100")])
def test_area_by_code_name_or_alias(plan, name, code):
    assert resolve.area(plan, name) == code


def test_former_area_gives_its_successor(plan):
    assert resolve.area(plan, "章丘市") == "370114"


def test_unknown_area_lists_the_plan_areas(plan):
    with pytest.raises(UnknownName, match=r"area '浦东新区': expected a code, name or alias .*370102 \(历下区\)"):
        resolve.area(plan, "浦东新区")


def test_area_without_own_targets_raises_and_never_gets_the_citys(plan, obs):
    import twocreate as tc
    with pytest.raises(InputError, match="has no targets of its own"):
        tc.assess(plan, obs, 2017, area="历下区")
    # with a target of its own it is judged against that target, not the city's
    own = pd.DataFrame({"indicator": ["revenue"], "area_code": ["370102"], "year": [2018], "value": [1.0e7],
                        "unit": ["万元"]})
    t = tc.assess(plan, obs, 2017, area="历下区", area_targets=own).table
    assert list(t["code"]) == ["revenue"] and set(t["target_source"]) == {"area_targets"}
    assert float(t["target_value"].iloc[0]) == 1.0e7


# ---- years
@pytest.mark.parametrize("value", [2017, "2017", "2017年", "２０１７", "2017年度", 2017.0])
def test_year_as_users_write_it(plan, value):
    assert resolve.year(plan, value) == 2017


@pytest.mark.parametrize("value", [2014, 2015, 2019, "2019年", "last year", None])
def test_year_outside_the_period_names_the_valid_years(plan, value):
    with pytest.raises(InputError, match=r"expected a report year of plan jinan-2016-twocreate from 2016 to 2018"):
        resolve.year(plan, value)


def test_every_api_call_refuses_a_year_outside_the_period(plan, obs):
    import twocreate as tc
    for call in (lambda: tc.assess(plan, obs, 2019), lambda: tc.compare_districts(plan, obs, "2014年"),
                 lambda: tc.fund_model(plan, year=2019)):
        with pytest.raises(InputError, match="from 2016 to 2018"):
            call()


# ---- paths
MESSY = "tests/data/messy/01_title_row_tidy.xlsx"


def test_relative_path_is_read_from_the_current_folder(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert resolve.path(MESSY) == ROOT / MESSY


def test_missing_relative_path_names_the_folder_and_suggests_the_project_root(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")  # where a notebook's kernel runs
    with pytest.raises(InputError) as err:
        resolve.path(MESSY, what="outturn file")
    msg = str(err.value)
    assert f"no such outturn file in the folder {ROOT / 'notebooks'}" in msg
    assert f"it is in the project root {ROOT}" in msg and "'../tests/data/messy/01_title_row_tidy.xlsx'" in msg
    assert "\n" not in msg


def test_missing_path_without_a_copy_in_the_root_gives_no_hint(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as err:
        resolve.path("nothing/here.csv")
    assert f"in the folder {tmp_path}" in str(err.value) and "project root" not in str(err.value)


def test_read_outturns_uses_the_path_resolver(monkeypatch):
    import twocreate as tc
    monkeypatch.chdir(ROOT / "notebooks")
    with pytest.raises(InputError, match="it is in the project root"):
        tc.read_outturns(MESSY)
    assert len(tc.read_outturns(os.path.join("..", MESSY))) == 12
