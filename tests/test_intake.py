"""The intake on the files users really have: the messy corpus, the issue's five cases, layouts,
names, units and the edit checks, each with hand-checked values."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from twocreate import InputError
from twocreate.observations import intake, read_observations

MESSY = ROOT / "tests" / "data" / "messy"
EXPECTED = pd.read_csv(MESSY / "expected.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("case", EXPECTED.to_dict("records"), ids=lambda c: f"{c['file']}[{c['sheet']}]")
def test_messy_corpus(plan, case):
    path = MESSY / case["file"]
    sheet = case["sheet"] or None
    if case["result"] == "error":
        with pytest.raises(InputError) as err:
            read_observations(path, plan, sheet=sheet)
        msg = str(err.value)
        assert case["phrase"] in msg
        assert "\n" not in msg and case["file"] in msg
        return
    got = intake(path, plan, sheet=sheet)
    assert got.problems == [], [str(p) for p in got.problems]
    assert len(got.data) == int(case["count"])
    if case["warning"]:
        assert any(case["warning"] in c.message for c in got.warnings), [str(c) for c in got.checks]


def _values(df):
    return sorted(zip(df["indicator"], df["area_code"], df["year"], df["value"].round(6), df["status"], df["source"]))


def test_wide_chinese_workbook_reads_as_the_shipped_tidy_csv(plan):
    """Title row, merged two-row header, numeric area codes, 合计 rows and notes under the table:
    exactly the shipped tidy CSV's values, statuses and sources."""
    tidy = read_observations(None, plan)
    wide = intake(MESSY / "05_shipped_wide_cn.xlsx", plan)
    assert wide.layout == "wide_years" and wide.problems == []
    assert _values(wide.data) == _values(tidy)
    assert sum(1 for c in wide.checks if c.check == "totals_row" and "matches" in c.message) > 0
    assert wide.warnings == []


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "twocreate", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=600)


@pytest.mark.slow
@pytest.mark.parametrize("name,code,phrase", [
    ("01_title_row_tidy.xlsx", 0, "12 value(s) read"),
    ("02_numeric_codes_total_row.xlsx", 0, "3 value(s) read"),
    ("03_unit_conflict_gb18030.csv", 2, "row 2, column '数值': value '12.1亿'"),
    ("04_chinese_headers.csv", 0, "12 value(s) read"),
])
def test_issue_cases_validate_cleanly(name, code, phrase):
    proc = run_cli("validate", MESSY / name)
    assert proc.returncode == code
    out = proc.stdout + proc.stderr
    assert phrase in out and "Traceback" not in out


def test_unit_conflict_names_both_readings(plan):
    with pytest.raises(InputError) as err:
        read_observations(MESSY / "03_unit_conflict_gb18030.csv", plan)
    msg = str(err.value)
    assert "12.1亿元 (= 121,000 万元)" in msg and "12.1亿 万元 (= 1,210,000,000 万元)" in msg


def test_hand_checked_values(plan):
    # 12.1亿 with unit 元 = 1.21e9 元 = 121,000 万元
    d = read_observations(MESSY / "30_multiplier_agrees.csv", plan)
    assert d["value"].tolist() == [121000.0] and d["indicator"].tolist() == ["tech_contract"]
    # 营业收入（亿元） 1400.5 → 14,005,000 万元; 2017 from the title
    d = read_observations(MESSY / "07_wide_by_indicator_title_year.xlsx", plan).set_index(["indicator", "area_code"])
    assert d.loc[("revenue", "370102"), "value"] == pytest.approx(14_005_000)
    assert d.loc[("new_employment", "370114"), "value"] == pytest.approx(2.5)
    assert set(d["year"]) == {2017} and set(d["status"]) == {"provisional"}
    # 数值（亿元） 9640 → 96,400,000 万元
    d = read_observations(MESSY / "27_unit_in_header.csv", plan)
    assert d["value"].tolist() == [96_400_000.0] and d["area_code"].tolist() == ["370100"]
    # full-width １２３，４５６．７-style digits
    d = read_observations(MESSY / "10_fullwidth_numbers.csv", plan)
    assert d.loc[d["indicator"] == "new_employment", "value"].tolist() == [29.1, 30.2, 31.5]
    # old and new names by year: 章丘市 2016 → 370181, 章丘区 2017 → 370114, 章丘 2018 → 370114
    d = read_observations(MESSY / "29_old_names.csv", plan)
    assert dict(zip(d["year"], d["area_code"])) == {2016: "370181", 2017: "370114", 2018: "370114"}


@pytest.mark.parametrize("year_cell", ["2017", "2017年", "2017.0", "２０１７", "2017年度"])
def test_year_forms(tmp_path, plan, year_cell):
    p = tmp_path / "o.csv"
    p.write_text(f"指标,地区,年份,数值,单位,状态,来源\n营业收入,济南市,{year_cell},1,万元,初步,x\n", encoding="utf-8")
    assert read_observations(p, plan)["year"].tolist() == [2017]


def test_edit_checks_hand_made(plan):
    from twocreate.checks import plausibility
    rows = [("revenue", "370100", 2016, 88_900_000), ("revenue", "370100", 2017, 88_900_000),  # repeated
            ("patents", "370100", 2016, 13_600), ("patents", "370100", 2017, 45_000),  # ×3.3 and ×2.7 of 16,700
            ("tech_contract", "370100", 2017, 1_600_000)]  # 10.67× the 2017 sub-target 150,000
    obs = pd.DataFrame(rows, columns=["indicator", "area_code", "year", "value"]).assign(row=range(2, 7))
    got = {(c.check, c.indicator, c.year, c.row) for c in plausibility(obs, plan)}
    assert got == {("repeated_value", "revenue", 2017, 3), ("yoy_change", "patents", 2017, 5),
                   ("level_vs_plan", "tech_contract", 2017, 6)}
    # the thresholds are parameters: ×4 lets the patents jump pass, 11× the tech-contract level
    got = {c.check for c in plausibility(obs, plan, {"yoy_factor": 4, "level_factor": 11, "repeated_value": 0})}
    assert got == set()


def test_level_check_uses_the_base_year_level(plan):
    """2015 revenue 803,000 万元 is 1/100 of the §一 8030亿元 = 80,300,000 万元: a unit slip."""
    from twocreate.checks import plausibility
    obs = pd.DataFrame([("revenue", "370100", 2015, 803_000.0)], columns=["indicator", "area_code", "year", "value"])
    (c,) = plausibility(obs, plan)
    assert c.check == "level_vs_plan" and "80,300,000" in c.message


@pytest.mark.slow
def test_validate_strict_turns_warnings_into_errors():
    f = MESSY / "33_unit_slip_between_years.csv"
    assert run_cli("validate", f).returncode == 0
    proc = run_cli("validate", f, "--strict")
    assert proc.returncode == 2 and "--strict" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.slow
def test_sheet_option_and_error_names_the_sheet():
    ok = run_cli("validate", MESSY / "13_several_sheets.xlsx", "--sheet", "2017年")
    assert ok.returncode == 0, ok.stderr
    bad = run_cli("validate", MESSY / "13_several_sheets.xlsx")
    assert bad.returncode == 2 and "[sheet '填报说明']" in bad.stderr and "--sheet" in bad.stderr


def fill_wide_template(path, plan, obs):
    """Type the outturns into the template's cells as a statistician would (the unit column as given)."""
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[2]]
    col = {v: i + 1 for i, v in enumerate(header)}
    names = {plan.indicator_name(c, "zh"): c for c in plan.indicator_codes}
    areas = {plan.area_name(str(a), "zh"): str(a) for a in plan.areas["area_code"]}
    for r in range(3, ws.max_row + 1):
        ind, area = names.get(ws.cell(r, 1).value), areas.get(ws.cell(r, 2).value)
        sel = obs[(obs["indicator"] == ind) & (obs["area_code"] == area)]
        if ind is None or sel.empty:
            continue
        assert sel["unit"].nunique() == 1
        ws.cell(r, col["单位"], sel["unit"].iloc[0])
        for y, v in zip(sel["year"], sel["value"]):
            ws.cell(r, col[f"{y}年"], float(v))
        ws.cell(r, col["状态"], "示例")
        ws.cell(r, col["来源"], sel["source"].iloc[0])
        ws.cell(r, col["备注"], sel["note"].iloc[0])
    wb.save(path)


@pytest.mark.e2e
def test_template_round_trip_gives_identical_processed_tables(tmp_path, plan):
    """The template, filled with the shipped illustrative values, gives byte-identical processed tables."""
    from twocreate import districts
    from twocreate.assess import assess
    from twocreate.io import write_csv
    out = tmp_path / "outturns.xlsx"
    proc = run_cli("template", "--out", out)
    assert proc.returncode == 0, proc.stderr
    raw = pd.read_csv(ROOT / "data/raw/observations/illustrative_outturns.csv", dtype={"area_code": str})
    fill_wide_template(out, plan, raw)
    a, b = read_observations(None, plan), read_observations(out, plan)
    assert _values(a) == _values(b)
    for name, fn in {"progress": lambda o: assess(plan, o, 2018).table,
                     "comparison": lambda o: districts.comparison_table(o, plan, 2018)}.items():
        pa, pb = tmp_path / f"a_{name}.csv", tmp_path / f"b_{name}.csv"
        write_csv(fn(a), pa)
        write_csv(fn(b), pb)
        assert pa.read_bytes() == pb.read_bytes(), name


@pytest.mark.slow
@pytest.mark.parametrize("layout,lang", [("wide", "zh"), ("wide", "en"), ("tidy", "zh"), ("tidy", "en")])
def test_template_has_dropdowns_units_and_a_locked_reference_sheet(tmp_path, plan, layout, lang):
    import openpyxl
    out = tmp_path / "t.xlsx"
    assert run_cli("template", "--out", out, "--layout", layout, "--lang", lang, "--year", 2017).returncode == 0
    wb = openpyxl.load_workbook(out)
    ws, ref = wb.worksheets[0], wb.worksheets[1]
    assert len(ws.data_validations.dataValidation) >= 4
    assert ref.protection.sheet and "2018" in " ".join(str(c.value) for c in ref[2])
    header = [c.value for c in ws[2]]
    assert ("指标" in header) == (lang == "zh")
    if layout == "wide":
        assert header.count("2017年" if lang == "zh" else "2017") == 1 and len([h for h in header if "2016" in str(h)]) == 0
        assert ws.cell(3, 3).value == "万元"  # the unit of each indicator is stated
    # an untouched template is refused with a clear message, not a traceback
    proc = run_cli("validate", out)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("name,shown", [
    ("02_numeric_codes_total_row.xlsx", ["Totals row", "matches the sum of the 3 rows"]),
    ("33_unit_slip_between_years.csv", ["Year-on-year jump", "Far from plan level", "<th>Row</th>", ">3</td>"]),
])
@pytest.mark.e2e
def test_report_shows_data_checks(tmp_path, name, shown):
    """`run --observations` with a relative path to a messy file builds, and the report's data-check
    section lists the intake's notices and the plausibility warnings with their rows."""
    rel = (MESSY / name).relative_to(ROOT)
    proc = run_cli("run", "--only", "progress", "--lang", "en", "--observations", rel, "--out", tmp_path / "r",
                   "--processed", tmp_path / "p")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    html = (tmp_path / "r" / "2018" / "en" / "progress.html").read_text(encoding="utf-8")
    section = html[html.index('id="data-checks"'):]
    for s in shown:
        assert s in section


def test_the_units_table_is_found_once_per_file_not_once_per_row(tmp_path, plan, monkeypatch):
    """Finding the project's units table walks up the folders (≈ 0.1 ms); done once per row it was 80%
    of checking a 150,000-row file (22 s of 29 s CPU). A file of 2,000 rows, with multipliers in the
    cells and units in the unit column, asks for it no more often than a file of 3 rows."""
    from twocreate import units
    calls = []
    real = units.table_path
    monkeypatch.setattr(units, "table_path", lambda: calls.append(1) or real())

    def rows(n):
        return "indicator,area_code,year,value,unit,status,source\n" + "".join(
            f"revenue,370102,{2016 + k % 3},{k + 1}{'亿' if k % 2 else ''},{'元' if k % 2 else '万元'},official,x\n"
            for k in range(n))
    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    small.write_text(rows(3), encoding="utf-8")
    big.write_text(rows(2_000), encoding="utf-8")
    assert len(read_observations(small, plan)) == 3
    few, calls[:] = len(calls), []
    with pytest.raises(InputError, match="1,996 more problem"):  # duplicates, after every row's unit check
        read_observations(big, plan)
    assert len(calls) <= few, (few, len(calls))
