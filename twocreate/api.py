"""The short API: what a statistician types in a notebook (``import twocreate as tc``).

=====================================================  ======================================================
call                                                   returns
=====================================================  ======================================================
``tc.load_plan(id_or_folder=None)``                    the plan (:class:`~twocreate.plan.Plan`)
``tc.read_outturns(path=None, plan=None, sheet=None)`` the tidy outturns (a DataFrame), notices and warnings
                                                       shown in ``.attrs["notices"]`` / ``.attrs["warnings"]``
``tc.assess(plan, outturns, year=None, area=None)``    one row per target, from the one engine
                                                       (:class:`~twocreate.assess.Assessment`)
``tc.compare_districts(plan, outturns, year=None,      the district comparison
indicators=None, areas=None)``                         (:class:`~twocreate.api.DistrictComparison`)
``tc.fund_model(plan, scenario=None, **overrides)``    the allocation, both readings of the leverage ratio,
                                                       the package multiplier (:class:`~twocreate.funds.FundModel`)
``tc.chart(result, lang="zh")``                        the matplotlib figure that goes with any of the above
=====================================================  ======================================================

Every call takes ``(plan, outturns, …)`` in this order, ``area`` for an area (``area_code=`` is
accepted as a deprecated alias), and understands what users type, or refuses it in one line
(:mod:`twocreate.resolve`): indicator codes, Chinese and English names and aliases; area codes, names
and aliases; years as ``2020``, ``"2020"`` or ``"2020年"`` inside the plan's period; relative paths
against the current folder. Defaults come from the plan: ``year=None`` is its target year, the
outturns ``None`` its default outturn file (``observations`` in ``plan.toml``).

The older module functions (``twocreate.plan.load_plan``, ``twocreate.assess.assess``,
``twocreate.districts.comparison_table``, ``twocreate.funds.fund_model`` …) stay as they are.
"""
from __future__ import annotations

import math
import os
import warnings
from pathlib import Path

import pandas as pd

from dataclasses import dataclass, field

from . import resolve
from .errors import InputError

__all__ = ["load_plan", "read_outturns", "assess", "compare_districts", "fund_model", "chart", "InputError"]


def load_plan(id_or_folder: str | os.PathLike | None = None):
    """The plan: an id of ``data/raw/plans/`` or a plan folder (default: the default plan), validated.

    A bad plan folder raises :class:`InputError` naming file, row, column and value (``err.problems``
    holds every problem).

    >>> import twocreate as tc
    >>> plan = tc.load_plan()
    >>> from twocreate.api import plan_ids
    >>> plan.id in plan_ids() and plan.base_year < plan.target_year
    True
    """
    from .plan import load_plan as _load, resolve_plan
    text = "" if id_or_folder is None else str(id_or_folder)
    if "/" in text or os.sep in text:  # a folder: relative to the current folder, said so when missing
        id_or_folder = resolve.path(text, what="plan folder")
    return _load(resolve_plan(id_or_folder))


def plan_ids() -> list[str]:
    """The ids of the plans in ``data/raw/plans/``."""
    from .plan import plan_ids as _ids
    return _ids()


def read_outturns(path: str | os.PathLike | None = None, plan=None, sheet: str | int | None = None) -> pd.DataFrame:
    """The outturns of a file in any layout the intake reads (CSV or workbook, tidy or wide, Chinese or
    English headers), as the tidy house format: ``indicator, area_code, year, value, unit, status,
    source`` (+ ``note``, ``row``: the line each value came from), values in each indicator's unit.

    ``path``: a file (relative paths are read from the current folder; the error says which folder that
    is and where the file is if it is in the project root); None → the plan's default outturn file.
    ``plan``: the plan (default: the default plan). ``sheet``: a workbook's sheet by name or number.
    A bad cell raises :class:`InputError` (file, row, column, value, what was expected).

    What the reading found is copied into the frame's ``.attrs``, for you to look at: ``notices`` and
    ``warnings`` (the intake's notices and the plausibility warnings, one line each), ``checks`` (each
    as a record), ``layout`` (``tidy``, ``wide_years``, ``wide_indicators``), ``source`` (the file's
    name) and ``plan`` (the plan's id, which :func:`chart` uses when given no plan). It is a copy for
    display: pandas keeps ``attrs`` through some operations and not others, so the library itself never
    reads findings from a frame; it keeps them in the reader's result,
    :func:`twocreate.observations.read_sourced` (a :class:`~twocreate.sourced.Sourced`: ``.frame``,
    ``.checks``, ``.notices``, ``.layout`` …), which the reports use.

    >>> import twocreate as tc
    >>> obs = tc.read_outturns()                      # the plan's default (illustrative) outturns
    >>> list(obs.columns[:7])
    ['indicator', 'area_code', 'year', 'value', 'unit', 'status', 'source']
    >>> obs.attrs["layout"], type(obs.attrs["notices"]).__name__
    ('tidy', 'list')
    >>> tc.read_outturns("no/such/file.csv")         # doctest: +ELLIPSIS
    Traceback (most recent call last):
    twocreate.errors.InputError: no/such/file.csv: no such outturn file in the folder ...
    """
    from .observations import plan_observations, read_sourced
    plan = plan if plan is not None else load_plan()
    if path is None:
        p = plan_observations(plan)
        if p is None:
            raise InputError(f"plan {plan.id} names no default outturn file (observations in plan.toml): "
                             "give the outturn file")
    else:
        p = resolve.path(path, what="outturn file")
    got = read_sourced(p, plan, sheet=sheet)
    obs = got.frame
    obs.attrs = {"notices": got.notices, "warnings": got.warning_lines,  # the display copy (see above)
                 "checks": [c.as_dict() for c in got.checks], "layout": got.layout, "source": got.source,
                 "plan": plan.id}
    return obs


def _outturns(plan, outturns):
    return read_outturns(None, plan) if outturns is None else outturns


def assess(plan, outturns: pd.DataFrame | None = None, year=None, area=None, *, area_code=None, **options):
    """Every target of ``plan`` judged with the outturns up to report ``year``, by the one engine
    (:func:`twocreate.assess.assess`): one row per target in ``.table`` (the verdict code, its reason,
    and every number behind it in the target's own unit: rates as fractions, shares in %),
    ``.counts()`` and ``.row(code_or_name)``.

    ``outturns``: tidy outturns (:func:`read_outturns`; None → the plan's default file). ``year``: a
    report year of the plan's period (``2020``, ``"2020年"``; None → the target year); before the
    target year the verdict is the pace (progress ratio), at or after it achieved or not. ``area``:
    None for the city, or a district by code, name or alias, judged only against its own targets
    (``area_targets=`` or the plan's ``area_targets.csv``): one without any raises :class:`InputError`.
    ``options``: ``area_targets``, ``benchmarks``, ``settings`` (:class:`twocreate.assess.Settings`).

    >>> import twocreate as tc
    >>> plan = tc.load_plan()
    >>> obs = tc.read_outturns(plan=plan)
    >>> result = tc.assess(plan, obs, str(plan.target_year))
    >>> len(result.table) >= len(plan.indicators) and result.year == plan.target_year
    True
    >>> tc.assess(plan, obs, plan.base_year - 1)     # doctest: +ELLIPSIS
    Traceback (most recent call last):
    twocreate.errors.InputError: year ...: expected a report year of plan ... from ... to ...
    """
    from .assess import assess_as_typed
    return assess_as_typed(plan, outturns, year, area, area_code=area_code, **options)


def compare_districts(plan, outturns: pd.DataFrame | None = None, year=None, indicators=None, *, areas=None,
                      context: pd.DataFrame | None = None, normalise_by: str = "population", zone: str = "separate"):
    """The districts compared on the plan's indicators in report ``year``
    (:func:`twocreate.districts.comparison_table`): one row per indicator × district with the level
    (``value``, in the indicator's unit; a flow: the inflow summed since the base year), ``growth`` and
    ``cagr`` (fractions), ``index`` (base year = 100), ``share`` (of the districts' sum, a fraction),
    ``contribution_pp`` (percentage points of the city's growth), ``normalised`` (per the context
    figure ``normalise_by``: ``population``, ``area``, ``budget_revenue`` or ``none``) and the ranks.

    ``indicators`` and ``areas``: codes, names or aliases (None → all); shares and ranks are always
    among all districts, ``areas`` only keeps their rows. ``outturns`` None → the plan's default file;
    ``year`` None → the target year. A plan without districts raises :class:`InputError`.

    >>> import twocreate as tc
    >>> plan = tc.load_plan()
    >>> cmp = tc.compare_districts(plan, tc.read_outturns(plan=plan))
    >>> set(cmp.table["area_code"]) <= set(plan.areas["area_code"]) and cmp.year == plan.target_year
    True
    """
    from .districts import comparison_table, district_codes, load_context, zone_codes
    if not plan.has("districts"):
        raise InputError(f"plan {plan.id} has no districts (areas.csv has the city only): nothing to compare")
    year = resolve.year(plan, plan.target_year if year is None else year)
    inds = None if indicators is None else [resolve.indicator(plan, i) for i in _listed(indicators)]
    keep = None
    if areas is not None:
        valid = set(district_codes(plan, zone)) | set(zone_codes(plan))
        keep = []
        for a in _listed(areas):
            code = resolve.area(plan, a)
            if code not in valid:
                raise InputError(f"area {a!r}: not a district of plan {plan.id}: expected one of "
                                 f"{', '.join(sorted(valid))}")
            keep.append(code)
    ctx = context if context is not None else load_context(plan=plan)
    table = comparison_table(_outturns(plan, outturns), plan, year, inds, context=ctx, normalise_by=normalise_by,
                             zone=zone)
    if keep is not None and not table.empty:
        table = table[table["area_code"].isin(keep)].reset_index(drop=True)
    return DistrictComparison(table=table, plan=plan, year=year, areas=keep, normalise_by=normalise_by)


def _listed(x) -> list:
    return [x] if isinstance(x, (str, int)) else list(x)


def fund_model(plan, scenario: str | os.PathLike | None = None, **overrides):
    """The plan's money for a report year (:func:`twocreate.funds.fund_model`), in 亿元 (100 million
    yuan): the allocation by area, the spending against it (disbursements), both readings of the
    leverage ratio "1:r" (public : total, the default, and public : private) and the package
    multiplier (capital reaching enterprises per yuan of public money).

    ``scenario``: a fund-scenario file (None → the plan's). ``overrides``: ``year`` (None → the target
    year), ``disbursements`` (a file, ``""`` for none; None → the plan's), ``ratio`` (the r of "1:r";
    None → the plan's), ``basis``, ``split``, ``guidance_share`` and any scenario parameter by code
    (``co_investment=1.5``, ``fof_public_share=0.3`` …); a bad value raises :class:`InputError`.

    >>> import twocreate as tc
    >>> plan = tc.load_plan()
    >>> m = tc.fund_model(plan)
    >>> m.multiplier("private") > m.multiplier("total") > 0     # the public : private reading is larger
    True
    >>> tc.fund_model(plan, ratio=-1)                             # doctest: +ELLIPSIS
    Traceback (most recent call last):
    twocreate.errors.InputError: parameter 'ratio': value -1: expected a number > 0
    """
    from .funds import fund_model as _fund_model
    if not plan.has("funds"):
        raise InputError(f"plan {plan.id} has no funds (funds.csv is empty): no fund model")
    year = overrides.pop("year", None)
    if scenario is not None:
        scenario = resolve.path(scenario, what="fund scenario file")
    if overrides.get("disbursements"):
        overrides["disbursements"] = resolve.path(overrides["disbursements"], what="disbursement file")
    return _fund_model(plan, year, scenario=scenario, **overrides)


def chart(result, lang: str = "zh", **options):
    """The chart that goes with a result of this API (a matplotlib Figure; Chinese shows without any
    set-up: the shipped CJK font is registered when ``twocreate`` is imported).

    * a plan: each target's milestones by year;
    * outturns (a DataFrame from :func:`read_outturns`): each indicator by year, the city in bold,
      the districts in grey;
    * an assessment: one bar per target, the progress ratio (before the target year, with the
      thresholds) or the completion (at or after it), coloured by verdict;
    * a district comparison: each indicator's level by district (``indicator=`` for one);
    * a fund model: capital reaching enterprises under both readings of the leverage ratio.

    Charts fed by illustrative data carry the illustrative mark.

    >>> import twocreate as tc
    >>> plan = tc.load_plan()
    >>> fig = tc.chart(tc.assess(plan, tc.read_outturns(plan=plan)), lang="en")
    >>> len(fig.axes) >= 1
    True
    """
    from . import api_charts as ch
    from .assess import Assessment
    from .funds import FundModel
    from .plan import Plan
    if lang not in ("zh", "en"):
        raise InputError(f"lang {lang!r}: expected 'zh' or 'en'")
    if isinstance(result, Plan):
        return ch.plan_chart(result, lang)
    if isinstance(result, Assessment):
        return ch.assessment_chart(result, lang)
    if isinstance(result, DistrictComparison):
        return ch.comparison_chart(result, lang, options.get("indicator"))
    if isinstance(result, FundModel):
        return ch.fund_chart(result, lang)
    if isinstance(result, pd.DataFrame) and {"indicator", "area_code", "year", "value"} <= set(result.columns):
        plan = options.get("plan")
        if plan is None:  # the plan read_outturns read the file with, else the default plan
            plan = load_plan(result.attrs.get("plan"))
        return ch.outturns_chart(plan, result, lang)
    raise InputError(f"chart: a {type(result).__name__} is not a result of the twocreate API: expected a plan, "
                     "outturns, an assessment, a district comparison or a fund model")



# --------------------------------------------------------------------------- the comparison as one result
@dataclass
class DistrictComparison:
    """The districts compared in one report year (what :func:`twocreate.compare_districts` returns).

    ``table``: :func:`comparison_table` (one row per indicator × district; levels in the indicator's
    unit, growth and shares as fractions, contributions in percentage points); ``areas``: the districts
    kept (None: all).
    """

    table: pd.DataFrame
    plan: object = field(repr=False)
    year: int
    areas: list[str] | None = None
    normalise_by: str = "population"

    COLUMNS = ("indicator", "area_code", "value", "growth", "share", "index", "rank", "normalised", "rank_normalised")

    def indicator(self, code: str) -> pd.DataFrame:
        """The rows of one indicator (by code, name or alias)."""
        from .resolve import indicator
        return self.table[self.table["indicator"] == indicator(self.plan, code)]

    def _shown(self) -> pd.DataFrame:
        cols = [c for c in self.COLUMNS if c in self.table.columns]
        return self.table[cols]

    def _head(self) -> str:
        n = self.table["area_code"].nunique() if not self.table.empty else 0
        k = self.table["indicator"].nunique() if not self.table.empty else 0
        return f"District comparison of {self.plan.id}, {self.year}: {n} district(s) × {k} indicator(s)"

    def __repr__(self) -> str:
        from .display import frame_text
        return "\n".join([self._head()] + frame_text(self._shown(), max_rows=8))

    def _repr_html_(self) -> str:
        from .display import frame_html
        return frame_html(self._head(), self._shown())
