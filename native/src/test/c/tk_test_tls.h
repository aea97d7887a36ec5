/* tk_test_tls.h: a TLS server and client in one process, talking over an in-memory BIO pair, for tests that drive
 * real OpenSSL handshakes. */

#ifndef TK_TEST_TLS_H
#define TK_TEST_TLS_H

#include <openssl/ssl.h>

/* tk_test_server_ctx returns a server context for exactly |version| (TLS1_2_VERSION or TLS1_3_VERSION) with a
 * fresh self-signed P-256 certificate, OpenSSL's session cache off (so resumption can only be by ticket) and a
 * session id context. It returns NULL on failure. The caller frees it with SSL_CTX_free. */
SSL_CTX *tk_test_server_ctx(int version);

/* tk_test_client_ctx returns a client context for exactly |version| that does not verify the server, or NULL. */
SSL_CTX *tk_test_client_ctx(int version);

/* tk_test_conn is the outcome of one connection as the client saw it. */
typedef struct tk_test_conn {
    int completed;        /* 1 if both sides finished the handshake and the client read application data */
    int reused;           /* 1 if the session was resumed (client and server agree; a disagreement fails) */
    SSL_SESSION *session; /* the client's session after reading application data (so TLS 1.3 tickets are in),
                           * or NULL if the handshake failed; owned by the conn */
} tk_test_conn;

/* tk_test_connect runs one handshake between new SSL objects of |server_ctx| and |client_ctx|, offering |resume|
 * (may be NULL) for resumption; then the server writes one byte and the client reads it, which makes the client
 * process TLS 1.3 NewSessionTicket messages. It fills |*out| and returns out->completed. A failed handshake is a
 * result, not an error: it returns 0 with out->completed = 0. */
int tk_test_connect(SSL_CTX *server_ctx, SSL_CTX *client_ctx, SSL_SESSION *resume, tk_test_conn *out);

/* tk_test_connect_to is tk_test_connect with the client naming |host| in its server_name extension (SNI), or
 * none when |host| is NULL. */
int tk_test_connect_to(SSL_CTX *server_ctx, SSL_CTX *client_ctx, const char *host, SSL_SESSION *resume,
                       tk_test_conn *out);

/* tk_test_conn_clear frees the session |conn| holds and zeroes it. */
void tk_test_conn_clear(tk_test_conn *conn);

/* tk_test_has_ticket returns 1 if |session| carries a session ticket the client may use: a TLS 1.3 ticket with a
 * lifetime of 0 is one to discard (RFC 8446, 4.6.1), which is how the OpenSSL 1.1.1 shim sends no ticket. */
int tk_test_has_ticket(const SSL_SESSION *session);

/* tk_test_same_ticket returns 1 if both sessions carry a ticket and the tickets are byte for byte the same. */
int tk_test_same_ticket(const SSL_SESSION *a, const SSL_SESSION *b);

#endif /* TK_TEST_TLS_H */
