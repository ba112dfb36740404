"""The ONNX inputs a model gets, chosen so Ferry serves the records the original model took.

Two layouts, the two Ferry serves (src/serving/runtime/signature.ts): one [N, n] numeric tensor whose
columns are the features (names written to the ONNX metadata `feature_names`, which Ferry reads), or one
[N, 1] input per column named as the column (strings as string tensors) for DataFrame pipelines with a
ColumnTransformer or text columns. Numbers are tried as double first (exact on float64 data), then float.
"""
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

import numpy as np
import pandas as pd
from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType, Int64TensorType, StringTensorType

from refusal import Refusal

_MLFLOW_KINDS = {"string": "string", "integer": "int", "long": "int", "float": "float", "double": "float", "boolean": "bool"}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # string | int | float | bool


@dataclass(frozen=True)
class Plan:
    per_column: bool
    columns: Tuple[Column, ...]
    real: str  # double | float: the element type of real-valued inputs
    ints: str  # real | int64: integer columns as reals or as int64 (per-column only)

    def describe(self) -> str:
        if not self.per_column:
            return f"one [N, {len(self.columns)}] {self.real} input"
        return f"one input per column ({self.real} numbers, integers as {self.real if self.ints == 'real' else 'int64'})"


def _from_signature(sig: Any, model: Any) -> Optional[List[Column]]:
    if sig is None or sig.inputs is None:
        return None
    if sig.inputs.is_tensor_spec():
        specs = sig.inputs.inputs
        if len(specs) != 1 or len(specs[0].shape) != 2 or specs[0].type.kind not in "iuf":
            raise Refusal("types", "The signature's tensor input is not one 2-D numeric tensor; Ferry converts 2-D numeric inputs or columns.")
        width = specs[0].shape[1]
        names = [str(n) for n in getattr(model, "feature_names_in_", [])] or [f"f{i}" for i in range(width)]
        return [Column(n, "float") for n in names]
    cols = []
    for spec in sig.inputs.inputs:
        kind = _MLFLOW_KINDS.get(spec.type.name if hasattr(spec.type, "name") else str(spec.type))
        if kind is None:
            raise Refusal("types", f"Column '{spec.name}' has type {spec.type}, which an ONNX input cannot take (numbers, strings or booleans).")
        cols.append(Column(str(spec.name), kind))
    return cols


def _from_frame(df: pd.DataFrame) -> List[Column]:
    def kind(dt: Any) -> str:
        if pd.api.types.is_bool_dtype(dt):
            return "bool"
        if pd.api.types.is_integer_dtype(dt):
            return "int"
        return "float" if pd.api.types.is_float_dtype(dt) else "string"

    return [Column(str(c), kind(df[c].dtype)) for c in df.columns]


def columns(loaded: Any, estimator: str) -> Tuple[List[Column], bool]:
    """The model's input columns (signature, else input example, else the fitted model) and the layout."""
    cols = _from_signature(loaded.signature, loaded.model)
    if cols is None and isinstance(loaded.example, pd.DataFrame):
        cols = _from_frame(loaded.example)
    if cols is None:
        names = getattr(loaded.model, "feature_names_in_", None)
        width = getattr(loaded.model, "n_features_in_", None)
        if names is None and width is None and isinstance(loaded.example, np.ndarray) and loaded.example.ndim == 2:
            width = loaded.example.shape[1]
        if names is None and width is None:
            raise Refusal("types", "The model has no signature, no input example and no fitted feature count: log it with a signature (infer_signature) or an input_example.")
        cols = [Column(str(n), "float") for n in (names if names is not None else [f"f{i}" for i in range(int(width))])]
    per_column = "ColumnTransformer" in estimator or any(c.kind == "string" for c in cols)
    if not per_column and any("," in c.name for c in cols):
        raise Refusal("types", "A feature name holds a comma; Ferry reads a single-tensor model's feature names comma-separated.")
    return cols, per_column


def candidates(cols: List[Column], per_column: bool) -> List[Plan]:
    c = tuple(cols)
    if not per_column:
        return [Plan(False, c, "double", "real"), Plan(False, c, "float", "real")]
    has_ints = any(x.kind == "int" for x in cols)
    plans = []
    for real in ("double", "float"):
        plans.append(Plan(True, c, real, "real"))
        if has_ints:
            plans.append(Plan(True, c, real, "int64"))
    return plans


def initial_types(plan: Plan) -> List[Tuple[str, Any]]:
    real = DoubleTensorType if plan.real == "double" else FloatTensorType
    if not plan.per_column:
        return [("input", real([None, len(plan.columns)]))]

    def tensor(c: Column) -> Any:
        if c.kind == "string":
            return StringTensorType([None, 1])
        return Int64TensorType([None, 1]) if c.kind == "int" and plan.ints == "int64" else real([None, 1])

    return [(c.name, tensor(c)) for c in plan.columns]


def conform(df: pd.DataFrame, cols: List[Column], what: str) -> pd.DataFrame:
    """The model's columns of a frame, typed as the signature says (CSV reads '007' as 7, for one)."""
    missing = [c.name for c in cols if c.name not in df.columns]
    if missing:
        raise Refusal("verify", f"The {what} lacks the model's column(s) {', '.join(repr(m) for m in missing[:5])}.")
    out = pd.DataFrame(index=range(len(df)))
    for c in cols:
        s = df[c.name].reset_index(drop=True)
        if c.kind == "string":
            out[c.name] = s.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)).astype(object)
        elif c.kind == "bool":
            words = {"true": True, "false": False, "1": True, "0": False}
            out[c.name] = s.map(lambda v: words.get(v.strip().lower(), v) if isinstance(v, str) else v).astype(bool)
        else:
            nums = pd.to_numeric(s, errors="coerce")  # CSV text, or numbers already
            out[c.name] = nums.astype(np.int64) if c.kind == "int" and not nums.isna().any() else nums.astype(np.float64)
    return out


def feeds(plan: Plan, df: pd.DataFrame) -> dict:
    """What Ferry's records codec would hand onnxruntime for these rows (null strings become '', null numbers NaN)."""
    real = np.float64 if plan.real == "double" else np.float32
    if not plan.per_column:
        return {"input": df[[c.name for c in plan.columns]].to_numpy(dtype=np.float64).astype(real)}
    out = {}
    for c in plan.columns:
        s = df[c.name]
        if c.kind == "string":
            out[c.name] = np.array(["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in s], dtype=object).reshape(-1, 1)
        elif c.kind == "int" and plan.ints == "int64":
            out[c.name] = s.to_numpy(dtype=np.int64).reshape(-1, 1)
        else:
            out[c.name] = s.to_numpy(dtype=np.float64).astype(real).reshape(-1, 1)
    return out


def example_frame(example: Any, cols: List[Column]) -> Optional[pd.DataFrame]:
    """The input example as a frame of the model's columns (an array example takes the column order)."""
    if example is None:
        return None
    if isinstance(example, pd.DataFrame):
        return conform(example, cols, "input example")
    arr = np.asarray(example)
    if arr.ndim == 1:
        arr = arr.reshape(1, -1)
    if arr.ndim != 2 or arr.shape[1] != len(cols):
        raise Refusal("types", f"The input example has shape {list(arr.shape)}, not [N, {len(cols)}] as the model's inputs.")
    return conform(pd.DataFrame(arr, columns=[c.name for c in cols]), cols, "input example")
