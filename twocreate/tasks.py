"""A plan's countable tasks: read task outturns, assess them against the plan's wording.

The tasks live in the plan folder's ``tasks.csv`` (target, qualifier, basis, due years,
departments, section, Chinese wording; ``docs/plans.md``). Outturns come from a separate file,
tidy layout (the plan's ``task_outturns`` file of ``data/raw/tasks/`` when none is given):

=========  ====================================================================
task       a task code of ``tasks.csv`` or its Chinese or English name;
           Chinese headers are accepted (:data:`HEADER_ALIASES`)
year       a year of the plan period
value      what the year's figure means depends on the task's ``basis`` (see below);
           a one-off may be given as 1/0 or a done word (:data:`DONE_WORDS`)
status     official / provisional / estimate / illustrative
source     where the figure comes from (required)
note       optional
=========  ====================================================================

What ``value`` means, by ``basis``:

* ``per_year``   — the year's count (e.g. spaces added that year);
* ``cumulative`` — the number added that year; the task is judged on the running sum;
* ``by_year``    — the level reached by the end of that year (platforms built so far, 1 = done);
* ``rate``       — the rate applied that year, in per cent (``8`` or ``8%``).

Assessment rules (``qualifier`` in ``tasks.csv``; :data:`RULES`):

* ``about``    met within ± ``tolerance`` of the target (default 10%);
* ``range``    met within [low, high]; below and above are said separately;
* ``at_least`` met at or above the target;
* ``strive``   judged like ``at_least``, labelled as an aspiration;
* ``exact``    a count task is met at or above the number (each year for a ``per_year`` task);
               a one-off (``by_year`` with qualifier ``exact``) is done or not done by the year
               due, "late" when done after it;
* ``rate``     a ``range`` on a rate (basis ``rate``): within [low, high].

Counting: ``per_year`` and ``rate`` tasks are judged in each of their own due years, and overall
they are met only if every due year assessed so far is; ``cumulative`` tasks compare the running
sum with the pro-rata share of the target in the due years before the last and with the full
target in the last; ``by_year`` tasks are judged in their due year (before it they are "not yet
due" unless already done). Results are codes (:data:`STATUS_GROUP`, :data:`HOW`); the words are in
the catalogs (``tasks.status.*``, ``tasks.how.*``). Pure functions; the one reader is
:func:`read_task_outturns`.
"""
from __future__ import annotations

import math
import os
import unicodedata
from pathlib import Path

import pandas as pd

from . import config
from .i18n import vocabulary
from .io import InputError, Problem, normalise_label, parse_number, raise_problems
from .plan import split_codes
from .sourced import Sourced


def default_task_outturns() -> Path:
    """The shipped illustrative task outturns (``data/raw/tasks/illustrative_task_outturns.csv``)."""
    return config.paths().raw / "tasks" / "illustrative_task_outturns.csv"


# the former constant DEFAULT_TASK_OUTTURNS, resolved when used
__getattr__ = config.former_constants(__name__, DEFAULT_TASK_OUTTURNS=default_task_outturns)

COLUMNS = ["task", "year", "value", "status", "source"]
# Chinese headers people write (the intake's alias mechanism maps them to the columns above): the input
# vocabulary, twocreate/i18n/input.toml
HEADER_ALIASES = {col: list(vocabulary.header_words(col, "zh", "task_headers"))
                  for col in ("task", "year", "value", "status", "source", "note")}
STATUSES = ("official", "provisional", "estimate", "illustrative")
DEFAULT_TOLERANCE = 0.10
RULES = ("about", "range", "at_least", "strive", "exact", "rate")
BASES = ("per_year", "cumulative", "by_year", "rate")
DONE_WORDS = dict(vocabulary.done_words())  # a one-off written as done (→ 1) or not done (→ 0)
DONE_EXPECTED = f"{vocabulary.done_word(True)}/{vocabulary.done_word(False)}"

# Status of a task in a year, or overall, and the group the index counts it in: met, behind, na
STATUS_GROUP = {"met": "met", "above": "met", "on_track": "met", "done": "met",
                "behind": "behind", "not_done": "behind", "late": "behind",
                "not_due": "na", "no_data": "na"}
GROUPS = ("met", "behind", "na")


# --------------------------------------------------------------------------- reading
def _plan_file(plan, key: str) -> Path | None:
    """A file ``plan.toml`` names under ``key`` (bounded by :func:`twocreate.plan.plan_file`)."""
    from .plan import plan_file
    return plan_file(plan, key, None)


def plan_task_outturns(plan, required: bool = False) -> Path | None:
    """The task-outturn file a plan's task report uses when none is given: the ``task_outturns``
    file its ``plan.toml`` names, in ``data/raw/tasks/``; None when it names none (``required``:
    an :class:`~twocreate.io.InputError` saying so instead)."""
    path = _plan_file(plan, "task_outturns")
    if path is None and required:
        raise InputError(f"plan {plan.id}: plan.toml names no task_outturns file: give a task-outturn file "
                         f"(twocreate run --tasks FILE) or add task_outturns = \"<file in tasks/>\"")
    return path


def plan_disbursements(plan) -> Path | None:
    """The disbursement file a plan's reports use when none is given (:func:`twocreate.funds.plan_disbursements`)."""
    from .funds import plan_disbursements as of_plan
    return of_plan(plan)


def is_plan_default(path: str | os.PathLike | None, plan) -> bool:
    """Whether ``path`` is the plan's own ``task_outturns`` file (the example shipped with the plan)."""
    default = plan_task_outturns(plan)
    return path is not None and default is not None and Path(path).resolve() == default.resolve()


def _task_lookup(plan) -> dict[str, str]:
    t = plan.tasks
    out = {}
    for _, r in t.iterrows():
        for key in (r["code"], r["name_zh"], r["name_en"]):
            if key is not None and not (isinstance(key, float) and math.isnan(key)):
                out[normalise_label(key)] = str(r["code"])
    return out


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""


def _parse_value(v: object) -> float | None:
    """A task value: a number (``12``, ``8%``, ``1,200``) or a done word (完成 → 1, 未完成 → 0)."""
    if _blank(v):
        return None
    s = str(v).strip()
    if s.lower() in DONE_WORDS:
        return DONE_WORDS[s.lower()]
    if unicodedata.normalize("NFKC", s[-1:]) == "%":  # 8% or a full-width per cent sign
        s = s[:-1]
    return parse_number(s)


class _TaskValue:
    """A task outturn: a number (``12``, ``8%``, ``1,200``) ≥ 0 or a done word (完成 → 1, 未完成 → 0)."""

    def __call__(self, v, ctx):
        from .schema import Invalid
        from .io import not_a_number_reason
        try:
            x = _parse_value(v)
        except ValueError:
            raise Invalid(not_a_number_reason(v) or f"a number such as 12 or 8%, or {DONE_EXPECTED}") from None
        if x is None:
            raise Invalid(VALUE_BLANK)
        if x < 0:
            raise Invalid("a number ≥ 0")
        return float(x)


VALUE_BLANK = f"a number, or {DONE_EXPECTED} for a one-off (blank is not allowed; omit the row)"


def task_outturns_schema():
    """Task outturns, one row per task × year (the intake's tidy or wide layout): ``task`` (code or name
    of the plan's tasks.csv), ``year`` (the plan period), ``value``, ``status``, ``source``, ``note``."""
    from .schema import STATUS_EXPECTED, YEAR_EXPECTED, Code, Column, Schema, Status, Text, Year
    a = HEADER_ALIASES
    return Schema("task outturns", (
        Column("task", Code(key="task_codes", lookup_key="task_lookup",
                            expected="a task code or Chinese name of tasks.csv ({codes})"),
               blank="a task code or Chinese name of tasks.csv", aliases=tuple(a["task"])),
        Column("year", Year(range_key="years", range_words="the plan period"), blank=YEAR_EXPECTED,
               aliases=tuple(a["year"])),
        Column("value", _TaskValue(), blank=VALUE_BLANK, aliases=tuple(a["value"])),
        Column("status", Status(), blank=STATUS_EXPECTED, aliases=tuple(a["status"])),
        Column("source", Text(), blank="where the figure comes from (may not be blank)", aliases=tuple(a["source"])),
        Column("note", Text(), required=False, blank=True, aliases=tuple(a["note"])),
    ), unique=((("task", "year"), "year", "one row per task and year"),))


def read_task_outturns(path: str | os.PathLike | None, plan, sheet: str | int | None = None, *,
                       limits=None, reads=None) -> pd.DataFrame:
    """The rows of :func:`read_task_sourced`: ``task, year, value, status, source, note``."""
    return read_task_sourced(path, plan, sheet, limits=limits, reads=reads).frame


def read_task_sourced(path: str | os.PathLike | None, plan, sheet: str | int | None = None, *,
                      limits=None, reads=None) -> Sourced:
    """Read and validate a task-outturn file (default: the plan's ``task_outturns`` file).

    Returns a :class:`~twocreate.sourced.Sourced`: ``frame`` holds ``task, year, value, status, source,
    note`` (``task`` is the code); ``source``, ``path``, ``layout``, ``encoding`` and ``checks`` (the
    notices) of the file. Raises
    :class:`~twocreate.io.InputError` (one line naming file, row, column, value and what was
    expected; ``err.problems`` lists them all); an unknown task name is named with the known codes.
    """
    from .keyed import read_keyed_table
    from .schema import validate
    path = Path(path) if path is not None else plan_task_outturns(plan, required=True)
    df, info = read_keyed_table(path, "task", tuple(HEADER_ALIASES["task"]), sheet=sheet, limits=limits, reads=reads)
    src = info["source"]
    missing = [c for c in ("status", "source") if c not in info["has"]]
    if missing:
        raise InputError(f"{src}: missing column(s) {', '.join(repr(m) for m in missing)}: expected columns "
                         f"{', '.join(COLUMNS)} (or {', '.join(HEADER_ALIASES[c][0] for c in COLUMNS)}), "
                         "or a column per year")
    if df.empty:
        raise_problems([Problem(src, None, None, None, "at least one data row below the header")])
    ctx = {"task_codes": plan.tasks["code"].tolist(), "task_lookup": _task_lookup(plan),
           "years": (plan.base_year + 1, plan.target_year)}
    table, problems = validate(df, task_outturns_schema(), ctx, source=src, label_column="column", rows="row")
    raise_problems(problems)
    out = table[COLUMNS + ["note"]].copy() if len(table) else pd.DataFrame(columns=COLUMNS + ["note"])
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    return Sourced(out, source=src, path=str(info["path"]), layout=info["layout"], encoding=info["encoding"],
                   checks=tuple(info["checks"]))


def is_illustrative(outturns: pd.DataFrame) -> bool:
    return bool((outturns["status"] == "illustrative").any())


def outturns_up_to(outturns: pd.DataFrame, year: int) -> pd.DataFrame:
    """The task outturns a report for ``year`` may use (``year`` and before)."""
    return outturns[outturns["year"] <= int(year)]


# --------------------------------------------------------------------------- rules
def rule_of(task: pd.Series | dict) -> str:
    """The assessment rule of a ``tasks.csv`` row: its qualifier, or ``rate`` for a range on a rate."""
    q = str(task["qualifier"])
    if str(task["basis"]) == "rate":
        return "rate"
    if q not in RULES:
        raise InputError(f"tasks.csv: task {task['code']}: qualifier {q!r}: expected one of {', '.join(RULES)}")
    return q


def _bounds(task) -> tuple[float, float]:
    low = float(task["target_low"])
    high = task.get("target_high") if isinstance(task, dict) else task["target_high"]
    high = low if high is None or (isinstance(high, float) and math.isnan(high)) else float(high)
    return low, high


def is_one_off(task) -> bool:
    """A task done once by a due year (alliance set up, platform built, registration 100% electronic)."""
    return str(task["basis"]) == "by_year" and str(task["qualifier"]) == "exact"


def judge(value: float, rule: str, low: float, high: float, tolerance: float = DEFAULT_TOLERANCE) -> str:
    """Status of ``value`` against a target under ``rule``: met, above or behind.

    ``about``: met within ``low`` × (1 ± tolerance), above or behind outside it;
    ``range`` and ``rate``: met within [low, high]; ``at_least``, ``strive`` and ``exact``
    (a count): met at or above ``low``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "no_data"
    eps = 1e-9
    if rule == "about":
        if value < low * (1 - tolerance) - eps:
            return "behind"
        if value > low * (1 + tolerance) + eps:
            return "above"
        return "met"
    if rule in ("range", "rate"):
        if value < low - eps:
            return "behind"
        if value > high + eps:
            return "above"
        return "met"
    if rule in ("at_least", "strive", "exact"):
        return "met" if value >= low - eps else "behind"
    raise ValueError(f"unknown rule {rule!r}; expected one of {', '.join(RULES)}")


def target_range(rule: str, low: float, high: float, tolerance: float = DEFAULT_TOLERANCE) -> tuple[float, float]:
    """The interval that counts as met (high = inf for at_least, strive and exact)."""
    if rule == "about":
        return low * (1 - tolerance), low * (1 + tolerance)
    if rule in ("range", "rate"):
        return low, high
    return low, math.inf


def due_years(task) -> list[int]:
    return [int(y) for y in split_codes(task["years"])]


# --------------------------------------------------------------------------- assessment
# long: one short branch per rule of tasks.csv (cumulative, yearly, by the end, about)
def assess_task(task, outturns: pd.DataFrame, report_year: int, tolerance: float = DEFAULT_TOLERANCE) -> dict:
    """Assess one task (a ``tasks.csv`` row) with its outturns up to ``report_year``.

    Returns ``{"task", "rule", "by_year": {year: {"value", "counted", "status"}}, "overall",
    "overall_value", "how"}`` where ``counted`` is the figure judged that year (the running sum
    for cumulative tasks) and ``how`` a code of :data:`HOW` saying how the overall status was formed.
    """
    code = str(task["code"])
    rule = rule_of(task)
    low, high = _bounds(task)
    basis = str(task["basis"])
    years = due_years(task)
    mine = outturns[(outturns["task"] == code) & (outturns["year"] <= report_year)]
    vals = {int(y): float(v) for y, v in zip(mine["year"], mine["value"])}
    by_year: dict[int, dict] = {}
    overall, overall_value, how = "no_data", math.nan, basis
    if basis in ("per_year", "rate"):
        judged = []
        for y in years:
            if y > report_year:
                by_year[y] = {"value": math.nan, "counted": math.nan, "status": "not_due"}
                continue
            v = vals.get(y, math.nan)
            st = judge(v, rule, low, high, tolerance)
            by_year[y] = {"value": v, "counted": v, "status": st}
            judged.append(st)
        assessed = [s for s in judged if s != "no_data"]
        if not judged:
            overall = "not_due"
        elif not assessed:
            overall = "no_data"
        elif "behind" in assessed:
            overall = "behind"
        elif "above" in assessed and rule == "rate":
            overall = "above"
        else:
            overall = "met"
        overall_value = sum(vals.get(y, 0.0) for y in years if y <= report_year) if basis == "per_year" else math.nan
        how = "per_year" if basis == "per_year" else "rate"
    elif basis == "cumulative":
        run = 0.0
        n = len(years)
        last_status = "not_due"
        for i, y in enumerate(years, 1):
            if y > report_year:
                by_year[y] = {"value": math.nan, "counted": math.nan, "status": "not_due"}
                continue
            v = vals.get(y, math.nan)
            if not math.isnan(v):
                run += v
            if math.isnan(v) and not any(yy in vals for yy in years if yy <= y):
                st = "no_data"
            elif i == n:
                st = judge(run, rule, low, high, tolerance)
            else:  # the pro-rata share of the target so far
                share = i / n
                st = "on_track" if judge(run, rule if rule != "about" else "about", low * share, high * share,
                                         tolerance) in ("met", "above") else "behind"
            by_year[y] = {"value": v, "counted": run, "status": st}
            last_status = st
        overall, overall_value = last_status, run if any(y <= report_year for y in years) else math.nan
        how = "cumulative"
    elif basis == "by_year":
        due = max(years)
        one_off = is_one_off(task)
        done_year = None
        for y in sorted(vals):
            if judge(vals[y], rule, low, high, tolerance) in ("met", "above"):
                done_year = y
                break
        for y in sorted(set(vals) | set(years)):
            if y > report_year:
                continue
            v = vals.get(y, math.nan)
            if y < due:
                st = ("done" if one_off else "met") if done_year is not None and y >= done_year else "not_due"
            elif math.isnan(v):
                st = "no_data"
            elif one_off:
                if done_year is not None and done_year <= due:
                    st = "done"
                elif done_year is not None and done_year <= y:
                    st = "late"
                else:
                    st = "not_done"
            else:
                st = judge(v, rule, low, high, tolerance)
            by_year[y] = {"value": v, "counted": v, "status": st}
        if report_year < due:
            overall = ("done" if one_off else "met") if done_year is not None else "not_due"
        else:
            latest = max([y for y in by_year if y >= due], default=None)
            overall = by_year[latest]["status"] if latest is not None else "no_data"
            if overall == "no_data" and done_year is not None:
                overall = "done" if done_year <= due else "late"
        given = [y for y in vals if y <= report_year]
        overall_value = vals[max(given)] if given else math.nan
        how = "one_off" if one_off else "by_year"
    else:
        raise ValueError(f"task {code}: unknown basis {basis!r}; expected one of {', '.join(BASES)}")
    return {"task": code, "rule": rule, "by_year": by_year, "overall": overall, "overall_value": overall_value,
            "how": how, "low": low, "high": high}


HOW = ("per_year", "rate", "cumulative", "by_year", "one_off")
"""How a task's overall status is formed (``assess_task(...)["how"]``); words: ``tasks.how.<code>``."""


def ledger(plan, outturns: pd.DataFrame, report_year: int, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """The task ledger: one row per task with target, rule, each year's value/status and the overall status.

    Columns: ``task, name_zh, name_en, rule, basis, low, high, unit, unit_en, departments, lead,
    section, wording_zh, due, value_<y>, counted_<y>, status_<y>`` for each plan year,
    ``overall, overall_value, how, group``.
    """
    years = list(range(plan.base_year + 1, plan.target_year + 1))
    rows = []
    for _, t in plan.tasks.iterrows():
        a = assess_task(t, outturns, report_year, tolerance)
        deps = split_codes(t["departments"])
        row = {"task": t["code"], "name_zh": t["name_zh"], "name_en": t["name_en"], "rule": a["rule"],
               "basis": t["basis"], "low": a["low"], "high": a["high"], "unit": t["unit"], "unit_en": t["unit_en"],
               "departments": t["departments"], "lead": deps[0] if deps else "", "section": t["section"],
               "wording_zh": t["wording_zh"], "due": max(due_years(t))}
        for y in years:
            cell = a["by_year"].get(y)
            row[f"value_{y}"] = cell["value"] if cell else math.nan
            row[f"counted_{y}"] = cell["counted"] if cell else math.nan
            row[f"status_{y}"] = cell["status"] if cell else ("not_due" if y > report_year else "")
        row.update(overall=a["overall"], overall_value=a["overall_value"], how=a["how"],
                   group=STATUS_GROUP[a["overall"]])
        rows.append(row)
    return pd.DataFrame(rows)


def counts(led: pd.DataFrame) -> dict[str, int]:
    """How many tasks are met / behind / not assessable (``na``) overall."""
    g = led["group"].value_counts()
    return {k: int(g.get(k, 0)) for k in GROUPS}


def _years(led_row: pd.Series, judged_only: bool) -> list[int]:
    """The plan years of a ledger row that are due (``status_<y>`` set); ``judged_only``: those judged
    by the report year (not ``not_due``)."""
    out = []
    for k in led_row.index:
        if k.startswith("status_") and led_row[k] != "" and not (judged_only and led_row[k] == "not_due"):
            out.append(int(k.split("_")[1]))
    return sorted(out)


def progress_to_date(led: pd.DataFrame, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """What each count task's overall status rests on, as a figure against a target: one row per
    task of the ledger that has one (rates and one-offs have none).

    * ``per_year``: the due year with the lowest share of the yearly target (the task is met
      overall only if every due year is, so that year decides); ``year`` is that year;
    * ``cumulative``: the running sum against the pro-rata share of the target (the full target in
      the last due year);
    * ``by_year``: the latest level against the target.

    Columns: ``task, basis, value, target, target_low, target_high, share, status, group, year``;
    ``target_low``/``target_high`` bound the range counted as met (``inf`` when open above) and
    ``share = value / target``. Its group is the overall status's, and it agrees with the figure:
    ``value`` at or above ``target_low`` exactly when the group is ``met`` (tested).
    """
    rows = []
    for _, r in led.iterrows():
        if r["rule"] == "rate" or (r["basis"] == "by_year" and r["rule"] == "exact"):
            continue
        lo, hi = target_range(r["rule"], r["low"], r["high"], tolerance)
        target, year = float(r["low"]), math.nan
        if r["basis"] == "per_year":
            judged = [y for y in _years(r, True) if not math.isnan(r[f"value_{y}"])]
            if not judged:
                continue
            year = min(judged, key=lambda y: (r[f"value_{y}"] / target if target else 0.0, -y))  # ties: the latest
            value = r[f"value_{year}"]
        elif r["basis"] == "cumulative":
            share = len(_years(r, True)) / max(1, len(_years(r, False)))
            value = r["overall_value"]
            target, lo, hi = target * share, lo * share, hi * share
        else:
            value = r["overall_value"]
        if value is None or (isinstance(value, float) and math.isnan(value)) or target <= 0:
            continue
        rows.append({"task": r["task"], "basis": r["basis"], "value": float(value), "target": target,
                     "target_low": lo, "target_high": hi, "share": float(value) / target,
                     "status": r["overall"], "group": r["group"], "year": year})
    return pd.DataFrame(rows, columns=["task", "basis", "value", "target", "target_low", "target_high", "share",
                                       "status", "group", "year"])


def departments_behind(plan, led: pd.DataFrame) -> pd.DataFrame:
    """The departments answering for the tasks that are behind: ``department, role, tasks`` (a list
    of task codes), leads first, each in the order of ``departments.csv``."""
    behind = led[led["group"] == "behind"]
    rows: dict[tuple[str, str], list[str]] = {}
    for _, r in behind.iterrows():
        for i, d in enumerate(split_codes(r["departments"])):
            rows.setdefault((d, "lead" if i == 0 else "co"), []).append(str(r["task"]))
    order = {c: i for i, c in enumerate(plan.departments["code"])}
    out = pd.DataFrame([{"department": d, "role": role, "tasks": codes} for (d, role), codes in rows.items()],
                       columns=["department", "role", "tasks"])
    if out.empty:
        return out
    out = out.assign(_r=(out["role"] != "lead").astype(int), _d=out["department"].map(order))
    return out.sort_values(["_r", "_d"], kind="stable").drop(columns=["_r", "_d"]).reset_index(drop=True)


# --------------------------------------------------------------------------- who is accountable
def accountability(plan, led: pd.DataFrame, progress: pd.DataFrame | None = None,
                   execution: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (department, item): indicators it monitors, tasks and fund areas it leads or co-leads.

    Convention: the first department listed for a task or fund area in the plan files is the lead
    (牵头), the others co-lead (配合); every department listed for an indicator monitors it.
    ``progress`` (the table of :func:`twocreate.assess.assess` for the city) gives indicator verdicts and
    ``execution`` (:func:`twocreate.funds.execution`) fund areas' cumulative execution rates.
    Columns: ``department, kind, code, role, status``.
    """
    rows = []
    if progress is None:
        cat = {}
    elif "verdict" in progress:  # the table of twocreate.assess.assess
        main = progress[progress["reading"].isin(["", "stock"])]
        cat = dict(zip(main["code"], main["verdict"]))
    else:
        cat = dict(zip(progress["indicator"], progress["category"]))
    for _, r in plan.indicators.iterrows():
        for d in split_codes(r["departments"]):
            rows.append({"department": d, "kind": "indicator", "code": r["code"], "role": "monitor",
                         "status": cat.get(r["code"], "")})
    st = dict(zip(led["task"], led["overall"]))
    for _, r in plan.tasks.iterrows():
        for i, d in enumerate(split_codes(r["departments"])):
            rows.append({"department": d, "kind": "task", "code": r["code"], "role": "lead" if i == 0 else "co",
                         "status": st.get(r["code"], "")})
    rate = {}
    if execution is not None and len(execution):
        last = execution[execution["year"] == execution["year"].max()]
        rate = dict(zip(last["code"], last["cumulative_rate"]))
    for _, r in plan.funds[plan.funds["code"] != "total"].iterrows():
        for i, d in enumerate(split_codes(r["departments"])):
            rows.append({"department": d, "kind": "fund", "code": r["code"], "role": "lead" if i == 0 else "co",
                         "status": rate.get(r["code"], math.nan)})
    order = {c: i for i, c in enumerate(plan.departments["code"])}
    out = pd.DataFrame(rows, columns=["department", "kind", "code", "role", "status"])
    kind_order = {"indicator": 0, "task": 1, "fund": 2}
    out = out.assign(_d=out["department"].map(order), _k=out["kind"].map(kind_order),
                     _r=(out["role"] != "lead").astype(int))
    return out.sort_values(["_d", "_k", "_r"], kind="stable").drop(columns=["_d", "_k", "_r"]).reset_index(drop=True)


def validate_tolerance(value: object) -> float:
    """The tolerance of "about" targets: a fraction from 0 to 0.5 (0.1 = ±10%)."""
    try:
        v = parse_number(value)
    except ValueError:
        v = None
    if v is None or not 0 <= v <= 0.5:
        raise InputError(f"parameter tolerance: value {value!r}: expected a fraction from 0 to 0.5 (0.1 means ±10%)")
    return float(v)
