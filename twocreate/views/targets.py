"""Display tables and sentences of the target-assessment report (any plan; targets by kind).

Pure functions of a plan and :func:`twocreate.targets.assess_plan`'s table; texts in zh or en.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import fmt
from ..indicators import CATEGORY_LABELS

KIND_LABELS = {"growth": ("增长", "growth"), "level": ("水平", "level"), "share": ("占比", "share"),
               "cumulative": ("累计", "cumulative count"), "relative": ("对标", "relative to a benchmark"),
               "qualitative": ("定性", "qualitative")}
QUALIFIER_LABELS = {"at_least": ("以上/不低于", "at least"), "about": ("左右", "about"),
                    "at_most": ("以下/不高于", "at most"), "strive": ("力争/争取", "strive for")}
STATUS_LABELS = {"achieved": ("已实现", "achieved"), "not_achieved": ("未实现", "not achieved"),
                 "above_range": ("高于区间", "above the range"), "not_assessable": ("无法评估", "not assessable"),
                 "not_assessed": ("不评估", "not assessed")}
REASON_LABELS = {"no outturn yet": "尚无实际值", "benchmark not supplied": "未提供对标数据",
                 "qualitative target: no number to assess": "定性目标，无数值可评估",
                 "no base: one observed year only": "只有一年观测值，无基数",
                 "growth target: assessed in the trajectory report": "增长目标，见指标进展报告",
                 "no base to measure progress from": "无基数可衡量进展"}


def _i(lang: str) -> int:
    return 0 if lang == "zh" else 1


def reason_text(reason: str, lang: str) -> str:
    """A reason of :mod:`twocreate.targets` in ``lang`` ("base: the first observed year, 2024" → "基数：首个观测年份2024年")."""
    if not reason:
        return ""
    if lang == "en":
        return reason
    if reason.startswith("base: the first observed year, "):
        return f"基数取首个观测年份{reason.rsplit(' ', 1)[-1]}年"
    if reason.startswith("years without a figure count as zero"):
        return "缺少数值的年份按零计" + reason[len("years without a figure count as zero"):]
    return REASON_LABELS.get(reason, reason)


def _num(v, unit: str, lang: str) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    if unit == "%":
        return f"{fmt.number(v, 1)}%"
    return f"{fmt.number(v, 0)}{unit}" if lang == "zh" else f"{fmt.number(v, 0)} {unit}"


def category_label(a: pd.Series, lang: str) -> str:
    """The verdict of one assessed target: a Eurostat category, or the status when there is none."""
    if isinstance(a["category"], str) and a["category"] in CATEGORY_LABELS:
        label = CATEGORY_LABELS[a["category"]][lang]
        if a["status"] == "above_range":
            label += "（高于区间）" if lang == "zh" else " (above the range)"
        return label
    return STATUS_LABELS[a["status"]][_i(lang)]


def assessment_display(plan, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per target: name, kind, qualifier, target, base, latest outturn, progress ratio, verdict, note."""
    zh = lang == "zh"
    rows = []
    for _, a in table.iterrows():
        ind = plan.indicator(a["code"])
        unit = str(ind["unit"])
        target = (("全省平均水平" if zh else "the provincial average") if a["target_kind"] == "relative"
                  else _num(a["target"], unit, lang))
        if a["target_kind"] == "cumulative" and not pd.isna(a["base_year"]):
            base = f"{int(a['base_year'])}年起累计" if zh else f"summed from {int(a['base_year'])}"
        elif a["base_year"] is None or pd.isna(a["base_year"]):
            base = "—"
        else:
            base = f"{_num(a['base_value'], unit, lang)} ({int(a['base_year'])})"
        latest = "—" if a["latest_year"] is None or pd.isna(a["latest_year"]) else \
            f"{_num(a['latest_value'], unit, lang)} ({int(a['latest_year'])})"
        ratio = "—" if pd.isna(a["ratio"]) else fmt.number(a["ratio"], 2)
        rows.append({("指标" if zh else "Target"): plan.indicator_name(a["code"], lang),
                     ("类型" if zh else "Kind"): KIND_LABELS[a["target_kind"]][_i(lang)],
                     ("限定词" if zh else "Qualifier"): QUALIFIER_LABELS[a["qualifier"]][_i(lang)],
                     (f"{int(a['target_year'])}年目标" if zh else f"Target {int(a['target_year'])}"): target,
                     ("基数" if zh else "Base"): base,
                     ("最新实际值" if zh else "Latest outturn"): latest,
                     ("进度比R" if zh else "Ratio R"): ratio,
                     ("评价" if zh else "Verdict"): category_label(a, lang),
                     ("说明" if zh else "Note"): "；".join(x for x in [reason_text(a["reason"], lang), _pair(plan, a, ind, lang)]
                                                       if x) if zh else "; ".join(
                         x for x in [reason_text(a["reason"], lang), _pair(plan, a, ind, lang)] if x),
                     ("计划原文" if zh else "Plan wording"): str(ind["wording_zh"])})
    return pd.DataFrame(rows)


def _pair(plan, a: pd.Series, ind: pd.Series, lang: str) -> str:
    if not a.get("from_pair"):
        return ""
    n, d = plan.measure_name(ind["numerator"], lang), plan.measure_name(ind["denominator"], lang)
    return f"占比 = {n} ÷ {d}" if lang == "zh" else f"share = {n} ÷ {d}"


def category_records(plan, table: pd.DataFrame, lang: str) -> list[dict]:
    """Each target's verdict for the index chips (code, name, category, label)."""
    return [{"code": a["code"], "name": plan.indicator_name(a["code"], lang),
             "category": a["category"] if isinstance(a["category"], str) else "no_data",
             "label": category_label(a, lang)} for _, a in table.iterrows()]


def status_line(table: pd.DataFrame, lang: str) -> str:
    """"9 targets: 3 achieved, 4 assessed, 2 not assessable" for the index."""
    n = len(table)
    ach = int((table["status"] == "achieved").sum())
    na = int(table["status"].isin(["not_assessable", "not_assessed"]).sum())
    if lang == "zh":
        return f"{n}项目标：已实现{ach}项，其余可评估{n - ach - na}项，无法评估{na}项"
    return f"{n} targets: {ach} achieved, {n - ach - na} others assessed, {na} not assessable"
