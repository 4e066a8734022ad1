"""Helpers of the run tests (locks, kills, write errors, interruption): gated test notebooks, a
small tmpfs for read-only and full-disk folders, and the processes of a run found by a marker in
their environment."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT

GATE = ROOT / "tests" / "data" / "gate_notebooks" / "01_gate.ipynb"
MARK = "TWOCREATE_TEST_RUN_MARK"

GATE_CELL = '''import os
import time
from pathlib import Path

import pandas as pd

from twocreate.io import write_csv

# waits until the test opens its gate (release-all, or release-<name>-<lang>)
gate = Path(os.environ["TWOCREATE_TEST_GATE"])
me = f"{NAME}-{lang}"
(gate / f"started-{me}").write_text(str(os.getpid()))
deadline = time.monotonic() + 300
while not ((gate / "release-all").exists() or (gate / f"release-{me}").exists()):
    if time.monotonic() > deadline:
        raise RuntimeError("the test never opened the gate")
    time.sleep(0.05)
rows = int(os.environ.get("TWOCREATE_TEST_ROWS", "1"))
if processed_dir:
    write_csv(pd.DataFrame({"lang": [lang] * rows, "year": [year] * rows}), Path(processed_dir) / f"{NAME}_{lang}.csv")
print("x" * int(os.environ.get("TWOCREATE_TEST_OUTPUT", "0")))
print(f"{NAME} {lang} {year} passed")
'''


def gate_notebooks(folder: Path, names: list[str]) -> Path:
    """Write ``NN_<name>.ipynb`` for each name: a report that waits on the test's gate."""
    folder.mkdir(parents=True, exist_ok=True)
    base = json.loads(GATE.read_text(encoding="utf-8"))
    for k, name in enumerate(names, 1):
        nb = json.loads(json.dumps(base))
        nb["cells"] = nb["cells"][:1] + [{"cell_type": "code", "execution_count": None, "id": "gate", "metadata": {},
                                          "outputs": [], "source": GATE_CELL.replace("{NAME}", name)}]
        nb["metadata"]["twocreate"] = {"kind": name, "title": {"zh": name, "en": name}}
        (folder / f"{k:02d}_{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    return folder


class Run:
    """A gated test run: its notebooks, folders, gate, marker and environment."""

    def __init__(self, tmp: Path, names=("gate",), **env):
        self.tmp = tmp
        self.nbs = gate_notebooks(tmp / "nbs", list(names))
        self.out, self.processed, self.gate = tmp / "reports", tmp / "processed", tmp / "gate"
        self.gate.mkdir(exist_ok=True)
        self.temp = tmp / "systemp"  # the runner's system temporary folder
        self.temp.mkdir(exist_ok=True)
        self.mark = uuid.uuid4().hex
        self.env = dict(os.environ, TWOCREATE_TEST_GATE=str(self.gate), TMPDIR=str(self.temp),
                        **{MARK: self.mark}, **{k: str(v) for k, v in env.items()})

    def args(self, *extra, out=None, processed=None, lang="en") -> list[str]:
        return [sys.executable, "-m", "twocreate", "run", "--notebooks", str(self.nbs),
                "--out", str(out or self.out), "--processed", str(processed or self.processed),
                "--lang", lang, "--no-progress", *map(str, extra)]

    def run(self, *extra, **kw) -> subprocess.CompletedProcess:
        return subprocess.run(self.args(*extra, **kw), capture_output=True, text=True, cwd=ROOT, timeout=600,
                              env=self.env)

    def start(self, *extra, session=False, **kw) -> subprocess.Popen:
        return subprocess.Popen(self.args(*extra, **kw), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=ROOT, env=self.env, start_new_session=session)

    def release(self, what="all") -> None:
        (self.gate / f"release-{what}").write_text("open")

    def close(self, what="all") -> None:
        (self.gate / f"release-{what}").unlink(missing_ok=True)

    def started(self, what: str) -> bool:
        return (self.gate / f"started-{what}").exists()

    def reset(self) -> None:
        for f in self.gate.glob("*"):
            f.unlink()

    def processes(self) -> list[int]:
        return marked_processes(self.mark)


def wait_for(pred, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not pred():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def marked_processes(mark: str) -> list[int]:
    """Live processes whose environment carries ``MARK=mark`` (every process of one run)."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for d in Path("/proc").glob("[0-9]*"):
        try:
            if d.joinpath("stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue
            if needle in d.joinpath("environ").read_bytes():
                found.append(int(d.name))
        except (OSError, IndexError):
            continue
    return found


@contextlib.contextmanager
def tmpfs(path: Path, size: str = "16m"):
    """A tmpfs of ``size`` mounted at ``path`` (skip the test where mounting is not allowed)."""
    path.mkdir(parents=True, exist_ok=True)
    got = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True,
                         text=True)
    if got.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {got.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextlib.contextmanager
def built_on_tmpfs(tmp_path: Path, size: str):
    """A gate run whose reports and processed folders are each on a tmpfs of ``size``, after a first
    run that succeeded: yields (run, reports tmpfs, processed tmpfs, reports folder, processed folder,
    the snapshot of both folders after the first run)."""
    with tmpfs(tmp_path / "o", size) as o, tmpfs(tmp_path / "p", size) as p:
        r = Run(tmp_path)
        r.release()
        out, processed = o / "reports", p / "processed"
        first = r.run(out=out, processed=processed)
        assert first.returncode == 0, first.stderr
        yield r, o, p, out, processed, snapshot(out, processed)


def remount(path: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True, capture_output=True)


def fill(path: Path, leave: int = 0) -> Path:
    """Fill the file system of ``path`` to the last byte, then free ``leave`` bytes."""
    filler = path / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    chunk = b"\0" * (1 << 16)
    try:
        while True:
            os.write(fd, chunk)
    except OSError:
        pass
    finally:
        os.close(fd)
    size = filler.stat().st_size
    with open(filler, "r+b") as fh:
        fh.truncate(max(0, size - leave))
    return filler


def snapshot(*folders: Path) -> dict:
    """Every file's bytes under ``folders`` but the logs and the filler of a full disk."""
    return {p: p.read_bytes() for f in folders if f.exists() for p in f.rglob("*")
            if p.is_file() and "_logs" not in p.parts and p.name != "filler"}


def one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert lines[0].startswith("twocreate: error: "), stderr
    return lines[0]
