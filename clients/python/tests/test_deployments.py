"""client.deployments against a real server: the committed ONNX fixtures registered through the client, deployed,
predicted on in every input shape (records, columns, DataFrame, numpy as JSON and as v2 binary tensors), canary
weights, shadow, revisions, rollback, a version logged with mlflow (ONNX by alias; sklearn converted with
client.models.convert, and a conversion that fails), and the errors."""
import time

import numpy as np
import pytest

import ferry
from ferry.deployments import BINARY_AUTO_ELEMENTS
from model_fixtures import credit_frame, expected, register


@pytest.fixture
def breast_cancer(client, unique):
    """A deployment of the breast-cancer pipeline (one [N, 30] float input); yields (name, expected fixture)."""
    name = unique("bc")
    version = register(client, "breast_cancer_logreg", name)
    client.deployments.create(name, model=name, version=version)
    yield name, expected("breast_cancer_logreg")
    client.deployments.delete(name)


@pytest.fixture
def credit(client, unique):
    """The credit model (one input per column, two of them text) with versions 1 and 2, deployed at 1."""
    name = unique("credit")
    v1 = register(client, "credit_gbdt", name)
    v2 = register(client, "credit_gbdt_v2", name)
    assert (v1, v2) == ("1", "2")
    client.deployments.create(name, model=name, version=v1)
    yield name
    client.deployments.delete(name)


def _matrix(fixture):
    return np.array(fixture["inputs"]["float_input"], dtype=np.float32)


def test_predict_numpy_json_and_binary_agree_with_onnxruntime(client, breast_cancer):
    name, fx = breast_cancer
    X = _matrix(fx)
    as_json = client.deployments.predict(name, X, binary=False)
    as_binary = client.deployments.predict(name, X, binary=True)
    assert as_json.predictions == as_binary.predictions
    # The tensor by input name, as a dict, is the same request.
    assert client.deployments.predict(name, {"float_input": X}, binary=True).predictions == as_json.predictions
    assert as_json.model_version == as_binary.model_version == "1"
    assert as_json.request_id and as_binary.request_id and as_json.request_id != as_binary.request_id
    # The binary answer keeps the tensors as numpy arrays, typed as the model declares them.
    assert as_binary.outputs["label"].dtype == np.int64 and as_binary.outputs["probabilities"].shape == (len(X), 2)
    assert [p["label"] for p in as_json] == fx["outputs"]["label"]
    np.testing.assert_allclose([p["probabilities"] for p in as_json], fx["outputs"]["probabilities"], rtol=1e-5, atol=1e-5)
    frame = as_json.to_frame()
    assert list(frame.columns) == ["label", "probabilities[0]", "probabilities[1]"] and len(frame) == len(X)


def test_binary_is_chosen_automatically_for_large_arrays(client, breast_cancer):
    name, fx = breast_cancer
    rows = BINARY_AUTO_ELEMENTS // 30 + 1
    X = np.tile(_matrix(fx), (rows // 20 + 1, 1))[:rows]
    auto = client.deployments.predict(name, X)
    assert auto.outputs is not None  # answered as binary tensors
    small = client.deployments.predict(name, X[:5])
    assert small.outputs is None and small.predictions == auto.predictions[:5]


def test_predict_records_columns_and_dataframe_give_the_same_answer(client, credit):
    df = credit_frame().head(25)
    features = [c for c in df.columns if c != "default"]
    df = df[features]
    by_frame = client.deployments.predict(credit, df)
    by_records = client.deployments.predict(credit, df.to_dict("records"))
    by_columns = client.deployments.predict(credit, {c: df[c] for c in features})
    assert by_frame.predictions == by_records.predictions == by_columns.predictions
    assert len(by_frame) == 25 and by_frame.deployment == credit and by_frame.revision == 1
    # NaN in the frame went as null (a missing number), not refused.
    assert df.isna().any().any()


def test_request_id_is_the_callers_when_given(client, breast_cancer, unique):
    name, fx = breast_cancer
    rid = unique("req")
    assert client.deployments.predict(name, _matrix(fx)[:2], request_id=rid).request_id == rid
    assert client.deployments.predict(name, _matrix(fx)[:2], request_id=rid + "b", binary=True).request_id == rid + "b"


def test_canary_weights_shadow_revisions_and_rollback(client, credit):
    dep = client.deployments.update(credit, weights={"1": 90, "2": 10})
    assert dep["revision"] == 2
    assert [(r["version"], r["weight"]) for r in dep["spec"]["routes"]] == [("1", 90), ("2", 10)]
    # Both versions answer some of the traffic (10% of 200 single-row requests: P(no v2) ≈ 7e-10).
    row = credit_frame().drop(columns=["default"]).head(1)
    served = {client.deployments.predict(credit, row).model_version for _ in range(200)}
    assert served == {"1", "2"}

    dep = client.deployments.shadow(credit, "2")
    assert dep["revision"] == 3 and dep["spec"]["shadow"] == [{"model": credit, "version": "2"}]
    assert len(dep["spec"]["routes"]) == 2  # the split stayed

    dep = client.deployments.update(credit, weights={"1": 100}, shadow=[])
    assert dep["revision"] == 4 and dep["spec"]["shadow"] == [] and len(dep["spec"]["routes"]) == 1

    revs = client.deployments.revisions(credit)
    assert [r["revision"] for r in revs] == [4, 3, 2, 1]
    back = client.deployments.rollback(credit)  # to the one before: 3 (canary + shadow)
    assert back["revision"] == 5 and back["spec"]["shadow"] == [{"model": credit, "version": "2"}]
    back = client.deployments.rollback(credit, revision=1)
    assert back["revision"] == 6 and [r["version"] for r in back["spec"]["routes"]] == ["1"] and back["spec"]["shadow"] == []
    assert client.deployments.revisions(credit)[0]["comment"] == "rollback to revision 1"


def test_get_and_list(client, credit):
    got = client.deployments.get(credit)
    assert got["name"] == credit and got["status"]["routes"][0]["state"] == "ready"
    assert credit in {d["name"] for d in client.deployments.list()}


def test_missing_deployment_raises_not_found(client, unique):
    with pytest.raises(ferry.NotFoundError) as e:
        client.deployments.get(unique("nope"))
    assert e.value.code == "RESOURCE_DOES_NOT_EXIST" and e.value.status == 404
    with pytest.raises(ferry.NotFoundError):
        client.deployments.predict(unique("nope"), [{"a": 1}])


def test_bad_input_raises_invalid_parameter_naming_the_field(client, credit, breast_cancer):
    row = credit_frame().drop(columns=["default"]).head(1).to_dict("records")[0]
    row["income"] = "lots"
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.deployments.predict(credit, [row])
    assert e.value.field == "income" and e.value.status == 400
    name, _ = breast_cancer
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.deployments.predict(name, np.zeros((2, 29), dtype=np.float32), binary=True)
    assert e.value.status == 400
    with pytest.raises(ferry.InvalidParameterError) as e:
        client.deployments.create(credit + "-x", model=credit, version="99")
    assert e.value.field is not None


def test_client_side_refusals(client, breast_cancer):
    name, _ = breast_cancer
    with pytest.raises(ValueError, match="infinity"):
        client.deployments.predict(name, np.full((1, 30), np.inf))
    with pytest.raises(ValueError, match="2-D"):
        client.deployments.predict(name, np.zeros(30))
    with pytest.raises(ValueError, match="nothing to change"):
        client.deployments.update(name)
    with pytest.raises(ValueError, match="not both"):
        client.deployments.update(name, weights={"1": 1}, routes=[])


def test_a_version_logged_with_mlflow_deploys_by_alias_and_follows_it(client, mlflow_env, unique):
    import mlflow
    import mlflow.onnx
    import onnx
    from mlflow import MlflowClient

    from model_fixtures import MODELS

    name = unique("mlflow-bc")
    for _ in range(2):
        with mlflow.start_run():
            mlflow.onnx.log_model(onnx.load(str(MODELS / "breast_cancer_logreg.onnx")), name="model", registered_model_name=name)
    MlflowClient().set_registered_model_alias(name, "champion", "1")
    dep = client.deployments.create(name, model=name, alias="champion")
    try:
        assert dep["status"]["routes"][0]["version"] == "1"
        X = _matrix(expected("breast_cancer_logreg"))[:3]
        assert client.deployments.predict(name, X).model_version == "1"
        MlflowClient().set_registered_model_alias(name, "champion", "2")
        deadline = time.monotonic() + 20
        while client.deployments.predict(name, X).model_version != "2" and time.monotonic() < deadline:
            time.sleep(0.2)
        assert client.deployments.predict(name, X).model_version == "2"
        # Traffic weights may name aliases too ("@alias").
        dep = client.deployments.update(name, weights={"@champion": 50, "1": 50})
        assert dep["spec"]["routes"] == [{"model": name, "alias": "champion", "weight": 50}, {"model": name, "version": "1", "weight": 50}]
    finally:
        client.deployments.delete(name)


def test_shadow_answers_are_logged_not_returned(client, credit):
    client.deployments.shadow(credit, "2")
    rows = credit_frame().drop(columns=["default"]).head(4)
    answer = client.deployments.predict(credit, rows)
    assert answer.model_version == "1"
    deadline = time.monotonic() + 20
    while True:
        shadow = [p for p in client.monitoring.predictions(credit, route="shadow") if p["request_id"] == answer.request_id]
        if len(shadow) == 4 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(shadow) == 4 and {p["model_version"] for p in shadow} == {"2"}
    assert client.deployments.shadow(credit, None)["spec"]["shadow"] == []


def test_a_sklearn_version_converts_then_deploys(client, mlflow_env, unique, capsys):
    import mlflow
    import mlflow.sklearn
    from sklearn.linear_model import LogisticRegression

    df = credit_frame("credit_train")
    cols = ["income", "debt_ratio", "credit_lines", "months_employed"]
    df = df.dropna(subset=cols)
    X, y = df[cols].astype(float), df["default"]
    clf = LogisticRegression(max_iter=1000).fit(X, y)
    name = unique("sk")
    with mlflow.start_run():
        mlflow.sklearn.log_model(clf, name="model", registered_model_name=name, input_example=X.head(5))
    conv = client.models.convert(name, "1", timeout=300)
    assert conv["state"] == "succeeded" and conv["flavor"] == "sklearn" and conv["check"]["passed"] is True
    assert "ferry: converting " + name in capsys.readouterr().err
    assert client.models.conversion(name, "1")["state"] == "succeeded"
    # force converts again; a wait shorter than the job raises TimeoutExpiredError and leaves it running, and
    # asking again (without force) waits for the one under way.
    with pytest.raises(ferry.TimeoutExpiredError):
        client.models.convert(name, "1", force=True, timeout=0)
    again = client.models.convert(name, "1", timeout=300)
    assert again["state"] == "succeeded" and again["job_id"] != conv["job_id"]
    client.deployments.create(name, model=name, version="1")
    try:
        got = client.deployments.predict(name, X.head(20))
        labels = [p["label"] if isinstance(p, dict) else p for p in got.predictions]
        assert labels == clf.predict(X.head(20)).tolist()
    finally:
        client.deployments.delete(name)


def test_a_conversion_that_fails_raises_with_step_and_estimator(client, mlflow_env, unique):
    import mlflow
    import mlflow.sklearn
    from sklearn.kernel_ridge import KernelRidge

    from ferry.models import ConversionFailedError

    df = credit_frame("credit_train").dropna().head(200)
    X = df[["income", "debt_ratio"]].astype(float)
    name = unique("sk-bad")
    with mlflow.start_run():
        mlflow.sklearn.log_model(KernelRidge().fit(X, df["default"]), name="model", registered_model_name=name, input_example=X.head(3))
    with pytest.raises(ConversionFailedError) as e:
        client.models.convert(name, "1", timeout=300)
    assert e.value.code == "CONVERSION_FAILED" and e.value.step == "convert" and "KernelRidge" in (e.value.estimator or "")
    assert isinstance(e.value, ferry.FerryError) and "KernelRidge" in str(e.value)
    with pytest.raises(ferry.NotFoundError):
        client.models.conversion(unique("nope"), "1")


def _two_column_model():
    """y = 2·a + 3·b from two [N, 1] float inputs (one input per feature): an ONNX graph built by hand."""
    import onnx
    from onnx import TensorProto, helper

    a = helper.make_tensor_value_info("a", TensorProto.FLOAT, [None, 1])
    b = helper.make_tensor_value_info("b", TensorProto.FLOAT, [None, 1])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 1])
    w = helper.make_tensor("w", TensorProto.FLOAT, [2, 1], [2.0, 3.0])
    graph = helper.make_graph([helper.make_node("Concat", ["a", "b"], ["ab"], axis=1), helper.make_node("MatMul", ["ab", "w"], ["y"])],
                              "two_columns", [a, b], [y], initializer=[w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)  # what onnxruntime-node reads
    onnx.checker.check_model(model)
    return model


def test_per_column_inputs_as_binary_from_an_array_or_a_frame(client, unique):
    import pandas as pd

    name = unique("cols")
    answer = client.models.register_onnx(name, _two_column_model())
    assert answer["signature"]["layout"] == "per-column"
    client.deployments.create(name, model=name, version=answer["model_version"]["version"])
    try:
        X = np.array([[1.0, 1.0], [0.5, -2.0], [np.nan, 1.0]], dtype=np.float32)
        want = [5.0, -5.0, None]  # NaN in → NaN out → null
        assert client.deployments.predict(name, X, binary=True).predictions == want
        assert client.deployments.predict(name, X, binary=False).predictions == want
        frame = pd.DataFrame({"b": X[:, 1], "a": X[:, 0]})  # by name, whatever the column order
        assert client.deployments.predict(name, frame, binary=True).predictions == want
        assert client.deployments.predict(name, frame).predictions == want
        # pandas' nullable dtypes: pd.NA goes as null like NaN.
        nullable = pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": pd.array([1.0, 2.0], dtype="Float64")})
        assert client.deployments.predict(name, nullable).predictions == [5.0, None]
    finally:
        client.deployments.delete(name)
