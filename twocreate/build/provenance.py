"""What a report says about how it was made (its provenance footer): parameters, input files with
their SHA-256, the git commit and the versions of the packages that shape the output."""
from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

from .. import config
from ..io import sha256

PACKAGES = ("twocreate", "pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbclient",
            "ipykernel")


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
    """Python's version and those of :data:`PACKAGES` (as installed: the lock file pins them)."""
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def provenance(parameters: dict, inputs: list[str], commit: str, versions: dict, generated: str) -> dict:
    """The provenance footer's content: parameters, inputs with SHA-256, commit, versions, date."""
    files = []
    for p in inputs:
        path = Path(p)
        files.append({"path": config.relative(path), "sha256": sha256(path) if path.is_file() else "missing"})
    return {"generated": generated, "parameters": parameters, "inputs": files, "commit": commit,
            "versions": versions}
