"""A/B tests on a deployment's model versions, judged on business outcomes (docs/abtests.md): create, start, stop,
list, the report (a table of arm × metric), and the outcome events (``POST /api/v1/outcomes``) they are judged on.
Not MLflow experiments: those are groups of runs."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

from ._http import Transport, path

if TYPE_CHECKING:  # the generated response types (scripts/gen_types.py); annotations only
    from ._types import (
        GetAbTestResponseAbtest,
        SubmitOutcomesResponse,
    )
from ._report import BarChart, Report, fmt
from .monitoring import Instant, Monitoring, instant

Metric = Union[str, Mapping[str, Any]]
METRIC_KINDS = ("proportion", "mean", "ratio")


def parse_metric(text: str) -> Dict[str, Any]:
    """``METRIC:KIND:WINDOW[:OPTION...]`` (the CLI's ``--metric`` grammar) as the API's metric: OPTIONs are
    ``increase`` | ``decrease``, ``delay=DURATION``, ``cuped=DURATION``, ``over=METRIC`` or ``over=$requests``
    (ratio's denominator); e.g. ``"revenue:mean:14d:cuped=14d"``. A metric name may hold ':' (the first KIND
    word ends it). Durations and the rest are checked by the server, which names the field."""
    parts = text.split(":")
    at = next((i for i, p in enumerate(parts) if i > 0 and p in METRIC_KINDS), -1)
    if at < 0:
        raise ValueError(f"metric {text!r} must be METRIC:KIND:WINDOW with KIND one of {', '.join(METRIC_KINDS)} (e.g. conversion:proportion:7d)")
    if at + 1 >= len(parts) or not parts[at + 1]:
        raise ValueError(f"metric {text!r} needs an attribution window after the kind (e.g. conversion:proportion:7d)")
    out: Dict[str, Any] = {"metric": ":".join(parts[:at]), "kind": parts[at], "window": parts[at + 1]}
    fields = {"increase": "direction", "decrease": "direction", "delay": "delay", "cuped": "cuped_lookback", "over": "denominator"}
    for opt in parts[at + 2 :]:
        key, eq, value = opt.partition("=")
        field = fields.get(key)
        if field is None or bool(eq) == (key in ("increase", "decrease")) or (eq and not value):
            raise ValueError(f"metric {text!r}: unknown option {opt!r} (options: increase, decrease, delay=DURATION, cuped=DURATION, over=METRIC)")
        if field in out:
            raise ValueError(f"metric {text!r}: {key} is given twice")
        out[field] = value if eq else key
    return out


def _metric(m: Metric) -> Dict[str, Any]:
    return parse_metric(m) if isinstance(m, str) else dict(m)


class ABTestReport(Report):
    """``GET /api/v1/abtests/{name}/report``: one row per metric × arm (the control's row has no comparison), the
    decision and the sample-ratio check in the summary, the relative lift of each treatment arm as bars (worse
    ones marked). ``history_frame()`` is the primary metric over time (with ``history=True``)."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for m in self.data.get("metrics") or []:
            comparisons = {c["arm"]: c for c in m.get("comparisons") or []}
            for a in m.get("arms") or []:
                c = comparisons.get(a["arm"])
                absolute = (c or {}).get("absolute") or {}
                relative = (c or {}).get("relative") or {}
                out.append(
                    {
                        "metric": m["metric"],
                        "role": m["role"],
                        "kind": m["kind"],
                        "direction": m["direction"],
                        "arm": a["arm"],
                        "is_control": c is None,
                        "units": a["units"],
                        "pending_units": a["pending_units"],
                        "mean": a["mean"],
                        "cuped_mean": a["cuped_mean"],
                        "absolute": absolute.get("estimate"),
                        "absolute_lower": absolute.get("lower"),
                        "absolute_upper": absolute.get("upper"),
                        "relative": relative.get("estimate"),
                        "relative_lower": relative.get("lower"),
                        "relative_upper": relative.get("upper"),
                        "p_value": (c or {}).get("p_value"),
                        "adjusted_p_value": (c or {}).get("adjusted_p_value"),
                        "chance_to_win": (c or {}).get("chance_to_win"),
                        "verdict": (c or {}).get("verdict"),
                        "reason": (c or {}).get("reason"),
                    }
                )
        return out

    def summary(self) -> str:
        d = self.data
        decision = d.get("decision") or {}
        srm = d.get("srm") or {}
        line = f"{d.get('abtest')} ({d.get('state')}, {d.get('method')}, alpha {fmt(d.get('alpha'))}): {decision.get('verdict')} — {decision.get('reason')}"
        if srm.get("flagged"):
            line += f" Sample-ratio mismatch: {srm.get('reason')}"
        return line

    def chart(self) -> Optional[BarChart]:
        labels, values, marked = [], [], []
        for r in self.rows():
            if not r["is_control"]:
                labels.append(f"{r['metric']} · v{r['arm']}")
                values.append(r["relative"])
                marked.append(r["verdict"] == "worse")
        if not labels:
            return None
        return BarChart("relative lift over the control per metric and arm", labels, values, marked, "worse")

    def history_frame(self):
        """The primary metric's relative lift per treatment arm over time, as a DataFrame (``at`` as datetimes)."""
        import pandas as pd

        frame = pd.DataFrame(self.data.get("history") or [], columns=["at", "metric", "arm", "units", "estimate", "lower", "upper"])
        frame["at"] = pd.to_datetime(frame["at"], unit="ms", utc=True)
        return frame


class ABTests:
    def __init__(self, t: Transport) -> None:
        self._t = t

    def create(
        self,
        name: str,
        deployment: str,
        primary_metric: Metric,
        *,
        guardrails: Optional[Sequence[Metric]] = None,
        arms: Optional[Sequence[Mapping[str, Any]]] = None,
        control: Optional[str] = None,
        settings: Optional[Mapping[str, Any]] = None,
        description: Optional[str] = None,
        start: bool = True,
    ) -> GetAbTestResponseAbtest:
        """Create an A/B test on a deployment with two routes or more (its routes are the arms). A metric is
        ``{"metric", "kind": proportion|mean|ratio, "window", "denominator", "direction", "delay",
        "cuped_lookback"}`` or the CLI's text form (``"conversion:proportion:7d"``, see ``parse_metric``);
        ``start=False`` leaves it a draft."""
        body: Dict[str, Any] = {"name": name, "deployment": deployment, "primary_metric": _metric(primary_metric), "start": start}
        optional = {
            "guardrails": [_metric(g) for g in guardrails] if guardrails is not None else None,
            "arms": [dict(a) for a in arms] if arms is not None else None,
            "control": control,
            "settings": dict(settings) if settings is not None else None,
            "description": description,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return self._t.request("POST", path("/api/v1/abtests"), json=body)["abtest"]

    def list(self, *, deployment: Optional[str] = None, state: Optional[str] = None) -> List[GetAbTestResponseAbtest]:
        """A/B tests, newest first (``state``: draft, running or stopped)."""
        return self._t.request("GET", path("/api/v1/abtests"), params={"deployment": deployment, "state": state})["abtests"]

    def get(self, name: str) -> GetAbTestResponseAbtest:
        return self._t.request("GET", path("/api/v1/abtests/{name}", name=name))["abtest"]

    def start(self, name: str) -> GetAbTestResponseAbtest:
        """Start a draft (one running test per deployment)."""
        return self._t.request("POST", path("/api/v1/abtests/{name}/start", name=name), json={})["abtest"]

    def stop(self, name: str, reason: Optional[str] = None) -> GetAbTestResponseAbtest:
        """Stop a test: assignment ends, the deployment routes by weight again; the report stays."""
        body = {"reason": reason} if reason is not None else {}
        return self._t.request("POST", path("/api/v1/abtests/{name}/stop", name=name), json=body)["abtest"]

    def report(self, name: str, *, at: Instant = None, history: bool = False, points: Optional[int] = None) -> ABTestReport:
        """The report as of ``at`` (ISO 8601, epoch ms, a duration ago such as ``"1h"``, a datetime or a timedelta
        ago; default now), with the primary metric over time when ``history=True``."""
        params = {"at": instant(at), "history": history or None, "points": points}
        data = self._t.request("GET", path("/api/v1/abtests/{name}/report", name=name), params=params)
        return ABTestReport(data, f"A/B test {name}")

    def send_outcomes(self, outcomes: Any) -> SubmitOutcomesResponse:
        """Business outcome events (conversions, revenue …) the tests are judged on: each ``{"unit" | "request_id",
        "metric", "value" (default 1), "timestamp"}``, as dicts or a DataFrame with those columns (empty cells left
        out, datetimes as epoch ms, a naive one read as UTC). The same call as ``client.monitoring.outcomes``
        (sent in batches of 10,000); answers ``{accepted, unknown: [{index, unit | request_id, reason}]}``."""
        return Monitoring(self._t).outcomes(outcomes)


__all__ = ["ABTests", "ABTestReport", "parse_metric"]
