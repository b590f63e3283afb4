#!/usr/bin/env python3
"""Error handling of the onnxc command line, and reproducible output.

  bad_inputs.py --onnxc build/bin/onnxc --workdir /tmp/e2e-bad
                [--rt build/lib/libonnxc_rt.a --include runtime-lite/include --cc cc]

Every bad model must make onnxc exit 1, print on stderr a message naming the model file (and,
where the problem is a node, the node name and op type), and leave nothing in the output
directory: no model.o, no model.h, no temporary file. Bad usage must exit 2. A dynamic input
dimension is an error unless --shape fixes it. Compiling the same model twice must give
byte-identical model.o and model.h. With --rt, the --shape result is also linked with harness.c
to check that model_info carries the fixed shape.

Prints one PASS/FAIL line per check and ends with `N passed, M failed`; exit 1 if any failed."""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_models  # noqa: E402

DEFAULT_INCLUDE = os.path.normpath(os.path.join(HERE, "..", "..", "runtime-lite", "include"))


def model_of(nodes, inputs, outputs, opset=13, extra_opsets=()):
    """A ModelProto without onnx.checker: several of these are deliberately invalid."""
    graph = helper.make_graph(nodes, "bad", inputs, outputs)
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    return helper.make_model(graph, opset_imports=opsets, ir_version=8, producer_name="onnxc-e2e")


def vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def unknown_ops_model():
    """Two op types no ONNX opset defines, in the default domain, both reachable from the output."""
    return model_of([helper.make_node("OnnxcTestFrobnicate", ["x"], ["t"], name="mystery_node_a"),
                     helper.make_node("Relu", ["t"], ["u"], name="relu_between"),
                     helper.make_node("OnnxcTestWarpSpacetime", ["u"], ["y"], name="mystery_node_b")],
                    [vi("x", TensorProto.FLOAT, [2, 3])], [vi("y", TensorProto.FLOAT, [2, 3])])


def unsupported_std_ops_model():
    """Two real ONNX ops outside onnxc's op set: ImageDecoder (encoded images are
    variable-length bytes), and NonZero, whose output shape depends on the data (so a
    static-shape compiler cannot support it). Update if onnxc implements ImageDecoder."""
    return model_of([helper.make_node("ImageDecoder", ["bytes"], ["img"], name="decoder_node"),
                     helper.make_node("NonZero", ["x"], ["nz"], name="nonzero_node")],
                    [vi("bytes", TensorProto.UINT8, [16]), vi("x", TensorProto.FLOAT, [3, 3])],
                    [vi("img", TensorProto.UINT8, ["h", "w", 3]), vi("nz", TensorProto.INT64, [2, "n"])],
                    opset=20)


def random_dropout_model():
    """Dropout in training mode with ratio 0.5 drops random elements: nothing deterministic to
    compile (ratio 0 is accepted, see cases_loss.py)."""
    inits = [numpy_helper.from_array(np.array(0.5, np.float32), "ratio"),
             numpy_helper.from_array(np.array(True), "train")]
    graph = helper.make_graph([helper.make_node("Dropout", ["x", "ratio", "train"], ["y"], name="train_dropout")],
                              "bad", [vi("x", TensorProto.FLOAT, [2, 3])], [vi("y", TensorProto.FLOAT, [2, 3])],
                              initializer=inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)


def loop_body_arity_model():
    """A Loop with one carried value whose body takes only (i, cond): a malformed subgraph."""
    body = helper.make_graph([helper.make_node("Identity", ["c"], ["c_out"])], "body",
                             [vi("i", TensorProto.INT64, []), vi("c", TensorProto.BOOL, [])],
                             [vi("c_out", TensorProto.BOOL, [])])
    m = numpy_helper.from_array(np.array(2, dtype=np.int64), "m")
    model = model_of([helper.make_node("Loop", ["m", "", "x"], ["y"], name="bad_loop", body=body)],
                     [vi("x", TensorProto.FLOAT, [3])], [vi("y", TensorProto.FLOAT, [3])])
    model.graph.initializer.append(m)
    return model


def runtime_trip_count_model():
    """A Loop whose trip count is a graph input: onnxc unrolls loops, so it must be constant."""
    body = helper.make_graph([helper.make_node("Neg", ["v"], ["w"]), helper.make_node("Identity", ["c"], ["c_out"])],
                             "body", [vi("i", TensorProto.INT64, []), vi("c", TensorProto.BOOL, []),
                                      vi("v", TensorProto.FLOAT, [3])],
                             [vi("c_out", TensorProto.BOOL, []), vi("w", TensorProto.FLOAT, [3])])
    return model_of([helper.make_node("Loop", ["m", "", "x"], ["y"], name="runtime_loop", body=body)],
                    [vi("m", TensorProto.INT64, []), vi("x", TensorProto.FLOAT, [3])],
                    [vi("y", TensorProto.FLOAT, [3])])


def custom_domain_model():
    """An op from a domain onnxc does not know."""
    return model_of([helper.make_node("Blur", ["x"], ["y"], name="custom_blur", domain="com.example.vision")],
                    [vi("x", TensorProto.FLOAT, [1, 4])], [vi("y", TensorProto.FLOAT, [1, 4])],
                    extra_opsets=[("com.example.vision", 1)])


def dynamic_model(dim):
    """x: [dim, 4] -> Relu -> Sigmoid; dim is a dim_param name or None (unknown dimension)."""
    return model_of([helper.make_node("Relu", ["x"], ["t"], name="relu_0"),
                     helper.make_node("Sigmoid", ["t"], ["y"], name="sigmoid_1")],
                    [vi("x", TensorProto.FLOAT, [dim, 4])], [vi("y", TensorProto.FLOAT, [dim, 4])])


def external_data_model(location, length=None):
    """x[1,4] @ w[4,4] where w is external data at `location` (relative to the model's folder)."""
    w = numpy_helper.from_array(np.eye(4, dtype=np.float32), "w")
    w.ClearField("raw_data")
    w.data_location = TensorProto.EXTERNAL
    entries = {"location": location, **({"length": str(length)} if length is not None else {})}
    for k, v in entries.items():
        e = w.external_data.add()
        e.key, e.value = k, v
    graph = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul_0")], "ext",
                              [vi("x", TensorProto.FLOAT, [1, 4])], [vi("y", TensorProto.FLOAT, [1, 4])],
                              initializer=[w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)


def deeply_nested_model_bytes(levels=300):
    """A valid model plus a node with GRAPH attributes nested `levels` deep. Written as raw
    protobuf (python's protobuf refuses to build messages this deep); the extra graph field
    merges into the model's graph, as protobuf does with repeated embedded fields."""
    def varint(n):
        out = b""
        while True:
            out += bytes([(n & 0x7F) | (0x80 if n > 0x7F else 0)])
            n >>= 7
            if not n:
                return out

    def field(number, payload):  # length-delimited field
        return varint(number << 3 | 2) + varint(len(payload)) + payload
    graph = b""
    for _ in range(levels):  # GraphProto.node(1) > NodeProto.attribute(5) > AttributeProto.g(6)
        attr = field(1, b"then_branch") + varint(20 << 3) + varint(5) + field(6, graph)
        graph = field(1, field(4, b"If") + field(5, attr))
    return dynamic_model(2).SerializeToString() + field(7, graph)  # ModelProto.graph is 7


def elem_type_model(elem):
    """Identity on a tensor of an element type outside onnxc's float32 op set."""
    return model_of([helper.make_node("Identity", ["x"], ["y"], name="identity_0")],
                    [vi("x", elem, [2])], [vi("y", elem, [2])])


class Checker:
    def __init__(self, args):
        self.args = args
        self.passed = self.failed = 0

    def report(self, name, problems):
        if problems:
            self.failed += 1
            print(f"FAIL {name}: " + "\n    ".join(problems), flush=True)
        else:
            self.passed += 1
            print(f"PASS {name}", flush=True)

    def fresh_dir(self, name):
        d = os.path.join(self.args.workdir, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d

    def onnxc(self, argv, cwd=None):
        try:
            return subprocess.run([self.args.onnxc, *argv], capture_output=True, text=True, timeout=120, cwd=cwd)
        except subprocess.TimeoutExpired:
            return subprocess.CompletedProcess(argv, -999, "", "onnxc timed out after 120s")

    def expect_error(self, name, model_path, must_mention, extra_args=(), want_rc=1, symbol="model",
                     max_errors=None):
        """Compiles into an empty directory; expects exit want_rc, every string of must_mention in
        stderr, and the directory still empty. max_errors: the model has exactly this many
        problems, so at most this many error lines (lines naming the model file that are not
        notes or warnings) may appear: follow-on errors caused by the first one mislead users."""
        out_dir = self.fresh_dir(name)
        argv = [model_path, "-o", os.path.join(out_dir, "model.o"), "--name", symbol, *extra_args]
        r = self.onnxc(argv)
        problems = []
        if r.returncode != want_rc:
            problems.append(f"exit {r.returncode}, want {want_rc}")
        for s in must_mention:
            if s not in r.stderr:
                problems.append(f"stderr does not mention {s!r}")
        if max_errors is not None:
            base = os.path.basename(model_path)
            errors = [l for l in r.stderr.splitlines() if base in l and "note:" not in l and "warning:" not in l]
            if len(errors) > max_errors:
                problems.append(f"{len(errors)} error lines for {max_errors} problem(s): follow-on errors")
        left = sorted(os.listdir(out_dir))
        if left:
            problems.append(f"left files behind: {left}")
        if problems:
            problems.append(f"command: onnxc {shlex.join(argv)}")
            problems.append("stderr: " + (r.stderr.strip().replace("\n", "\n      ") or "(empty)"))
        self.report(name, problems)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnxc", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--rt", help="libonnxc_rt.a: enables the model_info check of the --shape result")
    ap.add_argument("--include", default=DEFAULT_INCLUDE)
    ap.add_argument("--cc", default="cc")
    args = ap.parse_args()
    args.workdir = os.path.abspath(args.workdir)
    args.onnxc = os.path.abspath(args.onnxc)
    models = os.path.join(args.workdir, "models")
    shutil.rmtree(args.workdir, ignore_errors=True)
    os.makedirs(models)
    c = Checker(args)
    if not os.access(args.onnxc, os.X_OK):
        print(f"FAIL setup: onnxc not found or not executable: {args.onnxc}")
        print("0 passed, 1 failed")
        return 1

    def save(name, model_or_bytes):
        path = os.path.join(models, name)
        with open(path, "wb") as f:
            f.write(model_or_bytes if isinstance(model_or_bytes, bytes) else model_or_bytes.SerializeToString())
        return path

    # A valid model with weights (for truncation and reproducibility), from the e2e suite.
    gen_models.generate(models, "^tiny_cnn$")
    good = os.path.join(models, "tiny_cnn.onnx")
    good_bytes = open(good, "rb").read()

    # --- unreadable files --------------------------------------------------------------------
    c.expect_error("missing_file", os.path.join(models, "does_not_exist.onnx"), ["does_not_exist.onnx"])
    rng = np.random.default_rng(7)
    c.expect_error("random_bytes", save("random_bytes.onnx", rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()),
                   ["random_bytes.onnx"])
    cut = len(good_bytes) // 2
    while True:  # the test is only meaningful if the prefix really fails to parse
        try:
            onnx.load_model_from_string(good_bytes[:cut])
            cut -= 1
        except Exception:
            break
    c.expect_error("truncated_model", save("truncated.onnx", good_bytes[:cut]), ["truncated.onnx"])
    c.expect_error("empty_file", save("empty.onnx", b""), ["empty.onnx"])  # parses as an empty ModelProto

    # --- unsupported content -----------------------------------------------------------------
    c.expect_error("two_unknown_ops", save("unknown_ops.onnx", unknown_ops_model()),
                   ["unknown_ops.onnx", "OnnxcTestFrobnicate", "mystery_node_a", "OnnxcTestWarpSpacetime",
                    "mystery_node_b"], max_errors=2)
    c.expect_error("two_unsupported_standard_ops", save("unsupported_ops.onnx", unsupported_std_ops_model()),
                   ["unsupported_ops.onnx", "ImageDecoder", "decoder_node", "NonZero", "nonzero_node"], max_errors=2)
    c.expect_error("random_training_dropout", save("random_dropout.onnx", random_dropout_model()),
                   ["random_dropout.onnx", "Dropout", "train_dropout", "drops random elements"], max_errors=1)
    c.expect_error("loop_body_arity", save("loop_body_arity.onnx", loop_body_arity_model()),
                   ["loop_body_arity.onnx", "Loop", "bad_loop", "body: has 2 inputs, expected 3"], max_errors=1)
    c.expect_error("loop_runtime_trip_count", save("runtime_trip_count.onnx", runtime_trip_count_model()),
                   ["runtime_trip_count.onnx", "Loop", "runtime_loop", "must be a compile-time constant"], max_errors=1)
    c.expect_error("custom_domain_op", save("custom_domain.onnx", custom_domain_model()),
                   ["custom_domain.onnx", "Blur", "custom_blur"])
    c.expect_error("string_input", save("string_input.onnx", elem_type_model(TensorProto.STRING)),
                   ["string_input.onnx"], max_errors=1)
    c.expect_error("complex64_input", save("complex_input.onnx", elem_type_model(TensorProto.COMPLEX64)),
                   ["complex_input.onnx"], max_errors=1)

    # --- dynamic shapes ----------------------------------------------------------------------
    dyn = save("dynamic_batch.onnx", dynamic_model("N"))
    c.expect_error("dynamic_dim_without_shape", dyn, ["dynamic_batch.onnx"], max_errors=1)
    c.expect_error("unknown_dim_without_shape", save("unknown_dim.onnx", dynamic_model(None)), ["unknown_dim.onnx"], max_errors=1)
    c.expect_error("shape_contradicts_model", dyn, ["dynamic_batch.onnx"], extra_args=["--shape", "x:1x5"],
                   max_errors=1)
    c.expect_error("shape_names_unknown_input", dyn, ["dynamic_batch.onnx", "nosuch"],
                   extra_args=["--shape", "x:1x4", "--shape", "nosuch:1x4"])

    # --- external data: only files inside the model's folder, and only what they hold ---------
    with open(os.path.join(args.workdir, "outside.bin"), "wb") as f:  # a file the model must not reach
        f.write(np.eye(4, dtype=np.float32).tobytes())
    with open(os.path.join(models, "short.bin"), "wb") as f:
        f.write(b"\0" * 32)  # half of the 64 bytes w needs
    c.expect_error("external_data_escapes_folder", save("ext_escape.onnx", external_data_model("../outside.bin")),
                   ["ext_escape.onnx"])
    c.expect_error("external_data_missing_file", save("ext_missing.onnx", external_data_model("no_such.bin")),
                   ["ext_missing.onnx"])
    c.expect_error("external_data_too_short", save("ext_short.onnx", external_data_model("short.bin")),
                   ["ext_short.onnx"])
    c.expect_error("external_data_length_past_end", save("ext_length.onnx", external_data_model("short.bin", 64)),
                   ["ext_length.onnx"])

    os.symlink(os.path.join(args.workdir, "outside.bin"), os.path.join(models, "escape.bin"))
    c.expect_error("external_data_symlink_escapes", save("ext_link.onnx", external_data_model("escape.bin")),
                   ["ext_link.onnx", "outside the model's folder"])
    c.expect_error("external_data_absolute_path",
                   save("ext_abs.onnx", external_data_model(os.path.join(args.workdir, "outside.bin"))),
                   ["ext_abs.onnx", "not a relative path"])

    # --- sizes, negative dims, nesting (a 0 dim is valid ONNX: an empty tensor) ---------------
    c.expect_error("negative_dim_input", save("negative_dim.onnx", dynamic_model(-1)),
                   ["negative_dim.onnx", "input 'x'", "dimensions must not be negative"], max_errors=1)
    c.expect_error("over_max_size", good, ["tiny_cnn.onnx", "--max-size"], extra_args=["--max-size", "1K"])
    c.expect_error("deeply_nested_subgraphs", save("deep.onnx", deeply_nested_model_bytes()),
                   ["deep.onnx", "nest more than"], max_errors=1)

    # --- atomic output: a failed compile leaves an earlier model.o/model.h untouched ----------
    out_dir = c.fresh_dir("failed_compile_keeps_old_output")
    for f in ("model.o", "model.h"):
        with open(os.path.join(out_dir, f), "wb") as fh:
            fh.write(b"previous " + f.encode())
    r = c.onnxc([os.path.join(models, "unknown_ops.onnx"), "-o", os.path.join(out_dir, "model.o"), "--name", "model"])
    problems = [] if r.returncode == 1 else [f"exit {r.returncode}, want 1"]
    if sorted(os.listdir(out_dir)) != ["model.h", "model.o"]:
        problems.append(f"folder holds {sorted(os.listdir(out_dir))}")
    for f in ("model.o", "model.h"):
        if open(os.path.join(out_dir, f), "rb").read() != b"previous " + f.encode():
            problems.append(f"{f} was overwritten by a failed compile")
    c.report("failed_compile_keeps_old_output", problems)

    out_dir = c.fresh_dir("dynamic_dim_with_shape")
    obj = os.path.join(out_dir, "model.o")
    r = c.onnxc([dyn, "-o", obj, "--name", "model", "--shape", "x:1x4"])
    problems = [] if r.returncode == 0 else [f"exit {r.returncode}: {r.stderr.strip()}"]
    if not problems:
        for f in ("model.o", "model.h"):
            if not os.path.isfile(os.path.join(out_dir, f)):
                problems.append(f"{f} missing")
    if not problems and args.rt:
        exe = os.path.join(out_dir, "run")
        for cmd in ([args.cc, "-std=c99", "-I", args.include, "-c", os.path.join(HERE, "harness.c"),
                     "-o", os.path.join(out_dir, "harness.o")],
                    [args.cc, os.path.join(out_dir, "harness.o"), obj, args.rt, "-lm", "-o", exe], [exe, "--info"]):
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            if r.returncode:
                problems.append(f"{shlex.join(cmd)} failed: {r.stderr.strip()}")
                break
        else:
            for want in ("input 0 dtype=1 shape=[1,4] bytes=16 name=x", "output 0 dtype=1 shape=[1,4] bytes=16 name=y"):
                if want not in r.stdout.splitlines():
                    problems.append(f"model_info lacks {want!r}; --info says:\n{r.stdout}")
    c.report("dynamic_dim_with_shape_x_1x4", problems)

    # --- bad usage: exit 2, nothing written --------------------------------------------------
    r = c.onnxc([])
    c.report("usage_no_args", [] if r.returncode == 2 else [f"exit {r.returncode}, want 2; stderr: {r.stderr.strip()}"])
    c.expect_error("usage_unknown_flag", good, ["--no-such-flag"], extra_args=["--no-such-flag"], want_rc=2)
    c.expect_error("usage_malformed_shape", dyn, ["x:1xq"], extra_args=["--shape", "x:1xq"], want_rc=2)
    c.expect_error("usage_name_not_c_identifier", good, ["1bad"], symbol="1bad", want_rc=2)
    out_dir = c.fresh_dir("usage_missing_o_value")
    r = c.onnxc([good, "--name", "model", "-o"], cwd=out_dir)
    left = os.listdir(out_dir)
    c.report("usage_missing_o_value", ([] if r.returncode == 2 else [f"exit {r.returncode}, want 2"]) +
             ([f"left files behind: {left}"] if left else []))

    # --- reproducibility: a small MLP and a CNN, each compiled twice into different folders ---
    gen_models.generate(models, "^mlp$")
    for model in ("mlp", "tiny_cnn"):
        outs, problems = [], []
        for i in (1, 2):
            d = c.fresh_dir(f"repro_{model}_{i}")
            r = c.onnxc([os.path.join(models, model + ".onnx"), "-o", os.path.join(d, "model.o"), "--name", "model"])
            if r.returncode:
                problems.append(f"compile {i} exit {r.returncode}: {r.stderr.strip()}")
                break
            outs.append([open(os.path.join(d, f), "rb").read() for f in ("model.o", "model.h")])
        if not problems:
            for f, a, b in zip(("model.o", "model.h"), outs[0], outs[1]):
                if a != b:
                    n = min(len(a), len(b))
                    first = next((i for i in range(n) if a[i] != b[i]), n)
                    problems.append(f"{f} differs between two compiles (sizes {len(a)}/{len(b)}, first "
                                    f"difference at byte {first})")
        c.report(f"reproducible_output_{model}", problems)

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


if __name__ == "__main__":
    sys.exit(main())
