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
#     kind: district_comparison
#     requires:
#     - districts
#     title:
#       en: District comparison
#       zh: "\u533A\u53BF\u6BD4\u8F83"
# ---

# %% [markdown] tags=["remove"]
# # District comparison
#
# The plan's areas compared on its indicators: level and growth, share of the city and contribution
# to its growth, the groups of areas the plan names (its roles), ranks, and each district against its
# own targets (`twocreate.assess.assess` with the district-targets file). Run by `twocreate run`
# (papermill) or top to bottom in JupyterLab with the defaults below, which are those of `make reports`.
# The narrative is the markdown cells tagged `zh` and `en` (placeholders `{{ name }}` filled at export
# from `page.publish`); numbers come from `twocreate.districts`, tables, sentences and charts from
# `twocreate.views.districts`. This cell is tagged `remove` and is not in the report.

# %% tags=["parameters"]
year = None  # report year, outturns up to this year are compared, None means the plan's target year
lang = "zh"  # report language, zh or en
plan_id = None  # plan id or plan folder, None means the default plan
observations = None  # outturn file with district rows, tidy or wide, None means the plan's default outturns
sheet = None  # sheet of a workbook outturn file, name or number, None means the first sheet
indicators = None  # list of indicator codes, None means every indicator of the plan
grouping = "role"  # role means the groups of areas.csv (core, radiating, other), level the kind of area
normalise = "population"  # population, area, budget_revenue or none: what levels are divided by
zone = "separate"  # separate means district figures exclude the functional zone, within means they include it
targets = None  # district targets file in the tidy format, None means the plan's default (plan.toml district_targets)
context = None  # context table of the districts, None means the plan's default (plan.toml district_context)
tolerance = 0.005  # relative tolerance of the additivity check, 0.005 means half a percent
processed_dir = None  # folder for the processed tables, None means a scratch folder, twocreate run passes its own

# %%
from twocreate import assess as ta
from twocreate import districts as td
from twocreate.district_checks import check_districts
from twocreate import fmt
from twocreate import observations as tobs
from twocreate import tables as ttab
from twocreate.i18n import t
from twocreate.plan import load_plan
from twocreate.present import Page
from twocreate.views import common as vc
from twocreate.views import district_charts as dc
from twocreate.views import districts as dv

plan = load_plan(plan_id)
year = ta.resolve_year(plan, year if year is not None else plan.target_year)
got = ttab.districts.read_inputs(plan, year, observations, sheet, context, targets)  # every file read, codes harmonised
reads, obs_path, read, hobs = got.reads, got.obs_path, got.read, got.outturns
obs = read.frame
context_path, ctx, targets_path, tgt = got.context_path, got.context, got.targets_path, got.targets
inds = list(indicators) if indicators else plan.indicator_codes
how = normalise if len(ctx) else "none"
issues = check_districts(hobs, plan, tolerance=float(tolerance), zone=zone)
dobs = td.district_obs(hobs, plan, inds, year)
tabs = ttab.districts.comparison_tables(plan, hobs, year, indicators=inds, context=ctx, normalise=normalise,
                                       zone=zone, grouping=grouping, targets=tgt)  # the processed tables
comparison, groups, gaps = tabs.role("comparison"), tabs.role("groups"), tabs.role("gaps")
has_data = not comparison.empty
indices = td.index_tables(hobs, plan, inds, year, zone) if has_data else {}
page = Page(lang, plan=plan, reads=reads, illustrative=tobs.is_illustrative(dobs) if has_data else tobs.is_illustrative(obs))
page.uses(*plan.files.values(), *[p for p in (obs_path, context_path, targets_path) if p])
roles = dv.roles_named(plan)
page.publish(title=plan.text("title", lang), doc=plan.meta["document_number"], issuer=plan.text("issuer", lang),
             city=plan.text("city", lang), year=year, n=len(inds), n_areas=len(td.district_codes(plan, zone)),
             section=dv.role_section(plan, roles[0]) if roles else "",
             roles=dv.roles_text(plan, lang),
             norm=dv.norm_label(plan, how, lang), context_year=td.context_year(plan),
             context_source=dv.context_source(plan, lang, context_path), zone_policy=dv.zone_policy(zone, lang),
             tolerance=fmt.percent(float(tolerance)), outturn_file=obs_path.name if obs_path else "—",
             statuses=dv.statuses_text(dobs, lang))

# %%
page.title(dv.title(plan, year, lang), dv.title(plan, year, lang))
page.banner()
if has_data:
    page.conclusion(dv.conclusion(plan, comparison, gaps, year, lang, targets_given=tgt is not None),
                    dv.summary_items(plan, comparison, groups, gaps, lang), heading=t("districts.h_conclusion", lang))
else:
    page.para(t("districts.no_district_rows", lang))

# %% [markdown] tags=["zh"]
# 本报告依据{{ issuer }}《{{ title }}》（{{ doc }}），用截至{{ year }}年的实际值比较计划的{{ n_areas }}个区县单位。
# 计划{{ section }}划定了区县的定位：{{ roles }}。
#
# 比较的内容是计划的{{ n }}项指标：水平与增长（指数，基年=100）、占全市比重和对全市增长的贡献、各组区县的合计、位次，以及各区县对照自己的目标的完成情况。为公平比较，
# 规模差异按{{ context_year }}年的背景数据标准化（本报告：{{ norm }}；来源：{{ context_source }}），每张图注明所用的标准化方式；
# 增长指数不需要标准化。

# %% [markdown] tags=["en"]
# This report compares the plan's {{ n_areas }} district units with the outturns up to {{ year }}, following
# {{ title }} ({{ doc }}), issued by the {{ issuer }}. Section {{ section }} of the plan gives the districts their
# roles: {{ roles }}.
#
# The comparison covers the plan's {{ n }} indicators: level and growth (index, base year = 100),
# share of the city and contribution to the city's growth, the groups of districts, ranks, and each district
# against its own targets. For a fair comparison, size is normalised by {{ context_year }} context figures
# (this report: {{ norm }}; source: {{ context_source }}); every chart says which normalisation it uses, and a
# growth index needs none.

# %%
page.heading(t("districts.h_districts", lang), anchor="districts")
page.table(dv.registry_table(plan, lang, ctx), illustrative=False, keep_words=True,
           caption=(t("districts.cap_registry", lang, year=td.context_year(plan),
                      source=dv.context_source(plan, lang, context_path)),) * 2)
if td.zone_codes(plan):
    page.callout(dv.zone_note(plan, zone, lang, ctx))
for s in dv.change_sentences(plan, lang):
    page.para(s)

# %%
page.heading(t("districts.h_checks", lang), anchor="checks")
if issues:
    page.para(t("districts.checks_some", lang))
    page.bullets(dv.issues_list(plan, issues, lang))
else:
    page.para(t("districts.checks_none", lang, tolerance=fmt.percent(float(tolerance))))
other_checks = tobs.data_checks(read, exclude=("additivity", "missing_year"))
if not other_checks.empty:
    page.para(t("districts.checks_other", lang))
    page.table(vc.data_checks_display(plan, other_checks, lang), illustrative=False,
               caption=(t("progress.cap_checks", lang, file=vc.checked_file(other_checks)),) * 2)

# %%
if has_data and indices:
    page.heading(t("districts.h_growth", lang), anchor="growth")
    fig, alt = dc.small_multiples(plan, indices, year, lang)
    page.figure(fig, alt=alt, caption=(" ".join([t("districts.cap_small_multiples", lang)]
                                                 + dv.base_year_notes(plan, comparison, lang)),) * 2)
    fig, alt = dc.heatmap_chart(plan, comparison, indices, year, lang)
    page.figure(fig, alt=alt, caption=(t("districts.cap_heatmap", lang),) * 2)

# %%
if has_data:
    page.heading(t("districts.h_groups", lang), anchor="groups")
    fig, alt = dc.group_chart(plan, groups, indices, lang, how)
    page.figure(fig, alt=alt, caption=(t("districts.cap_group_chart", lang, by=dv.norm_label(plan, how, lang)),) * 2)
    page.table(dv.group_table(plan, groups, year, lang, how), keep_words=True,
               caption=(t("districts.cap_groups", lang, year=year, by=dv.norm_label(plan, how, lang)),) * 2)

# %% [markdown] tags=["zh"]
# **位次与贡献。** 位次按竞争排名法：并列取最小名次，其后名次顺延（如1、2、2、4）；并列按表中显示的精度判断，显示相同的数值名次相同。
# 对全市增长的贡献 = 该区县增量 ÷ 基年各区县合计，各区县贡献之和等于全市增幅（以百分点计）。逐年新增的指标按基年以后的累计数比较，不计算增长率。功能区的处理：
# {{ zone_policy }}。

# %% [markdown] tags=["en"]
# **Ranks and contributions.** Ranks use competition ranking: ties share the best rank and the next rank is
# skipped (1, 2, 2, 4); a tie is judged at the precision the table shows, so equal figures share a rank.
# Contribution to the city's growth = the district's increase ÷ the base-year total of the districts; the
# contributions add up to the city's growth (in percentage points). An indicator counted as yearly additions is
# compared on its running total since the base year, never on a growth rate. Functional zones: {{ zone_policy }}.

# %%
if has_data:
    page.heading(t("districts.h_tables", lang), anchor="tables")
    for ind in inds:
        tab = dv.indicator_table(plan, comparison, ind, lang)
        if tab.empty:
            continue
        page.heading(plan.indicator_name(ind, lang), anchor=f"indicator-{ind}", level=3)
        page.table(tab, keep_words=True, caption=(t("districts.cap_indicator", lang, name=plan.indicator_name(ind, lang),
                                                    year=year, by=dv.norm_label(plan, how, lang)),) * 2)
        if plan.indicator(ind)["kind"] == "flow":
            fig, alt = dc.ranking_chart(plan, comparison, ind, lang, normalised=how != "none")
            page.figure(fig, alt=alt, caption=(t("districts.cap_ranking_flow", lang, start=plan.base_year + 1),) * 2)

# %%
if has_data:
    page.heading(t("districts.h_targets", lang), anchor="targets")
    if gaps is None:
        page.para(t("districts.targets_none_file", lang))
    elif gaps.empty:
        page.para(t("districts.targets_none", lang))
    else:
        page.para(t("districts.targets_intro", lang, year=year, target_year=int(gaps["target_year"].max())))
        for ind in inds:
            tab = dv.gaps_table(plan, gaps, ind, lang)
            if tab.empty:
                continue
            page.heading(plan.indicator_name(ind, lang), anchor=f"targets-{ind}", level=3)
            page.table(tab, keep_words=True, illustrative=page.illustrative or tobs.is_illustrative(tgt),
                       caption=(t("districts.cap_targets", lang, name=plan.indicator_name(ind, lang)),) * 2)
        page.para(t("districts.targets_from", lang, source=dv.targets_source(tgt, targets_path, lang)))

# %%
page.heading(t("districts.h_method", lang), anchor="method")
page.bullets([t("districts.method_outturns", lang, file=obs_path.name if obs_path else "—",
                statuses=dv.statuses_text(dobs, lang)),
              t("districts.method_context", lang, source=dv.context_source(plan, lang, context_path),
                year=td.context_year(plan)),
              t("districts.method_base", lang, year=plan.base_year),
              t("districts.method_checks", lang, tolerance=fmt.percent(float(tolerance)))])

# %%
ttab.write_for_notebook(tabs, processed_dir)
page.record()
