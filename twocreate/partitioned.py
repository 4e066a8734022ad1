"""A register stored as Parquet: one file, or a folder of files (hive-partitioned or not).

A folder such as ``register/year=2017/district=<area code>/part-0.parquet`` is read as one
table: the ``key=value`` folder names become columns (``district`` is read as
``area_code``) for the files that do not hold that column themselves. Files are found
recursively (``*.parquet``, ``*.pq``; names starting with ``_`` or ``.`` are skipped) and
taken in the order of their paths, so every run sees the same rows in the same order.

Only the requested columns are read (Parquet is columnar: the others are never decoded).
A large file is split into pieces of whole row groups, so that one piece stays small.

Rows carry an ``int64`` label ``(file number << 32) | record`` (record 1 = the file's first
row), so that a bad row deep inside a folder is reported as ``year=2017/…/part-0.parquet
row 5`` (see :func:`row_label`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote

import numpy as np
import pandas as pd

from .io import InputError

HIVE_ALIASES = {"district": "area_code"}  # folder key → register column
INT_KEYS = ("year",)  # folder keys read as integers (when every value is digits)
SUFFIXES = (".parquet", ".pq")
FILE_BITS = 32
PIECE_ROWS = 1_000_000  # target rows of one piece (whole row groups; a bigger row group is one piece)


@dataclass(frozen=True)
class Piece:
    """Whole row groups of one file: the unit of reading (one dask partition)."""

    file: int  # index into ParquetSource.files
    row_groups: tuple[int, ...]
    first_row: int  # record number (1-based) of the piece's first row in its file
    nrows: int


@dataclass(frozen=True)
class ParquetSource:
    """The files of a Parquet register, their folder keys and columns (no data read yet)."""

    name: str  # shown in messages
    root: str
    files: tuple[str, ...]  # paths relative to root (posix), shown in messages
    keys: tuple[tuple[tuple[str, str | None], ...], ...]  # per file: (column, value) from folder names
    schemas: tuple[tuple[str, ...], ...]  # per file: columns stored in the file
    pieces: tuple[Piece, ...]

    @property
    def columns(self) -> list[str]:
        """Every column of the register: stored in some file or given by folder names."""
        seen: dict[str, None] = {}
        for cols, keys in zip(self.schemas, self.keys):
            seen.update(dict.fromkeys(cols))
            seen.update(dict.fromkeys(k for k, _ in keys))
        return list(seen)

    @property
    def nrows(self) -> int:
        return sum(p.nrows for p in self.pieces)

    def path(self, file: int) -> str:
        return os.path.join(self.root, self.files[file])


def is_parquet_source(path: str | os.PathLike) -> bool:
    """True for a folder or a ``.parquet``/``.pq`` file."""
    p = Path(path)
    return p.is_dir() or p.suffix.lower() in SUFFIXES


def _folder_keys(rel: Path) -> tuple[tuple[str, str | None], ...]:
    keys = []
    for part in rel.parent.parts:
        if "=" not in part:
            continue
        k, v = part.split("=", 1)
        v = unquote(v)
        keys.append((HIVE_ALIASES.get(k, k), None if v in ("", "__HIVE_DEFAULT_PARTITION__") else v))
    return tuple(keys)


def discover(path: str | os.PathLike, required: Sequence[str] = (), piece_rows: int = PIECE_ROWS) -> ParquetSource:
    """Find the files of a Parquet register and read their footers (schema, row groups).

    Raises :class:`InputError` for a missing path, a folder without Parquet files, a file that
    is not Parquet, or a file lacking a ``required`` column (neither stored nor given by its
    folder names).
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{Path(path).name}: reading Parquet needs pyarrow: pip install 'twocreate[scale]'") from None

    path = Path(path)
    name = path.name or str(path)
    if not path.exists():
        raise InputError(f"{name}: file or folder not found")
    if path.is_dir():
        root = path
        found = sorted((p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                        and not any(s.startswith((".", "_")) for s in p.relative_to(path).parts)),
                       key=lambda p: p.relative_to(path).as_posix())
        if not found:
            raise InputError(f"{name}: no .parquet files in this folder: expected a register as Parquet files "
                             "(e.g. year=2017/district=<area code>/part-0.parquet)")
    else:
        root, found = path.parent, [path]
    files, keys, schemas, pieces = [], [], [], []
    for i, f in enumerate(found):
        rel = f.relative_to(root)
        shown = rel.as_posix() if path.is_dir() else f.name
        try:
            meta = pq.ParquetFile(f).metadata
        except Exception as exc:
            raise InputError(f"{shown}: cannot read as Parquet ({exc})") from exc
        cols = tuple(meta.schema.to_arrow_schema().names)
        fk = _folder_keys(rel) if path.is_dir() else ()
        missing = [c for c in required if c not in cols and c not in dict(fk)]
        if missing:
            raise InputError(f"{shown}: row 1: missing column(s) {', '.join(map(repr, missing))}: expected columns "
                             f"{', '.join(required)} (stored in the file or given by folder names such as year=2017/"
                             f"district=<area code>); found {', '.join(cols) or 'none'}")
        if meta.num_rows >= 2 ** FILE_BITS:
            raise InputError(f"{shown}: {meta.num_rows:,} rows: expected fewer than {2 ** FILE_BITS:,} per file")
        files.append(shown)
        keys.append(fk)
        schemas.append(cols)
        groups: list[int] = []
        first, count = 1, 0
        for g in range(meta.num_row_groups):
            n = meta.row_group(g).num_rows
            if groups and count + n > piece_rows:
                pieces.append(Piece(i, tuple(groups), first, count))
                first, groups, count = first + count, [], 0
            groups.append(g)
            count += n
        if groups or not pieces or pieces[-1].file != i:
            pieces.append(Piece(i, tuple(groups), first, count))
    if len(files) >= 2 ** 31:
        raise InputError(f"{name}: {len(files):,} files: expected fewer than {2 ** 31:,}")
    return ParquetSource(name, str(root), tuple(files), tuple(keys), tuple(schemas), tuple(pieces))


def _key_column(column: str, value: str | None, n: int) -> pd.Series | np.ndarray:
    if column in INT_KEYS and value is not None and value.isdigit():
        return np.full(n, int(value), dtype=np.int64)
    return pd.Series([value] * n, dtype=object)


def read_piece(source: ParquetSource, piece: Piece, columns: Sequence[str]) -> pd.DataFrame:
    """One piece as a pandas DataFrame with ``columns`` (in that order) and the row labels.

    A column neither in the file nor in its folder names is all missing (NaN).
    """
    import pyarrow.parquet as pq

    stored = set(source.schemas[piece.file])
    keys = dict(source.keys[piece.file])
    want = [c for c in columns if c in stored]
    if piece.row_groups:
        table = pq.ParquetFile(source.path(piece.file)).read_row_groups(list(piece.row_groups), columns=want)
        df = table.to_pandas()
    else:
        df = pd.DataFrame({c: pd.Series([], dtype=object) for c in want})
    n = len(df)
    for c in columns:
        if c in stored:
            continue
        df[c] = _key_column(c, keys[c], n) if c in keys else np.full(n, np.nan)
    df = df[list(columns)]
    df.index = pd.Index((np.int64(piece.file) << FILE_BITS) + np.arange(piece.first_row, piece.first_row + n,
                                                                           dtype=np.int64), dtype=np.int64)
    return df


def read_all(source: ParquetSource, columns: Sequence[str], stage=None) -> pd.DataFrame:
    """Every piece, concatenated (pandas, in memory); ``stage.update()`` after each piece."""
    frames = []
    for piece in source.pieces:
        frames.append(read_piece(source, piece, columns))
        if stage is not None:
            stage.update()
    df = pd.concat(frames) if len(frames) > 1 else frames[0]
    df.attrs["source"] = source.name
    df.attrs["files"] = source.files
    return df


def row_label(label: object, files: Sequence[str] | None) -> str:
    """``row 5`` or, for a row of a multi-file register, ``year=2017/…/part-0.parquet row 5``."""
    if files is None:
        return f"row {label}"
    v = int(label)
    return f"{files[v >> FILE_BITS]} row {v & ((1 << FILE_BITS) - 1)}"


def _dask_piece(piece: Piece, source: ParquetSource, all_columns: list[str], columns=None) -> pd.DataFrame:
    """One partition for ``dask.dataframe.from_map``; dask passes ``columns`` when it needs fewer."""
    return read_piece(source, piece, all_columns if columns is None else list(columns))


def to_dask(source: ParquetSource, columns: Sequence[str]):
    """A lazy dask DataFrame: one partition per piece; only the columns used are read."""
    import dask.dataframe as dd

    columns = list(columns)
    first = next((p for p in source.pieces if p.nrows), source.pieces[0])
    meta = read_piece(source, Piece(first.file, first.row_groups[:1], first.first_row, 0), columns).iloc[:0]
    return dd.from_map(_dask_piece, list(source.pieces), args=[source, columns], meta=meta,
                       enforce_metadata=False, label="read-register")
