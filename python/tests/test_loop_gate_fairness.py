"""The loop gate's fairness conditions (dist/loops/gate, evaluateGate with `fairness`) against Fairlearn 0.15.

A holdout is built here as a model server answers it (skl2onnx's {label, probabilities}), with groups of different
sizes (one under min_slice_size), rows missing the feature (their own group, "(missing)"), rows the candidate or the
champion cannot score, and selection rates, TPR and FPR that differ by group. The gate runs through
test_loop_gate_driver.mjs. For every condition the test recomputes, with Fairlearn on the rows the model scored and
the groups of at least min_slice_size rows:
- the candidate's and the champion's value (demographic_parity_*, equalized_odds_*, equal_opportunity_*), to 1e-12;
- each group's n, and its selection rate, TPR and FPR from MetricFrame, to 1e-12;
- the verdict against min/max, and the reason re-rendered from the JSON evidence equal to the one given.
"""
import functools
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fairlearn import metrics as fm

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("test_loop_gate_driver.mjs")
DIST = Path(os.environ.get("FERRY_DIST", REPO / "dist"))
TOL = 1e-12
MISSING = "(missing)"
METRICS = {
    "demographic_parity_ratio": fm.demographic_parity_ratio,
    "demographic_parity_difference": fm.demographic_parity_difference,
    "equalized_odds_ratio": fm.equalized_odds_ratio,
    "equalized_odds_difference": fm.equalized_odds_difference,
    "equal_opportunity_ratio": fm.equal_opportunity_ratio,
    "equal_opportunity_difference": fm.equal_opportunity_difference,
}


def run_gate(sources, config):
    if not (DIST / "loops" / "gate" / "index.js").exists():
        pytest.fail(f"{DIST}/loops/gate missing: run `npx tsc -p tsconfig.build.json` first")
    env = {**os.environ, "FERRY_DIST": str(DIST)}
    out = subprocess.run(["node", str(DRIVER)], input=json.dumps({"sources": sources, "config": config}), capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "NaN" not in out.stdout and "Infinity" not in out.stdout
    return json.loads(out.stdout)


def close(got, want, what):
    assert got is not None and math.isfinite(want), (what, got, want)
    assert abs(got - want) <= TOL, (what, got, want, abs(got - want))


def holdout(seed, labels=(0, 1)):
    """Groups with their own selection and error rates; some rows without the feature, some unscorable."""
    rng = np.random.default_rng(seed)
    sizes = {"north": 260, "south": 180, "east": 90, "west": 20}
    cand_rate = {"north": 0.55, "south": 0.35, "east": 0.45, "west": 0.9}
    champ_rate = {"north": 0.45, "south": 0.42, "east": 0.44, "west": 0.5}
    features, truth, cand, champ = [], [], [], []
    for g, n in sizes.items():
        for _ in range(n):
            y = int(rng.random() < 0.4)
            # A prediction that follows the truth part of the time and the group's rate otherwise.
            pc = y if rng.random() < 0.5 else int(rng.random() < cand_rate[g])
            pb = y if rng.random() < 0.5 else int(rng.random() < champ_rate[g])
            row = {"region": g, "income": float(rng.uniform(0, 9e4))}
            features.append(row)
            truth.append(labels[y])
            cand.append({"label": labels[pc], "probabilities": [0.5, 0.5]})
            champ.append({"label": labels[pb], "probabilities": [0.5, 0.5]})
    order = rng.permutation(len(truth))
    features = [features[i] for i in order]
    truth = [truth[i] for i in order]
    cand = [cand[i] for i in order]
    champ = [champ[i] for i in order]
    for i in range(0, len(truth), 9):  # rows without a region: the "(missing)" group (61 rows)
        features[i].pop("region")
    for i in range(3, len(truth), 41):  # rows the candidate gives no label for
        cand[i] = {"probabilities": [0.5, 0.5]}
    for i in range(5, len(truth), 53):  # and the champion
        champ[i] = {}
    src = {"source": "holdout", "label": "credit-holdout v4", "dataset": {"dataset": "credit-holdout", "version": 4}, "features": features, "truth": truth, "candidate": cand, "champion": champ}
    return src


def reference(src, outputs, condition, min_size):
    """Fairlearn on the rows the model labelled, groups under min_size left out: value, per-group rates, counts."""
    rows = [i for i, o in enumerate(outputs) if "label" in o]
    y_true = np.array([src["truth"][i] for i in rows], dtype=object)
    y_pred = np.array([outputs[i]["label"] for i in rows], dtype=object)
    sf = np.array([src["features"][i].get("region", MISSING) for i in rows], dtype=object)
    groups, counts = np.unique(sf, return_counts=True)
    kept = {g for g, n in zip(groups, counts) if n >= min_size}
    keep = np.array([g in kept for g in sf])
    yt, yp, s = y_true[keep], y_pred[keep], sf[keep]
    pos = condition.get("pos_label")
    if pos is None:
        yt, yp = yt.astype(int), yp.astype(int)
        value = METRICS[condition["metric"]](yt, yp, sensitive_features=s)
        pos = 1
    else:
        # Fairlearn's parity functions take no pos_label: the same quantities from MetricFrame with it.
        value = None
    frames = {
        name: fm.MetricFrame(metrics=functools.partial(fn, pos_label=pos), y_true=yt, y_pred=yp, sensitive_features=s)
        for name, fn in (("selection_rate", fm.selection_rate), ("true_positive_rate", fm.true_positive_rate), ("false_positive_rate", fm.false_positive_rate))
    }
    if value is None:
        m = condition["metric"]
        kind = "ratio" if m.endswith("ratio") else "difference"
        part = lambda f: getattr(frames[f], kind)(method="between_groups")  # noqa: E731
        if m.startswith("demographic_parity"):
            value = part("selection_rate")
        elif m.startswith("equal_opportunity"):
            value = part("true_positive_rate")
        else:
            both = [part("true_positive_rate"), part("false_positive_rate")]
            value = max(both) if kind == "difference" else min(both)
    by_group = {name: f.by_group.to_dict() for name, f in frames.items()}
    return {"value": float(value), "groups": dict(zip(groups.tolist(), counts.tolist())), "kept": kept, "rates": by_group, "rows": len(rows)}


def check_model(got, want, what, rates):
    close(got["value"], want["value"], f"{what} value")
    assert got["rows"] == want["rows"], what
    assert [(g["value"], g["n"]) for g in got["groups"]] == sorted(want["groups"].items()), what
    assert got["insufficient_groups"] == sorted(g for g in want["groups"] if g not in want["kept"]), what
    for g in got["groups"]:
        if g["value"] not in want["kept"]:
            assert g["insufficient"] and g["selection_rate"] is None, (what, g)
            continue
        close(g["selection_rate"], want["rates"]["selection_rate"][g["value"]], f"{what} {g['value']} selection_rate")
        assert g["selected"] == round(g["selection_rate"] * g["n"]), (what, g)
        if rates:
            close(g["true_positive_rate"], want["rates"]["true_positive_rate"][g["value"]], f"{what} {g['value']} tpr")
            close(g["false_positive_rate"], want["rates"]["false_positive_rate"][g["value"]], f"{what} {g['value']} fpr")
            assert g["positives"] + g["negatives"] == g["n"], (what, g)
            if g["positives"] > 0:
                close(g["true_positives"] / g["positives"], g["true_positive_rate"], f"{what} {g['value']} tp count")


def check(answer, src, conditions, min_size):
    e = answer["evidence"]
    assert answer["again"] == e["reason"]
    assert len(e["fairness"]) == len(conditions)
    for c, f in zip(conditions, e["fairness"]):
        rates = not c["metric"].startswith("demographic_parity")
        cand = reference(src, src["candidate"], c, min_size)
        champ = reference(src, src["champion"], c, min_size)
        check_model(f["candidate"], cand, f"{c['metric']} candidate", rates)
        check_model(f["champion"], champ, f"{c['metric']} champion", rates)
        v = cand["value"]
        want_pass = (c.get("min") is None or v >= c["min"]) and (c.get("max") is None or v <= c["max"])
        assert f["passed"] == want_pass, (c, v)
    return e


def test_every_parity_metric_matches_fairlearn():
    src = holdout(11)
    conditions = [
        {"feature": "region", "metric": "demographic_parity_ratio", "min": 0.9},
        {"feature": "region", "metric": "demographic_parity_difference", "max": 0.3},
        {"feature": "region", "metric": "equalized_odds_ratio", "min": 0.5, "max": 1},
        {"feature": "region", "metric": "equalized_odds_difference", "max": 0.05},
        {"feature": "region", "metric": "equal_opportunity_ratio", "min": 0.1},
        {"feature": "region", "metric": "equal_opportunity_difference", "max": 0.9},
    ]
    config = {"thresholds": [{"metric": "accuracy", "lower": 0}], "slices": [], "min_slice_size": 30, "alpha": 0.05, "replicates": 100, "seed": 0, "fairness": conditions}
    e = check(run_gate([src], config), src, conditions, 30)
    # The small group (west, 20 rows, which the candidate selects most) is left out; "(missing)" is kept.
    assert e["fairness"][0]["candidate"]["insufficient_groups"] == ["west"]
    assert e["fairness"][0]["candidate"]["groups"][0]["value"] == MISSING
    # Built to fail two conditions (the candidate's ratio ≈ 0.821 < 0.9, its equalized odds difference ≈ 0.088 > 0.05).
    failed = [f["metric"] for f in e["fairness"] if not f["passed"]]
    assert failed == ["demographic_parity_ratio", "equalized_odds_difference"]
    assert e["outcome"] == "fail" and e["failures"] == []
    phrase = e["fairness"][0]["phrase"]
    assert phrase.startswith("the candidate's demographic_parity_ratio for region is 0.821, below its minimum 0.900")
    assert e["reason"] == f"Rejected: on credit-holdout v4, {phrase}; 1 more failure."


def test_a_larger_minimum_and_pos_label_match_fairlearn():
    src = holdout(23, labels=("deny", "approve"))
    conditions = [
        {"feature": "region", "metric": "demographic_parity_ratio", "min": 0.5, "pos_label": "approve"},
        {"feature": "region", "metric": "equalized_odds_difference", "max": 0.5, "pos_label": "approve"},
        {"feature": "region", "metric": "equal_opportunity_ratio", "min": 0.5, "pos_label": "deny"},
    ]
    config = {"thresholds": [{"metric": "accuracy", "lower": 0}], "slices": [], "min_slice_size": 70, "alpha": 0.05, "replicates": 100, "seed": 0, "fairness": conditions}
    e = check(run_gate([src], config), src, conditions, 70)
    assert e["fairness"][0]["candidate"]["insufficient_groups"] == [MISSING, "west"]
