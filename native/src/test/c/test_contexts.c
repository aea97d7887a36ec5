/* test_contexts.c: one handle serving several server contexts (tk_context.c): context ids in the upcalls, tickets
 * moving between contexts of one handle, detaching, and contexts that OpenSSL frees before the handle is done with
 * them. Real handshakes over BIO pairs, through the shared library. */

#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ticketkeeper.h"
#include "tk_test.h"
#include "tk_test_tls.h"

enum { CONTEXT_A = 100, CONTEXT_B = 200 };

/* What the upcalls saw last: the context ids of the newest seal, open and session decision. */
static struct {
    int64_t sealed_by;
    int64_t opened_by;
    int64_t decided_by;
    int64_t stamped_for;
    int64_t decided_stamp_host; /* the host id in the stamp of the newest ticket decided on, -1 for none */
    int bind_hosts;             /* the session upcall refuses a ticket stamped for another context, as Java's does */
    int follow_sni;             /* ... where the context is the one the server_name names, if it names one */
    char server_name[TK_MAX_SERVER_NAME_LEN + 1]; /* the server_name of the newest decision, "" for none */
    int rejected_other_host;
    int upcalls;
} seen;

static int32_t seal(void *user, int64_t context_id, int64_t generation, int32_t *out_slot, int64_t *out_lifetime_s)
{
    (void)user;
    (void)generation;
    (void)out_lifetime_s;
    seen.sealed_by = context_id;
    seen.upcalls++;
    *out_slot = 0;
    return 1;
}

static int32_t open_ticket(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    (void)user;
    (void)generation;
    seen.opened_by = context_id;
    seen.upcalls++;
    return slot < 0 ? TK_KEY_REJECT : TK_KEY_USE;
}

static int32_t stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp, uint32_t *out_max_early_data)
{
    (void)out_max_early_data;
    (void)user;
    seen.stamped_for = context_id;
    out_stamp->host_id = context_id;
    seen.upcalls++;
    return 1;
}

/* The stamp's host id is the id of the context that stamped it. */
static int64_t context_named(const tk_session_view *view)
{
    if (view->server_name_len == 6 && memcmp(view->server_name, "a.test", 6) == 0) {
        return CONTEXT_A;
    }
    if (view->server_name_len == 6 && memcmp(view->server_name, "b.test", 6) == 0) {
        return CONTEXT_B;
    }
    return view->context_id;
}

static int32_t session(void *user, const tk_session_view *view)
{
    (void)user;
    seen.decided_by = view->context_id;
    seen.decided_stamp_host = view->has_stamp ? view->stamp.host_id : -1;
    seen.upcalls++;
    CHECK(view->server_name_len <= TK_MAX_SERVER_NAME_LEN);
    memcpy(seen.server_name, view->server_name, view->server_name_len);
    seen.server_name[view->server_name_len] = '\0';
    int opened = view->status == TK_TICKET_OPENED || view->status == TK_TICKET_OPENED_RENEW;
    int64_t host = seen.follow_sni ? context_named(view) : view->context_id;
    if (opened && seen.bind_hosts && view->has_stamp && view->stamp.host_id != host) {
        seen.rejected_other_host++;
        return TK_SESSION_IGNORE_RENEW;
    }
    return opened ? TK_SESSION_USE : TK_SESSION_IGNORE_RENEW;
}

static const tk_upcalls UPCALLS = {NULL, seal, open_ticket, stamp, session, NULL};

typedef struct pair {
    SSL_CTX *a;
    SSL_CTX *b;
    SSL_CTX *client;
    tk_handle *handle;
} pair;

/* Two server contexts of one version behind one handle with one key, sharing a session id context, as two virtual
 * hosts of one server would. */
static void pair_open(pair *p, int version)
{
    memset(&seen, 0, sizeof(seen));
    p->a = tk_test_server_ctx(version);
    p->b = tk_test_server_ctx(version);
    p->client = tk_test_client_ctx(version);
    CHECK(p->a != NULL && p->b != NULL && p->client != NULL);
    p->handle = NULL;
    CHECK_EQ(tk_handle_new(&UPCALLS, NULL, &p->handle), TK_OK);
    CHECK_EQ(tk_attach(p->handle, p->a, CONTEXT_A), TK_OK);
    CHECK_EQ(tk_attach(p->handle, p->b, CONTEXT_B), TK_OK);
    static const uint8_t context[] = "one server";
    CHECK_EQ(tk_set_session_id_context(p->handle, p->a, context, sizeof(context)), TK_OK);
    CHECK_EQ(tk_set_session_id_context(p->handle, p->b, context, sizeof(context)), TK_OK);
    tk_key key;
    memset(&key, 0x33, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    CHECK_EQ(tk_publish_keys(p->handle, &key, 1, 1), TK_OK);
}

static void pair_close(pair *p)
{
    tk_close(p->handle);
    SSL_CTX_free(p->a);
    SSL_CTX_free(p->b);
    SSL_CTX_free(p->client);
}

static tk_stats stats_of(const tk_handle *handle)
{
    tk_stats stats;
    CHECK_EQ(tk_get_stats(handle, &stats), TK_OK);
    return stats;
}

/* Each upcall names the context it runs for; a ticket sealed on one context of the handle opens on another. */
static void test_context_ids_and_shared_keys(int version)
{
    pair p;
    pair_open(&p, version);
    tk_test_conn first;
    CHECK(tk_test_connect(p.a, p.client, NULL, &first));
    CHECK(tk_test_has_ticket(first.session));
    CHECK_EQ(seen.sealed_by, CONTEXT_A);

    tk_test_conn second;
    CHECK(tk_test_connect(p.b, p.client, first.session, &second));
    CHECK_EQ(second.reused, 1);
    CHECK_EQ(seen.opened_by, CONTEXT_B);
    CHECK_EQ(seen.decided_by, CONTEXT_B);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    pair_close(&p);
}

/* The servername callback of an nginx-style server: the connection starts on the default context (a) and moves
 * to b's when the client asks for b.test. */
static int switch_to_b(SSL *ssl, int *alert, void *arg)
{
    (void)alert;
    const char *host = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    if (host != NULL && strcmp(host, "b.test") == 0 && SSL_set_SSL_CTX(ssl, arg) == NULL) {
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    return SSL_TLSEXT_ERR_OK;
}

/* Opens |p| with the session upcall binding tickets to hosts (and deciding for the host the server_name names when
 * |follow_sni|), a.test's servername callback switching to b (nginx-style SNI), and a first handshake on a naming
 * b.test into |on_b|: its ticket is sealed and stamped for b. */
static void open_switching(pair *p, int version, int follow_sni, tk_test_conn *on_b)
{
    pair_open(p, version);
    seen.bind_hosts = 1;
    seen.follow_sni = follow_sni;
    SSL_CTX_set_tlsext_servername_callback(p->a, switch_to_b);
    SSL_CTX_set_tlsext_servername_arg(p->a, p->b);
    CHECK(tk_test_connect_to(p->a, p->client, "b.test", NULL, on_b));
    CHECK(tk_test_has_ticket(on_b->session));
    CHECK_EQ(seen.stamped_for, CONTEXT_B);
    CHECK_EQ(seen.sealed_by, CONTEXT_B);
}

/* Host binding across a servername callback that switches contexts (SSL_set_SSL_CTX). OpenSSL runs the ticket
 * callbacks of the context a connection started on, with that context's argument; the shim must stamp and seal
 * for the context the connection is on. On the old shim the generate callback took the context from its argument,
 * so b.test's ticket was stamped for a and resumed on a.test. Proves: the ticket for b.test is sealed and stamped
 * for b, and a.test refuses it (the decision counts a rejection for another host). */
static void test_servername_switch(int version)
{
    pair p;
    tk_test_conn on_b;
    open_switching(&p, version, 0, &on_b);

    tk_test_conn on_a;
    CHECK(tk_test_connect_to(p.a, p.client, "a.test", on_b.session, &on_a));
    CHECK_EQ(on_a.reused, 0);
    CHECK_EQ(seen.decided_by, CONTEXT_A);
    CHECK_EQ(seen.decided_stamp_host, CONTEXT_B);
    CHECK_EQ(seen.rejected_other_host, 1);
    tk_test_conn_clear(&on_a);

    /* OpenSSL opens a presented ticket before it runs the servername callback: the decision on b.test's ticket
     * is made on the context the connection started on, which refuses it too. Safe, and a full handshake. */
    tk_test_conn again_b;
    CHECK(tk_test_connect_to(p.a, p.client, "b.test", on_b.session, &again_b));
    CHECK_EQ(again_b.reused, 0);
    CHECK_EQ(seen.decided_by, CONTEXT_A);
    CHECK_EQ(seen.rejected_other_host, 2);
    CHECK(tk_test_has_ticket(again_b.session));
    CHECK_EQ(seen.stamped_for, CONTEXT_B);

    /* Where the connection starts on b (its own listener, or a client_hello callback that switches), b's
     * ticket resumes. */
    tk_test_conn direct;
    CHECK(tk_test_connect(p.b, p.client, on_b.session, &direct));
    CHECK_EQ(direct.reused, 1);
    CHECK_EQ(seen.decided_by, CONTEXT_B);
    CHECK_EQ(seen.decided_stamp_host, CONTEXT_B);
    tk_test_conn_clear(&again_b);
    tk_test_conn_clear(&direct);
    tk_test_conn_clear(&on_b);
    pair_close(&p);
}

/* The fix for the case above: the shim names the client's server_name in the session view, read from the
 * ClientHello while the ticket is decided (before the servername callback), so that the decision can be made for
 * the context the connection is meant for. A session upcall that binds to the host the server_name names (as
 * Java's does for the attached contexts) lets b.test's ticket resume on b.test through the switch, and refuses it
 * on a.test and on a name that no context serves. */
static void test_servername_switch_follows_sni(int version)
{
    pair p;
    tk_test_conn on_b;
    open_switching(&p, version, 1, &on_b);

    tk_test_conn again_b;
    CHECK(tk_test_connect_to(p.a, p.client, "b.test", on_b.session, &again_b));
    CHECK_EQ(again_b.reused, 1);
    CHECK_EQ(seen.decided_by, CONTEXT_A);
    CHECK_EQ(seen.decided_stamp_host, CONTEXT_B);
    CHECK(strcmp(seen.server_name, "b.test") == 0);
    CHECK_EQ(seen.rejected_other_host, 0);

    tk_test_conn on_a;
    CHECK(tk_test_connect_to(p.a, p.client, "a.test", on_b.session, &on_a));
    CHECK_EQ(on_a.reused, 0);
    CHECK(strcmp(seen.server_name, "a.test") == 0);
    CHECK_EQ(seen.rejected_other_host, 1);

    tk_test_conn elsewhere;
    CHECK(tk_test_connect_to(p.a, p.client, "c.test", on_b.session, &elsewhere));
    CHECK_EQ(elsewhere.reused, 0);
    CHECK(strcmp(seen.server_name, "c.test") == 0);
    CHECK_EQ(seen.rejected_other_host, 2);

    /* No server_name at all: the view says so (length 0), and the connection's context decides. */
    tk_test_conn unnamed;
    CHECK(tk_test_connect(p.a, p.client, on_b.session, &unnamed));
    CHECK_EQ(unnamed.reused, 0);
    CHECK_EQ(seen.server_name[0], '\0');
    CHECK_EQ(seen.rejected_other_host, 3);
    tk_test_conn_clear(&on_b);
    tk_test_conn_clear(&again_b);
    tk_test_conn_clear(&on_a);
    tk_test_conn_clear(&elsewhere);
    tk_test_conn_clear(&unnamed);
    pair_close(&p);
}

/* With the context the connection started on detached, a TLS 1.3 ticket sealed for b.test still carries b's
 * stamp. On the old shim the generate callback ran for the detached context (no upcall, no stamp) while the key
 * callback sealed for b: an unbound ticket. Under TLS 1.2 the detached context answers the client's empty ticket
 * extension (before the servername callback) with "no ticket", so none is issued. */
static void test_servername_switch_from_detached(int version)
{
    pair p;
    pair_open(&p, version);
    SSL_CTX_set_tlsext_servername_callback(p.a, switch_to_b);
    SSL_CTX_set_tlsext_servername_arg(p.a, p.b);
    CHECK_EQ(tk_detach(p.handle, p.a), TK_OK);

    tk_test_conn on_b;
    CHECK(tk_test_connect_to(p.a, p.client, "b.test", NULL, &on_b));
    if (version == TLS1_2_VERSION) {
        CHECK(!tk_test_has_ticket(on_b.session));
        CHECK_EQ(seen.stamped_for, 0);
        tk_test_conn_clear(&on_b);
        pair_close(&p);
        return;
    }
    CHECK(tk_test_has_ticket(on_b.session));
    CHECK_EQ(seen.stamped_for, CONTEXT_B);
    CHECK_EQ(seen.sealed_by, CONTEXT_B);

    tk_test_conn resumed;
    CHECK(tk_test_connect(p.b, p.client, on_b.session, &resumed));
    CHECK_EQ(resumed.reused, 1);
    CHECK_EQ(seen.decided_stamp_host, CONTEXT_B);
    tk_test_conn_clear(&on_b);
    tk_test_conn_clear(&resumed);
    pair_close(&p);
}

/* A detached context gets the safe outcome and no upcalls; the other context carries on; the detached one cannot
 * be attached again or configured through the handle. */
static void test_detach(int version)
{
    pair p;
    pair_open(&p, version);
    tk_test_conn first;
    CHECK(tk_test_connect(p.a, p.client, NULL, &first));
    CHECK(tk_test_has_ticket(first.session));

    CHECK_EQ(tk_detach(p.handle, p.a), TK_OK);
    int upcalls = seen.upcalls;
    tk_test_conn on_a;
    CHECK(tk_test_connect(p.a, p.client, first.session, &on_a));
    CHECK_EQ(on_a.reused, 0);
    CHECK(!tk_test_has_ticket(on_a.session));
    CHECK_EQ(seen.upcalls, upcalls);
    CHECK(stats_of(p.handle).detached_callbacks >= 2);
    CHECK_EQ(stats_of(p.handle).closed_callbacks, 0);

    tk_test_conn on_b;
    CHECK(tk_test_connect(p.b, p.client, first.session, &on_b));
    CHECK_EQ(on_b.reused, 1);

    static const uint8_t context[] = "x";
    CHECK_EQ(tk_detach(p.handle, p.a), TK_ERR_NOT_ATTACHED);
    CHECK_EQ(tk_attach(p.handle, p.a, CONTEXT_A), TK_ERR_ATTACHED);
    CHECK_EQ(tk_set_session_id_context(p.handle, p.a, context, sizeof(context)), TK_ERR_NOT_ATTACHED);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&on_a);
    tk_test_conn_clear(&on_b);
    pair_close(&p);
}

/* After OpenSSL frees a context, every call that names it answers TK_ERR_CONTEXT_FREED and touches nothing (the
 * sanitizer build checks that), while the handle goes on serving its other context. */
static void test_freed_context(int version)
{
    pair p;
    pair_open(&p, version);
    SSL_CTX *gone = p.a;
    SSL_CTX_free(p.a);
    p.a = NULL;

    static const uint8_t context[] = "x";
    uint8_t nginx[TK_SHA1_LEN];
    memset(nginx, 0xee, sizeof(nginx));
    static const uint8_t der[] = {0x30, 0x00};
    CHECK_EQ(tk_set_session_id_context(p.handle, gone, context, sizeof(context)), TK_ERR_CONTEXT_FREED);
    CHECK_EQ(tk_nginx_session_id_context(p.handle, gone, (const uint8_t *)"HTTP", 4, nginx), TK_ERR_CONTEXT_FREED);
    CHECK_EQ(nginx[0], 0xee);
    CHECK_EQ(tk_cache_add_session(p.handle, gone, der, sizeof(der)), TK_ERR_CONTEXT_FREED);
    CHECK_EQ(tk_detach(p.handle, gone), TK_ERR_CONTEXT_FREED);

    tk_test_conn first;
    tk_test_conn second;
    CHECK(tk_test_connect(p.b, p.client, NULL, &first));
    CHECK(tk_test_connect(p.b, p.client, first.session, &second));
    CHECK_EQ(second.reused, 1);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    pair_close(&p);
}

/* Contexts and the handle's owner let go in every order; the sanitizer build checks for leaks and reuse. */
static void test_release_orders(void)
{
    for (int order = 0; order < 3; order++) {
        pair p;
        pair_open(&p, TLS1_3_VERSION);
        tk_test_conn conn;
        CHECK(tk_test_connect(p.a, p.client, NULL, &conn));
        tk_test_conn_clear(&conn);
        switch (order) {
        case 0:
            tk_close(p.handle);
            SSL_CTX_free(p.a);
            SSL_CTX_free(p.b);
            break;
        case 1:
            SSL_CTX_free(p.a);
            tk_close(p.handle);
            SSL_CTX_free(p.b);
            break;
        default:
            SSL_CTX_free(p.a);
            SSL_CTX_free(p.b);
            CHECK_EQ(tk_publish_keys(p.handle, NULL, 0, 2), TK_OK);
            tk_close(p.handle);
            break;
        }
        SSL_CTX_free(p.client);
    }
}

/* A context that was never attached to the handle, and a handle that is closed. */
static void test_not_attached_and_closed(void)
{
    pair p;
    pair_open(&p, TLS1_2_VERSION);
    SSL_CTX *stranger = tk_test_server_ctx(TLS1_2_VERSION);
    CHECK(stranger != NULL);
    static const uint8_t context[] = "x";
    uint8_t nginx[TK_SHA1_LEN];
    CHECK_EQ(tk_set_session_id_context(p.handle, stranger, context, sizeof(context)), TK_ERR_NOT_ATTACHED);
    CHECK_EQ(tk_nginx_session_id_context(p.handle, stranger, NULL, 0, nginx), TK_ERR_NOT_ATTACHED);
    CHECK_EQ(tk_detach(p.handle, stranger), TK_ERR_NOT_ATTACHED);

    tk_handle *closed = NULL;
    CHECK_EQ(tk_handle_new(&UPCALLS, NULL, &closed), TK_OK);
    CHECK_EQ(tk_attach(closed, stranger, 1), TK_OK);
    tk_close(closed);
    SSL_CTX *late = tk_test_server_ctx(TLS1_2_VERSION);
    CHECK(late != NULL);
    /* |closed| lives on while |stranger| holds it, so it can still answer. */
    CHECK_EQ(tk_attach(closed, late, 2), TK_ERR_CLOSED);
    SSL_CTX_free(late);
    SSL_CTX_free(stranger);
    pair_close(&p);
}

/* tk_context_state follows each id through attach, detach and free, without touching the contexts. */
static void test_context_state(void)
{
    pair p;
    pair_open(&p, TLS1_2_VERSION);
    CHECK_EQ(tk_context_state(p.handle, CONTEXT_A), TK_CONTEXT_ATTACHED);
    CHECK_EQ(tk_context_state(p.handle, CONTEXT_B), TK_CONTEXT_ATTACHED);
    CHECK_EQ(tk_context_state(p.handle, 0), TK_ERR_NOT_ATTACHED);
    CHECK_EQ(tk_context_state(NULL, CONTEXT_A), TK_ERR_NULL);

    CHECK_EQ(tk_detach(p.handle, p.a), TK_OK);
    CHECK_EQ(tk_context_state(p.handle, CONTEXT_A), TK_CONTEXT_DETACHED);
    SSL_CTX_free(p.b);
    p.b = NULL;
    CHECK_EQ(tk_context_state(p.handle, CONTEXT_B), TK_CONTEXT_FREED);

    /* An id used again names the newest context attached under it. */
    SSL_CTX *successor = tk_test_server_ctx(TLS1_2_VERSION);
    CHECK(successor != NULL);
    CHECK_EQ(tk_attach(p.handle, successor, CONTEXT_B), TK_OK);
    CHECK_EQ(tk_context_state(p.handle, CONTEXT_B), TK_CONTEXT_ATTACHED);
    tk_close(p.handle);
    SSL_CTX_free(successor);
    SSL_CTX_free(p.a);
    SSL_CTX_free(p.client);
}

static void test_session_id_context(void)
{
    pair p;
    pair_open(&p, TLS1_2_VERSION);
    uint8_t context[TK_SHA1_LEN];
    uint8_t again[TK_SHA1_LEN];
    CHECK_EQ(tk_nginx_session_id_context(p.handle, p.a, (const uint8_t *)"HTTP", 4, context), TK_OK);
    CHECK_EQ(tk_nginx_session_id_context(p.handle, p.a, (const uint8_t *)"HTTP", 4, again), TK_OK);
    CHECK(memcmp(context, again, sizeof(context)) == 0);
    CHECK_EQ(tk_nginx_session_id_context(p.handle, p.a, (const uint8_t *)"STREAM", 6, again), TK_OK);
    CHECK(memcmp(context, again, sizeof(context)) != 0);

    /* By hand: SHA-1("HTTP" || SHA-1(certificate DER)), the context having no client CA list. */
    unsigned char cert_digest[EVP_MAX_MD_SIZE];
    unsigned int cert_len = 0;
    CHECK_EQ(X509_digest(SSL_CTX_get0_certificate(p.a), EVP_sha1(), cert_digest, &cert_len), 1);
    unsigned char input[4 + EVP_MAX_MD_SIZE];
    memcpy(input, "HTTP", 4);
    memcpy(input + 4, cert_digest, cert_len);
    unsigned char expected[TK_SHA1_LEN];
    CHECK(EVP_Digest(input, 4 + cert_len, expected, NULL, EVP_sha1(), NULL) == 1);
    CHECK(memcmp(context, expected, sizeof(expected)) == 0);

    CHECK_EQ(tk_set_session_id_context(p.handle, p.a, context, sizeof(context)), TK_OK);
    uint8_t too_long[TK_MAX_SESSION_ID_CONTEXT_LEN + 1] = {0};
    CHECK_EQ(tk_set_session_id_context(p.handle, p.a, too_long, sizeof(too_long)), TK_ERR_BAD_ARG);
    CHECK_EQ(tk_set_session_id_context(p.handle, p.a, too_long, TK_MAX_SESSION_ID_CONTEXT_LEN), TK_OK);
    CHECK_EQ(tk_set_session_id_context(NULL, p.a, context, sizeof(context)), TK_ERR_NULL);
    CHECK_EQ(tk_set_session_id_context(p.handle, NULL, context, sizeof(context)), TK_ERR_NULL);
    CHECK_EQ(tk_set_session_id_context(p.handle, p.a, NULL, 1), TK_ERR_NULL);
    CHECK_EQ(tk_nginx_session_id_context(NULL, p.a, (const uint8_t *)"HTTP", 4, context), TK_ERR_NULL);
    CHECK_EQ(tk_nginx_session_id_context(p.handle, p.a, NULL, 4, context), TK_ERR_NULL);
    CHECK_EQ(tk_nginx_session_id_context(p.handle, p.a, (const uint8_t *)"HTTP", 4, NULL), TK_ERR_NULL);
    pair_close(&p);
}

int main(void)
{
    static const int versions[] = {TLS1_2_VERSION, TLS1_3_VERSION};
    for (size_t i = 0; i < 2; i++) {
        TK_RUN_VERSION(test_context_ids_and_shared_keys, versions[i]);
        TK_RUN_VERSION(test_detach, versions[i]);
        TK_RUN_VERSION(test_servername_switch, versions[i]);
        TK_RUN_VERSION(test_servername_switch_follows_sni, versions[i]);
        TK_RUN_VERSION(test_servername_switch_from_detached, versions[i]);
        TK_RUN_VERSION(test_freed_context, versions[i]);
    }
    TK_RUN(test_release_orders);
    TK_RUN(test_not_attached_and_closed);
    TK_RUN(test_session_id_context);
    TK_RUN(test_context_state);
    return 0;
}
