"""Review of the deployments/monitoring client against a real server: binary tensors never change a value the
model's input type cannot hold (JSON refuses it; bytes must not truncate it), decode text/BOOL outputs as JSON does,
take 1-D per-column inputs from numpy, and stay JSON for a model with a text input; a request id the server would
replace is refused; deployment changes outlast a short client timeout while a version converts; feedback/outcomes in
several batches go on past a batch that matches nothing and say what was stored when one fails; DataFrame times are
read as UTC like keyword ones; numpy datetimes bound report ranges; a reference file may be a Path, a reference
DataFrame keeps text codes ("002", "NA") as text and one past the body limit says what to do; a DataFrame
naming a column twice is refused instead of one value silently winning. The records codec refuses a number its input
cannot hold (int64 past 2^53, FP32 past its range) instead of wrapping it or storing Infinity."""
import datetime
import json
import time

import numpy as np
import pandas as pd
import pytest

import ferry
import ferry.errors
import ferry.monitoring
from ferry.deployments import BINARY_AUTO_ELEMENTS
from model_fixtures import expected, register


def _model(inputs, nodes, outputs):
    import onnx
    from onnx import helper

    graph = helper.make_graph(nodes, "review", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    return model


def _int64_model():
    """y = float(x) from one [N, 2] INT64 input."""
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.INT64, [None, 2])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 2])
    return _model([x], [helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT)], [y])


def _one_d_columns_model():
    """y = 2·a + 3·b from two 1-D [N] float inputs (one per feature)."""
    from onnx import TensorProto, helper

    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [None])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [None])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None])
    two = helper.make_tensor("two", TensorProto.FLOAT, [], [2.0])
    three = helper.make_tensor("three", TensorProto.FLOAT, [], [3.0])
    nodes = [helper.make_node("Constant", [], ["k2"], value=two), helper.make_node("Constant", [], ["k3"], value=three),
             helper.make_node("Mul", ["a", "k2"], ["a2"]), helper.make_node("Mul", ["b", "k3"], ["b3"]),
             helper.make_node("Add", ["a2", "b3"], ["y"])]
    return _model([a, b], nodes, [y])


@pytest.fixture
def deploy(client, unique):
    made = []

    def _deploy(model, prefix):
        name = unique(prefix)
        answer = client.models.register_onnx(name, model)
        client.deployments.create(name, model=name, version=answer["model_version"]["version"])
        made.append(name)
        return name

    yield _deploy
    for name in made:
        client.deployments.delete(name)


def test_binary_never_truncates_values_an_integer_input_cannot_hold(client, deploy):
    name = deploy(_int64_model(), "int64")
    ints = np.array([[1, 2], [-3, 4]], dtype=np.int64)
    want = [[1.0, 2.0], [-3.0, 4.0]]
    assert client.deployments.predict(name, ints, binary=True).predictions == want
    assert client.deployments.predict(name, ints, binary=False).predictions == want
    # Whole numbers held as floats are the same numbers either way.
    assert client.deployments.predict(name, ints.astype(np.float64), binary=True).predictions == want
    for bad in ([[1.5, 2.0]], [[np.nan, 2.0]]):
        # JSON refuses these values (the server names the feature) …
        with pytest.raises(ferry.InvalidParameterError):
            client.deployments.predict(name, np.array(bad), binary=False)
    for bad in ([[1.5, 2.0]], [[np.nan, 2.0]], [[2.0**70, 1.0]], [[-1.0, np.inf]]):
        # … and binary tensors must not turn them into other integers (1.5 → 1, NaN → -2^63, 2^70 → whatever).
        with pytest.raises(ValueError, match="INT64"):
            client.deployments.predict(name, np.array(bad), binary=True)
    with pytest.raises(ValueError, match="INT64"):
        client.deployments.predict(name, np.array([[2**63, 1]], dtype=np.uint64), binary=True)


def test_json_refuses_an_integer_past_int64(client, deploy):
    name = deploy(_int64_model(), "int64-json")
    with pytest.raises(ferry.InvalidParameterError):
        client.deployments.predict(name, np.array([[2.0**70, 1.0]]), binary=False)


def test_binary_bytes_are_little_endian_and_typed_as_the_input(client, deploy):
    name = deploy(_int64_model(), "int64-be")
    big_endian = np.array([[1, 258], [65536, -1]], dtype=">i8")
    assert client.deployments.predict(name, big_endian, binary=True).predictions == [[1.0, 258.0], [65536.0, -1.0]]
    small = np.array([[7, 8]], dtype=np.int8)  # widened to INT64, value for value
    assert client.deployments.predict(name, small, binary=True).predictions == [[7.0, 8.0]]


def test_numpy_predicts_on_one_dimensional_per_column_inputs_as_json_and_as_binary(client, deploy):
    name = deploy(_one_d_columns_model(), "cols1d")
    X = np.array([[1.0, 1.0], [0.5, -2.0], [np.nan, 1.0]], dtype=np.float32)
    want = [5.0, -5.0, None]
    assert client.deployments.predict(name, X, binary=False).predictions == want
    assert client.deployments.predict(name, X, binary=True).predictions == want
    # Past the automatic threshold the same call goes as binary tensors and must still work.
    big = np.tile(X[:2], (BINARY_AUTO_ELEMENTS // 4 + 1, 1))
    auto = client.deployments.predict(name, big)
    assert auto.outputs is not None and auto.predictions[:4] == [5.0, -5.0, 5.0, -5.0] and len(auto) == len(big)


def test_a_frame_naming_a_column_twice_is_refused(client, unique):
    name = unique("dup")  # refused before any request: no deployment needed
    frame = pd.DataFrame([[1.0, 2.0]], columns=["f0", "f0"])
    with pytest.raises(ValueError, match="f0"):
        client.deployments.predict(name, frame)


@pytest.fixture
def breast_cancer(client, unique):
    name = unique("bc-review")
    client.deployments.create(name, model=name, version=register(client, "breast_cancer_logreg", name))
    yield name
    client.deployments.delete(name)


def _wait_n(client, name, n, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        perf = client.monitoring.performance(name)
        if perf["n"] >= n or time.monotonic() > deadline:
            return perf


def test_feedback_in_batches_goes_on_past_a_batch_that_matches_nothing(client, breast_cancer, unique, monkeypatch):
    X = np.array(expected("breast_cancer_logreg")["inputs"]["float_input"], dtype=np.float32)[:3]
    answer = client.deployments.predict(breast_cancer, X)
    rid = answer.request_id
    items = [{"request_id": rid, "row": 0, "label": 0}, {"request_id": rid, "row": 1, "label": 1},
             {"request_id": unique("gone"), "row": 0, "label": 1}, {"request_id": unique("gone"), "row": 0, "label": 0},
             {"request_id": rid, "row": 2, "label": 1}]
    monkeypatch.setattr(ferry.monitoring, "MAX_ITEMS", 2)  # three batches; the middle one matches nothing
    result = client.monitoring.feedback(items)
    assert result["accepted"] == 3
    assert [(u["index"], u["request_id"], u["row"]) for u in result["unknown"]] == [(2, items[2]["request_id"], 0), (3, items[3]["request_id"], 0)]
    # The last batch was sent and stored: the server counts three predictions with feedback.
    assert _wait_n(client, breast_cancer, 3)["n"] == 3
    # Nothing matching at all is still NotFoundError.
    with pytest.raises(ferry.NotFoundError):
        client.monitoring.feedback(items[2:4] + items[2:4])


def test_a_batch_refused_after_others_were_stored_says_so(client, breast_cancer, monkeypatch):
    X = np.array(expected("breast_cancer_logreg")["inputs"]["float_input"], dtype=np.float32)[:2]
    rid = client.deployments.predict(breast_cancer, X).request_id
    monkeypatch.setattr(ferry.monitoring, "MAX_ITEMS", 2)
    items = [{"request_id": rid, "row": 0, "label": 0}, {"request_id": rid, "row": 1, "label": 1},
             {"request_id": rid, "row": -1, "label": 1}]
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.monitoring.feedback(items)
    # Items 0-1 were stored before item 2's batch was refused: resending them all would count outcomes twice.
    assert e.value.accepted == 2 and e.value.first_unsent == 2
    assert "2 items" in str(e.value) and "already" in str(e.value)


def test_outcomes_in_batches_go_on_past_a_batch_that_matches_nothing(client, unique, monkeypatch):
    monkeypatch.setattr(ferry.monitoring, "MAX_ITEMS", 1)
    events = [{"unit": unique("u"), "metric": "conversion"}, {"request_id": unique("nope"), "metric": "conversion"},
              {"unit": unique("u"), "metric": "conversion"}]
    result = client.monitoring.outcomes(events)
    # Both units' events were stored (unseen units are stored all the same); the request is unknown.
    assert result["accepted"] == 2 and [u["index"] for u in result["unknown"]] == [0, 1, 2]
    assert result["unknown"][1]["request_id"] == events[1]["request_id"]


def test_dataframe_times_are_read_as_utc_like_keyword_times(client, breast_cancer):
    X = np.array(expected("breast_cancer_logreg")["inputs"]["float_input"], dtype=np.float32)[:1]
    rid = client.deployments.predict(breast_cancer, X).request_id
    sent = []
    client._t.session.hooks["response"].append(lambda r, *a, **k: sent.append(r.request.body))
    naive = datetime.datetime(2024, 1, 1, 12, 0, 0)
    epoch_ms = int(naive.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
    client.monitoring.feedback(request_id=rid, label=1, timestamp=naive)
    client.monitoring.feedback(pd.DataFrame({"request_id": [rid], "row": [0], "label": [1], "timestamp": [pd.Timestamp(naive)]}))
    aware = pd.Timestamp(naive).tz_localize("UTC").tz_convert("America/New_York")
    client.monitoring.feedback([{"request_id": rid, "row": 0, "label": 1, "timestamp": aware}])
    stamps = [json.loads(b)["feedback"][0]["timestamp"] for b in sent]
    # An ISO text without an offset would be read in the server's time zone: every form goes as the same epoch ms.
    assert stamps == [epoch_ms, epoch_ms, epoch_ms]


def test_numpy_datetimes_bound_a_report_like_datetimes(client, breast_cancer):
    X = np.array(expected("breast_cancer_logreg")["inputs"]["float_input"], dtype=np.float32)[:4]
    client.deployments.predict(breast_cancer, X)
    since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    deadline = time.monotonic() + 20
    while True:
        by_datetime = client.monitoring.quality(breast_cancer, frm=since)["features"]
        if (by_datetime and by_datetime[0]["rows"] == 4) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    as_numpy = np.datetime64(since.replace(tzinfo=None), "us")
    assert client.monitoring.quality(breast_cancer, frm=as_numpy)["features"] == by_datetime
    assert by_datetime[0]["rows"] == 4


def test_deploying_a_version_that_converts_first_outlasts_a_short_client_timeout(ferry_server, mlflow_env, unique):
    """The server answers a create once the version's conversion (a Python job: FERRY_CONVERT_WAIT_SECONDS, 300 s by
    default) and the model load are done; the client's general request timeout must not cut that wait short (the
    deployment would then be created behind the caller's back, and a retry refused as existing)."""
    import mlflow
    import mlflow.sklearn
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "c"])
    y = (X["a"] + X["b"] > 0).astype(int)
    name = unique("sk-slow")
    with mlflow.start_run():
        mlflow.sklearn.log_model(LogisticRegression().fit(X, y), name="model", registered_model_name=name, input_example=X.head(3))
    hasty = ferry.Client(ferry_server["url"], token=ferry_server["token"], timeout=1)
    started = time.monotonic()
    dep = hasty.deployments.create(name, model=name, version="1")
    try:
        assert time.monotonic() - started > 1  # the conversion job took longer than the general timeout
        assert dep["status"]["routes"][0]["state"] == "ready"
        assert hasty.deployments.predict(name, X.head(2)).model_version == "1"
    finally:
        hasty.deployments.delete(name)


def test_a_reference_file_given_as_a_path_object(client, breast_cancer, tmp_path):
    fx = expected("breast_cancer_logreg")
    cols = fx["feature_names"]
    X = np.array(fx["inputs"]["float_input"], dtype=np.float32)
    csv = tmp_path / "reference.csv"
    pd.DataFrame(X, columns=cols).to_csv(csv, index=False)
    assert client.monitoring.set_reference(breast_cancer, csv)["rows"] == len(X)
    jsonl = tmp_path / "reference.jsonl"
    pd.DataFrame(X, columns=cols).to_json(jsonl, orient="records", lines=True)
    assert client.monitoring.set_reference(breast_cancer, jsonl)["source"]["format"] == "jsonl"


def _text_and_number_model():
    """y = b from a text [N, 1] input a (unused) and a float [N, 1] input b."""
    from onnx import TensorProto, helper

    a = helper.make_tensor_value_info("a", TensorProto.STRING, [None, 1])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [None, 1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])
    return _model([a, b], [helper.make_node("Identity", ["b"], ["y"])], [y])


def test_a_large_numeric_array_for_a_model_with_a_text_input_still_predicts(client, deploy):
    name = deploy(_text_and_number_model(), "text-num")
    X = np.column_stack([np.arange(6000) % 7, np.arange(6000) / 8]).astype(np.float64)
    small = client.deployments.predict(name, X[:10])  # JSON: the numbers in 'a' are read as their text
    assert small.predictions == (X[:10, 1]).tolist()
    big = client.deployments.predict(name, X)  # past BINARY_AUTO_ELEMENTS: must not turn into a refusal
    assert big.predictions == X[:, 1].tolist()
    with pytest.raises(ValueError, match="BYTES"):
        client.deployments.predict(name, X[:10], binary=True)  # asked for explicitly: said why not


def test_binary_fields_take_numpy_scalars_as_json_does(client, breast_cancer):
    X = np.array(expected("breast_cancer_logreg")["inputs"]["float_input"], dtype=np.float32)[:2]
    fields = {"user": np.int64(7), "score": np.float32(0.5)}
    assert (client.deployments.predict(breast_cancer, X, binary=True, fields=fields).predictions
            == client.deployments.predict(breast_cancer, X, binary=False, fields=fields).predictions)


def test_text_outputs_decode_the_same_from_binary_and_json(client, deploy):
    from onnx import TensorProto, helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 2])
    label = helper.make_tensor_value_info("label", TensorProto.STRING, [None, 2])
    flag = helper.make_tensor_value_info("flag", TensorProto.BOOL, [None, 2])
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    nodes = [helper.make_node("Cast", ["x"], ["label"], to=TensorProto.STRING),
             helper.make_node("Constant", [], ["z"], value=zero), helper.make_node("Greater", ["x", "z"], ["flag"])]
    name = deploy(_model([x], nodes, [label, flag]), "text-out")
    X = np.array([[1.5, -2.0], [0.0, 1000.25], [3.0, 4.0]], dtype=np.float32)
    as_json = client.deployments.predict(name, X, binary=False)
    as_binary = client.deployments.predict(name, X, binary=True)
    assert as_binary.predictions == as_json.predictions
    assert [p["flag"] for p in as_json] == [[True, False], [False, True], [True, True]]
    assert all(isinstance(v, str) for p in as_binary for v in p["label"])
    assert as_binary.outputs["label"].shape == (3, 2) and as_binary.outputs["flag"].dtype == np.bool_


def test_a_request_id_the_server_would_replace_is_refused(client, breast_cancer):
    X = np.array(expected("breast_cancer_logreg")["inputs"]["float_input"], dtype=np.float32)[:1]
    longest = "r" * 200
    assert client.deployments.predict(breast_cancer, X, request_id=longest).request_id == longest
    assert client.deployments.predict(breast_cancer, X, request_id="order-42/β"[:8], binary=True).request_id == "order-42"
    # The server answers these under an id of its own: feedback sent later by the caller's id would match nothing.
    for bad in ("r" * 201, "order 42", "order-é", "", "id\n"):
        for binary in (False, True):
            with pytest.raises(ValueError, match="request_id"):
                client.deployments.predict(breast_cancer, X, request_id=bad, binary=binary)


def test_json_refuses_a_number_past_an_fp32_inputs_range(client, breast_cancer):
    with pytest.raises(ferry.InvalidParameterError):
        client.deployments.predict(breast_cancer, np.full((1, 30), 1e300), binary=False)


def test_a_reference_frame_keeps_text_that_looks_like_numbers(client, unique):
    """Codes such as "002" or "1e3" in a text column are categories: sent as CSV the server read them as the numbers
    2 and 1000, so identical traffic showed 100% unseen categories and drift."""
    from model_fixtures import credit_frame

    name = unique("codes")
    client.deployments.create(name, model=name, version=register(client, "credit_gbdt", name))
    try:
        ref = credit_frame("credit_train").drop(columns=["default"])
        ref["purpose"] = ref["purpose"].map({p: f"{i:03d}" for i, p in enumerate(sorted(ref["purpose"].unique()))})
        ref["home_ownership"] = np.where(np.arange(len(ref)) % 3 == 0, "1e3", np.where(np.arange(len(ref)) % 3 == 1, "NA", "TRUE"))
        assert client.monitoring.set_reference(name, ref)["source"]["format"] == "jsonl"
        top = {t["value"] for t in client.monitoring.reference(name)["columns"]["purpose"]["top"]}
        assert top == set(ref["purpose"])
        current = ref.sample(300, random_state=0)
        client.deployments.predict(name, current)
        deadline = time.monotonic() + 20
        while client.monitoring.quality(name)["features"][0]["rows"] < len(current) and time.monotonic() < deadline:
            time.sleep(0.2)
        quality = client.monitoring.quality(name).to_frame().set_index("name")
        assert quality.loc["purpose", "unseen_categories"] == 0 and quality.loc["home_ownership", "unseen_categories"] == 0
        drift = client.monitoring.drift(name).to_frame().set_index("feature")
        assert not drift.loc["purpose", "drifted"] and not drift.loc["home_ownership", "drifted"]
    finally:
        client.deployments.delete(name)


def test_a_reference_frame_too_large_says_what_to_do(client, breast_cancer):
    fx = expected("breast_cancer_logreg")
    X = np.tile(np.array(fx["inputs"]["float_input"]), (3000, 1))  # ~ 4 MiB of CSV
    with pytest.raises(ferry.errors.PayloadTooLargeError) as e:
        client.monitoring.set_reference(breast_cancer, pd.DataFrame(X, columns=fx["feature_names"]))
    assert "dataset=" in str(e.value) and "MiB" in str(e.value)
