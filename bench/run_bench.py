#!/usr/bin/env python3
"""onnxc benchmark: latency, memory and object size side by side with onnxruntime, in one run.

  run_bench.py [--onnxc build/bin/onnxc] [--rt build/lib/libonnxc_rt.a] [--workdir /tmp/onnxc-bench]
               [--models mlp,dscnn,mobilenetv2,resnet50,bert] [--bert-layers 2] [--onnxc-threads 2]
               [--min-time-s 2] [--min-runs 3] [--no-gemm] [--results bench/RESULTS.md]

For each model of models.py: build it (seeded weights and inputs), compile it with onnxc
`--threads 2` (--onnxc-threads; timed), link bench/driver.cpp with the object and runtime-lite
(-pthread), run the driver twice, with 1 thread (no executor) and with 2 (runtime-lite's
onnxc_threadpool), each time warm-up then timed runs until both --min-runs runs and --min-time-s
seconds (the 1-thread run saves the first run's outputs), time onnxruntime on the same model and
inputs through its Python API with intra_op_num_threads 1 and 2 and all graph optimisations (same
warm-up and stopping rule), and compare onnxc's 1-thread outputs with onnxruntime's
(|onnxc - ort| <= 1e-4 + 1e-3 |ort|). Ratios compare like with like: ORT 1 thread / onnxc 1
thread and ORT 2 threads / onnxc 2 threads. A model onnxc refuses or crashes on gets its error in
the table instead of numbers; the rest still runs. onnxruntime's per-call floor is measured on a
one-node model (Add on 4 floats), so its Python/session overhead is visible.

Then the GEMM microbenchmark: f32 MatMul models (X[M,K] input, W[K,N] constant) at 256^3,
1024^3 and 1x768x3072 compiled with onnxc (same flags) and timed in the driver with 1 and 2
threads, reported as GFLOP/s and (1 thread) as a fraction of the single-core FMA peak measured by
bench/gemm_bench.cpp in the same run (with a naive C loop and onnxruntime 1-thread for context).

Prints the markdown tables and writes them with the machine, date, versions and command to
--results (default: bench/RESULTS.md for a full run, WORKDIR/RESULTS.md when --models or
--no-gemm narrows it). Run it under `nice -n 10` on a shared machine; the load average before and
after is recorded because timings taken while other work runs are noisy."""
import argparse
import datetime
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import zlib

import numpy as np
import onnx
import onnxruntime as ort

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, ".."))
sys.path.insert(0, HERE)
import models  # noqa: E402

ATOL, RTOL = 1e-4, 1e-3
RUN_THREADS = (1, 2)  # driver --threads for the two onnxc timings (and ORT intra_op_num_threads)
GEMM_SHAPES = [(256, 256, 256), (1024, 1024, 1024), (1, 768, 3072)]


def sh(cmd, timeout=None, cwd=None):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)


def first_lines(text, n=3):
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return " / ".join(lines[:n]) + (f" (+{len(lines) - n} more lines)" if len(lines) > n else "")


# ---------------------------------------------------------------------------------------------
# machine / environment

def machine_info():
    info = {"cpu": platform.processor() or platform.machine(), "cpus": os.cpu_count()}
    try:
        out = sh(["lscpu"]).stdout
        fields = dict((k.strip(), v.strip()) for k, v in (ln.split(":", 1) for ln in out.splitlines() if ":" in ln))
        info["cpu"] = fields.get("Model name", info["cpu"])
        info["cores"] = int(fields.get("Core(s) per socket", "0")) * int(fields.get("Socket(s)", "1"))
        info["threads_per_core"] = fields.get("Thread(s) per core", "?")
        info["hypervisor"] = fields.get("Hypervisor vendor", "")
        flags = fields.get("Flags", "").split()
        info["isa"] = ", ".join(f for f in ("avx2", "fma", "avx512f", "avx512_bf16", "amx_tile") if f in flags)
    except (OSError, ValueError):
        pass
    try:
        with open("/proc/meminfo") as f:
            info["mem_gib"] = round(int(f.readline().split()[1]) / 2**20, 1)
    except OSError:
        pass
    return info


def git_rev():
    r = sh(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"])
    if r.returncode != 0:
        return "unknown"
    dirty = sh(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"]).stdout.strip()
    return r.stdout.strip() + ("+dirty" if dirty else "")


# ---------------------------------------------------------------------------------------------
# onnxc side

def onnxc_error_summary(stderr, rc):
    """One short cell for the table: 'unsupported: A, B' or the first error line(s)."""
    if rc < 0:
        return f"crash: onnxc killed by signal {-rc}: {first_lines(stderr, 2)}"
    unsupported = []
    for m in re.finditer(r"operator (\S+) is not supported", stderr):
        if m[1] not in unsupported:
            unsupported.append(m[1])
    if unsupported:
        return "unsupported: " + ", ".join(unsupported)
    # strip the 'path/model.onnx: ' prefix of each line
    lines = [re.sub(r"^\S+\.onnx: ", "", ln) for ln in stderr.strip().splitlines() if ln.strip()]
    uniq = list(dict.fromkeys(lines))
    return f"onnxc error (exit {rc}): " + (" / ".join(uniq[:2]) + (" ..." if len(uniq) > 2 else "") if uniq else "(no message)")


def workspace_lower_bound(header, compile_output):
    """onnxc does not report a workspace lower bound yet; pick it up when it does."""
    for text in (header, compile_output):
        m = re.search(r"#define\s+\w+_WORKSPACE_LOWER_BOUND\s+(\d+)", text) or \
            re.search(r"(?i)lower[ _-]?bound\D{0,20}?(\d+)", text)
        if m:
            return int(m[1])
    return None


def object_sizes(obj):
    """(file bytes, text+data bytes from `size`)."""
    total = os.path.getsize(obj)
    r = sh(["size", obj])
    td = None
    if r.returncode == 0:
        lines = r.stdout.strip().splitlines()
        if len(lines) >= 2:
            parts = lines[1].split()
            td = int(parts[0]) + int(parts[1])
    return total, td


class Onnxc:
    def __init__(self, args, workdir):
        self.onnxc, self.rt, self.include, self.cxx = args.onnxc, args.rt, args.include, args.cxx
        self.args = args
        self.workdir = workdir
        self.driver_o = os.path.join(workdir, "driver.o")
        r = sh([self.cxx, "-O2", "-std=c++17", "-pthread", "-I", self.include, "-c",
                os.path.join(HERE, "driver.cpp"), "-o", self.driver_o])
        if r.returncode != 0:
            sys.exit(f"run_bench: cannot compile bench/driver.cpp:\n{r.stderr}")
        self.version = sh([self.onnxc, "--version"]).stdout.strip()

    def compile(self, model_path, d):
        """Returns dict(ok, compile_s, error, obj, header, workspace, lower_bound, obj_bytes, text_data, cmd)."""
        obj = os.path.join(d, "model.o")
        cmd = [self.onnxc, model_path, "-o", obj, "--name", "model", "--threads", str(self.args.onnxc_threads)]
        res = {"cmd": shlex.join(cmd), "ok": False}
        t0 = time.perf_counter()
        try:
            r = sh(cmd, timeout=self.args.compile_timeout)
        except subprocess.TimeoutExpired:
            res.update(compile_s=time.perf_counter() - t0,
                       error=f"onnxc timed out after {self.args.compile_timeout} s")
            return res
        res["compile_s"] = time.perf_counter() - t0
        if r.returncode != 0:
            res["error"] = onnxc_error_summary(r.stderr + r.stdout, r.returncode)
            res["stderr"] = r.stderr
            return res
        hdr = os.path.join(d, "model.h")
        header = open(hdr).read() if os.path.isfile(hdr) else ""
        m = re.search(r"#define\s+MODEL_WORKSPACE_SIZE\s+(\d+)", header)
        res.update(ok=True, obj=obj, workspace=int(m[1]) if m else None,
                   lower_bound=workspace_lower_bound(header, r.stderr + r.stdout))
        res["obj_bytes"], res["text_data"] = object_sizes(obj)
        return res

    def link(self, obj, d):
        exe = os.path.join(d, "driver")
        r = sh([self.cxx, "-pthread", self.driver_o, obj, self.rt, "-o", exe])
        if r.returncode != 0:
            raise RuntimeError(f"link failed: {first_lines(r.stderr, 3)}")
        return exe

    def time(self, exe, in_paths, out_paths, threads=1):
        """Runs the driver with --threads threads; out_paths (may be empty) get the first run's outputs."""
        cmd = [exe, "--threads", str(threads), "--min-runs", str(self.args.min_runs),
               "--min-time-s", str(self.args.min_time_s), "--warmup-s", str(self.args.warmup_s),
               "--max-time-s", str(self.args.max_time_s), *in_paths, *(["-o", *out_paths] if out_paths else [])]
        r = sh(cmd, timeout=self.args.run_timeout)
        if r.returncode != 0:
            what = f"signal {-r.returncode}" if r.returncode < 0 else f"exit {r.returncode}"
            raise RuntimeError(f"driver {what}: {first_lines(r.stderr + r.stdout, 3)}")
        m = re.search(r"runs=(\d+) median_us=([\d.]+) min_us=([\d.]+)", r.stdout)
        mt = re.search(r"threads=(\d+)", r.stdout)
        if not m or not mt or int(mt[1]) != threads:
            raise RuntimeError(f"cannot parse driver output (or not {threads} thread(s)): {r.stdout!r}")
        return {"runs": int(m[1]), "median_us": float(m[2]), "min_us": float(m[3]), "threads": int(mt[1])}

    def time_threads(self, exe, in_paths, out_paths, row):
        """Times the 1-thread run (which writes out_paths) into row['onnxc'], then the 2-thread run
        into row['onnxc2']; a failure of the 1-thread run sets row['error'], of the 2-thread run
        row['error2'] (the 1-thread numbers still count)."""
        print(f"[{row['model']}] timing onnxc, 1 thread ...", file=sys.stderr, flush=True)
        try:
            row["onnxc"] = self.time(exe, in_paths, out_paths, threads=1)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            row["error"] = f"run failed: {e}"
            return
        print(f"[{row['model']}] timing onnxc, {RUN_THREADS[1]} threads ...", file=sys.stderr, flush=True)
        try:
            row["onnxc2"] = self.time(exe, in_paths, [], threads=RUN_THREADS[1])
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            row["error2"] = f"{RUN_THREADS[1]}-thread run failed: {e}"


def read_outputs(paths, model):
    outs = []
    for p, vi in zip(paths, model.graph.output):
        shape = [d.dim_value for d in vi.type.tensor_type.shape.dim]
        outs.append(np.fromfile(p, dtype="<f4").reshape(shape))
    return outs


# ---------------------------------------------------------------------------------------------
# onnxruntime side

def ort_session(path, threads):
    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def time_calls(fn, args, warm_since, max_runs=100000):
    """Same rule as driver.cpp: after the first (output) run, which started at warm_since, more
    untimed runs until warmup_s; then timed runs until both min_runs and min_time_s, or max_runs,
    or max_time_s (at least one). Returns dict(runs, median_us, min_us)."""
    while time.perf_counter() - warm_since < args.warmup_s:
        fn()
    us = []
    start = time.perf_counter()
    while True:
        n, t = len(us), time.perf_counter() - start
        if n >= max_runs or (n >= args.min_runs and t >= args.min_time_s) or (n >= 1 and t >= args.max_time_s):
            break
        a = time.perf_counter()
        fn()
        us.append((time.perf_counter() - a) * 1e6)
    return {"runs": len(us), "median_us": statistics.median(us), "min_us": min(us)}


def time_ort(path, feeds, threads, args, sess=None):
    sess = sess or ort_session(path, threads)
    t0 = time.perf_counter()
    outs = sess.run(None, feeds)
    t = time_calls(lambda: sess.run(None, feeds), args, t0)
    t["outputs"] = outs
    return t


def merge_rounds(results):
    """One side's timings over the interleaved rounds: the median of the rounds' medians (a round
    the VM slowed down, which on this 2-vCPU guest happens for a minute at a time and mostly to
    2-thread runs, then moves the figure by at most one rank), the smallest minimum and the total
    run count; the per-round medians are kept for the table's spread column."""
    results = [r for r in results if r]
    if not results:
        return None
    out = dict(results[0])
    out["median_us"] = statistics.median(r["median_us"] for r in results)
    out["min_us"] = min(r["min_us"] for r in results)
    out["runs"] = sum(r["runs"] for r in results)
    out["round_medians"] = [r["median_us"] for r in results]
    return out


def compare(got, ref):
    """(max abs err, number of elements out of tolerance, total elements)."""
    max_err, bad, total = 0.0, 0, 0
    for g, r in zip(got, ref):
        g64, r64 = g.astype(np.float64), r.astype(np.float64)
        if g64.shape != r64.shape:
            return float("inf"), -1, r64.size
        err = np.abs(g64 - r64)
        err = np.where(np.isnan(err), np.inf, err)
        max_err = max(max_err, float(err.max()) if err.size else 0.0)
        bad += int((err > ATOL + RTOL * np.abs(r64)).sum())
        total += r64.size
    return max_err, bad, total


# ---------------------------------------------------------------------------------------------

def bench_model(name, model, oc, args, workdir):
    """Builds, compiles, times and compares one model; returns a row dict."""
    d = os.path.join(workdir, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    path, in_paths, feeds = models.write(model, name, d)
    row = {"model": name}
    exe_ok = False
    print(f"[{name}] compiling ...", file=sys.stderr, flush=True)
    c = oc.compile(path, d)
    row.update(c)
    print(f"[{name}] compile {c['compile_s']:.2f} s: {'ok' if c['ok'] else c['error']}", file=sys.stderr, flush=True)
    if c["ok"]:
        out_paths = [os.path.join(d, f"out{i}.bin") for i in range(len(model.graph.output))]
        try:
            exe = oc.link(c["obj"], d)
        except RuntimeError as e:
            row["error"] = f"run failed: {e}"
        else:
            exe_ok = True
    # The four sides take turns, round after round, so a stretch of machine noise lands on all
    # of them rather than on whichever side was running then.
    sessions, rounds = {}, {k: [] for k in ("onnxc", "onnxc2", "ort1", "ort2")}
    for rnd in range(args.rounds):
        rt = core_round_trip(args)
        if rt is not None:
            row.setdefault("core_rt", []).append(rt)
        if c["ok"] and exe_ok and "error" not in row:
            part = {"model": name}
            oc.time_threads(exe, in_paths, out_paths if rnd == 0 else [], part)
            for k in ("onnxc", "onnxc2"):
                rounds[k].append(part.get(k))
            for k in ("error", "error2"):
                if k in part:
                    row.setdefault(k, part[k])
            if rnd == 0 and "onnxc" in part:
                row["onnxc_outputs"] = read_outputs(out_paths, model)
        for threads in RUN_THREADS:
            if sessions.get(threads, True) is None:
                continue  # failed in an earlier round
            print(f"[{name}] timing onnxruntime, {threads} thread(s), round {rnd + 1}/{args.rounds} ...",
                  file=sys.stderr, flush=True)
            try:
                if threads not in sessions:  # (one session per thread count, kept across rounds)
                    sessions[threads] = ort_session(path, threads)
                rounds[f"ort{threads}"].append(time_ort(path, feeds, threads, args, sessions[threads]))
            except Exception as e:  # noqa: BLE001 - a bench bug or an ORT limitation, report it
                sessions[threads] = None
                row.setdefault("error", f"onnxruntime failed: {first_lines(str(e), 2)}")
    for k, results in rounds.items():
        merged = merge_rounds(results)
        if merged or k.startswith("ort"):
            row[k] = merged
    if "onnxc_outputs" in row and row.get("ort1"):
        row["max_err"], row["bad"], row["total"] = compare(row["onnxc_outputs"], row["ort1"]["outputs"])
    return row


def fmt_us(t):
    if not t:
        return "-"
    v = t["median_us"]
    if v < 10:
        return f"{v:.3f}"
    return f"{v:,.1f}" if v < 1000 else f"{v:,.0f}"


def fmt_ratio(ort_t, oc_t):
    if not ort_t or not oc_t:
        return "-"
    return f"{ort_t['median_us'] / oc_t['median_us']:.3g}"


def fmt_onnxc2(r):
    """The onnxc 2-thread cell: the time, or the error of that run."""
    if r.get("error2"):
        return "**" + r["error2"].replace("|", "\\|") + "**"
    return fmt_us(r.get("onnxc2"))


def fmt_int(v):
    return "n/a" if v is None else f"{v:,}"


def model_table(rows):
    head = ("| model | compile s | onnxc µs 1 thr | ORT µs 1 thr | ORT/onnxc 1 thr | onnxc µs 2 thr | ORT µs 2 thr | "
            "ORT/onnxc 2 thr | workspace B | workspace lower bound B | object B | text+data B | "
            "max abs err vs ORT | agree | timed runs onnxc1/onnxc2/ORT1/ORT2 |")
    lines = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    notes = []

    def runs(r):
        return "/".join(str(r[k]["runs"]) if r.get(k) else "-" for k in ("onnxc", "onnxc2", "ort1", "ort2"))

    for r in rows:
        if r.get("ok") and "onnxc" in r:
            if r.get("bad") is None:
                agree = "-"
            elif r["bad"] == 0:
                agree = "yes"
            elif r["bad"] < 0:
                agree = "NO (shape)"
            else:
                agree = f"NO ({r['bad']}/{r['total']})"
            lines.append(f"| {r['model']} | {r['compile_s']:.2f} | {fmt_us(r['onnxc'])} | {fmt_us(r.get('ort1'))} | "
                         f"{fmt_ratio(r.get('ort1'), r['onnxc'])} | {fmt_onnxc2(r)} | {fmt_us(r.get('ort2'))} | "
                         f"{fmt_ratio(r.get('ort2'), r.get('onnxc2'))} | {fmt_int(r['workspace'])} | "
                         f"{fmt_int(r['lower_bound'])} | {fmt_int(r['obj_bytes'])} | {fmt_int(r['text_data'])} | "
                         f"{r.get('max_err', float('nan')):.3g} | {agree} | {runs(r)} |")
        else:
            err = r.get("error", "?").replace("|", "\\|")
            if r.get("ok"):  # compiled, but the run failed
                cells = [f"{r['compile_s']:.2f}", f"**{err}**", fmt_us(r.get("ort1")), "-", "-", fmt_us(r.get("ort2")),
                         "-", fmt_int(r.get("workspace")), fmt_int(r.get("lower_bound")), fmt_int(r.get("obj_bytes")),
                         fmt_int(r.get("text_data")), "-", "-", runs(r)]
            else:
                cells = [f"{r['compile_s']:.2f}", f"**{err}**", fmt_us(r.get("ort1")), "-", "-", fmt_us(r.get("ort2")),
                         "-", "-", "-", "-", "-", "-", "-", runs(r)]
            lines.append(f"| {r['model']} | " + " | ".join(cells) + " |")
            if r.get("stderr"):
                notes.append((r["model"], r["cmd"], r["stderr"].strip()))
    return "\n".join(lines), notes


_core_latency_exe = []


def core_round_trip(args):
    """bench/core_latency.c's CPU 0 <-> CPU 1 cache-line round trip in ns (None: unavailable).
    Recorded before every round: on the VMs these benches ran on, minutes-long stretches at
    350-400 ns came with slow 2-thread runs on both sides."""
    if not _core_latency_exe:
        exe = os.path.join(args.workdir, "core_latency")
        r = sh([os.environ.get("CC", "cc"), "-O2", "-pthread", os.path.join(HERE, "core_latency.c"), "-o", exe])
        _core_latency_exe.append(exe if r.returncode == 0 else None)
    if not _core_latency_exe[0]:
        return None
    try:
        r = sh([_core_latency_exe[0]], timeout=30)
    except subprocess.TimeoutExpired:
        return None
    m = re.search(r"round_trip_ns=([\d.]+)", r.stdout)
    return float(m[1]) if m else None


# ---------------------------------------------------------------------------------------------
# GEMM microbenchmark

def run_gemm(oc, args, workdir):
    exe = os.path.join(workdir, "gemm_bench")
    r = sh([args.cxx, "-O2", "-std=c++17", os.path.join(HERE, "gemm_bench.cpp"), "-o", exe])
    if r.returncode != 0:
        sys.exit(f"run_bench: cannot compile bench/gemm_bench.cpp:\n{r.stderr}")
    print("[gemm] measuring FMA peak and the naive loop ...", file=sys.stderr, flush=True)
    r = sh([exe, "--min-time-s", str(args.min_time_s / 2)] + [f"{m}x{k}x{n}" for m, k, n in GEMM_SHAPES],
           timeout=args.run_timeout)
    if r.returncode != 0:
        sys.exit(f"run_bench: gemm_bench failed: {r.stderr}")
    peaks = {m[1]: float(m[2]) for m in re.finditer(r"peak isa=(\S+) gflops=([\d.]+)", r.stdout)}
    naive = {(int(m[1]), int(m[2]), int(m[3])): float(m[4])
             for m in re.finditer(r"naive m=(\d+) k=(\d+) n=(\d+) runs=\d+ median_us=[\d.]+ gflops=([\d.]+)", r.stdout)}
    peak_isa = max(peaks, key=peaks.get) if peaks else None
    peak = peaks.get(peak_isa)
    rows = []
    for (m, k, n) in GEMM_SHAPES:
        name = f"matmul_{m}x{k}x{n}"
        row = bench_model_gemm(name, models.gemm_model(m, k, n), oc, args, workdir)
        flop = 2.0 * m * k * n
        row["flop"] = flop
        row["naive_gflops"] = naive.get((m, k, n))
        rows.append(row)
    return peaks, peak_isa, peak, rows


def bench_model_gemm(name, model, oc, args, workdir):
    d = os.path.join(workdir, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    path, in_paths, feeds = models.write(model, name, d)
    row = {"model": name}
    print(f"[{name}] compiling + timing ...", file=sys.stderr, flush=True)
    c = oc.compile(path, d)
    row.update(c)
    if c["ok"]:
        out_paths = [os.path.join(d, "out0.bin")]
        try:
            exe = oc.link(c["obj"], d)
        except RuntimeError as e:
            row["error"] = f"run failed: {e}"
        else:
            oc.time_threads(exe, in_paths, out_paths, row)
            if "onnxc" in row:
                got = read_outputs(out_paths, model)
    try:
        row["ort1"] = time_ort(path, feeds, 1, args)
    except Exception as e:  # noqa: BLE001
        row["ort1"] = None
        row.setdefault("error", f"onnxruntime failed: {first_lines(str(e), 2)}")
    if "onnxc" in row and row.get("ort1"):
        row["max_err"], row["bad"], row["total"] = compare(got, row["ort1"]["outputs"])
    return row


def gemm_table(peaks, peak_isa, peak, rows):
    def gf(row, key):
        t = row.get(key)
        return row["flop"] / (t["median_us"] * 1e3) if t else None

    head = ("| shape MxKxN | onnxc µs 1 thr | onnxc GFLOP/s 1 thr | % of peak | onnxc GFLOP/s 2 thr | "
            "naive C GFLOP/s | ORT 1 thr GFLOP/s | compile s | max abs err vs ORT | agree |")
    lines = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    for r in rows:
        shape = r["model"].split("_", 1)[1]
        g = gf(r, "onnxc")
        g2 = gf(r, "onnxc2")
        go = gf(r, "ort1")
        naive = r.get("naive_gflops")
        if g is None:
            err = r.get("error", "?").replace("|", "\\|")
            lines.append(f"| {shape} | **{err}** | - | - | - | {naive if naive is not None else '-'} | "
                         f"{f'{go:.1f}' if go else '-'} | {r['compile_s']:.2f} | - | - |")
            continue
        g2_cell = f"{g2:.2f}" if g2 is not None else fmt_onnxc2(r)
        agree = "yes" if r.get("bad") == 0 else ("-" if r.get("bad") is None else f"NO ({r['bad']}/{r['total']})")
        pct = f"{100 * g / peak:.1f}%" if peak else "-"
        lines.append(f"| {shape} | {fmt_us(r['onnxc'])} | {g:.2f} | {pct} | {g2_cell} | "
                     f"{f'{naive:.2f}' if naive is not None else '-'} | {f'{go:.1f}' if go else '-'} | "
                     f"{r['compile_s']:.2f} | {r.get('max_err', float('nan')):.3g} | {agree} |")
    peak_line = "Single-core f32 FMA peak measured in this run: " + ", ".join(
        f"{isa} {v:.1f} GFLOP/s" for isa, v in peaks.items()) + (f" (percentages use {peak_isa})" if peak_isa else "")
    return "\n".join(lines), peak_line


def busy(load_before, load_after):
    """Whether something else ran: the 1-minute load before the run, or after it beyond the
    one busy core the bench itself keeps (its 2-thread runs add a second briefly)."""
    return load_before[0] > 0.5 or load_after[0] > 1.5


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnxc", default=os.path.join(ROOT, "build", "bin", "onnxc"))
    ap.add_argument("--rt", default=os.path.join(ROOT, "build", "lib", "libonnxc_rt.a"))
    ap.add_argument("--include", default=os.path.join(ROOT, "runtime-lite", "include"))
    ap.add_argument("--cxx", default=os.environ.get("CXX", "c++"))
    ap.add_argument("--workdir", default="/tmp/onnxc-bench")
    ap.add_argument("--models", default="",
                    help="comma-separated subset of: " + ",".join(models.MODELS) +
                         "; or of the other families (not run by default): " + ",".join(models.EXTRA_MODELS))
    ap.add_argument("--bert-layers", type=int, default=2)
    ap.add_argument("--onnxc-threads", type=int, default=2,
                    help="onnxc --threads N for every model (the most tasks a kernel splits into); "
                         "the driver is timed with 1 and 2 threads either way")
    ap.add_argument("--min-time-s", type=float, default=2.0, help="timed runs last at least this long")
    ap.add_argument("--min-runs", type=int, default=3, help="and are at least this many")
    ap.add_argument("--max-time-s", type=float, default=15.0,
                    help="but stop after this long (at least one timed run): caps slow models")
    ap.add_argument("--warmup-s", type=float, default=0.2, help="warm-up (at least one run)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="interleaved rounds of the four timings per model (median of the rounds' medians)")
    ap.add_argument("--compile-timeout", type=float, default=600)
    ap.add_argument("--run-timeout", type=float, default=900)
    ap.add_argument("--no-gemm", action="store_true", help="skip the GEMM microbenchmark")
    ap.add_argument("--results", default=None, help="markdown file to write (see above for the default)")
    args = ap.parse_args()

    if args.onnxc_threads < 1:
        ap.error("--onnxc-threads must be >= 1")
    for p, what in ((args.onnxc, "--onnxc"), (args.rt, "--rt")):
        if not os.path.isfile(p):
            ap.error(f"{what} {p} does not exist (build onnxc first)")
    names = [n for n in args.models.split(",") if n] or list(models.MODELS)
    known = {**models.MODELS, **models.EXTRA_MODELS}
    for n in names:
        if n not in known:
            ap.error(f"unknown model {n!r}; known: {', '.join(known)}")
    full = not args.models and not args.no_gemm
    results = args.results or (os.path.join(HERE, "RESULTS.md") if full else os.path.join(args.workdir, "RESULTS.md"))
    os.makedirs(args.workdir, exist_ok=True)

    load_before = os.getloadavg()
    started = datetime.datetime.now(datetime.timezone.utc)
    t_start = time.perf_counter()
    oc = Onnxc(args, args.workdir)
    mi = machine_info()

    # onnxruntime's per-call floor (and onnxc's, for symmetry) on a one-node model
    floor = bench_model("one_node", models.one_node_model(), oc, args, args.workdir)

    rows = []
    for n in names:
        model = models.bert(args.bert_layers) if n == "bert" else known[n]()
        rows.append(bench_model(n, model, oc, args, args.workdir))
    gemm = None if args.no_gemm else run_gemm(oc, args, args.workdir)
    load_after = os.getloadavg()
    elapsed = time.perf_counter() - t_start

    table, notes = model_table(rows)
    compile_cmd = f"onnxc model.onnx -o model.o --name model --threads {args.onnxc_threads}"
    out = []
    out.append("# onnxc benchmark results\n")
    out.append(f"- date: {started.strftime('%Y-%m-%d %H:%M UTC')}, total bench time {elapsed:.0f} s")
    out.append(f"- machine: {mi.get('cpu')}, {mi.get('cores', '?')} cores ({mi.get('cpus')} logical CPUs, "
               f"{mi.get('threads_per_core', '?')} thread/core){', ' + mi['hypervisor'] + ' VM' if mi.get('hypervisor') else ''}, "
               f"{mi.get('mem_gib', '?')} GiB; ISA: {mi.get('isa', '?')}")
    out.append(f"- software: {oc.version} (git {git_rev()}), onnx {onnx.__version__}, onnxruntime {ort.__version__} "
               f"(CPUExecutionProvider, ORT_ENABLE_ALL, sequential), numpy {np.__version__}, Python {platform.python_version()}, "
               f"{(sh([args.cxx, '--version']).stdout.splitlines() or ['?'])[0]}")
    out.append(f"- command: `{shlex.join([os.path.relpath(sys.argv[0], ROOT) if sys.argv[0].startswith(ROOT) else sys.argv[0]] + sys.argv[1:])}`"
               f" (from the repository root)")
    out.append(f"- load average (1/5/15 min) before: {' '.join(f'{x:.2f}' for x in load_before)}, after: "
               f"{' '.join(f'{x:.2f}' for x in load_after)}"
               + ("  **— the machine was busy: timings are noisy.**" if busy(load_before, load_after) else ""))
    out.append(f"- timing: {args.rounds} interleaved round(s) per model (onnxc 1 and 2 threads, ORT 1 and 2 threads, "
               f"then again), each figure the median of its rounds' medians; within a round, the median of timed runs "
               f"after warm-up (the first run plus more until {args.warmup_s:g} s); "
               f"each side runs until >= {args.min_runs} runs and >= {args.min_time_s:g} s, capped at "
               f"{args.max_time_s:g} s (at least 1 run). onnxc: C++ driver (bench/driver.cpp) calling `model_run_v_ex`, "
               f"timed twice: 1 thread (no executor, everything on the calling thread) and 2 threads (runtime-lite's "
               f"`onnxc_threadpool`, started before warm-up); every model compiled with `{compile_cmd}`. "
               f"ORT: Python API `sess.run` per call, so its times include the Python floor below; "
               f"`intra_op_num_threads` 1 and 2. Ratios: ORT / onnxc at the same thread count (> 1: onnxc is faster).")
    out.append(f"- agreement: onnxc outputs (1 thread) vs ORT (1 thread), |onnxc - ort| <= {ATOL:g} + {RTOL:g}·|ort|\n")
    fo = floor
    floor_line = (f"ORT per-call floor (one Add node on 4 floats, Python API): {fmt_us(fo.get('ort1'))} µs at 1 thread, "
                  f"{fmt_us(fo.get('ort2'))} µs at 2 threads; onnxc on the same model: "
                  f"{fmt_us(fo.get('onnxc')) if fo.get('onnxc') else fo.get('error', '?')} µs at 1 thread, "
                  f"{fmt_us(fo.get('onnxc2')) if fo.get('onnxc2') else fo.get('error2', fo.get('error', '?'))} µs at 2 threads.")
    out.append("## Models\n")
    out.append(table + "\n")
    spread = []
    for r in rows:
        sides = [(lbl, r.get(k)) for lbl, k in (("onnxc 1 thr", "onnxc"), ("ORT 1 thr", "ort1"),
                                                  ("onnxc 2 thr", "onnxc2"), ("ORT 2 thr", "ort2"))]
        cells = [f"{lbl} {' / '.join(f'{m:,.0f}' if m >= 100 else f'{m:.1f}' for m in t['round_medians'])}"
                 for lbl, t in sides if t and t.get("round_medians")]
        if r.get("core_rt"):
            cells.append("core-to-core round trip before each round (ns) "
                         + " / ".join(f"{x:.0f}" for x in r["core_rt"]))
        if cells:
            spread.append(f"- {r['model']}: " + "; ".join(cells))
    if spread:
        out.append("Each round's median (µs), in the order the rounds ran, and the core-to-core "
                   "round trip measured before each round (bench/core_latency.c; minutes-long "
                   "stretches at 350-400 ns came with slow 2-thread runs on both sides):\n")
        out.append("\n".join(spread) + "\n")
    out.append(floor_line + "\n")
    compile_lines = [f"{r['model']} {r['compile_s']:.2f} s{'' if r.get('ok') else ' (failed)'}" for r in rows]
    out.append(f"Compile times (wall clock of `{compile_cmd}`): " + ", ".join(compile_lines) + ".")
    res50 = next((r for r in rows if r["model"] == "resnet50"), None)
    if res50:
        verdict = "met" if res50.get("ok") and res50["compile_s"] < 20 else "NOT met"
        out.append(f"ResNet-50 compile-time target (< 20 s): {verdict} ({res50['compile_s']:.1f} s"
                   f"{'' if res50.get('ok') else ', compile failed'}).")
    out.append("")
    if gemm:
        peaks, peak_isa, peak, grows = gemm
        gt, peak_line = gemm_table(peaks, peak_isa, peak, grows)
        out.append("## GEMM microbenchmark (f32, X[M,K] input × W[K,N] constant)\n")
        out.append(peak_line + ". Naive C: textbook i-j-k loop, one scalar accumulator, `-O2`. "
                   "onnxc 2 thr: the same object run with a 2-thread `onnxc_threadpool` (% of peak is for 1 thread).\n")
        out.append(gt + "\n")
    if notes:
        out.append("## onnxc errors\n")
        for name, cmd, err in notes:
            out.append(f"**{name}**: `{cmd}`\n```\n{err}\n```")
    text = "\n".join(out).rstrip() + "\n"
    print(text)
    with open(results, "w") as f:
        f.write(text)
    print(f"run_bench: wrote {results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
