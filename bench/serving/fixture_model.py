"""The scikit-learn model behind test/fixtures/models/credit_gbdt.onnx, trained again with
python/fixtures/make_models.py's own table, split, pipeline and version-1 hyperparameters, for the benchmark's peers
that load scikit-learn themselves (mlflow_model.py, peer_model.py): every server answers with the model that the
ONNX file was converted from."""
from __future__ import annotations

import json
import os
import sys
import warnings

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "python", "fixtures"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import make_models as mm  # noqa: E402

# make_models.main(): v1 = dict(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=0)
HYPER_V1 = dict(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=0)


def train_v1(script: str):
    """(pipeline, training frame, labels for the fixture's recorded rows, how many agree with the ONNX labels).
    Exits with a message naming `script` when the fixture was made with other hyperparameters."""
    df = mm.make_credit_table()
    X = mm.credit_model_frame(df)
    y = df[mm.CREDIT_TARGET].to_numpy()
    Xtr, _, ytr, _ = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    pipe = mm.credit_pipeline(GradientBoostingClassifier(**HYPER_V1)).fit(Xtr, ytr)

    expected = json.loads(open(os.path.join(mm.OUT, "credit_gbdt.expected.json"), encoding="utf-8").read())
    if expected.get("hyperparameters") != HYPER_V1:
        sys.stderr.write(f"{script}: fixture hyperparameters {expected.get('hyperparameters')} != {HYPER_V1}\n")
        sys.exit(1)
    rows = mm.credit_model_frame(pd.DataFrame(expected["records"], columns=mm.CREDIT_FEATURES))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Found unknown categories")
        labels = pipe.predict(rows)
    # The ONNX conversion must be of this very model: same labels as recorded for the ONNX file.
    agree = int(np.sum(labels == np.asarray(expected["onnx_outputs"]["label"])))
    return pipe, Xtr, labels, agree
