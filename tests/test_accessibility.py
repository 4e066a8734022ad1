"""axe-core (Deque's accessibility engine, from the npm registry: ``.ci/run`` installs it into
``.ci/node``) run in headless Chromium on every page of both shipped plans, both editions: 0
violations of any rule (WCAG 2 A/AA and axe's best practices). Skipped, with a message, where Chromium
or axe-core is missing; ``$AXE_CORE_JS`` names another copy of ``axe.min.js``."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
AXE = Path(os.environ.get("AXE_CORE_JS") or ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium: .ci/run installs Debian's chromium"),
              pytest.mark.skipif(not AXE.is_file(), reason=f"no axe-core at {AXE}: .ci/run installs it from npm "
                                 "(npm install --prefix .ci/node axe-core@4)")]
RUN = """async () => {
    const r = await axe.run(document, {resultTypes: ['violations']});
    return {version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))};
}"""


def _violations(browser, page_file: Path) -> list[str]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        page.add_script_tag(path=str(AXE))
        res = page.evaluate(RUN)
    finally:
        page.close()
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}" for v in res["violations"]]


def test_axe_finds_nothing_on_any_page_of_either_plan(built_reports, built_second_plan, tmp_path):
    from playwright.sync_api import sync_playwright
    out, _ = built_reports
    pages = sorted(out.rglob("*.html")) + sorted(built_second_plan.rglob("*.html"))
    names = {p.stem for p in pages} | {p.parent.name for p in pages}
    assert {"progress", "fund_leverage", "district_comparison", "district_profile", "tasks", "index", "index.en"} <= names
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for f in pages:
                v = _violations(browser, f)
                if v:
                    found[str(f)] = v
            # the engine does find what it should: an image without a text alternative
            probe = tmp_path / "axe-probe.html"
            probe.write_text('<!DOCTYPE html><html lang="en"><head><title>p</title></head><body><main>'
                             '<img src="x.png"></main></body></html>', encoding="utf-8")
            assert any(x.startswith("image-alt") for x in _violations(browser, probe))
        finally:
            browser.close()
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
