/* tk_test_foreign_ossl11.c: tk_test_foreign.h for OpenSSL 1.1.1: the ticket key callback with HMAC_CTX. */

#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "tk_test_foreign.h"

static tk_test_foreign *tk_foreign;

static int tk_foreign_key_cb(SSL *ssl, unsigned char key_name[16], unsigned char *iv, EVP_CIPHER_CTX *cctx,
                             HMAC_CTX *hctx, int enc)
{
    (void)ssl;
    if (enc) {
        memcpy(key_name, tk_foreign->name, 16);
        int sealed = RAND_bytes(iv, 16) == 1
                     && EVP_EncryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, tk_foreign->aes, iv) == 1
                     && HMAC_Init_ex(hctx, tk_foreign->hmac, sizeof(tk_foreign->hmac), EVP_sha256(), NULL) == 1;
        return sealed ? 1 : -1;
    }
    if (memcmp(key_name, tk_foreign->name, 16) != 0) {
        return 0;
    }
    tk_foreign->opens++;
    int opened = EVP_DecryptInit_ex(cctx, EVP_aes_256_cbc(), NULL, tk_foreign->aes, iv) == 1
                 && HMAC_Init_ex(hctx, tk_foreign->hmac, sizeof(tk_foreign->hmac), EVP_sha256(), NULL) == 1;
    return opened ? tk_foreign->renew : -1;
}

int tk_test_foreign_install(SSL_CTX *ctx, tk_test_foreign *foreign)
{
    tk_foreign = foreign;
    return SSL_CTX_set_tlsext_ticket_key_cb(ctx, tk_foreign_key_cb) == 1;
}
