/* A hand-written stand-in for an onnxc model object (--name model), used only by
 * harness_selftest.py to prove that harness.c accepts a correct model and catches each kind of
 * bug it claims to catch. The model: y = x + b, x/b: float32[2,3], with a 64-byte workspace
 * (align 64) used for the intermediate sum.
 *
 * Compile with -DMOCK_BUG=<n> to inject one bug (0 = correct model); see the list below. */
#include <stddef.h>
#include <stdint.h>

#include "onnxc/runtime.h"

#ifndef MOCK_BUG
#define MOCK_BUG 0
#endif
enum {
  BUG_NONE = 0,
  BUG_WRITE_PAST_OUTPUT = 1,  /* writes one float after the output */
  BUG_WRITE_BEFORE_OUTPUT = 2,/* writes one float before the output */
  BUG_WRITE_PAST_WS = 3,      /* writes one byte after the workspace */
  BUG_ACCEPT_NULL_WS = 4,     /* returns 0 for a NULL workspace */
  BUG_ACCEPT_MISALIGNED = 5,  /* returns 0 (and computes) on a misaligned workspace */
  BUG_SKIP_LAST_OUTPUT = 6,   /* never writes the last output element */
  BUG_READ_UNINIT_WS = 7,     /* adds an uninitialised workspace float to the result */
  BUG_MODIFY_INPUT = 8,       /* writes into input 0 */
  BUG_FAIL = 9,               /* returns an error on a valid call */
  BUG_BAD_SIZE_BYTES = 10,    /* model_info says 20 bytes for a [2,3] float tensor */
  BUG_ACCEPT_NULL_TENSOR = 11,/* returns 0 (computing nothing) for a NULL output pointer */
  BUG_WRONG_CODE = 12         /* returns 99 instead of ONNXC_ERR_NULL_WORKSPACE (warning only) */
};

static const int64_t shape23[2] = {2, 3};
static const onnxc_tensor_info inputs[2] = {
    {"x", ONNXC_DTYPE_FLOAT32, 2, shape23, 24},
    {"b", ONNXC_DTYPE_FLOAT32, 2, shape23, 24},
};
static const onnxc_tensor_info outputs[1] = {
    {"y", ONNXC_DTYPE_FLOAT32, 2, shape23, MOCK_BUG == BUG_BAD_SIZE_BYTES ? 20 : 24},
};
const onnxc_model_info model_info = {"model", 2, 1, inputs, outputs, 64, 64};

int model_run_v(const void *const *ins, void *const *outs, void *workspace) {
  if (!workspace) return MOCK_BUG == BUG_ACCEPT_NULL_WS ? 0 : (MOCK_BUG == BUG_WRONG_CODE ? 99 : ONNXC_ERR_NULL_WORKSPACE);
  if (((uintptr_t)workspace & 63u) != 0 && MOCK_BUG != BUG_ACCEPT_MISALIGNED) return ONNXC_ERR_MISALIGNED_WORKSPACE;
  if (!ins || !outs || !ins[0] || !ins[1]) return ONNXC_ERR_NULL_TENSOR;
  if (!outs[0]) return MOCK_BUG == BUG_ACCEPT_NULL_TENSOR ? 0 : ONNXC_ERR_NULL_TENSOR;
  if (MOCK_BUG == BUG_FAIL) return 7;
  const float *x = (const float *)ins[0], *b = (const float *)ins[1];
  float *y = (float *)outs[0], *tmp = (float *)workspace;
  float uninit = 0.0f;
  if (MOCK_BUG == BUG_READ_UNINIT_WS) uninit = tmp[15]; /* never written below */
  for (int i = 0; i < 6; ++i) tmp[i] = x[i] + b[i];
  int n = MOCK_BUG == BUG_SKIP_LAST_OUTPUT ? 5 : 6;
  for (int i = 0; i < n; ++i) y[i] = tmp[i] + uninit;
  if (MOCK_BUG == BUG_WRITE_PAST_OUTPUT) y[6] = 1.0f;
  if (MOCK_BUG == BUG_WRITE_BEFORE_OUTPUT) y[-1] = 1.0f;
  if (MOCK_BUG == BUG_WRITE_PAST_WS) ((unsigned char *)workspace)[64] = 0;
  if (MOCK_BUG == BUG_MODIFY_INPUT) ((float *)ins[0])[0] = 0.0f;
  return ONNXC_OK;
}

/* The executor changes nothing here: the mock runs on the caller. */
int model_run_v_ex(const void *const *ins, void *const *outs, void *workspace,
                   const onnxc_executor *exec) {
  (void)exec;
  return model_run_v(ins, outs, workspace);
}
