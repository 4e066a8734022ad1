"""Display tables and charts of the district comparison, in one language.

Functions here only relabel, format (:mod:`twocreate.fmt`) and draw; every number comes from
:mod:`twocreate.districts`. Charts use :func:`twocreate.plotting.use_style` and the group colours
``GROUP_COLOURS`` (core blue, radiating orange, other grey, city black); every chart says which
normalisation it uses in its title or axis label.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import districts as D
from .. import fmt
from ..plotting import GROUP_COLOURS, PALETTE, use_style, value_axis, year_axis
from .common import verdict_label


def _zh(lang: str) -> bool:
    return lang == "zh"


def group_label(group: str, lang: str) -> str:
    return D.GROUP_LABELS.get(group, {}).get(lang, group)


def norm_label(how: str, lang: str) -> str:
    return D.NORMALISATION_LABELS[how][lang]


def normalised_value(x: float, unit: str, how: str, lang: str) -> str:
    """A normalised level for people: revenue per 10,000 people reads as 元 per person, etc."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x):
        return "—"
    zh = _zh(lang)
    if how == "none":
        return fmt.value_in_unit(x, unit, lang)
    per = {"population": ("万人", "10,000 people"), "area": ("km²", "km²"),
           "budget_revenue": ("亿元预算收入", "亿元 of budget revenue")}[how]
    if unit == "万元":
        if how == "population":  # 万元 per 万人 = 元 per person
            return f"{fmt.number(x)}元/人" if zh else f"CNY {fmt.number(x)} per person"
        return f"{fmt.number(x, 1 if x < 100 else 0)}万元/{per[0]}" if zh else \
            f"CNY {fmt.number(x * 1e4 / 1e6, 2)} million per {per[1]}"
    if unit == "万人次":
        v = x * 1e4
        d = 1 if 0 < v < 10 else 0
        return f"{fmt.number(v, d)}人次/{per[0]}" if zh else f"{fmt.number(v, d)} person-times per {per[1]}"
    return f"{fmt.number(x, 1 if x < 100 else 0)}{unit}/{per[0]}" if zh else \
        f"{fmt.number(x, 1 if x < 100 else 0)} per {per[1]}"


def _rank(r) -> str:
    return "—" if pd.isna(r) else str(int(r))


# --------------------------------------------------------------------------- tables
def indicator_table(plan, comparison: pd.DataFrame, indicator: str, lang: str) -> pd.DataFrame:
    """One indicator, one row per district: level (cumulative for employment), growth and index
    since the base year, share of the city, contribution to the city's growth, rank, normalised level."""
    zh = _zh(lang)
    c = comparison[comparison["indicator"] == indicator]
    if c.empty:
        return pd.DataFrame()
    nm = D.names(plan, lang)
    unit, kind = c["unit"].iloc[0], c["kind"].iloc[0]
    how = c["normalise"].iloc[0]
    year, by = int(c["year"].iloc[0]), int(c["base_year"].iloc[0])
    flow = kind == "flow"
    rows = []
    for _, r in c.iterrows():
        row = {
            ("区县" if zh else "District"): nm.get(r["area_code"], r["area_code"]),
            ("类别" if zh else "Group"): group_label(r["role"], lang),
            ((f"{by + 1}—{year}年累计" if zh else f"Cumulative {by + 1}–{year}") if flow
             else (f"{year}年" if zh else f"{year}")): fmt.value_in_unit(r["value"], unit, lang),
        }
        if not flow:
            row[f"{by}年" if zh else f"{by}"] = fmt.value_in_unit(r["base_value"], unit, lang)
            row[f"较{by}年增长" if zh else f"Growth since {by}"] = fmt.percent(r["growth"])
            row[f"指数（{by}=100）" if zh else f"Index ({by}=100)"] = fmt.number(r["index"], 1)
            row["对全市增长的贡献" if zh else "Contribution to city growth"] = fmt.points(r["contribution_pp"] / 100, 1, lang)
        row["占全市比重" if zh else "Share of city"] = fmt.percent(r["share"]) if r["in_sum"] else "—"
        row["位次" if zh else "Rank"] = _rank(r["rank"])
        if how != "none":
            row[("标准化值" if zh else "Normalised") + (f"（{D.NORMALISATIONS[how][2]}）" if zh
                                                       else f" ({D.NORMALISATIONS[how][3]})")] = \
                normalised_value(r["normalised"], unit, how, lang)
            row["标准化位次" if zh else "Rank, normalised"] = _rank(r["rank_normalised"])
        rows.append(row)
    return pd.DataFrame(rows)


def group_table(plan, groups: pd.DataFrame, year: int, lang: str, how: str) -> pd.DataFrame:
    """Group aggregates in ``year``: total, share, index (stocks) or cumulative (flows), normalised."""
    zh = _zh(lang)
    g = groups[groups["year"] == int(year)]
    rows = []
    for _, r in g.iterrows():
        unit = plan.indicator(r["indicator"])["unit"]
        flow = r["kind"] == "flow"
        rows.append({
            ("指标" if zh else "Indicator"): plan.indicator_name(r["indicator"], lang),
            ("组别" if zh else "Group"): group_label(r["group"], lang),
            (f"{year}年" if zh else f"{year}"): fmt.value_in_unit(r["value"], unit, lang),
            ("占全市比重" if zh else "Share of city"): fmt.percent(r["share"]),
            ("增长指数（基年=100）/累计" if zh else "Index (base year = 100) / cumulative"): (
                fmt.value_in_unit(r["cumulative"], unit, lang) + ("（累计）" if zh else " cumulative") if flow
                else f"{fmt.number(r['index'], 1)}（{int(r['base_year'])}=100）" if zh
                else f"{fmt.number(r['index'], 1)} ({int(r['base_year'])}=100)"),
            (("标准化值" if zh else "Normalised") + (f"（{D.NORMALISATIONS[how][2]}）" if zh
                                                    else f" ({D.NORMALISATIONS[how][3]})")):
                normalised_value(r["normalised"], unit, how, lang),
        })
    return pd.DataFrame(rows)


def gaps_table(plan, gaps: pd.DataFrame, lang: str, area_code: str | None = None) -> pd.DataFrame:
    """Gap to each district's own targets, with the verdict of :func:`twocreate.assess.assess`."""
    zh = _zh(lang)
    g = gaps if area_code is None else gaps[gaps["area_code"] == str(area_code)]
    nm = D.names(plan, lang)
    rows = []
    for _, r in g.iterrows():
        u = r["unit"]
        flow = r["kind"] == "flow"
        rows.append({
            ("区县" if zh else "District"): nm.get(r["area_code"], r["area_code"]),
            ("指标" if zh else "Indicator"): plan.indicator_name(r["indicator"], lang),
            ("实际值" if zh else "Outturn"): fmt.value_in_unit(r["value"], u, lang) + (
                ("（累计）" if zh else " (cumulative)") if flow else f"（{int(r['latest_year'])}）" if zh
                else f" ({int(r['latest_year'])})"),
            ("目标" if zh else "Target"): fmt.value_in_unit(r["target_value"], u, lang) + (
                ("（三年累计）" if zh else " (three-year total)") if flow else ""),
            ("差距" if zh else "Gap"): fmt.value_in_unit(r["gap"], u, lang) if r["gap"] > 0 else (
                "已达到" if zh else "reached"),
            ("进度比R" if zh else "Ratio R"): fmt.ratio(r["ratio"]),
            ("评价" if zh else "Verdict"): verdict_label(r.get("verdict", r["category"]), lang),
        })
    return pd.DataFrame(rows)


def issues_list(issues: list) -> list[str]:
    """The warnings of :func:`twocreate.districts.check_districts` as sentences."""
    return [i.message for i in issues]


def registry_table(plan, lang: str, context: pd.DataFrame) -> pd.DataFrame:
    """The districts compared: name, code, role, former code, 2015 population and area."""
    zh = _zh(lang)
    reg = D.registry(plan)
    reg = reg[(reg["role"] != "city") & reg["is_current"]]
    rows = []
    for _, r in reg.iterrows():
        c = r["area_code"]
        ctx = context.loc[c] if c in context.index else None
        rows.append({
            ("区县" if zh else "District"): r[f"name_{lang}"],
            ("代码" if zh else "Code"): c,
            ("类别" if zh else "Group"): group_label(r["role"], lang),
            ("原代码（名称）" if zh else "Former code (name)"): "；".join(
                f"{p}（{D.names(plan, lang)[p]}）" if zh else f"{p} ({D.names(plan, lang)[p]})"
                for p in D.registry(plan).query("current_code == @c and area_code != @c")["area_code"]) or "—",
            ("2015年总人口" if zh else "Population 2015"): (fmt.value_in_unit(ctx["population_10k"], "万人", lang)
                                                          if ctx is not None else "—"),
            ("土地面积" if zh else "Land area"): (f"{fmt.number(ctx['area_km2'])} km²" if ctx is not None else "—"),
            ("2015年一般公共预算收入" if zh else "Budget revenue 2015"): (
                fmt.money_10k_yuan(ctx["budget_revenue_10k_yuan"], lang) if ctx is not None else "—"),
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- charts
def _stock_indicators(plan, indicators):
    return [c for c in indicators if plan.indicator(c)["kind"] == "stock"]


def small_multiples(plan, obs: pd.DataFrame, year: int, indicators: list[str], lang: str):
    """One panel per district: the index (base year = 100) of each stock indicator, with the city's
    index dashed for reference. Not normalised (an index needs none). Employment (a flow) is not
    indexed: see :func:`employment_chart`."""
    import matplotlib.pyplot as plt
    use_style()
    zh = _zh(lang)
    stocks = _stock_indicators(plan, indicators)
    tables = {c: D.index_table(obs, plan, c, year) for c in stocks}
    codes = [c for c in D.district_codes(plan) if any(c in t.index for t in tables.values())]
    ncols = 4
    nrows = max(1, math.ceil(len(codes) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(11, 2.5 * nrows + 0.6), squeeze=False, sharey=True)
    nm = D.names(plan, lang)
    roles = D.role_of(plan)
    years = sorted({y for t in tables.values() for y in t.columns})
    for k, code in enumerate(codes):
        ax = axes[k // ncols][k % ncols]
        for j, ind in enumerate(stocks):
            t = tables[ind]
            colour = PALETTE[j % len(PALETTE)]
            if plan.city_code in t.index:
                cs = t.loc[plan.city_code].dropna()
                ax.plot(cs.index, cs.to_numpy(), color=colour, linestyle=":", linewidth=1, alpha=0.8)
            if code in t.index:
                s = t.loc[code].dropna()
                ax.plot(s.index, s.to_numpy(), color=colour, marker="o", markersize=3, linewidth=1.8,
                        label=plan.indicator_name(ind, lang))
        ax.axhline(100, color="#999999", linewidth=0.6)
        ax.set_title(nm.get(code, code), color=GROUP_COLOURS.get(roles.get(code), "#1a1a1a"), fontsize=10)
        year_axis(ax, years)
    for j in range(len(codes), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    handles, labels = axes[0][0].get_legend_handles_labels()
    bases = sorted({int(t.attrs.get("base_year")) for t in tables.values()})
    fig.legend(handles, labels, loc="outside lower center", ncols=len(stocks))
    fig.suptitle(("各区县增长指数（基年=100，点线为全市；标题颜色：蓝=核心区，橙=辐射县，灰=其他）；未标准化"
                  if zh else "Growth index by district (base year = 100; dotted: city; title colour: blue core, "
                  "orange radiating, grey other); not normalised"), fontsize=10)
    fig.supylabel(("指数，基年" if zh else "Index, base year ") + "/".join(map(str, bases)) + "=100", fontsize=9)
    return fig


def heatmap(matrix: pd.DataFrame, lang: str, city: pd.Series | None = None, base_years: dict[str, int] | None = None):
    """District × indicator heatmap of the growth index (base = 100), annotated with the index.

    Colour: the index minus the city's index for the same indicator (index points above or below
    the city; indicators grow at different paces, so each column is compared with its own city
    figure). Not normalised (an index needs none)."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    use_style()
    zh = _zh(lang)
    m = matrix.copy()
    diff = m - city.reindex(m.columns).to_numpy() if city is not None else m - float(np.nanmedian(m.to_numpy()))
    cols = [f"{c}\n（{base_years.get(c)}=100）" if zh else f"{c}\n({base_years.get(c)}=100)" for c in m.columns] \
        if base_years else list(m.columns)
    cols = ["\n".join(_wrap(c, 12 if zh else 26)) for c in cols]
    fig, ax = plt.subplots(figsize=(7.8, 0.42 * len(m) + 1.9))
    lim = float(np.nanmax(np.abs(diff.to_numpy()))) if diff.size else 1.0
    sns.heatmap(pd.DataFrame(diff.to_numpy(), index=m.index, columns=cols), annot=m.to_numpy(), fmt=".1f",
                cmap="BrBG", center=0, vmin=-lim, vmax=lim, linewidths=0.5, linecolor="white",
                cbar_kws={"label": "较全市指数高出（点）" if zh else "Index points above the city"}, ax=ax)
    ax.set_ylabel("")
    ax.set_xlabel("")
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    ax.grid(False)
    ax.set_title("增长指数（数字）；颜色：与全市同一指标指数之差；未标准化" if zh else
                 "Growth index (numbers); colour: difference from the city's index; not normalised", fontsize=10)
    return fig


def _wrap(text: str, width: int) -> list[str]:
    import textwrap
    out = []
    for line in str(text).split("\n"):
        out.extend(textwrap.wrap(line, width) if " " in line else
                   [line[i:i + width] for i in range(0, len(line), width)] or [""])
    return out


def group_chart(plan, groups: pd.DataFrame, city_index: dict[str, pd.Series], lang: str, how: str):
    """Core vs radiating vs other: stock indicators as index lines by group (with the city);
    employment as cumulative person-times normalised by ``how`` (bars by group and year)."""
    import matplotlib.pyplot as plt
    use_style()
    zh = _zh(lang)
    inds = list(dict.fromkeys(groups["indicator"]))
    n = len(inds)
    ncols = 2 if n > 1 else 1
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(10, 3.3 * nrows), squeeze=False)
    for k, ind in enumerate(inds):
        ax = axes[k // ncols][k % ncols]
        g = groups[groups["indicator"] == ind]
        unit = plan.indicator(ind)["unit"]
        kind = g["kind"].iloc[0]
        gnames = list(dict.fromkeys(g["group"]))
        if kind == "flow":
            yrs = sorted(y for y in g["year"].unique() if y > plan.base_year)
            w = 0.8 / max(1, len(gnames))
            for j, grp in enumerate(gnames):
                s = g[(g["group"] == grp) & g["year"].isin(yrs)].set_index("year")["normalised"]
                ax.bar(np.array(yrs) + (j - (len(gnames) - 1) / 2) * w, s.reindex(yrs).to_numpy(), width=w,
                       color=GROUP_COLOURS.get(grp, PALETTE[j]), label=group_label(grp, lang))
            year_axis(ax, yrs)
            value_axis(ax, lambda v, u=unit: normalised_value(v, u, how, lang).replace("person-times ", ""))
            ax.set_title(f"{plan.indicator_name(ind, lang)}\n" + (f"累计人次，{norm_label(how, lang)}" if zh else
                         f"cumulative person-times, {norm_label(how, lang)}"), fontsize=10)
        else:
            by = int(g["base_year"].iloc[0])
            for j, grp in enumerate(gnames):
                s = g[g["group"] == grp].set_index("year")["index"].dropna()
                ax.plot(s.index, s.to_numpy(), marker="o", linewidth=2, color=GROUP_COLOURS.get(grp, PALETTE[j]),
                        label=group_label(grp, lang))
            cs = city_index.get(ind)
            if cs is not None:
                cs = cs.dropna()
                ax.plot(cs.index, cs.to_numpy(), color=GROUP_COLOURS["city"], linestyle="--", linewidth=1.2,
                        label=group_label("city", lang))
            year_axis(ax, sorted(g["year"].unique()))
            ax.set_title(f"{plan.indicator_name(ind, lang)}\n" + (f"增长指数（{by}=100），未标准化" if zh else
                         f"growth index ({by}=100), not normalised"), fontsize=10)
        ax.legend(loc="upper left", fontsize=8)
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    return fig


def ranking_chart(plan, comparison: pd.DataFrame, indicator: str, lang: str, normalised: bool = True,
                  highlight: str | None = None):
    """Horizontal bars of one indicator by district (normalised or total), coloured by group; for
    employment the cumulative person-times. ``highlight`` outlines one district (profiles)."""
    import matplotlib.pyplot as plt
    use_style()
    zh = _zh(lang)
    c = comparison[comparison["indicator"] == indicator]
    how = c["normalise"].iloc[0] if normalised else "none"
    col = "normalised" if normalised and how != "none" else "value"
    c = c.sort_values(col, ascending=True, na_position="first")
    nm = D.names(plan, lang)
    unit, kind = c["unit"].iloc[0], c["kind"].iloc[0]
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(c) + 1.3))
    vals = c[col].to_numpy(dtype=float)
    colours = [GROUP_COLOURS.get(r, "#999999") for r in c["role"]]
    bars = ax.barh([nm.get(a, a) for a in c["area_code"]], np.nan_to_num(vals), color=colours)
    if highlight is not None:
        for b, a in zip(bars, c["area_code"]):
            if a == str(highlight):
                b.set_edgecolor("#000000")
                b.set_linewidth(2)
    for b, v, a in zip(bars, vals, c["area_code"]):
        txt = ("无2015年年鉴数据" if lang == "zh" else "no 2015 yearbook row") if np.isnan(v) else (normalised_value(v, unit, how, lang) if col == "normalised"
                                       else fmt.value_in_unit(v, unit, lang))
        ax.text(b.get_width(), b.get_y() + b.get_height() / 2, " " + txt, va="center", fontsize=8)
    ax.grid(axis="y", visible=False)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.margins(x=0.35)
    year = int(c["year"].iloc[0])
    what = plan.indicator_name(indicator, lang)
    period = (f"{plan.base_year + 1}—{year}年累计" if zh else f"cumulative {plan.base_year + 1}–{year}") if kind == "flow" \
        else (f"{year}年" if zh else f"{year}")
    ax.set_title(f"{what}，{period}；{norm_label(how, lang)}" if zh else f"{what}, {period}; {norm_label(how, lang)}",
                 fontsize=10)
    from matplotlib.patches import Patch
    ax.legend(handles=[Patch(color=GROUP_COLOURS[g], label=group_label(g, lang)) for g in ("core", "radiating", "other")],
              loc="lower right", fontsize=8)
    return fig


def profile_chart(plan, obs: pd.DataFrame, area_code: str, year: int, indicators: list[str], lang: str):
    """One district against its group and the city: stock indicators as growth index lines, new
    employment as the district's yearly person-times (bars). Not normalised."""
    import matplotlib.pyplot as plt
    use_style()
    zh = _zh(lang)
    area_code = str(area_code)
    role = D.role_of(plan).get(area_code, "other")
    nm = D.names(plan, lang)
    groups = D.group_aggregates(obs, plan, year, indicators, normalise_by="none",
                                context=D.load_context(plan=plan))
    fig, axes = plt.subplots(1, len(indicators), figsize=(3.0 * len(indicators) + 0.5, 3.2), squeeze=False)
    for k, ind in enumerate(indicators):
        ax = axes[0][k]
        unit = plan.indicator(ind)["unit"]
        if plan.indicator(ind)["kind"] == "flow":
            lv = D.levels(obs, plan, ind, year)
            if area_code in lv.index:
                s = lv.loc[area_code].dropna()
                s = s[s.index > plan.base_year]
                ax.bar(s.index, s.to_numpy(), color=GROUP_COLOURS.get(role, PALETTE[0]), width=0.6)
                year_axis(ax, s.index)
            value_axis(ax, lambda v: fmt.persons_10k(v, lang, 2).replace(" person-times", ""))
            ax.set_title("\n".join(_wrap(plan.indicator_name(ind, lang), 14 if zh else 30))
                         + ("\n每年人次" if zh else "\nyearly person-times"), fontsize=9)
            continue
        t = D.index_table(obs, plan, ind, year)
        by = t.attrs["base_year"]
        if area_code in t.index:
            s = t.loc[area_code].dropna()
            ax.plot(s.index, s.to_numpy(), marker="o", linewidth=2.2, color=GROUP_COLOURS.get(role, PALETTE[0]),
                    label=nm.get(area_code, area_code))
        g = groups[(groups["indicator"] == ind) & (groups["group"] == role)].set_index("year")["index"].dropna()
        if not g.empty:
            ax.plot(g.index, g.to_numpy(), linestyle=":", color=GROUP_COLOURS.get(role, "#999999"), linewidth=1.4,
                    label=group_label(role, lang))
        if plan.city_code in t.index:
            cs = t.loc[plan.city_code].dropna()
            ax.plot(cs.index, cs.to_numpy(), linestyle="--", color="#000000", linewidth=1.1,
                    label=group_label("city", lang))
        year_axis(ax, t.columns)
        ax.set_title("\n".join(_wrap(plan.indicator_name(ind, lang), 14 if zh else 30))
                     + (f"\n指数（{by}=100）" if zh else f"\nindex ({by}=100)"), fontsize=9)
        if k == 0:
            ax.legend(loc="upper left", fontsize=7)
    fig.suptitle(("增长指数与每年就业人次；未标准化" if zh else "Growth index and yearly person-times; not normalised"),
                 fontsize=10)
    return fig


# --------------------------------------------------------------------------- sentences
def summary_items(plan, comparison: pd.DataFrame, groups: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per indicator: which district drove the city's change, core vs radiating."""
    zh = _zh(lang)
    nm = D.names(plan, lang)
    out = []
    for ind in dict.fromkeys(comparison["indicator"]):
        c = comparison[(comparison["indicator"] == ind) & comparison["in_sum"]]
        unit, year, by = c["unit"].iloc[0], int(c["year"].iloc[0]), int(c["base_year"].iloc[0])
        name = plan.indicator_name(ind, lang)
        g = groups[(groups["indicator"] == ind) & (groups["year"] == year)].set_index("group")
        how = c["normalise"].iloc[0]
        if c["kind"].iloc[0] == "flow":
            top = c.loc[c["value"].idxmax()]
            cn = c.dropna(subset=["normalised"])
            s = (f"{name}：{by + 1}—{year}年累计最多的是{nm[top['area_code']]}（{fmt.value_in_unit(top['value'], unit, lang)}）"
                 if zh else f"{name}: the largest cumulative {by + 1}–{year} figure is {nm[top['area_code']]} "
                 f"({fmt.value_in_unit(top['value'], unit, lang)})")
            if how != "none" and not cn.empty:
                topn = cn.loc[cn["normalised"].idxmax()]
                s += (f"；{D.NORMALISATIONS[how][2]}最多的是{nm[topn['area_code']]}"
                      f"（{normalised_value(topn['normalised'], unit, how, lang)}）。" if zh else
                      f"; {D.NORMALISATIONS[how][3]}, {nm[topn['area_code']]} leads "
                      f"({normalised_value(topn['normalised'], unit, how, lang)}).")
            else:
                s += "。" if zh else "."
        else:
            total = c["contribution_pp"].sum(min_count=1)
            if pd.isna(total):
                s = (f"{name}：部分区县缺少数据，无法分解全市增长。" if zh else
                     f"{name}: some districts lack figures; the city's growth cannot be decomposed.")
            else:
                top = c.loc[c["contribution_pp"].idxmax()]
                s = (f"{name}：{by}—{year}年各区县合计增长{fmt.percent(total / 100)}，贡献最大的是{nm[top['area_code']]}"
                     f"（{fmt.points(top['contribution_pp'] / 100, 1, lang)}）" if zh else
                     f"{name}: the districts together grew {fmt.percent(total / 100)} from {by} to {year}; "
                     f"{nm[top['area_code']]} contributed most ({fmt.points(top['contribution_pp'] / 100, 1, lang)})")
            if {"core", "radiating"} <= set(g.index):
                s += (f"；核心示范区指数{fmt.number(g.loc['core', 'index'], 1)}，辐射带动县"
                      f"{fmt.number(g.loc['radiating', 'index'], 1)}（{by}=100）。" if zh else
                      f"; index {fmt.number(g.loc['core', 'index'], 1)} for the core areas against "
                      f"{fmt.number(g.loc['radiating', 'index'], 1)} for the radiating counties ({by}=100).")
            else:
                s += "。" if zh else "."
        out.append(s)
    return out


def status_line(plan, groups: pd.DataFrame, year: int, lang: str) -> str:
    """One line for the index: core vs radiating index per stock indicator."""
    zh = _zh(lang)
    parts = []
    for ind in dict.fromkeys(groups["indicator"]):
        g = groups[(groups["indicator"] == ind) & (groups["year"] == int(year))].set_index("group")
        if g.empty or g["kind"].iloc[0] == "flow" or not {"core", "radiating"} <= set(g.index):
            continue
        parts.append(f"{plan.indicator_name(ind, lang)} {fmt.number(g.loc['core', 'index'], 0)}/"
                     f"{fmt.number(g.loc['radiating', 'index'], 0)}")
    head = "核心区/辐射县指数：" if zh else "Index core/radiating: "
    return head + ("；" if zh else "; ").join(parts) if parts else ""


def heatmap_chart(plan, obs: pd.DataFrame, comparison: pd.DataFrame, year: int, lang: str):
    """:func:`heatmap` of :func:`twocreate.districts.index_matrix`, coloured against the city index."""
    m = D.index_matrix(comparison, plan, lang)
    city, bases = {}, {}
    for ind in dict.fromkeys(comparison.loc[comparison["kind"] == "stock", "indicator"]):
        t = D.index_table(obs, plan, ind, year)
        name = plan.indicator_name(ind, lang)
        city[name] = t.loc[plan.city_code].get(int(year), np.nan) if plan.city_code in t.index else np.nan
        bases[name] = int(t.attrs["base_year"])
    return heatmap(m, lang, pd.Series(city), bases)


def city_index(plan, obs: pd.DataFrame, year: int, indicators: list[str]) -> dict[str, pd.Series]:
    """The city's index series per stock indicator (for :func:`group_chart`)."""
    return {i: D.index_table(obs, plan, i, year).loc[plan.city_code] for i in indicators
            if plan.indicator(i)["kind"] == "stock"}


def profile_display(plan, rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One district, one row per indicator (rows of :func:`twocreate.districts.profile_table`)."""
    zh = _zh(lang)
    out = []
    for _, r in rows.iterrows():
        unit, flow = r["unit"], r["kind"] == "flow"
        year, by = int(r["year"]), int(r["base_year"])
        how = r["normalise"]
        out.append({
            ("指标" if zh else "Indicator"): plan.indicator_name(r["indicator"], lang),
            ("水平" if zh else "Level"): fmt.value_in_unit(r["value"], unit, lang) + (
                (f"（{by + 1}—{year}年累计）" if zh else f" (cumulative {by + 1}–{year})") if flow
                else (f"（{year}年）" if zh else f" ({year})")),
            ("增长（指数）" if zh else "Growth (index)"): "—" if flow else (
                f"{fmt.percent(r['growth'])}（{by}=100：{fmt.number(r['index'], 1)}）" if zh
                else f"{fmt.percent(r['growth'])} ({by}=100: {fmt.number(r['index'], 1)})"),
            ("占全市比重" if zh else "Share of city"): fmt.percent(r["share"]) if r["in_sum"] else "—",
            ("对全市增长的贡献" if zh else "Contribution to city growth"): "—" if flow else
                fmt.points(r["contribution_pp"] / 100, 1, lang),
            ("位次" if zh else "Rank"): _rank(r["rank"]),
            ("标准化值" if zh else "Normalised"): normalised_value(r["normalised"], unit, how, lang)
                if how != "none" else "—",
            ("标准化位次" if zh else "Rank, normalised"): _rank(r["rank_normalised"]),
        })
    return pd.DataFrame(out)


def profile_status(plan, rows: pd.DataFrame, lang: str) -> str:
    """One line for the index: the district's rank per indicator."""
    zh = _zh(lang)
    parts = [(f"{plan.indicator_name(r['indicator'], lang)}第{_rank(r['rank'])}位" if zh else
              f"{plan.indicator_name(r['indicator'], lang)} #{_rank(r['rank'])}") for _, r in rows.iterrows()]
    return ("；" if zh else "; ").join(parts)


def role_names(plan, role: str, lang: str = "zh") -> str:
    """The areas the plan's text names in ``role`` (``core``, ``radiating``), as the text names them
    (rows whose Chinese name appears in their own quoted wording; all rows of the role if none does),
    joined for ``lang``: "济南高新区、市中区、历下区" / "济南高新区, 市中区 and 历下区"."""
    a = plan.areas[plan.areas["role"] == role]
    named = [str(r["name_zh"]) for _, r in a.iterrows() if r["wording_zh"] and str(r["name_zh"]) in str(r["wording_zh"])]
    names = named or [str(n) for n in a["name_zh"]]
    if lang == "zh" or len(names) < 2:
        return "、".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def zone_name(plan, lang: str = "zh") -> str:
    """Name of the plan's functional zone (the High-tech Zone), or "" if it has none."""
    from ..districts import zone_codes
    codes = zone_codes(plan)
    return plan.area_name(codes[0], lang) if codes else ""
