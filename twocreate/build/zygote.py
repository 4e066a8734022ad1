"""Kernels forked from a process that has imported the heavy stack once ("zygote").

A Jupyter kernel that starts the usual way spends 2–3 s of CPU importing pandas, matplotlib,
seaborn, ipykernel and the project's modules, for every report. A worker instead starts one zygote
(``python -m twocreate.build.zygote serve SOCKET``) that imports them once and then waits. Each
kernel the worker starts runs a tiny stub (this file run as a script, standard library only) in
place of ``ipykernel_launcher``: the stub asks the zygote over a Unix socket to fork, and the forked
child becomes the kernel: it takes the stub's working folder, environment, stdin/stdout/stderr and
connection file, and runs ipykernel exactly as ``ipykernel_launcher`` would. Nothing has run in the
child but imports (no name bound, no notebook), so every report still gets a fresh interpreter state.

The stub stands for the kernel towards ``jupyter_client``: a signal it gets (an interrupt, a
terminate) goes to the kernel; when the kernel ends the stub ends; when the stub ends, even by
SIGKILL, the kernel ends (it holds a pipe whose other end only the stub has). The stub dies with the
worker that started it, the zygote too (``PR_SET_PDEATHSIG``). Where anything of this fails (no
zygote, a refused connection), the stub starts ipykernel itself, as the kernel spec says.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import sys

ENV = "TWOCREATE_ZYGOTE"  # "PID:SOCKET" of a worker's zygote, set in the worker for the stubs it starts
WARM_IMPORTS = ("pandas", "numpy", "matplotlib", "matplotlib.pyplot", "seaborn", "twocreate.plan",
                "twocreate.observations", "twocreate.plotting", "twocreate.present")
CONNECT_TIMEOUT = 60.0  # seconds a stub waits for the zygote (still importing) before it starts ipykernel itself
_MAX_REQUEST = 1 << 20  # bytes: the environment of a kernel, as JSON


def _die_with_parent() -> None:
    """SIGKILL this process when its parent ends (Linux); elsewhere nothing. Not
    :func:`twocreate.build.workers.die_with_parent`: the stub must not import the package, and its
    fallback, a watching thread, must not exist in a process that forks."""
    parent = os.getppid()
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _bind_or_connect(sock: socket.socket, path: str, bind: bool) -> None:
    """Bind or connect ``sock`` to ``path`` by its name inside its folder (a socket path is limited to
    about 100 bytes; the run's temporary folder may be deeper than that)."""
    here = os.open(".", os.O_RDONLY)
    try:
        os.chdir(os.path.dirname(path) or ".")
        (sock.bind if bind else sock.connect)(os.path.basename(path))
    finally:
        os.fchdir(here)
        os.close(here)


def _connect(conn: socket.socket, where: str) -> None:
    """Connect to the zygote ``where`` ("PID:SOCKET"), waiting while it is alive and not yet listening
    (at most :data:`CONNECT_TIMEOUT` seconds); OSError if it is gone or does not come."""
    import time
    pid, _, path = where.partition(":")
    deadline = time.monotonic() + CONNECT_TIMEOUT
    conn.settimeout(CONNECT_TIMEOUT)
    while True:
        try:
            _bind_or_connect(conn, path, bind=False)
            return
        except (FileNotFoundError, ConnectionRefusedError):
            try:
                os.kill(int(pid), 0)
            except (OSError, ValueError):
                raise OSError("no zygote") from None
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


# --------------------------------------------------------------------------- the stub (a kernel's stand-in)
def stub(cmd: list[str]) -> None:
    """Stand in for the kernel command ``cmd`` (``python … -m ipykernel_launcher -f FILE``): have the
    zygote fork the kernel, relay signals to it and end with it; run ``cmd`` itself if that fails."""
    _die_with_parent()
    path = os.environ.get(ENV, "")
    alive_r, alive_w = os.pipe()  # the kernel ends when this closes: when the stub ends, however
    done_r, done_w = os.pipe()  # closes when the kernel ends
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sent = False
    try:
        if not path:
            raise OSError("no zygote")
        _connect(conn, path)
        env = {k: v for k, v in os.environ.items() if k != ENV}
        request = json.dumps({"cmd": cmd, "cwd": os.getcwd(), "env": env}).encode("utf-8")
        socket.send_fds(conn, [len(request).to_bytes(8, "big")], [0, 1, 2, alive_r, done_w])
        sent = True
        conn.sendall(request)
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = conn.recv(64)
            if not chunk:
                raise OSError("the zygote closed the connection")
            reply += chunk
        pid = int(reply)
    except (OSError, ValueError):
        if sent:  # a kernel may have been forked already: do not start a second one on its ports
            os._exit(1)
        os.execv(cmd[0], cmd)
    finally:
        conn.close()
    os.close(alive_r)
    os.close(done_w)

    def relay(signum, frame):
        try:
            os.kill(pid, signum)
        except OSError:
            pass
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(s, relay)
    while os.read(done_r, 1):  # EOF: the kernel has ended (a signal's relay does not end the wait)
        pass
    os._exit(0)


# --------------------------------------------------------------------------- the zygote
def serve(path: str) -> None:
    """Import the heavy stack once, then fork a kernel for every stub that asks (never returns)."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is the runner's to handle
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")  # as ipykernel sets it
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    _bind_or_connect(listener, path, bind=True)
    listener.listen(64)  # stubs may connect now; they are answered once the imports are done
    import importlib
    for m in WARM_IMPORTS + ("ipykernel.kernelapp",):
        importlib.import_module(m)
    import select
    while True:
        _reap()
        if not select.select([listener], [], [], 1.0)[0]:
            continue
        conn, _ = listener.accept()
        fds: list[int] = []
        try:
            conn.settimeout(10)
            head, fds, _flags, _addr = socket.recv_fds(conn, 8, 8)
            size = int.from_bytes(head, "big") if len(head) == 8 else -1
            if len(fds) != 5 or not 0 < size <= _MAX_REQUEST:
                raise ValueError("not a stub's request")
            data = b""
            while len(data) < size:
                chunk = conn.recv(min(65536, size - len(data)))
                if not chunk:
                    raise ValueError("cut short")
                data += chunk
            request = json.loads(data)
            pid = os.fork()
            if pid == 0:
                listener.close()
                conn.close()
                _kernel(request, fds)  # never returns
            conn.sendall(f"{pid}\n".encode())
        except (OSError, ValueError):
            pass
        finally:
            for fd in fds:
                os.close(fd)
            conn.close()


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: become the kernel the stub stands for (``ipykernel_launcher``'s work)."""
    try:
        import threading
        stdin, stdout, stderr, alive_r, done_w = fds
        os.setsid()  # a kernel has a session of its own, as jupyter_client starts it
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
            os.close(fd)
        os.set_inheritable(alive_r, False)
        os.set_inheritable(done_w, False)  # a process the notebook starts must not hold the stub up
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import tempfile
        tempfile.tempdir = None  # read TMPDIR again
        cmd = request["cmd"]
        sys.argv = [_launcher_path()] + cmd[cmd.index("ipykernel_launcher") + 1:]
        del sys.path[0]  # the zygote's folder; ipykernel_launcher removes its own, IPython adds the kernel's

        def die_when_stub_ends():
            while os.read(alive_r, 1):
                pass
            os._exit(1)
        threading.Thread(target=die_when_stub_ends, daemon=True, name="twocreate-stub-watch").start()
        from ipykernel import kernelapp
        kernelapp.launch_new_instance()
    except BaseException:  # noqa: BLE001 - the child never returns into the zygote's loop
        import traceback
        traceback.print_exc()
        os._exit(1)
    os._exit(0)


def _launcher_path() -> str:
    import importlib.util
    spec = importlib.util.find_spec("ipykernel_launcher")
    return spec.origin if spec and spec.origin else "ipykernel_launcher"


if __name__ == "__main__":
    if sys.argv[1:2] == ["stub"]:
        stub(sys.argv[2:])
    elif sys.argv[1:2] == ["serve"] and len(sys.argv) == 3:
        serve(sys.argv[2])
    else:
        sys.exit("usage: zygote.py stub KERNEL-COMMAND… | python -m twocreate.build.zygote serve SOCKET")
