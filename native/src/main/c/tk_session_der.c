/* tk_session_der.c: sessions to and from their DER form, within the shim's bound TK_SESSION_MAX_DER_LEN. */

#include <openssl/err.h>

#include "tk_internal.h"

int tk_session_from_der(const uint8_t *der, size_t der_len, SSL_SESSION **out_session)
{
    TK_ENSURE(der_len > 0 && der_len <= TK_SESSION_MAX_DER_LEN, TK_ERR_BAD_SESSION);
    const unsigned char *in = der;
    /* A parse failure must not leave errors behind: a handshake may go on, and SSL_get_error reads the queue. */
    ERR_set_mark();
    SSL_SESSION *session = d2i_SSL_SESSION(NULL, &in, (long)der_len);
    ERR_pop_to_mark();
    TK_ENSURE(session != NULL, TK_ERR_BAD_SESSION);
    *out_session = session;
    return TK_OK;
}

uint32_t tk_session_to_der(SSL_SESSION *session, unsigned char out[TK_SESSION_MAX_DER_LEN])
{
    int len = i2d_SSL_SESSION(session, NULL);
    if (len <= 0 || len > TK_SESSION_MAX_DER_LEN) {
        return 0;
    }
    unsigned char *cursor = out;
    if (i2d_SSL_SESSION(session, &cursor) != len) {
        /* The second encoding came out another length (the session changed between the two calls): whatever it
         * wrote, partial or not, holds the master secret. */
        OPENSSL_cleanse(out, TK_SESSION_MAX_DER_LEN);
        return 0;
    }
    return (uint32_t)len;
}

SSL_SESSION *tk_session_for_id(const unsigned char *der, size_t der_len, const unsigned char *id,
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
