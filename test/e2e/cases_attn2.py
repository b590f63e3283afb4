"""End-to-end cases against onnxruntime for RotaryEmbedding, CausalConvWithState and LinearAttention.

(FlexAttention is ai.onnx.preview, which onnxruntime 1.x does not run: the conformance tests and
lit cover it.)"""
import numpy as np

from e2e_case import F32, N, U, case, spec


def _rope_caches(positions, half):
    inv = 1.0 / (10000.0 ** (np.arange(half, dtype=np.float64) / half))
    angles = np.arange(positions)[:, None] * inv[None, :]
    return np.cos(angles).astype(F32), np.sin(angles).astype(F32)


@case
def rope_4d_interleaved_partial(r):
    # [B, H, S, D] with position_ids, interleaved pairs and a partial rotary dim.
    cos, sin = _rope_caches(16, 4)
    pos = r.integers(0, 16, size=(2, 5)).astype(np.int64)
    return spec(23, [N("RotaryEmbedding", ["x", "cos", "sin", "pos"], interleaved=1, rotary_embedding_dim=8)],
                {"x": U(r, 2, 3, 5, 12)}, inits={"cos": cos, "sin": sin, "pos": pos})


@case
def rope_3d_halves(r):
    # [B, S, H * D] with num_heads and per-batch caches (no position_ids).
    cos, sin = _rope_caches(4, 8)
    cos = np.stack([cos, cos[::-1]]).astype(F32)
    sin = np.stack([sin, sin[::-1]]).astype(F32)
    return spec(23, [N("RotaryEmbedding", ["x", "cos", "sin"], num_heads=2)],
                {"x": U(r, 2, 4, 32)}, inits={"cos": cos, "sin": sin})


@case
def causal_conv_silu_bias_past(r):
    return spec(27, [N("CausalConvWithState", ["x", "w", "b", "past"], ["y", "state"], activation="silu")],
                {"x": U(r, 2, 6, 7), "past": U(r, 2, 6, 3)}, inits={"w": U(r, 6, 1, 4), "b": U(r, 6)},
                outs=("y", "state"))


@case
def causal_conv_no_state(r):
    return spec(27, [N("CausalConvWithState", ["x", "w"], ["y", "state"])],
                {"x": U(r, 1, 3, 2)}, inits={"w": U(r, 3, 1, 5)}, outs=("y", "state"))


@case
def linear_attention_gated_delta_gqa_past(r):
    # 4 query heads over 2 KV heads, per-key-dim decay, per-head beta and a past state.
    b, t, dk, dv = 2, 3, 4, 6
    return spec(27, [N("LinearAttention", ["q", "k", "v", "past", "decay", "beta"], ["y", "state"],
                       q_num_heads=4, kv_num_heads=2)],
                {"q": U(r, b, t, 4 * dk), "k": U(r, b, t, 2 * dk), "v": U(r, b, t, 2 * dv),
                 "past": U(r, b, 2, dk, dv), "decay": U(r, b, t, 2 * dk, lo=-0.5, hi=0.0),
                 "beta": U(r, b, t, 2, lo=0.0, hi=1.0)}, outs=("y", "state"))


@case
def linear_attention_linear_scaled(r):
    return spec(27, [N("LinearAttention", ["q", "k", "v"], ["y", "state"], q_num_heads=2, kv_num_heads=2,
                       update_rule="linear", scale=0.5)],
                {"q": U(r, 1, 4, 8), "k": U(r, 1, 4, 8), "v": U(r, 1, 4, 6)}, outs=("y", "state"))
