"""The schema of a plan folder: ``plan.toml`` and every plan table as a declarative
:class:`~twocreate.schema.Schema`, with the checks across tables as the schema layer's table checks.

A table's schema says its columns (type, whether the header must be there, whether a cell may be blank
and what a blank or missing one becomes), the checks within a row (a growth target needs a positive
headline percentage, a share target is in %), the keys that must be unique, and the checks across
tables: every code a table names exists in the table it names (an indicator of ``indicators.csv``, a
department of ``departments.csv``, a series of ``series.csv``, an area of ``areas.csv``), units convert
(a milestone in its indicator's unit, a ratio's numerator and denominator in one dimension), a fund split
adds up to its total, milestones lie after the base year and not after the target year, exactly one
area is the city, a name users may write points at one indicator only. :func:`twocreate.plan.load_plan`
applies them with :func:`twocreate.schema.validate` and lists every problem of every file.

The schema is written down for plan authors in ``docs/plans.md``; every column added since is optional,
with a default that keeps older plan folders valid.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Mapping

import pandas as pd

from . import config, units
from .io import Problem
from .schema import Choice, Code, Column, Invalid, Number, RowCheck, Schema, Text, Year, is_blank

REQUIRED_TABLES = ("indicators", "areas")
ROLES = {"city", "core", "radiating", "other"}
KINDS = {"stock", "flow"}
INDICATOR_KINDS = KINDS | {"unclear"}  # unclear: the text says neither 新增 nor 累计 (both readings are shown)
TARGET_KINDS = ("growth", "level", "share", "cumulative", "relative", "qualitative")
QUALIFIER_CODES = ("at_least", "about", "at_most", "strive")
TOTAL_CODE = "total"  # funds.csv: the row holding the plan's total, which the other rows must add up to

# metadata keys every plan.toml gives (text unless in META_YEARS)
META_REQUIRED = ("id", "document_number", "title_zh", "title_en", "short_title_zh", "short_title_en",
                 "subject_zh", "subject_en", "issuer_zh", "issuer_en", "city_zh", "city_en", "city_code", "issued",
                 "period_start", "period_end", "base_year", "target_year", "text_language")
META_YEARS = ("period_start", "period_end", "base_year", "target_year")
META_OPTIONAL = {"published": "", "official_url": "", "transcribed": [], "not_transcribed": [], "note_en": "",
                 # the same lists in one language each (a report shows its language's list, else the one above)
                 "transcribed_zh": [], "transcribed_en": [], "not_transcribed_zh": [], "not_transcribed_en": []}
# metadata keys that name a file (the plan's default input of that kind), and the folder of data/raw/ a
# name is looked up in after the plan folder: relative, never leading outside the two (plan.plan_file)
META_PATHS = {"observations": "observations", "district_targets": "districts", "district_context": "districts",
              "task_outturns": "tasks", "disbursements": "funds", "scenario": "funds"}
PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]*")

CODE_BLANK = "a code (may not be blank)"
NUMBER_BLANK = "a number (this column may not be blank)"
YES_NO = {"yes": True, "no": False, "true": True, "false": False, "1": True, "0": False, "y": True, "n": False}


def unit_expected() -> str:
    return f"a unit of data/raw/units/units.csv ({units.known()})"


def money_units() -> str:
    return ", ".join(u for u, row in units.table().items() if row.dimension == "money")


def _src(ctx: Mapping, name: str) -> str:
    """The name messages give a plan table's file (``ctx["sources"]``, as :func:`~twocreate.plan.load_plan`
    read it), else ``<name>.csv``."""
    return (ctx.get("sources") or {}).get(name, f"{name}.csv")


def _rows(table: pd.DataFrame):
    """(line, row dict) of a validated plan table (its ``row`` column is the line in the file)."""
    cols = list(table.columns)
    for values in zip(*(table[c].tolist() for c in cols)):
        rec = dict(zip(cols, values))
        yield rec.get("row"), rec


def split_codes(codes: object) -> list[str]:
    """``"a;b"`` → ``["a", "b"]`` (blank → [])."""
    if codes is None or (isinstance(codes, float) and pd.isna(codes)):
        return []
    return [c.strip() for c in str(codes).split(";") if c.strip()]


def _nan(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _meta_year(meta: dict, key: str) -> int | None:
    """A year of plan.toml, when it is one (a bad one is told by the plan.toml schema)."""
    v = meta.get(key)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


# --------------------------------------------------------------------------- column types
def _code(name: str, **kw) -> Column:
    return Column(name, Text(), blank=CODE_BLANK, **kw)


def _text(name: str, *, required: bool = True, default=None, doc: str = "") -> Column:
    return Column(name, Text(), required=required, blank=True, default=default, doc=doc)


def _number(name: str, *, filled: bool = False, required: bool = True, low: float | None = None,
            strict: bool = False, expected: str = "a number", doc: str = "") -> Column:
    """A number; ``filled``: a cell may not be blank (else blank is NaN)."""
    return Column(name, Number(low=low, strict=strict, expected=expected), required=required,
                  blank=NUMBER_BLANK if filled else True, default=math.nan, doc=doc)


def _year(name: str, *, filled: bool = False, required: bool = True, doc: str = "") -> Column:
    """A year (2015, 2015年, 2015.0); ``filled``: may not be blank."""
    return Column(name, Year(range_key=None), required=required, blank=NUMBER_BLANK if filled else True,
                  default=math.nan, doc=doc)


class _Unit:
    """A unit of the units table (its list is read when a message needs it)."""

    def __call__(self, v, ctx):
        u = str(v).strip()
        if not units.is_known(u):
            raise Invalid(unit_expected())
        return u


def _unit(name: str = "unit") -> Column:
    return Column(name, _Unit(), blank=unit_expected)


# --------------------------------------------------------------------------- checks across tables
def _departments(name: str):
    """Every code of a ``departments`` cell is a code of departments.csv."""
    def check(table, ctx):
        dept = set(ctx["tables"]["departments"]["code"].dropna())
        known = ", ".join(sorted(dept)) or "none"
        for row, r in _rows(table):
            for c in split_codes(r.get("departments")):
                if c not in dept:
                    yield Problem(_src(ctx, name), row, "departments", c,
                                  f"a department code from departments.csv ({known})")
    return check


def _indicators_exist(table, ctx):
    if table.empty:
        yield Problem(_src(ctx, "indicators"), None, None, None, "at least one indicator row")


def _milestones_or_target(table, ctx):
    """A level, share or cumulative target without a target value needs milestones up to its target year."""
    st = ctx["tables"]["subtargets"]
    meta = ctx["meta"]
    for row, r in _rows(table):
        tk = r["target_kind"]
        if tk not in ("level", "share", "cumulative") or not _nan(r["target_value"]):
            continue
        mst = st[st["indicator"] == r["code"]]
        ty = r["target_year"] if not _nan(r["target_year"]) else _meta_year(meta, "target_year")
        has_final = not mst.empty and ty is not None and bool((mst["year"] == ty).any())
        ok = has_final if tk != "cumulative" or r["kind"] == "stock" else not mst.empty
        if not ok:
            yield Problem(_src(ctx, "indicators"), row, "target_value", None,
                          f"a number ({tk} targets need one, or milestones in subtargets.csv for the target year)")


def _aliases_name_one_indicator(table, ctx):
    """A name users may write (code, names, aliases) points at one indicator only."""
    if table.empty or not table["aliases"].notna().any():
        return
    owner: dict[str, str] = {}
    for row, r in _rows(table):
        for a in [r["code"], r["name_zh"], r["name_en"]] + split_codes(r["aliases"]):
            key = "".join(str(a).split()).lower()
            if key in owner and owner[key] != r["code"]:
                yield Problem(_src(ctx, "indicators"), row, "aliases", a,
                              f"a name not already used by indicator {owner[key]}")
            owner.setdefault(key, r["code"])


def _series_codes(table, ctx):
    """numerator, denominator and benchmark are series of series.csv; a ratio's two series convert."""
    ser = ctx["tables"]["series"]
    ser_unit = dict(zip(ser["code"], ser["unit"]))
    for row, r in _rows(table):
        for col in ("numerator", "denominator", "benchmark"):
            code = r[col]
            if not is_blank(code) and code not in ser_unit:
                yield Problem(_src(ctx, "indicators"), row, col, code,
                              f"a code of series.csv ({', '.join(ser_unit) or 'the plan has none'})")
        if r["numerator"] in ser_unit and r["denominator"] in ser_unit:
            try:
                units.conversion_factor(str(ser_unit[r["numerator"]]), str(ser_unit[r["denominator"]]))
            except ValueError:
                yield Problem(_src(ctx, "indicators"), row, "denominator", r["denominator"],
                              f"a series in the numerator's unit ({ser_unit[r['numerator']]})")


def _related_baseline(table, ctx):
    """related_baseline is a code of baseline.csv; a stock's converts to the indicator's unit."""
    base = ctx["tables"]["baseline"]
    base_unit = dict(zip(base["code"], base["unit"]))
    codes = set(base["code"].dropna())
    for row, r in _rows(table):
        rb = r["related_baseline"]
        if is_blank(rb):
            continue
        if rb not in codes:
            yield Problem(_src(ctx, "indicators"), row, "related_baseline", rb,
                          f"blank or a code of baseline.csv ({', '.join(sorted(codes))})")
        elif r["kind"] == "stock" and r["unit"] is not None and base_unit.get(rb) is not None:
            try:
                units.conversion_factor(str(base_unit[rb]), str(r["unit"]))
            except ValueError:
                yield Problem(_src(ctx, "indicators"), row, "related_baseline", rb,
                              f"a baseline whose unit converts to {r['unit']}")


def _of_an_indicator(name: str, *, blank_ok: bool = False, same_unit: bool = True):
    """The ``indicator`` of each row is an indicator of indicators.csv (blank too, if ``blank_ok``), and the
    row's ``unit`` is that indicator's unit."""
    def check(table, ctx):
        ind = ctx["tables"]["indicators"]
        ind_unit = dict(zip(ind["code"], ind["unit"]))
        listed = ", ".join(map(str, ind_unit))
        for row, r in _rows(table):
            code = r["indicator"]
            if blank_ok and is_blank(code):
                continue
            if code not in ind_unit:
                yield Problem(_src(ctx, name), row, "indicator", code,
                              f"{'blank or ' if blank_ok else ''}an indicator code from indicators.csv ({listed})")
                continue
            if same_unit and not is_blank(ind_unit[code]) and r["unit"] != ind_unit[code]:  # a bad unit is told once
                yield Problem(_src(ctx, name), row, "unit", r["unit"],
                              f"{ind_unit[code]} (the unit of indicator {code})")
    return check


def _milestone_years(table, ctx):
    """A milestone lies after its indicator's base year and not after its target year (the plan's, when
    the indicator gives none)."""
    ind = ctx["tables"]["indicators"].set_index("code")
    meta = ctx["meta"]
    for row, r in _rows(table):
        if r["indicator"] not in ind.index or _nan(r["year"]):
            continue
        irow = ind.loc[r["indicator"]]
        if isinstance(irow, pd.DataFrame):  # a repeated code: told by the indicators table
            irow = irow.iloc[0]
        by = irow["base_year"] if not _nan(irow["base_year"]) else _meta_year(meta, "base_year")
        ty = irow["target_year"] if not _nan(irow["target_year"]) else _meta_year(meta, "target_year")
        if by is not None and ty is not None and not (by < r["year"] <= ty):
            yield Problem(_src(ctx, "subtargets"), row, "year", r["year"],
                          f"a year after the base year {int(by)} and not after the target year {int(ty)}")


def _series_not_indicators(table, ctx):
    codes = set(ctx["tables"]["indicators"]["code"].dropna())
    for row, r in _rows(table):
        if r["code"] in codes:
            yield Problem(_src(ctx, "series"), row, "code", r["code"], "a code not already an indicator's")


def _area_targets_areas(table, ctx):
    """An area target is set for an area of areas.csv other than the city (the city's are indicators.csv's)."""
    areas = ctx["tables"]["areas"]
    codes = set(areas["area_code"].astype(str))
    city = set(areas.loc[areas["role"] == "city", "area_code"].astype(str))
    ind = set(ctx["tables"]["indicators"]["code"])
    for row, r in _rows(table):
        if r["indicator"] not in ind or is_blank(r["area_code"]):
            continue
        a = str(r["area_code"])
        if a not in codes or a in city:
            yield Problem(_src(ctx, "area_targets"), row, "area_code", r["area_code"],
                          "an area code of areas.csv other than the city's (city targets are in indicators.csv)")


def _fund_split_adds_up(table, ctx):
    """The rows of funds.csv add up to its ``total`` row (when it has one), in the total's unit."""
    if TOTAL_CODE not in set(table["code"]) or table["amount"].isna().any() or table["unit"].isna().any():
        return
    total = table[table["code"] == TOTAL_CODE].iloc[0]
    ref = str(total["unit"])
    parts = sum(units.convert(float(r["amount"]), str(r["unit"]), ref)
                for _, r in table.iterrows() if r["code"] != TOTAL_CODE)
    if abs(parts - float(total["amount"])) > 1e-6 * max(1.0, abs(parts)):
        yield Problem(_src(ctx, "funds"), total["row"], "amount", _figure(total["amount"]),
                      f"the sum of the other rows ({parts:g} {ref})")


def _one_city(table, ctx):
    """Exactly one area is the city; plan.toml's city_code is one of the areas."""
    src = _src(ctx, "areas")
    meta = ctx["meta"]
    if (table["role"] == "city").sum() != 1:
        yield Problem(src, None, "role", None, "exactly one row with role 'city'")
    elif meta.get("city_code") and str(meta["city_code"]) not in set(table["area_code"].astype(str)):
        yield Problem(src, None, "area_code", meta["city_code"], "a row for the city_code of plan.toml")


def _figure(v: float) -> object:
    return int(v) if isinstance(v, float) and v.is_integer() else v


# --------------------------------------------------------------------------- row checks of indicators
def _growth_headline(row, ctx):
    if row["target_kind"] == "growth" and not (row["headline_target_pct"] > 0):
        yield "headline_target_pct", row["headline_target_pct"], "a positive percentage"


def _growth_years(row, ctx):
    by, ty = row["base_year"], row["target_year"]
    if row["target_kind"] == "growth" and not _nan(by) and not _nan(ty) and ty <= by:
        yield "target_year", ty, f"a year after base_year {by:.0f}"


def _share(row, ctx):
    if row["target_kind"] != "share":
        return
    tv = row["target_value"]
    if not _nan(tv) and not (0 <= tv <= 100):
        yield "target_value", tv, "a percentage from 0 to 100"
    if str(row["unit"]) != "%":
        yield "unit", row["unit"], "% (share targets are percentages)"


def _ratio_pair(row, ctx):
    if row["target_kind"] in ("level", "share", "cumulative") and is_blank(row["numerator"]) != is_blank(
            row["denominator"]):
        yield ("denominator" if is_blank(row["denominator"]) else "numerator"), None, \
            "both numerator and denominator, or neither"


def _relative_benchmark(row, ctx):
    if row["target_kind"] == "relative" and is_blank(row["benchmark"]):
        yield "benchmark", None, "the code of the benchmark series (relative targets need one)"


def _after_plan_base(row, ctx):
    by = _meta_year(ctx["meta"], "base_year")
    ty = row["target_year"]
    if by is not None and not _nan(ty) and ty <= by:
        yield "target_year", ty, f"a year after the plan's base_year {by}"


# --------------------------------------------------------------------------- the tables
# long: a declaration (one schema per plan table), not logic
def table_schemas() -> dict[str, Schema]:
    """Every table of a plan folder (file stem → schema), in the order they are read and listed."""
    dept = _departments
    return {
        "departments": Schema("departments", (_code("code"), _text("name_zh"), _text("name_en")),
                              unique=((("code",), "code", "a unique code"),), keep_invalid=True),
        "baseline": Schema("baseline", (
            _code("code"), _year("year", filled=True),
            _number("value", filled=True, low=0, strict=True, expected="a positive number"), _unit(),
            _text("name_zh"), _text("name_en"), _text("section"), _text("wording_zh"),
        ), unique=((("code",), "code", "a unique code"),), keep_invalid=True),
        "indicators": Schema("indicators", (
            _code("code"), _text("name_zh"), _text("name_en"), _unit(),
            Column("kind", Code(values=tuple(sorted(INDICATOR_KINDS)),
                                expected="'stock', 'flow' or 'unclear' (the text says neither)"),
                   blank="'stock', 'flow' or 'unclear' (the text says neither)"),
            _text("section"), _text("wording_zh"),
            # optional columns, in the order a folder without them gains them
            _number("target_value", required=False), _number("tolerance", required=False, low=0, strict=True,
                                                             expected="a positive number"),
            _year("base_year", required=False), _year("target_year", required=False),
            _number("headline_target_pct", required=False), _number("base_value", required=False),
            _text("group_zh", required=False, default=""), _text("group_en", required=False, default=""),
            Column("target_kind", Code(values=TARGET_KINDS, expected=f"one of {', '.join(TARGET_KINDS)}"),
                   required=False, blank=True, default="growth"),
            Column("qualifier", Code(values=QUALIFIER_CODES, expected=f"one of {', '.join(QUALIFIER_CODES)}"),
                   required=False, blank=True, default="at_least"),
            *(_text(c, required=False) for c in ("headline_name_zh", "headline_name_en", "formula_zh", "formula_en",
                                                  "related_baseline", "departments", "benchmark", "numerator",
                                                  "denominator", "aliases", "unit_en")),
            Column("positive", Choice(YES_NO, expected="yes or no (blank: no)"), required=False, blank=True,
                   default=False, doc="yes: a zero outturn is refused (no area can have none of it)"),
        ), row_checks=(
            RowCheck(("target_kind", "headline_target_pct"), _growth_headline),
            RowCheck(("target_kind", "base_year", "target_year"), _growth_years),
            RowCheck(("target_kind", "target_value", "unit"), _share),
            RowCheck(("target_kind",), _ratio_pair),
            RowCheck(("target_kind",), _relative_benchmark),
            RowCheck(("target_year",), _after_plan_base),
        ), unique=((("code",), "code", "a unique code"),),
            table_checks=(_indicators_exist, dept("indicators"), _milestones_or_target, _aliases_name_one_indicator,
                          _series_codes, _related_baseline), keep_invalid=True),
        "subtargets": Schema("subtargets", (
            _text("indicator"), _year("year", filled=True),
            _number("value", filled=True, low=0, strict=True, expected="a positive number"),
            _text("unit"), _text("section"), _text("wording_zh"),
        ), unique=((("indicator", "year"), "year", "one milestone per indicator and year"),),
            table_checks=(_of_an_indicator("subtargets"), _milestone_years), keep_invalid=True),
        "funds": Schema("funds", (
            _code("code"), _text("name_zh"), _text("name_en"),
            _number("amount", filled=True, low=0, strict=True, expected="a positive amount"),
            Column("unit", _MoneyUnit(), blank=lambda: f"a money unit ({money_units()})"),
            _year("period_start", filled=True), _year("period_end", filled=True),
            _text("departments"), _text("section"), _text("wording_zh"),
        ), unique=((("code",), "code", "a unique code"),), table_checks=(dept("funds"), _fund_split_adds_up),
            keep_invalid=True),
        "instruments": Schema("instruments", (
            _code("code"), _text("group"), _text("name_zh"), _text("name_en"), _text("parameter"),
            _number("value"), _text("unit"), _text("departments"), _text("section"), _text("wording_zh"),
        ), unique=((("code",), "code", "a unique code"),), table_checks=(dept("instruments"),), keep_invalid=True),
        "tasks": Schema("tasks", (
            _code("code"), _text("name_zh"), _text("name_en"), _number("target_low", filled=True),
            _number("target_high"), _text("qualifier"), _text("unit"), _text("unit_en"), _text("basis"),
            _text("years"), _text("departments"), _text("section"), _text("wording_zh"),
        ), unique=((("code",), "code", "a unique code"),), table_checks=(dept("tasks"),), keep_invalid=True),
        "areas": Schema("areas", (
            _code("area_code"), _text("name_zh"), _text("name_en"), _text("level"),
            Column("role", Code(values=tuple(sorted(ROLES)), expected=f"one of {', '.join(sorted(ROLES))}"),
                   blank=f"one of {', '.join(sorted(ROLES))}"),
            _year("valid_from"), _year("valid_to"), _text("successor_code"), _text("section"), _text("wording_zh"),
            _text("note_en"),
        ), unique=((("area_code",), "area_code", "a unique code"),), table_checks=(_one_city,), keep_invalid=True),
        # supporting series an outturn file may hold besides the indicators: numerators, denominators, benchmarks
        "series": Schema("series", (
            _code("code"), _text("name_zh"), _text("name_en"), _unit(),
            Column("kind", Code(values=tuple(sorted(KINDS)), expected="'stock' or 'flow'"), blank="'stock' or 'flow'"),
            _text("section"), _text("wording_zh", required=False), _text("aliases", required=False),
        ), unique=((("code",), "code", "a unique code"),), table_checks=(_series_not_indicators,),
            keep_invalid=True),
        # targets the plan sets for an area other than the city (a level per year, or a year's inflow)
        "area_targets": Schema("area_targets", (
            _text("indicator"), _text("area_code"), _year("year", filled=True),
            _number("value", filled=True, low=0, expected="a number not below zero"),
            _text("unit"), _text("section"), _text("wording_zh"),
        ), unique=((("indicator", "area_code", "year"), "year", "one target per indicator, area and year"),),
            table_checks=(_of_an_indicator("area_targets"), _area_targets_areas), keep_invalid=True),
        # findings of the consistency audit that only this plan can have: a sentence with its section and wording
        "audit_notes": Schema("audit_notes", (
            _text("indicator"),
            *(Column(c, Text(), blank="a text (may not be blank)") for c in ("section",)),
            _text("wording_zh"),
            *(Column(c, Text(), blank="a text (may not be blank)") for c in ("note_zh", "note_en")),
        ), table_checks=(_of_an_indicator("audit_notes", blank_ok=True, same_unit=False),), keep_invalid=True),
    }


class _MoneyUnit:
    """A money unit of the units table (元, 万元, 亿元 …)."""

    def __call__(self, v, ctx):
        u = str(v).strip()
        if units.dimension(u) != "money":
            raise Invalid(f"a money unit ({money_units()})")
        return u


# numeric columns of each table (float, NaN for blank; the year columns of baseline, subtargets and
# area_targets become whole numbers once the plan is valid)
def numeric_columns(schema: Schema) -> list[str]:
    return [c.name for c in schema.columns if isinstance(c.type, (Number, Year))]


# --------------------------------------------------------------------------- plan.toml
class _Present:
    """Any value (a text key of plan.toml)."""

    def __call__(self, v, ctx):
        return v


class _TomlYear:
    """A year written as a TOML whole number (``base_year = 2015``)."""

    def __call__(self, v, ctx):
        if isinstance(v, bool) or not isinstance(v, int):
            raise Invalid("a year (a whole number)")
        return v


class _PlanId:
    """A plan id: lower-case letters, digits and hyphens, the name of the plan's folder."""

    def __call__(self, v, ctx):
        if not isinstance(v, str) or not PLAN_ID.fullmatch(v):
            raise Invalid("lower-case letters, digits and hyphens only (e.g. mycity-2025-private-economy): "
                          "no '/', '..' or absolute path")
        folder = ctx.get("folder")
        if folder is not None and v != folder:
            raise Invalid(f"the name of the plan's folder ({folder!r}): rename the folder or the id")
        return v


class _PlanPath:
    """A file plan.toml names: relative to the plan folder or to ``data/raw/<folder>/``, no ``..``."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, v, ctx):
        if not isinstance(v, str):
            raise Invalid("a file name (text)")
        if not relative_inside(v):
            raw = config.relative(config.paths().raw / self.folder)
            raise Invalid(f"a file name relative to the plan folder or to {raw}/ (no absolute path, no '..')")
        return v


def relative_inside(name: str) -> bool:
    """A relative path that stays where it starts: not absolute, no ``..``, no drive, no NUL."""
    p = Path(name)
    return bool(name.strip()) and not p.is_absolute() and ".." not in p.parts and not name.startswith(("~", "\\")) \
        and ":" not in p.parts[0] and "\x00" not in name


def _period(row, ctx):
    if row["period_end"] < row["period_start"]:
        yield "period_end", row["period_end"], f"a year not before period_start {row['period_start']}"


def _target_after_base(row, ctx):
    if row["target_year"] <= row["base_year"]:
        yield "target_year", row["target_year"], f"a year after base_year {row['base_year']}"


def metadata_schema() -> Schema:
    """``plan.toml``: the required keys (text, years as whole numbers, the id), the file keys
    (:data:`META_PATHS`), and the period and base year in order."""
    required = "a value (this key is required)"
    cols = []
    for key in META_REQUIRED:
        typ = _PlanId() if key == "id" else _TomlYear() if key in META_YEARS else _Present()
        cols.append(Column(key, typ, blank=required))
    cols += [Column(key, _PlanPath(folder), blank=True) for key, folder in META_PATHS.items()]
    return Schema("plan.toml", tuple(cols), row_checks=(
        RowCheck(("period_start", "period_end"), _period, stop=False),
        RowCheck(("base_year", "target_year"), _target_after_base, stop=False),
    ))
