"""One schema layer for every input: each kind of file is a declarative :class:`Schema` (its columns with
their types, units, allowed values and header aliases; row checks and cross-row checks), applied by one
validator, :func:`validate`, which collects every problem as :class:`~twocreate.io.Problem` (one line:
file, row, column, value, what was expected) the way :class:`~twocreate.io.InputError` reports them.

The value types are the suite's one set of normalisers, so that a status, a year, an area, a unit or a
number is read the same way in every kind of file:

* :func:`parse_status` — ``official``/正式, ``provisional``/初步/快报, ``estimate``/估计, ``illustrative``/示例
  (the words of :mod:`twocreate.i18n.vocabulary`);
* :func:`parse_year` — ``2017``, ``2017.0``, ``2017年``, ``２０１７`` (not ``２⁰¹⁷``);
* numbers through :func:`twocreate.io.parse_quantity` (full-width digits, ``1,234``, ``12.3万``; never
  ``1e400`` or a superscript digit);
* units through :mod:`twocreate.units` (a dimension: ``money`` for 元/万元/亿元 …).

Why a small module of our own rather than pandera: the messages. pandera validates typed columns and
reports failure cases as a table (schema context, column, check name, failure case, index), after
coercing the column; our cells are text as people type it (``12.3万``, ``2017年``, ``初步``) that only our
parsers read, a message must show the value as typed with the spreadsheet's line number and the header
as the file names it, in one line, with an expectation in words ("a year such as 2017, 2017年 or
2017.0", "one row per task and year (also on row 7)"), and problems must be capped as they are found.
Each of those would be a custom check and a rewritten message in pandera; here they are the schema.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import pandas as pd

from . import units
from .i18n import vocabulary
from .io import Problem, ProblemList, cell_text, normalise_label, not_a_number_reason, parse_quantity, \
    refuse_digit_lookalikes

STATUSES = ("official", "provisional", "estimate", "illustrative")
# the words read as each status (official, 正式, 正式数 …): the input vocabulary, twocreate/i18n/input.toml
STATUS_NAMES: dict[str, tuple[str, ...]] = dict(vocabulary.status_names())
STATUS_EXPECTED = "one of " + ", ".join(f"{s}/{vocabulary.status_word(s, 'zh')}" for s in STATUSES)
_YEAR_RE = re.compile(r"^(\d{4})(\.0+)?(" + "|".join(map(re.escape, vocabulary.year_suffixes())) + r")?$")
YEAR_EXPECTED = f"a year such as 2017, {vocabulary.year_written(2017)} or 2017.0"


# --------------------------------------------------------------------------- the shared normalisers
def parse_status(v: object) -> str | None:
    """``正式``, ``official``, ``快报`` … → one of :data:`STATUSES`; anything else → None."""
    return _status_lookup().get(normalise_label(v))


@functools.cache  # built once, on first use (what was a module dict filled in place)
def _status_lookup() -> dict[str, str]:
    return {normalise_label(n): status for status, names in STATUS_NAMES.items() for n in names}


def parse_year(v: object) -> int | None:
    """``2017``, ``2017.0``, ``'2017年'``, ``'2017年度'``, ``'２０１７'`` → 2017; anything else → None
    (``'２⁰¹⁷'`` too: a superscript is not a digit)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return int(v) if float(v).is_integer() and 1900 <= v <= 2100 else None
    try:
        refuse_digit_lookalikes(str(v))
    except ValueError:
        return None
    m = _YEAR_RE.match(normalise_label(v))
    if m is None:
        return None
    y = int(m.group(1))
    return y if 1900 <= y <= 2100 else None


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


# --------------------------------------------------------------------------- value types
class Invalid(Exception):
    """A cell that is not what its column expects: ``expected`` in words (``value`` to show, if not the cell)."""

    def __init__(self, expected: str, value: object = ...):
        super().__init__(expected)
        self.expected, self.value = expected, value


@dataclass(frozen=True)
class Text:
    """Free text (stripped)."""

    def __call__(self, v, ctx):
        return cell_text(v)


@dataclass(frozen=True)
class Number:
    """A number as people type it, finite; optional bounds (``low``/``high``, inclusive unless
    ``strict``) and the expectation used when it is not a number or out of bounds."""

    low: float | None = None
    high: float | None = None
    strict: bool = False
    expected: str = "a number"
    whole: bool = False

    def __call__(self, v, ctx):
        try:
            q = parse_quantity(v)
            if q is None:
                raise ValueError(v)
            if q.unit is not None:
                raise ValueError(v)
            x = q.value
        except ValueError:
            raise Invalid(not_a_number_reason(v) or self.expected) from None
        if self.whole and x != int(x):
            raise Invalid(self.expected)
        if self.low is not None and (x < self.low or (self.strict and x == self.low)):
            raise Invalid(self.expected)
        if self.high is not None and (x > self.high or (self.strict and x == self.high)):
            raise Invalid(self.expected)
        return x


@dataclass(frozen=True)
class Year:
    """A year (:func:`parse_year`), within ``ctx[range_key]`` (a (first, last) pair) when the context has it."""

    range_key: str = "years"
    range_words: str = "the plan's range"
    expected: str = YEAR_EXPECTED

    def __call__(self, v, ctx):
        y = parse_year(v)
        if y is None:
            raise Invalid(self.expected)
        lo_hi = ctx.get(self.range_key)
        if lo_hi is not None and not lo_hi[0] <= y <= lo_hi[1]:
            raise Invalid(f"a year from {lo_hi[0]} to {lo_hi[1]} ({self.range_words})")
        return y


@dataclass(frozen=True)
class Status:
    """A data status (:func:`parse_status`): official, provisional, estimate or illustrative."""

    def __call__(self, v, ctx):
        s = parse_status(v)
        if s is None:
            raise Invalid(STATUS_EXPECTED)
        return s


@dataclass(frozen=True)
class Code:
    """One of a set of codes: ``values`` fixed, or ``ctx[key]`` (no check when the context has none);
    ``lookup`` maps a normalised name to its code (a task's Chinese name → its code)."""

    values: tuple[str, ...] = ()
    key: str | None = None
    expected: str = "one of {codes}"
    lookup_key: str | None = None

    def __call__(self, v, ctx):
        t = cell_text(v)
        allowed = self.values or (tuple(ctx[self.key]) if self.key and ctx.get(self.key) is not None else None)
        if self.lookup_key and ctx.get(self.lookup_key) is not None:
            code = ctx[self.lookup_key].get(normalise_label(t))
            if code is None:
                raise Invalid(self.expected.format(codes=", ".join(allowed or ())))
            return code
        if allowed is not None and t not in allowed:
            raise Invalid(self.expected.format(codes=", ".join(sorted(allowed))))
        return t


@dataclass(frozen=True)
class Unit:
    """A unit of :mod:`twocreate.units`, of ``dimension`` if given (``money``: 元, 万元, 亿元 …)."""

    dimension: str | None = None
    expected: str = "a known unit"

    def __call__(self, v, ctx):
        u = cell_text(v)
        if u is None or not units.is_known(u) or (self.dimension and units.UNITS[u][0] != self.dimension):
            raise Invalid(self.expected)
        return u


@dataclass(frozen=True)
class Choice:
    """A word of ``mapping`` (folded: NFKC, no spaces, lower case) → its value."""

    mapping: Mapping[str, object]
    expected: str = "one of {words}"

    def __call__(self, v, ctx):
        table = {normalise_label(k): val for k, val in self.mapping.items()}
        key = normalise_label(v)
        if key not in table:
            raise Invalid(self.expected.format(words=", ".join(self.mapping)))
        return table[key]


# --------------------------------------------------------------------------- the schema
@dataclass(frozen=True)
class Column:
    """One column of a kind of file.

    ``type`` parses a cell (raising :class:`Invalid`); ``required``: the header must be there (else the
    column is absent and takes ``default``); ``blank``: True if a cell may be blank (it then takes
    ``default``), else the expectation a blank cell is told (a text, or a function making it);
    ``aliases``: other headers accepted."""

    name: str
    type: Callable = Text()
    required: bool = True
    blank: bool | str | Callable[[], str] = False
    default: object = None
    aliases: tuple[str, ...] = ()
    doc: str = ""

    def blank_expected(self) -> str:
        if callable(self.blank):  # an expectation made when it is needed (it names a table's rows, say)
            return self.blank()
        return self.blank if isinstance(self.blank, str) else "a value (may not be blank)"


@dataclass(frozen=True)
class RowCheck:
    """A rule across the cells of one row, run when the columns it ``needs`` parsed: ``check(row, ctx)``
    yields ``(column, value, expected)`` problems (it may also set derived values in ``row``)."""

    needs: tuple[str, ...]
    check: Callable[[dict, dict], Iterable[tuple[str, object, str]]]
    stop: bool = True  # a failing check drops the row from the clean data


@dataclass(frozen=True)
class Schema:
    """A kind of input: columns, row checks, keys that must be unique (``(columns, expectation)``:
    ``(("task", "year"), "one row per task and year")``) and checks over the clean table
    (``check(table, ctx)`` yielding :class:`Problem`; a check across several tables finds the others
    in ``ctx``).

    ``keep_invalid``: a row with a bad cell stays in the table, the cell blank (``None``), instead of
    being left out; a table that others refer to (a plan's indicators, say) then still holds every code
    the file holds, so one bad cell is one problem, not one more in every table that names the row."""

    kind: str
    columns: tuple[Column, ...]
    row_checks: tuple[RowCheck, ...] = ()
    unique: tuple[tuple[tuple[str, ...], str, str], ...] = ()  # (key columns, column to name, expectation)
    table_checks: tuple[Callable, ...] = ()
    doc: str = ""
    keep_invalid: bool = False

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def aliases(self) -> dict[str, tuple[str, ...]]:
        return {c.name: c.aliases for c in self.columns if c.aliases}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _shown(v: object) -> object:
    """A cell as shown in a message: text as typed, a number without a spurious .0."""
    if isinstance(v, float) and v == v and v.is_integer():
        return int(v)
    return v


# long: the stages of validation (cells, row checks, unique keys, table checks) in the order problems are reported
def validate(frame: "pd.DataFrame | list[dict]", schema: Schema, ctx: Mapping | None = None, *,
             problems: list[Problem] | None = None, source: str | None = None,
             labels: Mapping[str, str] | None = None, label_column: str | None = None,
             rows: str | None = None, table_checks: bool = True) -> tuple[pd.DataFrame, list[Problem]]:
    """Apply ``schema`` to ``frame`` (text cells as read; the index is the spreadsheet line, or the
    ``rows`` column is): every cell parsed by its column's type, then the row checks, then the unique
    keys and the table checks. Returns (clean rows with parsed values, problems), problems in the order
    of the file (row by row, column by column) and capped (:class:`~twocreate.io.ProblemList`).

    ``labels`` maps a column to the header the file shows (``数值``); ``label_column`` names a frame
    column holding, per row, the header to show for the *value* cell (a wide table's year column).
    ``frame`` may also be a list of dicts with the same keys (then ``rows`` is required). ``source``:
    the file the problems name (a reader's :attr:`~twocreate.sourced.Sourced.source`; default the
    schema's kind).
    ``table_checks=False`` leaves the table checks for :func:`check_table` (checks across tables run
    once every table of a set has been read)."""
    ctx = dict(ctx or {})
    if isinstance(frame, list):
        records, columns = frame, (list(frame[0]) if frame else [])
        row_numbers = [r[rows] for r in records]
    else:
        records, columns = frame.to_dict("records"), list(frame.columns)
        row_numbers = frame[rows].tolist() if rows else list(frame.index)
    src = source or schema.kind
    problems = problems if problems is not None else ProblemList()
    labels = dict(labels or {})
    present = [c for c in schema.columns if c.name in columns]
    absent = [c for c in schema.columns if c.name not in columns]
    clean: list[dict] = []
    seen: dict[tuple, dict] = {k: {} for k, _, _ in schema.unique}

    def label(name: str, rec: dict) -> str:
        if label_column and name == "value" and rec.get(label_column):
            return str(rec[label_column])
        return labels.get(name, name)

    for rn, rec in zip(row_numbers, records):
        out = {c.name: c.default for c in absent}
        failed: set[str] = set()
        for c in present:
            v = rec[c.name]
            if is_blank(v):
                if c.blank is True:
                    out[c.name] = c.default
                    continue
                problems.append(Problem(src, rn, label(c.name, rec), None, c.blank_expected()))
                failed.add(c.name)
                if schema.keep_invalid:
                    out[c.name] = None
                continue
            try:
                out[c.name] = c.type(v, ctx)
            except Invalid as bad:
                problems.append(Problem(src, rn, label(c.name, rec), _shown(v) if bad.value is ... else bad.value,
                                        bad.expected))
                failed.add(c.name)
                if schema.keep_invalid:
                    out[c.name] = None
        for extra, v in rec.items():  # other columns (note, the shown header …) travel with the row
            if extra not in out:
                out[extra] = v
        dropped = bool(failed)
        for rc in schema.row_checks:
            if failed and not failed.isdisjoint(rc.needs):
                continue
            for column, value, expected in rc.check(out, ctx) or ():
                problems.append(Problem(src, rn, label(column, rec), _shown(value), expected))
                failed.add(column)
                dropped = dropped or rc.stop
        if dropped and not schema.keep_invalid:
            continue
        dup = False
        for (key, col, expected) in schema.unique:
            k = tuple(out[n] for n in key)
            if any(is_blank(x) for x in k):
                continue  # a key cell already told (blank or bad)
            if k in seen[key]:
                problems.append(Problem(src, rn, label(col, rec), _shown(rec.get(col)),
                                        f"{expected} (also on row {seen[key][k]})"))
                dup = True
            else:
                seen[key][k] = rn
        if dup and not schema.keep_invalid:
            continue
        out["row"] = rn
        clean.append(out)
    table = pd.DataFrame(clean, columns=[c.name for c in schema.columns] +
                         [c for c in (clean[0] if clean else {}) if c not in {x.name for x in schema.columns}])
    if table_checks:
        check_table(table, schema, ctx, problems)
    return table, problems


def check_table(table: pd.DataFrame, schema: Schema, ctx: Mapping | None = None,
                problems: list[Problem] | None = None) -> list[Problem]:
    """Run the table checks of ``schema`` on a table :func:`validate` made (``ctx`` may hold the other
    tables of a set, for checks across them); their problems are appended to ``problems``."""
    problems = problems if problems is not None else ProblemList()
    for check in schema.table_checks:
        for p in check(table, dict(ctx or {})) or ():
            problems.append(p)
    return problems
