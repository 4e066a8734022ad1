"""Where things are: the only module that knows the project's paths.

The **project root** is the folder holding ``data/raw/plans/``, found in this order:

1. the environment variable ``TWOCREATE_HOME`` (a folder; used as given);
2. the nearest folder upwards from the current directory that holds ``data/raw/plans/`` (so
   ``twocreate run`` in a project folder, or a notebook running in ``<root>/notebooks/``, finds
   its project);
3. the source checkout this package sits in (``twocreate/..``).

Every other module asks :func:`paths` at the moment it needs a path (never at import), so a
changed current directory or ``TWOCREATE_HOME`` is seen at once. The runner passes its root to
the notebook kernels through ``TWOCREATE_HOME``, so a report reads the same project as the run
that built it. Files shipped *inside* the package (templates, fonts) are under :data:`PACKAGE`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ENV = "TWOCREATE_HOME"
RAW = Path("data") / "raw"  # the inputs, inside the project root
MARKER = RAW / "plans"  # what makes a folder a project root
PACKAGE = Path(__file__).resolve().parent  # the twocreate package: templates, fonts, its own source
CHECKOUT = PACKAGE.parent  # the source checkout the package sits in (the last resort for the root)


@dataclass(frozen=True)
class Paths:
    """The folders of one project (all absolute)."""

    root: Path
    raw: Path  # inputs as shipped or supplied: plans, outturns, thresholds, context data
    plans: Path  # one folder per plan: data/raw/plans/<plan-id>/
    observations: Path  # outturn files: data/raw/observations/
    processed: Path  # the tables the reports show: data/processed/
    reports: Path  # the HTML reports and the index
    notebooks: Path  # the report notebooks
    scratch: Path  # working files of a run, never an output (git-ignored): data/scratch/
    scratch_processed: Path  # the tables of a notebook run outside ``twocreate run``: data/scratch/processed/

    @classmethod
    def at(cls, root: str | os.PathLike) -> "Paths":
        """The paths of the project whose root is ``root``."""
        root = Path(root).resolve()
        raw = root / RAW
        return cls(root=root, raw=raw, plans=raw / "plans", observations=raw / "observations",
                   processed=root / "data" / "processed", reports=root / "reports", notebooks=root / "notebooks",
                   scratch=root / "data" / "scratch", scratch_processed=root / "data" / "scratch" / "processed")


def find_root(start: str | os.PathLike | None = None) -> Path:
    """The project root: ``$TWOCREATE_HOME``, else the nearest folder from ``start`` (default: the
    current directory) upwards holding ``data/raw/plans/``, else the source checkout."""
    home = os.environ.get(ENV)
    if home:
        return Path(home).expanduser().resolve()
    folder = os.path.realpath(start if start is not None else os.getcwd())  # os.path: asked per table lookup
    while True:
        if os.path.isdir(os.path.join(folder, MARKER)):
            return Path(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            return CHECKOUT
        folder = parent


def raw_folder() -> Path:
    """``paths().raw``, found now, in a fifth of the time (the units table is looked up per cell)."""
    return find_root() / RAW


def paths(start: str | os.PathLike | None = None) -> Paths:
    """The project's paths, found now (see :func:`find_root`)."""
    return Paths.at(find_root(start))


def relative(path: str | os.PathLike, root: str | os.PathLike | None = None) -> str:
    """``path`` relative to the project root when inside it (for people to read), else absolute."""
    p = Path(path).resolve()
    try:
        return str(p.relative_to(Path(root).resolve() if root is not None else find_root()))
    except ValueError:
        return str(p)


def former_constants(module: str, **names: Callable[[], Path]) -> Callable[[str], Path]:
    """A module ``__getattr__`` that keeps a former path constant importable (``from twocreate.io
    import DATA_PROCESSED`` in a notebook) while resolving it now, through :func:`paths`."""
    def __getattr__(name: str) -> Path:
        if name in names:
            return names[name]()
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    return __getattr__
