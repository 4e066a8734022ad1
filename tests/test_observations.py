"""Reading outturn files: encodings, Excel, number forms, and clear one-line errors."""
import pandas as pd
import pytest

from twocreate import InputError
from twocreate.observations import check_observations, plan_observations, read_observations

HEADER = "indicator,area_code,year,value,unit,status,source\n"


def write(tmp_path, text, name="obs.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_shipped_file_is_all_illustrative(plan):
    df = read_observations(plan_observations(plan), plan)
    assert len(df) >= 12
    assert (df["status"] == "illustrative").all()
    assert df["source"].str.contains("ILLUSTRATIVE").all()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_encodings(tmp_path, plan, encoding):
    p = write(tmp_path, HEADER + "revenue,370100,2016,88900000,万元,estimate,市统计局 测算\n", encoding=encoding)
    df = read_observations(p, plan)
    assert df.loc[0, "value"] == 88_900_000
    assert df.loc[0, "source"] == "市统计局 测算"


def test_xlsx_with_title_row(tmp_path, plan):
    p = tmp_path / "obs.xlsx"
    rows = [["济南市小微企业指标（单位见各行）", None, None, None, None, None, None],
            ["indicator", "area_code", "year", "value", "unit", "status", "source"],
            ["patents", 370100, 2017, 15100, "项", "provisional", "市科技局"]]
    pd.DataFrame(rows).to_excel(p, header=False, index=False)
    df = read_observations(p, plan)
    assert df.loc[0, "value"] == 15100 and df.loc[0, "year"] == 2017 and df.loc[0, "area_code"] == "370100"


@pytest.mark.parametrize("raw,unit,expected", [
    ("1,234", "万元", 1234), ("12.3万", "元", 12.3), ("1.2亿", "元", 12000), ("8030", "亿元", 80_300_000),
    ("281000", "人次", 28.1),
])
def test_number_forms_and_unit_conversion(tmp_path, plan, raw, unit, expected):
    ind = "new_employment" if "人" in unit else "revenue"
    p = write(tmp_path, HEADER + f'{ind},370100,2016,"{raw}",{unit},estimate,x\n')
    assert read_observations(p, plan).loc[0, "value"] == pytest.approx(expected)


@pytest.mark.parametrize("line,column,value", [
    ("revenue,370100,2016,—,万元,estimate,x", "value", "—"),
    ("revenue,370100,2016,-5,万元,estimate,x", "value", "-5"),
    ("revenue,370100,2012,5,万元,estimate,x", "year", "2012"),
    ("profits,370100,2016,5,万元,estimate,x", "indicator", "profits"),
    ("revenue,379999,2016,5,万元,estimate,x", "area_code", "379999"),
    ("revenue,370100,2016,5,项,estimate,x", "unit", "项"),
    ("revenue,370100,2016,5,万元,guess,x", "status", "guess"),
])
def test_bad_cell_names_file_row_column_value(tmp_path, plan, line, column, value):
    p = write(tmp_path, HEADER + "patents,370100,2016,13200,项,estimate,x\n" + line + "\n")
    with pytest.raises(InputError) as err:
        read_observations(p, plan)
    msg = str(err.value)
    assert "obs.csv" in msg and "row 3" in msg and f"column '{column}'" in msg and repr(value) in msg
    assert "expected" in msg and "\n" not in msg


def test_duplicate_and_all_problems_collected(tmp_path, plan):
    p = write(tmp_path, HEADER + "patents,370100,2016,1,项,estimate,x\npatents,370100,2016,2,项,estimate,x\n"
              "patents,370100,2017,abc,项,estimate,x\n")
    _, problems = check_observations(p, plan)
    assert len(problems) == 2
    assert "also on row 2" in str(problems[0])


@pytest.mark.parametrize("text,expect", [
    ("", "empty"), (HEADER, "at least one data row"),
    ("indicator;area_code;year;value;unit;status;source\nrevenue;370100;2016;1;万元;estimate;x\n", None),
    ("indicator,place,year,value,unit,status,source\n", "missing column"),
])
def test_file_level_problems(tmp_path, plan, text, expect):
    p = write(tmp_path, text)
    if expect is None:  # semicolon-delimited files are read too
        assert len(read_observations(p, plan)) == 1
        return
    with pytest.raises(InputError, match=expect):
        read_observations(p, plan)


def test_missing_file(tmp_path, plan):
    with pytest.raises(InputError, match="file not found"):
        read_observations(tmp_path / "nope.csv", plan)
