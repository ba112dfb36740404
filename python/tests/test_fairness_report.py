"""Ferry's stored fairness report (POST /api/v1/models/{name}/versions/{v}/fairness) against Fairlearn 0.15.0.

The session's Ferry server scores the credit training table with the credit GBDT fixture (a real ONNX classifier)
and stores the report. Here onnxruntime scores the same table independently (the report's predictions must be the
model's), and Fairlearn recomputes every number of the report from the scored rows the report exposes
(`?rows=true`): each MetricFrame by group (intersections of two features included, NaN for empty ones), overall,
group_min/max, difference and ratio by both methods, and demographic parity, equal opportunity and equalized odds
(worst case) by both methods — to 1e-12, null where Fairlearn gives NaN.
"""
import functools
import math
import uuid
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pandas as pd
import pytest
from fairlearn import metrics as flm
from sklearn import metrics as skm

REPO = Path(__file__).resolve().parents[2]
TABLE = REPO / "test" / "fixtures" / "models" / "credit_train.csv"
MODEL_FILE = REPO / "test" / "fixtures" / "models" / "credit_gbdt.onnx"
TOL = 1e-12
FUNCS = {
    "selection_rate": flm.selection_rate,
    "true_positive_rate": flm.true_positive_rate,
    "false_positive_rate": flm.false_positive_rate,
    "true_negative_rate": flm.true_negative_rate,
    "false_negative_rate": flm.false_negative_rate,
    "accuracy": skm.accuracy_score,
    "precision": skm.precision_score,
    "recall": skm.recall_score,
    "count": flm.count,
}
PARITY = {
    "demographic_parity_difference": flm.demographic_parity_difference,
    "demographic_parity_ratio": flm.demographic_parity_ratio,
    "equal_opportunity_difference": flm.equal_opportunity_difference,
    "equal_opportunity_ratio": flm.equal_opportunity_ratio,
    "equalized_odds_difference": flm.equalized_odds_difference,
    "equalized_odds_ratio": flm.equalized_odds_ratio,
}


def same(ferry, ref, what):
    """Ferry's value (null = NaN) equals Fairlearn's to TOL."""
    ref = float(ref)
    if math.isnan(ref):
        assert ferry is None, f"{what}: Ferry {ferry}, Fairlearn NaN"
    else:
        assert ferry is not None and abs(ferry - ref) <= TOL, f"{what}: Ferry {ferry}, Fairlearn {ref}"


@pytest.fixture
def model(admin_api):
    """The credit GBDT registered as version 1 of a fresh model, and the training table as a dataset."""
    name = f"fair-{uuid.uuid4().hex[:8]}"
    path = f"uploads/{uuid.uuid4()}/model.onnx"
    r = admin_api("PUT", f"/api/2.0/mlflow-artifacts/artifacts/{path}", data=MODEL_FILE.read_bytes(),
                  headers={"Content-Type": "application/octet-stream"})
    assert r.status_code == 200, r.text
    admin_api("POST", "/api/2.0/mlflow/registered-models/create", json={"name": name})
    r = admin_api("POST", "/api/2.0/mlflow/model-versions/create", json={"name": name, "source": f"mlflow-artifacts:/{path}"})
    assert r.status_code == 200, r.text
    r = admin_api("POST", f"/api/v1/datasets/{name}/versions", params={"filename": "credit_train.csv"},
                  data=TABLE.read_bytes(), headers={"Content-Type": "text/csv"})
    assert r.status_code in (200, 201), r.text
    return name


def report(admin_api, name, **body):
    r = admin_api("POST", f"/api/v1/models/{name}/versions/1/fairness", params={"rows": "true"},
                  json={"dataset": name, "dataset_version": 1, "label": "default", **body})
    assert r.status_code == 201, r.text
    return r.json()["report"]


def onnx_labels(df: pd.DataFrame) -> np.ndarray:
    sess = ort.InferenceSession(str(MODEL_FILE), providers=["CPUExecutionProvider"])
    feeds = {}
    for i in sess.get_inputs():
        col = df[i.name]
        if i.type == "tensor(string)":
            feeds[i.name] = col.fillna("").astype(str).to_numpy().reshape(-1, 1)
        else:
            feeds[i.name] = col.astype("float32").to_numpy().reshape(-1, 1)
    return sess.run(["label"], feeds)[0].ravel()


def check_analysis(a, rows, pos_label, parity_functions):
    y_true = np.array(rows["y_true"])
    y_pred = np.array(rows["y_pred"])
    sf = pd.DataFrame({f: rows["sensitive"][f] for f in a["features"]})
    sens = sf[a["features"][0]] if len(a["features"]) == 1 else sf
    for frame in a["frames"]:
        m = frame["metric"]
        fn = FUNCS[m]
        if pos_label is not None and m not in ("accuracy", "count"):
            fn = functools.partial(fn, pos_label=pos_label)
        mf = flm.MetricFrame(metrics=fn, y_true=y_true, y_pred=y_pred, sensitive_features=sens)
        by_group = mf.by_group
        assert len(frame["groups"]) == len(by_group), m
        for g in frame["groups"]:
            key = tuple(g["key"]) if len(g["key"]) > 1 else g["key"][0]
            same(g["value"], by_group.loc[key], f"{m} {key}")
        counts = sf.groupby(a["features"]).size()
        for g in frame["groups"]:
            key = tuple(g["key"]) if len(g["key"]) > 1 else g["key"][0]
            assert g["n"] == int(counts.get(key, 0)), f"count of {key}"
        same(frame["overall"], mf.overall, f"{m} overall")
        same(frame["group_min"], mf.group_min(), f"{m} group_min")
        same(frame["group_max"], mf.group_max(), f"{m} group_max")
        for method in ("between_groups", "to_overall"):
            same(frame["difference"][method], mf.difference(method=method), f"{m} difference {method}")
            same(frame["ratio"][method], mf.ratio(method=method), f"{m} ratio {method}")
    for name, ref in parity_functions(y_true, y_pred, sens).items():
        for method in ("between_groups", "to_overall"):
            same(a["parity"][name][method], ref(method), f"{name} {method}")
    assert a["four_fifths"]["ratio"] == a["parity"]["demographic_parity_ratio"]["between_groups"]


def fairlearn_parity(y_true, y_pred, sens):
    return {name: (lambda method, fn=fn: fn(y_true, y_pred, sensitive_features=sens, method=method)) for name, fn in PARITY.items()}


def test_report_matches_fairlearn_on_intersections(admin_api, model):
    rep = report(admin_api, model, sensitive_features=["home_ownership", "purpose"], metrics=list(FUNCS))
    rows = rep["rows"]
    df = pd.read_csv(TABLE)
    assert rep["n_rows"] == len(df)
    # The report's predictions are the model's (scored here by onnxruntime on the same table), its labels the table's.
    assert rows["y_pred"] == [int(x) for x in onnx_labels(df)]
    assert rows["y_true"] == df["default"].tolist()
    assert rows["sensitive"]["home_ownership"] == df["home_ownership"].fillna("(missing)").tolist()
    assert [a["features"] for a in rep["analyses"]] == [["home_ownership", "purpose"], ["home_ownership"], ["purpose"]]
    # Intersections include combinations with no rows (NaN in Fairlearn, null and n = 0 in Ferry).
    for a in rep["analyses"]:
        check_analysis(a, rows, None, fairlearn_parity)


def test_report_matches_fairlearn_with_pos_label_and_dropped_rows(admin_api, model):
    rep = report(admin_api, model, sensitive_features=["purpose"], pos_label=0, missing_sensitive="drop",
                 metrics=["selection_rate", "tpr", "fpr", "precision", "recall", "accuracy"])
    df = pd.read_csv(TABLE)
    assert rep["n_rows"] == int(df["purpose"].notna().sum())
    assert rep["rows_missing_sensitive"] == int(df["purpose"].isna().sum())

    # Fairlearn's parity functions take no pos_label: they are the frames' difference/ratio of the same metric.
    def parity(y_true, y_pred, sens):
        def frame(fn):
            return flm.MetricFrame(metrics=functools.partial(fn, pos_label=0), y_true=y_true, y_pred=y_pred, sensitive_features=sens)

        sel, tpr, fpr = frame(flm.selection_rate), frame(flm.true_positive_rate), frame(flm.false_positive_rate)
        return {
            "demographic_parity_difference": lambda m: sel.difference(method=m),
            "demographic_parity_ratio": lambda m: sel.ratio(method=m),
            "equal_opportunity_difference": lambda m: tpr.difference(method=m),
            "equal_opportunity_ratio": lambda m: tpr.ratio(method=m),
            "equalized_odds_difference": lambda m: max(tpr.difference(method=m), fpr.difference(method=m)),
            "equalized_odds_ratio": lambda m: min(tpr.ratio(method=m), fpr.ratio(method=m)),
        }

    check_analysis(rep["analyses"][0], rep["rows"], 0, parity)


def test_weighted_report_matches_fairlearn_sample_weight(admin_api, model):
    """sample_weight names a column of weights: every frame and parity metric equals Fairlearn's with sample_weight."""
    df = pd.read_csv(TABLE)
    df["w"] = [(i * 7919) % 13 / 4 for i in range(len(df))]  # 0 to 3, zeros included
    name = f"{model}-weighted"
    r = admin_api("POST", f"/api/v1/datasets/{name}/versions", params={"filename": "weighted.csv"},
                  data=df.to_csv(index=False).encode(), headers={"Content-Type": "text/csv"})
    assert r.status_code in (200, 201), r.text
    r = admin_api("POST", f"/api/v1/models/{model}/versions/1/fairness", params={"rows": "true"},
                  json={"dataset": name, "dataset_version": 1, "label": "default", "sensitive_features": ["purpose"],
                        "sample_weight": "w", "metrics": ["selection_rate", "accuracy", "tpr", "fpr"]})
    assert r.status_code == 201, r.text
    rep = r.json()["report"]
    rows = rep["rows"]
    w = np.array(rows["sample_weight"])
    assert w.tolist() == df["w"].tolist()
    y_true, y_pred = np.array(rows["y_true"]), np.array(rows["y_pred"])
    sens = pd.Series(rows["sensitive"]["purpose"])
    a = rep["analyses"][0]
    for frame in a["frames"]:
        fn = FUNCS[frame["metric"]]
        mf = flm.MetricFrame(metrics=fn, y_true=y_true, y_pred=y_pred, sensitive_features=sens,
                             sample_params={"sample_weight": w})
        for g in frame["groups"]:
            same(g["value"], mf.by_group.loc[g["key"][0]], f"{frame['metric']} {g['key']}")
        same(frame["overall"], mf.overall, f"{frame['metric']} overall")
        for method in ("between_groups", "to_overall"):
            same(frame["difference"][method], mf.difference(method=method), f"{frame['metric']} difference {method}")
            same(frame["ratio"][method], mf.ratio(method=method), f"{frame['metric']} ratio {method}")
    for pname, fn in PARITY.items():
        for method in ("between_groups", "to_overall"):
            same(a["parity"][pname][method], fn(y_true, y_pred, sensitive_features=sens, method=method, sample_weight=w),
                 f"{pname} {method}")
