"""Reports follow the plan: the 2016 plan copied with the city renamed (济南 → 青禾, a made-up name;
Jinan → Qinghe, its pinyin) builds every report, and no report or index page says 济南 or Jinan
unless the text comes from a user data file."""
import html
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

pytestmark = pytest.mark.e2e

PLAN = ROOT / "data" / "raw" / "plans" / "jinan-2016-twocreate"
# user data files the reports read besides the plan (their text may name the city)
USER_FILES = [ROOT / "data" / "raw" / "funds" / "default_scenario.csv",
              ROOT / "data" / "raw" / "funds" / "disbursements_example.csv",
              ROOT / "data" / "raw" / "observations" / "illustrative_outturns.csv",
              ROOT / "data" / "raw" / "tasks" / "illustrative_task_outturns.csv",
              ROOT / "data" / "raw" / "districts" / "districts_2015_yearbook.csv"]
CITY = re.compile("济南|Jinan")


def _renamed(tmp_path):
    d = tmp_path / "qinghe-2016-twocreate"
    shutil.copytree(PLAN, d)
    for f in d.iterdir():
        t = f.read_text(encoding="utf-8")
        f.write_text(t.replace("济南", "青禾").replace("Jinan", "Qinghe").replace("jinan", "qinghe"), encoding="utf-8")
    return d


def _user_texts() -> list[str]:
    """Every cell of a user data file that names the city, as it would appear in a page (escaped)."""
    out = []
    for f in USER_FILES:
        df = pd.read_csv(f, dtype=str, keep_default_na=False)
        for v in df.to_numpy().ravel():
            if CITY.search(v):
                out += [v, html.escape(v), html.escape(v, quote=False)]
    return sorted(set(out), key=len, reverse=True)


def test_renamed_city_plan_builds_every_report_without_the_old_name(tmp_path):
    d = _renamed(tmp_path)
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--plan", str(d), "--year", "2018", "--lang", "all",
                        "--disbursements", "data/raw/funds/disbursements_example.csv", "--out", str(out),
                        "--processed", str(tmp_path / "processed")], capture_output=True, text=True, cwd=ROOT,
                       timeout=1200)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    pages = sorted(out.rglob("*.html"))
    names = {p.relative_to(out).as_posix() for p in pages}
    base = "qinghe-2016-twocreate/2018"
    for lang in ("zh", "en"):
        for rep in ("progress", "fund_leverage", "district_comparison", "tasks"):
            assert f"{base}/{lang}/{rep}.html" in names
        assert any(n.startswith(f"{base}/{lang}/district_profile/") for n in names)
    assert {"index.html", "index.en.html"} <= names
    allowed = _user_texts()
    bad = {}
    for p in pages:
        text = p.read_text(encoding="utf-8")
        text = re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "", text)
        for a in allowed:
            text = text.replace(a, "")
        hits = [text[max(0, m.start() - 60):m.end() + 60] for m in CITY.finditer(text)]
        if hits:
            bad[p.relative_to(out).as_posix()] = hits[:3]
    assert not bad, bad
    zh = (out / "index.html").read_text(encoding="utf-8")
    assert "青禾市小微企业创业创新基地城市示范三年行动计划" in zh and "青禾" in (out / base / "zh" / "progress.html").read_text(
        encoding="utf-8")
    assert "Qinghe" in (out / "index.en.html").read_text(encoding="utf-8")
