"""The ONNX backend node tests, as on-disk test directories with the op each one tests.

The onnx wheel (1.23.2 at least) does not ship onnx/backend/test/data/node/: its RECORD lists
no file there. What it ships is the registry the directory is generated from
(onnx.backend.test.case.node, the `expect(...)` calls), and ONNX's own backend runner
(onnx.backend.test.runner, kind "node") runs exactly that in-memory registry, not files. So by
default the suite is materialised from the registry, in the layout of data/node/<test>/
(model.onnx, test_data_set_0/input_<i>.pb, output_<i>.pb), written the way
onnx/backend/test/cmd_tools.py writes it. numpy's global generator is seeded first so the random
inputs (and the results they lead to) are the same in every run. `scan()` reads an existing
data/node directory instead (an onnx source checkout), for comparison.

Each test is mapped to the op it tests: the one node of the model, or for `<base>_expanded` and
`<base>_expanded_ver<N>` (the op's function body, several nodes) the op of `<base>`."""
import os
import re
import warnings

import numpy as np
import onnx
from onnx import numpy_helper

EXPANDED_RE = re.compile(r"^(?P<base>.+)_expanded(?:_ver\d+)?$")
DEFAULT_RTOL, DEFAULT_ATOL = 1e-3, 1e-7  # TestCase defaults of every node test (case/node/__init__.py)


def onnx_version():
    return onnx.__version__


def _domain_name(domain):
    return "ai.onnx" if domain in ("", "ai.onnx") else domain


def _entry(name, directory, model, base_model, rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL):
    """The manifest entry of one test; `base_model` is the non-expanded model of an expanded test."""
    m = EXPANDED_RE.match(name)
    expanded = m is not None
    src = base_model if expanded and base_model is not None else model
    if len(src.graph.node) == 1:
        op, domain = src.graph.node[0].op_type, _domain_name(src.graph.node[0].domain)
    else:  # no single node to name the op (an expanded test whose base is missing): the name
        op, domain = "?" + (m["base"] if m else name), "ai.onnx"
    return {"name": name, "dir": directory, "op": op, "domain": domain, "expanded": expanded,
            "rtol": rtol, "atol": atol}


# --- writing a test directory (mirrors onnx/backend/test/cmd_tools.py) -------------------------

def _to_proto(value, type_proto, name):
    if type_proto.HasField("map_type"):
        return numpy_helper.from_dict(value, name)
    if type_proto.HasField("sequence_type"):
        return numpy_helper.from_list(value, name)
    if type_proto.HasField("optional_type"):
        return numpy_helper.from_optional(value, name)
    if isinstance(value, onnx.TensorProto):
        return value
    return numpy_helper.from_array(value, name)


def _write_case(case, directory):
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    for k, (inputs, outputs) in enumerate(case.data_sets):
        ds = os.path.join(directory, f"test_data_set_{k}")
        os.makedirs(ds, exist_ok=True)
        for kind, values, infos in (("input", inputs, case.model.graph.input),
                                    ("output", outputs, case.model.graph.output)):
            for j, value in enumerate(values):
                proto = _to_proto(value, infos[j].type, infos[j].name)
                with open(os.path.join(ds, f"{kind}_{j}.pb"), "wb") as f:
                    f.write(proto.SerializeToString())


_registry = None


def _collect(seed):
    """The wheel's node test cases. The registry can only be collected once per process (it
    refuses duplicate names), so the result is kept."""
    global _registry
    if _registry is None:
        np.random.seed(seed)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # the cases overflow/divide by zero on purpose
            import onnx.backend.test.case.node as node_cases  # noqa: PLC0415
            _registry = list(node_cases.collect_testcases())
    return _registry


def registry_names(seed=0):
    return sorted(c.name for c in _collect(seed))


def materialise(out_dir, selected, seed=0):
    """Writes the selected tests (a set of names) under out_dir; returns their manifest entries."""
    cases = _collect(seed)
    by_name = {c.name: c for c in cases}
    entries = []
    for case in cases:
        if case.name not in selected:
            continue
        m = EXPANDED_RE.match(case.name)
        base = by_name.get(m["base"]) if m else None
        directory = os.path.join(out_dir, case.name)
        _write_case(case, directory)
        entries.append(_entry(case.name, directory, case.model, base.model if base else None,
                              case.rtol, case.atol))
    return sorted(entries, key=lambda e: e["name"])


def scan(data_dir):
    """Manifest entries of every test in an existing data/node directory."""
    names = sorted(n for n in os.listdir(data_dir)
                   if os.path.isfile(os.path.join(data_dir, n, "model.onnx")))
    entries = []
    for name in names:
        d = os.path.join(data_dir, name)
        model = onnx.load(os.path.join(d, "model.onnx"), load_external_data=False)
        m = EXPANDED_RE.match(name)
        base = None
        if m and m["base"] in names:
            base = onnx.load(os.path.join(data_dir, m["base"], "model.onnx"), load_external_data=False)
        entries.append(_entry(name, d, model, base))
    return entries


def load_data_sets(directory, model):
    """[(inputs, outputs)] per test_data_set_*, as numpy arrays (None where a value is not a
    tensor: sequences, optionals, maps; by_design() reports those tests)."""
    sets = []
    k = 0
    while os.path.isdir(os.path.join(directory, f"test_data_set_{k}")):
        ds = os.path.join(directory, f"test_data_set_{k}")
        pair = []
        for kind, infos in (("input", model.graph.input), ("output", model.graph.output)):
            arrays = []
            j = 0
            while os.path.isfile(os.path.join(ds, f"{kind}_{j}.pb")):
                arrays.append(_read_tensor(os.path.join(ds, f"{kind}_{j}.pb"),
                                           infos[j].type if j < len(infos) else None))
                j += 1
            pair.append(arrays)
        sets.append(tuple(pair))
        k += 1
    return sets


def _read_tensor(path, type_proto):
    if type_proto is not None and not type_proto.HasField("tensor_type"):
        return None
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)
