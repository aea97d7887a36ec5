/* key_lookup.c: what the shim's key lookup (tk_key_table_find) costs with 10 to 1,000,000 published keys.
 *
 * Every presented ticket's key name is looked up in the published table, once for the ticket key callback and
 * once for the session view. This program builds tables of random keys and times lookups of names spread over
 * the whole table, and of unknown names (a forged or retired ticket), in ns per lookup. CMake builds it with the
 * C unit tests as tk_bench_key_lookup (so it keeps compiling); run it by hand:
 *
 *   cmake -S . -B target/cmake && cmake --build target/cmake -j && target/cmake/tk_bench_key_lookup
 */

#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "tk_internal.h"

#define LOOKUPS 10000000L
#define PROBES 4096

static volatile int32_t sink;

static double seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static double time_lookups(const tk_key_table *table, unsigned char (*names)[TK_KEY_NAME_LEN])
{
    double start = seconds();
    for (long i = 0; i < LOOKUPS; i++) {
        sink = tk_key_table_find(table, names[i % PROBES]);
    }
    return (seconds() - start) * 1e9 / (double)LOOKUPS;
}

static int measure(size_t count)
{
    tk_key *keys = OPENSSL_zalloc(count * sizeof(*keys));
    unsigned char (*known)[TK_KEY_NAME_LEN] = malloc(PROBES * TK_KEY_NAME_LEN);
    unsigned char (*unknown)[TK_KEY_NAME_LEN] = malloc(PROBES * TK_KEY_NAME_LEN);
    tk_key_table *table = NULL;
    if (keys == NULL || known == NULL || unknown == NULL) {
        return 1;
    }
    for (size_t i = 0; i < count; i++) {
        if (RAND_bytes((unsigned char *)&keys[i], (int)sizeof(keys[i])) != 1) {
            return 1;
        }
        keys[i].hmac_key_len = 32;
        keys[i].aes_key_len = 32;
    }
    if (tk_key_table_new(keys, count, 1, &table) != TK_OK
        || RAND_bytes((unsigned char *)unknown, PROBES * TK_KEY_NAME_LEN) != 1) {
        return 1;
    }
    for (long i = 0; i < PROBES; i++) {
        memcpy(known[i], keys[(size_t)rand() % count].name, TK_KEY_NAME_LEN);
    }
    printf("%8zu keys: %5.1f ns per known name, %5.1f ns per unknown name\n", count, time_lookups(table, known),
           time_lookups(table, unknown));
    tk_key_table_free(table);
    OPENSSL_clear_free(keys, count * sizeof(*keys));
    free(known);
    free(unknown);
    return 0;
}

int main(void)
{
    static const size_t counts[] = {10, 100, 1000, 10000, 100000, 1000000};
    for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        if (measure(counts[i]) != 0) {
            fprintf(stderr, "key_lookup: could not build a table of %zu keys\n", counts[i]);
            return 1;
        }
    }
    return 0;
}
