"""A document to hand on (issue 18 §6): ``twocreate run --pdf`` writes a PDF beside each report with
headless Chromium; each prints with its title block (plan, report year, data as of, compiling office)
and its conclusion on page 1, no column squeezed to one character a line, and the appendix
(provenance, parameters) on pages of its own, left out with ``--no-appendix``."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PDFTOTEXT = shutil.which("pdftotext")
LABELS = {"zh": ("计划", "报告年份", "数据截至", "编制单位", "结论", "附录"),
          "en": ("Plan", "Report year", "Data as of", "Compiled by", "Conclusion", "Appendix")}
ONE_CHAR_LINES = re.compile(r"^\s*[\u4e00-\u9fff]\s*$", re.M)


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


def _export(appendix: bool, office: str = "") -> str:
    from twocreate.build.html import export_html
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<h2 id=\"a\">It&#x27;s here</h2>"})]
    nb.cells = [cell]
    prov = {"generated": "2026-01-01", "parameters": {"year": None, "processed_dir": "data/processed"},
            "inputs": [], "commit": "abc", "versions": {}}
    return export_html(nb, title="T", lang="en", prov=prov, illustrative=False,
                       titleblock={"plan": "Plan A", "year": 2018, "office": office}, appendix=appendix)


def test_the_title_block_the_appendix_switch_and_the_contents_escaped_once():
    page = _export(appendix=True)
    assert '<dl class="tc-titleblock">' in page and "<dd>Plan A</dd>" in page and "<dd>2018</dd>" in page
    assert 'class="tc-print-only"><dt>Compiled by</dt><dd></dd>' in page  # blank: a line to fill in, in print only
    assert 'class="tc-footer tc-appendix"' in page and "default (from the plan)" in page
    assert "<code>data/processed</code>" in page
    assert "It's here</a>" in page  # the contents escape the heading once (it was It&amp;#x27;s)
    assert "&amp;#x27;" not in page
    assert "<footer" not in _export(appendix=False)
    assert "<div><dt>Compiled by</dt><dd>Office B</dd></div>" in _export(True, office="Office B")


def test_without_chromium_pdf_says_so_in_one_line(tmp_path, monkeypatch):
    from twocreate.build import pdf
    monkeypatch.setenv("TWOCREATE_CHROMIUM", str(tmp_path / "no-such-browser"))
    lines = []
    assert pdf.write_pdfs([tmp_path / "x.html"], log=lines.append) == []
    assert len(lines) == 1 and "Chromium is not installed" in lines[0]


def test_run_documents_pdf_office_and_no_appendix():
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert "--pdf" in r.stdout and "--office" in r.stdout and "--no-appendix" in r.stdout


@pytest.mark.browser
@pytest.mark.skipif(PDFTOTEXT is None, reason="needs poppler-utils (pdftotext): .ci/run installs it")
def test_each_kind_prints_title_block_and_conclusion_first_and_the_appendix_apart(built_reports, tmp_path):
    from twocreate.build.pdf import find_chromium, write_pdfs
    if find_chromium() is None:
        pytest.skip("needs headless Chromium (.ci/run installs it)")
    out, _ = built_reports
    copy = tmp_path / "reports"
    shutil.copytree(out, copy)
    kinds = {}
    for e in json.loads((copy / "manifest.json").read_text(encoding="utf-8")):
        if not e.get("absent"):
            kinds.setdefault((e["kind"], e["lang"]), copy / e["path"])
    assert len(kinds) == 10, sorted(kinds)
    written = write_pdfs(sorted(kinds.values()), log=lambda s: None)
    assert len(written) == len(kinds)
    for (kind, lang), html_file in sorted(kinds.items()):
        pages = _pages(html_file.with_suffix(".pdf"))
        plan, year, as_of, office, conclusion, appendix = LABELS[lang]
        first = pages[0]
        for label in (plan, year, as_of, office, conclusion):
            assert label in first, f"{kind} {lang}: {label!r} not on page 1"
        squeezed = ONE_CHAR_LINES.findall("\f".join(pages))
        assert len(squeezed) <= 3, f"{kind} {lang}: a column one character wide: {len(squeezed)} lines"
        where = [i for i, p in enumerate(pages) if appendix in p]
        assert where, f"{kind} {lang}: no appendix"
        start = where[0]
        body = [ln for ln in pages[start].splitlines() if ln.strip()]
        assert appendix in "\n".join(body[:3]), f"{kind} {lang}: the appendix does not start its page"
        assert start > 0 and all(appendix not in p for p in pages[:start])
    assert (kinds[("progress", "zh")].with_suffix(".pdf")).stat().st_size > 10_000
