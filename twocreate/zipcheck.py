"""The zip bomb check of a workbook (``.xlsx``/``.xlsm``/``.xlsb``/``.ods``), before any parser sees it:
the sizes the zip directory declares, the compression ratio of each part, then each part inflated in
bounded chunks with its rows, columns and cells counted (:func:`check_workbook_zip`)."""
from __future__ import annotations

import io as _io
import re
import zlib

from .errors import InputError, printable_name
from .limits import Limits, human_size, raise_hint, too_large

# a cell reference in a worksheet part: <c r="XFD1048576" …> (any namespace prefix); a row: <row r="12" …>
_XLSX_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,4})([0-9]{1,8})\"")
_XLSX_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_XLSX_ROW_R = re.compile(rb"\br=\"([0-9]{1,8})\"")
_XLSX_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
# OpenDocument: repeated rows and cells holding a value are expanded by the reader (empty ones are not)
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*)>")
_ODS_ROWS_REPEATED = re.compile(rb"number-rows-repeated=\"([0-9]{1,10})\"")
_ODS_COLUMNS_REPEATED = re.compile(rb"number-columns-repeated=\"([0-9]{1,10})\"")
_RATIO_FLOOR = 1 << 20  # parts smaller than this may compress as well as they like (a blank sheet)


def check_workbook_zip(data: bytes, name: str, limits: Limits | None = None) -> None:
    """Refuse a zipped workbook (``.xlsx``/``.xlsm``/``.xlsb``/``.ods``) that would unpack beyond the
    limits, before any parser sees it: first what the zip directory declares (total size, the
    compression ratio of each part: a zip bomb is refused in milliseconds), then each part is inflated
    chunk by chunk — never held whole — to check it holds no more than it declares, and the area the
    cells of each sheet span (rows × columns, which the parser allocates) is bounded."""
    import zipfile
    limits = limits or Limits.current()
    try:
        zf = zipfile.ZipFile(_io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputError(f"{name}: {workbook_failure(ValueError())}") from None
    declared = sum(i.file_size for i in infos)
    hint = "a zip bomb, or a sheet far larger than a table of outturns"
    if declared > limits.max_unpacked:
        raise InputError(f"{name}: the workbook unpacks to {human_size(declared)}, more than the limit of "
                         f"{human_size(limits.max_unpacked)} ({hint}): expected a smaller workbook "
                         f"({raise_hint('max_unpacked')})")
    for i in infos:
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > _RATIO_FLOOR and ratio > limits.max_ratio:
            raise InputError(f"{name}: part {printable_name(i.filename)!r} is compressed {ratio:,.0f} to 1 "
                             f"({human_size(i.compress_size)} unpacking to {human_size(i.file_size)}), more than the limit of "
                             f"{limits.max_ratio} to 1 ({hint}): expected an ordinary workbook "
                             f"({raise_hint('max_ratio')})")
    for i in infos:
        _inflate_part(data, i, name, limits)


def _inflate_part(data: bytes, info, name: str, limits: Limits) -> None:
    import struct
    fn = info.filename.lower()
    sheet_part = fn.startswith("xl/worksheets/") and fn.endswith(".xml")
    ods_part = fn == "content.xml"
    off = info.header_offset
    head = data[off:off + 30]
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise InputError(f"{name}: {workbook_failure(ValueError())}")
    n, m = struct.unpack("<HH", head[26:30])
    start = off + 30 + n + m
    raw = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == 0:
        chunks = (bytes(raw[k:k + (1 << 20)]) for k in range(0, len(raw), 1 << 20))
    elif info.compress_type == 8:
        chunks = _inflate(raw, name)
    else:
        raise InputError(f"{name}: part {printable_name(info.filename)!r} uses a compression Excel does not write: "
                         f"open the workbook in Excel/WPS and save it again as .xlsx")
    span = {"max_row": 0, "max_col": 0, "rows": 0, "cells": 0}
    total, tail = 0, b""
    for chunk in chunks:
        total += len(chunk)
        if total > info.file_size or total > limits.max_unpacked:
            raise InputError(f"{name}: part {printable_name(info.filename)!r} unpacks to more than the "
                             f"{human_size(info.file_size)} it declares (a damaged or crafted workbook): open it in "
                             f"Excel/WPS and save it again")
        if not (sheet_part or ods_part):
            continue
        buf = tail + chunk
        end_tag = b">" if sheet_part else b"</table:table-row>"
        cut = buf.rfind(end_tag, 0, max(len(buf) - 512, 0))  # a tag cut by the chunk boundary: next time
        cut = cut + len(end_tag) if cut >= 0 else 0
        _scan_cells(buf[:cut], span, sheet_part, name, limits)
        tail = buf[cut:]
    if sheet_part or ods_part:
        _scan_cells(tail, span, sheet_part, name, limits)
    if total != info.file_size:
        raise InputError(f"{name}: part {printable_name(info.filename)!r} is damaged (it unpacks to "
                         f"{human_size(total)}, not the {human_size(info.file_size)} it declares): open it in Excel/WPS and "
                         f"save it again")
    if sheet_part or ods_part:
        height = max(span["max_row"], span["rows"])
        width = span["max_col"]
        if height > limits.max_rows:
            too_large(name, "rows", height, limits.max_rows, "max_rows")
        if width > limits.max_columns:
            too_large(name, "columns", width, limits.max_columns, "max_columns")
        area = max(height * max(width, 1), span["cells"])
        if area > limits.max_cells:
            too_large(name, "cells", area, limits.max_cells, "max_cells", f"{height:,} rows × {width:,} columns")


def _scan_cells(scan: bytes, span: dict, sheet_part: bool, name: str, limits: Limits) -> None:
    """Widen ``span`` (max_row, max_col, rows, cells) by the cells of one piece of sheet XML."""
    if sheet_part:
        for col, row in _XLSX_CELL_REF.findall(scan):
            span["max_row"] = max(span["max_row"], int(row))
            span["max_col"] = max(span["max_col"], _col_number(col))
        for attrs in _XLSX_ROW.findall(scan):
            span["rows"] += 1
            r = _XLSX_ROW_R.search(attrs)
            if r:
                span["max_row"] = max(span["max_row"], int(r.group(1)))
        span["cells"] += len(_XLSX_CELL.findall(scan))
        return
    for attrs, _, body in _ODS_ROW.findall(scan):
        width, filled = 0, 0
        for cell in _ODS_CELL.findall(body or b""):
            m = _ODS_COLUMNS_REPEATED.search(cell)
            width += int(m.group(1)) if m else 1
            if b"value-type" in cell:
                filled = width  # trailing empty cells are not expanded
        if not filled:
            continue
        m = _ODS_ROWS_REPEATED.search(attrs)
        rep = int(m.group(1)) if m else 1
        span["rows"] += rep
        span["max_col"] = max(span["max_col"], filled)
        span["cells"] += rep * filled
        if span["rows"] > limits.max_rows or span["cells"] > limits.max_cells:
            break  # refused by the caller


def _inflate(raw: memoryview, name: str):
    d = zlib.decompressobj(-15)
    step = 1 << 16
    pos = 0
    while True:
        if d.unconsumed_tail:
            src = d.unconsumed_tail
        elif pos < len(raw):
            src = bytes(raw[pos:pos + step])
            pos += step
        else:
            break
        try:
            out = d.decompress(src, 1 << 20)
        except zlib.error:
            raise InputError(f"{name}: {workbook_failure(ValueError())}") from None
        if out:
            yield out
        if d.eof:
            break


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n

def workbook_failure(exc: BaseException) -> str:
    kind = type(exc).__name__
    if "Password" in kind:
        return ("the workbook is password-protected: remove the password in Excel/WPS and save it again")
    return ("cannot read as an Excel or OpenDocument workbook (the file is damaged, or not a workbook): "
            "open it in Excel/WPS and save it as .xlsx or CSV")
