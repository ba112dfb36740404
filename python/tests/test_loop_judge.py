"""The loop's judge (dist/loops/judge) against references written here with numpy and scipy.

- pairedQuality's interval: the A/B engine's sequential formula for one mean (gbstats 0.8.0's
  SequentialTwoSidedTTest: ρ = sqrt((−2 ln α + ln(1 − 2 ln α))/N*), half-width
  sqrt(s²)·sqrt(2(Nρ² + 1)·ln(sqrt(Nρ² + 1)/α)/(Nρ)²), p = min(1, 1/E)) applied to the per-pair loss differences
  candidate − champion, with s² their sample variance (ddof 1) and N their count; losses per row computed here
  (0/1, scikit-learn's clipped log loss with ε = 2⁻⁵², absolute and squared error). Equal to 1e-9.
- servingFamily's error-rate test: one-sided two-proportion z-test with unpooled variance against the allowed
  increase, p = scipy.stats.norm.sf(z). Equal to 1e-9.

Needs the compiled judge: `npm run build` (or FERRY_DIST=<a tsc outDir> for a private build).
"""
import json
import math
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import norm

REPO = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("FERRY_DIST", REPO / "dist"))
JUDGE = DIST / "loops" / "judge" / "index.js"
EPS = 2.0**-52
REL = 1e-9

# Reads one JSON list of calls on stdin, answers one JSON list of results (the judge is pure: no server needed).
RUNNER = """
import { readFileSync } from 'node:fs';
const judge = await import(process.argv[1]);
const calls = JSON.parse(readFileSync(0, 'utf8'));
process.stdout.write(JSON.stringify(calls.map(([fn, ...args]) => judge[fn](...args))));
"""


def call_judge(calls):
    if not JUDGE.exists():
        pytest.fail(f"{JUDGE} missing: run `npm run build` first")
    out = subprocess.run(
        ["node", "--input-type=module", "-e", RUNNER, JUDGE.as_uri()],
        input=json.dumps(calls),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout)


def close(got, want, what=""):
    assert got is not None and math.isfinite(got), (what, got, want)
    assert abs(got - want) <= max(REL * abs(want), 1e-12), (what, got, want, abs(got - want))


# --- the reference -------------------------------------------------------------------------------------


def gbstats_sequential(mean, s2, n, alpha, tuning):
    """gbstats' SequentialTwoSidedTTest for an estimate with per-unit variance s² over N = n units."""
    rho = math.sqrt((-2 * math.log(alpha) + math.log(1 - 2 * math.log(alpha))) / tuning)
    variance = s2 / n  # Var(estimate)
    width = math.sqrt(variance * n) * math.sqrt((2 * (n * rho**2 + 1)) * math.log(math.sqrt(n * rho**2 + 1) / alpha) / (n * rho) ** 2)
    st2 = mean**2 * n / variance
    tr2p1 = n * rho**2 + 1
    evalue = math.exp(rho**2 * st2 / (2 * tr2p1)) / math.sqrt(tr2p1)
    return mean - width, mean + width, min(1.0, 1 / evalue)


def losses(metric, truth, pred):
    truth = np.asarray(truth)
    if metric == "accuracy":
        return (np.asarray(pred) != truth).astype(float)
    if metric == "log_loss":
        p = np.asarray(pred, dtype=float)  # class probabilities, one row per pair
        p_true = p[np.arange(len(truth)), truth.astype(int)]
        return -np.log(np.clip(p_true, EPS, 1 - EPS))
    err = np.asarray(pred, dtype=float) - truth.astype(float)
    return np.abs(err) if metric == "absolute_error" else err**2


def dataset(metric, n, rng, shift):
    """Truth and both models' outputs; the candidate is better (shift < 0) or worse (shift > 0) than the champion."""
    if metric in ("absolute_error", "squared_error"):
        y = rng.normal(3, 2, n)
        champ = y + rng.normal(0, 1, n)
        cand = y + rng.normal(0, 1 + shift, n)
        return y.tolist(), [{"value": float(v)} for v in champ], [{"value": float(v)} for v in cand], champ, cand
    if metric == "accuracy":
        y = rng.integers(0, 3, n)
        champ = np.where(rng.random(n) < 0.8, y, (y + 1) % 3)
        cand = np.where(rng.random(n) < 0.8 - shift, y, (y + 2) % 3)
        return y.tolist(), [{"label": int(v)} for v in champ], [{"label": int(v)} for v in cand], champ, cand
    y = rng.integers(0, 2, n)
    logits = (2 * y - 1) * 1.5
    pc = 1 / (1 + np.exp(-(logits + rng.normal(0, 1, n))))
    pk = 1 / (1 + np.exp(-(logits * (1 - shift) + rng.normal(0, 1, n))))
    pc[:3] = [0.0, 1.0, 0.5]  # the clipping at ε is exercised
    champ = np.stack([1 - pc, pc], axis=1)
    cand = np.stack([1 - pk, pk], axis=1)
    return (
        y.tolist(),
        [{"probabilities": [float(a), float(b)]} for a, b in champ],
        [{"probabilities": [float(a), float(b)]} for a, b in cand],
        champ,
        cand,
    )


CASES = [
    (metric, n, shift, alpha, tuning, seed)
    for seed, (metric, n, shift, alpha, tuning) in enumerate(
        [
            ("absolute_error", 400, -0.3, 0.05, 5000),
            ("absolute_error", 5000, 0.0, 0.05, 5000),
            ("squared_error", 1200, 0.4, 0.1, 1000),
            ("squared_error", 60, 0.0, 0.01, 5000),
            ("accuracy", 3000, 0.1, 0.05, 5000),
            ("accuracy", 800, -0.1, 0.2, 200),
            ("log_loss", 2500, 0.3, 0.05, 5000),
            ("log_loss", 150, -0.3, 0.05, 100_000),
        ]
    )
]


def test_paired_interval_equals_the_sequential_formula_on_loss_differences():
    calls, wants = [], []
    for metric, n, shift, alpha, tuning, seed in CASES:
        rng = np.random.default_rng(seed)
        truth, champ_rows, cand_rows, champ, cand = dataset(metric, n, rng, shift)
        pairs = [{"truth": t, "champion": a, "candidate": b} for t, a, b in zip(truth, champ_rows, cand_rows)]
        calls.append(["pairedQuality", pairs, {"metric": metric, "alpha": alpha, "margin": 0.01, "tuning": tuning}])
        d = losses(metric, truth, cand) - losses(metric, truth, champ)
        mean, s2 = float(d.mean()), float(d.var(ddof=1))
        lower, upper, p = gbstats_sequential(mean, s2, len(d), alpha, tuning)
        verdict = "pass" if upper < 0.01 else "fail" if lower > 0.01 else "inconclusive"
        wants.append((metric, len(d), mean, lower, upper, p, verdict))
    got = call_judge(calls)
    verdicts = set()
    for g, (metric, n, mean, lower, upper, p, verdict) in zip(got, wants):
        assert g["n"] == n and g["unscored"] == 0, (metric, g)
        close(g["mean_difference"], mean, f"{metric} mean")
        close(g["lower"], lower, f"{metric} lower")
        close(g["upper"], upper, f"{metric} upper")
        close(g["p_value"], p, f"{metric} p")
        assert g["verdict"] == verdict, (metric, g, verdict)
        verdicts.add(verdict)
    assert verdicts == {"pass", "fail", "inconclusive"}  # the cases reach every verdict


SERVING = [
    # champion requests, errors; candidate requests, errors; allowed increase; alpha
    (10_000, 50, 10_000, 180, 0.01, 0.05),
    (10_000, 50, 10_000, 140, 0.01, 0.05),
    (2_000, 0, 1_500, 3, 0.0, 0.05),
    (500, 40, 700, 30, 0.02, 0.01),
    (100_000, 1_000, 3_000, 60, 0.005, 0.1),
]


def test_error_rate_guardrail_equals_the_one_sided_two_proportion_z_test():
    calls = [
        [
            "servingFamily",
            {
                "champion": {"requests": hn, "errors": he, "latencyP99Ms": 10},
                "candidate": {"requests": cn, "errors": ce, "latencyP99Ms": 10},
                "maxErrorRateIncrease": allowed,
                "maxLatencyRatio": 2,
                "alpha": alpha,
            },
        ]
        for hn, he, cn, ce, allowed, alpha in SERVING
    ]
    got = call_judge(calls)
    verdicts = set()
    for g, (hn, he, cn, ce, allowed, alpha) in zip(got, SERVING):
        ph, pc = he / hn, ce / cn
        z = (pc - ph - allowed) / math.sqrt(pc * (1 - pc) / cn + ph * (1 - ph) / hn)
        p = float(norm.sf(z))
        close(g["error_rate"]["z"], z, "z")
        close(g["error_rate"]["p_value"], p, "p")
        assert g["error_rate"]["verdict"] == ("fail" if p < alpha else "pass")
        verdicts.add(g["error_rate"]["verdict"])
    assert verdicts == {"pass", "fail"}
