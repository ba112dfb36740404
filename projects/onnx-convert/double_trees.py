"""Tree regressors that answer in double. onnxruntime's TreeEnsembleRegressor answers float32, so predictions
near 1e4 came out ~1e-3 apart from scikit-learn's and the check refused them. ai.onnx.ml 5's TreeEnsemble takes
double thresholds and leaf weights and answers double (onnxruntime and onnxruntime-node run it): the converted
regressor node is rebuilt from the fitted trees themselves (weights in double, as scikit-learn sums them)."""
from typing import Any, List, Optional

import numpy as np
from onnx import TensorProto, helper, numpy_helper

_SUM, _AVERAGE = 1, 0
_FORESTS = ("RandomForestRegressor", "ExtraTreesRegressor")


def _plan(est: Any) -> Optional[tuple]:
    """(trees, weight per tree, aggregate, constant) for the regressors rebuilt, else None."""
    name = type(est).__name__
    if getattr(est, "n_outputs_", 1) != 1:
        return None
    if name == "DecisionTreeRegressor":
        return [est.tree_], 1.0, _AVERAGE, 0.0
    if name in _FORESTS:
        return [e.tree_ for e in est.estimators_], 1.0, _AVERAGE, 0.0
    if name == "GradientBoostingRegressor":
        init = est.init_
        if init == "zero":
            base = 0.0
        elif type(init).__name__ == "DummyRegressor" and hasattr(init, "constant_"):
            base = float(np.asarray(init.constant_, dtype=np.float64).ravel()[0])
        else:
            return None
        return [e.tree_ for e in est.estimators_[:, 0]], float(est.learning_rate), _SUM, base
    return None


def _ensemble(trees: List[Any], scale: float) -> dict:
    feats, splits, modes, tnode, tleaf, fnode, fleaf, missing, roots, weights = [], [], [], [], [], [], [], [], [], []
    for t in trees:
        left, right = t.children_left, t.children_right
        value = t.value[:, 0, 0].astype(np.float64)
        go_left = getattr(t, "missing_go_to_left", np.zeros(t.node_count, dtype=np.uint8))
        inner = [i for i in range(t.node_count) if left[i] != -1]
        if not inner:  # a single leaf: one split whose both branches reach it
            roots.append(len(feats))
            feats.append(0), splits.append(np.inf), modes.append(0), missing.append(0)
            tnode.append(len(weights)), tleaf.append(1), fnode.append(len(weights)), fleaf.append(1)
            weights.append(value[0] * scale)
            continue
        node_at = {n: len(feats) + k for k, n in enumerate(inner)}
        leaves = [i for i in range(t.node_count) if left[i] == -1]
        leaf_at = {n: len(weights) + k for k, n in enumerate(leaves)}
        roots.append(node_at[0])
        for n in inner:
            feats.append(int(t.feature[n])), splits.append(float(t.threshold[n])), modes.append(0)
            missing.append(int(go_left[n]))
            for child, ids, leafs in ((left[n], tnode, tleaf), (right[n], fnode, fleaf)):
                ids.append(leaf_at[child] if child in leaf_at else node_at[child])
                leafs.append(1 if child in leaf_at else 0)
        weights.extend(value[n] * scale for n in leaves)
    return dict(
        tree_roots=roots, nodes_featureids=feats,
        nodes_splits=numpy_helper.from_array(np.array(splits, dtype=np.float64)),
        nodes_modes=numpy_helper.from_array(np.array(modes, dtype=np.uint8)),
        nodes_truenodeids=tnode, nodes_trueleafs=tleaf, nodes_falsenodeids=fnode, nodes_falseleafs=fleaf,
        nodes_missing_value_tracks_true=missing,
        leaf_targetids=[0] * len(weights), leaf_weights=numpy_helper.from_array(np.array(weights, dtype=np.float64)),
    )


def rebuild_regressor(model: Any, est: Any) -> Any:
    """Replaces the graph's one TreeEnsembleRegressor by a double TreeEnsemble when its output is what the
    graph answers (directly or through Identity); otherwise the graph is left as it is."""
    plan = _plan(est)
    graph = model.graph
    trees_nodes = [n for n in graph.node if n.domain == "ai.onnx.ml" and n.op_type == "TreeEnsembleRegressor"]
    if plan is None or len(trees_nodes) != 1:
        return model
    old = trees_nodes[0]
    chain, name = {old.output[0]}, old.output[0]
    for n in graph.node:  # follow Identity nodes to the graph's output
        if n.op_type == "Identity" and n.input[0] in chain:
            chain.add(n.output[0])
    outputs = [o for o in graph.output if o.name in chain]
    others = [n for n in graph.node if n is not old and any(i in chain for i in n.input) and n.op_type != "Identity"]
    if len(outputs) != 1 or others:
        return model
    trees, scale, aggregate, base = plan
    raw = f"{name}_trees"
    new = [helper.make_node("TreeEnsemble", [old.input[0]], [raw], domain="ai.onnx.ml", name=f"{old.name}_double",
                            aggregate_function=aggregate, n_targets=1, post_transform=0, **_ensemble(trees, scale))]
    graph.initializer.append(helper.make_tensor(f"{name}_base", TensorProto.DOUBLE, [], [base]))
    new.append(helper.make_node("Add", [raw, f"{name}_base"], [name], name=f"{old.name}_base"))
    nodes = []
    for n in graph.node:
        nodes.extend(new if n is old else [n])
    del graph.node[:]
    graph.node.extend(nodes)
    for v in list(graph.value_info):
        if v.name in chain:
            graph.value_info.remove(v)
    outputs[0].type.tensor_type.elem_type = TensorProto.DOUBLE
    for o in model.opset_import:
        if o.domain == "ai.onnx.ml":
            o.version = max(o.version, 5)
    return model
