"""End-to-end cases against onnxruntime for the losses (NLL, SoftmaxCrossEntropy), CumProd, TopK, OneHot, EyeLike."""
import numpy as np

from e2e_case import F32, N, U, W, case, spec


def _targets(r, classes, *shape, ignore=None):
    t = r.integers(0, classes, size=shape).astype(np.int64)
    if ignore is not None:
        t.flat[::3] = ignore  # every third target is ignored
    return t


@case
def nll_weighted_mean_ignore(r):
    # N-D input, weights and an out-of-range ignore_index: the mean divides by
    # the weights of the kept targets only.
    return spec(13, [N("NegativeLogLikelihoodLoss", ["x", "t", "w"], ignore_index=-1)],
                {"x": U(r, 3, 5, 4)}, inits={"t": _targets(r, 5, 3, 4, ignore=-1), "w": U(r, 5, lo=0.2)})


@case
def nll_sum_no_weight(r):
    return spec(13, [N("NegativeLogLikelihoodLoss", ["x", "t"], reduction="sum")],
                {"x": U(r, 6, 7)}, inits={"t": _targets(r, 7, 6)})


@case
def sce_none_log_prob(r):
    # Both outputs: the per-element loss and LogSoftmax over axis 1.
    return spec(13, [N("SoftmaxCrossEntropyLoss", ["x", "t"], ["y", "lp"], reduction="none", ignore_index=2)],
                {"x": W(r, 2, 4, 3, 2)}, inits={"t": _targets(r, 4, 2, 3, 2)}, outs=("y", "lp"))


@case
def sce_mean_weighted(r):
    return spec(13, [N("SoftmaxCrossEntropyLoss", ["x", "t", "w"])],
                {"x": W(r, 8, 10)}, inits={"t": _targets(r, 10, 8), "w": U(r, 10, lo=0.1)})


# CumProd, TopK, OneHot and EyeLike live here too: they came in the same batch of ops.
@case
def cumprod_reverse_exclusive(r):
    return spec(26, [N("CumProd", ["x", "axis"], exclusive=1, reverse=1)],
                {"x": U(r, 3, 4, lo=0.5, hi=1.5)}, inits={"axis": np.array(1, dtype=np.int64)})


@case
def top_k_smallest_axis0(r):
    # Both outputs, a non-last axis and largest=0; distinct values keep the order unambiguous.
    x = r.permutation(24).astype(F32).reshape(6, 4) / 8
    return spec(11, [N("TopK", ["x", "k"], ["y", "i"], axis=-2, largest=0)],
                {"x": x}, inits={"k": np.array([3], dtype=np.int64)}, outs=("y", "i"))


@case
def one_hot_negative_index_axis1(r):
    # Negative indices count from depth; out-of-range ones give an all-off row.
    return spec(11, [N("OneHot", ["i", "d", "v"], axis=1)],
                {"i": np.array([[0, -1, 3], [2, 7, -4]], dtype=np.int64)},
                inits={"d": np.array(4, dtype=np.int64), "v": np.array([-1.0, 2.0], dtype=F32)})


@case
def eye_like_dtype_k(r):
    return spec(9, [N("EyeLike", ["x"], k=-1, dtype=1)], {"x": np.zeros((4, 3), dtype=np.int32)})


@case
def dropout_training_zero_ratio(r):
    # training_mode=1 with ratio 0 drops nothing: deterministic, so it compiles to the identity
    # with an all-true mask (a nonzero ratio is refused, see bad_inputs.py).
    return spec(13, [N("Dropout", ["x", "ratio", "train"], ["y", "mask"])], {"x": U(r, 3, 4)},
                inits={"ratio": np.array(0.0, np.float32), "train": np.array(True)}, outs=("y", "mask"))
