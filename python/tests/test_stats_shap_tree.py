"""Ferry's TreeSHAP (readTreeEnsemble + treeShapInterventional, dist/) against shap 0.51.0's interventional TreeExplainer.

Seeded scikit-learn (GradientBoosting, RandomForest, ExtraTrees, DecisionTree), XGBoost 3.2.0 and LightGBM 4.7.0
models — regressors, binary and 3-class classifiers — are converted to ONNX with skl2onnx / onnxmltools; Ferry
explains the ONNX bytes (shap_tree_harness.mjs), shap explains with
`shap.TreeExplainer(model, background, feature_perturbation="interventional", model_output="raw")`, twice:

* on **the float32-rounded model**: the trees exactly as the ONNX graph holds them (float32 thresholds and leaf
  weights, widened to float64), handed to shap as its dictionary model format (`onnx_as_shap_model`). Both sides then
  play the same game, so they must agree to rtol 1e-6 (they agree to ~1e-12: only float64 summation order differs);
* on **the native model** (sklearn / xgboost / lightgbm object, float64 leaf values): ONNX rounded every weight and
  threshold to float32, so agreement is bounded by that rounding: checked to 1e-6 of the largest |φ| of the model
  (measured: about 1e-7 of it).

Also: Σφ + base = f(x) (Ferry's raw output) to 1e-9 relative on every answer; base = mean raw output over the
background = shap's expected_value; Ferry's raw output after post_transform = onnxruntime's output to 1e-6.
The data are float32 values (ONNX's input type), with NaN in a tenth of the XGBoost / LightGBM cells (missing values
routed by missing_value_tracks_true on Ferry's side, by each node's default child on shap's).
"""
import json
import subprocess
import warnings
from pathlib import Path

import lightgbm
import numpy as np
import onnx
import onnxruntime as ort
import pytest
import shap
import xgboost
from onnx import numpy_helper
from onnxmltools import convert_lightgbm, convert_xgboost
from onnxmltools.convert.common.data_types import FloatTensorType as MltFloat
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.ensemble import (
    ExtraTreesRegressor,
    GradientBoostingClassifier,
    GradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.tree import DecisionTreeClassifier

HARNESS = Path(__file__).with_name("shap_tree_harness.mjs")
REPO = Path(__file__).resolve().parents[2]
M = 6
RTOL = 1e-6


def test_versions():
    assert shap.__version__ == "0.51.0"
    assert xgboost.__version__ == "3.2.0"
    assert lightgbm.__version__ == "4.7.0"


@pytest.fixture(scope="module")
def ferry():
    if not (REPO / "dist" / "serving" / "runtime" / "onnx-tree-ensemble.js").exists():
        pytest.fail("dist/ missing: run `npx tsc -p tsconfig.build.json` first")
    proc = subprocess.Popen(["node", str(HARNESS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1, cwd=REPO)

    def call(path, background, rows, algorithm="auto"):
        enc = lambda a: [[None if np.isnan(v) else float(v) for v in r] for r in a]  # noqa: E731
        req = {"model": str(path), "background": enc(background), "rows": enc(rows), "algorithm": algorithm}
        proc.stdin.write(json.dumps(req).replace("null", '"NaN"') + "\n")
        proc.stdin.flush()
        answer = json.loads(proc.stdout.readline())
        if not answer["ok"]:
            raise RuntimeError(answer["error"])
        return answer["result"]

    yield call
    proc.stdin.close()
    proc.wait(timeout=10)


# --- data and models -------------------------------------------------------------------------------------------


def data(seed, n=600, nan_rate=0.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, M)).astype(np.float32)
    X[:, 3] = np.round(X[:, 3] * 2).astype(np.float32)  # a few-valued column: ties at thresholds
    y = X[:, 0] + 0.8 * X[:, 1] ** 2 - X[:, 2] * X[:, 3] + 0.3 * rng.normal(size=n)
    if nan_rate:
        X[rng.random(X.shape) < nan_rate] = np.nan
    classes2 = (y > np.median(y)).astype(int)
    classes3 = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    return X, y, classes2, classes3


def skl(model, X):
    return convert_sklearn(model, initial_types=[("input", FloatTensorType([None, M]))], options={id(model): {"zipmap": False}} if hasattr(model, "classes_") else None)


def mlt(convert, model):
    return convert(model, initial_types=[("input", MltFloat([None, M]))], **({"zipmap": False} if convert is convert_lightgbm else {}))


def cases():
    X, y, c2, c3 = data(0)
    Xn, yn, c2n, c3n = data(1, nan_rate=0.1)
    gb = dict(n_estimators=40, max_depth=3, random_state=0)
    rf = dict(n_estimators=12, max_depth=7, random_state=0)
    xg = dict(n_estimators=30, max_depth=4, learning_rate=0.3, random_state=0)
    lg = dict(n_estimators=30, num_leaves=12, learning_rate=0.2, random_state=0, verbose=-1)
    return [
        ("sklearn GradientBoostingRegressor", X, lambda: GradientBoostingRegressor(**gb).fit(X, y), skl),
        ("sklearn GradientBoostingClassifier binary", X, lambda: GradientBoostingClassifier(**gb).fit(X, c2), skl),
        ("sklearn GradientBoostingClassifier 3-class", X, lambda: GradientBoostingClassifier(**gb).fit(X, c3), skl),
        ("sklearn RandomForestRegressor", X, lambda: RandomForestRegressor(**rf).fit(X, y), skl),
        ("sklearn RandomForestClassifier binary", X, lambda: RandomForestClassifier(**rf).fit(X, c2), skl),
        ("sklearn RandomForestClassifier 3-class", X, lambda: RandomForestClassifier(**rf).fit(X, c3), skl),
        ("sklearn ExtraTreesRegressor", X, lambda: ExtraTreesRegressor(**rf).fit(X, y), skl),
        ("sklearn DecisionTreeClassifier 3-class", X, lambda: DecisionTreeClassifier(max_depth=6, random_state=0).fit(X, c3), skl),
        ("xgboost XGBRegressor", Xn, lambda: xgboost.XGBRegressor(**xg).fit(Xn, yn), lambda m, _: mlt(convert_xgboost, m)),
        ("xgboost XGBClassifier binary", Xn, lambda: xgboost.XGBClassifier(**xg).fit(Xn, c2n), lambda m, _: mlt(convert_xgboost, m)),
        ("xgboost XGBClassifier 3-class", Xn, lambda: xgboost.XGBClassifier(**xg).fit(Xn, c3n), lambda m, _: mlt(convert_xgboost, m)),
        ("lightgbm LGBMRegressor", Xn, lambda: lightgbm.LGBMRegressor(**lg).fit(Xn, yn), lambda m, _: mlt(convert_lightgbm, m)),
        ("lightgbm LGBMClassifier binary", Xn, lambda: lightgbm.LGBMClassifier(**lg).fit(Xn, c2n), lambda m, _: mlt(convert_lightgbm, m)),
        ("lightgbm LGBMClassifier 3-class", Xn, lambda: lightgbm.LGBMClassifier(**lg).fit(Xn, c3n), lambda m, _: mlt(convert_lightgbm, m)),
    ]


# --- the ONNX trees as shap's dictionary model: the float32-rounded model --------------------------------------


def attrs(node):
    out = {}
    for a in node.attribute:
        if a.name.endswith("_as_tensor"):
            out[a.name[: -len("_as_tensor")]] = numpy_helper.to_array(a.t).astype(np.float64).ravel()
        else:
            v = onnx.helper.get_attribute_value(a)
            out.setdefault(a.name, v)
    return out


def onnx_as_shap_model(model_proto):
    """Each ONNX tree as shap's dict tree: left = true child, thresholds widened from float32; BRANCH_LT becomes ≤ the
    float32 below t (exact for float32 inputs); NaN goes to the child missing_value_tracks_true names, as in onnxruntime."""
    (node,) = [n for n in model_proto.graph.node if n.op_type.startswith("TreeEnsemble")]
    a = attrs(node)
    prefix = "target" if node.op_type == "TreeEnsembleRegressor" else "class"
    n_out = len(a.get("classlabels_int64s") or a.get("classlabels_strings") or []) or a.get("n_targets", 1)
    out_ids = sorted(set(a[f"{prefix}_ids"]))
    if prefix == "class" and n_out == 2 and out_ids == [0]:
        n_out = 1  # binary, one score column: the positive class's
    trees = []
    tree_ids = list(dict.fromkeys(a["nodes_treeids"]))
    mtt = a.get("nodes_missing_value_tracks_true") or [0] * len(a["nodes_treeids"])
    for t in tree_ids:
        idx = [i for i, v in enumerate(a["nodes_treeids"]) if v == t]
        local = {a["nodes_nodeids"][i]: k for k, i in enumerate(idx)}
        n = len(idx)
        left, right, default = (np.full(n, -1, np.int64) for _ in range(3))
        feats = np.zeros(n, np.int64)
        thr = np.zeros(n, np.float64)
        for k, i in enumerate(idx):
            mode = a["nodes_modes"][i].decode()
            if mode == "LEAF":
                continue
            assert mode in ("BRANCH_LEQ", "BRANCH_LT"), mode
            v = float(a["nodes_values"][i])
            # x < t is x ≤ (the float32 below t) for float32 inputs, whichever precision shap keeps thresholds in.
            thr[k] = v if mode == "BRANCH_LEQ" else float(np.nextafter(np.float32(v), np.float32(-np.inf)))
            feats[k] = a["nodes_featureids"][i]
            left[k] = local[a["nodes_truenodeids"][i]]
            right[k] = local[a["nodes_falsenodeids"][i]]
            default[k] = left[k] if mtt[i] else right[k]
        values = np.zeros((n, n_out))
        for tt, nn, cid, w in zip(a[f"{prefix}_treeids"], a[f"{prefix}_nodeids"], a[f"{prefix}_ids"], a[f"{prefix}_weights"]):
            if tt == t:
                values[local[nn], cid] += float(w)
        if a.get("aggregate_function", b"SUM") == b"AVERAGE":
            values /= len(tree_ids)
        trees.append(dict(children_left=left, children_right=right, children_default=default, features=feats, thresholds=thr, values=values, node_sample_weight=np.ones(n)))
    return {"trees": trees, "input_dtype": np.float32, "internal_dtype": np.float64, "tree_output": "raw_value"}


def as_nkm(values, n_out):
    """shap's answer as (rows, outputs, features); a binary classifier's two-column answer keeps the positive class."""
    v = np.asarray(values, dtype=np.float64)
    if isinstance(values, list):
        v = np.stack(values, axis=-1)
    if v.ndim == 2:
        v = v[:, :, None]
    v = np.transpose(v, (0, 2, 1))
    if v.shape[1] == 2 and n_out == 1:
        v = v[:, 1:, :]
    return v


def shap_values(model, background, rows, n_out):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e = shap.TreeExplainer(model, background.astype(np.float64), feature_perturbation="interventional", model_output="raw")
        return as_nkm(e.shap_values(rows.astype(np.float64), check_additivity=False), n_out), np.atleast_1d(e.expected_value)


@pytest.mark.parametrize("name,X,fit,convert", cases(), ids=[c[0] for c in cases()])
def test_tree_shap_matches_shap(ferry, tmp_path, name, X, fit, convert):
    native = fit()
    proto = convert(native, X)
    path = tmp_path / "model.onnx"
    path.write_bytes(proto.SerializeToString())
    background, rows = X[:80], X[500:530]

    ours = ferry(path, background, rows)
    assert ours["tree"], ours.get("reason")
    phi = np.array(ours["values"], dtype=np.float64)  # rows × outputs × features
    n_out = phi.shape[1]
    fx = np.array(ours["fx"])
    base = np.array(ours["base"])

    # Additivity on every answer, and the base is the background's mean raw output.
    np.testing.assert_allclose(phi.sum(axis=2) + base, fx, rtol=1e-9, atol=1e-9)

    # The float32-rounded model (the ONNX trees, in shap's dictionary format): the same game, same numbers.
    exact, exact_base = shap_values(onnx_as_shap_model(proto), background, rows, n_out)
    assert exact.shape == phi.shape
    scale = np.abs(exact).max()
    # shap's interventional C++ keeps its partial sums in float32 (tree_shap.h: pos_lst, neg_lst, memoized_weights
    # are float), so its own values carry ~1e-7 of the largest |φ|: rtol 1e-6 with an atol of 1e-6 of that largest.
    np.testing.assert_allclose(phi, exact, rtol=RTOL, atol=RTOL * scale)
    offsets = np.array([0.0] * n_out)
    a = attrs([n for n in proto.graph.node if n.op_type.startswith("TreeEnsemble")][0])
    if "base_values" in a:
        offsets = np.array(list(a["base_values"])[:n_out], dtype=np.float64) if len(a["base_values"]) >= n_out else offsets + a["base_values"][0]
    np.testing.assert_allclose(base, exact_base + offsets, rtol=1e-9, atol=1e-9)

    # The native model: bounded by ONNX's float32 rounding of thresholds and weights. shap 0.51 refuses a multiclass
    # GradientBoostingClassifier ("only supported for binary classification"): that one is checked on its ONNX trees.
    if name == "sklearn GradientBoostingClassifier 3-class":
        return check_scores(ours, path, rows)
    ref, _ = shap_values(native, background, rows, n_out)
    assert ref.shape == phi.shape, (ref.shape, phi.shape)
    worst = np.abs(phi - ref).max() / np.abs(ref).max()
    print(f"{name}: max |Ferry − shap(ONNX trees)| = {np.abs(phi - exact).max() / scale:.1e}, max |Ferry − shap(native)| = {worst:.1e} of max |φ|")
    assert worst <= 1e-6, f"{name}: max |Ferry − shap(native)| = {worst:.2e} of max |φ|"

    check_scores(ours, path, rows)


def check_scores(ours, path, rows):
    """f(x): Ferry's raw output after post_transform = onnxruntime's output (probabilities, or the regression value)."""
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    outs = sess.run(None, {"input": rows})
    scores = outs[-1] if len(outs) > 1 else outs[0]
    np.testing.assert_allclose(np.array(ours["scores"]).reshape(np.shape(scores)), scores, rtol=1e-6, atol=1e-6)


def test_both_summations_agree_on_a_deep_forest(ferry, tmp_path):
    """The leaves method (background-independent per row) and the pair walk (shap's) on deep trees: same numbers."""
    X, y, _, c3 = data(2)
    model = RandomForestClassifier(n_estimators=5, max_depth=14, random_state=0).fit(X, c3)
    path = tmp_path / "rf.onnx"
    path.write_bytes(skl(model, X).SerializeToString())
    a = ferry(path, X[:40], X[500:510], "leaves")
    b = ferry(path, X[:40], X[500:510], "pairs")
    np.testing.assert_allclose(np.array(a["values"]), np.array(b["values"]), rtol=1e-9, atol=1e-12)


def test_preprocessing_in_front_is_refused_with_the_reason(ferry, tmp_path):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y, _, _ = data(3)
    pipe = make_pipeline(StandardScaler(), GradientBoostingRegressor(n_estimators=5, random_state=0)).fit(X, y)
    path = tmp_path / "pipe.onnx"
    path.write_bytes(convert_sklearn(pipe, initial_types=[("input", FloatTensorType([None, M]))]).SerializeToString())
    out = ferry(path, X[:5], X[5:7])
    assert out["tree"] is False
    assert "Scaler" in out["reason"]
