"""Benchmark: what the index's facts cost the runner (issue 21 §2).

Each worker computes the title, status and index figures of every report it builds with the
library (:mod:`twocreate.build.facts`), sharing one computation per year between the languages and
the district profiles. This prints, for every report of both shipped plans over all their years
(both languages, every district), dealt round-robin to ``--workers`` workers each with its own
memo: the CPU seconds per report by kind and in all, and the one-off cost of a worker's first
report (imports, catalogs). A benchmark prints figures; it is not a test.

``--compare DIR``: also compare the facts with the manifest of a build in DIR (one built before the
facts left the notebooks, say) and print every difference.

    .venv/bin/python benchmarks/bench_facts.py [--workers 2] [--compare /tmp/before/reports]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

PLANS = ("jinan-2016-twocreate", "jinan-2025-private-economy")
FIELDS = ("title", "status", "categories", "tasks", "execution")


def all_jobs(out: Path, areas=None):
    from twocreate.build.jobs import discover, plan_jobs
    from twocreate.plan import load_plan
    specs = discover()
    jobs = []
    for pid in PLANS:
        plan = load_plan(pid)
        for year in sorted(plan.period, reverse=True):  # as the runner orders them: newest first
            jobs += plan_jobs(specs, year, ["zh", "en"], out, None, plan=plan,
                              areas=areas if plan.has("districts") else None)
    return jobs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--compare", type=Path, help="a reports folder whose manifest.json to compare with")
    args = ap.parse_args()
    out = args.compare or Path("reports")
    manifest = {}
    if args.compare:
        manifest = {e["path"]: e for e in json.loads((out / "manifest.json").read_text(encoding="utf-8"))
                    if not e.get("absent")}
    areas = sorted({e["area_code"] for e in manifest.values() if e.get("area_code")}) or None
    jobs = all_jobs(out, areas)
    if manifest:
        jobs = [j for j in jobs if str(j.out_html.relative_to(out)) in manifest]
    from twocreate.build.facts import Memo, report_facts
    memos = [Memo() for _ in range(args.workers)]
    by_kind: dict[str, list[float]] = {}
    first, facts = [], {}
    for k, job in enumerate(jobs):
        c0 = time.process_time()
        facts[str(job.out_html.relative_to(out))] = report_facts(job, memos[k % args.workers])
        cpu = time.process_time() - c0
        (first if k < args.workers else by_kind.setdefault(job.spec.kind, [])).append(cpu)
    rest = [x for xs in by_kind.values() for x in xs]
    print(f"facts of {len(jobs)} reports on {args.workers} worker(s), CPU seconds")
    print(f"  a worker's first report (imports, catalogs): {sum(first) / len(first):.3f} s")
    for kind, xs in sorted(by_kind.items()):
        print(f"  {kind:<22} {len(xs):3d} reports  mean {sum(xs) / len(xs):.3f} s  max {max(xs):.3f} s")
    total = sum(first) + sum(rest)
    print(f"  all: {total:.2f} s, {total / len(jobs):.3f} s per report "
          f"({sum(rest) / max(len(rest), 1):.3f} s without the first reports)")
    if manifest:
        diffs = [(rel, f, facts[rel].get(f), manifest[rel].get(f)) for rel in facts for f in FIELDS
                 if (f in facts[rel] or f in manifest[rel]) and facts[rel].get(f) != manifest[rel].get(f)]
        for rel, f, mine, theirs in diffs:
            print(f"  DIFFERS {rel} {f}: {mine!r:.120} != {theirs!r:.120}")
        print(f"compared with {args.compare / 'manifest.json'}: {len(facts)} reports, {len(diffs)} difference(s)")


if __name__ == "__main__":
    main()
