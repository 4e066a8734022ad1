"""Interactive runs never write into the pipeline's outputs (issue 19 §4): a notebook run top to bottom
with its defaults, as in JupyterLab (nbclient and the project kernel, no runner, no papermill), leaves
data/processed/ and reports/ byte for byte and mtime for mtime as they were, writes its tables to the
scratch folder and says where; and those tables are the ones the runner publishes."""
from __future__ import annotations

import pytest

from conftest import NOTEBOOKS, ROOT, notebook_text

pytestmark = pytest.mark.e2e


def _snapshot(*folders):
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for f in folders if f.exists() for p in f.rglob("*")
            if p.is_file()}


def test_run_all_with_the_defaults_writes_only_to_scratch_and_reproduces_the_published_tables():
    import nbformat
    from nbclient import NotebookClient

    from twocreate import config, tables
    from twocreate.build.kernels import KERNEL_NAME, ensure_kernel
    ensure_kernel()
    where = config.paths(ROOT)
    before = _snapshot(where.processed, where.reports)
    assert before, "data/processed holds at least its README"
    scratch = tables.scratch_dir()
    nb = nbformat.read(NOTEBOOKS / "01_progress.ipynb", as_version=4)
    NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=600, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    assert _snapshot(where.processed, where.reports) == before  # not one file added, changed or touched
    assert f"scratch folder {scratch}" in notebook_text(nb)  # it says where its tables went
    # Run All's defaults are `make reports`' (the plan's outturns, its target year): the published tables
    golden = ROOT / "tests" / "data" / "golden_2016_processed"
    for name in ("progress_370100_2018.csv", "milestones_370100_2018.csv", "plan_consistency_audit.csv"):
        assert (scratch / name).read_bytes() == (golden / name).read_bytes(), name
