"""The task report's processed tables: the task ledger and who answers for what."""
from __future__ import annotations

import pandas as pd

from .base import Tables, optional_path


def task_tables(plan, task_outturns: pd.DataFrame, year: int, *, tolerance: float = 0.1,
                outturns: pd.DataFrame | None = None, disbursements: pd.DataFrame | None = None,
                inputs: list | None = None) -> Tables:
    """``task_ledger_<year>`` (:func:`twocreate.tasks.ledger`) and ``accountability_<year>``
    (:func:`twocreate.tasks.accountability`: with the indicators' verdicts from ``outturns`` and the
    fund areas' execution from ``disbursements`` when given), each with the plan's prefix."""
    from .. import assess as ta
    from .. import funds as tf
    from .. import observations as tobs
    from .. import tasks as tt
    from ..views.progress import table_prefix
    led = tt.ledger(plan, tt.outturns_up_to(task_outturns, year), year, tt.validate_tolerance(tolerance))
    obs = tobs.outturns_up_to(outturns, year) if outturns is not None else tobs.empty()
    verdicts = ta.assess(plan, obs, year).table
    alloc = tf.allocation(plan)
    execution = tf.execution(alloc, disbursements, year, tf.fund_period(plan)) if disbursements is not None else None
    acc = tt.accountability(plan, led, verdicts, execution)
    pre = table_prefix(plan)
    tabs = Tables({"ledger": (f"{pre}task_ledger_{year}", led)}, inputs=inputs)
    # the file holds the status as text (a verdict code or a fund area's execution rate); the report its values
    tabs.add("accountability", f"{pre}accountability_{year}", acc.astype({"status": str}), shown=acc)
    return tabs


def read_inputs(plan, task_outturns=None, observations=None, disbursements=None, reads=None):
    """The task report's inputs as its notebook reads them: (task path, task outturns, outturn path or
    None, outturns, disbursement path or None, disbursements or None); None → the plan's file,
    ``disbursements=""`` → none. ``reads``: the :class:`~twocreate.io.ReadLog` given every file read."""
    from .. import funds as tf
    from .. import observations as tobs
    from .. import tasks as tt
    task_path = optional_path(task_outturns) or tt.plan_task_outturns(plan, required=True)
    used = tt.read_task_outturns(task_path, plan, reads=reads)
    obs_path = optional_path(observations) or tobs.plan_observations(plan)
    obs = tobs.read_observations(obs_path, plan, reads=reads) if obs_path else tobs.empty()
    disb_path = tt.plan_disbursements(plan) if disbursements is None else optional_path(disbursements)
    disb = tf.read_disbursements(disb_path, codes=tf.allocation(plan)["code"], reads=reads) if disb_path else None
    return task_path, used, obs_path, obs, disb_path, disb


def from_parameters(plan, parameters: dict) -> Tables:
    """:func:`task_tables` of a report run with these notebook parameters."""
    from ..assess import resolve_year
    from ..io import ReadLog
    p, reads = parameters, ReadLog(plan.files.values())
    year = resolve_year(plan, plan.target_year if p.get("year") is None else p["year"])
    task_path, used, obs_path, obs, disb_path, disb = read_inputs(plan, p.get("task_outturns"), p.get("observations"),
                                                                  p.get("disbursements"), reads)
    return task_tables(plan, used, year, tolerance=p.get("tolerance", 0.1), outturns=obs, disbursements=disb,
                       inputs=list(reads))
