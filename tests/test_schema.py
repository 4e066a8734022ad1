"""One schema layer: every input kind is a declarative schema applied by one validator, and statuses,
years and numbers are read the same way in every kind (a disbursement file's 示例 is illustrative, so
the fund report keeps its illustrative mark)."""
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT
from twocreate import InputError

DISB = "code,year,amount,unit,status,source\n"


def test_every_input_kind_has_a_schema():
    from twocreate.checks import thresholds_schema
    from twocreate.districts import context_schema
    from twocreate.enterprise import REQUIRED_COLUMNS, register_schema
    from twocreate.funds import SCENARIO_COLUMNS, disbursements_schema, scenario_schema
    from twocreate.intake import outturns_schema
    from twocreate.schema import Schema
    from twocreate.tasks import task_outturns_schema
    schemas = [outturns_schema(), disbursements_schema(), scenario_schema(), context_schema(), thresholds_schema(),
               task_outturns_schema(), register_schema()]
    assert all(isinstance(s, Schema) and s.columns for s in schemas)
    assert len({s.kind for s in schemas}) == len(schemas)
    assert register_schema().required == list(REQUIRED_COLUMNS)
    assert sorted(scenario_schema().required) == sorted(SCENARIO_COLUMNS)
    assert "状态" in outturns_schema().aliases["status"] and "任务" in task_outturns_schema().aliases["task"]


def test_the_validator_lists_problems_row_by_row_and_caps_them():
    from twocreate.schema import Column, Number, Schema, Status, Year, validate
    s = Schema("t", (Column("year", Year()), Column("value", Number(low=0, expected="a number ≥ 0")),
                     Column("status", Status())), unique=((("year",), "year", "one row per year"),))
    df = pd.DataFrame({"year": ["2017年", "x", "２０１７", "2018"], "value": ["1", "-1", "2", "29¹"],
                       "status": ["示例", "正式", "official", "估计"]}, index=[2, 3, 4, 5])
    table, problems = validate(df, s, source="t.csv")
    assert [str(p) for p in problems] == [
        "t.csv, row 3, column 'year': value 'x': expected a year such as 2017, 2017年 or 2017.0",
        "t.csv, row 3, column 'value': value '-1': expected a number ≥ 0",
        "t.csv, row 4, column 'year': value '２０１７': expected one row per year (also on row 2)",
        "t.csv, row 5, column 'value': value '29¹': expected a number written in ordinary digits (a superscript, "
        "circled or other look-alike digit is not read)"]
    assert table.to_dict("records") == [{"year": 2017, "value": 1.0, "status": "illustrative", "row": 2}]
    many = pd.DataFrame({"year": ["x"] * 5000, "value": ["1"] * 5000, "status": ["正式"] * 5000})
    _, problems = validate(many, s, source="m.csv")
    assert len(problems) == 1000 and problems.total == 5000


@pytest.mark.parametrize("status,expected", [("示例", "illustrative"), ("正式", "official"), ("快报", "provisional"),
                                             ("估计", "estimate"), ("illustrative", "illustrative")])
def test_statuses_are_read_alike_in_every_kind(tmp_path, plan, status, expected):
    from twocreate.funds import allocation, read_disbursements
    from twocreate.observations import read_observations
    from twocreate.tasks import read_task_outturns
    d = tmp_path / "d.csv"
    d.write_text(DISB + f"financing,2017年,1.5,亿元,{status},x\n", encoding="utf-8")
    got = read_disbursements(d, codes=allocation(plan)["code"])
    assert got["status"].tolist() == [expected] and got["year"].tolist() == [2017]
    o = tmp_path / "o.csv"
    o.write_text(f"指标,地区,年份,数值,单位,状态,来源\n营业收入,370100,2017年,9640,亿元,{status},x\n", encoding="utf-8")
    assert read_observations(o, plan)["status"].tolist() == [expected]
    t = tmp_path / "t.csv"
    t.write_text(f"任务,年份,数值,状态,来源\nmaker_spaces,2017年,30,{status},x\n", encoding="utf-8")
    assert read_task_outturns(t, plan)["status"].tolist() == [expected]


def test_an_unknown_disbursement_status_is_an_error_naming_the_cell(tmp_path, plan):
    from twocreate.funds import allocation, read_disbursements
    d = tmp_path / "d.csv"
    d.write_text(DISB + "financing,2017,1.5,亿元,rumour,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"d.csv, row 2, column 'status': value 'rumour': expected one of official"):
        read_disbursements(d, codes=allocation(plan)["code"])


@pytest.mark.e2e
def test_a_disbursement_file_marked_示例_keeps_the_fund_report_illustrative(tmp_path):
    src = pd.read_csv(ROOT / "data" / "raw" / "funds" / "disbursements_example.csv", dtype=str, keep_default_na=False)
    assert set(src["status"]) == {"illustrative"}
    src["status"] = "示例"
    d = tmp_path / "disb.csv"
    src.to_csv(d, index=False)
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--only", "fund_leverage", "--year", "2018",
                        "--lang", "en", "--disbursements", str(d), "--out", str(out), "--processed",
                        str(tmp_path / "processed")], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    page = (out / "2018" / "en" / "fund_leverage.html").read_text(encoding="utf-8")
    assert "Illustrative data — not official statistics" in page
    assert 'class="tc-mark"' in page  # the execution chart and table carry the mark
