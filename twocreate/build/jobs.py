"""What a run builds: the report notebooks (discovered, their parameters read by papermill's own
``inspect_notebook``), what each needs from a plan, and one :class:`Job` per notebook × language
[× area] × year.

Layout of the reports folder (default ``reports/``; another plan's under ``reports/<plan-id>/``)::

    <year>/<lang>/<name>.html                  one report
    <year>/<lang>/<name>/<area_code>.html      one report of a batch (e.g. district profiles)
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..io import write_text_if_changed

LANGS = ("zh", "en")
PARAMETERS_CACHE = "notebook-parameters.json"  # beside the build cache: papermill's answers by notebook SHA-256


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
    def from_notebook(cls, path: Path, inspected: dict | None = None) -> "ReportSpec":
        """``inspected``: what :func:`inspect_parameters` said of this notebook (else asked now)."""
        nb = read_notebook_json(path)
        meta = nb.get("metadata", {}).get("twocreate", {})
        name = re.sub(r"^\d+_", "", path.stem)
        inspected = inspect_parameters(path) if inspected is None else inspected
        return cls(path=path, name=name, kind=meta.get("kind", name), title=meta.get("title", {"zh": name, "en": name}),
                   batch=meta.get("batch"), parameters={k: _value(v) for k, v in inspected.items()},
                   requires=tuple(meta.get("requires", ())))


def is_report(path: Path) -> bool:
    """False for a notebook whose ``twocreate`` metadata says ``report: false`` (``00_explore``: for
    people exploring, never run by the runner)."""
    return read_notebook_json(path).get("metadata", {}).get("twocreate", {}).get("report", True) is not False


def read_notebook_json(path: Path) -> dict:
    """A notebook file as plain JSON (nbformat 4): fast, no schema validation (papermill validates
    when it runs the notebook)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def inspect_parameters(path: Path) -> dict[str, str]:
    """The parameters papermill sees in the notebook's ``parameters`` cell: name → default, as the
    source text of the default (``"2018"``, ``"'zh'"``, ``"None"``), in order."""
    from papermill import inspect_notebook
    return {name: p["default"] for name, p in inspect_notebook(str(path)).items()}


def _value(default: str):
    """A parameter's default as a value (``"'zh'"`` → ``"zh"``); an expression stays its text."""
    try:
        return ast.literal_eval(default)
    except (ValueError, SyntaxError):
        return default


def discover(notebooks_dir: Path | None = None, known: dict | None = None) -> list[ReportSpec]:
    """Report notebooks ``NN_*.ipynb`` in order (default: the project's ``notebooks/``).

    ``known``: papermill's readings of the notebooks' parameters by notebook SHA-256 (from
    :func:`load_known`), used instead of asking papermill again, and left holding exactly the
    readings of these notebooks (for :func:`save_known`): a run with nothing to rebuild then does
    not import papermill (≈ 1.5 s)."""
    folder = Path(notebooks_dir) if notebooks_dir is not None else config.paths().notebooks
    paths = [p for p in sorted(folder.glob("[0-9][0-9]_*.ipynb")) if is_report(p)]
    if known is None:
        return [ReportSpec.from_notebook(p) for p in paths]
    seen, specs = {}, []
    for p in paths:
        sha = hashlib.sha256(p.read_bytes()).hexdigest()
        inspected = known.get(sha)
        seen[sha] = inspected if isinstance(inspected, dict) else inspect_parameters(p)
        specs.append(ReportSpec.from_notebook(p, seen[sha]))
    known.clear()
    known.update(seen)
    return specs


def load_known(cache_dir: Path) -> dict:
    """The parameter readings kept in ``cache_dir`` (empty if none or unreadable)."""
    try:
        data = json.loads((Path(cache_dir) / PARAMETERS_CACHE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def save_known(cache_dir: Path, known: dict) -> None:
    """Keep the parameter readings in ``cache_dir`` (rewritten only if they changed)."""
    write_text_if_changed(Path(cache_dir) / PARAMETERS_CACHE,
                          json.dumps(known, ensure_ascii=False, indent=1, sort_keys=True) + "\n")


# what a report needs from a plan, and what the index says when the plan lacks it
REQUIREMENTS = ("quantitative", "funds", "districts", "tasks")


def _reasons() -> dict[str, tuple[str, str]]:
    from ..i18n import t
    return {r: (t(f"absent.{r}", "zh"), t(f"absent.{r}", "en")) for r in REQUIREMENTS}


REQUIREMENT_REASONS = _reasons()
"""Requirement → (reason zh, reason en), from the catalog's ``absent`` table."""


def lacks(plan, spec: ReportSpec) -> str | None:
    """The first requirement of ``spec`` that ``plan`` does not meet (None: the report can be built)."""
    for req in spec.requires:
        if req == "quantitative":
            ok = bool((plan.indicators["target_kind"] != "qualitative").any())
        else:
            ok = plan.has(req)
        if not ok:
            return req
    return None


def plan_out_dir(out_dir: Path, plan) -> Path:
    """Where a plan's reports go: ``out_dir`` for the default plan, ``out_dir/<plan-id>`` for any other."""
    from ..plan import DEFAULT_PLAN, PLAN_ID
    if plan is None or plan.id == DEFAULT_PLAN:
        return out_dir
    if not PLAN_ID.fullmatch(plan.id) or not (out_dir / plan.id).resolve().is_relative_to(Path(out_dir).resolve()):
        raise ValueError(f"plan id {plan.id!r}: expected lower-case letters, digits and hyphens (reports stay inside "
                         f"{out_dir})")
    return out_dir / plan.id


def plan_info(plan) -> dict:
    """What the index shows of a plan: id, titles, document number, period (from its metadata)."""
    from ..i18n import t
    m = plan.meta
    return {"plan": plan.id,
            "plan_title": {"zh": str(m.get("title_zh", plan.id)), "en": str(m.get("title_en", plan.id))},
            "plan_sub": {lang: t("index.plan_sub", lang, doc=m.get("document_number", ""), start=m.get("period_start", ""),
                                 end=m.get("period_end", "")) for lang in ("zh", "en")},
            "plan_city": {"zh": str(m.get("city_zh", "")), "en": str(m.get("city_en", ""))},
            "plan_period": [m.get("period_start"), m.get("period_end")]}


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
    plan_id: str = ""


@dataclass
class Result:
    job: Job
    ok: bool
    seconds: float
    status: str = ""
    error: str = ""
    failed_copy: Path | None = None
    record: dict = field(default_factory=dict)  # inputs, illustrative, then title, status, figures (build.facts)
    up_to_date: bool = False  # skipped: sources unchanged since its last build (nothing rewritten)
    outputs: list[str] = field(default_factory=list)  # processed tables written, relative to their folder
    timings: dict[str, float] = field(default_factory=dict)  # seconds by part of the build (TIMING_PARTS)


TIMING_PARTS = ("kernel", "execute", "export", "font", "write")
"""Where a report's build time goes (:attr:`Result.timings`, seconds): ``kernel`` waiting for its
kernel to be ready (a warm kernel's remaining warm-up, or a kernel started the usual way, up to its
first answer), ``execute`` the rest of papermill's run (cells, saving the executed notebook),
``export`` the HTML export less ``font`` (the CJK font subset), ``write`` the atomic write of the
page and the promotion of its processed tables. What is left of :attr:`Result.seconds` is the job's
own bookkeeping (staging folders, provenance, the title block)."""


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
    from ..plan import DEFAULT_PLAN, default_plan_dir, load_plan
    jobs = []
    inputs = {"observations": observations, "task_outturns": tasks, "disbursements": disbursements}
    plan = plan or load_plan()
    out_dir = plan_out_dir(out_dir, plan)
    kicker = str(plan.meta.get("document_number", ""))
    for spec in specs:
        if lacks(plan, spec):
            continue
        for lang in langs:
            base = {"year": year, "lang": lang}
            if plan.id != DEFAULT_PLAN or plan.directory != default_plan_dir():
                base["plan_id"] = str(plan.directory.resolve())
            for param, path in inputs.items():
                if path is not None and param in spec.parameters:
                    base[param] = "" if path == "" else str(Path(path).resolve())  # "": none (not the plan's file)
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
                                    f"{spec.name}[{area}] {lang} {year}", area, kicker=kicker, plan_id=plan.id))
            else:
                jobs.append(Job(spec, year, lang, base, out_dir / str(year) / lang / f"{spec.name}.html",
                                f"{spec.name} {lang} {year}", kicker=kicker, plan_id=plan.id))
    return jobs
