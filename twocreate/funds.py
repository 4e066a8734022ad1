"""The plan's money: the 30亿元 allocation and the leverage of the 20.6亿元 financing package.

Pure functions (no plotting, no writing); the one reader is :func:`load_scenario` (and
:func:`read_disbursements`) for the scenario files under ``data/raw/funds/``.

Units
    Every model function takes and returns money in *one* unit of the caller's choice (the
    result is in the unit of the input). The package functions (:func:`package` and the
    sensitivity functions) work in 亿元 (100 million yuan), the unit of the plan's §三. Shares
    and rates are fractions (0.25, not 25); interest "points" are fractions (0.02 = 2 points).

Conventions (each function says which one it follows)
    * "1:5" (§三(三)1(1) 按照1:5的比例放大) is read by default as public : *total* — the fund is
      5 × the public money, the EU convention (EFSI's "1:15" means €1 of public guarantee → €15 of
      total investment) and the one consistent with the Chinese practice of a guidance fund holding
      at most 20–25% of a sub-fund. The public : *private* reading (fund = 6 × public) is shown beside it.
    * Mobilised capital counts only the money that reaches final recipients (enterprises). Adding up
      the layers of a fund of funds double-counts: the European Court of Auditors found this in
      EFSI's reported figures (Special Report 03/2019).
    * Lending capacities are outstanding amounts (stocks) at a point in time, gross of deadweight:
      they are what the public money can support, not what it adds.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from . import config, units
from .io import InputError, Problem, raise_problems, read_table
from .instruments import (  # noqa: F401 - re-exported: the instruments are part of the fund model
    annuity_factor, BASES, co_funded, expected_loss_rate, fund_of_funds, fund_of_funds_layers,
    grant_equivalent, GUARANTEE_CAP, GUARANTEE_CAP_SMALL_MICRO, guarantee_capacity, guidance_fund,
    GuidanceFund, interest_subsidy_cost, listing_subsidy_cost, loans_per_subsidy, risk_pool_capacity,
    risk_pool_scenarios, risk_pool_years, validate_basis, validate_money, validate_nonneg, validate_positive,
    validate_share, _blank, _fail)


def default_scenario() -> Path:
    """The shipped fund-model scenario (``data/raw/funds/default_scenario.csv``)."""
    return config.paths().raw / "funds" / "default_scenario.csv"


def example_disbursements() -> Path:
    """The shipped illustrative disbursements (``data/raw/funds/disbursements_example.csv``)."""
    return config.paths().raw / "funds" / "disbursements_example.csv"


def plan_disbursements(plan) -> Path | None:
    """The disbursement file a plan's reports use by default: the ``disbursements`` file its
    ``plan.toml`` names (in the plan folder or ``data/raw/funds/``, bounded by
    :func:`twocreate.plan.plan_file`), None if it names none."""
    from .plan import plan_file
    return plan_file(plan, "disbursements", None)


# the former constants, resolved when used
__getattr__ = config.former_constants(__name__, FUNDS_DIR=lambda: config.paths().raw / "funds",
                                      DEFAULT_SCENARIO=default_scenario, EXAMPLE_DISBURSEMENTS=example_disbursements)

# The instruments the 20.6亿元 of §三(三) is split among (scenario rows of group "split").
SPLIT_CODES = ("guidance_fund", "sector_funds", "fund_of_funds", "guarantee", "risk_pool", "cost_subsidy",
               "listing")
# Model assumptions (scenario rows of group "parameter") and what each must be.
SHARE, POSITIVE, NONNEG, MULTIPLE, COUNT = "share", "positive", "nonneg", "multiple", "count"
PARAM_KINDS: dict[str, str] = {
    "sector_public_share": SHARE,
    "fof_public_share": SHARE,
    "fof_subfund_share": SHARE,
    "co_investment": POSITIVE,
    "pool_multiple": POSITIVE,
    "pool_loss_share": SHARE,
    "default_rate": SHARE,
    "loss_given_default": SHARE,
    "guarantee_multiple": POSITIVE,
    "subsidy_points": SHARE,
    "subsidy_years": POSITIVE,
    "discount_rate": NONNEG,
    "listing_neeq_count": COUNT,
    "listing_main_board_count": COUNT,
    "listing_regional_count": COUNT,
}
PARAM_CODES = tuple(PARAM_KINDS)
# listing-count parameter → plan instrument code (instruments.csv) holding the subsidy per firm (万元)
LISTING_VENUES = {"listing_neeq_count": "listing_neeq", "listing_main_board_count": "listing_main_board",
                  "listing_regional_count": "listing_regional"}
# Parameters that change the package multiplier (listing counts and the discount rate do not, by default).
PACKAGE_PARAMS = ("sector_public_share", "fof_public_share", "fof_subfund_share", "co_investment", "pool_multiple",
                  "pool_loss_share", "default_rate", "loss_given_default", "guarantee_multiple", "subsidy_points",
                  "subsidy_years")
BASIS_VALUES = ("plan", "assumption", "data")


SCENARIO_COLUMNS = ["code", "group", "name_zh", "name_en", "value", "unit", "low", "high", "basis", "section",
                    "rationale_zh", "rationale_en"]


def validate_param(code: str, value: object) -> float:
    """Check one model assumption by its kind (:data:`PARAM_KINDS`)."""
    kind = PARAM_KINDS.get(code)
    if kind is None:
        raise InputError(f"unknown parameter {code!r}: expected one of {', '.join(PARAM_CODES)}")
    if kind == SHARE:
        return validate_share(code, value)
    if kind == POSITIVE:
        return validate_positive(code, value)
    x = validate_nonneg(code, value)
    if kind == COUNT and abs(x - round(x)) > 1e-9:
        _fail(code, value, "a whole number of firms ≥ 0")
    return x


def validate_split(split: Mapping[str, object], total: float, tol: float = 1e-6) -> dict[str, float]:
    """Check a split of the financing money among instruments (亿元) and return it as floats.

    Every code of :data:`SPLIT_CODES` must be there (0 is allowed), no other code, no negative
    amount, and the amounts must add up to ``total`` (the plan's 20.6亿元) within ``tol``.
    """
    unknown = [k for k in split if k not in SPLIT_CODES]
    if unknown:
        raise InputError(f"split: unknown instrument(s) {', '.join(map(repr, unknown))}: "
                         f"expected {', '.join(SPLIT_CODES)}")
    missing = [k for k in SPLIT_CODES if k not in split]
    if missing:
        raise InputError(f"split: missing instrument(s) {', '.join(missing)}: give every one of "
                         f"{', '.join(SPLIT_CODES)} (0 for none)")
    out = {k: validate_money(f"split[{k}]", split[k]) for k in SPLIT_CODES}
    s = sum(out.values())
    if abs(s - total) > tol:
        raise InputError(f"split: amounts sum to {s:g} 亿元: expected the financing total {total:g} 亿元 "
                         f"(§三(三)); difference {s - total:+g} 亿元")
    return out


# --------------------------------------------------------------------------- allocation
def allocation(plan) -> pd.DataFrame:
    """The 30亿元 of §三 by area: ``code, name_zh, name_en, amount_100m_yuan, share, section``.

    ``share`` is the fraction of the plan's total (5.01 / 4.39 / 20.6 of 30亿元). Plan figures only.
    """
    f = plan.funds
    total = plan.fund_amount("total")
    rows = []
    for _, r in f[f["code"] != "total"].iterrows():
        amt = plan.fund_amount(r["code"])
        rows.append({"code": r["code"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                     "amount_100m_yuan": amt, "share": amt / total, "section": r["section"]})
    return pd.DataFrame(rows)


def phasing(alloc: pd.DataFrame, years: Iterable[int] = (2016, 2017, 2018),
            disbursements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Yearly phasing of each area's amount: ``code, year, amount_100m_yuan, source, status``.

    Convention: even phasing (amount / number of years, ``source`` "even", ``status`` "assumption")
    unless ``disbursements`` (from :func:`read_disbursements`) gives an area's actual yearly amounts,
    which then replace the even split for that area (``source`` "data", its own status).
    """
    years = [int(y) for y in years]
    if not years:
        raise InputError("phasing: expected at least one year")
    rows = []
    given = set() if disbursements is None else set(disbursements["code"])
    for _, a in alloc.iterrows():
        if a["code"] in given:
            d = disbursements[disbursements["code"] == a["code"]]
            for y in years:
                sel = d[d["year"] == y]
                rows.append({"code": a["code"], "year": y,
                             "amount_100m_yuan": float(sel["amount_100m_yuan"].sum()) if len(sel) else 0.0,
                             "source": "data", "status": ";".join(sorted(set(d["status"])))})
        else:
            for y in years:
                rows.append({"code": a["code"], "year": y, "amount_100m_yuan": a["amount_100m_yuan"] / len(years),
                             "source": "even", "status": "assumption"})
    return pd.DataFrame(rows)


def _disbursement_amount(row: dict, ctx: dict):
    """The amount in 亿元 (``amount_100m_yuan``), from the row's amount and money unit."""
    row["amount_100m_yuan"] = units.convert(row["amount"], row["unit"], "亿元")
    return ()


def disbursements_schema() -> "Schema":
    """Yearly disbursements by fund area: ``code, year, amount, unit, status, source`` (+ ``funding``)."""
    from .schema import Choice, Code, Column, Number, RowCheck, Schema, Status, Text, Unit, Year
    return Schema("disbursements", (
        Column("code", Code(key="codes", expected="one of {codes}")),
        Column("year", Year(range_key="years", expected="a year such as 2016"), blank="a year such as 2016"),
        Column("amount", Number(low=0, expected="an amount of money ≥ 0"), blank="an amount of money ≥ 0"),
        Column("unit", Unit("money", "a money unit (元, 万元, 亿元)"), blank="a money unit (元, 万元, 亿元)"),
        Column("status", Status(), blank="a status (official/正式, provisional/初步, estimate/估计, illustrative/示例)"),
        Column("source", Text(), blank=True, default=""),
        Column("funding", Choice(FUNDING_WORDS, "central or local (中央 or 地方), or blank when not known"),
               required=False, blank=True, default=""),
    ), row_checks=(RowCheck(("amount", "unit"), _disbursement_amount),))


def read_disbursements(path: str | os.PathLike | None = None, codes: Iterable[str] | None = None, *,
                       limits=None) -> pd.DataFrame:
    """Read a file of yearly disbursements by area: columns ``code, year, amount, unit, status, source``.

    Returns ``code, year, amount_100m_yuan, status, source`` (``status`` normalised as in every input:
    示例 → ``illustrative``, so the fund report keeps its illustrative mark). ``codes`` (the allocation's
    area codes) restricts ``code``. Raises :class:`InputError` naming file, row, column and value.
    """
    from .schema import validate
    path = Path(path) if path is not None else example_disbursements()
    schema = disbursements_schema()
    df = read_table(path, required=schema.required, limits=limits)
    ctx = {"codes": sorted(set(codes)) if codes is not None else None}
    table, problems = validate(df, schema, ctx)
    raise_problems(problems)
    out = table[["code", "year", "amount_100m_yuan", "status", "source", "funding"]].copy() if len(table) else \
        pd.DataFrame(columns=["code", "year", "amount_100m_yuan", "status", "source", "funding"])
    out["year"] = out["year"].astype(int)
    out["amount_100m_yuan"] = out["amount_100m_yuan"].astype(float)
    out.attrs["path"] = str(path)
    out.attrs["has_funding"] = "funding" in df.columns
    out.attrs.update(source=df.attrs.get("source", ""), encoding=df.attrs.get("encoding", ""),
                     warnings=df.attrs.get("warnings", []))
    return out


# --------------------------------------------------------------------------- execution (资金执行)
FUNDING_WORDS = {"central": "central", "中央": "central", "中央财政": "central", "中央奖励资金": "central",
                 "local": "local", "地方": "local", "地方财政": "local", "市级": "local", "本级": "local"}


def execution(alloc: pd.DataFrame, disbursements: pd.DataFrame, year: int,
              years: Iterable[int] = (2016, 2017, 2018)) -> pd.DataFrame:
    """Money spent against the plan's allocation, by area and year up to ``year`` (资金执行).

    Returns one row per area (and ``total``) and year ≤ ``year``: ``code, year, spent_100m_yuan,
    allocation_100m_yuan`` (three-year amount), ``yearly_reference_100m_yuan`` (allocation ÷ number
    of years: the plan sets no yearly amounts, so the year's rate is taken against an even share),
    ``rate`` (spent ÷ yearly reference), ``cumulative_100m_yuan``, ``cumulative_rate`` (cumulative ÷
    allocation), ``elapsed`` (share of the period gone by the end of the year), ``pace``
    (cumulative_rate − elapsed), ``overspend`` (True when ``cumulative_rate`` exceeds 100%: more
    spent than allocated; flagged, never capped — a year's ``rate`` above 100% only means more than
    an even third was spent that year) and ``central_100m_yuan`` / ``local_100m_yuan`` (blank when the
    file has no ``funding`` column or the rows do not say). Disbursements after ``year`` are ignored.
    """
    years = [int(y) for y in years]
    upto = [y for y in years if y <= int(year)]
    n = len(years)
    has_funding = bool(disbursements.attrs.get("has_funding", "funding" in disbursements.columns
                                               and (disbursements["funding"] != "").any()))
    areas = list(alloc[["code", "amount_100m_yuan"]].itertuples(index=False))
    areas.append(("total", float(alloc["amount_100m_yuan"].sum())))
    rows = []
    for code, amount in areas:
        d = disbursements if code == "total" else disbursements[disbursements["code"] == code]
        cum = 0.0
        for y in upto:
            sel = d[d["year"] == y]
            spent = float(sel["amount_100m_yuan"].sum())
            cum += spent
            ref = amount / n
            rate = spent / ref if ref else math.nan
            crate = cum / amount if amount else math.nan
            elapsed = (years.index(y) + 1) / n
            row = {"code": code, "year": y, "spent_100m_yuan": spent, "allocation_100m_yuan": amount,
                   "yearly_reference_100m_yuan": ref, "rate": rate, "cumulative_100m_yuan": cum,
                   "cumulative_rate": crate, "elapsed": elapsed, "pace": crate - elapsed,
                   "overspend": bool(crate > 1 + 1e-9),
                   "central_100m_yuan": math.nan, "local_100m_yuan": math.nan, "has_data": len(sel) > 0}
            if has_funding and "funding" in sel.columns:
                known = sel[sel["funding"] != ""]
                if len(known):
                    row["central_100m_yuan"] = float(known.loc[known["funding"] == "central", "amount_100m_yuan"].sum())
                    row["local_100m_yuan"] = float(known.loc[known["funding"] == "local", "amount_100m_yuan"].sum())
            rows.append(row)
    return pd.DataFrame(rows)


def listing_rates(plan) -> dict[str, float]:
    """Subsidy per listed firm by venue code (``listing_neeq`` …), 万元, from the plan's instruments."""
    return {code: plan.instrument_value(code) for code in LISTING_VENUES.values()}


# --------------------------------------------------------------------------- the scenario
@dataclass(frozen=True)
class Scenario:
    """A financing scenario: the split of the 20.6亿元 (亿元) and the model assumptions.

    ``table`` keeps the file's rows (names, units, ranges, basis, rationale) for display;
    ``split`` and ``params`` hold the values in use (after any override); ``ranges`` the
    low/high values for sensitivity; ``overridden`` the codes changed from the file.
    """

    split: dict[str, float]
    params: dict[str, float]
    ranges: dict[str, tuple[float, float]]
    table: pd.DataFrame = field(repr=False, compare=False)
    path: Path | None = None
    overridden: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return sum(self.split.values())

    def value(self, code: str) -> float:
        if code in self.split:
            return self.split[code]
        if code in self.params:
            return self.params[code]
        raise KeyError(f"unknown scenario code {code!r}")

    def with_values(self, total: float | None = None, **values: float) -> "Scenario":
        """A copy with some values changed (``None`` values are ignored), validated.

        Changing split amounts requires the split to still sum to ``total`` (default: this scenario's total).
        """
        values = {k: v for k, v in values.items() if v is not None}
        if not values:
            return self
        split, params = dict(self.split), dict(self.params)
        for k, v in values.items():
            if k in split:
                split[k] = v
            elif k in params:
                params[k] = validate_param(k, v)
            else:
                raise InputError(f"unknown scenario parameter {k!r}: expected one of "
                                 f"{', '.join(SPLIT_CODES + PARAM_CODES)}")
        split = validate_split(split, self.total if total is None else total)
        over = tuple(dict.fromkeys(self.overridden + tuple(values)))
        return replace(self, split=split, params=params, overridden=over)

    def with_split_amount(self, code: str, amount: float) -> "Scenario":
        """Set one instrument's amount, rescaling the others proportionally so the total is unchanged."""
        return replace(self, split=rebalance(self.split, code, amount),
                       overridden=tuple(dict.fromkeys(self.overridden + (code,))))


def rebalance(split: Mapping[str, float], code: str, amount: float) -> dict[str, float]:
    """Set ``split[code] = amount`` and scale the other amounts so the total stays the same."""
    if code not in split:
        raise InputError(f"split: unknown instrument {code!r}: expected one of {', '.join(split)}")
    total = sum(split.values())
    amount = validate_money(f"split[{code}]", amount)
    if amount > total + 1e-12:
        _fail(f"split[{code}]", amount, f"at most the financing total {total:g} 亿元")
    rest = total - split[code]
    out = {}
    for k, v in split.items():
        if k == code:
            out[k] = amount
        elif rest > 0:
            out[k] = v * (total - amount) / rest
        else:
            out[k] = (total - amount) / (len(split) - 1)
    return out


def _scenario_group(row: dict, ctx: dict):
    group = "split" if row["code"] in SPLIT_CODES else "parameter"
    row["_group"] = group
    if row["group"] != group:
        yield "group", row["group"], f"'{group}' for code {row['code']}"


def _scenario_values(row: dict, ctx: dict):
    code, group = row["code"], "split" if row["code"] in SPLIT_CODES else "parameter"
    ok = True
    for col in ("value", "low", "high"):
        try:
            (validate_money if group == "split" else validate_param)(code, row[col])
        except InputError as e:
            ok = False
            yield col, row[f"_raw_{col}"], str(e).split(": expected ", 1)[-1]
    if ok and not (row["low"] <= row["value"] <= row["high"]):
        yield "value", row["_raw_value"], f"a value within its range low {row['low']:g} … high {row['high']:g}"
    if group == "split":
        u = str(row["unit"])
        if not units.is_known(u) or units.UNITS[u][0] != "money":
            yield "unit", row["unit"], "a money unit (亿元, 万元, 元)"


def _scenario_basis(row: dict, ctx: dict):
    if row["basis"] == "plan" and _blank(row["section"]):
        yield "section", row["section"], "the plan section for a 'plan' figure"
    elif row["basis"] != "plan" and _blank(row["rationale_en"]) and _blank(row["rationale_zh"]):
        yield "rationale_en", None, f"a short rationale or source for the {row['basis']} figure"


def _scenario_complete(table: pd.DataFrame, ctx: dict):
    seen = set(table["code"]) | set(ctx.get("seen", ()))
    for code in SPLIT_CODES + PARAM_CODES:
        if code not in seen:
            yield Problem(ctx["source"], None, "code", code, f"a row for {code} (missing)")


def scenario_schema():
    """A financing scenario: the split of the plan's financing total by instrument and the model's
    assumptions, each with a range and a basis (plan section, assumption or data, with a rationale)."""
    from .schema import Code, Column, Number, RowCheck, Schema, Text
    return Schema("scenario", (
        Column("code", Code(values=SPLIT_CODES + PARAM_CODES, expected="one of {codes}"),
               blank="one of " + ", ".join(SPLIT_CODES + PARAM_CODES)),
        Column("group", Text(), blank=True),
        Column("name_zh", Text(), blank=True),
        Column("name_en", Text(), blank=True),
        *(Column(c, Number(expected="a number"), blank="a number") for c in ("value", "low", "high")),
        Column("unit", Text(), blank=True),
        Column("basis", Code(values=BASIS_VALUES, expected="'plan' (with its section), 'assumption' or 'data' "
                                                           "(with a rationale/source)"),
               blank="'plan' (with its section), 'assumption' or 'data' (with a rationale/source)"),
        Column("section", Text(), blank=True),
        Column("rationale_zh", Text(), blank=True),
        Column("rationale_en", Text(), blank=True),
    ), row_checks=(RowCheck(("code",), _scenario_group, stop=False),
                   RowCheck(("code", "value", "low", "high"), _scenario_values),
                   RowCheck(("basis",), _scenario_basis)),
        unique=((("code",), "code", "a code not repeated in the file"),),
        table_checks=(_scenario_complete,))


def load_scenario(path: str | os.PathLike | None = None, total: float | None = None, *, limits=None) -> Scenario:
    """Read a scenario file (default ``data/raw/funds/default_scenario.csv``) and validate it.

    Columns: ``code, group, name_zh, name_en, value, unit, low, high, basis, section, rationale_zh,
    rationale_en``. Group ``split`` rows are the 20.6亿元 by instrument (亿元, ≥ 0); group ``parameter``
    rows the model assumptions (shares in (0, 1], multiples > 0 …). ``low ≤ value ≤ high``. ``basis``
    is ``plan`` (the ``section`` must be given), ``assumption`` or ``data`` (a published figure), each
    with a rationale. With ``total`` (the plan's financing amount) the split must sum to it.
    Raises :class:`InputError` naming file, row, column and value.
    """
    from .schema import validate
    path = Path(path) if path is not None else default_scenario()
    schema = scenario_schema()
    df = read_table(path, required=SCENARIO_COLUMNS, limits=limits)
    src = df.attrs["source"]
    raw = df.assign(**{f"_raw_{c}": df[c] for c in ("value", "low", "high")})
    table, problems = validate(raw, schema, {"source": src, "seen": [c for c in df["code"] if c]}, source=src)
    raise_problems(problems)
    split: dict[str, float] = {}
    params: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for _, r in table.iterrows():
        f = units.conversion_factor(str(r["unit"]), "亿元") if r["code"] in SPLIT_CODES else 1.0
        (split if r["code"] in SPLIT_CODES else params)[r["code"]] = r["value"] * f  # split units → 亿元
        ranges[r["code"]] = (r["low"] * f, r["high"] * f)
    if total is not None:
        s = sum(split.values())
        if abs(s - total) > 1e-6:
            raise InputError(f"{src}: column 'value': the split rows sum to {s:g} 亿元: expected the plan's "
                             f"financing total {total:g} 亿元 (§三(三)); difference {s - total:+g} 亿元")
    out = df.copy()
    for col in ("value", "low", "high"):
        out[col] = table[col].astype(float).to_numpy()
    out.attrs = df.attrs
    return Scenario(split={k: split[k] for k in SPLIT_CODES}, params={k: params[k] for k in PARAM_CODES},
                    ranges=ranges, table=out, path=path)


# --------------------------------------------------------------------------- the whole package
PACKAGE_ORDER = SPLIT_CODES


def package(split: Mapping[str, float], params: Mapping[str, float], *, ratio: float = 5.0,
            basis: str = "total", pv_subsidy: bool = False, small_micro: bool = True) -> pd.DataFrame:
    """Capital reaching enterprises from each instrument of the financing package (亿元).

    Per instrument (``split`` amounts, 亿元):

    * ``guidance_fund``: :func:`guidance_fund` total (ratio, basis);
    * ``sector_funds``: :func:`co_funded` at ``sector_public_share``;
    * ``fund_of_funds``: :func:`fund_of_funds` (s1, s2, c) — the enterprise layer only;
    * ``guarantee``: :func:`guarantee_capacity` — public money as net assets × multiple;
    * ``risk_pool``: :func:`risk_pool_capacity` (k, c, PD × LGD);
    * ``cost_subsidy``: loans carrying the subsidy, budget × :func:`loans_per_subsidy`; with
      ``pv_subsidy`` the budget is read as a present value (÷ Δr × annuity factor);
    * ``listing``: the grants themselves (× 1).

    Columns ``code, public_100m_yuan, reaching_100m_yuan, multiplier``. Summing instruments assumes
    they reach different loans and firms; where one loan is guaranteed, pool-covered and subsidised
    at once the sum is an upper bound.
    """
    p = {k: validate_param(k, params[k]) for k in PACKAGE_PARAMS}
    el = expected_loss_rate(p["default_rate"], p["loss_given_default"])
    per_subsidy = loans_per_subsidy(p["subsidy_points"], p["subsidy_years"])
    if pv_subsidy:
        per_subsidy = 1.0 / (p["subsidy_points"] * annuity_factor(p["subsidy_years"],
                                                                  validate_param("discount_rate", params["discount_rate"])))
    reach = {
        "guidance_fund": guidance_fund(split["guidance_fund"], ratio, basis).total,
        "sector_funds": co_funded(split["sector_funds"], p["sector_public_share"]),
        "fund_of_funds": fund_of_funds(split["fund_of_funds"], p["fof_public_share"], p["fof_subfund_share"],
                                       p["co_investment"]),
        "guarantee": guarantee_capacity(split["guarantee"], p["guarantee_multiple"], small_micro),
        "risk_pool": risk_pool_capacity(split["risk_pool"], p["pool_multiple"], p["pool_loss_share"], el),
        "cost_subsidy": validate_money("split[cost_subsidy]", split["cost_subsidy"]) * per_subsidy,
        "listing": validate_money("split[listing]", split["listing"]),
    }
    rows = []
    for code in PACKAGE_ORDER:
        pub = float(split[code])
        rows.append({"code": code, "public_100m_yuan": pub, "reaching_100m_yuan": reach[code],
                     "multiplier": reach[code] / pub if pub > 0 else math.nan})
    return pd.DataFrame(rows)


def package_multiplier(split: Mapping[str, float], params: Mapping[str, float], **kw) -> float:
    """Capital reaching enterprises per yuan of the financing money: Σ reaching / Σ public."""
    t = package(split, params, **kw)
    return float(t["reaching_100m_yuan"].sum() / t["public_100m_yuan"].sum())


def both_readings(scenario: Scenario, ratio: float = 5.0, **kw) -> pd.DataFrame:
    """The package under both readings of "1:ratio": one row per basis.

    Columns ``basis, guidance_public, guidance_private, guidance_total, guidance_multiplier,
    package_public, package_reaching, package_multiplier`` (money in 亿元).
    """
    rows = []
    for basis in BASES:
        g = guidance_fund(scenario.split["guidance_fund"], ratio, basis)
        t = package(scenario.split, scenario.params, ratio=ratio, basis=basis, **kw)
        pub, reach = t["public_100m_yuan"].sum(), t["reaching_100m_yuan"].sum()
        rows.append({"basis": basis, "guidance_public": g.public, "guidance_private": g.private,
                     "guidance_total": g.total, "guidance_multiplier": g.multiplier,
                     "package_public": pub, "package_reaching": reach, "package_multiplier": reach / pub})
    return pd.DataFrame(rows)


def _scenario_at(scenario: Scenario, code: str, value: float) -> Scenario:
    if code in scenario.split:
        return scenario.with_split_amount(code, value)
    return scenario.with_values(**{code: value})


def tornado(scenario: Scenario, codes: Iterable[str] | None = None, **kw) -> pd.DataFrame:
    """One-at-a-time sensitivity of the package multiplier over each code's low/high range.

    A split amount moved to its low/high rescales the other instruments so the 20.6亿元 total is
    kept. Columns ``code, low, high, multiplier_low, multiplier_high, base, swing`` (swing =
    |high − low| of the multiplier), sorted by swing, largest first. ``codes`` default: every split
    row and every parameter that enters the multiplier.
    """
    codes = list(codes) if codes is not None else list(SPLIT_CODES) + list(PACKAGE_PARAMS)
    if kw.get("pv_subsidy") and "discount_rate" not in codes:
        codes.append("discount_rate")
    base = package_multiplier(scenario.split, scenario.params, **kw)
    rows = []
    for code in codes:
        lo, hi = scenario.ranges[code]
        m_lo = package_multiplier(*_sp(_scenario_at(scenario, code, lo)), **kw)
        m_hi = package_multiplier(*_sp(_scenario_at(scenario, code, hi)), **kw)
        rows.append({"code": code, "low": lo, "high": hi, "value": scenario.value(code), "multiplier_low": m_lo,
                     "multiplier_high": m_hi, "base": base, "swing": abs(m_hi - m_lo)})
    return pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


def _sp(s: Scenario) -> tuple[dict, dict]:
    return s.split, s.params


def _nice_step(span: float, target: int = 6) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^k) giving about ``target`` intervals over ``span``."""
    raw = span / target
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if m * mag >= raw * 0.75:
            return m * mag
    return 10 * mag


def grid_values(scenario: Scenario, code: str, n: int | None = None) -> list[float]:
    """Values over a code's low/high range for a sensitivity grid, ends and the scenario value included.

    With ``n`` the values are ``n`` evenly spaced points; without, round steps (1, 2, 2.5, 5 × 10^k).
    """
    lo, hi = scenario.ranges[code]
    if hi == lo:
        vals = [lo]
    elif n is not None:
        n = max(2, int(n))
        vals = [round(lo + (hi - lo) * i / (n - 1), 12) for i in range(n - 1)] + [hi]
    else:
        step = _nice_step(hi - lo)
        start = math.ceil(lo / step - 1e-9) * step
        vals = [lo] + [round(start + i * step, 12) for i in range(int((hi - start) / step + 1e-9) + 1)] + [hi]
        vals = [v for v in vals if lo <= v <= hi]
    return sorted(set(vals) | {scenario.value(code)})


def sensitivity_grid(scenario: Scenario, x: str, y: str, x_values: Iterable[float] | None = None,
                     y_values: Iterable[float] | None = None, n: int | None = None, **kw) -> pd.DataFrame:
    """The package multiplier over a grid of two codes (the rest at their scenario values).

    Tidy: ``x, y, x_value, y_value, multiplier, reaching_100m_yuan``. Split codes rescale the others.
    """
    if x == y:
        raise InputError(f"sensitivity grid: the two parameters must differ, got {x!r} twice")
    xs = list(x_values) if x_values is not None else grid_values(scenario, x, n)
    ys = list(y_values) if y_values is not None else grid_values(scenario, y, n)
    rows = []
    for xv in xs:
        sx = _scenario_at(scenario, x, xv)
        for yv in ys:
            s = _scenario_at(sx, y, yv)
            t = package(s.split, s.params, **kw)
            reach = float(t["reaching_100m_yuan"].sum())
            rows.append({"x": x, "y": y, "x_value": xv, "y_value": yv,
                         "multiplier": reach / float(t["public_100m_yuan"].sum()), "reaching_100m_yuan": reach})
    return pd.DataFrame(rows)


def top_two(tornado_table: pd.DataFrame) -> tuple[str, str]:
    """The two codes with the largest swing in a :func:`tornado` table (the heatmap's axes)."""
    codes = tornado_table.sort_values("swing", ascending=False, kind="stable")["code"].tolist()
    if len(codes) < 2:
        raise InputError("sensitivity: need at least two parameters with a range")
    return codes[0], codes[1]


def listing_table(scenario: Scenario, rates_10k_yuan: Mapping[str, float]) -> pd.DataFrame:
    """Listing subsidies by venue: ``venue, count, rate_10k_yuan, cost_10k_yuan`` (counts assumed, rates the plan's)."""
    rows = []
    for pcode, venue in LISTING_VENUES.items():
        n = scenario.params[pcode]
        rate = rates_10k_yuan[venue]
        rows.append({"venue": venue, "count": n, "rate_10k_yuan": rate,
                     "cost_10k_yuan": listing_subsidy_cost({venue: n}, {venue: rate})})
    return pd.DataFrame(rows)


def package_by_basis(scenario: Scenario, ratio: float = 5.0, **kw) -> pd.DataFrame:
    """:func:`package` for both readings of "1:ratio", stacked: ``basis`` column first (tidy, 亿元)."""
    parts = [package(scenario.split, scenario.params, ratio=ratio, basis=b, **kw).assign(basis=b) for b in BASES]
    out = pd.concat(parts, ignore_index=True)
    return out[["basis", "code", "public_100m_yuan", "reaching_100m_yuan", "multiplier"]]
