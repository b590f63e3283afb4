#!/usr/bin/env python3
"""Exports the real networks of the real-model suite and writes their weight-free templates.

  export_models.py [--outdir test/models/graphs] [--filter REGEX]

Needs torch, torchvision, transformers, onnxscript and onnxruntime (its quantization tool);
CI does not: it runs the committed templates (real_models.py fills them). Each network is
built with seeded random weights (torch.manual_seed), exported by torch.onnx.export exactly as
a user would, and checked by onnx.checker. Large initializers (more than STRIP_ABOVE elements)
are then emptied and described in NAME.json (dtype, shape, mean, std, min, max), so the
committed NAME.onnx keeps the exporter's whole graph (every node, attribute, shape constant
and small tensor such as BatchNorm statistics) in a few hundred KB; real_models.py refills the
large tensors from a seeded generator with the same statistics. The JSON also says how to draw
each input (image-like normal values, token ids below the vocabulary size, an all-ones mask)."""
import argparse
import json
import os
import re
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

STRIP_ABOVE = 1024
HERE = os.path.dirname(os.path.abspath(__file__))


def image(shape):
    return {"kind": "normal", "shape": list(shape), "dtype": "float32"}


def tokens(shape, vocab):
    return {"kind": "int", "shape": list(shape), "dtype": "int64", "low": 0, "high": vocab}


def ones(shape, dtype="int64"):
    return {"kind": "ones", "shape": list(shape), "dtype": dtype}


def torch_inputs(spec):
    import torch
    g = torch.Generator().manual_seed(0)
    out = []
    for s in spec.values():
        if s["kind"] == "normal":
            out.append(torch.randn(*s["shape"], generator=g))
        elif s["kind"] == "int":
            out.append(torch.randint(s["low"], s["high"], s["shape"], generator=g))
        else:
            out.append(torch.ones(*s["shape"], dtype=getattr(torch, s["dtype"])))
    return tuple(out)


def he_init(module):
    """He-initialises every Conv/ConvTranspose/Linear weight. PyTorch's default init shrinks
    activations about 6x per layer, so a fresh deep network computes almost nothing but its last
    bias, and quantization calibrated on it would round every activation to zero."""
    import torch
    for m in module.modules():
        if isinstance(m, (torch.nn.Conv1d, torch.nn.Conv2d, torch.nn.ConvTranspose2d, torch.nn.Linear)):
            fan_in = m.weight[0].numel() if not isinstance(m, torch.nn.ConvTranspose2d) else \
                m.weight.shape[0] * m.weight[0, 0].numel()
            torch.nn.init.normal_(m.weight, 0.0, (2.0 / fan_in) ** 0.5)


def export(module, spec, outputs, path):
    import torch
    he_init(module)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, torch_inputs(spec), path, input_names=list(spec), output_names=outputs,
                          dynamo=True, external_data=False)


# --- the networks ----------------------------------------------------------------------------

def resnet18(path):
    """CNN classifier: torchvision ResNet-18 (Conv+BatchNorm+Relu, residual Add, MaxPool, Gemm)."""
    import torchvision
    spec = {"image": image((1, 3, 224, 224))}
    export(torchvision.models.resnet18(weights=None), spec, ["logits"], path)
    return spec


def mobilenet_v3_small(path):
    """CNN classifier with depthwise convs, Hardswish/Hardsigmoid and squeeze-excitation."""
    import torchvision
    spec = {"image": image((1, 3, 224, 224))}
    export(torchvision.models.mobilenet_v3_small(weights=None), spec, ["logits"], path)
    return spec


def lraspp_mobilenet_v3_large(path):
    """Segmentation: LR-ASPP with bilinear Resize back to the input size."""
    import torch
    import torchvision

    class Seg(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.net = torchvision.models.segmentation.lraspp_mobilenet_v3_large(
                weights=None, weights_backbone=None, num_classes=21)

        def forward(self, x):
            return self.net(x)["out"]

    spec = {"image": image((1, 3, 224, 224))}
    export(Seg(), spec, ["mask_logits"], path)
    return spec


def unet_small(path):
    """Segmentation U-Net: strided-conv encoder, ConvTranspose decoder, skip Concats."""
    import torch
    from torch import nn

    def block(cin, cout):
        return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                             nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))

    class UNet(nn.Module):
        def __init__(self, ch=(16, 32, 64, 128), classes=3):
            super().__init__()
            self.down = nn.ModuleList()
            cin = 3
            for c in ch:
                self.down.append(block(cin, c))
                cin = c
            self.pool = nn.MaxPool2d(2)
            self.up = nn.ModuleList(nn.ConvTranspose2d(c, c // 2, 2, stride=2) for c in ch[:0:-1])
            self.dec = nn.ModuleList(block(c, c // 2) for c in ch[:0:-1])
            self.head = nn.Conv2d(ch[0], classes, 1)

        def forward(self, x):
            skips = []
            for i, d in enumerate(self.down):
                x = d(x)
                if i < len(self.down) - 1:
                    skips.append(x)
                    x = self.pool(x)
            for up, dec in zip(self.up, self.dec):
                x = dec(torch.cat([up(x), skips.pop()], dim=1))
            return torch.sigmoid(self.head(x))

    spec = {"image": image((1, 3, 128, 128))}
    export(UNet(), spec, ["mask"], path)
    return spec


def bert_tiny(path):
    """Transformer text encoder: Hugging Face BertModel (embeddings, attention mask, GELU, LayerNorm)."""
    from transformers import BertConfig, BertModel
    cfg = BertConfig(vocab_size=1000, hidden_size=128, num_hidden_layers=2, num_attention_heads=4,
                     intermediate_size=512, max_position_embeddings=64)
    model = BertModel(cfg, add_pooling_layer=True)
    spec = {"input_ids": tokens((1, 32), 1000), "attention_mask": ones((1, 32))}
    export(model, spec, ["last_hidden_state", "pooler_output"], path)
    return spec


def gpt2_tiny(path):
    """Decoder-only transformer: Hugging Face GPT2Model (causal mask, fused QKV projection, GELU)."""
    from transformers import GPT2Config, GPT2Model
    cfg = GPT2Config(vocab_size=1000, n_positions=64, n_embd=128, n_layer=2, n_head=4)
    model = GPT2Model(cfg)
    model.config.use_cache = False
    spec = {"input_ids": tokens((1, 32), 1000)}
    export(model, spec, ["last_hidden_state"], path)
    return spec


def lstm_classifier(path):
    """Recurrent text classifier: Embedding, 2-layer bidirectional LSTM, mean over time, Linear."""
    import torch
    from torch import nn

    class TextLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(1000, 64)
            self.lstm = nn.LSTM(64, 96, num_layers=2, bidirectional=True, batch_first=True)
            self.fc = nn.Linear(192, 5)

        def forward(self, ids):
            h, _ = self.lstm(self.emb(ids))
            return self.fc(h.mean(dim=1))

    spec = {"input_ids": tokens((1, 24), 1000)}
    export(TextLSTM(), spec, ["logits"], path)
    return spec


def mobilenet_v3_small_int8(path):
    """int8 QDQ model: mobilenet_v3_small quantized by onnxruntime's quantize_static (QDQ format,
    per-channel weights, calibrated on seeded random images), as ORT's quantization guide does."""
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    spec = {"image": image((1, 3, 224, 224))}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = os.path.join(tmp, "fp32.onnx")
        mobilenet_v3_small(fp32)

        class Reader(CalibrationDataReader):
            def __init__(self):
                rng = np.random.default_rng(0)
                self.batches = iter([{"image": rng.standard_normal((1, 3, 224, 224), np.float32)} for _ in range(4)])

            def get_next(self):
                return next(self.batches, None)

        quantize_static(fp32, path, Reader(), quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QInt8, weight_type=QuantType.QInt8)
    return spec


NETWORKS = {f.__name__: f for f in (resnet18, mobilenet_v3_small, lraspp_mobilenet_v3_large, unet_small,
                                    bert_tiny, gpt2_tiny, lstm_classifier, mobilenet_v3_small_int8)}


def strip(model):
    """Empties the initializers above STRIP_ABOVE elements; returns their descriptions."""
    stripped = {}
    for t in model.graph.initializer:
        n = int(np.prod(t.dims)) if t.dims else 1
        if n <= STRIP_ABOVE:
            continue
        a = numpy_helper.to_array(t).astype(np.float64)
        stripped[t.name] = {"dtype": onnx.helper.tensor_dtype_to_np_dtype(t.data_type).name,
                            "shape": list(t.dims), "mean": float(a.mean()), "std": float(a.std()),
                            "min": float(a.min()), "max": float(a.max())}
        empty = onnx.TensorProto(name=t.name, data_type=t.data_type, dims=t.dims)
        t.CopyFrom(empty)
    return stripped


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outdir", default=os.path.join(HERE, "graphs"))
    ap.add_argument("--filter", help="regex on network names")
    args = ap.parse_args()
    import torch
    os.makedirs(args.outdir, exist_ok=True)
    for name, make in NETWORKS.items():
        if args.filter and not re.search(args.filter, name):
            continue
        torch.manual_seed(0)
        with tempfile.TemporaryDirectory() as tmp:
            full = os.path.join(tmp, name + ".onnx")
            spec = make(full)
            model = onnx.load(full)
        onnx.checker.check_model(model)
        stripped = strip(model)
        onnx.save(model, os.path.join(args.outdir, name + ".onnx"))
        opsets = {o.domain or "ai.onnx": o.version for o in model.opset_import}
        meta = {"network": name, "doc": make.__doc__.strip(), "inputs": spec, "stripped": stripped,
                "opsets": opsets, "ops": sorted({n.op_type for n in model.graph.node}),
                "exporter": f"torch {torch.__version__}, onnx {onnx.__version__}"}
        with open(os.path.join(args.outdir, name + ".json"), "w") as f:
            json.dump(meta, f, indent=1)
        size = os.path.getsize(os.path.join(args.outdir, name + ".onnx"))
        print(f"{name}: {len(model.graph.node)} nodes, {len(stripped)} large initializers stripped, "
              f"{size} bytes, opsets {opsets}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
