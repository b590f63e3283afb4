"""End-to-end cases for narrow element types and linear quantization (against onnxruntime)."""
import numpy as np

from e2e_case import F32, N, U, case, spec


@case
def quantize_per_tensor_u8(r):
    return spec(13, [N("QuantizeLinear", ["x", "s", "z"])], {"x": U(r, 3, 8, lo=-4, hi=4)},
                {"s": np.array(0.05, dtype=F32), "z": np.array(128, dtype=np.uint8)})


@case
def quantize_per_axis_i8(r):
    return spec(13, [N("QuantizeLinear", ["x", "s", "z"], axis=1)], {"x": U(r, 2, 3, 4, lo=-2, hi=2)},
                {"s": np.array([0.01, 0.02, 0.05], dtype=F32), "z": np.array([0, -3, 7], dtype=np.int8)})


@case
def dequantize_per_axis_u8(r):
    x = r.integers(0, 256, size=(2, 3, 4)).astype(np.uint8)
    return spec(13, [N("DequantizeLinear", ["x", "s", "z"], axis=1)], {"x": x},
                {"s": np.array([0.5, 0.25, 2.0], dtype=F32), "z": np.array([128, 0, 3], dtype=np.uint8)})


@case
def dynamic_quantize(r):
    return spec(11, [N("DynamicQuantizeLinear", ["x"], ["y", "ys", "yz"])], {"x": U(r, 4, 5, lo=-3, hi=5)},
                outs=("y", "ys", "yz"))


@case
def quantize_dequantize_roundtrip(r):
    return spec(13, [N("QuantizeLinear", ["x", "s", "z"], ["q"]), N("DequantizeLinear", ["q", "s", "z"])],
                {"x": U(r, 16)}, {"s": np.array(0.01, dtype=F32), "z": np.array(-5, dtype=np.int8)})
