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
def banner_text(lang: str) -> tuple[str, str]:
    """The illustrative banner's heading and body (catalog ``page.illustrative_head``/``_body``)."""
    from .i18n import t
    return t("page.illustrative_head", lang), t("page.illustrative_body", lang)


"""A plan's ``illustrative_note_zh``/``_en`` (plan.toml) completes the body."""


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
        head, body = banner_text(self.lang)
        if self._plan_note:
            from .i18n import t
            body = t("furniture.illustrative_with_note", self.lang, body=body.rstrip("."), note=self._plan_note)
        self._html(f'<div class="tc-illustrative" role="note"><strong>⚠ {esc(head)}</strong> {esc(body)}</div>')

    def summary(self, items: list[str], heading: tuple[str, str] | None = None) -> None:
        """The summary box at the top of the report; ``items`` are data strings (escaped)."""
        from .i18n import t
        lis = "".join(f"<li>{esc(i)}</li>" for i in items)
        head = self.t(*heading) if heading else t("furniture.key_findings", self.lang)
        self._html(f'<section class="tc-summary"><h2 id="summary">{esc(head)}</h2><ul>{lis}</ul></section>')

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
        mark = (f' <span class="tc-mark">{esc(banner_text(self.lang)[0])}</span>' if illustrative else "")
        body = df.to_html(index=index, escape=True, border=0, classes="tc-table", na_rep="—")
        body = _align_numbers(body) if align_numbers else body
        body = _mark_english_cells(body) if self.lang == "zh" else body
        if keep_words:
            body = body.replace('<table class="dataframe tc-table"', '<table class="dataframe tc-table tc-keep"', 1)
        cls = "tc-table-wrap tc-is-illustrative" if illustrative else "tc-table-wrap"
        link = self._download(df.reset_index() if index else df, self.t(*caption) if caption else "")
        self._html(f'<figure class="{cls}"><figcaption>{cap}{mark}</figcaption>{body}{link}</figure>')

    def _download(self, df: pd.DataFrame, name: str) -> str:
        """A "download data" link: the table as CSV (UTF-8 with BOM, formula-like text neutralised),
        embedded in the page as a ``data:`` URI, so that it works offline and from a copied file."""
        from .i18n import t
        self._downloads = getattr(self, "_downloads", 0) + 1
        stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", name).strip("_.")[:60] or f"table-{self._downloads}"
        return (f'<p class="tc-download"><a href="{csv_data_uri(df)}" download="{esc(stem)}.csv" type="text/csv">'
                f'{esc(t("furniture.download", self.lang))}</a></p>')

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
            from .i18n import t
            alt = t("furniture.alt_illustrative", self.lang, alt=alt, mark=banner_text(self.lang)[0])
        import io as _io

        from .plotting import figure_data
        buf = _io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Software": None})
        data = figure_data(fig, self.lang)
        plt.close(fig)
        _display(Image(data=buf.getvalue(), format="png", metadata={"alt": alt}))
        cap = self.t(*caption) if caption else ""
        link = self._download(data, cap) if len(data) else ""
        if caption or link:
            self._html(f'<p class="tc-caption">{esc(cap)}</p>{link}' if caption else link)

    # ---- for the runner
    def uses(self, *paths) -> None:
        """Declare input files read by the report (listed with SHA-256 in the provenance footer)."""
        for p in paths:
            s = str(Path(p).resolve())
            if s not in self.inputs:
                self.inputs.append(s)

    def record(self) -> None:
        """Emit what the runner reads of the notebook itself: the files it read (listed in the
        provenance footer, hashed by the build cache) and whether its data are illustrative. The title,
        status and index figures are not the notebook's to say: the runner computes them with the
        library (:mod:`twocreate.build.facts`)."""
        inputs = self.inputs + [p for p in (self.reads or ()) if p not in self.inputs]  # declared, then read
        _emit({"inputs": inputs, "illustrative": self.illustrative, "lang": self.lang})


def csv_data_uri(df: pd.DataFrame) -> str:
    """``df`` as a CSV ``data:`` URI: UTF-8 with a byte-order mark (spreadsheets then read Chinese
    right), text cells that a spreadsheet would run as formulas neutralised (:mod:`twocreate.writers`)."""
    import base64

    from .writers import neutralise_frame
    text = neutralise_frame(df).to_csv(index=False, lineterminator="\r\n")
    return "data:text/csv;base64," + base64.b64encode(("\ufeff" + text).encode("utf-8")).decode("ascii")


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


# --------------------------------------------------------------------------- languages of a page
CJK = "".join(f"{chr(a)}-{chr(b)}" for a, b in ((0x2E80, 0x9FFF), (0x3000, 0x303F), (0xFF00, 0xFFEF)))
"""Character ranges of Chinese text (ideographs, CJK punctuation, full-width forms), for a regex class."""
_CJK_RUN = re.compile(f"[{CJK}](?:[{CJK}\\d\\s.,:;%()\\-–—/·+×=]*[{CJK}])?")
_TAG = re.compile(r"(<!--.*?-->|<[^>]+>)", re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_RAW = {"style", "script", "title", "textarea"}


def tag_languages(page: str, lang: str) -> str:
    """Mark every run of Chinese on an English page (names, quoted plan wording, document numbers)
    with ``<span lang="zh">`` unless it already sits in an element with ``lang="zh…"`` (WCAG 3.1.2:
    a screen reader switches voice, the stylesheet switches to the CJK font). Text inside tags
    (attributes), comments, ``style``, ``script`` and ``title`` is left as it is. Chinese pages are
    returned unchanged: English on them is marked where it is shown (data text in tables)."""
    if lang != "en":
        return page
    out: list[str] = []
    stack: list[tuple[str, bool]] = []
    raw = None
    for part in _TAG.split(page):
        if not part:
            continue
        if part.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z][\w-]*)", part)
            if m:
                name = m.group(2).lower()
                if m.group(1):
                    if raw == name:
                        raw = None
                    for i in range(len(stack) - 1, -1, -1):
                        if stack[i][0] == name:
                            del stack[i:]
                            break
                elif raw is None and name in _RAW:
                    raw = name
                elif raw is None and name not in _VOID and not part.endswith("/>"):
                    lm = re.search(r"""\slang\s*=\s*["']?([\w-]+)""", part)
                    stack.append((name, lm.group(1).lower().startswith("zh") if lm else bool(stack and stack[-1][1])))
            out.append(part)
        elif raw or (stack and stack[-1][1]):
            out.append(part)
        else:
            out.append(_CJK_RUN.sub(lambda m: f'<span lang="zh">{m.group(0)}</span>', part))
    return "".join(out)


_LATIN_PHRASE = re.compile(r"[A-Za-z]{2,}[^A-Za-z\u2e80-\u9fff<>]+[A-Za-z]{2,}")


def _mark_english_cells(table_html: str) -> str:
    """On a Chinese page, a table cell of English data text (e.g. a source as the input file gives it)
    is wrapped in ``<span lang="en">``: it is shown as written, and marked as English."""
    def mark(m: re.Match) -> str:
        content = m.group(2)
        text = html.unescape(re.sub(r"<[^>]+>", "", content))
        if _LATIN_PHRASE.search(text) and not re.search(f"[{CJK}]", text):
            return f'{m.group(1)}<span lang="en">{content}</span></td>'
        return m.group(0)
    return re.sub(r"(<td[^>]*>)(.*?)</td>", mark, table_html, flags=re.S)
