"""End-to-end cases for onnxc-parallelize-loops: generated loop nests large enough (2^16
operations and up) to be split over the executor. run_e2e.py compiles them with --threads 2 and
the harness's second run uses a 2-thread pool, so these compare the split run with the serial
one bit for bit, and both with onnxruntime."""
import numpy as np

from e2e_case import F32, N, U, W, case, spec


@case
def par_attention_block(r):  # BERT's code between the matmuls: softmax rows, head transposes, LayerNorm, GELU
    h, s, d = 4, 64, 32
    nodes = [
        N("Reshape", ["x", "heads"], ["xh"]), N("Transpose", ["xh"], ["q"], perm=[0, 2, 1, 3]),
        N("Transpose", ["xh"], ["kt"], perm=[0, 2, 3, 1]),
        N("MatMul", ["q", "kt"], ["sc"]), N("Mul", ["sc", "scale"], ["ss"]),
        N("Softmax", ["ss"], ["p"], axis=-1), N("MatMul", ["p", "q"], ["ctx"]),
        N("Transpose", ["ctx"], ["ct"], perm=[0, 2, 1, 3]), N("Reshape", ["ct", "flat"], ["c2"]),
        N("Add", ["c2", "x"], ["res"]),
        N("LayerNormalization", ["res", "g", "b"], ["ln"], axis=-1, epsilon=1e-5),
        N("MatMul", ["ln", "w"], ["f"]), N("Gelu", ["f"], ["y"]),
    ]
    inits = {"heads": np.array([1, s, h, d], dtype=np.int64), "flat": np.array([1, s, h * d], dtype=np.int64),
             "scale": np.array(1 / np.sqrt(d), dtype=F32), "g": U(r, h * d, lo=0.5, hi=1.5), "b": U(r, h * d),
             "w": W(r, h * d, 256)}
    return spec(20, nodes, {"x": U(r, 1, s, h * d)}, inits)


@case
def par_odd_rows(r):  # 3 rows of 40000: one task gets 2 rows, the other 1; a carried scalar (the clip bounds)
    return spec(13, [N("Sigmoid", ["x"], ["s"]), N("Mul", ["s", "x"], ["m"]), N("Clip", ["m", "lo", "hi"], ["y"])],
                {"x": U(r, 3, 40000, lo=-4, hi=4)}, {"lo": np.array(-0.2, dtype=F32), "hi": np.array(2.5, dtype=F32)})
