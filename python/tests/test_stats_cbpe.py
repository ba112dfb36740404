"""Ferry's CBPE (dist/stats/cbpe) against nannyml 0.13.1 and scikit-learn's IsotonicRegression, on seeded data.

Every estimated metric (ROC AUC, F1, precision, recall, specificity, accuracy, average precision), its sampling
error, its ±3·SE band and the realized value on the chunk's labelled rows must agree with nannyml.CBPE to 1e-12,
with NaN (None from Ferry) at the same places, chunk by chunk (chunk_size as nannyml splits; the same row ranges go
to Ferry). Shapes: well calibrated, miscalibrated (isotonic used), majority-positive reference (AUROC's flipped
components), tiny chunks, a chunk whose labels are one class, tied scores, an unlabelled analysis.

Pinned, not reproduced: nannyml decides calibration over scikit-learn's StratifiedShuffleSplit(random_state=42),
whose random stream is numpy's. The estimates run with the decision nannyml took ('isotonic' or 'none'); the
decision rule itself is checked on scikit-learn's own splits, passed to Ferry (ECE before/after to 1e-12).

Average precision's sampling error: nannyml draws its 50 reference resamples with numpy's unseeded global state.
Here numpy's global state is seeded before nannyml's fit and the same draws are regenerated and handed to Ferry's
component function (cbpeApComponent); the fitted estimator carries that component, so AP's sampling error and band
are compared to 1e-12 too. Ferry's own seeded draws are then checked to land near nannyml's figure (a bootstrap
std from 50 resamples: within a factor of 1.5).
"""
import math
import os
import warnings

os.environ.setdefault("NML_DISABLE_USAGE_LOGGING", "1")  # nannyml posts usage events to segment.io otherwise

import nannyml  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from nannyml.calibration import (  # noqa: E402
    IsotonicCalibrator,
    _calculate_expected_calibration_error,
    _get_bin_index_edges,
    needs_calibration,
)
from sklearn.isotonic import IsotonicRegression  # noqa: E402
from sklearn.model_selection import StratifiedShuffleSplit  # noqa: E402

TOL = 1e-12
METRICS = ["roc_auc", "f1", "precision", "recall", "specificity", "accuracy", "average_precision"]
FIELDS = [
    ("value", "value"),
    ("samplingError", "sampling_error"),
    ("realized", "realized"),
    ("lower", "lower_confidence_boundary"),
    ("upper", "upper_confidence_boundary"),
]


def test_nannyml_version():
    assert nannyml.__version__ == "0.13.1"


def close(a, b, tol=TOL):
    a = np.nan if a is None else float(a)
    b = np.nan if b is None else float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return abs(a - b) <= tol


# --- data shapes ---------------------------------------------------------------------------------------------


def frame(y, p, threshold=0.5):
    return pd.DataFrame({"y_true": y, "y_pred_proba": p, "y_pred": (p >= threshold).astype(int)})


def calibrated(rng, n, a=2.0, b=3.0):
    p = rng.beta(a, b, n)
    return (rng.random(n) < p).astype(int), p


def miscalibrated(rng, n, a=2.0, b=3.0, power=2.0):
    p = rng.beta(a, b, n)
    return (rng.random(n) < p**power).astype(int), p


def with_labels_missing(rng, y, share):
    y = y.astype(float)
    y[rng.random(len(y)) < share] = np.nan
    return y


def cases():
    out = []
    for s in range(3):  # well calibrated, some labels missing in analysis
        rng = np.random.default_rng(100 + s)
        y, p = calibrated(rng, 2000 + 500 * s)
        ya, pa = calibrated(rng, 2200, 2.4, 3.0)
        out.append(("calibrated-%d" % s, frame(y, p), frame(with_labels_missing(rng, ya, 0.3), pa), 500, s))
    for s in range(3):  # miscalibrated: nannyml calibrates
        rng = np.random.default_rng(200 + s)
        y, p = miscalibrated(rng, 3000)
        ya, pa = miscalibrated(rng, 2500, 2.8, 2.5)
        out.append(("miscalibrated-%d" % s, frame(y, p, 0.4), frame(ya.astype(float), pa, 0.4), 700, 10 + s))
    rng = np.random.default_rng(300)  # majority-positive reference: AUROC components flip classes
    y, p = miscalibrated(rng, 1500, 5.0, 1.5, 0.7)
    ya, pa = miscalibrated(rng, 1200, 4.0, 2.0, 0.7)
    out.append(("majority-positive", frame(y, p), frame(ya.astype(float), pa), 300, 20))
    rng = np.random.default_rng(400)  # tiny chunks (7 rows; the last one 4)
    y, p = calibrated(rng, 400)
    ya, pa = calibrated(rng, 60)
    out.append(("tiny-chunks", frame(y, p), frame(ya.astype(float), pa), 7, 30))
    rng = np.random.default_rng(500)  # one chunk whose labels are all 0, another whose predictions are all 1
    y, p = miscalibrated(rng, 1000)
    ya, pa = miscalibrated(rng, 600)
    ya = ya.astype(float)
    ya[:200] = 0.0
    pa[200:400] = 0.55 + 0.45 * pa[200:400]
    out.append(("one-class-chunks", frame(y, p), frame(ya, pa), 200, 40))
    rng = np.random.default_rng(600)  # tied scores (two decimals) in analysis and calibration, none across classes
    y, p = miscalibrated(rng, 1500)
    ya, pa = miscalibrated(rng, 1000, 2.5, 2.5)
    out.append(("tied-scores", frame(y, p), frame(ya.astype(float), np.round(pa, 2)), 250, 50))
    rng = np.random.default_rng(700)  # no labels in analysis at all: realized is NaN/None everywhere
    y, p = calibrated(rng, 1200)
    _, pa = calibrated(rng, 900, 3.0, 2.0)
    ana = frame(np.zeros(900), pa).drop(columns=["y_true"])
    out.append(("unlabelled", frame(y, p), ana, 300, 60))
    return out


CASES = cases()


def run_nannyml(ref, ana, chunk_size, seed):
    est = nannyml.CBPE(
        y_pred_proba="y_pred_proba",
        y_pred="y_pred",
        y_true="y_true",
        problem_type="classification_binary",
        metrics=METRICS,
        chunk_size=chunk_size,
    )
    np.random.seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est.fit(ref)
        res = est.estimate(ana).filter(period="analysis").to_df()
    # The draws nannyml's AP component took from numpy's global state, regenerated.
    np.random.seed(seed)
    size = min(len(ref) // 2, 50_000)
    draws = [np.random.choice(len(ref), size, replace=True) for _ in range(50)]
    return est, res, draws


@pytest.mark.parametrize("name,ref,ana,chunk_size,seed", CASES, ids=[c[0] for c in CASES])
def test_cbpe_matches_nannyml(stats, name, ref, ana, chunk_size, seed):
    est, res, draws = run_nannyml(ref, ana, chunk_size, seed)
    if name.startswith("miscalibrated"):
        assert est.needs_calibration, "the miscalibrated shape should make nannyml calibrate"
    reference = {"yTrue": ref.y_true.values, "yProba": ref.y_pred_proba.values, "yPred": ref.y_pred.values}
    fitted = stats.call("cbpe", "cbpeFit", reference, {"calibration": "isotonic" if est.needs_calibration else "none"})
    assert fitted["calibration"]["method"] == ("isotonic" if est.needs_calibration else "none")
    ferry_ap = fitted["components"]["average_precision"]
    fitted["components"]["average_precision"] = stats.call(
        "cbpe", "cbpeApComponent", reference["yTrue"], reference["yProba"], draws
    )
    compared = 0
    for _, row in res.iterrows():
        start, end = int(row[("chunk", "start_index")]), int(row[("chunk", "end_index")])
        chunk = ana.iloc[start : end + 1]
        body = {"yProba": chunk.y_pred_proba.values, "yPred": chunk.y_pred.values}
        if "y_true" in chunk:
            body["yTrue"] = [None if math.isnan(v) else int(v) for v in chunk.y_true]
        out = stats.call("cbpe", "cbpeEstimate", fitted, body)
        assert out["rows"] == len(chunk)
        for metric in METRICS:
            for ours, theirs in FIELDS:
                a, b = out["metrics"][metric][ours], row[(metric, theirs)]
                assert close(a, b), f"{name} chunk {start}: {metric}.{ours} Ferry {a} nannyml {b}"
                compared += 1
    assert compared == len(res) * len(METRICS) * len(FIELDS)

    # Ferry's own seeded AP resamples: same procedure, different random stream.
    theirs = est.metrics[METRICS.index("average_precision")]._sampling_error_components[0]
    if not math.isnan(theirs) and theirs > 0:
        assert 1 / 1.5 < ferry_ap["std"] / theirs < 1.5


def test_unlabelled_and_one_class_realized_are_null(stats):
    name, ref, ana, chunk_size, _ = next(c for c in CASES if c[0] == "one-class-chunks")
    fitted = stats.call(
        "cbpe", "cbpeFit", {"yTrue": ref.y_true.values, "yProba": ref.y_pred_proba.values, "yPred": ref.y_pred.values}
    )
    zeros = ana.iloc[:200]
    out = stats.call(
        "cbpe",
        "cbpeEstimate",
        fitted,
        {"yProba": zeros.y_pred_proba.values, "yPred": zeros.y_pred.values, "yTrue": zeros.y_true.values},
    )
    assert out["labelled"] == 200
    assert out["metrics"]["roc_auc"]["realized"] is None  # one class: nannyml's NaN
    assert out["metrics"]["average_precision"]["realized"] is None
    assert out["metrics"]["accuracy"]["realized"] is not None


# --- the calibration decision, on scikit-learn's own splits ---------------------------------------------------


def sklearn_splits(y, p):
    sss = StratifiedShuffleSplit(n_splits=10, test_size=0.1, random_state=42)
    return [{"train": tr.tolist(), "test": te.tolist()} for tr, te in sss.split(p, y)]


class StableSorted(np.ndarray):
    """An array whose argsort keeps ties in row order. nannyml's ECE sorts with numpy's default (unstable, SIMD on
    some CPUs) quicksort; isotonic output is full of ties, and which tied rows fall either side of a bin edge then
    depends on the machine. Ferry keeps ties in row order; nannyml's own function is run with that order."""

    def argsort(self, *args, **kwargs):
        return np.asarray(self).argsort(kind="stable")


class _StableNumpy:
    """numpy as nannyml.calibration sees it during nannyml_eces: np.asarray hands back StableSorted views."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def asarray(a, *args, **kwargs):
        return np.asarray(a, *args, **kwargs).view(StableSorted)


def nannyml_eces(y, p, monkeypatch):
    monkeypatch.setattr(nannyml.calibration, "np", _StableNumpy())
    sss = StratifiedShuffleSplit(n_splits=10, test_size=0.1, random_state=42)
    cal = IsotonicCalibrator()
    ty, tp, tc = [], [], []
    for tr, te in sss.split(p, y):
        cal.fit(p[tr], y[tr])
        ty.append(y[te])
        tp.append(p[te])
        tc.append(cal.calibrate(p[te]))
    ty, tp, tc = np.concatenate(ty), np.concatenate(tp), np.concatenate(tc)
    edges = _get_bin_index_edges(len(tp), 10)
    return _calculate_expected_calibration_error(ty, tp, edges), _calculate_expected_calibration_error(ty, tc, edges)


@pytest.mark.parametrize("seed", range(8))
def test_calibration_decision_on_sklearn_splits(stats, seed, monkeypatch):
    rng = np.random.default_rng(900 + seed)
    n = [60, 150, 400, 1000, 2000, 3000, 800, 25][seed]
    y, p = (calibrated if seed % 2 else miscalibrated)(rng, n)
    decision = stats.call("cbpe", "cbpeCalibrationDecision", y, p, sklearn_splits(y, p))
    assert decision["calibrate"] == needs_calibration(y, p, IsotonicCalibrator())
    before, after = nannyml_eces(y, p, monkeypatch)
    assert close(decision["eceBefore"], before) and close(decision["eceAfter"], after)
    assert decision["reason"]


def test_calibration_decision_shortcuts(stats):
    rng = np.random.default_rng(5)
    p = rng.random(300)
    one = stats.call("cbpe", "cbpeCalibrationDecision", np.ones(300, int), p, [])
    assert one["calibrate"] is False and needs_calibration(np.ones(300, int), p, IsotonicCalibrator()) is False
    y = (p > 0.5).astype(int)  # separable: ROC AUC 1 > 0.999
    sep = stats.call("cbpe", "cbpeCalibrationDecision", y, p, [])
    assert sep["calibrate"] is False and needs_calibration(y, p, IsotonicCalibrator()) is False
    assert close(sep["referenceRocAuc"], 1.0)


@pytest.mark.parametrize("n", [7, 20, 21, 25, 99, 100, 101, 1000])
def test_bin_edges(stats, n):
    assert [list(e) for e in stats.call("cbpe", "cbpeBinIndexEdges", n, 10)] == [
        [int(a), int(b)] for a, b in _get_bin_index_edges(n, 10)
    ]


def test_ece_matches_nannyml(stats):
    for seed in range(5):
        rng = np.random.default_rng(seed)
        n = 50 + 97 * seed
        y, p = miscalibrated(rng, n)
        edges = _get_bin_index_edges(n, 10)
        ours = stats.call("cbpe", "cbpeExpectedCalibrationError", y, p, [[int(a), int(b)] for a, b in edges])
        assert close(ours, _calculate_expected_calibration_error(y, p, edges))


# --- isotonic regression against scikit-learn -----------------------------------------------------------------


def isotonic_cases():
    out = []
    for s in range(6):
        rng = np.random.default_rng(1000 + s)
        n = [5, 40, 300, 1000, 2500, 64][s]
        x = rng.random(n)
        if s in (2, 4):
            x = np.round(x, 2)  # ties in x: their y averaged
        y = (rng.random(n) < x**1.7).astype(float) if s != 5 else rng.normal(x, 0.3)
        out.append((f"iso-{s}", x, y))
    out.append(("iso-constant-x", np.full(10, 0.3), np.array([0, 1, 1, 0, 1, 1, 1, 0, 0, 1.0])))
    out.append(("iso-decreasing", np.linspace(0, 1, 50), np.linspace(1, 0, 50)))
    out.append(("iso-near-ties", np.array([0.1, 0.1 + 5e-16, 0.2, 0.2 + 2e-15, 0.5]), np.array([1, 0, 0, 1, 1.0])))
    return out


@pytest.mark.parametrize("name,x,y", isotonic_cases(), ids=[c[0] for c in isotonic_cases()])
def test_isotonic_matches_sklearn(stats, name, x, y):
    iso = IsotonicRegression(out_of_bounds="clip", increasing=True).fit(x, y)
    fit = stats.call("cbpe", "cbpeIsotonicFit", x, y)
    assert len(fit["x"]) == len(iso.X_thresholds_)
    assert all(close(a, b) for a, b in zip(fit["x"], iso.X_thresholds_))
    assert all(close(a, b) for a, b in zip(fit["y"], iso.y_thresholds_))
    t = np.concatenate([np.linspace(-0.5, 1.5, 401), x, np.random.default_rng(1).random(200)])
    ours = stats.call("cbpe", "cbpeIsotonicPredict", fit, t)
    theirs = iso.predict(t)
    assert all(close(a, b) for a, b in zip(ours, theirs))


# --- refusals ---------------------------------------------------------------------------------------------------


def test_refusals_name_the_field(stats):
    ok = {"yTrue": [0, 1, 0, 1] * 10, "yProba": [0.2, 0.7, 0.4, 0.9] * 10, "yPred": [0, 1, 0, 1] * 10}
    for field, bad in [("y_true", {**ok, "yTrue": [2] * 40}), ("y_proba", {**ok, "yProba": [1.5] * 40}),
                       ("y_pred", {**ok, "yPred": [0] * 39})]:
        with pytest.raises(RuntimeError, match=field):
            stats.call("cbpe", "cbpeFit", bad)
    with pytest.raises(RuntimeError, match="calibration"):
        stats.call("cbpe", "cbpeFit", ok, {"calibration": "platt"})
    fitted = stats.call("cbpe", "cbpeFit", ok)
    with pytest.raises(RuntimeError, match="y_proba"):
        stats.call("cbpe", "cbpeEstimate", fitted, {"yProba": [], "yPred": []})
    with pytest.raises(RuntimeError, match="fitted"):
        stats.call("cbpe", "cbpeEstimate", {"kind": "other"}, {"yProba": [0.5], "yPred": [1]})
