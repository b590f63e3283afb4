#!/usr/bin/env python3
"""The real-model suite: networks exported from PyTorch (torchvision, Hugging Face
transformers, ONNX Runtime's quantizer) by export_models.py, committed as weight-free templates
in graphs/. This module refills each template's large initializers from a seeded generator with
the statistics recorded in NAME.json, draws the inputs the JSON describes, and writes the same
manifest as test/e2e/gen_models.py, so run_e2e.py checks them like any e2e model:

  run_e2e.py --suite real --onnxc build/bin/onnxc --rt build/lib/libonnxc_rt.a --workdir /tmp/real

  real_models.py OUTDIR [--filter REGEX] [--list]      (just write the filled models)

Weights are random, so the numbers mean nothing; what is tested is that the exporters' graphs
(their op patterns, shape-constant chains, fused and quantized forms) compile and compute what
onnxruntime computes."""
import argparse
import glob
import json
import os
import re
import sys
import zlib

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
GRAPHS = os.path.join(HERE, "graphs")

# Deep networks in f32 sum thousands of products per output, in a different order than
# onnxruntime: the tolerance scales with the output's magnitude (atol relative to max |ref|).
# Quantized models round activations to int8 at every layer, so a last-bit difference before a
# rounding step moves a value by one quantization step; their outputs are compared at that
# granularity.
TOLERANCE = {"default": {"rtol": 1e-3, "atol_of_max": 1e-4},
             "mobilenet_v3_small_int8": {"rtol": 0.0, "atol_of_max": 0.1}}


def select(pattern=None):
    names = sorted(os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(GRAPHS, "*.json")))
    return [n for n in names if pattern is None or re.search(pattern, n)]


def fan_in(node, shape):
    """Inputs summed per output of the contraction whose weight (input 1) has this shape."""
    if node.op_type == "Conv":
        return int(np.prod(shape[1:]))
    if node.op_type == "ConvTranspose":
        return int(shape[0] * np.prod(shape[2:]))
    if node.op_type == "Gemm":
        trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
        return shape[1] if trans_b else shape[0]
    return shape[-2]  # MatMul


def weight_fan_ins(model):
    """Fan-in of each float initializer used as a Conv/ConvTranspose/Gemm/MatMul weight."""
    shapes = {t.name: list(t.dims) for t in model.graph.initializer}
    result = {}
    for node in model.graph.node:
        if node.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul") and len(node.input) > 1:
            w = node.input[1]
            if w in shapes and len(shapes[w]) >= 2:
                result[w] = fan_in(node, shapes[w])
    return result


def fill(model, meta, name):
    """Refills the stripped initializers, each from a generator seeded by the network and tensor
    names. Float contraction weights get He scaling (normal(0, sqrt(2 / fan_in))): the
    exporters' fresh networks use PyTorch's default init, whose activations shrink by about 6x
    per layer, so a deep network's output would be its last bias and hide the layers before it.
    Other float tensors (embeddings, for instance) get normal(mean, std) clipped to [min, max] of
    the original, integer ones (quantized weights) the same, rounded."""
    fans = weight_fan_ins(model)
    for t in model.graph.initializer:
        d = meta["stripped"].get(t.name)
        if d is None:
            continue
        rng = np.random.default_rng(zlib.crc32(f"{name}/{t.name}".encode()))
        dtype = np.dtype(d["dtype"])
        if np.issubdtype(dtype, np.integer):
            a = np.clip(np.rint(rng.normal(d["mean"], d["std"], size=d["shape"])), d["min"], d["max"]).astype(dtype)
        elif t.name in fans:
            a = rng.normal(0.0, np.sqrt(2.0 / fans[t.name]), size=d["shape"]).astype(dtype)
        else:
            a = np.clip(rng.normal(d["mean"], d["std"], size=d["shape"]), d["min"], d["max"]).astype(dtype)
        t.CopyFrom(numpy_helper.from_array(a, t.name))
    return model


def draw_inputs(meta, name):
    rng = np.random.default_rng(zlib.crc32(f"{name}/inputs".encode()))
    arrays = []
    for s in meta["inputs"].values():
        if s["kind"] == "normal":
            a = rng.standard_normal(s["shape"])
        elif s["kind"] == "int":
            a = rng.integers(s["low"], s["high"], size=s["shape"])
        else:
            a = np.ones(s["shape"])
        arrays.append(a.astype(s["dtype"]))
    return arrays


def generate(outdir, pattern=None):
    """Writes every selected network, filled, with its inputs; returns the manifest."""
    os.makedirs(outdir, exist_ok=True)
    manifest = []
    for name in select(pattern):
        with open(os.path.join(GRAPHS, name + ".json")) as f:
            meta = json.load(f)
        model = fill(onnx.load(os.path.join(GRAPHS, name + ".onnx")), meta, name)
        onnx.save(model, os.path.join(outdir, name + ".onnx"))
        files = []
        for i, a in enumerate(draw_inputs(meta, name)):
            fn = f"{name}.in{i}.bin"
            a.astype(a.dtype.newbyteorder("<")).tofile(os.path.join(outdir, fn))
            files.append(fn)
        manifest.append({"name": name, "model": name + ".onnx", "inputs": files,
                         "opset": meta["opsets"].get("ai.onnx"), "ops": meta["ops"],
                         "tolerance": TOLERANCE.get(name, TOLERANCE["default"])})
    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--filter", help="regex on network names")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    if args.list or not args.outdir:
        print("\n".join(select(args.filter)))
        return 0
    for e in generate(args.outdir, args.filter):
        print(e["name"], " ".join(e["ops"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
