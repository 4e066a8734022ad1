"""Every reader and writer of the suite (:class:`InputError` and :class:`Problem` live in :mod:`twocreate.errors`;
they are re-exported here).

Readers accept CSV in UTF-8, UTF-8 with BOM and GB18030 (what Excel exports in China) and
Excel ``.xlsx``; writers write atomically (temporary file in the same folder, then rename), so
a failed or interrupted run never leaves a half-written or replaced output behind.
CSV written for people is UTF-8 with BOM, so Excel opens the Chinese intact.
"""
from __future__ import annotations

import datetime as dt
import functools
import io as _io
import math
import os
import re
import stat as _stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import config
from .errors import InputError, Problem, printable_name  # noqa: F401 - re-exported: twocreate.io.InputError still works
from .i18n import vocabulary
from .limits import Limits, human_size, raise_hint, too_large
from .sourced import Sourced
from .writers import (FORMULA_STARTS, atomic_path, neutralise, neutralise_frame, sha256,  # noqa: F401 - re-exported
                      write_csv, write_text_atomic, write_text_if_changed)
from .zipcheck import check_workbook_zip, workbook_failure

# the former path constants, resolved when used (twocreate.config knows the paths)
__getattr__ = config.former_constants(__name__, PROJECT_ROOT=lambda: config.paths().root,
                                      DATA_RAW=lambda: config.paths().raw,
                                      DATA_PROCESSED=lambda: config.paths().processed,
                                      REPORTS=lambda: config.paths().reports)

ENCODINGS = ("utf-8-sig", "gb18030")


class ProblemList(list):
    """Problems as a reader collects them, capped: the first ``keep`` are kept whole, the others only
    counted by kind (:func:`problem_kind`), so a million bad rows cost a counter, not a million
    messages. ``total`` is every problem found; iterating gives the ones kept."""

    def __init__(self, items=(), keep: int = 1000):
        super().__init__()
        self.keep = keep
        self.dropped: dict[tuple, int] = {}
        self.extend(items)

    def append(self, p) -> None:
        if len(self) < self.keep:
            list.append(self, p)
        else:  # counted by (file, column, expectation); folded into kinds when listed
            k = (p.file, p.column, p.expected) if isinstance(p, Problem) else problem_kind(p)
            self.dropped[k] = self.dropped.get(k, 0) + 1

    def extend(self, items) -> None:
        for p in items:
            self.append(p)
        for k, n in getattr(items, "dropped", {}).items():
            self.dropped[k] = self.dropped.get(k, 0) + n

    @property
    def total(self) -> int:
        return list.__len__(self) + sum(self.dropped.values())


def problem_count(problems) -> int:
    """How many problems were found (a :class:`ProblemList` counts those it did not keep)."""
    return getattr(problems, "total", None) or len(problems)


def raise_problems(problems: list[Problem]) -> None:
    """Raise an :class:`InputError` for ``problems`` (first one in the message) if any."""
    if not problems:
        return
    first = str(problems[0])
    n = problem_count(problems)
    more = f" (and {n - 1:,} more problem(s))" if n > 1 else ""
    raise InputError(first + more, problems)


_ROW_REF = re.compile(r"\b(rows?|lines?) \d[\d,]*")


def problem_kind(p: Problem) -> tuple:
    """What makes two problems "of the same kind": the file, the column and what was expected (a row
    it refers to left out: every duplicate is one kind, whichever row it repeats)."""
    return (p.file, p.column, _kind_text(str(p.expected)))


@functools.lru_cache(maxsize=4096)
def _kind_text(expected: str) -> str:
    return _ROW_REF.sub(r"\1 N", expected)


def problem_lines(problems: list, limit: int | None = None) -> list[str]:
    """The first ``limit`` problems (default :attr:`Limits.max_problems`, 50) as lines, then one line
    per kind of the others: ``… and 99,950 more of the same kind (column 'year': a year such as 2017)``.
    Works on :class:`Problem` objects and on anything printable (a check)."""
    limit = Limits.current().max_problems if limit is None else limit
    lines = [str(p) for p in problems[:limit]]
    rest = problems[limit:]
    counts: dict = {}
    for (file, column, expected), n in getattr(problems, "dropped", {}).items():
        k = (file, column, _kind_text(str(expected)))
        counts[k] = counts.get(k, 0) + n
    if not rest and not counts:
        return lines
    for p in rest:
        k = problem_kind(p) if isinstance(p, Problem) else (getattr(p, "file", ""), getattr(p, "column", None),
                                                             getattr(p, "check", type(p).__name__))
        counts[k] = counts.get(k, 0) + 1
    for (file, column, expected), n in sorted(counts.items(), key=lambda kv: -kv[1]):
        where = f"{file}, column '{column}'" if column else f"{file}"
        what = str(expected)
        what = what if len(what) <= 160 else what[:157] + "…"
        lines.append(f"… and {n:,} more of the same kind ({where}: {what})")
    return lines


# --------------------------------------------------------------------------- readers
def _display(path: Path) -> str:
    try:
        shown = str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        shown = str(path)
    return printable_name(shown)


EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
HEADER_SCAN_ROWS = 40  # title and note rows above the header: how far down the header is looked for
NOTE_PREFIXES = vocabulary.note_prefixes()  # 注, 数据来源, 填表 …: the input vocabulary (twocreate/i18n/input.toml)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


class ReadLog:
    """The files one computation read (resolved paths, first read first), passed along explicitly:
    every reader takes ``reads=`` and hands it down to :func:`load_grid`, which adds each file it
    opens. A report lists them with its inputs (``Page(reads=…)``), so the build cache knows which
    data files it depends on; nothing is recorded when no log is given."""

    def __init__(self, paths: Iterable = ()):
        self.paths: list[str] = []
        for p in paths:
            self.add(p)

    def add(self, path: str | os.PathLike) -> None:
        resolved = str(Path(path).resolve())
        if resolved not in self.paths:
            self.paths.append(resolved)

    def __iter__(self):
        return iter(list(self.paths))

    def __len__(self) -> int:
        return len(self.paths)

    def __contains__(self, path) -> bool:
        return str(Path(path).resolve()) in self.paths

    def __repr__(self) -> str:
        return f"ReadLog({len(self.paths)} file(s): {', '.join(Path(p).name for p in self.paths)})"


@dataclass
class Grid:
    """A sheet or CSV file as read: cells as Python values (``None`` for blank), no header yet.

    ``rows`` are lists of equal length; ``row_numbers[i]`` is the 1-based line of ``rows[i]`` as a
    spreadsheet shows it. ``source`` names the file (and the sheet, for a workbook) in messages.
    ``encoding`` says how the bytes were read (``UTF-8``, ``GB18030``, ``workbook (xlsx)`` …) and
    ``warnings`` what looked wrong about it (a text that decodes only as an unlikely reading), in
    words, and ``doubts`` the same as figures (``encoding``, ``count``, ``example``) for a report to
    put in its own words.
    """

    rows: list[list]
    row_numbers: list[int]
    source: str
    path: str
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)
    doubts: list[dict] = field(default_factory=list)


def column_letter(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as a spreadsheet names columns)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s



def _file_kind(mode: int) -> str:
    if _stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if _stat.S_ISCHR(mode) or _stat.S_ISBLK(mode):
        return "a device"
    if _stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_input_bytes(path: str | os.PathLike, limits: Limits | None = None, *, name: str | None = None) -> bytes:
    """The bytes of an input file, bounded: only a regular file is read (a device such as
    ``/dev/zero`` or a FIFO is refused at once, checked before opening: opening a FIFO blocks), a file
    over ``limits.max_bytes`` is refused before it is read, and a file name that is not valid UTF-8
    is refused (a report could not name it). Raises :class:`InputError`, one line."""
    limits = limits or Limits.current()
    p = Path(path)
    name = name or _display(p)
    st = check_regular_file(p, name)
    _check_size(st.st_size, name, limits)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)  # the file opened is the one checked (not swapped for a pipe in between)
        if not _stat.S_ISREG(st.st_mode):
            raise InputError(f"{name}: {_file_kind(st.st_mode)}, not a file: expected a CSV or Excel file")
        chunks, total = [], 0
        while total <= limits.max_bytes:
            chunk = os.read(fd, min(1 << 20, limits.max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    _check_size(total, name, limits)
    return b"".join(chunks)


def check_regular_file(path: str | os.PathLike, name: str | None = None) -> os.stat_result:
    """``os.stat`` of an input file that is a regular file with a UTF-8 name, else :class:`InputError`:
    a folder, a device (``/dev/zero``), a FIFO or a socket is refused without being opened."""
    p = Path(path)
    name = name or _display(p)
    if printable_name(str(p)) != str(p):
        raise InputError(f"{name}: the file name is not valid UTF-8 (the byte shown as \\x..): rename the file "
                         f"with letters, digits or Chinese characters and give the new name")
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise InputError(f"{name}: file not found") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if _stat.S_ISDIR(st.st_mode):
        raise InputError(f"{name}: is a folder, expected a CSV or Excel file")
    if not _stat.S_ISREG(st.st_mode):
        raise InputError(f"{name}: {_file_kind(st.st_mode)}, not a file: expected a CSV or Excel file")
    return st


def _check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise InputError(f"{name}: the file is {human_size(size)}, larger than the limit of {human_size(limits.max_bytes)}: "
                         f"expected a smaller file ({raise_hint('max_bytes')})")



def load_grid(path: str | os.PathLike, sheet: str | int | None = None, *, limits: Limits | None = None,
              head: int | None = None, reads: ReadLog | None = None) -> Grid:
    """Read any CSV or workbook into a :class:`Grid`, deciding the format from the bytes, not the name.

    CSV: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), GB18030 (GBK,
    GB2312); delimiter , ; tab or |, found over the first lines (a title line without delimiters
    does not confuse it). Workbooks: ``.xlsx``, ``.xlsm``, ``.xls``, ``.xlsb`` and ``.ods`` through
    calamine, formula cells giving their cached value. ``sheet`` is a name or 0-based index (default:
    the first sheet). ``limits`` (default :meth:`Limits.current`) bounds the file before it is parsed:
    only regular files, its size, for a workbook the size and compression ratio each part declares and
    inflates to and the area its cells span, then rows, columns, cells and line length.
    ``head`` parses only the first lines of a text file (to see what kind of file it is).
    ``reads``: a :class:`ReadLog` the file is added to (what a report declares it depends on).
    Any failure is an :class:`InputError` with one line saying what to do.
    """
    limits = limits or Limits.current()
    p = Path(path)
    name = _display(p)
    data = read_input_bytes(p, limits, name=name)
    if reads is not None:
        reads.add(p)
    if not data:
        raise InputError(f"{name}: file is empty: expected a header row")
    if data.startswith(_OLE2) or data.startswith(b"PK\x03\x04") or p.suffix.lower() in EXCEL_SUFFIXES:
        if data.startswith(_OLE2) and _ENCRYPTED in data:
            raise InputError(f"{name}: the workbook is password-protected (encrypted): remove the password in "
                             f"Excel/WPS (File → Info → Protect workbook) and save it again")
        if data.startswith(_OLE2) or data.startswith(b"PK\x03\x04"):
            return _load_workbook(data, p, name, sheet, limits)
        if not _looks_like_text(data):
            raise InputError(f"{name}: not a readable Excel workbook (the file is damaged or of another kind): "
                             f"open it in Excel/WPS and save it as .xlsx or CSV")
        # a CSV or HTML page saved under an Excel name (WPS and web systems do this): read it as text
    if sheet not in (None, 0, "0"):
        raise InputError(f"{name}: --sheet {sheet!r} given, but a CSV file has no sheets")
    return _load_csv(data, p, name, limits, head)


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head



def _load_workbook(data: bytes, p: Path, name: str, sheet, limits: Limits) -> Grid:
    import python_calamine as pc
    kind = "xls" if data.startswith(_OLE2) else "xlsx"
    if data.startswith(b"PK\x03\x04"):
        check_workbook_zip(data, name, limits)
        if b"mimetypeapplication/vnd.oasis.opendocument" in data[:200]:
            kind = "ods"
    try:
        wb = pc.CalamineWorkbook.from_filelike(_io.BytesIO(data))
        names = tuple(wb.sheet_names)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own kinds and panics as BaseException subclasses
        raise InputError(f"{name}: {workbook_failure(exc)}") from None
    if not names:
        raise InputError(f"{name}: the workbook has no sheets")
    if sheet is None:
        idx = 0
    elif isinstance(sheet, int) or (isinstance(sheet, str) and sheet.isdigit() and sheet not in names):
        idx = int(sheet)
        if not 0 <= idx < len(names):
            raise InputError(f"{name}: no sheet number {idx}: the workbook has {len(names)} sheet(s): "
                             f"{', '.join(names)}")
    elif sheet in names:
        idx = names.index(sheet)
    else:
        raise InputError(f"{name}: no sheet named {sheet!r}: the sheets are {', '.join(names)}")
    src = f"{name} [sheet '{names[idx]}']" if len(names) > 1 or sheet is not None else name
    try:
        ws = wb.get_sheet_by_index(idx)
        height, width = ws.height, ws.width
        if height > limits.max_rows:
            too_large(src, "rows", height, limits.max_rows, "max_rows")
        if width > limits.max_columns:
            too_large(src, "columns", width, limits.max_columns, "max_columns")
        if height * width > limits.max_cells:
            too_large(src, "cells", height * width, limits.max_cells, "max_cells",
                       f"{height:,} rows × {width:,} columns")
        cells = ws.to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{src}: {workbook_failure(exc)}") from None
    width = max((len(r) for r in cells), default=0)
    rows = [[_workbook_cell(v) for v in r] + [None] * (width - len(r)) for r in cells]
    return Grid(rows, list(range(1, len(rows) + 1)), src, str(p), names[idx], names, encoding=f"workbook ({kind})")


def _workbook_cell(v):
    if v is None or v == "":
        return None
    if isinstance(v, str):
        s = v.strip()
        return s or None
    if isinstance(v, float) and v != v:
        return None
    return v  # an infinity stays: the number check refuses it with row and column


ENCODING_NAMES = {"utf-8-sig": "UTF-8", "gb18030": "GB18030", "utf-16": "UTF-16"}
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs (a regex class, as escapes)
# a CJK character wedged between Latin letters ("f黵r", "M黱chen"): the bytes of é, ü, ö … of a
# Windows-1252 (Western European) file read two at a time as GB18030
_MOJIBAKE = re.compile(f"[A-Za-z][{_CJK}]|[{_CJK}][A-Za-z]")


def _decode(data: bytes, name: str) -> tuple[str, str, list[dict]]:
    """(text, encoding used, doubts about the reading: see :func:`_implausible`)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16", []
        except UnicodeDecodeError:
            pass
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        doubts = _implausible(text, enc, data) if enc == "gb18030" else []
        return text, ENCODING_NAMES[enc], doubts
    raise InputError(f"{name}: cannot decode as UTF-8 or GB18030 (and it is not an Excel workbook): "
                     f"save the file as CSV UTF-8 or as .xlsx")


def _implausible(text: str, enc: str, data: bytes) -> list[dict]:
    """A doubt when a text decoded as GB18030 reads like a Western European file decoded wrongly:
    many CJK characters right beside Latin letters, where Chinese text has them among CJK
    (``{"encoding": "GB18030", "count": 12, "example": "f黵r"}``; :func:`doubt_text` says it)."""
    hits = _MOJIBAKE.findall(text)
    cjk = len(re.findall(f"[{_CJK}]", text))
    if len(hits) < 3 or len(hits) < 0.2 * cjk:
        return []
    m = _MOJIBAKE.search(text)
    around = text[max(m.start() - 3, 0):m.end() + 3].strip()
    return [{"encoding": ENCODING_NAMES[enc], "count": len(hits), "example": around}]


def doubt_text(d: dict) -> str:
    """A doubt about a file's encoding as the one-line warning ``validate`` prints."""
    return (f"decoded as {d['encoding']}, but {d['count']:,} CJK character(s) stand between Latin letters (e.g. "
            f"{d['example']!r}): the file may be in another encoding, such as Windows-1252 (Western European): "
            "save it as CSV UTF-8")


def _load_csv(data: bytes, p: Path, name: str, limits: Limits, head: int | None = None) -> Grid:
    import csv
    text, encoding, doubts = _decode(data, name)
    if "\x00" in text:
        raise InputError(f"{name}: binary content (NUL bytes): expected a CSV text file or an Excel workbook")
    if not text.strip():
        raise InputError(f"{name}: file is empty: expected a header row")
    low = text.lstrip()[:512].lower()
    if low.startswith(("<!doctype html", "<html", "<table", "<?xml")):
        raise InputError(f"{name}: an HTML/XML page saved under a spreadsheet name (a 'web page' export): "
                         f"open it in Excel/WPS and save it as .xlsx or CSV")
    lines = text.splitlines()
    if len(lines) > limits.max_rows + 1:
        too_large(name, "lines", len(lines), limits.max_rows, "max_rows")
    longest = max(range(len(lines)), key=lambda k: len(lines[k]), default=0)
    if lines and len(lines[longest]) > limits.max_line:
        raise InputError(f"{name}: line {longest + 1:,} has {len(lines[longest]):,} characters, more than the "
                         f"limit of {limits.max_line:,}: expected a table of ordinary lines "
                         f"({raise_hint('max_line')})")
    sep = _sniff_delimiter(lines)
    if head is not None:
        text = "\n".join(lines[:head])
    del lines
    records, width, cells = [], 0, 0
    try:
        for r in csv.reader(_io.StringIO(text, newline=""), delimiter=sep, quotechar='"'):
            if len(r) > limits.max_columns:
                too_large(name, "columns", len(r), limits.max_columns, "max_columns", f"on line {len(records) + 1:,}")
            records.append(r)
            width = max(width, len(r))
            if len(records) > limits.max_rows:
                too_large(name, "rows", len(records), limits.max_rows, "max_rows")
            cells += len(r)
            if max(cells, len(records) * width) > limits.max_cells:
                too_large(name, "cells", max(cells, len(records) * width), limits.max_cells, "max_cells")
    except csv.Error as exc:
        raise InputError(f"{name}: cannot parse as CSV ({exc})") from None
    rows = [[_csv_cell(v) for v in r] + [None] * (width - len(r)) for r in records]
    return Grid(rows, list(range(1, len(rows) + 1)), name, str(p), encoding=encoding,
                warnings=[doubt_text(d) for d in doubts], doubts=doubts)


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def cell_text(v: object) -> str | None:
    """A cell as text the way a person reads it: 2017.0 → '2017', blank → None."""
    if v is None:
        return None
    if type(v) is str:  # the common case first
        s = v.strip()
        return s or None
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        if v != v:
            return None
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, dt.timedelta):
        return str(v)
    s = str(v).strip()
    return s or None


def normalise_label(s: object) -> str:
    """Header or name text folded for matching: NFKC (full-width → half-width), no spaces, lower case."""
    t = cell_text(s) or ""
    if not t.isascii():  # ASCII is its own NFKC form
        t = unicodedata.normalize("NFKC", t).replace("\ufeff", "")
    return "".join(t.split()).lower()


# a unit in brackets after a header, optionally labelled (数值（单位：万元）), on the NFKC form of the header
_UNIT_IN_HEADER = re.compile(r"^(.*?)[(\[](?:(?:" + "|".join(map(re.escape, vocabulary.unit_labels())) +
                             r"):?)?([^()\[\]]+)[)\]]$")


def split_header_unit(label: object) -> tuple[str, str | None]:
    """``'营业收入（亿元）'`` → ``('营业收入', '亿元')``; ``'value'`` → ``('value', None)``."""
    t = unicodedata.normalize("NFKC", cell_text(label) or "").replace("\ufeff", "").strip()
    m = _UNIT_IN_HEADER.match(t)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2).strip()
    return t, None


def is_note_row(cells: list) -> bool:
    """A row of notes (注：…, 数据来源：…, 填表人：…) rather than data."""
    filled = [c for c in cells if not _is_blank(c)]
    if not filled or not isinstance(filled[0], str):
        return False
    first = normalise_label(filled[0])
    return first.startswith(NOTE_PREFIXES) and (len(filled) == 1 or _NOTE_LABEL.match(
        unicodedata.normalize("NFKC", filled[0])) is not None)


_NOTE_LABEL = re.compile(r"^[^:]{1,8}:")  # a short label and a colon (full-width colons folded by NFKC)


def read_table(path: str | os.PathLike, *, required: Iterable[str] = (), sheet: str | int | None = None,
               dtype: dict | None = None, aliases: dict[str, Iterable[str]] | None = None,
               limits: Limits | None = None, reads: ReadLog | None = None) -> pd.DataFrame:
    """The frame of :func:`read_sourced` (for a caller that needs no file name for its messages)."""
    return read_sourced(path, required=required, sheet=sheet, aliases=aliases, limits=limits, reads=reads).frame


# long: header search, aliases, title, note and blank rows handled in one pass over the grid
def read_sourced(path: str | os.PathLike, *, required: Iterable[str] = (), sheet: str | int | None = None,
                 aliases: dict[str, Iterable[str]] | None = None,
                 limits: Limits | None = None, reads: ReadLog | None = None) -> Sourced:
    """Read a CSV or workbook with one header row into a frame of text cells (``None`` = blank).

    The header is the first row, within the first 40, that holds every ``required`` column
    (``aliases`` maps a column to other accepted headers, e.g. ``{"value": ["数值", "数据"]}``);
    title rows above it and note rows below the table are skipped, and so are blank rows and blank
    columns. The frame's index is the spreadsheet line number. Returns a
    :class:`~twocreate.sourced.Sourced`: the frame, ``source`` (file and sheet, for messages),
    ``path``, ``header_row``, ``encoding`` and ``warnings`` (of :class:`Grid`).
    ``limits`` bounds the file (:func:`load_grid`). Raises :class:`InputError` for any unreadable
    file or a missing column; never anything else.
    """
    required = list(required)
    grid = load_grid(path, sheet, limits=limits, reads=reads)
    name = grid.source
    lookup = _alias_lookup(required, aliases)
    rows = grid.rows
    if not any(not _is_blank(c) for r in rows for c in r):
        raise InputError(f"{name}: sheet is empty: expected a header row{_req(required)}")
    hdr, best, best_found = None, None, -1
    for i, r in enumerate(rows[:HEADER_SCAN_ROWS]):
        if all(_is_blank(c) for c in r):
            continue
        found = {lookup.get(normalise_label(split_header_unit(c)[0])) for c in r} | \
            {lookup.get(normalise_label(c)) for c in r}
        n = sum(1 for q in required if q in found)
        if n > best_found:
            best, best_found = i, n
        if n == len(required):
            hdr = i
            break
    if hdr is None:
        i = best if best is not None else 0
        labels = [cell_text(c) for c in rows[i] if not _is_blank(c)]
        got = {lookup.get(normalise_label(split_header_unit(c)[0])) for c in rows[i]} | \
            {lookup.get(normalise_label(c)) for c in rows[i]}
        missing = [q for q in required if q not in got]
        hint = ""
        if len(labels) == 1 and any(d in str(labels[0]) for d in ";\t|"):
            hint = " (is the delimiter a comma?)"
        raise InputError(f"{name}: row {grid.row_numbers[i]}: missing column(s) "
                         f"{', '.join(repr(m) for m in missing)}: expected columns {', '.join(required)}; "
                         f"found {', '.join(map(str, labels)) or 'nothing'}{hint}")
    header = rows[hdr]
    cols: list[str] = []
    keep: list[int] = []
    seen: dict[str, int] = {}
    for j, c in enumerate(header):
        label, _ = split_header_unit(c)
        canon = lookup.get(normalise_label(c)) or lookup.get(normalise_label(label))
        if canon is None:
            if _is_blank(c):
                if all(_is_blank(r[j]) for r in rows[hdr + 1:]):
                    continue  # a blank separator column
                canon = f"column {column_letter(j)}"
            else:
                canon = (cell_text(c) or "").replace("\ufeff", "").strip()
        if canon in seen:
            if canon in required:
                raise InputError(f"{name}: row {grid.row_numbers[hdr]}: column {canon!r} appears twice "
                                 f"(columns {column_letter(seen[canon])} and {column_letter(j)}): expected one")
            continue
        seen[canon] = j
        cols.append(canon)
        keep.append(j)
    body, index = [], []
    tail = _table_end(rows, hdr)
    for i in range(hdr + 1, tail):
        r = rows[i]
        if all(_is_blank(c) for c in r) or is_note_row(r):
            continue
        body.append([cell_text(r[j]) for j in keep])
        index.append(grid.row_numbers[i])
    df = pd.DataFrame(body, columns=cols, index=index, dtype=object)
    if not body:
        df = pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    return Sourced(df, source=name, path=str(grid.path), encoding=grid.encoding, warnings=tuple(grid.warnings),
                   header_row=grid.row_numbers[hdr])


def _table_end(rows: list[list], hdr: int) -> int:
    """Index after the last data row: note rows (one filled cell) at the bottom are left out."""
    end = len(rows)
    while end > hdr + 1:
        r = rows[end - 1]
        filled = [c for c in r if not _is_blank(c)]
        if len(filled) >= 2 or not filled:
            if filled:
                break
            end -= 1
            continue
        if isinstance(filled[0], str) and len(filled[0]) > 12:
            end -= 1  # a sentence under the table
            continue
        break
    return end


def _alias_lookup(required: list[str], aliases: dict[str, Iterable[str]] | None) -> dict[str, str]:
    lookup = {normalise_label(q): q for q in required}
    for canon, names in (aliases or {}).items():
        lookup[normalise_label(canon)] = canon
        for n in names:
            lookup.setdefault(normalise_label(n), canon)
    return lookup


def _csv_cell(v: object) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def _req(required: list[str]) -> str:
    return f" with columns {', '.join(required)}" if required else ""


def _sniff_delimiter(lines: list[str] | str) -> str:
    """The delimiter used consistently on most of the first non-blank lines (default comma)."""
    if isinstance(lines, str):
        lines = lines.splitlines()
    head = []
    for ln in lines:
        if ln.strip():
            head.append(ln)
            if len(head) == 30:
                break
    best, best_score = ",", 0
    for d in (",", ";", "\t", "|"):
        counts = [ln.count(d) for ln in head]
        nz = [c for c in counts if c > 0]
        if not nz:
            continue
        mode = max(set(nz), key=nz.count)
        score = sum(1 for c in counts if c == mode)
        if score > best_score:
            best, best_score = d, score
    return best


_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
CN_MULTIPLIERS = dict(vocabulary.multipliers())  # 万 → 1e4, 亿 → 1e8 (the input vocabulary)


@dataclass(frozen=True)
class Quantity:
    """A number as typed in a cell: ``12.1亿元`` → number 12.1, multiplier ``亿``, unit ``元``."""

    number: float
    multiplier: str | None = None  # 万 or 亿, written in the cell
    unit: str | None = None  # a unit written in the cell after the number (元, 人次, 项 …)

    @property
    def value(self) -> float:
        """The number with the cell's multiplier applied (``12.1亿`` → 1.21e9)."""
        return self.number * CN_MULTIPLIERS.get(self.multiplier or "", 1.0)


_CELL_UNITS = vocabulary.cell_units()  # units a cell may name after its number (the input vocabulary)
_QUANTITY_RE = re.compile(r"^(?P<num>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)"
                          r"(?P<mult>" + "|".join(map(re.escape, CN_MULTIPLIERS)) + r")?"
                          r"(?P<unit>" + "|".join(map(re.escape, _CELL_UNITS)) + r")?$")


def parse_quantity(value: object) -> Quantity | None:
    """Parse a cell as people type numbers: ``1234``, ``1,234.5``, ``１２３，４５６．７`` (full-width),
    ``12.3万``, ``1.2亿元``, ``28万人次``, ``-3``. Returns ``None`` for blank; raises ``ValueError``
    for anything else (``—``, ``n/a``, ``1..2``), including infinities and NaN written as text, a
    number too large to hold (``1e400``, ``1e305亿``) and characters NFKC would turn into digits
    (superscripts ``29¹``, circled ``①``, fractions ``½``: refused, never folded into another
    number; full-width digits are read)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        try:
            f = float(value)
        except OverflowError:  # an int beyond a float
            raise ValueError(value) from None
        if f != f:
            return None
        if not math.isfinite(f):
            raise ValueError(value)
        return Quantity(f)
    s = str(value)
    refuse_digit_lookalikes(s)
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", "", s)
    if s == "":
        return None
    m = _QUANTITY_RE.match(s)
    if m is None:
        num, rest = _split_thousands(s)
        if num is None:
            raise ValueError(value)
        m = _QUANTITY_RE.match(num + rest)
        if m is None:
            raise ValueError(value)
    q = Quantity(float(m.group("num")), m.group("mult"), m.group("unit"))
    if not math.isfinite(q.value):  # 1e400, or 1e305亿: too large for a float
        raise ValueError(value)
    return q


def not_a_number_reason(value: object) -> str | None:
    """Why :func:`parse_quantity` refused ``value``, when it is a particular case worth saying:
    a number too large (``1e400``) or a digit look-alike (``29¹``); None otherwise."""
    s = str(value)
    try:
        refuse_digit_lookalikes(s)
    except ValueError:
        return "a number written in ordinary digits (a superscript, circled or other look-alike digit is not read)"
    t = re.sub(r"\s+", "", unicodedata.normalize("NFKC", s)).replace(",", "")
    m = _QUANTITY_RE.match(t)
    if (m and not math.isfinite(float(m.group("num")) * CN_MULTIPLIERS.get(m.group("mult") or "", 1.0))) or \
            isinstance(value, (int, float)) or t.lower().lstrip("+-") in ("inf", "infinity", "nan"):
        return "a finite number (this one is infinite, not a number, or too large to compute with)"
    return None


_FULLWIDTH_DIGITS = frozenset(chr(0xFF10 + i) for i in range(10))  # full-width 0-9 (U+FF10 …)


def refuse_digit_lookalikes(s: str) -> None:
    """``ValueError`` if ``s`` holds a character that is not a digit but that NFKC folds into one
    (superscript ``¹``, subscript ``₂``, circled ``①``, ``½``, mathematical ``𝟏`` …), or a decimal digit
    of another script (``١``): ``29¹`` must not become 291. Full-width digits (``１２３``) pass."""
    if s.isascii():
        return
    for ch in s:
        if ch.isascii() or ch in _FULLWIDTH_DIGITS:
            continue
        if ch.isdigit() or any(c.isdigit() for c in unicodedata.normalize("NFKC", ch)):
            raise ValueError(s)


def _split_thousands(s: str) -> tuple[str | None, str]:
    m = re.match(r"^([+-]?\d{1,3}(,\d{3})+(\.\d+)?)(.*)$", s)
    if m is None:
        return None, ""
    return m.group(1).replace(",", ""), m.group(4)


def parse_number(value: object) -> float | None:
    """Parse a number as people type it: ``1234``, ``1,234.5``, ``12.3万``, ``1.2亿``, ``-3``,
    full-width digits. Returns ``None`` for blank, and raises ``ValueError`` for anything else
    (``—``, ``n/a``, a unit after the number). The Chinese multipliers are applied
    (``12.3万`` → 123000.0)."""
    q = parse_quantity(value)
    if q is None:
        return None
    if q.unit is not None:
        raise ValueError(value)
    return q.value
