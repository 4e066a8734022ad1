"""Units the suite understands and how they convert (definitions, not plan figures).

Each unit belongs to a dimension and has a factor to the dimension's reference unit:
money → 万元 (10,000 yuan); persons → 万人次 (10,000 person-times); counts → 项 (items).
"""
from __future__ import annotations

# unit: (dimension, factor to the reference unit)
UNITS: dict[str, tuple[str, float]] = {
    "元": ("money", 1e-4),
    "千元": ("money", 1e-1),
    "万元": ("money", 1.0),
    "百万元": ("money", 1e2),
    "亿元": ("money", 1e4),
    "yuan": ("money", 1e-4),
    "10k yuan": ("money", 1.0),
    "100m yuan": ("money", 1e4),
    "人次": ("persons", 1e-4),
    "万人次": ("persons", 1.0),
    "人": ("persons", 1e-4),
    "万人": ("persons", 1.0),
    "项": ("count", 1.0),
    "件": ("count", 1.0),
    "个": ("count", 1.0),
    "家": ("count", 1.0),
    "户": ("count", 1.0),
    "万户": ("count", 1e4),
    "次": ("count", 1.0),
    "倍": ("ratio", 1.0),
    "%": ("percent", 1.0),
}


def is_known(unit: str) -> bool:
    return unit in UNITS


def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Factor ``f`` such that ``value_in_to_unit = value_in_from_unit * f``.

    Raises ``ValueError`` when the units are unknown or of different dimensions
    (人次 and 人 are both persons: a job filled is counted once either way).
    """
    if from_unit not in UNITS or to_unit not in UNITS:
        raise ValueError(f"unknown unit {from_unit!r} or {to_unit!r}")
    d1, f1 = UNITS[from_unit]
    d2, f2 = UNITS[to_unit]
    if d1 != d2:
        raise ValueError(f"cannot convert {from_unit} ({d1}) to {to_unit} ({d2})")
    return f1 / f2


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """``value`` in ``from_unit`` expressed in ``to_unit``."""
    return value * conversion_factor(from_unit, to_unit)
