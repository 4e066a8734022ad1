"""The pipeline's processed tables, made by the library with no notebook.

One function per report kind computes that report's processed tables from the plan, its outturns
and the report's parameters, and returns them as :class:`Tables` (file name → DataFrame):

=======================  ==========================================================
kind                     function
=======================  ==========================================================
``progress``             :func:`twocreate.tables.progress.progress_tables`
``fund_leverage``        :func:`twocreate.tables.funds.fund_tables`
``district_comparison``  :func:`twocreate.tables.districts.comparison_tables`
``district_profile``     :func:`twocreate.tables.districts.profile_tables`
``tasks``                :func:`twocreate.tables.tasks.task_tables`
=======================  ==========================================================

:func:`from_parameters` reads a report's inputs from its notebook parameters (the plan's default
files where a parameter is None, exactly as the notebook does) and calls the kind's function: the
runner writes what it returns (:mod:`twocreate.build.tables`), a notebook displays the same tables.
:func:`write` writes tables to a folder; outside ``twocreate run`` that is the scratch folder
(:func:`scratch_dir`), never the pipeline's ``data/processed``.

Example::

    from twocreate import tables
    from twocreate.plan import load_plan
    tabs = tables.from_parameters("progress", {"year": 2018})
    tabs.names()       # ['progress_<city>_2018', 'milestones_<city>_2018', 'plan_consistency_audit']
    tabs.role("progress")   # the DataFrame
"""
from __future__ import annotations

from typing import Callable, Mapping

from . import districts, funds, progress, tasks
from .base import Tables, optional_path, scratch_dir, write, write_for_notebook

__all__ = ["Tables", "from_parameters", "kinds", "optional_path", "scratch_dir", "write", "write_for_notebook"]


def kinds() -> dict[str, Callable]:
    """Report kind → the function reading its inputs from parameters (see :func:`from_parameters`)."""
    return {"progress": progress.from_parameters, "fund_leverage": funds.from_parameters,
            "district_comparison": districts.comparison_from_parameters,
            "district_profile": districts.profile_from_parameters, "tasks": tasks.from_parameters}


def from_parameters(kind: str, parameters: Mapping, plan=None) -> Tables:
    """The processed tables of a report of ``kind`` run with the notebook ``parameters`` (missing ones
    take the notebook's defaults: the plan's default files, its target year). ``plan``: the plan
    already loaded (else loaded from ``parameters["plan_id"]``)."""
    from ..io import InputError
    from ..plan import load_plan
    fn = kinds().get(kind)
    if fn is None:
        raise InputError(f"report kind {kind!r}: expected one of {', '.join(kinds())}")
    plan = plan if plan is not None else load_plan(parameters.get("plan_id"))
    return fn(plan, dict(parameters))
