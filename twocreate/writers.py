"""The suite's writers: atomic (a temporary file beside the target, renamed over it on success only, so a
failed run never leaves a half-written or replaced output), and neutralised (text a spreadsheet would run
as a formula gets a leading apostrophe). CSV written for people is UTF-8 with BOM, so Excel opens the
Chinese intact."""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Iterator

import pandas as pd

from .errors import cannot_write


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it over ``target`` on success only.

    Any ``OSError`` on the way (the folder read-only, the disk full, permission denied) becomes a
    :class:`~twocreate.errors.WriteError` (one line, exit 2); ``target`` is then as it was and the
    temporary file is gone."""
    target = Path(target)
    tmp_path = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp_path = Path(tmp)
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except OSError as exc:  # a read-only folder, a full disk: one line, the previous file kept
        raise cannot_write(target, exc) from exc
    finally:
        if tmp_path is not None:
            with contextlib.suppress(OSError):
                tmp_path.unlink()


def write_text_atomic(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(target)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$", re.ASCII)


def neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage
    return: OWASP's CSV injection), with a leading apostrophe: ``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``.
    Numbers, and text that is a plain number (``-3``, ``+5%``), are returned as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with :func:`neutralise` applied to every text cell and column name (a copy only if needed)."""
    changed = {}
    for c in df.columns:
        col = df[c]
        if not (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)):
            continue  # numbers are never touched
        if not len(col):
            continue
        try:
            risky = col.str.startswith(FORMULA_STARTS, na=False)
        except AttributeError:  # an object column without text (booleans, whole numbers): nothing to run
            continue
        if risky.any():
            changed[c] = col.where(~risky, col[risky].map(neutralise))
    names = [neutralise(c) for c in df.columns]
    if not changed and names == list(df.columns):
        return df
    out = df.copy()
    for c, v in changed.items():
        out[c] = v
    out.columns = names
    return out


def _line_breaks(df: pd.DataFrame) -> pd.DataFrame:
    """A carriage return inside a text cell as a line break (``\\n``, which the writer quotes): pandas
    leaves a bare ``\\r`` unquoted with ``\\n`` line endings, and every reader then ends the row there."""
    fixed = {}
    for c in df.columns:
        col = df[c]
        if (col.dtype == object or pd.api.types.is_string_dtype(col.dtype)) and len(col):
            try:
                has = col.str.contains("\r", regex=False, na=False)
            except AttributeError:  # an object column without text (booleans, whole numbers)
                continue
            if has.any():
                fixed[c] = col.where(~has, col[has].str.replace("\r\n", "\n", regex=False)
                                     .str.replace("\r", "\n", regex=False))
    if not fixed:
        return df
    out = df.copy()
    for c, v in fixed.items():
        out[c] = v
    return out


def write_csv(df: pd.DataFrame, target: str | os.PathLike, *, float_format: str | None = None) -> Path:
    """Write ``df`` as CSV in UTF-8 with BOM (Excel opens the Chinese intact), atomically.

    Output is deterministic: ``\\n`` line endings and no index, so two runs on the same
    inputs give byte-identical files. Text cells a spreadsheet would run as a formula are
    neutralised (:func:`neutralise`); numbers are written as they are.
    """
    df = _line_breaks(neutralise_frame(df))
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


def append_line(path: str | os.PathLike, line: str) -> None:
    """Append one line (a newline added) in one ``write``, so a crash keeps it whole or not at all.
    A short write is a full disk; a file created just now that nothing fitted into is removed.
    Any failure is the one-line :class:`~twocreate.errors.WriteError`."""
    path = Path(path)
    data = (line + "\n").encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            if os.write(fd, data) != len(data):
                raise OSError(28, "No space left on device")
        finally:
            os.close(fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if path.stat().st_size == 0:
                path.unlink()
        raise cannot_write(path, exc) from exc


def sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
