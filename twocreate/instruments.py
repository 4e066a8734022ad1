"""The financing instruments of a plan's money, one at a time: a guidance fund's "1:ratio" read
either way, co-funding, a fund of funds counted once, a loan risk pool, guarantees, interest and
listing subsidies; and the checks of their parameters. Pure functions; money in the caller's unit.
:mod:`twocreate.funds` puts them together (the package, the scenario, sensitivity) and re-exports them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from .errors import InputError

BASES = ("total", "private")
# State Council Decree No. 683 (2017), 《融资担保公司监督管理条例》 Art. 15: outstanding guarantees ≤ 10 × net
# assets; up to 15 × for guarantors that mainly serve small/micro firms and agriculture.
GUARANTEE_CAP = 10.0
GUARANTEE_CAP_SMALL_MICRO = 15.0


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


def validate_basis(basis: object) -> str:
    if basis not in BASES:
        _fail("basis", basis, "'total' (public : total, the default) or 'private' (public : private)")
    return str(basis)


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
