"""Benchmark: the project's runner against the naive papermill-CLI + nbconvert-CLI chain.

Prints wall-clock seconds for the standard report set run both ways on the same notebooks
and parameters, their ratio (aim: ≤ 0.35 on a 2-core machine), and how the runner's time
grows from 3 to 20 notebooks (district profiles). A benchmark prints figures; it is not a test.

    .venv/bin/python benchmarks/bench_runner.py [--langs zh en] [--skip-scaling]
"""
from __future__ import annotations

import argparse
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

from twocreate import reports  # noqa: E402
from twocreate.plan import load_plan  # noqa: E402


def sh(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, **kw)


def standard_jobs(langs: list[str], out: Path) -> list[reports.Job]:
    plan = load_plan()
    specs = reports.discover()
    first_area = reports.batch_areas(plan, "district")[0]
    jobs = reports.plan_jobs(specs, plan.target_year, langs, out, None, plan=plan)
    return [j for j in jobs if j.area_code in (None, first_area)]


def time_runner(args: list[str], out: Path) -> float:
    t0 = time.perf_counter()
    sh([str(BIN / "twocreate"), "run", "--out", str(out), *args])
    return time.perf_counter() - t0


def time_naive(jobs: list[reports.Job], work: Path) -> float:
    t0 = time.perf_counter()
    for k, job in enumerate(jobs):
        executed = work / f"{k:02d}_{job.spec.name}.ipynb"
        params: list[str] = []
        for name, value in job.parameters.items():
            params += ["-p", name, str(value)]
        params += ["-p", "processed_dir", str(work / "processed")]
        sh([str(BIN / "papermill"), str(job.spec.path), str(executed), "-k", reports.KERNEL_NAME,
            "--cwd", str(job.spec.path.parent), "--no-progress-bar", *params])
        sh([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--langs", nargs="+", default=["zh", "en"])
    ap.add_argument("--skip-scaling", action="store_true")
    a = ap.parse_args()
    reports.ensure_kernel()
    cpus = os.cpu_count()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jobs = standard_jobs(a.langs, tmp / "naive-out")
        names = sorted({j.spec.name for j in jobs})
        area = next((j.area_code for j in jobs if j.area_code), None)
        print(f"standard report set: {len(jobs)} notebooks ({', '.join(names)}; languages {', '.join(a.langs)}) "
              f"on {cpus} CPUs")
        run_args = ["--lang", a.langs[0] if len(a.langs) == 1 else "all"]
        if area:
            run_args += ["--areas", area]
        # warm the OS file cache and the kernelspec lookup once, untimed
        time_runner(["--only", names[0], "--lang", a.langs[0]] + (["--areas", area] if area else []), tmp / "warm")
        t_runner = time_runner(run_args, tmp / "runner-out")
        (tmp / "naive-out").mkdir()
        t_naive = time_naive(jobs, tmp / "naive-out")
        print(f"runner (twocreate run, in-process papermill + nbconvert, {cpus} at a time): {t_runner:7.1f} s")
        print(f"naive chain (papermill CLI, then jupyter nbconvert --no-input, one by one):   {t_naive:7.1f} s")
        print(f"ratio runner / naive: {t_runner / t_naive:.2f}   (aim ≤ 0.35)")
        if not a.skip_scaling and area:
            plan = load_plan()
            areas = reports.batch_areas(plan, "district")
            print("runner scaling (district profiles):")
            for n in (3, 10, 20):
                langs = ["zh"] if n <= len(areas) else ["zh", "en"]
                k = n if len(langs) == 1 else (n + 1) // 2
                sel = areas[:k]
                t = time_runner(["--only", "district_profile", "--lang", "zh" if len(langs) == 1 else "all",
                                 "--areas", *sel], tmp / f"scale-{n}")
                count = len(sel) * len(langs)
                print(f"  {count:3d} notebooks: {t:6.1f} s  ({t / count:.2f} s per notebook)")
        shutil.rmtree(tmp / "naive-out", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
