"""The loop's offline gate (dist/loops/gate, evaluateGate) against scikit-learn / numpy on the same rows.

Rows are built here as a model server answers them (skl2onnx's {label, probabilities}, a regressor's
{variable}), some of them unscorable; the gate runs through test_loop_gate_driver.mjs. For every source × slice
× threshold the test checks, to 1e-9:
- the slice itself (its rows by category or half-open bin, missing values their own slice; judged iff it holds
  min_slice_size rows), and the rows both models could score;
- the candidate's and champion's metric on those rows (accuracy_score, log_loss with the model's classes,
  roc_auc_score, mean_absolute_error, root_mean_squared_error), the delta and the relative change;
- the statistical mode: the paired bootstrap recomputed here from gate_reference's index stream (SplitMix64 +
  Lemire, same seed) with scikit-learn's metric on every resample and numpy.quantile, and DeLong against
  gate_reference's brute-force implementation: interval, one-sided bound, z, p and the outcome;
- the verdict, and the reason re-rendered from the JSON evidence equal to the one given.
"""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, log_loss, mean_absolute_error, roc_auc_score, root_mean_squared_error

sys.path.insert(0, str(Path(__file__).parent))
import gate_reference as ref  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("test_loop_gate_driver.mjs")
DIST = Path(os.environ.get("FERRY_DIST", REPO / "dist"))
TOL = 1e-9
HIGHER = {"accuracy": True, "roc_auc": True, "log_loss": False, "mae": False, "rmse": False}


def close(got, want, what=""):
    if want is None or got is None:
        assert got is None and want is None, (what, got, want)
        return
    assert math.isfinite(got), (what, got)
    assert abs(got - want) <= TOL * max(1.0, abs(want)), (what, got, want, abs(got - want))


def run_gate(sources, config):
    if not (DIST / "loops" / "gate" / "index.js").exists():
        pytest.fail(f"{DIST}/loops/gate missing: run `npm run build` first")
    env = {**os.environ, "FERRY_DIST": str(DIST)}
    out = subprocess.run(["node", str(DRIVER)], input=json.dumps({"sources": sources, "config": config}), capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert "NaN" not in out.stdout and "Infinity" not in out.stdout
    return answer


# --- rows as a model server answers them ---------------------------------------------------------------


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def classification(n, k, seed, cand_strength, champ_strength):
    """Labels 0..k-1, region/income features, and two correlated models' class probabilities."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n) if k > 2 else (rng.random(n) < 0.4).astype(int)
    common = rng.normal(0, 1, (n, k))
    onehot = np.eye(k)[y]

    def probs(strength):
        logits = strength * onehot + common + rng.normal(0, 0.8, (n, k))
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    pc, pb = probs(cand_strength), probs(champ_strength)
    regions = rng.choice(["north", "south", "east", None], n, p=[0.45, 0.35, 0.15, 0.05])
    income = np.round(rng.uniform(0, 90000, n), 2)
    features = [{"region": r, "income": float(x)} for r, x in zip(regions, income)]
    for i in range(0, n, 97):  # a few rows without an income: the bins' missing slice
        features[i].pop("income")
    return y, pc, pb, features


def outputs(P):
    return [{"label": int(np.argmax(p)), "probabilities": [float(v) for v in p]} for p in P]


def slice_masks(features, specs):
    """The slices the gate should make, by name, as boolean masks (only those holding rows)."""
    n = len(features)
    masks = {"all": np.ones(n, bool)}
    for spec in specs:
        f = spec["feature"]
        values = [row.get(f) for row in features]
        if "bins" not in spec:
            cats = sorted({v for v in values if v is not None})
            for c in cats:
                masks[f"{f}={c}"] = np.array([v == c for v in values])
        else:
            e = spec["bins"]
            x = np.array([np.nan if v is None else v for v in values], dtype=float)
            names = [f"{f} < {fmt_edge(e[0])}"] + [f"{f} in [{fmt_edge(a)}, {fmt_edge(b)})" for a, b in zip(e, e[1:])] + [f"{f} >= {fmt_edge(e[-1])}"]
            bounds = [-np.inf, *e, np.inf]
            for name, lo, hi in zip(names, bounds, bounds[1:]):
                masks[name] = (x >= lo) & (x < hi)
        missing = np.array([v is None for v in values])
        masks[f"{f} is missing"] = missing
    return {k: m for k, m in masks.items() if m.any()}


def fmt_edge(x):
    return str(int(x)) if float(x).is_integer() else repr(float(x))


# --- the reference -----------------------------------------------------------------------------------


def metric_fn(metric, classes):
    if metric == "accuracy":
        return lambda y, p: accuracy_score(y, p)
    if metric == "log_loss":
        return lambda y, P: log_loss(y, P, labels=classes)
    if metric == "roc_auc":
        return lambda y, s: roc_auc_score(y, s) if len(np.unique(y)) == 2 else None
    if metric == "mae":
        return mean_absolute_error
    return root_mean_squared_error


def bootstrap(fn, y, c, b, seed, replicates, alpha, higher):
    n = len(y)
    idx = ref.indices(seed, n, n * replicates).reshape(replicates, n)
    kept = []
    for r in idx:
        vc = fn(y[r], c[r])
        if vc is not None:
            kept.append(vc - fn(y[r], b[r]))
    kept = np.array(kept)
    lower, upper = np.quantile(kept, [alpha / 2, 1 - alpha / 2])
    return {"interval": (lower, upper), "bound": float(np.quantile(kept, alpha if higher else 1 - alpha)), "used": len(kept)}


def check_evidence(answer, sources_np, config):
    """Every judged source × slice × threshold against the reference; returns the number of metric checks."""
    e = answer["evidence"]
    assert answer["again"] == e["reason"]
    checks = 0
    for s_ev, src in zip(e["sources"], sources_np):
        masks = slice_masks(src["features"], config["slices"])
        assert [sl["name"] for sl in s_ev["slices"]] == list(masks), "slice names and order"
        for sl in s_ev["slices"]:
            mask = masks[sl["name"]]
            assert sl["rows"] == int(mask.sum())
            assert sl["judged"] == (sl["rows"] >= config["min_slice_size"])
            if not sl["judged"]:
                assert sl["metrics"] == []
                continue
            for m in sl["metrics"]:
                t = config["thresholds"][m["threshold"]]
                metric = t["metric"]
                use = mask & src["scorable"][metric]
                y = src["y"][metric][use]
                c, b = src["candidate"][metric][use], src["champion"][metric][use]
                assert m["rows"] == int(use.sum()) and m["unscorable"] == int(mask.sum() - use.sum())
                fn = metric_fn(metric, src["classes"])
                want_c, want_b = fn(y, c), fn(y, b)
                close(m["candidate"], want_c, f"{sl['name']} {metric} candidate")
                close(m["champion"], want_b, f"{sl['name']} {metric} champion")
                close(m["delta"], want_c - want_b, "delta")
                close(m["relative_change"], (want_c - want_b) / want_b, "relative change")
                checks += 1
                if t.get("margin") is None:
                    assert m["statistical"] is None
                    continue
                st = m["statistical"]
                alpha, margin = config["alpha"], t["margin"]
                if metric == "roc_auc":
                    want = ref.delong(y, c, b, positive=1, alpha=alpha, margin=margin)
                    assert st["method"] == "delong"
                    close(st["z"], want["z"], "z")
                    close(st["p_value"], want["p"], "p")
                else:
                    want = bootstrap(fn, y, c, b, config["seed"], config["replicates"], alpha, HIGHER[metric])
                    assert st["method"] == "paired_bootstrap" and st["seed"] == str(config["seed"])
                    assert st["replicates"] == {"requested": config["replicates"], "used": want["used"], "skipped": config["replicates"] - want["used"]}
                want_pass = want["bound"] > -margin if HIGHER[metric] else want["bound"] < margin
                close(st["interval"]["lower"], want["interval"][0], f"{sl['name']} {metric} lower")
                close(st["interval"]["upper"], want["interval"][1], f"{sl['name']} {metric} upper")
                close(st["bound"], want["bound"], f"{sl['name']} {metric} bound")
                assert st["outcome"] == ("pass" if want_pass else "fail")
                assert st["level"] == 1 - alpha and st["bound_side"] == ("lower" if HIGHER[metric] else "upper")
    return checks


def classification_source(name, n, k, seed, cand, champ, unscorable_every=0):
    y, pc, pb, features = classification(n, k, seed, cand, champ)
    cand_out, champ_out = outputs(pc), outputs(pb)
    probs_ok = np.ones(n, bool)
    if unscorable_every:
        for i in range(3, n, unscorable_every):  # the candidate answers a label only: no log loss or AUC there
            cand_out[i] = {"label": cand_out[i]["label"]}
            probs_ok[i] = False
    wire = {"source": name, "label": f"{name} rows", "features": features, "truth": y.tolist(), "candidate": cand_out, "champion": champ_out}
    np_side = {
        "features": features,
        "classes": list(range(k)),
        "y": {"accuracy": y, "log_loss": y, "roc_auc": y},
        "candidate": {"accuracy": pc.argmax(axis=1), "log_loss": pc, "roc_auc": pc[:, -1]},
        "champion": {"accuracy": pb.argmax(axis=1), "log_loss": pb, "roc_auc": pb[:, -1]},
        "scorable": {"accuracy": np.ones(n, bool), "log_loss": probs_ok, "roc_auc": probs_ok},
    }
    return wire, np_side


@pytest.mark.parametrize("seed,alpha,cand,champ", [(1, 0.05, 2.4, 1.8), (2, 0.1, 1.8, 1.8), (3, 0.05, 1.2, 2.2)])
def test_binary_gate_matches_reference(seed, alpha, cand, champ):
    holdout, h_np = classification_source("holdout", 700, 2, seed, cand, champ, unscorable_every=41)
    production, p_np = classification_source("production", 400, 2, seed + 100, cand, champ)
    config = {
        "thresholds": [
            {"metric": "accuracy", "absolute": -0.02, "margin": 0.01},
            {"metric": "log_loss", "relative": 0.1, "margin": 0.02},
            {"metric": "roc_auc", "lower": 0.6, "margin": 0.01},
            {"metric": "accuracy", "lower": 0.5, "per_slice": False},
        ],
        "slices": [{"feature": "region"}, {"feature": "income", "bins": [20000, 45000.5, 70000]}],
        "min_slice_size": 40,
        "alpha": alpha,
        "replicates": 100,
        "seed": 20261207 + seed,
    }
    answer = run_gate([holdout, production], config)
    checks = check_evidence(answer, [h_np, p_np], config)
    assert checks > 30
    e = answer["evidence"]
    unscorable = {(u["metric"], u["model"]): u["count"] for u in e["sources"][0]["unscorable"]}
    assert unscorable == {("log_loss", "candidate"): len(range(3, 700, 41)), ("roc_auc", "candidate"): len(range(3, 700, 41))}
    # The verdict follows from the judged checks: any failure rejects.
    judged = [m for s in e["sources"] for sl in s["slices"] for m in sl["metrics"] if m["judged"]]
    assert e["outcome"] == ("pass" if all(m["passed"] for m in judged) else "fail")
    assert len(e["failures"]) == sum(
        len([c for c in m["check"]["checks"] if not c["passed"]]) + (m["statistical"] is not None and m["statistical"]["outcome"] != "pass") for m in judged
    )


def test_multiclass_gate_matches_reference():
    src, src_np = classification_source("holdout", 700, 3, 11, 2.0, 1.6, unscorable_every=50)
    config = {
        "thresholds": [{"metric": "accuracy", "margin": 0.02}, {"metric": "log_loss", "upper": 2, "margin": 0.05}],
        "slices": [{"feature": "region"}],
        "min_slice_size": 30,
        "alpha": 0.05,
        "replicates": 120,
        "seed": 5,
    }
    assert check_evidence(run_gate([src], config), [src_np], config) >= 8


def test_regression_gate_matches_reference():
    rng = np.random.default_rng(8)
    n = 600
    y = rng.normal(50, 12, n)
    c = y + rng.normal(0, 3, n)
    b = y + rng.normal(0.5, 3.5, n)
    features = [{"size": float(v), "kind": str(rng.choice(["a", "b"]))} for v in rng.uniform(0, 10, n)]
    cand_out = [{"variable": [float(v)]} for v in c]  # shaped [N, 1]
    champ_out = [{"variable": float(v)} for v in b]
    ok = np.ones(n, bool)
    for i in range(0, n, 37):
        champ_out[i] = {}
        ok[i] = False
    wire = {"source": "holdout", "label": "prices v2", "features": features, "truth": y.tolist(), "candidate": cand_out, "champion": champ_out}
    src_np = {
        "features": features,
        "classes": None,
        "y": {"mae": y, "rmse": y},
        "candidate": {"mae": c, "rmse": c},
        "champion": {"mae": b, "rmse": b},
        "scorable": {"mae": ok, "rmse": ok},
    }
    config = {
        "thresholds": [{"metric": "mae", "absolute": 0.1, "margin": 0.05}, {"metric": "rmse", "upper": 5, "margin": 0.1}],
        "slices": [{"feature": "size", "bins": [2.5, 5, 7.5]}, {"feature": "kind"}],
        "min_slice_size": 50,
        "alpha": 0.05,
        "replicates": 150,
        "seed": 99,
    }
    answer = run_gate([wire], config)
    assert check_evidence(answer, [src_np], config) >= 12
    assert answer["evidence"]["sources"][0]["unscorable"][0] == {
        "metric": "mae",
        "model": "champion",
        "reason": "the model answers no numeric prediction",
        "count": len(range(0, n, 37)),
        "examples": [0, 37, 74, 111, 148],
    }


def test_no_champion_is_judged_by_value_thresholds_only():
    src, _ = classification_source("holdout", 300, 2, 4, 2.0, 1.0)
    src["champion"] = None
    config = {"thresholds": [{"metric": "accuracy", "lower": 0.99, "absolute": 0, "margin": 0}], "slices": [], "min_slice_size": 30, "alpha": 0.05, "replicates": 100, "seed": 0}
    e = run_gate([src], config)["evidence"]
    y = np.array(src["truth"])
    pred = np.array([o["label"] for o in src["candidate"]])
    m = e["sources"][0]["slices"][0]["metrics"][0]
    close(m["candidate"], accuracy_score(y, pred))
    assert e["outcome"] == "no_baseline_fail" and m["skipped"] == ["change_absolute", "margin"] and m["statistical"] is None
    assert e["reason"].startswith("Rejected (no champion to compare with: judged by value thresholds only)")


def test_bad_config_is_refused_naming_the_field():
    src, _ = classification_source("holdout", 60, 2, 4, 2.0, 1.0)
    config = {"thresholds": [{"metric": "accuracy", "lower": 0.5}], "slices": [{"feature": "income", "bins": [3, 2]}], "min_slice_size": 30, "alpha": 0.05, "replicates": 100, "seed": 0}
    assert run_gate([src], config)["field"] == "slices[0].bins"
