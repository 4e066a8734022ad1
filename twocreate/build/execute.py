"""Running a build: N worker processes execute the jobs (papermill, one fresh kernel per notebook),
each report is staged and renamed into place only when its notebook succeeded, SIGINT/SIGTERM stop
everything cleanly, and the cache and the index are brought up to date.

Written under the reports folder besides the reports (:mod:`twocreate.build.jobs`)::

    index.html, index.en.html, manifest.json   the index and what it is built from
    _cache/                                    what each report was built from (:mod:`~twocreate.build.cache`)
    _failed/<year>/<lang>/<name>[...].ipynb    executed copy of a failed notebook, with traceback
    _failed/<year>/<lang>/<name>[...].stderr.log   what its kernel printed on stderr
    _logs/run-<UTC timestamp>-<pid>.log        one log per run, a line as each report finishes
    _logs/timings.json                         where the last building run's time went, per report
    .twocreate-run.lock                        the run lock (:mod:`~twocreate.build.locks`; also in --processed)

A run that is killed loses nothing done: each report's cache entry is written (atomically) as the
report finishes, so the next run rebuilds exactly the reports that were not finished. A write that
fails (read-only folder, full disk) stops the run with one line (:class:`~twocreate.errors.WriteError`,
exit 2); every file it was to replace is kept as it was.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..errors import WriteError, cannot_write
from ..writers import append_line, write_text_atomic
from . import cache, locks, tables
from .facts import Memo, report_facts
from .html import export_html, read_record
from .index import index_name, update_index
from .jobs import REQUIREMENT_REASONS, TIMING_PARTS, Job, Result, discover, lacks, load_known, plan_jobs, save_known
from .provenance import git_commit, package_versions, provenance
from .workers import Pool, kill_descendants, make_run_tmp


@dataclass
class Signals:
    """The SIGINT/SIGTERM received while a run is under way (the command turns any into exit
    130/143, even if a library swallowed the ``KeyboardInterrupt`` on its way up)."""

    received: list[int] = field(default_factory=list)

    def handler(self, signum, frame):
        self.received.append(signum)
        if len(self.received) == 1:  # a second Ctrl-C must not interrupt the clean-up of the first
            raise KeyboardInterrupt(f"signal {signum}")

    def _record(self, signum, frame):
        self.received.append(signum)

    @contextlib.contextmanager
    def deferred(self):
        """Within the block SIGINT and SIGTERM are only recorded (a clean-up runs to its end)."""
        old = {s: signal.signal(s, self._record) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield self
        finally:
            for s, h in old.items():
                signal.signal(s, h)

    @contextlib.contextmanager
    def catching(self, *signums: int):
        """Within the block, ``signums`` raise ``KeyboardInterrupt`` and are recorded."""
        old = {s: signal.signal(s, self.handler) for s in signums}
        try:
            yield self
        finally:
            for s, h in old.items():
                signal.signal(s, h)


class RunLog:
    """A run's log file (``<reports>/_logs/run-<UTC timestamp>-<pid>.log``): calling it prints a line
    and appends it to the file at once (one ``write`` per line), so a run that is killed keeps every
    line it logged; :meth:`record` appends without printing (under a progress bar). The file is
    created with the first line; a failure to write it is a :class:`~twocreate.errors.WriteError`."""

    def __init__(self, path: Path, echo=print):
        self.path, self.echo, self.lines = Path(path), echo, []

    def __call__(self, line: str) -> None:
        if self.echo is print:
            print(line, flush=True)
        else:
            self.echo(line)
        self.record(line)

    def record(self, line: str) -> None:
        self.lines.append(line)
        append_line(self.path, line)


# long: one report from parameters to promoted tables, its failure and write-error paths kept together
def run_job(job: Job, *, out_dir: Path, commit: str, versions: dict, generated: str,
            start_timeout: int = 120, execution_timeout: int = 900, processed_dir: Path | None = None,
            kernels=None, spare: bool = False, office: str = "", appendix: bool = True,
            fonts: dict | None = None, memo: Memo | None = None) -> Result:
    """Execute one job and write its HTML atomically; on failure keep the executed copy.

    The notebook runs in a fresh kernel of its own (papermill, through the warm-kernel engine of
    :mod:`twocreate.build.kernels`): ``kernels`` is the worker's
    :class:`~twocreate.build.kernels.WarmKernels` (None: a kernel started the usual way);
    ``spare``: start the kernel for this worker's next job now, so that its start-up overlaps with
    this job's work; ``fonts``: the worker's font subsets by character set (see
    :func:`~twocreate.build.html.font_face_css`). Processed tables are written to a staging folder, moved into place only when
    the whole report succeeded. ``Result.timings``: where the time went (:data:`~.jobs.TIMING_PARTS`).

    ``Result.record`` is what the build knows of the report: the files the notebook read and whether its
    data are illustrative (from the notebook's record, :meth:`twocreate.present.Page.record`), then the
    title, status and index figures the library computes (:func:`~twocreate.build.facts.report_facts`;
    ``memo``: the worker's computations, shared by the reports of a year).
    """
    import papermill

    from .kernels import ENGINE, KERNEL_NAME  # importing kernels registers the engine with papermill
    t0 = time.monotonic()
    timings = dict.fromkeys(TIMING_PARTS, 0.0)
    processed_dir = Path(processed_dir) if processed_dir is not None else config.paths().processed
    params = dict(job.parameters)
    staging = None
    if "processed_dir" in job.spec.parameters:
        staging = tables.stage(processed_dir)  # a folder that cannot be written: WriteError, one line
        params["processed_dir"] = str(staging)  # the notebook writes its tables there (else: to scratch)
    try:
        tmp_nb = Path(tempfile.mkdtemp(prefix="twocreate-")) / f"{job.spec.name}.ipynb"
    except OSError as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        raise cannot_write(tempfile.gettempdir(), exc) from exc
    kernel_log = tmp_nb.with_suffix(".stderr.log")
    try:
        try:
            cwd = job.spec.path.parent
            with _timed(timings, "execute"):
                nb = papermill.execute_notebook(
                    str(job.spec.path), str(tmp_nb), parameters=params, kernel_name=KERNEL_NAME,
                    engine_name=ENGINE, progress_bar=False, log_output=False, start_timeout=start_timeout,
                    execution_timeout=execution_timeout, cwd=str(cwd), kernels=kernels, spare=spare,
                    kernel_log=kernel_log, timings=timings)
            timings["execute"] -= timings["kernel"]  # the engine measured the kernel's part
            rec = read_record(nb)  # the notebook's own record: the files it read, whether its data are illustrative
            facts = report_facts(job, memo)  # title, status and the index's figures: computed here, by the library
            # a file or folder given as a parameter (--plan all passes each plan's folder, --disbursements plan
            # its file) is shown as the inputs are: relative to the project when inside it
            shown = {k: config.relative(v) if isinstance(v, str) and os.path.isabs(v) else v
                     for k, v in params.items() if k != "processed_dir"}
            if "processed_dir" in job.spec.parameters:  # the folder the tables went to, not the staging one
                from ..i18n import t
                rel = config.relative(processed_dir)  # no machine path in a report: outside the project, say so
                shown["processed_dir"] = t("furniture.outside_project", job.lang) if Path(rel).is_absolute() else rel
            prov = provenance(dict(job.spec.parameters, **shown), rec.get("inputs", []), commit, versions, generated)
            title = report_title(facts, job)
            block = title_block(job, office)
            with _timed(timings, "export"):
                body = export_html(nb, title=title, lang=job.lang, prov=prov,
                                   illustrative=bool(rec.get("illustrative")),
                                   index_href=os.path.relpath(out_dir / index_name(job.lang), job.out_html.parent),
                                   kicker=job.kicker, titleblock=block, appendix=appendix, timings=timings,
                                   fonts=fonts)
            timings["export"] -= timings["font"]  # export_html measured the font subset
        except Exception as exc:  # noqa: BLE001 - isolate any failure of one report
            write_failure = _write_failure(exc)
            if write_failure:  # the notebook could not write its tables: the run cannot go on
                if staging is not None:  # name the folder the table was for, not the staging folder
                    write_failure = write_failure.replace(str(staging), str(processed_dir))
                raise WriteError(write_failure) from None
            failed = out_dir / "_failed" / job.out_html.relative_to(out_dir).with_suffix(".ipynb")
            try:
                failed.parent.mkdir(parents=True, exist_ok=True)
                if tmp_nb.exists():
                    shutil.copyfile(tmp_nb, failed)
                    if kernel_log.exists() and kernel_log.stat().st_size:
                        shutil.copyfile(kernel_log, failed.with_suffix(".stderr.log"))
                else:
                    failed = None
            except OSError as err:
                raise cannot_write(failed, err) from None
            return Result(job, False, time.monotonic() - t0, error=_short_error(exc), failed_copy=failed,
                          timings=timings)
        with _timed(timings, "write"):
            write_text_atomic(job.out_html, body)
            outputs = tables.promote(staging, processed_dir) if staging is not None else []
        record = {"status": "", "inputs": list(rec.get("inputs", [])), "illustrative": bool(rec.get("illustrative")),
                  "lang": job.lang, **facts, "title": title, "generated": generated}
        return Result(job, True, time.monotonic() - t0, status=record["status"], record=record, outputs=outputs,
                      timings=timings)
    finally:
        shutil.rmtree(tmp_nb.parent, ignore_errors=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _timed(timings: dict, part: str):
    """Add the seconds the block takes to ``timings[part]``."""
    t0 = time.monotonic()
    try:
        yield
    finally:
        timings[part] += time.monotonic() - t0


def title_block(job: Job, office: str = "") -> dict:
    """What the title block of a printed report names: the plan, the report year, the data's cut-off
    and the compiling office (``office``, blank by default)."""
    from ..plan import load_plan
    try:
        plan = load_plan(job.plan_id or None)
        name = str(plan.meta.get(f"title_{job.lang}", "") or plan.id)
    except Exception:  # noqa: BLE001 - a title block never fails a report
        name = job.kicker
    return {"plan": name, "year": job.year, "office": office}


def report_title(facts: dict, job: Job) -> str:
    """The report's title as plain text (the page escapes it, once): the one the library gives the
    report (:func:`~twocreate.build.facts.report_facts`), else the notebook's own title."""
    if facts.get("title"):
        return str(facts["title"])
    return job.spec.title.get(job.lang, job.spec.name)


WRITE_ERRNOS = ("28", "30", "13", "122")  # ENOSPC, EROFS, EACCES, EDQUOT
_ERRNO = re.compile(r"^\[Errno (\d+)\]")


def _write_failure(exc: Exception) -> str | None:
    """The one line of a notebook's failure to write (its processed tables: a full disk, a read-only
    folder), else None (an ordinary failure of one report)."""
    if type(exc).__name__ != "PapermillExecutionError":
        return None
    ename, evalue = str(getattr(exc, "ename", "")), str(getattr(exc, "evalue", ""))
    if ename == "WriteError":
        return evalue
    m = _ERRNO.match(evalue)
    if ename in ("OSError", "PermissionError") and m and m.group(1) in WRITE_ERRNOS:
        return f"cannot write a processed table: {evalue}"
    return None


def _short_error(exc: Exception) -> str:
    name = type(exc).__name__
    if name == "PapermillExecutionError":
        ename = getattr(exc, "ename", "")
        evalue = getattr(exc, "evalue", "")
        return f"cell {getattr(exc, 'exec_count', '?')}: {ename}: {evalue}".strip()
    return f"{name}: {exc}".splitlines()[0]


# --------------------------------------------------------------------------- a run
def run(*, wait: bool = False, log=print, dry_run: bool = False, **options) -> list[Result]:
    """Run the selected reports (the ``options`` of :func:`build_reports`) holding the run lock of
    their reports folder and processed-tables folder (:mod:`twocreate.build.locks`): when another
    run holds one, wait for it (``wait``) or raise :class:`~twocreate.errors.InputError` naming it.
    A dry run reads only and takes no lock."""
    where = config.paths()
    out_dir = Path(options.pop("out_dir", None) or where.reports)
    processed_dir = Path(options.pop("processed_dir", None) or where.processed)
    held = contextlib.nullcontext() if dry_run else locks.holding([out_dir, processed_dir], wait=wait, log=log)
    with held:
        return build_reports(out_dir=out_dir, processed_dir=processed_dir, log=log, dry_run=dry_run, **options)


# long: the order of a run (plans, jobs, cache, build, cache and index update); each step is a function already
def build_reports(*, year: int | None = None, langs: list[str], only: list[str] | None = None, observations: Path | None = None,
        out_dir: Path | None = None, jobs: int | None = None, notebooks_dir: Path | None = None,
        log=print, start_timeout: int = 120, execution_timeout: int = 900,
        areas: list[str] | None = None, processed_dir: Path | None = None,
        sheet: str | int | None = None, years: list[int] | str | None = None,
        tasks: Path | None = None, disbursements: Path | str | None = None, plan=None, force: bool = False,
        dry_run: bool = False, progress: bool | None = None, signals: Signals | None = None,
        office: str = "", appendix: bool = True) -> list[Result]:
    """Run the selected reports of ``plan`` (a plan, an id or folder, or a list of them) for ``year``
    (or each of ``years``; ``"all"``: every year of each plan's period; default: each plan's target
    year); returns one :class:`Result` per job (the caller sets the exit code).

    ``disbursements="plan"``: each plan's own example file (``disbursements`` in its ``plan.toml``;
    none for a plan that names none).

    On SIGINT or SIGTERM the workers and their kernels are stopped, temporary files removed and
    ``KeyboardInterrupt`` raised: reports and processed tables are either the previous complete
    file or the new complete file, never a partial one.

    Reports whose sources are unchanged since their last build are skipped (``Result.up_to_date``;
    see :mod:`twocreate.build.cache`) unless ``force``. ``dry_run``: nothing runs; every job comes
    back with ``Result.status`` saying "up to date" or why it would be rebuilt. ``progress``: a
    progress bar (default: when standard output is a terminal), else one plain line per report.
    """
    from ..funds import plan_disbursements
    from ..plan import load_plan
    where = config.paths()
    out_dir = Path(out_dir) if out_dir is not None else where.reports
    processed_dir = Path(processed_dir) if processed_dir is not None else where.processed
    plans = [p if not isinstance(p, (str, os.PathLike)) and p is not None else load_plan(p)
             for p in (plan if isinstance(plan, (list, tuple)) else [plan])]
    known = load_known(out_dir / cache.CACHE_FILE.parent)
    specs = discover(notebooks_dir, known)
    if only:
        unknown = [o for o in only if o not in {s.name for s in specs}]
        if unknown:
            raise ValueError(f"unknown report(s) {', '.join(unknown)}; known: {', '.join(s.name for s in specs)}")
        specs = [s for s in specs if s.name in only]
    all_jobs, absent = [], {}
    for p in plans:
        if years == "all":
            ys = list(p.period)
        else:
            ys = list(years) if years else [year if year is not None else p.target_year]
        disb = plan_disbursements(p) if disbursements == "plan" else disbursements
        for y in sorted(ys, reverse=True):  # newest first: the year people look at is ready first
            all_jobs += plan_jobs(specs, y, langs, out_dir, observations, plan=p, areas=areas, sheet=sheet,
                                  tasks=tasks, disbursements=disb)
        absent[p.id] = {s.name: (s, REQUIREMENT_REASONS.get(lacks(p, s), (lacks(p, s),) * 2))
                        for s in specs if lacks(p, s)}
    versions = package_versions()
    # the page options shape every page too: a change rebuilds (reported as a change of the versions)
    shaping = dict(versions, **({"page options": f"office={office!r} appendix={appendix}"}
                                if office or not appendix else {}))
    keys, stale = cache.build_plan(all_jobs, out_dir, processed_dir, shaping, force)
    if dry_run:
        return [Result(j, True, 0.0, status=("up to date" if why is None else f"would rebuild: {why}"),
                       up_to_date=why is None) for j, why in stale]
    for reasons in absent.values():
        for name, (_s, reason) in reasons.items():
            log(f"twocreate: {name}: not built: {reason[1]}")
    entries = cache.load(out_dir)
    results: list[Result] = []
    for job, why in stale:
        if why is None:
            e = entries[str(job.out_html.relative_to(out_dir))]["result"]
            results.append(Result(job, True, 0.0, status=e.get("status", ""), record=e, up_to_date=True))
    todo = [job for job, why in stale if why is not None]

    def finished(r: Result) -> None:
        """Record a report in the cache as it finishes (a crash later loses nothing done)."""
        rel = str(r.job.out_html.relative_to(out_dir))
        if r.ok:
            entries[rel] = cache.entry_for(keys[rel], r.record.get("inputs", []), r.outputs, processed_dir,
                                           dict(r.record))
        else:
            entries.pop(rel, None)  # a failed report is never cached as good: the next run retries it
        cache.record(out_dir, rel, entries.get(rel))

    removed = remove_leftovers(out_dir, processed_dir)
    if removed:
        log(f"twocreate: removed {removed} temporary file(s) left by an interrupted run")
    generated = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    save_known(out_dir / cache.CACHE_FILE.parent, known)
    if not todo:
        log(f"twocreate: {len(all_jobs)} report(s), all up to date")
        update_index(out_dir, results, generated, plans=plans, absent=absent, processed_dir=processed_dir)
        return results
    t_build = time.monotonic()
    built = _build(todo, len(all_jobs), where.root, out_dir, processed_dir, versions, generated, jobs, log,
                   progress, signals or Signals(), finished, start_timeout=start_timeout,
                   execution_timeout=execution_timeout, office=office, appendix=appendix)
    t_build = time.monotonic() - t_build
    results += built
    cache.save(out_dir, entries)
    order = {str(j.out_html): k for k, j in enumerate(all_jobs)}
    results.sort(key=lambda r: order[str(r.job.out_html)])
    update_index(out_dir, [r for r in results if r.ok], generated, plans=plans, absent=absent,
                 processed_dir=processed_dir)
    write_timings(out_dir, sorted(built, key=lambda r: order[str(r.job.out_html)]), _workers(jobs, len(todo)),
                  t_build, generated)
    return results


TIMINGS_FILE = Path("_logs") / "timings.json"


def write_timings(out_dir: Path, built: list[Result], workers: int, seconds: float, generated: str) -> Path:
    """Write where the time of this run's reports went to ``<out>/_logs/timings.json`` (atomically;
    only a run that built something writes it, so a no-op run rewrites nothing): the run (when,
    workers, wall seconds of the build) and one entry per report it ran (path, kind, lang, area, ok,
    total and the parts of :data:`~.jobs.TIMING_PARTS`, seconds)."""
    reports = [{"path": str(r.job.out_html.relative_to(out_dir)), "kind": r.job.spec.kind, "lang": r.job.lang,
                "area": r.job.area_code, "ok": r.ok, "total": round(r.seconds, 4),
                **{part: round(r.timings.get(part, 0.0), 4) for part in TIMING_PARTS}} for r in built]
    data = {"generated": generated, "workers": workers, "build_seconds": round(seconds, 4), "reports": reports}
    path = out_dir / TIMINGS_FILE
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return path


def _workers(jobs: int | None, todo: int) -> int:
    """How many worker processes build ``todo`` reports (``jobs``: at most that many; default: one per CPU)."""
    return max(1, min(jobs or os.cpu_count() or 1, todo or 1))


def _build(todo: list[Job], total: int, root: Path, out_dir: Path, processed_dir: Path, versions: dict,
           generated: str, jobs: int | None, log, progress: bool | None, signals: Signals, finished,
           **timeouts) -> list[Result]:
    """Run ``todo`` on the workers, calling ``finished`` with each result as it comes; on an
    interruption or a write error stop every worker and kernel and clean up, then re-raise. The
    run's temporary folder is removed however the run ends."""
    from .kernels import ensure_kernel
    ensure_kernel()
    workers = _workers(jobs, len(todo))
    log(f"twocreate: {total} report(s): {len(todo)} to build, {total - len(todo)} up to date; {workers} at a time")
    kw = dict(out_dir=out_dir, commit=git_commit(), versions=versions, generated=generated,
              processed_dir=processed_dir, **timeouts)
    results = []
    tmp = make_run_tmp()
    pool = bar = None
    with signals.catching(signal.SIGTERM):
        try:
            pool = Pool(workers, root, kw, tmp, run_job)
            bar = _progress_bar(len(todo), progress)
            for i, r in enumerate(pool.map(todo), 1):
                results.append(r)
                finished(r)
                line = _progress_line(i, len(todo), r)
                if bar is not None:
                    bar.set_postfix_str(r.job.label, refresh=False)
                    bar.update(1)
                    if not r.ok:
                        bar.write(line)
                    getattr(log, "record", lambda _line: None)(line)  # the log file has every line
                else:
                    log(line)
        except BaseException:
            with signals.deferred():  # a second Ctrl-C waits for the clean-up of the first
                if pool is not None:
                    pool.terminate()
                else:
                    kill_descendants()
                remove_leftovers(out_dir, processed_dir)
            raise
        else:
            pool.close()
            kill_descendants(kernels_only=True)  # spare kernels nobody took: none may outlive the run
        finally:
            if bar is not None:
                bar.close()
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def _progress_bar(total: int, progress: bool | None):
    """A tqdm bar on a terminal (count, elapsed, estimate); None under cron or in a log (plain lines)."""
    if progress is None:
        progress = sys.stdout.isatty()
    if not progress:
        return None
    from tqdm import tqdm
    return tqdm(total=total, unit="report", dynamic_ncols=True, file=sys.stdout,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}] {postfix}")


def remove_leftovers(*folders: Path) -> int:
    """Delete temporary files and staging folders an interrupted run may have left; return how many."""
    n = 0
    for folder in folders:
        if not folder.exists():
            continue
        for p in list(folder.rglob(".*.tmp")):
            with contextlib.suppress(OSError):
                p.unlink(missing_ok=True)
                n += 1
        for d in list(folder.glob(".staging-*")):
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


def _progress_line(i: int, n: int, r: Result) -> str:
    state = "ok  " if r.ok else "FAIL"
    return f"[{i}/{n}] {state} {r.job.label} ({r.seconds:.1f} s)"


def summary_lines(results: list[Result], out_dir: Path, verbose: bool = True) -> list[str]:
    """One line per report built or failed (``verbose``: also per report up to date), then
    "N built, M up to date, K failed"."""
    rel = config.relative
    lines = []
    for r in results:
        if r.up_to_date:
            if verbose:
                lines.append(f"UP-TO-DATE {r.job.label:<37}         {rel(r.job.out_html)}")
        elif r.ok:
            lines.append(f"OK      {r.job.label:<40} {r.seconds:5.1f} s  {rel(r.job.out_html)}"
                         + (f"  — {r.status}" if r.status else ""))
        else:
            where = f"; executed copy: {rel(r.failed_copy)}" if r.failed_copy else ""
            lines.append(f"FAILED  {r.job.label:<40} {r.seconds:5.1f} s  {r.error}{where}")
    fresh = sum(r.up_to_date for r in results)
    built = sum(r.ok and not r.up_to_date for r in results)
    failed = sum(not r.ok for r in results)
    lines.append(f"{built} built, {fresh} up to date, {failed} failed")
    return lines
