"""One home for paths: twocreate.config finds the project root (TWOCREATE_HOME, else the nearest
folder upwards holding data/raw/plans/, else the source checkout), and no other module builds a
project path."""
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from twocreate import config


def test_root_from_the_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(config.ENV, str(tmp_path))
    p = config.paths()
    assert p.root == tmp_path.resolve()
    assert p.plans == tmp_path / "data" / "raw" / "plans" and p.scratch == tmp_path / "data" / "scratch"
    assert p.processed == tmp_path / "data" / "processed" and p.reports == tmp_path / "reports"


def test_root_is_the_nearest_folder_upwards_holding_plans(tmp_path, monkeypatch):
    monkeypatch.delenv(config.ENV, raising=False)
    (tmp_path / "data" / "raw" / "plans").mkdir(parents=True)
    deep = tmp_path / "notebooks" / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert config.paths().root == tmp_path.resolve()
    # asked again from elsewhere: found again (paths are looked up when used, never frozen at import)
    monkeypatch.chdir(ROOT / "notebooks")
    assert config.paths().root == ROOT


def test_root_falls_back_to_the_source_checkout(tmp_path, monkeypatch):
    monkeypatch.delenv(config.ENV, raising=False)
    monkeypatch.chdir(tmp_path)  # no data/raw/plans/ above a temporary folder
    assert config.paths().root == config.CHECKOUT == ROOT


def test_former_constants_follow_the_root(tmp_path, monkeypatch):
    """Notebooks still write ``from twocreate.io import DATA_PROCESSED``: resolved when used."""
    monkeypatch.setenv(config.ENV, str(tmp_path))
    from twocreate.io import DATA_PROCESSED
    from twocreate.plan import PLAN_DIR
    assert DATA_PROCESSED == tmp_path / "data" / "processed"
    assert PLAN_DIR.parent == tmp_path / "data" / "raw" / "plans"


@pytest.mark.slow
def test_a_run_reads_the_project_it_was_started_for(tmp_path):
    """``twocreate list`` in a copy of the project lists the copy's notebooks, not the checkout's."""
    import shutil
    shutil.copytree(ROOT / "data" / "raw" / "plans", tmp_path / "data" / "raw" / "plans")
    shutil.copytree(ROOT / "data" / "raw" / "units", tmp_path / "data" / "raw" / "units")  # plans name their units
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "01_progress.ipynb", tmp_path / "notebooks" / "07_copy.ipynb")
    r = subprocess.run([sys.executable, "-m", "twocreate", "list"], capture_output=True, text=True, cwd=tmp_path,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert "notebook: notebooks/07_copy.ipynb" in r.stdout and "01_progress" not in r.stdout

    shutil.rmtree(tmp_path / "data" / "raw" / "units")  # a project without its units table: one line, exit 2
    r = subprocess.run([sys.executable, "-m", "twocreate", "list"], capture_output=True, text=True, cwd=tmp_path,
                       timeout=300)
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert "units table is missing" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


# a project path built outside config: the package's own location, or a literal project folder
PATH_BUILDING = re.compile(r"__file__|\.parents\[|/\s*[\"'](?:data|raw|processed|reports|notebooks|scratch|plans"
                           r"|observations)[\"']|[\"'](?:data|reports|notebooks)/")


def test_no_module_but_config_builds_a_project_path():
    offenders = []
    for path in sorted((ROOT / "twocreate").rglob("*.py")):
        if path.name == "config.py" and path.parent.name == "twocreate":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PATH_BUILDING.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_the_grep_sees_a_path_constant():
    for line in ('DATA_RAW = PROJECT_ROOT / "data" / "raw"', "ROOT = Path(__file__).resolve().parents[1]",
                 'p.add_argument("--out", default="data/processed/x.csv")'):
        assert PATH_BUILDING.search(line), line


def test_scratch_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "data/scratch/x.csv"], cwd=ROOT).returncode == 0
    assert ignored
    assert subprocess.run(["git", "check-ignore", "-q", "twocreate/build/jobs.py"], cwd=ROOT).returncode == 1
