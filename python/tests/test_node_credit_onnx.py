"""examples/node-credit (Node only: boosted trees or a logistic regression, a hand-encoded ONNX file) against
independent references.

train.mjs runs against the session's Ferry server on the demo table, once per model. For both: the ONNX file passes
onnx.checker with the demo models' interface, and onnxruntime's probabilities equal a Python evaluation of the model
in model/weights.json (to 1e-6) on the table itself (missing values) plus unseen categories; the preprocessing is what
pandas computes on the training rows; the metrics the run logged are scikit-learn's on the held-out rows.
gbdt (the default): the trees in weights.json are replayed on the training rows (the initial score is the log-odds of
the prevalence, every leaf is the Newton step −Σg/(Σh+1) × learning rate of the rows it holds, no leaf has fewer than
min_samples_leaf rows, no tree is deeper than max_depth), and the fit is about as good as scikit-learn's
HistGradientBoostingClassifier with the same settings on the same split. logreg: the weights are scikit-learn's
LogisticRegression on those rows (same penalty). And `mlflow run` runs the project unchanged.
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
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score

REPO = Path(__file__).resolve().parents[2]
TABLE = REPO / "demo" / "credit_train.csv"
TRAIN = REPO / "examples" / "node-credit" / "train.mjs"
NUMERIC = ["age", "income", "debt_ratio", "credit_lines", "months_employed"]
CATEGORICAL = ["home_ownership", "purpose"]
L2 = 0.01


@pytest.fixture(scope="module")
def runs(ferry_server, tmp_path_factory):
    """train.mjs once per model, on demand."""
    done = {}

    def get(model: str) -> dict:
        if model not in done:
            done[model] = train_once(model, ferry_server, tmp_path_factory)
        return done[model]

    return get


@pytest.fixture(params=["gbdt", "logreg"])
def trained(request, runs):
    return runs(request.param)


@pytest.fixture
def gbdt(runs):
    return runs("gbdt")


@pytest.fixture
def logreg(runs):
    return runs("logreg")


def train_once(model, ferry_server, tmp_path_factory):
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
        ["node", str(TRAIN), "--dataset", dataset, "--registered-model", dataset, "--model", model, "--l2", str(L2)],
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
    weights = json.loads((local / "weights.json").read_text())
    assert weights["model"] == model
    return {"run_id": run_id, "dir": local, "weights": weights, "model": model}


def table() -> pd.DataFrame:
    return pd.read_csv(TABLE, keep_default_na=False, na_values=[""])


def onnx_inputs(df: pd.DataFrame) -> dict:
    """The demo models' interface: [N, 1] float32 per number (NaN = missing), [N, 1] string per category ("" = missing)."""
    feeds = {c: df[[c]].to_numpy(np.float32) for c in NUMERIC}
    feeds.update({c: df[[c]].fillna("").astype(str).to_numpy(object) for c in CATEGORICAL})
    return feeds


def features(df: pd.DataFrame, w: dict) -> np.ndarray:
    """The feature matrix in float64 from weights.json: impute (the median), standardise (logreg only), one-hot
    (unknown = zeros), in the order the model reads them."""
    cols = []
    for c in w["numeric"]:
        x = df[c["name"]].to_numpy(np.float32).astype(np.float64)
        x = np.where(np.isnan(x), c["median"], x)
        cols.append((x - c["mean"]) / c["std"] if w["model"] == "logreg" else x)
    for c in w["categorical"]:
        v = df[c["name"]].fillna("").astype(str).to_numpy()
        cols.extend((v == k).astype(np.float64) for k in c["categories"])
    return np.column_stack(cols)


def leaves(tree: dict, X: np.ndarray) -> np.ndarray:
    """The leaf (node id) each row of X reaches in one tree of weights.json: x <= threshold goes left."""
    node = np.zeros(len(X), dtype=int)
    left, right = np.asarray(tree["left"]), np.asarray(tree["right"])
    feature, threshold = np.asarray(tree["feature"]), np.asarray(tree["threshold"])
    while (inner := left[node] != -1).any():
        go_left = X[np.arange(len(X)), feature[node]] <= threshold[node]
        node = np.where(inner, np.where(go_left, left[node], right[node]), node)
    return node


def scores(X: np.ndarray, w: dict) -> np.ndarray:
    """The raw score (log-odds) of each row, in float64."""
    if w["model"] == "logreg":
        return X @ np.asarray(w["weights"], np.float64) + w["intercept"]
    return w["init"] + sum(np.asarray(t["value"], np.float64)[leaves(t, X)] for t in w["trees"])


def reference_proba(df: pd.DataFrame, w: dict) -> np.ndarray:
    """P(default) from weights.json, computed here: the features, then the model's score, then the sigmoid."""
    return 1.0 / (1.0 + np.exp(-scores(features(df, w), w)))


def test_onnx_is_valid_and_has_the_demo_models_interface(trained):
    onnx = pytest.importorskip("onnx")
    m = onnx.load(str(trained["dir"] / "model.onnx"))
    onnx.checker.check_model(m, full_check=True)
    ins = {i.name: (i.type.tensor_type.elem_type, [d.dim_value or None for d in i.type.tensor_type.shape.dim]) for i in m.graph.input}
    assert ins == {**{c: (onnx.TensorProto.FLOAT, [None, 1]) for c in NUMERIC}, **{c: (onnx.TensorProto.STRING, [None, 1]) for c in CATEGORICAL}}
    outs = {o.name: (o.type.tensor_type.elem_type, [d.dim_value or None for d in o.type.tensor_type.shape.dim]) for o in m.graph.output}
    assert outs == {"label": (onnx.TensorProto.INT64, [None]), "probabilities": (onnx.TensorProto.FLOAT, [None, 2])}
    ops = {(n.domain, n.op_type) for n in m.graph.node}
    if trained["model"] == "gbdt":
        assert ("ai.onnx.ml", "TreeEnsembleRegressor") in ops and ("", "MatMul") not in ops
        assert {(o.domain, o.version) for o in m.opset_import} == {("", 19), ("ai.onnx.ml", 3)}
    else:
        assert ("", "MatMul") in ops and all(d == "" for d, _ in ops)
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


def split(w: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    df = table()
    test_rows = np.asarray(w["test_rows"])
    return df.drop(index=test_rows), df.iloc[test_rows]


def test_preprocessing_and_metrics_match_pandas_and_scikit_learn(trained):
    w = trained["weights"]
    train, test = split(w)
    assert len(test) == 500 and w["label_noise"] == 0
    df = table()
    # Stratified: each class keeps its share in the held-out rows (within one row of rounding).
    assert abs(test["default"].sum() - round(0.25 * df["default"].sum())) <= 1

    # The preprocessing, learnt on the training rows only (float32-rounded, as the ONNX file holds it).
    for c in w["numeric"]:
        x = train[c["name"]].to_numpy(np.float32).astype(np.float64)
        med = np.float32(np.nanmedian(x))
        filled = np.where(np.isnan(x), med, x)
        assert c["median"] == pytest.approx(med, rel=1e-6)
        if w["model"] == "logreg":
            np.testing.assert_allclose([c["mean"], c["std"]], [filled.mean(), filled.std()], rtol=1e-6)
    for c in w["categorical"]:
        assert c["categories"] == sorted(train[c["name"]].fillna("").astype(str).unique())

    # The metrics the run logged: scikit-learn's on the held-out rows.
    metrics = mlflow.get_run(trained["run_id"]).data.metrics
    p = reference_proba(test, w)
    y = test["default"].to_numpy()
    assert metrics["accuracy"] == pytest.approx(accuracy_score(y, (p > 0.5).astype(int)), abs=1e-12)
    assert metrics["log_loss"] == pytest.approx(log_loss(y, p), abs=1e-9)
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(y, p), abs=1e-9)
    assert metrics["accuracy"] > 0.67 and metrics["roc_auc"] > 0.7


def test_logreg_weights_are_scikit_learns(logreg):
    w = logreg["weights"]
    train, _ = split(w)
    # scikit-learn minimises C·Σ log loss + |w|²/2 (intercept free), the same as mean log loss + l2/2·|w|²
    # when C = 1 / (l2 · n).
    clf = LogisticRegression(C=1 / (L2 * len(train)), tol=1e-12, max_iter=10_000).fit(features(train, w), train["default"])
    np.testing.assert_allclose(w["weights"], clf.coef_[0], rtol=0, atol=1e-5)
    np.testing.assert_allclose(w["intercept"], clf.intercept_[0], rtol=0, atol=1e-5)


def test_gbdt_trees_replay_as_newton_boosting_on_the_training_rows(gbdt):
    w = gbdt["weights"]
    train, _ = split(w)
    X, y = features(train, w), train["default"].to_numpy()
    assert (w["n_estimators"], w["max_depth"], w["learning_rate"], w["min_samples_leaf"]) == (100, 3, 0.1, 20)
    assert len(w["trees"]) == 100
    assert w["init"] == pytest.approx(np.log(y.mean() / (1 - y.mean())), rel=1e-6)
    z = np.full(len(X), w["init"], np.float64)
    n_cat = sum(len(c["categories"]) for c in w["categorical"])
    for tree in w["trees"]:
        left = np.asarray(tree["left"])
        # Depth: every node's path from the root is at most max_depth splits long.
        depth = np.zeros(len(left), dtype=int)
        for i in range(len(left)):
            if left[i] != -1:
                depth[left[i]] = depth[tree["right"][i]] = depth[i] + 1
        assert depth.max() <= 3
        for i in np.flatnonzero(left != -1):  # one-hot columns (after the numbers) split at 0.5
            if tree["feature"][i] >= len(X[0]) - n_cat:
                assert tree["threshold"][i] == 0.5
        p = 1 / (1 + np.exp(-z))
        g, h = p - y, p * (1 - p)
        leaf = leaves(tree, X)
        for node in np.unique(leaf):
            rows = leaf == node
            assert rows.sum() >= 20
            newton = -0.1 * g[rows].sum() / (h[rows].sum() + 1)
            assert tree["value"][node] == pytest.approx(newton, rel=1e-6, abs=1e-9)
        assert set(np.unique(leaf)) == set(np.flatnonzero(left == -1))  # no empty leaf
        z += np.asarray(tree["value"], np.float64)[leaf]


def test_gbdt_fits_about_as_well_as_scikit_learns_hist_gradient_boosting(gbdt):
    w = gbdt["weights"]
    train, test = split(w)
    hgb = HistGradientBoostingClassifier(
        max_iter=100, max_depth=3, learning_rate=0.1, min_samples_leaf=20, l2_regularization=1.0, max_bins=33, early_stopping=False,
    ).fit(features(train, w), train["default"])
    y = test["default"].to_numpy()
    ours = reference_proba(test, w)
    theirs = hgb.predict_proba(features(test, w))[:, 1]
    # Not the same model (other bin edges, no missing-value branches, other tie-breaks), but the same kind of fit.
    assert abs(roc_auc_score(y, ours) - roc_auc_score(y, theirs)) < 0.03
    assert abs(accuracy_score(y, ours > 0.5) - accuracy_score(y, theirs > 0.5)) < 0.03
    assert abs(log_loss(y, ours) - log_loss(y, theirs)) < 0.03
    assert np.corrcoef(ours, theirs)[0, 1] > 0.9


def test_mlflow_run_runs_the_project_unchanged(ferry_server, admin_api, unique):
    """`mlflow run` (mlflow's own project runner, Ferry only its tracking server) runs the Node command as is."""
    dataset = unique("node-credit-mlflow")
    r = admin_api("POST", f"/api/v1/datasets/{dataset}/versions?filename=credit_train.csv", data=TABLE.read_bytes(), headers={"Content-Type": "text/csv"})
    assert r.status_code == 201, r.text
    # Another test (or the shell) may have left MLFLOW_EXPERIMENT_ID/NAME behind: mlflow run refuses both with --experiment-name.
    env = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_RUN_ID")}
    env.update({"MLFLOW_TRACKING_URI": ferry_server["url"], "MLFLOW_TRACKING_TOKEN": ferry_server["token"]})
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
