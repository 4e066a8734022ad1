"""Display tables, sentences and charts for the fund-leverage report, in one language.

Functions here only relabel, format (:mod:`twocreate.fmt`) and draw; every figure comes from
:mod:`twocreate.funds` or the plan files. Text cells are data: the notebook shows them through
:class:`twocreate.present.Page`, which escapes them.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import fmt
from ..plotting import PALETTE, use_style, value_axis, year_axis

BASIS_LABEL = {
    "total": {"zh": "公共:总额（默认）", "en": "Public : total (default)"},
    "private": {"zh": "公共:社会资本", "en": "Public : private"},
}
BASIS_LONG = {
    "total": {"zh": "按“财政出资:基金总规模 = 1:5”理解（基金 = 5 × 财政出资）",
              "en": "read as public : total = 1:5 (fund = 5 × public money)"},
    "private": {"zh": "按“财政出资:社会资本 = 1:5”理解（基金 = 6 × 财政出资）",
                "en": "read as public : private = 1:5 (fund = 6 × public money)"},
}
HOW = {
    "guidance_fund": {"zh": "基金总规模 = 放大倍数 × 财政出资", "en": "fund size = multiple × public money"},
    "sector_funds": {"zh": "基金规模 = 财政出资 ÷ 财政占比", "en": "fund size = public money ÷ public share"},
    "fund_of_funds": {"zh": "到达企业 = G·c ÷ (s1·s2)，只计最末一层", "en": "reaching firms = G·c ÷ (s1·s2), last layer only"},
    "guarantee": {"zh": "担保余额 = 放大倍数 × 注资（净资产）", "en": "guarantees = multiple × capital (net assets)"},
    "risk_pool": {"zh": "贷款 = min(k × 资金池, 资金池 ÷ (c × PD × LGD))",
                  "en": "loans = min(k × pool, pool ÷ (c × PD × LGD))"},
    "cost_subsidy": {"zh": "获贴息贷款 = 补贴 ÷ (贴息点数 × 期限)", "en": "subsidised loans = subsidy ÷ (points × term)"},
    "listing": {"zh": "补助直接支付给企业（× 1）", "en": "grants paid to firms (× 1)"},
}
SHORT = {
    "guidance_fund": {"zh": "引导基金", "en": "Guidance fund"},
    "sector_funds": {"zh": "六支分类基金", "en": "Six sector funds"},
    "fund_of_funds": {"zh": "股权投资母基金", "en": "Equity fund of funds"},
    "guarantee": {"zh": "融资担保", "en": "Guarantees"},
    "risk_pool": {"zh": "贷款风险补偿资金池", "en": "Loan risk pool"},
    "cost_subsidy": {"zh": "融资费用补贴", "en": "Financing-cost subsidy"},
    "listing": {"zh": "上市挂牌补助", "en": "Listing subsidies"},
}
BASIS_WORD = {"plan": {"zh": "计划原文", "en": "Plan"}, "assumption": {"zh": "假设", "en": "Assumption"},
              "data": {"zh": "公开数据", "en": "Published data"}}


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""


def _zh(lang: str) -> bool:
    return lang == "zh"


def money(x: float, lang: str, digits: int = 3) -> str:
    """亿元 → people's format (``25亿元`` / ``CNY 2.5 billion``)."""
    return fmt.money_100m_yuan(x, lang, digits)


def tick_money(v: float, lang: str) -> str:
    """Axis tick for money in 亿元 (``0`` without a unit)."""
    return "0" if abs(v) < 1e-12 else money(v, lang, 3)


def times(x: float, lang: str) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return f"{s}倍" if _zh(lang) else f"{s}×"


def pct(x: float) -> str:
    """A fraction as a percentage with no trailing zeros: 0.015 → 1.5%, 0.0435 → 4.35%, 0.25 → 25%."""
    s = f"{x * 100:.2f}".rstrip("0").rstrip(".")
    return s.replace("-", "−") + "%"


def value_with_unit(x: float, unit: str, lang: str) -> str:
    """A scenario value in its unit, for people."""
    if unit in ("亿元", "万元", "元"):
        return fmt.value_in_unit(x, unit, lang)
    if unit == "比例":
        return pct(x)
    if unit == "倍":
        return times(x, lang)
    if unit == "年":
        s = f"{x:g}"
        return f"{s}年" if _zh(lang) else f"{s} year{'s' if x != 1 else ''}"
    if unit == "家":
        return fmt.count(x, "家", "firms", lang)
    return f"{x:g} {unit}"


def param_name(scenario, code: str, lang: str) -> str:
    t = scenario.table
    r = t[t["code"] == code]
    return str(r[f"name_{lang}"].iloc[0]) if len(r) else code


def param_unit(scenario, code: str) -> str:
    t = scenario.table
    r = t[t["code"] == code]
    return str(r["unit"].iloc[0]) if len(r) else ""


def instrument_name(scenario, code: str, lang: str) -> str:
    return param_name(scenario, code, lang)


# --------------------------------------------------------------------------- tables
def allocation_display(alloc: pd.DataFrame, total: float, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    rows = [{("领域" if zh else "Area"): r[f"name_{lang}"],
             ("三年投入" if zh else "Three-year amount"): money(r["amount_100m_yuan"], lang),
             ("占比" if zh else "Share"): fmt.percent(r["share"]),
             ("计划条款" if zh else "Plan section"): r["section"]} for _, r in alloc.iterrows()]
    rows.append({("领域" if zh else "Area"): "合计" if zh else "Total",
                 ("三年投入" if zh else "Three-year amount"): money(total, lang),
                 ("占比" if zh else "Share"): fmt.percent(alloc["share"].sum()),
                 ("计划条款" if zh else "Plan section"): "§三"})
    return pd.DataFrame(rows)


def phasing_display(phase: pd.DataFrame, alloc: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Area × year, formatted, with a total row and the source of each area's phasing."""
    zh = _zh(lang)
    names = dict(zip(alloc["code"], alloc[f"name_{lang}"]))
    years = sorted(phase["year"].unique())
    rows = []
    for code in alloc["code"]:
        sel = phase[phase["code"] == code].set_index("year")
        row = {("领域" if zh else "Area"): names[code]}
        for y in years:
            row[f"{y}年" if zh else str(y)] = money(sel.loc[y, "amount_100m_yuan"], lang)
        src = sel["source"].iloc[0]
        row["依据" if zh else "Basis"] = (("假设：三年平均" if zh else "Assumption: even over three years") if src == "even"
                                         else (f"数据（{sel['status'].iloc[0]}）" if zh else f"Data ({sel['status'].iloc[0]})"))
        rows.append(row)
    tot = {("领域" if zh else "Area"): "合计" if zh else "Total"}
    for y in years:
        tot[f"{y}年" if zh else str(y)] = money(phase.loc[phase["year"] == y, "amount_100m_yuan"].sum(), lang)
    tot["依据" if zh else "Basis"] = ""
    rows.append(tot)
    return pd.DataFrame(rows)


def readings_display(readings: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Both readings of 1:5 side by side (rows: quantities; columns: readings)."""
    zh = _zh(lang)
    r = readings.set_index("basis")
    items = [
        (("引导基金财政出资" if zh else "Guidance fund: public money"), "guidance_public", money),
        (("引导基金社会资本" if zh else "Guidance fund: private money"), "guidance_private", money),
        (("引导基金总规模" if zh else "Guidance fund: total size"), "guidance_total", money),
        (("引导基金放大倍数" if zh else "Guidance fund: multiplier"), "guidance_multiplier", times),
        (("融资支持体系财政资金" if zh else "Financing package: public money"), "package_public", money),
        (("到达企业的资金合计" if zh else "Capital reaching enterprises"), "package_reaching", money),
        (("整体放大倍数" if zh else "Package multiplier"), "package_multiplier", times),
    ]
    out = {("项目" if zh else "Item"): [lab for lab, _, _ in items]}
    for b in ("total", "private"):
        out[BASIS_LABEL[b][lang]] = [f(r.loc[b, col], lang) for _, col, f in items]
    return pd.DataFrame(out)


def package_display(by_basis: pd.DataFrame, scenario, lang: str) -> pd.DataFrame:
    """Per instrument: public money (assumed split), capital reaching enterprises under both readings."""
    zh = _zh(lang)
    t = by_basis[by_basis["basis"] == "total"].set_index("code")
    p = by_basis[by_basis["basis"] == "private"].set_index("code")
    rows = []
    for code in t.index:
        rows.append({
            ("工具" if zh else "Instrument"): instrument_name(scenario, code, lang),
            ("财政资金（假设分配）" if zh else "Public money (assumed split)"): money(t.loc[code, "public_100m_yuan"], lang),
            ("计算方法" if zh else "How it is computed"): HOW[code][lang],
            ("放大倍数" if zh else "Multiplier"): times(t.loc[code, "multiplier"], lang),
            ("到达企业：" + BASIS_LABEL["total"]["zh"] if zh else "Reaching firms: " + BASIS_LABEL["total"]["en"]):
                money(t.loc[code, "reaching_100m_yuan"], lang),
            ("到达企业：" + BASIS_LABEL["private"]["zh"] if zh else "Reaching firms: " + BASIS_LABEL["private"]["en"]):
                money(p.loc[code, "reaching_100m_yuan"], lang),
        })
    rows.append({
        ("工具" if zh else "Instrument"): "合计" if zh else "Total",
        ("财政资金（假设分配）" if zh else "Public money (assumed split)"): money(t["public_100m_yuan"].sum(), lang),
        ("计算方法" if zh else "How it is computed"): "",
        ("放大倍数" if zh else "Multiplier"): times(t["reaching_100m_yuan"].sum() / t["public_100m_yuan"].sum(), lang),
        ("到达企业：" + BASIS_LABEL["total"]["zh"] if zh else "Reaching firms: " + BASIS_LABEL["total"]["en"]):
            money(t["reaching_100m_yuan"].sum(), lang),
        ("到达企业：" + BASIS_LABEL["private"]["zh"] if zh else "Reaching firms: " + BASIS_LABEL["private"]["en"]):
            money(p["reaching_100m_yuan"].sum(), lang),
    })
    return pd.DataFrame(rows)


LAYER_LABEL = {
    "public": {"zh": "财政出资 G", "en": "Public money G"},
    "fund_of_funds": {"zh": "母基金规模 G/s1", "en": "Fund of funds G/s1"},
    "sub_funds": {"zh": "子基金合计 G/(s1·s2)", "en": "Sub-funds G/(s1·s2)"},
    "enterprises": {"zh": "到达企业 G·c/(s1·s2)", "en": "Reaching enterprises G·c/(s1·s2)"},
    "sum_of_layers": {"zh": "各层相加（重复计算）", "en": "Sum of the layers (double count)"},
}


def layers_display(layers: pd.DataFrame, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    return pd.DataFrame({
        ("层级" if zh else "Layer"): [LAYER_LABEL[x][lang] for x in layers["layer"]],
        ("金额" if zh else "Amount"): [money(x, lang) for x in layers["amount"]],
        ("计为撬动资金？" if zh else "Counted as mobilised?"): [
            ("是" if zh else "yes") if c else ("否" if zh else "no") for c in layers["counted"]],
    })


POOL_CASE = {"low": {"zh": "低违约", "en": "Low defaults"}, "central": {"zh": "基准", "en": "Central"},
             "stress": {"zh": "压力情景", "en": "Stress"}}


def pool_display(pool_df: pd.DataFrame, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    return pd.DataFrame({
        ("情景" if zh else "Case"): [POOL_CASE.get(c, {}).get(lang, c) for c in pool_df["case"]],
        ("年违约率 PD" if zh else "Default rate PD"): [fmt.percent(x) for x in pool_df["default_rate"]],
        ("预期损失率 PD×LGD" if zh else "Expected loss PD×LGD"): [fmt.percent(x, 2) for x in pool_df["expected_loss_rate"]],
        ("支持贷款余额" if zh else "Lending supported"): [money(x, lang) for x in pool_df["lending"]],
        ("资金池可用年数" if zh else "Years the pool lasts"): [
            "∞" if math.isinf(x) else (f"{x:.1f}年" if zh else f"{x:.1f} years") for x in pool_df["years"]],
    })


VENUE = {"listing_neeq": {"zh": "新三板挂牌", "en": "NEEQ listing"},
         "listing_main_board": {"zh": "主板上市", "en": "Main-board listing"},
         "listing_regional": {"zh": "区域股权市场挂牌", "en": "Regional equity market"}}


def listing_display(tbl: pd.DataFrame, budget: float, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    rows = [{("市场" if zh else "Venue"): VENUE[r["venue"]][lang],
             ("家数（假设）" if zh else "Firms (assumed)"): fmt.count(r["count"], "家", "", lang),
             ("补助标准（计划原文）" if zh else "Subsidy per firm (plan)"): fmt.money_10k_yuan(r["rate_10k_yuan"], lang),
             ("费用" if zh else "Cost"): fmt.money_10k_yuan(r["cost_10k_yuan"], lang)} for _, r in tbl.iterrows()]
    rows.append({("市场" if zh else "Venue"): "合计" if zh else "Total",
                 ("家数（假设）" if zh else "Firms (assumed)"): fmt.count(tbl["count"].sum(), "家", "", lang),
                 ("补助标准（计划原文）" if zh else "Subsidy per firm (plan)"): "",
                 ("费用" if zh else "Cost"): fmt.money_10k_yuan(tbl["cost_10k_yuan"].sum(), lang)})
    return pd.DataFrame(rows)


def assumptions_display(scenario, plan, lang: str, ratio: float, basis: str) -> pd.DataFrame:
    """Every figure the analysis uses: the plan's first (with section), then the scenario's (with basis)."""
    zh = _zh(lang)
    rows = []
    col_item, col_val, col_range, col_basis, col_why = (
        ("项目", "取值", "敏感性区间", "依据", "说明") if zh
        else ("Item", "Value", "Range tested", "Basis", "Rationale / source"))
    for _, r in plan.funds.iterrows():
        rows.append({col_item: r[f"name_{lang}"], col_val: money(plan.fund_amount(r["code"]), lang), col_range: "—",
                     col_basis: f"{BASIS_WORD['plan'][lang]} {r['section']}", col_why: r["wording_zh"]})
    gi = plan.instruments[plan.instruments["code"] == "guidance_fund"].iloc[0]
    rows.append({col_item: ("引导基金放大比例" if zh else "Guidance-fund ratio"), col_val: f"1:{ratio:g}",
                 col_range: "—", col_basis: f"{BASIS_WORD['plan'][lang]} {gi['section']}", col_why: gi["wording_zh"]})
    rows.append({col_item: ("“1:5”的理解（比例基数）" if zh else "Reading of “1:5” (ratio basis)"),
                 col_val: BASIS_LABEL[basis][lang], col_range: BASIS_LABEL["private" if basis == "total" else "total"][lang],
                 col_basis: BASIS_WORD["assumption"][lang],
                 col_why: ("计划未说明比例基数；默认按欧盟惯例（公共:总额），并与中国引导基金持股子基金不超过20%—25%的做法一致；两种理解并列显示"
                           if zh else "The plan does not say; the default follows the EU convention (public : total), "
                           "consistent with Chinese guidance funds holding at most 20–25% of a sub-fund; both readings shown")})
    for code, venue in (("listing_neeq", "listing_neeq"), ("listing_main_board", "listing_main_board"),
                        ("listing_regional", "listing_regional")):
        ins = plan.instruments[plan.instruments["code"] == code].iloc[0]
        rows.append({col_item: ins[f"name_{lang}"], col_val: fmt.money_10k_yuan(plan.instrument_value(code), lang),
                     col_range: "—", col_basis: f"{BASIS_WORD['plan'][lang]} {ins['section']}", col_why: ins["wording_zh"]})
    for _, r in scenario.table.iterrows():
        code = r["code"]
        unit = str(r["unit"])
        val = scenario.value(code)
        lo, hi = scenario.ranges[code]
        if unit != "亿元" and code in scenario.split:
            unit = "亿元"
        b = BASIS_WORD.get(r["basis"], {}).get(lang, r["basis"])
        if not _blank(r["section"]):
            b = f"{b}（{r['section']}）" if zh else f"{b} ({r['section']})"
        if code in scenario.overridden:
            b += "（本次运行参数）" if zh else " (set for this run)"
        rows.append({col_item: r[f"name_{lang}"], col_val: value_with_unit(val, unit, lang),
                     col_range: f"{value_with_unit(lo, unit, lang)} – {value_with_unit(hi, unit, lang)}",
                     col_basis: b, col_why: next((str(v) for v in (r[f"rationale_{lang}"], r["rationale_en"]) if not _blank(v)), "")})
    return pd.DataFrame(rows)


def tornado_display(torn: pd.DataFrame, scenario, lang: str) -> pd.DataFrame:
    zh = _zh(lang)
    rows = []
    for _, r in torn.iterrows():
        unit = param_unit(scenario, r["code"])
        rows.append({
            ("参数" if zh else "Parameter"): param_name(scenario, r["code"], lang),
            ("低值" if zh else "Low"): value_with_unit(r["low"], unit, lang),
            ("高值" if zh else "High"): value_with_unit(r["high"], unit, lang),
            ("低值时倍数" if zh else "Multiplier at low"): times(r["multiplier_low"], lang),
            ("高值时倍数" if zh else "Multiplier at high"): times(r["multiplier_high"], lang),
            ("变动幅度" if zh else "Swing"): times(r["swing"], lang),
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- sentences
def summary_items(readings: pd.DataFrame, torn: pd.DataFrame, scenario, financing: float, total: float,
                  lang: str, default: bool = True) -> list[str]:
    r = readings.set_index("basis")
    t, p = r.loc["total"], r.loc["private"]
    a, b = top_two_names(torn, scenario, lang)
    if _zh(lang):
        return [
            f"计划三年共安排财政资金{money(total, lang)}，其中融资支持体系{money(financing, lang)}（计划原文）。",
            f"{'默认情景' if default else '本次情景（参数已调整）'}下，{money(financing, lang)}融资资金到达企业的资金合计约{money(t['package_reaching'], lang)}"
            f"（按“1:5”为财政:基金总额，默认理解），整体放大{times(t['package_multiplier'], lang)}；"
            f"若按财政:社会资本理解，约{money(p['package_reaching'], lang)}（{times(p['package_multiplier'], lang)}）。",
            f"引导基金：财政出资{money(t['guidance_public'], lang)}（假设）形成{money(t['guidance_total'], lang)}基金"
            f"（默认理解），或{money(p['guidance_total'], lang)}（财政:社会资本理解）。",
            f"结果对{a}和{b}最敏感；{money(financing, lang)}在各工具间的分配及各项参数均为假设，并非计划原文。",
            "只计到达企业的资金：母基金与子基金各层相加会重复计算。",
        ]
    return [
        f"The plan commits {money(total, lang)} of public money over three years, {money(financing, lang)} of it to "
        f"financing support (plan figures).",
        f"In the {'default scenario' if default else 'scenario of this run (parameters changed)'} the "
        f"{money(financing, lang)} puts about {money(t['package_reaching'], lang)} into "
        f"enterprises reading “1:5” as public : total (the default), a package multiplier of "
        f"{times(t['package_multiplier'], lang)}; reading it as public : private, about "
        f"{money(p['package_reaching'], lang)} ({times(p['package_multiplier'], lang)}).",
        f"Guidance fund: {money(t['guidance_public'], lang)} of public money (assumed) makes a "
        f"{money(t['guidance_total'], lang)} fund (default reading) or {money(p['guidance_total'], lang)} "
        f"(public : private).",
        f"The answer is most sensitive to {a} and {b}. The split of the {money(financing, lang)} among instruments and every model "
        f"parameter are assumptions, not facts of the plan.",
        "Only money reaching enterprises is counted: adding up the fund-of-funds layers would double-count.",
    ]


def top_two_names(torn: pd.DataFrame, scenario, lang: str) -> tuple[str, str]:
    codes = torn.sort_values("swing", ascending=False, kind="stable")["code"].tolist()[:2]
    return param_name(scenario, codes[0], lang), param_name(scenario, codes[1], lang)


def status_line(readings: pd.DataFrame, lang: str, default: bool = True) -> str:
    """One line for the index; ``default`` False when the run changed the default scenario."""
    r = readings.set_index("basis")
    t, p = r.loc["total"], r.loc["private"]
    if _zh(lang):
        which = "默认情景" if default else "本次情景"
        return (f"到达企业资金（{which}）：{money(t['package_reaching'], lang)}（1:5为财政:总额，"
                f"{times(t['package_multiplier'], lang)}）；{money(p['package_reaching'], lang)}（财政:社会资本，"
                f"{times(p['package_multiplier'], lang)}）")
    which = "default scenario" if default else "scenario of this run"
    return (f"Capital reaching enterprises, {which}: {money(t['package_reaching'], lang)} "
            f"(1:5 as public : total, {times(t['package_multiplier'], lang)}); {money(p['package_reaching'], lang)} "
            f"(public : private, {times(p['package_multiplier'], lang)})")


# --------------------------------------------------------------------------- charts
def allocation_chart(alloc: pd.DataFrame, phase: pd.DataFrame, lang: str):
    """Left: the 30亿 by area (plan); right: yearly phasing, stacked by area."""
    import matplotlib.pyplot as plt

    use_style()
    zh = _zh(lang)
    import textwrap

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4.0), gridspec_kw={"width_ratios": [1.15, 1]})
    names = alloc[f"name_{lang}"].tolist()
    wrapped = names if zh else [textwrap.fill(n, 22) for n in names]
    vals = alloc["amount_100m_yuan"].to_numpy()
    colours = PALETTE[: len(alloc)]
    y = list(range(len(alloc)))[::-1]
    ax1.barh(y, vals, color=colours)
    ax1.set_yticks(y, wrapped)
    for yi, v, sh in zip(y, vals, alloc["share"]):
        ax1.text(v, yi, f" {money(v, lang)} ({fmt.percent(sh)})", va="center", fontsize=9)
    ax1.set_xlim(0, vals.max() * 1.7)
    ax1.grid(axis="y", visible=False)
    ax1.xaxis.set_major_locator(plt.MaxNLocator(4))
    ax1.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: tick_money(v, lang)))
    ax1.set_title("三年投入（计划原文）" if zh else "Three-year amounts (plan)")
    years = sorted(phase["year"].unique())
    bottom = [0.0] * len(years)
    for code, col, name in zip(alloc["code"], colours, names):
        sel = phase[phase["code"] == code].set_index("year").reindex(years)["amount_100m_yuan"].fillna(0).tolist()
        ax2.bar(years, sel, bottom=bottom, color=col, label=name, width=0.6)
        bottom = [b + v for b, v in zip(bottom, sel)]
    year_axis(ax2, years)
    value_axis(ax2, lambda v: tick_money(v, lang))
    ax2.grid(axis="x", visible=False)
    src = set(phase["source"])
    ax2.set_title(("按年度分布（假设：平均分配）" if src == {"even"} else "按年度分布（拨付数据）") if zh
                  else ("By year (assumption: even phasing)" if src == {"even"} else "By year (disbursement data)"))
    fig.legend(*ax2.get_legend_handles_labels(), loc="outside lower center", ncol=3)
    return fig


def readings_chart(by_basis: pd.DataFrame, scenario, lang: str):
    """Capital reaching enterprises by instrument, stacked, for both readings of 1:5."""
    import matplotlib.pyplot as plt

    use_style()
    zh = _zh(lang)
    fig, ax = plt.subplots(figsize=(10, 3.8))
    bases = ["total", "private"]
    codes = by_basis[by_basis["basis"] == "total"]["code"].tolist()
    left = [0.0, 0.0]
    ypos = [1, 0]
    for i, code in enumerate(codes):
        vals = [float(by_basis[(by_basis["basis"] == b) & (by_basis["code"] == code)]["reaching_100m_yuan"].iloc[0])
                for b in bases]
        ax.barh(ypos, vals, left=left, color=PALETTE[i % len(PALETTE)], label=SHORT[code][lang],
                height=0.55, edgecolor="white", linewidth=0.6)
        left = [a + v for a, v in zip(left, vals)]
    pub = by_basis[by_basis["basis"] == "total"]["public_100m_yuan"].sum()
    for yp, tot in zip(ypos, left):
        ax.text(tot, yp, f" {money(tot, lang)} ({times(tot / pub, lang)})", va="center", fontsize=10, fontweight="bold")
    ax.set_yticks(ypos, [BASIS_LABEL[b][lang] for b in bases])
    ax.set_xlim(0, max(left) * 1.22)
    ax.axvline(pub, color="#444444", linestyle="--", linewidth=1)
    ax.text(pub, 1.45, (f"财政资金 {money(pub, lang)}" if zh else f"public money {money(pub, lang)}"), fontsize=8,
            ha="left", va="center", color="#444444")
    ax.set_ylim(-0.5, 1.6)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: tick_money(v, lang)))
    ax.set_title("到达企业的资金：“1:5”的两种理解" if zh else "Capital reaching enterprises under both readings of “1:5”")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3 if not zh else 4)
    return fig


def _tick(v: float, unit: str, lang: str) -> str:
    if unit in ("亿元",):
        return money(v, lang, 2)
    return value_with_unit(v, unit, lang)


def heatmap_chart(grid: pd.DataFrame, scenario, lang: str):
    """The package multiplier over two parameters (seaborn heatmap), the scenario's values outlined."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    from matplotlib.patches import Rectangle

    use_style()
    zh = _zh(lang)
    x, y = grid["x"].iloc[0], grid["y"].iloc[0]
    ux, uy = param_unit(scenario, x), param_unit(scenario, y)
    piv = grid.pivot(index="y_value", columns="x_value", values="multiplier").sort_index(ascending=False)
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    sns.heatmap(piv, annot=True, fmt=".1f", cmap="cividis", ax=ax, linewidths=0.5, linecolor="white",
                cbar_kws={"label": "整体放大倍数" if zh else "Package multiplier"})
    ax.set_xticklabels([_tick(v, ux, lang) for v in piv.columns], rotation=0)
    ax.set_yticklabels([_tick(v, uy, lang) for v in piv.index], rotation=0)
    ax.set_xlabel(param_name(scenario, x, lang))
    ax.set_ylabel(param_name(scenario, y, lang))
    xi = list(piv.columns).index(scenario.value(x))
    yi = list(piv.index).index(scenario.value(y))
    ax.add_patch(Rectangle((xi, yi), 1, 1, fill=False, edgecolor=PALETTE[3], linewidth=2.5))
    ax.set_title("整体放大倍数（框：所用情景）" if zh else "Package multiplier (box: the scenario used)")
    ax.grid(False)
    return fig


def tornado_chart(torn: pd.DataFrame, scenario, lang: str, top: int | None = 12):
    """One-at-a-time sensitivity: bars from the base multiplier to its value at each parameter's low/high."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    use_style()
    zh = _zh(lang)
    t = torn.sort_values("swing", ascending=False, kind="stable")
    if top:
        t = t.head(top)
    t = t.iloc[::-1]
    base = float(t["base"].iloc[0])
    financing = scenario.total  # the split sums to the plan's financing amount (validated on loading)
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(t) + 1.4))
    labels = []
    for i, (_, r) in enumerate(t.iterrows()):
        unit = param_unit(scenario, r["code"])
        ax.barh(i, r["multiplier_low"] - base, left=base, color=PALETTE[0], height=0.6)
        ax.barh(i, r["multiplier_high"] - base, left=base, color=PALETTE[1], height=0.6)
        labels.append(f"{param_name(scenario, r['code'], lang)}  [{_tick(r['low'], unit, lang)} – "
                      f"{_tick(r['high'], unit, lang)}]")
    ax.set_yticks(range(len(t)), labels)
    ax.axvline(base, color="#222222", linewidth=1)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: times(v, lang)))
    per = money(financing, lang) if financing else ("融资资金" if zh else "financing money")
    ax.set_xlabel(f"整体放大倍数（到达企业资金 ÷ {per}）" if zh else f"Package multiplier (capital reaching firms ÷ {per})")
    ax.legend(handles=[Patch(color=PALETTE[0], label="参数取低值" if zh else "parameter at its low value"),
                       Patch(color=PALETTE[1], label="参数取高值" if zh else "parameter at its high value")],
              loc="lower right")
    ax.set_title((f"单因素敏感性（基准 {times(base, lang)}）" if zh
                  else f"One-at-a-time sensitivity (base {times(base, lang)})"))
    return fig


# --------------------------------------------------------------------------- execution (资金执行)
FUNDING_LABEL = {"central": {"zh": "中央奖励资金", "en": "Central award money"},
                 "local": {"zh": "地方资金", "en": "Local money"}}


def _area_name(alloc: pd.DataFrame, code: str, lang: str) -> str:
    if code == "total":
        return "合计" if _zh(lang) else "Total"
    return str(alloc.set_index("code").loc[code, f"name_{lang}"])


def rate_text(x: float, lang: str, flag: bool = True) -> str:
    """An execution rate; over 100% flagged (never capped)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    s = fmt.percent(x)
    if flag and x > 1 + 1e-9:
        s += "（超支）" if _zh(lang) else " (over-spent)"
    return s


def execution_display(ex: pd.DataFrame, alloc: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Area × year: spent, the year's execution rate (against an even share), cumulative rate, elapsed time,
    and the central/local split where the file gives it."""
    zh = _zh(lang)
    split = ex["central_100m_yuan"].notna().any()
    rows = []
    for _, r in ex.iterrows():
        row = {("领域" if zh else "Area"): _area_name(alloc, r["code"], lang),
               ("年份" if zh else "Year"): int(r["year"]),
               ("当年支出" if zh else "Spent in the year"): money(r["spent_100m_yuan"], lang),
               ("当年执行率（对年均额）" if zh else "Year's rate (vs an even third)"): rate_text(r["rate"], lang, flag=False),
               ("累计支出" if zh else "Spent to date"): money(r["cumulative_100m_yuan"], lang),
               ("累计执行率（对三年安排）" if zh else "Cumulative rate (vs three-year amount)"):
                   rate_text(r["cumulative_rate"], lang),
               ("时间进度" if zh else "Time elapsed"): fmt.percent(r["elapsed"], 0),
               ("快慢（个百分点）" if zh else "Ahead/behind time"): fmt.points(r["pace"], 1, lang)}
        if split:
            row[FUNDING_LABEL["central"][lang]] = money(r["central_100m_yuan"], lang)
            row[FUNDING_LABEL["local"][lang]] = money(r["local_100m_yuan"], lang)
        rows.append(row)
    return pd.DataFrame(rows)


def execution_alt(ex: pd.DataFrame, alloc: pd.DataFrame, lang: str) -> str:
    zh = _zh(lang)
    last = ex[ex["year"] == ex["year"].max()]
    y = int(ex["year"].max())
    parts = [(f"{_area_name(alloc, r['code'], lang)}累计支出{money(r['cumulative_100m_yuan'], lang)}，"
              f"安排{money(r['allocation_100m_yuan'], lang)}，执行率{rate_text(r['cumulative_rate'], lang)}") if zh
             else (f"{_area_name(alloc, r['code'], lang)} spent {money(r['cumulative_100m_yuan'], lang)} of "
                   f"{money(r['allocation_100m_yuan'], lang)}, {rate_text(r['cumulative_rate'], lang)}")
             for _, r in last.iterrows()]
    elapsed = fmt.percent(float(last["elapsed"].iloc[0]), 0)
    head = (f"截至{y}年累计执行率（时间进度{elapsed}）：" if zh else f"Cumulative execution to {y} (time elapsed {elapsed}): ")
    return head + ("；" if zh else "; ").join(parts)


def execution_chart(ex: pd.DataFrame, alloc: pd.DataFrame, lang: str):
    """Cumulative execution rate by area and year against the time elapsed (dashed); over 100% shown as is."""
    import matplotlib.pyplot as plt

    use_style()
    zh = _zh(lang)
    fig, ax = plt.subplots(figsize=(9, 3.8))
    years = sorted(ex["year"].unique())
    codes = [c for c in ex["code"].unique()]
    width = 0.8 / max(1, len(codes))
    for i, code in enumerate(codes):
        sel = ex[ex["code"] == code].set_index("year").reindex(years)
        xs = [y - 0.4 + width * (i + 0.5) for y in years]
        colour = "#444444" if code == "total" else PALETTE[i % len(PALETTE)]
        ax.bar(xs, (sel["cumulative_rate"] * 100).tolist(), width=width * 0.95, color=colour,
               label=_area_name(alloc, code, lang))
        for x, v in zip(xs, sel["cumulative_rate"]):
            if v > 1 + 1e-9:
                ax.text(x, v * 100 + 2, "超支" if zh else "over", ha="center", fontsize=7, color=PALETTE[3])
    el = ex.drop_duplicates("year").set_index("year").reindex(years)["elapsed"] * 100
    ax.plot(years, el.tolist(), color="#000000", linestyle="--", marker="o", label="时间进度" if zh else "Time elapsed")
    ax.axhline(100, color="#999999", linewidth=0.8)
    year_axis(ax, years)
    value_axis(ax, lambda v: f"{v:.0f}%")
    ax.set_ylim(0, max(110.0, float(ex["cumulative_rate"].max() * 100) + 15))
    ax.grid(axis="x", visible=False)
    ax.set_title("累计执行率与时间进度" if zh else "Cumulative execution rate against time elapsed")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncol=3)
    return fig


def execution_status(ex: pd.DataFrame | None, lang: str) -> str:
    """For the index: the cumulative execution rate of the whole 30亿元 to the report year."""
    if ex is None or ex.empty:
        return "无拨付数据" if _zh(lang) else "no disbursement data"
    t = ex[(ex["code"] == "total")]
    r = t[t["year"] == t["year"].max()].iloc[0]
    return (f"资金执行率{fmt.percent(r['cumulative_rate'], 0)}（时间进度{fmt.percent(r['elapsed'], 0)}）" if _zh(lang)
            else f"funds executed {fmt.percent(r['cumulative_rate'], 0)} (time elapsed {fmt.percent(r['elapsed'], 0)})")
