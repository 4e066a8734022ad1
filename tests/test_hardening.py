"""Hardening: readers under generated input, escaping in a real browser, reproducibility (interruption:
test_interrupt.py; locks, kills and write errors: test_runs.py)."""
import difflib
import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from twocreate import InputError
from twocreate.observations import COLUMNS, read_observations

pytestmark = pytest.mark.e2e

INDICATORS = {"revenue": "万元", "new_employment": "万人次", "tech_contract": "万元", "patents": "项"}
AREAS = ["370100", "370102", "370103", "370171", "370124"]

row = st.fixed_dictionaries({
    "indicator": st.sampled_from(sorted(INDICATORS)),
    "area_code": st.sampled_from(AREAS),
    "year": st.integers(2015, 2018),
    "value": st.floats(min_value=0.01, max_value=1e9, allow_nan=False).map(lambda v: round(v, 2)),
    "status": st.sampled_from(["official", "provisional", "estimate", "illustrative"]),
    "source": st.text(alphabet=st.characters(codec="gb18030", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
                      min_size=1, max_size=12).map(str.strip).filter(bool),
})
tables = st.lists(row, min_size=1, max_size=12, unique_by=lambda r: (r["indicator"], r["area_code"], r["year"]))


def to_frame(rows):
    df = pd.DataFrame(rows)
    df["unit"] = df["indicator"].map(INDICATORS)
    return df[COLUMNS]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables, st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]), st.sampled_from([",", ";", "\t"]))
def test_valid_tables_round_trip(tmp_path_factory, plan, rows, encoding, sep):
    df = to_frame(rows)
    p = tmp_path_factory.mktemp("h") / "o.csv"
    df.to_csv(p, index=False, encoding=encoding, sep=sep)
    got = read_observations(p, plan)
    assert len(got) == len(df)
    assert got["value"].tolist() == pytest.approx(df["value"].tolist())
    assert got["source"].tolist() == df["source"].tolist()


BAD_CELLS = {"value": ["abc", "-1", "—", "1..2"], "year": ["2031", "20x7", "1999"], "indicator": ["profit", "收入"],
             "area_code": ["999999", "泉城区"], "unit": ["kg", "个人"], "status": ["rumour", "传闻"]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tables, st.sampled_from(sorted(BAD_CELLS)), st.data())
def test_one_bad_cell_is_named(tmp_path_factory, plan, rows, column, data):
    df = to_frame(rows).astype(object)
    i = data.draw(st.integers(0, len(df) - 1))
    bad = data.draw(st.sampled_from(BAD_CELLS[column]))
    df.loc[i, column] = bad
    p = tmp_path_factory.mktemp("h") / "o.csv"
    df.to_csv(p, index=False, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_observations(p, plan)
    msg = str(err.value)
    assert f"row {i + 2}" in msg and f"column '{column}'" in msg and repr(bad) in msg


@pytest.mark.parametrize("case", ["merged_header", "renamed_column", "extra_column", "zero_revenue", "header_only_xlsx"])
def test_input_matrix_excel_and_columns(tmp_path, plan, case):
    good = ["revenue", "370100", 2016, 1000, "万元", "estimate", "x"]
    if case == "merged_header":
        # a merged title cell spanning the header: the header row below is still found
        rows = [["标题", None, None, None, None, None, None], list(COLUMNS), good]
        p = tmp_path / "o.xlsx"
        pd.DataFrame(rows).to_excel(p, header=False, index=False)
        assert len(read_observations(p, plan)) == 1
    elif case == "renamed_column":
        p = tmp_path / "o.csv"
        pd.DataFrame([good], columns=[c if c != "value" else "amount" for c in COLUMNS]).to_csv(p, index=False)
        with pytest.raises(InputError, match=r"missing column\(s\) 'value'"):
            read_observations(p, plan)
    elif case == "extra_column":
        p = tmp_path / "o.csv"
        pd.DataFrame([good + ["extra"]], columns=COLUMNS + ["remarks"]).to_csv(p, index=False)
        assert len(read_observations(p, plan)) == 1
    elif case == "zero_revenue":
        p = tmp_path / "o.csv"
        pd.DataFrame([good[:3] + [0] + good[4:]], columns=COLUMNS).to_csv(p, index=False)
        with pytest.raises(InputError, match="a number > 0"):
            read_observations(p, plan)
    elif case == "header_only_xlsx":
        p = tmp_path / "o.xlsx"
        pd.DataFrame([list(COLUMNS)]).to_excel(p, header=False, index=False)
        with pytest.raises(InputError, match="at least one data row"):
            read_observations(p, plan)


XSS = "<img src=x onerror=alert(1)>"


def test_text_from_data_is_shown_literally_and_never_runs(tmp_path):
    src = (ROOT / "data" / "raw" / "observations" / "illustrative_outturns.csv").read_text(encoding="utf-8")
    lines = src.splitlines()
    head, first = lines[0], lines[1]
    cols = head.split(",")
    cells = next(iter(pd.read_csv(ROOT / "data/raw/observations/illustrative_outturns.csv", dtype=str,
                                  keep_default_na=False).itertuples(index=False)))
    d = dict(zip(cols, cells))
    d["source"] = XSS
    d["note"] = "<script>alert(2)</script>"
    evil = "\n".join([head, ",".join(f'"{d[c]}"' for c in cols)] + lines[2:]) + "\n"
    obs = tmp_path / "evil.csv"
    obs.write_text(evil, encoding="utf-8")
    out = tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-m", "twocreate", "run", "--only", "progress", "--lang", "en",
                           "--observations", str(obs), "--out", str(out), "--processed", str(tmp_path / "p")],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr
    page = out / "2018" / "en" / "progress.html"
    html = page.read_text(encoding="utf-8")
    assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html
    import shutil
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("no Chromium: the HTML escaping was checked, the browser check was not")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                                               "--disable-background-networking"])
        pg = b.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(page.as_uri(), wait_until="load")
        text = pg.inner_text("body")
        imgs = pg.evaluate("[...document.images].filter(i => i.getAttribute('src') === 'x').length")
        b.close()
    assert dialogs == [], "a script from the data ran"
    assert XSS in text and imgs == 0


def test_two_runs_are_reproducible(built_reports, tmp_path):
    """Every report and processed table, built twice from the same inputs: byte-identical CSVs,
    HTML identical apart from the generation timestamp."""
    from conftest import PROFILE_AREA
    o1, _ = built_reports
    p1 = o1.parent / (o1.name + "-processed")
    o2, p2 = tmp_path / "reports", tmp_path / "processed"
    proc = subprocess.run([sys.executable, "-m", "twocreate", "run", "--out", str(o2), "--processed", str(p2),
                           "--areas", PROFILE_AREA,  # the same inputs as built_reports
                           "--disbursements", str(ROOT / "data" / "raw" / "funds" / "disbursements_example.csv")],
                          capture_output=True, text=True, cwd=ROOT, timeout=1200)
    assert proc.returncode == 0, proc.stderr
    csv1 = {p.relative_to(p1): p.read_bytes() for p in p1.rglob("*.csv")}
    csv2 = {p.relative_to(p2): p.read_bytes() for p in p2.rglob("*.csv")}
    assert len(csv1) >= 5 and csv1 == csv2
    stamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00")
    html1 = sorted(p.relative_to(o1) for p in o1.rglob("*.html"))
    assert html1 == sorted(p.relative_to(o2) for p in o2.rglob("*.html")) and len(html1) >= 8
    for rel in html1:
        h1 = stamp.sub("TIMESTAMP", (o1 / rel).read_text(encoding="utf-8"))
        h2 = stamp.sub("TIMESTAMP", (o2 / rel).read_text(encoding="utf-8"))
        if h1 != h2:
            diff = [d for d in difflib.unified_diff(h1.splitlines(), h2.splitlines(), lineterm="", n=1)][:40]
            pytest.fail(f"{rel} differs between two runs:\n" + "\n".join(d[:300] for d in diff))


def test_no_page_names_the_folder_the_project_sits_in(built_reports):
    """Parameters that are paths (the fixture passes --disbursements as an absolute path inside the
    project; --plan all passes each plan's folder) are shown relative to the project, as the inputs
    are: a published page does not say where the build machine keeps its checkout."""
    out, _ = built_reports
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    named = [p.relative_to(out) for p in pages if f"{ROOT}{os.sep}" in p.read_text(encoding="utf-8")]
    assert named == []
    page = (out / "2018" / "en" / "fund_leverage.html").read_text(encoding="utf-8")
    assert "<code>data/raw/funds/disbursements_example.csv</code>" in page
