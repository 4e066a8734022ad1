"""The district reports' processed tables: the comparison of every district, the groups, each
district's gaps to its own targets, and one district's profile."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..sourced import Sourced
from .base import Tables, optional_path


@dataclass
class DistrictInputs:
    """What both district reports read, as their notebooks read it (codes harmonised once)."""

    obs_path: Path | None
    outturns: pd.DataFrame  # harmonised, up to the report year
    read: Sourced  # the same outturns as read (the file's own area codes) with the file's checks
    context_path: Path | None
    context: pd.DataFrame
    targets_path: Path | None
    targets: pd.DataFrame | None

    reads: list[str]  # every file read (the plan's, then the readers')


def read_inputs(plan, year: int, observations=None, sheet=None, context=None, targets=None) -> DistrictInputs:
    """The outturns (the plan's default file when ``observations`` is None), the context table and the
    district targets (the plan's files when None), as the district notebooks read them."""
    from ..io import ReadLog
    reads = ReadLog(plan.files.values())
    from .. import districts as td
    from .. import observations as tobs
    obs_path = optional_path(observations) or tobs.plan_observations(plan)
    got = tobs.read_sourced(obs_path, plan, sheet=sheet, reads=reads)
    got = got.with_frame(tobs.outturns_up_to(got.frame, year))
    context_path = optional_path(context) or td.context_path(plan)
    ctx = td.load_context(context_path, plan, reads=reads) if context_path else td.no_context()
    targets_path = optional_path(targets) or td.targets_path(plan)
    tgt = td.read_targets(targets_path, plan, reads=reads) if targets_path else None
    return DistrictInputs(obs_path, td.harmonise_codes(got.frame, plan, source=got.source), got, context_path, ctx,
                          targets_path, tgt, list(reads))


def comparison_tables(plan, outturns: pd.DataFrame, year: int, *, indicators=None, context=None,
                      normalise: str = "population", zone: str = "separate", grouping="role",
                      targets: pd.DataFrame | None = None, inputs: list | None = None) -> Tables:
    """``district_comparison_<year>`` (:func:`twocreate.districts.comparison_table`),
    ``district_groups_<year>`` (:func:`~twocreate.districts.group_aggregates`) and, where districts
    have targets of their own, ``district_target_gaps_<year>`` (:func:`~twocreate.districts.target_gaps`);
    none written when no district has a figure (the roles then hold the empty frames); role ``gaps``
    is None without ``targets``. ``normalise`` falls back to ``"none"`` without context data."""
    from .. import districts as td
    from ..views.progress import table_prefix
    obs = td.harmonise_codes(outturns, plan)
    inds = list(indicators) if indicators else plan.indicator_codes
    ctx = context if context is not None else td.no_context()
    how = normalise if len(ctx) else "none"
    pre = table_prefix(plan)
    tabs = Tables(inputs=inputs)
    comparison = td.comparison_table(obs, plan, year, inds, ctx, how, zone)
    has_data = not comparison.empty
    groups = td.group_aggregates(obs, plan, year, inds, grouping, ctx, how, zone)
    tabs.add("comparison", f"{pre}district_comparison_{year}" if has_data else None, comparison)
    tabs.add("groups", f"{pre}district_groups_{year}" if has_data else None, groups)
    if has_data and targets is not None:
        gaps = td.target_gaps(obs, targets, plan, year)
        tabs.add("gaps", f"{pre}district_target_gaps_{year}" if not gaps.empty else None, gaps)
    return tabs


def profile_tables(plan, outturns: pd.DataFrame, year: int, area: str, *, indicators=None, context=None,
                   normalise: str = "population", zone: str = "separate", inputs: list | None = None,
                   comparison: pd.DataFrame | None = None) -> Tables:
    """``district_profiles/district_profile_<area>_<year>``: the comparison rows of one district (none
    when it has no figure). ``comparison``: the comparison table already computed for ``year`` (a
    batch of profiles computes it once)."""
    from .. import districts as td
    from ..views.progress import table_prefix
    if comparison is None:
        ctx = context if context is not None else td.no_context()
        comparison = td.comparison_table(td.harmonise_codes(outturns, plan), plan, year,
                                         list(indicators) if indicators else plan.indicator_codes, ctx,
                                         normalise if len(ctx) else "none", zone)
    tabs = Tables(inputs=inputs)
    mine = td.profile_table(comparison, area) if not comparison.empty else comparison
    name = f"district_profiles/{table_prefix(plan)}district_profile_{area}_{year}"
    tabs.add("profile", name if not mine.empty else None, mine)
    return tabs


def _year(plan, parameters: dict) -> int:
    from ..assess import resolve_year
    year = parameters.get("year")
    return resolve_year(plan, plan.target_year if year is None else year)


def _method(parameters: dict) -> dict:
    return {k: parameters[k] for k in ("indicators", "normalise", "zone") if parameters.get(k) is not None}


def comparison_from_parameters(plan, parameters: dict) -> Tables:
    """:func:`comparison_tables` of a report run with these notebook parameters."""
    p, year = parameters, _year(plan, parameters)
    got = read_inputs(plan, year, p.get("observations"), p.get("sheet"), p.get("context"), p.get("targets"))
    return comparison_tables(plan, got.outturns, year, context=got.context, targets=got.targets,
                             grouping=p.get("grouping") or "role", inputs=got.reads, **_method(p))


def profile_from_parameters(plan, parameters: dict) -> Tables:
    """:func:`profile_tables` of a report run with these notebook parameters (``area_code`` None →
    the plan's first district)."""
    from .. import districts as td
    p, year = parameters, _year(plan, parameters)
    area = td.lookup(p["area_code"], plan) if p.get("area_code") is not None else td.district_codes(plan)[0]
    got = read_inputs(plan, year, p.get("observations"), p.get("sheet"), p.get("context"), p.get("targets"))
    return profile_tables(plan, got.outturns, year, area, context=got.context, inputs=got.reads, **_method(p))
