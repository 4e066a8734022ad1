"""Chart style in one place: the CJK font, a colour-blind-safe palette, the illustrative mark.

The font is Noto Sans CJK SC subset to GB2312 (SIL Open Font License, see ``fonts/OFL.txt``),
shipped with the package and registered with matplotlib at run time: no root, no system font.
Latin glyphs missing from the subset fall back to DejaVu Sans (matplotlib's own font).
"""
from __future__ import annotations

import functools
import logging
import os
import warnings

import matplotlib
from matplotlib import font_manager
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import config

FONT_FILE = config.PACKAGE / "fonts" / "NotoSansCJKsc-Regular-GB2312.otf"
FONT_NAME = "Noto Sans CJK SC"
# Okabe & Ito (2008), "Color Universal Design": distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
GROUP_COLOURS = {"core": "#0072B2", "radiating": "#E69F00", "other": "#999999", "city": "#000000"}
# the same hues dark enough for text on white (contrast ≥ 4.5:1, WCAG AA; see contrast_ratio)
GROUP_TEXT_COLOURS = {"core": "#0072B2", "radiating": "#9A5F00", "other": "#595959", "city": "#000000"}
CATEGORY_COLOURS = {
    "achieved": "#009E73", "reached_early": "#009E73", "on_track": "#56B4E9", "acceleration_needed": "#E69F00",
    "limited_progress": "#D55E00", "deterioration": "#CC79A7", "not_achieved": "#D55E00", "no_data": "#999999",
    "not_assessable": "#999999", "not_assessed": "#999999", "no_area_target": "#999999",
}


@functools.cache  # once per process: what was a module flag
def register_font() -> str:
    """Register the shipped CJK font with matplotlib (idempotent); return its family name."""
    import dataclasses
    fm = font_manager.fontManager
    fm.addfont(str(FONT_FILE))
    # the shipped font has one weight: a bold request gets the same face (instead of a
    # "findfont: Failed to find font weight bold" line on every chart's stderr)
    regular = next(e for e in fm.ttflist if e.fname == str(FONT_FILE))
    fm.ttflist.append(dataclasses.replace(regular, weight=700))
    fm._findfont_cached.cache_clear()
    return FONT_NAME


class _NoBoldNotice(logging.Filter):
    """Drops matplotlib's "Failed to find font weight bold for <the shipped font>" notice (once per figure)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            text = record.getMessage()
        except Exception:
            return True
        return not (FONT_NAME in text and "Failed to find font weight" in text)


def cjk_fallback() -> str:
    """Register the shipped CJK font and append it to matplotlib's font fallback (``font.family``),
    so Chinese in any chart shows without calling :func:`use_style` (matplotlib ≥ 3.6 falls back
    glyph by glyph through the families listed). Cheap: one font file added, no font-cache rebuild.
    Run when matplotlib is imported after ``import twocreate`` (see ``twocreate/__init__.py``)."""
    register_font()
    log = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _NoBoldNotice) for f in log.filters):
        log.addFilter(_NoBoldNotice())  # the subset has one weight: bold is drawn regular
    families = list(matplotlib.rcParams["font.family"])
    if FONT_NAME not in families:
        matplotlib.rcParams["font.family"] = families + [FONT_NAME]
    return FONT_NAME


cjk_fallback()  # Chinese in any chart once this module is imported (twocreate/__init__.py: before it)


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
    """Format the y axis with ``formatter(value) -> str`` (e.g. a :mod:`twocreate.fmt` function).

    Each label is made once per tick value: a figure is drawn three times (layout, the illustrative
    mark's placement, the PNG), and a district chart's formatter looks its unit up in the plan (0.9 s
    of CPU for the four charts of a district comparison, most of it the same labels again)."""
    made: dict[float, str] = {}

    def label(v, _pos):
        if v not in made:
            made[v] = formatter(v)
        return made[v]
    ax.yaxis.set_major_formatter(FuncFormatter(label))


MARK_ROOM_IN = 0.2
"""Inches kept free at a chart's foot (constrained layout) for the illustrative mark's corner label."""
MARK_COLOUR = "#A04000"  # the palette's vermillion darkened to 6.5:1 on white (text contrast ≥ 4.5:1)
WATERMARK_GID, CORNER_GID = "twocreate-watermark", "twocreate-mark"


def mark_illustrative(fig, lang: str = "zh") -> None:
    """Stamp a figure as fed by illustrative data: a label in a strip kept free at the figure's foot
    (bottom right) and a faint watermark inside the largest panel, sized and placed so that its box
    stays inside the panel and meets no legend or text there (:func:`chart_problems` measures it).
    Where no place fits, the panel gets no watermark: the corner label and the page's mark remain."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    from .i18n import t
    text = t("page.illustrative_mark", lang)
    engine = fig.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        _keep_foot_free(fig, engine, MARK_ROOM_IN / fig.get_figheight())
    corner = fig.text(0.995, 0.005, text, fontsize=8, color=MARK_COLOUR, ha="right", va="bottom", gid=CORNER_GID)
    corner.set_in_layout(False)
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>" and ax.get_navigate()]
    if not axes:
        return
    fig.draw_without_rendering()  # the layout and the texts' sizes, without painting the pixels (same PNG)
    r = fig.canvas.get_renderer()
    ax = largest_panel(axes, r)
    box = ax.get_window_extent(r).padded(-4)
    legends = [lg.get_window_extent(r) for lg in fig.legends + [a.get_legend() for a in fig.axes if a.get_legend()]]
    texts = [x.get_window_extent(r) for x in ax.texts if x.get_visible() and x.get_text().strip()]
    wm = ax.text(0.5, 0.5, text, transform=ax.transAxes, color=MARK_COLOUR, alpha=0.16, rotation=20, ha="center",
                 va="center", zorder=0.5, gid=WATERMARK_GID)
    wm.set_in_layout(False)
    scale = min(1.0, REPORT_IMAGE_WIDTH_PX / (fig.get_figwidth() * fig.dpi))
    smallest = 10 * 72 / fig.dpi / scale  # points for 10 px as the report shows the chart
    for avoid in (legends + texts, legends):  # first clear of the panel's own texts too, else of legends only
        for size in [s for s in (26, 22, 18, 15, 13, 11) if s > smallest] + [smallest]:
            for y in (0.5, 0.7, 0.3, 0.85, 0.15):
                wm.set_fontsize(size)
                wm.set_y(y)
                ext = wm.get_window_extent(r)
                inside = box.x0 <= ext.x0 and ext.x1 <= box.x1 and box.y0 <= ext.y0 and ext.y1 <= box.y1
                if inside and not any(ext.overlaps(b) for b in avoid):
                    return
    wm.remove()


def largest_panel(axes: list, renderer):
    """The panel with the largest area on screen; among panels within 1% of it (a grid of equal
    panels), the first in the figure's order. Constrained layout solves for the panels' positions in
    floating point with results that vary in the last digits from run to run, so a plain maximum
    picked a different one of twelve equal panels in two builds of the same chart."""
    areas = [a.get_window_extent(renderer).width * a.get_window_extent(renderer).height for a in axes]
    top = max(areas)
    return next(a for a, area in zip(axes, areas) if area >= 0.99 * top)


def _keep_foot_free(fig, engine, room: float) -> None:
    """Constrained layout inside ``rect`` with a strip of ``room`` (figure fraction) free at the foot.
    A legend placed "outside lower" would still sit on the figure's edge, in the strip: it is anchored
    just above the strip instead, and the panels stand above it."""
    left, bottom, width, height = engine.get()["rect"]
    top = bottom + height
    lower = [lg for lg in fig.legends if getattr(lg, "_outside_loc", None) == "lower" and lg._bbox_to_anchor is None]
    extra = 0.0
    if lower:
        fig.canvas.draw()
        r = fig.canvas.get_renderer()
        pad = engine.get()["h_pad"]
        for lg in lower:
            h = lg.get_window_extent(r).height / fig.bbox.height + 2 * pad
            lg.set_bbox_to_anchor((0, max(room, bottom), 1, h), transform=fig.transFigure)
            extra = max(extra, h)
    start = max(room, bottom) + extra
    if start > bottom + 1e-9:
        engine.set(rect=(left, start, width, top - start))


def _label_boxes(fig, r) -> list[tuple[str, object]]:
    """(name, window extent) of every title, axis label, tick label and legend of a figure."""
    out = []
    for name in ("_suptitle", "_supxlabel", "_supylabel"):
        x = getattr(fig, name, None)
        if x is not None and x.get_visible() and x.get_text().strip():
            out.append((f"figure title {x.get_text()[:30]!r}", x.get_window_extent(r)))
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_visible() and title.get_text().strip():
                out.append((f"title {title.get_text()[:30]!r}", title.get_window_extent(r)))
        for lab in (ax.xaxis.label, ax.yaxis.label):
            if lab.get_visible() and lab.get_text().strip():
                out.append((f"axis label {lab.get_text()[:30]!r}", lab.get_window_extent(r)))
        for tick in ax.get_xticklabels() + ax.get_yticklabels():
            if tick.get_visible() and tick.get_text().strip():
                out.append((f"tick label {tick.get_text()[:30]!r}", tick.get_window_extent(r)))
        if ax.get_legend():
            out.append(("legend", ax.get_legend().get_window_extent(r)))
    out += [("figure legend", lg.get_window_extent(r)) for lg in fig.legends]
    return out


def _data_boxes(ax, r) -> list:
    """Window extents of what a panel draws: each bar, each point of a line (and points between them)
    and of a scatter."""
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.container import BarContainer
    from matplotlib.transforms import Bbox
    out = []
    for cont in ax.containers:
        if isinstance(cont, BarContainer):
            out += [p.get_window_extent(r) for p in cont.patches if p.get_visible() and (p.get_width() or p.get_height())]
    for line in ax.get_lines():
        if not line.get_visible():
            continue
        xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
        xy = xy[np.isfinite(xy).all(axis=1)]
        if len(xy) > 1:  # points along each segment, so that a legend over a segment is found too
            xy = np.concatenate([np.linspace(a, b, 12) for a, b in zip(xy[:-1], xy[1:])])
        out += [Bbox.from_extents(x - 1, y - 1, x + 1, y + 1) for x, y in xy]
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and coll.get_visible() and len(coll.get_offsets()):
            for x, y in coll.get_offset_transform().transform(coll.get_offsets()):
                out.append(Bbox.from_extents(x - 2, y - 2, x + 2, y + 2))
    return out


def chart_problems(fig, page_width_px: int | None = None) -> list[str]:
    """What makes a chart hard to read, measured with the renderer's own geometry (window extents):
    the illustrative mark (watermark or corner label) meeting a title, axis label, tick label or
    legend; a legend covering data (a bar, a line, a point); text under 10 px at a 1280 px page
    (``page_width_px``: the text column, default :data:`REPORT_IMAGE_WIDTH_PX`). Empty when clear."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    problems = []
    marks = fig.findobj(lambda a: a.get_gid() in (WATERMARK_GID, CORNER_GID))
    labels = _label_boxes(fig, r)
    for m in marks:
        ext = m.get_window_extent(r).padded(-1)
        problems += [f"the {m.get_gid()} meets the {name}" for name, b in labels if ext.overlaps(b)]
    legends = [("legend", ax.get_legend()) for ax in fig.axes if ax.get_legend()]
    legends += [("figure legend", lg) for lg in fig.legends]
    for name, lg in legends:
        ext = lg.get_window_extent(r).padded(-1)
        for ax in fig.axes:
            if ax.get_visible() and any(ext.overlaps(b) for b in _data_boxes(ax, r)):
                problems.append(f"a {name} covers data of the panel {ax.get_title()[:30]!r}")
    problems += [f"text {s[:30]!r} at {px:.1f} px" for s, px in text_sizes_px(fig, page_width_px or REPORT_IMAGE_WIDTH_PX)
                 if px < 10 - 1e-6]
    return problems


# --------------------------------------------------------------------------- text alternatives
def _fmt_axis(axis, v: float) -> str:
    """``v`` as the axis labels it (the report's own number format), else a plain number."""
    try:
        s = axis.get_major_formatter()(v, 0)
    except Exception:  # noqa: BLE001 - any formatter failure falls back to a plain number
        s = ""
    s = str(s).strip()
    if not s or s == "0" and abs(v) > 1e-12:
        s = f"{v:,.4g}"
    return s


def _nearest(ticks: dict, pos: float) -> str:
    """The tick label nearest ``pos`` (within 0.45 of a tick step), else ""."""
    if not ticks:
        return ""
    p = min(ticks, key=lambda t: abs(t - pos))
    return ticks[p] if abs(p - pos) <= 0.45 else ""


def _fmt_x(v: float) -> str:
    return f"{int(round(v))}" if abs(v - round(v)) < 1e-9 else f"{v:g}"


def _w(key: str, lang: str) -> str:
    """A word or punctuation of the text alternatives (catalog ``alt.*``)."""
    from .i18n import t
    return t(f"alt.{key}", lang)


def _w_fill(key: str, lang: str, **values) -> str:
    from .i18n import t
    return t(f"alt.{key}", lang, **values)


def _year_sep(label: str, lang: str) -> str:
    """What joins an x label to its value: 年 after a four-digit year in Chinese, else a space."""
    return _w("year_suffix", lang) if label.isdigit() and len(label) == 4 else " "


def _describe_mesh(ax, mesh, lang: str, max_rows: int = 20) -> list[str]:
    import numpy as np
    arr = np.ma.asarray(mesh.get_array())
    xl = [" ".join(t.get_text().split()) for t in ax.get_xticklabels()]
    yl = [" ".join(t.get_text().split()) for t in ax.get_yticklabels()]
    if arr.ndim == 1 and len(xl) and len(yl) and arr.size == len(xl) * len(yl):
        arr = arr.reshape(len(yl), len(xl))
    if arr.ndim != 2:
        return []
    out = []
    for i in range(min(arr.shape[0], max_rows)):
        cells = []
        for j in range(arr.shape[1]):
            v = arr[i, j]
            if np.ma.is_masked(v) or (isinstance(v, float) and v != v):
                continue
            name = xl[j] if j < len(xl) else str(j + 1)
            cells.append(f"{name} {float(v):,.3g}")
        if cells:
            out.append(f"{yl[i] if i < len(yl) else i + 1}{_w('colon', lang)}" + _w("list_sep", lang).join(cells))
    return out


# long: one branch per kind of artist read back from the figure (lines, bars, panels)
def describe_figure(fig, lang: str = "zh", max_points: int = 12) -> str:
    """A text alternative for a chart, written from what it draws: for each panel its title, and
    for each labelled line or set of bars the values (formatted as the axis formats them), e.g.
    "营业收入：实际值 2015年8,030亿元，2018年10,430亿元". Used when a report gives no ``alt`` of its own."""
    from matplotlib.collections import QuadMesh
    from matplotlib.container import BarContainer

    sep, colon, comma = _w("panel_sep", lang), _w("colon", lang), _w("list_sep", lang)
    panels = []
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        title = " ".join(t.strip() for t in (ax.get_title(), ax.get_title("left")) if t.strip()).replace("\n", " ")
        title = title or ax.get_ylabel().replace("\n", " ") or ax.get_xlabel().replace("\n", " ")
        series = []
        xt = {round(float(p), 6): " ".join(t.get_text().split()) for p, t in zip(ax.get_xticks(), ax.get_xticklabels())
              if t.get_text()}
        yt = {round(float(p), 6): " ".join(t.get_text().split()) for p, t in zip(ax.get_yticks(), ax.get_yticklabels())
              if t.get_text()}
        for line in ax.get_lines():
            label = line.get_label()
            if label.startswith("_"):
                continue
            xs, ys = line.get_xdata(), line.get_ydata()
            pts = []
            for x, y in list(zip(xs, ys))[:max_points]:
                try:
                    xf, yf = float(x), float(y)
                except (TypeError, ValueError):
                    continue
                xl = xt.get(round(xf, 6), _fmt_x(xf))
                pts.append(f"{xl}{_year_sep(xl, lang)}{_fmt_axis(ax.yaxis, yf)}".strip())
            if pts:
                series.append(f"{label} " + comma.join(pts))
        for cont in ax.containers:
            if not isinstance(cont, BarContainer):
                continue
            label = cont.get_label()
            horiz = getattr(cont, "orientation", "vertical") == "horizontal"
            pts = []
            for patch in list(cont.patches)[:max_points]:
                if horiz:
                    pos, val = patch.get_y() + patch.get_height() / 2, patch.get_width()
                    name = _nearest(yt, pos)
                    pts.append(f"{name} {_fmt_axis(ax.xaxis, val)}".strip())
                else:
                    pos, val = patch.get_x() + patch.get_width() / 2, patch.get_height()
                    name = _nearest(xt, pos) or (_fmt_x(pos) if abs(pos - round(pos)) < 1e-6 else "")
                    pts.append(f"{name}{_year_sep(name, lang)}{_fmt_axis(ax.yaxis, val)}".strip())
            if pts:
                lab = "" if label.startswith("_") else f"{label} "
                series.append(lab + comma.join(pts))
        for coll in ax.collections:
            if isinstance(coll, QuadMesh):  # a heatmap: one clause per row, each cell by its column label
                series.extend(_describe_mesh(ax, coll, lang))
                continue
            label = coll.get_label()
            offs = coll.get_offsets() if hasattr(coll, "get_offsets") else []
            if label.startswith("_") or not len(offs) or len(offs) > max_points:
                continue
            pts = []
            for x, y in offs:
                xl = _nearest(xt, float(x)) or _fmt_x(float(x))
                pts.append(f"{xl}{_year_sep(xl, lang)}{_fmt_axis(ax.yaxis, float(y))}")
            series.append(f"{label} " + comma.join(pts))
        if not series and ax.images:
            arr = ax.images[0].get_array()
            try:
                lo, hi = float(arr.min()), float(arr.max())
                series.append(_w_fill("value_range", lang, lo=f"{lo:,.3g}", hi=f"{hi:,.3g}"))
            except (TypeError, ValueError):
                pass
        if title or series:
            panels.append(f"{title}{colon if title and series else ''}{sep.join(series)}")
    text = _w("sentence_sep", lang).join(p for p in panels if p)
    return text or _w("chart", lang)


# --------------------------------------------------------------------------- readability measures
REPORT_IMAGE_WIDTH_PX = 976
"""Width of a report's text column at a 1280 px page (the template's 1040 px less its padding): the
widest a chart is shown."""


def contrast_ratio(foreground: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two colours (any matplotlib colour): 1 to 21; text needs ≥ 4.5."""
    from matplotlib.colors import to_rgb

    def lum(c) -> float:
        ch = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in to_rgb(c)]
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
    a, b = sorted((lum(foreground), lum(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def text_sizes_px(fig, page_width_px: int = REPORT_IMAGE_WIDTH_PX) -> list[tuple[str, float]]:
    """Every visible, non-empty text of a figure with its height in CSS pixels as a report shows it:
    points × dpi / 72, scaled down when the PNG is wider than ``page_width_px`` (the text column at a
    1280 px page)."""
    from matplotlib.text import Text
    fig.canvas.draw()
    width = fig.get_figwidth() * fig.dpi
    scale = min(1.0, page_width_px / width)
    out = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and t.get_alpha() != 0:
            out.append((t.get_text(), t.get_fontsize() * fig.dpi / 72 * scale))
    return out


# --------------------------------------------------------------------------- the data behind a chart
def figure_data(fig, lang: str = "zh"):
    """The values a chart draws, as a table to download beside it: one row per point of each labelled
    line, bar or scatter and per cell of a heatmap, with its panel, series, position (the tick label
    where there is one) and value as drawn (column names from the catalog, ``furniture.col_*``)."""
    import numpy as np
    import pandas as pd
    from matplotlib.collections import PathCollection, QuadMesh
    from matplotlib.container import BarContainer

    from .i18n import t
    rows = []

    def labels(axis_ticks, axis_labels):
        return {round(float(p), 6): " ".join(x.get_text().split()) for p, x in zip(axis_ticks, axis_labels)
                if x.get_text().strip()}

    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        panel = " ".join(x.get_text() for x in (ax.title, ax._left_title) if x.get_text().strip()).replace("\n", " ")
        xt, yt = labels(ax.get_xticks(), ax.get_xticklabels()), labels(ax.get_yticks(), ax.get_yticklabels())
        for line in ax.get_lines():
            if line.get_label().startswith("_"):
                continue
            for x, y in zip(line.get_xdata(), line.get_ydata()):
                try:
                    xf, yf = float(x), float(y)
                except (TypeError, ValueError):
                    continue
                if np.isfinite(yf):
                    rows.append((panel, line.get_label(), xt.get(round(xf, 6), _fmt_x(xf)), yf))
        for cont in ax.containers:
            if not isinstance(cont, BarContainer):
                continue
            label = "" if cont.get_label().startswith("_") else cont.get_label()
            horiz = getattr(cont, "orientation", "vertical") == "horizontal"
            for patch in cont.patches:
                if horiz:
                    pos, val, ticks = patch.get_y() + patch.get_height() / 2, patch.get_width(), yt
                else:
                    pos, val, ticks = patch.get_x() + patch.get_width() / 2, patch.get_height(), xt
                rows.append((panel, label, _nearest(ticks, pos) or _fmt_x(pos), float(val)))
        for coll in ax.collections:
            if isinstance(coll, QuadMesh):
                arr = np.ma.asarray(coll.get_array())
                xl, yl = list(xt.values()), list(yt.values())
                if arr.ndim == 1 and len(xl) and len(yl) and arr.size == len(xl) * len(yl):
                    arr = arr.reshape(len(yl), len(xl))
                if arr.ndim == 2:
                    for i in range(arr.shape[0]):
                        for j in range(arr.shape[1]):
                            if not np.ma.is_masked(arr[i, j]) and np.isfinite(float(arr[i, j])):
                                rows.append((panel, yl[i] if i < len(yl) else str(i + 1),
                                             xl[j] if j < len(xl) else str(j + 1), float(arr[i, j])))
            elif isinstance(coll, PathCollection) and not coll.get_label().startswith("_"):
                for x, y in coll.get_offsets():
                    rows.append((panel, coll.get_label(), _nearest(xt, float(x)) or _fmt_x(float(x)), float(y)))
    cols = [t(f"furniture.col_{c}", lang) for c in ("panel", "series", "position", "value")]
    return pd.DataFrame(rows, columns=cols)
