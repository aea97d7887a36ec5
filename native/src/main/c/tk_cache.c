/* tk_cache.c: OpenSSL's server session cache callbacks behind the application's store. Each callback makes exactly
 * one upcall, inside the handle's epoch read section, and sessions cross the boundary as DER bytes. */

#include <string.h>

#include "tk_internal.h"

/* A session's DER form is serialised into, and read from, a buffer on the handshake thread's stack: no allocation
 * per callback beyond what OpenSSL itself does. */
typedef struct tk_der_buffer {
    unsigned char bytes[TK_SESSION_MAX_DER_LEN];
} tk_der_buffer;

/* Under TLS 1.3 OpenSSL reports every new session, also those a stateless ticket carries; only stateful tickets
 * (SSL_OP_NO_TICKET) are looked up by id later. */
static int tk_is_stateless_tls13(const SSL *ssl)
{
    return SSL_version(ssl) == TLS1_3_VERSION && (SSL_get_options(ssl) & SSL_OP_NO_TICKET) == 0;
}

static void tk_offer_session(tk_handle *handle, SSL *ssl, SSL_SESSION *session)
{
    if (tk_is_stateless_tls13(ssl)) {
        atomic_fetch_add(&handle->cache.stateless_skipped, 1);
        return;
    }
    unsigned int id_len = 0;
    const unsigned char *id = SSL_SESSION_get_id(session, &id_len);
    tk_der_buffer buffer;
    uint32_t der_len = tk_session_to_der(session, buffer.bytes);
    if (der_len == 0) {
        atomic_fetch_add(&handle->cache.too_large, 1);
        return;
    }
    handle->cache.upcalls.new_session(id, id_len, buffer.bytes, der_len, (int64_t)SSL_SESSION_get_timeout(session));
    OPENSSL_cleanse(buffer.bytes, der_len);
}

/* Returning 0 tells OpenSSL that the shim took no reference to |session|. */
static int tk_new_session_cb(SSL *ssl, SSL_SESSION *session)
{
    tk_handle *handle = tk_handle_of(SSL_get_SSL_CTX(ssl));
    if (handle == NULL) {
        return 0;
    }
    int ticket = tk_epoch_enter(&handle->epoch);
    if (atomic_load(&handle->closed)) {
        atomic_fetch_add(&handle->cache.closed_callbacks, 1);
    } else {
        tk_offer_session(handle, ssl, session);
    }
    tk_epoch_exit(&handle->epoch, ticket);
    return 0;
}

/* tk_parse_session returns the session in |der| if it parses and carries the id asked for, else NULL. */
static SSL_SESSION *tk_parse_session(const unsigned char *der, size_t der_len, const unsigned char *id,
                                     unsigned int id_len)
{
    SSL_SESSION *session = NULL;
    if (tk_session_from_der(der, der_len, &session) != TK_OK) {
        return NULL;
    }
    unsigned int found_len = 0;
    const unsigned char *found = SSL_SESSION_get_id(session, &found_len);
    if (found_len != id_len || CRYPTO_memcmp(found, id, id_len) != 0) {
        SSL_SESSION_free(session);
        return NULL;
    }
    return session;
}

static SSL_SESSION *tk_look_up_session(tk_handle *handle, const unsigned char *id, int id_len)
{
    if (id_len <= 0 || id_len > TK_SESSION_ID_MAX_LEN) {
        return NULL;
    }
    tk_der_buffer buffer;
    int32_t der_len = handle->cache.upcalls.get_session(id, (uint32_t)id_len, buffer.bytes, sizeof(buffer.bytes));
    if (der_len == 0) {
        return NULL;
    }
    if (der_len < 0 || der_len > TK_SESSION_MAX_DER_LEN) {
        atomic_fetch_add(&handle->bad_decisions, 1);
        return NULL;
    }
    SSL_SESSION *session = tk_parse_session(buffer.bytes, (size_t)der_len, id, (unsigned int)id_len);
    OPENSSL_cleanse(buffer.bytes, (size_t)der_len);
    if (session == NULL) {
        atomic_fetch_add(&handle->cache.bad_sessions, 1);
    }
    return session;
}

/* OpenSSL's reference rule: with *copy = 0 it takes over the reference d2i_SSL_SESSION gave us. */
static SSL_SESSION *tk_get_session_cb(SSL *ssl, const unsigned char *id, int id_len, int *copy)
{
    *copy = 0;
    tk_handle *handle = tk_handle_of(SSL_get_SSL_CTX(ssl));
    if (handle == NULL) {
        return NULL;
    }
    int ticket = tk_epoch_enter(&handle->epoch);
    SSL_SESSION *session = NULL;
    if (atomic_load(&handle->closed)) {
        atomic_fetch_add(&handle->cache.closed_callbacks, 1);
    } else {
        session = tk_look_up_session(handle, id, id_len);
    }
    tk_epoch_exit(&handle->epoch, ticket);
    return session;
}

static void tk_remove_session_cb(SSL_CTX *ctx, SSL_SESSION *session)
{
    tk_handle *handle = tk_handle_of(ctx);
    if (handle == NULL) {
        return;
    }
    int ticket = tk_epoch_enter(&handle->epoch);
    if (atomic_load(&handle->closed)) {
        atomic_fetch_add(&handle->cache.closed_callbacks, 1);
    } else {
        unsigned int id_len = 0;
        const unsigned char *id = SSL_SESSION_get_id(session, &id_len);
        handle->cache.upcalls.remove_session(id, id_len);
    }
    tk_epoch_exit(&handle->epoch, ticket);
}

static int tk_cache_mode_flags(int32_t mode, long *out_flags)
{
    switch (mode) {
    case TK_CACHE_EXTERNAL:
        *out_flags = SSL_SESS_CACHE_SERVER | SSL_SESS_CACHE_NO_INTERNAL;
        return TK_OK;
    case TK_CACHE_INTERNAL:
        *out_flags = SSL_SESS_CACHE_SERVER;
        return TK_OK;
    default:
        return TK_ERR_BAD_MODE;
    }
}

int tk_cache_install(tk_handle *handle, void *ssl_ctx, const tk_cache_upcalls *upcalls, int32_t mode)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL && upcalls != NULL, TK_ERR_NULL);
    TK_ENSURE(upcalls->new_session != NULL && upcalls->get_session != NULL, TK_ERR_NULL);
    TK_ENSURE(upcalls->remove_session != NULL, TK_ERR_NULL);
    long flags = 0;
    TK_GUARD(tk_cache_mode_flags(mode, &flags));
    TK_ENSURE(!atomic_load(&handle->closed), TK_ERR_CLOSED);
    SSL_CTX *ctx = ssl_ctx;
    TK_ENSURE(tk_handle_of(ctx) == handle, TK_ERR_NOT_INSTALLED);

    handle->cache.upcalls = *upcalls;
    SSL_CTX_set_session_cache_mode(ctx, flags);
    SSL_CTX_sess_set_new_cb(ctx, tk_new_session_cb);
    SSL_CTX_sess_set_get_cb(ctx, tk_get_session_cb);
    SSL_CTX_sess_set_remove_cb(ctx, tk_remove_session_cb);
    return TK_OK;
}

int tk_cache_get_stats(const tk_handle *handle, tk_cache_stats *out_stats)
{
    TK_ENSURE(handle != NULL && out_stats != NULL, TK_ERR_NULL);
    out_stats->stateless_skipped = atomic_load(&handle->cache.stateless_skipped);
    out_stats->too_large = atomic_load(&handle->cache.too_large);
    out_stats->bad_sessions = atomic_load(&handle->cache.bad_sessions);
    out_stats->closed_callbacks = atomic_load(&handle->cache.closed_callbacks);
    return TK_OK;
}

int tk_cache_add_session(void *ssl_ctx, const uint8_t *der, size_t der_len)
{
    TK_ENSURE(ssl_ctx != NULL && der != NULL, TK_ERR_NULL);
    SSL_SESSION *session = NULL;
    TK_GUARD(tk_session_from_der(der, der_len, &session));
    unsigned int id_len = 0;
    SSL_SESSION_get_id(session, &id_len);
    /* 0 from SSL_CTX_add_session means the session is cached already, which a warm start may well repeat. */
    int result = id_len == 0 ? TK_ERR_BAD_SESSION : TK_OK;
    if (result == TK_OK) {
        SSL_CTX_add_session(ssl_ctx, session);
    }
    SSL_SESSION_free(session);
    return result;
}
