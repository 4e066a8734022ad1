"""The worker processes of a run, and what keeps them from outliving it.

* Each worker is forked by the runner and talks to it through two pipes of its own (jobs in,
  results out): no queue feeder threads, no lock shared between processes, so a worker killed in
  the middle of a message can block nobody, and nothing is left to shut down in the interpreter's
  exit (the source of "Exception ignored in: <module 'threading'>" after a Ctrl-C).
* A worker dies with the runner, even when the runner is killed with SIGKILL: on Linux the kernel
  sends it SIGKILL (``prctl(PR_SET_PDEATHSIG)``); elsewhere a thread watches the parent. Its
  Jupyter kernels watch their own parent (ipykernel's parent poller, ``JPY_PARENT_PID``) and end
  within a second of it.
* Ctrl-C reaches every process of the terminal's process group: a worker ignores SIGINT (the
  runner stops it) and dies quietly on SIGTERM, never printing a traceback.
* Every temporary file of a worker and its kernels (executed notebooks, kernel logs, connection
  files) goes to the run's own temporary folder, which the runner removes at the end of the run,
  whatever the end; one left by a run that was killed is removed by the next run.
"""
from __future__ import annotations

import collections
import contextlib
import ctypes
import multiprocessing as mp
import multiprocessing.connection
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from .. import config
from ..errors import WriteError
from .jobs import Job, Result

RUN_TMP_PREFIX = "twocreate-run-"  # <system temp>/twocreate-run-<runner pid>-XXXX/
PR_SET_PDEATHSIG = 1


# --------------------------------------------------------------------------- the run's temporary folder
def make_run_tmp() -> Path:
    """A temporary folder for this run (its name carries the runner's pid), after removing those of
    runs that are no longer alive."""
    remove_stale_run_tmps()
    return Path(tempfile.mkdtemp(prefix=f"{RUN_TMP_PREFIX}{os.getpid()}-"))


def remove_stale_run_tmps(base: Path | None = None) -> int:
    """Remove the temporary folders of runs whose process is gone; return how many."""
    from .locks import pid_alive
    base = Path(base) if base is not None else Path(tempfile.gettempdir())
    n = 0
    for d in base.glob(f"{RUN_TMP_PREFIX}*-*"):
        pid = d.name[len(RUN_TMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


# --------------------------------------------------------------------------- dying with the runner
def die_with_parent(parent_pid: int) -> None:
    """Make this process end when ``parent_pid`` (its parent) does, however the parent ends."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent_pid:  # the parent died before the line above: nobody would tell us
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True, name="twocreate-parent-watch").start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


def _ignore(signum, frame) -> None:
    """SIGINT in a worker: the runner decides (a Python-level handler, unlike SIG_IGN, is not
    inherited by the kernels a worker starts)."""


# --------------------------------------------------------------------------- a worker
def _worker(run_job, root: str, jobs_in, results_out, kw: dict, parent_pid: int, tmp: str) -> None:
    """One worker process: run the jobs the runner sends with ``run_job`` (each in a fresh kernel),
    the kernels it starts ahead held by its own :class:`~twocreate.build.kernels.WarmKernels`, the
    font subsets it made by its own dict."""
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, _ignore)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the runner's handler, inherited by fork
    os.environ[config.ENV] = root  # its kernels read the project this run reads
    for var in ("TMPDIR", "TEMP", "TMP"):
        os.environ[var] = tmp
    os.environ["JUPYTER_RUNTIME_DIR"] = str(Path(tmp) / "runtime")  # kernel connection files
    tempfile.tempdir = tmp
    from .facts import Memo
    from .kernels import WarmKernels
    kernels = WarmKernels()
    kernels.start_zygote(Path(tmp))
    fonts: dict[str, str] = {}  # the font subsets this worker made, by character set (pages share them)
    memo = Memo()  # the library's computations of the index's facts, shared by the reports of a year
    try:
        while True:
            try:
                item = jobs_in.recv()
            except (EOFError, OSError):
                break
            if item is None:
                break
            k, job, spare = item
            try:
                msg = ("done", k, run_job(job, kernels=kernels, spare=spare, fonts=fonts, memo=memo, **kw))
            except WriteError as exc:  # the run cannot go on: the runner stops every worker
                msg = ("write_error", k, str(exc))
            except Exception as exc:  # noqa: BLE001 - a worker never dies of one report
                msg = ("done", k, Result(job, False, 0.0, error=f"{type(exc).__name__}: {exc}".splitlines()[0]))
            try:
                results_out.send(msg)
            except (OSError, ValueError):
                break
    finally:
        kernels.close()


class _Worker:
    def __init__(self, proc, jobs_out, results_in):
        self.proc, self.jobs_out, self.results_in = proc, jobs_out, results_in
        self.job: int | None = None  # index of the job it runs
        self.alive = True
        self.stopping = False  # told there is no more work


class Pool:
    """``n`` forked worker processes, each with a pipe of jobs and a pipe of results, running each
    job with ``run_job(job, kernels=…, spare=…, fonts=…, **kw)``."""

    def __init__(self, n: int, root: Path, kw: dict, tmp: Path, run_job):
        ctx = mp.get_context("fork")
        self.workers: list[_Worker] = []
        try:
            for _ in range(n):
                jobs_in, jobs_out = ctx.Pipe(duplex=False)
                results_in, results_out = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_worker, name="twocreate-worker",
                                args=(run_job, str(root), jobs_in, results_out, kw, os.getpid(), str(tmp)))
                p.start()
                jobs_in.close()
                results_out.close()
                self.workers.append(_Worker(p, jobs_out, results_in))
        except BaseException:
            self.terminate()
            raise

    # long: the dispatch loop: sending, receiving, a worker lost and the clean-up read best as one
    def map(self, todo: list[Job]):
        """Yield one :class:`Result` per job as each finishes (a job whose worker died is failed).
        A write error in a worker (disk full, read-only folder) raises
        :class:`~twocreate.errors.WriteError` here."""
        n = len(self.workers)
        pending = collections.deque(range(len(todo)))
        left = len(todo)

        def feed(w: _Worker) -> None:
            while pending:
                k = pending.popleft()
                try:
                    # a worker prepares a spare kernel only while at least one job per worker is still queued
                    w.jobs_out.send((k, todo[k], k + n < len(todo)))
                    w.job = k
                    return
                except OSError:  # the worker is gone: the job goes to another one
                    pending.appendleft(k)
                    w.alive = False
                    return
            w.job = None  # idle until the run ends (close) or another worker dies with jobs queued

        for w in self.workers:
            feed(w)
        while left:
            live = [w for w in self.workers if w.alive]
            if not live:
                for k in sorted(pending):
                    yield Result(todo[k], False, 0.0, error="not run: every worker process stopped")
                return
            ready = set(mp.connection.wait([w.results_in for w in live] + [w.proc.sentinel for w in live]))
            for w in live:
                eof = False
                if w.results_in in ready:
                    try:
                        kind, k, payload = w.results_in.recv()
                    except (EOFError, OSError):
                        eof = True
                    else:
                        if kind == "write_error":
                            raise WriteError(payload)
                        w.job = None
                        left -= 1
                        yield payload
                        feed(w)
                        continue
                if eof or w.proc.sentinel in ready:
                    if not eof and w.results_in.poll():  # its last result is still in the pipe: read it first
                        continue
                    w.alive = False
                    with contextlib.suppress(OSError):
                        w.proc.kill()
                    w.proc.join(timeout=10)
                    if w.job is not None:
                        k, w.job = w.job, None
                        left -= 1
                        yield Result(todo[k], False, 0.0,
                                     error=f"its worker process stopped (exit code {w.proc.exitcode})")
                    for other in self.workers:  # the jobs still queued go to the other workers
                        if other.alive and other.job is None and pending:
                            feed(other)

    def close(self) -> None:
        """Tell every worker there is no more work, wait for them, close the pipes."""
        for w in self.workers:
            if w.alive and not w.stopping:
                w.stopping = True
                with contextlib.suppress(OSError):
                    w.jobs_out.send(None)
        for w in self.workers:
            w.proc.join()
        self._close_pipes()

    def terminate(self) -> None:
        """Kill every worker and every process below it (its kernels), wait for them, close the pipes."""
        kill_descendants()
        for w in self.workers:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                w.proc.kill()
        for w in self.workers:
            with contextlib.suppress(OSError, ValueError, AssertionError):
                w.proc.join(timeout=10)
        self._close_pipes()

    def _close_pipes(self) -> None:
        for w in self.workers:
            for c in (w.jobs_out, w.results_in):
                with contextlib.suppress(OSError):
                    c.close()
            with contextlib.suppress(ValueError, AssertionError):
                w.proc.close()


# --------------------------------------------------------------------------- processes below the runner
def descendants(pid: int | None = None) -> list[int]:
    """Every process below ``pid`` (default: this one), from ``/proc``."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    todo, found = [os.getpid() if pid is None else pid], []
    while todo:
        for c in children.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    return found


def kill_descendants(kernels_only: bool = False) -> None:
    """SIGKILL every process below this one (workers and their Jupyter kernels; ``kernels_only``:
    the kernels alone)."""
    for pid in descendants():
        if kernels_only and not _is_kernel(pid):
            continue
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _is_kernel(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"ipykernel" in cmdline or b"twocreate.build.zygote" in cmdline  # a kernel, its stub or its zygote
