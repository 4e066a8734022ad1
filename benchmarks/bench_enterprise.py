"""Benchmark: classify and aggregate N firm-year rows, pandas/numpy vs DuckDB SQL; and, with
``--partitioned``, the whole ``twocreate register`` pipeline on one machine vs a LocalCluster.

In memory (default, 2,000,000 rows)::

    .venv/bin/python benchmarks/bench_enterprise.py [--rows N] [--repeat 5]

times ``classify_size`` + ``register_totals`` and the same classification and aggregation
written in DuckDB SQL (same data, same thresholds), ``repeat`` times each, and prints the
median with the spread (min–max): on a shared 2-core machine single runs vary by ±50 %, so the
ratio is that of the medians. Also the peak memory it allocates (tracemalloc) against the
size of the input columns.

Out of core (``--partitioned``)::

    .venv/bin/python benchmarks/bench_enterprise.py --rows 20000000 --partitioned [--data DIR]

writes the SYNTHETIC register (illustrative) of N rows once as one Parquet file and as a
folder partitioned by year and district (kept in ``--data`` for later runs), then runs, each
in a fresh process, and prints wall time (s) and the driver's peak resident memory (MiB):

- ``pandas``: ``build_indicator_table`` on the one file, in this process (the command without
  ``--scheduler``);
- ``cluster``: the same on the folder, on a LocalCluster of 2 workers limited to 1.5 GB each
  (the command with ``--scheduler local:2 --memory-limit 1.5GB``); also each worker's peak;
- ``duckdb``: the classification and aggregation in DuckDB SQL on the same folder (no
  validation: less work than the other two).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
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


def timed(fn, repeat: int) -> tuple[list[float], object]:
    """Wall times (s) of ``repeat`` runs, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return times, out


def spread(times: list[float]) -> str:
    return (f"median {statistics.median(times):.3f} s (min {min(times):.3f}, max {max(times):.3f}, "
            f"{len(times)} runs)")


# --------------------------------------------------------------------------- out of core
WORKER_LIMIT = "1.5GB"


def peak_rss_mib() -> float:
    """Peak resident memory of this process, MiB (VmHWM: reset by exec, unlike ru_maxrss)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(rows: int, data: Path) -> tuple[Path, Path]:
    """The SYNTHETIC register of ``rows`` rows as one file and as a partitioned folder (reused)."""
    from twocreate import synthetic
    d = data / f"rows-{rows}"
    one, folder = d / "register.parquet", d / "partitioned"
    if not one.exists():
        t = time.perf_counter()
        synthetic.write_register(synthetic.synthetic_chunks(rows), one)
        print(f"wrote {one} in {time.perf_counter() - t:.0f} s", flush=True)
    if not folder.exists():
        t = time.perf_counter()
        synthetic.write_partitioned(synthetic.synthetic_chunks(rows), folder)
        print(f"wrote {folder} in {time.perf_counter() - t:.0f} s", flush=True)
    return one, folder


def small_micro_revenue(tidy: pd.DataFrame) -> float:
    """Check figure: small/micro revenue (万元) of the city over the plan's years."""
    return float(tidy.loc[(tidy.indicator == "revenue") & (tidy.area_code == "370100"), "value"].sum())


def run_one(mode: str, path: str) -> dict:
    """One configuration, in this (fresh) process: wall time (s), peak memory (MiB), check figure."""
    out: dict = {"mode": mode}
    warnings.simplefilter("ignore")
    if mode == "pandas":
        t = time.perf_counter()
        tidy = ent.build_indicator_table(path)
        out["wall_s"] = time.perf_counter() - t
        out["check"] = small_micro_revenue(tidy)
    elif mode == "cluster":
        import distributed
        t0 = time.perf_counter()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, memory_limit=WORKER_LIMIT, processes=True,
                                      dashboard_address=None, silence_logs=40, env=ent.WORKER_ENV) as cluster, \
                distributed.Client(cluster) as client:
            t = time.perf_counter()
            out["startup_s"] = t - t0
            tidy = ent.build_indicator_table(path, engine="dask")
            out["wall_s"] = time.perf_counter() - t
            out["worker_peak_mib"] = sorted(client.run(peak_rss_mib).values())
        out["check"] = small_micro_revenue(tidy)
    elif mode == "duckdb":
        import duckdb
        t = time.perf_counter()
        con = duckdb.connect()
        con.execute("SET threads = 2")
        src = f"read_parquet('{path}/**/*.parquet', hive_partitioning = true)"
        con.execute(f"CREATE VIEW reg AS SELECT district AS area_code, year, industry, employees, revenue, assets, "
                    f"patents, tech_contract FROM {src}")
        codes = con.execute("SELECT DISTINCT industry FROM reg").df()
        codes, thr = duckdb_tables(codes)
        con.register("codes", codes)
        con.register("thr", thr)
        res = con.execute(SQL).df()
        out["wall_s"] = time.perf_counter() - t
        sm = res[res["size"].isin(["small", "micro"]) & res["year"].between(2015, 2018)]
        out["check"] = float(sm["revenue"].astype(float).sum())
    out["driver_peak_mib"] = peak_rss_mib()
    return out


def partitioned_bench(args) -> int:
    data = Path(args.data) if args.data else Path(tempfile.gettempdir()) / "twocreate-bench"
    one, folder = prepare(args.rows, data)
    size = sum(f.stat().st_size for f in folder.rglob("*.parquet"))
    src = ent.partitioned.discover(folder, ent.REQUIRED_COLUMNS)
    piece = ent.partitioned.read_piece(src, src.pieces[0], ent.register_columns(src.columns))
    in_mem = piece.memory_usage(deep=True).sum() / max(len(piece), 1) * args.rows
    print(f"rows: {args.rows:,} (SYNTHETIC register, illustrative); Parquet {size / 2**20:,.0f} MiB on disk, "
          f"≈ {in_mem / 2**30:.2f} GiB as a pandas frame; {len(src.files)} files, {len(src.pieces)} partitions")
    results = {}
    for mode, path in (("pandas", one), ("cluster", folder), ("duckdb", folder)):
        runs = []
        for _ in range(args.repeat):
            proc = subprocess.run([sys.executable, __file__, "--run", mode, "--path", str(path)],
                                  capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{mode}: failed\n{proc.stderr[-3000:]}")
                break
            runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        if not runs:
            continue
        results[mode] = runs
        walls = [r["wall_s"] for r in runs]
        line = (f"{mode:8s} wall {statistics.median(walls):8.1f} s" + (f" (min {min(walls):.1f}, max {max(walls):.1f})"
                                                                      if len(runs) > 1 else "")
                + f"; driver peak {max(r['driver_peak_mib'] for r in runs):7,.0f} MiB")
        if mode == "cluster":
            line += (f"; workers' peaks {', '.join(f'{p:,.0f}' for p in runs[-1]['worker_peak_mib'])} MiB "
                     f"(limit {WORKER_LIMIT} each); cluster start-up {runs[-1]['startup_s']:.1f} s")
        print(line, flush=True)
    checks = {m: r[-1]["check"] for m, r in results.items()}
    agree = len(set(round(v, 2) for v in checks.values())) == 1
    print(f"check (small/micro revenue 2015–2018, 万元): {checks}; agree: {agree}")
    return 0 if agree and len(results) == 3 else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=2_000_000)
    ap.add_argument("--repeat", type=int, default=None,
                    help="runs of each (default 5 in memory, 1 with --partitioned); the median is printed")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="DuckDB threads (default: all cores)")
    ap.add_argument("--partitioned", action="store_true", help="whole pipeline: one file, LocalCluster, DuckDB")
    ap.add_argument("--data", help="with --partitioned: folder for the generated registers (default: temp folder)")
    ap.add_argument("--run", choices=["pandas", "cluster", "duckdb"], help=argparse.SUPPRESS)
    ap.add_argument("--path", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.run:
        print(json.dumps(run_one(args.run, args.path)))
        return 0
    if args.partitioned:
        args.repeat = args.repeat or 1
        return partitioned_bench(args)
    args.repeat = args.repeat or 5
    import duckdb

    t0 = time.perf_counter()
    df = make_rows(args.rows)
    input_bytes = int(df.memory_usage(deep=True, index=False).sum())
    print(f"rows: {len(df):,} (SYNTHETIC register, illustrative); generated in {time.perf_counter() - t0:.1f} s")
    print(f"input columns: {input_bytes / 2**20:.1f} MiB ({', '.join(COLS)}; industry/area_code as "
          f"{df['industry'].dtype})")
    ent.load_standard()  # read the thresholds once, outside the timing
    con = duckdb.connect()
    con.execute(f"SET threads = {args.threads}")
    codes, thr = duckdb_tables(df)
    t_ours, t_duck = [], []
    for _ in range(args.repeat):  # interleaved, so that a busy moment of the machine hits both
        t, res = timed(lambda: ours(df), 1)
        t_ours += t
        t, dres = timed(lambda: run_duckdb(con, df, codes, thr), 1)
        t_duck += t
    tracemalloc.start()
    ours(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    a = res.sort_values(["area_code", "year", "size"]).reset_index(drop=True)
    d = dres.assign(area_code=dres["area_code"].astype(str)).sort_values(["area_code", "year", "size"]).reset_index(drop=True)
    same = len(a) == len(d) and (a["firms"].to_numpy() == d["firms"].to_numpy()).all() and \
        np.allclose(a["revenue"], d["revenue"].astype(float)) and np.allclose(a["employees"], d["employees"].astype(float))
    ratios = [o / k for o, k in zip(t_ours, t_duck)]
    print(f"pandas/numpy (classify_size + register_totals): {spread(t_ours)}")
    print(f"peak memory allocated: {peak / 2**20:.1f} MiB = {peak / input_bytes:.2f} × the input columns")
    print(f"DuckDB SQL ({args.threads} thread(s)): {spread(t_duck)}")
    print(f"ratio pandas / DuckDB: {statistics.median(t_ours) / statistics.median(t_duck):.2f} (medians; aim ≤ 1.5); "
          f"run by run {min(ratios):.2f}–{max(ratios):.2f}; results agree: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
