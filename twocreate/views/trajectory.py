"""Display tables and sentences for the reports, in one language, from computed frames.

Functions here only relabel and format numbers (:mod:`twocreate.fmt`); every figure comes
from :mod:`twocreate.indicators` or the plan files. Text cells are data: the notebook shows
them through :class:`twocreate.present.Page`, which escapes them.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import fmt
from ..indicators import CATEGORY_LABELS

BASE_SOURCE = {
    "stated": {"zh": "计划§一所列", "en": "stated in §一 of the plan"},
    "implied": {"zh": "由总目标反推（推算）", "en": "implied by the headline target (derived)"},
    "observed": {"zh": "观测值", "en": "observed"},
    "stated_stock": {"zh": "§一所列就业存量（分母）", "en": "§一 employment stock (divisor)"},
}


def category_label(category: str, lang: str) -> str:
    if category == "no_data":
        return "无数据" if lang == "zh" else "No data"
    return CATEGORY_LABELS[category][lang]


def _v(x, unit, lang):
    return fmt.value_in_unit(x, unit, lang)


def progress_display(plan, progress: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The summary table per indicator: baseline, target, outturn, achievement rate, growth,
    progress category, catch-up rate."""
    zh = lang == "zh"
    rows = []
    for _, r in progress.iterrows():
        unit = r["unit"]
        flow = r["kind"] == "flow"
        if r["category"] == "no_data":
            rows.append({"indicator": plan.indicator_name(r["indicator"], lang), "category": category_label("no_data", lang)})
            continue
        catch = r.get("catch_up_rate")
        if flow:
            catch_s = "—" if pd.isna(catch) else (_v(catch, unit, lang) + ("/年" if zh else " a year"))
            growth = fmt.percent(r["growth_since_base"])
            outturn = f"{_v(r['outturn'], unit, lang)}" + (f"（累计{_v(r['cumulative_outturn'], unit, lang)}）" if zh
                                                           else f" (cumulative {_v(r['cumulative_outturn'], unit, lang)})")
            target = (f"{_v(r['target_value'], unit, lang)}（三年累计）" if zh
                      else f"{_v(r['target_value'], unit, lang)} (three-year total)")
        else:
            catch_s = fmt.percent(catch)
            growth = fmt.percent(r["growth_since_base"])
            target = _v(r["target_value"], unit, lang)
            outturn = _v(r["outturn"], unit, lang)
        rows.append({
            "indicator": plan.indicator_name(r["indicator"], lang),
            "base": f"{_v(r['base_value'], unit, lang)} ({BASE_SOURCE[r['base_source']][lang]})",
            "target": target,
            "headline": fmt.percent(r["headline_growth"], 0),
            "latest_year": int(r["latest_year"]),
            "outturn": outturn,
            "achievement": fmt.percent(r["achievement_rate"]),
            "growth": growth,
            "ratio": fmt.ratio(r["ratio"]),
            "category": category_label(r["category"], lang),
            "catch_up": catch_s,
        })
    df = pd.DataFrame(rows)
    names = {
        "indicator": ("指标", "Indicator"), "base": ("2015年基数", "2015 baseline"),
        "target": ("2018年目标", "2018 target"), "headline": ("总目标增幅", "Headline growth"),
        "latest_year": ("最新年份", "Latest year"), "outturn": ("实际值", "Outturn"),
        "achievement": ("当年完成率", "Achievement of that year's sub-target"),
        "growth": ("较2015年增长", "Growth since 2015"), "ratio": ("进度比R", "Progress ratio R"),
        "category": ("进度评价", "Progress"), "catch_up": ("追赶所需年增速", "Catch-up rate needed"),
    }
    return df.rename(columns={k: v[0 if zh else 1] for k, v in names.items()})


def summary_items(plan, progress: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per indicator for the summary box."""
    out = []
    for _, r in progress.iterrows():
        name = plan.indicator_name(r["indicator"], lang)
        cat = category_label(r["category"], lang)
        if r["category"] == "no_data":
            out.append(f"{name}：{cat}" if lang == "zh" else f"{name}: {cat}")
            continue
        unit, y = r["unit"], int(r["latest_year"])
        if r["kind"] == "flow":
            s = (f"{name}：{cat}。{r['base_year'] + 1}—{y}年累计{_v(r['cumulative_outturn'], unit, lang)}，"
                 f"同期累计目标{_v(r['cumulative_target'], unit, lang)}，三年目标{_v(r['target_value'], unit, lang)}。"
                 if lang == "zh" else
                 f"{name}: {cat}. Cumulative {r['base_year'] + 1}–{y}: {_v(r['cumulative_outturn'], unit, lang)} "
                 f"against {_v(r['cumulative_target'], unit, lang)} planned to date; three-year target "
                 f"{_v(r['target_value'], unit, lang)}.")
        else:
            s = (f"{name}：{cat}。{y}年{_v(r['outturn'], unit, lang)}，较2015年增长{fmt.percent(r['growth_since_base'])}"
                 f"（目标{fmt.percent(r['headline_growth'], 0)}），年均增速{fmt.percent(r['actual_rate'])}，"
                 f"需要{fmt.percent(r['required_rate'])}。"
                 if lang == "zh" else
                 f"{name}: {cat}. {_v(r['outturn'], unit, lang)} in {y}, {fmt.percent(r['growth_since_base'])} above "
                 f"2015 (target {fmt.percent(r['headline_growth'], 0)}); {fmt.percent(r['actual_rate'])} a year against "
                 f"{fmt.percent(r['required_rate'])} required.")
        out.append(s)
    return out


def status_line(plan, progress: pd.DataFrame, lang: str) -> str:
    """One line for the index: each indicator's progress category."""
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    return sep.join(f"{plan.indicator_name(r['indicator'], lang)}{colon}{category_label(r['category'], lang)}"
                    for _, r in progress.iterrows())


def audit_display(plan, audit: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The consistency audit as a table."""
    zh = lang == "zh"
    rows = []
    for _, a in audit.iterrows():
        unit = a["unit"]
        path = ", ".join(fmt.percent(x) for x in a["path_growth"])
        rows.append({
            ("指标" if zh else "Indicator"): plan.indicator_name(a["indicator"], lang),
            ("总目标" if zh else "Headline"): fmt.percent(a["headline_growth"], 0),
            ("2018年细分指标" if zh else "2018 sub-target"): (
                _v(a["final_subtarget"], unit, lang) if a["kind"] == "stock"
                else _v(a["cumulative_subtarget"], unit, lang) + ("（三年合计）" if zh else " (3-year sum)")),
            ("计划所列2015年基数" if zh else "2015 base stated in plan"): (
                "—" if math.isnan(a["stated_baseline"]) else _v(a["stated_baseline"], unit, lang)),
            ("总目标隐含的基数/分母" if zh else "Base (divisor) implied by headline"): (
                fmt.money_10k_yuan(a["implied_baseline"], lang, 4) if unit == "万元"
                else fmt.persons_10k(a["implied_baseline"], lang, 5) if unit == "万人次"
                else _v(a["implied_baseline"], unit, lang)),
            ("按所列基数复算增幅" if zh else "Growth recomputed from stated base"): fmt.percent(a["reproduced_growth"], 2),
            ("细分指标逐年增速" if zh else "Yearly growth of sub-target path"): path,
        })
    return pd.DataFrame(rows)


def departments_display(plan, lang: str) -> pd.DataFrame:
    """Which departments monitor each indicator (§二(三) 数据检测部门)."""
    zh = lang == "zh"
    sep = "、" if zh else "; "
    rows = [{("指标" if zh else "Indicator"): plan.indicator_name(r["code"], lang),
             ("数据监测部门" if zh else "Monitoring departments"): sep.join(plan.department_names(r["departments"], lang)),
             ("计划条款" if zh else "Plan section"): r["section"]}
            for _, r in plan.indicators.iterrows()]
    return pd.DataFrame(rows)


def observations_display(plan, obs: pd.DataFrame, area_code: str, lang: str) -> pd.DataFrame:
    """The outturns used, with their status and source (the data behind the charts)."""
    zh = lang == "zh"
    sel = obs[obs["area_code"] == str(area_code)].sort_values(["indicator", "year"])
    return pd.DataFrame({
        ("指标" if zh else "Indicator"): [plan.indicator_name(c, lang) for c in sel["indicator"]],
        ("年份" if zh else "Year"): sel["year"].astype(int).to_numpy(),
        ("数值" if zh else "Value"): [_v(v, u, lang) for v, u in zip(sel["value"], sel["unit"])],
        ("状态" if zh else "Status"): sel["status"].to_numpy(),
        ("来源" if zh else "Source"): sel["source"].to_numpy(),
    })


def category_records(plan, progress: pd.DataFrame, lang: str) -> list[dict]:
    """Each indicator's progress category for the index (code, name and label in ``lang``)."""
    return [{"code": r["indicator"], "name": plan.indicator_name(r["indicator"], lang), "category": r["category"],
             "label": category_label(r["category"], lang)} for _, r in progress.iterrows()]


CHECK_LABELS = {
    "totals_row": ("合计行", "Totals row"), "default_unit": ("单位缺省", "Unit assumed"),
    "no_status": ("无状态列", "No status column"), "no_source": ("无来源列", "No source column"),
    "unknown_indicator": ("非计划指标", "Not a plan indicator"), "year_outside_plan": ("超出计划年份", "Outside plan years"),
    "year_from_title": ("年份取自标题", "Year from title"), "yoy_change": ("同比异常", "Year-on-year jump"),
    "level_vs_plan": ("与计划水平相差过大", "Far from plan level"), "repeated_value": ("与上年相同", "Same as last year"),
    "additivity": ("区县合计不等于全市", "Districts ≠ city"), "missing_year": ("缺少年份", "Missing year"),
}


def _file_name(source: object) -> str:
    """``/abs/path/o.xlsx [sheet 'a']`` → ``o.xlsx [sheet 'a']`` (no machine paths in reports)."""
    s = "" if source is None or (isinstance(source, float) and pd.isna(source)) else str(source)
    path, sep, rest = s.partition(" [sheet ")
    return path.replace("\\", "/").rsplit("/", 1)[-1] + sep + rest


def checked_file(checks: pd.DataFrame) -> str:
    """The file (and sheet) the checks are about, for a caption."""
    files = [f for f in dict.fromkeys(checks["file"]) if isinstance(f, str) and f]
    return "; ".join(_file_name(f) for f in files)


def data_checks_display(plan, checks: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The intake's notices and the edit-check warnings: level, check, row of the file, indicator, area,
    year, message (in the report's language). The file is named in the caption (:func:`checked_file`)."""
    zh = lang == "zh"
    level = {"warning": ("警告", "warning"), "notice": ("提示", "notice")}

    def area(c):
        try:
            return plan.area_name(str(c), lang) if c is not None and not pd.isna(c) else ""
        except KeyError:
            return str(c)

    def ind(c):
        return plan.indicator_name(c, lang) if isinstance(c, str) and c in plan.indicator_codes else ""

    c = checks.sort_values(["level", "row"], ascending=[False, True], na_position="first", kind="stable")
    return pd.DataFrame({
        ("级别" if zh else "Level"): [level.get(x, (x, x))[0 if zh else 1] for x in c["level"]],
        ("核查" if zh else "Check"): [CHECK_LABELS.get(x, (x, x))[0 if zh else 1] for x in c["check"]],
        ("行" if zh else "Row"): ["" if pd.isna(x) else str(int(x)) for x in c["row"]],
        ("指标" if zh else "Indicator"): [ind(x) for x in c["indicator"]],
        ("地区" if zh else "Area"): [area(x) for x in c["area_code"]],
        ("年份" if zh else "Year"): ["" if pd.isna(x) else str(int(x)) for x in c["year"]],
        ("说明" if zh else "Message"): [m_zh if zh and isinstance(m_zh, str) and m_zh else m
                                         for m, m_zh in zip(c["message"], c["message_zh"])],
    })
