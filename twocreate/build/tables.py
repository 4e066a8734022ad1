"""The processed tables a run writes: staged per report, moved into place only when the report
succeeded, and recorded by content so that a table edited outside a run is rebuilt.

A report's tables are computed by :mod:`twocreate.tables` (the library, no notebook needed) and
written by its notebook's last cell into the folder the runner passes explicitly (papermill
parameter ``processed_dir``: a staging folder inside the processed folder). Outside ``twocreate
run`` a notebook writes to the scratch folder instead (:func:`twocreate.tables.scratch_dir`).
The build cache keeps the SHA-256 of every table a report wrote (:func:`record`); the next run
rebuilds a report whose table is missing or changed (:func:`stale`), and ``--dry-run`` says which.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..writers import sha256
from ..errors import cannot_write


def stage(processed_dir: Path) -> Path:
    """A fresh staging folder inside ``processed_dir`` (same file system: a rename moves a table); a folder
    that cannot be written is a :class:`~twocreate.errors.WriteError` (one line)."""
    try:
        processed_dir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".staging-", dir=processed_dir))
    except OSError as exc:
        raise cannot_write(processed_dir, exc) from exc


def promote(staging: Path, dest: Path) -> list[str]:
    """Move every file written to ``staging`` into ``dest`` (same relative path), one rename each;
    return the relative paths moved."""
    moved = []
    for f in sorted(staging.rglob("*")):
        if f.is_file():
            rel = f.relative_to(staging)
            target = dest / rel
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(f, target)
            except OSError as exc:
                raise cannot_write(target, exc) from exc
            moved.append(str(rel))
    return moved


def record(processed_dir: Path, outputs) -> dict[str, str]:
    """The tables a report wrote, relative path → SHA-256 of their bytes now (after the build)."""
    out = {}
    for rel in sorted(outputs):
        path = Path(processed_dir) / rel
        out[rel] = sha256(path) if path.is_file() else "missing"
    return out


def stale(processed_dir: str | Path, recorded) -> str | None:
    """Why a report's tables need a rebuild (one is missing, or changed since the build that wrote
    it), or None. ``recorded``: what :func:`record` gave, or a list of paths (a cache written before
    tables were hashed: only their presence is checked)."""
    items = recorded.items() if isinstance(recorded, dict) else ((rel, None) for rel in recorded)
    for rel, digest in items:
        path = Path(processed_dir) / rel
        if not path.is_file():
            return f"processed table missing: {rel}"
        if digest is not None and sha256(path) != digest:
            return f"processed table changed since it was built: {rel}"
    return None
