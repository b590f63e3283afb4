"""What every end-to-end case file shares: the case registry and the spec/node/data helpers.

gen_models.py registers its own cases and imports every test/e2e/cases_<family>.py beside it;
those files import what they need from here:

    from e2e_case import F32, I64, N, U, W, case, spec
"""
import numpy as np
from onnx import helper

IR_VERSION = 8
F32 = np.float32
CASES = {}  # name -> builder(rng) -> spec dict


def case(fn):
    """Registers a builder; the case name is the function name."""
    CASES[fn.__name__] = fn
    return fn


def spec(opset, nodes, ins, inits=None, outs=("y",), bare_outputs=False, unnamed=False,
         external_data=False, inits_as_inputs=False):
    """ins/inits: dict name -> np.ndarray (insertion order = graph input order).
    external_data: weights go to NAME.data beside the model (onnx external data).
    inits_as_inputs: initializers are also listed as graph inputs (IR < 4 style): they are
    weights with a default value, not runtime inputs."""
    return dict(opset=opset, nodes=nodes, ins=ins, inits=inits or {}, outs=list(outs),
                bare_outputs=bare_outputs, unnamed=unnamed, external_data=external_data,
                inits_as_inputs=inits_as_inputs)


def runtime_inputs(model):
    """The graph inputs a caller feeds: those without an initializer of the same name."""
    inits = {t.name for t in model.graph.initializer}
    return [vi for vi in model.graph.input if vi.name not in inits]


def N(op, ins, outs=("y",), **attrs):
    return helper.make_node(op, list(ins), list(outs), **attrs)


def U(r, *shape, lo=-1.0, hi=1.0):
    """Uniform activations; `lo`/`hi` keep Div denominators and variances away from zero."""
    return r.uniform(lo, hi, size=shape).astype(F32)


def W(r, *shape):
    """Weights scaled by 1/sqrt(fan_in) so composite nets keep activations O(1)."""
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else shape[0]
    return (r.standard_normal(shape) / np.sqrt(max(fan_in, 1))).astype(F32)


def I64(*vals):
    return np.array(vals, dtype=np.int64)
