"""Observed outturns in the house format: one row per indicator × area × year.

Any layout the intake reads (:mod:`twocreate.intake`: tidy or wide, Chinese or English headers,
CSV or workbook) is accepted. The tidy columns (English or Chinese headers):

=============  ==============================================================
indicator      an indicator (or supporting series) of the plan: code, name or alias
area_code      an area of the plan's ``areas.csv``: code, name or alias
year           the calendar year, from the plan's base year to its target year
value          the level (the year's inflow for a flow); ``1,234``, ``12.3万`` accepted
unit           any unit convertible to the indicator's (``data/raw/units/units.csv``)
status         official / provisional / estimate / illustrative
source         where the figure comes from (free text, required)
note           optional
=============  ==============================================================

Negative values are errors, and so is a zero where ``indicators.csv`` marks the indicator
``positive``; extra columns are ignored. Values are converted to the indicator's unit on reading;
the returned frame has ``year`` as int and ``value`` as float. A plan's own outturn file is the one
its ``plan.toml`` names (:func:`plan_observations`).
"""
from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from .checks import load_thresholds, plausibility
from . import config
from .intake import COLUMNS, STATUSES, Check, Intake, read_outturn_file  # noqa: F401 (re-exported)
from .io import InputError, Problem, raise_problems
from .limits import Limits
from .plan import Plan, load_plan
from .sourced import Sourced


def plan_observations(plan) -> Path | None:
    """The outturn file a plan's reports use when none is given: the ``observations`` file its
    ``plan.toml`` names (in the plan folder or ``data/raw/observations/``; a path leading outside
    them is refused, :func:`twocreate.plan.plan_file`); None when it names none (the reports then
    say that no outturn was supplied)."""
    from .plan import plan_file
    return plan_file(plan, "observations", None)


# the former constant DEFAULT_OBSERVATIONS: now the outturn file the default plan's plan.toml names
__getattr__ = config.former_constants(__name__, DEFAULT_OBSERVATIONS=lambda: plan_observations(load_plan()))


def empty() -> pd.DataFrame:
    """No outturns: the house format with no row (a plan transcribed before any figure exists)."""
    df = pd.DataFrame({c: pd.Series([], dtype=object) for c in COLUMNS})
    df["year"] = df["year"].astype(int)
    df["value"] = df["value"].astype(float)
    return df


def nothing_read() -> Sourced:
    """No outturn file: :func:`empty` rows, no source, no check (what :func:`read_sourced` gives for a
    plan without figures)."""
    return Sourced(empty())


def outturns_up_to(obs: pd.DataFrame, year: int) -> pd.DataFrame:
    """The outturns a report for ``year`` may use: those of ``year`` and before (a 2016 report never
    shows 2017 figures)."""
    return obs[obs["year"] <= int(year)]


def intake(path: str | os.PathLike, plan: Plan | None = None, *, sheet: str | int | None = None,
           thresholds: dict | None = None, edit_checks: bool = True, limits: Limits | None = None,
           reads=None) -> Intake:
    """Read ``path`` in any layout and run the edit checks; never raises for bad cells.

    ``Intake.problems`` are errors, ``Intake.checks`` the intake's notices and warnings followed by
    the plausibility warnings of :func:`twocreate.checks.plausibility` on the clean rows.
    """
    plan = plan or load_plan()
    got = read_outturn_file(path, plan, sheet=sheet, limits=limits, reads=reads)
    if edit_checks and not got.data.empty:
        got.checks += plausibility(got.data, plan, thresholds if thresholds is not None else load_thresholds(reads=reads),
                                   source=got.source)
    return got


def check_observations(path: str | os.PathLike, plan: Plan | None = None, *, sheet: str | int | None = None
                       ) -> tuple[pd.DataFrame, list[Problem]]:
    """Read ``path`` and return (clean rows, every problem found). Never raises for bad cells."""
    got = intake(path, plan, sheet=sheet)
    return got.data, got.problems


def read_observations(path: str | os.PathLike | None = None, plan: Plan | None = None, *,
                      sheet: str | int | None = None, limits: Limits | None = None, reads=None) -> pd.DataFrame:
    """The rows of :func:`read_sourced`: the house format (``indicator, area_code, year, value, unit,
    status, source, note``, values in the indicator's unit) plus ``row``, the line each value came
    from. Raises as :func:`read_sourced` does."""
    return read_sourced(path, plan, sheet=sheet, limits=limits, reads=reads).frame


def read_sourced(path: str | os.PathLike | None = None, plan: Plan | None = None, *,
                 sheet: str | int | None = None, limits: Limits | None = None, reads=None) -> Sourced:
    """Read and validate an outturn file (default: the plan's own, :func:`plan_observations`), any layout.

    Returns a :class:`~twocreate.sourced.Sourced`: ``frame`` the rows of :func:`read_observations`;
    ``source``, ``path``, ``layout``, ``encoding`` and ``header_row`` of the file; ``checks`` the
    intake's notices and the edit-check warnings (see :func:`data_checks`).
    Raises :class:`~twocreate.InputError` (one line: file, row, column, value, expectation;
    ``err.problems`` lists them all) if any row is invalid. ``reads``: a :class:`~twocreate.io.ReadLog`
    given every file read (the outturns and the edit-check thresholds).
    """
    if path is None:
        plan = plan or load_plan()
        path = plan_observations(plan)
        if path is None:
            raise InputError(f"plan {plan.id} names no default outturn file (observations in plan.toml): "
                             "give the outturn file")
    got = intake(Path(path), plan, sheet=sheet, limits=limits, reads=reads)
    raise_problems(got.problems)
    return Sourced(got.data, source=got.source, path=str(path), layout=got.layout, encoding=got.encoding,
                   checks=tuple(got.checks), header_row=got.header_row)


def data_checks(got: Sourced, *, exclude: tuple[str, ...] = (), area_code: str | None = None) -> pd.DataFrame:
    """The notices and warnings recorded when ``got`` (:func:`read_sourced`) was read (a table for a
    report's data-check section); ``exclude`` drops kinds of check a report shows otherwise,
    ``area_code`` keeps the checks about that area and those about the file as a whole."""
    from .checks import checks_frame
    df = checks_frame([c for c in got.checks if c.check not in exclude])
    if area_code is not None:
        df = df[df["area_code"].isna() | (df["area_code"] == str(area_code))]
    return df.reset_index(drop=True)


def is_illustrative(obs: pd.DataFrame) -> bool:
    """True if any row of ``obs`` is illustrative (then every chart and table must say so)."""
    return bool((obs["status"] == "illustrative").any())


def series(obs: pd.DataFrame, indicator: str, area_code: str) -> pd.Series:
    """Values of one indicator in one area, indexed by year (indicator unit)."""
    sel = obs[(obs["indicator"] == indicator) & (obs["area_code"] == str(area_code))]
    return pd.Series(sel["value"].to_numpy(), index=sel["year"].to_numpy(), name=indicator).sort_index()
