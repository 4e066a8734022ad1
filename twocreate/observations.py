"""Observed outturns in the house format: one row per indicator × area × year.

Columns (CSV UTF-8 / UTF-8-BOM / GB18030, or .xlsx):

=============  ==============================================================
indicator      an indicator code of ``data/raw/plan/indicators.csv``
area_code      an area code of ``data/raw/plan/areas.csv`` (370100 = Jinan city)
year           the calendar year, within the plan's range (2015–2018)
value          the level (flow for new employment); ``1,234``, ``12.3万`` accepted
unit           any unit convertible to the indicator's (元/万元/亿元; 人次/万人次; 项/件)
status         official / provisional / estimate / illustrative
source         where the figure comes from (free text, required)
note           optional
=============  ==============================================================

Negative values are errors, and so is zero revenue; extra columns are ignored.
Values are converted to the indicator's unit on reading; the returned frame has ``year`` as
int and ``value`` as float.
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from . import units
from .io import DATA_RAW, InputError, Problem, parse_number, raise_problems, read_table
from .plan import Plan, load_plan

COLUMNS = ["indicator", "area_code", "year", "value", "unit", "status", "source"]
STATUSES = ("official", "provisional", "estimate", "illustrative")
POSITIVE_ONLY = ("revenue",)  # zero is impossible here; counts and flows may be 0 in a small district
DEFAULT_OBSERVATIONS = DATA_RAW / "observations" / "illustrative_outturns.csv"


def check_observations(path: str | os.PathLike, plan: Plan | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``path`` and return (clean rows, every problem found). Never raises for bad cells."""
    plan = plan or load_plan()
    df = read_table(path, required=COLUMNS)
    src = df.attrs["source"]
    problems: list[Problem] = []
    if df.empty:
        problems.append(Problem(src, None, None, None, "at least one data row below the header"))
        return pd.DataFrame(columns=COLUMNS + ["note"]), problems
    ind_unit = dict(zip(plan.indicators["code"], plan.indicators["unit"]))
    areas = set(plan.areas["area_code"].astype(str))
    y0, y1 = plan.base_year, plan.target_year
    rows = []
    seen: dict[tuple, int] = {}
    for idx, r in df.iterrows():
        ok = True
        ind = r["indicator"]
        if ind not in ind_unit:
            problems.append(Problem(src, idx, "indicator", ind, f"one of {', '.join(ind_unit)}"))
            ok = False
        area = r["area_code"]
        if area is not None and area.endswith(".0"):
            area = area[:-2]
        if area not in areas:
            problems.append(Problem(src, idx, "area_code", r["area_code"],
                                    "an area code of data/raw/plan/areas.csv (e.g. 370100 for Jinan city)"))
            ok = False
        year = None
        try:
            y = parse_number(r["year"])
            if y is None or not float(y).is_integer():
                raise ValueError
            year = int(y)
            if not y0 <= year <= y1:
                problems.append(Problem(src, idx, "year", r["year"], f"a year from {y0} to {y1} (the plan's range)"))
                ok = False
        except ValueError:
            problems.append(Problem(src, idx, "year", r["year"], "a four-digit year such as 2017"))
            ok = False
        value = None
        try:
            value = parse_number(r["value"])
            if value is None:
                problems.append(Problem(src, idx, "value", r["value"], "a number (blank is not allowed; omit the row instead)"))
                ok = False
            elif value < 0:
                problems.append(Problem(src, idx, "value", r["value"], "a number ≥ 0"))
                ok = False
            elif value == 0 and ind in POSITIVE_ONLY:
                problems.append(Problem(src, idx, "value", r["value"],
                                        f"a number > 0 ({ind}: no area has zero small/micro {ind})"))
                ok = False
        except ValueError:
            problems.append(Problem(src, idx, "value", r["value"],
                                    "a number such as 1234.5, 1,234.5 or 12.3万"))
            ok = False
        unit = r["unit"]
        factor = None
        if ind in ind_unit:
            try:
                factor = units.conversion_factor(str(unit), ind_unit[ind])
            except ValueError:
                problems.append(Problem(src, idx, "unit", unit, f"{ind_unit[ind]} or a unit convertible to it"))
                ok = False
        status = r["status"]
        if status not in STATUSES:
            problems.append(Problem(src, idx, "status", status, f"one of {', '.join(STATUSES)}"))
            ok = False
        if r["source"] is None:
            problems.append(Problem(src, idx, "source", None, "where the figure comes from (may not be blank)"))
            ok = False
        if ok:
            key = (ind, area, year)
            if key in seen:
                problems.append(Problem(src, idx, "year", r["year"],
                                        f"one row per indicator, area and year (also on row {seen[key]})"))
                continue
            seen[key] = idx
            rows.append({"indicator": ind, "area_code": area, "year": year, "value": value * factor,
                         "unit": ind_unit[ind], "status": status, "source": r["source"],
                         "note": r.get("note")})
    out = pd.DataFrame(rows, columns=COLUMNS + ["note"])
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    out.attrs = {"source": src, "path": df.attrs["path"]}
    return out, problems


def read_observations(path: str | os.PathLike | None = None, plan: Plan | None = None) -> pd.DataFrame:
    """Read and validate an observations file (default: the shipped illustrative outturns).

    Raises :class:`~twocreate.InputError` (one line: file, row, column, value, expectation;
    ``err.problems`` lists them all) if any row is invalid.
    """
    path = Path(path) if path is not None else DEFAULT_OBSERVATIONS
    df, problems = check_observations(path, plan)
    raise_problems(problems)
    return df


def is_illustrative(obs: pd.DataFrame) -> bool:
    """True if any row of ``obs`` is illustrative (then every chart and table must say so)."""
    return bool((obs["status"] == "illustrative").any())


def series(obs: pd.DataFrame, indicator: str, area_code: str) -> pd.Series:
    """Values of one indicator in one area, indexed by year (indicator unit)."""
    sel = obs[(obs["indicator"] == indicator) & (obs["area_code"] == str(area_code))]
    return pd.Series(sel["value"].to_numpy(), index=sel["year"].to_numpy(), name=indicator).sort_index()
