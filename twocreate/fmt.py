"""Numbers formatted for people, by language: 万 / 亿 in ``zh``; thousands / millions / billions in ``en``.

Inputs carry their unit in the function name: ``money_10k_yuan`` takes 万元, ``persons_10k``
takes 万人次, ``count`` takes a plain count (项, 家, 个).
"""
from __future__ import annotations

import math


def _nan(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def number(x: float | None, decimals: int = 0, lang: str = "zh") -> str:
    """``12345.6`` → ``12,346`` (both languages group thousands with commas)."""
    if _nan(x):
        return "—"
    return f"{x:,.{decimals}f}"


def _trim(s: str) -> str:
    return s.rstrip("0").rstrip(".") if "." in s else s


def _w(key: str, lang: str = "zh", **values) -> str:
    """A word of the number formats (catalog ``fmt.*``)."""
    from .i18n import t
    return t(f"fmt.{key}", lang, **values)


def zh_money() -> tuple[tuple[float, str], ...]:
    """Magnitudes of money in Chinese text: (size in 万元, word), largest first (catalog ``fmt.money_*``)."""
    return ((1e4, _w("money_100m")), (1.0, _w("money_10k")))
EN_MAGNITUDES = ((1e9, "billion"), (1e6, "million"), (1e3, "thousand"))
"""Magnitudes in English text: (size, word), largest first."""


def _zh_money(a: float) -> tuple[float, str]:
    """The Chinese magnitude for an amount of ``a`` 万元: 亿元 from 1亿, else 万元."""
    mags = zh_money()
    return next(((m, w) for m, w in mags if a >= m), mags[-1])


def money_10k_yuan(x: float | None, lang: str = "zh", digits: int = 3) -> str:
    """Money given in 万元: zh ``8,030亿元`` / ``8.59亿元`` / ``1,500万元``; en ``CNY 803.0 billion``.

    ``digits`` significant figures at least (integers are never rounded away).
    """
    if _nan(x):
        return "—"
    sign = "−" if x < 0 else ""
    a = abs(x)
    if lang == "zh":
        mag, unit = _zh_money(a)
        return f"{sign}{_sig(a / mag, digits)}{unit}"
    yuan = a * 1e4
    for div, word in ((1e9, "billion"), (1e6, "million"), (1e3, "thousand")):
        if yuan >= div:
            return f"{sign}CNY {_sig(yuan / div, digits)} {word}"
    return f"{sign}CNY {_sig(yuan, digits)}"


def money_100m_yuan(x: float | None, lang: str = "zh", digits: int = 3) -> str:
    """Money given in 亿元 (see :func:`money_10k_yuan`)."""
    return "—" if _nan(x) else money_10k_yuan(x * 1e4, lang, digits)


def persons_10k(x: float | None, lang: str = "zh", digits: int = 3) -> str:
    """Person-times given in 万人次: zh ``28万人次``; en ``280,000 person-times`` / ``2.81 million``."""
    if _nan(x):
        return "—"
    if lang == "zh":
        return _w("persons_10k", n=_sig(x, digits))
    n = x * 1e4
    if abs(n) >= 1e6:
        return f"{_sig(n / 1e6, digits)} million person-times"
    return f"{n:,.0f} person-times"


def count(x: float | None, unit_zh: str | None = None, unit_en: str = "", lang: str = "zh") -> str:
    """A count: zh ``19,600项``; en ``19,600 patents`` (``unit_en`` appended when given)."""
    if _nan(x):
        return "—"
    s = f"{x:,.0f}" if abs(x - round(x)) < 1e-9 or abs(x) >= 100 else f"{x:,.1f}"
    if lang == "zh":
        return f"{s}{_w('count_unit') if unit_zh is None else unit_zh}"
    return f"{s} {unit_en}".rstrip()


def percent(x: float | None, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percentage: ``0.3309`` → ``33.1%`` (``+33.1%`` when ``signed``)."""
    if _nan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    s = f"{x * 100:+,.{decimals}f}%" if signed else f"{x * 100:,.{decimals}f}%"
    return s.replace("-", "−")


def points(x: float | None, decimals: int = 1, lang: str = "zh") -> str:
    """A difference of percentages (fraction) in percentage points: ``0.012`` → ``+1.2个百分点`` / ``+1.2 pp``."""
    if _nan(x):
        return "—"
    s = f"{x * 100:+.{decimals}f}".replace("-", "−")
    return _w("points", lang, n=s)


def ratio(x: float | None, decimals: int = 2) -> str:
    """A plain ratio: ``0.9123`` → ``0.91``."""
    if _nan(x):
        return "—"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    return f"{x:.{decimals}f}".replace("-", "−")


def value_in_unit(x: float | None, unit: str, lang: str = "zh", unit_en: str = "") -> str:
    """Format a level given in one of the units of the units table (see :func:`quantity`)."""
    return quantity(x, unit, lang, unit_en)


def _sig(v: float, digits: int) -> str:
    """At least ``digits`` significant figures, thousands grouped, trailing zeros dropped."""
    if v == 0:
        return "0"
    mag = int(math.floor(math.log10(abs(v))))
    decimals = max(0, digits - 1 - mag)
    return _trim(f"{v:,.{decimals}f}")


def quantity(x: float | None, unit: str, lang: str = "zh", unit_en: str = "", digits: int = 3) -> str:
    """A value in any unit of the units table, for people.

    Money in 万元/亿元 magnitudes (zh) or CNY thousand/million/billion (en); persons and person-times
    as the plan writes them (``281万人``, ``2.81 million persons``); counts in the plan's unit in
    Chinese (``9.4万户``, ``9,200家``) and as plain numbers in English (``94,000``, with ``unit_en``
    appended where the plan gives one: ``19,600 patents``); percentages with one decimal.
    """
    from . import units
    if _nan(x):
        return "—"
    dim = units.dimension(unit)
    if dim == "money":
        return money_10k_yuan(x * units.table()[unit].factor, lang, digits)  # factor: to 万元, the reference
    if dim == "percent":
        return f"{_trim(f'{x:,.2f}')}%"
    if dim == "persons":
        if lang == "zh":
            return f"{_sig(x, digits)}{unit}"
        n = x * units.table()[unit].factor * 1e4  # factor: to 10^4 persons, the reference; n in heads
        word = units.english(unit) or "persons"
        return f"{_sig(n / 1e6, digits)} million {word}" if abs(n) >= 1e6 else f"{_sig(n, digits)} {word}"
    if dim == "count":
        if lang == "zh":
            s = f"{x:,.0f}" if float(x).is_integer() or abs(x) >= 1000 else _sig(x, digits)
            return f"{s}{unit}"
        base = x * units.table()[unit].factor  # factor: to one item, the reference of counts
        s = f"{base:,.0f}" if float(base).is_integer() or abs(base) >= 1000 else _sig(base, digits)
        return f"{s} {unit_en}".rstrip()
    if dim == "ratio":
        return _w("times", lang, n=_trim(f"{x:,.2f}"))
    return f"{x:,.4g}{unit}" if lang == "zh" else f"{x:,.4g} {unit}"


def rate(x: float | None, decimals: int = 1) -> str:
    """A growth rate or share given as a fraction: ``0.2097`` → ``+21.0%``-style without the sign."""
    return percent(x, decimals)


def pp(x: float | None, lang: str = "zh", decimals: int = 1) -> str:
    """A change in percentage points given in points (``1.5`` → ``+1.5个百分点`` / ``+1.5 pp``);
    ``持平`` / ``unchanged`` at zero."""
    if _nan(x):
        return "—"
    if round(x, decimals) == 0:
        return _w("unchanged", lang)
    return points(x / 100.0, decimals, lang)


# --------------------------------------------------------------------------- one magnitude per column
def _step(x: float) -> float:
    """The rounding step that keeps three significant figures of ``x``, integers never rounded away."""
    if _nan(x) or x == 0 or math.isinf(x):
        return 1.0
    return 10.0 ** -max(0, 2 - int(math.floor(math.log10(abs(x)))))


def _decimals(step: float) -> int:
    return max(0, int(round(-math.log10(step)))) if step > 0 else 0


def _float(v) -> float:
    """A cell as a float; None, NA, NaN and text that is no number → NaN."""
    try:
        return math.nan if v is None else float(v)
    except (TypeError, ValueError):
        return math.nan


def _finite(values) -> list[float]:
    return [x for x in (_float(v) for v in values) if not math.isnan(x) and not math.isinf(x)]


def _column_step(values) -> float:
    """The step of a column of plain numbers: three significant figures of the largest, and two of the
    smallest non-zero value (at most two decimals more than the largest needs); integers never
    rounded away."""
    xs = [abs(v) for v in _finite(values) if v != 0]
    if not xs:
        return 1.0
    big, small = _step(max(xs)), 10.0 ** -max(0, 1 - int(math.floor(math.log10(min(xs)))))
    return max(min(big, small), big / 100)


def _display(values, unit: str | None) -> tuple[float, float]:
    """(factor to the Chinese display magnitude, step in that magnitude) of a column in ``unit``:
    money in 亿元 once its largest value reaches 1亿, else 万元; percentages with one decimal; persons
    in 万 with one decimal (9.4万人次, 60.9万人); any other unit as it is (:func:`_column_step`)."""
    from . import units
    vals = _finite(values)
    big = max((abs(v) for v in vals), default=0.0)
    dim = units.dimension(unit) if unit else None
    if dim == "money":
        f = units.table()[unit].factor  # to 万元, the reference unit of money
        mag, _ = _zh_money(big * f)
        return f / mag, _column_step([v * f / mag for v in vals])
    if dim == "percent":
        return 1.0, 0.1
    if dim == "persons" and units.table()[unit].factor >= 1 and big >= 1:
        return 1.0, 0.1
    return 1.0, _column_step(vals)


def column_numbers(values, unit: str | None = None) -> list[float]:
    """The numbers a column of ``values`` (in ``unit``) shows, in the unit given: each rounded to the
    column's step, three significant figures of its largest value in the magnitude the column is
    printed in (integers never rounded away). Equal numbers print alike: rank on these, and ties
    share a rank. NaN stays NaN."""
    f, step = _display(values, unit)
    d = _decimals(step)
    return [math.nan if math.isnan(x) else float(f"{x * f:.{d}f}") / f for x in map(_float, values)]


def column(values, unit: str | None, lang: str = "zh", unit_en: str = "") -> list[str]:
    """A table column of ``values`` in ``unit`` (units table), in one unit, one magnitude and one
    number of decimals: the precision of :func:`column_numbers`.

    Money in 亿元 or 万元 (zh) and CNY billion / million / thousand (en), chosen by the column's largest
    value, with the decimals the Chinese step needs (``2,108亿元`` = ``CNY 210.8 billion``); persons and
    person-times in the plan's unit (zh) and as head counts (en: ``135,000 person-times``); counts in
    their unit; percentages with one decimal; without a unit, plain numbers. Blank or NaN: ``—``.
    """
    from . import units
    vals = [_float(v) for v in values]
    if not _finite(vals):
        return ["—"] * len(vals)
    f, step = _display(vals, unit)
    dim = units.dimension(unit) if unit else None
    big = max(abs(v) for v in _finite(vals))

    def num(x: float, step_x: float) -> str:
        """``x`` rounded to ``step_x`` (a power of ten), thousands grouped."""
        if step_x >= 1:
            return f"{float(f'{x / step_x:.0f}') * step_x:,.0f}".replace("-", "−")
        return f"{x:,.{_decimals(step_x)}f}".replace("-", "−")

    out = []
    if dim == "money" and lang == "en":
        uf = units.table()[unit].factor * 1e4  # to yuan
        div, word = next(((m, w) for m, w in EN_MAGNITUDES if big * uf >= m), (1.0, ""))
        se = step / f * uf / div
        for v in vals:
            out.append("—" if _nan(v) else f"CNY {num(v * uf / div, se)} {word}".rstrip())
        return out
    if dim in ("persons", "count") and lang == "en":
        uf = units.table()[unit].factor * (1e4 if dim == "persons" else 1.0)  # to heads or items
        word = (units.english(unit) or "persons") if dim == "persons" else unit_en
        for v in vals:
            out.append("—" if _nan(v) else f"{num(v * uf, step / f * uf)} {word}".rstrip())
        return out
    if dim == "percent":
        return ["—" if _nan(v) else f"{num(v, 0.1)}%" for v in vals]
    suffix = ""
    if dim == "money":
        suffix = _zh_money(big * units.table()[unit].factor)[1]
    elif dim in ("persons", "count"):
        suffix = unit
    for v in vals:
        out.append("—" if _nan(v) else f"{num(v * f, step)}{suffix}")
    return out
