"""The errors of bad input: :class:`Problem` (one problem in one cell, row or file) and
:class:`InputError` (what a reader raises: one line for people, every problem in ``.problems``)."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass


class InputError(ValueError):
    """A problem with an input file or parameter, worded for the person who supplied it.

    ``str(err)`` is one line naming file, row, column, value and what was expected.
    ``problems`` holds every problem found (``Problem`` objects) where a reader collected
    more than one.
    """

    def __init__(self, message: str, problems: list["Problem"] | None = None):
        super().__init__(re.sub(r"\s*[\r\n]+\s*", " ", str(message)).strip())  # always one line
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


def printable_name(name: str) -> str:
    """A file name as it can be printed: a byte that is not UTF-8 (kept by Python as a lone
    surrogate) is shown as ``\\xff`` instead of breaking the message."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


class WriteError(InputError):
    """A file the suite writes could not be written (a read-only folder, a full disk, permission
    denied): one line naming the file and the reason; the command exits 2 as for bad input, and
    the file it was to replace is kept (every write is a rename of a complete temporary file)."""


def cannot_write(path, exc: OSError) -> WriteError:
    """The :class:`WriteError` of an ``OSError`` met writing ``path`` (never a traceback)."""
    import errno as _errno
    reason = exc.strerror or str(exc) or type(exc).__name__
    code = _errno.errorcode.get(exc.errno or 0)
    return WriteError(f"cannot write {path}: {reason}" + (f" ({code})" if code else ""))
