/* onnxc runtime-lite: the default pthread executor (see onnxc/threadpool.h).
 *
 * A model calls parallel_for once per large kernel, hundreds of times per run, with one task
 * per thread, so the hand-off must cost well under a microsecond: waking a sleeping thread
 * through a futex takes tens of microseconds on a VM, longer than many of those kernels. So,
 * like OpenMP runtimes and ONNX Runtime's pool, workers spin (with `pause`) for a while after
 * each job and only then sleep on a condition variable; the caller publishes a job with one
 * atomic store and signals the condition only when someone sleeps. Tasks are claimed one at a
 * time by compare-and-swap on `state`, which carries the job number, so a worker that arrives
 * late can neither claim a task of a finished job nor one of the next job with stale pointers. */
#include <onnxc/threadpool.h>

#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#define ONNXC_CPU_RELAX() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define ONNXC_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define ONNXC_CPU_RELAX() ((void)0)
#endif

/* How long an idle worker spins before it sleeps: covers the serial code a model runs between
 * two parallel kernels, and stays short enough not to hog a core once the model returns. */
#define SPIN_NS 200000
/* Task count per job; parallel_for splits larger counts into several jobs. */
#define MAX_JOB_TASKS 0xffff

static uint64_t job_of(uint64_t s) { return s >> 32; }
static uint64_t count_of(uint64_t s) { return (s >> 16) & 0xffff; }
static uint64_t next_of(uint64_t s) { return s & 0xffff; }

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Claims and runs tasks of job `job` until none is left or the job changed. The task and
 * context are read after a successful claim: the caller cannot publish another job before this
 * claimed task finishes, so they still belong to `job`. */
static void run_tasks(onnxc_threadpool *p, uint64_t job) {
  uint64_t s = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
  while (job_of(s) == job && next_of(s) < count_of(s)) {
    if (!__atomic_compare_exchange_n(&p->state, &s, s + 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
      continue; /* s now holds the current state */
    onnxc_task_fn task = p->task;
    void *ctx = p->ctx;
    task(ctx, (int64_t)next_of(s));
    __atomic_add_fetch(&p->finished, 1, __ATOMIC_RELEASE);
    s = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
  }
}

/* Returns the job number of the next job (waiting for one), or -1 when the pool stops. */
static int64_t wait_for_job(onnxc_threadpool *p, uint64_t seen) {
  int64_t deadline = 0;
  for (unsigned spin = 0;; ++spin) {
    uint64_t s = __atomic_load_n(&p->state, __ATOMIC_ACQUIRE);
    if (__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE))
      return -1;
    if (job_of(s) != seen)
      return (int64_t)job_of(s);
    ONNXC_CPU_RELAX();
    if ((spin & 255) != 255)
      continue;
    int64_t t = now_ns();
    if (!deadline)
      deadline = t + SPIN_NS;
    if (t < deadline)
      continue;
    /* Sleep. sleepers is raised before the state is re-read (both sequentially consistent),
     * and the caller reads sleepers after publishing: one of the two sees the other. */
    pthread_mutex_lock(&p->lock);
    __atomic_add_fetch(&p->sleepers, 1, __ATOMIC_SEQ_CST);
    while (job_of(__atomic_load_n(&p->state, __ATOMIC_SEQ_CST)) == seen &&
           !__atomic_load_n(&p->stop, __ATOMIC_SEQ_CST))
      pthread_cond_wait(&p->wake, &p->lock);
    __atomic_sub_fetch(&p->sleepers, 1, __ATOMIC_SEQ_CST);
    pthread_mutex_unlock(&p->lock);
    deadline = 0;
  }
}

static void *worker(void *arg) {
  onnxc_threadpool *p = (onnxc_threadpool *)arg;
  uint64_t seen = 0; /* the job number onnxc_threadpool_init left in state */
  for (;;) {
    int64_t job = wait_for_job(p, seen);
    if (job < 0)
      return 0;
    seen = (uint64_t)job;
    run_tasks(p, seen);
  }
}

/* One job of count <= MAX_JOB_TASKS tasks; returns once all of them finished. */
static void run_job(onnxc_threadpool *p, int64_t count, onnxc_task_fn task, void *ctx) {
  p->task = task;
  p->ctx = ctx;
  __atomic_store_n(&p->finished, 0, __ATOMIC_RELAXED);
  uint64_t job = job_of(__atomic_load_n(&p->state, __ATOMIC_RELAXED)) + 1;
  __atomic_store_n(&p->state, (job << 32) | ((uint64_t)count << 16), __ATOMIC_SEQ_CST);
  if (__atomic_load_n(&p->sleepers, __ATOMIC_SEQ_CST) > 0) {
    pthread_mutex_lock(&p->lock);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
  }
  run_tasks(p, job);
  while (__atomic_load_n(&p->finished, __ATOMIC_ACQUIRE) < count)
    ONNXC_CPU_RELAX();
}

typedef struct {
  onnxc_task_fn task;
  void *ctx;
  int64_t base;
} offset_job;

static void offset_task(void *ctx, int64_t i) {
  const offset_job *j = (const offset_job *)ctx;
  j->task(j->ctx, j->base + i);
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
  if (count <= MAX_JOB_TASKS) {
    run_job(p, count, task, ctx);
    return;
  }
  for (int64_t base = 0; base < count; base += MAX_JOB_TASKS) {
    offset_job j = {task, ctx, base};
    run_job(p, count - base < MAX_JOB_TASKS ? count - base : MAX_JOB_TASKS, offset_task, &j);
  }
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
  pool->state = 0;
  pool->finished = 0;
  pool->sleepers = 0;
  pool->stop = 0;
  pthread_mutex_init(&pool->lock, 0);
  pthread_cond_init(&pool->wake, 0);
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
  __atomic_store_n(&pool->stop, 1, __ATOMIC_SEQ_CST);
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  for (int32_t i = 0; i < pool->num_workers; ++i)
    pthread_join(pool->workers[i], 0);
  pool->num_workers = 0;
  pool->executor.num_threads = 1;
  pthread_mutex_destroy(&pool->lock);
  pthread_cond_destroy(&pool->wake);
}
