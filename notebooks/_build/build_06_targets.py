"""Write notebooks/06_targets.ipynb (no outputs, stable cell ids). Run: python notebooks/_build/build_06_targets.py"""
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parents[1]

INTRO = """# Targets by kind (目标评估)

Run by `twocreate run` (papermill) or top to bottom in JupyterLab with the defaults below.
For any plan whose targets are not all growth from a base year (levels, shares, cumulative counts,
targets relative to a benchmark, qualitative ones): each target assessed by its kind and qualifier
with `twocreate.targets.assess_plan`; tables from `twocreate.views.targets`. Every title and lead
sentence comes from the plan's metadata (plan.toml). This cell is tagged `remove` and does not
appear in the exported report."""

PARAMS = '''year = None  # report year, outturns up to this year are assessed, None means the plan's target year
lang = "zh"  # report language, zh or en
plan_id = None  # plan id or plan folder, None means the default plan
observations = None  # outturn file, tidy or wide, CSV or Excel, None means the plan's shipped outturns
sheet = None  # sheet of a workbook outturn file, name or number, None means the first sheet
benchmarks = None  # outturn file holding the benchmark series of relative targets, None means not supplied
processed_dir = None  # folder for processed tables, None means data/processed'''

SETUP = '''from pathlib import Path

from twocreate import indicators as ti
from twocreate import observations as tobs
from twocreate.views import targets as tv
from twocreate import targets as tt
from twocreate.io import DATA_PROCESSED, write_csv
from twocreate.plan import load_plan
from twocreate.present import Page

plan = load_plan(plan_id)
year = int(year) if year is not None else plan.target_year
obs_path = Path(observations) if observations else tobs.plan_observations(plan)
obs = ti.outturns_up_to(tobs.read_observations(obs_path, plan, sheet=sheet), year)
bench = tobs.read_observations(Path(benchmarks), plan) if benchmarks else None
table = tt.assess_plan(plan, obs, year, plan.city_code, benchmarks=bench)
city = plan.area_name(plan.city_code, lang)
M = dict(city=plan.text("city", lang), short=plan.text("short_title", lang), title=plan.text("title", lang),
         doc=plan.meta["document_number"], issuer=plan.text("issuer", lang), subject=plan.text("subject", lang),
         start=plan.meta["period_start"], end=plan.meta["period_end"], target_year=plan.target_year, year=year,
         n=len(table), url=plan.meta.get("official_url") or "—")
page = Page(lang, plan=plan, illustrative=tobs.is_illustrative(obs) or (bench is not None and tobs.is_illustrative(bench)))
page.uses(*plan.files.values(), obs_path, *([Path(benchmarks)] if benchmarks else []))'''

TITLE = '''page.title("{city}{short}：目标评估（截至{year}年）", "{city} — {short}: targets assessed, to {year}", **M)
page.banner()
page.summary([
    (f"{plan.indicator_name(a['code'], lang)}：{tv.category_label(a, lang)}" if lang == "zh" else
     f"{plan.indicator_name(a['code'], lang)}: {tv.category_label(a, lang)}") for _, a in table.iterrows()])
page.p("依据{issuer}《{title}》（{doc}）的{n}项目标，按目标类型（水平、占比、累计、对标、定性）和限定词评估截至{year}年的进展。"
       "计划期为{start}—{end}年，目标年为{target_year}年。",
       "This report follows the {n} targets of {title} ({doc}), issued by the {issuer}, and assesses each by its kind "
       "(level, share, cumulative count, relative to a benchmark, qualitative) and qualifier, with outturns up to "
       "{year}. The plan runs {start}–{end}; its target year is {target_year}.", **M)'''

TABLE = '''page.h2("目标评估总表", "Every target, by kind", anchor="targets")
page.table(tv.assessment_display(plan, table, lang),
           caption=("各项目标：类型、限定词、目标值、基数、最新实际值与评价", "Each target: kind, qualifier, target, "
                    "base, latest outturn and verdict"))
page.note("评价方法：先按限定词判断是否已实现（“以上”不低于目标；“左右”在目标±容差以内，占比默认±1个百分点；“以下”不高于目标；"
          "“力争/争取”按“以上”评价，属期望性目标）。未实现时计算进度比R：水平目标为实际年均增速÷所需年均增速；"
          "占比目标为实际年均百分点变化÷所需年均百分点变化；累计目标为实际年均数÷所需年均数；对标目标为差距的年均缩小÷所需年均缩小，"
          "未提供对标数据时无法评估。R≥0.95为进度正常，0.60≤R<0.95为需加快，0≤R<0.60为进展有限，R<0为倒退（欧盟统计局方法）。"
          "计划未给出基数时，以首个观测年份为基数，并在“说明”栏注明。",
          "Method: first, is the target met under its qualifier (at least: not below it; about: within a tolerance, "
          "±1 percentage point for shares unless the plan says otherwise; at most: not above it; strive: judged like at "
          "least, an aspiration)? If not, the progress ratio R: for levels, the compound annual growth achieved ÷ the "
          "growth required; for shares, the percentage-point change per year achieved ÷ the change required; for "
          "cumulative counts, the yearly count achieved ÷ the yearly count required; for a target relative to a "
          "benchmark, the gap closed per year ÷ the gap to close per year, not assessable without the benchmark. "
          "R ≥ 0.95 on track, 0.60 ≤ R < 0.95 acceleration needed, 0 ≤ R < 0.60 limited progress, R < 0 "
          "deterioration (Eurostat's method). Where the plan states no base, the first observed year is the base, "
          "as the Note column says.")'''

SCOPE = '''page.h2("计划文本与转录范围", "Plan text and what was transcribed", anchor="scope")
page.bullets([page.t(f"文号：{M['doc']}；发文机关：{plan.text('issuer', 'zh')}；成文日期：{plan.meta['issued']}。",
                     f"Document {M['doc']}, issued by the {plan.text('issuer', 'en')} on {plan.meta['issued']}."),
              page.t(f"官方网址：{M['url']}", f"Official URL: {M['url']}")]
             + [page.t(f"已转录：{s}", f"Transcribed: {s}") for s in plan.meta.get("transcribed", [])]
             + [page.t(f"未转录：{s}", f"Not transcribed: {s}") for s in plan.meta.get("not_transcribed", [])])
page.p("计划中没有的部分不生成报告：没有区县则无区县报告，没有资金安排则无资金报告，没有任务则无任务台账；索引页说明原因。",
       "What the plan folder lacks gets no report: no districts, no district reports; no funds, no fund report; no "
       "tasks, no task ledger. The index says why.")'''

DATA = '''page.h2("所用实际值", "Outturns used", anchor="data")
used = obs[obs["area_code"].astype(str) == plan.city_code].sort_values(["indicator", "year"])
shown = used.assign(indicator=used["indicator"].map(lambda c: plan.measure_name(c, lang)))[
    ["indicator", "year", "value", "unit", "status", "source"]]
shown.columns = (["指标", "年份", "数值", "单位", "状态", "来源"] if lang == "zh" else
                 ["Indicator", "Year", "Value", "Unit", "Status", "Source"])
page.table(shown, caption=(f"实际值：{obs_path.name}（只使用{year}年及以前的数据）",
                           f"Outturns: {obs_path.name} (figures up to {year} only)"))
out_dir = Path(processed_dir) if processed_dir else DATA_PROCESSED
write_csv(table, out_dir / f"target_assessment_{plan.id}_{year}.csv")
page.record(status=tv.status_line(table, lang), categories=tv.category_records(plan, table, lang),
            title=page.render("{short}目标评估（{city}，{year}年）", "Targets by kind: {short}, {city}, {year}", **M))'''


def build() -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python (twocreate)", "language": "python", "name": "twocreate"},
                   "language_info": {"name": "python"},
                   "twocreate": {"kind": "targets", "title": {"zh": "目标评估", "en": "Targets by kind"},
                                 "requires": ["targets"]}}
    cells = [nbformat.v4.new_markdown_cell(INTRO, metadata={"tags": ["remove"]}),
             nbformat.v4.new_code_cell(PARAMS, metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(src) for src in (SETUP, TITLE, TABLE, SCOPE, DATA)]
    for i, c in enumerate(cells):
        c["id"] = f"targets-{i:02d}"
    nb.cells = cells
    nbformat.write(nb, HERE / "06_targets.ipynb")


if __name__ == "__main__":
    build()
