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
