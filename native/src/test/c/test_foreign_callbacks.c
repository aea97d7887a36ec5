/* test_foreign_callbacks.c: other libraries' callbacks on an attached context. A ticket key callback installed
 * over the shim's after tk_attach (as Netty's setTicketKeys does) opens tickets the shim never saw: the session
 * upcall hears of them as TK_TICKET_FOREIGN and OpenSSL's own rule decides. Session cache callbacks replaced by
 * tk_cache_attach, and SSL_OP_NO_TICKET, are findings (tk_context_findings). Real handshakes over BIO pairs. */

#include <string.h>

#include "ticketkeeper.h"
#include "tk_test.h"
#include "tk_test_foreign.h"
#include "tk_test_tls.h"

enum { CONTEXT_ID = 7 };

static struct {
    int seals;
    int opens;
    int sessions;
    int32_t last_status;
    int64_t last_context;
} seen;

/* The other library's ticket key callback's key: its name all 0xf0. */
static tk_test_foreign other_library;

static int32_t seal(void *user, int64_t context_id, int64_t generation, int32_t *out_slot, int64_t *out_lifetime_s)
{
    (void)user;
    (void)context_id;
    (void)generation;
    (void)out_lifetime_s;
    seen.seals++;
    *out_slot = 0;
    return 1;
}

static int32_t open_ticket(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    (void)user;
    (void)context_id;
    (void)generation;
    seen.opens++;
    return slot < 0 ? TK_KEY_REJECT : TK_KEY_USE;
}

static int32_t stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp, uint32_t *out_max_early_data)
{
    (void)out_max_early_data;
    (void)user;
    (void)context_id;
    out_stamp->host_id = 9;
    return 1;
}

/* Answers ABORT for a foreign ticket: the shim must ignore it. */
static int32_t session(void *user, const tk_session_view *view)
{
    (void)user;
    seen.sessions++;
    seen.last_status = view->status;
    seen.last_context = view->context_id;
    if (view->status == TK_TICKET_FOREIGN) {
        CHECK_EQ(view->has_stamp, 0);
        CHECK_EQ(view->key_slot, -1);
        return TK_SESSION_ABORT;
    }
    int opened = view->status == TK_TICKET_OPENED || view->status == TK_TICKET_OPENED_RENEW;
    return opened ? TK_SESSION_USE : TK_SESSION_IGNORE_RENEW;
}

static const tk_upcalls UPCALLS = {NULL, seal, open_ticket, stamp, session, NULL};

static int32_t cache_new(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len, const uint8_t *der,
                         uint32_t der_len, int64_t timeout_s)
{
    (void)user;
    (void)context_id;
    (void)id;
    (void)id_len;
    (void)der;
    (void)der_len;
    (void)timeout_s;
    return 0;
}

static int32_t cache_get(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len, uint8_t *out_der,
                         uint32_t der_capacity)
{
    (void)user;
    (void)context_id;
    (void)id;
    (void)id_len;
    (void)out_der;
    (void)der_capacity;
    return 0;
}

static int32_t cache_remove(void *user, int64_t context_id, const uint8_t *id, uint32_t id_len)
{
    (void)user;
    (void)context_id;
    (void)id;
    (void)id_len;
    return 0;
}

static const tk_cache_upcalls CACHE_UPCALLS = {NULL, cache_new, cache_get, cache_remove};

typedef struct fixture {
    SSL_CTX *server;
    SSL_CTX *client;
    tk_handle *handle;
} fixture;

static void fixture_open(fixture *f, int version, const tk_cache_upcalls *cache_upcalls)
{
    memset(&seen, 0, sizeof(seen));
    memset(other_library.name, 0xf0, sizeof(other_library.name));
    memset(other_library.aes, 0xa1, sizeof(other_library.aes));
    memset(other_library.hmac, 0xb2, sizeof(other_library.hmac));
    other_library.renew = 1;
    other_library.opens = 0;
    f->server = tk_test_server_ctx(version);
    f->client = tk_test_client_ctx(version);
    CHECK(f->server != NULL && f->client != NULL);
    f->handle = NULL;
    CHECK_EQ(tk_handle_new(&UPCALLS, cache_upcalls, &f->handle), TK_OK);
    CHECK_EQ(tk_attach(f->handle, f->server, CONTEXT_ID), TK_OK);
    tk_key key;
    memset(&key, 0x44, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    CHECK_EQ(tk_publish_keys(f->handle, &key, 1, 1), TK_OK);
}

static void fixture_close(fixture *f)
{
    tk_close(f->handle);
    SSL_CTX_free(f->server);
    SSL_CTX_free(f->client);
}

/* The shim's own tickets are TK_TICKET_OPENED; once another key callback replaced the shim's, its tickets reach
 * the session upcall as TK_TICKET_FOREIGN with nothing else told, resume although the upcall answered ABORT, and
 * are renewed when that callback asks. */
static void test_replaced_ticket_key_callback(int version)
{
    fixture f;
    fixture_open(&f, version, NULL);
    tk_test_conn ours;
    tk_test_conn ours_again;
    CHECK(tk_test_connect(f.server, f.client, NULL, &ours));
    CHECK(tk_test_connect(f.server, f.client, ours.session, &ours_again));
    CHECK_EQ(ours_again.reused, 1);
    CHECK_EQ(seen.last_status, TK_TICKET_OPENED);

    CHECK_EQ(tk_test_foreign_install(f.server, &other_library), 1);
    int seals = seen.seals;
    tk_test_conn foreign;
    CHECK(tk_test_connect(f.server, f.client, NULL, &foreign));
    CHECK(tk_test_has_ticket(foreign.session));
    CHECK_EQ(seen.seals, seals);

    int opens = seen.opens;
    tk_test_conn resumed;
    CHECK(tk_test_connect(f.server, f.client, foreign.session, &resumed));
    CHECK_EQ(resumed.reused, 1);
    CHECK_EQ(other_library.opens, 1);
    CHECK_EQ(seen.opens, opens);
    CHECK_EQ(seen.last_status, TK_TICKET_FOREIGN);
    CHECK_EQ(seen.last_context, CONTEXT_ID);

    other_library.renew = 2;
    tk_test_conn renewed;
    CHECK(tk_test_connect(f.server, f.client, foreign.session, &renewed));
    CHECK_EQ(renewed.reused, 1);
    CHECK_EQ(seen.last_status, TK_TICKET_FOREIGN);
    CHECK(tk_test_has_ticket(renewed.session));
    CHECK(!tk_test_same_ticket(foreign.session, renewed.session));

    /* A ticket under the shim's key is unknown to the other callback: a full handshake, not a foreign ticket. */
    tk_test_conn refused;
    CHECK(tk_test_connect(f.server, f.client, ours.session, &refused));
    CHECK_EQ(refused.reused, 0);
    CHECK(seen.last_status != TK_TICKET_FOREIGN);

    tk_stats stats;
    CHECK_EQ(tk_get_stats(f.handle, &stats), TK_OK);
    CHECK_EQ(stats.bad_decisions, 0);
    tk_test_conn_clear(&ours);
    tk_test_conn_clear(&ours_again);
    tk_test_conn_clear(&foreign);
    tk_test_conn_clear(&resumed);
    tk_test_conn_clear(&renewed);
    tk_test_conn_clear(&refused);
    fixture_close(&f);
}

/* Two contexts on one thread, one with the shim's key callback and one with another's: the mark the shim's open
 * path sets for a ticket never makes the next context's foreign ticket look like the shim's. */
static void test_mark_stays_with_its_ticket(void)
{
    fixture ours;
    fixture_open(&ours, TLS1_3_VERSION, NULL);
    SSL_CTX *other = tk_test_server_ctx(TLS1_3_VERSION);
    CHECK(other != NULL);
    CHECK_EQ(tk_attach(ours.handle, other, CONTEXT_ID + 1), TK_OK);
    CHECK_EQ(tk_test_foreign_install(other, &other_library), 1);

    tk_test_conn first_ours;
    tk_test_conn first_other;
    CHECK(tk_test_connect(ours.server, ours.client, NULL, &first_ours));
    CHECK(tk_test_connect(other, ours.client, NULL, &first_other));
    for (int round = 0; round < 3; round++) {
        tk_test_conn again;
        CHECK(tk_test_connect(ours.server, ours.client, first_ours.session, &again));
        CHECK_EQ(again.reused, 1);
        CHECK_EQ(seen.last_status, TK_TICKET_OPENED);
        tk_test_conn_clear(&again);
        CHECK(tk_test_connect(other, ours.client, first_other.session, &again));
        CHECK_EQ(again.reused, 1);
        CHECK_EQ(seen.last_status, TK_TICKET_FOREIGN);
        CHECK_EQ(seen.last_context, CONTEXT_ID + 1);
        tk_test_conn_clear(&again);
    }
    tk_test_conn_clear(&first_ours);
    tk_test_conn_clear(&first_other);
    SSL_CTX_free(other);
    fixture_close(&ours);
}

static uint32_t findings_of(const fixture *f)
{
    uint32_t findings = 0xdead;
    CHECK_EQ(tk_context_findings(f->handle, f->server, &findings), TK_OK);
    return findings;
}

static int other_new_cb(SSL *ssl, SSL_SESSION *session)
{
    (void)ssl;
    (void)session;
    return 0;
}

static void test_findings(void)
{
    fixture f;
    fixture_open(&f, TLS1_2_VERSION, &CACHE_UPCALLS);
    CHECK_EQ(findings_of(&f), 0);
    SSL_CTX_set_options(f.server, SSL_OP_NO_TICKET);
    CHECK_EQ(findings_of(&f), TK_FINDING_NO_TICKET);
    SSL_CTX_clear_options(f.server, SSL_OP_NO_TICKET);
    CHECK_EQ(findings_of(&f), 0);

    /* The shim's own callbacks, registered twice, replace nobody's. */
    CHECK_EQ(tk_cache_attach(f.handle, f.server, TK_CACHE_EXTERNAL), TK_OK);
    CHECK_EQ(tk_cache_attach(f.handle, f.server, TK_CACHE_INTERNAL), TK_OK);
    CHECK_EQ(findings_of(&f), 0);
    SSL_CTX_sess_set_new_cb(f.server, other_new_cb);
    CHECK_EQ(tk_cache_attach(f.handle, f.server, TK_CACHE_EXTERNAL), TK_OK);
    CHECK_EQ(findings_of(&f), TK_FINDING_CACHE_CALLBACKS_REPLACED);
    CHECK(SSL_CTX_sess_get_new_cb(f.server) != other_new_cb);

    uint32_t findings = 0x5a;
    CHECK_EQ(tk_context_findings(NULL, f.server, &findings), TK_ERR_NULL);
    CHECK_EQ(tk_context_findings(f.handle, NULL, &findings), TK_ERR_NULL);
    CHECK_EQ(tk_context_findings(f.handle, f.server, NULL), TK_ERR_NULL);
    SSL_CTX *stranger = tk_test_server_ctx(TLS1_2_VERSION);
    CHECK_EQ(tk_context_findings(f.handle, stranger, &findings), TK_ERR_NOT_ATTACHED);
    CHECK_EQ(findings, 0x5a);
    SSL_CTX_free(stranger);
    SSL_CTX *gone = f.server;
    SSL_CTX_free(f.server);
    f.server = NULL;
    CHECK_EQ(tk_context_findings(f.handle, gone, &findings), TK_ERR_CONTEXT_FREED);
    CHECK_EQ(findings, 0x5a);
    fixture_close(&f);
}

int main(void)
{
    TK_RUN_VERSION(test_replaced_ticket_key_callback, TLS1_2_VERSION);
    TK_RUN_VERSION(test_replaced_ticket_key_callback, TLS1_3_VERSION);
    TK_RUN(test_mark_stays_with_its_ticket);
    TK_RUN(test_findings);
    return 0;
}
