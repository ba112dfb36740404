"""The client's tests run against a real `ferry server` (the repo's built dist/), on SQLite by default and on a real
PostgreSQL when FERRY_PYTEST_STORE names one (test/python-client-pg.test.ts does)."""
import os
import queue
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

REPO = Path(__file__).resolve().parents[3]
LISTEN_RE = re.compile(r"Ferry listening on (http://\S+)")
START_TIMEOUT_S = 60
_ENV_KEYS = (
    "FERRY_URL", "FERRY_TOKEN", "FERRY_USERNAME", "FERRY_PASSWORD",
    "MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_REGISTRY_URI",
    # mlflow.set_experiment and friends write these into the environment, where a subprocess would inherit them.
    "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_RUN_ID",
)


def _pump(stream, sink, lines):
    for line in iter(stream.readline, ""):
        sink.append(line)
        if lines is not None:
            lines.put(line)
    stream.close()


def _stop(proc):
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=wait_s)
            return
        except (ProcessLookupError, subprocess.TimeoutExpired):
            continue


_PG_SQL = """
const pg = require('pg');
const [admin, sql] = process.argv.slice(1);
const c = new pg.Client({ connectionString: admin });
c.connect().then(() => c.query(sql)).then(() => c.end()).catch((e) => { console.error(e.message); process.exit(1); });
"""


def _pg(admin_url, sql):
    # The repo's own node `pg` driver: the venv needs no PostgreSQL driver for this.
    subprocess.run(["node", "-e", _PG_SQL, admin_url, sql], cwd=REPO, check=True, capture_output=True, text=True, timeout=60)


def _fresh_pg(admin_url):
    """A fresh database on the PostgreSQL FERRY_PYTEST_STORE names: (url, drop)."""
    from urllib.parse import urlsplit, urlunsplit

    name = "ferry_client_" + secrets.token_hex(6)
    _pg(admin_url, f"create database {name}")
    parts = urlsplit(admin_url)
    url = urlunsplit(parts._replace(path="/" + name))
    return url, lambda: _pg(admin_url, f"drop database if exists {name} with (force)")


def start_server(extra_env=None, extra_args=(), shared_store=False):
    """A fresh server (its own data dir; on PostgreSQL its own database unless shared_store); returns (info, stop).
    The admin token is made here."""
    if not (REPO / "dist" / "cli" / "main.js").exists():
        pytest.fail("dist/ missing: run `npm run build` first")
    data_dir = tempfile.mkdtemp(prefix="ferry-client-pytest-")
    token = "fry_test_" + secrets.token_hex(16)
    env = {k: v for k, v in os.environ.items() if k not in _ENV_KEYS}
    # Conversion jobs run on the local executor with the server's PATH: this venv's python comes first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update({"FERRY_ADMIN_TOKEN": token, "FERRY_CONTRACT_CHECK": "1", **(extra_env or {})})
    args = ["node", "bin/ferry.js", "server", "--port", "0", "--data-dir", data_dir, *extra_args]
    drop_db = None
    store = os.environ.get("FERRY_PYTEST_STORE")
    if store:
        if store.startswith("postgres") and not shared_store:
            store, drop_db = _fresh_pg(store)
        args += ["--store", store]
    proc = subprocess.Popen(args, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    out, err, lines = [], [], queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, out, lines), daemon=True).start()
    threading.Thread(target=_pump, args=(proc.stderr, err, None), daemon=True).start()
    url = None
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while url is None:
            if proc.poll() is not None:
                time.sleep(0.2)
                raise RuntimeError(f"server exited with {proc.returncode}: {''.join(err)[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError("server did not print its URL in time")
            try:
                m = LISTEN_RE.search(lines.get(timeout=0.2))
                url = m.group(1).rstrip("/") if m else None
            except queue.Empty:
                pass
        while requests.get(f"{url}/health", timeout=5).status_code != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("/health did not answer 200 in time")
            time.sleep(0.1)
    except BaseException:
        _stop(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
        if drop_db:
            drop_db()
        raise

    def stop():
        _stop(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
        if drop_db:
            drop_db()

    return {"url": url, "token": token, "data_dir": data_dir, "log": (out, err)}, stop


@pytest.fixture(scope="session")
def ferry_server():
    info, stop = start_server()
    yield info
    stop()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No test sees the developer's own FERRY_* / MLFLOW_* settings unless it sets them."""
    for k in _ENV_KEYS:
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    yield


@pytest.fixture
def client(ferry_server):
    """A ferry.Client as the admin."""
    import ferry

    return ferry.Client(ferry_server["url"], token=ferry_server["token"])


@pytest.fixture
def mlflow_env(ferry_server, monkeypatch):
    """Point the mlflow client at the server as the admin (for tests that log models)."""
    import mlflow

    monkeypatch.setenv("MLFLOW_TRACKING_URI", ferry_server["url"])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", ferry_server["token"])
    mlflow.set_tracking_uri(ferry_server["url"])
    mlflow.set_registry_uri(ferry_server["url"])
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run("FAILED")


@pytest.fixture
def unique():
    return lambda prefix="t": f"{prefix}-{uuid.uuid4().hex[:8]}"
