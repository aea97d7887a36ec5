/* tk_client_cache.c: a client context's new sessions handed to the application, tagged by peer; offering a stored
 * session on a new connection; and the PEM form of sessions, for persisting them across restarts. */

#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "tk_internal.h"

static CRYPTO_ONCE tk_client_index_once = CRYPTO_ONCE_STATIC_INIT;
static int tk_client_ctx_index = -1;
static int tk_client_ssl_index = -1;

/* The callback lives in its own allocation so that a data pointer, not a function pointer, sits in ex_data. */
typedef struct tk_client_cache {
    tk_client_new_fn new_session;
} tk_client_cache;

static void tk_client_cache_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
    (void)parent;
    (void)ad;
    (void)idx;
    (void)argl;
    (void)argp;
    OPENSSL_free(ptr);
}

static void tk_client_index_init(void)
{
    tk_client_ctx_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, tk_client_cache_ex_free);
    tk_client_ssl_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

static int tk_client_indexes_ready(void)
{
    return CRYPTO_THREAD_run_once(&tk_client_index_once, tk_client_index_init) && tk_client_ctx_index >= 0
           && tk_client_ssl_index >= 0;
}

static int tk_client_new_session_cb(SSL *ssl, SSL_SESSION *session)
{
    const tk_client_cache *cache = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), tk_client_ctx_index);
    int64_t peer = (int64_t)(intptr_t)SSL_get_ex_data(ssl, tk_client_ssl_index);
    if (cache == NULL || peer <= 0) {
        return 0;
    }
    unsigned char der[TK_SESSION_MAX_DER_LEN];
    uint32_t len = tk_session_to_der(session, der);
    if (len > 0) {
        cache->new_session(peer, der, len);
        OPENSSL_cleanse(der, len);
    }
    /* The shim took no reference: OpenSSL frees its own. */
    return 0;
}

int tk_client_cache_install(void *ssl_ctx, tk_client_new_fn new_session)
{
    TK_ENSURE(ssl_ctx != NULL && new_session != NULL, TK_ERR_NULL);
    TK_ENSURE(tk_client_indexes_ready(), TK_ERR_OPENSSL);
    SSL_CTX *ctx = ssl_ctx;
    tk_client_cache *cache = OPENSSL_zalloc(sizeof(*cache));
    TK_ENSURE(cache != NULL, TK_ERR_NOMEM);
    cache->new_session = new_session;
    tk_client_cache *previous = SSL_CTX_get_ex_data(ctx, tk_client_ctx_index);
    if (SSL_CTX_set_ex_data(ctx, tk_client_ctx_index, cache) != 1) {
        OPENSSL_free(cache);
        return TK_ERR_OPENSSL;
    }
    OPENSSL_free(previous);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, tk_client_new_session_cb);
    return TK_OK;
}

int tk_client_tag(void *ssl, int64_t peer)
{
    TK_ENSURE(ssl != NULL, TK_ERR_NULL);
    TK_ENSURE(peer > 0, TK_ERR_BAD_ARG);
    TK_ENSURE(tk_client_indexes_ready(), TK_ERR_OPENSSL);
    TK_GUARD_OSSL(SSL_set_ex_data(ssl, tk_client_ssl_index, (void *)(intptr_t)peer), TK_ERR_OPENSSL);
    return TK_OK;
}

int tk_client_offer(void *ssl, const uint8_t *der, size_t der_len)
{
    TK_ENSURE(ssl != NULL && der != NULL, TK_ERR_NULL);
    SSL_SESSION *session = NULL;
    TK_GUARD(tk_session_from_der(der, der_len, &session));
    int ok = SSL_set_session(ssl, session);
    SSL_SESSION_free(session);
    return ok == 1 ? TK_OK : TK_ERR_OPENSSL;
}

/* tk_copy_out copies the |len| bytes at |data| to |out| (room for |capacity|), or only reports the length. */
static TK_MUST_CHECK int tk_copy_out(const void *data, size_t len, uint8_t *out, size_t capacity, size_t *out_len)
{
    *out_len = len;
    if (out == NULL) {
        return TK_OK;
    }
    TK_ENSURE(len <= capacity, TK_ERR_BUFFER_TOO_SMALL);
    memcpy(out, data, len);
    return TK_OK;
}

/* The PEM holds the session's master secret: a secure-memory BIO keeps it in a buffer that is cleansed when the BIO
 * is freed and whenever it grows (BUF_MEM_FLAG_SECURE). */
static TK_MUST_CHECK int tk_write_pem(SSL_SESSION *session, uint8_t *out_pem, size_t capacity, size_t *out_len)
{
    BIO *bio = BIO_new(BIO_s_secmem());
    TK_ENSURE(bio != NULL, TK_ERR_NOMEM);
    int result = TK_ERR_OPENSSL;
    char *data = NULL;
    if (PEM_write_bio_SSL_SESSION(bio, session) == 1) {
        long len = BIO_get_mem_data(bio, &data);
        result = len > 0 ? tk_copy_out(data, (size_t)len, out_pem, capacity, out_len) : TK_ERR_OPENSSL;
    }
    BIO_free(bio);
    return result;
}

int tk_session_to_pem(const uint8_t *der, size_t der_len, uint8_t *out_pem, size_t capacity, size_t *out_len)
{
    TK_ENSURE(der != NULL && out_len != NULL, TK_ERR_NULL);
    SSL_SESSION *session = NULL;
    TK_GUARD(tk_session_from_der(der, der_len, &session));
    int result = tk_write_pem(session, out_pem, capacity, out_len);
    SSL_SESSION_free(session);
    return result;
}

static TK_MUST_CHECK int tk_write_der(SSL_SESSION *session, uint8_t *out_der, size_t capacity, size_t *out_len)
{
    unsigned char der[TK_SESSION_MAX_DER_LEN];
    uint32_t len = tk_session_to_der(session, der);
    TK_ENSURE(len > 0, TK_ERR_BAD_SESSION);
    int result = tk_copy_out(der, len, out_der, capacity, out_len);
    OPENSSL_cleanse(der, len);
    return result;
}

/* PEM_read_bio_SSL_SESSION would leave the decoded session (with its master secret) in freed memory; reading the
 * block with PEM_FLAG_SECURE and parsing it here lets every copy be cleansed. */
static TK_MUST_CHECK int tk_der_of_block(const char *name, const unsigned char *data, long len, uint8_t *out_der,
                                         size_t capacity, size_t *out_len)
{
    TK_ENSURE(strcmp(name, PEM_STRING_SSL_SESSION) == 0, TK_ERR_BAD_SESSION);
    SSL_SESSION *session = NULL;
    TK_GUARD(tk_session_from_der(data, (size_t)len, &session));
    int result = tk_write_der(session, out_der, capacity, out_len);
    SSL_SESSION_free(session);
    return result;
}

static TK_MUST_CHECK int tk_read_pem(BIO *bio, uint8_t *out_der, size_t capacity, size_t *out_len)
{
    char *name = NULL;
    char *header = NULL;
    unsigned char *data = NULL;
    long len = 0;
    /* A failed parse would leave errors on this thread's queue; the result code says it all. */
    ERR_set_mark();
    int read = PEM_read_bio_ex(bio, &name, &header, &data, &len, PEM_FLAG_SECURE | PEM_FLAG_EAY_COMPATIBLE);
    ERR_pop_to_mark();
    if (read != 1) {
        return TK_ERR_BAD_SESSION;
    }
    int result = tk_der_of_block(name, data, len, out_der, capacity, out_len);
    OPENSSL_secure_free(name);
    OPENSSL_secure_free(header);
    OPENSSL_secure_clear_free(data, (size_t)len);
    return result;
}

int tk_session_from_pem(const uint8_t *pem, size_t pem_len, uint8_t *out_der, size_t capacity, size_t *out_len)
{
    TK_ENSURE(pem != NULL && out_len != NULL, TK_ERR_NULL);
    TK_ENSURE(pem_len > 0 && pem_len <= 4 * TK_SESSION_MAX_DER_LEN, TK_ERR_BAD_SESSION);
    BIO *bio = BIO_new_mem_buf(pem, (int)pem_len);
    TK_ENSURE(bio != NULL, TK_ERR_NOMEM);
    int result = tk_read_pem(bio, out_der, capacity, out_len);
    BIO_free(bio);
    return result;
}
