"""docs/plans.md is enough to add a plan: its example blocks, written to a folder as they stand, make
a valid plan whose reports build, and the figures the document works out by hand are the report's."""
import html
import re
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

DOC = ROOT / "docs" / "plans.md"


def example_files() -> dict[str, str]:
    """The ``file="…"`` code blocks of docs/plans.md."""
    text = DOC.read_text(encoding="utf-8")
    return {m.group(1): m.group(2) for m in re.finditer(r'```\w+ file="([^"]+)"\n(.*?)```', text, flags=re.S)}


def test_minimal_plan_from_the_document_builds_reports(tmp_path):
    files = example_files()
    assert {"plan.toml", "indicators.csv", "areas.csv", "outturns.csv"} <= set(files)
    plan_dir = tmp_path / "example-plan"
    plan_dir.mkdir()
    for name in ("plan.toml", "indicators.csv", "areas.csv"):
        (plan_dir / name).write_text(files[name], encoding="utf-8")
    (tmp_path / "outturns.csv").write_text(files["outturns.csv"], encoding="utf-8")

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "twocreate", *args], capture_output=True, text=True,
                              cwd=tmp_path, timeout=600)

    v = cli("validate", str(plan_dir), "--kind", "plan")
    assert v.returncode == 0, v.stdout + v.stderr
    out = tmp_path / "reports"
    r = cli("run", "--plan", str(plan_dir), "--observations", str(tmp_path / "outturns.csv"), "--year", "2025",
            "--out", str(out), "--processed", str(tmp_path / "processed"))
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    for lang in ("zh", "en"):
        page = (out / "example-2025-demo" / "2025" / lang / "targets.html").read_text(encoding="utf-8")
        assert ("示例市" if lang == "zh" else "Example City") in page and "示例办发〔2025〕1号" in page
        assert "济南" not in page and "Jinan" not in page
    index = (out / "index.en.html").read_text(encoding="utf-8")
    assert "Example City's three-year action plan for SMEs" in html.unescape(index) and "&amp;" not in index
    assert "the plan names no district" in index and "tasks section was not transcribed" in index
    t = pd.read_csv(tmp_path / "processed" / "target_assessment_example-2025-demo_2025.csv").set_index("code")
    # the document's hand-worked figures
    assert t.loc["sme_count", "ratio"] == pytest.approx(0.08 / (1.2 ** (1 / 3) - 1))
    assert round(t.loc["sme_count", "ratio"], 2) == 1.28 and t.loc["sme_count", "category"] == "on_track"
    assert t.loc["sme_tax_share", "ratio"] == pytest.approx(2.0) and t.loc["sme_tax_share", "status"] == "not_achieved"
