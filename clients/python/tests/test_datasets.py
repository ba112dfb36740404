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
    assert first["version"]["format"] == "csv" and first["version"]["description"] == "first"
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
