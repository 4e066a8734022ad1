"""The plausibility checks of district figures (:func:`check_districts`): additivity to the city total and
complete years, each finding an :class:`Issue` with the figures behind it and its sentence from the
catalogs (``districts.issue_*``)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .districts import TOLERANCE, district_codes, harmonise_codes
from .io import InputError, Problem
from .plan import Plan


@dataclass(frozen=True)
class Issue:
    """A finding of :func:`check_districts`: ``severity`` is ``"warning"`` or ``"error"``; ``kind`` is
    ``"additivity"`` (``total``, the districts' sum, against ``city``, ``relative`` apart beyond
    ``tolerance``, over ``n_districts`` districts) or ``"missing_year"``. ``message`` is the finding
    as a sentence in the language asked for (the catalogs' ``districts.issue_*``)."""

    severity: str
    kind: str
    indicator: str
    area_code: str | None
    year: int
    message: str
    total: float = math.nan
    city: float = math.nan
    relative: float = math.nan
    tolerance: float = math.nan
    n_districts: int = 0

    def __str__(self) -> str:
        return f"{self.severity}: {self.message}"


def issue_text(plan: Plan, i: Issue, lang: str) -> str:
    """An :class:`Issue` as a sentence in ``lang`` (catalog ``districts.issue_missing_year`` /
    ``districts.issue_additivity``)."""
    from . import fmt
    from .i18n import t
    name = plan.indicator_name(i.indicator, lang)
    if i.kind == "missing_year":
        return t("districts.issue_missing_year", lang, area=plan.area_name(i.area_code, lang), code=i.area_code,
                 indicator=name, year=i.year)
    unit = str(plan.indicator(i.indicator)["unit"])
    total, city = fmt.column([i.total, i.city], unit, lang, _unit_en(plan, i.indicator))
    return t("districts.issue_additivity", lang, indicator=name, year=i.year, total=total, city=city,
             relative=fmt.percent(i.relative), tolerance=fmt.percent(i.tolerance), n=i.n_districts)


def _unit_en(plan: Plan, code: str) -> str:
    v = plan.indicator(code).get("unit_en")
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def check_districts(obs: pd.DataFrame, plan: Plan, tolerance: float = TOLERANCE, zone: str = "separate",
                    additivity: str = "warning", lang: str = "en", *, source: str = "observations") -> list[Issue]:
    """Check district figures: additivity to the city total and complete years.

    * For each indicator × year with a city row and district rows: the summed districts
      (see ``zone``) must add up to the city figure within ``tolerance`` (relative to the city
      figure, default 0.5%) — a **warning** (``additivity="error"``: an :class:`~twocreate.InputError`).
    * A district missing a year that other districts report for the indicator: a **warning**
      naming the district and the year (that district's growth, share and the group sums for
      that year are left blank, not guessed).

    Unknown codes are errors raised by :func:`harmonise_codes`. Returns the issues found, their
    ``message`` in ``lang``; ``source`` is the file an error names (as its reader named it).
    """
    if additivity not in ("warning", "error"):
        raise ValueError("additivity must be 'warning' or 'error'")
    h = harmonise_codes(obs, plan, source=source)
    summed = district_codes(plan, zone)
    issues: list[Issue] = []
    for ind in [c for c in plan.indicator_codes if c in set(h["indicator"])]:
        d = h[(h["indicator"] == ind) & (h["area_code"].isin(summed))]
        if d.empty:
            continue
        years = sorted(set(d["year"]))
        reporting = [c for c in summed if c in set(d["area_code"])]
        for y in years:
            have = set(d.loc[d["year"] == y, "area_code"])
            for c in reporting:
                if c not in have:
                    i = Issue("warning", "missing_year", ind, c, int(y), "")
                    issues.append(_with_message(plan, i, lang))
        city = h[(h["indicator"] == ind) & (h["area_code"] == plan.city_code)]
        for _, r in city.sort_values("year").iterrows():
            y = int(r["year"])
            dy = d[d["year"] == y]
            if dy.empty:
                continue
            s, c_ = float(dy["value"].sum()), float(r["value"])
            rel = abs(s - c_) / abs(c_) if c_ else (0.0 if s == 0 else math.inf)
            if rel > tolerance:
                i = Issue(additivity, "additivity", ind, None, y, "", total=s, city=c_, relative=rel,
                          tolerance=float(tolerance), n_districts=len(dy))
                issues.append(_with_message(plan, i, lang))
    errors = [i for i in issues if i.severity == "error"]
    if errors:
        raise InputError(errors[0].message + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""),
                         [Problem(source, None, "value", None, e.message)
                          for e in errors])
    return issues


def _with_message(plan: Plan, i: Issue, lang: str) -> Issue:
    from dataclasses import replace
    return replace(i, message=issue_text(plan, i, lang))
