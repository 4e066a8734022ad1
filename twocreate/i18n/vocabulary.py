"""The input vocabulary: the words people write in the files the suite reads, from ``input.toml``.

Header aliases (指标, 年份, 数值 …), status words (正式, 初步, 估计, 示例 …), totals labels (合计 …),
note prefixes (注, 说明 …), the multipliers of a number (万, 亿), the units a cell may name, the year
suffixes (年, 年度) and the words of a task done or not done: every reader (:mod:`twocreate.intake`,
:mod:`twocreate.io`, :mod:`twocreate.tasks`, the template) and the schema layer (:mod:`twocreate.schema`)
take them from here, so a word is recognised everywhere or nowhere, and none is a literal in code.

Why the file lives in ``twocreate/i18n/``, beside the report catalogs: both are the suite's language,
one the words it reads, the other the words it writes; whoever adds a language or a regional usage
(区县 or 县区, 快报) edits one folder, and a word read here and written there (the template's headers,
the status labels) is kept in step in one place. It is package data, not plan data: no plan owns the
word 合计. The file is read once (:func:`vocabulary`) and returned immutable.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

FILE = "input.toml"  # package data beside this module (like the catalogs)
LANGS = ("en", "zh")


def _freeze(v):
    if isinstance(v, dict):
        return MappingProxyType({k: _freeze(x) for k, x in v.items()})
    if isinstance(v, list):
        return tuple(_freeze(x) for x in v)
    return v


@lru_cache(maxsize=None)
def vocabulary() -> MappingProxyType:
    """The whole vocabulary (read once; nested mappings and tuples, immutable)."""
    with resources.files(__package__).joinpath(FILE).open("rb") as f:
        return _freeze(tomllib.load(f))


def _words(group: str, name: str, lang: str | None = None) -> tuple[str, ...]:
    entry = vocabulary()[group][name]
    if lang is not None:
        return tuple(entry.get(lang, ()))
    return tuple(w for la in LANGS for w in entry.get(la, ()))


@lru_cache(maxsize=None)
def headers(kind: str = "headers") -> MappingProxyType:
    """Canonical column → every header accepted for it (the column's own name first, then English,
    then Chinese): ``headers()["year"]`` → ``("year", "年份", "年度", "年")``. ``kind`` is
    ``"headers"`` (outturn tables) or ``"task_headers"`` (task outturns)."""
    out = {}
    for col in vocabulary()[kind]:
        words = (col,) + _words(kind, col)
        out[col] = tuple(dict.fromkeys(words))
    return MappingProxyType(out)


def header_words(column: str, lang: str, kind: str = "headers") -> tuple[str, ...]:
    """The headers of one language accepted for ``column`` (``("任务", "任务名称", …)``)."""
    return _words(kind, column, lang)


def header_word(column: str, lang: str, kind: str = "headers") -> str:
    """The header the suite writes for ``column`` in ``lang`` (the first of the language): ``指标``,
    ``indicator``."""
    words = _words(kind, column, lang)
    return words[0] if words else column


@lru_cache(maxsize=None)
def status_names() -> MappingProxyType:
    """Status code → the words read as it (``official`` → official, 正式, 正式数 …)."""
    return MappingProxyType({s: tuple(dict.fromkeys((s,) + _words("status", s))) for s in vocabulary()["status"]})


def status_word(status: str, lang: str) -> str:
    """The word the suite writes for a status in ``lang`` (``illustrative`` → 示例 / illustrative)."""
    words = _words("status", status, lang)
    return words[0] if words else status


@lru_cache(maxsize=None)
def funding_words() -> MappingProxyType:
    """Word of a disbursement file's ``funding`` column → ``central`` or ``local`` (中央 → central …)."""
    return MappingProxyType({w: kind for kind, words in vocabulary()["funding"].items() for w in words})


def status_choices() -> str:
    """The statuses a file may give, each with its first Chinese word (``official/正式, …``), for a message."""
    return ", ".join(f"{s}/{status_word(s, 'zh')}" for s in vocabulary()["status"])


def year_suffixes() -> tuple[str, ...]:
    """What may follow a year's digits (年, 年度), longest first."""
    return tuple(sorted(vocabulary()["years"]["suffixes"], key=len, reverse=True))


def year_written(year: object) -> str:
    """A year as the suite writes it in Chinese (``2017`` → the first suffix: 2017年); also the example
    of a year with its suffix in messages."""
    return f"{year}{vocabulary()['years']['suffixes'][0]}"


def totals() -> MappingProxyType:
    """The words of a totals row's label: ``words``, ``prefixes``, ``suffixes`` and ``en``."""
    return vocabulary()["totals"]


def note_prefixes() -> tuple[str, ...]:
    """Words a note row starts with (注, 数据来源, 填表 …, note, source)."""
    return tuple(vocabulary()["notes"]["prefixes"])


def unit_labels() -> tuple[str, ...]:
    """The label of a unit line or of a unit inside a header (计量单位, 单位), longest first."""
    return tuple(sorted(vocabulary()["units"]["labels"], key=len, reverse=True))


def multipliers() -> MappingProxyType:
    """Multiplier written in a cell → its factor (万 → 1e4, 亿 → 1e8)."""
    return MappingProxyType({k: float(v) for k, v in vocabulary()["numbers"]["multipliers"].items()})


def unit_prefixes() -> tuple[str, ...]:
    """Prefixes that make a larger unit of a base unit (百万, 千, 万, 亿), longest first."""
    return tuple(sorted(vocabulary()["numbers"]["unit_prefixes"], key=len, reverse=True))


def cell_units() -> tuple[str, ...]:
    """Units a cell may name after its number (元, 人次, 人 …), longest first (人次 before 人)."""
    return tuple(sorted(vocabulary()["numbers"]["cell_units"], key=len, reverse=True))


@lru_cache(maxsize=None)
def done_words() -> MappingProxyType:
    """A task outturn's word → 1.0 (done) or 0.0 (not done), lower case."""
    t = vocabulary()["tasks"]
    return MappingProxyType({**{w.lower(): 1.0 for w in t["done"]}, **{w.lower(): 0.0 for w in t["not_done"]}})


def done_word(done: bool, lang: str = "zh") -> str:
    """The first word of ``lang`` for done / not done (完成, 未完成), for messages."""
    t = vocabulary()["tasks"]["done" if done else "not_done"]
    zh = [w for w in t if not w.isascii()]
    en = [w for w in t if w.isascii()]
    return (zh if lang == "zh" else en)[0]


def register_units() -> MappingProxyType:
    """Measure of the enterprise register → the unit it is given in (employees → 人, revenue → 万元 …)."""
    return vocabulary()["register"]["units"]
