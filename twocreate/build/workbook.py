"""One workbook per plan and year (issue 18 §5): every processed table of that year (the CSV files of
the processed folder whose name carries the year, of that plan) as a sheet, with Chinese headers
(catalog ``columns.*``), linked from the index. Text cells that a spreadsheet would run as formulas
are neutralised (:func:`twocreate.writers.neutralise`); numbers stay numbers.

The workbook is rewritten only when its tables changed: the SHA-256 of its sources is kept in the
workbook's own properties (``keywords``) and compared before writing."""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

WORKBOOK_NAME = "data_{year}.xlsx"
SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def year_tables(processed_dir: Path, year: int, prefix: str, other_prefixes: list[str]) -> list[Path]:
    """The processed tables of one plan and year: CSV files (in the folder or one level below) whose
    name holds ``_<year>`` as a word, starting with the plan's ``prefix`` ("" for the default plan,
    whose tables start with no other plan's prefix)."""
    if processed_dir is None or not Path(processed_dir).is_dir():
        return []
    out = []
    for p in sorted(Path(processed_dir).glob("*.csv")) + sorted(Path(processed_dir).glob("*/*.csv")):
        if p.name.startswith(".") or not re.search(rf"(^|_){year}(_|\.csv$)", p.name):
            continue
        if prefix and not p.name.startswith(prefix):
            continue
        if not prefix and any(p.name.startswith(o) for o in other_prefixes if o):
            continue
        out.append(p)
    return out


def header(name: str, lang: str = "zh") -> str:
    """A processed table's column name in words: ``value_2016`` → 数值（2016年）; unknown names as they are."""
    from ..i18n import has, t
    m = re.fullmatch(r"(.+)_(\d{4})", str(name))
    if m and has(f"columns.{m.group(1)}", lang):
        return t("columns.year_suffixed", lang, name=t(f"columns.{m.group(1)}", lang), year=m.group(2))
    return t(f"columns.{name}", lang) if has(f"columns.{name}", lang) else str(name)


def _sheet_name(path: Path, year: int, prefix: str, used: set[str]) -> str:
    stem = path.stem[len(prefix):] if prefix and path.stem.startswith(prefix) else path.stem
    stem = re.sub(rf"_?{year}$", "", stem).replace(f"_{year}_", "_") or path.stem
    base = SHEET_CHARS.sub("_", stem)[:31]
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:28]}_{n}"
        n += 1
    used.add(name.lower())
    return name


def sources_key(tables: list[Path]) -> str:
    h = hashlib.sha256(b"twocreate-workbook-1")
    for p in tables:
        h.update(p.name.encode("utf-8") + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def _current_key(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile):
        return ""
    m = re.search(r"<cp:keywords>([0-9a-f]{64})</cp:keywords>", core)
    return m.group(1) if m else ""


def write_workbook(path: Path, tables: list[Path], year: int, prefix: str, title: str = "") -> bool:
    """Write the workbook of ``tables`` to ``path`` (atomically) unless it already holds them; True if written."""
    import os
    import tempfile

    import pandas as pd
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from ..writers import neutralise
    key = sources_key(tables)
    if path.exists() and _current_key(path) == key:
        return False
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for p in tables:
        df = pd.read_csv(p, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        ws = wb.create_sheet(_sheet_name(p, year, prefix, used))
        ws.append([neutralise(header(c)) for c in df.columns])
        for row in df.itertuples(index=False):
            ws.append([_cell(v, neutralise) for v in row])
        for i, c in enumerate(df.columns, start=1):
            width = max([len(header(c))] + [len(str(v)) for v in df[c].head(200)]) + 2
            ws.column_dimensions[get_column_letter(i)].width = min(60, width * 1.2)
        ws.freeze_panes = "A2"
    wb.properties.title = title or path.stem
    wb.properties.keywords = key
    wb.properties.creator = "twocreate"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _cell(v: str, neutralise):
    """A CSV cell for the sheet: a plain number as a number, any text neutralised, blank as empty."""
    if v == "":
        return None
    if _NUMBER.fullmatch(v):
        f = float(v)
        return int(f) if f.is_integer() and "." not in v and "e" not in v.lower() and abs(f) < 2 ** 53 else f
    return neutralise(v)
