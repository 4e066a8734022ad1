"""The fund report's processed tables: the allocation, its yearly phasing, the leverage readings
and their sensitivity, and the spending of the report year."""
from __future__ import annotations

from .base import Tables

# notebook parameters passed to :func:`twocreate.funds.fund_model` under another name, or not at all
RENAMED = {"guarantor_small_micro": "small_micro"}
NOT_MODEL = ("lang", "plan_id", "tornado_top", "processed_dir", "year")


def fund_tables(model, reads=None) -> Tables:
    """The tables of a :class:`~twocreate.funds.FundModel` (computed by
    :func:`twocreate.funds.fund_model` from the plan and its parameters): ``fund_allocation``,
    ``fund_allocation_by_year_<year>``; with a scenario ``fund_mobilised_both_readings``,
    ``fund_readings_summary``, ``fund_sensitivity_grid``, ``fund_tornado``; with disbursements
    ``fund_execution_<year>``; each with the plan's prefix. ``reads``: the files the model read."""
    from ..io import ReadLog
    from ..views.progress import table_prefix
    pre, year = table_prefix(model.plan), model.year
    plan = model.plan
    tabs = Tables({"allocation": (f"{pre}fund_allocation", model.allocation),
                   "phasing": (f"{pre}fund_allocation_by_year_{year}", model.phasing)},
                  inputs=list(ReadLog([*plan.files.values(), *(reads or ()),
                                       *[f for f in (model.scenario_path, model.disbursements_path) if f is not None]])))
    if model.has_leverage:
        tabs.add("by_basis", f"{pre}fund_mobilised_both_readings", model.by_basis)
        tabs.add("readings", f"{pre}fund_readings_summary", model.readings)
        tabs.add("grid", f"{pre}fund_sensitivity_grid", model.grid)
        tabs.add("tornado", f"{pre}fund_tornado", model.tornado)
    if model.execution is not None:
        tabs.add("execution", f"{pre}fund_execution_{year}", model.execution)
    return tabs


def model_from_parameters(plan, parameters: dict, reads=None):
    """The fund model of a report run with these notebook parameters (None → the plan's defaults)."""
    from ..funds import fund_model
    kw = {RENAMED.get(k, k): v for k, v in parameters.items() if k not in NOT_MODEL}
    return fund_model(plan, parameters.get("year"), reads=reads, **kw)


def from_parameters(plan, parameters: dict) -> Tables:
    """:func:`fund_tables` of a report run with these notebook parameters."""
    from ..io import ReadLog
    reads = ReadLog()
    return fund_tables(model_from_parameters(plan, parameters, reads), reads)
