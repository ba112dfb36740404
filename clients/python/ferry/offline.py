"""Drift and validation of DataFrames in a notebook, nothing deployed: ``ferry.drift(reference, current)`` and
``ferry.validate(df, suite)`` send the tables to Ferry (``POST /api/v1/drift``, ``/api/v1/validate`` or a stored
suite's ``/validate``), which profiles and tests them as it does dataset versions and live traffic, so the numbers
equal the server's. The answers come back as reports with a DataFrame view and a standalone HTML page."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Union

from . import _frames
from ._http import Transport, dumps
from .errors import PayloadTooLargeError
from ._report import BarChart, Report, esc, fmt
from ._report import DriftReport as _FeatureDriftReport

if TYPE_CHECKING:
    from .client import Client


# ---- tables as the server takes them ----


def table(data: Any) -> Dict[str, Any]:
    """A DataFrame, a dict of columns or a list of records as ``{"columns": {name: [values]}}``: NaN/NaT/NA → null,
    numpy scalars → Python, datetimes → ISO 8601 text, categoricals → their values (text)."""
    # ``floats``: JSON reads 1.0 as 1, so float columns are named, to be typed float as their CSV would be.
    if _frames._is_pandas_frame(data):
        floats = [str(c) for c in data.columns if data[c].dtype.kind == "f"]
        return {"columns": {str(c): _column(data[c]) for c in data.columns}, **({"floats": floats} if floats else {})}
    if isinstance(data, Mapping):
        cols = {str(k): _frames.clean(list(v)) for k, v in data.items()}
        floats = [k for k, v in cols.items() if _all_floats(v)]
        return {"columns": cols, **({"floats": floats} if floats else {})}
    if isinstance(data, (list, tuple)) and all(isinstance(r, Mapping) for r in data):
        return {"rows": [_frames.clean(dict(r)) for r in data]}
    raise TypeError(f"cannot send {type(data).__name__} as a table: pass a DataFrame, a dict of columns or a list of records")


def _all_floats(values: List[Any]) -> bool:
    seen = [v for v in values if v is not None]
    return bool(seen) and all(isinstance(v, float) for v in seen)


def _column(s: Any) -> List[Any]:
    kind = s.dtype.kind
    if kind == "M":  # datetime64 (tz-aware too): ISO text, NaT → null
        return [None if v is None or v != v else v.isoformat() for v in s.astype(object).tolist()]
    if str(s.dtype) == "category":
        return [_frames.clean(v) for v in s.astype(object).tolist()]
    if kind in "biuf":  # numpy's tolist gives Python numbers; nullable dtypes (Int64, boolean) may give pd.NA
        return [_frames.clean(v) for v in s.to_numpy().tolist()]
    return [_frames.clean(v) for v in s.tolist()]


def _client(client: Optional["Client"]) -> "Client":
    if client is not None:
        return client
    from .client import default_client

    return default_client()


# ---- reports ----


class DriftReport(_FeatureDriftReport):
    """Drift between two tables (or two dataset versions): ``drift`` per shared column, ``skipped`` columns, the
    ``schema`` diff and the dataset-level ``summary``. ``.to_frame()`` has one row per compared column."""

    def _judged(self) -> List[Dict[str, Any]]:
        return [dict(f) for f in self.data.get("drift") or []]

    def rows(self) -> List[Dict[str, Any]]:
        out = super().rows()
        for row, f in zip(out, self._judged()):
            row["reference_rows"] = (f.get("reference") or {}).get("rows")
            row["current_rows"] = (f.get("current") or {}).get("rows")
        return out

    @property
    def dataset_drift(self) -> bool:
        return bool(self.data["summary"]["dataset_drift"])

    @property
    def share_drifted(self) -> float:
        return float(self.data["summary"]["share_drifted"])

    @property
    def number_drifted(self) -> int:
        return int(self.data["summary"]["number_drifted"])

    @property
    def drifted_columns(self) -> List[str]:
        return [f["name"] for f in self._judged() if f.get("drifted") is True]

    def feature(self, name: str) -> Dict[str, Any]:
        """One column's drift (its test, statistic, p-value and the binned distributions of both sides)."""
        for f in self._judged():
            if f.get("name") == name:
                return f
        raise KeyError(name)

    def summary(self) -> str:
        s = self.data.get("summary") or {}
        verdict = "dataset drift" if s.get("dataset_drift") else "no dataset drift"
        line = f"{verdict}: {s.get('number_drifted')} of {s.get('number_of_features')} columns drifted"
        line += f" (share {fmt(s.get('share_drifted'))}, threshold {fmt(s.get('drift_share'))})"
        ref = self.data.get("reference") or self.data.get("from") or {}
        cur = self.data.get("current") or self.data.get("to") or {}
        line += f"; reference {ref.get('rows')} rows, current {cur.get('rows')} rows"
        skipped = self.data.get("skipped") or []
        if skipped:
            line += f"; not compared: {', '.join(str(x.get('name')) for x in skipped)}"
        return line

    def _repr_html_(self) -> str:
        # The statistic per column (the base chart and table), then each column's two distributions side by side.
        parts = [super()._repr_html_()]
        feats = self._judged()
        if feats:
            parts.append('<div class="ferry-features"><h4>Distributions (reference blue, current orange)</h4>')
            parts.extend(_distribution_svg(f) for f in feats[:60])
            parts.append("</div>")
        return "\n".join(parts)


def _distribution_svg(f: Mapping[str, Any]) -> str:
    """One column's reference and current shares per bin (numeric edges or categories) as paired bars; values
    outside the reference's range (or categories it lacks) get their own pair at the ends."""
    ref, cur = f.get("reference") or {}, f.get("current") or {}
    numeric = ref.get("categories") is None
    if numeric:
        e = ref.get("edges") or []
        labels = [f"{fmt(e[i])}–{fmt(e[i + 1])}" for i in range(len(e) - 1)]
    else:
        labels = [str(c) for c in ref.get("categories") or []]
    rs, cs = list(ref.get("shares") or []), list(cur.get("shares") or [])
    n = min(len(labels), len(rs), len(cs), 40)
    labels, rs, cs = labels[:n], rs[:n], cs[:n]
    ticks = [labels[0].split("–")[0], labels[-1].split("–")[-1]] if numeric and n else [x if len(x) <= 10 else x[:9] + "…" for x in labels]
    bins = (0, len(labels))  # where the reference's own bins sit among the pairs drawn
    for key, label, front in (("underflow", "below", True), ("overflow", "above", False), ("unseen", "unseen", False)):
        r, c = (ref.get(key) or {}).get("share") or 0.0, (cur.get(key) or {}).get("share") or 0.0
        if r or c:
            at = 0 if front else len(labels)
            labels.insert(at, f"{label} the reference's {'range' if numeric else 'categories'}")
            rs.insert(at, r)
            cs.insert(at, c)
            if front:
                bins = (bins[0] + 1, bins[1] + 1)
            if not numeric:
                ticks.insert(at, label)
    n = len(labels)
    top = max([x for x in rs + cs if isinstance(x, (int, float))] or [0.0]) or 1.0
    bw, gap, h = 10, 6, 90
    mark = " drifted" if f.get("drifted") is True else ""
    title = f"{f.get('name')} — {f.get('method')} {fmt(f.get('statistic'))}{mark}"
    # Category names go slanted under their bars, so a categorical chart is taller.
    left = 10 if numeric else 48
    width, height = max(170, left + n * (2 * bw + gap) + 10, 7 * len(title)), h + (46 if numeric else 80)
    fill = ' fill="#d62728"' if mark else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="ferry-dist" style="vertical-align:top;margin:0 16px 8px 0" width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
           f'<text x="0" y="12" font-size="11" font-weight="bold"{fill}>{esc(title)}</text>']
    for i in range(n):
        x = left + i * (2 * bw + gap)
        for j, (v, color) in enumerate(((rs[i], "#1f77b4"), (cs[i], "#ff7f0e"))):
            bh = h * float(v) / top if isinstance(v, (int, float)) else 0.0
            side = "reference" if j == 0 else "current"
            out.append(f'<rect x="{x + j * bw}" y="{18 + h - bh:.1f}" width="{bw - 1}" height="{bh:.1f}" fill="{color}">'
                       f'<title>{esc(labels[i])}: {side} {fmt(float(v)) if isinstance(v, (int, float)) else ""}</title></rect>')
        if not numeric and i < len(ticks):
            tx, ty = x + bw, h + 30
            out.append(f'<text x="{tx}" y="{ty}" font-size="9" text-anchor="end" transform="rotate(-40 {tx} {ty})">{esc(ticks[i])}</text>')
    if numeric and n:
        out.append(f'<text x="{left + bins[0] * (2 * bw + gap)}" y="{h + 32}" font-size="9">{esc(ticks[0])}</text>')
        out.append(f'<text x="{left + bins[1] * (2 * bw + gap) - gap}" y="{h + 32}" font-size="9" text-anchor="end">{esc(ticks[1])}</text>')
    out.append("</svg>")
    return "".join(out)


class ValidationReport(Report):
    """A suite's result on a table: ``success``, ``statistics`` and one row per expectation in ``.to_frame()``."""

    @property
    def result(self) -> Dict[str, Any]:
        return self.data["result"]

    @property
    def success(self) -> bool:
        return bool(self.result["success"])

    @property
    def statistics(self) -> Dict[str, Any]:
        return self.result["statistics"]

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for r in self.result.get("results") or []:
            cfg = r.get("expectation_config") or {}
            kwargs = dict(cfg.get("kwargs") or {})
            body = r.get("result") or {}
            observed = body.get("observed_value")
            out.append({
                "expectation": cfg.get("type"),
                "column": kwargs.pop("column", None),
                "success": r.get("success"),
                "unexpected_count": body.get("unexpected_count"),
                "unexpected_percent": body.get("unexpected_percent"),
                "observed_value": observed if observed is None or isinstance(observed, (str, int, float, bool)) else str(observed),
                "partial_unexpected": ", ".join(fmt(x) for x in (body.get("partial_unexpected_list") or [])[:10]) or None,
                "kwargs": ", ".join(f"{k}={fmt(v) if not isinstance(v, (list, dict)) else v}" for k, v in kwargs.items()) or None,
                "skipped": (r.get("skipped") or {}).get("reason"),
            })
        return out

    def summary(self) -> str:
        s = self.statistics
        verdict = "passed" if self.success else "failed"
        return (f"suite {self.result.get('suite')} {verdict}: {s.get('successful_expectations')} of "
                f"{s.get('evaluated_expectations')} expectations met ({fmt(s.get('success_percent'))} %), "
                f"{s.get('skipped_expectations')} skipped; {(self.data.get('file') or {}).get('rows')} rows")

    def chart(self) -> Optional[BarChart]:
        rows = [r for r in self.rows() if r["unexpected_percent"] is not None]
        if not rows:
            return None
        return BarChart(
            title="unexpected values per expectation (% of non-missing)",
            labels=[f"{r['expectation']}({r['column'] or ''})" for r in rows],
            values=[r["unexpected_percent"] for r in rows],
            marked=[r["success"] is False for r in rows],
            marked_label="failed",
        )


# ---- entry points (ferry.drift, ferry.validate) ----


def drift(reference: Any, current: Any, *, client: Optional["Client"] = None,
          method: Union[str, Mapping[str, str], None] = None, drift_share: Optional[float] = None,
          columns: Optional[Sequence[str]] = None) -> DriftReport:
    """Drift of ``current`` against ``reference`` (DataFrames, dicts of columns or lists of records), with the
    tests Ferry runs for dataset diffs and deployments (Evidently's defaults; ``method={"age": "psi"}`` or
    ``"age:psi"`` per column). ``columns`` compares only those. Nothing is stored."""
    body: Dict[str, Any] = {"reference": table(reference), "current": table(current)}
    if method is not None:
        body["method"] = method if isinstance(method, str) else ",".join(f"{k}:{m}" for k, m in method.items())
    if drift_share is not None:
        body["drift_share"] = drift_share
    if columns is not None:
        body["columns"] = [str(c) for c in columns]
    answer = post_table(_client(client)._t, "/api/v1/drift", body)
    return DriftReport(answer, "Drift")


def post_table(t: Transport, route: str, body: Mapping[str, Any]) -> Dict[str, Any]:
    """POST a body holding tables; a body past the server's limit is refused with its size and what to do instead."""
    data = dumps(body).encode("utf-8")
    try:
        return t.request("POST", route, data=data, headers={"Content-Type": "application/json"})
    except PayloadTooLargeError as e:
        raise PayloadTooLargeError(
            f"{e.message} The tables are {len(data) / 2**20:.1f} MiB as JSON (the server takes up to 64 MiB and 1,000,000 "
            "rows per table): sample the rows, pass columns=, or push them as dataset versions and use client.datasets.diff.",
            status=e.status, errors=e.errors, body=e.body,
        ) from e


def validate(data: Any, suite: Any, *, client: Optional["Client"] = None) -> ValidationReport:
    """Validate a table against a suite: a stored suite's name, or a suite as a dict (Great Expectations' JSON).
    Nothing is stored."""
    return _client(client).suites.validate(suite, data)

