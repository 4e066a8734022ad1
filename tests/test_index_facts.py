"""What the index shows of each report (title, status line, indicator categories, task counts, fund
execution) comes from data the build holds: the library computes it from the plan and the report's
parameters (twocreate.build.facts), no notebook output record says it (issue 21 §2)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def specs():
    """The report notebooks (papermill reads their parameters once for the module)."""
    from twocreate.build.jobs import discover
    return discover()


def _jobs(specs, kind: str, year: int, lang: str, plan=None, **params):
    from twocreate.build.jobs import plan_jobs
    from twocreate.plan import load_plan
    plan = plan if plan is not None else load_plan()
    jobs = plan_jobs([s for s in specs if s.kind == kind], year, [lang], ROOT / "reports", None, plan=plan)
    for j in jobs:
        j.parameters.update(params)
    return jobs


def _facts(specs, kind, year, lang, **params):
    from twocreate.build.facts import report_facts
    return report_facts(_jobs(specs, kind, year, lang, **params)[0])


def test_progress_facts_are_the_verdicts_of_the_assessment(plan, specs):
    from twocreate import tables
    from twocreate.views import progress as pv
    f = _facts(specs, "progress", 2017, "zh")
    table = tables.from_parameters("progress", {"year": 2017}, plan=plan).role("progress")
    assert f["status"] == pv.status_line(plan, table, "zh") and f["status"]
    assert [c["code"] for c in f["categories"]] == list(plan.indicator_codes) and len(f["categories"]) == 4
    assert {c["category"] for c in f["categories"]} <= {"achieved", "not_achieved", "reached_early", "on_track",
                                                        "acceleration_needed", "limited_progress", "deterioration",
                                                        "not_assessable", "not_assessed"}
    assert "2017" in f["title"] and set(f) == {"title", "status", "categories"}


def test_task_counts_fund_execution_and_titles(plan, specs):
    from twocreate import districts as td
    tasks = _facts(specs, "tasks", 2018, "zh")
    assert tasks["tasks"] == {"met": 7, "behind": 4, "na": 0} and "7" in tasks["status"]
    funds = _facts(specs, "fund_leverage", 2018, "en")
    assert "CNY 14.7 billion" in funds["status"] and "95%" in funds["status"]
    assert funds["execution"]["rate"] == pytest.approx(28.6 / 30)
    assert _facts(specs, "fund_leverage", 2017, "zh")["execution"]["elapsed"] == pytest.approx(2 / 3)
    assert _facts(specs, "fund_leverage", 2017, "en", disbursements="")["execution"] is None
    first = td.district_codes(plan)[0]
    from twocreate.build.facts import report_facts
    profile = report_facts(next(j for j in _jobs(specs, "district_profile", 2018, "zh") if j.area_code == first))
    assert profile["title"] == f"{plan.area_name(first, 'zh')}概况（2018年）" and profile["status"]
    assert _facts(specs, "district_comparison", 2018, "en")["status"]


def test_a_year_is_computed_once_for_both_languages_and_every_profile(plan, specs, monkeypatch):
    from twocreate import tables
    from twocreate.build.facts import Memo, report_facts
    calls = []
    real = tables.from_parameters
    monkeypatch.setattr(tables, "from_parameters", lambda kind, p, plan=None: calls.append(kind) or real(kind, p, plan))
    memo = Memo()
    jobs = _jobs(specs, "district_comparison", 2017, "zh") + _jobs(specs, "district_comparison", 2017, "en")
    jobs += _jobs(specs, "district_profile", 2017, "zh")[:3] + _jobs(specs, "district_profile", 2017, "en")[:3]
    facts = [report_facts(j, memo) for j in jobs]
    assert calls == ["district_comparison"]  # one comparison serves the two languages and every district
    assert len({f["title"] for f in facts}) == len(facts)
    small = Memo(size=2)
    for k in range(5):
        small.get_or(k, lambda: k)
    assert list(small) == [3, 4]  # bounded: a long run keeps the most recent only


def test_a_report_kind_the_library_does_not_know_has_no_facts(tmp_path):
    from twocreate.build import facts, jobs
    spec = jobs.ReportSpec(tmp_path / "x.ipynb", "x", "gate", {"en": "X"}, None, {})
    assert facts.report_facts(jobs.Job(spec, 2018, "en", {}, tmp_path / "x.html", "x")) == {}


def _poisoned_notebooks(folder):
    """Copies of the progress and task notebooks: the first emits a record claiming other facts (as
    the notebooks did before), the second no record at all."""
    from twocreate.present import STATUS_MIME
    folder.mkdir()
    lie = {"status": "POISON", "title": "POISON", "inputs": [], "illustrative": True, "lang": "en",
           "categories": [{"code": "revenue", "name": "POISON", "category": "achieved", "label": "POISON",
                           "value": ""}], "tasks": {"met": 99, "behind": 0, "na": 0}}
    nb = json.loads((ROOT / "notebooks" / "01_progress.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "poison", "metadata": {}, "outputs": [],
                        "source": f"from IPython.display import display\ndisplay({{{STATUS_MIME!r}: {lie!r}}}, raw=True)"})
    (folder / "01_progress.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    nb = json.loads((ROOT / "notebooks" / "05_tasks.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["source"] = src.replace("page.record()", "pass")
    (folder / "05_tasks.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.e2e
def test_the_index_takes_no_fact_from_a_notebook_record(tmp_path, plan):
    from twocreate.build.facts import report_facts
    from twocreate.build.jobs import discover
    nbs = _poisoned_notebooks(tmp_path / "nbs")
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--notebooks", str(nbs), "--year", "2018",
                        "--lang", "en", "--out", str(out), "--processed", str(tmp_path / "processed")],
                       capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    manifest = {e["kind"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))}
    for kind in ("progress", "tasks"):
        want = report_facts(_jobs(discover(nbs), kind, 2018, "en")[0])
        got = {k: manifest[kind].get(k) for k in want}
        assert got == want, kind
    assert manifest["tasks"]["tasks"] == {"met": 7, "behind": 4, "na": 0}
    for page in (out / "manifest.json", out / "index.en.html", out / "2018" / "en" / "progress.html"):
        assert "POISON" not in page.read_text(encoding="utf-8"), page
