"""A model card and its validation report, checked from outside Ferry: a version trained and registered with the real
mlflow client, its card fields set over HTTP; the report zip read with Python's zipfile, every SHA256SUMS line
checked with hashlib and by coreutils' `sha256sum -c`; the card's content hash recomputed independently from the
card's own sections (sha256 of the canonical JSON of every section but approvals); two renders byte-identical."""
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from mlflow import MlflowClient


def canonical(value) -> str:
    """JSON with keys sorted at every level, no spaces, non-ASCII as is: what Ferry's card hash covers."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def test_report_checksums_and_card_hash(admin_api, unique):
    client = MlflowClient()
    name = unique("card")
    exp = client.create_experiment(unique("card-exp"))
    run = client.create_run(exp, tags={"mlflow.source.git.commit": "0123abc"})
    client.log_param(run.info.run_id, "max_depth", "4")
    client.log_metric(run.info.run_id, "val_auc", 0.913)
    client.log_metric(run.info.run_id, "val_loss", float("nan"))
    client.create_registered_model(name)
    client.create_model_version(name, f"runs:/{run.info.run_id}/model", run_id=run.info.run_id)
    r = admin_api("PUT", f"/api/v1/models/{name}/card", json={"intended_use": "Pré-screening — not final decisions.", "owner": "Risk"})
    assert r.status_code == 200, r.text

    first = admin_api("GET", f"/api/v1/models/{name}/versions/1/card")
    second = admin_api("GET", f"/api/v1/models/{name}/versions/1/card")
    assert first.status_code == 200, first.text
    assert first.content == second.content
    card = first.json()
    by_id = {s["id"]: s for s in card["sections"]}
    assert by_id["identity"]["facts"]["git_commit"] == "0123abc"
    # NaN is carried as MLflow's JSON carries it.
    assert by_id["training_run"]["facts"]["metrics"] == {"val_auc": 0.913, "val_loss": "NaN"}

    # The content hash, recomputed from the card's own sections.
    signed = [{k: s[k] for k in ("id", "status", "reason", "as_of", "facts")} for s in card["sections"] if s["id"] != "approvals"]
    body = {"model": name, "version": "1", "sections": signed}
    assert card["content_hash"] == "sha256:" + hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()

    rep = admin_api("GET", f"/api/v1/models/{name}/versions/1/report")
    assert rep.status_code == 200, rep.text
    assert rep.headers["content-type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(rep.content))
    assert zf.testzip() is None
    folder = f"{name}-v1"
    names = sorted(zf.namelist())
    assert names == sorted(f"{folder}/{n}" for n in ["SHA256SUMS", "card.html", "card.json", "card.md", "manifest.json", "test-log.csv", "test-log.json"])
    sums = zf.read(f"{folder}/SHA256SUMS").decode("utf-8").splitlines()
    assert len(sums) == 6
    for line in sums:
        digest, file = line.split("  ", 1)
        assert hashlib.sha256(zf.read(f"{folder}/{file}")).hexdigest() == digest, file
    # coreutils agrees (the format an auditor checks with).
    if shutil.which("sha256sum"):
        with tempfile.TemporaryDirectory() as tmp:
            zf.extractall(tmp)
            out = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=Path(tmp) / folder, capture_output=True, text=True)
            assert out.returncode == 0, out.stdout + out.stderr
    assert json.loads(zf.read(f"{folder}/card.json"))["content_hash"] == card["content_hash"]
    log = json.loads(zf.read(f"{folder}/test-log.json"))["entries"]
    edits = [e for e in log if e["kind"] == "card_edit"]
    assert edits and edits[0]["outcome"] == "done"
    assert [e["at"] for e in log] == sorted(e["at"] for e in log)
