"""Ferry's data-file profile (dist/data/table) against pandas / numpy on the same files: CSV, JSON Lines, Parquet.

Counts, nulls, min/max and category counts must be exact; mean and std (ddof=1) equal to float tolerance;
quantiles within the KLL sketch's rank bound (99% confidence, DataSketches' formula) of the exact ones.
"""
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

HARNESS = Path(__file__).with_name("data_node.mjs")
REPO = Path(__file__).resolve().parents[2]
N = 20_000


def ferry_profile(path: Path, fmt: str, tuning: "dict | None" = None) -> dict:
    if not (REPO / "dist" / "data" / "table" / "index.js").exists():
        pytest.fail("dist/data/table missing: run `npm run build` first")
    args = ["node", str(HARNESS), str(path), fmt] + ([json.dumps(tuning)] if tuning else [])
    out = subprocess.run(args, capture_output=True, text=True, timeout=120, check=True)

    def revive(d):
        return {k: (float(v.lower().replace("infinity", "inf")) if v in ("NaN", "Infinity", "-Infinity") else v) for k, v in d}

    return json.loads(out.stdout, object_pairs_hook=revive)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(42)
    df = pd.DataFrame(
        {
            "age": rng.integers(18, 90, N),
            "income": rng.lognormal(10, 1, N).round(2),
            "score": rng.normal(0, 1, N),
            "city": rng.choice(["paris", "oslo", "rome", "lima", "pune"], N, p=[0.4, 0.3, 0.15, 0.1, 0.05]),
            "code": rng.choice([f"c{i:03d}" for i in range(300)], N),
            "flag": rng.random(N) < 0.3,
            "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 86400 * 365, N), unit="s"),
        }
    )
    df["income"] = df["income"].mask(rng.random(N) < 0.1)  # nulls
    df["city"] = df["city"].mask(rng.random(N) < 0.05)
    return df


def numeric_checks(col: dict, values: np.ndarray, rank_eps: float):
    s = col["summary"]
    present = values[~np.isnan(values)]
    assert s["count"] == len(values)
    assert s["nulls"] == len(values) - len(present)
    assert s["min"] == present.min() and s["max"] == present.max()
    assert math.isclose(s["mean"], present.mean(), rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(s["std"], present.std(ddof=1), rel_tol=1e-9)
    srt = np.sort(present)
    for key, q in {"p01": 0.01, "p05": 0.05, "p25": 0.25, "p50": 0.5, "p75": 0.75, "p95": 0.95, "p99": 0.99}.items():
        v = s["quantiles"][key]
        lo = np.searchsorted(srt, v, side="left") / len(srt)  # fraction below v
        hi = np.searchsorted(srt, v, side="right") / len(srt)  # fraction at or below v
        assert lo - rank_eps <= q <= hi + rank_eps, f"{col['name']} {key}: {v} has rank [{lo}, {hi}], wanted {q} ± {rank_eps}"
    hist = col["histogram"]
    assert sum(hist["counts"]) == pytest.approx(len(present), abs=len(hist["counts"]))


def categorical_checks(col: dict, values: pd.Series):
    s = col["summary"]
    assert s["count"] == len(values)
    assert s["nulls"] == int(values.isna().sum())
    expected = values.dropna().astype(str).value_counts()
    got = {t["value"]: t["count"] for t in s["top"]}
    assert got == expected.to_dict()
    assert s["unique_estimate"] == len(expected)
    assert col["histogram"] is None


def check_profile(p: dict, df: pd.DataFrame, stats, types: dict):
    assert p["rows"] == len(df)
    schema = {c["name"]: c for c in p["schema"]["columns"]}
    assert {k: v["type"] for k, v in schema.items()} == types
    assert p["schema"]["warnings"] == []
    assert schema["income"]["nullable"] and not schema["age"]["nullable"]
    eps = stats.call("sketch", "kllRankError", 200, False)
    cols = {c["name"]: c for c in p["report"]["columns"]}
    for name in ("age", "income", "score"):
        numeric_checks(cols[name], df[name].to_numpy(dtype=float), eps)
    when_ms = ((df["when"] - pd.Timestamp("1970-01-01")) / pd.Timedelta(milliseconds=1)).to_numpy(dtype=float)
    numeric_checks(cols["when"], when_ms, eps)
    for name in ("city", "code"):
        categorical_checks(cols[name], df[name])
    flag = cols["flag"]["summary"]
    assert {t["value"]: t["count"] for t in flag["top"]} == {"true": int(df["flag"].sum()), "false": int((~df["flag"]).sum())}


TYPES = {"age": "integer", "income": "float", "score": "float", "city": "string", "code": "string", "flag": "boolean", "when": "datetime"}


def test_csv_profile_matches_pandas(tmp_path, frame, stats):
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
    df = pd.read_csv(path, parse_dates=["when"])  # what pandas itself reads back from the same file
    check_profile(ferry_profile(path, "csv"), df, stats, TYPES)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_threads_profile_like_one_read(tmp_path, frame, stats, fmt):
    """Worker threads over 64 KB ranges (the compiled worker in dist/): same exact statistics as pandas."""
    path = tmp_path / f"data.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False, date_format="%Y-%m-%dT%H:%M:%S")
        df = pd.read_csv(path, parse_dates=["when"])
    else:
        frame.assign(when=frame["when"].map(lambda t: t.isoformat())).to_json(path, orient="records", lines=True, double_precision=15)
        df = pd.read_json(path, lines=True, convert_dates=["when"], precise_float=True)
    p = ferry_profile(path, fmt, {"rangeBytes": 65536, "workers": 2})
    check_profile(p, df, stats, TYPES)


def test_semicolon_crlf_quoted_csv_matches_pandas(tmp_path, frame, stats):
    path = tmp_path / "data.csv"
    df = frame.copy()
    df["city"] = df["city"].map(lambda c: c if not isinstance(c, str) else f'{c}; "{c[0]}"\nx', na_action="ignore")
    df.to_csv(path, index=False, sep=";", lineterminator="\r\n", date_format="%Y-%m-%d %H:%M:%S")
    back = pd.read_csv(path, sep=";", parse_dates=["when"])
    p = ferry_profile(path, "csv")
    assert p["schema"]["delimiter"] == ";"
    check_profile(p, back, stats, TYPES)


def test_jsonl_profile_matches_pandas(tmp_path, frame, stats):
    path = tmp_path / "data.jsonl"
    # json.dumps writes floats as repr (round-trips exactly; pandas' to_json rounds to 10 digits); NaN → null.
    with path.open("w") as f:
        for rec in frame.to_dict(orient="records"):
            rec = {k: (None if isinstance(v, float) and math.isnan(v) else v.isoformat() if isinstance(v, pd.Timestamp) else v)
                   for k, v in rec.items() if not (k == "city" and not isinstance(v, str))}  # a null city: the key is left out
            f.write(json.dumps(rec) + "\n")
    df = frame.copy()
    check_profile(ferry_profile(path, "jsonl"), df, stats, TYPES)


def test_parquet_profile_matches_pandas(tmp_path, frame, stats):
    path = tmp_path / "data.parquet"
    frame.to_parquet(path, engine="pyarrow", row_group_size=3000, index=False)
    df = pd.read_parquet(path)
    check_profile(ferry_profile(path, "parquet"), df, stats, TYPES)


def test_demoted_column_profiled_as_string(tmp_path, stats):
    path = tmp_path / "mixed.csv"
    values = [str(i % 40) for i in range(15_000)]
    values[12_345] = "abc"
    pd.DataFrame({"n": range(15_000), "age": values}).to_csv(path, index=False)
    p = ferry_profile(path, "csv")
    assert p["schema"]["warnings"] == [
        {"column": "age", "line": 12_347, "message": "column 'age' looked integer until line 12347 ('abc'); profiled as string"}
    ]
    age = next(c for c in p["report"]["columns"] if c["name"] == "age")
    assert age["type"] == "string"
    assert {t["value"]: t["count"] for t in age["summary"]["top"]} == pd.Series(values).value_counts().to_dict()


def test_bad_file_names_line_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text('a,b\n1,2\n3,"x"y\n')
    p = ferry_profile(path, "csv")
    assert p["location"] == {"line": 3, "column": "b"}
    assert p["error"].startswith("line 3, column 'b': text after a closing quote")
