"""Every reader and writer of the suite (:class:`InputError` and :class:`Problem` live in :mod:`twocreate.errors`;
they are re-exported here).

Readers accept CSV in UTF-8, UTF-8 with BOM and GB18030 (what Excel exports in China) and
Excel ``.xlsx``; writers write atomically (temporary file in the same folder, then rename), so
a failed or interrupted run never leaves a half-written or replaced output behind.
CSV written for people is UTF-8 with BOM, so Excel opens the Chinese intact.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io as _io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import pandas as pd

from . import config
from .errors import InputError, Problem  # noqa: F401 - re-exported: twocreate.io.InputError still works

# the former path constants, resolved when used (twocreate.config knows the paths)
__getattr__ = config.former_constants(__name__, PROJECT_ROOT=lambda: config.paths().root,
                                      DATA_RAW=lambda: config.paths().raw,
                                      DATA_PROCESSED=lambda: config.paths().processed,
                                      REPORTS=lambda: config.paths().reports)

ENCODINGS = ("utf-8-sig", "gb18030")


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


EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et")
HEADER_SCAN_ROWS = 40  # title and note rows above the header: how far down the header is looked for
NOTE_PREFIXES = ("注", "说明", "备注", "资料来源", "数据来源", "来源", "填表", "制表", "审核", "负责人", "单位负责人",
                 "填报", "联系", "note", "notes", "source", "remark")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


READS: list[str] = []
"""Every file read through :func:`load_grid` in this process (resolved paths, first read first): a
report records them with its inputs, so the build cache knows which data files it depends on."""


@dataclass
class Grid:
    """A sheet or CSV file as read: cells as Python values (``None`` for blank), no header yet.

    ``rows`` are lists of equal length; ``row_numbers[i]`` is the 1-based line of ``rows[i]`` as a
    spreadsheet shows it. ``source`` names the file (and the sheet, for a workbook) in messages.
    """

    rows: list[list]
    row_numbers: list[int]
    source: str
    path: str
    sheet: str | None = None
    sheets: tuple[str, ...] = ()


def column_letter(i: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as a spreadsheet names columns)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def load_grid(path: str | os.PathLike, sheet: str | int | None = None) -> Grid:
    """Read any CSV or workbook into a :class:`Grid`, deciding the format from the bytes, not the name.

    CSV: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), GB18030 (GBK,
    GB2312); delimiter , ; tab or |, found over the first lines (a title line without delimiters
    does not confuse it). Workbooks: ``.xlsx``, ``.xlsm``, ``.xls``, ``.xlsb`` and ``.ods`` through
    calamine, formula cells giving their cached value. ``sheet`` is a name or 0-based index (default:
    the first sheet). Any failure is an :class:`InputError` with one line saying what to do.
    """
    p = Path(path)
    name = _display(p)
    if not p.exists():
        raise InputError(f"{name}: file not found")
    if p.is_dir():
        raise InputError(f"{name}: is a folder, expected a CSV or Excel file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    resolved = str(p.resolve())
    if resolved not in READS:
        READS.append(resolved)
    if not data:
        raise InputError(f"{name}: file is empty: expected a header row")
    if data.startswith(_OLE2) or data.startswith(b"PK\x03\x04") or p.suffix.lower() in EXCEL_SUFFIXES:
        if data.startswith(_OLE2) and _ENCRYPTED in data:
            raise InputError(f"{name}: the workbook is password-protected (encrypted): remove the password in "
                             f"Excel/WPS (File → Info → Protect workbook) and save it again")
        if data.startswith(_OLE2) or data.startswith(b"PK\x03\x04"):
            return _load_workbook(data, p, name, sheet)
        if not _looks_like_text(data):
            raise InputError(f"{name}: not a readable Excel workbook (the file is damaged or of another kind): "
                             f"open it in Excel/WPS and save it as .xlsx or CSV")
        # a CSV or HTML page saved under an Excel name (WPS and web systems do this): read it as text
    if sheet not in (None, 0, "0"):
        raise InputError(f"{name}: --sheet {sheet!r} given, but a CSV file has no sheets")
    return _load_csv(data, p, name)


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in head


def _load_workbook(data: bytes, p: Path, name: str, sheet) -> Grid:
    import python_calamine as pc
    try:
        wb = pc.CalamineWorkbook.from_filelike(_io.BytesIO(data))
        names = tuple(wb.sheet_names)
    except Exception as exc:  # noqa: BLE001 - calamine raises its own kinds and panics as BaseException subclasses
        raise InputError(f"{name}: {_workbook_failure(exc)}") from None
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
    try:
        cells = wb.get_sheet_by_index(idx).to_python(skip_empty_area=False)
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"{name} [sheet '{names[idx]}']: {_workbook_failure(exc)}") from None
    width = max((len(r) for r in cells), default=0)
    rows = [[_workbook_cell(v) for v in r] + [None] * (width - len(r)) for r in cells]
    src = f"{name} [sheet '{names[idx]}']" if len(names) > 1 or sheet is not None else name
    return Grid(rows, list(range(1, len(rows) + 1)), src, str(p), names[idx], names)


def _workbook_failure(exc: BaseException) -> str:
    kind = type(exc).__name__
    if "Password" in kind:
        return ("the workbook is password-protected: remove the password in Excel/WPS and save it again")
    return ("cannot read as an Excel or OpenDocument workbook (the file is damaged, or not a workbook): "
            "open it in Excel/WPS and save it as .xlsx or CSV")


def _workbook_cell(v):
    if v is None or v == "":
        return None
    if isinstance(v, str):
        s = v.strip()
        return s or None
    if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
        return None
    return v


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for enc in ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{name}: cannot decode as UTF-8 or GB18030 (and it is not an Excel workbook): "
                     f"save the file as CSV UTF-8 or as .xlsx")


def _load_csv(data: bytes, p: Path, name: str) -> Grid:
    import csv
    text = _decode(data, name)
    if "\x00" in text:
        raise InputError(f"{name}: binary content (NUL bytes): expected a CSV text file or an Excel workbook")
    if not text.strip():
        raise InputError(f"{name}: file is empty: expected a header row")
    low = text.lstrip()[:512].lower()
    if low.startswith(("<!doctype html", "<html", "<table", "<?xml")):
        raise InputError(f"{name}: an HTML/XML page saved under a spreadsheet name (a 'web page' export): "
                         f"open it in Excel/WPS and save it as .xlsx or CSV")
    sep = _sniff_delimiter(text)
    try:
        records = list(csv.reader(_io.StringIO(text, newline=""), delimiter=sep, quotechar='"'))
    except csv.Error as exc:
        raise InputError(f"{name}: cannot parse as CSV ({exc})") from None
    width = max((len(r) for r in records), default=0)
    rows = [[_csv_cell(v) for v in r] + [None] * (width - len(r)) for r in records]
    return Grid(rows, list(range(1, len(rows) + 1)), name, str(p))


def _is_blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def cell_text(v: object) -> str | None:
    """A cell as text the way a person reads it: 2017.0 → '2017', blank → None."""
    if v is None:
        return None
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
    t = unicodedata.normalize("NFKC", t).replace("\ufeff", "")
    return re.sub(r"\s+", "", t).lower()


_UNIT_IN_HEADER = re.compile(r"^(.*?)[(\[](?:单位[:：]?)?([^()\[\]]+)[)\]]$")


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
    return first.startswith(NOTE_PREFIXES) and (len(filled) == 1 or re.match(r"^[^:：]{1,8}[:：]", filled[0]) is not None)


def read_table(path: str | os.PathLike, *, required: Iterable[str] = (), sheet: str | int | None = None,
               dtype: dict | None = None, aliases: dict[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """Read a CSV or workbook with one header row into a frame of text cells (``None`` = blank).

    The header is the first row, within the first 40, that holds every ``required`` column
    (``aliases`` maps a column to other accepted headers, e.g. ``{"value": ["数值", "数据"]}``);
    title rows above it and note rows below the table are skipped, and so are blank rows and blank
    columns. The frame's index is the spreadsheet line number; ``attrs`` holds ``source`` (file
    and sheet, for messages), ``path``, ``sheet``, ``header_row`` and ``header_units`` (a unit
    found in a header, ``数值（万元）``). Raises :class:`InputError` for any unreadable file or a
    missing column; never anything else.
    """
    required = list(required)
    grid = load_grid(path, sheet)
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
    units: dict[str, str] = {}
    keep: list[int] = []
    seen: dict[str, int] = {}
    for j, c in enumerate(header):
        label, unit = split_header_unit(c)
        canon = lookup.get(normalise_label(c)) or lookup.get(normalise_label(label))
        if canon is None:
            if _is_blank(c):
                if all(_is_blank(r[j]) for r in rows[hdr + 1:]):
                    continue  # a blank separator column
                canon = f"column {column_letter(j)}"
            else:
                canon = (cell_text(c) or "").replace("\ufeff", "").strip()
                unit = None
        if canon in seen:
            if canon in required:
                raise InputError(f"{name}: row {grid.row_numbers[hdr]}: column {canon!r} appears twice "
                                 f"(columns {column_letter(seen[canon])} and {column_letter(j)}): expected one")
            continue
        seen[canon] = j
        if unit and canon != (cell_text(c) or ""):
            units[canon] = unit
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
    df.attrs.update(source=name, path=grid.path, sheet=grid.sheet, header_row=grid.row_numbers[hdr],
                    header_units=units)
    return df


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


def _sniff_delimiter(text: str) -> str:
    """The delimiter used consistently on most of the first non-blank lines (default comma)."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:30]
    best, best_score = ",", 0
    for d in (",", ";", "\t", "|"):
        counts = [ln.count(d) for ln in lines]
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
CN_MULTIPLIERS = {"万": 1e4, "亿": 1e8}


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


_CELL_UNITS = ("元", "人次", "人", "项", "件", "个", "家", "户", "次")
_QUANTITY_RE = re.compile(r"^(?P<num>[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)"
                          r"(?P<mult>[万亿])?(?P<unit>" + "|".join(_CELL_UNITS) + r")?$")


def parse_quantity(value: object) -> Quantity | None:
    """Parse a cell as people type numbers: ``1234``, ``1,234.5``, ``１２３，４５６．７`` (full-width),
    ``12.3万``, ``1.2亿元``, ``28万人次``, ``-3``. Returns ``None`` for blank; raises ``ValueError``
    for anything else (``—``, ``n/a``, ``1..2``), including infinities and NaN written as text."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float)):
        f = float(value)
        if f != f:
            return None
        if f in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Quantity(f)
    s = unicodedata.normalize("NFKC", str(value))
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
    return Quantity(float(m.group("num")), m.group("mult"), m.group("unit"))


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


def write_text_if_changed(target: str | os.PathLike, text: str) -> bool:
    """Write ``text`` atomically unless ``target`` already holds exactly it (then its mtime is
    kept: a no-op build rewrites nothing). Returns whether the file was written."""
    try:
        if Path(target).read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_text_atomic(target, text)
    return True


def sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
