"""Model registry through the unmodified mlflow client, with a real ONNX model."""
import mlflow
import mlflow.onnx
import numpy as np
import onnx
import onnxruntime as ort
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from skl2onnx import convert_sklearn
from skl2onnx.common.data_types import FloatTensorType
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

N_FEATURES = 6


@pytest.fixture(scope="module")
def onnx_model():
    X, y = make_classification(n_samples=200, n_features=N_FEATURES, random_state=0)
    X = X.astype(np.float32)
    clf = LogisticRegression(max_iter=200).fit(X, y)
    # zipmap off: probabilities come back as a plain tensor that is easy to compare.
    model = convert_sklearn(clf, initial_types=[("input", FloatTensorType([None, N_FEATURES]))],
                            options={id(clf): {"zipmap": False}})
    return model, X[:20]


def predict(model: onnx.ModelProto, X):
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, {"input": X})


def log_onnx(model, name=None, registered_model_name=None):
    with mlflow.start_run() as run:
        mlflow.log_param("algo", "logreg")
        info = mlflow.onnx.log_model(model, name="model", registered_model_name=registered_model_name,
                                     input_example=None)
    return run, info


def test_log_register_alias_and_load(onnx_model, unique):
    model, X = onnx_model
    name = unique("clf")
    mlflow.set_experiment(unique("reg"))
    run, info = log_onnx(model, registered_model_name=name)
    client = MlflowClient()
    assert str(info.registered_model_version) == "1"  # a string over REST, as with mlflow server
    mv = client.get_model_version(name, "1")
    assert mv.run_id == run.info.run_id and mv.status == "READY"
    client.set_registered_model_alias(name, "champion", "1")
    assert client.get_model_version_by_alias(name, "champion").version == "1"
    assert client.get_registered_model(name).aliases == {"champion": "1"}

    loaded = mlflow.onnx.load_model(f"models:/{name}@champion")
    assert loaded.graph == model.graph
    for got, want in zip(predict(loaded, X), predict(model, X)):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    # The other URI spellings reach the same model.
    assert mlflow.onnx.load_model(f"models:/{name}/1").graph == model.graph
    assert mlflow.onnx.load_model(info.model_uri).graph == model.graph
    pyfunc = mlflow.pyfunc.load_model(f"models:/{name}@champion")
    np.testing.assert_allclose(pyfunc.predict({"input": X})["probabilities"], predict(model, X)[1], rtol=1e-6)


def test_register_from_run_uri(onnx_model, unique):
    model, X = onnx_model
    name = unique("runs-uri")
    mlflow.set_experiment(unique("reg"))
    run, _ = log_onnx(model)
    mv1 = mlflow.register_model(f"runs:/{run.info.run_id}/model", name, tags={"origin": "runs-uri"})
    mv2 = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
    assert (mv1.version, mv2.version) == ("1", "2")
    assert mv1.tags == {"origin": "runs-uri"}
    loaded = mlflow.onnx.load_model(f"models:/{name}/2")
    np.testing.assert_array_equal(predict(loaded, X)[0], predict(model, X)[0])


def test_registered_models_crud_search_tags(unique):
    client = MlflowClient()
    prefix = unique("crud")
    a, b = f"{prefix}-a", f"{prefix}-b"
    client.create_registered_model(a, tags={"team": "risk"}, description="first")
    client.create_registered_model(b)
    with pytest.raises(MlflowException) as exc:
        client.create_registered_model(a)
    assert exc.value.error_code == "RESOURCE_ALREADY_EXISTS"
    got = client.get_registered_model(a)
    assert got.tags == {"team": "risk"} and got.description == "first"
    client.set_registered_model_tag(b, "team", "growth")
    client.update_registered_model(b, description="second")
    found = client.search_registered_models(filter_string=f"name LIKE '{prefix}%'", order_by=["name DESC"])
    assert [m.name for m in found] == [b, a]
    assert [m.name for m in client.search_registered_models(f"name = '{a}'")] == [a]
    assert [m.name for m in client.search_registered_models("tags.team = 'growth'") if m.name.startswith(prefix)] == [b]
    page1 = client.search_registered_models(f"name LIKE '{prefix}%'", max_results=1)
    assert len(page1) == 1 and page1.token
    page2 = client.search_registered_models(f"name LIKE '{prefix}%'", max_results=1, page_token=page1.token)
    assert {page1[0].name, page2[0].name} == {a, b}
    client.delete_registered_model_tag(a, "team")
    assert client.get_registered_model(a).tags == {}


def test_versions_tags_stages_rename_delete(onnx_model, unique):
    model, _ = onnx_model
    client = MlflowClient()
    name = unique("life")
    mlflow.set_experiment(unique("reg"))
    run, _ = log_onnx(model, registered_model_name=name)
    log_onnx(model, registered_model_name=name)
    versions = client.search_model_versions(f"name = '{name}'")
    assert sorted(int(v.version) for v in versions) == [1, 2]
    assert [v.version for v in client.search_model_versions(f"run_id = '{run.info.run_id}'")] == ["1"]

    client.set_model_version_tag(name, "1", "validated", "yes")
    client.update_model_version(name, "1", description="baseline")
    v1 = client.get_model_version(name, "1")
    assert v1.tags == {"validated": "yes"} and v1.description == "baseline"
    client.delete_model_version_tag(name, "1", "validated")
    assert client.get_model_version(name, "1").tags == {}

    # Stages are deprecated in mlflow 3 but still part of the API the client calls.
    with pytest.warns(FutureWarning, match="stages"):
        client.transition_model_version_stage(name, "1", "Production")
        client.transition_model_version_stage(name, "2", "Production", archive_existing_versions=True)
        latest = client.get_latest_versions(name, stages=["Production"])
    assert client.get_model_version(name, "1").current_stage == "Archived"
    assert client.get_model_version(name, "2").current_stage == "Production"
    assert [v.version for v in latest] == ["2"]

    client.set_registered_model_alias(name, "prod", "2")
    new = name + "-renamed"
    client.rename_registered_model(name, new)
    with pytest.raises(MlflowException) as exc:
        client.get_registered_model(name)
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert client.get_model_version_by_alias(new, "prod").version == "2"
    assert client.get_model_version(new, "1").name == new

    client.delete_registered_model_alias(new, "prod")
    with pytest.raises(MlflowException):
        client.get_model_version_by_alias(new, "prod")
    client.delete_model_version(new, "1")
    assert [v.version for v in client.search_model_versions(f"name = '{new}'")] == ["2"]
    client.delete_registered_model(new)
    with pytest.raises(MlflowException) as exc:
        client.get_model_version(new, "2")
    assert exc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
