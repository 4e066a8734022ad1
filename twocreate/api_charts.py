"""Charts of the short API (:func:`twocreate.api.chart` picks one): one figure for each kind of result.

Every figure comes from the result; every word from the catalogs (table ``[api]``) or the plan's
names; the illustrative mark on every chart fed by illustrative data.
"""
from __future__ import annotations

import math

import pandas as pd

from . import fmt
from .errors import InputError
from .i18n import t
from .plotting import CATEGORY_COLOURS, PALETTE, mark_illustrative, use_style, year_axis


def _illustrative(frame: pd.DataFrame | None) -> bool:
    return frame is not None and "status" in frame and bool((frame["status"] == "illustrative").any())


def _name(plan, code: str, lang: str) -> str:
    try:
        return plan.measure_name(code, lang)
    except KeyError:
        return str(code)


def _values(axis, unit: str, lang: str) -> None:
    """Tick labels in the house number format of ``unit`` (never matplotlib's ``1e8`` offset)."""
    from matplotlib.ticker import FuncFormatter
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt.quantity(v, str(unit), lang) if v else "0"))


def _grid(n: int):
    import matplotlib.pyplot as plt
    cols = min(n, 2) or 1
    rows = math.ceil(max(n, 1) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.2 * cols, 2.9 * rows), squeeze=False)
    flat = list(axes.ravel())
    for ax in flat[n:]:
        ax.set_visible(False)
    return fig, flat[:n]


def plan_chart(plan, lang: str):
    """Each target's milestones by year (the plan's path), one panel per indicator with milestones."""
    codes = [c for c in plan.indicator_codes if len(plan.subtarget_series(c))]
    if not codes:
        raise InputError(f"plan {plan.id} has no milestones (subtargets.csv is empty): nothing to chart")
    use_style()
    fig, axes = _grid(len(codes))
    for ax, code in zip(axes, codes):
        s = plan.subtarget_series(code).sort_index()
        ax.plot(s.index, s.to_numpy(), marker="o", linestyle="--", color=PALETTE[0], label=t("chart.plan_path", lang))
        year_axis(ax, s.index)
        _values(ax.yaxis, plan.indicator(code)["unit"], lang)
        ax.set_title(t("api.panel", lang, name=_name(plan, code, lang)))
    fig.suptitle(t("api.plan_title", lang, title=plan.text("short_title", lang)))
    return fig


def outturns_chart(plan, obs: pd.DataFrame, lang: str):
    """Each indicator by year: the city in bold, every other area a thin grey line."""
    if obs is None or obs.empty:
        raise InputError("no outturns to chart: the table has no row")
    codes = [c for c in plan.measures["code"] if c in set(obs["indicator"])]
    use_style()
    fig, axes = _grid(len(codes))
    city = plan.city_code
    for ax, code in zip(axes, codes):
        o = obs[obs["indicator"] == code]
        for area, g in o.groupby(o["area_code"].astype(str)):
            g = g.sort_values("year")
            if area == city:
                ax.plot(g["year"], g["value"], marker="o", color=PALETTE[0], linewidth=2.2, zorder=3,
                        label=plan.area_name(city, lang))
            else:
                ax.plot(g["year"], g["value"], color="#aaaaaa", linewidth=0.8)
        year_axis(ax, o["year"].unique())
        unit = o["unit"].iloc[0] if "unit" in o and len(o) else ""
        _values(ax.yaxis, unit, lang)
        ax.set_title(t("api.panel", lang, name=_name(plan, code, lang)))
    fig.suptitle(t("api.outturns_title", lang, n=len(obs), areas=obs["area_code"].nunique()))
    if _illustrative(obs):
        mark_illustrative(fig, lang)
    return fig


def assessment_chart(result, lang: str):
    """One bar per target: the progress ratio before the target year (lines at the thresholds), the
    completion (outturn ÷ target) at or after it; the colour is the verdict."""
    import matplotlib.pyplot as plt
    from .views.common import verdict_label
    plan = result.plan
    tab = result.table[result.table["reading"].isin(["", "stock"])]
    use_style()
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(tab) + 1.6))
    labels, values, colours = [], [], []
    for _, r in tab.iterrows():
        v = r["completion"] if r["final"] else r["ratio"]
        labels.append(f"{_name(plan, r['code'], lang) if plan is not None else r['code']}\n"
                      f"{verdict_label(r['verdict'], lang)}")
        values.append(float(v) if v is not None and not pd.isna(v) else 0.0)
        colours.append(CATEGORY_COLOURS.get(str(r["verdict"]), "#999999"))
    y = list(range(len(tab)))[::-1]
    ax.barh(y, values, color=colours, height=0.6)
    ax.set_yticks(y, labels)
    for yi, v in zip(y, values):
        ax.text(v, yi, f" {v:.2f}", va="center", fontsize=9)
    s = result.settings
    lines = [(1.0, "api.line_target")] if tab["final"].all() else [(s.on_track, "api.line_on_track"),
                                                                    (s.acceleration, "api.line_acceleration")]
    for i, (x, key) in enumerate(lines):
        ax.axvline(x, color="#444444", linestyle="--", linewidth=1)
        ax.text(x, -0.55 - 0.3 * i, " " + t(key, lang, value=f"{x:g}"), fontsize=8, color="#444444", va="top")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(min(0.0, min(values, default=0)) * 1.2, max([1.2] + values) * 1.2)
    ax.set_xlabel(t("api.x_completion" if tab["final"].all() else "api.x_ratio", lang))
    area = plan.area_name(result.area_code, lang) if plan is not None else result.area_code
    ax.set_title(t("api.assessment_title", lang, area=area, year=result.year))
    if _illustrative(result.outturns) or bool(tab["illustrative"].any()):
        mark_illustrative(fig, lang)
    return fig


def comparison_chart(cmp, lang: str, indicator: str | None = None):
    """Each indicator's level by district (a flow: its inflow since the base year), one panel each."""
    import matplotlib.pyplot as plt
    from . import districts as D
    tab = cmp.table if indicator is None else cmp.indicator(indicator)
    if tab.empty:
        raise InputError("the district comparison has no rows: nothing to chart")
    plan = cmp.plan
    codes = list(dict.fromkeys(tab["indicator"]))
    names = D.names(plan, lang)
    use_style()
    fig, axes = _grid(len(codes))
    for ax, code in zip(axes, codes):
        c = tab[tab["indicator"] == code]
        y = list(range(len(c)))[::-1]
        ax.barh(y, c["value"].fillna(0).to_numpy(), color=[PALETTE[i % len(PALETTE)] for i in range(len(c))])
        ax.set_yticks(y, [names.get(a, a) for a in c["area_code"]])
        unit = str(c["unit"].iloc[0])
        for yi, v in zip(y, c["value"]):
            ax.text(0 if pd.isna(v) else v, yi, " " + fmt.quantity(v, unit, lang), va="center", fontsize=8)
        ax.set_xlim(0, max(float(c["value"].max() or 0), 1e-9) * 1.45)
        _values(ax.xaxis, unit, lang)
        ax.xaxis.set_major_locator(plt.MaxNLocator(3))
        ax.grid(axis="y", visible=False)
        key = "api.panel_flow" if c["kind"].iloc[0] == "flow" else "api.panel"
        ax.set_title(t(key, lang, name=_name(plan, code, lang), base=plan.base_year, year=cmp.year))
    fig.suptitle(t("api.comparison_title", lang, year=cmp.year))
    return fig


def fund_chart(model, lang: str):
    """Capital reaching enterprises under both readings of the leverage ratio (the fund report's chart);
    a plan without a scenario: the allocation."""
    from .views import fund_charts as vf
    return vf.readings_chart(model, lang) if model.has_leverage else vf.allocation_chart(model, lang)
