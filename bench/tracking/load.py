"""One client of the concurrent tracking workload: a process of its own (no GIL shared with the other clients) that
drives the servers with mlflow's MlflowClient, in phases the parent starts one at a time on all its clients at once.
One pool of these serves every server of the run (an MlflowClient per server), so a round alternates servers without
starting 20 fresh Python processes each time.

  load.py --metrics 100,500 [--cpus 0] [--client-index I]

Protocol on stdin/stdout, one JSON object a line each way (MLFLOW_TRACKING_TOKEN comes from the environment; servers
without auth ignore it):
  <- {"setup": KEY, "url": U, "experiment_id": E, "search_experiment_id": S}
  -> {"ready": KEY}                          one run per batch size made, warm-up calls done (not timed)
  <- {"go": KEY, "phase": P, "n": N}         P is log_batch_<M> (N calls of M metrics) or search (N calls)
  -> {"phase": P, "lat": [s, ...], ...}      that phase's per-call latencies
Stdin closed: exit. Batches are built before the phase's calls start, and only the client call is timed.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
import uuid

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

import measure

SEARCH_FILTER = "metrics.m0 < 0.5 and params.p0 = 'x'"
SEARCH_ORDER = ["metrics.m1 DESC"]


def batches(run_seed: int, n_metrics: int, calls: int, step0: int) -> list[list[Metric]]:
    """`calls` batches of n_metrics metrics m0..m{M-1}, each batch a training step (step0 + i): a training loop's
    log_batch, so every call adds rows to the metric history and moves the run's latest values."""
    rng = random.Random(run_seed)
    ts = int(time.time() * 1000)
    return [[Metric(f"m{j}", rng.random(), ts + i, step0 + i) for j in range(n_metrics)] for i in range(calls)]


class Target:
    """One server as this client sees it: its MlflowClient, its runs (one per batch size) and the next step."""

    def __init__(self, cmd: dict, sizes: list[int], index: int, warmup: int):
        self.client = MlflowClient(tracking_uri=cmd["url"])
        self.search_exp = cmd["search_experiment_id"]
        self.step = 0
        tag = uuid.uuid4().hex[:6]
        self.runs = {m: self.client.create_run(cmd["experiment_id"], run_name=f"load-{index}-{m}-{tag}").info.run_id for m in sizes}
        for m in sizes:
            for b in batches(index, m, warmup, self.step):
                self.client.log_batch(self.runs[m], metrics=b)
        self.step += warmup
        for _ in range(warmup):
            self.search()

    def search(self):
        return self.client.search_runs([self.search_exp], SEARCH_FILTER, order_by=SEARCH_ORDER, max_results=100)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--metrics", default="100,500")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--cpus", default="")
    ap.add_argument("--client-index", type=int, default=0)
    a = ap.parse_args()
    if a.cpus:
        measure.pin_self(measure.parse_cpus(a.cpus))
    sizes = [int(m) for m in a.metrics.split(",") if m]
    targets: dict[str, Target] = {}

    for line in sys.stdin:
        cmd = json.loads(line)
        if "setup" in cmd:
            targets[cmd["setup"]] = Target(cmd, sizes, a.client_index, a.warmup)
            print(json.dumps({"ready": cmd["setup"]}), flush=True)
            continue
        t, phase, n = targets[cmd["go"]], cmd["phase"], cmd["n"]
        lat: list[float] = []
        out: dict = {"phase": phase}
        if phase.startswith("log_batch_"):
            m = int(phase.removeprefix("log_batch_"))
            todo = batches(a.client_index * 7919 + m + t.step, m, n, t.step)
            t.step += n  # the next round's steps follow on
            for b in todo:
                t0 = time.perf_counter()
                t.client.log_batch(t.runs[m], metrics=b)
                lat.append(time.perf_counter() - t0)
        elif phase == "search":
            found, hits = [], set()
            for _ in range(n):
                t0 = time.perf_counter()
                found = t.search()
                lat.append(time.perf_counter() - t0)
                hits.add(len(found))
            out["hits"] = sorted(hits)
            out["names"] = [r.info.run_name for r in found]
        else:
            out["error"] = f"unknown phase {phase!r}"
        out["lat"] = lat
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
