"""End-to-end cases for the microkernel path's fusions across several layers, where
bufferization reuses dead buffers in place (test/e2e/gen_models.py has the single-layer ones)."""
import numpy as np

from e2e_case import F32, N, U, W, case, spec


def _bn(r, prefix, c):
    return {f"{prefix}_s": U(r, c, lo=0.5, hi=1.5), f"{prefix}_b": U(r, c), f"{prefix}_m": U(r, c),
            f"{prefix}_v": U(r, c, lo=0.5, hi=1.5)}


def _inverted_residual(r, i, x, c, e, p):
    """MobileNetV2 block: 1x1 expand-BN-ReLU6, 3x3 depthwise-BN-ReLU6, 1x1 project-BN, + x."""
    p.update({f"we{i}": W(r, e, c, 1, 1), f"wd{i}": W(r, e, 1, 3, 3), f"wp{i}": W(r, c, e, 1, 1)})
    p.update(_bn(r, f"n1{i}", e), **_bn(r, f"n2{i}", e), **_bn(r, f"n3{i}", c))

    def bn(src, n, dst):
        return N("BatchNormalization", [src, f"{n}_s", f"{n}_b", f"{n}_m", f"{n}_v"], [dst])
    return [N("Conv", [x, f"we{i}"], [f"e{i}"]), bn(f"e{i}", f"n1{i}", f"eb{i}"),
            N("Clip", [f"eb{i}", "lo", "hi"], [f"ea{i}"]),
            N("Conv", [f"ea{i}", f"wd{i}"], [f"d{i}"], group=e, pads=[1, 1, 1, 1]),
            bn(f"d{i}", f"n2{i}", f"db{i}"), N("Clip", [f"db{i}", "lo", "hi"], [f"da{i}"]),
            N("Conv", [f"da{i}", f"wp{i}"], [f"p{i}"]), bn(f"p{i}", f"n3{i}", f"pb{i}"),
            N("Add", [f"pb{i}", x], [f"r{i}"])]


@case
def uk_inverted_residual_x3(r):  # ReLU6 after each depthwise folds even into reused buffers
    p = {"lo": np.array(0, dtype=F32), "hi": np.array(6, dtype=F32)}
    nodes, x = [], "x"
    for i in range(3):
        nodes += _inverted_residual(r, i, x, 16, 64, p)
        x = f"r{i}"
    nodes.append(N("Identity", [x], ["y"]))
    return spec(13, nodes, {"x": U(r, 1, 16, 14, 14)}, p)


@case
def uk_residual_self_skip(r):  # relu(x + conv(x)): the skip is the conv's own input, so no in-place write
    return spec(13, [N("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]), N("Add", ["x", "c"], ["s"]),
                     N("Relu", ["s"], ["y"])], {"x": U(r, 1, 16, 9, 9)},
                {"w": W(r, 16, 16, 3, 3), "b": U(r, 16)})


@case
def uk_residual_skip_lives_on(r):  # the skip is read again after the add: accumulate onto a copy
    return spec(13, [N("Conv", ["x", "w1"], ["h"]), N("Relu", ["h"], ["hr"]),
                     N("Conv", ["hr", "w2", "b2"], ["c"], pads=[1, 1, 1, 1]), N("Add", ["c", "hr"], ["s"]),
                     N("Mul", ["s", "hr"], ["y"])], {"x": U(r, 1, 8, 10, 10)},
                {"w1": W(r, 16, 8, 1, 1), "w2": W(r, 16, 16, 3, 3), "b2": U(r, 16)})


@case
def uk_residual_transformer(r):  # LayerNorm-free BERT sublayer: (x W + b) + x twice, then Gelu-ish Tanh
    return spec(13, [N("MatMul", ["x", "w1"], ["m1"]), N("Add", ["m1", "b1"], ["a1"]), N("Add", ["a1", "x"], ["s1"]),
                     N("MatMul", ["s1", "w2"], ["m2"]), N("Add", ["b2", "m2"], ["a2"]), N("Add", ["s1", "a2"], ["s2"]),
                     N("Tanh", ["s2"], ["y"])], {"x": U(r, 1, 24, 64)},
                {"w1": W(r, 64, 64), "b1": U(r, 64), "w2": W(r, 64, 64), "b2": U(r, 64)})
