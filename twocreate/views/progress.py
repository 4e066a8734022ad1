"""The progress report of any plan: tables and sentences from :func:`twocreate.assess.assess`.

Pure functions of a plan and the engine's results; every word from the catalogs
(:func:`twocreate.i18n.t`), every number through :mod:`twocreate.fmt`. Plan words (names,
sections, wording) come from the plan's tables.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import fmt
from ..i18n import t


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _ind(plan, code: str) -> pd.Series:
    return plan.indicators.set_index("code").loc[code]


def unit_en(plan, code: str) -> str:
    """The English noun of a target's unit the plan gives (``patents``), or ``""``."""
    v = _ind(plan, code).get("unit_en")
    return "" if _nan(v) else str(v)


def value(plan, code: str, x, lang: str, unit: str | None = None) -> str:
    """A value of target ``code`` in its unit, for people."""
    return fmt.quantity(x, unit or str(_ind(plan, code)["unit"]), lang, unit_en(plan, code))


def _points(plan, code, x, lang) -> str:
    """A change in a share target's unit (percentage points)."""
    return fmt.pp(x, lang)


def verdict_label(verdict: str, lang: str) -> str:
    return t(f"verdict.{verdict}", lang)


def reason_text(row: pd.Series, lang: str) -> str:
    r = row.get("reason")
    if _nan(r) or not r:
        return ""
    years = str(row.get("missing_years") or "").replace(";", t("punct.list_sep", lang))
    return t(f"reason.{r}", lang, years=years)


def verdict_text(plan, row: pd.Series, lang: str) -> str:
    """The verdict with what it rests on: ``未实现目标（完成97.6%，差257亿元）``, ``需加快（R = 0.79）``."""
    v = row["verdict"]
    code = row["code"]
    unit = str(row["unit"])
    if v == "achieved":
        return t("verdict_detail.achieved", lang, completion=fmt.percent(row["completion"]))
    if v == "not_achieved":
        gap = (t("progress.gap_pp", lang, value=fmt.number(row["gap"], 1)) if unit == "%"
               else value(plan, code, row["gap"], lang))
        if row.get("position") == "above":
            return t("verdict_detail.not_achieved_above", lang, gap=gap)
        return t("verdict_detail.not_achieved", lang, completion=fmt.percent(row["completion"]), gap=gap)
    if v == "reached_early":
        return t("verdict_detail.reached_early", lang, value=value(plan, code, row["latest_value"], lang),
                 target=target_value_text(plan, row, lang, with_year=False))
    if v in ("on_track", "acceleration_needed", "limited_progress", "deterioration") and not _nan(row["ratio"]):
        return t("verdict_detail.pace", lang, verdict=verdict_label(v, lang), ratio=fmt.ratio(row["ratio"]))
    return verdict_label(v, lang)


def target_value_text(plan, row: pd.Series, lang: str, with_year: bool = True) -> str:
    code = row["code"]
    if row["target_kind"] == "relative":
        s = t("progress.relative_goal", lang)
        if not _nan(row["benchmark_value"]):
            s += t("punct.paren", lang, text=value(plan, code, row["benchmark_value"], lang))
        return s
    if _nan(row["target_value"]):
        return "—"
    v = value(plan, code, row["target_value"], lang)
    q = row["qualifier"]
    if q in ("about", "at_most", "strive"):
        v = f"{v}{t('punct.paren', lang, text=t(f'qualifier.{q}', lang))}"
    if not with_year:
        return v
    if row["stock_flow"] == "flow":
        return t("progress.cumulative_goal", lang, value=v, start=int(row["base_year"]) + 1, end=int(row["target_year"]))
    return t("progress.goal", lang, value=v, year=int(row["target_year"]))


def base_text(plan, row: pd.Series, lang: str) -> str:
    """The base and where it comes from; a stated or implied base beside a different observed one."""
    code, src = row["code"], row.get("base_source")
    if _nan(row["base_value"]) or not isinstance(src, str):
        return "—"
    label = t(f"base_source.{src}", lang, year=int(row["base_year"]) if not _nan(row["base_year"]) else "")
    v = value(plan, code, row["base_value"], lang)
    stated_as = _stated_as_written(plan, code, lang)
    if src == "stated" and stated_as:  # a stated figure in the plan's own unit (281万人, not 万人次)
        v = stated_as
    other = None
    if src == "observed":
        for alt in ("stated", "implied"):
            x = row.get(f"base_{alt}")
            if not _nan(x) and abs(float(x) - float(row["base_value"])) > 1e-9 * max(1.0, abs(float(x))):
                other = (alt, x)
                break
    if other is None:
        return t("progress.base_with", lang, value=v, source=label)
    return t("progress.base_both", lang, value=v, source=label, other=value(plan, code, other[1], lang),
             other_source=t(f"base_source.{other[0]}", lang, year=""))


def _stated_as_written(plan, code: str, lang: str) -> str:
    """The ``related_baseline`` figure as the plan writes it (value and unit of ``baseline.csv``)."""
    rb = _ind(plan, code).get("related_baseline")
    if _nan(rb) or not rb:
        return ""
    rows = plan.baseline[plan.baseline["code"] == rb]
    if rows.empty:
        return ""
    return fmt.quantity(float(rows["value"].iloc[0]), str(rows["unit"].iloc[0]), lang)


def latest_text(plan, row: pd.Series, lang: str) -> str:
    if _nan(row["latest_year"]):
        return "—"
    v = value(plan, row["code"], row["latest_value"], lang)
    if row["stock_flow"] == "flow":
        return t("progress.cumulative_latest", lang, value=v, start=int(row["base_year"]) + 1,
                 end=int(row["latest_year"]))
    return t("progress.latest", lang, value=v, year=int(row["latest_year"]))


def growth_text(plan, row: pd.Series, lang: str) -> str:
    g = row["growth_since_base"]
    if _nan(g):
        return "—"
    if row["stock_flow"] == "flow":
        head = row.get("headline")
        target = fmt.percent(head, 0) if not _nan(head) else "—"
        return t("progress.share_of_stock", lang, share=fmt.percent(g), target=target)
    if str(row["unit"]) == "%":
        return fmt.pp(g, lang)
    return fmt.percent(g, signed=True)


def needed_text(plan, row: pd.Series, lang: str) -> str:
    n = row["needed"]
    if _nan(n) or row["verdict"] in ("achieved", "reached_early", "not_achieved"):
        return "—"
    if row["stock_flow"] == "flow":
        return t("progress.needed_flow", lang, value=value(plan, row["code"], n, lang))
    if str(row["unit"]) == "%":
        return t("progress.needed_pp", lang, value=fmt.pp(n, lang))
    return t("progress.needed_rate", lang, rate=fmt.percent(n))


def _rate_text(row: pd.Series, which: str, plan, lang: str) -> str:
    x = row[which]
    if _nan(x):
        return "—"
    if row["stock_flow"] == "flow":
        return value(plan, row["code"], x, lang)
    if str(row["unit"]) == "%":
        return fmt.pp(x, lang)
    return fmt.percent(x)


def note_text(plan, row: pd.Series, lang: str) -> str:
    parts = [reason_text(row, lang)]
    if row.get("from_pair"):
        ind = _ind(plan, row["code"])
        parts.append(t("progress.from_pair", lang, numerator=plan.measure_name(ind["numerator"], lang),
                       denominator=plan.measure_name(ind["denominator"], lang)))
    if row.get("reading"):
        parts.insert(0, t(f"reading.{row['reading']}", lang))
    return t("punct.clause_sep", lang).join(p for p in parts if p)


def progress_display(plan, table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The summary table: one row per target (two for a target of unclear kind)."""
    rows = []
    for _, r in table.iterrows():
        mc = r["milestone_completion"]
        rows.append({
            t("progress.col_target", lang): plan.indicator_name(r["code"], lang),
            t("progress.col_kind", lang): t(f"kind.{r['target_kind']}", lang),
            t("progress.col_base", lang): base_text(plan, r, lang),
            t("progress.col_goal", lang): target_value_text(plan, r, lang),
            t("progress.col_latest", lang): latest_text(plan, r, lang),
            t("progress.col_milestone", lang): "—" if _nan(mc) else fmt.percent(mc),
            t("progress.col_growth", lang): growth_text(plan, r, lang),
            t("progress.col_ratio", lang): fmt.ratio(r["ratio"]),
            t("progress.col_verdict", lang): verdict_text(plan, r, lang),
            t("progress.col_needed", lang): needed_text(plan, r, lang),
            t("progress.col_note", lang): note_text(plan, r, lang),
        })
    df = pd.DataFrame(rows)
    empty = [c for c in df.columns[2:] if df[c].isin(["—", ""]).all()]  # a column with nothing to say goes
    return df.drop(columns=empty)


def _item(plan, r: pd.Series, lang: str) -> str:
    name = plan.indicator_name(r["code"], lang)
    v = r["verdict"]
    code = r["code"]
    if v in ("not_assessable", "not_assessed", "no_area_target"):
        return t("progress.item_na", lang, name=name, verdict=verdict_label(v, lang), reason=reason_text(r, lang))
    val = value(plan, code, r["latest_value"], lang)
    target = target_value_text(plan, r, lang, with_year=False)
    y = int(r["latest_year"])
    if v in ("achieved", "not_achieved"):
        key = "progress.item_final_flow" if r["stock_flow"] == "flow" else "progress.item_final"
        return t(key, lang, name=name, verdict=verdict_text(plan, r, lang), year=y, value=val, target=target,
                 start=int(r["base_year"]) + 1)
    if v == "reached_early":
        return t("progress.item_early", lang, name=name, verdict=verdict_label(v, lang), year=y, value=val,
                 target=target, target_year=int(r["target_year"]))
    if r["stock_flow"] == "flow":
        return t("progress.item_pace_flow", lang, name=name, verdict=verdict_text(plan, r, lang),
                 start=int(r["base_year"]) + 1, year=y, value=val,
                 path=value(plan, code, r["cumulative_milestone"], lang),
                 needed=needed_text(plan, r, lang), target_year=int(r["target_year"]))
    common = dict(name=name, verdict=verdict_text(plan, r, lang), year=y, value=val, target=target,
                  actual=_rate_text(r, "actual_rate", plan, lang), required=_rate_text(r, "required_rate", plan, lang))
    if _nan(r["milestone_value"]):
        return t("progress.item_pace_nomilestone", lang, **common)
    return t("progress.item_pace", lang, milestone=value(plan, code, r["milestone_value"], lang),
             completion=fmt.percent(r["milestone_completion"]), **common)


def summary_items(plan, table: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per target: the verdict and the numbers it rests on."""
    out = []
    done = set()
    for _, r in table.iterrows():
        if r["reading"]:
            if r["code"] in done:
                continue
            done.add(r["code"])
            both = table[table["code"] == r["code"]].set_index("reading")
            out.append(t("progress.item_unclear", lang, name=plan.indicator_name(r["code"], lang),
                         reason=t("reason.kind_unclear", lang),
                         stock=verdict_text(plan, both.loc["stock"], lang),
                         flow=verdict_text(plan, both.loc["flow"], lang)))
            continue
        out.append(_item(plan, r, lang))
    return out


def _main(table: pd.DataFrame) -> pd.DataFrame:
    """One row per target: a target of unclear kind counts once, as not assessed."""
    m = table[table["reading"].isin(["", "stock"])].copy()
    m.loc[m["reading"] == "stock", "verdict"] = "not_assessed"
    return m


def conclusion(plan, table: pd.DataFrame, year: int, lang: str) -> str:
    """The report's conclusion in one paragraph: how many targets achieved (target year) or on
    track (before it), and which are behind."""
    m = _main(table)
    n = len(m)
    c = m["verdict"].value_counts().to_dict()
    early = c.get("reached_early", 0)
    na = c.get("not_assessable", 0) + c.get("not_assessed", 0) + c.get("no_area_target", 0)
    final = bool(m["final"].all()) if n else False
    if final:
        rest = t("progress.conclusion_rest", lang, early=early, na=na) if (early or na) else ""
        s = t("progress.conclusion_final", lang, year=year, n=n, achieved=c.get("achieved", 0),
              not_achieved=c.get("not_achieved", 0), rest=rest)
    else:
        rest = t("progress.conclusion_rest", lang, early=early, na=na) if (early or na) else ""
        s = t("progress.conclusion_pace", lang, year=year, n=n, on_track=c.get("on_track", 0),
              acceleration=c.get("acceleration_needed", 0),
              behind=c.get("limited_progress", 0) + c.get("deterioration", 0), rest=rest)
    behind = m[m["verdict"].isin(["not_achieved", "acceleration_needed", "limited_progress", "deterioration"])]
    if not behind.empty:
        s += t("progress.conclusion_behind", lang, names=t("punct.list_sep", lang).join(
            plan.indicator_name(cd, lang) for cd in behind["code"]))
    return s


def status_line(plan, table: pd.DataFrame, lang: str) -> str:
    """One line for the index: counts by verdict."""
    m = _main(table)
    parts = [t("progress.status_part", lang, label=verdict_label(v, lang), count=int(k))
             for v, k in m["verdict"].value_counts().items()]
    return t("progress.status_line", lang, n=len(m), parts=t("punct.list_sep", lang).join(parts))


def category_records(plan, table: pd.DataFrame, lang: str) -> list[dict]:
    """Each target's verdict for the index chips: code, name, category (the verdict code), label."""
    m = _main(table)
    return [{"code": r["code"], "name": plan.indicator_name(r["code"], lang), "category": r["verdict"],
             "label": verdict_text(plan, r, lang),
             "value": "" if _nan(r["latest_value"]) else value(plan, r["code"], r["latest_value"], lang)}
            for _, r in m.iterrows()]


def milestones_display(plan, mt: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The milestones and outturns of every target across the years built so far."""
    rows = []
    for _, r in mt.iterrows():
        code = r["code"]
        row = {t("milestones.col_target", lang): plan.indicator_name(code, lang),
               t("milestones.col_year", lang): int(r["year"]),
               t("milestones.col_milestone", lang): value(plan, code, r["milestone"], lang),
               t("milestones.col_outturn", lang): value(plan, code, r["outturn"], lang),
               t("milestones.col_completion", lang): fmt.percent(r["completion"]),
               t("milestones.col_met", lang): ("—" if r["met"] is None or _nan(r["met"]) else
                                              t("milestones.met" if r["met"] else "milestones.not_met", lang))}
        rows.append(row)
    return pd.DataFrame(rows)


def audit_display(plan, audit: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The consistency audit as a table (targets with a headline % and milestones)."""
    rows = []
    for _, a in audit.iterrows():
        code = a["indicator"]
        flow = a["kind"] == "flow"
        final = a["cumulative_subtarget"] if flow else a["final_subtarget"]
        rows.append({
            t("audit.col_target", lang): plan.indicator_name(code, lang),
            t("audit.col_headline", lang): fmt.percent(a["headline_growth"], 0),
            t("audit.col_final", lang): value(plan, code, final, lang),
            t("audit.col_stated", lang): "—" if _nan(a["stated_baseline"]) else value(plan, code, a["stated_baseline"], lang),
            t("audit.col_implied", lang): value(plan, code, a["implied_baseline"], lang),
            t("audit.col_reproduced", lang): fmt.percent(a["reproduced_growth"], 2),
            t("audit.col_path", lang): t("punct.list_sep", lang).join(fmt.percent(x) for x in a["path_growth"]),
        })
    return pd.DataFrame(rows)


def finding_texts(plan, findings: pd.DataFrame, lang: str) -> list[str]:
    """Each audit finding as a sentence, built from the plan's own rows."""
    out = []
    for _, f in findings.iterrows():
        code = f["indicator"]
        kind = f["finding"]
        if kind == "plan_note":
            note = f["note_zh"] if lang == "zh" else f["note_en"]
            s = t("audit.plan_note", lang, note=note, section=f["section"], wording=f["wording_zh"] or "")
            out.append(s)
            continue
        name = plan.indicator_name(code, lang)
        v = lambda x, c=code: value(plan, c, x, lang)  # noqa: E731
        base_year = "" if _nan(f["base_year"]) else int(f["base_year"])
        final_year = "" if _nan(f["final_year"]) else int(f["final_year"])
        common = dict(name=name, section=f["section"], headline=fmt.percent(f["headline"], 0), final_year=final_year,
                      base_year=base_year, final=v(f["final_milestone"]))
        path = t("punct.list_sep", lang).join(fmt.percent(float(x)) for x in str(f["path_growth"]).split(";")
                                             if x and x != "nan")
        if kind in ("headline_reproduced", "headline_not_reproduced"):
            s = t(f"audit.{kind}", lang, base=value(plan, code, f["base_stated"], lang),
                  reproduced=fmt.percent(f["reproduced_growth"], 2), related_section=f["related_section"],
                  gap=fmt.pp(float(f["gap_pp"]) * 100, lang), **common)
        elif kind == "base_implied":
            s = t("audit.base_implied", lang, implied=v(f["base_implied"]), required=fmt.percent(f["required_cagr"]),
                  **common)
        elif kind == "path_front_loaded":
            base = f["base_stated"] if not _nan(f["base_stated"]) else f["base_implied"]
            s = t("audit.path_front_loaded", lang, name=name, base=v(base), path=path, first_year=int(f["first_year"]),
                  share=fmt.percent(f["first_year_share"], 0), required=fmt.percent(f["required_cagr"]))
        elif kind in ("cumulative_stock_matches", "cumulative_stock_implied"):
            rel_name = f["related_name_zh"] if lang == "zh" else f["related_name_en"]
            rel = "—" if _nan(f["related_value"]) else fmt.quantity(f["related_value"], str(f["related_unit"]), lang)
            s = t(f"audit.{kind}", lang, total=v(f["total_milestones"]), terms=f["milestone_terms"],
                  implied=v(f["implied_stock"]), related_name=rel_name if isinstance(rel_name, str) else "",
                  related_section=f["related_section"] if isinstance(f["related_section"], str) else "",
                  related=rel, **common)
        elif kind == "target_not_final_milestone":
            s = t("audit.target_not_final_milestone", lang, name=name, section=f["section"], target=v(f["target_value"]),
                  final_year=final_year, final=v(f["final_milestone"]))
        elif kind == "milestones_fall":
            s = t("audit.milestones_fall", lang, name=name, section=f["section"], terms=f["milestone_terms"])
        else:
            continue
        out.append(s)
    return out


# --------------------------------------------------------------------------- one chart per target
def _axis_formatter(plan, code: str, unit: str, lang: str):
    def f(v: float) -> str:
        if str(unit) == "%":
            return f"{v:g}%"
        return fmt.quantity(v, unit, lang, "", digits=2)
    return f


def _points_text(plan, code, series: pd.Series, lang: str, unit: str | None = None) -> str:
    pts = [t("chart.point", lang, year=int(y), value=value(plan, code, v, lang, unit)) for y, v in series.items()]
    if len(pts) > 6:
        pts = pts[:2] + ["…"] + pts[-3:]
    return t("punct.list_sep", lang).join(pts)


# long: the stock, share and flow charts share their axes, path, target mark and alt text
def target_chart(plan, row: pd.Series, outturns: pd.Series, milestones: pd.Series, lang: str):
    """The chart of one target in its own unit, with its alt text: ``(figure, alt)``.

    A stock or a share: the outturn line from the base, the plan's path (base → milestones, dashed),
    the target (a star; a shaded range for "about"). A flow: bars per year against the yearly
    milestones, and the cumulative outturn against the cumulative milestone path.
    """
    import matplotlib.pyplot as plt

    from ..plotting import PALETTE, use_style, value_axis, year_axis
    use_style()
    code, unit = row["code"], str(row["unit"])
    name = plan.indicator_name(code, lang)
    ms = milestones.dropna().sort_index()
    obs = outturns.dropna().sort_index()
    formatter = _axis_formatter(plan, code, unit, lang)
    verdict = verdict_label(row["verdict"], lang)
    if row["stock_flow"] == "flow":
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.6, 3.4))
        years = sorted(set(ms.index) | set(obs.index))
        if len(ms):
            ax1.bar([y - 0.2 for y in ms.index], ms.to_numpy(), width=0.4, color="#BBBBBB", label=t("chart.milestone", lang))
        if len(obs):
            ax1.bar([y + 0.2 for y in obs.index], obs.to_numpy(), width=0.4, color=PALETTE[0],
                    label=t("chart.year_inflow", lang))
        year_axis(ax1, years or None)
        value_axis(ax1, formatter)
        ax1.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2)
        start = int(row["base_year"]) + 1
        if len(ms):
            path = ms.reindex(range(start, int(row["target_year"]) + 1)).fillna(0).cumsum()
            ax2.plot(path.index, path.to_numpy(), color="#888888", linestyle="--", marker="o", markersize=4,
                     label=t("chart.cumulative_path", lang))
        if len(obs):
            cum = obs.reindex(range(start, int(obs.index.max()) + 1)).fillna(0).cumsum()
            ax2.plot(cum.index, cum.to_numpy(), color=PALETTE[0], marker="o", linewidth=2, label=t("chart.cumulative", lang))
        if not _nan(row["target_value"]):
            ax2.scatter([int(row["target_year"])], [row["target_value"]], marker="*", s=160, color=PALETTE[3], zorder=5,
                        label=t("chart.target", lang, year=int(row["target_year"])))
        year_axis(ax2, list(range(start, int(row["target_year"]) + 1)))
        value_axis(ax2, formatter)
        ax2.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2)
        fig.suptitle(f"{name} · {verdict}", fontsize=10)
        alt = t("chart.alt_flow", lang, name=name, points=_points_text(plan, code, obs, lang),
                cumulative=value(plan, code, row["latest_value"], lang),
                path=value(plan, code, row["cumulative_milestone"], lang), verdict=verdict)
        return fig, alt
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    by = row["base_year"]
    path_x, path_y = [], []
    if not _nan(row["base_value"]) and not _nan(by) and row["target_kind"] != "relative":
        path_x.append(int(by))
        path_y.append(float(row["base_value"]))
    for y, v in ms.items():
        path_x.append(int(y))
        path_y.append(float(v))
    if len(path_x) > 1:
        ax.plot(path_x, path_y, color="#888888", linestyle="--", marker="o", markersize=4, label=t("chart.plan_path", lang))
    ox, oy = list(obs.index), list(obs.to_numpy())
    if row.get("base_source") in ("stated", "implied") and not _nan(by) and int(by) not in obs.index:
        ox, oy = [int(by)] + ox, [float(row["base_value"])] + oy
    if ox:
        ax.plot(ox, oy, color=PALETTE[0], marker="o", linewidth=2, label=t("chart.outturn", lang))
    ty = int(row["target_year"])
    if row["qualifier"] == "about" and not _nan(row["band_low"]) and not math.isinf(row["band_high"]):
        ax.axhspan(row["band_low"], row["band_high"], color=PALETTE[2], alpha=0.15, label=t("chart.band", lang))
    if not _nan(row["target_value"]) and row["target_kind"] != "relative":
        ax.scatter([ty], [row["target_value"]], marker="*", s=180, color=PALETTE[3], zorder=5,
                   label=t("chart.target", lang, year=ty))
    xs = sorted(set(path_x) | set(ox) | {ty})
    year_axis(ax, xs)
    value_axis(ax, formatter)
    ax.set_title(f"{name} · {verdict}", fontsize=10)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.08), ncols=3, fontsize=8)
    shown = pd.Series(oy, index=ox, dtype=float)  # the line as drawn: the stated or implied base first
    alt = t("chart.alt_stock", lang, name=name, points=_points_text(plan, code, shown, lang),
            target=target_value_text(plan, row, lang, with_year=False), target_year=ty, verdict=verdict)
    return fig, alt


def chart_caption(plan, row: pd.Series, lang: str) -> str:
    name = plan.indicator_name(row["code"], lang)
    if row["stock_flow"] == "flow":
        return t("chart.caption_flow", lang, name=name)
    if str(row["unit"]) == "%":
        return t("chart.caption_share", lang, name=name)
    return t("chart.caption_stock", lang, name=name, target_year=int(row["target_year"]), base=base_text(plan, row, lang))


def scope_items(plan, lang: str) -> list[str]:
    """What the plan is and which of its sections are in the plan folder (plan.toml)."""
    m = plan.meta
    out = [t("progress.scope_doc", lang, doc=m.get("document_number", ""), issuer=plan.text("issuer", lang),
             issued=m.get("issued", ""))]
    if m.get("official_url"):
        out.append(t("progress.scope_url", lang, url=m["official_url"]))
    out += [t("progress.scope_transcribed", lang, text=s) for s in m.get(f"transcribed_{lang}") or m.get("transcribed", [])]
    out += [t("progress.scope_not_transcribed", lang, text=s)
            for s in m.get(f"not_transcribed_{lang}") or m.get("not_transcribed", [])]
    out.append(t("progress.scope_folder", lang, folder=plan.values()["folder"]))
    return out


def table_prefix(plan) -> str:
    """File-name prefix of a plan's processed tables: none for the default plan, ``<plan-id>_`` otherwise."""
    from ..plan import DEFAULT_PLAN
    return "" if plan.id == DEFAULT_PLAN else f"{plan.id}_"
