"""Authentication and authorisation as the mlflow client experiences them."""
import mlflow
import pytest
import requests
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


def make_token(admin_api, unique, role):
    r = admin_api("POST", "/api/v1/tokens", json={"name": unique(role), "role": role})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def use_token(monkeypatch, token):
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", token)


def test_wrong_token_is_a_clear_auth_error(monkeypatch):
    use_token(monkeypatch, "fry_definitely_not_a_real_token_123456")
    with pytest.raises(MlflowException) as exc:
        MlflowClient().search_experiments()
    assert exc.value.error_code == "UNAUTHENTICATED"
    assert exc.value.get_http_status_code() == 401
    msg = str(exc.value).lower()  # e.g. "UNAUTHENTICATED: Invalid credentials: ..."
    assert "auth" in msg and "credentials" in msg


def test_missing_token_is_401(ferry_server, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN")
    with pytest.raises(MlflowException) as exc:
        MlflowClient().create_experiment("never-created")
    assert exc.value.error_code == "UNAUTHENTICATED"
    assert "authentication required" in str(exc.value).lower()
    r = requests.get(f"{ferry_server['url']}/api/2.0/mlflow/experiments/search", timeout=10)
    assert r.status_code == 401
    assert "Bearer" in r.headers.get("www-authenticate", "")
    assert r.json()["error_code"] == "UNAUTHENTICATED"
    # The artifact proxy is guarded too, not just the JSON API.
    r = requests.get(f"{ferry_server['url']}/api/2.0/mlflow-artifacts/artifacts/0", timeout=10)
    assert r.status_code == 401


def test_viewer_reads_but_cannot_write(admin_api, unique, monkeypatch, tmp_path):
    client = MlflowClient()
    eid = client.create_experiment(unique("viewer-exp"))
    run = client.create_run(eid)
    use_token(monkeypatch, make_token(admin_api, unique, "viewer"))
    assert client.get_experiment(eid).experiment_id == eid
    assert client.get_run(run.info.run_id).info.run_id == run.info.run_id
    writes = [
        lambda: client.create_experiment(unique("nope")),
        lambda: client.log_param(run.info.run_id, "p", "v"),
        lambda: client.set_tag(run.info.run_id, "t", "v"),
        lambda: client.create_registered_model(unique("nope")),
    ]
    for write in writes:
        with pytest.raises(MlflowException) as exc:
            write()
        assert exc.value.error_code == "PERMISSION_DENIED"
        assert exc.value.get_http_status_code() == 403
        assert "viewer" in str(exc.value)
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(Exception) as exc:  # the artifact repo raises its own error type
        client.log_artifact(run.info.run_id, str(tmp_path / "f.txt"))
    assert "403" in str(exc.value) or "PERMISSION_DENIED" in str(exc.value)
    assert client.get_run(run.info.run_id).data.params == {}


def test_editor_writes_but_is_not_admin(admin_api, unique, monkeypatch, ferry_server):
    token = make_token(admin_api, unique, "editor")
    use_token(monkeypatch, token)
    mlflow.set_experiment(unique("editor-exp"))
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0)
    assert MlflowClient().get_run(run.info.run_id).data.metrics == {"m": 1.0}
    r = requests.post(f"{ferry_server['url']}/api/v1/tokens", json={"name": "x", "role": "admin"},
                      headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert r.status_code == 403 and r.json()["code"] == "PERMISSION_DENIED"  # native API: problem+json


def test_basic_auth_with_user_password(admin_api, unique, monkeypatch):
    username = unique("alice")
    r = admin_api("POST", "/api/v1/users", json={"username": username, "role": "editor"})
    assert r.status_code == 200, r.text
    password = r.json()["password"]
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN")
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", username)
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", password)
    mlflow.set_experiment(unique("basic-exp"))
    with mlflow.start_run() as run:
        mlflow.log_param("who", "alice")
        mlflow.log_text("hi", "hello.txt")
    got = MlflowClient().get_run(run.info.run_id)
    assert got.data.params == {"who": "alice"}
    # The client sends its own user_id; the audit log is where the authenticated user shows.
    audit = admin_api("GET", "/api/v1/audit", params={"actor": username}).json()["entries"]
    assert any(e["path"] == "/api/2.0/mlflow/runs/log-parameter" for e in audit)
    assert mlflow.artifacts.load_text(f"runs:/{run.info.run_id}/hello.txt") == "hi"

    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", password + "x")
    with pytest.raises(MlflowException) as exc:
        MlflowClient().search_experiments()
    assert exc.value.error_code == "UNAUTHENTICATED"


def test_basic_auth_with_token_as_password(admin_api, unique, monkeypatch):
    token = make_token(admin_api, unique, "viewer")
    monkeypatch.delenv("MLFLOW_TRACKING_TOKEN")
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "anything")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", token)
    assert MlflowClient().search_experiments(max_results=1) is not None
    with pytest.raises(MlflowException) as exc:
        MlflowClient().create_experiment(unique("nope"))
    assert exc.value.error_code == "PERMISSION_DENIED"
