/* tk_test_foreign.h: another library's ticket key callback, for tests that install one over the shim's (as Netty's
 * setTicketKeys does): one key, AES-256-CBC with HMAC-SHA256, that seals every ticket and opens only its own. It
 * uses the shim's generation of OpenSSL's ticket API (tk_test_foreign_ossl3.c: the EVP callback;
 * tk_test_foreign_ossl11.c: the HMAC_CTX one), the one that takes the shim's place. */

#ifndef TK_TEST_FOREIGN_H
#define TK_TEST_FOREIGN_H

#include <openssl/ssl.h>

typedef struct tk_test_foreign {
    unsigned char name[16];
    unsigned char aes[32];
    unsigned char hmac[32];
    int renew; /* what the callback answers for its own ticket: 1 (use) or 2 (use, and send a renewed ticket) */
    int opens; /* its own tickets it opened */
} tk_test_foreign;

/* tk_test_foreign_install installs the callback on |ctx| with |foreign| as its key and counters (one key for every
 * context it is installed on; |foreign| must outlive their handshakes). It returns 1 on success. */
int tk_test_foreign_install(SSL_CTX *ctx, tk_test_foreign *foreign);

#endif /* TK_TEST_FOREIGN_H */
