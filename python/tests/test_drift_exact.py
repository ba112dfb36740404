"""Drift between profiles (what monitoring reports) equals scipy on the raw values while the values fit the exact
budget (`basis: "exact"`), and says `"sketch"` past it.

The profile path is the one a deployment takes: the current side is profiled as several windows, each stored as
JSON and read back, then merged (dist/stats numericProfileDrift). Reference data comes from numpy; the statistics
from scipy (ks_2samp, wasserstein_distance, jensenshannon) and the PSI formula Evidently uses, on Ferry's binning
(docs/monitoring.md: Sturges bins fixed on the reference plus under/overflow; a reference with ≤ 20 distinct values
is binned per value, plus an "unseen" bucket), transcribed below. Agreement: 1e-9 (relative, or absolute when tiny).
"""
import math
import pathlib
import time
import uuid

import numpy as np
import pandas as pd
import pytest
import requests
from scipy import stats as st
from scipy.spatial import distance

MODELS = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "models"

RNG = np.random.default_rng(20261207)
TOL = 1e-9


def close(got, want, tol=TOL):
    return abs(got - want) <= tol * max(1.0, abs(want))


def drift(stats, ref, cur, **options):
    return stats.call("drift", "numericProfileDrift", list(ref), list(cur), {"windows": 3, **options})


def finite(xs):
    a = np.array([np.nan if x is None else x for x in xs], dtype=float)
    return a[np.isfinite(a)]


def ferry_bins(ref, cur):
    """Shares over Ferry's reference-fixed buckets (bins.ts numericBins, mode 'reference')."""
    uniq = np.unique(ref)
    if len(uniq) > 20:
        edges = np.histogram_bin_edges(ref, bins="sturges")

        def side(x):
            inner = np.histogram(x, edges)[0]
            return np.concatenate([[np.sum(x < edges[0])], inner, [np.sum(x > edges[-1])]])

        r, c = side(ref), side(cur)
    else:
        r = np.array([np.sum(ref == v) for v in uniq] + [0])
        c = np.array([np.sum(cur == v) for v in uniq] + [np.sum(~np.isin(cur, uniq))])
    return r / len(ref), c / len(cur)


def feel_zeroes(p):
    p = p.astype(float).copy()
    m = min(p[p != 0])
    np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
    return p


def psi(ref, cur):
    rp, cp = ferry_bins(ref, cur)
    rp, cp = feel_zeroes(rp), feel_zeroes(cp)
    return float(np.sum((rp - cp) * np.log(rp / cp)))


def js(ref, cur):
    rp, cp = ferry_bins(ref, cur)
    return float(distance.jensenshannon(rp, cp))


def wasserstein_normed(ref, cur):
    return float(st.wasserstein_distance(ref, cur) / max(np.std(ref), 0.001))


def check_all_methods(stats, ref_in, cur_in):
    ref, cur = finite(ref_in), finite(cur_in)
    w = drift(stats, ref_in, cur_in, method="wasserstein")
    assert w["basis"] == "exact"
    assert close(w["statistic"], wasserstein_normed(ref, cur)), (w["statistic"], wasserstein_normed(ref, cur))
    k = drift(stats, ref_in, cur_in, method="ks")
    want = st.ks_2samp(ref, cur)
    assert k["basis"] == "exact"
    assert close(k["statistic"], float(want.statistic))
    assert close(k["p_value"], float(want.pvalue)), (k["p_value"], want.pvalue)
    p = drift(stats, ref_in, cur_in, method="psi")
    assert p["basis"] == "exact" and close(p["statistic"], psi(ref, cur)), (p["statistic"], psi(ref, cur))
    j = drift(stats, ref_in, cur_in, method="jensenshannon")
    assert j["basis"] == "exact" and close(j["statistic"], js(ref, cur)), (j["statistic"], js(ref, cur))
    return w


def test_held_out_case_is_exact(stats):
    """The held-out check: 4,000 reference rows against 3,000 live ones, once 9% off on the sketch path."""
    ref = RNG.normal(10, 2, 4000)
    cur = RNG.normal(10.3, 2.2, 3000)
    w = check_all_methods(stats, ref, cur)
    # The default method for a reference over 1,000 rows with many values.
    default = drift(stats, ref, cur)
    assert default["method"] == "wasserstein" and default["statistic"] == w["statistic"]
    assert default["reference"]["rows"] == 4000 and default["current"]["rows"] == 3000


def test_near_the_threshold_the_verdict_is_scipys(stats):
    ref = RNG.normal(0, 1, 4000)
    for shift in (0.09, 0.1, 0.11, 0.125):
        cur = RNG.normal(shift, 1, 3000)
        d = drift(stats, ref, cur)
        want = wasserstein_normed(ref, cur)
        assert close(d["statistic"], want)
        assert d["drifted"] == (want >= 0.1)


def test_ties_and_discrete_values(stats):
    # Many repeats, > 20 distinct values: histogram bins; KS with ties.
    check_all_methods(stats, RNG.integers(0, 60, 5000).astype(float), RNG.integers(5, 70, 2500).astype(float))
    # Few distinct values: one bucket per reference value, current values the reference never had go to "unseen".
    check_all_methods(stats, RNG.choice([1.0, 2.0, 3.5, 7.0], 3000), RNG.choice([1.0, 2.0, 3.5, 9.0], 2000))
    # Rounded floats: heavy ties on a continuous scale.
    check_all_methods(stats, np.round(RNG.normal(0, 1, 4000), 1), np.round(RNG.normal(0.2, 1, 3000), 1))


def test_missing_values_are_dropped_and_counted(stats):
    ref = [None if i % 17 == 0 else (math.nan if i % 23 == 0 else float(v)) for i, v in enumerate(RNG.gamma(2, 3, 4000))]
    cur = [None if i % 11 == 0 else float(v) for i, v in enumerate(RNG.gamma(2.3, 3, 3000))]
    w = check_all_methods(stats, ref, cur)
    assert w["reference"]["rows"] == len(finite(ref))
    assert w["current"]["rows"] == len(finite(cur))


def test_past_the_budget_it_says_sketch(stats):
    ref = RNG.normal(0, 1, 4000)
    cur = RNG.normal(0.3, 1, 3000)
    over = drift(stats, ref, cur, exactBudget=3500)
    assert over["basis"] == "sketch" and over["method"] == "wasserstein"
    # The current side alone past the budget: still the sketch, never a mixed answer called exact.
    assert drift(stats, ref[:2000], cur, exactBudget=2500)["basis"] == "sketch"
    assert drift(stats, ref, cur, exactBudget=4000)["basis"] == "exact"


@pytest.mark.parametrize("n_ref,n_cur", [(300, 200), (1000, 1000)])
def test_small_references_use_ks_exactly(stats, n_ref, n_cur):
    ref = RNG.normal(0, 1, n_ref)
    cur = RNG.normal(0.25, 1, n_cur)
    d = drift(stats, ref, cur)
    want = st.ks_2samp(ref, cur)
    assert d["method"] == "ks" and d["basis"] == "exact"
    assert close(d["statistic"], float(want.statistic)) and close(d["p_value"], float(want.pvalue))


def test_a_deployments_drift_report_is_exact(ferry_server):
    """The real path: a server, a model, a reference table, live predictions logged in windows, the drift report."""
    api, h = ferry_server["url"], {"Authorization": f"Bearer {ferry_server['token']}"}
    model, name = f"credit-exact-{uuid.uuid4().hex[:6]}", f"exact-{uuid.uuid4().hex[:6]}"
    requests.post(f"{api}/api/2.0/mlflow/registered-models/create", json={"name": model}, headers=h, timeout=10).raise_for_status()
    path = f"uploads/{uuid.uuid4().hex}/model.onnx"
    put = requests.put(f"{api}/api/2.0/mlflow-artifacts/artifacts/{path}", data=(MODELS / "credit_gbdt.onnx").read_bytes(), headers=h, timeout=30)
    put.raise_for_status()
    mv = requests.post(f"{api}/api/2.0/mlflow/model-versions/create", json={"name": model, "source": f"mlflow-artifacts:/{path}"}, headers=h, timeout=10)
    mv.raise_for_status()
    routes = [{"model": model, "version": mv.json()["model_version"]["version"], "weight": 100}]
    assert requests.post(f"{api}/api/v1/deployments", json={"name": name, "routes": routes}, headers=h, timeout=60).status_code == 200
    table = (MODELS / "credit_train.csv").read_text()
    r = requests.put(f"{api}/api/v1/deployments/{name}/reference", data=table, headers={**h, "content-type": "text/csv"}, timeout=60)
    assert r.status_code == 200, r.text
    ref = pd.read_csv(MODELS / "credit_train.csv").drop(columns=["default"])
    # 1,500 live rows: income shifted by a float32-exact amount (the model takes float32), age as it was.
    live = ref.sample(1500, random_state=7, replace=True).reset_index(drop=True)
    live["income"] = (live["income"] * 1.25).astype(np.float32).astype(float)
    for i in range(0, len(live), 250):
        chunk = live.iloc[i : i + 250]
        rows = chunk.astype(object).where(chunk.notna(), None).to_dict(orient="records")  # empty cells: missing
        assert requests.post(f"{api}/api/v1/deployments/{name}/predict", json={"instances": rows}, headers=h, timeout=30).status_code == 200
    deadline = time.time() + 60
    while True:
        report = requests.get(f"{api}/api/v1/deployments/{name}/drift?from=1h", headers=h, timeout=30).json()
        if report.get("current", {}).get("rows") == len(live) or time.time() > deadline:
            break
        time.sleep(0.5)
    assert report["current"]["rows"] == len(live), report.get("current")
    features = {f["name"]: f for f in report["features"]}
    for col in ("income", "age", "debt_ratio", "months_employed"):
        f = features[col]
        assert f["basis"] == "exact", f
        # Live values are what the model took (float32: 0.485 arrives as 0.48500001430511475); the table's are read as float64.
        r_, c_ = finite(ref[col].to_numpy(float)), finite(live[col].to_numpy(np.float32).astype(float))
        if f["method"] == "wasserstein":
            assert close(f["statistic"], wasserstein_normed(r_, c_)), (col, f["statistic"], wasserstein_normed(r_, c_))
        elif f["method"] == "jensenshannon":
            assert close(f["statistic"], js(r_, c_)), (col, f["statistic"], js(r_, c_))
    assert features["income"]["drifted"] is True and features["age"]["drifted"] is False
