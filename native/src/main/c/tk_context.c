/* tk_context.c: server contexts joining and leaving a handle. Each attached SSL_CTX carries a tk_context record in
 * its ex_data; OpenSSL's free of the context marks the record freed (under the handle's lock) and drops the
 * context's reference, so that no later call touches a freed context. The read section every callback runs in is in
 * tk_call.c. */

#include "tk_internal.h"

static CRYPTO_ONCE tk_ex_index_once = CRYPTO_ONCE_STATIC_INIT;
static int tk_ex_index = -1;

/* Runs inside SSL_CTX_free, after OpenSSL flushed the context's session cache (whose remove callbacks still find
 * the record) and when no handshake can use the context any more. */
static void tk_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent;
    (void)ad;
    (void)idx;
    (void)argl;
    (void)argp;
    tk_context *context = ptr;
    if (context == NULL) {
        return;
    }
    tk_handle *handle = context->handle;
    if (CRYPTO_THREAD_write_lock(handle->lock)) {
        atomic_store(&context->state, TK_CONTEXT_FREED);
        CRYPTO_THREAD_unlock(handle->lock);
    }
    tk_handle_release(handle);
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

tk_context *tk_context_of(const SSL_CTX *ctx)
{
    int index = tk_ex_index_get();
    if (ctx == NULL || index < 0) {
        return NULL;
    }
    return SSL_CTX_get_ex_data(ctx, index);
}

/* tk_find_context returns the newest record of the address |ssl_ctx| in |handle| (newer records come first, so a
 * context attached at the address of a freed one is found before the freed one), or NULL. The caller holds the
 * lock. */
static tk_context *tk_find_context(const tk_handle *handle, const void *ssl_ctx)
{
    for (tk_context *context = handle->contexts; context != NULL; context = context->next) {
        if ((const void *)context->ctx == ssl_ctx) {
            return context;
        }
    }
    return NULL;
}

static TK_MUST_CHECK int tk_context_check(const tk_context *context)
{
    TK_ENSURE(context != NULL, TK_ERR_NOT_ATTACHED);
    switch (atomic_load(&context->state)) {
    case TK_CONTEXT_ATTACHED:
        return TK_OK;
    case TK_CONTEXT_FREED:
        return TK_ERR_CONTEXT_FREED;
    default:
        return TK_ERR_NOT_ATTACHED;
    }
}

int tk_context_acquire(tk_handle *handle, const void *ssl_ctx)
{
    TK_ENSURE(CRYPTO_THREAD_write_lock(handle->lock), TK_ERR_OPENSSL);
    int result = tk_context_check(tk_find_context(handle, ssl_ctx));
    if (result != TK_OK) {
        CRYPTO_THREAD_unlock(handle->lock);
    }
    return result;
}

void tk_context_release(tk_handle *handle)
{
    CRYPTO_THREAD_unlock(handle->lock);
}

tk_context *tk_context_held(tk_handle *handle, const void *ssl_ctx)
{
    return tk_find_context(handle, ssl_ctx);
}

/* The newest record attached under |context_id|, or NULL. The caller holds the lock. */
static const tk_context *tk_find_context_id(const tk_handle *handle, int64_t context_id)
{
    for (const tk_context *context = handle->contexts; context != NULL; context = context->next) {
        if (context->id == context_id) {
            return context;
        }
    }
    return NULL;
}

int tk_context_state(const tk_handle *handle, int64_t context_id)
{
    TK_ENSURE(handle != NULL, TK_ERR_NULL);
    TK_ENSURE(CRYPTO_THREAD_read_lock(handle->lock), TK_ERR_OPENSSL);
    const tk_context *context = tk_find_context_id(handle, context_id);
    int state = context == NULL ? TK_ERR_NOT_ATTACHED : atomic_load(&context->state);
    CRYPTO_THREAD_unlock(handle->lock);
    return state;
}

int tk_context_findings(tk_handle *handle, const void *ssl_ctx, uint32_t *out_findings)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL && out_findings != NULL, TK_ERR_NULL);
    TK_GUARD(tk_context_acquire(handle, ssl_ctx));
    uint32_t findings = tk_find_context(handle, ssl_ctx)->findings;
    if ((SSL_CTX_get_options(ssl_ctx) & SSL_OP_NO_TICKET) != 0) {
        findings |= TK_FINDING_NO_TICKET;
    }
    tk_context_release(handle);
    *out_findings = findings;
    return TK_OK;
}

/* Under the lock: the record joins the handle and the context before any callback can look for it. */
static TK_MUST_CHECK int tk_link_context(tk_handle *handle, SSL_CTX *ctx, tk_context *context)
{
    int index = tk_ex_index_get();
    TK_ENSURE(index >= 0, TK_ERR_OPENSSL);
    TK_ENSURE(!atomic_load(&handle->closed), TK_ERR_CLOSED);
    TK_ENSURE(SSL_CTX_get_ex_data(ctx, index) == NULL, TK_ERR_ATTACHED);
    TK_GUARD_OSSL(SSL_CTX_set_ex_data(ctx, index, context), TK_ERR_NOMEM);
    /* The context's reference, dropped by tk_ex_free. */
    atomic_fetch_add(&handle->refs, 1);
    context->next = handle->contexts;
    handle->contexts = context;
    return TK_OK;
}

int tk_attach(tk_handle *handle, void *ssl_ctx, int64_t context_id)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL, TK_ERR_NULL);
    /* Before anything reads the context's ex_data: another libssl's context has another layout. */
    TK_ENSURE(tk_ssl_ctx_is_ours(ssl_ctx), TK_ERR_FOREIGN_CONTEXT);
    tk_context *context = OPENSSL_zalloc(sizeof(*context));
    TK_ENSURE(context != NULL, TK_ERR_NOMEM);
    context->handle = handle;
    context->ctx = ssl_ctx;
    context->id = context_id;
    atomic_init(&context->state, TK_CONTEXT_ATTACHED);

    int result = TK_ERR_OPENSSL;
    if (CRYPTO_THREAD_write_lock(handle->lock)) {
        result = tk_link_context(handle, ssl_ctx, context);
        CRYPTO_THREAD_unlock(handle->lock);
    }
    if (result != TK_OK) {
        OPENSSL_free(context);
        return result;
    }
    /* The record is linked: from here on it belongs to the handle, whatever the callbacks' registration says. */
    return tk_tickets_register(ssl_ctx, context);
}

int tk_detach(tk_handle *handle, void *ssl_ctx)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL, TK_ERR_NULL);
    TK_GUARD(tk_context_acquire(handle, ssl_ctx));
    atomic_store(&tk_find_context(handle, ssl_ctx)->state, TK_CONTEXT_DETACHED);
    /* A callback that saw the context attached is inside its read section: wait it out. */
    tk_epoch_synchronize(&handle->epoch);
    tk_context_release(handle);
    return TK_OK;
}
