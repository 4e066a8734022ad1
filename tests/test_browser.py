"""Each kind of report opened in a real headless Chromium (Debian's `chromium`).

Checks that the page renders, logs no console error, makes no network request beyond its own
file, and shows its main headings and charts (images decoded). Saves one screenshot per kind in
tests/artifacts/. Skipped, with a message, where no Chromium is installed.
"""
import json
import shutil
from pathlib import Path

import pytest

from twocreate.assess import VERDICTS

from conftest import ARTIFACTS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found: install Debian's `chromium` "
                                 "(.ci/run does) to run the browser checks")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path: Path, screenshot: Path | None = None):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    requests, console, errors = [], [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append((m.type, m.text)))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri(), wait_until="load")
    info = page.evaluate("""() => ({
        h1: [...document.querySelectorAll('h1')].map(h => h.innerText.trim()),
        h2: [...document.querySelectorAll('h2')].filter(h => h.offsetHeight > 0).map(h => h.innerText.trim()),
        images: [...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth,
                                               shown: i.getBoundingClientRect().width})),
        fontOk: document.fonts.check('16px TwocreateCJK', '济南'),
        indexLink: (document.querySelector('.tc-meta a') || {}).href || null,
        bodyHeight: document.body.scrollHeight,
    })""")
    if screenshot:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    return info, requests, console, errors


def report_kinds(out: Path) -> dict[str, Path]:
    """One report per kind (zh edition), from the runner's manifest."""
    kinds = {}
    for e in json.loads((out / "manifest.json").read_text(encoding="utf-8")):
        if e["lang"] == "zh":
            kinds.setdefault(e["kind"], out / e["path"])
    return kinds


def test_every_kind_renders_offline(built_reports, browser):
    out, _ = built_reports
    kinds = report_kinds(out)
    assert "progress" in kinds
    for kind, path in kinds.items():
        info, requests, console, errors = open_page(browser, path, ARTIFACTS / f"{kind}.png")
        assert requests == [path.as_uri()], f"{kind}: network requests {requests[1:]}"
        assert not [c for c in console if c[0] in ("error", "warning")], f"{kind}: console {console}"
        assert not errors, f"{kind}: page errors {errors}"
        assert info["h1"] and info["h1"][0], f"{kind}: no title"
        assert len(info["h2"]) >= 2, f"{kind}: headings {info['h2']}"  # a section and the provenance footer
        assert info["images"] and all(i["ok"] and i["shown"] > 100 for i in info["images"]), f"{kind}: charts {info['images']}"
        assert info["fontOk"], f"{kind}: embedded CJK font not usable"
        assert info["bodyHeight"] > 1000
        assert info["indexLink"] and Path(info["indexLink"].replace("file://", "")).resolve() == (out / "index.html").resolve()


def test_index_renders_and_links_resolve(built_reports, browser):
    out, _ = built_reports
    info, requests, console, errors = open_page(browser, out / "index.html", ARTIFACTS / "index.png")
    assert requests == [(out / "index.html").as_uri()]
    assert not console and not errors
    import re
    html = (out / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', html)
    assert links and all((out / link).is_file() for link in links)


def test_index_dashboard_chips_and_links_to_each_kind(built_reports, browser):
    """The index is the page people open first: chips for the latest year, a link to every kind of
    report that opens without errors, the Chinese and English pages linked to each other."""
    out, _ = built_reports
    for name, lang in (("index.html", "zh"), ("index.en.html", "en")):
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        console, errors = [], []
        page.on("console", lambda m: console.append((m.type, m.text)))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto((out / name).as_uri(), wait_until="load")
        info = page.evaluate("""() => ({
            chips: [...document.querySelectorAll('#glance .chip')].map(c => c.innerText.trim()),
            cats: [...document.querySelectorAll('#glance .chip[data-category]')].map(c => c.dataset.category),
            dot: (() => { const i = document.querySelector('#glance .chip i');
                          return i ? getComputedStyle(i).backgroundColor : null; })(),
            other: (document.querySelector('nav.lang a') || {}).href || null,
            links: [...document.querySelectorAll('section.year a')].map(a => a.href),
            fontOk: document.fonts.check('16px TwocreateCJK', '济南'),
            h1: document.querySelector('h1').innerText,
        })""")
        page.screenshot(path=str(ARTIFACTS / f"dashboard-{lang}.png"), full_page=True)
        page.close()
        assert not console and not errors, (name, console, errors)
        assert len(info["cats"]) == 4 and set(info["cats"]) <= set(VERDICTS)
        assert info["dot"] and info["dot"] != "rgba(0, 0, 0, 0)"
        chips = " ".join(info["chips"])
        if lang == "zh":
            # the target year: achieved or not, never a pace (issue 17)
            assert "达标" in chips and "滞后" in chips and "执行率" in chips and "未实现目标" in chips
            assert "需加快" not in chips and "进度正常" not in chips
            assert info["fontOk"] and "济南" in info["h1"]
        else:
            assert "met" in chips and "behind" in chips and "executed" in chips and "Target not achieved" in chips
            assert "Acceleration needed" not in chips and "On track" not in chips
        assert info["other"] and info["other"].endswith("index.en.html" if lang == "zh" else "index.html")
        # follow one link to each kind of report
        kinds = {}
        for href in info["links"]:
            path = Path(href.replace("file://", "").split("#")[0])
            if path.name.startswith("index") or path.suffix != ".html":  # the yearly workbooks are downloads
                continue
            rel = path.resolve().relative_to(out.resolve())
            kinds.setdefault(rel.parts[2] if len(rel.parts) > 3 else Path(rel.parts[2]).stem, path)
        assert {"progress", "fund_leverage", "district_comparison", "district_profile", "tasks"} <= set(kinds)
        for kind, path in kinds.items():
            rinfo, requests, rconsole, rerrors = open_page(browser, path)
            assert not rerrors and not [c for c in rconsole if c[0] == "error"], (kind, rconsole, rerrors)
            assert rinfo["h1"] and rinfo["fontOk"], kind


def test_task_report_in_the_browser(built_reports, browser):
    out, _ = built_reports
    path = out / "2018" / "zh" / "tasks.html"
    info, requests, console, errors = open_page(browser, path, ARTIFACTS / "tasks-report.png")
    assert requests == [path.as_uri()] and not console and not errors
    assert "任务台账" in info["h2"] and "责任清单" in info["h2"]
    assert info["fontOk"] and info["images"] and all(i["ok"] for i in info["images"])
