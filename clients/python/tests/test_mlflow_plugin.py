"""The MLflow deployments plugin (target ``ferry``) against a real server: the ``mlflow deployments`` CLI as a
subprocess and ``mlflow.deployments.get_deploy_client`` in process, on models logged with the real mlflow client."""
import json
import os
import pathlib
import subprocess
import sys

import mlflow
import mlflow.onnx
import numpy as np
import onnx
import pandas as pd
import pytest
import requests
from mlflow.deployments import PredictionsResponse, get_deploy_client
from mlflow.exceptions import MlflowException

MODELS = pathlib.Path(__file__).resolve().parents[3] / "test" / "fixtures" / "models"
MLFLOW = str(pathlib.Path(sys.executable).parent / "mlflow")
EXPECTED = json.loads((MODELS / "breast_cancer_logreg.expected.json").read_text())
ROWS = [dict(zip(EXPECTED["feature_names"], row)) for row in EXPECTED["inputs"]["float_input"]]


@pytest.fixture
def onnx_model(mlflow_env, unique):
    """A registered model with two versions, each an ONNX model logged with mlflow.onnx.log_model."""
    name = unique("plugin")
    mlflow.set_experiment(unique("plugin"))
    for _ in range(2):
        with mlflow.start_run():
            mlflow.onnx.log_model(onnx.load(str(MODELS / "breast_cancer_logreg.onnx")), name="model", registered_model_name=name)
    return name


def _spec(server, dep):
    r = requests.get(f"{server['url']}/api/v1/deployments/{dep}", headers={"Authorization": f"Bearer {server['token']}"}, timeout=30)
    return r


def _mlflow_cli(server, *args, uri_env=True):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FERRY_", "MLFLOW_TRACKING"))}
    env["MLFLOW_TRACKING_TOKEN"] = server["token"]
    if uri_env:
        env["MLFLOW_TRACKING_URI"] = server["url"]
    return subprocess.run([MLFLOW, "deployments", *args], env=env, capture_output=True, text=True, timeout=180)


def _check_predictions(predictions):
    assert [p["label"] for p in predictions] == EXPECTED["outputs"]["label"]
    np.testing.assert_allclose([p["probabilities"] for p in predictions], EXPECTED["outputs"]["probabilities"], rtol=1e-5, atol=1e-5)


def test_cli_create_get_list_update_predict_delete(ferry_server, onnx_model, unique, tmp_path):
    dep = unique("cli")
    r = _mlflow_cli(ferry_server, "create", "-t", "ferry", "-m", f"models:/{onnx_model}/1", "--name", dep)
    assert r.returncode == 0, r.stderr
    assert f"onnx deployment {dep} is created" in r.stdout
    assert _spec(ferry_server, dep).json()["deployment"]["spec"]["routes"] == [{"model": onnx_model, "version": "1", "weight": 100}]

    # The server named in the target URI (no MLFLOW_TRACKING_URI), in both forms.
    r = _mlflow_cli(ferry_server, "get", "-t", f"ferry:/{ferry_server['url']}", "--name", dep, uri_env=False)
    assert r.returncode == 0, r.stderr
    assert f"name: {dep}" in r.stdout and "flavor: onnx" in r.stdout and "revision: 1" in r.stdout
    r = _mlflow_cli(ferry_server, "list", "-t", "ferry://" + ferry_server["url"].split("://", 1)[1], uri_env=False)
    assert r.returncode == 0, r.stderr
    assert f"'name': '{dep}'" in r.stdout

    # A 10% canary of version 2; the route already serving keeps the rest.
    r = _mlflow_cli(ferry_server, "update", "-t", "ferry", "--name", dep, "-m", f"models:/{onnx_model}/2", "-C", "canary_weight=10")
    assert r.returncode == 0, r.stderr
    assert f"Deployment {dep} is updated (with flavor onnx)" in r.stdout
    got = _spec(ferry_server, dep).json()["deployment"]
    assert got["revision"] == 2
    assert got["spec"]["routes"] == [
        {"model": onnx_model, "version": "1", "weight": 90},
        {"model": onnx_model, "version": "2", "weight": 10},
    ]

    rows = tmp_path / "rows.json"
    rows.write_text(json.dumps(ROWS))
    out = tmp_path / "out.json"
    r = _mlflow_cli(ferry_server, "predict", "-t", "ferry", "--name", dep, "--input-path", str(rows), "--output-path", str(out))
    assert r.returncode == 0, r.stderr
    answer = json.loads(out.read_text())
    _check_predictions(answer["predictions"])
    assert answer["deployment"] == dep and answer["model_version"] in ("1", "2") and answer["request_id"]

    r = _mlflow_cli(ferry_server, "help", "-t", "ferry")
    assert r.returncode == 0 and "canary_weight" in r.stdout and "models:/NAME@ALIAS" in r.stdout

    r = _mlflow_cli(ferry_server, "delete", "-t", "ferry", "--name", dep)
    assert r.returncode == 0, r.stderr
    assert f"Deployment {dep} is deleted" in r.stdout
    assert _spec(ferry_server, dep).status_code == 404
    # Deletion is idempotent (the plugin contract); getting it now fails with Ferry's code.
    assert _mlflow_cli(ferry_server, "delete", "-t", "ferry", "--name", dep).returncode == 0
    r = _mlflow_cli(ferry_server, "get", "-t", "ferry", "--name", dep)
    assert r.returncode != 0 and "RESOURCE_DOES_NOT_EXIST" in r.stderr


def test_cli_refusals_name_the_problem(ferry_server, onnx_model, unique):
    dep = unique("cli")
    r = _mlflow_cli(ferry_server, "create", "-t", "ferry", "-m", f"models:/{onnx_model}/1", "--name", dep, "-C", "canary=10")
    assert r.returncode != 0 and "unknown config key(s) canary" in r.stderr
    r = _mlflow_cli(ferry_server, "create", "-t", "ferry", "-m", "runs:/0123/model", "--name", dep)
    assert r.returncode != 0 and "Ferry deploys registered model versions" in r.stderr
    r = _mlflow_cli(ferry_server, "create", "-t", "ferry", "-m", f"models:/{onnx_model}/1", "--name", dep, "-f", "sklearn")
    assert r.returncode != 0 and "Ferry serves every model as ONNX" in r.stderr
    r = _mlflow_cli(ferry_server, "run-local", "-t", "ferry", "-m", f"models:/{onnx_model}/1", "--name", dep)
    assert r.returncode != 0 and "npx ferry server" in r.stderr
    # A version that does not exist: the server's 400 comes back with its code, nothing is created.
    r = _mlflow_cli(ferry_server, "create", "-t", "ferry", "-m", f"models:/{onnx_model}/9", "--name", dep)
    assert r.returncode != 0 and "INVALID_PARAMETER_VALUE" in r.stderr
    assert _spec(ferry_server, dep).status_code == 404


def test_python_client_alias_options_predict_explain_delete(ferry_server, onnx_model, unique, monkeypatch):
    mlflow.MlflowClient().set_registered_model_alias(onnx_model, "champion", "2")
    client = get_deploy_client("ferry")  # MLFLOW_TRACKING_URI / _TOKEN from mlflow_env
    assert client.client.url == ferry_server["url"]
    dep = unique("py")
    created = client.create_deployment(
        dep,
        f"models:/{onnx_model}@champion",
        config={"shadow": f"models:/{onnx_model}/1", "sticky_key": "user_id", "max_batch_size": "64", "timeout": "120"},
    )
    assert created["name"] == dep and created["flavor"] == "onnx"
    spec = created["spec"]
    assert spec["routes"] == [{"model": onnx_model, "alias": "champion", "weight": 100}]
    assert spec["shadow"] == [{"model": onnx_model, "version": "1"}]
    assert spec["sticky_key"] == "user_id" and spec["batching"]["max_batch_size"] == 64
    assert [s["version"] for s in created["status"]["routes"] if s["state"] == "ready"] == ["2", "1"]

    assert dep in [d["name"] for d in client.list_deployments()]
    assert client.get_deployment(dep)["revision"] == 1

    # Every input form gives the same predictions; the answer is mlflow's PredictionsResponse.
    df = pd.DataFrame(ROWS)
    for inputs in (df, ROWS, {"dataframe_records": ROWS}, {c: df[c].tolist() for c in df.columns}):
        answer = client.predict(dep, inputs)
        assert isinstance(answer, PredictionsResponse)
        _check_predictions(answer["predictions"])
        assert answer["model_version"] == "2"
    frame = client.predict(dep, df).get_predictions()
    assert list(frame["label"]) == EXPECTED["outputs"]["label"]

    # A missing value (NaN in the DataFrame) travels as null, which JSON can carry and Ferry reads as missing.
    missing = df.copy()
    missing.iloc[0, 0] = np.nan
    assert len(client.predict(dep, missing)["predictions"]) == len(ROWS)
    # A wrong type is Ferry's 400, raised as mlflow's exception with Ferry's code and the feature named.
    bad = df.astype({EXPECTED["feature_names"][0]: object})
    bad.iloc[0, 0] = "x"
    with pytest.raises(MlflowException) as e:
        client.predict(dep, bad)
    assert e.value.error_code == "INVALID_PARAMETER_VALUE" and EXPECTED["feature_names"][0] in str(e.value)

    # explain: Shapley values from Ferry's explain route, against the deployment's reference (a dataset version).
    h = {"Authorization": f"Bearer {ferry_server['token']}"}
    data = unique("background")
    r = requests.post(f"{ferry_server['url']}/api/v1/datasets/{data}/versions", data=df.to_csv(index=False), headers={**h, "Content-Type": "text/csv"}, timeout=60)
    assert r.status_code in (200, 201), r.text
    r = requests.put(f"{ferry_server['url']}/api/v1/deployments/{dep}/reference", json={"dataset": f"{data}@1"}, headers=h, timeout=60)
    assert r.status_code == 200, r.text
    explained = client.explain(dep, df.head(2))
    assert explained["model_version"] == "2" and explained["background"]["dataset"] == data
    assert len(explained["explanations"]) == 2
    for row in explained["explanations"]:
        for out, (phi, fx) in enumerate(zip(row["attributions"], row["prediction"])):
            assert set(phi) == set(EXPECTED["feature_names"])
            assert abs(explained["base_values"][out] + sum(phi.values()) - fx) <= 1e-6 * max(1.0, abs(fx))

    # Update without a model: the sticky key goes, shadow and routes stay; "latest" resolves to version 2.
    updated = client.update_deployment(dep, config={"sticky_key": ""})
    assert "sticky_key" not in updated["spec"] and updated["spec"]["shadow"] == spec["shadow"] and updated["revision"] == 2
    updated = client.update_deployment(dep, f"models:/{onnx_model}/latest", config={"shadow": ""})
    assert updated["spec"]["routes"] == [{"model": onnx_model, "version": "2", "weight": 100}] and updated["spec"]["shadow"] == []

    client.delete_deployment(dep)
    client.delete_deployment(dep)
    with pytest.raises(MlflowException) as e:
        client.get_deployment(dep)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_python_client_refusals(ferry_server, onnx_model, unique):
    client = get_deploy_client(f"ferry:/{ferry_server['url']}")
    dep = unique("py")
    for uri, config, message in (
        (f"models:/{onnx_model}/1", {"canary_weight": "10"}, "canary_weight applies to update"),
        (f"models:/{onnx_model}/1", {"max_batch_size": "1.5"}, "not a whole number"),
        (f"models:/{onnx_model}/1", {"timeout": "inf"}, "not a finite number"),
        (f"models:/{onnx_model}", {}, "expected models:/NAME/VERSION"),
        (f"models:/{onnx_model}/Production", {}, "has no version in stage 'Production'"),
    ):
        with pytest.raises(MlflowException, match=message):
            client.create_deployment(dep, uri, config=config)
    client.create_deployment(dep, f"models:/{onnx_model}/1")
    with pytest.raises(MlflowException, match="canary_weight needs the model"):
        client.update_deployment(dep, config={"canary_weight": 10})
    with pytest.raises(MlflowException, match="at most 100"):
        client.update_deployment(dep, f"models:/{onnx_model}/2", config={"canary_weight": 150})
    with pytest.raises(MlflowException, match="no endpoints"):
        client.get_deployment(dep, endpoint="e")
    # The whole canary: 100 sends everything to the new version.
    done = client.update_deployment(dep, f"models:/{onnx_model}/2", config={"canary_weight": 100})
    assert done["spec"]["routes"] == [{"model": onnx_model, "version": "2", "weight": 100}]
    client.delete_deployment(dep)
    with pytest.raises(MlflowException) as e:
        client.predict(dep, ROWS)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_sklearn_model_deploys_through_the_conversion(ferry_server, mlflow_env, unique):
    """A pipeline logged with mlflow.sklearn.log_model (no onnx flavor): create converts it on the server, checks it,
    and serves predictions equal to scikit-learn's."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)
    name = unique("sk")
    mlflow.set_experiment(unique("plugin"))
    with mlflow.start_run():
        mlflow.sklearn.log_model(model, name="model", registered_model_name=name, input_example=X.head(5), serialization_format="cloudpickle")

    client = get_deploy_client("ferry")
    dep = unique("sk")
    created = client.create_deployment(dep, f"models:/{name}/1", config={"timeout": 900})
    assert created["flavor"] == "onnx" and [r["state"] for r in created["status"]["routes"]] == ["ready"]
    rows = X.tail(50)
    answer = client.predict(dep, rows)
    assert answer["model_version"] == "1"
    assert [p["label"] for p in answer["predictions"]] == model.predict(rows).tolist()
    np.testing.assert_allclose([p["probabilities"] for p in answer["predictions"]], model.predict_proba(rows), rtol=0, atol=1e-5)
    client.delete_deployment(dep)
