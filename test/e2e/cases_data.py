"""End-to-end cases of the data-indexing ops (ScatterND, GatherND, ReverseSequence),
Einsum, Det, TfIdfVectorizer, and the BitShift/Mod edge cases, against onnxruntime.
Compress has no case: ONNX shape inference leaves its output shape unknown (data-dependent), which
the generator requires; the conformance tests cover it."""
import numpy as np

from e2e_case import F32, I64, N, U, case, spec


@case
def scatternd_slices_reduce_add(r):  # k=1 index tuples write whole rows; duplicates accumulate
    idx = np.array([[0], [2], [0]], dtype=np.int64)
    return spec(18, [N("ScatterND", ["x", "i", "u"], reduction="add")],
                {"x": U(r, 4, 3), "u": U(r, 3, 3)}, {"i": idx})


@case
def scatternd_elements_max(r):  # k = rank: one element per tuple, negative index wraps
    idx = np.array([[0, 1], [-1, 2], [1, 0]], dtype=np.int64)
    return spec(18, [N("ScatterND", ["x", "i", "u"], reduction="max")],
                {"x": U(r, 3, 3), "u": U(r, 3)}, {"i": idx})


@case
def gathernd_batch_dims1(r):  # batch_dims=1: each batch gathers its own rows
    idx = np.array([[[1], [0]], [[2], [2]]], dtype=np.int64)
    return spec(13, [N("GatherND", ["x", "i"], batch_dims=1)], {"x": U(r, 2, 3, 4)}, {"i": idx})


@case
def gathernd_runtime_indices(r):  # indices are a graph input
    idx = np.array([[0, 2], [1, 1], [0, 0]], dtype=np.int64)
    return spec(13, [N("GatherND", ["x", "i"])], {"x": U(r, 2, 3, 4), "i": idx})


@case
def reversesequence_batch_major(r):  # batch_axis=0, time_axis=1, lengths 1..4
    lens = np.array([4, 1, 3], dtype=np.int64)
    return spec(10, [N("ReverseSequence", ["x", "l"], batch_axis=0, time_axis=1)],
                {"x": U(r, 3, 4, 2), "l": lens})


@case
def einsum_batch_matmul_transposed(r):  # contraction with an output transpose
    return spec(12, [N("Einsum", ["a", "b"], equation="bij,bjk->bki")], {"a": U(r, 2, 3, 4), "b": U(r, 2, 4, 5)})


@case
def einsum_ellipsis_broadcast(r):  # '...' dims broadcast between operands
    return spec(12, [N("Einsum", ["a", "b"], equation="...ij,...jk->...ik")],
                {"a": U(r, 2, 1, 3, 4), "b": U(r, 1, 3, 4, 2)})


@case
def einsum_trace_implicit(r):  # repeated label: a diagonal; implicit output sums it
    return spec(12, [N("Einsum", ["a"], equation="ii")], {"a": U(r, 4, 4)})


@case
def det_batched(r):  # [2, 3, 3, 3]: pivoting, including a singular matrix
    x = U(r, 2, 3, 3, 3)
    x[1, 2, 2] = x[1, 2, 1]
    return spec(11, [N("Det", ["x"])], {"x": x})


@case
def tfidf_tfidf_weights_skip2(r):  # uni- and bigrams with skips, weighted
    x = np.array([[1, 2, 3, 2, 1, 3], [3, 3, 1, 2, 2, 1]], dtype=np.int64)
    return spec(9, [N("TfIdfVectorizer", ["x"], mode="TFIDF", min_gram_length=1, max_gram_length=2,
                      max_skip_count=2, ngram_counts=[0, 3], ngram_indexes=[0, 1, 2, 3, 4],
                      pool_int64s=[1, 2, 3, 1, 2, 3, 1], weights=[0.5, 1.0, 2.0, 1.5, 3.0])],
                {"x": x})


@case
def bitshift_out_of_range(r):  # shift amounts >= the bit width saturate
    x = np.array([8, 3, 0xFFFFFFFF, 1], dtype=np.uint32)
    y = np.array([1, 32, 33, 31], dtype=np.uint32)
    return spec(11, [N("BitShift", ["x", "s"], direction="LEFT")], {"x": x, "s": y})


@case
def mod_fmod_infinite_divisor(r):  # C fmod: fmod(x, +-inf) == x
    x = np.array([-3.0, 3.0, 0.5, -0.0, 7.5], dtype=F32)
    y = np.array([np.inf, -np.inf, 2.0, 1.0, -2.0], dtype=F32)
    return spec(13, [N("Mod", ["x", "m"], fmod=1)], {"x": x, "m": y})
