"""A financing scenario and the package it gives: how the money a plan puts into financing divides
among the instruments (the scenario file, each figure with its basis), the model's assumptions, the
whole package under both readings of the leverage ratio, and its sensitivity. Money in 亿元; shares
and rates as fractions. :mod:`twocreate.funds` re-exports everything here.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping

import pandas as pd

from . import config, units
from .errors import InputError, Problem
from .io import raise_problems, read_sourced
from .sourced import Sourced
from .plan import FUND_UNIT_FACTOR, money_unit
from .plan_schema import money_units
from .instruments import (BASES, GUARANTEE_CAP, GUARANTEE_CAP_SMALL_MICRO, annuity_factor, co_funded, expected_loss_rate,  # noqa: F401
                          fund_of_funds, grant_equivalent, guarantee_capacity, guidance_fund, interest_subsidy_cost,
                          listing_subsidy_cost, loans_per_subsidy, risk_pool_capacity, risk_pool_years,
                          validate_basis, validate_money, validate_nonneg, validate_positive, validate_share,
                          _blank, _fail)


def default_scenario() -> Path:
    """The shipped fund-model scenario (``data/raw/funds/default_scenario.csv``)."""
    return config.paths().raw / "funds" / "default_scenario.csv"


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
    read: Sourced | None = field(default=None, repr=False, compare=False)  # the file as read (encoding …)

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
            yield "unit", row["unit"], f"a money unit ({money_units()})"


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


def load_scenario(path: str | os.PathLike | None = None, total: float | None = None, *, limits=None,
                  reads=None) -> Scenario:
    """Read a scenario file (default ``data/raw/funds/default_scenario.csv``) and validate it.

    Columns: ``code, group, name_zh, name_en, value, unit, low, high, basis, section, rationale_zh,
    rationale_en``. Group ``split`` rows are the financing money by instrument (亿元, ≥ 0); group ``parameter``
    rows the model assumptions (shares in (0, 1], multiples > 0 …). ``low ≤ value ≤ high``. ``basis``
    is ``plan`` (the ``section`` must be given), ``assumption`` or ``data`` (a published figure), each
    with a rationale. With ``total`` (the plan's financing amount) the split must sum to it.
    Raises :class:`InputError` naming file, row, column and value.
    """
    from .schema import validate
    path = Path(path) if path is not None else default_scenario()
    schema = scenario_schema()
    got = read_sourced(path, required=SCENARIO_COLUMNS, limits=limits, reads=reads)
    df, src = got.frame, got.source
    raw = df.assign(**{f"_raw_{c}": df[c] for c in ("value", "low", "high")})
    table, problems = validate(raw, schema, {"source": src, "seen": [c for c in df["code"] if c]}, source=src)
    raise_problems(problems)
    big = money_unit(FUND_UNIT_FACTOR)  # the scenario's money in 10^8 yuan, as the plan's funds
    split: dict[str, float] = {}
    params: dict[str, float] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for _, r in table.iterrows():
        f = units.conversion_factor(str(r["unit"]), big) if r["code"] in SPLIT_CODES else 1.0
        (split if r["code"] in SPLIT_CODES else params)[r["code"]] = r["value"] * f  # split units → 亿元
        ranges[r["code"]] = (r["low"] * f, r["high"] * f)
    if total is not None:
        s = sum(split.values())
        if abs(s - total) > 1e-6:
            raise InputError(f"{src}: column 'value': the split rows sum to {s:g} {big}: expected the plan's "
                             f"financing total {total:g} {big}; difference {s - total:+g} {big}")
    out = df.copy()
    for col in ("value", "low", "high"):
        out[col] = table[col].astype(float).to_numpy()
    return Scenario(split={k: split[k] for k in SPLIT_CODES}, params={k: params[k] for k in PARAM_CODES},
                    ranges=ranges, table=out, path=path, read=got)


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


