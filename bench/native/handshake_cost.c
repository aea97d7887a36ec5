/* handshake_cost.c: the native work the shim adds to a handshake, counted exactly rather than timed.
 *
 * The paired handshake table (bin/bench handshakes) times whole handshakes, where 1 % is 0.8 us (resumed TLS 1.2)
 * to 3.5 us (resumed TLS 1.3) and the method resolves about 0.5 %. This program runs the same handshakes in C
 * (client and server in one thread over a BIO pair, tk_test_tls.c) with either OpenSSL's built-in ticket keys or
 * the shim with upcalls written in C that decide at once, so that a tool that counts instructions shows the shim's
 * share and where it goes, free of the JVM and of the machine's noise:
 *
 *   cmake --preset default && cmake --build target/cmake -j
 *   valgrind --tool=callgrind --callgrind-out-file=shim.out target/cmake/tk_bench_handshake_cost shim 1.3 400
 *   callgrind_annotate --inclusive=yes shim.out | grep tk_
 *
 * bench/scripts/handshake-cost.sh runs both contestants twice (N and 2N handshakes, so that the set-up cancels)
 * and prints instructions per handshake. What the Java upcalls add on top is JMH's TicketCallbackBenchmark.
 *
 * Usage: tk_bench_handshake_cost builtin|shim 1.2|1.3 HANDSHAKES */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>
#include <openssl/ssl.h>

#include "ticketkeeper.h"
#include "tk_test_tls.h"
#include "tk_test_upcalls.h"

/* As the default policy decides: a TLS 1.3 resumption is renewed (so that the client gets a new ticket, as
 * OpenSSL's built-in keys give it one); a young TLS 1.2 ticket is not. */
static int32_t session(void *user, const tk_session_view *view)
{
    (void)user;
    if (view->status != TK_TICKET_OPENED) {
        return TK_SESSION_IGNORE_RENEW;
    }
    return view->protocol_version == TLS1_3_VERSION ? TK_SESSION_USE_RENEW : TK_SESSION_USE;
}

static int fail(const char *what)
{
    fprintf(stderr, "handshake_cost: %s\n", what);
    return EXIT_FAILURE;
}

static int use_builtin_keys(SSL_CTX *ctx)
{
    unsigned char keys[80];
    return RAND_bytes(keys, sizeof(keys)) == 1 && SSL_CTX_set_tlsext_ticket_keys(ctx, keys, sizeof(keys)) == 1;
}

static int use_shim(SSL_CTX *ctx, tk_handle **out_handle)
{
    static const tk_upcalls upcalls = {NULL, tk_test_seal_first, tk_test_open_known, tk_test_stamp_empty, session, NULL};
    tk_key key;
    memset(&key, 0, sizeof(key));
    key.hmac_key_len = 32;
    key.aes_key_len = 32;
    if (RAND_bytes(key.name, sizeof(key.name)) != 1 || RAND_bytes(key.hmac_key, 32) != 1
        || RAND_bytes(key.aes_key, 32) != 1) {
        return 0;
    }
    return tk_handle_new(&upcalls, NULL, out_handle) == TK_OK && tk_attach(*out_handle, ctx, 1) == TK_OK
           && tk_publish_keys(*out_handle, &key, 1, 1) == TK_OK;
}

int main(int argc, char **argv)
{
    if (argc != 4 || (strcmp(argv[1], "builtin") != 0 && strcmp(argv[1], "shim") != 0)
        || (strcmp(argv[2], "1.2") != 0 && strcmp(argv[2], "1.3") != 0) || atoi(argv[3]) <= 0) {
        return fail("usage: tk_bench_handshake_cost builtin|shim 1.2|1.3 HANDSHAKES");
    }
    int version = strcmp(argv[2], "1.2") == 0 ? TLS1_2_VERSION : TLS1_3_VERSION;
    int handshakes = atoi(argv[3]);
    SSL_CTX *server = tk_test_server_ctx(version);
    SSL_CTX *client = tk_test_client_ctx(version);
    tk_handle *handle = NULL;
    if (server == NULL || client == NULL) {
        return fail("cannot make the contexts");
    }
    if (strcmp(argv[1], "builtin") == 0 ? !use_builtin_keys(server) : !use_shim(server, &handle)) {
        return fail("cannot install the ticket keys");
    }
    tk_test_conn first;
    if (!tk_test_connect(server, client, NULL, &first) || !tk_test_has_ticket(first.session)) {
        return fail("the first handshake gave no ticket");
    }
    const unsigned char *ticket = NULL;
    size_t ticket_len = 0;
    SSL_SESSION_get0_ticket(first.session, &ticket, &ticket_len);
    for (int i = 0; i < handshakes; i++) {
        tk_test_conn again;
        if (!tk_test_connect(server, client, first.session, &again) || !again.reused) {
            return fail("a handshake did not resume");
        }
        tk_test_conn_clear(&again);
    }
    tk_test_conn_clear(&first);
    SSL_CTX_free(server);
    SSL_CTX_free(client);
    tk_close(handle);
    printf("%s TLS %s: %d resumed handshakes, tickets of %zu bytes\n", argv[1], argv[2], handshakes, ticket_len);
    return EXIT_SUCCESS;
}
