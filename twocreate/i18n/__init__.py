"""Words of the reports, one catalog per language: ``t(key, lang, **values)``.

The catalogs are TOML files beside this module (``zh.toml``, ``en.toml``): nested tables give dotted
keys (``[verdict] achieved = "已实现目标"`` → ``verdict.achieved``), texts hold named placeholders
in ``str.format`` style (``"{name}：{verdict}"``) filled with values already formatted by
:mod:`twocreate.fmt`. An English entry that depends on a number is a table ``{ one = "…", other =
"…" }`` chosen by the ``count`` value. TOML because Python reads it without any tool (``tomllib``),
it diffs line by line, and one file per language keeps a translator's work in one place.
A missing key is a ``KeyError`` naming it: a report never shows a raw key.
"""
from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

LANGS = ("zh", "en")


def _flatten(d: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and not (set(v) and set(v) <= {"one", "other"}):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


@lru_cache(maxsize=None)
def catalog(lang: str) -> MappingProxyType:
    """The flattened catalog of ``lang`` (read once, immutable)."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
    with resources.files(__package__).joinpath(f"{lang}.toml").open("rb") as f:  # package data
        return MappingProxyType(_flatten(tomllib.load(f)))


def placeholders(text: object) -> set[str]:
    """Names of the placeholders of a catalog entry (for both plural forms)."""
    texts = list(text.values()) if isinstance(text, dict) else [text]
    return {f for s in texts for _, f, _, _ in string.Formatter().parse(str(s)) if f}


def has(key: str, lang: str) -> bool:
    return key in catalog(lang)


def t(key: str, lang: str, /, **values) -> str:
    """The catalog text ``key`` in ``lang`` with its placeholders filled from ``values``."""
    cat = catalog(lang)
    if key not in cat:
        raise KeyError(f"no catalog entry {key!r} for language {lang!r} (twocreate/i18n/{lang}.toml)")
    text = cat[key]
    if isinstance(text, dict):
        n = values.get("count", 0)
        text = text["one"] if n == 1 else text["other"]
    try:
        return str(text).format(**values)
    except KeyError as exc:
        raise KeyError(f"catalog entry {key!r} ({lang}) needs the value {exc.args[0]!r}") from None


def sep(lang: str) -> str:
    """The list separator of ``lang`` (、 / , )."""
    return t("punct.list_sep", lang)
