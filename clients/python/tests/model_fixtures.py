"""The committed ONNX fixtures (test/fixtures/models, built by python/fixtures/make_models.py) and their data, for
the deployment and monitoring tests: registered through the client, deployed under unique names."""
import json
from pathlib import Path

import pandas as pd

MODELS = Path(__file__).resolve().parents[3] / "test" / "fixtures" / "models"
CREDIT_CATEGORICAL = ["home_ownership", "purpose"]


def expected(name):
    return json.loads((MODELS / f"{name}.expected.json").read_text())


def credit_frame(which="credit_sample"):
    """The credit table: a missing category is "" (the model's contract), a missing number NaN."""
    df = pd.read_csv(MODELS / f"{which}.csv")
    for c in CREDIT_CATEGORICAL:
        df[c] = df[c].fillna("")
    return df


def register(client, fixture, model_name):
    """Register a fixture .onnx as the next version of model_name; returns the version string."""
    answer = client.models.register_onnx(model_name, MODELS / f"{fixture}.onnx")
    return answer["model_version"]["version"]
