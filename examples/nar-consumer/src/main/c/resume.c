/* resume.c: a C program that takes TicketKeeper's shim as NAR artifacts (pom.xml) and proves it works: a server
 * and a client SSL_CTX talk over a memory BIO pair; the server's tickets are sealed and opened by the shim, whose
 * upcalls are the C functions below; the second handshake resumes with the first one's ticket. TLS 1.3. */
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "ticketkeeper.h"

static int seals;
static int opens;

/* One key table with one key: slot 0 seals every ticket. */
static int32_t seal(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                    int64_t *out_lifetime_s) {
    (void)user;
    (void)context_id;
    (void)generation;
    (void)out_lifetime_s;
    seals++;
    *out_slot = 0;
    return 1;
}

static int32_t open_ticket(void *user, int64_t context_id, int64_t generation, int32_t slot) {
    (void)user;
    (void)context_id;
    (void)generation;
    opens++;
    return slot < 0 ? TK_KEY_REJECT : TK_KEY_USE;
}

/* The shim sends no ticket without a stamp: this program has one virtual host, id 1. */
static int32_t stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp, uint32_t *out_max_early_data) {
    (void)out_max_early_data;
    (void)user;
    (void)context_id;
    out_stamp->host_id = 1;
    return 1;
}

/* TLS 1.3 tickets are single use: resume and send a fresh one. */
static int32_t session(void *user, const tk_session_view *view) {
    (void)user;
    return view->status == TK_TICKET_OPENED || view->status == TK_TICKET_OPENED_RENEW ? TK_SESSION_USE_RENEW
                                                                                        : TK_SESSION_IGNORE_RENEW;
}

static int fail(const char *what) {
    fprintf(stderr, "resume: %s failed\n", what);
    return 1;
}

/* A self-signed P-256 certificate for the server, made in memory. */
static int use_certificate(SSL_CTX *ctx) {
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    if (key == NULL || cert == NULL) {
        return 0;
    }
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert), "CN", MBSTRING_ASC, (const unsigned char *)"localhost",
                               -1, -1, 0);
    X509_set_issuer_name(cert, X509_get_subject_name(cert));
    int ok = X509_sign(cert, key, EVP_sha256()) > 0 && SSL_CTX_use_certificate(ctx, cert) == 1
             && SSL_CTX_use_PrivateKey(ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    return ok;
}

static int step(SSL *ssl, int *done) {
    if (*done) {
        return 1;
    }
    int result = SSL_do_handshake(ssl);
    if (result == 1) {
        *done = 1;
        return 1;
    }
    int error = SSL_get_error(ssl, result);
    return error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE;
}

/* One handshake, offering |offer| when not NULL; sets |*out_session| to the client's session and |*out_reused|. */
static int handshake(SSL_CTX *server_ctx, SSL_CTX *client_ctx, SSL_SESSION *offer, SSL_SESSION **out_session,
                     int *out_reused) {
    SSL *server = SSL_new(server_ctx);
    SSL *client = SSL_new(client_ctx);
    BIO *client_bio = NULL;
    BIO *server_bio = NULL;
    int ok = server != NULL && client != NULL && BIO_new_bio_pair(&client_bio, 0, &server_bio, 0) == 1;
    if (ok) {
        SSL_set_bio(client, client_bio, client_bio);
        SSL_set_bio(server, server_bio, server_bio);
        SSL_set_connect_state(client);
        SSL_set_accept_state(server);
        ok = offer == NULL || SSL_set_session(client, offer) == 1;
    }
    int client_done = 0;
    int server_done = 0;
    for (int round = 0; ok && round < 32 && !(client_done && server_done); round++) {
        ok = step(client, &client_done) && step(server, &server_done);
    }
    ok = ok && client_done && server_done;
    /* The TLS 1.3 tickets come after the handshake: the client reads them with the server's first bytes. */
    char buffer[16];
    ok = ok && SSL_write(server, "ok", 2) == 2 && SSL_read(client, buffer, sizeof(buffer)) == 2;
    if (ok) {
        *out_reused = SSL_session_reused(client);
        *out_session = SSL_get1_session(client);
        SSL_shutdown(client);
        SSL_shutdown(server);
    }
    SSL_free(client);
    SSL_free(server);
    return ok;
}

int main(void) {
    printf("resume: ticketkeeper.h API %d, shim API %u\n", TK_API_VERSION, tk_api_version());
    SSL_CTX *server_ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX *client_ctx = SSL_CTX_new(TLS_client_method());
    if (server_ctx == NULL || client_ctx == NULL || !use_certificate(server_ctx)) {
        return fail("the contexts");
    }
    SSL_CTX_set_min_proto_version(server_ctx, TLS1_3_VERSION);

    tk_upcalls upcalls = {NULL, seal, open_ticket, stamp, session, NULL};
    tk_handle *handle = NULL;
    if (tk_handle_new(&upcalls, NULL, &handle) != TK_OK || tk_attach(handle, server_ctx, 1) != TK_OK) {
        return fail("tk_handle_new/tk_attach");
    }
    tk_key key;
    memset(&key, 0, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    if (RAND_bytes(key.name, sizeof(key.name)) != 1 || RAND_bytes(key.hmac_key, 32) != 1
        || RAND_bytes(key.aes_key, 32) != 1) {
        return fail("RAND_bytes");
    }
    int published = tk_publish_keys(handle, &key, 1, 1);
    OPENSSL_cleanse(&key, sizeof(key));
    if (published != TK_OK) {
        fprintf(stderr, "resume: tk_publish_keys: %s\n", tk_result_string(published));
        return 1;
    }

    SSL_SESSION *first = NULL;
    SSL_SESSION *second = NULL;
    int reused_first = -1;
    int reused_second = -1;
    if (!handshake(server_ctx, client_ctx, NULL, &first, &reused_first)
        || !handshake(server_ctx, client_ctx, first, &second, &reused_second)) {
        return fail("a handshake");
    }
    printf("resume: first handshake %s, second %s; the shim's upcalls: %d seals, %d opens\n",
           reused_first ? "resumed" : "full", reused_second ? "resumed" : "full", seals, opens);
    int ok = !reused_first && reused_second && seals >= 2 && opens == 1;
    SSL_SESSION_free(first);
    SSL_SESSION_free(second);
    tk_close(handle);
    SSL_CTX_free(client_ctx);
    SSL_CTX_free(server_ctx);
    if (!ok) {
        return fail("the resumption through the shim");
    }
    printf("resume: resumed through the shim from the NAR\n");
    return 0;
}
