"""The check: the ONNX model against the original on the same rows, as Ferry would feed them."""
from typing import Any, Dict, List, Tuple

import numpy as np
import pandas as pd

import boosters
from input_types import Plan, feeds
from refusal import Refusal

TOLERANCE = 1e-5


def original_outputs(model: Any, df: pd.DataFrame, classifier: bool) -> Tuple[Any, Any]:
    """(labels or predictions, probabilities or None) as the original model answers."""
    if boosters.kind(model):
        return boosters.predict(model, df)
    # A model fitted on a DataFrame checks its column names; one fitted on an array takes an array.
    x = df if hasattr(model, "feature_names_in_") else df.to_numpy()
    return model.predict(x), model.predict_proba(x) if classifier else None


def _labels_equal(a: Any, b: Any) -> bool:
    a, b = np.asarray(a).ravel(), np.asarray(b).ravel()
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "iub" and b.dtype.kind in "iub":
        return bool(np.array_equal(a.astype(np.int64), b.astype(np.int64)))
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        return bool(np.array_equal(a.astype(np.float64), b.astype(np.float64)))
    return bool(np.array_equal(a.astype(str), b.astype(str)))


def _max_diff(a: Any, b: Any) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.size != b.size:
        return float("inf")
    d = np.abs(a.reshape(-1) - b.reshape(-1))
    both_nan = np.isnan(a.reshape(-1)) & np.isnan(b.reshape(-1))
    d = np.where(both_nan, 0.0, d)
    return float(np.nan_to_num(d, nan=np.inf).max()) if d.size else 0.0


def reference(model: Any, frames: List[Tuple[str, pd.DataFrame]], classifier: bool, estimator: str) -> List[Tuple[Any, Any]]:
    """The original model's (labels or predictions, probabilities or None) on each frame."""
    out = []
    for name, df in frames:
        try:
            out.append(original_outputs(model, df, classifier))
        except Exception as e:
            what = "input example" if name == "input_example" else "training data sample"
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise Refusal("verify", f"The original {estimator} fails on its {what}, so the conversion cannot be checked: {first}") from e
    return out


def compare(session: Any, plan: Plan, frames: List[Tuple[str, pd.DataFrame]], expected: List[Tuple[Any, Any]], classifier: bool) -> Dict[str, Any]:
    """max |Δ| over probabilities (classifiers; labels must be equal too) or predictions (regressors)."""
    max_diff, labels_equal, rows = 0.0, True, {}
    for (name, df), (want, want_proba) in zip(frames, expected):
        rows[name] = len(df)
        if len(df) == 0:
            continue
        got = session.run(None, feeds(plan, df))
        if classifier:
            labels_equal = labels_equal and _labels_equal(got[0], want)
            max_diff = max(max_diff, _max_diff(got[1], want_proba))
        else:
            max_diff = max(max_diff, _max_diff(got[0], want))
    passed = max_diff <= TOLERANCE and labels_equal
    return {
        "tolerance": TOLERANCE,
        "passed": bool(passed),
        "max_abs_diff": max_diff,
        "compared": "probabilities" if classifier else "predictions",
        "labels_equal": bool(labels_equal) if classifier else None,
        "rows": {"input_example": rows.get("input_example", 0), "training_sample": rows.get("training_sample", 0)},
    }
