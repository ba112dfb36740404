"""Deployments: weighted routes to model versions (canary, A/B split), shadows, revisions and rollback, and
predictions — JSON records for ordinary inputs, the Open Inference Protocol's binary tensors for large numeric
arrays. Every change is a new revision on the server (the shapes: src/contract/deployments.ts)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from . import _frames, _v2
from ._http import Transport, dumps, path

if TYPE_CHECKING:  # the generated response types (scripts/gen_types.py); annotations only
    from ._types import (
        GetDeploymentResponseDeployment,
        ListDeploymentRevisionsResponseRevisionsItem,
        V2ModelMetadataResponse,
    )

# Above this many elements a numeric numpy array goes as binary tensors when binary=None (JSON numbers cost
# ~20 bytes to print and parse, binary 4 or 8).
BINARY_AUTO_ELEMENTS = 10_000

# Creating or changing a deployment answers once its models have loaded, after converting a version logged with its
# sklearn/xgboost/lightgbm flavor first (the server waits FERRY_CONVERT_WAIT_SECONDS for that, 300 s by default):
# those calls wait at least this long, whatever the client's general timeout, unless given their own.
CHANGE_TIMEOUT_S = 600.0  # as the MLflow plugin waits (mlflow_deployments.DEFAULT_DEPLOY_TIMEOUT_S)

_UNSET: Any = object()
# An X-Request-Id the server keeps (src/server/request-id.ts); \Z: a trailing newline is not allowed either.
_USABLE_ID = re.compile(r"[\x21-\x7e]{1,200}\Z")
Version = Union[str, int]


class Predictions:
    """A predict answer: ``predictions`` (one per input row: a value, a list, or a dict keyed by output name when
    the model has several outputs), the model version that answered and ``request_id`` (send feedback by it).
    ``outputs`` holds numpy arrays per output name when the answer came as binary tensors."""

    def __init__(self, predictions: List[Any], *, model: Optional[str], model_version: str, deployment: str,
                 revision: Optional[int], request_id: Optional[str], outputs: Optional[Dict[str, Any]] = None,
                 raw: Optional[Dict[str, Any]] = None) -> None:
        self.predictions = predictions
        self.model = model
        self.model_version = model_version
        self.deployment = deployment
        self.revision = revision
        self.request_id = request_id
        self.outputs = outputs
        self.raw = raw or {}

    def __len__(self) -> int:
        return len(self.predictions)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.predictions)

    def __getitem__(self, i: int) -> Any:
        return self.predictions[i]

    def to_frame(self):
        """One row per input row: a ``prediction`` column, ``name[i]`` columns for vector outputs, one column per
        output for a model with several."""
        import pandas as pd

        return pd.DataFrame(_frames.prediction_columns(self.predictions))

    def __repr__(self) -> str:
        return (f"<Predictions {len(self.predictions)} rows from {self.deployment} "
                f"(model version {self.model_version}, request {self.request_id})>")


def _ref(model: str, v: Version) -> Dict[str, Any]:
    """'3' or 3 → {model, version}; '@champion' → {model, alias}."""
    s = str(v)
    return {"model": model, "alias": s[1:]} if s.startswith("@") else {"model": model, "version": s}


class Deployments:
    def __init__(self, t: Transport) -> None:
        self._t = t

    # ---- lifecycle ----

    def create(self, name: str, model: Optional[str] = None, version: Optional[Version] = None, *,
               alias: Optional[str] = None, routes: Optional[Sequence[Mapping[str, Any]]] = None,
               shadow: Optional[Sequence[Mapping[str, Any]]] = None, sticky_key: Optional[str] = None,
               batching: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None) -> GetDeploymentResponseDeployment:
        """Create a deployment serving ``model`` at ``version`` (or following ``alias``), or with explicit
        ``routes`` ([{model, version|alias, weight}]). Answers once its models have loaded (converted to ONNX first
        where needed): ``timeout`` defaults to ``CHANGE_TIMEOUT_S`` or the client's, the longer."""
        if routes is None:
            if model is None or (version is None) == (alias is None):
                raise ValueError("give model and exactly one of version or alias, or routes=[...]")
            routes = [_ref(model, version) if version is not None else {"model": model, "alias": alias}]
        body: Dict[str, Any] = {"name": name, "routes": [dict(r) for r in routes]}
        if shadow is not None:
            body["shadow"] = [dict(s) for s in shadow]
        if sticky_key is not None:
            body["sticky_key"] = sticky_key
        if batching is not None:
            body["batching"] = dict(batching)
        return self._t.request("POST", "/api/v1/deployments", json=body, timeout=self._change_timeout(timeout))["deployment"]

    def get(self, name: str) -> GetDeploymentResponseDeployment:
        """The deployment: spec, revision and per-route status."""
        return self._t.request("GET", path("/api/v1/deployments/{name}", name=name))["deployment"]

    def list(self) -> Iterator[GetDeploymentResponseDeployment]:
        """Every deployment with its live status."""
        return self._t.iterate("/api/v1/deployments", "deployments")

    def update(self, name: str, *, weights: Optional[Mapping[Version, float]] = None, model: Optional[str] = None,
               routes: Optional[Sequence[Mapping[str, Any]]] = None, shadow: Any = _UNSET, sticky_key: Any = _UNSET,
               batching: Any = _UNSET, timeout: Optional[float] = None) -> GetDeploymentResponseDeployment:
        """A new revision. ``weights={"2": 90, "3": 10}`` splits traffic between versions of the deployment's
        model (``"@alias"`` keys follow an alias; ``model=`` when the deployment routes to several models);
        ``routes`` replaces the routes in the server's own shape. What is not given stays as it is."""
        if weights is not None and routes is not None:
            raise ValueError("give weights or routes, not both")
        if weights is None and routes is None and shadow is _UNSET and sticky_key is _UNSET and batching is _UNSET:
            raise ValueError("nothing to change: give weights or routes (and/or shadow, sticky_key, batching)")
        spec = dict(self.get(name)["spec"])
        if weights is not None:
            m = model or _only_model(spec, name)
            spec["routes"] = [{**_ref(m, v), "weight": w} for v, w in weights.items()]
        elif routes is not None:
            spec["routes"] = [dict(r) for r in routes]
        if shadow is not _UNSET:
            spec["shadow"] = [dict(s) for s in (shadow or [])]
        if sticky_key is not _UNSET:
            spec.pop("sticky_key", None)
            if sticky_key is not None:
                spec["sticky_key"] = sticky_key
        if batching is not _UNSET:
            spec["batching"] = {**spec.get("batching", {}), **dict(batching or {})}
        return self._put(name, spec, timeout)

    def shadow(self, name: str, versions: Union[Version, Sequence[Version], None], *, model: Optional[str] = None,
               timeout: Optional[float] = None) -> GetDeploymentResponseDeployment:
        """Mirror traffic to these versions (results logged, never returned); ``[]`` or None stops shadowing.
        ``"@alias"`` follows an alias."""
        spec = dict(self.get(name)["spec"])
        if versions is None:
            versions = []
        elif isinstance(versions, (str, int)):
            versions = [versions]
        m = model or _only_model(spec, name)
        spec["shadow"] = [_ref(m, v) for v in versions]
        return self._put(name, spec, timeout)

    def _change_timeout(self, timeout: Optional[float]) -> float:
        return timeout if timeout is not None else max(self._t.settings.timeout, CHANGE_TIMEOUT_S)

    def _put(self, name: str, spec: Mapping[str, Any], timeout: Optional[float]) -> GetDeploymentResponseDeployment:
        body = {k: spec[k] for k in ("routes", "shadow", "sticky_key", "batching") if k in spec}
        return self._t.request("PUT", path("/api/v1/deployments/{name}", name=name), json=body,
                               timeout=self._change_timeout(timeout))["deployment"]

    def revisions(self, name: str) -> List[ListDeploymentRevisionsResponseRevisionsItem]:
        """Revision history, newest first: each with its spec, author and comment."""
        return self._t.request("GET", path("/api/v1/deployments/{name}/revisions", name=name))["revisions"]

    def rollback(self, name: str, revision: Optional[int] = None, *, timeout: Optional[float] = None) -> GetDeploymentResponseDeployment:
        """Return to an earlier revision's spec (recorded as a new revision); default: the one before the current."""
        if revision is None:
            current = self.get(name)["revision"]
            earlier = [r["revision"] for r in self.revisions(name) if r["revision"] < current]
            if not earlier:
                raise ValueError(f"deployment {name!r} has no revision before {current} to roll back to")
            revision = max(earlier)
        return self._t.request("POST", path("/api/v1/deployments/{name}/rollback", name=name), json={"revision": int(revision)},
                               timeout=self._change_timeout(timeout))["deployment"]

    def delete(self, name: str) -> None:
        """Delete the deployment (drains, then unloads)."""
        self._t.request("DELETE", path("/api/v1/deployments/{name}", name=name))

    # ---- predictions ----

    def predict(self, name: str, data: Any, *, binary: Optional[bool] = None, request_id: Optional[str] = None,
                fields: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None) -> Predictions:
        """Predict on a list of records, a dict of columns, a DataFrame or a 2-D numpy array (in the model's feature
        order). ``binary``: True sends numeric numpy arrays as Open Inference Protocol binary tensors, False as JSON,
        None (default) binary above ``BINARY_AUTO_ELEMENTS`` elements. ``request_id`` is sent as ``X-Request-Id``
        (feedback can then use your own id: 1 to 200 visible ASCII characters, no spaces); ``fields`` go along at the top level (the deployment's sticky key)."""
        if request_id is not None and not _USABLE_ID.match(request_id):
            # The server would answer under an id of its own, and feedback sent later by this one would match nothing.
            raise ValueError(f"request_id must be 1 to 200 visible ASCII characters without spaces (the server replaces any "
                             f"other X-Request-Id with its own); got {request_id[:40]!r}{'…' if len(request_id) > 40 else ''}")
        auto = binary is None
        if auto:
            binary = _frames.is_numeric_array(data) and data.size >= BINARY_AUTO_ELEMENTS
        if binary:
            answer = self._predict_binary(name, data, request_id, fields, timeout, auto)
            if answer is not None:
                return answer
        body = {**_frames.predict_body(data), **_frames.clean(dict(fields or {}))}
        headers = {"Content-Type": "application/json"}
        if request_id is not None:
            headers["X-Request-Id"] = request_id
        answer = self._t.request("POST", path("/api/v1/deployments/{name}/predict", name=name),
                                 data=dumps(body).encode("utf-8"), headers=headers, timeout=timeout)
        return Predictions(answer["predictions"], model=answer.get("model"), model_version=answer["model_version"],
                           deployment=answer.get("deployment", name), revision=answer.get("revision"),
                           request_id=answer.get("request_id"), raw=answer)

    def metadata(self, name: str) -> V2ModelMetadataResponse:
        """The deployment as an Open Inference Protocol model: its input and output tensors."""
        return self._t.request("GET", path("/v2/models/{name}", name=name))

    def _predict_binary(self, name: str, data: Any, request_id: Optional[str], fields: Optional[Mapping[str, Any]],
                        timeout: Optional[float], auto: bool = False) -> Optional[Predictions]:
        meta = self.metadata(name)
        if auto and any(s["datatype"] not in _v2.BINARY_DATATYPES for s in meta["inputs"]):
            return None  # a text (BYTES) input: JSON, which reads numbers there as their text, as it would below the threshold
        inputs = _binary_inputs(data, meta["inputs"])
        body, n = _v2.encode(inputs, _frames.clean(dict(fields or {})), request_id)
        headers = {"Content-Type": "application/octet-stream", _v2.HEADER: str(n)}
        if request_id is not None:
            headers["X-Request-Id"] = request_id
        resp = self._t.raw("POST", path("/v2/models/{name}/infer", name=name), data=body, headers=headers, timeout=timeout)
        answer, outputs = _v2.decode(resp.content, resp.headers.get(_v2.HEADER))
        rid = (answer.get("parameters") or {}).get("request_id") or resp.headers.get("X-Request-Id")
        return Predictions(_v2.predictions_of(outputs), model=None, model_version=answer["model_version"],
                           deployment=answer.get("model_name", name), revision=None, request_id=rid,
                           outputs=outputs, raw=answer)

    def explain(self, name: str, data: Any, **options: Any):
        """Shapley-value explanations of the deployment's predictions for these rows (at most 100): ``method``,
        ``background={"dataset", "version", "rows"}``, ``budget``, ``seed`` as the route takes them."""
        from .models import ExplanationReport

        body = {"instances": _frames.records(data), **_frames.clean(options)}
        answer = self._t.request("POST", path("/api/v1/deployments/{name}/explain", name=name), json=body)
        return ExplanationReport(answer, f"Explanation of {name}")


def _only_model(spec: Mapping[str, Any], name: str) -> str:
    models = {r["model"] for r in spec.get("routes", [])}
    if len(models) != 1:
        raise ValueError(f"deployment {name!r} routes to {sorted(models)}: say which with model=")
    return next(iter(models))


def _binary_inputs(data: Any, specs: Sequence[Mapping[str, Any]]) -> List[Any]:
    """Arrays per model input: a 2-D array for a model with one [N, F] input, or its columns for a model with one
    [N, 1] input per feature; a dict of columns or a DataFrame by input name."""
    import numpy as np

    if type(data).__name__ == "DataFrame" or isinstance(data, Mapping):
        if len(specs) == 1 and specs[0]["name"] not in data:
            raise ValueError("this model takes one 2-D input: pass a numpy array in its feature order for binary=True")
        missing = [s["name"] for s in specs if s["name"] not in data]
        if missing:
            raise ValueError(f"binary=True needs every model input by name; missing {missing}")
        out = []
        for s in specs:
            col = np.asarray(data[s["name"]])
            if col.ndim == 1 and len(s.get("shape") or []) == 2:
                col = col.reshape(-1, 1)  # a column for an [N, 1] input
            out.append((s["name"], col, s["datatype"]))
        return out
    arr = np.asarray(data)
    if arr.ndim != 2:
        raise ValueError(f"binary predictions take a 2-D array (rows × features), got {arr.ndim}-D")
    if len(specs) == 1 and len(specs[0].get("shape") or []) != 1:
        return [(specs[0]["name"], arr, specs[0]["datatype"])]
    if arr.shape[1] != len(specs):
        raise ValueError(f"the model has {len(specs)} inputs (one per feature); the array has {arr.shape[1]} columns")
    # Column j feeds input j, shaped as that input is declared: [N] or [N, 1] (the server takes either per column).
    return [(s["name"], arr[:, j] if len(s.get("shape") or []) == 1 else arr[:, j : j + 1], s["datatype"]) for j, s in enumerate(specs)]
