"""Ferry's model-performance metrics (dist/stats/metrics) against scikit-learn 1.9 on the same data.

Every metric must equal scikit-learn's to 1e-9 relative, and the report merged from per-window accumulator
states (made in chunks, passed through JSON, merged) must equal the single-pass report to 1e-9 relative.
Binned ROC AUC (an accumulator past its exact-row cap) must lie within its reported bound of the exact value.
"""
import math
import warnings

import numpy as np
import pytest
import sklearn
from sklearn import metrics as skm

REL = 1e-9
METRICS = ("accuracy", "precision", "recall", "f1", "roc_auc", "log_loss")


def close(got, want, rel=REL):
    if want is None or got is None:
        assert got is None and want is None, (got, want)
        return
    assert math.isfinite(got), got
    assert abs(got - want) <= max(1e-15, rel * abs(want)), (got, want)


def test_scikit_learn_version():
    assert sklearn.__version__.startswith("1.9")


# --- data sets ---------------------------------------------------------------------------------------


def binary_case(seed, n=600, ties=False, prevalence=0.4, labels=(0, 1)):
    rng = np.random.default_rng(seed)
    y01 = (rng.random(n) < prevalence).astype(int)
    p = np.clip(0.3 + 0.3 * y01 + rng.normal(0, 0.22, n), 0, 1)
    if ties:
        p = np.round(p, 1)  # ~11 distinct scores: many ties within and across classes
    y = np.array(labels)[y01]
    pred = np.array(labels)[(p >= 0.5).astype(int)]
    return y, pred, p


def multiclass_case(seed, classes, n=700, skew=None):
    rng = np.random.default_rng(seed)
    k = len(classes)
    idx = rng.choice(k, n, p=skew)
    raw = rng.random((n, k)) + 0.9 * (idx[:, None] == np.arange(k))
    probs = raw / raw.sum(1, keepdims=True)
    y = np.array(classes)[idx]
    pred = np.array(classes)[probs.argmax(1)]
    return y, pred, probs


def chunks(n, seed, parts=5):
    cuts = np.sort(np.random.default_rng(seed).choice(np.arange(1, n), parts - 1, replace=False))
    return list(zip([0, *cuts], [*cuts, n]))


def merged_report(stats, y, pred, options, seed=0, **batch):
    states = []
    for a, b in chunks(len(y), seed):
        part = {k: v[a:b] for k, v in batch.items()}
        states.append(stats.call("metrics", "classificationState", y[a:b], pred[a:b], {**options, **part}))
    return stats.call("metrics", "classificationStateReport", stats.call("metrics", "mergeClassificationStates", states))


def assert_same_report(got, want):
    for key in METRICS:
        close(got[key], want[key])
    for avg in ("macro", "weighted", "micro"):
        for key in ("precision", "recall", "f1"):
            close(got[avg][key], want[avg][key])
    assert got["confusion_matrix"] == want["confusion_matrix"]
    assert got["labels"] == want["labels"] and got["positive_label"] == want["positive_label"]


def check_counts(r, y, pred, labels):
    close(r["accuracy"], skm.accuracy_score(y, pred))
    for avg in ("macro", "weighted", "micro"):
        p, rc, f, _ = skm.precision_recall_fscore_support(y, pred, labels=labels, average=avg, zero_division=0)
        close(r[avg]["precision"], p)
        close(r[avg]["recall"], rc)
        close(r[avg]["f1"], f)
    p, rc, f, s = skm.precision_recall_fscore_support(y, pred, labels=labels, average=None, zero_division=0)
    for i, row in enumerate(r["per_class"]):
        close(row["precision"], p[i])
        close(row["recall"], rc[i])
        close(row["f1"], f[i])
        assert row["support"] == s[i]
    assert r["confusion_matrix"] == skm.confusion_matrix(y, pred, labels=labels).tolist()


# --- binary ------------------------------------------------------------------------------------------

BINARY = [
    dict(seed=1),
    dict(seed=2, ties=True),
    dict(seed=3, ties=True, prevalence=0.5),
    dict(seed=4, prevalence=0.03, n=2000),  # imbalanced
    dict(seed=5, labels=("churn", "stay")),
    dict(seed=6, ties=True, labels=(-1, 1)),
]


@pytest.mark.parametrize("case", BINARY, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
@pytest.mark.parametrize("positive_first", [False, True])
def test_binary_matches_scikit_learn(stats, case, positive_first):
    y, pred, p = binary_case(**case)
    labels = sorted(set(y.tolist()) | set(pred.tolist()))
    positive = labels[0] if positive_first else labels[1]
    # p is the probability of labels[1]; as the positive label's score it must be flipped for labels[0].
    score = 1 - p if positive_first else p
    opts = {"probabilities": score, "positiveLabel": positive}
    r = stats.call("metrics", "classificationReport", y.tolist(), pred.tolist(), opts)
    assert r["labels"] == labels and r["positive_label"] == positive and r["average"] == "binary"
    close(r["precision"], skm.precision_score(y, pred, pos_label=positive, zero_division=0))
    close(r["recall"], skm.recall_score(y, pred, pos_label=positive, zero_division=0))
    close(r["f1"], skm.f1_score(y, pred, pos_label=positive, zero_division=0))
    close(r["roc_auc"], skm.roc_auc_score(y == positive, score))
    close(r["log_loss"], skm.log_loss(y, np.stack([1 - p, p], 1), labels=labels))
    check_counts(r, y, pred, labels)
    assert r["notes"] == [] or all("zero_division" in n for n in r["notes"])
    # The same rows as five windows, each through JSON, merged.
    assert_same_report(merged_report(stats, y.tolist(), pred.tolist(), {"positiveLabel": positive}, probabilities=score.tolist()), r)
    # Scores instead of probabilities give the same AUC; a probability matrix the same everything.
    by_scores = stats.call("metrics", "classificationReport", y.tolist(), pred.tolist(), {"scores": score, "positiveLabel": positive})
    close(by_scores["roc_auc"], r["roc_auc"])
    matrix = {"probabilities": np.stack([1 - p, p], 1), "labels": labels, "positiveLabel": positive}
    assert_same_report(stats.call("metrics", "classificationReport", y.tolist(), pred.tolist(), matrix), r)
    assert_same_report(merged_report(stats, y.tolist(), pred.tolist(), {"labels": labels, "positiveLabel": positive}, probabilities=matrix["probabilities"].tolist()), r)


def test_standalone_functions_match_scikit_learn(stats):
    y, pred, p = binary_case(7, ties=True)
    close(stats.call("metrics", "rocAuc", y, p), skm.roc_auc_score(y, p))
    close(stats.call("metrics", "logLoss", y, p), skm.log_loss(y, p))
    close(stats.call("metrics", "precision", y, pred), skm.precision_score(y, pred))
    close(stats.call("metrics", "f1Score", y, pred, {"average": "weighted"}), skm.f1_score(y, pred, average="weighted"))
    cm = stats.call("metrics", "confusionMatrix", y, pred)
    assert cm["matrix"] == skm.confusion_matrix(y, pred).tolist()


def test_degenerate_binary(stats):
    rng = np.random.default_rng(9)
    y = (rng.random(300) < 0.1).astype(int)
    none = np.zeros_like(y)  # nothing predicted positive: precision 0 by zero_division=0
    r = stats.call("metrics", "classificationReport", y, none, {})
    close(r["precision"], skm.precision_score(y, none, zero_division=0))
    close(r["f1"], skm.f1_score(y, none, zero_division=0))
    assert r["roc_auc"] is None and r["log_loss"] is None and any("never predicted" in n for n in r["notes"])
    # One class in y_true: scikit-learn warns and answers NaN for ROC AUC; Ferry answers null and says why.
    ones = np.ones(50, dtype=int)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert math.isnan(skm.roc_auc_score(np.r_[ones, 0][:-1], np.full(50, 0.7)))
    r1 = stats.call("metrics", "classificationReport", ones, ones, {"probabilities": [[0.2, 0.8]] * 50, "labels": [0, 1]})
    assert r1["roc_auc"] is None and any("one class" in n for n in r1["notes"])
    close(r1["log_loss"], skm.log_loss(ones, [[0.2, 0.8]] * 50, labels=[0, 1]))
    close(r1["precision"], 1.0)


def test_log_loss_clipping_and_unnormalised_rows(stats):
    y = [0, 1, 1, 0]
    probs = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.3, 0.7]]  # a certain mistake: clipped at eps, not inf
    r = stats.call("metrics", "classificationReport", y, [0, 1, 0, 1], {"probabilities": probs, "labels": [0, 1]})
    close(r["log_loss"], skm.log_loss(y, probs))
    # Rows not summing to 1: scikit-learn 1.9 warns and does not renormalise; neither does Ferry (it notes it).
    y3 = ["a", "b", "c", "a"]
    rows = [[0.5, 0.2, 0.2], [0.1, 0.9, 0.3], [0.2, 0.2, 0.5], [0.7, 0.1, 0.1]]
    with pytest.warns(UserWarning, match="do not sum to one"):
        want = skm.log_loss(y3, rows)
    r3 = stats.call("metrics", "classificationReport", y3, y3, {"probabilities": rows})
    close(r3["log_loss"], want)
    assert r3["roc_auc"] is None  # roc_auc_score refuses them too
    assert any("do not sum to 1" in n for n in r3["notes"])


# --- multiclass --------------------------------------------------------------------------------------

MULTI = [
    dict(seed=11, classes=[0, 1, 2]),
    dict(seed=12, classes=["bird", "cat", "dog", "fish"]),
    dict(seed=13, classes=[3, 10, 20, 100, 7], skew=[0.6, 0.2, 0.1, 0.07, 0.03]),  # imbalanced
    dict(seed=14, classes=["Z", "a", "é"]),  # code-point order
]


@pytest.mark.parametrize("case", MULTI, ids=lambda c: f"seed={c['seed']}")
def test_multiclass_matches_scikit_learn(stats, case):
    y, pred, probs = multiclass_case(**case)
    labels = sorted(case["classes"])
    order = [case["classes"].index(c) for c in labels]
    probs = probs[:, order]  # columns in sorted label order, as scikit-learn expects
    r = stats.call("metrics", "classificationReport", y.tolist(), pred.tolist(), {"probabilities": probs, "labels": labels})
    assert r["labels"] == labels and r["average"] == "macro" and r["positive_label"] is None
    close(r["precision"], skm.precision_score(y, pred, average="macro", zero_division=0))
    close(r["recall"], skm.recall_score(y, pred, average="macro", zero_division=0))
    close(r["f1"], skm.f1_score(y, pred, average="macro", zero_division=0))
    close(r["roc_auc"], skm.roc_auc_score(y, probs, multi_class="ovr", labels=labels))
    close(r["log_loss"], skm.log_loss(y, probs, labels=labels))
    check_counts(r, y, pred, labels)
    assert_same_report(merged_report(stats, y.tolist(), pred.tolist(), {"labels": labels}, seed=case["seed"], probabilities=probs.tolist()), r)
    assert r == stats.call("metrics", "classificationReport", y.tolist(), pred.tolist(), {"probabilities": probs})  # labels inferred, sorted


# --- binned ROC AUC ----------------------------------------------------------------------------------


@pytest.mark.parametrize("ties", [False, True])
def test_binned_auc_within_its_bound(stats, ties):
    y, pred, p = binary_case(21, n=20_000, ties=ties)
    exact = skm.roc_auc_score(y, p)
    r = merged_report(stats, y.tolist(), pred.tolist(), {"exactCap": 5000}, probabilities=p.tolist())
    assert r["roc_auc_mode"] == "binned"
    assert abs(r["roc_auc"] - exact) <= r["roc_auc_error_bound"] + 1e-12
    if ties:
        # Each distinct score fills its own bin, so binning changes nothing; the bound (worst case) cannot know.
        close(r["roc_auc"], exact)
    else:
        assert r["roc_auc_error_bound"] < 2e-3  # 1000 bins over [0, 1], continuous scores
    small = merged_report(stats, y.tolist()[:4000], pred.tolist()[:4000], {"exactCap": 5000}, probabilities=p.tolist()[:4000])
    assert small["roc_auc_mode"] == "exact" and small["roc_auc_error_bound"] == 0


def test_binned_multiclass_auc_within_its_bound(stats):
    labels = ["a", "b", "c", "d"]
    y, pred, probs = multiclass_case(22, labels, n=12_000)
    exact = skm.roc_auc_score(y, probs, multi_class="ovr", labels=labels)
    opts = {"labels": labels, "exactCap": 3000}
    r = merged_report(stats, y.tolist(), pred.tolist(), opts, probabilities=probs.tolist())
    assert r["roc_auc_mode"] == "binned"
    assert abs(r["roc_auc"] - exact) <= r["roc_auc_error_bound"] + 1e-12 and r["roc_auc_error_bound"] < 2e-3
    close(r["log_loss"], skm.log_loss(y, probs, labels=labels))  # still exact: a sum, not a sketch
    print(f"binned multiclass AUC error {abs(r['roc_auc'] - exact):.2e}, bound {r['roc_auc_error_bound']:.2e}")


# --- regression --------------------------------------------------------------------------------------

REGRESSION = [
    dict(seed=31),
    dict(seed=32, zeros=True),  # MAPE's eps floor for y_true = 0
    dict(seed=33, offset=1e6),  # |mean| >> spread: where sums of y and y² would cancel
    dict(seed=34, n=3),
]


def regression_case(seed, n=800, zeros=False, offset=0.0):
    rng = np.random.default_rng(seed)
    y = offset + rng.normal(100, 20, n)
    if zeros:
        y[::7] = 0.0
    return y, y + rng.normal(0, 5, n)


def check_regression(r, y, p):
    close(r["mae"], skm.mean_absolute_error(y, p))
    close(r["mse"], skm.mean_squared_error(y, p))
    close(r["rmse"], skm.root_mean_squared_error(y, p))
    close(r["r2"], skm.r2_score(y, p))
    close(r["mape"], skm.mean_absolute_percentage_error(y, p))
    close(r["max_error"], skm.max_error(y, p))
    assert r["n"] == len(y)


@pytest.mark.parametrize("case", REGRESSION, ids=lambda c: "-".join(f"{k}={v}" for k, v in c.items()))
def test_regression_matches_scikit_learn(stats, case):
    y, p = regression_case(**case)
    r = stats.call("metrics", "regressionReport", y, p)
    check_regression(r, y, p)
    parts = chunks(len(y), case["seed"], parts=min(5, len(y)))
    states = [stats.call("metrics", "regressionState", y[a:b], p[a:b]) for a, b in parts]
    merged = stats.call("metrics", "regressionStateReport", stats.call("metrics", "mergeRegressionStates", states))
    check_regression(merged, y, p)
    for key in ("mae", "mse", "rmse", "r2", "mape", "max_error"):
        close(merged[key], r[key])


def test_regression_constant_target(stats):
    for y, p in (([5.0] * 4, [5.0] * 4), ([5.0] * 4, [5.0, 5.0, 5.0, 6.0]), ([7.0] * 10, [7.5] * 10)):
        assert stats.call("metrics", "regressionReport", y, p)["r2"] == skm.r2_score(y, p)
    # Documented difference: scikit-learn's mean of [0.1] * 3 is not 0.1, so its R² is ~-5e29, not 0.
    y, p = [0.1] * 3, [0.1, 0.1, 0.11]
    assert skm.r2_score(y, p) < -1e20
    assert stats.call("metrics", "regressionReport", y, p)["r2"] == 0.0
    one = stats.call("metrics", "regressionReport", [1.0], [2.0])
    assert one["r2"] is None and one["notes"]


def test_errors_name_the_field(stats):
    with pytest.raises(RuntimeError, match="'y_true' is empty"):
        stats.call("metrics", "classificationReport", [], [], {})
    with pytest.raises(RuntimeError, match="'y_pred' has 1"):
        stats.call("metrics", "regressionReport", [1.0, 2.0], [1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        stats.call("metrics", "regressionReport", [1.0, float("nan")], [1.0, 2.0])
