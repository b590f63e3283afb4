#!/usr/bin/env python3
"""Builds the small ONNX models of the onnxc end-to-end suite, with seeded inputs.

  gen_models.py OUTDIR [--filter REGEX] [--list]

For every case NAME it writes OUTDIR/NAME.onnx and OUTDIR/NAME.in<i>.bin (raw little-endian, in
graph input order), plus OUTDIR/manifest.json. Weights and inputs come from
np.random.default_rng(crc32(NAME)), so adding a case never changes another one.

Every model is checked with onnx.checker (full_check) and gets ir_version 8, which
onnxruntime 1.32 accepts for every opset used here (7..17). Output shapes are filled in by ONNX
shape inference (real exporters declare them) except in cases marked `bare_outputs`, where only
the element type and rank are declared and onnxc has to infer the sizes itself. Nodes get names
("<op>_<index>") except in cases marked `unnamed`, since unnamed nodes are legal ONNX."""
import argparse
import importlib
import json
import os
import re
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from e2e_case import CASES, F32, I64, IR_VERSION, N, U, W, case, runtime_inputs, spec  # noqa: F401


def build(name, s):
    """spec -> checked ModelProto."""
    nodes = s["nodes"]
    for i, n in enumerate(nodes):
        if not n.name and not s["unnamed"]:
            n.name = f"{n.op_type.lower()}_{i}"
    inputs = [helper.make_tensor_value_info(k, helper.np_dtype_to_tensor_dtype(v.dtype), v.shape)
              for k, v in s["ins"].items()]
    # Output types come from ONNX shape inference, so cases may return any element type.
    outputs = [helper.make_tensor_value_info(o, TensorProto.UNDEFINED, None) for o in s["outs"]]
    inits = [numpy_helper.from_array(v, k) for k, v in s["inits"].items()]
    if s["inits_as_inputs"]:
        inputs += [helper.make_tensor_value_info(k, helper.np_dtype_to_tensor_dtype(v.dtype), v.shape)
                   for k, v in s["inits"].items()]
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", s["opset"])],
                              ir_version=IR_VERSION, producer_name="onnxc-e2e")
    model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    for o in model.graph.output:  # every shape must be static: onnxc compiles static shapes only
        dims = o.type.tensor_type.shape.dim
        assert o.type.tensor_type.HasField("shape") and all(d.HasField("dim_value") for d in dims), \
            f"{name}: output {o.name} has no static inferred shape"
        if s["bare_outputs"]:  # keep the rank (an empty shape would mean rank 0), drop the sizes
            for d in dims:
                d.ClearField("dim_value")
    del model.graph.value_info[:]  # keep only what an exporter would write
    onnx.checker.check_model(model, full_check=True)
    return model

# ---------------------------------------------------------------------------------------- Gemm
@case
def gemm_bias_n(r):
    return spec(13, [N("Gemm", ["a", "b", "c"])], {"a": U(r, 3, 4)}, {"b": W(r, 4, 5), "c": W(r, 5)})

@case
def gemm_trans_alpha_beta(r):  # A is [K,M], B is [N,K]; bias [1,N]
    return spec(13, [N("Gemm", ["a", "b", "c"], transA=1, transB=1, alpha=0.5, beta=2.0)],
                {"a": U(r, 4, 3)}, {"b": W(r, 5, 4), "c": W(r, 1, 5)})

@case
def gemm_no_bias_runtime_b(r):  # both operands are graph inputs; C omitted (opset >= 11)
    return spec(11, [N("Gemm", ["a", "b"], transB=1)], {"a": U(r, 3, 4), "b": U(r, 6, 4)})

@case
def gemm_bias_mn_opset7(r):  # Gemm-7: C required, full [M,N] bias, alpha
    return spec(7, [N("Gemm", ["a", "b", "c"], alpha=1.5)], {"a": U(r, 3, 4)},
                {"b": W(r, 4, 5), "c": W(r, 3, 5)})

@case
def gemm_bias_column(r):  # bias [M,1] broadcast along N
    return spec(13, [N("Gemm", ["a", "b", "c"], transA=1, beta=0.5)], {"a": U(r, 4, 3)},
                {"b": W(r, 4, 5), "c": W(r, 3, 1)})

@case
def gemm_bias_scalar(r):  # rank-0 bias
    return spec(13, [N("Gemm", ["a", "b", "c"])], {"a": U(r, 2, 7)},
                {"b": W(r, 7, 3), "c": np.array(0.75, dtype=F32)})

# -------------------------------------------------------------------------------------- MatMul
@case
def matmul_2d(r):
    return spec(13, [N("MatMul", ["a", "b"])], {"a": U(r, 3, 4), "b": U(r, 4, 5)})

@case
def matmul_batched_3d(r):
    return spec(13, [N("MatMul", ["a", "b"])], {"a": U(r, 2, 3, 4), "b": U(r, 2, 4, 5)})

@case
def matmul_broadcast_4d(r):  # [2,1,3,4] x [3,4,5] -> [2,3,3,5]
    return spec(13, [N("MatMul", ["a", "b"])], {"a": U(r, 2, 1, 3, 4), "b": U(r, 3, 4, 5)})

@case
def matmul_1d_2d(r):  # vector on the left: [4] x [4,5] -> [5]
    return spec(9, [N("MatMul", ["a", "b"])], {"a": U(r, 4)}, {"b": W(r, 4, 5)})

@case
def matmul_2d_1d(r):  # vector on the right: [3,4] x [4] -> [3]
    return spec(13, [N("MatMul", ["a", "b"])], {"a": U(r, 3, 4)}, {"b": W(r, 4)})

@case
def matmul_3d_weights(r):  # batched activations times a 2-D weight (the common linear layer)
    return spec(17, [N("MatMul", ["a", "w"])], {"a": U(r, 2, 3, 8)}, {"w": W(r, 8, 6)})

# ------------------------------------------------------------------------------ Binary ops
@case
def add_same_shape(r):
    return spec(7, [N("Add", ["a", "b"])], {"a": U(r, 2, 3), "b": U(r, 2, 3)})

@case
def add_scalar_const(r):  # rank-0 initializer
    return spec(13, [N("Add", ["x", "c"])], {"x": U(r, 2, 3, 4)}, {"c": np.array(-0.25, dtype=F32)})

@case
def sub_row(r):  # [3,4] - [4]
    return spec(13, [N("Sub", ["x", "row"])], {"x": U(r, 3, 4), "row": U(r, 4)})

@case
def sub_broadcast_lhs(r):  # the broadcast operand is on the left: [1] - [2,3]
    return spec(13, [N("Sub", ["c", "x"])], {"x": U(r, 2, 3)}, {"c": np.array([1.5], dtype=F32)})

@case
def mul_column(r):  # [3,4] * [3,1]
    return spec(13, [N("Mul", ["x", "col"])], {"x": U(r, 3, 4)}, {"col": U(r, 3, 1)})

@case
def mul_4d_bidirectional(r):  # [2,1,4,1] * [1,3,1,5] -> [2,3,4,5]
    return spec(14, [N("Mul", ["a", "b"])], {"a": U(r, 2, 1, 4, 1), "b": U(r, 1, 3, 1, 5)})

@case
def mul_same_operand(r):  # x * x: one value feeding both operands
    return spec(13, [N("Mul", ["x", "x"])], {"x": U(r, 5, 2)})

@case
def add_bidirectional_opset7(r):  # [3,1] + [1,4], Add-7 multidirectional broadcasting
    return spec(7, [N("Add", ["a", "b"])], {"a": U(r, 3, 1), "b": U(r, 1, 4)})

@case
def div_rank_mismatch(r):  # [2,3,4,5] / [4,1]
    return spec(13, [N("Div", ["x", "d"])], {"x": U(r, 2, 3, 4, 5)}, {"d": U(r, 4, 1, lo=0.5, hi=2.0)})

@case
def div_scalar_input(r):  # rank-0 graph input
    return spec(13, [N("Div", ["x", "s"])], {"x": U(r, 2, 3), "s": np.array(1.75, dtype=F32)})

# --------------------------------------------------------------------------------- Activations
@case
def relu(r):
    return spec(14, [N("Relu", ["x"])], {"x": U(r, 3, 4, 5)})

@case
def sigmoid(r):
    return spec(13, [N("Sigmoid", ["x"])], {"x": U(r, 4, 6, lo=-8, hi=8)})

@case
def tanh(r):
    return spec(13, [N("Tanh", ["x"])], {"x": U(r, 2, 3, 5, lo=-4, hi=4)})

# ------------------------------------------------------------------------------------- Softmax
@case
def softmax13_default_axis(r):  # axis -1
    return spec(13, [N("Softmax", ["x"])], {"x": U(r, 2, 3, 4, lo=-3, hi=3)})

@case
def softmax13_axis1(r):  # a single non-last axis
    return spec(13, [N("Softmax", ["x"], axis=1)], {"x": U(r, 2, 3, 4, lo=-3, hi=3)})

@case
def softmax13_axis0(r):
    return spec(13, [N("Softmax", ["x"], axis=0)], {"x": U(r, 3, 4, lo=-3, hi=3)})

@case
def softmax13_large_values(r):  # |x| up to 100: exp overflows float32 without max-subtraction
    return spec(13, [N("Softmax", ["x"])], {"x": U(r, 4, 7, lo=-100, hi=100)})

@case
def softmax11_default_axis(r):  # Softmax-11 default axis=1: [2,3,4] coerced to [2,12]
    return spec(11, [N("Softmax", ["x"])], {"x": U(r, 2, 3, 4, lo=-3, hi=3)}, bare_outputs=True)

@case
def softmax11_axis2(r):  # [2,3,4,5] coerced to [6,20]
    return spec(11, [N("Softmax", ["x"], axis=2)], {"x": U(r, 2, 3, 4, 5, lo=-3, hi=3)})

@case
def softmax11_axis0(r):  # the whole tensor is one row: [1,24]
    return spec(11, [N("Softmax", ["x"], axis=0)], {"x": U(r, 2, 3, 4, lo=-3, hi=3)})

# ---------------------------------------------------------------------------------------- Conv
@case
def conv_basic_bias(r):
    return spec(11, [N("Conv", ["x", "w", "b"], kernel_shape=[3, 3])], {"x": U(r, 1, 2, 5, 5)},
                {"w": W(r, 3, 2, 3, 3), "b": W(r, 3)})

@case
def conv_asym_pads_strides(r):  # pads [top,left,bottom,right] = [1,0,2,1], non-square kernel
    return spec(11, [N("Conv", ["x", "w"], pads=[1, 0, 2, 1], strides=[2, 1])], {"x": U(r, 1, 3, 7, 6)},
                {"w": W(r, 4, 3, 3, 2)})

@case
def conv_dilations(r):
    return spec(11, [N("Conv", ["x", "w"], dilations=[2, 1], pads=[2, 1, 2, 1])], {"x": U(r, 1, 2, 9, 9)},
                {"w": W(r, 2, 2, 3, 3)})

@case
def conv_group2(r):  # 4 input channels in 2 groups, 6 output channels
    return spec(11, [N("Conv", ["x", "w", "b"], group=2, pads=[1, 1, 1, 1])], {"x": U(r, 2, 4, 6, 6)},
                {"w": W(r, 6, 2, 3, 3), "b": W(r, 6)})

@case
def conv_group_dilation_no_pads(r):  # group + dilation + stride without padding (padding lowers separately)
    return spec(13, [N("Conv", ["x", "w", "b"], group=2, dilations=[2, 2], strides=[1, 2])],
                {"x": U(r, 1, 4, 7, 8)}, {"w": W(r, 4, 2, 2, 3), "b": W(r, 4)})

@case
def conv_depthwise_multiplier2(r):  # group == C == 3, two filters per channel
    return spec(13, [N("Conv", ["x", "w", "b"], group=3, pads=[1, 1, 1, 1], strides=[2, 2])],
                {"x": U(r, 1, 3, 6, 6)}, {"w": W(r, 6, 1, 3, 3), "b": W(r, 6)})

@case
def conv_same_upper_stride2(r):  # 8x8, k3, s2: total pad 1, all of it at the end
    return spec(11, [N("Conv", ["x", "w"], auto_pad="SAME_UPPER", strides=[2, 2])], {"x": U(r, 1, 2, 8, 8)},
                {"w": W(r, 3, 2, 3, 3)})

@case
def conv_same_upper_even_kernel(r):  # k2, s1: pad 1 at the end
    return spec(11, [N("Conv", ["x", "w", "b"], auto_pad="SAME_UPPER")], {"x": U(r, 1, 2, 5, 5)},
                {"w": W(r, 2, 2, 2, 2), "b": W(r, 2)})

@case
def conv_valid_stride2(r):
    return spec(11, [N("Conv", ["x", "w", "b"], auto_pad="VALID", strides=[2, 2])], {"x": U(r, 1, 2, 7, 7)},
                {"w": W(r, 2, 2, 3, 3), "b": W(r, 2)})

@case
def conv_1x1_batch3_opset7(r):
    return spec(7, [N("Conv", ["x", "w", "b"])], {"x": U(r, 3, 4, 4, 4)}, {"w": W(r, 5, 4, 1, 1), "b": W(r, 5)})

@case
def conv_runtime_weights(r):  # the filter is a graph input, not an initializer
    return spec(13, [N("Conv", ["x", "w"], pads=[1, 1, 1, 1])], {"x": U(r, 1, 2, 4, 4), "w": U(r, 2, 2, 3, 3)})

# --------------------------------------------------------------------------------------- Pools
@case
def maxpool_basic_opset7(r):
    return spec(7, [N("MaxPool", ["x"], kernel_shape=[2, 2], strides=[2, 2])], {"x": U(r, 1, 2, 6, 6)})

@case
def maxpool_pads_negative_input(r):  # padding must act as -inf, not 0
    return spec(11, [N("MaxPool", ["x"], kernel_shape=[3, 3], pads=[1, 1, 1, 1])],
                {"x": U(r, 1, 2, 4, 4, lo=-5, hi=-1)})

@case
def maxpool_ceil_mode(r):  # 6 -> ceil((6-3)/2)+1 = 3 (floor would give 2)
    return spec(11, [N("MaxPool", ["x"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)],
                {"x": U(r, 1, 2, 6, 6)})

@case
def maxpool_asym(r):  # non-square kernel, asymmetric pads and strides
    return spec(12, [N("MaxPool", ["x"], kernel_shape=[3, 2], strides=[2, 1], pads=[1, 0, 0, 1])],
                {"x": U(r, 2, 1, 7, 5)})

@case
def avgpool_basic_opset7(r):
    return spec(7, [N("AveragePool", ["x"], kernel_shape=[2, 2], strides=[2, 2])], {"x": U(r, 1, 3, 4, 6)})

@case
def avgpool_pads_exclude(r):  # count_include_pad=0: border windows divide by the valid count
    return spec(11, [N("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])],
                {"x": U(r, 1, 2, 5, 5)})

@case
def avgpool_pads_include(r):  # count_include_pad=1: border windows divide by 9
    return spec(11, [N("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                       count_include_pad=1)], {"x": U(r, 1, 2, 5, 5)})

@case
def avgpool_ceil_mode(r):  # the last window hangs off the input
    return spec(11, [N("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)],
                {"x": U(r, 1, 1, 6, 6)})

@case
def avgpool_ceil_include_pad(r):  # ceil_mode with pads counted: only the pads are counted, not the overhang
    return spec(11, [N("AveragePool", ["x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                       ceil_mode=1, count_include_pad=1)], {"x": U(r, 1, 1, 6, 6)})

@case
def global_avgpool(r):
    return spec(7, [N("GlobalAveragePool", ["x"])], {"x": U(r, 2, 3, 4, 5)})

# ------------------------------------------------------------------------- BatchNormalization
def bn_params(r, c, var_lo=0.5, var_hi=1.5):
    return {"scale": U(r, c, lo=0.5, hi=1.5), "bias": U(r, c), "mean": U(r, c),
            "var": U(r, c, lo=var_lo, hi=var_hi)}

@case
def batchnorm_opset9(r):  # default epsilon 1e-5
    return spec(9, [N("BatchNormalization", ["x", "scale", "bias", "mean", "var"])], {"x": U(r, 2, 3, 4, 4)},
                bn_params(r, 3))

@case
def batchnorm_epsilon(r):  # tiny variances so that epsilon=1e-2 changes the result visibly
    return spec(15, [N("BatchNormalization", ["x", "scale", "bias", "mean", "var"], epsilon=1e-2)],
                {"x": U(r, 1, 4, 3, 3)}, bn_params(r, 4, var_lo=1e-3, var_hi=1e-2))

@case
def batchnorm_2d_input(r):  # [N,C] input, training_mode=0 spelled out
    return spec(14, [N("BatchNormalization", ["x", "scale", "bias", "mean", "var"], epsilon=1e-3,
                       training_mode=0)], {"x": U(r, 4, 3)}, bn_params(r, 3))

# ----------------------------------------------------------------------------- Shape movement
@case
def flatten_axis0(r):  # -> [1, 24]
    return spec(11, [N("Flatten", ["x"], axis=0)], {"x": U(r, 2, 3, 4)})

@case
def flatten_default_axis(r):  # axis 1 -> [2, 60]
    return spec(9, [N("Flatten", ["x"])], {"x": U(r, 2, 3, 4, 5)})

@case
def flatten_axis2(r):  # -> [6, 20]
    return spec(13, [N("Flatten", ["x"], axis=2)], {"x": U(r, 2, 3, 4, 5)})

@case
def flatten_negative_axis(r):  # axis -1 -> [24, 5]
    return spec(13, [N("Flatten", ["x"], axis=-1)], {"x": U(r, 2, 3, 4, 5)})

@case
def reshape_zero_minus1(r):  # [0,-1]: keep dim 0, infer the rest
    return spec(13, [N("Reshape", ["x", "shape"])], {"x": U(r, 2, 3, 4)}, {"shape": I64(0, -1)})

@case
def reshape_opset7(r):  # Reshape-5 semantics, -1 in the middle
    return spec(7, [N("Reshape", ["x", "shape"])], {"x": U(r, 2, 3, 4)}, {"shape": I64(4, -1, 3)})

@case
def reshape_from_constant_node(r):  # shape from a Constant node, as exporters emit it
    shape = numpy_helper.from_array(I64(0, 0, 2, -1), "shape_value")
    return spec(13, [N("Constant", [], ["shape"], value=shape), N("Reshape", ["x", "shape"])],
                {"x": U(r, 2, 3, 4)})

@case
def reshape_to_1d_then_relu(r):
    return spec(14, [N("Reshape", ["x", "shape"], ["t"]), N("Relu", ["t"])], {"x": U(r, 3, 2, 2)},
                {"shape": I64(-1)})

@case
def transpose_default_perm(r):  # no perm: reverse the axes
    return spec(7, [N("Transpose", ["x"])], {"x": U(r, 3, 5)})

@case
def transpose_3d(r):
    return spec(13, [N("Transpose", ["x"], perm=[1, 0, 2])], {"x": U(r, 2, 3, 4)})

@case
def transpose_nchw_to_nhwc(r):
    return spec(13, [N("Transpose", ["x"], perm=[0, 2, 3, 1])], {"x": U(r, 1, 3, 4, 5)})

@case
def transpose_5d(r):
    return spec(13, [N("Transpose", ["x"], perm=[4, 0, 2, 1, 3])], {"x": U(r, 2, 3, 1, 4, 2)})

@case
def concat_axis1_three(r):  # two inputs and an initializer, different sizes along the axis
    return spec(11, [N("Concat", ["a", "b", "c"], axis=1)], {"a": U(r, 2, 1, 3), "b": U(r, 2, 4, 3)},
                {"c": U(r, 2, 2, 3)})

@case
def concat_negative_axis(r):
    return spec(13, [N("Concat", ["a", "b"], axis=-1)], {"a": U(r, 2, 3), "b": U(r, 2, 5)})

@case
def concat_axis0_4d(r):
    return spec(7, [N("Concat", ["a", "b"], axis=0)], {"a": U(r, 1, 2, 2, 2), "b": U(r, 2, 2, 2, 2)})

# ---------------------------------------------------------------------------------------- Clip
@case
def clip_opset7_attrs(r):  # Clip-6: min/max attributes
    return spec(7, [N("Clip", ["x"], min=-0.5, max=0.5)], {"x": U(r, 3, 4)})

@case
def clip_opset7_max_only(r):  # Clip-6 default min is -FLT_MAX
    return spec(7, [N("Clip", ["x"], max=0.3)], {"x": U(r, 3, 4)})

@case
def clip_opset11_inputs(r):  # Clip-11: min/max are (rank-0) inputs
    return spec(11, [N("Clip", ["x", "lo", "hi"])], {"x": U(r, 3, 4)},
                {"lo": np.array(-0.25, dtype=F32), "hi": np.array(0.6, dtype=F32)})

@case
def clip_opset11_no_bounds(r):  # neither bound: identity
    return spec(11, [N("Clip", ["x"])], {"x": U(r, 2, 5)})

@case
def clip_opset13_min_only(r):
    return spec(13, [N("Clip", ["x", "lo"])], {"x": U(r, 3, 4)}, {"lo": np.array(0.1, dtype=F32)})

@case
def clip_opset13_max_only(r):  # min omitted with an empty input name
    return spec(13, [N("Clip", ["x", "", "hi"])], {"x": U(r, 3, 4)}, {"hi": np.array(-0.2, dtype=F32)})

@case
def clip_opset13_relu6_constants(r):  # bounds from Constant nodes (PyTorch ReLU6 export)
    return spec(13, [N("Constant", [], ["lo"], value_float=0.0), N("Constant", [], ["hi"], value_float=6.0),
                     N("Clip", ["x", "lo", "hi"])], {"x": U(r, 2, 8, lo=-3, hi=9)})

# ------------------------------------------------------------------------- Identity / Constant
@case
def identity_two_outputs(r):  # one input feeding an Identity output and a Relu output
    return spec(13, [N("Identity", ["x"], ["y"]), N("Relu", ["x"], ["z"])], {"x": U(r, 2, 3)}, outs=["y", "z"])

@case
def identity_of_initializer(r):  # an output that is pure constant data, plus an identity chain
    return spec(13, [N("Identity", ["w"], ["wc"]), N("Identity", ["x"], ["t"]), N("Add", ["t", "w"], ["y"])],
                {"x": U(r, 2, 3)}, {"w": U(r, 2, 3)}, outs=["y", "wc"])

@case
def constant_tensor(r):
    c = numpy_helper.from_array(U(r, 2, 3), "c_value")
    return spec(11, [N("Constant", [], ["c"], value=c), N("Add", ["x", "c"])], {"x": U(r, 2, 3)})

@case
def constant_value_float_floats(r):  # value_float (scalar) and value_floats (1-D), opset 13
    return spec(13, [N("Constant", [], ["s"], value_float=2.5), N("Constant", [], ["v"], value_floats=[1, -2, 0.5]),
                     N("Mul", ["x", "s"], ["t"]), N("Add", ["t", "v"])], {"x": U(r, 2, 3)})

@case
def constant_as_output(r):  # a graph output produced only by a Constant node
    c = numpy_helper.from_array(U(r, 4), "k_value")
    return spec(13, [N("Constant", [], ["k"], value=c), N("Sigmoid", ["x"], ["y"])], {"x": U(r, 4)},
                outs=["y", "k"])

# ---------------------------------------------------------------------------------- Composites
@case
def mlp(r):  # Gemm-Relu-Gemm-Tanh-Gemm-Softmax, nodes unnamed (legal, common in hand-made models)
    return spec(13, [N("Gemm", ["x", "w1", "b1"], ["h1"], transB=1), N("Relu", ["h1"], ["a1"]),
                     N("Gemm", ["a1", "w2", "b2"], ["h2"], transB=1), N("Tanh", ["h2"], ["a2"]),
                     N("Gemm", ["a2", "w3", "b3"], ["h3"]), N("Softmax", ["h3"], ["y"], axis=1)],
                {"x": U(r, 4, 16)},
                {"w1": W(r, 32, 16), "b1": W(r, 32), "w2": W(r, 24, 32), "b2": W(r, 24), "w3": W(r, 24, 10),
                 "b3": W(r, 10)}, unnamed=True)

@case
def tiny_cnn(r):  # conv-bn-relu-maxpool-conv-sigmoid-flatten-gemm-softmax
    p = {"w1": W(r, 8, 3, 3, 3), "b1": W(r, 8), **{k + "1": v for k, v in bn_params(r, 8).items()},
         "w2": W(r, 4, 8, 3, 3), "fc_w": W(r, 64, 5), "fc_b": W(r, 5)}
    return spec(11, [N("Conv", ["x", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
                     N("BatchNormalization", ["c1", "scale1", "bias1", "mean1", "var1"], ["n1"]),
                     N("Relu", ["n1"], ["r1"]), N("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
                     N("Conv", ["p1", "w2"], ["c2"], pads=[1, 1, 1, 1]), N("Sigmoid", ["c2"], ["s2"]),
                     N("Flatten", ["s2"], ["f"]), N("Gemm", ["f", "fc_w", "fc_b"], ["g"]),
                     N("Softmax", ["g"])], {"x": U(r, 2, 3, 8, 8)}, p)

@case
def residual_block(r):  # conv-bn-relu-conv-bn + skip, relu, global pool, classifier
    p = {"w1": W(r, 4, 4, 3, 3), **{k + "1": v for k, v in bn_params(r, 4).items()},
         "w2": W(r, 4, 4, 3, 3), **{k + "2": v for k, v in bn_params(r, 4).items()},
         "fc_w": W(r, 3, 4), "fc_b": W(r, 3)}
    return spec(17, [N("Conv", ["x", "w1"], ["c1"], pads=[1, 1, 1, 1]),
                     N("BatchNormalization", ["c1", "scale1", "bias1", "mean1", "var1"], ["n1"]),
                     N("Relu", ["n1"], ["r1"]), N("Conv", ["r1", "w2"], ["c2"], pads=[1, 1, 1, 1]),
                     N("BatchNormalization", ["c2", "scale2", "bias2", "mean2", "var2"], ["n2"]),
                     N("Add", ["n2", "x"], ["s"]), N("Relu", ["s"], ["r2"]), N("GlobalAveragePool", ["r2"], ["g"]),
                     N("Flatten", ["g"], ["f"]), N("Gemm", ["f", "fc_w", "fc_b"], transB=1)],
                {"x": U(r, 1, 4, 6, 6)}, p)

@case
def attention_head(r):  # single-head self-attention: MatMul/Transpose/Div/Softmax/Reshape
    return spec(13, [N("MatMul", ["x", "wq"], ["q"]), N("MatMul", ["x", "wk"], ["k"]), N("MatMul", ["x", "wv"], ["v"]),
                     N("Transpose", ["k"], ["kt"], perm=[0, 2, 1]), N("MatMul", ["q", "kt"], ["s"]),
                     N("Div", ["s", "scale"], ["ss"]), N("Softmax", ["ss"], ["p"], axis=-1),
                     N("MatMul", ["p", "v"], ["o"]), N("Reshape", ["o", "shape"])],
                {"x": U(r, 2, 5, 8)}, {"wq": W(r, 8, 8), "wk": W(r, 8, 8), "wv": W(r, 8, 8),
                                       "scale": np.array([np.sqrt(8.0)], dtype=F32), "shape": I64(2, -1)},
                bare_outputs=True)

@case
def mobilenet_block(r):  # expand 1x1 - BN - ReLU6 - depthwise 3x3 - BN - ReLU6 - project 1x1 + skip
    p = {"we": W(r, 8, 4, 1, 1), **{k + "1": v for k, v in bn_params(r, 8).items()},
         "wd": W(r, 8, 1, 3, 3), **{k + "2": v for k, v in bn_params(r, 8).items()},
         "wp": W(r, 4, 8, 1, 1), "bp": W(r, 4), "lo": np.array(0, dtype=F32), "hi": np.array(6, dtype=F32)}
    return spec(11, [N("Conv", ["x", "we"], ["e"]),
                     N("BatchNormalization", ["e", "scale1", "bias1", "mean1", "var1"], ["en"]),
                     N("Clip", ["en", "lo", "hi"], ["ea"]), N("Conv", ["ea", "wd"], ["d"], group=8, pads=[1, 1, 1, 1]),
                     N("BatchNormalization", ["d", "scale2", "bias2", "mean2", "var2"], ["dn"]),
                     N("Clip", ["dn", "lo", "hi"], ["da"]), N("Conv", ["da", "wp", "bp"], ["pr"]),
                     N("Add", ["x", "pr"])], {"x": U(r, 1, 4, 5, 5, lo=-2, hi=2)}, p)

# --- sizes the microkernels take (onnxc-contractions-to-ukernels), with the neighbours they absorb ---

@case
def uk_conv_bias_relu_padded(r):  # 3x3 pad 1: padding read on the fly, bias and Relu in the epilogue
    return spec(13, [N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), N("Relu", ["c"])],
                {"x": U(r, 2, 24, 15, 17)}, {"w": W(r, 40, 24, 3, 3), "b": W(r, 40)})

@case
def uk_conv_strided_dilated_asym(r):  # stride 2, dilation 2, asymmetric pads, K > KC (64*3*3 = 576)
    return spec(13, [N("Conv", ["x", "w"], ["y"], pads=[2, 1, 0, 3], strides=[2, 2], dilations=[2, 2])],
                {"x": U(r, 1, 64, 19, 14)}, {"w": W(r, 33, 64, 3, 3)})

@case
def uk_conv_grouped_bn_clip(r):  # groups 4, BN folded into the weights, Clip(0, 6) in the epilogue
    p = {"w": W(r, 32, 8, 3, 3), **bn_params(r, 32), "lo": np.array(0, dtype=F32), "hi": np.array(6, dtype=F32)}
    return spec(13, [N("Conv", ["x", "w"], ["c"], group=4, pads=[1, 1, 1, 1]),
                     N("BatchNormalization", ["c", "scale", "bias", "mean", "var"], ["n"]),
                     N("Clip", ["n", "lo", "hi"])], {"x": U(r, 1, 32, 12, 12, lo=-2, hi=2)}, p)

@case
def uk_depthwise_chain(r):  # 1x1 expand - ReLU6 - depthwise 3x3 stride 2 - ReLU6 - depthwise 5x5 - 1x1 stride 2
    p = {"we": W(r, 48, 16, 1, 1), "be": W(r, 48), "wd": W(r, 48, 1, 3, 3), "bd": W(r, 48),
         "wd5": W(r, 48, 1, 5, 5), "wp": W(r, 24, 48, 1, 1), "lo": np.array(0, dtype=F32), "hi": np.array(6, dtype=F32)}
    return spec(13, [N("Conv", ["x", "we", "be"], ["e"]), N("Clip", ["e", "lo", "hi"], ["ea"]),
                     N("Conv", ["ea", "wd", "bd"], ["d"], group=48, pads=[1, 1, 1, 1], strides=[2, 2]),
                     N("Clip", ["d", "lo", "hi"], ["da"]),
                     N("Conv", ["da", "wd5"], ["d5"], group=48, pads=[2, 2, 2, 2]),
                     N("Conv", ["d5", "wp"], ["y"], strides=[2, 2])], {"x": U(r, 1, 16, 21, 18)}, p)

@case
def uk_gemm_bias_relu(r):  # PyTorch Linear + ReLU: transB weights packed, bias per column, Relu folded
    return spec(13, [N("Gemm", ["x", "w", "b"], ["g"], transB=1), N("Relu", ["g"], ["h"]),
                     N("Gemm", ["h", "w2"], ["y"])],
                {"x": U(r, 5, 300)}, {"w": W(r, 129, 300), "b": W(r, 129), "w2": W(r, 129, 70)})

@case
def uk_matmul_runtime_batched(r):  # attention-style: both operands at run time, a batch loop, B transposed
    return spec(13, [N("Transpose", ["k"], ["kt"], perm=[0, 2, 1]), N("MatMul", ["q", "kt"])],
                {"q": U(r, 3, 40, 64), "k": U(r, 3, 50, 64)})

@case
def uk_matmul_skinny_weights(r):  # M = 1 (a batch-1 linear layer) against a wide constant weight
    return spec(13, [N("MatMul", ["x", "w"])], {"x": U(r, 1, 1, 200)}, {"w": W(r, 200, 333)})

@case
def lenet_opset7(r):  # conv-tanh-avgpool x2, flatten, gemm-tanh-gemm, softmax (all at opset 7)
    p = {"w1": W(r, 4, 1, 3, 3), "b1": W(r, 4), "w2": W(r, 6, 4, 3, 3), "b2": W(r, 6),
         "f1": W(r, 24, 16), "fb1": W(r, 16), "f2": W(r, 16, 3), "fb2": W(r, 3)}
    return spec(7, [N("Conv", ["x", "w1", "b1"], ["c1"]), N("Tanh", ["c1"], ["t1"]),
                    N("AveragePool", ["t1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
                    N("Conv", ["p1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1]), N("Tanh", ["c2"], ["t2"]),
                    N("AveragePool", ["t2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2]),
                    N("Flatten", ["p2"], ["f"]), N("Gemm", ["f", "f1", "fb1"], ["g1"]), N("Tanh", ["g1"], ["h"]),
                    N("Gemm", ["h", "f2", "fb2"], ["g2"]), N("Softmax", ["g2"])], {"x": U(r, 2, 1, 10, 10)}, p)

@case
def multi_output_branches(r):  # outputs that are also consumed internally, three outputs
    return spec(13, [N("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]), N("Relu", ["c"], ["feat"]),
                     N("MaxPool", ["feat"], ["pooled"], kernel_shape=[2, 2], strides=[2, 2]),
                     N("GlobalAveragePool", ["feat"], ["gap"]), N("Flatten", ["gap"], ["f"]),
                     N("Sigmoid", ["f"], ["score"]), N("Concat", ["pooled", "pooled"], ["both"], axis=1)],
                {"x": U(r, 1, 2, 4, 4)}, {"w": W(r, 3, 2, 3, 3)}, outs=["score", "gap", "both"])

@case
def mlp_external_data(r):  # the weights live in mlp_external_data.data (onnx external data)
    return spec(13, [N("Gemm", ["x", "w1", "b1"], ["h"], transB=1), N("Relu", ["h"], ["a"]),
                     N("MatMul", ["a", "w2"], ["m"]), N("Add", ["m", "b2"])],
                {"x": U(r, 3, 8)}, {"w1": W(r, 16, 8), "b1": W(r, 16), "w2": W(r, 16, 4), "b2": W(r, 4)},
                external_data=True)

@case
def initializers_listed_as_inputs(r):  # IR<4 style: weights also appear in graph.input
    return spec(9, [N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), N("Relu", ["c"])],
                {"x": U(r, 1, 2, 4, 4)}, {"w": W(r, 3, 2, 3, 3), "b": W(r, 3)}, inits_as_inputs=True)

# ----------------------------------------------------------------------------------- Attention
@case
def attention23_gqa_causal_past(r):  # 4-D, 4 query heads over 2 KV heads, KV cache, bool mask
    return spec(23, [N("Attention", ["q", "k", "v", "mask", "pk", "pv"], ["y", "present_k", "present_v"],
                       is_causal=1)],
                {"q": U(r, 2, 4, 3, 8), "k": U(r, 2, 2, 3, 8), "v": U(r, 2, 2, 3, 6),
                 "mask": r.uniform(size=(3, 5)) > 0.3, "pk": U(r, 2, 2, 2, 8), "pv": U(r, 2, 2, 2, 6)},
                outs=("y", "present_k", "present_v"))


@case
def attention23_3d_float_mask_softcap(r):  # 3-D inputs split into heads, additive mask, scale, softcap
    return spec(23, [N("Attention", ["q", "k", "v", "mask"], ["y", "", "", "qk"], q_num_heads=2,
                       kv_num_heads=2, scale=0.3, softcap=2.0, qk_matmul_output_mode=2)],
                {"q": U(r, 2, 3, 8), "k": U(r, 2, 4, 8), "v": U(r, 2, 4, 10), "mask": U(r, 3, 4)},
                outs=("y", "qk"))


# ------------------------------------------------------------------- cases kept in other files
# Op families with many cases keep them in test/e2e/cases_<family>.py (each `@case`-decorates its
# builders with e2e_case.case), so this file stays readable; importing them registers them.
for _mod in sorted(f[:-3] for f in os.listdir(os.path.dirname(os.path.abspath(__file__)))
                   if f.startswith("cases_") and f.endswith(".py")):
    importlib.import_module(_mod)


# ----------------------------------------------------------------------------------------- main
def select(pattern=None):
    return [n for n in CASES if pattern is None or re.search(pattern, n)]


def generate(outdir, pattern=None):
    """Writes every selected case; returns the manifest (list of dicts)."""
    os.makedirs(outdir, exist_ok=True)
    manifest = []
    for name in select(pattern):
        s = CASES[name](np.random.default_rng(zlib.crc32(name.encode())))
        model = build(name, s)
        if s["external_data"]:
            onnx.save(model, os.path.join(outdir, name + ".onnx"), save_as_external_data=True,
                      all_tensors_to_one_file=True, location=name + ".data", size_threshold=0)
        else:
            onnx.save(model, os.path.join(outdir, name + ".onnx"))
        files = []
        for i, arr in enumerate(s["ins"].values()):
            fn = f"{name}.in{i}.bin"
            np.ascontiguousarray(arr).astype(arr.dtype.newbyteorder("<")).tofile(os.path.join(outdir, fn))
            files.append(fn)
        manifest.append({"name": name, "model": name + ".onnx", "inputs": files, "opset": s["opset"],
                         "ops": sorted({n.op_type for n in s["nodes"]})})
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--filter", help="regex on case names")
    ap.add_argument("--list", action="store_true", help="print the case names and exit")
    args = ap.parse_args()
    if args.list or not args.outdir:
        print("\n".join(select(args.filter)))
        return 0
    manifest = generate(args.outdir, args.filter)
    print(f"wrote {len(manifest)} models to {args.outdir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
