"""Serving the models users already log, end to end through a real server: each model is logged with its native
MLflow flavor (mlflow.sklearn / mlflow.xgboost / mlflow.lightgbm) and registered, converted by the server's job
(projects/onnx-convert on the local executor), deployed, and its predictions on fresh records equal the
original model's to 1e-5 (labels equal); a custom transformer is refused, at deploy too, naming the step and
the estimator."""
import io
import sys
import time

import cloudpickle
import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.models import infer_signature
from sklearn.base import BaseEstimator, TransformerMixin

TOL = 1e-5
WAIT_S = 240


class Doubler(BaseEstimator, TransformerMixin):
    """A user's own transformer: no ONNX converter exists for it."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return np.asarray(X, dtype=np.float64) * 2.0


def credit(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "age": rng.integers(18, 80, n),
        "income": rng.normal(5e4, 1.5e4, n).round(2),
        "debt": rng.normal(1e4, 3e3, n).round(2),
        "city": rng.choice(["paris", "lyon", "nice"], n),
        "job": rng.choice(["a", "b", "c", "d"], n),
    })
    df.loc[rng.random(n) < 0.1, "debt"] = np.nan
    score = df.income / 1e4 - df.age / 20 + (df.city == "paris") - np.nan_to_num(df.debt) / 1e4 + rng.normal(0, 1, n)
    df["default"] = (score > 2).astype(int)
    df["loss"] = (score * 3.0 + 10.0).round(4)
    return df


TRAIN, HOLDOUT = credit(1200, 0), credit(200, 1)
NUM, COLS = ["age", "income", "debt"], ["age", "income", "debt", "city", "job"]


def numeric(df):
    return df[NUM].fillna(0.0)


def pipeline(final):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    prep = ColumnTransformer([
        ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), NUM),
        ("cat", OneHotEncoder(handle_unknown="ignore"), ["city", "job"]),
    ])
    return Pipeline([("prep", prep), ("model", final)])


def cases():
    from lightgbm import LGBMClassifier
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier, RandomForestRegressor
    from sklearn.linear_model import LogisticRegression
    from xgboost import XGBClassifier

    cp = {"serialization_format": "cloudpickle"}
    return {
        # flavor, estimator, features, target, log_model kwargs
        "pipeline-gb": ("sklearn", pipeline(GradientBoostingClassifier(random_state=0)), lambda d: d[COLS], "default", cp),
        "gradient-boosting": ("sklearn", GradientBoostingClassifier(random_state=0), numeric, "default", cp),
        "random-forest": ("sklearn", RandomForestClassifier(n_estimators=40, random_state=0), numeric, "default", cp),
        "rf-regressor": ("sklearn", RandomForestRegressor(n_estimators=20, random_state=0), numeric, "loss", cp),
        "logistic": ("sklearn", LogisticRegression(max_iter=1000), numeric, "default", {}),
        "xgboost": ("xgboost", XGBClassifier(n_estimators=40, max_depth=4), numeric, "default", {}),
        "lightgbm": ("lightgbm", LGBMClassifier(n_estimators=40, verbose=-1), numeric, "default", {}),
    }


def push_dataset(admin_api, name: str, df: pd.DataFrame) -> dict:
    buf = io.StringIO()
    df.to_csv(buf, index=False)
    r = admin_api("POST", f"/api/v1/datasets/{name}/versions", params={"filename": "train.csv"},
                  data=buf.getvalue().encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code in (200, 201), r.text
    return r.json()["version"]


def log(flavor: str, est, x: pd.DataFrame, name: str, kw: dict, training=None) -> None:
    """Logs and registers with the native flavor; with `training` (source, digest, frame), the run's training input."""
    mlflow.set_experiment("conversion-serving")
    with mlflow.start_run():
        if training:
            source, digest, frame = training
            mlflow.log_input(mlflow.data.from_pandas(frame, source=source, name=name, digest=digest), context="training")
        sig = infer_signature(x, est.predict(x))
        getattr(mlflow, flavor).log_model(est, name="model", signature=sig, input_example=x.head(5), registered_model_name=name, **kw)


def converted(admin_api, name: str) -> dict:
    """Asks for the conversion (registration may have started it already) and waits for its end."""
    r = admin_api("POST", f"/api/v1/models/{name}/versions/1/conversion", json={})
    assert r.status_code in (200, 202), r.text
    deadline = time.monotonic() + WAIT_S
    while True:
        c = admin_api("GET", f"/api/v1/models/{name}/versions/1/conversion").json()["conversion"]
        if c["state"] in ("succeeded", "failed"):
            return c
        assert time.monotonic() < deadline, f"conversion of {name} still {c['state']} after {WAIT_S}s"
        time.sleep(1)


def records(df: pd.DataFrame) -> list:
    # JSON records as a user sends them: a missing value is null.
    return [{k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in row.items()} for row in df.to_dict(orient="records")]


@pytest.mark.parametrize("case", list(cases()))
def test_logged_model_converts_deploys_and_predicts_like_the_original(case, admin_api, ferry_server, unique):
    flavor, est, features, target, kw = cases()[case]
    x = features(TRAIN)
    est.fit(x, TRAIN[target])
    if flavor == "sklearn" and not kw:  # mlflow's default sklearn format (skops) asks which types to trust
        import skops.io

        kw = {"skops_trusted_types": skops.io.get_untrusted_types(data=skops.io.dumps(est))}
    name = unique(case)
    training = None
    if case == "pipeline-gb":  # the training data on record: the check samples it
        frame = TRAIN[COLS + [target]]
        v = push_dataset(admin_api, name, frame)
        training = (f"{ferry_server['url']}/api/v1/datasets/{name}/versions/1/file", v["digest"], frame)
    log(flavor, est, x, name, kw, training)

    c = converted(admin_api, name)
    assert c["state"] == "succeeded", c
    assert c["flavor"] == flavor and c["step"] is None and c["onnx_path"]
    check = c["check"]
    assert check["passed"] is True and check["max_abs_diff"] <= TOL and check["tolerance"] == TOL
    assert check["rows"]["input_example"] == 5
    if training:
        assert check["training_data"] == f"{name}@1" and check["rows"]["training_sample"] == 1000

    dep = name.lower()[:60]
    r = admin_api("POST", "/api/v1/deployments", json={"name": dep, "routes": [{"model": name, "version": "1"}]})
    assert r.status_code == 200, r.text
    holdout = features(HOLDOUT)
    r = admin_api("POST", f"/api/v1/deployments/{dep}/predict", json={"instances": records(holdout)})
    assert r.status_code == 200, r.text
    preds = r.json()["predictions"]
    if hasattr(est, "predict_proba"):
        assert [p["label"] for p in preds] == est.predict(holdout).tolist()
        assert np.abs(np.array([p["probabilities"] for p in preds]) - est.predict_proba(holdout)).max() <= TOL
    else:
        assert np.abs(np.array(preds, dtype=np.float64) - est.predict(holdout)).max() <= TOL
    admin_api("DELETE", f"/api/v1/deployments/{dep}")


def custom_pipeline():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("double", Doubler()), ("model", LogisticRegression(max_iter=1000))]).fit(numeric(TRAIN), TRAIN["default"])


def test_custom_transformer_refused_at_convert_and_at_deploy(admin_api, unique):
    """Pickled by value (the job can load it): skl2onnx has no converter, and the sentence says where it sits."""
    module = sys.modules[__name__]
    cloudpickle.register_pickle_by_value(module)
    try:
        name = unique("custom")
        log("sklearn", custom_pipeline(), numeric(TRAIN), name, {"serialization_format": "cloudpickle"})
    finally:
        cloudpickle.unregister_pickle_by_value(module)
    c = converted(admin_api, name)
    assert c["state"] == "failed" and c["step"] == "convert" and c["onnx_path"] is None
    assert c["estimator"] == f"Pipeline({__name__}.Doubler, LogisticRegression)"
    assert f"skl2onnx has no converter for `{__name__}.Doubler` (step 'double' of the Pipeline)" in c["error"]
    r = admin_api("POST", "/api/v1/deployments", json={"name": name.lower(), "routes": [{"model": name, "version": "1"}]})
    assert r.status_code == 400, r.text
    assert f"`{__name__}.Doubler` (step 'double' of the Pipeline)" in r.json()["detail"]


def test_custom_code_the_job_cannot_import_refused_at_load(admin_api, unique):
    """Pickled by reference to this test module, which the job cannot import: refused when loading, still
    naming the class and where it sits."""
    name = unique("custom-ref")
    log("sklearn", custom_pipeline(), numeric(TRAIN), name, {"serialization_format": "cloudpickle"})
    c = converted(admin_api, name)
    assert c["state"] == "failed" and c["step"] == "load", c
    assert f"`{__name__}.Doubler` (step 'double' of the Pipeline)" in c["error"]
    assert "cannot import" in c["error"]


def test_native_lightgbm_booster_converts_deploys_and_predicts(admin_api, unique):
    """What lgb.train returns (a Booster, logged with mlflow.lightgbm as it is) serves its own predict's probabilities."""
    import lightgbm as lgb

    x = numeric(TRAIN)
    booster = lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(x, TRAIN["default"]), 30)
    name = unique("lgb-booster")
    mlflow.set_experiment("conversion-serving")
    with mlflow.start_run():
        sig = infer_signature(x, booster.predict(x.to_numpy()))
        mlflow.lightgbm.log_model(booster, name="model", signature=sig, input_example=x.head(5), registered_model_name=name)
    c = converted(admin_api, name)
    assert c["state"] == "succeeded" and c["estimator"] == "lightgbm.Booster(objective=binary)", c
    dep = name.lower()[:60]
    r = admin_api("POST", "/api/v1/deployments", json={"name": dep, "routes": [{"model": name, "version": "1"}]})
    assert r.status_code == 200, r.text
    holdout = numeric(HOLDOUT)
    r = admin_api("POST", f"/api/v1/deployments/{dep}/predict", json={"instances": records(holdout)})
    assert r.status_code == 200, r.text
    p1 = booster.predict(holdout.to_numpy())
    preds = r.json()["predictions"]
    assert np.abs(np.array([p["probabilities"][1] for p in preds]) - p1).max() <= TOL
    assert [p["label"] for p in preds] == (p1 > 0.5).astype(int).tolist()
    admin_api("DELETE", f"/api/v1/deployments/{dep}")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_the_job_reads_a_training_sample_in_each_format(fmt, admin_api, ferry_server, unique, monkeypatch):
    """transfer.training_sample: a dataset version's file from Ferry's API, 1000 rows of 1200 (seed 0), typed by
    the model's columns as the check reads it."""
    from pathlib import Path

    project = Path(__file__).resolve().parents[2] / "projects" / "onnx-convert"
    monkeypatch.syspath_prepend(str(project))
    import input_types
    import transfer

    frame = TRAIN[COLS + ["default"]]
    buf = io.BytesIO()
    if fmt == "csv":
        frame.to_csv(buf, index=False)
        kind = "text/csv"
    elif fmt == "jsonl":
        frame.to_json(buf, orient="records", lines=True)
        kind = "application/x-ndjson"
    else:
        frame.to_parquet(buf, index=False)
        kind = "application/vnd.apache.parquet"
    name = unique(f"sample-{fmt}")
    r = admin_api("POST", f"/api/v1/datasets/{name}/versions", params={"filename": f"train.{fmt}"}, data=buf.getvalue(), headers={"Content-Type": kind})
    assert r.status_code in (200, 201), r.text
    monkeypatch.setenv("FERRY_URL", ferry_server["url"])
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", ferry_server["token"])
    got = transfer.training_sample(f"{name}@1")
    want = frame.sample(n=1000, random_state=0)
    assert len(got) == 1000 and got.index.tolist() == want.index.tolist()
    cols = [input_types.Column("age", "int"), input_types.Column("income", "float"), input_types.Column("debt", "float"),
            input_types.Column("city", "string"), input_types.Column("job", "string")]
    pd.testing.assert_frame_equal(input_types.conform(got, cols, "training data"), input_types.conform(want, cols, "training data"))
