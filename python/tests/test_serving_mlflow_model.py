"""A model logged with the real mlflow client (mlflow.onnx.log_model + registered_model_name) is servable as is."""
import json
import pathlib

import mlflow
import mlflow.onnx
import numpy as np
import onnx
import requests

MODELS = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "models"


def test_logged_onnx_model_deploys_and_predicts(ferry_server, unique):
    exp = json.loads((MODELS / "breast_cancer_logreg.expected.json").read_text())
    name = unique("cancer")
    mlflow.set_experiment(unique("serving"))
    with mlflow.start_run():
        mlflow.onnx.log_model(onnx.load(str(MODELS / "breast_cancer_logreg.onnx")), name="model", registered_model_name=name)
    h = {"Authorization": f"Bearer {ferry_server['token']}"}
    api = ferry_server["url"]
    deployment = name.lower().replace("_", "-")[:60]
    r = requests.post(f"{api}/api/v1/deployments", json={"name": deployment, "routes": [{"model": name, "version": "1"}]}, headers=h, timeout=60)
    assert r.status_code == 200, r.text
    rows = [dict(zip(exp["feature_names"], row)) for row in exp["inputs"]["float_input"]]
    r = requests.post(f"{api}/api/v1/deployments/{deployment}/predict", json={"dataframe_records": rows}, headers=h, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["model_version"] == "1"
    assert [p["label"] for p in body["predictions"]] == exp["outputs"]["label"]
    np.testing.assert_allclose([p["probabilities"] for p in body["predictions"]], exp["outputs"]["probabilities"], rtol=1e-5, atol=1e-5)


def test_named_tensor_input_like_mlflow_scoring_server(ferry_server, unique):
    """A model whose ONNX input "X" is a [N, 64] tensor takes MLflow's tensor forms: {"inputs": {"X": rows}} and {"inputs": rows}."""
    from skl2onnx import to_onnx
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression

    X, y = load_digits(return_X_y=True)
    X = X.astype(np.float32)
    clf = LogisticRegression(max_iter=300).fit(X[:1000], y[:1000])
    onx = to_onnx(clf, X[:1], options={id(clf): {"zipmap": False}}, target_opset=17)
    # skl2onnx names the input after the array it was given: one [None, 64] float tensor "X".
    assert [(i.name, len(i.type.tensor_type.shape.dim)) for i in onx.graph.input] == [("X", 2)]
    onnx.checker.check_model(onx)

    name = unique("digits")
    mlflow.set_experiment(unique("serving"))
    with mlflow.start_run():
        mlflow.onnx.log_model(onx, name="model", registered_model_name=name)
    h = {"Authorization": f"Bearer {ferry_server['token']}"}
    api = ferry_server["url"]
    deployment = name.lower().replace("_", "-")[:60]
    r = requests.post(f"{api}/api/v1/deployments", json={"name": deployment, "routes": [{"model": name, "version": "1"}]}, headers=h, timeout=60)
    assert r.status_code == 200, r.text
    rows = X[1000:1010]
    want = clf.predict(rows).tolist()
    for body in ({"inputs": {"X": rows.tolist()}}, {"inputs": rows.tolist()}):
        r = requests.post(f"{api}/api/v1/deployments/{deployment}/predict", json=body, headers=h, timeout=30)
        assert r.status_code == 200, r.text
        assert [p["label"] for p in r.json()["predictions"]] == want
    r = requests.post(f"{api}/api/v1/deployments/{deployment}/predict", json={"inputs": {"X": [rows[0].tolist()[:10]]}}, headers=h, timeout=30)
    assert r.status_code == 400
    assert "X" in r.json()["detail"]
