"""client.abtests against a real server: a deployment of two registered credit versions with a sticky key, a
draft test started, traffic, outcome events by unit and by request (dicts and a DataFrame), the report as a table
of arm × metric checked against what was sent, history, stop; and each refusal as its exception."""
import datetime
import time
import uuid

import pandas as pd
import pytest

import ferry
from ferry.abtests import ABTestReport, parse_metric
from ferry.errors import AlreadyExistsError, InvalidParameterError, InvalidStateError, NotFoundError, PermissionDeniedError

from credit_models import credit_rows, deploy, predict, register_credit_versions

CONVERSION = {"metric": "conversion", "kind": "proportion", "window": "1h"}
REVENUE = {"metric": "revenue", "kind": "mean", "window": "1h"}
UNITS = 40


@pytest.fixture(scope="module")
def credit(ferry_server):
    import mlflow

    model = f"credit-ab-{uuid.uuid4().hex[:8]}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_TOKEN", ferry_server["token"])
        mlflow.set_tracking_uri(ferry_server["url"])
        mlflow.set_registry_uri(ferry_server["url"])
        mlflow.set_experiment(model)
        assert register_credit_versions(model) == ["1", "2"]
    return model


def test_lifecycle_outcomes_and_report(client, credit, unique, tmp_path):
    dep, name = unique("shop"), unique("ranker")
    deploy(client, dep, credit, weights=[50, 50], sticky_key="customer")
    draft = client.abtests.create(name, dep, "conversion:proportion:1h", guardrails=[REVENUE], control="1", description="v2 vs v1", start=False)
    assert draft["primary_metric"] == {**CONVERSION, "direction": "increase"}  # from the text form
    assert draft["state"] == "draft" and draft["unit_key"] == "customer" and draft["control"] == "1"
    assert [a["version"] for a in draft["arms"]] == ["1", "2"] and draft["settings"]["method"] == "sequential"
    assert [t["name"] for t in client.abtests.list(deployment=dep)] == [name]
    assert name in {t["name"] for t in client.abtests.list(state="draft")}
    assert client.abtests.start(name)["state"] == "running"
    assert client.abtests.get(name)["started_at"] is not None

    # Traffic: one request per customer; each customer keeps one version.
    record = credit_rows(1)[0]
    arm, request_of = {}, {}
    for u in range(UNITS):
        answer = predict(client, dep, record, customer=f"c-{u}")
        arm[u], request_of[u] = answer["model_version"], answer["request_id"]
    assert set(arm.values()) == {"1", "2"}

    # Outcomes: every third customer converts (one of them credited by request id), some spend, one ghost.
    converted = [u for u in range(UNITS) if u % 3 == 0]
    events = [{"unit": f"c-{u}", "metric": "conversion"} for u in converted[1:]]
    events.append({"request_id": request_of[converted[0]], "metric": "conversion"})
    events.append({"unit": "ghost-1", "metric": "conversion"})
    answer = client.abtests.send_outcomes(events)
    assert answer["accepted"] == len(events) - 0  # the ghost is stored all the same (a pre-exposure event)
    assert [(x["index"], x["unit"]) for x in answer["unknown"]] == [(len(events) - 1, "ghost-1")]
    spent = pd.DataFrame({"unit": [f"c-{u}" for u in range(0, UNITS, 2)], "metric": "revenue", "value": [10.0 + u for u in range(0, UNITS, 2)]})
    spent["request_id"] = None  # an empty column is left out, not sent as null
    spent["timestamp"] = pd.Timestamp.now(tz="UTC").tz_localize(None)  # naive: read as UTC
    assert client.abtests.send_outcomes(spent)["accepted"] == len(spent)

    # Exposures are written about every 500 ms: read the report until every customer is counted.
    at = int(time.time() * 1000) + 2 * 3600 * 1000  # every window closed
    deadline = time.monotonic() + 30
    while True:
        report = client.abtests.report(name, at=at)
        counted = sum(a["units"] for a in report["metrics"][0]["arms"])
        if counted == UNITS or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert isinstance(report, ABTestReport) and report["abtest"] == name and report["state"] == "running"
    frame = report.to_frame()
    assert len(frame) == 4  # two metrics × two arms
    assert list(frame["metric"]) == ["conversion", "conversion", "revenue", "revenue"]
    assert list(frame["role"]) == ["primary", "primary", "guardrail", "guardrail"]
    for _, row in frame.iterrows():
        units = [u for u in range(UNITS) if arm[u] == row["arm"]]
        assert row["units"] == len(units) and row["pending_units"] == 0
        if row["metric"] == "conversion":
            expected = sum(1 for u in units if u in converted) / len(units)
        else:
            expected = sum(10.0 + u for u in units if u % 2 == 0) / len(units)
        assert row["mean"] == pytest.approx(expected, rel=1e-12)
        assert bool(row["is_control"]) == (row["arm"] == "1")
        if row["arm"] == "2":
            assert row["verdict"] in ("better", "worse", "inconclusive", "insufficient_data") and row["reason"]
    assert report["decision"]["verdict"] in ("better", "worse", "inconclusive", "insufficient_data")
    assert report["srm"]["flagged"] in (True, False)
    html = report._repr_html_()
    assert "<svg" in html and "relative lift" in html and name in html
    saved = report.save_html(str(tmp_path / "ab.html"))
    assert open(saved, encoding="utf-8").read().startswith("<!DOCTYPE html>")

    with_history = client.abtests.report(name, at=at, history=True, points=4)
    hist = with_history.history_frame()
    assert len(hist) == 4 and set(hist["arm"]) == {"2"} and set(hist["metric"]) == {"conversion"}
    assert str(hist["at"].dt.tz) == "UTC"
    assert client.abtests.report(name).data["history"] == []

    stopped = client.abtests.stop(name, reason="enough data")
    assert stopped["state"] == "stopped" and stopped["stop_reason"] == "enough data" and stopped["stopped_by"]
    assert client.abtests.report(name, at=at)["state"] == "stopped"
    later = datetime.datetime.fromtimestamp(at / 1000, tz=datetime.timezone.utc)
    assert client.abtests.report(name, at=later).to_frame()["units"].tolist() == list(frame["units"])
    assert client.abtests.report(name, at=datetime.timedelta(hours=1)).to_frame()["units"].sum() == 0  # before any exposure
    assert [t["name"] for t in client.abtests.list(deployment=dep, state="stopped")] == [name]


def test_metric_text_form():
    assert parse_metric("conversion:proportion:7d") == {"metric": "conversion", "kind": "proportion", "window": "7d"}
    assert parse_metric("a:b:mean:1h:decrease:delay=5m:cuped=14d") == {
        "metric": "a:b", "kind": "mean", "window": "1h", "direction": "decrease", "delay": "5m", "cuped_lookback": "14d"}
    assert parse_metric("refunds:ratio:7d:over=$requests")["denominator"] == "$requests"
    for bad, why in (("conversion:7d", "KIND"), ("conversion:proportion", "window"), ("x:mean:1h:sideways", "unknown option"),
                     ("x:mean:1h:increase:decrease", "twice"), ("x:mean:1h:delay", "unknown option"), ("x:mean:1h:increase=1", "unknown option")):
        with pytest.raises(ValueError, match=why):
            parse_metric(bad)


def test_refusals_map_to_exceptions(client, credit, unique, ferry_server):
    dep, one = unique("two"), unique("one")
    deploy(client, dep, credit, sticky_key="customer")
    deploy(client, one, credit, versions=("1",))
    with pytest.raises(NotFoundError):
        client.abtests.get(unique("nothing"))
    with pytest.raises(NotFoundError):
        client.abtests.create(unique("t"), unique("nowhere"), CONVERSION)
    with pytest.raises(InvalidParameterError) as e:
        client.abtests.create(unique("t"), one, CONVERSION)
    assert e.value.field == "deployment" and e.value.status == 400
    with pytest.raises(InvalidParameterError) as e:
        client.abtests.create(unique("t"), dep, {"metric": "x", "kind": "median", "window": "1h"})
    assert e.value.field and e.value.field.startswith("primary_metric")
    with pytest.raises(InvalidParameterError) as e:
        client.abtests.create(unique("t"), dep, {"metric": "x", "kind": "ratio", "window": "1h"})
    assert e.value.field and "denominator" in e.value.field
    with pytest.raises(InvalidParameterError) as e:  # the text form's duration is the server's to check
        client.abtests.create(unique("t"), dep, "x:mean:soon")
    assert e.value.field and "window" in e.value.field

    first = unique("first")
    made = client.abtests.create(first, dep, CONVERSION, settings={"method": "bayesian", "prior_stddev": 0.2}, arms=[{"version": "1", "weight": 50}, {"version": "2", "weight": 50}])
    assert made["settings"]["method"] == "bayesian" and made["settings"]["prior_stddev"] == 0.2
    assert client.abtests.report(first)["method"] == "bayesian"
    with pytest.raises(AlreadyExistsError):
        client.abtests.create(first, dep, CONVERSION, start=False)
    # One running test per deployment: the second is refused naming the first.
    with pytest.raises(InvalidStateError, match=first):
        client.abtests.create(unique("second"), dep, CONVERSION)
    draft = unique("draft")
    client.abtests.create(draft, dep, CONVERSION, start=False)
    with pytest.raises(InvalidStateError):
        client.abtests.start(draft)
    client.abtests.stop(first)
    with pytest.raises(InvalidStateError):
        client.abtests.stop(first)
    assert client.abtests.start(draft)["state"] == "running"
    client.abtests.stop(draft)

    with pytest.raises(InvalidParameterError) as e:
        client.abtests.send_outcomes([{"unit": "u", "request_id": "r", "metric": "conversion"}])
    assert e.value.field == "outcomes[0]"
    with pytest.raises(InvalidParameterError):
        client.abtests.send_outcomes([{"unit": "u", "metric": "model:accuracy"}])
    with pytest.raises(NotFoundError):  # nothing stored: every request unknown
        client.abtests.send_outcomes([{"request_id": str(uuid.uuid4()), "metric": "conversion"}])

    token = client._t.request("POST", "/api/v1/tokens", json={"name": unique("viewer"), "role": "viewer"})["token"]
    viewer = ferry.Client(ferry_server["url"], token=token)
    assert viewer.abtests.get(draft)["name"] == draft
    with pytest.raises(PermissionDeniedError):
        viewer.abtests.create(unique("t"), dep, CONVERSION)
    with pytest.raises(PermissionDeniedError):
        viewer.abtests.send_outcomes([{"unit": "u", "metric": "conversion"}])
