/* test_epoch.c: grace periods (tk_epoch.c), alone and as tk_publish_keys uses them: a retired key table must stay
 * intact while any reader that could have loaded it is still inside its read section, whichever stripe the reader
 * counted itself in. */

#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "tk_internal.h"
#include "tk_test.h"
#include "tk_test_upcalls.h"

enum {
    TABLE_KEYS = 4,
    PUBLICATIONS = 3000,
    READERS = 2
};

static void sleep_ms(long ms)
{
    struct timespec delay = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&delay, &delay) != 0) {
    }
}

static double now_s(void)
{
    struct timespec now;
    CHECK_EQ(clock_gettime(CLOCK_MONOTONIC, &now), 0);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

typedef struct synchronizer {
    tk_epoch *epoch;
    atomic_int done;
} synchronizer;

static void *synchronize_thread(void *arg)
{
    synchronizer *sync = arg;
    tk_epoch_synchronize(sync->epoch);
    atomic_store(&sync->done, 1);
    return NULL;
}

static void test_synchronize_without_readers(void)
{
    tk_epoch epoch;
    memset(&epoch, 0, sizeof(epoch));
    for (int i = 0; i < 5; i++) {
        tk_epoch_synchronize(&epoch);
    }
    int phase = tk_epoch_enter(&epoch);
    tk_epoch_exit(&epoch, phase);
    tk_epoch_synchronize(&epoch);
    CHECK_EQ(tk_epoch_readers(&epoch, 0), 0);
    CHECK_EQ(tk_epoch_readers(&epoch, 1), 0);
}

/* No two stripes' counters, and no counter and the phase, lie within one false-sharing range of each other,
 * whatever the alignment of the memory the epoch is in. */
static void test_counters_do_not_share_lines(void)
{
    size_t phase_end = offsetof(tk_epoch, phase) + sizeof(atomic_uint_fast64_t);
    for (size_t i = 0; i + 1 < TK_EPOCH_STRIPES; i++) {
        size_t end = offsetof(tk_epoch, stripes) + i * sizeof(tk_epoch_stripe) + offsetof(tk_epoch_stripe, pad);
        size_t next = offsetof(tk_epoch, stripes) + (i + 1) * sizeof(tk_epoch_stripe);
        CHECK(next - end >= 64);
    }
    size_t last_end = offsetof(tk_epoch, stripes) + (TK_EPOCH_STRIPES - 1) * sizeof(tk_epoch_stripe)
        + offsetof(tk_epoch_stripe, pad);
    CHECK(sizeof(tk_epoch) - last_end >= 64);
    CHECK(offsetof(tk_epoch, stripes) - phase_end >= 64);
}

/* A writer must not finish its grace period while a reader that entered before it is inside. */
static void check_synchronize_waits_for(tk_epoch *epoch, int reader_phase)
{
    synchronizer sync = {epoch, 0};
    pthread_t thread;
    CHECK_EQ(pthread_create(&thread, NULL, synchronize_thread, &sync), 0);
    sleep_ms(50);
    CHECK_EQ(atomic_load(&sync.done), 0);
    tk_epoch_exit(epoch, reader_phase);
    CHECK_EQ(pthread_join(thread, NULL), 0);
    CHECK_EQ(atomic_load(&sync.done), 1);
}

static void test_synchronize_waits_for_reader(void)
{
    tk_epoch epoch;
    memset(&epoch, 0, sizeof(epoch));
    /* Once from each phase parity. */
    check_synchronize_waits_for(&epoch, tk_epoch_enter(&epoch));
    atomic_fetch_add(&epoch.phase, 1);
    check_synchronize_waits_for(&epoch, tk_epoch_enter(&epoch));
}

/* A reader can read the phase, lose the processor while a writer completes a grace period, and then count itself
 * under the old phase: its counter is not the current phase's. The next writer must still wait for it, which is
 * why a grace period drains both phases. The stale reader is simulated by counting it by hand, in the first, a
 * middle and the last stripe. */
static void test_synchronize_waits_for_stale_reader(void)
{
    tk_epoch epoch;
    memset(&epoch, 0, sizeof(epoch));
    int stripes[] = {0, TK_EPOCH_STRIPES / 2, TK_EPOCH_STRIPES - 1};
    for (size_t i = 0; i < sizeof(stripes) / sizeof(stripes[0]); i++) {
        for (int phase = 0; phase < 2; phase++) {
            for (int stale = 0; stale < 2; stale++) {
                atomic_store(&epoch.phase, (uint_fast64_t)phase);
                atomic_fetch_add(&epoch.stripes[stripes[i]].readers[stale], 1);
                CHECK_EQ(tk_epoch_readers(&epoch, stale), 1);
                check_synchronize_waits_for(&epoch, (stripes[i] << 1) | stale);
            }
        }
    }
}

typedef struct stripe_reader {
    tk_epoch *epoch;
    atomic_int *release;
    atomic_int entered;
    int token;
    int stable;
} stripe_reader;

/* Enters, notes its token, enters again to check that its stripe is its own for good, and stays inside until
 * released. */
static void *stripe_reader_thread(void *arg)
{
    stripe_reader *r = arg;
    int first = tk_epoch_enter(r->epoch);
    int again = tk_epoch_enter(r->epoch);
    r->stable = tk_epoch_token_stripe(first) == tk_epoch_token_stripe(again);
    tk_epoch_exit(r->epoch, again);
    r->token = first;
    atomic_store(&r->entered, 1);
    while (!atomic_load(r->release)) {
        sched_yield();
    }
    tk_epoch_exit(r->epoch, first);
    return NULL;
}

/* Starts |count| readers, each inside the epoch on its own thread, and returns once all are inside. */
static void start_readers(tk_epoch *epoch, atomic_int *release, stripe_reader *readers, pthread_t *threads,
                          int count)
{
    for (int i = 0; i < count; i++) {
        readers[i] = (stripe_reader){epoch, release, 0, 0, 0};
        CHECK_EQ(pthread_create(&threads[i], NULL, stripe_reader_thread, &readers[i]), 0);
    }
    for (int i = 0; i < count; i++) {
        while (!atomic_load(&readers[i].entered)) {
            sched_yield();
        }
        CHECK(readers[i].stable);
    }
}

/* Threads count themselves in stripes of their own (new threads take consecutive stripes), and a writer waits for
 * readers in any of them. */
static void test_threads_count_in_their_own_stripes(void)
{
    enum { THREADS = 4 };
    tk_epoch epoch;
    memset(&epoch, 0, sizeof(epoch));
    atomic_int release = 0;
    stripe_reader readers[THREADS];
    pthread_t threads[THREADS];
    start_readers(&epoch, &release, readers, threads, THREADS);
    for (int i = 0; i < THREADS; i++) {
        for (int j = i + 1; j < THREADS; j++) {
            CHECK(tk_epoch_token_stripe(readers[i].token) != tk_epoch_token_stripe(readers[j].token));
        }
        CHECK_EQ(atomic_load(&epoch.stripes[tk_epoch_token_stripe(readers[i].token)].readers[readers[i].token & 1]),
                 1);
    }
    CHECK_EQ(tk_epoch_readers(&epoch, 0), THREADS);

    synchronizer sync = {&epoch, 0};
    pthread_t writer;
    CHECK_EQ(pthread_create(&writer, NULL, synchronize_thread, &sync), 0);
    sleep_ms(50);
    CHECK_EQ(atomic_load(&sync.done), 0);
    atomic_store(&release, 1);
    for (int i = 0; i < THREADS; i++) {
        CHECK_EQ(pthread_join(threads[i], NULL), 0);
    }
    CHECK_EQ(pthread_join(writer, NULL), 0);
    CHECK_EQ(atomic_load(&sync.done), 1);
    CHECK_EQ(tk_epoch_readers(&epoch, 0) + tk_epoch_readers(&epoch, 1), 0);
}

/* With more threads than stripes, some share one; a writer still waits for every one of them. */
static void test_more_threads_than_stripes(void)
{
    enum { THREADS = TK_EPOCH_STRIPES + 8 };
    tk_epoch epoch;
    memset(&epoch, 0, sizeof(epoch));
    atomic_int release = 0;
    stripe_reader readers[THREADS];
    pthread_t threads[THREADS];
    start_readers(&epoch, &release, readers, threads, THREADS);
    int shared = 0;
    for (int stripe = 0; stripe < TK_EPOCH_STRIPES; stripe++) {
        shared += atomic_load(&epoch.stripes[stripe].readers[0]) > 1;
    }
    CHECK(shared > 0);
    CHECK_EQ(tk_epoch_readers(&epoch, 0), THREADS);

    synchronizer sync = {&epoch, 0};
    pthread_t writer;
    CHECK_EQ(pthread_create(&writer, NULL, synchronize_thread, &sync), 0);
    sleep_ms(50);
    CHECK_EQ(atomic_load(&sync.done), 0);
    atomic_store(&release, 1);
    for (int i = 0; i < THREADS; i++) {
        CHECK_EQ(pthread_join(threads[i], NULL), 0);
    }
    CHECK_EQ(pthread_join(writer, NULL), 0);
    CHECK_EQ(atomic_load(&sync.done), 1);
}

/* Readers that enter while a writer waits go to the other phase, and nest without trouble. */
static void test_nested_readers(void)
{
    tk_epoch epoch;
    memset(&epoch, 0, sizeof(epoch));
    int outer = tk_epoch_enter(&epoch);
    int inner = tk_epoch_enter(&epoch);
    CHECK_EQ(outer, inner);
    tk_epoch_exit(&epoch, inner);
    tk_epoch_exit(&epoch, outer);
    tk_epoch_synchronize(&epoch);
}

/* Every key of generation g carries the canary g in its name and secrets; a freed (cleansed) table fails it. */
static void make_table_keys(tk_key *keys, int64_t generation)
{
    for (size_t slot = 0; slot < TABLE_KEYS; slot++) {
        memset(&keys[slot], 0, sizeof(keys[slot]));
        memcpy(keys[slot].name, &generation, sizeof(generation));
        keys[slot].name[15] = (uint8_t)slot;
        memset(keys[slot].hmac_key, (int)(1 + generation % 255), TK_MAX_SECRET_LEN);
        memset(keys[slot].aes_key, (int)(1 + (generation + 7) % 255), TK_MAX_SECRET_LEN);
        keys[slot].hmac_key_len = 32;
        keys[slot].aes_key_len = 32;
    }
}

static int table_intact(const tk_key_table *table)
{
    int64_t generation = table->generation;
    if (table->count != TABLE_KEYS) {
        return 0;
    }
    for (size_t slot = 0; slot < TABLE_KEYS; slot++) {
        const tk_key *key = &table->keys[slot];
        int64_t named;
        memcpy(&named, key->name, sizeof(named));
        if (named != generation || key->name[15] != slot || key->hmac_key_len != 32 || key->aes_key_len != 32) {
            return 0;
        }
        if (key->hmac_key[31] != 1 + generation % 255 || key->aes_key[0] != 1 + (generation + 7) % 255) {
            return 0;
        }
        if (tk_key_table_find(table, key->name) != (int32_t)slot) {
            return 0;
        }
    }
    return 1;
}

typedef struct reader {
    tk_handle *handle;
    atomic_int *stop;
    atomic_long reads;
    long broken;
    long went_back;
} reader;

/* Reads the table the way the ticket callbacks do (inside a read section, and only while the handle is open, as
 * tk_close frees the last table after its grace period), holding it across a yield so writers overlap with it. */
static void read_once(reader *r, int64_t *last_generation)
{
    int phase = tk_epoch_enter(&r->handle->epoch);
    const tk_key_table *table = atomic_load(&r->handle->closed) ? NULL : atomic_load(&r->handle->table);
    if (table != NULL) {
        atomic_fetch_add(&r->reads, 1);
        r->broken += !table_intact(table);
        r->went_back += table->generation < *last_generation;
        *last_generation = table->generation;
        sched_yield();
        r->broken += !table_intact(table);
    }
    tk_epoch_exit(&r->handle->epoch, phase);
}

static void *reader_thread(void *arg)
{
    reader *r = arg;
    int64_t last_generation = 0;
    while (!atomic_load(r->stop)) {
        read_once(r, &last_generation);
    }
    return NULL;
}

static void test_publish_while_reading(void)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    CHECK(ctx != NULL);
    tk_handle *handle = NULL;
    CHECK_EQ(tk_handle_new(&tk_test_no_ticket_upcalls, NULL, &handle), TK_OK);
    CHECK_EQ(tk_attach(handle, ctx, 1), TK_OK);

    tk_key keys[TABLE_KEYS];
    make_table_keys(keys, 1);
    CHECK_EQ(tk_publish_keys(handle, keys, TABLE_KEYS, 1), TK_OK);

    atomic_int stop = 0;
    reader readers[READERS];
    pthread_t threads[READERS];
    for (int i = 0; i < READERS; i++) {
        readers[i] = (reader){handle, &stop, 0, 0, 0};
        CHECK_EQ(pthread_create(&threads[i], NULL, reader_thread, &readers[i]), 0);
    }

    for (int i = 0; i < READERS; i++) {
        while (atomic_load(&readers[i].reads) == 0) {
            sched_yield();
        }
    }
    /* Bounded by count and by time, so the test stays well under five seconds on a slow machine. */
    double deadline = now_s() + 2.5;
    int64_t generation = 2;
    for (; generation <= PUBLICATIONS && now_s() < deadline; generation++) {
        make_table_keys(keys, generation);
        CHECK_EQ(tk_publish_keys(handle, keys, TABLE_KEYS, generation), TK_OK);
    }
    /* Closing while readers run frees the last table after its grace period; readers then see no table. */
    tk_close(handle);
    sleep_ms(10);
    atomic_store(&stop, 1);
    for (int i = 0; i < READERS; i++) {
        CHECK_EQ(pthread_join(threads[i], NULL), 0);
    }
    printf("  %" PRId64 " publications; reads: %ld, %ld\n", generation - 1, atomic_load(&readers[0].reads),
           atomic_load(&readers[1].reads));
    CHECK(generation > 100);
    for (int i = 0; i < READERS; i++) {
        CHECK_EQ(readers[i].broken, 0);
        CHECK_EQ(readers[i].went_back, 0);
    }
    CHECK(atomic_load(&handle->table) == NULL);
    SSL_CTX_free(ctx);
}

int main(void)
{
    TK_RUN(test_synchronize_without_readers);
    TK_RUN(test_counters_do_not_share_lines);
    TK_RUN(test_synchronize_waits_for_reader);
    TK_RUN(test_synchronize_waits_for_stale_reader);
    TK_RUN(test_threads_count_in_their_own_stripes);
    TK_RUN(test_more_threads_than_stripes);
    TK_RUN(test_nested_readers);
    TK_RUN(test_publish_while_reading);
    return 0;
}
