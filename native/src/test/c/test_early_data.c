/* test_early_data.c: TLS 1.3 early data through tk_early_data_attach in real handshakes (memory BIOs), through the
 * public API of the shared library: the upcall sees the resumed session, accepts or refuses, and a replay of the
 * client's first flight byte for byte carries the same client random (the record's key), to this server and to
 * another one sharing its key. */

#include <string.h>

#include <openssl/err.h>

#include "ticketkeeper.h"
#include "tk_test.h"
#include "tk_test_handle.h"
#include "tk_test_tls.h"
#include "tk_test_upcalls.h"

_Static_assert(TK_EARLY_DATA_NOT_SENT == SSL_EARLY_DATA_NOT_SENT, "mirrors SSL_EARLY_DATA_NOT_SENT");
_Static_assert(TK_EARLY_DATA_REJECTED == SSL_EARLY_DATA_REJECTED, "mirrors SSL_EARLY_DATA_REJECTED");
_Static_assert(TK_EARLY_DATA_ACCEPTED == SSL_EARLY_DATA_ACCEPTED, "mirrors SSL_EARLY_DATA_ACCEPTED");

enum { MAX_EARLY = 1024, RECORD_CAPACITY = 16 };
static const int64_t ISSUED_AT_MS = 1700000000123;
static const char EARLY[] = "GET / HTTP/1.1\r\n\r\n";

/* The upcalls: one key, every ticket used; the early data upcall keeps a tiny record of client randoms. */
static struct {
    int32_t answer;     /* what the early data upcall answers for a random not seen before */
    int32_t raw_answer; /* when not 0: returned as it is */
    int lower;          /* when 1: the stamp upcall answers max_early_data */
    uint32_t max_early_data;
    uint32_t offered_max_early_data; /* the most the stamp upcall found on entry */
    int calls;
    int replays;
    tk_early_data_view view;
    tk_session_view session_view; /* the last one the session upcall saw */
    uint8_t seen[RECORD_CAPACITY][TK_CLIENT_RANDOM_LEN];
    int seen_count;
} up;

static int32_t stamp(void *user, int64_t context_id, tk_ticket_stamp *out_stamp, uint32_t *out_max_early_data)
{
    (void)user;
    (void)context_id;
    *out_stamp = (tk_ticket_stamp){ISSUED_AT_MS, 1, 0, 1};
    if (*out_max_early_data > up.offered_max_early_data) {
        up.offered_max_early_data = *out_max_early_data;
    }
    if (up.lower) {
        *out_max_early_data = up.max_early_data;
    }
    return 1;
}

static int32_t session(void *user, const tk_session_view *view)
{
    (void)user;
    up.session_view = *view;
    return view->status == TK_TICKET_OPENED || view->status == TK_TICKET_OPENED_RENEW ? TK_SESSION_USE
                                                                                       : TK_SESSION_IGNORE_RENEW;
}

static int32_t early_data(void *user, const tk_early_data_view *view)
{
    CHECK(user == &up);
    up.calls++;
    up.view = *view;
    if (up.raw_answer != 0) {
        return up.raw_answer;
    }
    for (int i = 0; i < up.seen_count; i++) {
        if (memcmp(up.seen[i], view->client_random, TK_CLIENT_RANDOM_LEN) == 0) {
            up.replays++;
            return TK_EARLY_DATA_REFUSE;
        }
    }
    CHECK(up.seen_count < RECORD_CAPACITY);
    memcpy(up.seen[up.seen_count++], view->client_random, TK_CLIENT_RANDOM_LEN);
    return up.answer;
}

static const tk_upcalls UPCALLS = {&up, tk_test_seal_first, tk_test_open_known, stamp, session, early_data};
/* A handle that never turns early data on needs no early data upcall. */
static const tk_upcalls WITHOUT_EARLY_DATA = {&up, tk_test_seal_first, tk_test_open_known, stamp, session, NULL};

static tk_handle *server_with_early_data(SSL_CTX *ctx)
{
    tk_handle *handle = tk_test_install(ctx, &UPCALLS, NULL);
    tk_key key;
    memset(&key, 0x5a, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    CHECK_EQ(tk_publish_keys(handle, &key, 1, 1), TK_OK);
    CHECK_EQ(tk_early_data_attach(handle, ctx, MAX_EARLY), TK_OK);
    CHECK_EQ(tk_set_ticket_ids(handle, 1), TK_OK); /* the session view's ticket_id, compared below */
    return handle;
}

/* Moves everything |from| wrote to its write BIO into |to|'s read BIO. */
static void carry(SSL *from, SSL *to)
{
    char buf[16384];
    int n;
    while ((n = BIO_read(SSL_get_wbio(from), buf, sizeof(buf))) > 0) {
        CHECK_EQ(BIO_write(SSL_get_rbio(to), buf, n), n);
    }
}

static SSL *new_ssl(SSL_CTX *ctx)
{
    SSL *ssl = SSL_new(ctx);
    CHECK(ssl != NULL);
    SSL_set_bio(ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    return ssl;
}

/* The server reads early data until OpenSSL says it is done, then both finish the handshake. Returns the server's
 * early data status and sets |*out_read| to the early bytes the server read. */
static int serve(SSL *server, SSL *client, size_t *out_read)
{
    char buf[256];
    size_t total = 0;
    int reading = 1;
    int done = 0;
    for (int round = 0; round < 32 && !done; round++) {
        while (reading) {
            size_t n = 0;
            int rc = SSL_read_early_data(server, buf, sizeof(buf), &n);
            if (rc == SSL_READ_EARLY_DATA_SUCCESS) {
                total += n;
                continue;
            }
            if (rc == SSL_READ_EARLY_DATA_FINISH) {
                reading = 0;
                break;
            }
            CHECK_EQ(SSL_get_error(server, 0), SSL_ERROR_WANT_READ);
            break;
        }
        int server_done = !reading && SSL_do_handshake(server) == 1;
        carry(server, client);
        int client_done = client == NULL || SSL_do_handshake(client) == 1;
        if (client != NULL) {
            carry(client, server);
        }
        done = server_done && client_done;
    }
    CHECK(done);
    *out_read = total;
    return SSL_get_early_data_status(server);
}

/* A full handshake that leaves a TLS 1.3 session with a ticket allowing early data. */
static SSL_SESSION *first_session(SSL_CTX *server_ctx, SSL_CTX *client_ctx)
{
    tk_test_conn conn;
    CHECK(tk_test_connect(server_ctx, client_ctx, NULL, &conn));
    CHECK(!conn.reused);
    CHECK_EQ(SSL_SESSION_get_max_early_data(conn.session), MAX_EARLY);
    SSL_SESSION *session = conn.session;
    conn.session = NULL;
    return session;
}

/* The client's first flight: its ClientHello and the early data, as bytes on the wire. */
static SSL *client_offering(SSL_CTX *client_ctx, SSL_SESSION *session)
{
    SSL *client = new_ssl(client_ctx);
    SSL_set_connect_state(client);
    CHECK_EQ(SSL_set_session(client, session), 1);
    size_t written = 0;
    CHECK_EQ(SSL_write_early_data(client, EARLY, sizeof(EARLY) - 1, &written), 1);
    CHECK_EQ(written, sizeof(EARLY) - 1);
    return client;
}

static void test_accepted_then_replay_refused(void)
{
    memset(&up, 0, sizeof(up));
    up.answer = TK_EARLY_DATA_ACCEPT;
    SSL_CTX *server_ctx = tk_test_server_ctx(TLS1_3_VERSION);
    SSL_CTX *other_ctx = tk_test_server_ctx(TLS1_3_VERSION);
    SSL_CTX *client_ctx = tk_test_client_ctx(TLS1_3_VERSION);
    tk_handle *handle = server_with_early_data(server_ctx);
    tk_handle *other = server_with_early_data(other_ctx);
    CHECK((SSL_CTX_get_options(server_ctx) & SSL_OP_NO_ANTI_REPLAY) != 0);
    SSL_SESSION *session = first_session(server_ctx, client_ctx);
    /* A connection freed without close_notify marks its session not resumable: the later offer uses a copy. */
    SSL_SESSION *copy = SSL_SESSION_dup(session);
    CHECK(copy != NULL);

    SSL *client = client_offering(client_ctx, session);
    char flight[16384];
    int flight_len = BIO_read(SSL_get_wbio(client), flight, sizeof(flight));
    CHECK(flight_len > 0);

    SSL *server = new_ssl(server_ctx);
    SSL_set_accept_state(server);
    CHECK_EQ(BIO_write(SSL_get_rbio(server), flight, flight_len), flight_len);
    size_t read = 0;
    CHECK_EQ(serve(server, client, &read), SSL_EARLY_DATA_ACCEPTED);
    CHECK_EQ(read, sizeof(EARLY) - 1);
    CHECK_EQ(SSL_get_early_data_status(client), SSL_EARLY_DATA_ACCEPTED);
    CHECK_EQ(tk_early_data_status(server), TK_EARLY_DATA_ACCEPTED);
    CHECK_EQ(up.calls, 1);
    CHECK_EQ(up.view.context_id, TK_TEST_CONTEXT_ID);
    CHECK_EQ(up.view.protocol_version, TLS1_3_VERSION);
    CHECK((up.view.cipher_id & 0xff00) == 0x1300);
    CHECK_EQ(up.view.max_early_data, MAX_EARLY);
    CHECK_EQ(up.view.has_stamp, 1);
    CHECK_EQ(up.view.stamp.issued_at_ms, ISSUED_AT_MS);
    unsigned char random[TK_CLIENT_RANDOM_LEN];
    CHECK_EQ(SSL_get_client_random(client, random, sizeof(random)), sizeof(random));
    CHECK(memcmp(random, up.view.client_random, sizeof(random)) == 0);
    /* The ticket's identity: set, and the same in every ClientHello that presents this ticket (below). */
    CHECK_EQ(up.view.has_ticket_id, 1);
    unsigned char ticket_id[TK_SHA256_LEN];
    memcpy(ticket_id, up.view.ticket_id, sizeof(ticket_id));
    /* The session upcall saw the same identity, earlier in the same ClientHello. */
    CHECK_EQ(up.session_view.has_ticket_id, 1);
    CHECK(memcmp(ticket_id, up.session_view.ticket_id, sizeof(ticket_id)) == 0);
    SSL_free(server);
    SSL_free(client);

    /* The same bytes again, to this server and to another sharing its key: the same random, refused, and the
     * handshake goes on (the replayer cannot finish it, having no keys: the server only waits for its Finished). */
    SSL_CTX *targets[] = {server_ctx, other_ctx};
    for (int i = 0; i < 2; i++) {
        SSL *replayed = new_ssl(targets[i]);
        SSL_set_accept_state(replayed);
        CHECK_EQ(BIO_write(SSL_get_rbio(replayed), flight, flight_len), flight_len);
        char buf[64];
        size_t n = 0;
        int rc = SSL_read_early_data(replayed, buf, sizeof(buf), &n);
        CHECK(rc != SSL_READ_EARLY_DATA_SUCCESS);
        CHECK_EQ(SSL_get_early_data_status(replayed), SSL_EARLY_DATA_REJECTED);
        CHECK_EQ(SSL_session_reused(replayed), 1);
        SSL_free(replayed);
        ERR_clear_error();
    }
    CHECK_EQ(up.calls, 3);
    CHECK_EQ(up.replays, 2);
    CHECK(memcmp(ticket_id, up.view.ticket_id, sizeof(ticket_id)) == 0);

    /* A new ClientHello with the same ticket: another random, the same ticket id; a new ticket: another id. */
    SSL *again = client_offering(client_ctx, copy);
    SSL *fresh = new_ssl(server_ctx);
    SSL_set_accept_state(fresh);
    carry(again, fresh);
    CHECK_EQ(serve(fresh, again, &read), SSL_EARLY_DATA_ACCEPTED);
    CHECK_EQ(up.replays, 2);
    CHECK(memcmp(ticket_id, up.view.ticket_id, sizeof(ticket_id)) == 0);
    SSL_SESSION *next = SSL_get1_session(again);
    SSL_free(fresh);
    SSL_free(again);
    tk_test_conn conn;
    CHECK(tk_test_connect(server_ctx, client_ctx, NULL, &conn));
    SSL *other_ticket = client_offering(client_ctx, conn.session);
    SSL *third = new_ssl(server_ctx);
    SSL_set_accept_state(third);
    carry(other_ticket, third);
    CHECK_EQ(serve(third, other_ticket, &read), SSL_EARLY_DATA_ACCEPTED);
    CHECK(memcmp(ticket_id, up.view.ticket_id, sizeof(ticket_id)) != 0);
    CHECK(memcmp(up.view.ticket_id, up.session_view.ticket_id, sizeof(ticket_id)) == 0);
    SSL_free(third);
    SSL_free(other_ticket);
    SSL_SESSION_free(next);
    SSL_SESSION_free(copy);
    tk_test_conn_clear(&conn);

    SSL_SESSION_free(session);
    tk_close(handle);
    tk_close(other);
    SSL_CTX_free(server_ctx);
    SSL_CTX_free(other_ctx);
    SSL_CTX_free(client_ctx);
}

/* Refused, and answers outside the enum (a bad decision): early data rejected, the resumption completes in 1-RTT. */
static void test_refused_goes_on_in_one_rtt(void)
{
    int32_t answers[] = {TK_EARLY_DATA_REFUSE, 7, -1};
    for (size_t i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
        memset(&up, 0, sizeof(up));
        up.answer = answers[i];
        up.raw_answer = answers[i];
        SSL_CTX *server_ctx = tk_test_server_ctx(TLS1_3_VERSION);
        SSL_CTX *client_ctx = tk_test_client_ctx(TLS1_3_VERSION);
        tk_handle *handle = server_with_early_data(server_ctx);
        SSL_SESSION *session = first_session(server_ctx, client_ctx);
        SSL *client = client_offering(client_ctx, session);
        SSL *server = new_ssl(server_ctx);
        SSL_set_accept_state(server);
        carry(client, server);
        size_t read = 0;
        CHECK_EQ(serve(server, client, &read), SSL_EARLY_DATA_REJECTED);
        CHECK_EQ(read, 0);
        CHECK_EQ(SSL_session_reused(server), 1);
        CHECK_EQ(up.calls, 1);
        tk_stats stats;
        CHECK_EQ(tk_get_stats(handle, &stats), TK_OK);
        CHECK_EQ(stats.bad_decisions, answers[i] == TK_EARLY_DATA_REFUSE ? 0 : 1);
        SSL_free(server);
        SSL_free(client);
        SSL_SESSION_free(session);
        tk_close(handle);
        SSL_CTX_free(server_ctx);
        SSL_CTX_free(client_ctx);
    }
}

/* Off by default: a context without tk_early_data_attach advertises no early data in its tickets. After tk_close
 * the upcall is not called and early data is refused. */
static void test_off_by_default_and_after_close(void)
{
    memset(&up, 0, sizeof(up));
    up.answer = TK_EARLY_DATA_ACCEPT;
    SSL_CTX *plain_ctx = tk_test_server_ctx(TLS1_3_VERSION);
    SSL_CTX *client_ctx = tk_test_client_ctx(TLS1_3_VERSION);
    tk_handle *plain = tk_test_install(plain_ctx, &WITHOUT_EARLY_DATA, NULL);
    tk_key key;
    memset(&key, 0x5a, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    CHECK_EQ(tk_publish_keys(plain, &key, 1, 1), TK_OK);
    tk_test_conn conn;
    CHECK(tk_test_connect(plain_ctx, client_ctx, NULL, &conn));
    CHECK_EQ(SSL_SESSION_get_max_early_data(conn.session), 0);
    tk_test_conn_clear(&conn);
    CHECK_EQ(tk_early_data_attach(plain, plain_ctx, MAX_EARLY), TK_ERR_BAD_ARG);
    CHECK_EQ(tk_early_data_attach(NULL, plain_ctx, MAX_EARLY), TK_ERR_NULL);
    CHECK_EQ(tk_early_data_status(NULL), TK_ERR_NULL);
    tk_close(plain);
    SSL_CTX_free(plain_ctx);

    SSL_CTX *server_ctx = tk_test_server_ctx(TLS1_3_VERSION);
    tk_handle *handle = server_with_early_data(server_ctx);
    SSL_SESSION *session = first_session(server_ctx, client_ctx);
    tk_close(handle);
    SSL *client = client_offering(client_ctx, session);
    SSL *server = new_ssl(server_ctx);
    SSL_set_accept_state(server);
    carry(client, server);
    size_t read = 0;
    /* The closed handle opens no ticket: a full handshake, and OpenSSL rejects the early data itself. */
    CHECK_EQ(serve(server, client, &read), SSL_EARLY_DATA_REJECTED);
    CHECK_EQ(up.calls, 0);
    SSL_free(server);
    SSL_free(client);
    SSL_SESSION_free(session);
    SSL_CTX_free(server_ctx);
    SSL_CTX_free(client_ctx);
}

/* The first session of a server whose stamp upcall answers |answer| for max_early_data. */
static SSL_SESSION *session_lowered_to(SSL_CTX *server_ctx, SSL_CTX *client_ctx, uint32_t answer)
{
    up.lower = 1;
    up.max_early_data = answer;
    up.offered_max_early_data = 0;
    tk_test_conn conn;
    CHECK(tk_test_connect(server_ctx, client_ctx, NULL, &conn));
    CHECK_EQ(up.offered_max_early_data, MAX_EARLY);
    SSL_SESSION *session = conn.session;
    conn.session = NULL;
    tk_test_conn_clear(&conn);
    return session;
}

/* The stamp upcall lowers the early data a ticket allows: the client's session carries the lower value, the
 * client cannot send more, and what fits is accepted. An answer above the attached value is ignored; 0 lets the
 * ticket carry no early data. */
static void test_stamp_lowers_max_early_data(void)
{
    enum { LOWERED = 16 };
    CHECK(sizeof(EARLY) - 1 > LOWERED);
    memset(&up, 0, sizeof(up));
    up.answer = TK_EARLY_DATA_ACCEPT;
    SSL_CTX *server_ctx = tk_test_server_ctx(TLS1_3_VERSION);
    SSL_CTX *client_ctx = tk_test_client_ctx(TLS1_3_VERSION);
    tk_handle *handle = server_with_early_data(server_ctx);

    SSL_SESSION *higher = session_lowered_to(server_ctx, client_ctx, MAX_EARLY + 1);
    CHECK_EQ(SSL_SESSION_get_max_early_data(higher), MAX_EARLY);
    SSL_SESSION *none = session_lowered_to(server_ctx, client_ctx, 0);
    CHECK_EQ(SSL_SESSION_get_max_early_data(none), 0);
    SSL_SESSION *session = session_lowered_to(server_ctx, client_ctx, LOWERED);
    CHECK_EQ(SSL_SESSION_get_max_early_data(session), LOWERED);
    SSL_SESSION *copy = SSL_SESSION_dup(session);
    CHECK(copy != NULL);

    /* More than the ticket allows: the client refuses to send it. */
    SSL *client = new_ssl(client_ctx);
    SSL_set_connect_state(client);
    CHECK_EQ(SSL_set_session(client, session), 1);
    size_t written = 0;
    CHECK_EQ(SSL_write_early_data(client, EARLY, sizeof(EARLY) - 1, &written), 0);
    ERR_clear_error();
    SSL_free(client);

    /* What fits is sent and accepted. */
    client = new_ssl(client_ctx);
    SSL_set_connect_state(client);
    CHECK_EQ(SSL_set_session(client, copy), 1);
    CHECK_EQ(SSL_write_early_data(client, EARLY, LOWERED, &written), 1);
    CHECK_EQ(written, LOWERED);
    SSL *server = new_ssl(server_ctx);
    SSL_set_accept_state(server);
    carry(client, server);
    size_t read = 0;
    CHECK_EQ(serve(server, client, &read), SSL_EARLY_DATA_ACCEPTED);
    CHECK_EQ(read, LOWERED);

    SSL_free(server);
    SSL_free(client);
    SSL_SESSION_free(copy);
    SSL_SESSION_free(session);
    SSL_SESSION_free(none);
    SSL_SESSION_free(higher);
    tk_close(handle);
    SSL_CTX_free(server_ctx);
    SSL_CTX_free(client_ctx);
}

int main(void)
{
    TK_RUN(test_accepted_then_replay_refused);
    TK_RUN(test_refused_goes_on_in_one_rtt);
    TK_RUN(test_off_by_default_and_after_close);
    TK_RUN(test_stamp_lowers_max_early_data);
    return 0;
}
