#!/usr/bin/env python3
"""Self-test of harness.c against mock_model.c: needs only a C compiler and runtime-lite, not
onnxc. Proves the harness accepts a correct model (and computes the right numbers) and rejects
each injected bug, so a PASS from run_e2e.py means what it says.

  harness_selftest.py --include runtime-lite/include (--rt libonnxc_rt.a | --rt-src runtime-lite/src/dtype.c runtime-lite/src/threadpool.c)
Prints one line per case and ends with `N passed, M failed`."""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

# (bug number, description, expected harness exit code, text expected in stderr)
CASES = [
    (0, "correct model", 0, "harness: ok (0 warnings)"),
    (1, "write past output", 1, "guard bytes of output 0 overwritten at after-end"),
    (2, "write before output", 1, "guard bytes of output 0 overwritten at before-start"),
    (3, "write past workspace", 1, "guard bytes of workspace 0 overwritten"),
    (4, "NULL workspace accepted", 1, "accepted call with NULL workspace"),
    (5, "misaligned workspace accepted", 1, "misaligned workspace"),
    (6, "last output element unwritten", 1, "differs between run 1 and run 2"),
    (7, "uninitialised workspace read", 1, "differs between run 1 and run 2"),
    (8, "input modified", 1, "input 0 (x) or its guard bytes were modified"),
    (9, "error on a valid call", 3, "model_run_v returned 7"),
    (10, "inconsistent size_bytes", 1, "size_bytes 20 != prod(shape)*4 = 24"),
    (11, "NULL output accepted", 1, "accepted call with NULL output 0"),
    (12, "undocumented error code", 0, "warning: call with NULL workspace returned 99"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cc", default="cc")
    ap.add_argument("--include", required=True, help="directory holding onnxc/runtime.h")
    ap.add_argument("--rt", help="libonnxc_rt.a")
    ap.add_argument("--rt-src", help="runtime-lite source(s), compiled here when --rt is not built yet",
                    nargs="*")
    ap.add_argument("--workdir", default=None)
    args = ap.parse_args()
    if not args.rt and not args.rt_src:
        ap.error("need --rt or --rt-src")
    work = args.workdir or tempfile.mkdtemp(prefix="onnxc_harness_selftest_")
    os.makedirs(work, exist_ok=True)
    cflags = ["-std=c99", "-O1", "-Wall", "-Wextra", "-Werror", "-I", args.include]

    harness_o = os.path.join(work, "harness.o")
    r = run([args.cc, *cflags, "-c", os.path.join(HERE, "harness.c"), "-o", harness_o])
    if r.returncode:
        print("FAIL compile harness.c\n" + r.stderr)
        print("0 passed, 1 failed")
        return 1
    rt = [args.rt] if args.rt else [os.path.join(HERE, s) if not os.path.isabs(s) else s for s in args.rt_src]

    rng = np.random.default_rng(1234)
    x = rng.standard_normal((2, 3)).astype(np.float32)
    b = rng.standard_normal((2, 3)).astype(np.float32)
    xin, bin_, yout = (os.path.join(work, n) for n in ("x.bin", "b.bin", "y.bin"))
    x.tofile(xin)
    b.tofile(bin_)

    passed = failed = 0

    def report(ok, name, detail=""):
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(f"PASS {name}" if ok else f"FAIL {name}: {detail}", flush=True)

    for bug, desc, want_rc, want_text in CASES:
        exe = os.path.join(work, f"mock{bug}")
        obj = exe + ".o"
        r = run([args.cc, *cflags, f"-DMOCK_BUG={bug}", "-c", os.path.join(HERE, "mock_model.c"), "-o", obj])
        if r.returncode == 0:
            r = run([args.cc, harness_o, obj, *rt, "-I", args.include, "-lm", "-pthread", "-o", exe])
        if r.returncode:
            report(False, desc, "build failed: " + r.stderr.strip())
            continue
        if os.path.exists(yout):
            os.remove(yout)
        r = run([exe, xin, bin_, "-o", yout])
        ok = r.returncode == want_rc and want_text in r.stderr
        detail = "" if ok else f"exit {r.returncode} (want {want_rc}), stderr: {r.stderr.strip()}"
        if ok and want_rc == 0:
            y = np.fromfile(yout, dtype=np.float32).reshape(2, 3)
            if not np.array_equal(y, x + b):
                ok, detail = False, f"wrong result {y} != {x + b}"
        elif ok and os.path.exists(yout):
            ok, detail = False, "output file written although the harness failed"
        report(ok, desc, detail)

    # Harness-level checks on the correct model: --info format and bad input files.
    exe = os.path.join(work, "mock0")
    r = run([exe, "--info"])
    want = ["model name=model inputs=2 outputs=1 workspace_size=64 workspace_align=64",
            "input 0 dtype=1 shape=[2,3] bytes=24 name=x", "input 1 dtype=1 shape=[2,3] bytes=24 name=b",
            "output 0 dtype=1 shape=[2,3] bytes=24 name=y"]
    report(r.returncode == 0 and r.stdout.splitlines() == want, "--info output", r.stdout + r.stderr)
    short = os.path.join(work, "short.bin")
    x.reshape(-1)[:5].tofile(short)
    r = run([exe, short, bin_, "-o", yout])
    report(r.returncode == 2 and "does not hold exactly 24 bytes" in r.stderr, "short input file rejected",
           r.stderr.strip())
    r = run([exe, xin, "-o", yout])
    report(r.returncode == 2 and "got 1 input and 1 output files" in r.stderr, "wrong file count rejected",
           r.stderr.strip())
    r = run([exe, "--bogus"])
    report(r.returncode == 2, "unknown flag is usage error", r.stderr.strip())
    r = run([exe, xin, bin_, "--io-align", "64", "-o", yout])
    report(r.returncode == 0 and "run 2 (64-byte aligned I/O" in r.stderr, "--io-align honoured", r.stderr.strip())

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
