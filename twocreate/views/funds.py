"""The fund report: tables, sentences and charts of a :class:`twocreate.funds.FundModel`, in one language.

Functions here only relabel, format and draw; every figure comes from :mod:`twocreate.funds` or the
plan's tables, every word from the catalogs (:func:`twocreate.i18n.t`, table ``[funds]``). Money
columns use one magnitude per column (:func:`money_formatter`); a model parameter carries the symbol
of :data:`twocreate.funds.SYMBOLS` (one symbol per parameter). Text cells are data: the notebook
shows them through :class:`twocreate.present.Page`, which escapes them.
"""
from __future__ import annotations

import math
import re

import pandas as pd

from .. import fmt
from .. import funds as tf
from ..i18n import t

# money magnitudes of a table column, per language: (catalog key, size in 亿元), largest first
MAGNITUDES = {"zh": (("funds.money_large", 1.0), ("funds.money_small", 1e-4)),
              "en": (("funds.money_large", 10.0), ("funds.money_small", 0.01))}


def _nan(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def _blank(v) -> bool:
    return _nan(v) or str(v).strip() == ""


def _trim(s: str) -> str:
    return s.rstrip("0").rstrip(".") if "." in s else s


def _mid(name: str, lang: str) -> str:
    """A name inside an English sentence: first letter in lower case unless it starts an acronym."""
    if lang == "en" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _sep(lang: str) -> str:
    return t("punct.list_sep", lang)


# --------------------------------------------------------------------------- numbers
def money(x: float, lang: str) -> str:
    """One amount in 亿元 for a sentence (``25亿元`` / ``CNY 2.5 billion``)."""
    return fmt.money_100m_yuan(x, lang)


def _magnitude(values, lang: str) -> tuple[str, float, int]:
    """The magnitude (catalog key stem, size in 亿元) and decimals that show all of ``values`` in one unit."""
    vals = [abs(float(v)) for v in values if not _nan(v)]
    key, size = MAGNITUDES[lang][-1]
    biggest = max(vals, default=0.0)
    for k, sz in MAGNITUDES[lang]:
        if biggest >= sz:
            key, size = k, sz
            break
    nonzero = [v / size for v in vals if v > 1e-12]
    decimals = 0 if not nonzero else min(6, max(0, 2 - int(math.floor(math.log10(min(nonzero)) + 1e-12))))
    return key, size, decimals


def money_formatter(values, lang: str, unit: bool = True):
    """A formatter for amounts in 亿元 that shows all of ``values`` in one magnitude (亿元 / 万元;
    CNY billion / million), with enough decimals for the smallest to keep three significant digits
    and never more than the figure has (trailing zeros dropped). With ``unit`` False the numbers come
    without their unit, which :func:`money_unit` gives for the column header."""
    key, size, decimals = _magnitude(values, lang)

    def f(x) -> str:
        if _nan(x):
            return "—"
        v = round(float(x) / size, decimals)
        s = ("−" if v < 0 else "") + _trim(f"{abs(v):,.{decimals}f}")
        return t(key, lang, value=s) if unit else s
    return f


def money_unit(values, lang: str) -> str:
    """The unit word of the magnitude :func:`money_formatter` picks for ``values`` (``亿元``, ``CNY billion``)."""
    key, _, _ = _magnitude(values, lang)
    return t(key.replace("money_", "unit_"), lang)


def with_unit(header: str, values, lang: str) -> str:
    """A column header with the unit of its money column: ``当年支出（亿元）`` / ``Spent in the year (CNY billion)``."""
    return t("funds.with_unit", lang, name=header, unit=money_unit(values, lang))


def times(x: float, lang: str) -> str:
    """A multiplier: ``7.15倍`` / ``7.15×``."""
    if _nan(x):
        return "—"
    return t("funds.times", lang, value=_trim(f"{x:,.2f}"))


def pct(x: float) -> str:
    """A fraction as a percentage with no more digits than it has: 0.015 → 1.5%, 0.0435 → 4.35%."""
    if _nan(x):
        return "—"
    return _trim(f"{x * 100:.2f}").replace("-", "−") + "%"


def years_text(x: float, lang: str, decimals: int = 0) -> str:
    if _nan(x):
        return "—"
    if math.isinf(x):
        return "∞"
    v = round(float(x), decimals)
    return t("funds.years", lang, value=_trim(f"{v:,.{decimals}f}"), count=v)


def firms_text(x: float, lang: str) -> str:
    if _nan(x):
        return "—"
    return t("funds.firms", lang, value=fmt.number(x), count=x)


def param_value(code: str, x: float, lang: str, money_fmt=None) -> str:
    """A scenario value in its unit: a split amount in 亿元 (through ``money_fmt``, the table's money
    formatter, when given), a parameter by :data:`funds.PARAM_UNITS`."""
    if code in tf.SPLIT_CODES:
        return money_fmt(x) if money_fmt else money(x, lang)
    unit = tf.PARAM_UNITS.get(code, "")
    if unit == "share":
        return pct(x)
    if unit == "times":
        return times(x, lang)
    if unit == "years":
        return years_text(x, lang, 1 if abs(x - round(x)) > 1e-9 else 0)
    if unit == "firms":
        return firms_text(x, lang)
    return _trim(f"{x:,.4f}")


def _split_money(values, lang: str):
    """The money formatter of a table's split amounts (one magnitude for all of them)."""
    return money_formatter(list(values), lang)


def rate_text(x: float, lang: str, flag: bool = True) -> str:
    """An execution rate; above 100% flagged as over-spent (never capped)."""
    if _nan(x):
        return "—"
    s = fmt.percent(x)
    if flag and x > 1 + 1e-9:
        s += t("funds.overspent_mark", lang)
    return s


# --------------------------------------------------------------------------- names
def symbols() -> dict[str, str]:
    """The symbols of the model's parameters for the catalog's formulas (``s1``, ``alpha`` …)."""
    s = tf.SYMBOLS
    return {"G": s["guidance_public"], "s1": s["fof_public_share"], "s2": s["fof_subfund_share"],
            "c": s["co_investment"], "k": s["pool_multiple"], "alpha": s["pool_loss_share"],
            "PD": s["default_rate"], "LGD": s["loss_given_default"]}


def param_name(scenario, code: str, lang: str) -> str:
    """A scenario row's name (the scenario file's words) with the parameter's symbol, if it has one."""
    tb = scenario.table
    r = tb[tb["code"] == code]
    name = str(r[f"name_{lang}"].iloc[0]) if len(r) and not _blank(r[f"name_{lang}"].iloc[0]) else code
    sym = tf.SYMBOLS.get(code)
    if sym and not re.sub(r"\W+$", "", name).endswith(sym):
        name = t("funds.with_symbol", lang, name=name, symbol=sym)
    return name


def area_name(model, code: str, lang: str) -> str:
    if code == "total":
        return t("funds.total", lang)
    a = model.allocation.set_index("code")
    return str(a.loc[code, f"name_{lang}"])


def quote(wording_zh: object, wording_en: object, lang: str) -> str:
    """The plan's wording in quotes; on an English page with the plan folder's translation beside it."""
    s = t("funds.quote", lang, text=wording_zh)
    if lang == "en" and not _blank(wording_en):
        s += t("punct.paren", lang, text=t("funds.quote", lang, text=wording_en))
    return s


def _wording_en(row) -> object:
    return row.get("wording_en") if hasattr(row, "get") else None


def basis_label(basis: str, lang: str) -> str:
    return t(f"funds.basis_{basis}", lang)


def ratio_text(ratio: float) -> str:
    return f"1:{_trim(f'{ratio:.2f}')}"


def instrument_words(plan, lang: str) -> str:
    """The kinds of instrument the plan names (by group), for a sentence."""
    groups = [g for g in tf.INSTRUMENT_GROUPS if g != "sub_fund" and not tf.instruments_of(plan, g).empty]
    return _sep(lang).join(t(f"funds.group_{g}", lang) for g in groups)


def total_section(plan, lang: str) -> str:
    """Where the plan states its total: the section of its ``total`` row, else the areas' sections."""
    f = plan.funds
    rows = f[f["code"] == tf.TOTAL_CODE]
    secs = rows["section"] if len(rows) else f["section"]
    return _sep(lang).join(str(x) for x in dict.fromkeys(secs) if not _blank(x))


# --------------------------------------------------------------------------- sentences
def _scenario_word(model, lang: str) -> str:
    return t("funds.scenario_default" if model.is_default else "funds.scenario_changed", lang)


def _fin_name(model, lang: str) -> str:
    return str(tf.fund_row(model.plan, model.financing_code)[f"name_{lang}"])


def pace_text(pace: float, lang: str) -> str:
    """Spending ahead of or behind the time elapsed (``pace`` = cumulative rate − elapsed)."""
    pp = round(abs(pace) * 100, 1)
    if pp == 0:
        return t("funds.pace_level", lang)
    return t("funds.pace_ahead" if pace > 0 else "funds.pace_behind", lang, pp=_trim(f"{pp:.1f}"))


def conclusion(model, lang: str) -> str:
    """The report's conclusion in one paragraph: money allocated, spent against time elapsed,
    the package multiplier under both readings, and what is assumption."""
    plan = model.plan
    parts = [t("funds.lead_alloc", lang, start=model.period[0], end=model.period[-1], total=money(model.total, lang),
               section=total_section(plan, lang))]
    s = model.spent()
    if s is None:
        parts.append(t("funds.lead_no_spending", lang))
    else:
        parts.append(t("funds.lead_spent", lang, year=model.year, spent=money(s["cumulative_100m_yuan"], lang),
                       rate=fmt.percent(s["cumulative_rate"]), elapsed=fmt.percent(s["elapsed"]),
                       pace=pace_text(s["pace"], lang)))
        last = model.execution[(model.execution["year"] == model.execution["year"].max())
                               & (model.execution["code"] != "total") & model.execution["overspend"]]
        if len(last):
            parts.append(t("funds.lead_overspent", lang, names=_sep(lang).join(
                area_name(model, c, lang) for c in last["code"])))
    if model.has_leverage:
        r = model.readings.set_index("basis")
        parts.append(t("funds.lead_leverage", lang, scenario=_scenario_word(model, lang), fund=_fin_name(model, lang),
                       fin=money(model.financing, lang), ratio=ratio_text(model.ratio),
                       reach_total=money(r.loc["total", "package_reaching"], lang),
                       m_total=times(r.loc["total", "package_multiplier"], lang),
                       reach_private=money(r.loc["private", "package_reaching"], lang),
                       m_private=times(r.loc["private", "package_multiplier"], lang)))
        parts.append(t("funds.lead_assumptions", lang, fin=money(model.financing, lang)))
    else:
        parts.append(t("funds.lead_no_leverage", lang))
    return t("funds.sentence_sep", lang).join(parts)


def summary_items(model, lang: str) -> list[str]:
    """The conclusion's items: each area's money (and spending), the guidance fund under both readings,
    the two assumptions that matter most, and the double count avoided."""
    out = []
    ex = model.execution
    for _, a in model.allocation.iterrows():
        if ex is not None:
            e = ex[(ex["code"] == a["code"]) & (ex["year"] == ex["year"].max())].iloc[0]
            out.append(t("funds.item_area_spent", lang, name=a[f"name_{lang}"], amount=money(a["amount_100m_yuan"], lang),
                         year=model.year, spent=money(e["cumulative_100m_yuan"], lang),
                         rate=rate_text(e["cumulative_rate"], lang)))
        else:
            out.append(t("funds.item_area", lang, name=a[f"name_{lang}"], amount=money(a["amount_100m_yuan"], lang),
                         share=fmt.percent(a["share"]), section=a["section"]))
    if not model.has_leverage:
        return out
    r = model.readings.set_index("basis")
    ins = tf.leverage_instrument(model.plan)
    out.append(t("funds.item_guidance", lang, name=ins[f"name_{lang}"] if ins is not None else "",
                 wording=quote(ins["wording_zh"], _wording_en(ins), lang) if ins is not None else "",
                 public=money(r.loc["total", "guidance_public"], lang),
                 fund_total=money(r.loc["total", "guidance_total"], lang),
                 fund_private=money(r.loc["private", "guidance_total"], lang)))
    a, b = model.tornado.sort_values("swing", ascending=False, kind="stable")["code"].tolist()[:2]
    out.append(t("funds.item_sensitive", lang, a=_mid(param_name(model.scenario, a, lang), lang),
                 b=_mid(param_name(model.scenario, b, lang), lang)))
    lay = model.layers.set_index("layer")["amount"]
    out.append(t("funds.item_double_count", lang, sum=money(lay["sum_of_layers"], lang),
                 reach=money(lay["enterprises"], lang)))
    return out


def zero_swing_text(model, lang: str) -> str:
    """The parameters that do not move the multiplier over their range (the pool's lending multiple
    binds first), or ``""``."""
    z = model.tornado[model.tornado["swing"].abs() < 1e-9]
    if z.empty:
        return ""
    s = t("funds.zero_swing", lang, names=_sep(lang).join(param_name(model.scenario, c, lang) for c in z["code"]))
    if set(z["code"]) <= POOL_LOSS_PARAMS:
        s += t("funds.sentence_sep", lang) + t("funds.zero_swing_pool", lang, k=tf.SYMBOLS["pool_multiple"])
    return s


POOL_LOSS_PARAMS = {"default_rate", "loss_given_default", "pool_loss_share"}


def status_line(model, lang: str) -> str:
    """One line for the index: the leverage under both readings, then the spending."""
    parts = []
    if model.has_leverage:
        r = model.readings.set_index("basis")
        parts.append(t("funds.status_leverage", lang, scenario=_scenario_word(model, lang), ratio=ratio_text(model.ratio),
                       reach_total=money(r.loc["total", "package_reaching"], lang),
                       m_total=times(r.loc["total", "package_multiplier"], lang),
                       reach_private=money(r.loc["private", "package_reaching"], lang),
                       m_private=times(r.loc["private", "package_multiplier"], lang)))
    else:
        parts.append(t("funds.status_allocation", lang, total=money(model.total, lang)))
    s = model.spent()
    parts.append(t("funds.status_no_spending", lang) if s is None else
                 t("funds.status_spent", lang, rate=fmt.percent(s["cumulative_rate"], 0),
                   elapsed=fmt.percent(s["elapsed"], 0)))
    return t("punct.clause_sep", lang).join(parts)


def execution_record(model) -> dict | None:
    s = model.spent()
    return None if s is None else {"rate": float(s["cumulative_rate"]), "elapsed": float(s["elapsed"])}


# --------------------------------------------------------------------------- tables
def allocation_display(model, lang: str) -> pd.DataFrame:
    """The plan's money by area, one magnitude for the amounts, and the total row with its section."""
    alloc = model.allocation
    values = list(alloc["amount_100m_yuan"]) + [model.total]
    mf = money_formatter(values, lang, unit=False)
    col_area = t("funds.col_area", lang)
    col_amount = with_unit(t("funds.col_amount", lang, start=model.period[0], end=model.period[-1]), values, lang)
    col_share, col_section = t("funds.col_share", lang), t("data.col_section", lang)
    rows = [{col_area: r[f"name_{lang}"], col_amount: mf(r["amount_100m_yuan"]), col_share: fmt.percent(r["share"]),
             col_section: r["section"]} for _, r in alloc.iterrows()]
    rows.append({col_area: t("funds.total", lang), col_amount: mf(model.total),
                 col_share: fmt.percent(alloc["amount_100m_yuan"].sum() / model.total),
                 col_section: total_section(model.plan, lang)})
    return pd.DataFrame(rows)


def _status_words(statuses: str, lang: str) -> str:
    from ..i18n import has
    words = [t(f"status.{s}", lang) if has(f"status.{s}", lang) else s for s in str(statuses).split(";") if s]
    return _sep(lang).join(words)


def phasing_display(model, lang: str) -> pd.DataFrame:
    """Area × year (one magnitude for the whole table), a total row, and where each area's figures come from."""
    phase, alloc = model.phasing, model.allocation
    years = sorted(phase["year"].unique())
    totals = [phase.loc[phase["year"] == y, "amount_100m_yuan"].sum() for y in years]
    mf = money_formatter(list(phase["amount_100m_yuan"]) + totals, lang, unit=False)
    col_area, col_basis = t("funds.col_area", lang), t("funds.col_basis", lang)
    rows = []
    for code in alloc["code"]:
        sel = phase[phase["code"] == code].set_index("year")
        row = {col_area: area_name(model, code, lang)}
        for y in years:
            row[t("page.year_suffix", lang, year=y)] = mf(sel.loc[y, "amount_100m_yuan"])
        src = sel["source"].iloc[0]
        row[col_basis] = (t("funds.basis_even", lang, n=len(years)) if src == "even"
                          else t("funds.basis_data", lang, status=_status_words(sel["status"].iloc[0], lang)))
        rows.append(row)
    tot = {col_area: t("funds.total", lang)}
    for y, v in zip(years, totals):
        tot[t("page.year_suffix", lang, year=y)] = mf(v)
    tot[col_basis] = ""
    rows.append(tot)
    return pd.DataFrame(rows)


def phasing_caption(model, lang: str) -> str:
    """The caption of :func:`phasing_display`, with the unit of its amounts."""
    phase = model.phasing
    totals = list(phase.groupby("year")["amount_100m_yuan"].sum())
    return t("funds.cap_phasing", lang, unit=money_unit(list(phase["amount_100m_yuan"]) + totals, lang))


def execution_display(model, lang: str) -> pd.DataFrame:
    """Area × year: spent, the year's rate (against an even share), cumulative rate, time elapsed, ahead or
    behind it, and the central/local split where the file gives it. One magnitude for all the money."""
    ex = model.execution
    split = ex["central_100m_yuan"].notna().any()
    money_cols = ["spent_100m_yuan", "cumulative_100m_yuan"] + (["central_100m_yuan", "local_100m_yuan"] if split else [])
    values = pd.concat([ex[c] for c in money_cols]).tolist()
    mf = money_formatter(values, lang, unit=False)
    h = {k: with_unit(t(f"funds.col_{k}", lang), values, lang) for k in ("spent", "cumulative", "central", "local")}
    rows = []
    for _, r in ex.iterrows():
        row = {t("funds.col_area", lang): area_name(model, r["code"], lang),
               t("funds.col_year", lang): int(r["year"]),
               h["spent"]: mf(r["spent_100m_yuan"]) if r["has_data"] else "—",
               t("funds.col_rate", lang): rate_text(r["rate"], lang, flag=False) if r["has_data"] else "—",
               h["cumulative"]: mf(r["cumulative_100m_yuan"]),
               t("funds.col_cumulative_rate", lang): rate_text(r["cumulative_rate"], lang),
               t("funds.col_elapsed", lang): fmt.percent(r["elapsed"]),
               t("funds.col_pace", lang): fmt.pp(r["pace"] * 100, lang)}
        if split:
            row[h["central"]] = mf(r["central_100m_yuan"])
            row[h["local"]] = mf(r["local_100m_yuan"])
        rows.append(row)
    return pd.DataFrame(rows)


def overspent_text(model, lang: str) -> str:
    """The areas and years whose cumulative spending exceeds the allocation, or ``""``."""
    ex = model.execution
    if ex is None or not ex["overspend"].any():
        return ""
    over = ex[ex["overspend"]]
    items = [t("funds.overspent_item", lang, name=area_name(model, c, lang), year=int(y), rate=fmt.percent(r))
             for c, y, r in zip(over["code"], over["year"], over["cumulative_rate"])]
    return t("funds.overspent", lang, items=_sep(lang).join(items))


def readings_display(model, lang: str) -> pd.DataFrame:
    """Both readings of the ratio side by side (rows: quantities; columns: readings)."""
    r = model.readings.set_index("basis")
    money_items = ["guidance_public", "guidance_private", "guidance_total", "package_public", "package_reaching"]
    mf = money_formatter([r.loc[b, c] for b in tf.BASES for c in money_items], lang)
    items = [("guidance_public", mf), ("guidance_private", mf), ("guidance_total", mf),
             ("guidance_multiplier", lambda x: times(x, lang)), ("package_public", mf), ("package_reaching", mf),
             ("package_multiplier", lambda x: times(x, lang))]
    out = {t("funds.col_item", lang): [t(f"funds.reading_{c}", lang) for c, _ in items]}
    for b in tf.BASES:
        label = basis_label(b, lang) + (t("funds.default_mark", lang) if b == model.basis else "")
        out[label] = [f(r.loc[b, c]) for c, f in items]
    return pd.DataFrame(out)


def split_name(model, code: str, lang: str) -> str:
    return param_name(model.scenario, code, lang)


def package_display(model, lang: str) -> pd.DataFrame:
    """Per instrument: public money (assumed split), how it is computed, the multiplier, and the capital
    reaching enterprises under both readings (one magnitude for all the money)."""
    bb = model.by_basis
    tt = bb[bb["basis"] == "total"].set_index("code")
    pp = bb[bb["basis"] == "private"].set_index("code")
    values = (list(tt["public_100m_yuan"]) + list(tt["reaching_100m_yuan"]) + list(pp["reaching_100m_yuan"])
              + [tt["reaching_100m_yuan"].sum(), pp["reaching_100m_yuan"].sum()])
    mf = money_formatter(values, lang, unit=False)
    col = {k: t(f"funds.col_{k}", lang) for k in ("instrument", "how", "multiplier")}
    col["public"] = with_unit(t("funds.col_public", lang), values, lang)
    reach_t = with_unit(t("funds.col_reaching", lang, reading=basis_label("total", lang)), values, lang)
    reach_p = with_unit(t("funds.col_reaching", lang, reading=basis_label("private", lang)), values, lang)
    sym = symbols()
    rows = []
    for code in tt.index:
        rows.append({col["instrument"]: split_name(model, code, lang), col["public"]: mf(tt.loc[code, "public_100m_yuan"]),
                     col["how"]: t(f"funds.how_{code}", lang, **sym), col["multiplier"]: times(tt.loc[code, "multiplier"], lang),
                     reach_t: mf(tt.loc[code, "reaching_100m_yuan"]), reach_p: mf(pp.loc[code, "reaching_100m_yuan"])})
    rows.append({col["instrument"]: t("funds.total", lang), col["public"]: mf(tt["public_100m_yuan"].sum()), col["how"]: "",
                 col["multiplier"]: times(tt["reaching_100m_yuan"].sum() / tt["public_100m_yuan"].sum(), lang),
                 reach_t: mf(tt["reaching_100m_yuan"].sum()), reach_p: mf(pp["reaching_100m_yuan"].sum())})
    return pd.DataFrame(rows)


def layers_display(model, lang: str) -> pd.DataFrame:
    """The fund-of-funds layers that the naive sum adds, and that sum (its row is the sum of the rows above
    it; the public money G is inside the fund of funds and named in the caption, not a row)."""
    lay = model.layers
    shown = lay[lay["in_sum"] | (lay["layer"] == "sum_of_layers")]
    mf = money_formatter(shown["amount"], lang, unit=False)
    sym = symbols()
    return pd.DataFrame({
        t("funds.col_layer", lang): [t(f"funds.layer_{x}", lang) for x in shown["layer"]],
        t("funds.col_formula", lang): [t(f"funds.formula_{x}", lang, **sym) for x in shown["layer"]],
        with_unit(t("funds.col_amount_plain", lang), shown["amount"], lang): [mf(x) for x in shown["amount"]],
        t("funds.col_counted", lang): [t("funds.yes" if c else "funds.no", lang) for c in shown["counted"]],
    })


def layers_caption(model, lang: str) -> str:
    g = model.layers.set_index("layer").loc["public", "amount"]
    return t("funds.cap_layers", lang, scenario=_scenario_word(model, lang), G=symbols()["G"], public=money(g, lang))


def pool_display(model, lang: str) -> pd.DataFrame:
    pool = model.pool
    mf = money_formatter(pool["lending"], lang, unit=False)
    sym = symbols()
    return pd.DataFrame({
        t("funds.col_case", lang): [t(f"funds.case_{c}", lang) for c in pool["case"]],
        t("funds.col_pd", lang, **sym): [pct(x) for x in pool["default_rate"]],
        t("funds.col_el", lang, **sym): [pct(x) for x in pool["expected_loss_rate"]],
        with_unit(t("funds.col_lending", lang), pool["lending"], lang): [mf(x) for x in pool["lending"]],
        t("funds.col_pool_years", lang): [years_text(x, lang, 1) for x in pool["years"]],
    })


def listing_display(model, lang: str) -> pd.DataFrame:
    """Listing subsidies: the plan's instruments, assumed counts × the plan's rates (万元 → one magnitude per column)."""
    tbl = model.listing
    names = model.plan.instruments.set_index("code")[f"name_{lang}"]
    rate_values = list(tbl["rate_10k_yuan"] / 1e4)
    cost_values = list(tbl["cost_10k_yuan"] / 1e4) + [tbl["cost_10k_yuan"].sum() / 1e4]
    rates = money_formatter(rate_values, lang, unit=False)
    costs = money_formatter(cost_values, lang, unit=False)
    col = {k: t(f"funds.col_{k}", lang) for k in ("venue", "firms")}
    col["rate_per_firm"] = with_unit(t("funds.col_rate_per_firm", lang), rate_values, lang)
    col["cost"] = with_unit(t("funds.col_cost", lang), cost_values, lang)
    rows = [{col["venue"]: names.get(r["venue"], r["venue"]), col["firms"]: firms_text(r["count"], lang),
             col["rate_per_firm"]: rates(r["rate_10k_yuan"] / 1e4), col["cost"]: costs(r["cost_10k_yuan"] / 1e4)}
            for _, r in tbl.iterrows()]
    rows.append({col["venue"]: t("funds.total", lang), col["firms"]: firms_text(tbl["count"].sum(), lang),
                 col["rate_per_firm"]: "", col["cost"]: costs(tbl["cost_10k_yuan"].sum() / 1e4)})
    return pd.DataFrame(rows)


def _instrument_value_text(r, lang: str) -> str:
    v = float(r["value"])
    if r["parameter"] == tf.LEVERAGE_PARAMETER:
        return ratio_text(v)
    unit = "" if _blank(r["unit"]) else str(r["unit"])
    from .. import units
    return fmt.quantity(v, unit, lang) if units.is_known(unit) else _trim(f"{v:,.4f}")


def plan_figures_display(model, lang: str) -> pd.DataFrame:
    """Every figure of the plan the report uses, with its section and the plan's wording (in English
    pages with the plan folder's translation beside it where it gives one)."""
    plan = model.plan
    col = {k: t(f"funds.col_{k}", lang) for k in ("item", "value", "wording")}
    col_section = t("data.col_section", lang)
    rows = []
    amounts = [plan.fund_amount(c) for c in plan.funds["code"]]
    mf = money_formatter(amounts, lang)
    for (_, r), amount in zip(plan.funds.iterrows(), amounts):
        rows.append({col["item"]: r[f"name_{lang}"], col["value"]: mf(amount),
                     col_section: r["section"], col["wording"]: quote(r["wording_zh"], _wording_en(r), lang)})
    ins = plan.instruments
    if not ins.empty:
        valued = ins[pd.to_numeric(ins["value"], errors="coerce").notna()]
        rates = tf.listing_rates(plan)
        rf = money_formatter([x / 1e4 for x in rates.values()], lang)
        for _, r in valued.iterrows():
            value = rf(rates[r["code"]] / 1e4) if r["code"] in rates else _instrument_value_text(r, lang)
            rows.append({col["item"]: r[f"name_{lang}"], col["value"]: value,
                         col_section: r["section"], col["wording"]: quote(r["wording_zh"], _wording_en(r), lang)})
    return pd.DataFrame(rows)


def assumptions_display(model, lang: str) -> pd.DataFrame:
    """Every assumption of the scenario: value, range tested, the plan section it fills in, and why."""
    sc = model.scenario
    col = {k: t(f"funds.col_{k}", lang) for k in ("item", "value", "range", "basis", "rationale")}
    other = "private" if model.basis == "total" else "total"
    rows = [{col["item"]: t("funds.assume_basis", lang, ratio=ratio_text(model.ratio)),
             col["value"]: basis_label(model.basis, lang), col["range"]: basis_label(other, lang),
             col["basis"]: t("funds.basis_word_assumption", lang), col["rationale"]: t("funds.basis_rationale", lang)}]
    mf = _split_money([x for c in tf.SPLIT_CODES if c in sc.ranges for x in (sc.value(c), *sc.ranges[c])], lang)
    for _, r in sc.table.iterrows():
        code = r["code"]
        lo, hi = sc.ranges[code]
        b = t(f"funds.basis_word_{r['basis']}", lang) if r["basis"] in tf.BASIS_VALUES else str(r["basis"])
        if not _blank(r["section"]):
            b += t("punct.paren", lang, text=r["section"])
        if code in sc.overridden:
            b += t("funds.set_for_run", lang)
        why = next((str(v) for v in (r[f"rationale_{lang}"], r["rationale_en"]) if not _blank(v)), "")
        rows.append({col["item"]: param_name(sc, code, lang), col["value"]: param_value(code, sc.value(code), lang, mf),
                     col["range"]: t("funds.range", lang, low=param_value(code, lo, lang, mf),
                                     high=param_value(code, hi, lang, mf)),
                     col["basis"]: b, col["rationale"]: why})
    return pd.DataFrame(rows)


def tornado_display(model, lang: str) -> pd.DataFrame:
    """One-at-a-time sensitivity, every parameter: its range, the multiplier at each end, and the swing
    (the difference of the two multipliers, a plain number)."""
    tt = model.tornado
    split = tt[tt["code"].isin(tf.SPLIT_CODES)]
    mf = _split_money(list(split["low"]) + list(split["high"]), lang)
    rows = []
    for _, r in tt.iterrows():
        c = r["code"]
        rows.append({t("funds.col_parameter", lang): param_name(model.scenario, c, lang),
                     t("funds.col_low", lang): param_value(c, r["low"], lang, mf),
                     t("funds.col_high", lang): param_value(c, r["high"], lang, mf),
                     t("funds.col_m_low", lang): times(r["multiplier_low"], lang),
                     t("funds.col_m_high", lang): times(r["multiplier_high"], lang),
                     t("funds.col_swing", lang): fmt.ratio(r["swing"])})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the narrative's values
def _sig(x: float, digits: int = 3) -> str:
    if _nan(x) or x == 0:
        return "0"
    d = max(0, digits - 1 - int(math.floor(math.log10(abs(x)))))
    return _trim(f"{x:,.{d}f}")


def narrative_values(model, lang: str, tornado_top: int | None = 12) -> dict:
    """The values the notebook's markdown narrative uses (``page.publish(**narrative_values(...))``):
    plan words and figures, formatted for ``lang``, and the method settings of the run."""
    plan = model.plan
    v = dict(title=plan.text("title", lang), doc=plan.meta.get("document_number", ""), issuer=plan.text("issuer", lang),
             year=model.year, start=model.period[0], end=model.period[-1], n_years=len(model.period),
             total=money(model.total, lang), total_section=total_section(plan, lang), n_areas=len(model.allocation),
             execution=model.execution is not None, leverage=model.has_leverage,
             disbursement_file=model.disbursements_path.name if model.disbursements_path else "")
    v.update({k: x for k, x in symbols().items()})
    if not model.has_leverage:
        return v
    fin_row = tf.fund_row(plan, model.financing_code)
    ins = tf.leverage_instrument(plan)
    r = model.ratio
    rates = tf.listing_rates(plan)
    names = plan.instruments.set_index("code")[f"name_{lang}"]
    sc = model.scenario
    p = sc.params
    per = tf.loans_per_subsidy(p["subsidy_points"], p["subsidy_years"])
    ge = tf.grant_equivalent(1.0, p["subsidy_points"], p["subsidy_years"], p["discount_rate"])
    cost = tf.interest_subsidy_cost(1.0, p["subsidy_points"], p["subsidy_years"])
    other = "private" if model.basis == "total" else "total"
    v.update(
        fund=fin_row[f"name_{lang}"], fin=money(model.financing, lang), fin_section=fin_row["section"],
        instruments=instrument_words(plan, lang), ratio=ratio_text(r), r=_trim(f"{r:.2f}"),
        r1=_trim(f"{r + 1:.2f}"), public_share=pct(1 / r),
        ratio_name=_mid(str(ins[f"name_{lang}"]), lang) if ins is not None else "", ratio_section=ins["section"] if ins is not None else "",
        ratio_wording=ins["wording_zh"] if ins is not None else "",
        ratio_wording_en="" if ins is None or _blank(_wording_en(ins)) else str(_wording_en(ins)),
        basis_label=_mid(basis_label(model.basis, lang), lang), other_label=_mid(basis_label(other, lang), lang),
        default_basis=model.basis == "total",
        n_rates=len(rates), rates=_sep(lang).join(t("funds.rate_item", lang, name=_mid(str(names.get(c, c)), lang),
                                                    value=fmt.money_10k_yuan(x, lang)) for c, x in rates.items()),
        scenario_word=_scenario_word(model, lang), scenario_file=model.scenario_path.name if model.scenario_path else "",
        per_subsidy=_sig(per), discount=pct(p["discount_rate"]), grant_equivalent=pct(round(ge, 4)),
        subsidy_cost=pct(round(cost, 4)), cap=_trim(f"{tf.GUARANTEE_CAP:g}"),
        cap_small=_trim(f"{tf.GUARANTEE_CAP_SMALL_MICRO:g}"), top=int(tornado_top or len(model.tornado)),
        pv_subsidy=bool(model.options.get("pv_subsidy")),
    )
    return v
