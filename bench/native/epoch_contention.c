/* epoch_contention.c: what the shim's epoch costs a ticket callback on one thread and on two.
 *
 * Every ticket callback enters and leaves the handle's epoch (tk_epoch.c). This program times enter+exit pairs on
 * one thread and on two threads pinned to CPUs 0 and 1, with nothing else between the pairs, in CPU time per
 * thread (other processes on the machine do not count; a cache line moving between the cores does). With one
 * counter shared by all threads the two-thread figure was several times the one-thread figure; with the readers'
 * counters striped per thread they are the same. docs/benchmarks.md relates the figures to a handshake. CMake
 * builds it with the C unit tests as tk_bench_epoch_contention (so it keeps compiling); run it by hand:
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

/* One thread's result, a false-sharing range apart from the other's, so that only the epoch is shared. */
typedef struct worker {
    long cpu;
    double cpu_seconds;
    long token_sum;
    unsigned char pad[TK_FALSE_SHARING_RANGE];
} worker;

static double thread_cpu_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void *enter_and_exit(void *arg)
{
    worker *w = arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((int)w->cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    double start = thread_cpu_seconds();
    long sum = 0;
    for (long i = 0; i < PAIRS; i++) {
        int token = tk_epoch_enter(&epoch);
        sum += token;
        tk_epoch_exit(&epoch, token);
    }
    w->cpu_seconds = thread_cpu_seconds() - start;
    w->token_sum = sum;
    return NULL;
}

static void measure(int threads)
{
    pthread_t ids[2];
    worker workers[2] = {{.cpu = 0}, {.cpu = 1}};
    for (int i = 0; i < threads; i++) {
        pthread_create(&ids[i], NULL, enter_and_exit, &workers[i]);
    }
    double cpu = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(ids[i], NULL);
        cpu += workers[i].cpu_seconds;
    }
    printf("%d thread(s): %.1f ns of CPU per enter+exit pair\n", threads, cpu * 1e9 / (double)(PAIRS * threads));
}

int main(void)
{
    for (int round = 0; round < 3; round++) {
        measure(1);
        measure(2);
    }
    return 0;
}
