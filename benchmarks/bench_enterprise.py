"""Benchmark: classify and aggregate N firm-year rows (default 2,000,000), pandas/numpy vs DuckDB SQL.

Run: ``.venv/bin/python benchmarks/bench_enterprise.py [--rows N] [--repeat 3]``.
Prints the best-of-``repeat`` time of ``classify_size`` + ``register_totals``, the peak
memory it allocates (tracemalloc, numpy and pandas buffers included) against the size of
the input columns, the time of the same classification and aggregation written in DuckDB SQL
(same data, same thresholds), and the ratio. The rows come from the SYNTHETIC register
(illustrative), tiled with new firm ids when N exceeds it; nothing is written to disk.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from twocreate import enterprise as ent  # noqa: E402
from twocreate.synthetic import synthetic_register  # noqa: E402

COLS = ["area_code", "year", "industry", "employees", "revenue", "assets", "patents", "tech_contract"]


def make_rows(n: int) -> pd.DataFrame:
    reg = synthetic_register(2015)
    reps = -(-n // len(reg))
    df = pd.concat([reg] * reps, ignore_index=True).iloc[:n] if reps > 1 else reg.iloc[:n]
    df = df[COLS].reset_index(drop=True)
    return df


def ours(df: pd.DataFrame) -> pd.DataFrame:
    size = ent.classify_size(df)
    return ent.register_totals(df.assign(size=size))


SQL = """
WITH r AS (
  SELECT reg.*, g.gid FROM reg JOIN codes g ON reg.industry = g.industry
), c AS (
  SELECT r.area_code, r.year, r.employees, r.revenue, r.assets, r.patents, r.tech_contract,
    -- met: every used bound ≥; failed: some used bound <; else unknown (a measure missing)
    (coalesce(r.employees >= t.xl, t.xl IS NULL) AND coalesce(r.revenue >= t.yl, t.yl IS NULL)
       AND coalesce(r.assets >= t.zl, t.zl IS NULL)) AS met_l,
    (coalesce(r.employees < t.xl, false) OR coalesce(r.revenue < t.yl, false) OR coalesce(r.assets < t.zl, false)) AS fail_l,
    (coalesce(r.employees >= t.xm, t.xm IS NULL) AND coalesce(r.revenue >= t.ym, t.ym IS NULL)
       AND coalesce(r.assets >= t.zm, t.zm IS NULL)) AS met_m,
    (coalesce(r.employees < t.xm, false) OR coalesce(r.revenue < t.ym, false) OR coalesce(r.assets < t.zm, false)) AS fail_m,
    (coalesce(r.employees >= t.xs, t.xs IS NULL) AND coalesce(r.revenue >= t.ys, t.ys IS NULL)
       AND coalesce(r.assets >= t.zs, t.zs IS NULL)) AS met_s,
    (coalesce(r.employees < t.xs, false) OR coalesce(r.revenue < t.ys, false) OR coalesce(r.assets < t.zs, false)) AS fail_s
  FROM r JOIN thr t ON r.gid = t.gid
), s AS (
  SELECT *, CASE
    WHEN met_l THEN 'large' WHEN NOT fail_l THEN 'undetermined'
    WHEN met_m THEN 'medium' WHEN NOT fail_m THEN 'undetermined'
    WHEN met_s THEN 'small' WHEN NOT fail_s THEN 'undetermined'
    ELSE 'micro' END AS size FROM c
)
SELECT area_code, year, size, count(*) AS firms, sum(coalesce(employees, 0)) AS employees,
  sum(round(coalesce(revenue, 0) * 10000)) / 10000 AS revenue, sum(round(coalesce(assets, 0) * 10000)) / 10000 AS assets,
  sum(coalesce(patents, 0)) AS patents, sum(round(coalesce(tech_contract, 0) * 10000)) / 10000 AS tech_contract
FROM s GROUP BY ALL ORDER BY ALL
"""


def duckdb_tables(df: pd.DataFrame):
    std = ent.load_standard()
    codes = pd.Series(pd.unique(df["industry"]))
    gids = [std.group_index(std.resolve(c)[0]) for c in codes]
    b = std.bounds  # (class, measure, group)
    thr = pd.DataFrame({"gid": range(len(std.groups))})
    for c, cl in enumerate(("s", "m", "l")):
        for m, ms in enumerate(("x", "y", "z")):
            thr[ms + cl] = b[c, m]
    return pd.DataFrame({"industry": codes, "gid": gids}), thr


def run_duckdb(con, df, codes, thr) -> pd.DataFrame:
    con.register("reg", df)
    con.register("codes", codes)
    con.register("thr", thr)
    return con.execute(SQL).df()


def best(fn, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="DuckDB threads (default: all cores)")
    args = ap.parse_args(argv)
    import duckdb

    t0 = time.perf_counter()
    df = make_rows(args.rows)
    input_bytes = int(df.memory_usage(deep=True, index=False).sum())
    print(f"rows: {len(df):,} (SYNTHETIC register, illustrative); generated in {time.perf_counter() - t0:.1f} s")
    print(f"input columns: {input_bytes / 2**20:.1f} MiB ({', '.join(COLS)}; industry/area_code as "
          f"{df['industry'].dtype})")
    ent.load_standard()  # read the thresholds once, outside the timing
    t_ours, res = best(lambda: ours(df), args.repeat)
    tracemalloc.start()
    ours(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    codes, thr = duckdb_tables(df)
    t_duck, dres = best(lambda: run_duckdb(con, df, codes, thr), args.repeat)
    a = res.sort_values(["area_code", "year", "size"]).reset_index(drop=True)
    d = dres.assign(area_code=dres["area_code"].astype(str)).sort_values(["area_code", "year", "size"]).reset_index(drop=True)
    same = len(a) == len(d) and (a["firms"].to_numpy() == d["firms"].to_numpy()).all() and \
        np.allclose(a["revenue"], d["revenue"].astype(float)) and np.allclose(a["employees"], d["employees"].astype(float))
    print(f"pandas/numpy (classify_size + register_totals): {t_ours:.3f} s (best of {args.repeat})")
    print(f"peak memory allocated: {peak / 2**20:.1f} MiB = {peak / input_bytes:.2f} × the input columns")
    print(f"DuckDB SQL ({args.threads} thread(s)): {t_duck:.3f} s (best of {args.repeat})")
    print(f"ratio pandas / DuckDB: {t_ours / t_duck:.2f} (aim ≤ 1.5); results agree: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
