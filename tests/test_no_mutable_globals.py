"""No mutable module globals in twocreate/ (issue 21 §3): state travels in objects passed along
(a :class:`twocreate.io.ReadLog`, a worker's kernels, a run's signals), never in a module-level
list, dict or set that code changes. Constants built once (a lookup table, a tuple) are fine."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

MUTATORS = {"append", "extend", "insert", "add", "update", "clear", "pop", "popitem", "remove", "discard",
            "setdefault", "sort", "reverse", "__setitem__", "__delitem__"}
CONTAINERS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
CONTAINER_CALLS = {"list", "dict", "set", "defaultdict", "OrderedDict", "Counter", "deque"}


def _module_containers(tree: ast.Module) -> dict[str, int]:
    """Names bound at module level to a list, dict or set (name → line)."""
    out = {}
    for node in tree.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        is_container = isinstance(value, CONTAINERS) or (
            isinstance(value, ast.Call) and getattr(value.func, "id", getattr(value.func, "attr", "")) in CONTAINER_CALLS)
        if is_container:
            out.update({t.id: node.lineno for t in targets if isinstance(t, ast.Name)})
    return out


def mutated_globals(source: str) -> list[tuple[str, int, str]]:
    """(name, line, how) for every module-level container a function of the module changes, or a
    name a function rebinds through ``global``."""
    tree = ast.parse(source)
    names = _module_containers(tree)
    found = []
    # inside functions only: a table filled by the module's own top-level statements is a constant
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    for node in {id(n): n for f in funcs for n in ast.walk(f)}.values():
        if isinstance(node, ast.Global):
            found += [(n, node.lineno, "global") for n in node.names]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
            base = node.func.value
            if isinstance(base, ast.Name) and base.id in names:
                found.append((base.id, node.lineno, f".{node.func.attr}()"))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for t in targets:
                if isinstance(t, ast.Subscript) and isinstance(t.value, ast.Name) and t.value.id in names:
                    found.append((t.value.id, node.lineno, "item assignment"))
    return sorted(found, key=lambda f: f[1])


def test_no_module_global_of_twocreate_is_mutated():
    found = []
    for path in sorted((ROOT / "twocreate").rglob("*.py")):
        for name, line, how in mutated_globals(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT)}:{line}: {name} {how}")
    assert found == []


def test_the_check_sees_a_read_log_kept_in_a_module_list():
    src = ("READS: list[str] = []\n_SPARE = {}\nSIGNALLED = []\nKEEP = {'a': 1}\nfor k in 'bc':\n    KEEP[k] = 2\n"
           "def load(p):\n    READS.append(p)\n    _SPARE[p] = 1\n"
           "def stop():\n    global SIGNALLED\n    SIGNALLED = [1]\n"
           "def read():\n    return KEEP['a']\n")
    assert [(n, how) for n, _, how in mutated_globals(src)] == [("READS", ".append()"), ("_SPARE", "item assignment"),
                                                                ("SIGNALLED", "global")]
