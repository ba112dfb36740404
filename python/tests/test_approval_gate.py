"""An approval gate on @production as the unmodified mlflow client meets it: set_registered_model_alias is refused
(403 PERMISSION_DENIED naming the unmet conditions) while a check fails and while only the version's author
approved, allowed after an independent approval; the audit log shows each step."""
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException


def make_token(admin_api, name, role):
    r = admin_api("POST", "/api/v1/tokens", json={"name": name, "role": role})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def test_alias_move_waits_for_checks_and_an_independent_approval(ferry_server, admin_api, unique, monkeypatch):
    import requests

    alice_name, bob_name = unique("alice"), unique("bob")
    alice = make_token(admin_api, alice_name, "editor")
    bob = make_token(admin_api, bob_name, "admin")
    base = ferry_server["url"]

    def as_user(token):
        monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", token)
        return MlflowClient()

    def approve(token, name, decision="approve", comment=""):
        r = requests.post(f"{base}/api/v1/models/{name}/versions/1/approvals", timeout=30,
                          headers={"Authorization": f"Bearer {token}"},
                          json={"alias": "production", "decision": decision, "comment": comment})
        assert r.status_code == 201, r.text
        return r.json()

    # alice trains and registers version 1 with an accuracy below the policy's threshold.
    client = as_user(alice)
    name = unique("credit")
    exp = client.create_experiment(unique("gate"))
    run = client.create_run(exp)
    client.log_metric(run.info.run_id, "accuracy", 0.82)
    client.create_registered_model(name)
    mv = client.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    assert mv.version == "1" and mv.user_id == alice_name

    r = admin_api("PUT", f"/api/v1/models/{name}/policies/production", json={
        "checks": [{"kind": "metric", "metric": "accuracy", "op": ">=", "threshold": 0.9}],
        "required_approvals": 1, "roles": ["admin"]})
    assert r.status_code == 200, r.text

    # 1. A check fails: even an admin cannot move the alias.
    with pytest.raises(MlflowException) as exc:
        as_user(bob).set_registered_model_alias(name, "production", "1")
    assert exc.value.error_code == "PERMISSION_DENIED"
    assert exc.value.get_http_status_code() == 403
    assert "accuracy = 0.82" in exc.value.message and "is not at least 0.9" in exc.value.message

    # 2. The check passes, but only the author approved: still refused, and the refusal says why.
    as_user(alice).log_metric(run.info.run_id, "accuracy", 0.94, step=1)
    own = approve(alice, name, comment="my model is fine")
    assert own["approval"]["counts"] is False and "author" in own["approval"]["note"]
    with pytest.raises(MlflowException) as exc:
        as_user(alice).set_registered_model_alias(name, "production", "1")
    assert exc.value.error_code == "PERMISSION_DENIED"
    assert "1 more independent approval" in exc.value.message and f"{alice_name} did not count" in exc.value.message
    with pytest.raises(MlflowException):
        as_user(bob).get_model_version_by_alias(name, "production")

    # 3. An independent admin approves: the author's client may now move the alias.
    ok = approve(bob, name, comment="reviewed the evaluation")
    assert ok["approval"]["counts"] is True and ok["gate"]["satisfied"] is True
    as_user(alice).set_registered_model_alias(name, "production", "1")
    assert as_user(bob).get_model_version_by_alias(name, "production").version == "1"

    # The audit log, oldest first: each refusal, each approval, the move — with who and the status.
    entries = admin_api("GET", "/api/v1/audit?limit=1000").json()["entries"]
    mine = [e for e in reversed(entries) if e["action"].startswith("gate.") and name in e["path"]]
    assert [(e["action"], e["actor"], e["status"]) for e in mine] == [
        ("gate.policy_set", "admin", 200),
        ("gate.alias_refused", bob_name, 403),
        ("gate.approval", alice_name, 201),
        ("gate.alias_refused", alice_name, 403),
        ("gate.approval", bob_name, 201),
        ("gate.alias_moved", alice_name, 200),
    ]
    http = [(e["actor"], e["status"]) for e in reversed(entries) if e["action"] == "POST /api/2.0/mlflow/registered-models/alias"]
    assert (bob_name, 403) in http and (alice_name, 403) in http and (alice_name, 200) in http
    # The gate's own record keeps the reason of each refusal.
    events = admin_api("GET", f"/api/v1/models/{name}/gate-events?alias=production").json()["events"]
    refused = [e for e in events if e["kind"] == "alias_refused"]
    assert len(refused) == 2 and all(e["evidence"]["gate"]["satisfied"] is False for e in refused)
