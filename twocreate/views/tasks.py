"""Display tables, sentences and the chart of the task report (任务台账), in one language.

Every figure comes from :mod:`twocreate.tasks` (and :mod:`twocreate.funds` for execution rates);
functions here relabel, format and draw. Text cells are data and are shown through
:class:`twocreate.present.Page`, which escapes them.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import fmt
from ..plotting import CATEGORY_COLOURS, use_style
from ..tasks import DEFAULT_TOLERANCE, HOW, STATUS, target_range

RULE_LABEL = {
    "about": {"zh": "左右（±{tol}）", "en": "About (±{tol})"},
    "range": {"zh": "区间（低于、高于分别列出）", "en": "Range (below and above said separately)"},
    "at_least": {"zh": "以上", "en": "At least"},
    "strive": {"zh": "争取（期望性目标，按“以上”评价）", "en": "Strive (an aspiration, judged as at least)"},
    "exact": {"zh": "确定数 / 一次性任务", "en": "Exact / one-off"},
    "rate": {"zh": "比率区间", "en": "Rate within range"},
}
RULE_SHORT = {
    "about": {"zh": "左右（±{tol}）", "en": "about (±{tol})"},
    "range": {"zh": "区间", "en": "range"},
    "at_least": {"zh": "以上", "en": "at least"},
    "strive": {"zh": "争取（期望性）", "en": "strive (aspiration)"},
    "exact": {"zh": "确定数/一次性", "en": "exact / one-off"},
    "rate": {"zh": "比率区间", "en": "rate range"},
}
GROUP_LABEL = {"met": {"zh": "达标", "en": "met"}, "behind": {"zh": "滞后", "en": "behind"},
               "na": {"zh": "无法评估", "en": "not assessable"}}
GROUP_COLOURS = {"met": CATEGORY_COLOURS["achieved"], "behind": CATEGORY_COLOURS["limited_progress"],
                 "na": CATEGORY_COLOURS["no_data"]}
ROLE_LABEL = {"monitor": {"zh": "监测", "en": "monitors"}, "lead": {"zh": "牵头", "en": "leads"},
              "co": {"zh": "配合", "en": "co-leads"}}
KIND_LABEL = {"indicator": {"zh": "指标", "en": "Indicator"}, "task": {"zh": "任务", "en": "Task"},
              "fund": {"zh": "资金领域", "en": "Fund area"}}


def status_label(code: str, lang: str) -> str:
    return STATUS[code][lang] if code in STATUS else "—"


def rule_label(rule: str, lang: str, tolerance: float = DEFAULT_TOLERANCE) -> str:
    return RULE_LABEL[rule][lang].format(tol=fmt.percent(tolerance, 0))


def _num(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.1f}"


def value_text(x: float, unit: str, unit_en: str, lang: str) -> str:
    """A task figure with its unit (``26家`` / ``26 spaces``, ``8%``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if unit == "%":
        return f"{_num(x)}%"
    return f"{_num(x)}{unit}" if lang == "zh" else f"{_num(x)} {unit_en}"


def target_text(r: pd.Series | dict, lang: str) -> str:
    """The target as the plan words it (``30家左右``, ``15—20个``, ``2个以上``, ``2017年完成``)."""
    zh = lang == "zh"
    rule, low, high, unit, unit_en = r["rule"], r["low"], r["high"], r["unit"], r["unit_en"]
    per = ("每年" if zh else " a year") if r["basis"] == "per_year" else ""
    if r["basis"] == "by_year" and rule == "exact":
        return f"{int(r['due'])}年完成" if zh else f"done by {int(r['due'])}"
    by = (f"（到{int(r['due'])}年）" if zh else f" by {int(r['due'])}") if r["basis"] == "by_year" else ""
    total = ("（三年累计）" if zh else " (three-year total)") if r["basis"] == "cumulative" else ""
    if rule == "about":
        s = f"{value_text(low, unit, unit_en, lang)}左右" if zh else f"about {value_text(low, unit, unit_en, lang)}"
    elif rule in ("range", "rate"):
        s = (f"{_num(low)}—{value_text(high, unit, unit_en, lang)}" if zh
             else f"{_num(low)}–{value_text(high, unit, unit_en, lang)}")
    elif rule == "at_least":
        s = f"{value_text(low, unit, unit_en, lang)}以上" if zh else f"at least {value_text(low, unit, unit_en, lang)}"
    elif rule == "strive":
        s = f"争取{value_text(low, unit, unit_en, lang)}" if zh else f"strive for {value_text(low, unit, unit_en, lang)}"
    else:
        s = value_text(low, unit, unit_en, lang)
    return (f"{per}{s}{by}{total}" if zh else f"{s}{per}{by}{total}")


def _cell(r: pd.Series, y: int, lang: str) -> str:
    st = r.get(f"status_{y}", "")
    if not st:
        return "—"
    v, c = r[f"value_{y}"], r[f"counted_{y}"]
    if st == "not_due" and (v is None or math.isnan(v)):
        return status_label(st, lang)
    if r["basis"] == "by_year" and r["rule"] == "exact" and r["unit"] != "%":
        shown = ("完成" if v >= r["low"] else "未完成") if lang == "zh" else ("done" if v >= r["low"] else "not done")
        if math.isnan(v):
            shown = "—"
    else:
        shown = value_text(v, r["unit"], r["unit_en"], lang)
    if r["basis"] == "cumulative" and not math.isnan(c):
        shown += f"（累计{_num(c)}）" if lang == "zh" else f" (to date {_num(c)})"
    return f"{shown} · {status_label(st, lang)}"


def ledger_display(plan, led: pd.DataFrame, lang: str, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """Every task: target, rule, each year's outturn and status, overall status, departments, section, wording."""
    zh = lang == "zh"
    years = list(range(plan.base_year + 1, plan.target_year + 1))
    sep = "、" if zh else "; "
    rows = []
    for _, r in led.iterrows():
        # the plan's section and Chinese wording sit under the task's name: one wide text column, not two
        # narrow ones, so the table reads on screen and fits an A4 page
        task = (f"{r['name_zh']}（{r['section']}：“{r['wording_zh']}”）" if zh
                else f"{r['name_en']} ({r['section']}: “{r['wording_zh']}”)")
        row = {("任务（计划条款与原文）" if zh else "Task (plan section and wording)"): task,
               ("目标" if zh else "Target"): target_text(r, lang),
               ("规则" if zh else "Rule"): RULE_SHORT[r["rule"]][lang].format(tol=fmt.percent(tolerance, 0))}
        for y in years:
            row[f"{y}年" if zh else str(y)] = _cell(r, y, lang)
        row["总体" if zh else "Overall"] = status_label(r["overall"], lang)
        row["责任部门（首列为牵头）" if zh else "Departments (lead first)"] = sep.join(
            plan.department_names(r["departments"], lang))
        rows.append(row)
    return pd.DataFrame(rows)


def rules_display(led: pd.DataFrame, lang: str, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """The rules in use and how each task's overall status is formed."""
    zh = lang == "zh"
    rows = []
    for _, r in led.iterrows():
        rows.append({("任务" if zh else "Task"): r[f"name_{lang}"],
                     ("评价规则" if zh else "Rule"): rule_label(r["rule"], lang, tolerance),
                     ("总体评价的形成" if zh else "How the overall status is formed"): HOW[r["how"]][lang]})
    return pd.DataFrame(rows)


def counts_text(c: dict, lang: str) -> str:
    if lang == "zh":
        return f"达标{c['met']}项，滞后{c['behind']}项，无法评估{c['na']}项"
    return f"{c['met']} met, {c['behind']} behind, {c['na']} not assessable"


def summary_items(led: pd.DataFrame, c: dict, year: int, lang: str) -> list[str]:
    zh = lang == "zh"
    out = [(f"截至{year}年，计划§三的{len(led)}项可计数任务中：{counts_text(c, lang)}。" if zh
            else f"By {year}, of the {len(led)} countable tasks of §三: {counts_text(c, lang)}.")]
    behind = led[led["group"] == "behind"]
    if len(behind):
        names = ("、" if zh else "; ").join(f"{r[f'name_{lang}']}（{status_label(r['overall'], lang)}）" if zh
                                           else f"{r[f'name_{lang}']} ({status_label(r['overall'], lang)})"
                                           for _, r in behind.iterrows())
        out.append(f"滞后的任务：{names}。" if zh else f"Behind: {names}.")
    return out


def status_line(c: dict, lang: str) -> str:
    return counts_text(c, lang)


# --------------------------------------------------------------------------- the chart
def chart_rows(led: pd.DataFrame, year: int, tolerance: float = DEFAULT_TOLERANCE) -> pd.DataFrame:
    """Count tasks with a figure to date: ``task, name_zh, name_en, unit, unit_en, value, target_low,
    target_high, share, group`` where value and targets are to date (per-year tasks: summed over the
    years assessed; cumulative: the running sum against the pro-rata or full target)."""
    rows = []
    for _, r in led.iterrows():
        if r["rule"] == "rate" or (r["basis"] == "by_year" and r["rule"] == "exact"):
            continue
        lo, hi = target_range(r["rule"], r["low"], r["high"], tolerance)
        if r["basis"] == "per_year":
            years = [int(k.split("_")[1]) for k in r.index if k.startswith("status_") and r[k] not in ("", "not_due")]
            n = len(years)
            value = sum(0.0 if math.isnan(r[f"value_{y}"]) else r[f"value_{y}"] for y in years)
            target = r["low"] * n
            lo, hi = lo * n, hi * n
        elif r["basis"] == "cumulative":
            years = [int(k.split("_")[1]) for k in r.index if k.startswith("status_") and r[k] not in ("", "not_due")]
            all_years = [int(k.split("_")[1]) for k in r.index if k.startswith("status_") and r[k] != ""]
            share = len(years) / max(1, len(all_years))
            value = r["overall_value"]
            target, lo, hi = r["low"] * share, lo * share, hi * share
        else:  # by_year count (platforms by 2018)
            value = r["overall_value"]
            target = r["low"]
        if value is None or (isinstance(value, float) and math.isnan(value)) or target <= 0:
            continue
        rows.append({"task": r["task"], "name_zh": r["name_zh"], "name_en": r["name_en"], "unit": r["unit"],
                     "unit_en": r["unit_en"], "value": float(value), "target": float(target), "target_low": lo,
                     "target_high": hi, "share": float(value) / target, "group": r["group"],
                     "status": r["overall"]})
    return pd.DataFrame(rows)


def chart_alt(rows: pd.DataFrame, year: int, lang: str) -> str:
    """The chart's text alternative, from its data."""
    zh = lang == "zh"
    parts = []
    for _, r in rows.iterrows():
        v = value_text(r["value"], r["unit"], r["unit_en"], lang)
        t = value_text(r["target"], r["unit"], r["unit_en"], lang)
        st = status_label(r["status"], lang)
        parts.append(f"{r['name_zh']}{v}，对应目标{t}（{fmt.percent(r['share'], 0)}，{st}）" if zh
                     else f"{r['name_en']} {v} against {t} ({fmt.percent(r['share'], 0)}, {st})")
    head = f"截至{year}年任务完成数与目标：" if zh else f"Task counts against their targets to {year}: "
    return head + ("；" if zh else "; ").join(parts)


def counts_chart(rows: pd.DataFrame, year: int, lang: str):
    """Horizontal bars: each count task's figure to date as a share of its target to date, the band
    that counts as met shaded, bars coloured by status group; value / target written at the bar end."""
    import matplotlib.pyplot as plt

    use_style()
    zh = lang == "zh"
    n = max(1, len(rows))
    fig, ax = plt.subplots(figsize=(9, 0.55 * n + 1.4))
    ys = list(range(n))[::-1]
    for y, (_, r) in zip(ys, rows.iterrows()):
        lo = r["target_low"] / r["target"]
        hi = r["target_high"] / r["target"] if math.isfinite(r["target_high"]) else None
        if hi is not None and hi > lo:
            ax.add_patch(plt.Rectangle((lo * 100, y - 0.4), (hi - lo) * 100, 0.8, color="#dddddd", zorder=0))
        ax.barh(y, r["share"] * 100, height=0.5, color=GROUP_COLOURS[r["group"]], zorder=2)
        label = (f"{_num(r['value'])}/{_num(r['target'])}{r['unit']}" if zh
                 else f"{_num(r['value'])}/{_num(r['target'])} {r['unit_en']}")
        ax.text(r["share"] * 100 + 2, y, label, va="center", fontsize=8, zorder=3)
    ax.axvline(100, color="#333333", linewidth=1, linestyle="--")
    ax.set_yticks(ys)
    ax.set_yticklabels([r[f"name_{lang}"] for _, r in rows.iterrows()], fontsize=8)
    top = max([130.0] + [r["share"] * 100 + 25 for _, r in rows.iterrows()])
    ax.set_xlim(0, top)
    ax.set_xlabel(f"截至{year}年实际数占同期目标的百分比（%）" if zh else f"Outturn to {year} as % of the target to date")
    ax.grid(axis="y", visible=False)
    from matplotlib.patches import Patch
    shown = ["met", "behind"] + (["na"] if (rows["group"] == "na").any() else [])
    handles = [Patch(color=GROUP_COLOURS[g], label=GROUP_LABEL[g][lang]) for g in shown]
    handles.append(Patch(color="#dddddd", label="达标区间" if zh else "band counted as met"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.25 / n), ncol=len(handles))
    return fig


# --------------------------------------------------------------------------- accountability
def accountability_display(plan, acc: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per department: what it monitors, leads and co-leads, and the current status of each."""
    from .common import verdict_label as category_label
    zh = lang == "zh"
    dept = plan.departments.set_index("code")[f"name_{lang}"]
    tasks = plan.tasks.set_index("code")[f"name_{lang}"]
    funds = plan.funds.set_index("code")[f"name_{lang}"]
    rows = []
    for _, r in acc.iterrows():
        if r["kind"] == "indicator":
            name = plan.indicator_name(r["code"], lang)
            st = category_label(r["status"], lang) if r["status"] else "—"
        elif r["kind"] == "task":
            name = tasks[r["code"]]
            st = status_label(r["status"], lang)
        else:
            name = funds[r["code"]]
            v = r["status"]
            st = ((f"累计执行率{fmt.percent(v, 0)}" if zh else f"cumulative execution {fmt.percent(v, 0)}")
                  if isinstance(v, float) and not math.isnan(v) else ("无拨付数据" if zh else "no disbursement data"))
        rows.append({("部门" if zh else "Department"): dept[r["department"]],
                     ("类别" if zh else "Kind"): KIND_LABEL[r["kind"]][lang],
                     ("职责" if zh else "Role"): ROLE_LABEL[r["role"]][lang],
                     ("事项" if zh else "Item"): name, ("当前状态" if zh else "Current status"): st})
    return pd.DataFrame(rows)


def behind_by_department(plan, acc: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per department that leads or co-leads a task that is behind."""
    zh = lang == "zh"
    dept = plan.departments.set_index("code")[f"name_{lang}"]
    tasks = plan.tasks.set_index("code")[f"name_{lang}"]
    t = acc[(acc["kind"] == "task") & acc["status"].map(lambda s: STATUS.get(s, {}).get("group") == "behind")]
    out = []
    for d, g in t.groupby("department", sort=False):
        items = ("、" if zh else "; ").join(
            f"{tasks[c]}（{ROLE_LABEL[role][lang]}，{status_label(s, lang)}）" if zh
            else f"{tasks[c]} ({ROLE_LABEL[role][lang]}, {status_label(s, lang)})"
            for c, role, s in zip(g["code"], g["role"], g["status"]))
        out.append(f"{dept[d]}：{items}" if zh else f"{dept[d]}: {items}")
    return out


def outturns_display(plan, outturns: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The task outturns used, with status and source."""
    zh = lang == "zh"
    t = plan.tasks.set_index("code")
    sel = outturns.sort_values(["task", "year"], key=lambda s: s.map({c: i for i, c in enumerate(t.index)})
                               if s.name == "task" else s)
    return pd.DataFrame({
        ("任务" if zh else "Task"): [t.loc[c, f"name_{lang}"] for c in sel["task"]],
        ("年份" if zh else "Year"): sel["year"].astype(int).to_numpy(),
        ("数值" if zh else "Value"): [value_text(v, t.loc[c, "unit"], t.loc[c, "unit_en"], lang)
                                     for c, v in zip(sel["task"], sel["value"])],
        ("状态" if zh else "Status"): sel["status"].to_numpy(),
        ("来源" if zh else "Source"): sel["source"].to_numpy(),
    })
