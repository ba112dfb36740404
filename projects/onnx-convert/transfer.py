"""The job's I/O against Ferry: the model folder and the results through the MLflow artifact proxy
(mlflow's own artifact repository for mlflow-artifacts: URIs, authenticated by MLFLOW_TRACKING_TOKEN), and a
training-data sample from Ferry's datasets API."""
import io
import os
from urllib.parse import quote

import pandas as pd
import requests

SAMPLE_ROWS = 1000


def download_model(source: str, dst: str) -> str:
    from mlflow.artifacts import download_artifacts

    return download_artifacts(artifact_uri=source, dst_path=dst)


def upload(destination: str, local_file: str) -> None:
    from mlflow.store.artifact.artifact_repository_registry import get_artifact_repository

    get_artifact_repository(destination).log_artifact(local_file)


def training_sample(ref: str) -> pd.DataFrame:
    """NAME@VERSION of a Ferry dataset version: its file (CSV, JSON Lines or Parquet), at most 1000 rows (seed 0)."""
    name, sep, version = ref.rpartition("@")
    if not sep or not name or not version:
        raise ValueError(f"training_data must be NAME@VERSION, got {ref!r}")
    url = f"{os.environ['FERRY_URL'].rstrip('/')}/api/v1/datasets/{quote(name, safe='')}/versions/{quote(version, safe='')}/file"
    token = os.environ.get("MLFLOW_TRACKING_TOKEN")
    r = requests.get(url, headers={"Authorization": f"Bearer {token}"} if token else {}, timeout=120)
    if r.status_code != 200:
        raise ValueError(f"GET {url} answered {r.status_code}: {r.text[:300]}")
    kind = r.headers.get("content-type", "").split(";")[0].strip()
    disposition = r.headers.get("content-disposition", "").lower()
    if "parquet" in kind or ".parquet" in disposition:
        df = pd.read_parquet(io.BytesIO(r.content))
    elif "ndjson" in kind or "jsonl" in kind or ".jsonl" in disposition or ".ndjson" in disposition:
        df = pd.read_json(io.BytesIO(r.content), lines=True, dtype=False, convert_dates=False)  # values as written
    else:
        # Text as read: the signature types each column (a '007' code stays a string).
        df = pd.read_csv(io.BytesIO(r.content), dtype=str, keep_default_na=True)
    return df.sample(n=SAMPLE_ROWS, random_state=0) if len(df) > SAMPLE_ROWS else df
