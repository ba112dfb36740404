"""Evidently's side of the drift benchmark, in a fresh process: load the generated data (gen.mjs) into two
pandas DataFrames, then time Report([DataDriftPreset()]).run(...) + snapshot.dict(). Prints one JSON line:
wall time, ru_maxrss after imports, after loading and at the end, and each column's score and verdict.

    python evidently_side.py DATA_DIR
"""
import json
import os
import resource
import sys
import time


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def load(data_dir, side, meta, np, pd):
    cols = {}
    for c in meta["columns"]:
        path = os.path.join(data_dir, side, c["name"])
        if c["kind"] == "numerical":
            cols[c["name"]] = np.fromfile(path + ".f64", dtype="<f8")
        else:
            codes = np.fromfile(path + ".i32", dtype="<i4")
            cats = np.array(c["categories"] + [np.nan], dtype=object)  # code -1 picks the NaN
            cols[c["name"]] = cats[codes]
    return pd.DataFrame(cols, copy=False)


def drifted(method: str, score: float, threshold: float) -> bool:
    # Evidently's rule: p-values drift below the threshold (K-S at or below), distances at or above it.
    if "p_value" in method:
        return score <= threshold if method.startswith("K-S") else score < threshold
    return score >= threshold


def main() -> None:
    data_dir = sys.argv[1]
    t0 = time.perf_counter()
    import numpy as np
    import pandas as pd
    import evidently
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    rss_imports = maxrss_mb()
    import_s = time.perf_counter() - t0
    with open(os.path.join(data_dir, "meta.json")) as f:
        meta = json.load(f)
    ref = load(data_dir, "reference", meta, np, pd)
    cur = load(data_dir, "current", meta, np, pd)
    definition = DataDefinition(
        numerical_columns=[c["name"] for c in meta["columns"] if c["kind"] == "numerical"],
        categorical_columns=[c["name"] for c in meta["columns"] if c["kind"] == "categorical"],
    )
    rss_loaded = maxrss_mb()

    t1 = time.perf_counter()
    report = Report([DataDriftPreset()])
    snapshot = report.run(
        Dataset.from_pandas(cur, data_definition=definition),
        Dataset.from_pandas(ref, data_definition=definition),
    )
    result = snapshot.dict()
    wall_s = time.perf_counter() - t1
    rss_peak = maxrss_mb()

    columns = {}
    dataset = None
    for m in result["metrics"]:
        cfg = m["config"]
        if cfg["type"].endswith(":ValueDrift"):
            score = float(m["value"])
            columns[cfg["column"]] = {
                "method": cfg["method"],
                "score": score,
                "threshold": cfg["threshold"],
                "drifted": drifted(cfg["method"], score, cfg["threshold"]),
            }
        elif cfg["type"].endswith(":DriftedColumnsCount"):
            dataset = {"number_drifted": m["value"]["count"], "share_drifted": m["value"]["share"]}
    print(json.dumps({
        "evidently_version": evidently.__version__,
        "pandas_version": pd.__version__,
        "import_s": import_s,
        "wall_s": wall_s,
        "rss_imports_mb": rss_imports,
        "rss_loaded_mb": rss_loaded,
        "peak_mb": rss_peak,
        "dataset": dataset,
        "columns": columns,
    }))


if __name__ == "__main__":
    main()
