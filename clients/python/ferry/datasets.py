"""Datasets: push a DataFrame or a file as a content-addressed version, read versions and their profiles, download
one back as a DataFrame, diff two, follow lineage, move tags. The data API pages by ``max_results``/``offset``."""
from __future__ import annotations

import io
import os
from typing import Any, Dict, Iterator, List, Mapping, Optional, Tuple, Union

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
        # Parquet holds a period as its ordinal (January 2026 read as 672) and an interval as a struct: their text
        # ("2026-01", "(0, 1]") is what they mean.
        text = [c for c, t in df.dtypes.items() if type(t).__name__ in ("PeriodDtype", "IntervalDtype")]
        if text:
            df = df.astype({c: "string" for c in text})
        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        return buf.getvalue()
    if fmt == "jsonl":
        return df.to_json(orient="records", lines=True, date_format="iso").encode("utf-8")
    return df.to_csv(index=False).encode("utf-8")


def _csv_misreads(df: Any) -> bool:
    """Whether a text column holds text the server's CSV reader would retype: "002" or "1e3" as a number, "TRUE" as a
    boolean, "NA" or "" as a missing value."""
    from ._frames import _CSV_MISREAD, _CSV_NULLS

    for c in range(df.shape[1]):
        s = df.iloc[:, c]
        if type(s.dtype).__module__ == "numpy" and s.dtype.kind in "biufcmM":
            continue
        for v in s.dropna().unique():
            if isinstance(v, str) and (v == "" or v in _CSV_NULLS or _CSV_MISREAD.fullmatch(v)):
                return True
    return False


def frame_body(df: Any, fmt: Optional[str] = None) -> Tuple[bytes, str]:
    """A DataFrame as a data file and its format, keeping every column's type: ``fmt`` when given; else Parquet when
    pyarrow is here (typed columns: text stays text, datetimes and nullable dtypes stay themselves); else JSON Lines
    when CSV would retype a text value; else CSV (compact)."""
    if fmt is not None:
        return _frame_bytes(df, fmt), fmt
    try:
        import pyarrow
    except ImportError:
        pass
    else:
        try:
            return _frame_bytes(df, "parquet"), "parquet"
        except (ValueError, TypeError, pyarrow.ArrowException):
            pass  # a frame Parquet cannot hold (a column of mixed objects, names that are not text): JSON Lines or CSV
    if _csv_misreads(df):
        return _frame_bytes(df, "jsonl"), "jsonl"
    return _frame_bytes(df, "csv"), "csv"


class Datasets:
    def __init__(self, t: Transport) -> None:
        self._t = t

    def push(self, name: str, data: Any, *, format: Optional[str] = None, filename: Optional[str] = None,
             description: Optional[str] = None) -> Dict[str, Any]:
        """Push a DataFrame or a file path (streamed as is) as the dataset's next version. A DataFrame goes as Parquet
        when pyarrow is installed, else as JSON Lines when CSV would retype its text ("002", "1e3", "TRUE", "NA", ""),
        else as CSV, so every column keeps its type; ``format="csv"``/``"jsonl"``/``"parquet"`` chooses. Identical
        bytes answer the existing version (``created`` False). Returns the server's answer: ``created``, ``version``
        and the ``validations`` of attached suites."""
        if format is not None and format not in _FORMATS:
            raise ValueError(f"format must be one of {', '.join(_FORMATS)}, not {format!r}")
        route = path("/api/v1/datasets/{name}/versions", name=name)
        if isinstance(data, (str, os.PathLike)):
            p = os.fspath(data)
            q = {"filename": filename or os.path.basename(p), "format": format, "description": description}
            with open(p, "rb") as f:  # a file object: requests streams it
                return self._t.request("POST", route, params=q, data=f, headers={"Content-Type": "application/octet-stream"})
        body, fmt = frame_body(data, format)
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
        """The version as a pandas DataFrame, read in the format it was pushed in (JSON Lines with each value's own
        type, and the columns the version's schema calls datetimes as datetimes)."""
        import pandas as pd

        v = self.version(name, ref)  # the number, so the file read is this version even if "latest" moves meanwhile
        resp = self._t.raw("GET", path("/api/v1/datasets/{name}/versions/{ref}/file", name=name, ref=v["version"]))
        buf = io.BytesIO(resp.content)
        if v.get("format") == "parquet":
            return pd.read_parquet(buf)
        if v.get("format") != "jsonl":
            return pd.read_csv(buf)
        # pandas' inference would read text "002" as 2: JSON's own types are kept instead.
        df = pd.read_json(buf, lines=True, dtype=False, convert_dates=False)
        for c in v["schema"]["columns"]:
            if c["type"] == "datetime" and c["name"] in df.columns:
                try:
                    df[c["name"]] = pd.to_datetime(df[c["name"]], format="ISO8601")
                except (ValueError, TypeError):
                    pass  # mixed offsets or forms: left as the text that was pushed
        return df

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
