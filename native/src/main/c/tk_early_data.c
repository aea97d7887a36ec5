/* tk_early_data.c: TLS 1.3 early data (0-RTT) decided by the application. OpenSSL's allow_early_data callback
 * (1.1.1 and 3.x) runs only when OpenSSL itself would accept the early data: a resumption of the first PSK, no
 * HelloRetryRequest, max_early_data set, and the client's ticket age within OpenSSL's allowance (ext.early_data_ok,
 * set in tls_parse_ctos_psk). The callback makes one upcall with the resumed session and the ClientHello's random,
 * so that the application's anti-replay record and policy decide; anything but an explicit accept refuses, and the
 * handshake goes on in 1-RTT. */

#include <string.h>

#include "tk_internal.h"

static void tk_early_view_session(SSL *ssl, tk_early_data_view *view)
{
    SSL_SESSION *session = SSL_get0_session(ssl);
    if (session == NULL) {
        return;
    }
    view->protocol_version = SSL_SESSION_get_protocol_version(session);
    view->max_early_data = SSL_SESSION_get_max_early_data(session);
    view->session_time_s = (int64_t)SSL_SESSION_get_time(session);
    view->has_ticket_id = tk_ticket_id(session, view->ticket_id);
    const SSL_CIPHER *cipher = SSL_SESSION_get0_cipher(session);
    if (cipher != NULL) {
        view->cipher_id = SSL_CIPHER_get_protocol_id(cipher);
    }
    void *data = NULL;
    size_t len = 0;
    if (SSL_SESSION_get0_ticket_appdata(session, &data, &len) == 1) {
        view->has_stamp = tk_stamp_decode(data, len, &view->stamp);
    }
}

/* OpenSSL runs the servername and ALPN steps of the ClientHello before the early data step (the extension table's
 * order), so both are settled here. */
static void tk_early_view_names(SSL *ssl, tk_early_data_view *view)
{
    const char *name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    size_t name_len = name == NULL ? 0 : strlen(name);
    if (name_len > 0 && name_len <= TK_MAX_SERVER_NAME_LEN) {
        memcpy(view->server_name, name, name_len);
        view->server_name_len = (uint32_t)name_len;
    }
    const unsigned char *alpn = NULL;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    if (alpn != NULL && alpn_len > 0 && alpn_len <= TK_MAX_ALPN_LEN) {
        memcpy(view->alpn, alpn, alpn_len);
        view->alpn_len = alpn_len;
    }
}

static int tk_early_decide(const tk_call *call, SSL *ssl)
{
    tk_early_data_view view;
    memset(&view, 0, sizeof(view));
    view.context_id = call->context->id;
    tk_early_view_session(ssl, &view);
    tk_early_view_names(ssl, &view);
    /* A ticket whose limit is 0 promised the client no early data: accepting would let OpenSSL read none. */
    if (view.max_early_data == 0) {
        return 0;
    }
    if (SSL_get_client_random(ssl, view.client_random, sizeof(view.client_random)) != TK_CLIENT_RANDOM_LEN) {
        tk_count(&call->handle->crypto_errors);
        return 0;
    }
    int32_t answer = call->handle->upcalls.early_data(call->handle->upcalls.user, &view);
    switch (answer) {
    case TK_EARLY_DATA_ACCEPT:
        return 1;
    case TK_EARLY_DATA_REFUSE:
        return 0;
    default:
        tk_count(&call->handle->bad_decisions);
        return 0;
    }
}

/* Returns 1 to accept the early data, 0 to refuse it (the handshake goes on in 1-RTT). The context that counts is
 * the connection's current one, as for the ticket callbacks. */
static int tk_allow_early_data_cb(SSL *ssl, void *arg)
{
    (void)arg;
    const tk_context *context = tk_context_of(SSL_get_SSL_CTX(ssl));
    tk_call call;
    if (context == NULL || !context->early_data_on
        || !tk_call_begin(&call, context, &context->handle->closed_callbacks)) {
        return 0;
    }
    int accept = tk_early_decide(&call, ssl);
    tk_call_end(&call);
    return accept;
}

/* Called with the handle's lock held (tk_context_acquire), like every configuration of an attached context. */
static int tk_early_data_configure(tk_context *context, SSL_CTX *ctx, uint32_t max_early_data)
{
    TK_GUARD_OSSL(SSL_CTX_set_max_early_data(ctx, max_early_data), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(SSL_CTX_set_recv_max_early_data(ctx, max_early_data), TK_ERR_OPENSSL);
    SSL_CTX_set_options(ctx, SSL_OP_NO_ANTI_REPLAY);
    SSL_CTX_set_allow_early_data_cb(ctx, tk_allow_early_data_cb, context);
    return TK_OK;
}

int tk_early_data_attach(tk_handle *handle, void *ssl_ctx, uint32_t max_early_data)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL, TK_ERR_NULL);
    TK_ENSURE(max_early_data > 0 && handle->upcalls.early_data != NULL, TK_ERR_BAD_ARG);
    TK_GUARD(tk_context_acquire(handle, ssl_ctx));
    tk_context *context = tk_context_held(handle, ssl_ctx);
    context->early_data_on = 1;
    int result = tk_early_data_configure(context, ssl_ctx, max_early_data);
    tk_context_release(handle);
    return result;
}

int tk_early_data_status(const void *ssl)
{
    TK_ENSURE(ssl != NULL, TK_ERR_NULL);
    return SSL_get_early_data_status(ssl);
}
