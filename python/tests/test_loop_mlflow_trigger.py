"""A data scientist's `mlflow.register_model` starts a loop's gate (issue 17, registry trigger), through the
unmodified mlflow client against a running Ferry: a loop with a registry trigger on a deployment serving version 1
(credit_gbdt); another user registers credit_gbdt_v2 as version 2; the loop runs, judges version 2 without training
and rejects it at the gate (its accuracy on the holdout is lower), naming that user as the run's author."""
import time
from pathlib import Path

import mlflow
import mlflow.onnx
import onnx

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "test" / "fixtures" / "models"
# The server polls automatic triggers every 10 s by default; a run starts within that, then judges in seconds.
WAIT_S = 90


def log_onnx(path: Path):
    with mlflow.start_run() as run:
        mlflow.onnx.log_model(onnx.load(str(path)), name="model")
    return run.info.run_id


def wait_for(what, probe, timeout_s=WAIT_S):
    end = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value is not None:
            return value
        assert time.monotonic() < end, f"timed out waiting for {what}"
        time.sleep(0.5)


def test_register_model_by_another_user_starts_the_gate(admin_api, unique, monkeypatch):
    model, deployment, loop, dataset = unique("credit"), unique("dep"), unique("loop"), unique("holdout")
    r = admin_api("POST", f"/api/v1/datasets/{dataset}/versions", params={"filename": "credit_train.csv"},
                  data=(REPO / "demo" / "credit_train.csv").read_bytes(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    mlflow.set_experiment(unique("loop-trigger"))
    v1 = mlflow.register_model(f"runs:/{log_onnx(MODELS / 'credit_gbdt.onnx')}/model", model)
    assert str(v1.version) == "1"
    r = admin_api("POST", "/api/v1/deployments", json={"name": deployment, "routes": [{"model": model, "version": "1"}]})
    assert r.status_code == 200, r.text
    r = admin_api("POST", "/api/v1/loops", json={
        "name": loop, "model": model, "deployment": deployment,
        "triggers": [{"kind": "registry"}],
        "gate": {"holdout": {"dataset": dataset}, "production_window": None, "label": "default",
                 "thresholds": [{"metric": "accuracy", "absolute": -0.01}]},
        "rollout": {"shadow": None, "steps": []},
    })
    assert r.status_code == 201, r.text

    # Another user, with a token of her own, registers a version through the mlflow client.
    r = admin_api("POST", "/api/v1/tokens", json={"name": f"dana-{loop[-8:]}", "role": "editor"})
    assert r.status_code == 200, r.text
    dana = r.json()
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", dana["token"])
    v2 = mlflow.register_model(f"runs:/{log_onnx(MODELS / 'credit_gbdt_v2.onnx')}/model", model)
    assert str(v2.version) == "2"

    def first_run():
        runs = admin_api("GET", f"/api/v1/loops/{loop}/runs").json()["loop_runs"]
        return runs[0] if runs else None

    started = wait_for("a loop run", first_run)
    assert started["trigger"] == "registry"
    assert started["author"] == dana["name"]

    def ended():
        run = admin_api("GET", f"/api/v1/loops/{loop}/runs/{started['seq']}").json()["loop_run"]
        return run if run["ended_at"] is not None else None

    run = wait_for("the run to end", ended)
    kinds = [f"{s['kind']}:{s['status']}" for s in run["steps"]]
    assert kinds == ["triggered:info", "registered:passed", "evaluating:failed", "rejected:failed"], kinds
    assert run["state"] == "rejected"
    assert run["candidate_version"] == "2" and run["champion_version"] == "1"
    assert run["steps"][0]["reason"] == f"Version 2 of {model} was registered by {dana['name']}."
    assert "named by the registry trigger" in run["steps"][1]["reason"]
    assert run["steps"][2]["reason"].startswith(f"Rejected: on {dataset} v1, slice all, accuracy fell from 0.751 to 0.724")
    # The deployment still serves version 1.
    dep = admin_api("GET", f"/api/v1/deployments/{deployment}").json()["deployment"]
    assert dep["spec"]["routes"] == [{"model": model, "version": "1", "weight": 100}]
