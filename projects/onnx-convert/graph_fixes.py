"""Double-precision tree ensembles that onnxruntime runs. With double inputs, skl2onnx and onnxmltools write
double thresholds (exact splits on float64 data, no float32 rounding that sends a row down the other branch)
but declare the ensemble's score output double, while ai.onnx.ml TreeEnsembleRegressor/Classifier always
answer float: onnxruntime then refuses to load the graph. The fix: let the node answer float and cast that to
double for the nodes after it (the score is rounded to float32 once, at the end)."""
from typing import Any

from onnx import TensorProto, helper

TREES = ("TreeEnsembleRegressor", "TreeEnsembleClassifier")
TIE = 1e-6


def cast_tree_outputs(model: Any) -> Any:
    graph = model.graph
    declared = {v.name: v for v in list(graph.value_info) + list(graph.output)}
    nodes = list(graph.node)
    fixed = []
    for node in nodes:
        fixed.append(node)
        if node.domain != "ai.onnx.ml" or node.op_type not in TREES:
            continue
        # Classifier: output 0 is the label (any type), output 1 the scores; regressor: output 0.
        scores = 1 if node.op_type == "TreeEnsembleClassifier" else 0
        if len(node.output) <= scores:
            continue
        name = node.output[scores]
        v = declared.get(name)
        if v is None or v.type.tensor_type.elem_type != TensorProto.DOUBLE:
            continue
        as_float = f"{name}_float32"
        node.output[scores] = as_float
        fixed.append(helper.make_node("Cast", [as_float], [name], to=TensorProto.DOUBLE, name=f"{node.name}_to_double"))
    del graph.node[:]
    graph.node.extend(fixed)
    return model


def widen_tree_inputs(model: Any) -> Any:
    """Trees read double: onnxruntime then sums the trees' values in double and rounds once at the end (with a
    float input it sums in float32: ~7e-6 apart on predictions near 30 after 100 trees, ~1e-8 in double). The
    splits do not change: a float32 value and a float32 threshold compare the same in double."""
    graph = model.graph
    fixed = []
    for node in graph.node:
        if node.domain == "ai.onnx.ml" and node.op_type in TREES and node.input:
            wide = f"{node.input[0]}_as_double_{len(fixed)}"
            fixed.append(helper.make_node("Cast", [node.input[0]], [wide], to=TensorProto.DOUBLE, name=f"{node.name}_input_to_double"))
            node.input[0] = wide
        fixed.append(node)
    del graph.node[:]
    graph.node.extend(fixed)
    return model


def label_from_probabilities(model: Any, classes: Any) -> Any:
    """The label as scikit-learn takes it: classes_[argmax(probabilities)], the first class on a tie. A forest
    with half its trees each way is a tie that onnxruntime's float32 sums turn into 0.49999994 / 0.50000006 (and
    its tree classifiers pick the positive class); so the label is the first class within TIE of the highest
    probability, below what float32 sums can tell apart and far below the check's tolerance."""
    import numpy as np

    classes = np.asarray(classes)
    graph = model.graph
    if len(graph.output) != 2 or classes.ndim != 1 or classes.dtype.kind not in "iuOU":
        return model
    label, proba = graph.output[0].name, graph.output[1].name
    dims = graph.output[0].type.tensor_type.shape.dim
    del dims[:]
    dims.add().dim_param = "N"  # one label per row (onnxmltools declares [1] for LightGBM's)
    replaced = f"{label}_onnx"
    for node in graph.node:
        node.output[:] = [replaced if o == label else o for o in node.output]
        node.input[:] = [replaced if i == label else i for i in node.input]
    if classes.dtype.kind in "iu":
        table = helper.make_tensor("ferry_classes", TensorProto.INT64, [classes.size], classes.astype(np.int64).tolist())
    else:
        table = helper.make_tensor("ferry_classes", TensorProto.STRING, [classes.size], [str(c).encode() for c in classes])
    graph.initializer.append(table)
    graph.initializer.append(helper.make_tensor("ferry_tie", TensorProto.DOUBLE, [], [TIE]))
    # Ops that exist from opset 9 on (onnxmltools writes 9 for LightGBM); ReduceMax takes axes as an input from 18.
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), None)
    if opset is None:  # onnxmltools' XGBoost graphs hold ai.onnx.ml operators only
        opset = 15
        model.opset_import.append(helper.make_opsetid("", opset))
    if opset >= 18:
        graph.initializer.append(helper.make_tensor("ferry_axis", TensorProto.INT64, [1], [1]))
        top = helper.make_node("ReduceMax", ["ferry_p", "ferry_axis"], ["ferry_top"], keepdims=1, name="ferry_top")
    else:
        top = helper.make_node("ReduceMax", ["ferry_p"], ["ferry_top"], axes=[1], keepdims=1, name="ferry_top")
    graph.node.extend([
        helper.make_node("Cast", [proba], ["ferry_p"], to=TensorProto.DOUBLE, name="ferry_p"),
        top,
        helper.make_node("Sub", ["ferry_top", "ferry_tie"], ["ferry_floor"], name="ferry_floor"),
        helper.make_node("Less", ["ferry_p", "ferry_floor"], ["ferry_below"], name="ferry_below"),
        helper.make_node("Not", ["ferry_below"], ["ferry_near"], name="ferry_near"),
        helper.make_node("Cast", ["ferry_near"], ["ferry_near_f"], to=TensorProto.FLOAT, name="ferry_near_f"),
        # ArgMax answers the first index of the largest value: the first class near the top.
        helper.make_node("ArgMax", ["ferry_near_f"], ["ferry_argmax"], axis=1, keepdims=0, name="ferry_argmax"),
        helper.make_node("Gather", ["ferry_classes", "ferry_argmax"], [label], axis=0, name="ferry_label"),
    ])
    return model
