"""Session fixture: one real Ferry server (built dist/) that the real mlflow client talks to."""
import json
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

from stats_node import stats  # noqa: F401  (fixture: Ferry's compiled statistics, for scipy comparisons)

# Before mlflow is imported: no telemetry threads or calls out of this machine during tests.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30
LISTEN_RE = re.compile(r"Ferry listening on (http://\S+)")


def _pump(stream, sink: list, lines: "queue.Queue[str] | None"):
    # Drain a pipe on a thread so the server never blocks on a full pipe buffer.
    for line in iter(stream.readline, ""):
        sink.append(line)
        if lines is not None:
            lines.put(line)
    stream.close()


def _stop(proc: subprocess.Popen):
    # The server runs in its own process group, so signalling the group leaves no orphans.
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait_s)
            if sig == signal.SIGTERM:
                os.killpg(proc.pid, signal.SIGKILL)  # any straggler child
            break
        except subprocess.TimeoutExpired:
            continue
        except ProcessLookupError:
            break


@pytest.fixture(scope="session")
def ferry_server():
    if not (REPO / "dist" / "cli" / "main.js").exists():
        pytest.fail("dist/ missing: run `npm run build` first")
    data_dir = tempfile.mkdtemp(prefix="ferry-pytest-")
    token = "fry_test_" + secrets.token_hex(16)
    # The contract check: every answer the real clients get is validated against its response schema.
    env = {**os.environ, "FERRY_ADMIN_TOKEN": token, "FERRY_CONTRACT_CHECK": "1"}
    # Conversion jobs run on the local executor with the server's PATH: this venv's python comes first.
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for k in ("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD"):
        env.pop(k, None)
    # The scale-out run (test/interop-scale.test.ts) points the same suites at PostgreSQL and an S3 bucket.
    extra = []
    if os.environ.get("FERRY_PYTEST_STORE"):
        extra += ["--store", os.environ["FERRY_PYTEST_STORE"]]
    if os.environ.get("FERRY_PYTEST_ARTIFACTS"):
        extra += ["--artifacts", os.environ["FERRY_PYTEST_ARTIFACTS"]]
    proc = subprocess.Popen(
        ["node", "bin/ferry.js", "server", "--port", "0", "--data-dir", data_dir, *extra],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    out, err, lines = [], [], queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, out, lines), daemon=True).start()
    threading.Thread(target=_pump, args=(proc.stderr, err, None), daemon=True).start()

    def dump(why: str):
        sys.stderr.write(f"\n--- Ferry {why}\n{_server_log(out, err)}\n")

    url = None
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while url is None:
            if proc.poll() is not None:
                time.sleep(0.2)  # let the pump threads catch the last output
                raise RuntimeError(f"server exited early with code {proc.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError("server did not print its URL in time")
            try:
                m = LISTEN_RE.search(lines.get(timeout=0.2))
                url = m.group(1).rstrip("/") if m else None
            except queue.Empty:
                pass
        while True:
            try:
                if requests.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("/health did not answer 200 in time")
            time.sleep(0.1)
    except BaseException as e:
        dump(f"failed to start ({e})")
        _stop(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
        raise

    _LOG.update(out=out, err=err)
    yield {"url": url, "token": token, "data_dir": data_dir}
    _stop(proc)
    _LOG["exit"] = proc.returncode
    shutil.rmtree(data_dir, ignore_errors=True)


_LOG: dict = {}


def _server_log(out: list, err: list, limit: int = 60) -> str:
    """Compact view of the server's stdout (a JSON request log): failed requests, warnings, errors."""
    reqs, keep = {}, []
    for ln in out:
        try:
            rec = json.loads(ln)
        except ValueError:
            keep.append(ln.rstrip())
            continue
        rid, req, res = rec.get("reqId"), rec.get("req"), rec.get("res")
        if req:
            reqs[rid] = f"{req.get('method')} {req.get('url')}"
        if res and res.get("statusCode", 0) >= 400:
            keep.append(f"  -> {res['statusCode']} {reqs.get(rid, '?')}")
        if rec.get("level", 0) >= 40:
            keep.append(ln.rstrip()[:3000])
    more = f"({len(keep) - limit} earlier lines left out)\n" if len(keep) > limit else ""
    return f"{more}" + "\n".join(keep[-limit:]) + f"\n--- stderr:\n{''.join(err)}"


def pytest_terminal_summary(terminalreporter, exitstatus):
    """On failure, show the server's side: pytest captures fixture teardown output otherwise."""
    if exitstatus != 0 and _LOG:
        terminalreporter.section(f"Ferry server log (exit code {_LOG.get('exit')})")
        terminalreporter.write_line(_server_log(_LOG["out"], _LOG["err"]))


@pytest.fixture(autouse=True)
def mlflow_env(ferry_server, monkeypatch):
    """Point the mlflow client at Ferry as the admin for every test; tests may override."""
    import mlflow

    monkeypatch.setenv("MLFLOW_TRACKING_URI", ferry_server["url"])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", ferry_server["token"])
    for k in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_REGISTRY_URI"):
        monkeypatch.delenv(k, raising=False)
    # Fail fast instead of mlflow's default multi-minute retry on 5xx.
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
    mlflow.set_tracking_uri(ferry_server["url"])
    mlflow.set_registry_uri(ferry_server["url"])
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run("FAILED")


@pytest.fixture
def admin_api(ferry_server):
    """requests.Session for Ferry's native API as admin."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {ferry_server['token']}"
    base = ferry_server["url"]

    def call(method, path, **kw):
        return s.request(method, base + path, timeout=30, **kw)

    return call


@pytest.fixture
def unique():
    """A short unique suffix so tests never collide on names in the shared server."""
    return lambda prefix="t": f"{prefix}-{uuid.uuid4().hex[:8]}"
