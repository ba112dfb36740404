"""Fills an experiment with many runs for the search benchmark. Seeding time is reported but not judged.

Every run i gets the same data on both servers: metrics m0..m{M-1} drawn from random.Random(i), param
p0 = 'x' (even i) or 'y' (odd i), params p1..p{P-1}, run name seed-i and start_time base+i.

  seed_http: create_run + log_batch over HTTP from a thread pool (the way a busy client would).
  seed_sql:  MLflow only, fast path: one template run is made over HTTP, then its rows in every table that
             has a run_uuid column are copied with new ids and values straight into MLflow's SQLite file.
"""
from __future__ import annotations

import random
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests

API = "/api/2.0/mlflow"


def values_for(i: int, n_metrics: int, n_params: int) -> tuple[dict[str, float], dict[str, str]]:
    rng = random.Random(i)
    metrics = {f"m{j}": rng.random() for j in range(n_metrics)}
    params = {"p0": "x" if i % 2 == 0 else "y", **{f"p{k}": f"v{i}-{k}" for k in range(1, n_params)}}
    return metrics, params


def create_experiment(srv, name: str) -> str:
    r = requests.post(f"{srv.url}{API}/experiments/create", json={"name": name}, headers=srv.headers(), timeout=60)
    r.raise_for_status()
    return r.json()["experiment_id"]


class _HttpSeeder:
    def __init__(self, srv, exp_id: str, n_metrics: int, n_params: int, base_ts: int):
        self.srv, self.exp_id, self.n_metrics, self.n_params, self.base_ts = srv, exp_id, n_metrics, n_params, base_ts
        self.local = threading.local()

    def session(self) -> requests.Session:
        s = getattr(self.local, "s", None)
        if s is None:
            s = self.local.s = requests.Session()
            s.headers.update(self.srv.headers())
        return s

    def one(self, i: int) -> str:
        s = self.session()
        r = s.post(f"{self.srv.url}{API}/runs/create", json={"experiment_id": self.exp_id, "start_time": self.base_ts + i, "run_name": f"seed-{i}"}, timeout=120)
        r.raise_for_status()
        run_id = r.json()["run"]["info"]["run_id"]
        metrics, params = values_for(i, self.n_metrics, self.n_params)
        body = {
            "run_id": run_id,
            "metrics": [{"key": k, "value": v, "timestamp": self.base_ts, "step": 0} for k, v in metrics.items()],
            "params": [{"key": k, "value": v} for k, v in params.items()],
        }
        r = s.post(f"{self.srv.url}{API}/runs/log-batch", json=body, timeout=120)
        r.raise_for_status()
        return run_id


def seed_http(srv, n: int, n_metrics: int, n_params: int, threads: int, progress=None) -> tuple[str, float]:
    t0 = time.monotonic()
    exp_id = create_experiment(srv, f"seed-{n}-{uuid.uuid4().hex[:8]}")
    seeder = _HttpSeeder(srv, exp_id, n_metrics, n_params, int(time.time() * 1000) - n)
    with ThreadPoolExecutor(threads) as pool:
        for done, _ in enumerate(pool.map(seeder.one, range(n)), 1):
            if progress and done % 2000 == 0:
                progress(f"{srv.name}: seeded {done}/{n} runs ({time.monotonic() - t0:.0f}s)")
    return exp_id, time.monotonic() - t0


def seed_sql(srv, n: int, n_metrics: int, n_params: int) -> tuple[str, float]:
    """MLflow only: clone one API-made template run n-1 times in MLflow's own SQLite file."""
    t0 = time.monotonic()
    exp_id = create_experiment(srv, f"seed-{n}-{uuid.uuid4().hex[:8]}")
    base_ts = int(time.time() * 1000) - n
    template = _HttpSeeder(srv, exp_id, n_metrics, n_params, base_ts).one(0)
    con = sqlite3.connect(srv.info["db"], timeout=60)
    try:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")]
        plan = []  # (table, columns, template rows)
        for t in tables:
            cols = [c[1] for c in con.execute(f'pragma table_info("{t}")')]
            if "run_uuid" not in cols:
                continue
            rows = con.execute(f'select * from "{t}" where run_uuid = ?', (template,)).fetchall()
            if rows:
                plan.append((t, cols, rows))
        ids = [template] + [uuid.uuid4().hex for _ in range(1, n)]
        values = [values_for(i, n_metrics, n_params) for i in range(n)]
        with con:
            for t, cols, rows in plan:
                out = []
                for i in range(1, n):
                    new_id = ids[i]
                    metrics, params = values[i]
                    for row in rows:
                        rec = dict(zip(cols, row))
                        for c, v in rec.items():  # ids inside other columns (artifact_uri, …)
                            if isinstance(v, str) and template in v:
                                rec[c] = v.replace(template, new_id)
                        rec["run_uuid"] = new_id
                        if t == "runs":
                            rec["name"], rec["start_time"] = f"seed-{i}", base_ts + i
                        elif t == "tags" and rec.get("key") == "mlflow.runName":
                            rec["value"] = f"seed-{i}"
                        elif t in ("metrics", "latest_metrics") and rec.get("key") in metrics:
                            rec["value"] = metrics[rec["key"]]
                        elif t == "params" and rec.get("key") in params:
                            rec["value"] = params[rec["key"]]
                        out.append(tuple(rec[c] for c in cols))
                con.executemany(f'insert into "{t}" ({",".join(cols)}) values ({",".join("?" * len(cols))})', out)
    finally:
        con.close()
    return exp_id, time.monotonic() - t0

