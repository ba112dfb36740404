"""Ferry's Open Inference Protocol endpoints, driven by Triton's own HTTP client (tritonclient[http])."""
import json
import pathlib
import uuid

import numpy as np
import pytest
import requests
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

MODELS = pathlib.Path(__file__).resolve().parents[2] / "test" / "fixtures" / "models"


def _deploy(server, model: str, files: list[str], deployment: str) -> None:
    """Upload fixture .onnx files, register them as versions of `model`, deploy them 50/50."""
    h = {"Authorization": f"Bearer {server['token']}"}
    api = server["url"]
    requests.post(f"{api}/api/2.0/mlflow/registered-models/create", json={"name": model}, headers=h, timeout=10)
    routes = []
    for f in files:
        path = f"uploads/{uuid.uuid4().hex}/model.onnx"
        r = requests.put(f"{api}/api/2.0/mlflow-artifacts/artifacts/{path}", data=(MODELS / f).read_bytes(), headers=h, timeout=30)
        r.raise_for_status()
        r = requests.post(f"{api}/api/2.0/mlflow/model-versions/create", json={"name": model, "source": f"mlflow-artifacts:/{path}"}, headers=h, timeout=10)
        r.raise_for_status()
        routes.append({"model": model, "version": r.json()["model_version"]["version"], "weight": 50})
    r = requests.post(f"{api}/api/v1/deployments", json={"name": deployment, "routes": routes}, headers=h, timeout=60)
    assert r.status_code == 200, r.text


@pytest.fixture(scope="module")
def triton(ferry_server):
    _deploy(ferry_server, "cancer-v2", ["breast_cancer_logreg.onnx"], "cancer")
    _deploy(ferry_server, "credit-v2", ["credit_gbdt.onnx", "credit_gbdt_v2.onnx"], "credit")
    host = ferry_server["url"].split("://", 1)[1]
    client = httpclient.InferenceServerClient(url=host)
    # One dict for every call, as users write it: tritonclient adds Inference-Header-Content-Length to it on a
    # binary request, and the stale value then rides on later JSON-only requests, which Ferry must still read.
    headers = {"Authorization": f"Bearer {ferry_server['token']}"}
    yield client, headers
    client.close()


def test_health_and_metadata(triton):
    client, headers = triton
    assert client.is_server_live()
    assert client.is_server_ready()
    assert client.is_model_ready("cancer", headers=headers)
    meta = client.get_model_metadata("cancer", headers=headers)
    assert meta["platform"] == "onnxruntime_onnx"
    assert meta["inputs"] == [{"name": "float_input", "datatype": "FP32", "shape": [-1, 30]}]
    assert client.get_server_metadata(headers=headers)["name"] == "ferry"


def test_infer_fp32_matches_scikit_learn(triton):
    client, headers = triton
    exp = json.loads((MODELS / "breast_cancer_logreg.expected.json").read_text())
    x = np.array(exp["inputs"]["float_input"], dtype=np.float32)
    inp = httpclient.InferInput("float_input", list(x.shape), "FP32")
    inp.set_data_from_numpy(x, binary_data=False)
    outs = [httpclient.InferRequestedOutput("probabilities", binary_data=False), httpclient.InferRequestedOutput("label", binary_data=False)]
    res = client.infer("cancer", [inp], outputs=outs, headers=headers, request_id="r-1")
    np.testing.assert_allclose(res.as_numpy("probabilities"), np.array(exp["outputs"]["probabilities"]), rtol=1e-5, atol=1e-5)
    assert res.as_numpy("label").tolist() == exp["outputs"]["label"]
    assert res.get_response()["id"] == "r-1"


def test_infer_bytes_inputs_on_one_version(triton):
    client, headers = triton
    exp = json.loads((MODELS / "credit_gbdt_v2.expected.json").read_text())
    res = client.infer("credit", _credit_inputs(exp, False), model_version="2", headers=headers)
    assert res.get_response()["model_version"] == "2"
    np.testing.assert_allclose(res.as_numpy("probabilities"), np.array(exp["outputs"]["probabilities"]), rtol=1e-5, atol=1e-5)


def _credit_inputs(exp, binary):
    inputs = []
    for name, nested in exp["inputs"].items():
        column = [row[0] for row in nested]  # stored as [N, 1]
        if all(v is None or isinstance(v, (int, float)) for v in column):
            arr = np.array([[np.nan if v is None else v] for v in column], dtype=np.float32)
            t = httpclient.InferInput(name, list(arr.shape), "FP32")
        else:
            arr = np.array([[v] for v in column], dtype=np.object_)
            t = httpclient.InferInput(name, list(arr.shape), "BYTES")
        t.set_data_from_numpy(arr, binary_data=binary)
        inputs.append(t)
    return inputs


def test_binary_tensors_by_default(triton):
    """tritonclient's defaults: binary inputs (BYTES and FP32 with NaN), binary outputs."""
    client, headers = triton
    exp = json.loads((MODELS / "credit_gbdt_v2.expected.json").read_text())
    res = client.infer("credit", _credit_inputs(exp, True), model_version="2", headers=headers)
    assert all("binary_data_size" in o.get("parameters", {}) for o in res.get_response()["outputs"])
    np.testing.assert_allclose(res.as_numpy("probabilities"), np.array(exp["outputs"]["probabilities"]), rtol=1e-5, atol=1e-5)
    assert res.as_numpy("label").tolist() == exp["outputs"]["label"]
    # Binary in, one output asked for in JSON and one in binary.
    outs = [httpclient.InferRequestedOutput("label", binary_data=False), httpclient.InferRequestedOutput("probabilities", binary_data=True)]
    res = client.infer("credit", _credit_inputs(exp, True), outputs=outs, model_version="2", headers=headers)
    label, probs = res.get_response()["outputs"]
    assert label["data"] == exp["outputs"]["label"] and "data" not in probs
    np.testing.assert_allclose(res.as_numpy("probabilities"), np.array(exp["outputs"]["probabilities"]), rtol=1e-5, atol=1e-5)


def test_binary_fp32_matches_scikit_learn(triton):
    client, headers = triton
    exp = json.loads((MODELS / "breast_cancer_logreg.expected.json").read_text())
    x = np.array(exp["inputs"]["float_input"], dtype=np.float32)
    inp = httpclient.InferInput("float_input", list(x.shape), "FP32")
    inp.set_data_from_numpy(x)
    res = client.infer("cancer", [inp], headers=headers)
    np.testing.assert_allclose(res.as_numpy("probabilities"), np.array(exp["outputs"]["probabilities"]), rtol=1e-5, atol=1e-5)
    assert res.as_numpy("label").tolist() == exp["outputs"]["label"]


def test_errors_reach_the_client(triton):
    client, headers = triton
    bad = httpclient.InferInput("float_input", [1, 30], "FP64")
    bad.set_data_from_numpy(np.zeros((1, 30), dtype=np.float64), binary_data=False)
    with pytest.raises(InferenceServerException, match="FP32"):
        client.infer("cancer", [bad], headers=headers)
    with pytest.raises(InferenceServerException):
        client.get_model_metadata("no-such-model", headers=headers)
    with pytest.raises(InferenceServerException):
        client.get_model_metadata("cancer", headers={"Authorization": "Bearer wrong"})
