"""The build cache: rebuild only the reports whose sources changed.

A report is **up to date** when all of these are as they were at its last successful build:

* its notebook's content: cell types, sources and tags (not outputs, ids or execution counts);
* its parameters (and the folder its processed tables go to);
* the SHA-256 of every input file it read — recorded by the report itself (``Page.uses`` plus every
  file read through :func:`twocreate.io.load_grid`), so a changed data file rebuilds exactly the
  reports that read it;
* the ``twocreate`` source (every file of the package: code, template, font) and the versions of
  the packages that shape the output (pandas, matplotlib, nbconvert …);
* its HTML still exists, and its processed tables hold what it wrote (their SHA-256, so a table
  edited or deleted outside a run is rebuilt: :mod:`twocreate.build.tables`).

The cache lives in ``<reports>/_cache/build.json``: one entry per report file. A failed report
has no entry, so the next run retries it. While a run is under way each report's entry is appended
to ``_cache/journal.jsonl`` as the report finishes (one line, one write); the end of the run folds
the journal into ``build.json`` (written atomically) and removes it. A run that was killed leaves its
journal, which the next run reads: it rebuilds exactly the reports that were not finished. :func:`stale_reason` says why a report must be rebuilt
(what ``twocreate run --dry-run`` prints).
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..errors import cannot_write
from ..writers import append_line, sha256, write_text_if_changed
from . import tables

CACHE_FILE = Path("_cache") / "build.json"
JOURNAL = Path("_cache") / "journal.jsonl"  # entries of reports finished since build.json was written
PACKAGE_DIR = config.PACKAGE


def notebook_hash(path: Path) -> str:
    """SHA-256 of a notebook's cells as they shape the report: type, source and tags."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [[c.get("cell_type"), "".join(c["source"]) if isinstance(c.get("source"), list) else c.get("source", ""),
              sorted(c.get("metadata", {}).get("tags", []))] for c in nb.get("cells", [])]
    meta = nb.get("metadata", {}).get("twocreate", {})
    return hashlib.sha256(json.dumps([cells, meta], ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def source_hash(root: Path = PACKAGE_DIR) -> str:
    """SHA-256 over every file of the ``twocreate`` package (code, templates, fonts), by relative path."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc":
            h.update(str(p.relative_to(root)).encode())
            h.update(b"\0")
            h.update(p.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


@dataclass
class BuildKey:
    """What a report's output depends on, apart from its input files."""

    notebook: str
    parameters: str
    source: str
    versions: str

    @classmethod
    def of(cls, notebook_sha: str, parameters: dict, source_sha: str, versions: dict) -> "BuildKey":
        shaping = {k: v for k, v in versions.items() if k != "twocreate"}
        return cls(notebook_sha, json.dumps(parameters, sort_keys=True, default=str), source_sha,
                   json.dumps(shaping, sort_keys=True))

    def as_dict(self) -> dict:
        return {"notebook": self.notebook, "parameters": self.parameters, "source": self.source,
                "versions": self.versions}


WHY = {"notebook": "notebook changed", "parameters": "parameters changed", "source": "twocreate source changed",
       "versions": "package versions changed"}


def load(out_dir: Path) -> dict[str, dict]:
    """The cache entries by report path relative to ``out_dir`` (empty when absent or unreadable)."""
    p = out_dir / CACHE_FILE
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        entries = data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        entries = {}
    try:
        lines = (out_dir / JOURNAL).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:  # a run killed before its end: the reports it finished, in order
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a line cut short: its report is rebuilt
        if not isinstance(rec, dict) or not isinstance(rec.get("path"), str):
            continue
        if isinstance(rec.get("entry"), dict):
            entries[rec["path"]] = rec["entry"]
        else:
            entries.pop(rec["path"], None)
    return entries


def record(out_dir: Path, rel: str, entry: dict | None) -> None:
    """Append one report's entry (None: it has none, its build failed) to the journal: one line in
    one ``write``, so that a crash keeps it whole or not at all."""
    append_line(out_dir / JOURNAL, json.dumps({"path": rel, "entry": entry}, ensure_ascii=False, sort_keys=True))


def save(out_dir: Path, entries: dict[str, dict]) -> None:
    """Write the cache atomically, only if it changed (a no-op run rewrites nothing), then drop the
    journal it now holds."""
    write_text_if_changed(out_dir / CACHE_FILE, json.dumps(entries, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    try:
        (out_dir / JOURNAL).unlink(missing_ok=True)
    except OSError as exc:
        raise cannot_write(out_dir / JOURNAL, exc) from exc


def stale_reason(entry: dict | None, key: BuildKey, out_html: Path, out_dir: Path,
                 hashes: dict[str, str] | None = None) -> str | None:
    """Why the report must be rebuilt, or None when it is up to date.

    ``hashes`` memoises file SHA-256 within a run (many reports read the same plan files).
    """
    if entry is None:
        return "never built (or its last build failed)"
    if not out_html.exists():
        return "report file missing"
    for field, why in WHY.items():
        if entry.get("key", {}).get(field) != getattr(key, field):
            return why
    hashes = {} if hashes is None else hashes
    for f in entry.get("inputs", []):
        path, old = f.get("path"), f.get("sha256")
        if path not in hashes:
            hashes[path] = sha256(path) if os.path.isfile(path) else "missing"
        if hashes[path] != old:
            return f"input changed: {_short(path)}" if hashes[path] != "missing" else f"input missing: {_short(path)}"
    return tables.stale(entry.get("processed_dir", ""), entry.get("outputs", []))


def entry_for(key: BuildKey, inputs: list[str], outputs: list[str], processed_dir: Path, result: dict) -> dict:
    """A cache entry after a successful build (the input hashes are taken now)."""
    return {"key": key.as_dict(),
            "inputs": [{"path": p, "sha256": sha256(p) if os.path.isfile(p) else "missing"} for p in sorted(set(inputs))],
            "outputs": tables.record(processed_dir, outputs), "processed_dir": str(processed_dir), "result": result}


def _short(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def build_plan(all_jobs: list, out_dir: Path, processed_dir: Path, versions: dict,
               force: bool = False) -> tuple[dict, list]:
    """The build key of each job (by its report path relative to ``out_dir``) and, per job, why it
    must be rebuilt (None: up to date)."""
    entries = load(out_dir)
    source = source_hash()
    nb_sha: dict[Path, str] = {}
    keys, out, hashes = {}, [], {}
    for job in all_jobs:
        if job.spec.path not in nb_sha:
            nb_sha[job.spec.path] = notebook_hash(job.spec.path)
        params = dict(job.parameters)
        if "processed_dir" in job.spec.parameters:
            params["processed_dir"] = str(processed_dir)
        rel = str(Path(job.out_html).relative_to(out_dir))
        keys[rel] = BuildKey.of(nb_sha[job.spec.path], params, source, versions)
        why = "forced (--force)" if force else stale_reason(entries.get(rel), keys[rel], job.out_html, out_dir, hashes)
        out.append((job, why))
    return keys, out
