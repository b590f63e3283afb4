/* onnxc runtime-lite: a small pthread pool implementing onnxc_executor.
 *
 * Optional: models never call it; an application that wants threads creates one pool, passes
 * &pool.executor to <name>_run_ex, and destroys it at exit. The pool stores its threads in the
 * struct itself (no allocation), so a static or stack instance works. Not for concurrent
 * parallel_for calls from several threads on the same pool (one model run at a time). */
#ifndef ONNXC_THREADPOOL_H
#define ONNXC_THREADPOOL_H

#include <onnxc/runtime.h>

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ONNXC_THREADPOOL_MAX_THREADS 64

typedef struct onnxc_threadpool {
  onnxc_executor executor; /* pass &pool.executor to <name>_run_ex */
  int32_t num_workers;     /* threads besides the caller, which also runs tasks */
  pthread_t workers[ONNXC_THREADPOOL_MAX_THREADS];
  /* Only for workers that stopped spinning: they sleep on `wake` under `lock`. */
  pthread_mutex_t lock;
  pthread_cond_t wake;
  /* The job being run (threadpool.c accesses these with atomic builtins). `state` packs the
   * job number (high 32 bits), its task count (16 bits) and the next unclaimed task (low 16
   * bits), so a claim is one compare-and-swap that fails once the job has changed. */
  onnxc_task_fn task;
  void *ctx;
  uint64_t state;
  int64_t finished;
  int32_t sleepers;
  int32_t stop;
} onnxc_threadpool;

/* Starts num_threads - 1 workers (num_threads counts the caller, capped at
 * ONNXC_THREADPOOL_MAX_THREADS + 1). Returns 0, or an errno value from pthread_create. */
int onnxc_threadpool_init(onnxc_threadpool *pool, int32_t num_threads);
/* Stops and joins the workers. */
void onnxc_threadpool_destroy(onnxc_threadpool *pool);

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_THREADPOOL_H */
