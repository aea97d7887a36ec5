/* tk_methods.c: telling a context of the libssl the shim is linked against from any other (BoringSSL's, another
 * OpenSSL's loaded beside it), by the one field every OpenSSL context has from its birth: its method pointer,
 * which points into its own libssl's method tables. tk_attach asks before it touches a context in any other way.
 *
 * The version-specific methods (TLSv1_2_server_method and the like) are deprecated since OpenSSL 1.1.0 but still
 * exported, and applications still make contexts with them, so this file alone asks for the 1.1.0 API, whatever
 * the build's OPENSSL_API_COMPAT, and does not hear about the deprecation. */

#undef OPENSSL_API_COMPAT
#define OPENSSL_API_COMPAT 10100
#define OPENSSL_SUPPRESS_DEPRECATED

#include "tk_internal.h"

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif

typedef const SSL_METHOD *(*tk_method_fn)(void);

/* Every method table this libssl builds contexts from, as far as the build has them. */
static const tk_method_fn tk_methods[] = {
    TLS_method,
    TLS_server_method,
    TLS_client_method,
#ifndef OPENSSL_NO_DTLS
    DTLS_method,
    DTLS_server_method,
    DTLS_client_method,
#endif
#ifndef OPENSSL_NO_TLS1_2_METHOD
    TLSv1_2_method,
    TLSv1_2_server_method,
    TLSv1_2_client_method,
#endif
#ifndef OPENSSL_NO_TLS1_1_METHOD
    TLSv1_1_method,
    TLSv1_1_server_method,
    TLSv1_1_client_method,
#endif
#ifndef OPENSSL_NO_TLS1_METHOD
    TLSv1_method,
    TLSv1_server_method,
    TLSv1_client_method,
#endif
#ifndef OPENSSL_NO_SSL3_METHOD
    SSLv3_method,
    SSLv3_server_method,
    SSLv3_client_method,
#endif
#ifndef OPENSSL_NO_DTLS1_2_METHOD
    DTLSv1_2_method,
    DTLSv1_2_server_method,
    DTLSv1_2_client_method,
#endif
#ifndef OPENSSL_NO_DTLS1_METHOD
    DTLSv1_method,
    DTLSv1_server_method,
    DTLSv1_client_method,
#endif
};

int tk_ssl_ctx_is_ours(const SSL_CTX *ctx)
{
    const SSL_METHOD *method = SSL_CTX_get_ssl_method(ctx);
    TK_ENSURE(method != NULL, 0);
    for (size_t i = 0; i < sizeof(tk_methods) / sizeof(tk_methods[0]); i++) {
        if (tk_methods[i]() == method) {
            return 1;
        }
    }
    return 0;
}
