"""Node tests that onnxc cannot pass by design, each with the reason.

These are decided from the model (and test data) alone, before onnxc runs, and are kept
deliberately narrow: a test lands here only when no correct ahead-of-time compiler with onnxc's
ABI could pass it. Everything merely not implemented yet (new ops, opsets, dtypes such as
float8/int4/complex, data-dependent shapes) stays a normal test and shows up as UNSUPPORTED.
The tests here still count in the total and are listed in the report."""
import numpy as np
from onnx import AttributeProto, TensorProto

TRAINING_DOMAIN = "ai.onnx.preview.training"

# Ops whose outputs are drawn from a random generator: the reference values come from numpy's
# generator (seeded or not), which no other implementation reproduces bit for bit or in
# distribution per element, so no comparison is meaningful.
RANDOM_OPS = {"RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike",
              "Bernoulli", "Multinomial"}


def _nodes(graph):
    """Every node, including those of If/Loop/Scan bodies."""
    for node in graph.node:
        yield node
        for attr in node.attribute:
            if attr.type == AttributeProto.GRAPH:
                yield from _nodes(attr.g)
            elif attr.type == AttributeProto.GRAPHS:
                for g in attr.graphs:
                    yield from _nodes(g)


def _io_reason(model):
    for kind, infos in (("input", model.graph.input), ("output", model.graph.output)):
        for vi in infos:
            which = vi.type.WhichOneof("value")
            if which != "tensor_type":
                what = {"sequence_type": "a sequence", "optional_type": "an optional",
                        "map_type": "a map", "sparse_tensor_type": "a sparse tensor"}.get(which, str(which))
                return (f"graph {kind} '{vi.name}' is {what}: the onnxc ABI (onnxc_tensor_info) passes "
                        f"dense tensors only")
            if vi.type.tensor_type.elem_type == TensorProto.STRING:
                return (f"graph {kind} '{vi.name}' is a string tensor: the onnxc ABI has no string "
                        f"type (variable-length elements, and generated code never allocates)")
    return None


def _value(name, model, feeds):
    """The value of a node input from the test data or an initializer, or None."""
    if name in feeds:
        return feeds[name]
    for init in model.graph.initializer:
        if init.name == name:
            from onnx import numpy_helper  # noqa: PLC0415
            return numpy_helper.to_array(init)
    return None


def _random_dropout(node, model, feeds):
    """Dropout (opset >= 12) drops random elements when training_mode is true and ratio > 0."""
    if len(node.input) < 3 or not node.input[2]:
        return None
    training = _value(node.input[2], model, feeds)
    if training is None or not bool(np.asarray(training)):
        return None
    ratio = 0.5
    if len(node.input) > 1 and node.input[1]:
        r = _value(node.input[1], model, feeds)
        if r is None:
            return None
        ratio = float(np.asarray(r))
    if ratio == 0.0:
        return None  # deterministic: nothing dropped
    return (f"Dropout in training mode with ratio {ratio:g} drops random elements: the reference "
            f"output and mask come from numpy's generator")


def not_applicable(model, inputs):
    """The reason this test cannot pass by design, or None. `inputs`: the first data set's input
    arrays in graph input order (None for non-tensor values)."""
    for node in _nodes(model.graph):
        if node.domain == TRAINING_DOMAIN:
            return (f"training-only op {node.op_type} ({TRAINING_DOMAIN}): it updates optimizer "
                    f"state during training; onnxc compiles inference graphs")
    reason = _io_reason(model)
    if reason:
        return reason
    feeds = {vi.name: v for vi, v in zip(model.graph.input, inputs)}
    for node in _nodes(model.graph):
        if node.op_type in RANDOM_OPS and node.domain in ("", "ai.onnx"):
            return (f"{node.op_type} output is random: the reference values come from numpy's "
                    f"generator, which no other implementation reproduces")
        if node.op_type == "Dropout" and node.domain in ("", "ai.onnx"):
            reason = _random_dropout(node, model, feeds)
            if reason:
                return reason
    return None
