"""The runner as a scheduler uses it: failure isolation, exit codes, validate, list."""
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from conftest import NOTEBOOKS, ROOT

pytestmark = pytest.mark.e2e  # every test here runs the command line (most of them the runner)

FLAKY = '''import os
from twocreate.present import Page
page = Page(lang)
page.title("测试报告", "Flaky test report")
page.h2("一", "One", anchor="one")
if os.environ.get("TWOCREATE_TEST_FAIL"):
    raise RuntimeError("deliberate failure for the test")
page.record()'''


def make_flaky(folder):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "twocreate", "display_name": "Python (twocreate)", "language": "python"},
                   "twocreate": {"kind": "flaky", "title": {"zh": "测试", "en": "Flaky"}}}
    nb.cells = [nbformat.v4.new_code_cell('year = 2018\nlang = "zh"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(FLAKY)]
    nbformat.write(nb, folder / "99_flaky.ipynb")


def run(args, env=None):
    import os
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", "twocreate", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=600, env=e)


def test_failing_notebook_is_isolated_and_never_replaces_a_good_report(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    shutil.copy(NOTEBOOKS / "01_progress.ipynb", nbs)
    make_flaky(nbs)
    out = tmp_path / "reports"
    ok = run(["run", "--notebooks", str(nbs), "--out", str(out), "--lang", "en", "--jobs", "2"])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    good = (out / "2018" / "en" / "flaky.html").read_bytes()
    traj_before = (out / "2018" / "en" / "progress.html").stat().st_mtime_ns

    # an environment variable is no input the build cache can see: --force rebuilds both
    bad = run(["run", "--notebooks", str(nbs), "--out", str(out), "--lang", "en", "--jobs", "2", "--force"],
              env={"TWOCREATE_TEST_FAIL": "1"})
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "flaky en 2018" in bad.stderr and "failed" in bad.stderr
    assert "FAILED  flaky en 2018" in bad.stdout and "deliberate failure" in bad.stdout
    assert "1 built, 0 up to date, 1 failed" in bad.stdout
    # the other report was rebuilt, the failed one kept its previous good HTML
    assert (out / "2018" / "en" / "progress.html").stat().st_mtime_ns > traj_before
    assert (out / "2018" / "en" / "flaky.html").read_bytes() == good
    failed = out / "_failed" / "2018" / "en" / "flaky.ipynb"
    nb = nbformat.read(failed, as_version=4)
    assert "deliberate failure" in json.dumps(nb)  # the failing cell and its traceback are kept
    assert list((out / "_logs").glob("run-*.log"))
    assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*.tmp"))


def test_usage_errors_exit_2(tmp_path):
    assert run(["run", "--only", "nonesuch", "--out", str(tmp_path)]).returncode == 2
    assert run(["run", "--lang", "fr"]).returncode == 2
    assert run(["frobnicate"]).returncode == 2
    r = run(["run", "--year", "2031", "--out", str(tmp_path)])
    assert r.returncode == 2 and "--year 2031" in r.stderr
    # nothing written but the run lock (a hidden file naming the last run that held the folder; it stays,
    # as a flock lock file must, so that two runs never lock two different files)
    assert [p.name for p in tmp_path.iterdir()] in ([], [".twocreate-run.lock"])


def test_validate_lists_every_problem(tmp_path):
    p = tmp_path / "o.csv"
    p.write_text("indicator,area_code,year,value,unit,status,source\n"
                 "revenue,370100,2016,abc,万元,estimate,x\n"
                 "patents,370100,2031,5,项,estimate,x\n"
                 "patents,370100,2017,5,项,rumour,x\n", encoding="gb18030")
    r = run(["validate", str(p)])
    assert r.returncode == 2
    lines = [ln for ln in r.stderr.splitlines() if ", row " in ln and "o.csv" in ln]
    assert len(lines) == 3 and "row 2" in lines[0] and "row 3" in lines[1] and "row 4" in lines[2]
    assert "3 problem(s) in 3 row(s)" in r.stderr
    ok = run(["validate", str(ROOT / "data" / "raw" / "observations" / "illustrative_outturns.csv")])
    assert ok.returncode == 0 and "layout tidy" in ok.stdout and "155 value(s) read" in ok.stdout


def test_list_shows_parameters():
    r = run(["list"])
    assert r.returncode == 0
    # the report year defaults to the plan's target year (None in the notebook: read from the plan)
    assert "progress" in r.stdout and "--year = None" in r.stdout and "--observations = None" in r.stdout


def test_python_dash_m_and_console_script_agree():
    """The ``twocreate`` command installed beside this Python and ``python -m twocreate`` are the same
    program (the console script is part of the install: its absence is a failure, not a skip)."""
    from pathlib import Path
    exe = Path(sys.executable).parent / "twocreate"
    assert exe.is_file(), f"no console script {exe}: is the project installed (make venv)?"
    script = subprocess.run([str(exe), "list"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    module = run(["list"])
    assert script.returncode == module.returncode == 0, script.stderr + module.stderr
    assert "progress" in script.stdout and script.stdout == module.stdout


def test_reports_run_on_a_table_built_from_a_register(tmp_path):
    """Issue 6's promise: register → indicator table (one command) → the reports run on it unchanged."""
    from twocreate.synthetic import synthetic_register, write_register
    reg = tmp_path / "register.csv"
    write_register(synthetic_register(2015, scale=0.02), reg)
    table = tmp_path / "indicators.csv"
    r = run(["register", str(reg), "--out", str(table)])
    assert r.returncode == 0, r.stderr
    out = tmp_path / "reports"
    r = run(["run", "--only", "progress", "district_profile", "--areas", "370103", "--lang", "en",
             "--observations", str(table), "--out", str(out), "--processed", str(tmp_path / "p")])
    assert r.returncode == 0, r.stdout + r.stderr
    html = (out / "2018" / "en" / "progress.html").read_text(encoding="utf-8")
    assert "SYNTHETIC" in html and "ILLUSTRATIVE" in html.upper()


def test_validate_other_inputs(tmp_path):
    reg = tmp_path / "reg.csv"
    reg.write_text("firm_id,year,area_code,industry,employees,revenue\n"
                   "a,2016,370102,C3670,10,100\n"
                   "b,2016,370102,Z9999,-3,100\n", encoding="gb18030")
    r = run(["validate", str(reg)])
    assert r.returncode == 2 and "reg.csv" in r.stderr
    sc = tmp_path / "scenario.csv"
    text = (ROOT / "data" / "raw" / "funds" / "default_scenario.csv").read_text(encoding="utf-8")
    sc.write_text(text, encoding="utf-8")
    assert run(["validate", str(sc)]).returncode == 0
    lines = text.splitlines()
    bad_line = next(i for i, ln in enumerate(lines) if ",split," in ln or ln.split(",")[1:2] == ["split"])
    cells = lines[bad_line].split(",")
    cells[4] = "-1"
    lines[bad_line] = ",".join(cells)
    sc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run(["validate", str(sc)])
    assert r.returncode == 2 and "scenario.csv" in r.stderr
