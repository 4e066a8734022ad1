"""The task report in the new shape (issues 17, 18, 19): its words from the catalogs and the plan,
the defects of issue 18 (rules, years, colours, plurals, duplicated labels, the source column,
nested quotes, the conclusion), the plan's defaults and the engine's verdicts in the accountability
list."""
import math
import re
import shutil

import pandas as pd
import pytest

from conftest import ROOT
from twocreate import assess as ta
from twocreate import observations as tobs
from twocreate import tasks as tt
from twocreate.io import DATA_RAW, InputError
from twocreate.plan import load_plan
from twocreate.views import tasks as tv

PLAN_DIR = ROOT / "data" / "raw" / "plans" / "jinan-2016-twocreate"


@pytest.fixture(scope="module")
def shipped():
    plan = load_plan()
    o = tt.read_task_outturns(None, plan)
    return plan, o, {y: tt.ledger(plan, tt.outturns_up_to(o, y), y) for y in plan.period}


def _row(df: pd.DataFrame, task_name: str) -> pd.Series:
    return df[df.iloc[:, 0].str.startswith(task_name)].iloc[0]


# --------------------------------------------------------------------------- rules and years
def test_a_yearly_exact_count_is_not_called_one_off(shipped):
    """'每年扶持…20家' is an exact number every year, not 确定数/一次性 (issue 18)."""
    plan, _, led = shipped
    for lang, one_off in (("zh", "一次性"), ("en", "one-off")):
        rules = tv.rules_display(plan, led[2018], lang).set_index(tv.t("tasks.col_task_name", lang))
        ledger = tv.ledger_display(plan, led[2018], lang)
        yearly = plan.tasks.set_index("code").loc["tech_startups", f"name_{lang}"]
        once = plan.tasks.set_index("code").loc["africa_alliance", f"name_{lang}"]
        assert one_off not in rules.iloc[:, 0][yearly].lower() and one_off not in _row(ledger, yearly).iloc[2]
        assert one_off in rules.iloc[:, 0][once].lower() and one_off in _row(ledger, once).iloc[2]
    assert tv.rule_label(led[2018].set_index("task").loc["tech_startups"], "zh") == "确定数（每年达到该数为达标）"


def test_how_a_yearly_task_is_judged_names_its_own_years(shipped):
    """The contest held in two years only is not judged as 三年均达标 (issue 18)."""
    plan, _, led = shipped
    for lang in ("zh", "en"):
        rules = tv.rules_display(plan, led[2018], lang).set_index(tv.t("tasks.col_task_name", lang))
        how = rules.iloc[:, 1]
        contest = how[plan.tasks.set_index("code").loc["competitions", f"name_{lang}"]]
        every_year = how[plan.tasks.set_index("code").loc["maker_spaces", f"name_{lang}"]]
        assert "2017" in contest and "2018" in contest and "2016" not in contest
        assert all(str(y) in every_year for y in (2016, 2017, 2018))
        assert not any(w in " ".join(how) for w in ("三年", "three"))


def test_each_bar_is_coloured_by_the_figure_it_shows(shipped):
    """A bar at or above the range counted as met is green, below it orange: a yearly task shows the
    year that decides its status, not a three-year sum (91/90 and 60/60 were coloured behind; issue 18)."""
    plan, _, led = shipped
    for year, ledger in led.items():
        rows = tt.progress_to_date(ledger)
        assert len(rows)
        for _, r in rows[rows["group"] != "na"].iterrows():
            assert (r["value"] >= r["target_low"] - 1e-9) == (r["group"] == "met"), (year, r["task"])
    rows = tt.progress_to_date(led[2018]).set_index("task")
    assert rows.loc["maker_spaces", "year"] == 2018 and rows.loc["maker_spaces", "value"] == 26
    assert rows.loc["tech_startups", "share"] == pytest.approx(0.9)
    assert rows.loc["competitions", "year"] == 2018  # a tie: the latest year


def test_chart_caption_and_alt_text(shipped):
    plan, _, led = shipped
    rows = tv.chart_rows(plan, led[2018])
    for lang in ("zh", "en"):
        alt = tv.chart_alt(rows, 2018, lang)
        assert len(alt) <= 320, len(alt)
        assert "86.7%" in alt and "90.0%" in alt
        cap = tv.chart_caption(0.1, lang)
        assert "10%" in cap and ("最低" in cap if lang == "zh" else "lowest" in cap)
    import matplotlib.pyplot as plt
    fig = tv.counts_chart(rows, 2018, "en")
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    legend = fig.axes[0].get_legend().get_window_extent(r)
    assert legend.y0 > fig.axes[0].get_window_extent(r).y1 - 1  # above the axes, not in the mark's corner
    plt.close(fig)


# --------------------------------------------------------------------------- words
def test_english_counts_of_one_are_singular(shipped):
    plan, _, led = shipped
    ledger = tv.ledger_display(plan, led[2018], "en")
    contest = _row(ledger, "Jinan heats")
    assert contest.iloc[1] == "1 event a year" and contest["2018"] == "1 event · Met"
    assert _row(ledger, "New maker spaces").iloc[1] == "about 30 spaces a year"
    text = " ".join(ledger.astype(str).to_numpy().ravel())
    assert not re.search(r"\b1 (events|bases|spaces|firms|platforms)\b", text)


def test_a_one_offs_status_is_said_once(shipped):
    """'未完成 · 未完成' (issue 18): a one-off's figure is its status."""
    plan, _, led = shipped
    for lang, not_done, late in (("zh", "未完成", "逾期完成"), ("en", "Not done", "Late")):
        ledger = tv.ledger_display(plan, led[2018], lang)
        alliance = _row(ledger, plan.tasks.set_index("code").loc["africa_alliance", f"name_{lang}"])
        assert alliance[tv.t("tasks.col_year", lang, year=2017)] == not_done
        assert alliance[tv.t("tasks.col_year", lang, year=2018)] == late
        for cell in ledger.astype(str).to_numpy().ravel():
            parts = cell.split(" · ")
            assert len(parts) < 2 or parts[0] != parts[1], cell


def test_the_chinese_page_shows_the_shipped_source_and_status_in_chinese(shipped, tmp_path):
    """The shipped example's source is the suite's own text: a catalog label on both pages, the
    status 示例; a user's source is shown as the file gives it (issue 18)."""
    plan, o, _ = shipped
    zh = tv.outturns_display(plan, o, "zh", shipped=tt.is_plan_default(tt.plan_task_outturns(plan), plan))
    cells = " ".join(zh.astype(str).to_numpy().ravel())
    assert not re.search(r"[A-Za-z]{3,}", cells), cells[:200]
    assert set(zh["状态"]) == {"示例"} and set(zh["来源"]) == {"随计划附带的示例数据（非官方统计）"}
    en = tv.outturns_display(plan, o, "en", shipped=True)
    assert set(en["Source"]) == {"example data shipped with the plan (not official statistics)"}
    mine = tv.outturns_display(plan, o.assign(source="市科技局统计"), "zh", shipped=False)
    assert set(mine["来源"]) == {"市科技局统计"}
    assert not tt.is_plan_default(tmp_path / "t.csv", plan)
    alliance = zh[zh["任务"] == plan.tasks.set_index("code").loc["africa_alliance", "name_zh"]]
    assert alliance["数值"].tolist() == ["未完成", "已完成"]  # a one-off's outturn in words, not 0个/1个


def test_quotes_are_never_nested(shipped):
    """The plan's wording “…“走出去”…” is quoted with single quotes inside (issue 18)."""
    plan, _, led = shipped
    for lang in ("zh", "en"):
        cells = tv.ledger_display(plan, led[2018], lang).iloc[:, 0]
        assert any("‘走出去’" in c for c in cells)
        for c in cells:
            assert not re.search(r"“[^”]*“", c), c
    assert tv.quoted("建立“走出去”平台", "zh") == "“建立‘走出去’平台”"


def test_the_conclusion_comes_first_with_counts_and_departments(shipped):
    plan, _, led = shipped
    c = tt.counts(led[2018])
    zh = tv.conclusion(plan, led[2018], c, 2018, "zh")
    assert zh.startswith("截至2018年，11项任务中：达标7项，滞后4项，无法评估0项")
    assert "滞后任务的牵头部门：" in zh and "市科技局2项" in zh and "配合部门：" in zh
    en = tv.conclusion(plan, led[2018], c, 2018, "en")
    assert en.startswith("By 2018, of the 11 tasks: 7 met, 4 behind, 0 not assessable") and ". Lead departments" in en
    items = tv.summary_items(plan, led[2018], "zh")
    assert len(items) == 4 and any(i.startswith("新增众创空间：滞后。") and "2018年26家" in i for i in items)
    assert any("应于2017年完成，2018年完成" in i for i in items)
    c16 = tt.counts(led[2016])
    assert "无法评估5项" in tv.conclusion(plan, led[2016], c16, 2016, "zh")
    ok = led[2018].assign(group="met", overall="met")
    assert tv.conclusion(plan, ok, tt.counts(ok), 2018, "en").endswith("No task is behind.")
    for s in [zh] + items:  # no bracket nested in its own kind
        assert not re.search(r"（[^）]*（", s), s


# --------------------------------------------------------------------------- the plan's words and defaults
def _copy(tmp_path, edit_toml=None, edit_tasks=None):
    d = tmp_path / "other-plan"
    shutil.copytree(PLAN_DIR, d)
    toml = (d / "plan.toml").read_text(encoding="utf-8")  # the id names the folder (issue 20)
    (d / "plan.toml").write_text(re.sub(r'(?m)^id = ".*"$', 'id = "other-plan"', toml), encoding="utf-8")
    if edit_toml:
        (d / "plan.toml").write_text(edit_toml((d / "plan.toml").read_text(encoding="utf-8")), encoding="utf-8")
    if edit_tasks:
        t = pd.read_csv(d / "tasks.csv", dtype=str, keep_default_na=False)
        edit_tasks(t).to_csv(d / "tasks.csv", index=False, encoding="utf-8")
    return load_plan(d)


def test_the_lead_paragraph_lists_the_plans_own_tasks(tmp_path):
    """The tasks are named from tasks.csv, and where the plan sets them from plan.toml (issue 17)."""
    plan = load_plan()
    assert tv.names_text(plan, "zh").startswith("新增众创空间、") and tv.where_text(plan, "zh") == "§三“重点任务”"

    def restructure(t):
        t = t[t["code"].isin(["maker_spaces", "competitions"])].copy()
        t.loc[t["code"] == "maker_spaces", ["name_zh", "name_en"]] = ["新增孵化器", "New incubators"]
        t = t.drop(columns=["unit_en_one"])  # the optional column may be absent
        return t

    other = _copy(tmp_path, lambda s: "\n".join(l for l in s.splitlines() if not l.startswith("tasks_section")),
                  restructure)
    assert tv.names_text(other, "zh") == "新增孵化器、全国创业创新大赛济南选拔赛"
    assert tv.names_text(other, "en").startswith("New incubators; ")
    assert tv.where_text(other, "zh") == "" and tv.where_text(other, "en") == ""
    o = pd.DataFrame({"task": ["competitions"], "year": [2018], "value": [1.0], "status": ["official"], "source": ["x"]})
    led = tt.ledger(other, o, 2018)
    assert tv.target_text(tv._with_plan(other, led).iloc[1], "en") == "1 events a year"  # plural only: no singular given


def test_defaults_come_from_the_plan(tmp_path):
    plan = load_plan()
    assert tt.plan_task_outturns(plan) == DATA_RAW / "tasks" / "illustrative_task_outturns.csv"
    assert tt.plan_disbursements(plan) == DATA_RAW / "funds" / "disbursements_example.csv"
    assert tt.is_plan_default(tt.plan_task_outturns(plan), plan)
    bare = _copy(tmp_path, lambda s: "\n".join(l for l in s.splitlines()
                                               if not l.startswith(("task_outturns", "disbursements"))))
    assert tt.plan_task_outturns(bare) is None and tt.plan_disbursements(bare) is None
    with pytest.raises(InputError, match="task_outturns"):
        tt.read_task_outturns(None, bare)


def test_accountability_holds_the_engines_verdicts(shipped):
    """The indicators' status in the accountability list is the engine's verdict (issue 17): at the
    target year, revenue and patents are not achieved, not 'acceleration needed'."""
    plan, _, led = shipped
    obs = tobs.read_observations(tobs.plan_observations(plan), plan)
    verdicts = ta.assess(plan, tobs.outturns_up_to(obs, 2018), 2018).table
    acc = tt.accountability(plan, led[2018], verdicts)
    ind = acc[acc["kind"] == "indicator"].drop_duplicates("code").set_index("code")["status"]
    assert ind["revenue"] == "not_achieved" and ind["patents"] == "not_achieved"
    assert dict(ind) == {c: ta.assess(plan, tobs.outturns_up_to(obs, 2018), 2018).row(c)["verdict"] for c in ind.index}
    shown = tv.accountability_display(plan, acc, "zh")
    assert "未实现目标" in set(shown["当前状态"]) and "需加快" not in set(shown["当前状态"])


@pytest.mark.e2e
def test_run_all_with_the_defaults_reproduces_the_published_tables(tmp_path):
    """The notebook's defaults are the plan's (target year, task, outturn and disbursement files), so
    Run All gives the tables `make reports` publishes (issue 19; the golden copies were built with
    the example disbursements that the Makefile passes)."""
    from conftest import execute_notebook, notebook_text
    nb = execute_notebook("05_tasks.ipynb", tmp_path, lang="zh")
    golden = ROOT / "tests" / "data" / "golden_2016_processed"
    for name in ("task_ledger_2018.csv", "accountability_2018.csv"):
        assert (tmp_path / "processed" / name).read_bytes() == (golden / name).read_bytes(), name
    acc = pd.read_csv(tmp_path / "processed" / "accountability_2018.csv")
    assert not acc.loc[acc["kind"] == "fund", "status"].isna().any()  # the plan's disbursements were read
    text = notebook_text(nb)
    assert "无拨付数据" not in text and "ILLUSTRATIVE example" not in text  # the shipped source in Chinese
    (tmp_path / "none").mkdir()
    nb = execute_notebook("05_tasks.ipynb", tmp_path / "none", lang="en", year=2017, disbursements="")
    assert "no disbursement data" in notebook_text(nb)
    assert math.isnan(pd.read_csv(tmp_path / "none" / "processed" / "accountability_2017.csv")
                      .query("kind == 'fund'")["status"].iloc[0])
