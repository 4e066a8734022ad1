"""Kinds of plan target and how each is assessed (any plan, not only the 2016 one).

A target has a **kind** and a **qualifier**, both plan data:

=============  ======================================================================================
kind           assessment
=============  ======================================================================================
growth         from a base year, optional yearly sub-targets: Eurostat ratio of actual to required
               compound growth (:func:`twocreate.indicators.assess_progress`)
level          a level to reach by the target year (9200家 by 2027): the same Eurostat ratio, the
               base being the plan's if it states one, else the first observed year (said so)
share          a share of a city total in % (≥ 43.1%): the percentage-point change achieved per year
               ÷ the change required per year, with the Eurostat bands (:func:`assess_share_target`)
cumulative     a count summed over the period (3600家 2025–2027): the yearly pace achieved ÷ the pace
               required (linear, like the 2016 plan's new employment)
relative       relative to a benchmark series (the provincial average): the gap closed per year ÷
               the gap to close per year; *not assessable* without the benchmark
qualitative    no number: listed, never assessed
=============  ======================================================================================

Qualifiers: ``at_least`` (以上, 不低于), ``about`` (左右: met within a tolerance, two-sided),
``at_most`` (以下, 不高于), ``strive`` (力争, 争取: judged like at_least, labelled an aspiration).
Categories are those of :data:`twocreate.indicators.CATEGORIES`; a target that cannot be assessed
gets no category and a reason (``no outturn yet``, ``benchmark not supplied`` …).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .indicators import assess_progress, categorise

KINDS = ("growth", "level", "share", "cumulative", "relative", "qualitative")
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "at_least": ("以上", "不低于", "不少于", "达到"),
    "about": ("左右", "约"),
    "at_most": ("以下", "不高于", "不超过"),
    "strive": ("力争", "争取"),
}
DEFAULT_TOLERANCE = {"level": 0.10, "growth": 0.10, "cumulative": 0.10, "share": 1.0, "relative": 1.0}
"""Half-width of an ``about`` band: a share of the target for levels and counts (±10%), percentage
points for shares and relative targets (±1 pp). A plan row may give its own."""


@dataclass(frozen=True)
class Assessment:
    """The verdict on one target at one point in time."""

    kind: str
    qualifier: str
    status: str  # achieved | not_achieved | above_range | not_assessable | not_assessed
    category: str | None  # one of indicators.CATEGORIES, or None when not assessable
    ratio: float  # actual pace ÷ required pace (NaN when not computed)
    latest_year: int | None = None
    latest_value: float | None = None
    base_year: int | None = None
    base_value: float | None = None
    base_from: str | None = None  # "plan" | "data" (first observed year)
    target: float | None = None
    reason: str = ""  # why not assessable, or how the base was chosen
    aspiration: bool = False  # 力争/争取: an aspiration, not a commitment

    @property
    def assessed(self) -> bool:
        return self.status not in ("not_assessable", "not_assessed")


def qualifier_of(text: str) -> str | None:
    """The qualifier a Chinese phrase carries: ``'43.1%以上'`` → ``at_least``; ``'力争…'`` → ``strive``."""
    for q in ("strive", "about", "at_most", "at_least"):  # 力争…以上 is an aspiration first
        if any(w in str(text) for w in QUALIFIERS[q]):
            return q
    return None


def band(target: float, qualifier: str, tolerance: float, kind: str) -> tuple[float, float]:
    """The values that meet the target: [low, high] (±inf where open)."""
    if qualifier in ("at_least", "strive"):
        return target, math.inf
    if qualifier == "at_most":
        return -math.inf, target
    if qualifier == "about":
        half = tolerance if kind in ("share", "relative") else abs(target) * tolerance
        return target - half, target + half
    raise ValueError(f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIERS)}")


def qualifier_met(value: float, target: float, qualifier: str, tolerance: float = 0.10, kind: str = "level") -> bool:
    """Whether ``value`` meets ``target`` under ``qualifier`` (``about``: within ±tolerance)."""
    lo, hi = band(target, qualifier, tolerance, kind)
    return lo <= value <= hi


def _base(series: pd.Series, base_value: float | None, base_year: int | None, latest_year: int):
    if base_value is not None and base_year is not None:
        return base_year, float(base_value), "plan", ""
    earlier = series[series.index < latest_year].dropna()
    if earlier.empty:
        return None, None, None, "no base: one observed year only"
    y = int(earlier.index.min())
    return y, float(earlier[y]), "data", f"base: the first observed year, {y}"


def _not(kind, qualifier, status, reason, target=None, **kw) -> Assessment:
    return Assessment(kind, qualifier, status, None, float("nan"), target=target, reason=reason,
                      aspiration=qualifier == "strive", **kw)


def assess_level_target(series: pd.Series, target: float, target_year: int, qualifier: str = "at_least", *,
                        base_value: float | None = None, base_year: int | None = None,
                        tolerance: float = DEFAULT_TOLERANCE["level"], kind: str = "level") -> Assessment:
    """A level (or growth target turned into a level) to reach by ``target_year``.

    ``series``: observed levels by year (the plan's unit). The base is the plan's if given, else the
    first observed year (``base_from="data"``). Achieved is checked first (the qualifier's band);
    otherwise R = actual CAGR ÷ required CAGR towards the band's near edge, in the Eurostat bands.
    """
    s = series.dropna().sort_index()
    if s.empty:
        return _not(kind, qualifier, "not_assessable", "no outturn yet", target)
    ly, lv = int(s.index.max()), float(s.iloc[-1])
    lo, hi = band(target, qualifier, tolerance, kind)
    common = dict(latest_year=ly, latest_value=lv, target=target, aspiration=qualifier == "strive")
    if lo <= lv <= hi:
        by, bv, bf, why = _base(s, base_value, base_year, ly)
        return Assessment(kind, qualifier, "achieved", "achieved", float("nan"), base_year=by, base_value=bv,
                          base_from=bf, reason=why, **common)
    if lv > hi:  # beyond an 'about' or 'at_most' band
        by, bv, bf, why = _base(s, base_value, base_year, ly)
        higher = False
        goal = hi
    else:
        by, bv, bf, why = _base(s, base_value, base_year, ly)
        higher = True
        goal = lo
    if by is None or by >= ly or bv is None or bv <= 0 or goal <= 0 or target_year <= by:
        return Assessment(kind, qualifier, "not_achieved", None, float("nan"), base_year=by, base_value=bv,
                          base_from=bf, reason=why or "no base to measure progress from", **common)
    p = assess_progress(bv, by, lv, ly, goal, target_year, higher_is_better=higher)
    status = "above_range" if (qualifier == "about" and not higher) else "not_achieved"
    return Assessment(kind, qualifier, status, p.category, p.ratio, base_year=by, base_value=bv, base_from=bf,
                      reason=why, **common)


def pp_ratio(base_pct: float, base_year: int, latest_pct: float, latest_year: int, target_pct: float,
             target_year: int) -> float:
    """Percentage-point change achieved per year ÷ change required per year (shares, gaps).

    ``pp_ratio(42.0, 2024, 43.0, 2026, 43.1, 2027)`` = (1.0 / 2) / (1.1 / 3) = 1.364.
    """
    if latest_year <= base_year or target_year <= base_year:
        raise ValueError("the latest and target years must come after the base year")
    actual = (latest_pct - base_pct) / (latest_year - base_year)
    required = (target_pct - base_pct) / (target_year - base_year)
    if required == 0:
        return math.inf if actual > 0 else (0.0 if actual == 0 else -math.inf)
    return actual / abs(required) * (1 if required > 0 else -1)


def share_series(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """Share in % by year from a numerator and a city-total denominator (same unit), years in both."""
    n, d = numerator.astype(float), denominator.astype(float)
    years = n.index.intersection(d.index)
    d = d[years].where(d[years] != 0)
    return (n[years] / d * 100).dropna().sort_index()


def assess_share_target(shares: pd.Series, target_pct: float, target_year: int, qualifier: str = "at_least", *,
                        base_pct: float | None = None, base_year: int | None = None,
                        tolerance_pp: float = DEFAULT_TOLERANCE["share"], kind: str = "share") -> Assessment:
    """A share of a city total (%) by ``target_year``: achieved if within the qualifier's band;
    otherwise the pp rule (:func:`pp_ratio`) towards the band's near edge, in the Eurostat bands.

    43.1%以上 reached at 43.0% is *not achieved*; from 42.0% in 2024 to 43.0% in 2026 the pace is
    0.5 pp a year against 0.367 required: R = 1.36, on track.
    """
    s = shares.dropna().sort_index()
    if s.empty:
        return _not(kind, qualifier, "not_assessable", "no outturn yet", target_pct)
    ly, lv = int(s.index.max()), float(s.iloc[-1])
    lo, hi = band(target_pct, qualifier, tolerance_pp, kind)
    by, bv, bf, why = _base(s, base_pct, base_year, ly)
    common = dict(latest_year=ly, latest_value=lv, target=target_pct, base_year=by, base_value=bv, base_from=bf,
                  aspiration=qualifier == "strive")
    if lo <= lv <= hi:
        return Assessment(kind, qualifier, "achieved", "achieved", float("nan"), reason=why, **common)
    goal, sign, status = (lo, 1, "not_achieved") if lv < lo else (hi, -1, "above_range" if qualifier == "about"
                                                                    else "not_achieved")
    if by is None or by >= ly or target_year <= by:
        return Assessment(kind, qualifier, status, None, float("nan"),
                          reason=why or "no base to measure progress from", **common)
    r = pp_ratio(bv, by, lv, ly, goal, target_year) if sign > 0 else pp_ratio(-bv, by, -lv, ly, -goal, target_year)
    return Assessment(kind, qualifier, status, categorise(r, False), r, reason=why, **common)


def assess_cumulative_target(flows: pd.Series, target: float, start_year: int, target_year: int,
                             qualifier: str = "at_least", *, tolerance: float = DEFAULT_TOLERANCE["cumulative"]
                             ) -> Assessment:
    """A count summed over ``start_year``–``target_year`` (3600家 over 2025–2027).

    R = average yearly count achieved ÷ average yearly count required (a linear pace, never a
    compound rate): 1300 + 1100 by 2026 against 3600 by 2027 gives (2400/2) / (3600/3) = 1.0.
    """
    s = flows.dropna().sort_index()
    s = s[(s.index >= start_year) & (s.index <= target_year)]
    if s.empty:
        return _not("cumulative", qualifier, "not_assessable", "no outturn yet", target)
    ly = int(s.index.max())
    cum = float(s.sum())
    lo, hi = band(target, qualifier, tolerance, "cumulative")
    common = dict(latest_year=ly, latest_value=cum, target=target, base_year=start_year, base_value=0.0,
                  base_from="plan", aspiration=qualifier == "strive")
    if lo <= cum <= hi:
        return Assessment("cumulative", qualifier, "achieved", "achieved", float("nan"), **common)
    elapsed, total = ly - start_year + 1, target_year - start_year + 1
    goal = lo if cum < lo else hi
    r = (cum / elapsed) / (goal / total) if goal > 0 else float("nan")
    status = "not_achieved" if cum < lo else ("above_range" if qualifier == "about" else "not_achieved")
    reason = "" if len(s) == elapsed else f"years without a figure count as zero ({elapsed - len(s)})"
    return Assessment("cumulative", qualifier, status, categorise(r, False) if r == r else None, r,
                      reason=reason, **common)


def assess_relative_target(series: pd.Series, benchmark: pd.Series | None, target_year: int,
                           qualifier: str = "at_least", *, tolerance: float = DEFAULT_TOLERANCE["relative"]
                           ) -> Assessment:
    """Reach a benchmark series (the provincial average) by ``target_year``.

    Without a benchmark: *not assessable* ("benchmark not supplied"). With one: achieved if the
    latest value meets the benchmark of the same year under the qualifier; otherwise the gap closed
    per year ÷ the gap to close per year (:func:`pp_ratio` on value − benchmark, target 0).
    """
    if benchmark is None or benchmark.dropna().empty:
        return _not("relative", qualifier, "not_assessable", "benchmark not supplied")
    gap = (series.astype(float) - benchmark.astype(float)).dropna().sort_index()
    if gap.empty:
        return _not("relative", qualifier, "not_assessable",
                    "no outturn yet" if series.dropna().empty else "no year with both the outturn and the benchmark")
    a = assess_share_target(gap, 0.0, target_year, qualifier, tolerance_pp=tolerance, kind="relative")
    ly = a.latest_year
    return Assessment("relative", qualifier, a.status, a.category, a.ratio, ly, float(series[ly]), a.base_year,
                      float(series[a.base_year]) if a.base_year is not None else None, a.base_from,
                      float(benchmark[ly]), a.reason, a.aspiration)


def assess_qualitative(qualifier: str = "at_least") -> Assessment:
    """A target without a number: listed, not assessed."""
    return _not("qualitative", qualifier, "not_assessed", "qualitative target: no number to assess")


def _series(obs: pd.DataFrame, code: str | None, area: str) -> pd.Series:
    if code is None or obs is None or obs.empty:
        return pd.Series(dtype=float)
    o = obs[(obs["indicator"] == code) & (obs["area_code"].astype(str) == str(area))]
    return pd.Series(o["value"].to_numpy(dtype=float), index=o["year"].astype(int).to_numpy()).sort_index()


def assess_plan(plan, obs: pd.DataFrame, year: int, area: str | None = None,
                benchmarks: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every target of ``plan`` assessed by its kind with the outturns up to ``year`` (one row each).

    Columns: ``code, target_kind, qualifier, target, target_year, status, category, ratio,
    latest_year, latest_value, base_year, base_value, base_from, reason, aspiration, from_pair``
    (True when a share was computed from its numerator and denominator). Shares come
    from the indicator's own % series, or from its ``numerator``/``denominator`` series when the
    plan names them; relative targets need the ``benchmark`` series in ``benchmarks`` (or in
    ``obs``), else they are *not assessable*. Growth targets are the trajectory report's
    (:func:`twocreate.indicators.progress_table`): listed here as not assessed.
    """
    area = str(area or plan.city_code)
    o = obs[obs["year"].astype(int) <= int(year)] if obs is not None and not obs.empty else obs
    b = benchmarks if benchmarks is not None else o
    rows = []
    for _, r in plan.indicators.iterrows():
        kind, q = str(r["target_kind"]), str(r["qualifier"])
        ty = int(r["target_year"])
        tol = None if pd.isna(r["tolerance"]) else float(r["tolerance"])
        tv = None if pd.isna(r["target_value"]) else float(r["target_value"])
        s = _series(o, r["code"], area)
        from_pair = False
        if kind == "share":
            if r["numerator"] is not None and s.empty:
                s = share_series(_series(o, r["numerator"], area), _series(o, r["denominator"], area))
                from_pair = not s.empty
            a = assess_share_target(s, tv, ty, q, **({"tolerance_pp": tol} if tol else {}))
        elif kind == "level":
            a = assess_level_target(s, tv, ty, q, **({"tolerance": tol} if tol else {}))
        elif kind == "cumulative":
            start = int(plan.meta.get("period_start", plan.base_year + 1))
            a = assess_cumulative_target(s, tv, start, ty, q, **({"tolerance": tol} if tol else {}))
        elif kind == "relative":
            bench = _series(b[b["year"].astype(int) <= int(year)] if b is not None and not b.empty else b,
                            r["benchmark"], area)
            a = assess_relative_target(s, bench if not bench.empty else None, ty, q,
                                       **({"tolerance": tol} if tol else {}))
        elif kind == "growth":
            a = _not("growth", q, "not_assessed", "growth target: assessed in the trajectory report")
        else:
            a = assess_qualitative(q)
        rows.append({"code": r["code"], "target_kind": kind, "qualifier": q,
                     "target": tv if kind != "relative" else a.target, "target_year": ty,
                     "status": a.status, "category": a.category, "ratio": a.ratio,
                     "latest_year": a.latest_year, "latest_value": a.latest_value, "base_year": a.base_year,
                     "base_value": a.base_value, "base_from": a.base_from, "reason": a.reason,
                     "aspiration": a.aspiration, "from_pair": from_pair})
    return pd.DataFrame(rows)
