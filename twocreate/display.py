"""How the library's objects show themselves in a notebook: a short text form and a styled HTML table.

``__repr__`` (what ``print`` and the plain-text output show) is at most about ten lines; ``_repr_html_``
(what JupyterLab shows) is one small table with a caption. Both are built from the same rows, so the
two forms say the same. Numbers are shown as they are stored (codes, not sentences: this is for the
person exploring, the reports have the words).
"""
from __future__ import annotations

import html
import math

import pandas as pd

# one style sheet per output, scoped to the wrapper's class (the cells carry no inline style)
# (the class twice: more specific than JupyterLab's right-aligned ``.jp-RenderedHTMLCommon td``)
_S = ".twocreate-repr.twocreate-repr"
CSS = (f"<style>{_S} table{{border-collapse:collapse;font-size:12px;margin:2px 0;"
       "font-family:system-ui,'Noto Sans CJK SC',sans-serif}"
       f"{_S} th,{_S} td{{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}}"
       f"{_S} th{{background:#f3f3f3;font-weight:600}}"
       f"{_S} caption{{caption-side:top;text-align:left;font-weight:600;padding:2px 0 4px}}</style>")
MAX_ROWS = 20


def _wrap(caption: str, inner: str) -> str:
    return (f'<div class="twocreate-repr">{CSS}<table><caption>{html.escape(caption)}</caption>{inner}</table></div>')


def value_text(v: object) -> str:
    """A cell as text: blank for None/NaN, floats with up to 6 significant digits."""
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return ""
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 1e5 else f"{v:.6g}"  # never 1.08379e+07 for a level
    return str(v)


def fields_html(caption: str, rows: list[tuple[str, object]]) -> str:
    """A two-column table (field, value) under ``caption``."""
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(value_text(v))}</td></tr>" for k, v in rows)
    return _wrap(caption, f"<tbody>{body}</tbody>")


def frame_html(caption: str, df: pd.DataFrame, max_rows: int = MAX_ROWS) -> str:
    """``df`` (its first ``max_rows`` rows) as a styled table under ``caption``; a last row says how
    many were left out."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for _, r in df.head(max_rows).iterrows():
        rows.append("<tr>" + "".join(f"<td>{html.escape(value_text(v))}</td>" for v in r) + "</tr>")
    if len(df) > max_rows:
        rows.append(f'<tr><td colspan="{len(df.columns)}">… {len(df) - max_rows} more rows</td></tr>')
    return _wrap(caption, f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody>")


def frame_text(df: pd.DataFrame, max_rows: int = 8, indent: str = "  ") -> list[str]:
    """``df`` as aligned text lines (its first ``max_rows`` rows, then "… n more")."""
    if df.empty:
        return [indent + "(no rows)"]
    shown = df.head(max_rows).map(value_text) if hasattr(df, "map") else df.head(max_rows).applymap(value_text)
    text = shown.to_string(index=False).splitlines()
    out = [indent + line.rstrip() for line in text]
    if len(df) > max_rows:
        out.append(f"{indent}… {len(df) - max_rows} more")
    return out


def plan_fields(plan) -> list[tuple[str, object]]:
    """(field, value) pairs of a plan: id, title, document, period, base and target year, table counts."""
    from . import config
    m = plan.meta
    return [("id", plan.id), ("title", m.get("title_zh", "")), ("title (en)", m.get("title_en", "")),
            ("document", m.get("document_number", "")),
            ("period", f"{m.get('period_start', '')}–{m.get('period_end', '')}"),
            ("base / target year", f"{plan.base_year} / {plan.target_year}"),
            ("targets", len(plan.indicators)), ("areas", int((plan.areas["role"] != "city").sum())),
            ("tasks", len(plan.tasks)), ("funds", len(plan.funds)), ("instruments", len(plan.instruments)),
            ("folder", config.relative(plan.directory) if plan.directory else "")]


def plan_text(plan) -> str:
    """A plan in six lines: id and title, document, period, targets, the other tables, the folder."""
    f = dict(plan_fields(plan))
    codes = plan.indicator_codes
    return "\n".join([
        f"Plan {f['id']}: {f['title']}",
        f"  {f['title (en)']}" + (f" ({f['document']})" if f["document"] else ""),
        f"  period {f['period']}, base year {plan.base_year}, target year {plan.target_year}",
        f"  {f['targets']} targets ({', '.join(codes[:4])}{', …' if len(codes) > 4 else ''})",
        f"  {f['areas']} areas besides the city, {f['tasks']} tasks, {f['funds']} funds, "
        f"{f['instruments']} instruments",
        f"  folder {f['folder']}"])
