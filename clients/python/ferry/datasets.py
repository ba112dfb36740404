"""Datasets: push a DataFrame or a file as a content-addressed version, read versions and their profiles, download
one back as a DataFrame, diff two, follow lineage, move tags. The data API pages by ``max_results``/``offset``."""
from __future__ import annotations

import io
import os
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

from ._http import Transport, path
from ._report import Report
from .offline import DriftReport

PAGE = 100
_FORMATS = ("csv", "jsonl", "parquet")
_TYPES = {"csv": "text/csv", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}


def offset_pages(t: Transport, route: str, key: str, params: Optional[Mapping[str, Any]] = None, page_size: int = PAGE) -> Iterator[Any]:
    """Every item of a list the server pages by offset: a short page is the last."""
    offset = 0
    while True:
        items = (t.request("GET", route, params={**(params or {}), "max_results": page_size, "offset": offset}) or {}).get(key) or []
        yield from items
        if len(items) < page_size:
            return
        offset += len(items)


class ProfileReport(Report):
    """A version's profile: one row per column (type, count, nulls, min/max/mean, distinct …); the chart the share
    of missing values per column."""

    def rows(self) -> List[Dict[str, Any]]:
        out = []
        for c in self.data.get("columns") or []:
            row: Dict[str, Any] = {"column": c.get("name"), "type": c.get("type"), "nullable": c.get("nullable")}
            for k, v in (c.get("summary") or {}).items():
                if k == "top":
                    row["top"] = ", ".join(f"{x.get('value')} ({x.get('count'):g})" for x in v[:5])
                elif not isinstance(v, (dict, list)):
                    row[k] = v
            out.append(row)
        return out

    def summary(self) -> str:
        return f"{self.data.get('rows')} rows, {len(self.data.get('columns') or [])} columns"


def _frame_bytes(df: Any, fmt: str) -> bytes:
    if fmt == "parquet":
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return buf.getvalue()
    if fmt == "jsonl":
        return df.to_json(orient="records", lines=True, date_format="iso").encode("utf-8")
    return df.to_csv(index=False).encode("utf-8")


class Datasets:
    def __init__(self, t: Transport) -> None:
        self._t = t

    def push(self, name: str, data: Any, *, format: Optional[str] = None, filename: Optional[str] = None,
             description: Optional[str] = None) -> Dict[str, Any]:
        """Push a DataFrame (sent as CSV, or ``format="parquet"``/``"jsonl"``) or a file path (streamed as is) as the
        dataset's next version. Identical bytes answer the existing version (``created`` False). Returns the
        server's answer: ``created``, ``version`` and the ``validations`` of attached suites."""
        if format is not None and format not in _FORMATS:
            raise ValueError(f"format must be one of {', '.join(_FORMATS)}, not {format!r}")
        route = path("/api/v1/datasets/{name}/versions", name=name)
        if isinstance(data, (str, os.PathLike)):
            p = os.fspath(data)
            q = {"filename": filename or os.path.basename(p), "format": format, "description": description}
            with open(p, "rb") as f:  # a file object: requests streams it
                return self._t.request("POST", route, params=q, data=f, headers={"Content-Type": "application/octet-stream"})
        fmt = format or "csv"
        body = _frame_bytes(data, fmt)
        q = {"filename": filename or f"{name}.{fmt}", "format": fmt, "description": description}
        return self._t.request("POST", route, params=q, data=body, headers={"Content-Type": _TYPES[fmt]})

    def get(self, name: str) -> Dict[str, Any]:
        """A dataset: description, tags (tag → version) and its latest version."""
        return self._t.request("GET", path("/api/v1/datasets/{name}", name=name))["dataset"]

    def list(self, *, name_like: Optional[str] = None, page_size: int = PAGE) -> Iterator[Dict[str, Any]]:
        """Every dataset with its version count (``name_like`` a SQL LIKE pattern)."""
        return offset_pages(self._t, "/api/v1/datasets", "datasets", {"name_like": name_like}, page_size)

    def update(self, name: str, *, description: str) -> Dict[str, Any]:
        return self._t.request("PATCH", path("/api/v1/datasets/{name}", name=name), json={"description": description})["dataset"]

    def delete(self, name: str, *, force: bool = False) -> None:
        """Delete a dataset and all its versions (refused while runs or model versions used them, unless ``force``)."""
        self._t.request("DELETE", path("/api/v1/datasets/{name}", name=name), params={"force": force})

    def versions(self, name: str, *, page_size: int = PAGE) -> Iterator[Dict[str, Any]]:
        """The dataset's versions, newest first."""
        return offset_pages(self._t, path("/api/v1/datasets/{name}/versions", name=name), "versions", None, page_size)

    def version(self, name: str, ref: Union[str, int] = "latest", *, profile: bool = False) -> Dict[str, Any]:
        """A version (number, tag, ``latest`` or digest prefix) with its schema, and its profile with ``profile=True``."""
        route = path("/api/v1/datasets/{name}/versions/{ref}", name=name, ref=ref)
        return self._t.request("GET", route, params={"profile": profile})["version"]

    def profile(self, name: str, ref: Union[str, int] = "latest") -> ProfileReport:
        """A version's per-column profile as a Report (``.to_frame()``: one row per column)."""
        v = self.version(name, ref, profile=True)
        return ProfileReport(v["profile"], f"Profile of {v['ref']}")

    def delete_version(self, name: str, ref: Union[str, int], *, force: bool = False) -> Dict[str, Any]:
        route = path("/api/v1/datasets/{name}/versions/{ref}", name=name, ref=ref)
        return self._t.request("DELETE", route, params={"force": force})["deleted"]

    def download_file(self, name: str, ref: Union[str, int], dest: str) -> str:
        """Write the version's exact bytes to ``dest`` (streamed); returns ``dest``."""
        resp = self._t.raw("GET", path("/api/v1/datasets/{name}/versions/{ref}/file", name=name, ref=ref), stream=True)
        try:
            with open(dest, "wb") as f:
                for chunk in resp.iter_content(1 << 20):
                    f.write(chunk)
        finally:
            resp.close()
        return dest

    def download(self, name: str, ref: Union[str, int] = "latest") -> Any:
        """The version as a pandas DataFrame, read in the format it was pushed in."""
        import pandas as pd

        resp = self._t.raw("GET", path("/api/v1/datasets/{name}/versions/{ref}/file", name=name, ref=ref))
        ctype = resp.headers.get("Content-Type", "")
        buf = io.BytesIO(resp.content)
        if "parquet" in ctype:
            return pd.read_parquet(buf)
        if "ndjson" in ctype:
            return pd.read_json(buf, lines=True)
        return pd.read_csv(buf)

    def diff(self, name: str, frm: Union[str, int], to: Union[str, int]) -> DriftReport:
        """Schema and drift between two versions (``to`` may be ``other@3``), ``frm`` the reference — the same
        report ``ferry.drift`` gives for two DataFrames."""
        answer = self._t.request("GET", path("/api/v1/datasets/{name}/diff", name=name), params={"from": str(frm), "to": str(to)})
        return DriftReport(answer["diff"], f"Diff of {name} {frm} → {to}")

    def lineage(self, name: str, ref: Union[str, int] = "latest") -> Dict[str, Any]:
        """Which runs and model versions used this version."""
        return self._t.request("GET", path("/api/v1/datasets/{name}/versions/{ref}/lineage", name=name, ref=ref))["lineage"]

    def validations(self, name: str, ref: Union[str, int] = "latest", *, page_size: int = PAGE) -> Iterator[Dict[str, Any]]:
        """The version's validation results, newest first."""
        route = path("/api/v1/datasets/{name}/versions/{ref}/validations", name=name, ref=ref)
        return offset_pages(self._t, route, "validations", None, page_size)

    def tag(self, name: str, tag: str, version: Union[str, int]) -> Dict[str, Any]:
        """Point ``tag`` at a version; returns that version."""
        return self._t.request("PUT", path("/api/v1/datasets/{name}/tags/{tag}", name=name, tag=tag), json={"version": version})["version"]

    def untag(self, name: str, tag: str) -> None:
        self._t.request("DELETE", path("/api/v1/datasets/{name}/tags/{tag}", name=name, tag=tag))
