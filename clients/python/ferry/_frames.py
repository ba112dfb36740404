"""Conversions between Python's tabular shapes and what Ferry's JSON takes: DataFrames, numpy arrays, dicts of
columns and lists of records to a predict body; NaN to null (JSON has no NaN; the server reads null as a missing
number); numpy and pandas scalars to plain Python. pandas and numpy are imported only when the data is theirs."""
from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple


def _is_pandas_frame(x: Any) -> bool:
    return type(x).__name__ == "DataFrame" and type(x).__module__.startswith("pandas")


def _is_numpy(x: Any) -> bool:
    return type(x).__module__ == "numpy" and type(x).__name__ == "ndarray"


def is_numeric_array(x: Any) -> bool:
    """A numpy array of numbers or booleans (what the binary tensor extension can carry as is)."""
    return _is_numpy(x) and x.dtype.kind in "biuf"


def clean(v: Any) -> Any:
    """One value as JSON takes it: NaN/NaT/NA → None, numpy/pandas scalars → Python, arrays → lists, times → ISO 8601.
    Infinity is refused here (the server refuses it too), naming nothing but the value."""
    if v is None or isinstance(v, (str, bool, int)):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            raise ValueError(f"{v} cannot be sent: JSON has no infinity (use None for a missing value)")
        return v
    if isinstance(v, Mapping):
        return {str(k): clean(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [clean(x) for x in v]
    if _is_numpy(v):
        return [clean(x) for x in v.tolist()]
    mod = type(v).__module__
    if mod == "numpy" and hasattr(v, "item"):  # numpy scalar (np.float32, np.int64, np.bool_, np.datetime64 …)
        return clean(v.item())
    if mod.startswith("pandas"):
        import pandas as pd

        if v is pd.NaT or v is pd.NA:
            return None
        if isinstance(v, pd.Timestamp):
            return v.isoformat()
    if isinstance(v, (_dt.datetime, _dt.date)):
        return v.isoformat()
    if isinstance(v, _dt.timedelta):
        return v.total_seconds()
    return v


def frame_split(df: Any) -> Dict[str, Any]:
    """A DataFrame as pandas' split orient (column names, then rows), cleaned for JSON. The index is not sent."""
    cols = [str(c) for c in df.columns]
    twice = sorted(c for c, n in Counter(cols).items() if n > 1)
    if twice:
        # The server reads rows as {column: value}: one of the two values would silently win.
        raise ValueError(f"the DataFrame names column(s) {twice} more than once; give each column one name")
    # Column by column: a numeric column goes through numpy's tolist (fast, Python floats), others value by value.
    columns = [_column_values(df[c]) for c in df.columns]
    rows = [list(r) for r in zip(*columns)] if columns else [[] for _ in range(len(df))]
    return {"columns": cols, "data": rows}


def _column_values(s: Any) -> List[Any]:
    # Only numpy dtypes: pandas' nullable Int64/boolean hold pd.NA, which the value-by-value path turns into None.
    if type(s.dtype).__module__ == "numpy" and s.dtype.kind in "biuf":
        vals = s.to_numpy().tolist()
        return [None if isinstance(x, float) and math.isnan(x) else _finite(x) for x in vals]
    return [clean(x) for x in s.tolist()]


def _finite(x: Any) -> Any:
    if isinstance(x, float) and math.isinf(x):
        raise ValueError(f"{x} cannot be sent: JSON has no infinity (use None or NaN for a missing value)")
    return x


def predict_body(data: Any) -> Dict[str, Any]:
    """A records predict body (MLflow's scoring formats) for: a DataFrame (dataframe_split), a 2-D numpy array or a
    list of lists (instances as lists in the model's feature order), a list of dicts (instances) or a dict of columns
    (inputs)."""
    if _is_pandas_frame(data):
        return {"dataframe_split": frame_split(data)}
    if _is_numpy(data):
        if data.ndim != 2:
            raise ValueError(f"a numpy array to predict on must be 2-D (rows × features), got {data.ndim}-D; use arr.reshape(1, -1) for one row")
        return {"instances": clean(data)}
    if isinstance(data, Mapping):
        return {"inputs": {str(k): _series(k, v) for k, v in data.items()}}
    if isinstance(data, (list, tuple)):
        if not data:
            raise ValueError("nothing to predict on: the list is empty")
        if not all(isinstance(r, (Mapping, list, tuple)) or _is_numpy(r) for r in data):
            raise ValueError("a list to predict on holds rows: dicts {feature: value} or lists in the model's feature order")
        return {"instances": [clean(r) for r in data]}
    raise TypeError(f"cannot predict on {type(data).__name__}: pass a DataFrame, a 2-D numpy array, a list of records or a dict of columns")


def _series(key: Any, v: Any) -> List[Any]:
    if type(v).__name__ == "Series":
        return _column_values(v)
    if isinstance(v, (list, tuple)) or _is_numpy(v):
        return clean(list(v) if isinstance(v, tuple) else v)
    raise ValueError(f"a dict to predict on maps each feature to a list of values; {key!r} is {type(v).__name__}")


def records(data: Any) -> List[Dict[str, Any]]:
    """Rows as {feature: value} dicts (what the explain route takes), from the same inputs as ``predict_body``
    except numpy (which has no feature names)."""
    if _is_pandas_frame(data):
        split = frame_split(data)
        return [dict(zip(split["columns"], r)) for r in split["data"]]
    if isinstance(data, Mapping):
        cols = predict_body(data)["inputs"]
        n = len(next(iter(cols.values()), []))
        return [{k: v[i] for k, v in cols.items()} for i in range(n)]
    if isinstance(data, (list, tuple)) and all(isinstance(r, Mapping) for r in data):
        return [clean(r) for r in data]
    raise TypeError("pass rows as a DataFrame, a list of dicts or a dict of columns (feature names are needed)")


# Text a CSV reader takes for something else (src/data/table/values.ts): a number, a boolean, or one of pandas' NA
# tokens (an empty cell stays a missing value either way, as traffic's empty text is).
_CSV_MISREAD = re.compile(r"\s*([+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf|infinity)|true|false)\s*", re.IGNORECASE)
_CSV_NULLS = frozenset(["#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
                        "NA", "NULL", "NaN", "None", "n/a", "nan", "null"])


def table_body(df: Any) -> Tuple[bytes, str]:
    """A DataFrame as a table body for the server's table reader, and its content type: CSV (compact) unless a text
    column holds text CSV would read as a number, a boolean or a missing value ("002", "1e3", "true", "NA"), then
    JSON Lines, which keeps each value's type."""
    for c in range(df.shape[1]):
        s = df.iloc[:, c]
        if type(s.dtype).__module__ == "numpy" and s.dtype.kind in "biufcmM":
            continue
        for v in s.dropna().unique():
            if isinstance(v, str) and v != "" and (v in _CSV_NULLS or _CSV_MISREAD.fullmatch(v)):
                return to_jsonl_bytes(df), "application/x-ndjson"
    frame_split(df.head(0))  # the same refusals as JSON Lines (a column named twice)
    return to_csv_text(df).encode("utf-8"), "text/csv"


def to_jsonl_bytes(df: Any) -> bytes:
    """A DataFrame as JSON Lines, one object per row, values cleaned as predict bodies are (NaN → null, times as ISO
    8601). Unlike CSV, a text column keeps its type: "002" or "1e3" stay text instead of being read as numbers.
    An empty text is sent as null: the server profiles an empty text in traffic as a missing value (and CSV's
    empty cell is one too), so a reference counting "" as a category would drift from identical traffic."""
    import json

    split = frame_split(df)
    cols = split["columns"]
    out = [json.dumps({c: (None if v == "" else v) for c, v in zip(cols, row)}, allow_nan=False, ensure_ascii=False)
           for row in split["data"]]
    return ("\n".join(out) + "\n").encode("utf-8")


def to_csv_text(df: Any) -> str:
    """A DataFrame as CSV with a header row and no index; missing values as empty cells."""
    return df.to_csv(index=False)


def flatten_prediction(p: Mapping[str, Any]) -> Dict[str, Any]:
    """A logged prediction as one flat row: its facts, then ``input.<feature>`` and ``output.<name>`` columns."""
    row = {k: v for k, v in p.items() if k not in ("inputs", "outputs")}
    for k, v in (p.get("inputs") or {}).items():
        row[f"input.{k}"] = v
    for k, v in (p.get("outputs") or {}).items():
        row[f"output.{k}"] = v
    return row


def prediction_columns(predictions: Sequence[Any], name: Optional[str] = None) -> Dict[str, List[Any]]:
    """Per-row predictions as columns: one column for scalars, ``name[i]`` columns for vectors, one column per
    output (and per element) for rows that are objects keyed by output."""
    out: Dict[str, List[Any]] = {}
    n = len(predictions)

    def put(col: str, i: int, v: Any) -> None:
        out.setdefault(col, [None] * n)[i] = v

    base = name or "prediction"
    for i, p in enumerate(predictions):
        items = p.items() if isinstance(p, Mapping) else [(base, p)]
        for k, v in items:
            if isinstance(v, list):
                for j, x in enumerate(v):
                    put(f"{k}[{j}]", i, x)
            else:
                put(str(k), i, v)
    return out
