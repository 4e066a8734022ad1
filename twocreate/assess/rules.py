"""The verdict arithmetic of every kind of target: numbers in, codes and numbers out (no words).

A target is described by a :class:`Target` (built from plan data by :mod:`twocreate.assess.specs`)
and judged on its outturn series with :func:`judge`. The rules, for report year Y and target
year T:

- **Y ≥ T**: *achieved* or *not achieved*, with the completion (outturn ÷ target) and the gap to
  the target's band; the pace is computed beside it as context, never as the verdict.
- **Y < T**, outturn already inside the target's band: *reached early* (not achieved).
- **Y < T** otherwise: the pace, Eurostat's ratio R of the pace achieved to the pace required,
  in the categories on track (R ≥ 0.95), acceleration needed (≥ 0.60), limited progress (≥ 0)
  and deterioration (< 0). Thresholds are :class:`Settings`.
- A ratio that cannot be computed is *not assessable*, with a reason code; never deterioration.

Paces by kind: stocks (growth, level) compare compound annual growth rates from the base
(CAGR on levels); shares and targets relative to a benchmark compare percentage-point changes
a year; flows compare the cumulative inflow with the cumulative milestone path (a linear pace,
never compounded).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

PACE_CATEGORIES = ("on_track", "acceleration_needed", "limited_progress", "deterioration")
VERDICTS = ("achieved", "not_achieved", "reached_early") + PACE_CATEGORIES + (
    "not_assessable", "not_assessed", "no_area_target")
"""Every verdict code, in the order reports list them."""
TARGET_KINDS = ("growth", "level", "share", "cumulative", "relative", "qualitative")
QUALIFIERS = ("at_least", "about", "at_most", "strive")
BASE_SOURCES = ("observed", "stated", "implied")
REASONS = ("no_outturn", "no_outturn_for_target_year", "no_base", "base_not_positive", "only_base_year",
           "missing_years", "benchmark_missing", "no_common_year", "qualitative", "kind_unclear",
           "no_area_target", "no_target_value")
"""Reason codes of results that are not (fully) assessed; views turn them into words."""


@dataclass(frozen=True)
class Settings:
    """Method settings of the assessment (report parameters; the texts that explain them use them).

    ``on_track`` and ``acceleration`` are Eurostat's thresholds of R; ``about_tolerance`` the
    half-width of an "about" (左右) band as a fraction of the target (levels, counts, flows) and
    ``about_tolerance_pp`` in percentage points (shares, relative targets), unless a plan row
    gives its own ``tolerance``.
    """

    on_track: float = 0.95
    acceleration: float = 0.60
    about_tolerance: float = 0.10
    about_tolerance_pp: float = 1.0

    def __post_init__(self):
        if not (0 < self.acceleration < self.on_track):
            raise ValueError("thresholds must satisfy 0 < acceleration < on_track")
        if self.about_tolerance <= 0 or self.about_tolerance_pp <= 0:
            raise ValueError("tolerances must be positive")


@dataclass(frozen=True)
class Target:
    """One target of one area, as the rules need it (units: the target's own, e.g. 亿元, 家, %).

    ``milestones``: the plan's value per year (a level for stocks and shares, the year's inflow
    for flows). ``target_value``: the value to reach in ``target_year`` (for flows: the total over
    ``start_year``…``target_year``); None when it follows from milestones or the headline.
    ``headline``: the headline growth as a fraction (0.33), for growth targets and for a flow's
    cumulative % (Σ inflows ÷ base-year stock). ``stated_base``: the base the plan states (a
    level for stocks; the base-year stock for flows).
    """

    code: str
    area_code: str
    target_kind: str
    stock_flow: str  # stock | flow
    unit: str
    qualifier: str = "at_least"
    target_year: int = 0
    base_year: int | None = None
    start_year: int | None = None
    headline: float | None = None
    target_value: float | None = None
    milestones: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    stated_base: float | None = None
    tolerance: float | None = None

    @property
    def is_share(self) -> bool:
        return self.target_kind in ("share", "relative")


def categorise(ratio: float, settings: Settings = Settings()) -> str | None:
    """Eurostat category of the ratio R; None when R is not a number (not assessable)."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return None
    if ratio < 0:  # any fall, however small, is a fall
        return "deterioration"
    r = round(ratio, 9)  # 0.9499999999999988 from float arithmetic counts as 0.95
    if r >= settings.on_track:
        return "on_track"
    if r >= settings.acceleration:
        return "acceleration_needed"
    return "limited_progress"


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth from level ``start`` to ``end`` over ``years`` years (fraction)."""
    if years <= 0:
        raise ValueError("years must be positive")
    if start <= 0 or end < 0:
        raise ValueError("CAGR needs a positive start level and a non-negative end level")
    return (end / start) ** (1.0 / years) - 1.0


def band(target: float, qualifier: str, tolerance: float, absolute: bool) -> tuple[float, float]:
    """The values that meet ``target`` under ``qualifier``: [low, high] (±inf where open).

    ``about`` is two-sided: ± ``tolerance`` in the target's unit when ``absolute`` (percentage
    points for shares), else ± ``tolerance`` × |target|.
    """
    if qualifier in ("at_least", "strive"):
        return target, math.inf
    if qualifier == "at_most":
        return -math.inf, target
    if qualifier == "about":
        half = tolerance if absolute else abs(target) * tolerance
        return target - half, target + half
    raise ValueError(f"unknown qualifier {qualifier!r}; expected one of {', '.join(QUALIFIERS)}")


def position(value: float, lo: float, hi: float) -> str:
    """``below``, ``within`` or ``above`` the band."""
    return "below" if value < lo else ("above" if value > hi else "within")


def _signed_ratio(actual: float, required: float, direction: int) -> float:
    """R = direction × actual ÷ |required|: positive when the outturn moves towards the goal."""
    if required == 0:
        return math.inf if direction * actual > 0 else (0.0 if actual == 0 else -math.inf)
    return direction * actual / abs(required)


def pp_ratio(base: float, base_year: int, latest: float, latest_year: int, goal: float, target_year: int,
             direction: int = 1) -> float:
    """Percentage-point change achieved a year ÷ change required a year (towards ``goal``).

    ``pp_ratio(42.0, 2024, 43.0, 2026, 43.1, 2027)`` = (1.0/2) / (1.1/3) = 1.364. ``direction`` is
    +1 when the outturn must rise to the goal, −1 when it must fall.
    """
    actual = (latest - base) / (latest_year - base_year)
    required = (goal - base) / (target_year - base_year)
    return _signed_ratio(actual, required, direction)


def growth_ratio(base: float, base_year: int, latest: float, latest_year: int, goal: float,
                 target_year: int, direction: int = 1) -> tuple[float, float, float]:
    """(actual CAGR, required CAGR, R) on levels: R = direction × actual ÷ |required| (Eurostat).

    ``growth_ratio(100, 2015, 124, 2017, 150, 2018)``: 11.36% a year against 14.47%, R = 0.785.
    """
    actual = cagr(base, latest, latest_year - base_year)
    required = cagr(base, goal, target_year - base_year)
    return actual, required, _signed_ratio(actual, required, direction)


def _nan() -> float:
    return float("nan")


@dataclass
class Result:
    """The judgement of one target: every number a report or table shows, and codes for words."""

    verdict: str
    reason: str = ""
    pace: str | None = None
    ratio: float = field(default_factory=_nan)
    actual_rate: float = field(default_factory=_nan)
    required_rate: float = field(default_factory=_nan)
    target_value: float = field(default_factory=_nan)
    band_low: float = field(default_factory=_nan)
    band_high: float = field(default_factory=_nan)
    latest_year: int | None = None
    latest_value: float = field(default_factory=_nan)
    year_value: float = field(default_factory=_nan)
    base_year: int | None = None
    base_value: float = field(default_factory=_nan)
    base_source: str | None = None
    base_stated: float = field(default_factory=_nan)
    base_implied: float = field(default_factory=_nan)
    base_observed: float = field(default_factory=_nan)
    growth_since_base: float = field(default_factory=_nan)
    completion: float = field(default_factory=_nan)
    gap: float = field(default_factory=_nan)
    position: str | None = None
    needed: float = field(default_factory=_nan)
    milestone_year: int | None = None
    milestone_value: float = field(default_factory=_nan)
    milestone_outturn: float = field(default_factory=_nan)
    milestone_completion: float = field(default_factory=_nan)
    milestone_met: bool | None = None
    cumulative_milestone: float = field(default_factory=_nan)
    gap_closed: float = field(default_factory=_nan)
    time_elapsed: float = field(default_factory=_nan)
    missing_years: str = ""
    benchmark_value: float = field(default_factory=_nan)


def _f(x) -> float:
    return _nan() if x is None else float(x)


def _series(s: pd.Series | None, year: int) -> pd.Series:
    if s is None:
        return pd.Series(dtype=float)
    s = pd.Series(s, dtype=float).dropna()
    s.index = s.index.astype(int)
    return s[s.index <= year].sort_index()


def _tolerance(t: Target, settings: Settings) -> float:
    if t.tolerance is not None and not math.isnan(t.tolerance):
        return float(t.tolerance)
    return settings.about_tolerance_pp if t.is_share else settings.about_tolerance


def _verdict_from(res: Result, final: bool, inside: bool, settings: Settings) -> Result:
    """Set the verdict from the pace and the band, by report year against target year."""
    if final:
        res.verdict = "achieved" if inside else "not_achieved"
        return res
    if inside:
        res.verdict = "reached_early"
        return res
    if res.pace is None:
        res.verdict = "not_assessable"
    else:
        res.verdict = res.pace
    return res


def _milestone(res: Result, t: Target, year: int | None, outturn: float, path: pd.Series, lo_hi=None) -> None:
    """The milestone of ``year`` (a level; for flows the cumulative path), outturn and whether met."""
    if year is None or year not in path.index:
        return
    m = float(path.loc[year])
    res.milestone_year, res.milestone_value, res.milestone_outturn = int(year), m, float(outturn)
    res.milestone_completion = outturn / m if m else _nan()
    if t.qualifier == "at_most":
        res.milestone_met = bool(outturn <= m)
    elif t.qualifier == "about" and lo_hi is not None:
        lo, hi = lo_hi
        res.milestone_met = bool(lo <= outturn <= hi)
    else:
        res.milestone_met = bool(outturn >= m)


# long: the method's steps for one stock target in order (base, goal, position, pace, verdict), each using the last; split, they would pass a dozen values along
def judge_stock(t: Target, series: pd.Series, year: int, settings: Settings = Settings(),
                benchmark: pd.Series | None = None) -> Result:
    """Growth, level, share and relative targets: a level (or a share in %) to reach by T.

    Only outturns of years up to ``year`` count, and (when the target has a base year) only
    those after the base year can be the latest. Bases: *observed* (the outturn of the base
    year) first, else *stated* (the plan's figure), else *implied* (final milestone ÷ (1 +
    headline)); for a target with none of these, the first observed year before the latest
    (observed; ``base_year`` says which). A relative target is judged on its gap to the
    benchmark of the same year (target gap 0, in percentage points).
    """
    s = _series(series, year)
    final = year >= t.target_year
    res = Result("not_assessable")
    ms = _series(t.milestones, 10_000)
    tv = t.target_value
    if tv is None and t.target_year in ms.index:
        tv = float(ms.loc[t.target_year])
    implied = tv / (1.0 + t.headline) if (t.headline is not None and tv is not None
                                           and t.target_kind == "growth") else None
    res.base_stated, res.base_implied = _f(t.stated_base), _f(implied)
    relative = t.target_kind == "relative"
    if relative:
        b = _series(benchmark, year)
        if b.empty:
            res.reason = "benchmark_missing"
            return res
        ev = (s - b).dropna()
        if ev.empty:
            res.reason = "no_outturn" if s.empty else "no_common_year"
            return res
        goal_value = 0.0
    else:
        ev, goal_value = s, tv
    later = ev[ev.index > t.base_year] if t.base_year is not None else ev
    if later.empty:
        res.reason = "no_outturn"
        return res
    ly = int(later.index.max())
    lv = float(ev.loc[ly])
    res.latest_year, res.latest_value = ly, float(s.loc[ly])
    if relative:
        res.benchmark_value = res.target_value = float(_series(benchmark, year).loc[ly])
    # the base
    by = bv = src = None
    if t.base_year is not None and t.base_year in ev.index:
        by, bv, src = t.base_year, float(ev.loc[t.base_year]), "observed"
    elif t.stated_base is not None and t.base_year is not None and not relative:
        by, bv, src = t.base_year, float(t.stated_base), "stated"
    elif implied is not None and t.base_year is not None:
        by, bv, src = t.base_year, float(implied), "implied"
    else:
        earlier = ev[ev.index < ly]
        if not earlier.empty:
            by = int(earlier.index.min())
            bv, src = float(earlier.loc[by]), "observed"
    if src == "observed":
        res.base_observed = float(s.loc[by])
    if goal_value is None and t.headline is not None and bv is not None and t.target_kind == "growth":
        goal_value = tv = bv * (1.0 + t.headline)
    if goal_value is None:
        res.reason = "no_target_value"
        return res
    res.base_year, res.base_source = by, src
    if bv is not None:
        res.base_value = float(s.loc[by]) if relative else float(bv)
    if not relative:
        res.target_value = float(tv)
    absolute = t.is_share
    lo, hi = band(goal_value, t.qualifier, _tolerance(t, settings), absolute)
    if not relative:
        res.band_low, res.band_high = lo, hi
    pos = res.position = position(lv, lo, hi)
    inside = pos == "within"
    goal = lo if pos == "below" else (hi if pos == "above" else goal_value)
    res.gap = 0.0 if inside else abs(goal - lv)  # in the unit; percentage points for shares
    res.completion = (res.latest_value / res.benchmark_value if relative and res.benchmark_value
                      else lv / tv if (not relative and tv) else _nan())
    if bv is not None:
        res.growth_since_base = (lv - bv) if t.is_share else (lv / bv - 1.0 if bv else _nan())
        if goal != bv and t.target_year > by:
            res.gap_closed = (lv - bv) / (goal - bv)
            res.time_elapsed = (ly - by) / (t.target_year - by)
    if not relative:
        about = band(float(ms.loc[ly]), "about", _tolerance(t, settings), absolute) \
            if (ly in ms.index and t.qualifier == "about") else None
        _milestone(res, t, ly, lv, ms, about)
    # the pace (the verdict before the target year, context after it)
    direction = -1 if pos == "above" else 1
    if by is None:
        reason = "no_base"
    elif by >= ly or t.target_year <= by:
        reason = "only_base_year" if by >= ly else "no_base"
    elif t.is_share:
        res.actual_rate = (lv - bv) / (ly - by)
        res.required_rate = (goal - bv) / (t.target_year - by)
        res.ratio, reason = pp_ratio(bv, by, lv, ly, goal, t.target_year, direction), ""
    elif bv <= 0 or goal <= 0 or lv < 0:
        reason = "base_not_positive"
    else:
        res.actual_rate, res.required_rate, res.ratio = growth_ratio(bv, by, lv, ly, goal, t.target_year, direction)
        reason = ""
    res.pace = categorise(res.ratio, settings)
    left = t.target_year - ly
    if left > 0 and not inside:
        if t.is_share:
            res.needed = (goal - lv) / left
        elif lv > 0 and goal > 0:
            res.needed = cagr(lv, goal, left)
    if final and ly < t.target_year:
        res.verdict, res.reason = "not_assessable", "no_outturn_for_target_year"
        return res
    out = _verdict_from(res, final, inside, settings)
    if out.verdict == "not_assessable":
        out.reason = reason or "no_base"
    return out


# long: the same steps for a flow target (path, ratio, verdict) in the order of the method
def judge_flow(t: Target, series: pd.Series, year: int, settings: Settings = Settings()) -> Result:
    """A flow (new jobs, firms cultivated) summed over ``start_year``…``target_year``.

    The path is the cumulative sum of the yearly milestones, or a straight line to the total when
    the plan gives none. R = cumulative outturn ÷ cumulative path to date. A headline % on a flow
    is Σ inflows ÷ base-year stock: the stock is the plan's (stated) or total ÷ headline (implied);
    ``growth_since_base`` is the cumulative outturn's share of it.
    """
    start = t.start_year if t.start_year is not None else (t.base_year + 1 if t.base_year is not None else None)
    s = _series(series, year)
    ms = _series(t.milestones, 10_000)
    if start is None:
        start = int(ms.index.min()) if not ms.empty else (int(s.index.min()) if not s.empty else t.target_year)
    s = s[(s.index >= start) & (s.index <= t.target_year)]
    ms = ms[(ms.index >= start) & (ms.index <= t.target_year)]
    final = year >= t.target_year
    res = Result("not_assessable")
    total = t.target_value if t.target_value is not None else (float(ms.sum()) if not ms.empty else None)
    if total is None:
        res.reason = "no_target_value"
        return res
    res.target_value = float(total)
    implied = total / t.headline if t.headline else None
    res.base_stated, res.base_implied = _f(t.stated_base), _f(implied)
    if t.stated_base is not None:
        res.base_value, res.base_source = float(t.stated_base), "stated"
    elif implied is not None:
        res.base_value, res.base_source = float(implied), "implied"
    res.base_year = start - 1
    if s.empty:
        res.reason = "no_outturn"
        return res
    ly = int(s.index.max())
    years = list(range(start, ly + 1))
    missing = [y for y in years if y not in s.index]
    cum = float(s.sum())
    res.latest_year, res.latest_value, res.year_value = ly, cum, float(s.loc[ly])
    res.missing_years = ";".join(map(str, missing))
    n_total = t.target_year - start + 1
    if not ms.empty:
        path = ms.reindex(range(start, t.target_year + 1)).fillna(0.0).cumsum()
    else:
        path = pd.Series([total * (k + 1) / n_total for k in range(n_total)], index=range(start, t.target_year + 1))
    lo, hi = band(float(total), t.qualifier, _tolerance(t, settings), False)
    res.band_low, res.band_high = lo, hi
    pos = position(cum, lo, hi)
    res.position = pos
    inside = pos == "within"
    res.completion = cum / total if total else _nan()
    res.gap = 0.0 if inside else (lo - cum if pos == "below" else cum - hi)
    if not math.isnan(res.base_value) and res.base_value:
        res.growth_since_base = cum / res.base_value
    to_date = res.cumulative_milestone = float(path.loc[ly])
    if ly in ms.index:  # the year's inflow against the year's milestone
        about = band(float(ms.loc[ly]), "about", _tolerance(t, settings), False) if t.qualifier == "about" else None
        _milestone(res, t, ly, float(s.loc[ly]), ms, about)
    elapsed = ly - start + 1
    res.actual_rate, res.required_rate = cum / elapsed, to_date / elapsed
    edge = lo if pos == "below" else (hi if pos == "above" else total)
    goal_path = to_date * edge / total if total else _nan()
    if pos == "above":  # above an 'about' or 'at most' band: the path is a ceiling
        res.ratio = goal_path / cum if cum else _nan()
    else:
        res.ratio = cum / goal_path if goal_path else _nan()
    res.pace = categorise(res.ratio, settings)
    res.gap_closed, res.time_elapsed = res.completion, elapsed / n_total
    left = t.target_year - ly
    if left > 0 and pos == "below":
        res.needed = (lo - cum) / left
    if final and not inside and missing:
        res.verdict, res.reason = "not_assessable", "missing_years"
        return res
    if final and ly < t.target_year and not inside:
        res.verdict, res.reason = "not_assessable", "no_outturn_for_target_year"
        return res
    out = _verdict_from(res, final, inside, settings)
    if missing and not out.reason:
        out.reason = "missing_years"
    return out


def judge(t: Target, series: pd.Series, year: int, settings: Settings = Settings(),
          benchmark: pd.Series | None = None) -> Result:
    """The verdict on target ``t`` in report ``year`` from its outturn ``series`` (year → value)."""
    if t.target_kind == "qualitative":
        return Result("not_assessed", reason="qualitative")
    if t.stock_flow == "flow":
        return judge_flow(t, series, year, settings)
    return judge_stock(t, series, year, settings, benchmark)
