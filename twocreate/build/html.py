"""A report as a web page: the executed notebook exported to self-contained HTML with the
project's nbconvert template (``twocreate/templates/twocreate/``), and the CJK font subset every
page embeds so that Chinese renders offline."""
from __future__ import annotations

import html
import json
import re
import time

from .. import config
from ..present import STATUS_MIME, tag_languages

TEMPLATES = config.PACKAGE / "templates"


def read_record(nb) -> dict:
    """The record a notebook emitted with :meth:`twocreate.present.Page.record` (last one wins): the
    files it read and whether its data are illustrative; nothing else in it is used."""
    rec: dict = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if STATUS_MIME in data:
                rec = dict(data[STATUS_MIME])
    return rec


def _toc(nb) -> list[tuple[str, str]]:
    toc = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            h = out.get("data", {}).get("text/html", "")
            if isinstance(h, list):
                h = "".join(h)
            for m in re.finditer(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', h, flags=re.S):
                # plain text: the template escapes it once (the heading's HTML is escaped already)
                toc.append((m.group(1), html.unescape(re.sub(r"<[^>]+>", "", m.group(2)))))
    return toc


def export_html(nb, *, title: str, lang: str, prov: dict, illustrative: bool,
                index_href: str = "../../index.html", kicker: str = "", titleblock: dict | None = None,
                appendix: bool = True, timings: dict | None = None, fonts: dict | None = None) -> str:
    """Render an executed notebook to self-contained HTML with the ``twocreate`` template.

    Code is hidden; the parameters / injected-parameters cells and stderr streams are dropped;
    charts are embedded PNG; no script, style or font is fetched from the network. ``titleblock``
    ({plan, year, office}): the title block a printed report opens with; ``appendix``: the provenance
    and parameters, printed on a page of their own (False: left out). ``timings`` (a dict) gets
    ``font``: the seconds the CJK font subset took; ``fonts``: the font subsets made already, by
    character set (see :func:`font_face_css`).
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    import nbformat
    from ..narrative import render as render_narrative
    nb = render_narrative(nbformat.from_dict(json.loads(json.dumps(nb))), lang)  # a copy, in one language
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                               and STATUS_MIME not in o.get("data", {})]
    h1 = ""
    for cell in nb.cells:
        kept = []
        for o in cell.get("outputs", []):
            h = o.get("data", {}).get("text/html", "")
            h = "".join(h) if isinstance(h, list) else h
            if not h1 and h.lstrip().startswith('<h1 class="tc-title">'):
                h1 = h.strip()
                continue
            kept.append(o)
        if cell.cell_type == "code":
            cell["outputs"] = kept
    nb.cells = [c for c in nb.cells if c.cell_type != "code" or c.get("outputs")
                or "parameters" in c.metadata.get("tags", [])]
    exporter = HTMLExporter(template_name="twocreate", extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    trp = TagRemovePreprocessor(remove_cell_tags={"injected-parameters", "parameters", "remove"}, enabled=True)
    exporter.register_preprocessor(trp, enabled=True)
    nb.metadata["title"] = title
    resources = {"twocreate": {"title": title, "h1": h1, "lang": lang, "toc": _toc(nb), "prov": prov,
                               "illustrative": illustrative, "index_href": index_href, "kicker": kicker,
                               "labels": footer_labels(lang), "appendix": appendix,
                               "titleblock": _title_rows(titleblock, lang)}}
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body = tag_languages(body, lang)
    t0 = time.monotonic()
    face = font_face_css(body, fonts)
    if timings is not None:
        timings["font"] = time.monotonic() - t0
    return body.replace(FONT_PLACEHOLDER, face, 1)


FONT_PLACEHOLDER = "/*twocreate-font-face*/"
CJK_PUNCTUATION = "\u00b7\u00d7\u2014\u2018\u2019\u201c\u201d\u2026"
"""Punctuation that Chinese sets full width (·×—‘’“”…): in the embedded font, so that a Chinese page (whose
font stack puts it first) shows them full width; English pages put a Latin font first and keep them narrow."""
UNICODE_RANGE = "U+00B7,U+00D7,U+2014,U+2018-2019,U+201C-201D,U+2026,U+2E80-FFFF"


FONT_CACHE_SIZE = 32  # character sets a worker keeps (a subset is 0.05–0.5 MB of CSS)


def font_face_css(page: str, cache: dict | None = None) -> str:
    """A CSS ``@font-face`` embedding the CJK characters of ``page`` (subset of the shipped Noto Sans
    CJK SC, WOFF, base64), so Chinese renders offline on machines without a CJK font ("" if none).

    ``cache``: the rules made already, by character set (a worker's own dict; the subset of a set is
    always the same bytes, and pages share sets: the English district profiles of every district
    embed the same few characters)."""
    text = re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "", page)
    chars = "".join(sorted({c for c in text if ord(c) >= 0x2E80 or c in CJK_PUNCTUATION}))
    if not chars:
        return ""
    if cache is None:
        return _font_face(chars)
    if chars not in cache:
        if len(cache) >= FONT_CACHE_SIZE:  # bounded: a worker of a long run keeps the latest sets only
            cache.pop(next(iter(cache)))
        cache[chars] = _font_face(chars)
    return cache[chars]


def _font_face(chars: str) -> str:
    """The ``@font-face`` rule of the font subset to ``chars``."""
    import base64
    import io as _io

    from fontTools import subset
    from fontTools.ttLib import TTFont

    from ..plotting import FONT_FILE
    opts = subset.Options()
    opts.flavor = "woff"
    opts.hinting = False
    opts.layout_features = ["*"]
    font = TTFont(str(FONT_FILE), lazy=True, recalcTimestamp=False)  # byte-identical across runs
    sub = subset.Subsetter(opts)
    sub.populate(text=chars)
    sub.subset(font)
    buf = _io.BytesIO()
    font.flavor = "woff"
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return ("@font-face{font-family:\"TwocreateCJK\";font-style:normal;font-weight:400;font-display:swap;"
            f"src:url(data:font/woff;base64,{data}) format(\"woff\");unicode-range:{UNICODE_RANGE}}}")


def _title_rows(block: dict | None, lang: str) -> list[tuple[str, str, bool]]:
    """(label, value, shown on screen) of the title block: plan, report year, data as of, compiling
    office (printed even when blank, a line to fill in; on screen only when given)."""
    from ..i18n import t
    if not block:
        return []
    year = block.get("year")
    rows = [(t("furniture.tb_plan", lang), str(block.get("plan") or ""), True),
            (t("furniture.tb_year", lang), t("page.year_suffix", lang, year=year) if year else "", True),
            (t("furniture.tb_data_as_of", lang), t("furniture.tb_data_as_of_value", lang, year=year) if year else "",
             True),
            (t("furniture.tb_office", lang), str(block.get("office") or ""), bool(block.get("office")))]
    return [r for r in rows if r[1] or r[0] == rows[-1][0]]


FOOTER_KEYS = ("toc", "generated", "provenance", "parameters", "inputs", "commit", "versions", "illustrative", "index",
               "appendix")


def footer_labels(lang: str) -> dict:
    """The page furniture's words (catalog ``furniture.*``), and the print footer's CSS ``content``
    ("page N of M" with CSS counters)."""
    import json as _json

    from ..i18n import t
    labels = {k: t(f"furniture.{k}", lang) for k in FOOTER_KEYS}
    labels["colon"] = t("punct.colon", lang)
    labels["default"] = t("furniture.default_value", lang)
    parts = re.split(r"(\{page\}|\{pages\})", t("furniture.page_of", lang, page="{page}", pages="{pages}"))
    labels["page_css"] = " ".join({"{page}": "counter(page)", "{pages}": "counter(pages)"}.get(x, _json.dumps(x, ensure_ascii=False))
                                  for x in parts if x)
    return labels
