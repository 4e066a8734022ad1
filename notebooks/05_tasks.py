# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,twocreate,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python (twocreate)
#     language: python
#     name: twocreate
#   twocreate:
#     kind: tasks
#     requires:
#     - tasks
#     title:
#       en: Task ledger and accountability
#       zh: "\u91CD\u70B9\u4EFB\u52A1\u53F0\u8D26\u4E0E\u8D23\u4EFB\u6E05\u5355"
# ---

# %% [markdown] tags=["remove"]
# # Task ledger and accountability
#
# The plan's countable tasks (`tasks.csv` of the plan folder) judged against the plan's wording by
# `twocreate.tasks`, and what each responsible department answers for: its tasks, the targets it
# monitors (verdicts of `twocreate.assess.assess`, as in the progress report) and its fund areas
# (cumulative execution from `twocreate.funds`). Run by `twocreate run` (papermill) or top to bottom
# in JupyterLab with the defaults below, which are the plan's (its target year, its task-outturn,
# outturn and disbursement files), as `make reports` uses them. The narrative is the markdown cells
# tagged `zh` and `en` (placeholders `{{ name }}` are filled at export from `page.publish`); tables,
# sentences and the chart come from `twocreate.views.tasks`. This cell is tagged `remove` and is not
# in the report.

# %% tags=["parameters"]
year = None  # report year, task outturns up to this year are assessed, None means the plan's target year
lang = "zh"  # report language, zh or en
plan_id = None  # plan id or plan folder, None means the default plan
task_outturns = None  # task outturn file in the tidy format, CSV or xlsx, None means the plan's task_outturns file
tolerance = 0.1  # tolerance of targets worded about a number, 0.1 means plus or minus ten per cent
observations = None  # indicator outturn file for the indicators' status, None means the plan's default outturns
disbursements = None  # disbursement file for the fund areas' execution, None means the plan's file, "" means none
processed_dir = None  # folder for the processed tables, None means a scratch folder, twocreate run passes its own

# %%
from pathlib import Path

from twocreate import assess as ta
from twocreate import fmt
from twocreate import funds as tf
from twocreate import observations as tobs
from twocreate import tables as ttab
from twocreate import tasks as tt
from twocreate.i18n import t
from twocreate.io import ReadLog
from twocreate.plan import load_plan
from twocreate.present import Page
from twocreate.views import tasks as tv

plan = load_plan(plan_id)
reads = ReadLog()  # every file this report reads, listed in its provenance
year = ta.resolve_year(plan, year if year is not None else plan.target_year)
tol = tt.validate_tolerance(tolerance)
task_path = Path(task_outturns) if task_outturns else tt.plan_task_outturns(plan, required=True)
used = tt.outturns_up_to(tt.read_task_outturns(task_path, plan, reads=reads), year)

obs_path = Path(observations) if observations else tobs.plan_observations(plan)
obs = tobs.outturns_up_to(tobs.read_observations(obs_path, plan, reads=reads), year) if obs_path else tobs.empty()
disb_path = tt.plan_disbursements(plan) if disbursements is None else (Path(disbursements) if disbursements else None)
alloc = tf.allocation(plan)
disb = tf.read_disbursements(disb_path, codes=alloc["code"], reads=reads) if disb_path else None
tabs = ttab.tasks.task_tables(plan, used, year, tolerance=tol, outturns=obs, disbursements=disb)  # the processed tables
led, acc = tabs.role("ledger"), tabs.role("accountability")
counts = tt.counts(led)

page = Page(lang, plan=plan, reads=reads, illustrative=tt.is_illustrative(used) or tobs.is_illustrative(obs)
            or (disb is not None and (disb["status"] == "illustrative").any()))
page.uses(*plan.files.values(), task_path, *([obs_path] if obs_path else []), *([disb_path] if disb_path else []))
page.publish(city=plan.text("city", lang), title=plan.text("title", lang), doc=plan.meta["document_number"],
             issuer=plan.text("issuer", lang), year=year, n=len(led), names=tv.names_text(plan, lang),
             where=tv.where_text(plan, lang), tol=fmt.percent(tol, 0))

# %%
page.title(t("tasks.title", lang, city=plan.text("city", lang), short=plan.text("short_title", lang), year=year),
           t("tasks.title", lang, city=plan.text("city", lang), short=plan.text("short_title", lang), year=year))
page.banner()
page.conclusion(tv.conclusion(plan, led, counts, year, lang), tv.summary_items(plan, led, lang),
                heading=t("tasks.h_conclusion", lang))

# %% [markdown] tags=["zh"]
# {{ issuer }}《{{ title }}》（{{ doc }}）{{ where }}规定了{{ n }}项可以计数的任务：{{ names }}。本报告用截至{{ year }}年的实际数，逐项对照计划原文评价其完成情况，并列出各责任部门名下的事项。

# %% [markdown] tags=["en"]
# {{ title }} ({{ doc }}), issued by the {{ issuer }}, sets {{ n }} countable tasks{{ where }}: {{ names }}.
# This report judges each against the plan's wording with the figures up to {{ year }}, and lists what each
# responsible department answers for.

# %%
rows = tv.chart_rows(plan, led, tol)
page.heading(t("tasks.h_ledger", lang), anchor="ledger")
page.table(tv.ledger_display(plan, led, lang, tol), caption=(t("tasks.cap_ledger", lang),) * 2,
           illustrative=tt.is_illustrative(used), align_numbers=False)
page.figure(tv.counts_chart(rows, year, lang), alt=tv.chart_alt(rows, year, lang),
            caption=(tv.chart_caption(tol, lang),) * 2, illustrative=tt.is_illustrative(used))

# %%
page.heading(t("tasks.h_rules", lang), anchor="rules")

# %% [markdown] tags=["zh"]
# 每项任务按计划原文的措辞评价。“左右”在目标±{{ tol }}以内为达标，高于上限单独标出；区间目标在上下限之间为达标，低于下限为滞后，高于上限单独标出；“以上”达到目标数即为达标；“争取”“力争”按“以上”评价，但属于期望性目标；确定数达到该数为达标；一次性任务在到期年份及以前完成为“已完成”，此后才完成为“逾期完成”；比率在所列区间内为达标。
#
# 每年的任务在计划所列的每一年单独评价，所列各年都达标才算达标；累计任务按累计数评价，最后一年以前对照按年分摊的目标；按年份评价的任务在到期年份评价，到期以前为“未到期”。总体评价中，“达标”包括达标、高于上限、进度正常和已完成，“滞后”包括滞后、未完成和逾期完成，“无法评估”为未到期或无数据。

# %% [markdown] tags=["en"]
# Each task is judged by the plan's wording. “About” is met within ±{{ tol }} of the target, with above the range said
# separately; a range is met within its bounds, behind below them and said separately above them; “at least” is met
# at the number; “strive” is judged like at least but is an aspiration; an exact number is met at the number; a one-off
# is “done” by the year due and “late” if done after it; a rate is met within its range.
#
# A yearly task is judged in each year the plan lists, and is met overall only if every such year is; a cumulative task
# is judged on its running sum, against the pro-rata share of the target before its last year; a task due in a year is
# judged in that year and is “not yet due” before it. Overall, “met” counts met, above range, on track and done;
# “behind” counts behind, not done and late; “not assessable” is not yet due or no data.

# %%
page.table(tv.rules_display(plan, led, lang, tol), caption=(t("tasks.cap_rules", lang),) * 2, illustrative=False)

# %%
page.heading(t("tasks.h_accountability", lang), anchor="accountability")

# %% [markdown] tags=["zh"]
# 按部门列出其监测的指标、牵头或配合的任务和资金领域及其当前状态。计划为每项任务和资金领域所列的第一个部门视为牵头部门，其余为配合部门。指标的状态是{{ city }}全市各项目标截至{{ year }}年的评价（与目标进展报告相同）；资金领域的状态是截至{{ year }}年的累计执行率，未提供拨付数据时为“无拨付数据”。

# %% [markdown] tags=["en"]
# For each department: the indicators it monitors, the tasks and fund areas it leads or co-leads, and the current
# status of each. The first department the plan lists for a task or fund area is taken as the lead, the others as
# co-leads. An indicator's status is the verdict on the city's target for {{ city }} up to {{ year }} (as in the
# progress report); a fund area's is its cumulative execution up to {{ year }}, or “no disbursement data”.

# %%
behind = tv.behind_by_department(plan, acc, lang)
if behind:
    page.heading(t("tasks.h_behind", lang), anchor="behind", level=3)
    page.bullets(behind)
page.table(tv.accountability_display(plan, acc, lang), caption=(t("tasks.cap_accountability", lang),) * 2)

# %%
page.heading(t("tasks.h_data", lang), anchor="data")
page.table(tv.outturns_display(plan, used, lang, shipped=tt.is_plan_default(task_path, plan)),
           caption=(t("tasks.cap_data", lang, file=task_path.name, year=year),) * 2,
           illustrative=tt.is_illustrative(used))
page.bullets(tv.data_items(plan, task_path.name, obs_path.name if obs_path else None,
                           disb_path.name if disb_path else None, year, lang))

# %%
ttab.write_for_notebook(tabs, processed_dir)
page.record()
