"""Notebooks are committed without outputs, with a `parameters` cell and the project's kernel."""
import json

import pytest

from conftest import NOTEBOOKS

NBS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_there_are_report_notebooks():
    assert any(p.name.startswith("01_") for p in NBS)


@pytest.mark.parametrize("path", NBS, ids=[p.name for p in NBS])
def test_notebook_is_stripped_and_parameterised(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {i} has outputs: strip them before committing"
            assert cell.get("execution_count") is None, f"{path.name} cell {i} has an execution count"
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{path.name} needs exactly one cell tagged 'parameters'"
    assert nb["metadata"]["kernelspec"]["name"] == "twocreate"
    assert "twocreate" in nb["metadata"] and {"zh", "en"} <= set(nb["metadata"]["twocreate"]["title"])


@pytest.mark.parametrize("path", NBS, ids=[p.name for p in NBS])
def test_parameters_are_visible_to_papermill(path):
    """papermill silently drops a parameter whose comment it cannot parse: every assignment must show."""
    import papermill
    nb = json.loads(path.read_text(encoding="utf-8"))
    src = "".join(next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))["source"])
    names = {line.split("=")[0].split(":")[0].strip() for line in src.splitlines()
             if "=" in line and not line.startswith((" ", "#"))}
    assert names <= set(papermill.inspect_notebook(str(path)))
