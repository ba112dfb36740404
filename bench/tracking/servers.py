"""Start and stop the two servers under test: Ferry (node bin/ferry.js) and a real `mlflow server`.

Both bind 127.0.0.1 only, keep their data under one temporary folder and write their logs there.
Each is started in its own process group so stopping it also stops its workers (uvicorn).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field

import requests

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV_BIN = os.path.dirname(sys.executable)
FERRY_TOKEN = "ferry-bench-admin-token-0123456789"


@dataclass
class Server:
    name: str
    url: str
    token: str | None
    proc: subprocess.Popen
    log_path: str
    info: dict = field(default_factory=dict)

    def headers(self) -> dict:
        h = {"Content-Type": "application/json"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        return h

    def client_env(self) -> dict:
        """Environment for a client process: MLflow's client reads the token from MLFLOW_TRACKING_TOKEN."""
        env = dict(os.environ)
        env.pop("MLFLOW_TRACKING_TOKEN", None)
        env["MLFLOW_TRACKING_URI"] = self.url
        if self.token:
            env["MLFLOW_TRACKING_TOKEN"] = self.token
        return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(cmd: list[str], log_path: str, env: dict, cwd: str) -> subprocess.Popen:
    log = open(log_path, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)


def _tail(path: str, n: int = 15) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def _wait_healthy(srv: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if srv.proc.poll() is not None:
            raise RuntimeError(f"{srv.name} exited with {srv.proc.returncode}:\n{_tail(srv.log_path)}")
        try:
            if requests.get(f"{srv.url}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{srv.name} not healthy after {timeout:.0f}s:\n{_tail(srv.log_path)}")


def start_ferry(tmp: str, timeout: float = 60) -> Server:
    data = os.path.join(tmp, "ferry")
    log_path = os.path.join(tmp, "ferry.log")
    env = dict(os.environ, FERRY_ADMIN_TOKEN=FERRY_TOKEN)
    cmd = ["node", os.path.join(REPO, "bin", "ferry.js"), "server", "--host", "127.0.0.1", "--port", "0", "--data-dir", data]
    t0 = time.monotonic()
    proc = _spawn(cmd, log_path, env, REPO)
    url = None
    deadline = time.monotonic() + timeout
    while url is None and time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ferry exited with {proc.returncode}:\n{_tail(log_path)}")
        m = re.search(r"Ferry listening on (http://127\.0\.0\.1:\d+)", _tail(log_path, 50))
        url = m.group(1) if m else None
        time.sleep(0.1)
    if url is None:
        stop(Server("ferry", "", None, proc, log_path))
        raise RuntimeError(f"ferry did not print its address:\n{_tail(log_path)}")
    srv = Server("ferry", url, FERRY_TOKEN, proc, log_path, {"db": os.path.join(data, "ferry.db")})
    _wait_healthy(srv, timeout)
    srv.info["startup_s"] = time.monotonic() - t0
    return srv


def start_mlflow(tmp: str, workers: int, timeout: float = 180) -> Server:
    db = os.path.join(tmp, "mlflow.db")
    log_path = os.path.join(tmp, "mlflow.log")
    port = free_port()
    env = dict(os.environ)
    # No auth app, no telemetry; loopback only, so MLflow's default host check (localhost/private IPs) passes.
    env.update(MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true")
    cmd = [
        os.path.join(VENV_BIN, "mlflow"), "server",
        "--backend-store-uri", f"sqlite:///{db}",
        "--artifacts-destination", os.path.join(tmp, "mlflow-art"),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]
    t0 = time.monotonic()
    proc = _spawn(cmd, log_path, env, tmp)
    srv = Server("mlflow", f"http://127.0.0.1:{port}", None, proc, log_path, {"db": db, "workers": workers})
    try:
        _wait_healthy(srv, timeout)
    except Exception:
        stop(srv)
        raise
    srv.info["startup_s"] = time.monotonic() - t0
    return srv


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def stop(srv: Server) -> None:
    """SIGTERM the server's process group (MLflow's uvicorn workers and job runners too), SIGKILL stragglers."""
    pgid = srv.proc.pid  # start_new_session=True: the group id is the leader's pid
    if not _group_alive(pgid):
        srv.proc.poll()
        return
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        srv.proc.poll()  # reap the leader so the group can empty
        if not _group_alive(pgid):
            return
        time.sleep(0.2)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    srv.proc.wait(timeout=5)
