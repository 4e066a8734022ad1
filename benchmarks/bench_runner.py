"""Benchmark: the runner's builds, incremental rebuilds, and the naive papermill + nbconvert chain.

Prints, on the same machine in one run (wall-clock seconds; a benchmark prints figures, it is not
a test):

1. a cold full build — what `make reports` builds (every report year, both languages);
2. a no-op rebuild of the same (aim ≤ 2 s);
3. a rebuild after changing one district's outturn row (only the reports that read the outturns);
4. the marginal cost per extra notebook: district profiles, 3 → 20 (aim ≤ 0.8 s, issue 21);
5. the ratio of the runner to the naive chain on the standard set (aim ≤ 0.20, issue 21);
6. the cold full build as a ratio to the same run's naive chain: figure 1 ÷ (its reports × figure 5's
   naive seconds per notebook); issue 21 asks for half of the 0.44 it measured (233 s ÷ 90 × 5.9 s);

after figures 3 and 5, where the time of the cold full build and of the standard set went (the
runner's ``_logs/timings.json``): per report kind × language the mean seconds of each part (kernel
wait, execution, export, font subset, writing, the rest), then the build totals. ``--split FILE``
prints that table for the timings.json of any run and exits.

    .venv/bin/python benchmarks/bench_runner.py [--langs zh en] [--skip-full] [--skip-scaling]
    .venv/bin/python benchmarks/bench_runner.py --split reports/_logs/timings.json
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from twocreate import build  # noqa: E402
from twocreate.build import kernels  # noqa: E402
from twocreate.build.execute import TIMINGS_FILE  # noqa: E402
from twocreate.build.jobs import TIMING_PARTS  # noqa: E402
from twocreate.plan import load_plan  # noqa: E402


def sh(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kw)


def standard_jobs(langs: list[str], out: Path) -> list[build.Job]:
    plan = load_plan()
    specs = build.discover()
    first_area = build.batch_areas(plan, "district")[0]
    jobs = build.plan_jobs(specs, plan.target_year, langs, out, None, plan=plan)
    return [j for j in jobs if j.area_code in (None, first_area)]


def time_runner(args: list[str], out: Path) -> float:
    t0 = time.perf_counter()
    sh([str(BIN / "twocreate"), "run", "--out", str(out), *args])
    return time.perf_counter() - t0


def time_naive(jobs: list[build.Job], work: Path) -> float:
    t0 = time.perf_counter()
    for k, job in enumerate(jobs):
        executed = work / f"{k:02d}_{job.spec.name}.ipynb"
        params: list[str] = []
        for name, value in job.parameters.items():
            params += ["-p", name, str(value)]
        params += ["-p", "processed_dir", str(work / "processed")]
        sh([str(BIN / "papermill"), str(job.spec.path), str(executed), "-k", kernels.KERNEL_NAME,
            "--cwd", str(job.spec.path.parent), "--no-progress-bar", *params])
        sh([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return time.perf_counter() - t0


def split_lines(data: dict, wall: float | None = None, title: str = "the build") -> list[str]:
    """The table of a run's timings.json (``data``): per report kind × language the mean seconds of
    each part and of the whole report (``other``: the job's bookkeeping, total less the parts), then
    the sums over every report and how they compare with the build's wall time on its workers
    (``wall``: the whole command's wall time, if measured)."""
    cols = (*TIMING_PARTS, "other", "total")
    groups: dict[tuple[str, str], list[dict]] = {}
    for e in data["reports"]:
        row = {p: float(e[p]) for p in TIMING_PARTS}
        row["total"] = float(e["total"])
        row["other"] = max(0.0, row["total"] - sum(row[p] for p in TIMING_PARTS))
        groups.setdefault((e["kind"], e["lang"]), []).append(row)
    head = f"   {'kind':<22}{'lang':<5}{'n':>4}" + "".join(f"{c:>9}" for c in cols)
    lines = [f"   where the time of {title} went (seconds; mean per report of each part):", head]
    for (kind, lang), rows in sorted(groups.items()):
        means = "".join(f"{sum(r[c] for r in rows) / len(rows):9.2f}" for c in cols)
        lines.append(f"   {kind:<22}{lang:<5}{len(rows):>4}{means}")
    every = [r for rows in groups.values() for r in rows]
    sums = {c: sum(r[c] for r in every) for c in cols}
    lines.append(f"   {'sum over every report':<27}{len(every):>4}" + "".join(f"{sums[c]:9.1f}" for c in cols))
    share = "".join(f"{100 * sums[c] / sums['total'] if sums['total'] else 0:8.0f}%" for c in cols)
    lines.append(f"   {'share of the sum':<31}{share}")
    workers, build = int(data.get("workers", 1)), float(data.get("build_seconds", 0.0))
    busy = sums["total"] / (workers * build) if build else 0.0
    lines.append(f"   build wall {build:.1f} s on {workers} worker(s): the reports' sum {sums['total']:.1f} s is "
                 f"{sums['total'] / build if build else 0:.2f} × the wall (workers busy {100 * busy:.0f}% of "
                 f"{workers} × wall)" + (f"; whole command {wall:.1f} s" if wall is not None else ""))
    return lines


def read_split(out: Path) -> dict:
    """The timings.json a run wrote under its reports folder ``out``."""
    return json.loads((out / TIMINGS_FILE).read_text(encoding="utf-8"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", nargs="+", default=["zh", "en"])
    ap.add_argument("--skip-full", action="store_true", help="skip figures 1–3 (the full build)")
    ap.add_argument("--skip-scaling", action="store_true", help="skip figure 4")
    ap.add_argument("--split", type=Path, metavar="FILE", help="print the table of a run's timings.json and exit")
    a = ap.parse_args()
    if a.split:
        print("\n".join(split_lines(json.loads(a.split.read_text(encoding="utf-8")), title=str(a.split))))
        return 0
    kernels.ensure_kernel()
    cpus = os.cpu_count()
    print(f"twocreate runner benchmark on {cpus} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jobs = standard_jobs(a.langs, tmp / "naive-out")
        names = sorted({j.spec.name for j in jobs})
        area = next((j.area_code for j in jobs if j.area_code), None)
        # warm the OS file cache and the kernelspec lookup once, untimed
        time_runner(["--only", names[0], "--lang", a.langs[0], "--processed", str(tmp / "p0")]
                    + (["--areas", area] if area else []), tmp / "warm")
        if not a.skip_full:
            obs = tmp / "outturns.csv"
            shutil.copyfile(ROOT / "data/raw/observations/illustrative_outturns.csv", obs)
            full = ["--year", "all", "--lang", "all", "--observations", str(obs), "--processed", str(tmp / "pfull"),
                    "--disbursements", str(ROOT / "data/raw/funds/disbursements_example.csv")]
            t_cold = time_runner(full, tmp / "full")
            cold_split = read_split(tmp / "full")  # before the rebuild of figure 3 rewrites it
            n_full = len(list((tmp / "full").rglob("*.html"))) - 2  # less the two index pages
            t_noop = time_runner(full, tmp / "full")
            lines = obs.read_text(encoding="utf-8").splitlines()
            i = next(k for k, ln in enumerate(lines) if ",370102,2018," in ln)
            cells = lines[i].split(",")
            cells[3] = repr(float(cells[3]) * 1.01)
            lines[i] = ",".join(cells)
            obs.write_text("\n".join(lines) + "\n", encoding="utf-8")
            t0 = time.perf_counter()
            proc = subprocess.run([str(BIN / "twocreate"), "run", "--out", str(tmp / "full"), *full],
                                  capture_output=True, text=True, cwd=ROOT, check=True)
            t_row = time.perf_counter() - t0
            summary = next((ln for ln in proc.stdout.splitlines() if " up to date, " in ln), "")
            print(f"1. cold full build ({n_full} reports, every year, zh + en):        {t_cold:7.1f} s")
            print(f"2. no-op rebuild (nothing changed):                           {t_noop:7.1f} s   (aim ≤ 2 s)")
            print(f"3. rebuild after one district outturn row changed:            {t_row:7.1f} s   ({summary})")
            print("\n".join(split_lines(cold_split, t_cold, "the cold full build")))
        if not a.skip_scaling and area:
            plan = load_plan()
            areas = build.batch_areas(plan, "district")
            times = {}
            for n in (3, 20):
                langs = ["zh"] if n <= len(areas) else ["zh", "en"]
                k = n if len(langs) == 1 else (n + 1) // 2
                sel = areas[:k]
                times[n] = (len(sel) * len(langs), time_runner(
                    ["--only", "district_profile", "--lang", "zh" if len(langs) == 1 else "all", "--areas", *sel,
                     "--processed", str(tmp / f"ps{n}")], tmp / f"scale-{n}"))
            (n3, t3), (n20, t20) = times[3], times[20]
            print(f"4. marginal cost per extra notebook (district profiles {n3} → {n20}): "
                  f"{(t20 - t3) / (n20 - n3):5.2f} s   ({n3}: {t3:.1f} s, {n20}: {t20:.1f} s; aim ≤ 0.8 s)")
        run_args = ["--lang", a.langs[0] if len(a.langs) == 1 else "all", "--processed", str(tmp / "pstd")]
        if area:
            run_args += ["--areas", area]
        t_runner = time_runner(run_args, tmp / "runner-out")
        (tmp / "naive-out").mkdir()
        t_naive = time_naive(jobs, tmp / "naive-out")
        print(f"5. standard set ({len(jobs)} notebooks: {', '.join(names)}): runner {t_runner:.1f} s, naive chain "
              f"(papermill CLI then jupyter nbconvert --no-input, one by one) {t_naive:.1f} s: "
              f"ratio {t_runner / t_naive:.2f}   (aim ≤ 0.20)")
        print("\n".join(split_lines(read_split(tmp / "runner-out"), t_runner, "the standard set")))
        if not a.skip_full:
            per = t_naive / len(jobs)
            print(f"6. cold full build as a ratio to the naive chain: {t_cold:.1f} s ÷ ({n_full} × {per:.1f} s) = "
                  f"{t_cold / (n_full * per):.2f}   (aim ≤ 0.22, half of the 0.44 measured when issue 21 was filed)")
        shutil.rmtree(tmp / "naive-out", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
