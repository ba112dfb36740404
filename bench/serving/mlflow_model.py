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
import os
import sys
import warnings

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "python", "fixtures"))

import mlflow.sklearn  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import make_models as mm  # noqa: E402

# make_models.main(): v1 = dict(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=0)
HYPER_V1 = dict(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=0)
SKOPS_TRUSTED = ["numpy.dtype", "sklearn.tree._tree.Tree"]


def main() -> None:
    out = sys.argv[1]
    df = mm.make_credit_table()
    X = mm.credit_model_frame(df)
    y = df[mm.CREDIT_TARGET].to_numpy()
    Xtr, _, ytr, _ = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    pipe = mm.credit_pipeline(GradientBoostingClassifier(**HYPER_V1)).fit(Xtr, ytr)

    expected = json.loads(open(os.path.join(mm.OUT, "credit_gbdt.expected.json"), encoding="utf-8").read())
    if expected.get("hyperparameters") != HYPER_V1:
        sys.stderr.write(f"mlflow_model.py: fixture hyperparameters {expected.get('hyperparameters')} != {HYPER_V1}\n")
        sys.exit(1)
    rows = pd.DataFrame(expected["records"], columns=mm.CREDIT_FEATURES)
    for c in mm.CREDIT_NUMERIC:
        rows[c] = rows[c].astype(float)
    for c in mm.CREDIT_CATEGORICAL:
        rows[c] = rows[c].where(rows[c].notna(), mm.CAT_MISSING).astype(str).astype(object)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Found unknown categories")
        labels = pipe.predict(rows)
    # The ONNX conversion must be of this very model: same labels as recorded for the ONNX file.
    agree = int(np.sum(labels == np.asarray(expected["onnx_outputs"]["label"])))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        signature = infer_signature(Xtr, pipe.predict(Xtr))
        # MLflow 3.17 saves with skops by default and refuses types it cannot vouch for; these are ours.
        mlflow.sklearn.save_model(pipe, out, signature=signature, skops_trusted_types=SKOPS_TRUSTED)
    print(json.dumps({"labels": [int(v) for v in labels], "agree_with_onnx": agree, "rows": len(labels)}))


if __name__ == "__main__":
    main()
