"""Tables, charts and sentences of the district reports (comparison and profiles), in one language.

Functions here only relabel, format (:mod:`twocreate.fmt`) and draw; every number comes from
:mod:`twocreate.districts` and every verdict from :func:`twocreate.assess.assess`. Words come from the
catalogs (``[districts]`` of ``twocreate/i18n/*.toml``); what one plan says (names of its areas,
the roles' labels, the section that names them, the source of the context figures) from its plan
folder. Every table column has one unit and one magnitude (:func:`twocreate.fmt.column`); charts are in
:mod:`twocreate.views.district_charts`.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import districts as D
from .. import fmt, units
from ..district_checks import issue_text
from ..i18n import t
from .common import verdict_label

BEHIND = ("not_achieved", "acceleration_needed", "limited_progress", "deterioration")
MET = ("achieved", "reached_early", "on_track")
ALT_MAX = 300


def _nan(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def _sep(lang: str) -> str:
    return t("punct.list_sep", lang)


def _join(items, lang: str) -> str:
    return _sep(lang).join(str(i) for i in items)


def _and(items, lang: str) -> str:
    """A list of names, the last joined with "and" in English (``A、B、C`` / ``A, B and C``)."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return _sep(lang).join(items[:-1]) + t("districts.list_last", lang) + items[-1]


def _unit_en(plan, code: str) -> str:
    v = plan.indicator(code).get("unit_en")
    return "" if _nan(v) else str(v)


def _span(key: str, lang: str, start: int, end: int, **values) -> str:
    """A catalog text over the years ``start``–``end`` (``2016—2018年累计``); a single year takes the
    key's ``_one`` variant (``2016年新增``, never ``2016—2016年累计``)."""
    if int(start) == int(end):
        return t(f"{key}_one", lang, year=int(end), **values)
    return t(key, lang, start=int(start), end=int(end), **values)


def _rank(r) -> str:
    return "—" if _nan(r) else str(int(r))


def _cut(text: str, n: int = ALT_MAX) -> str:
    """``text`` in at most ``n`` characters: cut at a word, never inside a bracket it opens."""
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    for o, c in ("()", t("punct.paren", "zh", text="")):
        while cut.count(o) > cut.count(c):
            cut = cut[: cut.rindex(o)]
    return cut.rstrip(" ,;" + t("punct.list_sep", "zh") + t("punct.clause_sep", "zh")) + "…"


# --------------------------------------------------------------------------- words from plan data
def role_label(plan, role: str, lang: str) -> str:
    """A role's label: the plan's (``role_<role>_zh`` / ``_en`` of ``plan.toml``), else the catalog's."""
    own = str(plan.meta.get(f"role_{role}_{lang}", "") or "")
    if own:
        return own
    key = f"districts.role_{role}"
    from ..i18n import has
    return t(key, lang) if has(key, lang) else str(role)


group_label = role_label


def role_cell(plan, role: str, lang: str) -> str:
    """A role's label as a table cell or legend entry (English capitalised: "Core demonstration areas")."""
    return cap(role_label(plan, role, lang))


def cap(text: str) -> str:
    """The first letter upper-cased (a label that begins a cell or a title); Chinese unchanged."""
    return text[:1].upper() + text[1:] if text else text


def area_names(plan, codes, lang: str) -> str:
    """Area names in ``lang``, joined with the language's list separator (、 / , )."""
    nm = D.names(plan, lang)
    return _and([nm.get(c, c) for c in codes], lang)


def role_members(plan, role: str) -> list[str]:
    """Codes of the areas the plan's text names in ``role``: rows whose Chinese name appears in their
    own quoted wording (all rows of the role when none does), as current codes."""
    a = plan.areas[plan.areas["role"] == role]
    named = [str(r["area_code"]) for _, r in a.iterrows()
             if isinstance(r["wording_zh"], str) and str(r["name_zh"]) in r["wording_zh"]]
    codes = named or a["area_code"].astype(str).tolist()
    return codes


def role_names(plan, role: str, lang: str = "zh") -> str:
    """The areas the plan names in ``role``, as its text names them (former names included), in
    ``lang`` (English names on English pages)."""
    return area_names(plan, role_members(plan, role), lang)


def role_section(plan, role: str) -> str:
    """The plan section that names the areas of ``role`` (``section`` of ``areas.csv``), or ``""``."""
    s = plan.areas.loc[plan.areas["role"] == role, "section"].dropna()
    return str(s.iloc[0]) if len(s) else ""


def role_text(plan, area: str, lang: str) -> str:
    """Where the plan puts one area (its role and the section that names it), or that the plan does not
    name it and which group the report counts it in."""
    a = plan.areas[plan.areas["area_code"].astype(str) == str(area)]
    role = str(a["role"].iloc[0]) if len(a) else "other"
    section = a["section"].iloc[0] if len(a) else None
    name = plan.area_name(area, lang)
    if role != "other" and isinstance(section, str) and section:
        return t("districts.role_in_section", lang, name=name, section=section, group=role_label(plan, role, lang))
    return t("districts.role_not_named", lang, name=name, group=role_label(plan, role, lang))


def zone_name(plan, lang: str = "zh") -> str:
    """Name of the plan's functional zone, or "" if it has none."""
    codes = D.zone_codes(plan)
    return plan.area_name(codes[0], lang) if codes else ""


def norm_label(plan, how: str, lang: str) -> str:
    """What a normalisation divides by, with the context year."""
    return t(f"districts.norm_{how}", lang, year=D.context_year(plan))


def zone_policy(zone: str, lang: str) -> str:
    return t(f"districts.zone_{zone}", lang)


def zone_note(plan, zone: str, lang: str, context: pd.DataFrame | None = None) -> str:
    """The functional zones: what they are, where they lie (``within`` of ``areas.csv``), how the
    report treats their figures (``zone``), and whether the context table has a row for them."""
    out = []
    n = len(D.district_codes(plan, include_zone=False))
    for code in D.zone_codes(plan):
        name = plan.area_name(code, lang)
        hosts = D.zone_hosts(plan, code)
        s = t("districts.zone_what_within" if hosts else "districts.zone_what", lang, zone=name,
              hosts=area_names(plan, hosts, lang))
        s += t(f"districts.zone_policy_{zone}", lang, zone=name, n=n)
        if context is not None and code not in context.index:
            s += t("districts.zone_no_context", lang, zone=name, year=D.context_year(plan))
        out.append(s)
    return "".join(out)


def change_sentences(plan, lang: str) -> list[str]:
    """The administrative changes of ``areas.csv``, one sentence each."""
    out = []
    for c in D.changes(plan):
        out.append(t("districts.change", lang, old=plan.area_name(c["code"], lang), old_code=c["code"],
                     new=plan.area_name(c["successor"], lang), new_code=c["successor"], year=c["year"]))
    return out


def base_year_notes(plan, comparison: pd.DataFrame, lang: str) -> list[str]:
    """Stock indicators whose comparison base is not the plan's base year (a district lacks it), from
    the comparison itself: ``…的区县数据不全部始于2015年，以2016年为基年``."""
    st = comparison[comparison["kind"] == "stock"].drop_duplicates("indicator")
    out = []
    for by, g in st.groupby("base_year", sort=True):
        if int(by) == int(plan.base_year):
            continue
        out.append(t("districts.base_later", lang, names=_and([plan.indicator_name(c, lang) for c in g["indicator"]],
                                                                    lang), base=plan.base_year, year=int(by)))
    return out


def context_source(plan, lang: str, path=None) -> str:
    """The context table's source: the plan's ``district_context_source_<lang>`` for its default file,
    else the file's name."""
    default = D.context_path(plan)
    own = str(plan.meta.get(f"district_context_source_{lang}", "") or "")
    from pathlib import Path
    if own and (path is None or (default is not None and Path(path).resolve() == default.resolve())):
        return own
    return Path(path).name if path is not None else (default.name if default is not None else "—")


def targets_source(targets: pd.DataFrame | None, path, lang: str) -> str:
    """Where the district targets come from: the file, its status and its own ``source`` text."""
    from pathlib import Path
    if targets is None or targets.empty:
        return "—"
    status = _join(sorted(t(f"status.{s}", lang) for s in set(targets["status"].dropna()) if s), lang)
    texts = [s for s in sorted(set(targets["source"].dropna().astype(str))) if _in_language(s, lang)]
    out = t("districts.targets_source", lang, file=Path(path).name if path is not None else "—", status=status or "—")
    return out + (t("districts.targets_source_text", lang, source=_join(texts, lang)) if texts else "")


def _in_language(text: str, lang: str) -> bool:
    """Whether a data text reads in ``lang``: a Chinese page shows only text written in Chinese (more
    Han characters than Latin letters); an English page any text (Chinese words in it are quoted)."""
    import re
    if lang != "zh":
        return True
    return len(re.findall(r"[\u4e00-\u9fff]", text)) > len(re.findall(r"[A-Za-z]", text))


def roles_named(plan) -> list[str]:
    """The roles the plan gives its districts, without "other" (areas it does not name)."""
    return [r for r in D.roles(plan) if r != "other"]


def roles_text(plan, lang: str) -> str:
    """Each named role (its label from the plan) with the areas the plan names in it, one clause each."""
    return t("punct.clause_sep", lang).join(t("districts.role_members", lang, label=role_label(plan, r, lang),
                                              names=role_names(plan, r, lang)) for r in roles_named(plan))


def title(plan, year: int, lang: str) -> str:
    """The comparison's title: the plan's named roles compared (their labels from the plan)."""
    roles = roles_named(plan)
    if len(roles) >= 2:
        return cap(t("districts.title", lang, roles=t("districts.and", lang).join(role_label(plan, r, lang)
                                                                                 for r in roles), year=year))
    return t("districts.title_areas", lang, year=year)


def statuses_text(frame: pd.DataFrame, lang: str) -> str:
    """The statuses of the rows used (``示例`` / ``illustrative``), joined."""
    if frame is None or frame.empty or "status" not in frame:
        return "—"
    return _join(sorted(t(f"status.{s}", lang) for s in set(frame["status"].dropna()) if s), lang) or "—"


# --------------------------------------------------------------------------- normalised values
def _head_unit(unit: str) -> str:
    """The unit that counts one by one for ``unit`` (10,000 person-times → person-times; 10,000 yuan →
    yuan), from the units table; the unit itself when there is none."""
    table = units.table()
    u = table.get(str(unit))
    if u is None:
        return str(unit)
    for name, v in table.items():
        if v.dimension == u.dimension and v.en == u.en and abs(v.factor - 1e-4) < 1e-12:
            return name
    return str(unit)


def _per_kind(unit: str, how: str) -> str:
    dim = units.dimension(str(unit))
    if how == "population":
        return "money_person" if dim == "money" else "10k_people"
    if how == "area":
        return "money_km2" if dim == "money" else "km2"
    return "money_budget" if dim == "money" else "budget"


def normalised_column(plan, values, indicator: str, how: str, lang: str, short: bool = False) -> list[str]:
    """Normalised values of one indicator as the column shows them: money per person in yuan,
    persons per 10,000 people as heads, counts per 10,000 people in their unit (and per km² or per
    100 million yuan of budget revenue); at the precision :func:`twocreate.districts.rank` ranks.
    ``short``: the header says what the values are per (:func:`normalised_header`), so an English cell
    gives the number and its unit only."""
    unit = str(plan.indicator(indicator)["unit"])
    if how == "none":
        return fmt.column(values, unit, lang, _unit_en(plan, indicator))
    scale = D.normalised_scale(unit, how)
    vals = [math.nan if _nan(v) else float(v) * scale for v in values]
    nums = fmt.column(vals, None, lang)
    kind = _per_kind(unit, how)
    shown = _head_unit(unit) if (how == "population" and units.dimension(unit) != "count") or \
        units.dimension(unit) == "persons" else unit
    u = shown if lang == "zh" else (units.english(shown) or _unit_en(plan, indicator))
    if lang == "en" and kind.startswith("money") and how != "population":  # 万元 per km² → yuan per km²
        nums = fmt.column([v * units.table()[unit].factor * 1e4 if not _nan(v) else v for v in vals], None, lang)
    key = f"districts.per_short_{kind}" if short else f"districts.per_{kind}"
    return [n if n == "—" else t(key, lang, value=n, unit=u).strip() for n in nums]


def normalised_header(plan, indicator: str | None, how: str, lang: str) -> str:
    """The header of a normalised column: what the values are per (one indicator), or what they
    are normalised by (several indicators, each cell with its unit)."""
    if indicator is None:
        return t("districts.col_normalised", lang, by=norm_label(plan, how, lang))
    kind = _per_kind(str(plan.indicator(indicator)["unit"]), how)
    return t(f"districts.col_per_{kind}", lang, year=D.context_year(plan))


# --------------------------------------------------------------------------- tables
def indicator_table(plan, comparison: pd.DataFrame, indicator: str, lang: str) -> pd.DataFrame:
    """One indicator, one row per district: level (the cumulative inflow for a flow), base level and
    growth since the comparison base year, contribution to the city's growth, share of the city,
    rank, and the normalised level with its rank."""
    c = comparison[comparison["indicator"] == indicator]
    if c.empty:
        return pd.DataFrame()
    nm = D.names(plan, lang)
    unit, kind, how = str(c["unit"].iloc[0]), c["kind"].iloc[0], c["normalise"].iloc[0]
    year, by = int(c["year"].iloc[0]), int(c["base_year"].iloc[0])
    ue = _unit_en(plan, indicator)
    flow = kind == "flow"
    out = {t("districts.col_district", lang): [nm.get(a, a) for a in c["area_code"]],
           t("districts.col_group", lang): [role_cell(plan, r, lang) for r in c["role"]]}
    if flow:
        out[_span("districts.col_cumulative", lang, by + 1, year)] = fmt.column(c["value"], unit, lang, ue)
    else:
        both = fmt.column(list(c["base_value"]) + list(c["value"]), unit, lang, ue)
        out[t("districts.col_year", lang, year=by)] = both[:len(c)]
        out[t("districts.col_year", lang, year=year)] = both[len(c):]
        out[t("districts.col_growth", lang, year=by)] = [fmt.percent(g) for g in c["growth"]]
        out[t("districts.col_contribution", lang)] = [fmt.points(x / 100, 1, lang) if not _nan(x) else "—"
                                                       for x in c["contribution_pp"]]
    out[t("districts.col_share", lang)] = [fmt.percent(s) if i else "—" for s, i in zip(c["share"], c["in_sum"])]
    out[t("districts.col_rank", lang)] = [_rank(r) for r in c["rank"]]
    if how != "none":
        out[normalised_header(plan, indicator, how, lang)] = normalised_column(plan, c["normalised"], indicator,
                                                                               how, lang, short=True)
        out[t("districts.col_rank_normalised", lang)] = [_rank(r) for r in c["rank_normalised"]]
    return pd.DataFrame(out)


def group_table(plan, groups: pd.DataFrame, year: int, lang: str, how: str) -> pd.DataFrame:
    """Group aggregates in ``year``: the year's level (a flow: the year's inflow), its share of the
    city, the growth index (stocks) or the running total (flows), and the normalised figure."""
    g = groups[groups["year"] == int(year)]
    parts = []
    for ind, gi in g.groupby("indicator", sort=False):
        unit, ue = str(plan.indicator(ind)["unit"]), _unit_en(plan, ind)
        flow = gi["kind"].iloc[0] == "flow"
        by = int(gi["base_year"].iloc[0])
        parts.append(pd.DataFrame({
            t("districts.col_indicator", lang): plan.indicator_name(ind, lang),
            t("districts.col_group", lang): [role_cell(plan, r, lang) for r in gi["group"]],
            t("districts.col_year", lang, year=year): fmt.column(gi["value"], unit, lang, ue),
            t("districts.col_share_year", lang, year=year): [fmt.percent(s) for s in gi["share"]],
            t("districts.col_index", lang): ["—" if flow or _nan(x) else t("districts.index_value", lang,
                                              value=fmt.number(x, 1), year=by) for x in gi["index"]],
            t("districts.col_running", lang, start=plan.base_year + 1): (
                fmt.column(gi["cumulative"], unit, lang, ue) if flow else ["—"] * len(gi)),
            normalised_header(plan, None, how, lang): (normalised_column(plan, gi["normalised"], ind, how, lang)
                                                       if how != "none" else ["—"] * len(gi)),
        }))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def registry_table(plan, lang: str, context: pd.DataFrame) -> pd.DataFrame:
    """The districts compared: name, code, role, former codes, and the context figures."""
    reg = D.registry(plan, context)
    live = reg[(reg["role"] != "city") & reg["is_current"]]
    nm = D.names(plan, lang)
    cy = D.context_year(plan)

    def ctx(col):
        return [context.at[c, col] if c in context.index else math.nan for c in live["area_code"]]
    former = []
    for c in live["area_code"]:
        olds = reg.loc[(reg["current_code"] == c) & (reg["area_code"] != c), "area_code"]
        former.append(t("punct.clause_sep", lang).join(t("districts.former", lang, code=o, name=nm.get(o, o))
                                                         for o in olds) or "—")
    out = {t("districts.col_district", lang): [nm.get(c, c) for c in live["area_code"]],
           t("districts.col_code", lang): live["area_code"].tolist(),
           t("districts.col_group", lang): [role_cell(plan, r, lang) for r in live["role"]],
           t("districts.col_former", lang): former}
    if len(context):
        out[t("districts.col_population", lang, year=cy)] = fmt.column(ctx("population_10k"), _population_unit(), lang)
        out[t("districts.col_area", lang)] = fmt.column(ctx("area_km2"), None, lang)
        out[t("districts.col_budget", lang, year=cy)] = fmt.column(ctx("budget_revenue_10k_yuan"), _money_unit(), lang)
    return pd.DataFrame(out)


def _population_unit() -> str:
    """The units-table unit of the context's population column (10,000 persons)."""
    return next(n for n, u in units.table().items() if u.dimension == "persons" and u.factor == 1 and u.en == "persons")


def _money_unit() -> str:
    """The units-table unit of the context's money columns (10,000 yuan, the reference unit of money)."""
    return next(n for n, u in units.table().items() if u.dimension == "money" and u.factor == 1)


def gaps_table(plan, gaps: pd.DataFrame, indicator: str, lang: str) -> pd.DataFrame:
    """One indicator's district targets: outturn, target, completion, gap and verdict of each district
    (the engine's verdict; in the target year achieved or not, before it the pace, with R beside)."""
    g = gaps[gaps["indicator"] == indicator]
    if g.empty:
        return pd.DataFrame()
    nm = D.names(plan, lang)
    unit, ue = str(plan.indicator(indicator)["unit"]), _unit_en(plan, indicator)
    flow = g["kind"].iloc[0] == "flow"
    ly, ty = int(g["latest_year"].max()), int(g["target_year"].max())
    by = plan.base_year
    vals = fmt.column(list(g["value"]) + list(g["target_value"]), unit, lang, ue)
    gap_shown = [x if x > 0 else math.nan for x in g["gap"]]
    gaps_txt = fmt.column(gap_shown, unit, lang, ue)
    return pd.DataFrame({
        t("districts.col_district", lang): [nm.get(a, a) for a in g["area_code"]],
        (_span("districts.col_cumulative", lang, by + 1, ly) if flow else
         t("districts.col_outturn_year", lang, year=ly)): vals[:len(g)],
        (t("districts.col_target_cumulative", lang, start=by + 1, end=ty) if flow else
         t("districts.col_target_year", lang, year=ty)): vals[len(g):],
        t("districts.col_completion", lang): [fmt.percent(x) for x in g["achievement"]],
        t("districts.col_gap", lang): [s if x > 0 else t("districts.reached", lang) for s, x in zip(gaps_txt, g["gap"])],
        t("districts.col_verdict", lang): [verdict_cell(r, lang) for _, r in g.iterrows()],
        t("districts.col_ratio", lang): [fmt.ratio(x) for x in g["ratio"]],
    })


def verdict_cell(r: pd.Series, lang: str) -> str:
    """A verdict with its reason where it has one (``无法评估（只有基年数据）``)."""
    v = verdict_label(r["verdict"], lang)
    reason = r.get("reason")
    if isinstance(reason, str) and reason:
        v += t("punct.paren", lang, text=t(f"reason.{reason}", lang, years=""))
    return v


def verdict_detail(plan, r: pd.Series, lang: str) -> str:
    """The verdict with the numbers it rests on: ``未实现目标（完成99.3%，差10亿元）``, ``需加快（R = 0.79）``."""
    v = r["verdict"]
    unit, ue = str(r["unit"]), _unit_en(plan, r["indicator"])
    if v == "achieved":
        return t("verdict_detail.achieved", lang, completion=fmt.percent(r["achievement"]))
    if v == "not_achieved":
        return t("verdict_detail.not_achieved", lang, completion=fmt.percent(r["achievement"]),
                 gap=fmt.quantity(r["gap"], unit, lang, ue))
    if v in D_PACE and not _nan(r["ratio"]):
        return t("verdict_detail.pace", lang, verdict=verdict_label(v, lang), ratio=fmt.ratio(r["ratio"]))
    return verdict_cell(r, lang)


D_PACE = ("on_track", "acceleration_needed", "limited_progress", "deterioration")


def district_gaps_table(plan, gaps: pd.DataFrame, area_code: str, lang: str) -> pd.DataFrame:
    """One district's own targets, one row per indicator: outturn, target and verdict."""
    g = gaps[gaps["area_code"] == str(area_code)]
    rows = []
    for _, r in g.iterrows():
        unit, ue = str(r["unit"]), _unit_en(plan, r["indicator"])
        flow = r["kind"] == "flow"
        val, tgt = fmt.column([r["value"], r["target_value"]], unit, lang, ue)
        ly, ty = int(r["latest_year"]), int(r["target_year"])
        rows.append({
            t("districts.col_indicator", lang): plan.indicator_name(r["indicator"], lang),
            t("districts.col_outturn", lang): (_span("districts.cumulative_value", lang, plan.base_year + 1, ly, value=val)
                                               if flow else t("districts.year_value", lang, value=val, year=ly)),
            t("districts.col_target", lang): (_span("districts.cumulative_value", lang, plan.base_year + 1, ty, value=tgt)
                                              if flow else t("districts.year_value", lang, value=tgt, year=ty)),
            t("districts.col_verdict", lang): verdict_detail(plan, r, lang),
        })
    return pd.DataFrame(rows)


def city_pace_table(plan, city_table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For a district without targets of its own: each indicator with "no target for this area", and
    the city's verdict beside it, labelled as the city's (context, never the district's verdict)."""
    from .progress import verdict_text
    rows = []
    for _, r in city_table.iterrows():
        rows.append({t("districts.col_indicator", lang): plan.indicator_name(r["code"], lang),
                     t("districts.col_verdict", lang): verdict_label("no_area_target", lang),
                     t("districts.col_city_pace", lang, city=plan.text("city", lang)):
                         verdict_text(plan, r, lang)})
    return pd.DataFrame(rows)


def issues_list(plan, issues: list, lang: str) -> list[str]:
    """The warnings of :func:`twocreate.district_checks.check_districts` as sentences in ``lang``."""
    return [issue_text(plan, i, lang) for i in issues]


# --------------------------------------------------------------------------- sentences
def _leader(c: pd.DataFrame, col: str):
    c = c.dropna(subset=[col])
    if c.empty:
        return None
    top = c[col].max()
    return c[c[col] == top]


def _rank1(c: pd.DataFrame, col: str) -> list[str]:
    """Codes ranked first on ``col`` (``rank`` or ``rank_normalised``): ties share it."""
    c = c[c[col].notna()]
    return c.loc[c[col] == 1, "area_code"].tolist() if len(c) else []


def summary_items(plan, comparison: pd.DataFrame, groups: pd.DataFrame, gaps: pd.DataFrame | None,
                  lang: str) -> list[str]:
    """One sentence per indicator: who leads (in total and normalised), who drove the city's change,
    the groups' indices, and which districts are behind their own targets."""
    out = []
    nm = D.names(plan, lang)
    for ind in dict.fromkeys(comparison["indicator"]):
        c = comparison[(comparison["indicator"] == ind) & comparison["in_sum"]]
        unit, ue = str(c["unit"].iloc[0]), _unit_en(plan, ind)
        year, by, how = int(c["year"].iloc[0]), int(c["base_year"].iloc[0]), c["normalise"].iloc[0]
        name = plan.indicator_name(ind, lang)
        firsts = _rank1(c, "rank")
        col = fmt.column(c["value"], unit, lang, ue)
        shown = dict(zip(c["area_code"], col))
        lead = t("districts.item_lead", lang, names=area_names(plan, firsts, lang),
                 value=shown.get(firsts[0], "—") if firsts else "—")
        parts = [lead]
        if how != "none":
            nf = _rank1(c, "rank_normalised")
            if nf:
                ncol = dict(zip(c["area_code"], normalised_column(plan, c["normalised"], ind, how, lang)))
                parts.append(t("districts.item_lead_normalised", lang, names=area_names(plan, nf, lang),
                               value=ncol[nf[0]]))
        if c["kind"].iloc[0] == "flow":
            head = _span("districts.item_head_flow", lang, by + 1, year, name=name)
        else:
            head = t("districts.item_head_stock", lang, name=name, year=year)
            total = c["contribution_pp"].sum(min_count=1)
            if not _nan(total):
                top = _leader(c, "contribution_pp")
                parts.append(t("districts.item_growth", lang, base=by, year=year, growth=fmt.percent(total / 100),
                               names=area_names(plan, top["area_code"], lang),
                               points=fmt.points(top["contribution_pp"].iloc[0] / 100, 1, lang)))
            gi = groups[(groups["indicator"] == ind) & (groups["year"] == year)].set_index("group")
            if {"core", "radiating"} <= set(gi.index) and by < year:
                parts.append(t("districts.item_groups", lang, core=role_label(plan, "core", lang),
                               core_index=fmt.number(gi.loc["core", "index"], 1),
                               radiating=role_label(plan, "radiating", lang),
                               radiating_index=fmt.number(gi.loc["radiating", "index"], 1), base=by))
        if gaps is not None and len(gaps):
            g = gaps[gaps["indicator"] == ind]
            behind = g[g["verdict"].isin(BEHIND)]
            na = g[~g["verdict"].isin(BEHIND + MET)]
            if len(g):
                final = bool((g["target_year"] <= year).all())
                tail = "" if final else "_pace"
                if len(behind):
                    key = "districts.item_targets_all_behind" if len(behind) == len(g) else "districts.item_targets_behind"
                    parts.append(t(key + tail, lang, n=len(behind), total=len(g),
                                   names=_and([nm.get(a, a) for a in behind["area_code"]], lang)))
                if len(na):
                    reasons = _join(sorted({verdict_cell(r, lang) for _, r in na.iterrows()}), lang)
                    parts.append(t("districts.item_targets_na", lang, n=len(na), total=len(g), verdict=reasons))
                if not len(behind) and not len(na):
                    parts.append(t("districts.item_targets_met" + tail, lang, total=len(g)))
        out.append(head + t("punct.clause_sep", lang).join(parts) + t("districts.full_stop", lang))
    return out


def verdict_counts(gaps: pd.DataFrame, lang: str) -> str:
    """How many district targets have each verdict (``已实现17项、未实现27项`` / ``17 achieved, 27 not achieved``)."""
    counts = gaps["verdict"].value_counts()
    order = [v for v in ("achieved", "not_achieved", "reached_early", "on_track", "acceleration_needed",
                         "limited_progress", "deterioration", "not_assessable", "not_assessed") if counts.get(v, 0)]
    return _join([t(f"districts.count_{v}", lang, count=int(counts[v])) for v in order], lang)


def conclusion(plan, comparison: pd.DataFrame, gaps: pd.DataFrame | None, year: int, lang: str,
               targets_given: bool) -> str:
    """The comparison's conclusion in one paragraph: which districts lead, and which are behind their
    own targets (achieved or not in the target year, the pace before it)."""
    nm = D.names(plan, lang)
    c = comparison[comparison["in_sum"]]
    firsts: dict[str, list[str]] = {}
    for ind in dict.fromkeys(c["indicator"]):
        for a in _rank1(c[c["indicator"] == ind], "rank"):
            firsts.setdefault(a, []).append(plan.indicator_name(ind, lang))
    leads = t("punct.clause_sep", lang).join(t("districts.lead_one", lang, name=nm.get(a, a), indicators=_and(i, lang))
                                              for a, i in firsts.items())
    s = t("districts.conclusion_leads", lang, year=year, n=c["area_code"].nunique(), leads=leads)
    if gaps is None or gaps.empty:
        return s + t("districts.conclusion_no_targets" if targets_given else "districts.conclusion_no_targets_file", lang)
    final = bool((gaps["target_year"] <= year).all())
    s += t("districts.conclusion_final" if final else "districts.conclusion_pace", lang, year=int(gaps["target_year"].max()),
           n=len(gaps), parts=verdict_counts(gaps, lang))
    by_area = gaps.groupby("area_code", sort=False)["verdict"]
    behind = by_area.apply(lambda v: int(v.isin(BEHIND).sum()))
    ok = by_area.apply(lambda v: bool(v.isin(MET).all()))
    if ok.any():
        s += t("districts.conclusion_all_met" if final else "districts.conclusion_all_on_track", lang,
               names=_and([nm.get(a, a) for a in ok[ok].index], lang))
    if (behind > 0).any():
        s += t("districts.conclusion_behind" if final else "districts.conclusion_behind_pace", lang, names=_and(
            [t("districts.area_count", lang, name=nm.get(a, a), count=int(k)) for a, k in behind[behind > 0].items()], lang))
    return s


def status_line(plan, gaps: pd.DataFrame | None, groups: pd.DataFrame, year: int, lang: str) -> str:
    """One line for the index: the district targets met and missed, else the groups' indices."""
    if gaps is not None and len(gaps):
        counts = gaps["verdict"].value_counts()
        parts = [t("districts.status_part", lang, label=verdict_label(v, lang), count=int(k)) for v, k in counts.items()]
        return t("districts.status_targets", lang, n=len(gaps), parts=_join(parts, lang))
    parts = []
    for ind in dict.fromkeys(groups["indicator"]):
        g = groups[(groups["indicator"] == ind) & (groups["year"] == int(year))].set_index("group")
        if g.empty or g["kind"].iloc[0] == "flow" or not {"core", "radiating"} <= set(g.index):
            continue
        parts.append(t("districts.status_index", lang, name=plan.indicator_name(ind, lang),
                       core=fmt.number(g.loc["core", "index"], 0), radiating=fmt.number(g.loc["radiating", "index"], 0)))
    return t("punct.clause_sep", lang).join(parts)


# --------------------------------------------------------------------------- one district
def profile_display(plan, rows: pd.DataFrame, comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One district, one row per indicator: level, growth and index, share, contribution, rank among
    the districts, normalised level and its rank. Levels share the magnitude of the comparison's
    column for that indicator (the district's figure reads as it does there)."""
    out = []
    n = comparison.loc[comparison["in_sum"], "area_code"].nunique()
    for _, r in rows.iterrows():
        ind, unit, ue = r["indicator"], str(r["unit"]), _unit_en(plan, r["indicator"])
        flow, year, by, how = r["kind"] == "flow", int(r["year"]), int(r["base_year"]), r["normalise"]
        c = comparison[comparison["indicator"] == ind]
        col = dict(zip(c["area_code"], fmt.column(c["value"], unit, lang, ue)))
        ncol = dict(zip(c["area_code"], normalised_column(plan, c["normalised"], ind, how, lang))) \
            if how != "none" else {}
        out.append({
            t("districts.col_indicator", lang): plan.indicator_name(ind, lang),
            t("districts.col_level", lang): (_span("districts.cumulative_value", lang, by + 1, year,
                                                   value=col.get(r["area_code"], "—")) if flow else
                                             t("districts.year_value", lang, value=col.get(r["area_code"], "—"), year=year)),
            t("districts.col_growth_base", lang): "—" if flow or _nan(r["growth"]) else t("districts.growth_since", lang,
                                                                        growth=fmt.percent(r["growth"]), year=by),
            t("districts.col_share", lang): fmt.percent(r["share"]) if r["in_sum"] else "—",
            t("districts.col_contribution", lang): "—" if flow or _nan(r["contribution_pp"]) else
                fmt.points(r["contribution_pp"] / 100, 1, lang),
            t("districts.col_rank_of", lang, n=n): _rank(r["rank"]),
            t("districts.col_normalised_rank", lang): "—" if how == "none" or _nan(r["normalised"]) else
                t("districts.value_rank", lang, value=ncol.get(r["area_code"], "—"), rank=_rank(r["rank_normalised"])),
        })
    return pd.DataFrame(out)


def profile_conclusion(plan, area: str, rows: pd.DataFrame, comparison: pd.DataFrame, gaps: pd.DataFrame | None,
                       has_targets: bool, year: int, lang: str) -> str:
    """One district's conclusion: its ranks, and its own targets (or that it has none)."""
    name = plan.area_name(area, lang)
    n = comparison.loc[comparison["in_sum"], "area_code"].nunique()
    ranks = _join([t("districts.rank_of", lang, name=plan.indicator_name(r["indicator"], lang), rank=_rank(r["rank"]))
                   for _, r in rows.iterrows()], lang)
    s = t("districts.profile_ranks", lang, name=name, year=year, n=n, ranks=ranks)
    if not has_targets:
        return s + t("districts.profile_no_targets", lang, verdict=verdict_label("no_area_target", lang),
                     reason=t("reason.no_area_target", lang))
    g = gaps[gaps["area_code"] == area] if gaps is not None else pd.DataFrame()
    if g.empty:
        return s
    items = t("punct.clause_sep", lang).join(t("districts.rank_of_verdict", lang, name=plan.indicator_name(r["indicator"], lang),
                                              verdict=verdict_detail(plan, r, lang)) for _, r in g.iterrows())
    return s + t("districts.profile_targets", lang, n=len(g), items=items)


def profile_items(plan, rows: pd.DataFrame, comparison: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per indicator: the district's level and rank, and its normalised level and rank."""
    out = []
    for _, r in rows.iterrows():
        ind, unit = r["indicator"], str(r["unit"])
        c = comparison[comparison["indicator"] == ind]
        col = dict(zip(c["area_code"], fmt.column(c["value"], unit, lang, _unit_en(plan, ind))))
        flow = r["kind"] == "flow"
        level = (_span("districts.cumulative_value", lang, int(r["base_year"]) + 1, int(r["year"]),
                       value=col.get(r["area_code"], "—")) if flow else
                 t("districts.year_value", lang, value=col.get(r["area_code"], "—"), year=int(r["year"])))
        s = t("districts.profile_item", lang, name=plan.indicator_name(ind, lang), level=level, rank=_rank(r["rank"]))
        if r["normalise"] != "none" and not _nan(r["normalised"]):
            ncol = dict(zip(c["area_code"], normalised_column(plan, c["normalised"], ind, r["normalise"], lang)))
            s += t("districts.profile_item_normalised", lang, value=ncol[r["area_code"]],
                   rank=_rank(r["rank_normalised"]))
        out.append(s + t("districts.full_stop", lang))
    return out


def profile_status(plan, rows: pd.DataFrame, lang: str) -> str:
    """One line for the index: the district's rank per indicator."""
    return t("punct.clause_sep", lang).join(
        t("districts.rank_of", lang, name=plan.indicator_name(r["indicator"], lang), rank=_rank(r["rank"]))
        for _, r in rows.iterrows())
