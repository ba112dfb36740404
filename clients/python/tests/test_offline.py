"""ferry.drift and ferry.validate against a real server: drift between two DataFrames equals the dataset diff of the
same frames pushed as two versions and the drift of a real deployment whose reference is the first and whose
traffic is the second; its statistics equal scipy's (and Evidently's formulas, transcribed as in
python/tests/test_stats_drift.py); the HTML page is logged to an MLflow run and read back; validation reports."""
import math
import time

import mlflow
import numpy as np
import pandas as pd
import pytest
from scipy import stats as st
from scipy.spatial import distance

import ferry
from ferry.errors import PayloadTooLargeError
from model_fixtures import MODELS, register

FEATURES = ["age", "income", "debt_ratio", "credit_lines", "months_employed", "home_ownership", "purpose"]
NUMERIC = ["age", "income", "debt_ratio", "credit_lines", "months_employed"]


def close(got, want, rel=1e-9, abs_=1e-12):
    return abs(got - want) <= max(abs_, rel * abs(want))


@pytest.fixture(scope="module")
def frames():
    """df_a: 800 training rows (≤ 1000, so Evidently's defaults pick KS / chi-square); df_b: 200 rows with income
    raised 40 % and age shifted by 10 years. Missing values stay NaN (null on the wire and empty in CSV alike)."""
    train = pd.read_csv(MODELS / "credit_train.csv").head(800)[FEATURES]
    cur = pd.read_csv(MODELS / "credit_sample.csv")[FEATURES].copy()
    cur["income"] = cur["income"] * 1.4
    cur["age"] = cur["age"] + 10
    return train, cur


@pytest.fixture(scope="module")
def report(ferry_server, frames):
    client = ferry.Client(ferry_server["url"], token=ferry_server["token"])
    return ferry.drift(*frames, client=client)


def by_name(items):
    return {f["name"]: f for f in items}


def test_drift_report_shape_and_frame(report, frames):
    a, b = frames
    assert report["reference"]["rows"] == len(a) and report["current"]["rows"] == len(b)
    frame = report.to_frame()
    assert list(frame["feature"]) == FEATURES
    assert {"method", "statistic", "p_value", "threshold", "drifted", "basis", "reference_rows", "current_rows"} <= set(frame.columns)
    drifted = frame.set_index("feature")["drifted"]
    assert bool(drifted["income"]) and bool(drifted["age"])
    assert not bool(drifted["home_ownership"])
    assert report.dataset_drift == (report.share_drifted >= 0.5)
    assert report.share_drifted == pytest.approx(report.number_drifted / len(FEATURES))
    assert set(report.drifted_columns) == set(frame[frame["drifted"] == True]["feature"])  # noqa: E712
    assert all(f["basis"] == "exact" for f in report["drift"])


def test_equals_dataset_diff_of_the_same_frames(client, frames, report, unique):
    name = unique("offline")
    a, b = frames
    first = client.datasets.push(name, a)
    second = client.datasets.push(name, b)
    assert first["created"] and second["version"]["version"] == 2
    diff = client.datasets.diff(name, 1, 2)
    assert diff["schema"] == report["schema"] and diff["skipped"] == report["skipped"]
    assert diff["summary"] == report["summary"]
    got, want = by_name(report["drift"]), by_name(diff["drift"])
    assert list(got) == list(want) == FEATURES
    for n in FEATURES:
        g, w = got[n], want[n]
        assert (g["method"], g["drifted"], g["basis"]) == (w["method"], w["drifted"], w["basis"]), n
        assert close(g["statistic"], w["statistic"]), n
        assert (g["p_value"] is None) == (w["p_value"] is None) and (g["p_value"] is None or close(g["p_value"], w["p_value"])), n
        assert g["reference"] == w["reference"] and g["current"] == w["current"], n
    client.datasets.delete(name)


def _evidently_chisquare(ref, cur):
    keys = list(set(ref.dropna().unique()) | set(cur.dropna().unique()))
    rd = {**dict.fromkeys(keys, 0), **dict(ref.value_counts())}
    cd = {**dict.fromkeys(keys, 0), **dict(cur.value_counts())}
    k_norm = len(cur.dropna()) / len(ref.dropna())
    return st.chisquare([cd[k] for k in keys], [rd[k] * k_norm for k in keys])


def test_statistics_equal_scipy(report, frames):
    a, b = frames
    got = by_name(report["drift"])
    for n in NUMERIC:
        f = got[n]
        assert f["method"] == "ks", n
        want = st.ks_2samp(a[n].dropna(), b[n].dropna())
        assert close(f["statistic"], float(want.statistic)), (n, f["statistic"], want)
        assert close(f["p_value"], float(want.pvalue), rel=1e-6, abs_=1e-9), (n, f["p_value"], want)
        assert f["drifted"] == (want.pvalue < f["threshold"])
    for n in ("home_ownership", "purpose"):
        f = got[n]
        assert f["method"] == "chisquare", n
        want = _evidently_chisquare(a[n], b[n])
        assert close(f["statistic"], float(want.statistic)) and close(f["p_value"], float(want.pvalue), rel=1e-6, abs_=1e-9), (n, f, want)


def test_other_methods_equal_scipy(client, frames):
    a, b = frames
    r = ferry.drift(a, b, client=client, method={"income": "wasserstein", "debt_ratio": "psi", "purpose": "jensenshannon"},
                    columns=["income", "debt_ratio", "purpose"], drift_share=0.3)
    got = by_name(r["drift"])
    assert list(got) == ["income", "debt_ratio", "purpose"] and r["summary"]["drift_share"] == 0.3
    ref, cur = a["income"].dropna(), b["income"].dropna()
    # Evidently's normed Wasserstein: the distance over the reference's (population) standard deviation.
    assert close(got["income"]["statistic"], st.wasserstein_distance(ref, cur) / max(float(np.std(ref)), 0.001))
    # PSI on the reference's Sturges bins, values outside them in their own buckets, zeros filled as Evidently does.
    ref, cur = a["debt_ratio"].dropna().to_numpy(), b["debt_ratio"].dropna().to_numpy()
    edges = np.histogram_bin_edges(ref, bins="sturges")
    rc = np.concatenate([[0], np.histogram(ref, edges)[0], [0]])
    cc = np.concatenate([[np.sum(cur < edges[0])], np.histogram(cur, edges)[0], [np.sum(cur > edges[-1])]])
    rp, cp = rc / len(ref), cc / len(cur)
    for p in (rp, cp):
        m = min(p[p != 0])
        np.place(p, p == 0, m / 1e6 if m <= 0.0001 else 0.0001)
    assert close(got["debt_ratio"]["statistic"], float(np.sum((rp - cp) * np.log(rp / cp))), rel=1e-9)
    # Jensen-Shannon over the reference's categories (plus an unseen bucket, empty here).
    rs, cs = a["purpose"].dropna(), b["purpose"].dropna()
    cats = got["purpose"]["reference"]["categories"]
    assert set(cats) == set(rs.unique()) and not (set(cs.unique()) - set(cats))
    p = [float((rs == c).mean()) for c in cats]
    q = [float((cs == c).mean()) for c in cats]
    assert close(got["purpose"]["statistic"], float(distance.jensenshannon(p, q)))


def _wait(fn, ok, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if ok(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_equals_a_deployments_drift(client, frames, report, unique):
    """A deployment whose reference is df_a and whose logged traffic is df_b answers the same per-feature drift.
    The model takes "" for a missing category, so the traffic sends "" where df_b has NaN; the server reads an
    empty category as missing in traffic as CSV does in the reference (checked: the category counts agree)."""
    a, b = frames
    name = unique("offline-dep")
    client.deployments.create(name, model=name, version=register(client, "credit_gbdt", name))
    try:
        assert client.monitoring.set_reference(name, a)["rows"] == len(a)
        traffic = b.copy()
        for c in ("home_ownership", "purpose"):
            traffic[c] = traffic[c].fillna("")
        for i in range(0, len(traffic), 50):
            client.deployments.predict(name, traffic.iloc[i : i + 50])
        live = _wait(lambda: client.monitoring.drift(name), lambda r: (r["current"] or {}).get("rows") == len(b))
        assert live["current"]["rows"] == len(b)
        got, want = by_name(report["drift"]), {f["name"]: f for f in live["features"]}
        for n in FEATURES:
            g, w = got[n], want[n]
            assert (g["method"], g["drifted"]) == (w["method"], w["drifted"]), (n, g, w)
            assert close(g["statistic"], w["statistic"]), (n, g["statistic"], w["statistic"])
            assert (g["p_value"] is None and w["p_value"] is None) or close(g["p_value"], w["p_value"]), (n, g["p_value"], w["p_value"])
            assert g["current"]["rows"] == w["current"]["rows"] and g["reference"]["rows"] == w["reference"]["rows"], n
        assert live["number_drifted"] == report["summary"]["number_drifted"]
    finally:
        client.deployments.delete(name)


def test_save_html_logs_as_an_mlflow_artifact(report, mlflow_env, tmp_path, unique):
    page = report.save_html(str(tmp_path / "drift.html"))
    text = open(page, encoding="utf-8").read()
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text and "src=" not in text
    assert text.count('class="ferry-dist"') == len(FEATURES) and "income" in text and "dataset drift" in text
    mlflow.set_experiment(unique("offline-exp"))
    with mlflow.start_run() as run:
        mlflow.log_artifact(page, artifact_path="reports")
    back = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, artifact_path="reports/drift.html", dst_path=str(tmp_path / "back"))
    assert open(back, encoding="utf-8").read() == text


def test_converts_pandas_values_with_care(client):
    """Categoricals, datetimes with NaT, nullable integers, numpy scalars and NaN go as JSON takes them."""
    ref = pd.DataFrame({
        "when": pd.to_datetime(["2024-01-01", "2024-01-02", None, "2024-01-04"] * 10),
        "cat": pd.Categorical(["x", "y", None, "x"] * 10),
        "n": pd.array([1, 2, None, 4] * 10, dtype="Int64"),
        "f": np.array([0.5, np.nan, 1.5, 2.5] * 10, dtype=np.float32),
        "flag": [True, False, True, None] * 10,
        "nb": pd.array([True, None, False, True] * 10, dtype="boolean"),
        "nf": pd.array([0.5, None, 2.0, 1.0] * 10, dtype="Float64"),
        "utc": pd.to_datetime(["2024-01-01", None, "2024-03-01", "2024-04-01"] * 10).tz_localize("UTC"),
    })
    cur = ref.copy()
    r = ferry.drift(ref, cur, client=client)
    types = {c["name"]: c["type"] for c in r["schema"]["added"]} or None
    assert types is None and r["schema"]["unchanged"] == 8 and r["skipped"] == []
    assert {f["name"] for f in r["drift"]} == {"when", "cat", "n", "f", "flag", "nb", "nf", "utc"}
    assert not r.dataset_drift and r.number_drifted == 0
    assert by_name(r["drift"])["cat"]["reference"]["rows"] == 30
    # Each column's type as a file of the same frame would have it (what "removed" lists against a table without them).
    removed = ferry.drift(ref, cur[["f"]], client=client)["schema"]["removed"]
    assert {c["name"]: c["type"] for c in removed} == {"when": "datetime", "cat": "string", "n": "integer", "flag": "boolean",
                                                      "nb": "boolean", "nf": "float", "utc": "datetime"}
    # Records and dicts of columns are tables too.
    records = [{"x": i % 7, "k": "ab"[i % 2]} for i in range(50)]
    by_rows = ferry.drift(records, {"x": [i % 5 for i in range(50)], "k": ["a"] * 50}, client=client)
    assert set(by_name(by_rows["drift"])) == {"x", "k"}


def test_refusals_name_the_field(client):
    with pytest.raises(ferry.InvalidParameterError) as e:
        ferry.drift(pd.DataFrame({"x": [1, "a"]}), pd.DataFrame({"x": [1, 2]}), client=client)
    assert e.value.errors[0]["field"] == "reference.columns.x"
    with pytest.raises(ferry.InvalidParameterError) as e:
        ferry.drift(pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [1, 2]}), client=client, columns=["y"])
    assert e.value.errors[0]["field"] == "columns[0]"
    with pytest.raises(ValueError):
        ferry.drift(pd.DataFrame({"x": [1.0, math.inf]}), pd.DataFrame({"x": [1, 2]}), client=client)


def test_module_level_uses_the_default_client(ferry_server, monkeypatch, frames):
    monkeypatch.setenv("FERRY_URL", ferry_server["url"])
    monkeypatch.setenv("FERRY_TOKEN", ferry_server["token"])
    ferry.set_default_client(None)
    try:
        r = ferry.drift(frames[0].head(100), frames[1].head(100))
        assert r["reference"]["rows"] == 100
        v = ferry.validate(frames[0].head(10), {"expectations": [{"type": "expect_column_to_exist", "kwargs": {"column": "age"}}]})
        assert v.success
    finally:
        ferry.set_default_client(None)


SUITE = {
    "expectations": [
        {"type": "expect_column_to_exist", "kwargs": {"column": "income"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "income", "min_value": 0, "max_value": 150000}},
        {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "purpose", "value_set": ["car", "home", "education", "business"]}},
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "age", "mostly": 0.99}},
    ]
}


def test_validate_inline_suite_and_stored_suite_agree(client, frames, unique, tmp_path):
    a, _ = frames
    inline = ferry.validate(a, SUITE, client=client)
    name = unique("offline-suite")
    client.suites.put(name, SUITE)
    stored = ferry.validate(a, name, client=client)
    assert inline.success == stored.success
    assert inline.statistics == stored.statistics
    for x, y in zip(inline.result["results"], stored.result["results"]):
        assert x["success"] == y["success"] and x["result"].get("unexpected_count") == y["result"].get("unexpected_count")
    frame = inline.to_frame()
    assert len(frame) == 4 and list(frame["expectation"]) == [e["type"] for e in SUITE["expectations"]]
    assert list(frame["column"]) == ["income", "income", "purpose", "age"]
    # The 800 rows hold missing ages (NaN → null): the mostly=0.99 bound decides, as pandas counts them.
    age_ok = a["age"].notna().mean() >= 0.99
    assert bool(frame.iloc[3]["success"]) == age_ok
    assert inline["file"]["rows"] == len(a)
    page = inline.save_html(str(tmp_path / "v.html"))
    assert "expect_column_values_to_be_in_set" in open(page, encoding="utf-8").read()
    client.suites.delete(name)


def test_a_body_past_the_limit_says_what_to_do(client):
    wide = pd.DataFrame({"x": ["y" * 2**20] * 70})  # 70 MiB of text as JSON
    with pytest.raises(PayloadTooLargeError) as e:
        ferry.drift(wide, wide.head(1), client=client)
    assert "71.0 MiB" in str(e.value) and "client.datasets.diff" in str(e.value)


def test_html_escapes_names_and_categories(client, tmp_path):
    ref = pd.DataFrame({"<b>x</b>": ["<script>alert(1)</script>", "a&b"] * 20, "n": list(range(40))})
    cur = pd.DataFrame({"<b>x</b>": ["<img src=x>", "a&b"] * 20, "n": list(range(100, 140))})
    page = open(ferry.drift(ref, cur, client=client).save_html(str(tmp_path / "h.html")), encoding="utf-8").read()
    assert "<script" not in page and "<img" not in page and "<b>x" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and page.count('class="ferry-dist"') == 2
