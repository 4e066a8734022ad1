"""The build as a package: discovery through papermill, the warm kernels as a papermill engine,
per-run state in objects, the index from a Jinja template, titles escaped once, every plan built."""
import html
import re
import signal
import subprocess
import sys

import pytest

from conftest import ROOT
from twocreate import build
from twocreate.build import index, jobs

P2025 = "jinan-2025-private-economy"
P2016 = "jinan-2016-twocreate"


def test_no_build_module_is_long_and_reports_py_is_gone():
    assert not (ROOT / "twocreate" / "reports.py").exists()
    sizes = {str(p.relative_to(ROOT)): len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "twocreate").rglob("*.py")}
    assert max(sizes.values()) <= 800, sorted(sizes.items(), key=lambda kv: -kv[1])[:3]
    assert (ROOT / "twocreate" / "templates" / "index" / "index.html.j2").is_file()
    assert (ROOT / "twocreate" / "templates" / "index" / "index.css").is_file()


def test_parameters_are_papermills_reading(tmp_path):
    """Discovery asks papermill (inspect_notebook) and keeps its answer by the notebook's SHA-256."""
    import papermill
    nb = ROOT / "notebooks" / "01_progress.ipynb"
    known = {}
    spec = next(s for s in build.discover(known=known) if s.path == nb)
    expected = {k: v["default"] for k, v in papermill.inspect_notebook(str(nb)).items()}
    assert list(spec.parameters) == list(expected)
    assert spec.parameters["year"] is None and expected["year"] == "None"  # the plan's target year
    assert spec.parameters["observations"] is None
    jobs.save_known(tmp_path, known)
    assert expected in jobs.load_known(tmp_path).values()
    assert not hasattr(build, "notebook_parameters") and not hasattr(jobs, "_literal")


@pytest.mark.slow
def test_a_run_with_nothing_to_build_does_not_import_papermill(tmp_path):
    """The no-op rebuild stays cheap: discovery reads papermill's answers from the cache."""
    code = ("import sys; from twocreate.build import jobs; k = jobs.load_known(sys.argv[1]); jobs.discover(known=k); "
            "jobs.save_known(sys.argv[1], k); print('papermill' in sys.modules, 'nbformat' in sys.modules)")
    first = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    again = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert first.stdout.split() == ["True", "True"] and again.stdout.split() == ["False", "False"], again.stderr


def test_warm_kernels_are_a_papermill_engine():
    from papermill.engines import papermill_engines

    from twocreate.build import kernels
    assert papermill_engines.get_engine(kernels.ENGINE) is kernels.WarmKernelEngine
    assert issubclass(kernels.WarmKernelEngine, __import__("papermill").engines.NBClientEngine)
    # the state of warm kernels belongs to an object per worker, not to the module
    assert not [k for k, v in vars(kernels).items() if isinstance(v, (dict, list, set)) and not k.startswith("__")]
    assert kernels.WarmKernels().spare == {} and kernels.WarmKernels().spare is not kernels.WarmKernels().spare


def test_signals_are_recorded_by_an_object():
    from twocreate.build import execute
    s = execute.Signals()
    with pytest.raises(KeyboardInterrupt), s.catching(signal.SIGUSR1):
        signal.raise_signal(signal.SIGUSR1)
    assert s.received == [signal.SIGUSR1]
    assert signal.getsignal(signal.SIGUSR1) is signal.SIG_DFL
    assert not hasattr(execute, "SIGNALLED") and not hasattr(execute, "_SPARE")


def test_a_report_title_is_escaped_once():
    """The library's title is plain text (a plan's quotes and brackets as written); the page escapes it once."""
    from twocreate.build.execute import report_title
    from twocreate.build.html import export_html
    import nbformat
    spec = jobs.ReportSpec(ROOT / "x.ipynb", "x", "x", {"en": "X"}, None, {})
    job = jobs.Job(spec, 2026, "en", {}, ROOT / "x.html", "x")
    assert report_title({}, job) == "X"  # a kind without facts: the notebook's own title
    title = report_title({"title": "Targets: \"Jinan's\" <plan> &amp;"}, job)
    assert title == "Targets: \"Jinan's\" <plan> &amp;"  # never unescaped: it is not HTML
    page = export_html(nbformat.v4.new_notebook(), title=title, lang="en", illustrative=False,
                       prov={"generated": "now", "parameters": {}, "inputs": [], "commit": "c", "versions": {}})
    shown = re.search(r"<title>(.*?)</title>", page).group(1)
    assert "&amp;amp;" in shown and "<plan>" not in shown and html.unescape(shown) == title


def _entry(plan, title, period, year, **kw):
    e = {"path": f"{plan}/{year}/zh/progress.html", "year": year, "lang": "zh", "name": "progress", "kind": "progress",
         "kind_title": {"zh": "目标评估", "en": "Targets"}, "generated": "2026-01-01", "plan": plan,
         "plan_title": {"zh": title, "en": title}, "plan_sub": {"zh": "号", "en": "No."}, "plan_period": period,
         "categories": [{"code": "a", "name": "甲", "category": "achieved", "label": "已实现"}]}
    return dict(e, **kw)


def test_index_lists_the_plans_newest_period_first_each_with_its_glance():
    old = _entry(P2016, "Jinan's old plan", [2016, 2018], 2018, path="2018/zh/progress.html")
    new = _entry(P2025, "Jinan's new plan", [2025, 2027], 2026)
    page = index.render_index([old, new], "zh")
    listing = page.split('<nav class="plans"')[1].split("</nav>")[0]
    assert listing.index(f'href="#plan-{P2025}"') < listing.index(f'href="#plan-{P2016}"')
    assert page.index(f'id="plan-{P2025}"') < page.index(f'id="{P2025}-glance"') < page.index(f'id="plan-{P2016}"') \
        < page.index('id="glance"')
    # a title with an apostrophe: escaped once, in the list and in the heading
    assert "&amp;" not in page and html.unescape(page).count("Jinan's new plan") == 2


@pytest.mark.slow
def test_plan_all_with_an_input_file_is_bad_input(tmp_path):
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--plan", "all", "--observations",
                        str(ROOT / "data/raw/observations/illustrative_outturns.csv"), "--out", str(tmp_path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 2 and "belongs to one plan" in r.stderr and "Traceback" not in r.stderr
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--plan", "all", "--year", "2031", "--out",
                        str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 2 and "--year 2031" in r.stderr and P2025 in r.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_plan_all_builds_every_plan_over_its_years(tmp_path):
    """``make reports`` (``--plan all --year all --disbursements plan``), as a dry run: every plan of
    data/raw/plans/, each over its own years; the fund reports get the plan's own disbursements."""
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--plan", "all", "--year", "all",
                        "--disbursements", "plan", "--dry-run", "--out", str(tmp_path / "r")],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    labels = [ln.split()[1:4] for ln in r.stdout.splitlines() if ln.startswith("rebuild")]
    years = {(name, int(y)) for name, _lang, y in labels}
    assert {("progress", 2025), ("progress", 2026), ("progress", 2027)} <= years
    assert {("progress", 2016), ("progress", 2017), ("progress", 2018), ("fund_leverage", 2018)} <= years
    from twocreate.build.execute import run
    from twocreate.plan import load_plan
    results = run(plan=[load_plan(P2016), load_plan(P2025)], years="all", langs=["en"], only=["fund_leverage"],
                  disbursements="plan", out_dir=tmp_path / "r", dry_run=True)
    assert {r.job.year for r in results} == {2016, 2017, 2018}  # the 2025 plan has no funds
    assert all(r.job.parameters["disbursements"].endswith("disbursements_example.csv") for r in results)


def test_make_reports_builds_every_plan_by_default():
    out = subprocess.run(["make", "-n", "reports"], capture_output=True, text=True, cwd=ROOT).stdout
    line = next(ln for ln in out.splitlines() if "twocreate run" in ln)
    assert "--plan all" in line and "--year all" in line and "--disbursements plan" in line
    one = subprocess.run(["make", "-n", "reports", f"PLAN={P2025}"], capture_output=True, text=True, cwd=ROOT).stdout
    assert f"--plan {P2025}" in one and "--disbursements plan" in one
    mine = subprocess.run(["make", "-n", "reports", "OBSERVATIONS=x.csv"], capture_output=True, text=True,
                          cwd=ROOT).stdout
    assert "--plan all" not in mine and "--observations x.csv" in mine
