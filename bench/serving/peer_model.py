"""Trains the scikit-learn model behind test/fixtures/models/credit_gbdt.onnx and saves it with joblib, for the
serving peers that load a scikit-learn model themselves (MLServer's mlserver-sklearn, BentoML).

    .venv/bin/python bench/serving/peer_model.py OUT_DIR

Same training as mlflow_model.py (python/fixtures/make_models.py's own table, split, pipeline and version-1
hyperparameters), so every server answers with the model that the ONNX file was converted from. Writes
OUT_DIR/model.joblib and prints one JSON line: the labels scikit-learn gives for the fixture's 20 recorded rows and
how many agree with the ONNX labels recorded for them. The peers' venv must have this venv's scikit-learn version
(bench/serving/peers-requirements.txt pins it) to load the file.
"""
from __future__ import annotations

import json
import os
import sys
import warnings

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "python", "fixtures"))

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sklearn  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402

import make_models as mm  # noqa: E402

# make_models.main(): v1 = dict(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=0)
HYPER_V1 = dict(n_estimators=60, max_depth=3, learning_rate=0.1, random_state=0)


def main() -> None:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    df = mm.make_credit_table()
    X = mm.credit_model_frame(df)
    y = df[mm.CREDIT_TARGET].to_numpy()
    Xtr, _, ytr, _ = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
    pipe = mm.credit_pipeline(GradientBoostingClassifier(**HYPER_V1)).fit(Xtr, ytr)

    expected = json.loads(open(os.path.join(mm.OUT, "credit_gbdt.expected.json"), encoding="utf-8").read())
    if expected.get("hyperparameters") != HYPER_V1:
        sys.stderr.write(f"peer_model.py: fixture hyperparameters {expected.get('hyperparameters')} != {HYPER_V1}\n")
        sys.exit(1)
    rows = mm.credit_model_frame(pd.DataFrame(expected["records"], columns=mm.CREDIT_FEATURES))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Found unknown categories")
        labels = pipe.predict(rows)
    agree = int(np.sum(labels == np.asarray(expected["onnx_outputs"]["label"])))
    joblib.dump(pipe, os.path.join(out, "model.joblib"))
    print(json.dumps({"labels": [int(v) for v in labels], "agree_with_onnx": agree, "rows": len(labels), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
