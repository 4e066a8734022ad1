"""A locked environment: requirements.lock pins every package with its hashes, make venv installs
from it, and the versions a report names in its provenance footer are the lock's."""
import re
import sys

import pytest

from conftest import ROOT

LOCK = ROOT / "requirements.lock"


def locked() -> dict[str, str]:
    """Package (normalised name) → pinned version, from requirements.lock."""
    text = LOCK.read_text(encoding="utf-8")
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def test_the_lock_pins_every_package_with_hashes():
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    pins = [e for e in entries if "==" in e.split("\n", 1)[0]]
    assert len(pins) == len(locked()) > 50
    assert all("--hash=sha256:" in e for e in pins)
    assert "--python-version 3.11" in text.splitlines()[1]
    for dep in ("pandas", "papermill", "nbconvert", "pytest", "dask", "pyarrow"):
        assert dep in locked(), dep


def test_pyproject_keeps_ranges():
    import tomllib
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert deps and not [d for d in deps if "==" in d]


def test_the_installed_versions_are_the_locks():
    """The versions the provenance footer takes (twocreate.build.provenance.PACKAGES) are pinned."""
    from twocreate.build.provenance import package_versions
    pins = locked()
    versions = package_versions()
    assert versions["python"].startswith("3.11.") or sys.version_info[:2] != (3, 11)
    shown = {k: v for k, v in versions.items() if k not in ("python", "twocreate")}
    assert shown and {k: pins.get(k) for k in shown} == shown


@pytest.mark.e2e
def test_a_reports_footer_names_the_locked_versions(built_reports):
    out, _ = built_reports
    page = (out / "2018" / "en" / "progress.html").read_text(encoding="utf-8")
    footer = page.split('id="provenance"')[1]
    named = dict(re.findall(r"<code>([a-z][a-z0-9_\-]*) ([0-9][^<]*)</code>", footer))
    pins = locked()
    assert {"pandas", "matplotlib", "nbconvert", "papermill"} <= set(named)
    assert {k: pins.get(k) for k in named if k not in ("python", "twocreate")} == \
        {k: v for k, v in named.items() if k not in ("python", "twocreate")}
