"""A calibrated SYNTHETIC enterprise register (illustrative only, never an official statistic).

Deterministic from a seed (``numpy.random.Generator``). The calibration year (``calibration_year``
of ``data/raw/enterprise/synthetic_params.csv``) has the base-year figures of the plan's
``baseline.csv`` (its rows ``market_entities``, ``small_micro_share``, ``employment`` and
``revenue``: market entities, the small/micro share of them, small/micro employees and small/micro
operating revenue). Small/micro employees and revenue are matched exactly by a final rescale:
values are scaled and clipped to stay inside each firm's size class (so the rescale never moves a
firm across a threshold) until the totals match, then the last few persons / yuan are placed on firms
with room. Other years grow from the calibration year (firm survival, entry, revenue/employee growth,
patents and technology contracts), forwards to ``last_year`` and backwards to ``first_year``, with
the parameters of ``data/raw/enterprise/synthetic_*.csv``; firms are spread over the areas of
``synthetic_districts.csv`` (a fixed ``share`` of them, or by population). Every row has
``status = "illustrative"``.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from . import units
from .enterprise import (CLASSES, MEASURES, SUMMED, SizeStandard, _AreaRules, classify_codes, enterprise_dir,
                         load_standard)
from .io import InputError, atomic_path, neutralise_frame, read_table, write_csv
from .plan import Plan, load_plan

REGISTER_COLUMNS = ["firm_id", "year", "area_code", "industry", "employees", "revenue", "assets", "patents",
                    "tech_contract", "status"]


def _baseline_unit(plan: Plan, code: str) -> str:
    """The unit of a row of the plan's baseline.csv."""
    return str(plan.baseline.loc[plan.baseline["code"] == code, "unit"].iloc[0])


def _one_item() -> str:
    """A count unit of one item (the reference unit of counts in the units table)."""
    return next(u for u, row in units.table().items() if row.dimension == "count" and row.factor == 1)


def _params(directory: Path) -> dict[str, float]:
    t = read_table(directory / "synthetic_params.csv", required=["parameter", "value", "unit", "note"])
    return {k: float(v) for k, v in zip(t["parameter"], t["value"])}


def _draw_class(rng, n: int, cls: np.ndarray, group: np.ndarray, std: SizeStandard, p: dict) -> dict:
    """Employees (人), revenue and assets (万元) consistent with each firm's target class.

    ``cls`` is 0 micro … 3 large. Measures the group uses fall in the class's range; the
    others follow from them (revenue per employee, assets to revenue).
    """
    other = std.group_index("other")
    out = {}
    shape = np.array([p["micro_shape"], p["small_shape"], p["upper_shape"], p["upper_shape"]])[cls]
    u = rng.random((3, n))
    for m, meas in enumerate(MEASURES):
        b = std.bounds[:, m, :]  # (class, group)
        used = ~np.isnan(b[0, group])
        g = np.where(used, group, other) if meas == "employees" else group
        lo_b = np.where(cls == 0, 0.0, b[np.clip(cls - 1, 0, 2), g])
        hi_b = np.where(cls == 3, b[2, g] * 5, b[np.clip(cls, 0, 2), g])
        if meas == "employees":
            lo_b = np.where(cls == 0, 1.0, lo_b)
            v = np.floor(lo_b + (hi_b - lo_b) * u[m] ** shape)
            v = np.clip(v, lo_b, np.maximum(hi_b - 1, lo_b))
        else:
            lo_b = np.where(cls == 0, 0.02 * hi_b, lo_b)
            v = np.round(lo_b + (hi_b - lo_b) * u[m] ** shape, 2)
            v = np.clip(v, lo_b, hi_b - 0.01)
        out[meas] = np.where(used | (meas == "employees"), v, np.nan)
    noise = rng.lognormal(0.0, 0.5, (2, n))
    out["revenue"] = np.where(np.isnan(out["revenue"]),
                              np.round(out["employees"] * p["revenue_per_employee"] * noise[0], 2), out["revenue"])
    out["assets"] = np.where(np.isnan(out["assets"]),
                             np.round(out["revenue"] * p["assets_to_revenue"] * noise[1], 2), out["assets"])
    return out


def _class_range(cls: np.ndarray, group: np.ndarray, std: SizeStandard, meas: str) -> tuple[np.ndarray, np.ndarray]:
    """[lo, hi] a measure may take without moving a small/micro firm out of its class."""
    m = MEASURES.index(meas)
    b = std.bounds[:, m, :]
    used = ~np.isnan(b[0, group])
    step = 1.0 if meas == "employees" else 0.0001
    floor = 1.0 if meas == "employees" else 0.0
    lo = np.where(cls == 0, floor, np.nan_to_num(b[0, group]))
    hi = np.where(cls == 0, np.nan_to_num(b[0, group]) - step, np.nan_to_num(b[1, group]) - step)
    return np.where(used, lo, floor), np.where(used, hi, np.inf)


def _calibrate(v: np.ndarray, lo: np.ndarray, hi: np.ndarray, target: float, step: float, rng) -> np.ndarray:
    """Scale and clip ``v`` into [lo, hi] until it sums to ``target``, then place the rest in ``step``s."""
    for _ in range(100):
        v = np.clip(v * (target / v.sum()), lo, hi)
        if abs(v.sum() - target) <= step * 0.5 * len(v) ** 0.5:
            break
    units_ = np.rint(v / step).astype(np.int64)
    lo_u, hi_u = np.ceil(lo / step - 1e-9), np.where(np.isinf(hi), np.iinfo(np.int64).max, np.floor(hi / step + 1e-9))
    rest = int(round(target / step)) - int(units_.sum())
    order = rng.permutation(len(v))
    sign = 1 if rest > 0 else -1
    while rest != 0:
        room = (hi_u - units_) if sign > 0 else (units_ - lo_u)
        cand = order[room[order] > 0]
        if len(cand) == 0:
            raise RuntimeError("synthetic calibration: no room left to place the remainder")
        take = cand[:min(abs(rest), len(cand))]
        units_[take] += sign
        rest -= sign * len(take)
    return units_ * step


def _patenting(industries: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    pat = dict(zip(industries["industry"], industries["patenting"].astype(int)))
    return np.array([pat[c] for c in codes], dtype=bool)


def _cross_section(rng, n: int, plan: Plan, std: SizeStandard, p: dict, ind: pd.DataFrame,
                   districts: list[str], dweights: np.ndarray, scale: float) -> pd.DataFrame:
    """The firms of the calibration year, matched to the plan's base-year figures (``baseline.csv``)."""
    weights = ind["weight"].astype(float).to_numpy()
    codes = rng.choice(ind["industry"].to_numpy(), size=n, p=weights / weights.sum())
    group = np.array([std.group_index(std.resolve(c)[0]) for c in ind["industry"]])[
        pd.Index(ind["industry"]).get_indexer(codes)]
    n_sm = int(round(n * plan.baseline_value("small_micro_share") / 100))
    n_large = int(round(n * p["share_large"]))
    n_medium = int(round(n * p["share_medium"]))
    cls = np.full(n, -1, dtype=np.int8)  # −1: files no figures (undetermined)
    cls[:n_sm] = np.where(rng.random(n_sm) < p["small_share_of_small_micro"], 1, 0)
    cls[n_sm:n_sm + n_medium] = 2
    cls[n_sm + n_medium:n_sm + n_medium + n_large] = 3
    cls = cls[rng.permutation(n)]
    m = _draw_class(rng, n, np.maximum(cls, 0), group, std, p)
    sm = cls >= 0
    sm &= cls <= 1
    emp_target = round(units.convert(plan.baseline_value("employment"), _baseline_unit(plan, "employment"),
                                     SUMMED["employees"]) * scale)
    rev_target = round(units.convert(plan.baseline_value("revenue"), _baseline_unit(plan, "revenue"),
                                     SUMMED["revenue"]) * scale, 2)
    lo, hi = _class_range(cls[sm], group[sm], std, "employees")
    m["employees"][sm] = _calibrate(m["employees"][sm], lo, hi, emp_target, 1.0, rng)
    lo, hi = _class_range(cls[sm], group[sm], std, "revenue")
    m["revenue"][sm] = _calibrate(m["revenue"][sm], lo, hi, rev_target, 0.0001, rng)
    for k in MEASURES:
        m[k][cls < 0] = np.nan
    patenting = _patenting(ind, codes)
    holders = patenting & (rng.random(n) < p["patent_holder_share"])
    patents = np.where(holders, 1 + rng.poisson(p["patents_mean"] - 1, n), 0).astype(float)
    area = rng.choice(np.asarray(districts, dtype=object), size=n, p=dweights)
    return pd.DataFrame({"industry": codes, "area_base": area, "employees": m["employees"],
                         "revenue": m["revenue"], "assets": m["assets"], "patents": patents,
                         "patenting": patenting, "_upper": cls >= 2})


def _tech_contracts(rng, frame: pd.DataFrame, p: dict, years_from_base: int) -> np.ndarray:
    share = p["tech_contract_share"] * (1 + p["tech_contract_growth"]) ** years_from_base
    has = frame["patenting"].to_numpy() & (rng.random(len(frame)) < share) & frame["revenue"].notna().to_numpy()
    sd = 1.0
    mu = np.log(p["tech_contract_mean"]) - sd * sd / 2
    return np.where(has, np.round(rng.lognormal(mu, sd, len(frame)), 2), 0.0)


def _resample(rng, pool: pd.DataFrame, n: int, shrink: float, districts: list[str],
              dweights: np.ndarray) -> pd.DataFrame:
    """``n`` new firms drawn from ``pool`` (measures × ``shrink``; districts drawn afresh)."""
    f = pool.iloc[rng.integers(0, len(pool), n)].reset_index(drop=True)
    if shrink != 1.0:
        f["employees"] = np.maximum(1.0, np.rint(f["employees"].to_numpy() * shrink))
        f["revenue"] = np.round(f["revenue"].to_numpy() * shrink, 2)
        f["assets"] = np.round(f["assets"].to_numpy() * shrink, 2)
        f["patents"] = 0.0
    f["area_base"] = rng.choice(np.asarray(districts, dtype=object), size=n, p=dweights)
    return f


def _step(rng, frame: pd.DataFrame, p: dict, direction: int, keep_share: float) -> pd.DataFrame:
    """Firms of ``frame`` present one year later (direction +1) or earlier (−1), grown or shrunk."""
    n = len(frame)
    keep = rng.random(n) < keep_share
    f = frame.loc[keep].copy()
    k = len(f)
    g_rev = np.exp(direction * rng.normal(p["revenue_log_growth_mean"], p["revenue_log_growth_sd"], k))
    g_emp = np.exp(direction * rng.normal(p["employee_log_growth_mean"], p["employee_log_growth_sd"], k))
    f["revenue"] = np.round(f["revenue"].to_numpy() * g_rev, 2)
    f["assets"] = np.round(f["assets"].to_numpy() * g_rev ** 0.8, 2)
    f["employees"] = np.maximum(1.0, np.rint(f["employees"].to_numpy() * g_emp))
    pat = f["patents"].to_numpy()
    patenting = f["patenting"].to_numpy()
    if direction > 0:
        new_holder = patenting & (pat == 0) & (rng.random(k) < p["new_holder_rate"])
        pat = pat + np.where(pat > 0, rng.poisson(p["patent_grants_per_holder"], k), 0) + new_holder
    else:
        pat = np.maximum(0.0, pat - np.where(pat > 0, rng.poisson(p["patent_grants_per_holder"], k), 0))
    f["patents"] = pat.astype(float)
    return f


# long: the calibrated draws in order from one random generator: reordering them changes the register
def synthetic_register(seed: int = 2015, plan: Plan | None = None, directory: str | Path | None = None, *,
                       scale: float = 1.0) -> pd.DataFrame:
    """The SYNTHETIC register, one row per firm and year (first_year … last_year).

    ``scale`` < 1 draws a proportionally smaller city (entities and the calibration year's targets
    × scale), for quick tests; the default is the calibrated full size.

    Columns as :mod:`twocreate.enterprise` reads them, plus ``status = "illustrative"``.
    ``area_code`` is the code valid in each year (an area renamed in the period under its old code
    before, its ``successor_code`` after: ``valid_from``/``valid_to`` of areas.csv).
    """
    plan = plan or load_plan()
    d = Path(directory) if directory is not None else enterprise_dir()
    std = load_standard()
    p = _params(d)
    ind = read_table(d / "synthetic_industries.csv", required=["industry", "weight", "patenting"])
    dist = read_table(d / "synthetic_districts.csv", required=["name_zh", "population_10k"])
    names = dict(zip(plan.areas["name_zh"], plan.areas["area_code"].astype(str)))
    unknown = [n for n in dist["name_zh"] if n not in names]
    if unknown:
        raise InputError(f"synthetic_districts.csv: column 'name_zh': value {unknown[0]!r}: expected a name of areas.csv")
    # areas with a fixed share of the firms (a functional zone without a population of its own) first,
    # the rest of the firms by population
    share = dist["share"] if "share" in dist.columns else pd.Series([None] * len(dist), index=dist.index)
    fixed = share.notna()
    shares = share[fixed].astype(float).to_numpy()
    pop = dist.loc[~fixed, "population_10k"].astype(float).to_numpy()
    districts = [names[n] for n in dist.loc[fixed, "name_zh"]] + [names[n] for n in dist.loc[~fixed, "name_zh"]]
    dweights = np.concatenate([shares, (1 - shares.sum()) * pop / pop.sum()])
    rng = np.random.default_rng(seed)
    y0, y1, yc = int(p["first_year"]), int(p["last_year"]), int(p["calibration_year"])
    n0 = int(round(units.convert(plan.baseline_value("market_entities"), _baseline_unit(plan, "market_entities"),
                                 _one_item()) * scale))
    base = _cross_section(rng, n0, plan, std, p, ind, districts, dweights, scale)
    base.insert(0, "firm_id", np.arange(n0, dtype=np.int64))
    # entrants (forwards) and exiters (backwards) are drawn from the calibrated firms
    # that are not medium or large, so every year has the same mix of firms filing no figures
    pool = base[~base.pop("_upper").to_numpy()]
    years = {yc: base}
    next_id = n0
    s_rate, e_rate = p["survival_rate"], p["entry_rate"]
    for direction, rng_years in ((+1, range(yc + 1, y1 + 1)), (-1, range(yc - 1, y0 - 1, -1))):
        prev = base
        for y in rng_years:
            if direction > 0:  # survivors grow; entrants are smaller than established firms
                f = _step(rng, prev, p, +1, s_rate)
                n_new, shrink = int(round(len(prev) * e_rate)), p["entrant_size_factor"]
            else:  # firms that had not yet entered drop out; firms that exited since come back
                f = _step(rng, prev, p, -1, s_rate / (s_rate + e_rate))
                n_new, shrink = int(round(len(prev) / (s_rate + e_rate) * (1 - s_rate))), 1.0
            new = _resample(rng, pool, n_new, shrink, districts, dweights)
            new["firm_id"] = np.arange(next_id, next_id + n_new, dtype=np.int64)
            next_id += n_new
            years[y] = pd.concat([f, new], ignore_index=True)
            prev = years[y]
    rules = _AreaRules.from_plan(plan)
    out = []
    for y in sorted(years):
        f = years[y]
        f = f.assign(year=y, tech_contract=_tech_contracts(rng, f, p, y - yc), status="illustrative")
        codes = {a: rules.valid_in(a, y) for a in districts}
        f["area_code"] = f["area_base"].map(codes)
        out.append(f[REGISTER_COLUMNS])
    reg = pd.concat(out, ignore_index=True)
    reg.attrs["source"] = f"synthetic register (seed {seed})"
    return reg


CHUNK_SCALE = 1.0  # one chunk of synthetic_chunks: at most the calibrated city (≈ 2.6M firm-years)
MIN_SCALE = 0.002  # smallest city drawn (≈ 5,000 firm-years); extra rows are dropped
FIRM_ID_STRIDE = 10 ** 10  # firm ids of chunk k start at k × stride


def synthetic_chunks(rows: int, seed: int = 2015, plan: Plan | None = None) -> Iterator[pd.DataFrame]:
    """Exactly ``rows`` SYNTHETIC firm-years, as a sequence of DataFrames (bounded memory).

    Each chunk is a whole synthetic city (:func:`synthetic_register` with seed ``seed + k``
    and a scale chosen so that the chunks add up to ``rows``; firm ids offset by
    ``k × 10**10``, so they never collide); the last chunk drops random rows to hit
    ``rows`` exactly. A register of any size, for tests and benchmarks: illustrative only.
    """
    if rows < 1:
        raise InputError(f"--rows {rows}: expected a positive number of firm-years")
    plan = plan or load_plan()
    per_scale = len(synthetic_register(seed, plan, scale=0.01)) / 0.01  # rows of the city at scale 1
    left, k = rows, 0
    rng = np.random.default_rng(seed)
    while left > 0:
        scale = min(CHUNK_SCALE, max(MIN_SCALE, left / per_scale * 1.03))
        reg = synthetic_register(seed + k, plan, scale=scale)
        reg["firm_id"] = reg["firm_id"] + k * FIRM_ID_STRIDE
        if len(reg) > left:
            keep = np.sort(rng.choice(len(reg), size=left, replace=False))
            reg = reg.iloc[keep].reset_index(drop=True)
        left -= len(reg)
        k += 1
        yield reg


def _schema(df: pd.DataFrame):
    import pyarrow as pa
    return pa.Schema.from_pandas(df, preserve_index=False)


@contextlib.contextmanager
def _atomic_folder(target: Path) -> Iterator[Path]:
    """A temporary folder beside ``target``, put in its place on success only."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
            os.replace(target, old / target.name)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


ILLUSTRATIVE_NOTE = ("SYNTHETIC enterprise register written by `twocreate synth-register` (seed {seed}, {rows:,} "
                     "firm-years): illustrative only, not an official statistic. Every row has "
                     "status = illustrative.\n")


def write_partitioned(chunks, target: str | Path, seed: int = 2015) -> tuple[Path, int, int]:
    """Write register chunks as a hive-partitioned Parquet folder, atomically.

    Layout ``year=Y/district=AREA/part-0.parquet`` (``year`` and ``area_code`` live in the
    folder names, not in the files); each chunk adds one row group to each file, so memory
    stays at one chunk. A ``_ILLUSTRATIVE.txt`` note marks the folder as synthetic (readers
    skip files starting with ``_``). Returns (folder, rows, files).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = Path(target)
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder: expected a folder for --partitioned")
    writers: dict[tuple[int, str], pq.ParquetWriter] = {}
    rows = 0
    with _atomic_folder(target) as tmp:
        try:
            for chunk in chunks:
                rows += len(chunk)
                body = chunk.drop(columns=["year", "area_code"])
                schema = _schema(body)
                for (y, a), idx in chunk.groupby(["year", "area_code"], sort=True).indices.items():
                    key = (int(y), str(a))
                    if key not in writers:
                        folder = tmp / f"year={key[0]}" / f"district={key[1]}"
                        folder.mkdir(parents=True, exist_ok=True)
                        writers[key] = pq.ParquetWriter(folder / "part-0.parquet", schema)
                    writers[key].write_table(pa.Table.from_pandas(body.iloc[idx], schema=schema,
                                                                  preserve_index=False))
        finally:
            for w in writers.values():
                w.close()
        (tmp / "_ILLUSTRATIVE.txt").write_text(ILLUSTRATIVE_NOTE.format(seed=seed, rows=rows), encoding="utf-8")
    return target, rows, len(writers)


def write_register(df, target: str | Path) -> Path:
    """Write a register (a DataFrame, or an iterable of DataFrame chunks) as CSV (UTF-8-BOM)
    or Parquet, atomically, by the file's suffix."""
    target = Path(target)
    chunks = [df] if isinstance(df, pd.DataFrame) else df
    if target.suffix.lower() in (".parquet", ".pq"):
        import pyarrow as pa
        import pyarrow.parquet as pq
        with atomic_path(target) as tmp:
            writer = None
            try:
                for chunk in chunks:
                    if writer is None:
                        schema = _schema(chunk)
                        writer = pq.ParquetWriter(tmp, schema)
                    writer.write_table(pa.Table.from_pandas(chunk, schema=schema, preserve_index=False))
            finally:
                if writer is not None:
                    writer.close()
        return target
    if isinstance(df, pd.DataFrame):
        return write_csv(df, target)
    with atomic_path(target) as tmp:
        for i, chunk in enumerate(chunks):
            chunk = neutralise_frame(chunk)
            chunk.to_csv(tmp, mode="w" if i == 0 else "a", header=i == 0, index=False,
                         encoding="utf-8-sig" if i == 0 else "utf-8", lineterminator="\n")
    return target
