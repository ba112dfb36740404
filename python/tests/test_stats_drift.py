"""Ferry's drift statistics (dist/stats/drift) against scipy, numpy and Evidently's formulas.

Evidently itself is not installed here, so its stattest functions (legacy/calculations/stattests/*.py,
registry._get_default_stattest, utils.get_binned_data) are transcribed below line for line on pandas /
numpy / scipy; Ferry must reproduce them to 1e-6 (p-values: relative 1e-6, or absolute 1e-9 when tiny).
"""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from scipy.spatial import distance

RNG = np.random.default_rng(20240611)


def close(got, want, rel=1e-6, abs_=1e-9):
    if isinstance(want, float) and math.isinf(want):
        return got == want
    return abs(got - want) <= max(abs_, rel * abs(want))


def drift(stats, **kw):
    return stats.call("drift", "columnDrift", kw)


# --- Evidently, transcribed (legacy/calculations/stattests) -------------------------------------------


def ev_binned(ref: pd.Series, cur: pd.Series, numerical: bool, feel_zeroes=True):
    if numerical and ref.nunique() > 20:
        bins = np.histogram_bin_edges(pd.concat([ref, cur]).values, bins="sturges")
        rp = np.histogram(ref, bins)[0] / len(ref)
        cp = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = list(set(ref.dropna().unique()) | set(cur.dropna().unique()))
        rd = {**dict.fromkeys(keys, 0), **dict(ref.value_counts())}
        cd = {**dict.fromkeys(keys, 0), **dict(cur.value_counts())}
        rp = np.array([rd[k] / len(ref) for k in keys])
        cp = np.array([cd[k] / len(cur) for k in keys])
    if feel_zeroes:
        for p in (rp, cp):
            m = min(p[p != 0])
            np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return rp, cp


def ev_psi(ref, cur, numerical):
    rp, cp = ev_binned(ref, cur, numerical)
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def ev_js(ref, cur, numerical):
    rp, cp = ev_binned(ref, cur, numerical, feel_zeroes=False)
    return float(distance.jensenshannon(rp, cp))


def ev_kl(ref, cur, numerical):
    rp, cp = ev_binned(ref, cur, numerical)
    return float(st.entropy(rp, cp))


def ev_hellinger(ref, cur, numerical):
    keys = list(set(ref.unique()) | set(cur.unique()))
    if not numerical:
        r = (ref.value_counts() / len(ref)).to_dict()
        c = (cur.value_counts() / len(cur)).to_dict()
        h = sum(math.sqrt(r.get(k, 0) * c.get(k, 0)) for k in keys)
    else:
        bins = np.histogram_bin_edges(keys, bins="sturges")
        h1 = np.histogram(ref.to_numpy(), bins=bins, density=True)[0]
        h2 = np.histogram(cur.to_numpy(), bins=bins, density=True)[0]
        w = (max(bins) - min(bins)) / (len(bins) - 1)
        h = sum(math.sqrt(a * b) * w for a, b in zip(h1, h2))
    return math.sqrt(1 - np.clip(h, 0, 1))


def ev_chisquare(ref, cur):
    keys = list(set(ref.dropna().unique()) | set(cur.dropna().unique()))
    rd = {**dict.fromkeys(keys, 0), **dict(ref.value_counts())}
    cd = {**dict.fromkeys(keys, 0), **dict(cur.value_counts())}
    k_norm = cur.shape[0] / ref.shape[0]
    res = st.chisquare([cd[k] for k in keys], [rd[k] * k_norm for k in keys])
    return float(res.statistic), float(res.pvalue)


def ev_z(ref, cur):
    if ref.nunique() == 1 and cur.nunique() == 1 and ref.unique()[0] == cur.unique()[0]:
        return 1.0
    key = sorted(set(ref.dropna().unique()) | set(cur.dropna().unique()))[0]
    a = ref.apply(lambda x: 0 if x == key else 1)
    b = cur.apply(lambda x: 0 if x == key else 1)
    n1, n2 = len(a), len(b)
    p1, p2 = float(sum(a)) / n1, float(sum(b)) / n2
    P = (p1 * n1 + p2 * n2) / (n1 + n2)
    z = (p1 - p2) / np.sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2))
    return float(2 * st.norm.sf(abs(z)))  # Evidently: 2 * (1 - norm.cdf(|z|)); sf keeps tiny p exact


def ev_default(ref: pd.Series, cur: pd.Series, numerical: bool) -> str:
    n_values = pd.concat([ref, cur]).nunique()
    if ref.shape[0] <= 1000:
        if numerical and n_values > 5:
            return "ks"
        return "chisquare" if n_values > 2 else "z"
    if numerical:
        return "wasserstein" if n_values > 5 else "jensenshannon"
    return "jensenshannon"


# --- KS ------------------------------------------------------------------------------------------------

KS_CASES = [
    ("small", lambda: (RNG.normal(size=8), RNG.normal(1, size=11))),
    ("equal-n", lambda: (RNG.normal(size=300), RNG.normal(0.2, size=300))),
    ("ties", lambda: (RNG.integers(0, 7, 400).astype(float), RNG.integers(0, 8, 250).astype(float))),
    ("all-ties", lambda: (np.full(50, 3.0), np.full(70, 3.0))),
    ("disjoint", lambda: (np.arange(20.0), np.arange(100.0, 130.0))),
    ("exact-edge", lambda: (RNG.normal(size=10000), RNG.normal(0.03, size=7001))),
    ("tiny-p-exact", lambda: (RNG.normal(size=3000), RNG.normal(0.4, size=2000))),
    ("asymp", lambda: (RNG.normal(size=10001), RNG.normal(0.02, size=8000))),
    ("asymp-ties", lambda: (RNG.integers(0, 40, 30000).astype(float), RNG.integers(0, 41, 20000).astype(float))),
    ("asymp-small-en", lambda: (RNG.normal(size=12000), RNG.normal(0.2, size=90))),
    ("asymp-large", lambda: (RNG.normal(size=400000), RNG.normal(0.004, size=300000))),
    ("asymp-tiny-p", lambda: (RNG.normal(size=50000), RNG.normal(0.06, size=50000))),
]


@pytest.mark.parametrize("name,make", KS_CASES, ids=[c[0] for c in KS_CASES])
def test_ks_2samp_matches_scipy(stats, name, make):
    a, b = make()
    want = st.ks_2samp(a, b)
    got = stats.call("drift", "ks2samp", a, b)
    assert close(got["statistic"], float(want.statistic), abs_=1e-12), (got, want)
    assert close(got["p_value"], float(want.pvalue)), (got, want)
    assert got["mode"] == ("exact" if max(len(a), len(b)) <= 10000 else "asymp")


def test_kstwo_sf_matches_scipy(stats):
    for n in [3, 60, 140, 141, 1000, 99999, 100001, 700000, 3000000]:
        for x in [0.4 / n, 0.8 / n, 1.5 / n, 0.5 / math.sqrt(n), 0.9 / math.sqrt(n), 1.3 / math.sqrt(n),
                  2.0 / math.sqrt(n), 4.0 / math.sqrt(n), 0.2, 0.55, 0.97]:
            want = float(st.kstwo.sf(x, n))
            assert close(stats.call("drift", "kstwoSf", n, x), want), (n, x, want)


def test_ks_column_drift_and_threshold_rule(stats):
    a, b = RNG.normal(size=500), RNG.normal(0.25, size=400)
    got = drift(stats, kind="numerical", reference=a, current=b)
    want = st.ks_2samp(a, b)
    assert got["method"] == "ks" and got["threshold"] == 0.05
    assert close(got["p_value"], float(want.pvalue))
    assert got["drifted"] == (want.pvalue <= 0.05)  # Evidently's ks: p <= threshold


# --- chi-squared, Z ------------------------------------------------------------------------------------


@pytest.mark.parametrize("k,n_ref,n_cur,shift", [(3, 200, 150, 0.0), (4, 900, 300, 0.1), (12, 800, 5000, 0.3)])
def test_chisquare_matches_scipy(stats, k, n_ref, n_cur, shift):
    cats = [f"c{i}" for i in range(k)]
    p = np.linspace(1, 2, k)
    q = p + shift * np.arange(k)
    ref = pd.Series(RNG.choice(cats, n_ref, p=p / p.sum()))
    cur = pd.Series(RNG.choice(cats, n_cur, p=q / q.sum()))
    got = drift(stats, kind="categorical", reference=list(ref), current=list(cur), method="chisquare")
    stat, pv = ev_chisquare(ref, cur)
    assert close(got["statistic"], stat) and close(got["p_value"], pv), (got, stat, pv)
    direct = stats.call("drift", "chiSquare", [10, 20, 30, 40], [12.5, 17.5, 33, 37])
    want = st.chisquare([10, 20, 30, 40], [12.5, 17.5, 33, 37])
    assert close(direct["statistic"], float(want.statistic)) and close(direct["p_value"], float(want.pvalue))


def test_chisquare_new_category_is_infinite(stats):
    got = drift(stats, kind="categorical", reference=["a"] * 30 + ["b"] * 20, current=["a", "b", "c"] * 10,
                method="chisquare")
    assert got["statistic"] == math.inf and got["p_value"] == 0 and got["drifted"]


@pytest.mark.parametrize("ref_p,cur_p,n_ref,n_cur", [(0.3, 0.35, 500, 400), (0.5, 0.2, 1000, 800), (0.1, 0.1, 50, 60)])
def test_z_test_matches_formula(stats, ref_p, cur_p, n_ref, n_cur):
    ref = pd.Series(np.where(RNG.random(n_ref) < ref_p, "yes", "no"))
    cur = pd.Series(np.where(RNG.random(n_cur) < cur_p, "yes", "no"))
    got = drift(stats, kind="categorical", reference=list(ref), current=list(cur))
    assert got["method"] == "z"
    assert close(got["p_value"], ev_z(ref, cur))
    numeric = drift(stats, kind="numerical", reference=list((ref == "yes") * 1.0), current=list((cur == "yes") * 1.0))
    assert numeric["method"] == "z" and close(numeric["p_value"], ev_z(ref, cur))


# --- distances -----------------------------------------------------------------------------------------


def test_wasserstein_matches_scipy(stats):
    u, v = RNG.normal(size=700), RNG.normal(0.3, 2, size=900)
    assert close(stats.call("drift", "wassersteinWeighted", u, v), float(st.wasserstein_distance(u, v)))
    uw, vw = RNG.random(700), RNG.random(900)
    assert close(stats.call("drift", "wassersteinWeighted", u, v, uw, vw), float(st.wasserstein_distance(u, v, uw, vw)))
    ref, cur = RNG.normal(5, 3, size=5000), RNG.normal(5.4, 3, size=3000)
    got = drift(stats, kind="numerical", reference=ref, current=cur)
    want = st.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001)
    assert got["method"] == "wasserstein" and got["p_value"] is None and close(got["statistic"], want)
    const = drift(stats, kind="numerical", reference=[2.0] * 2000, current=list(np.linspace(0, 1, 50)), method="wasserstein")
    assert close(const["statistic"], st.wasserstein_distance([2.0] * 2000, np.linspace(0, 1, 50)) / 0.001)


def _numeric_pair(kind):
    if kind == "binned":
        return pd.Series(RNG.normal(size=3000)), pd.Series(RNG.normal(0.3, 1.2, size=2500))
    if kind == "discrete":
        return pd.Series(RNG.integers(0, 6, 2000) * 1.5), pd.Series(RNG.integers(1, 8, 1500) * 1.5)
    return pd.Series(RNG.choice(list("abcdefg"), 3000)), pd.Series(RNG.choice(list("abcdefgh"), 1200))


@pytest.mark.parametrize("data", ["binned", "discrete", "categorical"])
@pytest.mark.parametrize("method,ref_fn", [("jensenshannon", ev_js), ("psi", ev_psi), ("kl_div", ev_kl),
                                           ("hellinger", ev_hellinger)])
def test_binned_distances_match_evidently(stats, data, method, ref_fn):
    ref, cur = _numeric_pair(data)
    numerical = data != "categorical"
    got = drift(stats, kind="numerical" if numerical else "categorical", reference=list(ref), current=list(cur),
                method=method)
    assert close(got["statistic"], ref_fn(ref, cur, numerical)), (got["statistic"], ref_fn(ref, cur, numerical))
    assert got["drifted"] == (got["statistic"] >= 0.1)


def test_jensenshannon_direct(stats):
    p, q = [0.1, 0.0, 0.5, 0.4], [0.3, 0.3, 0.0, 0.4]
    assert close(stats.call("drift", "jensenShannon", p, q), float(distance.jensenshannon(p, q)))
    assert close(stats.call("drift", "jensenShannon", [1, 0], [0, 1]), math.sqrt(math.log(2)))
    assert close(stats.call("drift", "jensenShannon", p, q, 2), float(distance.jensenshannon(p, q, 2)))


def test_psi_reference_bins_match_numpy(stats):
    ref = RNG.normal(size=4000)
    cur = np.concatenate([RNG.normal(0.5, size=3000), [-50.0, 99.0, 100.0]])
    got = drift(stats, kind="numerical", reference=ref, current=cur, method="psi", binMode="reference")
    edges = np.histogram_bin_edges(ref, bins="sturges")  # edges from the reference only
    rc = np.concatenate([[0], np.histogram(ref, edges)[0], [0]])
    cc = np.concatenate([[np.sum(cur < edges[0])], np.histogram(cur, edges)[0], [np.sum(cur > edges[-1])]])
    rp, cp = rc / len(ref), cc / len(cur)
    for p in (rp, cp):
        m = min(p[p != 0])
        np.place(p, p == 0, m / 1e6 if m <= 0.0001 else 0.0001)
    assert close(got["statistic"], float(np.sum((rp - cp) * np.log(rp / cp))))
    assert got["current"]["underflow"]["count"] == cc[0] >= 1 and got["current"]["overflow"]["count"] == cc[-1] >= 2
    assert np.allclose(got["reference"]["edges"], edges, rtol=0, atol=1e-12)
    assert got["current"]["counts"] == list(np.histogram(cur, edges)[0])


def test_unseen_category_bucket(stats):
    got = drift(stats, kind="categorical", reference=["a", "b"] * 50, current=["a", "b", "z", "y"] * 10,
                method="jensenshannon", binMode="reference")
    assert got["reference"]["categories"] == ["a", "b"] and got["current"]["unseen"] == {"count": 20, "share": 0.5}
    assert close(got["statistic"], float(distance.jensenshannon([0.5, 0.5, 0], [0.25, 0.25, 0.5])))


# --- selection, dataset verdict -----------------------------------------------------------------------


@pytest.mark.parametrize("n_ref", [20, 1000, 1001, 3000])
@pytest.mark.parametrize("n_unique", [1, 2, 3, 5, 6, 40])
@pytest.mark.parametrize("numerical", [True, False])
def test_default_method_matches_evidently(stats, n_ref, n_unique, numerical):
    ref_vals = np.arange(n_ref) % max(n_unique - 1, 1)  # one value is left for the current sample only
    cur_vals = np.full(30, n_unique - 1) if n_unique > 1 else np.zeros(30)
    ref = pd.Series(ref_vals.astype(float) if numerical else [f"v{x}" for x in ref_vals])
    cur = pd.Series(cur_vals.astype(float) if numerical else [f"v{x}" for x in cur_vals])
    got = drift(stats, kind="numerical" if numerical else "categorical", reference=list(ref), current=list(cur))
    assert got["method"] == ev_default(ref, cur, numerical)


def test_dataset_drift_share_is_inclusive(stats):
    half = stats.call("drift", "datasetDrift", [{"drifted": True}, {"drifted": False}])
    assert half == {"dataset_drift": True, "drift_share": 0.5, "number_drifted": 1, "number_of_columns": 2,
                    "share_drifted": 0.5}
    assert not stats.call("drift", "datasetDrift", [{"drifted": True}] + [{"drifted": False}] * 2, 0.4)["dataset_drift"]
