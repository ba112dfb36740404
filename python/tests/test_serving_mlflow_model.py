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
