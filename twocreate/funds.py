"""A plan's money: its allocation by area (``funds.csv``), the spending against it, and the
leverage of the area whose money the plan puts into financing instruments (``instruments.csv``).

Pure functions (no plotting, no writing, no words); the readers are :func:`load_scenario` and
:func:`read_disbursements` for the files under ``data/raw/funds/``. What a plan gives comes from its
folder: the areas and amounts (``funds.csv``), the fund period (its ``period_start`` …
``period_end``), the instruments by ``group`` (``fund``, ``sector_fund``, ``fund_of_funds``,
``guarantee``, ``risk_pool``, ``subsidy``, ``listing_subsidy``), the leverage ratio (the ``fund``
instrument with parameter ``leverage_ratio``), the listing subsidies per firm, and in ``plan.toml``
the default files (``scenario``, ``scenario_fund``, ``disbursements``). :func:`fund_model` puts it all
together for a report year.

Units
    Every model function takes and returns money in *one* unit of the caller's choice (the
    result is in the unit of the input). The package functions (:func:`package` and the
    sensitivity functions) work in 亿元 (100 million yuan). Shares and rates are fractions
    (0.25, not 25); interest "points" are fractions (0.02 = 2 points).

Symbols (:data:`SYMBOLS`, one per parameter): G public money, s1 and s2 the fund-of-funds shares,
c the co-investment factor, k the pool's lending multiple, α the pool's share of losses, PD and LGD.

Conventions (each function says which one it follows)
    * A guidance fund's "1:r" (the plan's leverage ratio) is read by default as public : *total* —
      the fund is r × the public money, the EU convention (EFSI's "1:15" means €1 of public
      guarantee → €15 of total investment) and the one consistent with the Chinese practice of a
      guidance fund holding at most 20–25% of a sub-fund. The public : *private* reading
      (fund = (r + 1) × public) is shown beside it.
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

from . import units
from .io import DATA_RAW, InputError, Problem, parse_number, raise_problems, read_table

FUNDS_DIR = DATA_RAW / "funds"
DEFAULT_SCENARIO = FUNDS_DIR / "default_scenario.csv"
EXAMPLE_DISBURSEMENTS = FUNDS_DIR / "disbursements_example.csv"

BASES = ("total", "private")
# The instruments a scenario splits the financing money among (scenario rows of group "split").
SPLIT_CODES = ("guidance_fund", "sector_funds", "fund_of_funds", "guarantee", "risk_pool", "cost_subsidy",
               "listing")
# The instrument group of instruments.csv each split row stands for (the plan's instruments of that group).
SPLIT_GROUPS = {"guidance_fund": "fund", "sector_funds": "sector_fund", "fund_of_funds": "fund_of_funds",
                "guarantee": "guarantee", "risk_pool": "risk_pool", "cost_subsidy": "subsidy",
                "listing": "listing_subsidy"}
INSTRUMENT_GROUPS = ("fund", "sector_fund", "fund_of_funds", "sub_fund", "guarantee", "risk_pool", "subsidy",
                     "listing_subsidy")
LEVERAGE_PARAMETER = "leverage_ratio"  # instruments.csv: the fund's "1:r"
LISTING_PARAMETER = "subsidy_per_firm"  # instruments.csv: a listing subsidy per firm
LISTING_COUNT_SUFFIX = "_count"  # scenario: the assumed number of firms of listing instrument <code>
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
# The unit each model parameter is in (the scenario file's ``unit`` column says the same in words).
PARAM_UNITS: dict[str, str] = {
    "sector_public_share": "share", "fof_public_share": "share", "fof_subfund_share": "share",
    "co_investment": "times", "pool_multiple": "times", "pool_loss_share": "share", "default_rate": "share",
    "loss_given_default": "share", "guarantee_multiple": "times", "subsidy_points": "share",
    "subsidy_years": "years", "discount_rate": "share", "listing_neeq_count": "firms",
    "listing_main_board_count": "firms", "listing_regional_count": "firms",
}
# One symbol per parameter in formulas, text and tables (never the same symbol for two parameters).
SYMBOLS: dict[str, str] = {
    "guidance_public": "G", "fof_public_share": "s1", "fof_subfund_share": "s2", "co_investment": "c",
    "pool_multiple": "k", "pool_loss_share": "α", "default_rate": "PD", "loss_given_default": "LGD",
}
# Parameters that change the package multiplier (listing counts and the discount rate do not, by default).
PACKAGE_PARAMS = ("sector_public_share", "fof_public_share", "fof_subfund_share", "co_investment", "pool_multiple",
                  "pool_loss_share", "default_rate", "loss_given_default", "guarantee_multiple", "subsidy_points",
                  "subsidy_years")
BASIS_VALUES = ("plan", "assumption", "data")

# State Council Decree No. 683 (2017), 《融资担保公司监督管理条例》 Art. 15: outstanding guarantees ≤ 10 × net
# assets; up to 15 × for guarantors that mainly serve small/micro firms and agriculture.
GUARANTEE_CAP = 10.0
GUARANTEE_CAP_SMALL_MICRO = 15.0

SCENARIO_COLUMNS = ["code", "group", "name_zh", "name_en", "value", "unit", "low", "high", "basis", "section",
                    "rationale_zh", "rationale_en"]


# --------------------------------------------------------------------------- validation
def _blank(v: object) -> bool:
    """True for a missing cell (None, NaN or blank text)."""
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == ""


def _fail(name: str, value: object, expected: str) -> None:
    raise InputError(f"parameter '{name}': value {value!r}: expected {expected}")


def _number(name: str, value: object) -> float:
    if isinstance(value, bool) or value is None:
        _fail(name, value, "a number")
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        _fail(name, value, "a number")
    if math.isnan(x) or math.isinf(x):
        _fail(name, value, "a finite number")
    return x


def _checked(name: str, value: object, ok, expected: str) -> float:
    """``value`` as a float if it is a finite number for which ``ok(x)`` holds, else :class:`InputError`."""
    x = _number(name, value)
    if not ok(x):
        _fail(name, value, expected)
    return x


def validate_money(name: str, value: object) -> float:
    """``value`` as a float if it is a finite amount of money ≥ 0, else :class:`InputError`."""
    return _checked(name, value, lambda x: x >= 0, "an amount of money ≥ 0 (negative money is not allowed)")


def validate_share(name: str, value: object) -> float:
    """``value`` as a float if it is a share in (0, 1], else :class:`InputError`."""
    return _checked(name, value, lambda x: 0 < x <= 1, "a share in (0, 1] (a fraction: 0.25 for 25%)")


def validate_positive(name: str, value: object) -> float:
    """``value`` as a float if it is > 0, else :class:`InputError`."""
    return _checked(name, value, lambda x: x > 0, "a number > 0")


def validate_nonneg(name: str, value: object) -> float:
    """``value`` as a float if it is ≥ 0, else :class:`InputError`."""
    return _checked(name, value, lambda x: x >= 0, "a number ≥ 0")


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
    amount, and the amounts must add up to ``total`` (the plan's financing amount) within ``tol``.
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
        raise InputError(f"split: amounts sum to {s:g}: expected the plan's financing amount {total:g} "
                         f"(100m yuan); difference {s - total:+g}")
    return out


def validate_basis(basis: object) -> str:
    if basis not in BASES:
        _fail("basis", basis, "'total' (public : total, the default) or 'private' (public : private)")
    return str(basis)


# --------------------------------------------------------------------------- the plan's funds
TOTAL_CODE = "total"  # funds.csv: the row holding the plan's total (optional; else the areas add up)


def _plan_file(plan, key: str) -> Path | None:
    """A file ``plan.toml`` names under ``key``, in ``data/raw/funds/`` (None when it names none)."""
    name = (getattr(plan, "meta", None) or {}).get(key)
    if name is None or str(name).strip() == "":
        return None
    rel = Path(str(name))
    if rel.is_absolute() or ".." in rel.parts:
        raise InputError(f"plan {plan.id}: plan.toml key {key!r}: value {str(name)!r}: expected a file name "
                         "inside data/raw/funds/")
    return FUNDS_DIR / rel


def plan_disbursements(plan) -> Path | None:
    """The disbursement file a plan's fund report uses when none is given: ``plan.toml`` key
    ``disbursements`` (in ``data/raw/funds/``); None when the plan names none (no spending shown)."""
    return _plan_file(plan, "disbursements")


def plan_scenario(plan) -> Path | None:
    """The leverage scenario of a plan: ``plan.toml`` key ``scenario`` (in ``data/raw/funds/``); None
    when the plan names none (the fund report then shows the allocation and spending only)."""
    return _plan_file(plan, "scenario")


def fund_areas(plan) -> pd.DataFrame:
    """The rows of ``funds.csv`` that are areas (every row but the total)."""
    f = plan.funds
    return f[f["code"] != TOTAL_CODE]


def fund_total(plan) -> float:
    """The plan's total (亿元): its ``total`` row, else the sum of its areas."""
    if TOTAL_CODE in set(plan.funds["code"]):
        return plan.fund_amount(TOTAL_CODE)
    return float(sum(plan.fund_amount(c) for c in fund_areas(plan)["code"]))


def fund_row(plan, code: str | None = None) -> pd.Series:
    """One row of ``funds.csv``: ``code``'s, or with None the total row (the first row without one)."""
    f = plan.funds
    if f.empty:
        raise InputError(f"plan {plan.id}: funds.csv has no rows")
    if code is None:
        rows = f[f["code"] == TOTAL_CODE]
        return (rows if len(rows) else f).iloc[0]
    plan.fund_amount(code)  # an unknown code: InputError naming the codes
    return f[f["code"] == code].iloc[0]


def fund_period(plan) -> list[int]:
    """The years of the plan's money: ``period_start`` … ``period_end`` of ``funds.csv`` (the widest
    range over its rows); the plan's period where the table gives none."""
    f = plan.funds
    if f.empty or "period_start" not in f.columns or "period_end" not in f.columns:
        return list(plan.period)
    starts = pd.to_numeric(f["period_start"], errors="coerce").dropna()
    ends = pd.to_numeric(f["period_end"], errors="coerce").dropna()
    if starts.empty or ends.empty:
        return list(plan.period)
    return list(range(int(starts.min()), int(ends.max()) + 1))


def scenario_fund(plan) -> str:
    """The ``funds.csv`` code whose money the leverage scenario divides among the instruments:
    ``plan.toml`` key ``scenario_fund``; without it, the only area of ``funds.csv``."""
    code = (plan.meta or {}).get("scenario_fund")
    areas = [str(c) for c in fund_areas(plan)["code"]]
    if code is None or str(code).strip() == "":
        if len(areas) == 1:
            return areas[0]
        raise InputError(f"plan {plan.id}: plan.toml names a scenario but no 'scenario_fund': expected the "
                         f"funds.csv code whose money the scenario divides, one of {', '.join(areas)}")
    if str(code) not in areas:
        raise InputError(f"plan {plan.id}: plan.toml key 'scenario_fund': value {code!r}: expected a code of "
                         f"funds.csv, one of {', '.join(areas)}")
    return str(code)


def instruments_of(plan, group: str) -> pd.DataFrame:
    """The plan's instruments of one ``group`` (instruments.csv), in the plan's order."""
    ins = plan.instruments
    if ins.empty or "group" not in ins.columns:
        return ins.iloc[0:0]
    return ins[ins["group"] == group]


def leverage_instrument(plan) -> pd.Series | None:
    """The plan's leveraged fund: the first instrument of group ``fund`` with parameter
    ``leverage_ratio`` and a value (its ``value`` is the r of "1:r"); None when the plan has none."""
    f = instruments_of(plan, "fund")
    if f.empty:
        return None
    f = f[(f["parameter"] == LEVERAGE_PARAMETER) & pd.to_numeric(f["value"], errors="coerce").notna()]
    return f.iloc[0] if len(f) else None


def leverage_ratio(plan) -> float:
    """The r of the plan's "1:r" (:func:`leverage_instrument`); :class:`InputError` when the plan gives none."""
    r = leverage_instrument(plan)
    if r is None:
        raise InputError(f"plan {plan.id}: instruments.csv has no instrument of group 'fund' with parameter "
                         f"'{LEVERAGE_PARAMETER}' and a value: the leverage model needs the plan's ratio "
                         "(or give it as the parameter ratio)")
    return validate_positive("leverage_ratio", r["value"])


# --------------------------------------------------------------------------- allocation
def allocation(plan) -> pd.DataFrame:
    """The plan's money by area: ``code, name_zh, name_en, amount_100m_yuan, share, section``.

    ``share`` is the fraction of the plan's total (:func:`fund_total`). Plan figures only. The fund
    period (:func:`fund_period`) rides along in ``attrs["period"]``, the default years of
    :func:`phasing` and :func:`execution`.
    """
    total = fund_total(plan)
    rows = []
    for _, r in fund_areas(plan).iterrows():
        amt = plan.fund_amount(r["code"])
        rows.append({"code": r["code"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                     "amount_100m_yuan": amt, "share": amt / total, "section": r["section"]})
    out = pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "amount_100m_yuan", "share", "section"])
    out.attrs["period"] = fund_period(plan)
    return out


def _years(alloc: pd.DataFrame, years: Iterable[int] | None, what: str) -> list[int]:
    if years is None:
        years = alloc.attrs.get("period")
    if years is None:
        raise InputError(f"{what}: expected the years of the fund period (funds.fund_period(plan))")
    years = [int(y) for y in years]
    if not years:
        raise InputError(f"{what}: expected at least one year")
    return years


def phasing(alloc: pd.DataFrame, years: Iterable[int] | None = None,
            disbursements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Yearly phasing of each area's amount: ``code, year, amount_100m_yuan, source, status``.

    ``years``: the fund period (default: the one :func:`allocation` found in the plan).
    Convention: even phasing (amount / number of years, ``source`` "even", ``status`` "assumption")
    unless ``disbursements`` (from :func:`read_disbursements`) gives an area's actual yearly amounts,
    which then replace the even split for that area (``source`` "data", its own status).
    """
    years = _years(alloc, years, "phasing")
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


def read_disbursements(path: str | os.PathLike | None = None, codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Read a file of yearly disbursements by area: columns ``code, year, amount, unit, status, source``.

    Returns ``code, year, amount_100m_yuan, status, source``. ``codes`` (the allocation's area codes)
    restricts ``code``. Raises :class:`InputError` naming file, row, column and value.
    """
    path = Path(path) if path is not None else EXAMPLE_DISBURSEMENTS
    df = read_table(path, required=["code", "year", "amount", "unit", "status", "source"])
    src = df.attrs["source"]
    problems: list[Problem] = []
    known = set(codes) if codes is not None else None
    rows = []
    for idx, r in df.iterrows():
        if known is not None and r["code"] not in known:
            problems.append(Problem(src, idx, "code", r["code"], f"one of {', '.join(sorted(known))}"))
        try:
            year = parse_number(r["year"])
            if year is None or year != int(year):
                raise ValueError
        except ValueError:
            problems.append(Problem(src, idx, "year", r["year"], "a year such as 2016"))
            continue
        try:
            amount = parse_number(r["amount"])
        except ValueError:
            amount = None
        if amount is None or amount < 0:
            problems.append(Problem(src, idx, "amount", r["amount"], "an amount of money ≥ 0"))
            continue
        try:
            amt = units.convert(amount, str(r["unit"]), "亿元")
        except ValueError:
            problems.append(Problem(src, idx, "unit", r["unit"], "a money unit (元, 万元, 亿元)"))
            continue
        if _blank(r["status"]):
            problems.append(Problem(src, idx, "status", r["status"], "a status (official, provisional, illustrative …)"))
        funding = ""
        if "funding" in df.columns and not _blank(r["funding"]):
            funding = FUNDING_WORDS.get(str(r["funding"]).strip().lower(), "")
            if not funding:
                problems.append(Problem(src, idx, "funding", r["funding"],
                                        "central or local (中央 or 地方), or blank when not known"))
                continue
        rows.append({"code": r["code"], "year": int(year), "amount_100m_yuan": amt,
                     "status": "" if _blank(r["status"]) else str(r["status"]),
                     "source": "" if _blank(r["source"]) else str(r["source"]), "funding": funding})
    raise_problems(problems)
    out = pd.DataFrame(rows, columns=["code", "year", "amount_100m_yuan", "status", "source", "funding"])
    out.attrs["path"] = str(path)
    out.attrs["has_funding"] = "funding" in df.columns
    return out


# --------------------------------------------------------------------------- execution (资金执行)
FUNDING_WORDS = {"central": "central", "中央": "central", "中央财政": "central", "中央奖励资金": "central",
                 "local": "local", "地方": "local", "地方财政": "local", "市级": "local", "本级": "local"}


def execution(alloc: pd.DataFrame, disbursements: pd.DataFrame, year: int,
              years: Iterable[int] | None = None) -> pd.DataFrame:
    """Money spent against the plan's allocation, by area and year up to ``year`` (资金执行).

    ``years``: the fund period (default: the one :func:`allocation` found in the plan). Returns one
    row per area (and ``total``) and year ≤ ``year``: ``code, year, spent_100m_yuan,
    allocation_100m_yuan`` (the period's amount), ``yearly_reference_100m_yuan`` (allocation ÷ number
    of years: the plan sets no yearly amounts, so the year's rate is taken against an even share),
    ``rate`` (spent ÷ yearly reference), ``cumulative_100m_yuan``, ``cumulative_rate`` (cumulative ÷
    allocation), ``elapsed`` (share of the period gone by the end of the year), ``pace``
    (cumulative_rate − elapsed), ``overspend`` (True when ``cumulative_rate`` exceeds 100%: more
    spent than allocated; flagged, never capped — a year's ``rate`` above 100% only means more than
    an even share was spent that year) and ``central_100m_yuan`` / ``local_100m_yuan`` (blank when the
    file has no ``funding`` column or the rows do not say). Disbursements after ``year`` are ignored.
    """
    years = _years(alloc, years, "execution")
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


# --------------------------------------------------------------------------- the instruments
@dataclass(frozen=True)
class GuidanceFund:
    """A guidance fund's size under one reading of "1:ratio" (money in the unit of ``public``)."""

    public: float
    private: float
    total: float
    multiplier: float  # total / public
    ratio: float
    basis: str

    def __getitem__(self, key: str) -> float | str:
        return getattr(self, key)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("public", "private", "total", "multiplier", "ratio", "basis")}


def guidance_fund(public: float, ratio: float, basis: str = "total") -> GuidanceFund:
    """Size of a guidance fund that "amplifies public money 1:ratio" (the plan's leverage ratio).

    * ``basis="total"`` (default; EU convention, public : total): total = ratio × public,
      private = (ratio − 1) × public. 1亿 at 1:5 → a 5亿 fund, 4亿 of it private; the public share
      1/ratio = 20% matches the Chinese practice of a guidance fund holding at most 20–25% of a sub-fund.
    * ``basis="private"`` (public : private): private = ratio × public, total = (ratio + 1) × public.
      1亿 at 1:5 → 5亿 private, a 6亿 fund.
    """
    public = validate_money("public", public)
    basis = validate_basis(basis)
    ratio = validate_positive("ratio", ratio)
    if basis == "total":
        if ratio < 1:
            _fail("ratio", ratio, "≥ 1 on the public : total basis (the fund cannot be smaller than the public money)")
        total = ratio * public
    else:
        total = (ratio + 1) * public
    mult = total / public if public > 0 else (ratio if basis == "total" else ratio + 1)
    return GuidanceFund(public=public, private=total - public, total=total, multiplier=mult, ratio=ratio, basis=basis)


def co_funded(public: float, public_share: float) -> float:
    """Size of a fund in which public money holds ``public_share``: public / share (unit of ``public``).

    Used for the sector funds (instruments of group ``sector_fund``), for which a plan gives no ratio.
    """
    return validate_money("public", public) / validate_share("public_share", public_share)


def fund_of_funds(public: float, s1: float, s2: float, co_investment: float = 1.0) -> float:
    """Capital reaching enterprises through a fund of funds (母基金): G · c / (s1 · s2).

    Public money G is the share ``s1`` of the fund of funds (size G/s1); the fund of funds holds
    the share ``s2`` of each sub-fund (sub-funds total G/(s1·s2)); at project level other investors
    add the co-investment factor ``c`` (1 = none). Only the last layer is counted: adding the
    fund-of-funds and sub-fund sizes to it double-counts (ECA Special Report 03/2019 on EFSI).
    Example: 1亿, s1 = 0.5, s2 = 0.25, c = 1 → 1 / 0.125 = 8亿 reaches enterprises.
    """
    g = validate_money("public", public)
    s1 = validate_share("s1", s1)
    s2 = validate_share("s2", s2)
    c = validate_positive("co_investment", co_investment)
    return g * c / (s1 * s2)


def fund_of_funds_layers(public: float, s1: float, s2: float, co_investment: float = 1.0) -> pd.DataFrame:
    """Each layer of :func:`fund_of_funds` and the (wrong) sum of the layers.

    Rows: ``public`` (G, the input: it is part of the fund of funds, not a layer of its own),
    ``fund_of_funds`` (G/s1), ``sub_funds`` (G/(s1·s2)), ``enterprises`` (G·c/(s1·s2), the figure to
    count) and ``sum_of_layers`` (fund of funds + sub-funds + enterprises: the double count). Columns
    ``layer, amount, counted`` (the one figure to count as mobilised) and ``in_sum`` (the rows the
    sum adds up: ``sum_of_layers`` = Σ ``amount`` where ``in_sum``). Adding G as well would count
    the public money a third time. Example: G = 4, s1 = 0.4, s2 = 0.25, c = 1 → fund of funds 10,
    sub-funds 40, enterprises 40; the layers add up to 10 + 40 + 40 = 90 (not 94: G is inside the 10).
    """
    reach = fund_of_funds(public, s1, s2, co_investment)
    fof = public / s1
    sub = public / (s1 * s2)
    return pd.DataFrame({
        "layer": ["public", "fund_of_funds", "sub_funds", "enterprises", "sum_of_layers"],
        "amount": [public, fof, sub, reach, fof + sub + reach],
        "counted": [False, False, False, True, False],
        "in_sum": [False, True, True, True, False],
    })


def expected_loss_rate(default_rate: float, loss_given_default: float) -> float:
    """Annual expected loss rate PD × LGD (fractions)."""
    return validate_share("default_rate", default_rate) * validate_share("loss_given_default", loss_given_default)


def risk_pool_capacity(pool: float, k: float, loss_share: float, expected_loss_rate: float) -> float:
    """Lending a loan risk-compensation pool supports: min(k × pool, pool / (α × PD·LGD)).

    ``k`` is the contractual multiple partner banks grant on the pool (10–15 × in Chinese practice);
    ``loss_share`` α the pool's share of losses; ``expected_loss_rate`` PD × LGD a year. The second
    term is the book whose expected yearly losses the pool can cover once. Example: a 1亿 pool,
    k = 10, α = 1, PD·LGD = 2 % → min(10亿, 50亿) = 10亿.
    """
    pool = validate_money("pool", pool)
    k = validate_positive("k", k)
    alpha = validate_share("loss_share", loss_share)
    el = validate_share("expected_loss_rate", expected_loss_rate)
    return min(k * pool, pool / (alpha * el))


def risk_pool_years(pool: float, lending: float, loss_share: float, expected_loss_rate: float) -> float:
    """Years a pool lasts: pool / (lending × α × PD·LGD) (``inf`` when nothing is lent).

    Convention: a constant outstanding book, losses at the yearly expected rate, no replenishment.
    Example: 1亿 pool, 10亿 lent, α = 0.5, PD·LGD = 2 % → 1 / 0.1 = 10 years.
    """
    pool = validate_money("pool", pool)
    lending = validate_money("lending", lending)
    alpha = validate_share("loss_share", loss_share)
    el = validate_share("expected_loss_rate", expected_loss_rate)
    draw = lending * alpha * el
    return math.inf if draw == 0 else pool / draw


def risk_pool_scenarios(pool: float, k: float, loss_share: float, loss_given_default: float,
                        default_rates: Mapping[str, float]) -> pd.DataFrame:
    """Capacity and years the pool lasts for several default rates (e.g. low / central / stress).

    The lending capacity is fixed by the central case (the first entry of ``default_rates``): banks lend
    against the contract, and a worse default rate then eats the pool faster. Columns
    ``case, default_rate, expected_loss_rate, lending, years``.
    """
    items = list(default_rates.items())
    central_el = expected_loss_rate(items[0][1], loss_given_default)
    lending = risk_pool_capacity(pool, k, loss_share, central_el)
    rows = []
    for case, pd_ in items:
        el = expected_loss_rate(pd_, loss_given_default)
        rows.append({"case": case, "default_rate": pd_, "expected_loss_rate": el, "lending": lending,
                     "years": risk_pool_years(pool, lending, loss_share, el)})
    return pd.DataFrame(rows)


def guarantee_capacity(net_assets: float, multiple: float, small_micro: bool = True) -> float:
    """Outstanding guarantees a guarantor can carry: multiple × net assets.

    The multiple may not exceed 10 (15 for guarantors that mainly serve small/micro firms), State
    Council Decree No. 683 (2017) Art. 15. Example: 2亿 net assets at 5 × → 10亿 of guaranteed loans.
    """
    na = validate_money("net_assets", net_assets)
    m = validate_positive("guarantee_multiple", multiple)
    cap = GUARANTEE_CAP_SMALL_MICRO if small_micro else GUARANTEE_CAP
    if m > cap:
        _fail("guarantee_multiple", multiple, f"at most {cap:g} × net assets (State Council Decree No. 683, "
              f"{'guarantors serving small/micro firms' if small_micro else 'general guarantors'})")
    return m * na


def interest_subsidy_cost(loan: float, points: float, years: float) -> float:
    """Cost of an interest subsidy: loan × points × years (points as a fraction: 0.02 for 2 points).

    Convention: a bullet loan (principal outstanding for the whole term), subsidy paid yearly,
    undiscounted. Example: 100万 at 2 points for 3 years → 6万.
    """
    loan = validate_money("loan", loan)
    p = validate_share("points", points)
    t = validate_positive("years", years)
    return loan * p * t


def loans_per_subsidy(points: float, years: float) -> float:
    """Loan principal supported per unit of subsidy: 1 / (Δr · T). 2 points for 2 years → 25."""
    return 1.0 / (validate_share("points", points) * validate_positive("years", years))


def annuity_factor(years: float, discount_rate: float) -> float:
    """Present value of 1 a year for ``years`` years at ``discount_rate``: (1 − (1 + r)^−T) / r (T when r = 0)."""
    t = validate_positive("years", years)
    r = validate_nonneg("discount_rate", discount_rate)
    if r < 1e-12:  # the limit r → 0 (and no cancellation for tiny r)
        return t
    return -math.expm1(-t * math.log1p(r)) / r


def grant_equivalent(loan: float, points: float, years: float, discount_rate: float) -> float:
    """Present-value grant equivalent of an interest subsidy: loan × Δr × annuity factor(T, r).

    Yearly payments at the end of each year, discounted at ``discount_rate``. Example: 100万 at
    2 points for 2 years at 5 %: 2 × (1/1.05 + 1/1.05²) = 3.719万.
    """
    loan = validate_money("loan", loan)
    p = validate_share("points", points)
    return loan * p * annuity_factor(years, discount_rate)


def listing_subsidy_cost(counts: Mapping[str, float], rates_10k_yuan: Mapping[str, float]) -> float:
    """Cost in 万元 of listing subsidies: Σ count × subsidy per firm (the plan's rates, 万元).

    ``counts`` and ``rates_10k_yuan`` are keyed by venue. Example: 2 NEEQ + 1 main board + 5 regional
    → 2 × 150 + 500 + 5 × 20 = 900万元.
    """
    missing = [v for v in counts if v not in rates_10k_yuan]
    if missing:
        raise InputError(f"listing: no subsidy rate for venue(s) {', '.join(missing)}: "
                         f"expected one of {', '.join(rates_10k_yuan)}")
    total = 0.0
    for venue, n in counts.items():
        n = validate_nonneg(f"count[{venue}]", n)
        total += n * validate_money(f"rate[{venue}]", rates_10k_yuan[venue])
    return total


def listing_rates(plan) -> dict[str, float]:
    """Subsidy per listed firm (万元) by instrument code: the plan's instruments of group
    ``listing_subsidy`` with parameter ``subsidy_per_firm`` and a value, in the plan's order."""
    out = {}
    for _, r in instruments_of(plan, "listing_subsidy").iterrows():
        if r["parameter"] != LISTING_PARAMETER or pd.isna(pd.to_numeric(r["value"], errors="coerce")):
            continue
        unit = str(r["unit"]) if not _blank(r["unit"]) else "10k yuan"
        try:
            out[str(r["code"])] = units.convert(float(r["value"]), unit, "10k yuan")
        except ValueError:
            raise InputError(f"plan {plan.id}: instruments.csv, instrument {r['code']!r}: column 'unit': value "
                             f"{unit!r}: expected a money unit for a subsidy per firm") from None
    return out


# --------------------------------------------------------------------------- the scenario
@dataclass(frozen=True)
class Scenario:
    """A financing scenario: the split of the plan's financing money (亿元) and the model assumptions.

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
        _fail(f"split[{code}]", amount, f"at most the financing total {total:g} (100m yuan)")
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


def load_scenario(path: str | os.PathLike | None = None, total: float | None = None) -> Scenario:
    """Read a scenario file (default ``data/raw/funds/default_scenario.csv``) and validate it.

    Columns: ``code, group, name_zh, name_en, value, unit, low, high, basis, section, rationale_zh,
    rationale_en``. Group ``split`` rows are the financing money by instrument (亿元, ≥ 0); group ``parameter``
    rows the model assumptions (shares in (0, 1], multiples > 0 …). ``low ≤ value ≤ high``. ``basis``
    is ``plan`` (the ``section`` must be given), ``assumption`` or ``data`` (a published figure), each
    with a rationale. With ``total`` (the plan's financing amount) the split must sum to it.
    Raises :class:`InputError` naming file, row, column and value.
    """
    path = Path(path) if path is not None else DEFAULT_SCENARIO
    df = read_table(path, required=SCENARIO_COLUMNS)
    src = df.attrs["source"]
    problems: list[Problem] = []
    split: dict[str, float] = {}
    params: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    seen: set[str] = set()
    nums = {"value": [], "low": [], "high": []}
    for idx, r in df.iterrows():
        code = r["code"]
        if code in seen:
            problems.append(Problem(src, idx, "code", code, "a code not repeated in the file"))
        seen.add(code)
        if code in SPLIT_CODES:
            group = "split"
        elif code in PARAM_KINDS:
            group = "parameter"
        else:
            problems.append(Problem(src, idx, "code", code,
                                    f"one of {', '.join(SPLIT_CODES + PARAM_CODES)}"))
            for k in nums:
                nums[k].append(math.nan)
            continue
        if r["group"] != group:
            problems.append(Problem(src, idx, "group", r["group"], f"'{group}' for code {code}"))
        vals = {}
        for col in ("value", "low", "high"):
            try:
                v = parse_number(r[col])
            except ValueError:
                v = None
            if v is None:
                problems.append(Problem(src, idx, col, r[col], "a number"))
            else:
                try:
                    if group == "split":
                        validate_money(code, v)
                    else:
                        validate_param(code, v)
                except InputError as e:
                    problems.append(Problem(src, idx, col, r[col], str(e).split(": expected ", 1)[-1]))
                    v = None
            vals[col] = v
            nums[col].append(math.nan if v is None else v)
        if None not in vals.values():
            if not (vals["low"] <= vals["value"] <= vals["high"]):
                problems.append(Problem(src, idx, "value", r["value"],
                                        f"a value within its range low {vals['low']:g} … high {vals['high']:g}"))
            (split if group == "split" else params)[code] = vals["value"]
            ranges[code] = (vals["low"], vals["high"])
        if group == "split":
            u = str(r["unit"])
            if not units.is_known(u) or units.UNITS[u][0] != "money":
                problems.append(Problem(src, idx, "unit", r["unit"], "a money unit (亿元, 万元, 元)"))
        if r["basis"] not in BASIS_VALUES:
            problems.append(Problem(src, idx, "basis", r["basis"],
                                    "'plan' (with its section), 'assumption' or 'data' (with a rationale/source)"))
        elif r["basis"] == "plan" and _blank(r["section"]):
            problems.append(Problem(src, idx, "section", r["section"], "the plan section for a 'plan' figure"))
        elif r["basis"] != "plan" and _blank(r["rationale_en"]) and _blank(r["rationale_zh"]):
            problems.append(Problem(src, idx, "rationale_en", None,
                                    f"a short rationale or source for the {r['basis']} figure"))
    for code in SPLIT_CODES + PARAM_CODES:
        if code not in seen:
            problems.append(Problem(src, None, "code", code, f"a row for {code} (missing)"))
    raise_problems(problems)
    # split units → 亿元
    for idx, r in df.iterrows():
        if r["code"] in split and r["unit"] != "亿元":
            f = units.conversion_factor(str(r["unit"]), "亿元")
            split[r["code"]] *= f
            lo, hi = ranges[r["code"]]
            ranges[r["code"]] = (lo * f, hi * f)
    if total is not None:
        s = sum(split.values())
        if abs(s - total) > 1e-6:
            raise InputError(f"{src}: column 'value': the split rows sum to {s:g} 亿元: expected the plan's "
                             f"financing total {total:g} 亿元; difference {s - total:+g} 亿元")
    table = df.copy()
    for col in nums:
        table[col] = nums[col]
    table.attrs = df.attrs
    return Scenario(split={k: split[k] for k in SPLIT_CODES}, params={k: params[k] for k in PARAM_CODES},
                    ranges=ranges, table=table, path=path)


# --------------------------------------------------------------------------- the whole package
PACKAGE_ORDER = SPLIT_CODES


def _ratio(ratio: float | None) -> float:
    if ratio is None:
        raise InputError("ratio: expected the plan's leverage ratio r of “1:r” (funds.leverage_ratio(plan))")
    return validate_positive("ratio", ratio)


def package(split: Mapping[str, float], params: Mapping[str, float], *, ratio: float | None = None,
            basis: str = "total", pv_subsidy: bool = False, small_micro: bool = True) -> pd.DataFrame:
    """Capital reaching enterprises from each instrument of the financing package (亿元).

    ``ratio`` is the r of the plan's "1:r" (:func:`leverage_ratio`). Per instrument (``split``
    amounts, 亿元):

    * ``guidance_fund``: :func:`guidance_fund` total (ratio, basis);
    * ``sector_funds``: :func:`co_funded` at ``sector_public_share``;
    * ``fund_of_funds``: :func:`fund_of_funds` (s1, s2, c) — the enterprise layer only;
    * ``guarantee``: :func:`guarantee_capacity` — public money as net assets × multiple;
    * ``risk_pool``: :func:`risk_pool_capacity` (k, α, PD × LGD);
    * ``cost_subsidy``: loans carrying the subsidy, budget × :func:`loans_per_subsidy`; with
      ``pv_subsidy`` the budget is read as a present value (÷ Δr × annuity factor);
    * ``listing``: the grants themselves (× 1).

    Columns ``code, public_100m_yuan, reaching_100m_yuan, multiplier``. Summing instruments assumes
    they reach different loans and firms; where one loan is guaranteed, pool-covered and subsidised
    at once the sum is an upper bound.
    """
    ratio = _ratio(ratio)
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


def package_multiplier(split, params: Mapping[str, float] | None = None, **kw) -> float:
    """Capital reaching enterprises per yuan of the financing money: Σ reaching / Σ public.

    Either a table from :func:`package` (``package_multiplier(package(split, params, ratio=5))``) or
    the arguments of :func:`package` (``package_multiplier(split, params, ratio=5)``).
    """
    t = split if isinstance(split, pd.DataFrame) else package(split, params, **kw)
    return float(t["reaching_100m_yuan"].sum() / t["public_100m_yuan"].sum())


def both_readings(scenario: Scenario, ratio: float | None = None, **kw) -> pd.DataFrame:
    """The package under both readings of "1:ratio" (the plan's ratio): one row per basis.

    Columns ``basis, guidance_public, guidance_private, guidance_total, guidance_multiplier,
    package_public, package_reaching, package_multiplier`` (money in 亿元).
    """
    ratio = _ratio(ratio)
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

    A split amount moved to its low/high rescales the other instruments so the financing total is
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
    """Listing subsidies by venue: ``venue, count, rate_10k_yuan, cost_10k_yuan`` (rates the plan's,
    :func:`listing_rates`; counts assumed: the scenario row ``<venue>_count``, NaN where it has none)."""
    rows = []
    for venue, rate in rates_10k_yuan.items():
        n = scenario.params.get(f"{venue}{LISTING_COUNT_SUFFIX}", math.nan)
        cost = math.nan if math.isnan(n) else listing_subsidy_cost({venue: n}, {venue: rate})
        rows.append({"venue": venue, "count": n, "rate_10k_yuan": rate, "cost_10k_yuan": cost})
    return pd.DataFrame(rows, columns=["venue", "count", "rate_10k_yuan", "cost_10k_yuan"])


def package_by_basis(scenario: Scenario, ratio: float | None = None, **kw) -> pd.DataFrame:
    """:func:`package` for both readings of "1:ratio", stacked: ``basis`` column first (tidy, 亿元)."""
    parts = [package(scenario.split, scenario.params, ratio=ratio, basis=b, **kw).assign(basis=b) for b in BASES]
    out = pd.concat(parts, ignore_index=True)
    return out[["basis", "code", "public_100m_yuan", "reaching_100m_yuan", "multiplier"]]


# --------------------------------------------------------------------------- one call for a report
@dataclass(frozen=True)
class FundModel:
    """What the fund report shows for one plan and report year: computed, validated, no words.

    Money in 亿元. ``execution`` is None without disbursements; the leverage fields (``scenario`` …
    ``grid``) are None when the plan names no scenario and none is given (:attr:`has_leverage`).
    """

    plan: object = field(repr=False)
    year: int
    period: list[int]
    allocation: pd.DataFrame = field(repr=False)
    total: float
    phasing: pd.DataFrame = field(repr=False)
    disbursements: pd.DataFrame | None = field(repr=False)
    disbursements_path: Path | None
    execution: pd.DataFrame | None = field(repr=False)
    scenario: Scenario | None = field(repr=False)
    scenario_path: Path | None
    financing_code: str | None
    financing: float
    ratio: float | None
    basis: str
    options: dict = field(repr=False)
    readings: pd.DataFrame | None = field(repr=False)
    by_basis: pd.DataFrame | None = field(repr=False)
    layers: pd.DataFrame | None = field(repr=False)
    pool: pd.DataFrame | None = field(repr=False)
    listing: pd.DataFrame | None = field(repr=False)
    tornado: pd.DataFrame | None = field(repr=False)
    grid: pd.DataFrame | None = field(repr=False)
    heatmap: tuple[str, str] | None
    is_default: bool

    @property
    def has_leverage(self) -> bool:
        return self.scenario is not None

    @property
    def illustrative(self) -> bool:
        """Whether the disbursements used (up to the report year) are illustrative."""
        d = self.disbursements
        return d is not None and bool((d[d["year"] <= self.year]["status"] == "illustrative").any())

    @property
    def phasing_from_data(self) -> bool:
        return bool((self.phasing["source"] == "data").any())

    def multiplier(self, basis: str | None = None) -> float:
        """The package multiplier under ``basis`` (default: the model's reading)."""
        if self.readings is None:
            return math.nan
        return float(self.readings.set_index("basis").loc[validate_basis(basis or self.basis), "package_multiplier"])

    def spent(self) -> pd.Series | None:
        """The ``total`` row of the execution table for the report year (None without disbursements)."""
        if self.execution is None or self.execution.empty:
            return None
        t = self.execution[self.execution["code"] == "total"]
        return t[t["year"] == t["year"].max()].iloc[0]

    def __repr__(self) -> str:
        lines = [f"FundModel: plan {getattr(self.plan, 'id', '?')}, report year {self.year}, "
                 f"fund period {self.period[0]}–{self.period[-1]}",
                 f"  allocation: {self.total:g} (100m yuan) over {len(self.allocation)} area(s)"]
        s = self.spent()
        lines.append("  spending: no disbursements" if s is None else
                     f"  spending to {self.year}: {s['cumulative_100m_yuan']:.4g} ({s['cumulative_rate']:.1%} of the "
                     f"allocation, {s['elapsed']:.0%} of the period elapsed)")
        if self.has_leverage:
            lines.append(f"  leverage of {self.financing_code} ({self.financing:g}), ratio 1:{self.ratio:g}: multiplier "
                         f"{self.multiplier('total'):.2f} (public : total), {self.multiplier('private'):.2f} "
                         f"(public : private)")
            lines.append(f"  scenario: {self.scenario_path.name if self.scenario_path else '—'}"
                         f"{'' if self.is_default else ' (changed: ' + ', '.join(self.scenario.overridden) + ')'}")
        else:
            lines.append("  leverage: the plan names no scenario")
        return "\n".join(lines)


def fund_model(plan, year=None, *, scenario: str | os.PathLike | None = None,
               disbursements: str | os.PathLike | pd.DataFrame | None = None, basis: str = "total",
               ratio: float | None = None, split: Mapping[str, float] | None = None,
               guidance_share: float | None = None, pv_subsidy: bool = False, small_micro: bool = True,
               heatmap_x: str | None = None, heatmap_y: str | None = None, **overrides) -> FundModel:
    """The allocation, the spending, both readings of the leverage ratio and the package multiplier.

    Defaults come from the plan: ``year`` None → its target year; ``disbursements`` None → the
    ``plan.toml`` file (:func:`plan_disbursements`; ``""`` for none); ``scenario`` None → the plan's
    (:func:`plan_scenario`); ``ratio`` None → the plan's (:func:`leverage_ratio`). ``split`` (亿元 by
    instrument, summing to the financing amount), ``guidance_share`` (the guidance fund's share of it,
    the rest rescaled) and ``overrides`` (scenario parameters by code, None ignored) change the
    scenario. Everything is validated first: a bad value is an :class:`InputError`.

    Example: ``fund_model(load_plan(), 2018).multiplier("private")``.
    """
    from .assess import resolve_year
    year = resolve_year(plan, plan.target_year if year is None else year)
    basis = validate_basis(basis)
    alloc = allocation(plan)
    period = list(alloc.attrs["period"])
    total = fund_total(plan)
    # disbursements
    d_path = None
    if isinstance(disbursements, pd.DataFrame):
        disb = disbursements
    else:
        d_path = plan_disbursements(plan) if disbursements is None else (Path(disbursements) if str(disbursements)
                                                                          else None)
        disb = read_disbursements(d_path, codes=alloc["code"]) if d_path is not None else None
    ex = execution(alloc, disb, year, period) if disb is not None else None
    final = disb is not None and year >= max(period)  # yearly phasing from data only once every year is in
    phase = phasing(alloc, period, disb if final else None)
    # leverage
    s_path = plan_scenario(plan) if scenario is None else Path(scenario)
    lev = dict(scenario=None, scenario_path=s_path, financing_code=None, financing=math.nan, ratio=None,
               options={}, readings=None, by_basis=None, layers=None, pool=None, listing=None, tornado=None,
               grid=None, heatmap=None, is_default=True)
    if s_path is not None:
        code = scenario_fund(plan)
        financing = plan.fund_amount(code)
        r = leverage_ratio(plan) if ratio is None else validate_positive("ratio", ratio)
        sc = load_scenario(s_path, total=financing)
        if split is not None:
            sc = sc.with_values(total=financing, **validate_split(split, financing))
        if guidance_share is not None:
            sc = sc.with_split_amount("guidance_fund", validate_share("guidance_share", guidance_share) * financing)
        sc = sc.with_values(**overrides)
        kw = dict(ratio=r, pv_subsidy=bool(pv_subsidy), small_micro=bool(small_micro))
        torn = tornado(sc, basis=basis, **kw)
        hx, hy = top_two(torn)
        hx, hy = heatmap_x or hx, heatmap_y or hy
        for name, code_ in (("heatmap_x", hx), ("heatmap_y", hy)):
            if code_ not in sc.ranges:
                _fail(name, code_, f"a scenario code, one of {', '.join(sc.ranges)}")
        p = sc.params
        plan_s = plan_scenario(plan)
        lev.update(
            scenario=sc, financing_code=code, financing=financing, ratio=r, options=kw,
            readings=both_readings(sc, **kw), by_basis=package_by_basis(sc, **kw),
            layers=fund_of_funds_layers(sc.split["fund_of_funds"], p["fof_public_share"], p["fof_subfund_share"],
                                        p["co_investment"]),
            pool=risk_pool_scenarios(sc.split["risk_pool"], p["pool_multiple"], p["pool_loss_share"],
                                     p["loss_given_default"], {"central": p["default_rate"],
                                                               "low": sc.ranges["default_rate"][0],
                                                               "stress": sc.ranges["default_rate"][1]}),
            listing=listing_table(sc, listing_rates(plan)), tornado=torn,
            grid=sensitivity_grid(sc, hx, hy, basis=basis, **kw), heatmap=(hx, hy),
            is_default=not sc.overridden and plan_s is not None and Path(s_path).resolve() == plan_s.resolve())
    return FundModel(plan=plan, year=year, period=period, allocation=alloc, total=total, phasing=phase,
                     disbursements=disb, disbursements_path=d_path, execution=ex, basis=basis, **lev)
