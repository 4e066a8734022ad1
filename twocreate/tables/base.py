"""What every report's tables share: the :class:`Tables` result and writing them."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Mapping

import pandas as pd

from .. import config


class Tables(dict):
    """One report's processed tables: name (a path relative to the processed folder, without
    ``.csv``; per-year tables carry the year, another plan's the plan-id prefix) → DataFrame.

    ``roles`` names each table by what it is (``"progress"``, ``"milestones"`` …) so that a notebook
    can show one without knowing its file name: :meth:`role`; a role may hold a frame that is shown
    but not written (``name`` None: an empty comparison, no target gaps). ``inputs``: the files read
    to make them (resolved paths, first read first)."""

    def __init__(self, named: Mapping[str, tuple[str, pd.DataFrame]] | None = None, inputs: list[str] | None = None):
        super().__init__()
        self.roles: dict[str, str] = {}
        self.unwritten: dict[str, pd.DataFrame] = {}
        self.inputs: list[str] = list(inputs or [])
        for role, (name, frame) in (named or {}).items():
            self.add(role, name, frame)

    def add(self, role: str, name: str | None, frame: pd.DataFrame, shown: pd.DataFrame | None = None) -> None:
        """Add ``frame`` as ``role``, written as ``name`` (None: held for the notebook, not written);
        ``shown``: the frame the report shows when the file holds another form of it (text cells)."""
        if name is None:
            self.unwritten[role] = frame
        else:
            self.roles[role] = name
            self[name] = frame
        if shown is not None:
            self.unwritten[role] = shown

    def role(self, role: str) -> pd.DataFrame | None:
        """The table playing ``role``, or None when the report has none (e.g. no target file)."""
        if role in self.unwritten:
            return self.unwritten[role]
        name = self.roles.get(role)
        return self[name] if name is not None else None

    def names(self) -> list[str]:
        return list(self)

    def files(self) -> list[str]:
        """The relative file names :func:`write` writes (``<name>.csv``)."""
        return [f"{name}.csv" for name in self]

    def __repr__(self) -> str:
        rows = [f"Tables: {len(self)} processed table(s)"]
        rows += [f"  {name}.csv  {len(df)} rows × {df.shape[1]} columns" for name, df in self.items()]
        return "\n".join(rows)


def write(tables: Mapping[str, pd.DataFrame], folder: str | os.PathLike) -> list[Path]:
    """Write every table as ``<folder>/<name>.csv`` (UTF-8 with BOM, :func:`twocreate.io.write_csv`);
    return the paths written."""
    from ..writers import write_csv
    out = []
    for name, frame in tables.items():
        path = Path(folder) / f"{name}.csv"
        write_csv(frame, path)
        out.append(path)
    return out


def scratch_dir() -> Path:
    """Where a notebook run outside ``twocreate run`` writes its tables: the project's scratch folder
    (``data/scratch/processed``, ignored by git), never ``data/processed``."""
    return config.paths().scratch_processed


def write_for_notebook(tables: Mapping[str, pd.DataFrame], processed_dir: str | os.PathLike | None,
                       log: Callable[[str], None] = print) -> Path:
    """What a notebook's last cell does: write ``tables`` to ``processed_dir`` when the runner gave one,
    else to :func:`scratch_dir`, saying where (a Run All never touches the pipeline's outputs)."""
    folder = Path(processed_dir) if processed_dir else scratch_dir()
    write(tables, folder)
    if not processed_dir:
        log(f"processed tables written to the scratch folder {folder} "
            f"(twocreate run writes the published ones to {config.paths().processed})")
    return folder


def optional_path(value) -> Path | None:
    """A file parameter: None or empty → None, else the path."""
    return Path(value) if value else None
