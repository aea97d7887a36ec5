/* tk_crypto_ossl3.c: the per-ticket crypto set-up for OpenSSL 3: the EVP ticket key callback, AES-CBC from ciphers
 * fetched once per handle, HMAC-SHA256 through EVP_MAC parameters. This file is the only one that uses OpenSSL 3's
 * provider API; a build for OpenSSL 1.1.1 replaces it with one that implements tk_crypto.* with HMAC_CTX. */

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "tk_internal.h"

struct tk_crypto {
    EVP_CIPHER *aes_128_cbc;
    EVP_CIPHER *aes_256_cbc;
};

void tk_crypto_free(tk_crypto *crypto)
{
    if (crypto == NULL) {
        return;
    }
    EVP_CIPHER_free(crypto->aes_128_cbc);
    EVP_CIPHER_free(crypto->aes_256_cbc);
    OPENSSL_free(crypto);
}

int tk_crypto_new(tk_crypto **out_crypto)
{
    tk_crypto *crypto = OPENSSL_zalloc(sizeof(*crypto));
    TK_ENSURE(crypto != NULL, TK_ERR_NOMEM);
    crypto->aes_128_cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
    crypto->aes_256_cbc = EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL);
    if (crypto->aes_128_cbc == NULL || crypto->aes_256_cbc == NULL) {
        tk_crypto_free(crypto);
        return TK_ERR_OPENSSL;
    }
    *out_crypto = crypto;
    return TK_OK;
}

/* The digest cannot be fetched once per handle like the ciphers: OpenSSL makes a new EVP_MAC_CTX for every ticket
 * and HMAC takes its digest only by name (OSSL_MAC_PARAM_DIGEST is a string), which the provider fetches on every
 * EVP_MAC_CTX_set_params (about 0.25 us, and reads under the method store's locks; OpenSSL's own ticket keys pay
 * it too, and a cipher fetch besides). The deprecated HMAC_CTX callback would take a fetched EVP_MD, but OpenSSL 3
 * builds use the EVP one. */
static TK_MUST_CHECK int tk_set_mac_key(EVP_MAC_CTX *hctx, const tk_key *key)
{
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, (void *)key->hmac_key, key->hmac_key_len);
    params[2] = OSSL_PARAM_construct_end();
    TK_GUARD_OSSL(EVP_MAC_CTX_set_params(hctx, params), TK_ERR_OPENSSL);
    return TK_OK;
}

static const EVP_CIPHER *tk_cipher_for(const tk_crypto *crypto, const tk_key *key)
{
    return key->aes_key_len == 16 ? crypto->aes_128_cbc : crypto->aes_256_cbc;
}

static TK_MUST_CHECK int tk_seal_with(const tk_crypto *crypto, const tk_key *key, unsigned char *key_name,
                                      unsigned char *iv, EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx)
{
    const EVP_CIPHER *cipher = tk_cipher_for(crypto, key);
    memcpy(key_name, key->name, TK_KEY_NAME_LEN);
    TK_GUARD_OSSL(RAND_bytes(iv, EVP_CIPHER_get_iv_length(cipher)), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(EVP_EncryptInit_ex(cctx, cipher, NULL, key->aes_key, iv), TK_ERR_OPENSSL);
    return tk_set_mac_key(hctx, key);
}

static TK_MUST_CHECK int tk_open_with(const tk_crypto *crypto, const tk_key *key, const unsigned char *iv,
                                      EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx)
{
    TK_GUARD_OSSL(EVP_DecryptInit_ex(cctx, tk_cipher_for(crypto, key), NULL, key->aes_key, iv), TK_ERR_OPENSSL);
    return tk_set_mac_key(hctx, key);
}

/* enc = 1: returns 1 with a sealed ticket set up, or 0 for "no ticket". */
static int tk_seal(SSL *ssl, const tk_call *call, unsigned char *key_name, unsigned char *iv, EVP_CIPHER_CTX *cctx,
                   EVP_MAC_CTX *hctx)
{
    int64_t lifetime_s = -1;
    const tk_key *key = tk_tickets_seal_key(call, ssl, &lifetime_s);
    if (key == NULL) {
        return 0;
    }
    if (tk_seal_with(call->handle->crypto, key, key_name, iv, cctx, hctx) != TK_OK) {
        tk_count(&call->handle->crypto_errors);
        return 0;
    }
    tk_tickets_limit_lifetime(ssl, lifetime_s);
    return 1;
}

/* enc = 0: returns TK_KEY_USE or TK_KEY_RENEW with the ticket's key set up, 0 for a full handshake, or -1 to fail
 * the handshake. */
static int tk_open(SSL *ssl, const tk_call *call, const unsigned char *key_name, const unsigned char *iv,
                   EVP_CIPHER_CTX *cctx, EVP_MAC_CTX *hctx)
{
    const tk_key *key = NULL;
    int decision = tk_tickets_open_key(call, ssl, key_name, &key);
    if (decision != TK_KEY_USE && decision != TK_KEY_RENEW) {
        return decision;
    }
    if (tk_open_with(call->handle->crypto, key, iv, cctx, hctx) != TK_OK) {
        tk_count(&call->handle->crypto_errors);
        return TK_KEY_REJECT;
    }
    return decision;
}

static int tk_ticket_key_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *cctx,
                            EVP_MAC_CTX *hctx, int enc)
{
    const tk_context *context = tk_context_of(SSL_get_SSL_CTX(ssl));
    tk_call call;
    if (context == NULL || !tk_call_begin(&call, context, &context->handle->closed_callbacks)) {
        return 0;
    }
    int result = enc ? tk_seal(ssl, &call, key_name, iv, cctx, hctx) : tk_open(ssl, &call, key_name, iv, cctx, hctx);
    tk_call_end(&call);
    return result;
}

int tk_crypto_register(SSL_CTX *ctx)
{
    TK_GUARD_OSSL(SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, tk_ticket_key_cb), TK_ERR_OPENSSL);
    return TK_OK;
}
