"""Incremental builds: a report is rebuilt exactly when something it depends on changed — its
notebook, its parameters, an input file it read, the twocreate source or the shaping package
versions — and a failed report is never cached as good. Correctness, not speed (speed is in
`make bench`)."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

AREA = "370102"
REPORTS = ["progress", "fund_leverage", "district_comparison", "district_profile", "tasks"]


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "twocreate", "run", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=1200)


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """One English build of each kind of report, from copies of the outturns, disbursements and the
    notebooks, so that the tests can change them without touching the repository."""
    d = tmp_path_factory.mktemp("inc")
    obs = d / "outturns.csv"
    shutil.copyfile(ROOT / "data/raw/observations/illustrative_outturns.csv", obs)
    disb = d / "disbursements.csv"
    shutil.copyfile(ROOT / "data/raw/funds/disbursements_example.csv", disb)
    nbs = d / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs, ignore=shutil.ignore_patterns("_build", ".ipynb_checkpoints"))
    args = ["--lang", "en", "--areas", AREA, "--observations", obs, "--disbursements", disb, "--notebooks", nbs,
            "--out", d / "reports", "--processed", d / "processed", "--only", *REPORTS]
    first = run(*args)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "5 built, 0 up to date, 0 failed" in first.stdout
    return {"dir": d, "obs": obs, "disb": disb, "nbs": nbs, "args": args, "out": d / "reports",
            "processed": d / "processed"}


def snapshot(*folders):
    """Every output file with its mtime and bytes; the run's log and its lock file (which names the run
    holding it, so every run writes it) are run state, not outputs."""
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for f in folders for p in f.rglob("*")
            if p.is_file() and "_logs" not in p.parts and p.name != ".twocreate-run.lock"}


def would_rebuild(build, *extra):
    proc = run(*build["args"], "--dry-run", *extra)
    assert proc.returncode == 0, proc.stderr
    names = set()
    for line in proc.stdout.splitlines():
        if line.startswith("rebuild"):
            names.add(line.split()[1].split("[")[0])
    return names, proc.stdout


def test_nothing_changed_rebuilds_nothing_and_rewrites_no_file(build):
    before = snapshot(build["out"], build["processed"])
    proc = run(*build["args"])
    assert proc.returncode == 0, proc.stderr
    assert "0 built, 5 up to date, 0 failed" in proc.stdout
    assert snapshot(build["out"], build["processed"]) == before
    assert would_rebuild(build)[0] == set()


def test_changed_outturns_rebuild_exactly_their_readers(build):
    text = build["obs"].read_text(encoding="utf-8")
    lines = text.splitlines()
    i = next(k for k, ln in enumerate(lines) if f",{AREA},2018," in ln and ln.startswith("patents"))
    cells = lines[i].split(",")
    cells[3] = str(int(float(cells[3])) + 1)
    build["obs"].write_text("\n".join(lines[:i] + [",".join(cells)] + lines[i + 1:]) + "\n", encoding="utf-8")
    names, out = would_rebuild(build)
    assert names == {"progress", "district_comparison", "district_profile", "tasks"}, out
    assert "input changed: " in out and "outturns.csv" in out
    fund = build["out"] / "2018/en/fund_leverage.html"
    mtime = fund.stat().st_mtime_ns
    proc = run(*build["args"])
    assert "4 built, 1 up to date, 0 failed" in proc.stdout, proc.stdout
    assert fund.stat().st_mtime_ns == mtime
    assert would_rebuild(build)[0] == set()


def test_changed_disbursements_rebuild_the_fund_and_task_reports(build):
    with build["disb"].open("a", encoding="utf-8") as fh:
        fh.write("")  # unchanged bytes: nothing to do
    assert would_rebuild(build)[0] == set()
    original = build["disb"].read_bytes()
    build["disb"].write_bytes(original.replace(b"\n", b"\r\n"))  # new bytes, same figures
    try:
        names, _ = would_rebuild(build)
        assert names == {"fund_leverage", "tasks"}
    finally:
        build["disb"].write_bytes(original)
    assert would_rebuild(build)[0] == set()


def test_changed_notebook_rebuilds_only_its_reports(build):
    nb = build["nbs"] / "03_district_comparison.ipynb"
    original = nb.read_bytes()
    data = json.loads(original)
    outputs_only = json.loads(json.dumps(data))
    for c in outputs_only["cells"]:
        c["execution_count"] = 7 if c["cell_type"] == "code" else c.get("execution_count")
    nb.write_text(json.dumps(outputs_only, ensure_ascii=False, indent=1), encoding="utf-8")
    assert "district_comparison" not in would_rebuild(build)[0]  # execution counts do not shape the report
    md = next(c for c in data["cells"] if c["cell_type"] == "markdown")
    md["source"] = ("".join(md["source"]) if isinstance(md["source"], list) else md["source"]) + "\n"
    nb.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    try:
        names, out = would_rebuild(build)
        assert names == {"district_comparison"} and "notebook changed" in out
    finally:
        nb.write_bytes(original)
    assert would_rebuild(build)[0] == set()


def test_parameters_and_force(build):
    names, out = would_rebuild(build, "--force")
    assert names == set(REPORTS) and "forced" in out
    other = [a if a != build["processed"] else build["dir"] / "elsewhere" for a in build["args"]]
    proc = run(*other, "--dry-run")
    assert "parameters changed" in proc.stdout  # another processed folder is another build


@pytest.mark.parametrize("kind,expected", [
    ("plan", set(REPORTS)),  # every report reads the plan
    ("district_targets", {"district_comparison", "district_profile"}),
    ("scenario", {"fund_leverage"}),
    ("edit_checks", {"progress", "district_comparison", "district_profile", "tasks"}),
])
def test_each_kind_of_input_invalidates_exactly_its_readers(build, kind, expected):
    """Repository inputs are not edited here: the cache entries are pointed at copies, the copy is
    changed, and the dry run must name exactly the reports that read that file."""
    from twocreate.build import cache
    target = {"plan": ROOT / "data/raw/plans/jinan-2016-twocreate/tasks.csv",
              "district_targets": ROOT / "data/raw/districts/targets_example.csv",
              "scenario": ROOT / "data/raw/funds/default_scenario.csv",
              "edit_checks": ROOT / "data/raw/checks/edit_checks.csv"}[kind]
    saved = (build["out"] / cache.CACHE_FILE).read_text(encoding="utf-8")
    copy = build["dir"] / f"copy-{kind}{target.suffix}"
    shutil.copyfile(target, copy)
    try:
        entries = json.loads(saved)
        for e in entries.values():
            for f in e["inputs"]:
                if Path(f["path"]) == target.resolve():
                    f["path"] = str(copy)
        (build["out"] / cache.CACHE_FILE).write_text(json.dumps(entries), encoding="utf-8")
        assert would_rebuild(build)[0] == set()
        copy.write_text(copy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        names, _ = would_rebuild(build)
        assert names == expected
    finally:
        (build["out"] / cache.CACHE_FILE).write_text(saved, encoding="utf-8")


def test_changed_library_source_rebuilds_everything(build, monkeypatch):
    from twocreate import build as tb
    from twocreate.build import cache
    from twocreate.build.provenance import package_versions
    specs = [s for s in tb.discover(build["nbs"]) if s.name in REPORTS]
    jobs = []
    for s in specs:
        jobs += tb.plan_jobs([s], 2018, ["en"], build["out"], build["obs"], areas=[AREA],
                               disbursements=build["disb"])
    versions = package_versions()
    _, plan = cache.build_plan(jobs, build["out"], build["processed"], versions)
    assert all(why is None for _, why in plan)
    monkeypatch.setattr(cache, "source_hash", lambda root=None: "changed")
    _, plan = cache.build_plan(jobs, build["out"], build["processed"], versions)
    assert {why for _, why in plan} == {"twocreate source changed"}
    _, plan = cache.build_plan(jobs, build["out"], build["processed"], dict(versions, pandas="0.0"))
    assert {why for _, why in plan} == {"twocreate source changed"}
    monkeypatch.undo()
    _, plan = cache.build_plan(jobs, build["out"], build["processed"], dict(versions, pandas="0.0"))
    assert {why for _, why in plan} == {"package versions changed"}


def test_missing_outputs_are_rebuilt(build):
    victim = next(build["processed"].rglob("fund_*.csv"))
    victim.unlink()
    names, out = would_rebuild(build)
    assert names == {"fund_leverage"} and "processed table missing" in out
    (build["out"] / "2018/en/tasks.html").unlink()
    assert would_rebuild(build)[0] == {"fund_leverage", "tasks"}


def test_a_table_edited_outside_a_run_is_rebuilt_and_dry_run_says_why(build):
    """The cache holds each processed table's SHA-256 (issue 19 §4), not only that it exists."""
    assert run(*build["args"]).returncode == 0  # up to date, whatever the tests before changed
    assert would_rebuild(build)[0] == set()
    victim = build["processed"] / "task_ledger_2018.csv"
    victim.write_bytes(victim.read_bytes().replace(b"\n", b"\r\n", 1))
    names, out = would_rebuild(build)
    assert names == {"tasks"} and "processed table changed since it was built: task_ledger_2018.csv" in out, out
    proc = run(*build["args"])
    assert proc.returncode == 0 and "1 built, 4 up to date" in proc.stdout, proc.stdout + proc.stderr
    assert would_rebuild(build)[0] == set() and victim.read_bytes().count(b"\r\n") == 0


def test_a_failed_report_is_never_cached_as_good(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    src = json.loads((ROOT / "tests/data/gate_notebooks/01_gate.ipynb").read_text(encoding="utf-8"))
    src["cells"].append({"cell_type": "code", "execution_count": None, "id": "boom", "metadata": {}, "outputs": [],
                         "source": "raise RuntimeError('broken on purpose')"})
    (nbs / "01_broken.ipynb").write_text(json.dumps(src), encoding="utf-8")
    args = ["--notebooks", nbs, "--out", tmp_path / "r", "--processed", tmp_path / "p", "--lang", "en"]
    for _ in range(2):
        proc = run(*args)
        assert proc.returncode == 1 and "0 built, 0 up to date, 1 failed" in proc.stdout, proc.stdout


def _notebook(cells, name):
    nb = json.loads((ROOT / "tests/data/gate_notebooks/01_gate.ipynb").read_text(encoding="utf-8"))
    nb["cells"] = nb["cells"][:1] + [{"cell_type": "code", "execution_count": None, "id": f"c{k}", "metadata": {},
                                      "outputs": [], "source": src} for k, src in enumerate(cells)]
    nb["metadata"]["twocreate"] = {"kind": name, "title": {"zh": name, "en": name}}
    return nb


def test_every_notebook_gets_a_fresh_kernel(tmp_path):
    """With one worker the second notebook runs in the kernel started ahead while the first ran:
    it must see nothing of the first (no global, no environment change), and the warm-up must have
    bound no name. (Whether the warm kernel or a plainly started one served it, the answer must be
    the same: a warm kernel that does not answer in time is replaced, never waited on.)"""
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    first = _notebook(["import os\nLEAKED = 42\nos.environ['TWOCREATE_LEAK_TEST'] = 'x'"], "first")
    second = _notebook(["import sys\n"
                        "assert 'LEAKED' not in globals(), 'a global of the previous notebook leaked'\n"
                        "assert '_twocreate_warm' not in globals() and 'pandas' not in globals()\n"
                        "import os\nassert 'TWOCREATE_LEAK_TEST' not in os.environ"], "second")
    (nbs / "01_first.ipynb").write_text(json.dumps(first), encoding="utf-8")
    (nbs / "02_second.ipynb").write_text(json.dumps(second), encoding="utf-8")
    proc = run("--notebooks", nbs, "--out", tmp_path / "r", "--processed", tmp_path / "p", "--lang", "en",
               "--jobs", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 built, 0 up to date, 0 failed" in proc.stdout


def test_a_warm_kernel_that_does_not_answer_is_replaced_not_waited_on(tmp_path):
    """No warm-up reply within the wait: the job falls back to a kernel papermill starts itself."""
    from twocreate import build
    from twocreate.build.kernels import WarmKernels
    kernels = WarmKernels(wait=0)
    spec = next(s for s in build.discover(ROOT / "tests" / "data" / "gate_notebooks"))
    (job,) = build.plan_jobs([spec], 2018, ["en"], tmp_path / "r", None)
    r = build.run_job(job, out_dir=tmp_path / "r", commit="test", versions={}, generated="now",
                      processed_dir=tmp_path / "p", kernels=kernels)
    assert r.ok, r.error
    assert job.out_html.exists() and (tmp_path / "p" / "gate_en.csv").exists()
    assert kernels.spare == {}  # the kernel that did not answer was shut down, not kept


def test_disbursements_none_reaches_the_fund_notebook_as_no_file(tmp_path):
    """``--disbursements none`` is passed as "" (the notebook's "no file"), a file as its absolute path,
    and nothing at all leaves the notebook's default (the plan's own file)."""
    from twocreate import build
    spec = next(s for s in build.discover(ROOT / "notebooks") if "disbursements" in s.parameters)
    none, = build.plan_jobs([spec], 2018, ["en"], tmp_path, None, disbursements="")
    assert none.parameters["disbursements"] == ""
    given, = build.plan_jobs([spec], 2018, ["en"], tmp_path, None, disbursements=Path("spent.csv"))
    assert given.parameters["disbursements"] == str(Path("spent.csv").resolve())
    default, = build.plan_jobs([spec], 2018, ["en"], tmp_path, None)
    assert "disbursements" not in default.parameters
