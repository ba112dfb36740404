"""Ferry's offline-gate statistics (dist/stats/gate) against an independent numpy reference (gate_reference.py).

- The bootstrap's index stream must equal the reference's exactly (SplitMix64 + Lemire, numpy uint64), and the
  reference's SplitMix64 must reproduce the published splitmix64.c vector.
- Every bootstrap replicate's statistic (scikit-learn's metric on the resampled rows, candidate − champion),
  the point estimates, the percentile interval and the one-sided bound must match to 1e-9 (relative to the
  value, absolute below 1), with the same skipped replicates and the same outcome.
- DeLong: AUCs (against roc_auc_score), the covariance matrix, the difference's variance, z, p, interval and
  bound against a brute-force O(m·n) DeLong from the 1988 definitions, to 1e-9; zero variance → null z and p.
Grid: balanced and imbalanced classes, ties, n = 5, n = 20,000, perfect separation, identical models, seeds varied.
"""
import math
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the helper module next to this file
import gate_reference as ref  # noqa: E402

TOL = 1e-9


def close(got, want, what=""):
    if want is None or got is None:
        assert got is None and want is None, (what, got, want)
        return
    assert math.isfinite(got), (what, got)
    assert abs(got - want) <= TOL * max(1.0, abs(want)), (what, got, want, abs(got - want))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def classification_case(kind, seed):
    """Labels and two correlated models' P(positive) (the candidate a little better), by kind."""
    rng = np.random.default_rng(seed)
    n, prevalence = {"balanced": (500, 0.5), "imbalanced": (2000, 0.05), "ties": (600, 0.4), "tiny": (5, 0.5), "large": (20_000, 0.3)}.get(kind, (300, 0.4))
    if kind == "tiny":
        y = np.array([0, 1, 0, 1, 1])
    else:
        y = (rng.random(n) < prevalence).astype(int)
        y[:2] = [0, 1]  # both classes present
    sign = 2 * y - 1
    common = rng.normal(0, 1, len(y))
    c = sigmoid(1.4 * sign + common + rng.normal(0, 0.7, len(y)))
    b = sigmoid(1.1 * sign + common + rng.normal(0, 0.7, len(y)))
    if kind == "ties":
        c, b = np.round(c, 1), np.round(b, 1)
    if kind == "separated":  # the candidate separates perfectly with hard 0/1 probabilities (log loss clips them)
        c = y.astype(float)
    if kind == "both_separated":
        c, b = 0.5 + 0.4 * sign, 0.5 + 0.3 * sign
    if kind == "identical":
        b = c.copy()
    if kind == "worse":  # the champion is the better model: the gate must fail
        c, b = b, c
    if kind == "tiny_mixed":  # n = 5 with a tie and mis-ordered pairs in both models
        y, c, b = np.array([0, 1, 0, 1, 1]), np.array([0.2, 0.6, 0.7, 0.4, 0.9]), np.array([0.5, 0.5, 0.1, 0.3, 0.8])
    return y, c, b


def regression_case(kind, seed):
    rng = np.random.default_rng(seed)
    n = {"tiny": 5, "large": 20_000}.get(kind, 400)
    y = rng.normal(10, 3, n)
    c = y + rng.normal(0, 1.0, n)
    b = c.copy() if kind == "identical" else y + rng.normal(0.1, 1.1, n)
    if kind == "ties":
        y, c, b = np.round(y), np.round(c), np.round(b)
    return y, c, b


def inputs(metric, kind, seed):
    if metric in ("mae", "rmse"):
        return regression_case(kind, seed)
    y, c, b = classification_case(kind, seed)
    if metric == "accuracy":
        return y, (c > 0.5).astype(int), (b > 0.5).astype(int)
    return y, c, b


# --- the random stream -------------------------------------------------------------------------------


def test_reference_splitmix64_reproduces_the_published_vector():
    got = [int(v) for v in ref.splitmix64(1234567, 0, 5)]
    assert got == [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821]


@pytest.mark.parametrize(
    "seed,n",
    [(0, 1), (1, 5), (42, 7), (2**53 - 1, 1000), (7, 3 * 2**30), (11, 2**21 + 1), (99, 2**32 - 1)],
)
def test_index_stream_matches_bit_for_bit(stats, seed, n):
    count = 20_000
    got = stats.call("gate", "drawIndices", seed, n, count)
    assert got == ref.indices(seed, n, count).tolist()


def test_full_64_bit_seed_as_string(stats):
    seed = (1 << 64) - 1
    assert stats.call("gate", "drawIndices", str(seed), 1000, 5000) == ref.indices(seed, 1000, 5000).tolist()


# --- paired bootstrap --------------------------------------------------------------------------------

GRID = [
    *[(m, k) for m in ("accuracy", "log_loss", "roc_auc") for k in ("balanced", "imbalanced", "ties", "tiny", "tiny_mixed", "separated", "identical", "worse")],
    ("roc_auc", "both_separated"),
    *[(m, k) for m in ("mae", "rmse") for k in ("balanced", "ties", "tiny", "identical")],
]


def assert_bootstrap_matches(got, want, replicates):
    assert got["replicates"] == {"requested": replicates, "used": want["used"], "skipped": want["skipped"]}
    for what in ("candidate", "champion", "difference", "bound"):
        close(got[what], want[what], what)
    if want["interval"] is None:
        assert got["interval"] is None
    else:
        close(got["interval"]["lower"], want["interval"][0], "lower")
        close(got["interval"]["upper"], want["interval"][1], "upper")
    assert len(got["replicateValues"]) == len(want["values"]) or want["interval"] is None
    for i, (g, w) in enumerate(zip(got["replicateValues"], want["values"])):
        close(g, w, f"replicate {i}")
    assert got["outcome"] == want["outcome"], (got["reason"], want)
    assert "NaN" not in str(got)


@pytest.mark.parametrize("metric,kind", GRID)
@pytest.mark.parametrize("seed", [3, 2024])
def test_bootstrap_matches_reference(stats, metric, kind, seed):
    y, c, b = inputs(metric, kind, seed)
    # 120 replicates: every one is compared, and the percentiles interpolate between them like any B.
    replicates, alpha, margin = 120, 0.05 if seed == 3 else 0.1, 0.01
    got = stats.call(
        "gate",
        "pairedBootstrap",
        {"metric": metric, "yTrue": y, "candidate": c, "champion": b, "seed": seed, "replicates": replicates, "alpha": alpha, "margin": margin, "keepReplicates": True},
    )
    want = ref.paired_bootstrap(metric, y, c, b, seed, replicates, alpha, margin)
    assert_bootstrap_matches(got, want, replicates)
    if kind == "worse":
        assert got["outcome"] == "fail"


@pytest.mark.parametrize("metric", ["accuracy", "log_loss", "mae", "rmse", "roc_auc"])
def test_bootstrap_large_n_matches_reference(stats, metric):
    y, c, b = inputs(metric, "large", 77)
    replicates = 60
    got = stats.call(
        "gate", "pairedBootstrap", {"metric": metric, "yTrue": y, "candidate": c, "champion": b, "seed": 2**40 + 17, "replicates": replicates, "keepReplicates": True}
    )
    assert_bootstrap_matches(got, ref.paired_bootstrap(metric, y, c, b, 2**40 + 17, replicates), replicates)


def test_bootstrap_identical_models_has_exactly_zero_replicates(stats):
    y, c, _ = classification_case("balanced", 5)
    got = stats.call("gate", "pairedBootstrap", {"metric": "roc_auc", "yTrue": y, "candidate": c, "champion": c, "seed": 5, "replicates": 50, "keepReplicates": True})
    assert set(got["replicateValues"]) == {0}
    assert got["interval"] == {"lower": 0, "upper": 0} and got["outcome"] == "fail"


def test_bootstrap_skips_one_class_replicates_like_the_reference(stats):
    y = np.array([1, 0, 0, 0, 0, 0, 0, 0])
    c = np.linspace(0.9, 0.1, 8)
    b = c[::-1].copy()
    got = stats.call("gate", "pairedBootstrap", {"metric": "roc_auc", "yTrue": y, "candidate": c, "champion": b, "seed": 8, "replicates": 400, "keepReplicates": True})
    want = ref.paired_bootstrap("roc_auc", y, c, b, 8, 400)
    assert want["skipped"] > 50  # 0.875^8 ≈ 34% of the resamples miss the only positive
    assert_bootstrap_matches(got, want, 400)


# --- DeLong ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["balanced", "imbalanced", "ties", "tiny", "tiny_mixed", "separated", "both_separated", "identical", "worse", "large"])
@pytest.mark.parametrize("seed", [1, 31])
def test_delong_matches_brute_force(stats, kind, seed):
    y, c, b = classification_case(kind, seed)
    alpha, margin = (0.05, 0.0) if seed == 1 else (0.1, 0.02)
    got = stats.call("gate", "delongTest", {"yTrue": y, "candidate": c, "champion": b, "alpha": alpha, "margin": margin})
    want = ref.delong(y, c, b, alpha=alpha, margin=margin)
    for what in ("candidate", "champion", "difference"):
        close(got[what], want[what], what)
    # The components' means are the AUC too (a check of the reference against roc_auc_score).
    for v in want["auc_from_components"][::2]:
        close(v, want["candidate"], "reference V10/V01 mean")
    for i in range(2):
        for j in range(2):
            close(got["covariance"][i][j], want["covariance"][i][j], f"S[{i}][{j}]")
    close(got["variance"], want["variance"], "variance")
    if kind in ("identical", "both_separated"):
        assert want["variance"] == 0
    if want["variance"] == 0:  # identical rankings, both models separating perfectly (and n = 5 happens to)
        assert got["variance"] == 0 and got["zeroVariance"] is True
        assert got["z"] is None and got["pValue"] is None
        assert want["z"] is None
    else:
        assert got["zeroVariance"] is False
        close(got["z"], want["z"], "z")
        assert abs(got["pValue"] - want["p"]) <= max(1e-15, TOL * want["p"]), (got["pValue"], want["p"])
    close(got["interval"]["lower"], want["interval"][0], "lower")
    close(got["interval"]["upper"], want["interval"][1], "upper")
    close(got["bound"], want["bound"], "bound")
    assert got["outcome"] == want["outcome"], got["reason"]
    if kind == "worse":
        assert got["outcome"] == "fail"
    assert "NaN" not in str(got)


def test_delong_thin_classes_are_insufficient(stats):
    got = stats.call("gate", "delongTest", {"yTrue": [1, 0, 0, 0], "candidate": [0.9, 0.2, 0.3, 0.1], "champion": [0.2, 0.1, 0.3, 0.4]})
    want = ref.delong([1, 0, 0, 0], [0.9, 0.2, 0.3, 0.1], [0.2, 0.1, 0.3, 0.4])
    assert got["outcome"] == want["outcome"] == "insufficient_data"
    close(got["candidate"], want["candidate"])
    close(got["champion"], want["champion"])
    assert got["covariance"] is None
