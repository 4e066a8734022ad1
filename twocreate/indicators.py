"""Growth arithmetic of the plan's indicators (the building blocks of :mod:`twocreate.assess`).

Conventions: growth rates are fractions (0.33 for 33%); levels are in the indicator's unit
(万元, 万人次, 项); compound growth is computed on levels, never on growth rates; flows
(new employment, 万人次) are summed, never compounded.

Progress follows the method Eurostat uses in its EU SDG monitoring report (and Statistics
Canada / Open SDG): actual compound annual growth since the base year against the growth
required to reach the target in its year, ratio R = actual / |required| signed by the desired
direction; "achieved" is checked first.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

CATEGORIES = ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration")
ON_TRACK = 0.95
ACCELERATION = 0.60


# --------------------------------------------------------------------------- growth arithmetic
def growth_rate(start: float, end: float) -> float:
    """Growth from ``start`` to ``end`` as a fraction: (end − start) / start (notes 1, 3 and 4)."""
    if start == 0:
        raise ZeroDivisionError("growth from a zero start is undefined")
    return (end - start) / start


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from level ``start`` to level ``end`` over ``years`` years.

    ``cagr(8030, 10687, 3)`` ≈ 0.1000 (the plan's revenue path, 亿元).
    """
    if years <= 0:
        raise ValueError("years must be positive")
    if start <= 0 or end < 0:
        raise ValueError("CAGR needs a positive start level and a non-negative end level")
    return (end / start) ** (1.0 / years) - 1.0


def implied_baseline(target_value: float, growth: float) -> float:
    """The base level from which ``growth`` (a fraction: 0.98 for 98%) reaches ``target_value``.

    ``implied_baseline(170000, 0.98)`` = 85,858.6 万元 (technology contracts, 2015).
    """
    if growth <= -1:
        raise ValueError("growth must be greater than -100%")
    return target_value / (1.0 + growth)


def yoy_growth(levels: pd.Series) -> pd.Series:
    """Year-on-year growth (fraction) of a level series indexed by year; NaN where a year is missing."""
    s = levels.sort_index().astype(float)
    full = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1))
    return (full / full.shift(1) - 1.0).reindex(s.index)


def cumulative_flow_growth(flows: list[float] | pd.Series, divisor: float) -> float:
    """Note 2: (new employment 2016 + 2017 + 2018) / divisor, as a fraction."""
    return float(np.sum(flows)) / divisor


# --------------------------------------------------------------------------- rates used in monitoring
def achievement_rate(outturn: float, subtarget: float) -> float:
    """完成率: outturn / that year's sub-target (fraction; 1.0 = exactly met)."""
    return outturn / subtarget


def catch_up_rate(latest_value: float, latest_year: int, target_value: float, target_year: int) -> float:
    """Annual compound growth needed from the latest observed year to reach the target in time.

    NaN when the latest year is the target year or later (no time left to catch up).
    """
    if latest_year >= target_year:
        return float("nan")
    return cagr(latest_value, target_value, target_year - latest_year)


def time_progress(base_value: float, base_year: int, latest_value: float, latest_year: int,
                  target_value: float, target_year: int) -> tuple[float, float]:
    """序时进度: (share of the base→target gap closed, share of the period elapsed)."""
    gap = target_value - base_value
    closed = (latest_value - base_value) / gap if gap != 0 else float("nan")
    elapsed = (latest_year - base_year) / (target_year - base_year)
    return closed, elapsed


@dataclass(frozen=True)
class Progress:
    """The result of a progress assessment; rates are fractions per year."""

    actual_rate: float
    required_rate: float
    ratio: float
    catch_up_rate: float
    category: str

    def as_dict(self) -> dict:
        return asdict(self)


def categorise(ratio: float, achieved: bool) -> str | None:
    """Category from the ratio R (Eurostat thresholds 0.95 and 0.60); ``achieved`` is checked first.
    A ratio that is not a number has no category (None: not assessable, never deterioration)."""
    if achieved:
        return "achieved"
    from .assess.rules import categorise as _cat
    return _cat(ratio)


def assess_progress(base_value: float, base_year: int, latest_value: float, latest_year: int,
                    target_value: float, target_year: int, higher_is_better: bool = True) -> Progress:
    """Progress of a level (stock) indicator towards its target, Eurostat-style.

    actual = CAGR(base → latest); required = CAGR(base → target); R = actual / |required|,
    negated when lower is better. Achieved (latest at or beyond the target in the desired
    direction) is checked first. If the target equals the base level (required = 0) and is not
    achieved, R is −inf (the indicator moved the wrong way).
    """
    if latest_year <= base_year:
        raise ValueError("the latest year must come after the base year")
    if target_year <= base_year:
        raise ValueError("the target year must come after the base year")
    actual = cagr(base_value, latest_value, latest_year - base_year)
    required = cagr(base_value, target_value, target_year - base_year)
    achieved = latest_value >= target_value if higher_is_better else latest_value <= target_value
    sign = 1.0 if higher_is_better else -1.0
    if required == 0:
        ratio = float("inf") if sign * actual > 0 else (0.0 if actual == 0 else float("-inf"))
    else:
        ratio = sign * actual / abs(required)
    catch = catch_up_rate(latest_value, latest_year, target_value, target_year) if not achieved else float("nan")
    return Progress(actual, required, ratio, catch, categorise(ratio, achieved))


def assess_flow_progress(cumulative_actual: float, cumulative_target_to_date: float,
                         total_target: float, years_elapsed: int, years_total: int) -> Progress:
    """Progress of a flow (new employment, 万人次) on cumulative person-times.

    R = cumulative outturn / cumulative target to date (the plan's yearly sub-targets summed:
    a linear pace, never a compound rate). Achieved when the cumulative outturn reaches the
    total target. ``actual_rate`` and ``required_rate`` are the average yearly flows observed
    and planned to date (万人次 a year); ``catch_up_rate`` is the average yearly flow still
    needed over the remaining years (NaN when none remain or the total is reached).
    """
    if cumulative_target_to_date <= 0:
        raise ValueError("the cumulative target to date must be positive")
    if not 0 < years_elapsed <= years_total:
        raise ValueError("years_elapsed must be between 1 and years_total")
    ratio = cumulative_actual / cumulative_target_to_date
    achieved = cumulative_actual >= total_target
    remaining = years_total - years_elapsed
    catch = (total_target - cumulative_actual) / remaining if remaining > 0 and not achieved else float("nan")
    return Progress(cumulative_actual / years_elapsed, cumulative_target_to_date / years_elapsed,
                    ratio, catch, categorise(ratio, achieved))


