"""The runner: execute report notebooks with papermill (in-process, N at a time), export HTML
with the project's nbconvert template, keep the index, never replace a good report with a
failed run's output.

Layout written under the reports folder (default ``reports/``)::

    <year>/<lang>/<name>.html                  one report
    <year>/<lang>/<name>/<area_code>.html      one report of a batch (e.g. district profiles)
    index.html, manifest.json                  the index and what it is built from
    _failed/<year>/<lang>/<name>[...].ipynb    executed copy of a failed notebook, with traceback
    _failed/<year>/<lang>/<name>[...].stderr.log   what its kernel printed on stderr
    _logs/run-<UTC timestamp>.log              one log per run (also printed)
"""
from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import html
import json
import os
import platform
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from . import config
from .io import atomic_path, sha256, write_text_atomic, write_text_if_changed
from .present import STATUS_MIME

TEMPLATES = config.PACKAGE / "templates"
KERNEL_NAME = "twocreate"
LANGS = ("zh", "en")
SIGNALLED: list[int] = []  # SIGINT/SIGTERM received during a run (the command turns any into exit 130/143)
PACKAGES = ("twocreate", "pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbclient",
            "ipykernel")


# --------------------------------------------------------------------------- the report notebooks
@dataclass
class ReportSpec:
    """A report notebook: its file, name, kind, titles and parameters (from its ``parameters`` cell)."""

    path: Path
    name: str
    kind: str
    title: dict
    batch: str | None
    parameters: dict
    requires: tuple = ()

    @classmethod
    def from_notebook(cls, path: Path) -> "ReportSpec":
        nb = read_notebook_json(path)
        meta = nb.get("metadata", {}).get("twocreate", {})
        name = re.sub(r"^\d+_", "", path.stem)
        return cls(path=path, name=name, kind=meta.get("kind", name), title=meta.get("title", {"zh": name, "en": name}),
                   batch=meta.get("batch"), parameters=notebook_parameters(nb),
                   requires=tuple(meta.get("requires", ())))


def read_notebook_json(path: Path) -> dict:
    """A notebook file as plain JSON (nbformat 4): fast, no schema validation (papermill validates
    when it runs the notebook)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _cell_source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def notebook_parameters(nb: dict) -> dict:
    """The defaults of the cell tagged ``parameters`` (``name = literal  # comment`` lines), in order."""
    import ast
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            src = _cell_source(cell)
            out = {}
            for node in ast.parse(src).body:
                if isinstance(node, (ast.Assign, ast.AnnAssign)):
                    target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                    if isinstance(target, ast.Name) and node.value is not None:
                        out[target.id] = _literal(ast.get_source_segment(src, node.value))
            return out
    return {}


def _literal(src: str | None):
    import ast
    try:
        return ast.literal_eval(src) if src is not None else None
    except (ValueError, SyntaxError):
        return src


def discover(notebooks_dir: Path | None = None) -> list[ReportSpec]:
    """Report notebooks ``NN_*.ipynb`` in order (default: the project's ``notebooks/``)."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else config.paths().notebooks
    return [ReportSpec.from_notebook(p) for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]


# what a report needs from a plan, and what the index says when the plan lacks it
REQUIREMENT_REASONS = {
    "growth": ("计划没有以基期增长率表述的指标（本报告评估增长目标）",
               "the plan has no growth-from-a-base-year targets (this report assesses those)"),
    "targets": ("计划的目标均为基期增长目标，见指标进展报告", "every target of the plan is growth from a base year: "
                "see the trajectory report"),
    "funds": ("计划的资金安排部分未转录（方案中没有资金表）", "the plan's funding section was not transcribed "
              "(the plan folder has no funds)"),
    "districts": ("计划未列出区县（方案中只有全市）", "the plan names no district (the plan folder has the city only)"),
    "tasks": ("计划的任务部分未转录（方案中没有任务表）", "the plan's tasks section was not transcribed "
              "(the plan folder has no tasks)"),
}


def lacks(plan, spec: "ReportSpec") -> str | None:
    """The first requirement of ``spec`` that ``plan`` does not meet (None: the report can be built)."""
    for req in spec.requires:
        if req == "targets":
            ok = bool((plan.indicators["target_kind"] != "growth").any())
        elif req == "growth":
            ok = plan.has("growth")
        else:
            ok = plan.has(req)
        if not ok:
            return req
    return None


def plan_out_dir(out_dir: Path, plan) -> Path:
    """Where a plan's reports go: ``out_dir`` for the default plan, ``out_dir/<plan-id>`` for any other."""
    from .plan import DEFAULT_PLAN
    return out_dir if plan is None or plan.id == DEFAULT_PLAN else out_dir / plan.id


def plan_info(plan) -> dict:
    """What the index shows of a plan: id, titles, document number, period (from its metadata)."""
    m = plan.meta
    return {"plan": plan.id,
            "plan_title": {"zh": str(m.get("title_zh", plan.id)), "en": str(m.get("title_en", plan.id))},
            "plan_sub": {"zh": f"{m.get('document_number', '')} · {m.get('period_start', '')}—{m.get('period_end', '')}年",
                         "en": f"{m.get('document_number', '')} · {m.get('period_start', '')}–{m.get('period_end', '')}"},
            "plan_city": {"zh": str(m.get("city_zh", "")), "en": str(m.get("city_en", ""))}}


@dataclass
class Job:
    spec: ReportSpec
    year: int
    lang: str
    parameters: dict
    out_html: Path
    label: str
    area_code: str | None = None
    kicker: str = ""  # the plan's document number, above every report's title


@dataclass
class Result:
    job: Job
    ok: bool
    seconds: float
    status: str = ""
    error: str = ""
    failed_copy: Path | None = None
    record: dict = field(default_factory=dict)
    up_to_date: bool = False  # skipped: sources unchanged since its last build (nothing rewritten)
    outputs: list[str] = field(default_factory=list)  # processed tables written, relative to their folder


def batch_areas(plan, batch: str) -> list[str]:
    """Area codes a batch notebook runs for: ``district`` = every district in the plan's area table
    that exists at the end of the plan period (successors, not predecessors), functional zones included."""
    if batch != "district":
        raise ValueError(f"unknown batch {batch!r}")
    a = plan.areas
    live = a[(a["role"] != "city") & (a["valid_to"].isna())]
    return live["area_code"].astype(str).tolist()


def plan_jobs(specs: list[ReportSpec], year: int, langs: list[str], out_dir: Path, observations: Path | None,
              plan=None, areas: list[str] | None = None, sheet: str | int | None = None,
              tasks: Path | None = None, disbursements: Path | None = None) -> list[Job]:
    """Every (notebook × language [× area]) job of a run for one report year.

    Input files given to the run go to the notebooks that take them (parameters ``observations``,
    ``task_outturns``, ``disbursements``; ``sheet`` with the outturn file); each notebook uses only
    the figures up to ``year``."""
    jobs = []
    inputs = {"observations": observations, "task_outturns": tasks, "disbursements": disbursements}
    from .plan import DEFAULT_PLAN, load_plan
    plan = plan or load_plan()
    out_dir = plan_out_dir(out_dir, plan)
    kicker = str(plan.meta.get("document_number", ""))
    for spec in specs:
        if lacks(plan, spec):
            continue
        for lang in langs:
            base = {"year": year, "lang": lang}
            if plan.id != DEFAULT_PLAN or plan.directory != _default_dir():
                base["plan_id"] = str(plan.directory.resolve())
            for param, path in inputs.items():
                if path is not None and param in spec.parameters:
                    base[param] = str(Path(path).resolve())
            if observations is not None and sheet is not None and "sheet" in spec.parameters:
                base["sheet"] = sheet
            base = {k: v for k, v in base.items() if k in spec.parameters}
            if spec.batch:
                batch = batch_areas(plan, spec.batch)
                unknown = [a for a in (areas or []) if a not in batch]
                if unknown:
                    raise ValueError(f"--areas: unknown area code(s) {', '.join(unknown)}; "
                                     f"expected some of {', '.join(batch)}")
                for area in (a for a in batch if not areas or a in areas):
                    params = dict(base, area_code=area)
                    jobs.append(Job(spec, year, lang, params, out_dir / str(year) / lang / spec.name / f"{area}.html",
                                    f"{spec.name}[{area}] {lang} {year}", area, kicker=kicker))
            else:
                jobs.append(Job(spec, year, lang, base, out_dir / str(year) / lang / f"{spec.name}.html",
                                f"{spec.name} {lang} {year}", kicker=kicker))
    return jobs


def _default_dir() -> Path:
    from .plan import default_plan_dir
    return default_plan_dir()


# --------------------------------------------------------------------------- provenance
def git_commit() -> str:
    """The git commit of the project (with ``-dirty`` if the work tree has changes), or ``unknown``."""
    root = config.paths().root
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return (head + ("-dirty" if dirty else "")) if head else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def package_versions() -> dict:
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def _rel(path: str | Path) -> str:
    return config.relative(path)


def provenance(parameters: dict, inputs: list[str], commit: str, versions: dict, generated: str) -> dict:
    """The provenance footer's content: parameters, inputs with SHA-256, commit, versions, date."""
    files = []
    for p in inputs:
        path = Path(p)
        files.append({"path": _rel(path), "sha256": sha256(path) if path.is_file() else "missing"})
    return {"generated": generated, "parameters": parameters, "inputs": files, "commit": commit,
            "versions": versions}


# --------------------------------------------------------------------------- HTML export
def read_record(nb) -> dict:
    """The record a notebook emitted with :meth:`twocreate.present.Page.record` (last one wins)."""
    rec: dict = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if STATUS_MIME in data:
                rec = dict(data[STATUS_MIME])
    return rec


def _toc(nb) -> list[tuple[str, str]]:
    toc = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            h = out.get("data", {}).get("text/html", "")
            if isinstance(h, list):
                h = "".join(h)
            for m in re.finditer(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', h, flags=re.S):
                toc.append((m.group(1), re.sub(r"<[^>]+>", "", m.group(2))))
    return toc


def export_html(nb, *, title: str, lang: str, prov: dict, illustrative: bool,
                index_href: str = "../../index.html", kicker: str = "") -> str:
    """Render an executed notebook to self-contained HTML with the ``twocreate`` template.

    Code is hidden; the parameters / injected-parameters cells and stderr streams are dropped;
    charts are embedded PNG; no script, style or font is fetched from the network.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    import nbformat
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))  # a copy we may edit
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                               and STATUS_MIME not in o.get("data", {})]
    h1 = ""
    for cell in nb.cells:
        kept = []
        for o in cell.get("outputs", []):
            h = o.get("data", {}).get("text/html", "")
            h = "".join(h) if isinstance(h, list) else h
            if not h1 and h.lstrip().startswith('<h1 class="tc-title">'):
                h1 = h.strip()
                continue
            kept.append(o)
        if cell.cell_type == "code":
            cell["outputs"] = kept
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.get("outputs")
                or "parameters" in c.metadata.get("tags", [])]
    exporter = HTMLExporter(template_name="twocreate", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    trp = TagRemovePreprocessor(remove_cell_tags={"injected-parameters", "parameters", "remove"}, enabled=True)
    exporter.register_preprocessor(trp, enabled=True)
    nb.metadata["title"] = title
    resources = {"twocreate": {"title": title, "h1": h1, "lang": lang, "toc": _toc(nb), "prov": prov,
                               "illustrative": illustrative, "index_href": index_href, "kicker": kicker,
                               "labels": FOOTER_LABELS[lang]}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return body.replace(FONT_PLACEHOLDER, font_face_css(body), 1)


FONT_PLACEHOLDER = "/*twocreate-font-face*/"


def font_face_css(page: str) -> str:
    """A CSS ``@font-face`` embedding the CJK characters of ``page`` (subset of the shipped Noto Sans
    CJK SC, WOFF, base64), so Chinese renders offline on machines without a CJK font ("" if none)."""
    import base64
    import io as _io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from .plotting import FONT_FILE
    text = re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "", page)
    chars = "".join(sorted({c for c in text if ord(c) >= 0x2E80}))
    if not chars:
        return ""
    opts = subset.Options()
    opts.flavor = "woff"
    opts.hinting = False
    opts.layout_features = ["*"]
    font = TTFont(str(FONT_FILE), lazy=True, recalcTimestamp=False)  # byte-identical across runs
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = _io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return ("@font-face{font-family:\"TwocreateCJK\";font-style:normal;font-weight:400;font-display:swap;"
            f"src:url(data:font/woff;base64,{data}) format(\"woff\");unicode-range:U+2E80-FFFF}}")


FOOTER_LABELS = {
    "zh": {"toc": "目录", "generated": "生成时间", "provenance": "数据来源与运行记录", "parameters": "参数",
           "inputs": "输入文件（SHA-256）", "commit": "代码版本（git commit）", "versions": "软件版本",
           "illustrative": "本报告含示例数据（非官方统计）", "index": "全部报告"},
    "en": {"toc": "Contents", "generated": "Generated", "provenance": "Provenance", "parameters": "Parameters",
           "inputs": "Input files (SHA-256)", "commit": "Code version (git commit)", "versions": "Software versions",
           "illustrative": "This report contains illustrative data (not official statistics)",
           "index": "All reports"},
}


# --------------------------------------------------------------------------- running
def ensure_kernel() -> str:
    """Make sure the project's kernel (this Python) is registered; return its name."""
    from jupyter_client.kernelspec import KernelSpecManager
    specs = KernelSpecManager().find_kernel_specs()
    if KERNEL_NAME not in specs:
        from ipykernel.kernelspec import install
        install(prefix=sys.prefix, kernel_name=KERNEL_NAME, display_name="Python (twocreate)")
    return KERNEL_NAME


# --------------------------------------------------------------------------- warm kernels
WARM_IMPORTS = ("pandas", "numpy", "matplotlib", "matplotlib.pyplot", "seaborn", "twocreate.plan",
                "twocreate.observations", "twocreate.plotting", "twocreate.present")
_WARMUP = ("def _twocreate_warm():\n    import importlib\n    for m in %r:\n        importlib.import_module(m)\n"
           "_twocreate_warm()\ndel _twocreate_warm\n" % (WARM_IMPORTS,))


@dataclass
class WarmKernel:
    """A kernel started ahead of its notebook (in this worker process), importing the heavy stack.

    It is a **fresh** kernel: no notebook has run in it; the warm-up imports modules without binding
    any name in the user namespace (``sys.modules`` only) and is deleted afterwards.
    """

    km: object
    cwd: str
    log: Path
    warmup_id: str
    kc: object


_SPARE: dict[str, WarmKernel] = {}  # per worker process: the kernel its next job will use


def start_warm_kernel(cwd: Path) -> WarmKernel:
    """Start a kernel in ``cwd`` and ask it to import the heavy stack; return at once."""
    from jupyter_client.manager import KernelManager
    log = Path(tempfile.mkstemp(prefix="twocreate-kernel-", suffix=".stderr.log")[1])
    km = KernelManager(kernel_name=KERNEL_NAME)
    with open(log, "wb") as fh:
        km.start_kernel(cwd=str(cwd), stderr=fh)
    kc = km.client()
    kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)  # the warm-up needs the shell only
    msg_id = kc.execute(_WARMUP, silent=True, store_history=False)
    return WarmKernel(km, str(cwd), log, msg_id, kc)


WARM_WAIT = 45  # seconds a kernel started ahead may take to finish its warm-up before it is dropped


def take_warm_kernel(cwd: Path, start_timeout: int) -> WarmKernel | None:
    """The spare kernel of this worker if it was started for ``cwd`` and is alive, else a new one,
    once its warm-up imports are done. None if it does not answer within :data:`WARM_WAIT` seconds
    (a loaded machine, a lost reply): the caller then lets papermill start a kernel the usual way,
    so a warm kernel can make a report faster but never make it fail."""
    wk = _SPARE.pop(str(cwd), None)
    try:
        if wk is None or not wk.km.is_alive():
            if wk is not None:
                _shutdown(wk)
            wk = start_warm_kernel(cwd)
        deadline = time.monotonic() + min(WARM_WAIT, start_timeout)
        # the warm-up's reply says the kernel is up and the imports are done (wait_for_ready would
        # swallow it: it drops every shell reply but its own)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not wk.km.is_alive():
                _shutdown(wk)
                return None
            try:
                msg = wk.kc.get_shell_msg(timeout=min(left, 2.0))
            except queue.Empty:
                continue
            if msg.get("parent_header", {}).get("msg_id") == wk.warmup_id:
                wk.kc.stop_channels()
                return wk
    except Exception:  # noqa: BLE001 - any trouble with the spare: fall back to a plain start
        if wk is not None:
            _shutdown(wk)
        return None


def _shutdown(wk: WarmKernel) -> None:
    try:
        wk.kc.stop_channels()
    except Exception:  # noqa: BLE001 - best effort on the way out
        pass
    try:
        wk.km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        pass
    wk.log.unlink(missing_ok=True)


def run_job(job: Job, *, out_dir: Path, commit: str, versions: dict, generated: str,
            start_timeout: int = 120, execution_timeout: int = 900, processed_dir: Path | None = None,
            spare: bool = False) -> Result:
    """Execute one job and write its HTML atomically; on failure keep the executed copy.

    The notebook runs in a fresh kernel of its own, started ahead if a spare was prepared;
    ``spare``: start the kernel for this worker's next job now, so that its start-up overlaps
    with this job's work.
    """
    import papermill
    t0 = time.monotonic()
    processed_dir = Path(processed_dir) if processed_dir is not None else config.paths().processed
    params = dict(job.parameters)
    staging = None
    if "processed_dir" in job.spec.parameters:
        processed_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=processed_dir))
        params["processed_dir"] = str(staging)
    tmp_nb = Path(tempfile.mkdtemp(prefix="twocreate-")) / f"{job.spec.name}.ipynb"
    kernel_log = tmp_nb.with_suffix(".stderr.log")
    wk = None
    try:
        try:
            cwd = job.spec.path.parent
            wk = take_warm_kernel(cwd, start_timeout)
            if wk is not None:
                kernel_log = wk.log
            if spare:
                try:
                    _SPARE[str(cwd)] = start_warm_kernel(cwd)
                except Exception:  # noqa: BLE001 - no spare: the next job starts its kernel itself
                    pass
            warm = {"km": wk.km} if wk is not None else {}
            with _stderr_to(tmp_nb.with_suffix(".client.log") if wk is not None else kernel_log):
                nb = papermill.execute_notebook(
                    str(job.spec.path), str(tmp_nb), parameters=params, kernel_name=KERNEL_NAME,
                    progress_bar=False, log_output=False, start_timeout=start_timeout,
                    execution_timeout=execution_timeout, cwd=str(cwd), **warm)
            rec = read_record(nb)
            shown = {k: v for k, v in params.items() if k != "processed_dir"}
            prov = provenance(dict(job.spec.parameters, **shown), rec.get("inputs", []), commit, versions, generated)
            title = job.spec.title.get(job.lang, job.spec.name)
            if rec.get("title"):
                title = rec["title"]
            body = export_html(nb, title=title, lang=job.lang, prov=prov, illustrative=bool(rec.get("illustrative")),
                               index_href=os.path.relpath(out_dir / index_name(job.lang), job.out_html.parent),
                               kicker=job.kicker)
        except Exception as exc:  # noqa: BLE001 - isolate any failure of one report
            failed = out_dir / "_failed" / job.out_html.relative_to(out_dir).with_suffix(".ipynb")
            failed.parent.mkdir(parents=True, exist_ok=True)
            if tmp_nb.exists():
                shutil.copyfile(tmp_nb, failed)
                if kernel_log.exists() and kernel_log.stat().st_size:
                    shutil.copyfile(kernel_log, failed.with_suffix(".stderr.log"))
            else:
                failed = None
            msg = _short_error(exc)
            return Result(job, False, time.monotonic() - t0, error=msg, failed_copy=failed)
        write_text_atomic(job.out_html, body)
        outputs = _promote(staging, processed_dir) if staging is not None else []
        rec["title"] = title
        rec["generated"] = generated
        return Result(job, True, time.monotonic() - t0, status=rec.get("status", ""), record=rec, outputs=outputs)
    finally:
        if wk is not None:
            _shutdown(wk)
        shutil.rmtree(tmp_nb.parent, ignore_errors=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _stderr_to(path: Path):
    """Send this process's stderr (fd 2, inherited by the Jupyter kernel) to ``path`` for the duration.

    Keeps the kernels' start-up chatter out of the run log; the file is kept beside the executed
    copy of a notebook that fails."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "wb") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _promote(staging: Path, dest: Path) -> list[str]:
    """Move every file written to ``staging`` into ``dest`` (same relative path), one rename each;
    return the relative paths moved."""
    moved = []
    for f in sorted(staging.rglob("*")):
        if f.is_file():
            rel = f.relative_to(staging)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(f, target)
            moved.append(str(rel))
    return moved


def _short_error(exc: Exception) -> str:
    name = type(exc).__name__
    if name == "PapermillExecutionError":
        ename = getattr(exc, "ename", "")
        evalue = getattr(exc, "evalue", "")
        return f"cell {getattr(exc, 'exec_count', '?')}: {ename}: {evalue}".strip()
    return f"{name}: {exc}".splitlines()[0]


def run(*, year: int | None = None, langs: list[str], only: list[str] | None = None, observations: Path | None = None,
        out_dir: Path | None = None, jobs: int | None = None, notebooks_dir: Path | None = None,
        log=print, start_timeout: int = 120, execution_timeout: int = 900,
        areas: list[str] | None = None, processed_dir: Path | None = None,
        sheet: str | int | None = None, years: list[int] | None = None,
        tasks: Path | None = None, disbursements: Path | None = None, plan=None, force: bool = False,
        dry_run: bool = False, progress: bool | None = None) -> list[Result]:
    """Run the selected reports for ``year`` (or each of ``years``); returns one :class:`Result` per job
    (the caller sets the exit code).

    On SIGINT or SIGTERM the workers and their kernels are stopped, temporary files removed and
    ``KeyboardInterrupt`` raised: reports and processed tables are either the previous complete
    file or the new complete file, never a partial one.

    Reports whose sources are unchanged since their last build are skipped (``Result.up_to_date``;
    see :mod:`twocreate.cache`) unless ``force``. ``dry_run``: nothing runs; every job comes back
    with ``Result.status`` saying "up to date" or why it would be rebuilt. ``progress``: a progress
    bar (default: when standard output is a terminal), else one plain line per report.
    """
    from .plan import load_plan
    where = config.paths()
    out_dir = Path(out_dir) if out_dir is not None else where.reports
    processed_dir = Path(processed_dir) if processed_dir is not None else where.processed
    plan = plan if plan is not None and not isinstance(plan, (str, os.PathLike)) else load_plan(plan)
    specs = discover(notebooks_dir)
    if only:
        unknown = [o for o in only if o not in {s.name for s in specs}]
        if unknown:
            raise ValueError(f"unknown report(s) {', '.join(unknown)}; known: {', '.join(s.name for s in specs)}")
        specs = [s for s in specs if s.name in only]
    years = list(years) if years else [year if year is not None else plan.target_year]
    all_jobs = []
    for y in sorted(years, reverse=True):  # newest first: the year people look at is ready first
        all_jobs += plan_jobs(specs, y, langs, out_dir, observations, plan=plan, areas=areas, sheet=sheet,
                              tasks=tasks, disbursements=disbursements)
    absent = {s.name: (s, lacks(plan, s)) for s in specs if lacks(plan, s)}
    absent_reasons = {n: (sp, REQUIREMENT_REASONS.get(req, (req, req))) for n, (sp, req) in absent.items()}
    from . import cache
    versions = package_versions()
    keys, stale = build_plan(all_jobs, out_dir, processed_dir, versions, force)
    entries = cache.load(out_dir)
    if dry_run:
        return [Result(j, True, 0.0, status=("up to date" if why is None else f"would rebuild: {why}"),
                       up_to_date=why is None) for j, why in stale]
    for name, (_s, req) in absent.items():
        log(f"twocreate: {name}: not built: {REQUIREMENT_REASONS.get(req, (req, req))[1]}")
    results: list[Result] = []
    for job, why in stale:
        if why is None:
            e = entries[_rel_to(job.out_html, out_dir)]["result"]
            results.append(Result(job, True, 0.0, status=e.get("status", ""), record=e, up_to_date=True))
    todo = [job for job, why in stale if why is not None]
    removed = remove_leftovers(out_dir, processed_dir)
    if removed:
        log(f"twocreate: removed {removed} temporary file(s) left by an interrupted run")
    generated = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    if not todo:
        log(f"twocreate: {len(all_jobs)} report(s), all up to date")
        update_index(out_dir, results, generated, plan=plan, absent=absent_reasons)
        return results
    ensure_kernel()
    commit = git_commit()
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    log(f"twocreate: {len(all_jobs)} report(s): {len(todo)} to build, {len(all_jobs) - len(todo)} up to date; "
        f"{workers} at a time")
    kw = dict(out_dir=out_dir, commit=commit, versions=versions, generated=generated,
              start_timeout=start_timeout, execution_timeout=execution_timeout, processed_dir=processed_dir)
    import multiprocessing as mp
    import signal

    def _on_term(signum, frame):
        SIGNALLED.append(signum)
        raise KeyboardInterrupt(f"signal {signum}")

    old_term = signal.signal(signal.SIGTERM, _on_term)
    pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"),
                                  initializer=_worker_init, initargs=(str(where.root),))
    bar = _progress_bar(len(todo), progress)
    try:
        # a worker prepares a spare kernel only while at least one job per worker is still queued
        futs = {pool.submit(run_job, job, spare=k + workers < len(todo), **kw): job for k, job in enumerate(todo)}
        for i, fut in enumerate(cf.as_completed(futs), 1):
            try:
                r = fut.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker is one failed report
                r = Result(futs[fut], False, 0.0, error=f"{type(exc).__name__}: {exc}")
            results.append(r)
            if bar is not None:
                bar.set_postfix_str(r.job.label, refresh=False)
                bar.update(1)
                if not r.ok:
                    bar.write(_progress_line(i, len(todo), r))
            else:
                log(_progress_line(i, len(todo), r))
    except BaseException:
        _kill_descendants()
        pool.shutdown(wait=False, cancel_futures=True)
        remove_leftovers(out_dir, processed_dir)
        raise
    finally:
        signal.signal(signal.SIGTERM, old_term)
        if bar is not None:
            bar.close()
    _kill_descendants(kernels_only=True)  # spare kernels nobody took: none may outlive the run
    pool.shutdown(wait=True)
    for r in results:
        rel = _rel_to(r.job.out_html, out_dir)
        if r.up_to_date:
            continue
        if r.ok:
            entries[rel] = cache.entry_for(keys[rel], r.record.get("inputs", []), r.outputs, processed_dir,
                                           {k: v for k, v in r.record.items()})
        else:
            entries.pop(rel, None)  # a failed report is never cached as good: the next run retries it
    cache.save(out_dir, entries)
    order = {str(j.out_html): k for k, j in enumerate(all_jobs)}
    results.sort(key=lambda r: order[str(r.job.out_html)])
    update_index(out_dir, [r for r in results if r.ok], generated, plan=plan, absent=absent_reasons)
    return results


def _worker_init(root: str) -> None:
    """In each worker process: its kernels read the project this run reads (not the one their
    notebook folder happens to sit in)."""
    os.environ[config.ENV] = root


def _rel_to(path: Path, root: Path) -> str:
    return str(Path(path).relative_to(root))


def build_plan(all_jobs: list[Job], out_dir: Path, processed_dir: Path, versions: dict,
               force: bool = False) -> tuple[dict, list[tuple[Job, str | None]]]:
    """The build key of each job and, per job, why it must be rebuilt (None: up to date)."""
    from . import cache
    entries = cache.load(out_dir)
    source = cache.source_hash()
    nb_sha: dict[Path, str] = {}
    keys, out, hashes = {}, [], {}
    for job in all_jobs:
        if job.spec.path not in nb_sha:
            nb_sha[job.spec.path] = cache.notebook_hash(job.spec.path)
        params = dict(job.parameters)
        if "processed_dir" in job.spec.parameters:
            params["processed_dir"] = str(processed_dir)
        rel = _rel_to(job.out_html, out_dir)
        keys[rel] = cache.BuildKey.of(nb_sha[job.spec.path], params, source, versions)
        why = "forced (--force)" if force else cache.stale_reason(entries.get(rel), keys[rel], job.out_html, out_dir,
                                                                    hashes)
        out.append((job, why))
    return keys, out


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
            p.unlink(missing_ok=True)
            n += 1
        for d in list(folder.glob(".staging-*")):
            shutil.rmtree(d, ignore_errors=True)
            n += 1
    return n


def _kill_descendants(kernels_only: bool = False) -> None:
    """SIGKILL every process below this one (pool workers and their Jupyter kernels; ``kernels_only``:
    the kernels alone)."""
    import signal
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    todo, found = [os.getpid()], []
    while todo:
        for c in children.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    for pid in found:
        if kernels_only and not _is_kernel(pid):
            continue
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _is_kernel(pid: int) -> bool:
    try:
        return b"ipykernel" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _progress_line(i: int, n: int, r: Result) -> str:
    state = "ok  " if r.ok else "FAIL"
    return f"[{i}/{n}] {state} {r.job.label} ({r.seconds:.1f} s)"


def summary_lines(results: list[Result], out_dir: Path, verbose: bool = True) -> list[str]:
    """One line per report built or failed (``verbose``: also per report up to date), then
    "N built, M up to date, K failed"."""
    lines = []
    for r in results:
        if r.up_to_date:
            if verbose:
                lines.append(f"UP-TO-DATE {r.job.label:<37}         {_rel(r.job.out_html)}")
        elif r.ok:
            lines.append(f"OK      {r.job.label:<40} {r.seconds:5.1f} s  {_rel(r.job.out_html)}"
                         + (f"  — {r.status}" if r.status else ""))
        else:
            where = f"; executed copy: {_rel(r.failed_copy)}" if r.failed_copy else ""
            lines.append(f"FAILED  {r.job.label:<40} {r.seconds:5.1f} s  {r.error}{where}")
    fresh = sum(r.up_to_date for r in results)
    built = sum(r.ok and not r.up_to_date for r in results)
    failed = sum(not r.ok for r in results)
    lines.append(f"{built} built, {fresh} up to date, {failed} failed")
    return lines


# --------------------------------------------------------------------------- the index
INDEX_FILES = {"zh": "index.html", "en": "index.en.html"}
ASSESSED_KINDS = ("trajectory", "targets")  # reports whose categories the index shows as chips
RECORD_EXTRAS = ("categories", "tasks", "execution")


def index_name(lang: str) -> str:
    """The index page of a language (``index.html`` is the Chinese one)."""
    return INDEX_FILES.get(lang, "index.html")


def update_index(out_dir: Path, results: list[Result], generated: str, plan=None,
                 absent: dict | None = None) -> None:
    """Merge the successful reports of this run into ``manifest.json`` and rewrite the index pages
    (``index.html`` in Chinese, ``index.en.html`` in English).

    Every entry names its plan (id, titles from the plan's metadata); ``absent`` maps a report
    name to (spec, (reason zh, reason en)) for reports the plan cannot have, which the index lists
    with their reason."""
    if plan is None:
        from .plan import load_plan
        try:
            plan = load_plan()
        except Exception:  # noqa: BLE001 - the index never fails for want of the plan files
            plan = None
    info = plan_info(plan) if plan is not None else {}
    manifest_path = out_dir / "manifest.json"
    entries: dict[str, dict] = {}
    if manifest_path.exists():
        try:
            for e in json.loads(manifest_path.read_text(encoding="utf-8")):
                entries[e["path"]] = e
        except (ValueError, KeyError):
            entries = {}
    for r in results:
        rel = str(r.job.out_html.relative_to(out_dir))
        entries[rel] = {"path": rel, "year": r.job.year, "lang": r.job.lang, "name": r.job.spec.name,
                        "kind": r.job.spec.kind, "kind_title": r.job.spec.title,
                        "title": r.record.get("title", r.job.spec.name),
                        "area_code": r.job.area_code, "generated": r.record.get("generated", generated),
                        "status": r.status,
                        "illustrative": bool(r.record.get("illustrative")),
                        **info,
                        **{k: r.record[k] for k in RECORD_EXTRAS if r.record.get(k) is not None}}
    if plan is not None:
        for k in [k for k, v in entries.items() if v.get("absent") and v.get("plan") == plan.id]:
            del entries[k]
        for name, (spec, reason) in (absent or {}).items():
            key = f"absent:{plan.id}:{name}"
            entries[key] = {"path": key, "absent": True, "name": name, "kind": spec.kind, "kind_title": spec.title,
                            "reason": {"zh": reason[0], "en": reason[1]}, "year": 0, "lang": "", **info}
    # forget reports whose file is gone
    entries = {k: v for k, v in entries.items() if v.get("absent") or (out_dir / k).exists()}
    ordered = sorted(entries.values(), key=lambda e: (-int(e["year"]), e["name"], e["lang"], e.get("area_code") or ""))
    out_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(ordered, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    try:
        unchanged = manifest_path.read_text(encoding="utf-8") == text
    except OSError:
        unchanged = False
    if unchanged and all((out_dir / index_name(lang)).exists() for lang in LANGS):
        return  # the index pages show exactly this manifest already (rendering them embeds a font: slow)
    write_text_if_changed(manifest_path, text)
    for lang in LANGS:
        write_text_if_changed(out_dir / index_name(lang), render_index(ordered, lang))


INDEX_TEXT = {
    "zh": {"title": "规划监测报告", "html_title": "监测报告索引",
           "other": "English", "glance": "{year}年概览", "absent": "未生成的报告及原因",
           "indicators": "指标（{city}）", "tasks": "重点任务", "funds": "资金执行",
           "tasks_chip": "达标{met} · 滞后{behind} · 无法评估{na}",
           "exec_chip": "累计执行率{rate}（时间进度{elapsed}）", "no_exec": "无拨付数据",
           "movement": "指标评价的逐年变化", "indicator": "指标", "year": "{year}年", "reports": "{year}年报告",
           "report": "报告", "status": "状态", "generated": "生成时间", "edition": "其他语言",
           "profiles": "区县概况", "mark": "示例数据", "none": "尚无报告。运行 make reports 生成。",
           "lead": "从这里开始：先看最新年份的概览，再打开各年度的报告。标有“示例数据”的报告使用随软件附带的示例数据，"
                   "不是官方统计。",
           "groups": {"core": "核心示范区", "radiating": "辐射带动县", "other": "其他区县"},
           "no_data": "无数据", "years_built": "已生成年份"},
    "en": {"title": "Plan monitoring reports",
           "html_title": "Plan monitoring reports — index", "absent": "Reports not built, and why",
           "other": "中文", "glance": "At a glance, {year}",
           "indicators": "Indicators ({city})", "tasks": "Key tasks", "funds": "Fund execution",
           "tasks_chip": "{met} met · {behind} behind · {na} not assessable",
           "exec_chip": "{rate} executed (time elapsed {elapsed})", "no_exec": "no disbursement data",
           "movement": "How each indicator's category moved", "indicator": "Indicator", "year": "{year}",
           "reports": "Reports for {year}", "report": "Report", "status": "Status", "generated": "Generated",
           "edition": "Other language", "profiles": "District profiles", "mark": "illustrative",
           "none": "No reports yet. Run make reports.",
           "lead": "Start here: the latest year at a glance, then each year's reports. Reports marked “illustrative” "
                   "use the example data shipped with the software, not official statistics.",
           "groups": {"core": "Core areas", "radiating": "Radiating counties", "other": "Other districts"},
           "no_data": "No data", "years_built": "Years built"},
}


def _pct(x) -> str:
    try:
        return f"{float(x) * 100:.0f}%"
    except (TypeError, ValueError):
        return "—"


def _plan_sections(entries: list[dict], lang: str, pfx: str = "") -> tuple[list[str], list[int]]:
    """The index sections of one plan's reports (glance, movement, every year built; then the
    reports the plan cannot have, with the reason); anchors start with ``pfx``."""
    from .plotting import CATEGORY_COLOURS
    esc = html.escape
    T = INDEX_TEXT[lang]
    other = "en" if lang == "zh" else "zh"
    absent = [e for e in entries if e.get("absent")]
    entries = [e for e in entries if not e.get("absent")]
    by_year: dict[int, list[dict]] = {}
    for e in entries:
        by_year.setdefault(int(e["year"]), []).append(e)
    years = sorted(by_year, reverse=True)
    city = str((entries[0].get("plan_city") or {}).get(lang, "")) if entries else ""

    def mark(group) -> str:
        return f' <span class="mark">{esc(T["mark"])}</span>' if any(e.get("illustrative") for e in group) else ""

    def kind_name(e: dict) -> str:
        kt = e.get("kind_title") or {}
        return str(kt.get(lang) or e.get("title") or e["kind"])

    def cat_chip(c: dict) -> str:
        colour = CATEGORY_COLOURS.get(c.get("category"), CATEGORY_COLOURS["no_data"])
        return (f'<span class="chip" data-category="{esc(str(c.get("category")))}"><i style="background:{colour}"></i>'
                f'{esc(str(c.get("label") or T["no_data"]))}</span>')

    parts = []
    # ---- at a glance (latest year built)
    if years:
        y = years[0]
        mine = [e for e in by_year[y] if e["lang"] == lang]
        traj = next((e for e in mine if e["kind"] in ASSESSED_KINDS and e.get("categories")), None)
        tasks = next((e for e in mine if e.get("tasks")), None)
        fund = next((e for e in mine if e["kind"] == "fund_leverage"), None)
        chips = []
        if traj:
            chips.append(f'<div class="glance-group"><h3>{esc(T["indicators"].format(city=city))}</h3>'
                         + "".join(f'<a class="chip-link" href="{esc(traj["path"])}"><span class="chip-name">'
                                   f'{esc(str(c["name"]))}</span>{cat_chip(c)}</a>' for c in traj["categories"])
                         + "</div>")
        if tasks:
            t = tasks["tasks"]
            chips.append(f'<div class="glance-group"><h3>{esc(T["tasks"])}</h3><a class="chip-link" '
                         f'href="{esc(tasks["path"])}"><span class="chip chip-tasks">'
                         f'{esc(T["tasks_chip"].format(**{k: int(t.get(k, 0)) for k in ("met", "behind", "na")}))}'
                         f'</span></a></div>')
        if fund:
            ex = fund.get("execution")
            text = (T["exec_chip"].format(rate=_pct(ex.get("rate")), elapsed=_pct(ex.get("elapsed"))) if ex
                    else T["no_exec"])
            chips.append(f'<div class="glance-group"><h3>{esc(T["funds"])}</h3><a class="chip-link" '
                         f'href="{esc(fund["path"])}"><span class="chip chip-funds">{esc(text)}</span></a></div>')
        if chips:
            parts.append(f'<section class="glance" id="{pfx}glance"><h2>{esc(T["glance"].format(year=y))}'
                         f'{mark(mine)}</h2>{"".join(chips)}</section>')
        # ---- movement of the categories over the years built
        traj_by_year = {yy: next((e for e in by_year[yy] if e["lang"] == lang and e["kind"] in ASSESSED_KINDS
                                  and e.get("categories") and not e.get("area_code")), None) for yy in years}
        traj_by_year = {k: v for k, v in traj_by_year.items() if v}
        if traj_by_year:
            chron = sorted(traj_by_year)
            codes = [c["code"] for c in traj_by_year[chron[-1]]["categories"]]
            rows = []
            for code in codes:
                cells = []
                name = ""
                for yy in chron:
                    c = next((c for c in traj_by_year[yy]["categories"] if c["code"] == code), None)
                    if c:
                        name = c["name"]
                    cells.append(f"<td>{cat_chip(c) if c else '—'}</td>")
                rows.append(f"<tr><th scope=\"row\">{esc(str(name))}</th>{''.join(cells)}</tr>")
            head = "".join(f'<th scope="col"><a href="#{pfx}y{yy}">{esc(T["year"].format(year=yy))}</a></th>' for yy in chron)
            parts.append(f'<section id="{pfx}movement"><h2>{esc(T["movement"])}</h2><table class="movement"><thead><tr>'
                         f'<th scope="col">{esc(T["indicator"])}</th>{head}</tr></thead><tbody>{"".join(rows)}'
                         f"</tbody></table></section>")
    # ---- every year built, newest first
    groups_order = ("core", "radiating", "other")
    try:
        from .plan import load_plan
        areas = load_plan(entries[0].get("plan") if entries else None).areas.set_index("area_code")
    except Exception:  # noqa: BLE001 - the index never fails for want of the plan files
        areas = None
    for y in years:
        rows = []
        kinds: dict[str, dict[str, list[dict]]] = {}
        for e in by_year[y]:
            kinds.setdefault(e["name"], {}).setdefault(e["lang"], []).append(e)
        profile_html = ""
        for name, by_lang in kinds.items():
            mine = by_lang.get(lang) or []
            theirs = by_lang.get(other) or []
            first = (mine or theirs)[0]
            if first.get("area_code"):  # a batch: names by group, compact
                grouped: dict[str, list[str]] = {}
                for e in sorted(mine, key=lambda e: str(e["area_code"])):
                    code = str(e["area_code"])
                    role, label = "other", code
                    if areas is not None and code in areas.index:
                        role = str(areas.loc[code, "role"])
                        label = str(areas.loc[code, f"name_{lang}"])
                    grouped.setdefault(role, []).append(f'<a href="{esc(e["path"])}">{esc(label)}</a>')
                lines = "".join(f'<li><span class="grp grp-{esc(g)}">{esc(T["groups"].get(g, g))}</span> '
                                f'{" · ".join(grouped[g])}</li>' for g in groups_order if g in grouped)
                other_link = ""
                if theirs:
                    other_link = (f' <small><a href="{esc(index_name(other))}#{pfx}y{y}" hreflang="{other}">'
                                  f'{esc(T["other"])}</a></small>')
                profile_html = (f'<h3>{esc(kind_name(first))}{mark(mine)}{other_link}</h3>'
                                f'<ul class="profiles">{lines}</ul>') if mine else profile_html
                continue
            link = (f'<a href="{esc(mine[0]["path"])}">{esc(kind_name(mine[0]))}</a>' if mine
                    else esc(kind_name(first)))
            alt = (f'<a href="{esc(theirs[0]["path"])}" hreflang="{"en" if other == "en" else "zh-CN"}">'
                   f'{esc(T["other"])}</a>' if theirs else "")
            status = esc((mine[0].get("status") if mine else "") or "")
            gen = max(e["generated"] for e in (mine or theirs))[:10]
            rows.append(f"<tr><td>{link}{mark(mine or theirs)}</td><td>{alt}</td><td>{status}</td>"
                        f'<td class="nowrap">{esc(gen)}</td></tr>')
        table = (f'<table><thead><tr><th scope="col">{esc(T["report"])}</th><th scope="col">{esc(T["edition"])}</th>'
                 f'<th scope="col">{esc(T["status"])}</th><th scope="col">{esc(T["generated"])}</th></tr></thead>'
                 f'<tbody>{"".join(rows)}</tbody></table>') if rows else ""
        parts.append(f'<section class="year" id="{pfx}y{y}"><h2>{esc(T["reports"].format(year=y))}</h2>{table}'
                     f"{profile_html}</section>")
    if absent:
        items = "".join(f'<li>{esc(kind_name(e))}: {esc(str((e.get("reason") or {}).get(lang, "")))}</li>'
                        for e in sorted(absent, key=lambda e: e["name"]))
        parts.append(f'<section class="absent" id="{pfx}absent"><h3>{esc(T["absent"])}</h3>'
                     f'<ul class="absent">{items}</ul></section>')
    return parts, years


def render_index(entries: list[dict], lang: str = "zh") -> str:
    """The self-contained index page of one language (no script, inline style), grouped by plan,
    then by year: per plan the latest year at a glance (indicator categories as coloured chips,
    task counts, execution rate), how each indicator's category moved, every year built, newest
    first, with human report names and district profiles listed compactly by group, and the
    reports the plan cannot have with the reason. Titles come from each plan's metadata; every
    text from data is escaped."""
    from .plan import DEFAULT_PLAN
    esc = html.escape
    T = INDEX_TEXT[lang]
    other = "en" if lang == "zh" else "zh"
    by_plan: dict[str, list[dict]] = {}
    for e in entries:
        by_plan.setdefault(str(e.get("plan") or DEFAULT_PLAN), []).append(e)
    order = sorted(by_plan, key=lambda k: (k != DEFAULT_PLAN, k))
    parts: list[str] = []
    years: list[int] = []
    for pid in order:
        pfx = "" if pid == DEFAULT_PLAN else f"{pid}-"
        sections, ys = _plan_sections(by_plan[pid], lang, pfx)
        first = by_plan[pid][0]
        if len(order) > 1:
            parts.append(f'<h2 class="plan" id="plan-{esc(pid)}">{esc(str((first.get("plan_title") or {}).get(lang, pid)))}'
                         f'<br><small>{esc(str((first.get("plan_sub") or {}).get(lang, "")))}</small></h2>')
        parts += sections
        if pid == order[0]:
            years = ys
    single = by_plan[order[0]][0] if len(order) == 1 else None
    title = (str((single.get("plan_title") or {}).get(lang, "")) if single else "") or T["title"]
    sub = (str((single.get("plan_sub") or {}).get(lang, "")) if single else "")
    pfx0 = "" if not order or order[0] == DEFAULT_PLAN else f"{order[0]}-"
    nav = " · ".join(f'<a href="#{pfx0}y{y}">{esc(T["year"].format(year=y))}</a>' for y in years)
    body = "".join(parts) or f"<p>{esc(T['none'])}</p>"
    page = f"""<!DOCTYPE html>
<html lang="{'zh-CN' if lang == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(T['html_title'])}</title>
<style>{INDEX_CSS}{{font}}</style></head>
<body><main>
<nav class="lang"><a href="{index_name(other)}" hreflang="{'en' if other == 'en' else 'zh-CN'}">{esc(T['other'])}</a></nav>
<h1>{esc(title)}{f'<br><small>{esc(sub)}</small>' if sub else ''}</h1>
<p class="lead">{esc(T['lead'])}</p>
{f'<p class="years">{esc(T["years_built"])}: {nav}</p>' if years else ''}
{body}
</main></body></html>
"""
    return page.replace("{font}", font_face_css(page), 1)


INDEX_CSS = """
body{font-family:"TwocreateCJK","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","Hiragino Sans GB",
"WenQuanYi Micro Hei",system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;margin:0;background:#fafafa}
main{max-width:1100px;margin:0 auto;padding:24px 28px;background:#fff}
h1{font-size:1.5rem;border-bottom:3px solid #0072B2;padding-bottom:8px}h1 small{font-size:.9rem;color:#555;font-weight:normal}
h2{font-size:1.2rem;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}h3{font-size:1rem;margin:14px 0 6px}
table{border-collapse:collapse;width:100%;margin-bottom:16px;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:#f0f4f8}a{color:#0062a0}.mark{background:#fde8d8;color:#8a3000;padding:1px 6px;border-radius:3px;font-size:.8rem;font-weight:normal}
.lead{color:#444}.lang{float:right;font-size:.95rem}.years{font-size:.92rem}
.glance{background:#f4f8fb;border-left:5px solid #0072B2;padding:4px 16px 12px}
.glance h2{border:none}.glance-group{margin-bottom:8px}
.chip-link{text-decoration:none;color:inherit;display:inline-block;margin:3px 10px 3px 0}
.chip-name{margin-right:6px}
.chip{display:inline-block;border:1px solid #ccc;border-radius:12px;padding:1px 10px 1px 6px;background:#fff;
font-size:.88rem;white-space:nowrap}
.chip i{display:inline-block;width:.8em;height:.8em;border-radius:50%;margin-right:6px;vertical-align:-1px}
.chip-tasks,.chip-funds{padding-left:10px}
table.movement td,table.movement th,.nowrap{white-space:nowrap}
ul.profiles{list-style:none;padding-left:0;margin:4px 0 12px;font-size:.9rem;line-height:1.8}
.grp{display:inline-block;min-width:10.5em;font-weight:bold}.grp-core{color:#0072B2}.grp-radiating{color:#9a6700}
.grp-other{color:#555}
@media print{body{background:#fff}main{max-width:none;padding:0}.lang{display:none}a{color:#1a1a1a;text-decoration:none}
section{break-inside:avoid}thead{display:table-header-group}}
"""
