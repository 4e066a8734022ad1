"""Firm size classes (大型, 中型, 小型, 微型) by 《中小企业划型标准规定》(工信部联企业〔2011〕300号),
whose thresholds 《统计上大中小微型企业划分办法（2017）》 repeats: the standard as data
(``data/raw/enterprise/``: thresholds and the GB/T 4754-2017 → industry-group mapping) and the
vectorised classification, on pandas or dask. :mod:`twocreate.enterprise` builds the indicators
from a register with it (and re-exports it).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import config, partitioned
from .io import InputError, Problem, read_sourced, read_table


def enterprise_dir() -> Path:
    """The shipped size thresholds and industry mappings (``data/raw/enterprise/``)."""
    return config.paths().raw / "enterprise"


MEASURES = ("employees", "revenue", "assets")  # X (人), Y (万元), Z (万元) of the standard
CLASSES = ("small", "medium", "large")  # classes with lower bounds, lowest first
UNDETERMINED = "undetermined"
SIZE_CATEGORIES = ["micro", "small", "medium", "large", UNDETERMINED]  # category codes 0..4
SMALL_MICRO = ("small", "micro")
CODE_RE = re.compile(r"^([A-T])?(\d{2}(?:\d{1,2})?)?$")
N_EXAMPLES = 3


# --------------------------------------------------------------------------- the standard
@dataclass(frozen=True)
class SizeStandard:
    """The size thresholds and industry mapping, as arrays for vectorised classification.

    ``bounds[c, m, g]`` is the lower bound of class ``CLASSES[c]`` on measure ``MEASURES[m]``
    for group ``groups[g]`` (人 or 万元); NaN where the group does not use the measure.
    """

    groups: tuple[str, ...]
    bounds: np.ndarray
    prefixes: dict[str, str]  # GB/T 4754 prefix → group
    sections: dict[str, tuple[int, int]]  # section letter → (first, last) division
    thresholds: pd.DataFrame
    group_table: pd.DataFrame

    def group_index(self, group: str) -> int:
        return self.groups.index(group)

    def resolve(self, code: object) -> tuple[str | None, str]:
        """(group, normalised code) of one GB/T 4754-2017 code, or (None, reason)."""
        if code is None or (isinstance(code, float) and np.isnan(code)):
            return None, "blank"
        s = str(code).strip().upper()
        m = CODE_RE.match(s)
        if not s or not m:
            return None, "not a GB/T 4754-2017 code"
        letter, digits = m.group(1), m.group(2)
        if digits:
            div = int(digits[:2])
            owner = next((sec for sec, (a, b) in self.sections.items() if a <= div <= b), None)
            if owner is None:
                return None, f"no GB/T 4754-2017 division {digits[:2]}"
            if letter and letter != owner:
                return None, f"division {digits[:2]} belongs to section {owner}, not {letter}"
            s = owner + digits
        match = max((p for p in self.prefixes if s.startswith(p)), key=len, default=None)
        group = self.prefixes[match] if match is not None else None
        finer = {self.prefixes[p] for p in self.prefixes if p.startswith(s) and len(p) > len(s)}
        if group is None and not finer:
            return None, "no industry group for this code"
        if finer - {group}:
            return None, "too coarse: give more digits (the code spans several industry groups)"
        return group, s


@lru_cache(maxsize=4)
def _load_standard_cached(directory: str) -> SizeStandard:
    d = Path(directory)
    problems: list[Problem] = []
    groups = read_table(d / "industry_groups.csv", required=["group", "name_zh", "measures", "article", "wording_zh"])
    thr_read = read_sourced(d / "size_thresholds.csv",
                            required=["group", "size", "measure", "lower_bound", "unit", "article", "wording_zh"])
    mapping_read = read_sourced(d / "gbt4754_to_group.csv", required=["prefix", "group", "basis", "wording_zh"])
    thr, mapping = thr_read.frame, mapping_read.frame
    sections = read_table(d / "gbt4754_sections.csv", required=["section", "first_division", "last_division"])
    names = tuple(groups["group"])
    bounds = np.full((len(CLASSES), len(MEASURES), len(names)), np.nan)
    src = thr_read.source
    for idx, r in thr.iterrows():
        ok = r["group"] in names and r["size"] in CLASSES and r["measure"] in MEASURES
        try:
            value = float(r["lower_bound"])
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.append(Problem(src, idx, None, dict(r), "a known group, a size of small/medium/large, "
                                    "a measure of employees/revenue/assets and a numeric lower_bound"))
            continue
        bounds[CLASSES.index(r["size"]), MEASURES.index(r["measure"]), names.index(r["group"])] = value
    for g, (gname, used) in enumerate(zip(names, groups["measures"])):
        used = set(str(used).split(";"))
        for m, meas in enumerate(MEASURES):
            col = bounds[:, m, g]
            if (meas in used) != (~np.isnan(col)).all() or ((meas not in used) and (~np.isnan(col)).any()):
                problems.append(Problem(src, None, None, gname, f"bounds for small, medium and large on exactly "
                                        f"the measures industry_groups.csv lists ({';'.join(sorted(used))})"))
            elif meas in used and not (col[0] <= col[1] <= col[2]):
                problems.append(Problem(src, None, None, gname, f"{meas} bounds rising from small to large"))
    bad_groups = set(mapping["group"]) - set(names)
    for g in sorted(bad_groups):
        problems.append(Problem(mapping_read.source, None, "group", g, "a group of industry_groups.csv"))
    if problems:
        raise InputError(str(problems[0]) + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
                         problems)
    return SizeStandard(
        groups=names, bounds=bounds,
        prefixes=dict(zip(mapping["prefix"].str.upper(), mapping["group"])),
        sections={s: (int(a), int(b)) for s, a, b in
                  zip(sections["section"], sections["first_division"], sections["last_division"])},
        thresholds=thr, group_table=groups)


def load_standard(directory: str | Path | None = None) -> SizeStandard:
    """Load and check the size standard from ``data/raw/enterprise/`` (cached)."""
    return _load_standard_cached(str(Path(directory) if directory is not None else enterprise_dir()))


# --------------------------------------------------------------------------- classification
def _is_dask(obj) -> bool:
    return type(obj).__module__.split(".")[0] in ("dask", "dask_expr")


def _factorize(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """(codes, uniques) of a column; codes −1 for missing. Categoricals are used as they are."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        return s.cat.codes.to_numpy(), pd.Index(s.cat.categories)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return np.asarray(codes), pd.Index(uniques)


def industry_groups(industry: pd.Series, standard: SizeStandard | None = None) -> tuple[np.ndarray, dict]:
    """Group index (into ``standard.groups``) of every row, −1 where the code is unknown.

    Also returns ``{raw code: reason}`` for the unknown codes. Each distinct code is resolved
    once, so a register of millions of rows with a few thousand codes costs one lookup each.
    """
    standard = standard or load_standard()
    codes, uniques = _factorize(industry)
    lookup = np.empty(len(uniques) + 1, dtype=np.int16)
    lookup[-1] = -1  # code −1 (missing) indexes the last slot
    unknown: dict = {}
    for i, u in enumerate(uniques):
        group, why = standard.resolve(u)
        if group is None:
            lookup[i] = -1
            unknown[u] = why
        else:
            lookup[i] = standard.group_index(group)
    if (codes < 0).any():
        unknown[None] = "blank"
    return lookup[codes], unknown


def _measure(df: pd.DataFrame, col: str) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), np.nan)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def classify_codes(group: np.ndarray, employees: np.ndarray, revenue: np.ndarray, assets: np.ndarray,
                   standard: SizeStandard | None = None) -> np.ndarray:
    """Size codes (int8 index into ``SIZE_CATEGORIES``) from arrays; NaN = missing measure.

    A firm takes the highest class whose every lower bound (on the measures its industry
    group uses) it meets; micro otherwise. With a measure missing, a class is met, failed or
    unknown (three-valued); the firm is ``undetermined`` (code 4) when the first class not
    failed is unknown.
    """
    standard = standard or load_standard()
    n = len(group)
    values = (employees, revenue, assets)
    out = np.zeros(n, dtype=np.int8)  # micro unless a class is met
    pending = np.ones(n, dtype=bool)
    for c in range(len(CLASSES) - 1, -1, -1):  # large, medium, small
        met = np.ones(n, dtype=bool)
        failed = np.zeros(n, dtype=bool)
        for m, v in enumerate(values):
            table = standard.bounds[c, m]
            if np.isnan(table).all():
                continue
            b = np.take(np.where(np.isnan(table), -np.inf, table), group)
            ge = v >= b  # False where v is NaN
            met &= ge | np.take(np.isnan(table), group)
            failed |= v < b
        out[pending & met] = c + 1
        out[pending & ~met & ~failed] = 4
        pending &= failed
    return out


def classify_size(df, standard: SizeStandard | None = None):
    """Size class of every firm: a categorical Series aligned with ``df``.

    ``df`` has ``industry`` (GB/T 4754-2017 code), ``employees`` (人), ``revenue`` (万元) and
    optionally ``assets`` (万元). Values are ``"large"``, ``"medium"``, ``"small"``, ``"micro"``,
    or ``"undetermined"`` when a measure the rule needs is missing and the others do not
    decide the class (an industrial firm with employees < 20 and revenue blank is micro: every
    higher class needs 20 or more). Raises :class:`InputError` for unknown industry codes or
    negative measures (see :func:`validate_register` to drop such rows instead).
    Works on a dask DataFrame too (partition by partition).
    """
    standard = standard or load_standard()
    if _is_dask(df):
        meta = pd.Series(pd.Categorical([], categories=SIZE_CATEGORIES), name="size")
        return df.map_partitions(classify_size, standard, meta=meta)
    group, unknown = industry_groups(df["industry"], standard)
    src = df.attrs.get("source", "register")
    if unknown:
        bad = group < 0
        raise InputError(_summary(src, df.index[bad], "industry", df["industry"].to_numpy()[bad],
                                  "a GB/T 4754-2017 code such as C3670 or F5211", "an unknown industry code",
                                  df.attrs.get("files")))
    vals = [_measure(df, m) for m in MEASURES]
    for m, v in zip(MEASURES, vals):
        neg = v < 0
        if neg.any():
            raise InputError(_summary(src, df.index[neg], m, v[neg], "a number ≥ 0", f"a negative {m}",
                                      df.attrs.get("files")))
    codes = classify_codes(group, *vals, standard=standard)
    return pd.Series(pd.Categorical.from_codes(codes, SIZE_CATEGORIES), index=df.index, name="size")


# --------------------------------------------------------------------------- messages
def _summary(src: str, rows, column: str | None, values, expected: str, what: str,
             files: tuple[str, ...] | None = None, count: int | None = None) -> str:
    """One line: file, count, column, up to N_EXAMPLES (row, value), expectation.

    ``files``: the file names a multi-file register's row labels point into
    (:func:`twocreate.partitioned.row_label`); ``count``: the number of rows when ``rows``
    holds only examples.
    """
    rows = list(rows)
    count = len(rows) if count is None else count
    ex = "; ".join(f"{partitioned.row_label(r, files)}: {(v.item() if isinstance(v, np.generic) else v)!r}"
                   for r, v in zip(rows[:N_EXAMPLES], list(values)[:N_EXAMPLES]))
    col = f" in column '{column}'" if column else ""
    return f"{src}: {count:,} row(s) with {what}{col} (e.g. {ex}): expected {expected}"
