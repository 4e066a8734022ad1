"""Shared fixtures: paths, the plan, and executing a report notebook with papermill."""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

# Charts must never fall back to empty boxes: matplotlib's "Glyph … missing" warning is an
# error in the tests and (through this variable, inherited by the kernels) in the notebooks.
os.environ["TWOCREATE_STRICT_GLYPHS"] = "1"
os.environ.setdefault("MPLBACKEND", "Agg")
warnings.filterwarnings("error", message=r"Glyph .* missing", category=UserWarning)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="session")
def plan():
    from twocreate.plan import load_plan
    return load_plan()


@pytest.fixture(scope="session")
def obs(plan):
    from twocreate.observations import read_observations
    return read_observations(plan=plan)


def execute_notebook(name: str, tmp_path: Path, **parameters):
    """Execute ``notebooks/<name>`` with papermill into ``tmp_path``; processed tables go there too.

    Returns the executed notebook (nbformat node). Raises papermill's error on a failing cell.
    """
    import papermill

    if not RUNNING["e2e"]:
        raise AssertionError(f"{RUNNING['test']} executes {name}: mark it @pytest.mark.e2e (make test-fast "
                             f"leaves the notebooks to make test)")
    from twocreate.build.html import read_record
    from twocreate.build.kernels import KERNEL_NAME, ensure_kernel
    ensure_kernel()
    params = dict(parameters)
    params.setdefault("processed_dir", str(tmp_path / "processed"))
    nb = papermill.execute_notebook(str(NOTEBOOKS / name), str(tmp_path / name), parameters=params,
                                    kernel_name=KERNEL_NAME, progress_bar=False, cwd=str(NOTEBOOKS))
    nb.metadata["twocreate_record"] = read_record(nb)
    return nb


def notebook_text(nb) -> str:
    """Every text output (html, plain, stream) of an executed notebook, joined."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"] if isinstance(out["text"], str) else "".join(out["text"]))
            for mime in ("text/html", "text/plain", "text/markdown"):
                v = out.get("data", {}).get(mime)
                if v:
                    parts.append(v if isinstance(v, str) else "".join(v))
    return "\n".join(parts)


def stderr_text(nb) -> str:
    return "\n".join(
        (o["text"] if isinstance(o["text"], str) else "".join(o["text"]))
        for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr")


PROFILE_AREA = "370102"  # 历下区: the one district profile the tests build


@pytest.fixture(scope="session")
def built_reports(tmp_path_factory):
    """Every report notebook, both editions (one district profile), built once by the runner
    (report year 2018, with the shipped ILLUSTRATIVE disbursements).

    Returns (reports folder, completed process); processed tables go to ``<reports>/../processed``."""
    import subprocess
    import sys
    out = tmp_path_factory.mktemp("reports")
    proc = subprocess.run([sys.executable, "-m", "twocreate", "run", "--out", str(out), "--areas", PROFILE_AREA,
                           "--disbursements", str(ROOT / "data" / "raw" / "funds" / "disbursements_example.csv"),
                           "--processed", str(out.parent / (out.name + "-processed"))],
                          capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out, proc


SECOND_PLAN = "jinan-2025-private-economy"


@pytest.fixture(scope="session")
def built_second_plan(tmp_path_factory):
    """The second shipped plan's reports (both editions, its target year, its own shipped inputs),
    built once: with ``built_reports``, every report kind of both plans. Returns the reports folder."""
    import subprocess
    import sys
    out = tmp_path_factory.mktemp("second-plan")
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--plan", SECOND_PLAN, "--out", str(out / "reports"),
                        "--processed", str(out / "processed"), "--no-progress"],
                       capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    return out / "reports"


# tests that build reports through these fixtures are end to end (and in a browser), whatever file
# they are in: make test-fast leaves them out without each test having to say so
FIXTURE_MARKS = {"built_reports": "e2e", "built_second_plan": "e2e", "browser": "browser"}


# the test running now and whether it is marked e2e, for execute_notebook's guard (a test that runs a
# notebook without the mark would slow the fast tier down unseen)
RUNNING = {"test": None, "e2e": True}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    RUNNING.update(test=item.nodeid, e2e=item.get_closest_marker("e2e") is not None)
    yield


def pytest_collection_modifyitems(config, items):
    for item in items:
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)

