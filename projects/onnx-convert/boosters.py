"""Native boosters, what xgb.train and lgb.train return (mlflow.xgboost / mlflow.lightgbm load them as such):
converted by onnxmltools directly (their objective says classifier or regressor) and predicted the way their
own predict answers (the positive class's probability alone for a binary objective)."""
import json
from typing import Any, Optional, Tuple

import numpy as np
import pandas as pd

OPSET = 15  # the highest onnxmltools' own converters accept


def kind(model: Any) -> Optional[str]:
    mod = type(model).__module__
    if type(model).__name__ == "Booster" and mod.startswith("xgboost"):
        return "xgboost"
    if type(model).__name__ == "Booster" and mod.startswith("lightgbm"):
        return "lightgbm"
    return None


def objective(model: Any) -> str:
    if kind(model) == "xgboost":
        return json.loads(model.save_config())["learner"]["objective"]["name"]
    return str(model.dump_model(num_iteration=0).get("objective", "")).split(" ")[0]


def is_classifier(model: Any) -> bool:
    return objective(model).startswith(("binary", "multi"))


def n_classes(model: Any) -> int:
    if kind(model) == "xgboost":
        k = int(json.loads(model.save_config())["learner"]["learner_model_param"].get("num_class", "0"))
    else:
        k = model.num_model_per_iteration()
    return max(k, 2) if is_classifier(model) else 0


def describe(model: Any) -> str:
    return f"{kind(model)}.Booster(objective={objective(model)})"


def to_onnx(model: Any, initial_types: Any) -> Any:
    import onnxmltools
    from onnxmltools.convert.common import data_types

    # onnxmltools checks its own type classes (skl2onnx's are alike but not the same).
    initial_types = [(n, getattr(data_types, type(t).__name__)(t.shape)) for n, t in initial_types]

    if kind(model) == "xgboost":
        return onnxmltools.convert_xgboost(model, initial_types=initial_types, target_opset=OPSET)
    return onnxmltools.convert_lightgbm(model, initial_types=initial_types, zipmap=False, target_opset=OPSET)


def predict(model: Any, df: pd.DataFrame) -> Tuple[Any, Optional[Any]]:
    """(labels, probabilities [N, k]) for a classifier, (predictions, None) for a regressor."""
    x = df.to_numpy(dtype=np.float64)
    if kind(model) == "xgboost":
        import xgboost

        out = model.predict(xgboost.DMatrix(x, feature_names=model.feature_names))
    else:
        out = model.predict(x)
    if not is_classifier(model):
        return out, None
    proba = np.column_stack([1.0 - out, out]) if out.ndim == 1 else out
    return np.argmax(proba, axis=1), proba
