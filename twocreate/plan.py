"""A plan as data: load and validate one plan folder ``data/raw/plans/<plan-id>/``.

A folder holds ``plan.toml`` (metadata: document number, titles, issuer, city, period, base and
target year, URL, what was transcribed) and the tables ``*.csv``; every number of the plan lives in
those files, each row with its section and Chinese wording. ``indicators.csv`` and ``areas.csv``
are required; the other tables are optional (a missing file is an empty table). The schema is
written down in ``docs/plans.md`` and declared in :mod:`twocreate.plan_schema`. :data:`DEFAULT_PLAN` is the
project's configured default plan id (the plan ``make reports`` builds without a prefix).
This module only reads, checks and gives typed access to the files.
"""
from __future__ import annotations

import csv
import io as _io
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config, units
from .io import InputError, Problem, ProblemList, raise_problems, read_input_bytes
from .plan_schema import (INDICATOR_KINDS, KINDS, META_OPTIONAL, META_PATHS, META_REQUIRED, META_YEARS,  # noqa: F401
                          PLAN_ID, QUALIFIER_CODES, REQUIRED_TABLES, ROLES, TARGET_KINDS, metadata_schema,
                          numeric_columns, relative_inside, split_codes, table_schemas)

DEFAULT_PLAN = "jinan-2016-twocreate"  # the project's configured default plan (an id of data/raw/plans/)


def default_plan_dir() -> Path:
    """The folder of the default plan (``<root>/data/raw/plans/<DEFAULT_PLAN>/``)."""
    return config.paths().plans / DEFAULT_PLAN


# the former constants PLANS_DIR and PLAN_DIR, resolved when used
__getattr__ = config.former_constants(__name__, PLANS_DIR=lambda: config.paths().plans, PLAN_DIR=default_plan_dir)

METADATA_FILE = "plan.toml"
# every table of a plan folder: its schema, checks within and across tables (twocreate/plan_schema.py)
TABLE_SCHEMAS = table_schemas()
# file stem → the columns its header must have
SCHEMAS: dict[str, list[str]] = {name: sc.required for name, sc in TABLE_SCHEMAS.items()}
MAX_TABLE_BYTES = 20 * 1024 * 1024  # a plan table is a few kB; anything this large is not one
# optional columns of a table (the header may lack them) and the value a blank or missing one takes
OPTIONAL_COLUMNS: dict[str, dict[str, object]] = {
    name: {c.name: c.default for c in sc.columns if not c.required} for name, sc in TABLE_SCHEMAS.items()
    if any(not c.required for c in sc.columns)}


@dataclass
class Plan:
    """The plan's tables (pandas DataFrames), validated, plus the files they came from."""

    departments: pd.DataFrame
    baseline: pd.DataFrame
    indicators: pd.DataFrame
    subtargets: pd.DataFrame
    funds: pd.DataFrame
    instruments: pd.DataFrame
    tasks: pd.DataFrame
    areas: pd.DataFrame
    series: pd.DataFrame = field(default_factory=lambda: _empty("series"))
    area_targets: pd.DataFrame = field(default_factory=lambda: _empty("area_targets"))
    audit_notes: pd.DataFrame = field(default_factory=lambda: _empty("audit_notes"))
    files: dict[str, Path] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    directory: Path | None = None

    # ---- how it shows itself (issue 19: a short text, not a dump of every table)
    def __repr__(self) -> str:
        from .display import plan_text
        return plan_text(self)

    def _repr_html_(self) -> str:
        from .display import fields_html, plan_fields
        return fields_html(f"Plan {self.id}", plan_fields(self))

    # ---- metadata
    @property
    def id(self) -> str:
        """The plan's id (``plan.toml``'s ``id``, the name of its folder)."""
        return str(self.meta.get("id") or (self.directory.name if self.directory else DEFAULT_PLAN))

    def text(self, key: str, lang: str = "zh") -> str:
        """A metadata text in ``lang``: ``plan.text("city", "en")`` → ``plan.toml``'s ``city_en``."""
        return str(self.meta.get(f"{key}_{_lang(lang)}", ""))

    def values(self) -> dict[str, str]:
        """Metadata texts for report narratives (``page.p(zh, en, **plan.values())``): ``city_zh``,
        ``city_en``, ``title_zh``, ``title_en``, ``short_zh``, ``short_en``, ``doc`` (document number),
        ``issuer_zh``, ``issuer_en``, ``base``, ``start``, ``end``, ``target`` (years) and ``folder``
        (the plan folder, relative to the project when inside it)."""
        m = self.meta
        folder_s = config.relative(self.directory if self.directory else default_plan_dir())
        out = {f"{k}_{lang}": str(m.get(f"{k}_{lang}", "")) for k in ("city", "title", "issuer", "subject")
               for lang in ("zh", "en")}
        out.update(short_zh=str(m.get("short_title_zh", "")), short_en=str(m.get("short_title_en", "")),
                   doc=str(m.get("document_number", "")), base=str(self.base_year), start=str(m.get("period_start", "")),
                   end=str(m.get("period_end", "")), target=str(self.target_year), folder=folder_s)
        return out

    def has(self, table: str) -> bool:
        """Whether the plan has rows in ``table`` (``"funds"``, ``"tasks"``, ``"districts"`` …)."""
        if table == "districts":
            return bool((self.areas["role"] != "city").any())
        if table in TARGET_KINDS:
            return bool((self.indicators["target_kind"] == table).any())
        return not getattr(self, table).empty

    # ---- indicators
    @property
    def measures(self) -> pd.DataFrame:
        """Every series an outturn file may hold: the indicators, then the supporting series of
        ``series.csv`` (code, name_zh, name_en, unit, kind, aliases)."""
        cols = ["code", "name_zh", "name_en", "unit", "kind", "aliases"]
        s = self.series.reindex(columns=cols)
        return pd.concat([self.indicators[cols], s], ignore_index=True) if not s.empty else self.indicators[cols]

    @property
    def indicator_codes(self) -> list[str]:
        return self.indicators["code"].tolist()

    def indicator(self, code: str) -> pd.Series:
        """One row of ``indicators.csv`` by code, or by a Chinese or English name or alias as the file
        intake reads them (:func:`twocreate.resolve.indicator`); unknown → :class:`~twocreate.resolve.UnknownName`
        (an :class:`InputError` and a ``KeyError``) listing the valid codes and names."""
        rows = self.indicators[self.indicators["code"] == code]
        if rows.empty:
            from .resolve import indicator
            rows = self.indicators[self.indicators["code"] == indicator(self, code)]
        return rows.iloc[0]

    def indicator_name(self, code: str, lang: str = "zh") -> str:
        return str(self.indicator(code)[f"name_{_lang(lang)}"])

    def measure_name(self, code: str, lang: str = "zh") -> str:
        """Name of an indicator or a supporting series (``series.csv``) by code."""
        rows = self.measures[self.measures["code"] == code]
        if rows.empty:
            raise KeyError(f"unknown series {code!r}")
        return str(rows[f"name_{_lang(lang)}"].iloc[0])

    def subtarget(self, code: str, year: int) -> float | None:
        """The plan's sub-target for ``code`` in ``year`` in the indicator's unit (None if none)."""
        st = self.subtargets[(self.subtargets["indicator"] == code) & (self.subtargets["year"] == year)]
        return None if st.empty else float(st["value"].iloc[0])

    def subtarget_series(self, code: str) -> pd.Series:
        """Sub-targets of ``code`` by year (indicator unit)."""
        st = self.subtargets[self.subtargets["indicator"] == code]
        return pd.Series(st["value"].to_numpy(dtype=float), index=st["year"].astype(int).to_numpy(), name=code)

    def stated_baseline(self, code: str) -> float | None:
        """The base-year level the plan states for stock indicator ``code``, in its unit, or None.

        A stock has one when its ``related_baseline`` names a row of ``baseline.csv`` (converted to
        the indicator's unit); a flow has no level baseline: see :meth:`related_baseline`.
        """
        ind = self.indicator(code)
        if ind["kind"] != "stock" or ind["related_baseline"] is None:
            return None
        r = self.baseline[self.baseline["code"] == ind["related_baseline"]].iloc[0]
        return units.convert(float(r["value"]), str(r["unit"]), str(ind["unit"]))

    def related_baseline(self, code: str) -> tuple[float, str] | None:
        """(value, unit) of the baseline figure linked to indicator ``code`` in ``indicators.csv``.

        For a flow it is the base-year figure its headline divides by, as the plan states it.
        """
        ind = self.indicator(code)
        if ind["related_baseline"] is None:
            return None
        r = self.baseline[self.baseline["code"] == ind["related_baseline"]].iloc[0]
        return float(r["value"]), str(r["unit"])

    def baseline_value(self, code: str) -> float:
        """A baseline figure by its code, in its own unit (see ``baseline.csv``)."""
        rows = self.baseline[self.baseline["code"] == code]
        if rows.empty:
            raise KeyError(f"unknown baseline {code!r}")
        return float(rows["value"].iloc[0])

    # ---- departments, areas, funds
    def department_names(self, codes: str, lang: str = "zh") -> list[str]:
        """Names of the departments in a ``;``-separated code list."""
        d = self.departments.set_index("code")[f"name_{_lang(lang)}"]
        return [str(d[c]) for c in split_codes(codes)]

    def area_name(self, area_code: str, lang: str = "zh") -> str:
        rows = self.areas[self.areas["area_code"] == str(area_code)]
        if rows.empty:
            raise KeyError(f"unknown area {area_code!r}")
        return str(rows[f"name_{_lang(lang)}"].iloc[0])

    def area_successors(self) -> dict[str, str]:
        """Former area code → the current one, following ``successor_code`` chains of ``areas.csv``
        (a county that became a district, then merged: the last code)."""
        nxt = {str(c): str(s) for c, s in zip(self.areas["area_code"], self.areas["successor_code"])
               if s is not None and not (isinstance(s, float) and math.isnan(s)) and str(s).strip()}
        out = {}
        for c in nxt:
            seen, cur = {c}, nxt[c]
            while cur in nxt and cur not in seen:
                seen.add(cur)
                cur = nxt[cur]
            out[c] = cur
        return out

    @property
    def city_code(self) -> str:
        return str(self.areas.loc[self.areas["role"] == "city", "area_code"].iloc[0])

    def fund_amount(self, code: str) -> float:
        """Amount of a ``funds.csv`` row in 亿元 (10^8 yuan: the money unit of factor 10,000 in the units
        table); an unknown code is an :class:`InputError` naming the codes."""
        rows = self.funds[self.funds["code"] == code]
        if rows.empty:
            raise InputError(f"fund {code!r}: not a row of plan {self.id}'s funds.csv: expected one of "
                             f"{', '.join(map(str, self.funds['code'])) or '(none: the table is empty)'}")
        r = rows.iloc[0]
        return units.convert(float(r["amount"]), str(r["unit"]), money_unit(FUND_UNIT_FACTOR))

    def instrument_value(self, code: str) -> float:
        """The number attached to an instrument (a leverage ratio, a subsidy per firm)."""
        r = self.instruments[self.instruments["code"] == code]
        if r.empty or pd.isna(r["value"].iloc[0]):
            raise InputError(f"instrument {code!r}: no value in plan {self.id}'s instruments.csv")
        return float(r["value"].iloc[0])

    @property
    def base_year(self) -> int:
        """The plan's base year (``plan.toml``; else the earliest base year of its indicators)."""
        return int(self.meta["base_year"]) if "base_year" in self.meta else int(self.indicators["base_year"].min())

    @property
    def target_year(self) -> int:
        """The plan's target year (``plan.toml``; else the latest target year of its indicators)."""
        if "target_year" in self.meta:
            return int(self.meta["target_year"])
        return int(self.indicators["target_year"].max())

    @property
    def period(self) -> list[int]:
        """The years reports can be built for: base year + 1 … target year."""
        return list(range(self.base_year + 1, self.target_year + 1))


FUND_UNIT_FACTOR = 10_000  # fund amounts are given in 10^8 yuan: 10,000 times the table's reference unit of money


def money_unit(factor: float) -> str:
    """The money unit of the units table whose factor to the reference unit is ``factor`` (10,000 → 亿元)."""
    return next(u for u, row in units.table().items() if row.dimension == "money" and row.factor == factor)


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', got {lang!r}")
    return lang


def resolve_plan(plan: str | os.PathLike | None = None) -> Path:
    """The folder of a plan given by id (a folder name of ``data/raw/plans/``) or folder; None → the default.

    Raises :class:`~twocreate.InputError` for an unknown id or a folder that does not exist.
    """
    if plan is None or str(plan) == "":
        return default_plan_dir()
    p = Path(plan)
    if p.is_dir():
        return p
    plans = config.paths().plans
    if (plans / str(plan)).is_dir() and "/" not in str(plan):
        return plans / str(plan)
    known = ", ".join(plan_ids())
    raise InputError(f"{plan}: no such plan: expected a plan id ({known}) or a plan folder")


def plan_ids() -> list[str]:
    """Ids of the plans shipped in ``data/raw/plans/``."""
    plans = config.paths().plans
    return sorted(d.name for d in plans.iterdir() if (d / METADATA_FILE).is_file()) if plans.is_dir() else []


def read_metadata(directory: str | os.PathLike, problems: list[Problem] | None = None) -> dict:
    """``plan.toml`` of a plan folder as a dict (problems appended to ``problems``, else raised): read
    bounded, then checked by :func:`twocreate.plan_schema.metadata_schema` (required keys, years as
    whole numbers, the id and the folder's name, files that stay inside the plan folder)."""
    from .schema import validate
    own = problems is None
    problems = [] if own else problems
    path = Path(directory) / METADATA_FILE
    meta: dict = {}
    if not path.is_file():
        problems.append(Problem(str(path), None, None, None, f"a metadata file {METADATA_FILE} (see docs/plans.md)"))
    else:
        try:
            meta = tomllib.loads(read_input_bytes(path).decode("utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), None, None, None, f"a TOML file ({exc})"))
        except InputError as exc:
            problems.append(Problem(str(path), None, None, None, str(exc).split(": ", 1)[-1]))
        else:
            schema = metadata_schema()
            record = {c.name: meta.get(c.name) for c in schema.columns if c.required or c.name in meta}
            validate([dict(record, _row=None)], schema, {"folder": Path(directory).resolve().name},
                     problems=problems, source=str(path), rows="_row")
        for k, v in META_OPTIONAL.items():
            meta.setdefault(k, v)
        meta["city_code"] = str(meta.get("city_code", ""))
    if own:
        raise_problems(problems)
    return meta


def plan_source(path: Path) -> str:
    """The name messages give a plan table's file: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_plan_table(path: str | os.PathLike, *, required: list[str]) -> pd.DataFrame:
    """One table of a plan folder: a UTF-8 CSV with a comma delimiter and one header row, by
    definition (no sniffing: a quoted ``wording_zh`` holding commas and an ``aliases`` cell holding
    ``;`` stay what they are; a file re-saved by Excel as GB18030 is still read). Cells are stripped
    text, blank → None; the index is the line number. Problems: :class:`InputError` with one Problem.
    """
    p = Path(path)
    name = plan_source(p)

    def refuse(row, column, value, expected):
        prob = Problem(name, row, column, value, expected)
        raise InputError(str(prob), [prob])

    try:
        size = p.stat().st_size
        if size > MAX_TABLE_BYTES:
            refuse(None, None, None, f"expected a plan table (a UTF-8 CSV of at most {MAX_TABLE_BYTES // 2**20} MiB; "
                                     f"this file has {size:,} bytes)")
        data = p.read_bytes()
    except OSError as exc:
        refuse(None, None, None, f"cannot read the file ({exc.strerror or exc})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:  # re-saved by Excel on a Chinese system: GB18030; the delimiter is still a comma
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            refuse(None, None, None, f"expected a UTF-8 CSV file (plan tables are UTF-8; byte {exc.start} is not)")
    try:
        records = list(csv.reader(_io.StringIO(text, newline=""), delimiter=",", quotechar='"'))
    except csv.Error as exc:
        refuse(None, None, None, f"cannot parse as a comma-separated file ({exc})")
    while records and not any(c.strip() for c in records[0]):
        records.pop(0)
    if not records:
        refuse(None, None, None, f"file is empty: expected a header row with columns {', '.join(required)}")
    header = [c.replace("\ufeff", "").strip() for c in records[0]]
    missing = [c for c in required if c not in header]
    if missing:
        refuse(1, None, None, f"missing column(s) {', '.join(repr(m) for m in missing)}: expected columns "
                              f"{', '.join(required)} (a comma-separated UTF-8 file); found {', '.join(header) or 'nothing'}")
    body, index = [], []
    for line, rec in enumerate(records[1:], start=2):
        cells = [(c.strip() or None) for c in rec] + [None] * (len(header) - len(rec))
        if not any(cells):
            continue
        if len(rec) > len(header) and any(c.strip() for c in rec[len(header):]):
            refuse(line, None, None, f"expected one cell per column ({len(rec)} cells, the header has {len(header)}; "
                                     "quote a cell that holds a comma)")
        body.append(cells[:len(header)])
        index.append(line)
    df = pd.DataFrame(body, columns=header, index=index, dtype=object)
    if not body:
        df = pd.DataFrame({c: pd.Series([], dtype=object) for c in header})
    return df


def plan_file(plan: "Plan", key: str, default: Path | None = None) -> Path | None:
    """The file ``plan.toml`` names under ``key`` (``observations``, ``district_targets``,
    ``task_outturns``, ``disbursements``): in the plan folder if it is there, else in the key's folder of
    ``data/raw/`` (:data:`META_PATHS`: ``data/raw/observations/`` …); ``default`` if the key is not set.
    A name leading outside both folders (through a symbolic link, say) is refused with
    :class:`InputError`, and the file is not opened, so nothing of it is echoed."""
    name = (getattr(plan, "meta", None) or {}).get(key)
    if not name:
        return default
    src = str(plan.files.get("metadata", METADATA_FILE)) if getattr(plan, "files", None) else METADATA_FILE
    raw = f"{config.relative(config.paths().raw / META_PATHS.get(key, key))}/"
    roots = [r.resolve() for r in ((plan.directory,) if plan.directory else ()) +
             (config.paths().raw / META_PATHS.get(key, key),)]
    if not isinstance(name, str) or not relative_inside(name):
        raise InputError(f"{src}: key '{key}': value {name!r}: expected a file name relative to the plan folder "
                         f"or to {raw} (no absolute path, no '..')")
    for root in roots:
        cand = root / name
        if cand.exists() or root == roots[-1]:
            real = cand.resolve()
            if not any(real.is_relative_to(r) for r in roots):
                raise InputError(f"{src}: key '{key}': value {name!r}: leads outside the plan folder and "
                                 f"{raw} (a symbolic link?): expected a file inside them")
            return cand
    return default


def _empty(name: str) -> pd.DataFrame:
    required = SCHEMAS[name]
    return pd.DataFrame({c: pd.Series([], dtype=object) for c in required})


def _with_optional(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Add the optional columns a table lacks, and fill blanks with their defaults."""
    for col, default in OPTIONAL_COLUMNS.get(name, {}).items():
        if col not in df.columns:
            df[col] = default
        elif default is not None and not (isinstance(default, float) and math.isnan(default)):
            df[col] = df[col].where(df[col].notna(), default)
    return df


def _typed(name: str, table: pd.DataFrame, header: list[str]) -> pd.DataFrame:
    """A validated plan table as the :class:`Plan` holds it: the line in the file as index, the file's
    columns in its order, then the optional columns it lacks (each its default); numbers as floats (NaN
    for blank), texts as objects (None for blank)."""
    sc = TABLE_SCHEMAS[name]
    numeric = set(numeric_columns(sc))
    index = pd.Index([int(r) for r in table["row"]] if "row" in table.columns else [], dtype=int)
    cols = {}
    for col in header:
        values = table[col].tolist() if col in table.columns else [None] * len(index)  # a header without rows
        if col in numeric:
            cols[col] = pd.Series(values, index=index, dtype=float)
        elif all(isinstance(v, bool) for v in values) and values:
            cols[col] = pd.Series(values, index=index, dtype=bool)
        else:
            cols[col] = pd.Series([None if _missing(v) else v for v in values], index=index, dtype=object)
    out = pd.DataFrame(cols, index=index)
    for c in sc.columns:
        if c.name not in header:
            out[c.name] = c.default  # a missing optional column: its default (as a folder without it always had)
    return out


def _missing(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def load_plan(plan: str | os.PathLike | None = None, *, directory: str | os.PathLike | None = None) -> Plan:
    """Load and validate a plan: an id of ``data/raw/plans/`` or a folder (default: the project's
    default plan, :data:`DEFAULT_PLAN`).

    Each table is checked by its schema (:mod:`twocreate.plan_schema`), then the checks across tables
    run. Raises :class:`~twocreate.InputError` naming file, row, column and value for the first
    problem found (``err.problems`` holds every problem of every file).
    """
    from .schema import check_table, validate
    folder = resolve_plan(directory if directory is not None else plan)
    problems: list[Problem] = ProblemList()
    meta = read_metadata(folder, problems)
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    headers: dict[str, list[str]] = {}
    sources: dict[str, str] = {}  # the name problems give each table's file
    unreadable = False
    if (folder / METADATA_FILE).is_file():
        files["metadata"] = folder / METADATA_FILE
    for name, schema in TABLE_SCHEMAS.items():
        path = folder / f"{name}.csv"
        if not path.is_file() and name not in REQUIRED_TABLES:
            tables[name] = _with_optional(name, _empty(name))
            continue
        files[name] = path
        try:
            df = read_plan_table(path, required=schema.required)
        except InputError as err:
            problems.extend(err.problems or [Problem(str(path), None, None, None, str(err))])
            tables[name] = _with_optional(name, _empty(name))
            unreadable = True
            continue
        sources[name] = plan_source(path)
        table, _ = validate(df, schema, {"meta": meta}, problems=problems, source=sources[name], table_checks=False)
        if "row" not in table.columns:  # a header and no row
            table["row"] = pd.Series(dtype=int)
        tables[name], headers[name] = table, list(df.columns)
    if not unreadable:  # every other problem of every table is listed, not only the first file's
        ctx = {"meta": meta, "tables": tables, "sources": sources}
        for name, schema in TABLE_SCHEMAS.items():
            if name in files:
                check_table(tables[name], schema, ctx, problems)
    raise_problems(problems)
    for name in TABLE_SCHEMAS:
        if name in files:
            tables[name] = _typed(name, tables[name], headers[name])
    for name in ("baseline", "subtargets", "area_targets"):
        tables[name]["year"] = tables[name]["year"].astype(int)
    tables["area_targets"]["area_code"] = tables["area_targets"]["area_code"].astype(str)
    ind = tables["indicators"]
    ind["target_year"] = ind["target_year"].fillna(float(meta["target_year"]))
    for col in ("base_year", "target_year"):
        ind[col] = ind[col].astype(int) if ind[col].notna().all() else ind[col].astype("Int64")
    return Plan(files=files, meta=meta, directory=folder, **tables)
