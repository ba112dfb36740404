"""client.loops against a real server: the credit model's versions registered with mlflow, a holdout dataset, a
deployment serving version 1; loops created from a YAML file and from dicts, triggered by hand with a candidate
version, judged by the gate, stopped for a person, approved, rejected, cancelled, force-promoted, dry-run; paused,
resumed, updated; the timeline with its evidence; and each refusal as its exception."""
import json
import uuid

import pytest

import ferry
from ferry.errors import InvalidParameterError, InvalidStateError, NotFoundError, PermissionDeniedError, TimeoutExpiredError
from ferry.loops import LoopRunTimeline

from credit_models import deploy, push_dataset, register_credit_versions

WAIT_S = 120


@pytest.fixture(scope="module")
def credit(ferry_server):
    """A model with versions 1 (credit_gbdt), 2 (credit_gbdt_v2, a little less accurate) and 3 (credit_gbdt
    again), and the credit table as a holdout dataset."""
    import mlflow

    model, holdout = f"credit-loop-{uuid.uuid4().hex[:8]}", f"holdout-{uuid.uuid4().hex[:8]}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MLFLOW_TRACKING_TOKEN", ferry_server["token"])
        mlflow.set_tracking_uri(ferry_server["url"])
        mlflow.set_registry_uri(ferry_server["url"])
        mlflow.set_experiment(model)
        assert register_credit_versions(model, ("credit_gbdt.onnx", "credit_gbdt_v2.onnx", "credit_gbdt.onnx")) == ["1", "2", "3"]
    import ferry as _f

    push_dataset(_f.Client(ferry_server["url"], token=ferry_server["token"]), holdout)
    return {"model": model, "holdout": holdout}


def spec(name, model, deployment, holdout, **extra):
    return {
        "name": name,
        "model": model,
        "deployment": deployment,
        "gate": {"holdout": {"dataset": holdout, "version": 1}, "production_window": None, "label": "default",
                 "thresholds": [{"metric": "accuracy", "absolute": -0.5}]},
        "rollout": {"shadow": None, "steps": []},
        "approvals": [{"at": "before_promotion", "distinct_from_author": False}],
        **extra,
    }


YAML = """name: {name}
model: {model}
deployment: {deployment}
description: judge a named version, then ask before promoting
gate:
  holdout:
    dataset: {holdout}
    version: 1            # a number in YAML: sent as the text the API takes
  production_window: null
  label: default
  thresholds:
    - metric: accuracy
      absolute: -0.5
rollout:
  shadow: null
  steps: []
approvals:
  - at: before_promotion
    distinct_from_author: false
"""


def kinds(run: LoopRunTimeline):
    return [f"{s['kind']}:{s['status']}" for s in run["steps"]]


def test_create_from_yaml_trigger_approve_promote(client, credit, unique, tmp_path, capsys):
    dep, name = unique("credit"), unique("loop")
    deploy(client, dep, credit["model"], versions=("1",))
    f = tmp_path / "loop.yaml"
    f.write_text(YAML.format(name=name, deployment=dep, **credit))
    loop = client.loops.create(f)
    assert loop["name"] == name and loop["state"] == "active" and loop["last_run"] is None
    assert loop["spec"]["gate"]["holdout"] == {"dataset": credit["holdout"], "version": "1"}
    assert client.loops.get(name)["description"] == "judge a named version, then ask before promoting"
    assert [lp["name"] for lp in client.loops.list(deployment=dep)] == [name]
    assert name in {lp["name"] for lp in client.loops.list(model=credit["model"])}

    started = client.loops.trigger(name, candidate_version=2, reason="try v2")
    assert started["coalesced"] is False
    seq = started["loop_run"]["seq"]
    run = client.loops.wait(name, seq, timeout=WAIT_S)
    assert run["state"] == "awaiting_approval", kinds(run)
    assert f"loop {name} #{seq}: evaluating passed" in capsys.readouterr().err
    assert kinds(run)[:3] == ["triggered:info", "registered:passed", "evaluating:passed"]
    # A trigger while the run is going is recorded on it, not a second run.
    again = client.loops.trigger(name, reason="again")
    assert again["coalesced"] is True and again["loop_run"]["seq"] == seq
    evaluating = next(s for s in run["steps"] if s["kind"] == "evaluating")
    assert evaluating["evidence"] and run.evidence(evaluating["seq"]) == evaluating["evidence"]
    with pytest.raises(KeyError):
        run.evidence(999)

    approved = client.loops.approve(name, seq, reason="looks fine")
    assert isinstance(approved, LoopRunTimeline)
    ended = client.loops.wait(name, seq, timeout=WAIT_S)
    assert ended["state"] == "promoted" and ended["candidate_version"] == "2" and ended["champion_version"] == "1"
    assert "approved:passed" in kinds(ended) and kinds(ended)[-1] == "promoted:passed"
    assert [t["coalesced"] for t in ended["triggers"]] == [False, True]
    frame = ended.to_frame()
    assert list(frame["step"]) == [s["kind"] for s in ended["steps"]] and "reason" in frame.columns
    assert "promoted" in ended._repr_html_()
    served = client._t.request("GET", f"/api/v1/deployments/{dep}")["deployment"]
    assert [r["version"] for r in served["spec"]["routes"]] == ["2"]
    assert [r["seq"] for r in client.loops.runs(name)] == [seq]
    assert client.loops.runs(name, max_results=1)[0]["state"] == "promoted"
    assert client.loops.get(name)["last_run"]["state"] == "promoted"
    verdict = client.loops.verdict(name)
    assert set(verdict) >= {"ok", "inconclusive", "verdict", "reason"}


def test_reject_cancel_force_promote_dry_run(client, credit, unique):
    dep, name = unique("credit"), unique("loop")
    deploy(client, dep, credit["model"], versions=("1",))
    client.loops.create(spec(name, credit["model"], dep, credit["holdout"], debounce="1s"))

    seq = client.loops.trigger(name, candidate_version="2")["loop_run"]["seq"]
    assert client.loops.wait(name, seq, timeout=WAIT_S)["state"] == "awaiting_approval"
    assert client.loops.reject(name, seq, reason="not this quarter")["state"] in ("running", "rejected")
    rejected = client.loops.wait(name, seq, timeout=WAIT_S)  # the driver ends it and restores the deployment
    assert rejected["state"] == "rejected" and rejected["ended_at"] is not None
    assert any(s["kind"] == "rejected" and "not this quarter" in s["reason"] for s in rejected["steps"]), rejected["steps"]

    seq = client.loops.trigger(name, candidate_version=3)["loop_run"]["seq"]
    assert client.loops.wait(name, seq, timeout=WAIT_S)["state"] == "awaiting_approval"
    client.loops.cancel(name, seq, reason="changed my mind <img src=x onerror=alert(1)>")
    cancelled = client.loops.wait(name, seq, timeout=WAIT_S)
    assert cancelled["state"] == "cancelled"
    # A person's reason is in the timeline's table and summary: escaped, never markup in a notebook or saved page.
    page = cancelled.to_html()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page
    with pytest.raises(InvalidStateError, match="has ended"):
        client.loops.cancel(name, seq)

    seq = client.loops.trigger(name, candidate_version=2)["loop_run"]["seq"]
    assert client.loops.wait(name, seq, timeout=WAIT_S)["state"] == "awaiting_approval"
    forced = client.loops.promote(name, seq, reason="the business asks")
    done = client.loops.wait(name, seq, timeout=WAIT_S)
    assert done["state"] == "promoted", kinds(done)
    assert any("the business asks" in s["reason"] for s in forced["steps"] + done["steps"])

    dry = client.loops.trigger(name, candidate_version=3, dry_run=True)["loop_run"]
    assert dry["dry_run"] is True
    assert client.loops.wait(name, dry["seq"], timeout=WAIT_S, progress=False)["state"] == "dry_run"
    assert [r["state"] for r in client.loops.runs(name)] == ["dry_run", "promoted", "cancelled", "rejected"]


def test_pause_resume_update(client, credit, unique, project_dir, tmp_path):
    dep, name = unique("credit"), unique("loop")
    deploy(client, dep, credit["model"], versions=("1",))
    body = spec(name, credit["model"], dep, credit["holdout"])
    (tmp_path / "loop.json").write_text(json.dumps(body))
    assert client.loops.create(tmp_path / "loop.json")["spec"]["approvals"] == body["approvals"]
    paused = client.loops.pause(name, reason="quarter-end freeze")
    assert paused["state"] == "paused"
    with pytest.raises(InvalidStateError, match="paused"):
        client.loops.trigger(name, candidate_version=2)
    assert client.loops.resume(name)["state"] == "active"

    changed = dict(body, gate=dict(body["gate"], thresholds=[{"metric": "accuracy", "lower": 0.5}]))
    updated = client.loops.update(name, changed)
    assert updated["spec"]["gate"]["thresholds"] == [{"metric": "accuracy", "lower": 0.5}]
    with pytest.raises(ValueError, match="cannot change"):
        client.loops.update(name, dict(changed, model="another"))

    # training.project may be a local folder: uploaded, sent as its digest (as the CLI does).
    with_training = dict(changed, training={"project": str(project_dir), "entry_point": "main", "executor": "local"})
    trained = client.loops.update(name, with_training)
    assert trained["spec"]["training"]["project"].startswith("sha256:")
    assert trained["spec"]["training"]["project"] == client.jobs.upload_project(project_dir)["digest"]


@pytest.fixture
def project_dir(tmp_path):
    d = tmp_path / "train"
    d.mkdir()
    (d / "MLproject").write_text('name: t\nentry_points:\n  main:\n    command: "python -c \\"print(1)\\""\n')
    return d


def test_refusals_map_to_exceptions(client, credit, unique, ferry_server):
    dep, name = unique("credit"), unique("loop")
    deploy(client, dep, credit["model"], versions=("1",))
    with pytest.raises(NotFoundError):
        client.loops.get(unique("nothing"))
    with pytest.raises(InvalidParameterError) as e:
        client.loops.create(spec(name, credit["model"], dep, credit["holdout"], rollout={"shadow": None, "steps": [{"weight": 200}]}))
    assert e.value.field and "rollout" in e.value.field
    with pytest.raises(InvalidParameterError) as e:
        client.loops.create(spec(name, credit["model"], dep, credit["holdout"], approvals=[{"at": "before_canary"}]))
    assert e.value.field and e.value.field.startswith("approvals")
    with pytest.raises(InvalidParameterError) as e:
        client.loops.create(spec(name, unique("no-model"), dep, credit["holdout"]))
    assert e.value.field == "model"
    # The default policy: the approver may not be the run's author.
    client.loops.create(spec(name, credit["model"], dep, credit["holdout"], approvals=[{"at": "before_promotion"}]))
    with pytest.raises(ferry.AlreadyExistsError):
        client.loops.create(spec(name, credit["model"], dep, credit["holdout"]))
    seq = client.loops.trigger(name, candidate_version=2)["loop_run"]["seq"]
    with pytest.raises(TimeoutExpiredError) as t:
        client.loops.wait(name, seq, timeout=0, progress=False)
    assert t.value.body["seq"] == seq
    assert client.loops.wait(name, seq, timeout=WAIT_S)["state"] == "awaiting_approval"
    with pytest.raises(PermissionDeniedError, match="other than the run's author"):
        client.loops.approve(name, seq)
    editor_token = client._t.request("POST", "/api/v1/tokens", json={"name": unique("editor"), "role": "editor"})["token"]
    editor = ferry.Client(ferry_server["url"], token=editor_token)
    with pytest.raises(PermissionDeniedError):  # forced promotion is for admins
        editor.loops.promote(name, seq, reason="me")
    assert editor.loops.approve(name, seq)["state"] in ("running", "promoted")
    assert client.loops.wait(name, seq, timeout=WAIT_S)["state"] == "promoted"
    with pytest.raises(InvalidStateError, match="not awaiting approval"):
        client.loops.approve(name, seq)
    with pytest.raises(NotFoundError):
        client.loops.run(name, 99)


def test_spec_dataset_versions_written_as_numbers_are_sent_as_the_cli_sends_them(client):
    # YAML reads `version: 3` as 3 and `version: 3.0` as 3.0; the CLI sends both as "3" (JavaScript's String).
    body = client.loops._prepare({"gate": {"holdout": {"dataset": "d", "version": 3.0}}, "training": {"data": {"dataset": "d", "version": 2}}})
    assert body["gate"]["holdout"]["version"] == "3" and body["training"]["data"]["version"] == "2"
