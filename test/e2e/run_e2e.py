#!/usr/bin/env python3
"""onnxc end-to-end numerical test: compile each model of gen_models.py with onnxc, link it with
the generic harness.c and runtime-lite, run it, and compare with onnxruntime (CPU).

  run_e2e.py --onnxc build/bin/onnxc --rt build/lib/libonnxc_rt.a --workdir /tmp/e2e
             [--include runtime-lite/include] [--cc cc] [--filter REGEX] [--jobs 2]
             [--sample N --seed S] [--threads 2]

Per model it checks, in order: onnxc exits 0 and writes an x86-64 ELF relocatable model.o and a
model.h; model.h compiles (twice-included) and agrees with the run_v/model_info declarations;
the link succeeds; model_info (harness --info) matches the ONNX graph (names, dtypes, shapes);
the harness run passes its own checks (guards, rejected bad calls, determinism, and its second run
on a --threads pool, the model compiled with --threads, giving bit-identical outputs); every output
matches onnxruntime within |out - ref| <= atol + rtol*|ref| (atol 1e-4, rtol 1e-3).

Prints one PASS/FAIL line per model; the last line is exactly `N passed, M failed`.
Exit status 1 if anything failed. Everything a model produced stays in WORKDIR/build/<name>/,
with the exact onnxc command in cmd.txt, to reproduce a failure by hand."""
import argparse
import concurrent.futures as futures
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import threading

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_models  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "models"))
import real_models  # noqa: E402

DEFAULT_INCLUDE = os.path.normpath(os.path.join(HERE, "..", "..", "runtime-lite", "include"))

# Built against model.h and model.o: includes the header twice (include guard), redeclares the
# entry points exactly as the contract states (a conflicting declaration is a compile error),
# needs the README's MODEL_WORKSPACE_SIZE/ALIGN as integer constant expressions (a static
# workspace array must be declarable) and equal to model_info, and needs the typed model_run.
HEADER_CHECK_C = """#include <stdio.h>
#include "model.h"
#include "model.h"
#include "onnxc/runtime.h"
int model_run_v(const void *const *inputs, void *const *outputs, void *workspace);
extern const onnxc_model_info model_info;
static _Alignas(MODEL_WORKSPACE_ALIGN) unsigned char workspace[MODEL_WORKSPACE_SIZE + 1];
int main(void) {
  void (*volatile typed)(void) = (void (*)(void))model_run;
  if (MODEL_WORKSPACE_SIZE != model_info.workspace_size || MODEL_WORKSPACE_ALIGN != model_info.workspace_align) {
    printf("MODEL_WORKSPACE_SIZE/ALIGN %llu/%llu != model_info %llu/%llu\\n",
           (unsigned long long)MODEL_WORKSPACE_SIZE, (unsigned long long)MODEL_WORKSPACE_ALIGN,
           (unsigned long long)model_info.workspace_size, (unsigned long long)model_info.workspace_align);
    return 1;
  }
  return typed == 0 || workspace[0] != 0;
}
"""


class Fail(Exception):
    """A model failed; the message says where and why."""


def tail(text, lines=25):
    t = text.strip().splitlines() or ["(no output)"]
    return "\n".join((["..."] if len(t) > lines else []) + t[-lines:])


def run(cmd, timeout, what, cwd=None):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)
    except subprocess.TimeoutExpired:
        raise Fail(f"{what} timed out after {timeout}s: {shlex.join(cmd)}")
    except OSError as e:
        raise Fail(f"{what} could not start: {e}")
    return r


def exit_desc(rc):
    return f"killed by signal {-rc}" if rc < 0 else f"exit {rc}"


def check_elf_object(path):
    """The contract: an x86-64 ELF relocatable object."""
    with open(path, "rb") as f:
        head = f.read(20)
    if len(head) < 20 or head[:4] != b"\x7fELF":
        raise Fail("model.o is not an ELF file")
    e_type = int.from_bytes(head[16:18], "little")
    e_machine = int.from_bytes(head[18:20], "little")
    if head[4] != 2 or head[5] != 1 or e_type != 1 or e_machine != 62:
        raise Fail(f"model.o is not an x86-64 little-endian relocatable ELF "
                   f"(class {head[4]}, data {head[5]}, type {e_type}, machine {e_machine})")


def parse_info(text):
    """harness --info -> {'workspace_size':..., 'inputs': [(name, dtype, shape)], 'outputs': [...]}"""
    info = {"inputs": [], "outputs": []}
    for line in text.splitlines():
        m = re.match(r"model name=(\S+) inputs=(\d+) outputs=(\d+) workspace_size=(\d+) workspace_align=(\d+)$", line)
        if m:
            info["workspace_size"], info["workspace_align"] = int(m[4]), int(m[5])
            continue
        m = re.match(r"(input|output) (\d+) dtype=(-?\d+) shape=\[([-\d,]*)\] bytes=(\d+) name=(.*)$", line)
        if not m:
            raise Fail(f"cannot parse harness --info line: {line!r}")
        shape = tuple(int(d) for d in m[4].split(",")) if m[4] else ()
        info[m[1] + "s"].append((m[6], int(m[3]), shape))
    return info


def reference(model_path, inputs):
    """onnxruntime outputs, with graph optimisations off so the reference is the plain kernels."""
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    so.intra_op_num_threads = 1
    so.log_severity_level = 3
    sess = ort.InferenceSession(model_path, so, providers=["CPUExecutionProvider"])
    return sess.run(None, inputs)


def load_inputs(model, model_dir, entry):
    arrays = {}
    for vi, fn in zip(gen_models.runtime_inputs(model), entry["inputs"]):
        tt = vi.type.tensor_type
        dtype = np.dtype(helper.tensor_dtype_to_np_dtype(tt.elem_type)).newbyteorder("<")
        shape = tuple(d.dim_value for d in tt.shape.dim)
        arrays[vi.name] = np.fromfile(os.path.join(model_dir, fn), dtype=dtype).reshape(shape)
    return arrays


def compare(name, got, ref, atol, rtol):
    """Returns (max_abs_err, None) or (max_abs_err, failure text)."""
    g = got.astype(np.float64)
    r = ref.astype(np.float64)
    # NaN matches NaN and an infinity the same infinity (inf - inf would be NaN).
    same = (np.isnan(g) & np.isnan(r)) | (np.isinf(g) & (g == r))
    with np.errstate(invalid="ignore"):
        err = np.where(same, 0.0, np.abs(g - r))
    err = np.where(np.isnan(err), np.inf, err)
    bad = err > atol + rtol * np.abs(np.nan_to_num(r))
    max_err = float(err.max()) if err.size else 0.0
    if not bad.any():
        return max_err, None
    idx = np.unravel_index(int(np.argmax(np.where(bad, err, -1))), r.shape) if r.ndim else ()
    return max_err, (f"output {name}: {int(bad.sum())}/{bad.size} elements out of tolerance, max abs err "
                     f"{max_err:.3g}; worst at index {tuple(int(i) for i in idx)}: got {float(g[idx]):.8g}, "
                     f"onnxruntime {float(r[idx]):.8g}")


def test_model(entry, args, harness_o):
    """Raises Fail or returns a short PASS note."""
    name = entry["name"]
    model_path = os.path.join(args.models_dir, entry["model"])
    d = os.path.join(args.workdir, "build", name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    model = onnx.load(model_path)
    inputs = load_inputs(model, args.models_dir, entry)
    try:
        refs = reference(model_path, inputs)
    except Exception as e:  # a test-suite bug, not an onnxc bug
        raise Fail(f"onnxruntime could not run the model (test bug): {e}")

    obj, hdr = os.path.join(d, "model.o"), os.path.join(d, "model.h")
    cmd = [args.onnxc, model_path, "-o", obj, "--name", "model", "--threads", str(args.threads)]
    with open(os.path.join(d, "cmd.txt"), "w") as f:
        f.write(shlex.join(cmd) + "\n")
    r = run(cmd, args.timeout, "onnxc")
    if r.returncode != 0:
        raise Fail(f"onnxc {exit_desc(r.returncode)} ({shlex.join(cmd)}):\n{tail(r.stderr + r.stdout)}")
    for p in (obj, hdr):
        if not os.path.isfile(p):
            raise Fail(f"onnxc exited 0 but did not write {os.path.basename(p)}")
    check_elf_object(obj)

    with open(os.path.join(d, "header_check.c"), "w") as f:
        f.write(HEADER_CHECK_C)
    header_exe = os.path.join(d, "header_check")
    r = run([args.cc, "-std=c11", "-Wall", "-I", d, "-I", args.include, os.path.join(d, "header_check.c"),
             obj, args.rt, "-lm", "-o", header_exe], 60, "header check")
    if r.returncode != 0:
        raise Fail(f"model.h does not compile/link as documented (header_check.c):\n{tail(r.stderr)}")
    r = run([header_exe], 30, "header check")
    if r.returncode != 0:
        raise Fail(f"model.h disagrees with model_info: {exit_desc(r.returncode)} {r.stdout.strip()}")

    exe = os.path.join(d, "run")
    r = run([args.cc, harness_o, obj, args.rt, "-lm", "-pthread", "-o", exe], 60, "link")
    if r.returncode != 0:
        raise Fail(f"link failed:\n{tail(r.stderr)}")

    r = run([exe, "--info"], 30, "harness --info")
    if r.returncode != 0:
        raise Fail(f"harness --info {exit_desc(r.returncode)}:\n{tail(r.stderr + r.stdout)}")
    info = parse_info(r.stdout)
    want_in = [(vi.name, vi.type.tensor_type.elem_type, inputs[vi.name].shape)
               for vi in gen_models.runtime_inputs(model)]
    want_out = [(vi.name, vi.type.tensor_type.elem_type, tuple(ref.shape)) for vi, ref in zip(model.graph.output, refs)]
    if info["inputs"] != want_in:
        raise Fail(f"model_info inputs {info['inputs']} != graph inputs {want_in}")
    if info["outputs"] != want_out:
        raise Fail(f"model_info outputs {info['outputs']} != graph outputs {want_out}")

    out_files = [os.path.join(d, f"out{i}.bin") for i in range(len(refs))]
    in_files = [os.path.join(args.models_dir, fn) for fn in entry["inputs"]]
    io_align = ["--io-align", str(args.io_align)] if args.io_align else []
    r = run([exe, *io_align, "--threads", str(args.threads), *in_files, "-o", *out_files], args.timeout,
            "harness run")
    if r.returncode != 0:
        raise Fail(f"harness {exit_desc(r.returncode)}:\n{tail(r.stderr + r.stdout)}")
    warnings = [l for l in r.stderr.splitlines() if l.startswith("warning:")]

    worst, problems = 0.0, []
    for vi, ref, fn in zip(model.graph.output, refs, out_files):
        got = np.fromfile(fn, dtype=ref.dtype.newbyteorder("<"))
        if got.size != ref.size:
            raise Fail(f"output {vi.name}: {got.size} elements written, onnxruntime has {ref.size}")
        atol, rtol = args.atol, args.rtol
        tol = entry.get("tolerance")
        if tol:  # real networks: the absolute tolerance scales with the output's magnitude
            peak = float(np.abs(ref.astype(np.float64)).max()) if ref.size else 0.0
            atol, rtol = max(args.atol, tol["atol_of_max"] * peak), tol["rtol"]
        err, problem = compare(vi.name, got.reshape(ref.shape), ref, atol, rtol)
        worst = max(worst, err)
        if problem:
            problems.append(problem)
    if problems:
        raise Fail("\n".join(problems))
    note = f"max_abs_err={worst:.2e} workspace={info['workspace_size']}"
    if warnings:
        note += " [" + "; ".join(w[len("warning: "):] for w in warnings) + "]"
    return note


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnxc", required=True, help="the onnxc binary")
    ap.add_argument("--rt", required=True, help="libonnxc_rt.a")
    ap.add_argument("--workdir", required=True, help="scratch directory (models, objects, outputs)")
    ap.add_argument("--include", default=DEFAULT_INCLUDE, help="directory holding onnxc/runtime.h")
    ap.add_argument("--cc", default="cc", help="C compiler for the harness and the link")
    ap.add_argument("--suite", choices=("cases", "real"), default="cases",
                    help="cases: the op-level models of gen_models.py; real: the exported networks of "
                         "test/models/real_models.py (with per-network tolerances)")
    ap.add_argument("--filter", help="regex on model names")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--atol", type=float, default=1e-4)
    ap.add_argument("--rtol", type=float, default=1e-3)
    ap.add_argument("--threads", type=int, default=2,
                    help="onnxc --threads, and the harness's second run uses a pool of this many threads")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per onnxc / harness run")
    ap.add_argument("--io-align", type=int, default=0,
                    help="I/O buffer alignment of the harness's second run (default: element size)")
    # The sanitizer pass of CI cannot afford every model: it runs a random sample, seeded so a
    # failure reproduces, never a hand-picked one. The env vars reach the test through ctest.
    ap.add_argument("--sample", type=int, default=int(os.environ.get("ONNXC_E2E_SAMPLE", "0")),
                    help="run only N models drawn at random (env ONNXC_E2E_SAMPLE; 0: all)")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("ONNXC_E2E_SEED", "1")),
                    help="seed of the --sample draw (env ONNXC_E2E_SEED, default 1)")
    args = ap.parse_args()
    args.workdir = os.path.abspath(args.workdir)
    args.onnxc, args.rt = os.path.abspath(args.onnxc), os.path.abspath(args.rt)
    args.models_dir = os.path.join(args.workdir, "models")
    suite = real_models if args.suite == "real" else gen_models

    shutil.rmtree(args.models_dir, ignore_errors=True)
    pattern = args.filter
    if args.sample > 0:
        names = sorted(suite.select(args.filter))
        picked = sorted(random.Random(args.seed).sample(names, min(args.sample, len(names))))
        print(f"sample of {len(picked)}/{len(names)} models (seed {args.seed}): {' '.join(picked)}")
        pattern = "^(" + "|".join(re.escape(n) for n in picked) + ")$"
    manifest = suite.generate(args.models_dir, pattern)
    if not manifest:
        print("no model matches --filter")
        print("0 passed, 0 failed")
        return 1

    harness_o = os.path.join(args.workdir, "harness.o")
    r = subprocess.run([args.cc, "-std=c99", "-O1", "-Wall", "-Wextra", "-I", args.include, "-c",
                        os.path.join(HERE, "harness.c"), "-o", harness_o], capture_output=True, text=True)
    setup_error = None
    if r.returncode != 0:
        setup_error = f"harness.c does not compile:\n{tail(r.stderr)}"
    elif not os.access(args.onnxc, os.X_OK):
        setup_error = f"onnxc not found or not executable: {args.onnxc}"
    elif not os.path.isfile(args.rt):
        setup_error = f"runtime library not found: {args.rt}"

    lock = threading.Lock()
    failed = []

    def one(entry):
        try:
            if setup_error:
                raise Fail(setup_error)
            line = f"PASS {entry['name']}  {test_model(entry, args, harness_o)}"
        except Fail as e:
            line = f"FAIL {entry['name']}: " + str(e).replace("\n", "\n    ")
            failed.append(entry["name"])
        except Exception as e:  # a runner bug must not hide the other results
            line = f"FAIL {entry['name']}: runner error {type(e).__name__}: {e}"
            failed.append(entry["name"])
        with lock:
            print(line, flush=True)

    with futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        list(pool.map(one, manifest))

    if failed:
        print("failed: " + " ".join(sorted(failed)))
    print(f"{len(manifest) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
