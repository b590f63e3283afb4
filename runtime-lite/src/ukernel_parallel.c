/* onnxc runtime-lite: splitting the microkernels into executor tasks (onnxc/ukernel_mt.h).
 *
 * ISA-independent: each public _mt_<isa> entry point (defined beside its kernels by
 * ukernel_driver.h, so linking one ISA's entry points never pulls in another ISA's kernels)
 * passes its serial kernel and register blocking here, and one task function per kernel kind
 * computes its slice. Slices follow
 * the packed layouts (whole MR/NR panels), so a packed operand is offset, never repacked. */
#include "ukernel_split.h"

/* Below these many multiply-adds a kernel runs on the caller. Handing a task to a spinning
 * worker costs about a microsecond (2^17 MACs take about 1 us on one core at 80 GFLOP/s, a
 * quarter of that on a core with two 512-bit FMA pipes). A GEMM split along packed panels
 * shares everything else, so it splits early. A convolution split by output channels packs its
 * own copy of any im2col input per task: 2^18 lets DS-CNN's 512k-MAC pointwise and 320k-MAC
 * first convolutions split, and 2^15 its 72k-MAC depthwise layers, which took the model at 2
 * threads from 35.7 to 27.5 us on Zen 5 (MobileNetV2 unchanged). On an earlier Intel VM the
 * 2^20 this replaced was chosen because two tasks there took longer than one on those
 * pointwise layers. */
#define ONNXC_UK_MIN_PARALLEL_MACS_GEMM ((int64_t)1 << 17)
#define ONNXC_UK_MIN_PARALLEL_MACS_CONV ((int64_t)1 << 18)
#define ONNXC_UK_MIN_PARALLEL_MACS_DW ((int64_t)1 << 15)

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

/* Task t's share of `units` split in chunks: its first unit, and how many (0: none). */
static int64_t task_slice(int64_t t, int64_t chunk, int64_t units, int64_t *start) {
  *start = t * chunk;
  return units - *start < chunk ? units - *start : chunk;
}

static int64_t task_count(const onnxc_executor *exec, int64_t max_tasks, int64_t macs,
                          int64_t min_macs, int64_t units) {
  int64_t tasks = exec && exec->parallel_for ? exec->num_threads : 1;
  if (tasks > max_tasks)
    tasks = max_tasks;
  if (tasks > units)
    tasks = units;
  if (macs < min_macs)
    tasks = 1;
  return tasks < 1 ? 1 : tasks;
}

/* ---- sgemm ---- */

typedef struct {
  uk_sgemm_fn kernel;
  int64_t mr, nr, M, N, K, rsA, csA, a_packed, rsB, csB, b_packed, rsC, bias_kind, accumulate;
  const float *a, *b, *bias;
  float *c, *scratch, lo, hi;
  int64_t scratch_floats, split_n, chunk;
} sgemm_job;

static void sgemm_task(void *ctx, int64_t t) {
  const sgemm_job *j = (const sgemm_job *)ctx;
  int64_t start, count = task_slice(t, j->chunk, j->split_n ? j->N : j->M, &start);
  if (count <= 0)
    return;
  const float *a = j->a, *b = j->b, *bias = j->bias;
  float *c = j->c;
  int64_t M = j->M, N = j->N;
  if (j->split_n) {
    b += j->b_packed ? (start / j->nr) * j->K * j->nr : start * j->csB;
    c += start;
    if (bias && j->bias_kind == 1)
      bias += start;
    N = count;
  } else {
    a += j->a_packed ? (start / j->mr) * j->K * j->mr : start * j->rsA;
    c += start * j->rsC;
    if (bias && j->bias_kind == 2)
      bias += start;
    M = count;
  }
  j->kernel(M, N, j->K, a, j->rsA, j->csA, j->a_packed, b, j->rsB, j->csB, j->b_packed, c, j->rsC,
            bias, j->bias_kind, j->lo, j->hi, j->accumulate,
            j->scratch ? j->scratch + t * j->scratch_floats : j->scratch);
}

void onnxc_uk_split_sgemm(uk_sgemm_fn kernel, int64_t mr, int64_t nr, int64_t M, int64_t N, int64_t K,
                     const float *a, int64_t rsA, int64_t csA, int64_t a_packed, const float *b,
                     int64_t rsB, int64_t csB, int64_t b_packed, float *c, int64_t rsC,
                     const float *bias, int64_t bias_kind, float lo, float hi, int64_t accumulate,
                     float *scratch, const onnxc_executor *exec, int64_t max_tasks,
                     int64_t scratch_floats) {
  int64_t n_panels = ceil_div(N, nr), m_panels = ceil_div(M, mr);
  int64_t split_n = n_panels >= max_tasks || n_panels >= m_panels;
  int64_t tasks = task_count(exec, max_tasks, M * N * K, ONNXC_UK_MIN_PARALLEL_MACS_GEMM,
                             split_n ? n_panels : m_panels);
  if (tasks == 1) {
    kernel(M, N, K, a, rsA, csA, a_packed, b, rsB, csB, b_packed, c, rsC, bias, bias_kind, lo, hi,
           accumulate, scratch);
    return;
  }
  sgemm_job j = {kernel, mr, nr, M, N, K, rsA, csA, a_packed, rsB, csB, b_packed, rsC, bias_kind,
                 accumulate, a, b, bias, c, scratch, lo, hi, scratch_floats, split_n, 0};
  j.chunk = split_n ? ceil_div(n_panels, tasks) * nr : ceil_div(m_panels, tasks) * mr;
  exec->parallel_for(exec->self, tasks, sgemm_task, &j);
}

/* ---- sconv2d: output pixels or output channels (groups == 1), or whole groups ----
 * Each task of a split by output channels packs the whole im2col input again, and few channels
 * (ResNet's 64: five 14-row panels) split unevenly; a split by pixels packs each column once
 * and reads the (smaller) weights twice instead. Pixels are split when they have at least as
 * many panels as the channels: the early, wide layers. With pixels as the GEMM's rows
 * (onnxc_uk_conv_pixel_rows) pixel panels are MR wide and the weights' panels NR. */

typedef struct {
  uk_sconv2d_cols_fn cols_kernel;
  int64_t split_cols, pixel_rows, mr, nr, N, C, H, W, F, OH, OW, groups, KH, KW, sH, sW, dH, dW;
  int64_t padT, padL, accumulate;
  const float *input, *weights, *bias;
  float *output, *scratch, lo, hi;
  int64_t scratch_floats, chunk;
} sconv2d_job;

static void sconv2d_task(void *ctx, int64_t t) {
  const sconv2d_job *j = (const sconv2d_job *)ctx;
  int64_t plane = j->OH * j->OW;
  int64_t units = j->split_cols ? plane : j->groups == 1 ? j->F : j->groups;
  int64_t start, count = task_slice(t, j->chunk, units, &start);
  if (count <= 0)
    return;
  int64_t cg = j->C / j->groups, fg = j->F / j->groups, k = cg * j->KH * j->KW;
  float *scratch = j->scratch ? j->scratch + t * j->scratch_floats : j->scratch;
  /* rows of the weights' packed panels: output channels per panel */
  int64_t fr = j->pixel_rows ? j->nr : j->mr;
  for (int64_t n = 0; n < j->N; ++n) {
    const float *in = j->input + n * j->C * j->H * j->W;
    float *out = j->output + n * j->F * plane;
    if (j->split_cols) {
      j->cols_kernel(1, j->C, j->H, j->W, j->F, j->OH, j->OW, 1, j->KH, j->KW, j->sH, j->sW,
                     j->dH, j->dW, j->padT, j->padL, in, j->weights, j->bias, out, j->lo, j->hi,
                     j->accumulate, scratch, start, start + count, j->pixel_rows);
    } else if (j->groups == 1) {
      j->cols_kernel(1, j->C, j->H, j->W, count, j->OH, j->OW, 1, j->KH, j->KW, j->sH, j->sW,
                     j->dH, j->dW, j->padT, j->padL, in, j->weights + (start / fr) * k * fr,
                     j->bias ? j->bias + start : j->bias, out + start * plane, j->lo, j->hi,
                     j->accumulate, scratch, 0, plane, j->pixel_rows);
    } else {
      int64_t per_group = j->pixel_rows ? onnxc_uk_packed_b_floats(j->nr, k, fg)
                                        : onnxc_uk_packed_a_floats(j->mr, fg, k);
      j->cols_kernel(1, count * cg, j->H, j->W, count * fg, j->OH, j->OW, count, j->KH, j->KW,
                     j->sH, j->sW, j->dH, j->dW, j->padT, j->padL, in + start * cg * j->H * j->W,
                     j->weights + start * per_group, j->bias ? j->bias + start * fg : j->bias,
                     out + start * fg * plane, j->lo, j->hi, j->accumulate, scratch, 0, plane,
                     j->pixel_rows);
    }
  }
}

void onnxc_uk_split_sconv2d(uk_sconv2d_fn kernel, uk_sconv2d_cols_fn cols_kernel, int direct,
                            int64_t mr, int64_t nr, int64_t N, int64_t C, int64_t H, int64_t W,
                            int64_t F, int64_t OH, int64_t OW, int64_t groups, int64_t KH,
                            int64_t KW, int64_t sH, int64_t sW, int64_t dH, int64_t dW,
                            int64_t padT, int64_t padL, const float *input,
                            const float *weights, const float *bias, float *output, float lo,
                            float hi, int64_t accumulate, float *scratch,
                            const onnxc_executor *exec, int64_t max_tasks,
                            int64_t scratch_floats) {
  int64_t pixel_rows = groups > 0 && onnxc_uk_conv_pixel_rows(direct, nr, C / groups, F / groups,
                                                                OH * OW, KH, KW, sH, sW);
  int64_t pr = pixel_rows ? mr : nr, fr = pixel_rows ? nr : mr; /* pixels, channels per panel */
  int64_t p_panels = ceil_div(OH * OW, pr), f_panels = ceil_div(F, fr);
  /* A strided im2col gathers every element: split its pixels once they outnumber the
   * channels, so each task gathers half (ResNet-50's first 1x1 stride-2 downsample). */
  int64_t gathered = !pixel_rows && (sH > 1 || sW > 1) && OH * OW >= F;
  int64_t split_cols = groups == 1 && (p_panels >= f_panels || gathered);
  int64_t units = split_cols ? p_panels : groups == 1 ? f_panels : groups;
  int64_t macs = N * F * OH * OW * (C / groups) * KH * KW;
  int64_t tasks = task_count(exec, max_tasks, macs, ONNXC_UK_MIN_PARALLEL_MACS_CONV, units);
  if (tasks == 1) {
    kernel(N, C, H, W, F, OH, OW, groups, KH, KW, sH, sW, dH, dW, padT, padL, input, weights, bias,
           output, lo, hi, accumulate, scratch);
    return;
  }
  sconv2d_job j = {cols_kernel, split_cols, pixel_rows, mr, nr, N, C, H, W, F, OH, OW, groups,
                   KH, KW, sH, sW, dH, dW, padT, padL, accumulate, input, weights, bias, output,
                   scratch, lo, hi, scratch_floats, 0};
  j.chunk = split_cols ? ceil_div(units, tasks) * pr
            : groups == 1 ? ceil_div(units, tasks) * fr
                          : ceil_div(groups, tasks);
  exec->parallel_for(exec->self, tasks, sconv2d_task, &j);
}

/* ---- per-channel window ops (sdwconv2d, smaxpool2d): channels, image by image ---- */

typedef struct {
  /* runs the kernel on channels start..start+count-1 of image n */
  void (*run)(const void *job, int64_t n, int64_t start, int64_t count);
  const void *job;
  int64_t N, C, chunk;
} channel_split;

static void channel_task(void *ctx, int64_t t) {
  const channel_split *s = (const channel_split *)ctx;
  int64_t start, count = task_slice(t, s->chunk, s->C, &start);
  for (int64_t n = 0; count > 0 && n < s->N; ++n)
    s->run(s->job, n, start, count);
}

static void split_channels(const onnxc_executor *exec, int64_t tasks, int64_t N, int64_t C,
                           void (*run)(const void *, int64_t, int64_t, int64_t),
                           const void *job) {
  channel_split s = {run, job, N, C, ceil_div(C, tasks)};
  exec->parallel_for(exec->self, tasks, channel_task, &s);
}

typedef struct {
  uk_sdwconv2d_fn kernel;
  int64_t N, C, H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL, accumulate;
  const float *input, *weights, *bias;
  float *output, lo, hi;
} sdwconv2d_job;

static void sdwconv2d_run(const void *job, int64_t n, int64_t start, int64_t count) {
  const sdwconv2d_job *j = (const sdwconv2d_job *)job;
  j->kernel(1, count, j->H, j->W, j->OH, j->OW, j->KH, j->KW, j->sH, j->sW, j->dH, j->dW,
            j->padT, j->padL, j->input + (n * j->C + start) * j->H * j->W,
            j->weights + start * j->KH * j->KW, j->bias ? j->bias + start : j->bias,
            j->output + (n * j->C + start) * j->OH * j->OW, j->lo, j->hi, j->accumulate);
}

void onnxc_uk_split_sdwconv2d(uk_sdwconv2d_fn kernel, int64_t N, int64_t C, int64_t H, int64_t W,
                         int64_t OH, int64_t OW, int64_t KH, int64_t KW, int64_t sH, int64_t sW,
                         int64_t dH, int64_t dW, int64_t padT, int64_t padL, const float *input,
                         const float *weights, const float *bias, float *output, float lo,
                         float hi, int64_t accumulate, const onnxc_executor *exec,
                         int64_t max_tasks) {
  int64_t tasks = task_count(exec, max_tasks, N * C * OH * OW * KH * KW,
                             ONNXC_UK_MIN_PARALLEL_MACS_DW, C);
  if (tasks == 1) {
    kernel(N, C, H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL, input, weights, bias, output, lo,
           hi, accumulate);
    return;
  }
  sdwconv2d_job j = {kernel, N, C, H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL, accumulate,
                     input, weights, bias, output, lo, hi};
  split_channels(exec, tasks, N, C, sdwconv2d_run, &j);
}

typedef struct {
  uk_smaxpool2d_fn kernel;
  int64_t N, C, H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL;
  const float *input;
  float *output;
} smaxpool2d_job;

static void smaxpool2d_run(const void *job, int64_t n, int64_t start, int64_t count) {
  const smaxpool2d_job *j = (const smaxpool2d_job *)job;
  j->kernel(1, count, j->H, j->W, j->OH, j->OW, j->KH, j->KW, j->sH, j->sW, j->dH, j->dW,
            j->padT, j->padL, j->input + (n * j->C + start) * j->H * j->W,
            j->output + (n * j->C + start) * j->OH * j->OW);
}

void onnxc_uk_split_smaxpool2d(uk_smaxpool2d_fn kernel, int64_t N, int64_t C, int64_t H,
                               int64_t W, int64_t OH, int64_t OW, int64_t KH, int64_t KW,
                               int64_t sH, int64_t sW, int64_t dH, int64_t dW, int64_t padT,
                               int64_t padL, const float *input, float *output,
                               const onnxc_executor *exec, int64_t max_tasks) {
  /* a comparison costs about what a multiply-add does: the depthwise threshold */
  int64_t tasks = task_count(exec, max_tasks, N * C * OH * OW * KH * KW,
                             ONNXC_UK_MIN_PARALLEL_MACS_DW, C);
  if (tasks == 1) {
    kernel(N, C, H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL, input, output);
    return;
  }
  smaxpool2d_job j = {kernel, N, C, H, W, OH, OW, KH, KW, sH, sW, dH, dW, padT, padL, input,
                      output};
  split_channels(exec, tasks, N, C, smaxpool2d_run, &j);
}

/* ---- generated loops (onnxc-parallelize-loops): contiguous iteration ranges ---- */

typedef struct {
  onnxc_loop_body_fn body;
  void *ctx;
  int64_t n, chunk;
} loop_job;

static void loop_task(void *ctx, int64_t t) {
  const loop_job *j = (const loop_job *)ctx;
  int64_t begin, count = task_slice(t, j->chunk, j->n, &begin);
  if (count > 0)
    j->body(j->ctx, begin, begin + count);
}

void onnxc_uk_parallel_loop(const onnxc_executor *exec, int64_t n, int64_t max_tasks,
                            onnxc_loop_body_fn body, void *ctx) {
  /* onnxc only outlines nests worth splitting, so no work threshold here */
  int64_t tasks = task_count(exec, max_tasks, 1, 0, n);
  loop_job j;
  if (n <= 0)
    return;
  if (tasks == 1) {
    body(ctx, 0, n);
    return;
  }
  j.body = body, j.ctx = ctx, j.n = n, j.chunk = ceil_div(n, tasks);
  exec->parallel_for(exec->self, ceil_div(n, j.chunk), loop_task, &j);
}
