"""The ``twocreate`` command (also ``python -m twocreate``).

Exit codes: 0 every report built (or the input is valid); 1 a report failed; 2 bad input or usage.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .io import REPORTS, InputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 2 (argparse's own convention too)
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="twocreate", description="Monitor Jinan's small/micro-enterprise demonstration plan "
                "2016–2018: build the reports, check input files.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="run the report notebooks and export HTML")
    r.add_argument("--year", type=int, default=None, help="report year (default: each notebook's default)")
    r.add_argument("--only", nargs="+", metavar="NAME", help="only these reports (see `twocreate list`)")
    r.add_argument("--lang", choices=["zh", "en", "all"], default="all", help="edition(s) to build (default: all)")
    r.add_argument("--observations", type=Path, help="outturn file (CSV/xlsx, tidy format) instead of the shipped one")
    r.add_argument("--out", type=Path, default=REPORTS, help="reports folder (default: reports/)")
    r.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: number of CPUs)")
    r.add_argument("--timeout", type=int, default=900, help="per-cell execution timeout, seconds (default 900)")
    r.add_argument("--processed", type=Path, default=None, help="folder for processed tables (default: data/processed/)")
    r.add_argument("--areas", nargs="+", metavar="CODE", help="for batch reports (district profiles): only these areas")
    r.add_argument("--notebooks", type=Path, default=None, help="folder of report notebooks (default: notebooks/)")
    v = sub.add_parser("validate", help="check an input file and print every problem found")
    v.add_argument("file", type=Path)
    v.add_argument("--kind", choices=["auto", "observations", "targets", "plan", "register", "scenario",
                                      "disbursements", "context"], default="auto",
                   help="what the file is (default: guessed from its columns; a folder is plan files)")
    sub.add_parser("list", help="list the report notebooks and their parameters")
    reg = sub.add_parser("register", help="build the district × year indicator table from an enterprise register",
                         add_help=False)
    reg.add_argument("args", nargs=argparse.REMAINDER)
    syn = sub.add_parser("synth-register", help="write the calibrated synthetic (illustrative) register",
                         add_help=False)
    syn.add_argument("args", nargs=argparse.REMAINDER)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("register", "synth-register"):  # their own parsers take the rest
        fn = _register_command(argv[0])
        try:
            return fn(argv[1:])
        except InputError as err:
            print(f"twocreate: error: {err}", file=sys.stderr)
            return EXIT_BAD_INPUT
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            return cmd_run(args)
        if args.command == "validate":
            return cmd_validate(args)
        if args.command == "list":
            return cmd_list()
        if args.command in ("register", "synth-register"):
            return _register_command(args.command)(args.args)
    except InputError as err:
        print(f"twocreate: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        print("twocreate: interrupted; no report or processed table was replaced by a partial one", file=sys.stderr)
        return 143 if "signal 15" in str(exc) else 130
    return EXIT_BAD_INPUT


def _register_command(name: str):
    """``register`` → :func:`twocreate.enterprise.main`; ``synth-register`` → :func:`twocreate.synthetic.main`."""
    if name == "register":
        from .enterprise import main as fn
    else:
        from .synthetic import main as fn
    return fn


def cmd_run(args) -> int:
    from . import reports
    from .observations import read_observations
    from .plan import load_plan

    plan = load_plan()  # a broken plan file is bad input: stop before anything runs
    if args.observations is not None:
        read_observations(args.observations, plan)  # raises InputError: exit 2, nothing touched
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs {args.jobs}: expected a positive number of parallel notebooks")
    year = args.year
    if year is not None and not plan.base_year < year <= plan.target_year:
        raise InputError(f"--year {year}: expected a report year from {plan.base_year + 1} to {plan.target_year} "
                         f"(the plan's period)")
    langs = list(reports.LANGS) if args.lang == "all" else [args.lang]
    specs_year = year if year is not None else plan.target_year
    out = args.out.resolve()
    log_lines: list[str] = []

    def log(line: str) -> None:
        log_lines.append(line)
        print(line, flush=True)

    try:
        results = reports.run(year=specs_year, langs=langs, only=args.only, observations=args.observations,
                              out_dir=out, jobs=args.jobs, log=log, execution_timeout=args.timeout, areas=args.areas,
                              **({"notebooks_dir": args.notebooks.resolve()} if args.notebooks else {}),
                              **({"processed_dir": args.processed.resolve()} if args.processed else {}))
    except ValueError as err:
        raise InputError(str(err)) from err
    lines = reports.summary_lines(results, out)
    for line in lines:
        log(line)
    log(f"index: {out / 'index.html'}")
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    from .io import write_text_atomic
    write_text_atomic(out / "_logs" / f"run-{stamp}-{os.getpid()}.log", "\n".join(log_lines) + "\n")
    failed = [r for r in results if not r.ok]
    if failed:
        print(f"twocreate: {len(failed)} report(s) failed: {', '.join(r.job.label for r in failed)}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_validate(args) -> int:
    """Check one input file; print every problem found (observations, targets) or each kind of
    problem with counts and examples (register), and exit 0 (valid) or 2."""
    from .io import read_table
    from .observations import COLUMNS, check_observations
    from .plan import load_plan

    path = args.file
    kind = args.kind
    if kind == "auto":
        if path.is_dir():  # a folder of Parquet files is a register; otherwise plan files
            kind = "register" if any(path.rglob("*.parquet")) else "plan"
        else:
            head = read_table(path) if path.suffix.lower() != ".parquet" else None
            cols = set(head.columns) if head is not None else {"firm_id"}
            if "firm_id" in cols:
                kind = "register"
            elif {"group", "low", "high", "basis"} <= cols:
                kind = "scenario"
            elif "population_10k" in cols:
                kind = "context"
            elif all(c in cols for c in COLUMNS):
                kind = "observations"
            else:
                missing = [c for c in COLUMNS if c not in cols]
                raise InputError(f"{head.attrs['source']}: row {head.attrs['header_row']}: missing column(s) "
                                 f"{', '.join(missing)}: expected an observations file with columns "
                                 f"{', '.join(COLUMNS)} (or name the kind with --kind)")
    if kind == "plan":
        load_plan(path)
        print(f"{path}: plan files are valid")
        return EXIT_OK
    if kind in ("observations", "targets"):
        df, problems = check_observations(path)
        if problems:
            for pr in problems:
                print(str(pr), file=sys.stderr)
            rows = {p.row for p in problems if p.row is not None}
            print(f"{path}: {len(problems)} problem(s) in {len(rows)} row(s)", file=sys.stderr)
            return EXIT_BAD_INPUT
        if kind == "targets":
            from .districts import harmonise_codes
            harmonise_codes(df, load_plan())
        print(f"{path}: {len(df)} valid row(s)")
        return EXIT_OK
    if kind == "register":
        from .enterprise import read_register, validate_register
        clean, _ = validate_register(read_register(path))
        print(f"{path}: {len(clean)} valid firm-year row(s)")
        return EXIT_OK
    if kind == "scenario":
        from .funds import load_scenario
        sc = load_scenario(path)
        print(f"{path}: valid scenario ({len(sc.split)} instruments, {len(sc.params)} parameters)")
        return EXIT_OK
    if kind == "disbursements":
        from .funds import read_disbursements
        print(f"{path}: {len(read_disbursements(path))} valid row(s)")
        return EXIT_OK
    from .districts import load_context
    print(f"{path}: {len(load_context(path))} valid row(s)")
    return EXIT_OK


def cmd_list() -> int:
    from . import reports
    for spec in reports.discover():
        batch = f" (one per {spec.batch})" if spec.batch else ""
        print(f"{spec.name}{batch}: {spec.title.get('en', '')} / {spec.title.get('zh', '')}")
        print(f"    notebook: {spec.path.relative_to(reports.PROJECT_ROOT)}")
        for k, v in spec.parameters.items():
            print(f"    --{k} = {v}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
