#!/usr/bin/env python3
"""ONNX backend node-test conformance of onnxc.

  run_conformance.py --onnxc build/bin/onnxc --rt build/lib/libonnxc_rt.a
                     [--filter REGEX] [--sample N --seed S] [--jobs 2] [--keep] [--workdir DIR]
                     [--data DIR] [--report PATH | --no-report] [--update-expected]

Every node test of the installed onnx wheel (see node_tests.py for where they come from) is
compiled with `onnxc model.onnx -o model.o --name model`, linked with the generic driver
test/e2e/harness.c (built on model_run_v and model_info, no per-test C code) and runtime-lite,
run on the test's inputs, and compared with its reference outputs under ONNX's backend-runner
tolerances. Each test ends as one of
  PASS         compiled, ran under the harness's checks, every output matched;
  FAIL         compiled but wrong shape/dtype/values, harness check failed or crashed, link
               failed, or onnxc itself died (exit other than 0/1: listed again at the end);
  UNSUPPORTED  onnxc refused the model (exit 1); the reason is onnxc's first error line;
  N/A          cannot pass by design (by_design.py), listed with the reason, never dropped.
One line per test, then a summary line and, last, exactly `N passed, M failed` (M counts FAIL
and UNSUPPORTED; N/A is in the line before).

Exit status: 0 unless a test listed in expected_pass.txt (the tests that passed when it was
last updated) did not pass in this run (1), or the runner could not work at all (2): a ratchet,
so CI catches regressions while op coverage grows. --update-expected rewrites the list from this
run (for --filter/--sample runs, only the selected tests' entries change). The full suite
writes docs/conformance.md unless --report/--no-report say otherwise."""
import argparse
import concurrent.futures as futures
import datetime
import os
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import by_design  # noqa: E402
import node_tests  # noqa: E402
import report  # noqa: E402

HARNESS_C = os.path.join(ROOT, "test", "e2e", "harness.c")
DEFAULT_INCLUDE = os.path.join(ROOT, "runtime-lite", "include")
DEFAULT_EXPECTED = os.path.join(HERE, "expected_pass.txt")
DEFAULT_REPORT = os.path.join(ROOT, "docs", "conformance.md")

# Per-test tolerance overrides {test name: (rtol, atol)}. ONNX's own runner has none for node
# tests (every TestCase is rtol 1e-3, atol 1e-7; only a backend's test_kwargs could loosen
# one), so this stays empty unless a deviation is argued in the entry's comment; the report
# names every override in force.
TOLERANCE_OVERRIDES = {
    # The expected output is np.fft.ifft of a complex64 input, computed in single precision:
    # entries whose exact value is 0 (the imaginary part of the Nyquist bin of a real column:
    # sum_j x_j (-1)^j / 10 is real) hold float32 rounding noise up to 1.9e-7 (eps * |y| for
    # |y| ~ 50), just over atol 1e-7. onnxc's result there is ~1e-15. atol 1e-6 still rejects
    # any real error (the outputs are O(1) to O(50)).
    "test_dft_inverse": (1e-3, 1e-6),
    "test_dft_inverse_opset19": (1e-3, 1e-6),
}

# A sanitizer report from an instrumented onnxc (the ONNXC_SANITIZE build).
SANITIZER_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer).*|.*runtime error: .*")


class Outcome(Exception):
    """Ends a test early with a status and a one-line reason (detail: more lines for the log)."""

    def __init__(self, status, reason, detail="", crash=False):
        super().__init__(reason)
        self.status, self.reason, self.detail, self.crash = status, reason, detail, crash


def exit_desc(rc):
    if rc < 0:
        try:
            return f"killed by {signal.Signals(-rc).name}"
        except ValueError:
            return f"killed by signal {-rc}"
    return f"exit {rc}"


def run(cmd, timeout, what):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Outcome("FAIL", f"{what} timed out after {timeout}s", shlex.join(cmd),
                      crash=what == "onnxc")


def first_error(text, model_path):
    """onnxc's first error line without the model path prefix it starts with."""
    for line in text.splitlines():
        line = line.strip()
        if line:
            for prefix in (model_path + ": ", "onnxc: "):
                if line.startswith(prefix):
                    line = line[len(prefix):]
            return line
    return "(no message)"


def last_lines(text, n=6):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return "\n".join(lines[-n:]) if lines else "(no output)"


def parse_info(text):
    """harness --info -> {'inputs': [(name, dtype, shape)], 'outputs': [...]}"""
    info = {"inputs": [], "outputs": []}
    for line in text.splitlines():
        if line.startswith("model "):
            continue
        m = re.match(r"(input|output) (\d+) dtype=(-?\d+) shape=\[([-\d,]*)\] bytes=(\d+) name=(.*)$", line)
        if not m:
            raise Outcome("FAIL", f"cannot parse harness --info line {line!r}")
        shape = tuple(int(d) for d in m[4].split(",")) if m[4] else ()
        info[m[1] + "s"].append((m[6], int(m[3]), shape))
    return info


def compare(name, got, ref, rtol, atol):
    """None, or why `got` is not `ref` (np.testing.assert_allclose semantics for floats, NaN equal
    to NaN; exact for integers and bools)."""
    if ref.dtype.kind in "biu":
        bad = got != ref
        if not bad.any():
            return None
        idx = tuple(int(i) for i in np.argwhere(bad)[0])
        return (f"output {name}: {int(bad.sum())}/{bad.size} elements differ (exact compare); first at "
                f"{idx}: got {got[idx]!r}, expected {ref[idx]!r}")
    if ref.dtype.name == "bfloat16":
        rtol = max(rtol, 2.0 ** -6)  # as ONNX's runner: two bfloat16 ULPs
    g, r = got.astype(np.float64), ref.astype(np.float64)
    ok = np.isclose(g, r, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return None
    err = np.where(np.isnan(g) & np.isnan(r), 0.0, np.abs(g - r))
    err = np.where(np.isnan(err), np.inf, err)
    idx = tuple(int(i) for i in np.unravel_index(int(np.argmax(np.where(ok, -1.0, err))), r.shape))
    return (f"output {name}: {int((~ok).sum())}/{ok.size} elements out of tolerance, max abs err "
            f"{float(err[~ok].max()):.3g}; worst at {idx}: got {float(g[idx]):.8g}, expected {float(r[idx]):.8g}")


def max_abs_err(got, ref):
    if ref.dtype.kind in "biu" or ref.size == 0:
        return 0.0
    g, r = got.astype(np.float64), ref.astype(np.float64)
    e = np.abs(g - r)
    e = e[np.isfinite(e)]
    return float(e.max()) if e.size else 0.0


def shape_args(vi, arr):
    """--shape for one input: every static node-test input gets it (harmless for a static
    model); onnxc takes positive dims only, so scalars and empty tensors keep the declared shape."""
    if arr.ndim == 0 or any(d <= 0 for d in arr.shape):
        return []
    return ["--shape", f"{vi.name}:{'x'.join(str(d) for d in arr.shape)}"]


def compile_model(ctx, model_path, d, runtime_inputs, arrays, res):
    obj = os.path.join(d, "model.o")
    cmd = [ctx.onnxc, model_path, "-o", obj, "--name", "model"]
    for vi, arr in zip(runtime_inputs, arrays):
        cmd += shape_args(vi, arr)
    with open(os.path.join(d, "cmd.txt"), "w") as f:
        f.write(shlex.join(cmd) + "\n")
    t0 = time.monotonic()
    r = run(cmd, ctx.args.compile_timeout, "onnxc")
    res["compile_s"] = time.monotonic() - t0
    sanitizer = SANITIZER_RE.search(r.stderr)
    if sanitizer:  # ASan/UBSan exit 1 by default: not a refusal, an onnxc bug
        raise Outcome("FAIL", f"onnxc {exit_desc(r.returncode)}: {sanitizer[0].strip()}",
                      last_lines(r.stderr, 15), crash=True)
    if r.returncode == 1:
        raise Outcome("UNSUPPORTED", first_error(r.stderr + r.stdout, model_path))
    if r.returncode != 0:
        raise Outcome("FAIL", f"onnxc {exit_desc(r.returncode)}: {first_error(r.stderr + r.stdout, model_path)}",
                      last_lines(r.stderr + r.stdout, 15), crash=True)
    if not os.path.isfile(obj):
        raise Outcome("FAIL", "onnxc exited 0 but wrote no model.o", crash=True)
    exe = os.path.join(d, "run")
    r = run([ctx.args.cc, ctx.harness_o, obj, ctx.rt, "-lm", "-o", exe], 60, "link")
    if r.returncode != 0:
        undefined = [l for l in r.stderr.splitlines() if "undefined reference" in l]
        raise Outcome("FAIL", "link failed: " + (undefined[0].strip() if undefined else exit_desc(r.returncode)),
                      last_lines(r.stderr))
    return exe


def check_info(exe, runtime_inputs, arrays, outputs, refs, timeout):
    r = run([exe, "--info"], timeout, "harness --info")
    if r.returncode != 0:
        raise Outcome("FAIL", f"harness --info {exit_desc(r.returncode)}: {last_lines(r.stderr, 1)}")
    info = parse_info(r.stdout)
    want_in = [(vi.name, vi.type.tensor_type.elem_type, a.shape) for vi, a in zip(runtime_inputs, arrays)]
    want_out = [(vi.name, vi.type.tensor_type.elem_type, ref.shape) for vi, ref in zip(outputs, refs)]
    for kind, got, want in (("input", info["inputs"], want_in), ("output", info["outputs"], want_out)):
        if len(got) != len(want):
            raise Outcome("FAIL", f"model_info has {len(got)} {kind}s, the graph {len(want)}")
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                raise Outcome("FAIL", f"model_info {kind} {i} is {g[0]!r} dtype {g[1]} shape {list(g[2])}; "
                                      f"expected {w[0]!r} dtype {w[1]} shape {list(w[2])}")


def run_data_set(ctx, exe, d, k, arrays, outputs, refs, rtol, atol):
    """Runs the harness on one data set; returns the max abs error or raises FAIL."""
    in_files = []
    for i, a in enumerate(arrays):
        path = os.path.join(d, f"set{k}_in{i}.bin")
        with open(path, "wb") as f:
            f.write(np.ascontiguousarray(a).tobytes())  # x86-64: native order is little-endian
        in_files.append(path)
    out_files = [os.path.join(d, f"set{k}_out{i}.bin") for i in range(len(refs))]
    r = run([exe, *in_files, "-o", *out_files], ctx.args.run_timeout, "harness run")
    if r.returncode != 0:
        # error lines, not the "harness: run N (...)" progress lines printed before each run
        msgs = [l for l in r.stderr.splitlines()
                if l.startswith("harness: ") and not re.match(r"harness: run \d \(", l)]
        why = msgs[-1][len("harness: "):] if msgs and r.returncode > 0 else exit_desc(r.returncode)
        if r.returncode < 0:
            steps = [l for l in r.stderr.splitlines() if l.startswith("harness: run ")]
            why += f" during {steps[-1][len('harness: '):]}" if steps else ""
        raise Outcome("FAIL", f"harness: {why}", last_lines(r.stderr, 10))
    worst, problems = 0.0, []
    for vi, ref, fn in zip(outputs, refs, out_files):
        with open(fn, "rb") as f:
            raw = f.read()
        if len(raw) != ref.nbytes:
            raise Outcome("FAIL", f"output {vi.name}: {len(raw)} bytes written, expected {ref.nbytes}")
        got = np.frombuffer(raw, dtype=ref.dtype).reshape(ref.shape)
        worst = max(worst, max_abs_err(got, ref))
        problem = compare(vi.name, got, ref, rtol, atol)
        if problem:
            problems.append(problem)
    if problems:
        raise Outcome("FAIL", problems[0], "\n".join(problems))
    return worst


# Non-integer operands that set an output shape or a constant table anywhere in the graph:
# Resize's roi/scales, Upsample's scales, a float Range's start/limit/delta, MelWeightMatrix's
# sample rate and band edges, Compress's bool condition (models carry them as initializers).
FLOAT_SHAPE_OPERANDS = {"Resize": (1, 2), "Upsample": (1,), "Range": (0, 1, 2), "MelWeightMatrix": (2, 3, 4),
                        "Compress": (1,)}
# A graph input of the node onnxc names is frozen when it has at most this many elements:
# such small operands are attributes in all but name (Range's start/limit/delta, OneHot's
# depth, Dropout's ratio and training_mode), while data tensors are larger.
SMALL_OPERAND_ELEMENTS = 16
FREEZE_ROUNDS = 4


def probe_constant_request(ctx, model_path, d):
    """Compiles the model to a header only; returns onnxc's stderr when it refuses because an
    operand must be a compile-time constant, else None."""
    probe = os.path.join(ctx.workdir, "probe", os.path.basename(d))
    os.makedirs(probe, exist_ok=True)
    r = run([ctx.onnxc, model_path, "--emit", "header", "-o", os.path.join(probe, "m.h")],
            ctx.args.compile_timeout, "onnxc")
    shutil.rmtree(probe, ignore_errors=True)
    if r.returncode != 1 or not re.search(r"must be (a )?compile-time constant", r.stderr):
        return None
    return r.stderr


def operand_sources(model, index):
    """The names node `index` reads and, through the nodes that compute them, every value they
    are computed from: a function body (Range's expanded Loop) derives a node's operands from
    the graph inputs."""
    producer = {o: n for n in model.graph.node for o in n.output}
    seen, todo = set(), list(model.graph.node[index].input)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in producer:
            todo.extend(producer[name].input)
    return seen


def freeze_candidates(model, stderr):
    """Graph inputs that may be frozen: integer inputs (shapes, axes, indices) and the float
    shape operands of Resize/Upsample anywhere, plus every small input of the node onnxc names
    in its error (`node #N`), whatever its type."""
    float_shape_operands = {n.input[j] for n in model.graph.node
                            for j in FLOAT_SHAPE_OPERANDS.get(n.op_type, ()) if j < len(n.input)}
    named = set()
    m = re.search(r"node #(\d+)", stderr)
    if m and int(m.group(1)) < len(model.graph.node):
        named = operand_sources(model, int(m.group(1)))
    result = set()
    for vi in model.graph.input:
        is_shape_int = vi.type.tensor_type.elem_type in (onnx.TensorProto.INT64,
                                                         onnx.TensorProto.INT32)
        if is_shape_int or vi.name in float_shape_operands:
            result.add(vi.name)
        elif vi.name in named:
            result.add((vi.name, "small"))
    return result


def freeze_shape_inputs(ctx, model_path, model, sets, d):
    """Node tests feed shape-determining operands (Reshape's shape, Reduce's axes, Slice's
    starts...) as graph inputs. onnxc compiles static shapes, so such operands must be
    constants. When onnxc says so, the candidate inputs (freeze_candidates) whose value is the
    same in every data set are frozen into initializers (as a deployment would export them) and
    the model is probed again, a few rounds at most. Returns (model path, model, frozen input
    names)."""
    frozen = []
    for _ in range(FREEZE_ROUNDS):
        stderr = probe_constant_request(ctx, model_path, d)
        if stderr is None:
            break
        candidates = freeze_candidates(model, stderr)
        inits = {i.name for i in model.graph.initializer}
        # Small float inputs of the named node are frozen only when nothing else is left to
        # freeze: a Loop's trip count and condition come first, so its float state stays a
        # run-time input.
        added = False
        for floats_too in (False, True):
            for i, vi in enumerate(model.graph.input):
                small = (vi.name, "small") in candidates
                if vi.name in inits or vi.name in frozen or not (vi.name in candidates or small):
                    continue
                values = [s[0][i] for s in sets]
                if small and (values[0].size > SMALL_OPERAND_ELEMENTS or
                              (np.issubdtype(values[0].dtype, np.floating) and not floats_too)):
                    continue
                if all(np.array_equal(values[0], v) for v in values[1:]):
                    model.graph.initializer.append(onnx.numpy_helper.from_array(values[0], vi.name))
                    frozen.append(vi.name)
                    added = True
            if added:
                break
        if not added:
            break
        os.makedirs(d, exist_ok=True)
        model_path = os.path.join(os.path.dirname(d), os.path.basename(d) + ".frozen.onnx")
        onnx.save(model, model_path)
    return model_path, model, frozen


def test_one(ctx, entry):
    """The result dict of one test; never raises."""
    res = {k: entry[k] for k in ("name", "op", "domain", "expanded")}
    res.update(status="PASS", reason="", detail="", crash=False, compile_s=None)
    d = os.path.join(ctx.workdir, "build", entry["name"])
    try:
        model_path = os.path.join(entry["dir"], "model.onnx")
        model = onnx.load(model_path)
        sets = node_tests.load_data_sets(entry["dir"], model)
        if not sets:
            raise Outcome("FAIL", "the test has no test_data_set_* (test data bug)")
        reason = by_design.not_applicable(model, sets[0][0])
        if reason:
            raise Outcome("N/A", reason)
        rtol, atol = TOLERANCE_OVERRIDES.get(entry["name"], (entry["rtol"], entry["atol"]))
        model_path, model, frozen = freeze_shape_inputs(ctx, model_path, model, sets, d)
        if frozen:
            res["frozen"] = frozen
        inits = {i.name for i in model.graph.initializer}
        runtime = [i for i, vi in enumerate(model.graph.input) if vi.name not in inits]
        runtime_inputs = [model.graph.input[i] for i in runtime]
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        exes, worst = {}, 0.0  # one build per distinct input-shape signature
        for k, (inputs, refs) in enumerate(sets):
            arrays = [inputs[i] for i in runtime]
            sig = tuple(a.shape for a in arrays)
            if sig not in exes:
                sub = os.path.join(d, f"shapes{len(exes)}")
                os.makedirs(sub)
                exes[sig] = compile_model(ctx, model_path, sub, runtime_inputs, arrays, res)
                check_info(exes[sig], runtime_inputs, arrays, model.graph.output, refs, ctx.args.run_timeout)
            worst = max(worst, run_data_set(ctx, exes[sig], d, k, arrays, model.graph.output, refs, rtol, atol))
        res["reason"] = f"max_abs_err={worst:.2e} compile={res['compile_s']:.2f}s"
        if frozen:
            res["reason"] += f" frozen={','.join(frozen)}"
    except Outcome as o:
        res.update(status=o.status, reason=o.reason, detail=o.detail, crash=o.crash)
    except Exception as e:  # a runner bug must not hide the other results
        res.update(status="FAIL", reason=f"runner error {type(e).__name__}: {e}")
    if res["status"] != "FAIL" and not ctx.args.keep:
        shutil.rmtree(d, ignore_errors=True)
    return res


def read_expected(path):
    if not os.path.isfile(path):
        return set()
    with open(path) as f:
        return {l.strip() for l in f if l.strip() and not l.startswith("#")}


def write_expected(path, names, onnx_version):
    with open(path, "w") as f:
        f.write("# Node tests that passed at the last `run_conformance.py --update-expected` (onnx "
                f"{onnx_version}).\n# The runner exits non-zero when one of these no longer passes.\n")
        for n in sorted(names):
            f.write(n + "\n")


def compile_stats(results):
    ts = sorted(r["compile_s"] for r in results if r["compile_s"] is not None)
    if not ts:
        return "n/a"
    one = sorted(r["compile_s"] for r in results if r["compile_s"] is not None and not r["expanded"])
    p95 = ts[min(len(ts) - 1, int(0.95 * len(ts)))]
    return (f"median {statistics.median(ts):.2f} s (single-node tests {statistics.median(one or ts):.2f} s), "
            f"95th percentile {p95:.2f} s, max {ts[-1]:.2f} s over {len(ts)} onnxc runs")


def scratch_parent():
    """Where the default workdir goes: /dev/shm when it has room. The suite writes and deletes
    some 20000 small files; on a disk mounted with `discard` the deletes alone took longer than
    a third of the run, on tmpfs they are free. The suite needs well under 200 MB."""
    try:
        if shutil.disk_usage("/dev/shm").free > 1 << 30 and os.access("/dev/shm", os.W_OK):
            return "/dev/shm"
    except OSError:
        pass
    return None  # tempfile's default (TMPDIR, /tmp)


def select(args, all_names):
    names = [n for n in all_names if not args.filter or re.search(args.filter, n)]
    if args.sample is not None and args.sample < len(names):
        names = sorted(random.Random(args.seed).sample(names, args.sample))
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnxc", required=True, help="the onnxc binary")
    ap.add_argument("--rt", required=True, help="libonnxc_rt.a")
    ap.add_argument("--include", default=DEFAULT_INCLUDE, help="directory holding onnxc/runtime.h")
    ap.add_argument("--cc", default="cc", help="C compiler for the harness and the link")
    ap.add_argument("--workdir", help="scratch directory, emptied first (default: a temporary one)")
    ap.add_argument("--data", help="an existing onnx/backend/test/data/node directory to use instead "
                                   "of materialising the wheel's registry")
    ap.add_argument("--data-seed", type=int, default=0, help="numpy seed for the registry's random inputs")
    ap.add_argument("--filter", help="regex (re.search) on test names")
    # The sanitizer pass of CI cannot afford every test: a seeded random sample, never a
    # hand-picked list (the environment variables let scripts/run-tests.sh set it).
    env_sample = int(os.environ.get("ONNXC_CONFORMANCE_SAMPLE", "0")) or None
    ap.add_argument("--sample", type=int, default=env_sample,
                    help="run a random sample of N of the selected tests (env ONNXC_CONFORMANCE_SAMPLE)")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("ONNXC_CONFORMANCE_SEED", "1")),
                    help="seed of --sample (env ONNXC_CONFORMANCE_SEED, default 1)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep every test's build folder and the workdir")
    ap.add_argument("--compile-timeout", type=int, default=60, help="seconds per onnxc run")
    ap.add_argument("--run-timeout", type=int, default=20, help="seconds per harness run")
    ap.add_argument("--expected", default=DEFAULT_EXPECTED, help="the ratchet list (expected_pass.txt)")
    ap.add_argument("--update-expected", action="store_true", help="rewrite the ratchet list from this run")
    ap.add_argument("--report", help=f"markdown report to write (default for the full suite: {DEFAULT_REPORT})")
    ap.add_argument("--no-report", action="store_true")
    args = ap.parse_args()
    t_start = time.monotonic()
    full_suite = not args.filter and args.sample is None

    ctx = argparse.Namespace(args=args, onnxc=os.path.abspath(args.onnxc), rt=os.path.abspath(args.rt))
    own_workdir = args.workdir is None
    ctx.workdir = (tempfile.mkdtemp(prefix="onnxc-conformance-", dir=scratch_parent()) if own_workdir
                   else os.path.abspath(args.workdir))
    if not own_workdir:
        shutil.rmtree(ctx.workdir, ignore_errors=True)  # cache nothing between runs
        os.makedirs(ctx.workdir)

    setup_error = None
    if not os.access(ctx.onnxc, os.X_OK):
        setup_error = f"onnxc not found or not executable: {ctx.onnxc}"
    elif not os.path.isfile(ctx.rt):
        setup_error = f"runtime library not found: {ctx.rt}"
    else:
        ctx.harness_o = os.path.join(ctx.workdir, "harness.o")
        r = subprocess.run([args.cc, "-std=c99", "-O1", "-Wall", "-I", args.include, "-c", HARNESS_C,
                            "-o", ctx.harness_o], capture_output=True, text=True)
        if r.returncode != 0:
            setup_error = f"harness.c does not compile:\n{r.stderr}"
    if setup_error:
        print(f"error: {setup_error}")
        return 2
    v = subprocess.run([ctx.onnxc, "--version"], capture_output=True, text=True)
    onnxc_version = (v.stdout.strip() or v.stderr.strip() or "unknown").splitlines()[0]

    if args.data:
        all_entries = node_tests.scan(os.path.abspath(args.data))
        names = select(args, [e["name"] for e in all_entries])
        entries = [e for e in all_entries if e["name"] in set(names)]
        data_source = f"the existing directory `{args.data}`"
    else:
        names = select(args, node_tests.registry_names(args.data_seed))
        entries = node_tests.materialise(os.path.join(ctx.workdir, "data", "node"), set(names), args.data_seed)
        data_source = ("materialised from the wheel's own node-test registry "
                       "(onnx.backend.test.case.node, which ONNX's backend runner also runs; the wheel "
                       f"ships no data/node directory), numpy seed {args.data_seed}")
    if not entries:
        print("error: no test selected (--filter/--sample)")
        print("0 passed, 0 failed")
        return 2
    print(f"onnx {node_tests.onnx_version()}: {len(entries)} node tests selected; onnxc {onnxc_version}; "
          f"{args.jobs} jobs; workdir {ctx.workdir}", flush=True)

    lock = threading.Lock()

    def one(entry):
        res = test_one(ctx, entry)
        with lock:
            print(f"{res['status']:<11} {res['name']}  {res['reason']}", flush=True)
        return res

    with futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = sorted(pool.map(one, entries), key=lambda r: r["name"])
    if own_workdir and not args.keep:  # before taking the time: deleting is part of the run
        shutil.rmtree(ctx.workdir, ignore_errors=True)
    wall = time.monotonic() - t_start

    crashes = [r for r in results if r["crash"]]
    if crashes:
        print(f"\nONNXC CRASHED OR HUNG on {len(crashes)} tests (exit other than 0/1):")
        for r in crashes:
            print(f"  {r['name']}: {r['reason']}\n    " + r["detail"].replace("\n", "\n    "))
    fails = [r for r in results if r["status"] == "FAIL" and not r["crash"]]
    if fails:
        print(f"\nFAIL details ({len(fails)}):")
        for r in fails:
            print(f"  {r['name']}: {r['reason']}" + ("\n    " + r["detail"].replace("\n", "\n    ")
                                                    if r["detail"] else ""))

    expected = read_expected(args.expected)
    selected = {r["name"] for r in results}
    passed = {r["name"] for r in results if r["status"] == "PASS"}
    regressions = sorted((expected & selected) - passed)
    new_passes = sorted(passed - expected)
    if full_suite:
        for n in sorted(expected - selected):
            print(f"warning: {n} is in {os.path.basename(args.expected)} but not in this onnx wheel")
    status_of = {r["name"]: r for r in results}
    for n in regressions:
        print(f"REGRESSION: {n} is in {os.path.basename(args.expected)} but is now "
              f"{status_of[n]['status']}: {status_of[n]['reason']}")
    if new_passes and not args.update_expected:
        print(f"note: {len(new_passes)} tests pass that {os.path.basename(args.expected)} does not list; "
              f"run with --update-expected to ratchet them in")
    if args.update_expected:  # a partial run only rewrites the entries of the tests it ran
        new_list = passed if full_suite else (expected - selected) | passed
        write_expected(args.expected, new_list, node_tests.onnx_version())
        print(f"wrote {args.expected}: {len(new_list)} tests")

    report_path = None if args.no_report else (args.report or (DEFAULT_REPORT if full_suite else None))
    if report_path:
        meta = {"onnx_version": node_tests.onnx_version(), "onnxc_version": onnxc_version,
                "data_source": data_source, "date": datetime.date.today().isoformat(), "jobs": args.jobs,
                "wall_s": wall, "compile_stats": compile_stats(results),
                "rtol": node_tests.DEFAULT_RTOL, "atol": node_tests.DEFAULT_ATOL,
                "overrides_note": "".join(f" Override: `{n}` rtol {rt:g} atol {at:g}."
                                          for n, (rt, at) in sorted(TOLERANCE_OVERRIDES.items()))}
        with open(report_path, "w") as f:
            f.write(report.render(results, meta))
        print(f"wrote {report_path}")

    if (fails or crashes) and (args.keep or not own_workdir):
        print(f"failing tests keep their files in {os.path.join(ctx.workdir, 'build')}/<test>/ (shapes0/cmd.txt, shapes0/run)")
    c = report.counts(results)
    print(f"\n{report.summary_line(results)} Wall time {wall:.0f} s; onnxc {compile_stats(results)}.")
    print(f"{c['PASS']} passed, {c['FAIL'] + c['UNSUPPORTED']} failed")
    return 1 if regressions else 0


if __name__ == "__main__":
    sys.exit(main())
