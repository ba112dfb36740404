"""client.alerts against a real server (the destination list is server-wide: set, then put back): rules
on a real deployment's request rate, an evaluation that fires them, a signed webhook received by a local HTTP
server, silences, notifiers and destinations, the history read across pages; and each refusal as its exception."""
import datetime
import hashlib
import hmac
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

import ferry
from ferry.errors import AlreadyExistsError, InvalidParameterError, NotFoundError, PermissionDeniedError

from credit_models import credit_rows, deploy, predict, register_credit_versions

SECRET = "a-webhook-secret-of-some-length"


@pytest.fixture(scope="module")
def server(ferry_server):
    """The session's server, with a registered credit model to deploy. (Not a server of its own: on PostgreSQL
    every server of the suite shares one store, where a second server's admin token is not the admin's.)"""
    import mlflow

    model = f"credit-alerts-{uuid.uuid4().hex[:8]}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_TOKEN", ferry_server["token"])
        mlflow.set_tracking_uri(ferry_server["url"])
        mlflow.set_registry_uri(ferry_server["url"])
        mlflow.set_experiment(model)
        register_credit_versions(model, ("credit_gbdt.onnx",))
    return {**ferry_server, "model": model}


@pytest.fixture
def alerts(server):
    return ferry.Client(server["url"], token=server["token"]).alerts


@pytest.fixture
def deployment(server, unique):
    c = ferry.Client(server["url"], token=server["token"])
    name = unique("dep")
    deploy(c, name, server["model"], versions=("1",))
    predict(c, name, credit_rows(1)[0])  # some traffic: its request rate is then above 0
    return name


def evaluate_until(alerts, deployment, rule_ids, state):
    """Evaluations until every rule's alert is in ``state`` (a prediction reaches the log within a moment). The
    state is read, not the evaluation's transitions: on a shared PostgreSQL store the session's server evaluates
    the same rules in the background and may be the one that moves them."""
    deadline = time.monotonic() + 30
    while True:
        alerts.evaluate()
        states = {a["rule_id"]: a for a in alerts.list(deployment=deployment, state="all")}
        if all(states[r]["state"] == state for r in rule_ids):
            return states
        assert time.monotonic() < deadline, f"rules did not reach {state}: {states}"
        time.sleep(0.5)


def wait_for(what, probe, timeout_s=20):
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 that keeps what it is sent."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", got
    httpd.shutdown()
    httpd.server_close()


def test_rules_fire_notify_and_silence(alerts, deployment, receiver, unique):
    rule = alerts.create_rule(unique("busy"), deployment, "request_rate", ">", 1e6, window="1m", severity="critical", labels={"team": "risk"})
    assert rule["for"] == "0s" and rule["window"] == "1m" and rule["labels"] == {"team": "risk"} and rule["enabled"] is True
    assert alerts.get_rule(rule["name"])["id"] == rule["id"] == alerts.get_rule(rule["id"])["id"]
    assert [r["id"] for r in alerts.rules(deployment=deployment)] == [rule["id"]]
    evaluation = alerts.evaluate()
    assert evaluation["rules"] >= 1 and evaluation["evaluated_at"] > 0
    assert [t for t in evaluation["transitions"] if t["rule_id"] == rule["id"]] == []  # nowhere near a million a second
    changed = alerts.update_rule(rule["name"], for_="0s", keep_firing_for="1m30s", threshold=0)
    assert changed["threshold"] == 0 and changed["keep_firing_for"] == "1m30s" and changed["severity"] == "critical"

    before = alerts.destinations()
    try:
        _fire_notify_and_silence(alerts, deployment, receiver, unique, rule)
    finally:
        alerts.set_destinations(**before)
    assert alerts.destinations() == before


def _fire_notify_and_silence(alerts, deployment, receiver, unique, rule):
    url, got = receiver
    alerts.set_destinations(allow=["127.0.0.1"])
    assert alerts.destinations() == {"allow": ["127.0.0.1"], "deny": [], "allow_only": False}
    hook = alerts.create_notifier(unique("hook"), url, kind="webhook", secret=SECRET)
    assert hook["has_secret"] is True and "secret" not in hook and hook["kind"] == "webhook"
    assert alerts.get_notifier(hook["name"])["id"] == hook["id"]
    assert hook["id"] in {n["id"] for n in alerts.notifiers()}

    states = evaluate_until(alerts, deployment, [rule["id"]], "firing")
    assert states[rule["id"]]["value"] > 0 and states[rule["id"]]["firing_since"] is not None
    assert [e["event"] for e in alerts.history(rule=rule["id"])] == ["firing"]
    headers, body = wait_for("the webhook", lambda: next(((h, b) for h, b in got if json.loads(b)["deployment"] == deployment), None))
    expected = "sha256=" + hmac.new(SECRET.encode(), headers["x-ferry-timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["x-ferry-signature"] == expected
    assert [a["rule"] for a in json.loads(body)["alerts"]] == [rule["name"]]
    firing = alerts.list(deployment=deployment)
    assert [(a["rule_id"], a["state"]) for a in firing] == [(rule["id"], "firing")]
    assert alerts.list(deployment=deployment, state="inactive") == []
    assert any(n["deployment"] == deployment and n["status"] == "sent" for n in alerts.notifications(deployment=deployment, since="1h"))

    # A silence on the deployment: a new rule that fires there is recorded as silenced, not sent.
    silence = alerts.silence([f"deployment={deployment}", {"name": "severity", "value": "warn.*", "is_regex": True}],
                             duration="1h", comment="migration")
    assert silence["status"] == "active" and silence["comment"] == "migration"
    assert silence["matchers"][1] == {"name": "severity", "value": "warn.*", "is_regex": True}
    assert alerts.get_silence(silence["id"])["id"] == silence["id"]
    assert silence["id"] in {s["id"] for s in alerts.silences()}
    quiet = alerts.create_rule(unique("busy2"), deployment, "request_rate", ">", 0, severity="warning")
    evaluate_until(alerts, deployment, [quiet["id"]], "firing")
    wait_for("the silenced record", lambda: [n for n in alerts.notifications(deployment=deployment) if n["status"] == "silenced"])
    assert [json.loads(b)["deployment"] for _, b in got].count(deployment) == 1  # nothing more was sent
    now = datetime.datetime.now(datetime.timezone.utc)
    later = alerts.silence(f"deployment={deployment}", starts_at=now.replace(tzinfo=None) + datetime.timedelta(hours=1),  # naive: UTC
                           ends_at=now + datetime.timedelta(hours=2))
    assert later["status"] == "pending" and later["ends_at"] - later["starts_at"] == pytest.approx(3600_000, abs=2000)
    alerts.expire_silence(later["id"])
    expired = alerts.expire_silence(silence["id"])
    assert expired["status"] == "expired"
    assert silence["id"] not in {s["id"] for s in alerts.silences()}
    assert silence["id"] in {s["id"] for s in alerts.silences(all=True)}

    assert alerts.update_notifier(hook["name"], enabled=False)["enabled"] is False
    alerts.delete_notifier(hook["id"])
    with pytest.raises(NotFoundError):
        alerts.get_notifier(hook["id"])
    for r in (rule, quiet):
        alerts.delete_rule(r["id"])
    assert alerts.rules(deployment=deployment) == []
    alerts.set_destinations()
    assert alerts.destinations() == {"allow": [], "deny": [], "allow_only": False}


def test_history_pages(alerts, deployment, unique):
    rules = [alerts.create_rule(unique("r"), deployment, "request_rate", ">", 0) for _ in range(3)]
    ids = [r["id"] for r in rules]
    evaluate_until(alerts, deployment, ids, "firing")
    for r in rules:
        alerts.update_rule(r["id"], threshold=1e9)
    states = evaluate_until(alerts, deployment, ids, "inactive")  # each resolves
    assert all(states[r]["resolved_at"] is not None for r in ids)
    events = list(alerts.history(deployment=deployment, page_size=2))  # three pages and a half
    assert len(events) == 6
    assert [e["id"] for e in events] == sorted((e["id"] for e in events), reverse=True)
    assert sorted(e["event"] for e in events) == ["firing"] * 3 + ["resolved"] * 3
    assert {e["rule_id"] for e in events} == {r["id"] for r in rules}
    one = list(alerts.history(rule=rules[0]["name"], page_size=1))
    assert [e["event"] for e in one] == ["resolved", "firing"]
    assert len(list(alerts.history(deployment=deployment, since="1h", until=int(time.time() * 1000) + 60_000))) == 6
    assert list(alerts.history(deployment=deployment, until="1h")) == []
    now = datetime.datetime.now(datetime.timezone.utc)
    assert len(list(alerts.history(deployment=deployment, since=datetime.timedelta(hours=1), until=now + datetime.timedelta(minutes=1)))) == 6


def test_refusals_map_to_exceptions(alerts, server, deployment, unique):
    with pytest.raises(InvalidParameterError) as e:
        alerts.create_rule(unique("r"), deployment, "nonsense_metric", ">", 1)
    assert e.value.field == "metric"
    with pytest.raises(InvalidParameterError) as e:
        alerts.create_rule(unique("r"), deployment, "error_rate", ">", 1, window="soon")
    assert e.value.field == "window"
    name = unique("r")
    alerts.create_rule(name, deployment, "error_rate", ">", 0.5)
    with pytest.raises(AlreadyExistsError):
        alerts.create_rule(name, deployment, "error_rate", ">", 0.5)
    with pytest.raises(NotFoundError):
        alerts.get_rule(unique("missing"))
    with pytest.raises(NotFoundError):
        alerts.delete_rule(unique("missing"))
    with pytest.raises(NotFoundError):
        alerts.get_silence(str(uuid.uuid4()))
    with pytest.raises(InvalidParameterError) as e:
        alerts.silence("not a matcher", duration="1h")
    assert e.value.field and e.value.field.startswith("matchers")
    # The SSRF guard: loopback is refused unless allowed; file: never.
    with pytest.raises(InvalidParameterError) as e:
        alerts.create_notifier(unique("n"), "http://127.0.0.1:9/x", kind="slack")
    assert e.value.field == "url"
    with pytest.raises(InvalidParameterError) as e:
        alerts.create_notifier(unique("n"), "file:///etc/passwd", kind="slack")
    assert e.value.field == "url"

    admin = ferry.Client(server["url"], token=server["token"])
    tokens = {role: admin._t.request("POST", "/api/v1/tokens", json={"name": unique(role), "role": role})["token"] for role in ("viewer", "editor")}
    viewer = ferry.Client(server["url"], token=tokens["viewer"]).alerts
    editor = ferry.Client(server["url"], token=tokens["editor"]).alerts
    assert name in {r["name"] for r in viewer.rules()}
    with pytest.raises(PermissionDeniedError):
        viewer.create_rule(unique("r"), deployment, "error_rate", ">", 0.5)
    with pytest.raises(PermissionDeniedError):
        viewer.evaluate()
    with pytest.raises(PermissionDeniedError):  # notifiers and destinations are for admins
        editor.create_notifier(unique("n"), "https://hooks.example.com/x", kind="slack")
    with pytest.raises(PermissionDeniedError):
        editor.set_destinations(allow=["10.0.0.0/8"])
    with pytest.raises(ferry.UnauthenticatedError):
        ferry.Client(server["url"], token="fry_wrong").alerts.rules()
