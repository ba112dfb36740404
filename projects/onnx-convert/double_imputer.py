"""SimpleImputer on double inputs. skl2onnx writes ai.onnx.ml Imputer, which onnxruntime runs on float only,
so a pipeline with an imputer had to run in float32, where the scaler after it rounds differently from
scikit-learn and a tree then splits a row the other way. Here: Where(IsNaN(X), statistics_, X) in double,
with the fitted statistics exactly; every other case goes to skl2onnx's own converter."""
from typing import Any

import numpy as np
from onnx import TensorProto
from skl2onnx.common.data_types import DoubleTensorType
from skl2onnx.operator_converters.common import concatenate_variables
from skl2onnx.operator_converters.imputer_op import convert_sklearn_imputer


def _exact_case(operator: Any) -> bool:
    op = operator.raw_operator
    stats = getattr(op, "statistics_", None)
    mv = op.missing_values
    return (
        all(isinstance(i.type, DoubleTensorType) for i in operator.inputs)
        and not getattr(op, "add_indicator", False)
        and stats is not None
        and np.asarray(stats).dtype.kind == "f"
        and not np.isnan(np.asarray(stats, dtype=np.float64)).any()
        and (mv is None or isinstance(mv, (int, float)))
    )


def convert_imputer(scope: Any, operator: Any, container: Any) -> None:
    if not _exact_case(operator):
        convert_sklearn_imputer(scope, operator, container)
        return
    op = operator.raw_operator
    x = operator.inputs[0].full_name if len(operator.inputs) == 1 else concatenate_variables(scope, operator.inputs, container)
    stats = np.asarray(op.statistics_, dtype=np.float64)
    fill = scope.get_unique_variable_name("imputed_values")
    container.add_initializer(fill, TensorProto.DOUBLE, [stats.size], stats.tolist())
    mask = scope.get_unique_variable_name("is_missing")
    mv = op.missing_values
    if mv is None or (isinstance(mv, float) and np.isnan(mv)):
        container.add_node("IsNaN", [x], [mask], name=scope.get_unique_operator_name("IsNaN"))
    else:
        value = scope.get_unique_variable_name("missing_value")
        container.add_initializer(value, TensorProto.DOUBLE, [], [float(mv)])
        container.add_node("Equal", [x, value], [mask], name=scope.get_unique_operator_name("Equal"))
    container.add_node("Where", [mask, fill, x], [operator.outputs[0].full_name], name=scope.get_unique_operator_name("Where"))
