/* tk_tickets.c: the ticket callbacks' work that does not depend on OpenSSL's API generation: asking the seal and
 * open upcalls about the published key table, the session ticket callbacks (stamp on generation, the session
 * decision on decryption) and their registration. The per-ticket crypto set-up is in tk_crypto_*.c. Every
 * callback makes exactly one upcall, inside its read section (tk_call_begin). */

#include <string.h>

#include "tk_internal.h"

/* Marks a connection carries between two of the shim's callbacks, as flags in one SSL ex_data slot. They belong
 * to the connection, not to the thread that runs a callback: with SSL_MODE_ASYNC a handshake job may go on on
 * another thread, and connections interleave on one thread.
 *
 * TK_MARK_OPENED: OpenSSL runs the key callback and then the session ticket callback for each presented ticket.
 * The open path sets it when the shim's key callback let OpenSSL open the ticket; the session ticket callback
 * takes it (reads and clears it) before anything else. A ticket that opened without it was opened by another
 * library's key callback, installed over the shim's. Only a ticket that OpenSSL abandons with an internal error
 * between the two callbacks (it then fails the connection) leaves it set.
 *
 * TK_MARK_STAMPED: OpenSSL runs the generate callback before it builds each new ticket (TLS 1.2 and 1.3, 1.1.1 and
 * 3.x: tls_construct_new_session_ticket), and the key callback's seal step after it. The generate callback clears
 * it, then sets it once the stamp is stored in the session; the seal step takes it and issues no ticket without
 * it, so no ticket leaves unstamped by accident.
 *
 * The flags live in the pointer value itself: no allocation of ours. OpenSSL allocates the connection's ex_data
 * stack on its first SSL_set_ex_data (one small allocation per connection that gets a ticket or presents one),
 * and frees it with the connection; a connection whose flags never change is never written. */
enum { TK_MARK_OPENED = 0x1, TK_MARK_STAMPED = 0x2 };

static CRYPTO_ONCE tk_mark_index_once = CRYPTO_ONCE_STATIC_INIT;
static int tk_mark_index = -1;

static void tk_mark_index_init(void)
{
    tk_mark_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

static int tk_mark_index_get(void)
{
    if (!CRYPTO_THREAD_run_once(&tk_mark_index_once, tk_mark_index_init)) {
        return -1;
    }
    return tk_mark_index;
}

static unsigned int tk_marks(const SSL *ssl)
{
    int index = tk_mark_index_get();
    if (index < 0) {
        return 0;
    }
    return (unsigned int)(uintptr_t)SSL_get_ex_data(ssl, index);
}

static int tk_set_marks(SSL *ssl, unsigned int marks)
{
    int index = tk_mark_index_get();
    TK_ENSURE(index >= 0, TK_ERR_OPENSSL);
    TK_GUARD_OSSL(SSL_set_ex_data(ssl, index, (void *)(uintptr_t)marks), TK_ERR_NOMEM);
    return TK_OK;
}

static TK_MUST_CHECK int tk_mark(SSL *ssl, unsigned int mark)
{
    unsigned int marks = tk_marks(ssl);
    if ((marks & mark) != 0) {
        return TK_OK;
    }
    return tk_set_marks(ssl, marks | mark);
}

/* Returns 1 if |mark| was set, and clears it. Failing to clear it is harmless: only a set mark is ever written
 * (which is why tk_set_marks alone is not must-check). */
static int tk_take_mark(SSL *ssl, unsigned int mark)
{
    unsigned int marks = tk_marks(ssl);
    if ((marks & mark) == 0) {
        return 0;
    }
    (void)tk_set_marks(ssl, marks & ~mark);
    return 1;
}

/* The slot the seal upcall chose, or -1 for no ticket (counted when the answer was out of range). */
static int32_t tk_chosen_slot(tk_handle *handle, const tk_key_table *table, int32_t sealed, int32_t slot)
{
    switch (sealed) {
    case TK_SEAL_NONE:
        return -1;
    case TK_SEAL_CHOSEN:
        break;
    default:
        tk_count(&handle->bad_decisions);
        return -1;
    }
    if (slot < 0 || (size_t)slot >= table->count) {
        tk_count(&handle->bad_decisions);
        return -1;
    }
    return slot;
}

const tk_key *tk_tickets_seal_key(const tk_call *call, SSL *ssl, int64_t *out_lifetime_s)
{
    tk_handle *handle = call->handle;
    *out_lifetime_s = -1;
    if (!tk_take_mark(ssl, TK_MARK_STAMPED)) {
        tk_count(&handle->unstamped_tickets_refused);
        return NULL;
    }
    const tk_key_table *table = atomic_load(&handle->table);
    if (table == NULL || table->count == 0) {
        return NULL;
    }
    int32_t slot = -1;
    int32_t sealed =
        handle->upcalls.seal(handle->upcalls.user, call->context->id, table->generation, &slot, out_lifetime_s);
    slot = tk_chosen_slot(handle, table, sealed, slot);
    if (slot < 0) {
        *out_lifetime_s = -1;
        return NULL;
    }
    return &table->keys[slot];
}

int tk_tickets_open_key(const tk_call *call, SSL *ssl, const unsigned char key_name[TK_KEY_NAME_LEN],
                        const tk_key **out_key)
{
    tk_handle *handle = call->handle;
    const tk_key_table *table = atomic_load(&handle->table);
    int32_t slot = tk_key_table_find(table, key_name);
    int64_t generation = table == NULL ? -1 : table->generation;
    int32_t decision = handle->upcalls.open(handle->upcalls.user, call->context->id, generation, slot);
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
    /* Without the mark the session ticket callback would take the shim's ticket for another library's: refuse. */
    if (tk_mark(ssl, TK_MARK_OPENED) != TK_OK) {
        tk_count(&handle->crypto_errors);
        return TK_KEY_REJECT;
    }
    *out_key = &table->keys[slot];
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

/* A session that already carries a stamp of the shim's is being ticketed again: a TLS 1.2 ticket renewed on
 * resumption, a TLS 1.3 resumption (OpenSSL copies the resumed session with its app data), or a connection's
 * second TLS 1.3 ticket. The master secret is the same, so the age must be too: the new stamp keeps the earlier
 * issued_at_ms, and renewals never make a session younger. */
static void tk_keep_first_issue(SSL_SESSION *session, tk_ticket_stamp *stamp)
{
    void *data = NULL;
    size_t len = 0;
    tk_ticket_stamp earlier;
    if (SSL_SESSION_get0_ticket_appdata(session, &data, &len) != 1 || !tk_stamp_decode(data, len, &earlier)) {
        return;
    }
    if (earlier.issued_at_ms < stamp->issued_at_ms) {
        stamp->issued_at_ms = earlier.issued_at_ms;
    }
}

/* The stamp upcall lowered the early data this ticket allows: OpenSSL copied the connection's max_early_data into
 * the session just before its generate callback (where this runs), seals the ticket from the session, and writes
 * the ticket's early_data extension from the connection's value after it (tls_construct_new_session_ticket,
 * tls_construct_stoc_early_data), so both are lowered. A higher answer is never applied. */
static TK_MUST_CHECK int tk_lower_early_data(SSL *ssl, SSL_SESSION *session, uint32_t allowed, uint32_t wanted)
{
    if (wanted >= allowed) {
        return TK_OK;
    }
    TK_GUARD_OSSL(SSL_SESSION_set_max_early_data(session, wanted), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(SSL_set_max_early_data(ssl, wanted), TK_ERR_OPENSSL);
    return TK_OK;
}

/* Returns TK_OK once the stamp is stored in the session that the ticket will carry, with the early data the
 * upcall allows. */
static TK_MUST_CHECK int tk_stamp_session(const tk_call *call, SSL *ssl)
{
    tk_handle *handle = call->handle;
    SSL_SESSION *session = SSL_get0_session(ssl);
    TK_ENSURE(session != NULL, TK_ERR_OPENSSL);
    tk_ticket_stamp stamp;
    memset(&stamp, 0, sizeof(stamp));
    uint32_t allowed = SSL_get_max_early_data(ssl);
    uint32_t max_early_data = allowed;
    int32_t stamped = handle->upcalls.stamp(handle->upcalls.user, call->context->id, &stamp, &max_early_data);
    TK_ENSURE(stamped == TK_STAMP_STORED, TK_ERR_BAD_ARG);
    tk_keep_first_issue(session, &stamp);
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, wire);
    if (SSL_SESSION_set1_ticket_appdata(session, wire, sizeof(wire)) != 1
        || tk_lower_early_data(ssl, session, allowed, max_early_data) != TK_OK) {
        tk_count(&handle->crypto_errors);
        return TK_ERR_OPENSSL;
    }
    return TK_OK;
}

/* Returning 0 here would fail the handshake: a failure leaves the connection without TK_MARK_STAMPED instead, and
 * the seal step then issues no ticket. OpenSSL passes the argument of the context the connection started on; the
 * context that counts is the connection's current one (a servername callback may have switched it). */
static int tk_generate_cb(SSL *ssl, void *arg)
{
    (void)arg;
    (void)tk_take_mark(ssl, TK_MARK_STAMPED);
    const tk_context *context = tk_context_of(SSL_get_SSL_CTX(ssl));
    tk_call call;
    if (context == NULL || !tk_call_begin(&call, context, &context->handle->closed_callbacks)) {
        return 1;
    }
    if (tk_stamp_session(&call, ssl) == TK_OK && tk_mark(ssl, TK_MARK_STAMPED) != TK_OK) {
        tk_count(&call.handle->crypto_errors);
    }
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
    if (view->protocol_version == TLS1_3_VERSION && atomic_load_explicit(&handle->ticket_ids, memory_order_relaxed)) {
        view->has_ticket_id = tk_ticket_id(session, view->ticket_id);
    }

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
        /* 0 among them: what a dead or failed upcall returns (TK_SESSION_ABORT is -1 for that reason). */
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

static uint32_t tk_read_u16(const unsigned char *p)
{
    return ((uint32_t)p[0] << 8) | (uint32_t)p[1];
}

enum { TK_SNI_HOST_NAME = 0 };

uint32_t tk_server_name_parse(const unsigned char *data, size_t len, uint8_t out_name[TK_MAX_SERVER_NAME_LEN])
{
    if (data == NULL || len < 2 || tk_read_u16(data) != len - 2) {
        return 0;
    }
    size_t at = 2;
    while (at < len) {
        if (len - at < 3) {
            return 0;
        }
        unsigned int type = data[at];
        size_t name_len = tk_read_u16(data + at + 1);
        at += 3;
        if (name_len > len - at) {
            return 0;
        }
        if (type == TK_SNI_HOST_NAME) {
            if (name_len == 0 || name_len > TK_MAX_SERVER_NAME_LEN) {
                return 0;
            }
            memcpy(out_name, data + at, name_len);
            return (uint32_t)name_len;
        }
        at += name_len;
    }
    return 0;
}

/* The decrypt callback runs while OpenSSL processes the ClientHello (TLS 1.2: ssl_get_prev_session, TLS 1.3: the
 * pre_shared_key extension), before the servername callback: the client's server_name is still readable there. */
static void tk_view_server_name(SSL *ssl, tk_session_view *view)
{
    const unsigned char *data = NULL;
    size_t len = 0;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &data, &len) != 1) {
        return;
    }
    view->server_name_len = tk_server_name_parse(data, len, view->server_name);
}

static SSL_TICKET_RETURN tk_decide_session(const tk_call *call, SSL *ssl, SSL_SESSION *session,
                                           const unsigned char *key_name, size_t key_name_len,
                                           SSL_TICKET_STATUS status)
{
    tk_session_view view;
    memset(&view, 0, sizeof(view));
    view.context_id = call->context->id;
    tk_view_server_name(ssl, &view);
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
    int32_t decision = call->handle->upcalls.session(call->handle->upcalls.user, &view);
    return tk_session_return(call->handle, decision, opened);
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
    /* The answer is ignored: see tk_session_fn. */
    (void)call->handle->upcalls.session(call->handle->upcalls.user, &view);
    return status == SSL_TICKET_SUCCESS_RENEW ? SSL_TICKET_RETURN_USE_RENEW : SSL_TICKET_RETURN_USE;
}

static int tk_status_opened(SSL_TICKET_STATUS status)
{
    return status == SSL_TICKET_SUCCESS || status == SSL_TICKET_SUCCESS_RENEW;
}

static SSL_TICKET_RETURN tk_decrypt_cb(SSL *ssl, SSL_SESSION *session, const unsigned char *key_name,
                                       size_t key_name_len, SSL_TICKET_STATUS status, void *arg)
{
    (void)arg;
    int opened_by_shim = tk_take_mark(ssl, TK_MARK_OPENED);
    const tk_context *context = tk_context_of(SSL_get_SSL_CTX(ssl));
    tk_call call;
    if (context == NULL || !tk_call_begin(&call, context, &context->handle->closed_callbacks)) {
        return SSL_TICKET_RETURN_IGNORE;
    }
    SSL_TICKET_RETURN result = tk_status_opened(status) && !opened_by_shim
                                   ? tk_pass_foreign(&call, status)
                                   : tk_decide_session(&call, ssl, session, key_name, key_name_len, status);
    tk_call_end(&call);
    return result;
}

int tk_tickets_register(SSL_CTX *ctx, tk_context *context)
{
    TK_GUARD(tk_crypto_register(ctx));
    TK_GUARD_OSSL(SSL_CTX_set_session_ticket_cb(ctx, tk_generate_cb, tk_decrypt_cb, context), TK_ERR_OPENSSL);
    return TK_OK;
}
