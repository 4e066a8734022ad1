"""Kernels: the project's Jupyter kernel, and kernels started ahead ("warm") as a papermill engine.

Each notebook runs in a fresh kernel of its own. While a worker runs one notebook it starts the
kernel for its next one, which imports the heavy stack (pandas, matplotlib, …) without binding a
name. Where the worker's zygote runs (:mod:`.zygote`), that kernel is forked from it with the stack
imported already. The engine registered with papermill as ``twocreate`` (:class:`WarmKernelEngine`) runs a
notebook in such a kernel when one is ready, and otherwise exactly as papermill's own ``nbclient``
engine does: a warm kernel can make a report faster, never make it fail. (Importing this module
imports papermill, ≈ 1.5 s: the runner does so only when a notebook is to run.)
"""
from __future__ import annotations

import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_client.manager import KernelManager
from papermill.engines import NBClientEngine, papermill_engines

from .. import config
from . import zygote
from .zygote import WARM_IMPORTS

KERNEL_NAME = "twocreate"
ENGINE = "twocreate"  # the papermill engine name (papermill.execute_notebook(..., engine_name=ENGINE))
_WARMUP = ("def _twocreate_warm():\n    import importlib\n    for m in %r:\n        importlib.import_module(m)\n"
           "_twocreate_warm()\ndel _twocreate_warm\n" % (WARM_IMPORTS,))
WARM_WAIT = 45  # seconds a kernel started ahead may take to finish its warm-up before it is dropped


def ensure_kernel() -> str:
    """Make sure the project's kernel (this Python) is registered; return its name."""
    from jupyter_client.kernelspec import KernelSpecManager
    specs = KernelSpecManager().find_kernel_specs()
    if KERNEL_NAME not in specs:
        from ipykernel.kernelspec import install
        install(prefix=sys.prefix, kernel_name=KERNEL_NAME, display_name="Python (twocreate)")
    return KERNEL_NAME


def zygote_env() -> dict:
    """The zygote's environment: this worker's, as a kernel it starts gets it (``jupyter_client`` adds
    ``JPY_PARENT_PID``), so that what a module reads from it on import is what a kernel would read."""
    return dict(os.environ, JPY_PARENT_PID=str(os.getpid()))


class ForkedKernelManager(KernelManager):
    """A kernel manager whose kernel is forked from this worker's zygote (:mod:`.zygote`) when one
    runs: the kernel command becomes the zygote's stub, which falls back to the command itself."""

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if os.environ.get(zygote.ENV) and "ipykernel_launcher" in cmd:
            return [sys.executable, "-S", str(config.PACKAGE / "build" / "zygote.py"), "stub", *cmd]
        return cmd


@dataclass
class WarmKernel:
    """A kernel started ahead of its notebook, importing the heavy stack.

    It is a **fresh** kernel: no notebook has run in it; the warm-up imports modules without binding
    any name in the user namespace (``sys.modules`` only) and is deleted afterwards.
    """

    km: object
    cwd: str
    log: Path  # what the kernel writes on stderr
    warmup_id: str
    kc: object

    @classmethod
    def start(cls, cwd: Path) -> "WarmKernel":
        """Start a kernel in ``cwd`` and ask it to import the heavy stack; return at once."""
        log = Path(tempfile.mkstemp(prefix="twocreate-kernel-", suffix=".stderr.log")[1])
        km = ForkedKernelManager(kernel_name=KERNEL_NAME)
        with open(log, "wb") as fh:
            km.start_kernel(cwd=str(cwd), stderr=fh)
        kc = km.client()
        kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)  # the warm-up needs the shell only
        return cls(km, str(cwd), log, kc.execute(_WARMUP, silent=True, store_history=False), kc)

    def ready(self, timeout: float) -> bool:
        """Wait for the warm-up's reply (the kernel is up and the imports are done); False if it
        does not come within ``timeout`` seconds or the kernel died."""
        deadline = time.monotonic() + timeout
        # wait_for_ready would swallow the reply: it drops every shell reply but its own
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.km.is_alive():
                return False
            try:
                msg = self.kc.get_shell_msg(timeout=min(left, 2.0))
            except queue.Empty:
                continue
            if msg.get("parent_header", {}).get("msg_id") == self.warmup_id:
                self.kc.stop_channels()
                return True

    def shutdown(self) -> None:
        for step in (self.kc.stop_channels, lambda: self.km.shutdown_kernel(now=True)):
            try:
                step()
            except Exception:  # noqa: BLE001 - best effort on the way out
                pass
        self.log.unlink(missing_ok=True)


@dataclass
class WarmKernels:
    """The kernels one worker process has started ahead: at most one per notebook folder (the
    kernel its next job will use). Owned by the worker; :meth:`close` stops any left."""

    spare: dict[str, WarmKernel] = field(default_factory=dict)
    wait: float = WARM_WAIT
    zygote: subprocess.Popen | None = None

    def start_zygote(self, folder: Path) -> None:
        """Start the process the kernels of this worker are forked from (:mod:`.zygote`); its socket
        goes in ``folder``. Without it (it failed to start) kernels start the usual way."""
        from jupyter_client.kernelspec import KernelSpecManager
        try:
            argv = KernelSpecManager().get_kernel_spec(KERNEL_NAME).argv
            flags = argv[1:argv.index("-m")] if "-m" in argv else []
            path = str(Path(folder) / f"zygote-{os.getpid()}.sock")
            with open(Path(folder) / f"zygote-{os.getpid()}.stderr.log", "wb") as log:
                self.zygote = subprocess.Popen([sys.executable, *flags, "-m", "twocreate.build.zygote", "serve", path],
                                               stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                               start_new_session=True, env=zygote_env())
        except Exception:  # noqa: BLE001 - no zygote: kernels start the usual way
            return
        os.environ[zygote.ENV] = f"{self.zygote.pid}:{path}"

    def prepare(self, cwd: Path) -> None:
        """Start the kernel for this worker's next job in ``cwd`` (no spare if that fails)."""
        try:
            self.spare[str(cwd)] = WarmKernel.start(cwd)
        except Exception:  # noqa: BLE001 - no spare: the next job starts its kernel itself
            pass

    def take(self, cwd: Path, start_timeout: float) -> WarmKernel | None:
        """The spare kernel for ``cwd`` if alive, else a new one, once its warm-up is done; None if it
        does not answer within :attr:`wait` seconds (a loaded machine, a lost reply): the caller then
        starts a kernel the usual way."""
        wk = self.spare.pop(str(cwd), None)
        try:
            if wk is None or not wk.km.is_alive():
                if wk is not None:
                    wk.shutdown()
                wk = WarmKernel.start(cwd)
            if wk.ready(min(self.wait, start_timeout)):
                return wk
        except Exception:  # noqa: BLE001 - any trouble with the spare: fall back to a plain start
            pass
        if wk is not None:
            wk.shutdown()
        return None

    def close(self) -> None:
        for wk in self.spare.values():
            wk.shutdown()
        self.spare.clear()
        if self.zygote is not None:
            os.environ.pop(zygote.ENV, None)
            with contextlib.suppress(OSError):
                self.zygote.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.zygote.wait(timeout=10)
            self.zygote = None


class WarmKernelEngine(NBClientEngine):
    """papermill's nbclient engine, run in a kernel this worker started ahead when one is ready.

    Extra engine arguments: ``kernels`` (the worker's :class:`WarmKernels`; None: plain nbclient),
    ``spare`` (start the kernel for the worker's next job now, so that its start-up overlaps with
    this notebook's work), ``kernel_log`` (receives what the kernel wrote on stderr, kept beside
    the executed copy of a failed notebook; the kernels' start-up chatter stays out of the run log)
    and ``timings`` (a dict; gets ``kernel``: the seconds from the engine's start until the kernel
    answered nbclient, the warm kernel's remaining warm-up or a kernel started the usual way, and the
    start of the next job's spare)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, *, kernels: WarmKernels | None = None,
                                 spare: bool = False, kernel_log: Path | None = None, start_timeout=60,
                                 timings: dict | None = None, **kwargs):
        t0 = time.monotonic()
        if timings is not None:  # nbclient calls this once its kernel client is ready, before the first cell
            kwargs["on_notebook_start"] = lambda **_: timings.__setitem__("kernel", time.monotonic() - t0)
        cwd = Path.cwd()  # papermill runs the engine in the notebook's folder
        # papermill's manager writes the whole notebook to the output file at every cell's start and end
        # (29 writes of a growing notebook, images and all, for a district profile: 0.17 s of the worker's
        # CPU a report); papermill.execute_notebook writes it once more itself when the engine is done, or
        # failed, and that copy is all the runner reads (the failed notebook kept in _failed/)
        nb_man.save = lambda **_: None
        wk = kernels.take(cwd, start_timeout) if kernels is not None else None
        if spare and kernels is not None:
            kernels.prepare(cwd)
        log = Path(kernel_log) if kernel_log is not None else Path(os.devnull)
        try:
            if wk is not None:
                kwargs["km"] = wk.km
            # a kernel papermill starts inherits fd 2; a warm one writes to its own log already
            with stderr_to(log if wk is None else Path(os.devnull)):
                return super().execute_managed_notebook(nb_man, kernel_name, start_timeout=start_timeout, **kwargs)
        except BaseException:
            if wk is not None and kernel_log is not None and wk.log.exists():
                shutil.copyfile(wk.log, log)
            raise
        finally:
            if wk is not None:
                wk.shutdown()


papermill_engines.register(ENGINE, WarmKernelEngine)


@contextlib.contextmanager
def stderr_to(path: Path):
    """Send this process's stderr (fd 2, inherited by a Jupyter kernel it starts) to ``path`` for the
    duration."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "wb") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
