"""DFT, STFT, window functions, MelWeightMatrix, LpPool and the composite normalisations
(LRN, LpNormalization, MeanVarianceNormalization; GroupNormalization has no onnx-inferred
output shape, which gen_models needs, so the backend tests cover it) against onnxruntime:
the spectrogram front ends audio exporters emit (torch.stft / torchaudio), both DFT opsets,
and the pooling/normalisation attributes the backend tests do not cover."""
import numpy as np

from e2e_case import F32, I64, N, U, case, spec


def _scalar(v, dtype=np.int64):
    return np.array(v, dtype=dtype)


@case
def dft_complex_axis1_opset17(r):  # full complex transform, axis attribute
    return spec(17, [N("DFT", ["x"], axis=1)], {"x": U(r, 2, 12, 3, 2)})


@case
def dft_real_onesided_length_opset20(r):  # rfft with zero padding to dft_length
    return spec(20, [N("DFT", ["x", "n", "a"], onesided=1)], {"x": U(r, 3, 10, 1)},
                {"n": _scalar(16), "a": _scalar(-2)})


@case
def dft_inverse_truncated_opset20(r):  # ifft of a cut spectrum over a middle axis
    return spec(20, [N("DFT", ["x", "n", "a"], inverse=1)], {"x": U(r, 2, 9, 4, 2)},
                {"n": _scalar(7), "a": _scalar(1)})


@case
def stft_hann_onesided(r):  # torch.stft(n_fft=32, hop=8, window=hann) export
    return spec(17, [N("HannWindow", ["wl"], ["w"]),
                     N("STFT", ["x", "step", "w", "fl"], onesided=1)],
                {"x": U(r, 2, 100, 1)}, {"wl": _scalar(32), "step": _scalar(8), "fl": _scalar(32)})


@case
def stft_complex_twosided_no_window(r):
    return spec(17, [N("STFT", ["x", "step", "", "fl"], onesided=0)], {"x": U(r, 1, 40, 2)},
                {"step": _scalar(5), "fl": _scalar(10)})


@case
def windows_symmetric_and_double(r):
    nodes = [N("HammingWindow", ["n"], ["h"], periodic=0),
             N("BlackmanWindow", ["n"], ["b"], output_datatype=11),
             N("Cast", ["b"], ["bf"], to=1), N("Add", ["h", "bf"], ["s"]),
             N("Mul", ["x", "s"])]
    return spec(17, nodes, {"x": U(r, 2, 20)}, {"n": _scalar(20)})


@case
def mel_weight_matrix_spectrogram(r):  # power spectrum x mel bank, as log-mel front ends do
    nodes = [N("MelWeightMatrix", ["bins", "len", "rate", "lo", "hi"], ["m"]),
             N("MatMul", ["x", "m"])]
    return spec(17, nodes, {"x": U(r, 3, 33, lo=0.0)},
                {"bins": _scalar(8), "len": _scalar(64), "rate": _scalar(16000),
                 "lo": _scalar(20.0, F32), "hi": _scalar(8000.0, F32)})


@case
def lppool_p3_ceil_dilated(r):
    return spec(18, [N("LpPool", ["x"], kernel_shape=[3, 2], p=3, strides=[2, 2], dilations=[1, 2],
                       pads=[1, 0, 1, 1], ceil_mode=1)], {"x": U(r, 1, 2, 7, 8)})


@case
def lppool_p1_1d_opset11(r):
    return spec(11, [N("LpPool", ["x"], kernel_shape=[3], p=1, strides=[2])], {"x": U(r, 2, 3, 9)})


@case
def lrn_size5_clipped(r):  # windows clipped at both channel edges (onnxruntime needs odd sizes)
    return spec(13, [N("LRN", ["x"], size=5, alpha=0.01, beta=0.6, bias=2.0)], {"x": U(r, 2, 6, 3, 3)})


@case
def lp_normalization_l1_axis1(r):
    return spec(22, [N("LpNormalization", ["x"], axis=1, p=1)], {"x": U(r, 2, 5, 3)})


@case
def mvn_custom_axes(r):
    return spec(13, [N("MeanVarianceNormalization", ["x"], axes=[1, 2])], {"x": U(r, 2, 3, 4, 5)})

