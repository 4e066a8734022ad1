"""The index as a dashboard: every plan year built, newest first, each year only with its own
outturns; categories moving year to year; escaped text; zh and en pages linked."""
import pytest
import json
import re
import subprocess
import sys

from conftest import ROOT
from twocreate.build import render_index


@pytest.mark.e2e
def test_every_year_built_newest_first(tmp_path):
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--year", "all", "--only", "progress", "tasks",
                        "--lang", "zh", "--out", str(out), "--processed", str(tmp_path / "processed")],
                       capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    for y in (2016, 2017, 2018):
        assert (out / str(y) / "zh" / "tasks.html").exists()
    html = (out / "index.html").read_text(encoding="utf-8")
    years = [int(m) for m in re.findall(r'<section class="year" id="y(\d{4})"', html)]
    assert years == [2018, 2017, 2016]
    assert "2018年概览" in html and "重点任务台账与责任清单" in html
    visible = re.sub(r"<[^>]+>", " ", html.split("<body>")[1])
    assert "tasks" not in visible and "progress" not in visible  # human names, not internal ids
    # the movement table: one row per indicator, one chip per year
    movement = html.split('id="movement"')[1].split("</section>")[0]
    assert movement.count("<tr>") == 1 + 4 and movement.count('class="chip"') == 12
    # each year's task report counted only the task outturns up to that year
    manifest = {(e["year"], e["kind"]): e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))}
    assert manifest[(2016, "tasks")]["tasks"]["na"] > manifest[(2018, "tasks")]["tasks"]["na"] == 0
    cats16 = {c["code"]: c["category"] for c in manifest[(2016, "progress")]["categories"]}
    cats18 = {c["code"]: c["category"] for c in manifest[(2018, "progress")]["categories"]}
    assert cats16 != cats18  # the shipped outturns move between years
    bad = subprocess.run([sys.executable, "-m", "twocreate", "run", "--year", "2015", "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert bad.returncode == 2 and "'all'" in bad.stderr


def test_index_escapes_text_from_data_and_links_languages():
    evil = "<script>alert(1)</script>"
    entries = [{"path": "2018/zh/tasks.html", "year": 2018, "lang": "zh", "name": "tasks", "kind": "tasks",
                "kind_title": {"zh": evil, "en": "Task ledger"}, "title": evil, "area_code": None,
                "generated": "2026-01-01T00:00:00+00:00", "status": evil, "illustrative": True,
                "tasks": {"met": 1, "behind": 2, "na": 3}},
               {"path": "2018/en/tasks.html", "year": 2018, "lang": "en", "name": "tasks", "kind": "tasks",
                "kind_title": {"zh": evil, "en": "Task ledger"}, "title": "Task ledger", "area_code": None,
                "generated": "2026-01-01T00:00:00+00:00", "status": "ok", "illustrative": True,
                "tasks": {"met": 1, "behind": 2, "na": 3}}]
    zh = render_index(entries, "zh")
    assert "<script>" not in zh and "&lt;script&gt;" in zh
    assert 'href="index.en.html"' in zh and "达标1 · 滞后2 · 无法评估3" in zh
    en = render_index(entries, "en")
    assert 'href="index.html"' in en and "1 met · 2 behind · 3 not assessable" in en and "Task ledger" in en
    assert 'href="2018/zh/tasks.html"' in en  # the other edition of each report is linked


@pytest.mark.e2e
def test_a_2016_report_shows_no_later_outturns(tmp_path):
    from conftest import execute_notebook, notebook_text
    text = notebook_text(execute_notebook("01_progress.ipynb", tmp_path, lang="zh", year=2016))
    assert "8,890亿元" in text  # the 2016 revenue outturn
    assert "9,640亿元" not in text and "10,430亿元" not in text  # 2017 and 2018 outturns
