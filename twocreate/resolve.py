"""What a user types, understood or refused in one line: the one resolver of the library.

Every public call that takes an indicator, an area, a report year or a file path resolves it here,
with the same rules as the file intake (:class:`twocreate.intake.Names`):

* :func:`indicator`: a code, the Chinese or English name, or an alias of the plan's
  ``indicators.csv`` (and of ``series.csv`` with ``series=True``), matched after NFKC folding,
  without spaces, case-blind;
* :func:`area`: a code (numbers as Excel stores them too), a Chinese or English name or an alias of
  ``areas.csv``; a former code or name gives its successor; None → the city;
* :func:`year`: ``2020``, ``"2020"``, ``"2020年"``, ``"２０２０"``, inside the plan's period (the base
  year + 1 … the last target year);
* :func:`path`: a relative path against the current folder; a missing file is refused naming the
  folder looked in and, when the file is there, the project root to use instead.

Anything else raises :class:`~twocreate.InputError` whose one-line message says what is valid.
An unknown indicator or area also is a :class:`KeyError` (:class:`UnknownName`), so code that caught
the ``KeyError`` of ``plan.indicator(code)`` keeps working.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import config
from .errors import InputError

__all__ = ["UnknownName", "indicator", "area", "year", "path", "period"]


class UnknownName(InputError, KeyError):
    """An indicator or area name the plan does not know (an :class:`InputError` and a ``KeyError``)."""

    __str__ = InputError.__str__  # one line, not KeyError's quoted repr


def _names(plan):
    from .intake import Names  # built from the plan's tables as they are now (a plan may be edited)
    return Names(plan)


def indicator(plan, name, *, series: bool = False) -> str:
    """The code of an indicator given by code, Chinese or English name or alias (``series``: also the
    supporting series of ``series.csv``). Unknown → :class:`UnknownName` listing the valid codes and names.

    >>> from twocreate.plan import load_plan
    >>> plan = load_plan()
    >>> code, name = plan.indicators[["code", "name_en"]].iloc[0]
    >>> indicator(plan, name.upper()) == code
    True
    """
    code = None if name is None else _names(plan).indicator(name)
    known = plan.measures if series else plan.indicators
    if code is None or code not in set(known["code"]):
        listed = ", ".join(f"{c} ({z})" for c, z in zip(known["code"], known["name_zh"]))
        raise UnknownName(f"indicator {name!r}: expected a code, name or alias of plan {plan.id}'s "
                          f"{'series' if series else 'indicators'}: {listed}")
    return code


def area(plan, name) -> str:
    """The current area code of a code, Chinese or English name or alias of ``areas.csv``; None or
    blank → the city. A former code gives its successor. Unknown → :class:`UnknownName` listing the areas.

    >>> from twocreate.plan import load_plan
    >>> plan = load_plan()
    >>> area(plan, None) == plan.city_code
    True
    """
    if name is None or str(name).strip() == "":
        return plan.city_code
    code = _names(plan).area(name, None)
    if code is None:
        known = ", ".join(f"{c} ({n})" for c, n in zip(plan.areas["area_code"], plan.areas["name_zh"]))
        raise UnknownName(f"area {name!r}: expected a code, name or alias of plan {plan.id}'s areas: {known}")
    return plan.area_successors().get(str(code), str(code))


def period(plan) -> tuple[int, int]:
    """The first and last report year of ``plan``: the base year + 1 … the last target year."""
    last = max([int(plan.target_year)] + [int(v) for v in plan.indicators["target_year"].dropna()])
    return int(plan.base_year) + 1, last


def year(plan, value) -> int:
    """A report year as users write it (``2020``, ``"2020"``, ``"2020年"``) inside the plan's period;
    else :class:`InputError` naming the valid years.

    >>> from twocreate.plan import load_plan
    >>> plan = load_plan()
    >>> year(plan, f"{plan.target_year}年") == plan.target_year
    True
    """
    from .schema import parse_year
    y = parse_year(value)
    first, last = period(plan)
    if y is None or not first <= y <= last:
        raise InputError(f"year {value!r}: expected a report year of plan {plan.id} from {first} to {last}")
    return y


def path(value, *, what: str = "file") -> Path:
    """``value`` as a path: relative ones against the current folder. A file that is not there raises
    :class:`InputError` naming the folder looked in, and the project root when the file is there
    (a notebook's kernel runs in ``notebooks/``, so ``tests/data/x.csv`` is ``../tests/data/x.csv``).

    >>> path(".") == Path.cwd()
    True
    """
    if value is None or str(value).strip() == "":
        raise InputError(f"no {what} given: expected a path to a {what}")
    p = Path(os.path.expanduser(str(value)))
    full = p if p.is_absolute() else Path.cwd() / p
    if full.exists():
        return full
    hint = ""
    if not p.is_absolute():
        root = config.find_root()
        if (root / p).exists() and root.resolve() != Path.cwd().resolve():
            rel = os.path.relpath(root / p, Path.cwd())
            hint = (f"; it is in the project root {root}: give {str(root / p)!r} (or {rel!r} from here), "
                    "or start the kernel in the project root")
    raise InputError(f"{value}: no such {what} in the folder {Path.cwd()} (a relative path is read from "
                     f"the current folder){hint}")
