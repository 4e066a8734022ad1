"""A table as a reader returns it: the frame plus where it came from and what reading it found.

Readers that know more than the rows (the file a message should name, the layout and encoding the
intake found, its notices and warnings) return a :class:`Sourced`; computations take and return
plain DataFrames (``got.frame``) and are given what else they need as arguments (``source=got.source``
for their messages). Nothing travels in ``DataFrame.attrs``: pandas drops or merges attrs silently
through many operations, so a check or a file name riding there could vanish between the reader and
the report without anyone seeing it (``tests/test_layout.py`` keeps it out of the package).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
import pandas as pd


@dataclass(frozen=True)
class Sourced:
    """One read table and its provenance.

    ``frame``: the clean rows; ``source``: the name messages give the file (its name, and sheet);
    ``path``: the file as given; ``layout``: how the intake found the table (``tidy``, ``wide_years``,
    ``wide_indicators``; blank for fixed-layout tables); ``encoding``: how the bytes were read (UTF-8,
    GB18030, workbook …); ``warnings``: the reader's one-line remarks (an encoding guessed …);
    ``checks``: the intake's notices and warnings and the edit checks' warnings
    (:class:`~twocreate.intake.Check`), in the order found; ``header_row``: the line of the header;
    ``files``: the files the row labels of a multi-file register point into (None for one file).
    """

    frame: pd.DataFrame
    source: str = ""
    path: str = ""
    layout: str = ""
    encoding: str = ""
    warnings: tuple[str, ...] = ()
    checks: tuple = field(default=(), repr=False)  # of twocreate.intake.Check (not imported: intake reads files)
    header_row: int | None = None
    files: tuple[str, ...] | None = None

    def with_frame(self, frame: pd.DataFrame) -> "Sourced":
        """The same provenance for another frame (the rows of a year, the codes harmonised)."""
        return replace(self, frame=frame)

    @property
    def notices(self) -> list[str]:
        """The notices found on reading, one line each (totals rows skipped, a unit assumed …)."""
        return [str(c) for c in self.checks if c.level == "notice"]

    @property
    def warning_lines(self) -> list[str]:
        """The warnings found on reading and by the edit checks, one line each."""
        return [str(c) for c in self.checks if c.level == "warning"]

    def __repr__(self) -> str:
        return (f"Sourced({self.source or 'no file'}: {len(self.frame)} row(s)"
                f"{', ' + self.layout if self.layout else ''}; {len(self.checks)} check(s))")
