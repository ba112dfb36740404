"""Ferry's MLflow Project runner against mlflow's own: the command a job runs and the parameters its run holds.

For each MLproject and set of parameters, mlflow's command
(`load_project(dir).get_entry_point(name).compute_command(params, storage_dir=None)`) is compared with the
`command` Ferry answers for the same project uploaded and submitted over the REST API, to a server whose queue
runs nothing (FERRY_JOBS_WORKER=0). They are equal strings, except for these differences, each asserted below:

- Ferry refuses, with a 400 naming the parameter, a value of a float parameter that is not a number; mlflow
  builds the command and leaves the failure to the program.
- Ferry refuses a `.py` / `.sh` entry point that is not a file of the project (mlflow builds `python x.py` and
  the run fails), and a command whose placeholder no parameter fills, when the project is uploaded (mlflow fails
  with a KeyError when it runs).
- A parameter sent as a JSON number is text the way JavaScript reads JSON: `1.0` arrives as `1` and `1e20` as
  `100000000000000000000`, where mlflow.projects.run(parameters={"x": 1.0}) gives `1.0`. Send text for exact
  values (what `mlflow run -P` and `ferry jobs submit -P` send).
- Extra (undeclared) parameters are appended in the order of the JSON object as JavaScript keeps it: names that
  are whole numbers (`2`, `10`) come first, in numeric order.

The parameters logged on the run differ by design: mlflow's `_create_run` logs the values shell-quoted (what
`compute_parameters` returns: `'a b'`), Ferry logs the values as given (`a b`). Values that need no quoting are
logged identically; `test_real_runs_*` runs one project both ways, for real, and compares.
"""
from __future__ import annotations

import io
import json
import os
import queue
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
import requests
from mlflow.exceptions import ExecutionException
from mlflow.projects._project_spec import load_project

from conftest import LISTEN_RE, REPO, _pump, _server_log, _stop

START_TIMEOUT_S = 30
VENV_BIN = str(Path(sys.executable).parent)


def _start_ferry(extra_env: dict) -> dict:
    """A Ferry of this module's own (the session's server takes jobs; these tests need one that does not)."""
    data_dir = tempfile.mkdtemp(prefix="ferry-pytest-mlproject-")
    token = "fry_test_" + secrets.token_hex(16)
    env = {**os.environ, "FERRY_ADMIN_TOKEN": token, "FERRY_CONTRACT_CHECK": "1", **extra_env}
    for k in ("MLFLOW_TRACKING_URI", "MLFLOW_TRACKING_TOKEN", "MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_ID"):
        env.pop(k, None)
    proc = subprocess.Popen(
        ["node", "bin/ferry.js", "server", "--port", "0", "--data-dir", data_dir],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    out, err, lines = [], [], queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, out, lines), daemon=True).start()
    threading.Thread(target=_pump, args=(proc.stderr, err, None), daemon=True).start()
    url = None
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while url is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Ferry did not start:\n{_server_log(out, err)}")
            try:
                m = LISTEN_RE.search(lines.get(timeout=0.2))
                url = m.group(1).rstrip("/") if m else None
            except queue.Empty:
                pass
    except BaseException:
        _stop(proc)
        shutil.rmtree(data_dir, ignore_errors=True)
        raise
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return {"url": url, "token": token, "proc": proc, "data_dir": data_dir, "session": s, "log": (out, err)}


def _close(server: dict) -> None:
    _stop(server["proc"])
    shutil.rmtree(server["data_dir"], ignore_errors=True)


@pytest.fixture(scope="module")
def queue_only():
    """Jobs are accepted and answered (command, run, params), never run."""
    server = _start_ferry({"FERRY_JOBS_WORKER": "0"})
    yield server
    _close(server)


@pytest.fixture(scope="module")
def runner():
    """Jobs run on the local executor with this venv's python first on PATH."""
    server = _start_ferry({"FERRY_JOBS_POLL_MS": "200", "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}"})
    yield server
    _close(server)


def _write(dir_: Path, files: dict) -> Path:
    for name, text in files.items():
        (dir_ / name).parent.mkdir(parents=True, exist_ok=True)
        (dir_ / name).write_text(text, encoding="utf-8")
    return dir_


def _zip(dir_: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in sorted(dir_.rglob("*")):
            if p.is_file():
                z.write(p, p.relative_to(dir_).as_posix())
    return buf.getvalue()


def _upload(server, dir_: Path):
    return server["session"].post(f"{server['url']}/api/v1/jobs/projects", data=_zip(dir_), headers={"Content-Type": "application/zip"}, timeout=30)


def _submit(server, digest: str, entry: str, params: dict, **extra):
    body = {"project": digest, "entry_point": entry, "parameters": params, "env_manager": "local", **extra}
    return server["session"].post(f"{server['url']}/api/v1/jobs", json=body, timeout=30)


def _mlflow_command(dir_: Path, entry: str, params: dict) -> str:
    return load_project(str(dir_)).get_entry_point(entry).compute_command(params, storage_dir=None)


@pytest.fixture(scope="module")
def stored(queue_only, tmp_path_factory):
    """Uploads a project folder once; answers (folder, digest)."""
    cache = {}

    def store(name: str, files: dict):
        if name not in cache:
            dir_ = _write(tmp_path_factory.mktemp(name), files)
            r = _upload(queue_only, dir_)
            assert r.status_code in (200, 201), r.text
            cache[name] = (dir_, r.json()["project"]["digest"])
        return cache[name]

    return store


# ---- the projects ----

TYPED = {
    "MLproject": """name: typed
entry_points:
  main:
    parameters:
      s: string
      f: {type: float, default: 0.5}
      p: {type: path, default: data/train.csv}
      u: {type: uri, default: "s3://bucket/key"}
    command: "python train.py --s {s} --f {f} --p {p} --u {u} --lit {{literal}} --json '{{\\"a\\": 1}}'"
  bare:
    command: python train.py
""",
    "train.py": "print('never run here')\n",
    "tools/run.py": "print('never run here')\n",
    "job.sh": "echo never run here\n",
}

# Plain YAML scalars PyYAML reads as something else than their text (YAML 1.1), as defaults.
YAML_ODDITIES = {
    "e_no_dot": "1e-3",
    "e_dot": "1.0e-3",
    "e_no_sign": "1.5e3",
    "one": "1.0",
    "yes_": "yes",
    "on_": "On",
    "y_": "y",
    "hundred": "100",
    "octal": "017",
    "hex": "0x1F",
    "under": "1_000",
    "sexa": "1:30",
    "inf": ".inf",
    "tiny": "0.00001",
    "big": "10000000000000000.0",
    "negzero": "-0.0",
    "date": "2024-01-15",
    "stamp": "2024-01-15 10:30:00.5 +02:00",
    "quoted": '"1.0"',
    "empty": '""',
    "spaced": '"a b"',
    "explicit": "!!float 1",
}
DEFAULTS = {
    "MLproject": "name: defaults\nentry_points:\n  main:\n    parameters:\n"
    + "".join(f"      {k}: {{type: string, default: {v}}}\n" for k, v in YAML_ODDITIES.items())
    + "      rate: {type: float, default: 1e-3}\n      rate2: {type: float, default: 1.0}\n"
    + '    command: "python train.py '
    + " ".join(f"--{k} {{{k}}}" for k in [*YAML_ODDITIES, "rate", "rate2"])
    + '"\n',
    "train.py": "print('never run here')\n",
}

NASTY = [
    "plain",
    "with space",
    "it's",
    'double "quoted"',
    "$(touch /tmp/pwned)",
    "`id`",
    "; rm -rf /",
    "a && b | c > d",
    "line\nbreak",
    "tab\there",
    "ünïcödé ✓ 日本",
    "{{literal}}",
    "{s}",
    "",
    "--flag",
    "a'b\"c\\d",
    "*",
    "~root",
    "100%",
    "x=y,z:w@v+1/2.-_",
    "$HOME",
    "trailing\\",
]


@pytest.mark.parametrize("value", NASTY, ids=[f"v{i}" for i in range(len(NASTY))])
def test_string_values_give_mlflows_command(queue_only, stored, value):
    dir_, digest = stored("typed", TYPED)
    params = {"s": value}
    r = _submit(queue_only, digest, "main", params)
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, "main", params)


def test_every_parameter_given_and_extra_ones(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    params = {"s": "x y", "f": "1e-7", "p": "/abs/with space", "u": "https://h/p?q=1&r=$(x)", "extra": "v w", "another-one": "$(x)", "x.y_z": "1"}
    r = _submit(queue_only, digest, "main", params)
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, "main", params)


def test_entry_point_without_parameters_takes_extras(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    params = {"alpha": "0.1", "note": "it's here"}
    r = _submit(queue_only, digest, "bare", params)
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, "bare", params) == "python train.py --alpha 0.1 --note 'it'\"'\"'s here'"


@pytest.mark.parametrize("entry", ["train.py", "tools/run.py"])
def test_a_python_file_as_entry_point(queue_only, stored, entry):
    dir_, digest = stored("typed", TYPED)
    params = {"alpha": "0.5", "msg": "a b"}
    r = _submit(queue_only, digest, entry, params)
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, entry, params)


def test_a_shell_file_as_entry_point(queue_only, stored, monkeypatch):
    # mlflow runs a .sh entry point with $SHELL (bash when unset); Ferry always with bash.
    monkeypatch.setenv("SHELL", "bash")
    dir_, digest = stored("typed", TYPED)
    r = _submit(queue_only, digest, "job.sh", {"n": "1"})
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, "job.sh", {"n": "1"}) == "bash job.sh --n 1"


def test_yaml_defaults_read_as_pyyaml_reads_them(queue_only, stored):
    dir_, digest = stored("defaults", DEFAULTS)
    r = _submit(queue_only, digest, "main", {})
    assert r.status_code == 201, r.text
    want = _mlflow_command(dir_, "main", {})
    # The oddities are there to be tested: PyYAML reads 1e-3 as text, 1.0 as a float, yes as True, 2024-01-15 as a date.
    assert "--e_no_dot 1e-3 " in want and "--one 1.0 " in want and "--yes_ True " in want and "--date 2024-01-15 " in want
    assert r.json()["job"]["command"] == want


def test_json_numbers(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    same = {"s": "x", "f": 0.25, "extra_int": 100}
    r = _submit(queue_only, digest, "main", same)
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, "main", same)
    # Documented difference: JSON numbers as JavaScript reads them.
    r = _submit(queue_only, digest, "main", {"s": "x", "f": 1.0, "big": 1e20})
    assert r.status_code == 201, r.text
    assert _mlflow_command(dir_, "main", {"s": "x", "f": 1.0, "big": 1e20}).endswith("--f 1.0 --p data/train.csv --u s3://bucket/key --lit {literal} --json '{\"a\": 1}' --big 1e+20")
    assert r.json()["job"]["parameters"]["f"] == "1" and r.json()["job"]["parameters"]["big"] == "100000000000000000000"


def test_json_booleans_and_small_floats_as_python_prints_them(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    params = {"s": True, "f": 0.25, "extra_small": 1e-7, "extra_false": False}
    r = _submit(queue_only, digest, "main", params)
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, "main", params)


def test_extra_parameters_named_by_numbers_come_first(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    params = {"s": "x", "b": "1", "10": "2", "2": "3"}
    r = _submit(queue_only, digest, "main", params)
    assert r.status_code == 201, r.text
    assert _mlflow_command(dir_, "main", params).endswith("--b 1 --10 2 --2 3")
    assert r.json()["job"]["command"].endswith("--2 3 --10 2 --b 1")


# ---- refusals ----


def test_a_float_parameter_that_is_not_a_number_is_a_400(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    params = {"s": "x", "f": "lots"}
    # mlflow does not check float parameters: it builds the command and the program gets 'lots'.
    assert "--f lots" in _mlflow_command(dir_, "main", params)
    r = _submit(queue_only, digest, "main", params)
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "parameters.f"


@pytest.mark.parametrize("value", ["1", "-2.5e-3", "+.5", "1_000.5", " 7 ", "inf", "-Infinity", "nan"])
def test_float_values_python_reads_are_accepted(queue_only, stored, value):
    dir_, digest = stored("typed", TYPED)
    float(value)  # what the program does with it
    params = {"s": "x", "f": value}
    r = _submit(queue_only, digest, "main", params)
    assert r.status_code == 201, r.text
    assert r.json()["job"]["command"] == _mlflow_command(dir_, "main", params)


def test_a_missing_required_parameter_is_refused_by_both(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    with pytest.raises(ExecutionException, match="No value given for missing parameters: 's'"):
        _mlflow_command(dir_, "main", {})
    r = _submit(queue_only, digest, "main", {})
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "parameters" and "'s'" in r.json()["detail"]


@pytest.mark.parametrize("value", ["not a uri", "/abs/path", "1abc:x"])
def test_a_uri_parameter_that_is_not_a_uri_is_refused_by_both(queue_only, stored, value):
    dir_, digest = stored("typed", TYPED)
    with pytest.raises(ExecutionException, match="Expected URI"):
        _mlflow_command(dir_, "main", {"s": "x", "u": value})
    r = _submit(queue_only, digest, "main", {"s": "x", "u": value})
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "parameters.u"


def test_a_script_that_is_not_in_the_project_is_refused(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    assert _mlflow_command(dir_, "missing.py", {}) == "python missing.py"  # mlflow: fails when it runs
    r = _submit(queue_only, digest, "missing.py", {})
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "entry_point"


def test_a_placeholder_no_parameter_fills_is_refused_at_upload(queue_only, tmp_path):
    dir_ = _write(tmp_path, {"MLproject": 'entry_points:\n  main:\n    parameters:\n      a: string\n    command: "python x.py {a} {b}"\n', "x.py": ""})
    with pytest.raises(KeyError):
        _mlflow_command(dir_, "main", {"a": "1"})
    r = _upload(queue_only, dir_)
    assert r.status_code == 400, r.text
    assert "{b}" in r.json()["detail"]


# ---- the parameters logged on the run ----


def test_run_params_are_the_raw_values_where_mlflow_logs_them_quoted(queue_only, stored):
    dir_, digest = stored("typed", TYPED)
    params = {"s": "a b; $(x)", "f": "0.5", "extra": "it's"}
    r = _submit(queue_only, digest, "main", params)
    assert r.status_code == 201, r.text
    run_id = r.json()["job"]["run_id"]
    got = queue_only["session"].get(f"{queue_only['url']}/api/2.0/mlflow/runs/get", params={"run_id": run_id}, timeout=30).json()["run"]
    ferry = {p["key"]: p["value"] for p in got["data"]["params"]}
    # What mlflow's _create_run logs: compute_parameters(params, storage_dir=None), final and extra, quoted.
    final, extra = load_project(str(dir_)).get_entry_point("main").compute_parameters(params, storage_dir=None)
    mlflow_logged = {**final, **extra}
    assert ferry == {"s": "a b; $(x)", "f": "0.5", "p": "data/train.csv", "u": "s3://bucket/key", "extra": "it's"}
    assert mlflow_logged == {k: shlex.quote(v) for k, v in ferry.items()}
    assert mlflow_logged["s"] == "'a b; $(x)'" and mlflow_logged["f"] == ferry["f"]


# ---- one project run for real, by `mlflow run` and as a Ferry job ----

REAL = {
    "MLproject": """name: real
entry_points:
  main:
    parameters:
      alpha: {type: float, default: 0.5}
      label: {type: string, default: plain}
      note: string
    command: "python train.py --alpha {alpha} --label {label} --note {note}"
""",
    "train.py": """import argparse, json, sys
import mlflow
p = argparse.ArgumentParser()
p.add_argument('--alpha', type=float); p.add_argument('--label'); p.add_argument('--note'); p.add_argument('--seed')
a = p.parse_args()
with mlflow.start_run():
    mlflow.set_tag('argv', json.dumps(sys.argv[1:]))
    mlflow.log_metric('alpha_twice', a.alpha * 2)
""",
}


def _wait_job(server, job_id: str, timeout_s: float = 180) -> dict:
    deadline = time.monotonic() + timeout_s
    while True:
        job = server["session"].get(f"{server['url']}/api/v1/jobs/{job_id}", timeout=30).json()["job"]
        if job["state"] in ("succeeded", "failed", "cancelled") or time.monotonic() > deadline:
            return job
        time.sleep(0.3)


def _run(server, run_id: str) -> dict:
    return server["session"].get(f"{server['url']}/api/2.0/mlflow/runs/get", params={"run_id": run_id}, timeout=30).json()["run"]


def test_real_runs_by_mlflow_run_and_by_a_ferry_job(runner, tmp_path):
    dir_ = _write(tmp_path / "real", REAL)
    cli = {"alpha": "0.25", "label": "run-1", "note": "it's $(not) run", "seed": "7"}
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
        "MLFLOW_TRACKING_URI": runner["url"],
        "MLFLOW_TRACKING_TOKEN": runner["token"],
        "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0",
    }
    # mlflow.set_experiment() in earlier tests of this session exports MLFLOW_EXPERIMENT_ID to os.environ.
    for k in ("MLFLOW_RUN_ID", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME"):
        env.pop(k, None)
    args = [sys.executable, "-m", "mlflow", "run", str(dir_), "-e", "main", "--env-manager", "local", "--experiment-name", "mlproject-real"]
    for k, v in cli.items():
        args += ["-P", f"{k}={v}"]
    done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    s = runner["session"]
    exp = s.get(f"{runner['url']}/api/2.0/mlflow/experiments/get-by-name", params={"experiment_name": "mlproject-real"}, timeout=30).json()["experiment"]
    found = s.post(f"{runner['url']}/api/2.0/mlflow/runs/search", json={"experiment_ids": [exp["experiment_id"]]}, timeout=30).json()["runs"]
    assert len(found) == 1
    by_mlflow = found[0]

    up = _upload(runner, dir_)
    assert up.status_code in (200, 201), up.text
    r = _submit(runner, up.json()["project"]["digest"], "main", cli, experiment_name="mlproject-real")
    assert r.status_code == 201, r.text
    job = _wait_job(runner, r.json()["job"]["job_id"])
    log = s.get(f"{runner['url']}/api/v1/jobs/{job['job_id']}/logs", timeout=30).json()["data"]
    assert job["state"] == "succeeded", log
    by_ferry = _run(runner, job["run_id"])

    def params(run):
        return {p["key"]: p["value"] for p in run["data"]["params"]}

    def tags(run):
        return {t["key"]: t["value"] for t in run["data"]["tags"]}

    # The program saw the same arguments and computed the same thing.
    assert json.loads(tags(by_ferry)["argv"]) == json.loads(tags(by_mlflow)["argv"]) == ["--alpha", "0.25", "--label", "run-1", "--note", "it's $(not) run", "--seed", "7"]
    assert {m["key"]: m["value"] for m in by_ferry["data"]["metrics"]} == {m["key"]: m["value"] for m in by_mlflow["data"]["metrics"]} == {"alpha_twice": 0.5}
    # The same parameters, except that mlflow logged the one value that needs quoting quoted.
    assert params(by_ferry) == cli
    assert params(by_mlflow) == {**cli, "note": shlex.quote(cli["note"])}
    for t in ("mlflow.source.type", "mlflow.project.entryPoint"):
        assert tags(by_ferry)[t] == tags(by_mlflow)[t]
    assert tags(by_ferry)["ferry.job_id"] == job["job_id"]
