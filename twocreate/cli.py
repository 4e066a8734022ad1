"""The ``twocreate`` command (also ``python -m twocreate``).

Exit codes: 0 every report built (or the input is valid); 1 a report failed; 2 bad input or usage,
another run building into the same folder, or a file that cannot be written (read-only folder, full
disk); 130 / 143 interrupted (SIGINT / SIGTERM).
"""
from __future__ import annotations

import argparse
from dataclasses import fields, replace
import contextlib
import datetime as dt
import os
import signal
import sys
from pathlib import Path

from . import limits as _limits
from .errors import InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 (argparse's own convention too)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


# long: one argparse declaration per subcommand, a list to read rather than logic
def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="twocreate", description="Monitor a city's plan (a folder of data; default: the 2016 "
                "small/micro-enterprise demonstration plan): build the reports, check input files.")
    plan_help = ("plan to report on: an id of data/raw/plans/ (e.g. jinan-2025-private-economy) or a plan folder "
                 "(default: jinan-2016-twocreate)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="run the report notebooks and export HTML")
    r.add_argument("--plan", default=None, metavar="ID|DIR|all",
                   help=plan_help + "; 'all': every plan of data/raw/plans/, each on its own shipped inputs")
    r.add_argument("--year", default=None,
                   help="report year, or 'all' for every year of the plan period, newest last "
                        "(default: each notebook's default)")
    r.add_argument("--only", nargs="+", metavar="NAME", help="only these reports (see `twocreate list`)")
    r.add_argument("--lang", choices=["zh", "en", "all"], default="all", help="edition(s) to build (default: all)")
    r.add_argument("--observations", type=Path, help="outturn file (CSV, xls/xlsx/xlsm/ods; tidy or wide layout, "
                   "Chinese or English headers) instead of the shipped one")
    r.add_argument("--sheet", default=None, help="sheet of the outturn workbook, by name or 0-based number "
                   "(default: the first)")
    r.add_argument("--tasks", type=Path, help="task-outturn file (CSV/xlsx, tidy format) instead of the shipped one")
    r.add_argument("--disbursements", metavar="FILE|plan|none",
                   help="disbursement file (CSV/xlsx) for fund execution; 'plan' (the default): the file each plan's "
                        "plan.toml names (the shipped illustrative one); 'none': no spending shown, the reports say "
                        "none was supplied")
    r.add_argument("--out", type=Path, default=None, help="reports folder (default: reports/)")
    r.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: number of CPUs)")
    r.add_argument("--timeout", type=int, default=900, help="per-cell execution timeout, seconds (default 900)")
    r.add_argument("--processed", type=Path, default=None, help="folder for processed tables (default: data/processed/)")
    r.add_argument("--areas", nargs="+", metavar="CODE", help="for batch reports (district profiles): only these areas")
    r.add_argument("--notebooks", type=Path, default=None, help="folder of report notebooks (default: notebooks/)")
    r.add_argument("--force", action="store_true", help="rebuild every report, even those up to date")
    r.add_argument("--pdf", action="store_true", help="also write a PDF beside each report (printed by headless "
                   "Chromium where it is installed; where it is not, one line says so)")
    r.add_argument("--office", default="", metavar="TEXT", help="compiling office named in each report's title "
                   "block (default: blank, a line to fill in on paper)")
    r.add_argument("--no-appendix", dest="appendix", action="store_false", help="leave the appendix (provenance, "
                   "parameters, input files with SHA-256) out of the reports")
    r.add_argument("--dry-run", action="store_true", help="build nothing: list each report as up to date or "
                   "as to be rebuilt, and why (which input, notebook or code changed)")
    r.add_argument("--wait", action="store_true", help="when another run is building into the same --out or "
                   "--processed folder, wait for it to finish (default: exit 2 at once, naming it)")
    r.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="a progress bar (default: on a terminal; plain lines in a log or under cron)")
    _add_limit_options(r)
    v = sub.add_parser("validate", help="check an input file and print every problem found")
    v.add_argument("file", type=Path)
    v.add_argument("--sheet", default=None, help="sheet of a workbook, by name or 0-based number (default: the first)")
    v.add_argument("--plan", default=None, metavar="ID|DIR", help=plan_help + "; the plan whose names the file uses")
    v.add_argument("--strict", action="store_true", help="treat warnings (edit checks, skipped rows) as errors: exit 2")
    v.add_argument("--kind", choices=["auto", "observations", "targets", "plan", "register", "scenario",
                                      "disbursements", "context", "tasks"], default="auto",
                   help="what the file is (default: guessed from its columns; a folder is plan files)")
    _add_limit_options(v)
    ls = sub.add_parser("list", help="list the report notebooks and their parameters")
    ls.add_argument("--plan", default=None, metavar="ID|DIR", help=plan_help + "; says which reports it cannot have")
    t = sub.add_parser("template", help="write an Excel workbook to fill in with outturns (drop-downs, units, "
                       "the plan's targets for reference)")
    t.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    t.add_argument("--plan", default=None, metavar="ID|DIR", help=plan_help)
    t.add_argument("--layout", choices=["wide", "tidy"], default="wide", help="one row per indicator and area with "
                   "a column per year (wide, default) or one row per value (tidy)")
    t.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of headers and names (default zh)")
    t.add_argument("--year", type=int, default=None, help="only this year's column or rows (default: every year "
                   "of the plan)")
    t.add_argument("--areas", choices=["city", "all"], default="all", help="rows for the city only, or the city "
                   "and every district (default all)")
    _register_parser(sub)
    _synth_register_parser(sub)
    return p


def _register_parser(sub) -> None:
    from .enterprise import STATUS_ORDER
    p = sub.add_parser("register", help="build the district × year indicator table from an enterprise register",
                       description="Build the district × year small/micro indicator table from an enterprise "
                                   "register (CSV, Parquet, or a folder of Parquet files).")
    p.add_argument("register", help="register: .csv (UTF-8/GB18030), .parquet, or a folder of .parquet files "
                                    "(e.g. year=2017/district=990101/part-0.parquet)")
    p.add_argument("--out", default=None,
                   help="tidy indicator table to write (default: data/processed/register_indicators.csv)")
    p.add_argument("--wide", help="also write the wide district × year totals (employment stock, firm counts)")
    p.add_argument("--drop-bad", action="store_true",
                   help="drop bad rows with a report on stderr instead of failing")
    p.add_argument("--status", default="estimate", choices=STATUS_ORDER,
                   help="status of the output rows (default %(default)s; an illustrative register stays illustrative)")
    p.add_argument("--scheduler", metavar="ADDRESS|local[:N]",
                   help="run on a dask.distributed cluster: the scheduler's address (tcp://host:8786), or local:N "
                        "to start N worker processes on this machine (default: no cluster, pandas in this process)")
    p.add_argument("--memory-limit", metavar="SIZE",
                   help="with --scheduler local[:N]: memory limit of each worker, e.g. 1.5GB (default: the "
                        "machine's memory shared among the workers)")
    p.add_argument("--threads-per-worker", type=int, default=1, metavar="N",
                   help="with --scheduler local[:N]: threads of each worker (default %(default)s)")


def _synth_register_parser(sub) -> None:
    p = sub.add_parser("synth-register", help="write the calibrated synthetic (illustrative) register",
                       description="Write the calibrated SYNTHETIC enterprise register (illustrative only).")
    p.add_argument("--out", required=True,
                   help="register to write: a .csv or .parquet file, or a folder with --partitioned")
    p.add_argument("--seed", type=int, default=2015, help="random seed (default %(default)s)")
    p.add_argument("--rows", type=int, default=None,
                   help="exactly N firm-years, as several synthetic cities (default: the calibrated city, ≈ 2.6M)")
    p.add_argument("--partitioned", action="store_true",
                   help="write a folder of Parquet files partitioned by year and district "
                        "(year=2017/district=990101/part-0.parquet)")


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl-C before the run's own handling began (parsing, imports)
        print("twocreate: interrupted", file=sys.stderr)
        _ignore_late_signals()
        return 130


def _main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            with _interruptible() as signals:
                code = cmd_run(args, signals)
                if signals.received:  # a signal some library swallowed: still an interrupted run
                    raise KeyboardInterrupt(f"signal {signals.received[0]}")
            return code
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "list":
            return cmd_list(args)
        if args.command == "template":
            return cmd_template(args)
        if args.command == "register":
            return cmd_register(args)
        if args.command == "synth-register":
            return cmd_synth_register(args)
    except InputError as err:
        print(f"twocreate: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        print("twocreate: interrupted; no report or processed table was replaced by a partial one", file=sys.stderr)
        _ignore_late_signals()
        return 143 if "signal 15" in str(exc) else 130
    return EXIT_BAD_INPUT


@contextlib.contextmanager
def _interruptible():
    """SIGINT and SIGTERM raise ``KeyboardInterrupt`` and are recorded (in the
    :class:`~twocreate.build.Signals` yielded), so that an interrupted run always exits 130 / 143 and
    says so, even if a library caught the exception on its way up."""
    from .build import Signals
    with Signals().catching(signal.SIGINT, signal.SIGTERM) as signals:
        yield signals


def _ignore_late_signals() -> None:
    """After the clean-up, a second Ctrl-C must not turn the exit into a traceback."""
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, signal.SIG_IGN)


def cmd_run(args, signals=None) -> int:
    from . import build, config
    _use_limits(args)
    plans = _run_plans(args)  # bad input (a broken plan, a bad file): exit 2 before anything runs
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: expected a positive number of parallel notebooks")
    years, plans = _run_years(args, plans)
    langs = list(build.LANGS) if args.lang == "all" else [args.lang]
    out = (args.out if args.out is not None else config.paths().reports).resolve()
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    # the log: a line appended as each report finishes (a dry run writes nothing)
    log = print if args.dry_run else build.RunLog(out / "_logs" / f"run-{stamp}-{os.getpid()}.log")
    try:
        results = build.run(years=years, langs=langs, only=args.only, observations=args.observations,
                            tasks=args.tasks, disbursements=args.disbursements, wait=args.wait,
                            out_dir=out, jobs=args.jobs, log=log, execution_timeout=args.timeout, areas=args.areas,
                            force=args.force, dry_run=args.dry_run, progress=args.progress,
                            plan=plans if len(plans) > 1 else plans[0], signals=signals,
                            office=args.office, appendix=args.appendix,
                            **({"sheet": _sheet(args.sheet)} if args.sheet is not None else {}),
                            **({"notebooks_dir": args.notebooks.resolve()} if args.notebooks else {}),
                            **({"processed_dir": args.processed.resolve()} if args.processed else {}))
    except InputError:
        raise
    except ValueError as err:
        raise InputError(str(err)) from err
    if args.dry_run:
        for r in results:
            print(f"{'up to date' if r.up_to_date else 'rebuild':<10}  {r.job.label:<40} "
                  f"{'' if r.up_to_date else r.status.replace('would rebuild: ', '')}")
        n = sum(not r.up_to_date for r in results)
        print(f"{n} would be built, {len(results) - n} up to date (dry run: nothing was built)")
        return EXIT_OK
    lines = build.summary_lines(results, out, verbose=False)
    for line in lines:
        log(line)
    if args.pdf:
        from .build.pdf import write_pdfs
        write_pdfs([r.job.out_html for r in results if r.ok and r.job.out_html.exists()], log=log)
    log(f"index: {out / 'index.html'}")
    failed = [r for r in results if not r.ok]
    if failed:
        print(f"twocreate: {len(failed)} report(s) failed: {', '.join(r.job.label for r in failed)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _run_plans(args) -> list:
    """The plans of ``twocreate run`` (``--plan all``: every plan of ``data/raw/plans/``), loaded, and
    the input files given checked against them (resolved: the notebooks run in notebooks/, not here)."""
    from . import config
    from .funds import allocation, plan_disbursements, read_disbursements
    from .observations import plan_observations, read_observations
    from .plan import load_plan, plan_ids
    limits = _limits.Limits.current()
    if str(args.disbursements or "").strip().lower() == "none":
        args.disbursements = ""  # the notebooks' "no disbursement file"
    elif args.disbursements is not None and args.disbursements != "plan":
        args.disbursements = Path(args.disbursements).resolve()
    if str(args.plan or "").strip().lower() == "all":
        given = [f"--{o} {getattr(args, o)}" for o in ("observations", "sheet", "tasks") if getattr(args, o) is not None]
        if args.disbursements not in (None, "plan", ""):  # 'none' applies to every plan
            given.append(f"--disbursements {args.disbursements}")
        if given:
            raise InputError(f"{'; '.join(given)}: an input file belongs to one plan: give --plan ID with it "
                             "(--plan all builds every plan on its own shipped inputs)")
        plans = [load_plan(i) for i in plan_ids()]
        if not plans:
            raise InputError(f"--plan all: no plan folder in {config.paths().plans}")
    else:
        plans = [load_plan(args.plan)]
    plan = plans[0]
    if args.observations is not None:
        args.observations = args.observations.resolve()
        read_observations(args.observations, plan, sheet=_sheet(args.sheet), limits=limits)  # InputError: exit 2
    elif args.sheet is not None:
        raise InputError("--sheet needs --observations (the shipped outturns are a CSV file)")
    for p in plans:
        plan_observations(p)  # a plan.toml path leading outside its folders: exit 2 before anything runs
    for opt, table in (("tasks", "tasks"), ("disbursements", "funds")):
        if getattr(args, opt) not in (None, "plan", "") and not plan.has(table):
            raise InputError(f"--{opt} {getattr(args, opt)}: plan {plan.id} has no {table} ({table}.csv), so no report "
                             "uses this file")
    if args.tasks is not None:
        args.tasks = args.tasks.resolve()
        from .tasks import read_task_outturns
        read_task_outturns(args.tasks, plan, limits=limits)  # likewise
    for p in plans:
        disb = plan_disbursements(p) if args.disbursements == "plan" else args.disbursements
        if disb:
            read_disbursements(disb, codes=allocation(p)["code"], limits=limits)  # likewise
    return plans


def _run_years(args, plans: list) -> tuple:
    """The report years of ``twocreate run`` (None: each plan's target year; ``"all"``: each plan's
    period) and the plans that have that year."""
    if args.year is None:
        return None, plans
    if str(args.year).strip().lower() == "all":
        return "all", plans
    try:
        year = int(args.year)
    except ValueError:
        year = None
    having = [p for p in plans if year in p.period]
    if not having:
        p = plans[0]
        span = (f"from {p.base_year + 1} to {p.target_year} (the plan's period)" if len(plans) == 1 else
                "of one plan's period (" + "; ".join(f"{q.id}: {q.base_year + 1}–{q.target_year}" for q in plans) + ")")
        raise InputError(f"--year {args.year}: expected a report year {span} or 'all'")
    return [year], having


# long: one branch per kind of input file, each printing its problems
def cmd_validate(args) -> int:
    """Check one input file; print every problem found (observations, targets) or each kind of
    problem with counts and examples (register), and exit 0 (valid) or 2."""
    from .plan import load_plan

    path = args.file
    kind = args.kind
    limits = _use_limits(args)
    if kind == "auto":
        if path.is_dir():  # a folder of Parquet files is a register; otherwise plan files
            kind = "register" if any(path.rglob("*.parquet")) else "plan"
        else:
            head = _peek(path, args.sheet, limits)
            cols = set(head.columns) if head is not None else {"firm_id"}
            if "firm_id" in cols:
                kind = "register"
            elif "task" in cols:
                kind = "tasks"
            elif {"group", "low", "high", "basis"} <= cols:
                kind = "scenario"
            elif "population_10k" in cols:
                kind = "context"
            elif {"code", "amount"} <= cols:
                kind = "disbursements"
            else:
                kind = "observations"  # the outturn intake finds its table in any layout, or says why not
    if kind == "plan":
        try:
            p = load_plan(directory=path)
        except InputError as err:
            for line in _problem_lines(err.problems or []):
                print(f"error: {line}", file=sys.stderr)
            from .io import problem_count
            n = problem_count(err.problems or []) or 1
            print(f"{path}: {n} problem(s) in the plan folder", file=sys.stderr)
            return EXIT_BAD_INPUT
        kinds = ", ".join(f"{k} {n}" for k, n in p.indicators["target_kind"].value_counts().sort_index().items())
        print(f"{path}: plan {p.id} is valid ({len(p.indicators)} indicator(s): {kinds}; {len(p.areas)} area(s), "
              f"{len(p.funds)} fund row(s), {len(p.tasks)} task(s); {p.base_year}–{p.target_year})")
        return EXIT_OK
    if kind in ("observations", "targets"):
        return _validate_outturns(path, kind, args, limits)
    if kind == "register":
        from .enterprise import read_register, validate_register
        clean, _ = validate_register(read_register(path))
        print(f"{path}: {len(clean)} valid firm-year row(s)")
        return EXIT_OK
    if kind == "scenario":
        from .funds import load_scenario
        sc = load_scenario(path, limits=limits)
        print(f"{path}: valid scenario ({len(sc.split)} instruments, {len(sc.params)} parameters){_enc(sc.read)}")
        return EXIT_OK
    if kind == "tasks":
        from .tasks import read_task_sourced
        t = read_task_sourced(path, load_plan(args.plan), sheet=_sheet(args.sheet), limits=limits)
        print(f"{path}: {len(t.frame)} valid row(s){_enc(t)}")
        return EXIT_OK
    if kind == "disbursements":
        from .funds import read_disbursements_sourced
        d = read_disbursements_sourced(path, limits=limits)
        print(f"{path}: {len(d.frame)} valid row(s){_enc(d)}")
        return EXIT_OK
    from .districts import load_context_sourced
    c = load_context_sourced(path, load_plan(args.plan), limits=limits)
    print(f"{path}: {len(c.frame)} valid row(s){_enc(c)}")
    return EXIT_OK


def _sheet(sheet: str | None):
    return int(sheet) if sheet is not None and sheet.isdigit() else sheet


def _use_limits(args) -> "_limits.Limits":
    """The limits of the command line, also for the notebooks a run starts (through the environment)."""
    lim = _limits_from_args(args)
    env = lim.to_env()
    if env:
        os.environ[_limits.ENV] = env
    return lim


def _problem_lines(problems: list) -> list[str]:
    from .io import problem_lines
    return problem_lines(problems, _limits.Limits.current().max_problems)


def _enc(got) -> str:
    """``; encoding UTF-8`` for a summary line (what the reader used, from its
    :class:`~twocreate.sourced.Sourced`), or nothing; the reader's warnings go to stderr."""
    if got is None:
        return ""
    for w in got.warnings:
        print(f"warning: {got.source}: {w}", file=sys.stderr)
    for c in got.checks:
        if c.level == "warning" and c.check == "encoding":
            print(f"warning: {c.file}: {c.message}", file=sys.stderr)
    return f"; encoding {got.encoding}" if got.encoding else ""


def _peek(path: Path, sheet, limits=None) -> "pd.DataFrame | None":
    """The first header-looking row's labels, to guess what kind of file ``path`` is."""
    from .io import cell_text, load_grid
    if path.suffix.lower() == ".parquet":
        return None
    grid = load_grid(path, _sheet(sheet), limits=limits, head=40)
    import pandas as pd
    for r in grid.rows[:40]:
        labels = [cell_text(c) for c in r if c is not None]
        if len(labels) >= 2:
            return pd.DataFrame(columns=labels)
    return pd.DataFrame()


def _validate_outturns(path: Path, kind: str, args, limits=None) -> int:
    """Outturns or district targets: layout, values read, every error, notice and warning (the first
    ``--max-problems`` of each, then a count by kind)."""
    from .observations import intake
    from .plan import load_plan
    plan = load_plan(args.plan)
    got = intake(path, plan, sheet=_sheet(args.sheet), limits=limits)
    df = got.data
    for level, stream in (("notice", sys.stdout), ("warning", sys.stderr)):
        for line in _problem_lines([c for c in got.checks if c.level == level]):
            print(line if line.startswith(level) else f"{level}: {line}", file=stream)
    if got.problems:
        for line in _problem_lines(got.problems):
            print(f"error: {line}", file=sys.stderr)
        from .io import problem_count
        n = problem_count(got.problems)
        rows = {p.row for p in got.problems if p.row is not None}
        where = f" in {len(rows)} row(s)" if n == len(got.problems) else ""
        print(f"{got.source}: {n:,} problem(s){where}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if kind == "targets":
        from .districts import harmonise_codes
        harmonise_codes(df, plan, source=got.source)
    layout = {"tidy": "tidy (one row per indicator × area × year)",
              "wide_years": "wide (one row per indicator, a column per year)",
              "wide_indicators": "wide (one row per area, a column per indicator)"}[got.layout]
    n_warn = len(got.warnings)
    print(f"{got.source}: encoding {got.encoding}; layout {layout}, header on row {got.header_row}; {len(df)} value(s) read "
          f"({df['indicator'].nunique()} indicator(s), {df['area_code'].nunique()} area(s), "
          f"years {', '.join(map(str, sorted(set(df['year']))))}); {n_warn} warning(s)")
    if n_warn and args.strict:
        print(f"{got.source}: --strict: {n_warn} warning(s) count as errors", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def cmd_template(args) -> int:
    from .plan import load_plan
    from .template import write_template
    plan = load_plan(args.plan)
    if args.year is not None and not plan.base_year <= args.year <= plan.target_year:
        raise InputError(f"--year {args.year}: expected a year from {plan.base_year} to {plan.target_year}")
    if args.out.suffix.lower() != ".xlsx":
        raise InputError(f"--out {args.out}: expected a file name ending in .xlsx")
    write_template(args.out, plan, layout=args.layout, lang=args.lang, year=args.year, areas=args.areas)
    print(f"{args.out}: template written ({args.layout} layout, {args.lang})")
    return EXIT_OK


def cmd_register(args) -> int:
    """``twocreate register REGISTER [--out FILE] [--drop-bad] [--wide FILE] [--scheduler ADDRESS|local[:N]]``.

    ``REGISTER`` is a CSV or Parquet file, or a folder of Parquet files (hive-partitioned or
    not). Without ``--scheduler`` the register is read and processed in this process (pandas);
    with it, partition by partition on a dask cluster; the table written is the same. Progress
    goes to stderr (a bar on a terminal, plain lines otherwise). Exit code 0 when the table
    was written, 2 for bad input (the message goes to stderr)."""
    import warnings

    from . import config
    from .enterprise import RegisterWarning, build_indicator_table, local_cluster
    from .io import write_csv
    from .progress import reporting
    out = args.out if args.out is not None else str(config.paths().processed / "register_indicators.csv")
    if args.memory_limit and not args.scheduler:
        raise InputError("--memory-limit needs --scheduler local[:N]")
    if args.threads_per_worker < 1:
        raise InputError(f"--threads-per-worker {args.threads_per_worker}: expected a number ≥ 1")
    with warnings.catch_warnings(record=True) as caught, reporting(sys.stderr):
        warnings.simplefilter("always", RegisterWarning)
        kwargs = dict(on_bad="drop" if args.drop_bad else "error", status=args.status, with_wide=True)
        if args.scheduler:
            with local_cluster(args.scheduler, args.memory_limit, args.threads_per_worker):
                tidy, wide, report = build_indicator_table(args.register, engine="dask", **kwargs)
        else:
            tidy, wide, report = build_indicator_table(args.register, **kwargs)
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
    write_csv(tidy, out)
    if args.wide:
        write_csv(wide, args.wide)
    print(f"wrote {out}: {len(tidy)} rows ({tidy['area_code'].nunique()} areas, "
          f"{tidy['year'].min()}–{tidy['year'].max()}, status {tidy['status'].iloc[0]})")
    return EXIT_OK


def cmd_synth_register(args) -> int:
    """``twocreate synth-register --out FILE.csv|.parquet|DIR [--seed 2015] [--rows N] [--partitioned]``."""
    from .synthetic import synthetic_chunks, synthetic_register, write_partitioned, write_register
    chunks = synthetic_chunks(args.rows, args.seed) if args.rows is not None else iter([synthetic_register(args.seed)])
    if args.partitioned:
        out, rows, files = write_partitioned(chunks, args.out, args.seed)
        print(f"wrote {out}: {rows:,} firm-years in {files} Parquet files by year and district "
              "(SYNTHETIC, illustrative)")
        return EXIT_OK
    if args.rows is None:
        reg = next(chunks)
        write_register(reg, args.out)
        print(f"wrote {args.out}: {len(reg):,} firm-years {reg['year'].min()}–{reg['year'].max()} "
              "(SYNTHETIC, illustrative)")
        return EXIT_OK
    write_register(chunks, args.out)
    print(f"wrote {args.out}: {args.rows:,} firm-years (SYNTHETIC, illustrative)")
    return EXIT_OK


def cmd_list(args=None) -> int:
    from . import build, config
    from .plan import load_plan
    plan = load_plan(getattr(args, "plan", None))
    print(f"plan {plan.id}: {plan.meta.get('document_number', '')} {plan.text('title', 'zh')} "
          f"({plan.base_year}–{plan.target_year})")
    for spec in build.discover():
        batch = f" (one per {spec.batch})" if spec.batch else ""
        missing = build.lacks(plan, spec)
        absent = (f" — not built for this plan: {build.REQUIREMENT_REASONS.get(missing, (missing, missing))[1]}"
                  if missing else "")
        print(f"{spec.name}{batch}: {spec.title.get('en', '')} / {spec.title.get('zh', '')}{absent}")
        print(f"    notebook: {config.relative(spec.path)}")
        for k, v in spec.parameters.items():
            print(f"    --{k} = {v}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())


def _add_limit_options(parser) -> None:
    """Add ``--max-bytes``, ``--max-rows`` … (:class:`twocreate.limits.Limits`) to a subparser."""
    g = parser.add_argument_group("input limits (a file beyond one is refused before it is parsed)")
    for f in fields(_limits.Limits):
        g.add_argument(_limits.Limits.option(f.name), dest=f.name, type=_positive, default=None, metavar="N",
                       help=_limits.OPTION_HELP[f.name])


def _limits_from_args(args) -> "_limits.Limits":
    """The limits given on the command line (others: :meth:`Limits.current`)."""
    given = {f.name: getattr(args, f.name) for f in fields(_limits.Limits) if getattr(args, f.name, None) is not None}
    return replace(_limits.Limits.current(), **given)


def _positive(text: str) -> int:
    t = text.strip().replace("_", "").replace(",", "")
    mult = 1
    for suffix, m in (("k", 1 << 10), ("m", _limits.MIB), ("g", 1 << 30)):
        if t.lower().endswith(suffix):
            t, mult = t[:-1], m
            break
    if not t.isdigit() or int(t) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a positive whole number (e.g. 500000, or 100M for bytes)")
    return int(t) * mult
