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
from . import config, units
from .i18n import vocabulary
from .io import InputError, Problem, raise_problems, read_sourced
from .plan import FUND_UNIT_FACTOR, money_unit
from .sourced import Sourced
from .instruments import (  # noqa: F401 - re-exported: the instruments are part of the fund model
    annuity_factor, BASES, co_funded, expected_loss_rate, fund_of_funds, fund_of_funds_layers,
    grant_equivalent, GUARANTEE_CAP, GUARANTEE_CAP_SMALL_MICRO, guarantee_capacity, guidance_fund,
    GuidanceFund, interest_subsidy_cost, listing_subsidy_cost, loans_per_subsidy, risk_pool_capacity,
    risk_pool_scenarios, risk_pool_years, validate_basis, validate_money, validate_nonneg, validate_positive,
    validate_share, _blank, _fail)
from .scenario import (  # noqa: F401 - re-exported: the scenario and the package are part of the fund model
    BASIS_VALUES, COUNT, INSTRUMENT_GROUPS, LEVERAGE_PARAMETER, LISTING_COUNT_SUFFIX, LISTING_PARAMETER, MULTIPLE,
    NONNEG, PACKAGE_PARAMS, PARAM_CODES, PARAM_KINDS, PARAM_UNITS, POSITIVE, SCENARIO_COLUMNS, SHARE, SPLIT_CODES,
    SPLIT_GROUPS, SYMBOLS, Scenario, both_readings, default_scenario, grid_values, listing_table, load_scenario,
    package, package_by_basis, package_multiplier, rebalance, scenario_schema, sensitivity_grid, top_two, tornado,
    validate_param, validate_split, _ratio)


def example_disbursements() -> Path:
    """The shipped illustrative disbursements (``data/raw/funds/disbursements_example.csv``)."""
    return config.paths().raw / "funds" / "disbursements_example.csv"


# the former constants, resolved when used
__getattr__ = config.former_constants(__name__, FUNDS_DIR=lambda: config.paths().raw / "funds",
                                      DEFAULT_SCENARIO=default_scenario, EXAMPLE_DISBURSEMENTS=example_disbursements)


# --------------------------------------------------------------------------- the plan's funds
TOTAL_CODE = "total"  # funds.csv: the row holding the plan's total (optional; else the areas add up)


def _plan_file(plan, key: str) -> Path | None:
    """A file ``plan.toml`` names under ``key``, in the plan folder or ``data/raw/funds/`` (None when it
    names none), bounded by :func:`twocreate.plan.plan_file` (no absolute path, no '..')."""
    from .plan import plan_file
    return plan_file(plan, key, None)


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

    ``share`` is the fraction of the plan's total (:func:`fund_total`). Plan figures only; the fund
    period, which :func:`phasing` and :func:`execution` need, is :func:`fund_period`.
    """
    total = fund_total(plan)
    rows = []
    for _, r in fund_areas(plan).iterrows():
        amt = plan.fund_amount(r["code"])
        rows.append({"code": r["code"], "name_zh": r["name_zh"], "name_en": r["name_en"],
                     "amount_100m_yuan": amt, "share": amt / total, "section": r["section"]})
    return pd.DataFrame(rows, columns=["code", "name_zh", "name_en", "amount_100m_yuan", "share", "section"])


def _years(years: Iterable[int] | None, what: str) -> list[int]:
    if years is None:
        raise InputError(f"{what}: expected the years of the fund period (funds.fund_period(plan))")
    years = [int(y) for y in years]
    if not years:
        raise InputError(f"{what}: expected at least one year")
    return years


def phasing(alloc: pd.DataFrame, years: Iterable[int],
            disbursements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Yearly phasing of each area's amount: ``code, year, amount_100m_yuan, source, status``.

    ``years``: the fund period (:func:`fund_period`).
    Convention: even phasing (amount / number of years, ``source`` "even", ``status`` "assumption")
    unless ``disbursements`` (from :func:`read_disbursements`) gives an area's actual yearly amounts,
    which then replace the even split for that area (``source`` "data", its own status).
    """
    years = _years(years, "phasing")
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
    row["amount_100m_yuan"] = units.convert(row["amount"], row["unit"], money_unit(FUND_UNIT_FACTOR))
    return ()


def disbursements_schema() -> "Schema":
    """Yearly disbursements by fund area: ``code, year, amount, unit, status, source`` (+ ``funding``)."""
    from .plan_schema import money_units
    from .schema import Choice, Code, Column, Number, RowCheck, Schema, Status, Text, Unit, Year
    money = f"a money unit ({money_units()})"
    central, local = (next(w for w, k in FUNDING_WORDS.items() if k == kind and not w.isascii()) for kind in ("central", "local"))
    return Schema("disbursements", (
        Column("code", Code(key="codes", expected="one of {codes}")),
        Column("year", Year(range_key="years", expected="a year such as 2016"), blank="a year such as 2016"),
        Column("amount", Number(low=0, expected="an amount of money ≥ 0"), blank="an amount of money ≥ 0"),
        Column("unit", Unit("money", money), blank=money),
        Column("status", Status(), blank=f"a status ({vocabulary.status_choices()})"),
        Column("source", Text(), blank=True, default=""),
        Column("funding", Choice(FUNDING_WORDS, f"central or local ({central} or {local}), or blank when not known"),
               required=False, blank=True, default=""),
    ), row_checks=(RowCheck(("amount", "unit"), _disbursement_amount),))


def read_disbursements(path: str | os.PathLike | None = None, codes: Iterable[str] | None = None, *,
                       limits=None, reads=None) -> pd.DataFrame:
    """The rows of :func:`read_disbursements_sourced`."""
    return read_disbursements_sourced(path, codes, limits=limits, reads=reads).frame


def read_disbursements_sourced(path: str | os.PathLike | None = None, codes: Iterable[str] | None = None, *,
                               limits=None, reads=None) -> Sourced:
    """Read a file of yearly disbursements by area: columns ``code, year, amount, unit, status, source``.

    Returns ``code, year, amount_100m_yuan, status, source`` (``status`` normalised as in every input:
    示例 → ``illustrative``, so the fund report keeps its illustrative mark). ``codes`` (the allocation's
    area codes) restricts ``code``. The frame comes in a :class:`~twocreate.sourced.Sourced` with the
    file's ``source``, ``encoding`` and ``warnings``. Raises :class:`InputError` naming file, row,
    column and value.
    """
    from .schema import validate
    path = Path(path) if path is not None else example_disbursements()
    schema = disbursements_schema()
    got = read_sourced(path, required=schema.required, limits=limits, reads=reads)
    df = got.frame
    ctx = {"codes": sorted(set(codes)) if codes is not None else None}
    table, problems = validate(df, schema, ctx, source=got.source)
    raise_problems(problems)
    out = table[["code", "year", "amount_100m_yuan", "status", "source", "funding"]].copy() if len(table) else \
        pd.DataFrame(columns=["code", "year", "amount_100m_yuan", "status", "source", "funding"])
    out["year"] = out["year"].astype(int)
    out["amount_100m_yuan"] = out["amount_100m_yuan"].astype(float)
    return got.with_frame(out)


# --------------------------------------------------------------------------- execution (资金执行)
FUNDING_WORDS = vocabulary.funding_words()  # central, 中央, 中央财政 … → central; local, 地方 … → local


def execution(alloc: pd.DataFrame, disbursements: pd.DataFrame, year: int,
              years: Iterable[int]) -> pd.DataFrame:
    """Money spent against the plan's allocation, by area and year up to ``year`` (资金执行).

    ``years``: the fund period (:func:`fund_period`). Returns one
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
    years = _years(years, "execution")
    upto = [y for y in years if y <= int(year)]
    n = len(years)
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
            if "funding" in sel.columns:  # blank: not known (a file without the column is all blank)
                known = sel[sel["funding"] != ""]
                if len(known):
                    row["central_100m_yuan"] = float(known.loc[known["funding"] == "central", "amount_100m_yuan"].sum())
                    row["local_100m_yuan"] = float(known.loc[known["funding"] == "local", "amount_100m_yuan"].sum())
            rows.append(row)
    return pd.DataFrame(rows)


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

    def summary(self) -> list[tuple[str, object]]:
        """(field, value) pairs of :meth:`__repr__` (money in 亿元, rates as fractions)."""
        s = self.spent()
        rows = [("plan", getattr(self.plan, "id", "?")), ("report year", self.year),
                ("fund period", f"{self.period[0]}–{self.period[-1]}"), ("allocation (100m yuan)", self.total),
                ("areas", len(self.allocation)),
                ("spent to the report year (100m yuan)", None if s is None else float(s["cumulative_100m_yuan"])),
                ("execution rate", None if s is None else f"{s['cumulative_rate']:.1%}")]
        if self.has_leverage:
            rows += [("financing", f"{self.financing_code} ({self.financing:g})"), ("ratio", f"1:{self.ratio:g}"),
                     ("multiplier, public : total", round(self.multiplier("total"), 3)),
                     ("multiplier, public : private", round(self.multiplier("private"), 3)),
                     ("scenario", (self.scenario_path.name if self.scenario_path else "—") +
                      ("" if self.is_default else " (changed: " + ", ".join(self.scenario.overridden) + ")"))]
        return rows

    def _repr_html_(self) -> str:
        from .display import fields_html
        return fields_html(f"Fund model of {getattr(self.plan, 'id', '?')}, {self.year}", self.summary())


# long: every parameter validated before anything is computed, then the model assembled from functions: the order is the contract
def fund_model(plan, year=None, *, scenario: str | os.PathLike | None = None,
               disbursements: str | os.PathLike | pd.DataFrame | None = None, basis: str = "total",
               ratio: float | None = None, split: Mapping[str, float] | None = None,
               guidance_share: float | None = None, pv_subsidy: bool = False, small_micro: bool = True,
               heatmap_x: str | None = None, heatmap_y: str | None = None, reads=None, **overrides) -> FundModel:
    """The allocation, the spending, both readings of the leverage ratio and the package multiplier.

    Defaults come from the plan: ``year`` None → its target year; ``disbursements`` None → the
    ``plan.toml`` file (:func:`plan_disbursements`; ``""`` for none); ``scenario`` None → the plan's
    (:func:`plan_scenario`); ``ratio`` None → the plan's (:func:`leverage_ratio`). ``split`` (亿元 by
    instrument, summing to the financing amount), ``guidance_share`` (the guidance fund's share of it,
    the rest rescaled) and ``overrides`` (scenario parameters by code, None ignored) change the
    scenario. Everything is validated first: a bad value is an :class:`InputError`. ``reads``: a
    :class:`~twocreate.io.ReadLog` given the files read.

    Example: ``fund_model(load_plan(), 2018).multiplier("private")``.
    """
    from .assess import resolve_year
    year = resolve_year(plan, plan.target_year if year is None else year)
    basis = validate_basis(basis)
    alloc = allocation(plan)
    period = list(fund_period(plan))
    total = fund_total(plan)
    # disbursements
    d_path = None
    if isinstance(disbursements, pd.DataFrame):
        disb = disbursements
    else:
        d_path = plan_disbursements(plan) if disbursements is None else (Path(disbursements) if str(disbursements)
                                                                          else None)
        disb = read_disbursements(d_path, codes=alloc["code"], reads=reads) if d_path is not None else None
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
        sc = load_scenario(s_path, total=financing, reads=reads)
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
