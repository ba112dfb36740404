"""bench/explain's Python side. Two commands, each printing one JSON line:

  peer.py train DIR TREES FEATURES DEPTH ROWS BACKGROUND SEED
      trains a seeded scikit-learn GradientBoostingClassifier (binary; TREES trees of max_depth DEPTH on FEATURES
      float32 columns), converts it with skl2onnx to DIR/model.onnx, pickles it to DIR/model.pkl and writes the
      explained rows and the background (float32, row-major) to DIR/rows.f32 and DIR/background.f32.
  peer.py explain DIR
      times shap.TreeExplainer(model, background, feature_perturbation="interventional") — shap's interventional
      TreeSHAP of the raw (log-odds) output, the same output Ferry explains — over the rows, and writes its values
      to DIR/shap.f64 for the agreement check. Import, loading and the explainer's construction are not timed.
"""
import json
import pickle
import sys
import time
import warnings
from pathlib import Path

import numpy as np


def train(d, trees, features, depth, rows, background, seed):
    from skl2onnx import convert_sklearn
    from skl2onnx.common.data_types import FloatTensorType
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(seed)
    n = 5000
    X = rng.normal(size=(n, features)).astype(np.float32)
    w = rng.normal(size=features)
    logit = X @ w / np.sqrt(features) + 0.8 * X[:, 0] * X[:, 1] - 0.5 * X[:, 2] ** 2
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    started = time.perf_counter()
    model = GradientBoostingClassifier(n_estimators=trees, max_depth=depth, random_state=seed).fit(X, y)
    fit_s = time.perf_counter() - started
    onx = convert_sklearn(model, initial_types=[("input", FloatTensorType([None, features]))], options={id(model): {"zipmap": False}})
    (d / "model.onnx").write_bytes(onx.SerializeToString())
    (d / "model.pkl").write_bytes(pickle.dumps(model))
    test = rng.normal(size=(rows + background, features)).astype(np.float32)
    test[:rows].tofile(d / "rows.f32")
    test[rows:].tofile(d / "background.f32")
    leaves = int(sum(est[0].tree_.n_leaves for est in model.estimators_))
    print(json.dumps({"fit_seconds": fit_s, "leaves": leaves}))


def explain(d):
    import shap

    model = pickle.loads((d / "model.pkl").read_bytes())
    m = model.n_features_in_
    rows = np.fromfile(d / "rows.f32", dtype=np.float32).reshape(-1, m).astype(np.float64)
    bg = np.fromfile(d / "background.f32", dtype=np.float32).reshape(-1, m).astype(np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        explainer = shap.TreeExplainer(model, bg, feature_perturbation="interventional")
        started = time.perf_counter()
        values = explainer.shap_values(rows, check_additivity=False)
        seconds = time.perf_counter() - started
    np.asarray(values, dtype=np.float64).reshape(len(rows), m).tofile(d / "shap.f64")
    print(json.dumps({"seconds": seconds, "shap": shap.__version__, "expected_value": float(np.ravel(explainer.expected_value)[0])}))


if __name__ == "__main__":
    cmd, d = sys.argv[1], Path(sys.argv[2])
    if cmd == "train":
        train(d, *map(int, sys.argv[3:9]))
    else:
        explain(d)
