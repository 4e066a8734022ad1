"""Enterprise registers → the plan's small/micro indicators by district and year.

Size classes follow 《中小企业划型标准规定》(工信部联企业〔2011〕300号), whose thresholds
《统计上大中小微型企业划分办法（2017）》 repeats. Thresholds and the GB/T 4754-2017 →
industry-group mapping are data (``data/raw/enterprise/``, applied by :mod:`twocreate.sizes`).

A register has one row per firm and year:

=============  ==============================================================
firm_id        the firm's identifier (e.g. 统一社会信用代码); one row per firm and year
year           calendar year
area_code      administrative code valid in that year (areas.csv), or a functional zone's own code
industry       GB/T 4754-2017 code: section letter plus 2–4 digits (``C3670``, ``F5211``)
employees      从业人员, 人
revenue        营业收入, 万元
assets         资产总额, 万元 (optional; only 建筑业, 房地产开发经营, 租赁和商务服务业 use it)
patents        拥有授权专利数, 项 (optional)
tech_contract  技术合同成交额, 万元 (optional)
status         optional: official / provisional / estimate / illustrative
=============  ==============================================================

Every function takes a pandas DataFrame or a dask DataFrame (for registers that do not fit
one machine); results of the dask path equal the pandas path's exactly (money is summed in
whole 元, so the order of summation cannot change a total).
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import config, partitioned
from .i18n import t, vocabulary
from .io import InputError, Problem, check_regular_file
from .plan import Plan, load_plan
from .progress import Stage, compute_each
from .sizes import (  # noqa: F401 - re-exported: the size classes are part of the register API
    CLASSES, MEASURES, N_EXAMPLES, SIZE_CATEGORIES, SMALL_MICRO, UNDETERMINED, SizeStandard, classify_codes,
    classify_size, enterprise_dir, industry_groups, load_standard, _factorize, _is_dask, _measure, _summary)


# the former constant ENTERPRISE_DIR, resolved when used
__getattr__ = config.former_constants(__name__, ENTERPRISE_DIR=enterprise_dir)

REQUIRED_COLUMNS = ("firm_id", "year", "area_code", "industry", "employees", "revenue")
OPTIONAL_COLUMNS = ("assets", "patents", "tech_contract", "status")
NUMERIC_COLUMNS = ("employees", "revenue", "assets", "patents", "tech_contract")
# summed measures: column → unit of the sum
SUMMED = dict(vocabulary.register_units())  # employees 人, revenue 万元 …: the input vocabulary (i18n/input.toml)
MONEY = ("revenue", "assets", "tech_contract")  # summed in whole 元 (×10,000) so sums are exact
STATUS_ORDER = ("official", "provisional", "estimate", "illustrative")
TIDY_INDICATORS = ("revenue", "new_employment", "tech_contract", "patents")


class RegisterWarning(UserWarning):
    """Rows dropped, codes remapped or firms left undetermined while building the indicators."""


# --------------------------------------------------------------------------- reading
REGISTER_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


def register_columns(available) -> list[str]:
    """The register columns among ``available``, in register order (the only ones read)."""
    have = set(available)
    return [c for c in REGISTER_COLUMNS if c in have]


def read_register(path) -> pd.DataFrame:
    """Read a register from CSV (UTF-8, UTF-8-BOM or GB18030), Parquet, or a folder of Parquet files.

    Rows are labelled as a spreadsheet shows them (CSV: header = line 1, first firm = 2;
    Parquet: first record = 1), so messages point at the right line. A folder (e.g.
    hive-partitioned ``year=2017/district=<area code>/part-0.parquet``, see
    :mod:`twocreate.partitioned`) is read file by file into one frame whose rows name their
    file (``attrs["files"]``). From Parquet only the register's columns are read. Missing
    columns raise :class:`InputError`; cell problems are left to :func:`validate_register`.
    """
    path = Path(path)
    name = path.name
    if path.is_dir():
        source = partitioned.discover(path, REQUIRED_COLUMNS)
        with Stage(f"reading {name}", len(source.pieces)) as stage:
            return partitioned.read_all(source, register_columns(source.columns), stage)
    check_regular_file(path, name)  # not a device or a FIFO (a register may be large: no size limit here)
    suffix = path.suffix.lower()
    text_cols = {"firm_id": str, "area_code": str, "industry": str, "status": str}
    if suffix in (".parquet", ".pq"):
        try:
            import pyarrow.parquet as pq
            names = pq.read_schema(path).names
            complete = all(c in names for c in REQUIRED_COLUMNS)  # else read all, to list them
            df = pd.read_parquet(path, columns=register_columns(names) if complete else None)
        except Exception as exc:
            raise InputError(f"{name}: cannot read as Parquet ({exc})") from exc
        df.index = pd.RangeIndex(1, len(df) + 1)
    elif suffix in (".csv", ".txt"):
        df = None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                df = pd.read_csv(path, dtype=text_cols, encoding=enc, skipinitialspace=True)
                break
            except UnicodeDecodeError:
                continue
            except pd.errors.EmptyDataError:
                raise InputError(f"{name}: file is empty: expected a header row with columns "
                                 f"{', '.join(REQUIRED_COLUMNS)}") from None
            except Exception as exc:
                raise InputError(f"{name}: cannot parse as CSV ({exc})") from exc
        if df is None:
            raise InputError(f"{name}: cannot decode as UTF-8 or GB18030: save the file as CSV UTF-8")
        df.columns = [str(c).replace("\ufeff", "").strip() for c in df.columns]
        df.index = pd.RangeIndex(2, len(df) + 2)
    else:
        raise InputError(f"{name}: unsupported file type {suffix!r}: expected a .csv or .parquet register, "
                         "or a folder of .parquet files")
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"{name}: row 1: missing column(s) {', '.join(map(repr, missing))}: expected columns "
                         f"{', '.join(REQUIRED_COLUMNS)} (optional {', '.join(OPTIONAL_COLUMNS)}); "
                         f"found {', '.join(map(str, df.columns))}")
    df.attrs["source"] = name
    return df


# --------------------------------------------------------------------------- validation
@dataclass(frozen=True)
class _AreaRules:
    """Area codes a firm may carry, and the code valid in each year."""

    codes: dict[str, tuple[float, float, str | None]]  # code → (valid_from, valid_to, successor)
    city: str

    @classmethod
    def from_plan(cls, plan: Plan) -> "_AreaRules":
        a = plan.areas
        codes = {}
        for code, vf, vt, succ in zip(a["area_code"], a["valid_from"], a["valid_to"], a["successor_code"]):
            codes[str(code)] = (vf if pd.notna(vf) else -np.inf, vt if pd.notna(vt) else np.inf,
                                str(succ) if succ is not None and pd.notna(succ) and str(succ) else None)
        return cls(codes, plan.city_code)

    def valid_in(self, code: str, year: int) -> str | None:
        """The code that stands for ``code``'s territory in ``year`` (None if unknown/city)."""
        if code not in self.codes or code == self.city:
            return None
        for _ in range(len(self.codes)):
            vf, vt, succ = self.codes[code]
            if year > vt and succ:
                code = succ
                continue
            if year < vf:
                pred = [c for c, (_, t, s) in self.codes.items() if s == code]
                if not pred:
                    return None
                code = pred[0]
                continue
            return code
        return None


def _norm_code(v: object) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    s = str(v).strip()
    return s[:-2] if s.endswith(".0") else s


def _norm_year(year: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(year as int64, 0 where bad; bad: missing or not a whole number)."""
    y = pd.to_numeric(year, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(y) | (y != np.round(y))
    return np.where(bad, 0, y).astype(np.int64), bad


def _check_partition(df: pd.DataFrame, rules: _AreaRules, standard: SizeStandard) -> pd.DataFrame:
    """Per-row problem flags and the normalised columns of one (partition of a) register."""
    n = len(df)
    out = pd.DataFrame(index=df.index)
    out["firm_id_blank"] = df["firm_id"].isna().to_numpy()
    yi, bad_year = _norm_year(df["year"])
    out["year_bad"] = bad_year
    # area codes: resolve each distinct (code, year) once
    acodes, auniq = _factorize(df["area_code"])
    ycodes, yuniq = pd.factorize(yi)
    key = acodes.astype(np.int64) * max(len(yuniq), 1) + ycodes
    ukeys, inv = np.unique(key, return_inverse=True)
    resolved, moved = [], []
    for k in ukeys:
        a, y = divmod(int(k), max(len(yuniq), 1))
        raw = _norm_code(auniq[a]) if a >= 0 else None
        res = rules.valid_in(raw, int(yuniq[y])) if raw is not None else None
        resolved.append(res)
        moved.append(res is not None and res != raw)
    resolved = np.array(resolved, dtype=object)
    area = resolved[inv.reshape(-1)] if n else np.array([], dtype=object)
    out["area_unknown"] = pd.isna(area) & ~bad_year
    out["area_moved"] = np.asarray(moved, dtype=bool)[inv.reshape(-1)] if n else np.zeros(0, bool)
    group, _ = industry_groups(df["industry"], standard)
    out["industry_unknown"] = group < 0
    for col in NUMERIC_COLUMNS:
        if col not in df.columns:
            continue
        raw = df[col]
        num = pd.to_numeric(raw, errors="coerce").astype("float64")
        num = num.where(np.isfinite(num))  # 1e400 reads as inf: not a number either
        out[f"{col}_not_number"] = (num.isna() & raw.notna()).to_numpy(dtype=bool)
        out[f"{col}_negative"] = (num < 0).to_numpy(dtype=bool)
    out["_area"] = pd.Series(area, index=df.index, dtype=object).astype("string")
    out["_year"] = yi
    return out


def register_schema():
    """The register's columns as a declarative schema (types, which are required, allowed statuses).
    :func:`validate_register` applies the same rules column by column, vectorised (a register has
    millions of rows: one flag array per rule, problems counted by kind with examples, never one
    Python call per cell); statuses are read by the shared :func:`twocreate.schema.parse_status`."""
    from .schema import Code, Column, Number, Schema, Status, Text, Year
    num = {c: Column(c, Number(low=0, expected="a number ≥ 0"), required=c in REQUIRED_COLUMNS, blank=True)
           for c in NUMERIC_COLUMNS}
    cols = {"firm_id": Column("firm_id", Text(), blank="an identifier for every firm"),
            "year": Column("year", Year(), blank="a four-digit year such as 2017"),
            "area_code": Column("area_code", Code(key="areas", expected="a district code of the plan's areas.csv"),
                                blank="a district code of the plan's areas.csv"),
            "industry": Column("industry", Text(), blank="a GB/T 4754-2017 code"),
            "status": Column("status", Status(), required=False, blank=True), **num}
    return Schema("register", tuple(cols[c] for c in REQUIRED_COLUMNS + OPTIONAL_COLUMNS),
                  unique=((("firm_id", "year"), "firm_id", "one row per firm and year"),))


PROBLEMS = {  # flag → (column, what, expected)
    "firm_id_blank": ("firm_id", "a blank firm id", "an identifier for every firm"),
    "year_bad": ("year", "a missing or non-integer year", "a four-digit year such as 2017"),
    "area_unknown": ("area_code", "a district code outside the registry",
                     "a district code of the plan's areas.csv valid in that year (a functional zone's own "
                     "code too); not the city code"),
    "industry_unknown": ("industry", "an unknown industry code",
                         "a GB/T 4754-2017 code: section letter plus 2–4 digits, such as C3670 or F5211"),
    "duplicate": ("firm_id", "a duplicated firm-year (every copy counted)", "one row per firm and year"),
}
for _c in NUMERIC_COLUMNS:
    PROBLEMS[f"{_c}_not_number"] = (_c, f"a non-numeric {_c}", "a number (blank if not reported)")
    PROBLEMS[f"{_c}_negative"] = (_c, f"a negative {_c}", "a number ≥ 0")


# long: one vectorised check per kind of bad row, on one frame of flags
def validate_register(df, plan: Plan | None = None, standard: SizeStandard | None = None, *,
                      on_bad: str = "error", files: tuple[str, ...] | None = None, source: str | None = None):
    """Check a register; return ``(clean register, report)``.

    ``report`` has one row per kind of problem: ``problem``, ``column``, ``rows`` (count),
    ``examples``. Bad rows are an unknown industry code, a negative or non-numeric measure, a
    duplicated firm-year (all copies), a district code outside ``areas.csv`` (or the city code),
    a missing year or firm id. ``on_bad="error"`` (default) raises :class:`InputError` naming
    every kind with counts and examples; ``on_bad="drop"`` drops those rows, warns
    (:class:`RegisterWarning`) and lists them in the report. Not bad: a code of a district
    renamed that year (its old code ↔ its new one, ``successor_code`` in areas.csv) is replaced by the code valid in the
    row's year, with a warning. The clean register has ``area_code`` (string) and ``year``
    (int) normalised. Accepts a dask DataFrame (then the clean register is lazy; the checks
    run partition by partition, reported by :mod:`twocreate.progress`). ``files``: the files
    the row labels of a multi-file register point into (default ``df.attrs["files"]``), so
    that examples read ``year=2017/…/part-0.parquet row 5``; ``source``: the register's name in
    messages (default ``df.attrs["source"]``).
    """
    if on_bad not in ("error", "drop"):
        raise ValueError(f"on_bad must be 'error' or 'drop', got {on_bad!r}")
    plan = plan or load_plan()
    standard = standard or load_standard()
    rules = _AreaRules.from_plan(plan)
    src = source or (df.attrs.get("source", "register") if hasattr(df, "attrs") else "register")
    missing = [c for c in REQUIRED_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(f"{src}: missing column(s) {', '.join(map(repr, missing))}: expected columns "
                         f"{', '.join(REQUIRED_COLUMNS)}")
    if files is None and hasattr(df, "attrs"):
        files = df.attrs.get("files")
    if _is_dask(df):
        return _validate_dask(df, rules, standard, on_bad, src, files)
    flags = _check_partition(df, rules, standard)
    dup = df.assign(_y=flags["_year"].to_numpy()).duplicated(["firm_id", "_y"], keep=False).to_numpy()
    flags["duplicate"] = dup & ~flags["firm_id_blank"].to_numpy() & ~flags["year_bad"].to_numpy()
    report_rows = []
    bad = np.zeros(len(df), dtype=bool)
    for flag, (col, what, expected) in PROBLEMS.items():
        if flag not in flags:
            continue
        f = flags[flag].to_numpy()
        if f.any():
            bad |= f
            rows = df.index[f]
            vals = df[col].to_numpy()[f][:N_EXAMPLES] if flag != "duplicate" else \
                [f"{i} in {y}" for i, y in zip(df["firm_id"].to_numpy()[f][:N_EXAMPLES], flags["_year"].to_numpy()[f])]
            report_rows.append({"problem": what, "column": col, "rows": int(f.sum()),
                                "examples": _summary(src, rows, col, vals, expected, what, files)})
    report = pd.DataFrame(report_rows, columns=["problem", "column", "rows", "examples"])
    _raise_or_warn(report, src, on_bad, int(bad.sum()))
    moved = flags["area_moved"].to_numpy() & ~bad
    if moved.any():
        warnings.warn(_summary(src, df.index[moved], "area_code", df["area_code"].to_numpy()[moved],
                               "the code valid in the row's year", "a district code not valid in that year", files)
                      + ": counted under the code valid in that year", RegisterWarning, stacklevel=2)
    clean = df.loc[~bad].copy() if bad.any() else df.copy()
    clean["area_code"] = flags["_area"].to_numpy()[~bad]
    clean["year"] = flags["_year"].to_numpy()[~bad]
    clean.attrs["source"] = src
    clean.attrs.pop("files", None)  # rows of the clean register are not reported by file
    return clean, report


def _raise_or_warn(report: pd.DataFrame, src: str, on_bad: str, n_bad: int) -> None:
    if report.empty:
        return
    kinds = "; ".join(report["examples"].str.replace(f"{src}: ", "", regex=False))
    if on_bad == "error":
        problems = [Problem(src, None, c, None, e) for c, e in zip(report["column"], report["examples"])]
        raise InputError(f"{src}: {n_bad:,} bad row(s): {kinds}. Fix them, or drop them with a report "
                         f"(on_bad='drop', command option --drop-bad)", problems)
    warnings.warn(f"{src}: dropped {n_bad:,} bad row(s): {kinds}", RegisterWarning, stacklevel=3)


def _partition_report(df: pd.DataFrame, rules: _AreaRules, standard: SizeStandard) -> dict:
    """Problem counts and up to N_EXAMPLES (row label, value) per kind in one partition."""
    fl = _check_partition(df, rules, standard)
    counts, examples = {}, {}
    for flag in [c for c in fl.columns if c in PROBLEMS or c == "area_moved"]:
        f = fl[flag].to_numpy(dtype=bool)
        if flag == "area_moved":
            f = f & ~fl[[c for c in fl.columns if c in PROBLEMS]].to_numpy().any(axis=1)
        counts[flag] = int(f.sum())
        if counts[flag]:
            col = PROBLEMS[flag][0] if flag in PROBLEMS else "area_code"
            examples[flag] = list(zip(df.index[f][:N_EXAMPLES], df[col].to_numpy()[f][:N_EXAMPLES]))
    return {"counts": counts, "examples": examples}


def _firm_years(df: pd.DataFrame, hashes: set | None = None) -> pd.DataFrame:
    """(firm_id, normalised year, 64-bit hash of the two) of the rows that have both, for the
    duplicate check; with ``hashes``, only the rows whose hash is among them."""
    y, bad = _norm_year(df["year"])
    ok = ~bad & df["firm_id"].notna().to_numpy()
    out = pd.DataFrame({"firm_id": df["firm_id"].to_numpy()[ok], "_y": y[ok]})
    out["h"] = pd.util.hash_pandas_object(out, index=False).to_numpy()
    if hashes is not None:
        out = out[out["h"].isin(hashes)]
    return out


def _dask_duplicates(ddf, src: str) -> pd.Series:
    """Copies per duplicated (firm_id, year) of a dask register (empty when none).

    Counts 64-bit hashes of (firm_id, year), spread over the workers by a hash-partitioned
    count (light: one integer column), then checks the few candidate rows exactly, so a hash
    collision can never make two firms a duplicate.
    """
    meta = _firm_years(ddf._meta[["firm_id", "year"]])
    keys = ddf[["firm_id", "year"]].map_partitions(_firm_years, meta=meta)
    sizes = keys[["h"]].groupby("h").size(split_out=max(1, min(ddf.npartitions // 4, 64)), shuffle_method="tasks")
    found = compute_each(sizes[sizes > 1].to_delayed(), f"duplicate firm-years in {src}")
    cands = set(pd.concat(found).index.tolist()) if found else set()
    if not cands:
        return pd.Series([], dtype=np.int64)
    rows = compute_each(ddf[["firm_id", "year"]].map_partitions(_firm_years, cands, meta=meta).to_delayed(),
                        f"duplicate candidates in {src}")
    rows = pd.concat(rows, ignore_index=True)
    counts = rows.groupby(["firm_id", "_y"], sort=True).size()
    return counts[counts > 1]


def _validate_dask(ddf, rules, standard, on_bad, src, files=None):
    """:func:`validate_register` on a dask DataFrame, partition by partition.

    Two passes over the register: the per-row checks (one small report per partition,
    gathered as partitions finish), then duplicate firm-years (:func:`_dask_duplicates`, over
    the two columns ``firm_id`` and ``year`` only). The clean
    register is lazy: it is checked again, partition by partition, when it is computed.
    """
    parts = ddf.map_partitions(_partition_report, rules, standard, meta=(None, object)).to_delayed()
    reports = compute_each(parts, f"checking {src}")
    counts: dict[str, int] = {}
    examples: dict[str, list] = {}
    for r in reports:
        for k, v in r["counts"].items():
            counts[k] = counts.get(k, 0) + v
        for k, v in r["examples"].items():
            examples.setdefault(k, []).extend(v)
    dups = _dask_duplicates(ddf, src)
    report_rows = []
    for flag, (col, what, expected) in PROBLEMS.items():
        if flag == "duplicate":
            if len(dups):
                ex = dups.index.tolist()[:N_EXAMPLES]
                report_rows.append({"problem": what, "column": col, "rows": int(dups.sum()),
                                    "examples": f"{src}: {int(dups.sum()):,} row(s) with {what} in column 'firm_id' "
                                                f"(e.g. {'; '.join(f'{i} in {y}' for i, y in ex)}): expected {expected}"})
        elif counts.get(flag):
            rows, vals = zip(*examples[flag][:N_EXAMPLES])
            report_rows.append({"problem": what, "column": col, "rows": counts[flag],
                                "examples": _summary(src, rows, col, vals, expected, what, files,
                                                     count=counts[flag])})
    report = pd.DataFrame(report_rows, columns=["problem", "column", "rows", "examples"])
    _raise_or_warn(report, src, on_bad, int(report["rows"].sum()) if len(report) else 0)
    if counts.get("area_moved"):
        rows, vals = zip(*examples["area_moved"][:N_EXAMPLES])
        msg = _summary(src, rows, "area_code", vals, "the code valid in the row's year",
                       "a district code not valid in that year", files, count=counts["area_moved"])
        warnings.warn(msg + ": counted under the code valid in that year", RegisterWarning, stacklevel=2)
    dup_keys = set(dups.index.tolist())
    flag_cols = [c for c in _check_partition(ddf._meta, rules, standard).columns if c in PROBLEMS]

    def fix(part: pd.DataFrame) -> pd.DataFrame:
        fl = _check_partition(part, rules, standard)
        bad = fl[flag_cols].to_numpy().any(axis=1)
        if dup_keys:
            keys = pd.MultiIndex.from_arrays([part["firm_id"], fl["_year"]])
            bad |= keys.isin(list(dup_keys))
        part = part.assign(area_code=fl["_area"].to_numpy(), year=fl["_year"].to_numpy())
        return part.loc[~bad]

    clean = ddf.map_partitions(fix, meta=fix(ddf._meta))
    return clean, report


# --------------------------------------------------------------------------- aggregation
TOTAL_COLUMNS = ["area_code", "year", "size", "firms"] + list(SUMMED)


def _partial_totals(df: pd.DataFrame, standard: SizeStandard) -> pd.DataFrame:
    """Firms and summed measures by area × year × size for one (partition of a) register."""
    size = df["size"] if "size" in df.columns else classify_size(df, standard)
    s = size.cat.codes.to_numpy().astype(np.int64) if isinstance(size.dtype, pd.CategoricalDtype) else \
        pd.Categorical(size, categories=SIZE_CATEGORIES).codes.astype(np.int64)
    acodes, auniq = _factorize(df["area_code"])
    ycodes, yuniq = pd.factorize(np.asarray(df["year"], dtype=np.int64))
    ns, ny = len(SIZE_CATEGORIES), max(len(yuniq), 1)
    key = (acodes.astype(np.int64) * ny + ycodes) * ns + s
    nkeys = max(len(auniq), 1) * ny * ns
    cols = {"firms": np.bincount(key, minlength=nkeys).astype(np.int64)}
    for m in SUMMED:
        v = _measure(df, m)
        if m in MONEY:
            v = np.rint(v * 1e4)  # whole 元: integer sums are exact in any order
        cols[m] = np.bincount(key, weights=np.nan_to_num(v, nan=0.0), minlength=nkeys)
    keep = cols["firms"] > 0
    idx = np.flatnonzero(keep)
    a, rest = np.divmod(idx, ny * ns)
    y, sz = np.divmod(rest, ns)
    out = pd.DataFrame({"area_code": np.asarray(auniq, dtype=object)[a] if len(auniq) else [],
                        "year": np.asarray(yuniq, dtype=np.int64)[y] if len(yuniq) else [],
                        "size": np.asarray(SIZE_CATEGORIES, dtype=object)[sz]})
    for k, v in cols.items():
        out[k] = v[keep]
    return out


def register_totals(df, standard: SizeStandard | None = None) -> pd.DataFrame:
    """Firms and totals by district × year × size class (a pandas DataFrame, long).

    Columns: ``area_code``, ``year``, ``size``, ``firms``, ``employees`` (人), ``revenue``,
    ``assets`` and ``tech_contract`` (万元, exact to the 元), ``patents`` (项). Blank
    measures count as 0 in the sums. ``df`` is a clean register (see
    :func:`validate_register`), pandas or dask; a ``size`` column is used if present, else
    the firms are classified.
    """
    standard = standard or load_standard()
    if _is_dask(df):
        meta = _partial_totals(df._meta.assign(year=np.zeros(0, np.int64)), standard)
        found = compute_each(df.map_partitions(_partial_totals, standard, meta=meta).to_delayed(),
                             "classifying and summing")
        parts = pd.concat(found, ignore_index=True) if found else meta
    else:
        parts = _partial_totals(df, standard)
    out = parts.groupby(["area_code", "year", "size"], as_index=False, sort=True).sum()
    for m in MONEY:
        out[m] = out[m] / 1e4
    out["area_code"] = out["area_code"].astype(str)
    return out[TOTAL_COLUMNS].reset_index(drop=True)


def small_micro_totals(totals: pd.DataFrame, plan: Plan | None = None) -> pd.DataFrame:
    """Wide table by district × year (plus the city, the plan's city code): small/micro firms and totals,
    employment stock (万人), its year-on-year change (万人), and the count of undetermined firms.

    The change links a renamed district to its predecessor (the new code's year − the old code's year before).
    """
    plan = plan or load_plan()
    rules = _AreaRules.from_plan(plan)
    sm = totals[totals["size"].isin(SMALL_MICRO)]
    cols = ["firms"] + list(SUMMED)
    wide = sm.groupby(["area_code", "year"], as_index=False)[cols].sum()
    und = totals[totals["size"] == UNDETERMINED].groupby(["area_code", "year"])["firms"].sum()
    allf = totals.groupby(["area_code", "year"])["firms"].sum()
    wide = allf.rename("all_firms").reset_index().merge(wide, on=["area_code", "year"], how="left")
    wide = wide.merge(und.rename("undetermined_firms").reset_index(), on=["area_code", "year"], how="left")
    city = wide.drop(columns="area_code").groupby("year", as_index=False).sum(min_count=1)
    city.insert(0, "area_code", plan.city_code)
    wide = pd.concat([wide, city], ignore_index=True)
    wide[["firms", "undetermined_firms"]] = wide[["firms", "undetermined_firms"]].fillna(0).astype(np.int64)
    wide[list(SUMMED)] = wide[list(SUMMED)].fillna(0.0)
    wide = wide.rename(columns={"firms": "small_micro_firms"})
    wide["employment_10k"] = wide["employees"] / 1e4
    stock = {(a, y): e for a, y, e in zip(wide["area_code"], wide["year"], wide["employment_10k"])}
    prev = []
    for a, y in zip(wide["area_code"], wide["year"]):
        p = rules.valid_in(a, int(y) - 1) if a != plan.city_code else a
        prev.append(stock.get((p, int(y) - 1), np.nan))
    wide["employment_change_10k"] = wide["employment_10k"] - np.asarray(prev, dtype=float)
    return wide.sort_values(["area_code", "year"], kind="stable").reset_index(drop=True)


def indicator_table(wide: pd.DataFrame, plan: Plan | None = None, *, status: str = "estimate",
                    source: str = "enterprise register") -> pd.DataFrame:
    """The tidy observations the reports read (indicator, area_code, year, value, unit,
    status, source, note) from :func:`small_micro_totals`, for the plan's years only.

    ``revenue`` and ``tech_contract`` in 万元, ``patents`` in 项, ``new_employment`` in
    万人次 = the year-on-year increase in small/micro employment (a proxy: the plan counts
    person-times of jobs provided, which a headcount stock cannot give exactly). A year whose
    previous year is absent has no new_employment row; a fall in employment (negative
    increase) is left out of the tidy table (the observations format takes values ≥ 0) with a
    warning, and stays visible in the wide table.
    """
    plan = plan or load_plan()
    if status not in STATUS_ORDER:
        raise ValueError(f"status must be one of {', '.join(STATUS_ORDER)}, got {status!r}")
    units = dict(zip(plan.indicators["code"], plan.indicators["unit"]))
    w = wide[(wide["year"] >= plan.base_year) & (wide["year"] <= plan.target_year)]
    note = t("register.note", "en")  # the tidy table's note column is English, like its source
    pieces = []
    for ind, col, n in (("revenue", "revenue", note), ("tech_contract", "tech_contract", note),
                        ("patents", "patents", note),
                        ("new_employment", "employment_change_10k", t("register.note_proxy", "en", note=note))):
        v = w[["area_code", "year", col]].dropna().rename(columns={col: "value"})
        if ind == "new_employment":
            neg = v["value"] < 0
            if neg.any():
                ex = ", ".join(f"{a} {y}: {x:.4f}" for a, y, x in v[neg].head(N_EXAMPLES).itertuples(index=False))
                warnings.warn(f"{int(neg.sum())} district-year(s) with falling small/micro employment (e.g. {ex}) "
                              "have no new_employment row (the observations format takes values ≥ 0); see the "
                              "wide table", RegisterWarning, stacklevel=2)
                v = v[~neg]
        v = v.assign(indicator=ind, unit=units[ind], note=n)
        pieces.append(v)
    out = pd.concat(pieces, ignore_index=True)
    out["status"] = status
    out["source"] = source
    out["year"] = out["year"].astype(int)
    out["value"] = out["value"].astype(float)
    order = {k: i for i, k in enumerate(TIDY_INDICATORS)}
    out = out.sort_values(["indicator", "area_code", "year"], key=lambda s: s.map(order) if s.name == "indicator"
                          else s, kind="stable")
    return out[["indicator", "area_code", "year", "value", "unit", "status", "source", "note"]].reset_index(drop=True)


def _distinct(s: pd.Series) -> set[str]:
    return set(pd.unique(s.dropna().astype(str)))


def _register_status(df, default: str, src: str = "register") -> str:
    if "status" not in df.columns:
        return default
    if _is_dask(df):  # distinct values partition by partition (no shuffle), only this column read
        parts = df["status"].map_partitions(_distinct, meta=(None, object)).to_delayed()
        seen = set().union(*compute_each(parts, f"status column of {src}"))
    else:
        seen = _distinct(df["status"])
    from .schema import STATUS_EXPECTED, parse_status
    read = {s: parse_status(s) for s in seen}  # 示例 → illustrative, 初步 → provisional: as in every input
    bad = [s for s, v in read.items() if v is None]
    if bad:
        raise InputError(f"{src}: column 'status': value {sorted(bad)[0]!r}: expected {STATUS_EXPECTED}")
    ranks = [STATUS_ORDER.index(s) for s in read.values()] + [STATUS_ORDER.index(default)]
    return STATUS_ORDER[max(ranks)]  # the weakest status present wins


def open_register(path, engine: str = "pandas"):
    """``(register, files)`` for a path: a pandas DataFrame (``engine="pandas"``, see
    :func:`read_register`) or a lazy dask DataFrame (``engine="dask"``).

    With dask, Parquet (a file, or a folder such as ``year=2017/district=<area code>/…``) is read
    piece by piece on the workers, only the columns used; a CSV file is read by this process
    and then split (convert a register larger than memory to Parquet). ``files`` names the
    files the row labels point into (None for one file).
    """
    if engine == "pandas":
        df = read_register(path)
        return df, df.attrs.get("files")
    if engine != "dask":
        raise ValueError(f"engine must be 'pandas' or 'dask', got {engine!r}")
    try:
        import dask.dataframe as dd
    except ImportError:
        raise InputError("the dask engine needs dask: pip install 'twocreate[scale]'") from None

    if partitioned.is_parquet_source(path):
        source = partitioned.discover(path, REQUIRED_COLUMNS)
        ddf = partitioned.to_dask(source, register_columns(source.columns))
        return ddf, source.files if Path(path).is_dir() else None
    df = read_register(path)
    return dd.from_pandas(df, npartitions=max(1, -(-len(df) // partitioned.PIECE_ROWS)), sort=False), None


def build_indicator_table(register, plan: Plan | None = None, *, on_bad: str = "error",
                          status: str = "estimate", with_wide: bool = False, engine: str = "pandas"):
    """Register (path to CSV/Parquet/folder of Parquet, pandas or dask DataFrame) → tidy indicator table.

    A path is read with ``engine`` (:func:`open_register`): ``"pandas"`` in this process,
    ``"dask"`` lazily, on the current ``dask.distributed`` client if there is one. Both give
    the same table.

    Steps: read, :func:`validate_register` (``on_bad``: ``"error"`` fails with counts and
    examples, ``"drop"`` drops bad rows and warns), :func:`classify_size`,
    :func:`register_totals`, :func:`small_micro_totals`, :func:`indicator_table`. The
    status is ``status`` unless the register's ``status`` column holds a weaker one (a
    synthetic register says ``illustrative``, and so does every output row). Undetermined
    firms are left out of the small/micro totals, with a warning giving their number.
    With ``with_wide=True`` returns ``(tidy, wide, report)``.
    """
    plan = plan or load_plan()
    standard = load_standard()
    if isinstance(register, (str, Path)):
        df, files = open_register(register, engine)
        src = Path(register).name
    else:
        df, files = register, None
        src = df.attrs.get("source", "register") if hasattr(df, "attrs") else "register"
    status = _register_status(df, status, src)
    clean, report = validate_register(df, plan, standard, on_bad=on_bad, files=files, source=src)
    totals = register_totals(clean, standard)
    und = totals.loc[totals["size"] == UNDETERMINED, "firms"].sum()
    if und:
        warnings.warn(f"{src}: {int(und):,} firm-year(s) undetermined (a measure the size rule needs is blank): "
                      "left out of the small/micro totals; see undetermined_firms in the wide table",
                      RegisterWarning, stacklevel=2)
    wide = small_micro_totals(totals, plan)
    source = f"computed by twocreate.enterprise from {src}"
    if status == "illustrative":
        source = f"SYNTHETIC register ({src}): illustrative only, not an official statistic; " + source
    tidy = indicator_table(wide, plan, status=status, source=source)
    return (tidy, wide, report) if with_wide else tidy


# --------------------------------------------------------------------------- commands
LOCAL_RE = re.compile(r"^local(?::(\d+))?$")


def parse_scheduler(value: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local`` / ``local:N`` (N workers, default 2), else ``("address", None)``."""
    m = LOCAL_RE.match(value.strip())
    if m:
        n = int(m.group(1)) if m.group(1) else 2
        if n < 1:
            raise InputError(f"--scheduler {value}: expected local:N with N ≥ 1 workers")
        return "local", n
    if not value.strip() or value.strip().startswith("local"):
        raise InputError(f"--scheduler {value!r}: expected a scheduler address (tcp://host:8786) or local[:N]")
    return value.strip(), None


# Arrow's own allocator keeps freed memory for reuse; on a worker with a memory limit that
# reads as a leak (measured: 330 MiB vs 250 MiB peak per worker on 2M rows). The system one returns it.
WORKER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system"}


def local_cluster(scheduler: str, memory_limit: str | None, threads: int):
    """A context manager giving a ``distributed.Client`` for ``--scheduler`` (module-level so
    that tests can use it)."""
    import contextlib

    try:
        import distributed
    except ImportError:
        raise InputError("--scheduler needs dask and distributed: pip install 'twocreate[scale]'") from None
    address, n = parse_scheduler(scheduler)
    if n is None:
        if memory_limit:
            raise InputError("--memory-limit applies to --scheduler local[:N] only: a cluster's workers "
                             "set their own limit (dask worker --memory-limit)")
        try:
            client = distributed.Client(address, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise InputError(f"--scheduler {address}: cannot connect ({exc}): expected the address of a running "
                             "dask scheduler, e.g. tcp://10.0.0.5:8786") from None
        return contextlib.closing(client)
    limit = memory_limit or "auto"
    if limit != "auto":
        from dask.utils import parse_bytes
        try:
            parse_bytes(limit)
        except (ValueError, TypeError):
            raise InputError(f"--memory-limit {limit}: expected a size such as 1.5GB or 800MiB") from None
    stack = contextlib.ExitStack()
    cluster = stack.enter_context(distributed.LocalCluster(
        n_workers=n, threads_per_worker=threads, memory_limit=limit, processes=True,
        dashboard_address=None, silence_logs=40, env=dict(WORKER_ENV)))
    stack.enter_context(distributed.Client(cluster))
    return stack
