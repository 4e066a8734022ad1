"""The package reads like the flow plan → outturns → assessment → views → runner: one view module
per report under twocreate/views/ (no alias modules), and no import cycle."""
import ast
import importlib
from pathlib import Path

import pytest
from conftest import ROOT

PKG = ROOT / "twocreate"


def _module_name(path: Path, root: Path = ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def import_graph(top_level_only: bool = False, root: Path = ROOT) -> dict[str, set[str]]:
    """twocreate module → twocreate modules it imports: every ``import`` node of the module's AST,
    those inside functions included (``top_level_only``: module-level statements only)."""
    mods = {_module_name(p, root): p for p in (root / "twocreate").rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for mod, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = tree.body if top_level_only else list(ast.walk(tree))
        pkg = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
        for node in nodes:
            if isinstance(node, ast.ImportFrom):
                base = pkg
                for _ in range(max(node.level - 1, 0)):
                    base = base.rsplit(".", 1)[0]
                target = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
                subs = [f"{target}.{a.name}" for a in node.names]
                # ``from . import config`` imports the submodule, not the package's own __init__
                cands = subs if not node.module and any(c in mods for c in subs) else [target] + subs
            elif isinstance(node, ast.Import):
                cands = [a.name for a in node.names]
            else:
                continue
            graph[mod] |= {c for c in cands if c in mods and c != mod}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    out, state, stack = [], {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                out.append(stack[stack.index(m):] + [m])
            elif not state.get(m):
                visit(m)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if not state.get(n):
            visit(n)
    return out


def test_no_import_cycle_between_modules():
    """A cycle hidden behind an import inside a function is still a cycle."""
    assert _cycles(import_graph()) == []


def test_the_cycle_check_sees_imports_inside_functions(tmp_path):
    pkg = tmp_path / "twocreate"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from . import b\n")
    (pkg / "b.py").write_text("def f():\n    from .c import g\n    return g\n")
    (pkg / "c.py").write_text("def g():\n    from twocreate.a import b\n")
    g = import_graph(root=tmp_path)
    assert g["twocreate.b"] == {"twocreate.c"} and g["twocreate.c"] == {"twocreate.a"}
    assert _cycles(g) == [["twocreate.a", "twocreate.b", "twocreate.c", "twocreate.a"]]
    assert _cycles(import_graph(top_level_only=True, root=tmp_path)) == []


def test_one_view_module_per_report_and_no_alias_modules():
    views = {p.stem for p in (PKG / "views").glob("*.py")} - {"__init__"}
    # one module per report (its charts may sit beside it, named <report>_charts), and the shared words
    assert views == {"progress", "funds", "districts", "tasks", "common", "fund_charts", "district_charts"}
    for old in ("fund_views", "district_views", "task_views", "target_views"):
        assert not (PKG / f"{old}.py").exists()
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"twocreate.{old}")
    tree = ast.parse((PKG / "views" / "__init__.py").read_text(encoding="utf-8"))
    assert not [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]  # no star import, none
    # views never import the runner or the command line
    g = import_graph(top_level_only=False)
    for v in [m for m in g if m.startswith("twocreate.views")]:
        assert not {m for m in g[v] if m.startswith("twocreate.build") or m == "twocreate.cli"}, v


def test_errors_have_one_home_and_io_still_exports_them():
    import twocreate
    from twocreate import errors, io
    assert io.InputError is errors.InputError is twocreate.InputError and io.Problem is errors.Problem
    assert errors.InputError.__module__ == "twocreate.errors" and errors.Problem.__module__ == "twocreate.errors"
    assert "class InputError" not in (PKG / "io.py").read_text(encoding="utf-8")


def test_every_subcommand_lives_in_cli():
    """One command line: no module but cli parses arguments (no argparse main elsewhere)."""
    for path in sorted(PKG.rglob("*.py")):
        if path.name in ("cli.py", "__main__.py") and path.parent == PKG:
            continue
        text = path.read_text(encoding="utf-8")
        if path == PKG / "build" / "zygote.py":
            # not a command: the entry of the kernel stub, run as a script that must not import the package
            # (one per kernel), and of the zygote process; it parses no options (no argparse)
            assert "argparse" not in text, path.name
            continue
        assert "argparse" not in text and "__main__" not in text, path.name
    from twocreate.cli import build_parser
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert {"run", "validate", "list", "template", "register", "synth-register"} <= set(sub.choices)


# ``DataFrame.attrs`` is not a side channel (issue 21 §3): readers return a twocreate.sourced.Sourced
# (frame + source, layout, encoding, checks), computations are given what they need as arguments.
# pandas keeps attrs through some operations and not others, so a finding riding there can vanish
# unseen. Each remaining use is listed with its reason; the count per file is exact, so a new use
# fails here.
ATTRS_ALLOWED = {
    # the statistician's DataFrame (tc.read_outturns): a documented copy of the Sourced's findings for
    # display, and tc.chart's default plan; the pipeline never reads it
    "twocreate/api.py": 5,  # the copy (1), tc.chart (1), its documentation and doctest (3)
    "twocreate/__init__.py": 1,  # the module docstring shows that copy
    "twocreate/sourced.py": 1,  # its docstring says why attrs is not used
    # remaining (to convert): the enterprise register's name and files (row labels of a multi-file
    # register); validate_register and build_indicator_table already take source=/files=, the attrs
    # are their defaults
    "twocreate/partitioned.py": 2,
    "twocreate/synthetic.py": 1,
    "twocreate/enterprise.py": 9,
    "twocreate/sizes.py": 3,
}


def attrs_uses(root: Path = ROOT) -> dict[str, int]:
    """File → number of lines of twocreate/ that touch ``.attrs`` (code, or documentation of it)."""
    out: dict[str, int] = {}
    for path in sorted((root / "twocreate").rglob("*.py")):
        n = sum(".attrs" in line for line in path.read_text(encoding="utf-8").splitlines())
        if n:
            out[path.relative_to(root).as_posix()] = n
    return out


def test_dataframe_attrs_is_no_side_channel():
    got = attrs_uses()
    assert got == ATTRS_ALLOWED, (
        "DataFrame.attrs used outside the allow-list (pass a twocreate.sourced.Sourced or an argument "
        f"instead): {({k: v for k, v in got.items() if ATTRS_ALLOWED.get(k) != v})}")
