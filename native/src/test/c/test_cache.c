/* test_cache.c: the session cache callbacks (tk_cache.c) and the session helpers (tk_client_cache.c) in real
 * OpenSSL handshakes over a BIO pair, behind a small store in C (tk_test_store.c). */

#include <string.h>

#include <openssl/ssl.h>

#include "ticketkeeper.h"
#include "tk_test.h"
#include "tk_test_handle.h"
#include "tk_test_store.h"
#include "tk_test_tls.h"

static tk_cache_stats cache_stats(const tk_test_cache *f)
{
    tk_cache_stats stats;
    CHECK_EQ(tk_cache_get_stats(f->handle, &stats), TK_OK);
    return stats;
}

/* A full handshake that leaves a session in the store, then a resumption through it. */
static void check_resumes_through_store(int version)
{
    tk_test_cache f;
    tk_test_cache_open(&f, version, TK_CACHE_EXTERNAL);
    tk_test_conn first;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK_EQ(first.reused, 0);
    CHECK(tk_test_store_size() >= 1);
    CHECK_EQ(tk_test_store_counts_now().last_timeout_s, SSL_CTX_get_timeout(f.server));

    tk_test_conn second;
    CHECK(tk_test_connect(f.server, f.client, first.session, &second));
    CHECK_EQ(second.reused, 1);
    CHECK(tk_test_store_counts_now().hits >= 1);
    CHECK_EQ(cache_stats(&f).bad_sessions, 0);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&first);
    tk_test_cache_close(&f);
}

static void test_tls12_session_id_resumes_through_store(void)
{
    check_resumes_through_store(TLS1_2_VERSION);
}

static void test_tls13_stateful_ticket_resumes_through_store(void)
{
    check_resumes_through_store(TLS1_3_VERSION);
}

static void test_tls13_stateless_sessions_skip_store(void)
{
    tk_test_store_reset();
    SSL_CTX *server = tk_test_server_ctx(TLS1_3_VERSION);
    SSL_CTX *client = tk_test_client_ctx(TLS1_3_VERSION);
    CHECK(server != NULL && client != NULL);
    tk_upcalls sealing = tk_test_no_ticket_upcalls;
    sealing.seal = tk_test_seal_first;
    tk_handle *handle = tk_test_install(server, &sealing, &tk_test_store_upcalls);
    tk_key key;
    memset(&key, 0x5a, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    CHECK_EQ(tk_publish_keys(handle, &key, 1, 1), TK_OK);
    CHECK_EQ(tk_cache_attach(handle, server, TK_CACHE_EXTERNAL), TK_OK);

    tk_test_conn conn;
    CHECK(tk_test_connect(server, client, NULL, &conn));
    CHECK(tk_test_has_ticket(conn.session));
    CHECK_EQ(tk_test_store_counts_now().puts, 0);
    tk_cache_stats stats;
    CHECK_EQ(tk_cache_get_stats(handle, &stats), TK_OK);
    CHECK(stats.stateless_skipped >= 1);
    tk_test_conn_clear(&conn);
    tk_close(handle);
    SSL_CTX_free(server);
    SSL_CTX_free(client);
}

/* With the internal cache in front, a resumption is served from it and the store is not asked. */
static void test_internal_cache_in_front_of_store(void)
{
    tk_test_cache f;
    tk_test_cache_open(&f, TLS1_2_VERSION, TK_CACHE_INTERNAL);
    tk_test_conn first;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    CHECK_EQ(tk_test_store_counts_now().puts, 1);
    tk_test_conn second;
    CHECK(tk_test_connect(f.server, f.client, first.session, &second));
    CHECK_EQ(second.reused, 1);
    CHECK_EQ(tk_test_store_counts_now().gets, 0);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&first);
    tk_test_cache_close(&f);
}

/* Whatever the store answers, a bad answer is a miss: a full handshake, counted. */
static void check_bad_answer(tk_test_get_mode mode, int bad_session, int bad_decision)
{
    tk_test_cache f;
    tk_test_cache_open(&f, TLS1_2_VERSION, TK_CACHE_EXTERNAL);
    tk_test_conn other;
    tk_test_conn first;
    CHECK(tk_test_connect(f.server, f.client, NULL, &other));
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    tk_test_store_set_get_mode(mode);
    tk_stats before;
    CHECK_EQ(tk_get_stats(f.handle, &before), TK_OK);

    tk_test_conn second;
    CHECK(tk_test_connect(f.server, f.client, first.session, &second));
    CHECK_EQ(second.reused, 0);
    tk_stats after;
    CHECK_EQ(tk_get_stats(f.handle, &after), TK_OK);
    CHECK_EQ(cache_stats(&f).bad_sessions, bad_session);
    CHECK_EQ(after.bad_decisions - before.bad_decisions, bad_decision);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&first);
    tk_test_conn_clear(&other);
    tk_test_cache_close(&f);
}

static void test_bad_store_answers_are_misses(void)
{
    check_bad_answer(TK_TEST_GET_GARBAGE, 1, 0);
    check_bad_answer(TK_TEST_GET_OTHER, 1, 0);
    check_bad_answer(TK_TEST_GET_TOO_LONG, 0, 1);
}

static void test_closed_handle_misses_without_upcalls(void)
{
    tk_test_cache f;
    tk_test_cache_open(&f, TLS1_2_VERSION, TK_CACHE_EXTERNAL);
    tk_test_conn first;
    CHECK(tk_test_connect(f.server, f.client, NULL, &first));
    tk_close(f.handle);
    tk_test_store_counts_now();
    int gets = tk_test_store_counts_now().gets;
    tk_test_conn second;
    CHECK(tk_test_connect(f.server, f.client, first.session, &second));
    CHECK_EQ(second.reused, 0);
    CHECK_EQ(tk_test_store_counts_now().gets, gets);
    tk_test_conn_clear(&second);
    tk_test_conn_clear(&first);
    /* The handle is gone with the context; close it only once. */
    f.handle = NULL;
    tk_test_cache_close(&f);
}

static void test_attach_checks_its_arguments(void)
{
    SSL_CTX *ctx = tk_test_server_ctx(TLS1_2_VERSION);
    SSL_CTX *other = tk_test_server_ctx(TLS1_2_VERSION);
    CHECK(ctx != NULL && other != NULL);
    tk_handle *handle = NULL;
    tk_cache_upcalls partial = tk_test_store_upcalls;
    partial.remove_session = NULL;
    CHECK_EQ(tk_handle_new(&tk_test_no_ticket_upcalls, &partial, &handle), TK_ERR_NULL);
    CHECK(handle == NULL);

    /* A handle made without cache upcalls has no cache to attach. */
    tk_handle *no_cache = tk_test_install(other, &tk_test_no_ticket_upcalls, NULL);
    CHECK_EQ(tk_cache_attach(no_cache, other, TK_CACHE_EXTERNAL), TK_ERR_BAD_ARG);
    tk_close(no_cache);

    handle = tk_test_install(ctx, &tk_test_no_ticket_upcalls, &tk_test_store_upcalls);
    CHECK_EQ(tk_cache_attach(NULL, ctx, TK_CACHE_EXTERNAL), TK_ERR_NULL);
    CHECK_EQ(tk_cache_attach(handle, NULL, TK_CACHE_EXTERNAL), TK_ERR_NULL);
    CHECK_EQ(tk_cache_attach(handle, ctx, 0), TK_ERR_BAD_ARG);
    CHECK_EQ(tk_cache_attach(handle, ctx, 3), TK_ERR_BAD_ARG);
    CHECK_EQ(tk_cache_attach(handle, other, TK_CACHE_EXTERNAL), TK_ERR_NOT_ATTACHED);
    CHECK_EQ(tk_cache_get_stats(NULL, NULL), TK_ERR_NULL);
    tk_close(handle);
    CHECK_EQ(tk_cache_attach(handle, ctx, TK_CACHE_EXTERNAL), TK_ERR_CLOSED);
    SSL_CTX_free(ctx);
    SSL_CTX_free(other);
}

/* Sessions persisted from one server (node A's store) warm the internal cache of a fresh one (node B). */
static void test_warm_start_adds_sessions_to_internal_cache(void)
{
    tk_test_cache a;
    tk_test_cache_open(&a, TLS1_2_VERSION, TK_CACHE_EXTERNAL);
    tk_test_conn first;
    CHECK(tk_test_connect(a.server, a.client, NULL, &first));
    uint32_t der_len = 0;
    const uint8_t *der = tk_test_store_der(0, &der_len);
    CHECK(der != NULL);

    SSL_CTX *b = tk_test_server_ctx(TLS1_2_VERSION);
    CHECK(b != NULL);
    SSL_CTX_set_options(b, SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(b, SSL_SESS_CACHE_SERVER);
    tk_handle *b_handle = tk_test_install(b, &tk_test_no_ticket_upcalls, NULL);
    tk_test_conn cold;
    CHECK(tk_test_connect(b, a.client, first.session, &cold));
    CHECK_EQ(cold.reused, 0);
    CHECK_EQ(tk_cache_add_session(b_handle, b, der, der_len), TK_OK);
    CHECK_EQ(tk_cache_add_session(b_handle, b, der, der_len), TK_OK);
    tk_test_conn warm;
    CHECK(tk_test_connect(b, a.client, first.session, &warm));
    CHECK_EQ(warm.reused, 1);

    static const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    CHECK_EQ(tk_cache_add_session(b_handle, b, garbage, sizeof(garbage)), TK_ERR_BAD_SESSION);
    CHECK_EQ(tk_cache_add_session(b_handle, b, der, 0), TK_ERR_BAD_SESSION);
    CHECK_EQ(tk_cache_add_session(NULL, b, der, der_len), TK_ERR_NULL);
    CHECK_EQ(tk_cache_add_session(b_handle, b, NULL, der_len), TK_ERR_NULL);
    CHECK_EQ(tk_cache_add_session(b_handle, a.server, der, der_len), TK_ERR_NOT_ATTACHED);

    tk_test_conn_clear(&warm);
    tk_test_conn_clear(&cold);
    tk_test_conn_clear(&first);
    tk_close(b_handle);
    SSL_CTX_free(b);
    tk_test_cache_close(&a);
}

static void test_pem_round_trip(void)
{
    tk_test_cache f;
    tk_test_cache_open(&f, TLS1_3_VERSION, TK_CACHE_EXTERNAL);
    tk_test_conn conn;
    CHECK(tk_test_connect(f.server, f.client, NULL, &conn));
    uint32_t der_len = 0;
    const uint8_t *der = tk_test_store_der(0, &der_len);
    CHECK(der != NULL);

    size_t pem_len = 0;
    CHECK_EQ(tk_session_to_pem(der, der_len, NULL, 0, &pem_len), TK_OK);
    uint8_t pem[4 * TK_SESSION_MAX_DER_LEN];
    CHECK(pem_len < sizeof(pem));
    size_t small = 0;
    CHECK_EQ(tk_session_to_pem(der, der_len, pem, pem_len - 1, &small), TK_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(tk_session_to_pem(der, der_len, pem, sizeof(pem), &pem_len), TK_OK);
    CHECK(memcmp(pem, "-----BEGIN SSL SESSION PARAMETERS-----", 38) == 0);

    uint8_t back[TK_SESSION_MAX_DER_LEN];
    size_t back_len = 0;
    CHECK_EQ(tk_session_from_pem(pem, pem_len, back, sizeof(back), &back_len), TK_OK);
    CHECK_EQ(back_len, der_len);
    CHECK(memcmp(back, der, der_len) == 0);

    static const uint8_t not_pem[] = "-----BEGIN SSL SESSION PARAMETERS-----\nAAAA\n-----END SSL SESSION PARAMETERS-----\n";
    CHECK_EQ(tk_session_from_pem(not_pem, sizeof(not_pem) - 1, back, sizeof(back), &back_len), TK_ERR_BAD_SESSION);
    CHECK_EQ(tk_session_from_pem(pem, 0, back, sizeof(back), &back_len), TK_ERR_BAD_SESSION);
    static const uint8_t other_block[] = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n";
    CHECK_EQ(tk_session_from_pem(other_block, sizeof(other_block) - 1, back, sizeof(back), &back_len),
             TK_ERR_BAD_SESSION);
    CHECK_EQ(tk_session_from_pem(pem, pem_len, back, der_len - 1, &back_len), TK_ERR_BUFFER_TOO_SMALL);
    CHECK_EQ(back_len, der_len);
    CHECK_EQ(tk_session_to_pem(not_pem, 10, pem, sizeof(pem), &pem_len), TK_ERR_BAD_SESSION);
    CHECK_EQ(tk_session_to_pem(NULL, 10, pem, sizeof(pem), &pem_len), TK_ERR_NULL);
    tk_test_conn_clear(&conn);
    tk_test_cache_close(&f);
}

static int32_t client_new_ignored(int64_t peer, const uint8_t *der, uint32_t der_len)
{
    (void)peer;
    (void)der;
    (void)der_len;
    return 0;
}

static void test_client_helpers_check_their_arguments(void)
{
    SSL_CTX *client = tk_test_client_ctx(TLS1_3_VERSION);
    CHECK(client != NULL);
    SSL *ssl = SSL_new(client);
    CHECK(ssl != NULL);
    CHECK_EQ(tk_client_cache_install(NULL, client_new_ignored), TK_ERR_NULL);
    CHECK_EQ(tk_client_cache_install(client, NULL), TK_ERR_NULL);
    CHECK_EQ(tk_client_cache_install(client, client_new_ignored), TK_OK);
    CHECK_EQ(tk_client_cache_install(client, client_new_ignored), TK_OK);
    CHECK_EQ(tk_client_tag(ssl, 0), TK_ERR_BAD_ARG);
    CHECK_EQ(tk_client_tag(ssl, -1), TK_ERR_BAD_ARG);
    CHECK_EQ(tk_client_tag(NULL, 1), TK_ERR_NULL);
    CHECK_EQ(tk_client_tag(ssl, 7), TK_OK);
    static const uint8_t garbage[] = {0x30, 0x03, 0x02, 0x01, 0x01};
    CHECK_EQ(tk_client_offer(ssl, garbage, sizeof(garbage)), TK_ERR_BAD_SESSION);
    CHECK_EQ(tk_client_offer(ssl, NULL, 1), TK_ERR_NULL);
    SSL_free(ssl);
    SSL_CTX_free(client);
}

int main(void)
{
    TK_RUN(test_tls12_session_id_resumes_through_store);
    TK_RUN(test_tls13_stateful_ticket_resumes_through_store);
    TK_RUN(test_tls13_stateless_sessions_skip_store);
    TK_RUN(test_internal_cache_in_front_of_store);
    TK_RUN(test_bad_store_answers_are_misses);
    TK_RUN(test_closed_handle_misses_without_upcalls);
    TK_RUN(test_attach_checks_its_arguments);
    TK_RUN(test_warm_start_adds_sessions_to_internal_cache);
    TK_RUN(test_pem_round_trip);
    TK_RUN(test_client_helpers_check_their_arguments);
    return 0;
}
