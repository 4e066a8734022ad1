"""Display tables, sentences and the chart of the task report (task ledger and accountability), in
one language.

Every figure and status comes from :mod:`twocreate.tasks` (and :mod:`twocreate.funds` for execution
rates, :func:`twocreate.assess.assess` for the indicators' verdicts); functions here relabel, format
and draw. Every word comes from the catalogs (``tasks.*`` of :mod:`twocreate.i18n`), every number
goes through :mod:`twocreate.fmt`; the plan's words (task names, sections, wording, departments)
come from the plan's tables. Text cells are data and are shown through
:class:`twocreate.present.Page`, which escapes them.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import fmt
from ..i18n import t
from ..plan import split_codes
from ..plotting import CATEGORY_COLOURS, use_style
from ..tasks import DEFAULT_TOLERANCE, STATUS_GROUP, due_years, is_one_off, progress_to_date
from .common import verdict_label

GROUP_COLOURS = {"met": CATEGORY_COLOURS["achieved"], "behind": CATEGORY_COLOURS["limited_progress"],
                 "na": CATEGORY_COLOURS["no_data"]}
BAND_COLOUR = "#dddddd"


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _sep(lang: str) -> str:
    return t("punct.list_sep", lang)


def _task(plan, code: str) -> pd.Series:
    return plan.tasks.set_index("code").loc[code]


def status_label(code: str, lang: str) -> str:
    """A task status code (``met``, ``late`` …) in words; ``—`` for none."""
    return t(f"tasks.status.{code}", lang) if code in STATUS_GROUP else "—"


def quoted(text: object, lang: str) -> str:
    """Plan wording in quotation marks; quotation marks inside it become single ones (‘…’), so the
    same kind is never nested."""
    s = "" if _nan(text) else str(text)
    return t("tasks.quote", lang, text=s.replace("“", "‘").replace("”", "’"))


# --------------------------------------------------------------------------- numbers with the task's unit
def _unit_words(r) -> tuple[str, str]:
    """The English unit of a task row, plural and singular (``unit_en_one``, default the plural)."""
    other = "" if _nan(r.get("unit_en")) else str(r.get("unit_en"))
    one = r.get("unit_en_one")
    return other, (other if _nan(one) or str(one).strip() == "" else str(one))


def value_text(x: float, r, lang: str, digits: int = 3) -> str:
    """A figure of task row ``r`` with its unit (``26家`` / ``26 spaces``, ``1 event``, ``8%``)."""
    if _nan(x):
        return "—"
    other, one = _unit_words(r)
    return fmt.quantity(x, str(r["unit"]), lang, one if x == 1 else other, digits=digits)


def _bare(x: float) -> str:
    """The lower bound of a range of counts, without its unit (``15`` of ``15—20个``)."""
    return fmt.number(x, 0 if float(x).is_integer() else 1)


def rule_key(r) -> str:
    """The catalog key of a task row's rule: its rule, or ``one_off`` / ``exact_per_year`` for an
    exact number done once or reached every year."""
    if is_one_off({"basis": r["basis"], "qualifier": r["rule"]}):
        return "one_off"
    if r["rule"] == "exact" and r["basis"] == "per_year":
        return "exact_per_year"
    return str(r["rule"])


def rule_label(r, lang: str, tolerance: float = DEFAULT_TOLERANCE, short: bool = False) -> str:
    """The rule of a ledger row in words (``左右（±10%）``, ``确定数（每年达到该数为达标）``)."""
    return t(f"tasks.{'rule_short' if short else 'rule'}.{rule_key(r)}", lang, tol=fmt.percent(tolerance, 0))


def target_text(r, lang: str) -> str:
    """The target as the plan words it (``50家左右``, ``10—12个``, ``每年8家``, ``<due year>年完成``)."""
    rule, low, high = r["rule"], r["low"], r["high"]
    if rule_key(r) == "one_off":
        return t("tasks.target_one_off", lang, year=int(r["due"]))
    if rule == "about":
        s = t("tasks.target_about", lang, value=value_text(low, r, lang))
    elif rule in ("range", "rate"):
        lo = value_text(low, r, lang) if str(r["unit"]) == "%" else _bare(low)
        s = t("tasks.target_range", lang, low=lo, high=value_text(high, r, lang))
    elif rule == "at_least":
        s = t("tasks.target_at_least", lang, value=value_text(low, r, lang))
    elif rule == "strive":
        s = t("tasks.target_strive", lang, value=value_text(low, r, lang))
    else:
        s = t("tasks.target_exact", lang, value=value_text(low, r, lang))
    if r["basis"] == "per_year":
        return t("tasks.target_per_year", lang, target=s)
    if r["basis"] == "by_year":
        return t("tasks.target_by", lang, target=s, year=int(r["due"]))
    if r["basis"] == "cumulative":
        years = r.get("_due_years") or []
        if len(years) > 1:
            return t("tasks.target_total", lang, target=s, start=years[0], end=years[-1])
        if years:
            return t("tasks.target_total_one", lang, target=s, year=years[0])
    return s


def _with_plan(plan, led: pd.DataFrame) -> pd.DataFrame:
    """The ledger with the plan's task columns the words need (due years, singular unit)."""
    tasks = plan.tasks.set_index("code")
    out = led.copy()
    out["_due_years"] = [due_years(tasks.loc[c]) for c in out["task"]]
    out["unit_en_one"] = [tasks.loc[c].get("unit_en_one") for c in out["task"]]
    return out


def _cell(r, y: int, lang: str) -> str:
    st = r.get(f"status_{y}", "")
    if not st:
        return "—"
    v, c = r[f"value_{y}"], r[f"counted_{y}"]
    if st == "not_due" and _nan(v):
        return status_label(st, lang)
    if rule_key(r) == "one_off" and str(r["unit"]) != "%":
        return status_label(st, lang)  # a one-off's figure is its status (done / not done / late)
    shown = value_text(v, r, lang)
    if r["basis"] == "cumulative" and not _nan(c):
        return t("tasks.cell_cumulative", lang, value=shown, total=_bare(c), status=status_label(st, lang))
    return t("tasks.cell", lang, value=shown, status=status_label(st, lang))


def plan_years(plan) -> list[int]:
    return list(range(plan.base_year + 1, plan.target_year + 1))


def ledger_display(plan, led: pd.DataFrame, lang: str, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """Every task: name with section and wording, target, rule, each year's outturn and status, overall
    status, departments."""
    rows = []
    for _, r in _with_plan(plan, led).iterrows():
        row = {t("tasks.col_task", lang): t("tasks.task_cell", lang, name=r[f"name_{lang}"], section=r["section"],
                                            wording=quoted(r["wording_zh"], lang)),
               t("tasks.col_target", lang): target_text(r, lang),
               t("tasks.col_rule", lang): rule_label(r, lang, tolerance, short=True)}
        for y in plan_years(plan):
            row[t("tasks.col_year", lang, year=y)] = _cell(r, y, lang)
        row[t("tasks.col_overall", lang)] = status_label(r["overall"], lang)
        row[t("tasks.col_departments", lang)] = _sep(lang).join(plan.department_names(r["departments"], lang))
        rows.append(row)
    return pd.DataFrame(rows)


def how_text(r, lang: str) -> str:
    """How the overall status of a ledger row is formed, with the task's own years."""
    years = r["_due_years"]
    listed = _sep(lang).join(str(y) for y in years)
    if r["how"] in ("per_year", "rate"):
        return t(f"tasks.how.{r['how']}", lang, years=listed, count=len(years))
    if r["how"] == "cumulative":
        return t("tasks.how.cumulative", lang, last=years[-1] if years else int(r["due"]))
    return t(f"tasks.how.{r['how']}", lang, due=int(r["due"]))


def rules_display(plan, led: pd.DataFrame, lang: str, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """The rule of each task and how its overall status is formed."""
    return pd.DataFrame([{t("tasks.col_task_name", lang): r[f"name_{lang}"],
                          t("tasks.col_rule_full", lang): rule_label(r, lang, tolerance),
                          t("tasks.col_how", lang): how_text(r, lang)}
                         for _, r in _with_plan(plan, led).iterrows()])


# --------------------------------------------------------------------------- sentences
def names_text(plan, lang: str) -> str:
    """The plan's tasks by name, in the order of ``tasks.csv`` (the lead paragraph)."""
    return t("tasks.names_sep", lang).join(str(n) for n in plan.tasks[f"name_{lang}"])


def where_text(plan, lang: str) -> str:
    """Where the plan sets its tasks (``tasks_section_zh``/``_en`` of plan.toml), or ``""``."""
    s = plan.text("tasks_section", lang)
    return t("tasks.where", lang, section=s) if s else ""


def status_line(c: dict, lang: str) -> str:
    """Counts by group, for the index: ``达标7项，滞后4项，无法评估0项``."""
    return t("tasks.status_line", lang, **c)


def _departments(plan, codes: list[str], lang: str) -> str:
    return _sep(lang).join(plan.department_names(";".join(codes), lang)) if codes else ""


def conclusion(plan, led: pd.DataFrame, counts: dict, year: int, lang: str) -> str:
    """The report's conclusion in one paragraph: tasks met, behind, not assessable, and the
    departments that lead (and co-lead) what is behind."""
    from ..tasks import departments_behind
    s = t("tasks.conclusion", lang, year=year, n=len(led), count=len(led), **counts)
    db = departments_behind(plan, led)
    if db.empty:
        return s + t("tasks.conclusion_none_behind", lang)
    names = dict(zip(plan.departments["code"], plan.departments[f"name_{lang}"]))

    def listed(role):
        g = db[db["role"] == role]
        return _sep(lang).join(t("tasks.dept_count", lang, department=names.get(d, d), count=len(c))
                               for d, c in zip(g["department"], g["tasks"]))
    s += t("tasks.conclusion_leads", lang, leads=listed("lead"))
    if (db["role"] == "co").any():
        s += t("tasks.conclusion_cos", lang, cos=listed("co"))
    return s + t("tasks.conclusion_end", lang)


def _detail(plan, r, lang: str) -> str:
    target = target_text(r, lang)
    if r["overall"] in ("not_done", "late"):
        done = [y for y in plan_years(plan) if r.get(f"status_{y}") == "late"]
        if r["overall"] == "late" and done:
            return t("tasks.detail_late", lang, due=int(r["due"]), year=min(done))
        return t("tasks.detail_not_done", lang, due=int(r["due"]))
    if r["basis"] in ("per_year", "rate"):
        bad = [y for y in r["_due_years"] if r.get(f"status_{y}") == "behind"]
        if bad:
            pts = _sep(lang).join(t("tasks.point", lang, year=y, value=value_text(r[f"value_{y}"], r, lang)) for y in bad)
            return t("tasks.detail_years", lang, target=target, years=pts)
    if r["basis"] == "cumulative" and not _nan(r["overall_value"]):
        return t("tasks.detail_total", lang, target=target, value=value_text(r["overall_value"], r, lang))
    if r["basis"] == "by_year" and not _nan(r["overall_value"]):
        given = [y for y in plan_years(plan) if not _nan(r.get(f"value_{y}", math.nan))]
        if given:
            return t("tasks.detail_level", lang, target=target, year=max(given),
                     value=value_text(r["overall_value"], r, lang))
    return t("tasks.detail_none", lang)


def summary_items(plan, led: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per task that is behind or has no data: its status, the figures it rests on and
    its lead department (tasks not yet due are counted in the conclusion only)."""
    out = []
    for _, r in _with_plan(plan, led).iterrows():
        if not (r["group"] == "behind" or r["overall"] == "no_data"):
            continue
        deps = split_codes(r["departments"])
        detail = _detail(plan, r, lang)
        if deps:
            out.append(t("tasks.item", lang, name=r[f"name_{lang}"], status=status_label(r["overall"], lang),
                         detail=detail, lead=_departments(plan, deps[:1], lang)))
        else:
            out.append(t("tasks.item_no_lead", lang, name=r[f"name_{lang}"], status=status_label(r["overall"], lang),
                         detail=detail).strip())
    return out


# --------------------------------------------------------------------------- the chart
def chart_rows(plan, led: pd.DataFrame, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """:func:`twocreate.tasks.progress_to_date` with the plan's names and units for the chart."""
    rows = progress_to_date(led, tolerance)
    tasks = plan.tasks.set_index("code")
    for col in ("name_zh", "name_en", "unit", "unit_en"):
        rows[col] = [tasks.loc[c, col] for c in rows["task"]]
    rows["unit_en_one"] = [tasks.loc[c].get("unit_en_one") for c in rows["task"]]
    return rows


def chart_alt(rows: pd.DataFrame, year: int, lang: str) -> str:
    """The chart's text alternative, from its data: counts by group and the share of each task that
    is behind (at most about 300 characters; every figure is in the ledger table)."""
    g = rows["group"].value_counts()
    behind = rows[rows["group"] == "behind"]
    items = _sep(lang).join(t("tasks.alt_item", lang, name=r[f"name_{lang}"], share=fmt.percent(r["share"]))
                            for _, r in behind.iterrows())
    return t("tasks.chart_alt", lang, year=year, met=int(g.get("met", 0)), behind=int(g.get("behind", 0)),
             na=int(g.get("na", 0)), behind_list=t("tasks.chart_alt_behind", lang, items=items) if items else "")


def _bar_label(r, lang: str) -> str:
    value, target = value_text(r["value"], r, lang), value_text(r["target"], r, lang, digits=2)
    if r["basis"] == "per_year" and not _nan(r["year"]):
        return t("tasks.bar_label_year", lang, year=int(r["year"]), value=value, target=target)
    return t("tasks.bar_label", lang, value=value, target=target)


def counts_chart(rows: pd.DataFrame, year: int, lang: str):
    """Horizontal bars: the figure each count task's overall status rests on, as a share of its
    target, the range counted as met shaded, bars coloured by the status group; figure and target
    written at the bar's end."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    use_style()
    n = max(1, len(rows))
    fig, ax = plt.subplots(figsize=(9, 0.55 * n + 1.4))
    ys = list(range(n))[::-1]
    for y, (_, r) in zip(ys, rows.iterrows()):
        lo = r["target_low"] / r["target"]
        hi = r["target_high"] / r["target"] if math.isfinite(r["target_high"]) else None
        if hi is not None and hi > lo:
            ax.add_patch(plt.Rectangle((lo * 100, y - 0.4), (hi - lo) * 100, 0.8, color=BAND_COLOUR, zorder=0))
        ax.barh(y, r["share"] * 100, height=0.5, color=GROUP_COLOURS[r["group"]], zorder=2)
        ax.text(r["share"] * 100 + 2, y, _bar_label(r, lang), va="center", fontsize=8, zorder=3)
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--")
    ax.set_yticks(ys)
    ax.set_yticklabels([r[f"name_{lang}"] for _, r in rows.iterrows()], fontsize=8)
    top = max([140.0] + [r["share"] * 100 + 40 for _, r in rows.iterrows()])
    ax.set_xlim(0, top)
    ax.set_xlabel(t("tasks.chart_axis", lang, year=year))
    ax.grid(axis="y", visible=False)
    shown = ["met", "behind"] + (["na"] if (rows["group"] == "na").any() else [])
    handles = [Patch(color=GROUP_COLOURS[g], label=t(f"tasks.group.{g}", lang)) for g in shown]
    handles.append(Patch(color=BAND_COLOUR, label=t("tasks.chart_band", lang)))
    # above the axes: the bottom right corner is the illustrative mark's
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=len(handles), frameon=False)
    return fig


def chart_caption(tolerance: float, lang: str) -> str:
    return t("tasks.cap_chart", lang, tol=fmt.percent(tolerance, 0))


# --------------------------------------------------------------------------- accountability
def _fund_status(v, lang: str) -> str:
    if isinstance(v, (int, float)) and not _nan(v):
        return t("tasks.fund_rate", lang, rate=fmt.percent(v))
    return t("tasks.fund_none", lang)


def accountability_display(plan, acc: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per department: what it monitors, leads and co-leads, and the current status of each (an
    indicator's verdict of the engine, a task's overall status, a fund area's cumulative execution)."""
    dept = plan.departments.set_index("code")[f"name_{lang}"]
    tasks = plan.tasks.set_index("code")[f"name_{lang}"]
    funds = plan.funds.set_index("code")[f"name_{lang}"]
    rows = []
    for _, r in acc.iterrows():
        if r["kind"] == "indicator":
            name = plan.indicator_name(r["code"], lang)
            st = verdict_label(r["status"], lang)
        elif r["kind"] == "task":
            name, st = tasks[r["code"]], status_label(r["status"], lang)
        else:
            name, st = funds[r["code"]], _fund_status(r["status"], lang)
        rows.append({t("tasks.col_department", lang): dept[r["department"]],
                     t("tasks.col_kind", lang): t(f"tasks.kind.{r['kind']}", lang),
                     t("tasks.col_role", lang): t(f"tasks.role.{r['role']}", lang),
                     t("tasks.col_item", lang): name, t("tasks.col_current", lang): st})
    return pd.DataFrame(rows)


def behind_by_department(plan, acc: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per department that leads or co-leads a task that is behind."""
    dept = plan.departments.set_index("code")[f"name_{lang}"]
    tasks = plan.tasks.set_index("code")[f"name_{lang}"]
    sel = acc[(acc["kind"] == "task") & acc["status"].map(lambda s: STATUS_GROUP.get(s) == "behind")]
    out = []
    for d, g in sel.groupby("department", sort=False):
        items = _sep(lang).join(t("tasks.behind_item", lang, task=tasks[c], role=t(f"tasks.role.{role}", lang),
                                  status=status_label(s, lang))
                                for c, role, s in zip(g["code"], g["role"], g["status"]))
        out.append(t("tasks.behind_line", lang, department=dept[d], items=items))
    return out


# --------------------------------------------------------------------------- the data used
def outturns_display(plan, outturns: pd.DataFrame, lang: str, shipped: bool = False) -> pd.DataFrame:
    """The task outturns used, with status and source. ``shipped``: the file is the plan's own
    example (``task_outturns`` of plan.toml); its illustrative rows then name their source with the
    catalog's words (the example's source text is the suite's, not a user's), every other source is
    shown as the file gives it."""
    order = {c: i for i, c in enumerate(plan.tasks["code"])}
    sel = outturns.sort_values(["task", "year"], key=lambda s: s.map(order) if s.name == "task" else s)
    rows = [_task(plan, c) for c in sel["task"]]
    source = [t("tasks.source_shipped", lang) if shipped and st == "illustrative" else src
              for st, src in zip(sel["status"], sel["source"])]
    return pd.DataFrame({
        t("tasks.col_task_name", lang): [r[f"name_{lang}"] for r in rows],
        t("data.col_year", lang): sel["year"].astype(int).to_numpy(),
        t("data.col_value", lang): [_outturn_text(v, r, lang) for v, r in zip(sel["value"], rows)],
        t("data.col_status", lang): [t(f"status.{s}", lang) if isinstance(s, str) and s else "" for s in sel["status"]],
        t("data.col_source", lang): source,
    })


def _outturn_text(v: float, task: pd.Series, lang: str) -> str:
    """A task outturn as given: a one-off's count as done / not done, any other figure with its unit."""
    if is_one_off(task) and str(task["unit"]) != "%" and not _nan(v):
        return status_label("done" if v >= float(task["target_low"]) else "not_done", lang)
    return value_text(v, task, lang)


def data_items(plan, task_file: str, obs_file: str | None, disb_file: str | None, year: int, lang: str) -> list[str]:
    """What the report read: the task file, the task definitions, the indicator outturns, the
    disbursements (file names only, no machine paths)."""
    none = t("tasks.none_supplied", lang)
    return [t("tasks.data_tasks", lang, file=task_file, year=year),
            t("tasks.data_definitions", lang, folder=plan.values()["folder"]),
            t("tasks.data_observations", lang, file=obs_file or none),
            t("tasks.data_disbursements", lang, file=disb_file or none)]
