"""docs/plans.md is enough to add a plan: its example blocks, written to a folder as they stand, make
a valid plan (six targets: growth with milestones and no stated base, a level with yearly values, two
cumulative flows with a cumulative %) whose progress report builds for every year in both languages,
and the figures the document works out by hand are the report's."""
import html
import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

DOC = ROOT / "docs" / "plans.md"
PID = "example-2021-innovation"


def _other_plans() -> dict[str, str]:
    from test_no_plan_in_code import plan_words
    return {w: why for w, why in plan_words().items() if not w.isdigit() or len(w) == 6}


OTHER_PLANS = _other_plans()


def visible_text(page: str) -> str:
    """What a reader sees: tags, styles and embedded data (images, fonts) removed."""
    import html as _html
    page = re.sub(r"<style.*?</style>|<script.*?</script>", " ", page, flags=re.S)
    page = re.sub(r"data:[a-z/+.-]+;base64,[A-Za-z0-9+/=]+", " ", page)
    return _html.unescape(re.sub(r"<[^>]+>", " ", page))


def example_files() -> dict[str, str]:
    """The ``file="…"`` code blocks of docs/plans.md."""
    text = DOC.read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r'```\w+ file="([^"]+)"\n(.*?)```', text, flags=re.S)}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("docplan")
    files = example_files()
    assert {"plan.toml", "indicators.csv", "subtargets.csv", "areas.csv", "outturns.csv"} <= set(files)
    plan_dir = tmp / PID
    plan_dir.mkdir()
    for name in ("plan.toml", "indicators.csv", "subtargets.csv", "areas.csv"):
        (plan_dir / name).write_text(files[name], encoding="utf-8")
    (tmp / "outturns.csv").write_text(files["outturns.csv"], encoding="utf-8")

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "twocreate", *args], capture_output=True, text=True,
                              cwd=tmp, timeout=900)

    v = cli("validate", str(plan_dir), "--kind", "plan")
    assert v.returncode == 0, v.stdout + v.stderr
    out = tmp / "reports"
    r = cli("run", "--plan", str(plan_dir), "--observations", str(tmp / "outturns.csv"), "--year", "all",
            "--out", str(out), "--processed", str(tmp / "processed"))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return tmp, out


def test_the_documents_plan_builds_its_progress_report_every_year_in_both_languages(built):
    tmp, out = built
    for year in (2021, 2022, 2023):
        for lang in ("zh", "en"):
            page = (out / PID / str(year) / lang / "progress.html").read_text(encoding="utf-8")
            assert ("示例市" if lang == "zh" else "Example City") in page and "示例政办发〔2021〕7号" in page
            text = visible_text(page)
            leaked = sorted(w for w in OTHER_PLANS if w in text)
            assert leaked == [], (year, lang, leaked[:10])
            for y in ("2015年", "2016年", "2018年", "2024年", "2027年"):  # another plan's years
                assert y not in text, (year, lang, y)
    index = (out / "index.en.html").read_text(encoding="utf-8")
    assert "Example City's three-year work plan" in html.unescape(index) and "&amp;" not in index
    assert "the plan names no district" in index and "tasks section was not transcribed" in index


def test_the_documents_hand_worked_figures_are_the_reports(built):
    tmp, _ = built
    t = pd.read_csv(tmp / "processed" / f"{PID}_progress_990100_2022.csv").set_index("code")
    rev = t.loc["sf_revenue"]
    assert rev["ratio"] == pytest.approx(((1180 / 1000) ** 0.5 - 1) / (1.45 ** (1 / 3) - 1), abs=1e-6)
    assert round(rev["ratio"], 3) == 0.654 and rev["verdict"] == "acceleration_needed"
    assert rev["milestone_completion"] == pytest.approx(1180 / 1300, abs=1e-6)
    assert rev["needed"] == pytest.approx(1450 / 1180 - 1, abs=1e-6)
    tech = t.loc["sf_tech_deals"]
    assert tech["base_source"] == "implied" and tech["base_value"] == pytest.approx(200000)
    assert round(tech["ratio"], 3) == 1.204 and tech["verdict"] == "on_track"
    assert t.loc["sf_hightech", "verdict"] == "reached_early"
    ent = t.loc["sf_new_entities"]
    assert ent["ratio"] == pytest.approx(7.8 / 8.5, abs=1e-6) and ent["base_value"] == pytest.approx(45)
    assert ent["growth_since_base"] == pytest.approx(7.8 / 45, abs=1e-6)
    f = pd.read_csv(tmp / "processed" / f"{PID}_progress_990100_2023.csv").set_index("code")
    assert f.loc["sf_revenue", "verdict"] == "not_achieved" and f.loc["sf_revenue", "gap"] == pytest.approx(30)
    assert f.loc["sf_revenue", "completion"] == pytest.approx(1420 / 1450, abs=1e-6)
    assert f.loc["sf_hightech", "verdict"] == "achieved" and f.loc["sf_new_jobs", "verdict"] == "achieved"
    assert f.loc["sf_new_entities", "verdict"] == "not_achieved" and f.loc["sf_new_entities", "gap"] == pytest.approx(0.1)
