"""Report objects on real server answers: a drift report whose feature names are hostile HTML (escaped everywhere,
the chart marking exactly the drifted bars), explanations and importance as frames, and the generic Report."""
import re
import time

import numpy as np
import pandas as pd
import pytest

from ferry._report import DriftReport, Report
from model_fixtures import MODELS, credit_frame, register

# Ten feature names for the diabetes model (one [N, 10] input), each with a character HTML must escape.
HOSTILE = ["<b>age</b>", "sex&", '"bmi"', "bp'", "<script>s1", "s2>", "s3 & s4", "<s4", "s5<img src=x>", "s6"]


def _push_dataset(client, name, df):
    # The datasets part of the client is another helper's; the route is called directly here.
    client._t.request("POST", f"/api/v1/datasets/{name}/versions", params={"filename": "train.csv"},
                      data=df.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})


@pytest.fixture
def hostile_drift(client, unique):
    name = unique("hostile")
    answer = client.models.register_onnx(name, MODELS / "diabetes_ridge.onnx", features=HOSTILE)
    assert answer["signature"]["features"] == HOSTILE
    client.deployments.create(name, model=name, version=answer["model_version"]["version"])
    rng = np.random.default_rng(0)
    ref = pd.DataFrame(rng.normal(size=(300, 10)), columns=HOSTILE)
    client.monitoring.set_reference(name, ref)
    cur = pd.DataFrame(rng.normal(size=(200, 10)), columns=HOSTILE)
    cur["<b>age</b>"] += 3  # one feature drifts
    cur["s5<img src=x>"] += 3  # and another
    client.deployments.predict(name, cur)
    deadline = time.monotonic() + 20
    while client.monitoring.drift(name)["current"]["rows"] < len(cur) and time.monotonic() < deadline:
        time.sleep(0.2)
    yield client.monitoring.drift(name)
    client.deployments.delete(name)


def test_drift_html_escapes_names_and_marks_drifted_bars(hostile_drift, tmp_path):
    report = hostile_drift
    assert isinstance(report, DriftReport)
    frame = report.to_frame()
    assert set(HOSTILE) <= set(frame["feature"])
    drifted = set(frame.loc[frame["drifted"].fillna(False).astype(bool), "feature"])
    assert {"<b>age</b>", "s5<img src=x>"} <= drifted

    html = report._repr_html_()
    for raw in HOSTILE:
        if any(ch in raw for ch in "<>\"'"):
            assert raw not in html, raw
    assert "&lt;b&gt;age&lt;/b&gt;" in html and "&lt;script&gt;s1" in html and "sex&amp;" in html
    # One marked bar per drifted row (features and the prediction), none for the rest.
    assert len(re.findall(r'class="ferry-bar-marked"', html)) == len(drifted)
    assert len(re.findall(r"<rect ", html)) == frame["statistic"].notna().sum()
    assert report.summary().startswith("no dataset drift" if not report["dataset_drift"] else "dataset drift")

    page = open(report.save_html(str(tmp_path / "r.html")), encoding="utf-8").read()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "<img" not in page
    assert "<title>Drift of " in page and "</html>" in page


def test_explanations_and_importance_as_frames(client, unique):
    name, ds = unique("explain"), unique("credit-train")
    version = register(client, "credit_gbdt", name)
    client.deployments.create(name, model=name, version=version)
    try:
        _push_dataset(client, ds, credit_frame("credit_train"))
        rows = credit_frame().drop(columns=["default"]).head(3)
        exp = client.deployments.explain(name, rows, background={"dataset": ds, "version": "1", "rows": 50})
        long = exp.to_frame()
        assert list(long.columns) == ["row", "output", "feature", "shap_value"]
        assert set(long["row"]) == {0, 1, 2} and set(long["feature"]) == set(rows.columns)
        # Additivity per row and output: base value + Σφ = f(x).
        for i, e in enumerate(exp["explanations"]):
            for k, base in enumerate(exp["base_values"]):
                assert base + sum(e["attributions"][k].values()) == pytest.approx(e["prediction"][k], abs=1e-4)
        assert exp.to_wide().shape == (3, len(rows.columns))
        assert "<svg" in exp._repr_html_()

        # The model version explained directly gives the deployment's explanation.
        by_version = client.models.explain(name, version, rows, background={"dataset": ds, "version": "1", "rows": 50})
        assert by_version["explanations"] == exp["explanations"]

        imp = client.models.importance(name, version, dataset=ds, dataset_version="1", rows=20)
        f = imp.to_frame()
        assert list(f.columns) == ["feature", "mean_abs"] and len(f) == len(rows.columns)
        assert list(f["mean_abs"]) == sorted(f["mean_abs"], reverse=True)
    finally:
        client.deployments.delete(name)


def test_generic_report_on_a_server_answer(client):
    who = client.whoami()
    report = Report(who, "Who am I")
    assert report.data == who and all(report[k] == who[k] for k in who) and all(k in report for k in who)
    frame = report.to_frame()
    assert list(frame.columns) == ["key", "value"] and len(frame) >= 1
    assert "Who am I" in report._repr_html_() and "<svg" not in report._repr_html_()
    # A list of row-like dicts is the table; nested dicts flatten one level, long lists become counts.
    nested = Report({"n": 2, "versions": [{"model_version": "1", "m": {"f1": 0.5}, "cm": [[1, 2], [3, 4]]}]})
    assert nested.to_frame().to_dict("records") == [{"model_version": "1", "m.f1": 0.5, "cm.count": 2}]


def test_fairness_report_and_model_card(client, unique):
    name, ds = unique("fair"), unique("credit-train")
    version = register(client, "credit_gbdt", name)
    _push_dataset(client, ds, credit_frame("credit_train"))
    report = client.models.fairness(name, version, rows=True, dataset=ds, dataset_version=1, label="default",
                                    sensitive_features=["home_ownership"], metrics=["selection_rate", "accuracy"])
    frame = report.to_frame()
    assert set(frame["metric"]) == {"selection_rate", "accuracy"} and set(frame.columns) >= {"group", "value", "n", "insufficient"}
    # Each group's selection rate recomputed from the scored rows the server returns.
    scored = pd.DataFrame({"y_pred": report["rows"]["y_pred"], "g": report["rows"]["sensitive"]["home_ownership"]})
    rates = frame[frame["metric"] == "selection_rate"].set_index("group")
    for g, part in scored.groupby("g"):
        assert rates.loc[str(g), "value"] == pytest.approx((part["y_pred"] == 1).mean(), abs=1e-12)
        assert rates.loc[str(g), "n"] == len(part)
    assert "four-fifths" in report.summary() and "<svg" in report._repr_html_()
    stored = client.models.fairness_reports(name, version)
    assert [r["id"] for r in stored] == [report["id"]]
    assert client.models.fairness_report(name, version, report["id"]).to_frame().equals(frame)

    card = client.models.card(name, version)
    assert isinstance(card, dict)
    page = client.models.card(name, version, format="html")
    assert isinstance(page, str) and "<html" in page.lower() and name in page
    status = client.models.card_status(name, version)
    assert status["model"] == name and status["content_hash"] == status["hash"]
