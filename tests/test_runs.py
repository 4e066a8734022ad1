"""Runs that survive each other and a crash (issue 20 §5): the run lock, workers and kernels that die
with a killed runner, the cache and log written per report, write errors as one line with the
previous files kept, and no temporary file left by any run."""
from __future__ import annotations

import errno
import json
import os
import re
import signal
import subprocess
import sys
import pytest

from conftest import ROOT
from runs_support import Run, built_on_tmpfs, fill, marked_processes, one_error_line, remount, snapshot, tmpfs, wait_for
from twocreate.build import cache, execute, locks, workers
from twocreate.build.jobs import TIMING_PARTS
from twocreate.errors import InputError, WriteError

HOLD = ("import sys, time\nfrom pathlib import Path\nfrom twocreate.build import locks\n"
        "with locks.holding([Path(sys.argv[1])]):\n    print('held', flush=True)\n    time.sleep(float(sys.argv[2]))\n"
        "print('released', flush=True)\n")


def dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


# --------------------------------------------------------------------------- the lock (fast)
def test_a_held_lock_is_refused_with_its_holder_and_released_at_the_end(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "30"], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(InputError) as err:
            with locks.holding([tmp_path]):
                pass
        msg = str(err.value)
        assert re.fullmatch(rf"another run \(pid {holder.pid}, started \d{{4}}-\d\d-\d\dT[\d:]+\+00:00\) is building "
                            rf"into {re.escape(str(tmp_path))}; .*--wait.*", msg), msg
    finally:
        holder.kill()
        holder.wait()
    with locks.holding([tmp_path]):  # the kernel released the lock of the killed holder
        held = json.loads((tmp_path / locks.LOCK_NAME).read_text())
        assert held["pid"] == os.getpid()
    assert (tmp_path / locks.LOCK_NAME).read_text() == ""  # a clean end leaves no holder


def test_a_stale_lock_of_a_dead_run_is_taken_over(tmp_path):
    pid = dead_pid()
    (tmp_path / locks.LOCK_NAME).write_text(json.dumps({"pid": pid, "started": "2026-01-01T00:00:00+00:00"}))
    said = []
    with locks.holding([tmp_path, tmp_path / "."], log=said.append) as folders:
        assert folders == [tmp_path.resolve()]  # one folder given twice is locked once
    assert said == [f"twocreate: took over the lock of a run that stopped without finishing (pid {pid}, "
                    f"started 2026-01-01T00:00:00+00:00) in {tmp_path.resolve()}"]


def test_wait_waits_for_the_holder(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), "2"], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        said = []
        with locks.holding([tmp_path], wait=True, log=said.append):
            assert holder.stdout.readline().strip() == "released"  # only once the holder had let go
        assert len(said) == 1 and said[0].startswith(f"twocreate: waiting for another run (pid {holder.pid}, ")
    finally:
        holder.kill()
        holder.wait()


def test_stale_temporary_folders_of_dead_runs_are_removed(tmp_path):
    dead = tmp_path / f"{workers.RUN_TMP_PREFIX}{dead_pid()}-abc"
    live = tmp_path / f"{workers.RUN_TMP_PREFIX}{os.getppid()}-abc"
    for d in (dead, live):
        (d / "runtime").mkdir(parents=True)
        (d / "twocreate-kernel-x.stderr.log").write_text("x")
    assert workers.remove_stale_run_tmps(tmp_path) == 1
    assert not dead.exists() and live.exists()


def test_the_cache_journal_is_read_after_a_crash_and_folded_at_the_end(tmp_path):
    cache.save(tmp_path, {"a.html": {"v": 1}, "b.html": {"v": 1}})
    cache.record(tmp_path, "c.html", {"v": 2})
    cache.record(tmp_path, "a.html", None)  # a failed rebuild: no entry
    with open(tmp_path / cache.JOURNAL, "ab") as fh:
        fh.write(b'{"path": "d.html", "entry": {"v"')  # the line a crash cut short
    assert cache.load(tmp_path) == {"b.html": {"v": 1}, "c.html": {"v": 2}}
    cache.save(tmp_path, cache.load(tmp_path))
    assert not (tmp_path / cache.JOURNAL).exists()
    assert json.loads((tmp_path / cache.CACHE_FILE).read_text()) == {"b.html": {"v": 1}, "c.html": {"v": 2}}


# --------------------------------------------------------------------------- write errors (fast)
def _previous(out):
    (out / "_cache").mkdir(parents=True)
    for rel, text in {"index.html": "old index", "index.en.html": "old index en", "manifest.json": "[]",
                      "_cache/build.json": '{"old": {}}\n'}.items():
        (out / rel).write_text(text, encoding="utf-8")


def _writes(out):
    import pandas as pd

    from twocreate.build import RunLog, update_index
    from twocreate.build.tables import promote as _promote
    from twocreate.io import write_csv
    from twocreate.plan import load_plan
    staged = out / ".staging-x"
    staged.mkdir(exist_ok=True)
    (staged / "t.csv").write_text("")  # an empty file takes no space: moving it in is what fails
    return {
        "index": lambda: update_index(out, [], "2026-01-01T00:00:00+00:00", plans=[load_plan()]),
        "cache": lambda: cache.save(out, {"new": {"x": "y" * 9000}}),
        "cache journal": lambda: cache.record(out, "new.html", {"x": "y" * 9000}),
        "log": lambda: RunLog(out / "_logs" / "run.log", echo=lambda line: None)("z" * 9000),
        "processed table": lambda: write_csv(pd.DataFrame({"a": ["x" * 9000]}), out / "p" / "t.csv"),
        "promoted table": lambda: _promote(staged, out / "ro"),
    }


# a fault on the runs' file system: the tmpfs size, how it is caused, and the line's words
FAULTS = {"full disk": ("1m", fill, "No space left on device (ENOSPC)"),
          "read-only": ("4m", lambda fs: remount(fs, "ro"), "Read-only file system (EROFS)")}
WRITE_FAULTS = [("full disk", w) for w in ("index", "cache", "cache journal", "log", "processed table")] + \
               [("read-only", w) for w in ("index", "cache", "log", "processed table", "promoted table")]


@pytest.mark.parametrize("fault, what", WRITE_FAULTS)
def test_a_write_error_at_each_write_is_one_line_and_keeps_the_previous_files(tmp_path, fault, what):
    size, cause, words = FAULTS[fault]
    with tmpfs(tmp_path / "fs", size) as fs:
        out = fs / "reports"
        _previous(out)
        (out / "p").mkdir()
        writes = _writes(out)
        before = snapshot(out)
        cause(fs)
        with pytest.raises(WriteError) as err:
            writes[what]()
        assert words in str(err.value) and "\n" not in str(err.value)
        assert snapshot(out) == before
        assert not list(out.rglob(".*.tmp"))


def test_atomic_writes_turn_any_os_error_into_a_write_error(tmp_path, monkeypatch):
    """Where no tmpfs can be mounted: the same path through a failing rename."""
    from twocreate.io import write_text_atomic
    target = tmp_path / "index.html"
    target.write_text("old")

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(WriteError, match=r"cannot write .*index\.html: No space left on device \(ENOSPC\)"):
        write_text_atomic(target, "new")
    assert target.read_text() == "old" and not list(tmp_path.glob(".*.tmp"))


# --------------------------------------------------------------------------- whole runs (kernels)
@pytest.mark.e2e
def test_two_runs_one_refuses_one_waits_and_the_cache_matches_every_report(tmp_path):
    r = Run(tmp_path)
    first = r.start("--jobs", "1")
    try:
        assert wait_for(lambda: r.started("gate-en"), 240), "the first run never started its notebook"
        # the same --out; the same --processed: refused at once, naming the first run
        for kw in ({"processed": tmp_path / "other"}, {"out": tmp_path / "other"}):
            second = r.run("--force", **kw)
            line = one_error_line(second.stderr)
            assert second.returncode == 2
            assert re.search(rf"another run \(pid {first.pid}, started [^)]+\) is building into ", line), line
        waiting = r.start("--force", "--wait", "--jobs", "1")
        assert wait_for(lambda: (r.out / "_logs").exists() and any(
            "waiting for another run" in p.read_text() for p in (r.out / "_logs").glob("*.log")), 60)
        assert waiting.poll() is None
        r.release()
        out1, err1 = first.communicate(timeout=300)
        out2, err2 = waiting.communicate(timeout=300)
    finally:
        for p in ("first", "waiting"):
            proc = locals().get(p)
            if proc is not None and proc.poll() is None:
                proc.kill()
    assert first.returncode == 0, err1
    assert waiting.returncode == 0, err2
    assert f"waiting for another run (pid {first.pid}, " in out2 and "1 built, 0 up to date" in out2
    entries = json.loads((r.out / cache.CACHE_FILE).read_text())
    assert sorted(entries) == ["2018/en/gate.html"]
    for rel, e in entries.items():  # the report is the one the cache says: the second run's
        assert e["result"]["generated"] in (r.out / rel).read_text(encoding="utf-8")
    manifest = json.loads((r.out / "manifest.json").read_text())
    assert [m["generated"] for m in manifest] == [entries["2018/en/gate.html"]["result"]["generated"]]


@pytest.mark.e2e
def test_a_killed_run_leaves_no_process_and_the_rerun_builds_only_what_was_missing(tmp_path):
    r = Run(tmp_path, names=("one", "two", "three"))
    r.release("one-en")
    proc = r.start("--jobs", "2")
    try:
        # "one" finished (its cache entry is written before the worker gets "three"); "two", "three" wait
        assert wait_for(lambda: r.started("two-en") and r.started("three-en"), 240), proc.stderr
        assert r.processes(), "the marker reaches no process of the run"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert wait_for(lambda: not r.processes(), 10), f"processes of the run left: {r.processes()}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for pid in marked_processes(r.mark):
            os.kill(pid, signal.SIGKILL)
    assert (r.out / "2018/en/one.html").exists() and not (r.out / "2018/en/two.html").exists()
    assert list(r.temp.glob(f"{workers.RUN_TMP_PREFIX}{proc.pid}-*")), "the killed run's temporary folder"
    r.release()
    again = r.run()
    assert again.returncode == 0, again.stderr
    assert "2 built, 1 up to date, 0 failed" in again.stdout, again.stdout
    assert f"took over the lock of a run that stopped without finishing (pid {proc.pid}, " in again.stdout
    assert list(r.temp.iterdir()) == [], "temporary files left"
    # the killed run's log kept every line it wrote, the last being report "one"
    logs = sorted((r.out / "_logs").glob("*.log"))
    assert len(logs) == 2 and "ok   one en 2018" in logs[0].read_text()


@pytest.mark.e2e
def test_read_only_out_or_processed_is_one_line_and_keeps_everything(tmp_path):
    with built_on_tmpfs(tmp_path, "16m") as (r, o, p, out, processed, before):
        for fs, folder in ((o, out), (p, processed)):
            remount(fs, "ro")
            try:
                got = r.run("--force", out=out, processed=processed)
            finally:
                remount(fs, "rw")
            assert got.returncode == 2
            line = one_error_line(got.stderr)
            assert re.fullmatch(rf"twocreate: error: cannot write {re.escape(str(folder))}/\S+: "
                                r"Read-only file system \(EROFS\)", line), line
            assert snapshot(out, processed) == before
        assert list(r.temp.iterdir()) == []


@pytest.mark.e2e
@pytest.mark.parametrize("where", ["report", "processed table"])
def test_a_full_disk_during_a_run_is_one_line_and_keeps_the_previous_index_and_cache(tmp_path, where):
    """The disk fills while the report (a large page) or its processed table (a large table, written
    by the notebook in its kernel) is written: one line, exit 2, the previous files intact."""
    with built_on_tmpfs(tmp_path, "8m") as (r, o, p, out, processed, before):
        big = {"report": ("TWOCREATE_TEST_OUTPUT", 400_000), "processed table": ("TWOCREATE_TEST_ROWS", 100_000)}
        r.env[big[where][0]] = str(big[where][1])
        fill(o if where == "report" else p, leave=64 << 10)  # room for the lock, the log, the journal
        got = r.run("--force", out=out, processed=processed)
        assert got.returncode == 2, got.stdout + got.stderr
        line = one_error_line(got.stderr)
        assert "No space left on device" in line, line
        assert (f"cannot write {out}/2018/en/gate.html" in line) if where == "report" else (str(processed) in line)
        assert snapshot(out, processed) == before
        assert not list(out.rglob(".*.tmp")) and not list(processed.glob(".staging-*"))
        assert list(r.temp.iterdir()) == []


@pytest.mark.e2e
def test_no_temporary_file_is_left_by_a_good_a_failed_or_an_interrupted_run(tmp_path):
    r = Run(tmp_path, names=("gate", "broken"))
    nb = r.nbs / "02_broken.ipynb"
    nb.write_text(nb.read_text().replace("rows = int(", "raise RuntimeError('broken on purpose')\\nrows = int("))
    r.release()
    assert r.run("--only", "gate").returncode == 0
    assert list(r.temp.iterdir()) == []
    failed = r.run("--only", "broken")
    assert failed.returncode == 1 and "broken on purpose" in failed.stdout + failed.stderr
    assert list(r.temp.iterdir()) == []
    r.reset()  # the gate closed, and no "started" file of the runs before
    proc = r.start("--force", "--only", "gate")
    assert wait_for(lambda: r.started("gate-en"), 240)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert list(r.temp.iterdir()) == []
    assert not list(r.processed.glob(".staging-*")) and not list(r.out.rglob(".*.tmp"))


@pytest.mark.e2e
def test_a_run_writes_where_each_reports_time_went_and_a_no_op_run_leaves_it(tmp_path):
    r = Run(tmp_path, names=("one", "two"))
    r.release()
    first = r.run("--lang", "all", "--jobs", "2")
    assert first.returncode == 0, first.stderr
    path = r.out / execute.TIMINGS_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["workers"] == 2 and data["build_seconds"] > 0
    assert sorted((e["path"], e["kind"], e["lang"]) for e in data["reports"]) == [
        (f"2018/{lang}/{name}.html", name, lang) for lang in ("en", "zh") for name in ("one", "two")]
    for e in data["reports"]:
        parts = [e[p] for p in TIMING_PARTS]
        assert e["ok"] is True and all(v >= 0 for v in parts), e
        assert e["kernel"] > 0 and e["execute"] > 0 and e["export"] > 0 and e["write"] > 0, e
        assert sum(parts) <= e["total"] + 0.01, e
    before = (path.stat().st_mtime_ns, path.read_bytes())
    again = r.run("--lang", "all")
    assert again.returncode == 0 and "0 built, 4 up to date" in again.stdout, again.stdout
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before  # a no-op run rewrites nothing
