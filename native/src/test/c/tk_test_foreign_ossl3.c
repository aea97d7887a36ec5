/* tk_test_foreign_ossl3.c: tk_test_foreign.h for OpenSSL 3: the EVP ticket key callback with EVP_MAC. */

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "tk_test_foreign.h"

static tk_test_foreign *tk_foreign;

static int tk_foreign_mac_key(EVP_MAC_CTX *hctx)
{
    OSSL_PARAM params[3];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, "SHA256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_MAC_PARAM_KEY, tk_foreign->hmac, sizeof(tk_foreign->hmac));
    params[2] = OSSL_PARAM_construct_end();
    return EVP_MAC_CTX_set_params(hctx, params);
}

static int tk_foreign_key_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *cctx,
                             EVP_MAC_CTX *hctx, int enc)
{
    (void)ssl;
    if (enc) {
        memcpy(key_name, tk_foreign->name, 16);
        int sealed = RAND_bytes(iv, 16) == 1
                     && EVP_EncryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, tk_foreign->aes, iv) == 1
                     && tk_foreign_mac_key(hctx) == 1;
        return sealed ? 1 : -1;
    }
    if (memcmp(key_name, tk_foreign->name, 16) != 0) {
        return 0;
    }
    tk_foreign->opens++;
    int opened = EVP_DecryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, tk_foreign->aes, iv) == 1
                 && tk_foreign_mac_key(hctx) == 1;
    return opened ? tk_foreign->renew : -1;
}

int tk_test_foreign_install(SSL_CTX *ctx, tk_test_foreign *foreign)
{
    tk_foreign = foreign;
    return SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, tk_foreign_key_cb) == 1;
}
