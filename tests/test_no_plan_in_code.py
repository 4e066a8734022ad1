"""No plan in code (issue 17): no file of the package or the notebooks holds a shipped plan's city,
area name or code, document number, department or section reference; those live in the plan folder.

``PENDING`` are the files still to be cleaned (each leaves the list when it is clean; the test fails
when a listed file is clean, so the list only shrinks).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from twocreate.plan import load_plan, plan_ids

ROOT = Path(__file__).resolve().parents[1]
PENDING = {
   
}


def plan_words() -> dict[str, str]:
    """word → what it is, from every shipped plan folder."""
    words: dict[str, str] = {}
    for pid in plan_ids():
        p = load_plan(pid)
        for k in ("city_zh", "city_en", "document_number", "title_zh", "short_title_zh"):
            v = str(p.meta.get(k, ""))
            if len(v) >= 2:
                words[v] = f"{pid}: {k}"
        words[str(p.meta["city_zh"]).rstrip("市")] = f"{pid}: city"
        for _, a in p.areas.iterrows():
            words[str(a["area_code"])] = f"{pid}: area code"
            for col in ("name_zh", "name_en"):
                words[str(a[col]).split(" (")[0]] = f"{pid}: area name"
        for _, d in p.departments.iterrows():
            words[str(d["name_zh"])] = f"{pid}: department"
        for name in ("indicators", "baseline", "funds", "instruments", "tasks", "subtargets", "areas"):
            for s in getattr(p, name).get("section", []):
                for tok in str(s).split():
                    if ("§" in tok and len(tok) >= 2) or (len(tok) >= 5 and re.search(r"[\u4e00-\u9fff]", tok)):
                        words[tok] = f"{pid}: section"
    return {w: why for w, why in words.items() if len(w) >= 2}


def sources() -> list[Path]:
    files = [p for p in (ROOT / "twocreate").rglob("*") if p.suffix in (".py", ".j2", ".css", ".toml", ".json")]
    files += [p for p in (ROOT / "notebooks").rglob("*") if p.suffix in (".py", ".ipynb")]
    return sorted(f for f in files if "__pycache__" not in f.parts)


def text_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
        return "\n".join("".join(c["source"]) for c in nb["cells"])
    return path.read_text(encoding="utf-8")


def test_no_source_file_holds_a_plans_words():
    words = plan_words()
    assert "济南" in words and "§二(三)" in words and "370102" in words  # the scan sees the 2016 plan
    hits = {}
    for f in sources():
        rel = str(f.relative_to(ROOT))
        text = text_of(f)
        found = sorted(w for w in words if w in text)
        if found:
            hits[rel] = found
    bad = {k: v[:8] for k, v in hits.items() if k not in PENDING}
    assert bad == {}, f"plan words in code (move them to the plan folder): {bad}"
    clean = sorted(k for k in PENDING if (ROOT / k).exists() and k not in hits)
    assert clean == [], f"clean now, remove from PENDING: {clean}"
