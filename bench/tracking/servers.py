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


def _spawn(cmd: list[str], log_path: str, env: dict, cwd: str, wrap=None) -> subprocess.Popen:
    """Starts cmd in a session of its own (its pid is the process group of all it forks); `wrap` may prefix it
    (measure.CpuPlan.server_cmd: taskset)."""
    log = open(log_path, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(wrap(cmd) if wrap else cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)


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


def start_ferry(tmp: str, timeout: float = 60, store: str | None = None, wrap=None, tag: str = "") -> Server:
    """Ferry on SQLite under tmp, or on `store` (a postgres:// URL)."""
    data = os.path.join(tmp, f"ferry{tag}")
    log_path = os.path.join(tmp, f"ferry{tag}.log")
    env = dict(os.environ, FERRY_ADMIN_TOKEN=FERRY_TOKEN)
    cmd = ["node", os.path.join(REPO, "bin", "ferry.js"), "server", "--host", "127.0.0.1", "--port", "0", "--data-dir", data]
    if store:
        cmd += ["--store", store]
    t0 = time.monotonic()
    proc = _spawn(cmd, log_path, env, REPO, wrap)
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


def start_mlflow(tmp: str, workers: int, timeout: float = 180, store: str | None = None, wrap=None, tag: str = "") -> Server:
    """Python `mlflow server` on SQLite under tmp, or on `store` (a postgresql:// URL)."""
    db = os.path.join(tmp, f"mlflow{tag}.db")
    return _start_mlflow_like("mlflow", [os.path.join(VENV_BIN, "mlflow"), "server"], tmp, workers, timeout, store or f"sqlite:///{db}",
                              wrap, tag, {"db": db})


# The Go peer's own venv (bench/tracking/run.sh makes it): mlflow-go-backend and the mlflow it was built against.
GO_VENV = os.environ.get("BENCH_GO_VENV") or os.path.join(REPO, "bench", "tracking", ".venv-go")
# The wheel ships its Linux library named .dylib while its loader asks for .so; run.sh links it under this name.
GO_LIB_DIR = os.path.join(GO_VENV, "go-lib")


def go_missing() -> str | None:
    """None when the mlflow-go-backend peer can run, else why not."""
    if not os.path.exists(os.path.join(GO_VENV, "bin", "mlflow-go")):
        return f"no {GO_VENV}/bin/mlflow-go (bench/tracking/run.sh --setup-go creates it)"
    if not os.path.exists(os.path.join(GO_LIB_DIR, "libmlflow-go-backend.so")):
        return f"no {GO_LIB_DIR}/libmlflow-go-backend.so (bench/tracking/run.sh --setup-go links it)"
    return None


def start_go(tmp: str, timeout: float = 180, store: str | None = None, wrap=None, tag: str = "") -> Server:
    """`mlflow-go server`: the Go tracking server on the given store. It also starts a Python `mlflow server` as a
    sidecar for the endpoints Go does not serve (none in this workload); one worker is enough for it."""
    db = os.path.join(tmp, f"go{tag}.db")
    bin_dir = os.path.join(GO_VENV, "bin")
    env = {"PATH": f"{bin_dir}:{os.environ.get('PATH', '')}", "MLFLOW_GO_LIBRARY_PATH": GO_LIB_DIR, "VIRTUAL_ENV": GO_VENV}
    srv = _start_mlflow_like("go", [os.path.join(bin_dir, "mlflow-go"), "server"], tmp, 1, timeout, store or f"sqlite:///{db}",
                             wrap, tag, {"db": db}, env)
    if store and store.startswith("postgresql"):
        try:
            _go_placeholder_model(store)
        except Exception:
            stop(srv)
            raise
    return srv


def _go_placeholder_model(store: str) -> None:
    """mlflow-go-backend 0.2.2's log_batch also writes every metric to logged_model_metrics with model_id '' (no logged
    model). SQLite does not enforce that table's foreign key, so the rows go in; PostgreSQL refuses them and log_batch
    answers 500. A placeholder logged model '' (deleted, in the Default experiment) lets PostgreSQL take the same rows
    SQLite does, so the Go server does the same work on both stores. Done with the Go venv's psycopg2."""
    sql = ("insert into logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, "
           "last_updated_timestamp_ms, status, lifecycle_stage) values ('', 0, 'bench-placeholder', '', 0, 0, 0, 'deleted') "
           "on conflict do nothing")
    code = "import psycopg2, sys\nc = psycopg2.connect(sys.argv[1])\nc.autocommit = True\nc.cursor().execute(sys.argv[2])\n"
    subprocess.run([os.path.join(GO_VENV, "bin", "python"), "-c", code, store, sql], check=True, capture_output=True, timeout=60)


def _start_mlflow_like(name: str, cmd0: list[str], tmp: str, workers: int, timeout: float, store_uri: str, wrap, tag: str,
                       info: dict, extra_env: dict | None = None) -> Server:
    log_path = os.path.join(tmp, f"{name}{tag}.log")
    port = free_port()
    env = dict(os.environ)
    env.pop("MLFLOW_TRACKING_URI", None)
    # No auth app, no telemetry; loopback only, so MLflow's default host check (localhost/private IPs) passes.
    env.update(MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="true", **(extra_env or {}))
    cmd = [
        *cmd0,
        "--backend-store-uri", store_uri,
        "--artifacts-destination", os.path.join(tmp, f"{name}{tag}-art"),
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
    ]
    t0 = time.monotonic()
    proc = _spawn(cmd, log_path, env, tmp, wrap)
    srv = Server(name, f"http://127.0.0.1:{port}", None, proc, log_path, {**info, "workers": workers, "store": store_uri.split(":")[0]})
    try:
        _wait_healthy(srv, timeout)
        _wait_api(srv, timeout)
    except Exception:
        stop(srv)
        raise
    srv.info["startup_s"] = time.monotonic() - t0
    return srv


def _wait_api(srv: Server, timeout: float) -> None:
    """Waits until the tracking API answers: the Go server's /health is up before its sidecar has made the schema."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if srv.proc.poll() is not None:
            raise RuntimeError(f"{srv.name} exited with {srv.proc.returncode}:\n{_tail(srv.log_path)}")
        try:
            r = requests.post(f"{srv.url}/api/2.0/mlflow/experiments/search", json={"max_results": 1}, headers=srv.headers(), timeout=5)
            if r.status_code == 200:
                return
            last = f"{r.status_code} {r.text[:200]}"
        except requests.RequestException as e:
            last = str(e)
        time.sleep(0.5)
    raise RuntimeError(f"{srv.name}: the tracking API did not answer after {timeout:.0f}s ({last}):\n{_tail(srv.log_path)}")


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
