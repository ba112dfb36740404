"""Trains the scikit-learn model behind test/fixtures/models/credit_gbdt.onnx and saves it as an MLflow model.

    .venv/bin/python bench/serving/mlflow_model.py OUT_DIR

Uses python/fixtures/make_models.py's own functions (same synthetic table, seed 0, same split, same pipeline,
same GradientBoostingClassifier hyperparameters as version 1), so `mlflow models serve` answers with the model
that the ONNX file was converted from. Saved with mlflow.sklearn.save_model (its default skops format) and a signature inferred from the
training frame, as `mlflow.sklearn.log_model(..., input_example=...)` would record. Prints one JSON line: the
labels scikit-learn gives for the fixture's 20 recorded rows, for the benchmark to check answers against.
"""
from __future__ import annotations

import json
import sys
import warnings

import mlflow.sklearn
from mlflow.models import infer_signature

from fixture_model import train_v1

SKOPS_TRUSTED = ["numpy.dtype", "sklearn.tree._tree.Tree"]


def main() -> None:
    out = sys.argv[1]
    pipe, Xtr, labels, agree = train_v1("mlflow_model.py")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        signature = infer_signature(Xtr, pipe.predict(Xtr))
        # MLflow 3.17 saves with skops by default and refuses types it cannot vouch for; these are ours.
        mlflow.sklearn.save_model(pipe, out, signature=signature, skops_trusted_types=SKOPS_TRUSTED)
    print(json.dumps({"labels": [int(v) for v in labels], "agree_with_onnx": agree, "rows": len(labels)}))


if __name__ == "__main__":
    main()
