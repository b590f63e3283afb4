/* Core-to-core round trip of a cache line between CPU 0 and CPU 1 (run_bench.py records it
 * before every round). On the 2-vCPU VMs the benchmarks ran on it varied from about 90 to 700
 * ns. Stretches of minutes at 350-400 ns came with slow 2-thread runs on both sides (DS-CNN's
 * 2-thread runs then took longer than its 1-thread ones, for onnxc and onnxruntime alike);
 * readings of 100-270 ns came with normal ones. One reading is a moment, not a stretch, so it
 * hints at the machine's state rather than proving it. Prints `round_trip_ns=X`, or nothing
 * with fewer than 2 CPUs. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

enum { TRIPS = 100000 };
static _Atomic long flag __attribute__((aligned(64)));

static int pin(int cpu) {
  cpu_set_t s;
  CPU_ZERO(&s);
  CPU_SET(cpu, &s);
  return pthread_setaffinity_np(pthread_self(), sizeof s, &s);
}

static void *echo(void *arg) {
  (void)arg;
  (void)pin(1); /* checked in main: CPU 1 is in the affinity mask */
  for (long i = 0; i < TRIPS; ++i) {
    while (atomic_load(&flag) != 2 * i + 1) {
    }
    atomic_store(&flag, 2 * i + 2);
  }
  return 0;
}

int main(void) {
  pthread_t t;
  struct timespec a, b;
  cpu_set_t all;
  if (sched_getaffinity(0, sizeof all, &all) != 0 || !CPU_ISSET(0, &all) || !CPU_ISSET(1, &all) ||
      pin(0) != 0 || pthread_create(&t, 0, echo, 0) != 0)
    return 0;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < TRIPS; ++i) {
    atomic_store(&flag, 2 * i + 1);
    while (atomic_load(&flag) != 2 * i + 2) {
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  pthread_join(t, 0);
  printf("round_trip_ns=%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / TRIPS);
  return 0;
}
