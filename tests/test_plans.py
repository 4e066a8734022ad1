"""Plans as folders: the two shipped plans, load_plan(ID|DIR), validate --kind plan, the 2016 plan's
processed tables unchanged (golden copies built on the code before plans became folders)."""
import hashlib
import html
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT

GOLDEN = ROOT / "tests" / "data" / "golden_2016_processed"
P2025 = "jinan-2025-private-economy"


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "twocreate", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)


def test_default_plan_and_plan_dir_still_work():
    from twocreate.plan import DEFAULT_PLAN, PLAN_DIR, PLANS_DIR, load_plan, plan_ids
    assert PLAN_DIR == PLANS_DIR / DEFAULT_PLAN == PLANS_DIR / "jinan-2016-twocreate"
    a, b, c = load_plan(), load_plan(PLAN_DIR), load_plan(DEFAULT_PLAN)
    assert a.id == b.id == c.id == "jinan-2016-twocreate"
    assert (a.base_year, a.target_year, a.period) == (2015, 2018, [2016, 2017, 2018])
    assert set(a.indicators["target_kind"]) == {"growth"}  # the 2016 plan keeps kind growth
    assert a.meta["document_number"] == "济政办发〔2016〕28号" and a.meta["city_code"] == a.city_code == "370100"
    assert {"jinan-2016-twocreate", P2025} <= set(plan_ids())


def test_the_2025_plan_has_nine_targets_with_provenance_and_nothing_invented():
    from twocreate.plan import load_plan
    p = load_plan(P2025)
    ind = p.indicators.set_index("code")
    assert len(ind) == 9
    assert ind["target_kind"].value_counts().to_dict() == {"share": 5, "level": 2, "relative": 1, "cumulative": 1}
    assert ind.loc["private_tax_share", "target_value"] == 43.1
    assert ind.loc["private_investment_share", "qualifier"] == "about"
    assert ind.loc["private_quality_firms_cum", "target_value"] == 3600
    assert (ind["target_year"] == 2027).all()
    ref = (ROOT.parent / "shared" / "reference" / "jinan_private_economy_plan_2025_2027.md")
    text = ref.read_text(encoding="utf-8") if ref.exists() else None
    for code, r in ind.iterrows():
        assert r["section"].startswith("一 发展目标") and 0 < len(r["wording_zh"]) <= 60
        if text is not None:
            assert r["wording_zh"] in text, code  # every quote is the reference file's
    assert list(p.areas["role"]) == ["city"] and not p.has("districts")
    assert p.funds.empty and p.tasks.empty and p.subtargets.empty and p.baseline.empty
    assert p.meta["document_number"] == "济政办字〔2025〕24号" and p.meta["issued"] == "2025-10-01"
    assert p.meta["official_url"] == "http://www.jinan.gov.cn/art/2025/10/9/art_2615_5042549.html"
    assert any("二" in s for s in p.meta["not_transcribed"])


@pytest.mark.slow
def test_unknown_plan_is_bad_input():
    from twocreate import InputError
    from twocreate.plan import load_plan
    with pytest.raises(InputError, match="no such plan"):
        load_plan("no-such-plan")
    r = _cli("list", "--plan", "no-such-plan")
    assert r.returncode == 2 and "no such plan" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_validate_plan_folder_lists_every_problem(tmp_path):
    d = tmp_path / P2025  # the folder is named by the plan id
    shutil.copytree(ROOT / "data" / "raw" / "plans" / P2025, d)
    ind = pd.read_csv(d / "indicators.csv", dtype=str, keep_default_na=False)
    ind.loc[1, "target_kind"] = "ratio"          # unknown kind
    ind.loc[2, "qualifier"] = "more_or_less"     # unknown qualifier
    ind.loc[6, "target_value"] = ""              # a level without a number
    ind.loc[2, "denominator"] = "no_such_series"  # a denominator series.csv does not define
    ind.to_csv(d / "indicators.csv", index=False)
    toml = (d / "plan.toml").read_text(encoding="utf-8").replace('document_number = "济政办字〔2025〕24号"\n', "")
    (d / "plan.toml").write_text(toml, encoding="utf-8")
    r = _cli("validate", str(d), "--kind", "plan")
    assert r.returncode == 2, r.stdout + r.stderr
    for needle in ("'target_kind'", "value 'ratio'", "'qualifier'", "'target_value'", "'document_number'",
                   "value 'no_such_series'"):
        assert needle in r.stderr, (needle, r.stderr)
    assert "5 problem(s)" in r.stderr
    ok = _cli("validate", str(ROOT / "data" / "raw" / "plans" / P2025), "--kind", "plan")
    assert ok.returncode == 0 and "9 indicator(s)" in ok.stdout and "share 5" in ok.stdout


def test_a_missing_optional_table_is_empty_and_a_missing_required_one_is_named(tmp_path):
    from twocreate import InputError
    from twocreate.plan import load_plan
    d = tmp_path / "jinan-2016-twocreate"  # the folder is named by the plan id
    shutil.copytree(ROOT / "data" / "raw" / "plans" / "jinan-2016-twocreate", d)
    (d / "tasks.csv").unlink()
    p = load_plan(directory=d)
    assert p.tasks.empty and not p.has("tasks") and p.has("funds")
    (d / "areas.csv").unlink()
    with pytest.raises(InputError, match="areas.csv"):
        load_plan(d)


def test_assess_2025_by_kind_hand_worked(tmp_path):
    """Shipped illustrative outturns, to 2026 (a year before the target year 2027): tax share 42.0
    (2024) → 43.0 (2026) against 43.1 by 2027: (1.0/2)/(1.1/3) = 1.364, on track; investment 31.4
    against 32 左右 (±1 pp): reached early, not achieved; tech SMEs 7400 → 8500 against 9200: CAGR
    (8500/7400)^(1/2)-1 = 7.18% vs (9200/7400)^(1/3)-1 = 7.53%, R = 0.953 on track; quality firms
    1300 + 1100 against 3600 over 2025–2027: (2400/2)/(3600/3) = 1.0; value-added share: no benchmark,
    not assessable."""
    from twocreate import observations as tobs
    from twocreate.assess import assess
    from twocreate.plan import load_plan
    p = load_plan(P2025)
    obs = tobs.read_observations(tobs.plan_observations(p), p)
    t = assess(p, obs, 2026).table.set_index("code")
    tax = t.loc["private_tax_share"]
    assert tax["verdict"] == "on_track" and tax["base_source"] == "observed"
    assert tax["ratio"] == pytest.approx((1.0 / 2) / (1.1 / 3))
    assert t.loc["private_investment_share", "verdict"] == "reached_early"
    sme = t.loc["private_tech_sme_count"]
    g_act, g_req = (8500 / 7400) ** 0.5 - 1, (9200 / 7400) ** (1 / 3) - 1
    assert sme["ratio"] == pytest.approx(g_act / g_req, rel=1e-9) and sme["verdict"] == "on_track"
    q = t.loc["private_quality_firms_cum"]
    assert q["ratio"] == pytest.approx(1.0) and q["latest_value"] == 2400
    pat = t.loc["private_invention_patent_share"]  # from the numerator/denominator pair: 9800/20000 → 10934/22000
    assert pat["from_pair"] and pat["latest_value"] == pytest.approx(49.7)
    assert pat["ratio"] == pytest.approx((0.7 / 2) / (1.4 / 3)) and pat["verdict"] == "acceleration_needed"
    va = t.loc["private_va_share"]
    assert va["verdict"] == "not_assessable" and va["reason"] == "benchmark_missing"
    # with a benchmark series the relative target is assessed: 53.1 vs 53.0 in 2026 → reached early
    bench = pd.DataFrame({"indicator": "province_private_va_share", "area_code": "370100", "year": [2024, 2026],
                          "value": [53.0, 53.0]})
    t2 = assess(p, obs, 2026, benchmarks=bench).table.set_index("code")
    assert t2.loc["private_va_share", "verdict"] == "reached_early"
    # the benchmark in an outturn file, by its Chinese name: read by the intake like any series
    f = tmp_path / "bench.csv"
    f.write_text("指标,地区,年份,数值,单位\n全省平均水平,济南市,2024,53.5,%\n全省平均水平,济南市,2026,54.0,%\n",
                 encoding="utf-8")
    b = tobs.read_observations(f, p)
    t3 = assess(p, obs, 2026, benchmarks=b).table.set_index("code").loc["private_va_share"]
    # gap −1.5 pp (2024) → −0.9 pp (2026), to close by 2027: (0.6/2)/(1.5/3) = 0.6, acceleration needed
    assert t3["ratio"] == pytest.approx(0.6) and t3["verdict"] == "acceleration_needed"
    # the earliest year: only the base year and 2025 observed
    t25 = assess(p, obs, 2025).table.set_index("code")
    assert t25.loc["private_tax_share", "ratio"] == pytest.approx(0.5 / (1.1 / 3))
    # the 2016 plan's growth targets go through the same engine
    assert set(assess(load_plan(), pd.DataFrame(columns=obs.columns), 2018).table["verdict"]) == {"not_assessable"}


def _sha(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*.csv"))}


@pytest.mark.e2e
def test_2016_plan_processed_tables_are_byte_identical_to_before(tmp_path):
    """Every processed table of the default plan (all years, the shipped disbursements) equals the copy
    built on the code before plans became folders (tests/data/golden_2016_processed)."""
    out, processed = tmp_path / "reports", tmp_path / "processed"
    r = _cli("run", "--year", "all", "--lang", "zh", "--disbursements", "data/raw/funds/disbursements_example.csv",
             "--out", str(out), "--processed", str(processed))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    got = {k: v for k, v in _sha(processed).items()}
    want = _sha(GOLDEN)
    assert sorted(got) == sorted(want)
    assert {k for k in want if got[k] != want[k]} == set()


@pytest.mark.e2e
def test_the_2025_plan_builds_in_both_languages_with_every_target_and_the_illustrative_mark(tmp_path):
    out = tmp_path / "reports"
    r = _cli("run", "--plan", P2025, "--year", "all", "--out", str(out), "--processed", str(tmp_path / "p"))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    assert "district_comparison: not built" in r.stdout and "tasks: not built" in r.stdout
    from twocreate.plan import load_plan
    p = load_plan(P2025)
    for lang in ("zh", "en"):
        for year in (2025, 2026, 2027):
            page = html.unescape((out / P2025 / str(year) / lang / "progress.html").read_text(encoding="utf-8"))
            assert ("示例数据" if lang == "zh" else "Illustrative data") in page
            assert "济政办字〔2025〕24号" in page and "28号" not in page
            for code in p.indicator_codes:
                assert p.indicator_name(code, lang) in page, code
            kinds = ("占比", "水平", "累计", "对标") if lang == "zh" else ("share", "level", "cumulative",
                                                                       "relative to a benchmark")
            assert all(k in page for k in kinds)
            assert "左右" in page if lang == "zh" else "about" in page
        assert ("未提供对标数据" if lang == "zh" else "benchmark not supplied") in page
    zh = (out / "index.html").read_text(encoding="utf-8")
    assert "济南市促进民营经济发展壮大三年行动计划" in zh and "未生成的报告及原因" in zh
    assert "计划的任务部分未转录" in zh and "计划未列出区县" in zh
    assert 'id="jinan-2025-private-economy-glance"' in zh and zh.count('class="chip-link"') == 9  # nine chips
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"plan": "jinan-2025-private-economy"' in manifest


def test_index_groups_by_plan_newest_period_first_then_year():
    from twocreate.build import render_index
    e16 = {"path": "2018/zh/progress.html", "year": 2018, "lang": "zh", "name": "progress", "kind": "progress",
           "kind_title": {"zh": "指标进展", "en": "Trajectory"}, "generated": "2026-01-01", "plan": "jinan-2016-twocreate",
           "plan_title": {"zh": "计划甲", "en": "Plan A"}, "plan_sub": {"zh": "甲〔2016〕1号", "en": "A 1"}}
    e25 = dict(e16, path=f"{P2025}/2026/zh/progress.html", year=2026, name="progress", kind="progress",
               kind_title={"zh": "目标评估", "en": "Targets"}, plan=P2025, plan_title={"zh": "计划乙", "en": "Plan B"},
               plan_sub={"zh": "乙〔2025〕2号", "en": "B 2"})
    absent = dict(e25, path=f"absent:{P2025}:tasks", absent=True, name="tasks", year=0, lang="",
                  kind_title={"zh": "任务台账", "en": "Task ledger"}, reason={"zh": "没有任务", "en": "no tasks"})
    e16["plan_period"], e25["plan_period"], absent["plan_period"] = [2016, 2018], [2025, 2027], [2025, 2027]
    page = render_index([e16, absent, e25], "zh")
    # the list of plans, then each plan, newest period first
    assert page.index("计划乙") < page.index("计划甲") < page.index(f'id="plan-{P2025}"') \
        < page.index(f'id="{P2025}-y2026"') < page.index('id="plan-jinan-2016-twocreate"') < page.index('id="y2018"')
    assert "任务台账：没有任务" in page and page.index(f'id="plan-{P2025}"') < page.index("没有任务") \
        < page.index('id="plan-jinan-2016-twocreate"')
    single = render_index([e25, absent], "en")
    assert "<h1>Plan B<br><small>B 2</small></h1>" in single and "Task ledger: no tasks" in single


@pytest.mark.slow
def test_template_and_inputs_follow_the_plan(tmp_path):
    import openpyxl
    out = tmp_path / "t.xlsx"
    r = _cli("template", "--plan", P2025, "--out", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "济南市民营经济主要指标实际值填报表"
    names = {row[0] for row in rows[2:]}
    assert {"民营经济税收占全市比重", "全市有效发明专利拥有量", "全省民营经济增加值占比"} <= names  # series too
    ref = list(wb["计划目标"].iter_rows(values_only=True))
    assert any(row[5] == "43.1% (at_least, 2027)" for row in ref)
    # a file for a table the plan lacks is bad input, before anything runs
    bad = _cli("run", "--plan", P2025, "--disbursements", "data/raw/funds/disbursements_example.csv",
               "--out", str(tmp_path / "reports"))
    assert bad.returncode == 2 and "has no funds" in bad.stderr and not (tmp_path / "reports").exists()
