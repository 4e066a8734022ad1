"""Targets as the rules need them, built from plan data (the city) or from area targets (a district).

Nothing here knows one plan: every value comes from the plan's tables (``indicators.csv``,
``subtargets.csv`` for milestones, ``baseline.csv`` for stated bases, ``area_targets.csv``) or
from a district-targets file.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import units
from .rules import Target


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _int(v) -> int | None:
    f = _num(v)
    return None if f is None else int(f)


def milestones_of(plan, code: str) -> pd.Series:
    """The plan's milestones of indicator ``code`` by year (``subtargets.csv``; its unit)."""
    st = plan.subtargets[plan.subtargets["indicator"] == code]
    return pd.Series(st["value"].to_numpy(dtype=float), index=st["year"].astype(int).to_numpy(), name=code)


def stated_base(plan, ind: pd.Series) -> float | None:
    """The base the plan states for one indicator row, in the indicator's unit, or None.

    A stock's stated base-year level, or for a flow the base-year stock its cumulative % is taken
    on; both through ``related_baseline`` (a row of ``baseline.csv``) or ``base_value``.
    """
    bv = _num(ind.get("base_value"))
    if bv is not None:
        return bv
    rb = ind.get("related_baseline")
    if rb is None or (isinstance(rb, float) and math.isnan(rb)):
        return None
    rows = plan.baseline[plan.baseline["code"] == rb]
    if rows.empty:
        return None
    r = rows.iloc[0]
    try:
        return units.convert(float(r["value"]), str(r["unit"]), str(ind["unit"]))
    except ValueError:
        return None


def plan_targets(plan, area_code: str) -> list[tuple[str, Target]]:
    """``(reading, Target)`` for every indicator of the plan (the city's targets). ``reading`` is
    ``""``, or ``"stock"`` and ``"flow"`` for an indicator whose text leaves it open (``kind =
    unclear``): both readings are judged, neither is picked."""
    out = []
    base_default = int(plan.base_year)
    start_default = int(plan.meta.get("period_start", base_default + 1))
    for _, ind in plan.indicators.iterrows():
        kind = str(ind["kind"])
        tk = str(ind["target_kind"])
        head = _num(ind.get("headline_target_pct"))
        common = dict(code=str(ind["code"]), area_code=str(area_code), target_kind=tk, unit=str(ind["unit"]),
                      qualifier=str(ind["qualifier"]), target_year=int(ind["target_year"]),
                      base_year=_int(ind.get("base_year")) or base_default, start_year=start_default,
                      headline=None if head is None else head / 100.0, target_value=_num(ind.get("target_value")),
                      milestones=milestones_of(plan, ind["code"]), stated_base=stated_base(plan, ind),
                      tolerance=_num(ind.get("tolerance")))
        readings = ("stock", "flow") if kind == "unclear" else (kind,)
        for sf in readings:
            out.append(("" if kind != "unclear" else sf, Target(stock_flow=sf, **common)))
    return out


def area_targets_of(plan, area_code: str, area_targets: pd.DataFrame | None) -> pd.DataFrame:
    """Rows of ``area_targets`` (tidy: indicator, area_code, year, value) for one area; the plan's own
    ``area_targets.csv`` when no file is given."""
    t = area_targets if area_targets is not None else getattr(plan, "area_targets", None)
    if t is None or t.empty:
        return pd.DataFrame(columns=["indicator", "area_code", "year", "value"])
    codes = plan.area_successors()
    mapped = t["area_code"].astype(str).map(lambda c: codes.get(c, c))
    return t[mapped == str(area_code)]


def area_target_specs(plan, area_code: str, rows: pd.DataFrame) -> list[tuple[str, Target]]:
    """Targets of one area from its rows of a district-targets table: a level per year for stocks,
    an inflow per year for flows (summed); the last year is the target year."""
    out = []
    for _, ind in plan.indicators.iterrows():
        r = rows[rows["indicator"] == ind["code"]]
        if r.empty:
            continue
        ms = pd.Series(r["value"].to_numpy(dtype=float), index=r["year"].astype(int).to_numpy()).sort_index()
        sf = str(ind["kind"]) if str(ind["kind"]) in ("stock", "flow") else "stock"
        tk = "cumulative" if sf == "flow" else "level"
        out.append(("", Target(code=str(ind["code"]), area_code=str(area_code), target_kind=tk, stock_flow=sf,
                               unit=str(ind["unit"]), qualifier=str(ind["qualifier"]),
                               target_year=int(ms.index.max()), base_year=int(plan.base_year),
                               start_year=int(plan.base_year) + 1, milestones=ms,
                               tolerance=_num(ind.get("tolerance")))))
    return out
