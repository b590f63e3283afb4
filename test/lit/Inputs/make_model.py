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


def subgraph(nodes, inputs, outputs, name):
    return helper.make_graph(nodes, name, inputs, outputs)


def loop_outer_scope():
    """A Loop whose body reads the outer `w`, with an If inside on the iteration number."""
    then_g = subgraph([helper.make_node("Mul", ["v", "w"], ["t"], name="scale")], [], [f32("t", None)], "then")
    else_g = subgraph([helper.make_node("Add", ["v", "w"], ["e"], name="shift")], [], [f32("e", None)], "else")
    i64 = lambda n: helper.make_tensor_value_info(n, TensorProto.INT64, [])
    b = lambda n: helper.make_tensor_value_info(n, TensorProto.BOOL, [])
    body = subgraph([helper.make_node("Equal", ["i", "zero"], ["first"], name="is_first"),
                     helper.make_node("If", ["first"], ["v_out"], name="pick", then_branch=then_g,
                                      else_branch=else_g),
                     helper.make_node("Identity", ["c"], ["c_out"], name="keep")],
                    [i64("i"), b("c"), f32("v", None)], [b("c_out"), f32("v_out", None)], "body")
    m = numpy_helper.from_array(np.array(2, dtype=np.int64), "m")
    zero = numpy_helper.from_array(np.array(0, dtype=np.int64), "zero")
    nodes = [helper.make_node("Loop", ["m", "", "x"], ["y"], name="loop", body=body)]
    return graph_model(nodes, [f32("x", [3]), f32("w", [3])], [f32("y", None)], [m, zero])


def loop_bad_body():
    """The body takes 2 inputs; a Loop with one carried value passes 3."""
    body = subgraph([helper.make_node("Identity", ["c"], ["c_out"])],
                    [helper.make_tensor_value_info("i", TensorProto.INT64, []),
                     helper.make_tensor_value_info("c", TensorProto.BOOL, [])],
                    [helper.make_tensor_value_info("c_out", TensorProto.BOOL, [])], "body")
    m = numpy_helper.from_array(np.array(2, dtype=np.int64), "m")
    nodes = [helper.make_node("Loop", ["m", "", "x"], ["y"], name="loop", body=body)]
    return graph_model(nodes, [f32("x", [3])], [f32("y", None)], [m])


def _flex(preview_version, **attrs):
    nodes = [helper.make_node("FlexAttention", ["q", "k", "v"], ["y"], name="flex", domain="ai.onnx.preview",
                              **attrs)]
    model = graph_model(nodes, [f32("q", [1, 4, 3, 8]), f32("k", [1, 2, 5, 8]), f32("v", [1, 2, 5, 6])],
                        [f32("y", None)], opset=26)
    model.opset_import.append(helper.make_opsetid("ai.onnx.preview", preview_version))
    return model


def flex_attention():
    return _flex(1, scale=0.25)


def flex_attention_v2():
    return _flex(2)


def flex_attention_mods():
    # score_mod soft-caps the scores with its own constant; prob_mod scales the
    # probabilities by the main graph's `w` (an outer-scope value).
    cap = helper.make_node("Constant", [], ["cap"], value=numpy_helper.from_array(np.array(20, np.float32)))
    score_mod = helper.make_graph([cap, helper.make_node("Div", ["s", "cap"], ["d"]),
                                   helper.make_node("Tanh", ["d"], ["t"]),
                                   helper.make_node("Mul", ["t", "cap"], ["capped"])],
                                  "score_mod", [f32("s", None)], [f32("capped", None)])
    prob_mod = helper.make_graph([helper.make_node("Mul", ["p", "w"], ["scaled"])], "prob_mod",
                                 [f32("p", None)], [f32("scaled", None)])
    model = _flex(1, score_mod=score_mod, prob_mod=prob_mod)
    model.graph.initializer.append(numpy_helper.from_array(np.full([5], 0.5, np.float32), "w"))
    return model


def flex_attention_bad_mod():
    mod = helper.make_graph([helper.make_node("Identity", ["s"], ["t"])], "mod", [f32("s", None)],
                            [f32("t", None), f32("s", None)])
    return _flex(1, score_mod=mod)


def gridsample_v16():
    nodes = [helper.make_node("GridSample", ["x", "g"], ["y"], name="gs", mode="bicubic")]
    return graph_model(nodes, [f32("x", [1, 2, 4, 5]), f32("g", [1, 3, 3, 2])], [f32("y", None)],
                       opset=16)


def maxpool_indices():
    nodes = [helper.make_node("MaxPool", ["x"], ["y", "i"], name="mp", kernel_shape=[2, 2],
                              strides=[2, 2], storage_order=1)]
    return graph_model(nodes, [f32("x", [1, 1, 4, 4])],
                       [f32("y", None), helper.make_tensor_value_info("i", TensorProto.INT64, None)],
                       opset=12)


def dft_v17():
    nodes = [helper.make_node("DFT", ["x"], ["y"], name="dft", axis=2, onesided=1)]
    return graph_model(nodes, [f32("x", [1, 3, 8, 1])], [f32("y", None)], opset=17)


def dft_bad_axis():
    axis = numpy_helper.from_array(np.array(-1, dtype=np.int64), "axis")
    nodes = [helper.make_node("DFT", ["x", "", "axis"], ["y"], name="dft")]
    return graph_model(nodes, [f32("x", [1, 8, 2])], [f32("y", None)], [axis], opset=20)


def window_runtime_size():
    nodes = [helper.make_node("HannWindow", ["n"], ["y"], name="hann")]
    return graph_model(nodes, [helper.make_tensor_value_info("n", TensorProto.INT64, [])],
                       [f32("y", None)], opset=17)


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


MODELS = {f.__name__: f for f in [mlp, conv_auto_pad, softmax_v1, clip_v6, reshape_chain,
                                    bad_group, attention, loop_outer_scope, loop_bad_body,
                                    flex_attention, flex_attention_v2, gridsample_v16,
                                    maxpool_indices, dft_v17, dft_bad_axis, window_runtime_size,
                                    ml_tree_ensemble, flex_attention_mods, flex_attention_bad_mod]}


if __name__ == "__main__":
    onnx.save(MODELS[sys.argv[1]](), sys.argv[2])
