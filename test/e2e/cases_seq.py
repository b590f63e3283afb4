"""End-to-end cases of the recurrent ops (RNN, GRU, LSTM) against onnxruntime."""
import numpy as np

from e2e_case import F32, N, U, W, case, spec


def _seq_lens(*vals):
    return np.array(vals, dtype=np.int32)


@case
def lstm_bidirectional_all_outputs(r):  # initial state, bias, peepholes, Y/Y_h/Y_c
    s, b, i, h = 5, 2, 3, 4
    return spec(14, [N("LSTM", ["x", "w", "r", "b", "", "h0", "c0", "p"], ["y", "yh", "yc"],
                       hidden_size=h, direction="bidirectional")],
                {"x": U(r, s, b, i), "h0": U(r, 2, b, h), "c0": U(r, 2, b, h)},
                {"w": W(r, 2, 4 * h, i), "r": W(r, 2, 4 * h, h), "b": W(r, 2, 8 * h), "p": W(r, 2, 3 * h)},
                outs=("y", "yh", "yc"))


@case
def lstm_seq_lens_clip_reverse(r):  # constant sequence_lens, clip (layout 1: ORT has none; conformance covers it)
    s, b, i, h = 4, 3, 2, 3
    return spec(14, [N("LSTM", ["x", "w", "r", "b", "sl"], ["y", "yh", "yc"], hidden_size=h,
                       clip=0.5, direction="reverse")],
                {"x": U(r, s, b, i)},
                {"w": W(r, 1, 4 * h, i), "r": W(r, 1, 4 * h, h), "b": W(r, 1, 8 * h), "sl": _seq_lens(4, 2, 1)},
                outs=("y", "yh", "yc"))


@case
def gru_linear_before_reset_activations(r):  # lbr=1 with non-default activations and alphas
    s, b, i, h = 3, 2, 4, 5
    return spec(14, [N("GRU", ["x", "w", "r", "b"], ["y", "yh"], hidden_size=h, linear_before_reset=1,
                       direction="bidirectional",
                       activations=["HardSigmoid", "LeakyRelu", "Sigmoid", "ScaledTanh"],
                       activation_alpha=[0.3, 0.2, 0.9], activation_beta=[0.4, 1.1])],
                {"x": U(r, s, b, i)},
                {"w": W(r, 2, 3 * h, i), "r": W(r, 2, 3 * h, h), "b": W(r, 2, 6 * h)}, outs=("y", "yh"))


@case
def gru_seq_lens_initial_h(r):
    s, b, i, h = 4, 3, 2, 3
    return spec(14, [N("GRU", ["x", "w", "r", "b", "sl", "h0"], ["y", "yh"], hidden_size=h)],
                {"x": U(r, s, b, i), "h0": U(r, 1, b, h)},
                {"w": W(r, 1, 3 * h, i), "r": W(r, 1, 3 * h, h), "b": W(r, 1, 6 * h), "sl": _seq_lens(1, 4, 3)},
                outs=("y", "yh"))


@case
def rnn_relu_bidirectional_seq_lens(r):
    s, b, i, h = 3, 2, 3, 4
    return spec(14, [N("RNN", ["x", "w", "r", "b", "sl"], ["y", "yh"], hidden_size=h,
                       direction="bidirectional", activations=["Relu", "Tanh"])],
                {"x": U(r, s, b, i)},
                {"w": W(r, 2, h, i), "r": W(r, 2, h, h), "b": W(r, 2, 2 * h), "sl": _seq_lens(2, 3)},
                outs=("y", "yh"))
