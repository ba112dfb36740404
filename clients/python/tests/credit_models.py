"""The real objects A/B tests, loops and alerts need: the credit ONNX fixtures (test/fixtures/models) logged with
the unmodified mlflow client and registered as versions of a model, and a deployment serving them."""
import csv
from pathlib import Path
from typing import Dict, List

REPO = Path(__file__).resolve().parents[3]
MODELS = REPO / "test" / "fixtures" / "models"
CREDIT_CSV = REPO / "demo" / "credit_train.csv"


def register_credit_versions(model: str, files=("credit_gbdt.onnx", "credit_gbdt_v2.onnx")) -> List[str]:
    """Logs each fixture with mlflow.onnx and registers it as the next version of ``model`` (needs mlflow_env)."""
    import mlflow
    import mlflow.onnx
    import onnx

    versions = []
    for f in files:
        with mlflow.start_run() as run:
            mlflow.onnx.log_model(onnx.load(str(MODELS / f)), name="model")
        versions.append(str(mlflow.register_model(f"runs:/{run.info.run_id}/model", model).version))
    return versions


def deploy(client, name: str, model: str, versions=("1", "2"), weights=None, sticky_key=None) -> Dict:
    routes = [{"model": model, "version": v, **({"weight": weights[i]} if weights else {})} for i, v in enumerate(versions)]
    body = {"name": name, "routes": routes, **({"sticky_key": sticky_key} if sticky_key else {})}
    return client._t.request("POST", "/api/v1/deployments", json=body)


def credit_rows(n: int) -> List[Dict]:
    """The first ``n`` rows of the credit table as records, without the label."""
    with open(CREDIT_CSV, newline="") as f:
        rows = list(csv.DictReader(f))[:n]
    out = []
    for r in rows:
        rec = {}
        for k, v in r.items():
            if k == "default":
                continue
            try:
                rec[k] = float(v) if v != "" else None
            except ValueError:
                rec[k] = v
        out.append(rec)
    return out


def predict(client, deployment: str, record: Dict, **extra) -> Dict:
    return client._t.request("POST", f"/api/v1/deployments/{deployment}/predict", json={"dataframe_records": [record], **extra})


def push_dataset(client, name: str) -> Dict:
    """The credit table as a version of a Ferry dataset (a loop's holdout)."""
    return client._t.request(
        "POST", f"/api/v1/datasets/{name}/versions", params={"filename": "credit_train.csv"},
        data=CREDIT_CSV.read_bytes(), headers={"Content-Type": "text/csv"},
    )
