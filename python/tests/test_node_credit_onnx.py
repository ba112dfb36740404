"""examples/node-credit (Node only: a logistic regression and a hand-encoded ONNX file) against independent references.

train.mjs runs against the session's Ferry server on the demo table. Then: the ONNX file passes onnx.checker and
onnxruntime's probabilities equal a numpy computation of the logistic model from model/weights.json (to 1e-6) on the
table itself (missing values) plus unseen categories; the preprocessing in weights.json is what pandas computes on the
training rows; the weights are scikit-learn's LogisticRegression on those rows (same penalty); and the metrics the run
logged are scikit-learn's on the held-out rows. And `mlflow run` runs the project unchanged.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import mlflow
import numpy as np
import onnxruntime as ort
import pandas as pd
import pytest
import requests
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

REPO = Path(__file__).resolve().parents[2]
TABLE = REPO / "demo" / "credit_train.csv"
TRAIN = REPO / "examples" / "node-credit" / "train.mjs"
NUMERIC = ["age", "income", "debt_ratio", "credit_lines", "months_employed"]
CATEGORICAL = ["home_ownership", "purpose"]
L2 = 0.01


@pytest.fixture(scope="module")
def trained(ferry_server, tmp_path_factory):
    """Pushes the demo table, runs train.mjs on it (a run of its own), and downloads the run's model/ folder."""
    base, token = ferry_server["url"], ferry_server["token"]
    h = {"Authorization": f"Bearer {token}"}
    dataset = "node-credit-" + os.urandom(4).hex()
    r = requests.post(f"{base}/api/v1/datasets/{dataset}/versions?filename=credit_train.csv", data=TABLE.read_bytes(), headers={**h, "Content-Type": "text/csv"}, timeout=60)
    assert r.status_code == 201, r.text
    r = requests.post(f"{base}/api/2.0/mlflow/experiments/create", json={"name": dataset}, headers=h, timeout=30)
    assert r.status_code == 200, r.text
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env.update(MLFLOW_TRACKING_URI=base, MLFLOW_TRACKING_TOKEN=token, MLFLOW_EXPERIMENT_ID=r.json()["experiment_id"])
    proc = subprocess.run(
        ["node", str(TRAIN), "--dataset", dataset, "--registered-model", dataset, "--l2", str(L2)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert f"registered {dataset} version 1" in proc.stdout
    run_id = re.search(r"^run ([0-9a-f]{32}):", proc.stdout, re.M).group(1)
    # The run's model/ folder, read back through the mlflow-artifacts proxy the script uploaded it with.
    r = requests.get(f"{base}/api/2.0/mlflow/runs/get", params={"run_id": run_id}, headers=h, timeout=30)
    root = re.sub(r"^mlflow-artifacts:/*", "", r.json()["run"]["info"]["artifact_uri"])
    local = tmp_path_factory.mktemp("node-credit")
    for name in ("model.onnx", "weights.json", "MLmodel"):
        r = requests.get(f"{base}/api/2.0/mlflow-artifacts/artifacts/{root}/model/{name}", headers=h, timeout=30)
        assert r.status_code == 200, r.text
        (local / name).write_bytes(r.content)
    return {"run_id": run_id, "dir": local, "weights": json.loads((local / "weights.json").read_text()), "model": dataset}


def table() -> pd.DataFrame:
    return pd.read_csv(TABLE, keep_default_na=False, na_values=[""])


def onnx_inputs(df: pd.DataFrame) -> dict:
    """The demo models' interface: [N, 1] float32 per number (NaN = missing), [N, 1] string per category ("" = missing)."""
    feeds = {c: df[[c]].to_numpy(np.float32) for c in NUMERIC}
    feeds.update({c: df[[c]].fillna("").astype(str).to_numpy(object) for c in CATEGORICAL})
    return feeds


def reference_proba(df: pd.DataFrame, w: dict) -> np.ndarray:
    """P(default) by numpy in float64, from weights.json: impute, standardise, one-hot (unknown = zeros), logistic."""
    cols = []
    for c in w["numeric"]:
        x = df[c["name"]].to_numpy(np.float32).astype(np.float64)
        cols.append((np.where(np.isnan(x), c["median"], x) - c["mean"]) / c["std"])
    for c in w["categorical"]:
        v = df[c["name"]].fillna("").astype(str).to_numpy()
        cols.extend((v == k).astype(np.float64) for k in c["categories"])
    z = np.column_stack(cols) @ np.asarray(w["weights"], np.float64) + w["intercept"]
    return 1.0 / (1.0 + np.exp(-z))


def test_onnx_is_valid_and_has_the_demo_models_interface(trained):
    onnx = pytest.importorskip("onnx")
    m = onnx.load(str(trained["dir"] / "model.onnx"))
    onnx.checker.check_model(m, full_check=True)
    ins = {i.name: (i.type.tensor_type.elem_type, [d.dim_value or None for d in i.type.tensor_type.shape.dim]) for i in m.graph.input}
    assert ins == {**{c: (onnx.TensorProto.FLOAT, [None, 1]) for c in NUMERIC}, **{c: (onnx.TensorProto.STRING, [None, 1]) for c in CATEGORICAL}}
    outs = {o.name: (o.type.tensor_type.elem_type, [d.dim_value or None for d in o.type.tensor_type.shape.dim]) for o in m.graph.output}
    assert outs == {"label": (onnx.TensorProto.INT64, [None]), "probabilities": (onnx.TensorProto.FLOAT, [None, 2])}
    assert "flavors:\n  onnx:\n    code: null\n    data: model.onnx" in (trained["dir"] / "MLmodel").read_text()


def test_onnxruntime_matches_numpy_on_the_table_with_missing_values_and_unseen_categories(trained):
    df = table()
    extra = pd.DataFrame(
        [
            {"age": np.nan, "income": np.nan, "debt_ratio": np.nan, "credit_lines": np.nan, "months_employed": np.nan, "home_ownership": None, "purpose": None},
            {"age": 30, "income": 40000, "debt_ratio": 0.5, "credit_lines": 2, "months_employed": 12, "home_ownership": "houseboat", "purpose": "spaceship"},
            {"age": 80, "income": 1e6, "debt_ratio": 0.0, "credit_lines": 20, "months_employed": 500, "home_ownership": "own", "purpose": "vacation"},
        ]
    )
    df = pd.concat([df, extra], ignore_index=True)
    assert df[NUMERIC + CATEGORICAL].isna().any(axis=1).sum() > 500  # many rows exercise the missing-value paths
    label, proba = ort.InferenceSession(str(trained["dir"] / "model.onnx")).run(["label", "probabilities"], onnx_inputs(df))
    p = reference_proba(df, trained["weights"])
    assert proba.shape == (len(df), 2) and label.shape == (len(df),) and label.dtype == np.int64
    np.testing.assert_allclose(proba[:, 1], p, rtol=0, atol=1e-6)
    np.testing.assert_allclose(proba[:, 0], 1 - p, rtol=0, atol=1e-6)
    clear = np.abs(p - 0.5) > 1e-6
    np.testing.assert_array_equal(label[clear], (p[clear] > 0.5).astype(np.int64))
    assert 0 < label.mean() < 1


def test_preprocessing_weights_and_metrics_match_pandas_and_scikit_learn(trained):
    w = trained["weights"]
    df = table()
    test_rows = np.asarray(w["test_rows"])
    assert len(test_rows) == 500 and w["label_noise"] == 0
    train = df.drop(index=test_rows)
    test = df.iloc[test_rows]
    # Stratified: each class keeps its share in the held-out rows (within one row of rounding).
    assert abs(test["default"].sum() - round(0.25 * df["default"].sum())) <= 1

    # The preprocessing, learnt on the training rows only (float32-rounded, as the ONNX file holds it).
    for c in w["numeric"]:
        x = train[c["name"]].to_numpy(np.float32).astype(np.float64)
        med = np.float32(np.nanmedian(x))
        filled = np.where(np.isnan(x), med, x)
        np.testing.assert_allclose([c["median"], c["mean"], c["std"]], [med, filled.mean(), filled.std()], rtol=1e-6)
    for c in w["categorical"]:
        assert c["categories"] == sorted(train[c["name"]].fillna("").astype(str).unique())

    # The weights: scikit-learn minimises C·Σ log loss + |w|²/2 (intercept free), the same as mean log loss + l2/2·|w|²
    # when C = 1 / (l2 · n).
    def features(d):
        cols = [(np.where(np.isnan(x := d[c["name"]].to_numpy(np.float32).astype(np.float64)), c["median"], x) - c["mean"]) / c["std"] for c in w["numeric"]]
        for c in w["categorical"]:
            v = d[c["name"]].fillna("").astype(str).to_numpy()
            cols.extend((v == k).astype(np.float64) for k in c["categories"])
        return np.column_stack(cols)

    clf = LogisticRegression(C=1 / (L2 * len(train)), tol=1e-12, max_iter=10_000).fit(features(train), train["default"])
    np.testing.assert_allclose(w["weights"], clf.coef_[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(w["intercept"], clf.intercept_[0], rtol=0, atol=1e-5)

    # The metrics the run logged: scikit-learn's on the held-out rows.
    metrics = mlflow.get_run(trained["run_id"]).data.metrics
    p = reference_proba(test, w)
    y = test["default"].to_numpy()
    assert metrics["accuracy"] == pytest.approx(accuracy_score(y, (p > 0.5).astype(int)), abs=1e-12)
    assert metrics["log_loss"] == pytest.approx(log_loss(y, p), abs=1e-9)
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-9)
    assert metrics["accuracy"] > 0.6


def test_mlflow_run_runs_the_project_unchanged(ferry_server, admin_api, unique):
    """`mlflow run` (mlflow's own project runner, Ferry only its tracking server) runs the Node command as is."""
    dataset = unique("node-credit-mlflow")
    r = admin_api("POST", f"/api/v1/datasets/{dataset}/versions?filename=credit_train.csv", data=TABLE.read_bytes(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    env = {**os.environ, "MLFLOW_TRACKING_URI": ferry_server["url"], "MLFLOW_TRACKING_TOKEN": ferry_server["token"]}
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("mlflow")), "run", str(TRAIN.parent), "-e", "main", "--env-manager", "local",
         "--experiment-name", dataset, "-P", f"dataset={dataset}", "-P", f"registered_model={dataset}", "-P", "label_noise=0.4"],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert f"registered {dataset} version 1" in proc.stdout
    run_id = re.search(r"^run ([0-9a-f]{32}):", proc.stdout, re.M).group(1)
    run = mlflow.get_run(run_id)
    assert run.info.status == "FINISHED"
    assert run.data.params["label_noise"] == "0.4" and run.data.params["dataset_ref"] == f"{dataset}@1"
    mv = mlflow.MlflowClient().get_model_version(dataset, "1")
    assert mv.run_id == run_id
