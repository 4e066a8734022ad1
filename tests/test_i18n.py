"""Words in catalogs (issue 18): both catalogs have the same keys and placeholders, every key the
code asks for exists, and no Chinese string literal is left in the package outside the catalogs.

``PENDING`` lists the modules not yet converted, with their count of Chinese literals: the count may
only go down (a module leaves the list when it reaches zero).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from twocreate.i18n import catalog, placeholders, t

PKG = Path(__file__).resolve().parents[1] / "twocreate"
HAN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
PENDING = {
   
}


def chinese_literals(path: Path) -> list[tuple[int, str]]:
    """Non-docstring string constants holding Chinese (or full-width punctuation), with their lines."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
        if isinstance(node, ast.Assign) or isinstance(node, ast.AnnAssign):
            pass
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                and HAN.search(node.value):
            out.append((node.lineno, node.value[:40]))
    # an attribute docstring (a string statement after an assignment) is documentation too
    for node in ast.walk(tree):
        for body in (getattr(node, "body", None),):
            if not isinstance(body, list):
                continue
            for a, b in zip(body, body[1:]):
                if isinstance(a, (ast.Assign, ast.AnnAssign)) and isinstance(b, ast.Expr) and \
                        isinstance(b.value, ast.Constant) and isinstance(b.value.value, str):
                    out = [o for o in out if o[0] != b.value.lineno]
    return out


def test_catalogs_have_the_same_keys_and_placeholders():
    zh, en = catalog("zh"), catalog("en")
    assert set(zh) == set(en), sorted(set(zh) ^ set(en))
    bad = [k for k in zh if placeholders(zh[k]) != placeholders(en[k])]
    assert bad == []


def test_every_key_the_code_asks_for_exists():
    used = set()
    for p in list(PKG.rglob("*.py")) + list((PKG.parent / "notebooks").glob("*.py")):
        for m in re.finditer(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", p.read_text(encoding="utf-8")):
            used.add(m.group(1))
    missing = sorted(k for k in used if k not in catalog("zh"))
    assert missing == []


def test_a_missing_key_or_value_is_an_error_naming_it():
    with pytest.raises(KeyError, match="no.such"):
        t("no.such", "zh")
    with pytest.raises(KeyError, match="verdict_detail.achieved"):
        t("verdict_detail.achieved", "en")


def test_no_chinese_literal_in_the_package_outside_the_catalogs():
    found = {}
    for p in sorted(PKG.rglob("*.py")):
        rel = str(p.relative_to(PKG))
        n = len(chinese_literals(p))
        if n:
            found[rel] = n
    over = {k: v for k, v in found.items() if v > PENDING.get(k, 0)}
    assert over == {}, f"Chinese literals outside the catalogs (move them to twocreate/i18n): {over}"
    done = sorted(k for k, v in PENDING.items() if found.get(k, 0) == 0 and v)
    assert done == [], f"converted, remove from PENDING: {done}"


def test_chinese_markdown_lines_join_without_a_space():
    from twocreate.narrative import join_cjk_lines
    assert join_cjk_lines("目标年为\n2018年。\n目标年以前评价进度。") == "目标年为2018年。目标年以前评价进度。"
    assert join_cjk_lines("列表：\n- 一\n- 二\n\n段落") == "列表：\n- 一\n- 二\n\n段落"  # lists and paragraphs stay
