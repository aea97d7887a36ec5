/* tk_tickets.c: the ticket callbacks' work that does not depend on OpenSSL's API generation: asking the seal and
 * open upcalls about the published key table, the session ticket callbacks (stamp on generation, the session
 * decision on decryption) and their registration. The per-ticket crypto set-up is in tk_crypto_*.c. Every
 * callback makes exactly one upcall, inside its read section (tk_call_begin). */

#include <string.h>

#include "tk_internal.h"

/* OpenSSL runs a context's ticket key callback and then its session ticket callback one after the other, on the
 * thread that handles the ClientHello, for each presented ticket. The open path sets this mark when the shim's key
 * callback let OpenSSL open the ticket; the session ticket callback takes it (reads and clears it) before
 * anything else. A ticket that opened without the mark was opened by another library's key callback, installed
 * over the shim's. Only a ticket that OpenSSL abandons with an internal error between the two callbacks (it then
 * skips the session ticket callback) leaves the mark for the next ticket decided on that thread. */
static _Thread_local int tk_opened_by_shim;

static int tk_take_opened_mark(void)
{
    int mark = tk_opened_by_shim;
    tk_opened_by_shim = 0;
    return mark;
}

const tk_key *tk_tickets_seal_key(const tk_call *call, int64_t *out_lifetime_s)
{
    tk_handle *handle = call->handle;
    const tk_key_table *table = atomic_load(&handle->table);
    *out_lifetime_s = -1;
    if (table == NULL || table->count == 0) {
        return NULL;
    }
    int32_t slot = handle->upcalls.seal(call->context->id, table->generation, out_lifetime_s);
    if (slot < 0) {
        return NULL;
    }
    if ((size_t)slot >= table->count) {
        tk_count(&handle->bad_decisions);
        return NULL;
    }
    return &table->keys[slot];
}

int tk_tickets_open_key(const tk_call *call, const unsigned char key_name[TK_KEY_NAME_LEN], const tk_key **out_key)
{
    tk_handle *handle = call->handle;
    const tk_key_table *table = atomic_load(&handle->table);
    int32_t slot = tk_key_table_find(table, key_name);
    int64_t generation = table == NULL ? -1 : table->generation;
    int32_t decision = handle->upcalls.open(call->context->id, generation, slot);
    switch (decision) {
    case TK_KEY_ABORT:
    case TK_KEY_REJECT:
        return decision;
    case TK_KEY_USE:
    case TK_KEY_RENEW:
        break;
    default:
        tk_count(&handle->bad_decisions);
        return TK_KEY_REJECT;
    }
    if (slot < 0) {
        tk_count(&handle->bad_decisions);
        return TK_KEY_REJECT;
    }
    *out_key = &table->keys[slot];
    tk_opened_by_shim = 1;
    return decision;
}

/* OpenSSL serialises the session into the ticket before it calls the ticket key callback, but writes the lifetime
 * hint (TLS 1.2) or ticket_lifetime (TLS 1.3) from the session's timeout after it: lowering the timeout here lowers
 * what the client is told, for the key just chosen. It never raises it. */
void tk_tickets_limit_lifetime(SSL *ssl, int64_t lifetime_s)
{
    SSL_SESSION *session = SSL_get0_session(ssl);
    if (session == NULL || lifetime_s <= 0) {
        return;
    }
    if ((int64_t)SSL_SESSION_get_timeout(session) > lifetime_s) {
        SSL_SESSION_set_timeout(session, (long)lifetime_s);
    }
}

static void tk_stamp_session(const tk_call *call, SSL *ssl)
{
    tk_handle *handle = call->handle;
    tk_ticket_stamp stamp;
    memset(&stamp, 0, sizeof(stamp));
    if (handle->upcalls.stamp(call->context->id, &stamp) != 1) {
        return;
    }
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, wire);
    SSL_SESSION *session = SSL_get0_session(ssl);
    if (session == NULL || SSL_SESSION_set1_ticket_appdata(session, wire, sizeof(wire)) != 1) {
        tk_count(&handle->crypto_errors);
    }
}

/* Returning 0 here would fail the handshake, so every failure only costs the stamp. */
static int tk_generate_cb(SSL *ssl, void *arg)
{
    const tk_context *context = arg;
    tk_call call;
    if (!tk_call_begin(&call, context, &context->handle->closed_callbacks)) {
        return 1;
    }
    tk_stamp_session(&call, ssl);
    tk_call_end(&call);
    return 1;
}

static int32_t tk_ticket_status(SSL_TICKET_STATUS status)
{
    switch (status) {
    case SSL_TICKET_EMPTY:
        return TK_TICKET_EMPTY;
    case SSL_TICKET_SUCCESS:
        return TK_TICKET_OPENED;
    case SSL_TICKET_SUCCESS_RENEW:
        return TK_TICKET_OPENED_RENEW;
    default:
        return TK_TICKET_NOT_OPENED;
    }
}

static void tk_view_session(const tk_handle *handle, SSL_SESSION *session, const unsigned char *key_name,
                            size_t key_name_len, tk_session_view *view)
{
    view->protocol_version = SSL_SESSION_get_protocol_version(session);
    X509 *peer = SSL_SESSION_get0_peer(session);
    view->has_peer_certificate = peer != NULL;
    unsigned int digest_len = 0;
    if (peer != NULL && X509_digest(peer, EVP_sha256(), view->peer_sha256, &digest_len) == 1) {
        view->has_peer_sha256 = digest_len == TK_SHA256_LEN;
    }
    view->session_time_s = (int64_t)SSL_SESSION_get_time(session);

    void *data = NULL;
    size_t len = 0;
    if (SSL_SESSION_get0_ticket_appdata(session, &data, &len) == 1) {
        view->has_stamp = tk_stamp_decode(data, len, &view->stamp);
    }
    const tk_key_table *table = atomic_load(&handle->table);
    if (table != NULL && key_name != NULL && key_name_len == TK_KEY_NAME_LEN) {
        view->key_generation = table->generation;
        view->key_slot = tk_key_table_find(table, key_name);
    }
}

static SSL_TICKET_RETURN tk_session_return(tk_handle *handle, int32_t decision, int opened)
{
    switch (decision) {
    case TK_SESSION_ABORT:
        return SSL_TICKET_RETURN_ABORT;
    case TK_SESSION_IGNORE:
        return SSL_TICKET_RETURN_IGNORE;
    case TK_SESSION_IGNORE_RENEW:
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    case TK_SESSION_USE:
    case TK_SESSION_USE_RENEW:
        break;
    default:
        tk_count(&handle->bad_decisions);
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    /* OpenSSL treats USE without an opened ticket as an error, so such a decision becomes a full handshake. */
    if (!opened) {
        tk_count(&handle->bad_decisions);
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    return decision == TK_SESSION_USE ? SSL_TICKET_RETURN_USE : SSL_TICKET_RETURN_USE_RENEW;
}

static SSL_TICKET_RETURN tk_decide_session(const tk_call *call, SSL_SESSION *session, const unsigned char *key_name,
                                           size_t key_name_len, SSL_TICKET_STATUS status)
{
    tk_session_view view;
    memset(&view, 0, sizeof(view));
    view.context_id = call->context->id;
    view.status = tk_ticket_status(status);
    view.key_generation = -1;
    view.key_slot = -1;
    int opened = (view.status == TK_TICKET_OPENED || view.status == TK_TICKET_OPENED_RENEW) && session != NULL;
    if (!opened && view.status != TK_TICKET_EMPTY) {
        view.status = TK_TICKET_NOT_OPENED;
    }
    if (opened) {
        tk_view_session(call->handle, session, key_name, key_name_len, &view);
    }
    return tk_session_return(call->handle, call->handle->upcalls.session(&view), opened);
}

/* A ticket another library's key callback opened: the application hears of it, and OpenSSL's own rule decides, as
 * if no session ticket callback were installed. */
static SSL_TICKET_RETURN tk_pass_foreign(const tk_call *call, SSL_TICKET_STATUS status)
{
    tk_session_view view;
    memset(&view, 0, sizeof(view));
    view.context_id = call->context->id;
    view.status = TK_TICKET_FOREIGN;
    view.key_generation = -1;
    view.key_slot = -1;
    call->handle->upcalls.session(&view);
    return status == SSL_TICKET_SUCCESS_RENEW ? SSL_TICKET_RETURN_USE_RENEW : SSL_TICKET_RETURN_USE;
}

static int tk_status_opened(SSL_TICKET_STATUS status)
{
    return status == SSL_TICKET_SUCCESS || status == SSL_TICKET_SUCCESS_RENEW;
}

static SSL_TICKET_RETURN tk_decrypt_cb(SSL *ssl, SSL_SESSION *session, const unsigned char *key_name,
                                       size_t key_name_len, SSL_TICKET_STATUS status, void *arg)
{
    (void)ssl;
    const tk_context *context = arg;
    int opened_by_shim = tk_take_opened_mark();
    tk_call call;
    if (!tk_call_begin(&call, context, &context->handle->closed_callbacks)) {
        return SSL_TICKET_RETURN_IGNORE;
    }
    SSL_TICKET_RETURN result = tk_status_opened(status) && !opened_by_shim
                                   ? tk_pass_foreign(&call, status)
                                   : tk_decide_session(&call, session, key_name, key_name_len, status);
    tk_call_end(&call);
    return result;
}

int tk_tickets_register(SSL_CTX *ctx, tk_context *context)
{
    TK_GUARD(tk_crypto_register(ctx));
    TK_GUARD_OSSL(SSL_CTX_set_session_ticket_cb(ctx, tk_generate_cb, tk_decrypt_cb, context), TK_ERR_OPENSSL);
    return TK_OK;
}
