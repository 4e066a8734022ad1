"""Every report notebook is paired with a jupytext percent script (the reviewed, diffed source) and
the two are in sync: same cells, same types, same sources, same tags (issue 19).

Edit the ``.py`` and run ``.venv/bin/jupytext --sync notebooks/NN_name.py``. ``PENDING`` lists the
notebooks not yet paired; it only shrinks.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PENDING: set[str] = set()


def _cells(nb: dict) -> list[tuple[str, str, tuple]]:
    out = []
    for c in nb["cells"]:
        src = c["source"] if isinstance(c["source"], str) else "".join(c["source"])
        out.append((c["cell_type"], src.strip(), tuple(c.get("metadata", {}).get("tags", []))))
    return out


@pytest.mark.parametrize("ipynb", sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")), ids=lambda p: p.stem)
def test_notebook_and_script_are_in_sync(ipynb):
    import jupytext
    script = ipynb.with_suffix(".py")
    if ipynb.stem in PENDING:
        assert not script.exists(), f"{script.name} exists: remove {ipynb.stem} from PENDING"
        pytest.skip("not paired yet")
    assert script.exists(), f"{ipynb.name} has no paired {script.name}"
    nb = json.loads(ipynb.read_text(encoding="utf-8"))
    from_script = json.loads(jupytext.writes(jupytext.read(script), fmt="ipynb"))
    assert _cells(from_script) == _cells(nb), f"out of sync: run jupytext --sync {script}"
    assert nb["metadata"].get("twocreate") == from_script["metadata"].get("twocreate")


def test_every_report_notebook_has_language_cells_for_both_languages():
    for script in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")):
        nb = json.loads(__import__("jupytext").writes(__import__("jupytext").read(script), fmt="ipynb"))
        tags = [set(c.get("metadata", {}).get("tags", [])) for c in nb["cells"] if c["cell_type"] == "markdown"]
        zh, en = sum("zh" in t for t in tags), sum("en" in t for t in tags)
        assert zh == en and zh > 0, (script.name, zh, en)
