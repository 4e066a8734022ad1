"""A plan as data: load and validate one plan folder ``data/raw/plans/<plan-id>/``.

A folder holds ``plan.toml`` (metadata: document number, titles, issuer, city, period, base and
target year, URL, what was transcribed) and the tables ``*.csv``; every number of the plan lives in
those files, each row with its section and Chinese wording. ``indicators.csv`` and ``areas.csv``
are required; the other tables are optional (a missing file is an empty table). The schema is
written down in ``docs/plans.md``. The default plan is the 2016 one (``jinan-2016-twocreate``).
This module only reads, checks and gives typed access to the files.
"""
from __future__ import annotations

import csv
import io as _io
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config, units
from .io import InputError, Problem, parse_number, raise_problems, read_input_bytes, read_table

DEFAULT_PLAN = "jinan-2016-twocreate"


def default_plan_dir() -> Path:
    """The folder of the default plan (``<root>/data/raw/plans/<DEFAULT_PLAN>/``)."""
    return config.paths().plans / DEFAULT_PLAN


# the former constants PLANS_DIR and PLAN_DIR, resolved when used
__getattr__ = config.former_constants(__name__, PLANS_DIR=lambda: config.paths().plans, PLAN_DIR=default_plan_dir)

METADATA_FILE = "plan.toml"
REQUIRED_TABLES = ("indicators", "areas")
# metadata keys every plan.toml gives (text unless in META_YEARS)
META_REQUIRED = ("id", "document_number", "title_zh", "title_en", "short_title_zh", "short_title_en",
                 "subject_zh", "subject_en", "issuer_zh", "issuer_en", "city_zh", "city_en", "city_code", "issued",
                 "period_start", "period_end", "base_year", "target_year", "text_language")
META_YEARS = ("period_start", "period_end", "base_year", "target_year")
META_OPTIONAL = {"published": "", "official_url": "", "transcribed": [], "not_transcribed": [], "note_en": ""}
# metadata keys that name a file (the plan's default input of that kind), and the folder of data/raw/ a
# name is looked up in after the plan folder: relative, never leading outside the two (see plan_file)
META_PATHS = {"observations": "observations", "district_targets": "districts", "district_context": "districts",
              "task_outturns": "tasks", "disbursements": "funds", "scenario": "funds"}
PLAN_ID = re.compile(r"[a-z0-9][a-z0-9-]*")

# file stem: (required columns, numeric columns that must be filled, numeric columns that may be blank)
SCHEMAS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "departments": (["code", "name_zh", "name_en"], [], []),
    "baseline": (["code", "year", "value", "unit", "name_zh", "name_en", "section", "wording_zh"],
                 ["year", "value"], []),
    "indicators": (["code", "name_zh", "name_en", "unit", "kind", "section", "wording_zh"], [],
                   ["base_year", "target_year", "headline_target_pct", "target_value", "tolerance", "base_value"]),
    "subtargets": (["indicator", "year", "value", "unit", "section", "wording_zh"], ["year", "value"], []),
    "funds": (["code", "name_zh", "name_en", "amount", "unit", "period_start", "period_end", "departments",
               "section", "wording_zh"], ["amount", "period_start", "period_end"], []),
    "instruments": (["code", "group", "name_zh", "name_en", "parameter", "value", "unit", "departments",
                     "section", "wording_zh"], [], ["value"]),
    "tasks": (["code", "name_zh", "name_en", "target_low", "target_high", "qualifier", "unit", "unit_en",
               "basis", "years", "departments", "section", "wording_zh"], ["target_low"], ["target_high"]),
    "areas": (["area_code", "name_zh", "name_en", "level", "role", "valid_from", "valid_to", "successor_code",
               "section", "wording_zh", "note_en"], [], ["valid_from", "valid_to"]),
    # supporting series an outturn file may hold besides the indicators: numerators, denominators, benchmarks
    "series": (["code", "name_zh", "name_en", "unit", "kind", "section"], [], []),
    # targets the plan sets for an area other than the city (a level per year, or a year's inflow)
    "area_targets": (["indicator", "area_code", "year", "value", "unit", "section", "wording_zh"], ["year", "value"], []),
    # findings of the consistency audit that only this plan can have: a sentence with its section and wording
    "audit_notes": (["indicator", "section", "wording_zh", "note_zh", "note_en"], [], []),
}
MAX_TABLE_BYTES = 20 * 1024 * 1024  # a plan table is a few kB; anything this large is not one
# optional columns of a table and the value a blank or missing one takes
OPTIONAL_COLUMNS: dict[str, dict[str, object]] = {
    "indicators": {"group_zh": "", "group_en": "", "target_kind": "growth", "qualifier": "at_least",
                   "target_value": math.nan, "tolerance": math.nan, "base_year": math.nan, "target_year": math.nan,
                   "headline_target_pct": math.nan, "headline_name_zh": None, "headline_name_en": None,
                   "formula_zh": None, "formula_en": None, "related_baseline": None, "departments": None,
                   "benchmark": None, "numerator": None, "denominator": None, "aliases": None,
                   "base_value": math.nan, "unit_en": None},
    "series": {"wording_zh": None, "aliases": None},
}
ROLES = {"city", "core", "radiating", "other"}
KINDS = {"stock", "flow"}
INDICATOR_KINDS = KINDS | {"unclear"}  # unclear: the text says neither 新增 nor 累计 (both readings are shown)
TARGET_KINDS = ("growth", "level", "share", "cumulative", "relative", "qualitative")
QUALIFIER_CODES = ("at_least", "about", "at_most", "strive")


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

    # ---- metadata
    @property
    def id(self) -> str:
        """The plan's id (``jinan-2016-twocreate``)."""
        return str(self.meta.get("id") or (self.directory.name if self.directory else DEFAULT_PLAN))

    def text(self, key: str, lang: str = "zh") -> str:
        """A metadata text in ``lang``: ``plan.text("city", "en")`` → ``"Jinan"``."""
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
        """One row of ``indicators.csv`` by code."""
        rows = self.indicators[self.indicators["code"] == code]
        if rows.empty:
            raise KeyError(f"unknown indicator {code!r}; known: {', '.join(self.indicator_codes)}")
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

        Only operating revenue has one (§一: 8030亿元 = 80,300,000万元); the plan states no 2015
        technology-contract turnover or patent count. Flows (new employment) have no level
        baseline: see :meth:`related_baseline`.
        """
        ind = self.indicator(code)
        if ind["kind"] != "stock" or ind["related_baseline"] is None:
            return None
        r = self.baseline[self.baseline["code"] == ind["related_baseline"]].iloc[0]
        return units.convert(float(r["value"]), str(r["unit"]), str(ind["unit"]))

    def related_baseline(self, code: str) -> tuple[float, str] | None:
        """(value, unit) of the §一 figure linked to indicator ``code`` in ``indicators.csv``.

        For new employment this is the 2015 small/micro employment stock, 281万人.
        """
        ind = self.indicator(code)
        if ind["related_baseline"] is None:
            return None
        r = self.baseline[self.baseline["code"] == ind["related_baseline"]].iloc[0]
        return float(r["value"]), str(r["unit"])

    def baseline_value(self, code: str) -> float:
        """A §一 baseline figure by its code, in its own unit (see ``baseline.csv``)."""
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
        """Amount of a ``funds.csv`` row in 亿元; an unknown code is an :class:`InputError` naming the codes."""
        rows = self.funds[self.funds["code"] == code]
        if rows.empty:
            raise InputError(f"fund {code!r}: not a row of plan {self.id}'s funds.csv: expected one of "
                             f"{', '.join(map(str, self.funds['code'])) or '(none: the table is empty)'}")
        r = rows.iloc[0]
        return units.convert(float(r["amount"]), str(r["unit"]), "亿元")

    def instrument_value(self, code: str) -> float:
        """The number attached to an instrument (a leverage ratio, a subsidy per firm)."""
        r = self.instruments[self.instruments["code"] == code]
        if r.empty or pd.isna(r["value"].iloc[0]):
            raise InputError(f"instrument {code!r}: no value in plan {self.id}'s instruments.csv")
        return float(r["value"].iloc[0])

    @property
    def base_year(self) -> int:
        """The plan's base year (metadata; the 2016 plan: 2015)."""
        return int(self.meta["base_year"]) if "base_year" in self.meta else int(self.indicators["base_year"].min())

    @property
    def target_year(self) -> int:
        """The plan's target year (metadata; the 2016 plan: 2018)."""
        if "target_year" in self.meta:
            return int(self.meta["target_year"])
        return int(self.indicators["target_year"].max())

    @property
    def period(self) -> list[int]:
        """The years reports can be built for: base year + 1 … target year."""
        return list(range(self.base_year + 1, self.target_year + 1))


def _lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', got {lang!r}")
    return lang


def _blank(v: object) -> bool:
    """A blank cell: None, NaN or an empty text."""
    return v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip())


def split_codes(codes: object) -> list[str]:
    """``"a;b"`` → ``["a", "b"]`` (blank → [])."""
    if codes is None or (isinstance(codes, float) and pd.isna(codes)):
        return []
    return [c.strip() for c in str(codes).split(";") if c.strip()]


def _typed(name: str, df: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    required, numeric, optional_numeric = SCHEMAS[name]
    src = df.attrs.get("source", name)
    out = df.copy()
    for col in numeric + optional_numeric:
        vals = []
        for idx, v in out[col].items():
            try:
                num = parse_number(v)
            except ValueError:
                problems.append(Problem(src, idx, col, v, "a number"))
                num = None
            if num is None and col in numeric and v is None:
                problems.append(Problem(src, idx, col, v, "a number (this column may not be blank)"))
            vals.append(num)
        out[col] = pd.array(vals, dtype="Float64").astype(float)
    for col in required:
        if col in numeric or col in optional_numeric:
            continue
        out[col] = out[col].astype(object)
    out.attrs = df.attrs
    return out


def resolve_plan(plan: str | os.PathLike | None = None) -> Path:
    """The folder of a plan given by id (``jinan-2025-private-economy``) or folder; None → the default.

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
    """``plan.toml`` of a plan folder as a dict (problems appended to ``problems``, else raised)."""
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
        _check_id_and_paths(meta, Path(directory), str(path), problems)
        for key in META_REQUIRED:
            if key not in meta or meta[key] in (None, ""):
                problems.append(Problem(str(path), None, key, None, "a value (this key is required)"))
            elif key in META_YEARS and not isinstance(meta[key], int):
                problems.append(Problem(str(path), None, key, meta[key], "a year (a whole number)"))
        if not problems or all(p.column not in META_YEARS for p in problems):
            y = {k: meta.get(k) for k in META_YEARS}
            if all(isinstance(v, int) for v in y.values()):
                if y["period_end"] < y["period_start"]:
                    problems.append(Problem(str(path), None, "period_end", y["period_end"],
                                            f"a year not before period_start {y['period_start']}"))
                if y["target_year"] <= y["base_year"]:
                    problems.append(Problem(str(path), None, "target_year", y["target_year"],
                                            f"a year after base_year {y['base_year']}"))
        for k, v in META_OPTIONAL.items():
            meta.setdefault(k, v)
        meta["city_code"] = str(meta.get("city_code", ""))
    if own:
        raise_problems(problems)
    return meta


def read_plan_table(path: str | os.PathLike, *, required: list[str]) -> pd.DataFrame:
    """One table of a plan folder: a UTF-8 CSV with a comma delimiter and one header row, by
    definition (no sniffing: a quoted ``wording_zh`` holding commas and an ``aliases`` cell holding
    ``;`` stay what they are; a file re-saved by Excel as GB18030 is still read). Cells are stripped
    text, blank → None; the index is the line number. Problems: :class:`InputError` with one Problem.
    """
    p = Path(path)
    try:
        name = str(p.resolve().relative_to(Path.cwd()))
    except ValueError:
        name = str(p)
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
    df.attrs.update(source=name, path=str(p))
    return df


def _check_id_and_paths(meta: dict, folder: Path, src: str, problems: list[Problem]) -> None:
    """A plan stays in its folder: its id is ``[a-z0-9][a-z0-9-]*`` and the folder's name (reports go to
    ``--out/<id>/``), and every file ``plan.toml`` names is a relative path without ``..``."""
    pid = meta.get("id")
    if isinstance(pid, str) and pid:
        if not PLAN_ID.fullmatch(pid):
            problems.append(Problem(src, None, "id", pid, "lower-case letters, digits and hyphens only "
                                    "(e.g. mycity-2025-private-economy): no '/', '..' or absolute path"))
        elif pid != folder.resolve().name:
            problems.append(Problem(src, None, "id", pid, f"the name of the plan's folder ({folder.resolve().name!r}): "
                                    "rename the folder or the id"))
    for key in META_PATHS:
        v = meta.get(key)
        if v is None or v == "":
            continue
        if not isinstance(v, str):
            problems.append(Problem(src, None, key, v, "a file name (text)"))
        elif not _relative_inside(v):
            problems.append(Problem(src, None, key, v, "a file name relative to the plan folder or to "
                                    f"{config.relative(config.paths().raw / META_PATHS[key])}/ (no absolute path, no '..')"))


def _relative_inside(name: str) -> bool:
    p = Path(name)
    return bool(name.strip()) and not p.is_absolute() and ".." not in p.parts and not name.startswith(("~", "\\")) \
        and ":" not in p.parts[0] and "\x00" not in name


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
    if not isinstance(name, str) or not _relative_inside(name):
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
    required, _, _ = SCHEMAS[name]
    df = pd.DataFrame({c: pd.Series([], dtype=object) for c in required})
    df.attrs["source"] = f"{name}.csv"
    return df


def _with_optional(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Add the optional columns a table lacks, and fill blanks with their defaults."""
    for col, default in OPTIONAL_COLUMNS.get(name, {}).items():
        if col not in df.columns:
            df[col] = default
        elif default is not None and not (isinstance(default, float) and math.isnan(default)):
            df[col] = df[col].where(df[col].notna(), default)
    return df


def load_plan(plan: str | os.PathLike | None = None, *, directory: str | os.PathLike | None = None) -> Plan:
    """Load and validate a plan: an id of ``data/raw/plans/`` or a folder (default: the 2016 plan).

    Raises :class:`~twocreate.InputError` naming file, row, column and value for the first
    problem found (``err.problems`` holds every problem of every file).
    """
    folder = resolve_plan(directory if directory is not None else plan)
    problems: list[Problem] = []
    meta = read_metadata(folder, problems)
    tables: dict[str, pd.DataFrame] = {}
    files: dict[str, Path] = {}
    unreadable = False
    if (folder / METADATA_FILE).is_file():
        files["metadata"] = folder / METADATA_FILE
    for name, (required, _, _) in SCHEMAS.items():
        path = folder / f"{name}.csv"
        if not path.is_file() and name not in REQUIRED_TABLES:
            tables[name] = _empty(name)
            continue
        files[name] = path
        try:
            df = read_plan_table(path, required=required)
        except InputError as err:
            problems.extend(err.problems or [Problem(str(path), None, None, None, str(err))])
            tables[name] = _empty(name)
            unreadable = True
            continue
        if name in OPTIONAL_COLUMNS:
            extra = [c for c in ("target_value", "tolerance", "base_year", "target_year", "headline_target_pct",
                                 "base_value") if c not in df.columns]
            for c in extra:
                df[c] = None
        tables[name] = _typed(name, df, problems)
    for name in OPTIONAL_COLUMNS:
        tables[name] = _with_optional(name, tables[name])
    if not unreadable:  # every other problem of every table is listed, not only the first file's
        _check(tables, problems, meta)
    raise_problems(problems)
    for name in ("baseline", "subtargets", "area_targets"):
        tables[name]["year"] = tables[name]["year"].astype(int)
    tables["area_targets"]["area_code"] = tables["area_targets"]["area_code"].astype(str)
    ind = tables["indicators"]
    ind["target_year"] = ind["target_year"].fillna(float(meta["target_year"]))
    for col in ("base_year", "target_year"):
        ind[col] = ind[col].astype(int) if ind[col].notna().all() else ind[col].astype("Int64")
    return Plan(files=files, meta=meta, directory=folder, **tables)


def _check_area_targets(t: dict[str, pd.DataFrame], problems: list[Problem], ind_unit: dict, src) -> None:
    """``area_targets.csv``: known indicator and area (not the city), the indicator's unit, one row per
    indicator × area × year, no negative value."""
    areas = t["areas"]
    codes = set(areas["area_code"].astype(str))
    city = set(areas.loc[areas["role"] == "city", "area_code"].astype(str))
    seen: set = set()
    for idx, r in t["area_targets"].iterrows():
        if r["indicator"] not in ind_unit:
            problems.append(Problem(src("area_targets"), idx, "indicator", r["indicator"],
                                    f"an indicator code from indicators.csv ({', '.join(ind_unit)})"))
            continue
        a = str(r["area_code"])
        if a not in codes or a in city:
            problems.append(Problem(src("area_targets"), idx, "area_code", r["area_code"],
                                    "an area code of areas.csv other than the city's (city targets are in indicators.csv)"))
        if r["unit"] != ind_unit[r["indicator"]]:
            problems.append(Problem(src("area_targets"), idx, "unit", r["unit"],
                                    f"{ind_unit[r['indicator']]} (the unit of indicator {r['indicator']})"))
        if not pd.isna(r["value"]) and r["value"] < 0:
            problems.append(Problem(src("area_targets"), idx, "value", r["value"], "a number not below zero"))
        key = (r["indicator"], a, r["year"])
        if key in seen:
            problems.append(Problem(src("area_targets"), idx, "year", r["year"],
                                    "one target per indicator, area and year"))
        seen.add(key)


def _check(t: dict[str, pd.DataFrame], problems: list[Problem], meta: dict | None = None) -> None:
    meta = meta or {}

    def src(name: str) -> str:
        return t[name].attrs.get("source", name)

    def unique(name: str, col: str) -> None:
        seen: set = set()
        for idx, v in t[name][col].items():
            if v is None:
                problems.append(Problem(src(name), idx, col, v, "a code (may not be blank)"))
            elif v in seen:
                problems.append(Problem(src(name), idx, col, v, "a unique code (this one is repeated)"))
            seen.add(v)

    for name, col in [("departments", "code"), ("baseline", "code"), ("indicators", "code"), ("funds", "code"),
                      ("instruments", "code"), ("tasks", "code"), ("areas", "area_code")]:
        unique(name, col)
    dept = set(t["departments"]["code"].dropna())
    for name in ("indicators", "funds", "instruments", "tasks"):
        for idx, v in t[name]["departments"].items():
            for c in split_codes(v):
                if c not in dept:
                    problems.append(Problem(src(name), idx, "departments", c,
                                            f"a department code from departments.csv ({', '.join(sorted(dept)) or 'none'})"))
    ind = t["indicators"]
    if ind.empty:
        problems.append(Problem(src("indicators"), None, None, None, "at least one indicator row"))
    for idx, r in ind.iterrows():
        tk = r["target_kind"]
        if r["kind"] not in INDICATOR_KINDS:
            problems.append(Problem(src("indicators"), idx, "kind", r["kind"],
                                    "'stock', 'flow' or 'unclear' (the text says neither)"))
        if not units.is_known(str(r["unit"])):
            problems.append(Problem(src("indicators"), idx, "unit", r["unit"],
                                    f"a unit of data/raw/units/units.csv ({units.known()})"))
        if tk not in TARGET_KINDS:
            problems.append(Problem(src("indicators"), idx, "target_kind", tk, f"one of {', '.join(TARGET_KINDS)}"))
            continue
        if r["qualifier"] not in QUALIFIER_CODES:
            problems.append(Problem(src("indicators"), idx, "qualifier", r["qualifier"],
                                    f"one of {', '.join(QUALIFIER_CODES)}"))
        mst = t["subtargets"][t["subtargets"]["indicator"] == r["code"]]
        ty = r["target_year"] if not pd.isna(r["target_year"]) else meta.get("target_year")
        has_final = not mst.empty and ty is not None and (mst["year"] == ty).any()
        if tk == "growth":
            if not (r["headline_target_pct"] > 0):
                problems.append(Problem(src("indicators"), idx, "headline_target_pct", r["headline_target_pct"],
                                        "a positive percentage"))
            if not pd.isna(r["base_year"]) and not pd.isna(r["target_year"]) and r["target_year"] <= r["base_year"]:
                problems.append(Problem(src("indicators"), idx, "target_year", r["target_year"],
                                        f"a year after base_year {r['base_year']:.0f}"))
        elif tk in ("level", "share", "cumulative"):
            if pd.isna(r["target_value"]) and not (has_final if tk != "cumulative" or r["kind"] == "stock"
                                                   else not mst.empty):
                problems.append(Problem(src("indicators"), idx, "target_value", None,
                                        f"a number ({tk} targets need one, or milestones in subtargets.csv "
                                        "for the target year)"))
            elif tk == "share" and not (0 <= r["target_value"] <= 100):
                problems.append(Problem(src("indicators"), idx, "target_value", r["target_value"],
                                        "a percentage from 0 to 100"))
            if tk == "share" and str(r["unit"]) != "%":
                problems.append(Problem(src("indicators"), idx, "unit", r["unit"], "% (share targets are percentages)"))
            if _blank(r["numerator"]) != _blank(r["denominator"]):
                problems.append(Problem(src("indicators"), idx, "denominator" if _blank(r["denominator"])
                                        else "numerator", None, "both numerator and denominator, or neither"))
        elif tk == "relative" and _blank(r["benchmark"]):
            problems.append(Problem(src("indicators"), idx, "benchmark", None,
                                    "the code of the benchmark series (relative targets need one)"))
        if not pd.isna(r["tolerance"]) and not (r["tolerance"] > 0):
            problems.append(Problem(src("indicators"), idx, "tolerance", r["tolerance"], "a positive number"))
        if "base_year" in meta and not pd.isna(r["target_year"]) and r["target_year"] <= meta["base_year"]:
            problems.append(Problem(src("indicators"), idx, "target_year", r["target_year"],
                                    f"a year after the plan's base_year {meta['base_year']}"))
    if ind["aliases"].notna().any():  # a name users may write must point at one indicator only
        owner: dict[str, str] = {}
        for idx, r in ind.iterrows():
            for a in [r["code"], r["name_zh"], r["name_en"]] + split_codes(r["aliases"]):
                key = "".join(str(a).split()).lower()
                if key in owner and owner[key] != r["code"]:
                    problems.append(Problem(src("indicators"), idx, "aliases", a,
                                            f"a name not already used by indicator {owner[key]}"))
                owner.setdefault(key, r["code"])
    ser = t["series"]
    ind_codes = set(ind["code"].dropna())
    for idx, r in ser.iterrows():
        if r["code"] in ind_codes:
            problems.append(Problem(src("series"), idx, "code", r["code"], "a code not already an indicator's"))
        if not units.is_known(str(r["unit"])):
            problems.append(Problem(src("series"), idx, "unit", r["unit"],
                                    f"a unit of data/raw/units/units.csv ({units.known()})"))
        if r["kind"] not in KINDS:
            problems.append(Problem(src("series"), idx, "kind", r["kind"], "'stock' or 'flow'"))
    unique("series", "code")
    ser_unit = dict(zip(ser["code"], ser["unit"]))
    for idx, r in ind.iterrows():
        for col in ("numerator", "denominator", "benchmark"):
            code = r[col]
            if _blank(code):
                continue
            if code not in ser_unit:
                problems.append(Problem(src("indicators"), idx, col, code,
                                        f"a code of series.csv ({', '.join(ser_unit) or 'the plan has none'})"))
        if r["numerator"] in ser_unit and r["denominator"] in ser_unit:
            try:
                units.conversion_factor(str(ser_unit[r["numerator"]]), str(ser_unit[r["denominator"]]))
            except ValueError:
                problems.append(Problem(src("indicators"), idx, "denominator", r["denominator"],
                                        f"a series in the numerator's unit ({ser_unit[r['numerator']]})"))
    ind_unit = dict(zip(ind["code"], ind["unit"]))
    seen_st: set = set()
    for idx, r in t["subtargets"].iterrows():
        if r["indicator"] not in ind_unit:
            problems.append(Problem(src("subtargets"), idx, "indicator", r["indicator"],
                                    f"an indicator code from indicators.csv ({', '.join(ind_unit)})"))
            continue
        if r["unit"] != ind_unit[r["indicator"]]:
            problems.append(Problem(src("subtargets"), idx, "unit", r["unit"],
                                    f"{ind_unit[r['indicator']]} (the unit of indicator {r['indicator']})"))
        if not (r["value"] > 0):
            problems.append(Problem(src("subtargets"), idx, "value", r["value"], "a positive number"))
        key = (r["indicator"], r["year"])
        if key in seen_st:
            problems.append(Problem(src("subtargets"), idx, "year", r["year"], "one milestone per indicator and year"))
        seen_st.add(key)
        irow = ind[ind["code"] == r["indicator"]].iloc[0]
        by = irow["base_year"] if not pd.isna(irow["base_year"]) else meta.get("base_year")
        ty = irow["target_year"] if not pd.isna(irow["target_year"]) else meta.get("target_year")
        if by is not None and ty is not None and not pd.isna(r["year"]) and not (by < r["year"] <= ty):
            problems.append(Problem(src("subtargets"), idx, "year", r["year"],
                                    f"a year after the base year {int(by)} and not after the target year {int(ty)}"))
    _check_area_targets(t, problems, ind_unit, src)
    for idx, r in t["audit_notes"].iterrows():
        if r["indicator"] is not None and r["indicator"] not in ind_unit:
            problems.append(Problem(src("audit_notes"), idx, "indicator", r["indicator"],
                                    f"blank or an indicator code from indicators.csv ({', '.join(ind_unit)})"))
        for col in ("section", "note_zh", "note_en"):
            if r[col] is None:
                problems.append(Problem(src("audit_notes"), idx, col, None, "a text (may not be blank)"))
    base_codes = set(t["baseline"]["code"].dropna())
    for idx, r in t["baseline"].iterrows():
        if not units.is_known(str(r["unit"])):
            problems.append(Problem(src("baseline"), idx, "unit", r["unit"],
                                    f"a unit of data/raw/units/units.csv ({units.known()})"))
        if not (r["value"] > 0):
            problems.append(Problem(src("baseline"), idx, "value", r["value"], "a positive number"))
    base_unit = dict(zip(t["baseline"]["code"], t["baseline"]["unit"]))
    for idx, r in ind.iterrows():
        rb = r["related_baseline"]
        if _blank(rb):
            continue
        if rb not in base_codes:
            problems.append(Problem(src("indicators"), idx, "related_baseline", rb,
                                    f"blank or a code of baseline.csv ({', '.join(sorted(base_codes))})"))
        elif r["kind"] == "stock":
            try:
                units.conversion_factor(str(base_unit[rb]), str(r["unit"]))
            except ValueError:
                problems.append(Problem(src("indicators"), idx, "related_baseline", rb,
                                        f"a baseline whose unit converts to {r['unit']}"))
    funds = t["funds"]
    for idx, r in funds.iterrows():
        if not (r["amount"] > 0):
            problems.append(Problem(src("funds"), idx, "amount", r["amount"], "a positive amount"))
        try:
            units.conversion_factor(str(r["unit"]), "亿元")
        except ValueError:
            problems.append(Problem(src("funds"), idx, "unit", r["unit"], "a money unit (元, 万元, 亿元)"))
    if not problems and "total" in set(funds["code"]):
        amounts = {r["code"]: units.convert(r["amount"], r["unit"], "亿元") for _, r in funds.iterrows()}
        parts = sum(v for k, v in amounts.items() if k != "total")
        if abs(parts - amounts["total"]) > 1e-6:
            idx = funds.index[funds["code"] == "total"][0]
            problems.append(Problem(src("funds"), idx, "amount", amounts["total"],
                                    f"the sum of the other rows ({parts:g} 亿元)"))
    for idx, r in t["areas"].iterrows():
        if r["role"] not in ROLES:
            problems.append(Problem(src("areas"), idx, "role", r["role"], f"one of {', '.join(sorted(ROLES))}"))
    if (t["areas"]["role"] == "city").sum() != 1:
        problems.append(Problem(src("areas"), None, "role", None, "exactly one row with role 'city'"))
    elif meta.get("city_code") and meta["city_code"] not in set(t["areas"]["area_code"].astype(str)):
        problems.append(Problem(src("areas"), None, "area_code", meta["city_code"],
                                "a row for the city_code of plan.toml"))
