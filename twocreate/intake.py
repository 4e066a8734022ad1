"""One intake for the users' outturn tables: tidy or wide, Chinese or English, CSV or any workbook.

A statistician's file goes through four steps, each of which either succeeds or says what is wrong
(file, sheet, row, column, value, what was expected):

1. **Read** the file whatever it is (:func:`twocreate.io.load_grid`): CSV in UTF-8/GB18030/UTF-16,
   ``.xlsx``/``.xlsm``/``.xls``/``.xlsb``/``.ods``; title rows, notes under the table, blank rows
   and columns, merged header cells.
2. **Find the table** and its layout:

   * *tidy*: one row per indicator × area × year (``指标, 地区, 年份, 数值, 单位, 状态, 来源``);
   * *wide by year*: one row per indicator (× area), one column per year (``2016``, ``2017年``,
     ``2017年度``), optionally under a merged header such as ``年份``;
   * *wide by indicator*: one row per area (× year), one column per indicator, the unit in the
     header (``营业收入（亿元）``); the year from a year column or, if there is none, from the title
     (``某市主要指标（2017年）``).
3. **Map** headers (:data:`HEADERS`), indicator names (code, Chinese or English name, or an alias in
   the plan's ``indicators.csv``), area names (code, name or alias in ``areas.csv``, an old name in
   the years it was valid), years (``2017``, ``2017年``, ``2017.0``), statuses (``正式``, ``初步``,
   ``估计``, ``示例``) and numbers (full-width digits, ``1,234``, ``12.3万``, ``1.2亿元``).
4. **Units**: the value's unit is the row's unit column, else the header's, else the table's
   ``单位：万元`` line, else the plan's unit (a notice says so). A multiplier written in the cell
   (``12.1亿``) is read only with a base unit (元, 人次, 项): with ``万元`` it is an error showing both
   readings, never a silent 10,000-fold slip.

Totals rows (合计/总计/全市合计) are skipped with a notice and checked against the sum of the rows
they cover. The result is the house format plus the source ``row`` of every value, with the
notices and warnings of the intake and of the edit checks (:mod:`twocreate.checks`).
"""
from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from . import units
from .i18n import t, vocabulary
from .io import (Grid, InputError, Problem, ProblemList, Quantity, cell_text, column_letter, is_note_row, load_grid,
                 not_a_number_reason,
                 normalise_label, parse_quantity, split_header_unit)
from .limits import Limits
from .plan import Plan, split_codes
from .schema import STATUS_NAMES, STATUSES, parse_status, parse_year  # noqa: F401 (re-exported)

COLUMNS = ["indicator", "area_code", "year", "value", "unit", "status", "source"]
DEFAULT_STATUS = "provisional"

# canonical column → the headers accepted for it (matched after NFKC, without spaces, lower case): the
# input vocabulary (twocreate/i18n/input.toml), shared with the template that writes them
HEADERS: dict[str, tuple[str, ...]] = dict(vocabulary.headers())


def _alternatives(words) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


_T = vocabulary.totals()
_TOTAL_RE = re.compile(f"^({_alternatives(_T['prefixes'])})?({_alternatives(_T['words'])})"
                       f"({_alternatives(_T['suffixes'])})?$|^({_alternatives(_T['en'])})$")
_TITLE_YEAR_RE = re.compile(r"(\d{4})\s*(?:" + _alternatives(vocabulary.year_suffixes()) + ")")
_TABLE_UNIT_RE = re.compile(f"^(?:{_alternatives(vocabulary.unit_labels())})" + r":\s*(\S+)$")  # on the NFKC text
HEADER_SCAN_ROWS = 40


def zh_header(column: str) -> str:
    """The Chinese header the suite names for a column in its messages (指标 for ``indicator``)."""
    return vocabulary.header_word(column, "zh")


@dataclass
class Check:
    """A notice or warning about an input file, with where it points (what ``validate`` prints and a
    report's data-check table shows).

    The finding is a code and figures, never a sentence: ``key`` names its message in the catalogs
    (``check_msg.*`` of ``twocreate/i18n/zh.toml`` and ``en.toml``) and ``values`` holds the figures
    the message shows; :meth:`text` puts it in words in a language (:attr:`message`: English, what
    ``validate`` prints). ``texts`` carries a finding another module has already put in words, one
    text per language (the district checks of :func:`twocreate.districts.check_districts`)."""

    level: str  # "notice" | "warning"
    check: str  # totals_row, default_unit, unknown_indicator, yoy_change, level_vs_plan, repeated_value, …
    key: str | None = None
    values: dict = field(default_factory=dict)
    file: str = ""
    row: int | None = None
    column: str | None = None
    indicator: str | None = None
    area_code: str | None = None
    year: int | None = None
    texts: dict | None = None

    FIELDS = ("level", "check", "key", "values", "file", "row", "column", "indicator", "area_code", "year", "texts")

    @property
    def message(self) -> str:
        """The finding in English."""
        return self.text("en")

    def text(self, lang: str) -> str:
        """The finding in ``lang`` (its catalog entry filled with its figures)."""
        if self.key:
            return t(self.key, lang, **_figures(self.values))
        texts = self.texts or {}
        return str(texts.get(lang) or texts.get("en") or "")

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "") + \
            (f", column '{self.column}'" if self.column else "")
        what = " ".join(str(x) for x in (self.indicator, self.area_code, self.year) if x is not None)
        return f"{self.level}: {where}: {what + ': ' if what else ''}{self.message}"

    def as_dict(self) -> dict:
        """The check as plain data (a record for a table or JSON), with its English ``message``."""
        d = {k: getattr(self, k) for k in self.FIELDS}
        d["values"] = dict(self.values)
        d["message"] = self.message
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Check":
        """The check :meth:`as_dict` gave (other keys, such as ``message``, are ignored). A row of a frame of
        checks holds NaN where one check lacks what another has (a ``key``, ``texts``): read as absent."""
        def blank(v) -> bool:
            return v is None or (isinstance(v, float) and v != v)
        got = {k: d[k] for k in cls.FIELDS if k in d}
        for k in ("key", "texts", "row", "column", "indicator", "area_code", "year"):
            if k in got and blank(got[k]):
                got[k] = None
        if blank(got.get("values")):
            got["values"] = {}
        return cls(**got)


class _Figure(float):
    """A figure of a check's message: shown as :func:`num` does (28,000,000 or 12.35) unless the
    catalog entry gives a format (``{ratio:.3g}``, ``{diff:+.1%}``)."""

    def __format__(self, spec: str) -> str:
        return num(float(self)) if not spec else format(float(self), spec)


def _figures(values: dict) -> dict:
    return {k: _Figure(v) if isinstance(v, float) else v for k, v in values.items()}


@dataclass
class Intake:
    """What was read from one file: clean rows (house format + ``row``), problems, notices and warnings."""

    data: pd.DataFrame
    problems: list[Problem]
    checks: list[Check] = field(default_factory=list)
    layout: str = "tidy"
    source: str = ""
    header_row: int | None = None
    encoding: str = ""  # how the file was read: UTF-8, GB18030, UTF-16, workbook (xlsx) …

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.level == "warning"]


# --------------------------------------------------------------------------- names
# Names (the lookup of indicator and area names) is the shared resolver's: twocreate.resolve
from .resolve import _BRACKET, Names, _common_prefix, _int_or_none  # noqa: F401 (re-exported)


_TOTAL_WORDS = frozenset({"total", "sum", "grandtotal", "subtotal"})


def is_total_label(v: object) -> bool:
    """合计, 总计, 全市合计, 小计, total … (a totals row's label)."""
    if not isinstance(v, str):
        return False
    if v.isascii():  # the quick answer for most cells
        return "".join(v.split()).lower() in _TOTAL_WORDS
    return _TOTAL_RE.match(normalise_label(v)) is not None


# --------------------------------------------------------------------------- finding the table
_HEADER_LOOKUP = {normalise_label(a): canon for canon, names in HEADERS.items() for a in names}


@dataclass
class _Layout:
    kind: str  # tidy | wide_years | wide_indicators
    header: int  # index in grid.rows of the (first) header row
    first_data: int
    fields: dict[str, int]  # canonical column → grid column
    field_units: dict[str, str]
    years: dict[int, int]  # grid column → year (wide_years)
    year_labels: dict[int, str]
    indicators: dict[int, tuple[str, str | None]]  # grid column → (indicator code, header unit)
    title_year: int | None = None
    table_unit: str | None = None


def _field(cell: object) -> tuple[str | None, str | None]:
    label, unit = split_header_unit(cell)
    canon = _HEADER_LOOKUP.get(normalise_label(cell)) or _HEADER_LOOKUP.get(normalise_label(label))
    return canon, (unit if canon and _HEADER_LOOKUP.get(normalise_label(cell)) is None else None)


def _scan_row(cells: list, names: Names) -> tuple[dict, dict, dict, dict, dict]:
    fields, funits, years, ylabels, inds = {}, {}, {}, {}, {}
    for j, c in enumerate(cells):
        if c is None:
            continue
        canon, unit = _field(c)
        if canon and canon not in fields:
            fields[canon] = j
            if unit:
                funits[canon] = unit
            continue
        y = parse_year(c)
        if y is not None:
            years[j] = y
            ylabels[j] = cell_text(c) or str(y)
            continue
        code = names.indicator(c) if isinstance(c, str) else None
        if code is not None:
            inds[j] = (code, split_header_unit(c)[1])
    return fields, funits, years, ylabels, inds


def find_layout(grid: Grid, names: Names) -> _Layout:
    """Locate the header row and decide the layout; :class:`InputError` when no table is recognised."""
    rows = grid.rows
    title_years: list[int] = []
    table_unit = None
    for i, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        if all(c is None for c in cells):
            continue
        fields, funits, years, ylabels, inds = _scan_row(cells, names)
        base = dict(header=i, fields=fields, field_units=funits, year_labels=ylabels, table_unit=table_unit)
        if {"indicator", "area_code", "year", "value"} <= set(fields):
            return _Layout("tidy", first_data=i + 1, years={}, indicators={}, **base)
        if "indicator" in fields and "value" not in fields:
            if years:
                return _Layout("wide_years", first_data=i + 1, years=years, indicators={}, **base)
            if i + 1 < len(rows):  # a merged header: the years sit in the row below
                _, _, y2, yl2, _ = _scan_row(rows[i + 1], names)
                labelled = {j for k, j in fields.items() if k != "year"}  # 年份 is the label over the years
                if y2 and not any(rows[i + 1][j] is not None for j in labelled):
                    base["year_labels"] = yl2
                    base["fields"] = {k: j for k, j in fields.items() if k != "year"}
                    return _Layout("wide_years", first_data=i + 2, years=y2, indicators={}, **base)
        if "area_code" in fields and inds and "indicator" not in fields:
            ty = sorted(set(title_years))
            return _Layout("wide_indicators", first_data=i + 1, years={}, indicators=inds,
                           title_year=ty[0] if len(ty) == 1 else None, **base)
        # a title or note above the table: remember a year and a unit it states
        for c in cells:
            if isinstance(c, str):
                title_years += [int(y) for y in _TITLE_YEAR_RE.findall(unicodedata.normalize("NFKC", c))]
                m = _TABLE_UNIT_RE.match(unicodedata.normalize("NFKC", c).strip())
                if m:
                    table_unit = m.group(1)
    tidy = ("indicator", "area_code", "year", "value")
    best = max(((i, [k for k in tidy if k in _scan_row(r, names)[0]]) for i, r in enumerate(rows[:HEADER_SCAN_ROWS])),
               key=lambda t: len(t[1]), default=(0, []))
    if len(best[1]) >= 2:
        i, have = best
        missing = [k for k in tidy if k not in have]
        found = ", ".join(cell_text(c) for c in rows[i] if c is not None)
        hint = " (is the delimiter a comma?)" if sum(1 for c in rows[i] if c is not None) == 1 else ""
        raise InputError(
            f"{grid.source}: row {grid.row_numbers[i]}: missing column(s) "
            f"{', '.join(repr(k) + ' (' + zh_header(k) + ')' for k in missing)}: expected columns "
            f"{', '.join(COLUMNS)} or their Chinese names; found {found}{hint}")
    first = next((r for r in rows if any(c is not None for c in r)), [])
    seen = ", ".join(cell_text(c) for c in first if c is not None)[:120]
    if len(grid.sheets) > 1:
        seen += f"; the workbook's sheets are {', '.join(grid.sheets)}: name the one with the table (--sheet)"
    if len([c for c in first if c is not None]) == 1 and any(d in str(cell_text(first[0]) or "") for d in ";\t|"):
        seen += " (is the delimiter a comma?)"
    h = {k: f"{zh_header(k)}/{k}" for k in ("indicator", "area_code", "year", "value")}
    ind = names.plan.indicators.iloc[0] if len(names.plan.indicators) else None
    example = f"{ind['name_zh']}({ind['unit']})" if ind is not None else "name(unit)"
    raise InputError(
        f"{grid.source}: no table found in the first {HEADER_SCAN_ROWS} rows: expected a header with "
        f"{h['indicator']}, {h['area_code']}, {h['year']} and {h['value']} (tidy layout), or {h['indicator']} and "
        f"year columns such as 2016, {vocabulary.year_written(2017)} (wide layout), or {h['area_code']} and "
        f"indicator columns such as {example}; the first row holds: {seen or 'nothing'}")


# --------------------------------------------------------------------------- reading
@dataclass
class _Cell:
    row: int
    column: str  # header of the value's column, as shown in messages
    indicator: object
    area: object
    year: object
    value: object
    unit: object
    unit_from: str  # "column" | "header" | "table" | "plan"
    status: object
    source: object
    note: object


# long: one pass over the cells of any layout, problems and notices collected in the order of the file
def read_outturn_file(path: str | os.PathLike, plan: Plan, *, sheet: str | int | None = None,
                      year_range: tuple[int, int] | None = None, limits: Limits | None = None,
                      reads=None) -> Intake:
    """Read an outturn (or district-target) file of any supported layout; never raises for bad cells.

    Returns an :class:`Intake` whose ``problems`` are the errors (file, row, column, value,
    expectation) and ``checks`` the notices and warnings of the intake. Raises :class:`InputError`
    only when the file as a whole cannot be read or no table is found in it.
    """
    grid = load_grid(path, sheet, limits=limits, reads=reads)
    names = Names(plan)
    lay = find_layout(grid, names)
    y0, y1 = year_range or (plan.base_year, plan.target_year)
    src = grid.source
    checks: list[Check] = encoding_checks(grid)
    problems: list[Problem] = ProblemList()
    hdr_cells = grid.rows[lay.header]

    def col_name(j: int) -> str:
        return cell_text(hdr_cells[j]) or lay.year_labels.get(j) or f"column {column_letter(j)}"

    f = lay.fields
    if lay.kind == "wide_years":
        for j, y in sorted(lay.years.items()):
            if not y0 <= y <= y1:
                checks.append(Check("notice", "year_outside_plan", "check_msg.year_outside_plan",
                                    dict(label=str(lay.year_labels.get(j, y)), letter=column_letter(j), first=y0,
                                         last=y1), src, grid.row_numbers[lay.header]))
    cells: list[_Cell] = []
    totals: list[tuple[int, object, object, object, object, object]] = []  # row, indicator, area, year, value, unit
    skipped_unknown: list[int] = []
    end = _data_end(grid.rows, lay.first_data)
    last_indicator = None  # a 合计 row under a block of one indicator's rows totals that indicator
    for i in range(lay.first_data, end):
        r = grid.rows[i]
        rn = grid.row_numbers[i]
        if all(c is None for c in r) or is_note_row(r):
            continue
        get = (lambda k: r[f[k]] if k in f and f[k] < len(r) else None)
        first_cell = next((c for c in r if c is not None), None)
        label_cells = [get("indicator"), get("area_code"), first_cell]
        if any(is_total_label(c) for c in label_cells):
            if lay.kind == "wide_years":
                for j, y in lay.years.items():
                    if r[j] is not None and y0 <= y <= y1:
                        label = get("indicator")
                        totals.append((rn, label if not is_total_label(label) else last_indicator, None, y, r[j],
                                       get("unit")))
            elif lay.kind == "wide_indicators":
                for j, (code, hu) in lay.indicators.items():
                    if r[j] is not None:
                        totals.append((rn, code, None, get("year") or lay.title_year, r[j], hu))
            else:
                label = get("indicator")
                totals.append((rn, label if not is_total_label(label) else last_indicator, None, get("year"),
                               get("value"), get("unit")))
            label = cell_text(next(c for c in label_cells if is_total_label(c)))
            checks.append(Check("notice", "totals_row", "check_msg.totals_checked", dict(label=label), src, rn))
            continue
        common = dict(status=get("status"), source=get("source"), note=get("note"))
        if "indicator" in f and get("indicator") is not None:
            last_indicator = get("indicator")
        if lay.kind == "tidy":
            unit, uf = _unit_of(get("unit"), lay.field_units.get("value"), lay.table_unit)
            cells.append(_Cell(rn, col_name(f["value"]), get("indicator"), get("area_code"), get("year"),
                               get("value"), unit, uf, **common))
        elif lay.kind == "wide_years":
            ind_label = get("indicator")
            if ind_label is not None and names.indicator(ind_label) is None:
                skipped_unknown.append(rn)
                checks.append(Check("warning", "unknown_indicator", "check_msg.unknown_indicator",
                                    dict(label=cell_text(ind_label), accepted=names.accepted_indicators()), src, rn,
                                    col_name(f["indicator"])))
                continue
            row_unit = split_header_unit(ind_label)[1] if isinstance(ind_label, str) else None
            unit, uf = _unit_of(get("unit"), row_unit or lay.field_units.get("indicator"), lay.table_unit)
            area = get("area_code") if "area_code" in f else plan.city_code
            for j, y in sorted(lay.years.items()):
                if not y0 <= y <= y1 or j >= len(r) or r[j] is None:
                    continue
                cells.append(_Cell(rn, col_name(j), ind_label, area, y, r[j], unit, uf, **common))
        else:
            year = get("year") if "year" in f else lay.title_year
            if year is None:
                raise InputError(f"{src}: row {grid.row_numbers[lay.header]}: no year: expected a "
                                 f"{zh_header('year')}/year column, or one year in the title such as "
                                 f"'({vocabulary.year_written(2017)})'")
            for j, (code, hu) in sorted(lay.indicators.items()):
                if j >= len(r) or r[j] is None:
                    continue
                unit, uf = _unit_of(get("unit"), hu, lay.table_unit)
                cells.append(_Cell(rn, col_name(j), code, get("area_code"), year, r[j], unit, uf, **common))
    if lay.kind == "wide_indicators" and "year" not in f and lay.title_year is not None:
        checks.append(Check("notice", "year_from_title", "check_msg.year_from_title", dict(year=lay.title_year), src))
    headers = {canon: col_name(j) for canon, j in f.items()}
    data = _validate(cells, lay, names, plan, src, (y0, y1), problems, checks, headers)
    if not cells and not problems and not skipped_unknown:
        problems.append(Problem(src, None, None, None, "at least one data row below the header"))
    _check_totals(totals, data, names, plan, src, problems, checks)
    out = Intake(data, problems, checks, lay.kind, src, grid.row_numbers[lay.header], grid.encoding)
    return out


def encoding_checks(grid: Grid) -> list[Check]:
    """The reader's warnings about how the file decoded, as checks ``validate`` lists."""
    return [Check("warning", "encoding", "check_msg.encoding", dict(d), grid.source) for d in grid.doubts]


def _data_end(rows: list[list], start: int) -> int:
    end = len(rows)
    while end > start:
        filled = [c for c in rows[end - 1] if c is not None]
        if not filled:
            end -= 1
            continue
        if len(filled) == 1 and isinstance(filled[0], str) and len(filled[0]) > 12 and not is_total_label(filled[0]):
            end -= 1  # a sentence under the table
            continue
        break
    return end


def _unit_of(column_unit: object, header_unit: str | None, table_unit: str | None) -> tuple[object, str]:
    if column_unit is not None:
        return column_unit, "column"
    if header_unit:
        return header_unit, "header"
    if table_unit:
        return table_unit, "table"
    return None, "plan"


class _Indicator:
    """An indicator or supporting series of the plan, by code, Chinese or English name or alias."""

    def __call__(self, v, ctx):
        from .schema import Invalid
        code = ctx["names"].indicator(v)
        if code is None:
            raise Invalid(ctx["expect_indicator"])
        return code


class _Area:
    """An area of the plan's areas.csv by code or name (the one valid in the row's year: a row check)."""

    def __call__(self, v, ctx):
        from .schema import Invalid
        code = ctx["names"].area(v, None)
        if code is None:
            raise Invalid(ctx["expect_area"])
        return code


NUMBER_EXPECTED = f"a number such as 1234.5, 1,234.5 or 12.3{next(iter(vocabulary.multipliers()))}"


class _Value:
    """A number as typed, with its 万/亿 and unit (a :class:`~twocreate.io.Quantity`)."""

    def __call__(self, v, ctx):
        from .schema import Invalid
        try:
            q = parse_quantity(v)
        except ValueError:
            raise Invalid(not_a_number_reason(v) or NUMBER_EXPECTED) from None
        if q is None:
            raise Invalid("a number (blank is not allowed; omit the row instead)")
        return q


def _area_in_year(row: dict, ctx: dict):
    """Where a name stands for an old and a new area, the one valid in the row's year."""
    row["area_code"] = ctx["names"].area(row["_area"], row["year"]) or row["area_code"]
    return ()


def _in_indicator_unit(row: dict, ctx: dict):
    """The value in the indicator's unit (a 万/亿 or unit in the cell must agree with the declared
    one), finite, ≥ 0 (> 0 where indicators.csv marks the indicator ``positive``); a notice the first
    time the plan's unit is assumed."""
    ind, q = row["indicator"], row["value"]
    target = ctx["ind_unit"][ind]
    c = _Cell(row["row"], row["column"], None, None, None, row["_value"], row["_unit"], row["_unit_from"],
              None, None, None)
    try:
        value, unit_said = _to_indicator_unit(q, c, target, ctx["units"])
    except _UnitError as err:
        yield err.column, err.value, err.expected
        return
    if unit_said and ind not in ctx["default_unit_said"]:
        ctx["default_unit_said"].add(ind)
        ctx["checks"].append(Check("notice", "default_unit", "check_msg.default_unit", dict(unit=target),
                                   ctx["source"], row["row"], indicator=ind))
    if not math.isfinite(value):
        yield "value", row["_value"], (f"a number that is finite in {target} (this one overflows when converted to "
                                       "the indicator's unit)")
    elif value < 0:
        yield "value", row["_value"], "a number ≥ 0"
    elif value == 0 and ind in ctx["positive"]:
        yield "value", row["_value"], f"a number > 0 (indicators.csv marks {ind} positive: no area has none of it)"
    row["value"], row["unit"] = value, target


def outturns_schema(has_status: bool = True, has_source: bool = True):
    """Outturns (and district targets) once the intake has found the table and its layout: one cell per
    indicator × area × year. Without a status column every value is ``provisional``; without a source
    column the file is the source (the intake says so)."""
    from .schema import STATUS_EXPECTED, YEAR_EXPECTED, Column, RowCheck, Schema, Status, Text, Year
    return Schema("outturns", (
        Column("indicator", _Indicator(), blank="an indicator of the plan by code, Chinese or English name",
               aliases=HEADERS["indicator"]),
        Column("year", Year(range_key="years"), blank=YEAR_EXPECTED, aliases=HEADERS["year"]),
        Column("area_code", _Area(), blank="an area code or name of the plan's areas.csv", aliases=HEADERS["area_code"]),
        Column("value", _Value(), blank="a number (blank is not allowed; omit the row instead)", aliases=HEADERS["value"]),
        Column("unit", Text(), required=False, blank=True, aliases=HEADERS["unit"]),
        Column("status", Status(), required=has_status, blank=STATUS_EXPECTED, default=DEFAULT_STATUS,
               aliases=HEADERS["status"]),
        Column("source", Text(), required=has_source, blank="where the figure comes from (may not be blank)",
               aliases=HEADERS["source"]),
        Column("note", Text(), required=False, blank=True, aliases=HEADERS["note"]),
    ), row_checks=(RowCheck(("area_code", "year"), _area_in_year, stop=False),
                   RowCheck(("indicator", "value"), _in_indicator_unit)),
        unique=((("indicator", "area_code", "year"), "year", "one row per indicator, area and year"),))


def _validate(cells: list[_Cell], lay: _Layout, names: Names, plan: Plan, src: str, years: tuple[int, int],
              problems: list[Problem], checks: list[Check], headers: dict[str, str]) -> pd.DataFrame:
    from .schema import validate
    has_status, has_source = "status" in lay.fields, "source" in lay.fields
    out_cols = COLUMNS + ["note", "row"]
    if cells and not has_status:
        checks.append(Check("warning", "no_status", "check_msg.no_status", {}, src))
    if cells and not has_source:
        checks.append(Check("notice", "no_source", "check_msg.no_source", {}, src))
    frame = [{"indicator": c.indicator, "year": c.year, "area_code": c.area, "value": c.value, "_unit": c.unit,
              "_unit_from": c.unit_from, "_area": c.area, "_value": c.value, "row": c.row, "column": c.column,
              **({"status": c.status} if has_status else {}), **({"source": c.source} if has_source else {}),
              "note": c.note} for c in cells]
    ctx = {"names": names, "years": years, "source": src, "checks": checks, "default_unit_said": set(),
           "units": units.table(),
           "ind_unit": dict(zip(plan.measures["code"], plan.measures["unit"])),
           "positive": _positive(plan),
           # what the messages expect, made once (not once per bad row: linear time in the rows)
           "expect_indicator": f"an indicator of the plan by code, Chinese or English name: {names.accepted_indicators()}",
           "expect_area": (f"an area code or name of the plan's areas.csv (e.g. {plan.city_code} or "
                           f"{plan.area_name(plan.city_code, 'zh')})")}
    labels = {k: headers.get(k, k) for k in ("indicator", "year", "area_code", "unit", "status", "source", "note")}
    table, _ = validate(frame, outturns_schema(has_status, has_source), ctx, problems=problems, source=src,
                        labels=labels, label_column="column", rows="row")
    if not has_source and len(table):
        table["source"] = src
    out = table.reindex(columns=out_cols) if len(table) else pd.DataFrame(columns=out_cols)
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    out["row"] = out["row"].astype(int)
    return out


def _positive(plan: Plan) -> set[str]:
    """Indicators whose outturn may not be zero (``positive`` in indicators.csv)."""
    ind = plan.indicators
    return set(ind.loc[ind["positive"].fillna(False).astype(bool), "code"]) if "positive" in ind.columns else set()


def num(x: float) -> str:
    """A number for a message: 28,000,000 or 12.35 (not 2.8e+07)."""
    if x != x:
        return "nan"
    if abs(x) >= 1e5 or float(x).is_integer():
        return f"{x:,.0f}" if abs(x) < 1e18 else f"{x:.6g}"
    return f"{x:,.6g}"


def _shown(v: object) -> object:
    """A cell as shown in a message: text as typed, a number without a spurious .0."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


class _UnitError(Exception):
    def __init__(self, column: str, value: object, expected: str):
        super().__init__(expected)
        self.column, self.value, self.expected = column, value, expected


def _unit_name(u: object) -> str:
    return unicodedata.normalize("NFKC", cell_text(u) or "").strip()


def _to_indicator_unit(q: Quantity, c: _Cell, target: str, table: Mapping[str, units.Unit]) -> tuple[float, bool]:
    """The cell's value in the indicator's unit, and whether the plan's unit was assumed (no unit given);
    ``table``: the units table (:func:`twocreate.units.table`, taken once per file).

    A multiplier (万/亿) or unit written in the cell must agree with the declared unit.
    """
    declared = _unit_name(c.unit) if c.unit is not None else None
    if declared is not None and not units.is_known(declared, table):
        raise _UnitError("unit" if c.unit_from == "column" else "value", c.unit,
                         f"{target} or a unit convertible to it ({_convertible(target, table)})")
    in_cell = None
    if q.unit is not None:
        in_cell = (q.multiplier or "") + q.unit
    elif q.multiplier is not None:
        base = _base_unit(declared or target, table)
        if declared is not None and base != declared:
            shown = cell_text(c.value)
            alt = f"{q.number:g}{q.multiplier}{_base_unit(declared, table)}"
            raise _UnitError("value", shown,
                             f"a number in {declared} without {'/'.join(vocabulary.multipliers())}, or unit "
                             f"{_base_unit(declared, table)}: "
                             f"'{shown}' with unit {declared} could be {alt} "
                             f"(= {num(units.convert(q.value, _base_unit(declared, table), declared, table))} {declared}) "
                             f"or {shown} {declared} (= {num(q.value)} {declared})")
        in_cell = q.multiplier + base if declared is None else None
    if in_cell is not None:
        if not units.is_known(in_cell, table):
            raise _UnitError("value", cell_text(c.value), f"a number in {declared or target}")
        if declared is not None and in_cell != declared:
            shown = cell_text(c.value)
            raise _UnitError("value", shown, f"one unit: the cell says {in_cell}, the unit {c.unit_from} says "
                             f"{declared}: '{shown}' could be {q.number:g}{in_cell} or {q.number:g} {declared}")
        try:
            return q.number * units.conversion_factor(in_cell, target, table), False
        except ValueError:
            raise _UnitError("value", cell_text(c.value), f"a value in {target} or a unit convertible to it") from None
    unit = declared or target
    try:
        f = units.conversion_factor(unit, target, table)
    except ValueError:
        raise _UnitError("unit" if c.unit_from == "column" else "value", c.unit,
                         f"{target} or a unit convertible to it") from None
    return q.value * f, declared is None


def _convertible(unit: str, table: Mapping[str, units.Unit]) -> str:
    """The units of the table that convert to ``unit`` (its dimension), for a message."""
    dim = units.dimension(unit, table)
    return "/".join(u for u, row in table.items() if row.dimension == dim and not u.isascii()) or unit


def _base_unit(unit: str, table: Mapping[str, units.Unit]) -> str:
    """元 for 万元/亿元, 人次 for 万人次, the unit itself when it has no multiplier."""
    for pre in vocabulary.unit_prefixes():
        if unit.startswith(pre) and units.is_known(unit[len(pre):], table):
            return unit[len(pre):]
    return unit


def _check_totals(totals, data: pd.DataFrame, names: Names, plan: Plan, src: str,
                  problems: list[Problem], checks: list[Check], tolerance: float = 0.005) -> None:
    """Compare each totals row with the sum of the district rows it covers (a warning if they differ)."""
    if not totals:
        return
    ind_unit = dict(zip(plan.measures["code"], plan.measures["unit"]))
    city = plan.city_code
    parts = {k: g for k, g in data[data["area_code"] != city].groupby(["indicator", "year"])} if len(data) else {}
    for rn, ind_label, _area, year_v, value_v, unit_v in totals:
        ind = names.indicator(ind_label) if ind_label is not None else None
        if ind is None and data["indicator"].nunique() == 1:
            ind = data["indicator"].iloc[0]
        year = parse_year(year_v)
        try:
            q = parse_quantity(value_v)
        except ValueError:
            q = None
        if ind is None or year is None or q is None:
            continue
        try:
            u = _unit_name(unit_v) if unit_v is not None else ind_unit[ind]
            total = q.value * units.conversion_factor(u, ind_unit[ind])
        except ValueError:
            continue
        part = parts.get((ind, year), data.iloc[:0])
        if len(part) < 2:
            continue
        s = float(part["value"].sum())
        if total and abs(s - total) > tolerance * abs(total):
            checks.append(Check("warning", "totals_row", "check_msg.totals_mismatch",
                                dict(total=float(total), unit=ind_unit[ind], n=len(part), sum=s,
                                     diff=float(s / total - 1)), src, rn, indicator=ind, year=year))
        else:
            checks.append(Check("notice", "totals_row", "check_msg.totals_match",
                                dict(n=len(part), sum=s, unit=ind_unit[ind]), src, rn, indicator=ind, year=year))
