"""One assessment for every kind of target: ``assess(plan, outturns, year, area=None)``.

Growth, level, share, cumulative, relative and qualitative targets of any plan, with the plan's
yearly milestones, bases that say where they come from (stated, implied, observed), and a verdict
that depends on the report year (see :mod:`twocreate.assess.rules`). The trajectory/progress
report, the targets table, the district profiles and the index all read this one table.

A district is judged only against targets set for it (a district-targets file or the plan's
``area_targets.csv``); the city's targets never stand in for a district's.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from .. import resolve as _resolve
from ..io import InputError
from .rules import (PACE_CATEGORIES, REASONS, TARGET_KINDS, VERDICTS, Result, Settings, Target, band, cagr,
                    categorise, growth_ratio, judge, pp_ratio)
from .specs import area_target_specs, area_targets_of, milestones_of, plan_targets

__all__ = ["assess", "Assessment", "Settings", "Target", "Result", "judge", "milestone_table", "resolve_year",
           "resolve_area", "VERDICTS", "PACE_CATEGORIES", "REASONS", "TARGET_KINDS", "categorise", "cagr", "band",
           "growth_ratio", "pp_ratio", "target_series"]

COLUMNS = ["code", "area_code", "reading", "target_kind", "stock_flow", "unit", "qualifier", "aspiration",
           "report_year", "target_year", "final", "verdict", "pace", "reason", "target_value", "band_low",
           "band_high", "headline", "latest_year", "latest_value", "year_value", "completion", "gap", "position",
           "base_year", "base_value", "base_source", "base_stated", "base_implied", "base_observed",
           "growth_since_base", "actual_rate", "required_rate", "ratio", "needed", "gap_closed", "time_elapsed",
           "milestone_year", "milestone_value", "milestone_outturn", "milestone_completion", "milestone_met",
           "cumulative_milestone",
           "missing_years", "benchmark_value", "from_pair", "target_source", "statuses", "illustrative"]
"""Columns of :attr:`Assessment.table` (one row per target; two for a target of unclear kind)."""


@dataclass
class Assessment:
    """Every target of one plan and area judged for one report year.

    ``table`` has one row per target (columns :data:`COLUMNS`): the verdict code and every number
    behind it, in the target's own unit (rates as fractions, shares in %).
    """

    table: pd.DataFrame
    plan_id: str
    year: int
    area_code: str
    settings: Settings = field(default_factory=Settings)
    outturns: pd.DataFrame | None = field(default=None, repr=False)  # what was assessed (for charts), if kept
    plan: object = field(default=None, repr=False, compare=False)  # the plan assessed

    def counts(self) -> dict[str, int]:
        """Number of targets per verdict (a target of unclear kind counts once, as not assessed)."""
        t = self.table
        main = t[t["reading"].isin(["", "stock"])].copy()
        main.loc[main["reading"] == "stock", "verdict"] = "not_assessed"
        return {v: int((main["verdict"] == v).sum()) for v in VERDICTS if (main["verdict"] == v).any()}

    def row(self, code: str) -> pd.Series:
        """The row of one target by code, or by a name or alias of the plan's indicators."""
        r = self.table[self.table["code"] == code]
        if r.empty and code is not None and self.plan is not None:
            try:
                r = self.table[self.table["code"] == _resolve.indicator(self.plan, code)]
            except InputError:
                pass
        if r.empty:
            raise KeyError(f"no target {code!r}; targets: {', '.join(self.table['code'])}")
        return r.iloc[0]

    def __repr__(self) -> str:
        c = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        lines = [f"Assessment of {self.plan_id}, area {self.area_code}, {self.year}: {len(self.table)} rows ({c})"]
        for _, r in self.table.head(8).iterrows():
            extra = f" [{r['reading']}]" if r["reading"] else ""
            lines.append(f"  {r['code']}{extra}: {r['verdict']}")
        if len(self.table) > 8:
            lines.append(f"  … {len(self.table) - 8} more")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from ..display import frame_html
        cols = ["code", "reading", "verdict", "reason", "latest_year", "latest_value", "target_value", "target_year",
                "ratio", "completion"]
        c = ", ".join(f"{k} {v}" for k, v in self.counts().items())
        return frame_html(f"Assessment of {self.plan_id}, area {self.area_code}, {self.year}: {c}", self.table[cols])


def resolve_year(plan, year) -> int:
    """A report year as users write it (``2017``, ``"2017"``, ``"2017年"``), inside the plan's
    period (base year + 1 … last target year); else :class:`InputError` naming the valid years
    (:func:`twocreate.resolve.year`)."""
    return _resolve.year(plan, year)


def resolve_area(plan, area) -> str:
    """An area code from a code, a Chinese or English name or an alias of ``areas.csv``; None → the city.
    A former code gives its successor. Unknown → :class:`InputError` listing the plan's areas
    (:func:`twocreate.resolve.area`)."""
    return _resolve.area(plan, area)


def target_series(plan, outturns: pd.DataFrame | None, code: str | None, area_code: str, year: int) -> pd.Series:
    """Outturns of one series (an indicator or a supporting series) for one area, by year, up to
    ``year`` (former area codes read as their successors)."""
    if code is None or outturns is None or len(outturns) == 0:
        return pd.Series(dtype=float)
    succ = plan.area_successors()
    o = outturns[outturns["indicator"] == code]
    o = o[o["area_code"].astype(str).map(lambda c: succ.get(c, c)) == str(area_code)]
    o = o[o["year"].astype(int) <= int(year)]
    s = pd.Series(o["value"].to_numpy(dtype=float), index=o["year"].astype(int).to_numpy())
    return s[~s.index.duplicated(keep="last")].sort_index()


def _share_from_pair(plan, outturns, ind, area, year) -> pd.Series:
    n = target_series(plan, outturns, ind.get("numerator"), area, year)
    d = target_series(plan, outturns, ind.get("denominator"), area, year)
    years = n.index.intersection(d.index)
    d = d[years].where(d[years] != 0)
    return (n[years] / d * 100).dropna().sort_index()


def _statuses(plan, outturns, codes, area, year) -> list[str]:
    if outturns is None or len(outturns) == 0 or "status" not in outturns:
        return []
    succ = plan.area_successors()
    o = outturns[outturns["indicator"].isin([c for c in codes if c])]
    o = o[(o["area_code"].astype(str).map(lambda c: succ.get(c, c)) == str(area)) & (o["year"].astype(int) <= year)]
    return sorted(set(o["status"].astype(str)))


def assess(plan, outturns: pd.DataFrame | None, year, area=None, *, area_targets: pd.DataFrame | None = None,
           benchmarks: pd.DataFrame | None = None, settings: Settings | None = None) -> Assessment:
    """Every target of ``plan`` for ``area`` judged with the outturns up to report ``year``.

    ``outturns``: tidy (indicator, area_code, year, value[, status]) in the targets' units, as
    :func:`twocreate.observations.read_observations` gives them. ``area``: None for the city, or a
    district by code, name or alias; a district is judged only against its own targets
    (``area_targets``, a district-targets table, or the plan's ``area_targets.csv``) and one with none
    raises :class:`InputError`. ``benchmarks``: outturns holding the benchmark series of relative
    targets (else looked for in ``outturns``). ``settings``: the method's thresholds and tolerances.

    >>> import pandas as pd
    >>> from twocreate.plan import load_plan
    >>> plan = load_plan()                       # the default plan
    >>> code, last = plan.indicator_codes[0], plan.target_year
    >>> goal = plan.subtargets.query("indicator == @code and year == @last")["value"].iloc[0]
    >>> obs = pd.DataFrame({"indicator": code, "area_code": plan.city_code, "year": [last],
    ...                     "value": [goal * 0.976]})   # 97.6% of the target, in the target year
    >>> r = assess(plan, obs, last).row(code)
    >>> r["verdict"], float(round(r["completion"], 3))
    ('not_achieved', 0.976)
    """
    settings = settings or Settings()
    year = resolve_year(plan, year)
    area_code = resolve_area(plan, area)
    if area_code == plan.city_code:
        specs, source = plan_targets(plan, area_code), "plan"
    else:
        rows = area_targets_of(plan, area_code, area_targets)
        specs, source = area_target_specs(plan, area_code, rows), "area_targets"
        if not specs:
            raise InputError(f"area {area!r} ({plan.area_name(area_code)}) has no targets of its own in plan "
                             f"{plan.id}: give a district-targets table (area_targets=…) or assess the city; "
                             "the city's targets are never a district's")
    bench_src = benchmarks if benchmarks is not None else outturns
    inds = plan.indicators.set_index("code")
    rows_out = []
    for reading, t in specs:
        ind = inds.loc[t.code]
        from_pair = False
        series = target_series(plan, outturns, t.code, area_code, year)
        if t.target_kind == "share" and series.empty and ind.get("numerator") is not None:
            series = _share_from_pair(plan, outturns, ind, area_code, year)
            from_pair = not series.empty
        bench = None
        if t.target_kind == "relative":
            bench = target_series(plan, bench_src, ind.get("benchmark"), area_code, year)
        res = judge(t, series, year, settings, bench)
        codes = [t.code, ind.get("numerator"), ind.get("denominator")]
        statuses = _statuses(plan, outturns, codes, area_code, year)
        row = {"code": t.code, "area_code": area_code, "reading": reading, "target_kind": t.target_kind,
               "stock_flow": t.stock_flow, "unit": t.unit, "qualifier": t.qualifier,
               "aspiration": t.qualifier == "strive", "report_year": year, "target_year": t.target_year,
               "final": year >= t.target_year, "headline": t.headline, "from_pair": from_pair,
               "target_source": source, "statuses": ";".join(statuses),
               "illustrative": "illustrative" in statuses, **asdict(res)}
        rows_out.append(row)
    table = pd.DataFrame(rows_out, columns=COLUMNS)
    return Assessment(table, plan.id, year, area_code, settings, plan=plan)


def milestone_table(plan, outturns: pd.DataFrame | None, year, area=None, *,
                    area_targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each target's milestones and outturns by year, up to report ``year`` (the values across years).

    One row per target × year of a milestone or an outturn: ``code, year, milestone, outturn,
    completion, met``; for flows also ``cumulative_milestone`` and ``cumulative_outturn`` (the path).
    """
    year = resolve_year(plan, year)
    area_code = resolve_area(plan, area)
    if area_code == plan.city_code:
        specs = plan_targets(plan, area_code)
    else:
        specs = area_target_specs(plan, area_code, area_targets_of(plan, area_code, area_targets))
    rows = []
    for reading, t in specs:
        if reading == "flow":
            continue
        s = target_series(plan, outturns, t.code, area_code, year)
        ms = t.milestones if len(t.milestones) else milestones_of(plan, t.code).iloc[0:0]
        years = sorted(set(ms.index) | set(s.index[s.index <= year]))
        cm = co = 0.0
        for y in years:
            m = float(ms.loc[y]) if y in ms.index else float("nan")
            o = float(s.loc[y]) if y in s.index and y <= year else float("nan")
            r = {"code": t.code, "stock_flow": t.stock_flow, "unit": t.unit, "year": int(y), "milestone": m,
                 "outturn": o, "completion": o / m if m == m and o == o and m else float("nan"),
                 "met": (bool(o >= m) if t.qualifier != "at_most" else bool(o <= m)) if m == m and o == o else None}
            if t.stock_flow == "flow":
                cm += 0.0 if m != m else m
                co += 0.0 if o != o else o
                r.update(cumulative_milestone=cm if m == m else float("nan"),
                         cumulative_outturn=co if o == o else float("nan"))
            rows.append(r)
    return pd.DataFrame(rows)


def assess_as_typed(plan, outturns=None, year=None, area=None, *, area_code=None, **options) -> Assessment:
    """:func:`assess` as the short API takes it (:func:`twocreate.api.assess`): ``outturns`` None → the
    plan's default outturn file, ``year`` None → the target year, ``area_code=`` a deprecated alias of
    ``area``; the assessment keeps the outturns given (for its chart)."""
    if area_code is not None:
        import warnings
        warnings.warn("assess: area_code= is deprecated, use area=", DeprecationWarning, stacklevel=3)
        if area is not None and area != area_code:
            raise InputError(f"assess: area={area!r} and area_code={area_code!r}: give one (area=)")
        area = area_code
    year = _resolve.year(plan, plan.target_year if year is None else year)
    given = outturns
    if outturns is None:  # the plan's default file, read by the intake (its edit checks do not change a verdict)
        from ..intake import read_outturn_file
        from ..io import raise_problems
        from ..plan import plan_file
        path = plan_file(plan, "observations", None)
        if path is None:
            raise InputError(f"plan {plan.id} names no default outturn file (observations in plan.toml): "
                             "give the outturns")
        got = read_outturn_file(path, plan)
        raise_problems(got.problems)
        outturns = got.data
    result = assess(plan, outturns, year, area, **options)
    result.outturns = given
    return result


class _CallableModule(__import__("types").ModuleType):
    """``twocreate.assess`` is both this package and the short API's :func:`twocreate.api.assess`:
    importing the package binds ``twocreate.assess`` to it, so ``tc.assess(plan, outturns, year)``
    must work on the package too."""

    def __call__(self, plan, outturns=None, year=None, area=None, **options):
        return assess_as_typed(plan, outturns, year, area, **options)


__import__("sys").modules[__name__].__class__ = _CallableModule
