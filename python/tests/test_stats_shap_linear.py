"""Ferry's exact linear explanations (dist/serving readLinearModel + dist/analysis explainLinear, what the explain API
runs for `method: linear`) against shap 0.51.0's LinearExplainer(model, background,
feature_perturbation="interventional") on scikit-learn models converted by skl2onnx: LinearRegression, Ridge, Lasso,
and LogisticRegression binary and 3-class (margins: shap explains the decision function, Ferry the LinearClassifier's
scores before its post_transform). To 1e-6 relative: the ONNX graph stores the coefficients as float32 and reads
float32 inputs, so shap is given the inputs as the graph sees them (rounded to float32) and the comparison is then
off only by the coefficients' float32 rounding.
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
from sklearn.linear_model import Lasso, LinearRegression, LogisticRegression, Ridge

HARNESS = Path(__file__).with_name("shap_linear_harness.mjs")
REPO = Path(__file__).resolve().parents[2]
RTOL = 1e-6
M = 5
FEATURES = [f"f{i}" for i in range(M)]


def test_shap_version():
    assert shap.__version__ == "0.51.0"


@pytest.fixture(scope="module")
def ferry():
    for built in ("serving/runtime/onnx-linear.js", "analysis/explain-linear.js"):
        if not (REPO / "dist" / built).exists():
            pytest.fail(f"dist/{built} missing: run `npx tsc -p tsconfig.build.json` first")
    proc = subprocess.Popen(["node", str(HARNESS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, cwd=REPO)

    def call(path, background, rows):
        req = {"model": str(path), "features": FEATURES, "background": background.tolist(), "rows": rows.tolist()}
        proc.stdin.write(json.dumps(req) + "\n")
        proc.stdin.flush()
        answer = json.loads(proc.stdout.readline())
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return answer["result"]

    yield call
    proc.stdin.close()
    proc.wait(timeout=10)


def table(seed, n):
    rng = np.random.default_rng(seed)
    # Features on different scales and off-centre, so x − mean is not the raw value.
    return rng.normal(size=(n, M)) * np.array([1.0, 10.0, 0.1, 3.0, 50.0]) + np.array([0.0, 40.0, 1.0, -2.0, 300.0])


def as_seen(X):
    """What a float32 ONNX input sees."""
    return X.astype(np.float32).astype(np.float64)


def fitted(kind):
    X = table(11, 400)
    z = (X - X.mean(axis=0)) / X.std(axis=0)
    margin = z @ np.array([1.5, -2.0, 0.0, 0.7, 1.2]) + 0.3
    noise = np.random.default_rng(12).normal(0, 0.5, len(X))
    if kind == "linear_regression":
        return LinearRegression().fit(X, 3 * margin + noise)
    if kind == "ridge":
        return Ridge(alpha=2.0).fit(X, 3 * margin + noise)
    if kind == "lasso":
        return Lasso(alpha=0.05).fit(X, 3 * margin + noise)
    if kind == "logistic_binary":
        return LogisticRegression(max_iter=2000).fit(X, (margin + noise > 0).astype(int))
    return LogisticRegression(max_iter=5000).fit(X, np.digitize(margin + noise, [-0.8, 0.8]))


def convert(model, path):
    options = {id(model): {"zipmap": False}} if hasattr(model, "predict_proba") else None
    onx = convert_sklearn(model, initial_types=[("X", FloatTensorType([None, M]))], options=options, target_opset={"": 17, "ai.onnx.ml": 3})
    path.write_bytes(onx.SerializeToString())
    return path


def close(got, want, scale):
    """|got − want| ≤ RTOL·scale: scale is the size of the terms summed into want, each off by the coefficients'
    float32 rounding (a base value w·mean + b can be small beside its terms)."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert got.shape == want.shape
    worst = np.max(np.abs(got - want) / np.maximum(np.broadcast_to(scale, want.shape), 1e-300))
    assert worst <= RTOL, f"off by {worst:.3g} of the terms' size (> {RTOL})"


def term_scale(model, X):
    """Per row and output, Σ_i |w_i·x_i| + |b|: the size of the terms of the linear function at X."""
    W = np.atleast_2d(model.coef_)
    return np.abs(X) @ np.abs(W).T + np.abs(np.atleast_1d(model.intercept_))


def check_additivity(e):
    for r, row in enumerate(e["values"]):
        for o, phi in enumerate(row):
            assert abs(sum(phi) + e["base"][o] - e["fx"][r][o]) <= 1e-12 * max(1, abs(e["fx"][r][o]))


@pytest.mark.parametrize("kind", ["linear_regression", "ridge", "lasso", "logistic_binary", "logistic_3class"])
def test_linear_explainer_interventional(tmp_path, ferry, kind):
    model = fitted(kind)
    path = convert(model, tmp_path / f"{kind}.onnx")
    bg = as_seen(table(13, 80))
    rows = as_seen(table(14, 10))
    res = ferry(path, bg, rows)
    e = res["explanation"]
    assert e["method"] == "linear" and e["evaluations"] == 0 and e["truncated"] is False
    check_additivity(e)

    explainer = shap.LinearExplainer(model, bg, feature_perturbation="interventional")
    sv = np.asarray(explainer.shap_values(rows))
    base = np.atleast_1d(explainer.expected_value)
    got = np.asarray(e["values"])  # rows × outputs × M
    assert np.abs(sv).max() > 0.1  # the comparison is not between zeros
    # φ_i = w_i·(x_i − mean_i) is off by w_i's float32 rounding alone: relative to itself.
    scale = np.abs(sv)
    base_scale = term_scale(model, bg.mean(axis=0, keepdims=True))[0]
    fx_scale = term_scale(model, rows)

    if kind == "logistic_binary":
        # skl2onnx writes −w and +w: Ferry explains both margins, shap the decision function (the positive class's).
        assert res["model"]["outputNames"] == ["margin:0", "margin:1"]
        close(got[:, 1, :], sv, scale)
        close(got[:, 0, :], -sv, scale)
        close(e["base"], [-base[0], base[0]], base_scale[0])
        close(np.asarray(e["fx"])[:, 1], model.decision_function(rows), fx_scale[:, 0])
    elif kind == "logistic_3class":
        assert res["model"]["outputNames"] == ["margin:0", "margin:1", "margin:2"]
        assert res["model"]["postTransform"] == "SOFTMAX"
        close(got.transpose(0, 2, 1), sv, scale)  # shap: rows × M × classes
        close(e["base"], base, base_scale)
        close(e["fx"], model.decision_function(rows), fx_scale)
    else:
        assert res["model"]["outputNames"] == ["value"]
        close(got[:, 0, :], sv, scale)
        close(e["base"], base, base_scale)
        close(np.asarray(e["fx"])[:, 0], model.predict(rows), fx_scale[:, 0])

    # f(x) is what onnxruntime serves, through the post_transform for a classifier (float32 arithmetic there).
    sess = ort.InferenceSession(str(path))
    served = np.asarray(sess.run(None, {"X": rows.astype(np.float32)})[-1], dtype=float).reshape(len(rows), -1)
    fx = np.asarray(e["fx"])
    if kind == "logistic_binary":
        expected = 1 / (1 + np.exp(-fx))
    elif kind == "logistic_3class":
        ez = np.exp(fx - fx.max(axis=1, keepdims=True))
        expected = ez / ez.sum(axis=1, keepdims=True)
    else:
        expected = fx
    np.testing.assert_allclose(served, expected, rtol=1e-5, atol=1e-6)


def test_refuses_a_scaler_in_front(tmp_path, ferry):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X = table(15, 100)
    pipe = make_pipeline(StandardScaler(), LinearRegression()).fit(X, X @ np.arange(M))
    res = ferry(convert(pipe, tmp_path / "scaled.onnx"), as_seen(X[:10]), as_seen(X[:2]))
    assert "Scaler" in res["refused"]
