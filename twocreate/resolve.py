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
import re
from pathlib import Path

import pandas as pd

from . import config
from .errors import InputError
from .io import cell_text, normalise_label, split_header_unit

__all__ = ["UnknownName", "Names", "indicator", "area", "year", "path", "period"]


class UnknownName(InputError, KeyError):
    """An indicator or area name the plan does not know (an :class:`InputError` and a ``KeyError``)."""

    __str__ = InputError.__str__  # one line, not KeyError's quoted repr


def _names(plan):
    return Names(plan)  # built from the plan's tables as they are now (a plan may be edited)


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


# --------------------------------------------------------------------------- names (moved here from intake)
def _split_codes(codes: object) -> list[str]:
    """``"a;b"`` → ``["a", "b"]`` (blank → []): :func:`twocreate.plan.split_codes`, without importing the plan."""
    if codes is None or (isinstance(codes, float) and codes != codes):
        return []
    return [c.strip() for c in str(codes).split(";") if c.strip()]


class Names:
    """Lookup of indicator and area names as users write them, built from the plan's tables only."""

    def __init__(self, plan):
        self.plan = plan
        self._accepted: str | None = None
        ind = plan.indicators
        self.indicators: dict[str, str] = {}
        zh = [str(n) for n in ind["name_zh"]]
        prefix = _common_prefix(zh) if len(zh) > 1 else ""
        for _, r in ind.iterrows():
            names = [r["code"], r["name_zh"], r["name_en"], split_header_unit(r["name_zh"])[0],
                     split_header_unit(r["name_en"])[0]]
            if prefix and str(r["name_zh"]).startswith(prefix) and len(str(r["name_zh"])) > len(prefix) + 1:
                names.append(str(r["name_zh"])[len(prefix):])  # the names' shared prefix dropped
            names += _split_codes(r.get("aliases"))
            for n in names:
                if n is not None and str(n).strip():
                    self.indicators.setdefault(normalise_label(n), r["code"])
        for _, r in plan.series.iterrows():  # supporting series (numerators, denominators, benchmarks)
            for n in [r["code"], r["name_zh"], r["name_en"]] + _split_codes(r.get("aliases")):
                if n is not None and str(n).strip():
                    self.indicators.setdefault(normalise_label(n), r["code"])
        self.areas: dict[str, list[str]] = {}
        for _, r in plan.areas.iterrows():
            code = str(r["area_code"])
            for n in [code, r["name_zh"], r["name_en"]] + _split_codes(r.get("aliases")):
                if n is not None and str(n).strip():
                    lst = self.areas.setdefault(normalise_label(n), [])
                    if code not in lst:
                        lst.append(code)
        self.valid = {str(r["area_code"]): (_int_or_none(r["valid_from"]), _int_or_none(r["valid_to"]))
                      for _, r in plan.areas.iterrows()}

    def indicator(self, label: object) -> str | None:
        code = self.indicators.get(normalise_label(label))
        if code is None and isinstance(label, str) and _BRACKET.search(label):
            code = self.indicators.get(normalise_label(split_header_unit(label)[0]))
        return code

    def area(self, label: object, year: int | None) -> str | None:
        """Area code for a code or name; where a name stands for several areas (an old and a new
        one), the one valid in ``year``."""
        t = cell_text(label)
        if t is None:
            return None
        key = normalise_label(t)
        if re.fullmatch(r"\d{6}\.0+", key):
            key = key.split(".")[0]
        codes = self.areas.get(key, [])
        if len(codes) <= 1 or year is None:
            return codes[0] if codes else None
        live = [c for c in codes if (self.valid[c][0] or 0) <= year <= (self.valid[c][1] or 9999)]
        return live[0] if live else codes[0]

    def accepted_indicators(self) -> str:
        """The plan's series as a message lists them (made once: a file of bad rows names them on every row)."""
        if self._accepted is None:
            ind = self.plan.measures
            self._accepted = ", ".join(f"{c} ({z})" for c, z in zip(ind["code"], ind["name_zh"]))
        return self._accepted


def _int_or_none(v) -> int | None:
    try:
        return None if v is None or pd.isna(v) else int(float(v))
    except (TypeError, ValueError):
        return None


def _common_prefix(names: list[str]) -> str:
    p = os.path.commonprefix(names)
    return p


_BRACKET = re.compile(r"[(\uff08\[\uff3b]")  # an opening bracket, half or full width
