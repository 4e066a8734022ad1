"""The plan's indicator formulas, growth arithmetic, the consistency audit and progress assessment.

Conventions: growth rates are fractions (0.33 for 33%); levels are in the indicator's unit
(万元, 万人次, 项); compound growth is computed on levels, never on growth rates; flows
(new employment, 万人次) are summed, never compounded.

Progress follows the method Eurostat uses in its EU SDG monitoring report (and Statistics
Canada / Open SDG): actual compound annual growth since the base year against the growth
required to reach the target in its year, ratio R = actual / |required| signed by the desired
direction; "achieved" is checked first.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

CATEGORIES = ("achieved", "on_track", "acceleration_needed", "limited_progress", "deterioration")
CATEGORY_LABELS = {
    "achieved": {"zh": "已实现目标", "en": "Target achieved"},
    "on_track": {"zh": "进度正常", "en": "On track"},
    "acceleration_needed": {"zh": "需加快", "en": "Acceleration needed"},
    "limited_progress": {"zh": "进展有限", "en": "Limited progress"},
    "deterioration": {"zh": "倒退", "en": "Deterioration"},
}
ON_TRACK = 0.95
ACCELERATION = 0.60


# --------------------------------------------------------------------------- growth arithmetic
def growth_rate(start: float, end: float) -> float:
    """Growth from ``start`` to ``end`` as a fraction: (end − start) / start (notes 1, 3 and 4)."""
    if start == 0:
        raise ZeroDivisionError("growth from a zero start is undefined")
    return (end - start) / start


def cagr(start: float, end: float, years: float) -> float:
    """Compound annual growth rate from level ``start`` to level ``end`` over ``years`` years.

    ``cagr(8030, 10687, 3)`` ≈ 0.1000 (the plan's revenue path, 亿元).
    """
    if years <= 0:
        raise ValueError("years must be positive")
    if start <= 0 or end < 0:
        raise ValueError("CAGR needs a positive start level and a non-negative end level")
    return (end / start) ** (1.0 / years) - 1.0


def implied_baseline(target_value: float, growth: float) -> float:
    """The base level from which ``growth`` (a fraction: 0.98 for 98%) reaches ``target_value``.

    ``implied_baseline(170000, 0.98)`` = 85,858.6 万元 (technology contracts, 2015).
    """
    if growth <= -1:
        raise ValueError("growth must be greater than -100%")
    return target_value / (1.0 + growth)


def yoy_growth(levels: pd.Series) -> pd.Series:
    """Year-on-year growth (fraction) of a level series indexed by year; NaN where a year is missing."""
    s = levels.sort_index().astype(float)
    full = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1))
    return (full / full.shift(1) - 1.0).reindex(s.index)


def cumulative_flow_growth(flows: list[float] | pd.Series, divisor: float) -> float:
    """Note 2: (new employment 2016 + 2017 + 2018) / divisor, as a fraction."""
    return float(np.sum(flows)) / divisor


# --------------------------------------------------------------------------- rates used in monitoring
def achievement_rate(outturn: float, subtarget: float) -> float:
    """完成率: outturn / that year's sub-target (fraction; 1.0 = exactly met)."""
    return outturn / subtarget


def catch_up_rate(latest_value: float, latest_year: int, target_value: float, target_year: int) -> float:
    """Annual compound growth needed from the latest observed year to reach the target in time.

    NaN when the latest year is the target year or later (no time left to catch up).
    """
    if latest_year >= target_year:
        return float("nan")
    return cagr(latest_value, target_value, target_year - latest_year)


def time_progress(base_value: float, base_year: int, latest_value: float, latest_year: int,
                  target_value: float, target_year: int) -> tuple[float, float]:
    """序时进度: (share of the base→target gap closed, share of the period elapsed)."""
    gap = target_value - base_value
    closed = (latest_value - base_value) / gap if gap != 0 else float("nan")
    elapsed = (latest_year - base_year) / (target_year - base_year)
    return closed, elapsed


@dataclass(frozen=True)
class Progress:
    """The result of a progress assessment; rates are fractions per year."""

    actual_rate: float
    required_rate: float
    ratio: float
    catch_up_rate: float
    category: str

    def as_dict(self) -> dict:
        return asdict(self)


def categorise(ratio: float, achieved: bool) -> str:
    """Category from the ratio R (Eurostat thresholds 0.95 and 0.60); ``achieved`` is checked first."""
    if achieved:
        return "achieved"
    if math.isnan(ratio) or ratio < 0:  # any fall, however small, is a fall (rounding must not make it 0)
        return "deterioration"
    ratio = round(ratio, 9)  # 0.9499999999999988 from float arithmetic counts as 0.95
    if ratio >= ON_TRACK:
        return "on_track"
    if ratio >= ACCELERATION:
        return "acceleration_needed"
    if ratio >= 0:
        return "limited_progress"
    return "deterioration"


def assess_progress(base_value: float, base_year: int, latest_value: float, latest_year: int,
                    target_value: float, target_year: int, higher_is_better: bool = True) -> Progress:
    """Progress of a level (stock) indicator towards its target, Eurostat-style.

    actual = CAGR(base → latest); required = CAGR(base → target); R = actual / |required|,
    negated when lower is better. Achieved (latest at or beyond the target in the desired
    direction) is checked first. If the target equals the base level (required = 0) and is not
    achieved, R is −inf (the indicator moved the wrong way).
    """
    if latest_year <= base_year:
        raise ValueError("the latest year must come after the base year")
    if target_year <= base_year:
        raise ValueError("the target year must come after the base year")
    actual = cagr(base_value, latest_value, latest_year - base_year)
    required = cagr(base_value, target_value, target_year - base_year)
    achieved = latest_value >= target_value if higher_is_better else latest_value <= target_value
    sign = 1.0 if higher_is_better else -1.0
    if required == 0:
        ratio = float("inf") if sign * actual > 0 else (0.0 if actual == 0 else float("-inf"))
    else:
        ratio = sign * actual / abs(required)
    catch = catch_up_rate(latest_value, latest_year, target_value, target_year) if not achieved else float("nan")
    return Progress(actual, required, ratio, catch, categorise(ratio, achieved))


def assess_flow_progress(cumulative_actual: float, cumulative_target_to_date: float,
                         total_target: float, years_elapsed: int, years_total: int) -> Progress:
    """Progress of a flow (new employment, 万人次) on cumulative person-times.

    R = cumulative outturn / cumulative target to date (the plan's yearly sub-targets summed:
    a linear pace, never a compound rate). Achieved when the cumulative outturn reaches the
    total target. ``actual_rate`` and ``required_rate`` are the average yearly flows observed
    and planned to date (万人次 a year); ``catch_up_rate`` is the average yearly flow still
    needed over the remaining years (NaN when none remain or the total is reached).
    """
    if cumulative_target_to_date <= 0:
        raise ValueError("the cumulative target to date must be positive")
    if not 0 < years_elapsed <= years_total:
        raise ValueError("years_elapsed must be between 1 and years_total")
    ratio = cumulative_actual / cumulative_target_to_date
    achieved = cumulative_actual >= total_target
    remaining = years_total - years_elapsed
    catch = (total_target - cumulative_actual) / remaining if remaining > 0 and not achieved else float("nan")
    return Progress(cumulative_actual / years_elapsed, cumulative_target_to_date / years_elapsed,
                    ratio, catch, categorise(ratio, achieved))


# --------------------------------------------------------------------------- plan-consistency audit
def consistency_audit(plan) -> pd.DataFrame:
    """For each indicator: does the final sub-target reproduce the headline percentage?

    Columns: ``indicator``, ``kind``, ``unit``, ``headline_growth`` (fraction),
    ``final_subtarget``, ``stated_baseline`` (NaN where §一 states none),
    ``implied_baseline`` (final sub-target / (1 + headline); for the employment flow the divisor
    Σ sub-targets / headline), ``reproduced_growth`` (from the stated baseline; NaN where none),
    ``gap_pp`` (reproduced − headline, in percentage points as a fraction),
    ``required_cagr`` (for stocks), ``path_growth`` (yearly growth of the sub-target path,
    the first year measured from the stated or implied baseline), and
    ``related_value``/``related_unit`` (the §一 figure linked to the indicator).
    """
    rows = []
    for _, ind in plan.indicators.iterrows():
        code = ind["code"]
        g = float(ind["headline_target_pct"]) / 100.0
        base_year, target_year = int(ind["base_year"]), int(ind["target_year"])
        st = plan.subtarget_series(code)
        final = float(st.loc[target_year])
        rel = plan.related_baseline(code)
        row = {"indicator": code, "kind": ind["kind"], "unit": ind["unit"], "headline_growth": g,
               "final_subtarget": final, "related_value": rel[0] if rel else float("nan"),
               "related_unit": rel[1] if rel else None}
        if ind["kind"] == "stock":
            stated = plan.stated_baseline(code)
            implied = implied_baseline(final, g)
            base = stated if stated is not None else implied
            path = st.copy()
            path.loc[base_year] = base
            path = path.sort_index()
            row.update(stated_baseline=float("nan") if stated is None else stated, implied_baseline=implied,
                       reproduced_growth=float("nan") if stated is None else growth_rate(stated, final),
                       required_cagr=cagr(base, final, target_year - base_year),
                       path_growth=[float(x) for x in yoy_growth(path).dropna().to_numpy()])
        else:
            total = float(st.sum())
            divisor = total / g
            row.update(stated_baseline=float("nan"), implied_baseline=divisor,
                       reproduced_growth=(cumulative_flow_growth(st, _to_flow_unit(rel, ind["unit"]))
                                          if rel else float("nan")),
                       required_cagr=float("nan"), path_growth=[float(x) for x in yoy_growth(st).dropna().to_numpy()],
                       cumulative_subtarget=total)
        row["gap_pp"] = row["reproduced_growth"] - g
        rows.append(row)
    return pd.DataFrame(rows)


def _to_flow_unit(rel: tuple[float, str] | None, unit: str) -> float:
    from . import units
    return units.convert(rel[0], rel[1], unit)


def audit_findings(plan, audit: pd.DataFrame, lang: str = "zh") -> dict[str, str]:
    """Plain-language finding per indicator (quotable sentences), from :func:`consistency_audit`."""
    from . import fmt
    out = {}
    for _, a in audit.iterrows():
        code, unit = a["indicator"], a["unit"]
        name = plan.indicator_name(code, lang)
        def v(x: float) -> str:
            return fmt.value_in_unit(x, unit, lang) if unit != "万元" else fmt.money_10k_yuan(x, lang, 4)
        g = fmt.percent(a["headline_growth"], 0)
        path = "、".join(fmt.percent(x) for x in a["path_growth"]) if lang == "zh" else \
            ", ".join(fmt.percent(x) for x in a["path_growth"])
        if a["kind"] == "stock" and not math.isnan(a["stated_baseline"]):
            ok = abs(a["gap_pp"]) < 0.005
            if lang == "zh":
                s = (f"{name}：2018年细分指标{v(a['final_subtarget'])}比§一所列2015年{v(a['stated_baseline'])}"
                     f"增长{fmt.percent(a['reproduced_growth'])}，"
                     + f"与{g}的总目标{'一致' if ok else '不一致'}"
                     + f"（由总目标反推的2015年基数为{v(a['implied_baseline'])}）。细分指标逐年增长{path}。")
            else:
                s = (f"{name}: the 2018 sub-target of {v(a['final_subtarget'])} is {fmt.percent(a['reproduced_growth'])} "
                     f"above the 2015 level of {v(a['stated_baseline'])} stated in §一, "
                     + ("consistent with" if ok else "not consistent with")
                     + f" the {g} headline (the headline implies a 2015 base of {v(a['implied_baseline'])}). "
                     f"The sub-targets grow {path} a year.")
        elif a["kind"] == "stock":
            first = a["path_growth"][0]
            share_first = ((plan.subtarget(code, plan.base_year + 1) - a["implied_baseline"])
                           / (a["final_subtarget"] - a["implied_baseline"]))
            if lang == "zh":
                s = (f"{name}：行动计划未给出2015年基数。2018年细分指标{v(a['final_subtarget'])}与{g}的增长目标"
                     f"隐含2015年基数约为{v(a['implied_baseline'])}。按此基数，细分指标逐年增长{path}；"
                     f"2016年一年即完成三年增量的{fmt.percent(share_first, 0)}，"
                     f"而{g}的目标只要求年均增长{fmt.percent(a['required_cagr'])}。本报告以该隐含基数评估进度，"
                     f"这是推算，不是计划原文给出的数字。")
            else:
                s = (f"{name}: the plan states no 2015 level. The 2018 sub-target of {v(a['final_subtarget'])} and the "
                     f"{g} growth headline imply a 2015 baseline of about {v(a['implied_baseline'])}. From that base the "
                     f"sub-targets grow {path} a year: 2016 alone delivers {fmt.percent(share_first, 0)} of the three-year "
                     f"increase, while the {g} headline needs only {fmt.percent(a['required_cagr'])} a year. This report "
                     f"assesses progress from the implied base, which is a derivation, not a figure of the plan.")
        else:
            total = v(a["cumulative_subtarget"])
            rel = fmt.value_in_unit(a["related_value"], a["related_unit"], lang) if a["related_unit"] else "—"
            div = fmt.persons_10k(a["implied_baseline"], lang, 5) if unit == "万人次" else v(a["implied_baseline"])
            terms = " + ".join(fmt.number(x, 0 if float(x).is_integer() else 1)
                               for x in plan.subtarget_series(code).to_numpy())
            if lang == "zh":
                s = (f"{name}：备注2以“2015年小微企业新增就业人数”为分母，但2016—2018年细分指标之和为{total}"
                     f"（{terms}），要得到{g}，分母须约为{div}，这正是§一所列2015年小微企业吸纳就业人数"
                     f"（{rel}，存量），而不是2015年一年的新增就业人数（流量）。若按原文以2015年新增就业为分母，"
                     f"该比例将远高于{g}，不再是“增长比例”。计划文本在此自相矛盾；本报告按累计人次对照"
                     f"累计目标（{total}）评估就业指标，不计算复合增长率。")
            else:
                s = (f"{name}: note 2 divides by \"2015年小微企业新增就业人数\" (new small/micro employment in 2015, a "
                     f"one-year flow), yet the 2016–2018 sub-targets add up to {total} ({terms}), which gives the "
                     f"{g} headline only with a divisor of about {div}: the 2015 stock of small/micro employment stated in "
                     f"§一 ({rel}), not a one-year flow. Read as written, with a 2015 flow as divisor, the ratio would be "
                     f"far above {g} and would not be a growth rate. The plan's text is inconsistent here; this report "
                     f"assesses employment on cumulative person-times against the cumulative target ({total}), never "
                     f"with a compound rate.")
        out[code] = s
    return out


# --------------------------------------------------------------------------- progress table
def progress_table(plan, obs: pd.DataFrame, year: int, area_code: str | None = None) -> pd.DataFrame:
    """One row per indicator: baseline, target, outturn, achievement, growth, progress, catch-up.

    ``obs`` is a tidy observations frame (see :mod:`twocreate.observations`); ``year`` is the
    report year (the latest outturn used is the latest at or before it). Stock indicators take
    their base-year level from ``obs`` when given there, else from the plan (stated in §一),
    else the level implied by the headline target; ``base_source`` says which. Employment is
    assessed as a flow (cumulative person-times against the cumulative sub-targets).
    """
    area_code = str(area_code or plan.city_code)
    rows = []
    for _, ind in plan.indicators.iterrows():
        code, unit, kind = ind["code"], ind["unit"], ind["kind"]
        base_year, target_year = int(ind["base_year"]), int(ind["target_year"])
        g = float(ind["headline_target_pct"]) / 100.0
        st = plan.subtarget_series(code)
        target = float(st.loc[target_year]) if kind == "stock" else float(st.sum())
        sel = obs[(obs["indicator"] == code) & (obs["area_code"] == area_code) & (obs["year"] <= year)]
        s = pd.Series(sel["value"].to_numpy(), index=sel["year"].to_numpy()).sort_index()
        statuses = sorted(set(sel["status"]))
        row = {"indicator": code, "kind": kind, "unit": unit, "area_code": area_code, "report_year": year,
               "base_year": base_year, "target_year": target_year, "headline_growth": g, "target_value": target,
               "statuses": ";".join(statuses), "illustrative": "illustrative" in statuses}
        after = s[s.index > base_year]
        if after.empty:
            row.update(category="no_data")
            rows.append(row)
            continue
        latest_year = int(after.index.max())
        latest = float(after.loc[latest_year])
        sub = plan.subtarget(code, latest_year)
        row.update(latest_year=latest_year, outturn=latest, subtarget=sub,
                   achievement_rate=achievement_rate(latest, sub) if sub else float("nan"))
        if kind == "stock":
            if base_year in s.index:
                base, base_source = float(s.loc[base_year]), "observed"
            elif plan.stated_baseline(code) is not None:
                base, base_source = plan.stated_baseline(code), "stated"
            else:
                base, base_source = implied_baseline(target, g), "implied"
            p = assess_progress(base, base_year, latest, latest_year, target, target_year)
            closed, elapsed = time_progress(base, base_year, latest, latest_year, target, target_year)
            row.update(base_value=base, base_source=base_source, growth_since_base=growth_rate(base, latest),
                       gap_closed=closed, time_elapsed=elapsed, **p.as_dict())
        else:
            years = [y for y in st.index if base_year < y <= latest_year]
            missing = [y for y in years if y not in s.index]
            cum = float(s[[y for y in years if y in s.index]].sum())
            cum_target = float(st.loc[years].sum())
            p = assess_flow_progress(cum, cum_target, float(st.sum()), len(years), target_year - base_year)
            rel = plan.related_baseline(code)
            divisor = _to_flow_unit(rel, unit) if rel else float("nan")
            row.update(base_value=divisor, base_source="stated_stock", cumulative_outturn=cum,
                       cumulative_target=cum_target, growth_since_base=cum / divisor,
                       gap_closed=cum / float(st.sum()), time_elapsed=len(years) / (target_year - base_year),
                       missing_years=";".join(map(str, missing)), **p.as_dict())
        rows.append(row)
    return pd.DataFrame(rows)


def outturns_up_to(obs: pd.DataFrame, year: int) -> pd.DataFrame:
    """The outturns a report for ``year`` may use: those of ``year`` and before (a 2016 report never
    shows 2017 figures)."""
    out = obs[obs["year"] <= int(year)]
    out.attrs = dict(obs.attrs)
    return out
