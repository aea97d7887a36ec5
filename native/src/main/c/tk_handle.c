/* tk_handle.c: the life of a handle: creation, key table publication, statistics, close and release. Contexts
 * join and leave it in tk_context.c. */

#include <string.h>

#include "tk_internal.h"

static void tk_contexts_free(tk_context *context)
{
    while (context != NULL) {
        tk_context *next = context->next;
        OPENSSL_free(context);
        context = next;
    }
}

static void tk_handle_free(tk_handle *handle)
{
    tk_key_table_free(atomic_exchange(&handle->table, NULL));
    tk_contexts_free(handle->contexts);
    tk_crypto_free(handle->crypto);
    CRYPTO_THREAD_lock_free(handle->lock);
    OPENSSL_free(handle);
}

void tk_handle_release(tk_handle *handle)
{
    if (atomic_fetch_sub(&handle->refs, 1) != 1) {
        return;
    }
    tk_handle_free(handle);
}

static int tk_upcalls_complete(const tk_upcalls *upcalls, const tk_cache_upcalls *cache_upcalls)
{
    int tickets = upcalls->seal != NULL && upcalls->open != NULL && upcalls->stamp != NULL
                 && upcalls->session != NULL;
    int cache = cache_upcalls == NULL
                || (cache_upcalls->new_session != NULL && cache_upcalls->get_session != NULL
                    && cache_upcalls->remove_session != NULL);
    return tickets && cache;
}

static TK_MUST_CHECK int tk_handle_fill(tk_handle *handle, const tk_upcalls *upcalls,
                                        const tk_cache_upcalls *cache_upcalls)
{
    atomic_init(&handle->refs, 1);
    handle->upcalls = *upcalls;
    if (cache_upcalls != NULL) {
        handle->cache.enabled = 1;
        handle->cache.upcalls = *cache_upcalls;
    }
    handle->lock = CRYPTO_THREAD_lock_new();
    TK_ENSURE(handle->lock != NULL, TK_ERR_NOMEM);
    return tk_crypto_new(&handle->crypto);
}

int tk_handle_new(const tk_upcalls *upcalls, const tk_cache_upcalls *cache_upcalls, tk_handle **out_handle)
{
    TK_ENSURE(upcalls != NULL && out_handle != NULL, TK_ERR_NULL);
    TK_ENSURE(tk_upcalls_complete(upcalls, cache_upcalls), TK_ERR_NULL);
    tk_handle *handle = OPENSSL_zalloc(sizeof(*handle));
    TK_ENSURE(handle != NULL, TK_ERR_NOMEM);
    int result = tk_handle_fill(handle, upcalls, cache_upcalls);
    if (result != TK_OK) {
        tk_handle_free(handle);
        return result;
    }
    *out_handle = handle;
    return TK_OK;
}

static TK_MUST_CHECK int tk_swap_table(tk_handle *handle, tk_key_table *table)
{
    TK_ENSURE(!atomic_load(&handle->closed), TK_ERR_CLOSED);
    tk_key_table *retired = atomic_exchange(&handle->table, table);
    tk_epoch_synchronize(&handle->epoch);
    tk_key_table_free(retired);
    return TK_OK;
}

int tk_publish_keys(tk_handle *handle, const tk_key *keys, size_t count, int64_t generation)
{
    TK_ENSURE(handle != NULL, TK_ERR_NULL);
    tk_key_table *table = NULL;
    TK_GUARD(tk_key_table_new(keys, count, generation, &table));
    int result = TK_ERR_OPENSSL;
    if (CRYPTO_THREAD_write_lock(handle->lock)) {
        result = tk_swap_table(handle, table);
        CRYPTO_THREAD_unlock(handle->lock);
    }
    if (result != TK_OK) {
        tk_key_table_free(table);
    }
    return result;
}

int tk_set_ticket_ids(tk_handle *handle, int32_t on)
{
    TK_ENSURE(handle != NULL, TK_ERR_NULL);
    atomic_store(&handle->ticket_ids, on != 0);
    return TK_OK;
}

int tk_get_stats(const tk_handle *handle, tk_stats *out_stats)
{
    TK_ENSURE(handle != NULL && out_stats != NULL, TK_ERR_NULL);
    out_stats->closed_callbacks = tk_counter_read(&handle->closed_callbacks);
    out_stats->detached_callbacks = tk_counter_read(&handle->detached_callbacks);
    out_stats->crypto_errors = tk_counter_read(&handle->crypto_errors);
    out_stats->bad_decisions = tk_counter_read(&handle->bad_decisions);
    out_stats->unstamped_tickets_refused = tk_counter_read(&handle->unstamped_tickets_refused);
    return TK_OK;
}

/* With the lock: the grace period tk_epoch_synchronize gives, which must not run beside another writer's. */
static void tk_close_locked(tk_handle *handle)
{
    /* Unpublish before the grace period, so that even a reader that missed the flag cannot reach the table. */
    tk_key_table *retired = atomic_exchange(&handle->table, NULL);
    tk_epoch_synchronize(&handle->epoch);
    tk_key_table_free(retired);
}

/* Without the lock (taking it failed): a writer may be publishing beside us, so no grace period of our own. Every
 * callback that starts from now on sees the flag and leaves at once; wait until the ones inside have left. A
 * table a racing publication installs after the exchange is never read (the flag stops every reader) and is freed
 * with the handle. */
static void tk_close_unlocked(tk_handle *handle)
{
    tk_key_table *retired = atomic_exchange(&handle->table, NULL);
    tk_epoch_wait_idle(&handle->epoch);
    tk_key_table_free(retired);
}

void tk_close(tk_handle *handle)
{
    if (handle == NULL) {
        return;
    }
    /* First and unconditionally: a handle whose lock fails must still stop its upcalls. */
    atomic_store(&handle->closed, 1);
    if (!CRYPTO_THREAD_write_lock(handle->lock)) {
        tk_close_unlocked(handle);
        tk_handle_release(handle);
        return;
    }
    tk_close_locked(handle);
    CRYPTO_THREAD_unlock(handle->lock);
    tk_handle_release(handle);
}
