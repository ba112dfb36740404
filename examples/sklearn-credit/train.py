"""Trains a credit-risk classifier on a Ferry dataset version and registers it in Ferry as an ONNX model.

Run by `ferry jobs submit` or `mlflow run` (which set MLFLOW_RUN_ID, so the run they made is the one used),
or on its own with MLFLOW_TRACKING_URI and MLFLOW_TRACKING_TOKEN set.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import urllib.parse
import urllib.request
import warnings

import mlflow
import numpy as np
import pandas as pd
from mlflow.data.http_dataset_source import HTTPDatasetSource
from mlflow.models import ModelSignature
from mlflow.types import Schema, TensorSpec
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType, StringTensorType
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# skl2onnx's string imputer takes a string marker, not NaN: a missing category is "" (as Ferry's demo models).
CAT_MISSING = ""
SEED = 0


def ferry_get(path: str) -> bytes:
    """GET from Ferry's native API with the token mlflow uses (a job's own token when run as a Ferry job)."""
    url = os.environ["MLFLOW_TRACKING_URI"].rstrip("/") + path
    req = urllib.request.Request(url)
    token = os.environ.get("MLFLOW_TRACKING_TOKEN")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=60) as res:
        return res.read()


def load_dataset(name: str, ref: str) -> tuple[dict, pd.DataFrame]:
    """The version's metadata (number, digest, format) and its rows; `ref` may be latest, a tag or a digest prefix."""
    q = urllib.parse.quote
    version = json.loads(ferry_get(f"/api/v1/datasets/{q(name, safe='')}/versions/{q(ref, safe='')}?profile=false"))["version"]
    # Read the file by version number, so a push between the two calls cannot swap the data under the digest.
    data = ferry_get(f"/api/v1/datasets/{q(name, safe='')}/versions/{version['version']}/file")
    fmt = version["format"]
    if fmt == "csv":
        df = pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""], sep=version["schema"].get("delimiter") or ",")
    elif fmt == "jsonl":
        df = pd.read_json(io.BytesIO(data), lines=True)
    else:
        df = pd.read_parquet(io.BytesIO(data))
    return version, df


def split_columns(df: pd.DataFrame, target: str) -> tuple[list[str], list[str]]:
    numeric = [c for c in df.columns if c != target and pd.api.types.is_numeric_dtype(df[c])]
    categorical = [c for c in df.columns if c != target and c not in numeric]
    return numeric, categorical


def model_frame(df: pd.DataFrame, numeric: list[str], categorical: list[str]) -> pd.DataFrame:
    """Features as the ONNX model takes them: numbers as float (NaN = missing), categories as str ("" = missing)."""
    X = df[numeric + categorical].copy()
    for c in numeric:
        X[c] = X[c].astype(float)
    for c in categorical:
        X[c] = X[c].where(X[c].notna(), CAT_MISSING).astype(str).astype(object)
    return X


def pipeline(numeric: list[str], categorical: list[str], C: float) -> Pipeline:
    num = Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())])
    cat = Pipeline(
        [
            ("impute", SimpleImputer(missing_values=CAT_MISSING, strategy="constant", fill_value="missing")),
            ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
        ]
    )
    pre = ColumnTransformer([("num", num, numeric), ("cat", cat, categorical)], sparse_threshold=0.0)
    return Pipeline([("pre", pre), ("clf", LogisticRegression(C=C, max_iter=1000))])


def log_params_once(params: dict) -> None:
    """Log what the run does not hold yet: `mlflow run` and Ferry log the entry point's parameters before the
    script starts (mlflow shell-quoted, Ferry as given), and a parameter cannot be logged twice with another value."""
    run_id = mlflow.active_run().info.run_id
    have = mlflow.get_run(run_id).data.params
    new = {k: str(v) for k, v in params.items() if k not in have}
    if new:
        mlflow.log_params(new)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--dataset", required=True, help="a Ferry dataset name")
    p.add_argument("--dataset-version", default="latest", help="a version number, a tag, latest or a digest prefix")
    p.add_argument("--target", default="default", help="the label column (0/1)")
    p.add_argument("--C", type=float, default=1.0, help="inverse regularisation strength")
    p.add_argument("--test-size", type=float, default=0.25, help="share of rows held out")
    p.add_argument("--registered-model", default="credit-risk-example", help="the registered model to add a version to")
    a = p.parse_args()

    version, df = load_dataset(a.dataset, a.dataset_version)
    if a.target not in df.columns:
        raise SystemExit(f"dataset {a.dataset}@{version['version']} has no column {a.target!r} (columns: {', '.join(df.columns)})")
    df = df[df[a.target].notna()]
    numeric, categorical = split_columns(df, a.target)
    X, y = model_frame(df, numeric, categorical), df[a.target].astype(int).to_numpy()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=a.test_size, random_state=SEED, stratify=y)

    # Attaches to MLFLOW_RUN_ID when `ferry jobs submit` or `mlflow run` made the run.
    with mlflow.start_run() as run:
        log_params_once(
            {
                "dataset": a.dataset,
                "dataset_version": a.dataset_version,
                "target": a.target,
                "C": a.C,
                "test_size": a.test_size,
                "registered_model": a.registered_model,
            }
        )
        # What was actually read: `latest` resolved to a number, and the file's digest.
        mlflow.log_params({"dataset_ref": f"{a.dataset}@{version['version']}", "model": "LogisticRegression", "n_train": len(X_train), "n_test": len(X_test)})
        # Ferry's digest (sha256 of the file) is the input's digest, so Ferry links the run to the dataset version.
        source = HTTPDatasetSource(f"{os.environ['MLFLOW_TRACKING_URI'].rstrip('/')}/api/v1/datasets/{a.dataset}/versions/{version['version']}/file")
        with warnings.catch_warnings():
            # The schema logged with the input is the table's own (integer columns included); the hint does not apply.
            warnings.filterwarnings("ignore", message="Hint: Inferred schema contains integer column")
            dataset = mlflow.data.from_pandas(df, source=source, name=a.dataset, targets=a.target, digest=version["digest"])
            mlflow.log_input(dataset, context="training")

        pipe = pipeline(numeric, categorical, a.C).fit(X_train, y_train)
        proba = pipe.predict_proba(X_test)[:, 1]
        metrics = {"accuracy": accuracy_score(y_test, pipe.predict(X_test)), "roc_auc": roc_auc_score(y_test, proba)}
        mlflow.log_metrics(metrics)

        initial_types = [(c, FloatTensorType([None, 1])) for c in numeric] + [(c, StringTensorType([None, 1])) for c in categorical]
        onnx_model = convert_sklearn(pipe, initial_types=initial_types, options={id(pipe.named_steps["clf"]): {"zipmap": False}}, target_opset={"": 17, "ai.onnx.ml": 3})
        signature = ModelSignature(
            inputs=Schema([TensorSpec(np.dtype(np.float32 if c in numeric else object), (-1, 1), c) for c in numeric + categorical]),
            outputs=Schema([TensorSpec(np.dtype(np.int64), (-1,), "label"), TensorSpec(np.dtype(np.float32), (-1, 2), "probabilities")]),
        )
        info = mlflow.onnx.log_model(onnx_model, name="model", signature=signature, registered_model_name=a.registered_model)
        print(
            f"run {run.info.run_id}: trained on {a.dataset}@{version['version']} ({version['digest'][:12]}), "
            f"accuracy {metrics['accuracy']:.3f}, roc_auc {metrics['roc_auc']:.3f}; "
            f"registered {a.registered_model} version {info.registered_model_version}",
            flush=True,
        )


if __name__ == "__main__":
    main()
