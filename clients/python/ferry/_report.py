"""Report objects: one of Ferry's JSON answers (drift, quality, performance …) with a table view.

``Report(data, title)`` keeps the server's dict (``.data``, ``report["key"]``) and shows it as a flat DataFrame
(``.to_frame()``), as HTML in a notebook (``_repr_html_``: title, a summary line, a table and, where it helps, an
inline SVG bar chart) and as a standalone HTML page (``.save_html(path)``: no external assets, text escaped).

Subclasses choose what the table, the summary line and the chart show by overriding ``rows()``, ``summary()`` and
``chart()``; ``DriftReport`` is the one for drift answers (one row per feature, a bar per feature's statistic with
drifted bars marked), shared by monitoring drift and drift between DataFrames.
"""
from __future__ import annotations

import html
import json
import math
from typing import Any, Dict, Iterator, List, Mapping, NamedTuple, Optional, Sequence

# Lists of row-like dicts a generic report tabulates, in order of preference.
_ROW_KEYS = ("features", "items", "results", "columns", "versions", "windows", "groups", "metrics")
MAX_HTML_ROWS = 500
MAX_BARS = 60


class BarChart(NamedTuple):
    """One horizontal bar per label; ``marked`` bars are drawn in the alert colour (e.g. drifted features)."""

    title: str
    labels: Sequence[str]
    values: Sequence[Optional[float]]
    marked: Sequence[bool]
    marked_label: str = "marked"


class Report:
    """A server answer with a table view. ``data`` is the answer as the server sent it."""

    def __init__(self, data: Mapping[str, Any], title: Optional[str] = None) -> None:
        self.data: Dict[str, Any] = dict(data)
        self.title: str = title or type(self).__name__

    # ---- the dict ----

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        return key in self.data

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def keys(self):
        return self.data.keys()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.title!r}: {self.summary()}>"

    # ---- what subclasses choose ----

    def rows(self) -> List[Dict[str, Any]]:
        """The table: by default the first list of dicts among the answer's usual keys (features, items …),
        each flattened one level (``reference.rows``); otherwise the answer's scalar fields as key/value rows."""
        for key in _ROW_KEYS:
            items = self.data.get(key)
            if isinstance(items, list) and items and all(isinstance(x, dict) for x in items):
                return [flatten(x) for x in items]
        return [{"key": k, "value": v} for k, v in flatten(self.data).items()]

    def summary(self) -> str:
        """One line over the answer: its scalar top-level fields."""
        parts = [f"{k}: {fmt(v)}" for k, v in self.data.items() if is_scalar(v)]
        return ", ".join(parts[:8])

    def chart(self) -> Optional[BarChart]:
        """A bar chart where one helps; None by default."""
        return None

    # ---- views ----

    def to_frame(self):
        """The table as a pandas DataFrame (values as the server sent them)."""
        import pandas as pd

        rows = self.rows()
        return pd.DataFrame(rows, columns=_columns(rows))

    def _repr_html_(self) -> str:
        rows = self.rows()
        parts = [f'<div class="ferry-report"><h3>{esc(self.title)}</h3>']
        line = self.summary()
        if line:
            parts.append(f'<p class="ferry-summary">{esc(line)}</p>')
        chart = self.chart()
        if chart is not None:
            parts.append(svg_bars(chart))
        parts.append(html_table(rows))
        parts.append("</div>")
        return "\n".join(parts)

    def to_html(self) -> str:
        """A standalone HTML page: inline style, no scripts, no external assets."""
        return (
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{esc(self.title)}</title><style>{_CSS}</style></head>\n<body>\n"
            f"{self._repr_html_()}\n</body></html>\n"
        )

    def save_html(self, path: str) -> str:
        """Write ``to_html()`` to ``path``; returns the path."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_html())
        return path


class DriftReport(Report):
    """A drift answer (``features`` with name, method, statistic, p_value/threshold, drifted): one row per
    feature (and one for the prediction, if judged); the chart is the statistic per feature, drifted ones marked."""

    def _judged(self) -> List[Dict[str, Any]]:
        feats = [dict(f) for f in self.data.get("features") or []]
        pred = self.data.get("prediction")
        if isinstance(pred, dict):
            feats.append({**pred, "name": pred.get("name") or "(prediction)", "is_prediction": True})
        return feats

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for f in self._judged():
            row = {
                "feature": f.get("name"),
                "kind": f.get("kind"),
                "method": f.get("method"),
                "statistic": f.get("statistic"),
                "p_value": f.get("p_value"),
                "threshold": f.get("threshold"),
                "drifted": f.get("drifted"),
                "basis": f.get("basis"),
                "note": f.get("note"),
            }
            if "is_prediction" in f:
                row["prediction"] = True
            out.append(row)
        if any("prediction" in r for r in out):
            for r in out:
                r.setdefault("prediction", False)
        return out

    def summary(self) -> str:
        d = self.data
        if "number_drifted" not in d:
            return super().summary()
        verdict = "dataset drift" if d.get("dataset_drift") else "no dataset drift"
        line = f"{verdict}: {d.get('number_drifted')} of {d.get('number_of_features')} features drifted"
        if d.get("share_drifted") is not None:
            line += f" (share {fmt(d.get('share_drifted'))}, threshold {fmt(d.get('drift_share'))})"
        ref, cur = d.get("reference"), d.get("current")
        if isinstance(ref, dict) and isinstance(cur, dict):
            line += f"; reference {ref.get('rows')} rows, current {cur.get('rows')} rows"
        return line

    def chart(self) -> Optional[BarChart]:
        feats = self._judged()
        if not feats:
            return None
        return BarChart(
            title="drift statistic per feature (each against its own method's threshold)",
            labels=[f"{f.get('name')} ({f.get('method') or '-'})" for f in feats],
            values=[f.get("statistic") for f in feats],
            marked=[f.get("drifted") is True for f in feats],
            marked_label="drifted",
        )


# ---- helpers (also for subclasses in other modules) ----


def is_scalar(v: Any) -> bool:
    return v is None or isinstance(v, (str, int, float, bool))


def flatten(d: Mapping[str, Any], prefix: str = "") -> Dict[str, Any]:
    """Scalars as they are, nested dicts one level down as ``parent.child``, lists of scalars joined, other lists
    as their length (a table cell cannot hold a histogram)."""
    out: Dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if is_scalar(v):
            out[key] = v
        elif isinstance(v, dict) and not prefix:
            out.update(flatten(v, key + "."))
        elif isinstance(v, list) and all(is_scalar(x) for x in v):
            out[key] = ", ".join(fmt(x) for x in v)
        elif isinstance(v, list):
            out[key + ".count"] = len(v)
        else:
            out[key] = json.dumps(v, default=str)[:200]
    return out


def _columns(rows: Sequence[Mapping[str, Any]]) -> List[str]:
    cols: List[str] = []
    seen = set()
    for r in rows:
        for k in r:
            if k not in seen:
                seen.add(k)
                cols.append(k)
    return cols


def fmt(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v) or math.isinf(v):
            return str(v)
        return f"{v:.4g}"
    return str(v)


def esc(v: Any) -> str:
    return html.escape(fmt(v) if not isinstance(v, str) else v, quote=True)


def html_table(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return '<p class="ferry-empty">(no rows)</p>'
    cols = _columns(rows)
    head = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = []
    for r in rows[:MAX_HTML_ROWS]:
        cells = []
        for c in cols:
            v = r.get(c)
            cls = ' class="ferry-mark"' if c == "drifted" and v is True else ""
            cells.append(f"<td{cls}>{esc(fmt(v))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = ""
    if len(rows) > MAX_HTML_ROWS:
        more = f'<p class="ferry-empty">{len(rows) - MAX_HTML_ROWS} more rows: use .to_frame()</p>'
    return f'<table class="ferry-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{more}'


def svg_bars(chart: BarChart) -> str:
    """An inline SVG horizontal bar chart; missing values get no bar. Scaled to the largest |value|."""
    n = min(len(chart.labels), MAX_BARS)
    if n == 0:
        return ""
    vals = [v if isinstance(v, (int, float)) and math.isfinite(v) else None for v in list(chart.values)[:n]]
    top = max([abs(v) for v in vals if v is not None] or [0.0]) or 1.0
    label_w, bar_w, row_h, pad = 220, 360, 18, 24
    width, height = label_w + bar_w + 80, pad + n * row_h + 8
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ferry-chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(chart.title)}">',
        f'<text x="0" y="14" font-size="12" font-weight="bold">{esc(chart.title)}</text>',
    ]
    for i in range(n):
        y = pad + i * row_h
        label = str(chart.labels[i])
        short = label if len(label) <= 32 else label[:31] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end"><title>{esc(label)}</title>{esc(short)}</text>')
        v = vals[i]
        if v is None:
            out.append(f'<text x="{label_w + 4}" y="{y + 12}" font-size="11" fill="#888">n/a</text>')
            continue
        w = max(1.0, bar_w * abs(v) / top)
        marked = bool(chart.marked[i]) if i < len(chart.marked) else False
        color = "#d62728" if marked else "#1f77b4"
        tip = f"{label}: {fmt(float(v))}" + (f" ({chart.marked_label})" if marked else "")
        out.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 5}" fill="{color}" '
            f'class="{"ferry-bar-marked" if marked else "ferry-bar"}"><title>{esc(tip)}</title></rect>'
        )
        suffix = f" {chart.marked_label}" if marked else ""
        out.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" font-size="11">{esc(fmt(float(v)) + suffix)}</text>')
    if len(chart.labels) > n:
        out.append(f'<text x="0" y="{height - 2}" font-size="10" fill="#888">first {n} of {len(chart.labels)} shown</text>')
    out.append("</svg>")
    return "".join(out)


_CSS = (
    "body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
    ".ferry-table{border-collapse:collapse;font-size:13px;margin-top:8px}"
    ".ferry-table th,.ferry-table td{border:1px solid #ddd;padding:3px 8px;text-align:left}"
    ".ferry-table th{background:#f4f4f4}.ferry-mark{color:#d62728;font-weight:bold}"
    ".ferry-summary{margin:4px 0}.ferry-empty{color:#888}"
)
