"""The ONNX conversion library (projects/onnx-convert) on models saved with their native MLflow flavors: each
converts, its check passes, and onnxruntime on fresh rows (fed the way Ferry's records codec feeds it) equals the
original model's probabilities/predictions to 1e-5 with equal labels; what cannot convert is refused naming the
step and the estimator. No server: the folders are written by mlflow's save_model."""
import importlib
import json
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pandas as pd
import pytest

PROJECT = Path(__file__).resolve().parents[2] / "projects" / "onnx-convert"
sys.path.insert(0, str(PROJECT))
from onnx_conversion import convert  # noqa: E402

warnings.filterwarnings("ignore", category=UserWarning)
TOL = 1e-5


@pytest.fixture(autouse=True)
def mlflow_env():
    """Overrides conftest's: these tests need no server."""
    yield


def credit(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "age": rng.integers(18, 80, n),
        "income": rng.normal(5e4, 1.5e4, n),
        "debt": rng.normal(1e4, 3e3, n),
        "city": rng.choice(["paris", "lyon", "nice"], n),
        "job": rng.choice(["a", "b", "c", "d"], n),
    })
    df.loc[rng.random(n) < 0.1, "debt"] = np.nan
    score = df.income / 1e4 - df.age / 20 + (df.city == "paris") - np.nan_to_num(df.debt) / 1e4 + rng.normal(0, 1, n)
    df["default"] = (score > 2).astype(int)
    df["risk"] = np.digitize(score, [1.5, 3.0])  # 3 classes
    df["loss"] = score * 3.0 + 10.0
    return df


TRAIN, HOLDOUT = credit(1500, 0), credit(400, 1)
NUM = ["age", "income", "debt"]


def numeric(df: pd.DataFrame) -> pd.DataFrame:
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


def pipeline_categories_first(final):
    """One-hot before the numbers: skl2onnx's double attempt fails here (NormalizerNorm), the float one must not."""
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    prep = make_column_transformer((OneHotEncoder(handle_unknown="ignore"), ["city", "job"]), (make_pipeline(SimpleImputer(), StandardScaler()), NUM))
    return make_pipeline(prep, final)


def save(flavor: str, model, example: pd.DataFrame, path: Path, **kw) -> str:
    import mlflow

    getattr(mlflow, flavor).save_model(model, str(path), input_example=example.head(5), **kw)
    return str(path)


def cases():
    from lightgbm import LGBMClassifier, LGBMRegressor
    from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier, RandomForestRegressor
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.svm import SVC
    from xgboost import XGBClassifier, XGBRegressor

    cp = {"serialization_format": "cloudpickle"}
    cols = NUM + ["city", "job"]
    return {
        # (flavor, estimator, features frame builder, target, save kwargs)
        "pipeline-gb": ("sklearn", pipeline(GradientBoostingClassifier(random_state=0)), lambda d: d[cols], "default", cp),
        "pipeline-logreg-skops": ("sklearn", pipeline(LogisticRegression(max_iter=1000)), lambda d: d[cols], "default", {}),
        "pipeline-rf-3class": ("sklearn", pipeline(RandomForestClassifier(n_estimators=40, random_state=0)), lambda d: d[cols], "risk", cp),
        "pipeline-ridge": ("sklearn", pipeline(Ridge()), lambda d: d[cols], "loss", cp),
        "pipeline-categories-first-logreg": ("sklearn", pipeline_categories_first(LogisticRegression(max_iter=1000)), lambda d: d[cols], "default", cp),
        "gb": ("sklearn", GradientBoostingClassifier(random_state=0), numeric, "default", cp),
        "gb-3class": ("sklearn", GradientBoostingClassifier(n_estimators=50, random_state=0), numeric, "risk", cp),
        "gb-regressor": ("sklearn", GradientBoostingRegressor(random_state=0), numeric, "loss", cp),
        "rf": ("sklearn", RandomForestClassifier(n_estimators=50, random_state=0), numeric, "default", cp),
        "rf-regressor": ("sklearn", RandomForestRegressor(n_estimators=30, random_state=0), numeric, "loss", cp),
        "logreg": ("sklearn", LogisticRegression(max_iter=1000), numeric, "default", {}),
        "xgboost": ("xgboost", XGBClassifier(n_estimators=40, max_depth=4), numeric, "default", {}),
        "xgboost-3class": ("xgboost", XGBClassifier(n_estimators=30, max_depth=3), numeric, "risk", {}),
        "xgboost-regressor": ("xgboost", XGBRegressor(n_estimators=40), numeric, "loss", {}),
        "lightgbm": ("lightgbm", LGBMClassifier(n_estimators=40, verbose=-1), numeric, "default", {}),
        "lightgbm-regressor": ("lightgbm", LGBMRegressor(n_estimators=40, verbose=-1), numeric, "loss", {}),
        # Missing values reach the trees as NaN (skl2onnx 1.20 writes their directions as booleans: patched).
        "hist-gb": ("sklearn", HistGradientBoostingClassifier(random_state=0), lambda d: d[NUM], "default", cp),
        # predict is not the argmax of predict_proba here: the label stays the converter's.
        "svc": ("sklearn", SVC(probability=True, random_state=0), numeric, "default", cp),
        "pipeline-xgboost": ("sklearn", pipeline(XGBClassifier(n_estimators=30, max_depth=3)), lambda d: d[cols], "default", cp),
        "pipeline-lightgbm": ("sklearn", pipeline(LGBMClassifier(n_estimators=30, verbose=-1)), lambda d: d[cols], "default", cp),
    }


def ferry_feeds(report: dict, df: pd.DataFrame) -> dict:
    """Feeds as Ferry's records codec builds them from the conversion's declared inputs: per-column [N,1]
    inputs named as the columns (null strings '', null numbers NaN), or one [N, n] tensor in feature order."""
    dtypes = {"double": np.float64, "float": np.float32, "int64": np.int64}
    ins = report["inputs"]
    if len(ins) == 1 and ins[0]["shape"][1] != 1:
        return {ins[0]["name"]: df.to_numpy(dtype=np.float64).astype(dtypes[ins[0]["type"]])}
    out = {}
    for i in ins:
        col = df[i["name"]]
        if i["type"] == "string":
            out[i["name"]] = np.array(["" if pd.isna(v) else str(v) for v in col], dtype=object).reshape(-1, 1)
        else:
            out[i["name"]] = col.to_numpy(dtype=np.float64).astype(dtypes[i["type"]]).reshape(-1, 1)
    return out


@pytest.mark.parametrize("case", list(cases()))
def test_converts_and_equals_the_original(case, tmp_path):
    flavor, est, features, target, kw = cases()[case]
    if "skops" in case or flavor == "sklearn" and not kw:
        from skops.io import get_untrusted_types  # mlflow's default sklearn format asks which types to trust

        import skops.io

        kw = {"skops_trusted_types": get_untrusted_types(data=skops.io.dumps(est.fit(features(TRAIN), TRAIN[target])))}
    est.fit(features(TRAIN), TRAIN[target])
    folder = save(flavor, est, features(TRAIN), tmp_path / "model", **kw)
    sample = features(TRAIN).assign(**{target: TRAIN[target]}).sample(1000, random_state=0)  # what a dataset holds
    data, report = convert(folder, sample, "credit@1", log=lambda _: None)

    assert report["status"] == "succeeded", report
    assert report["flavor"] == flavor and report["step"] is None and report["error"] is None
    check = report["check"]
    assert check["passed"] and check["max_abs_diff"] <= TOL
    assert check["rows"] == {"input_example": 5, "training_sample": 1000} and check["training_data"] == "credit@1"
    json.dumps(report, allow_nan=False)  # conversion.json is plain JSON

    # Fresh rows the check never saw, through onnxruntime as Ferry feeds it.
    model = onnx.load_from_string(data)
    assert {p.key: p.value for p in model.metadata_props}["feature_names"] == ",".join(features(TRAIN).columns)
    assert all(o.type.tensor_type.elem_type for o in model.graph.output), "no ZipMap (non-tensor) outputs"
    got = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, ferry_feeds(report, features(HOLDOUT)))
    x = features(HOLDOUT)
    if report["task"] == "classification":
        assert np.array_equal(np.asarray(got[0]).ravel(), est.predict(x).ravel())
        assert np.abs(got[1] - est.predict_proba(x)).max() <= TOL
    else:
        assert report["task"] == "regression" and check["compared"] == "predictions"
        assert np.abs(np.asarray(got[0]).ravel() - est.predict(x).ravel()).max() <= TOL


def test_string_labels_and_an_array_example(tmp_path):
    from sklearn.linear_model import LogisticRegression

    x, y = numeric(TRAIN).to_numpy(), np.where(TRAIN["default"] == 1, "bad", "good")
    est = LogisticRegression(max_iter=1000).fit(x, y)
    import mlflow

    mlflow.sklearn.save_model(est, str(tmp_path / "m"), input_example=x[:3], serialization_format="cloudpickle")
    data, report = convert(str(tmp_path / "m"), None, None, log=lambda _: None)
    assert report["status"] == "succeeded", report
    assert report["check"]["rows"] == {"input_example": 3, "training_sample": 0} and report["check"]["training_data"] is None
    assert report["inputs"][0]["shape"] == [None, 3]
    labels, probs = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, ferry_feeds(report, numeric(HOLDOUT)))
    assert list(labels) == list(est.predict(numeric(HOLDOUT).to_numpy()))
    assert np.abs(probs - est.predict_proba(numeric(HOLDOUT).to_numpy())).max() <= TOL


CUSTOM = textwrap.dedent('''
    from sklearn.base import BaseEstimator, TransformerMixin

    class MyScaler(BaseEstimator, TransformerMixin):
        def fit(self, X, y=None):
            return self

        def transform(self, X):
            return X * 2.0
''')


@pytest.fixture
def custom_pipeline(tmp_path, monkeypatch):
    """A pipeline with a transformer from a user module (pickled by reference, as cloudpickle does)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    name = f"ferry_custom_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(CUSTOM)
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module(name)
    est = Pipeline([("custom", mod.MyScaler()), ("model", LogisticRegression(max_iter=1000))]).fit(numeric(TRAIN), TRAIN["default"])
    folder = save("sklearn", est, numeric(TRAIN), tmp_path / "model", serialization_format="cloudpickle")
    return name, folder


def test_custom_transformer_refused_at_convert(custom_pipeline):
    name, folder = custom_pipeline
    data, report = convert(folder, TRAIN.sample(100, random_state=0), "credit@1", log=lambda _: None)
    assert data is None and report["status"] == "failed" and report["step"] == "convert"
    assert report["estimator"] == f"Pipeline({name}.MyScaler, LogisticRegression)"
    assert report["error"] == (
        f"skl2onnx has no converter for `{name}.MyScaler` (step 'custom' of the Pipeline): write a converter or log the model with mlflow.onnx."
    )


def test_custom_code_that_cannot_be_imported_refused_at_load(custom_pipeline, monkeypatch):
    name, folder = custom_pipeline
    monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if not p.endswith(Path(folder).parent.name)])
    data, report = convert(folder, None, None, log=lambda _: None)
    assert data is None and report["status"] == "failed" and report["step"] == "load"
    assert f"`{name}.MyScaler` (step 'custom' of the Pipeline)" in report["error"], report["error"]
    assert "log the model with mlflow.onnx" in report["error"]


def test_custom_transformer_in_a_column_transformer_is_located(tmp_path, monkeypatch):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    name = f"ferry_custom_ct_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(CUSTOM)
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module(name)
    prep = ColumnTransformer([("num", mod.MyScaler(), NUM), ("cat", OneHotEncoder(), ["city"])])
    est = Pipeline([("prep", prep), ("model", LogisticRegression(max_iter=1000))]).fit(TRAIN[NUM + ["city"]].fillna(0), TRAIN["default"])
    folder = save("sklearn", est, TRAIN[NUM + ["city"]].fillna(0), tmp_path / "model", serialization_format="cloudpickle")
    _, report = convert(folder, None, None, log=lambda _: None)
    assert report["step"] == "convert"
    assert f"`{name}.MyScaler` (transformer 'num' of the ColumnTransformer in step 'prep' of the Pipeline)" in report["error"]


@pytest.mark.parametrize("model", ["GradientBoostingRegressor", "RandomForestRegressor", "DecisionTreeRegressor"])
def test_tree_regressors_answer_in_double_on_large_targets(model, tmp_path):
    """Predictions near 1e6: onnxruntime's TreeEnsembleRegressor answers float32 (~2 apart there); the rebuilt
    ai.onnx.ml 5 TreeEnsemble answers double, so the difference is rounding (≤ 1e-7 here)."""
    import sklearn.ensemble
    import sklearn.tree

    cls = getattr(sklearn.ensemble, model, None) or getattr(sklearn.tree, model)
    est = cls(random_state=0, **({"n_estimators": 30} if model == "RandomForestRegressor" else {}))
    est.fit(numeric(TRAIN), TRAIN["loss"] * 1e5)
    folder = save("sklearn", est, numeric(TRAIN), tmp_path / "model", serialization_format="cloudpickle")
    data, report = convert(folder, numeric(TRAIN).sample(1000, random_state=0), "credit@1", log=lambda _: None)
    assert report["status"] == "succeeded", report
    assert report["check"]["max_abs_diff"] <= 1e-7 and report["outputs"] == [{"name": "variable", "type": "double", "shape": [None, 1]}]
    got = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, ferry_feeds(report, numeric(HOLDOUT)))[0]
    assert np.abs(got.ravel() - est.predict(numeric(HOLDOUT))).max() <= 1e-7


def test_a_float32_model_on_large_targets_fails_the_check_with_the_real_difference(tmp_path):
    """XGBoost answers float32 itself, and onnxruntime sums its trees in another order: on predictions near 1e6
    they are ~0.1 apart, past 1e-5, so the conversion is refused at verify instead of serving other numbers."""
    from xgboost import XGBRegressor

    est = XGBRegressor(n_estimators=40).fit(numeric(TRAIN), TRAIN["loss"] * 1e5)
    folder = save("xgboost", est, numeric(TRAIN), tmp_path / "model")
    data, report = convert(folder, numeric(TRAIN).sample(1000, random_state=0), "credit@1", log=lambda _: None)
    assert data is None and report["step"] == "verify"
    assert report["check"]["passed"] is False and report["check"]["max_abs_diff"] > 1e-3
    assert report["error"].startswith("The ONNX model of XGBRegressor does not match the original: max abs difference")
    assert "> 1e-05 on its predictions (one [N, 3] " in report["error"]


def test_training_data_without_the_model_columns_is_refused(tmp_path):
    from sklearn.linear_model import LogisticRegression

    est = LogisticRegression(max_iter=1000).fit(numeric(TRAIN), TRAIN["default"])
    folder = save("sklearn", est, numeric(TRAIN), tmp_path / "model", serialization_format="cloudpickle")
    _, report = convert(folder, TRAIN.drop(columns=["debt"]), "credit@2", log=lambda _: None)
    assert report["step"] == "verify" and report["error"] == "The training data lacks the model's column(s) 'debt'."


def test_a_model_without_a_convertible_flavor_is_refused(tmp_path):
    import mlflow.pyfunc

    class Echo(mlflow.pyfunc.PythonModel):
        def predict(self, context, model_input):
            return model_input

    mlflow.pyfunc.save_model(str(tmp_path / "model"), python_model=Echo())
    _, report = convert(str(tmp_path / "model"), None, None, log=lambda _: None)
    assert report["step"] == "load" and report["error"].startswith("The model has no sklearn, xgboost or lightgbm flavor")


def test_forest_ties_take_the_first_class_as_sklearn_does(tmp_path):
    """Half the trees each way: sklearn's argmax takes the first class; onnxruntime's float32 vote sums read
    0.49999994 / 0.50000006 and its classifier picks the second, so the converted label comes from the
    probabilities (the first class within 1e-6 of the top)."""
    from sklearn.ensemble import RandomForestClassifier

    est = RandomForestClassifier(n_estimators=40, random_state=0).fit(numeric(TRAIN), TRAIN["default"])
    x = numeric(HOLDOUT)
    ties = (est.predict_proba(x)[:, 0] == 0.5).sum()
    assert ties > 0, "the holdout must hold exact ties for this test to mean anything"
    folder = save("sklearn", est, numeric(TRAIN), tmp_path / "model", serialization_format="cloudpickle")
    data, report = convert(folder, None, None, log=lambda _: None)
    labels, _ = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, ferry_feeds(report, x))
    assert labels.tolist() == est.predict(x).tolist()


def boosters():
    import lightgbm as lgb
    import xgboost as xgb

    x = numeric(TRAIN)
    return {
        # What lgb.train / xgb.train return, logged with mlflow.lightgbm / mlflow.xgboost as they are.
        "lightgbm-binary": ("lightgbm", lambda: lgb.train({"objective": "binary", "verbose": -1}, lgb.Dataset(x, TRAIN["default"]), 30)),
        "lightgbm-multiclass": ("lightgbm", lambda: lgb.train({"objective": "multiclass", "num_class": 3, "verbose": -1}, lgb.Dataset(x, TRAIN["risk"]), 30)),
        "lightgbm-regression": ("lightgbm", lambda: lgb.train({"objective": "regression", "verbose": -1}, lgb.Dataset(x, TRAIN["loss"]), 30)),
        "xgboost-binary": ("xgboost", lambda: xgb.train({"objective": "binary:logistic"}, xgb.DMatrix(x, TRAIN["default"]), 30)),
        "xgboost-multiclass": ("xgboost", lambda: xgb.train({"objective": "multi:softprob", "num_class": 3}, xgb.DMatrix(x, TRAIN["risk"]), 30)),
        "xgboost-regression": ("xgboost", lambda: xgb.train({"objective": "reg:squarederror"}, xgb.DMatrix(x, TRAIN["loss"]), 30)),
    }


@pytest.mark.parametrize("case", list(boosters()))
def test_native_boosters_convert_and_equal_their_predict(case, tmp_path):
    flavor, train = boosters()[case]
    booster = train()
    folder = save(flavor, booster, numeric(TRAIN), tmp_path / "model")
    data, report = convert(folder, numeric(TRAIN).sample(1000, random_state=0), "credit@1", log=lambda _: None)
    assert report["status"] == "succeeded", report
    assert report["estimator"].startswith(f"{flavor}.Booster(objective=") and report["check"]["passed"]
    x = numeric(HOLDOUT)
    if flavor == "xgboost":
        import xgboost as xgb

        want = booster.predict(xgb.DMatrix(x))
    else:
        want = booster.predict(x.to_numpy())
    got = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, ferry_feeds(report, x))
    if report["task"] == "classification":
        proba = np.column_stack([1 - want, want]) if want.ndim == 1 else want
        assert np.abs(got[1] - proba).max() <= TOL
        assert got[0].tolist() == np.argmax(proba, axis=1).tolist()
    else:
        assert np.abs(got[0].ravel() - want).max() <= TOL


def test_custom_code_in_a_skops_file_refused_at_load_and_located(tmp_path, monkeypatch):
    """mlflow's default sklearn format (skops) with a user's class trusted at logging: the job cannot import it,
    and the schema says where it sits without loading anything."""
    import skops.io
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    name = f"ferry_custom_skops_{tmp_path.name.replace('-', '_')}"
    (tmp_path / f"{name}.py").write_text(CUSTOM)
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module(name)
    x = TRAIN[NUM + ["city"]].fillna(0)
    prep = ColumnTransformer([("num", mod.MyScaler(), NUM), ("cat", OneHotEncoder(), ["city"])])
    est = Pipeline([("prep", prep), ("model", LogisticRegression(max_iter=1000))]).fit(x, TRAIN["default"])
    folder = save("sklearn", est, x, tmp_path / "model", skops_trusted_types=skops.io.get_untrusted_types(data=skops.io.dumps(est)))
    monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p != str(tmp_path)])
    data, report = convert(folder, None, None, log=lambda _: None)
    assert data is None and report["step"] == "load"
    assert report["error"] == (
        f"The sklearn model needs the custom class `{name}.MyScaler` (transformer 'num' of the ColumnTransformer in step 'prep' "
        "of the Pipeline), which the conversion job cannot import and skl2onnx has no converter for: write a converter or log "
        "the model with mlflow.onnx."
    )


def test_a_parameter_starting_with_a_dash_reaches_the_job_as_its_value():
    """The MLproject passes `--name={value}`: a model named `-churn` is a value, not an option argparse refuses."""
    import re
    import shlex
    import subprocess

    project = Path(__file__).resolve().parents[2] / "projects" / "onnx-convert"
    command = re.search(r"command: >-\n((?:\s{6}.*\n?)+)", (project / "MLproject").read_text()).group(1)
    values = {"model": "-churn", "version": "1", "source": "mlflow-artifacts:/x", "destination": "mlflow-artifacts:/x/ferry-onnx", "training_data": "-d@1"}
    argv = shlex.split(" ".join(command.split()).format(**{k: shlex.quote(v) for k, v in values.items()}))
    # Stop right after argument parsing: an unreachable tracking server fails the download, not argparse.
    env = {"PATH": "/usr/bin:/bin", "MLFLOW_TRACKING_URI": "http://127.0.0.1:9", "FERRY_URL": "http://127.0.0.1:9",
           "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "5"}
    done = subprocess.run([sys.executable, *argv[1:]], cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert "expected one argument" not in done.stderr, done.stderr
    assert "-churn" in done.stdout + done.stderr
