"""client.datasets against a real server: push DataFrames (CSV, Parquet, JSON Lines) and files, dedupe, versions as
iteration past one page, a profile as a DataFrame equal to pandas' own numbers, download back, diff, tags, lineage
through the mlflow client, and deletes."""
import mlflow
import numpy as np
import pandas as pd
import pytest

import ferry


def frame(n, shift=0.0, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "x": rng.normal(shift, 1.0, n),
        "k": rng.choice(["a", "b", "c"], n),
        "n": rng.integers(0, 100, n),
        "flag": rng.random(n) < 0.3,
    })


def test_push_dedupe_get_and_versions(client, unique):
    name = unique("ds")
    first = client.datasets.push(name, frame(300), description="first")
    assert first["created"] and first["version"]["version"] == 1 and first["version"]["rows"] == 300
    assert first["version"]["format"] == "parquet" and first["version"]["description"] == "first"
    again = client.datasets.push(name, frame(300))
    assert not again["created"] and again["version"]["digest"] == first["version"]["digest"]
    for i in range(2, 6):
        client.datasets.push(name, frame(50, seed=i))
    ds = client.datasets.get(name)
    assert ds["latest"]["version"] == 5
    # Iteration follows pages: 5 versions read 2 at a time.
    assert [v["version"] for v in client.datasets.versions(name, page_size=2)] == [5, 4, 3, 2, 1]
    assert name in [d["name"] for d in client.datasets.list(name_like=name)]
    v = client.datasets.version(name, 1)
    assert v["schema"]["columns"][0] == {"name": "x", "type": "float", "nullable": False} and "profile" not in v
    assert "profile" in client.datasets.version(name, "latest", profile=True)
    assert client.datasets.update(name, description="about")["description"] == "about"
    client.datasets.delete(name)
    with pytest.raises(ferry.NotFoundError):
        client.datasets.get(name)


def test_profile_as_frame_equals_pandas(client, unique):
    name = unique("ds")
    df = frame(500)
    df.loc[::10, "x"] = np.nan
    client.datasets.push(name, df)
    report = client.datasets.profile(name, 1)
    prof = report.to_frame().set_index("column")
    assert list(prof.index) == ["x", "k", "n", "flag"]
    assert prof.loc["x", "count"] == 500 and prof.loc["x", "nulls"] == df["x"].isna().sum() == 50
    assert prof.loc["x", "mean"] == pytest.approx(df["x"].mean(), rel=1e-12)
    assert prof.loc["n", "min"] == df["n"].min() and prof.loc["n", "max"] == df["n"].max()
    assert "500 rows" in report.summary() and "<table" in report._repr_html_()
    client.datasets.delete(name)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_download_round_trips(client, unique, fmt):
    name = unique("ds")
    df = frame(120)
    v = client.datasets.push(name, df, format=fmt)["version"]
    assert v["format"] == fmt
    back = client.datasets.download(name, v["version"])
    pd.testing.assert_frame_equal(back[df.columns.tolist()], df, check_dtype=False)
    client.datasets.delete(name)


CODES = ["002", "1e3", "TRUE", "NA", "", "x"]


def every_dtype():
    """One column of each dtype a DataFrame commonly holds, with the server's type for each."""
    n = len(CODES)
    df = pd.DataFrame({
        "code": CODES,
        "code_str": pd.Series(CODES, dtype="string"),
        "i": np.arange(n, dtype="int64"),
        "f": [0.5, np.nan, 2.0, 3.0, 4.0, 5.0],
        "b": [True, False, True, True, False, True],
        "ts": pd.date_range("2026-01-01 08:00", periods=n, freq="h"),
        "ts_tz": pd.date_range("2026-01-01 08:00", periods=n, freq="h", tz="Europe/Paris"),
        "cat": pd.Categorical(["a", "b", "a", "002", "b", "a"]),
        "ni": pd.array([1, None, 3, 4, 5, 6], dtype="Int64"),
        "nb": pd.array([True, None, False, True, True, False], dtype="boolean"),
        "month": pd.period_range("2026-01", periods=n, freq="M"),  # as its text: Parquet would hold its ordinal
    })
    types = {"code": "string", "code_str": "string", "i": "integer", "f": "float", "b": "boolean", "ts": "datetime",
             "ts_tz": "datetime", "cat": "string", "ni": "integer", "nb": "boolean", "month": "string"}
    return df, types


def test_a_pushed_frame_keeps_its_column_types(client, unique):
    """Sent as CSV, the server read "002" as 2, "1e3" as 1000, "TRUE" as true and "NA"/"" as missing: a text column
    came back retyped. A DataFrame goes as Parquet (pyarrow is here), so every column keeps its type."""
    name = unique("ds")
    df, types = every_dtype()
    v = client.datasets.push(name, df)["version"]
    assert v["format"] == "parquet"
    assert {c["name"]: c["type"] for c in v["schema"]["columns"]} == types
    nullable = {c["name"]: c["nullable"] for c in v["schema"]["columns"]}
    assert nullable["f"] and nullable["ni"] and nullable["nb"] and not nullable["code"] and not nullable["i"]
    top = {t["value"] for t in client.datasets.profile(name, 1).data["columns"][0]["summary"]["top"]}
    assert top == set(CODES)
    back = client.datasets.download(name, v["version"])
    pd.testing.assert_frame_equal(back, df.astype({"month": "string"}))
    client.datasets.delete(name)


def test_without_pyarrow_text_that_csv_misreads_goes_as_json_lines(client, unique, monkeypatch):
    """No pyarrow: a frame whose text CSV would misread goes as JSON Lines (text stays text), any other as CSV; an
    explicit format still wins."""
    import sys

    # Object columns: pandas' own text dtype is stored in pyarrow where pyarrow is installed.
    n = len(CODES)
    df = pd.DataFrame({"code": pd.Series(CODES, dtype=object), "n": range(n),
                       "zip": pd.Series([f"{i:05d}" for i in range(n)], dtype=object),  # every value looks like a number
                       "at": pd.date_range("2026-01-01", periods=n, freq="D", tz="UTC")})
    plain = frame(20).astype({"k": object})
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow raises ImportError
    name = unique("ds")
    v = client.datasets.push(name, df)["version"]
    assert v["format"] == "jsonl"
    assert {c["name"]: c["type"] for c in v["schema"]["columns"]} == {"code": "string", "n": "integer", "zip": "string",
                                                                      "at": "datetime"}
    back = client.datasets.download(name, v["version"])
    assert list(back["code"]) == CODES and list(back["zip"]) == list(df["zip"]) and list(back["n"]) == list(range(n))
    assert list(back["at"]) == list(df["at"])
    assert client.datasets.push(name, plain)["version"]["format"] == "csv"
    assert client.datasets.push(name, df, format="csv")["version"]["format"] == "csv"
    client.datasets.delete(name)


def test_push_a_file_streams_its_bytes(client, unique, tmp_path):
    name = unique("ds")
    src = tmp_path / "train.csv"
    frame(200).to_csv(src, index=False)
    v = client.datasets.push(name, str(src))["version"]
    assert v["filename"] == "train.csv" and v["size_bytes"] == src.stat().st_size
    out = client.datasets.download_file(name, "latest", str(tmp_path / "back.csv"))
    assert open(out, "rb").read() == src.read_bytes()
    client.datasets.delete(name)


def test_diff_tags_and_delete_version(client, unique):
    name = unique("ds")
    client.datasets.push(name, frame(400))
    client.datasets.push(name, frame(400, shift=1.0, seed=1))
    assert client.datasets.tag(name, "prod", 1)["version"] == 1
    assert client.datasets.get(name)["tags"] == {"prod": 1}
    diff = client.datasets.diff(name, "prod", 2)
    assert diff["from"]["ref"] == f"{name}@1" and diff["to"]["ref"] == f"{name}@2"
    frame_ = diff.to_frame().set_index("feature")
    assert bool(frame_.loc["x", "drifted"]) and not bool(frame_.loc["k", "drifted"])
    assert diff.dataset_drift == diff["summary"]["dataset_drift"]
    # The same frames compared offline answer the same statistics.
    offline = ferry.drift(frame(400), frame(400, shift=1.0, seed=1), client=client)
    assert [f["statistic"] for f in offline["drift"]] == pytest.approx([f["statistic"] for f in diff["drift"]], rel=1e-12)
    client.datasets.untag(name, "prod")
    assert client.datasets.get(name)["tags"] == {}
    assert client.datasets.delete_version(name, 1)["version"] == 1
    assert [v["version"] for v in client.datasets.versions(name)] == [2]
    client.datasets.delete(name)


def test_lineage_of_a_version_used_by_a_run(client, unique, mlflow_env):
    name = unique("ds")
    v = client.datasets.push(name, frame(100))["version"]
    mlflow.set_experiment(unique("exp"))
    with mlflow.start_run() as run:
        ds = mlflow.data.from_pandas(frame(100), source=f"{client.url}/api/v1/datasets/{name}/versions/1/file", name=name, digest=v["digest"][:16])
        mlflow.log_input(ds, context="training")
    lineage = client.datasets.lineage(name, 1)
    assert lineage["ref"] == f"{name}@1"
    assert run.info.run_id in str(lineage)
    assert list(client.datasets.validations(name, 1)) == []
