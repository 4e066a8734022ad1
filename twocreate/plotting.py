"""Chart style in one place: the CJK font, a colour-blind-safe palette, the illustrative mark.

The font is Noto Sans CJK SC subset to GB2312 (SIL Open Font License, see ``fonts/OFL.txt``),
shipped with the package and registered with matplotlib at run time: no root, no system font.
Latin glyphs missing from the subset fall back to DejaVu Sans (matplotlib's own font).
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, MaxNLocator

FONT_FILE = Path(__file__).parent / "fonts" / "NotoSansCJKsc-Regular-GB2312.otf"
FONT_NAME = "Noto Sans CJK SC"
# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
GROUP_COLOURS = {"core": "#0072B2", "radiating": "#E69F00", "other": "#999999", "city": "#000000"}
CATEGORY_COLOURS = {
    "achieved": "#009E73", "on_track": "#56B4E9", "acceleration_needed": "#E69F00",
    "limited_progress": "#D55E00", "deterioration": "#CC79A7", "no_data": "#999999",
}
ILLUSTRATIVE_TEXT = {"zh": "示例数据 · 非官方统计", "en": "ILLUSTRATIVE DATA · NOT OFFICIAL"}
_registered = False


def register_font() -> str:
    """Register the shipped CJK font with matplotlib (idempotent); return its family name."""
    global _registered
    if not _registered:
        font_manager.fontManager.addfont(str(FONT_FILE))
        _registered = True
    return FONT_NAME


def use_style(strict_glyphs: bool | None = None) -> None:
    """Apply the suite's chart style (font, palette, sizes, integer year ticks by helpers).

    With ``strict_glyphs`` (default: the ``TWOCREATE_STRICT_GLYPHS`` environment variable set
    to 1, as the tests do) matplotlib's "Glyph … missing" warning becomes an error.
    """
    register_font()
    matplotlib.rcParams.update({
        "font.family": [FONT_NAME, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#dddddd",
        "grid.linewidth": 0.6,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
        "legend.fontsize": 9,
        "legend.frameon": False,
        "figure.dpi": 100,
        "savefig.dpi": 100,
        "figure.constrained_layout.use": True,
        "svg.hashsalt": "twocreate",
        "path.simplify": True,
    })
    if strict_glyphs is None:
        strict_glyphs = os.environ.get("TWOCREATE_STRICT_GLYPHS") == "1"
    if strict_glyphs:
        warnings.filterwarnings("error", message=r"Glyph .* missing", category=UserWarning)


def year_axis(ax, years=None) -> None:
    """Integer year ticks (never 2015.5)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if years is not None:
        ax.set_xticks(sorted({int(y) for y in years}))


def value_axis(ax, formatter) -> None:
    """Format the y axis with ``formatter(value) -> str`` (e.g. a :mod:`twocreate.fmt` function)."""
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: formatter(v)))


def mark_illustrative(fig, lang: str = "zh") -> None:
    """Stamp a figure as fed by illustrative data: a diagonal watermark and a corner label."""
    text = ILLUSTRATIVE_TEXT[lang]
    fig.text(0.5, 0.5, text, fontsize=26, color="#D55E00", alpha=0.13, rotation=25,
             ha="center", va="center", zorder=10, fontweight="bold")
    fig.text(0.995, 0.005, text, fontsize=8, color="#D55E00", ha="right", va="bottom")


# --------------------------------------------------------------------------- report charts
def trajectory_chart(plan, obs, progress, area_code: str, lang: str = "zh"):
    """Small multiples, one panel per indicator: the plan's path (base → sub-targets) against the
    outturns, the final target marked. Employment (a flow) is drawn as yearly bars against the
    yearly sub-targets, with the cumulative position in the panel title."""
    import matplotlib.pyplot as plt

    from . import fmt
    from .indicators import CATEGORY_LABELS

    use_style()
    inds = plan.indicators.reset_index(drop=True)
    n = len(inds)
    ncols = 2
    nrows = (n + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(10, 3.6 * nrows), squeeze=False)
    zh = lang == "zh"
    for i, ind in inds.iterrows():
        ax = axes[i // ncols][i % ncols]
        code, unit = ind["code"], ind["unit"]
        pr = progress[progress["indicator"] == code].iloc[0]
        st = plan.subtarget_series(code)
        sel = obs[(obs["indicator"] == code) & (obs["area_code"] == str(area_code))].sort_values("year")
        label_plan = "计划路径（细分指标）" if zh else "Plan path (sub-targets)"
        label_obs = "实际值" if zh else "Outturn"
        if ind["kind"] == "flow":
            x = st.index.to_numpy()
            ax.bar(x - 0.2, st.to_numpy(), width=0.4, color="#BBBBBB", label=label_plan)
            ax.bar(sel["year"].to_numpy() + 0.2, sel["value"].to_numpy(), width=0.4, color=PALETTE[0], label=label_obs)
            year_axis(ax, x)
            formatter = lambda v: fmt.persons_10k(v, lang, 2)  # noqa: E731
        else:
            base = pr.get("base_value")
            path_x = [int(ind["base_year"])] + st.index.tolist()
            path_y = [base] + st.to_list()
            ax.plot(path_x, path_y, color="#888888", linestyle="--", marker="o", markersize=4, label=label_plan)
            ox = [int(ind["base_year"])] + sel["year"].tolist()
            oy = [base] + sel["value"].tolist()
            ax.plot(ox, oy, color=PALETTE[0], marker="o", linewidth=2, label=label_obs)
            ty = int(ind["target_year"])
            ax.scatter([ty], [st.loc[ty]], marker="*", s=180, color=PALETTE[3], zorder=5,
                       label=("2018年目标" if zh else "2018 target"))
            year_axis(ax, path_x)
            if unit == "万元":
                formatter = lambda v: fmt.money_10k_yuan(v, lang, 2)  # noqa: E731
            else:
                formatter = lambda v: fmt.count(v, unit, "", lang)  # noqa: E731
        value_axis(ax, formatter)
        cat = pr["category"]
        cat_s = ("无数据" if zh else "No data") if cat == "no_data" else CATEGORY_LABELS[cat][lang]
        ax.set_title(f"{plan.indicator_name(code, lang)}\n{cat_s}", color="#1a1a1a")
        ax.title.set_fontsize(10)
        ax.legend(loc="upper left")
    for j in range(n, nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    return fig
