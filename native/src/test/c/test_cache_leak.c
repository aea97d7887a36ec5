/* test_cache_leak.c: OpenSSL's reference rules in the cache callbacks (tk_cache.c) hold over many resumptions.
 * Every OpenSSL allocation goes through counting functions; after a warm-up, 100,000 TLS 1.2 resumptions by
 * session id (each parsing a session in the get callback and handing it over with *copy = 0) and 5,000 TLS 1.3
 * stateful resumptions (each also storing fresh sessions through the new callback and dropping the used one) must
 * leave the number of live allocations where it was. One leaked session per resumption would be 100,000 more. */

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/ssl.h>

#include "ticketkeeper.h"
#include "tk_test.h"
#include "tk_test_store.h"
#include "tk_test_tls.h"

enum { TLS12_RESUMPTIONS = 100000, TLS13_RESUMPTIONS = 5000, WARM_UP = 200, SLACK = 64 };

/* Each block carries its size in front, so that live bytes can be counted as well as live blocks. */
typedef union block_header {
    size_t size;
    max_align_t align;
} block_header;

static atomic_long live_blocks;
static atomic_long live_bytes;

static void *count_malloc(size_t size, const char *file, int line)
{
    (void)file;
    (void)line;
    block_header *header = malloc(sizeof(block_header) + size);
    if (header == NULL) {
        return NULL;
    }
    header->size = size;
    atomic_fetch_add(&live_blocks, 1);
    atomic_fetch_add(&live_bytes, (long)size);
    return header + 1;
}

static void count_free(void *ptr, const char *file, int line)
{
    (void)file;
    (void)line;
    if (ptr == NULL) {
        return;
    }
    block_header *header = (block_header *)ptr - 1;
    atomic_fetch_sub(&live_blocks, 1);
    atomic_fetch_sub(&live_bytes, (long)header->size);
    free(header);
}

static void *count_realloc(void *ptr, size_t size, const char *file, int line)
{
    if (ptr == NULL) {
        return count_malloc(size, file, line);
    }
    block_header *old = (block_header *)ptr - 1;
    size_t old_size = old->size;
    block_header *header = realloc(old, sizeof(block_header) + size);
    if (header == NULL) {
        return NULL;
    }
    header->size = size;
    atomic_fetch_add(&live_bytes, (long)size - (long)old_size);
    return header + 1;
}

/* Resumes |count| times; under TLS 1.3 each resumption offers the session the previous one produced. */
static void resume(tk_test_cache *pair, tk_test_conn *latest, int count)
{
    for (int i = 0; i < count; i++) {
        tk_test_conn next;
        CHECK(tk_test_connect(pair->server, pair->client, latest->session, &next));
        CHECK_EQ(next.reused, 1);
        if (SSL_SESSION_get_protocol_version(next.session) == TLS1_3_VERSION) {
            tk_test_conn_clear(latest);
            *latest = next;
        } else {
            tk_test_conn_clear(&next);
        }
    }
}

static void check_flat(int version, int resumptions)
{
    tk_test_cache pair;
    tk_test_cache_open(&pair, version, TK_CACHE_EXTERNAL);
    tk_test_conn latest;
    CHECK(tk_test_connect(pair.server, pair.client, NULL, &latest));
    resume(&pair, &latest, WARM_UP);
    long blocks_before = atomic_load(&live_blocks);
    long bytes_before = atomic_load(&live_bytes);

    resume(&pair, &latest, resumptions);
    long blocks_after = atomic_load(&live_blocks);
    long bytes_after = atomic_load(&live_bytes);
    printf("# TLS 0x%x: %d resumptions, live blocks %ld -> %ld, live bytes %ld -> %ld, store hits %d\n", version,
           resumptions, blocks_before, blocks_after, bytes_before, bytes_after, tk_test_store_counts_now().hits);
    CHECK(tk_test_store_counts_now().hits >= resumptions);
    CHECK(blocks_after <= blocks_before + SLACK);
    CHECK(bytes_after <= bytes_before + SLACK * 1024);
    tk_test_conn_clear(&latest);
    tk_test_cache_close(&pair);
}

/* TK_LEAK_SCALE_DOWN=N divides the counts by N, for runs under valgrind. */
static int scaled(int count)
{
    const char *text = getenv("TK_LEAK_SCALE_DOWN");
    int divisor = text == NULL ? 1 : atoi(text);
    return divisor > 1 ? count / divisor : count;
}

static void test_tls12_resumptions_leave_memory_flat(void)
{
    check_flat(TLS1_2_VERSION, scaled(TLS12_RESUMPTIONS));
}

static void test_tls13_stateful_resumptions_leave_memory_flat(void)
{
    check_flat(TLS1_3_VERSION, scaled(TLS13_RESUMPTIONS));
}

int main(void)
{
    /* Before OpenSSL allocates anything, or the counts would miss blocks freed later. */
    CHECK(CRYPTO_set_mem_functions(count_malloc, count_realloc, count_free) == 1);
    TK_RUN(test_tls12_resumptions_leave_memory_flat);
    TK_RUN(test_tls13_stateful_resumptions_leave_memory_flat);
    return 0;
}
