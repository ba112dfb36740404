"""Ferry vs MLflow tracking benchmark: same MlflowClient workload against both servers, side by side.

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

import mlflow

import seed
import servers

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET_LOG_BATCH_RATIO = 10.0
TARGET_SEARCH_P50_MS = 100.0


# A smoke run (--smoke or BENCH_SMOKE=1): tiny sizes, MLflow's server only where it is installed, and checks that
# fail the run when the benchmark itself is broken. An option given on the command line or in its variable wins.
SMOKE = "--smoke" in sys.argv or os.environ.get("BENCH_SMOKE", "") in ("1", "true", "yes")
SMOKE_DEFAULTS = {"BENCH_RUNS": 10, "BENCH_METRICS": 10, "BENCH_PARAMS": 3, "BENCH_SEARCHES": 3, "BENCH_SEED_RUNS": 60,
                  "BENCH_SEED_METRICS": 3, "BENCH_SEED_PARAMS": 2, "BENCH_SEED_THREADS": 4, "BENCH_SEARCH_CALLS": 3,
                  "BENCH_MLFLOW_WORKERS": 1}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, SMOKE_DEFAULTS.get(name, default) if SMOKE else default))


def parse_args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    a = ap.add_argument
    a("--runs", type=int, default=env_int("BENCH_RUNS", 200), help="part 1 runs (BENCH_RUNS, 200)")
    a("--metrics", type=int, default=env_int("BENCH_METRICS", 100), help="metrics per log_batch (BENCH_METRICS, 100)")
    a("--params", type=int, default=env_int("BENCH_PARAMS", 10), help="params per log_batch (BENCH_PARAMS, 10)")
    a("--searches", type=int, default=env_int("BENCH_SEARCHES", 30), help="part 1 search_runs calls (BENCH_SEARCHES, 30)")
    a("--concurrency", type=int, default=env_int("BENCH_CONCURRENCY", 1), help="client threads for writes (BENCH_CONCURRENCY, 1)")
    a("--seed-runs", type=int, default=env_int("BENCH_SEED_RUNS", 10_000), help="part 2 runs; 0 skips part 2 (BENCH_SEED_RUNS, 10000)")
    a("--seed-metrics", type=int, default=env_int("BENCH_SEED_METRICS", 10), help="metrics per seeded run (BENCH_SEED_METRICS, 10)")
    a("--seed-params", type=int, default=env_int("BENCH_SEED_PARAMS", 5), help="params per seeded run (BENCH_SEED_PARAMS, 5)")
    a("--seed-threads", type=int, default=env_int("BENCH_SEED_THREADS", 8), help="HTTP seeding threads (BENCH_SEED_THREADS, 8)")
    a("--search-calls", type=int, default=env_int("BENCH_SEARCH_CALLS", 30), help="part 2 search_runs calls (BENCH_SEARCH_CALLS, 30)")
    a("--mlflow-workers", type=int, default=env_int("BENCH_MLFLOW_WORKERS", 4), help="mlflow server --workers (BENCH_MLFLOW_WORKERS, 4 = its default)")
    a("--smoke", action="store_true", default=SMOKE,
      help="tiny sizes (10 runs, 60 seeded), MLflow's server only where installed, checks that fail the run (BENCH_SMOKE=1)")
    a("--mlflow-seed", choices=["sql", "http", "skip"], default=os.environ.get("BENCH_MLFLOW_SEED", "sql"),
      help="how part 2 seeds MLflow: sql (copy rows into its SQLite), http, or skip (BENCH_MLFLOW_SEED, sql)")
    a("--json", default=os.environ.get("BENCH_JSON"), help="also write all figures to this JSON file (BENCH_JSON)")
    a("--keep", action="store_true", help="keep the temporary folder (databases, server logs)")
    return ap.parse_args()


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def client(srv, args: list[str], timeout: float = 1800) -> dict:
    """Runs workload.py in a fresh process against one server and returns its JSON."""
    cmd = [sys.executable, os.path.join(HERE, "workload.py"), *args]
    p = subprocess.run(cmd, env=srv.client_env(), capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError(f"workload against {srv.name} failed ({p.returncode}):\n{p.stderr[-4000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "n/a"


def row(label: str, f: float | None, m: float | None, higher_better: bool = True) -> str:
    fs = f"{f:10.1f}" if f is not None else f"{'-':>10}"
    ms = f"{m:10.1f}" if m is not None else f"{'-':>10}"
    r = "n/a"
    if f and m:
        r = ratio(f, m) if higher_better else f"{m / f:.1f}x faster" if m >= f else f"{f / m:.1f}x slower"
    return f"  {label:<28}{fs}  {ms}   {r}"


def part1(ferry, ml, a) -> dict:
    wl = ["tracking", "--runs", str(a.runs), "--metrics", str(a.metrics), "--params", str(a.params),
          "--searches", str(a.searches), "--concurrency", str(a.concurrency)]
    res = {}
    for srv in (ferry, ml):
        if srv is None:
            continue
        log(f"part 1 against {srv.name}: {a.runs} runs x log_batch({a.metrics} metrics + {a.params} params)")
        res[srv.name] = client(srv, wl)
    f = res["ferry"]
    # Without an MLflow server (a smoke run where it is not installed) its column prints "-".
    m = res.get("mlflow") or {k: {"rps": None, "p50_ms": None, "p95_ms": None} for k in f if isinstance(f[k], dict)}
    print(f"\nPart 1: {a.runs} runs; create_run, log_batch({a.metrics} metrics + {a.params} params), update_run; "
          f"client concurrency {a.concurrency}")
    print(f"  {'':<28}{'Ferry':>10}  {'MLflow':>10}   Ferry/MLflow")
    print("  MlflowClient calls (timed per phase; update_run = GET runs/get + POST runs/update, as the client does):")
    for key, label in (("create_run", "create_run calls/s"), ("log_batch", "log_batch calls/s"),
                       ("update_run", "update_run calls/s"), ("writes", "all three, calls/s")):
        print(row(label, f[key]["rps"], m[key]["rps"]))
    print(row("log_batch p50 ms", f["log_batch"]["p50_ms"], m["log_batch"]["p50_ms"], False))
    print(row("log_batch p95 ms", f["log_batch"]["p95_ms"], m["log_batch"]["p95_ms"], False))
    print("  log_batch as raw HTTP (requests, bodies serialised beforehand; excludes MlflowClient's own cost):")
    print(row("log_batch req/s", f["log_batch_raw"]["rps"], m["log_batch_raw"]["rps"]))
    print(row("log_batch p50 ms", f["log_batch_raw"]["p50_ms"], m["log_batch_raw"]["p50_ms"], False))
    print(f"  search_runs x{a.searches} over {a.runs} runs (filter \"metrics.m0 < 0.5 and params.p0 = 'x'\", "
          "order_by metrics.m1 DESC, max_results=100):")
    print(row("search_runs p50 ms", f["search_runs"]["p50_ms"], m["search_runs"]["p50_ms"], False))
    print(row("search_runs p95 ms", f["search_runs"]["p95_ms"], m["search_runs"]["p95_ms"], False))
    exp = f["search_hits_expected"]
    same = f["search_hits"] == exp and (ml is None or m["search_hits"] == exp)
    print(f"  search hits: Ferry {f['search_hits']}, MLflow {m.get('search_hits', '-')}, expected {exp}" + ("" if same else "   <-- MISMATCH"))
    return res


def part2(ferry, ml, a) -> dict:
    out: dict = {}
    sargs = lambda exp: ["search", "--experiment-id", exp, "--calls", str(a.search_calls)]  # noqa: E731
    log(f"part 2: seeding {a.seed_runs} runs into Ferry over HTTP ({a.seed_threads} threads)")
    exp, secs = seed.seed_http(ferry, a.seed_runs, a.seed_metrics, a.seed_params, a.seed_threads, log)
    out["ferry"] = {"seed_s": secs, "seed_mode": "http", **client(ferry, sargs(exp))}
    if a.mlflow_seed != "skip" and ml is not None:
        log(f"part 2: seeding {a.seed_runs} runs into MLflow ({a.mlflow_seed})")
        if a.mlflow_seed == "sql":
            exp, secs = seed.seed_sql(ml, a.seed_runs, a.seed_metrics, a.seed_params)
        else:
            exp, secs = seed.seed_http(ml, a.seed_runs, a.seed_metrics, a.seed_params, a.seed_threads, log)
        out["mlflow"] = {"seed_s": secs, "seed_mode": a.mlflow_seed, **client(ml, sargs(exp))}
    f, m = out["ferry"], out.get("mlflow")
    print(f"\nPart 2: search_runs over {a.seed_runs} runs ({a.seed_metrics} metrics + {a.seed_params} params each), "
          f"{a.search_calls} calls, one at a time")
    print(f"  search_runs(filter=\"metrics.m0 < 0.5 and params.p0 = 'x'\", order_by=[\"metrics.m1 DESC\"], max_results=100)")
    print(f"  {'':<28}{'Ferry':>10}  {'MLflow':>10}   Ferry vs MLflow")
    mm = (m or {}).get("search_runs", {})
    print(row("search_runs p50 ms", f["search_runs"]["p50_ms"], mm.get("p50_ms"), False))
    print(row("search_runs p95 ms", f["search_runs"]["p95_ms"], mm.get("p95_ms"), False))
    print(f"  seeding (not measured): Ferry {f['seed_s']:.0f}s over HTTP"
          + (f"; MLflow {m['seed_s']:.0f}s via {m['seed_mode']}" if m else "; MLflow skipped"))
    out["hits_expected"] = expected_hits(a.seed_runs)
    ok = f["hits"] == out["hits_expected"] and f["sorted_desc"]
    print(f"  Ferry returned {f['hits']} runs (expected {out['hits_expected']}), sorted by m1 desc: {f['sorted_desc']}" + ("" if ok else "   <-- UNEXPECTED"))
    if m:
        same = m["names"] == f["names"]
        print(f"  MLflow returned {m['hits']} runs; same runs in the same order as Ferry: {same}"
              + ("" if same else "   <-- MISMATCH"))
    return out


def expected_hits(n: int) -> int:
    """Runs among the first n that match the search filter (seed.values_for: p0 = 'x' for even i, m0 its first draw)."""
    return min(100, sum(1 for i in range(0, n, 2) if random.Random(i).random() < 0.5))


def mlflow_server_installed() -> str | None:
    """None when `mlflow server` can run from this Python, else why not."""
    if not os.path.exists(os.path.join(servers.VENV_BIN, "mlflow")):
        return f"no mlflow command in {servers.VENV_BIN}"
    for mod in ("mlflow.server", "uvicorn"):
        if importlib.util.find_spec(mod) is None:
            return f"no {mod} module (mlflow-skinny has no server; install the full mlflow package)"
    return None


def smoke_checks(a, results: dict) -> int:
    """A smoke run's checks; prints them and returns the exit status (1 when the benchmark itself is broken)."""
    failed, passed = [], 0

    def check(ok: bool, what: str) -> None:
        nonlocal passed
        if ok:
            passed += 1
        else:
            failed.append(what)

    p1 = results["part1"]
    for name, r in p1.items():
        check(r["search_hits"] == r["search_hits_expected"], f"part 1, {name}: search_runs found {r['search_hits']} runs, expected {r['search_hits_expected']}")
        for key in ("create_run", "log_batch", "update_run", "log_batch_raw", "search_runs"):
            check(r[key]["count"] > 0 and math.isfinite(r[key]["rps"]), f"part 1, {name}: {key} measured")
    if "mlflow" in p1:
        ratios = [p1["ferry"][k]["rps"] / p1["mlflow"][k]["rps"] for k in ("log_batch", "log_batch_raw")]
        check(all(math.isfinite(x) and x > 0 for x in ratios), "part 1: the log_batch ratios Ferry/MLflow are finite")
    p2 = results.get("part2")
    if p2:
        f = p2["ferry"]
        check(f["hits"] == p2["hits_expected"] and f["sorted_desc"], f"part 2, Ferry: {f['hits']} runs (expected {p2['hits_expected']}), sorted by m1 desc")
        check(math.isfinite(f["search_runs"]["p50_ms"]), "part 2, Ferry: search_runs p50 measured")
        if "mlflow" in p2:
            check(p2["mlflow"]["names"] == f["names"], "part 2: MLflow returns the same runs in the same order as Ferry")
    print()
    for what in failed:
        print(f"smoke check FAILED: {what}")
    if failed:
        print(f"smoke tracking: FAILED ({len(failed)} of {len(failed) + passed} checks)")
        return 1
    peer = "MLflow server compared" if "mlflow" in p1 else "MLflow server not run"
    print(f"smoke tracking: OK ({passed} checks; log_batch Ferry {p1['ferry']['log_batch']['rps']:.0f} calls/s; {peer})")
    return 0


def main() -> int:
    a = parse_args()
    tmp = tempfile.mkdtemp(prefix="ferry-bench-")
    results: dict = {"config": vars(a), "mlflow_version": mlflow.__version__, "cpus": os.cpu_count()}
    ferry = ml = None
    try:
        missing = mlflow_server_installed() if a.smoke else None
        if missing:
            print(f"MLflow server left out: not installed ({missing}); Ferry alone")
        log(f"starting Ferry and MLflow {mlflow.__version__} (--workers {a.mlflow_workers}) in {tmp}" if not missing else f"starting Ferry in {tmp}")
        ferry = servers.start_ferry(tmp)
        ml = None if missing else servers.start_mlflow(tmp, a.mlflow_workers)
        log(f"ferry {ferry.url} (up in {ferry.info['startup_s']:.1f}s)" + (f", mlflow {ml.url} (up in {ml.info['startup_s']:.1f}s)" if ml else ""))
        print(f"Ferry vs MLflow {mlflow.__version__} tracking benchmark — {os.cpu_count()} CPUs; both on SQLite, loopback, "
              f"default logging; MLflow with {a.mlflow_workers} uvicorn workers, Ferry one Node process.")
        print("Client: mlflow.MlflowClient in one fresh process per server, Ferry first then MLflow (never both at once).")
        results["part1"] = p1 = part1(ferry, ml, a)
        if a.seed_runs > 0:
            results["part2"] = p2 = part2(ferry, ml, a)
        else:
            p2 = None
            print("\nPart 2 skipped (--seed-runs 0).")
        print("\nTargets (reported only; a miss does not fail the run):")
        for key, how in (("log_batch", "via MlflowClient"), ("log_batch_raw", "raw HTTP")):
            if "mlflow" not in p1:
                print(f"  [NOT RUN] log_batch throughput Ferry >= {TARGET_LOG_BATCH_RATIO:.0f}x MLflow ({how}): no MLflow server")
                continue
            lb = p1["ferry"][key]["rps"] / p1["mlflow"][key]["rps"]
            print(f"  [{'MET' if lb >= TARGET_LOG_BATCH_RATIO else 'MISSED'}] log_batch throughput Ferry >= "
                  f"{TARGET_LOG_BATCH_RATIO:.0f}x MLflow ({how}): {lb:.1f}x")
        if p2:
            p50 = p2["ferry"]["search_runs"]["p50_ms"]
            label = "MET" if p50 < TARGET_SEARCH_P50_MS and a.seed_runs >= 10_000 else "MISSED" if p50 >= TARGET_SEARCH_P50_MS else "N/A (fewer than 10,000 runs)"
            print(f"  [{label}] search_runs over {a.seed_runs} runs on SQLite p50 < {TARGET_SEARCH_P50_MS:.0f} ms: {p50:.1f} ms")
        else:
            print(f"  [NOT RUN] search_runs over 10,000 runs on SQLite p50 < {TARGET_SEARCH_P50_MS:.0f} ms")
        if a.json:
            with open(a.json, "w") as fh:
                json.dump(results, fh, indent=2)
        return smoke_checks(a, results) if a.smoke else 0
    finally:
        for srv in (ferry, ml):
            if srv:
                servers.stop(srv)
        if a.keep:
            log(f"kept {tmp} (databases, ferry.log, mlflow.log)")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
