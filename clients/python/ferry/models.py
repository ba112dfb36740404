"""Ferry's native routes on registered models (tracking and the registry itself are MLflow's API: use the mlflow
client for those): register an .onnx file, model cards, fairness reports, explanations and importance, and the
conversion of a version logged with its sklearn/xgboost/lightgbm flavor to ONNX."""
from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _frames
from ._http import Transport, path
from ._report import BarChart, Report, fmt
from .errors import FerryError, TimeoutExpiredError

if TYPE_CHECKING:  # the generated response types (scripts/gen_types.py); annotations only
    from ._types import (
        GetCardStatusResponse,
        ListFairnessReportsResponseReportsItem,
        RegisterOnnxModelResponse,
    )

Version = Union[str, int]
_END_STATES = ("succeeded", "failed")


class ConversionFailedError(FerryError):
    """A conversion to ONNX ended in ``failed``: ``step`` says where (e.g. load, convert, verify) and
    ``estimator`` what it was converting, as the server reported them."""

    code = "CONVERSION_FAILED"

    def __init__(self, message: str, *, step: Optional[str] = None, estimator: Optional[str] = None, body: Any = None) -> None:
        super().__init__(message, body=body)
        self.step = step
        self.estimator = estimator


class ExplanationReport(Report):
    """Shapley values per explained row: one table row per (row, output, feature), the chart the mean |φ|."""

    def rows(self) -> List[Dict[str, Any]]:
        outs = self.data.get("outputs") or []
        out = []
        for i, e in enumerate(self.data.get("explanations") or []):
            for k, attr in enumerate(e.get("attributions") or []):
                for feature, phi in attr.items():
                    out.append({"row": i, "output": outs[k] if k < len(outs) else k, "feature": feature, "shap_value": phi})
        return out

    def to_wide(self, output: int = 0):
        """One row per explained row, one column per feature: the Shapley values of one output."""
        import pandas as pd

        return pd.DataFrame([e["attributions"][output] for e in self.data.get("explanations") or []])

    def summary(self) -> str:
        d = self.data
        return (f"{len(d.get('explanations') or [])} rows, method {d.get('method')}, model {d.get('model')} "
                f"version {d.get('model_version')}, output space {d.get('output_space')}"
                + (" (budget ran out: estimates)" if d.get("truncated") else ""))

    def chart(self) -> Optional[BarChart]:
        totals: Dict[str, List[float]] = {}
        for r in self.rows():
            totals.setdefault(r["feature"], []).append(abs(r["shap_value"]))
        if not totals:
            return None
        ranked = sorted(((sum(v) / len(v), k) for k, v in totals.items()), reverse=True)
        return BarChart("mean |SHAP value| per feature", [k for _, k in ranked], [m for m, _ in ranked], [False] * len(ranked))


class ImportanceReport(Report):
    """Global importance: one row per feature (mean |φ|), largest first."""

    def rows(self) -> List[Dict[str, Any]]:
        return [{"feature": f["feature"], "mean_abs": f["mean_abs"]} for f in self.data.get("features") or []]

    def summary(self) -> str:
        d = self.data
        return f"model {d.get('model')} version {d.get('model_version')}, method {d.get('method')}, {d.get('rows')} rows explained"

    def chart(self) -> Optional[BarChart]:
        rows = self.rows()
        return BarChart("mean |SHAP value|", [r["feature"] for r in rows], [r["mean_abs"] for r in rows], [False] * len(rows)) if rows else None


class FairnessReport(Report):
    """A fairness report: one row per (sensitive features, metric, group) with the group's value and size; the
    summary the four-fifths check and demographic parity; the chart the first metric per group of the first
    analysis, groups below min_group_size marked."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for a in self.data.get("analyses") or []:
            for f in a.get("frames") or []:
                for g in f.get("groups") or []:
                    out.append({"features": " × ".join(a.get("features") or []), "metric": f["metric"], "group": g["label"],
                                "value": g.get("value"), "n": g.get("n"), "insufficient": g.get("insufficient"),
                                "overall": f.get("overall")})
        return out

    def summary(self) -> str:
        d = self.data
        analyses = d.get("analyses") or []
        if not analyses:
            return f"{d.get('n_rows')} rows"
        ff = analyses[0].get("four_fifths") or {}
        return (f"{d.get('n_rows')} rows of {d.get('dataset')} v{d.get('dataset_version')}; four-fifths ratio "
                f"{fmt(ff.get('ratio'))}: {'flagged' if ff.get('flagged') else 'not flagged'}")

    def chart(self) -> Optional[BarChart]:
        analyses = self.data.get("analyses") or []
        frames = analyses[0].get("frames") if analyses else None
        if not frames:
            return None
        f = frames[0]
        gs = f.get("groups") or []
        return BarChart(f"{f['metric']} per group", [g["label"] for g in gs], [g.get("value") for g in gs],
                        [bool(g.get("insufficient")) for g in gs], "below min_group_size")


class Models:
    def __init__(self, t: Transport) -> None:
        self._t = t

    def register_onnx(self, name: str, model: Any, *, features: Optional[Sequence[str]] = None,
                      description: Optional[str] = None) -> RegisterOnnxModelResponse:
        """Register an ONNX model (bytes, a path, or an ``onnx.ModelProto``) as a new version of ``name`` (created
        if needed). ``features`` names the columns of a model whose one 2-D input has one column per feature.
        Answers {model_version, signature}."""
        if hasattr(model, "SerializeToString"):
            blob = model.SerializeToString()
        elif isinstance(model, (bytes, bytearray)):
            blob = bytes(model)
        else:
            with open(model, "rb") as f:
                blob = f.read()
        params = {"features": ",".join(features) if features else None, "description": description}
        return self._t.request("POST", path("/api/v1/models/{name}/versions", name=name), params=params, data=blob,
                               headers={"Content-Type": "application/octet-stream"})

    # ---- cards ----

    def card(self, name: str, version: Version, format: str = "json") -> Any:
        """The version's model card: a dict for json/mct/hf, text for md/html."""
        answer = self._t.raw("GET", path("/api/v1/models/{name}/versions/{version}/card", name=name, version=version),
                             params={"format": format})
        return answer.json() if "json" in answer.headers.get("Content-Type", "") else answer.text

    def card_status(self, name: str, version: Version) -> GetCardStatusResponse:
        """The card's hash and each section's state (what approvals sign)."""
        return self._t.request("GET", path("/api/v1/models/{name}/versions/{version}/card/status", name=name, version=version))

    # ---- fairness ----

    def fairness(self, name: str, version: Version, *, rows: bool = False, **request: Any) -> FairnessReport:
        """Score a dataset version and store a fairness report: ``dataset``, ``dataset_version``,
        ``sensitive_features``, ``label`` … as the route takes them (src/contract/fairness.ts)."""
        answer = self._t.request("POST", path("/api/v1/models/{name}/versions/{version}/fairness", name=name, version=version),
                                 params={"rows": rows}, json=_frames.clean(request))
        return FairnessReport(answer["report"], f"Fairness of {name} version {version}")

    def fairness_reports(self, name: str, version: Version) -> List[ListFairnessReportsResponseReportsItem]:
        """Stored fairness reports of the version, newest first (summaries)."""
        return self._t.request("GET", path("/api/v1/models/{name}/versions/{version}/fairness", name=name, version=version))["reports"]

    def fairness_report(self, name: str, version: Version, report_id: Union[int, str], *, rows: bool = False) -> FairnessReport:
        answer = self._t.request("GET", path("/api/v1/models/{name}/versions/{version}/fairness/{id}", name=name, version=version, id=report_id),
                                 params={"rows": rows})
        return FairnessReport(answer["report"], f"Fairness of {name} version {version}")

    # ---- explanations ----

    def explain(self, name: str, version: Version, data: Any, **options: Any) -> ExplanationReport:
        """Shapley values of the version's predictions for these rows (a DataFrame, records or a dict of columns)."""
        body = {"instances": _frames.records(data), **_frames.clean(options)}
        answer = self._t.request("POST", path("/api/v1/models/{name}/versions/{version}/explain", name=name, version=version), json=body)
        return ExplanationReport(answer, f"Explanation of {name} version {version}")

    def importance(self, name: str, version: Version, **query: Any) -> ImportanceReport:
        """Global importance (mean |φ| over a seeded background sample): ``dataset``, ``dataset_version``,
        ``method``, ``rows``, ``seed``, ``stored``."""
        answer = self._t.request("GET", path("/api/v1/models/{name}/versions/{version}/importance", name=name, version=version), params=query)
        return ImportanceReport(answer, f"Importance of {name} version {version}")

    # ---- conversion to ONNX ----

    def conversion(self, name: str, version: Version) -> Dict[str, Any]:
        """The version's conversion to ONNX: its ``state`` (queued, running, succeeded, failed) and details."""
        return _unwrap(self._t.request("GET", path("/api/v1/models/{name}/versions/{version}/conversion", name=name, version=version)))

    def convert(self, name: str, version: Version, *, wait: bool = True, timeout: float = 600, force: bool = False,
                poll_s: float = 1.0) -> Dict[str, Any]:
        """Start (or, with ``force``, redo) the conversion of a version logged with its sklearn/xgboost/lightgbm
        flavor. With ``wait`` polls until it ends, a progress line on stderr; raises ``ConversionFailedError`` when
        it failed and ``TimeoutExpiredError`` past ``timeout`` seconds."""
        conv = _unwrap(self._t.request("POST", path("/api/v1/models/{name}/versions/{version}/conversion", name=name, version=version),
                                       json={"force": bool(force)}))
        if not wait:
            return conv
        deadline = time.monotonic() + timeout
        last = None
        while True:
            state = conv.get("state")
            line = _progress(name, version, conv)
            if line != last:
                print(line, file=sys.stderr, flush=True)
                last = line
            if state == "failed":
                raise _failed(name, version, conv)
            if state == "succeeded":
                return conv
            if time.monotonic() > deadline:
                raise TimeoutExpiredError(f"conversion of {name} version {version} still {state} after {timeout:g} s")
            time.sleep(poll_s)
            conv = self.conversion(name, version)


def _unwrap(answer: Mapping[str, Any]) -> Dict[str, Any]:
    # Both routes answer {"conversion": {...}} (src/contract/conversions.ts).
    return dict(answer["conversion"])


def _progress(name: str, version: Version, conv: Mapping[str, Any]) -> str:
    extra = [f"{k} {conv[k]}" for k in ("flavor", "estimator", "step") if conv.get(k) not in (None, "")]
    return f"ferry: converting {name} version {version}: {conv.get('state')}" + (f" ({', '.join(map(str, extra))})" if extra else "")


def _failed(name: str, version: Version, conv: Mapping[str, Any]) -> ConversionFailedError:
    step, estimator = conv.get("step"), conv.get("estimator")
    msg = conv.get("message") or (
        f"conversion of {name} version {version} failed" + (f" at {step}" if step else "") + (f" ({estimator})" if estimator else "")
    )
    if conv.get("error") and str(conv["error"]) not in msg:
        msg += f": {conv['error']}"
    return ConversionFailedError(msg, step=step, estimator=estimator, body=dict(conv))
