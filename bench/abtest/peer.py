"""The peer of bench/abtest: the same A/B report as a data scientist would compute it with pandas and gbstats 0.8.0.

  peer.py export STORE.db OUT_DIR ABTEST_ID   # once, untimed: the test's units and all outcome events to Parquet
  peer.py report OUT_DIR PLAN_JSON            # timed: read the Parquet files, window per unit, per-arm sums, gbstats

Why Parquet: pandas' read_sql on SQLite builds Python objects row by row (minutes for 10M events); a data
scientist exports the tables once (a warehouse dump) and reads Parquet, which is what is timed here.

The report side prints one JSON object: per metric the gbstats results (absolute and relative effect of the
treatment over the control: estimate, stderr, CI, p-value, from SequentialTwoSidedTTest, Ferry's default method),
the per-arm aggregates, the seconds (import, read, compute) and the process's peak RSS (getrusage maxrss).
"""
import json
import resource
import sqlite3
import sys
import time

T_START = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from gbstats.frequentist.tests import FrequentistConfig, SequentialConfig, SequentialTwoSidedTTest, TwoSidedTTest  # noqa: E402
from gbstats.models.statistics import ProportionStatistic, RegressionAdjustedStatistic, SampleMeanStatistic  # noqa: E402

IMPORT_S = time.perf_counter() - T_START


def export(db_path, out_dir, abtest_id):
    """SQLite → units.parquet and events.parquet, in chunks (bounded memory); not part of the timing."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    t0 = time.perf_counter()
    queries = {
        "units": ("select unit, arm, first_ts from abtest_units where abtest_id = ?", (abtest_id,),
                  pa.schema([("unit", pa.string()), ("arm", pa.string()), ("first_ts", pa.int64())])),
        "events": ("select unit, metric, value, ts from outcomes", (),
                   pa.schema([("unit", pa.string()), ("metric", pa.string()), ("value", pa.float64()), ("ts", pa.int64())])),
    }
    rows = {}
    for name, (q, args, schema) in queries.items():
        cur = con.execute(q, args)
        n = 0
        with pq.ParquetWriter(f"{out_dir}/{name}.parquet", schema) as w:
            while True:
                chunk = cur.fetchmany(500_000)
                if not chunk:
                    break
                cols = list(zip(*chunk))
                w.write_table(pa.table([pa.array(c, type=f.type) for c, f in zip(cols, schema)], schema=schema))
                n += len(chunk)
        rows[name] = n
    print(json.dumps({"seconds": time.perf_counter() - t0, **rows}))


def per_unit(units, events, plan, at):
    """The mature units' values of one metric: Σ value and count(value ≠ 0) in [first + delay, first + delay + window),
    and in CUPED's lookback [first − lookback, first); units without events count as 0."""
    span = plan["delayMs"] + plan["windowMs"]
    mature = units[units["first_ts"] + span <= at]
    ev = events[events["metric"] == plan["metric"]].merge(mature[["unit", "first_ts"]], on="unit")
    ev["hit"] = ev["value"] != 0
    post = ev[(ev["ts"] >= ev["first_ts"] + plan["delayMs"]) & (ev["ts"] < ev["first_ts"] + span)]
    out = mature[["unit", "arm"]].set_index("unit")
    out = out.join(post.groupby("unit")[["value", "hit"]].sum())
    if plan["lookbackMs"] is not None:
        pre = ev[(ev["ts"] >= ev["first_ts"] - plan["lookbackMs"]) & (ev["ts"] < ev["first_ts"])]
        out = out.join(pre.groupby("unit")[["value", "hit"]].sum().rename(columns={"value": "pre", "hit": "pre_hit"}))
    out = out.fillna(0)
    proportion = plan["kind"] == "proportion"
    out["y"] = (out["hit"] > 0).astype(float) if proportion else out["value"].astype(float)
    if plan["lookbackMs"] is not None:
        out["x"] = (out["pre_hit"] > 0).astype(float) if proportion else out["pre"].astype(float)
    return out


def arm_sums(df, cuped):
    """Per arm: n, Σy, Σy² (and Σx, Σx², Σxy with CUPED) — what gbstats' statistics take."""
    df = df.assign(y2=df["y"] ** 2)
    cols = ["y", "y2"]
    if cuped:
        df = df.assign(x2=df["x"] ** 2, xy=df["x"] * df["y"])
        cols += ["x", "x2", "xy"]
    g = df.groupby("arm")[cols].sum()
    g["n"] = df.groupby("arm").size()
    return {arm: {k: float(v) for k, v in row.items()} for arm, row in g.iterrows()}


def statistic(kind, s, cuped):
    n = int(s["n"])
    post = ProportionStatistic(n=n, sum=s["y"]) if kind == "proportion" else SampleMeanStatistic(n=n, sum=s["y"], sum_squares=s["y2"])
    if not cuped:
        return post
    pre = ProportionStatistic(n=n, sum=s["x"]) if kind == "proportion" else SampleMeanStatistic(n=n, sum=s["x"], sum_squares=s["x2"])
    # theta is set by the test's constructor (gbstats computes it from both arms).
    return RegressionAdjustedStatistic(n=n, post_statistic=post, pre_statistic=pre, post_pre_sum_of_products=s["xy"], theta=0)


def effect(kind, control, treatment, cuped, difference_type, settings):
    a, b = statistic(kind, control, cuped), statistic(kind, treatment, cuped)
    if settings["method"] == "sequential":
        test = SequentialTwoSidedTTest(a, b, SequentialConfig(alpha=settings["alpha"], difference_type=difference_type,
                                                              sequential_tuning_parameter=settings["sequential_tuning"]))
    else:
        test = TwoSidedTTest(a, b, FrequentistConfig(alpha=settings["alpha"], difference_type=difference_type))
    r = test.compute_result()
    if r.error_message is not None:
        return {"error": r.error_message}
    return {"estimate": float(r.expected), "lower": float(r.ci[0]), "upper": float(r.ci[1]),
            "stderr": float(np.sqrt(test.variance)), "p_value": float(r.p_value)}


def report(out_dir, plan_json):
    spec = json.loads(plan_json)
    t0 = time.perf_counter()
    units = pd.read_parquet(f"{out_dir}/units.parquet")
    events = pd.read_parquet(f"{out_dir}/events.parquet")
    t1 = time.perf_counter()
    metrics = []
    for plan in spec["plans"]:
        cuped = plan["lookbackMs"] is not None and plan["kind"] != "ratio"
        sums = arm_sums(per_unit(units, events, plan, spec["at"]), cuped)
        control = sums[spec["control"]]
        comparisons = []
        for arm in spec["arms"]:
            if arm == spec["control"]:
                continue
            comparisons.append({
                "arm": arm,
                "absolute": effect(plan["kind"], control, sums[arm], cuped, "absolute", spec["settings"]),
                "relative": effect(plan["kind"], control, sums[arm], cuped, "relative", spec["settings"]),
            })
        metrics.append({"metric": plan["metric"], "arms": {a: {"units": int(s["n"]), "mean": s["y"] / s["n"]} for a, s in sums.items()},
                        "comparisons": comparisons})
    t2 = time.perf_counter()
    print(json.dumps({
        "importS": IMPORT_S, "readS": t1 - t0, "computeS": t2 - t1, "seconds": t2 - t0,
        "maxRssBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        "rows": {"units": len(units), "events": len(events)}, "metrics": metrics,
    }))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"usage: {sys.argv[0]} export STORE.db OUT_DIR ABTEST_ID | report OUT_DIR PLAN_JSON")
