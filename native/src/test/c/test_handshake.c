/* test_handshake.c: the shim in real OpenSSL handshakes (tk_handle.c, tk_callbacks.c) over a BIO pair, for TLS 1.2
 * and TLS 1.3, through the public API of the shared library. The upcalls are plain C functions whose behaviour
 * and observations live in the static |up|. */

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ticketkeeper.h"
#include "tk_test.h"
#include "tk_test_handle.h"
#include "tk_test_tls.h"

/* The header promises that the session decisions are OpenSSL's own; it cannot include OpenSSL's headers to say
 * so. (The ticket statuses are translated by the shim; the handshakes below check them.) */
/* ... but for ABORT: 0 is what a dead upcall returns, so it must not abort (API version 4). */
_Static_assert(TK_SESSION_ABORT < 0, "0 from a dead session upcall must not mean TK_SESSION_ABORT");
_Static_assert(TK_SESSION_IGNORE == SSL_TICKET_RETURN_IGNORE, "TK_SESSION_IGNORE mirrors SSL_TICKET_RETURN_IGNORE");
_Static_assert(TK_SESSION_IGNORE_RENEW == SSL_TICKET_RETURN_IGNORE_RENEW,
               "TK_SESSION_IGNORE_RENEW mirrors SSL_TICKET_RETURN_IGNORE_RENEW");
_Static_assert(TK_SESSION_USE == SSL_TICKET_RETURN_USE, "TK_SESSION_USE mirrors SSL_TICKET_RETURN_USE");
_Static_assert(TK_SESSION_USE_RENEW == SSL_TICKET_RETURN_USE_RENEW,
               "TK_SESSION_USE_RENEW mirrors SSL_TICKET_RETURN_USE_RENEW");
_Static_assert(TK_KEY_NAME_LEN == 16, "OpenSSL's ticket key names are 16 bytes");

enum { KEY_LENGTH_KINDS = 3 };

typedef struct upcall_state {
    /* Behaviour. */
    int32_t seal_slot;          /* seal answers 1 with this slot, or 0 (no ticket) when it is negative */
    int seal_raw;               /* seal returns seal_raw_result as it is and leaves the slot alone */
    int32_t seal_raw_result;
    int64_t seal_lifetime_s;    /* written to seal's out_lifetime_s */
    int32_t open_decision;      /* returned by open for a known key name */
    int open_even_unknown;      /* return open_decision for an unknown name too */
    int session_follows_status;    /* for an opened ticket: USE, or USE_RENEW when the key asked for renewal */
    int32_t session_decision;      /* for an opened ticket when session_follows_status is 0 */
    int32_t session_not_opened; /* when no ticket was opened */
    int stamp_enabled;            /* generate returns 1 with next_stamp, else 0 */
    tk_ticket_stamp next_stamp;
    /* Observations. */
    int seal_calls;
    int open_calls;
    int stamp_calls;
    int session_calls;
    int64_t seal_generation;
    int64_t open_generation;
    int32_t open_slot;
    tk_ticket_stamp issued; /* the last stamp generate handed out */
    tk_session_view view;   /* the last view the session upcall saw */
} upcall_state;

static upcall_state up;

static void up_reset(void)
{
    memset(&up, 0, sizeof(up));
    up.seal_slot = 0;
    up.seal_lifetime_s = -1;
    up.open_decision = TK_KEY_USE;
    up.session_follows_status = 1;
    up.session_not_opened = TK_SESSION_IGNORE_RENEW;
    up.stamp_enabled = 1;
    up.next_stamp = (tk_ticket_stamp){1700000000123, 5, 100, 77};
    up.open_slot = -2;
}

static int32_t up_seal(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                       int64_t *out_lifetime_s)
{
    CHECK(user == &up); /* every upcall gets tk_upcalls.user */
    CHECK_EQ(context_id, TK_TEST_CONTEXT_ID);
    up.seal_calls++;
    CHECK_EQ(*out_slot, -1);
    CHECK_EQ(*out_lifetime_s, -1);
    *out_lifetime_s = up.seal_lifetime_s;
    up.seal_generation = generation;
    if (up.seal_raw) {
        return up.seal_raw_result;
    }
    if (up.seal_slot < 0) {
        return 0;
    }
    *out_slot = up.seal_slot;
    return 1;
}

static int32_t up_open(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    CHECK(user == &up); /* every upcall gets tk_upcalls.user */
    CHECK_EQ(context_id, TK_TEST_CONTEXT_ID);
    up.open_calls++;
    up.open_generation = generation;
    up.open_slot = slot;
    if (slot < 0 && !up.open_even_unknown) {
        return TK_KEY_REJECT;
    }
    return up.open_decision;
}

static int32_t up_stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp, uint32_t *out_max_early_data)
{
    (void)out_max_early_data;
    CHECK(user == &up); /* every upcall gets tk_upcalls.user */
    CHECK_EQ(context_id, TK_TEST_CONTEXT_ID);
    up.stamp_calls++;
    if (!up.stamp_enabled) {
        return 0;
    }
    *out_stamp = up.next_stamp;
    up.issued = up.next_stamp;
    up.next_stamp.tag++;
    return 1;
}

static int32_t up_session(void *user, const tk_session_view *view)
{
    CHECK(user == &up); /* every upcall gets tk_upcalls.user */
    up.session_calls++;
    CHECK_EQ(view->context_id, TK_TEST_CONTEXT_ID);
    up.view = *view;
    if (view->status != TK_TICKET_OPENED && view->status != TK_TICKET_OPENED_RENEW) {
        return up.session_not_opened;
    }
    if (!up.session_follows_status) {
        return up.session_decision;
    }
    return view->status == TK_TICKET_OPENED_RENEW ? TK_SESSION_USE_RENEW : TK_SESSION_USE;
}

/* |user| is the upcalls' state, as an application's would be: each upcall checks that it got it. */
static const tk_upcalls UPCALLS = {&up, up_seal, up_open, up_stamp, up_session, NULL};

/* Keys: |family| tells tables apart; the slot picks one of the three supported length pairs. */
static void make_key(tk_key *key, uint8_t family, size_t slot)
{
    static const uint32_t lengths[KEY_LENGTH_KINDS][2] = {{32, 32}, {16, 16}, {32, 16}};
    memset(key, 0, sizeof(*key));
    memset(key->name, family, TK_KEY_NAME_LEN);
    key->name[0] = (uint8_t)slot;
    memset(key->hmac_key, 0x40 + family, sizeof(key->hmac_key));
    memset(key->aes_key, 0x80 + family + (int)slot, sizeof(key->aes_key));
    key->hmac_key_len = lengths[slot % KEY_LENGTH_KINDS][0];
    key->aes_key_len = lengths[slot % KEY_LENGTH_KINDS][1];
}

typedef struct fixture {
    int version;
    SSL_CTX *server;
    SSL_CTX *client;
    tk_handle *handle;
} fixture;

static void fixture_open(fixture *f, int version)
{
    up_reset();
    f->version = version;
    f->server = tk_test_server_ctx(version);
    f->client = tk_test_client_ctx(version);
    CHECK(f->server != NULL && f->client != NULL);
    f->handle = tk_test_install(f->server, &UPCALLS, NULL);
}

static void fixture_close(fixture *f)
{
    tk_close(f->handle);
    SSL_CTX_free(f->server);
    SSL_CTX_free(f->client);
}

static void publish(fixture *f, uint8_t family, size_t count, int64_t generation)
{
    tk_key keys[8];
    CHECK(count <= 8);
    for (size_t slot = 0; slot < count; slot++) {
        make_key(&keys[slot], family, slot);
    }
    CHECK_EQ(tk_publish_keys(f->handle, keys, count, generation), TK_OK);
}

/* The fixture most tests start from: one key (family 1, slot 0) published as generation 1. */
static void fixture_open_one_key(fixture *f, int version)
{
    fixture_open(f, version);
    publish(f, 1, 1, 1);
}

static tk_stats stats_of(const fixture *f)
{
    tk_stats stats;
    CHECK_EQ(tk_get_stats(f->handle, &stats), TK_OK);
    return stats;
}

/* A full handshake that must bring a ticket. */
static void connect_for_ticket(fixture *f, tk_test_conn *conn)
{
    CHECK(tk_test_connect(f->server, f->client, NULL, conn));
    CHECK_EQ(conn->reused, 0);
    CHECK(tk_test_has_ticket(conn->session));
}

static void print_upcalls(const char *when)
{
    fprintf(stderr,
            "%s: upcalls seal=%d open=%d stamp=%d session=%d; open(generation=%" PRId64
            ", slot=%d); last view: status=%d key_slot=%d has_stamp=%d\n",
            when, up.seal_calls, up.open_calls, up.stamp_calls, up.session_calls, up.open_generation,
            up.open_slot, up.view.status, up.view.key_slot, up.view.has_stamp);
}

/* A handshake offering |offered| that must resume. */
static void connect_resumed(fixture *f, const tk_test_conn *offered, tk_test_conn *conn)
{
    CHECK(tk_test_connect(f->server, f->client, offered->session, conn));
    if (!conn->reused) {
        print_upcalls("not resumed");
    }
    CHECK_EQ(conn->reused, 1);
}

/* A handshake offering |offered| that must complete as a full handshake and bring a fresh ticket. */
static void connect_full_with_fresh_ticket(fixture *f, const tk_test_conn *offered, tk_test_conn *conn)
{
    CHECK(tk_test_connect(f->server, f->client, offered->session, conn));
    CHECK_EQ(conn->reused, 0);
    CHECK(tk_test_has_ticket(conn->session));
    CHECK(!tk_test_same_ticket(offered->session, conn->session));
}

static void test_no_keys_no_ticket(int version)
{
    fixture f;
    fixture_open(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK(!tk_test_has_ticket(first.session));
    CHECK_EQ(up.seal_calls, 0);
    CHECK_EQ(up.open_calls, 0);
    /* A TLS 1.2 client with no ticket sends an empty extension to ask for one; TLS 1.3 has no such signal. */
    CHECK_EQ(up.session_calls, version == TLS1_2_VERSION ? 1 : 0);
    CHECK(up.session_calls == 0 || up.view.status == TK_TICKET_EMPTY);
    CHECK(tk_test_connect(f.server, f.client, first.session, &second));
    CHECK_EQ(second.reused, 0);
    CHECK(!tk_test_has_ticket(second.session));
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);

    /* An empty table issues no ticket either, without asking the application. */
    publish(&f, 1, 0, 3);
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK(!tk_test_has_ticket(first.session));
    CHECK_EQ(up.seal_calls, 0);
    tk_test_conn_clear(&first);

    /* With keys, the seal upcall can still decline. */
    publish(&f, 1, 1, 4);
    up.seal_slot = -1;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK(!tk_test_has_ticket(first.session));
    CHECK(up.seal_calls > 0);
    CHECK_EQ(up.seal_generation, 4);
    CHECK_EQ(stats_of(&f).bad_decisions, 0);
    tk_test_conn_clear(&first);
    fixture_close(&f);
}

/* Every slot, hence every supported pair of key lengths, seals a ticket that resumes, and the session upcall sees
 * the stamp, key and protocol of that ticket. */
static void test_ticket_resumes(int version)
{
    fixture f;
    fixture_open(&f, version);
    publish(&f, 1, KEY_LENGTH_KINDS, 7);
    for (int32_t slot = 0; slot < KEY_LENGTH_KINDS; slot++) {
        up.seal_slot = slot;
        tk_test_conn first;
        tk_test_conn second;
        connect_for_ticket(&f, &first);
        CHECK_EQ(up.seal_generation, 7);
        tk_ticket_stamp issued = up.issued;
        CHECK_EQ(tk_set_ticket_ids(f.handle, slot % 2), TK_OK);
        connect_resumed(&f, &first, &second);
        CHECK_EQ(up.open_generation, 7);
        CHECK_EQ(up.open_slot, slot);
        CHECK_EQ(up.view.status, TK_TICKET_OPENED);
        CHECK_EQ(up.view.protocol_version, version);
        /* Off until asked for (tk_set_ticket_ids); a TLS 1.2 ticket has no identity of its own even then. */
        CHECK_EQ(up.view.has_ticket_id, slot % 2 == 1 && version == TLS1_3_VERSION);
        CHECK_EQ(up.view.key_generation, 7);
        CHECK_EQ(up.view.key_slot, slot);
        CHECK_EQ(up.view.has_peer_certificate, 0);
        CHECK(up.view.session_time_s > 0);
        CHECK_EQ(up.view.has_stamp, 1);
        CHECK_EQ(up.view.stamp.issued_at_ms, issued.issued_at_ms);
        CHECK_EQ(up.view.stamp.key_generation, issued.key_generation);
        CHECK_EQ(up.view.stamp.tag, issued.tag);
        tk_test_conn_clear(&first);
        tk_test_conn_clear(&second);
    }
    CHECK_EQ(stats_of(&f).bad_decisions, 0);
    CHECK_EQ(stats_of(&f).crypto_errors, 0);
    fixture_close(&f);
}

static void test_stamps(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    up.next_stamp = (tk_ticket_stamp){-1700000000123, INT64_MIN, INT64_MAX - 10, INT64_MIN + 3};
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);
    tk_ticket_stamp issued = up.issued;
    CHECK(issued.issued_at_ms < 0);
    connect_resumed(&f, &first, &second);
    CHECK_EQ(up.view.has_stamp, 1);
    CHECK_EQ(up.view.stamp.issued_at_ms, issued.issued_at_ms);
    CHECK_EQ(up.view.stamp.key_generation, issued.key_generation);
    CHECK_EQ(up.view.stamp.tag, issued.tag);
    CHECK_EQ(up.view.stamp.host_id, INT64_MIN + 3);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);

    fixture_close(&f);
}

/* Fail closed: a stamp upcall that returns 0 (it failed, died, or knows no host for the context) gets no ticket
 * issued at all, never an unbound one, and the refusal is counted; the seal upcall is not asked. */
static void test_unstamped_ticket_refused(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    up.stamp_enabled = 0;
    tk_test_conn first;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK_EQ(first.reused, 0);
    CHECK(!tk_test_has_ticket(first.session));
    CHECK(up.stamp_calls > 0);
    CHECK_EQ(up.seal_calls, 0);
    CHECK_EQ(stats_of(&f).unstamped_tickets_refused, (uint64_t)up.stamp_calls);
    CHECK_EQ(stats_of(&f).bad_decisions, 0);
    tk_test_conn_clear(&first);

    /* Stamping again: tickets again, and the counter stands still. */
    up.stamp_enabled = 1;
    uint64_t refused = stats_of(&f).unstamped_tickets_refused;
    connect_for_ticket(&f, &first);
    CHECK_EQ(stats_of(&f).unstamped_tickets_refused, refused);
    tk_test_conn_clear(&first);
    fixture_close(&f);
}

/* A session's age counts from its first ticket: a renewed ticket (TLS 1.2 renewal, every TLS 1.3 resumption) keeps
 * the first stamp's issued_at_ms, while the rest of the stamp is the new one. On the old shim the renewed ticket
 * carried the time of the renewal, so maxAge and revocations never ended a chain that kept renewing. */
static void test_renewal_keeps_first_issue_time(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    up.open_decision = TK_KEY_RENEW;
    up.next_stamp.issued_at_ms = 1000;
    tk_test_conn first;
    tk_test_conn second;
    tk_test_conn third;
    connect_for_ticket(&f, &first);
    int64_t first_tag = up.issued.tag;

    up.next_stamp.issued_at_ms = 5000;
    connect_resumed(&f, &first, &second);
    CHECK(tk_test_has_ticket(second.session));
    CHECK(!tk_test_same_ticket(first.session, second.session));
    CHECK_EQ(up.issued.issued_at_ms, 5000);

    up.next_stamp.issued_at_ms = 9000;
    connect_resumed(&f, &second, &third);
    CHECK_EQ(up.view.has_stamp, 1);
    CHECK_EQ(up.view.stamp.issued_at_ms, 1000);
    CHECK(up.view.stamp.tag > first_tag);

    /* A full handshake starts a new session, and a new age. */
    tk_test_conn fresh;
    tk_test_conn resumed;
    connect_for_ticket(&f, &fresh);
    connect_resumed(&f, &fresh, &resumed);
    CHECK_EQ(up.view.stamp.issued_at_ms, 9000);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&third);
    tk_test_conn_clear(&fresh);
    tk_test_conn_clear(&resumed);
    fixture_close(&f);
}

static void test_renew(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    up.open_decision = TK_KEY_RENEW;
    tk_test_conn first;
    tk_test_conn second;
    tk_test_conn third;
    connect_for_ticket(&f, &first);
    connect_resumed(&f, &first, &second);
    CHECK_EQ(up.view.status, TK_TICKET_OPENED_RENEW);
    CHECK(tk_test_has_ticket(second.session));
    CHECK(!tk_test_same_ticket(first.session, second.session));
    up.open_decision = TK_KEY_USE;
    connect_resumed(&f, &second, &third);
    CHECK_EQ(up.view.status, TK_TICKET_OPENED);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&third);
    fixture_close(&f);
}

/* Which decisions renew. OpenSSL sends a new ticket on resumption only when renewal was asked for, in TLS 1.3
 * too (where clients should use each ticket once), and the session decision has the last word: a key RENEW
 * followed by a session USE gives no new ticket. The application's policy must return TK_SESSION_USE_RENEW. */
static void test_renew_decisions(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);
    int seals = up.seal_calls;

    /* USE keeps the ticket: the client gets no new one. */
    connect_resumed(&f, &first, &second);
    CHECK(tk_test_same_ticket(first.session, second.session));
    CHECK_EQ(up.seal_calls, seals);
    tk_test_conn_clear(&second);

    /* The session upcall can renew what the key upcall would keep. */
    up.session_follows_status = 0;
    up.session_decision = TK_SESSION_USE_RENEW;
    connect_resumed(&f, &first, &second);
    CHECK(tk_test_has_ticket(second.session));
    CHECK(!tk_test_same_ticket(first.session, second.session));
    CHECK(up.seal_calls > seals);
    tk_test_conn_clear(&second);

    up.open_decision = TK_KEY_RENEW;
    up.session_decision = TK_SESSION_USE;
    seals = up.seal_calls;
    connect_resumed(&f, &first, &second);
    CHECK_EQ(up.view.status, TK_TICKET_OPENED_RENEW);
    CHECK(tk_test_same_ticket(first.session, second.session));
    CHECK_EQ(up.seal_calls, seals);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&first);
    fixture_close(&f);
}

static void test_unknown_key(int version)
{
    fixture f;
    fixture_open(&f, version);
    publish(&f, 1, 1, 7);
    tk_test_conn first;
    tk_test_conn second;
    tk_test_conn third;
    connect_for_ticket(&f, &first);

    publish(&f, 2, 2, 8);
    connect_full_with_fresh_ticket(&f, &first, &second);
    CHECK_EQ(up.open_generation, 8);
    CHECK_EQ(up.open_slot, -1);
    CHECK_EQ(up.view.status, TK_TICKET_NOT_OPENED);
    CHECK_EQ(up.view.key_slot, -1);
    CHECK_EQ(up.view.key_generation, -1);
    CHECK_EQ(up.view.has_stamp, 0);
    connect_resumed(&f, &second, &third);
    CHECK_EQ(up.open_generation, 8);
    CHECK_EQ(up.open_slot, 0);
    CHECK_EQ(stats_of(&f).bad_decisions, 0);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&third);
    fixture_close(&f);
}

/* Rotation: a key that moved to another slot of a newer table still opens its tickets. */
static void test_key_moves_to_another_slot(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);

    tk_key keys[2];
    make_key(&keys[0], 2, 0);
    make_key(&keys[1], 1, 0);
    CHECK_EQ(tk_publish_keys(f.handle, keys, 2, 2), TK_OK);
    connect_resumed(&f, &first, &second);
    CHECK_EQ(up.open_generation, 2);
    CHECK_EQ(up.open_slot, 1);
    CHECK_EQ(up.view.key_slot, 1);
    CHECK_EQ(up.view.key_generation, 2);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    fixture_close(&f);
}

static void test_key_reject_and_abort(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);

    up.open_decision = TK_KEY_REJECT;
    connect_full_with_fresh_ticket(&f, &first, &second);
    CHECK_EQ(up.view.status, TK_TICKET_NOT_OPENED);
    tk_test_conn_clear(&second);

    up.open_decision = TK_KEY_ABORT;
    int sessions_before = up.session_calls;
    CHECK(!tk_test_connect(f.server, f.client, first.session, &second));
    CHECK(second.session == NULL);
    CHECK_EQ(up.session_calls, sessions_before);

    /* The context is unharmed: a handshake without a ticket works, and the ticket works once accepted again. */
    CHECK(tk_test_connect(f.server, f.client, NULL, &second));
    tk_test_conn_clear(&second);
    up.open_decision = TK_KEY_USE;
    connect_resumed(&f, &first, &second);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    fixture_close(&f);
}

static void test_session_decisions(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);
    up.session_follows_status = 0;

    up.session_decision = TK_SESSION_IGNORE_RENEW;
    connect_full_with_fresh_ticket(&f, &first, &second);
    CHECK_EQ(up.view.status, TK_TICKET_OPENED);
    tk_test_conn_clear(&second);

    up.session_decision = TK_SESSION_IGNORE;
    CHECK(tk_test_connect(f.server, f.client, first.session, &second));
    CHECK_EQ(second.reused, 0);
    tk_test_conn_clear(&second);

    up.session_decision = TK_SESSION_ABORT;
    CHECK(!tk_test_connect(f.server, f.client, first.session, &second));

    up.session_decision = TK_SESSION_USE;
    connect_resumed(&f, &first, &second);
    CHECK_EQ(stats_of(&f).bad_decisions, 0);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    fixture_close(&f);
}

static void test_bad_decisions(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;

    /* A slot past the end of the table: no ticket, counted. */
    up.seal_slot = 7;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK(!tk_test_has_ticket(first.session));
    CHECK(up.seal_calls > 0);
    CHECK_EQ(stats_of(&f).bad_decisions, up.seal_calls);
    tk_test_conn_clear(&first);
    up.seal_slot = 0;

    /* 1 without a slot, and answers that are neither 1 nor 0: no ticket, counted. 0 is no ticket, not slot 0. */
    static const int32_t bad_seal_results[] = {1, 2, -1, INT32_MIN};
    up.seal_raw = 1;
    for (size_t i = 0; i < sizeof(bad_seal_results) / sizeof(bad_seal_results[0]); i++) {
        uint64_t before = stats_of(&f).bad_decisions;
        int calls = up.seal_calls;
        up.seal_raw_result = bad_seal_results[i];
        CHECK(tk_test_connect(f.server, f.client, NULL, &first));
        CHECK(!tk_test_has_ticket(first.session));
        CHECK_EQ(stats_of(&f).bad_decisions, before + (uint64_t)(up.seal_calls - calls));
        tk_test_conn_clear(&first);
    }
    uint64_t before_dead = stats_of(&f).bad_decisions;
    up.seal_raw_result = 0;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK(!tk_test_has_ticket(first.session));
    CHECK_EQ(stats_of(&f).bad_decisions, before_dead);
    tk_test_conn_clear(&first);
    up.seal_raw = 0;
    connect_for_ticket(&f, &first);

    static const int32_t bad_key_decisions[] = {7, 3, -2, INT32_MIN};
    for (size_t i = 0; i < sizeof(bad_key_decisions) / sizeof(bad_key_decisions[0]); i++) {
        uint64_t before = stats_of(&f).bad_decisions;
        up.open_decision = bad_key_decisions[i];
        connect_full_with_fresh_ticket(&f, &first, &second);
        CHECK_EQ(stats_of(&f).bad_decisions, before + 1);
        tk_test_conn_clear(&second);
    }
    up.open_decision = TK_KEY_USE;

    /* USE for a name the table does not hold cannot be honoured. */
    publish(&f, 2, 1, 2);
    up.open_even_unknown = 1;
    uint64_t before = stats_of(&f).bad_decisions;
    connect_full_with_fresh_ticket(&f, &first, &second);
    CHECK_EQ(up.open_slot, -1);
    CHECK_EQ(stats_of(&f).bad_decisions, before + 1);
    tk_test_conn_clear(&second);
    up.open_even_unknown = 0;
    tk_test_conn_clear(&first);
    connect_for_ticket(&f, &first);

    /* 0 among them: a dead session upcall gives a full handshake with a fresh ticket, never an abort. */
    static const int32_t bad_session_decisions[] = {7, 5, 0, -2, INT32_MAX, INT32_MIN};
    up.session_follows_status = 0;
    for (size_t i = 0; i < sizeof(bad_session_decisions) / sizeof(bad_session_decisions[0]); i++) {
        before = stats_of(&f).bad_decisions;
        up.session_decision = bad_session_decisions[i];
        connect_full_with_fresh_ticket(&f, &first, &second);
        CHECK_EQ(stats_of(&f).bad_decisions, before + 1);
        tk_test_conn_clear(&second);
    }

    /* USE without a opened ticket cannot be honoured either. */
    up.open_decision = TK_KEY_REJECT;
    up.session_not_opened = TK_SESSION_USE;
    before = stats_of(&f).bad_decisions;
    connect_full_with_fresh_ticket(&f, &first, &second);
    CHECK_EQ(up.view.status, TK_TICKET_NOT_OPENED);
    CHECK_EQ(stats_of(&f).bad_decisions, before + 1);
    CHECK_EQ(stats_of(&f).crypto_errors, 0);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    fixture_close(&f);
}

static void test_failed_publish_keeps_table(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);

    tk_key keys[2];
    make_key(&keys[0], 2, 0);
    keys[1] = keys[0];
    CHECK_EQ(tk_publish_keys(f.handle, keys, 2, 2), TK_ERR_DUPLICATE_KEY);
    make_key(&keys[1], 2, 1);
    keys[1].aes_key_len = 24;
    CHECK_EQ(tk_publish_keys(f.handle, keys, 2, 3), TK_ERR_BAD_KEY);
    CHECK_EQ(tk_publish_keys(f.handle, NULL, 2, 4), TK_ERR_NULL);
    CHECK_EQ(tk_publish_keys(f.handle, keys, (size_t)TK_MAX_KEYS + 1, 5), TK_ERR_TOO_MANY_KEYS);

    connect_resumed(&f, &first, &second);
    CHECK_EQ(up.open_generation, 1);
    CHECK_EQ(up.open_slot, 0);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    fixture_close(&f);
}

static void test_install_errors(void)
{
    fixture f;
    fixture_open(&f, TLS1_3_VERSION);
    CHECK_EQ(tk_attach(f.handle, f.server, 7), TK_ERR_ATTACHED);
    tk_handle *second = NULL;
    CHECK_EQ(tk_handle_new(&UPCALLS, NULL, &second), TK_OK);
    CHECK_EQ(tk_attach(second, f.server, 7), TK_ERR_ATTACHED);
    tk_close(second);

    /* The first handle is unharmed. */
    publish(&f, 1, 1, 1);
    tk_test_conn first;
    tk_test_conn resumed;
    connect_for_ticket(&f, &first);
    connect_resumed(&f, &first, &resumed);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&resumed);
    fixture_close(&f);
}

static tk_upcalls without_upcall(int member)
{
    tk_upcalls upcalls = UPCALLS;
    switch (member) {
    case 0:
        upcalls.seal = NULL;
        break;
    case 1:
        upcalls.open = NULL;
        break;
    case 2:
        upcalls.stamp = NULL;
        break;
    default:
        upcalls.session = NULL;
        break;
    }
    return upcalls;
}

static void test_null_arguments(void)
{
    SSL_CTX *ctx = tk_test_server_ctx(TLS1_3_VERSION);
    CHECK(ctx != NULL);
    tk_handle *handle = (tk_handle *)&handle; /* a sentinel: failures must leave the out-parameter alone */
    tk_handle *const untouched = handle;
    CHECK_EQ(tk_handle_new(NULL, NULL, &handle), TK_ERR_NULL);
    CHECK_EQ(tk_handle_new(&UPCALLS, NULL, NULL), TK_ERR_NULL);
    for (int member = 0; member < 4; member++) {
        tk_upcalls upcalls = without_upcall(member);
        CHECK_EQ(tk_handle_new(&upcalls, NULL, &handle), TK_ERR_NULL);
    }
    CHECK(handle == untouched);

    handle = tk_test_install(ctx, &UPCALLS, NULL);
    tk_stats stats;
    CHECK_EQ(tk_attach(NULL, ctx, 1), TK_ERR_NULL);
    CHECK_EQ(tk_attach(handle, NULL, 1), TK_ERR_NULL);
    CHECK_EQ(tk_detach(NULL, ctx), TK_ERR_NULL);
    CHECK_EQ(tk_detach(handle, NULL), TK_ERR_NULL);
    CHECK_EQ(tk_publish_keys(NULL, NULL, 0, 1), TK_ERR_NULL);
    CHECK_EQ(tk_get_stats(NULL, &stats), TK_ERR_NULL);
    CHECK_EQ(tk_set_ticket_ids(NULL, 1), TK_ERR_NULL);
    CHECK_EQ(tk_get_stats(handle, NULL), TK_ERR_NULL);
    tk_close(NULL);
    tk_close(handle);
    SSL_CTX_free(ctx);
}

static void test_close(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);
    CHECK_EQ(stats_of(&f).closed_callbacks, 0);

    tk_close(f.handle);
    upcall_state seen = up;
    CHECK(tk_test_connect(f.server, f.client, NULL, &second));
    CHECK(!tk_test_has_ticket(second.session));
    tk_test_conn_clear(&second);
    CHECK(tk_test_connect(f.server, f.client, first.session, &second));
    CHECK_EQ(second.reused, 0);
    CHECK(!tk_test_has_ticket(second.session));
    CHECK_EQ(up.seal_calls, seen.seal_calls);
    CHECK_EQ(up.open_calls, seen.open_calls);
    CHECK_EQ(up.stamp_calls, seen.stamp_calls);
    CHECK_EQ(up.session_calls, seen.session_calls);

    /* The SSL_CTX still holds the handle: its counters and its refusal to publish remain. */
    tk_stats stats;
    CHECK_EQ(tk_get_stats(f.handle, &stats), TK_OK);
    CHECK(stats.closed_callbacks >= 3);
    tk_key key;
    make_key(&key, 3, 0);
    CHECK_EQ(tk_publish_keys(f.handle, &key, 1, 2), TK_ERR_CLOSED);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    SSL_CTX_free(f.server);
    SSL_CTX_free(f.client);
}

/* The handle outlives whichever of its two owners goes first; sanitizer builds check for leaks and reuse. */
static void test_free_orders(int version)
{
    for (int ctx_first = 0; ctx_first < 2; ctx_first++) {
        fixture f;
        fixture_open(&f, version);
        publish(&f, 1, 2, 1);
        tk_test_conn first;
        tk_test_conn second;
        connect_for_ticket(&f, &first);
        connect_resumed(&f, &first, &second);
        tk_test_conn_clear(&first);
        tk_test_conn_clear(&second);
        if (ctx_first) {
            SSL_CTX_free(f.server);
            CHECK_EQ(tk_publish_keys(f.handle, NULL, 0, 2), TK_OK);
            tk_close(f.handle);
        } else {
            tk_close(f.handle);
            SSL_CTX_free(f.server);
        }
        SSL_CTX_free(f.client);
    }
}

/* Handshakes on two threads while the main thread publishes tables, then closes the handle half way through.
 * When tk_close returns, no upcall may run any more; handshakes carry on without tickets. */
enum {
    WORKERS = 2,
    ROUNDS = 60
};

typedef struct worker {
    SSL_CTX *server;
    SSL_CTX *client;
    atomic_int *progress;
    atomic_int *closed;
    int completed;
    int reused;
} worker;

static atomic_int concurrent_upcalls;

static int32_t concurrent_seal(void *user, int64_t context_id, int64_t generation, int32_t *out_slot,
                               int64_t *out_lifetime_s)
{
    (void)user;
    (void)context_id;
    (void)generation;
    (void)out_lifetime_s;
    atomic_fetch_add(&concurrent_upcalls, 1);
    *out_slot = 0;
    return 1;
}

static int32_t concurrent_open(void *user, int64_t context_id, int64_t generation, int32_t slot)
{
    (void)user;
    (void)context_id;
    (void)generation;
    atomic_fetch_add(&concurrent_upcalls, 1);
    return slot < 0 ? TK_KEY_REJECT : TK_KEY_RENEW;
}

static int32_t concurrent_stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp, uint32_t *out_max_early_data)
{
    (void)out_max_early_data;
    (void)user;
    (void)context_id;
    atomic_fetch_add(&concurrent_upcalls, 1);
    out_stamp->tag = 1;
    return 1;
}

/* Every ticket the shim issues carries a stamp; a ticket without one would fail the handshake. */
static int32_t concurrent_session(void *user, const tk_session_view *view)
{
    (void)user;
    atomic_fetch_add(&concurrent_upcalls, 1);
    if (view->status != TK_TICKET_OPENED && view->status != TK_TICKET_OPENED_RENEW) {
        return TK_SESSION_IGNORE_RENEW;
    }
    return view->has_stamp && view->stamp.tag == 1 ? TK_SESSION_USE_RENEW : TK_SESSION_ABORT;
}

static void *worker_thread(void *arg)
{
    worker *w = arg;
    SSL_SESSION *session = NULL;
    for (int round = 0; round < ROUNDS; round++) {
        tk_test_conn conn;
        CHECK(tk_test_connect(w->server, w->client, session, &conn));
        w->completed++;
        w->reused += conn.reused;
        if (tk_test_has_ticket(conn.session)) {
            SSL_SESSION_free(session);
            session = SSL_SESSION_dup(conn.session);
        }
        tk_test_conn_clear(&conn);
        atomic_fetch_add(w->progress, 1);
        /* Half way, wait for the close, so that every run has handshakes on both sides of it. */
        while (round == ROUNDS / 2 && !atomic_load(w->closed)) {
            sched_yield();
        }
    }
    SSL_SESSION_free(session);
    return NULL;
}

static void test_concurrent_publish_and_close(int version)
{
    static const tk_upcalls upcalls = {NULL, concurrent_seal, concurrent_open, concurrent_stamp,
                                       concurrent_session, NULL};
    SSL_CTX *server = tk_test_server_ctx(version);
    SSL_CTX *client = tk_test_client_ctx(version);
    CHECK(server != NULL && client != NULL);
    tk_handle *handle = tk_test_install(server, &upcalls, NULL);
    tk_key keys[2];
    make_key(&keys[0], 1, 0);
    make_key(&keys[1], 2, 1);
    CHECK_EQ(tk_publish_keys(handle, keys, 1, 1), TK_OK);

    atomic_int progress = 0;
    atomic_int closed = 0;
    worker workers[WORKERS];
    pthread_t threads[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        workers[i] = (worker){server, client, &progress, &closed, 0, 0};
        CHECK_EQ(pthread_create(&threads[i], NULL, worker_thread, &workers[i]), 0);
    }
    /* Key 0 stays in slot 0 of every table, so tickets keep resuming while tables change under them. */
    int64_t generation = 2;
    while (atomic_load(&progress) < ROUNDS / 2) {
        CHECK_EQ(tk_publish_keys(handle, keys, 1 + (size_t)(generation % 2), generation), TK_OK);
        generation++;
    }
    tk_close(handle);
    int upcalls_at_close = atomic_load(&concurrent_upcalls);
    int progress_at_close = atomic_load(&progress);
    atomic_store(&closed, 1);
    int reused = 0;
    for (int i = 0; i < WORKERS; i++) {
        CHECK_EQ(pthread_join(threads[i], NULL), 0);
        CHECK_EQ(workers[i].completed, ROUNDS);
        reused += workers[i].reused;
    }
    printf("  %" PRId64 " publications; closed after %d of %d handshakes; %d resumed; %d upcalls\n",
           generation - 2, progress_at_close, WORKERS * ROUNDS, reused, upcalls_at_close);
    CHECK_EQ(atomic_load(&concurrent_upcalls), upcalls_at_close);
    CHECK(progress_at_close < WORKERS * ROUNDS);
    CHECK(reused > 0);
    tk_stats stats;
    CHECK_EQ(tk_get_stats(handle, &stats), TK_OK);
    CHECK_EQ(stats.bad_decisions, 0);
    CHECK_EQ(stats.crypto_errors, 0);
    CHECK(stats.closed_callbacks > 0);
    SSL_CTX_free(server);
    SSL_CTX_free(client);
}

/* The lifetime the seal upcall returns lowers the lifetime the client is told, and never raises it. A resumed
 * TLS 1.2 session's renewed ticket carries no hint in OpenSSL (0, "unspecified"), so only full handshakes and
 * TLS 1.3 are checked for the value. */
static void test_lifetime_hint(int version)
{
    static const int64_t cases[][2] = {{-1, 600}, {42, 42}, {6000, 600}}; /* upcall's lifetime, client's hint */
    fixture f;
    fixture_open(&f, version);
    SSL_CTX_set_timeout(f.server, 600);
    publish(&f, 1, 1, 1);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        up.seal_lifetime_s = cases[i][0];
        tk_test_conn conn;
        connect_for_ticket(&f, &conn);
        CHECK_EQ(SSL_SESSION_get_ticket_lifetime_hint(conn.session), cases[i][1]);
        tk_test_conn_clear(&conn);
    }
    fixture_close(&f);
}

/* The session upcall sees the client certificate's SHA-256 fingerprint, computed only when there is one. */
static void test_peer_fingerprint(int version)
{
    fixture f;
    fixture_open_one_key(&f, version);
    tk_test_conn first;
    tk_test_conn second;
    connect_for_ticket(&f, &first);
    connect_resumed(&f, &first, &second);
    CHECK_EQ(up.view.has_peer_certificate, 0);
    CHECK_EQ(up.view.has_peer_sha256, 0);
    uint8_t zero[TK_SHA256_LEN] = {0};
    CHECK(memcmp(up.view.peer_sha256, zero, sizeof(zero)) == 0);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&second);
    fixture_close(&f);
}

static void run_for(int version)
{
    TK_RUN_VERSION(test_no_keys_no_ticket, version);
    TK_RUN_VERSION(test_ticket_resumes, version);
    TK_RUN_VERSION(test_stamps, version);
    TK_RUN_VERSION(test_unstamped_ticket_refused, version);
    TK_RUN_VERSION(test_renewal_keeps_first_issue_time, version);
    TK_RUN_VERSION(test_renew, version);
    TK_RUN_VERSION(test_renew_decisions, version);
    TK_RUN_VERSION(test_unknown_key, version);
    TK_RUN_VERSION(test_key_moves_to_another_slot, version);
    TK_RUN_VERSION(test_key_reject_and_abort, version);
    TK_RUN_VERSION(test_session_decisions, version);
    TK_RUN_VERSION(test_bad_decisions, version);
    TK_RUN_VERSION(test_failed_publish_keeps_table, version);
    TK_RUN_VERSION(test_close, version);
    TK_RUN_VERSION(test_free_orders, version);
    TK_RUN_VERSION(test_concurrent_publish_and_close, version);
    TK_RUN_VERSION(test_lifetime_hint, version);
    TK_RUN_VERSION(test_peer_fingerprint, version);
}

int main(void)
{
    run_for(TLS1_2_VERSION);
    run_for(TLS1_3_VERSION);
    TK_RUN(test_install_errors);
    TK_RUN(test_null_arguments);
    return 0;
}
