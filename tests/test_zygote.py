"""Kernels forked from a worker's zygote (twocreate.build.zygote) are the kernels a plain start gives:
same folder, paths, argv, environment and matplotlib backend; interruptible; gone with their stub."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

from twocreate.build import zygote
from twocreate.build.kernels import KERNEL_NAME, WarmKernel, WarmKernels, ensure_kernel

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

# what a notebook could tell about the interpreter it runs in (values that differ per kernel are left out)
PROBE = r"""
import json, os, sys, matplotlib
env = {k: v for k, v in os.environ.items() if k not in ("JPY_SESSION_NAME",)}
print(json.dumps({"pid": os.getpid(), "cwd": os.getcwd(), "path": sys.path, "argv0": sys.argv[0], "executable": sys.executable,
                  "flags": [sys.flags.optimize, sys.flags.isolated, sys.flags.no_site],
                  "frozen": sys._xoptions.get("frozen_modules"), "backend": matplotlib.get_backend(),
                  "env": env, "user_names": sorted(k for k in globals() if not k.startswith("_"))}))
"""


def _ask(km, code: str, timeout: float = 60) -> tuple[str, dict]:
    """Run ``code`` in the kernel of ``km``; its stdout and the reply's content."""
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        out: list[str] = []

        def hook(msg):
            if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
                out.append(msg["content"]["text"])
        reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
        return "".join(out), reply["content"]
    finally:
        kc.stop_channels()


@pytest.fixture
def zygote_kernels(tmp_path, monkeypatch):
    ensure_kernel()
    monkeypatch.delenv(zygote.ENV, raising=False)
    kernels = WarmKernels()
    kernels.start_zygote(tmp_path)
    assert kernels.zygote is not None and os.environ.get(zygote.ENV)
    yield kernels
    kernels.close()
    assert zygote.ENV not in os.environ


def _forked(kernels) -> WarmKernel:
    wk = WarmKernel.start(NOTEBOOKS)
    assert wk.ready(90), "the forked kernel did not answer"
    return wk


def _probe(km) -> dict:
    out, reply = _ask(km, PROBE)
    assert reply["status"] == "ok", reply
    got = json.loads(out)
    got["env"].pop(zygote.ENV, None)
    return got


def test_a_forked_kernel_is_the_kernel_a_plain_start_gives(zygote_kernels):
    wk = _forked(zygote_kernels)
    try:
        assert b"zygote.py\x00stub" in Path(f"/proc/{wk.km.provisioner.pid}/cmdline").read_bytes()
        forked = _probe(wk.km)
        assert b"twocreate.build.zygote" in Path(f"/proc/{forked.pop('pid')}/cmdline").read_bytes()
    finally:
        wk.shutdown()
    plain = KernelManager(kernel_name=KERNEL_NAME)
    env = {k: v for k, v in os.environ.items() if k != zygote.ENV}
    plain.start_kernel(cwd=str(NOTEBOOKS), env=env)
    try:
        expected = _probe(plain)
        expected.pop("pid")
    finally:
        plain.shutdown_kernel(now=True)
    assert forked["env"] == expected["env"]
    assert forked == expected
    assert zygote.ENV not in forked["env"]  # a notebook never sees the zygote


def test_a_forked_kernel_is_interrupted_and_ends_with_its_stub(zygote_kernels):
    wk = _forked(zygote_kernels)
    try:
        out, reply = _ask(wk.km, "import os; print(os.getpid())")
        kernel_pid = int(out)
        assert kernel_pid != wk.km.provisioner.pid  # the stub stands for it
        kc = wk.km.client()
        kc.start_channels()
        msg_id = kc.execute("import time; time.sleep(120)")
        time.sleep(1.0)
        wk.km.interrupt_kernel()
        deadline = time.monotonic() + 30
        while True:
            msg = kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if msg["parent_header"].get("msg_id") == msg_id:
                break
        kc.stop_channels()
        assert msg["content"]["status"] == "error" and msg["content"]["ename"] == "KeyboardInterrupt"
        os.kill(wk.km.provisioner.pid, signal.SIGKILL)  # the stub, as jupyter_client kills a kernel
        deadline = time.monotonic() + 20
        while _alive(kernel_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(kernel_pid), "the forked kernel outlived its stub"
    finally:
        wk.shutdown()


def test_without_a_zygote_the_stub_starts_the_kernel_itself(tmp_path, monkeypatch):
    ensure_kernel()
    gone = subprocess.Popen(["true"])
    gone.wait()  # a zygote that has ended
    monkeypatch.setenv(zygote.ENV, f"{gone.pid}:{tmp_path / 'nobody-listens.sock'}")
    wk = WarmKernel.start(NOTEBOOKS)
    try:
        assert wk.ready(90)
        out, reply = _ask(wk.km, "print(1 + 1)")
        assert out.strip() == "2"
    finally:
        wk.shutdown()


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
