"""Writes one tiny ONNX model, chosen by name, for the importer's lit tests.

usage: make_model.py NAME OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def graph_model(nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def f32(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def mlp():
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.standard_normal((4, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal((3,)).astype(np.float32), "b")
    nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
             helper.make_node("Relu", ["h"], ["r"], name="act"),
             helper.make_node("Softmax", ["r"], ["y"], name="probs", axis=1)]
    return graph_model(nodes, [f32("x", [2, 4])], [f32("y", [2, 3])], [w, b])


def conv_auto_pad():
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.standard_normal((8, 2, 3, 3)).astype(np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv1", group=2,
                              auto_pad="SAME_UPPER", strides=[2, 2])]
    return graph_model(nodes, [f32("x", [1, 4, 7, 7])], [f32("y", None)], [w])


def softmax_v1():
    nodes = [helper.make_node("Softmax", ["x"], ["y"], name="sm", axis=1)]
    return graph_model(nodes, [f32("x", [2, 3, 4])], [f32("y", [2, 3, 4])], opset=11)


def clip_v6():
    nodes = [helper.make_node("Clip", ["x"], ["y"], name="clip", min=-1.0, max=1.0)]
    return graph_model(nodes, [f32("x", [5])], [f32("y", [5])], opset=6)


def reshape_chain():
    shape = numpy_helper.from_array(np.array([0, -1], dtype=np.int64), "shape")
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["y"], name="rs"),
             helper.make_node("Transpose", ["y"], ["z"], name="tr")]
    return graph_model(nodes, [f32("x", [2, 3, 4])], [f32("z", None)], [shape])


def bad_group():
    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.standard_normal((4, 5, 3, 3)).astype(np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["y"], name="conv1", group=3)]
    return graph_model(nodes, [f32("x", [1, 16, 8, 8])], [f32("y", None)], [w])


def attention():
    nodes = [helper.make_node("Attention", ["q", "k", "v", "", "pk", "pv"], ["y", "present_k"], name="attn",
                              is_causal=1, scale=0.5, softcap=3.0, qk_matmul_output_mode=1, softmax_precision=1)]
    return graph_model(nodes, [f32("q", [1, 2, 3, 4]), f32("k", [1, 2, 3, 4]), f32("v", [1, 2, 3, 4]),
                               f32("pk", [1, 2, 1, 4]), f32("pv", [1, 2, 1, 4])],
                       [f32("y", None), f32("present_k", None)], opset=23)


def ml_tree_ensemble():
    """A model importing only ai.onnx.ml, as scikit-learn exports: one stump, two leaves."""
    node = helper.make_node(
        "TreeEnsemble", ["x"], ["y"], name="trees", domain="ai.onnx.ml", n_targets=1,
        nodes_featureids=[1], nodes_modes=numpy_helper.from_array(np.array([0], dtype=np.uint8)),
        nodes_splits=numpy_helper.from_array(np.array([0.5], dtype=np.float32)),
        nodes_truenodeids=[0], nodes_trueleafs=[1], nodes_falsenodeids=[1], nodes_falseleafs=[1],
        leaf_targetids=[0, 0], leaf_weights=numpy_helper.from_array(np.array([1.0, 2.0], dtype=np.float32)),
        tree_roots=[0])
    graph = helper.make_graph([node], "g", [f32("x", [3, 2])], [f32("y", None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("ai.onnx.ml", 5)])
    model.ir_version = 8
    return model


MODELS = {f.__name__: f for f in [mlp, conv_auto_pad, softmax_v1, clip_v6, reshape_chain, bad_group,
                                    attention, ml_tree_ensemble]}

if __name__ == "__main__":
    onnx.save(MODELS[sys.argv[1]](), sys.argv[2])
