"""Districts: registry, context data, and fair comparisons of a plan's areas on its indicators.

Numbers in, numbers out: no sentence is made here (the words are in :mod:`twocreate.views.districts`
and the catalogs). Everything one plan says about its areas is plan data: ``areas.csv`` of the plan
folder (codes, names, roles, administrative changes, functional zones and the areas they lie in)
and ``plan.toml`` (the default context and district-targets files, the context year and its source,
the role labels); see ``docs/plans.md``, "District reports".

Administrative changes
    An area that became another carries the new code in ``successor_code`` (and ``valid_to``); the
    successor carries ``valid_from``. :func:`harmonise_codes` maps every predecessor code to its
    successor, so a series reported under the code valid in each year is continuous. Comparisons
    always use current codes.

Functional zones
    An area of ``level`` ``functional_zone`` is not an administrative unit: its territory lies inside
    other areas (the optional ``within`` column of ``areas.csv`` names them). How its figures relate
    to the districts' depends on the data supplier; every function that sums districts takes ``zone``:

    * ``"separate"`` (default): the zone is reported as a unit of its own and the host districts'
      figures *exclude* firms registered in the zone, so the zone plus the administrative districts
      add up to the city.
    * ``"within"``: district figures *include* the zone's firms; the zone is then a memo item,
      shown but left out of sums, group aggregates, shares and contributions (no double counting).

    A zone without a row in the context table has no normalised figure, and normalised *group*
    figures are computed over the members that have a context row only (the zone left out of
    numerator and denominator alike).

Warnings and errors
    ================================================================  ========
    unknown district code or name (:func:`lookup`, :func:`harmonise_codes`,   error (:class:`~twocreate.InputError`)
    :func:`load_context`, :func:`read_targets`)
    the same district and year reported under both the old and the new code  error
    district figures not adding up to the city row beyond the tolerance       warning (error with ``additivity="error"``)
    (default 0.5%, relative to the city figure)
    a year missing for one district that other districts report               warning
    no city row for an indicator and year (additivity not checked)            not reported
    ================================================================  ========

    :func:`twocreate.district_checks.check_districts` returns the warnings (and, with
    ``additivity="error"``, raises); each ``Issue`` names the district, indicator and year, with the
    figures behind it.

Conventions: levels stay in the indicator's unit; growth is a fraction; the index is 100 in its base
year; contributions are percentage points as plain numbers (15.0 = 15 pp), unlike growth, which is a
fraction (0.20 = 20%). A flow indicator is compared on its cumulative inflow since the base year,
never on growth or a compound rate. Ranks are competition ranks of the values at the precision the
reports print them (:func:`column_step`): two values shown alike share a rank.
"""
from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import units
from .indicators import cagr, growth_rate
from .io import InputError, Problem, raise_problems, read_sourced, read_table
from .plan import DEFAULT_PLAN, Plan, load_plan
from .sourced import Sourced

TOLERANCE = 0.005
GROUPS = ("core", "radiating", "other")
ZONE_POLICIES = ("separate", "within")
ZONE_LEVEL = "functional_zone"

# how: (context column, factor applied to the context value)
NORMALISATIONS = {
    "none": (None, 1.0),
    "population": ("population_10k", 1.0),
    "area": ("area_km2", 1.0),
    "budget_revenue": ("budget_revenue_10k_yuan", 1e-4),
}
CONTEXT_COLUMNS = ["population_10k", "area_km2", "budget_revenue_10k_yuan", "budget_expenditure_10k_yuan"]


# --------------------------------------------------------------------------- the plan's district files
def _plan_file(plan: Plan, key: str) -> Path | None:
    """A file ``plan.toml`` names under ``key`` (bounded by :func:`twocreate.plan.plan_file`)."""
    from .plan import plan_file
    return plan_file(plan, key, None)


def context_path(plan: Plan) -> Path | None:
    """The context table a plan's district reports use by default: ``district_context`` of its
    ``plan.toml`` (a file of ``data/raw/districts/``), or None when it names none."""
    return _plan_file(plan, "district_context")


def targets_path(plan: Plan) -> Path | None:
    """The district-targets file a plan's district reports use by default: ``district_targets`` of its
    ``plan.toml`` (a file of ``data/raw/districts/``), or None when it names none."""
    return _plan_file(plan, "district_targets")


def context_year(plan: Plan) -> int:
    """The year of the context figures: ``district_context_year`` of ``plan.toml``, else the base year."""
    y = (getattr(plan, "meta", None) or {}).get("district_context_year")
    return int(y) if y not in (None, "") else int(plan.base_year)


def __getattr__(name: str):
    """The former constants, resolved from the default plan's ``plan.toml`` when used."""
    if name == "CONTEXT_FILE":
        return context_path(load_plan(DEFAULT_PLAN))
    if name == "TARGETS_EXAMPLE":
        return targets_path(load_plan(DEFAULT_PLAN))
    if name == "CONTEXT_YEAR":
        return context_year(load_plan(DEFAULT_PLAN))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------- registry
def zone_codes(plan: Plan) -> list[str]:
    """Codes of functional zones (``level`` ``functional_zone``: not administrative units)."""
    a = plan.areas
    return a.loc[a["level"] == ZONE_LEVEL, "area_code"].astype(str).tolist()


def zone_hosts(plan: Plan, code: str) -> list[str]:
    """The areas a functional zone lies in: the optional ``within`` column of ``areas.csv``
    (``;``-separated codes, as current codes), or [] when the plan folder does not say."""
    if "within" not in plan.areas.columns:
        return []
    row = plan.areas[plan.areas["area_code"].astype(str) == str(code)]
    if row.empty:
        return []
    v = row["within"].iloc[0]
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return []
    succ = plan.area_successors()
    return list(dict.fromkeys(succ.get(c.strip(), c.strip()) for c in str(v).split(";") if c.strip()))


def current_code(code: str, plan: Plan) -> str:
    """The code in use at the end of the plan period: follows ``successor_code`` chains."""
    code = str(code)
    if code not in set(plan.areas["area_code"].astype(str)):
        raise InputError(f"unknown district code {code!r}: expected an area code of the plan's areas.csv "
                         f"({', '.join(district_codes(plan))})")
    return plan.area_successors().get(code, code)


def _current_map(plan: Plan) -> dict[str, str]:
    """Every area code of ``areas.csv`` → its current code (one lookup table per call)."""
    succ = plan.area_successors()
    return {c: succ.get(c, c) for c in plan.areas["area_code"].astype(str)}


def registry(plan: Plan, context: pd.DataFrame | None = None) -> pd.DataFrame:
    """The district registry, built from ``plan.areas`` (one row per area code, old codes included).

    Adds: ``current_code`` (successor at the end of the plan period), ``is_current``, ``is_zone``
    (functional zone), ``has_context`` (a row in ``context``, by default the plan's context table),
    ``predecessors`` (``;``-joined old codes).
    """
    a = plan.areas.copy()
    a["area_code"] = a["area_code"].astype(str)
    cur = _current_map(plan)
    a["current_code"] = a["area_code"].map(cur)
    a["is_current"] = a["valid_to"].isna()
    a["is_zone"] = a["level"] == ZONE_LEVEL
    if context is None:
        path = context_path(plan)
        ctx_codes: set[str] = set()
        if path is not None and path.exists():
            ctx = read_table(path, required=["area_code"])
            ctx_codes = {cur.get(str(c), str(c)) for c in ctx["area_code"]}
    else:
        ctx_codes = set(context.index.astype(str))
    a["has_context"] = a["current_code"].isin(ctx_codes)
    a["predecessors"] = [";".join(sorted(a.loc[(a["current_code"] == c) & (a["area_code"] != c), "area_code"]))
                         for c in a["area_code"]]
    return a


def district_codes(plan: Plan, zone: str = "separate", include_zone: bool = True) -> list[str]:
    """Current district codes in the order of ``areas.csv`` (the city left out).

    With ``zone="within"`` or ``include_zone=False`` functional zones are left out (use that list
    for sums: districts then add up to the city without double counting).
    """
    _check_zone(zone)
    a = plan.areas
    live = a[(a["role"] != "city") & a["valid_to"].isna()]
    codes = live["area_code"].astype(str).tolist()
    if zone == "within" or not include_zone:
        codes = [c for c in codes if c not in zone_codes(plan)]
    return codes


def _check_zone(zone: str) -> None:
    if zone not in ZONE_POLICIES:
        raise ValueError(f"zone must be one of {', '.join(ZONE_POLICIES)}, got {zone!r}")


def role_of(plan: Plan) -> dict[str, str]:
    """Area code → role (core / radiating / other / city, from ``areas.csv``)."""
    return dict(zip(plan.areas["area_code"].astype(str), plan.areas["role"]))


def roles(plan: Plan) -> list[str]:
    """The roles of the plan's current districts, in the order core, radiating, other."""
    have = {role_of(plan).get(c) for c in district_codes(plan)}
    return [g for g in GROUPS if g in have] + sorted(have - set(GROUPS) - {None})


def names(plan: Plan, lang: str = "zh") -> dict[str, str]:
    """Area code → name in ``lang`` (old codes keep their old names)."""
    return dict(zip(plan.areas["area_code"].astype(str), plan.areas[f"name_{'zh' if lang == 'zh' else 'en'}"]))


def changes(plan: Plan) -> list[dict]:
    """The administrative changes of ``areas.csv``: one dict per predecessor with ``code``,
    ``successor``, ``year`` (the first year under the new code: the successor's ``valid_from``, else
    the year after the predecessor's ``valid_to``) and ``valid_to``."""
    a = plan.areas.set_index(plan.areas["area_code"].astype(str))
    out = []
    for code, r in a.iterrows():
        s = r["successor_code"]
        if s is None or (isinstance(s, float) and math.isnan(s)) or not str(s).strip():
            continue
        s = str(s).strip()
        vf = a.loc[s, "valid_from"] if s in a.index else None
        vt = r["valid_to"]
        year = int(vf) if vf is not None and not pd.isna(vf) else (int(vt) + 1 if not pd.isna(vt) else None)
        out.append({"code": code, "successor": s, "year": year,
                    "valid_to": None if pd.isna(vt) else int(vt)})
    return out


def lookup(name_or_code: str, plan: Plan) -> str:
    """Current area code for a code, a Chinese or English name, or an alias of ``areas.csv`` (a former
    code or name gives its successor). Unknown or blank → :class:`~twocreate.InputError` listing the
    plan's areas."""
    from .resolve import area
    if name_or_code is None or not str(name_or_code).strip():
        raise InputError("no district given: expected a code, name or alias of the plan's areas.csv")
    return area(plan, name_or_code)


# --------------------------------------------------------------------------- observations
def harmonise_codes(obs: pd.DataFrame, plan: Plan, *, source: str = "observations") -> pd.DataFrame:
    """Map predecessor codes to successor codes (see ``successor_code`` in ``areas.csv``).

    The returned frame keeps the reported code in ``reported_code``; a frame that already has that
    column (one returned by this function) is returned as it is. A district reported for the same
    indicator and year under both its old and new code is an error (:class:`~twocreate.InputError`
    naming the district, indicator and year, in ``source``: the file, as its reader named it); so is
    an area code not in ``areas.csv``.
    """
    if "reported_code" in obs.columns:
        return obs
    out = obs.copy()
    out["area_code"] = out["area_code"].astype(str)
    cur = _current_map(plan)
    bad = sorted(set(out["area_code"]) - set(cur))
    if bad:
        raise InputError(f"unknown district code(s) {', '.join(bad)}: expected area codes of the plan's areas.csv")
    out["reported_code"] = out["area_code"]
    out["area_code"] = out["area_code"].map(cur)
    dup = out[out.duplicated(["indicator", "area_code", "year"], keep=False)]
    if not dup.empty:
        nm = names(plan, "en")
        problems = []
        for (ind, code, year), g in dup.groupby(["indicator", "area_code", "year"], sort=True):
            reported = " and ".join(sorted(set(g["reported_code"])))
            problems.append(Problem(source, None, "area_code", reported,
                                    f"one row for {nm.get(code, code)} ({code}), {ind}, {year}: it is reported "
                                    f"under both its old and its new code"))
        raise_problems(problems)
    return out


def district_obs(obs: pd.DataFrame, plan: Plan, indicators: list[str] | None = None,
                 year: int | None = None) -> pd.DataFrame:
    """Harmonised district rows (city rows dropped), optionally only ``indicators`` and years ≤ ``year``."""
    h = harmonise_codes(obs, plan)
    h = h[h["area_code"] != plan.city_code]
    if indicators is not None:
        h = h[h["indicator"].isin(indicators)]
    if year is not None:
        h = h[h["year"] <= int(year)]
    return h


def levels(obs: pd.DataFrame, plan: Plan, indicator: str, year: int | None = None,
           zone: str = "separate") -> pd.DataFrame:
    """District × year table of levels of one indicator (current codes, registry order; NaN = missing)."""
    d = district_obs(obs, plan, [indicator], year)
    t = d.pivot_table(index="area_code", columns="year", values="value", aggfunc="sum")
    codes = district_codes(plan, zone)
    if zone == "within":
        codes = codes + zone_codes(plan)  # the zone stays visible as a memo row
    t = t.reindex([c for c in codes if c in t.index])
    t.columns = [int(c) for c in t.columns]
    return t


# --------------------------------------------------------------------------- context and normalisation
CONTEXT_NUMBERS = ["population_10k", "area_km2", "budget_revenue_10k_yuan", "budget_expenditure_10k_yuan"]
CONTEXT_OPTIONAL = ["deposits_10k_yuan", "household_savings_10k_yuan"]


def context_schema():
    """The district context table: ``area_code`` (of the plan's areas), ``district_zh``, four figures."""
    from .schema import Code, Column, Number, Schema, Text
    return Schema("context", (
        Column("area_code", Code(key="areas", expected="an area code of the plan's areas.csv"),
               blank="an area code of the plan's areas.csv"),
        Column("district_zh", Text(), blank=True),
        *(Column(c, Number(expected="a number"), blank="a positive number (may not be blank)") for c in CONTEXT_NUMBERS),
        *(Column(c, Number(expected="a number"), required=False, blank=True, default=float("nan"))
          for c in CONTEXT_OPTIONAL),
    ))


def no_context() -> pd.DataFrame:
    """An empty context table (a plan without context data: nothing can be normalised)."""
    out = pd.DataFrame({c: pd.Series([], dtype=float) for c in CONTEXT_COLUMNS})
    out.index.name = "area_code"
    return out


def load_context(path: str | os.PathLike | None = None, plan: Plan | None = None, *, limits=None,
                 reads=None) -> pd.DataFrame:
    """The frame of :func:`load_context_sourced`."""
    return load_context_sourced(path, plan, limits=limits, reads=reads).frame


def load_context_sourced(path: str | os.PathLike | None = None, plan: Plan | None = None, *, limits=None,
                         reads=None) -> Sourced:
    """The district context table (population, land area, budget figures of one year; by default the
    plan's ``district_context`` file), indexed by current code.

    Columns: ``district_zh`` (the source's name), ``population_10k`` (万人), ``area_km2``,
    ``budget_revenue_10k_yuan`` and ``budget_expenditure_10k_yuan`` (万元), ``reported_code``.
    A functional zone may have no row; the frame comes in a :class:`~twocreate.sourced.Sourced` (the
    file's ``source``, ``encoding``, ``warnings``). Unknown codes or non-numeric cells raise
    :class:`~twocreate.InputError`.
    """
    from .schema import validate
    plan = plan or load_plan()
    path = Path(path) if path is not None else context_path(plan)
    schema = context_schema()
    got = read_sourced(path, required=schema.required, limits=limits, reads=reads)
    df, src = got.frame, got.source
    if df.empty:
        raise InputError(f"{src}: no data row below the header: expected one row per district")
    table, problems = validate(df, schema, {"areas": sorted(set(plan.areas["area_code"].astype(str)))}, source=src)
    raise_problems(problems)
    cols = ["district_zh"] + CONTEXT_NUMBERS + [c for c in CONTEXT_OPTIONAL if c in df.columns]
    out = table[cols].astype({c: float for c in cols if c != "district_zh"})
    out.insert(0, "reported_code", table["area_code"].astype(str).to_numpy())
    out.index = pd.Index([current_code(c, plan) for c in table["area_code"]], name="area_code")
    return got.with_frame(out[["reported_code", "district_zh"] + cols[1:]])


def normaliser(context: pd.DataFrame, how: str) -> pd.Series:
    """Divisor per current area code for ``how`` (population / area / budget_revenue / none)."""
    if how not in NORMALISATIONS:
        raise ValueError(f"normalise must be one of {', '.join(NORMALISATIONS)}, got {how!r}")
    col, factor = NORMALISATIONS[how]
    if col is None:
        return pd.Series(1.0, index=context.index)
    return context[col].astype(float) * factor


def normalise(values: pd.Series | pd.DataFrame, context: pd.DataFrame, how: str) -> pd.Series | pd.DataFrame:
    """Divide values indexed by current area code by the context figure.

    ``population``: per 10,000 people (money per 10,000 people in 万元 is yuan per person); ``area``:
    per km²; ``budget_revenue``: per 100 million yuan of public budget revenue; ``none``: unchanged.
    Areas without a context row get NaN, except with ``none``.
    """
    if how == "none":
        return values.copy()
    d = normaliser(context, how)
    return values.div(d.reindex(values.index), axis=0)


def normalised_scale(unit: str, how: str) -> float:
    """Factor from a normalised value (the indicator's unit per context unit) to the number the
    reports print: persons and person-times as heads (per 10,000 people, per km² …), money and counts
    as they are (money per 10,000 people in 万元 reads as yuan per person)."""
    if how == "none":
        return 1.0
    u = units.table().get(str(unit))
    if u is not None and u.dimension == "persons":
        return u.factor * 1e4  # the reference unit of persons is 10,000
    return 1.0


# --------------------------------------------------------------------------- comparisons
def contribution_to_growth(base: pd.Series, latest: pd.Series) -> pd.Series:
    """Each district's contribution to the growth of the total, in percentage points.

    ``base`` and ``latest`` are levels indexed by district. contribution_i = (latest_i − base_i) /
    Σ base × 100, so the contributions add up to the growth of the total in percent:
    base A=60, B=40 → latest A=75, B=45: the total grows 20%; A contributes 15 pp, B 5 pp.
    A district missing from one of the two (or NaN) raises ``ValueError`` naming it.
    """
    idx = base.index.union(latest.index, sort=False)
    b = base.reindex(idx).astype(float)
    l_ = latest.reindex(idx).astype(float)
    missing = [str(i) for i in idx if pd.isna(b[i]) or pd.isna(l_[i])]
    if missing:
        raise ValueError(f"no base or latest value for {', '.join(missing)}: contributions would not add up")
    total = b.sum()
    if total == 0:
        raise ZeroDivisionError("the total of the base values is zero: growth is undefined")
    return ((l_ - b) / total * 100.0).rename("contribution_pp")


def rank(values: pd.Series, ascending: bool = False, unit: str | None = None, scale: float = 1.0) -> pd.Series:
    """Competition ranking (pandas ``method="min"``): the largest value is 1 and ties share the
    best rank, the next rank is skipped (values 9, 7, 7, 5 → ranks 1, 2, 2, 4). NaN stays
    unranked (<NA>).

    With ``unit`` (a unit of the units table, or ``""`` for plain numbers) the values are ranked at
    the precision a report prints them (:func:`twocreate.fmt.column_numbers` of ``values × scale``):
    1,562.0 and 1,562.2 both print as 1,562 and share a rank.
    """
    from . import fmt
    v = values.astype(float)
    if unit is not None:
        v = pd.Series(fmt.column_numbers(list(v * scale), unit or None), index=values.index)
    return v.rank(method="min", ascending=ascending).astype("Int64")


def index_series(levels_row: pd.Series, base_year: int) -> pd.Series:
    """Levels indexed by year as an index, ``base_year`` = 100 (NaN if the base is missing or zero)."""
    b = levels_row.get(base_year, np.nan)
    if pd.isna(b) or b == 0:
        return levels_row * np.nan
    return levels_row / b * 100.0


def comparison_base_year(plan: Plan, lv: pd.DataFrame) -> int:
    """The base year of comparisons: the plan's when every district has it, else the earliest year
    every district reports (indicators whose district series start later)."""
    if lv.empty:
        return plan.base_year
    full = [y for y in sorted(lv.columns) if lv[y].notna().all()]
    if plan.base_year in full:
        return plan.base_year
    return int(full[0]) if full else int(min(lv.columns))


def index_table(obs: pd.DataFrame, plan: Plan, indicator: str, year: int | None = None,
                base_year: int | None = None, zone: str = "separate") -> pd.DataFrame:
    """District × year index (base year = 100) of a stock indicator; the city row (sum of the
    summed districts, or the city's own row when no district reports) is appended as ``plan.city_code``.
    The base is ``base_year``, else :func:`comparison_base_year` (:func:`index_tables` says which)."""
    return _index(harmonise_codes(obs, plan), plan, indicator, year, base_year, zone)[0]


def _index(obs: pd.DataFrame, plan: Plan, indicator: str, year: int | None, base_year: int | None,
           zone: str) -> tuple[pd.DataFrame, int]:
    lv = levels(obs, plan, indicator, year, zone)
    by = base_year or comparison_base_year(plan, lv)
    out = lv.apply(lambda r: index_series(r, by), axis=1) if not lv.empty else lv
    city = city_levels(obs, plan, indicator, year, zone, lv=lv)
    out.loc[plan.city_code] = index_series(city.reindex(lv.columns), by)
    return out, int(by)


@dataclass(frozen=True, eq=False)
class Indices(Mapping):
    """The :func:`index_table` of each indicator (``indices[code]``, a mapping of plain DataFrames) and
    the base year each was indexed to (``indices.base_years[code]``, = 100)."""

    tables: dict[str, pd.DataFrame]
    base_years: dict[str, int]

    def __getitem__(self, indicator: str) -> pd.DataFrame:
        return self.tables[indicator]

    def __iter__(self):
        return iter(self.tables)

    def __len__(self) -> int:
        return len(self.tables)


def index_tables(obs: pd.DataFrame, plan: Plan, indicators: list[str], year: int | None = None,
                 zone: str = "separate") -> Indices:
    """:func:`index_table` of every stock indicator of ``indicators``, computed once for a report, with
    the base year of each (:class:`Indices`)."""
    obs = harmonise_codes(obs, plan)
    got = {i: _index(obs, plan, i, year, None, zone) for i in indicators if _kind(plan, i) == "stock"}
    return Indices({i: t for i, (t, _) in got.items()}, {i: by for i, (_, by) in got.items()})


def city_levels(obs: pd.DataFrame, plan: Plan, indicator: str, year: int | None = None,
                zone: str = "separate", lv: pd.DataFrame | None = None) -> pd.Series:
    """The city series: sum of the summed districts where all report, else the city's own rows."""
    lv = levels(obs, plan, indicator, year, zone) if lv is None else lv
    summed = lv.reindex([c for c in district_codes(plan, zone) if c in lv.index])
    s = summed.sum(min_count=1) if not summed.empty else pd.Series(dtype=float)
    complete = summed.notna().all() if not summed.empty else pd.Series(dtype=bool)
    own = obs[(obs["indicator"] == indicator) & (obs["area_code"].astype(str) == plan.city_code)]
    if year is not None:
        own = own[own["year"] <= int(year)]
    own_s = pd.Series(own["value"].to_numpy(float), index=own["year"].astype(int).to_numpy())
    out = own_s.copy()
    for y in s.index:
        if bool(complete.get(y, False)) and y not in out.index:
            out.loc[y] = s[y]
    return out.sort_index()


def _kind(plan: Plan, indicator: str) -> str:
    return str(plan.indicator(indicator)["kind"])


# long: one block of columns per measure (level, growth, share, contribution, rank) on the same frames
def comparison_table(obs: pd.DataFrame, plan: Plan, year: int, indicators: list[str] | None = None,
                     context: pd.DataFrame | None = None, normalise_by: str = "population",
                     zone: str = "separate") -> pd.DataFrame:
    """One row per indicator × district: the numbers behind the comparison charts and tables.

    Stock indicators: ``base_year`` (see :func:`comparison_base_year`), ``base_value``,
    ``value`` (level in ``year``), ``growth`` (fraction), ``cagr``, ``index`` (base = 100),
    ``share`` (of the sum of the summed districts), ``contribution_pp`` (to the city's growth),
    ``rank`` (of the level), ``rank_growth``, ``normalised`` (level ÷ context figure) and
    ``rank_normalised``. A flow indicator: ``value`` is the cumulative inflow from the year after
    the base year to ``year``; growth, CAGR and index are NaN; share, rank and normalised use the
    cumulative figure, and ``contribution_pp`` is NaN. Ranks are taken at the precision the reports
    print (:func:`rank`). The zone (with ``zone="within"``) is listed with ``in_sum`` False and takes
    no share, rank or contribution.
    """
    indicators = list(indicators or plan.indicator_codes)
    context = context if context is not None else load_context(plan=plan)
    obs = harmonise_codes(obs, plan)
    summed = set(district_codes(plan, zone))
    role = role_of(plan)
    rows = []
    for ind in indicators:
        kind = _kind(plan, ind)
        unit = str(plan.indicator(ind)["unit"])
        lv = levels(obs, plan, ind, year, zone)
        if lv.empty or year not in lv.columns:
            continue
        if kind == "flow":
            yrs = [y for y in lv.columns if plan.base_year < y <= year]
            value = lv[yrs].sum(axis=1, min_count=len(yrs))
            base = pd.Series(np.nan, index=lv.index)
            by = plan.base_year
        else:
            by = comparison_base_year(plan, lv)
            value = lv[year]
            base = lv[by] if by in lv.columns else pd.Series(np.nan, index=lv.index)
        in_sum = value.index.isin(list(summed))
        tot = value[in_sum].sum(min_count=1)
        df = pd.DataFrame({"indicator": ind, "kind": kind, "unit": unit,
                           "area_code": value.index, "role": [role.get(c) for c in value.index],
                           "in_sum": in_sum, "year": int(year), "base_year": by,
                           "base_value": base.to_numpy(), "value": value.to_numpy()})
        df = df.set_index("area_code", drop=False)
        if kind == "stock" and by < year:
            df["growth"] = [growth_rate(b, v) if b and not pd.isna(b) and not pd.isna(v) else np.nan
                            for b, v in zip(df["base_value"], df["value"])]
            df["cagr"] = [cagr(b, v, year - by) if b and not pd.isna(b) and not pd.isna(v) and b > 0 else np.nan
                          for b, v in zip(df["base_value"], df["value"])]
            df["index"] = df["value"] / df["base_value"] * 100.0
            ok = df[df["in_sum"]].dropna(subset=["base_value", "value"])
            if len(ok) == int(df["in_sum"].sum()) and len(ok):
                df["contribution_pp"] = contribution_to_growth(ok["base_value"], ok["value"])
            else:
                df["contribution_pp"] = np.nan
        else:
            df["growth"] = df["cagr"] = df["index"] = df["contribution_pp"] = np.nan
        df["share"] = np.where(df["in_sum"], df["value"] / tot, np.nan)
        df["rank"] = rank(df["value"].where(df["in_sum"]), unit=unit)
        df["rank_growth"] = rank(df["growth"].where(df["in_sum"]), unit="%", scale=100.0)
        df["normalised"] = normalise(df["value"], context, normalise_by)
        df["rank_normalised"] = rank(df["normalised"].where(df["in_sum"]), unit="" if normalise_by != "none" else unit,
                                     scale=normalised_scale(unit, normalise_by))
        df["normalise"] = normalise_by
        rows.append(df.reset_index(drop=True))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def index_matrix(comparison: pd.DataFrame, plan: Plan, lang: str = "zh") -> pd.DataFrame:
    """District × stock indicator matrix of the index (base = 100) from :func:`comparison_table`,
    rows labelled by district name, columns by indicator name (for the heatmap)."""
    st = comparison[(comparison["kind"] == "stock")]
    m = st.pivot_table(index="area_code", columns="indicator", values="index", sort=False)
    nm = names(plan, lang)
    order = [c for c in comparison["area_code"].drop_duplicates() if c in m.index]
    m = m.reindex(order)
    m.index = [nm.get(c, c) for c in m.index]
    m.columns = [plan.indicator_name(c, lang) for c in m.columns]
    return m


def group_of(plan: Plan, grouping: str | dict = "role") -> dict[str, str]:
    """Current area code → group: ``"role"`` (core / radiating / other, from areas.csv), ``"level"``
    (district / county / functional_zone …), or a dict given by the user (codes or names as keys)."""
    if isinstance(grouping, dict):
        return {lookup(k, plan): str(v) for k, v in grouping.items()}
    if grouping not in ("role", "level"):
        raise ValueError(f"grouping must be 'role', 'level' or a dict, got {grouping!r}")
    a = plan.areas
    return dict(zip(a["area_code"].astype(str), a[grouping].astype(str)))


def group_aggregates(obs: pd.DataFrame, plan: Plan, year: int, indicators: list[str] | None = None,
                     grouping: str | dict = "role", context: pd.DataFrame | None = None,
                     normalise_by: str = "population", zone: str = "separate") -> pd.DataFrame:
    """Sum of the summed districts by group, per indicator × year.

    Columns: ``indicator``, ``kind``, ``group``, ``year``, ``value`` (sum; NaN if a member is
    missing that year), ``members`` (``;``-joined codes), ``index`` (stocks: base year of
    :func:`comparison_base_year` = 100), ``cumulative`` (flows: running sum since the base year),
    ``normalised`` (value, or cumulative for flows, ÷ the context figures of the members that have a
    context row, over those members only — a zone without one is left out of numerator and
    denominator), ``share`` (of the summed total that year).
    """
    indicators = list(indicators or plan.indicator_codes)
    context = context if context is not None else load_context(plan=plan)
    obs = harmonise_codes(obs, plan)
    groups = group_of(plan, grouping)
    summed = district_codes(plan, zone)
    div = normaliser(context, normalise_by)
    rows = []
    for ind in indicators:
        kind = _kind(plan, ind)
        lv = levels(obs, plan, ind, year, zone)
        lv = lv.reindex([c for c in summed if c in lv.index])
        if lv.empty:
            continue
        by = comparison_base_year(plan, lv) if kind == "stock" else plan.base_year
        total = lv.sum(min_count=len(lv))
        order = [g for g in GROUPS if g in {groups.get(c) for c in lv.index}] + sorted(
            {groups.get(c, "other") for c in lv.index} - set(GROUPS))
        for g in order:
            members = [c for c in lv.index if groups.get(c, "other") == g]
            sub = lv.loc[members]
            s = sub.sum(min_count=len(members))
            s[sub.isna().any()] = np.nan
            with_ctx = [c for c in members if c in div.index and not pd.isna(div[c])]
            sub_n = lv.loc[with_ctx]
            if kind == "flow":
                cum = s.where(s.index > plan.base_year).cumsum()
                cum_n = sub_n.where(sub_n.columns.to_series() > plan.base_year, axis=1).T.cumsum().T.sum()
                norm = cum_n / div[with_ctx].sum() if with_ctx and normalise_by != "none" else cum
            else:
                cum = s * np.nan
                norm = sub_n.sum() / div[with_ctx].sum() if with_ctx and normalise_by != "none" else s
            b = s.get(by, np.nan)
            for y in lv.columns:
                rows.append({"indicator": ind, "kind": kind, "group": g, "year": int(y), "value": s[y],
                             "members": ";".join(members), "base_year": by,
                             "index": (s[y] / b * 100.0) if kind == "stock" and not pd.isna(b) and b else np.nan,
                             "cumulative": cum[y] if kind == "flow" else np.nan,
                             "normalised": norm[y] if y in norm.index else np.nan,
                             "share": s[y] / total[y] if not pd.isna(total[y]) and total[y] else np.nan})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- targets (the plan's targets split by area)
def read_targets(path: str | os.PathLike | None = None, plan: Plan | None = None, *, limits=None,
                 reads=None) -> pd.DataFrame:
    """District targets in the observations' tidy format (read and validated by the outturn intake,
    codes harmonised); the plan's ``district_targets`` file when no path is given. Stock indicators: a
    level target per year (the last is the target year); flow indicators: yearly targets, summed to date.
    Targets are not outturns: the edit checks of :func:`twocreate.checks.plausibility` are not run on
    them (so this module needs no reader above the intake)."""
    from .intake import read_outturn_file
    plan = plan or load_plan()
    path = Path(path) if path is not None else targets_path(plan)
    if path is None:
        raise InputError(f"plan {plan.id} names no district-targets file (district_targets in plan.toml): give one")
    got = read_outturn_file(path, plan, limits=limits, reads=reads)
    raise_problems(got.problems)
    return harmonise_codes(got.data, plan, source=got.source)


GAP_COLUMNS = ["indicator", "kind", "unit", "area_code", "base_year", "base_value", "latest_year", "value",
               "target_year", "target_value", "gap", "achievement", "ratio", "category", "verdict", "reason"]
"""Columns of :func:`target_gaps`."""


def target_gaps(obs: pd.DataFrame, targets: pd.DataFrame, plan: Plan, year: int) -> pd.DataFrame:
    """Each district judged against its own targets by :func:`twocreate.assess.assess` (never the city's).

    Stocks: the district's target of its last target year, from its base (the outturn of the plan's
    base year, else its first observed year); flows: the yearly targets summed, against the
    cumulative outturn. In the target year the verdict is achieved / not achieved, before it the pace.
    One row per district (in the order of ``areas.csv``) × indicator with a target and an outturn.
    Columns (:data:`GAP_COLUMNS`): indicator, kind, unit, area_code, base_year, base_value, latest_year,
    value (flows: the cumulative outturn), target_year, target_value, gap (target − value),
    achievement (value ÷ target; flows: cumulative ÷ cumulative target to date), ratio, category (the
    pace), verdict and reason (the engine's codes).
    """
    from .assess import assess
    t = harmonise_codes(targets, plan)
    h = harmonise_codes(obs, plan)
    rows = []
    have = set(t["area_code"].astype(str)) - {plan.city_code}
    for code in [c for c in district_codes(plan) if c in have]:
        mine = h[h["area_code"] == code]  # the engine reads this area's rows only
        a = assess(plan, mine, year, area=code, area_targets=t[t["area_code"] == code])
        for _, r in a.table.iterrows():
            if pd.isna(r["latest_year"]):
                continue
            flow = r["stock_flow"] == "flow"
            rows.append({"indicator": r["code"], "kind": r["stock_flow"], "unit": r["unit"], "area_code": code,
                         "base_year": r["base_year"], "base_value": np.nan if flow else r["base_value"],
                         "latest_year": r["latest_year"], "value": r["latest_value"], "target_year": r["target_year"],
                         "target_value": r["target_value"], "gap": r["target_value"] - r["latest_value"],
                         "achievement": (r["latest_value"] / r["cumulative_milestone"] if flow else r["completion"]),
                         "ratio": r["ratio"], "category": r["pace"], "verdict": r["verdict"],
                         "reason": r["reason"] if isinstance(r["reason"], str) else ""})
    order = {c: i for i, c in enumerate(plan.indicator_codes)}
    out = pd.DataFrame(rows, columns=GAP_COLUMNS)
    if not out.empty:
        out = out.assign(_o=out["indicator"].map(order)).sort_values(["_o"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)


def areas_with_targets(targets: pd.DataFrame | None, plan: Plan) -> list[str]:
    """Current codes of the districts that have a target of their own in ``targets``."""
    if targets is None or targets.empty:
        return []
    cur = _current_map(plan)
    have = {cur.get(str(c), str(c)) for c in targets["area_code"]}
    return [c for c in district_codes(plan) if c in have]


# --------------------------------------------------------------------------- one district
def profile_table(comparison: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """The rows of :func:`comparison_table` for one district (one per indicator)."""
    return comparison[comparison["area_code"] == str(area_code)].reset_index(drop=True)


def units_of(plan: Plan) -> dict[str, str]:
    """Indicator → unit."""
    return dict(zip(plan.indicators["code"], plan.indicators["unit"]))


__all__ = [
    "context_path", "targets_path", "context_year", "NORMALISATIONS", "GROUPS", "GAP_COLUMNS",
    "registry", "current_code", "district_codes", "zone_codes", "zone_hosts", "changes", "roles", "lookup",
    "harmonise_codes", "district_obs", "levels", "load_context", "no_context", "normalise", "normaliser",
    "normalised_scale", "contribution_to_growth", "rank", "index_series", "index_table", "index_tables",
    "comparison_base_year", "comparison_table", "index_matrix", "group_of", "group_aggregates",
    "read_targets", "target_gaps", "areas_with_targets", "profile_table", "city_levels",
]
