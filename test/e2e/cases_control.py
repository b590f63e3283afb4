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
