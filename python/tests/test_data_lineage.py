"""Lineage through the unmodified mlflow client: log_input links a run to a Ferry dataset version by digest."""
import io

import mlflow
import pandas as pd
from mlflow import MlflowClient


def _push(admin_api, name, df, filename="train.csv"):
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    r = admin_api("POST", f"/api/v1/datasets/{name}/versions", params={"filename": filename},
                  data=buf.getvalue().encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code in (200, 201), r.text
    return r.json()["version"]


def test_log_input_links_run_and_model_version_to_dataset_version(admin_api, ferry_server, unique):
    name = unique("credit")
    df = pd.DataFrame({"income": [40_000.0, 52_000.5, 61_000.0, 75_500.0], "purpose": ["car", "home", "car", "edu"], "y": [0, 1, 0, 1]})
    version = _push(admin_api, name, df)
    assert version["version"] == 1 and version["rows"] == 4
    # Same bytes again: the same version, not a new one.
    assert _push(admin_api, name, df)["version"] == 1

    mlflow.set_experiment(unique("exp"))
    source = f"{ferry_server['url']}/api/v1/datasets/{name}/versions/1/file"
    ds = mlflow.data.from_pandas(df, source=source, name=name, targets="y", digest=version["digest"])
    with mlflow.start_run() as run:
        mlflow.log_input(ds, context="training")
    # A short digest (as shown in tables) links as well, here for the evaluation input.
    ds_eval = mlflow.data.from_pandas(df.head(2), source=source, name=f"{name}-eval", digest=version["digest"][:12])
    with mlflow.start_run(run_id=run.info.run_id):
        mlflow.log_input(ds_eval, context="evaluation")

    model = unique("model")
    client = MlflowClient()
    client.create_registered_model(model)
    mv = client.create_model_version(model, source=f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)

    r = admin_api("GET", f"/api/v1/models/{model}/versions/{mv.version}/lineage")
    assert r.status_code == 200, r.text
    lineage = r.json()["lineage"]
    assert lineage["run"]["run_id"] == run.info.run_id
    by_context = {d["context"]: d for d in lineage["datasets"]}
    assert [v["ref"] for v in by_context["training"]["dataset_versions"]] == [f"{name}@1"]
    assert [v["ref"] for v in by_context["evaluation"]["dataset_versions"]] == [f"{name}@1"]

    r = admin_api("GET", f"/api/v1/datasets/{name}/versions/1/lineage")
    assert r.status_code == 200, r.text
    back = r.json()["lineage"]
    assert {x["run_id"] for x in back["runs"]} == {run.info.run_id}
    assert [(m["name"], m["version"]) for m in back["model_versions"]] == [(model, str(mv.version))]

    # A used version is not deleted by accident.
    r = admin_api("DELETE", f"/api/v1/datasets/{name}/versions/1")
    assert r.status_code == 400 and r.json()["code"] == "INVALID_STATE"
    assert f"model version {model}/{mv.version}" in r.json()["detail"]
    r = admin_api("DELETE", f"/api/v1/datasets/{name}/versions/1", params={"force": "true"})
    assert r.status_code == 200, r.text


def test_inputs_that_are_not_ferry_datasets_stay_unlinked(admin_api, unique):
    mlflow.set_experiment(unique("exp"))
    df = pd.DataFrame({"x": [1.0, 2.0]})
    with mlflow.start_run() as run:
        mlflow.log_input(mlflow.data.from_pandas(df, name="elsewhere"), context="training")
    model = unique("model")
    client = MlflowClient()
    client.create_registered_model(model)
    mv = client.create_model_version(model, source=f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    lineage = admin_api("GET", f"/api/v1/models/{model}/versions/{mv.version}/lineage").json()["lineage"]
    assert lineage["datasets"][0]["name"] == "elsewhere"
    assert lineage["datasets"][0]["dataset_versions"] == []
