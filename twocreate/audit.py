"""The plan's self-consistency, from its own rows: does each headline follow from its base and its
final milestone, which bases the text only implies, which yearly path the milestones draw, and on
which stock a cumulative % is taken.

Numbers and finding codes only; :mod:`twocreate.views.progress` words them. A finding that only
one plan can have (a sentence about one footnote) is plan data: ``audit_notes.csv`` in the plan
folder, shown with its section and wording.
"""
from __future__ import annotations

import math

import pandas as pd

from . import units
from .assess.rules import cagr
from .assess.specs import milestones_of, stated_base

CONSISTENT_PP = 0.005
"""A headline is reproduced when the growth recomputed from the stated base is within ±0.5 pp."""
FRONT_LOADED_SHARE = 0.5
"""A milestone path is front-loaded when its first year delivers more than half of the whole increase."""
STOCK_MATCH = 0.01
"""An implied base stock matches a stated one within ±1%."""

AUDIT_COLUMNS = ["indicator", "kind", "unit", "headline_growth", "final_subtarget", "related_value", "related_unit",
                 "stated_baseline", "implied_baseline", "reproduced_growth", "required_cagr", "path_growth",
                 "gap_pp", "cumulative_subtarget"]


def _related(plan, ind) -> tuple[float, str] | None:
    rb = ind.get("related_baseline")
    if rb is None or (isinstance(rb, float) and math.isnan(rb)):
        return None
    rows = plan.baseline[plan.baseline["code"] == rb]
    if rows.empty:
        return None
    return float(rows["value"].iloc[0]), str(rows["unit"].iloc[0])


def _yoy(levels: pd.Series) -> list[float]:
    s = levels.sort_index().astype(float)
    full = s.reindex(range(int(s.index.min()), int(s.index.max()) + 1))
    return [float(x) for x in (full / full.shift(1) - 1.0).reindex(s.index).dropna().to_numpy()]


def consistency_audit(plan) -> pd.DataFrame:
    """One row per target with a headline % and milestones (the audit table).

    Columns :data:`AUDIT_COLUMNS`: ``headline_growth`` (fraction), ``final_subtarget`` (the
    target year's milestone), ``stated_baseline`` (NaN where the plan states none),
    ``implied_baseline`` (stocks: final milestone ÷ (1 + headline); flows: Σ milestones ÷ headline,
    the base-year stock a cumulative % is taken on), ``reproduced_growth`` (from the stated base;
    for flows Σ milestones ÷ the related stated figure), ``gap_pp`` (reproduced − headline),
    ``required_cagr`` (stocks), ``path_growth`` (yearly growth of the milestone path from the base),
    ``related_value``/``related_unit`` (the figure ``related_baseline`` links to).
    """
    rows = []
    for _, ind in plan.indicators.iterrows():
        head = ind.get("headline_target_pct")
        st = milestones_of(plan, ind["code"])
        if head is None or pd.isna(head) or st.empty or str(ind["kind"]) not in ("stock", "flow"):
            continue
        g = float(head) / 100.0
        base_year = int(ind["base_year"]) if not pd.isna(ind["base_year"]) else int(plan.base_year)
        target_year = int(ind["target_year"])
        if target_year not in st.index:
            continue
        final = float(st.loc[target_year])
        rel = _related(plan, ind)
        row = {"indicator": ind["code"], "kind": ind["kind"], "unit": ind["unit"], "headline_growth": g,
               "final_subtarget": final, "related_value": rel[0] if rel else float("nan"),
               "related_unit": rel[1] if rel else None}
        if ind["kind"] == "stock":
            stated = stated_base(plan, ind)
            implied = final / (1.0 + g)
            base = stated if stated is not None else implied
            path = st.copy()
            path.loc[base_year] = base
            row.update(stated_baseline=float("nan") if stated is None else stated, implied_baseline=implied,
                       reproduced_growth=float("nan") if stated is None else final / stated - 1.0,
                       required_cagr=cagr(base, final, target_year - base_year), path_growth=_yoy(path))
        else:
            total = float(st.sum())
            rel_in_unit = float("nan")
            if rel:
                try:
                    rel_in_unit = units.convert(rel[0], rel[1], str(ind["unit"]))
                except ValueError:
                    pass
            row.update(stated_baseline=float("nan"), implied_baseline=total / g,
                       reproduced_growth=total / rel_in_unit if rel_in_unit == rel_in_unit else float("nan"),
                       required_cagr=float("nan"), path_growth=_yoy(st), cumulative_subtarget=total)
        row["gap_pp"] = row["reproduced_growth"] - g
        rows.append(row)
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


FINDING_COLUMNS = ["indicator", "finding", "section", "wording_zh", "headline", "final_year", "final_milestone",
                   "base_year", "base_stated", "base_implied", "reproduced_growth", "gap_pp", "required_cagr",
                   "first_year", "first_year_share", "path_growth", "total_milestones", "milestone_terms",
                   "implied_stock", "related_value", "related_unit", "related_name_zh", "related_name_en",
                   "related_section", "target_value", "note_zh", "note_en"]


# long: one short branch per kind of finding, kept together so that every kind is seen in one place
def findings(plan, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """The audit's findings, one row each (codes and numbers; words in the views).

    ``finding`` is one of: ``headline_reproduced`` / ``headline_not_reproduced`` (a stock whose plan
    states the base: the final milestone against base × (1 + headline)); ``base_implied`` (the plan
    states no base: the base the headline and final milestone imply, a derivation); ``path_front_loaded``
    (the first milestone year delivers more than :data:`FRONT_LOADED_SHARE` of the whole increase);
    ``cumulative_stock_matches`` / ``cumulative_stock_implied`` (a flow's cumulative %: the base-year
    stock it implies, and whether it is the stock the plan states elsewhere); ``target_not_final_milestone``
    (a stated target value that differs from the target year's milestone); ``milestones_fall`` (an
    "at least" path that goes down); ``plan_note`` (a row of the plan's ``audit_notes.csv``).
    """
    audit = consistency_audit(plan) if audit is None else audit
    out = []
    inds = plan.indicators.set_index("code")
    for _, a in audit.iterrows():
        ind = inds.loc[a["indicator"]]
        base_year = int(ind["base_year"]) if not pd.isna(ind["base_year"]) else int(plan.base_year)
        ty = int(ind["target_year"])
        st = milestones_of(plan, a["indicator"]).sort_index()
        common = {"indicator": a["indicator"], "section": ind["section"], "wording_zh": ind["wording_zh"],
                  "headline": a["headline_growth"], "final_year": ty, "final_milestone": a["final_subtarget"],
                  "base_year": base_year, "path_growth": ";".join(f"{x:.6f}" for x in a["path_growth"])}
        if a["kind"] == "stock":
            stated = not math.isnan(a["stated_baseline"])
            if stated:
                ok = abs(a["gap_pp"]) < CONSISTENT_PP
                out.append({**common, "finding": "headline_reproduced" if ok else "headline_not_reproduced",
                            "base_stated": a["stated_baseline"], "base_implied": a["implied_baseline"],
                            "reproduced_growth": a["reproduced_growth"], "gap_pp": a["gap_pp"],
                            "required_cagr": a["required_cagr"], **_related_cols(plan, ind)})
            else:
                out.append({**common, "finding": "base_implied", "base_implied": a["implied_baseline"],
                            "required_cagr": a["required_cagr"]})
            base = a["stated_baseline"] if stated else a["implied_baseline"]
            first = int(st.index.min())
            increase = a["final_subtarget"] - base
            if len(st) >= 2 and increase > 0:
                share = (float(st.loc[first]) - base) / increase
                if share > FRONT_LOADED_SHARE:
                    out.append({**common, "finding": "path_front_loaded", "first_year": first,
                                "first_year_share": share, "required_cagr": a["required_cagr"],
                                "base_stated": a["stated_baseline"], "base_implied": a["implied_baseline"]})
        else:
            terms = " + ".join(_num(x) for x in st.to_numpy())
            rel = _related_cols(plan, ind)
            stock = a["implied_baseline"]
            rel_u = float("nan")
            if rel.get("related_value") is not None and not math.isnan(rel.get("related_value", float("nan"))):
                try:
                    rel_u = units.convert(rel["related_value"], rel["related_unit"], str(ind["unit"]))
                except ValueError:
                    rel_u = float("nan")
            match = rel_u == rel_u and abs(stock - rel_u) <= STOCK_MATCH * rel_u
            out.append({**common, "finding": "cumulative_stock_matches" if match else "cumulative_stock_implied",
                        "total_milestones": a["cumulative_subtarget"], "milestone_terms": terms,
                        "implied_stock": stock, "reproduced_growth": a["reproduced_growth"], **rel})
    for _, ind in plan.indicators.iterrows():
        st = milestones_of(plan, ind["code"]).sort_index()
        if st.empty:
            continue
        ty = int(ind["target_year"])
        tv = ind.get("target_value")
        if tv is not None and not pd.isna(tv) and ty in st.index and str(ind["kind"]) == "stock" \
                and abs(float(st.loc[ty]) - float(tv)) > 1e-9 * max(1.0, abs(float(tv))):
            out.append({"indicator": ind["code"], "finding": "target_not_final_milestone", "section": ind["section"],
                        "wording_zh": ind["wording_zh"], "final_year": ty, "final_milestone": float(st.loc[ty]),
                        "target_value": float(tv)})
        if str(ind["kind"]) == "stock" and str(ind["qualifier"]) in ("at_least", "strive") and \
                (st.diff().dropna() < 0).any():
            out.append({"indicator": ind["code"], "finding": "milestones_fall", "section": ind["section"],
                        "wording_zh": ind["wording_zh"], "milestone_terms": " → ".join(_num(x) for x in st)})
    for _, n in plan.audit_notes.iterrows():
        out.append({"indicator": n["indicator"], "finding": "plan_note", "section": n["section"],
                    "wording_zh": n["wording_zh"], "note_zh": n["note_zh"], "note_en": n["note_en"]})
    return pd.DataFrame(out, columns=FINDING_COLUMNS)


def _related_cols(plan, ind) -> dict:
    rb = ind.get("related_baseline")
    if rb is None or (isinstance(rb, float) and math.isnan(rb)):
        return {}
    rows = plan.baseline[plan.baseline["code"] == rb]
    if rows.empty:
        return {}
    r = rows.iloc[0]
    return {"related_value": float(r["value"]), "related_unit": str(r["unit"]), "related_name_zh": r["name_zh"],
            "related_name_en": r["name_en"], "related_section": r["section"]}


def _num(x: float) -> str:
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.1f}"
