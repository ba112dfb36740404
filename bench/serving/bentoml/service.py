"""The serving benchmark's BentoML peer: the credit model (bench/serving/peer_model.py's joblib file) behind a
BentoML 1.4 service, configured as BentoML's docs recommend for throughput on CPU.

    cd bench/serving/bentoml && BENCH_MODEL=.../model.joblib bentoml serve service:Credit --host 127.0.0.1 --port P

BentoML 1.4's own API, not the legacy runners: a `@bentoml.service` class whose `@bentoml.api(batchable=True)` method
takes a list of records, so BentoML's adaptive batching merges concurrent requests into one list (batch dimension 0)
and the model predicts the merged frame at once. A `pd.DataFrame` parameter, which the docs show for tabular data,
does not batch in 1.4.40: its container's get_batch_size returns the frame's shape (a tuple) where the dispatcher
adds integers, and every request times out ("Error in training optimizer: unsupported operand type(s) for +: 'int'
and 'tuple'"); a list of records batches the same rows with BentoML's generic list container. `workers` is one per core the server may use (BENCH_WORKERS,
which bench/serving sets to the cores it pinned the server to), the docs' advice for CPU-bound models; the
batching limits come from BENCH_MAX_BATCH_SIZE and BENCH_MAX_LATENCY_MS (the same as Ferry's batching in the run).

A request is {"data": [{column: value, ..}, ..]} (DataFrame records); the answer is the labels as a JSON list.
"""
from __future__ import annotations

import os
import warnings
from typing import Any

import bentoml
import joblib
import numpy as np
import pandas as pd

NUMERIC = ["age", "income", "debt_ratio", "credit_lines", "months_employed"]
CATEGORICAL = ["home_ownership", "purpose"]


@bentoml.service(workers=int(os.environ.get("BENCH_WORKERS", "1")), traffic={"timeout": 60})
class Credit:
    def __init__(self) -> None:
        self.model = joblib.load(os.environ["BENCH_MODEL"])

    @bentoml.api(
        batchable=True,
        batch_dim=0,
        max_batch_size=int(os.environ.get("BENCH_MAX_BATCH_SIZE", "256")),
        max_latency_ms=int(os.environ.get("BENCH_MAX_LATENCY_MS", "1000")),
    )
    def predict(self, data: list[dict[str, Any]]) -> np.ndarray:
        # The frame as the pipeline was trained on: numbers as float (null = NaN), categories as str ("" = missing,
        # the pipeline's own marker; the client sends "" as mlflow models serve's client does).
        frame = pd.DataFrame.from_records(data, columns=NUMERIC + CATEGORICAL)
        for c in NUMERIC:
            frame[c] = frame[c].astype(float)
        for c in CATEGORICAL:
            frame[c] = frame[c].where(frame[c].notna(), "").astype(str).astype(object)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Found unknown categories")
            return self.model.predict(frame)
