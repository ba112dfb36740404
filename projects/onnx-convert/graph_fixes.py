"""Double-precision tree ensembles that onnxruntime runs. With double inputs, skl2onnx and onnxmltools write
double thresholds (exact splits on float64 data, no float32 rounding that sends a row down the other branch)
but declare the ensemble's score output double, while ai.onnx.ml TreeEnsembleRegressor/Classifier always
answer float: onnxruntime then refuses to load the graph. The fix: let the node answer float and cast that to
double for the nodes after it (the score is rounded to float32 once, at the end)."""
from typing import Any

from onnx import TensorProto, helper

TREES = ("TreeEnsembleRegressor", "TreeEnsembleClassifier")


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
