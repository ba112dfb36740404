"""Ferry's model-agnostic explainers (dist/stats/shap, kernel/) against shap 0.51.0.

* KernelExplainer with nsamples = 2^M − 2 (every coalition, so no sampling and no l1 selection) on a small
  scikit-learn classifier and regressor converted to ONNX: shap runs the model through onnxruntime in Python, Ferry
  through onnxruntime-node (shap_kernel_harness.mjs); Ferry's exact enumeration and its KernelSHAP with every
  coalition must agree with shap to 1e-9 on every class probability / prediction, and add up.
* LinearExplainer (interventional, an Independent masker on the background) against Ferry's linearShap on the
  model's coefficients, to 1e-9.
"""
import json
import subprocess
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import shap
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import GradientBoostingRegressor, RandomForestClassifier
from sklearn.linear_model import LinearRegression, LogisticRegression

HARNESS = Path(__file__).with_name("shap_kernel_harness.mjs")
REPO = Path(__file__).resolve().parents[2]
TOL = 1e-9


def test_shap_version():
    assert shap.__version__ == "0.51.0"


@pytest.fixture(scope="module")
def ferry():
    if not (REPO / "dist" / "stats" / "shap" / "kernel").exists():
        pytest.fail("dist/stats/shap missing: run `npx tsc -p tsconfig.build.json` first")
    proc = subprocess.Popen(["node", str(HARNESS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, cwd=REPO)

    def call(fn, args, model=None, output=None):
        req = {"fn": fn, "args": args}
        if model is not None:
            req.update(model=str(model), input="X", output=output)
        proc.stdin.write(json.dumps(req) + "\n")
        proc.stdin.flush()
        answer = json.loads(proc.stdout.readline())
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return answer["result"]

    yield call
    proc.stdin.close()
    proc.wait(timeout=10)


def data(seed, n, m):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    return X


def onnx_fn(path, output):
    # One thread on both sides: onnxruntime's tree ensembles split work by trees or by rows depending on the batch
    # and the threads, which changes float32 summation order, so one row's output would depend on its batch.
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts)

    def f(X):
        out = sess.run([output], {"X": np.asarray(X, dtype=np.float32)})[0]
        return np.asarray(out, dtype=np.float64).reshape(len(X), -1)

    return f


def check_additivity(res):
    for r, row in enumerate(res["values"]):
        for o, phi in enumerate(row):
            assert abs(sum(phi) + res["base"][o] - res["fx"][r][o]) <= 1e-9 * max(1, abs(res["fx"][r][o]))


def kernel_case(tmp_path, ferry, estimator, M, output, outputs):
    X = data(1, 300, M)
    y = X[:, 0] * X[:, 1] + np.sin(X[:, 2]) + 0.5 * X[:, 3] ** 2 - X[:, 4]
    if outputs > 1:
        y = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    est = estimator.fit(X, y)
    opts = {id(est): {"zipmap": False}} if outputs > 1 else None
    onx = convert_sklearn(est, initial_types=[("X", FloatTensorType([None, M]))], options=opts)
    path = tmp_path / "model.onnx"
    path.write_bytes(onx.SerializeToString())
    f = onnx_fn(path, output)
    bg = data(2, 12, M)
    rows = data(3, 4, M)
    explainer = shap.KernelExplainer(f, bg)
    sv = np.asarray(explainer.shap_values(rows, nsamples=2**M - 2, silent=True))  # (rows, M, outputs)
    if sv.ndim == 2:
        sv = sv[:, :, None]
    args = {"background": bg.tolist(), "rows": rows.tolist(), "outputNames": [f"o{i}" for i in range(outputs)]}
    exact = ferry("exactShapley", args, path, output)
    kernel = ferry("kernelShap", {**args, "nsamples": 2**M - 2, "seed": 7}, path, output)
    for res in (exact, kernel):
        got = np.asarray(res["values"]).transpose(0, 2, 1)  # rows × M × outputs
        assert got.shape == sv.shape
        np.testing.assert_allclose(got, sv, rtol=0, atol=TOL)
        np.testing.assert_allclose(res["base"], np.atleast_1d(explainer.expected_value), rtol=0, atol=TOL)
        assert res["truncated"] is False
        check_additivity(res)
    return sv


def test_kernel_explainer_classifier_probabilities(tmp_path, ferry):
    sv = kernel_case(tmp_path, ferry, RandomForestClassifier(n_estimators=15, max_depth=5, random_state=0), 6, "probabilities", 3)
    assert np.abs(sv).max() > 0.01  # the comparison is not between zeros


def test_kernel_explainer_regressor(tmp_path, ferry):
    sv = kernel_case(tmp_path, ferry, GradientBoostingRegressor(n_estimators=30, max_depth=3, random_state=0), 7, "variable", 1)
    assert np.abs(sv).max() > 0.1


@pytest.mark.parametrize("kind", ["regression", "logistic"])
def test_linear_explainer_interventional(ferry, kind):
    M = 5
    X = data(4, 200, M)
    y = X @ np.array([1.5, -2.0, 0.0, 0.7, 3.0]) + 0.3
    if kind == "logistic":
        model = LogisticRegression().fit(X, (y > 0.5).astype(int))
        W, b = model.coef_, model.intercept_
    else:
        model = LinearRegression().fit(X, y)
        W, b = model.coef_[None, :], np.atleast_1d(model.intercept_)
    bg = data(5, 50, M)
    rows = data(6, 8, M)
    explainer = shap.LinearExplainer(model, shap.maskers.Independent(bg, max_samples=len(bg)))
    sv = np.asarray(explainer.shap_values(rows))
    res = ferry("linearShap", {"weights": W.tolist(), "intercepts": b.tolist(), "background": bg.tolist(), "rows": rows.tolist(), "outputNames": ["y"]})
    np.testing.assert_allclose(np.asarray(res["values"])[:, 0, :], sv, rtol=0, atol=TOL)
    np.testing.assert_allclose(res["base"][0], float(np.atleast_1d(explainer.expected_value)[0]), rtol=0, atol=TOL)
    check_additivity(res)
