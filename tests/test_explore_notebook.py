"""notebooks/00_explore (issue 19 §6): the getting-started notebook runs top to bottom with the project
kernel, uses the short API, charts each step, shows Chinese without any set-up, and writes nothing
into the pipeline's outputs."""
from __future__ import annotations

import json
import os

import pytest

from conftest import NOTEBOOKS, ROOT

NB = NOTEBOOKS / "00_explore.ipynb"
API_CALLS = ("tc.load_plan", "tc.read_outturns", "tc.assess", "tc.compare_districts", "tc.fund_model", "tc.chart")


def _state(folder):
    """path → (size, mtime_ns, bytes) of every file under ``folder``."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_explore_uses_every_call_of_the_api_and_is_not_a_report():
    from twocreate.build.jobs import discover, is_report
    src = "".join("".join(c["source"]) for c in json.loads(NB.read_text(encoding="utf-8"))["cells"])
    for call in API_CALLS:
        assert call + "(" in src, call
    assert not is_report(NB) and "explore" not in [s.kind for s in discover()]


@pytest.mark.e2e
def test_explore_runs_charts_each_step_and_writes_nothing(tmp_path, monkeypatch):
    import papermill
    from twocreate.build.kernels import KERNEL_NAME, ensure_kernel
    ensure_kernel()
    # the backend a JupyterLab kernel has (the tests' Agg would show no figure), and no strict-glyph
    # filter from the environment: Chinese must show because of `import twocreate` alone
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.delenv("TWOCREATE_STRICT_GLYPHS", raising=False)
    monkeypatch.delenv("TWOCREATE_HOME", raising=False)
    watched = [ROOT / "data" / "processed", ROOT / "reports", ROOT / "data" / "raw", NOTEBOOKS]
    before = {str(f): _state(f) for f in watched}
    nb = papermill.execute_notebook(str(NB), str(tmp_path / NB.name), kernel_name=KERNEL_NAME, progress_bar=False,
                                    cwd=str(NOTEBOOKS))
    after = {str(f): _state(f) for f in watched}
    assert after == before, "00_explore wrote into the project's folders"
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "Glyph" not in stderr and "Traceback" not in stderr, stderr[-2000:]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 6, f"expected a chart for each step, got {len(images)}"
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    plain = [o["data"]["text/plain"] for o in outputs if "text/plain" in o.get("data", {})]
    assert any("twocreate-repr" in h for h in html)  # the plan, the assessment … as styled tables
    assert not any("IPython.core.display.HTML object" in p for p in plain)
    assert any(p.startswith("Plan ") for p in plain) and any(p.startswith("Assessment of ") for p in plain)
    text = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    assert "no such outturn file in the folder" in text and "project root" in text  # the path error, shown
    assert os.environ.get("MPLBACKEND") == "module://matplotlib_inline.backend_inline"
