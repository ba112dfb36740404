"""A/B tests' model-quality events (dist/abtests/quality-metrics.js) against scikit-learn 1.9, row by row.

Each feedback row's `model:log_loss` must equal sklearn.metrics.log_loss of that one row (labels given, so one
row suffices), including probabilities at 0 and 1 and within 2^-52 of them, where scikit-learn clips to
[eps, 1 - eps] with eps the machine precision of float64; `model:absolute_error` and `model:squared_error` equal
mean_absolute_error and mean_squared_error of the row; `model:accuracy` equals accuracy_score. To 1e-12 relative.
"""
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pytest
from sklearn import metrics as skm

REPO = Path(__file__).resolve().parents[2]
MODULE = REPO / "dist" / "abtests" / "quality-metrics.js"
REL = 1e-12

# Reads [[kind, truth, outputs], ...] on stdin and answers each row's events as {metric: value}.
SCRIPT = """
const m = await import(process.argv[1]);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map(([kind, truth, outputs]) =>
  Object.fromEntries(m.qualityValues(kind, truth, outputs, 'label').map((v) => [v.metric, v.value])));
process.stdout.write(JSON.stringify(out));
"""


def ferry(rows):
    if not MODULE.exists():
        pytest.fail("dist/abtests missing: run `npm run build` first")
    done = subprocess.run(
        ["node", "--input-type=module", "-e", SCRIPT, MODULE.as_uri()],
        input=json.dumps(rows), capture_output=True, text=True, check=True, timeout=60,
    )
    return json.loads(done.stdout)


def close(got, want):
    assert math.isfinite(got), got
    assert abs(got - want) <= max(1e-15, REL * abs(want)), (got, want)


EDGES = [0.0, 1e-300, 2.0**-53, 2.0**-52, 1e-12, 0.3, 0.5, 1 - 1e-12, 1 - 2.0**-53, 1.0]


def test_log_loss_and_accuracy_per_row_as_scikit_learn():
    rng = np.random.default_rng(5)
    cases = []
    for p in EDGES:
        for y in (0, 1):
            cases.append((y, [1 - p, p]))
    for _ in range(200):
        k = int(rng.integers(2, 6))
        probs = rng.dirichlet(np.full(k, 0.3)).tolist()
        cases.append((int(rng.integers(0, k)), probs))
    rows = [["label", y, {"label": int(np.argmax(p)), "probabilities": p}] for y, p in cases]
    got = ferry(rows)
    for (y, p), g in zip(cases, got):
        want = skm.log_loss([y], [p], labels=list(range(len(p))))
        close(g["model:log_loss"], want)
        assert g["model:accuracy"] == skm.accuracy_score([y], [int(np.argmax(p))])
        assert g["model:scored"] == 1


def test_errors_per_row_as_scikit_learn():
    rng = np.random.default_rng(6)
    pairs = [(float(a), float(b)) for a, b in rng.normal(0, 100, size=(100, 2))] + [(0.0, 0.0), (1e-300, -1e-300), (1e150, -1e150)]
    got = ferry([["value", y, {"label": yhat}] for y, yhat in pairs])
    for (y, yhat), g in zip(pairs, got):
        close(g["model:absolute_error"], skm.mean_absolute_error([y], [yhat]))
        close(g["model:squared_error"], skm.mean_squared_error([y], [yhat]))
        assert "model:log_loss" not in g and "model:accuracy" not in g


def test_unscorable_rows_give_no_events():
    got = ferry([
        ["outcome", "churned", {"label": 1}],
        ["label", 1, {"other": 1}],  # no prediction output
        ["value", 2.5, {"label": "yes"}],  # a value against a non-number
    ])
    assert got == [{}, {}, {}]
    # A label that does not index the probabilities: accuracy only.
    assert ferry([["label", "cat", {"label": "cat", "probabilities": [0.2, 0.8]}]]) == [{"model:accuracy": 1, "model:scored": 1}]
