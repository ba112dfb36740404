"""Monitoring a deployment: ground truth (feedback, A/B outcomes), its drift reference, and the reports on its
traffic — drift, drift per window, data quality, live and estimated performance — as ``Report`` objects
(``.to_frame()``, HTML in notebooks); and the prediction log, iterated page by page."""
from __future__ import annotations

import datetime as _dt
import os
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Mapping, Optional, Union

from . import _frames
from ._http import Transport, path
from ._report import BarChart, DriftReport, Report, flatten
from .errors import FerryError, NotFoundError, PayloadTooLargeError

if TYPE_CHECKING:  # the generated response types (scripts/gen_types.py); annotations only
    from ._types import (
        GetMonitoringSettingsResponse,
        GetMonitoringSettingsResponseSettings,
        GetReferenceResponseReference,
        ListPredictionsResponsePredictionsItem,
        PutReferenceResponseReference,
        SubmitFeedbackResponse,
        SubmitOutcomesResponse,
    )

Instant = Union[str, int, float, _dt.datetime, _dt.timedelta, None]
MAX_ITEMS = 10_000  # feedback and outcome items per request (the server's limit)


def instant(v: Instant) -> Optional[str]:
    """A time as queries take it: ISO 8601 / epoch ms / a duration ago ('24h') as given; a datetime (pandas' and
    numpy's too) as epoch ms (a naive one read as UTC); a timedelta as that long ago; NaN/NaT as not given."""
    if v is None or isinstance(v, str):
        return v
    if v != v:  # NaN, NaT: no time given
        return None
    if type(v).__module__ == "numpy" and type(v).__name__ == "datetime64":
        # numpy's int() of a datetime64 counts its own unit (days, µs, ns …), not milliseconds; it is UTC already.
        return str(int(v.astype("datetime64[ms]").astype("int64")))
    if isinstance(v, _dt.datetime):
        if v.tzinfo is None:
            v = v.replace(tzinfo=_dt.timezone.utc)
        return str(int(v.timestamp() * 1000))
    if isinstance(v, _dt.timedelta):
        return f"{max(1, int(v.total_seconds()))}s"
    return str(int(v))


def _methods(method: Union[str, Mapping[str, str], None]) -> Optional[str]:
    if method is None or isinstance(method, str):
        return method
    return ",".join(f"{k}:{m}" for k, m in method.items())


class DriftWindowsReport(Report):
    """Drift per profile window: one row per (window, feature); the chart the share of drifted features per window."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for w in self.data.get("windows") or []:
            for f in w.get("features") or []:
                out.append({"start": w["start"], "rows": w["rows"], "feature": f["name"], "method": f.get("method"),
                            "statistic": f.get("statistic"), "drifted": f.get("drifted"), "dataset_drift": w.get("dataset_drift")})
            p = w.get("prediction")
            if isinstance(p, dict):
                out.append({"start": w["start"], "rows": w["rows"], "feature": "(prediction)", "method": None,
                            "statistic": p.get("statistic"), "drifted": p.get("drifted"), "dataset_drift": w.get("dataset_drift")})
        return out

    def summary(self) -> str:
        ws = self.data.get("windows") or []
        return f"{len(ws)} windows, {sum(1 for w in ws if w.get('dataset_drift'))} with dataset drift"

    def chart(self) -> Optional[BarChart]:
        ws = self.data.get("windows") or []
        if not ws:
            return None
        return BarChart("share of drifted features per window", [w["start"] for w in ws], [w.get("share_drifted") for w in ws],
                        [bool(w.get("dataset_drift")) for w in ws], "dataset drift")


class QualityReport(Report):
    """Data quality over the range: one row per feature (missing rate, type errors, out of range, unseen
    categories); the chart the missing rate, features with any problem marked."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for f in self.data.get("features") or []:
            row = {k: v for k, v in f.items() if k != "unseen_top"}
            if f.get("unseen_top"):
                row["unseen_top"] = ", ".join(f"{u['value']} ({u['count']:g})" for u in f["unseen_top"])
            out.append(row)
        return out

    def summary(self) -> str:
        d = self.data
        bad = [r["name"] for r in self.rows() if _has_problem(r)]
        line = f"{len(d.get('features') or [])} features, {len(bad)} with problems" + (f" ({', '.join(bad[:8])})" if bad else "")
        if not d.get("has_reference"):
            line += "; no reference: range and category checks skipped"
        return line

    def chart(self) -> Optional[BarChart]:
        rows = self.rows()
        if not rows:
            return None
        return BarChart("missing rate per feature", [r["name"] for r in rows], [r.get("null_rate") for r in rows],
                        [_has_problem(r) for r in rows], "problem")


def _has_problem(r: Mapping[str, Any]) -> bool:
    return bool(r.get("null_rate") or r.get("type_errors") or r.get("out_of_range") or r.get("unseen_categories"))


class PerformanceReport(Report):
    """Live performance from feedback: one row per model version (and ``overall``) with its scalar metrics."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        overall = self.data.get("overall")
        if isinstance(overall, dict):
            out.append({"model_version": "overall", **_metrics(overall)})
        for v in self.data.get("versions") or []:
            out.append(_metrics(v))
        return out

    def windows_frame(self):
        """One row per (window, model version) with its scalar metrics."""
        import pandas as pd

        return pd.DataFrame([{"start": w["start"], **_metrics(v)} for w in self.data.get("windows") or [] for v in w.get("versions") or []])

    def summary(self) -> str:
        d = self.data
        o = d.get("overall") or {}
        key = "accuracy" if "accuracy" in o else "rmse" if "rmse" in o else None
        return f"{d.get('n')} predictions with feedback" + (f", {key} {o[key]:.4g}" if key and o.get(key) is not None else "")

    def chart(self) -> Optional[BarChart]:
        vs = self.data.get("versions") or []
        key = next((k for k in ("accuracy", "rmse") if any(k in v for v in vs)), None)
        if not key:
            return None
        return BarChart(f"{key} per model version", [f"version {v['model_version']}" for v in vs], [v.get(key) for v in vs], [False] * len(vs))


def _metrics(m: Mapping[str, Any]) -> Dict[str, Any]:
    # Scalars and the averaged precision/recall/F1; the confusion matrix and per-class lists stay in .data.
    flat = flatten({k: v for k, v in m.items() if k not in ("per_class", "confusion_matrix", "notes")})
    return flat


class EstimatedPerformanceReport(Report):
    """CBPE estimates: one row per (window, metric) with the band and the realized value where labels joined;
    the chart the overall estimate per metric, metrics whose realized value left the band marked."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for w in [self.data.get("overall")] + list(self.data.get("windows") or []):
            if not isinstance(w, dict):
                continue
            for metric, m in (w.get("metrics") or {}).items():
                out.append({"start": w["start"] if w is not self.data.get("overall") else "overall", "end": w.get("end"),
                            "rows": w.get("rows"), "labelled": w.get("labelled"), "metric": metric, **m})
        return out

    def summary(self) -> str:
        d = self.data
        m = d.get("model") or {}
        return f"model {m.get('name')} version {m.get('version')}, {len(d.get('windows') or [])} windows of {d.get('window')}"

    def chart(self) -> Optional[BarChart]:
        o = (self.data.get("overall") or {}).get("metrics") or {}
        if not o:
            return None
        names = list(o)
        return BarChart("estimated metric over the range", names, [o[k].get("estimated") for k in names],
                        [bool(o[k].get("realized_outside_band")) for k in names], "realized outside band")


class Monitoring:
    def __init__(self, t: Transport) -> None:
        self._t = t

    # ---- ground truth ----

    def feedback(self, items: Any = None, *, request_id: Optional[str] = None, row: int = 0, label: Any = None,
                 value: Optional[float] = None, outcome: Any = None, timestamp: Instant = None) -> SubmitFeedbackResponse:
        """Ground truth for earlier predictions, by the request id a prediction answered (and its row): one item
        by keywords, or ``items`` as a list of dicts or a DataFrame (request_id, row, label | value | outcome,
        timestamp). Sent in batches of 10,000; answers {accepted, unknown} (unknown: items matching no logged
        prediction, with their index in ``items``). When none of a batch matches, NotFoundError."""
        if items is None:
            if request_id is None:
                raise ValueError("give request_id (and label, value or outcome), or items")
            item: Dict[str, Any] = {"request_id": request_id, "row": row}
            for k, v in (("label", label), ("value", value), ("outcome", outcome)):
                if v is not None:
                    item[k] = v
            if timestamp is not None:
                item["timestamp"] = _body_instant(timestamp)
            items = [item]
        return _batched(_items(items), lambda batch: self._t.request("POST", "/api/v1/feedback", json={"feedback": batch}))

    def outcomes(self, items: Any = None, *, metric: Optional[str] = None, unit: Optional[str] = None,
                 request_id: Optional[str] = None, value: Optional[float] = None, timestamp: Instant = None) -> SubmitOutcomesResponse:
        """Business outcome events for A/B tests (conversions, revenue …), by unit (the sticky key's value) or by
        request id: one by keywords, or ``items`` (list of dicts or a DataFrame). Answers {accepted, unknown}."""
        if items is None:
            if metric is None or (unit is None) == (request_id is None):
                raise ValueError("give metric and exactly one of unit or request_id, or items")
            item: Dict[str, Any] = {"metric": metric, **({"unit": unit} if unit is not None else {"request_id": request_id})}
            if value is not None:
                item["value"] = value
            if timestamp is not None:
                item["timestamp"] = _body_instant(timestamp)
            items = [item]
        return _batched(_items(items), lambda batch: self._t.request("POST", "/api/v1/outcomes", json={"outcomes": batch}))

    # ---- settings and reference ----

    def settings(self, name: str) -> GetMonitoringSettingsResponse:
        """Monitoring settings and what the prediction log stored, sampled out or dropped."""
        return self._t.request("GET", path("/api/v1/deployments/{name}/monitoring", name=name))

    def update_settings(self, name: str, **settings: Any) -> GetMonitoringSettingsResponseSettings:
        """Change ``enabled``, ``sample_rate``, ``retention_days``, ``pii`` ({drop, hash}) or ``window`` ('1h')."""
        return self._t.request("PUT", path("/api/v1/deployments/{name}/monitoring", name=name), json=settings)["settings"]

    def set_reference(self, name: str, data: Any = None, *, prediction_column: Optional[str] = None,
                      dataset: Optional[str] = None, training_data: bool = False, frm: Instant = None,
                      to: Instant = None) -> PutReferenceResponseReference:
        """Attach what drift is measured against: a DataFrame (sent as CSV, or as JSON Lines where CSV would read a
        text value as a number, a boolean or a missing value) or a CSV/JSON Lines file path (the request body is
        limited, 2 MiB by default: store a larger table as a dataset version); a dataset version
        ``dataset="name@3"``; ``training_data=True`` (the serving version's, from lineage); or a past window of this
        deployment's traffic (``frm``, ``to``). ``prediction_column`` names the table's column of predictions (else
        the live model scores it)."""
        if data is not None:
            if isinstance(data, (str, os.PathLike)):
                with open(data, "rb") as f:
                    text = f.read()
                ctype = "application/x-ndjson" if os.fspath(data).endswith((".jsonl", ".ndjson")) else "text/csv"
            else:
                # CSV, or JSON Lines where CSV would read text such as "002" as the number 2 (false drift).
                text, ctype = _frames.table_body(data)
            try:
                answer = self._t.request("PUT", path("/api/v1/deployments/{name}/reference", name=name),
                                         params={"prediction_column": prediction_column}, data=text,
                                         headers={"Content-Type": ctype})
            except PayloadTooLargeError as e:
                e.message += (f" The table is {len(text) / 2**20:.1f} MiB: push it as a dataset version"
                              " (client.datasets) and pass dataset='NAME@VERSION', or send a sample.")
                e.args = (e.message,)
                raise
        else:
            body: Dict[str, Any] = {}
            if dataset is not None:
                body["dataset"] = dataset
            if training_data:
                body["training_data"] = True
            if frm is not None:
                body["from"] = _body_instant(frm)
            if to is not None:
                body["to"] = _body_instant(to)
            if prediction_column is not None:
                body["prediction_column"] = prediction_column
            answer = self._t.request("PUT", path("/api/v1/deployments/{name}/reference", name=name), json=body)
        return answer["reference"]

    def reference(self, name: str) -> GetReferenceResponseReference:
        """The deployment's reference: its source, rows and a summary per column."""
        return self._t.request("GET", path("/api/v1/deployments/{name}/reference", name=name))["reference"]

    # ---- reports ----

    def drift(self, name: str, frm: Instant = None, to: Instant = None, *, model_version: Optional[str] = None,
              drift_share: Optional[float] = None, method: Union[str, Mapping[str, str], None] = None) -> DriftReport:
        """Drift of the traffic in [frm, to) (default the last 24 h) against the reference, per feature and for the
        prediction. ``method={"age": "psi"}`` picks a test per feature."""
        q = {"from": instant(frm), "to": instant(to), "model_version": model_version, "drift_share": drift_share, "method": _methods(method)}
        answer = self._t.request("GET", path("/api/v1/deployments/{name}/drift", name=name), params=q)
        return DriftReport(answer, f"Drift of {name}")

    def drift_windows(self, name: str, frm: Instant = None, to: Instant = None, *, drift_share: Optional[float] = None,
                      method: Union[str, Mapping[str, str], None] = None) -> DriftWindowsReport:
        """Drift per profile window over the range (for charts)."""
        q = {"from": instant(frm), "to": instant(to), "drift_share": drift_share, "method": _methods(method)}
        answer = self._t.request("GET", path("/api/v1/deployments/{name}/drift/windows", name=name), params=q)
        return DriftWindowsReport(answer, f"Drift per window of {name}")

    def quality(self, name: str, frm: Instant = None, to: Instant = None) -> QualityReport:
        """Missing values, type errors, out-of-range numbers and unseen categories of the traffic."""
        answer = self._t.request("GET", path("/api/v1/deployments/{name}/quality", name=name), params={"from": instant(frm), "to": instant(to)})
        return QualityReport(answer, f"Data quality of {name}")

    def performance(self, name: str, frm: Instant = None, to: Instant = None) -> PerformanceReport:
        """Live performance from feedback, overall, per model version and per window."""
        answer = self._t.request("GET", path("/api/v1/deployments/{name}/performance", name=name), params={"from": instant(frm), "to": instant(to)})
        return PerformanceReport(answer, f"Performance of {name}")

    def estimated_performance(self, name: str, frm: Instant = None, to: Instant = None, **options: Any) -> EstimatedPerformanceReport:
        """Performance estimated without labels (CBPE, binary classifiers): ``window``, ``dataset``, ``label``,
        ``calibration``, ``prediction``, ``probability`` as the route takes them."""
        q = {"from": instant(frm), "to": instant(to), **options}
        answer = self._t.request("GET", path("/api/v1/deployments/{name}/performance/estimated", name=name), params=q)
        return EstimatedPerformanceReport(answer, f"Estimated performance of {name}")

    # ---- the prediction log ----

    def predictions(self, name: str, frm: Instant = None, to: Instant = None, *, model_version: Optional[str] = None,
                    status: Optional[str] = None, route: Optional[str] = None, page_size: int = 100) -> Iterator[ListPredictionsResponsePredictionsItem]:
        """Every logged prediction row in the range, newest first, fetched ``page_size`` requests at a time."""
        q = {"from": instant(frm), "to": instant(to), "model_version": model_version, "status": status, "route": route}
        return self._t.iterate(path("/api/v1/deployments/{name}/predictions", name=name), "predictions", params=q, page_size=page_size)

    def predictions_frame(self, name: str, frm: Instant = None, to: Instant = None, *, limit: Optional[int] = None, **filters: Any):
        """The prediction log as a DataFrame: the facts, then ``input.<feature>`` and ``output.<name>`` columns."""
        import itertools

        import pandas as pd

        rows = self.predictions(name, frm, to, **filters)
        if limit is not None:
            rows = itertools.islice(rows, limit)
        return pd.DataFrame([_frames.flatten_prediction(p) for p in rows])


def _batched(items: List[Dict[str, Any]], send: Callable[[List[Dict[str, Any]]], Any]) -> Dict[str, Any]:
    """Items sent MAX_ITEMS at a time; unknown items keep their index in the whole list. A batch none of whose
    items matches (the server's 404) is listed as unknown and the next batches are still sent; only when nothing
    matched at all is it NotFoundError. A batch refused otherwise raises with ``accepted`` (items stored by the
    batches before) and ``first_unsent`` (where to resume) on the error: outcome events are not deduplicated, so
    resending the stored ones would count them twice."""
    accepted, unknown = 0, []
    first_missing: Optional[NotFoundError] = None
    for start in range(0, len(items), MAX_ITEMS):
        batch = items[start : start + MAX_ITEMS]
        try:
            answer = send(batch)
        except NotFoundError as e:
            first_missing = first_missing or e
            unknown += [{**_identity(it), "index": start + i, "reason": e.message} for i, it in enumerate(batch)]
            continue
        except FerryError as e:
            if start > 0:
                e.accepted, e.first_unsent = accepted, start  # type: ignore[attr-defined]
                e.message += (f" (items before index {start} were sent first: {accepted} items were already stored;"
                              f" resend from index {start} only)")
                e.args = (e.message,)
            raise
        accepted += answer.get("accepted", 0)
        unknown += [{**u, "index": u["index"] + start} for u in answer.get("unknown") or []]
    if accepted == 0 and first_missing is not None:
        raise first_missing
    return {"accepted": accepted, "unknown": unknown}


def _identity(item: Mapping[str, Any]) -> Dict[str, Any]:
    # What the server's own unknown entries name: a feedback item's request id and row (default 0), an outcome
    # event's request id or unit.
    if "metric" in item:
        return {k: item[k] for k in ("request_id", "unit") if k in item}
    return {"request_id": item.get("request_id"), "row": item.get("row", 0)}


def _body_instant(v: Instant) -> Union[str, int, None]:
    s = instant(v)
    return int(s) if s is not None and s.isdigit() else s


def _items(items: Any) -> List[Dict[str, Any]]:
    if type(items).__name__ == "DataFrame":
        # Values as pandas holds them (Timestamps, not their ISO text): times are converted below.
        items = items.to_dict("records")
    if isinstance(items, Mapping):
        items = [items]
    out = []
    for it in items:
        raw = dict(it)
        # A time as epoch ms, a naive one read as UTC (an ISO text without an offset would be read in the server's
        # time zone), as the keyword form sends it; a missing one (NaT, NaN) left out.
        ts = _body_instant(raw.pop("timestamp")) if "timestamp" in raw else None
        d = {k: v for k, v in _frames.clean(raw).items() if v is not None}
        if ts is not None:
            d["timestamp"] = ts
        out.append(d)
    return out
