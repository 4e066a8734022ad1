"""Every reader and writer of the suite, and :class:`InputError`.

Readers accept CSV in UTF-8, UTF-8 with BOM and GB18030 (what Excel exports in China) and
Excel ``.xlsx``; writers write atomically (temporary file in the same folder, then rename), so
a failed or interrupted run never leaves a half-written or replaced output behind.
CSV written for people is UTF-8 with BOM, so Excel opens the Chinese intact.
"""
from __future__ import annotations

import contextlib
import hashlib
import io as _io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_RAW = PROJECT_ROOT / "data" / "raw"
DATA_PROCESSED = PROJECT_ROOT / "data" / "processed"
REPORTS = PROJECT_ROOT / "reports"

ENCODINGS = ("utf-8-sig", "gb18030")


class InputError(ValueError):
    """A problem with an input file or parameter, worded for the person who supplied it.

    ``str(err)`` is one line naming file, row, column, value and what was expected.
    ``problems`` holds every problem found (``Problem`` objects) where a reader collected
    more than one.
    """

    def __init__(self, message: str, problems: list["Problem"] | None = None):
        super().__init__(message)
        self.problems = list(problems or [])


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or row, or file) of an input file."""

    file: str
    row: int | None  # 1-based line number as a spreadsheet shows it (header = 1)
    column: str | None
    value: object
    expected: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        where = ", ".join(parts)
        v = self.value
        if v is None or (isinstance(v, float) and v != v):
            if self.column is None:
                return f"{where}: {self.expected}"
            return f"{where}: blank: expected {self.expected}"
        return f"{where}: value {v!r}: expected {self.expected}"


def raise_problems(problems: list[Problem]) -> None:
    """Raise an :class:`InputError` for ``problems`` (first one in the message) if any."""
    if not problems:
        return
    first = str(problems[0])
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    raise InputError(first + more, problems)


# --------------------------------------------------------------------------- readers
def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_table(path: str | os.PathLike, *, required: Iterable[str] = (), sheet: str | int | None = 0,
               dtype: dict | None = None) -> pd.DataFrame:
    """Read a CSV (UTF-8, UTF-8-BOM or GB18030) or ``.xlsx`` file into strings-as-read.

    The frame gets an ``attrs["source"]`` (the file name shown in errors) and
    ``attrs["header_row"]`` (the 1-based line of the header), so that callers can report
    row numbers as a spreadsheet shows them. A title row above the header in an Excel sheet
    is skipped when the header is found further down. Raises :class:`InputError` for a
    missing or empty file, an undecodable file, or missing ``required`` columns.
    """
    path = Path(path)
    name = _display(path)
    required = list(required)
    if not path.exists():
        raise InputError(f"{name}: file not found")
    if path.is_dir():
        raise InputError(f"{name}: is a folder, expected a CSV or .xlsx file")
    if path.stat().st_size == 0:
        raise InputError(f"{name}: file is empty: expected a header row{_req(required)}")
    suffix = path.suffix.lower()
    header_row = 1
    if suffix in (".xlsx", ".xlsm", ".xls"):
        try:
            raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)
        except Exception as exc:  # openpyxl raises many kinds
            raise InputError(f"{name}: cannot read as an Excel workbook ({exc})") from exc
        raw = raw.dropna(how="all").dropna(axis=1, how="all")
        if raw.empty:
            raise InputError(f"{name}: sheet is empty: expected a header row{_req(required)}")
        hdr_idx = _find_header(raw, required)
        header_row = int(hdr_idx) + 1
        cols = [_clean_header(c) for c in raw.loc[hdr_idx].tolist()]
        df = raw.loc[hdr_idx + 1:].copy()
        df.columns = cols
        df.index = [int(i) + 1 for i in df.index]  # spreadsheet line numbers
        df = _map_cells(df, _excel_cell)
    else:
        data = path.read_bytes()
        text = None
        for enc in ENCODINGS:
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise InputError(f"{name}: cannot decode as UTF-8 or GB18030: save the file as CSV UTF-8 or GB18030")
        if not text.strip():
            raise InputError(f"{name}: file is empty: expected a header row{_req(required)}")
        sep = _sniff_delimiter(text)
        try:
            df = pd.read_csv(_io.StringIO(text), sep=sep, dtype=object, keep_default_na=False,
                             skip_blank_lines=True, engine="python")
        except Exception as exc:
            raise InputError(f"{name}: cannot parse as CSV ({exc})") from exc
        df.columns = [_clean_header(c) for c in df.columns]
        df.index = [i + 2 for i in range(len(df))]
        df = _map_cells(df, _csv_cell)
    missing = [c for c in required if c not in df.columns]
    if missing:
        found = ", ".join(map(str, df.columns))
        hint = ""
        if len(df.columns) == 1 and any(d in str(df.columns[0]) for d in ";\t|"):
            hint = " (is the delimiter a comma?)"
        raise InputError(
            f"{name}: row {header_row}: missing column(s) {', '.join(repr(m) for m in missing)}: "
            f"expected columns {', '.join(required)}; found {found}{hint}")
    df.attrs["source"] = name
    df.attrs["path"] = str(path)
    df.attrs["header_row"] = header_row
    return df


def _map_cells(df: pd.DataFrame, fn) -> pd.DataFrame:
    """Apply ``fn`` to every cell, keeping object dtype (None stays None, not NaN)."""
    return pd.DataFrame({c: pd.Series([fn(v) for v in df[c].tolist()], index=df.index, dtype=object)
                         for c in df.columns}, index=df.index, columns=df.columns)


def _csv_cell(v: object) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _excel_cell(v: object) -> str | None:
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if hasattr(v, "year") and hasattr(v, "month") and not isinstance(v, (int, float)):
        return str(v)
    s = str(v).strip()
    return s or None


def _req(required: list[str]) -> str:
    return f" with columns {', '.join(required)}" if required else ""


def _clean_header(c: object) -> str:
    s = "" if c is None or (isinstance(c, float) and pd.isna(c)) else str(c)
    return s.replace("\ufeff", "").strip()


def _find_header(raw: pd.DataFrame, required: list[str]):
    """Index of the first row that holds all required column names (else the first row)."""
    if required:
        for idx, row in raw.iterrows():
            vals = {_clean_header(v) for v in row.tolist()}
            if all(r in vals for r in required):
                return idx
    return raw.index[0]


def _sniff_delimiter(text: str) -> str:
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
CN_MULTIPLIERS = {"万": 1e4, "亿": 1e8}


def parse_number(value: object) -> float | None:
    """Parse a number as people type it: ``1234``, ``1,234.5``, ``12.3万``, ``1.2亿``, ``-3``.

    Returns ``None`` for blank, and raises ``ValueError`` for anything else (``—``, ``n/a``).
    The Chinese multipliers are applied (``12.3万`` → 123000.0).
    """
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if pd.isna(value):
            return None
        return float(value)
    s = str(value).strip().replace("\u3000", "").replace(" ", "")
    if s == "":
        return None
    mult = 1.0
    if s[-1] in CN_MULTIPLIERS:
        mult = CN_MULTIPLIERS[s[-1]]
        s = s[:-1]
    if _THOUSANDS_RE.match(s):
        s = s.replace(",", "")
    if not _NUM_RE.match(s):
        raise ValueError(value)
    return float(s) * mult


# --------------------------------------------------------------------------- writers
@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success only."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text_atomic(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


def write_csv(df: pd.DataFrame, target: str | os.PathLike, *, float_format: str | None = None) -> Path:
    """Write ``df`` as CSV in UTF-8 with BOM (Excel opens the Chinese intact), atomically.

    Output is deterministic: ``\\n`` line endings and no index, so two runs on the same
    inputs give byte-identical files.
    """
    floats = df.select_dtypes("float").columns
    if len(floats) and float_format is None:  # 88228170.53999999 → 88228170.54 (summation noise)
        df = df.assign(**{c: df[c].round(6) for c in floats})
    with atomic_path(target) as tmp:
        df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n", float_format=float_format)
    return Path(target)


def sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
