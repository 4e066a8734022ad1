"""One language per page (issue 18 §2): every built page of both shipped plans, both editions, is
scanned as a reader meets it (text and image alternatives, not markup).

- No page nests a bracket inside its own kind (outside quoted plan wording).
- A Chinese page sets its punctuation full width (no ``:;,?!`` beside a Chinese character) and shows
  no English word outside an element marked ``lang="en"`` and outside code
  (``<code>``: parameter names and values, versions, hashes). Allowed besides: tokens that are codes
  by their shape (file names, paths, URLs, identifiers with ``_``, ``.`` or ``/``, figures with units
  such as ``pp``) and the short list ``ALLOWED_LATIN`` below (names and abbreviations without a
  Chinese form).
- An English page shows Chinese only inside an element marked ``lang="zh"``; and such a run is a name
  or a quotation: a run of more than ``MAX_UNQUOTED_ZH`` characters must stand inside quotation marks
  (plan wording, with its translation beside it).
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

SECOND_PLAN = "jinan-2025-private-economy"

ALLOWED_LATIN = {
    "twocreate",  # the software's name
    "Git", "SHA",  # the code version and the checksum (SHA-256): names of a tool and an algorithm
    "EFSI", "LGD", "PD", "min",  # the fund formulas' symbols: European Strategic Investment Fund, loss given
    # default, probability of default, minimum — as the literature writes them
    "pp",  # percentage points after a figure
    "CSV", "PDF", "xlsx",  # file kinds
    "make", "reports",  # the command to type: make reports
}
MAX_UNQUOTED_ZH = 16
CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_CODE_TOKEN = re.compile(r"\S*[A-Za-z]\S*[._/:]\S*[A-Za-z0-9]\S*|\S*[._/][A-Za-z]\S*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Texts(HTMLParser):
    """(language, text, kind) of every text a reader meets: kind "code", "alt" or ""."""

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[tuple[str, str, bool]] = []
        self.runs: list[tuple[str, str, str]] = []
        self.raw = 0

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else self.page_lang

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = (a.get("lang") or self._lang())[:2]
        if tag in ("style", "script"):
            self.raw += 1
        if tag == "img":
            if a.get("alt"):
                self.runs.append((lang, a["alt"], "alt"))
            return
        if tag in _VOID:
            return
        code = tag == "code" or bool(self.stack and self.stack[-1][2])
        self.stack.append((tag, lang, code))

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.raw -= 1
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if self.raw or not data.strip():
            return
        code = self.stack[-1][2] if self.stack else False
        self.runs.append((self._lang(), data, "code" if code else ""))


def page_language(text: str) -> str:
    return re.search(r'<html lang="([a-z]{2})', text).group(1)


def violations(text: str) -> list[str]:
    """What breaks the one-language rule on a page (empty: none)."""
    lang = page_language(text)
    p = _Texts(lang)
    p.feed(text)
    bad = []
    for _, data, kind in p.runs:  # no bracket inside its own kind (quoted plan wording aside)
        if kind != "code":
            for m in re.finditer(r"（[^（）]*（|\([^()]*\(", re.sub(r"“[^“”]*”", "", data)):
                bad.append(f"nested bracket {m.group(0)[:30]!r} in {' '.join(data.split())[:90]!r}")
    if lang == "zh":
        for run_lang, data, kind in p.runs:
            if kind == "code" or run_lang == "en":
                continue
            for m in re.finditer(f"[{CJK}][:;,?!]|[:;,?!] ?[{CJK}]", data):
                bad.append(f"half-width punctuation {m.group(0)!r} in {' '.join(data.split())[:90]!r}")
            words = [w for w in _WORD.findall(_CODE_TOKEN.sub(" ", data)) if len(w) >= 2 and w not in ALLOWED_LATIN]
            if words:
                bad.append(f"English {' '.join(dict.fromkeys(words))!r} in {' '.join(data.split())[:90]!r}")
    else:
        for run_lang, data, kind in p.runs:
            found = re.findall(f"[{CJK}]+", data)
            if not found:
                continue
            if run_lang != "zh" or kind == "alt":
                bad.append(f"Chinese {found!r} not marked lang=zh{' (alt text)' if kind == 'alt' else ''} in "
                           f"{' '.join(data.split())[:90]!r}")
            elif sum(map(len, found)) > MAX_UNQUOTED_ZH and not _quoted(data, p, text):
                bad.append(f"unquoted Chinese sentence {' '.join(data.split())[:90]!r}")
    return bad


def _quoted(run: str, parser, page: str) -> bool:
    """The Chinese run stands inside quotation marks (“…” or 《…》) on the page."""
    i = page.find(run)
    if i < 0:
        return False
    before, after = page[max(0, i - 400):i], page[i + len(run):i + len(run) + 400]
    return bool(re.search(r"[“《‘][^”》’]*$", re.sub(r"<[^>]+>", "", before))) and \
        bool(re.search(r"^[^“《‘]*[”》’]", re.sub(r"<[^>]+>", "", after)))


@pytest.fixture(scope="module")
def all_pages(built_reports, built_second_plan):
    """Every page of both shipped plans (conftest's fixtures)."""
    out, _ = built_reports
    return sorted(out.rglob("*.html")) + sorted(built_second_plan.rglob("*.html"))


@pytest.mark.e2e
def test_every_page_of_both_plans_keeps_to_its_language(all_pages):
    langs = {page_language(p.read_text(encoding="utf-8")) for p in all_pages}
    assert langs == {"zh", "en"}
    assert any(SECOND_PLAN in str(p) for p in all_pages)
    names = {p.stem for p in all_pages} | {p.parent.name for p in all_pages}
    assert {"progress", "fund_leverage", "district_comparison", "district_profile", "tasks", "index"} <= names
    found = {}
    for p in all_pages:
        v = violations(p.read_text(encoding="utf-8"))
        if v:
            found[str(p)] = v[:8]
    assert found == {}, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in found.items())


def test_the_scanner_finds_english_on_a_chinese_page_and_chinese_on_an_english_one():
    zh = '<html lang="zh-CN"><body><p>数据（illustrative）</p><p>已生成年份: 2018</p><p>8.59亿元（由（推算））</p><p><code>processed_dir</code> data/raw/x.csv 5 pp</p>' \
         '<td><span lang="en">ILLUSTRATIVE example</span></td></body></html>'
    assert violations(zh) == ["nested bracket '（由（' in '8.59亿元（由（推算））'",
                              "English 'illustrative' in '数据（illustrative）'",
                              "half-width punctuation '份:' in '已生成年份: 2018'"]
    en = '<html lang="en"><body><p>how the 20.6亿 divides</p><p><span lang="zh">济政办发〔2016〕28号</span></p>' \
         '<p>asks for “<span lang="zh">设立小微企业创业创新引导基金，与社会资本合作</span>” (“set up”)</p>' \
         '<p><span lang="zh">这是一个没有引号的很长的中文句子，不应出现在英文页面上</span></p>' \
         '<img alt="图表" src="x.png"></body></html>'
    v = violations(en)
    assert len(v) == 3 and "'亿'" in v[0] and "unquoted" in v[1] and "alt text" in v[2]


def test_an_english_page_gets_its_chinese_runs_marked():
    from twocreate.present import tag_languages
    page = ('<html lang="en"><head><title>济南</title><style>a{content:"第"}</style></head><body>'
            '<p title="区">Document 济政办发〔2016〕28号, issued</p><p lang="zh">已经标注</p>'
            '<img alt="x"></body></html>')
    out = tag_languages(page, "en")
    assert '<p title="区">Document <span lang="zh">济政办发〔2016〕28号</span>, issued</p>' in out
    assert '<title>济南</title>' in out and 'content:"第"' in out and '<p lang="zh">已经标注</p>' in out
    assert [v[:20] for v in violations(out)] == ["Chinese ['济南'] not m"]  # a title cannot hold a span: reported
    assert tag_languages(page.replace('lang="en"', 'lang="zh-CN"', 1), "zh") == page.replace('lang="en"', 'lang="zh-CN"', 1)
