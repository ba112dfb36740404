"""What a loaded model is made of: a short description, where skl2onnx lacks a converter, its final estimator."""
from typing import Any, Iterator, List, Tuple

from skl2onnx import update_registered_converter
from skl2onnx._supported_operators import sklearn_operator_name_map
from skl2onnx.common.shape_calculator import (
    calculate_linear_classifier_output_shapes,
    calculate_linear_regressor_output_shapes,
)

import boosters

_registered = False


def register_converters() -> None:
    """XGBoost and LightGBM's sklearn wrappers become skl2onnx operators (onnxmltools' converters), so they
    convert alone or inside a Pipeline, with the same zipmap option as sklearn's classifiers; SimpleImputer
    gets a double-precision converter (double_imputer)."""
    global _registered
    if _registered:
        return
    from lightgbm import LGBMClassifier, LGBMRegressor
    from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm
    from onnxmltools.convert.xgboost.operator_converters.XGBoost import convert_xgboost
    from xgboost import XGBClassifier, XGBRegressor

    from sklearn.impute import SimpleImputer
    from skl2onnx.shape_calculators.imputer import calculate_sklearn_imputer_output_shapes

    from double_imputer import convert_imputer

    update_registered_converter(SimpleImputer, "SklearnSimpleImputer", calculate_sklearn_imputer_output_shapes, convert_imputer)
    _ints_not_bools()
    cls_opts = {"nocl": [True, False], "zipmap": [True, False, "columns"]}
    update_registered_converter(XGBClassifier, "XGBoostXGBClassifier", calculate_linear_classifier_output_shapes, convert_xgboost, options=cls_opts)
    update_registered_converter(XGBRegressor, "XGBoostXGBRegressor", calculate_linear_regressor_output_shapes, convert_xgboost)
    update_registered_converter(LGBMClassifier, "LightGbmLGBMClassifier", calculate_linear_classifier_output_shapes, convert_lightgbm, options=cls_opts)
    update_registered_converter(LGBMRegressor, "LightGbmLGBMRegressor", calculate_linear_regressor_output_shapes, convert_lightgbm, options={"split": None})
    _registered = True


def _ints_not_bools() -> None:
    """skl2onnx 1.20 writes HistGradientBoosting's missing-value directions as numpy booleans, which onnx refuses
    in an ints attribute ("Expected an int, got a boolean"): lists of booleans become 0/1 before the node is made."""
    import numpy as np
    from skl2onnx.common._container import ModelComponentContainer

    add_node = ModelComponentContainer.add_node

    def patched(self: Any, op_type: Any, inputs: Any, outputs: Any, op_domain: str = "", op_version: Any = None, name: Any = None, **attrs: Any) -> Any:
        for k, v in attrs.items():
            if isinstance(v, (list, tuple)) and any(isinstance(x, (bool, np.bool_)) for x in v):
                attrs[k] = [int(x) if isinstance(x, (bool, np.bool_)) else x for x in v]
            elif isinstance(v, np.ndarray) and v.dtype == np.bool_:
                attrs[k] = v.astype(np.int64).tolist()
        return add_node(self, op_type, inputs, outputs, op_domain=op_domain, op_version=op_version, name=name, **attrs)

    ModelComponentContainer.add_node = patched


def _children(est: Any) -> Iterator[Tuple[str, Any]]:
    """(where, child) for the containers skl2onnx converts part by part."""
    kind = type(est).__name__
    if kind == "Pipeline" and hasattr(est, "steps"):
        for name, step in est.steps:
            yield f"step '{name}' of the Pipeline", step
    elif kind == "ColumnTransformer":
        # Fitted transformers when fitted (what is converted), else the declared ones.
        for name, tr, _ in getattr(est, "transformers_", None) or est.transformers:
            yield f"transformer '{name}' of the ColumnTransformer", tr
    elif kind == "FeatureUnion":
        for name, tr in est.transformer_list:
            yield f"transformer '{name}' of the FeatureUnion", tr


def _passthrough(est: Any) -> bool:
    return isinstance(est, str) and est in ("drop", "passthrough")


def qualname(est: Any) -> str:
    t = type(est)
    return t.__name__ if t.__module__.split(".")[0] in ("sklearn", "xgboost", "lightgbm") else f"{t.__module__}.{t.__qualname__}"


def describe(est: Any) -> str:
    """Pipeline(ColumnTransformer(OneHotEncoder, StandardScaler), GradientBoostingClassifier)."""
    if boosters.kind(est):
        return boosters.describe(est)
    if _passthrough(est):
        return est
    parts = [describe(c) for _, c in _children(est) if not (isinstance(c, str) and c == "drop")]
    name = type(est).__name__ if type(est).__module__.startswith(("sklearn", "xgboost", "lightgbm")) else qualname(est)
    return f"{name}({', '.join(parts)})" if parts else name


def unsupported(est: Any, where: str = "") -> List[Tuple[str, str]]:
    """(qualified class, where it sits) for every part skl2onnx has no converter for."""
    if _passthrough(est) or boosters.kind(est):
        return []
    kids = list(_children(est))
    if kids:
        out: List[Tuple[str, str]] = []
        for w, c in kids:
            out += unsupported(c, f"{w} in {where}" if where else w)
        return out
    return [] if type(est) in sklearn_operator_name_map else [(qualname(est), where)]


def final_estimator(est: Any) -> Any:
    while type(est).__name__ == "Pipeline" and hasattr(est, "steps"):
        est = est.steps[-1][1]
    return est


def is_classifier(est: Any) -> bool:
    from sklearn.base import is_classifier as sk_is_classifier

    if boosters.kind(est):
        return boosters.is_classifier(est)
    last = final_estimator(est)
    try:
        return bool(sk_is_classifier(last)) or hasattr(last, "classes_")
    except Exception:  # an object without sklearn's tags
        return hasattr(last, "classes_")


def _splits_float32(est: Any) -> bool:
    """Trees that compare float32(x) to their thresholds: scikit-learn's trees and forests cast X to float32,
    and XGBoost does too (LightGBM and HistGradientBoosting do not)."""
    module = type(est).__module__
    return module.startswith(("sklearn.tree", "sklearn.ensemble._forest", "sklearn.ensemble._gb", "xgboost"))


def for_conversion(est: Any, real: str) -> Any:
    """A copy fit for the converters. With double inputs, a tree model gets a float32 cast in front, as the
    original casts (the preprocessing before it stays double): skl2onnx's float32 thresholds are then exact.
    onnxmltools reads XGBoost's split features as 'f%d', so a booster trained on a DataFrame loses its feature
    names in the copy; the original keeps them for the check."""
    import copy

    import numpy as np
    from skl2onnx.sklapi import CastTransformer
    from sklearn.pipeline import Pipeline

    dup = copy.deepcopy(est)

    def walk(e: Any) -> None:
        for _, c in _children(e):
            walk(c)
        if boosters.kind(e) == "xgboost":
            e.feature_names = None
        elif type(e).__module__.startswith("xgboost") and hasattr(e, "get_booster"):
            e.get_booster().feature_names = None

    walk(dup)
    last = final_estimator(dup)
    if real != "double" or not _splits_float32(last) or not hasattr(last, "n_features_in_"):
        return dup
    cast = CastTransformer(dtype=np.float32).fit(np.zeros((1, last.n_features_in_)))
    if last is dup:
        return Pipeline([("ferry_float32", cast), ("model", dup)])
    parent = dup
    while parent.steps[-1][1] is not last:
        parent = parent.steps[-1][1]
    parent.steps.insert(len(parent.steps) - 1, ("ferry_float32", cast))
    return dup
