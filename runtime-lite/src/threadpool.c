/* onnxc runtime-lite: the default pthread executor (see onnxc/threadpool.h). Tasks are claimed
 * one index at a time under the lock: a model hands it a few large tasks per kernel (one per
 * thread), so contention is negligible and the simple scheme balances uneven tasks. */
#include <onnxc/threadpool.h>

static int claim(onnxc_threadpool *p, int64_t *index) {
  if (p->next >= p->count)
    return 0;
  *index = p->next++;
  return 1;
}

/* Runs tasks of the current job until none is left; called with the lock held. */
static void drain(onnxc_threadpool *p) {
  int64_t i;
  while (claim(p, &i)) {
    onnxc_task_fn task = p->task;
    void *ctx = p->ctx;
    pthread_mutex_unlock(&p->lock);
    task(ctx, i);
    pthread_mutex_lock(&p->lock);
    if (++p->finished == p->count)
      pthread_cond_broadcast(&p->done);
  }
}

static void *worker(void *arg) {
  onnxc_threadpool *p = (onnxc_threadpool *)arg;
  uint64_t seen = 0;
  pthread_mutex_lock(&p->lock);
  for (;;) {
    while (!p->stop && p->generation == seen)
      pthread_cond_wait(&p->wake, &p->lock);
    if (p->stop)
      break;
    seen = p->generation;
    drain(p);
  }
  pthread_mutex_unlock(&p->lock);
  return 0;
}

static void parallel_for(void *self, int64_t count, onnxc_task_fn task, void *ctx) {
  onnxc_threadpool *p = (onnxc_threadpool *)self;
  if (count <= 0)
    return;
  if (count == 1 || p->num_workers == 0) {
    for (int64_t i = 0; i < count; ++i)
      task(ctx, i);
    return;
  }
  pthread_mutex_lock(&p->lock);
  p->task = task;
  p->ctx = ctx;
  p->count = count;
  p->next = 0;
  p->finished = 0;
  p->generation++;
  pthread_cond_broadcast(&p->wake);
  drain(p);
  while (p->finished < p->count)
    pthread_cond_wait(&p->done, &p->lock);
  pthread_mutex_unlock(&p->lock);
}

int onnxc_threadpool_init(onnxc_threadpool *pool, int32_t num_threads) {
  int32_t workers = num_threads - 1;
  if (workers < 0)
    workers = 0;
  if (workers > ONNXC_THREADPOOL_MAX_THREADS)
    workers = ONNXC_THREADPOOL_MAX_THREADS;
  pool->executor.parallel_for = parallel_for;
  pool->executor.self = pool;
  pool->executor.num_threads = workers + 1;
  pool->num_workers = 0;
  pool->task = 0;
  pool->ctx = 0;
  pool->count = pool->next = pool->finished = 0;
  pool->generation = 0;
  pool->stop = 0;
  pthread_mutex_init(&pool->lock, 0);
  pthread_cond_init(&pool->wake, 0);
  pthread_cond_init(&pool->done, 0);
  for (int32_t i = 0; i < workers; ++i) {
    int err = pthread_create(&pool->workers[i], 0, worker, pool);
    if (err) {
      onnxc_threadpool_destroy(pool);
      return err;
    }
    pool->num_workers++;
  }
  return 0;
}

void onnxc_threadpool_destroy(onnxc_threadpool *pool) {
  pthread_mutex_lock(&pool->lock);
  pool->stop = 1;
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  for (int32_t i = 0; i < pool->num_workers; ++i)
    pthread_join(pool->workers[i], 0);
  pool->num_workers = 0;
  pool->executor.num_threads = 1;
  pthread_mutex_destroy(&pool->lock);
  pthread_cond_destroy(&pool->wake);
  pthread_cond_destroy(&pool->done);
}
