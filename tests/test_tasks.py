"""Task ledger (任务台账), fund execution (资金执行) and accountability: hand-worked numbers,
the input guarantees, and the task report under papermill."""
import math
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT, execute_notebook, notebook_text, stderr_text
from twocreate import funds as tf
from twocreate import tasks as tt
from twocreate.io import InputError


def outturns(rows):
    return pd.DataFrame([{"task": t, "year": y, "value": float(v), "status": "official", "source": "test"}
                         for t, y, v in rows])


def task(plan, code):
    return plan.tasks[plan.tasks["code"] == code].iloc[0]


# --------------------------------------------------------------------------- hand-worked rules
def test_about_30_met_at_27_behind_at_26(plan):
    # 左右 = ±10%: 27 is 30 × 0.9, so met; 26 is below
    assert tt.judge(27, "about", 30, 30) == "met"
    assert tt.judge(26, "about", 30, 30) == "behind"
    assert tt.judge(33, "about", 30, 30) == "met"
    assert tt.judge(34, "about", 30, 30) == "above"
    a = tt.assess_task(task(plan, "maker_spaces"), outturns([("maker_spaces", 2016, 27)]), 2016)
    assert a["by_year"][2016]["status"] == "met" and a["overall"] == "met"
    a = tt.assess_task(task(plan, "maker_spaces"), outturns([("maker_spaces", 2016, 26)]), 2016)
    assert a["by_year"][2016]["status"] == "behind" and a["overall"] == "behind"


def test_tolerance_is_a_parameter():
    assert tt.judge(26, "about", 30, 30, tolerance=0.15) == "met"
    assert tt.validate_tolerance("0.15") == 0.15
    with pytest.raises(InputError, match="tolerance"):
        tt.validate_tolerance(2)


def test_range_15_20_cumulative(plan):
    t = task(plan, "model_bases")
    behind = tt.assess_task(t, outturns([("model_bases", 2016, 6), ("model_bases", 2017, 5),
                                         ("model_bases", 2018, 3)]), 2018)
    assert behind["overall_value"] == 14 and behind["overall"] == "behind"
    met = tt.assess_task(t, outturns([("model_bases", 2016, 6), ("model_bases", 2017, 6),
                                      ("model_bases", 2018, 6)]), 2018)
    assert met["overall_value"] == 18 and met["overall"] == "met"
    above = tt.assess_task(t, outturns([("model_bases", 2016, 9), ("model_bases", 2017, 8),
                                        ("model_bases", 2018, 7)]), 2018)
    assert above["overall"] == "above"  # above the range is said separately from below
    # before the last year the running sum is set against the pro-rata share: 11 ≥ 15 × 2/3 = 10
    mid = tt.assess_task(t, outturns([("model_bases", 2016, 6), ("model_bases", 2017, 5)]), 2017)
    assert mid["by_year"][2017]["counted"] == 11 and mid["overall"] == "on_track"
    assert mid["by_year"][2018]["status"] == "not_due"


def test_one_off_due_2017_done_2018_is_late(plan):
    t = task(plan, "africa_alliance")
    late = tt.assess_task(t, outturns([("africa_alliance", 2017, 0), ("africa_alliance", 2018, 1)]), 2018)
    assert late["by_year"][2017]["status"] == "not_done"
    assert late["overall"] == "late"
    assert tt.STATUS_GROUP["late"] == "behind"
    on_time = tt.assess_task(t, outturns([("africa_alliance", 2017, 1)]), 2018)
    assert on_time["overall"] == "done"
    # in the 2017 report the alliance is overdue, and in 2016 not yet due
    assert tt.assess_task(t, outturns([("africa_alliance", 2017, 0), ("africa_alliance", 2018, 1)]), 2017)["overall"] \
        == "not_done"
    assert tt.assess_task(t, outturns([]).reindex(columns=["task", "year", "value"]), 2016)["overall"] == "not_due"


def test_strive_at_least_rate_and_exact(plan):
    assert tt.rule_of(task(plan, "provincial_bases")) == "strive"
    assert tt.judge(15, "strive", 15, 15) == "met" and tt.judge(14, "strive", 15, 15) == "behind"
    assert tt.judge(5, "at_least", 2, 2) == "met"
    assert tt.rule_of(task(plan, "procurement_price_deduction")) == "rate"
    assert [tt.judge(v, "rate", 6, 10) for v in (5, 6, 10, 11)] == ["behind", "met", "met", "above"]
    t = task(plan, "tech_startups")  # 20 a year: every year must be met
    a = tt.assess_task(t, outturns([("tech_startups", 2016, 22), ("tech_startups", 2017, 19)]), 2017)
    assert [a["by_year"][y]["status"] for y in (2016, 2017)] == ["met", "behind"] and a["overall"] == "behind"


def test_only_outturns_up_to_the_report_year_count(plan):
    o = outturns([("maker_spaces", 2016, 30), ("maker_spaces", 2017, 10)])
    assert tt.assess_task(task(plan, "maker_spaces"), o, 2016)["overall"] == "met"
    assert tt.assess_task(task(plan, "maker_spaces"), o, 2017)["overall"] == "behind"


def test_ledger_on_the_shipped_file(plan):
    o = tt.read_task_outturns(None, plan)
    assert tt.is_illustrative(o)
    led = tt.ledger(plan, o, 2018)
    assert len(led) == len(plan.tasks)
    assert tt.counts(led) == {"met": 7, "behind": 4, "na": 0}
    st = dict(zip(led["task"], led["overall"]))
    assert st["africa_alliance"] == "late" and st["maker_spaces"] == "behind" and st["model_bases"] == "met"
    assert set(tt.counts(tt.ledger(plan, o, 2016)).values()) and tt.counts(tt.ledger(plan, o, 2016))["na"] > 0


def test_accountability_leads_and_statuses(plan):
    o = tt.read_task_outturns(None, plan)
    led = tt.ledger(plan, o, 2018)
    acc = tt.accountability(plan, led)
    kjj = acc[acc["department"] == "kjj"]
    assert ("task", "maker_spaces", "lead", "behind") in set(zip(kjj["kind"], kjj["code"], kjj["role"], kjj["status"]))
    jxw_fin = acc[(acc["department"] == "jxw") & (acc["code"] == "financing")]
    assert jxw_fin["role"].tolist() == ["co"]  # czj is listed first for the financing area
    from twocreate.views import tasks as tv
    lines = tv.behind_by_department(plan, acc, "zh")
    assert any(line.startswith("市科技局") and "新增众创空间" in line for line in lines)


# --------------------------------------------------------------------------- input guarantees
def test_chinese_task_names_and_done_words(plan, tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("task,year,value,status,source\n新增众创空间,2016,31,official,x\n"
                 "africa_alliance,2017,完成,official,x\nprocurement_price_deduction,2016,8%,official,x\n",
                 encoding="gb18030")
    o = tt.read_task_outturns(p, plan)
    assert o["task"].tolist() == ["maker_spaces", "africa_alliance", "procurement_price_deduction"]
    assert o["value"].tolist() == [31, 1, 8]


def test_chinese_headers_and_a_workbook(plan, tmp_path):
    p = tmp_path / "t.xlsx"
    pd.DataFrame([["新增众创空间", 2017, 31, "official", "市科技局", ""]],
                 columns=["任务", "年份", "数值", "状态", "来源", "备注"]).to_excel(p, index=False)
    o = tt.read_task_outturns(p, plan)
    assert o[["task", "year", "value"]].values.tolist() == [["maker_spaces", 2017, 31.0]]


def test_unknown_task_is_named(plan, tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("task,year,value,status,source\n新增孵化器,2016,31,official,x\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        tt.read_task_outturns(p, plan)
    msg = str(e.value)
    assert "t.csv" in msg and "row 2" in msg and "'task'" in msg and "新增孵化器" in msg and "maker_spaces" in msg
    assert "\n" not in msg


@pytest.mark.parametrize("line, column", [("maker_spaces,2019,3,official,x", "year"),
                                          ("maker_spaces,2016,-3,official,x", "value"),
                                          ("maker_spaces,2016,lots,official,x", "value"),
                                          ("maker_spaces,2016,3,guess,x", "status"),
                                          ("maker_spaces,2016,3,official,", "source")])
def test_bad_task_cells_name_row_and_column(plan, tmp_path, line, column):
    p = tmp_path / "t.csv"
    p.write_text("task,year,value,status,source\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        tt.read_task_outturns(p, plan)
    assert f"'{column}'" in str(e.value) and "row 2" in str(e.value)


@pytest.mark.e2e
def test_bad_task_file_exits_2_and_replaces_nothing(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("task,year,value,status,source\nnonesuch,2016,3,official,x\n", encoding="utf-8")
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--tasks", str(p), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 2
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "nonesuch" in err[0] and "'task'" in err[0]
    assert not out.exists()
    d = tmp_path / "d.csv"
    d.write_text("code,year,amount,unit,status,source\nfinancing,2016,lots,亿元,official,x\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--disbursements", str(d), "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 2 and "'amount'" in r.stderr and not out.exists()
    ok = subprocess.run([sys.executable, "-m", "twocreate", "validate", str(ROOT / "data" / "raw" / "tasks" /
                                                                            "illustrative_task_outturns.csv")],
                        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert ok.returncode == 0 and "valid" in ok.stdout


# --------------------------------------------------------------------------- fund execution
def test_execution_rate_on_a_hand_made_file(plan, tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("code,year,amount,unit,funding,status,source\n"
                 "startup_space,2016,1.00,亿元,central,official,x\n"
                 "startup_space,2016,0.67,亿元,local,official,x\n"
                 "startup_space,2017,4000,万元,local,official,x\n"
                 "financing,2016,3.0,亿元,,official,x\n"
                 "financing,2017,20.0,亿元,local,official,x\n"
                 "financing,2018,1.0,亿元,local,official,x\n", encoding="utf-8")
    alloc = tf.allocation(plan)
    d = tf.read_disbursements(p, codes=alloc["code"])
    ex = tf.execution(alloc, d, 2017, tf.fund_period(plan)).set_index(["code", "year"])
    assert 2018 not in ex.index.get_level_values("year")  # only disbursements up to the report year
    s16 = ex.loc[("startup_space", 2016)]
    # 5.01亿元 over three years: an even third is 1.67; 1.67 spent → 100%; cumulative 1.67 / 5.01 = 33.3%
    assert s16["spent_100m_yuan"] == pytest.approx(1.67)
    assert s16["rate"] == pytest.approx(1.0)
    assert s16["cumulative_rate"] == pytest.approx(1.67 / 5.01)
    assert s16["elapsed"] == pytest.approx(1 / 3)
    assert s16["central_100m_yuan"] == pytest.approx(1.0) and s16["local_100m_yuan"] == pytest.approx(0.67)
    s17 = ex.loc[("startup_space", 2017)]
    assert s17["spent_100m_yuan"] == pytest.approx(0.4) and s17["cumulative_100m_yuan"] == pytest.approx(2.07)
    assert s17["pace"] == pytest.approx(2.07 / 5.01 - 2 / 3)
    f17 = ex.loc[("financing", 2017)]
    # 3 + 20 = 23亿元 of 20.6: 111.7%, flagged, not capped; the year's 20 against 6.8667 is 291%
    assert f17["cumulative_rate"] == pytest.approx(23 / 20.6) and f17["cumulative_rate"] > 1
    assert f17["rate"] == pytest.approx(20 / (20.6 / 3))
    assert bool(f17["overspend"]) and not bool(s16["overspend"])
    assert math.isnan(ex.loc[("financing", 2016), "central_100m_yuan"])  # the row does not say
    tot = ex.loc[("total", 2017)]
    assert tot["cumulative_100m_yuan"] == pytest.approx(1.67 + 0.4 + 23) and tot["allocation_100m_yuan"] == pytest.approx(30)
    from twocreate.views import funds as fv
    assert fv.rate_text(23 / 20.6, "zh").endswith("（超支）") and "111.7%" in fv.rate_text(23 / 20.6, "en")


def test_bad_funding_value_is_named(plan, tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("code,year,amount,unit,funding,status,source\nfinancing,2016,3,亿元,province,official,x\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as e:
        tf.read_disbursements(p, codes=tf.allocation(plan)["code"])
    assert "'funding'" in str(e.value) and "province" in str(e.value)


def test_shipped_disbursements_are_illustrative_and_split(plan):
    d = tf.read_disbursements(None, codes=tf.allocation(plan)["code"])
    assert set(d["status"]) == {"illustrative"} and set(d["funding"]) == {"central", "local"}
    ex = tf.execution(tf.allocation(plan), d, 2018, tf.fund_period(plan))
    last = ex[(ex["code"] == "startup_space") & (ex["year"] == 2018)].iloc[0]
    assert last["cumulative_rate"] == pytest.approx(1.0)


# --------------------------------------------------------------------------- the report
@pytest.mark.e2e
def test_task_report_runs_in_both_languages(tmp_path):
    nb = execute_notebook("05_tasks.ipynb", tmp_path, lang="zh", year=2018)
    text = notebook_text(nb)
    assert "Glyph" not in stderr_text(nb)
    assert "任务台账" in text and "逾期完成" in text and "责任清单" in text and "市科技局" in text
    assert "示例数据" in text  # the shipped task file is illustrative
    assert "2017年、2018年分别组织1次全国创业创新大赛济南选拔赛" in text  # the plan's wording
    rec = nb.metadata["twocreate_record"]
    assert rec["illustrative"]  # the counts the index shows are the runner's (test_index_facts)
    assert (tmp_path / "processed" / "task_ledger_2018.csv").exists()
    (tmp_path / "en").mkdir()
    en = execute_notebook("05_tasks.ipynb", tmp_path / "en", lang="en", year=2016)
    t_en = notebook_text(en)
    assert "Task ledger" in t_en and "Not yet due" in t_en and "ILLUSTRATIVE" in t_en.upper()


@pytest.mark.e2e
def test_fund_report_says_plainly_when_no_disbursements(tmp_path):
    nb = execute_notebook("02_fund_leverage.ipynb", tmp_path, lang="en", year=2017, disbursements="")
    text = notebook_text(nb)
    assert "No disbursement data was used" in text
    (tmp_path / "d").mkdir()
    nb = execute_notebook("02_fund_leverage.ipynb", tmp_path / "d", lang="zh", year=2017,
                          disbursements=str(ROOT / "data" / "raw" / "funds" / "disbursements_example.csv"))
    text = notebook_text(nb)
    assert "资金执行" in text and "中央资金" in text and "示例数据" in text
    assert nb.metadata["twocreate_record"]["illustrative"] is True  # its execution: test_index_facts


def test_task_outturns_in_a_wide_chinese_workbook_read_as_the_shipped_tidy_file(tmp_path, plan):
    """The same intake as the outturns: a title row, Chinese task names, a merged 年份 header over
    the year columns, a note under the table — the same values as the shipped tidy file."""
    import openpyxl
    from twocreate.tasks import plan_task_outturns, read_task_outturns, read_task_sourced
    tidy = read_task_outturns(None, plan)
    names = dict(zip(plan.tasks["code"], plan.tasks["name_zh"]))
    years = sorted(set(tidy["year"]))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["重点任务完成情况（示例）"])
    ws.append(["任务名称", "年份"] + [None] * (len(years) - 1) + ["数据状态", "数据来源"])
    ws.merge_cells(start_row=2, start_column=2, end_row=2, end_column=1 + len(years))
    ws.append([None] + [f"{y}年" for y in years] + [None, None])
    for code, g in tidy.groupby("task", sort=False):
        vals = dict(zip(g["year"], g["value"]))
        ws.append([names[code]] + [vals.get(y) for y in years] + ["示例", g["source"].iloc[0]])
    ws.append(["注：示例数据。"])
    p = tmp_path / "tasks.xlsx"
    wb.save(p)
    got = read_task_sourced(p, plan)
    wide = got.frame
    key = lambda d: sorted(zip(d["task"], d["year"], d["value"], d["status"]))  # noqa: E731
    assert key(wide) == key(tidy) and got.layout == "wide"
    assert plan_task_outturns(plan).exists()
