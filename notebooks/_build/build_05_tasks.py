"""Write notebooks/05_tasks.ipynb (no outputs, stable cell ids). Run: python notebooks/_build/build_05_tasks.py"""
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parents[1]

INTRO = """# Task ledger and accountability (任务台账与责任清单)

Run by `twocreate run` (papermill) or top to bottom in JupyterLab with the defaults below.
Narrative lives here in both languages; every judgement is a `twocreate.tasks` function and every
table or chart a `twocreate.views.tasks` function. This cell is tagged `remove` and does not appear
in the exported report."""

PARAMS = '''year = 2018  # report year, task outturns up to this year are assessed
lang = "zh"  # report language, zh or en
plan_id = None  # plan id or plan folder, None means the default plan
task_outturns = None  # task outturn file in the tidy format, CSV or xlsx, None means the shipped illustrative file
tolerance = 0.1  # tolerance of targets worded about 30, 0.1 means plus or minus ten per cent
observations = None  # indicator outturn file for the departments view, None means the shipped illustrative file
disbursements = None  # disbursement file for the departments view, None means no disbursement data
processed_dir = None  # folder for processed tables, None means data/processed'''

SETUP = '''from pathlib import Path

from twocreate import funds as tf
from twocreate.assess import assess
from twocreate import observations as tobs
from twocreate import plotting
from twocreate.views import tasks as tv
from twocreate import tasks as tt
from twocreate.io import DATA_PROCESSED, write_csv
from twocreate.plan import load_plan
from twocreate.present import Page

plan = load_plan(plan_id)
tol = tt.validate_tolerance(tolerance)
task_path = Path(task_outturns) if task_outturns else tt.DEFAULT_TASK_OUTTURNS
outturns = tt.read_task_outturns(task_path, plan)
used = outturns[outturns["year"] <= int(year)]
led = tt.ledger(plan, outturns, int(year), tol)
counts = tt.counts(led)
rows = tv.chart_rows(led, int(year), tol)

obs_path = Path(observations) if observations else tobs.DEFAULT_OBSERVATIONS
obs = tobs.read_observations(obs_path, plan)
progress = assess(plan, obs, int(year)).table
alloc = tf.allocation(plan)
disb = tf.read_disbursements(disbursements, codes=alloc["code"]) if disbursements else None
execution = tf.execution(alloc, disb, int(year)) if disb is not None else None
acc = tt.accountability(plan, led, progress, execution)

page = Page(lang, plan=plan, illustrative=tt.is_illustrative(used) or tobs.is_illustrative(obs)
            or (disb is not None and (disb["status"] == "illustrative").any()))
page.uses(*plan.files.values(), task_path, obs_path, *([disb.attrs["path"]] if disb is not None else []))
plotting.use_style()'''

TITLE = '''page.title("{city_zh}{short_zh}：重点任务台账与责任清单（截至{year}年）",
           "{city_en} {short_en}: task ledger and accountability, to {year}", year=year, **plan.values())
page.banner()
page.summary(tv.summary_items(led, counts, int(year), lang))
page.p("《{title_zh}》（{doc}）§三“重点任务”除资金安排外，"
       "还规定了{n}项可以计数的任务：新增众创空间、示范基地、专业化平台、扶持科技人员创业、政府采购价格扣除、创业创新大赛、"
       "国际合作联盟、“走出去”信息平台和全程电子化登记。本报告逐项对照计划原文评价其完成情况，并列出各责任部门名下的事项。",
       "Besides the money, §三 (key tasks) of {title_en} "
       "({doc}) sets {n} countable tasks: new maker spaces, model bases, professional platforms, start-ups by "
       "science and technology personnel, a price deduction in public procurement, competitions, an international "
       "cooperation alliance, a “going out” information platform and fully electronic registration. This report "
       "judges each against the plan's wording and lists what each responsible department answers for.", n=len(led),
       **plan.values())'''

LEDGER = '''page.h2("任务台账", "Task ledger", anchor="ledger")
page.table(tv.ledger_display(plan, led, lang, tol),
           caption=("计划§三各项任务：目标、评价规则、逐年实际与状态、责任部门和计划原文",
                    "Every task of §三: target, rule, each year's outturn and status, departments, plan wording"),
           illustrative=tt.is_illustrative(used))
page.figure(tv.counts_chart(rows, int(year), lang), alt=tv.chart_alt(rows, int(year), lang),
            caption=("可计数任务截至本年的实际数占同期目标的百分比；灰色区间为达标区间（“左右”为±{0}，区间目标为上下限）；"
                     "每年任务按已评价年份合计，累计任务对照按年分摊的目标。比率和一次性任务见上表。".format(tv.fmt.percent(tol, 0)),
                     "Count tasks: outturn to date as a share of the target to date; grey: the band counted as met "
                     "(±{0} for “about”, the bounds for a range). Per-year tasks are summed over the years assessed; "
                     "cumulative tasks are set against the pro-rata target. Rates and one-offs are in the table "
                     "above.".format(tv.fmt.percent(tol, 0))),
            illustrative=tt.is_illustrative(used))'''

RULES = '''page.h2("评价规则", "Assessment rules", anchor="rules")
page.p("每项任务按计划原文的措辞评价：“左右”在目标±{tol}以内为达标；区间目标（如15—20个）在上下限之间为达标，低于下限为滞后，"
       "高于上限单独标出；“以上”达到目标数即达标；“争取”“力争”按“以上”评价，但属于期望性目标；确定数的任务达到该数为达标，"
       "一次性任务在到期年份前完成为“已完成”，到期后才完成为“逾期完成”；比率（6%—10%）在区间内为达标。"
       "每年任务逐年评价，累计任务按累计数评价（前两年对照按年分摊的目标）。总体评价中，“达标”包括达标、高于上限、进度正常和已完成，"
       "“滞后”包括滞后、未完成和逾期完成，“无法评估”为无数据或未到期。",
       "Each task is judged by the plan's wording: “about” (左右) is met within ±{tol} of the target; a range (15–20) "
       "is met within its bounds, with below (behind) and above said separately; “at least” (以上) is met at the "
       "number; “strive” (争取/力争) is judged like at least but is an aspiration; an exact count is met at the number, "
       "and a one-off is “done” by the year due and “late” if done after it; a rate (6–10%) is met within the range. "
       "Per-year tasks are judged each year, cumulative tasks on the running sum (against the pro-rata target before "
       "the last year). Overall, “met” counts met, above range, on track and done; “behind” counts behind, not done "
       "and late; “not assessable” is no data or not yet due.", tol=tv.fmt.percent(tol, 0))
page.table(tv.rules_display(led, lang, tol), caption=("各任务的评价规则与总体评价的形成", "Rule of each task and how its "
           "overall status is formed"), illustrative=False)'''

ACCOUNT = '''page.h2("责任清单", "Who is accountable", anchor="accountability")
page.p("按部门列出其监测的指标、牵头或配合的任务和资金领域及其当前状态。计划中每项任务和资金领域所列的第一个部门视为牵头部门，"
       "其余为配合部门；指标状态为{city_zh}全市的进度评价，资金领域为截至本年的累计执行率。",
       "For each department: the indicators it monitors, the tasks and fund areas it leads or co-leads, and the current "
       "status of each. The first department the plan lists for a task or fund area is taken as the lead, the others as "
       "co-leads; indicator status is {city_en} city's progress category, fund areas show the cumulative execution rate.",
       **plan.values())
behind = tv.behind_by_department(plan, acc, lang)
if behind:
    page.h3("有滞后任务的部门", "Departments with tasks behind")
    page.bullets(behind)
page.table(tv.accountability_display(plan, acc, lang), caption=("各部门责任事项与当前状态",
           "Each department's items and their current status"))'''

DATA = '''page.h2("所用任务数据", "Task outturns used", anchor="data")
page.table(tv.outturns_display(plan, used, lang), caption=("任务实际值及其来源", "Task outturns, with status and source"),
           illustrative=tt.is_illustrative(used))
page.bullets([
    page.t(f"任务数据：{task_path.name}；只使用{int(year)}年及以前的数据。",
           f"Task data: {task_path.name}; only figures up to {int(year)} are used."),
    page.t(f"任务定义（目标、限定词、计数方式、责任部门、计划原文）：{plan.values()['folder']}/tasks.csv。",
           f"Task definitions (target, qualifier, counting basis, departments, wording): {plan.values()['folder']}/tasks.csv."),
])
out_dir = Path(processed_dir) if processed_dir else DATA_PROCESSED
write_csv(led, out_dir / f"task_ledger_{int(year)}.csv")
write_csv(acc.astype({"status": str}), out_dir / f"accountability_{int(year)}.csv")
page.record(status=tv.status_line(counts, lang), tasks=counts,
            title=page.render("重点任务台账（{year}年）", "Task ledger, {year}", year=year))'''


def build() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python (twocreate)", "language": "python", "name": "twocreate"},
                   "language_info": {"name": "python"},
                   "twocreate": {"kind": "tasks", "title": {"zh": "重点任务台账与责任清单",
                                                            "en": "Task ledger and accountability"},
                                 "requires": ["tasks"]}}
    cells = [nbformat.v4.new_markdown_cell(INTRO, metadata={"tags": ["remove"]}),
             nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(src) for src in (SETUP, TITLE, LEDGER, RULES, ACCOUNT, DATA)]
    for i, c in enumerate(cells):
        c["id"] = f"tasks-{i:02d}"
    nb.cells = cells
    nbformat.write(nb, HERE / "05_tasks.ipynb")


if __name__ == "__main__":
    build()
