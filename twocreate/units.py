"""Units the suite understands and how they convert: the table ``data/raw/units/units.csv``.

Each unit belongs to a dimension (money, persons, count, ratio, percent) and has a factor to the
dimension's reference unit (money → 万元; persons → 万人次; counts → one item). The table is data:
a plan that counts in 万辆 needs a row there, not a change here.
"""
from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType


@dataclass(frozen=True)
class Unit:
    """One row of the units table."""

    unit: str
    dimension: str
    factor: float
    en: str = ""


def table_path() -> Path:
    """The units table of the project."""
    from . import config
    return config.raw_folder() / "units" / "units.csv"


@lru_cache(maxsize=4)
def _load(path: str) -> MappingProxyType:
    from .errors import InputError, printable_name
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise InputError(f"{printable_name(path)}: the project's units table is missing: expected this file "
                         f"(a copy of the units table of the twocreate source)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{printable_name(path)}: cannot read the units table ({type(exc).__name__}): "
                         f"expected a UTF-8 CSV file") from None
    return MappingProxyType({r["unit"]: Unit(r["unit"], r["dimension"], float(r["factor"]), r.get("en") or "")
                             for r in rows})


def table() -> MappingProxyType:
    """``unit → Unit`` (read once, immutable)."""
    return _load(str(table_path()))


class _Units:
    """``UNITS[unit]`` → ``(dimension, factor)``, the former dict, read from the table."""

    def __getitem__(self, unit: str) -> tuple[str, float]:
        u = table()[unit]
        return u.dimension, u.factor

    def __contains__(self, unit: object) -> bool:
        return unit in table()

    def __iter__(self):
        return iter(table())

    def __len__(self) -> int:
        return len(table())


UNITS = _Units()


# ``units``: a table from :func:`table`, taken once by a caller that asks per row (the default finds the
# project and its table now, which costs a walk up the folders: 0.4 ms, i.e. most of a 150,000-row check)
def is_known(unit: str, units: Mapping[str, Unit] | None = None) -> bool:
    return unit in (table() if units is None else units)


def known() -> str:
    """The table's units, for an error message ("a known unit (元, 万元, …)")."""
    return ", ".join(table())


def dimension(unit: str, units: Mapping[str, Unit] | None = None) -> str | None:
    u = (table() if units is None else units).get(unit)
    return u.dimension if u else None


def english(unit: str) -> str:
    """The English noun a unit names (``人次`` → ``person-times``; counts: ``""``)."""
    u = table().get(unit)
    return u.en if u else ""


def conversion_factor(from_unit: str, to_unit: str, units: Mapping[str, Unit] | None = None) -> float:
    """Factor ``f`` such that ``value_in_to_unit = value_in_from_unit * f``.

    Raises ``ValueError`` when the units are unknown or of different dimensions
    (人次 and 人 are both persons: a job filled is counted once either way).
    """
    t = table() if units is None else units
    if from_unit not in t or to_unit not in t:
        raise ValueError(f"unknown unit {from_unit!r} or {to_unit!r}; known units: {known()}")
    a, b = t[from_unit], t[to_unit]
    if a.dimension != b.dimension:
        raise ValueError(f"cannot convert {from_unit} ({a.dimension}) to {to_unit} ({b.dimension})")
    return a.factor / b.factor


def convert(value: float, from_unit: str, to_unit: str, units: Mapping[str, Unit] | None = None) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``."""
    return value * conversion_factor(from_unit, to_unit, units)
