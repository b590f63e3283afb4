/* onnxc end-to-end harness: ONE generic driver, linked with any model object compiled with
 * `onnxc MODEL.onnx -o model.o --name model`. It knows nothing about the model except what
 * `model_info` says, so every model exercises the same code path.
 *
 *   harness --info
 *       prints model_info (one line per tensor, parsed by run_e2e.py) and exits.
 *   harness [--io-align N] [--threads N] IN0.bin IN1.bin ... -o OUT0.bin OUT1.bin ...
 *       reads the raw little-endian inputs (graph input order), runs the model, writes outputs.
 *       With --threads N > 1 the second run goes through model_run_v_ex with runtime-lite's
 *       N-thread pool, so the bit-identity check below also covers the split kernels and the
 *       parallel loops (compile the model with `onnxc --threads N`).
 *
 * Checks, each failing with a message on stderr and a non-zero exit:
 *   - model_info is self-consistent (size_bytes == prod(shape) * element size, power-of-two align);
 *   - every input file holds exactly size_bytes;
 *   - a NULL workspace (when workspace_size > 0), a misaligned workspace (ptr+1) and a NULL
 *     input/output pointer are rejected with a non-zero return code (and nothing is written);
 *   - no byte outside any output buffer or the workspace is written (guard bytes both sides);
 *   - the inputs are not modified;
 *   - two runs with different poison in outputs/workspace and differently aligned I/O buffers
 *     produce bit-identical outputs (catches unwritten output elements and reads of
 *     uninitialised workspace, and I/O alignment assumptions beyond the element size; with
 *     --threads, results that depend on how the work was split).
 * Deviations that the contract only documents (exact return codes, rejected calls writing
 * outputs) are printed as "warning:" lines; run_e2e.py reports them next to PASS.
 *
 * Exit codes: 0 ok, 1 a check failed, 2 bad usage / bad input files, 3 model_run_v failed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnxc/runtime.h"
#include "onnxc/threadpool.h"

extern const onnxc_model_info model_info;
int model_run_v(const void *const *inputs, void *const *outputs, void *workspace);
int model_run_v_ex(const void *const *inputs, void *const *outputs, void *workspace,
                   const onnxc_executor *exec);

static const onnxc_executor *g_exec; /* the pool of the threaded run, NULL otherwise */

#define GUARD_BYTES 128     /* at least this many guard bytes before and after each buffer */
#define MAX_TENSORS 256

/* A buffer inside a larger allocation whose remaining bytes hold a known pattern. `data` is
 * aligned to exactly `align` (an odd multiple of it), so code that silently assumes a larger
 * alignment is exercised too. */
typedef struct {
  unsigned char *raw; /* malloc'd block */
  size_t total;       /* bytes in raw */
  unsigned char *data;
  size_t size;
} guarded_buf;

static const char *g_step = "startup"; /* what the harness is doing, for failure messages */

static unsigned char guard_byte(size_t i) { return (unsigned char)(0xA5u ^ (unsigned)(i * 29u)); }

static void die(int code, const char *msg) {
  fprintf(stderr, "harness: %s (during %s)\n", msg, g_step);
  exit(code);
}

static void gb_alloc(guarded_buf *b, size_t size, size_t align) {
  if (align == 0) align = 1;
  b->size = size;
  b->total = GUARD_BYTES + 3 * align + size + GUARD_BYTES;
  b->raw = (unsigned char *)malloc(b->total);
  if (!b->raw) die(2, "out of memory");
  uintptr_t p = (uintptr_t)b->raw + GUARD_BYTES;
  p = (p + 2 * align - 1) / (2 * align) * (2 * align); /* multiple of 2*align ... */
  if (align > 1) p += align;                           /* ... plus align: exactly align-aligned */
  b->data = (unsigned char *)p;
  for (size_t i = 0; i < b->total; ++i) b->raw[i] = guard_byte(i);
}

static void gb_fill(guarded_buf *b, unsigned char poison) { memset(b->data, poison, b->size); }

/* Returns 0 when every byte outside [data, data+size) still holds the guard pattern. */
static int gb_check(const guarded_buf *b, const char *what, unsigned idx) {
  size_t lo = (size_t)(b->data - b->raw), hi = lo + b->size;
  for (size_t i = 0; i < b->total; ++i) {
    if (i >= lo && i < hi) continue;
    if (b->raw[i] != guard_byte(i)) {
      long off = i < lo ? -(long)(lo - i) : (long)(i - hi);
      fprintf(stderr, "harness: guard bytes of %s %u overwritten at %s offset %ld (during %s)\n", what,
              idx, i < lo ? "before-start" : "after-end", off, g_step);
      return 1;
    }
  }
  return 0;
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char v) {
  for (size_t i = 0; i < n; ++i)
    if (p[i] != v) return 0;
  return 1;
}

static void print_shape(FILE *f, const onnxc_tensor_info *t) {
  fputc('[', f);
  for (int32_t d = 0; d < t->rank; ++d) fprintf(f, "%s%lld", d ? "," : "", (long long)t->shape[d]);
  fputc(']', f);
}

/* Exits 1 unless the tensor description is self-consistent. */
static void validate_tensor(const onnxc_tensor_info *t, const char *kind, unsigned i) {
  char msg[256];
  if (!t->name) { snprintf(msg, sizeof msg, "%s %u has a NULL name", kind, i); die(1, msg); }
  size_t es = onnxc_dtype_size(t->dtype);
  if (es == 0) { snprintf(msg, sizeof msg, "%s %u (%s) has unknown dtype %d", kind, i, t->name, t->dtype); die(1, msg); }
  if (t->rank < 0 || (t->rank > 0 && !t->shape)) { snprintf(msg, sizeof msg, "%s %u (%s) has bad rank/shape", kind, i, t->name); die(1, msg); }
  uint64_t n = es;
  for (int32_t d = 0; d < t->rank; ++d) {
    if (t->shape[d] < 0) { snprintf(msg, sizeof msg, "%s %u (%s) has negative dim", kind, i, t->name); die(1, msg); }
    n *= (uint64_t)t->shape[d];
  }
  if (n != t->size_bytes) {
    snprintf(msg, sizeof msg, "%s %u (%s): size_bytes %llu != prod(shape)*%zu = %llu", kind, i, t->name,
             (unsigned long long)t->size_bytes, es, (unsigned long long)n);
    die(1, msg);
  }
}

static void validate_info(void) {
  const onnxc_model_info *m = &model_info;
  if (!m->name || strcmp(m->name, "model") != 0) die(1, "model_info.name is not \"model\" (the --name used)");
  if (m->num_inputs > MAX_TENSORS || m->num_outputs > MAX_TENSORS) die(1, "too many tensors");
  if ((m->num_inputs && !m->inputs) || (m->num_outputs && !m->outputs)) die(1, "NULL tensor table");
  if (m->num_outputs == 0) die(1, "model has no outputs");
  if (m->workspace_align & (m->workspace_align - 1)) die(1, "workspace_align is not a power of two");
  if (m->workspace_size > 0 && m->workspace_align == 0) die(1, "workspace_align is 0 but workspace_size > 0");
  for (uint32_t i = 0; i < m->num_inputs; ++i) validate_tensor(&m->inputs[i], "input", i);
  for (uint32_t i = 0; i < m->num_outputs; ++i) validate_tensor(&m->outputs[i], "output", i);
}

static void print_info(void) {
  const onnxc_model_info *m = &model_info;
  printf("model name=%s inputs=%u outputs=%u workspace_size=%llu workspace_align=%llu\n", m->name,
         m->num_inputs, m->num_outputs, (unsigned long long)m->workspace_size,
         (unsigned long long)m->workspace_align);
  for (int io = 0; io < 2; ++io) {
    uint32_t n = io ? m->num_outputs : m->num_inputs;
    const onnxc_tensor_info *ts = io ? m->outputs : m->inputs;
    for (uint32_t i = 0; i < n; ++i) {
      printf("%s %u dtype=%d shape=", io ? "output" : "input", i, ts[i].dtype);
      print_shape(stdout, &ts[i]);
      printf(" bytes=%llu name=%s\n", (unsigned long long)ts[i].size_bytes, ts[i].name); /* name last: may hold spaces */
    }
  }
}

static void read_file_exact(const char *path, unsigned char *dst, size_t n) {
  char msg[512];
  FILE *f = fopen(path, "rb");
  if (!f) { snprintf(msg, sizeof msg, "cannot open input file %s", path); die(2, msg); }
  size_t got = fread(dst, 1, n, f);
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (got != n || extra) {
    snprintf(msg, sizeof msg, "input file %s does not hold exactly %zu bytes", path, n);
    die(2, msg);
  }
}

static void write_file(const char *path, const unsigned char *src, size_t n) {
  char msg[512];
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(src, 1, n, f) != n || fclose(f) != 0) {
    snprintf(msg, sizeof msg, "cannot write output file %s", path);
    die(2, msg);
  }
}

/* --- state shared by the runs ---------------------------------------------------------------- */
static uint32_t n_in, n_out;
static guarded_buf in_buf[MAX_TENSORS], out_buf[MAX_TENSORS], ws_buf;
static unsigned char *in_pristine[MAX_TENSORS]; /* full allocation copy: data and guards */
static const void *in_ptr[MAX_TENSORS];
static void *out_ptr[MAX_TENSORS];
static int failures, warnings;

static void warn(const char *msg) {
  fprintf(stderr, "warning: %s\n", msg);
  warnings++;
}

/* Places the inputs (copied from `src`, or left for the files) into fresh buffers aligned to
 * `io_align` (0: each tensor's element size, i.e. natural C alignment) and fresh outputs. */
static void alloc_io(size_t io_align, const unsigned char *const *src) {
  for (uint32_t i = 0; i < n_in; ++i) {
    guarded_buf nb;
    gb_alloc(&nb, model_info.inputs[i].size_bytes, io_align ? io_align : onnxc_dtype_size(model_info.inputs[i].dtype));
    if (src) memcpy(nb.data, src[i], nb.size);
    if (in_buf[i].raw) free(in_buf[i].raw);
    free(in_pristine[i]);
    in_buf[i] = nb;
    in_ptr[i] = nb.data;
    in_pristine[i] = NULL;
  }
  for (uint32_t i = 0; i < n_out; ++i) {
    if (out_buf[i].raw) free(out_buf[i].raw);
    gb_alloc(&out_buf[i], model_info.outputs[i].size_bytes,
             io_align ? io_align : onnxc_dtype_size(model_info.outputs[i].dtype));
    out_ptr[i] = out_buf[i].data;
  }
}

static void snapshot_inputs(void) {
  for (uint32_t i = 0; i < n_in; ++i) {
    in_pristine[i] = (unsigned char *)malloc(in_buf[i].total);
    if (!in_pristine[i]) die(2, "out of memory");
    memcpy(in_pristine[i], in_buf[i].raw, in_buf[i].total);
  }
}

/* Guards intact and inputs unchanged after any call. */
static void check_after_call(void) {
  for (uint32_t i = 0; i < n_out; ++i) failures += gb_check(&out_buf[i], "output", i);
  if (ws_buf.raw) failures += gb_check(&ws_buf, "workspace", 0);
  for (uint32_t i = 0; i < n_in; ++i)
    if (memcmp(in_pristine[i], in_buf[i].raw, in_buf[i].total) != 0) {
      fprintf(stderr, "harness: input %u (%s) or its guard bytes were modified (during %s)\n", i,
              model_info.inputs[i].name, g_step);
      failures++;
    }
  if (failures) exit(1);
}

/* A call the model must reject: non-zero return, no output written. */
static void expect_rejected(const char *what, const void *const *ins, void *const *outs, void *ws,
                            int documented_code, const char *code_name) {
  char msg[256];
  g_step = what;
  for (uint32_t i = 0; i < n_out; ++i) gb_fill(&out_buf[i], 0xEE);
  int rc = model_run_v(ins, outs, ws);
  check_after_call();
  if (rc == 0) {
    fprintf(stderr, "harness: model_run_v accepted %s (returned 0)\n", what);
    exit(1);
  }
  if (rc != documented_code) {
    snprintf(msg, sizeof msg, "%s returned %d; runtime.h documents %s=%d", what, rc, code_name, documented_code);
    warn(msg);
  }
  for (uint32_t i = 0; i < n_out; ++i)
    if (!all_bytes(out_buf[i].data, out_buf[i].size, 0xEE)) {
      snprintf(msg, sizeof msg, "%s was rejected but wrote output %u", what, i);
      warn(msg);
    }
}

/* One real run: outputs and workspace interior poisoned with `poison`. */
static void real_run(const char *what, unsigned char poison, int null_ws_if_empty) {
  g_step = what;
  for (uint32_t i = 0; i < n_out; ++i) gb_fill(&out_buf[i], poison);
  gb_fill(&ws_buf, poison);
  void *ws = ws_buf.data;
  if (model_info.workspace_size == 0 && null_ws_if_empty) ws = NULL; /* allowed when size is 0 */
  fprintf(stderr, "harness: %s\n", what); /* context if the model crashes */
  int rc = g_exec ? model_run_v_ex(in_ptr, out_ptr, ws, g_exec) : model_run_v(in_ptr, out_ptr, ws);
  if (rc != 0) {
    fprintf(stderr, "harness: model_run_v returned %d (during %s)\n", rc, what);
    exit(3);
  }
  check_after_call();
}

static void usage(void) {
  fprintf(stderr, "usage: harness --info\n"
                  "       harness [--io-align N] [--threads N] IN0.bin ... -o OUT0.bin ...\n");
  exit(2);
}

int main(int argc, char **argv) {
  const char *in_paths[MAX_TENSORS], *out_paths[MAX_TENSORS];
  uint32_t n_in_paths = 0, n_out_paths = 0;
  size_t io_align = 0; /* 0: element size (natural alignment) for the second run */
  int info = 0, after_o = 0, threads = 1;
  for (int a = 1; a < argc; ++a) {
    if (!strcmp(argv[a], "--info")) info = 1;
    else if (!strcmp(argv[a], "--io-align") && a + 1 < argc) io_align = (size_t)strtoul(argv[++a], NULL, 10);
    else if (!strcmp(argv[a], "--threads") && a + 1 < argc) threads = atoi(argv[++a]);
    else if (!strcmp(argv[a], "-o")) after_o = 1;
    else if (argv[a][0] == '-' && argv[a][1] == '-') usage();
    else if (after_o) { if (n_out_paths == MAX_TENSORS) usage(); out_paths[n_out_paths++] = argv[a]; }
    else { if (n_in_paths == MAX_TENSORS) usage(); in_paths[n_in_paths++] = argv[a]; }
  }
  g_step = "validating model_info";
  validate_info();
  if (info) { print_info(); return 0; }
  n_in = model_info.num_inputs;
  n_out = model_info.num_outputs;
  if (n_in_paths != n_in || n_out_paths != n_out) {
    fprintf(stderr, "harness: model has %u inputs and %u outputs; got %u input and %u output files\n", n_in,
            n_out, n_in_paths, n_out_paths);
    return 2;
  }

  /* Run 1 buffers: 64-byte aligned I/O; workspace aligned to exactly workspace_align. */
  g_step = "reading inputs";
  alloc_io(64, NULL);
  for (uint32_t i = 0; i < n_in; ++i) read_file_exact(in_paths[i], in_buf[i].data, in_buf[i].size);
  snapshot_inputs();
  gb_alloc(&ws_buf, model_info.workspace_size, model_info.workspace_align);

  /* Calls that must be rejected before anything is computed. */
  if (model_info.workspace_size > 0) {
    expect_rejected("call with NULL workspace", in_ptr, out_ptr, NULL, ONNXC_ERR_NULL_WORKSPACE,
                    "ONNXC_ERR_NULL_WORKSPACE");
    if (model_info.workspace_align > 1)
      expect_rejected("call with misaligned workspace (ptr+1)", in_ptr, out_ptr, ws_buf.data + 1,
                      ONNXC_ERR_MISALIGNED_WORKSPACE, "ONNXC_ERR_MISALIGNED_WORKSPACE");
  }
  const void *ins_null[MAX_TENSORS + 1];
  void *outs_null[MAX_TENSORS + 1];
  if (n_in > 0) {
    memcpy(ins_null, in_ptr, n_in * sizeof *in_ptr);
    ins_null[0] = NULL;
    expect_rejected("call with NULL input 0", ins_null, out_ptr, ws_buf.data, ONNXC_ERR_NULL_TENSOR,
                    "ONNXC_ERR_NULL_TENSOR");
  }
  memcpy(outs_null, out_ptr, n_out * sizeof *out_ptr);
  outs_null[0] = NULL;
  expect_rejected("call with NULL output 0", in_ptr, outs_null, ws_buf.data, ONNXC_ERR_NULL_TENSOR,
                  "ONNXC_ERR_NULL_TENSOR");

  /* Run 1: outputs/workspace poisoned with 0xFF (NaN as float); this result is written out. */
  real_run("run 1 (64-byte aligned I/O, poison 0xFF)", 0xFF, 1);
  unsigned char *result[MAX_TENSORS];
  for (uint32_t i = 0; i < n_out; ++i) {
    result[i] = (unsigned char *)malloc(out_buf[i].size + 1);
    if (!result[i]) die(2, "out of memory");
    memcpy(result[i], out_buf[i].data, out_buf[i].size);
  }

  /* Run 2: fresh I/O buffers at natural (element) alignment, different poison. */
  const unsigned char *prev[MAX_TENSORS];
  unsigned char *keep[MAX_TENSORS];
  for (uint32_t i = 0; i < n_in; ++i) {
    keep[i] = (unsigned char *)malloc(in_buf[i].size + 1);
    if (!keep[i]) die(2, "out of memory");
    memcpy(keep[i], in_buf[i].data, in_buf[i].size);
    prev[i] = keep[i];
  }
  alloc_io(io_align, prev);
  snapshot_inputs();
  char what2[128];
  if (io_align) snprintf(what2, sizeof what2, "run 2 (%zu-byte aligned I/O, poison 0x00", io_align);
  else snprintf(what2, sizeof what2, "run 2 (element-size aligned I/O, poison 0x00");
  onnxc_threadpool pool;
  if (threads > 1) {
    if (onnxc_threadpool_init(&pool, threads) != 0) die(2, "cannot start the thread pool");
    g_exec = &pool.executor;
    snprintf(what2 + strlen(what2), sizeof what2 - strlen(what2), ", %d threads)", threads);
  } else {
    strcat(what2, ")");
  }
  real_run(what2, 0x00, 0);
  if (g_exec) {
    onnxc_threadpool_destroy(&pool);
    g_exec = NULL;
  }
  for (uint32_t i = 0; i < n_out; ++i)
    if (memcmp(result[i], out_buf[i].data, out_buf[i].size) != 0) {
      fprintf(stderr,
              "harness: output %u (%s) differs between run 1 and run 2: the model leaves output "
              "elements unwritten, reads uninitialised workspace, or depends on buffer alignment "
              "or (with --threads) on how its work was split\n",
              i, model_info.outputs[i].name);
      return 1;
    }

  g_step = "writing outputs";
  for (uint32_t i = 0; i < n_out; ++i) write_file(out_paths[i], result[i], out_buf[i].size);
  /* Freed so the harness is leak-free when the sanitizer build instruments it. */
  for (uint32_t i = 0; i < n_out; ++i) free(result[i]);
  for (uint32_t i = 0; i < n_in; ++i) free(keep[i]);
  fprintf(stderr, "harness: ok (%d warnings)\n", warnings);
  return 0;
}
