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

import joblib
import sklearn

from fixture_model import train_v1


def main() -> None:
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    pipe, _, labels, agree = train_v1("peer_model.py")
    joblib.dump(pipe, os.path.join(out, "model.joblib"))
    print(json.dumps({"labels": [int(v) for v in labels], "agree_with_onnx": agree, "rows": len(labels), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
