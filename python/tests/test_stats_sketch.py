"""Ferry's mergeable sketches (dist/stats/sketch) against exact numpy/scipy answers.

Quantile sketches are judged on ranks, not values: an estimate for rank q is right within eps when q lies
within eps of the exact rank interval [#(x < v)/n, #(x <= v)/n] of the returned value v. eps is the
bound Ferry documents (DataSketches' table for KLL at k=200, 99% confidence): ~1.33% for one rank or
quantile query, ~1.65% for a pmf bin. Frequent items: every true count within [lower, upper] bounds and
the maximum error <= 2n/(maxItems+1).
"""
from collections import Counter

import numpy as np
import pytest
from scipy import stats as sps

QS = [i / 100 for i in range(1, 100)]


def _streams(n=100_000):
    rng = np.random.default_rng(20240601)
    return {
        "normal": rng.normal(0, 1, n),
        "lognormal": rng.lognormal(0, 2, n),
        "sorted": np.arange(n, dtype=float),
        "reversed": np.arange(n, 0, -1, dtype=float),
        "duplicates": rng.integers(0, 7, n).astype(float) * 10,
        "offset": 1e9 + rng.normal(0, 1, n),
    }


def _rank_error(sorted_data, q, v):
    n = len(sorted_data)
    lo = np.searchsorted(sorted_data, v, "left") / n
    hi = np.searchsorted(sorted_data, v, "right") / n
    return max(lo - q, q - hi, 0.0)


@pytest.mark.parametrize("chunks", [1, 9])
@pytest.mark.parametrize("name", ["normal", "offset", "lognormal", "duplicates"])
def test_moments_match_numpy(stats, name, chunks):
    x = _streams()[name]
    m = stats.call("sketch", "momentsOf", x, chunks)
    assert m["count"] == len(x)
    assert m["min"] == x.min() and m["max"] == x.max()
    assert m["mean"] == pytest.approx(np.mean(x), rel=1e-9)
    assert m["var_pop"] == pytest.approx(np.var(x, ddof=0), rel=1e-9)
    assert m["var_sample"] == pytest.approx(np.var(x, ddof=1), rel=1e-9)


def test_moments_large_offset_small_spread(stats):
    # 1e9 + small integers: the naive sum-of-squares formula would lose every digit of the variance.
    x = 1e9 + np.tile(np.array([1.0, 2.0, 3.0, 4.0]), 25_000)
    m = stats.call("sketch", "momentsOf", x, 4)
    assert m["mean"] == pytest.approx(1e9 + 2.5, rel=1e-15)
    assert m["var_pop"] == pytest.approx(1.25, rel=1e-9)
    assert m["var_sample"] == pytest.approx(np.var(x, ddof=1), rel=1e-9)


def test_kll_rank_error_bounds_are_the_documented_ones(stats):
    assert stats.call("sketch", "kllRankError", 200, False) == pytest.approx(0.0133, abs=5e-5)
    assert stats.call("sketch", "kllRankError", 200, True) == pytest.approx(0.0165, abs=5e-5)


@pytest.mark.parametrize("chunks", [1, 8])
@pytest.mark.parametrize("name", ["normal", "lognormal", "sorted", "reversed", "duplicates", "offset"])
def test_kll_quantiles_within_rank_bound(stats, name, chunks):
    x = _streams()[name]
    eps = stats.call("sketch", "kllRankError", 200, False)
    est = stats.call("sketch", "kllQuantiles", x, QS, {"k": 200, "seed": 7, "chunks": chunks})
    s = np.sort(x)
    errors = [_rank_error(s, q, v) for q, v in zip(QS, est)]
    assert max(errors) <= eps, (max(errors), eps)
    assert est == sorted(est)  # monotone in q
    ends = stats.call("sketch", "kllQuantiles", x, [0, 1], {"chunks": chunks})
    assert ends == [x.min(), x.max()]


def test_kll_is_exact_on_small_streams(stats):
    x = np.random.default_rng(1).normal(size=150)
    est = stats.call("sketch", "kllQuantiles", x, QS)
    assert est == pytest.approx(np.quantile(x, QS, method="inverted_cdf"), rel=0, abs=0)


@pytest.mark.parametrize("name", ["normal", "lognormal", "duplicates"])
def test_kll_ranks_and_pmf_within_bounds(stats, name):
    x = _streams()[name]
    s = np.sort(x)
    n = len(x)
    probes = np.unique(np.quantile(x, np.linspace(0.02, 0.98, 25)))
    ranks = np.array(stats.call("sketch", "kllRanks", x, probes, {"seed": 3, "chunks": 4}))
    exact = np.searchsorted(s, probes, "right") / n
    assert np.max(np.abs(ranks - exact)) <= stats.call("sketch", "kllRankError", 200, False)
    splits = np.unique(np.quantile(x, [0.1, 0.3, 0.5, 0.7, 0.9]))
    counts = np.array(stats.call("sketch", "kllPmf", x, splits, {"seed": 3}))
    exact_counts = np.diff(np.concatenate([[0], np.searchsorted(s, splits, "right"), [n]]))
    assert counts.sum() == n
    assert np.max(np.abs(counts - exact_counts)) / n <= stats.call("sketch", "kllRankError", 200, True)


def _zipf_items(n, seed):
    z = np.random.default_rng(seed).zipf(1.3, n)
    return [f"c{v}" for v in z]


@pytest.mark.parametrize("chunks", [1, 5])
@pytest.mark.parametrize("max_items", [50, 300])
def test_frequent_items_within_bounds(stats, max_items, chunks):
    items = _zipf_items(100_000, max_items + chunks)
    truth = Counter(items)
    f = stats.call("sketch", "frequentOf", items, {"maxItems": max_items, "chunks": chunks})
    assert f["n"] == len(items)
    assert not f["exact"]
    assert f["max_error"] <= f["bound"] == pytest.approx(2 * len(items) / (max_items + 1))
    tracked = {v: (lo, hi) for v, lo, hi in f["items"]}
    assert len(tracked) <= max_items
    for v, c in truth.items():
        lo, hi = tracked.get(v, (0, f["max_error"]))
        assert lo <= c <= hi, (v, c, lo, hi)
    # Every item above the error bound is tracked; the heaviest ones come out in order.
    for v, c in truth.most_common(5):
        if c > f["max_error"]:
            assert v in tracked
    assert [v for v, _, _ in f["items"][:3]] == [v for v, _ in truth.most_common(3)]


def test_frequent_items_exact_below_cap(stats):
    items = _zipf_items(20_000, 1)
    items = [v if len(v) < 4 else "tail" for v in items]  # < 1000 distinct values
    f = stats.call("sketch", "frequentOf", items, {"chunks": 3})
    assert f["exact"] and f["max_error"] == 0
    assert {v: lo for v, lo, _ in f["items"]} == dict(Counter(items))


@pytest.mark.parametrize("parts", [[300], [60, 240], [10, 280, 10]])
def test_reservoir_inclusion_is_uniform(stats, parts):
    counts = np.array(stats.call("sketch", "reservoirInclusionCounts", 300, 30, 4000, parts, 11))
    assert counts.sum() == 4000 * 30
    chi2, p = sps.chisquare(counts)
    assert p > 1e-3, (chi2, p)
    # Uniform within each part too: items from a small replica are not over- or under-represented.
    start = 0
    for size in parts:
        share = counts[start:start + size].sum() / counts.sum()
        assert share == pytest.approx(size / 300, abs=0.01)
        start += size


def test_profile_summary_matches_numpy(stats):
    rng = np.random.default_rng(5)
    x = rng.gamma(2.0, 3.0, 50_000)
    values = x.tolist()
    for i in range(0, 50_000, 97):
        values[i] = None
    for i in range(1, 50_000, 193):
        values[i] = float("nan")
    values[7] = "oops"
    valid = np.array([v for v in values if isinstance(v, float) and not np.isnan(v)])
    s = stats.call("sketch", "profileOf", values, {"chunks": 4})
    assert s["kind"] == "numerical"
    assert s["count"] == 50_000
    assert s["nulls"] == sum(1 for v in values if v is None or (isinstance(v, float) and np.isnan(v)))
    assert s["type_errors"] == 1
    assert s["null_rate"] == pytest.approx(s["nulls"] / 50_000)
    assert s["mean"] == pytest.approx(valid.mean(), rel=1e-12)
    assert s["std"] == pytest.approx(valid.std(ddof=1), rel=1e-9)
    assert (s["min"], s["max"]) == (valid.min(), valid.max())
    sv = np.sort(valid)
    eps = stats.call("sketch", "kllRankError", 200, False)
    for key, q in [("p01", 0.01), ("p05", 0.05), ("p25", 0.25), ("p50", 0.5), ("p75", 0.75), ("p95", 0.95), ("p99", 0.99)]:
        assert _rank_error(sv, q, s["quantiles"][key]) <= eps


def test_categorical_profile_summary(stats):
    values = ["a"] * 50 + ["b"] * 30 + [True] * 5 + [None] * 15
    s = stats.call("sketch", "profileOf", values, {"chunks": 3})
    assert s["kind"] == "categorical"
    assert (s["count"], s["nulls"], s["type_errors"], s["unique_estimate"]) == (100, 15, 0, 3)
    assert s["top"] == [{"value": "a", "count": 50}, {"value": "b", "count": 30}, {"value": "true", "count": 5}]
    assert s["mean"] is None and s["quantiles"] is None
