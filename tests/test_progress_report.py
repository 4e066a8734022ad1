"""The progress notebook under papermill, and the report the runner exports."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, execute_notebook, notebook_text, stderr_text

pytestmark = pytest.mark.e2e

@pytest.fixture(scope="module")
def built(built_reports):
    return built_reports


def test_notebook_runs_and_states_the_audit(tmp_path):
    nb = execute_notebook("01_progress.ipynb", tmp_path, lang="en", year=2017)
    text = notebook_text(nb)
    assert "Glyph" not in stderr_text(nb)
    # the implied 2015 bases and the employment note's inconsistency (a note of the plan folder)
    assert "CNY 859 million" in text and "11,529 patents" in text
    assert "2015年小微企业新增就业人数" in text and "inconsistent" in text
    assert "ILLUSTRATIVE" in text.upper()
    processed = tmp_path / "processed"
    assert (processed / "progress_370100_2017.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    # the notebook says only what it read; the index's facts are the runner's (tests/test_index_facts.py)
    assert set(nb.metadata["twocreate_record"]) == {"inputs", "illustrative", "lang"}


def test_html_is_self_contained_and_readable(built):
    out, _ = built
    for lang in ("zh", "en"):
        html = (out / "2018" / lang / "progress.html").read_text(encoding="utf-8")
        assert not re.search(r"""<(script|link)[^>]+(src|href)=["']?https?://""", html), "fetches from the web"
        assert not re.search(r"url\(\s*['\"]?https?:|@import", html), "CSS fetches from the web"
        assert "require.js" not in html and "MathJax" not in html
        assert "<script" not in html
        assert "data:image/png;base64," in html
        assert "injected-parameters" not in html and "jp-InputArea-editor" not in html
        assert "import " not in html  # code hidden
        assert "sha256" in html.lower() or re.search(r"[0-9a-f]{64}", html)
        assert re.search(r"[0-9a-f]{64}", html), "input files with SHA-256 in the footer"
        assert len(html.encode()) < 2_000_000
    zh = (out / "2018" / "zh" / "progress.html").read_text(encoding="utf-8")
    assert "示例数据" in zh and "计划一致性核查" in zh and "市科技局" in zh
    en = (out / "2018" / "en" / "progress.html").read_text(encoding="utf-8")
    assert "Municipal Bureau of Science and Technology" in en


def test_index_lists_both_editions(built):
    out, _ = built
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2018/zh/progress.html" in index and "2018/en/progress.html" in index
    assert "Target not achieved" in index or "未实现目标" in index


def test_bad_observations_exit_2_and_reports_untouched(built, tmp_path):
    out, _ = built
    before = {p: p.read_bytes() for p in out.rglob("*.html")}
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,area_code,year,value,unit,status,source\nrevenue,370100,2017,12x,万元,estimate,x\n",
                   encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "twocreate", "run", "--observations", str(bad), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and "bad.csv" in err[0] and "row 2" in err[0] and "column 'value'" in err[0] and "'12x'" in err[0]
    assert {p: p.read_bytes() for p in out.rglob("*.html")} == before


def test_make_reports_with_malformed_file(tmp_path):
    """`make reports OBSERVATIONS=…` on a malformed file: non-zero exit, one-line error, reports/ untouched."""
    reports = ROOT / "reports"
    before = {p: p.stat().st_mtime_ns for p in reports.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator,area_code,year,value,unit,status,source\npatents,370100,2016,,项,estimate,x\n",
                   encoding="utf-8")
    proc = subprocess.run(["make", "--no-print-directory", "reports", f"OBSERVATIONS={bad}"], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert proc.returncode != 0
    assert "bad.csv, row 2, column 'value': blank: expected a number" in proc.stderr
    after = {p: p.stat().st_mtime_ns for p in reports.rglob("*") if p.is_file()}
    assert after == before
