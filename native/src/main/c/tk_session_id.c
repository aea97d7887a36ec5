/* tk_session_id.c: the session id context, which OpenSSL compares before it resumes any session, and nginx's
 * derivation of it, so that a TicketKeeper server and nginx servers can resume each other's tickets. */

#include <string.h>

#include <openssl/x509.h>

#include "tk_internal.h"

int tk_set_session_id_context(tk_handle *handle, void *ssl_ctx, const uint8_t *context, size_t len)
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL && (context != NULL || len == 0), TK_ERR_NULL);
    TK_ENSURE(len <= TK_MAX_SESSION_ID_CONTEXT_LEN, TK_ERR_BAD_ARG);
    TK_GUARD(tk_context_acquire(handle, ssl_ctx));
    int ok = SSL_CTX_set_session_id_context(ssl_ctx, context, (unsigned int)len);
    tk_context_release(handle);
    return ok == 1 ? TK_OK : TK_ERR_OPENSSL;
}

static TK_MUST_CHECK int tk_digest_certificate(EVP_MD_CTX *md, X509 *certificate)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    TK_GUARD_OSSL(X509_digest(certificate, EVP_sha1(), digest, &len), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(EVP_DigestUpdate(md, digest, len), TK_ERR_OPENSSL);
    return TK_OK;
}

static TK_MUST_CHECK int tk_digest_client_ca_names(EVP_MD_CTX *md, const SSL_CTX *ctx)
{
    STACK_OF(X509_NAME) *names = SSL_CTX_get_client_CA_list(ctx);
    for (int i = 0; names != NULL && i < sk_X509_NAME_num(names); i++) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        TK_GUARD_OSSL(X509_NAME_digest(sk_X509_NAME_value(names, i), EVP_sha1(), digest, &len), TK_ERR_OPENSSL);
        TK_GUARD_OSSL(EVP_DigestUpdate(md, digest, len), TK_ERR_OPENSSL);
    }
    return TK_OK;
}

static TK_MUST_CHECK int tk_digest_nginx_context(EVP_MD_CTX *md, const SSL_CTX *ctx, const uint8_t *prefix,
                                                 size_t prefix_len, uint8_t out_context[TK_SHA1_LEN])
{
    TK_GUARD_OSSL(EVP_DigestInit_ex(md, EVP_sha1(), NULL), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(EVP_DigestUpdate(md, prefix, prefix_len), TK_ERR_OPENSSL);
    X509 *certificate = SSL_CTX_get0_certificate(ctx);
    if (certificate != NULL) {
        TK_GUARD(tk_digest_certificate(md, certificate));
    }
    TK_GUARD(tk_digest_client_ca_names(md, ctx));
    unsigned int len = 0;
    TK_GUARD_OSSL(EVP_DigestFinal_ex(md, out_context, &len), TK_ERR_OPENSSL);
    TK_ENSURE(len == TK_SHA1_LEN, TK_ERR_OPENSSL);
    return TK_OK;
}

static TK_MUST_CHECK int tk_nginx_context_of(const SSL_CTX *ctx, const uint8_t *prefix, size_t prefix_len,
                                             uint8_t out_context[TK_SHA1_LEN])
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    TK_ENSURE(md != NULL, TK_ERR_NOMEM);
    uint8_t context[TK_SHA1_LEN];
    int result = tk_digest_nginx_context(md, ctx, prefix, prefix_len, context);
    EVP_MD_CTX_free(md);
    if (result == TK_OK) {
        memcpy(out_context, context, TK_SHA1_LEN);
    }
    return result;
}

int tk_nginx_session_id_context(tk_handle *handle, const void *ssl_ctx, const uint8_t *prefix, size_t prefix_len,
                                uint8_t out_context[TK_SHA1_LEN])
{
    TK_ENSURE(handle != NULL && ssl_ctx != NULL && out_context != NULL, TK_ERR_NULL);
    TK_ENSURE(prefix != NULL || prefix_len == 0, TK_ERR_NULL);
    TK_GUARD(tk_context_acquire(handle, ssl_ctx));
    int result = tk_nginx_context_of(ssl_ctx, prefix, prefix_len, out_context);
    tk_context_release(handle);
    return result;
}
