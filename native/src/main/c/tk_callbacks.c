/* tk_callbacks.c: OpenSSL's ticket callbacks. Each makes exactly one upcall, inside an epoch read section so
 * that the key table it reads and the upcall functions it calls outlive the call. */

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/rand.h>

#include "tk_internal.h"

static int tk_set_mac_key(EVP_MAC_CTX *hctx, const tk_key *key)
{
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)key->hmac_key, key->hmac_key_len);
    params[2] = OSSL_PARAM_construct_end();
    TK_GUARD_OSSL(EVP_MAC_CTX_set_params(hctx, params), TK_ERR_OPENSSL);
    return TK_OK;
}

static const EVP_CIPHER *tk_cipher_for(const tk_handle *handle, const tk_key *key)
{
    return key->aes_key_len == 16 ? handle->aes_128_cbc : handle->aes_256_cbc;
}

static int tk_seal_with(tk_handle *handle, const tk_key *key, unsigned char *key_name, unsigned char *iv,
                        EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx)
{
    const EVP_CIPHER *cipher = tk_cipher_for(handle, key);
    memcpy(key_name, key->name, TK_KEY_NAME_LEN);
    TK_GUARD_OSSL(RAND_bytes(iv, EVP_CIPHER_get_iv_length(cipher)), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(EVP_EncryptInit_ex(cctx, cipher, NULL, key->aes_key, iv), TK_ERR_OPENSSL);
    return tk_set_mac_key(hctx, key);
}

static int tk_open_with(tk_handle *handle, const tk_key *key, const unsigned char *iv, EVP_CIPHER_CTX *cctx,
                        EVP_MAC_CTX *hctx)
{
    TK_GUARD_OSSL(EVP_DecryptInit_ex(cctx, tk_cipher_for(handle, key), NULL, key->aes_key, iv), TK_ERR_OPENSSL);
    return tk_set_mac_key(hctx, key);
}

/* OpenSSL serialises the session into the ticket before it calls the ticket key callback, but writes the
 * lifetime hint (TLS 1.2) or ticket_lifetime (TLS 1.3) from the session's timeout after it: lowering the timeout
 * here lowers what the client is told, for the key just chosen. It never raises it. */
static void tk_limit_lifetime(SSL *ssl, int64_t lifetime_s)
{
    SSL_SESSION *session = SSL_get0_session(ssl);
    if (session == NULL || lifetime_s <= 0) {
        return;
    }
    if ((int64_t)SSL_SESSION_get_timeout(session) > lifetime_s) {
        SSL_SESSION_set_timeout(session, (long)lifetime_s);
    }
}

/* enc = 1: returns 1 with a sealed ticket set up, or 0 for "no ticket". */
static int tk_seal(SSL *ssl, tk_handle *handle, unsigned char *key_name, unsigned char *iv,
                   EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx)
{
    const tk_key_table *table = atomic_load(&handle->table);
    if (table == NULL || table->count == 0) {
        return 0;
    }
    int64_t lifetime_s = -1;
    int32_t slot = handle->upcalls.encrypt(table->generation, &lifetime_s);
    if (slot < 0) {
        return 0;
    }
    if ((size_t)slot >= table->count) {
        atomic_fetch_add(&handle->bad_decisions, 1);
        return 0;
    }
    if (tk_seal_with(handle, &table->keys[slot], key_name, iv, cctx, hctx) != TK_OK) {
        atomic_fetch_add(&handle->crypto_errors, 1);
        return 0;
    }
    tk_limit_lifetime(ssl, lifetime_s);
    return 1;
}

/* enc = 0: returns TK_KEY_USE or TK_KEY_RENEW with the ticket's key set up, 0 for a full handshake, or -1 to
 * fail the handshake. */
static int tk_open(tk_handle *handle, const unsigned char *key_name, const unsigned char *iv,
                   EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx)
{
    const tk_key_table *table = atomic_load(&handle->table);
    int32_t slot = tk_key_table_find(table, key_name);
    int64_t generation = table == NULL ? -1 : table->generation;
    int32_t decision = handle->upcalls.decrypt(generation, slot);
    switch (decision) {
    case TK_KEY_ABORT:
        return -1;
    case TK_KEY_REJECT:
        return 0;
    case TK_KEY_USE:
    case TK_KEY_RENEW:
        break;
    default:
        atomic_fetch_add(&handle->bad_decisions, 1);
        return 0;
    }
    if (slot < 0) {
        atomic_fetch_add(&handle->bad_decisions, 1);
        return 0;
    }
    if (tk_open_with(handle, &table->keys[slot], iv, cctx, hctx) != TK_OK) {
        atomic_fetch_add(&handle->crypto_errors, 1);
        return 0;
    }
    return decision;
}

static int tk_ticket_key_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *cctx,
                            EVP_MAC_CTX *hctx, int enc)
{
    tk_handle *handle = tk_handle_of(SSL_get_SSL_CTX(ssl));
    if (handle == NULL) {
        return 0;
    }
    int ticket = tk_epoch_enter(&handle->epoch);
    int result = 0;
    if (atomic_load(&handle->closed)) {
        atomic_fetch_add(&handle->closed_callbacks, 1);
    } else {
        result = enc ? tk_seal(ssl, handle, key_name, iv, cctx, hctx) : tk_open(handle, key_name, iv, cctx, hctx);
    }
    tk_epoch_exit(&handle->epoch, ticket);
    return result;
}

static void tk_stamp_session(tk_handle *handle, SSL *ssl)
{
    tk_ticket_stamp stamp;
    memset(&stamp, 0, sizeof(stamp));
    if (handle->upcalls.generate(&stamp) != 1) {
        return;
    }
    unsigned char wire[TK_STAMP_WIRE_LEN];
    tk_stamp_encode(&stamp, wire);
    SSL_SESSION *session = SSL_get0_session(ssl);
    if (session == NULL || SSL_SESSION_set1_ticket_appdata(session, wire, sizeof(wire)) != 1) {
        atomic_fetch_add(&handle->crypto_errors, 1);
    }
}

/* Returning 0 here would fail the handshake, so every failure only costs the stamp. */
static int tk_generate_cb(SSL *ssl, void *arg)
{
    tk_handle *handle = arg;
    int ticket = tk_epoch_enter(&handle->epoch);
    if (atomic_load(&handle->closed)) {
        atomic_fetch_add(&handle->closed_callbacks, 1);
    } else {
        tk_stamp_session(handle, ssl);
    }
    tk_epoch_exit(&handle->epoch, ticket);
    return 1;
}

static int32_t tk_ticket_status(SSL_TICKET_STATUS status)
{
    switch (status) {
    case SSL_TICKET_EMPTY:
        return TK_TICKET_EMPTY;
    case SSL_TICKET_SUCCESS:
        return TK_TICKET_SUCCESS;
    case SSL_TICKET_SUCCESS_RENEW:
        return TK_TICKET_SUCCESS_RENEW;
    default:
        return TK_TICKET_NO_DECRYPT;
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

static SSL_TICKET_RETURN tk_session_return(tk_handle *handle, int32_t decision, int decrypted)
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
        atomic_fetch_add(&handle->bad_decisions, 1);
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    /* OpenSSL treats USE without a decrypted ticket as an error, so such a decision becomes a full handshake. */
    if (!decrypted) {
        atomic_fetch_add(&handle->bad_decisions, 1);
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    return decision == TK_SESSION_USE ? SSL_TICKET_RETURN_USE : SSL_TICKET_RETURN_USE_RENEW;
}

static SSL_TICKET_RETURN tk_decide_session(tk_handle *handle, SSL_SESSION *session, const unsigned char *key_name,
                                           size_t key_name_len, SSL_TICKET_STATUS status)
{
    tk_session_view view;
    memset(&view, 0, sizeof(view));
    view.status = tk_ticket_status(status);
    view.key_generation = -1;
    view.key_slot = -1;
    int decrypted = (view.status == TK_TICKET_SUCCESS || view.status == TK_TICKET_SUCCESS_RENEW) && session != NULL;
    if (!decrypted && view.status != TK_TICKET_EMPTY) {
        view.status = TK_TICKET_NO_DECRYPT;
    }
    if (decrypted) {
        tk_view_session(handle, session, key_name, key_name_len, &view);
    }
    return tk_session_return(handle, handle->upcalls.session(&view), decrypted);
}

static SSL_TICKET_RETURN tk_decrypt_cb(SSL *ssl, SSL_SESSION *session, const unsigned char *key_name,
                                       size_t key_name_len, SSL_TICKET_STATUS status, void *arg)
{
    (void)ssl;
    tk_handle *handle = arg;
    int ticket = tk_epoch_enter(&handle->epoch);
    SSL_TICKET_RETURN result = SSL_TICKET_RETURN_IGNORE;
    if (atomic_load(&handle->closed)) {
        atomic_fetch_add(&handle->closed_callbacks, 1);
    } else {
        result = tk_decide_session(handle, session, key_name, key_name_len, status);
    }
    tk_epoch_exit(&handle->epoch, ticket);
    return result;
}

int tk_register_callbacks(SSL_CTX *ctx, tk_handle *handle)
{
    TK_GUARD_OSSL(SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, tk_ticket_key_cb), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(SSL_CTX_set_session_ticket_cb(ctx, tk_generate_cb, tk_decrypt_cb, handle), TK_ERR_OPENSSL);
    return TK_OK;
}
