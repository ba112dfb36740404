"""convert(model_dir, sample_df) -> (onnx bytes | None, report): an MLflow sklearn/xgboost/lightgbm model
folder to a verified ONNX model. The report is what conversion.json holds; a refusal names the step, the
estimator and what to do. No I/O beyond reading the folder."""
import hashlib
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

import boosters
import estimators
from double_trees import rebuild_regressor
import input_types
from graph_fixes import cast_tree_outputs, label_from_probabilities, widen_tree_inputs
from model_loading import load
from refusal import Refusal
from verify import TOLERANCE, compare, reference

TARGET_OPSET = 17
ML_OPSET = 3  # ai.onnx.ml 3: tree ensembles with double thresholds (*_as_tensor); onnxruntime-node runs it
# Classifiers whose predict is classes_[argmax(predict_proba)]: their ties are where onnxruntime's label differs.
VOTING_TREES = {
    "DecisionTreeClassifier", "ExtraTreeClassifier", "RandomForestClassifier", "ExtraTreesClassifier",
    "GradientBoostingClassifier", "HistGradientBoostingClassifier", "XGBClassifier", "LGBMClassifier",
}
_ELEM = {1: "float", 11: "double", 7: "int64", 8: "string", 9: "bool", 6: "int32"}


def _versions() -> str:
    import onnxmltools
    import skl2onnx

    return f"skl2onnx {skl2onnx.__version__}, onnxmltools {onnxmltools.__version__}"


def _value_infos(values: Any) -> List[Dict[str, Any]]:
    out = []
    for v in values:
        t = v.type.tensor_type
        shape = [d.dim_value if d.HasField("dim_value") else None for d in t.shape.dim]
        out.append({"name": v.name, "type": _ELEM.get(t.elem_type, str(t.elem_type)), "shape": shape})
    return out


def _to_onnx(model: Any, plan: input_types.Plan, classifier: bool) -> Any:
    from skl2onnx import convert_sklearn

    if boosters.kind(model):
        onx = boosters.to_onnx(model, input_types.initial_types(plan))
        if plan.real == "double":
            onx = cast_tree_outputs(onx)
        return label_from_probabilities(onx, np.arange(boosters.n_classes(model))) if classifier else onx
    options = {id(estimators.final_estimator(model)): {"zipmap": False}} if classifier else None
    onx = convert_sklearn(
        model, initial_types=input_types.initial_types(plan), target_opset={"": TARGET_OPSET, "ai.onnx.ml": ML_OPSET}, options=options
    )
    if plan.real == "double":
        onx = cast_tree_outputs(widen_tree_inputs(onx))
        if not classifier:
            onx = rebuild_regressor(onx, estimators.final_estimator(model))
    last = estimators.final_estimator(model)
    classes = getattr(last, "classes_", None)
    # Only where predict is the argmax of predict_proba (an SVC's predict is not, for one).
    if classifier and classes is not None and type(last).__name__ in VOTING_TREES:
        return label_from_probabilities(onx, classes)
    return onx


def _session(onx: Any) -> Any:
    import onnxruntime as ort

    return ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])


def _refuse_unsupported(model: Any) -> None:
    missing = estimators.unsupported(model)
    if missing:
        cls, where = missing[0]
        at = f" ({where})" if where else ""
        raise Refusal("convert", f"skl2onnx has no converter for `{cls}`{at}: write a converter or log the model with mlflow.onnx.")


def _frames(loaded: Any, cols: List[input_types.Column], sample_df: Optional[pd.DataFrame]) -> List[Tuple[str, pd.DataFrame]]:
    frames = []
    ex = input_types.example_frame(loaded.example, cols)
    if ex is not None:
        frames.append(("input_example", ex))
    if sample_df is not None:
        frames.append(("training_sample", input_types.conform(sample_df, cols, "training data")))
    if not frames:
        raise Refusal("verify", "The model has no input example and no training data was given, so the ONNX model cannot be checked: log it with an input_example or pass training_data.")
    return frames


def _convert(loaded: Any, report: Dict[str, Any], sample_df: Optional[pd.DataFrame], log: Callable[[str], None]) -> bytes:
    model, classifier = loaded.model, report["task"] == "classification"
    _refuse_unsupported(model)  # first: the reason that no input typing or data can change
    cols, per_column = input_types.columns(loaded, report["estimator"])
    frames = _frames(loaded, cols, sample_df)
    expected = reference(model, frames, classifier, report["estimator"])
    best: Optional[Tuple[Any, Dict[str, Any], input_types.Plan]] = None
    last_error: Optional[str] = None
    for plan in input_types.candidates(cols, per_column):
        try:
            onx = _to_onnx(estimators.for_conversion(model, plan.real), plan, classifier)
            session = _session(onx)
        except Exception as e:  # this input typing does not convert or load; the next may
            root = e
            while root.__cause__ is not None or root.__context__ is not None:  # the converter's own reason
                root = root.__cause__ or root.__context__
            last_error = f"{type(root).__name__}: {str(root).splitlines()[0] if str(root) else ''}"[:400].rstrip(". ")
            log(f"  {plan.describe()}: does not convert ({last_error[:300]})")
            continue
        try:
            check = compare(session, plan, frames, expected, classifier)
        except Exception as e:  # e.g. an int64 input and a missing value in the sample
            last_error = f"onnxruntime failed on the rows ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
            log(f"  {plan.describe()}: {last_error}")
            continue
        log(f"  {plan.describe()}: max |diff| {check['max_abs_diff']:.3g}" + (f", labels equal: {check['labels_equal']}" if classifier else ""))
        if best is None or check["passed"] or check["max_abs_diff"] < best[1]["max_abs_diff"]:
            best = (onx, check, plan)
        if check["passed"]:
            break
    if best is None:
        tool = "onnxmltools" if boosters.kind(model) else "skl2onnx"
        raise Refusal("convert", f"{tool} could not convert {report['estimator']}: {last_error}.")
    onx, check, plan = best
    report["check"] = check
    report["inputs"], report["outputs"] = _value_infos(onx.graph.input), _value_infos(onx.graph.output)
    if not check["passed"]:
        if classifier and not check["labels_equal"]:
            what = "its labels differ"
        else:
            what = f"max abs difference {check['max_abs_diff']:.3g} > {TOLERANCE:g} on its {check['compared']}"
        raise Refusal("verify", f"The ONNX model of {report['estimator']} does not match the original: {what} ({plan.describe()}).")
    meta = onx.metadata_props.add()
    meta.key, meta.value = "feature_names", ",".join(c.name for c in cols)
    onx.doc_string = f"Converted by Ferry from the {report['flavor']} flavor: {report['estimator']}"
    return onx.SerializeToString()


def empty_report(step: Optional[str] = None, error: Optional[str] = None) -> Dict[str, Any]:
    """conversion.json's shape; with a step and an error, a refusal before the model was read."""
    return {
        "status": "failed", "flavor": None, "estimator": None, "task": None, "converter": _versions(),
        "target_opset": TARGET_OPSET, "step": step, "error": error, "inputs": [], "outputs": [], "check": None,
        "onnx_sha256": None, "onnx_bytes": None, "seconds": None,
    }


def convert(model_dir: str, sample_df: Optional[pd.DataFrame] = None, training_data: Optional[str] = None, log: Callable[[str], None] = print) -> Tuple[Optional[bytes], Dict[str, Any]]:
    started = time.monotonic()
    report = empty_report()
    data: Optional[bytes] = None
    try:
        log(f"loading the model from {model_dir}")
        loaded = load(model_dir)
        estimators.register_converters()
        report["flavor"] = loaded.flavor
        report["estimator"] = estimators.describe(loaded.model)
        if loaded.flavor == "sklearn" and not any(b in report["estimator"] for b in ("XGB", "LGBM")):
            report["converter"] = _versions().split(",")[0]
        if boosters.kind(loaded.model):
            report["target_opset"], report["converter"] = boosters.OPSET, _versions().split(", ")[1]
        report["task"] = "classification" if estimators.is_classifier(loaded.model) else "regression"
        log(f"{loaded.flavor} flavor: {report['estimator']} ({report['task']})")
        data = _convert(loaded, report, sample_df, log)
        report.update(status="succeeded", onnx_sha256=hashlib.sha256(data).hexdigest(), onnx_bytes=len(data))
    except Refusal as r:
        report.update(step=r.step, error=r.message)
        data = None
    if report["check"] is not None:
        report["check"]["max_abs_diff"] = finite(report["check"]["max_abs_diff"])
        report["check"]["training_data"] = training_data if sample_df is not None else None
    report["seconds"] = round(time.monotonic() - started, 3)
    return data, report


def finite(x: Any) -> Any:
    """JSON has no Infinity/NaN: an infinite difference is written as null."""
    return None if isinstance(x, float) and not np.isfinite(x) else x
