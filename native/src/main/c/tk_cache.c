/* tk_cache.c: OpenSSL's server session cache callbacks behind the application's store. Each callback makes exactly
 * one upcall, inside its read section, and sessions cross the boundary as DER bytes. */

#include <string.h>

#include "tk_internal.h"

/* A session's DER form is serialised into, and read from, a buffer on the handshake thread's stack: no allocation
 * per callback beyond what OpenSSL itself does. It holds a master secret, so every path cleanses it. */
typedef struct tk_der_buffer {
    unsigned char bytes[TK_SESSION_MAX_DER_LEN];
} tk_der_buffer;

/* Under TLS 1.3 OpenSSL reports every new session, also those a stateless ticket carries; only stateful tickets
 * (SSL_OP_NO_TICKET) are looked up by id later. */
static int tk_is_stateless_tls13(const SSL *ssl)
{
    return SSL_version(ssl) == TLS1_3_VERSION && (SSL_get_options(ssl) & SSL_OP_NO_TICKET) == 0;
}

static void tk_offer_session(const tk_call *call, SSL *ssl, SSL_SESSION *session)
{
    tk_handle *handle = call->handle;
    if (tk_is_stateless_tls13(ssl)) {
        tk_count(&handle->cache.stateless_skipped);
        return;
    }
    unsigned int id_len = 0;
    const unsigned char *id = SSL_SESSION_get_id(session, &id_len);
    tk_der_buffer buffer;
    uint32_t der_len = tk_session_to_der(session, buffer.bytes);
    if (der_len == 0) {
        tk_count(&handle->cache.too_large);
        return;
    }
    const tk_cache_upcalls *upcalls = &handle->cache.upcalls;
    upcalls->new_session(upcalls->user, call->context->id, id, id_len, buffer.bytes, der_len,
                         (int64_t)SSL_SESSION_get_timeout(session));
    OPENSSL_cleanse(buffer.bytes, der_len);
}

/* Returning 0 tells OpenSSL that the shim took no reference to |session|. */
static int tk_new_session_cb(SSL *ssl, SSL_SESSION *session)
{
    const tk_context *context = tk_context_of(SSL_get_SSL_CTX(ssl));
    tk_call call;
    if (context == NULL || !tk_call_begin(&call, context, &context->handle->cache.closed_callbacks)) {
        return 0;
    }
    tk_offer_session(&call, ssl, session);
    tk_call_end(&call);
    return 0;
}

/* The store's answer is parsed while the buffer is still there; the buffer is then cleansed whatever the answer
 * was, since the store may have written into it before it returned a length the shim refuses. */
static SSL_SESSION *tk_parse_answer(tk_handle *handle, const tk_der_buffer *buffer, int32_t der_len,
                                    const unsigned char *id, int id_len)
{
    if (der_len == 0) {
        return NULL;
    }
    if (der_len < 0 || der_len > TK_SESSION_MAX_DER_LEN) {
        tk_count(&handle->bad_decisions);
        return NULL;
    }
    SSL_SESSION *session = tk_session_for_id(buffer->bytes, (size_t)der_len, id, (unsigned int)id_len);
    if (session == NULL) {
        tk_count(&handle->cache.bad_sessions);
    }
    return session;
}

static SSL_SESSION *tk_look_up_session(const tk_call *call, const unsigned char *id, int id_len)
{
    if (id_len <= 0 || id_len > TK_SESSION_ID_MAX_LEN) {
        return NULL;
    }
    tk_handle *handle = call->handle;
    tk_der_buffer buffer;
    const tk_cache_upcalls *upcalls = &handle->cache.upcalls;
    int32_t der_len = upcalls->get_session(upcalls->user, call->context->id, id, (uint32_t)id_len, buffer.bytes,
                                           sizeof(buffer.bytes));
    SSL_SESSION *session = tk_parse_answer(handle, &buffer, der_len, id, id_len);
    OPENSSL_cleanse(buffer.bytes, sizeof(buffer.bytes));
    return session;
}

/* OpenSSL's reference rule: with *copy = 0 it takes over the reference d2i_SSL_SESSION gave us. */
static SSL_SESSION *tk_get_session_cb(SSL *ssl, const unsigned char *id, int id_len, int *copy)
{
    *copy = 0;
    const tk_context *context = tk_context_of(SSL_get_SSL_CTX(ssl));
    tk_call call;
    if (context == NULL || !tk_call_begin(&call, context, &context->handle->cache.closed_callbacks)) {
        return NULL;
    }
    SSL_SESSION *session = tk_look_up_session(&call, id, id_len);
    tk_call_end(&call);
    return session;
}

static void tk_remove_session_cb(SSL_CTX *ctx, SSL_SESSION *session)
{
    const tk_context *context = tk_context_of(ctx);
    tk_call call;
    if (context == NULL || !tk_call_begin(&call, context, &context->handle->cache.closed_callbacks)) {
        return;
    }
    unsigned int id_len = 0;
    const unsigned char *id = SSL_SESSION_get_id(session, &id_len);
    call.handle->cache.upcalls.remove_session(call.handle->cache.upcalls.user, context->id, id, id_len);
    tk_call_end(&call);
}

static TK_MUST_CHECK int tk_cache_mode_flags(int32_t mode, long *out_flags)
{
    switch (mode) {
    case TK_CACHE_EXTERNAL:
        *out_flags = SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL;
        return TK_OK;
    case TK_CACHE_INTERNAL:
        *out_flags = SSL_SESS_CACHE_SERVER;
        return TK_OK;
    default:
        return TK_ERR_BAD_ARG;
    }
}

/* Whether |ctx| has session cache callbacks that are not the shim's (another library's, about to be replaced). */
static int tk_has_other_cache_callbacks(SSL_CTX *ctx)
{
    SSL_SESSION *(*get_cb)(SSL *, const unsigned char *, int, int *) = SSL_CTX_sess_get_get_cb(ctx);
    int (*new_cb)(SSL *, SSL_SESSION *) = SSL_CTX_sess_get_new_cb(ctx);
    void (*remove_cb)(SSL_CTX *, SSL_SESSION *) = SSL_CTX_sess_get_remove_cb(ctx);
    return (new_cb != NULL && new_cb != tk_new_session_cb) || (get_cb != NULL && get_cb != tk_get_session_cb)
           || (remove_cb != NULL && remove_cb != tk_remove_session_cb);
}

static void tk_cache_register(SSL_CTX *ctx, long flags)
{
    SSL_CTX_set_session_cache_mode(ctx, flags);
    SSL_CTX_sess_set_new_cb(ctx, tk_new_session_cb);
    SSL_CTX_sess_set_get_cb(ctx, tk_get_session_cb);
    SSL_CTX_sess_set_remove_cb(ctx, tk_remove_session_cb);
}

int tk_cache_attach(tk_handle *handle, void *ssl_ctx, int32_t mode)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL, TK_ERR_NULL);
    long flags = 0;
    TK_GUARD(tk_cache_mode_flags(mode, &flags));
    TK_ENSURE(handle->cache.enabled, TK_ERR_BAD_ARG);
    TK_ENSURE(!atomic_load(&handle->closed), TK_ERR_CLOSED);
    TK_GUARD(tk_context_acquire(handle, ssl_ctx));
    if (tk_has_other_cache_callbacks(ssl_ctx)) {
        tk_context_held(handle, ssl_ctx)->findings |= TK_FINDING_CACHE_CALLBACKS_REPLACED;
    }
    tk_cache_register(ssl_ctx, flags);
    tk_context_release(handle);
    return TK_OK;
}

int tk_cache_get_stats(const tk_handle *handle, tk_cache_stats *out_stats)
{
    TK_ENSURE(handle != NULL && out_stats != NULL, TK_ERR_NULL);
    out_stats->stateless_skipped = tk_counter_read(&handle->cache.stateless_skipped);
    out_stats->too_large = tk_counter_read(&handle->cache.too_large);
    out_stats->bad_sessions = tk_counter_read(&handle->cache.bad_sessions);
    out_stats->closed_callbacks = tk_counter_read(&handle->cache.closed_callbacks);
    return TK_OK;
}

static TK_MUST_CHECK int tk_add_parsed_session(SSL_CTX *ctx, SSL_SESSION *session)
{
    unsigned int id_len = 0;
    SSL_SESSION_get_id(session, &id_len);
    TK_ENSURE(id_len > 0, TK_ERR_BAD_SESSION);
    /* 0 from SSL_CTX_add_session means the session is cached already, which a warm start may well repeat. */
    SSL_CTX_add_session(ctx, session);
    return TK_OK;
}

static TK_MUST_CHECK int tk_add_session(SSL_CTX *ctx, const uint8_t *der, size_t der_len)
{
    SSL_SESSION *session = NULL;
    TK_GUARD(tk_session_from_der(der, der_len, &session));
    int result = tk_add_parsed_session(ctx, session);
    SSL_SESSION_free(session);
    return result;
}

int tk_cache_add_session(tk_handle *handle, void *ssl_ctx, const uint8_t *der, size_t der_len)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL && der != NULL, TK_ERR_NULL);
    TK_GUARD(tk_context_acquire(handle, ssl_ctx));
    int result = tk_add_session(ssl_ctx, der, der_len);
    tk_context_release(handle);
    return result;
}
