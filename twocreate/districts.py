"""Districts: registry, 2015 context data, and fair comparisons of districts on the plan's indicators.

The plan (§二(四)) names 济南高新区, 市中区 and 历下区 as the core demonstration areas and expects
them to radiate to 章丘市, 平阴县, 商河县 and 济阳县. The district table itself lives in
``data/raw/plans/jinan-2016-twocreate/areas.csv`` (read by :func:`twocreate.plan.load_plan`); this module adds what a
comparison needs on top of it and never copies it.

Administrative changes (2015–2018)
    章丘市 370181 became 章丘区 370114 (2017) and 济阳县 370125 became 济阳区 370115 (2018).
    :func:`harmonise_codes` maps every predecessor code to its successor, so a series reported
    under the code valid in each year is continuous. Comparisons always use current codes.

The High-tech Zone (济南高新区, 370171)
    A functional zone, not an administrative unit: its territory lies inside 历城区, 历下区 and
    章丘. How its figures relate to the districts' depends on the data supplier; every function
    that sums districts takes ``zone``:

    * ``"separate"`` (default, and what the shipped illustrative data do): the zone is reported as
      a unit of its own and the host districts' figures *exclude* firms registered in the zone, so
      the zone plus the ten administrative districts add up to the city.
    * ``"within"``: district figures *include* the zone's firms; the zone is then a memo item,
      shown but left out of sums, group aggregates, shares and contributions (no double counting).

    The 2015 yearbook has no row for the zone, so it has no per-capita, per-km² or
    per-budget-revenue figure, and normalised *group* figures are computed over the districts
    that have a yearbook row only (zone excluded from numerator and denominator alike).

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

    :func:`check_districts` returns the warnings (and, with ``additivity="error"``, raises);
    each :class:`Issue` names the district, indicator and year.

Conventions: levels stay in the indicator's unit (万元, 万人次, 项); growth is a fraction; the
index is 100 in its base year; contributions are percentage points as plain numbers (15.0 = 15 pp),
unlike growth, which is a fraction (0.20 = 20%).
New employment is a flow: districts are compared on cumulative person-times since 2016, never
on growth since 2015 or on a compound rate.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .indicators import cagr, growth_rate
from .io import InputError, Problem, raise_problems, read_table
from .plan import Plan, load_plan


def context_file() -> Path:
    """The shipped yearbook context table (``data/raw/districts/``)."""
    return config.paths().raw / "districts" / "jinan_districts_2015_yearbook.csv"


def targets_example() -> Path:
    """The shipped example district targets (``data/raw/districts/targets_example.csv``)."""
    return config.paths().raw / "districts" / "targets_example.csv"


# the former constants, resolved when used
__getattr__ = config.former_constants(__name__, DISTRICTS_DIR=lambda: config.paths().raw / "districts",
                                      CONTEXT_FILE=context_file, TARGETS_EXAMPLE=targets_example)

CONTEXT_YEAR = 2015
TOLERANCE = 0.005
GROUPS = ("core", "radiating", "other")
GROUP_LABELS = {
    "core": {"zh": "核心示范区", "en": "Core demonstration areas"},
    "radiating": {"zh": "辐射带动县（市、区）", "en": "Radiating counties"},
    "other": {"zh": "其他区", "en": "Other districts"},
    "city": {"zh": "全市", "en": "Whole city"},
}
ZONE_POLICIES = ("separate", "within")

# how: (context column, factor applied to the context value, unit label zh, unit label en)
NORMALISATIONS = {
    "none": (None, 1.0, "", ""),
    "population": ("population_10k", 1.0, "每万人", "per 10,000 people"),
    "area": ("area_km2", 1.0, "每平方公里", "per km²"),
    "budget_revenue": ("budget_revenue_10k_yuan", 1e-4, "每亿元一般公共预算收入", "per 亿元 (CNY 100 million) of budget revenue"),
}
NORMALISATION_LABELS = {
    "none": {"zh": "总量（未标准化）", "en": "totals (not normalised)"},
    "population": {"zh": "按2015年总人口标准化（每万人）", "en": "per 10,000 people (2015 population)"},
    "area": {"zh": "按2015年土地面积标准化（每平方公里）", "en": "per km² (2015 land area)"},
    "budget_revenue": {"zh": "按2015年一般公共预算收入标准化（每亿元）",
                       "en": "per 亿元 of 2015 public budget revenue"},
}


# --------------------------------------------------------------------------- registry
def zone_codes(plan: Plan) -> list[str]:
    """Codes of functional zones (not administrative units): the High-tech Zone 370171."""
    a = plan.areas
    return a.loc[a["level"] == "functional_zone", "area_code"].astype(str).tolist()


def current_code(code: str, plan: Plan) -> str:
    """The code in use at the end of the plan period: follows ``successor_code`` (370181 → 370114)."""
    succ = dict(zip(plan.areas["area_code"].astype(str), plan.areas["successor_code"]))
    code = str(code)
    if code not in succ:
        raise InputError(f"unknown district code {code!r}: expected an area code of the plan's areas.csv "
                         f"({', '.join(district_codes(plan))})")
    seen = {code}
    while succ.get(code):
        code = str(succ[code])
        if code in seen:
            break
        seen.add(code)
    return code


def registry(plan: Plan) -> pd.DataFrame:
    """The district registry, built from ``plan.areas`` (one row per area code, old codes included).

    Adds: ``current_code`` (successor at the end of the plan period), ``is_current``,
    ``is_zone`` (functional zone), ``has_context`` (a 2015 yearbook row exists),
    ``predecessors`` (``;``-joined old codes), ``short_zh`` (name without 区/县/市 suffix).
    """
    a = plan.areas.copy()
    a["area_code"] = a["area_code"].astype(str)
    a["current_code"] = [current_code(c, plan) for c in a["area_code"]]
    a["is_current"] = a["valid_to"].isna()
    a["is_zone"] = a["level"] == "functional_zone"
    ctx_codes: set[str] = set()
    if context_file().exists():
        ctx = read_table(context_file(), required=["area_code"])
        ctx_codes = {current_code(c, plan) for c in ctx["area_code"]}
    a["has_context"] = a["current_code"].isin(ctx_codes)
    a["predecessors"] = [";".join(sorted(a.loc[(a["current_code"] == c) & (a["area_code"] != c), "area_code"]))
                         for c in a["area_code"]]
    a["short_zh"] = [_short_zh(n) for n in a["name_zh"]]
    return a


def _short_zh(name: str) -> str:
    n = str(name)
    if n.startswith("济南") and len(n) > 3:
        n = n[2:]
    return n[:-1] if len(n) > 2 and n[-1] in "区县市" and not n.endswith("高新区") else n


def district_codes(plan: Plan, zone: str = "separate", include_zone: bool = True) -> list[str]:
    """Current district codes in registry order (core, radiating, other).

    With ``zone="within"`` or ``include_zone=False`` the High-tech Zone is left out (use that
    list for sums: districts then add up to the city without double counting).
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
    """Current area code → role (core / radiating / other)."""
    return dict(zip(plan.areas["area_code"].astype(str), plan.areas["role"]))


def names(plan: Plan, lang: str = "zh") -> dict[str, str]:
    """Area code → name in ``lang`` (old codes keep their old names)."""
    return dict(zip(plan.areas["area_code"].astype(str), plan.areas[f"name_{'zh' if lang == 'zh' else 'en'}"]))


def _aliases(plan: Plan) -> dict[str, str]:
    reg = registry(plan)
    out: dict[str, str] = {}
    for _, r in reg.iterrows():
        cur = r["current_code"]
        for a in (r["area_code"], r["name_zh"], r["name_en"], r["short_zh"]):
            if a:
                out[_norm(a)] = cur
        en = str(r["name_en"])
        out[_norm(re.sub(r"\s*\(.*\)$", "", en))] = cur
        out[_norm(re.sub(r"\s+(District|County|Zone)$", "", re.sub(r"\s*\(.*\)$", "", en)))] = cur
    out[_norm("高新区")] = out.get(_norm("高新区"), zone_codes(plan)[0] if zone_codes(plan) else "")
    out[_norm("High-tech Zone")] = out[_norm("高新区")]
    return {k: v for k, v in out.items() if k and v}


def _norm(s: object) -> str:
    return re.sub(r"\s+", " ", str(s)).strip().lower()


def lookup(name_or_code: str, plan: Plan) -> str:
    """Current area code for a code, a Chinese or English name, a short or an old name.

    ``"章丘市"``, ``"章丘"``, ``"370181"``, ``"Zhangqiu District"`` → ``"370114"``;
    ``"高新区"`` → ``"370171"``. Unknown → :class:`~twocreate.InputError` listing the known names.
    """
    al = _aliases(plan)
    key = _norm(name_or_code)
    if key.endswith(".0"):
        key = key[:-2]
    if key in al:
        return al[key]
    known = "、".join(f"{n}({c})" for c, n in zip(plan.areas["area_code"], plan.areas["name_zh"]))
    raise InputError(f"unknown district {name_or_code!r}: expected a code or name of the plan's areas.csv: {known}")


# --------------------------------------------------------------------------- observations
def harmonise_codes(obs: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Map predecessor codes to successor codes (章丘市 370181 → 370114, 济阳县 370125 → 370115).

    The returned frame keeps the reported code in ``reported_code``. A district reported for
    the same indicator and year under both its old and new code is an error
    (:class:`~twocreate.InputError` naming the district, indicator and year); so is an area code
    not in ``areas.csv``.
    """
    out = obs.copy()
    out["area_code"] = out["area_code"].astype(str)
    known = set(plan.areas["area_code"].astype(str))
    bad = sorted(set(out["area_code"]) - known)
    if bad:
        raise InputError(f"unknown district code(s) {', '.join(bad)}: expected area codes of the plan's areas.csv")
    out["reported_code"] = out["area_code"]
    out["area_code"] = [current_code(c, plan) for c in out["area_code"]]
    dup = out[out.duplicated(["indicator", "area_code", "year"], keep=False)]
    if not dup.empty:
        nm = names(plan)
        problems = []
        for (ind, code, year), g in dup.groupby(["indicator", "area_code", "year"], sort=True):
            reported = " and ".join(sorted(set(g["reported_code"])))
            problems.append(Problem(obs.attrs.get("source", "observations"), None, "area_code", reported,
                                    f"one row for {nm.get(code, code)} ({code}), {ind}, {year}: it is reported "
                                    f"under both its old and its new code"))
        raise_problems(problems)
    out.attrs = dict(obs.attrs)
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


def load_context(path: str | os.PathLike | None = None, plan: Plan | None = None, *, limits=None) -> pd.DataFrame:
    """The 2015 district context table (Shandong Statistical Yearbook 2016, table 21-1), indexed by current code.

    Columns: ``district_zh`` (yearbook name), ``population_10k`` (万人), ``area_km2``,
    ``budget_revenue_10k_yuan`` and ``budget_expenditure_10k_yuan`` (万元), ``reported_code``.
    The High-tech Zone has no row. Unknown codes or non-numeric cells raise
    :class:`~twocreate.InputError`.
    """
    from .schema import validate
    plan = plan or load_plan()
    path = Path(path) if path is not None else context_file()
    schema = context_schema()
    df = read_table(path, required=schema.required, limits=limits)
    src = df.attrs["source"]
    if df.empty:
        raise InputError(f"{src}: no data row below the header: expected one row per district")
    table, problems = validate(df, schema, {"areas": sorted(set(plan.areas["area_code"].astype(str)))})
    raise_problems(problems)
    cols = ["district_zh"] + CONTEXT_NUMBERS + [c for c in CONTEXT_OPTIONAL if c in df.columns]
    out = table[cols].astype({c: float for c in cols if c != "district_zh"})
    out.insert(0, "reported_code", table["area_code"].astype(str).to_numpy())
    out.index = pd.Index([current_code(c, plan) for c in table["area_code"]], name="area_code")
    out = out[["reported_code", "district_zh"] + cols[1:]]
    out.attrs = {"source": src, "path": str(path), "year": CONTEXT_YEAR, "encoding": df.attrs.get("encoding", ""),
                 "warnings": df.attrs.get("warnings", [])}
    return out


def normaliser(context: pd.DataFrame, how: str) -> pd.Series:
    """Divisor per current area code for ``how`` (population / area / budget_revenue / none)."""
    if how not in NORMALISATIONS:
        raise ValueError(f"normalise must be one of {', '.join(NORMALISATIONS)}, got {how!r}")
    col, factor, _, _ = NORMALISATIONS[how]
    if col is None:
        return pd.Series(1.0, index=context.index)
    return context[col].astype(float) * factor


def normalise(values: pd.Series | pd.DataFrame, context: pd.DataFrame, how: str) -> pd.Series | pd.DataFrame:
    """Divide values indexed by current area code by the 2015 context figure.

    ``population``: per 10,000 people (万元 per 万人 = 元 per person); ``area``: per km²;
    ``budget_revenue``: per 亿元 of public budget revenue; ``none``: unchanged. Areas without a
    yearbook row (the High-tech Zone) get NaN, except with ``none``.
    """
    if how == "none":
        return values.copy()
    d = normaliser(context, how)
    return values.div(d.reindex(values.index), axis=0)


def normalised_unit(unit: str, how: str, lang: str = "zh") -> str:
    """A label such as ``万元/万人`` → "元/人" style text for axis titles and captions."""
    if how == "none":
        return unit
    _, _, zh, en = NORMALISATIONS[how]
    return f"{unit}（{zh}）" if lang == "zh" else f"{unit} {en}"


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


def rank(values: pd.Series, ascending: bool = False) -> pd.Series:
    """Competition ranking (pandas ``method="min"``): the largest value is 1 and ties share the
    best rank, the next rank is skipped (values 9, 7, 7, 5 → ranks 1, 2, 2, 4). NaN stays
    unranked (<NA>)."""
    return values.rank(method="min", ascending=ascending).astype("Int64")


def index_series(levels_row: pd.Series, base_year: int) -> pd.Series:
    """Levels indexed by year as an index, ``base_year`` = 100 (NaN if the base is missing or zero)."""
    b = levels_row.get(base_year, np.nan)
    if pd.isna(b) or b == 0:
        return levels_row * np.nan
    return levels_row / b * 100.0


def comparison_base_year(plan: Plan, lv: pd.DataFrame) -> int:
    """The base year of comparisons: the plan's (2015) when every district has it, else the
    earliest year every district reports (2016 for the shipped technology-contract and patent
    figures: the plan states no 2015 city level for them)."""
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
    ``attrs["base_year"]`` says which base was used."""
    lv = levels(obs, plan, indicator, year, zone)
    by = base_year or comparison_base_year(plan, lv)
    out = lv.apply(lambda r: index_series(r, by), axis=1) if not lv.empty else lv
    city = city_levels(obs, plan, indicator, year, zone)
    out.loc[plan.city_code] = index_series(city.reindex(lv.columns), by)
    out.attrs["base_year"] = by
    return out


def city_levels(obs: pd.DataFrame, plan: Plan, indicator: str, year: int | None = None,
                zone: str = "separate") -> pd.Series:
    """The city series: sum of the summed districts where all report, else the city's own rows."""
    lv = levels(obs, plan, indicator, year, zone)
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


def comparison_table(obs: pd.DataFrame, plan: Plan, year: int, indicators: list[str] | None = None,
                     context: pd.DataFrame | None = None, normalise_by: str = "population",
                     zone: str = "separate") -> pd.DataFrame:
    """One row per indicator × district: the numbers behind the comparison charts and tables.

    Stock indicators: ``base_year`` (see :func:`comparison_base_year`), ``base_value``,
    ``value`` (level in ``year``), ``growth`` (fraction), ``cagr``, ``index`` (base = 100),
    ``share`` (of the sum of the summed districts), ``contribution_pp`` (to the city's growth),
    ``rank`` (of the level), ``rank_growth``, ``normalised`` (level ÷ 2015 context figure) and
    ``rank_normalised``. New employment (a flow): ``value`` is the cumulative person-times from
    the year after the base year to ``year``; growth, CAGR and index are NaN; share, rank and
    normalised use the cumulative figure, and ``contribution_pp`` is NaN.
    The zone (with ``zone="within"``) is listed with ``in_sum`` False and takes no share, rank
    or contribution.
    """
    indicators = list(indicators or plan.indicator_codes)
    context = context if context is not None else load_context(plan=plan)
    summed = set(district_codes(plan, zone))
    roles = role_of(plan)
    rows = []
    for ind in indicators:
        kind = _kind(plan, ind)
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
        df = pd.DataFrame({"indicator": ind, "kind": kind, "unit": plan.indicator(ind)["unit"],
                           "area_code": value.index, "role": [roles.get(c) for c in value.index],
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
        df["rank"] = rank(df["value"].where(df["in_sum"]))
        df["rank_growth"] = rank(df["growth"].where(df["in_sum"]))
        df["normalised"] = normalise(df["value"], context, normalise_by)
        df["rank_normalised"] = rank(df["normalised"].where(df["in_sum"]))
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
    ``normalised`` (value, or cumulative for flows, ÷ the 2015 context figures of the members that
    have a yearbook row, over those members only — the zone is left out of numerator and denominator),
    ``share`` (of the summed total that year).
    """
    indicators = list(indicators or plan.indicator_codes)
    context = context if context is not None else load_context(plan=plan)
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


# --------------------------------------------------------------------------- checks
@dataclass(frozen=True)
class Issue:
    """A finding of :func:`check_districts`: ``severity`` is ``"warning"`` or ``"error"``."""

    severity: str
    kind: str  # "additivity" | "missing_year"
    indicator: str
    area_code: str | None
    year: int
    message: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


def check_districts(obs: pd.DataFrame, plan: Plan, tolerance: float = TOLERANCE, zone: str = "separate",
                    additivity: str = "warning", lang: str = "en") -> list[Issue]:
    """Check district figures: additivity to the city total and complete years.

    * For each indicator × year with a city row and district rows: the summed districts
      (see ``zone``) must add up to the city figure within ``tolerance`` (relative to the city
      figure, default 0.5%) — a **warning** (``additivity="error"``: an :class:`~twocreate.InputError`).
    * A district missing a year that other districts report for the indicator: a **warning**
      naming the district and the year (that district's growth, share and the group sums for
      that year are left blank, not guessed).

    Unknown codes are errors raised by :func:`harmonise_codes`. Returns the issues found.
    """
    if additivity not in ("warning", "error"):
        raise ValueError("additivity must be 'warning' or 'error'")
    h = harmonise_codes(obs, plan)
    nm = names(plan, lang)
    summed = district_codes(plan, zone)
    issues: list[Issue] = []
    for ind in [c for c in plan.indicator_codes if c in set(h["indicator"])]:
        d = h[(h["indicator"] == ind) & (h["area_code"].isin(summed))]
        if d.empty:
            continue
        unit = plan.indicator(ind)["unit"]
        years = sorted(set(d["year"]))
        reporting = [c for c in summed if c in set(d["area_code"])]
        for y in years:
            have = set(d.loc[d["year"] == y, "area_code"])
            for c in reporting:
                if c not in have:
                    msg = (f"{nm.get(c, c)}（{c}）缺少{y}年{plan.indicator_name(ind, 'zh')}数据" if lang == "zh" else
                           f"{nm.get(c, c)} ({c}): no {plan.indicator_name(ind, 'en')} figure for {y}, "
                           f"which other districts report")
                    issues.append(Issue("warning", "missing_year", ind, c, int(y), msg))
        city = h[(h["indicator"] == ind) & (h["area_code"] == plan.city_code)]
        for _, r in city.sort_values("year").iterrows():
            y = int(r["year"])
            dy = d[d["year"] == y]
            if dy.empty:
                continue
            s, c_ = float(dy["value"].sum()), float(r["value"])
            rel = abs(s - c_) / abs(c_) if c_ else (0.0 if s == 0 else math.inf)
            if rel > tolerance:
                sev = additivity
                msg = (f"{plan.indicator_name(ind, 'zh')}{y}年：各区县合计{s:,.6g}{unit}与全市{c_:,.6g}{unit}相差"
                       f"{rel:.1%}（容差{tolerance:.1%}；{len(dy)}个区县）" if lang == "zh" else
                       f"{plan.indicator_name(ind, 'en')} {y}: districts add up to {s:,.6g} {unit}, the city figure is "
                       f"{c_:,.6g} {unit}: {rel:.1%} apart (tolerance {tolerance:.1%}; {len(dy)} districts)")
                issues.append(Issue(sev, "additivity", ind, None, y, msg))
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise InputError(errors[0].message + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
                         [Problem(obs.attrs.get("source", "observations"), None, "value", None, e.message)
                          for e in errors])
    return issues


# --------------------------------------------------------------------------- targets (指标分解)
def read_targets(path: str | os.PathLike | None = None, plan: Plan | None = None, *, limits=None) -> pd.DataFrame:
    """District targets in the observations' tidy format (read and validated by the outturn intake,
    codes harmonised). Stock indicators: a level target for its year; new employment: yearly targets
    (flows), summed to date. Targets are not outturns: the edit checks of
    :func:`twocreate.checks.plausibility` are not run on them (so this module needs no reader above
    the intake)."""
    from .intake import read_outturn_file
    plan = plan or load_plan()
    path = Path(path) if path is not None else targets_example()
    got = read_outturn_file(path, plan, limits=limits)
    raise_problems(got.problems)
    t = got.data
    t.attrs = {"source": got.source, "path": str(path), "layout": got.layout,
               "checks": [c.as_dict() for c in got.checks]}
    return harmonise_codes(t, plan)


def target_gaps(obs: pd.DataFrame, targets: pd.DataFrame, plan: Plan, year: int) -> pd.DataFrame:
    """Each district judged against its own targets by :func:`twocreate.assess.assess` (never the city's).

    Stocks: the district's target of its last target year, from its base (the outturn of the plan's
    base year, else its first observed year); flows: the yearly targets summed, against the
    cumulative outturn. In the target year the verdict is achieved / not achieved, before it the pace.
    Columns: indicator, kind, unit, area_code, base_year, base_value, latest_year, value (flows: the
    cumulative outturn), target_year, target_value, gap (target − value), achievement (value ÷ target;
    flows: cumulative ÷ cumulative target to date), ratio, category (the pace), verdict.
    """
    from .assess import assess
    t = harmonise_codes(targets, plan)
    cols = ["indicator", "kind", "unit", "area_code", "base_year", "base_value", "latest_year", "value",
            "target_year", "target_value", "gap", "achievement", "ratio", "category", "verdict"]
    rows = []
    areas = [c for c in dict.fromkeys(t["area_code"].astype(str)) if c != plan.city_code]
    judged = {code: assess(plan, obs, year, area=code, area_targets=t).table.set_index("code") for code in areas}
    for ind in [c for c in plan.indicator_codes if c in set(t["indicator"])]:
        for code in [c for c in levels(obs, plan, ind, year).index if c in judged and ind in judged[c].index]:
            r = judged[code].loc[ind]
            if pd.isna(r["latest_year"]):
                continue
            flow = r["stock_flow"] == "flow"
            rows.append({"indicator": ind, "kind": r["stock_flow"], "unit": r["unit"], "area_code": code,
                         "base_year": r["base_year"], "base_value": np.nan if flow else r["base_value"],
                         "latest_year": r["latest_year"], "value": r["latest_value"], "target_year": r["target_year"],
                         "target_value": r["target_value"], "gap": r["target_value"] - r["latest_value"],
                         "achievement": (r["latest_value"] / r["cumulative_milestone"] if flow else r["completion"]),
                         "ratio": r["ratio"], "category": r["pace"], "verdict": r["verdict"]})
    out = pd.DataFrame(rows, columns=cols)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- one district
def profile_table(comparison: pd.DataFrame, area_code: str) -> pd.DataFrame:
    """The rows of :func:`comparison_table` for one district (one per indicator)."""
    return comparison[comparison["area_code"] == str(area_code)].reset_index(drop=True)


def units_of(plan: Plan) -> dict[str, str]:
    """Indicator → unit."""
    return dict(zip(plan.indicators["code"], plan.indicators["unit"]))


__all__ = [
    "context_file", "targets_example", "GROUP_LABELS", "NORMALISATIONS", "NORMALISATION_LABELS", "Issue",
    "registry", "current_code", "district_codes", "zone_codes", "lookup", "harmonise_codes", "district_obs",
    "levels", "load_context", "normalise", "normaliser", "normalised_unit", "contribution_to_growth", "rank",
    "index_series", "index_table", "comparison_base_year", "comparison_table", "index_matrix", "group_of",
    "group_aggregates", "check_districts", "read_targets", "target_gaps", "profile_table", "city_levels",
]
