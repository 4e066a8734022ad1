"""JupyterLab for the statistician (issue 19 §5–6): ``make lab`` starts as root, serves the project
kernel, and a notebook opened in Lab is not marked modified; saving a report notebook writes it back as
committed (no outputs). The server tests start a real server (slow); the modified-on-open check opens
Lab in the headless Chromium (browser)."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ARTIFACTS, NOTEBOOKS, ROOT

CONFIG = ROOT / "jupyter_server_config.py"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def _config() -> dict:
    """The config file's namespace, read as Jupyter reads it (``get_config`` given)."""
    from traitlets.config import Config
    ns: dict = {"get_config": lambda: ns.setdefault("c", Config()), "__file__": str(CONFIG)}
    exec(compile(CONFIG.read_text(encoding="utf-8"), str(CONFIG), "exec"), ns)
    return ns


def test_make_lab_adds_allow_root_when_run_as_root():
    out = subprocess.run(["make", "-n", "lab", "LAB_ARGS=--no-browser"], cwd=ROOT, capture_output=True, text=True)
    line = [ln for ln in out.stdout.splitlines() if "jupyter lab" in ln][-1]
    assert "--config=jupyter_server_config.py" in line and "--no-browser" in line
    assert ("--allow-root" in line) == (os.getuid() == 0), line


def test_config_opens_notebooks_with_the_project_kernel():
    c = _config()["c"]
    assert Path(c.ServerApp.root_dir) == NOTEBOOKS
    assert c.MappingKernelManager.default_kernel_name == "twocreate"


def _model(outputs=True):
    return {"type": "notebook", "content": {
        "metadata": {"kernelspec": {"name": "twocreate"}, "language_info": {"name": "python", "version": "3"}},
        "cells": [{"cell_type": "code", "execution_count": 3 if outputs else None, "metadata": {}, "source": "1",
                   "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}] if outputs else []},
                  {"cell_type": "markdown", "metadata": {"tags": ["zh"]}, "source": "x"}]}}


def test_saving_a_report_notebook_strips_outputs_and_language_info():
    hook = _config()["strip_report_outputs"]
    m = _model()
    hook(m, "01_progress.ipynb")
    cell = m["content"]["cells"][0]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert "language_info" not in m["content"]["metadata"]
    for other in ("mine.ipynb", "sub/01_copy.ipynb"):  # a copy of one's own keeps its outputs
        m = _model()
        hook(m, other)
        assert m["content"]["cells"][0]["outputs"] and "language_info" in m["content"]["metadata"]


def test_committed_notebooks_carry_no_language_info():
    """What the server adds when it opens them and strips when it saves them (it depends on the
    Python of each machine, so it is not committed)."""
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        meta = json.loads(nb.read_text(encoding="utf-8"))["metadata"]
        assert "language_info" not in meta and meta["kernelspec"]["name"] == "twocreate", nb.name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.loads(r.read().decode("utf-8"))


@pytest.fixture(scope="module")
def lab_server():
    """``make lab`` on a free port with a token, started as the user runs it (as root here: it must not
    refuse); stopped, with its children, at the end."""
    port, token = _free_port(), secrets.token_hex(16)
    args = f"--no-browser --port={port} --ServerApp.port_retries=0 --IdentityProvider.token={token} " \
           "--LabApp.expose_app_in_browser=True"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / "lab_server.log", "w")
    proc = subprocess.Popen(["make", "lab", f"LAB_ARGS={args}"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None:
                break
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, "make lab exited: " + (ARTIFACTS / "lab_server.log").read_text()[-2000:]
        yield base, token
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server make started (its own process group)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        log.close()


@pytest.mark.slow
def test_make_lab_serves_the_project_kernel(lab_server):
    base, token = lab_server
    specs = _get(f"{base}/api/kernelspecs?token={token}")
    assert "twocreate" in specs["kernelspecs"] and specs["default"] == "twocreate"
    argv = specs["kernelspecs"]["twocreate"]["spec"]["argv"]
    assert Path(argv[0]).resolve().is_relative_to((ROOT / ".venv").resolve()) or ".venv" in argv[0]
    # a notebook of the project kernel comes with the kernel's language_info (what Lab would write)
    nb = _get(f"{base}/api/contents/01_progress.ipynb?content=1&token={token}")["content"]
    from ipykernel.ipkernel import IPythonKernel
    assert nb["metadata"]["language_info"] == IPythonKernel.language_info
    assert not any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found")
def test_a_notebook_opened_in_lab_is_not_modified(lab_server):
    """Open the notebooks in JupyterLab, let the kernel start, and ask Lab whether it thinks them
    modified (it did, when it wrote language_info into them); one screenshot in tests/artifacts/."""
    from playwright.sync_api import sync_playwright
    base, token = lab_server
    before = {p.name: p.read_bytes() for p in NOTEBOOKS.iterdir() if p.is_file()}
    seen = {}
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        for name in ("00_explore.ipynb", "01_progress.ipynb"):
            page = b.new_page(viewport={"width": 1300, "height": 900})
            page.goto(f"{base}/lab/tree/{name}?token={token}&reset")
            page.wait_for_function("() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                                   " return w && w.context && w.context.isReady && w.sessionContext.session"
                                   " && w.sessionContext.session.kernel"
                                   " && w.sessionContext.session.kernel.status === 'idle' }", timeout=120_000)
            time.sleep(2)  # language_info arrives with the kernel's info reply
            seen[name] = page.evaluate("() => ({dirty: window.jupyterapp.shell.currentWidget.context.model.dirty,"
                                       " markdown: document.querySelectorAll('.jp-MarkdownCell').length,"
                                       " kernel: window.jupyterapp.shell.currentWidget.sessionContext.kernelDisplayName,"
                                       " tabDirty: document.querySelectorAll('.lm-TabBar-tab.jp-mod-dirty').length})")
            if name == "00_explore.ipynb":
                page.screenshot(path=str(ARTIFACTS / "lab_00_explore.png"))
            page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
            page.close()
        b.close()
    for name, s in seen.items():
        assert s["dirty"] is False and s["tabDirty"] == 0, (name, s)
        assert s["markdown"] > 0 and s["kernel"] == "Python (twocreate)", (name, s)
    after = {p.name: p.read_bytes() for p in NOTEBOOKS.iterdir() if p.is_file()}
    assert after == before
