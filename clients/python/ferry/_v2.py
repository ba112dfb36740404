"""The Open Inference Protocol's binary tensor data extension (what tritonclient sends), for large numeric arrays:
the body is a JSON header of ``Inference-Header-Content-Length`` bytes followed by each input's raw bytes
(little-endian, row-major); outputs asked for with ``binary_data_output`` come back the same way.
JSON floats cost ~20 bytes each to print and parse; the bytes cost 4. Needs numpy."""
from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Tuple

HEADER = "Inference-Header-Content-Length"

# v2 datatype -> numpy dtype string (little-endian), for the datatypes Ferry serves.
_DTYPES = {"BOOL": "|b1", "UINT8": "|u1", "INT8": "|i1", "INT32": "<i4", "INT64": "<i8", "FP32": "<f4", "FP64": "<f8"}
#: The datatypes an input may be sent in as binary data by ``encode``.
BINARY_DATATYPES = frozenset(_DTYPES)


def encode(inputs: List[Tuple[str, Any, str]], parameters: Optional[Mapping[str, Any]] = None, request_id: Optional[str] = None) -> Tuple[bytes, int]:
    """``inputs``: (name, 2-D or 1-D numpy array, v2 datatype) in the model's input order. Returns the body and the
    JSON header's length."""
    import numpy as np

    header_inputs = []
    chunks = []
    for name, arr, datatype in inputs:
        if datatype not in _DTYPES:
            raise ValueError(f"input {name!r} is {datatype}: only numeric and BOOL inputs go as binary data; send JSON (binary=False)")
        with np.errstate(invalid="ignore", over="ignore"):  # a lossy cast is refused just below, by value
            cast = np.ascontiguousarray(arr, dtype=np.dtype(_DTYPES[datatype]))
        _same_values(name, datatype, np.asarray(arr), cast)
        raw = cast.tobytes(order="C")
        header_inputs.append({"name": name, "shape": list(arr.shape), "datatype": datatype, "parameters": {"binary_data_size": len(raw)}})
        chunks.append(raw)
    head: Dict[str, Any] = {"inputs": header_inputs, "parameters": {**dict(parameters or {}), "binary_data_output": True}}
    if request_id is not None:
        head["id"] = request_id
    header = json.dumps(head, allow_nan=False).encode("utf-8")
    return header + b"".join(chunks), len(header)


def _same_values(name: str, datatype: str, arr: Any, cast: Any) -> None:
    """Refuses a cast to an integer or BOOL input that changes a value (1.5 → 1, NaN → -2^63, 300 → 44 as UINT8,
    2 → True): JSON refuses those values, so the bytes must not quietly send others. Floats to FP32 round as the
    model's type says, and an overflow to infinity is refused by the server."""
    import numpy as np

    if datatype in ("FP32", "FP64") or arr.dtype == cast.dtype:
        return
    if arr.dtype.kind == "f":
        ok = np.isfinite(arr) & (cast.astype(np.float64) == arr)
    else:
        # Compared as Python-exact integers where numpy's mixed int64/uint64 comparison would go through float64.
        ok = cast.astype(object) == arr.astype(object)
    ok = np.asarray(ok, dtype=bool)
    if not ok.all():
        at = tuple(int(i) for i in np.argwhere(~ok)[0])
        raise ValueError(f"input {name!r} is {datatype}, but element {list(at)} is {arr[at]}, which {datatype} cannot hold "
                         "(JSON refuses it too); send values of the input's type")


def decode(body: bytes, header_length: Optional[str]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """An infer answer → (its JSON, {output name: numpy array}) with binary outputs read from the bytes after the JSON
    and JSON outputs (null for NaN) as arrays too."""
    import numpy as np

    if header_length is None:
        answer, rest = json.loads(body), b""
    else:
        n = int(header_length)
        answer, rest = json.loads(body[:n]), body[n:]
    outputs: Dict[str, Any] = {}
    at = 0
    for out in answer.get("outputs") or []:
        shape = tuple(out.get("shape") or ())
        dt = out.get("datatype")
        size = (out.get("parameters") or {}).get("binary_data_size")
        if size is not None:
            chunk = rest[at : at + size]
            at += size
            if dt == "BYTES":
                outputs[out["name"]] = np.array(_strings(chunk), dtype=object).reshape(shape)
            else:
                outputs[out["name"]] = np.frombuffer(chunk, dtype=np.dtype(_DTYPES[dt])).reshape(shape)
        else:
            data = out.get("data") or []
            kind = float if dt in ("FP32", "FP64") else object
            arr = np.array([np.nan if v is None and kind is float else v for v in data], dtype=kind if kind is float else None)
            outputs[out["name"]] = arr.reshape(shape)
    return answer, outputs


def _strings(chunk: bytes) -> List[str]:
    out, at = [], 0
    while at < len(chunk):
        n = int.from_bytes(chunk[at : at + 4], "little")
        out.append(chunk[at + 4 : at + 4 + n].decode("utf-8"))
        at += 4 + n
    return out


def rows_of(arr: Any) -> List[Any]:
    """One output's per-row values as the records route answers them: a value per row, or a list when a row has
    several elements."""
    import numpy as np

    n = arr.shape[0] if arr.ndim else 1
    flat = arr.reshape(n, -1) if n else arr.reshape(0, 0)
    if arr.dtype.kind == "f":
        flat = flat.astype(object)
        flat[np.isnan(arr.reshape(flat.shape).astype(float))] = None  # JSON answers null for NaN
    if flat.shape[1] == 1:
        return flat[:, 0].tolist()
    return flat.tolist()


def predictions_of(outputs: Mapping[str, Any]) -> List[Any]:
    """All outputs → per-row predictions (toPredictions on the server): one output as its values, several as an
    object per row keyed by output name."""
    names = list(outputs)
    if len(names) == 1:
        return rows_of(outputs[names[0]])
    cols = {k: rows_of(v) for k, v in outputs.items()}
    n = len(next(iter(cols.values()), []))
    return [{k: cols[k][i] for k in names} for i in range(n)]
