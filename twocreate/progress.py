"""Progress of long register runs: a tqdm bar on a terminal, plain lines otherwise.

Library functions stay silent unless a caller switches reporting on with :func:`reporting`
(the ``twocreate register`` command does, on stderr). Stages report finished units
(partitions of a register); :func:`compute_each` computes dask objects one future per
partition on a ``dask.distributed`` client and counts them as they finish.
"""
from __future__ import annotations

import contextlib
import contextvars
import sys
import time
from typing import Iterator, Sequence, TextIO

PLAIN_EVERY = 5.0  # s between two plain progress lines (start and end are always printed)
_STREAM: contextvars.ContextVar[TextIO | None] = contextvars.ContextVar("twocreate_progress", default=None)


@contextlib.contextmanager
def reporting(stream: TextIO | None = None) -> Iterator[None]:
    """Report progress of the stages run inside the block on ``stream`` (default stderr)."""
    token = _STREAM.set(stream if stream is not None else sys.stderr)
    try:
        yield
    finally:
        _STREAM.reset(token)


class Stage:
    """Finished units of one stage out of ``total``.

    On a terminal: a tqdm bar. Otherwise (a log file, a pipe): a line at the start, one
    each time another tenth is done (at most one every ``PLAIN_EVERY`` seconds), and one at
    the end, with the elapsed time (s).
    Silent when reporting is off.
    """

    def __init__(self, label: str, total: int, unit: str = "partition"):
        self.label, self.total, self.unit = label, max(int(total), 0), unit
        self.stream = _STREAM.get()
        self.done = 0
        self.t0 = time.perf_counter()
        self._bar = None
        self._next = 0
        self._last = self.t0
        if self.stream is None:
            return
        isatty = getattr(self.stream, "isatty", lambda: False)
        if isatty():
            from tqdm import tqdm
            self._bar = tqdm(total=self.total, desc=label, unit=unit, file=self.stream, leave=True,
                             dynamic_ncols=True)
        else:
            self._line()
            self._next = self._step()

    def _step(self) -> int:
        return self.done + max(1, -(-self.total // 10))

    def _line(self) -> None:
        print(f"{self.label}: {self.done}/{self.total} {self.unit}(s) "
              f"({time.perf_counter() - self.t0:.1f} s)", file=self.stream, flush=True)

    def update(self, n: int = 1) -> None:
        """``n`` more units finished."""
        self.done += n
        if self._bar is not None:
            self._bar.update(n)
        elif self.stream is not None and (self.done >= self.total or (
                self.done >= self._next and time.perf_counter() - self._last >= PLAIN_EVERY)):
            self._line()
            self._last = time.perf_counter()
            self._next = self._step()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> "Stage":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def active() -> bool:
    """Whether progress is being reported."""
    return _STREAM.get() is not None


def _client():
    try:
        from distributed import get_client
        return get_client()
    except (ImportError, ValueError):
        return None


def compute_each(objs: Sequence, label: str) -> list:
    """Compute dask objects (one per partition), reporting each as it finishes; results in order.

    On a ``dask.distributed`` client every object becomes a future; without one, the local
    dask scheduler computes them all at once (the stage then reports only its end).
    """
    objs = list(objs)
    with Stage(label, len(objs)) as stage:
        if not objs:
            return []
        client = _client()
        if client is None:
            import dask
            out = list(dask.compute(*objs))
            stage.update(len(objs))
            return out
        from distributed import as_completed
        futures = client.compute(objs)
        try:
            for _ in as_completed(futures):
                stage.update()
            return client.gather(futures)
        finally:
            for f in futures:
                f.release()
