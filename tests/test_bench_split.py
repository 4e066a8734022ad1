"""The benchmark's table of where a build's time went (benchmarks/bench_runner.py ``split_lines``),
on a made-up timings.json: the means per report kind × language, the sums, the shares and the
relation of the sum to the build's wall time on its workers. Formatting, not speed."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from twocreate.build.jobs import TIMING_PARTS


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_runner", ROOT / "benchmarks" / "bench_runner.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def entry(kind, lang, kernel, execute, export, font, write, total):
    return {"path": f"2018/{lang}/{kind}.html", "kind": kind, "lang": lang, "area": None, "ok": True, "total": total,
            "kernel": kernel, "execute": execute, "export": export, "font": font, "write": write}


TIMINGS = {"generated": "2026-01-01T00:00:00+00:00", "workers": 2, "build_seconds": 10.0,
           "reports": [entry("progress", "zh", 1.0, 2.0, 0.5, 0.25, 0.05, 4.0),
                       entry("progress", "zh", 3.0, 4.0, 1.5, 0.75, 0.15, 10.0),
                       entry("tasks", "en", 0.5, 1.0, 0.5, 0.5, 0.0, 3.0)]}


def test_the_table_gives_means_per_kind_and_language_then_the_totals(bench):
    lines = bench.split_lines(TIMINGS, wall=12.5, title="a made-up build")
    assert lines[0].startswith("   where the time of a made-up build went")
    assert lines[1].split() == ["kind", "lang", "n", *TIMING_PARTS, "other", "total"]
    assert lines[2].split() == ["progress", "zh", "2", "2.00", "3.00", "1.00", "0.50", "0.10", "0.40", "7.00"]
    assert lines[3].split() == ["tasks", "en", "1", "0.50", "1.00", "0.50", "0.50", "0.00", "0.50", "3.00"]
    assert lines[4].split()[4:] == ["3", "4.5", "7.0", "2.5", "1.5", "0.2", "1.3", "17.0"]
    assert lines[5].split()[-1] == "100%" and lines[5].split()[4] == "26%"  # kernel: 4.5 of 17.0
    assert lines[6] == ("   build wall 10.0 s on 2 worker(s): the reports' sum 17.0 s is 1.70 × the wall "
                        "(workers busy 85% of 2 × wall); whole command 12.5 s")
    assert len(lines) == 7


def test_the_bench_prints_the_table_of_a_given_timings_file(tmp_path):
    path = tmp_path / "timings.json"
    path.write_text(json.dumps(TIMINGS), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_runner.py"), "--split", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[2].split()[:3] == ["progress", "zh", "2"]
