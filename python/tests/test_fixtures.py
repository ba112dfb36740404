"""The committed ONNX fixtures in test/fixtures/models/ still load and give their recorded outputs.

Quick (no Ferry server): reruns onnxruntime on each <name>.onnx with the rows in <name>.expected.json
and compares with both the recorded onnxruntime outputs and scikit-learn's. Regenerate the fixtures
with `.venv/bin/python python/fixtures/make_models.py`.
"""
import json
import math
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

MODELS = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "models"
EXPECTED = sorted(MODELS.glob("*.expected.json"))
SINGLE_TENSOR = ["breast_cancer_logreg", "diabetes_ridge", "wine_gbdt", "zipmap_default"]
ALL_MODELS = SINGLE_TENSOR + ["credit_gbdt", "credit_gbdt_v2"]


def _session(path: Path) -> ort.InferenceSession:
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def _feeds(doc: dict) -> dict:
    feeds = {}
    for inp in doc["signature"]["inputs"]:
        rows = doc["inputs"][inp["name"]]
        if inp["type"] == "tensor(string)":
            feeds[inp["name"]] = np.array(rows, dtype=object).astype(str)
        else:
            feeds[inp["name"]] = np.array([[math.nan if v is None else v for v in r] for r in rows], dtype=np.float32)
    return feeds


def _as_array(value) -> np.ndarray:
    if isinstance(value, list) and value and isinstance(value[0], dict):  # ZipMap: [{class: prob}]
        return np.array([[float(d[k]) for k in sorted(d, key=str)] for d in value])
    return np.asarray(value)


def test_all_fixtures_present():
    names = {p.name for p in MODELS.iterdir()}
    for m in ALL_MODELS:
        assert f"{m}.onnx" in names and f"{m}.expected.json" in names, m
    assert "truncated.onnx" in names and "credit_sample.csv" in names
    total = sum(p.stat().st_size for p in MODELS.glob("*.onnx"))
    assert total < 2 * 1024 * 1024, f".onnx fixtures total {total} bytes"


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_onnxruntime_matches_expected(expected: Path):
    doc = json.loads(expected.read_text())
    sess = _session(MODELS / doc["model"])
    assert [i.name for i in sess.get_inputs()] == [i["name"] for i in doc["signature"]["inputs"]]
    out_names = [o.name for o in sess.get_outputs()]
    assert out_names == [o["name"] for o in doc["signature"]["outputs"]]
    got = dict(zip(out_names, sess.run(out_names, _feeds(doc))))
    n_rows = len(next(iter(doc["inputs"].values())))
    tol = doc["tolerance"]
    for name in out_names:
        g = _as_array(got[name])
        assert len(g) == n_rows
        for key in ("onnx_outputs", "outputs"):  # recorded onnxruntime run, and scikit-learn
            want = _as_array(doc[key][name])
            assert g.shape == want.shape, (name, key)
            if g.dtype.kind in "iu":  # labels: exact
                assert g.tolist() == want.tolist(), (name, key)
            else:
                np.testing.assert_allclose(g, want, rtol=tol["rtol"], atol=tol["atol"], err_msg=f"{name} vs {key}")


@pytest.mark.parametrize("name", SINGLE_TENSOR)
def test_single_tensor_models_carry_feature_names(name):
    model = onnx.load(str(MODELS / f"{name}.onnx"))
    meta = {p.key: p.value for p in model.metadata_props}
    doc = json.loads((MODELS / f"{name}.expected.json").read_text())
    assert meta["feature_names"].split(",") == doc["feature_names"]
    (inp,) = model.graph.input
    assert inp.name == "float_input"
    assert inp.type.tensor_type.shape.dim[1].dim_value == len(doc["feature_names"])


def test_credit_records_agree_with_column_inputs():
    for name in ("credit_gbdt", "credit_gbdt_v2"):
        doc = json.loads((MODELS / f"{name}.expected.json").read_text())
        assert [i["name"] for i in doc["signature"]["inputs"]] == doc["feature_names"]
        for i, rec in enumerate(doc["records"]):
            assert list(rec) == doc["feature_names"]
            for inp in doc["signature"]["inputs"]:
                (col_value,) = doc["inputs"][inp["name"]][i]
                if inp["type"] == "tensor(string)":
                    assert col_value == ("" if rec[inp["name"]] is None else rec[inp["name"]])
                else:
                    assert col_value == rec[inp["name"]]
        assert any(v is None for r in doc["records"] for k, v in r.items() if k in ("home_ownership", "purpose"))
        assert any(v is None for r in doc["records"] for k, v in r.items() if k not in ("home_ownership", "purpose"))


def test_credit_versions_differ():
    a = json.loads((MODELS / "credit_gbdt.expected.json").read_text())
    b = json.loads((MODELS / "credit_gbdt_v2.expected.json").read_text())
    assert a["records"] == b["records"]
    assert a["onnx_outputs"]["probabilities"] != b["onnx_outputs"]["probabilities"]


def test_zipmap_output_is_not_a_tensor():
    outs = {o.name: o.type for o in _session(MODELS / "zipmap_default.onnx").get_outputs()}
    assert outs == {"output_label": "tensor(int64)", "output_probability": "seq(map(int64,tensor(float)))"}


def test_truncated_model_does_not_load():
    full = (MODELS / "breast_cancer_logreg.onnx").read_bytes()
    assert (MODELS / "truncated.onnx").read_bytes() == full[: len(full) // 2]
    with pytest.raises(Exception):
        _session(MODELS / "truncated.onnx")
