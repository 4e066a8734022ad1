"""The run lock: one run at a time builds into a reports folder and a processed-tables folder.

A run holds an exclusive ``flock`` on ``<folder>/.twocreate-run.lock`` for each of its folders
(``--out`` and ``--processed``) from before it reads the build cache until its last write. The file
says who holds it (pid, start time, command), so that a second run can name the first::

    twocreate: error: another run (pid 4242, started 2026-12-02T01:02:03+00:00) is building into /…/reports; …

``--wait`` waits for it instead. The kernel releases a ``flock`` when the last process holding it
ends, so a run that was killed leaves no lock behind; its file still names the dead run, and the
next run says that it took the stale lock over. The worker processes a run forks inherit the lock
(the same open file): while any of them is alive the folder stays locked.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import sys
from pathlib import Path

from ..errors import InputError, cannot_write

LOCK_NAME = ".twocreate-run.lock"


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (and is not a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except (OSError, IndexError):
        return True


def describe(holder: dict) -> str:
    """``pid 4242, started …`` (what a lock file says of its run)."""
    pid = holder.get("pid", "?")
    started = holder.get("started", "?")
    return f"pid {pid}, started {started}"


def _read(fd: int) -> dict:
    try:
        data = os.pread(fd, 4096, 0).decode("utf-8", "replace")
        holder = json.loads(data) if data.strip() else {}
        return holder if isinstance(holder, dict) else {}
    except (OSError, ValueError):
        return {}


def _acquire(folder: Path, wait: bool, log) -> int:
    lock = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise cannot_write(lock, exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            gone = isinstance(holder.get("pid"), int) and not pid_alive(holder["pid"])
            who = describe(holder) + ("; it has stopped, its worker processes have not yet" if gone else "")
            if not wait:
                raise InputError(f"another run ({who}) is building into {folder}; wait for it to finish, "
                                 "or give --wait to start when it has") from None
            log(f"twocreate: waiting for another run ({who}) building into {folder}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        before = _read(fd)
        if isinstance(before.get("pid"), int) and before["pid"] != os.getpid() and not pid_alive(before["pid"]):
            log(f"twocreate: took over the lock of a run that stopped without finishing ({describe(before)}) "
                f"in {folder}")
        me = {"pid": os.getpid(), "started": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
              "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:500]}
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(me) + "\n").encode(), 0)
        except OSError as exc:
            raise cannot_write(lock, exc) from exc
        return fd
    except BaseException:
        os.close(fd)
        raise


def _release(fd: int) -> None:
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)  # a clean end: the next run finds no holder to take over
    with contextlib.suppress(OSError):
        os.close(fd)


@contextlib.contextmanager
def holding(folders, *, wait: bool = False, log=print):
    """Hold the run lock of each of ``folders`` (created if needed) for the duration of the block.

    Raises :class:`~twocreate.errors.InputError` (exit 2) when another run holds one and not
    ``wait``, and :class:`~twocreate.errors.WriteError` when a folder cannot be written at all (a
    read-only ``--out`` is refused here, before any work). The folders are locked in one order (by
    resolved path) so that two waiting runs can never wait for each other."""
    unique = sorted({Path(f).resolve() for f in folders}, key=str)
    fds: list[int] = []
    try:
        for folder in unique:
            fds.append(_acquire(folder, wait, log))
        yield unique
    finally:
        for fd in reversed(fds):
            _release(fd)
