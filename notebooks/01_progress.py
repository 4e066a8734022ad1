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
#     kind: progress
#     requires:
#     - quantitative
#     title:
#       en: Progress on the targets
#       zh: "\u76EE\u6807\u8FDB\u5C55\u62A5\u544A"
# ---

# %% [markdown] tags=["remove"]
# # Progress on the plan's targets
#
# One progress report for any plan: every target assessed by `twocreate.assess.assess` (growth,
# level, share, cumulative, relative, qualitative), its milestones, its base and where that comes
# from, and the verdict of the report year. Run by `twocreate run` (papermill) or top to bottom in
# JupyterLab with the defaults below. The narrative is the markdown cells tagged `zh` and `en`
# (placeholders `{{ name }}` are filled at export from `page.publish`); tables, sentences and charts
# come from `twocreate.views.progress`. This cell is tagged `remove` and is not in the report.

# %% tags=["parameters"]
year = None  # report year, outturns up to this year are assessed, None means the plan's target year
lang = "zh"  # report language, zh or en
plan_id = None  # plan id or plan folder, None means the default plan
observations = None  # outturn file, tidy or wide, CSV or Excel, None means the plan's default outturns
sheet = None  # sheet of a workbook outturn file, name or number, None means the first sheet
benchmarks = None  # outturn file with the benchmark series of relative targets, None means none supplied
on_track = 0.95  # progress ratio from which a target is on track
acceleration = 0.6  # progress ratio from which acceleration is needed, below it limited progress
about_tolerance = 0.1  # half-width of an about band as a fraction of the target, levels and counts
about_tolerance_pp = 1.0  # half-width of an about band in percentage points, shares
processed_dir = None  # folder for the processed tables, None means a scratch folder, twocreate run passes its own

# %%
from pathlib import Path

from twocreate import assess as ta
from twocreate import audit as tau
from twocreate import checks as tchecks
from twocreate import observations as tobs
from twocreate import tables as ttab
from twocreate.i18n import t
from twocreate.io import ReadLog
from twocreate.plan import load_plan
from twocreate.present import Page
from twocreate.views import progress as pv
from twocreate.views import common as vc

plan = load_plan(plan_id)
reads = ReadLog()  # every file this report reads, listed in its provenance
year = ta.resolve_year(plan, year if year is not None else plan.target_year)
settings = ta.Settings(on_track=on_track, acceleration=acceleration, about_tolerance=about_tolerance,
                       about_tolerance_pp=about_tolerance_pp)
obs_path = Path(observations) if observations else tobs.plan_observations(plan)
got = tobs.read_sourced(obs_path, plan, sheet=sheet, reads=reads) if obs_path else tobs.nothing_read()
obs = tobs.outturns_up_to(got.frame, year)
bench = tobs.read_observations(Path(benchmarks), plan, reads=reads) if benchmarks else None
tabs = ttab.progress.progress_tables(plan, obs, year, benchmarks=bench, settings=settings)  # the processed tables
table, mt = tabs.role("progress"), tabs.role("milestones")
audit = tau.consistency_audit(plan)
findings = tau.findings(plan, audit)
city = plan.city_code
page = Page(lang, plan=plan, reads=reads, illustrative=tobs.is_illustrative(obs) or (bench is not None and tobs.is_illustrative(bench)))
page.uses(*plan.files.values(), *([obs_path] if obs_path else []), *([Path(benchmarks)] if benchmarks else []))
page.publish(city=plan.text("city", lang), title=plan.text("title", lang), short=plan.text("short_title", lang),
             doc=plan.meta["document_number"], issuer=plan.text("issuer", lang), subject=plan.text("subject", lang),
             start=plan.meta["period_start"], end=plan.meta["period_end"], base_year=plan.base_year,
             target_year=plan.target_year, year=year, n=len(plan.indicators), on_track=on_track,
             acceleration=acceleration, about_pct=f"{about_tolerance:.0%}", about_pp=f"{about_tolerance_pp:g}",
             outturn_file=obs_path.name if obs_path else "—")

# %%
page.title(t("progress.title", lang, city=plan.text("city", lang), short=plan.text("short_title", lang), year=year),
           t("progress.title", lang, city=plan.text("city", lang), short=plan.text("short_title", lang), year=year))
page.banner()
page.conclusion(pv.conclusion(plan, table, year, lang), pv.summary_items(plan, table, lang),
                heading=t("progress.h_conclusion", lang))

# %% [markdown] tags=["zh"]
# 本报告依据{{ issuer }}《{{ title }}》（{{ doc }}）的{{ n }}项目标，用截至{{ year }}年的实际值评估每项目标。
# 计划期为{{ start }}—{{ end }}年，目标年为{{ target_year }}年。目标年以前评价进度，目标年及以后评价是否实现目标。

# %% [markdown] tags=["en"]
# This report follows the {{ n }} targets of {{ title }} ({{ doc }}), issued by the {{ issuer }}, and assesses
# each with the outturns up to {{ year }}. The plan runs {{ start }}–{{ end }}; its target year is {{ target_year }}.
# Before the target year the report judges the pace; from the target year on, whether each target was achieved.

# %%
page.heading(t("progress.h_summary", lang), anchor="summary-table")
page.table(pv.progress_display(plan, table, lang), caption=(t("progress.cap_summary", lang),) * 2)

# %% [markdown] tags=["zh"]
# **评价方法。** 目标年以前：进度比R = 实际进展速度 ÷ 按期实现目标所需速度（存量按基数以来的年均复合增速，
# 占比按年均百分点变化，逐年新增的目标按累计数对照阶段目标的累计路径）；R ≥ {{ on_track }}为进度正常，
# {{ acceleration }} ≤ R < {{ on_track }}为需加快，0 ≤ R < {{ acceleration }}为进展有限，R < 0为倒退（欧盟统计局可持续发展目标监测方法）。
# 实际值在目标年以前已进入目标范围的，为“已提前达到目标水平”，不是“已实现”。目标年及以后：只有“已实现目标”或“未实现目标”，
# 并给出完成率和差距；进度比只作参考。无法计算进度比的目标为“无法评估”，并说明原因。“左右”的目标范围为目标值±{{ about_pct }}，
# 占比为±{{ about_pp }}个百分点，计划另有规定的除外。基数依次取基年实际值、计划所列数值、由总目标推算的数值，表中注明来源。

# %% [markdown] tags=["en"]
# **Method.** Before the target year: the progress ratio R = the pace achieved ÷ the pace needed to reach the target
# in time (levels: compound annual growth from the base; shares: percentage points a year; yearly additions: the
# running total against the cumulative milestone path). R ≥ {{ on_track }} is on track, {{ acceleration }} ≤ R <
# {{ on_track }} acceleration needed, 0 ≤ R < {{ acceleration }} limited progress, R < 0 deterioration (the method of
# Eurostat's SDG monitoring). An outturn inside the target's range before the target year has *reached the target
# level early*; it is not yet achieved. From the target year on there are only two verdicts, achieved and not
# achieved, with the completion and the gap; the pace is context. A target whose ratio cannot be computed is not
# assessable, with the reason. “About” means within ±{{ about_pct }} of the target (±{{ about_pp }} percentage points
# for shares) unless the plan says otherwise. The base is the base year's outturn, else the figure the plan states,
# else the figure the headline implies; the table says which.

# %%
page.heading(t("progress.h_charts", lang), anchor="charts")
for _, row in table[table["reading"].isin(["", "stock"])].iterrows():
    if row["target_kind"] == "qualitative":
        continue
    series = ta.target_series(plan, obs, row["code"], city, year)
    fig, alt = pv.target_chart(plan, row, series, ta.specs.milestones_of(plan, row["code"]), lang)
    page.figure(fig, alt=alt, caption=(pv.chart_caption(plan, row, lang),) * 2)

# %%
page.heading(t("progress.h_milestones", lang), anchor="milestones")
page.table(pv.milestones_display(plan, mt, lang), caption=(t("progress.cap_milestones", lang),) * 2)

# %%
page.heading(t("progress.h_audit", lang), anchor="audit")
if audit.empty and findings.empty:
    page.para(t("audit.none", lang))
else:
    if not audit.empty:
        page.table(pv.audit_display(plan, audit, lang), caption=(t("progress.cap_audit", lang),) * 2, illustrative=False)
    for s in pv.finding_texts(plan, findings, lang):
        page.text(s)

# %% [markdown] tags=["zh"]
# 一致性核查只用计划自身的数字：总目标能否由所列基数和目标年的阶段目标复现，计划没有给出的基数由总目标推算为多少，
# 阶段目标隐含怎样的逐年增长路径，累计增长目标以哪一个存量为分母。只属于本计划的核查结论写在计划文件夹的 audit_notes.csv 中。

# %% [markdown] tags=["en"]
# The consistency audit uses only the plan's own figures: does each headline follow from the base it states and the
# target year's milestone, which base does the headline imply where the plan states none, which yearly path do the
# milestones draw, and on which stock is a cumulative growth target taken. Findings that only this plan can have are
# in the plan folder's audit_notes.csv.

# %%
if plan.indicators["departments"].notna().any():
    page.heading(t("progress.h_departments", lang), anchor="departments")
    page.table(vc.departments_display(plan, lang), caption=(t("progress.cap_departments", lang),) * 2,
               illustrative=False)

# %%
page.heading(t("progress.h_checks", lang), anchor="data-checks")
checks = tobs.data_checks(got)
thresholds = tchecks.load_thresholds(reads=reads)
page.uses(tchecks.THRESHOLDS_FILE)
if checks.empty:
    page.para(t("progress.checks_none", lang))
else:
    page.para(t("progress.checks_some", lang))
    page.table(vc.data_checks_display(plan, checks, lang), illustrative=False,
               caption=(t("progress.cap_checks", lang, file=vc.checked_file(checks)),) * 2)
page.para(t("progress.checks_thresholds", lang, yoy=f"{thresholds['yoy_factor']:g}", lvl=f"{thresholds['level_factor']:g}"))

# %%
page.heading(t("progress.h_scope", lang), anchor="scope")
page.bullets(pv.scope_items(plan, lang))
page.heading(t("progress.h_data", lang), anchor="data")
page.table(vc.observations_display(plan, obs, city, lang),
           caption=(t("progress.cap_data", lang, file=obs_path.name if obs_path else "—", year=year),) * 2)

# %%
ttab.write_for_notebook(tabs, processed_dir)
page.record()
