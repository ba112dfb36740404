"""Ferry's model-performance metrics (dist/stats/metrics) against scikit-learn on the same data."""
import numpy as np
import pytest
from sklearn import metrics as skm

REL = 1e-9


def close(a, b):
    assert a == pytest.approx(b, rel=REL, abs=1e-12)


def binary_case(seed, n=500, ties=False):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    p = np.clip(0.5 * y + rng.normal(0.25, 0.3, n), 0, 1)
    if ties:
        p = np.round(p, 1)
    return y, p


@pytest.mark.parametrize("seed,ties", [(1, False), (2, True), (3, True)])
def test_binary_classification_matches_scikit_learn(stats, seed, ties):
    y, p = binary_case(seed, ties=ties)
    pred = (p >= 0.5).astype(int)
    probs = np.stack([1 - p, p], axis=1)
    r = stats.call("metrics", "classificationReport", y, pred, {"probabilities": probs, "classes": [0, 1]})
    close(r["accuracy"], skm.accuracy_score(y, pred))
    close(r["precision"], skm.precision_score(y, pred, zero_division=0))
    close(r["recall"], skm.recall_score(y, pred, zero_division=0))
    close(r["f1"], skm.f1_score(y, pred, zero_division=0))
    close(r["weighted"]["f1"], skm.f1_score(y, pred, average="weighted", zero_division=0))
    close(r["roc_auc"], skm.roc_auc_score(y, p))
    close(r["log_loss"], skm.log_loss(y, probs))
    assert r["confusion_matrix"] == skm.confusion_matrix(y, pred).tolist()


def test_imbalanced_and_degenerate(stats):
    rng = np.random.default_rng(9)
    y = (rng.random(1000) < 0.03).astype(int)
    p = np.clip(0.4 * y + rng.random(1000) * 0.6, 0, 1)
    pred = (p > 0.55).astype(int)
    r = stats.call("metrics", "classificationReport", y, pred, {"probabilities": np.stack([1 - p, p], 1), "classes": [0, 1]})
    close(r["precision"], skm.precision_score(y, pred, zero_division=0))
    close(r["recall"], skm.recall_score(y, pred, zero_division=0))
    close(r["roc_auc"], skm.roc_auc_score(y, p))
    # Nothing predicted positive: precision is 0 (zero_division=0), as scikit-learn's.
    none = np.zeros_like(y)
    r0 = stats.call("metrics", "classificationReport", y, none, {})
    close(r0["precision"], skm.precision_score(y, none, zero_division=0))
    close(r0["f1"], skm.f1_score(y, none, zero_division=0))
    # One class only: ROC AUC is undefined (scikit-learn raises); Ferry answers null and says why.
    ones = np.ones(50, dtype=int)
    r1 = stats.call("metrics", "classificationReport", ones, ones, {"probabilities": [[0.2, 0.8]] * 50, "classes": [0, 1]})
    assert r1["roc_auc"] is None and r1["notes"]


def test_multiclass_string_labels(stats):
    rng = np.random.default_rng(4)
    classes = ["bird", "cat", "dog"]
    y = rng.choice(classes, 600)
    raw = rng.random((600, 3)) + 0.8 * (y[:, None] == np.array(classes))
    probs = raw / raw.sum(1, keepdims=True)
    pred = np.array(classes)[probs.argmax(1)]
    r = stats.call("metrics", "classificationReport", y.tolist(), pred.tolist(), {"probabilities": probs, "classes": classes})
    close(r["accuracy"], skm.accuracy_score(y, pred))
    close(r["precision"], skm.precision_score(y, pred, average="macro", zero_division=0))
    close(r["recall"], skm.recall_score(y, pred, average="macro", zero_division=0))
    close(r["f1"], skm.f1_score(y, pred, average="macro", zero_division=0))
    close(r["weighted"]["precision"], skm.precision_score(y, pred, average="weighted", zero_division=0))
    close(r["roc_auc"], skm.roc_auc_score(y, probs, multi_class="ovr", labels=classes))
    close(r["log_loss"], skm.log_loss(y, probs, labels=classes))
    assert r["labels"] == classes


def test_log_loss_clips_certain_mistakes(stats):
    y = [0, 1, 1, 0]
    probs = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.3, 0.7]]
    r = stats.call("metrics", "classificationReport", y, [0, 1, 0, 1], {"probabilities": probs, "classes": [0, 1]})
    close(r["log_loss"], skm.log_loss(y, probs))


@pytest.mark.parametrize("seed,zeros,constant", [(1, False, False), (2, True, False), (3, False, True)])
def test_regression_matches_scikit_learn(stats, seed, zeros, constant):
    rng = np.random.default_rng(seed)
    y = rng.normal(100, 20, 400)
    if zeros:
        y[::7] = 0.0
    if constant:
        y = np.full(400, 5.0)
    p = y + rng.normal(0, 5, 400)
    r = stats.call("metrics", "regressionReport", y, p)
    close(r["mae"], skm.mean_absolute_error(y, p))
    close(r["mse"], skm.mean_squared_error(y, p))
    close(r["rmse"], skm.root_mean_squared_error(y, p))
    close(r["r2"], skm.r2_score(y, p))
    close(r["mape"], skm.mean_absolute_percentage_error(y, p))
    close(r["max_error"], skm.max_error(y, p))
    # A perfect fit of a constant target: 1.0 (scikit-learn's force_finite).
    assert stats.call("metrics", "regressionReport", [3.0, 3.0], [3.0, 3.0])["r2"] == skm.r2_score([3.0, 3.0], [3.0, 3.0])
