"""The baselines of the profiling benchmark, one per fresh process (so each peak memory is its own).

    python bench/data/python_side.py pandas FILE
    python bench/data/python_side.py whylogs FILE
    python bench/data/python_side.py whylogs-chunked FILE [CHUNK_ROWS]

Timed (from just before reading the file to a finished result):
  pandas           pd.read_csv(FILE, parse_dates=["created_at"]) + df.describe(include="all") + value_counts() on
                   every non-numeric column (object and bool dtypes): what a user does to profile a CSV by hand.
                   The whole frame is in memory.
  whylogs          the same read_csv, then why.log(pandas=df).view(): whylogs' documented way to profile a frame.
  whylogs-chunked  pd.read_csv(..., chunksize=CHUNK_ROWS) and why.log(pandas=chunk).view() per chunk, the views
                   folded with DatasetProfileView.merge (whylogs' "Merging Profiles" recipe for data too large to
                   hold; whylogs has no CSV reader of its own). Only one chunk is in memory at a time.
Not timed: reading the results back for the agreement check (null counts, means, top values).
Prints one JSON line; memory figures are VmHWM / VmRSS from /proc/self/status, in MiB.
"""
import json
import math
import sys
import time


def memory():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(rest.split()[0]) / 1024
    return out


def num(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def epoch_ms(ts):
    import pandas as pd

    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).value / 1e6  # naive timestamps read as UTC, as Ferry reads them


def run_pandas(path):
    import pandas as pd

    loaded = memory()["VmRSS"]
    t0 = time.perf_counter()
    df = pd.read_csv(path, parse_dates=["created_at"])
    desc = df.describe(include="all")
    cats = df.select_dtypes(include=["object", "bool", "category"]).columns
    counts = {c: df[c].value_counts() for c in cats}
    seconds = time.perf_counter() - t0
    mem = memory()

    nulls = df.isna().sum()
    columns = {}
    for c in df.columns:
        dtype = df[c].dtype
        col = {"dtype": str(dtype), "count": int(len(df)), "nulls": int(nulls[c]), "mean": None, "unique": None, "top": []}
        if pd.api.types.is_datetime64_any_dtype(dtype):
            col["mean"] = epoch_ms(desc.at["mean", c])
        elif c in counts:
            vc = counts[c]
            col["unique"] = int(len(vc))
            col["top"] = [[str(k).lower() if isinstance(k, bool) else str(k), int(v)] for k, v in vc.head(5).items()]
        else:
            col["mean"] = num(desc.at["mean", c])
        columns[c] = col
    return {"tool": "pandas", "seconds": seconds, "rows": int(len(df)), "loaded_mib": loaded, "peak_self_mib": mem["VmHWM"], "columns": columns}


def summarize_view(view, rows):
    frame = view.to_pandas()
    columns = {}
    for c in frame.index:
        r = frame.loc[c]
        get = lambda k: r[k] if k in r.index else None  # noqa: E731
        n = num(get("counts/n")) or 0
        nulls = (num(get("counts/null")) or 0)
        # Whether NaN floats count in counts/null differs between whylogs versions; both are reported.
        nan = num(get("counts/nan")) or 0
        top = get("frequent_items/frequent_strings")
        top = [[str(t.value), int(t.est)] for t in top[:5]] if isinstance(top, list) else []
        columns[c] = {
            "count": int(n),
            "nulls": int(nulls),
            "nan": int(nan),
            "mean": num(get("distribution/mean")),
            "unique": num(get("cardinality/est")),
            "top": top,
        }
    return columns


def run_whylogs(path, chunk_rows=None):
    import logging

    logging.disable(logging.WARNING)
    import pandas as pd
    import whylogs as why

    # whylogs may ask to send usage telemetry / print a WhyLabs banner; neither matters here.
    loaded = memory()["VmRSS"]
    t0 = time.perf_counter()
    rows = 0
    if chunk_rows:
        merged = None
        for chunk in pd.read_csv(path, parse_dates=["created_at"], chunksize=chunk_rows):
            rows += len(chunk)
            view = why.log(pandas=chunk).view()
            merged = view if merged is None else merged.merge(view)
        view = merged
    else:
        df = pd.read_csv(path, parse_dates=["created_at"])
        rows = len(df)
        view = why.log(pandas=df).view()
    seconds = time.perf_counter() - t0
    mem = memory()
    return {
        "tool": "whylogs-chunked" if chunk_rows else "whylogs",
        "seconds": seconds,
        "rows": rows,
        "loaded_mib": loaded,
        "peak_self_mib": mem["VmHWM"],
        "profile_bytes": len(view.serialize()),
        "columns": summarize_view(view, rows),
    }


def main():
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "pandas":
        out = run_pandas(path)
    elif mode == "whylogs":
        out = run_whylogs(path)
    elif mode == "whylogs-chunked":
        out = run_whylogs(path, int(sys.argv[3]) if len(sys.argv) > 3 else 100_000)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    import pandas as pd

    out["versions"] = {"python": sys.version.split()[0], "pandas": pd.__version__}
    if mode.startswith("whylogs"):
        from importlib.metadata import version

        out["versions"]["whylogs"] = version("whylogs")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
