/* tk_crypto_ossl11.c: the per-ticket crypto set-up for OpenSSL 1.1.1: the ticket key callback of that version
 * (SSL_CTX_set_tlsext_ticket_key_cb, whose MAC context is an HMAC_CTX), AES-CBC and HMAC-SHA256. It implements the
 * tk_crypto seam of tk_internal.h like tk_crypto_ossl3.c does for OpenSSL 3, and the build compiles exactly one of
 * the two (CMakeLists.txt picks it by the OpenSSL version it finds). A ticket is laid out by OpenSSL itself in both
 * versions (key name, IV, AES-CBC ciphertext, HMAC-SHA256 over the rest), so a ticket sealed here opens under the
 * same key on OpenSSL 3 and back. */

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "tk_internal.h"

/* OpenSSL 1.1.1's ciphers and digests are static objects: there is nothing to fetch once per handle, so a handle's
 * crypto state is empty and the seam's functions only keep its shape. */
struct tk_crypto {
    char unused;
};

void tk_crypto_free(tk_crypto *crypto)
{
    OPENSSL_free(crypto);
}

int tk_crypto_new(tk_crypto **out_crypto)
{
    tk_crypto *crypto = OPENSSL_zalloc(sizeof(*crypto));
    TK_ENSURE(crypto != NULL, TK_ERR_NOMEM);
    *out_crypto = crypto;
    return TK_OK;
}

static TK_MUST_CHECK int tk_set_mac_key(HMAC_CTX *hctx, const tk_key *key)
{
    TK_GUARD_OSSL(HMAC_Init_ex(hctx, key->hmac_key, (int)key->hmac_key_len, EVP_sha256(), NULL), TK_ERR_OPENSSL);
    return TK_OK;
}

static const EVP_CIPHER *tk_cipher_for(const tk_key *key)
{
    return key->aes_key_len == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
}

static TK_MUST_CHECK int tk_seal_with(const tk_key *key, unsigned char *key_name, unsigned char *iv,
                                      EVP_CIPHER_CTX *cctx, HMAC_CTX *hctx)
{
    const EVP_CIPHER *cipher = tk_cipher_for(key);
    memcpy(key_name, key->name, TK_KEY_NAME_LEN);
    TK_GUARD_OSSL(RAND_bytes(iv, EVP_CIPHER_iv_length(cipher)), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(EVP_EncryptInit_ex(cctx, cipher, NULL, key->aes_key, iv), TK_ERR_OPENSSL);
    return tk_set_mac_key(hctx, key);
}

static TK_MUST_CHECK int tk_open_with(const tk_key *key, const unsigned char *iv, EVP_CIPHER_CTX *cctx, HMAC_CTX *hctx)
{
    TK_GUARD_OSSL(EVP_DecryptInit_ex(cctx, tk_cipher_for(key), NULL, key->aes_key, iv), TK_ERR_OPENSSL);
    return tk_set_mac_key(hctx, key);
}

static TK_MUST_CHECK int tk_random_key(tk_key *key)
{
    key->hmac_key_len = TK_MAX_SECRET_LEN;
    key->aes_key_len = TK_MAX_SECRET_LEN;
    TK_GUARD_OSSL(RAND_bytes(key->name, TK_KEY_NAME_LEN), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(RAND_bytes(key->hmac_key, TK_MAX_SECRET_LEN), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(RAND_bytes(key->aes_key, TK_MAX_SECRET_LEN), TK_ERR_OPENSSL);
    return TK_OK;
}

/* OpenSSL 1.1.1 cannot leave a TLS 1.3 ticket out from this callback: on 0 it sends a malformed, empty
 * NewSessionTicket that clients answer with a fatal alert (OpenSSL 3 sends none). Where OpenSSL 3 sends no ticket,
 * this seals one under a one-time random key that nobody keeps and sets its ticket_lifetime to 0, which tells the
 * client to discard it (RFC 8446, 4.6.1); a client that offers it anyway names an unknown key and gets a full
 * handshake. The connection then sends no further ticket: OpenSSL 1.1.1 cannot seal a session whose timeout is 0
 * again (it fails the connection). Returns 1 with the ticket set up, or -1 when even that fails. */
static int tk_seal_unusable(SSL *ssl, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                            HMAC_CTX *hctx)
{
    tk_key key;
    int result = tk_random_key(&key);
    if (result == TK_OK) {
        result = tk_seal_with(&key, key_name, iv, cctx, hctx);
    }
    OPENSSL_cleanse(&key, sizeof(key));
    SSL_SESSION *session = SSL_get0_session(ssl);
    if (result != TK_OK || session == NULL) {
        return -1;
    }
    SSL_SESSION_set_timeout(session, 0);
    SSL_set_num_tickets(ssl, 0);
    return 1;
}

/* "No ticket" as this version can say it: 0 under TLS 1.2 (an empty ticket), an unusable ticket under TLS 1.3. */
static int tk_no_ticket(SSL *ssl, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx, HMAC_CTX *hctx)
{
    if (SSL_version(ssl) != TLS1_3_VERSION) {
        return 0;
    }
    return tk_seal_unusable(ssl, key_name, iv, cctx, hctx);
}

/* enc = 1: returns 1 with a sealed ticket set up, or what tk_no_ticket returns. */
static int tk_seal(SSL *ssl, const tk_call *call, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                   HMAC_CTX *hctx)
{
    int64_t lifetime_s = -1;
    const tk_key *key = tk_tickets_seal_key(call, ssl, &lifetime_s);
    if (key == NULL) {
        return tk_no_ticket(ssl, key_name, iv, cctx, hctx);
    }
    if (tk_seal_with(key, key_name, iv, cctx, hctx) != TK_OK) {
        tk_count(&call->handle->crypto_errors);
        return tk_no_ticket(ssl, key_name, iv, cctx, hctx);
    }
    tk_tickets_limit_lifetime(ssl, lifetime_s);
    return 1;
}

/* enc = 0: returns TK_KEY_USE or TK_KEY_RENEW with the ticket's key set up, 0 for a full handshake, or -1 to fail
 * the handshake. */
static int tk_open(SSL *ssl, const tk_call *call, const unsigned char *key_name, const unsigned char *iv,
                   EVP_CIPHER_CTX *cctx, HMAC_CTX *hctx)
{
    const tk_key *key = NULL;
    int decision = tk_tickets_open_key(call, ssl, key_name, &key);
    if (decision != TK_KEY_USE && decision != TK_KEY_RENEW) {
        return decision;
    }
    if (tk_open_with(key, iv, cctx, hctx) != TK_OK) {
        tk_count(&call->handle->crypto_errors);
        return TK_KEY_REJECT;
    }
    return decision;
}

static int tk_ticket_key_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *cctx,
                            HMAC_CTX *hctx, int enc)
{
    const tk_context *context = tk_context_of(SSL_get_SSL_CTX(ssl));
    tk_call call;
    if (context == NULL || !tk_call_begin(&call, context, &context->handle->closed_callbacks)) {
        return enc ? tk_no_ticket(ssl, key_name, iv, cctx, hctx) : 0;
    }
    int result = enc ? tk_seal(ssl, &call, key_name, iv, cctx, hctx) : tk_open(ssl, &call, key_name, iv, cctx, hctx);
    tk_call_end(&call);
    return result;
}

int tk_crypto_register(SSL_CTX *ctx)
{
    TK_GUARD_OSSL(SSL_CTX_set_tlsext_ticket_key_cb(ctx, tk_ticket_key_cb), TK_ERR_OPENSSL);
    return TK_OK;
}
