"""Charts of the fund report, each with its short text alternative (``*_alt``), in one language; figures
from :class:`twocreate.funds.FundModel`, words from the catalogs (``[funds]``), money in one magnitude
per axis (:func:`twocreate.views.funds.money_formatter`).
"""
from __future__ import annotations

from .. import fmt
from .. import funds as tf
from ..i18n import t
from ..plotting import PALETTE, use_style, value_axis, year_axis
from .funds import _mid, _sep, area_name, basis_label, money, money_formatter, param_name, param_value, ratio_text, times

# money magnitudes of a table column, per language: (catalog key, size in 亿元), largest first

# --------------------------------------------------------------------------- charts
def _tick_money(lang: str):
    def f(v: float, _p=None) -> str:
        return "0" if abs(v) < 1e-12 else fmt.money_100m_yuan(v, lang, 2)
    return f


def allocation_chart(model, lang: str):
    """Left: the plan's money by area; right: by year, stacked by area (data or even phasing)."""
    import textwrap

    import matplotlib.pyplot as plt

    use_style()
    alloc, phase = model.allocation, model.phasing
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.0), gridspec_kw={"width_ratios": [1.15, 1]})
    names = [str(n) for n in alloc[f"name_{lang}"]]
    wrapped = names if lang == "zh" else [textwrap.fill(n, 22) for n in names]
    vals = alloc["amount_100m_yuan"].to_numpy()
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(alloc))]
    y = list(range(len(alloc)))[::-1]
    ax1.barh(y, vals, color=colours)
    ax1.set_yticks(y, wrapped)
    for yi, v, sh in zip(y, vals, alloc["share"]):
        ax1.text(v, yi, " " + t("funds.bar_label", lang, value=money(v, lang), share=fmt.percent(sh)), va="center",
                 fontsize=9)
    ax1.set_xlim(0, max(vals.max(), 1e-9) * 1.7)
    ax1.grid(axis="y", visible=False)
    ax1.xaxis.set_major_locator(plt.MaxNLocator(4))
    ax1.xaxis.set_major_formatter(plt.FuncFormatter(_tick_money(lang)))
    ax1.set_title(t("funds.chart_alloc_title", lang, start=model.period[0], end=model.period[-1]))
    years = sorted(phase["year"].unique())
    bottom = [0.0] * len(years)
    for code, col, name in zip(alloc["code"], colours, names):
        sel = phase[phase["code"] == code].set_index("year").reindex(years)["amount_100m_yuan"].fillna(0).tolist()
        ax2.bar(years, sel, bottom=bottom, color=col, label=name, width=0.6)
        bottom = [b + v for b, v in zip(bottom, sel)]
    year_axis(ax2, years)
    value_axis(ax2, _tick_money(lang))
    ax2.grid(axis="x", visible=False)
    ax2.set_title(t("funds.chart_phase_data" if model.phasing_from_data else "funds.chart_phase_even", lang))
    fig.legend(*ax2.get_legend_handles_labels(), loc="outside lower center", ncol=3)
    return fig


def allocation_alt(model, lang: str) -> str:
    parts = [t("funds.alt_item", lang, name=n, value=money(v, lang))
             for n, v in zip(model.allocation[f"name_{lang}"], model.allocation["amount_100m_yuan"])]
    return t("funds.alt_allocation", lang, total=money(model.total, lang), parts=_sep(lang).join(parts),
             phasing=t("funds.chart_phase_data" if model.phasing_from_data else "funds.chart_phase_even", lang))


def readings_chart(model, lang: str):
    """Capital reaching enterprises by instrument, stacked, under both readings of the ratio."""
    import matplotlib.pyplot as plt

    use_style()
    bb = model.by_basis
    fig, ax = plt.subplots(figsize=(10, 3.8))
    codes = bb[bb["basis"] == "total"]["code"].tolist()
    left = [0.0, 0.0]
    ypos = [1, 0]
    for i, code in enumerate(codes):
        vals = [float(bb[(bb["basis"] == b) & (bb["code"] == code)]["reaching_100m_yuan"].iloc[0]) for b in tf.BASES]
        ax.barh(ypos, vals, left=left, color=PALETTE[i % len(PALETTE)], label=t(f"funds.short_{code}", lang),
                height=0.55, edgecolor="white", linewidth=0.6)
        left = [a + v for a, v in zip(left, vals)]
    pub = bb[bb["basis"] == "total"]["public_100m_yuan"].sum()
    for yp, tot in zip(ypos, left):
        ax.text(tot, yp, " " + t("funds.bar_label", lang, value=money(tot, lang), share=times(tot / pub, lang)),
                va="center", fontsize=10, fontweight="bold")
    ax.set_yticks(ypos, [basis_label(b, lang) for b in tf.BASES])
    ax.set_xlim(0, max(left) * 1.25)
    ax.axvline(pub, color="#444444", linestyle="--", linewidth=1)
    ax.text(pub, 1.45, " " + t("funds.chart_public_line", lang, value=money(pub, lang)), fontsize=9, ha="left",
            va="center", color="#444444")
    ax.set_ylim(-0.5, 1.6)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(_tick_money(lang)))
    ax.set_title(t("funds.chart_readings_title", lang, ratio=ratio_text(model.ratio)))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=4)
    return fig


def readings_alt(model, lang: str) -> str:
    r = model.readings.set_index("basis")
    return t("funds.alt_readings", lang, ratio=ratio_text(model.ratio),
             reach_total=money(r.loc["total", "package_reaching"], lang),
             m_total=times(r.loc["total", "package_multiplier"], lang),
             reach_private=money(r.loc["private", "package_reaching"], lang),
             m_private=times(r.loc["private", "package_multiplier"], lang), public=money(model.financing, lang))


def heatmap_chart(model, lang: str):
    """The package multiplier over two parameters (seaborn heatmap), the scenario's values outlined."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.patches import Rectangle

    use_style()
    grid, sc = model.grid, model.scenario
    x, y = grid["x"].iloc[0], grid["y"].iloc[0]
    piv = grid.pivot(index="y_value", columns="x_value", values="multiplier").sort_index(ascending=False)
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    sns.heatmap(piv, annot=True, fmt=".1f", cmap="cividis", ax=ax, linewidths=0.5, linecolor="white",
                cbar_kws={"label": t("funds.multiplier", lang)})
    fx, fy = money_formatter(piv.columns, lang), money_formatter(piv.index, lang)
    ax.set_xticklabels([param_value(x, v, lang, fx) for v in piv.columns], rotation=0)
    ax.set_yticklabels([param_value(y, v, lang, fy) for v in piv.index], rotation=0)
    ax.set_xlabel(param_name(sc, x, lang))
    ax.set_ylabel(param_name(sc, y, lang))
    xi = list(piv.columns).index(sc.value(x))
    yi = list(piv.index).index(sc.value(y))
    ax.add_patch(Rectangle((xi, yi), 1, 1, fill=False, edgecolor=PALETTE[3], linewidth=2.5))
    ax.set_title(t("funds.chart_heatmap_title", lang))
    ax.grid(False)
    return fig


def heatmap_alt(model, lang: str) -> str:
    g, sc = model.grid, model.scenario
    x, y = g["x"].iloc[0], g["y"].iloc[0]
    lo, hi = g["multiplier"].min(), g["multiplier"].max()
    return t("funds.alt_heatmap", lang, x=_mid(param_name(sc, x, lang), lang), y=_mid(param_name(sc, y, lang), lang),
             low=times(lo, lang),
             high=times(hi, lang), base=times(model.multiplier(), lang))


def tornado_chart(model, lang: str, top: int | None = 12):
    """One-at-a-time sensitivity: bars from the base multiplier to its value at each parameter's low/high."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    use_style()
    sc = model.scenario
    tt = model.tornado.sort_values("swing", ascending=False, kind="stable")
    if top:
        tt = tt.head(int(top))
    tt = tt.iloc[::-1]
    base = float(tt["base"].iloc[0])
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(tt) + 1.4))
    labels = []
    for i, (_, r) in enumerate(tt.iterrows()):
        ax.barh(i, r["multiplier_low"] - base, left=base, color=PALETTE[0], height=0.6)
        ax.barh(i, r["multiplier_high"] - base, left=base, color=PALETTE[1], height=0.6)
        pair = money_formatter([r["low"], r["high"]], lang)
        labels.append(t("funds.tornado_label", lang, name=param_name(sc, r["code"], lang),
                        low=param_value(r["code"], r["low"], lang, pair),
                        high=param_value(r["code"], r["high"], lang, pair)))
    ax.set_yticks(range(len(tt)), labels)
    ax.axvline(base, color="#222222", linewidth=1)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: times(v, lang)))
    ax.set_xlabel(t("funds.chart_tornado_axis", lang, fin=money(model.financing, lang)))
    ax.legend(handles=[Patch(color=PALETTE[0], label=t("funds.chart_low", lang)),
                       Patch(color=PALETTE[1], label=t("funds.chart_high", lang))], loc="lower right")
    ax.set_title(t("funds.chart_tornado_title", lang, base=times(base, lang)))
    return fig


def tornado_alt(model, lang: str, top: int | None = 12) -> str:
    tt = model.tornado.sort_values("swing", ascending=False, kind="stable").head(3)
    parts = [t("funds.alt_tornado_item", lang, name=_mid(param_name(model.scenario, r["code"], lang), lang),
               low=times(r["multiplier_low"], lang), high=times(r["multiplier_high"], lang)) for _, r in tt.iterrows()]
    return t("funds.alt_tornado", lang, base=times(model.multiplier(), lang), parts=t("punct.clause_sep", lang).join(parts))


def execution_chart(model, lang: str):
    """Cumulative execution rate by area and year against the time elapsed (dashed); over 100% shown as is."""
    import matplotlib.pyplot as plt

    use_style()
    ex = model.execution
    fig, ax = plt.subplots(figsize=(9, 3.8))
    years = sorted(ex["year"].unique())
    codes = list(ex["code"].unique())
    width = 0.8 / max(1, len(codes))
    for i, code in enumerate(codes):
        sel = ex[ex["code"] == code].set_index("year").reindex(years)
        xs = [y - 0.4 + width * (i + 0.5) for y in years]
        colour = "#444444" if code == "total" else PALETTE[i % len(PALETTE)]
        ax.bar(xs, (sel["cumulative_rate"] * 100).tolist(), width=width * 0.95, color=colour,
               label=area_name(model, code, lang))
        for x, v in zip(xs, sel["cumulative_rate"]):
            if v > 1 + 1e-9:
                ax.text(x, v * 100 + 2, t("funds.chart_over", lang), ha="center", fontsize=8, color=PALETTE[3])
    el = ex.drop_duplicates("year").set_index("year").reindex(years)["elapsed"] * 100
    ax.plot(years, el.tolist(), color="#000000", linestyle="--", marker="o", label=t("funds.col_elapsed", lang))
    ax.axhline(100, color="#999999", linewidth=0.8)
    year_axis(ax, years)
    value_axis(ax, lambda v: f"{v:.0f}%")
    ax.set_ylim(0, max(110.0, float(ex["cumulative_rate"].max() * 100) + 15))
    ax.grid(axis="x", visible=False)
    ax.set_title(t("funds.chart_execution_title", lang))
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3)
    return fig


def execution_alt(model, lang: str) -> str:
    s = model.spent()
    return t("funds.alt_execution", lang, year=model.year, spent=money(s["cumulative_100m_yuan"], lang),
             total=money(s["allocation_100m_yuan"], lang), rate=fmt.percent(s["cumulative_rate"]),
             elapsed=fmt.percent(s["elapsed"]))
