"""What the index shows of each report, computed by the library: its title, its one-line status and
the figures of the index's at-a-glance block (indicator categories, task counts, fund execution).

The runner computes these facts itself, from the plan and the report's parameters, with the same
:mod:`twocreate.tables` functions the notebooks call and the views' words (``status_line``,
``category_records``, ``execution_record`` …); a notebook emits none of them. They are kept in the
build cache with the report, so an up-to-date report keeps its facts without being recomputed.

A worker builds many reports of one year: the two languages of a report, and every district
profile, share one computation (:class:`Memo`, a few entries by plan and parameters), so a report
costs the words of its facts, not the tables again."""
from __future__ import annotations

import json
from collections import OrderedDict

NOT_KEYED = ("lang", "area_code", "processed_dir")  # parameters that do not change the tables (words, one district)
DISTRICT_KINDS = ("district_comparison", "district_profile")  # one comparison serves both reports of a year


class Memo(OrderedDict):
    """A worker's computations by key, the ``size`` most recent kept (bounded memory in a long run)."""

    def __init__(self, size: int = 8):
        super().__init__()
        self.size = size

    def get_or(self, key, make):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = self[key] = make()
        while len(self) > self.size:
            self.popitem(last=False)
        return value


def parameters_of(job) -> dict:
    """The parameters the notebook ran with: its own defaults, then the job's (the staging folder aside)."""
    return {k: v for k, v in dict(job.spec.parameters, **job.parameters).items() if k != "processed_dir"}


def _key(what: str, params: dict) -> str:
    return json.dumps([what, {k: v for k, v in params.items() if k not in NOT_KEYED}], sort_keys=True, default=str)


def report_facts(job, memo: Memo | None = None) -> dict:
    """The title and index facts of ``job`` in its language: ``title`` (plain text) and ``status``,
    and for the reports that have them ``categories`` (progress), ``tasks`` (the task counts) and
    ``execution`` (the fund's cumulative execution rate and the share of the period elapsed, or None).
    A report of a kind the library does not know gets none (the notebook's title, no status)."""
    fn = FACTS.get(job.spec.kind)
    if fn is None:
        return {}
    from ..plan import load_plan
    memo = Memo() if memo is None else memo
    params = parameters_of(job)
    plan = memo.get_or(_key("plan", {"plan_id": params.get("plan_id")}), lambda: load_plan(params.get("plan_id")))
    return fn(plan, params, job.lang, memo)


def _year(plan, params: dict) -> int:
    from ..assess import resolve_year
    year = params.get("year")
    return resolve_year(plan, plan.target_year if year is None else year)


def _tables(kind: str, plan, params: dict, memo: Memo):
    from .. import tables
    return memo.get_or(_key(kind, params), lambda: tables.from_parameters(kind, params, plan=plan))


def _progress(plan, params: dict, lang: str, memo: Memo) -> dict:
    from ..i18n import t
    from ..views import progress as pv
    table = _tables("progress", plan, params, memo).role("progress")
    title = t("progress.record_title", lang, short=plan.text("short_title", lang),
              area=plan.area_name(plan.city_code, lang), year=_year(plan, params))
    return {"title": title, "status": pv.status_line(plan, table, lang),
            "categories": pv.category_records(plan, table, lang)}


def _funds(plan, params: dict, lang: str, memo: Memo) -> dict:
    from ..i18n import t
    from ..tables.funds import model_from_parameters
    from ..views import funds as fv
    model = memo.get_or(_key("fund_model", params), lambda: model_from_parameters(plan, params))
    return {"title": t("funds.record_title", lang, year=model.year), "status": fv.status_line(model, lang),
            "execution": fv.execution_record(model)}


def _comparison(plan, params: dict, lang: str, memo: Memo) -> dict:
    from ..i18n import t
    from ..views import districts as dv
    tabs = _tables("district_comparison", plan, params, memo)
    year = _year(plan, params)
    status = (dv.status_line(plan, tabs.role("gaps"), tabs.role("groups"), year, lang)
              if not tabs.role("comparison").empty else t("districts.no_data", lang))
    return {"title": t("districts.record_title", lang, year=year), "status": status}


def _profile(plan, params: dict, lang: str, memo: Memo) -> dict:
    from .. import districts as td
    from ..i18n import t
    from ..tables.districts import profile_tables
    from ..views import districts as dv
    year = _year(plan, params)
    area = td.lookup(params["area_code"], plan) if params.get("area_code") is not None else td.district_codes(plan)[0]
    comparison = _tables("district_comparison", plan, params, memo).role("comparison")  # every district's, once
    mine = profile_tables(plan, None, year, area, comparison=comparison).role("profile")
    status = dv.profile_status(plan, mine, lang) if not mine.empty else t("districts.no_data", lang)
    return {"title": t("districts.profile_record_title", lang, name=plan.area_name(area, lang), year=year),
            "status": status}


def _tasks(plan, params: dict, lang: str, memo: Memo) -> dict:
    from .. import tasks as tt
    from ..i18n import t
    from ..views import tasks as tv
    counts = tt.counts(_tables("tasks", plan, params, memo).role("ledger"))
    return {"title": t("tasks.record_title", lang, year=_year(plan, params)), "status": tv.status_line(counts, lang),
            "tasks": counts}


FACTS = {"progress": _progress, "fund_leverage": _funds, "district_comparison": _comparison,
         "district_profile": _profile, "tasks": _tasks}
"""Report kind → its facts (the kinds of :func:`twocreate.tables.kinds`)."""
