"""How much any reader of the suite accepts: the bounds checked before a file is parsed.

A :class:`Limits` object is passed down to every reader (``load_grid(path, limits=…)``,
``read_observations(…, limits=…)`` …); ``None`` means :meth:`Limits.current`, the documented defaults
unless the command line raised them (``--max-rows``, ``--max-bytes`` … on ``validate`` and ``run``:
``run`` hands them to its notebooks through the environment variable ``TWOCREATE_LIMITS``, as
``max_rows=500000,max_bytes=104857600``). A file beyond a limit is refused in one line naming the
limit and the option that raises it, before it can take the time or the memory it would need.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

from .errors import InputError

ENV = "TWOCREATE_LIMITS"
MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Bounds on one input file (defaults in brackets); each has the command-line option ``--max-…``
    of its name (``max_rows`` → ``--max-rows``)."""

    max_bytes: int = 50 * MIB  # size of the file on disk [50 MiB]
    max_rows: int = 200_000  # rows of a table (CSV lines, sheet rows) [200,000]
    max_columns: int = 1_000  # columns of a table [1,000]
    max_cells: int = 5_000_000  # rows × columns of the table as read (what it costs in memory) [5,000,000]
    max_line: int = 100_000  # characters in one line of a text file [100,000]
    max_unpacked: int = 200 * MIB  # bytes a workbook's parts declare and inflate to, all together [200 MiB]
    max_ratio: int = 100  # compression ratio of one workbook part larger than 1 MiB [100]
    max_problems: int = 50  # problems listed one by one; the others are counted by kind [50]

    @classmethod
    def current(cls) -> "Limits":
        """The defaults, with what ``$TWOCREATE_LIMITS`` sets (``name=value,…``; an invalid entry is
        ignored: the variable is written by ``twocreate run``, never typed)."""
        text = os.environ.get(ENV, "")
        if not text.strip():
            return DEFAULT
        known = {f.name for f in fields(cls)}
        values = {}
        for part in text.split(","):
            name, _, value = part.partition("=")
            name = name.strip()
            if name in known and value.strip().isdigit() and int(value) > 0:
                values[name] = int(value)
        return replace(DEFAULT, **values)

    def to_env(self) -> str:
        """The ``$TWOCREATE_LIMITS`` text for the limits that differ from the defaults."""
        return ",".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self)
                        if getattr(self, f.name) != getattr(DEFAULT, f.name))

    @staticmethod
    def option(name: str) -> str:
        """``max_rows`` → ``--max-rows`` (the option that raises that limit)."""
        return "--" + name.replace("_", "-")


DEFAULT = Limits()

OPTION_HELP = {
    "max_bytes": "largest input file, in bytes (default 50 MiB)",
    "max_rows": "most rows of an input table (default 200,000)",
    "max_columns": "most columns of an input table (default 1,000)",
    "max_cells": "most cells (rows × columns) of an input table (default 5,000,000)",
    "max_line": "longest line of a text (CSV) file, in characters (default 100,000)",
    "max_unpacked": "most bytes a workbook may unpack to (default 200 MiB)",
    "max_ratio": "highest compression ratio of a workbook part over 1 MiB (default 100)",
    "max_problems": "problems listed one by one before the rest are counted (default 50)",
}


def raise_hint(name: str) -> str:
    return f"raise the limit with {Limits.option(name)} N"


def human_size(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:,.0f} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return f"{n:,.1f} TiB"


def too_large(name: str, what: str, count: int, limit: int, option: str, detail: str = "") -> None:
    more = f" ({detail})" if detail else ""
    raise InputError(f"{name}: {count:,} {what}{more}, more than the limit of {limit:,}: expected a smaller table "
                     f"({raise_hint(option)})")
