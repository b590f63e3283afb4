#!/usr/bin/env python3
"""Builders for the onnxc benchmark models: seeded weights, opset 17, no downloads, no torch.

  models.py OUTDIR [--only mlp,dscnn,...] [--bert-layers N] [--list]

Each model NAME is written to OUTDIR/NAME.onnx with its input(s) in OUTDIR/NAME.in<i>.bin (raw
little-endian float32, graph input order). Weights and inputs come from
np.random.default_rng(seed) with a fixed seed per model, so the files are reproducible.

Models (the architectures as exporters emit them, BatchNormalization kept as separate nodes):
  mlp         784-512-256-10: Gemm(transB=1)/Relu, Softmax on the logits          [1,784]
  dscnn       keyword-spotting DS-CNN (Hello Edge): Conv 64x(10x4)/2 + BN + Relu, 4
              depthwise-separable blocks (dw 3x3 + BN + Relu, pw 1x1 + BN + Relu),
              GlobalAveragePool, Flatten, Gemm 12                                 [1,1,49,10]
  mobilenetv2 MobileNetV2-1.0: inverted residuals (expansion 6), Clip(0,6) as ReLU6,
              residual Add, 1280 final conv, GlobalAveragePool, Flatten, Gemm 1000 [1,3,224,224]
  resnet50    ResNet-50 v1.5 (stride on the 3x3): bottlenecks [3,4,6,3], BN after every
              conv, MaxPool 3x3/2, GlobalAveragePool, Flatten, Gemm 1000          [1,3,224,224]
  bert        BERT-base-size encoder layers (hidden 768, 12 heads, seq 128, FFN 3072) from
              hidden states [1,128,768]: MatMul+Add, Reshape/Transpose heads, Div by
              sqrt(64), Softmax, LayerNormalization (opset 17), Erf-based GELU
Also matmul_MxKxN models for the GEMM microbenchmark (gemm_model())."""
import argparse
import os
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8  # onnxruntime 1.32 and onnx 1.23 both accept it for opset 17
F32 = np.float32


class Builder:
    """Collects nodes and initializers; hands out unique value names."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes = []
        self.inits = []
        self.counter = {}

    def name(self, base):
        n = self.counter.get(base, 0)
        self.counter[base] = n + 1
        return f"{base}_{n}"

    def init(self, base, arr):
        nm = self.name(base)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), nm))
        return nm

    def node(self, op, ins, n_out=1, **attrs):
        nm = self.name(op.lower())
        outs = [f"{nm}_out{i}" if n_out > 1 else f"{nm}_out" for i in range(n_out)]
        self.nodes.append(helper.make_node(op, list(ins), outs, name=nm, **attrs))
        return outs[0] if n_out == 1 else outs

    # --- weights -----------------------------------------------------------------------------
    def he(self, *shape, fan_in=None, gain=2.0):
        """He-normal weights (variance-preserving through Relu)."""
        if fan_in is None:
            fan_in = int(np.prod(shape[1:]))
        return (self.rng.standard_normal(shape) * np.sqrt(gain / fan_in)).astype(F32)

    def uniform(self, lo, hi, *shape):
        return self.rng.uniform(lo, hi, size=shape).astype(F32)

    # --- layers ------------------------------------------------------------------------------
    def conv(self, x, cin, cout, k, stride=1, pads=None, group=1, bias=False):
        kh, kw = (k, k) if isinstance(k, int) else k
        if pads is None:
            pads = [kh // 2, kw // 2, kh // 2, kw // 2]
        w = self.init("w", self.he(cout, cin // group, kh, kw))
        ins = [x, w]
        if bias:
            ins.append(self.init("b", self.uniform(-0.1, 0.1, cout)))
        return self.node("Conv", ins, kernel_shape=[kh, kw], strides=[stride, stride], pads=pads,
                         group=group, dilations=[1, 1])

    def bn(self, x, c, gamma=(0.8, 1.2)):
        """Inference BatchNormalization with plausible running statistics."""
        scale = self.init("bn_scale", self.uniform(gamma[0], gamma[1], c))
        bias = self.init("bn_bias", self.uniform(-0.1, 0.1, c))
        mean = self.init("bn_mean", self.uniform(-0.1, 0.1, c))
        var = self.init("bn_var", self.uniform(0.8, 1.2, c))
        return self.node("BatchNormalization", [x, scale, bias, mean, var], epsilon=1e-5, momentum=0.9)

    def relu(self, x):
        return self.node("Relu", [x])

    def relu6(self, x):
        lo = self.init("clip_min", np.array(0.0, dtype=F32))
        hi = self.init("clip_max", np.array(6.0, dtype=F32))
        return self.node("Clip", [x, lo, hi])

    def gemm(self, x, nin, nout, scale=1.0):
        # PyTorch's export of nn.Linear: Gemm with transB=1, weight [out, in]
        w = self.init("fc_w", self.he(nout, nin, gain=scale))
        b = self.init("fc_b", self.uniform(-0.1, 0.1, nout))
        return self.node("Gemm", [x, w, b], alpha=1.0, beta=1.0, transB=1)

    def finish(self, graph_name, inputs, outputs, out_shapes):
        """inputs: list of (name, shape). Returns a checked ModelProto with output shapes."""
        g_in = [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs]
        g_out = [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in zip(outputs, out_shapes)]
        graph = helper.make_graph(self.nodes, graph_name, g_in, g_out, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="onnxc-bench")
        model.ir_version = IR_VERSION
        onnx.checker.check_model(model, full_check=True)
        return model


# ---------------------------------------------------------------------------------------------
def mlp():
    b = Builder(seed=1)
    x = "input"
    h = b.relu(b.gemm(x, 784, 512))
    h = b.relu(b.gemm(h, 512, 256))
    h = b.gemm(h, 256, 10, scale=1.0)
    y = b.node("Softmax", [h], axis=-1)
    return b.finish("mlp", [(x, [1, 784])], [y], [[1, 10]])


def dscnn():
    """DS-CNN (Zhang et al., 'Hello Edge', small variant: 64 channels, 4 DS blocks)."""
    b = Builder(seed=2)
    x = "input"
    c = 64
    # Conv 10x4 stride 2, 'same' padding on 49x10 -> 25x5: pads (top 4, left 1, bottom 5, right 1)
    h = b.relu(b.bn(b.conv(x, 1, c, (10, 4), stride=2, pads=[4, 1, 5, 1], bias=True), c))
    for _ in range(4):
        h = b.relu(b.bn(b.conv(h, c, c, 3, group=c, bias=True), c))   # depthwise 3x3
        h = b.relu(b.bn(b.conv(h, c, c, 1, bias=True), c))            # pointwise 1x1
    h = b.node("GlobalAveragePool", [h])
    h = b.node("Flatten", [h], axis=1)
    y = b.gemm(h, c, 12, scale=1.0)
    return b.finish("dscnn", [(x, [1, 1, 49, 10])], [y], [[1, 12]])


def mobilenetv2():
    b = Builder(seed=3)
    x = "input"

    def conv_bn(h, cin, cout, k, stride=1, group=1, act=True, gamma=(0.8, 1.2)):
        h = b.bn(b.conv(h, cin, cout, k, stride=stride, group=group), cout, gamma=gamma)
        return b.relu6(h) if act else h

    h = conv_bn(x, 3, 32, 3, stride=2)
    cin = 32
    # (expansion t, channels c, repeats n, first stride s) of MobileNetV2-1.0
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                       (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = cin * t
            y = h
            if t != 1:
                y = conv_bn(y, cin, hidden, 1)                                 # expand 1x1
            y = conv_bn(y, hidden, hidden, 3, stride=stride, group=hidden)     # depthwise 3x3
            # linear 1x1 projection; a smaller BN gain on residual branches keeps the
            # random network's activations O(1) through the 10 residual adds
            y = conv_bn(y, hidden, c, 1, act=False,
                        gamma=(0.2, 0.4) if (stride == 1 and cin == c) else (0.8, 1.2))
            h = b.node("Add", [h, y]) if (stride == 1 and cin == c) else y
            cin = c
    h = conv_bn(h, cin, 1280, 1)
    h = b.node("GlobalAveragePool", [h])
    h = b.node("Flatten", [h], axis=1)
    y = b.gemm(h, 1280, 1000, scale=1.0)
    return b.finish("mobilenetv2", [(x, [1, 3, 224, 224])], [y], [[1, 1000]])


def resnet50():
    b = Builder(seed=4)
    x = "input"

    def conv_bn(h, cin, cout, k, stride=1, act=True, gamma=(0.8, 1.2)):
        h = b.bn(b.conv(h, cin, cout, k, stride=stride), cout, gamma=gamma)
        return b.relu(h) if act else h

    h = conv_bn(x, 3, 64, 7, stride=2)
    h = b.node("MaxPool", [h], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    cin = 64
    for stage, (width, blocks) in enumerate(zip([64, 128, 256, 512], [3, 4, 6, 3])):
        cout = width * 4
        for i in range(blocks):
            stride = 2 if (i == 0 and stage > 0) else 1
            y = conv_bn(h, cin, width, 1)
            y = conv_bn(y, width, width, 3, stride=stride)
            # smaller BN gain on the last BN of each block keeps 16 residual adds O(1)
            y = conv_bn(y, width, cout, 1, act=False, gamma=(0.2, 0.4))
            if i == 0:
                sc = conv_bn(h, cin, cout, 1, stride=stride, act=False)
            else:
                sc = h
            h = b.relu(b.node("Add", [sc, y]))
            cin = cout
    h = b.node("GlobalAveragePool", [h])
    h = b.node("Flatten", [h], axis=1)
    y = b.gemm(h, 2048, 1000, scale=1.0)
    return b.finish("resnet50", [(x, [1, 3, 224, 224])], [y], [[1, 1000]])


def bert(layers=2, seq=128, hidden=768, heads=12, ffn=3072):
    """BERT-base encoder layers as torch.onnx exports them at opset 17 (no embeddings, no mask)."""
    b = Builder(seed=5)
    x = "hidden_states"
    dh = hidden // heads

    def const(base, arr):
        return b.init(base, np.asarray(arr))

    def linear(h, nin, nout):
        w = b.init("w", (b.rng.standard_normal((nin, nout)) * 0.02 * np.sqrt(768 / nin) * 2).astype(F32))
        bias = b.init("b", b.uniform(-0.05, 0.05, nout))
        return b.node("Add", [b.node("MatMul", [h, w]), bias])

    def layernorm(h):
        g = b.init("ln_g", b.uniform(0.9, 1.1, hidden))
        beta = b.init("ln_b", b.uniform(-0.05, 0.05, hidden))
        return b.node("LayerNormalization", [h, g, beta], axis=-1, epsilon=1e-12)

    split_shape = const("shape_heads", np.array([1, seq, heads, dh], dtype=np.int64))
    merge_shape = const("shape_merge", np.array([1, seq, hidden], dtype=np.int64))
    h = x
    for _ in range(layers):
        q = b.node("Transpose", [b.node("Reshape", [linear(h, hidden, hidden), split_shape])], perm=[0, 2, 1, 3])
        k = b.node("Transpose", [b.node("Reshape", [linear(h, hidden, hidden), split_shape])], perm=[0, 2, 3, 1])
        v = b.node("Transpose", [b.node("Reshape", [linear(h, hidden, hidden), split_shape])], perm=[0, 2, 1, 3])
        scores = b.node("Div", [b.node("MatMul", [q, k]), const("sqrt_dh", np.array(np.sqrt(dh), dtype=F32))])
        probs = b.node("Softmax", [scores], axis=-1)
        ctx = b.node("MatMul", [probs, v])                                   # [1,heads,seq,dh]
        ctx = b.node("Reshape", [b.node("Transpose", [ctx], perm=[0, 2, 1, 3]), merge_shape])
        attn = linear(ctx, hidden, hidden)
        h = layernorm(b.node("Add", [attn, h]))
        # FFN with exact (Erf) GELU: x * 0.5 * (1 + erf(x / sqrt(2)))
        f = linear(h, hidden, ffn)
        e = b.node("Erf", [b.node("Div", [f, const("sqrt2", np.array(np.sqrt(2.0), dtype=F32))])])
        g = b.node("Mul", [b.node("Mul", [f, b.node("Add", [e, const("one", np.array(1.0, dtype=F32))])]),
                           const("half", np.array(0.5, dtype=F32))])
        f = linear(g, ffn, hidden)
        h = layernorm(b.node("Add", [f, h]))
    return b.finish("bert", [(x, [1, seq, hidden])], [h], [[1, seq, hidden]])


def gemm_model(m, k, n, seed=6):
    """Y[M,N] = X[M,K] @ W[K,N] with W a constant weight (the inference case)."""
    b = Builder(seed=seed + m + k + n)
    w = b.init("w", b.he(k, n, fan_in=k, gain=1.0))
    y = b.node("MatMul", ["x", w])
    return b.finish(f"matmul_{m}x{k}x{n}", [("x", [m, k])], [y], [[m, n]])


def one_node_model():
    """The smallest useful model: Y = X + 1 on 4 floats; ORT's per-call floor."""
    b = Builder(seed=7)
    y = b.node("Add", ["x", b.init("one", np.ones((1, 4), dtype=F32))])
    return b.finish("one_node", [("x", [1, 4])], [y], [[1, 4]])


MODELS = {
    "mlp": mlp,
    "dscnn": dscnn,
    "mobilenetv2": mobilenetv2,
    "resnet50": resnet50,
    "bert": bert,
}


# --- other model families: layers the five above do not have ------------------------------------
def recurrent(cell, seq=50, hidden=256, inputs=128):
    """A speech/keyword-spotting recurrence, 50 steps of hidden 256: an LSTM (4 gates) or a GRU
    (3, sliced out of the recurrent weights); the recurrent weights feed every step's MatMul."""
    gates = {"LSTM": 4, "GRU": 3}[cell]
    b = Builder(seed=11 if cell == "LSTM" else 12)
    w = b.init("w", b.he(1, gates * hidden, inputs, fan_in=inputs, gain=1.0))
    r = b.init("r", b.he(1, gates * hidden, hidden, fan_in=hidden, gain=1.0))
    bias = b.init("b", b.uniform(-0.1, 0.1, 1, 2 * gates * hidden))
    _, y = b.node(cell, ["input", w, r, bias], n_out=2, hidden_size=hidden)
    return b.finish(cell.lower(), [("input", [seq, 1, inputs])], [y], [[1, 1, hidden]])


def conv1d(channels=128, length=400, layers=5):
    """An audio/TCN stack: 1-D convolutions, kernel 5, Relu."""
    b = Builder(seed=13)
    x, cin = "input", 64
    for _ in range(layers):
        w = b.init("w", b.he(channels, cin, 5))
        x = b.relu(b.node("Conv", [x, w, b.init("b", b.uniform(-0.1, 0.1, channels))],
                          kernel_shape=[5], pads=[2, 2]))
        cin = channels
    return b.finish("conv1d", [("input", [1, 64, length])], [x], [[1, channels, length]])


def upsample():
    """A decoder/GAN upsampling pair: 4x4 stride-2 ConvTranspose layers with Relu."""
    b = Builder(seed=14)
    x, shape = "input", [1, 128, 16, 16]
    for cin, cout in ((128, 64), (64, 32)):
        w = b.init("w", b.he(cin, cout, 4, 4, fan_in=cin * 4))
        x = b.relu(b.node("ConvTranspose", [x, w, b.init("b", b.uniform(-0.1, 0.1, cout))],
                          kernel_shape=[4, 4], strides=[2, 2], pads=[1, 1, 1, 1]))
        shape = [1, cout, shape[2] * 2, shape[3] * 2]
    return b.finish("upsample", [("input", [1, 128, 16, 16])], [x], [shape])


def silu_cnn():
    """An EfficientNet/YOLO-style stem: 3x3 convolutions and depthwise ones with SiLU."""
    b = Builder(seed=15)
    x, cin, size = "input", 3, 224
    for cout, stride, group in ((32, 2, 1), (32, 1, 32), (64, 1, 1), (64, 2, 64), (96, 1, 1),
                                (96, 1, 96), (96, 1, 1)):
        x = b.conv(x, cin, cout, 3, stride=stride, group=group, bias=True)
        x = b.node("Mul", [x, b.node("Sigmoid", [x])])
        cin, size = cout, size // stride
    return b.finish("silu_cnn", [("input", [1, 3, 224, 224])], [x], [[1, cin, size, size]])


# Not in the default run (the table); `run_bench.py --models lstm,gru,...`.
EXTRA_MODELS = {
    "lstm": lambda: recurrent("LSTM"),
    "gru": lambda: recurrent("GRU"),
    "conv1d": conv1d,
    "upsample": upsample,
    "silu_cnn": silu_cnn,
}


def make_inputs(model, seed):
    """Seeded inputs for every graph input (float32 in [-1, 1))."""
    rng = np.random.default_rng(seed)
    inits = {t.name for t in model.graph.initializer}
    arrays = {}
    for vi in model.graph.input:
        if vi.name in inits:
            continue
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        arrays[vi.name] = rng.uniform(-1.0, 1.0, size=shape).astype(F32)
    return arrays


def write(model, name, outdir):
    """Writes NAME.onnx and NAME.in<i>.bin; returns (model path, [input paths], {name: array})."""
    os.makedirs(outdir, exist_ok=True)
    path = os.path.join(outdir, f"{name}.onnx")
    onnx.save(model, path)
    arrays = make_inputs(model, zlib.crc32(name.encode()))
    in_paths = []
    for i, (nm, arr) in enumerate(arrays.items()):
        p = os.path.join(outdir, f"{name}.in{i}.bin")
        arr.astype("<f4").tofile(p)
        in_paths.append(p)
    return path, in_paths, arrays


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--only", default="", help="comma-separated model names")
    ap.add_argument("--bert-layers", type=int, default=2)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        print("\n".join([*MODELS, *EXTRA_MODELS]))
        return
    if not a.outdir:
        ap.error("OUTDIR is required")
    known = {**MODELS, **EXTRA_MODELS}
    names = [n for n in a.only.split(",") if n] or list(MODELS)
    for name in names:
        m = bert(a.bert_layers) if name == "bert" else known[name]()
        path, _, _ = write(m, name, a.outdir)
        print(f"{path}: {len(m.graph.node)} nodes, {sum(np.prod(t.dims) for t in m.graph.initializer)} weights")


if __name__ == "__main__":
    sys.exit(main())
