/* tk_handle.c: the life of a handle: install on an SSL_CTX, key table publication, close and release. */

#include <string.h>

#include <openssl/crypto.h>

#include "tk_internal.h"

static CRYPTO_ONCE tk_ex_index_once = CRYPTO_ONCE_STATIC_INIT;
static int tk_ex_index = -1;

static void tk_handle_release(tk_handle *handle)
{
    if (atomic_fetch_sub(&handle->refs, 1) != 1) {
        return;
    }
    tk_key_table_free(atomic_exchange(&handle->table, NULL));
    EVP_CIPHER_free(handle->aes_128_cbc);
    EVP_CIPHER_free(handle->aes_256_cbc);
    CRYPTO_THREAD_lock_free(handle->publish_lock);
    OPENSSL_free(handle);
}

/* Runs when the SSL_CTX is freed: no handshake can use the context any more, so its reference goes. */
static void tk_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent;
    (void)ad;
    (void)idx;
    (void)argl;
    (void)argp;
    if (ptr == NULL) {
        return;
    }
    tk_handle_release(ptr);
}

static void tk_ex_index_init(void)
{
    tk_ex_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, tk_ex_free);
}

static int tk_ex_index_get(void)
{
    if (!CRYPTO_THREAD_run_once(&tk_ex_index_once, tk_ex_index_init)) {
        return -1;
    }
    return tk_ex_index;
}

tk_handle *tk_handle_of(const SSL_CTX *ctx)
{
    int index = tk_ex_index_get();
    if (ctx == NULL || index < 0) {
        return NULL;
    }
    return SSL_CTX_get_ex_data(ctx, index);
}

static int tk_handle_new(const tk_upcalls *upcalls, tk_handle **out_handle)
{
    tk_handle *handle = OPENSSL_zalloc(sizeof(*handle));
    TK_ENSURE(handle != NULL, TK_ERR_NOMEM);
    atomic_init(&handle->refs, 1);
    handle->upcalls = *upcalls;
    handle->publish_lock = CRYPTO_THREAD_lock_new();
    handle->aes_128_cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
    handle->aes_256_cbc = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
    *out_handle = handle;
    if (handle->publish_lock == NULL) {
        return TK_ERR_NOMEM;
    }
    TK_ENSURE(handle->aes_128_cbc != NULL && handle->aes_256_cbc != NULL, TK_ERR_OPENSSL);
    return TK_OK;
}

static int tk_attach(SSL_CTX *ctx, tk_handle *handle)
{
    int index = tk_ex_index_get();
    TK_ENSURE(index >= 0, TK_ERR_OPENSSL);
    TK_ENSURE(SSL_CTX_get_ex_data(ctx, index) == NULL, TK_ERR_INSTALLED);
    /* The context's reference is taken before the callbacks can run and is dropped by tk_ex_free. */
    atomic_fetch_add(&handle->refs, 1);
    if (SSL_CTX_set_ex_data(ctx, index, handle) != 1) {
        atomic_fetch_sub(&handle->refs, 1);
        return TK_ERR_OPENSSL;
    }
    return tk_register_callbacks(ctx, handle);
}

int tk_install(void *ssl_ctx, const tk_upcalls *upcalls, tk_handle **out_handle)
{
    TK_ENSURE(ssl_ctx != NULL && upcalls != NULL && out_handle != NULL, TK_ERR_NULL);
    TK_ENSURE(upcalls->encrypt != NULL && upcalls->decrypt != NULL, TK_ERR_NULL);
    TK_ENSURE(upcalls->generate != NULL && upcalls->session != NULL, TK_ERR_NULL);

    tk_handle *handle = NULL;
    int result = tk_handle_new(upcalls, &handle);
    if (result == TK_OK) {
        result = tk_attach(ssl_ctx, handle);
    }
    if (result != TK_OK) {
        tk_close(handle);
        return result;
    }
    *out_handle = handle;
    return TK_OK;
}

static int tk_swap_table(tk_handle *handle, tk_key_table *table)
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

    if (!CRYPTO_THREAD_write_lock(handle->publish_lock)) {
        tk_key_table_free(table);
        return TK_ERR_OPENSSL;
    }
    int result = tk_swap_table(handle, table);
    CRYPTO_THREAD_unlock(handle->publish_lock);
    if (result != TK_OK) {
        tk_key_table_free(table);
    }
    return result;
}

int tk_get_stats(const tk_handle *handle, tk_stats *out_stats)
{
    TK_ENSURE(handle != NULL && out_stats != NULL, TK_ERR_NULL);
    out_stats->closed_callbacks = atomic_load(&handle->closed_callbacks);
    out_stats->crypto_errors = atomic_load(&handle->crypto_errors);
    out_stats->bad_decisions = atomic_load(&handle->bad_decisions);
    return TK_OK;
}

void tk_close(tk_handle *handle)
{
    if (handle == NULL) {
        return;
    }
    if (handle->publish_lock != NULL && CRYPTO_THREAD_write_lock(handle->publish_lock)) {
        atomic_store(&handle->closed, 1);
        /* Unpublish before the grace period, so that even a reader that missed the flag cannot reach the table. */
        tk_key_table *retired = atomic_exchange(&handle->table, NULL);
        tk_epoch_synchronize(&handle->epoch);
        tk_key_table_free(retired);
        CRYPTO_THREAD_unlock(handle->publish_lock);
    }
    tk_handle_release(handle);
}
