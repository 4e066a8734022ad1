"""A plan folder on the schema layer (issue 20 §1): every table and plan.toml a declarative schema, the
checks across tables as its table checks; ``validate --kind plan`` lists every problem of every file, each
one line naming file, row, column, value and what was expected, and one bad cell is one problem."""
import shutil

import pandas as pd
import pytest

from conftest import ROOT
from twocreate import InputError, cli

PLANS = ROOT / "data" / "raw" / "plans"


def _copy(tmp_path, pid):
    d = tmp_path / pid  # the folder is named by the plan id
    shutil.copytree(PLANS / pid, d)
    return d


def _edit(d, name, **cells):
    """Set cells of a plan table: ``_edit(d, "funds", amount={1: "6.01"})`` (positions of data rows)."""
    df = pd.read_csv(d / f"{name}.csv", dtype=str, keep_default_na=False)
    for col, values in cells.items():
        for i, v in values.items():
            df.loc[i, col] = v
    df.to_csv(d / f"{name}.csv", index=False)


def _validate(d, capsys):
    code = cli.main(["validate", str(d), "--kind", "plan"])
    err = capsys.readouterr().err
    return code, [line[len("error: "):] for line in err.splitlines() if line.startswith("error: ")], err


def test_a_broken_copy_of_the_2016_plan_lists_every_problem_once(tmp_path, capsys):
    d = _copy(tmp_path, "jinan-2016-twocreate")
    toml = (d / "plan.toml").read_text(encoding="utf-8")
    toml = toml.replace("target_year = 2018", "target_year = 2015.5").replace('\ncity_code = "370100"', "")
    (d / "plan.toml").write_text(toml, encoding="utf-8")
    _edit(d, "indicators", kind={0: "stocks"}, unit={1: "万辆"}, headline_target_pct={2: "x"},
          departments={3: "kjj;nosuch"}, related_baseline={0: "nobase"})
    _edit(d, "subtargets", value={0: "1o6"}, unit={1: "项"}, year={2: "2030"}, indicator={3: "ghost"})
    _edit(d, "funds", amount={1: "6.01"})
    _edit(d, "areas", role={2: "centre"})
    _edit(d, "baseline", value={0: "-3"})
    _edit(d, "tasks", target_low={0: ""})
    code, lines, err = _validate(d, capsys)
    assert code == 2
    want = [
        "plan.toml, column 'city_code': blank: expected a value (this key is required)",
        "plan.toml, column 'target_year': value 2015.5: expected a year (a whole number)",
        "baseline.csv, row 2, column 'value': value '-3': expected a positive number",
        "indicators.csv, row 2, column 'kind': value 'stocks': expected 'stock', 'flow' or 'unclear'",
        "indicators.csv, row 3, column 'unit': value '万辆': expected a unit of data/raw/units/units.csv (元, ",
        "indicators.csv, row 4, column 'headline_target_pct': value 'x': expected a number",
        "subtargets.csv, row 2, column 'value': value '1o6': expected a positive number",
        "tasks.csv, row 2, column 'target_low': blank: expected a number (this column may not be blank)",
        "areas.csv, row 4, column 'role': value 'centre': expected one of city, core, other, radiating",
        "indicators.csv, row 5, column 'departments': value 'nosuch': expected a department code from "
        "departments.csv (cft, ",
        "indicators.csv, row 2, column 'related_baseline': value 'nobase': expected blank or a code of baseline.csv",
        "subtargets.csv, row 3, column 'unit': value '项': expected 万元 (the unit of indicator revenue)",
        "subtargets.csv, row 5, column 'indicator': value 'ghost': expected an indicator code from indicators.csv "
        "(revenue, new_employment, tech_contract, patents)",
        "subtargets.csv, row 4, column 'year': value 2030: expected a year after the base year 2015 and not after "
        "the target year",
        "funds.csv, row 2, column 'amount': value 30: expected the sum of the other rows (31 亿元)",
    ]
    for w in want:
        assert sum(w in line for line in lines) == 1, (w, err)
    assert len(lines) == len(want) and f"{len(want)} problem(s) in the plan folder" in err
    # one bad cell is one problem: the milestones of the indicator whose unit is bad are not told again
    assert not any("expected nan" in line or "subtargets.csv, row 6," in line or "subtargets.csv, row 7," in line
                   for line in lines)


def test_a_broken_copy_of_the_2025_plan_lists_every_problem_once(tmp_path, capsys):
    d = _copy(tmp_path, "jinan-2025-private-economy")
    ind = pd.read_csv(d / "indicators.csv", dtype=str, keep_default_na=False)
    _edit(d, "indicators", target_kind={1: "ratio"}, qualifier={2: "more"}, target_value={6: ""},
          denominator={2: "no_such"}, aliases={4: ind.loc[3, "name_zh"]}, tolerance={5: "-1"})
    _edit(d, "series", kind={0: "level"}, code={1: "private_tax_share"})
    _edit(d, "areas", role={0: "core"})
    (d / "plan.toml").write_text((d / "plan.toml").read_text(encoding="utf-8") + 'scenario = "/etc/passwd"\n',
                                 encoding="utf-8")
    code, lines, err = _validate(d, capsys)
    assert code == 2
    want = ["plan.toml, column 'scenario': value '/etc/passwd': expected a file name relative to the plan folder",
            "indicators.csv, row 3, column 'target_kind': value 'ratio': expected one of growth, level, share",
            "indicators.csv, row 4, column 'qualifier': value 'more': expected one of at_least, about, at_most",
            "indicators.csv, row 7, column 'tolerance': value '-1': expected a positive number",
            "series.csv, row 2, column 'kind': value 'level': expected 'stock' or 'flow'",
            "indicators.csv, row 8, column 'target_value': blank: expected a number (level targets need one",
            f"indicators.csv, row 6, column 'aliases': value '{ind.loc[3, 'name_zh']}': expected a name not "
            f"already used by indicator {ind.loc[3, 'code']}",
            "indicators.csv, row 4, column 'denominator': value 'no_such': expected a code of series.csv",
            "areas.csv, column 'role': blank: expected exactly one row with role 'city'",
            "series.csv, row 3, column 'code': value 'private_tax_share': expected a code not already an indicator's"]
    for w in want:
        assert sum(w in line for line in lines) == 1, (w, err)
    assert len(lines) == len(want), err
    # the row whose target kind is bad is told once: no check of another kind runs on it
    assert sum("row 3," in line and "indicators.csv" in line for line in lines) == 1


def test_a_plan_toml_year_written_as_text_is_one_problem_not_a_traceback(tmp_path, capsys):
    """A target without years of its own takes plan.toml's: a base year written "2015" is told once, and the
    checks that compare with it are left out (before the schema layer the milestone check raised a
    TypeError)."""
    d = _copy(tmp_path, "jinan-2016-twocreate")
    toml = (d / "plan.toml").read_text(encoding="utf-8").replace("base_year = 2015", 'base_year = "2015"')
    (d / "plan.toml").write_text(toml, encoding="utf-8")
    _edit(d, "indicators", base_year={0: ""}, target_year={0: ""})
    code, lines, err = _validate(d, capsys)
    assert code == 2 and "Traceback" not in err
    assert len(lines) == 1 and "column 'base_year'" in lines[0] and "a year (a whole number)" in lines[0], err


def test_an_unreadable_plan_toml_is_one_problem_and_the_tables_are_still_checked(tmp_path, capsys):
    d = _copy(tmp_path, "jinan-2016-twocreate")
    (d / "plan.toml").write_text((d / "plan.toml").read_text(encoding="utf-8") + "id = 'twice'\n", encoding="utf-8")
    _edit(d, "baseline", value={0: "-3"})
    code, lines, err = _validate(d, capsys)
    assert code == 2 and len(lines) == 2, err  # not 19 more lines of "this key is required"
    assert "plan.toml: a TOML file" in lines[0] and "baseline.csv, row 2, column 'value'" in lines[1]


def test_every_shipped_and_documented_plan_folder_stays_valid(capsys):
    from twocreate.plan import load_plan
    folders = [PLANS / p for p in ("jinan-2016-twocreate", "jinan-2025-private-economy")]
    folders += sorted(p for p in (ROOT / "tests" / "data" / "plans").iterdir() if p.is_dir())
    for f in folders:
        assert cli.main(["validate", str(f), "--kind", "plan"]) == 0, capsys.readouterr().err
        load_plan(directory=f)


def test_plan_tables_keep_their_shape(plan):
    """What the Plan holds: the file's line as index, the file's columns then the optional ones, numbers as
    floats (NaN for blank), texts as objects (None for blank), the optional defaults filled."""
    ind = plan.indicators
    assert list(ind.index) == list(range(2, 2 + len(ind)))
    assert ind["headline_target_pct"].dtype == float and ind["target_value"].isna().all()
    assert ind["target_kind"].eq("growth").all() and ind["qualifier"].eq("at_least").all()
    assert ind.loc[ind["code"] == "patents", "related_baseline"].iloc[0] is None
    header = (plan.files["indicators"]).read_text(encoding="utf-8").splitlines()[0].split(",")
    assert list(ind.columns[:len(header)]) == header  # the file's columns in its order, then the optional ones
    assert set(ind.columns[len(header):]) == {"target_value", "tolerance", "base_value", "target_kind", "qualifier",
                                              "benchmark", "numerator", "denominator"}
    assert ind.set_index("code")["positive"].to_dict() == {"revenue": True, "new_employment": False,
                                                            "tech_contract": False, "patents": False}
    assert plan.funds["period_start"].dtype == float and plan.baseline["year"].dtype == int
    assert plan.areas["successor_code"].dropna().tolist() == ["370114", "370115"]


def test_a_zero_outturn_is_refused_only_where_the_plan_marks_the_indicator_positive(tmp_path):
    from twocreate.observations import read_observations
    from twocreate.plan import load_plan
    f = tmp_path / "o.csv"
    f.write_text("indicator,area_code,year,value,unit,status,source\nrevenue,370126,2016,0,万元,estimate,x\n",
                 encoding="utf-8")
    with pytest.raises(InputError, match=r"a number > 0 \(indicators.csv marks revenue positive"):
        read_observations(f, load_plan())
    d = _copy(tmp_path, "jinan-2016-twocreate")
    _edit(d, "indicators", positive={0: ""})
    assert read_observations(f, load_plan(d))["value"].tolist() == [0.0]
    _edit(d, "indicators", positive={0: "maybe"})
    with pytest.raises(InputError, match=r"column 'positive': value 'maybe': expected yes or no"):
        load_plan(d)


@pytest.mark.parametrize("key", ["observations", "district_targets", "district_context", "task_outturns",
                                 "disbursements", "scenario"])
def test_every_default_file_key_goes_through_plan_file(tmp_path, key):
    """plan.toml's default-file keys are looked up in the plan folder, then their data/raw folder, and a
    path leading outside is refused (validate and plan_file alike)."""
    from twocreate.plan import META_PATHS, load_plan, plan_file
    d = _copy(tmp_path, "jinan-2016-twocreate")
    (d / "mine.csv").write_text("x\n", encoding="utf-8")
    toml = "\n".join(line for line in (d / "plan.toml").read_text(encoding="utf-8").splitlines()
                     if not line.startswith(f"{key} "))
    (d / "plan.toml").write_text(f'{key} = "mine.csv"\n' + toml + "\n", encoding="utf-8")
    p = load_plan(d)
    assert plan_file(p, key) == d / "mine.csv" and key in META_PATHS
    p.meta[key] = "elsewhere.csv"
    assert plan_file(p, key).parent.name == META_PATHS[key]
    p.meta[key] = "../../secret.csv"
    with pytest.raises(InputError, match=f"key '{key}'.*no absolute path"):
        plan_file(p, key)
    (d / "plan.toml").write_text(f'{key} = "../secret.csv"\n' + toml + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"column '{key}': value '../secret.csv'"):
        load_plan(d)


def test_keep_invalid_keeps_the_row_with_the_bad_cell_blank():
    from twocreate.schema import Column, Number, Schema, Text, validate
    s = Schema("t", (Column("code", Text()), Column("value", Number(low=0, expected="a number ≥ 0"))),
               keep_invalid=True)
    df = pd.DataFrame({"code": ["a", "b"], "value": ["1", "-2"]}, index=[2, 3])
    table, problems = validate(df, s, source="t.csv")
    assert [str(p) for p in problems] == ["t.csv, row 3, column 'value': value '-2': expected a number ≥ 0"]
    assert table["code"].tolist() == ["a", "b"] and table["value"].iloc[0] == 1 and pd.isna(table["value"].iloc[1])
    table, problems = validate(df, Schema("t", s.columns), source="t.csv")  # the default: the row is left out
    assert table["code"].tolist() == ["a"]
