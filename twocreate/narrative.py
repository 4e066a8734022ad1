"""Narrative in markdown: a notebook's text lives in markdown cells tagged with their language.

A markdown cell tagged ``zh`` or ``en`` is narrative in that language; its ``{{ name }}``
placeholders (Jinja) are filled, HTML-escaped, from the values the code cells publish with
:meth:`twocreate.present.Page.publish` (a ``application/vnd.twocreate.values+json`` output, last
value wins, in cell order). At export the other language's cells are dropped, so a page speaks one
language; in JupyterLab a statistician reads (and edits) both as plain markdown.
"""
from __future__ import annotations

import copy
import re

VALUES_MIME = "application/vnd.twocreate.values+json"
LANG_TAGS = ("zh", "en")


class NarrativeError(ValueError):
    """A placeholder without a published value, or a template that does not parse."""


def _env():
    import jinja2
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _source(cell) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def render(nb, lang: str):
    """A copy of executed notebook ``nb`` for one language: the other language's markdown dropped,
    this language's filled from the published values, the value outputs removed."""
    import jinja2
    if lang not in LANG_TAGS:
        raise ValueError(f"language must be one of {', '.join(LANG_TAGS)}, got {lang!r}")
    nb = copy.deepcopy(nb)
    env = _env()
    values: dict = {}
    cells = []
    for i, cell in enumerate(nb.cells):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell.get("cell_type") == "code":
            kept = []
            for out in cell.get("outputs", []):
                data = out.get("data", {})
                if VALUES_MIME in data:
                    values.update(dict(data[VALUES_MIME]))
                else:
                    kept.append(out)
            cell["outputs"] = kept
            cells.append(cell)
            continue
        if cell.get("cell_type") == "markdown":
            langs = tags & set(LANG_TAGS)
            if langs and lang not in langs:
                continue
            if langs:
                try:
                    text = env.from_string(_source(cell)).render(**values)
                    cell["source"] = join_cjk_lines(text) if lang == "zh" else text
                except jinja2.UndefinedError as exc:
                    raise NarrativeError(f"markdown cell {i + 1} ({lang}): {exc.message}; publish it with "
                                         "page.publish(name=value) in a code cell above") from None
                except jinja2.TemplateSyntaxError as exc:
                    raise NarrativeError(f"markdown cell {i + 1} ({lang}), line {exc.lineno}: {exc.message}") from None
        cells.append(cell)
    nb.cells = cells
    return nb


_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"  # escapes read by re
_SOFT_BREAK = re.compile(rf"(?<=[{_CJK}])\n(?!\s*(?:[-*+>#|]\s|\d+[.)]\s|\n|$))")


def join_cjk_lines(text: str) -> str:
    """Join the lines of a Chinese paragraph: a line break between two Chinese characters is a soft
    break that a browser would show as a space (“计划期为\n2016年” → “计划期为2016年”)."""
    return _SOFT_BREAK.sub("", text)


def placeholders(text: str) -> set[str]:
    """Names a markdown template uses (for the sync and catalog tests)."""
    import jinja2.meta
    return set(jinja2.meta.find_undeclared_variables(_env().parse(text)))
