/* tk_test_store.c: a small session store in C (see tk_test_store.h). Single-threaded, like the tests using it. */

#include <stdlib.h>
#include <string.h>

#include "tk_test.h"
#include "tk_test_store.h"
#include "tk_test_handle.h"
#include "tk_test_tls.h"

typedef struct tk_test_entry {
    uint8_t id[TK_SESSION_ID_MAX_LEN];
    uint32_t id_len;
    uint8_t *der;
    uint32_t der_len;
} tk_test_entry;

static tk_test_entry entries[TK_TEST_STORE_SLOTS];
static int next_slot;
static tk_test_get_mode get_mode;
static tk_test_store_counts counts;

static void tk_test_entry_clear(tk_test_entry *entry)
{
    free(entry->der);
    memset(entry, 0, sizeof(*entry));
}

static tk_test_entry *tk_test_find(const uint8_t *id, uint32_t id_len)
{
    for (int i = 0; i < TK_TEST_STORE_SLOTS; i++) {
        if (entries[i].der != NULL && entries[i].id_len == id_len && memcmp(entries[i].id, id, id_len) == 0) {
            return &entries[i];
        }
    }
    return NULL;
}

/* The upcalls count through |user| (the store's counts), so every count a test checks also proves that the shim
 * passed tk_cache_upcalls.user through. */
static int32_t tk_test_new(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len, const uint8_t *der,
                           uint32_t der_len, int64_t timeout_s)
{
    tk_test_store_counts *store_counts = user;
    (void)context_id;
    store_counts->puts++;
    store_counts->last_timeout_s = timeout_s;
    if (id_len == 0 || id_len > TK_SESSION_ID_MAX_LEN) {
        return 0;
    }
    tk_test_entry *entry = &entries[next_slot];
    next_slot = (next_slot + 1) % TK_TEST_STORE_SLOTS;
    tk_test_entry_clear(entry);
    entry->der = malloc(der_len);
    if (entry->der == NULL) {
        return 0;
    }
    memcpy(entry->id, id, id_len);
    entry->id_len = id_len;
    memcpy(entry->der, der, der_len);
    entry->der_len = der_len;
    return 1;
}

static const tk_test_entry *tk_test_other(const tk_test_entry *not_this)
{
    for (int i = 0; i < TK_TEST_STORE_SLOTS; i++) {
        if (entries[i].der != NULL && &entries[i] != not_this) {
            return &entries[i];
        }
    }
    return NULL;
}

static int32_t tk_test_get(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len, uint8_t *out_der,
                           uint32_t capacity)
{
    tk_test_store_counts *store_counts = user;
    (void)context_id;
    store_counts->gets++;
    const tk_test_entry *entry = tk_test_find(id, id_len);
    switch (get_mode) {
    case TK_TEST_GET_GARBAGE:
        memset(out_der, 0x30, 64);
        return 64;
    case TK_TEST_GET_OTHER:
        entry = tk_test_other(entry);
        break;
    case TK_TEST_GET_TOO_LONG:
        return (int32_t)capacity + 1;
    case TK_TEST_GET_HONEST:
    default:
        break;
    }
    if (entry == NULL || entry->der_len > capacity) {
        return 0;
    }
    store_counts->hits++;
    memcpy(out_der, entry->der, entry->der_len);
    return (int32_t)entry->der_len;
}

static int32_t tk_test_remove(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len)
{
    tk_test_store_counts *store_counts = user;
    (void)context_id;
    store_counts->removes++;
    tk_test_entry *entry = tk_test_find(id, id_len);
    if (entry != NULL) {
        tk_test_entry_clear(entry);
    }
    return 0;
}

const tk_cache_upcalls tk_test_store_upcalls = {&counts, tk_test_new, tk_test_get, tk_test_remove};

void tk_test_store_reset(void)
{
    for (int i = 0; i < TK_TEST_STORE_SLOTS; i++) {
        tk_test_entry_clear(&entries[i]);
    }
    next_slot = 0;
    get_mode = TK_TEST_GET_HONEST;
    memset(&counts, 0, sizeof(counts));
}

void tk_test_store_set_get_mode(tk_test_get_mode mode)
{
    get_mode = mode;
}

tk_test_store_counts tk_test_store_counts_now(void)
{
    return counts;
}

int tk_test_store_size(void)
{
    int size = 0;
    for (int i = 0; i < TK_TEST_STORE_SLOTS; i++) {
        size += entries[i].der != NULL;
    }
    return size;
}

const uint8_t *tk_test_store_der(int slot, uint32_t *out_len)
{
    *out_len = entries[slot].der_len;
    return entries[slot].der;
}

void tk_test_cache_open(tk_test_cache *cache, int version, int32_t mode)
{
    tk_test_store_reset();
    cache->server = tk_test_server_ctx(version);
    cache->client = tk_test_client_ctx(version);
    CHECK(cache->server != NULL && cache->client != NULL);
    SSL_CTX_set_options(cache->server, SSL_OP_NO_TICKET);
    cache->handle = tk_test_install(cache->server, &tk_test_no_ticket_upcalls, &tk_test_store_upcalls);
    CHECK_EQ(tk_cache_attach(cache->handle, cache->server, mode), TK_OK);
}

void tk_test_cache_close(tk_test_cache *cache)
{
    tk_close(cache->handle);
    SSL_CTX_free(cache->server);
    SSL_CTX_free(cache->client);
    tk_test_store_reset();
}
