"""A table of one keyed series per row (a task, a fund area …), read with the outturn intake's handling of
title and note rows, blank rows and columns, totals rows and both layouts (:func:`read_keyed_table`); the
caller checks the cells."""
from __future__ import annotations

import os

import pandas as pd

from .i18n import vocabulary
from .intake import _HEADER_LOOKUP, HEADER_SCAN_ROWS, Check, _data_end, encoding_checks, is_total_label, zh_header
from .io import InputError, cell_text, is_note_row, load_grid, normalise_label, split_header_unit
from .schema import parse_year
from .limits import Limits


# long: the tidy and the wide layout read in one pass, sharing the header and row handling
def read_keyed_table(path: str | os.PathLike, key: str, key_headers: tuple[str, ...], *,
                     sheet: str | int | None = None, year_range: tuple[int, int] | None = None,
                     limits: Limits | None = None, reads=None) -> tuple[pd.DataFrame, dict]:
    """Read a table of one keyed series per row (a task, a fund area …) in the tidy layout
    (``key, year, value, status, source, note``) or the wide one (``key`` and a column per year,
    optionally under a merged year header), with the same handling of title and note rows, blank
    rows and columns and totals rows as the outturn intake.

    Returns (text cells as a tidy frame with a ``row`` column, info) — the caller checks the cells.
    ``info`` has ``source``, ``path``, ``layout`` and ``checks`` (notices as :class:`Check`).
    Raises :class:`InputError` when the file cannot be read or no such table is found.
    """
    grid = load_grid(path, sheet, limits=limits, reads=reads)
    lookup = dict(_HEADER_LOOKUP)
    for h in (key,) + tuple(key_headers):
        lookup[normalise_label(h)] = key
    checks: list[Check] = encoding_checks(grid)
    found = None
    for i, cells in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        if all(c is None for c in cells):
            continue
        fields, years = {}, {}
        for j, c in enumerate(cells):
            canon = lookup.get(normalise_label(c)) or lookup.get(normalise_label(split_header_unit(c)[0]))
            if canon and canon not in fields:
                fields[canon] = j
            elif parse_year(c) is not None:
                years[j] = parse_year(c)
        if key not in fields:
            continue
        if "year" in fields and "value" in fields:
            found = ("tidy", i, i + 1, fields, {})
            break
        if years:
            found = ("wide", i, i + 1, fields, years)
            break
        if i + 1 < len(grid.rows):
            below = grid.rows[i + 1]
            y2 = {j: parse_year(c) for j, c in enumerate(below) if parse_year(c) is not None}
            if y2 and not any(below[j] is not None for k, j in fields.items() if k != "year"):
                found = ("wide", i, i + 2, {k: j for k, j in fields.items() if k != "year"}, y2)
                break
    if found is None:
        raise InputError(f"{grid.source}: no table found in the first {HEADER_SCAN_ROWS} rows: expected a header "
                         f"with {key}/{key_headers[0] if key_headers else key}, {zh_header('year')}/year and "
                         f"{zh_header('value')}/value (tidy layout), or {key} and year columns such as 2016, "
                         f"{vocabulary.year_written(2017)} (wide layout)")
    layout, hdr, first, fields, years = found
    y0, y1 = year_range or (-10**6, 10**6)
    records = []
    for i in range(first, _data_end(grid.rows, first)):
        r = grid.rows[i]
        rn = grid.row_numbers[i]
        if all(c is None for c in r) or is_note_row(r):
            continue
        get = (lambda k: r[fields[k]] if k in fields and fields[k] < len(r) else None)
        if is_total_label(get(key)):
            checks.append(Check("notice", "totals_row", "check_msg.totals_not_read", dict(label=cell_text(get(key))),
                                grid.source, rn))
            continue
        base = {key: cell_text(get(key)), "status": cell_text(get("status")), "source": cell_text(get("source")),
                "note": cell_text(get("note")), "row": rn}
        if layout == "tidy":
            records.append(dict(base, year=cell_text(get("year")), value=cell_text(get("value")), column="value"))
        else:
            for j, y in sorted(years.items()):
                if j < len(r) and r[j] is not None and y0 <= y <= y1:
                    records.append(dict(base, year=str(y), value=cell_text(r[j]),
                                        column=cell_text(grid.rows[first - 1][j]) or str(y)))
    cols = [key, "year", "value", "status", "source", "note", "row", "column"]
    df = pd.DataFrame(records, columns=cols, dtype=object)
    info = {"source": grid.source, "path": grid.path, "layout": layout, "checks": checks,
            "has": set(fields), "encoding": grid.encoding}
    return df, info
