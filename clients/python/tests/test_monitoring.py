"""client.monitoring against a real server: a credit deployment with a reference (a DataFrame sent as CSV), shifted
traffic in several requests, then drift / windows / quality as Reports and DataFrames, feedback by request id and
live performance equal to scikit-learn's, the prediction log iterated past one page, outcomes, and the errors."""
import datetime
import time

import pandas as pd
import pytest
from sklearn.metrics import accuracy_score, f1_score

import ferry
from model_fixtures import credit_frame, register

REQUESTS = 8
ROWS_PER_REQUEST = 25


def _wait(fn, ok, timeout=20.0):
    """The log and profiles are written by a background thread (every 100 ms): poll until ``ok(fn())``."""
    deadline = time.monotonic() + timeout
    while True:
        value = fn()
        if ok(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


@pytest.fixture(scope="module")
def served(ferry_server):
    """A credit deployment with a reference and 200 rows of shifted traffic (income × 3) in 8 requests; yields
    (client, name, the rows sent with their labels, the Predictions answers)."""
    import uuid

    client = ferry.Client(ferry_server["url"], token=ferry_server["token"])
    name = f"mon-{uuid.uuid4().hex[:8]}"
    client.deployments.create(name, model=name, version=register(client, "credit_gbdt", name))
    train = credit_frame("credit_train")
    ref = client.monitoring.set_reference(name, train)
    assert ref["rows"] == len(train)
    current = credit_frame("credit_sample").head(REQUESTS * ROWS_PER_REQUEST).copy()
    current["income"] = current["income"] * 3
    features = current.drop(columns=["default"])
    answers = [client.deployments.predict(name, features.iloc[i * ROWS_PER_REQUEST : (i + 1) * ROWS_PER_REQUEST]) for i in range(REQUESTS)]
    _wait(lambda: client.monitoring.drift(name)["current"]["rows"], lambda n: n == len(current))
    yield client, name, current, answers
    client.deployments.delete(name)


def test_reference_is_stored_with_its_columns(served):
    client, name, _, _ = served
    ref = client.monitoring.reference(name)
    assert ref["source"]["kind"] == "file" and ref["source"]["format"] == "csv"
    assert {"age", "income", "purpose"} <= set(ref["columns"])


def test_drift_report_as_frame_and_html(served, tmp_path):
    client, name, current, _ = served
    report = client.monitoring.drift(name)
    assert report["current"]["rows"] == len(current)
    frame = report.to_frame()
    features = [c for c in current.columns if c != "default"]
    assert set(features) <= set(frame["feature"])
    assert {"method", "statistic", "p_value", "threshold", "drifted"} <= set(frame.columns)
    by_feature = frame.set_index("feature")
    assert bool(by_feature.loc["income", "drifted"]) is True
    assert bool(by_feature.loc["home_ownership", "drifted"]) is False
    assert frame["drifted"].fillna(False).astype(bool).sum() == report["number_drifted"] + int(bool((report["prediction"] or {}).get("drifted")))
    # A method picked per feature is answered for that feature.
    psi = client.monitoring.drift(name, frm="1h", method={"income": "psi"}).to_frame().set_index("feature")
    assert psi.loc["income", "method"] == "psi"

    html = report._repr_html_()
    assert "<svg" in html and "income" in html and "drifted" in html and "<table" in html
    out = report.save_html(str(tmp_path / "drift.html"))
    page = open(out, encoding="utf-8").read()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "src=" not in page and "href=" not in page


def test_drift_windows_and_quality(served):
    client, name, current, _ = served
    windows = client.monitoring.drift_windows(name, frm="2h")
    wf = windows.to_frame()
    assert len(windows["windows"]) >= 1 and "income" in set(wf["feature"])
    assert wf[wf["feature"] == "income"]["drifted"].any()

    quality = client.monitoring.quality(name)
    qf = quality.to_frame().set_index("name")
    assert quality["has_reference"] is True
    assert qf.loc["income", "rows"] == len(current)
    # income × 3 leaves the reference's range for some rows; age's missing values are counted.
    assert qf.loc["income", "out_of_range"] > 0
    assert qf.loc["age", "null_rate"] == pytest.approx(current["age"].isna().mean())
    assert "<svg" in quality._repr_html_()
    # A timedelta is that long ago, a datetime (aware or naive UTC) a point in time.
    ago = client.monitoring.quality(name, frm=datetime.timedelta(hours=1)).to_frame().set_index("name")
    since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    at = client.monitoring.quality(name, frm=since.replace(tzinfo=None)).to_frame().set_index("name")
    assert ago.loc["income", "rows"] == at.loc["income", "rows"] == len(current)


def test_feedback_then_performance_equals_sklearn(served):
    client, name, current, answers = served
    items, y_true, y_pred = [], [], []
    for i, ans in enumerate(answers):
        for row, pred in enumerate(ans.predictions):
            label = int(current["default"].iloc[i * ROWS_PER_REQUEST + row])
            items.append({"request_id": ans.request_id, "row": row, "label": label})
            y_true.append(label)
            y_pred.append(pred["label"])
    # A DataFrame of items, plus one unknown id: accepted counted, the unknown one named by its index.
    frame = pd.DataFrame(items + [{"request_id": "no-such-request", "row": 0, "label": 1}])
    result = client.monitoring.feedback(frame)
    assert result["accepted"] == len(items)
    assert [(u["index"], u["request_id"]) for u in result["unknown"]] == [(len(items), "no-such-request")]

    perf = _wait(lambda: client.monitoring.performance(name), lambda r: r["n"] == len(items))
    assert perf["n"] == len(items)
    pf = perf.to_frame().set_index("model_version")
    assert pf.loc["overall", "accuracy"] == pytest.approx(accuracy_score(y_true, y_pred), abs=1e-9)
    assert pf.loc["1", "f1"] == pytest.approx(f1_score(y_true, y_pred), abs=1e-9)
    assert len(perf.windows_frame()) >= 1
    assert "accuracy" in perf.summary()


def test_feedback_by_keywords_and_all_unknown(served, unique):
    client, name, _, answers = served
    one = client.monitoring.feedback(request_id=answers[0].request_id, row=1, label=0)
    assert one == {"accepted": 1, "unknown": []}
    with pytest.raises(ferry.NotFoundError):
        client.monitoring.feedback(request_id=unique("missing"), label=1)
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.monitoring.feedback([{"request_id": answers[0].request_id, "row": -1, "label": 1}])
    assert "row" in (e.value.field or "")


def test_prediction_log_iterates_past_one_page(served):
    client, name, current, answers = served
    rows = list(client.monitoring.predictions(name, page_size=3))
    assert len(rows) == len(current)
    assert {r["request_id"] for r in rows} == {a.request_id for a in answers}
    assert all(r["route"] == "main" and r["status"] == "ok" for r in rows)
    first = client.monitoring.predictions_frame(name, limit=30)
    assert len(first) == 30 and "input.income" in first.columns and "output.label" in first.columns


def test_outcomes_by_unit_and_request(served, unique):
    client, _, _, answers = served
    by_unit = client.monitoring.outcomes(metric="conversion", unit=unique("user"), value=1)
    assert by_unit["accepted"] == 1  # stored even though no A/B test has seen the unit
    # A request served outside any A/B test credits no unit: listed by its index, not stored.
    mixed = client.monitoring.outcomes([{"unit": unique("user"), "metric": "revenue", "value": 9.5},
                                        {"request_id": answers[0].request_id, "metric": "conversion"}])
    # Both are listed (the unit as unseen, though stored); only the unit's event was accepted.
    assert mixed["accepted"] == 1 and [u["index"] for u in mixed["unknown"]] == [0, 1]
    with pytest.raises(ferry.NotFoundError) as e:
        client.monitoring.outcomes(metric="conversion", request_id=unique("nope"))
    assert e.value.field == "outcomes[0].request_id"


def test_settings_and_reference_errors(served, unique):
    client, name, _, _ = served
    assert client.monitoring.settings(name)["settings"]["enabled"] is True
    assert client.monitoring.update_settings(name, sample_rate=1, window="30m")["window"] == "30m"
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.monitoring.set_reference(name, credit_frame().drop(columns=["income"]))
    assert "income" in str(e.value)
    # A table carrying its own predictions: named by prediction_column instead of the live model scoring it.
    table = credit_frame("credit_train").rename(columns={"default": "predicted"})
    ref = client.monitoring.set_reference(name, table, prediction_column="predicted")
    assert ref["source"]["prediction"] == {"column": "predicted"}
    assert client.monitoring.reference(name)["source"]["prediction"] == {"column": "predicted"}
    with pytest.raises(ferry.NotFoundError) as e:
        client.monitoring.drift(unique("nope"))
    assert e.value.code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.monitoring.drift(name, drift_share=2)
    assert e.value.field and "drift_share" in e.value.field


def test_estimated_performance_against_a_labelled_dataset(served, unique):
    client, name, current, _ = served
    ds = unique("credit-train")
    # The datasets part of the client is another helper's; the push route is called directly here.
    client._t.request("POST", f"/api/v1/datasets/{ds}/versions", params={"filename": "train.csv"},
                      data=credit_frame("credit_train").to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
    report = client.monitoring.estimated_performance(name, frm="2h", dataset=f"{ds}@1", label="default", window="1h")
    assert report["reference"]["label"] == "default" and report["overall"]["rows"] == len(current)
    frame = report.to_frame()
    overall = frame[frame["start"] == "overall"].set_index("metric")
    assert {"roc_auc", "accuracy", "f1"} <= set(overall.index)
    assert (overall["lower"] <= overall["estimated"]).all() and (overall["estimated"] <= overall["upper"]).all()
    assert "<svg" in report._repr_html_()
