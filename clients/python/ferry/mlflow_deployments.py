"""MLflow deployments plugin for Ferry (target ``ferry``).

``mlflow deployments create -t ferry -m models:/credit/2 --name credit-risk`` and
``mlflow.deployments.get_deploy_client("ferry")`` manage Ferry deployments of registered model versions.
Registered through the ``mlflow.deployments`` entry point in pyproject.toml; mlflow imports this module only when
the ``ferry`` target is used. The full guide is docs/python-client.md ("The MLflow deployments plugin").
"""
from __future__ import annotations

import json
import math
import os
from typing import Any, Dict, List, Optional
from urllib.parse import unquote, urlparse

import mlflow
from mlflow.deployments import BaseDeploymentClient, PredictionsResponse
from mlflow.exceptions import MlflowException
from mlflow.protos.databricks_pb2 import INTERNAL_ERROR, INVALID_PARAMETER_VALUE, ErrorCode

from ._http import path
from .client import Client
from .errors import FerryError, NotFoundError

#: What Ferry serves: every model runs as ONNX (an sklearn/xgboost/lightgbm flavor is converted on the server).
FLAVOR = "onnx"
#: Deploy-time conversion may wait for a conversion job (the server's FERRY_CONVERT_WAIT_SECONDS, 300 by default).
DEFAULT_DEPLOY_TIMEOUT_S = 600.0
_BATCHING = ("max_batch_size", "max_queue_delay_ms", "max_queue_rows")
_CONFIG_KEYS = ("canary_weight", "shadow", "sticky_key", "timeout") + _BATCHING

_HELP = """\
The "ferry" target deploys registered model versions to a Ferry server.

Target URI
  ferry                       the server in FERRY_URL, else MLFLOW_TRACKING_URI (http/https), else
                              mlflow.get_tracking_uri() when it is http(s)
  ferry:/http://HOST:PORT     that server (ferry:/https://HOST works too)
  ferry://HOST:PORT           that server over plain http
  Auth comes from FERRY_TOKEN, else MLFLOW_TRACKING_TOKEN, else basic auth from FERRY_USERNAME/FERRY_PASSWORD or
  MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD.

Model URI (-m)
  models:/NAME/VERSION        that version
  models:/NAME@ALIAS          the alias; the route follows the alias when it moves
  models:/NAME/latest         the newest version, resolved once at deploy time
  models:/NAME/STAGE          the newest version in that stage (Staging, Production…), resolved once
  Register a run's model first (registered_model_name=… or mlflow.register_model): runs:/ and local paths are refused.
  The version must hold an onnx flavor, or an sklearn/xgboost/lightgbm one that Ferry converts and verifies
  (docs/conversion.md). --flavor may be left out or be "onnx": Ferry serves every model as ONNX.

Config (-C key=value)
  canary_weight=W     update only: the new model (-m) takes W% of the traffic (0 < W <= 100) and the routes already
                      serving share the rest in their current proportions; without it, -m replaces every route
  shadow=URI[,URI]    model URIs that get a copy of each request (results logged, never returned); empty: none
  sticky_key=FIELD    a request field whose value pins a caller to one route; empty: none
  max_batch_size=N, max_queue_delay_ms=N, max_queue_rows=N
                      batching of concurrent requests
  timeout=SECONDS     how long create/update wait for the models to load (default 600: a conversion may run first)
  update keeps the shadow routes, sticky key and batching it does not name.

predict takes a DataFrame (the CLI's --input-path JSON file is read as one), a list of records, a dict of columns, or
a dict in one of MLflow's scoring formats (instances, dataframe_split, dataframe_records, inputs). explain answers
Shapley values (POST /api/v1/deployments/NAME/explain, at most 100 rows). Endpoints are not a Ferry notion.
run-local is refused: start `npx ferry server` and use `-t ferry:/http://127.0.0.1:5050`.
"""


def target_help() -> str:
    """What ``mlflow deployments help -t ferry`` prints: target and model URIs, config keys, predict's inputs."""
    return _HELP


def run_local(name: str, model_uri: str, flavor: Optional[str] = None, config: Optional[Dict[str, Any]] = None) -> None:
    """Refused, naming what to do instead: Ferry is itself the server (``npx ferry server``, then ``create``).
    mlflow.deployments.run_local calls it with (name, model_uri, flavor, config)."""
    # A Python-only stand-in would not be Ferry (ONNX runtime, monitoring, conversion); the real server is one command.
    raise MlflowException(
        "run-local is not supported for the ferry target: Ferry is itself the server. Start one with `npx ferry server` "
        "(or `npx ferry quickstart`), then `mlflow deployments create -t ferry:/http://127.0.0.1:5050 ...`; "
        "for a local Python scoring server use `mlflow models serve -m MODEL_URI`.",
        error_code=INVALID_PARAMETER_VALUE,
    )


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _server_url(target_uri: str) -> Optional[str]:
    """The server a target URI names, or None for plain ``ferry`` (then the environment decides)."""
    parsed = urlparse(target_uri)
    if not parsed.scheme:  # "ferry"
        return None
    if parsed.netloc:  # ferry://host:port
        return f"http://{parsed.netloc}{parsed.path}".rstrip("/")
    rest = unquote(parsed.path.lstrip("/"))  # ferry:/http://host:port
    if not rest:
        return None
    if not rest.startswith(("http://", "https://")):
        raise _invalid(f"target {target_uri!r}: write ferry, ferry:/http://HOST:PORT or ferry://HOST:PORT")
    return rest.rstrip("/")


def _default_url() -> Optional[str]:
    if os.environ.get("FERRY_URL") or os.environ.get("MLFLOW_TRACKING_URI"):
        return None  # ferry.Client reads them
    uri = mlflow.get_tracking_uri()  # set in code with mlflow.set_tracking_uri
    return uri if uri.startswith(("http://", "https://")) else None


def _mlflow_error(e: FerryError) -> MlflowException:
    try:
        code = ErrorCode.Value(e.code)
    except ValueError:
        code = INTERNAL_ERROR
    return MlflowException(str(e), error_code=code)


class FerryDeploymentClient(BaseDeploymentClient):
    """Ferry deployments through mlflow's deployments API (see ``mlflow deployments help -t ferry``)."""

    def __init__(self, target_uri: str) -> None:
        super().__init__(target_uri)
        self.client = Client(_server_url(target_uri) or _default_url())

    def _call(self, method: str, route: str, **kw: Any) -> Any:
        try:
            return self.client._t.request(method, route, **kw)
        except FerryError as e:
            raise _mlflow_error(e) from e

    # --- model URIs and config -------------------------------------------------------------------------------
    def _ref(self, model_uri: str) -> Dict[str, str]:
        """A model URI as Ferry's route reference: {model, version} or {model, alias}."""
        if not model_uri.startswith("models:/"):
            raise _invalid(
                f"model URI {model_uri!r}: Ferry deploys registered model versions; use models:/NAME/VERSION or "
                "models:/NAME@ALIAS (register a run's model with mlflow.register_model first)"
            )
        rest = model_uri[len("models:/"):].strip("/")
        if "@" in rest:
            name, alias = rest.rsplit("@", 1)
            if name and alias and "/" not in alias:
                return {"model": name, "alias": alias}
        elif "/" in rest:
            name, which = rest.rsplit("/", 1)
            if name and which:
                if which.isdigit():
                    return {"model": name, "version": str(int(which))}
                return {"model": name, "version": self._resolve_stage(name, which)}
        raise _invalid(f"model URI {model_uri!r}: expected models:/NAME/VERSION, models:/NAME@ALIAS or models:/NAME/STAGE")

    def _resolve_stage(self, name: str, stage: str) -> str:
        # MLflow's own meaning: "latest" is the newest version in any stage, a stage name the newest in that stage.
        body: Dict[str, Any] = {"name": name}
        if stage.lower() != "latest":
            body["stages"] = [stage]
        found = self._call("POST", path("/api/2.0/mlflow/registered-models/get-latest-versions"), json=body) or {}
        versions = [int(v["version"]) for v in found.get("model_versions") or []]
        if not versions:
            raise MlflowException(f"model {name!r} has no version in stage {stage!r}", error_code=ErrorCode.Value("RESOURCE_DOES_NOT_EXIST"))
        return str(max(versions))

    def _config(self, config: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        config = dict(config or {})
        unknown = sorted(set(config) - set(_CONFIG_KEYS))
        if unknown:
            raise _invalid(f"unknown config key(s) {', '.join(unknown)}; the ferry target takes {', '.join(_CONFIG_KEYS)}")
        return config

    @staticmethod
    def _number(config: Dict[str, Any], key: str, integer: bool) -> Any:
        raw = config[key]
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise _invalid(f"config {key}={raw!r}: not a number") from None
        if not math.isfinite(value):
            raise _invalid(f"config {key}={raw!r}: not a finite number")
        if integer:
            if value != int(value):
                raise _invalid(f"config {key}={raw!r}: not a whole number")
            return int(value)
        return value

    def _shadow(self, raw: Any) -> List[Dict[str, str]]:
        uris = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
        return [self._ref(str(u).strip()) for u in uris if str(u).strip()]

    def _apply_options(self, spec: Dict[str, Any], config: Dict[str, Any]) -> None:
        """Shadow routes, sticky key and batching from the config onto a spec (create or update body)."""
        if "shadow" in config:
            spec["shadow"] = self._shadow(config["shadow"])
        if "sticky_key" in config:
            if str(config["sticky_key"] or ""):
                spec["sticky_key"] = str(config["sticky_key"])
            else:
                spec.pop("sticky_key", None)
        for key in _BATCHING:
            if key in config:
                spec.setdefault("batching", {})[key] = self._number(config, key, integer=True)

    def _timeout(self, config: Dict[str, Any]) -> float:
        return self._number(config, "timeout", integer=False) if "timeout" in config else DEFAULT_DEPLOY_TIMEOUT_S

    @staticmethod
    def _check_flavor(flavor: Optional[str]) -> None:
        if flavor not in (None, "", FLAVOR):
            raise _invalid(
                f"flavor {flavor!r}: Ferry serves every model as ONNX (a version's sklearn, xgboost or lightgbm flavor "
                "is converted on the server); leave --flavor out or pass onnx"
            )

    @staticmethod
    def _check_endpoint(endpoint: Optional[str]) -> None:
        if endpoint:
            raise _invalid("the ferry target has no endpoints: name the deployment with --name")

    @staticmethod
    def _described(deployment: Dict[str, Any]) -> Dict[str, Any]:
        # mlflow's CLI prints deployment["flavor"] after create and update.
        return {**deployment, "flavor": FLAVOR}

    # --- BaseDeploymentClient ----------------------------------------------------------------------------------
    def create_deployment(self, name, model_uri, flavor=None, config=None, endpoint=None):  # type: ignore[override]
        """Create deployment ``name`` serving ``model_uri`` (all traffic); blocks until its models have loaded."""
        self._check_flavor(flavor)
        self._check_endpoint(endpoint)
        config = self._config(config)
        if "canary_weight" in config:
            raise _invalid("canary_weight applies to update: a new deployment sends all its traffic to its one model")
        body: Dict[str, Any] = {"name": name, "routes": [{**self._ref(model_uri), "weight": 100}]}
        self._apply_options(body, config)
        answer = self._call("POST", path("/api/v1/deployments"), json=body, timeout=self._timeout(config))
        return self._described(answer["deployment"])

    def update_deployment(self, name, model_uri=None, flavor=None, config=None, endpoint=None):  # type: ignore[override]
        """A new revision of ``name``: ``model_uri`` replaces the routes (or takes ``canary_weight`` percent of the
        traffic), and the config's shadow / sticky_key / batching replace those fields; the rest is kept."""
        self._check_flavor(flavor)
        self._check_endpoint(endpoint)
        config = self._config(config)
        current = self._call("GET", path("/api/v1/deployments/{name}", name=name))["deployment"]["spec"]
        spec: Dict[str, Any] = {
            "routes": current["routes"],
            "shadow": current.get("shadow") or [],
            "batching": dict(current.get("batching") or {}),
        }
        if current.get("sticky_key"):
            spec["sticky_key"] = current["sticky_key"]
        if model_uri:
            spec["routes"] = self._routes(current["routes"], self._ref(model_uri), config)
        elif "canary_weight" in config:
            raise _invalid("canary_weight needs the model to send that share to: give --model-uri")
        self._apply_options(spec, config)
        answer = self._call("PUT", path("/api/v1/deployments/{name}", name=name), json=spec, timeout=self._timeout(config))
        return self._described(answer["deployment"])

    def _routes(self, routes: List[Dict[str, Any]], ref: Dict[str, str], config: Dict[str, Any]) -> List[Dict[str, Any]]:
        if "canary_weight" not in config:
            return [{**ref, "weight": 100}]
        w = self._number(config, "canary_weight", integer=False)
        if not 0 < w <= 100:
            raise _invalid(f"config canary_weight={config['canary_weight']!r}: a percentage above 0 and at most 100")
        key = lambda r: (r["model"], r.get("version"), r.get("alias"))  # noqa: E731
        others = [r for r in routes if key(r) != key(ref)]
        total = sum(float(r["weight"]) for r in others)
        if w == 100 or total <= 0:
            return [{**ref, "weight": 100}]
        kept = [{k: v for k, v in r.items() if k != "weight"} | {"weight": _tidy(float(r["weight"]) * (100 - w) / total)} for r in others]
        return kept + [{**ref, "weight": _tidy(w)}]

    def delete_deployment(self, name, config=None, endpoint=None):  # type: ignore[override]
        """Delete ``name`` (drains, then unloads); deleting one that does not exist is not an error."""
        self._check_endpoint(endpoint)
        try:
            self.client._t.request("DELETE", path("/api/v1/deployments/{name}", name=name))
        except NotFoundError:
            return None
        except FerryError as e:
            raise _mlflow_error(e) from e
        return None

    def list_deployments(self, endpoint=None):  # type: ignore[override]
        """Every deployment: Ferry's deployment objects (spec, revision, per-route status) with ``flavor``."""
        self._check_endpoint(endpoint)
        answer = self._call("GET", path("/api/v1/deployments")) or {}
        return [self._described(d) for d in answer.get("deployments") or []]

    def get_deployment(self, name, endpoint=None):  # type: ignore[override]
        """Ferry's deployment object (spec, revision, per-route status) with ``flavor``."""
        self._check_endpoint(endpoint)
        return self._described(self._call("GET", path("/api/v1/deployments/{name}", name=name))["deployment"])

    def predict(self, deployment_name=None, inputs=None, endpoint=None):  # type: ignore[override]
        """Predictions for ``inputs``: the server's answer (predictions, model_version, request_id for feedback)."""
        self._check_endpoint(endpoint)
        if not deployment_name:
            raise _invalid("predict needs the deployment's name")
        body = _scoring_body(inputs)
        answer = self._call("POST", path("/api/v1/deployments/{name}/predict", name=deployment_name), data=body, headers={"Content-Type": "application/json"})
        return PredictionsResponse(answer)

    def explain(self, deployment_name=None, df=None, endpoint=None):  # type: ignore[override]
        """Shapley values of the deployment's predictions for the rows of ``df`` (Ferry's explain route)."""
        self._check_endpoint(endpoint)
        if not deployment_name:
            raise _invalid("explain needs the deployment's name")
        body = json.loads(_scoring_body(df))
        rows = body.get("dataframe_records")
        if rows is None:
            raise _invalid("explain takes a DataFrame or a list of records")
        return self._call("POST", path("/api/v1/deployments/{name}/explain", name=deployment_name), json={"instances": rows})


_SCORING_KEYS = ("instances", "dataframe_split", "dataframe_records", "inputs")


def _tidy(x: float) -> Any:
    # 90.0 reads better as 90 in the deployment's spec; other shares keep their precision.
    return int(x) if x == int(x) else round(x, 9)


def _is_scoring_dict(inputs: Any) -> bool:
    return isinstance(inputs, dict) and any(k in inputs for k in _SCORING_KEYS)


def _scoring_body(inputs: Any) -> str:
    """JSON in one of MLflow's scoring formats. A DataFrame goes as records through pandas' own JSON writer, so
    NaN becomes null, numpy scalars plain numbers and timestamps ISO strings."""
    if inputs is None:
        raise _invalid("predict needs inputs: a DataFrame, a list of records or a dict")
    if _is_scoring_dict(inputs):
        return _dumps(inputs)
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - mlflow depends on pandas
        pd = None
    if pd is not None and isinstance(inputs, pd.DataFrame):
        return json.dumps({"dataframe_records": json.loads(inputs.to_json(orient="records", date_format="iso"))})
    if isinstance(inputs, list) and all(isinstance(r, dict) for r in inputs):
        return _dumps({"dataframe_records": inputs})
    if isinstance(inputs, dict):  # {feature: [values]}
        return _dumps({"inputs": inputs})
    if hasattr(inputs, "tolist"):  # a numpy array: rows in feature order
        return _dumps({"instances": inputs.tolist()})
    if isinstance(inputs, list):
        return _dumps({"instances": inputs})
    raise _invalid(f"predict cannot send {type(inputs).__name__}: give a DataFrame, records, a dict or an array")


def _nulls(value: Any) -> Any:
    # JSON has no NaN: a missing number is null, which is what Ferry reads as missing.
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_nulls(v) for v in value]
    return value


def _dumps(value: Any) -> str:
    try:
        return json.dumps(_nulls(value), allow_nan=False)
    except (TypeError, ValueError) as e:
        raise _invalid(f"predict inputs are not JSON: {e}") from None
