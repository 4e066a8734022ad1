"""The progress report's processed tables: the verdict of every target, the milestones, the audit of
the plan's own arithmetic."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .base import Tables, optional_path


def progress_tables(plan, outturns: pd.DataFrame, year, *, benchmarks: pd.DataFrame | None = None,
                    settings=None, inputs: list | None = None) -> Tables:
    """``progress_<city>_<year>`` (one row per target, :func:`twocreate.assess.assess`),
    ``milestones_<city>_<year>`` (:func:`twocreate.assess.milestone_table`) and
    ``plan_consistency_audit`` (:func:`twocreate.audit.consistency_audit`, the growth path as
    ``;``-joined fractions), each with the plan's prefix. ``outturns`` up to ``year`` are used."""
    from .. import assess as ta
    from ..audit import consistency_audit
    from ..observations import outturns_up_to
    from ..views.progress import table_prefix
    year = ta.resolve_year(plan, plan.target_year if year is None else year)
    obs = outturns_up_to(outturns, year)
    pre, city = table_prefix(plan), plan.city_code
    audit = consistency_audit(plan)
    audit = audit.assign(path_growth=audit["path_growth"].map(lambda xs: ";".join(f"{x:.6f}" for x in xs)))
    return Tables({
        "progress": (f"{pre}progress_{city}_{year}", ta.assess(plan, obs, year, benchmarks=benchmarks,
                                                               settings=settings).table),
        "milestones": (f"{pre}milestones_{city}_{year}", ta.milestone_table(plan, obs, year)),
        "audit": (f"{pre}plan_consistency_audit", audit),
    }, inputs=inputs)


def read_inputs(plan, observations=None, sheet=None, benchmarks=None, reads=None):
    """The progress report's inputs as its notebook reads them: (outturn path or None, outturns,
    benchmarks or None); ``observations`` None → the plan's default outturns (none: no rows).
    ``reads``: the :class:`~twocreate.io.ReadLog` given every file read."""
    from .. import observations as tobs
    obs_path = optional_path(observations) or tobs.plan_observations(plan)
    obs = tobs.read_observations(obs_path, plan, sheet=sheet, reads=reads) if obs_path else tobs.empty()
    bench = tobs.read_observations(Path(benchmarks), plan, reads=reads) if benchmarks else None
    return obs_path, obs, bench


def settings_from(parameters: dict):
    """The assessment settings of the notebook's parameters (its defaults where absent)."""
    from .. import assess as ta
    keys = ("on_track", "acceleration", "about_tolerance", "about_tolerance_pp")
    return ta.Settings(**{k: parameters[k] for k in keys if parameters.get(k) is not None})


def from_parameters(plan, parameters: dict) -> Tables:
    """:func:`progress_tables` of a report run with these notebook parameters."""
    from ..io import ReadLog
    p, reads = parameters, ReadLog(plan.files.values())
    obs_path, obs, bench = read_inputs(plan, p.get("observations"), p.get("sheet"), p.get("benchmarks"), reads)
    return progress_tables(plan, obs, p.get("year"), benchmarks=bench, settings=settings_from(p), inputs=list(reads))
