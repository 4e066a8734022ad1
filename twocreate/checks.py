"""Plausibility (edit) checks on outturns, the way statistical offices run them before publishing.

Each check gives a **warning**, never a silent change and never an error (``validate --strict``
turns warnings into errors). The thresholds are data: ``data/raw/checks/edit_checks.csv``.

* ``yoy_change`` — a stock indicator changing year on year by more than ``yoy_factor`` (×3 or ÷3);
* ``level_vs_plan`` — a city value more than ``level_factor`` (10×) away from the plan's
  sub-target for that year, or from the base-year level (stated in the plan's ``baseline.csv``, or
  implied by the headline);
* ``repeated_value`` — a value identical to the previous year's (a copy-paste sign);
* ``additivity`` / ``missing_year`` — district figures not adding up to the city's within
  ``district_tolerance``, or a district missing a year others report (:func:`twocreate.district_checks.check_districts`).
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .intake import Check
from . import config
from .io import InputError, raise_problems, read_sourced
from .plan import Plan


def thresholds_file() -> Path:
    """The shipped edit-check thresholds (``data/raw/checks/edit_checks.csv``)."""
    return config.paths().raw / "checks" / "edit_checks.csv"


# the former constant THRESHOLDS_FILE, resolved when used
__getattr__ = config.former_constants(__name__, THRESHOLDS_FILE=thresholds_file)

DEFAULTS = {"yoy_factor": 3.0, "level_factor": 10.0, "repeated_value": 1.0, "district_tolerance": 0.005}


def _threshold_range(row: dict, ctx: dict):
    v = row["threshold"]
    if v < 0 or (row["check"].endswith("factor") and v <= 1):
        yield "threshold", v, "a number > 1 for a factor, ≥ 0 otherwise"


THRESHOLDS_EXPECTED = "a number > 1 for a factor, ≥ 0 otherwise"


def thresholds_schema():
    """The edit-check thresholds file: ``check`` (a name of :data:`DEFAULTS`), ``threshold``."""
    from .schema import Code, Column, Number, RowCheck, Schema
    return Schema("thresholds", (
        Column("check", Code(values=tuple(DEFAULTS), expected="one of {codes}"), blank="one of " + ", ".join(DEFAULTS)),
        Column("threshold", Number(expected=THRESHOLDS_EXPECTED), blank=THRESHOLDS_EXPECTED),
    ), row_checks=(RowCheck(("check", "threshold"), _threshold_range),))


def load_thresholds(path: str | os.PathLike | None = None, *, limits=None, reads=None) -> dict[str, float]:
    """The edit-check thresholds by name (``yoy_factor`` 倍, ``level_factor`` 倍, ``repeated_value``
    on/off, ``district_tolerance`` share of the city figure)."""
    from .schema import validate
    path = Path(path) if path is not None else thresholds_file()
    schema = thresholds_schema()
    got = read_sourced(path, required=schema.required, limits=limits, reads=reads)
    table, problems = validate(got.frame, schema, source=got.source)
    raise_problems(problems)
    out = dict(DEFAULTS)
    out.update(zip(table["check"], table["threshold"].astype(float)))
    return out


def _reference_level(plan: Plan, ind: str, year: int) -> float | None:
    """The plan's level for ``ind`` in ``year``: the sub-target, or in the base year the stated (or
    headline-implied) base level; None for flows in the base year and years without a target."""
    if ind not in plan.indicator_codes:  # a supporting series: the plan states no level for it
        return None
    sub = plan.subtarget(ind, year)
    if sub is not None:
        return sub
    row = plan.indicator(ind)
    if pd.isna(row["base_year"]) or year != int(row["base_year"]) or row["kind"] != "stock":
        return None
    stated = plan.stated_baseline(ind)
    if stated is not None:
        return stated
    final = plan.subtarget(ind, int(row["target_year"]))
    pct = row["headline_target_pct"]
    return None if final is None or pd.isna(pct) else final / (1 + float(pct) / 100)


def plausibility(obs: pd.DataFrame, plan: Plan, thresholds: dict[str, float] | None = None,
                 source: str = "") -> list[Check]:
    """Every edit-check warning for ``obs`` (house format; a ``row`` column, if present, is cited)."""
    t = dict(DEFAULTS, **(thresholds or {}))
    out: list[Check] = []
    kinds = dict(zip(plan.measures["code"], plan.measures["kind"]))
    units = dict(zip(plan.measures["code"], plan.measures["unit"]))
    has_row = "row" in obs.columns
    for (ind, area), g in obs.sort_values("year").groupby(["indicator", "area_code"], sort=True):
        prev = None
        for _, r in g.iterrows():
            y, v = int(r["year"]), float(r["value"])
            row = int(r["row"]) if has_row and pd.notna(r["row"]) else None
            here = dict(file=source, row=row, indicator=ind, area_code=str(area), year=y)
            u = units.get(ind, "")
            if prev is not None and prev[0] == y - 1:
                pv = prev[1]
                if kinds.get(ind) == "stock" and pv > 0 and v > 0 and (v / pv > t["yoy_factor"] or pv / v > t["yoy_factor"]):
                    out.append(Check("warning", "yoy_change", "check_msg.yoy_change",
                                     dict(value=v, unit=u, ratio=v / pv, prev_year=y - 1, prev=pv,
                                          factor=float(t["yoy_factor"])), **here))
                if t["repeated_value"] and v == pv and v != 0:
                    out.append(Check("warning", "repeated_value", "check_msg.repeated_value",
                                     dict(value=v, unit=u, prev_year=y - 1), **here))
            prev = (y, v)
            if str(area) == plan.city_code:
                ref = _reference_level(plan, ind, y)
                if ref and v > 0 and (v / ref > t["level_factor"] or ref / v > t["level_factor"]):
                    out.append(Check("warning", "level_vs_plan", "check_msg.level_vs_plan",
                                     dict(value=v, unit=u, ratio=v / ref, reference=float(ref), year=y,
                                          factor=float(t["level_factor"])), **here))
    from .district_checks import check_districts
    try:
        issues = check_districts(obs, plan, tolerance=t["district_tolerance"], source=source or "observations")
        issues_zh = check_districts(obs, plan, tolerance=t["district_tolerance"], lang="zh", source=source or "observations")
    except InputError:
        issues, issues_zh = [], []  # unknown codes are errors reported by the reader
    rows = {}
    if has_row:
        rows = {(r.indicator, str(r.area_code), int(r.year)): int(r.row) for r in obs.itertuples()}
    for i, i_zh in zip(issues, issues_zh):
        area = i.area_code or plan.city_code
        # the district checks put their findings in words themselves (their catalog entries), one per language
        out.append(Check("warning", i.kind, file=source, row=rows.get((i.indicator, str(area), int(i.year))),
                         indicator=i.indicator, area_code=i.area_code, year=int(i.year),
                         texts={"en": i.message, "zh": i_zh.message}))
    return out


def checks_frame(checks: list[Check]) -> pd.DataFrame:
    """Checks as a table: level, check, file, row, column, indicator, area_code, year, the message's
    catalog ``key`` with its ``values`` (or its ``texts``), and the English ``message``; a view puts a
    row in its language with :meth:`Check.from_dict` and :meth:`Check.text`."""
    cols = list(Check.FIELDS) + ["message"]
    return pd.DataFrame([c.as_dict() for c in checks], columns=cols)
