"""What a notebook shows, through one escaping path.

Notebooks hold the narrative in both languages; :class:`Page` picks the language, escapes
every value that comes from data (``html.escape``), and displays headings, paragraphs,
tables, the illustrative banner and the summary box as HTML outputs. It also records what
the runner needs for the index and the provenance footer (a ``application/vnd.twocreate+json``
output that the HTML export does not show).
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd

STATUS_MIME = "application/vnd.twocreate+json"
ILLUSTRATIVE_BANNER = {
    "zh": ("示例数据，非官方统计", "本报告中标注“示例”的图表和表格使用的是随软件附带的示例数据（illustrative），"
           "仅用于演示计算方法，不是官方统计数据。"),
    "en": ("Illustrative data — not official statistics", "Charts and tables marked “illustrative” use the example data "
           "shipped with the software, to demonstrate the method only. They are not official statistics"),
}
"""The banner's heading and body; a plan's ``illustrative_note_zh``/``_en`` (plan.toml) completes the body."""


def esc(value: object) -> str:
    """HTML-escape a value for display (the one escaping path for data text)."""
    return html.escape("" if value is None else str(value), quote=True)


def _display(obj) -> None:
    from IPython.display import display
    display(obj)


class Page:
    """Narrative helpers bound to one report language (``"zh"`` or ``"en"``)."""

    def __init__(self, lang: str = "zh", illustrative: bool = False, plan=None, reads=None):
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', got {lang!r}")
        self.lang = lang
        self.illustrative = illustrative
        self._plan_note = str((getattr(plan, "meta", None) or {}).get(f"illustrative_note_{lang}", ""))
        self.inputs: list[str] = []
        self.reads = reads  # a twocreate.io.ReadLog the report's readers were given: listed with the inputs
        self._ids: set[str] = set()

    # ---- text
    def t(self, zh: str, en: str) -> str:
        """The text for this page's language (trusted narrative, not data)."""
        return zh if self.lang == "zh" else en

    def render(self, zh: str, en: str, **values) -> str:
        """Narrative template for this language with ``{name}`` placeholders filled by escaped values.

        The template may hold simple HTML (it is the notebook author's text); values never do.
        """
        return self.t(zh, en).format(**{k: esc(v) for k, v in values.items()})

    def _html(self, s: str) -> None:
        from IPython.display import HTML
        _display(HTML(s))

    def title(self, zh: str, en: str, **values) -> None:
        """The report's H1 title."""
        self._html(f'<h1 class="tc-title">{self.render(zh, en, **values)}</h1>')

    def h2(self, zh: str, en: str, anchor: str, **values) -> None:
        """A section heading; the template lists every H2 in the table of contents."""
        anchor = re.sub(r"[^a-z0-9-]", "-", anchor.lower())
        self._ids.add(anchor)
        self._html(f'<h2 id="{anchor}" class="tc-section">{self.render(zh, en, **values)}</h2>')

    def h3(self, zh: str, en: str, **values) -> None:
        self._html(f"<h3>{self.render(zh, en, **values)}</h3>")

    def p(self, zh: str, en: str, **values) -> None:
        """A paragraph of narrative; ``values`` are escaped."""
        self._html(f"<p>{self.render(zh, en, **values)}</p>")

    def note(self, zh: str, en: str, **values) -> None:
        """A highlighted note (an assumption, a caveat, an inconsistency of the plan)."""
        self._html(f'<div class="tc-note">{self.render(zh, en, **values)}</div>')

    def text(self, value: object, cls: str = "tc-quote") -> None:
        """Show a data string (e.g. an audit finding) as escaped text."""
        self._html(f'<p class="{cls}">{esc(value)}</p>')

    def bullets(self, items: list[str]) -> None:
        """A list of data strings, escaped."""
        self._html("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>")

    # ---- text from the catalogs (already in this page's language)
    def heading(self, text: str, anchor: str, level: int = 2) -> None:
        """A section heading from catalog or plan text (escaped); H2 go into the table of contents."""
        anchor = re.sub(r"[^a-z0-9-]", "-", anchor.lower())
        self._ids.add(anchor)
        cls = ' class="tc-section"' if level == 2 else ""
        self._html(f'<h{level} id="{anchor}"{cls}>{esc(text)}</h{level}>')

    def para(self, text: str, cls: str | None = None) -> None:
        """A paragraph of catalog or plan text (escaped)."""
        c = f' class="{cls}"' if cls else ""
        self._html(f"<p{c}>{esc(text)}</p>")

    def publish(self, **values) -> None:
        """Values for the markdown narrative's ``{{ name }}`` placeholders (:mod:`twocreate.narrative`);
        nothing is shown."""
        from .narrative import VALUES_MIME
        _emit_mime(VALUES_MIME, {k: (v if isinstance(v, (int, float, bool)) or v is None else str(v))
                                 for k, v in values.items()})

    def callout(self, text: str) -> None:
        """A highlighted note of catalog or plan text (escaped): an assumption, a caveat."""
        self._html(f'<div class="tc-note">{esc(text)}</div>')

    def conclusion(self, lead: str, items: list[str], heading: str) -> None:
        """The conclusion box that opens the report: a lead paragraph and one item per target (escaped)."""
        lis = "".join(f"<li>{esc(i)}</li>" for i in items)
        self._html(f'<section class="tc-summary"><h2 id="summary">{esc(heading)}</h2><p class="tc-lead">{esc(lead)}'
                   f'</p><ul>{lis}</ul></section>')

    # ---- blocks
    def banner(self) -> None:
        """The illustrative-data banner (shown only when the page uses illustrative data)."""
        if not self.illustrative:
            return
        head, body = ILLUSTRATIVE_BANNER[self.lang]
        if self.lang == "en":
            body += f": {self._plan_note}" if self._plan_note else "."
        else:
            body += self._plan_note
        self._html(f'<div class="tc-illustrative" role="note"><strong>⚠ {esc(head)}</strong> {esc(body)}</div>')

    def summary(self, items: list[str], heading: tuple[str, str] = ("要点", "Key findings")) -> None:
        """The summary box at the top of the report; ``items`` are data strings (escaped)."""
        lis = "".join(f"<li>{esc(i)}</li>" for i in items)
        self._html(f'<section class="tc-summary"><h2 id="summary">{esc(self.t(*heading))}</h2><ul>{lis}</ul></section>')

    def table(self, df: pd.DataFrame, caption: tuple[str, str] | None = None, illustrative: bool | None = None,
              index: bool = False, align_numbers: bool = True, keep_words: bool = False) -> None:
        """A table of data (escaped by pandas), captioned, marked when fed by illustrative data.

        ``align_numbers``: right-align the cells that hold a number (False for a table of texts that
        may start with a figure, such as targets and statuses, so that each column aligns one way).
        ``keep_words``: no line break inside a word, Chinese runs included (class ``tc-keep``: CSS
        ``word-break: keep-all``), so that no column is squeezed to one character a line (in print
        above all); for tables whose text cells are short names and labels.
        """
        illustrative = self.illustrative if illustrative is None else illustrative
        cap = esc(self.t(*caption)) if caption else ""
        mark = (f' <span class="tc-mark">{esc(ILLUSTRATIVE_BANNER[self.lang][0])}</span>' if illustrative else "")
        body = df.to_html(index=index, escape=True, border=0, classes="tc-table", na_rep="—")
        body = _align_numbers(body) if align_numbers else body
        if keep_words:
            body = body.replace('<table class="dataframe tc-table"', '<table class="dataframe tc-table tc-keep"', 1)
        cls = "tc-table-wrap tc-is-illustrative" if illustrative else "tc-table-wrap"
        self._html(f'<figure class="{cls}"><figcaption>{cap}{mark}</figcaption>{body}</figure>')

    def figure(self, fig, caption: tuple[str, str] | None = None, illustrative: bool | None = None,
               alt: str | None = None) -> None:
        """Show a matplotlib figure (PNG, embedded by the export), stamped if illustrative, then close it.

        ``alt`` is the chart's text alternative, written from its data (screen readers, text search);
        without one, :func:`twocreate.plotting.describe_figure` writes it from what the figure draws.
        """
        import matplotlib.pyplot as plt
        from IPython.display import Image

        from .plotting import describe_figure, mark_illustrative
        illustrative = self.illustrative if illustrative is None else illustrative
        if not alt:
            alt = describe_figure(fig, self.lang)
        if illustrative:
            mark_illustrative(fig, self.lang)
            alt = f"{alt}（{ILLUSTRATIVE_BANNER['zh'][0]}）" if self.lang == "zh" else f"{alt} ({ILLUSTRATIVE_BANNER['en'][0]})"
        import io as _io
        buf = _io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        plt.close(fig)
        _display(Image(data=buf.getvalue(), format="png", metadata={"alt": alt}))
        if caption:
            self._html(f'<p class="tc-caption">{esc(self.t(*caption))}</p>')

    # ---- for the runner
    def uses(self, *paths) -> None:
        """Declare input files read by the report (listed with SHA-256 in the provenance footer)."""
        for p in paths:
            s = str(Path(p).resolve())
            if s not in self.inputs:
                self.inputs.append(s)

    def record(self, status: str = "", **extra) -> None:
        """Emit the record the runner reads: one-line status for the index, inputs, flags."""
        inputs = self.inputs + [p for p in (self.reads or ()) if p not in self.inputs]  # declared, then read
        payload = {"status": status, "inputs": inputs, "illustrative": self.illustrative,
                   "lang": self.lang, **extra}
        _emit(payload)


_NUMERIC_CELL = re.compile(r"^\s*(CNY\s)?[−\-+]?[\d.,]+\s*(\S{0,12})?\s*$|^\s*—\s*$|^\s*[−\-+]?[\d.,]+\s?[%×]")


def _align_numbers(table_html: str) -> str:
    """Mark cells that hold a number (``1,234``, ``8,030亿元``, ``33.1%``, ``CNY 1.2 billion``) with
    class ``n`` so they right-align; text cells stay left-aligned."""
    def mark(m: re.Match) -> str:
        content = m.group(1)
        text = html.unescape(re.sub(r"<[^>]+>", "", content))
        return f'<td class="n">{content}</td>' if _NUMERIC_CELL.match(text) else m.group(0)
    return re.sub(r"<td>(.*?)</td>", mark, table_html, flags=re.S)


def _emit(payload: dict) -> None:
    _emit_mime(STATUS_MIME, payload)


def _emit_mime(mime: str, payload: dict) -> None:
    from IPython.display import display
    display({mime: payload}, raw=True)
