"""The client side of the benchmark: one process per server, driving it with mlflow's own MlflowClient.

  workload.py tracking --runs N --metrics M --params P --searches S --concurrency C
  workload.py search --experiment-id ID --calls K

The server comes from MLFLOW_TRACKING_URI (and MLFLOW_TRACKING_TOKEN when it needs one). Prints one JSON
line with the timings. Entities and bodies are built before the clock starts, so only the client call is timed.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import random
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient

SEARCH_FILTER = "metrics.m0 < 0.5 and params.p0 = 'x'"
SEARCH_ORDER = ["metrics.m1 DESC"]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


def summary(lat: list[float], wall: float) -> dict:
    return {
        "count": len(lat),
        "wall_s": wall,
        "rps": len(lat) / wall if wall > 0 else float("nan"),
        "p50_ms": pct(lat, 0.5) * 1000,
        "p95_ms": pct(lat, 0.95) * 1000,
        "mean_ms": statistics.fmean(lat) * 1000 if lat else float("nan"),
    }


def timed_phase(fn, items: list, concurrency: int) -> dict:
    """Calls fn(item) for every item, `concurrency` at a time; returns throughput and latency figures."""
    lat: list[float] = []

    def one(item):
        t = time.perf_counter()
        result = fn(item)
        lat.append(time.perf_counter() - t)
        return result

    t0 = time.perf_counter()
    if concurrency <= 1:
        results = [one(i) for i in items]
    else:
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(one, items))
    out = summary(lat, time.perf_counter() - t0)
    out["results"] = results
    return out


def batch_for(i: int, n_metrics: int, n_params: int, ts: int) -> tuple[list[Metric], list[Param]]:
    rng = random.Random(i)
    metrics = [Metric(f"m{j}", rng.random(), ts, 0) for j in range(n_metrics)]
    params = [Param("p0", "x" if i % 2 == 0 else "y")] + [Param(f"p{k}", f"v{i}-{k}") for k in range(1, n_params)]
    return metrics, params


def raw_log_batch(client: MlflowClient, tag: str, ts: int, args) -> dict:
    """log_batch as plain HTTP: same batches, JSON bodies serialised up front, one requests.Session per thread.
    Shows what the server sustains once MlflowClient's own per-call cost (proto -> JSON, headers) is out."""
    exp_id = client.create_experiment(f"bench-raw-{tag}")
    run_ids = [client.create_run(exp_id).info.run_id for _ in range(args.runs)]
    bodies = []
    for i, rid in enumerate(run_ids):
        metrics, params = batch_for(i, args.metrics, args.params, ts)
        bodies.append(json.dumps({
            "run_id": rid,
            "metrics": [{"key": m.key, "value": m.value, "timestamp": m.timestamp, "step": m.step} for m in metrics],
            "params": [{"key": p.key, "value": p.value} for p in params],
        }).encode())
    base = os.environ["MLFLOW_TRACKING_URI"].rstrip("/")
    url = base + "/api/2.0/mlflow/runs/log-batch"
    headers = {"Content-Type": "application/json"}
    if os.environ.get("MLFLOW_TRACKING_TOKEN"):
        headers["Authorization"] = f"Bearer {os.environ['MLFLOW_TRACKING_TOKEN']}"
    pool: queue.SimpleQueue = queue.SimpleQueue()
    for _ in range(max(1, args.concurrency)):
        s = requests.Session()
        s.get(base + "/health").raise_for_status()  # connection opened before the clock starts
        pool.put(s)

    def post(body: bytes) -> None:
        s = pool.get()
        try:
            s.post(url, data=body, headers=headers).raise_for_status()
        finally:
            pool.put(s)

    out = timed_phase(post, bodies, args.concurrency)
    out.pop("results")
    return out


def tracking(args) -> dict:
    client = MlflowClient()
    tag = uuid.uuid4().hex[:8]
    ts = int(time.time() * 1000)
    # Warm-up (connection pool, server caches, code paths) in an experiment of its own; not timed.
    warm_exp = client.create_experiment(f"bench-warmup-{tag}")
    for w in range(args.warmup):
        run = client.create_run(warm_exp, run_name=f"warmup-{w}")
        m, p = batch_for(w, args.metrics, args.params, ts)
        client.log_batch(run.info.run_id, metrics=m, params=p)
        client.set_terminated(run.info.run_id)
        client.search_runs([warm_exp], SEARCH_FILTER, order_by=SEARCH_ORDER, max_results=100)
    exp_id = client.create_experiment(f"bench-tracking-{tag}")

    idx = list(range(args.runs))
    create = timed_phase(lambda i: client.create_run(exp_id, run_name=f"run-{i}").info.run_id, idx, args.concurrency)
    run_ids = create.pop("results")
    batches = [(rid, *batch_for(i, args.metrics, args.params, ts)) for i, rid in enumerate(run_ids)]
    log_batch = timed_phase(lambda b: client.log_batch(b[0], metrics=b[1], params=b[2]), batches, args.concurrency)
    log_batch.pop("results")
    update = timed_phase(lambda rid: client.update_run(rid, status="FINISHED"), run_ids, args.concurrency)
    update.pop("results")

    raw = raw_log_batch(client, tag, ts, args)
    total_reqs = create["count"] + log_batch["count"] + update["count"]
    total_wall = create["wall_s"] + log_batch["wall_s"] + update["wall_s"]

    def search(_):
        return len(client.search_runs([exp_id], SEARCH_FILTER, order_by=SEARCH_ORDER, max_results=100))

    srch = timed_phase(search, list(range(args.searches)), 1)  # latency: one at a time
    hits = srch.pop("results")
    expected = min(100, sum(1 for i in idx if i % 2 == 0 and random.Random(i).random() < 0.5))
    return {
        "experiment_id": exp_id,
        "create_run": create,
        "log_batch": log_batch,
        "log_batch_raw": raw,
        "update_run": update,
        "writes": {"count": total_reqs, "wall_s": total_wall, "rps": total_reqs / total_wall},
        "search_runs": srch,
        "search_hits": hits[0] if hits else None,
        "search_hits_expected": expected,
    }


def search_only(args) -> dict:
    client = MlflowClient()
    for _ in range(args.warmup):
        client.search_runs([args.experiment_id], SEARCH_FILTER, order_by=SEARCH_ORDER, max_results=100)
    res = timed_phase(
        lambda _: client.search_runs([args.experiment_id], SEARCH_FILTER, order_by=SEARCH_ORDER, max_results=100),
        list(range(args.calls)),
        1,
    )
    runs = res.pop("results")
    first = runs[0] if runs else []
    m1 = [r.data.metrics.get("m1") for r in first]
    names = [r.info.run_name for r in first]
    return {"search_runs": res, "hits": len(first), "sorted_desc": m1 == sorted(m1, reverse=True), "names": names}


def main() -> None:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    t = sub.add_parser("tracking")
    t.add_argument("--runs", type=int, default=200)
    t.add_argument("--metrics", type=int, default=100)
    t.add_argument("--params", type=int, default=10)
    t.add_argument("--searches", type=int, default=30)
    t.add_argument("--concurrency", type=int, default=1)
    t.add_argument("--warmup", type=int, default=3)
    s = sub.add_parser("search")
    s.add_argument("--experiment-id", required=True)
    s.add_argument("--calls", type=int, default=30)
    s.add_argument("--warmup", type=int, default=2)
    args = ap.parse_args()
    out = tracking(args) if args.mode == "tracking" else search_only(args)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
