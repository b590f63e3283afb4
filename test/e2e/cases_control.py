"""Zero-size tensors: empty inputs, empty outputs, reductions over an empty set (identities)."""
import numpy as np

from e2e_case import F32, I64, N, U, case, spec


@case
def reduce_sum_empty_set(r):  # sum over an empty axis is 0 everywhere
    return spec(13, [N("ReduceSum", ["x", "axes"], keepdims=1)], {"x": np.zeros((2, 0, 4), F32)},
                {"axes": I64(1)})


@case
def reduce_prod_max_empty_set(r):  # prod gives 1 and max gives -inf over an empty set
    return spec(18, [N("ReduceProd", ["x", "axes"], ["p"], keepdims=0),
                     N("ReduceMax", ["x", "axes"], ["m"], keepdims=0)],
                {"x": np.zeros((3, 0), F32)}, {"axes": I64(1)}, outs=("p", "m"))


@case
def relu_empty_then_concat(r):  # an empty input flows through and joins a non-empty one
    return spec(13, [N("Relu", ["x"], ["t"]), N("Concat", ["t", "z"], axis=0)],
                {"x": np.zeros((0, 4), F32), "z": U(r, 3, 4)})


@case
def split_to_empty_output(r):  # one piece of a Split is empty, and is a graph output
    return spec(13, [N("Split", ["x", "s"], ["a", "b"], axis=1)], {"x": U(r, 2, 3)},
                {"s": I64(3, 0)}, outs=("a", "b"))


@case
def scatter_elements_axis1_negative(r):  # negative indices count from the end of the axis
    idx = np.array([[1, -1], [0, -3], [2, 1]], dtype=np.int64)
    return spec(13, [N("ScatterElements", ["x", "i", "u"], axis=1)],
                {"x": U(r, 3, 4), "u": U(r, 3, 2)}, {"i": idx})


@case
def scatter_elements_reduce_add(r):  # duplicate indices accumulate under reduction="add"
    idx = np.array([[0, 1, 0], [0, 2, 1]], dtype=np.int64)
    return spec(16, [N("ScatterElements", ["x", "i", "u"], axis=0, reduction="add")],
                {"x": U(r, 3, 3), "u": U(r, 2, 3)}, {"i": idx})
