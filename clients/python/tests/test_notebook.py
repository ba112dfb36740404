"""examples/notebooks/python-quickstart.ipynb runs end to end against a real server: executed by
``jupyter nbconvert --execute`` on a kernel of this venv's Python, with the mlflow variables pointing at the server.
Any cell that raises fails the run; then what the notebook did is checked on the server."""
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import nbformat
import ferry
from conftest import start_server

REPO = Path(__file__).resolve().parents[3]
NOTEBOOK = REPO / "examples" / "notebooks" / "python-quickstart.ipynb"
NAME = "credit-quickstart"  # the notebook's model and deployment


def test_committed_notebook_has_no_outputs():
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code), "clear the notebook's outputs before committing"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def _outputs(cell):
    text = []
    for o in cell.outputs:
        if o.output_type == "stream":
            text.append(o.text)
        elif o.output_type in ("execute_result", "display_data"):
            text.extend(str(v) for v in o.data.values())
    return "\n".join(text)


def test_notebook_runs_end_to_end(ferry_server, client, mlflow_env, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FERRY_", "MLFLOW_TRACKING"))}
    env.update({
        "MLFLOW_TRACKING_URI": ferry_server["url"],
        "MLFLOW_TRACKING_TOKEN": ferry_server["token"],
        # This venv's kernelspec first (the ipykernel installed beside nbconvert); a user-level python3 kernel
        # pointing at another Python cannot shadow it.
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    cmd = [
        sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", str(NOTEBOOK),
        "--output-dir", str(tmp_path), "--output", "executed",
        "--ExecutePreprocessor.kernel_name=python3", "--ExecutePreprocessor.timeout=900",
    ]
    r = subprocess.run(cmd, cwd=NOTEBOOK.parent, env=env, capture_output=True, text=True, timeout=1500)
    assert r.returncode == 0, r.stderr[-6000:]

    nb = nbformat.read(str(tmp_path / "executed.ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count is not None for c in code)
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    text = "\n".join(_outputs(c) for c in code)
    # The reports rendered inline as HTML with their charts.
    html = [v for c in code for o in c.outputs if o.output_type in ("execute_result", "display_data") for k, v in o.data.items() if k == "text/html"]
    assert sum("<svg" in h for h in html) >= 3, "performance, live drift and offline drift render as HTML with a chart"
    assert "drift.html" in text

    # What the notebook did, read back from the server.
    deployment = client.deployments.get(NAME)
    version = deployment["spec"]["routes"][0]["version"]
    assert [r["state"] for r in deployment["status"]["routes"]] == ["ready"]
    conversion = client.models.conversion(NAME, version)
    assert conversion["state"] == "succeeded" and conversion["check"]["passed"] is True
    performance = client.monitoring.performance(NAME)
    assert performance["n"] >= 500
    drift = client.monitoring.drift(NAME).to_frame().set_index("feature")
    assert bool(drift.loc["income", "drifted"]) is True
    mv = mlflow.MlflowClient().get_model_version(NAME, version)
    assert "drift.html" in [a.path for a in mlflow.MlflowClient().list_artifacts(mv.run_id)]


def test_readme_python_quickstart_runs():
    """The README's Python quickstart script, as written, against a fresh server (its names are fixed ones)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Python quickstart"):]
    script = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    info, stop = start_server()
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FERRY_", "MLFLOW_TRACKING"))}
        env.update({"MLFLOW_TRACKING_URI": info["url"], "MLFLOW_TRACKING_TOKEN": info["token"]})
        r = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, r.stderr[-6000:]
        drifted = {line.split()[1]: line.split()[-1] for line in r.stdout.splitlines()[1:] if line.split()[:1] != []}
        assert drifted.get("income") == "True" and drifted.get("purpose") == "False", r.stdout

        client = ferry.Client(info["url"], token=info["token"])
        deployment = client.deployments.get("credit-risk")
        assert [(s["version"], s["state"]) for s in deployment["status"]["routes"]] == [("1", "ready")]
        assert client.models.conversion("credit", "1")["state"] == "succeeded"
        assert client.monitoring.reference("credit-risk")["rows"] == 2000
        deadline = time.monotonic() + 30  # feedback is joined to the log in the background
        while client.monitoring.performance("credit-risk")["n"] < 200 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.monitoring.performance("credit-risk")["n"] == 200
    finally:
        stop()
