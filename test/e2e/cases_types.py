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


def _u8(r, *shape):
    return r.integers(0, 256, size=shape).astype(np.uint8)


@case
def matmul_integer_u8(r):
    return spec(10, [N("MatMulInteger", ["a", "b", "az", "bz"])], {"a": _u8(r, 3, 6)},
                {"b": _u8(r, 6, 4), "az": np.array(12, dtype=np.uint8), "bz": np.array(130, dtype=np.uint8)})


@case
def qlinear_matmul_u8(r):
    f = lambda v: np.array(v, dtype=F32)  # noqa: E731
    return spec(10, [N("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ys", "yz"])], {"a": _u8(r, 2, 5)},
                {"as": f(0.02), "az": np.array(100, dtype=np.uint8), "b": _u8(r, 5, 3), "bs": f(0.01),
                 "bz": np.array(120, dtype=np.uint8), "ys": f(0.05), "yz": np.array(90, dtype=np.uint8)})


@case
def conv_integer_padded_u8(r):
    return spec(10, [N("ConvInteger", ["x", "w", "xz"], pads=[1, 1, 1, 1])], {"x": _u8(r, 1, 2, 5, 5)},
                {"w": _u8(r, 3, 2, 3, 3), "xz": np.array(7, dtype=np.uint8)})
