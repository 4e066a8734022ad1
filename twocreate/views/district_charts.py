"""Charts of the district reports (comparison and profiles), in one language: each returns its figure and a
short text alternative (key values; the detail is in the tables of :mod:`twocreate.views.districts`).
Every number comes from :mod:`twocreate.districts`; words from the catalogs (``[districts]``).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import districts as D
from .. import fmt
from ..i18n import t
from ..plotting import GROUP_COLOURS, GROUP_TEXT_COLOURS, PALETTE, use_style, value_axis, year_axis
from .districts import _cut, _join, _span, _unit_en, norm_label, normalised_column, role_cell, role_label


# --------------------------------------------------------------------------- charts
FONT_MIN = 8  # points: 11 px at the report's 976 px text column (charts are at most 9.7 in wide at 100 dpi)


MARK_ROOM_IN = 0.2  # inches kept free at a chart's foot for the illustrative mark's corner label


def _room_for_mark(fig) -> None:
    """Keep a strip at the foot of the figure free, so that the illustrative mark's corner label
    (:func:`twocreate.plotting.mark_illustrative`, bottom right) meets no tick label or legend."""
    h = fig.get_figheight()
    fig.get_layout_engine().set(rect=(0, MARK_ROOM_IN / h, 1, 1 - MARK_ROOM_IN / h))


def _stock_indicators(plan, indicators):
    return [c for c in indicators if plan.indicator(c)["kind"] == "stock"]


def _wrap(text: str, width: int) -> list[str]:
    import textwrap
    out = []
    for line in str(text).split("\n"):
        out.extend(textwrap.wrap(line, width) if " " in line else
                   [line[i:i + width] for i in range(0, len(line), width)] or [""])
    return out


def _wrap_words(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken at spaces (English) or after a clause mark (Chinese)."""
    import textwrap
    if " " in text:
        return textwrap.wrap(text, width)
    return [text[i:i + width // 2] for i in range(0, len(text), width // 2)]


def _bases(indices: D.Indices) -> str:
    return "/".join(str(y) for y in sorted(set(indices.base_years.values())))


def small_multiples(plan, indices: D.Indices, year: int, lang: str):
    """One panel per district: the index (base year = 100) of each stock indicator, with the city's
    index dotted for reference; panel titles in the group's text colour. Not normalised (an index
    needs none). Returns ``(figure, alt)``."""
    import matplotlib.pyplot as plt
    use_style()
    stocks = list(indices)
    codes = [c for c in D.district_codes(plan) if any(c in x.index for x in indices.values())]
    ncols = 4
    nrows = max(1, math.ceil(len(codes) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(9.6, 2.3 * nrows + 0.9), squeeze=False, sharey=True)
    _room_for_mark(fig)
    nm = D.names(plan, lang)
    role = D.role_of(plan)
    years = sorted({y for x in indices.values() for y in x.columns})
    for k, code in enumerate(codes):
        ax = axes[k // ncols][k % ncols]
        for j, ind in enumerate(stocks):
            x = indices[ind]
            colour = PALETTE[j % len(PALETTE)]
            if plan.city_code in x.index:
                cs = x.loc[plan.city_code].dropna()
                ax.plot(cs.index, cs.to_numpy(), color=colour, linestyle=":", linewidth=1, alpha=0.8)
            if code in x.index:
                s = x.loc[code].dropna()
                ax.plot(s.index, s.to_numpy(), color=colour, marker="o", markersize=3, linewidth=1.8,
                        label=plan.indicator_name(ind, lang))
        ax.axhline(100, color="#999999", linewidth=0.6)
        ax.set_title(nm.get(code, code), color=GROUP_TEXT_COLOURS.get(role.get(code), "#1a1a1a"), fontsize=10)
        year_axis(ax, years)
        ax.tick_params(labelsize=FONT_MIN + 1)
    handles, labels = axes[0][0].get_legend_handles_labels()
    spare = [axes[j // ncols][j % ncols] for j in range(len(codes), nrows * ncols)]
    for ax in spare:
        ax.set_visible(False)
    if spare:  # the legend in the first empty panel
        spare[0].set_visible(True)
        spare[0].axis("off")
        spare[0].legend(handles, ["\n".join(_wrap_words(x, 28)) for x in labels], loc="center", fontsize=FONT_MIN + 1)
    else:
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(stocks), 2), fontsize=FONT_MIN + 1)
    colours = _join([t("districts.colour_of", lang, colour=t(f"districts.colour_{g}", lang), label=role_label(plan, g, lang))
                      for g in D.roles(plan)], lang)
    fig.suptitle("\n".join(_wrap_words(t("districts.small_multiples_title", lang, colours=colours), 120)), fontsize=10)
    fig.supylabel(t("districts.index_axis", lang, year=_bases(indices)), fontsize=FONT_MIN + 1)
    return fig, small_multiples_alt(plan, indices, year, lang)


def small_multiples_alt(plan, indices: D.Indices, year: int, lang: str) -> str:
    """Key values only: per stock indicator, the highest and lowest district index in ``year``."""
    nm = D.names(plan, lang)
    parts = []
    for ind, x in indices.items():
        d = x.drop(index=plan.city_code, errors="ignore")
        if year not in d.columns or d[year].dropna().empty:
            continue
        col = d[year].dropna()
        hi, lo = col.idxmax(), col.idxmin()
        parts.append(t("districts.alt_range", lang, name=plan.indicator_name(ind, lang), high=nm.get(hi, hi),
                       high_value=fmt.number(col[hi], 1), low=nm.get(lo, lo), low_value=fmt.number(col[lo], 1)))
    return _cut(t("districts.alt_small_multiples", lang, year=year, n=len(indices),
                  parts=t("punct.clause_sep", lang).join(parts)))


def heatmap_chart(plan, comparison: pd.DataFrame, indices: D.Indices, year: int, lang: str):
    """District × stock indicator heatmap of the growth index (base = 100), annotated with the index,
    coloured by the index minus the city's index for the same indicator (each column against its own
    city figure). Not normalised. Returns ``(figure, alt)``."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    use_style()
    m = D.index_matrix(comparison, plan, lang)
    city, bases = {}, {}
    for ind in indices:
        x = indices[ind]
        name = plan.indicator_name(ind, lang)
        city[name] = x.loc[plan.city_code].get(int(year), np.nan) if plan.city_code in x.index else np.nan
        bases[name] = indices.base_years[ind]
    city_s = pd.Series(city)
    diff = m - city_s.reindex(m.columns).to_numpy()
    cols = ["\n".join(_wrap(t("districts.heatmap_column", lang, name=c, year=bases.get(c)), 12 if lang == "zh" else 24))
            for c in m.columns]
    fig, ax = plt.subplots(figsize=(7.8, 0.42 * len(m) + 2.0))
    _room_for_mark(fig)
    lim = float(np.nanmax(np.abs(diff.to_numpy()))) if diff.size else 1.0
    sns.heatmap(pd.DataFrame(diff.to_numpy(), index=m.index, columns=cols), annot=m.to_numpy(), fmt=".1f",
                cmap="BrBG", center=0, vmin=-lim, vmax=lim, linewidths=0.5, linecolor="white",
                annot_kws={"fontsize": FONT_MIN + 1},
                cbar_kws={"label": t("districts.heatmap_colourbar", lang)}, ax=ax)
    ax.set_ylabel("")
    ax.set_xlabel("")
    ax.tick_params(axis="x", rotation=0, labelsize=FONT_MIN + 1)
    ax.tick_params(axis="y", rotation=0, labelsize=FONT_MIN + 1)
    ax.grid(False)
    ax.set_title(t("districts.heatmap_title", lang), fontsize=10)
    parts = []
    for c in m.columns:
        col = m[c].dropna()
        if col.empty:
            continue
        hi, lo = col.idxmax(), col.idxmin()
        parts.append(t("districts.alt_range", lang, name=c, high=hi, high_value=fmt.number(col[hi], 1), low=lo,
                       low_value=fmt.number(col[lo], 1)))
    alt = _cut(t("districts.alt_heatmap", lang, year=year, parts=t("punct.clause_sep", lang).join(parts)))
    return fig, alt


def group_chart(plan, groups: pd.DataFrame, indices: D.Indices, lang: str, how: str):
    """The groups of areas: stock indicators as index lines by group (with the city, dashed); flow
    indicators as yearly bars of the cumulative inflow, normalised by ``how``. Returns ``(figure, alt)``."""
    import matplotlib.pyplot as plt
    use_style()
    inds = list(dict.fromkeys(groups["indicator"]))
    n = len(inds)
    ncols = 2 if n > 1 else 1
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(9.6, 3.9 * nrows), squeeze=False)
    _room_for_mark(fig)
    parts = []
    last = int(groups["year"].max())
    for k, ind in enumerate(inds):
        ax = axes[k // ncols][k % ncols]
        g = groups[groups["indicator"] == ind]
        kind = g["kind"].iloc[0]
        gnames = list(dict.fromkeys(g["group"]))
        name = plan.indicator_name(ind, lang)
        if kind == "flow":
            yrs = sorted(y for y in g["year"].unique() if y > plan.base_year)
            w = 0.8 / max(1, len(gnames))
            for j, grp in enumerate(gnames):
                s = g[(g["group"] == grp) & g["year"].isin(yrs)].set_index("year")["normalised"]
                ax.bar(np.array(yrs) + (j - (len(gnames) - 1) / 2) * w, s.reindex(yrs).to_numpy(), width=w,
                       color=GROUP_COLOURS.get(grp, PALETTE[j]), label=role_cell(plan, grp, lang))
            year_axis(ax, yrs)
            value_axis(ax, lambda v, i=ind: normalised_column(plan, [v], i, how, lang)[0] if how != "none" else
                       fmt.quantity(v, str(plan.indicator(i)["unit"]), lang, _unit_en(plan, i)))
            ax.set_title("\n".join([name, t("districts.group_flow_subtitle", lang, by=norm_label(plan, how, lang))]),
                         fontsize=10)
            end = g[g["year"] == last].set_index("group")["normalised"]
            vals = normalised_column(plan, list(end), ind, how, lang) if how != "none" else \
                fmt.column(list(end), str(plan.indicator(ind)["unit"]), lang, _unit_en(plan, ind))
            parts.append(t("districts.alt_group_flow", lang, name=name, year=last, values=_join(
                [f"{role_label(plan, grp, lang)} {v}" for grp, v in zip(end.index, vals)], lang)))
        else:
            by = int(g["base_year"].iloc[0])
            for j, grp in enumerate(gnames):
                s = g[g["group"] == grp].set_index("year")["index"].dropna()
                ax.plot(s.index, s.to_numpy(), marker="o", linewidth=2, color=GROUP_COLOURS.get(grp, PALETTE[j]),
                        label=role_cell(plan, grp, lang))
            cs = indices[ind].loc[plan.city_code].dropna() if ind in indices and plan.city_code in indices[ind].index \
                else None
            if cs is not None:
                ax.plot(cs.index, cs.to_numpy(), color=GROUP_COLOURS["city"], linestyle="--", linewidth=1.2,
                        label=role_cell(plan, "city", lang))
            year_axis(ax, sorted(g["year"].unique()))
            ax.set_title("\n".join([name, t("districts.group_stock_subtitle", lang, year=by)]), fontsize=10)
            end = g[g["year"] == last].set_index("group")["index"]
            parts.append(t("districts.alt_group_stock", lang, name=name, year=last, base=by, values=_join(
                [f"{role_label(plan, grp, lang)} {fmt.number(v, 1)}" for grp, v in end.items()], lang)))
        ax.tick_params(labelsize=FONT_MIN + 1)
        ax.legend(loc="upper left", fontsize=FONT_MIN)
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    return fig, _cut(t("punct.clause_sep", lang).join(parts) + t("districts.full_stop", lang))


def ranking_chart(plan, comparison: pd.DataFrame, indicator: str, lang: str, normalised: bool = True,
                  highlight: str | None = None):
    """Horizontal bars of one indicator by district (normalised or total), coloured by group; a flow:
    its cumulative inflow. ``highlight`` outlines one district (profiles). Returns ``(figure, alt)``."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    use_style()
    c = comparison[comparison["indicator"] == indicator]
    how = c["normalise"].iloc[0] if normalised else "none"
    col = "normalised" if normalised and how != "none" else "value"
    c = c.sort_values(col, ascending=True, na_position="first")
    nm = D.names(plan, lang)
    unit, kind = str(c["unit"].iloc[0]), c["kind"].iloc[0]
    fig, ax = plt.subplots(figsize=(7.5, 0.34 * len(c) + 1.4))
    _room_for_mark(fig)
    vals = c[col].to_numpy(dtype=float)
    colours = [GROUP_COLOURS.get(r, "#999999") for r in c["role"]]
    bars = ax.barh([nm.get(a, a) for a in c["area_code"]], np.nan_to_num(vals), color=colours)
    if highlight is not None:
        for b, a in zip(bars, c["area_code"]):
            if a == str(highlight):
                b.set_edgecolor("#000000")
                b.set_linewidth(2)
    shown = normalised_column(plan, c[col], indicator, how, lang) if col == "normalised" else \
        fmt.column(c[col], unit, lang, _unit_en(plan, indicator))
    for b, v, txt in zip(bars, vals, shown):
        label = t("districts.no_context_row", lang, year=D.context_year(plan)) if np.isnan(v) else txt
        ax.text(b.get_width(), b.get_y() + b.get_height() / 2, " " + label, va="center", fontsize=FONT_MIN + 1)
    ax.grid(axis="y", visible=False)
    ax.set_xticks([])
    ax.spines["bottom"].set_visible(False)
    ax.tick_params(axis="y", labelsize=FONT_MIN + 1)
    ax.margins(x=0.4)
    year = int(c["year"].iloc[0])
    what = plan.indicator_name(indicator, lang)
    period = _span("districts.period_cumulative", lang, plan.base_year + 1, year) if kind == "flow" else \
        t("districts.period_year", lang, year=year)
    ax.set_title(t("districts.ranking_title", lang, name=what, period=period, by=norm_label(plan, how, lang)),
                 fontsize=10)
    ax.legend(handles=[Patch(color=GROUP_COLOURS.get(g, "#999999"), label=role_cell(plan, g, lang))
                       for g in D.roles(plan)], loc="lower right", bbox_to_anchor=(1.0, 0.06), fontsize=FONT_MIN + 1)
    order = list(zip(c["area_code"], shown, vals))[::-1]
    top = [f"{nm.get(a, a)} {s}" for a, s, v in order if not np.isnan(v)][:3]
    bottom = [f"{nm.get(a, a)} {s}" for a, s, v in order if not np.isnan(v)][-1:]
    alt = _cut(t("districts.alt_ranking", lang, name=what, period=period, by=norm_label(plan, how, lang),
                 top=_join(top, lang), bottom=_join(bottom, lang)))
    return fig, alt


# long: the stock and the flow panels of one figure drawn on shared axes
def profile_chart(plan, obs: pd.DataFrame, area_code: str, year: int, indicators: list[str], lang: str,
                  indices: D.Indices, groups: pd.DataFrame):
    """One district against its group and the city: stock indicators as growth index lines, a flow
    indicator as the district's yearly inflow (bars). Not normalised. Returns ``(figure, alt)``."""
    import matplotlib.pyplot as plt
    use_style()
    area_code = str(area_code)
    role = D.role_of(plan).get(area_code, "other")
    nm = D.names(plan, lang)
    n = len(indicators)
    ncols = min(n, 2)
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(9.6, 3.1 * nrows), squeeze=False)
    _room_for_mark(fig)
    parts = []
    for k, ind in enumerate(indicators):
        ax = axes[k // ncols][k % ncols]
        unit, ue = str(plan.indicator(ind)["unit"]), _unit_en(plan, ind)
        name = plan.indicator_name(ind, lang)
        if plan.indicator(ind)["kind"] == "flow":
            lv = D.levels(obs, plan, ind, year)
            if area_code in lv.index:
                s = lv.loc[area_code].dropna()
                s = s[s.index > plan.base_year]
                ax.bar(s.index, s.to_numpy(), color=GROUP_COLOURS.get(role, PALETTE[0]), width=0.6)
                year_axis(ax, s.index)
                shown = fmt.column(s.to_numpy(), unit, lang, ue)
                parts.append(t("districts.alt_profile_flow", lang, name=name, values=_join(
                    [t("chart.point", lang, year=int(y), value=v) for y, v in zip(s.index, shown)], lang)))
            value_axis(ax, lambda v, u=unit, e=ue: fmt.quantity(v, u, lang, e, digits=2))
            ax.set_title("\n".join(_wrap(name, 16 if lang == "zh" else 48) + [t("districts.yearly_inflow", lang)]),
                         fontsize=10)
        else:
            x = indices.get(ind)
            by = indices.base_years[ind] if x is not None else None
            if area_code in x.index:
                s = x.loc[area_code].dropna()
                ax.plot(s.index, s.to_numpy(), marker="o", linewidth=2.2, color=GROUP_COLOURS.get(role, PALETTE[0]),
                        label=nm.get(area_code, area_code))
                if year in s.index:
                    parts.append(t("districts.alt_profile_stock", lang, name=name, year=year, base=by,
                                   value=fmt.number(s[year], 1),
                                   city=fmt.number(x.loc[plan.city_code].get(year, np.nan), 1)
                                   if plan.city_code in x.index else "—"))
            g = groups[(groups["indicator"] == ind) & (groups["group"] == role)].set_index("year")["index"].dropna()
            if not g.empty:
                ax.plot(g.index, g.to_numpy(), linestyle=":", color=GROUP_COLOURS.get(role, "#999999"), linewidth=1.4,
                        label=role_cell(plan, role, lang))
            if plan.city_code in x.index:
                cs = x.loc[plan.city_code].dropna()
                ax.plot(cs.index, cs.to_numpy(), linestyle="--", color="#000000", linewidth=1.1,
                        label=role_cell(plan, "city", lang))
            year_axis(ax, x.columns)
            ax.set_title("\n".join(_wrap(name, 16 if lang == "zh" else 48) + [t("districts.index_short", lang, year=by)]),
                         fontsize=10)
            ax.legend(loc="upper left", fontsize=FONT_MIN)
        ax.tick_params(labelsize=FONT_MIN + 1)
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    fig.suptitle(t("districts.profile_chart_title", lang), fontsize=10)
    alt = _cut(t("districts.alt_profile", lang, name=nm.get(area_code, area_code),
                 parts=t("punct.clause_sep", lang).join(parts)))
    return fig, alt
