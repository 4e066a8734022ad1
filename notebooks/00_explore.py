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
#     kind: explore
#     report: false
#     title:
#       en: Explore a plan
#       zh: "\u63A2\u7D22\u4E00\u9879\u8BA1\u5212"
# ---

# %% [markdown] tags=["zh"]
# # 入门：用几行代码探索一项计划
#
# 本笔记本不是报告，`twocreate run` 不运行它，它也不写任何文件（`data/processed/` 和 `reports/` 保持原样）。
# 按顺序运行各单元：载入计划，读入一个格式不规整的工作簿，查看数据，评估一个年份，修改一个数值后重新评估，
# 比较两个区县，在自己的假设下计算计划“1:r”杠杆的资金放大倍数，每一步都画图。
# 所用函数都在 `import twocreate as tc` 中，说明见 `docs/explore.md`；每个函数的帮助（如 `help(tc.assess)`）写明单位并附有示例。
# 下面的参数可以修改；中文和英文图表均可直接显示，不需要任何设置。

# %% [markdown] tags=["en"]
# # Getting started: a plan in a few lines
#
# This notebook is not a report: `twocreate run` does not run it, and it writes no file (`data/processed/` and
# `reports/` stay as they are). Run the cells in order: load the plan, read a messy workbook, look at it, assess
# one year, change a value and assess again, compare two districts, compute the money multiplier of the plan's
# "1:r" leverage under your own assumptions, and chart each step. Every call is in `import twocreate as tc`,
# described in `docs/explore.md`; each one's help (`help(tc.assess)`) gives its units and an example.
# Change the parameters below; charts show Chinese and English without any set-up.

# %% tags=["parameters"]
plan_id = None  # plan id or plan folder, None means the default plan
workbook = "tests/data/messy/05_shipped_wide_cn.xlsx"  # outturn workbook, relative to the project root
sheet = None  # sheet of the workbook, name or number, None means the first sheet
year = None  # report year as 2020 or "2020年", None means the year before the plan's target year
indicator = None  # indicator to change, code or name, None means the plan's first indicator
factor = 0.9  # the changed value is the city's value in the report year times this factor
districts = None  # two districts by code or name, None means the first two administrative districts with outturns
my_basis = "private"  # your reading of the plan's leverage ratio, total or private
my_assumptions = {"co_investment": 1.5}  # scenario parameters you set yourself, by code
lang = "zh"  # language of the charts, zh or en

# %%
import pandas as pd

import twocreate as tc
from twocreate import config

plan = tc.load_plan(plan_id)
plan

# %% [markdown] tags=["zh"]
# ## 1. 计划
# `plan` 显示计划的编号、标题、计划期，以及目标、地区、任务和资金的数量。各表是 pandas 数据框：
# `plan.indicators`、`plan.areas`、`plan.subtargets`……下图是各项目标的阶段目标。

# %% [markdown] tags=["en"]
# ## 1. The plan
# `plan` shows the plan's id, title and period, and how many targets, areas, tasks and funds it has. Its tables
# are pandas DataFrames: `plan.indicators`, `plan.areas`, `plan.subtargets` … The chart shows each target's milestones.

# %%
plan.indicators[["code", "name_zh", "name_en", "unit", "target_kind"]]

# %%
tc.chart(plan, lang=lang);

# %% [markdown] tags=["zh"]
# ## 2. 读入一个不规整的工作簿
# `tc.read_outturns` 读入任何版式的文件（CSV或工作簿，长表或宽表，中文或英文表头），返回统一的长表：
# 每行一个指标 × 地区 × 年份，数值已换算为指标的单位。相对路径从当前文件夹读起；
# 笔记本的内核在 `notebooks/` 中运行，所以这里从项目根目录给出路径。找不到文件时，错误信息会说明在哪个文件夹找过。

# %% [markdown] tags=["en"]
# ## 2. Read a messy workbook
# `tc.read_outturns` reads a file in any layout (CSV or workbook, tidy or wide, Chinese or English headers) and
# returns one tidy table: one row per indicator × area × year, values in each indicator's unit. A relative path is
# read from the current folder; a notebook's kernel runs in `notebooks/`, so the path is given from the project
# root here. When a file is not found, the error says which folder was searched.

# %%
try:
    tc.read_outturns(workbook, plan, sheet=sheet)  # relative to notebooks/: not there
except tc.InputError as err:
    print(err)

# %%
obs = tc.read_outturns(config.find_root() / workbook, plan, sheet=sheet)
print(f"{len(obs)} values; layout {obs.attrs['layout']}; {len(obs.attrs['notices'])} notices, "
      f"{len(obs.attrs['warnings'])} warnings")
for line in obs.attrs["notices"][:5] + obs.attrs["warnings"][:5]:
    print(line)
obs.head()

# %%
obs.pivot_table(index=["indicator", "area_code"], columns="year", values="value").head(8)

# %%
tc.chart(obs, lang=lang, plan=plan);

# %% [markdown] tags=["zh"]
# ## 3. 评估一个年份
# `tc.assess` 用同一个评估引擎评价每项目标：目标年以前评价进度（进度比），目标年及以后评价是否实现目标。
# 年份可以写成 2020、"2020" 或 "2020年"；计划期以外的年份会报错并说明有效的年份。

# %% [markdown] tags=["en"]
# ## 3. Assess one year
# `tc.assess` judges every target with the one engine: before the target year the pace (the progress ratio), from
# the target year on whether it was achieved. The year may be 2020, "2020" or "2020年"; a year outside the plan's
# period is refused, naming the valid years.

# %%
year = plan.target_year - 1 if year is None else year
result = tc.assess(plan, obs, year)
result

# %%
tc.chart(result, lang=lang);

# %% [markdown] tags=["zh"]
# ## 4. 修改一个数值后重新评估
# 结果是普通的数据框：把一个数值乘以 `factor`，再评估一次，对比两次的结论。

# %% [markdown] tags=["en"]
# ## 4. Change a value and assess again
# The outturns are a plain DataFrame: multiply one value by `factor`, assess again and compare the verdicts.

# %%
code = plan.indicator(indicator)["code"] if indicator is not None else plan.indicator_codes[0]
changed = obs.copy()
cell = (changed["indicator"] == code) & (changed["area_code"] == plan.city_code) & (changed["year"] == result.year)
changed.loc[cell, "value"] = changed.loc[cell, "value"] * factor
again = tc.assess(plan, changed, year)
pd.DataFrame({"before": result.table.set_index("code")["verdict"], "ratio before": result.table.set_index("code")["ratio"],
              "after": again.table.set_index("code")["verdict"], "ratio after": again.table.set_index("code")["ratio"]})

# %%
tc.chart(again, lang=lang);

# %% [markdown] tags=["zh"]
# ## 5. 比较两个区县
# `tc.compare_districts` 比较各区县的水平、增速、占比和排名；`areas` 只保留所列的区县，占比和排名仍在全部区县中计算。
# 区县可以用代码、中文或英文名称。区县只对照本区县自己的目标评估，没有本区县目标的区县不会套用全市目标。

# %% [markdown] tags=["en"]
# ## 5. Compare two districts
# `tc.compare_districts` compares the districts' levels, growth, shares and ranks; `areas` keeps only the districts
# listed, while shares and ranks stay those among all districts. Districts may be given by code, Chinese or English
# name. A district is assessed only against its own targets, never against the city's.

# %%
if plan.has("districts"):
    admin = plan.areas.query("role != 'city' and level != 'functional_zone'")["area_code"]
    with_data = [c for c in admin if c in set(obs["area_code"])]
    pair = districts if districts is not None else with_data[:2]
    comparison = tc.compare_districts(plan, obs, year, areas=pair)
    display(comparison)
    tc.chart(comparison, lang=lang)
else:
    print(f"plan {plan.id} has no districts")

# %% [markdown] tags=["zh"]
# ## 6. 在自己的假设下计算杠杆
# 计划的引导基金按“1:r”放大。`tc.fund_model` 给出两种理解（财政出资 : 基金总规模，财政出资 : 社会资本）下到达企业的资金
# 和一揽子政策的放大倍数；`my_basis` 选择你的理解，`my_assumptions` 改变情景参数（参数代码见情景文件）。

# %% [markdown] tags=["en"]
# ## 6. The leverage under your own assumptions
# The plan's guidance fund is leveraged "1:r". `tc.fund_model` gives the capital reaching enterprises and the
# package multiplier under both readings (public : total fund, public : private money); `my_basis` picks your
# reading and `my_assumptions` change scenario parameters (codes as in the scenario file).

# %%
if plan.has("funds"):
    default = tc.fund_model(plan, year=year)
    mine = tc.fund_model(plan, year=year, basis=my_basis, **my_assumptions)
    display(mine)
    display(pd.DataFrame({"scenario": [default.multiplier("total"), default.multiplier("private")],
                          "mine": [mine.multiplier("total"), mine.multiplier("private")]},
                         index=[f"1:{default.ratio:g} public : total", f"1:{default.ratio:g} public : private"]))
    print(f"your reading ({my_basis}): {mine.multiplier(my_basis):.2f} yuan reaching enterprises per yuan of public money")
    tc.chart(mine, lang=lang)
else:
    print(f"plan {plan.id} has no funds")
