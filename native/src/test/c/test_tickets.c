/* test_tickets.c: the marks tk_tickets.c keeps per connection (SSL ex_data), through the library's objects, so
 * that a test can run the open path for one connection by itself.
 *
 * What it proves: the mark the shim's open path sets ("the shim's key callback opened this ticket") belongs to the
 * connection it was set for, not to the thread. Connection A gets the mark; connection B, driven next on the same
 * thread, presents a ticket that another library's key callback opens, and its session ticket callback still
 * reports it as foreign. With the old thread-local mark, B took A's mark and the shim decided on a ticket it never
 * opened (and, the other way round, a handshake job that SSL_MODE_ASYNC resumes on another thread lost its own
 * mark and had the shim's ticket waved through as foreign). It cannot drive one connection's key callback and
 * session ticket callback on two threads: OpenSSL runs both inside one SSL_do_handshake step.
 *
 * Also the server_name parser that fills tk_session_view.server_name: the first host_name of a well-formed
 * extension, and 0 (nothing copied) for every malformed length, an empty or overlong name, and no host_name. */

#include <string.h>

#include "tk_internal.h"
#include "tk_test.h"
#include "tk_test_foreign.h"
#include "tk_test_tls.h"
#include "tk_test_upcalls.h"

enum { CONTEXT_ID = 5 };

static struct {
    int32_t last_status;
    int sessions;
} seen;

static int32_t session(void *user, const tk_session_view *view)
{
    (void)user;
    seen.sessions++;
    seen.last_status = view->status;
    int opened = view->status == TK_TICKET_OPENED || view->status == TK_TICKET_OPENED_RENEW;
    return opened ? TK_SESSION_USE : TK_SESSION_IGNORE_RENEW;
}

static const tk_upcalls UPCALLS = {NULL, tk_test_seal_first, tk_test_open_known, tk_test_stamp_empty, session,
                                   NULL};

static void test_opened_mark_is_per_connection(int version)
{
    memset(&seen, 0, sizeof(seen));
    SSL_CTX *server = tk_test_server_ctx(version);
    SSL_CTX *client = tk_test_client_ctx(version);
    CHECK(server != NULL && client != NULL);
    tk_handle *handle = NULL;
    CHECK_EQ(tk_handle_new(&UPCALLS, NULL, &handle), TK_OK);
    CHECK_EQ(tk_attach(handle, server, CONTEXT_ID), TK_OK);
    tk_key key;
    memset(&key, 0x55, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    CHECK_EQ(tk_publish_keys(handle, &key, 1, 1), TK_OK);

    /* Another library's key callback over the shim's: it seals and opens its own tickets. */
    tk_test_foreign other;
    memset(&other, 0, sizeof(other));
    memset(other.name, 0xf1, sizeof(other.name));
    memset(other.aes, 0xa2, sizeof(other.aes));
    memset(other.hmac, 0xb3, sizeof(other.hmac));
    other.renew = 1;
    CHECK_EQ(tk_test_foreign_install(server, &other), 1);
    tk_test_conn foreign;
    CHECK(tk_test_connect(server, client, NULL, &foreign));
    CHECK(tk_test_has_ticket(foreign.session));

    /* Connection A: the shim's open path answers USE for a ticket under its key, and marks A. */
    SSL *a = SSL_new(server);
    CHECK(a != NULL);
    tk_call call;
    CHECK(tk_call_begin(&call, tk_context_of(server), &handle->closed_callbacks));
    const tk_key *opened = NULL;
    CHECK_EQ(tk_tickets_open_key(&call, a, key.name, &opened), TK_KEY_USE);
    CHECK(opened != NULL);
    tk_call_end(&call);

    /* Connection B, next on this thread, with the other library's ticket: foreign, not the shim's. */
    tk_test_conn resumed;
    CHECK(tk_test_connect(server, client, foreign.session, &resumed));
    CHECK_EQ(resumed.reused, 1);
    CHECK_EQ(other.opens, 1);
    CHECK_EQ(seen.last_status, TK_TICKET_FOREIGN);

    SSL_free(a);
    tk_test_conn_clear(&foreign);
    tk_test_conn_clear(&resumed);
    tk_close(handle);
    SSL_CTX_free(server);
    SSL_CTX_free(client);
}

/* Parses |body| (|len| bytes) into a buffer of 0x5a bytes; |name| is what must come out (NULL: nothing). */
static void check_server_name(const unsigned char *body, size_t len, const char *name)
{
    uint8_t out[TK_MAX_SERVER_NAME_LEN + 1];
    memset(out, 0x5a, sizeof(out));
    uint32_t got = tk_server_name_parse(body, len, out);
    if (name == NULL) {
        CHECK_EQ(got, 0);
        CHECK_EQ(out[0], 0x5a);
        return;
    }
    CHECK_EQ(got, strlen(name));
    CHECK(memcmp(out, name, got) == 0);
    CHECK_EQ(out[got], 0x5a);
}

static void test_server_name_parse(void)
{
    static const unsigned char one[] = {0, 9, 0, 0, 6, 'b', '.', 't', 'e', 's', 't'};
    check_server_name(one, sizeof(one), "b.test");
    /* An entry of another type first: skipped; the first host_name counts, not the second. */
    static const unsigned char two[] = {0, 18, 7, 0, 2, 'x', 'y', 0, 0, 1, 'a', 0, 0, 6, 'b', '.', 't', 'e', 's', 't'};
    check_server_name(two, sizeof(two), "a");
    static const unsigned char trailing_dot[] = {0, 6, 0, 0, 3, 'A', 'b', '.'};
    check_server_name(trailing_dot, sizeof(trailing_dot), "Ab.");

    check_server_name(NULL, 0, NULL);
    check_server_name(one, 0, NULL);
    check_server_name(one, 1, NULL);
    check_server_name(one, 2, NULL);                  /* list length 9, body 0 */
    check_server_name(one, sizeof(one) - 1, NULL);    /* truncated name */
    static const unsigned char list_short[] = {0, 8, 0, 0, 6, 'b', '.', 't', 'e', 's', 't'};
    check_server_name(list_short, sizeof(list_short), NULL);
    static const unsigned char list_long[] = {0, 10, 0, 0, 6, 'b', '.', 't', 'e', 's', 't'};
    check_server_name(list_long, sizeof(list_long), NULL);
    static const unsigned char name_long[] = {0, 9, 0, 0, 7, 'b', '.', 't', 'e', 's', 't'};
    check_server_name(name_long, sizeof(name_long), NULL);
    static const unsigned char name_huge[] = {0, 9, 0, 0xff, 0xff, 'b', '.', 't', 'e', 's', 't'};
    check_server_name(name_huge, sizeof(name_huge), NULL);
    static const unsigned char entry_cut[] = {0, 2, 0, 0};
    check_server_name(entry_cut, sizeof(entry_cut), NULL);
    static const unsigned char empty_name[] = {0, 3, 0, 0, 0};
    check_server_name(empty_name, sizeof(empty_name), NULL);
    static const unsigned char empty_list[] = {0, 0};
    check_server_name(empty_list, sizeof(empty_list), NULL);
    static const unsigned char no_host_name[] = {0, 4, 1, 0, 1, 'x'};
    check_server_name(no_host_name, sizeof(no_host_name), NULL);

    unsigned char longest[2 + 3 + TK_MAX_SERVER_NAME_LEN + 1];
    memset(longest, 'n', sizeof(longest));
    longest[2] = 0;
    longest[3] = 0;
    longest[4] = TK_MAX_SERVER_NAME_LEN;
    longest[0] = (3 + TK_MAX_SERVER_NAME_LEN) >> 8;
    longest[1] = (3 + TK_MAX_SERVER_NAME_LEN) & 0xff;
    char expected[TK_MAX_SERVER_NAME_LEN + 1];
    memset(expected, 'n', TK_MAX_SERVER_NAME_LEN);
    expected[TK_MAX_SERVER_NAME_LEN] = '\0';
    check_server_name(longest, 2 + 3 + TK_MAX_SERVER_NAME_LEN, expected);
    /* One byte over the limit: refused, nothing copied. */
    longest[0] = (4 + TK_MAX_SERVER_NAME_LEN) >> 8;
    longest[1] = (4 + TK_MAX_SERVER_NAME_LEN) & 0xff;
    longest[3] = 1;
    longest[4] = 0;
    check_server_name(longest, sizeof(longest), NULL);
}

int main(void)
{
    TK_RUN(test_server_name_parse);
    TK_RUN_VERSION(test_opened_mark_is_per_connection, TLS1_2_VERSION);
    TK_RUN_VERSION(test_opened_mark_is_per_connection, TLS1_3_VERSION);
    return 0;
}
