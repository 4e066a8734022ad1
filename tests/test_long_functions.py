"""No function of twocreate/ over 60 lines without a reason written beside it (issue 21 §4): a
comment ``# long: <why it is kept whole>`` on the line above its ``def`` (or its decorators)."""
from __future__ import annotations

import ast

from conftest import ROOT

LIMIT = 60


def unexplained_long_functions(source: str, limit: int = LIMIT) -> list[tuple[str, int, int]]:
    """(name, line, length) of every function longer than ``limit`` lines without ``# long:`` above it."""
    lines = source.splitlines()
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            above = lines[first - 2].strip() if first >= 2 else ""
            if length > limit and not (above.startswith("# long:") and len(above) > len("# long:") + 10):
                out.append((node.name, node.lineno, length))
    return out


def test_every_long_function_says_why():
    found = [f"{p.relative_to(ROOT)}:{line}: {name} ({n} lines)" for p in sorted((ROOT / "twocreate").rglob("*.py"))
             for name, line, n in unexplained_long_functions(p.read_text(encoding="utf-8"))]
    assert found == []


def test_the_check_sees_a_long_function_and_its_reason():
    body = "".join(f"    x{i} = {i}\n" for i in range(LIMIT))
    assert unexplained_long_functions(f"def f():\n{body}") == [("f", 1, LIMIT + 1)]
    assert unexplained_long_functions(f"# long: a table of cases, one line each\ndef f():\n{body}") == []
    assert unexplained_long_functions(f"# long:\ndef f():\n{body}") == [("f", 2, LIMIT + 1)]  # a reason, not a tag
