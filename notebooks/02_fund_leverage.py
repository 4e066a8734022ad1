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
#     kind: fund_leverage
#     requires:
#     - funds
#     title:
#       en: Fund allocation and financing leverage
#       zh: "\u8D44\u91D1\u5B89\u6392\u4E0E\u878D\u8D44\u6760\u6746\u5206\u6790"
# ---

# %% [markdown] tags=["remove"]
# # Fund allocation, spending and the leverage of the financing instruments
#
# The plan's money by area (`funds.csv`), what was spent against it (a disbursement file), and what
# the money of its financing area mobilises through the instruments of `instruments.csv` under a
# leverage scenario (both readings of the guidance fund's "1:r"). Everything is computed by
# `twocreate.funds.fund_model`; tables, sentences and charts come from `twocreate.views.funds`; the
# narrative is the markdown cells tagged `zh` and `en` (placeholders `{{ name }}` are filled at export
# from `page.publish`). Run by `twocreate run` (papermill) or top to bottom in JupyterLab with the
# defaults below: they are the plan's, as in `make reports`. Parameters left at `None` take their
# value from the plan or its scenario file. This cell is tagged `remove` and is not in the report.

# %% tags=["parameters"]
year = None  # report year, None means the plan's target year
lang = "zh"  # report language, zh or en
plan_id = None  # plan id or plan folder, None means the default plan
basis = "total"  # default reading of the guidance fund's ratio, total (public to total) or private (public to private)
ratio = None  # r of the guidance fund's 1 to r, None means the plan's (instruments.csv)
scenario = None  # scenario CSV path, None means the plan's (plan.toml key scenario)
disbursements = None  # yearly disbursement file, None means the plan's (plan.toml key disbursements), "" none
split = None  # amounts in 100m yuan by instrument, a dict summing to the financing amount, None means the scenario's
guidance_share = None  # guidance-fund share of the financing money, others rescaled, None means the scenario's
sector_public_share = None  # public share of each sector fund
fof_public_share = None  # s1, public share of the fund of funds
fof_subfund_share = None  # s2, fund-of-funds share of each sub-fund
co_investment = None  # c, project-level co-investment factor
pool_multiple = None  # k, lending multiple banks grant on the risk pool
pool_loss_share = None  # alpha, share of loan losses the pool bears
default_rate = None  # annual default rate PD
loss_given_default = None  # LGD
guarantee_multiple = None  # outstanding guarantees over net assets
subsidy_points = None  # interest subsidy as a fraction, 0.02 for 2 points
subsidy_years = None  # subsidy term in years
discount_rate = None  # for the present-value grant equivalent
pv_subsidy = False  # True reads the subsidy budget as a present value
guarantor_small_micro = True  # guarantors mainly serve small and micro firms, legal cap 15 times
heatmap_x = None  # heatmap parameter, None means the largest swing in the tornado
heatmap_y = None  # heatmap parameter, None means the second largest swing
tornado_top = 12  # parameters shown in the tornado chart
processed_dir = None  # folder for the processed tables, None means a scratch folder, twocreate run passes its own

# %%
from twocreate import funds as tf
from twocreate import tables as ttab
from twocreate.i18n import t
from twocreate.io import ReadLog
from twocreate.plan import load_plan
from twocreate.present import Page
from twocreate.views import fund_charts as fc
from twocreate.views import funds as fv

# everything is computed and validated here, before anything is shown or written
plan = load_plan(plan_id)
reads = ReadLog()  # every file this report reads, listed in its provenance
model = tf.fund_model(plan, year, scenario=scenario, disbursements=disbursements, basis=basis, ratio=ratio,
                      split=split, guidance_share=guidance_share, pv_subsidy=pv_subsidy,
                      small_micro=guarantor_small_micro, heatmap_x=heatmap_x, heatmap_y=heatmap_y,
                      sector_public_share=sector_public_share, fof_public_share=fof_public_share,
                      fof_subfund_share=fof_subfund_share, co_investment=co_investment, pool_multiple=pool_multiple,
                      pool_loss_share=pool_loss_share, default_rate=default_rate,
                      loss_given_default=loss_given_default, guarantee_multiple=guarantee_multiple,
                      subsidy_points=subsidy_points, subsidy_years=subsidy_years, discount_rate=discount_rate, reads=reads)
year = model.year
page = Page(lang, plan=plan, reads=reads, illustrative=model.illustrative)
page.uses(*plan.files.values(), *[f for f in (model.scenario_path, model.disbursements_path) if f is not None])
page.publish(**fv.narrative_values(model, lang, tornado_top=tornado_top))

# %%
page.title(t("funds.title", lang, city=plan.text("city", lang), short=plan.text("short_title", lang), year=year),
           t("funds.title", lang, city=plan.text("city", lang), short=plan.text("short_title", lang), year=year))
page.banner()
page.conclusion(fv.conclusion(model, lang), fv.summary_items(model, lang), heading=t("funds.h_conclusion", lang))

# %% [markdown] tags=["zh"]
# 本报告依据{{ issuer }}《{{ title }}》（{{ doc }}）{{ total_section }}的资金安排，共{{ n_areas }}个领域。{% if leverage %}其中{{ fund }}{{ fin }}（{{ fin_section }}）通过{{ instruments }}带动社会资金；本报告估算这些资金最终有多少到达企业、依赖哪些假设、对假设有多敏感。{% endif %}{% if execution %}各领域的实际支出取自拨付文件{{ disbursement_file }}，只用{{ year }}年及以前的数据。{% endif %}

# %% [markdown] tags=["en"]
# This report follows the money of {{ title }} ({{ doc }}), issued by the {{ issuer }}, in {{ n_areas }} areas
# ({{ total_section }}).{% if leverage %} The {{ fin }} for
# “{{ fund }}” ({{ fin_section }}) is to bring in other money through {{ instruments }}; the report estimates how much
# of it reaches enterprises, under which assumptions, and how sensitive the answer is.{% endif %}
# {% if execution %}Spending by area comes from the disbursement file {{ disbursement_file }}, using the figures up to
# {{ year }} only.{% endif %}

# %%
page.heading(t("funds.h_allocation", lang), anchor="allocation")
page.table(fv.allocation_display(model, lang), caption=(t("funds.cap_allocation", lang),) * 2, illustrative=False)
page.figure(fc.allocation_chart(model, lang), alt=fc.allocation_alt(model, lang),
            caption=(t("funds.cap_alloc_chart_data", lang) if model.phasing_from_data
                     else t("funds.cap_alloc_chart_even", lang, n=len(model.period)),) * 2,
            illustrative=model.phasing_from_data and model.illustrative)
page.table(fv.phasing_display(model, lang), caption=(fv.phasing_caption(model, lang),) * 2,
           illustrative=model.phasing_from_data and model.illustrative)

# %%
page.heading(t("funds.h_execution", lang), anchor="execution")

# %% [markdown] tags=["zh"]
# {% if execution %}截至{{ year }}年，各领域实际支出对照计划安排：当年执行率 = 当年支出 ÷ 计划期安排的年均额（{{ n_years }}年平均；计划未规定年度安排），累计执行率 = 累计支出 ÷ 计划期安排，与时间进度（已过去的计划期比例）对照。累计执行率超过100%（支出多于安排）标为“超支”，不做截断；当年执行率超过100%只说明当年支出多于年均额。{% else %}本次运行未提供资金拨付数据，因此无法报告实际支出和执行率；上文按年度的分布是{{ n_years }}年平均分配的假设，不是实际支出。在计划文件夹的 plan.toml 中指定拨付文件（disbursements），或运行时用twocreate run --disbursements 指定文件，即可显示各领域、各年度的执行情况。{% endif %}

# %% [markdown] tags=["en"]
# {% if execution %}Spending to {{ year }} against the plan's allocation by area: the year's rate = spent in the year ÷
# an even share of the period's amount ({{ n_years }} years; the plan sets no yearly amounts); the cumulative rate =
# spent to date ÷ the period's amount, set against the share of the period elapsed. A cumulative rate above 100% (more
# spent than allocated) is flagged as over-spent, never capped; a year's rate above 100% only means more than an even
# share was spent that year.{% else %}No disbursement file was used for this run, so spending and execution rates cannot
# be reported; the yearly amounts above are an assumption (even over {{ n_years }} years), not spending. Name a
# disbursement file in the plan folder's plan.toml (key disbursements), or give one with twocreate run
# --disbursements, to see spending by area and year.{% endif %}

# %%
if model.execution is not None:
    if fv.overspent_text(model, lang):
        page.para(fv.overspent_text(model, lang))
    page.table(fv.execution_display(model, lang), caption=(t("funds.cap_execution", lang),) * 2,
               illustrative=model.illustrative)
    page.figure(fc.execution_chart(model, lang), alt=fc.execution_alt(model, lang),
                caption=(t("funds.cap_execution_chart", lang),) * 2, illustrative=model.illustrative)

# %%
if model.has_leverage:
    page.heading(t("funds.h_readings", lang, ratio=fv.ratio_text(model.ratio)), anchor="readings")

# %% [markdown] tags=["zh"]
# {% if leverage %}计划原文的数字只有各领域的金额、{{ ratio_name }}的“{{ ratio }}”{% if n_rates %}以及补助标准（{{ rates }}）{% endif %}。{{ fin }}在各工具间如何分配、各基金规模、风险补偿和担保参数，计划均未规定：本报告中这些数字是{{ scenario_word }}（{{ scenario_file }}）的假设，列于文末“假设一览”，可作为参数修改。
#
# 计划{{ ratio_section }}要求“{{ ratio_wording }}”，但没有说明比例的基数。一种理解是**财政出资∶基金总规模 = {{ ratio }}**（基金 = {{ r }} × 财政出资）：这是欧盟的惯例（欧洲战略投资基金EFSI的“1:15”指1欧元公共资金带动15欧元总投资），财政资金占基金的{{ public_share }}，也与中国政府引导基金参股子基金一般不超过子基金规模20%—25%的做法相近。另一种理解是**财政出资∶社会资本 = {{ ratio }}**（基金 = {{ r1 }} × 财政出资）。两者并列如下；敏感性分析采用{{ basis_label }}的理解（参数 `basis`）。{% endif %}

# %% [markdown] tags=["en"]
# {% if leverage %}The plan's own figures are only the amounts by area, the “{{ ratio }}” of the {{ ratio_name }}{% if n_rates %}
# and the subsidy rates ({{ rates }}){% endif %}. How the {{ fin }} divides among the instruments, the size of each fund,
# the risk-pool and guarantee parameters: the plan says nothing, and in this report these are assumptions of
# {{ scenario_word }} ({{ scenario_file }}), listed under “Assumptions” at the end and changeable as parameters.
#
# {{ ratio_section }} of the plan asks for “{{ ratio_wording }}”{% if ratio_wording_en %} (“{{ ratio_wording_en }}”){% endif %}
# without saying what the ratio is taken on. One reading is **public : total = {{ ratio }}** (fund = {{ r }} × public
# money): the EU convention (EFSI's “1:15” means €1 of public money → €15 of total investment); public money is then
# {{ public_share }} of the fund, close to the Chinese rule that a guidance fund holds at most 20–25% of a sub-fund.
# The other reading is **public : private = {{ ratio }}** (fund = {{ r1 }} × public money). Both are shown; the
# sensitivity analysis uses the {{ basis_label }} reading (parameter basis).{% endif %}

# %%
if model.has_leverage:
    page.table(fv.readings_display(model, lang), illustrative=False,
               caption=(t("funds.cap_readings", lang, ratio=fv.ratio_text(model.ratio),
                          scenario=fv._scenario_word(model, lang)),) * 2)
    page.figure(fc.readings_chart(model, lang), alt=fc.readings_alt(model, lang), illustrative=False,
                caption=(t("funds.cap_readings_chart", lang, fin=fv.money(model.financing, lang)),) * 2)
    page.heading(t("funds.h_instruments", lang), anchor="instruments")
    page.table(fv.package_display(model, lang), illustrative=False,
               caption=(t("funds.cap_package", lang, scenario=fv._scenario_word(model, lang)),) * 2)
    page.heading(t("funds.h_fof", lang), anchor="fund-of-funds", level=3)

# %% [markdown] tags=["zh"]
# {% if leverage %}财政资金{{ G }}占母基金的比例为{{ s1 }}，母基金占各子基金的比例为{{ s2 }}，项目层面其他投资者的跟投系数为{{ c }}，则到达企业的资金为{{ G }}·{{ c }} ÷ {{ s1 }} ÷ {{ s2 }}。把母基金规模、子基金规模和项目投资相加会重复计算同一笔钱（财政资金{{ G }}本身已含在母基金中）——欧洲审计院在第03/2019号专题报告中指出欧洲战略投资基金（EFSI）报告的撬动资金存在这一问题。{% endif %}

# %% [markdown] tags=["en"]
# {% if leverage %}Public money {{ G }} is the share {{ s1 }} of the fund of funds; the fund of funds holds the share
# {{ s2 }} of each sub-fund; other investors add the co-investment factor {{ c }} at project level; capital reaching
# enterprises is {{ G }}·{{ c }} ÷ {{ s1 }} ÷ {{ s2 }}. Adding the fund-of-funds size, the sub-fund sizes and the
# project investment counts the same money more than once (the public money {{ G }} is already inside the fund of
# funds): the fault the European Court of Auditors found in EFSI's reported figures (Special Report 03/2019).{% endif %}

# %%
if model.has_leverage:
    page.table(fv.layers_display(model, lang), caption=(fv.layers_caption(model, lang),) * 2, illustrative=False)
    page.heading(t("funds.h_pool", lang), anchor="risk-pool", level=3)

# %% [markdown] tags=["zh"]
# {% if leverage %}资金池支持的贷款 = min{{ '{' }}{{ k }} × 资金池，资金池 ÷ {{ alpha }} ÷ PD ÷ LGD}，{{ k }}为合作银行给予的放大倍数，{{ alpha }}为资金池承担的损失比例，PD为年违约率，LGD为违约损失率。银行按合同倍数放贷后，违约率上升只会加快资金池的消耗：{% endif %}

# %% [markdown] tags=["en"]
# {% if leverage %}Lending supported = min{{ '{' }}{{ k }} × pool, pool ÷ {{ alpha }} ÷ PD ÷ LGD}, with {{ k }} the multiple
# partner banks grant, {{ alpha }} the pool's share of losses, PD the yearly default rate and LGD the loss given
# default. Once banks lend at the contractual multiple, a higher default rate only uses the pool up faster:{% endif %}

# %%
if model.has_leverage:
    page.table(fv.pool_display(model, lang), caption=(t("funds.cap_pool", lang),) * 2, illustrative=False)
    page.heading(t("funds.h_other", lang), anchor="other-instruments", level=3)

# %% [markdown] tags=["zh"]
# {% if leverage %}融资担保：担保余额 = 放大倍数 × 净资产，国务院令第683号（2017）规定不超过{{ cap }}倍，主要为小微企业服务的担保公司可至{{ cap_small }}倍。融资费用补贴：每元补贴支持的贷款 = 1 ÷ 贴息点数 ÷ 期限，{{ scenario_word }}为{{ per_subsidy }}元；按贴现率{{ discount }}计算，补贴的现值（赠款等值）为贷款的{{ grant_equivalent }}，不贴现为{{ subsidy_cost }}{% if pv_subsidy %}，本次运行按现值理解补贴预算{% endif %}。上市挂牌补助直接支付给企业，按1倍计。{% endif %}

# %% [markdown] tags=["en"]
# {% if leverage %}Guarantees: outstanding guarantees = multiple × net assets, capped at {{ cap }} × by State Council
# Decree No. 683 (2017), {{ cap_small }} × for guarantors that mainly serve small/micro firms. Financing-cost subsidy:
# loans supported per yuan of subsidy = 1 ÷ points ÷ term, {{ per_subsidy }} yuan in {{ scenario_word }}; at a
# discount rate of {{ discount }} the present-value grant equivalent is {{ grant_equivalent }} of the loan
# ({{ subsidy_cost }} undiscounted){% if pv_subsidy %}, and this run reads the subsidy budget as a present
# value{% endif %}. Listing subsidies are grants paid to the firms, counted once.{% endif %}

# %%
if model.has_leverage:
    page.table(fv.listing_display(model, lang), caption=(t("funds.cap_listing", lang),) * 2, illustrative=False)
    page.heading(t("funds.h_sensitivity", lang), anchor="sensitivity")

# %% [markdown] tags=["zh"]
# {% if leverage %}单因素敏感性：每次只把一个假设调到其区间的低值或高值，其余保持不变，观察整体放大倍数（到达企业资金 ÷ {{ fin }}）的变化。调整某一工具的资金时，其他工具按比例缩放，总额保持{{ fin }}。龙卷风图列出影响最大的{{ top }}项，热力图显示影响最大的两个参数同时变化时的放大倍数。{% endif %}

# %% [markdown] tags=["en"]
# {% if leverage %}One at a time: each assumption is moved to the low or high end of its range with the others
# unchanged, and the package multiplier (capital reaching enterprises ÷ {{ fin }}) is recomputed. Moving one
# instrument's money rescales the others so the total stays {{ fin }}. The tornado chart shows the {{ top }}
# largest swings; the heatmap varies the two most influential parameters together.{% endif %}

# %%
if model.has_leverage:
    page.figure(fc.tornado_chart(model, lang, top=tornado_top), alt=fc.tornado_alt(model, lang), illustrative=False,
                caption=(t("funds.cap_tornado_chart", lang, n=min(int(tornado_top or 99), len(model.tornado))),) * 2)
    page.figure(fc.heatmap_chart(model, lang), alt=fc.heatmap_alt(model, lang), illustrative=False,
                caption=(t("funds.cap_heatmap", lang),) * 2)
    page.table(fv.tornado_display(model, lang), caption=(t("funds.cap_tornado", lang),) * 2, illustrative=False)
    if fv.zero_swing_text(model, lang):
        page.para(fv.zero_swing_text(model, lang))

# %%
page.heading(t("funds.h_plan_figures", lang), anchor="plan-figures")
page.table(fv.plan_figures_display(model, lang), caption=(t("funds.cap_plan_figures", lang),) * 2, illustrative=False)
if model.has_leverage:
    page.heading(t("funds.h_assumptions", lang), anchor="assumptions")

# %% [markdown] tags=["zh"]
# {% if leverage %}下表列出{{ scenario_word }}的全部假设，注明理由或来源，以及它补足的计划条款。标为“假设”的数字不是计划的内容。{% endif %}

# %% [markdown] tags=["en"]
# {% if leverage %}Every assumption of {{ scenario_word }}, with its rationale or source and the section of the plan it
# fills in. Figures marked “assumption” are not facts of the plan.{% endif %}

# %%
if model.has_leverage:
    page.table(fv.assumptions_display(model, lang), caption=(t("funds.cap_assumptions", lang),) * 2,
               illustrative=False)
    page.heading(t("funds.h_method", lang), anchor="method")

# %% [markdown] tags=["zh"]
# {% if leverage %}
# - 到达企业的资金是各工具可支持的总量（毛额），不扣除即使没有财政支持也会发生的投资或贷款（无谓损失），不等于新增资金。
# - 各工具相加假定它们支持不同的贷款和企业；同一笔贷款同时获得担保、风险补偿和贴息时，合计为上限。
# - 贷款能力为某一时点的余额；基金和贷款在计划期内周转会使累计发放额更高，本报告未计周转（偏保守）。
# - 分类基金按财政占比估算规模，其资金的多次周转（如转贷）未计入。
# - 情景文件：{{ scenario_file }}；比例基数：{{ basis_label }}，敏感性分析使用该基数。{% endif %}

# %% [markdown] tags=["en"]
# {% if leverage %}- Capital reaching enterprises is what each instrument can support (gross), not net of investment or
#   lending that would have happened anyway (deadweight): it is not additional money.
# - Adding the instruments assumes they reach different loans and firms; where one loan is guaranteed, covered by the
#   pool and subsidised at once, the total is an upper bound.
# - Lending capacities are outstanding amounts at a point in time; revolving funds and loans over the period would
#   give higher cumulative flows, not counted here (conservative).
# - Sector funds are sized from their public share; money they lend out more than once (bridge loans, for example)
#   is not counted again.
# - Scenario file: {{ scenario_file }}; ratio basis: {{ basis_label }}, used by the sensitivity analysis.{% endif %}

# %%
ttab.write_for_notebook(ttab.funds.fund_tables(model), processed_dir)
page.record()
