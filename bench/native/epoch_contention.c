/* epoch_contention.c: what the shim's shared epoch counters cost when two threads hammer them.
 *
 * Every ticket callback enters and leaves the handle's epoch (tk_epoch.c): two atomic read-modify-writes on a
 * counter that all handshake threads share. This program times enter+exit pairs on one thread and on two threads
 * pinned to CPUs 0 and 1, with nothing else between the pairs, so the difference is the worst case of the cache
 * line moving between cores. docs/benchmarks.md relates it to a handshake. CMake builds it with the C unit
 * tests as tk_bench_epoch_contention (so it keeps compiling); run it by hand:
 *
 *   cmake -S . -B target/cmake && cmake --build target/cmake -j && target/cmake/tk_bench_epoch_contention
 */

#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "tk_internal.h"

#define PAIRS 20000000L

static tk_epoch epoch;
static volatile int sink;

static void *enter_and_exit(void *cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((int)(long)cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    for (long i = 0; i < PAIRS; i++) {
        int ticket = tk_epoch_enter(&epoch);
        sink = ticket;
        tk_epoch_exit(&epoch, ticket);
    }
    return NULL;
}

static double seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void measure(int threads)
{
    pthread_t workers[2];
    double start = seconds();
    for (int i = 0; i < threads; i++) {
        pthread_create(&workers[i], NULL, enter_and_exit, (void *)(long)i);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(workers[i], NULL);
    }
    printf("%d thread(s): %.1f ns per enter+exit pair on each thread\n", threads,
           (seconds() - start) * 1e9 / (double)PAIRS);
}

int main(void)
{
    for (int round = 0; round < 3; round++) {
        measure(1);
        measure(2);
    }
    return 0;
}
