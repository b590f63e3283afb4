// onnxc benchmark driver: one generic timing loop, linked with any model object compiled with
// `onnxc MODEL.onnx -o model.o --name model [--threads N]` and runtime-lite (libonnxc_rt.a);
// link with -pthread.
//
//   driver --info
//       prints model_info (inputs, outputs, workspace size/alignment) and exits.
//   driver [--threads N] [--warmup-s S] [--min-runs N] [--min-time-s S] [--max-time-s S]
//          [--max-runs N] IN0.bin IN1.bin ... [-o OUT0.bin OUT1.bin ...]
//       reads the raw little-endian inputs (graph input order), runs the model once and writes
//       the outputs; that run is the warm-up, followed by more untimed runs until --warmup-s
//       seconds (default 0.2) have passed since it started. Then times single runs with
//       std::chrono::steady_clock until at least --min-runs runs (3) AND --min-time-s seconds
//       (2) have passed, or --max-runs runs (100000), or --max-time-s seconds (15; caps slow
//       models, at least one timed run). Prints one line:
//         runs=N median_us=X min_us=X mean_us=X max_us=X workspace_bytes=N threads=N
//
//   --threads N (default 1): every run calls model_run_v_ex. With N > 1 the driver starts
//       runtime-lite's onnxc_threadpool with N threads (the caller and N - 1 workers) before
//       the first run and passes &pool.executor; the model splits its large kernels into at
//       most min(N, the --threads it was compiled with) tasks. With N = 1 it passes NULL: no
//       threads are started and everything runs on the calling thread (same as model_run_v).
//
// Exit codes: 0 ok, 2 bad usage / input files, 3 model_run_v_ex failed, 4 cannot start the
// thread pool.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "onnxc/runtime.h"
#include "onnxc/threadpool.h"

extern "C" {
extern const onnxc_model_info model_info;
int model_run_v_ex(const void *const *inputs, void *const *outputs, void *workspace, const onnxc_executor *exec);
}

namespace {

[[noreturn]] void die(int code, const std::string &msg) {
  std::fprintf(stderr, "driver: %s\n", msg.c_str());
  std::exit(code);
}

void *aligned_buffer(size_t size, size_t align) {
  if (align < alignof(std::max_align_t)) align = alignof(std::max_align_t);
  size_t rounded = (std::max<size_t>(size, 1) + align - 1) / align * align;
  void *p = std::aligned_alloc(align, rounded);
  if (!p) die(2, "out of memory allocating " + std::to_string(rounded) + " bytes");
  std::memset(p, 0, rounded);  // touch every page before timing
  return p;
}

void print_shape(const onnxc_tensor_info &t) {
  std::printf("[");
  for (int32_t d = 0; d < t.rank; ++d) std::printf(d ? ",%lld" : "%lld", (long long)t.shape[d]);
  std::printf("]");
}

void print_info() {
  const onnxc_model_info &m = model_info;
  std::printf("model name=%s inputs=%u outputs=%u workspace_size=%llu workspace_align=%llu\n", m.name,
              m.num_inputs, m.num_outputs, (unsigned long long)m.workspace_size,
              (unsigned long long)m.workspace_align);
  for (int io = 0; io < 2; ++io) {
    const onnxc_tensor_info *ts = io ? m.outputs : m.inputs;
    uint32_t n = io ? m.num_outputs : m.num_inputs;
    for (uint32_t i = 0; i < n; ++i) {
      std::printf("%s %u dtype=%s shape=", io ? "output" : "input", i, onnxc_dtype_name(ts[i].dtype));
      print_shape(ts[i]);
      std::printf(" bytes=%llu name=%s\n", (unsigned long long)ts[i].size_bytes, ts[i].name);
    }
  }
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char **argv) {
  double warmup_s = 0.2, min_time_s = 2.0, max_time_s = 15.0;
  long min_runs = 3, max_runs = 100000;
  long threads = 1;
  std::vector<std::string> in_files, out_files;
  bool outputs_mode = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> const char * {
      if (i + 1 >= argc) die(2, "missing value after " + a);
      return argv[++i];
    };
    if (a == "--info") {
      print_info();
      return 0;
    } else if (a == "--warmup-s") {
      warmup_s = std::atof(next());
    } else if (a == "--min-time-s") {
      min_time_s = std::atof(next());
    } else if (a == "--max-time-s") {
      max_time_s = std::atof(next());
    } else if (a == "--min-runs") {
      min_runs = std::atol(next());
    } else if (a == "--max-runs") {
      max_runs = std::atol(next());
    } else if (a == "--threads") {
      threads = std::atol(next());
    } else if (a == "-o") {
      outputs_mode = true;
    } else if (!a.empty() && a[0] == '-') {
      die(2, "unknown option " + a);
    } else {
      (outputs_mode ? out_files : in_files).push_back(a);
    }
  }
  const onnxc_model_info &m = model_info;
  if (in_files.size() != m.num_inputs)
    die(2, "model has " + std::to_string(m.num_inputs) + " inputs, got " + std::to_string(in_files.size()) + " files");
  if (!out_files.empty() && out_files.size() != m.num_outputs)
    die(2, "model has " + std::to_string(m.num_outputs) + " outputs, got " + std::to_string(out_files.size()) + " -o files");
  if (min_runs < 1) min_runs = 1;
  if (max_runs < min_runs) max_runs = min_runs;
  if (threads < 1 || threads > ONNXC_THREADPOOL_MAX_THREADS + 1)
    die(2, "--threads must be in [1, " + std::to_string(ONNXC_THREADPOOL_MAX_THREADS + 1) + "]");

  std::vector<void *> ins(m.num_inputs), outs(m.num_outputs);
  for (uint32_t i = 0; i < m.num_inputs; ++i) {
    const onnxc_tensor_info &t = m.inputs[i];
    ins[i] = aligned_buffer(t.size_bytes, 64);
    FILE *f = std::fopen(in_files[i].c_str(), "rb");
    if (!f) die(2, "cannot open " + in_files[i]);
    size_t got = std::fread(ins[i], 1, t.size_bytes, f);
    int extra = std::fgetc(f);
    std::fclose(f);
    if (got != t.size_bytes || extra != EOF)
      die(2, in_files[i] + ": expected exactly " + std::to_string(t.size_bytes) + " bytes for input '" + t.name + "'");
  }
  for (uint32_t i = 0; i < m.num_outputs; ++i) outs[i] = aligned_buffer(m.outputs[i].size_bytes, 64);
  void *ws = aligned_buffer(m.workspace_size, m.workspace_align ? m.workspace_align : 64);

  // Threads: started before the first run, so thread creation is not part of any run.
  onnxc_threadpool pool;
  const onnxc_executor *exec = nullptr;
  if (threads > 1) {
    int err = onnxc_threadpool_init(&pool, (int32_t)threads);
    if (err != 0) die(4, "onnxc_threadpool_init(" + std::to_string(threads) + ") failed: " + std::strerror(err));
    exec = &pool.executor;
  }

  auto run_once = [&]() {
    int rc = model_run_v_ex(ins.data(), outs.data(), ws, exec);
    if (rc != ONNXC_OK) die(3, "model_run_v_ex returned " + std::to_string(rc));
  };

  // First run: the outputs for the agreement check, and the start of the warm-up.
  auto t0 = std::chrono::steady_clock::now();
  run_once();
  for (size_t i = 0; i < out_files.size(); ++i) {
    FILE *f = std::fopen(out_files[i].c_str(), "wb");
    if (!f || std::fwrite(outs[i], 1, m.outputs[i].size_bytes, f) != m.outputs[i].size_bytes)
      die(2, "cannot write " + out_files[i]);
    std::fclose(f);
  }

  // Warm-up: more untimed runs until warmup_s seconds since the first run started.
  while (seconds_since(t0) < warmup_s) run_once();

  std::vector<double> us;
  us.reserve(std::min<long>(max_runs, 1 << 20));
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    long n = (long)us.size();
    double t = seconds_since(start);
    if (n >= max_runs || (n >= min_runs && t >= min_time_s) || (n >= 1 && t >= max_time_s)) break;
    auto a = std::chrono::steady_clock::now();
    run_once();
    auto b = std::chrono::steady_clock::now();
    us.push_back(std::chrono::duration<double, std::micro>(b - a).count());
  }
  double mean = 0;
  for (double v : us) mean += v;
  mean /= us.size();
  std::vector<double> sorted = us;
  std::sort(sorted.begin(), sorted.end());
  size_t n = sorted.size();
  double median = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  std::printf("runs=%zu median_us=%.3f min_us=%.3f mean_us=%.3f max_us=%.3f workspace_bytes=%llu threads=%ld\n", n,
              median, sorted.front(), mean, sorted.back(), (unsigned long long)m.workspace_size, threads);
  if (exec) onnxc_threadpool_destroy(&pool);
  for (void *p : ins) std::free(p);
  for (void *p : outs) std::free(p);
  std::free(ws);
  return 0;
}
