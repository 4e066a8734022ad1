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
#     batch: district
#     kind: district_profile
#     requires:
#     - districts
#     title:
#       en: District profile
#       zh: "\u533A\u53BF\u6982\u51B5"
# ---

# %% [markdown] tags=["remove"]
# # District profile
#
# One short report per district: `twocreate run` runs it once per district (batch "district") with
# `area_code` set. In JupyterLab it runs with the defaults below (those of `make reports`; the district
# is the plan's first). The district is judged only against targets set for it (the district-targets
# file); without any, the report says so and shows the city's pace only as the city's. The narrative is
# the markdown cells tagged `zh` and `en`; numbers from `twocreate.districts` and `twocreate.assess`,
# tables, sentences and charts from `twocreate.views.districts`. This cell is tagged `remove`.

# %% tags=["parameters"]
area_code = None  # district code, name or alias, None means the plan's first district
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
area = td.lookup(area_code, plan) if area_code is not None else td.district_codes(plan)[0]
got = ttab.districts.read_inputs(plan, year, observations, sheet, context, targets)  # every file read, codes harmonised
reads, obs_path, read, hobs = got.reads, got.obs_path, got.read, got.outturns
obs = read.frame
context_path, ctx, targets_path, tgt = got.context_path, got.context, got.targets_path, got.targets
inds = list(indicators) if indicators else plan.indicator_codes
how = normalise if len(ctx) else "none"
issues = check_districts(hobs, plan, tolerance=float(tolerance), zone=zone)
dobs = td.district_obs(hobs, plan, inds, year)
comparison = td.comparison_table(hobs, plan, year, inds, ctx, how, zone)
groups = td.group_aggregates(hobs, plan, year, inds, grouping, ctx, how, zone)
has_data = not comparison.empty
tabs = ttab.districts.profile_tables(plan, hobs, year, area, comparison=comparison)  # the processed table
mine = tabs.role("profile")
has_targets = area in td.areas_with_targets(tgt, plan)
gaps = td.target_gaps(hobs[hobs["area_code"] == area], tgt[tgt["area_code"] == area], plan, year) \
    if has_targets and not mine.empty else None
indices = td.index_tables(hobs, plan, inds, year, zone) if has_data else {}
name = plan.area_name(area, lang)
role = td.role_of(plan).get(area, "other")
page = Page(lang, plan=plan, reads=reads, illustrative=tobs.is_illustrative(dobs) if has_data else tobs.is_illustrative(obs))
page.uses(*plan.files.values(), *[p for p in (obs_path, context_path, targets_path) if p])
page.publish(name=name, year=year, role_text=dv.role_text(plan, area, lang),
             n=len(td.district_codes(plan, zone)), n_ind=len(inds), outturn_file=obs_path.name if obs_path else "—",
             context_source=dv.context_source(plan, lang, context_path), context_year=td.context_year(plan),
             norm=dv.norm_label(plan, how, lang))

# %%
page.title(*(t("districts.profile_title", lang, name=name, short=plan.text("short_title", lang), year=year),) * 2)
page.banner()
if mine.empty:
    page.para(t("districts.profile_no_rows", lang))
else:
    page.conclusion(dv.profile_conclusion(plan, area, mine, comparison, gaps, has_targets, year, lang),
                    dv.profile_items(plan, mine, comparison, lang), heading=t("districts.h_conclusion", lang))

# %% [markdown] tags=["zh"]
# 本报告是{{ name }}截至{{ year }}年的概况。
# {{ role_text }}以下为该区县在{{ n_ind }}项指标上的水平、增长、占全市比重和位次（共{{ n }}个区县单位），
# 规模差异按{{ context_year }}年的背景数据标准化（{{ norm }}）。区县只对照为本区县设定的目标评价，从不以全市目标代替；没有本地目标的区县，
# 全市进度只作为全市的参考列出。

# %% [markdown] tags=["en"]
# This is the profile of {{ name }} to {{ year }}. {{ role_text }} Below: its
# level, growth, share of the city and rank on the {{ n_ind }} indicators (among {{ n }} district units), size
# normalised by {{ context_year }} context figures ({{ norm }}). A district is judged only against targets set
# for it, never against the city's; for a district without targets of its own, the city's pace is listed as the
# city's, for reference.

# %%
if area in td.zone_codes(plan):
    page.callout(dv.zone_note(plan, zone, lang, ctx))
if not mine.empty:
    page.heading(t("districts.h_profile", lang), anchor="profile")
    page.table(dv.profile_display(plan, mine, comparison, lang), keep_words=True,
               caption=(t("districts.cap_profile", lang, name=name, year=year, by=dv.norm_label(plan, how, lang)),) * 2)
    fig, alt = dc.profile_chart(plan, hobs, area, year, inds, lang, indices, groups)
    page.figure(fig, alt=alt, caption=(t("districts.cap_profile_chart", lang, group=dv.role_label(plan, role, lang)),) * 2)

# %%
if not mine.empty:
    page.heading(t("districts.h_own_targets", lang), anchor="targets")
    if has_targets and gaps is not None and not gaps.empty:
        page.table(dv.district_gaps_table(plan, gaps, area, lang), keep_words=True,
                   illustrative=page.illustrative or tobs.is_illustrative(tgt),
                   caption=(t("districts.cap_own_targets", lang, name=name, year=year),) * 2)
        page.para(t("districts.targets_from", lang, source=dv.targets_source(tgt, targets_path, lang)))
    else:
        page.para(t("districts.profile_no_targets_para", lang, name=name, verdict=t("verdict.no_area_target", lang),
                    reason=t("reason.no_area_target", lang)))
        city = ta.assess(plan, obs, year).table
        page.table(dv.city_pace_table(plan, city, lang), keep_words=True,
                   caption=(t("districts.cap_city_pace", lang, name=name, city=plan.text("city", lang),
                              year=year),) * 2)

# %%
my_issues = [i for i in issues if i.area_code in (None, area)]
if my_issues:
    page.heading(t("districts.h_checks", lang), anchor="checks")
    page.para(t("districts.checks_some", lang))
    page.bullets(dv.issues_list(plan, my_issues, lang))
other_checks = tobs.data_checks(read, exclude=("additivity", "missing_year"), area_code=area)
if not other_checks.empty:
    page.para(t("districts.checks_other", lang))
    page.table(vc.data_checks_display(plan, other_checks, lang), illustrative=False,
               caption=(t("progress.cap_checks", lang, file=vc.checked_file(other_checks)),) * 2)

# %% [markdown] tags=["zh"]
# 完整的区县比较见区县比较报告。实际值：{{ outturn_file }}；背景数据：{{ context_source }}。

# %% [markdown] tags=["en"]
# The full comparison is in the district comparison report. Outturns: {{ outturn_file }}; context figures:
# {{ context_source }}.

# %%
ttab.write_for_notebook(tabs, processed_dir)
page.record()
