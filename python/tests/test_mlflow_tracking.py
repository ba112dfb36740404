"""Tracking API through the unmodified mlflow client."""
import math
import time

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.entities import Metric, Param, RunTag, ViewType
from mlflow.exceptions import MlflowException


@pytest.fixture
def experiment(unique):
    exp = mlflow.set_experiment(unique("exp"))
    return exp


def test_run_lifecycle_params_metrics_tags(experiment):
    with mlflow.start_run(run_name="outer") as parent:
        mlflow.log_param("model", "gbdt")
        mlflow.log_params({"lr": 0.1, "depth": 6})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"acc": 0.9, "f1": 0.8}, step=3)
        mlflow.set_tag("team", "risk-scoring")
        with mlflow.start_run(run_name="inner", nested=True) as child:
            mlflow.log_metric("x", 1)
    run = MlflowClient().get_run(parent.info.run_id)
    assert run.info.status == "FINISHED" and run.info.end_time is not None
    assert run.info.run_name == "outer"
    assert run.info.experiment_id == experiment.experiment_id
    assert run.data.params == {"model": "gbdt", "lr": "0.1", "depth": "6"}
    assert run.data.metrics["loss"] == pytest.approx(0.2)  # latest step wins
    assert run.data.metrics["acc"] == pytest.approx(0.9)
    assert run.data.tags["team"] == "risk-scoring"
    kid = MlflowClient().get_run(child.info.run_id)
    assert kid.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert kid.info.status == "FINISHED"


def test_metric_history_and_non_finite(experiment):
    with mlflow.start_run() as run:
        for step, v in enumerate([0.5, float("nan"), float("inf"), float("-inf"), 0.25]):
            mlflow.log_metric("m", v, step=step, timestamp=1_700_000_000_000 + step)
    hist = sorted(MlflowClient().get_metric_history(run.info.run_id, "m"), key=lambda m: m.step)
    assert [m.step for m in hist] == [0, 1, 2, 3, 4]
    vals = [m.value for m in hist]
    assert vals[0] == 0.5 and math.isnan(vals[1]) and vals[2] == math.inf and vals[3] == -math.inf and vals[4] == 0.25
    assert hist[2].timestamp == 1_700_000_000_002
    with mlflow.start_run() as run2:
        mlflow.log_metric("only_nan", float("nan"))
    assert math.isnan(MlflowClient().get_run(run2.info.run_id).data.metrics["only_nan"])


def test_metric_history_pagination(experiment):
    client = MlflowClient()
    run = client.create_run(experiment.experiment_id)
    ts = int(time.time() * 1000)
    client.log_batch(run.info.run_id, metrics=[Metric("h", float(i), ts, i) for i in range(2500)])
    hist = client.get_metric_history(run.info.run_id, "h")  # the client follows page tokens
    assert sorted(m.step for m in hist) == list(range(2500))


def test_artifacts_files_and_nested_folders(experiment, tmp_path):
    (tmp_path / "a.txt").write_text("hello")
    tree = tmp_path / "tree"
    (tree / "sub" / "deeper").mkdir(parents=True)
    (tree / "top.json").write_text('{"k": 1}')
    (tree / "sub" / "mid.bin").write_bytes(bytes(range(256)) * 40)
    (tree / "sub" / "deeper" / "leaf.csv").write_text("a,b\n1,2\n")
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(tmp_path / "a.txt"))
        mlflow.log_artifact(str(tmp_path / "a.txt"), artifact_path="copies/x")
        mlflow.log_artifacts(str(tree), artifact_path="tree")
        mlflow.log_text("plain", "notes/readme.txt")
    client = MlflowClient()
    rid = run.info.run_id
    top = {f.path: f.is_dir for f in client.list_artifacts(rid)}
    assert top == {"a.txt": False, "copies": True, "tree": True, "notes": True}
    sub = {f.path: (f.is_dir, f.file_size) for f in client.list_artifacts(rid, "tree/sub")}
    assert sub == {"tree/sub/deeper": (True, None), "tree/sub/mid.bin": (False, 10240)}
    out = tmp_path / "dl"
    out.mkdir()
    local = mlflow.artifacts.download_artifacts(run_id=rid, artifact_path="tree", dst_path=str(out))
    for rel in ("top.json", "sub/mid.bin", "sub/deeper/leaf.csv"):
        assert (tree / rel).read_bytes() == (out / "tree" / rel).read_bytes(), rel
    assert local.rstrip("/").endswith("tree")
    one = client.download_artifacts(rid, "copies/x/a.txt", str(out))
    assert open(one).read() == "hello"
    assert mlflow.artifacts.load_text(f"runs:/{rid}/notes/readme.txt") == "plain"


@pytest.fixture
def search_runs(experiment):
    client = MlflowClient()
    specs = [("gbdt", 0.5, "risk-a"), ("gbdt", 0.9, "risk-b"), ("linear", 0.3, "risk-c"),
             ("gbdt", 0.7, "growth"), ("gbdt", 0.1, "risk-d")]
    ids = []
    for i, (model, rmse, team) in enumerate(specs):
        r = client.create_run(experiment.experiment_id, run_name=f"r{i}", tags={"team": team})
        client.log_batch(r.info.run_id, metrics=[Metric("rmse", rmse, 0, 0)], params=[Param("model", model)])
        if i != 4:  # r4 stays RUNNING
            client.set_terminated(r.info.run_id)
        ids.append(r.info.run_id)
    return experiment.experiment_id, ids


def test_search_runs_filters(search_runs):
    eid, ids = search_runs
    df = mlflow.search_runs([eid], filter_string="metrics.rmse < 0.8 and params.model = 'gbdt'",
                            order_by=["metrics.rmse ASC"])
    assert list(df["run_id"]) == [ids[4], ids[0], ids[3]]
    runs = mlflow.search_runs([eid], filter_string="tags.team LIKE 'risk%'", output_format="list",
                              order_by=["attributes.run_name DESC"])
    assert [r.info.run_id for r in runs] == [ids[4], ids[2], ids[1], ids[0]]
    fin = MlflowClient().search_runs([eid], "attributes.status = 'FINISHED'")
    assert {r.info.run_id for r in fin} == set(ids[:4])
    assert MlflowClient().search_runs([eid], "params.model != 'gbdt'")[0].info.run_id == ids[2]


def test_search_runs_order_and_pagination(search_runs):
    eid, ids = search_runs
    client = MlflowClient()
    seen, token = [], None
    while True:
        page = client.search_runs([eid], order_by=["metrics.rmse DESC"], max_results=2, page_token=token)
        assert len(page) <= 2
        seen += [r.info.run_id for r in page]
        token = page.token
        if not token:
            break
    assert seen == [ids[1], ids[3], ids[0], ids[2], ids[4]]


def test_log_param_conflict_raises(experiment):
    with mlflow.start_run():
        mlflow.log_param("p", "a")
        mlflow.log_param("p", "a")  # same value: idempotent
        with pytest.raises(MlflowException) as exc:
            mlflow.log_param("p", "b")
    assert exc.value.error_code == "INVALID_PARAMETER_VALUE"


def test_log_batch_limits(experiment, admin_api):
    client = MlflowClient()
    run = client.create_run(experiment.experiment_id)
    rid, ts = run.info.run_id, int(time.time() * 1000)
    # The client chunks oversized batches itself, so the server sees only legal ones.
    client.log_batch(rid, metrics=[Metric(f"k{i}", i, ts, 0) for i in range(1200)],
                     params=[Param(f"p{i}", "v") for i in range(150)],
                     tags=[RunTag(f"t{i}", "v") for i in range(120)])
    data = client.get_run(rid).data
    assert (len(data.metrics), len(data.params)) == (1200, 150)
    # Sent raw, an oversized batch is refused the way MLflow refuses it.
    too_many = [{"key": f"z{i}", "value": 1, "timestamp": ts, "step": 0} for i in range(1001)]
    for body in ({"metrics": too_many}, {"params": [{"key": f"q{i}", "value": "v"} for i in range(101)]}):
        r = admin_api("POST", "/api/2.0/mlflow/runs/log-batch", json={"run_id": rid, **body})
        assert r.status_code == 400, r.text
        assert r.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_delete_restore_run_and_experiment(unique):
    client = MlflowClient()
    eid = client.create_experiment(unique("del"))
    run = client.create_run(eid)
    client.delete_run(run.info.run_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    assert client.search_runs([eid]) == []
    assert len(client.search_runs([eid], run_view_type=ViewType.DELETED_ONLY)) == 1
    client.restore_run(run.info.run_id)
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"
    name = client.get_experiment(eid).name
    client.delete_experiment(eid)
    assert client.get_experiment(eid).lifecycle_stage == "deleted"
    assert eid not in {e.experiment_id for e in client.search_experiments()}
    assert eid in {e.experiment_id for e in client.search_experiments(view_type=ViewType.DELETED_ONLY)}
    with pytest.raises(MlflowException):
        client.create_experiment(name)  # the name stays taken while deleted
    client.restore_experiment(eid)
    assert client.get_experiment_by_name(name).lifecycle_stage == "active"


def test_log_input_dataset(experiment, tmp_path):
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [0, 1, 0]})
    df.to_csv(tmp_path / "train.csv", index=False)
    ds = mlflow.data.from_pandas(df, source=str(tmp_path / "train.csv"), name="train", targets="y")
    with mlflow.start_run() as run:
        mlflow.log_input(ds, context="training", tags={"split": "train"})
    inputs = MlflowClient().get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    got = inputs[0]
    assert got.dataset.name == "train" and got.dataset.digest == ds.digest
    assert got.dataset.source_type == ds.source._get_source_type()
    tags = {t.key: t.value for t in got.tags}
    assert tags["mlflow.data.context"] == "training" and tags["split"] == "train"
    assert '"x"' in got.dataset.schema
