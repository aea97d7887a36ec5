/* tk_test_tls.c: a TLS server and client in one process over an in-memory BIO pair (see tk_test_tls.h). */

#include <string.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "tk_test_tls.h"

/* The helpers follow OpenSSL's convention: 1 is success, 0 is failure. */
#define TK_TEST_ENSURE(condition) \
    do {                          \
        if (!(condition)) {       \
            return 0;             \
        }                         \
    } while (0)

static const unsigned char TK_TEST_SID_CONTEXT[] = "ticketkeeper-test";

static int tk_test_fill_certificate(X509 *cert, EVP_PKEY *key)
{
    X509_NAME *name = X509_get_subject_name(cert);
    TK_TEST_ENSURE(X509_set_version(cert, 2) == 1); /* version 3; X509_VERSION_3 is OpenSSL 3 only */
    TK_TEST_ENSURE(ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) == 1);
    TK_TEST_ENSURE(X509_gmtime_adj(X509_getm_notBefore(cert), -3600) != NULL);
    TK_TEST_ENSURE(X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600) != NULL);
    TK_TEST_ENSURE(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1,
                                              0) == 1);
    TK_TEST_ENSURE(X509_set_issuer_name(cert, name) == 1);
    TK_TEST_ENSURE(X509_set_pubkey(cert, key) == 1);
    TK_TEST_ENSURE(X509_sign(cert, key, EVP_sha256()) > 0);
    return 1;
}

/* EVP_PKEY_CTX rather than OpenSSL 3's EVP_EC_gen, so that the tests build against OpenSSL 1.1.1 too. */
static EVP_PKEY *tk_test_new_p256_key(void)
{
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, NULL);
    int ok = kctx != NULL && EVP_PKEY_keygen_init(kctx) == 1
             && EVP_PKEY_CTX_set_ec_paramgen_curve_nid(kctx, NID_X9_62_prime256v1) > 0
             && EVP_PKEY_keygen(kctx, &key) == 1;
    EVP_PKEY_CTX_free(kctx);
    if (!ok) {
        EVP_PKEY_free(key);
        return NULL;
    }
    return key;
}

static int tk_test_use_new_certificate(SSL_CTX *ctx)
{
    EVP_PKEY *key = tk_test_new_p256_key();
    X509 *cert = X509_new();
    int ok = key != NULL && cert != NULL && tk_test_fill_certificate(cert, key) && SSL_CTX_use_certificate(ctx, cert) == 1
             && SSL_CTX_use_PrivateKey(ctx, key) == 1 && SSL_CTX_check_private_key(ctx) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok;
}

static int tk_test_set_version(SSL_CTX *ctx, int version)
{
    TK_TEST_ENSURE(SSL_CTX_set_min_proto_version(ctx, version) == 1);
    TK_TEST_ENSURE(SSL_CTX_set_max_proto_version(ctx, version) == 1);
    return 1;
}

static int tk_test_configure_server(SSL_CTX *ctx, int version)
{
    TK_TEST_ENSURE(tk_test_set_version(ctx, version));
    TK_TEST_ENSURE(tk_test_use_new_certificate(ctx));
    /* Stateful resumption off: a resumed session can only have come from a ticket. */
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
    TK_TEST_ENSURE(SSL_CTX_set_session_id_context(ctx, TK_TEST_SID_CONTEXT, sizeof(TK_TEST_SID_CONTEXT) - 1) == 1);
    return 1;
}

static SSL_CTX *tk_test_ctx(const SSL_METHOD *method, int version, int (*configure)(SSL_CTX *, int))
{
    SSL_CTX *ctx = SSL_CTX_new(method);
    if (ctx == NULL) {
        return NULL;
    }
    if (!configure(ctx, version)) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

SSL_CTX *tk_test_server_ctx(int version)
{
    return tk_test_ctx(TLS_server_method(), version, tk_test_configure_server);
}

SSL_CTX *tk_test_client_ctx(int version)
{
    return tk_test_ctx(TLS_client_method(), version, tk_test_set_version);
}

/* One handshake step: 1 finished, 0 waiting for the peer, -1 failed. */
static int tk_test_step(SSL *ssl)
{
    int rc = SSL_do_handshake(ssl);
    if (rc == 1) {
        return 1;
    }
    switch (SSL_get_error(ssl, rc)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        return 0;
    default:
        return -1;
    }
}

static int tk_test_handshake(SSL *client, SSL *server)
{
    for (int round = 0; round < 32; round++) {
        int client_state = tk_test_step(client);
        int server_state = tk_test_step(server);
        TK_TEST_ENSURE(client_state >= 0 && server_state >= 0);
        if (client_state == 1 && server_state == 1) {
            return 1;
        }
    }
    return 0;
}

/* The server writes one byte; reading it makes the client process everything before it, including TLS 1.3
 * NewSessionTicket messages. */
static int tk_test_exchange(SSL *client, SSL *server)
{
    unsigned char byte = 'k';
    TK_TEST_ENSURE(SSL_write(server, &byte, 1) == 1);
    for (int round = 0; round < 16; round++) {
        int rc = SSL_read(client, &byte, 1);
        if (rc == 1) {
            return byte == 'k';
        }
        TK_TEST_ENSURE(SSL_get_error(client, rc) == SSL_ERROR_WANT_READ);
    }
    return 0;
}

static int tk_test_wire(SSL *client, SSL *server, SSL_SESSION *resume)
{
    BIO *client_bio = NULL;
    BIO *server_bio = NULL;
    TK_TEST_ENSURE(BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) == 1);
    SSL_set_bio(client, client_bio, client_bio);
    SSL_set_bio(server, server_bio, server_bio);
    SSL_set_connect_state(client);
    SSL_set_accept_state(server);
    TK_TEST_ENSURE(resume == NULL || SSL_set_session(client, resume) == 1);
    return 1;
}

static void tk_test_run(SSL *client, SSL *server, tk_test_conn *out)
{
    if (!tk_test_handshake(client, server) || !tk_test_exchange(client, server)) {
        return;
    }
    int reused = SSL_session_reused(client);
    if (reused != SSL_session_reused(server)) {
        fprintf(stderr, "tk_test_connect: client reused=%d, server reused=%d\n", reused,
                SSL_session_reused(server));
        return;
    }
    /* A connection freed without close_notify marks its session not resumable. */
    if (SSL_shutdown(client) < 0 || SSL_shutdown(server) < 0) {
        return;
    }
    out->completed = 1;
    out->reused = reused;
    out->session = SSL_get1_session(client);
}

int tk_test_connect(SSL_CTX *server_ctx, SSL_CTX *client_ctx, SSL_SESSION *resume, tk_test_conn *out)
{
    return tk_test_connect_to(server_ctx, client_ctx, NULL, resume, out);
}

int tk_test_connect_to(SSL_CTX *server_ctx, SSL_CTX *client_ctx, const char *host, SSL_SESSION *resume,
                       tk_test_conn *out)
{
    memset(out, 0, sizeof(*out));
    SSL *server = SSL_new(server_ctx);
    SSL *client = SSL_new(client_ctx);
    if (server != NULL && client != NULL && (host == NULL || SSL_set_tlsext_host_name(client, host) == 1)
        && tk_test_wire(client, server, resume)) {
        tk_test_run(client, server, out);
    }
    SSL_free(client);
    SSL_free(server);
    ERR_clear_error();
    return out->completed;
}

void tk_test_conn_clear(tk_test_conn *conn)
{
    SSL_SESSION_free(conn->session);
    memset(conn, 0, sizeof(*conn));
}

int tk_test_has_ticket(const SSL_SESSION *session)
{
    if (session == NULL || SSL_SESSION_has_ticket(session) != 1) {
        return 0;
    }
    return SSL_SESSION_get_protocol_version(session) != TLS1_3_VERSION
           || SSL_SESSION_get_ticket_lifetime_hint(session) > 0;
}

int tk_test_same_ticket(const SSL_SESSION *a, const SSL_SESSION *b)
{
    TK_TEST_ENSURE(tk_test_has_ticket(a) && tk_test_has_ticket(b));
    const unsigned char *ticket_a = NULL;
    const unsigned char *ticket_b = NULL;
    size_t len_a = 0;
    size_t len_b = 0;
    SSL_SESSION_get0_ticket(a, &ticket_a, &len_a);
    SSL_SESSION_get0_ticket(b, &ticket_b, &len_b);
    return len_a == len_b && memcmp(ticket_a, ticket_b, len_a) == 0;
}
